// sl_scene.c: one or two bodies, their supports and partner contacts, solved together.
//
// Equations. Every body contributes its 18 lumbar equilibrium equations (muscles + passive +
// reserves = demand, with contact forces on superior segments entering like muscles) and, if any
// contact touches it, 6 whole-body equations: the contact forces on it must balance its gravity,
// inertia and point loads (force, and moment about its pelvis origin). Contact unknowns are the
// edge weights of a four-sided friction pyramid per contact (normal force >= 0, tangential force
// <= mu x normal); a partner contact enters both bodies with opposite signs, so action equals
// reaction by construction. Muscles, contacts and reserves are then found by one static
// optimisation (sl_so.c): contacts are priced low (contact_c0), so they carry whatever they can
// and are distributed with the least norm; muscles do what contacts cannot.
//
// Disc loads. For level l of a body, the load the superior part puts on the inferior one is
//   L = sum of external loads above l + muscle tensions on the pieces crossing l
//       + contact forces on segments above l - posterior ligament tension along the disc normal,
// and compression = -L . n + pre-load, shears = L . anterior and L . right (disc frame).
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "sl_math.h"
#include "sl_la.h"
#include "sl_so.h"
#include "spineload.h"

#define NEDGE 4

struct slScene {
  int            nbody;
  int            maxcontact;
  const slModel* m[SL_MAXBODY];
  slData*        d[SL_MAXBODY];
  int            rowbase[SL_MAXBODY];  // first equation of each body
  int            hasroot[SL_MAXBODY];  // body has whole-body equations
  int            neq;
  int            warm_ok;  // lambda holds a previous solution for the same equation layout
  int            last_layout;
  double         b[SL_SO_MAXEQ];
  double         r0[SL_SO_MAXEQ];
  double         r[SL_SO_MAXEQ];
  double         lambda[SL_SO_MAXEQ];
  double         lambda_prev[SL_SO_MAXEQ];  // multipliers of the posture before (extrapolation)

