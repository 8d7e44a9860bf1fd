// test_disc.c: disc loads, the last stage: compression split by source, shear, resultant and the
// intradiscal pressure estimate, in closed form and after solved postures.
// covers: sl_disc
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"

// the four foot contacts of standing
static int feet(const slModel* m, slContact* c) {
  const char* names[4] = {"heel_r", "heel_l", "forefoot_r", "forefoot_l"};
  for (int k = 0; k < 4; k++) {
    memset(&c[k], 0, sizeof c[k]);
    c[k].land = sl_model_landmark(m, names[k]);
    assert_true(c[k].land >= 0);
    c[k].other = -1;
    c[k].normal[1] = 1;
    c[k].mu = 0.6;
  }
  return 4;
}

// solve a standing posture (lumbar flexion deg, a mass held in the right hand) on the feet
static void solve(const slModel* m, slScene* s, double flex_deg, double kg) {
  slData*   d = sl_scene_data(s, 0);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = flex_deg * SL_DEG;
  slError e;
  if (sl_posture_to_q(m, d, &p, d->q, &e) != SL_OK) fail_msg("%s", e.msg);
  memset(d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  slContact    c[4];
  int          nc = feet(m, c);
  slPointLoad  L = {sl_model_segment(m, "hand_r"), {0, -0.06, 0}, {0, -9.80665 * kg, 0}};
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.loads[0] = &L;
  in.nloads[0] = kg > 0 ? 1 : 0;
  in.contacts = c;
  in.ncontact = nc;
  slSoOpt o = sl_so_opt_default();
  sl_scene_reset(s);
  sl_scene_step(s, &in, &o, NULL);
}

// after solved postures: the parts add up to the compression at every level, the resultant is
// the length of (compression, shear AP, shear lateral), IDP = p0 + k F / A from the model's own
// parameters, and the parts are where they should be (held loads only with a load, ligaments
// only in flexion, the body's weight compressing)
static void test_solved(void** state) {
  (void)state;
  slModel*       m = sl_test_model(MALE);
  const slModel* ms[1] = {m};
  slScene*       s = NULL;
  assert_int_equal(sl_scene_make(&s, ms, 1, 4, NULL), SL_OK);
  slData*      d = sl_scene_data(s, 0);
  int          np = sl_part_count(m);
  const double flex[4] = {0, 20, 40, 10}, kg[4] = {0, 0, 10, 5};
  double       c45[4];
  for (int t = 0; t < 4; t++) {
    solve(m, s, flex[t], kg[t]);
    assert_int_equal(d->so.status, SL_SO_CONVERGED);
    for (int l = 0; l < SL_NLEVEL; l++) {
      const double* P = d->comp_parts + (size_t)l * (size_t)np;
      double        sum = 0;
      for (int k = 0; k < np; k++) {
        assert_true(isfinite(P[k]));
        sum += P[k];
      }
      assert_near(sum, d->disc_comp[l], 1e-6, 1e-9);
      double c = d->disc_comp[l], ap = d->disc_shear_ap[l], lat = d->disc_shear_lat[l];
      assert_near(d->disc_res[l], sqrt(c * c + ap * ap + lat * lat), 1e-9, 1e-12);
      assert_true(d->disc_res[l] >= fabs(c) && d->disc_res[l] >= fabs(ap));
      double idp = m->disc_pre + m->disc_k * c / m->disc_area[l];
      assert_near(d->disc_idp[l], idp > 0 ? idp : 0, 1e-6, 1e-12);
      // standing: the discs are pressed, the body's weight above compresses each level
      assert_true(c > 0);
      assert_true(P[SL_PART_BODY] > 0);
      if (kg[t] == 0)
        assert_true(P[SL_PART_LOADS] == 0.0);
      else
        assert_true(P[SL_PART_LOADS] > 0.5 * 9.80665 * kg[t]);  // the load pulls down the trunk
      assert_near(P[SL_PART_LIGAMENT], d->lig_force[l], 0, 0);
      assert_true(P[SL_PART_LIGAMENT] >= 0);
      if (flex[t] == 0) assert_true(P[SL_PART_LIGAMENT] == 0.0);
      assert_true(P[SL_PART_CONTACTS] == 0.0);  // the feet are below every level
    }
    c45[t] = d->disc_comp[1];
  }
  // more flexion and a held mass press L4/L5 harder
  assert_true(c45[1] > c45[0] && c45[2] > c45[1]);
  sl_scene_free(s);
  sl_model_free(m);
}

// a frame that is the world's own (anterior x, normal y, right z) and no muscle, contact or
// pressure: the disc sees the demand alone, then each source added in turn, in closed form
static void test_closed_form(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  int np = sl_part_count(m);
  // the muscle crossing directions need a geometry; forces are zero here
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  assert_int_equal(sl_posture_to_q(m, d, &p, d->q, NULL), SL_OK);
  sl_kin_forward(m, d, 0);
  sl_muscle_geometry(m, d);
  sl_load_external(m, d, 0, NULL, 0);
  sl_load_demand(m, d);
  memset(d->mus_force, 0, sizeof(double) * (size_t)m->nmus);
  memset(d->iap_force, 0, sizeof d->iap_force);
  for (int l = 0; l < SL_NLEVEL; l++) {
    memset(d->disc_rot[l], 0, sizeof d->disc_rot[l]);
    d->disc_rot[l][0] = d->disc_rot[l][4] = d->disc_rot[l][8] = 1.0;
    d->demand_force[l][0] = 10.0 + l;
    d->demand_force[l][1] = -500.0;
    d->demand_force[l][2] = 3.0;
    d->load_force[l][0] = 0.0;
    d->load_force[l][1] = -100.0;
    d->load_force[l][2] = 0.0;
    d->lig_force[l] = 0.0;
  }
  sl_disc_loads(m, d, 0, NULL, 0, NULL, NULL, NULL);
  for (int l = 0; l < SL_NLEVEL; l++) {
    const double* P = d->comp_parts + (size_t)l * (size_t)np;
    assert_near(d->disc_comp[l], 500.0, 1e-9, 0);
    assert_near(d->disc_shear_ap[l], 10.0 + l, 1e-9, 0);
    assert_near(d->disc_shear_lat[l], 3.0, 1e-9, 0);
    assert_near(P[SL_PART_BODY], 400.0, 1e-9, 0);
    assert_near(P[SL_PART_LOADS], 100.0, 1e-9, 0);
    for (int k = SL_PART_LIGAMENT; k < np; k++) assert_true(P[k] == 0.0);
    assert_near(d->disc_idp[l], m->disc_pre + m->disc_k * 500.0 / m->disc_area[l], 1e-6, 0);
  }
  // ligament tension presses; IAP pushes the thorax up and relieves; a contact on the thorax
  // pushing down presses every level below the thorax (all six)
  int       chest = sl_model_landmark(m, "chest");
  slContact ct;
  memset(&ct, 0, sizeof ct);
  ct.land = chest >= 0 ? chest : 0;
  ct.other = -1;
  int    var = 0;
  double edge[3] = {0, -1, 0}, cval = 30.0;
  for (int l = 0; l < SL_NLEVEL; l++) d->lig_force[l] = 50.0;
  d->iap_force[1] = 200.0;
  sl_disc_loads(m, d, 0, &ct, 1, &var, edge, &cval);
  int above_all = 1;
  for (int l = 0; l < SL_NLEVEL; l++) above_all &= (m->seg_above[m->land_seg[ct.land]] >> l) & 1u;
  assert_true(chest >= 0 && above_all);
  for (int l = 0; l < SL_NLEVEL; l++) {
    const double* P = d->comp_parts + (size_t)l * (size_t)np;
    assert_near(d->disc_comp[l], 500.0 + 50.0 - 200.0 + 30.0, 1e-9, 0);
    assert_near(P[SL_PART_LIGAMENT], 50.0, 1e-12, 0);
    assert_near(P[SL_PART_IAP], -200.0, 1e-9, 0);
    assert_near(P[SL_PART_CONTACTS], 30.0, 1e-9, 0);
    double sum = 0;
    for (int k = 0; k < np; k++) sum += P[k];
    assert_near(sum, d->disc_comp[l], 1e-9, 0);
  }
  // the same contact as a partner contact with this body as `other`: the force is reversed
  ct.body = 1;
  ct.other = 0;
  ct.other_land = chest;
  ct.land = 0;
  sl_disc_loads(m, d, 0, &ct, 1, &var, edge, &cval);
  for (int l = 0; l < SL_NLEVEL; l++)
    assert_near(d->comp_parts[(size_t)l * (size_t)np + SL_PART_CONTACTS], -30.0, 1e-9, 0);
  // a contact on a foot is below every level: no part
  ct.body = 0;
  ct.other = -1;
  ct.land = sl_model_landmark(m, "heel_r");
  sl_disc_loads(m, d, 0, &ct, 1, &var, edge, &cval);
  for (int l = 0; l < SL_NLEVEL; l++)
    assert_true(d->comp_parts[(size_t)l * (size_t)np + SL_PART_CONTACTS] == 0.0);
  // a distracted disc keeps no negative pressure
  for (int l = 0; l < SL_NLEVEL; l++) {
    d->demand_force[l][1] = 2000.0;
    d->load_force[l][1] = 0.0;
    d->lig_force[l] = 0.0;
  }
  d->iap_force[1] = 0.0;
  sl_disc_loads(m, d, 0, NULL, 0, NULL, NULL, NULL);
  for (int l = 0; l < SL_NLEVEL; l++) {
    assert_near(d->disc_comp[l], -2000.0, 1e-9, 0);
    assert_true(d->disc_idp[l] == 0.0);
    assert_near(d->disc_res[l], sqrt(2000.0 * 2000.0 + (10.0 + l) * (10.0 + l) + 9.0), 1e-9, 0);
  }
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_solved),
      cmocka_unit_test(test_closed_form),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
