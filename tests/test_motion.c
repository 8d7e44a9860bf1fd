// test_motion.c: the motion stage's velocities and accelerations (velocity recursion from the
// root's motion and the joint coordinates' rates) against central differences of segment frames.
// covers: sl_motion
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "sl_motion.h"
#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"

// kinematics of the pose at time t: CoM (ns x 3) and rotations (ns x 9)
static void frames(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                   const slMotion* mo, double f, double t, double* q, double* com, double* rot) {
  sl_motion_q(m, d, q0, rest, mo, f, t, NULL, NULL, q);
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  memcpy(com, d->xcom, sizeof(double) * 3 * (size_t)m->nseg);
  memcpy(rot, d->xrot, sizeof(double) * 9 * (size_t)m->nseg);
}

static void check(const char* what, slMotion mo) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, MALE, NULL, 0, &e) != SL_OK) fail_msg("%s", e.msg);
  slData* d = NULL;
  assert_int_equal(sl_data_make(m, &d, &e), SL_OK);
  int       nc = m->ncoord, ns = m->nseg;
  double*   q0 = calloc((size_t)nc, sizeof(double));
  double*   q = calloc((size_t)nc, sizeof(double));
  double*   work = calloc(sl_motion_work_size(m), sizeof(double));
  double*   com = calloc(3 * 3 * (size_t)ns, sizeof(double));
  double*   rot = calloc(3 * 9 * (size_t)ns, sizeof(double));
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 20 * SL_DEG;
  p.lumbar[2] = 5 * SL_DEG;
  assert_int_equal(sl_posture_to_q(m, d, &p, q0, &e), SL_OK);
  const slModel* ms[1] = {m};
  slData*        ds[1] = {d};
  const double*  qs[1] = {q0};
  slMotionRest   rest;
  sl_motion_rest(ms, ds, qs, 1, NULL, 0, 0, &rest);
  const double f = 1.5, t = 0.13, h = 1e-4 / f;  // finer than the motion stage's own step
  for (int j = 0; j < 3; j++)
    frames(m, d, q0, &rest, &mo, f, t + (j - 1) * h, q, com + 3 * (size_t)ns * (size_t)j,
           rot + 9 * (size_t)ns * (size_t)j);
  sl_motion_state(m, d, q0, &rest, &mo, f, t, work);
  double worst[4] = {0, 0, 0, 0}, scale[4] = {0, 0, 0, 0};
  for (int i = 0; i < ns; i++) {
    const double *c0 = com + 3 * i, *c1 = c0 + 3 * ns, *c2 = c1 + 3 * ns;
    const double *R0 = rot + 9 * i, *R1 = R0 + 9 * ns, *R2 = R1 + 9 * ns;
    double        Rd[9], Rdd[9], W[9], A[9], ref[12];
    for (int k = 0; k < 9; k++) {
      Rd[k] = (R2[k] - R0[k]) / (2 * h);
      Rdd[k] = (R2[k] - 2 * R1[k] + R0[k]) / (h * h);
    }
    slu_mulmmt3(W, Rd, R1);
    slu_mulmmt3(A, Rdd, R1);
    ref[0] = 0.5 * (W[7] - W[5]), ref[1] = 0.5 * (W[2] - W[6]), ref[2] = 0.5 * (W[3] - W[1]);
    ref[6] = 0.5 * (A[7] - A[5]), ref[7] = 0.5 * (A[2] - A[6]), ref[8] = 0.5 * (A[3] - A[1]);
    for (int k = 0; k < 3; k++) {
      ref[3 + k] = (c2[k] - c0[k]) / (2 * h);
      ref[9 + k] = (c2[k] - 2 * c1[k] + c0[k]) / (h * h);
    }
    const double* got[4] = {d->cvel + 6 * i, d->cvel + 6 * i + 3, d->cacc + 6 * i,
                            d->cacc + 6 * i + 3};
    for (int g = 0; g < 4; g++)
      for (int k = 0; k < 3; k++) {
        worst[g] = fmax(worst[g], fabs(got[g][k] - ref[3 * g + k]));
        scale[g] = fmax(scale[g], fabs(ref[3 * g + k]));
      }
  }
  print_message(
      "%s: largest |recursion - frame differences|: omega %.2g of %.2g rad/s, v %.2g "
      "of %.2g m/s, alpha %.2g of %.2g rad/s2, a %.2g of %.2g m/s2\n",
      what, worst[0], scale[0], worst[1], scale[1], worst[2], scale[2], worst[3], scale[3]);
  for (int g = 0; g < 4; g++) {
    assert_true(scale[g] > 1e-3);  // the motion moves something
    assert_true(worst[g] <= 1e-3 * scale[g]);
  }
  free(q0), free(q), free(work), free(com), free(rot);
  sl_data_free(d);
  sl_model_free(m);
}

static void test_hip(void** state) {
  (void)state;
  check("hip-driven", (slMotion){5 * SL_DEG, 0.0, 0.0});
}

static void test_spine(void** state) {
  (void)state;
  check("spine-driven", (slMotion){0.0, 5 * SL_DEG, 0.0});
}

static void test_mixed(void** state) {
  (void)state;
  check("mixed", (slMotion){3 * SL_DEG, 3 * SL_DEG, SL_PI / 3});
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hip),
      cmocka_unit_test(test_spine),
      cmocka_unit_test(test_mixed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
