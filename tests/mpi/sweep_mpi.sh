#!/bin/sh
# mpirun -n 2 spineload sweep writes one file with the same content as the serial run.
# usage: sweep_mpi.sh MPIEXEC SPINELOAD SOURCE_DIR WORK_DIR
set -u
mpiexec=$1 sl=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
sweep=$src/tests/data/sweep_resume.yaml
"$sl" sweep "$sweep" -o serial.h5 -q --threads 1 || { echo "FAIL serial run"; exit 1; }
"$mpiexec" -n 2 --oversubscribe "$sl" sweep "$sweep" -o mpi.h5 -q --threads 1 || { echo "FAIL mpirun -n 2"; exit 1; }
fail=0
for d in params metrics index status; do
  h5diff -q serial.h5 mpi.h5 /sweep/$d /sweep/$d || { echo "FAIL /sweep/$d differs"; fail=1; }
done
[ $fail = 0 ] && echo "ok   mpirun -n 2 == serial"
exit $fail
