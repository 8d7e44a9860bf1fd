#!/bin/sh
# `model import`: an OpenSim file to a new directory; bad files and bad use exit 2 with the
# element's file:line and leave nothing behind; a directory with files is never written into.
set -u
sl=$1 src=$2 work=$3
fail=0
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
c=$src/tests/fuzz/corpus/osim
"$sl" model import "$c/tiny.osim" -o out -q || { echo "FAIL import tiny.osim"; fail=1; }
for f in model.yaml muscles.csv muscle_points.csv ORIGIN.md; do
  [ -s out/$f ] || { echo "FAIL out/$f missing"; fail=1; }
done
grep -q '^glut_r,glut,right,500,' out/muscles.csv || { echo "FAIL muscle row"; fail=1; }
# again into the same directory: refused, files untouched
cp out/model.yaml before.yaml
"$sl" model import "$c/tiny.osim" -o out 2>err.txt
[ $? = 2 ] || { echo "FAIL non-empty directory: exit status"; fail=1; }
grep -q 'has files' err.txt || { echo "FAIL non-empty directory: message"; cat err.txt; fail=1; }
cmp -s before.yaml out/model.yaml || { echo "FAIL existing file changed"; fail=1; }
# a bad wrap object: exit 2 at its line, nothing written
sed 's|<radius>0.04</radius>|<radius>-0.04</radius>|' "$c/wraps.osim" >negradius.osim
line=$(grep -n '<WrapCylinder' negradius.osim | head -1 | cut -d: -f1)
"$sl" model import negradius.osim -o bad 2>err.txt
[ $? = 2 ] || { echo "FAIL bad wrap: exit status"; fail=1; }
grep -q "negradius.osim:$line: wrap object 'c': radius" err.txt || { echo "FAIL bad wrap: file:line"; cat err.txt; fail=1; }
[ ! -e bad ] || { echo "FAIL bad wrap: output left behind"; fail=1; }
# the wraps import (test_wrap checks the geometry)
"$sl" model import "$c/wraps.osim" -o wr -q && grep -q 'shape: ellipsoid' wr/model.yaml ||
  { echo "FAIL wraps import"; fail=1; }
line=$(grep -n '<ConditionalPathPoint' "$c/variants.osim" | head -1 | cut -d: -f1)
"$sl" model import "$c/variants.osim" -o bad --omit=wrapping 2>err.txt
[ $? = 2 ] || { echo "FAIL conditional point: exit status"; fail=1; }
grep -q "variants.osim:$line: .*conditional path point" err.txt || { echo "FAIL conditional point: file:line"; cat err.txt; fail=1; }
ls | grep -q 'bad' && { echo "FAIL conditional point: output left behind"; fail=1; }
# XML syntax
"$sl" model import "$c/broken.osim" -o bad 2>err.txt
[ $? = 2 ] || { echo "FAIL broken: exit status"; fail=1; }
grep -q "broken.osim:[0-9]*: XML: " err.txt || { echo "FAIL broken: message"; cat err.txt; fail=1; }
# usage
"$sl" model import "$c/tiny.osim" 2>err.txt
[ $? = 2 ] && grep -q 'needs -o DIR' err.txt || { echo "FAIL missing -o"; fail=1; }
"$sl" model import "$c/tiny.osim" -o new --omit=markers 2>err.txt
[ $? = 2 ] && grep -q "unknown kind 'markers'" err.txt || { echo "FAIL bad --omit"; fail=1; }
"$sl" model info "$src/models/adult_male.yaml" --omit=wrapping >/dev/null 2>err.txt
[ $? = 2 ] || { echo "FAIL --omit outside import"; fail=1; }
# a scenario posture driven by a motion file: OUT.h5 and OUT.sto (disc loads over time)
"$sl" run "$src/tests/data/motion_scenario.yaml" -o mot.h5 -q >run.txt || { echo "FAIL motion run"; fail=1; }
grep -q '^bend@5 ' run.txt || { echo "FAIL motion postures"; fail=1; }
[ -s mot.h5 ] || { echo "FAIL motion: no mot.h5"; fail=1; }
head -3 mot.sto | grep -q '^nRows=5$' || { echo "FAIL motion: .sto header"; fail=1; }
grep -q '^time	L5_S1_compression	' mot.sto || { echo "FAIL motion: .sto labels"; fail=1; }
[ "$(sed -n '/^endheader/,$p' mot.sto | wc -l)" = 7 ] || { echo "FAIL motion: .sto rows"; fail=1; }
grep -q '^nColumns=239$' mot_muscle_forces.sto || { echo "FAIL motion: muscle .sto"; fail=1; }
# a motion column the model lacks: exit 2 naming it, nothing written
printf 'x\ninDegrees=yes\nendheader\ntime L5_S1_Flex_Ext knee_x\n0 0 0\n' >odd.mot
sed "s|^body: .*|body: $src/models/adult_male.yaml|; s|motion: bend.mot|motion: odd.mot|" \
  "$src/tests/data/motion_scenario.yaml" >odd.yaml
"$sl" run odd.yaml -o odd.h5 2>err.txt
[ $? = 2 ] || { echo "FAIL odd motion: exit status"; fail=1; }
grep -q 'odd.mot:4: .*no coordinate for: knee_x' err.txt || { echo "FAIL odd motion: message"; cat err.txt; fail=1; }
[ ! -e odd.h5 ] && [ ! -e odd.sto ] && [ ! -e odd_muscle_forces.sto ] || { echo "FAIL odd motion: output left behind"; fail=1; }
[ $fail = 0 ] && echo "ok"
exit $fail
