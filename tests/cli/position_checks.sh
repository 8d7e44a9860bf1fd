#!/bin/sh
# Custom positions are checked (issue 15 item 5): a support with nothing under it and a partner
# contact whose landmarks are far apart are reported by rank with the role, the landmark and the
# distance (warnings on stderr, also with -q, and in the .md file); draw draws no surface under a
# floating support.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
# the standard missionary with the top partner's head "resting" on nothing and a contact of the
# top's forehead with the bottom's knee
sed "s#body: ../../models/#body: $src/models/#; s#^      - {landmark: elbow_r, normal: \[0, 1, 0\], mu: 0.5}#&\n      - {landmark: head_back, normal: [0, 1, 0], mu: 0.5}#" \
  "$src/scenarios/positions/missionary.yaml" >custom.yaml
echo "  - {role: top, landmark: forehead, other: bottom, other_landmark: knee_r, normal: [1, 0, 0], mu: 0.3}" >>custom.yaml
"$sl" rank custom.yaml -q -o custom.h5 >out.txt 2>err.txt || { echo "FAIL rank custom.yaml: exit $?"; cat err.txt; exit 1; }
grep -q "warning: custom.yaml: role 'top', support 'head_back': 0\.[0-9]* m above the floor and alone at its height" err.txt ||
  { echo "FAIL no floating-support warning"; cat err.txt; fail=1; }
grep -q "warning: custom.yaml: contact of role 'top' landmark 'forehead' with role 'bottom' landmark 'knee_r': the landmarks are 1\.[0-9]* m apart" err.txt ||
  { echo "FAIL no far-contact warning"; cat err.txt; fail=1; }
[ "$(grep -c warning err.txt)" = 2 ] || { echo "FAIL expected 2 warnings"; cat err.txt; fail=1; }
grep -q "^## Checks of the positions' geometry" custom.md && grep -q "support 'head_back'" custom.md ||
  { echo "FAIL the .md file has no checks section"; fail=1; }
# the position as written: no warnings
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/positions/missionary.yaml" >plain.yaml
"$sl" rank plain.yaml -q -o plain.h5 >/dev/null 2>perr.txt || { echo "FAIL rank plain.yaml"; fail=1; }
grep -q warning perr.txt && { echo "FAIL warnings for the position as written: $(cat perr.txt)"; fail=1; }
# draw: no raised surface (a light block, #ececec: cairo writes it as percentages) invented under
# the floating head
block='fill:rgb(92.54902%,92.54902%,92.54902%)'
"$sl" draw custom.yaml -o custom.svg -q || { echo "FAIL draw"; fail=1; }
grep -q "$block" custom.svg && { echo "FAIL draw invents a block under a floating support"; fail=1; }
# edge-of-bed sitting does stand on a raised bed: its blocks stay
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/positions/edge_of_bed.yaml" >edge.yaml
"$sl" draw edge.yaml -o edge.svg -q && grep -q "$block" edge.svg || { echo "FAIL the bed edge lost its block"; fail=1; }
[ $fail = 0 ] && echo "ok   floating supports and far partner contacts reported; no invented surface"
exit $fail
