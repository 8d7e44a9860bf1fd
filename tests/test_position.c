// test_position.c: two partners with supports and partner contacts over a thrust cycle.
// covers: sl_position sl_motion sl_rank
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "sl_position.h"
#include "sl_run.h"
#include "testutil.h"

#define POS(f) SL_TEST_SOURCE_DIR "/tests/data/positions/" f

static slPosition* load(const char* path, const slMotionOpt* mo) {
  slPosition* p = NULL;
  slError     e;
  if (sl_position_load(&p, path, mo, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return p;
}

static slPositionRun* run(const slPosition* p) {
  slPositionRun* r = NULL;
  slError        e;
  slSoOpt        o = sl_so_opt_default();
  if (sl_position_run(p, &o, &r, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return r;
}

// every body is in equilibrium: gravity, inertia, loads, contact forces (supports and partner)
// and the whole-body reserve add up to zero, as forces and as moments; and the partner contact
// force on one body is minus the force on the other (action equals reaction)
static void test_contact_equilibrium(void** state) {
  (void)state;
  slMotionOpt        mo = sl_motion_opt_default();
  slPosition*        p = load(POS("side_left.yaml"), &mo);
  slPositionRun*     r = run(p);
  const slMotionOpt* unused = &mo;
  (void)unused;
  for (int k = 0; k < p->nrole; k++) {
    const slModel* m = p->role[k].model;
    slData*        d = NULL;
    assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
    double*          work = malloc(sizeof(double) * sl_motion_work_size(m));
    const slResults* res = r->res[k];
    slMotionRest     rest;
    const slModel* models[SL_MAXROLE] = {p->role[0].model, p->nrole > 1 ? p->role[1].model : NULL};
    slData*        data[SL_MAXROLE] = {d, d};
    sl_motion_rest(models, data, (const double* const*)r->q0, p->nrole, p->contacts, p->ncontact, k,
                   &rest);
    int flagged = 0;
    for (int i = 0; i < r->samples; i++) {
      // a sample may need a whole-body reserve (kinetic friction can leave a phase of the cycle
      // without a horizontal force in the needed direction); it is flagged and small
      flagged += res->status[i] != SL_SO_CONVERGED;
      assert_true(res->status[i] == SL_SO_CONVERGED || res->status[i] == SL_SO_RESERVE);
      // external loads at this sample, recomputed independently of the scene
      sl_motion_state(m, d, r->q0[k], &rest, &p->role[k].motion, p->frequency, r->time[i], work);
      sl_load_external(m, d, 1, NULL, 0);
      double F[3] = {0, 0, 0}, M[3] = {0, 0, 0}, o[3];
      slu_copy3(o, d->xpos);
      for (int s = 0; s < m->nseg; s++) {
        double rr[3], t[3];
        slu_add3(F, F, d->ext_force + 3 * s);
        slu_sub3(rr, d->xcom + 3 * s, o);
        slu_cross3(t, rr, d->ext_force + 3 * s);
        slu_add3(M, M, t);
        slu_add3(M, M, d->ext_torque + 3 * s);
      }
      double W = 0;
      for (int s = 0; s < m->nseg; s++) W += m->seg_mass[s] * 9.80665;
      for (int c = 0; c < res->maxcontact; c++) {
        const double* f =
            res->contact_force + ((size_t)i * (size_t)res->maxcontact + (size_t)c) * 3;
        const double* pt = res->contact_pos + ((size_t)i * (size_t)res->maxcontact + (size_t)c) * 3;
        double        rr[3], t[3];
        slu_add3(F, F, f);
        slu_sub3(rr, pt, o);
        slu_cross3(t, rr, f);
        slu_add3(M, M, t);
      }
      const double* rr = res->root_reserve + 6 * (size_t)i;
      for (int a = 0; a < 3; a++) {
        assert_near(F[a] + rr[a], 0.0, 1e-6 * W, 0);
        assert_near(M[a] + rr[3 + a], 0.0, 1e-6 * W, 0);
        if (res->status[i] == SL_SO_CONVERGED)
          assert_true(fabs(rr[a]) < 0.1 && fabs(rr[3 + a]) < 0.1);
        else
          assert_true(fabs(rr[a]) < 20 && fabs(rr[3 + a]) < 20);
      }
    }
    assert_true(flagged <= 2);
    free(work);
    sl_data_free(d);
  }
  // action and reaction: the partner contact is the last contact of each body's list
  const slResults* a = r->res[0];
  const slResults* b = r->res[1];
  for (int i = 0; i < r->samples; i++) {
    const double* fa =
        a->contact_force + ((size_t)i * (size_t)a->maxcontact + (size_t)(a->maxcontact - 1)) * 3;
    const double* fb =
        b->contact_force + ((size_t)i * (size_t)b->maxcontact + (size_t)(b->maxcontact - 1)) * 3;
    for (int c = 0; c < 3; c++) assert_near(fa[c], -fb[c], 1e-9, 1e-9);
    assert_true(fb[0] >= -1e-9);  // a push, never a pull
  }
  sl_position_run_free(r);
  sl_position_free(p);
}

// the mirror image (lying on the right instead of the left side) gives the same compression and
// antero-posterior shear and the opposite lateral shear, within the model's own left/right
// differences (mm-level in the source's path points; sliding friction amplifies them to a few %)
static void test_mirror(void** state) {
  (void)state;
  slMotionOpt    mo = sl_motion_opt_default();
  slPosition*    pl = load(POS("side_left.yaml"), &mo);
  slPosition*    pr = load(POS("side_right.yaml"), &mo);
  slPositionRun* rl = run(pl);
  slPositionRun* rr = run(pr);
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < rl->samples; i++)
      for (int l = 0; l < SL_NLEVEL; l++) {
        size_t j = (size_t)i * SL_NLEVEL + (size_t)l;
        double cl = rl->res[k]->comp[j], cr = rr->res[k]->comp[j];
        // the contact forces mirror to 0.5 N; the muscles of the two sides differ (source data)
        assert_near(cr, cl, 25.0, 0.05);
        assert_near(rr->res[k]->shear_ap[j], rl->res[k]->shear_ap[j], 25.0, 0.05);
        assert_near(rr->res[k]->shear_lat[j], -rl->res[k]->shear_lat[j], 25.0, 0.05);
      }
  sl_position_run_free(rl);
  sl_position_run_free(rr);
  sl_position_free(pl);
  sl_position_free(pr);
}

// inertial loads: the sample poses of a cycle do not depend on its frequency, so the demand at
// each sample is the static demand plus f^2 times a fixed inertial part (the demand is linear in
// the loads): it vanishes as f -> 0 and quadruples from 1 to 2 Hz
static void test_inertia_scaling(void** state) {
  (void)state;
  static double tau[3][16][SL_NLDOF];
  double        f[3] = {1e-4, 1.0, 2.0};
  for (int c = 0; c < 3; c++) {
    slMotionOpt mo = sl_motion_opt_default();
    mo.frequency = f[c];
    mo.samples = 16;
    mo.automatic = 0;  // the driver hip-driven, whatever slides
    slPosition*    p = load(POS("side_left.yaml"), &mo);
    slPositionRun* r = run(p);
    assert_int_equal(r->samples, 16);
    for (int i = 0; i < 16; i++)
      memcpy(tau[c][i], r->res[0]->tau + (size_t)i * SL_NLDOF, sizeof tau[c][i]);
    sl_position_run_free(r);
    sl_position_free(p);
  }
  double big = 0;
  for (int i = 0; i < 16; i++)
    for (int k = 0; k < SL_NLDOF; k++) {
      double i1 = tau[1][i][k] - tau[0][i][k], i2 = tau[2][i][k] - tau[0][i][k];
      assert_near(i2, 4.0 * i1, 1e-4, 1e-4);
      big = fmax(big, fabs(i2));
    }
  assert_true(big > 5.0);  // and at 2 Hz it is not negligible [N m]
}

// over a thrust cycle a contact slides only when its point both moves and travels farther than the
// soft tissue takes up: the deep-flexion bottom partner's sacrum rocks on the bed by about a
// millimetre (it sticks, the body stays balanced without reserves), the pelvis-to-pelvis contact
// travels centimetres (it slides, kinetic friction)
static void test_tissue_sticks(void** state) {
  (void)state;
  slMotionOpt mo = sl_motion_opt_default();
  slPosition* p = load(SL_TEST_SOURCE_DIR "/scenarios/positions/missionary_deep_flexion.yaml", &mo);
  slPositionRun* r = run(p);
  const slModel* m = p->role[0].model;
  int            sacrum = -1, partner = -1;
  for (int j = 0, k = 0; j < p->ncontact; j++) {
    const slContact* c = &p->contacts[j];
    if (c->body != 0 && c->other != 0) continue;
    if (c->other < 0 && c->land == sl_model_landmark(m, "sacrum_back")) sacrum = k;
    if (c->other >= 0) partner = k;
    k++;
  }
  assert_true(sacrum >= 0 && partner >= 0);
  const slResults* res = r->res[0];
  int              mc = res->maxcontact, moving = 0, slid = 0;
  for (int i = 0; i < r->samples; i++) {
    moving += res->contact_slip[i * mc + sacrum] > SL_SLIDE_SPEED;
    assert_int_equal(res->contact_slide[i * mc + sacrum], 0);
    slid += res->contact_slide[i * mc + partner];
    assert_int_equal(res->status[i], SL_SO_CONVERGED);
  }
  assert_true(moving > 0);  // it does move, so speed alone would have called it sliding
  assert_true(slid > 0);
  sl_position_run_free(r);
  sl_position_free(p);
}

// a library ranked: rows for every role in the order given, ranks a permutation, a position's
// score its worse partner's load index, and the verdict the rule gives for its claim
static void test_ranking(void** state) {
  (void)state;
  const char*    files[3] = {SL_TEST_SOURCE_DIR "/scenarios/positions/standing_carry.yaml",
                             SL_TEST_SOURCE_DIR "/scenarios/positions/spooning.yaml",
                             SL_TEST_SOURCE_DIR "/scenarios/positions/missionary.yaml"};
  slMotionOpt    mo = sl_motion_opt_default();
  slPosition*    P[3];
  slPositionRun* R[3];
  slError        e;
  slSoOpt        o = sl_so_opt_default();
  assert_int_equal(sl_positions_load(P, files, 3, &mo, NULL, 0, &e), SL_OK);
  // sorted by name whatever the order of the files
  assert_string_equal(P[0]->name, "missionary");
  assert_string_equal(P[2]->name, "standing_carry");
  assert_int_equal(sl_positions_run((const slPosition* const*)P, 3, &o, 2, R, &e), SL_OK);
  slRanking rk;
  assert_int_equal(
      sl_ranking_make(&rk, (const slPosition* const*)P, (const slPositionRun* const*)R, 3, &e),
      SL_OK);
  assert_int_equal(rk.nrow, 6);
  int seen[7] = {0}, pseen[4] = {0};
  for (int i = 0; i < rk.nrow; i++) {
    assert_int_equal(rk.row[i].pos, i / 2);
    assert_int_equal(rk.row[i].role, i % 2);
    seen[rk.row[i].rank]++;
    for (int j = 0; j < rk.nrow; j++)
      if (rk.row[j].mt.load_index < rk.row[i].mt.load_index)
        assert_true(rk.row[j].rank < rk.row[i].rank);
  }
  for (int k = 1; k <= 6; k++) assert_int_equal(seen[k], 1);
  for (int p = 0; p < 3; p++) {
    double w = fmax(rk.row[2 * p].mt.load_index, rk.row[2 * p + 1].mt.load_index);
    assert_true(rk.worst[p] == w);
    pseen[rk.pos_rank[p]]++;
    int       k = rk.pos_rank[p];
    slVerdict v = P[p]->claim == SL_CLAIM_SAFE
                      ? (k <= rk.third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES)
                  : P[p]->claim == SL_CLAIM_RISKY
                      ? (k > 3 - rk.third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES)
                      : SL_VERDICT_NONE;
    assert_int_equal(rk.verdict[p], v);
  }
  for (int k = 1; k <= 3; k++) assert_int_equal(pseen[k], 1);
  assert_int_equal(rk.verdict[0], SL_VERDICT_NONE);  // the standard missionary makes no claim
  sl_ranking_free(&rk);
  for (int p = 0; p < 3; p++) {
    sl_position_run_free(R[p]);
    sl_position_free(P[p]);
  }
  // two files with one name: an error naming both, nothing kept
  const char* twice[2] = {files[1], files[1]};
  assert_int_equal(sl_positions_load(P, twice, 2, &mo, NULL, 0, &e), SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "spooning"));
  assert_null(P[0]);
}

// ranks: lower score first, ties broken by the given order
static void test_rank_order(void** state) {
  (void)state;
  double s[5] = {0.3, 0.1, 0.3, 0.05, 0.2};
  int    r[5];
  sl_rank_scores(s, 5, r);
  int expect[5] = {4, 2, 5, 1, 3};
  for (int i = 0; i < 5; i++) assert_int_equal(r[i], expect[i]);
}

static void expect_bad(const char* text, slStatus code, const char* where, const char* what) {
  char path[512];
  snprintf(path, sizeof path, "%s/tests/bad_position.yaml", SL_TEST_BINARY_DIR);
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  slPosition* p = NULL;
  slError     e;
  memset(&e, 0, sizeof e);
  slMotionOpt mo = sl_motion_opt_default();
  slStatus    st = sl_position_load(&p, path, &mo, NULL, 0, &e);
  remove(path);
  if (st != code) fail_msg("status %d, expected %d (%s: %s)", st, code, e.where, e.msg);
  assert_null(p);
  if (!strstr(e.where, where)) fail_msg("where '%s' lacks '%s'", e.where, where);
  if (!strstr(e.msg, what)) fail_msg("message '%s' lacks '%s'", e.msg, what);
}

static void test_malformed(void** state) {
  (void)state;
  const char* head =
      "format: spineload-position/1\nname: bad\nroles:\n"
      "  - name: a\n    body: " SL_TEST_SOURCE_DIR
      "/models/adult_male.yaml\n"
      "    posture: {root: supine}\n";
  char buf[2048];
  snprintf(buf, sizeof buf, "%scolour: blue\n", head);
  expect_bad(buf, SL_ERR_KEY, "bad_position.yaml:7:1", "colour");
  snprintf(buf, sizeof buf,
           "%scontacts:\n  - {role: a, landmark: pubis, other: nobody, other_landmark: pubis, "
           "normal: [0, 1, 0]}\n",
           head);
  expect_bad(buf, SL_ERR_KEY, "bad_position.yaml:8:", "unknown role 'nobody'");
  snprintf(buf, sizeof buf, "%s    supports: [{landmark: elbow_x, normal: [0, 1, 0]}]\n", head);
  expect_bad(buf, SL_ERR_KEY, "bad_position.yaml:7:", "unknown landmark 'elbow_x'");
  snprintf(buf, sizeof buf, "%s    motion: wobble\n", head);
  expect_bad(buf, SL_ERR_TYPE, "bad_position.yaml:7:", "motion");
  snprintf(buf, sizeof buf,
           "format: spineload-position/1\nname: bad\nroles:\n  - name: a\n    body: "
           "no_such_model.yaml\n    posture: {root: supine}\n");
  expect_bad(buf, SL_ERR_IO, "bad_position.yaml:", "no_such_model.yaml");  // the line that names it
}

// Every role's poses at time t without grips (the order of the cycle: roles on their own
// supports, then a role carried by its partner), into q[k].
static void poses_at(const slPosition* p, slData* const* data, const slMotionRest* rest,
                     const int* carried, double* const* q0, double t, double* const* q) {
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < p->nrole; k++) {
      if (carried[k] != pass) continue;
      double C[12], *Cp = NULL;
      if (carried[k]) {
        const slModel* mo = p->role[1 - k].model;
        slData*        dd = data[1 - k];
        double         t2[3];
        memcpy(dd->q, q[1 - k], sizeof(double) * (size_t)mo->ncoord);
        sl_kin_forward(mo, dd, 0);
        slu_mulmmt3(C, dd->xrot, rest[1 - k].R0);
        slu_mulmv3(t2, C, rest[1 - k].p0);
        slu_sub3(C + 9, dd->xpos, t2);
        Cp = C;
      }
      sl_motion_q(p->role[k].model, data[k], q0[k], &rest[k], &p->role[k].motion, p->frequency, t,
                  NULL, Cp, q[k]);
    }
}

// Each role's data and its rest state (sl_motion_rest) at the run's rest poses; carried[k] is set
// for a role with no support of its own (it rides on its partner).
static void cycle_state(const slPosition* p, const slPositionRun* r, slData** data,
                        slMotionRest* rest, int* carried) {
  const slModel* models[SL_MAXROLE] = {p->role[0].model, p->role[1].model};
  for (int k = 0; k < p->nrole; k++) {
    assert_int_equal(sl_data_make(models[k], &data[k], NULL), SL_OK);
    int own = 0;
    for (int c = 0; c < p->ncontact; c++)
      own += p->contacts[c].body == k && p->contacts[c].other < 0;
    carried[k] = own == 0;
  }
  for (int k = 0; k < p->nrole; k++)
    sl_motion_rest(models, data, (const double* const*)r->q0, p->nrole, p->contacts, p->ncontact, k,
                   &rest[k]);
}

// The analytic velocities and accelerations (sl_motion_rates, sl_motion_carrier) are the time
// derivatives of the exact poses: central differences of the segment frames at t -+ h (h = 1e-3
// period) agree, for the trunk always and for the limbs wherever the pose holds the planted
// supports, in a hip-driven and a spine-driven role (rear entry) and for a role carried by its
// partner (standing carry).
static void test_rates_are_derivatives(void** state) {
  (void)state;
  const char* files[2] = {SL_TEST_SOURCE_DIR "/scenarios/positions/rear_entry_hands.yaml",
                          SL_TEST_SOURCE_DIR "/scenarios/positions/standing_carry.yaml"};
  int         ncarried = 0, nheld = 0, ncompared = 0;
  for (int f = 0; f < 2; f++) {
    slMotionOpt    mo = sl_motion_opt_default();
    slPosition*    p = load(files[f], &mo);
    slPositionRun* r = run(p);
    slData*        data[SL_MAXROLE] = {NULL, NULL};
    const slModel* models[SL_MAXROLE] = {p->role[0].model, p->role[1].model};
    slMotionRest   rest[SL_MAXROLE];
    double*        q[3][SL_MAXROLE];
    int            carried[SL_MAXROLE] = {0, 0};
    cycle_state(p, r, data, rest, carried);
    for (int k = 0; k < p->nrole; k++)
      for (int j = 0; j < 3; j++) q[j][k] = malloc(sizeof(double) * (size_t)models[k]->ncoord);
    double h = 1e-3 / p->frequency;
    for (int i = 0; i < 8; i++) {
      double t = (2 * i + 1) / (16.0 * p->frequency);
      // the analytic state at t, in the cycle's order
      poses_at(p, data, rest, carried, r->q0, t, q[1]);
      double *w[SL_MAXROLE], held[SL_MAXROLE];
      for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < p->nrole; k++) {
          if (carried[k] != pass) continue;
          slRigidMotion G;
          if (carried[k]) sl_motion_carrier(data[1 - k], &rest[1 - k], &G);
          sl_motion_rates(models[k], data[k], q[1][k], &rest[k], &p->role[k].motion, p->frequency,
                          t, carried[k] ? &G : NULL, NULL);
        }
      for (int k = 0; k < p->nrole; k++) {
        const slModel* m = models[k];
        w[k] = malloc(sizeof(double) * 12 * (size_t)m->nseg);
        memcpy(w[k], data[k]->cvel, sizeof(double) * 6 * (size_t)m->nseg);
        memcpy(w[k] + 6 * m->nseg, data[k]->cacc, sizeof(double) * 6 * (size_t)m->nseg);
        held[k] = 0.0;  // how far the pose leaves a planted support [m]
        for (int c = 0; c < rest[k].nenv; c++) {
          double x[3], e[3];
          sl_kin_landmark(m, data[k], rest[k].plant_land[c], x);
          slu_sub3(e, x, rest[k].plant_pos[c]);
          held[k] = fmax(held[k], slu_norm3(e));
        }
      }
      // differences of the poses at t - h and t + h
      poses_at(p, data, rest, carried, r->q0, t - h, q[0]);
      poses_at(p, data, rest, carried, r->q0, t + h, q[2]);
      for (int k = 0; k < p->nrole; k++) {
        const slModel* m = models[k];
        slData*        d = data[k];
        int            ns = m->nseg;
        double *       rot = malloc(sizeof(double) * 27 * (size_t)ns),
               *com = malloc(sizeof(double) * 9 * (size_t)ns);
        for (int j = 0; j < 3; j++) {
          memcpy(d->q, q[j][k], sizeof(double) * (size_t)m->ncoord);
          sl_kin_forward(m, d, 0);
          memcpy(rot + 9 * ns * j, d->xrot, sizeof(double) * 9 * (size_t)ns);
          memcpy(com + 3 * ns * j, d->xcom, sizeof(double) * 3 * (size_t)ns);
        }
        ncarried += carried[k];
        nheld += held[k] < 1e-9;
        for (int g = 0; g < ns; g++) {
          if (m->seg_jdofs[g] && held[k] >= 1e-9) continue;  // a limb the pose cannot hold
          const double *R0 = rot + 9 * g, *R1 = rot + 9 * (ns + g), *R2 = rot + 9 * (2 * ns + g);
          double        Rd[9], Rdd[9], W[9], A[9], fd[12];
          for (int c = 0; c < 9; c++) {
            Rd[c] = (R2[c] - R0[c]) / (2 * h);
            Rdd[c] = (R2[c] - 2 * R1[c] + R0[c]) / (h * h);
          }
          slu_mulmmt3(W, Rd, R1);
          slu_mulmmt3(A, Rdd, R1);
          fd[0] = 0.5 * (W[7] - W[5]), fd[1] = 0.5 * (W[2] - W[6]), fd[2] = 0.5 * (W[3] - W[1]);
          fd[6] = 0.5 * (A[7] - A[5]), fd[7] = 0.5 * (A[2] - A[6]), fd[8] = 0.5 * (A[3] - A[1]);
          for (int a = 0; a < 3; a++) {
            double c0 = com[3 * g + a], c1 = com[3 * (ns + g) + a], c2 = com[3 * (2 * ns + g) + a];
            fd[3 + a] = (c2 - c0) / (2 * h);
            fd[9 + a] = (c2 - 2 * c1 + c0) / (h * h);
          }
          for (int a = 0; a < 6; a++) {
            double v = w[k][6 * g + a], acc = w[k][6 * (ns + g) + a];
            if (fabs(v - fd[a]) > 1e-4 * (0.01 + fabs(v)) ||
                fabs(acc - fd[6 + a]) > 2e-3 * (0.1 + fabs(acc)))
              fail_msg(
                  "%s role %s segment %s t %.4f component %d: velocity %.9g vs %.9g, "
                  "acceleration %.9g vs %.9g",
                  p->name, p->role[k].name, m->seg_name[g], t, a, v, fd[a], acc, fd[6 + a]);
          }
          ncompared++;
        }
        free(rot);
        free(com);
        free(w[k]);
      }
    }
    for (int k = 0; k < p->nrole; k++) {
      sl_data_free(data[k]);
      for (int j = 0; j < 3; j++) free(q[j][k]);
    }
    sl_position_run_free(r);
    sl_position_free(p);
  }
  assert_true(ncarried > 0);  // the carrier's composition was checked
  assert_true(nheld > 0);     // and some planted limbs
  assert_true(ncompared > 500);
}

