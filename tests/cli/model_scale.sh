#!/bin/sh
# Model loading is linear in the number of names: 200 000 landmarks and 200 000 muscles (400 000
# path points) load in about a second. Duplicate checks by linear search made it quadratic
# (80 000 landmarks took 32 s, 80 000 muscles 28 s; these sizes would take minutes), so the
# timeout below (60 s) only catches that, whatever the load of the machine.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
n=200000
cp "$src"/tests/data/tiny_model.yaml "$src"/tests/data/tiny_muscles.csv "$src"/tests/data/tiny_points.csv .
awk -v n=$n '{print} /^landmarks:/ {for (i = 0; i < n; i++) printf "  - {name: lm%d, segment: pelvis, pos_m: [0, 0, 0]}\n", i}' \
  tiny_model.yaml >landmarks.yaml
sed 's/tiny_muscles.csv/big_muscles.csv/; s/tiny_points.csv/big_points.csv/' tiny_model.yaml >muscles.yaml
{ cat tiny_muscles.csv; awk -v n=$n 'BEGIN {for (i = 0; i < n; i++) printf "m%d,extensor,midline,10\n", i}'; } >big_muscles.csv
{ cat tiny_points.csv; awk -v n=$n 'BEGIN {for (i = 0; i < n; i++) printf "m%d,1,pelvis,-0.05,-0.05,0\nm%d,2,v3,-0.05,0.0,0\n", i, i}'; } >big_points.csv
fail=0
for f in landmarks muscles; do
  timeout 60 "$sl" model check $f.yaml >out.txt 2>&1; rc=$?
  { [ $rc = 0 ] && grep -q "0 errors" out.txt; } || { echo "FAIL $f: exit $rc"; tail -3 out.txt; fail=1; }
done
# a repeated name among them is still found, with its place
sed 's/  - {name: lm199999,/  - {name: lm7,/' landmarks.yaml >dup.yaml
timeout 60 "$sl" model check dup.yaml >out.txt 2>&1
grep -q "dup.yaml:[0-9]*:[0-9]*: error: landmark 'lm7' is defined twice" out.txt ||
  { echo "FAIL duplicate landmark not reported"; tail -3 out.txt; fail=1; }
[ $fail = 0 ] && echo "ok   $n landmarks and $n muscles load in linear time"
exit $fail
