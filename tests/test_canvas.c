// test_canvas.c: the command's drawing layer over cairo (sim/cli/canvas.c): the format by the
// file's extension, the three outputs (PNG signature and size, PDF header, SVG with its title),
// no file on an unknown extension, the memory SVG's ids prefixed and resolvable, measured text,
// and axis ticks whose labels never overlap.
// covers: canvas
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canvas.h"
#include "testutil.h"

#define TMP(f) SL_TEST_BINARY_DIR "/test_canvas_" f

static char* slurp(const char* path, size_t* n) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* b = malloc((size_t)len + 1);
  if (b && fread(b, 1, (size_t)len, f) != (size_t)len) len = 0;
  fclose(f);
  if (b) b[len] = 0;
  *n = (size_t)len;
  return b;
}

static void scene(Canvas* c) {
  canvas_set_title(c, "A & B");
  canvas_rect(c, 10, 10, 100, 50, "#ececec", "#999");
  canvas_line(c, 0, 0, 200, 100, "#1f5fa8", 2, 1);
  canvas_dashed(c, 0, 100, 200, 0, "#b00000");
  canvas_circle(c, 50, 50, 5, "#fde725", "#222222");
  canvas_ring(c, 80, 50, 9, "#b5651d", 1.5, 0.3);
  double xy[6] = {0, 0, 10, 20, 30, 5};
  canvas_polyline(c, xy, 3, "#222", 1, 1);
  canvas_arrow(c, 100, 90, 160, 90, "#16837a", 1.4);
  canvas_text(c, 20, 40, 11, "start", "#111", "Spooning <both>");
  canvas_text(c, 150, 40, 11, "end", "#111", "L4/L5 599 N");
}

static void test_formats(void** state) {
  (void)state;
  assert_int_equal(canvas_format_of("a.svg"), CANVAS_SVG);
  assert_int_equal(canvas_format_of("dir/a.PDF"), CANVAS_PDF);
  assert_int_equal(canvas_format_of("a.png"), CANVAS_PNG);
  assert_int_equal(canvas_format_of("a.jpg"), -1);
  assert_int_equal(canvas_format_of(".svg"), -1);
  assert_int_equal(canvas_format_of("svg"), -1);
  Canvas c;
  size_t n;
  // PNG: the signature, and 2 pixels per unit
  unlink(TMP("a.png"));
  assert_int_equal(canvas_open(&c, TMP("a.png"), 210, 120), 0);
  scene(&c);
  assert_int_equal(canvas_close(&c), 0);
  unsigned char* png = (unsigned char*)slurp(TMP("a.png"), &n);
  assert_non_null(png);
  assert_true(n > 24);
  assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
  assert_memory_equal(png + 12, "IHDR", 4);
  unsigned w = (unsigned)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
  unsigned h = (unsigned)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
  assert_int_equal(w, 420);
  assert_int_equal(h, 240);
  free(png);
  // PDF: header and end
  assert_int_equal(canvas_open(&c, TMP("a.pdf"), 210, 120), 0);
  scene(&c);
  assert_int_equal(canvas_close(&c), 0);
  char* pdf = slurp(TMP("a.pdf"), &n);
  assert_non_null(pdf);
  assert_memory_equal(pdf, "%PDF-", 5);
  assert_non_null(strstr(pdf + n - 8, "%%EOF"));
  free(pdf);
  // SVG: its size, the title and the text (escaped), in a <title> and <desc>
  assert_int_equal(canvas_open(&c, TMP("a.svg"), 210, 120), 0);
  scene(&c);
  assert_int_equal(canvas_close(&c), 0);
  char* svg = slurp(TMP("a.svg"), &n);
  assert_non_null(svg);
  assert_non_null(strstr(svg, "viewBox=\"0 0 210 120\""));
  assert_non_null(strstr(svg, "<title>A &amp; B</title>"));
  assert_non_null(strstr(svg, "Spooning &lt;both&gt;\nL4/L5 599 N"));
  assert_non_null(strstr(svg, "</svg>"));
  free(svg);
}

// an unknown extension or a directory that does not exist: -1, and no file (nor temporary) left
static void test_errors(void** state) {
  (void)state;
  Canvas c;
  unlink(TMP("b.jpg"));
  assert_int_equal(canvas_open(&c, TMP("b.jpg"), 100, 100), -1);
  assert_int_equal(c.err.code, SL_ERR_ARG);
  assert_int_equal(access(TMP("b.jpg"), F_OK), -1);
  assert_int_equal(canvas_open(&c, TMP("no_such_dir/b.png"), 100, 100), 0);
  scene(&c);
  assert_int_equal(canvas_close(&c), -1);
  assert_int_equal(c.err.code, SL_ERR_IO);
  // an existing figure survives a canvas dropped before it is finished
  assert_int_equal(canvas_open(&c, TMP("a.png"), 10, 10), 0);
  canvas_abort(&c);
  size_t n;
  char*  png = slurp(TMP("a.png"), &n);
  assert_non_null(png);
  assert_int_equal((unsigned char)png[19], 420 & 255);  // still the first test's 420 px
  free(png);
  DIR* d = opendir(SL_TEST_BINARY_DIR);
  assert_non_null(d);
  for (struct dirent* e; (e = readdir(d));)
    if (!strncmp(e->d_name, "test_canvas_", 12) && strstr(e->d_name, ".tmp"))
      fail_msg("temporary file left: %s", e->d_name);
  closedir(d);
}

