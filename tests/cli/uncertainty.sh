#!/bin/sh
# rank --uncertainty: the plain part of the outputs is what plain rank writes, the uncertainty
# part is added (printout, markdown, /uncertainty in HDF5, figures), 1 and 2 threads give the same
# file bits for the uncertainty, and bad values are usage errors (exit 2) named where they are.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
a=$src/tests/data/positions/side_left.yaml
b=$src/tests/data/positions/side_right.yaml
s="--set motion.samples=4"
"$sl" rank "$a" "$b" $s -o plain.h5 -q || { echo "FAIL plain rank"; exit 1; }
"$sl" rank "$a" "$b" $s -o unc.h5 --uncertainty 4 --seed 3 --threads 2 --plots figs >unc.txt 2>err.txt ||
  { echo "FAIL rank --uncertainty exit $?"; cat err.txt; exit 1; }
grep -q "Uncertainty: 4 variants (Latin hypercube, seed 3)" unc.txt || { echo "FAIL no summary"; fail=1; }
grep -q "Advice per phenotype and partner" unc.md || { echo "FAIL no advice in the markdown"; fail=1; }
cmp -s plain.csv unc.csv || { echo "FAIL the csv table changed"; fail=1; }
# the markdown starts with the plain file
head -c "$(wc -c <plain.md)" unc.md | cmp -s - plain.md || { echo "FAIL the plain markdown changed"; fail=1; }
for f in uncertainty_load_index uncertainty_ranks uncertainty_sensitivity; do
  [ -s figs/$f.svg ] || { echo "FAIL figs/$f.svg missing"; fail=1; }
  # the positions by their titles (the test copies are titled Spooning), not their ids
  grep -q "^1\. Spooning$\|^Spooning$\|^Spooning / " figs/$f.svg || { echo "FAIL figs/$f.svg: no position title"; fail=1; }
  grep -q "side_left" figs/$f.svg && { echo "FAIL figs/$f.svg names a position by its id"; fail=1; }
done
"$sl" rank "$a" "$b" $s -o png.h5 --uncertainty 2 --plots pfigs --plot-format png -q ||
  { echo "FAIL rank --uncertainty --plot-format png"; fail=1; }
for f in uncertainty_load_index uncertainty_ranks uncertainty_sensitivity; do
  head -c 8 pfigs/$f.png 2>/dev/null | od -c | grep -q "P   N   G" || { echo "FAIL pfigs/$f.png is not a PNG"; fail=1; }
done
"$sl" rank "$a" "$b" $s -o x.h5 --uncertainty 2 --plots xfigs --plot-format gif -q 2>/dev/null; rc=$?
[ $rc = 2 ] || { echo "FAIL --plot-format gif: exit $rc"; fail=1; }
[ -e x.h5 ] && { echo "FAIL output left for --plot-format gif"; fail=1; }
if command -v h5dump >/dev/null; then
  h5dump -d /uncertainty/load_index unc.h5 >li2.txt 2>&1 || { echo "FAIL no /uncertainty/load_index"; fail=1; }
  "$sl" rank "$a" "$b" $s -o one.h5 --uncertainty 4 --seed 3 --threads 1 -q
  h5dump -d /uncertainty/load_index one.h5 >li1.txt 2>&1
  sed -i 's/one.h5/unc.h5/' li1.txt
  cmp -s li1.txt li2.txt || { echo "FAIL 1 and 2 threads differ"; fail=1; }
fi
# usage errors
"$sl" rank "$a" --uncertainty 0 -o x.h5 2>e1.txt; rc=$?
[ $rc = 2 ] && grep -q "uncertainty must be an integer" e1.txt || { echo "FAIL --uncertainty 0: exit $rc"; fail=1; }
"$sl" rank "$a" --seed 4 -o x.h5 2>e2.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL --seed alone: exit $rc"; fail=1; }
sed -e "s#body: ../../../models/#body: $src/models/#" -e 's/lumbar: {flexion_deg: 10}/lumbar: {flexion_deg: 10, sd_deg: -2}/' "$a" >bad.yaml
"$sl" rank bad.yaml -o bad.h5 --uncertainty 2 2>e3.txt; rc=$?
[ $rc = 2 ] && grep -q "bad.yaml:20:[0-9]*: .*sd_deg" e3.txt || { echo "FAIL negative sd_deg: exit $rc"; cat e3.txt; fail=1; }
[ -e bad.h5 ] && { echo "FAIL output left behind"; fail=1; }
[ $fail = 0 ] && echo ok
exit $fail
