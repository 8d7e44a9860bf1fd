// test_load.c: gravity demand and disc frames.
// covers: sl_load
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

static void pose(const slModel* m, slData* d, const slPosture* p) {
  slError e;
  if (sl_posture_to_q(m, d, p, d->q, &e) != SL_OK) fail_msg("%s", e.msg);
  sl_kin_forward(m, d, 0);
  sl_load_external(m, d, 0, NULL, 0);
  sl_load_demand(m, d);
  sl_disc_frames(m, d);
}

// mass and CoM of everything above level l, computed independently of sl_load
static void above(const slModel* m, const slData* d, int l, double* mass, double com[3]) {
  *mass = 0;
  slu_zero3(com);
  for (int i = 0; i < m->nseg; i++) {
    int up = 0;
    for (int s = i; s >= 0; s = m->seg_parent[s])
      if (s == m->lev_seg[l]) up = 1;
    if (!up) continue;
    *mass += m->seg_mass[i];
    slu_addscl3(com, d->xcom + 3 * i, m->seg_mass[i]);
  }
  slu_scl3(com, com, 1.0 / *mass);
}

// upright vs flexed: the flexion moment is m g times the horizontal offset of the superior CoM
// from the joint centre, and it is larger when flexed, by exactly the change of that lever arm
static void test_gravity_lever_arm(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  double g = -m->gravity[1];
  double Mz[2], arm[2];
  for (int k = 0; k < 2; k++) {
    slPosture p = sl_posture_default(SL_ROOT_STANDING);
    p.lumbar[0] = k ? 40 * SL_DEG : 0.0;
    pose(m, d, &p);
    int    l = 1;  // L4/L5
    double mass, com[3];
    above(m, d, l, &mass, com);
    arm[k] = com[0] - d->lev_xpos[l][0];
    // moment of gravity about z: r x F, F = (0, -m g, 0): Mz = -rx m g
    assert_near(d->demand_moment[l][2], -arm[k] * mass * g, 1e-9, 1e-9);
    assert_near(d->demand_force[l][1], -mass * g, 1e-9, 1e-12);
    Mz[k] = d->demand_moment[l][2];
    // the generalized demand on L4/L5 flexion/extension is its projection on the dof axis
    assert_near(d->tau[3 * l], -slu_dot3(d->ldof_axis[3 * l], d->demand_moment[l]), 1e-12, 0);
  }
  assert_true(arm[1] > arm[0] + 0.05);
  assert_true(fabs(Mz[1]) > fabs(Mz[0]) + 20.0);
  sl_data_free(d);
  sl_model_free(m);
}

// a point force adds its own moment about each joint above which it acts
static void test_point_force(void** state) {
  (void)state;
  slModel* m = sl_test_model(TINY);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  memset(d->q, 0, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  slPointLoad L = {sl_model_segment(m, "thorax"), {0.3, 0.1, 0}, {0, -100, 0}};
  sl_load_external(m, d, 0, &L, 1);
  sl_load_demand(m, d);
  double M0[SL_NLEVEL];
  for (int l = 0; l < SL_NLEVEL; l++) M0[l] = d->demand_moment[l][2];
  sl_load_external(m, d, 0, NULL, 0);
  sl_load_demand(m, d);
  // the force acts at world (0.3, 0.28, 0): moment about z at every level = -0.3 * 100
  for (int l = 0; l < SL_NLEVEL; l++) assert_near(M0[l] - d->demand_moment[l][2], -30.0, 1e-12, 0);
  sl_data_free(d);
  sl_model_free(m);
}

// disc frames: orthonormal, right-handed; at L5/S1 upright the normal bisects the S1 end-plate
// normal (sacral slope) and the L5 axis
static void test_disc_frames(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  pose(m, d, &p);
  for (int l = 0; l < SL_NLEVEL; l++) {
    const double* D = d->disc_rot[l];
    double        RtR[9];
    slu_multmm3(RtR, D, D);
    for (int k = 0; k < 9; k++) assert_near(RtR[k], (k % 4 == 0) ? 1.0 : 0.0, 1e-12, 0);
    double a[3] = {D[0], D[3], D[6]}, n[3] = {D[1], D[4], D[7]}, z[3] = {D[2], D[5], D[8]}, c[3];
    slu_cross3(c, a, n);
    for (int k = 0; k < 3; k++) assert_near(c[k], z[k], 1e-12, 0);
    assert_true(n[1] > 0.7);  // roughly superior upright
  }
  double l5[3];
  slu_sub3(l5, d->lev_xpos[1], d->lev_xpos[0]);
  slu_normalize3(l5);
  double        inc_l5 = atan2(l5[0], l5[1]);
  double        expect = 0.5 * (inc_l5 + m->sacral_slope);
  const double* D = d->disc_rot[0];
  assert_near(atan2(D[1], D[4]), expect, 1e-12, 0);
  // changing the sacral slope moves only the L5/S1 frame
  slOverride ov[] = {{"subject.sacral_slope_deg", "30"}};
  slModel*   m2 = NULL;
  slError    e;
  assert_int_equal(sl_model_load(&m2, MALE, ov, 1, &e), SL_OK);
  slData* d2 = NULL;
  assert_int_equal(sl_data_make(m2, &d2, NULL), SL_OK);
  pose(m2, d2, &p);
  const double* D2 = d2->disc_rot[0];
  assert_near(atan2(D2[1], D2[4]), 0.5 * (inc_l5 + 30 * SL_DEG), 1e-12, 0);
  for (int k = 0; k < 9; k++) assert_near(d2->disc_rot[1][k], d->disc_rot[1][k], 1e-15, 0);
  sl_data_free(d2);
  sl_model_free(m2);
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gravity_lever_arm),
      cmocka_unit_test(test_point_force),
      cmocka_unit_test(test_disc_frames),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
