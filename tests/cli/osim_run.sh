#!/bin/sh
# An imported OpenSim model runs the ranking, the validation and a sweep (issue 11): the Pose2Sim model of the
# shared sources, imported, completed with the shipped model's sections that an OpenSim file does
# not hold (mass fractions, joint strengths, passive tissue, disc, abdominal wall, IAP,
# landmarks), with its own masses (scaling: none), as the two bodies of spooning.
set -u
sl=$1 src=$2 work=$3
p2s=${SL_SHARED_SOURCES:-/work/shared/sources}/perfanalytics_pose2sim/Model_Pose2Sim_muscles_flex.osim
if [ ! -r "$p2s" ]; then
  [ "${SL_NO_SHARED_SOURCES:-}" = 1 ] && { echo "skip: SL_NO_SHARED_SOURCES=1"; exit 0; }
  echo "FAIL $p2s is missing (set SL_NO_SHARED_SOURCES=1 where the sources are not provided)"
  exit 1
fi
rm -rf "$work" && mkdir -p "$work/lib" && cd "$work" || exit 1
fail=0
"$sl" model import "$p2s" -o imp --omit=contact,wrapping,limb_muscles -q ||
  { echo "FAIL import"; exit 1; }
# the shipped file's top-level sections that complete the import
awk '/^[a-z_]+:/ { k = $1; sub(":", "", k)
       keep = (k == "mass_fractions" || k == "joint_strength" || k == "passive" || k == "disc" ||
               k == "abdominal_wall" || k == "iap" || k == "landmarks") }
     /^[^ #-]/ && !/^[a-z_]+:/ { keep = 0 }
     keep' "$src/models/lumbar_spine.yaml" >sections.yaml
{ printf 'format: spineload-model/1\nname: completed\nbase: imp/model.yaml\n'; cat sections.yaml; } >completed.yaml
printf 'format: spineload-model/1\nname: imported_male\nbase: completed.yaml\nsubject: {sex: male, mass_kg: 84.9, height_m: 1.765, scaling: none}\n' >male.yaml
printf 'format: spineload-model/1\nname: imported_female\nbase: completed.yaml\nsubject: {sex: female, mass_kg: 64.2, height_m: 1.649, scaling: none}\n' >female.yaml
sed "s#../../models/adult_male.yaml#$work/male.yaml#; s#../../models/adult_female.yaml#$work/female.yaml#" \
  "$src/scenarios/positions/spooning.yaml" >lib/spooning.yaml
grep -q "$work/male.yaml" lib/spooning.yaml && grep -q "$work/female.yaml" lib/spooning.yaml ||
  { echo "FAIL the position does not name the imported bodies"; fail=1; }
"$sl" model check male.yaml >check.txt 2>&1 || { echo "FAIL model check"; cat check.txt; fail=1; }
# the ranking: both partners converge, with a load index in a plausible band (the shipped model
# gives 0.24 and 0.33)
"$sl" rank lib/spooning.yaml -o rk -q >rank.txt 2>&1 || { echo "FAIL rank"; tail -5 rank.txt; fail=1; }
n=$(awk -F, 'NR > 1 && $2 == "spooning" && $13 > 0.1 && $13 < 0.6 && $(NF - 1) == 0' rk.csv | wc -l)
[ "$n" = 2 ] || { echo "FAIL rank rows: $n of 2 plausible"; cat rk.csv; fail=1; }
# the validation postures on the imported body: every posture converges, with a correlation
# that says the model orders them (the shipped model gives r = 0.99)
sed "s#^body: .*#body: $work/male.yaml#" "$src/scenarios/validation/wilke.yaml" >wilke.yaml
"$sl" validate wilke.yaml "$src/scenarios/validation/wilke_measured.csv" -q >validate.txt 2>&1 ||
  { echo "FAIL validate"; tail -5 validate.txt; fail=1; }
n=$(grep -c '| converged |$' validate.txt)
[ "$n" = 8 ] || { echo "FAIL validate: $n of 8 postures converged"; cat validate.txt; fail=1; }
awk '/^Pearson r = / { r = $4 + 0; if (r < 0.9) bad = 1 } END { exit bad }' validate.txt ||
  { echo "FAIL validate: $(grep '^Pearson' validate.txt)"; fail=1; }
# a sweep over body mass and frequency, and its report
cat >sw.yaml <<YAML
format: spineload-sweep/1
name: imported
library: lib
positions: all
design: {type: grid}
parameters:
  - {path: body.mass_kg, values: [60, 90]}
  - {path: motion.frequency_hz, values: [1.0, 2.0]}
set: {motion.samples: 4}
block: 2
YAML
"$sl" sweep sw.yaml -o sw.h5 -q --threads 2 || { echo "FAIL sweep"; fail=1; }
"$sl" report sw.h5 >report.txt 2>&1 || { echo "FAIL report"; fail=1; }
grep -q '^8 rows .* 0 flagged .* 0 without a result' report.txt ||
  { echo "FAIL sweep rows"; tail -3 report.txt; fail=1; }
[ $fail = 0 ] && echo "ok   an imported OpenSim model ranks spooning, runs the validation and a sweep"
exit $fail
