#!/bin/sh
# draw and report: an SVG of a position with both partners, discs and the title; a missing or
# malformed position is exit 2 with no file; report prints the ranking of a rank file and
# writes the two plots; a sweep file gets its summary; other files are refused with exit 2.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
pos=$src/scenarios/positions/spooning.yaml
"$sl" draw "$pos" -o spoon.svg -q || { echo "FAIL draw exit $?"; exit 1; }
head -c 5 spoon.svg | grep -q "<?xml" || { echo "FAIL not an svg"; fail=1; }
grep -q "</svg>" spoon.svg || { echo "FAIL svg not closed"; fail=1; }
[ "$(grep -c "<circle" spoon.svg)" -ge 12 ] || { echo "FAIL fewer than 12 circles (discs)"; fail=1; }
[ "$(grep -c "<line" spoon.svg)" -ge 100 ] || { echo "FAIL too few lines for two figures"; fail=1; }
grep -q ">Spooning<" spoon.svg || { echo "FAIL no title"; fail=1; }
grep -q "back (male," spoon.svg && grep -q "front (female," spoon.svg || { echo "FAIL roles missing"; fail=1; }
grep -q 'viewBox="0 0 ' spoon.svg || { echo "FAIL no viewBox"; fail=1; }
grep -q "NIOSH limit 3400" spoon.svg || { echo "FAIL no colour bar"; fail=1; }
"$sl" draw "$pos" -o named.svg 2>err.txt && grep -q "wrote named.svg" err.txt || { echo "FAIL draw does not name its file"; fail=1; }
# usage and bad input: exit 2, nothing written
"$sl" draw "$pos" 2>/dev/null; [ $? = 2 ] || { echo "FAIL draw without -o"; fail=1; }
"$sl" draw missing.yaml -o m.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL missing file: exit $rc"; fail=1; }
[ -e m.svg ] && { echo "FAIL output left for a missing file"; fail=1; }
# an angle out of range (from the fixed test copy of spooning, so library edits do not matter)
sed "s#\.\./\.\./\.\./models/#$src/models/#; s/hips: {flexion_deg: 40}/hips: {flexion_deg: 400}/" \
  "$src/tests/data/positions/side_left.yaml" >bad.yaml
grep -q "flexion_deg: 400" bad.yaml || { echo "FAIL test set-up: bad.yaml unchanged"; fail=1; }
"$sl" draw bad.yaml -o bad.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL malformed: exit $rc"; fail=1; }
grep -q "bad.yaml:[0-9]*:[0-9]*:" err.txt || { echo "FAIL malformed message"; cat err.txt; fail=1; }
ls | grep -q "^bad.svg" && { echo "FAIL output left behind"; fail=1; }
printf 'format: spineload-position/1\nname: [broken\n' >syntax.yaml
"$sl" draw syntax.yaml -o syntax.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL YAML syntax error: exit $rc"; fail=1; }
grep -q "syntax.yaml:[0-9]*:[0-9]*:" err.txt || { echo "FAIL syntax error message"; cat err.txt; fail=1; }
ls | grep -q "^syntax.svg" && { echo "FAIL output left for a syntax error"; fail=1; }
# an existing picture survives a failed draw
cp spoon.svg keep.svg
"$sl" draw bad.yaml -o keep.svg 2>/dev/null
cmp -s spoon.svg keep.svg || { echo "FAIL existing file overwritten"; fail=1; }
# report on a rank file
"$sl" rank "$pos" "$src/scenarios/positions/missionary.yaml" -o r.h5 -q || { echo "FAIL rank"; exit 1; }
"$sl" report r.h5 >rep.md || { echo "FAIL report exit $?"; fail=1; }
grep -q "| 1 | .* |" rep.md && grep -q spooning rep.md && grep -q missionary rep.md || { echo "FAIL report table"; cat rep.md; fail=1; }
[ "$(grep -c "^| [0-9]" rep.md)" = 4 ] || { echo "FAIL report rows"; fail=1; }
"$sl" report r.h5 --format csv -o rep.csv -q || { echo "FAIL report csv"; fail=1; }
[ "$(wc -l <rep.csv)" = 5 ] || { echo "FAIL csv rows"; fail=1; }
"$sl" report r.h5 --plots plots >/dev/null 2>err.txt || { echo "FAIL plots exit"; fail=1; }
grep -q "wrote plots/ranking.svg" err.txt && grep -q "wrote plots/profiles.svg" err.txt || { echo "FAIL plot files not named"; cat err.txt; fail=1; }
grep -q "<polyline" plots/profiles.svg || { echo "FAIL no profile lines"; fail=1; }
for p in ranking profiles; do
  grep -q "</svg>" plots/$p.svg 2>/dev/null || { echo "FAIL plots/$p.svg"; fail=1; }
done
grep -q "Spooning / back" plots/ranking.svg || { echo "FAIL ranking chart labels (position titles)"; fail=1; }
grep -q ">Spooning<" plots/profiles.svg || { echo "FAIL profile panel titles"; fail=1; }
# report on a sweep file and on a file that is neither
"$sl" sweep "$src/tests/data/sweep_small.yaml" -o s.h5 -q >/dev/null 2>&1 || { echo "FAIL sweep"; fail=1; }
"$sl" report s.h5 >sw.txt 2>&1 || { echo "FAIL report on a sweep: exit $?"; cat sw.txt; fail=1; }
grep -q "Kendall" sw.txt || { echo "FAIL sweep summary"; cat sw.txt; fail=1; }
"$sl" report s.h5 -o sw.md -q >out.txt || { echo "FAIL sweep report to a file"; fail=1; }
grep -q "Kendall" sw.md && [ ! -s out.txt ] || { echo "FAIL sweep report -o"; fail=1; }
"$sl" run "$src/scenarios/examples/basic.yaml" -o b.h5 -q >/dev/null || { echo "FAIL run"; fail=1; }
"$sl" report b.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a run file: exit $rc"; fail=1; }
echo "not hdf5" >text.h5
"$sl" report text.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a text file: exit $rc"; fail=1; }
"$sl" report nothing.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a missing file: exit $rc"; fail=1; }
[ $fail = 0 ] && echo ok
exit $fail
