#!/bin/sh
# One sweep per output at a time: while a sweep runs, a second one to the same output (with or
# without --resume) is refused with the right reason and does not disturb the first.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
sed "s#library: positions#library: $src/tests/data/positions#; s/steps: 4/steps: 60/" \
  "$src/tests/data/sweep_small.yaml" >long.yaml
"$sl" sweep long.yaml -o out.h5 -q --threads 1 &
first=$!
i=0
while [ ! -e out.h5.journal ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
for extra in "" --resume; do
  "$sl" sweep long.yaml -o out.h5 -q $extra 2>e.txt; rc=$?
  { [ $rc = 2 ] && grep -q "another sweep is writing this output" e.txt; } ||
    { echo "FAIL second sweep ${extra:-(new)}: exit $rc"; cat e.txt; fail=1; }
done
wait $first || { echo "FAIL the first sweep failed"; fail=1; }
"$sl" sweep long.yaml -o again.h5 -q --threads 1 || fail=1
for d in params metrics index status; do
  h5diff -q out.h5 again.h5 /sweep/$d /sweep/$d || { echo "FAIL first sweep disturbed ($d)"; fail=1; }
done
[ $fail = 0 ] && echo "ok   a running sweep's output is locked"
exit $fail