// A planted limb near full extension has a direction its joints can hardly move the landmark in:
// the exact rate along it grows without bound. The held limbs' rates leave such directions out
// (sl_motion.c, plant_rates), so over the cycle of edge-of-bed sitting (the sitting partner's
// straight arms on the bed behind) no joint spins: the iterative solve of an earlier version gave
// a joint acceleration of 1,053 rad/s^2 there (the hips' own is about 8 rad/s^2 at 1.5 Hz and 5
// deg); now the largest is under 40.
static void test_held_rates_bounded(void** state) {
  (void)state;
  slMotionOpt    mo = sl_motion_opt_default();
  slPosition*    p = load(SL_TEST_SOURCE_DIR "/scenarios/positions/edge_of_bed.yaml", &mo);
  slPositionRun* r = run(p);
  slData*        data[SL_MAXROLE] = {NULL, NULL};
  const slModel* models[SL_MAXROLE] = {p->role[0].model, p->role[1].model};
  slMotionRest   rest[SL_MAXROLE];
  double*        q[SL_MAXROLE];
  int            carried[SL_MAXROLE] = {0, 0};
  cycle_state(p, r, data, rest, carried);
  assert_int_equal(carried[0] + carried[1], 0);  // both on their own supports: no carrier
  for (int k = 0; k < p->nrole; k++) q[k] = malloc(sizeof(double) * (size_t)models[k]->ncoord);
  double vmax = 0.0, amax = 0.0;
  for (int i = 0; i < p->samples; i++) {
    double t = i / (p->samples * p->frequency);
    poses_at(p, data, rest, carried, r->q0, t, q);
    for (int k = 0; k < p->nrole; k++) {
      sl_motion_rates(models[k], data[k], q[k], &rest[k], &p->role[k].motion, p->frequency, t, NULL,
                      NULL);
      for (int c = 0; c < models[k]->ncoord; c++) {
        vmax = fmax(vmax, fabs(data[k]->qd[c]));
        amax = fmax(amax, fabs(data[k]->qdd[c]));
      }
    }
  }
  print_message("edge-of-bed sitting: largest joint rate %.3g rad/s, acceleration %.3g rad/s^2\n",
                vmax, amax);
  assert_true(amax > 1.0);  // the cycle moves
  assert_true(amax < 100.0);
  assert_true(vmax < 10.0);
  for (int k = 0; k < p->nrole; k++) {
    sl_data_free(data[k]);
    free(q[k]);
  }
  sl_position_run_free(r);
  sl_position_free(p);
}

