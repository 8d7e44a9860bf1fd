#!/bin/sh
# The sweep's progress and what report says about a sweep (issue 15 item 4): after --resume the
# progress bar starts at the blocks already done (not at zero); --progress shows it in a log;
# report warns on an incomplete (stopped) sweep and counts flagged rows and rows without a result.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
sweep=$src/tests/data/sweep_resume.yaml
# a complete small sweep: one progress line per wave with --progress, none without, none with -q
"$sl" sweep "$src/tests/data/sweep_small.yaml" -o s.h5 --progress 2>s.err || { echo "FAIL sweep"; exit 1; }
grep -q '^\[##############################\] 100.0%  32 of 32 units' s.err || { echo "FAIL no progress lines with --progress:"; cat s.err; fail=1; }
grep -q "$(printf '\r')" s.err && { echo "FAIL carriage returns in a log"; fail=1; }
"$sl" sweep "$src/tests/data/sweep_small.yaml" -o s2.h5 2>s2.err
grep -q '\[#' s2.err && { echo "FAIL a progress bar in a log without --progress"; fail=1; }
"$sl" sweep "$src/tests/data/sweep_small.yaml" -o s3.h5 -q --progress 2>s3.err
[ -s s3.err ] && { echo "FAIL -q --progress printed: $(cat s3.err)"; fail=1; }
"$sl" report s.h5 >rs.md 2>rs.err
grep -q "warning" rs.err && { echo "FAIL report warns on a complete sweep: $(cat rs.err)"; fail=1; }
grep -q "^64 rows (one per combination, position and role): 0 flagged" rs.md || { echo "FAIL report counts: $(tail -1 rs.md)"; fail=1; }
[ $fail = 0 ] && echo "ok   --progress lines in a log; report of a complete sweep counts its rows"

# stop a sweep with SIGINT, then resume it with --progress
"$sl" sweep "$sweep" -o i.h5 -q &
pid=$!
n=0
while [ $n -lt 400 ] && [ "$(stat -c %s i.h5.journal 2>/dev/null || echo 0)" -lt 20000 ]; do sleep 0.01; n=$((n + 1)); done
kill -INT $pid
wait $pid
rc=$?
if [ $rc != 130 ]; then
  echo "note the sweep finished before SIGINT (exit $rc): resume not exercised"
  exit $fail
fi
# report on the stopped file: a warning naming the blocks, the report says INCOMPLETE
"$sl" report i.h5 >ri.md 2>ri.err
rc=$?
[ $rc = 0 ] || { echo "FAIL report on an incomplete sweep: exit $rc"; fail=1; }
grep -q "^spineload: warning: i.h5 is an incomplete sweep ([0-9]* of [0-9]* blocks done)" ri.err ||
  { echo "FAIL no warning for an incomplete sweep: $(cat ri.err)"; fail=1; }
grep -q "the sweep is INCOMPLETE" ri.md || { echo "FAIL the report does not say incomplete"; fail=1; }
"$sl" report i.h5 -q >/dev/null 2>riq.err
grep -q "warning: i.h5 is an incomplete sweep" riq.err || { echo "FAIL -q hid the warning"; fail=1; }
"$sl" report i.h5 --format csv >ric.csv 2>/dev/null
grep -q "^# flagged_rows," ric.csv || { echo "FAIL csv report has no flagged count"; fail=1; }
"$sl" sweep "$sweep" -o i.h5 --resume --progress 2>r.err || { echo "FAIL resume"; cat r.err; fail=1; }
done_blocks=$(sed -n 's/^spineload: resuming: \([0-9]*\) of \([0-9]*\) blocks already done$/\1/p' r.err)
all_blocks=$(sed -n 's/^spineload: resuming: \([0-9]*\) of \([0-9]*\) blocks already done$/\2/p' r.err)
first=$(grep -m1 '^\[' r.err)
first_units=$(echo "$first" | sed -n 's/.*%  \([0-9]*\) of \([0-9]*\) units.*/\1/p')
all_units=$(echo "$first" | sed -n 's/.*%  \([0-9]*\) of \([0-9]*\) units.*/\2/p')
# sweep_resume.yaml: 600 units in blocks of 4
if [ -n "$done_blocks" ] && [ "$done_blocks" -gt 0 ] && [ "$all_units" = 600 ] && [ "$all_blocks" = 150 ] &&
  [ "$first_units" -gt $((done_blocks * 4)) ]; then
  echo "ok   resumed at $done_blocks of $all_blocks blocks: the bar starts at $first_units of 600 units"
else
  echo "FAIL the bar after --resume does not count the blocks done ($done_blocks blocks): $first"; fail=1
fi
tail -2 r.err | grep -q '100.0%  600 of 600 units' || { echo "FAIL the bar does not end at 100%"; fail=1; }
exit $fail
