// test_model.c: model compiler: sizes, masses, scaling, and every error path with its location.
// covers: sl_model sl_model_load sl_spline
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_model.h"
#include "sl_spline.h"
#include "testutil.h"

#define MALE   SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define FEMALE SL_TEST_SOURCE_DIR "/models/adult_female.yaml"
#define BASE   SL_TEST_SOURCE_DIR "/models/lumbar_spine.yaml"
#define TINY   SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

static void test_default_male(void** state) {
  (void)state;
  slModel* m = NULL;
  slError  e;
  slStatus st = sl_model_load(&m, MALE, NULL, 0, &e);
  if (st != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  assert_int_equal(m->nmus, 238);
  assert_int_equal(m->nseg, 29);  // 30 source bodies without the virtual abdomen
  assert_int_equal(m->ngroup, 11);
  // de Leva male fractions add up to 1: segment masses sum to the body mass
  assert_near(m->total_mass, 84.9, 1e-9, 1e-4);
  // parent before child
  for (int i = 1; i < m->nseg; i++) assert_true(m->seg_parent[i] >= 0 && m->seg_parent[i] < i);
  assert_int_equal(m->seg_parent[0], -1);
  // lumbar chain: each level's segment is the child of the one below
  for (int l = 1; l < SL_NLEVEL; l++)
    assert_int_equal(m->seg_parent[m->lev_seg[l]], m->lev_seg[l - 1]);
  // rhythm shares normalised
  for (int a = 0; a < 3; a++) {
    double s = 0;
    for (int l = 0; l < SL_NLEVEL; l++) s += m->rhythm[a][l];
    assert_near(s, 1.0, 1e-12, 0);
  }
  // fmax > 0; all but the 16 latissimus fascicles that run from the thorax to the humerus
  // (shoulder muscles in this model) cross at least one lumbar level
  int crossing = 0;
  for (int i = 0; i < m->nmus; i++) {
    crossing += m->mus_nlev[i] > 0;
    assert_true(m->mus_fmax[i] > 0);
  }
  assert_int_equal(crossing, 222);
  sl_model_free(m);
}

static void test_mass_scaling(void** state) {
  (void)state;
  slModel* m = NULL;
  slError  e;
  assert_int_equal(sl_model_load(&m, FEMALE, NULL, 0, &e), SL_OK);
  assert_near(m->total_mass, 64.2, 0.01, 0);  // female fractions sum to 0.9999
  assert_int_equal(m->sex, SL_FEMALE);
  sl_model_free(m);
  // no scaling: the file's masses, whose sum the reference pack gives as 83.98 kg
  slOverride ov[] = {{"subject.scaling", "none"}};
  assert_int_equal(sl_model_load(&m, BASE, ov, 1, &e), SL_OK);
  assert_near(m->total_mass, 83.977, 0.01, 0);
  sl_model_free(m);
  // proportional scaling by body mass
  slOverride ov2[] = {{"subject.scaling", "proportional"}, {"subject.mass_kg", "41.9886"}};
  assert_int_equal(sl_model_load(&m, BASE, ov2, 2, &e), SL_OK);
  assert_near(m->total_mass, 83.9772 / 2.0, 1e-3, 0);
  sl_model_free(m);
  // stature scaling of lengths: joint offsets scale with height
  slModel *  a = NULL, *b = NULL;
  slOverride h1[] = {{"subject.height_m", "1.7"}}, h2[] = {{"subject.height_m", "1.87"}};
  assert_int_equal(sl_model_load(&a, BASE, h1, 1, &e), SL_OK);
  assert_int_equal(sl_model_load(&b, BASE, h2, 1, &e), SL_OK);
  int l4 = a->lev_seg[1];
  assert_near(b->seg_ppos[3 * l4 + 1], a->seg_ppos[3 * l4 + 1] * 1.1, 1e-12, 1e-9);
  assert_near(b->pt_pos[10], a->pt_pos[10] * 1.1, 1e-12, 1e-9);
  sl_model_free(a);
  sl_model_free(b);
}

static void test_group_fmax_scale(void** state) {
  (void)state;
  slModel *  a = NULL, *b = NULL;
  slError    e;
  slOverride ov[] = {{"muscles.multifidus.fmax_scale", "0.7"}};
  assert_int_equal(sl_model_load(&a, MALE, NULL, 0, &e), SL_OK);
  assert_int_equal(sl_model_load(&b, MALE, ov, 1, &e), SL_OK);
  int g = sl_model_group(a, "multifidus");
  assert_true(g >= 0);
  for (int i = 0; i < a->nmus; i++)
    assert_near(b->mus_fmax[i], a->mus_fmax[i] * (a->mus_group[i] == g ? 0.7 : 1.0), 1e-9, 1e-12);
  sl_model_free(a);
  sl_model_free(b);
}

// compile a model from text; returns the status and the error
static slStatus from_text(const char* text, slError* e) {
  slModel* m = NULL;
  slStatus st = sl_model_parse(&m, text, strlen(text), "bad.yaml", SL_TEST_SOURCE_DIR "/tests/data",
                               NULL, 0, e);
  sl_model_free(m);
  return st;
}

// read the tiny model text and replace one snippet
static char* tiny_with(const char* from, const char* to) {
  FILE* f = fopen(TINY, "rb");
  assert_non_null(f);
  static char buf[65536];
  size_t      n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char* p = strstr(buf, from);
  if (!p) fail_msg("snippet '%s' not in the tiny model", from);
  char*  out = malloc(n + strlen(to) + 1);
  size_t k = (size_t)(p - buf);
  memcpy(out, buf, k);
  strcpy(out + k, to);
  strcat(out, p + strlen(from));
  return out;
}

static void expect_error(const char* from, const char* to, slStatus code, const char* where_prefix,
                         const char* msg_part) {
  char*   text = tiny_with(from, to);
  slError e;
  memset(&e, 0, sizeof e);
  slStatus st = from_text(text, &e);
  free(text);
  if (st != code) fail_msg("expected status %d, got %d (%s: %s)", code, st, e.where, e.msg);
  if (where_prefix && strncmp(e.where, where_prefix, strlen(where_prefix)) != 0)
    fail_msg("where = '%s', expected to start with '%s' (%s)", e.where, where_prefix, e.msg);
  if (msg_part && !strstr(e.msg, msg_part)) fail_msg("message '%s' lacks '%s'", e.msg, msg_part);
}

static void test_tiny_ok(void** state) {
  (void)state;
  slError  e;
  char*    text = tiny_with("name: tiny", "name: tiny");
  slStatus st = from_text(text, &e);
  free(text);
  if (st != SL_OK) fail_msg("%s: %s", e.where, e.msg);
}

static void test_errors(void** state) {
  (void)state;
  // unknown key, with file:line:col of the key
  expect_error("gravity_m_s2: 10", "gravity_m_s2: 10\ncolour: blue", SL_ERR_KEY, "bad.yaml:8:1",
               "colour");
  // negative mass: key and allowed range
  expect_error("mass_kg: 4", "mass_kg: -4", SL_ERR_RANGE, "bad.yaml:", "mass_kg");
  // NaN mass
  expect_error("mass_kg: 4", "mass_kg: .nan", SL_ERR_RANGE, "bad.yaml:", "mass_kg");
  // wrong type
  expect_error("mass_kg: 4", "mass_kg: heavy", SL_ERR_TYPE, "bad.yaml:", "mass_kg");
  // unknown parent
  expect_error("parent: v4", "parent: nowhere", SL_ERR_MODEL, "bad.yaml:", "nowhere");
  // missing table file
  expect_error("table: tiny_muscles.csv", "table: no_such.csv", SL_ERR_IO, NULL, "no_such.csv");
  // bad format tag
  expect_error("format: spineload-model/1", "format: other/2", SL_ERR_RANGE, "bad.yaml:3:9",
               "format");
  // syntax error with a location
  expect_error("name: tiny", "name: [tiny", SL_ERR_PARSE, "bad.yaml:", NULL);
  // unknown coordinate in a joint axis
  expect_error("coord: f3}", "coord: zz}", SL_ERR_KEY, "bad.yaml:", "zz");
}

static void test_check_reports_all(void** state) {
  (void)state;
  // two independent problems: both reported by model check
  char* text = tiny_with("mass_kg: 4", "mass_kg: -4");
  char* t2 = NULL;
  {
    char* p = strstr(text, "mass_kg: 3");
    assert_non_null(p);
    t2 = malloc(strlen(text) + 8);
    size_t k = (size_t)(p - text);
    memcpy(t2, text, k);
    strcpy(t2 + k, "mass_kg: 9999");
    strcat(t2, p + strlen("mass_kg: 3"));
  }
  char path[512];
  snprintf(path, sizeof path, "%s/check_two.yaml", SL_TEST_SOURCE_DIR "/tests/data");
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s/tests/check_two.yaml", SL_TEST_BINARY_DIR);
  FILE* f = fopen(tmp, "wb");
  assert_non_null(f);
  // tables are resolved next to the model file: point them at the test data directory
  char* t3 = malloc(strlen(t2) + 256);
  {
    const char* a = "table: tiny_muscles.csv";
    const char* b = "points: tiny_points.csv";
    char*       p = strstr(t2, a);
    size_t      k = (size_t)(p - t2);
    memcpy(t3, t2, k);
    sprintf(t3 + k, "table: %s/tests/data/tiny_muscles.csv", SL_TEST_SOURCE_DIR);
    char* q = strstr(p, b);
    strncat(t3, p + strlen(a), (size_t)(q - p - (long)strlen(a)));
    sprintf(t3 + strlen(t3), "points: %s/tests/data/tiny_points.csv", SL_TEST_SOURCE_DIR);
    strcat(t3, q + strlen(b));
  }
  fputs(t3, f);
  fclose(f);
  slError  items[20];
  slDiag   dg = {items, 0, 20, 0};
  slStatus st = sl_model_check(tmp, NULL, 0, &dg);
  assert_int_not_equal(st, SL_OK);
  assert_true(dg.n - dg.nwarn >= 2);
  assert_non_null(strstr(items[0].msg, "mass_kg"));
  assert_non_null(strstr(items[1].msg, "mass_kg"));
  assert_string_not_equal(items[0].where, items[1].where);
  free(text);
  free(t2);
  free(t3);
  remove(tmp);
  (void)path;
}

static void test_override_errors(void** state) {
  (void)state;
  slModel*   m = NULL;
  slError    e;
  slOverride bad[] = {{"subject.mass_kg", "-5"}};
  assert_int_equal(sl_model_load(&m, MALE, bad, 1, &e), SL_ERR_RANGE);
  assert_non_null(strstr(e.msg, "mass_kg"));
  assert_non_null(strstr(e.msg, "[20, 300]"));
  assert_null(m);
  slOverride unk[] = {{"subject.colour", "blue"}};
  assert_int_equal(sl_model_load(&m, MALE, unk, 1, &e), SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "colour"));
  assert_int_equal(sl_model_load(&m, "/no/such/model.yaml", NULL, 0, &e), SL_ERR_IO);
  assert_non_null(strstr(e.where, "/no/such/model.yaml"));

  // an override the scaling ignores is an error that says why (issue 15): a segment mass under
  // de Leva scaling, the other sex's mass fraction, fractions without de Leva
  slOverride idle[] = {{"segments.torso.mass_kg", "30"}};
  assert_int_equal(sl_model_load(&m, MALE, idle, 1, &e), SL_ERR_KEY);
  assert_null(m);
  assert_string_equal(e.where, "--set segments.torso.mass_kg");
  assert_non_null(strstr(e.msg, "changes nothing under subject.scaling de_leva"));
  slOverride used[] = {{"subject.scaling", "none"}, {"segments.torso.mass_kg", "30"}};
  assert_int_equal(sl_model_load(&m, MALE, used, 2, &e), SL_OK);
  assert_true(fabs(m->seg_mass[sl_model_segment(m, "torso")] - 30.0) < 1e-12);
  sl_model_free(m);
  m = NULL;
  slOverride sex[] = {{"mass_fractions.female.trunk", "0.5"}};
  assert_int_equal(sl_model_load(&m, MALE, sex, 1, &e), SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "other sex"));
  slOverride nofrac[] = {{"subject.scaling", "proportional"}, {"mass_fractions.male.trunk", "0.5"}};
  assert_int_equal(sl_model_load(&m, MALE, nofrac, 2, &e), SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "only with subject.scaling de_leva"));
  // the model file's own values are not overrides
  assert_int_equal(sl_model_load(&m, MALE, NULL, 0, &e), SL_OK);
  sl_model_free(m);
}

static void test_spline(void** state) {
  (void)state;
  // a natural cubic spline through samples of a cubic-free function reproduces knots exactly
  double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 1, 4, 9, 16}, c[20];
  sl_spline_fit(x, y, 5, c);
  for (int i = 0; i < 5; i++) {
    double f, df, ddf;
    sl_spline_eval(x, c, 5, x[i], &f, &df, &ddf);
    assert_near(f, y[i], 1e-12, 0);
  }
  // derivative consistent with finite differences inside
  double f1, f2, d, dd;
  sl_spline_eval(x, c, 5, 1.7 + 1e-6, &f1, &d, &dd);
  sl_spline_eval(x, c, 5, 1.7 - 1e-6, &f2, &d, &dd);
  double fm, dm, ddm;
  sl_spline_eval(x, c, 5, 1.7, &fm, &dm, &ddm);
  assert_near(dm, (f1 - f2) / 2e-6, 1e-6, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_male),     cmocka_unit_test(test_mass_scaling),
      cmocka_unit_test(test_group_fmax_scale), cmocka_unit_test(test_tiny_ok),
      cmocka_unit_test(test_errors),           cmocka_unit_test(test_check_reports_all),
      cmocka_unit_test(test_override_errors),  cmocka_unit_test(test_spline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
