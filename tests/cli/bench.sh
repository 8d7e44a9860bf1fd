#!/bin/sh
# bench's figures for tracking (issue 14 items 3 and 5): --format csv is one table (a header, six
# timed rows and a stage profile with positive operation counts and the peak they are measured
# against); a committed file for this machine (tests/bench/MACHINE.csv, found from the working
# directory first) gives a ratio line for every timed row; a bad --format is exit 2, saying why.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
bad() { echo "FAIL $1"; fail=1; }
ok() { echo "ok   $1"; }

"$sl" bench 100 -q --format csv >a.csv 2>a.err || bad "bench --format csv: exit $?"
head -1 a.csv | grep -q "^machine,revision,model,case,stage,threads,postures,seconds,postures_per_s,flops_per_posture,gflops,percent_of_peak,peak_gflops,blas_core,postures_per_s_per_peak_gflops,ratio_to_committed$" &&
  ok "csv header" || bad "csv header: $(head -1 a.csv)"
[ "$(wc -l <a.csv)" = 19 ] && ok "csv: 6 timed rows and 12 stage rows" || bad "csv rows: $(wc -l <a.csv)"
# every row has the header's 16 fields; timed rows have stage all, stage rows positive counts
awk -F, 'NR > 1 && NF != 16 { exit 1 }' a.csv && ok "csv: 16 fields a row" || bad "csv fields"
[ "$(awk -F, 'NR > 1 && $5 == "all"' a.csv | wc -l)" = 6 ] || bad "csv: timed rows"
awk -F, 'NR > 1 && $5 != "all" && !($10 > 0 && $11 > 0 && $13 > 0) { exit 1 }' a.csv &&
  ok "csv: stage rows count operations and GFLOP/s" || bad "csv: stage rows $(cat a.csv)"
# (this machine may have figures in the source tree: then the ratios are there instead)
grep -q "no committed figures for machine" a.err || grep -q "^  ratio thrust_cycle" a.err &&
  ok "the comparison on stderr (no committed file, or the ratios)" || bad "stderr: $(cat a.err)"

# a committed file for this machine: the ratio to it, one line per timed row
machine=$(sed -n 2p a.csv | cut -d, -f1)
mkdir -p tests/bench && cp a.csv "tests/bench/$machine.csv"
"$sl" bench 100 -q >b.txt 2>b.err || bad "bench with a committed file: exit $?"
[ "$(grep -c '^  ratio .* [0-9]\.[0-9][0-9][0-9]$' b.txt)" = 6 ] && grep -q "tests/bench/$machine.csv" b.txt &&
  ok "ratio to the committed figures, every timed row" || bad "ratios: $(cat b.txt)"
grep -q "^peak: OpenBLAS dgemm" b.txt && grep -q "GFLOP/s" b.txt && grep -q "of peak" b.txt &&
  ok "text: the peak and each stage's share of it" || bad "text peak: $(cat b.txt)"
"$sl" bench 100 -q --format csv >c.csv 2>c.err
grep -q "^  ratio thrust_cycle" c.err && awk -F, 'NR > 1 && $5 == "all" && !($16 > 0) { exit 1 }' c.csv &&
  ok "csv: ratios in the table and on stderr" || bad "csv ratios: $(cat c.err)"

"$sl" bench 100 --format xml >x.txt 2>x.err
rc=$?
[ $rc = 2 ] && grep -q "format must be md or csv, got 'xml'" x.err && [ ! -s x.txt ] &&
  ok "bad --format: exit 2, says why" || bad "bad --format: exit $rc, $(cat x.err)"
exit $fail