// ---- a motion file drives a role ----------------------------------------------------------------
static char* slurp(const char* path) {
  FILE* f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* b = malloc((size_t)n + 1);
  assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
  b[n] = 0;
  fclose(f);
  return b;
}

// text with the first `from` replaced by `to` (malloc'ed); every occurrence if all is set
static char* replace(const char* text, const char* from, const char* to, int all) {
  size_t nf = strlen(from), nt = strlen(to), n = strlen(text);
  char*  out = malloc(n * (nt / (nf ? nf : 1) + 2) + nt + 1);
  char*  o = out;
  for (const char* s = text; *s;) {
    const char* hit = strstr(s, from);
    if (!hit) {
      strcpy(o, s);
      return out;
    }
    memcpy(o, s, (size_t)(hit - s)), o += hit - s;
    memcpy(o, to, nt), o += nt;
    s = hit + nf;
    if (!all) {
      strcpy(o, s);
      return out;
    }
  }
  *o = 0;
  return out;
}

// The driver's poses of run r written as an OpenSim motion (radians), `cycles` times over with
// the cycle's period, then spooning with that file driving the back partner (motion key mkey).
static const char* write_motion_position(const slPosition* p, const slPositionRun* r, int cycles,
                                         const char* mkey) {
  const slModel* m = p->role[0].model;
  FILE*          f = fopen(SL_TEST_BINARY_DIR "/pm_back.mot", "w");
  assert_non_null(f);
  fprintf(f, "back partner\nversion=1\nnRows=%d\nnColumns=%d\ninDegrees=no\nendheader\ntime",
          r->samples * cycles, m->ncoord + 1);
  for (int k = 0; k < m->ncoord; k++) fprintf(f, "\t%s", m->coord_name[k]);
  fprintf(f, "\n");
  double period = (double)r->samples * (r->time[1] - r->time[0]);
  for (int c = 0; c < cycles; c++)
    for (int i = 0; i < r->samples; i++) {
      fprintf(f, "%.17g", r->time[i] + c * period);
      for (int k = 0; k < m->ncoord; k++)
        fprintf(f, "\t%.17g", r->res[0]->q[(size_t)i * (size_t)m->ncoord + (size_t)k]);
      fprintf(f, "\n");
    }
  fclose(f);
  char* text = slurp(SL_TEST_SOURCE_DIR "/scenarios/positions/spooning.yaml");
  char* t1 = replace(text, "../../models/", SL_TEST_SOURCE_DIR "/models/", 1);
  char* t2 = replace(t1, "    motion: driver", mkey, 0);
  assert_non_null(strstr(t2, "pm_back.mot"));
  f = fopen(SL_TEST_BINARY_DIR "/pm_spooning.yaml", "w");
  assert_non_null(f);
  fputs(t2, f);
  fclose(f);
  free(text), free(t1), free(t2);
  return SL_TEST_BINARY_DIR "/pm_spooning.yaml";
}

