// test_results.c: the results store of one body: allocation by flags, storing a solved posture of
// the tiny model (and contacts with their signs), writing under a group and reading it back with
// the HDF5 reader (shapes, values, a units attribute on every dataset), the /model group and the
// /meta group with the input files' texts verbatim.
// covers: sl_results
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_config.h"
#include "sl_h5.h"
#include "sl_io.h"
#include "sl_results.h"
#include "spineload.h"
#include "testutil.h"

#define TINY   SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"
#define MALE   SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define OUTDIR SL_TEST_BINARY_DIR "/test_results_out"

static void ok(slStatus st, const slError* e) {
  if (st != SL_OK) fail_msg("status %d at '%s': %s", (int)st, e->where, e->msg);
}

static void out_path(char* buf, size_t n, const char* name) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  snprintf(buf, n, "%s/%s", OUTDIR, name);
  remove(buf);
}

static void assert_attr(slH5* f, const char* obj, const char* name, const char* want) {
  char    buf[4096];
  slError e;
  ok(sl_h5_read_attr_str(f, obj, name, buf, sizeof buf, &e), &e);
  assert_string_equal(buf, want);
}

static double attr_num(slH5* f, const char* obj, const char* name) {
  char    buf[64];
  slError e;
  ok(sl_h5_read_attr_str(f, obj, name, buf, sizeof buf, &e), &e);
  return strtod(buf, NULL);
}

// ---- a solved posture of the tiny model --------------------------------------------------------

typedef struct Solved {
  slModel*  m;
  slScene*  s;
  slData*   d;
  slContact c[3];
  double    cf[9];
} Solved;

