// sl_scene.c: one or two bodies, their supports and partner contacts, solved together.
//
// Equations. Every body contributes its 18 lumbar equilibrium equations (muscles + IAP + passive
// + reserves = demand, with contact forces on superior segments entering like muscles) and, if
// any contact touches it, 6 whole-body equations (the contact forces on it balance its gravity,
// inertia and point loads: force, and moment about its pelvis origin) and one equation per joint
// dof between a contacted segment and the root (neck, shoulder, elbow, wrist, hip, knee, ankle,
// ...): joint torque actuator + contacts = demand. A joint dof no contact reaches has nothing to
// share its demand with; its actuator takes it in closed form and it stays out of the solve.
//
// Unknowns. Muscle forces, the intra-abdominal pressure (one bounded actuator per body), two
// one-sided joint torque actuators per joint equation (strength in each direction), contact
// variables and one reserve per equation. Static contacts are the edge weights of a four-sided
// friction pyramid (normal force >= 0, tangential force <= mu x normal). A contact that slides
// (tangential speed above SL_SLIDE_SPEED, from the segment velocities of a motion, and a cycle
// excursion beyond what the soft tissue takes up, SL_TISSUE_SHEAR_M) has kinetic
// friction instead: one variable, the normal force, along n - mu_kinetic v_t / |v_t|, so friction
// opposes the sliding and cannot pick its most helpful direction. A partner contact enters both
// bodies with opposite signs, so action equals reaction by construction. All of it is found by
// one static optimisation (sl_so.c): contacts are priced low (contact_c0), so they carry whatever
// they can and are distributed with the least norm; joint actuators and IAP are priced like
// muscles by their strength.
//
// Disc loads. For level l of a body, the load the superior part puts on the inferior one is
//   L = external loads above l + muscle pulls on the superior part (sl_muscle.c) + contact
//       forces on segments above l + the IAP push on the thorax - ligament tension along n,
// and compression = -L . n, shears = L . anterior and L . right (disc frame). Compression is
// mechanical only; the swelling pressure p0 enters the pressure: IDP = p0 + k C / A.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl_la.h"
#include "sl_math.h"
#include "sl_so.h"
#include "spineload.h"

#define NEDGE 4

typedef unsigned long long Mask;

typedef struct BodyAct {  // per body: the unit actuators (joint torques) and the IAP column
  int    jrow[64];        // row (within the body) of each joint dof, -1 if not in the solve
  int    row0[128];       // actuator rows (2 per joint equation)
  double sgn[128];        // +1 / -1
  double fmax[128];       // strength [N m]
  double f[128];          // out [N m]
  int    jd[128];         // joint dof of each actuator
  int    nact;
  int    iap_row0, iap_nrow;
  double iap_fmax, iap_w, iap_f;
} BodyAct;

struct slScene {
  int            nbody;
  int            maxcontact;
  const slModel* m[SL_MAXBODY];
  slData*        d[SL_MAXBODY];
  int            rowbase[SL_MAXBODY];  // first equation of each body
  int            hasroot[SL_MAXBODY];  // body has whole-body equations
  Mask           jmask[SL_MAXBODY];    // joint dofs in the solve
  Mask           last_jmask[SL_MAXBODY];
  int            last_hasroot[SL_MAXBODY];
  int            neq;
  int            warm_ok;  // lambda holds a previous solution for the same equation layout
  double         b[SL_SO_MAXEQ];
  double         r0[SL_SO_MAXEQ];
  double         r[SL_SO_MAXEQ];
  double         lambda[SL_SO_MAXEQ];
  double         lambda_prev[SL_SO_MAXEQ];  // multipliers of the posture before (extrapolation)
  BodyAct        act[SL_MAXBODY];

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
  int*    sliding;            // per contact: 1 kinetic, 0 static (maxcontact)
  double* slip;               // per contact: tangential sliding speed [m/s] (maxcontact)
  int     profile;            // time the stages
  double  tstage[SL_NSTAGE];  // accumulated seconds per stage
  // what the stages leave for the ones after them
  double      iap_dir[SL_MAXBODY][3];  // the IAP's line of action (unit; zero without IAP)
  int         same;                    // the equation set is the one of the last solve
  int         nvar;                    // contact variables
  slSoProblem P;                       // the assembled problem
  slSoResult  res;                     // the solver's outcome
  slStage     ready;                   // the latest stage a step may start from
  // how the last step ran, for sl_scene_flops
  slStage last_from;    // the stage it started from
  int     last_cold;    // its solve started cold
  int     last_extrap;  // its warm start was the extrapolation of the last two solutions
  // what the allocations above can hold (sl_scene_remake reuses them)
  int    mc_cap;                // contacts
  size_t work_cap;              // doubles of work
  int    mus_cap[SL_MAXBODY];   // muscles of mrow0, mnrow
  size_t data_cap[SL_MAXBODY];  // bytes of d (sl_data_remake)
};

void sl_scene_profile(slScene* s, int on) {
  s->profile = on;
  memset(s->tstage, 0, sizeof s->tstage);
}

const double* sl_scene_times(const slScene* s) {
  return s->tstage;
}

const int* sl_scene_sliding(const slScene* s) {
  return s ? s->sliding : NULL;
}

const double* sl_scene_slip_speed(const slScene* s) {
  return s ? s->slip : NULL;
}

const double* sl_scene_contact_points(const slScene* s) {
  return s ? s->cpos : NULL;
}

