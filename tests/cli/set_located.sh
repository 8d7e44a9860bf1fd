#!/bin/sh
# An error in a file's `set:` block points at the file, line and column of the value (it was
# reported as if given with --set); the same value on the command line still names --set.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/examples/basic.yaml" >scen.yaml
sed -i 's#^body: .*#&\nset: {subject.mass_kg: 900}#' scen.yaml
"$sl" run scen.yaml -o x.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "scen.yaml:8:24: key 'mass_kg' = 900 is outside the allowed range" e.txt; } ||
  { echo "FAIL scenario set: exit $rc"; cat e.txt; fail=1; }
sed "s#body: ../../../models/adult_male.yaml#body: $src/models/adult_male.yaml\n    set: {subject.mass_kg: 900}#; s#body: ../../../models/#body: $src/models/#" \
  "$src/tests/data/positions/side_left.yaml" >pos.yaml
"$sl" rank pos.yaml -o p.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "pos.yaml:13:28: key 'mass_kg' = 900" e.txt; } ||
  { echo "FAIL position role set: exit $rc"; cat e.txt; fail=1; }
sed "s#library: positions#library: $src/tests/data/positions#; s#^set: {#set: {body.height_m: 9, #" \
  "$src/tests/data/sweep_small.yaml" >sw.yaml
"$sl" sweep sw.yaml -o s.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "sw.yaml:11:[0-9]*: .*height_m. = 9" e.txt; } || { echo "FAIL sweep set: exit $rc"; cat e.txt; fail=1; }
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/examples/basic.yaml" >plain.yaml
"$sl" run plain.yaml -o x.h5 -q --set subject.mass_kg=900 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "\-\-set subject.mass_kg" e.txt; } || { echo "FAIL --set: exit $rc"; cat e.txt; fail=1; }
[ $fail = 0 ] && echo "ok   set: errors point at the file; --set errors at --set"
exit $fail
