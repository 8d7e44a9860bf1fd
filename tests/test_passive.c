// test_passive.c: passive moments of the lumbar motion segments and the posterior ligament
// tension that flexion adds to disc compression.
// covers: sl_passive
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"

// posture sign of each axis: model coordinate = sign * posture angle (model flexion negative)
static const double SIGN[3] = {-1.0, 1.0, 1.0};

// set every lumbar coordinate to zero, then level l, axis a to the posture angle deg
static void pose(const slModel* m, slData* d, int l, int a, double deg) {
  for (int k = 0; k < SL_NLDOF; k++) d->q[m->ldof_coord[k]] = 0.0;
  if (l >= 0) d->q[m->lev_coord[l][a]] = SIGN[a] * deg * SL_DEG;
}

// no passive moment and no ligament tension with the lumbar spine at neutral, whatever the rest
// of the body does
static void test_neutral(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  for (int k = 0; k < m->ncoord; k++) d->q[k] = 0.3;  // limbs and root anywhere
  pose(m, d, -1, 0, 0.0);
  for (int k = 0; k < SL_NLDOF; k++) d->pas_moment[k] = 99.0;
  for (int l = 0; l < SL_NLEVEL; l++) d->lig_force[l] = 99.0;
  sl_passive(m, d);
  for (int k = 0; k < SL_NLDOF; k++) assert_true(d->pas_moment[k] == 0.0);
  for (int l = 0; l < SL_NLEVEL; l++) assert_true(d->lig_force[l] == 0.0);
  sl_data_free(d);
  sl_model_free(m);
}

// a displaced level is pushed back (the generalized force opposes the coordinate), harder the
// further it goes, in flexion, extension, both bends and both twists; the other dofs feel nothing
static void test_restoring(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  for (int l = 0; l < SL_NLEVEL; l++)
    for (int a = 0; a < 3; a++)
      for (int side = -1; side <= 1; side += 2) {
        double prev = 0.0;
        for (int step = 1; step <= 12; step++) {
          double deg = side * 1.0 * step;  // up to 12 deg at one level
          pose(m, d, l, a, deg);
          sl_passive(m, d);
          int    k = 3 * l + a;
          double q = d->q[m->lev_coord[l][a]], M = d->pas_moment[k];
          if (!(M * q < 0))
            fail_msg("level %d axis %d at %g deg: moment %g does not oppose q %g", l, a, deg, M, q);
          if (!(fabs(M) > prev))
            fail_msg("level %d axis %d at %g deg: |moment| %g not above %g", l, a, deg, fabs(M),
                     prev);
          prev = fabs(M);
          for (int j = 0; j < SL_NLDOF; j++)
            if (j != k) assert_true(d->pas_moment[j] == 0.0);
        }
      }
  sl_data_free(d);
  sl_model_free(m);
}

// the moment is the disc's curve plus the linear ligament part (flexion and extension stiffness
// differ), in N m per the posture angle in degrees; lateral bend and twist are symmetric
static void test_closed_form(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  const double xs[4] = {-7.5, -2.0, 3.0, 11.0};
  for (int a = 0; a < 3; a++)
    for (int i = 0; i < 4; i++) {
      double        x = xs[i];
      const double* c = m->pas_disc[a];
      double        k = a == 0 ? (x > 0 ? m->pas_lig[0] : m->pas_lig[1]) : m->pas_lig[a + 1];
      double        want = c[0] * x + c[1] * x * x + c[2] * x * fabs(x) + c[3] * x * x * x - k * x;
      pose(m, d, 2, a, x);
      sl_passive(m, d);
      assert_near(d->pas_moment[3 * 2 + a], SIGN[a] * want, 1e-12, 1e-12);
    }
  // this model's ligaments and facets are stiffer in extension than in flexion
  assert_true(m->pas_lig[1] > m->pas_lig[0]);
  for (int a = 1; a < 3; a++) {
    pose(m, d, 4, a, 6.0);
    sl_passive(m, d);
    double mp = d->pas_moment[3 * 4 + a];
    pose(m, d, 4, a, -6.0);
    sl_passive(m, d);
    assert_near(d->pas_moment[3 * 4 + a], -mp, 1e-12, 1e-12);
  }
  sl_data_free(d);
  sl_model_free(m);
}

// ligament tension: never negative; in flexion the ligament moment over the lever arm, growing
// with flexion; none in extension, bending or twisting
static void test_ligament(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  assert_true(m->pas_lever > 0);
  for (int l = 0; l < SL_NLEVEL; l++) {
    double prev = 0.0;
    for (double deg = -15; deg <= 15; deg += 0.5) {
      pose(m, d, l, 0, deg);
      sl_passive(m, d);
      for (int j = 0; j < SL_NLEVEL; j++) assert_true(d->lig_force[j] >= 0.0);
      for (int j = 0; j < SL_NLEVEL; j++)
        if (j != l) assert_true(d->lig_force[j] == 0.0);
      if (deg <= 0) {
        assert_true(d->lig_force[l] == 0.0);
      } else {
        assert_near(d->lig_force[l], m->pas_lig[0] * deg / m->pas_lever, 1e-9, 1e-12);
        assert_true(d->lig_force[l] > prev);
        prev = d->lig_force[l];
      }
    }
    for (int a = 1; a < 3; a++) {
      pose(m, d, l, a, 10.0);
      sl_passive(m, d);
      assert_true(d->lig_force[l] == 0.0);
    }
  }
  // all levels flexed at once: each carries its own tension
  for (int l = 0; l < SL_NLEVEL; l++) d->q[m->lev_coord[l][0]] = -5.0 * SL_DEG;
  sl_passive(m, d);
  for (int l = 0; l < SL_NLEVEL; l++)
    assert_near(d->lig_force[l], m->pas_lig[0] * 5.0 / m->pas_lever, 1e-9, 1e-12);
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_neutral),
      cmocka_unit_test(test_restoring),
      cmocka_unit_test(test_closed_form),
      cmocka_unit_test(test_ligament),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