// a case that continues into the next (clang's -Wimplicit-fallthrough ignores comments)
#if defined(__GNUC__) || defined(__clang__)
#define SL_FALLTHROUGH __attribute__((fallthrough))
#else
#define SL_FALLTHROUGH ((void)0)
#endif
#define TICK(k)                 \
  if (s->profile) {             \
    double t_ = sl_clock();     \
    s->tstage[k] += t_ - tlast; \
    tlast = t_;                 \
  }

void sl_scene_free(slScene* s) {
  if (!s) return;
  for (int b = 0; b < SL_MAXBODY; b++) {  // a remade scene may keep a body it no longer uses
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
  free(s->sliding);
  free(s->slip);
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
  for (int b = 0; b < nbody; b++) nvar += models[b]->nmus + 1 + 2 * models[b]->njdof;
  s->mc_cap = mc;
  s->work_cap = sl_so_work_size(SL_SO_MAXEQ, nvar);
  s->work = calloc(s->work_cap, sizeof(double));
  s->var_contact = calloc((size_t)mc * NEDGE, sizeof(int));
  s->crow0 = calloc((size_t)mc * NEDGE, sizeof(int));
  s->cnrow = calloc((size_t)mc * NEDGE, sizeof(int));
  s->sliding = calloc((size_t)mc, sizeof(int));
  s->slip = calloc((size_t)mc, sizeof(double));
  if (!s->Ac || !s->c || !s->edge || !s->cpos || !s->work || !s->var_contact || !s->crow0 ||
      !s->cnrow || !s->sliding || !s->slip) {
    sl_scene_free(s);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for a scene");
  }
  for (int b = 0; b < nbody; b++) {
    const slModel* m = models[b];
    s->m[b] = m;
    if (m->njdof > 64) {
      s->nbody = b;
      sl_scene_free(s);
      return sl_fail(err, SL_ERR_ARG, "", "a body has more than 64 joint dofs");
    }
    slStatus st = sl_data_remake(m, &s->d[b], &s->data_cap[b], err);
    if (st != SL_OK) {
      s->nbody = b;
      sl_scene_free(s);
      return st;
    }
    s->mus_cap[b] = m->nmus;
    s->mrow0[b] = malloc(sizeof(int) * (size_t)(m->nmus > 0 ? m->nmus : 1));
    s->mnrow[b] = malloc(sizeof(int) * (size_t)(m->nmus > 0 ? m->nmus : 1));
    if (!s->mrow0[b] || !s->mnrow[b]) {
      s->nbody = b + 1;
      sl_scene_free(s);
      return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for a scene");
    }
    for (int i = 0; i < m->nmus; i++) {
      s->mrow0[b][i] = 3 * m->mus_lev0[i];
      s->mnrow[b][i] = 3 * m->mus_nlev[i];
    }
    s->last_hasroot[b] = -1;
  }
  s->ready = SL_STAGE_ASSEMBLE;  // the solve and the disc loads need a problem and a solution
  *out = s;
  return SL_OK;
}

slStatus sl_scene_remake(slScene** out, const slModel* const* models, int nbody, int maxcontact,
                         slError* err) {
  slScene* s = *out;
  if (!s) return sl_scene_make(out, models, nbody, maxcontact, err);
  if (nbody < 1 || nbody > SL_MAXBODY || maxcontact < 0)
    return sl_fail(err, SL_ERR_ARG, "", "a scene has 1 or 2 bodies (got %d)", nbody);
  int mc = maxcontact > 0 ? maxcontact : 1;
  int nvar = mc * NEDGE;
  for (int b = 0; b < nbody; b++) nvar += models[b]->nmus + 1 + 2 * models[b]->njdof;
  size_t wsz = sl_so_work_size(SL_SO_MAXEQ, nvar);
  int    fits = mc <= s->mc_cap && wsz <= s->work_cap;
  for (int b = 0; b < nbody; b++)
    fits = fits && models[b]->nmus <= s->mus_cap[b] && models[b]->njdof <= 64;
  if (!fits) {  // grow: a new scene for the larger item
    sl_scene_free(s);
    *out = NULL;
    return sl_scene_make(out, models, nbody, maxcontact, err);
  }
  // what calloc gave sl_scene_make, over the sizes it would have allocated
  size_t ne = (size_t)mc * NEDGE;
  memset(s->Ac, 0, sizeof(double) * ne * SL_SO_MAXEQ);
  memset(s->c, 0, sizeof(double) * ne);
  memset(s->edge, 0, sizeof(double) * ne * 3);
  memset(s->cpos, 0, sizeof(double) * (size_t)mc * 6);
  memset(s->work, 0, sizeof(double) * wsz);
  memset(s->var_contact, 0, sizeof(int) * ne);
  memset(s->crow0, 0, sizeof(int) * ne);
  memset(s->cnrow, 0, sizeof(int) * ne);
  memset(s->sliding, 0, sizeof(int) * (size_t)mc);
  memset(s->slip, 0, sizeof(double) * (size_t)mc);
  slScene keep = *s;
  memset(s, 0, sizeof *s);
  s->Ac = keep.Ac, s->c = keep.c, s->edge = keep.edge, s->cpos = keep.cpos, s->work = keep.work;
  s->var_contact = keep.var_contact, s->crow0 = keep.crow0, s->cnrow = keep.cnrow;
  s->sliding = keep.sliding, s->slip = keep.slip;
  s->mc_cap = keep.mc_cap, s->work_cap = keep.work_cap;
  for (int b = 0; b < SL_MAXBODY; b++) {
    s->d[b] = keep.d[b], s->data_cap[b] = keep.data_cap[b];
    s->mrow0[b] = keep.mrow0[b], s->mnrow[b] = keep.mnrow[b], s->mus_cap[b] = keep.mus_cap[b];
  }
  s->nbody = nbody;
  s->maxcontact = maxcontact;
  for (int b = 0; b < nbody; b++) {
    const slModel* m = models[b];
    s->m[b] = m;
    slStatus st = sl_data_remake(m, &s->d[b], &s->data_cap[b], err);
    if (st != SL_OK) {
      sl_scene_free(s);
      *out = NULL;
      return st;
    }
    for (int i = 0; i < m->nmus; i++) {
      s->mrow0[b][i] = 3 * m->mus_lev0[i];
      s->mnrow[b][i] = 3 * m->mus_nlev[i];
    }
    s->last_hasroot[b] = -1;
  }
  s->ready = SL_STAGE_ASSEMBLE;
  return SL_OK;
}

slData* sl_scene_data(slScene* s, int body) {
  return (body >= 0 && body < s->nbody) ? s->d[body] : NULL;
}

void sl_scene_reset(slScene* s) {
  s->warm_ok = 0;
}

// ---- equations ----------------------------------------------------------------------------------
// velocity of a world point carried by segment seg (zero in statics)
static void point_velocity(const slData* d, int seg, const double p[3], double v[3]) {
  const double* w = d->cvel + 6 * seg;
  double        r[3], t[3];
  slu_sub3(r, p, d->xcom + 3 * seg);
  slu_cross3(t, w, r);
  slu_add3(v, d->cvel + 6 * seg + 3, t);
}

// column entries of a force F applied at world point p on segment seg of body b: lumbar rows,
// whole-body rows and the rows of the joint dofs whose axes carry the segment
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
  if (!s->hasroot[b]) return;
  double r[3], mom[3];
  slu_sub3(r, p, d->xpos);  // moments about the pelvis origin
  slu_cross3(mom, r, F);
  for (int k = 0; k < 3; k++) {
    rows[SL_NLDOF + k] += sign * F[k];
    rows[SL_NLDOF + 3 + k] += sign * mom[k];
  }
  // joint dofs: walk from the segment to the root
  const BodyAct* A = &s->act[b];
  for (int g = seg; g > 0; g = m->seg_parent[g])
    for (int k = 0; k < m->seg_axnum[g]; k++) {
      int ax = m->seg_axadr[g] + k, j = m->ax_jdof[ax];
      if (j < 0 || A->jrow[j] < 0) continue;
      const double* w = d->xaxis + 3 * ax;
      double        q;
      if (m->ax_type[ax] == SL_AX_ROT) {
        slu_sub3(r, p, d->xjnt + 3 * g);
        slu_cross3(mom, r, F);
        q = slu_dot3(w, mom);
      } else {
        q = slu_dot3(w, F);
      }
      rows[A->jrow[j]] += sign * d->axis_df[ax] * q;
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

// the line of action of the intra-abdominal pressure and its generalized force per newton
static void iap_geometry(const slModel* m, slData* d) {
  slu_zero3(d->iap_force);
  if (!m->iap_on) {
    memset(d->iap_R, 0, sizeof d->iap_R);
    return;
  }
  int           lo = m->abd_seg[0], hi = m->abd_seg[1];
  const double* Rl = d->xrot + 9 * lo;
  const double* Rh = d->xrot + 9 * hi;
  double        pl[3], ph[3], dir[3];
  sl_kin_point(m, d, lo, m->iap_point[0], pl);
  sl_kin_point(m, d, hi, m->iap_point[1], ph);
  for (int k = 0; k < 3; k++) {
    d->iap_pos[k] = 0.5 * (pl[k] + ph[k]);
    dir[k] = Rl[3 * k + 1] + Rh[3 * k + 1];  // bisector of the two long (y) axes
  }
  slu_normalize3(dir);
  slu_copy3(d->iap_force, dir);  // per newton until the solve
  for (int l = 0; l < SL_NLEVEL; l++) {
    double r[3], mom[3];
    slu_sub3(r, d->iap_pos, d->lev_xpos[l]);
    slu_cross3(mom, r, dir);
    for (int a = 0; a < 3; a++) d->iap_R[3 * l + a] = slu_dot3(d->ldof_axis[3 * l + a], mom);
  }
}

// contact variables of contact j: one column per pyramid edge (static) or one along the kinetic
// friction direction (sliding); returns the number of columns added at s->Ac + nvar
static int contact_columns(slScene* s, const slContact* ct, double excursion, int j, int nvar) {
  double         e[3 * NEDGE], pb[3], pa[3], vb[3], va[3] = {0, 0, 0};
  const slModel* mb = s->m[ct->body];
  const slData*  db = s->d[ct->body];
  int            sb = mb->land_seg[ct->land];
  sl_kin_landmark(mb, db, ct->land, pb);
  int partner = ct->other >= 0 && ct->other < s->nbody;
  int sa = -1;
  if (partner) {
    // action and reaction act at one point, on the material point of each body there: a grip
    // (one landmark on a limb, held on the partner) acts at the gripping landmark; otherwise
    // midway between the two landmarks (they coincide only where the placement put them)
    const slModel* ma = s->m[ct->other];
    sa = ma->land_seg[ct->other_land];
    sl_kin_landmark(ma, s->d[ct->other], ct->other_land, pa);
    int gb = mb->seg_jdofs[sb] != 0, ga = ma->seg_jdofs[sa] != 0;
    if (ga && !gb)
      slu_copy3(pb, pa);
    else if (gb == ga)
      for (int k = 0; k < 3; k++) pb[k] = 0.5 * (pb[k] + pa[k]);
    slu_copy3(pa, pb);
    point_velocity(s->d[ct->other], sa, pa, va);
  } else {
    slu_zero3(pa);
  }
  point_velocity(db, sb, pb, vb);
  slu_copy3(s->cpos + 6 * j, pb);
  slu_copy3(s->cpos + 6 * j + 3, pa);
  // sliding velocity of the body's point relative to the surface it touches, tangential part
  double vt[3];
  slu_sub3(vt, vb, va);
  slu_addscl3(vt, ct->normal, -slu_dot3(vt, ct->normal));
  double speed = slu_norm3(vt);
  s->slip[j] = speed;
  s->sliding[j] = speed > SL_SLIDE_SPEED && ct->mu > 0.0 && excursion > SL_TISSUE_SHEAR_M;
  int ne;
  if (s->sliding[j]) {
    for (int i = 0; i < 3; i++) e[i] = ct->normal[i] - ct->mu_kinetic * vt[i] / speed;
    ne = 1;
  } else {
    ne = pyramid(ct->normal, ct->mu, e);
  }
  for (int k = 0; k < ne; k++) {
    double* col = s->Ac + (size_t)(nvar + k) * SL_SO_MAXEQ;
    memset(col, 0, sizeof(double) * SL_SO_MAXEQ);
    force_column(s, ct->body, sb, pb, e + 3 * k, 1.0, col);
    if (partner) force_column(s, ct->other, sa, pa, e + 3 * k, -1.0, col);
    slu_copy3(s->edge + 3 * (nvar + k), e + 3 * k);
    s->var_contact[nvar + k] = j;
  }
  return ne;
}

// a contact at landmark land of body b (if b is a body of the scene) brings in its whole-body
// equations and the joint dofs between the landmark and the root
static void touch(slScene* s, int b, int land) {
  if (b < 0 || b >= s->nbody) return;
  s->hasroot[b] = 1;
  s->jmask[b] |= s->m[b]->seg_jdofs[s->m[b]->land_seg[land]];
}

// torque of every joint dof and its share of strength; a closed form for dofs outside the solve
static void joint_outputs(const slScene* s, int b, const slSoOpt* o, int* beyond) {
  const slModel* m = s->m[b];
  slData*        d = s->d[b];
  const BodyAct* A = &s->act[b];
  for (int j = 0; j < m->njdof; j++) {
    double need, tau;
    if (A->jrow[j] >= 0) {
      tau = 0.0;
      for (int k = 0; k < A->nact; k++)
        if (A->jd[k] == j) tau += A->sgn[k] * A->f[k];
      need = tau + s->r[s->rowbase[b] + A->jrow[j]];
    } else {
      need = d->jdof_tau[j];
      double hi = m->jdof_strength[2 * j], lo = -m->jdof_strength[2 * j + 1];
      tau = need > hi ? hi : need < lo ? lo : need;
    }
    double str = m->jdof_strength[2 * j + (need < 0)];
    d->jdof_torque[j] = tau;
    d->jdof_reserve[j] = need - tau;
    d->jdof_share[j] = str > 0 ? fabs(need) / str : (need != 0.0 ? INFINITY : 0.0);
    if (fabs(need - tau) > o->reserve_flag) *beyond = 1;
  }
}

// ---- the stages ---------------------------------------------------------------------------------
// Each stage reads what the stages before it left in the bodies' data and in the scene; the
// step below calls them in order.

// SL_STAGE_KIN: forward kinematics of every body (with_inertia == 2: the caller has set the pose
// and the velocities, sl_motion_rates, so there is nothing to do)
static void stage_kinematics(slScene* s, const slSceneInput* in) {
  if (in->with_inertia == 2) return;
  for (int b = 0; b < s->nbody; b++) sl_kin_forward(s->m[b], s->d[b], in->with_inertia);
}

// SL_STAGE_MUSCLE: muscle paths, lengths and moment arms
static void stage_muscles(slScene* s) {
  for (int b = 0; b < s->nbody; b++) sl_muscle_geometry(s->m[b], s->d[b]);
}

// SL_STAGE_LOAD: external loads, demand, disc frames, passive tissue and the IAP's line of action
static void stage_loads(slScene* s, const slSceneInput* in) {
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    slData*        d = s->d[b];
    sl_load_external(m, d, in->with_inertia != 0, in->loads[b], in->nloads[b]);
    sl_load_demand(m, d);
    sl_disc_frames(m, d);
    sl_passive(m, d);
    iap_geometry(m, d);
    slu_copy3(s->iap_dir[b], d->iap_force);
  }
}

// SL_STAGE_ASSEMBLE: the equation set, its right-hand side, the contact columns and the problem
// for the solver (s->P)
static void stage_assemble(slScene* s, const slSceneInput* in, const slSoOpt* o) {
  int nct = in->ncontact < s->maxcontact ? in->ncontact : s->maxcontact;
  for (int b = 0; b < s->nbody; b++) {
    s->hasroot[b] = 0;
    s->jmask[b] = 0;
  }
  // which equations: whole-body rows for a contacted body, joint rows on the way to the root
  for (int j = 0; j < nct; j++) {
    const slContact* ct = &in->contacts[j];
    touch(s, ct->body, ct->land);
    touch(s, ct->other, ct->other_land);
  }
  // equation layout
  int neq = 0, same = 1;
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    BodyAct*       A = &s->act[b];
    s->rowbase[b] = neq;
    int nb = SL_NLDOF + (s->hasroot[b] ? 6 : 0);
    A->nact = 0;
    for (int j = 0; j < m->njdof; j++) {
      A->jrow[j] = -1;
      if (!((s->jmask[b] >> j) & 1ull)) continue;
      A->jrow[j] = nb;
      for (int sg = 0; sg < 2; sg++) {
        int k = A->nact++;
        A->row0[k] = nb;
        A->sgn[k] = sg ? -1.0 : 1.0;
        A->fmax[k] = m->jdof_strength[2 * j + sg];
        if (!(A->fmax[k] > 0)) A->fmax[k] = 1e-9;  // no strength: the reserve takes it
        A->jd[k] = j;
      }
      nb++;
    }
    neq += nb;
    same &= s->hasroot[b] == s->last_hasroot[b] && s->jmask[b] == s->last_jmask[b];
  }
  s->neq = neq;
  s->same = same;
  memset(s->b, 0, sizeof s->b);
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    const slData*  d = s->d[b];
    double*        bb = s->b + s->rowbase[b];
    double*        r0 = s->r0 + s->rowbase[b];
    for (int k = 0; k < SL_NLDOF; k++) {
      bb[k] = d->tau[k] - d->pas_moment[k];
      r0[k] = o->reserve_r0;
    }
    if (!s->hasroot[b]) continue;
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
      r0[SL_NLDOF + k] = o->reserve_r0;
      r0[SL_NLDOF + 3 + k] = o->reserve_r0;
    }
    const BodyAct* A = &s->act[b];
    for (int j = 0; j < m->njdof; j++)
      if (A->jrow[j] >= 0) {
        bb[A->jrow[j]] = d->jdof_tau[j];
        r0[A->jrow[j]] = o->reserve_r0;
      }
  }
  // contact columns
  int nvar = 0;
  for (int j = 0; j < nct; j++) {
    const slContact* ct = &in->contacts[j];
    s->sliding[j] = 0;
    s->slip[j] = 0.0;
    if (ct->body < 0 || ct->body >= s->nbody) continue;
    nvar += contact_columns(s, ct, in->excursion ? in->excursion[j] : INFINITY, j, nvar);
  }
  s->nvar = nvar;
  // the coupled problem; the contact columns use a stride of SL_SO_MAXEQ, so repack to neq
  if (neq != SL_SO_MAXEQ)
    for (int v = 0; v < nvar; v++)
      memmove(s->Ac + (size_t)v * (size_t)neq, s->Ac + (size_t)v * SL_SO_MAXEQ,
              sizeof(double) * (size_t)neq);
  slSoProblem* P = &s->P;
  memset(P, 0, sizeof *P);
  P->neq = neq;
  P->b = s->b;
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    slData*        d = s->d[b];
    BodyAct*       A = &s->act[b];
    slSoBlock*     B = &P->block[P->nblock++];
    B->n = m->nmus;
    B->rowbase = s->rowbase[b];
    B->ld = SL_NLDOF;
    B->A = d->mus_R;
    B->row0 = s->mrow0[b];
    B->nrow = s->mnrow[b];
    B->fmax = m->mus_fmax;
    B->f = d->mus_force;
    A->iap_f = 0.0;
    if (m->iap_on) {
      B = &P->block[P->nblock++];
      A->iap_row0 = 0;
      A->iap_nrow = SL_NLDOF;
      A->iap_fmax = m->iap_pmax * m->iap_area;
      A->iap_w = m->iap_weight;
      B->n = 1;
      B->rowbase = s->rowbase[b];
      B->ld = SL_NLDOF;
      B->A = d->iap_R;
      B->row0 = &A->iap_row0;
      B->nrow = &A->iap_nrow;
      B->fmax = &A->iap_fmax;
      B->w = &A->iap_w;
      B->f = &A->iap_f;
    }
    if (A->nact > 0) {
      B = &P->block[P->nblock++];
      B->n = A->nact;
      B->rowbase = s->rowbase[b];
      B->unit = 1;
      B->A = A->sgn;
      B->row0 = A->row0;
      B->fmax = A->fmax;
      B->f = A->f;
    }
  }
  for (int v = 0; v < nvar; v++) {  // row span of each contact column
    const double* col = s->Ac + (size_t)v * (size_t)neq;
    int           lo = 0, hi = neq;
    while (lo < hi && col[lo] == 0.0) lo++;
    while (hi > lo && col[hi - 1] == 0.0) hi--;
    s->crow0[v] = lo;
    s->cnrow[v] = hi - lo;
  }
  P->nc = nvar;
  P->crow0 = s->crow0;
  P->cnrow = s->cnrow;
  P->Ac = s->Ac;
  P->c = s->c;
  P->r0 = s->r0;
  P->r = s->r;
  P->lambda = s->lambda;
}

