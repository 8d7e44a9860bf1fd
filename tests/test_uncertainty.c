// test_uncertainty.c: rank --uncertainty from C: with every spread zero each variant is the plain
// ranking; a position whose angles have sd_deg 0 has zero-width intervals while the others vary;
// the draws are reproducible from the seed and the results bit-identical for 1 and 2 threads; the
// Latin hypercube puts one draw in each stratum; sd_deg is checked where it is written.
// covers: sl_uncertainty
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sl_h5.h"
#include "sl_position.h"
#include "sl_sweep.h"
#include "testutil.h"

#define POSDIR SL_TEST_SOURCE_DIR "/tests/data/positions"
#define UNCDIR SL_TEST_SOURCE_DIR "/tests/data/unc"
#define OUTDIR SL_TEST_BINARY_DIR "/test_uncertainty_out"

// a short cycle keeps the tests quick (the same for the plain ranking and the variants)
static const slOverride OV[1] = {{"motion.samples", "4"}};

static slUncertaintyOpt no_spread(long n) {
  slUncertaintyOpt o = sl_uncertainty_opt_default();
  o.variants = n;
  o.angle_sd_scale = 0.0;
  o.height_sd_m[0] = o.height_sd_m[1] = 0.0;
  o.mass_sd_kg[0] = o.mass_sd_kg[1] = 0.0;
  o.sacral_sd_deg = 0.0;
  o.frequency_half_hz = o.amplitude_half_deg = o.follower_half_deg = 0.0;
  o.vary_strategy = 0;
  o.mu_cv = 0.0;
  return o;
}

