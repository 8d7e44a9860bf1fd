// test_posture.c: a posture as a person describes it -> generalized coordinates: root presets,
// the lumbar rhythm, placing on the floor, balancing over the supports, and range errors that
// name the key.
// covers: sl_posture
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

static double* to_q(const slModel* m, slData* d, const slPosture* p) {
  double* q = malloc(sizeof(double) * (size_t)m->ncoord);
  slError e;
  if (sl_posture_to_q(m, d, p, q, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return q;
}

static double coord(const slModel* m, const double* q, const char* name) {
  int k = sl_model_coord(m, name);
  if (k < 0) fail_msg("no coordinate %s", name);
  return q[k];
}

// lowest landmark height at q
static double lowest_landmark(const slModel* m, slData* d, const double* q) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  double lo = INFINITY;
  for (int i = 0; i < m->nland; i++) {
    double w[3];
    sl_kin_landmark(m, d, i, w);
    if (w[1] < lo) lo = w[1];
  }
  return lo;
}

static void test_root_names(void** state) {
  (void)state;
  for (int r = 0; r < SL_ROOT_COUNT; r++)
    assert_int_equal(sl_root_from_name(sl_root_name((slRoot)r)), r);
  assert_string_equal(sl_root_name(SL_ROOT_SIDE_LEFT), "side_left");
  assert_string_equal(sl_root_name(SL_ROOT_COUNT), "unknown");
  assert_int_equal(sl_root_from_name("lying"), -1);
  assert_int_equal(sl_root_from_name(NULL), -1);
  slPosture p = sl_posture_default(SL_ROOT_PRONE);
  assert_int_equal(p.root, SL_ROOT_PRONE);
  assert_true(isnan(p.lumbar[0]) && isnan(p.pelvis_pos[1]) && isnan(p.knee[1]));
  assert_true(isnan(p.level[5][2]) && isnan(p.neck_flex) && isnan(p.elbow[0]));
  assert_int_equal(p.per_level, 0);
  assert_int_equal(p.nset, 0);
}

// a default posture is its preset: standing is upright and neutral, on the floor; sitting has the
// preset's pelvis, hip, knee and lumbar angles; a given field replaces the preset's
static void test_presets(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  double*   q = to_q(m, d, &p);
  for (int k = 0; k < SL_NLDOF; k++) assert_true(q[m->ldof_coord[k]] == 0.0);
  assert_true(coord(m, q, "pelvis_tilt") == 0.0);
  assert_true(coord(m, q, "hip_flexion_r") == 0.0);
  assert_true(coord(m, q, "knee_angle_l") == 0.0);
  assert_true(coord(m, q, "pelvis_tx") == 0.0 && coord(m, q, "pelvis_tz") == 0.0);
  assert_true(coord(m, q, "pelvis_ty") > 0.5);  // lifted so the feet touch the floor
  assert_near(lowest_landmark(m, d, q), 0.0, 1e-12, 0);
  free(q);

  p = sl_posture_default(SL_ROOT_SITTING);
  q = to_q(m, d, &p);
  assert_near(coord(m, q, "pelvis_tilt"), 20 * SL_DEG, 1e-15, 0);
  assert_near(coord(m, q, "hip_flexion_r"), 70 * SL_DEG, 1e-15, 0);
  assert_near(coord(m, q, "hip_flexion_l"), 70 * SL_DEG, 1e-15, 0);
  assert_near(coord(m, q, "knee_angle_r"), 90 * SL_DEG, 1e-15, 0);
  double flex = 0;  // total lumbar flexion, posture sign
  for (int l = 0; l < SL_NLEVEL; l++) flex -= q[m->lev_coord[l][0]];
  assert_near(flex, 20 * SL_DEG, 1e-14, 0);
  assert_near(lowest_landmark(m, d, q), 0.0, 1e-12, 0);
  free(q);

  // given fields win; a given pelvis height is kept (no placing on the floor)
  p = sl_posture_default(SL_ROOT_SITTING);
  p.hip_flex[1] = 45 * SL_DEG;
  p.knee[0] = 10 * SL_DEG;
  p.pelvis_rot[0] = 0;
  p.pelvis_pos[0] = 0.1;
  p.pelvis_pos[1] = 2.0;
  p.elbow[0] = 30 * SL_DEG;
  q = to_q(m, d, &p);
  assert_near(coord(m, q, "hip_flexion_l"), 45 * SL_DEG, 1e-15, 0);
  assert_near(coord(m, q, "hip_flexion_r"), 70 * SL_DEG, 1e-15, 0);  // preset on the other side
  assert_near(coord(m, q, "knee_angle_r"), 10 * SL_DEG, 1e-15, 0);
  assert_near(coord(m, q, "elbow_flex_r"), 30 * SL_DEG, 1e-15, 0);
  assert_true(coord(m, q, "pelvis_tilt") == 0.0);
  assert_true(coord(m, q, "pelvis_tx") == 0.1 && coord(m, q, "pelvis_ty") == 2.0);
  free(q);

  // explicit coordinates are applied last
  p = sl_posture_default(SL_ROOT_STANDING);
  p.nset = 1;
  p.set_coord[0] = sl_model_coord(m, "wrist_flex_r");
  p.set_value[0] = 0.25;
  q = to_q(m, d, &p);
  assert_true(coord(m, q, "wrist_flex_r") == 0.25);
  free(q);
  sl_data_free(d);
  sl_model_free(m);
}

// the rhythm: a total angle is shared over the levels by the model's shares, which add up to the
// total, for each axis and sign; per-level angles bypass the rhythm
static void test_rhythm(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  static const double sign[3] = {-1.0, 1.0, 1.0};
  const double        tot[3][2] = {{40, -15}, {12, -12}, {5, -5}};
  for (int a = 0; a < 3; a++)
    for (int s = 0; s < 2; s++) {
      slPosture p = sl_posture_default(SL_ROOT_STANDING);
      p.lumbar[a] = tot[a][s] * SL_DEG;
      double* q = to_q(m, d, &p);
      double  sum = 0;
      for (int l = 0; l < SL_NLEVEL; l++) {
        double v = sign[a] * q[m->lev_coord[l][a]];
        assert_near(v, tot[a][s] * SL_DEG * m->rhythm[a][l], 1e-15, 1e-12);
        sum += v;
        for (int b = 0; b < 3; b++)  // the other axes stay at zero
          if (b != a) assert_true(q[m->lev_coord[l][b]] == 0.0);
      }
      assert_near(sum, tot[a][s] * SL_DEG, 1e-14, 1e-12);
      free(q);
    }
  // the shares are not all equal in this model (so the test above is not trivial)
  int differ = 0;
  for (int l = 1; l < SL_NLEVEL; l++) differ |= m->rhythm[0][l] != m->rhythm[0][0];
  assert_true(differ);
  // per level: the levels as given (missing ones 0), the total ignored
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.per_level = 1;
  p.lumbar[0] = 50 * SL_DEG;
  p.level[1][0] = 4 * SL_DEG;
  p.level[3][1] = -2 * SL_DEG;
  p.level[5][2] = 1 * SL_DEG;
  double* q = to_q(m, d, &p);
  for (int l = 0; l < SL_NLEVEL; l++)
    for (int a = 0; a < 3; a++) {
      double want = (l == 1 && a == 0) ? 4 : (l == 3 && a == 1) ? -2 : (l == 5 && a == 2) ? 1 : 0;
      assert_near(sign[a] * q[m->lev_coord[l][a]], want * SL_DEG, 1e-15, 0);
    }
  free(q);
  sl_data_free(d);
  sl_model_free(m);
}

// centre of mass x of the body and the held masses at q, and the supports' span along x
static void com_span(const slModel* m, slData* d, const double* q, const slPointLoad* L, int nl,
                     const slContact* c, int nc, double* cx, double* lo, double* hi) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  double mx = 0, mt = 0;
  for (int i = 0; i < m->nseg; i++) {
    mx += m->seg_mass[i] * d->xcom[3 * i];
    mt += m->seg_mass[i];
  }
  for (int k = 0; k < nl; k++) {
    double w[3], kg = -L[k].force[1] / -m->gravity[1];
    sl_kin_point(m, d, L[k].seg, L[k].pos, w);
    mx += kg * w[0];
    mt += kg;
  }
  *cx = mx / mt;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int k = 0; k < nc; k++) {
    double w[3];
    sl_kin_landmark(m, d, c[k].land, w);
    *lo = fmin(*lo, w[0]);
    *hi = fmax(*hi, w[0]);
  }
}