// the warm start: none after a change of the equation set, the linear extrapolation of the last
// two solutions along a smooth cycle, else the last solution
static void warm_start(slScene* s, const slSceneInput* in, slSoOpt* opt) {
  int neq = s->neq;
  s->last_extrap = 0;
  if (!s->warm_ok || !s->same) {
    opt->warm = 0;
    s->warm_ok = 0;
  } else if (s->warm_ok >= 2 && in->smooth) {
    // neighbouring postures of a cycle: start from the linear extrapolation of the last two
    s->last_extrap = 1;
    for (int k = 0; k < neq; k++) {
      double l1 = s->lambda[k];
      s->lambda[k] = 2.0 * l1 - s->lambda_prev[k];
      s->lambda_prev[k] = l1;
    }
  } else {
    memcpy(s->lambda_prev, s->lambda, sizeof(double) * (size_t)neq);
  }
}

// SL_STAGE_SOLVE: one static optimisation of everything the scene assembled
static void stage_solve(slScene* s, const slSceneInput* in, const slSoOpt* o) {
  slSoOpt opt = *o;
  warm_start(s, in, &opt);
  s->last_cold = !opt.warm;
  sl_so_solve(&s->P, &opt, s->work, &s->res);
  if (s->res.status == SL_SO_CONVERGED || s->res.status == SL_SO_RESERVE)
    s->warm_ok = s->warm_ok >= 1 ? 2 : 1;
  else
    s->warm_ok = 0;
  for (int b = 0; b < s->nbody; b++) {
    s->last_hasroot[b] = s->hasroot[b];
    s->last_jmask[b] = s->jmask[b];
  }
}

