#!/bin/sh
# stdout and stderr into one log keep their order (issue 15 item 4: 'rank > log 2>&1' used to
# print "Standinspineload: wrote ...g, partner lifted"): every message on stderr comes after what
# stdout printed before it, so no line is cut by one; --quiet hides progress only, never results
# or errors.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
cut_lines() {  # lines where a "spineload:" message starts after other text
  grep -n '.spineload: ' "$1" | grep -v '^[0-9]*:spineload: ' || true
}
# a failure after the summary was printed (the tables cannot be written): the error is the last
# line, the summary whole before it
"$sl" rank -o /nonexistent_dir/x.h5 >log1.txt 2>&1
rc=$?
[ $rc = 2 ] || { echo "FAIL rank into a missing directory: exit $rc"; fail=1; }
[ -n "$(cut_lines log1.txt)" ] && { echo "FAIL a message cuts a line:"; cut_lines log1.txt; fail=1; }
tail -1 log1.txt | grep -q "^spineload: error: .*nonexistent_dir" || { echo "FAIL the error is not the last line:"; tail -3 log1.txt; fail=1; }
grep -q "^- Standing, partner lifted and carried (warned against): rank 16" log1.txt || { echo "FAIL the summary is not whole"; fail=1; }
"$sl" rank -o /nonexistent_dir/x.h5 >o.txt 2>/dev/null
head -c "$(wc -c <o.txt)" log1.txt | cmp -s - o.txt || { echo "FAIL stdout in the log is not the summary, whole, first"; fail=1; }
[ $fail = 0 ] && echo "ok   rank > log 2>&1 with an error: summary whole, then the error"
# success: 'wrote' last
"$sl" rank -o r.h5 >log2.txt 2>&1 || { echo "FAIL rank"; fail=1; }
[ -n "$(cut_lines log2.txt)" ] && { echo "FAIL a message cuts a line:"; cut_lines log2.txt; fail=1; }
tail -1 log2.txt | grep -q "^spineload: wrote r.h5, r.md, r.csv, r.html$" || { echo "FAIL 'wrote' is not the last line"; tail -2 log2.txt; fail=1; }
# run: its note after its table
scen=$src/scenarios/examples/basic.yaml
"$sl" run "$scen" -o b.h5 >log3.txt 2>&1 || { echo "FAIL run"; fail=1; }
head -1 log3.txt | grep -q "^posture " || { echo "FAIL run: the table does not come first"; head -2 log3.txt; fail=1; }
tail -1 log3.txt | grep -q "^spineload: 4 postures of 'basic' -> b.h5" || { echo "FAIL run: the note is not last"; fail=1; }
[ $fail = 0 ] && echo "ok   rank and run logs in order"

# --quiet: results on stdout stay, progress goes
"$sl" rank -q -o q.h5 >q.txt 2>q.err || { echo "FAIL rank -q"; fail=1; }
# (only the positions' geometry warnings, which -q does not hide)
[ -n "$(grep -v '^spineload: warning: ' q.err)" ] && { echo "FAIL rank -q wrote to stderr: $(cat q.err)"; fail=1; }
cmp -s q.txt o.txt || { echo "FAIL rank -q hides or changes results"; fail=1; }
"$sl" run "$scen" -o bq.h5 --quiet >rq.txt 2>rq.err || { echo "FAIL run --quiet"; fail=1; }
[ -s rq.err ] && { echo "FAIL run --quiet wrote to stderr"; fail=1; }
[ "$(wc -l <rq.txt)" = 5 ] || { echo "FAIL run --quiet: the table is hidden ($(wc -l <rq.txt) lines)"; fail=1; }
# errors are never hidden
"$sl" run "$scen" -o bq2.h5 --quiet --set subject.mass_kg=-5 2>qe.err
[ $? = 2 ] && grep -q "spineload: error:" qe.err || { echo "FAIL --quiet hid an error"; fail=1; }
[ $fail = 0 ] && echo "ok   --quiet hides progress only"
exit $fail
