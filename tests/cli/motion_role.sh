#!/bin/sh
# A motion file drives a position role (issue 11): the example position whose standing partner
# takes its poses from scenarios/examples/standing_thrust.mot ranks, and the role's disc loads and
# muscle forces come out as OpenSim storage tables with time, levels and units in the header; a
# motion file with a column the body lacks is an error at its label line (exit 2) that leaves
# nothing behind.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
pos=$src/scenarios/examples/standing_rear_entry_from_motion.yaml
"$sl" rank "$pos" -o rk.h5 -q >rank.txt 2>&1 || { echo "FAIL rank"; tail -5 rank.txt; fail=1; }
sto=rk_standing_rear_entry_from_motion_standing.sto
mus=rk_standing_rear_entry_from_motion_standing_muscle_forces.sto
for f in $sto $mus; do [ -s "$f" ] || { echo "FAIL $f missing"; fail=1; }; done
# header: nRows = the file's 49 frames, inDegrees, units, levels, endheader, then the labels
grep -qx 'nRows=49' "$sto" || { echo "FAIL nRows"; fail=1; }
grep -q '^units: time s; LEVEL_compression' "$sto" || { echo "FAIL units"; fail=1; }
grep -qx 'levels: L5/S1 L4/L5 L3/L4 L2/L3 L1/L2 T12/L1' "$sto" || { echo "FAIL levels"; fail=1; }
labels=$(awk 'seen { print; exit } /^endheader$/ { seen = 1 }' "$sto")
case "$labels" in
  "time	L5_S1_compression	L5_S1_shear_ap	L5_S1_shear_lat	L5_S1_idp	L4_L5_compression"*) ;;
  *) echo "FAIL labels: $labels"; fail=1 ;;
esac
# 49 rows of 25 numbers, times those of the motion file, compression positive
awk -v want=49 'd { n++; if (NF != 25 || $6 <= 0) bad++ } /^time/ && h { d = 1 } /^endheader$/ { h = 1 }
  END { if (n != want || bad) { print "FAIL rows " n " bad " bad; exit 1 } }' "$sto" || fail=1
t_mot=$(awk 'd { print $1 } /^time/ && h { d = 1 } /^endheader$/ { h = 1 }' "$src/scenarios/examples/standing_thrust.mot" | tail -1)
t_sto=$(awk 'd { print $1 } /^time/ && h { d = 1 } /^endheader$/ { h = 1 }' "$sto" | tail -1)
awk -v a="$t_mot" -v b="$t_sto" 'BEGIN { exit !(a - b < 1e-6 && b - a < 1e-6) }' ||
  { echo "FAIL last time: motion $t_mot, table $t_sto"; fail=1; }
ncol=$(awk 'seen { print NF; exit } /^endheader$/ { seen = 1 }' "$mus")
[ "$ncol" = 239 ] || { echo "FAIL muscle table columns: $ncol"; fail=1; }
# the thrust column names the file; the rank file holds the frames' times
grep -q '| standing | file |' rk.md || { echo "FAIL thrust column"; fail=1; }
# a column the body lacks: file:line error, exit 2, no output
mkdir bad && sed 's#\.\./\.\./models/#'"$src"'/models/#' "$src/scenarios/examples/standing_rear_entry_from_motion.yaml" >bad/p.yaml
printf 'x\ninDegrees=yes\nendheader\ntime\tpelvis_tilt\tno_such_joint\n0\t1\t2\n' >bad/standing_thrust.mot
"$sl" rank bad/p.yaml -o bad/out.h5 -q >bad.txt 2>&1
rc=$?
[ "$rc" = 2 ] || { echo "FAIL bad motion exit $rc"; fail=1; }
grep -q 'standing_thrust.mot:4.*no_such_joint' bad.txt || { echo "FAIL message"; cat bad.txt; fail=1; }
[ -z "$(ls bad | grep -v '^p.yaml$\|^standing_thrust.mot$')" ] || { echo "FAIL output left: $(ls bad)"; fail=1; }
[ $fail = 0 ] && echo "ok"
exit $fail