// SL_STAGE_DISC: the posture's status, joint torques, reserves and IAP into each body's data,
// its disc loads, and the contact forces
static void stage_discs(slScene* s, const slSceneInput* in, const slSoOpt* o,
                        double* contact_force) {
  // status: reserves on lumbar or whole-body rows mean equilibrium needs more than muscles,
  // passive tissue, IAP and contacts can give; beyond that, a joint past its strength
  slSoResult res = s->res;
  double     rmax = 0.0;
  int        beyond = 0;
  for (int b = 0; b < s->nbody; b++) {
    int nr = SL_NLDOF + (s->hasroot[b] ? 6 : 0);
    for (int k = 0; k < nr; k++) rmax = fmax(rmax, fabs(s->r[s->rowbase[b] + k]));
    joint_outputs(s, b, o, &beyond);
  }
  if (res.status == SL_SO_RESERVE || res.status == SL_SO_CONVERGED)
    res.status = rmax > o->reserve_flag ? SL_SO_RESERVE : beyond ? SL_SO_STRENGTH : SL_SO_CONVERGED;
  int nvar = s->nvar;
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    slData*        d = s->d[b];
    d->so = res;
    memcpy(d->reserve, s->r + s->rowbase[b], sizeof d->reserve);
    if (s->hasroot[b])
      memcpy(d->root_reserve, s->r + s->rowbase[b] + SL_NLDOF, sizeof d->root_reserve);
    else
      memset(d->root_reserve, 0, sizeof d->root_reserve);
    double fi = s->act[b].iap_f;
    d->iap = m->iap_on ? fi / m->iap_area : 0.0;
    // the IAP's line of action is per newton until here (iap_geometry); scaled from a copy so
    // the stage can run again
    slu_scl3(d->iap_force, s->iap_dir[b], m->iap_on ? fi : 0.0);
    sl_disc_loads(m, d, b, in->contacts, nvar, s->var_contact, s->edge, s->c);
  }
  if (contact_force) {
    memset(contact_force, 0, sizeof(double) * 3 * (size_t)in->ncontact);
    for (int v = 0; v < nvar; v++)
      slu_addscl3(contact_force + 3 * s->var_contact[v], s->edge + 3 * v, s->c[v]);
  }
}