  double* Ac;                 // (maxcontact*NEDGE x SL_SO_MAXEQ)
  double* c;                  // (maxcontact*NEDGE)
  double* edge;               // edge directions, world (maxcontact*NEDGE x 3)
  double* cpos;               // contact points on body and other body (maxcontact x 6)
  double* work;               // solver scratch
  int*    mrow0[SL_MAXBODY];  // first nonzero row of each muscle column
  int*    mnrow[SL_MAXBODY];
  int*    var_contact;  // contact of each edge variable (maxcontact*NEDGE)
  int*    crow0;        // row span of each contact column (maxcontact*NEDGE)
  int*    cnrow;
  int     profile;            // time the stages
  double  tstage[SL_NSTAGE];  // accumulated seconds per stage
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void sl_scene_profile(slScene* s, int on) {
  s->profile = on;
  memset(s->tstage, 0, sizeof s->tstage);
}

const double* sl_scene_times(const slScene* s) {
  return s->tstage;
}

#define TICK(k)                 \
  if (s->profile) {             \
    double t_ = now();          \
    s->tstage[k] += t_ - tlast; \
    tlast = t_;                 \
  }

void sl_scene_free(slScene* s) {
  if (!s) return;
  for (int b = 0; b < s->nbody; b++) {
    sl_data_free(s->d[b]);
    free(s->mrow0[b]);
    free(s->mnrow[b]);
  }
  free(s->Ac);
  free(s->c);
  free(s->edge);
  free(s->cpos);
  free(s->work);
  free(s->var_contact);
  free(s->crow0);
  free(s->cnrow);
  free(s);
}

slStatus sl_scene_make(slScene** out, const slModel* const* models, int nbody, int maxcontact,
                       slError* err) {
  *out = NULL;
  if (nbody < 1 || nbody > SL_MAXBODY || maxcontact < 0)
    return sl_fail(err, SL_ERR_ARG, "", "a scene has 1 or 2 bodies (got %d)", nbody);
  slScene* s = calloc(1, sizeof *s);
  if (!s) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for a scene");
  sl_la_single_thread();  // one scene per thread; BLAS must not start threads of its own
  s->nbody = nbody;
  s->maxcontact = maxcontact;
  int mc = maxcontact > 0 ? maxcontact : 1;
  s->Ac = calloc((size_t)mc * NEDGE * SL_SO_MAXEQ, sizeof(double));
  s->c = calloc((size_t)mc * NEDGE, sizeof(double));
  s->edge = calloc((size_t)mc * NEDGE * 3, sizeof(double));
  s->cpos = calloc((size_t)mc * 6, sizeof(double));
  int nvar = mc * NEDGE;
  for (int b = 0; b < nbody; b++) nvar += models[b]->nmus;
  s->work = calloc(sl_so_work_size(SL_SO_MAXEQ, nvar), sizeof(double));
  s->var_contact = calloc((size_t)mc * NEDGE, sizeof(int));
  s->crow0 = calloc((size_t)mc * NEDGE, sizeof(int));
  s->cnrow = calloc((size_t)mc * NEDGE, sizeof(int));
  if (!s->Ac || !s->c || !s->edge || !s->cpos || !s->work || !s->var_contact || !s->crow0 ||
      !s->cnrow) {
    sl_scene_free(s);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for a scene");
  }
  for (int b = 0; b < nbody; b++) {
    const slModel* m = models[b];
    s->m[b] = m;
    slStatus st = sl_data_make(m, &s->d[b], err);
    if (st != SL_OK) {
      s->nbody = b;
      sl_scene_free(s);
      return st;
    }
    s->mrow0[b] = malloc(sizeof(int) * (size_t)m->nmus);
    s->mnrow[b] = malloc(sizeof(int) * (size_t)m->nmus);
    if (!s->mrow0[b] || !s->mnrow[b]) {
      s->nbody = b + 1;
      sl_scene_free(s);
      return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for a scene");
    }
    for (int i = 0; i < m->nmus; i++) {
      s->mrow0[b][i] = 3 * m->mus_lev0[i];
      s->mnrow[b][i] = 3 * m->mus_nlev[i];
    }
  }
  s->last_layout = -1;
  *out = s;
  return SL_OK;
}

slData* sl_scene_data(slScene* s, int body) {
  return (body >= 0 && body < s->nbody) ? s->d[body] : NULL;
}

void sl_scene_reset(slScene* s) {
  s->warm_ok = 0;
}

// column entries of a force F applied at world point p on segment seg of body b
static void force_column(const slScene* s, int b, int seg, const double p[3], const double F[3],
                         double sign, double* col) {
  const slModel* m = s->m[b];
  const slData*  d = s->d[b];
  double*        rows = col + s->rowbase[b];
  for (int l = 0; l < SL_NLEVEL; l++) {
    if (!((m->seg_above[seg] >> l) & 1u)) continue;
    double r[3], mom[3];
    slu_sub3(r, p, d->lev_xpos[l]);
    slu_cross3(mom, r, F);
    for (int a = 0; a < 3; a++) rows[3 * l + a] += sign * slu_dot3(d->ldof_axis[3 * l + a], mom);
  }
  if (s->hasroot[b]) {
    double r[3], mom[3];
    slu_sub3(r, p, d->xpos);  // moments about the pelvis origin
    slu_cross3(mom, r, F);
    for (int k = 0; k < 3; k++) {
      rows[SL_NLDOF + k] += sign * F[k];
      rows[SL_NLDOF + 3 + k] += sign * mom[k];
    }
  }
}

// friction pyramid edges n + mu t_k for a unit normal n
static int pyramid(const double n[3], double mu, double* e) {
  if (mu <= 0.0) {
    slu_copy3(e, n);
    return 1;
  }
  double t1[3], t2[3], a[3] = {1, 0, 0};
  if (fabs(n[0]) > 0.9) a[0] = 0, a[1] = 1;
  slu_cross3(t1, n, a);
  slu_normalize3(t1);
  slu_cross3(t2, n, t1);
  for (int k = 0; k < NEDGE; k++) {
    const double* t = (k < 2) ? t1 : t2;
    double        sg = (k % 2) ? -1.0 : 1.0;
    for (int i = 0; i < 3; i++) e[3 * k + i] = n[i] + sg * mu * t[i];
  }
  return NEDGE;
}

static void disc_loads(const slModel* m, slData* d, const slScene* s, int b, const slSceneInput* in,
                       int nvar, const int* var_contact) {
  // muscle tension on the superior part of each level, one pass over the crossings
  double Lm[SL_NLEVEL][3];
  memset(Lm, 0, sizeof Lm);
  for (int x = 0; x < m->ncross; x++) {
    double f = d->mus_force[m->cross_mus[x]];
    if (f != 0.0) slu_addscl3(Lm[m->cross_lev[x]], d->cross_u + 3 * x, f);
  }
  for (int l = 0; l < SL_NLEVEL; l++) {
    double L[3];
    slu_add3(L, d->demand_force[l], Lm[l]);

    for (int v = 0; v < nvar; v++) {
      const slContact* ct = &in->contacts[var_contact[v]];
      double           sg = 0.0;
      int              land = -1;
      if (ct->body == b) {
        sg = 1.0;
        land = ct->land;
      } else if (ct->other == b) {
        sg = -1.0;
        land = ct->other_land;
      }
      if (land < 0 || !((m->seg_above[m->land_seg[land]] >> l) & 1u)) continue;
      slu_addscl3(L, s->edge + 3 * v, sg * s->c[v]);
    }
    const double* D = d->disc_rot[l];
    double ant[3] = {D[0], D[3], D[6]}, n[3] = {D[1], D[4], D[7]}, lat[3] = {D[2], D[5], D[8]};
    slu_addscl3(L, n, -d->lig_force[l]);
    double pre = m->disc_area[l] * m->disc_pre / m->disc_k;
    double comp = -slu_dot3(L, n) + pre;
    d->disc_comp[l] = comp;
    d->disc_shear_ap[l] = slu_dot3(L, ant);
    d->disc_shear_lat[l] = slu_dot3(L, lat);
    d->disc_res[l] = sqrt(comp * comp + d->disc_shear_ap[l] * d->disc_shear_ap[l] +
                          d->disc_shear_lat[l] * d->disc_shear_lat[l]);
    d->disc_idp[l] = m->disc_k * comp / m->disc_area[l];
  }
}

void sl_scene_step(slScene* s, const slSceneInput* in, const slSoOpt* o, double* contact_force) {
  int    nct = in->ncontact < s->maxcontact ? in->ncontact : s->maxcontact;
  double tlast = s->profile ? now() : 0.0;
  // stages 1-3 and passive tissue for every body
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    slData*        d = s->d[b];
    // with_inertia == 2: the caller has set the pose and the velocities (sl_motion_state)
    if (in->with_inertia != 2) sl_kin_forward(m, d, in->with_inertia);

    TICK(SL_STAGE_KIN);
    sl_muscle_geometry(m, d);
    TICK(SL_STAGE_MUSCLE);
    sl_load_external(m, d, in->with_inertia != 0, in->loads[b], in->nloads[b]);
    sl_load_demand(m, d);
    sl_disc_frames(m, d);
    sl_passive(m, d);
    TICK(SL_STAGE_LOAD);
    s->hasroot[b] = 0;
  }
  for (int j = 0; j < nct; j++) {
    const slContact* ct = &in->contacts[j];
    if (ct->body >= 0 && ct->body < s->nbody) s->hasroot[ct->body] = 1;
    if (ct->other >= 0 && ct->other < s->nbody) s->hasroot[ct->other] = 1;
  }
  // equation layout
  int neq = 0, layout = 0;
  for (int b = 0; b < s->nbody; b++) {
    s->rowbase[b] = neq;
    neq += SL_NLDOF + (s->hasroot[b] ? 6 : 0);
    layout = layout * 4 + 1 + s->hasroot[b];
  }
  s->neq = neq;
  memset(s->b, 0, sizeof s->b);
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    const slData*  d = s->d[b];
    double*        bb = s->b + s->rowbase[b];
    for (int k = 0; k < SL_NLDOF; k++) {
      bb[k] = d->tau[k] - d->pas_moment[k];
      s->r0[s->rowbase[b] + k] = o->reserve_r0;
    }
    if (s->hasroot[b]) {
      double F[3] = {0, 0, 0}, M[3] = {0, 0, 0};
      for (int i = 0; i < m->nseg; i++) {
        double r[3], t[3];
        slu_add3(F, F, d->ext_force + 3 * i);
        slu_sub3(r, d->xcom + 3 * i, d->xpos);
        slu_cross3(t, r, d->ext_force + 3 * i);
        slu_add3(M, M, t);
        slu_add3(M, M, d->ext_torque + 3 * i);
      }
      for (int k = 0; k < 3; k++) {
        bb[SL_NLDOF + k] = -F[k];
        bb[SL_NLDOF + 3 + k] = -M[k];
        s->r0[s->rowbase[b] + SL_NLDOF + k] = o->reserve_r0;
        s->r0[s->rowbase[b] + SL_NLDOF + 3 + k] = o->reserve_r0;
      }
    }
  }
  // contact columns
  int  nvar = 0;
  int* var_contact = s->var_contact;
  for (int j = 0; j < nct; j++) {
    const slContact* ct = &in->contacts[j];
    if (ct->body < 0 || ct->body >= s->nbody) continue;
    double         e[3 * NEDGE], pb[3], pa[3] = {0, 0, 0};
    const slModel* mb = s->m[ct->body];
    sl_kin_point(mb, s->d[ct->body], mb->land_seg[ct->land], mb->land_pos + 3 * ct->land, pb);
    int partner = ct->other >= 0 && ct->other < s->nbody;
    if (partner) {
      const slModel* ma = s->m[ct->other];
      sl_kin_point(ma, s->d[ct->other], ma->land_seg[ct->other_land],
                   ma->land_pos + 3 * ct->other_land, pa);
    }
    slu_copy3(s->cpos + 6 * j, pb);
    slu_copy3(s->cpos + 6 * j + 3, pa);
    int ne = pyramid(ct->normal, ct->mu, e);
    for (int k = 0; k < ne; k++) {
      double* col = s->Ac + (size_t)nvar * SL_SO_MAXEQ;
      memset(col, 0, sizeof(double) * SL_SO_MAXEQ);
      force_column(s, ct->body, mb->land_seg[ct->land], pb, e + 3 * k, 1.0, col);
      if (partner)
        force_column(s, ct->other, s->m[ct->other]->land_seg[ct->other_land], pa, e + 3 * k, -1.0,
                     col);
      slu_copy3(s->edge + 3 * nvar, e + 3 * k);
      var_contact[nvar] = j;
      nvar++;
    }
  }
  // the coupled problem; the contact columns use a stride of SL_SO_MAXEQ, so repack to neq
  if (neq != SL_SO_MAXEQ)
    for (int v = 0; v < nvar; v++)
      memmove(s->Ac + (size_t)v * (size_t)neq, s->Ac + (size_t)v * SL_SO_MAXEQ,
              sizeof(double) * (size_t)neq);
  slSoProblem P;
  memset(&P, 0, sizeof P);
  P.neq = neq;
  P.b = s->b;
  P.nblock = s->nbody;
  for (int b = 0; b < s->nbody; b++) {
    slSoBlock* B = &P.block[b];
    B->n = s->m[b]->nmus;
    B->rowbase = s->rowbase[b];
    B->ld = SL_NLDOF;
    B->A = s->d[b]->mus_R;
    B->row0 = s->mrow0[b];
    B->nrow = s->mnrow[b];
    B->fmax = s->m[b]->mus_fmax;
    B->f = s->d[b]->mus_force;
  }
  for (int v = 0; v < nvar; v++) {  // row span of each contact column
    const double* col = s->Ac + (size_t)v * (size_t)neq;
    int           lo = 0, hi = neq;
    while (lo < hi && col[lo] == 0.0) lo++;
    while (hi > lo && col[hi - 1] == 0.0) hi--;
    s->crow0[v] = lo;
    s->cnrow[v] = hi - lo;
  }
  P.nc = nvar;
  P.crow0 = s->crow0;
  P.cnrow = s->cnrow;
  P.Ac = s->Ac;
  P.c = s->c;
  P.r0 = s->r0;
  P.r = s->r;
  P.lambda = s->lambda;
  slSoOpt opt = *o;
  if (!s->warm_ok || layout != s->last_layout) {
    opt.warm = 0;
    s->warm_ok = 0;
  } else if (s->warm_ok >= 2 && in->smooth) {
    // neighbouring postures of a cycle: start from the linear extrapolation of the last two
    for (int k = 0; k < neq; k++) {
      double l1 = s->lambda[k];
      s->lambda[k] = 2.0 * l1 - s->lambda_prev[k];
      s->lambda_prev[k] = l1;
    }
  } else {
    memcpy(s->lambda_prev, s->lambda, sizeof(double) * (size_t)neq);
  }
  slSoResult res;
  TICK(SL_STAGE_ASSEMBLE);
  sl_so_solve(&P, &opt, s->work, &res);
  TICK(SL_STAGE_SOLVE);
  if (res.status == SL_SO_CONVERGED || res.status == SL_SO_RESERVE)
    s->warm_ok = s->warm_ok >= 1 ? 2 : 1;
  else
    s->warm_ok = 0;
  s->last_layout = layout;
  // outputs
  for (int b = 0; b < s->nbody; b++) {
    slData* d = s->d[b];
    d->so = res;
    memcpy(d->reserve, s->r + s->rowbase[b], sizeof d->reserve);
    if (s->hasroot[b])
      memcpy(d->root_reserve, s->r + s->rowbase[b] + SL_NLDOF, sizeof d->root_reserve);
    else
      memset(d->root_reserve, 0, sizeof d->root_reserve);
    disc_loads(s->m[b], d, s, b, in, nvar, var_contact);
  }
  if (contact_force) {
    memset(contact_force, 0, sizeof(double) * 3 * (size_t)in->ncontact);
    for (int v = 0; v < nvar; v++)
      slu_addscl3(contact_force + 3 * var_contact[v], s->edge + 3 * v, s->c[v]);
  }
  TICK(SL_STAGE_DISC);
}
