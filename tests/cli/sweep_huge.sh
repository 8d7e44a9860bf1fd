#!/bin/sh
# A design too large to schedule (here 2e9 units in blocks of 1) is refused at once with the
# block size that would work, instead of growing to gigabytes before computing anything.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat >huge.yaml <<EOF2
format: spineload-sweep/1
name: huge
library: $src/tests/data/positions
positions: all
design: {type: random, samples: 1000000000, seed: 1}
parameters:
  - {path: body.mass_kg, range: [50, 100]}
block: 1
EOF2
timeout 60 "$sl" sweep huge.yaml -o h.h5 -q 2>e.txt; rc=$?
fail=0
{ [ $rc = 2 ] && grep -q "huge.yaml:8:8: .* set 'block' to at least 200" e.txt; } ||
  { echo "FAIL huge design: exit $rc"; cat e.txt; fail=1; }
ls h.h5* >/dev/null 2>&1 && { echo "FAIL output left: $(ls h.h5*)"; fail=1; }
[ $fail = 0 ] && echo "ok   a design too large to schedule is refused with the block size that works"
exit $fail
