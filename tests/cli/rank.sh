#!/bin/sh
# rank: the safety table and the claim comparison are printed, HDF5 + markdown + CSV written,
# the result does not depend on the order of the files, and a malformed position is a clear
# error with exit status 2 and no output.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
a=$src/tests/data/positions/side_left.yaml
b=$src/tests/data/positions/side_right.yaml
"$sl" rank "$a" "$b" -o one.h5 >one.txt 2>err.txt || { echo "FAIL rank exit $?"; cat err.txt; exit 1; }
for f in one.h5 one.md one.csv; do [ -s $f ] || { echo "FAIL $f missing"; fail=1; }; done
grep -q "popular claim" one.txt || { echo "FAIL no claim comparison"; fail=1; }
grep -q "| 1 |" one.txt || { echo "FAIL no table"; fail=1; }
[ "$(wc -l <one.csv)" = 5 ] || { echo "FAIL csv rows: $(wc -l <one.csv)"; fail=1; }
"$sl" rank "$b" "$a" -o two.h5 -q || { echo "FAIL rank (reversed)"; exit 1; }
cmp -s one.csv two.csv || { echo "FAIL ranking depends on the file order"; diff one.csv two.csv; fail=1; }
cmp -s one.md two.md || { echo "FAIL markdown depends on the file order"; fail=1; }
# thread count does not change a bit of the table
"$sl" rank "$a" "$b" -o three.h5 -q --threads 1 && cmp -s one.csv three.csv || { echo "FAIL threads"; fail=1; }
# malformed position
sed 's/  - name: back/  - name: back\n    colour: blue/' "$a" >bad.yaml
sed -i "s#body: ../../../models/#body: $src/models/#" bad.yaml
"$sl" rank bad.yaml -o bad.h5 2>bad.txt
rc=$?
[ $rc = 2 ] || { echo "FAIL malformed: exit $rc"; fail=1; }
grep -q "bad.yaml:[0-9]*:[0-9]*: unknown key 'colour'" bad.txt || { echo "FAIL malformed message"; cat bad.txt; fail=1; }
ls bad.* | grep -q -v -e bad.yaml -e bad.txt && { echo "FAIL output left behind: $(ls bad.*)"; fail=1; }
# the file explains itself: every input file (positions, the model chain and its muscle tables)
# and the solver and cycle settings under /meta
files=$(h5ls one.h5/meta/files)
for want in adult_male.yaml adult_female.yaml lumbar_spine.yaml trunk_muscles.csv trunk_muscle_points.csv; do
  echo "$files" | grep -q "_$want " || { echo "FAIL /meta/files has no $want"; fail=1; }
done
[ "$(echo "$files" | grep -c lumbar_spine.yaml)" = 1 ] || { echo "FAIL a model file is kept twice"; fail=1; }
h5dump -a /meta/solver one.h5 | grep -q "criterion p2" || { echo "FAIL /meta/solver"; fail=1; }
h5dump -a /meta/motion one.h5 | grep -q "1.50 Hz, 16 samples" || { echo "FAIL /meta/motion"; fail=1; }
[ $fail = 0 ] && echo ok
exit $fail
