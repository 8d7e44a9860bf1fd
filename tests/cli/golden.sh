#!/bin/sh
# Golden outputs: the rank file of the built-in library and the small sweep hash the same for 1, 2
# and 3 threads, and the same as the hashes recorded for this build in tests/data/golden.txt.
# The hash covers every dataset's values (floats printed to 17 significant digits, so every bit
# counts), not /meta and not attributes (they hold paths and timings). Different compilers and
# optimisation levels round differently, so each build kind has its own line; a build kind with
# no line is checked for thread independence only. After an intended change of the numbers,
# tools/golden-update rewrites this build's line (say why in the commit).
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
command -v h5dump >/dev/null || { echo "h5dump (hdf5-tools) is needed"; exit 1; }
kind=$("$sl" version | sed -n '1s/.*), \(.*\) build$/\1/p' | sed 's/, /-/; s/ /-/g')
hash_of() { h5dump -A 0 -m %.17g "$@" | tail -n +2 | sha256sum | cut -c1-64; }
fail=0
for t in 1 2 3; do
  "$sl" rank -o rank$t.h5 -q --threads $t >/dev/null || { echo "FAIL rank with $t threads"; exit 1; }
  "$sl" sweep "$src/tests/data/sweep_small.yaml" -o sweep$t.h5 -q --threads $t ||
    { echo "FAIL sweep with $t threads"; exit 1; }
  echo "rank $(hash_of -g /positions -d /ranking rank$t.h5)" >h$t.txt
  echo "sweep $(hash_of -g /sweep sweep$t.h5)" >>h$t.txt
done
for t in 2 3; do
  cmp -s h1.txt h$t.txt || { echo "FAIL outputs differ with $t threads:"; cat h1.txt h$t.txt; fail=1; }
done
[ $fail = 0 ] && echo "ok   rank and sweep outputs identical for 1, 2, 3 threads"
# each role's own body in the rank file (partners differ), and no file-wide /model
sex_of() { h5dump -a "/positions/missionary/$1/model/sex" rank1.h5 | sed -n 's/.*(0): "\(.*\)".*/\1/p'; }
[ "$(sex_of bottom)/$(sex_of top)" = female/male ] ||
  { echo "FAIL roles' bodies: bottom $(sex_of bottom), top $(sex_of top)"; fail=1; }
h5dump -n rank1.h5 | grep -q ' /model$' && { echo "FAIL a file-wide /model in the rank file"; fail=1; }
golden=$src/tests/data/golden.txt
if grep -q "^$kind " "$golden" 2>/dev/null; then
  for what in rank sweep; do
    want=$(grep "^$kind " "$golden" | sed -n "s/.* $what=\([0-9a-f]*\).*/\1/p")
    got=$(sed -n "s/^$what //p" h1.txt)
    if [ "$want" = "$got" ]; then
      echo "ok   $what output matches the golden hash of $kind"
    else
      echo "FAIL $what output changed for $kind: golden $want, now $got"
      echo "     (an intended change: tools/golden-update, and say why in the commit)"
      fail=1
    fi
  done
else
  echo "note no golden hashes for build kind $kind; checked thread independence only:"
  cat h1.txt
fi
exit $fail
