#!/bin/sh
# Tests mirror modules: every library source file (sim/{base,engine,model,io,run}/*.c) is named on
# the "// covers:" line of at least one tests/test_*.c, and every name there is a library file.
set -u
sl=$1 src=$2 work=$3
fail=0
for f in "$src"/sim/base/*.c "$src"/sim/engine/*.c "$src"/sim/model/*.c "$src"/sim/io/*.c "$src"/sim/run/*.c; do
  m=$(basename "$f" .c)
  grep -q "^// covers:.* $m\( \|$\)" "$src"/tests/test_*.c ||
    { echo "FAIL no test covers $m (${f#$src/})"; fail=1; }
done
for m in $(sed -n 's#^// covers:##p' "$src"/tests/test_*.c); do
  ls "$src"/sim/*/"$m".c >/dev/null 2>&1 || { echo "FAIL covers names $m, which is no library file"; fail=1; }
done
[ $fail = 0 ] && echo "ok   every library file has a test"
exit $fail
