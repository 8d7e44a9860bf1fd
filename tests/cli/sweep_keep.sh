#!/bin/sh
# Nothing the user had is lost by a sweep that stops: SIGINT during a new sweep to an existing
# complete OUT.h5 leaves that file as it was (it was replaced by an incomplete one), the finished
# blocks go to the journal and --resume completes; a final rename that fails keeps the results in
# the journal and says so.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
sed "s#library: positions#library: $src/tests/data/positions#" "$src/tests/data/sweep_small.yaml" >small.yaml
sed "s#library: positions#library: $src/tests/data/positions#; s/steps: 4/steps: 60/" \
  "$src/tests/data/sweep_small.yaml" >long.yaml
"$sl" sweep small.yaml -o out.h5 -q || exit 1
cp out.h5 earlier.h5
"$sl" sweep long.yaml -o out.h5 -q --threads 1 2>e.txt &
pid=$!
n=0
while [ $n -lt 400 ] && [ "$(stat -c %s out.h5.journal 2>/dev/null || echo 0)" -lt 5000 ]; do sleep 0.01; n=$((n + 1)); done
kill -INT $pid
wait $pid
rc=$?
if [ $rc = 130 ]; then
  cmp -s out.h5 earlier.h5 || { echo "FAIL the earlier complete out.h5 was replaced"; fail=1; }
  grep -q "earlier out.h5 is left as it was" e.txt || { echo "FAIL message"; cat e.txt; fail=1; }
  "$sl" sweep long.yaml -o out.h5 -q --resume || { echo "FAIL resume"; fail=1; }
  h5dump -a /sweep/complete out.h5 | grep -q '(0): 1' || { echo "FAIL resumed file not complete"; fail=1; }
else
  echo "note: the sweep ended (exit $rc) before the interrupt"
fi
# the final rename fails (a directory is in the way): exit 1, the journal kept and named
rm -rf blocked.h5* && mkdir blocked.h5
"$sl" sweep small.yaml -o blocked.h5 -q 2>e.txt; rc=$?
{ [ $rc = 1 ] && grep -q "kept in blocked.h5.journal" e.txt && [ -f blocked.h5.journal ]; } ||
  { echo "FAIL failed rename: exit $rc"; cat e.txt; fail=1; }
ls | grep -q 'blocked.h5.tmp' && { echo "FAIL temporary left"; fail=1; }
rmdir blocked.h5
"$sl" sweep small.yaml -o blocked.h5 -q --resume || { echo "FAIL resume after the failed rename"; fail=1; }
for d in params metrics index status; do
  h5diff -q blocked.h5 earlier.h5 /sweep/$d /sweep/$d || { echo "FAIL resumed result differs ($d)"; fail=1; }
done
[ $fail = 0 ] && echo "ok   a stopped or blocked sweep keeps what the user had"
exit $fail
