// test_validate.c: the validation against measured pressures, its explanations, and the model's
// group moment arms and reference table.
// covers: sl_validate sl_model_info
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spineload.h"
#include "testutil.h"

#define SCEN    SL_TEST_SOURCE_DIR "/scenarios/validation/wilke.yaml"
#define MEAS    SL_TEST_SOURCE_DIR "/scenarios/validation/wilke_measured.csv"
#define MALE    SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY    SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"
#define SCRATCH SL_TEST_BINARY_DIR "/tests/"

static void write_text(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

static slValidation* validate(void) {
  slValidation* v = NULL;
  slError       e;
  if (sl_validate(SCEN, MEAS, NULL, 0, 2, &v, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return v;
}

// average ranks (1-based), ties sharing the mean of their positions; O(n^2), independent of
// sl_stats
static void ranks(const double* x, int n, double* r) {
  for (int i = 0; i < n; i++) {
    int less = 0, equal = 0;
    for (int j = 0; j < n; j++) less += x[j] < x[i], equal += x[j] == x[i];
    r[i] = less + (equal + 1) / 2.0;
  }
}

static double pearson(const double* x, const double* y, int n) {
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; i++) mx += x[i] / n, my += y[i] / n;
  for (int i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / sqrt(sxx * syy);
}

// the statistics are those of the rows; the rows are the table's, in its order
static void test_rows_and_statistics(void** state) {
  (void)state;
  slValidation*              v = validate();
  const slValidationSummary* s = sl_validation_summary(v);
  static const char* const   names[] = {"lying_supine",
                                        "sitting_relaxed_backrest",
                                        "sitting_straight",
                                        "standing_relaxed",
                                        "standing_flexed",
                                        "holding_20kg_close",
                                        "lifting_20kg_round_back",
                                        "holding_20kg_arms_forward"};
  static const double        measured[] = {0.10, 0.27, 0.45, 0.50, 1.10, 1.00, 2.30, 1.80};
  assert_int_equal(s->n, 8);
  double x[8], y[8], rx[8], ry[8], se = 0;
  int    flagged = 0;
  for (int i = 0; i < s->n; i++) {
    const slValidationRow* w = sl_validation_row(v, i);
    assert_string_equal(w->name, names[i]);
    assert_near(w->measured, measured[i], 0, 1e-15);
    assert_true(w->simulated > 0 && w->compression > 0);
    assert_near(w->difference, w->simulated - w->measured, 0, 0);
    assert_string_equal(w->status_str, sl_so_status_str(w->status));
    assert_true(w->description[0] != '\0');
    flagged += w->status != SL_SO_CONVERGED;
    x[i] = w->measured, y[i] = w->simulated;
    se += (y[i] - x[i]) * (y[i] - x[i]);
  }
  ranks(x, 8, rx), ranks(y, 8, ry);
  assert_int_equal(s->flagged, flagged);
  assert_near(s->pearson, pearson(x, y, 8), 1e-12, 0);
  assert_near(s->spearman, pearson(rx, ry, 8), 1e-12, 0);
  assert_near(s->rmse, sqrt(se / 8), 1e-15, 1e-12);
  assert_string_equal(s->model, "adult_male");
  assert_string_equal(s->criterion, "p2");
  assert_near(s->body_mass, 70, 0, 1e-12);
  assert_null(sl_validation_row(v, 8));
  assert_null(sl_validation_row(v, -1));
  assert_null(sl_validation_explain(v, 8));
  sl_validation_free(v);
  sl_validation_free(NULL);

  // overrides reach the solver: three iterations leave every posture flagged
  slOverride ov = {"solver.maxiter", "3"};
  slError    e;
  assert_int_equal(sl_validate(SCEN, MEAS, &ov, 1, 1, &v, &e), SL_OK);
  s = sl_validation_summary(v);
  flagged = 0;
  for (int i = 0; i < s->n; i++) flagged += sl_validation_row(v, i)->status == SL_SO_MAXITER;
  assert_int_equal(flagged, s->n);
  assert_int_equal(s->flagged, s->n);
  sl_validation_free(v);
}

// every explanation adds up: the parts to the compression, the moment split to the moment; the
// parts and joints are in the documented order; held loads and geometry are where the scenario
// puts them
static void test_explain(void** state) {
  (void)state;
  slValidation*              v = validate();
  const slValidationSummary* s = sl_validation_summary(v);
  for (int i = 0; i < s->n; i++) {
    const slValidationRow* w = sl_validation_row(v, i);
    const slExplain*       x = sl_validation_explain(v, i);
    assert_near(x->compression, w->compression, 0, 0);
    double sum = 0;
    for (int j = 0; j < x->npart; j++) sum += x->part[j].value;
    assert_near(sum, x->compression, 0, 1e-6);
    assert_true(x->nmajor <= x->npart);
    for (int j = 0; j < x->npart; j++) {
      double a = fabs(x->part[j].value);
      assert_true(j < x->nmajor ? a >= 0.5 : a < 0.5);
      if (j > 0 && j != x->nmajor) assert_true(a <= fabs(x->part[j - 1].value));
      assert_non_null(x->part[j].name);
    }
    assert_near(x->remaining, x->moment - x->passive - x->iap_moment - x->reserve, 0, 0);
    assert_near(x->flexion_pct, 100 * x->flexion_deg / x->flexion_range_deg, 1e-12, 1e-12);
    // the adult model has joint actuators: three joints, nearest their strength first
    assert_int_equal(x->njoint, 3);
    for (int b = 1; b < x->njoint; b++) assert_true(x->joint[b].share <= x->joint[b - 1].share);
    if (x->has_support) assert_true(x->support_lo <= x->support_hi);
    // each level's balance: the muscle moments, recomputed from the forces and the posture's
    // moment arms, close the solver's equilibrium; standing, only the feet touch anything, so
    // nothing is left for contacts (the solver's tolerance is 1e-8 of the largest moment)
    int feet_only = !strncmp(w->name, "standing", 8) || !strncmp(w->name, "holding", 7) ||
                    !strncmp(w->name, "lifting", 7);
    for (int l = 0; l < SL_NLEVEL; l++) {
      const slExplainLevel* L = &x->level[l];
      assert_non_null(L->name);
      assert_true(L->extending >= 0 && L->flexing <= 0);
      assert_near(L->passive + L->iap + L->reserve + L->extending + L->flexing + L->contacts,
                  L->demand, 1e-9, 1e-12);
      if (feet_only) assert_near(L->contacts, 0, 1e-4, 0);
      if (L->antagonist) assert_true(L->antagonist_moment * L->demand < 0);
    }
    int nsat = 0;
    for (int g = 0; g < x->nsat_group; g++) {
      assert_true(x->sat_group[g].n > 0);
      if (g) assert_true(x->sat_group[g].n <= x->sat_group[g - 1].n);
      nsat += x->sat_group[g].n;
    }
    assert_int_equal(nsat, x->nsaturated);
    if (!strcmp(w->name, "sitting_relaxed_backrest"))  // the backrest and armrests carry load
      assert_true(fabs(x->level[1].contacts) > 1.0);
    if (!strcmp(w->name, "lying_supine")) {
      // on the back: pelvis and thorax rolled back a quarter turn
      assert_near(x->pelvis_tilt_deg, 90, 0.5, 0);
      assert_near(x->thorax_lean_deg, -90, 0.5, 0);
      assert_int_equal(x->nload, 0);
    }
    if (!strcmp(w->name, "holding_20kg_close")) {
      // 10 kg in each hand, in front of the spine, on the hands' segments
      assert_int_equal(x->nload, 2);
      for (int j = 0; j < 2; j++) {
        assert_near(x->load[j].kg, 10, 1e-9, 0);
        assert_true(x->load[j].from_l4l5[0] > 0);
        assert_int_equal(x->load[j].has_sternum, 1);
        assert_non_null(strstr(x->load[j].segment, j == 0 ? "_r" : "_l"));
      }
    }
  }
  sl_validation_free(v);
}

static void expect_error(const char* csv_text, const char* file, slStatus code, const char* where) {
  char path[512], want[600];
  snprintf(path, sizeof path, SCRATCH "%s", file);
  write_text(path, csv_text);
  slValidation* v = (slValidation*)&v;  // must be reset to NULL
  slError       e;
  assert_int_equal(sl_validate(SCEN, path, NULL, 0, 1, &v, &e), code);
  assert_int_equal(e.code, code);
  assert_null(v);
  snprintf(want, sizeof want, "%s:%s", path, where);
  assert_string_equal(e.where, want);
}

// errors name the table's cell (or header)
static void test_errors(void** state) {
  (void)state;
  expect_error("posture,measured_idp_MPa\nlying_supine,0.10\nno_such_posture,0.5\n",
               "validate_unknown.csv", SL_ERR_KEY, "3:1");
  expect_error("# a comment\nposture,measured_idp_MPa\nlying_supine, abc\n", "validate_nonnum.csv",
               SL_ERR_TYPE, "3:15");
  expect_error("posture,measured_idp_MPa\nlying_supine,101\n", "validate_range.csv", SL_ERR_RANGE,
               "2:14");
  expect_error("posture,value\nlying_supine,0.1\n", "validate_column.csv", SL_ERR_KEY, "1:1");
  // the message names the posture and the scenario
  slValidation* v = NULL;
  slError       e;
  assert_int_equal(sl_validate(SCEN, SCRATCH "validate_unknown.csv", NULL, 0, 1, &v, &e),
                   SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "'no_such_posture'"));
  assert_non_null(strstr(e.msg, SCEN));
  // a missing scenario
  assert_int_equal(sl_validate(SCRATCH "no_such.yaml", MEAS, NULL, 0, 1, &v, &e), SL_ERR_IO);
  assert_null(v);
}

static slModel* load_model(const char* path, const slOverride* ov, int nov) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, ov, nov, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

// Fmax-weighted moment arm [cm] at the default pose recomputed from the workspace, for the
// fascicles with in(group name) true
static double direct_arm(const slModel* m, const slData* d, const char* group, int extensors,
                         int level) {
  double num = 0, den = 0;
  for (int i = 0; i < m->nmus; i++) {
    const char* g = m->group_name[m->mus_group[i]];
    int         in = extensors ? strstr(g, "iliocostalis") == g || strstr(g, "longissimus") == g ||
                             !strcmp(g, "multifidus")
                               : !strcmp(g, group);
    double      r = d->mus_R[(size_t)i * SL_NLDOF + 3 * (size_t)level];
    if (in && r != 0.0) num += m->mus_fmax[i] * r, den += m->mus_fmax[i];
  }
  return 100 * num / den;
}

static void test_group_arms(void** state) {
  (void)state;
  slModel* m = load_model(MALE, NULL, 0);
  double*  arms = malloc(sizeof(double) * 2 * ((size_t)m->ngroup + 1));
  slError  e;
  assert_int_equal(sl_model_group_arms(m, arms, &e), SL_OK);
  slData* d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  memcpy(d->q, m->coord_default, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  sl_muscle_geometry(m, d);
  int g = sl_model_group(m, "multifidus");
  assert_true(g >= 0);
  // column 0 L4/L5 (level 1), column 1 L5/S1 (level 0)
  assert_near(arms[0], direct_arm(m, d, NULL, 1, 1), 1e-12, 1e-12);
  assert_near(arms[1], direct_arm(m, d, NULL, 1, 0), 1e-12, 1e-12);
  assert_near(arms[2 * (g + 1)], direct_arm(m, d, "multifidus", 0, 1), 1e-12, 1e-12);
  assert_near(arms[2 * (g + 1) + 1], direct_arm(m, d, "multifidus", 0, 0), 1e-12, 1e-12);
  // extensors extend, the rectus flexes; arms of a few centimetres
  int ra = sl_model_group(m, "rectus_abdominis");
  assert_true(arms[0] > 2 && arms[0] < 8);
  assert_true(arms[2 * (ra + 1)] < -2 && arms[2 * (ra + 1)] > -12);
  sl_data_free(d);
  free(arms);
  sl_model_free(m);
}

static void test_arm_refs(void** state) {
  (void)state;
  slArmRef* refs = NULL;
  int       n = -1;
  slError   e;
  // the repo's table: every row belongs to the row of its group
  slModel* m = load_model(MALE, NULL, 0);
  assert_int_equal(sl_model_arm_refs(m, &refs, &n, &e), SL_OK);
  assert_true(n > 10);
  for (int i = 0; i < n; i++) {
    assert_true(refs[i].row >= 0);
    assert_string_equal(refs[i].group,
                        refs[i].row == 0 ? "extensors" : m->group_name[refs[i].row - 1]);
    assert_true(!strcmp(refs[i].level, "L4/L5") || !strcmp(refs[i].level, "L5/S1"));
    assert_true(refs[i].source[0] != '\0');
  }
  sl_model_arm_refs_free(refs);
  sl_model_free(m);

  // a table of the three required columns: unknown groups have no row, the optional columns ""
  char        ov_value[600];
  slOverride  ov = {"checks.moment_arms_csv", ov_value};
  const char* small = SCRATCH "validate_refs.csv";
  write_text(small, "level,group,value_cm\nL4/L5,psoas,-0.5\nL5/S1,nosuch,1\nL5/S1,extensors,4\n");
  snprintf(ov_value, sizeof ov_value, "%s", small);
  m = load_model(MALE, &ov, 1);
  assert_int_equal(sl_model_arm_refs(m, &refs, &n, &e), SL_OK);
  assert_int_equal(n, 3);
  assert_int_equal(refs[0].row, sl_model_group(m, "psoas") + 1);
  assert_string_equal(refs[0].value_cm, "-0.5");
  assert_string_equal(refs[0].level, "L4/L5");
  assert_int_equal(refs[1].row, -1);
  assert_int_equal(refs[2].row, 0);
  assert_string_equal(refs[2].definition, "");
  assert_string_equal(refs[2].source, "");
  sl_model_arm_refs_free(refs);
  sl_model_free(m);

  // a missing column is named at the header
  const char* bad = SCRATCH "validate_refs_bad.csv";
  write_text(bad, "group,value_cm\nextensors,4\n");
  snprintf(ov_value, sizeof ov_value, "%s", bad);
  m = load_model(MALE, &ov, 1);
  refs = (slArmRef*)&refs;
  assert_int_equal(sl_model_arm_refs(m, &refs, &n, &e), SL_ERR_KEY);
  assert_null(refs);
  assert_int_equal(n, 0);
  assert_non_null(strstr(e.msg, "'level'"));
  char want[600];
  snprintf(want, sizeof want, "%s:1:1", bad);
  assert_string_equal(e.where, want);
  sl_model_free(m);

  // a model without a table
  m = load_model(TINY, NULL, 0);
  assert_int_equal(sl_model_arm_refs(m, &refs, &n, &e), SL_OK);
  assert_null(refs);
  assert_int_equal(n, 0);
  sl_model_arm_refs_free(refs);
  sl_model_free(m);
}

static void test_source_path(void** state) {
  (void)state;
  char out[1024];
  // the tests run in the build tree: the file is found under the source directory
  assert_int_equal(sl_source_path("scenarios/validation/wilke.yaml", out, sizeof out), 0);
  assert_int_equal(access(out, R_OK), 0);
  const char* tail = strstr(out, "scenarios/validation/wilke.yaml");
  assert_non_null(tail);
  assert_string_equal(tail, "scenarios/validation/wilke.yaml");
  // too small: truncated and said so
  assert_int_equal(sl_source_path("scenarios/validation/wilke.yaml", out, 8), -1);
  assert_int_equal(strlen(out), 7);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows_and_statistics),
      cmocka_unit_test(test_explain),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_group_arms),
      cmocka_unit_test(test_arm_refs),
      cmocka_unit_test(test_source_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