static slRank* ranked(const char* a, const char* b, int threads) {
  const char* files[2] = {a, b};
  slRank*     rk = NULL;
  slError     e;
  if (sl_rank_run(files, 2, OV, 1, threads, &rk, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return rk;
}

static void run_unc(slRank* rk, const slUncertaintyOpt* o) {
  slError e;
  if (sl_rank_uncertainty(rk, OV, 1, o, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
}

// every spread zero: every variant is the plain ranking, bit for bit
static void test_zero_spread_is_plain(void** state) {
  (void)state;
  slRank*          rk = ranked(POSDIR "/side_left.yaml", POSDIR "/side_right.yaml", 2);
  slUncertaintyOpt o = no_spread(5);
  run_unc(rk, &o);
  int n = sl_rank_uncertainty_rows(rk);
  assert_int_equal(n, 4);
  for (int i = 0; i < n; i++) {
    const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
    assert_int_equal(w->results, 5);
    assert_true(w->li_median == w->li_plain);
    assert_true(w->li_p05 == w->li_plain);
    assert_true(w->li_p95 == w->li_plain);
    assert_true(w->rank_p05 == w->rank_plain && w->rank_p95 == w->rank_plain);
    assert_true(w->p_gentle == 0.0 || w->p_gentle == 1.0);
    assert_non_null(w->title);  // the position's title (its name where the file has none)
    assert_true(w->title[0] != 0);
  }
  assert_null(sl_rank_uncertainty_row(rk, n));
  for (int p = 0; p < sl_rank_uncertainty_positions(rk); p++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, p);
    assert_non_null(P->title);
    for (int i = 0; i < n; i++)
      if (!strcmp(sl_rank_uncertainty_row(rk, i)->position, P->position))
        assert_string_equal(sl_rank_uncertainty_row(rk, i)->title, P->title);
  }
  // the text and the file carry it
  char*   text = NULL;
  slError e;
  assert_int_equal(sl_rank_text(rk, SL_RANK_TEXT_MD, &text, &e), SL_OK);
  assert_non_null(strstr(text, "## Uncertainty: 5 variants"));
  assert_non_null(strstr(text, "Advice per phenotype and partner"));
  free(text);
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  const char* out = OUTDIR "/unc.h5";
  assert_int_equal(sl_rank_write_h5(rk, out, 0, NULL, &e), SL_OK);
  slH5* f = NULL;
  assert_int_equal(sl_h5_open(&f, out, 0, &e), SL_OK);
  int    rank = 0;
  size_t dims[4];
  assert_int_equal(sl_h5_shape(f, "/uncertainty/load_index", &rank, dims, &e), SL_OK);
  assert_int_equal(rank, 2);
  assert_int_equal(dims[0], 5);
  assert_int_equal(dims[1], 4);
  sl_h5_close(f);
  sl_rank_free(rk);
}

// a position whose every angle has sd_deg 0 keeps zero-width intervals; the other varies
static void test_zero_spread_position(void** state) {
  (void)state;
  slRank*          rk = ranked(UNCDIR "/zero_spread.yaml", POSDIR "/side_right.yaml", 2);
  slUncertaintyOpt o = no_spread(6);
  o.angle_sd_scale = 1.0;                        // the default sd for angles without sd_deg
  o.mu_cv = sl_uncertainty_opt_default().mu_cv;  // and for friction without mu_sd
  run_unc(rk, &o);
  int zero = 0, wide = 0;
  for (int i = 0; i < sl_rank_uncertainty_rows(rk); i++) {
    const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
    if (!strcmp(w->position, "test_zero_spread")) {
      assert_true(w->li_p05 == w->li_p95);
      assert_true(w->li_median == w->li_plain);
      zero++;
    } else {
      wide += w->li_p95 > w->li_p05;
    }
  }
  assert_int_equal(zero, 2);
  assert_true(wide >= 1);
  sl_rank_free(rk);
}

static void assert_same(const slRank* a, const slRank* b, int want_same) {
  int same = 1;
  assert_int_equal(sl_rank_uncertainty_rows(a), sl_rank_uncertainty_rows(b));
  for (int i = 0; i < sl_rank_uncertainty_rows(a); i++) {
    const slUncertaintyRow *x = sl_rank_uncertainty_row(a, i), *y = sl_rank_uncertainty_row(b, i);
    same &= !memcmp(&x->li_median, &y->li_median, sizeof(double)) &&
            !memcmp(&x->li_p05, &y->li_p05, sizeof(double)) &&
            !memcmp(&x->li_p95, &y->li_p95, sizeof(double)) && x->results == y->results &&
            x->flagged == y->flagged && x->p_gentle == y->p_gentle;
  }
  assert_int_equal(same, want_same);
}

// the same seed gives the same variants; another seed others; 1 and 2 threads the same bits
static void test_seed_and_threads(void** state) {
  (void)state;
  slUncertaintyOpt o = sl_uncertainty_opt_default();
  o.variants = 6;
  o.seed = 7;
  slRank* a = ranked(POSDIR "/side_left.yaml", POSDIR "/side_right.yaml", 1);
  slRank* b = ranked(POSDIR "/side_left.yaml", POSDIR "/side_right.yaml", 2);
  slRank* c = ranked(POSDIR "/side_left.yaml", POSDIR "/side_right.yaml", 2);
  o.threads = 1;
  run_unc(a, &o);
  o.threads = 2;
  run_unc(b, &o);
  assert_same(a, b, 1);
  o.seed = 8;
  run_unc(c, &o);
  assert_same(a, c, 0);
  sl_rank_free(a);
  sl_rank_free(b);
  sl_rank_free(c);
}

// Latin hypercube: each column's draws fall one in each of n strata; columns differ
static void test_lhs_strata(void** state) {
  (void)state;
  enum { N = 1000, COLS = 40 };
  static char seen[N];
  static long first[N];
  for (int k = 0; k < COLS; k++) {
    memset(seen, 0, sizeof seen);
    long same = 0;
    for (long c = 0; c < N; c++) {
      double u = sl_design_u(SL_DESIGN_LHS, 42, k, c, N);
      assert_true(u >= 0.0 && u < 1.0);
      long s = (long)(u * N);
      assert_false(seen[s]);
      seen[s] = 1;
      if (k == 0) first[c] = s;
      same += k > 0 && first[c] == s;
    }
    assert_true(same < N / 10);
    assert_true(sl_design_u(SL_DESIGN_LHS, 42, k, 3, N) == sl_design_u(SL_DESIGN_LHS, 42, k, 3, N));
  }
}

// the test position with bodies by absolute path and the line holding `match` replaced by `repl`,
// written to OUTDIR/name; its load fails with SL_ERR_RANGE at name:LINE: naming `key`
static void bad_position(const char* match, const char* repl, const char* name, int line_no,
                         const char* key) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  FILE* in = fopen(UNCDIR "/zero_spread.yaml", "r");
  assert_non_null(in);
  char bad[1024];
  snprintf(bad, sizeof bad, "%s/%s", OUTDIR, name);
  FILE* out = fopen(bad, "w");
  assert_non_null(out);
  char line[1024];
  int  replaced = 0;
  while (fgets(line, sizeof line, in)) {
    char* m = strstr(line, "../../../models/");
    if (m)
      fprintf(out, "%.*s%s/models/%s", (int)(m - line), line, SL_TEST_SOURCE_DIR,
              m + strlen("../../../models/"));
    else if (!replaced && strstr(line, match))
      fputs(repl, out), replaced = 1;
    else
      fputs(line, out);
  }
  fclose(in);
  fclose(out);
  assert_true(replaced);
  slMotionOpt mo = sl_motion_opt_default();
  slPosition* p = NULL;
  slError     e;
  char        where[64];
  slStatus    st = sl_position_load(&p, bad, &mo, NULL, 0, &e);
  assert_int_equal(st, SL_ERR_RANGE);
  snprintf(where, sizeof where, "%s:%d:", name, line_no);
  assert_non_null(strstr(e.where, where));
  assert_non_null(strstr(e.msg, key));
  assert_null(p);
}

// sd_deg and mu_sd out of their ranges are reported at their file:line:col
static void test_bad_spread(void** state) {
  (void)state;
  bad_position("lumbar: {flexion_deg: 10, sd_deg: 0}",
               "      lumbar: {flexion_deg: 10, sd_deg: -1}\n", "bad_spread.yaml", 20, "sd_deg");
  bad_position("landmark: head_side_l",
               "      - {landmark: head_side_l, normal: [0, 1, 0], mu: 0.5, mu_sd: -0.1}\n",
               "bad_mu_sd.yaml", 26, "mu_sd");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_zero_spread_is_plain), cmocka_unit_test(test_zero_spread_position),
      cmocka_unit_test(test_seed_and_threads),     cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_bad_spread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
