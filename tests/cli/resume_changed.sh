#!/bin/sh
# --resume refuses a journal written before an input changed: a position's angle, or a body
# model's table. (The fingerprint covered only the sweep file, its overrides and the version, so
# such a resume mixed rows of the old and the new inputs and exited 0.)
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
mkdir -p pos models
cp "$src"/models/*.yaml "$src"/models/*.csv models/
for f in "$src"/tests/data/positions/*.yaml; do
  sed "s#body: ../../../models/#body: $work/models/#" "$f" >pos/$(basename "$f")
done
sed "s#library: .*#library: $work/pos#; s/steps: 4/steps: 40/" "$src/tests/data/sweep_small.yaml" >sw.yaml
# interrupt a sweep (SIGINT: a valid, incomplete file and its journal), change an input, resume
interrupted() {
  rm -f o.h5 o.h5.journal
  "$sl" sweep sw.yaml -o o.h5 -q --threads 1 &
  pid=$!
  n=0
  while [ $n -lt 400 ] && [ "$(stat -c %s o.h5.journal 2>/dev/null || echo 0)" -lt 5000 ]; do
    sleep 0.01
    n=$((n + 1))
  done
  kill -INT $pid
  wait $pid
}
for change in position table; do
  interrupted
  if [ $? != 130 ]; then echo "note: the sweep finished before the interrupt"; continue; fi
  case $change in
    position) sed -i 's/lumbar: {flexion_deg: 10}/lumbar: {flexion_deg: 20}/' pos/side_left.yaml ;;
    table) sed -i 's/^IL_L4_r,\([^,]*\),\([^,]*\),/IL_L4_r,\1,\2,1/' models/trunk_muscles.csv ;;
  esac
  "$sl" sweep sw.yaml -o o.h5 -q --resume 2>e.txt; rc=$?
  { [ $rc = 2 ] && grep -q "belongs to a different sweep" e.txt; } ||
    { echo "FAIL resume after a changed $change: exit $rc"; cat e.txt; fail=1; }
  [ -f o.h5.journal ] || { echo "FAIL the journal was lost ($change)"; fail=1; }
done
[ $fail = 0 ] && echo "ok   a changed position or table is not resumed into old results"
exit $fail
