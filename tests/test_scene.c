// test_scene.c: the coupled solve of a body with its supports, disc loads, and batches.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "sl_run.h"
#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"

static slModel* load(const char* path) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

typedef struct Run {
  slScene*  s;
  slData*   d;
  double    cf[3 * 16];
  slContact c[16];
  int       nc;
} Run;

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
  slModel*       m = load(MALE);
  Run            r;
  const slModel* ms[1] = {m};
  assert_int_equal(sl_scene_make(&r.s, ms, 1, 16, NULL), SL_OK);
  r.d = sl_scene_data(r.s, 0);
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
  slModel* m = load(MALE);
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
  Run            r;
  const slModel* ms[1] = {m};
  assert_int_equal(sl_scene_make(&r.s, ms, 1, 16, NULL), SL_OK);
  r.d = sl_scene_data(r.s, 0);
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
  slModel*       m = load(MALE);
  Run            r;
  const slModel* ms[1] = {m};
  assert_int_equal(sl_scene_make(&r.s, ms, 1, 16, NULL), SL_OK);
  r.d = sl_scene_data(r.s, 0);
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
  slModel*   m = load(MALE);
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
  slModel*       m = load(MALE);
  Run            r;
  const slModel* ms[1] = {m};
  assert_int_equal(sl_scene_make(&r.s, ms, 1, 16, NULL), SL_OK);
  r.d = sl_scene_data(r.s, 0);
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equilibrium),    cmocka_unit_test(test_symmetry),
      cmocka_unit_test(test_postures_order), cmocka_unit_test(test_thread_determinism),
      cmocka_unit_test(test_criteria),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