// the memory SVG: one <svg> element, every id prefixed, every reference resolvable
static void test_memory_svg_ids(void** state) {
  (void)state;
  Canvas c;
  assert_int_equal(canvas_open_svg_memory(&c, 210, 120), 0);
  scene(&c);
  assert_int_equal(canvas_close(&c), 0);
  char* svg = canvas_take(&c, "f7");
  assert_non_null(svg);
  assert_memory_equal(svg, "<svg", 4);
  assert_null(strstr(svg + 1, "<svg"));
  assert_null(strstr(svg, "<?xml"));
  int nid = 0, nref = 0;
  for (const char* p = svg; (p = strstr(p, " id=\"")); p += 5, nid++)
    assert_memory_equal(p + 5, "f7-", 3);
  for (const char* p = svg; (p = strstr(p, "=\"#")); p += 3, nref++) {
    assert_memory_equal(p + 3, "f7-", 3);
    char   id[128];
    size_t k = strcspn(p + 3, "\"");
    assert_true(k < 100);
    snprintf(id, sizeof id, " id=\"%.*s\"", (int)k, p + 3);
    assert_non_null(strstr(svg, id));
  }
  assert_true(nid > 0 && nref > 0);  // the text's glyphs are defined once and used
  free(svg);
}

static void test_text_width(void** state) {
  (void)state;
  double w1 = canvas_text_width(10, "Missionary (standard)");
  double w2 = canvas_text_width(20, "Missionary (standard)");
  assert_true(w1 > 60 && w1 < 160);
  assert_near(w2, 2 * w1, 0.02 * w1, 0);
  assert_true(canvas_text_width(10, "WWWW") > canvas_text_width(10, "iiii"));
  assert_near(canvas_text_width(10, ""), 0, 0, 0);
  char buf[64];
  canvas_fit(10, "Missionary (standard)", 60, buf, sizeof buf);
  assert_true(canvas_text_width(10, buf) <= 60);
  assert_non_null(strstr(buf, "..."));
  canvas_fit(10, "Spooning", 200, buf, sizeof buf);
  assert_string_equal(buf, "Spooning");
}

// ticks: nice steps (1, 2 or 5 x 10^k) inside the range, labels apart by at least the gap
static void check_ticks(double lo, double hi, double length, double size, double gap) {
  double t[64], step;
  int    n = canvas_ticks(lo, hi, length, size, gap, t, 64, &step);
  assert_true(n >= 2);
  double m = step / pow(10, floor(log10(step) + 1e-12));
  assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9);
  assert_true(t[0] >= lo - 1e-9 && t[n - 1] <= hi + 1e-9);
  assert_true(t[0] - lo < step + 1e-9 && hi - t[n - 1] < step + 1e-9);
  for (int i = 0; i + 1 < n; i++) {
    char a[64], b[64];
    canvas_tick_label(t[i], step, a, sizeof a);
    canvas_tick_label(t[i + 1], step, b, sizeof b);
    assert_string_not_equal(a, b);
    double apart = (t[i + 1] - t[i]) / (hi - lo) * length;
    assert_true(apart + 1e-9 >=
                0.5 * (canvas_text_width(size, a) + canvas_text_width(size, b)) + gap);
  }
}

static void test_ticks(void** state) {
  (void)state;
  check_ticks(0, 1.2, 480, 9, 8);
  check_ticks(0, 3.0, 560, 10, 8);
  check_ticks(0, 3600, 180, 8, 6);
  check_ticks(0, 7777, 180, 8, 6);   // large loads (motion.frequency_hz=2.5)
  check_ticks(0, 23456, 120, 8, 6);  // 5-digit labels on a narrow panel
  check_ticks(1, 16, 450, 10, 6);
  check_ticks(1, 16, 60, 10, 6);
  check_ticks(-0.03, 0.07, 300, 10, 6);
  // a narrower axis gets a coarser step, never overlapping labels
  double t[64], wide, narrow;
  canvas_ticks(0, 9000, 600, 8, 6, t, 64, &wide);
  canvas_ticks(0, 9000, 100, 8, 6, t, 64, &narrow);
  assert_true(narrow > wide);
  char lab[32];
  canvas_tick_label(0.5, 0.5, lab, sizeof lab);
  assert_string_equal(lab, "0.5");
  canvas_tick_label(2000, 1000, lab, sizeof lab);
  assert_string_equal(lab, "2000");
  canvas_tick_label(-1e-17, 0.2, lab, sizeof lab);  // no "-0.0"
  assert_string_equal(lab, "0.0");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_formats),        cmocka_unit_test(test_errors),
      cmocka_unit_test(test_memory_svg_ids), cmocka_unit_test(test_text_width),
      cmocka_unit_test(test_ticks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