// ---- the step -----------------------------------------------------------------------------------
void sl_scene_step(slScene* s, const slSceneInput* in, const slSoOpt* o, double* contact_force) {
  sl_scene_step_from(s, in, o, contact_force, SL_STAGE_KIN);
}

void sl_scene_step_from(slScene* s, const slSceneInput* in, const slSoOpt* o, double* contact_force,
                        slStage from) {
  // a stage whose inputs the scene keeps (the assembled problem, the solution) can only be the
  // start once it has run
  if (from > s->ready) from = s->ready;
  if (from < SL_STAGE_KIN) from = SL_STAGE_KIN;
  s->last_from = from;
  double tlast = s->profile ? sl_clock() : 0.0;
  switch (from) {  // the pipeline, from the stage asked for to the end
    case SL_STAGE_KIN:
      stage_kinematics(s, in);
      TICK(SL_STAGE_KIN);
      SL_FALLTHROUGH;
    case SL_STAGE_MUSCLE:
      stage_muscles(s);
      TICK(SL_STAGE_MUSCLE);
      SL_FALLTHROUGH;
    case SL_STAGE_LOAD:
      stage_loads(s, in);
      TICK(SL_STAGE_LOAD);
      SL_FALLTHROUGH;
    case SL_STAGE_ASSEMBLE:
      stage_assemble(s, in, o);
      TICK(SL_STAGE_ASSEMBLE);
      SL_FALLTHROUGH;
    case SL_STAGE_SOLVE:
      stage_solve(s, in, o);
      TICK(SL_STAGE_SOLVE);
      SL_FALLTHROUGH;
    case SL_STAGE_DISC:
    default:
      stage_discs(s, in, o, contact_force);
      TICK(SL_STAGE_DISC);
  }
  s->ready = SL_STAGE_DISC;
}