static int feet(const slModel* m, slContact* c) {
  const char* names[4] = {"heel_r", "heel_l", "forefoot_r", "forefoot_l"};
  for (int k = 0; k < 4; k++) {
    memset(&c[k], 0, sizeof c[k]);
    c[k].land = sl_model_landmark(m, names[k]);
    c[k].other = -1;
    c[k].normal[1] = 1;
  }
  return 4;
}

// balance: a posture already over its feet is left alone; one with a heavy load held far in
// front is pitched back until the centre of mass (body and load) lies over the feet, 2 cm inside
// the front edge, and placed back on the floor
static void test_balance(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  slContact c[4];
  int       nc = feet(m, c);
  double    cx, lo, hi, pitch = 1.0;

  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  double*   q = to_q(m, d, &p);
  double*   q0 = malloc(sizeof(double) * (size_t)m->ncoord);
  memcpy(q0, q, sizeof(double) * (size_t)m->ncoord);
  com_span(m, d, q, NULL, 0, c, nc, &cx, &lo, &hi);
  assert_true(cx > lo + 0.02 && cx < hi - 0.02);  // upright: over the feet
  assert_int_equal(sl_posture_balance(m, d, q, 1, NULL, 0, c, nc, &pitch, NULL), SL_OK);
  assert_true(pitch == 0.0);
  assert_memory_equal(q, q0, sizeof(double) * (size_t)m->ncoord);
  // no supports: nothing to balance over
  pitch = 1.0;
  assert_int_equal(sl_posture_balance(m, d, q, 1, NULL, 0, c, 0, &pitch, NULL), SL_OK);
  assert_true(pitch == 0.0);
  free(q);

  // flexed forward, arms out, 20 kg in the hands
  p.lumbar[0] = 40 * SL_DEG;
  p.shoulder_flex[0] = p.shoulder_flex[1] = 80 * SL_DEG;
  q = to_q(m, d, &p);
  slPointLoad L[2] = {{sl_model_segment(m, "hand_r"), {0, -0.06, 0}, {0, -98.0665, 0}},
                      {sl_model_segment(m, "hand_l"), {0, -0.06, 0}, {0, -98.0665, 0}}};
  com_span(m, d, q, L, 2, c, nc, &cx, &lo, &hi);
  assert_true(cx > hi);  // beyond the toes
  int tilt = sl_model_coord(m, "pelvis_tilt");
  memcpy(q0, q, sizeof(double) * (size_t)m->ncoord);
  slError e;
  if (sl_posture_balance(m, d, q, 1, L, 2, c, nc, &pitch, &e) != SL_OK) fail_msg("%s", e.msg);
  assert_true(pitch > 0.0 && pitch < 30 * SL_DEG);  // backward (+ posterior tilt)
  assert_near(q[tilt], q0[tilt] + pitch, 1e-15, 0);
  com_span(m, d, q, L, 2, c, nc, &cx, &lo, &hi);
  assert_near(cx, hi - 0.02, 1e-3, 0);
  assert_true(cx >= lo && cx <= hi);
  assert_near(lowest_landmark(m, d, q), 0.0, 1e-12, 0);  // back on the floor
  // only the pitch and the height changed
  for (int k = 0; k < m->ncoord; k++)
    if (k != tilt && k != sl_model_coord(m, "pelvis_ty")) assert_true(q[k] == q0[k]);

  // without placing on the floor the height is kept
  memcpy(q, q0, sizeof(double) * (size_t)m->ncoord);
  assert_int_equal(sl_posture_balance(m, d, q, 0, L, 2, c, nc, &pitch, NULL), SL_OK);
  assert_true(coord(m, q, "pelvis_ty") == coord(m, q0, "pelvis_ty"));

  // a load no pitch within 30 deg can balance (a tonne 3 m in front of the pelvis): an error
  // naming the balance, q untouched
  slPointLoad big = {0, {3.0, 0, 0}, {0, -9.80665 * 1000, 0}};
  memcpy(q, q0, sizeof(double) * (size_t)m->ncoord);
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_posture_balance(m, d, q, 1, &big, 1, c, nc, &pitch, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "balance");
  assert_non_null(strstr(e.msg, "30 deg"));
  assert_true(pitch == 0.0);
  assert_true(q[tilt] == q0[tilt]);
  free(q);
  free(q0);
  sl_data_free(d);
  sl_model_free(m);
}

