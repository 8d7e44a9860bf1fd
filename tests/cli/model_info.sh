#!/bin/sh
# `model info` on the default bodies lists 238 fascicles and the subject's mass; `model check`
# passes them.
set -u
sl=$1 src=$2
fail=0
for m in adult_male adult_female; do
  out=$("$sl" model info "$src/models/$m.yaml") || { echo "FAIL model info $m"; fail=1; continue; }
  echo "$out" | grep -q "238 muscle fascicles in 11 groups" || { echo "FAIL $m: 238 fascicles not listed"; fail=1; }
  echo "$out" | grep -q "^  total  *238 " || { echo "FAIL $m: total row"; fail=1; }
  "$sl" model check "$src/models/$m.yaml" >/dev/null || { echo "FAIL model check $m"; fail=1; }
done
"$sl" model info "$src/models/adult_male.yaml" | grep -q "total segment mass: 84.9" || { echo "FAIL male mass"; fail=1; }
[ $fail = 0 ] && echo "ok"
exit $fail
