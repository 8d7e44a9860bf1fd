// test_scene.c: the coupled solve of a body with its supports, disc loads, and batches.
// covers: sl_scene sl_batch
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "sl_run.h"
#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

typedef struct Run {
  slScene*  s;
  slData*   d;
  double    cf[3 * 16];
  slContact c[16];
  int       nc;
} Run;

// a scene of one body, its workspace in r->d
static void scene_one(Run* r, const slModel* m) {
  const slModel* ms[1] = {m};
  assert_int_equal(sl_scene_make(&r->s, ms, 1, 16, NULL), SL_OK);
  r->d = sl_scene_data(r->s, 0);
}

static void feet(const slModel* m, Run* r) {
  const char* names[4] = {"heel_r", "heel_l", "forefoot_r", "forefoot_l"};
  r->nc = 4;
  for (int k = 0; k < 4; k++) {
    slContact* c = &r->c[k];
    memset(c, 0, sizeof *c);
    c->land = sl_model_landmark(m, names[k]);
    c->other = -1;
    c->normal[1] = 1;
    c->mu = 0.6;
  }
}

static void solve(const slModel* m, Run* r, const slPosture* p, const slPointLoad* L, int nl) {
  slError e;
  if (sl_posture_to_q(m, r->d, p, r->d->q, &e) != SL_OK) fail_msg("%s", e.msg);
  memset(r->d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(r->d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.loads[0] = L;
  in.nloads[0] = nl;
  in.contacts = r->c;
  in.ncontact = r->nc;
  slSoOpt o = sl_so_opt_default();
  sl_scene_step(r->s, &in, &o, r->cf);
}

// whole-body equilibrium: contact forces balance gravity and loads; lumbar equilibrium holds
static void test_equilibrium(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  feet(m, &r);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 20 * SL_DEG;
  p.lumbar[1] = 5 * SL_DEG;
  slPointLoad L = {sl_model_segment(m, "hand_r"), {0, -0.06, 0}, {0, -50, 0}};
  solve(m, &r, &p, &L, 1);
  slData* d = r.d;
  assert_int_equal(d->so.status, SL_SO_CONVERGED);
  double F[3] = {0, 0, 0};
  for (int k = 0; k < r.nc; k++) {
    slu_add3(F, F, r.cf + 3 * k);
    assert_true(r.cf[3 * k + 1] >= -1e-9);  // normal forces push
    double t = hypot(r.cf[3 * k], r.cf[3 * k + 2]);
    assert_true(t <= 0.6 * r.cf[3 * k + 1] * 1.4143 + 1e-9);  // inside the friction pyramid
  }
  double W = m->total_mass * -m->gravity[1] + 50;
  assert_near(F[1], W, 1e-6, 1e-8);
  assert_near(F[0], 0, 1e-6, 0);
  // lumbar equilibrium: R f + passive + reserve = tau, to 1e-8 relative
  double bn = 0;
  for (int k = 0; k < SL_NLDOF; k++) bn = fmax(bn, fabs(d->tau[k]));
  for (int k = 0; k < SL_NLDOF; k++) {
    double s = d->pas_moment[k] + d->reserve[k] + d->iap_R[k] * d->iap * m->iap_area;
    for (int i = 0; i < m->nmus; i++) s += d->mus_R[(size_t)i * SL_NLDOF + k] * d->mus_force[i];
    assert_near(s, d->tau[k], 1e-8 * fmax(1, bn), 0);
  }
  for (int i = 0; i < m->nmus; i++)
    assert_true(d->mus_force[i] >= 0 && d->mus_force[i] <= m->mus_fmax[i]);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// a symmetric posture: mirror-symmetric forces (on a mirror-symmetric model) and no lateral shear
static void test_symmetry(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  // make the model exactly symmetric (the source has mm-level left/right differences, and the
  // L1 centre of mass sits 1.3 mm right of the midline)
  m->seg_com[3 * sl_model_segment(m, "lumbar1") + 2] = 0.0;

  for (int i = 0; i < m->nmus; i++) {
    const char* n = m->mus_name[i];
    size_t      len = strlen(n);
    if (len < 2 || strcmp(n + len - 2, "_r")) continue;
    char tw[SL_NAME];
    snprintf(tw, sizeof tw, "%.*s_l", (int)(len - 2), n);
    for (int j = 0; j < m->nmus; j++)
      if (!strcmp(m->mus_name[j], tw)) {
        for (int k = 0; k < m->mus_ptnum[i]; k++) {
          double* a = m->pt_pos + 3 * (m->mus_ptadr[i] + k);
          double* b = m->pt_pos + 3 * (m->mus_ptadr[j] + k);
          b[0] = a[0], b[1] = a[1], b[2] = -a[2];
        }
        m->mus_fmax[j] = m->mus_fmax[i];
      }
  }
  Run r;
  scene_one(&r, m);
  feet(m, &r);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 30 * SL_DEG;
  solve(m, &r, &p, NULL, 0);
  slData* d = r.d;
  assert_int_equal(d->so.status, SL_SO_CONVERGED);
  for (int l = 0; l < SL_NLEVEL; l++) {
    assert_near(d->disc_shear_lat[l], 0, 1e-6, 0);
    assert_true(d->disc_comp[l] > 0);
  }
  for (int i = 0; i < m->nmus; i++) {
    const char* n = m->mus_name[i];
    size_t      len = strlen(n);
    if (len < 2 || strcmp(n + len - 2, "_r")) continue;
    char tw[SL_NAME];
    snprintf(tw, sizeof tw, "%.*s_l", (int)(len - 2), n);
    int j = -1;
    for (int k = 0; k < m->nmus; k++)
      if (!strcmp(m->mus_name[k], tw)) j = k;
    assert_near(d->mus_force[i], d->mus_force[j], 1e-6, 1e-6);
  }
  sl_scene_free(r.s);
  sl_model_free(m);
}

// lying supine with the trunk supported: compression near the disc pre-load; flexed standing
// loads the discs more than upright standing, and more flexion more still
static void test_postures_order(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  const char* bed[6] = {"head_back", "upper_back", "lower_back", "sacrum_back", "heel_r", "heel_l"};
  r.nc = 6;
  for (int k = 0; k < 6; k++) {
    memset(&r.c[k], 0, sizeof r.c[k]);
    r.c[k].land = sl_model_landmark(m, bed[k]);
    r.c[k].other = -1;
    r.c[k].normal[1] = 1;
    r.c[k].mu = 0.5;
  }
  slPosture p = sl_posture_default(SL_ROOT_SUPINE);
  solve(m, &r, &p, NULL, 0);
  // mechanical compression only: lying adds little to the swelling pressure
  double supine = r.d->disc_comp[1];
  assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
  assert_true(supine >= 0.0 && supine < 150.0);
  assert_near(r.d->disc_idp[1], m->disc_pre + m->disc_k * supine / m->disc_area[1], 1e-6, 0);
  feet(m, &r);
  double c[3];
  for (int k = 0; k < 3; k++) {
    p = sl_posture_default(SL_ROOT_STANDING);
    p.lumbar[0] = 20.0 * k * SL_DEG;
    solve(m, &r, &p, NULL, 0);
    assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
    c[k] = r.d->disc_comp[1];
  }
  assert_true(supine < c[0]);
  assert_true(c[0] < c[1] && c[1] < c[2]);
  print_message(
      "L4/L5 compression: supine %.0f N, standing %.0f N, flexed 20 deg %.0f N, 40 deg %.0f N\n",
      supine, c[0], c[1], c[2]);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// the same batch on 1, 2 and 3 threads gives bit-identical results
typedef struct Batch {
  const slModel* m;
  const double*  q;
  double*        comp;   // (n x 6)
  double*        force;  // (n x nmus)
  int*           iter;
} Batch;

static int batch_one(void* ctx, slScene* s, long i) {
  Batch*  b = ctx;
  slData* d = sl_scene_data(s, 0);
  memcpy(d->q, b->q + (size_t)i * (size_t)b->m->ncoord, sizeof(double) * (size_t)b->m->ncoord);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  slSoOpt o = sl_so_opt_default();
  sl_scene_step(s, &in, &o, NULL);
  memcpy(b->comp + 6 * i, d->disc_comp, sizeof d->disc_comp);
  memcpy(b->force + (size_t)i * (size_t)b->m->nmus, d->mus_force,
         sizeof(double) * (size_t)b->m->nmus);
  b->iter[i] = d->so.iter;
  return 0;
}

static void test_thread_determinism(void** state) {
  (void)state;
  slModel*   m = sl_test_model(MALE);
  const long n = 300;
  double*    q = malloc(sizeof(double) * (size_t)n * (size_t)m->ncoord);
  unsigned   seed = 1;
  for (long i = 0; i < n; i++) {
    double* qi = q + (size_t)i * (size_t)m->ncoord;
    memcpy(qi, m->coord_default, sizeof(double) * (size_t)m->ncoord);
    for (int k = 0; k < SL_NLDOF; k++) {
      seed = seed * 1103515245u + 12345u;
      int    c = m->ldof_coord[k];
      double u = ((seed >> 8) & 0xFFFF) / 65535.0;
      qi[c] =
          0.5 * (m->coord_range[2 * c] + (m->coord_range[2 * c + 1] - m->coord_range[2 * c]) * u);
    }
  }
  Batch          b[3];
  const slModel* ms[1] = {m};
  for (int t = 0; t < 3; t++) {
    b[t].m = m;
    b[t].q = q;
    b[t].comp = malloc(sizeof(double) * 6 * (size_t)n);
    b[t].force = malloc(sizeof(double) * (size_t)n * (size_t)m->nmus);
    b[t].iter = malloc(sizeof(int) * (size_t)n);
    assert_int_equal(sl_batch_run(ms, 1, 1, n, 16, t + 1, batch_one, &b[t], NULL), SL_OK);
  }
  for (int t = 1; t < 3; t++) {
    assert_memory_equal(b[0].comp, b[t].comp, sizeof(double) * 6 * (size_t)n);
    assert_memory_equal(b[0].force, b[t].force, sizeof(double) * (size_t)n * (size_t)m->nmus);
    assert_memory_equal(b[0].iter, b[t].iter, sizeof(int) * (size_t)n);
  }
  for (int t = 0; t < 3; t++) {
    free(b[t].comp);
    free(b[t].force);
    free(b[t].iter);
  }
  free(q);
  sl_model_free(m);
}

// criteria: p = 3 and min/max run on the full model and keep equilibrium
static void test_criteria(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  r.nc = 0;
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 30 * SL_DEG;
  slError e;
  assert_int_equal(sl_posture_to_q(m, r.d, &p, r.d->q, &e), SL_OK);
  double amax[3];
  for (int c = 0; c < 3; c++) {
    slSceneInput in;
    memset(&in, 0, sizeof in);
    slSoOpt o = sl_so_opt_default();
    o.criterion = (slCriterion)c;
    sl_scene_reset(r.s);
    sl_scene_step(r.s, &in, &o, NULL);
    assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
    amax[c] = 0;
    for (int i = 0; i < m->nmus; i++) amax[c] = fmax(amax[c], r.d->mus_force[i] / m->mus_fmax[i]);
  }
  assert_true(amax[2] <= amax[0] + 1e-6);
  assert_true(amax[2] <= amax[1] + 1e-6);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// ---- joints outside the lumbar spine -----------------------------------------------------------
// the generalized force of the external loads and contact forces on coordinate c, by virtual work
// from central differences of the kinematics (independent of the library's joint rows):
//   Q_c = sum_s F_s . dx_s/dq_c + T_s . dtheta_s/dq_c + sum_contacts f . dp/dq_c
static double virtual_work(const slModel* m, slData* d, const double* q, int c, const Run* r,
                           double* wk) {
  const double eps = 1e-6;
  int          ns = m->nseg;
  double*      xc = wk;             // 2 x ns x 3 CoMs
  double*      R = wk + 6 * ns;     // 2 x ns x 9
  double*      pc = wk + 24 * ns;   // 2 x nc x 3
  double*      F = pc + 6 * r->nc;  // ns x 3 loads at the nominal state
  double*      T = F + 3 * ns;      // ns x 3
  double*      R0 = T + 3 * ns;     // ns x 9
  memcpy(F, d->ext_force, sizeof(double) * 3 * (size_t)ns);
  memcpy(T, d->ext_torque, sizeof(double) * 3 * (size_t)ns);
  memcpy(R0, d->xrot, sizeof(double) * 9 * (size_t)ns);
  double saved[SL_NLDOF * 8];
  memcpy(saved, d->q, sizeof(double) * (size_t)m->ncoord);
  for (int k = 0; k < 2; k++) {
    memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
    d->q[c] += k ? eps : -eps;
    sl_kin_forward(m, d, 0);
    memcpy(xc + 3 * ns * k, d->xcom, sizeof(double) * 3 * (size_t)ns);
    memcpy(R + 9 * ns * k, d->xrot, sizeof(double) * 9 * (size_t)ns);
    for (int j = 0; j < r->nc; j++) {
      int l = r->c[j].land;
      sl_kin_point(m, d, m->land_seg[l], m->land_pos + 3 * l, pc + 3 * (r->nc * k + j));
    }
  }
  memcpy(d->q, saved, sizeof(double) * (size_t)m->ncoord);
  double Q = 0.0;
  for (int i = 0; i < ns; i++) {
    for (int a = 0; a < 3; a++)
      Q += F[3 * i + a] * (xc[3 * ns + 3 * i + a] - xc[3 * i + a]) / (2 * eps);
    double Wd[9], W[9];
    for (int a = 0; a < 9; a++) Wd[a] = (R[9 * ns + 9 * i + a] - R[9 * i + a]) / (2 * eps);
    slu_mulmmt3(W, Wd, R0 + 9 * i);
    double w[3] = {0.5 * (W[7] - W[5]), 0.5 * (W[2] - W[6]), 0.5 * (W[3] - W[1])};
    Q += slu_dot3(T + 3 * i, w);
  }
  for (int j = 0; j < r->nc; j++)
    for (int a = 0; a < 3; a++)
      Q += r->cf[3 * j + a] * (pc + 3 * (r->nc + j))[a] / (2 * eps) -
           r->cf[3 * j + a] * (pc + 3 * j)[a] / (2 * eps);
  return Q;
}

// Every joint of a supported body is in equilibrium: its torque actuator plus the generalized
// force of gravity, inertia, held loads and the contacts on everything it carries is zero to 1e-8
// relative to the scale of the equations (the largest demand, whole-body weight included, as the
// solver's tolerance); the reserve on the joint, reported, is part of the balance and below the
// flag level.
// Sitting against a backrest with the forearms on armrests and a load in the hand, first still,
// then moving (qd, qdd: inertial couples, sliding contacts with kinetic friction).
static void test_joint_equilibrium(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  const char*  names[7] = {"ischium_r",  "ischium_l", "heel_r", "heel_l",
                           "upper_back", "elbow_r",   "elbow_l"};
  const double back[3] = {0.966, 0.259, 0};
  r.nc = 7;
  for (int k = 0; k < 7; k++) {
    memset(&r.c[k], 0, sizeof r.c[k]);
    r.c[k].land = sl_model_landmark(m, names[k]);
    r.c[k].other = -1;
    slu_copy3(r.c[k].normal, k == 4 ? back : (double[3]){0, 1, 0});
    slu_normalize3(r.c[k].normal);
    r.c[k].mu = 0.46;
    r.c[k].mu_kinetic = 0.4;
  }
  slPosture p = sl_posture_default(SL_ROOT_SITTING);
  p.pelvis_rot[0] = 30 * SL_DEG;
  p.lumbar[0] = 15 * SL_DEG;
  p.hip_flex[0] = p.hip_flex[1] = 60 * SL_DEG;
  p.shoulder_flex[0] = p.shoulder_flex[1] = 20 * SL_DEG;
  p.elbow[0] = p.elbow[1] = 80 * SL_DEG;
  slPointLoad L = {sl_model_segment(m, "hand_r"), {0, -0.06, 0}, {0, -20, 0}};
  slError     e;
  double*     q = malloc(sizeof(double) * (size_t)m->ncoord);
  double*     wk = malloc(sizeof(double) * (40 * (size_t)m->nseg + 64));
  assert_int_equal(sl_posture_to_q(m, r.d, &p, q, &e), SL_OK);
  double worst = 0.0;
  for (int moving = 0; moving < 2; moving++) {
    memcpy(r.d->q, q, sizeof(double) * (size_t)m->ncoord);
    // moving: the limbs and the lumbar spine (not the pelvis, which rests on the seat)
    memset(r.d->qd, 0, sizeof(double) * (size_t)m->ncoord);
    memset(r.d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
    for (int c = 0; moving && c < m->ncoord; c++) {
      int root = 0;
      for (int k = 0; k < 6; k++) root |= m->root_coord[k] == c;
      if (root) continue;
      r.d->qd[c] = 0.3 * sin(1.7 * c + 0.4);
      r.d->qdd[c] = 2.0 * cos(0.9 * c);
    }
    slSceneInput in;
    memset(&in, 0, sizeof in);
    in.with_inertia = moving;
    in.loads[0] = &L;
    in.nloads[0] = 1;
    in.contacts = r.c;
    in.ncontact = r.nc;
    slSoOpt o = sl_so_opt_default();
    sl_scene_reset(r.s);
    sl_scene_step(r.s, &in, &o, r.cf);
    const slData* d = r.d;
    assert_int_equal(d->so.status, SL_SO_CONVERGED);
    double scale = m->total_mass * -m->gravity[1];
    for (int j = 0; j < m->njdof; j++) scale = fmax(scale, fabs(d->jdof_tau[j]));
    for (int j = 0; j < m->njdof; j++) {
      int    c = m->jdof_coord[j];
      double Q = virtual_work(m, r.d, q, c, &r, wk);
      double res = Q + d->jdof_torque[j] + d->jdof_reserve[j];
      worst = fmax(worst, fabs(res) / scale);
      if (fabs(res) > 1e-8 * scale)
        fail_msg("%s %s: actuator %.9g + reserve %.3g + external %.9g = %.3g",
                 moving ? "moving" : "still", m->coord_name[c], d->jdof_torque[j],
                 d->jdof_reserve[j], Q, res);
      assert_true(fabs(d->jdof_reserve[j]) < o.reserve_flag);
    }
    // the elbows on the armrests load the shoulders: those joints are in the solve
    int sh = -1;
    for (int j = 0; j < m->njdof; j++)
      if (!strcmp(m->coord_name[m->jdof_coord[j]], "arm_flex_r")) sh = j;
    assert_true(sh >= 0 && fabs(d->jdof_torque[sh]) > 0.5);
    if (moving) {
      int nslide = 0;
      for (int j = 0; j < r.nc; j++) nslide += sl_scene_sliding(r.s)[j];
      assert_true(nslide > 0);
    }
  }
  print_message(
      "joint equilibrium: largest residual %.2e relative (31 joint dofs, still and "
      "moving)\n",
      worst);
  free(q);
  free(wk);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// a contact that slides: kinetic friction mu_kinetic x normal, against the sliding velocity
static void test_kinetic_friction(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  feet(m, &r);
  for (int k = 0; k < r.nc; k++) r.c[k].mu_kinetic = 0.5;
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  slError   e;
  assert_int_equal(sl_posture_to_q(m, r.d, &p, r.d->q, &e), SL_OK);
  // the whole body glides forward and to the right at constant speed
  memset(r.d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(r.d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  r.d->qd[sl_model_coord(m, "pelvis_tx")] = 0.2;
  r.d->qd[sl_model_coord(m, "pelvis_tz")] = 0.1;
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.with_inertia = 1;
  in.contacts = r.c;
  in.ncontact = r.nc;
  slSoOpt o = sl_so_opt_default();
  sl_scene_step(r.s, &in, &o, r.cf);
  double v[3] = {0.2, 0, 0.1};
  slu_normalize3(v);
  double fx = 0.0;
  for (int k = 0; k < r.nc; k++) {
    assert_int_equal(sl_scene_sliding(r.s)[k], 1);
    assert_near(sl_scene_slip_speed(r.s)[k], sqrt(0.05), 1e-9, 0);
    const double* f = r.cf + 3 * k;
    double        t[3] = {f[0], 0, f[2]};
    // the tangential force is 0.5 x the normal force, pointing against the glide
    assert_near(slu_norm3(t), 0.5 * f[1], 1e-9, 1e-9);
    if (f[1] > 1.0) assert_near(slu_dot3(t, v) / slu_norm3(t), -1.0, 1e-9, 0);
    fx += f[0];
  }
  // friction brakes the glide: nothing can push the body on at constant speed, so a whole-body
  // reserve carries the balance and the posture is flagged
  assert_true(fx < -100.0);
  assert_int_equal(r.d->so.status, SL_SO_RESERVE);
  // the same glide with an excursion over the cycle that the soft tissue takes up: the feet stick
  // (static friction) and the body is held; just beyond it they slide again
  double exc[16];
  for (int k = 0; k < r.nc; k++) exc[k] = 0.9 * SL_TISSUE_SHEAR_M;
  in.excursion = exc;
  sl_scene_reset(r.s);
  sl_scene_step(r.s, &in, &o, r.cf);
  for (int k = 0; k < r.nc; k++) assert_int_equal(sl_scene_sliding(r.s)[k], 0);
  assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
  for (int k = 0; k < r.nc; k++) exc[k] = 1.1 * SL_TISSUE_SHEAR_M;
  sl_scene_reset(r.s);
  sl_scene_step(r.s, &in, &o, r.cf);
  for (int k = 0; k < r.nc; k++) assert_int_equal(sl_scene_sliding(r.s)[k], 1);
  in.excursion = NULL;
  // standing still: static friction within the pyramid, nothing flagged
  memset(r.d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  in.with_inertia = 0;
  sl_scene_reset(r.s);
  sl_scene_step(r.s, &in, &o, r.cf);
  for (int k = 0; k < r.nc; k++) assert_int_equal(sl_scene_sliding(r.s)[k], 0);
  assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// holding a load at arm's length: the shoulder's torque against its strength (3DSSPP-like check)
static void test_strength(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  r.nc = 0;  // held at the pelvis: only the lumbar spine and the joints are in question
  int sh = -1;
  for (int j = 0; j < m->njdof; j++)
    if (!strcmp(m->coord_name[m->jdof_coord[j]], "arm_flex_r")) sh = j;
  assert_true(sh >= 0);
  double share[2];
  int    status[2];
  double kg[2] = {2.0, 25.0};
  for (int k = 0; k < 2; k++) {
    slPosture p = sl_posture_default(SL_ROOT_STANDING);
    p.shoulder_flex[0] = 85 * SL_DEG;
    slPointLoad L = {sl_model_segment(m, "hand_r"), {0, -0.065, 0}, {0, -9.80665 * kg[k], 0}};
    sl_scene_reset(r.s);
    solve(m, &r, &p, &L, 1);
    share[k] = r.d->jdof_share[sh];
    status[k] = r.d->so.status;
  }
  // 2 kg: a fraction of the strength; 25 kg at arm's length: beyond it (about 150 N m against
  // about 100 N m of shoulder flexion strength), flagged as 'strength'
  assert_true(share[0] > 0.05 && share[0] < 0.5);
  assert_int_equal(status[0], SL_SO_CONVERGED);
  assert_true(share[1] > 1.0);
  assert_int_equal(status[1], SL_SO_STRENGTH);
  print_message("shoulder flexion at 2 kg: %.0f %% of strength; at 25 kg: %.0f %%\n",
                100 * share[0], 100 * share[1]);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// Intra-abdominal pressure: bounded, unloads the spine, off with iap.enabled=false, and its cost
// calibrated: 10 mmHg (1.33 kPa) at 54 N m of L5/S1 extension moment (Marras & Mirka 1996)
static void test_iap(void** state) {
  (void)state;
  slModel*   m = sl_test_model(MALE);
  slModel*   moff = NULL;
  slOverride off = {"iap.enabled", "false"};
  slError    e;
  assert_int_equal(sl_model_load(&moff, MALE, &off, 1, &e), SL_OK);
  assert_int_equal(moff->iap_on, 0);
  assert_int_equal(m->iap_on, 1);
  double comp[2], iap[2], tau = 0.0;
  for (int k = 0; k < 2; k++) {
    const slModel* mk = k ? moff : m;
    Run            r;
    assert_int_equal(sl_scene_make(&r.s, &mk, 1, 16, NULL), SL_OK);
    r.d = sl_scene_data(r.s, 0);
    feet(mk, &r);
    // a load in front of the chest, sized for 54 N m at L5/S1
    slPosture   p = sl_posture_default(SL_ROOT_STANDING);
    slPointLoad L = {sl_model_segment(mk, "torso"), {0.35, 0.25, 0}, {0, -9.80665 * 14.54, 0}};
    solve(mk, &r, &p, &L, 1);
    assert_int_equal(r.d->so.status, SL_SO_CONVERGED);
    comp[k] = r.d->disc_comp[0];
    iap[k] = r.d->iap;
    if (!k) tau = r.d->tau[0];
    sl_scene_free(r.s);
  }
  assert_near(tau, 54.0, 1.0, 0);
  assert_near(iap[0], 1333.0, 0, 0.15);  // Pa
  assert_true(iap[0] <= m->iap_pmax);
  assert_near(iap[1], 0.0, 0, 0);
  assert_true(comp[1] > comp[0] + 20.0);  // without IAP the disc carries more
  print_message(
      "54 N m at L5/S1: IAP %.2f kPa (%.1f mmHg); L5/S1 compression %.0f N, %.0f N "
      "without IAP\n",
      iap[0] * 1e-3, iap[0] / 133.322, comp[0], comp[1]);
  sl_model_free(m);
  sl_model_free(moff);
}

// the step from a later stage: the disc stage again reproduces the outputs bit for bit (the IAP
// force is not scaled twice), a solve again after changing the criterion matches a fresh step
// with that criterion, kinematics set by the caller match the scene's own, and only the stages
// that ran are timed
static void test_step_from(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  Run      r;
  scene_one(&r, m);
  feet(m, &r);
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  p.lumbar[0] = 25 * SL_DEG;
  slPointLoad L = {sl_model_segment(m, "hand_r"), {0, -0.06, 0}, {0, -80, 0}};
  solve(m, &r, &p, &L, 1);
  slData* d = r.d;
  assert_int_equal(d->so.status, SL_SO_CONVERGED);
  double comp[SL_NLEVEL], cf[3 * 16], iapf[3];
  memcpy(comp, d->disc_comp, sizeof comp);
  memcpy(cf, r.cf, sizeof cf);
  slu_copy3(iapf, d->iap_force);
  assert_true(slu_norm3(iapf) > 0.0);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.loads[0] = &L;
  in.nloads[0] = 1;
  in.contacts = r.c;
  in.ncontact = r.nc;
  slSoOpt o = sl_so_opt_default();
  sl_scene_profile(r.s, 1);
  sl_scene_step_from(r.s, &in, &o, r.cf, SL_STAGE_DISC);
  const double* t = sl_scene_times(r.s);
  for (int k = 0; k < SL_STAGE_DISC; k++) assert_true(t[k] == 0.0);
  assert_memory_equal(comp, d->disc_comp, sizeof comp);
  assert_memory_equal(cf, r.cf, sizeof(double) * 3 * (size_t)r.nc);
  assert_memory_equal(iapf, d->iap_force, sizeof iapf);
  // kinematics by the caller, the rest by the scene
  sl_kin_forward(m, d, 0);
  sl_scene_step_from(r.s, &in, &o, r.cf, SL_STAGE_MUSCLE);
  assert_true(t[SL_STAGE_KIN] == 0.0);
  assert_true(t[SL_STAGE_MUSCLE] > 0.0 && t[SL_STAGE_SOLVE] > 0.0);
  for (int l = 0; l < SL_NLEVEL; l++) assert_near(d->disc_comp[l], comp[l], 1e-3 * comp[l], 0);
  // another criterion: the solve and the disc loads only
  o.criterion = SL_CRIT_P3;
  sl_scene_profile(r.s, 1);
  sl_scene_step_from(r.s, &in, &o, r.cf, SL_STAGE_SOLVE);
  for (int k = 0; k < SL_STAGE_SOLVE; k++) assert_true(t[k] == 0.0);
  assert_int_equal(d->so.status, SL_SO_CONVERGED);
  double comp3[SL_NLEVEL];
  memcpy(comp3, d->disc_comp, sizeof comp3);
  Run r2;
  scene_one(&r2, m);
  feet(m, &r2);
  in.contacts = r2.c;
  memcpy(r2.d->q, d->q, sizeof(double) * (size_t)m->ncoord);  // the same posture, qd = qdd = 0
  sl_scene_step(r2.s, &in, &o, r2.cf);
  assert_int_equal(r2.d->so.status, SL_SO_CONVERGED);
  int differs = 0;
  for (int l = 0; l < SL_NLEVEL; l++) {
    assert_near(comp3[l], r2.d->disc_comp[l], 1e-3 * comp3[l], 0);
    differs |= fabs(comp3[l] - comp[l]) > 1.0;  // p3 recruits otherwise than p2
  }
  assert_true(differs);
  sl_scene_free(r2.s);
  sl_scene_free(r.s);
  sl_model_free(m);
}

// the operation count (sl_scene_flops) against a hand count of the tiny model: seven segments
// (pelvis: one rotation and two translations; six vertebrae of three rotations each, every axis
// linear in its coordinate), two muscles of five points and three pieces in all, each of them
// crossing all six levels (twelve crossings)
static void test_flops(void** state) {
  (void)state;
  slModel*       m = sl_test_model(TINY);
  const slModel* ms[1] = {m};
  slScene*       s = NULL;
  assert_int_equal(sl_scene_make(&s, ms, 1, 0, NULL), SL_OK);
  slData* d = sl_scene_data(s, 0);
  assert_int_equal(m->nseg, 7);
  assert_int_equal(m->ncross, 12);
  memset(d->q, 0, sizeof(double) * (size_t)m->ncoord);
  d->q[sl_model_coord(m, "f2")] = 10 * SL_DEG;
  slSceneInput in;
  memset(&in, 0, sizeof in);
  slSoOpt o = sl_so_opt_default();
  double  fl[SL_NSTAGE];
  sl_scene_step(s, &in, &o, NULL);
  sl_scene_flops(s, &in, &o, fl);
  // per segment: joint frame (3x3 product 45, matrix-vector 15, sum 3) and child frame, frame M
  // and centre of mass (99); per axis: its value (linear: 1) and rates (5); a rotation turns its
  // axis (15), makes its rotation (Rodrigues: sin, cos, 34) and composes it (45); a translation
  // turns its axis (15) and adds three scaled vectors (18)
  double rot = 5 + 1 + 15 + 36 + 45, tra = 5 + 1 + 15 + 18;
  assert_true(fl[SL_STAGE_KIN] == 7 * (63 + 99) + 19 * rot + 2 * tra);  // 3150
  // five points to world (18 each); four pieces, one from each point to the next in one loop
  // (difference 3, norm 6, reciprocal 1, unit 3), the one between the two paths too; the three
  // lengths of the paths' pieces summed (1 each); twelve crossings (sign 3, lever 3, moment 9,
  // three projections scaled 18)
  assert_true(fl[SL_STAGE_MUSCLE] == 5 * 18 + 4 * 13 + 3 + 12 * 33);  // 541
  for (int k = 0; k < SL_NSTAGE; k++) assert_true(fl[k] > 0);
  // the recruitment: at least one 18 x 18 Cholesky and its solves per Newton iteration
  int it = d->so.iter;
  assert_true(it >= 1);
  double chol = 18.0 * 18 * 18 / 3 + 18.0 * 18 / 2 + 18.0 / 6 + 2 * 18 * 18;
  assert_true(fl[SL_STAGE_SOLVE] > it * chol);
  // the same posture again, warm: no iteration, one evaluation of the dual
  sl_scene_step(s, &in, &o, NULL);
  double fl2[SL_NSTAGE];
  sl_scene_flops(s, &in, &o, fl2);
  assert_int_equal(d->so.iter, 0);
  assert_true(fl2[SL_STAGE_SOLVE] > 0 && fl2[SL_STAGE_SOLVE] < chol);
  assert_true(fl2[SL_STAGE_KIN] == fl[SL_STAGE_KIN]);
  // a step from the solve counts the solve and the disc loads only
  sl_scene_step_from(s, &in, &o, NULL, SL_STAGE_SOLVE);
  sl_scene_flops(s, &in, &o, fl2);
  for (int k = 0; k < SL_STAGE_SOLVE; k++) assert_true(fl2[k] == 0.0);
  assert_true(fl2[SL_STAGE_DISC] > 0);
  sl_scene_free(s);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equilibrium),
      cmocka_unit_test(test_symmetry),
      cmocka_unit_test(test_postures_order),
      cmocka_unit_test(test_thread_determinism),
      cmocka_unit_test(test_criteria),
      cmocka_unit_test(test_joint_equilibrium),
      cmocka_unit_test(test_kinetic_friction),
      cmocka_unit_test(test_strength),
      cmocka_unit_test(test_iap),
      cmocka_unit_test(test_step_from),
      cmocka_unit_test(test_flops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
