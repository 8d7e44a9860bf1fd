#!/bin/sh
# A file that another file names but that cannot be read is reported at the line that names it
# (a scenario's or a position's body, a sweep's position); a results file without the datasets
# report needs is bad input (exit 2) naming the file and the dataset.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
sed "s#body: ../../models/#body: $src/models/nosuch/#" "$src/scenarios/examples/basic.yaml" >scen.yaml
"$sl" run scen.yaml -o x.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "scen.yaml:7:7: body .*nosuch/adult_male.yaml: cannot open" e.txt; } ||
  { echo "FAIL scenario body: exit $rc"; cat e.txt; fail=1; }
sed "s#body: ../../../models/adult_male.yaml#body: /nosuch/m.yaml#" "$src/tests/data/positions/side_left.yaml" >pos.yaml
"$sl" rank pos.yaml -o x.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "pos.yaml:12:11: body /nosuch/m.yaml: cannot open" e.txt; } ||
  { echo "FAIL position body: exit $rc"; cat e.txt; fail=1; }
printf 'format: spineload-sweep/1\nname: x\nlibrary: %s/tests/data/positions\npositions: [nosuch]\ndesign: {type: grid}\nparameters:\n  - {path: body.mass_kg, values: [60]}\n' "$src" >sw.yaml
"$sl" sweep sw.yaml -o x.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "sw.yaml:4:13: position 'nosuch': cannot read" e.txt; } ||
  { echo "FAIL sweep position: exit $rc"; cat e.txt; fail=1; }
# a sweep file whose metrics are gone (h5copy keeps the rest)
sed "s#library: positions#library: $src/tests/data/positions#" "$src/tests/data/sweep_small.yaml" >small.yaml
"$sl" sweep small.yaml -o s.h5 -q || fail=1
for d in params index status position_names role_names; do h5copy -i s.h5 -o cut.h5 -s /sweep/$d -d /sweep/$d -p; done
"$sl" report cut.h5 2>e.txt >/dev/null; rc=$?
{ [ $rc = 2 ] && grep -q "cut.h5:/sweep/metrics: .*not a complete spineload sweep file" e.txt; } ||
  { echo "FAIL report of a cut sweep file: exit $rc"; cat e.txt; fail=1; }
[ $fail = 0 ] && echo "ok   missing files named where they are referred to; broken results files are bad input"
exit $fail
