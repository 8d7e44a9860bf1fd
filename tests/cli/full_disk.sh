#!/bin/sh
# A full disk: run, rank and sweep stop with a clear error (exit 1, "No space left on device"),
# do not crash, leave no temporary file and do not touch an output that was already there.
# Needs a small tmpfs (root); elsewhere the test says so and passes without checking.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
mkdir -p disk
if ! mount -t tmpfs -o size=2m tmpfs disk 2>/dev/null; then
  echo "skip cannot mount a tmpfs here (not root?): full-disk behaviour not checked"
  exit 0
fi
trap 'umount "$work/disk" 2>/dev/null' EXIT
dd if=/dev/zero of=disk/fill bs=1k count=1950 2>/dev/null
echo "earlier result" >disk/old.h5
fail=0
check() {  # what, exit code, stderr file, output path
  [ "$2" = 1 ] || { echo "FAIL $1: exit $2 (want 1)"; fail=1; }
  grep -q "No space left on device" "$3" || { echo "FAIL $1: message"; cat "$3"; fail=1; }
  ls disk | grep -q '\.tmp\.' && { echo "FAIL $1: leftover $(ls disk | grep tmp)"; fail=1; }
  [ "$(cat disk/old.h5)" = "earlier result" ] || { echo "FAIL $1: the earlier output was replaced"; fail=1; }
}
"$sl" run "$src/scenarios/examples/basic.yaml" -o disk/old.h5 -q 2>e1.txt
check run $? e1.txt
"$sl" rank "$src/tests/data/positions" -o disk/old.h5 -q 2>e2.txt
check rank $? e2.txt
sed 's/steps: 4/steps: 40/' "$src/tests/data/sweep_small.yaml" >big.yaml
sed -i "s#library: positions#library: $src/tests/data/positions#" big.yaml
"$sl" sweep big.yaml -o disk/old.h5 -q 2>e3.txt
check sweep $? e3.txt
[ $fail = 0 ] && echo "ok   full disk: clear errors, exit 1, nothing left, nothing replaced"
exit $fail
