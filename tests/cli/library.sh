#!/bin/sh
# library: `spineload rank` with no arguments ranks the built-in library: at least 12 positions
# with two roles each, every angle within range, at least 11 positions whose cycle needs no
# reserve or strength beyond a joint's anywhere (kinetic friction and joint strengths make some
# cycles infeasible as prescribed: those rows are flagged, README "Findings"), every position
# named in the claim comparison, and the claimed-safe and warned-against positions present.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
"$sl" rank -o lib.h5 >lib.txt 2>err.txt || { echo "FAIL rank exit $?"; cat err.txt; exit 1; }
rows=$(($(wc -l <lib.csv) - 1))
npos=$(ls "$src"/scenarios/positions/*.yaml | wc -l)
[ "$npos" -ge 12 ] || { echo "FAIL only $npos position files"; fail=1; }
[ "$rows" = $((2 * npos)) ] || { echo "FAIL $rows rows for $npos positions"; fail=1; }
# flagged_samples is the column just before the quoted note at the end of each row; the position
# name is the second column
flagged=$(tail -n +2 lib.csv | grep -v ',0,"[^"]*"$' | cut -d, -f2 | sort -u | wc -l)
clean=$((npos - flagged))
echo "positions without a flagged sample: $clean of $npos"
[ "$clean" -ge 11 ] || { echo "FAIL only $clean positions run without flags"; fail=1; }
for p in spooning modified_missionary edge_of_bed; do
  grep -q "^[0-9]*,$p,.*claimed safe" lib.csv || { echo "FAIL $p not marked claimed safe"; fail=1; }
done
grep -q "warned against" lib.csv || { echo "FAIL no warned-against position"; fail=1; }
n=$(grep -c "^- .*: rank [0-9]*, load index" lib.txt)
[ "$n" = "$npos" ] || { echo "FAIL claim comparison lists $n of $npos positions"; fail=1; }
[ $fail = 0 ] && echo ok
exit $fail