// Written from spineload's own slow cycle (inertia negligible) and read back as static frames,
// the file reproduces that cycle: same times, poses, contact sliding and disc loads of both
// partners (the front partner still follows the back one's pelvis and grips).
static void test_motion_file_role(void** state) {
  (void)state;
  slMotionOpt mo = sl_motion_opt_default();
  mo.frequency = 1e-3;  // inertial loads scale with f^2: 4e-7 of the 1.5 Hz cycle's
  slPosition*    a = load(SL_TEST_SOURCE_DIR "/scenarios/positions/spooning.yaml", &mo);
  slPositionRun* ra = run(a);
  const char*    path =
      write_motion_position(a, ra, 1, "    motion: {file: pm_back.mot, inertia: false}");
  slPosition* b = load(path, &mo);
  assert_int_equal(b->file_role, 0);
  assert_int_equal(b->role[0].drive, SL_DRIVE_FILE);
  assert_string_equal(sl_strategy_name(b->role[0].strategy), "file");
  assert_int_equal(b->samples, a->samples);
  slPositionRun* rb = run(b);
  assert_int_equal(rb->samples, ra->samples);
  for (int i = 0; i < ra->samples; i++) {
    assert_near(rb->time[i], ra->time[i], 1e-9, 0);
    for (int k = 0; k < a->nrole; k++) {
      const slResults *x = ra->res[k], *y = rb->res[k];
      int              nc = a->role[k].model->ncoord;
      for (int c = 0; c < nc; c++)
        assert_near(y->q[(size_t)i * nc + c], x->q[(size_t)i * nc + c], 1e-9, 0);
      assert_int_equal(y->status[i], x->status[i]);
      for (int l = 0; l < SL_NLEVEL; l++)
        assert_near(y->comp[SL_NLEVEL * i + l], x->comp[SL_NLEVEL * i + l], 0.05, 1e-5);
    }
  }
  // a second file-driven role must bring the same frame times; a column the body lacks is an
  // error naming it at the motion file's label line
  char* text = slurp(path);
  char* two = replace(text, "    motion: follower", "    motion: {file: pm_front.mot}", 0);
  FILE* f = fopen(SL_TEST_BINARY_DIR "/pm_front.mot", "w");
  assert_non_null(f);
  fputs("front\ninDegrees=yes\nendheader\ntime\tknee_angle_r\n0\t70\n0.5\t71\n", f);
  fclose(f);
  f = fopen(SL_TEST_BINARY_DIR "/pm_two.yaml", "w");
  fputs(two, f);
  fclose(f);
  slPosition* bad = NULL;
  slError     e;
  assert_int_equal(sl_position_load(&bad, SL_TEST_BINARY_DIR "/pm_two.yaml", &mo, NULL, 0, &e),
                   SL_ERR_RANGE);
  assert_null(bad);
  assert_non_null(strstr(e.msg, "same frame times"));
  assert_non_null(strstr(e.where, "pm_two.yaml:"));
  f = fopen(SL_TEST_BINARY_DIR "/pm_front.mot", "w");
  fputs("front\ninDegrees=yes\nendheader\ntime\tknee_angle_r\tno_such_coord\n0\t70\t1\n", f);
  fclose(f);
  assert_int_equal(sl_position_load(&bad, SL_TEST_BINARY_DIR "/pm_two.yaml", &mo, NULL, 0, &e),
                   SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "no_such_coord"));
  assert_non_null(strstr(e.where, "pm_front.mot:4"));
  free(text), free(two);
  sl_position_run_free(rb);
  sl_position_free(b);
  sl_position_run_free(ra);
  sl_position_free(a);
}

