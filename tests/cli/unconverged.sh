#!/bin/sh
# A cycle that did not converge is not ranked on its numbers (at 8 Hz spooning's unconverged
# samples reach several kN): its rows come after every converged row, the note and the claim
# comparison say so, and in a sweep the row has status -3 and is left out of the report.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
lib=$src/scenarios/positions
"$sl" rank "$lib/spooning.yaml" "$lib/missionary.yaml" -o r.h5 -q --set motion.frequency_hz=8 || exit 1
# csv: rank,position,role,...; spooning did not converge, missionary did
awk -F, 'NR > 1 {print $1, $2}' r.csv >order.txt
[ "$(sed -n 1,2p order.txt | cut -d' ' -f2 | sort -u)" = missionary ] &&
  [ "$(sed -n 3,4p order.txt | cut -d' ' -f2 | sort -u)" = spooning ] ||
  { echo "FAIL unconverged rows not last:"; cat order.txt; fail=1; }
[ "$(grep -c 'NOT CONVERGED' r.csv)" = 2 ] || { echo "FAIL note"; fail=1; }
grep -q "Spooning.*cannot judge" r.md || { echo "FAIL claim comparison"; fail=1; }
# sweep: the 8 Hz rows have status -3, the report counts only the others
cat >sw.yaml <<EOF2
format: spineload-sweep/1
name: hz
library: $src/tests/data/positions
positions: all
design: {type: grid}
parameters:
  - {path: motion.frequency_hz, values: [1, 1.5, 2, 8]}
set: {motion.samples: 4}
EOF2
"$sl" sweep sw.yaml -o s.h5 -q || exit 1
n3=$(h5dump -A 0 -d /sweep/status s.h5 | grep -c -- ': -3')
[ "$n3" = 4 ] || { echo "FAIL status -3 rows: $n3 (want 4: 2 positions x 2 roles at 8 Hz)"; fail=1; }
"$sl" report s.h5 --format csv >rep.csv || fail=1
grep -q 'motion.frequency_hz,test_side_left,back,.*,3$' rep.csv ||
  { echo "FAIL the report counts the unconverged rows:"; head -3 rep.csv; fail=1; }
[ $fail = 0 ] && echo "ok   unconverged cycles are not ranked on their numbers"
exit $fail
