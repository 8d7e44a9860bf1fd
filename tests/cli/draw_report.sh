#!/bin/sh
# draw and report: an SVG, PDF or PNG (by the extension) of a position with both partners, discs
# and the title; an unknown extension, a missing or malformed position is exit 2 with no file; report prints the ranking of a rank file and
# writes the two plots; a sweep file gets its summary; other files are refused with exit 2.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
pos=$src/scenarios/positions/spooning.yaml
py=$(command -v /usr/bin/python3 || command -v python3)
"$sl" draw "$pos" -o spoon.svg -q || { echo "FAIL draw exit $?"; exit 1; }
head -c 5 spoon.svg | grep -q "<?xml" || { echo "FAIL not an svg"; fail=1; }
# well-formed XML; cairo draws text as glyph outlines, so the figure's text is in its <title>
# and <desc>
"$py" -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' spoon.svg || { echo "FAIL svg does not parse"; fail=1; }
[ "$(grep -c "<path" spoon.svg)" -ge 100 ] || { echo "FAIL too few paths for two figures"; fail=1; }
grep -q "<title>Spooning</title>" spoon.svg || { echo "FAIL no title"; fail=1; }
grep -q "back (male," spoon.svg && grep -q "front (female," spoon.svg || { echo "FAIL roles missing"; fail=1; }
grep -q 'viewBox="0 0 ' spoon.svg || { echo "FAIL no viewBox"; fail=1; }
grep -q "NIOSH limit 3400" spoon.svg || { echo "FAIL no colour bar"; fail=1; }
# a spooning pair lies on its side: the first view is its sagittal view, looking down
grep -q "sagittal view of back (along its pelvis' left-right axis, from above)" spoon.svg || { echo "FAIL no sagittal view from above for spooning"; fail=1; }
grep -q "the lumbar curve" spoon.svg || { echo "FAIL no lumbar curve in the caption"; fail=1; }
# each partner's lumbar curve magnified in an inset of its own, the end levels named
grep -q "^lumbar curve of back$" spoon.svg && grep -q "^lumbar curve of front$" spoon.svg || { echo "FAIL no lumbar insets"; fail=1; }
[ "$(grep -c "^L5/S1$" spoon.svg)" = 2 ] && [ "$(grep -c "^T12/L1$" spoon.svg)" = 2 ] || { echo "FAIL lumbar insets: end levels not named"; fail=1; }
grep -q "^seen from its right, front to the right, x[0-9]*$" spoon.svg || { echo "FAIL lumbar inset: view and magnification"; fail=1; }
# a partner whose sagittal plane differs from the first's by more than 30 degrees (here turned
# onto its back) gets a sagittal view of its own
sed "s#\.\./\.\./\.\./models/#$src/models/#; 0,/root: side_left/! s/root: side_left/root: supine/" \
  "$src/tests/data/positions/side_left.yaml" >mixed.yaml
grep -q "root: supine" mixed.yaml || { echo "FAIL test set-up: mixed.yaml unchanged"; fail=1; }
"$sl" draw mixed.yaml -o mixed.svg -q 2>/dev/null || { echo "FAIL draw mixed.yaml"; fail=1; }
grep -q "^sagittal view of back (along its pelvis' left-right axis, from above)$" mixed.svg &&
  grep -q "^sagittal view of front (along its pelvis' left-right axis)$" mixed.svg || { echo "FAIL mixed: no sagittal view per partner"; fail=1; }
grep -q "sagittal view of front" spoon.svg && { echo "FAIL spooning: a third view though both lie alike"; fail=1; }
# the same drawing as PDF and PNG: chosen by the extension
"$sl" draw "$pos" -o spoon.pdf -q || { echo "FAIL draw pdf exit $?"; fail=1; }
head -c 5 spoon.pdf | grep -q "%PDF-" || { echo "FAIL not a pdf"; fail=1; }
tail -c 8 spoon.pdf | grep -q "%%EOF" || { echo "FAIL pdf not finished"; fail=1; }
"$sl" draw "$pos" -o spoon.png -q || { echo "FAIL draw png exit $?"; fail=1; }
# the PNG signature, and 2 pixels per SVG unit (the SVG's width and height doubled)
"$py" - spoon.png spoon.svg <<'PY' || fail=1
import re, struct, sys
png, svg = open(sys.argv[1], "rb").read(), open(sys.argv[2]).read()
ok = png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
w, h = struct.unpack(">II", png[16:24]) if ok else (0, 0)
m = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
want = (2 * round(float(m.group(1))), 2 * round(float(m.group(2)))) if m else None
if not ok or abs(w - want[0]) > 2 or abs(h - want[1]) > 2:
    print("FAIL png: signature %s, size %dx%d, want %s" % (ok, w, h, want)); sys.exit(1)
PY
# an unknown extension: exit 2, nothing written
"$sl" draw "$pos" -o spoon.jpg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL unknown extension: exit $rc"; fail=1; }
grep -q "\.svg, \.pdf or \.png" err.txt || { echo "FAIL unknown extension message"; cat err.txt; fail=1; }
ls | grep -q "spoon.jpg" && { echo "FAIL output left for an unknown extension"; fail=1; }
# a standing position's first view is level (the floor drawn), and a side-lying position with
# partners facing each other is seen in profile too
"$sl" draw "$src/scenarios/positions/standing_carry.yaml" -o carry.svg -q || { echo "FAIL draw standing_carry"; fail=1; }
grep -q "sagittal view of [a-z]* (along its pelvis' left-right axis)$" carry.svg || { echo "FAIL standing_carry: no level sagittal view"; fail=1; }
grep -q "top view, from above" carry.svg || { echo "FAIL standing_carry: no top view"; fail=1; }
"$sl" draw "$pos" -o named.svg 2>err.txt && grep -q "wrote named.svg" err.txt || { echo "FAIL draw does not name its file"; fail=1; }
# usage and bad input: exit 2, nothing written
"$sl" draw "$pos" 2>/dev/null; [ $? = 2 ] || { echo "FAIL draw without -o"; fail=1; }
"$sl" draw missing.yaml -o m.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL missing file: exit $rc"; fail=1; }
[ -e m.svg ] && { echo "FAIL output left for a missing file"; fail=1; }
# an angle out of range (from the fixed test copy of spooning, so library edits do not matter)
sed "s#\.\./\.\./\.\./models/#$src/models/#; s/hips: {flexion_deg: 40}/hips: {flexion_deg: 400}/" \
  "$src/tests/data/positions/side_left.yaml" >bad.yaml
