#!/bin/sh
# What the command line shows (issue 15 item 4): rank takes a library position by name and lists
# the names for an unknown one; model info lists landmarks and coordinate ranges; a --set that
# changes nothing is an error saying why; validate --format csv is one table; bench shows
# progress (hidden by --quiet); report counts a rank file's flagged rows.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# rank by name
"$sl" rank spooning -o sp.h5 -q >sp.txt 2>sp.err || { bad "rank spooning: $(cat sp.err)"; }
[ "$(wc -l <sp.csv)" = 3 ] && [ "$(cut -d, -f2 sp.csv | sort -u | grep -c spooning)" = 1 ] &&
  grep -q "^| 1 | Spooning | claimed safe |" sp.txt && ok "rank spooning ranks the library's spooning" ||
  bad "rank spooning: $(cat sp.csv)"
"$sl" rank spooning missionary -o two.h5 -q >/dev/null && [ "$(wc -l <two.csv)" = 5 ] &&
  ok "rank spooning missionary" || bad "rank spooning missionary"
"$sl" rank spoon -o no.h5 >no.txt 2>no.err
rc=$?
if [ $rc = 2 ] && grep -q "cannot find position 'spoon'" no.err && grep -q "are: edge_of_bed, missionary, .*spooning" no.err &&
  ! ls no.* 2>/dev/null | grep -q -v -e no.txt -e no.err; then
  ok "rank spoon: exit 2, lists the library's names, no output"
else
  bad "rank spoon: exit $rc: $(cat no.err)"
fi

# model info: landmarks and coordinate ranges
m=$src/models/adult_male.yaml
"$sl" model info "$m" >info.txt || bad "model info"
nl=$(grep -c '^  - {name: .*segment:.*pos_m' "$src/models/lumbar_spine.yaml")
grep -q "^$nl landmarks (for supports and contacts" info.txt || bad "model info: no landmark list of $nl"
grep -q "^  sacrum_back  *pelvis " info.txt || bad "model info: landmark sacrum_back not listed with its segment"
grep -q "^  hip_flexion_r  *rotation  *-49.85  *150.00 " info.txt || bad "model info: hip_flexion_r range not listed"
nc=$(sed -n 's/^\([0-9]*\) coordinates (range of motion.*/\1/p' info.txt)
[ -n "$nc" ] && [ "$(grep -c -E '^  [a-zA-Z0-9_]+ +(rotation|translation) ' info.txt)" = "$nc" ] ||
  bad "model info: not every coordinate has a range row ($nc)"
[ $fail = 0 ] && ok "model info lists $nl landmarks and $nc coordinate ranges"

# a --set that changes nothing: exit 2, why, no output
scen=$src/scenarios/examples/basic.yaml
"$sl" run "$scen" -o idle.h5 --set segments.torso.mass_kg=30 >/dev/null 2>idle.err
rc=$?
[ $rc = 2 ] && grep -q "^spineload: error: --set segments.torso.mass_kg: .*changes nothing under subject.scaling de_leva" idle.err &&
  [ ! -e idle.h5 ] && ok "--set segments.torso.mass_kg=30 under de Leva: exit 2 with the reason" ||
  bad "idle --set: exit $rc: $(cat idle.err)"
"$sl" run "$scen" -o used.h5 -q --set subject.scaling=none --set segments.torso.mass_kg=30 >/dev/null &&
  ok "... and with subject.scaling=none it is used" || bad "--set segments.torso.mass_kg with scaling none"
"$sl" rank spooning -o idle2.h5 --set segments.torso.mass_kg=30 >/dev/null 2>idle2.err
[ $? = 2 ] && grep -q "changes nothing" idle2.err || bad "rank with an idle --set: $(cat idle2.err)"

# validate --format csv: one table on stdout
"$sl" validate --format csv >v.csv 2>v.err || bad "validate --format csv"
cols=$(head -1 v.csv | awk -F, '{print NF}')
if [ "$(awk -F, -v c="$cols" 'NF != c' v.csv | wc -l)" = 0 ] && ! grep -q -e '^#' -e '^$' v.csv &&
  [ "$(wc -l <v.csv)" -ge 5 ] && grep -q "Pearson r" v.err; then
  ok "validate --format csv: one table ($(wc -l <v.csv) lines x $cols columns), statistics on stderr"
else
  bad "validate --format csv is not one table:"; cat v.csv
fi
"$sl" validate --format csv --explain >/dev/null 2>ve.err
[ $? = 2 ] && grep -q "explain" ve.err || bad "validate --format csv --explain accepted"

# bench: progress on stderr, hidden by --quiet, the results on stdout either way
"$sl" bench 100 >b.txt 2>b.err || bad "bench 100"
grep -q "^spineload: bench: step 1 of 9: thrust_cycle, 1 thread" b.err && grep -q "step 9 of 9" b.err &&
  grep -q "^stage profile" b.txt && ok "bench shows its 9 steps on stderr" || bad "bench progress: $(cat b.err)"
"$sl" bench 100 -q >bq.txt 2>bq.err
[ ! -s bq.err ] && grep -q "^stage profile" bq.txt && ok "bench -q: no progress, results kept" || bad "bench -q"

# report on a rank file counts the flagged rows
"$sl" rank -o all.h5 -q >/dev/null || bad "rank"
"$sl" report all.h5 >rep.md || bad "report"
want=$(awk -F, 'NR > 1 && $(NF-1) > 0' all.csv | wc -l)
grep -q "^$want of 32 rows flagged" rep.md && ok "report counts $want flagged rows of 32" ||
  bad "report flagged count (want $want): $(tail -1 rep.md)"
exit $fail
