#!/bin/sh
# Outputs never replace what the user had by mistake: -o naming an input, a rank output whose
# tables would overwrite it, a rank whose table cannot be written (the earlier HDF5 file stays);
# and the messages say what is wrong (an empty -o, a directory given as an input file).
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
pos=$src/tests/data/positions
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/examples/basic.yaml" >scen.yaml
cp scen.yaml scen.orig
"$sl" run scen.yaml -o scen.yaml -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "would replace the input" e.txt && cmp -s scen.yaml scen.orig; } ||
  { echo "FAIL -o naming the input: exit $rc"; cat e.txt; fail=1; }
"$sl" run scen.yaml -o '' -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "needs a file name" e.txt; } || { echo "FAIL -o '': exit $rc"; cat e.txt; fail=1; }
mkdir adir
"$sl" run adir -o x.h5 -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && grep -q "adir: is a directory" e.txt; } || { echo "FAIL directory input: exit $rc"; cat e.txt; fail=1; }
"$sl" rank "$pos" -o t.csv -q 2>e.txt; rc=$?
{ [ $rc = 2 ] && ! ls t.* >/dev/null 2>&1; } || { echo "FAIL rank -o t.csv: exit $rc, $(ls t.* 2>/dev/null)"; cat e.txt; fail=1; }
echo "earlier" >r.h5
mkdir r.md  # the markdown table cannot be written
"$sl" rank "$pos" -o r.h5 -q 2>e.txt; rc=$?
{ [ $rc != 0 ] && grep -q "r.md" e.txt && [ "$(cat r.h5)" = earlier ]; } ||
  { echo "FAIL rank with an unwritable table: exit $rc, r.h5 $(head -c 20 r.h5)"; cat e.txt; fail=1; }
ls | grep -q '\.tmp\.' && { echo "FAIL leftovers: $(ls | grep tmp)"; fail=1; }
[ $fail = 0 ] && echo "ok   outputs never replace inputs or earlier results by mistake; clear messages"
exit $fail