// out-of-range angles: SL_ERR_RANGE naming the key, with the value and the range in degrees
static void test_errors(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  double* q = malloc(sizeof(double) * (size_t)m->ncoord);
  slError e;

  // a total lumbar angle the rhythm cannot spread: "lumbar", the total and the allowed range
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 200 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_int_equal(e.code, SL_ERR_RANGE);
  assert_string_equal(e.where, "lumbar");
  assert_non_null(strstr(e.msg, "total lumbar flexion 200 deg"));
  assert_non_null(strstr(e.msg, "the total must lie in"));
  p.lumbar[0] = NAN;
  p.lumbar[2] = -90 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "lumbar");
  assert_non_null(strstr(e.msg, "total lumbar twist -90 deg"));

  // a limb: its coordinate named
  p = sl_posture_default(SL_ROOT_STANDING);
  p.knee[0] = -20 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "knee_angle_r");
  assert_non_null(strstr(e.msg, "'knee_angle_r' = -20 deg"));
  assert_non_null(strstr(e.msg, "[0, 155] deg"));
  p = sl_posture_default(SL_ROOT_STANDING);
  p.shoulder_flex[1] = 120 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "arm_flex_l");

  // a per-level angle: that level's coordinate named
  p = sl_posture_default(SL_ROOT_STANDING);
  p.per_level = 1;
  p.level[2][0] = 80 * SL_DEG;
  int k = m->lev_coord[2][0];
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, m->coord_name[k]);

  // a translation in metres
  p = sl_posture_default(SL_ROOT_STANDING);
  p.nset = 1;
  p.set_coord[0] = sl_model_coord(m, "pelvis_tx");
  p.set_value[0] = 1e6;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "pelvis_tx");
  assert_non_null(strstr(e.msg, " m "));

  // bad indices and roots
  p = sl_posture_default(SL_ROOT_STANDING);
  p.nset = 1;
  p.set_coord[0] = m->ncoord;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_ARG);
  assert_string_equal(e.where, "coords");
  p = sl_posture_default(SL_ROOT_COUNT);
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_ARG);
  assert_string_equal(e.where, "root");
  free(q);
  sl_data_free(d);
  sl_model_free(m);

  // a model without the named coordinates of a body: the missing one is named
  m = sl_test_model(TINY);
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  q = malloc(sizeof(double) * (size_t)m->ncoord);
  p = sl_posture_default(SL_ROOT_STANDING);
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_MODEL);
  assert_string_equal(e.where, "pelvis_tilt");
  free(q);
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_root_names), cmocka_unit_test(test_presets),
      cmocka_unit_test(test_rhythm),     cmocka_unit_test(test_balance),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