// the tiny column seated on its `seat` landmark, flexed 2 degrees per level, 3 kg at the thorax
static void solve_tiny(Solved* S) {
  memset(S, 0, sizeof *S);
  S->m = sl_test_model(TINY);
  const slModel* ms[1] = {S->m};
  slError        e;
  ok(sl_scene_make(&S->s, ms, 1, 3, &e), &e);
  S->d = sl_scene_data(S->s, 0);
  const slModel* m = S->m;
  memset(S->d->q, 0, sizeof(double) * (size_t)m->ncoord);
  memset(S->d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(S->d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  for (int l = 0; l < SL_NLEVEL; l++) S->d->q[m->lev_coord[l][0]] = -2 * SL_DEG;  // flexion
  S->d->q[sl_model_coord(m, "ty")] = 0.05;
  slContact* c = &S->c[0];
  c->land = sl_model_landmark(m, "seat");
  c->other = -1;
  c->other_land = -1;
  c->normal[1] = 1;
  c->mu = 0.6;
  c->mu_kinetic = 0.5;
  static slPointLoad L;
  L.seg = sl_model_segment(m, "thorax");
  L.pos[1] = 0.1;
  L.force[1] = -30;
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.loads[0] = &L;
  in.nloads[0] = 1;
  in.contacts = S->c;
  in.ncontact = 1;
  slSoOpt o = sl_so_opt_default();
  sl_scene_step(S->s, &in, &o, S->cf);
  const slData* d = S->d;
  // it is a real solution: muscles pull, the seat pushes, the discs are compressed
  if (d->so.status != SL_SO_CONVERGED && d->so.status != SL_SO_RESERVE)
    fail_msg("tiny posture: solver status %d", d->so.status);
  assert_true(S->cf[1] > 0);
  assert_true(d->disc_comp[1] > 0);
  assert_true(d->mus_force[0] + d->mus_force[1] > 0);
}

static void free_solved(Solved* S) {
  sl_scene_free(S->s);
  sl_model_free(S->m);
}

static void test_make(void** state) {
  (void)state;
  slModel*   m = sl_test_model(TINY);
  slResults* r = NULL;
  slError    e;
  ok(sl_results_make(&r, m, 5, 2, 0, &e), &e);
  assert_int_equal(r->n, 5);
  assert_int_equal(r->ncoord, m->ncoord);
  assert_int_equal(r->nseg, m->nseg);
  assert_int_equal(r->nmus, m->nmus);
  assert_int_equal(r->maxcontact, 2);
  assert_int_equal(r->njdof, m->njdof);
  assert_int_equal(r->npart, sl_part_count(m));
  assert_int_equal(r->flags, 0);
  assert_null(r->mus_R);  // only with the flags
  assert_null(r->seg_pos);
  assert_null(r->seg_rot);
  // zeroed
  for (int i = 0; i < 5 * m->ncoord; i++) assert_true(r->q[i] == 0.0);
  for (int i = 0; i < 5 * SL_NLEVEL; i++) assert_true(r->comp[i] == 0.0);
  sl_results_free(r);
  ok(sl_results_make(&r, m, 2, 0, SL_RES_FRAMES | SL_RES_MOMENT_ARMS, &e), &e);
  assert_non_null(r->mus_R);
  assert_non_null(r->seg_pos);
  assert_non_null(r->seg_rot);
  assert_non_null(r->contact_force);  // room for one even without contacts
  sl_results_free(r);
  ok(sl_results_make(&r, m, 0, 0, 0, &e), &e);  // no postures is fine
  assert_int_equal(r->n, 0);
  sl_results_free(r);
  sl_results_free(NULL);
  sl_model_free(m);
}

static void test_store(void** state) {
  (void)state;
  Solved S;
  solve_tiny(&S);
  const slModel* m = S.m;
  const slData*  d = S.d;
  slResults*     r = NULL;
  slError        e;
  ok(sl_results_make(&r, m, 3, 3, SL_RES_FRAMES | SL_RES_MOMENT_ARMS, &e), &e);
  // contacts as a scene of two bodies lists them for body 0: its support, a partner contact in
  // which body 0 is the other (force reversed, at its other_land), one of body 1 alone (skipped)
  slContact c[3];
  memcpy(&c[0], &S.c[0], sizeof c[0]);
  memset(&c[1], 0, sizeof c[1]);
  c[1].body = 1;
  c[1].land = 0;
  c[1].other = 0;
  c[1].other_land = sl_model_landmark(m, "back");
  memset(&c[2], 0, sizeof c[2]);
  c[2].body = 1;
  c[2].other = -1;
  double cf[9] = {S.cf[0], S.cf[1], S.cf[2], 1, 2, 3, 7, 8, 9};
  sl_results_store(r, 1, m, d, c, 3, 0, cf);
  int nc = m->ncoord, nm = m->nmus;
  for (int k = 0; k < nc; k++) assert_true(r->q[nc + k] == d->q[k]);
  for (int k = 0; k < nc; k++) assert_true(r->q[k] == 0.0);  // other rows untouched
  assert_int_equal(r->status[1], d->so.status);
  assert_int_equal(r->iter[1], d->so.iter);
  assert_true(r->cost[1] == d->so.cost);
  for (int l = 0; l < SL_NLEVEL; l++) {
    assert_true(r->comp[SL_NLEVEL + l] == d->disc_comp[l]);
    assert_true(r->shear_ap[SL_NLEVEL + l] == d->disc_shear_ap[l]);
    assert_true(r->resultant[SL_NLEVEL + l] == d->disc_res[l]);
    assert_near(r->idp[SL_NLEVEL + l], d->disc_idp[l] * 1e-6, 0, 1e-15);  // MPa
    for (int a = 0; a < 3; a++) {
      assert_true(r->demand_moment[3 * SL_NLEVEL + 3 * l + a] == d->demand_moment[l][a]);
      assert_true(r->lev_pos[3 * SL_NLEVEL + 3 * l + a] == d->lev_xpos[l][a]);
    }
    for (int k = 0; k < 9; k++)
      assert_true(r->disc_frame[9 * SL_NLEVEL + 9 * l + k] == d->disc_rot[l][k]);
    // the parts add up to the compression
    double sum = 0;
    for (int p = 0; p < r->npart; p++) sum += r->comp_parts[(SL_NLEVEL + l) * r->npart + p];
    assert_near(sum, r->comp[SL_NLEVEL + l], 1e-9, 1e-9);
  }
  for (int k = 0; k < SL_NLDOF; k++) {
    assert_true(r->tau[SL_NLDOF + k] == d->tau[k]);
    assert_true(r->reserve[SL_NLDOF + k] == d->reserve[k]);
  }
  assert_near(r->iap[1], d->iap * 1e-3, 0, 1e-15);  // kPa
  for (int j = 0; j < nm; j++) {
    assert_true(r->mus_force[nm + j] == d->mus_force[j]);
    assert_true(r->mus_len[nm + j] == d->mus_len[j]);
    // moment arms transposed to (dof x muscle)
    for (int k = 0; k < SL_NLDOF; k++)
      assert_true(r->mus_R[SL_NLDOF * nm + k * nm + j] == d->mus_R[j * SL_NLDOF + k]);
  }
  for (int k = 0; k < 3 * m->nseg; k++) assert_true(r->seg_pos[3 * m->nseg + k] == d->xpos[k]);
  for (int k = 0; k < 9 * m->nseg; k++) assert_true(r->seg_rot[9 * m->nseg + k] == d->xrot[k]);
  // the whole-body centre of mass
  for (int a = 0; a < 3; a++) {
    double s = 0;
    for (int g = 0; g < m->nseg; g++) s += m->seg_mass[g] * d->xcom[3 * g + a];
    assert_near(r->com[3 + a], s / m->total_mass, 1e-15, 1e-12);
  }
  // contacts: the support at its landmark with its force; the partner contact reversed at the
  // landmark of body 0; the third is not body 0's and leaves its slot empty
  double w[3];
  sl_kin_landmark(m, d, c[0].land, w);
  for (int a = 0; a < 3; a++) {
    assert_true(r->contact_pos[9 + a] == w[a]);
    assert_true(r->contact_force[9 + a] == cf[a]);
    assert_true(r->contact_force[9 + 3 + a] == -cf[3 + a]);
    assert_true(r->contact_force[9 + 6 + a] == 0.0);
    assert_true(r->contact_pos[9 + 6 + a] == 0.0);
  }
  sl_kin_landmark(m, d, c[1].other_land, w);
  for (int a = 0; a < 3; a++) assert_true(r->contact_pos[9 + 3 + a] == w[a]);
  // without forces: positions only, zero forces
  sl_results_store(r, 2, m, d, c, 1, 0, NULL);
  for (int a = 0; a < 3; a++) assert_true(r->contact_force[18 + a] == 0.0);
  // the contact state of the step: sliding, speed, and the point on body 0's side
  const int    sliding[3] = {1, 0, 1};
  const double slip[3] = {0.25, 0.5, 0.75};
  double       pts[18];
  for (int k = 0; k < 18; k++) pts[k] = 100 + k;
  sl_results_store_contacts(r, 1, c, 3, 0, sliding, slip, pts);
  assert_int_equal(r->contact_slide[3], 1);
  assert_int_equal(r->contact_slide[4], 0);
  assert_int_equal(r->contact_slide[5], 0);
  assert_near(r->contact_slip[3], 0.25, 0, 0);
  assert_near(r->contact_slip[4], 0.5, 0, 0);
  assert_near(r->contact_pos[9 + 0], 100, 0, 0);      // contact 0, body side
  assert_near(r->contact_pos[9 + 3 + 0], 109, 0, 0);  // contact 1, the other side (body 0)
  // NULL arrays: not sliding, no speed, the points stay
  sl_results_store_contacts(r, 1, c, 3, 0, NULL, NULL, NULL);
  assert_int_equal(r->contact_slide[3], 0);
  assert_near(r->contact_slip[3], 0, 0, 0);
  assert_near(r->contact_pos[9], 100, 0, 0);
  // both at once (what a run stores per step): the same row as the two calls, the points taken
  // from the scene's without finding the landmarks first
  sl_results_store_step(r, 0, m, d, c, 3, 0, cf, sliding, slip, pts);
  sl_results_store(r, 2, m, d, c, 3, 0, cf);
  sl_results_store_contacts(r, 2, c, 3, 0, sliding, slip, pts);
  for (int k = 0; k < 9; k++) {
    assert_true(r->contact_pos[k] == r->contact_pos[18 + k]);
    assert_true(r->contact_force[k] == r->contact_force[18 + k]);
  }
  for (int k = 0; k < 3; k++) {
    assert_int_equal(r->contact_slide[k], r->contact_slide[6 + k]);
    assert_true(r->contact_slip[k] == r->contact_slip[6 + k]);
  }
  for (int k = 0; k < nc; k++) assert_true(r->q[k] == r->q[2 * nc + k]);
  assert_near(r->contact_pos[3], 109, 0, 0);
  sl_results_free(r);
  free_solved(&S);
}

// the datasets sl_results_write makes (path under the group, rank with the posture axis)
typedef struct Want {
  const char* name;
  const char* units;
  int         flag;  // needs this SL_RES_ flag
} Want;

static const Want WANT[] = {
    {"q", "rad or m (see /model/coordinate_units)", 0},
    {"com", "m", 0},
    {"status", "1", 0},
    {"solver/iterations", "1", 0},
    {"solver/residual", "N m", 0},
    {"solver/max_reserve", "N m", 0},
    {"solver/cost", "1", 0},
    {"solver/reserve", "N m", 0},
    {"solver/root_reserve", "N, N m", 0},
    {"demand/force", "N", 0},
    {"demand/moment", "N m", 0},
    {"demand/tau", "N m", 0},
    {"passive/moment", "N m", 0},
    {"passive/ligament_force", "N", 0},
    {"iap/pressure", "kPa", 0},
    {"iap/force", "N", 0},
    {"iap/moment", "N m", 0},
    {"disc/frame", "1", 0},
    {"disc/joint_centre", "m", 0},
    {"disc/compression", "N", 0},
    {"disc/compression_parts", "N", 0},
    {"disc/shear_ap", "N", 0},
    {"disc/shear_lat", "N", 0},
    {"disc/resultant", "N", 0},
    {"disc/idp", "MPa", 0},
    {"muscle/force", "N", 0},
    {"muscle/length", "m", 0},
    {"muscle/moment_arm", "m", SL_RES_MOMENT_ARMS},
    {"kinematics/segment_pos", "m", SL_RES_FRAMES},
    {"kinematics/segment_rot", "1", SL_RES_FRAMES},
    {"contacts/force", "N", 0},
    {"contacts/point", "m", 0},
    {"contacts/sliding", "1", 0},
    {"contacts/slip_speed", "m/s", 0},
};

static void test_write_read(void** state) {
  (void)state;
  Solved S;
  solve_tiny(&S);
  const slModel* m = S.m;
  slError        e;
  enum { N = 4 };
  for (int variant = 0; variant < 2; variant++) {
    int        flags = variant ? SL_RES_FRAMES | SL_RES_MOMENT_ARMS : 0;
    int        mc = variant ? 2 : 0;
    slResults* r = NULL;
    ok(sl_results_make(&r, m, N, mc, flags, &e), &e);
    for (int i = 0; i < N; i++) sl_results_store(r, i, m, S.d, S.c, variant, 0, S.cf);
    r->comp[2 * SL_NLEVEL + 3] = 1234.5;  // rows are told apart
    r->status[3] = SL_SO_RESERVE;
    char path[1100];
    out_path(path, sizeof path, variant ? "full.h5" : "plain.h5");
    slH5* f = NULL;
    ok(sl_h5_create(&f, path, &e), &e);
    ok(sl_results_write(r, f, "/positions/p/bottom", &e), &e);
    ok(sl_h5_commit(f, &e), &e);

    ok(sl_h5_open(&f, path, 0, &e), &e);
    char obj[512];
    for (size_t k = 0; k < sizeof WANT / sizeof WANT[0]; k++) {
      snprintf(obj, sizeof obj, "/positions/p/bottom/%s", WANT[k].name);
      int present = (WANT[k].flag & ~flags) == 0;
      if (!strncmp(WANT[k].name, "contacts/", 9) && mc == 0) present = 0;
      if (sl_h5_exists(f, obj) != present)
        fail_msg("%s: exists %d, expected %d", obj, !present, present);
      if (!present) continue;
      // every dataset has units (the ones of the layout) and a description
      assert_attr(f, obj, "units", WANT[k].units);
      char desc[2048];
      ok(sl_h5_read_attr_str(f, obj, "description", desc, sizeof desc, &e), &e);
      assert_true(strlen(desc) > 5);
      // the posture axis first
      int    rank = 0;
      size_t dims[4];
      ok(sl_h5_shape(f, obj, &rank, dims, &e), &e);
      assert_true(rank >= 1);
      assert_int_equal(dims[0], N);
    }
    assert_false(sl_h5_exists(f, "/positions/p/bottom/joints/torque"));  // the tiny model has none
    // values and shapes of a few
    int    rank = 0;
    size_t dims[4];
    ok(sl_h5_shape(f, "/positions/p/bottom/disc/compression", &rank, dims, &e), &e);
    assert_int_equal(rank, 2);
    assert_int_equal(dims[1], SL_NLEVEL);
    double comp[N * SL_NLEVEL];
    ok(sl_h5_read(f, "/positions/p/bottom/disc/compression", SL_H5_F64, comp, &e), &e);
    assert_memory_equal(comp, r->comp, sizeof comp);
    assert_near(comp[2 * SL_NLEVEL + 3], 1234.5, 0, 0);
    ok(sl_h5_shape(f, "/positions/p/bottom/disc/frame", &rank, dims, &e), &e);
    assert_int_equal(rank, 4);
    assert_int_equal(dims[1], SL_NLEVEL);
    assert_int_equal(dims[2], 3);
    assert_int_equal(dims[3], 3);
    ok(sl_h5_shape(f, "/positions/p/bottom/disc/compression_parts", &rank, dims, &e), &e);
    assert_int_equal(rank, 3);
    assert_int_equal(dims[2], (size_t)sl_part_count(m));
    int32_t status[N];
    ok(sl_h5_read(f, "/positions/p/bottom/status", SL_H5_I32, status, &e), &e);
    assert_int_equal(status[3], SL_SO_RESERVE);
    assert_int_equal(status[0], S.d->so.status);
    double* q = malloc(sizeof(double) * N * (size_t)m->ncoord);
    assert_non_null(q);
    ok(sl_h5_read(f, "/positions/p/bottom/q", SL_H5_F64, q, &e), &e);
    assert_memory_equal(q, r->q, sizeof(double) * N * (size_t)m->ncoord);
    free(q);
    double idp[N * SL_NLEVEL];
    ok(sl_h5_read(f, "/positions/p/bottom/disc/idp", SL_H5_F64, idp, &e), &e);
    assert_memory_equal(idp, r->idp, sizeof idp);
    if (variant) {
      ok(sl_h5_shape(f, "/positions/p/bottom/muscle/moment_arm", &rank, dims, &e), &e);
      assert_int_equal(rank, 3);
      assert_int_equal(dims[1], SL_NLDOF);
      assert_int_equal(dims[2], (size_t)m->nmus);
      ok(sl_h5_shape(f, "/positions/p/bottom/contacts/force", &rank, dims, &e), &e);
      assert_int_equal(dims[1], 2);
      assert_int_equal(dims[2], 3);
      double cf[N * 2 * 3];
      ok(sl_h5_read(f, "/positions/p/bottom/contacts/force", SL_H5_F64, cf, &e), &e);
      assert_near(cf[6 + 1], S.cf[1], 0, 0);
      assert_near(cf[6 + 3 + 1], 0, 0, 0);  // the second slot is unused
    }
    sl_h5_close(f);
    sl_results_free(r);
  }
  // writing a group twice fails with the dataset named
  slResults* r = NULL;
  ok(sl_results_make(&r, m, 1, 0, 0, &e), &e);
  char path[1100];
  out_path(path, sizeof path, "twice.h5");
  slH5* f = NULL;
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_results_write(r, f, "/results", &e), &e);
  assert_int_equal(sl_results_write(r, f, "/results", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/results/q");
  sl_h5_abort(f);
  assert_int_equal(access(path, F_OK), -1);
  sl_results_free(r);
  free_solved(&S);
}

static void assert_strings(slH5* f, const char* path, char (*want)[SL_NAME], int n) {
  char**  s = NULL;
  size_t  k = 0;
  slError e;
  ok(sl_h5_read_strings(f, path, &s, &k, &e), &e);
  assert_int_equal(k, n);
  for (int i = 0; i < n; i++) assert_string_equal(s[i], want[i]);
  sl_h5_free_strings(s, k);
  assert_attr(f, path, "units", "1");
}

static void test_write_model(void** state) {
  (void)state;
  slError e;
  for (int which = 0; which < 2; which++) {
    slModel* m = sl_test_model(which ? MALE : TINY);
    char     path[1100];
    out_path(path, sizeof path, which ? "model_male.h5" : "model_tiny.h5");
    slH5* f = NULL;
    ok(sl_h5_create(&f, path, &e), &e);
    ok(sl_results_write_model(m, f, "/model", &e), &e);
    ok(sl_h5_commit(f, &e), &e);
    ok(sl_h5_open(&f, path, 0, &e), &e);
    assert_strings(f, "/model/segment_names", m->seg_name, m->nseg);
    assert_strings(f, "/model/coordinate_names", m->coord_name, m->ncoord);
    assert_strings(f, "/model/muscle_names", m->mus_name, m->nmus);
    assert_strings(f, "/model/muscle_group_names", m->group_name, m->ngroup);
    assert_strings(f, "/model/landmark_names", m->land_name, m->nland);
    char** s = NULL;
    size_t n = 0;
    ok(sl_h5_read_strings(f, "/model/level_names", &s, &n, &e), &e);
    assert_int_equal(n, SL_NLEVEL);
    assert_string_equal(s[0], "L5/S1");
    assert_string_equal(s[5], "T12/L1");
    sl_h5_free_strings(s, n);
    ok(sl_h5_read_strings(f, "/model/coordinate_units", &s, &n, &e), &e);
    assert_int_equal(n, m->ncoord);
    for (int i = 0; i < m->ncoord; i++)
      assert_string_equal(s[i], m->coord_type[i] == SL_AX_ROT ? "rad" : "m");
    sl_h5_free_strings(s, n);
    ok(sl_h5_read_strings(f, "/model/lumbar_dof_names", &s, &n, &e), &e);
    assert_int_equal(n, SL_NLDOF);
    assert_string_equal(s[4], "L4/L5 lateral");
    sl_h5_free_strings(s, n);
    ok(sl_h5_read_strings(f, "/model/compression_part_names", &s, &n, &e), &e);
    assert_int_equal(n, sl_part_count(m));
    for (int k = 0; k < (int)n; k++) assert_string_equal(s[k], sl_part_name(m, k));
    sl_h5_free_strings(s, n);
    // joints only where the model has joint dofs
    assert_int_equal(sl_h5_exists(f, "/model/joint_dof_names"), m->njdof > 0);
    assert_int_equal(sl_h5_exists(f, "/model/joint_strength"), m->njdof > 0);
    if (m->njdof > 0) {
      ok(sl_h5_read_strings(f, "/model/joint_dof_names", &s, &n, &e), &e);
      assert_int_equal(n, m->njdof);
      for (int j = 0; j < m->njdof; j++) assert_string_equal(s[j], m->coord_name[m->jdof_coord[j]]);
      sl_h5_free_strings(s, n);
      double* js = malloc(sizeof(double) * 2 * (size_t)m->njdof);
      assert_non_null(js);
      ok(sl_h5_read(f, "/model/joint_strength", SL_H5_F64, js, &e), &e);
      assert_memory_equal(js, m->jdof_strength, sizeof(double) * 2 * (size_t)m->njdof);
      free(js);
      assert_attr(f, "/model/joint_strength", "units", "N m");
    }
    // numbers with their units
    double* buf = malloc(sizeof(double) * (size_t)(m->nseg + m->nmus + SL_NLEVEL));
    assert_non_null(buf);
    ok(sl_h5_read(f, "/model/segment_mass", SL_H5_F64, buf, &e), &e);
    assert_memory_equal(buf, m->seg_mass, sizeof(double) * (size_t)m->nseg);
    assert_attr(f, "/model/segment_mass", "units", "kg");
    ok(sl_h5_read(f, "/model/muscle_fmax", SL_H5_F64, buf, &e), &e);
    assert_memory_equal(buf, m->mus_fmax, sizeof(double) * (size_t)m->nmus);
    assert_attr(f, "/model/muscle_fmax", "units", "N");
    int32_t* grp = malloc(sizeof(int32_t) * (size_t)m->nmus);
    assert_non_null(grp);
    ok(sl_h5_read(f, "/model/muscle_group", SL_H5_I32, grp, &e), &e);
    for (int i = 0; i < m->nmus; i++) assert_int_equal(grp[i], m->mus_group[i]);
    free(grp);
    ok(sl_h5_read(f, "/model/disc_area", SL_H5_F64, buf, &e), &e);
    for (int l = 0; l < SL_NLEVEL; l++) assert_near(buf[l], m->disc_area[l] * 1e6, 1e-9, 1e-12);
    if (!which) assert_near(buf[0], 1000, 1e-9, 0);  // the tiny model's 1000 mm^2
    assert_attr(f, "/model/disc_area", "units", "mm^2");
    free(buf);
    // attributes of the group
    assert_attr(f, "/model", "name", m->name);
    assert_attr(f, "/model", "sex", "male");
    assert_attr(f, "/model", "files", m->files);
    assert_near(attr_num(f, "/model", "body_mass_kg"), m->body_mass, 0, 1e-15);
    assert_near(attr_num(f, "/model", "height_m"), m->height, 0, 1e-15);
    assert_near(attr_num(f, "/model", "sacral_slope_deg"), m->sacral_slope / SL_DEG, 0, 1e-14);
    assert_near(attr_num(f, "/model", "disc_k"), m->disc_k, 0, 1e-15);
    assert_near(attr_num(f, "/model", "iap_enabled"), m->iap_on, 0, 0);
    assert_near(attr_num(f, "/model", "iap_p_max_kPa"), m->iap_pmax * 1e-3, 0, 1e-15);
    if (!which) {
      assert_near(attr_num(f, "/model", "body_mass_kg"), 50, 0, 0);
      assert_near(attr_num(f, "/model", "sacral_slope_deg"), 30, 1e-12, 0);
      assert_near(attr_num(f, "/model", "disc_k"), 1.5, 0, 0);
    }
    sl_h5_close(f);
    sl_model_free(m);
  }
}

static void test_write_meta(void** state) {
  (void)state;
  char path[1100];
  out_path(path, sizeof path, "meta.h5");
  // the texts as the parsers read them, under their names; a NULL text is left out
  char*   tiny_text = NULL;
  size_t  len = 0;
  slError e;
  ok(sl_read_file(TINY, &tiny_text, &len, &e), &e);
  const char* text =
      "a: 1\n# \xc3\xbc"
      "n\xc3\xaf"
      "c\xc3\xb6"
      "d\xc3\xa9, and no final newline\nb: [2, 3]";
  const char* names[4] = {TINY, "some/dir/skipped.yaml", "rel/input.yaml", "bare.csv"};
  const char* texts[4] = {tiny_text, NULL, text, ""};
  char*       argv[3] = {"spineload", "run", "x y.yaml"};
  slH5*       f = NULL;
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_results_write_meta(f, 3, argv, names, texts, 4, &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  assert_attr(f, "/meta", "version", SL_VERSION);
  assert_attr(f, "/meta", "git_revision", SL_GIT_REV);
  assert_attr(f, "/meta", "compiler", SL_C_COMPILER);
  assert_attr(f, "/meta", "build_type", SL_BUILD_TYPE);
  assert_attr(f, "/meta", "compiler_flags", SL_C_FLAGS);
  assert_attr(f, "/meta", "command_line", "spineload run x y.yaml");
  char buf[1024];
  ok(sl_h5_read_attr_str(f, "/meta", "libraries", buf, sizeof buf, &e), &e);
  char want[64];
  snprintf(want, sizeof want, "HDF5 %s; OpenBLAS ", sl_h5_version());
  assert_int_equal(strncmp(buf, want, strlen(want)), 0);
  ok(sl_h5_read_attr_str(f, "/meta", "units", buf, sizeof buf, &e), &e);
  assert_non_null(strstr(buf, "SI"));
  // the files verbatim, by index and base name, the full name as the description
  char** s = NULL;
  size_t n = 0;
  ok(sl_h5_read_strings(f, "/meta/files/0_tiny_model.yaml", &s, &n, &e), &e);
  assert_int_equal(n, 1);
  assert_string_equal(s[0], tiny_text);
  sl_h5_free_strings(s, n);
  assert_attr(f, "/meta/files/0_tiny_model.yaml", "description", TINY);
  assert_attr(f, "/meta/files/0_tiny_model.yaml", "units", "1");
  assert_false(sl_h5_exists(f, "/meta/files/1_skipped.yaml"));
  ok(sl_h5_read_strings(f, "/meta/files/2_input.yaml", &s, &n, &e), &e);
  assert_string_equal(s[0], text);
  sl_h5_free_strings(s, n);
  assert_attr(f, "/meta/files/2_input.yaml", "description", "rel/input.yaml");
  ok(sl_h5_read_strings(f, "/meta/files/3_bare.csv", &s, &n, &e), &e);
  assert_string_equal(s[0], "");
  sl_h5_free_strings(s, n);
  sl_h5_close(f);
  sl_free_buf(tiny_text);

  // no files, no arguments: the attributes alone
  out_path(path, sizeof path, "meta_empty.h5");
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_results_write_meta(f, 0, NULL, NULL, NULL, 0, &e), &e);
  assert_attr(f, "/meta", "command_line", "");
  assert_false(sl_h5_exists(f, "/meta/files"));
  sl_h5_abort(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_make),       cmocka_unit_test(test_store),
      cmocka_unit_test(test_write_read), cmocka_unit_test(test_write_model),
      cmocka_unit_test(test_write_meta),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
