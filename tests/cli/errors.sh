#!/bin/sh
# Bad input: clear message with a location, exit status 2, no output file, nothing clobbered.
# usage: errors.sh SPINELOAD SOURCE_DIR WORK_DIR
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
check() {  # check NAME EXPECTED_STATUS PATTERN -- command...
  name=$1 want=$2 pat=$3
  shift 4
  "$@" >out.txt 2>err.txt
  got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit $got, expected $want"; cat err.txt; fail=1; return
  fi
  if [ -n "$pat" ] && ! grep -q -- "$pat" err.txt out.txt; then
    echo "FAIL $name: message lacks '$pat'"; cat err.txt; fail=1; return
  fi
  echo "ok   $name"
}
scen=$src/scenarios/examples/basic.yaml
cp "$scen" good.yaml
sed -i "s#body: ../../models/#body: $src/models/#" good.yaml

# unknown key, with file:line:col
sed 's/    root: sitting/    root: sitting\n    colour: blue/' good.yaml >unknown_key.yaml
check unknown_key 2 "unknown_key.yaml:[0-9]*:[0-9]*: unknown key 'colour'" -- "$sl" run unknown_key.yaml -o a.h5
# wrong type
sed 's/lumbar: {flexion_deg: 30}/lumbar: {flexion_deg: thirty}/' good.yaml >wrong_type.yaml
check wrong_type 2 "wrong_type.yaml:[0-9]*:[0-9]*:.*flexion_deg" -- "$sl" run wrong_type.yaml -o a.h5
# out of range in a file: the key, the value and the allowed range
sed 's/lumbar: {flexion_deg: 30}/lumbar: {flexion_deg: 300}/' good.yaml >range.yaml
check range_file 2 "flexion_deg' = 300 is outside the allowed range" -- "$sl" run range.yaml -o a.h5
# out of the model's range of motion
sed 's/lumbar: {flexion_deg: 30}/lumbar: {flexion_deg: 120}/' good.yaml >rom.yaml
check range_of_motion 2 "rom.yaml:[0-9]*:[0-9]*: posture .standing_flexed_30.: total lumbar flexion 120 deg" -- "$sl" run rom.yaml -o a.h5
# out of range from the command line
check range_set 2 "mass_kg' = -5 is outside the allowed range \[20, 300\] kg" -- "$sl" run good.yaml -o a.h5 --set subject.mass_kg=-5
check nan_set 2 "mass_kg" -- "$sl" run good.yaml -o a.h5 --set subject.mass_kg=nan
check unknown_set 2 "unknown key 'colour'" -- "$sl" run good.yaml -o a.h5 --set subject.colour=blue
# run options (the option table): the key and what is allowed, at --set KEY or file:line:col
check solver_set 2 "^spineload: error: --set solver.criterion: key 'solver.criterion' = 'foo' is not one of: p2, p3, minmax" -- "$sl" run good.yaml -o a.h5 --set solver.criterion=foo
check solver_set_int 2 "--set solver.maxiter: .*-1 is outside the allowed range \[1, 100000\]" -- "$sl" run good.yaml -o a.h5 --set solver.maxiter=-1
sed 's/^postures:/solver: {criterion: foo}\npostures:/' good.yaml >solver_file.yaml
check solver_file 2 "solver_file.yaml:[0-9]*:[0-9]*: key 'criterion' = 'foo' is not one of: p2, p3, minmax" -- "$sl" run solver_file.yaml -o a.h5
sed 's/^postures:/solver: {p: 3}\npostures:/' good.yaml >solver_p.yaml
check solver_p 0 "" -- "$sl" run solver_p.yaml -o p.h5 -q
check motion_in_run 2 "--set motion.samples: 'motion.samples' is an option of position files" -- "$sl" run good.yaml -o a.h5 --set motion.samples=4
pos=$src/scenarios/positions/spooning.yaml
check motion_set 2 "--set motion.samples: key 'motion.samples' = 0 is outside the allowed range \[1, 1000\]" -- "$sl" draw "$pos" -o a.svg --set motion.samples=0
check motion_strategy 2 "--set motion.strategy: key 'motion.strategy' = 'x' is not one of: hip, spine, mixed, auto" -- "$sl" draw "$pos" -o a.svg --set motion.strategy=x
# missing files
check missing_scenario 2 "no_such.yaml" -- "$sl" run no_such.yaml -o a.h5
sed "s#body: .*#body: $src/models/no_such_model.yaml#" good.yaml >missing_model.yaml
check missing_model 2 "no_such_model.yaml" -- "$sl" run missing_model.yaml -o a.h5
# negative and NaN masses in a model file
mkdir -p m && cp "$src"/models/*.yaml "$src"/models/*.csv m/
sed -i '0,/mass_kg: 11.777/s//mass_kg: -11.777/' m/lumbar_spine.yaml
sed "s#body: .*#body: $work/m/adult_male.yaml#" good.yaml >negmass.yaml
check negative_mass 2 "lumbar_spine.yaml:[0-9]*:[0-9]*: key 'mass_kg' = -11.777 is outside" -- "$sl" run negmass.yaml -o a.h5
sed -i 's/mass_kg: -11.777/mass_kg: .nan/' m/lumbar_spine.yaml
check nan_mass 2 "lumbar_spine.yaml:[0-9]*:[0-9]*:.*mass_kg" -- "$sl" run negmass.yaml -o a.h5
check model_check_lists 2 "error" -- "$sl" model check m/adult_male.yaml
# syntax error
printf 'format: spineload-scenario/1\npostures: [\n' >syntax.yaml
check syntax 2 "syntax.yaml:[0-9]*:[0-9]*" -- "$sl" run syntax.yaml -o a.h5
# usage
check unknown_option 2 "unknown option" -- "$sl" run good.yaml --frobnicate
check unknown_command 2 "unknown command" -- "$sl" frobnicate
check no_output 2 "needs an output file" -- "$sl" run good.yaml

# no partial output file after any of the failures above
if ls a.h5* >/dev/null 2>&1; then echo "FAIL partial output left: $(ls a.h5*)"; fail=1; else echo "ok   no partial output"; fi
# an existing output is never clobbered by a failed run
printf 'precious\n' >keep.h5
check keep_existing 2 "" -- "$sl" run range.yaml -o keep.h5
if [ "$(cat keep.h5)" = precious ] && ! ls keep.h5.tmp* >/dev/null 2>&1; then echo "ok   existing output kept"; else echo "FAIL existing output changed"; fail=1; fi
# an unwritable output location fails cleanly
check unwritable 2 "" -- "$sl" run good.yaml -o /nonexistent_dir/x.h5
# ... for every command that writes (an output that cannot be created is bad input: exit 2)
"$sl" run good.yaml -o r.h5 -q && "$sl" rank "$src/tests/data/positions" -o rk.h5 -q || fail=1
check unwritable_draw 2 "/nonexistent_dir/x.svg: cannot create" -- "$sl" draw "$src/tests/data/positions/side_left.yaml" -o /nonexistent_dir/x.svg
check unwritable_report 2 "/nonexistent_dir/x.md: cannot create" -- "$sl" report rk.h5 -o /nonexistent_dir/x.md
check unwritable_plots 2 "/nonexistent_dir/p: cannot create the directory" -- "$sl" report rk.h5 --plots /nonexistent_dir/p
check unwritable_rank 2 "" -- "$sl" rank "$src/tests/data/positions" -o /nonexistent_dir/x.h5 -q
# and a good run replaces it atomically
check good_run 0 "" -- "$sl" run good.yaml -o keep.h5 -q
if [ "$(head -c 8 keep.h5)" = precious ]; then echo "FAIL good run did not write"; fail=1; fi
exit $fail
