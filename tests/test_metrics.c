// test_metrics.c: per-role metrics over a cycle (load index, ROM percentages, peaks, flags),
// ranks with ties, and the benefit/caution phrase (README "Metrics and ranking").
// covers: sl_metrics
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_position.h"
#include "testutil.h"

#define POS(f) SL_TEST_SOURCE_DIR "/tests/data/positions/" f

static slPosition* load_pos(const char* path) {
  slPosition* p = NULL;
  slError     e;
  slMotionOpt mo = sl_motion_opt_default();
  if (sl_position_load(&p, path, &mo, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return p;
}

static slPositionRun* run_pos(const slPosition* p) {
  slPositionRun* r = NULL;
  slError        e;
  slSoOpt        o = sl_so_opt_default();
  if (sl_position_run(p, &o, &r, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return r;
}

// the metrics of a run position, recomputed from its results: the load index from compression
// and shear of every sample and level, peaks and means, ROM from the coordinates themselves
static void test_recomputed(void** state) {
  (void)state;
  slPosition*    p = load_pos(POS("side_left.yaml"));
  slPositionRun* r = run_pos(p);
  assert_true(r->samples > 1);
  for (int k = 0; k < p->nrole; k++) {
    slMetrics mt;
    sl_metrics_compute(r, k, &mt);
    const slResults* res = r->res[k];
    const slModel*   m = p->role[k].model;
    double           li = 0, li_arg = -1, flex = 0, ext = 0;
    int              flagged = 0;
    for (int i = 0; i < r->samples; i++) {
      for (int l = 0; l < SL_NLEVEL; l++) {
        size_t j = (size_t)i * SL_NLEVEL + (size_t)l;
        double c = res->comp[j] / 3400.0;
        double s = hypot(res->shear_ap[j], res->shear_lat[j]) / 700.0;
        if (c > li) li = c, li_arg = 0;
        if (s > li) li = s, li_arg = 1;
      }
      // total lumbar flexion from the sample's own coordinates (model flexion negative)
      double tot = 0;
      for (int l = 0; l < SL_NLEVEL; l++)
        tot -= res->q[(size_t)i * (size_t)m->ncoord + (size_t)m->lev_coord[l][0]];
      assert_near(r->lumbar[k][3 * i], tot, 1e-12, 0);
      flex = fmax(flex, tot / SL_DEG / 73.0 * 100.0);
      ext = fmax(ext, -tot / SL_DEG / 29.0 * 100.0);
      flagged += res->status[i] != 0;
    }
    assert_true(li > 0 && li_arg >= 0);
    assert_near(mt.load_index, li, 1e-15, 1e-14);
    assert_near(mt.peak_flex_rom, flex, 1e-12, 1e-12);
    assert_near(mt.peak_ext_rom, ext, 1e-12, 1e-12);
    assert_true(mt.peak_flex_rom > 5);  // these partners flex about 10 deg
    assert_int_equal(mt.flagged, flagged);
    for (int l = 0; l < SL_NLEVEL; l++) {
      double pk = -INFINITY, mean = 0, sh = 0, idp = 0;
      for (int i = 0; i < r->samples; i++) {
        size_t j = (size_t)i * SL_NLEVEL + (size_t)l;
        pk = fmax(pk, res->comp[j]);
        mean += res->comp[j];
        sh = fmax(sh, hypot(res->shear_ap[j], res->shear_lat[j]));
        idp = fmax(idp, res->idp[j]);
      }
      assert_near(mt.peak_comp[l], pk, 0, 0);
      assert_near(mt.mean_comp[l], mean / r->samples, 1e-9, 1e-12);
      assert_near(mt.peak_shear[l], sh, 1e-12, 1e-14);
      assert_near(mt.peak_idp[l], idp, 0, 0);
      assert_true(mt.peak_shear_ap[l] <= mt.peak_shear[l] + 1e-12);
    }
    // the scores
    double pc = 0;
    for (int l = 0; l < SL_NLEVEL; l++) pc = fmax(pc, mt.peak_comp[l]);
    assert_near(mt.score_comp, pc / 3400.0, 1e-15, 1e-14);
    assert_near(mt.score_flex, fmax(mt.load_index, mt.peak_flex_rom / 100), 0, 0);
    assert_near(mt.score_ext, fmax(mt.load_index, mt.peak_ext_rom / 100), 0, 0);
  }
  sl_position_run_free(r);
  sl_position_free(p);
}

// the load index on crafted samples: shear can set it, the worst sample and level wins, tension
// never counts; ROM percentages of the lumbar angles; flags and strength counts
static void test_crafted(void** state) {
  (void)state;
  slPosition*    p = load_pos(POS("side_left.yaml"));
  slPositionRun* r = run_pos(p);
  slResults*     res = r->res[0];
  int            n = r->samples;
  for (int i = 0; i < n; i++) {
    for (int l = 0; l < SL_NLEVEL; l++) {
      size_t j = (size_t)i * SL_NLEVEL + (size_t)l;
      res->comp[j] = 100.0;
      res->shear_ap[j] = res->shear_lat[j] = 0.0;
      res->idp[j] = 0.1;
    }
    res->status[i] = SL_SO_CONVERGED;
    res->max_reserve[i] = 0.0;
    for (int a = 0; a < 3; a++) r->lumbar[0][3 * i + a] = 0.0;
  }
  // sample 1, L3/L4: 1700 N compression (0.5); sample 2, L1/L2: shear 420 AP and 560 lateral,
  // |shear| 700 N (1.0) -- the load index is 1.0, set by shear
  res->comp[1 * SL_NLEVEL + 2] = 1700.0;
  res->shear_ap[2 * SL_NLEVEL + 4] = 420.0;
  res->shear_lat[2 * SL_NLEVEL + 4] = -560.0;
  // lumbar angles: 36.5 deg flexion (50 %), 14.5 deg extension (50 %), bend 7 deg (25 %), twist
  // -3.5 deg (50 %)
  r->lumbar[0][3 * 0 + 0] = 36.5 * SL_DEG;
  r->lumbar[0][3 * 1 + 0] = -14.5 * SL_DEG;
  r->lumbar[0][3 * 1 + 1] = 7.0 * SL_DEG;
  r->lumbar[0][3 * 2 + 2] = -3.5 * SL_DEG;
  res->status[1] = SL_SO_RESERVE;
  res->max_reserve[1] = 3.5;
  res->status[2] = SL_SO_STRENGTH;
  slMetrics mt;
  sl_metrics_compute(r, 0, &mt);
  assert_near(mt.load_index, 1.0, 1e-12, 0);
  assert_near(mt.peak_shear[4], 700.0, 1e-9, 0);
  assert_near(mt.peak_shear_ap[4], 420.0, 0, 0);
  assert_near(mt.peak_comp[2], 1700.0, 0, 0);
  assert_near(mt.mean_comp[2], (100.0 * (n - 1) + 1700.0) / n, 1e-9, 0);
  assert_near(mt.score_comp, 0.5, 1e-12, 0);
  assert_near(mt.peak_flex_rom, 50.0, 1e-9, 0);
  assert_near(mt.peak_ext_rom, 50.0, 1e-9, 0);
  assert_near(mt.peak_lat_rom, 25.0, 1e-9, 0);
  assert_near(mt.peak_twist_rom, 50.0, 1e-9, 0);
  assert_near(mt.score_flex, 1.0, 1e-12, 0);
  assert_int_equal(mt.flagged, 2);
  assert_int_equal(mt.beyond_strength, 1);
  assert_near(mt.max_reserve, 3.5, 0, 0);
  // compression now sets it; a spine that never leaves neutral has 0 (not -0) ROM
  res->shear_ap[2 * SL_NLEVEL + 4] = res->shear_lat[2 * SL_NLEVEL + 4] = 0.0;
  res->comp[1 * SL_NLEVEL + 2] = 5100.0;
  for (int i = 0; i < 3 * n; i++) r->lumbar[0][i] = 0.0;
  sl_metrics_compute(r, 0, &mt);
  assert_near(mt.load_index, 1.5, 1e-12, 0);
  assert_true(mt.peak_flex_rom == 0.0 && !signbit(mt.peak_flex_rom));
  assert_true(mt.peak_ext_rom == 0.0 && !signbit(mt.peak_ext_rom));
  assert_near(mt.score_ext, 1.5, 1e-12, 0);
  // only flexion: no extension; only extension: no flexion
  r->lumbar[0][0] = 7.3 * SL_DEG;
  sl_metrics_compute(r, 0, &mt);
  assert_near(mt.peak_flex_rom, 10.0, 1e-9, 0);
  assert_true(mt.peak_ext_rom == 0.0);
  r->lumbar[0][0] = -2.9 * SL_DEG;
  sl_metrics_compute(r, 0, &mt);
  assert_near(mt.peak_ext_rom, 10.0, 1e-9, 0);
  assert_true(mt.peak_flex_rom == 0.0);
  // discs pulled apart everywhere: tension is no load, the index is 0
  for (int i = 0; i < n * SL_NLEVEL; i++) res->comp[i] = -300.0;
  sl_metrics_compute(r, 0, &mt);
  assert_true(mt.load_index == 0.0);
  assert_near(mt.peak_comp[0], -300.0, 0, 0);
  sl_position_run_free(r);
  sl_position_free(p);
}

// ranks 1..n by ascending score, ties in the order given
static void test_rank_scores(void** state) {
  (void)state;
  const double s[7] = {2, 1, 2, 0, 1, -1, 2};
  int          rk[7];
  sl_rank_scores(s, 7, rk);
  const int want[7] = {5, 3, 6, 2, 4, 1, 7};
  for (int i = 0; i < 7; i++) assert_int_equal(rk[i], want[i]);
  const double same[4] = {0.5, 0.5, 0.5, 0.5};
  int          r4[4];
  sl_rank_scores(same, 4, r4);
  for (int i = 0; i < 4; i++) assert_int_equal(r4[i], i + 1);
  const double one = 3.0;
  int          r1 = 0;
  sl_rank_scores(&one, 1, &r1);
  assert_int_equal(r1, 1);
  sl_rank_scores(NULL, 0, NULL);  // nothing to rank
}

static slMetrics base_metrics(double li) {
  slMetrics mt;
  memset(&mt, 0, sizeof mt);
  mt.load_index = li;
  return mt;
}

static void assert_phrase(const slMetrics* mt, const char* want) {
  char buf[512];
  memset(buf, 'x', sizeof buf);
  sl_metrics_phrase(mt, buf, sizeof buf);
  if (strcmp(buf, want) != 0) fail_msg("phrase '%s', expected '%s'", buf, want);
}

// the phrase rules of the README, each threshold on both sides
static void test_phrase(void** state) {
  (void)state;
  slMetrics mt = base_metrics(0.2);
  assert_phrase(&mt, "low load (LI 0.20); spine near neutral");
  mt.load_index = 0.35;
  assert_phrase(&mt, "low load (LI 0.35); spine near neutral");
  mt.load_index = 0.36;
  assert_phrase(&mt, "moderate load (LI 0.36); spine near neutral");
  mt.load_index = 0.7;
  assert_phrase(&mt, "moderate load (LI 0.70); spine near neutral");
  mt.load_index = 0.71;
  assert_phrase(&mt, "high load (LI 0.71); spine near neutral");
  mt.load_index = 1.0;
  assert_phrase(&mt, "high load (LI 1.00); spine near neutral");
  mt.load_index = 1.2;
  assert_phrase(&mt, "caution: load beyond the repetitive limits (LI 1.20); spine near neutral");

  // lumbar angles: deep flexion wins over deep arching, which wins over moderate
  mt = base_metrics(0.2);
  mt.peak_flex_rom = 60;
  mt.peak_ext_rom = 80;
  assert_phrase(&mt, "low load (LI 0.20); caution: deep lumbar flexion (60% ROM)");
  mt.peak_flex_rom = 59.9;
  mt.peak_ext_rom = 50;
  assert_phrase(&mt, "low load (LI 0.20); caution: deep arching (50% of extension ROM)");
  mt.peak_ext_rom = 49.9;
  assert_phrase(&mt, "low load (LI 0.20); moderate flexion (60% ROM)");
  mt.peak_flex_rom = 25;
  mt.peak_ext_rom = 0;
  assert_phrase(&mt, "low load (LI 0.20); moderate flexion (25% ROM)");
  mt.peak_flex_rom = 24.9;
  assert_phrase(&mt, "low load (LI 0.20); spine near neutral");
  mt.peak_ext_rom = 25;
  assert_phrase(&mt, "low load (LI 0.20); moderate extension (25% ROM)");

  // shear at 70 % of the limit, at any level
  mt = base_metrics(0.8);
  mt.peak_shear[3] = 490;
  assert_phrase(&mt, "high load (LI 0.80); spine near neutral; high shear (490 N)");
  mt.peak_shear[3] = 489.9;
  assert_phrase(&mt, "high load (LI 0.80); spine near neutral");
  // twist or bend at half their ranges
  mt = base_metrics(0.1);
  mt.peak_twist_rom = 50;
  assert_phrase(&mt, "low load (LI 0.10); spine near neutral; twisted or bent sideways");
  mt.peak_twist_rom = 49;
  mt.peak_lat_rom = 50;
  assert_phrase(&mt, "low load (LI 0.10); spine near neutral; twisted or bent sideways");
  mt.peak_lat_rom = 49.9;
  assert_phrase(&mt, "low load (LI 0.10); spine near neutral");

  // flags: reserves and strength come first
  mt = base_metrics(0.1);
  mt.flagged = 2;
  mt.max_reserve = 12.4;
  assert_phrase(&mt,
                "caution: needs reserve actuators (12 N m); low load (LI 0.10); spine near "
                "neutral");
  mt.beyond_strength = 2;  // every flagged sample only for strength
  mt.peak_joint_share = 1.234;
  assert_phrase(&mt,
                "caution: a joint beyond its strength (123%); low load (LI 0.10); spine "
                "near neutral");
  mt.flagged = 3;
  assert_phrase(&mt,
                "caution: needs reserve actuators (12 N m); caution: a joint beyond its "
                "strength (123%); low load (LI 0.10); spine near neutral");

  // everything at once, and a short buffer is cut, NUL-terminated
  mt = base_metrics(1.5);
  mt.flagged = 1;
  mt.max_reserve = 0.5;
  mt.peak_flex_rom = 70;
  mt.peak_shear[0] = 800;
  mt.peak_lat_rom = 60;
  assert_phrase(&mt,
                "caution: needs reserve actuators (0 N m); caution: load beyond the "
                "repetitive limits (LI 1.50); caution: deep lumbar flexion (70% ROM); high "
                "shear (800 N); twisted or bent sideways");
  char small[9];
  sl_metrics_phrase(&mt, small, sizeof small);
  assert_string_equal(small, "caution:");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_recomputed),
      cmocka_unit_test(test_crafted),
      cmocka_unit_test(test_rank_scores),
      cmocka_unit_test(test_phrase),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