// ---- floating-point operations ------------------------------------------------------------------
// Counted analytically from each stage's loop structure with the sizes of the step just taken: one
// per +, -, *, /, sqrt and elementary function (sin, cos, pow); comparisons, fabs, negations and
// copies are free. The constants below are the operations of the inline helpers of sl_math.h.
enum {
  F_DOT3 = 5,
  F_CROSS3 = 9,
  F_ADD3 = 3,
  F_SCL3 = 3,
  F_ADDSCL3 = 6,
  F_MV3 = 15,
  F_MM3 = 45,
  F_NORM3 = 6,
  F_NORMALIZE3 = 10,
  F_AXISANGLE = 36,
  F_RIGID = 36,
  F_POINT = 18  // a segment point to world (sl_kin_point, seg_point)
};

static int levels_above(const slModel* m, int seg) {
  int n = 0;
  for (int l = 0; l < SL_NLEVEL; l++) n += (m->seg_above[seg] >> l) & 1u;
  return n;
}

static double flops_kin(const slModel* m, const slData* d, int with_vel) {
  double f = 0.0;
  for (int i = 0; i < m->nseg; i++) {
    f += F_MM3 + F_MV3 + F_ADD3;  // joint frame
    for (int k = 0; k < m->seg_axnum[i]; k++) {
      int ax = m->seg_axadr[i] + k, c = m->ax_coord[ax];
      f += 5;  // fd, fdd
      if (m->ax_fun[ax] == SL_FUN_LINEAR)
        f += 1;
      else if (m->ax_fun[ax] == SL_FUN_SPLINE)
        f += (c >= 0 ? d->q[c] : 0.0) <= m->knot_x[m->ax_knotadr[ax]] ? 3 : 17;
      if (m->ax_type[ax] == SL_AX_ROT)
        f += F_MV3 + F_AXISANGLE + F_MM3 + (with_vel ? 24 : 0);
      else
        f += F_MV3 + 3 * F_ADDSCL3;
    }
    f += 99;                 // frame M, child frame, centre of mass
    if (with_vel) f += 204;  // velocities and accelerations of the origins and the CoM
  }
  return f;
}

