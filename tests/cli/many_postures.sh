#!/bin/sh
# A scenario with more postures than any fixed table: every posture keeps its name in /postures
# (they were cut at 4096 while /results held every row).
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
n=4200
{
  printf 'format: spineload-scenario/1\nname: many\nbody: %s/models/adult_male.yaml\npostures:\n' "$src"
  i=0
  while [ $i -lt $n ]; do
    printf '  - {name: p%d, root: standing, lumbar: {flexion_deg: %d}}\n' $i $((i % 40))
    i=$((i + 1))
  done
} >many.yaml
"$sl" run many.yaml -o many.h5 -q || { echo "FAIL run"; exit 1; }
names=$(h5dump -H -d /postures/name many.h5 | sed -n 's/.*SIMPLE { ( \([0-9]*\) ).*/\1/p')
rows=$(h5dump -H -d /results/status many.h5 | sed -n 's/.*SIMPLE { ( \([0-9]*\) ).*/\1/p')
last=$(h5dump -d /postures/name -s $((n - 1)) -c 1 many.h5 | sed -n 's/.*: "\(p[0-9]*\)".*/\1/p')
if [ "$names" = $n ] && [ "$rows" = $n ] && [ "$last" = p$((n - 1)) ]; then
  echo "ok   $n postures, $n names"
else
  echo "FAIL names $names, rows $rows, last name '$last' (want $n, $n, p$((n - 1)))"
  exit 1
fi