grep -q "flexion_deg: 400" bad.yaml || { echo "FAIL test set-up: bad.yaml unchanged"; fail=1; }
"$sl" draw bad.yaml -o bad.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL malformed: exit $rc"; fail=1; }
grep -q "bad.yaml:[0-9]*:[0-9]*:" err.txt || { echo "FAIL malformed message"; cat err.txt; fail=1; }
ls | grep -q "^bad.svg" && { echo "FAIL output left behind"; fail=1; }
printf 'format: spineload-position/1\nname: [broken\n' >syntax.yaml
"$sl" draw syntax.yaml -o syntax.svg 2>err.txt; rc=$?
[ $rc = 2 ] || { echo "FAIL YAML syntax error: exit $rc"; fail=1; }
grep -q "syntax.yaml:[0-9]*:[0-9]*:" err.txt || { echo "FAIL syntax error message"; cat err.txt; fail=1; }
ls | grep -q "^syntax.svg" && { echo "FAIL output left for a syntax error"; fail=1; }
# an existing picture survives a failed draw
cp spoon.svg keep.svg
"$sl" draw bad.yaml -o keep.svg 2>/dev/null
cmp -s spoon.svg keep.svg || { echo "FAIL existing file overwritten"; fail=1; }
# report on a rank file
"$sl" rank "$pos" "$src/scenarios/positions/missionary.yaml" -o r.h5 -q || { echo "FAIL rank"; exit 1; }
"$sl" report r.h5 >rep.md || { echo "FAIL report exit $?"; fail=1; }
grep -q "| 1 | .* |" rep.md && grep -q spooning rep.md && grep -q missionary rep.md || { echo "FAIL report table"; cat rep.md; fail=1; }
[ "$(grep -c "^| [0-9]" rep.md)" = 4 ] || { echo "FAIL report rows"; fail=1; }
"$sl" report r.h5 --format csv -o rep.csv -q || { echo "FAIL report csv"; fail=1; }
[ "$(wc -l <rep.csv)" = 5 ] || { echo "FAIL csv rows"; fail=1; }
"$sl" report r.h5 --plots plots >/dev/null 2>err.txt || { echo "FAIL plots exit"; fail=1; }
grep -q "wrote plots/ranking.svg" err.txt && grep -q "wrote plots/profiles.svg" err.txt || { echo "FAIL plot files not named"; cat err.txt; fail=1; }
for p in ranking profiles; do
  "$py" -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' plots/$p.svg || { echo "FAIL plots/$p.svg does not parse"; fail=1; }
done
grep -q "Spooning / back" plots/ranking.svg || { echo "FAIL ranking chart labels (position titles)"; fail=1; }
grep -q "^Spooning$" plots/profiles.svg || { echo "FAIL profile panel titles"; fail=1; }
"$sl" report r.h5 --plots plots --plot-format png >/dev/null 2>err.txt || { echo "FAIL png plots exit"; fail=1; }
for p in ranking profiles; do
  head -c 8 plots/$p.png | od -c | grep -q "P   N   G" || { echo "FAIL plots/$p.png is not a PNG"; fail=1; }
done
"$sl" report r.h5 --plots plots --plot-format pdf -q >/dev/null || { echo "FAIL pdf plots exit"; fail=1; }
head -c 5 plots/ranking.pdf | grep -q "%PDF-" || { echo "FAIL plots/ranking.pdf is not a PDF"; fail=1; }
"$sl" report r.h5 --plots plots --plot-format jpg >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL --plot-format jpg: exit $rc"; fail=1; }
"$sl" report r.h5 --plot-format png >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL --plot-format without --plots: exit $rc"; fail=1; }
# report on a sweep file and on a file that is neither
"$sl" sweep "$src/tests/data/sweep_small.yaml" -o s.h5 -q >/dev/null 2>&1 || { echo "FAIL sweep"; fail=1; }
"$sl" report s.h5 >sw.txt 2>&1 || { echo "FAIL report on a sweep: exit $?"; cat sw.txt; fail=1; }
grep -q "Kendall" sw.txt || { echo "FAIL sweep summary"; cat sw.txt; fail=1; }
"$sl" report s.h5 -o sw.md -q >out.txt || { echo "FAIL sweep report to a file"; fail=1; }
grep -q "Kendall" sw.md && [ ! -s out.txt ] || { echo "FAIL sweep report -o"; fail=1; }
"$sl" run "$src/scenarios/examples/basic.yaml" -o b.h5 -q >/dev/null || { echo "FAIL run"; fail=1; }
"$sl" report b.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a run file: exit $rc"; fail=1; }
echo "not hdf5" >text.h5
"$sl" report text.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a text file: exit $rc"; fail=1; }
"$sl" report nothing.h5 >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "FAIL report on a missing file: exit $rc"; fail=1; }
[ $fail = 0 ] && echo ok
exit $fail