static double flops_muscle(const slModel* m, const slData* d) {
  double f = 0.0;
  for (int p = 0; p < m->npt; p++) f += F_POINT + (m->pt_abd[p] ? F_POINT + 12 : 0);
  // every piece from a point to the next in one loop (sl_muscle.c), the lengths' sums
  if (m->npt > 1) f += (m->npt - 1) * (F_ADD3 + F_NORM3 + 1 + F_SCL3);
  for (int i = 0; i < m->nmus; i++) f += m->mus_ptnum[i] > 1 ? m->mus_ptnum[i] - 1 : 0;
  for (int x = 0; x < m->ncross; x++)
    f += 3 + F_ADD3 + F_CROSS3 + 3 * (F_DOT3 + 1) + (m->cross_first[x] ? 0 : 3);
  return f;
}

static double flops_loads(const slModel* m, const slData* d, int with_inertia,
                          const slPointLoad* loads, int nloads) {
  double f = (double)m->nseg * (F_SCL3 + (with_inertia ? 138 : 0));  // gravity, inertia
  for (int k = 0; k < nloads; k++)
    f += F_POINT + 3 * F_ADD3 + F_CROSS3 + F_ADD3 * levels_above(m, loads[k].seg);
  // demand: resultant above each level, subtree sums, joint dofs
  for (int i = 0; i < m->nseg; i++) f += 21.0 * levels_above(m, i);
  f += SL_NLDOF * F_DOT3 + 12.0 * m->nseg + 6.0 * (m->nseg - 1);
  for (int ax = 0; ax < m->naxis; ax++)
    if (m->ax_jdof[ax] >= 0) f += (m->ax_type[ax] == SL_AX_ROT ? 17 : 5) + 2;
  f += 2 * F_MV3 + (SL_NLEVEL - 1) * (F_ADD3 + F_NORMALIZE3) + SL_NLEVEL * 46;  // disc frames
  for (int l = 0; l < SL_NLEVEL; l++)                                           // passive
    f += 3 * 16 + (-d->q[m->lev_coord[l][0]] > 0 ? 1 : 0);
  if (m->iap_on) f += 2 * F_POINT + 9 + F_NORMALIZE3 + SL_NLEVEL * 27;  // IAP line of action
  return f;
}

// a force column (force_column) of segment seg on body b
static double flops_force_column(const slScene* s, int b, int seg) {
  const slModel* m = s->m[b];
  double         f = 33.0 * levels_above(m, seg);
  if (!s->hasroot[b]) return f;
  f += 24;
  for (int g = seg; g > 0; g = m->seg_parent[g])
    for (int k = 0; k < m->seg_axnum[g]; k++) {
      int ax = m->seg_axadr[g] + k, j = m->ax_jdof[ax];
      if (j < 0 || s->act[b].jrow[j] < 0) continue;
      f += (m->ax_type[ax] == SL_AX_ROT ? 17 : 5) + 3;
    }
  return f;
}

static double flops_assemble(const slScene* s, const slSceneInput* in) {
  double f = 0.0;
  for (int b = 0; b < s->nbody; b++) f += SL_NLDOF + (s->hasroot[b] ? 21.0 * s->m[b]->nseg : 0);
  int nct = in->ncontact < s->maxcontact ? in->ncontact : s->maxcontact;
  for (int j = 0; j < nct; j++) {
    const slContact* ct = &in->contacts[j];
    if (ct->body < 0 || ct->body >= s->nbody) continue;
    const slModel* mb = s->m[ct->body];
    int            sb = mb->land_seg[ct->land], sa = -1;
    int            partner = ct->other >= 0 && ct->other < s->nbody;
    f += F_POINT + 15 + 14 + F_NORM3;  // landmark, its velocity, the tangential slip
    if (partner) {
      const slModel* ma = s->m[ct->other];
      sa = ma->land_seg[ct->other_land];
      f += F_POINT + 15 + ((mb->seg_jdofs[sb] != 0) == (ma->seg_jdofs[sa] != 0) ? 6 : 0);
    }
    int ne = s->sliding[j] ? 1 : ct->mu > 0.0 ? NEDGE : 1;
    f += s->sliding[j] ? 9 : ct->mu > 0.0 ? 64 : 0;
    f += ne * (flops_force_column(s, ct->body, sb) +
               (partner ? flops_force_column(s, ct->other, sa) : 0.0));
  }
  return f;
}