// With its rates from the smoothing spline, three cycles of the 1.5 Hz driver's poses give the
// middle cycle's disc loads close to the analytic cycle's (the spline's end effects fade).
static void test_motion_file_inertia(void** state) {
  (void)state;
  slMotionOpt    mo = sl_motion_opt_default();
  slPosition*    a = load(SL_TEST_SOURCE_DIR "/scenarios/positions/spooning.yaml", &mo);
  slPositionRun* ra = run(a);
  const char*    path = write_motion_position(a, ra, 3, "    motion: {file: pm_back.mot}");
  slPosition*    b = load(path, &mo);
  assert_int_equal(b->samples, 3 * a->samples);
  slPositionRun* rb = run(b);
  // the still cycle (the file read without inertia) differs from the moving one by more than
  // the spline's error does
  double worst = 0, range = 0;
  int    n = ra->samples, l = 1;  // L4/L5
  for (int i = 0; i < n; i++) {
    double x = ra->res[0]->comp[SL_NLEVEL * i + l], y = rb->res[0]->comp[SL_NLEVEL * (n + i) + l];
    worst = fmax(worst, fabs(x - y));
    for (int j = 0; j < n; j++) range = fmax(range, fabs(x - ra->res[0]->comp[SL_NLEVEL * j + l]));
  }
  print_message("spline vs analytic rates: worst L4/L5 difference %.2f N, cycle range %.2f N\n",
                worst, range);
  assert_true(range > 10.0);
  assert_true(worst < 0.03 * range);
  sl_position_run_free(rb);
  sl_position_free(b);
  sl_position_run_free(ra);
  sl_position_free(a);
}

