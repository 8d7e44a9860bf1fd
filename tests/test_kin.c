// test_kin.c: forward kinematics: closed forms on the tiny model, rigid-body invariants and
// time derivatives against finite differences on the full model.
// covers: sl_kin
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "testutil.h"
#include "spineload.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

static double urand(unsigned* s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xFFFFFF) / (double)0xFFFFFF;
}

static void test_tiny_closed_form(void** state) {
  (void)state;
  slModel* m = sl_test_model(TINY);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  memset(d->q, 0, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  // joint centres at y = 0.03 (l + 1)
  for (int l = 0; l < SL_NLEVEL; l++) {
    assert_near(d->lev_xpos[l][0], 0, 1e-15, 0);
    assert_near(d->lev_xpos[l][1], 0.03 * (l + 1), 1e-15, 0);
  }
  // flex only L3/L4 by 30 deg (model flexion is negative about z): the thorax CoM swings about
  // the L3/L4 centre (0, 0.09)
  int    f2 = sl_model_coord(m, "f2");
  double a = -30 * SL_DEG;
  d->q[f2] = a;
  sl_kin_forward(m, d, 0);
  int    th = sl_model_segment(m, "thorax");
  double r = 0.38 - 0.09;  // thorax CoM height above the L3/L4 centre
  assert_near(d->xcom[3 * th + 0], -r * sin(a), 1e-14, 0);
  assert_near(d->xcom[3 * th + 1], 0.09 + r * cos(a), 1e-14, 0);
  // the dof axis of L3/L4 flexion is world z
  assert_near(d->ldof_axis[6][2], 1.0, 1e-15, 0);
  sl_data_free(d);
  sl_model_free(m);
}

// rotation matrices stay orthonormal and joint centres coincide in parent and child
static void test_rigid_invariants(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  unsigned seed = 7;
  for (int trial = 0; trial < 20; trial++) {
    for (int k = 0; k < m->ncoord; k++) {
      double lo = m->coord_range[2 * k], hi = m->coord_range[2 * k + 1];
      if (hi - lo > 4) lo = -1, hi = 1;
      d->q[k] = lo + (hi - lo) * urand(&seed);
    }
    sl_kin_forward(m, d, 0);
    for (int i = 0; i < m->nseg; i++) {
      double RtR[9];
      slu_multmm3(RtR, d->xrot + 9 * i, d->xrot + 9 * i);
      for (int k = 0; k < 9; k++) assert_near(RtR[k], (k % 4 == 0) ? 1.0 : 0.0, 1e-12, 0);
      if (i == 0) continue;
      // joint centre seen from the parent (F origin plus the joint's translation) equals the
      // child's M origin: check via the child frame
      double w[3];
      sl_kin_point(m, d, i, m->seg_cpos + 3 * i, w);
      for (int k = 0; k < 3; k++) assert_near(w[k], d->xjnt[3 * i + k], 1e-12, 0);
    }
  }
  sl_data_free(d);
  sl_model_free(m);
}

// velocities and accelerations against central differences of a prescribed motion
static void test_time_derivatives(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  int      n = m->ncoord;
  double*  q0 = malloc(sizeof(double) * (size_t)n);
  double*  A = malloc(sizeof(double) * (size_t)n);
  double*  w = malloc(sizeof(double) * (size_t)n);
  unsigned seed = 11;
  for (int k = 0; k < n; k++) {
    q0[k] = 0.3 * (urand(&seed) - 0.5);
    A[k] = 0.2 * (urand(&seed) - 0.5);
    w[k] = 2 + 6 * urand(&seed);
  }
  int ty = sl_model_coord(m, "pelvis_ty");
  q0[ty] = 1.0;
  // keep the knees inside the spline's knot range (extrapolation is only C1 at the ends)
  q0[sl_model_coord(m, "knee_angle_r")] = 0.6;
  q0[sl_model_coord(m, "knee_angle_l")] = 0.6;
  int     ns = m->nseg;
  double* pos[3];
  double* rot[3];
  for (int j = 0; j < 3; j++) {
    pos[j] = malloc(sizeof(double) * 3 * (size_t)ns);
    rot[j] = malloc(sizeof(double) * 9 * (size_t)ns);
  }
  double t = 0.37, h = 1e-5;
  for (int j = 0; j < 3; j++) {
    double tt = t + (j - 1) * h;
    for (int k = 0; k < n; k++) d->q[k] = q0[k] + A[k] * sin(w[k] * tt);
    sl_kin_forward(m, d, 0);
    memcpy(pos[j], d->xcom, sizeof(double) * 3 * (size_t)ns);
    memcpy(rot[j], d->xrot, sizeof(double) * 9 * (size_t)ns);
  }
  for (int k = 0; k < n; k++) {
    d->q[k] = q0[k] + A[k] * sin(w[k] * t);
    d->qd[k] = A[k] * w[k] * cos(w[k] * t);
    d->qdd[k] = -A[k] * w[k] * w[k] * sin(w[k] * t);
  }
  sl_kin_forward(m, d, 1);
  for (int i = 0; i < ns; i++) {
    for (int k = 0; k < 3; k++) {
      double v = (pos[2][3 * i + k] - pos[0][3 * i + k]) / (2 * h);
      double acc = (pos[2][3 * i + k] - 2 * pos[1][3 * i + k] + pos[0][3 * i + k]) / (h * h);
      assert_near(d->cvel[6 * i + 3 + k], v, 1e-6, 1e-6);
      assert_near(d->cacc[6 * i + 3 + k], acc, 2e-3, 1e-3);
    }
    // angular velocity: skew(w) = Rdot R'
    double Rd[9], W[9];
    for (int k = 0; k < 9; k++) Rd[k] = (rot[2][9 * i + k] - rot[0][9 * i + k]) / (2 * h);
    slu_mulmmt3(W, Rd, rot[1] + 9 * i);
    assert_near(d->cvel[6 * i + 0], W[7], 1e-6, 1e-6);
    assert_near(d->cvel[6 * i + 1], W[2], 1e-6, 1e-6);
    assert_near(d->cvel[6 * i + 2], W[3], 1e-6, 1e-6);
  }
  // angular acceleration: difference of analytic angular velocities
  double* w0 = malloc(sizeof(double) * 6 * (size_t)ns);
  for (int j = 0; j < 2; j++) {
    double tt = t + (j ? h : -h);
    for (int k = 0; k < n; k++) {
      d->q[k] = q0[k] + A[k] * sin(w[k] * tt);
      d->qd[k] = A[k] * w[k] * cos(w[k] * tt);
      d->qdd[k] = -A[k] * w[k] * w[k] * sin(w[k] * tt);
    }
    sl_kin_forward(m, d, 1);
    if (j == 0) {
      memcpy(w0, d->cvel, sizeof(double) * 6 * (size_t)ns);
    } else {
      double* w1 = d->cvel;
      for (int k = 0; k < n; k++) {
        d->q[k] = q0[k] + A[k] * sin(w[k] * t);
        d->qd[k] = A[k] * w[k] * cos(w[k] * t);
        d->qdd[k] = -A[k] * w[k] * w[k] * sin(w[k] * t);
      }
      double* w1c = malloc(sizeof(double) * 6 * (size_t)ns);
      memcpy(w1c, w1, sizeof(double) * 6 * (size_t)ns);
      sl_kin_forward(m, d, 1);
      for (int i = 0; i < ns; i++)
        for (int k = 0; k < 3; k++)
          assert_near(d->cacc[6 * i + k], (w1c[6 * i + k] - w0[6 * i + k]) / (2 * h), 1e-5, 1e-5);
      free(w1c);
    }
  }
  free(w0);
  for (int j = 0; j < 3; j++) {
    free(pos[j]);
    free(rot[j]);
  }
  free(q0);
  free(A);
  free(w);
  sl_data_free(d);
  sl_model_free(m);
}

// sl_kin_rates: new rates at the pose of the last sl_kin_forward give the very numbers of a whole
// sl_kin_forward with them (with_vel 1, 2 with a root motion, and 0), and the frames stay
static void test_rates_alone(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData * d = NULL, *e = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  assert_int_equal(sl_data_make(m, &e, NULL), SL_OK);
  int      n = m->ncoord, ns = m->nseg;
  unsigned seed = 5;
  for (int k = 0; k < n; k++) d->q[k] = e->q[k] = 0.3 * (urand(&seed) - 0.5);
  d->q[sl_model_coord(m, "pelvis_ty")] = e->q[sl_model_coord(m, "pelvis_ty")] = 1.0;
  for (int with_vel = 0; with_vel <= 2; with_vel++)
    for (int round = 0; round < 3; round++) {
      if (round == 0) {  // the pose and some rates
        for (int k = 0; k < n; k++) d->qd[k] = d->qdd[k] = 0.0;
        sl_kin_forward(m, d, with_vel);
      }
      for (int k = 0; k < n; k++) {
        e->qd[k] = d->qd[k] = urand(&seed) - 0.5;
        e->qdd[k] = d->qdd[k] = 4 * (urand(&seed) - 0.5);
      }
      for (int k = 0; k < 12; k++) e->root_motion[k] = d->root_motion[k] = urand(&seed) - 0.5;
      sl_kin_rates(m, d, with_vel);
      sl_kin_forward(m, e, with_vel);
      assert_memory_equal(d->cvel, e->cvel, sizeof(double) * 6 * (size_t)ns);
      assert_memory_equal(d->cacc, e->cacc, sizeof(double) * 6 * (size_t)ns);
      assert_memory_equal(d->ovel, e->ovel, sizeof(double) * 3 * (size_t)ns);
      assert_memory_equal(d->oacc, e->oacc, sizeof(double) * 3 * (size_t)ns);
      assert_memory_equal(d->xrot, e->xrot, sizeof(double) * 9 * (size_t)ns);
      assert_memory_equal(d->xcom, e->xcom, sizeof(double) * 3 * (size_t)ns);
      assert_memory_equal(d->xaxis, e->xaxis, sizeof(double) * 3 * (size_t)m->naxis);
    }
  sl_data_free(d);
  sl_data_free(e);
  sl_model_free(m);
}

static void test_posture_presets(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  double* q = malloc(sizeof(double) * (size_t)m->ncoord);
  int     torso = sl_model_segment(m, "torso"), head = sl_model_segment(m, "head");
  slError e;
  // standing: head above pelvis, lowest landmark on the floor
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_OK);
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  assert_true(d->xcom[3 * head + 1] > 1.4);
  double lowest = 1e9;
  for (int i = 0; i < m->nland; i++) {
    double w[3];
    sl_kin_point(m, d, m->land_seg[i], m->land_pos + 3 * i, w);
    if (w[1] < lowest) lowest = w[1];
  }
  assert_near(lowest, 0.0, 1e-12, 0);
  // supine: trunk horizontal, face up (torso x axis points up)
  p = sl_posture_default(SL_ROOT_SUPINE);
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_OK);
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  assert_near(d->xrot[9 * torso + 3], 1.0, 1e-9, 0);  // R[1][0]: segment x -> world y
  assert_true(d->xcom[3 * head + 1] < 0.3);
  // lumbar flexion by the rhythm: sum over levels equals the total
  p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 40 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_OK);
  double tot = 0;
  for (int l = 0; l < SL_NLEVEL; l++) tot += -q[m->lev_coord[l][0]];
  assert_near(tot, 40 * SL_DEG, 1e-12, 0);
  // out of range: a clear error naming the coordinate and the range
  p.lumbar[0] = 150 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q, &e), SL_ERR_RANGE);
  assert_non_null(strstr(e.msg, "total lumbar flexion 150 deg"));
  // (the L5/S1 range at the source's precision: extension to 3.63999973 deg, 26.00 deg in total)
  if (!strstr(e.msg, "must lie in [-26.00, 80.00] deg")) fail_msg("%s", e.msg);
  free(q);
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tiny_closed_form), cmocka_unit_test(test_rigid_invariants),
      cmocka_unit_test(test_time_derivatives), cmocka_unit_test(test_rates_alone),
      cmocka_unit_test(test_posture_presets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