// The recruitment from the solver's loop structure (sl_so.c), with this posture's iterations and
// the active set of its solution: a column's projection (2 per row), its force and derivative
// when its projection is positive, its update of the gradient when it carries force, its share of
// the Newton matrix (nr (nr + 2)) when strictly between its bounds (every column on a cold
// start's first step), the Cholesky (n^3/3 + n^2/2 + n/6) and its two triangular solves (2 n^2),
// the step's projection and one evaluation of the directional derivative per iteration. Further
// line-search passes (regula falsi) are not reported by the solver and not counted, every
// iteration is counted with the final active set, and the Newton matrix is counted as rebuilt
// at every iteration, though for p = 2 the solver updates it by the changed columns only: an
// estimate, neither a lower nor an upper bound.
static double flops_solve(const slScene* s, const slSoOpt* o) {
  const slSoProblem* P = &s->P;
  int                n = P->neq;
  int                minmax = o->criterion == SL_CRIT_MINMAX;
  double             p = o->criterion == SL_CRIT_P3 ? 3.0 : 2.0;
  double E = 0, E0 = 0, H = 0, Hall = 0, PJ = 0, DD = 0;  // evaluate, Hessian, project, dir_deriv
  double beta = 1.0;                                      // the bounds' scale of the last solve
  if (minmax) {
    beta = 0.0;
    for (int bl = 0; bl < P->nblock; bl++)
      for (int i = 0; i < P->block[bl].n; i++)
        if (P->block[bl].f[i] / P->block[bl].fmax[i] > beta)
          beta = P->block[bl].f[i] / P->block[bl].fmax[i];
  }
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++) {
      double nr = B->unit ? 1 : B->nrow[i], fi = B->f[i], ub = beta * B->fmax[i];
      int    pos = fi > 0.0, free = pos && fi < ub * (1.0 - 1e-12);
      double mf = !pos ? 0 : p == 2.0 ? 4 : free ? 16 : 7;  // mus_force
      E += 2 * nr + mf + (pos ? 3 + 2 * nr : 0);
      E0 += 2 * nr;
      H += mf + (free ? nr * (nr + 2) : 0);
      Hall += 3 + nr * (nr + 2);
      PJ += 2 * nr;
      DD += 4 + mf;
    }
  }
  for (int j = 0; j < P->nc; j++) {
    int           nr = P->cnrow[j], pos = P->c[j] > 0.0;
    const double* a = P->Ac + (size_t)j * (size_t)n + P->crow0[j];
    double        h = 2;
    for (int cc = 0; cc < nr; cc++)
      if (a[cc] != 0.0) h += 1 + 2 * (cc + 1);
    E += 2 * nr + (pos ? 3 + 2 * nr : 0);
    E0 += 2 * nr;
    H += pos ? h : 0;
    Hall += h;
    PJ += 2 * nr;
    DD += 2 + (pos ? 5 : 0);
  }
  E += 4 * n, E0 += 4 * n, H += 3 * n, Hall += 3 * n, DD += 7 * n;
  double nn = n, chol = nn * nn * nn / 3 + nn * nn / 2 + nn / 6 + 2 * nn * nn;
  double per_iter = H + chol + 4 * nn + PJ + DD + 2 * nn + E;
  double it = s->res.iter, calls = minmax ? 16 : 1;
  double f = (s->last_cold ? E0 + (calls - 1) * E : calls * E) + it * per_iter;
  if (s->last_cold && it > 0) f += Hall - H;
  if (s->last_extrap) f += 2 * nn;
  if (minmax) {
    int nmus = 0;
    for (int bl = 0; bl < P->nblock; bl++) nmus += P->block[bl].n;
    f += nmus;
  }
  return f;
}

static double flops_discs(const slScene* s, const slSceneInput* in) {
  double f = 0.0;
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    const slData*  d = s->d[b];
    const BodyAct* A = &s->act[b];
    for (int j = 0; j < m->njdof; j++) {
      f += 3;
      if (A->jrow[j] >= 0) {
        f += 1;
        for (int k = 0; k < A->nact; k++) f += A->jd[k] == j ? 2 : 0;
      }
    }
    f += m->iap_on ? 1 + F_SCL3 : F_SCL3;
    for (int x = 0; x < m->ncross; x++)
      f += d->mus_force[m->cross_mus[x]] * m->cross_share[x] != 0.0 ? 14 : 1;
    for (int l = 0; l < SL_NLEVEL; l++) {
      f += 62;
      for (int v = 0; v < s->nvar; v++) {
        const slContact* ct = &in->contacts[s->var_contact[v]];
        int              land = ct->body == b ? ct->land : ct->other == b ? ct->other_land : -1;
        if (land >= 0 && ((m->seg_above[m->land_seg[land]] >> l) & 1u)) f += 7;
      }
    }
  }
  return f;
}

void sl_scene_flops(const slScene* s, const slSceneInput* in, const slSoOpt* o,
                    double fl[SL_NSTAGE]) {
  memset(fl, 0, sizeof(double) * SL_NSTAGE);
  slStage from = s->last_from;
  for (int b = 0; b < s->nbody; b++) {
    const slModel* m = s->m[b];
    const slData*  d = s->d[b];
    if (from <= SL_STAGE_KIN && in->with_inertia != 2)
      fl[SL_STAGE_KIN] += flops_kin(m, d, in->with_inertia);
    if (from <= SL_STAGE_MUSCLE) fl[SL_STAGE_MUSCLE] += flops_muscle(m, d);
    if (from <= SL_STAGE_LOAD)
      fl[SL_STAGE_LOAD] +=
          flops_loads(m, d, in->with_inertia != 0, in->loads[b], in->loads[b] ? in->nloads[b] : 0);
  }
  if (from <= SL_STAGE_ASSEMBLE) fl[SL_STAGE_ASSEMBLE] = flops_assemble(s, in);
  if (from <= SL_STAGE_SOLVE) fl[SL_STAGE_SOLVE] = flops_solve(s, o);
  fl[SL_STAGE_DISC] = flops_discs(s, in);
}