// The root's motion from the spline through its rotation matrix and origin
// (sl_root_motion_spline) matches central differences of the pelvis frame, for a pelvis that
// turns about all three axes and moves, at frames 10 ms apart.
static void test_root_motion_spline(void** state) {
  (void)state;
  slModel* m = sl_test_model(SL_TEST_SOURCE_DIR "/models/adult_male.yaml");
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  enum { N = 201 };
  const double dt = 0.01;
  double*      qs = calloc((size_t)N * (size_t)m->ncoord, sizeof(double));
  double       t[N], out[12 * N];
  for (int i = 0; i < N; i++) {
    double  s = i * dt;
    double* q = qs + (size_t)i * (size_t)m->ncoord;
    q[m->root_coord[0]] = 0.8 * sin(2.1 * s);
    q[m->root_coord[1]] = -1.5 + 0.3 * sin(1.3 * s);  // near the side-lying singularity
    q[m->root_coord[2]] = 0.4 * cos(1.7 * s);
    q[m->root_coord[3]] = 0.1 * sin(s);
    q[m->root_coord[4]] = 0.9 + 0.05 * cos(2 * s);
    t[i] = s;
  }
  slError e;
  assert_int_equal(sl_root_motion_spline(m, d, qs, (size_t)m->ncoord, N, t, 0.0, out, &e), SL_OK);
  // central differences of the rotation and origin from the kinematics at t +- h
  double worst_w = 0, worst_v = 0, worst_al = 0;
  for (int i = 50; i < 150; i += 7) {
    double R[3][9], p[3][3], h = 1e-4;
    for (int k = 0; k < 3; k++) {
      double s = t[i] + (k - 1) * h;
      memset(d->q, 0, sizeof(double) * (size_t)m->ncoord);
      d->q[m->root_coord[0]] = 0.8 * sin(2.1 * s);
      d->q[m->root_coord[1]] = -1.5 + 0.3 * sin(1.3 * s);
      d->q[m->root_coord[2]] = 0.4 * cos(1.7 * s);
      d->q[m->root_coord[3]] = 0.1 * sin(s);
      d->q[m->root_coord[4]] = 0.9 + 0.05 * cos(2 * s);
      sl_kin_forward(m, d, 0);
      memcpy(R[k], d->xrot, sizeof R[k]);
      memcpy(p[k], d->xpos, sizeof p[k]);
    }
    double Rd[9], W[9];
    for (int e2 = 0; e2 < 9; e2++) Rd[e2] = (R[2][e2] - R[0][e2]) / (2 * h);
    slu_mulmmt3(W, Rd, R[1]);
    double        w[3] = {W[7], W[2], W[3]};
    const double* o = out + 12 * i;
    for (int a = 0; a < 3; a++) {
      worst_w = fmax(worst_w, fabs(o[a] - w[a]));
      worst_v = fmax(worst_v, fabs(o[3 + a] - (p[2][a] - p[0][a]) / (2 * h)));
    }
    // angular acceleration: central difference of the spline's own angular velocity
    for (int a = 0; a < 3; a++)
      worst_al = fmax(worst_al,
                      fabs(o[6 + a] - (out[12 * (i + 1) + a] - out[12 * (i - 1) + a]) / (2 * dt)));
  }
  print_message("root motion: |dw| %.2e rad/s, |dv| %.2e m/s, |dal| %.2e rad/s^2\n", worst_w,
                worst_v, worst_al);
  assert_true(worst_w < 1e-5);
  assert_true(worst_v < 1e-6);
  assert_true(worst_al < 1e-3);
  free(qs);
  sl_data_free(d);
  sl_model_free(m);
}

