#!/bin/sh
# Sweeps give bit-identical datasets for 1, 2 and 3 threads; bad sweep input is a clear error.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
command -v h5diff >/dev/null || { echo "h5diff (hdf5-tools) is needed"; exit 1; }
sweep=$src/tests/data/sweep_small.yaml
fail=0
for t in 1 2 3; do
  "$sl" sweep "$sweep" -o t$t.h5 -q --threads $t || { echo "FAIL run with $t threads"; exit 1; }
done
for t in 2 3; do
  for d in params metrics index status; do
    h5diff -q t1.h5 t$t.h5 /sweep/$d /sweep/$d || { echo "FAIL $d differs with $t threads"; fail=1; }
  done
done
[ $fail = 0 ] && echo "ok   1, 2, 3 threads identical"
# the layout: names and units
h5dump -a /sweep/metrics/columns t1.h5 | grep -q load_index || { echo "FAIL metric column names"; fail=1; }
h5dump -a /sweep/metrics/units t1.h5 | grep -q 'peak_compression_L4L5: N' || { echo "FAIL metric units"; fail=1; }
h5dump -H -p t1.h5 | grep -A8 'DATASET "metrics"' | grep -q H5S_UNLIMITED || { echo "FAIL not extendible"; fail=1; }
# bad input
sed 's#library: positions#library: '"$src"'/tests/data/positions#; s#body.mass_kg#body.colour#' "$sweep" >bad1.yaml
"$sl" sweep bad1.yaml -o b.h5 -q 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "colour" err.txt || { echo "FAIL unknown parameter path: exit $rc"; cat err.txt; fail=1; }
sed 's#library: positions#library: '"$src"'/tests/data/positions#; s#values: \[60, 90\]#values: [60, 900]#' "$sweep" >bad2.yaml
"$sl" sweep bad2.yaml -o b.h5 -q 2>err.txt; rc=$?
[ $rc = 2 ] && grep -q "body.mass_kg.*900.*outside the allowed range" err.txt || { echo "FAIL out-of-range parameter: exit $rc"; cat err.txt; fail=1; }
ls b.h5* >/dev/null 2>&1 && { echo "FAIL output left after bad input"; fail=1; }
[ $fail = 0 ] && echo "ok   bad input rejected"
exit $fail
