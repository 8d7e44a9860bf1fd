#!/bin/sh
# mpirun -n 2 spineload rank --uncertainty N gives the same /uncertainty as one process: each
# process takes every other (variant, position) unit and the results are combined; process 0
# alone prints and writes.
# usage: uncertainty_mpi.sh MPIEXEC SPINELOAD SOURCE_DIR WORK_DIR
set -u
mpiexec=$1 sl=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
args="spooning missionary edge_of_bed --uncertainty 5 --seed 3 --threads 1 -q"
"$sl" rank $args -o serial.h5 >serial.txt || { echo "FAIL serial run"; exit 1; }
"$mpiexec" -n 2 --oversubscribe "$sl" rank $args -o mpi.h5 >mpi.txt || { echo "FAIL mpirun -n 2"; exit 1; }
fail=0
for d in $(h5ls serial.h5/uncertainty | awk '{print $1}'); do
  h5diff -q serial.h5 mpi.h5 /uncertainty/$d /uncertainty/$d || { echo "FAIL /uncertainty/$d differs"; fail=1; }
done
for a in failed_units complete variants seed; do
  x=$(h5dump -a /uncertainty/$a serial.h5 | grep "(0)") y=$(h5dump -a /uncertainty/$a mpi.h5 | grep "(0)")
  [ "$x" = "$y" ] || { echo "FAIL attribute $a: $x vs $y"; fail=1; }
done
# one process printed: the same summary once (the run time differs)
grep -v "seconds\| s)\| s \|took" serial.txt >s.txt
grep -v "seconds\| s)\| s \|took" mpi.txt >m.txt
cmp -s s.txt m.txt || { echo "FAIL the printed summary differs (or was printed twice)"; diff s.txt m.txt | head; fail=1; }
[ $fail = 0 ] && echo "ok   rank --uncertainty: mpirun -n 2 == one process"
exit $fail