// The cycle's poses the strategy choice computed at load are reused by the run only while what
// they came from holds: after a posture is edited, the run equals that of a position with the
// same edit whose motion was set again (and differs from the run before the edit), to the bit
static void test_pose_cache(void** state) {
  (void)state;
  slMotionOpt    mo = sl_motion_opt_default();
  slPosition*    a = load(POS("side_left.yaml"), &mo);
  slPosition*    b = load(POS("side_left.yaml"), &mo);
  slPositionRun* before = run(a);
  for (int k = 0; k < a->nrole; k++) {  // each body 1 cm along x
    int x = a->role[k].model->root_coord[3];
    assert_true(x >= 0);
    a->q0[k][x] += 0.01;
    b->q0[k][x] += 0.01;
  }
  slError e;
  if (sl_position_set_motion(b, &mo, &e) != SL_OK) fail_msg("%s", e.msg);
  slPositionRun *ra = run(a), *rb = run(b);
  int            moved = 0;
  for (int k = 0; k < a->nrole; k++) {
    assert_int_equal(a->role[k].strategy, b->role[k].strategy);
    size_t n = (size_t)ra->samples * (size_t)a->role[k].model->ncoord;
    assert_memory_equal(ra->res[k]->q, rb->res[k]->q, n * sizeof(double));
    assert_memory_equal(ra->res[k]->tau, rb->res[k]->tau,
                        (size_t)ra->samples * 18 * sizeof(double));
    for (size_t i = 0; i < n; i++) moved += ra->res[k]->q[i] != before->res[k]->q[i];
  }
  assert_true(moved > 0);
  sl_position_run_free(before);
  sl_position_run_free(ra);
  sl_position_run_free(rb);
  sl_position_free(a);
  sl_position_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_contact_equilibrium), cmocka_unit_test(test_mirror),
      cmocka_unit_test(test_inertia_scaling),     cmocka_unit_test(test_tissue_sticks),
      cmocka_unit_test(test_rank_order),          cmocka_unit_test(test_ranking),
      cmocka_unit_test(test_malformed),           cmocka_unit_test(test_rates_are_derivatives),
      cmocka_unit_test(test_held_rates_bounded),  cmocka_unit_test(test_motion_file_role),
      cmocka_unit_test(test_motion_file_inertia), cmocka_unit_test(test_root_motion_spline),
      cmocka_unit_test(test_pose_cache),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
