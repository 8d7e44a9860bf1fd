#!/bin/sh
# rank writes OUT.html, one self-contained page (issue 15 item 9): no reference to anything
# outside the file, every position's row with both partners and its drawing, the phenotype
# rankings and the claim comparison; the page parses as well-formed HTML and (where Debian's
# chromium is installed, as tools/bootstrap test does) loads in headless Chromium without errors,
# its DOM holding every position's drawing.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
"$sl" rank -q -o r.h5 >out.txt 2>err.txt || { echo "FAIL rank: $(cat err.txt)"; exit 1; }
[ -s r.html ] || { echo "FAIL no r.html"; exit 1; }
npos=$(ls "$src"/scenarios/positions/*.yaml | wc -l)
py=$(command -v /usr/bin/python3 || command -v python3)
"$py" - r.html "$npos" <<'PY' || fail=1
import html, re, sys, html.parser
path, npos = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
VOID = {"meta", "br", "img", "hr", "input", "link"}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.bad, self.svg, self.rows, self.ext = [], [], 0, 0, []
        self.ids, self.titles, self.data_to = [], [], None
    def handle_starttag(self, tag, attrs):
        if tag == "svg": self.svg += 1
        if tag == "title" and "svg" in self.stack: self.data_to = self.titles; self.titles.append("")
        for k, v in attrs:
            if k == "id": self.ids.append(v)
        if tag == "tr": self.rows += 1
        for k, v in attrs:
            if k in ("src", "href") and v and not v.startswith("#"): self.ext.append(v)
        if tag not in VOID: self.stack.append(tag)
    def handle_data(self, data):
        if self.data_to is not None: self.data_to[-1] += data
    def handle_startendtag(self, tag, attrs):
        for k, v in attrs:
            if k == "id": self.ids.append(v)
            if k in ("src", "href") and v and not v.startswith("#"): self.ext.append(v)
    def handle_endtag(self, tag):
        if tag == "title": self.data_to = None
        if tag in VOID: return
        if not self.stack or self.stack[-1] != tag: self.bad.append(tag)
        else: self.stack.pop()
p = P(); p.feed(text); p.close()
ok = True
def fail(msg):
    global ok; ok = False; print("FAIL " + msg)
if p.bad or p.stack: fail("not well-formed: unmatched %s, unclosed %s" % (p.bad[:3], p.stack[:3]))
if p.ext: fail("refers outside the page: %s" % p.ext[:3])
if p.svg != npos: fail("%d drawings, want %d" % (p.svg, npos))
for want in ("both partners", "Rankings by clinical phenotype", "claimed safe", "warned against"):
    if want not in text: fail("no '%s'" % want)
if text.count("<td class=\"fig\"><svg") != npos: fail("not every position's row holds its drawing")
# each drawing carries its position's title (cairo draws the text as glyph outlines, so the title
# is the drawing's <title>), and the drawings' ids (glyphs, clips) are unique on the page
rows = re.findall(r'<tr><td>[^<]*</td><td>([^<]*)</td>.*?<td class="fig"><svg[^>]*>\s*<title>([^<]*)</title>', text)
if len(rows) != npos: fail("%d rows with a titled drawing, want %d" % (len(rows), npos))
for cell, title in rows:
    if html.unescape(cell) != html.unescape(title): fail("row '%s' holds the drawing of '%s'" % (cell, title))
if len(p.titles) != npos: fail("%d drawing titles, want %d" % (len(p.titles), npos))
dup = {i for i in p.ids if p.ids.count(i) > 1}
if dup: fail("ids used more than once on the page: %s" % sorted(dup)[:3])
if not p.ids: fail("no ids: the drawings' glyphs are not shared")
if ok: print("ok   r.html: well-formed, self-contained, %d positions with drawings" % npos)
sys.exit(0 if ok else 1)
PY
if command -v chromium >/dev/null 2>&1; then
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --dump-dom "file://$work/r.html" >dom.html 2>chrome.err || { echo "FAIL chromium: exit $?"; fail=1; }
  n=$(grep -o "<svg" dom.html | wc -l)
  [ "$n" = "$npos" ] || { echo "FAIL chromium's DOM holds $n drawings, want $npos"; fail=1; }
  grep -i -e "failed to load" -e "uncaught" -e "console(" chrome.err && { echo "FAIL the page logged errors"; fail=1; }
  [ $fail = 0 ] && echo "ok   loads in headless chromium: $n drawings, no errors"
else
  echo "note chromium is not installed: the page was checked by the parser only"
fi
exit $fail
