// sl_motion.c: the motion stage (sl_motion.h). A role's pose at time t is exact: the static
// coordinates with the hip-driven and spine-driven oscillations applied, then every planted
// support and grip held by damped least squares on the joint dofs of its limb. Velocities and
// accelerations for the inertial loads are analytic (sl_motion_rates): the oscillation's time
// derivatives, the pelvis motion as a composition of rigid motions (no Euler-angle rates: the
// angles of a body lying on its side are at their singularity), the planted limbs' rates from
// their constraints, and the kinematic recursion of sl_kin_forward for every segment.
#include "sl_motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl_la.h"
#include "sl_math.h"

size_t sl_motion_work_size(const slModel* m) {
  return (size_t)m->ncoord;
}

// root pose of a body: world rotation and position of the pelvis from the root coordinates, and
// back (the root joint is Rz(tilt) Rx(list) Ry(rotation) then translations along world axes)
static void root_to_q(const slModel* m, const double R[9], const double p[3], double* q) {
  double b = asin(fmax(-1.0, fmin(1.0, R[7])));
  double a, c;
  if (fabs(cos(b)) > 1e-9) {
    a = atan2(-R[1], R[4]);
    c = atan2(-R[6], R[8]);
  } else {  // gimbal lock: list = +-90 deg; put the whole turn on the tilt
    c = 0.0;
    a = atan2(R[7] * R[2], R[0]);
  }
  const double v[6] = {a, b, c, p[0], p[1], p[2]};
  for (int k = 0; k < 6; k++)
    if (m->root_coord[k] >= 0) q[m->root_coord[k]] = v[k];
}

static int on_limb(const slModel* m, int land) {
  return m->seg_jdofs[m->land_seg[land]] != 0;  // moved by a joint dof: a limb or the head
}

void sl_motion_rest(const slModel* const* models, slData* const* data, const double* const* q0,
                    int nbody, const slContact* contacts, int ncontact, int body,
                    slMotionRest* rest) {
  const slModel* m = models[body];
  slData*        d = data[body];
  int            torso = m->lev_seg[SL_NLEVEL - 1];
  memcpy(d->q, q0[body], sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  memcpy(rest->R0, d->xrot, sizeof rest->R0);
  slu_copy3(rest->p0, d->xpos);
  memcpy(rest->T0R, d->xrot + 9 * torso, sizeof rest->T0R);
  slu_copy3(rest->T0p, d->xpos + 3 * torso);
  int hr = m->hip_seg[0], hl = m->hip_seg[1];
  rest->ok = hr >= 0 && hl >= 0;
  for (int k = 0; k < 3 && rest->ok; k++)
    rest->hc[k] = 0.5 * (d->xjnt[3 * hr + k] + d->xjnt[3 * hl + k]);
  rest->z[0] = rest->R0[2], rest->z[1] = rest->R0[5], rest->z[2] = rest->R0[8];
  rest->nplant = rest->nenv = 0;
  // supports on a limb or the head: planted where they are
  for (int k = 0; k < ncontact && rest->nplant < SL_MAXPLANT; k++) {
    const slContact* c = &contacts[k];
    if (c->body != body || c->other >= 0 || !on_limb(m, c->land)) continue;
    int dup = 0;
    for (int j = 0; j < rest->nplant; j++) dup |= rest->plant_land[j] == c->land;
    if (dup) continue;
    int n = rest->nplant++;
    rest->plant_land[n] = c->land;
    rest->plant_other[n] = -1;
    rest->plant_oseg[n] = -1;
    sl_kin_landmark(m, d, c->land, rest->plant_pos[n]);
  }
  rest->nenv = rest->nplant;
  // grips: partner contacts whose landmark on this role is on a limb follow the partner
  for (int k = 0; k < ncontact && rest->nplant < SL_MAXPLANT; k++) {
    const slContact* c = &contacts[k];
    if (c->other < 0 || c->other >= nbody || c->body >= nbody) continue;
    int mine = c->body == body ? c->land : c->other == body ? c->other_land : -1;
    int other = c->body == body ? c->other : c->body;
    int oland = c->body == body ? c->other_land : c->land;
    if (mine < 0 || !on_limb(m, mine)) continue;
    const slModel* mo = models[other];
    slData*        dd = data[other];
    memcpy(dd->q, q0[other], sizeof(double) * (size_t)mo->ncoord);
    sl_kin_forward(mo, dd, 0);
    double p[3], t[3];
    int    oseg = mo->land_seg[oland];
    sl_kin_landmark(m, d, mine, p);
    int n = rest->nplant++;
    rest->plant_land[n] = mine;
    rest->plant_other[n] = other;
    rest->plant_oseg[n] = oseg;
    slu_sub3(t, p, dd->xpos + 3 * oseg);  // this role's point, fixed in the partner's segment
    slu_multmv3(rest->plant_pos[n], dd->xrot + 9 * oseg, t);
  }
  // the data of this role is left at its rest pose
  memcpy(d->q, q0[body], sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
}

void sl_motion_grip_targets(const slModel* mp, const slData* dp, const slMotionRest* rest,
                            int partner, double* targets) {
  for (int k = rest->nenv; k < rest->nplant; k++)
    if (rest->plant_other[k] == partner)
      sl_kin_point(mp, dp, rest->plant_oseg[k], rest->plant_pos[k], targets + 3 * (k - rest->nenv));
}

// The joint dofs that move the first np planted landmarks (cols, returns their number) and their
// mask.
static int plant_cols(const slModel* m, const slMotionRest* rest, int np, int* cols,
                      unsigned long long* maskp) {
  unsigned long long mask = 0;
  for (int k = 0; k < np; k++) mask |= m->seg_jdofs[m->land_seg[rest->plant_land[k]]];
  int nc = 0;
  for (int j = 0; j < m->njdof; j++)
    if ((mask >> j) & 1ull) cols[nc++] = j;
  *maskp = mask;
  return nc;
}

// Jacobian of the planted landmarks' world positions with respect to the joint dofs cols (3 np x
// nc, row-major) at the kinematics in d: d p / d q = f'(q) w x (p - c) for a rotation about a
// joint centre c, f'(q) w for a translation.
static void plant_jacobian(const slModel* m, const slData* d, const slMotionRest* rest, int np,
                           const int* cols, int nc, double* J) {
  memset(J, 0, sizeof(double) * 3 * (size_t)np * (size_t)nc);
  for (int k = 0; k < np; k++) {
    int    land = rest->plant_land[k], seg = m->land_seg[land];
    double p[3];
    sl_kin_point(m, d, seg, m->land_pos + 3 * land, p);
    for (int g = seg; g > 0; g = m->seg_parent[g])
      for (int x = 0; x < m->seg_axnum[g]; x++) {
        int ax = m->seg_axadr[g] + x, j = m->ax_jdof[ax];
        if (j < 0) continue;
        int c = 0;
        while (c < nc && cols[c] != j) c++;
        const double* w = d->xaxis + 3 * ax;
        double        v[3], r[3];
        if (m->ax_type[ax] == SL_AX_ROT) {
          slu_sub3(r, p, d->xjnt + 3 * g);
          slu_cross3(v, w, r);
        } else {
          slu_copy3(v, w);
        }
        for (int a = 0; a < 3; a++) J[(3 * k + a) * nc + c] += d->axis_df[ax] * v[a];
      }
  }
}

// damping of the planted limbs' least squares [m^2]: mu = 1 cm keeps the steps small near a
// straight limb (a singular chain), where the target may be out of reach; the held limbs' rates
// leave out the directions whose singular value is below mu (plant_rates)
#define PLANT_MU2 1e-4

// (J J' + mu^2 I), factored (nr x nr, nc <= 64); nonzero if it cannot be. Each entry sums the
// products of the columns where both rows are nonzero, in column order (a landmark's row is zero
// off the joints of its own limb): the other products are zeros, so the sums are the full ones
// to the bit, and each is formed once for both triangles.
static int plant_normal(int nr, int nc, const double* J, double* A) {
  unsigned long long nz[3 * SL_MAXPLANT];
  for (int r = 0; r < nr; r++) {
    nz[r] = 0;
    for (int c = 0; c < nc; c++)
      if (J[r * nc + c] != 0.0) nz[r] |= 1ull << c;
  }
  for (int r1 = 0; r1 < nr; r1++)
    for (int r2 = r1; r2 < nr; r2++) {
      double sum = r1 == r2 ? PLANT_MU2 : 0.0;
      for (unsigned long long b = nz[r1] & nz[r2]; b; b &= b - 1) {
        int c = __builtin_ctzll(b);
        sum += J[r1 * nc + c] * J[r2 * nc + c];
      }
      A[r1 * nr + r2] = A[r2 * nr + r1] = sum;
    }
  return sl_la_potrf(SL_LA_BUILTIN, nr, A);
}

// The first np plants grouped by shared joint dofs (a limb, or limbs joined by a joint they
// share): gid[k] for each plant, gmask[g] the union of its plants' joint dofs (0 for a group merged
// into another); returns the number of group slots. Plants of different groups share no joint
// dof, so their Jacobian rows share no nonzero column and J J' is block diagonal over the groups.
static int plant_groups(const slModel* m, const slMotionRest* rest, int np, int* gid,
                        unsigned long long* gmask) {
  int ng = 0;
  for (int k = 0; k < np; k++) {
    unsigned long long mk = m->seg_jdofs[m->land_seg[rest->plant_land[k]]];
    int                g = -1;
    for (int h = 0; h < ng; h++)
      if (gmask[h] & mk) {
        if (g < 0) {
          g = h;
          gmask[h] |= mk;
        } else {  // mk joins two groups: merge h into g
          gmask[g] |= gmask[h];
          for (int l = 0; l < k; l++)
            if (gid[l] == h) gid[l] = g;
          gmask[h] = 0;
        }
      }
    if (g < 0) {
      g = ng++;
      gmask[g] = mk;
    }
    gid[k] = g;
  }
  return ng;
}

// group g's rows of J (nr x nc over the columns cols) and its columns (indices into cols), both
// ascending; returns the row count, *ncg the column count
static int group_rows_cols(int np, const int* gid, int g, unsigned long long gmask, const int* cols,
                           int nc, int* rows, int* gc, int* ncg) {
  int nrg = 0;
  for (int k = 0; k < np; k++)
    if (gid[k] == g)
      for (int a = 0; a < 3; a++) rows[nrg++] = 3 * k + a;
  *ncg = 0;
  for (int c = 0; c < nc; c++)
    if ((gmask >> cols[c]) & 1ull) gc[(*ncg)++] = c;
  return nrg;
}

// the submatrix of J (row stride nc) on rows x gc into Jg (nrg x ncg)
static void gather(const double* J, int nc, const int* rows, int nrg, const int* gc, int ncg,
                   double* Jg) {
  for (int i = 0; i < nrg; i++)
    for (int c = 0; c < ncg; c++) Jg[i * ncg + c] = J[rows[i] * nc + gc[c]];
}

// Inverse kinematics for the planted supports: Gauss-Newton with a little damping on the joint
// dofs that move them. Every planted landmark counts alike.
static void plant(const slModel* m, slData* d, const slMotionRest* rest, const double* targets,
                  double* q) {
  int np = targets ? rest->nplant : rest->nenv;
  if (np == 0) return;
  unsigned long long mask;
  int                cols[64];
  int                nc = plant_cols(m, rest, np, cols, &mask);
  double J[3 * SL_MAXPLANT * 64], e[3 * SL_MAXPLANT], A[(3 * SL_MAXPLANT) * (3 * SL_MAXPLANT)];
  double Jg[3 * SL_MAXPLANT * 64];
  // each group of plants is its own block of J J': factored and solved alone (the zeros between
  // the blocks would add nothing, so the numbers are those of the whole matrix to the bit)
  int                gid[SL_MAXPLANT], rows[SL_MAXPLANT][3 * SL_MAXPLANT], gc[SL_MAXPLANT][64];
  int                gnr[SL_MAXPLANT], gnc[SL_MAXPLANT], gat[SL_MAXPLANT];
  unsigned long long gmask[SL_MAXPLANT];
  int                ng = plant_groups(m, rest, np, gid, gmask), at = 0;
  for (int g = 0; g < ng; g++) {
    gnr[g] =
        gmask[g] ? group_rows_cols(np, gid, g, gmask[g], cols, nc, rows[g], gc[g], &gnc[g]) : 0;
    gat[g] = at;
    at += gnr[g] * gnr[g];
  }
  // Damped steps shrink a reachable error about a thousandfold each. The solve stops at 1e-12 m
  // or after 16 steps (out of reach: the damped least-squares pose after a fixed number of steps
  // is still smooth in time). After the first step only the moved limbs' kinematics is
  // recomputed.
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  for (int it = 0; it < 16; it++) {
    if (it > 0) {  // only the limbs moved
      for (int c = 0; c < nc; c++) d->q[m->jdof_coord[cols[c]]] = q[m->jdof_coord[cols[c]]];
      sl_kin_forward_jdofs(m, d, mask);
    }
    double err = 0.0;
    for (int k = 0; k < np; k++) {
      int           land = rest->plant_land[k];
      const double* goal = k < rest->nenv ? rest->plant_pos[k] : targets + 3 * (k - rest->nenv);
      double        p[3];
      sl_kin_landmark(m, d, land, p);
      for (int a = 0; a < 3; a++) {
        e[3 * k + a] = goal[a] - p[a];
        err = fmax(err, fabs(e[3 * k + a]));
      }
    }
    if (err < 1e-12) break;
    plant_jacobian(m, d, rest, np, cols, nc, J);
    // (J J' + mu^2 I) y = e, dq = J' y, block by block; a block that cannot be factored stops
    // the solve before any step, as the whole matrix's factor would
    int bad = 0;
    for (int g = 0; g < ng && !bad; g++) {
      if (!gnr[g]) continue;
      gather(J, nc, rows[g], gnr[g], gc[g], gnc[g], Jg);
      bad = plant_normal(gnr[g], gnc[g], Jg, A + gat[g]);
    }
    if (bad) break;
    double dq[64], n2 = 0.0;
    for (int g = 0; g < ng; g++) {
      if (!gnr[g]) continue;
      double eg[3 * SL_MAXPLANT];
      for (int i = 0; i < gnr[g]; i++) eg[i] = e[rows[g][i]];
      sl_la_potrs(SL_LA_BUILTIN, gnr[g], A + gat[g], eg);
      for (int cc = 0; cc < gnc[g]; cc++) {
        int    c = gc[g][cc];
        double sum = 0.0;
        for (int i = 0; i < gnr[g]; i++) sum += J[rows[g][i] * nc + c] * eg[i];
        dq[c] = sum;
      }
    }
    for (int c = 0; c < nc; c++) n2 += dq[c] * dq[c];
    // steps saturate smoothly near 0.1 rad (a hard cap or a joint-range clamp would put a kink
    // in the pose as a function of time)
    double scale = 1.0 / sqrt(1.0 + n2 / 0.01);
    for (int c = 0; c < nc; c++) q[m->jdof_coord[cols[c]]] += scale * dq[c];
  }
}

void sl_motion_q(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                 const slMotion* mo, double frequency, double t, const double* targets,
                 const double* carrier, double* q) {
  memcpy(q, q0, sizeof(double) * (size_t)m->ncoord);
  double delta = frequency > 0 ? sin(2.0 * SL_PI * frequency * t + mo->phase) : 0.0;
  double dh = mo->hip_amp * delta, ds = mo->spine_amp * delta;
  if ((dh == 0.0 && ds == 0.0) || !rest->ok) {
    if (carrier) {
      double R[9], p[3], t2[3];
      slu_mulmm3(R, carrier, rest->R0);
      slu_mulmv3(t2, carrier, rest->p0);
      slu_add3(p, t2, carrier + 9);
      root_to_q(m, R, p, q);
    }
    if (targets && rest->nplant > rest->nenv) plant(m, d, rest, targets, q);  // follow the partner
    return;
  }
  int    torso = m->lev_seg[SL_NLEVEL - 1];
  double R[9], p[3], hc[3], z[3];
  memcpy(R, rest->R0, sizeof R);
  slu_copy3(p, rest->p0);
  slu_copy3(hc, rest->hc);
  slu_copy3(z, rest->z);
  if (ds != 0.0) {
    // spine-driven: lumbar flexion changes, then a rigid move of the whole body restores the
    // thorax frame: new root = (T0 * T1^-1) * root
    for (int l = 0; l < SL_NLEVEL; l++) q[m->lev_coord[l][0]] += -ds * m->rhythm[0][l];
    memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
    sl_kin_forward(m, d, 0);
    const double* T1R = d->xrot + 9 * torso;
    const double* T1p = d->xpos + 3 * torso;
    double        C[9], Cp[3], t1[3], Rn[9], pn[3];
    slu_mulmmt3(C, rest->T0R, T1R);  // rotation T0 T1^-1
    slu_mulmv3(t1, C, T1p);
    slu_sub3(Cp, rest->T0p, t1);
    // the pose computed here kept the rest pelvis; move it rigidly with C
    slu_mulmm3(Rn, C, R);
    memcpy(R, Rn, sizeof R);
    slu_mulmv3(pn, C, p);
    slu_add3(p, pn, Cp);
    slu_mulmv3(pn, C, hc);  // the hip centre moves with the body
    slu_add3(hc, pn, Cp);
    slu_mulmv3(z, C, z);
  }
  if (dh != 0.0) {
    // hip-driven: rotate the whole body about the hip axis through the hip centre
    double Q[9], Rn[9], r[3], rr[3];
    slu_axisangle(Q, z, dh);
    slu_mulmm3(Rn, Q, R);
    memcpy(R, Rn, sizeof R);
    slu_sub3(r, p, hc);
    slu_mulmv3(rr, Q, r);
    slu_add3(p, hc, rr);
  }
  // the thighs keep their orientation: hip flexion takes back the pelvis' pitch about its z axis
  double dR[9];
  slu_multmm3(dR, rest->R0, R);
  double pitch = atan2(dR[3], dR[0]);
  for (int k = 0; k < 2; k++)
    if (m->hip_coord[k] >= 0) q[m->hip_coord[k]] -= pitch;
  if (carrier) {  // the whole body rides on the partner holding it
    double Rn[9], t2[3];
    slu_mulmm3(Rn, carrier, R);
    memcpy(R, Rn, sizeof R);
    slu_mulmv3(t2, carrier, p);
    slu_add3(p, t2, carrier + 9);
  }
  root_to_q(m, R, p, q);
  plant(m, d, rest, targets, q);
}

void sl_motion_static(const slModel* m, slData* d, const double* q) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  memset(d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
}

// ---- analytic rates -----------------------------------------------------------------------------
// X = A after B (x -> A(B(x))), motions composed
static void rm_compose(slRigidMotion* X, const slRigidMotion* A, const slRigidMotion* B) {
  double        Bp[3], Bw[3], Bv[3], t[3], t2[3];
  slRigidMotion x;
  slu_mulmm3(x.R, A->R, B->R);
  slu_mulmv3(Bp, A->R, B->p);
  slu_add3(x.p, Bp, A->p);
  slu_mulmv3(Bw, A->R, B->w);
  slu_add3(x.w, A->w, Bw);
  slu_mulmv3(x.al, A->R, B->al);
  slu_add3(x.al, x.al, A->al);
  slu_cross3(t, A->w, Bw);
  slu_add3(x.al, x.al, t);
  slu_mulmv3(Bv, A->R, B->v);
  slu_cross3(t, A->w, Bp);
  slu_add3(x.v, A->v, t);
  slu_add3(x.v, x.v, Bv);
  slu_mulmv3(x.a, A->R, B->a);  // a_A + al_A x Bp + w_A x (w_A x Bp) + 2 w_A x Bv + R_A a_B
  slu_add3(x.a, x.a, A->a);
  slu_cross3(t2, A->al, Bp);
  slu_add3(x.a, x.a, t2);
  slu_cross3(t2, A->w, t);
  slu_add3(x.a, x.a, t2);
  slu_cross3(t2, A->w, Bv);
  slu_addscl3(x.a, t2, 2.0);
  *X = x;
}

static void rm_still(slRigidMotion* X, const double R[9], const double p[3]) {
  memset(X, 0, sizeof *X);
  memcpy(X->R, R, sizeof X->R);
  slu_copy3(X->p, p);
}

// point fixed on segment seg at world position p: its velocity and acceleration (after
// sl_kin_forward with velocities)
static void point_motion(const slData* d, int seg, const double p[3], double v[3], double a[3]) {
  double r[3];
  slu_sub3(r, p, d->xpos + 3 * seg);
  slu_rigid_point(v, a, d->ovel + 3 * seg, d->oacc + 3 * seg, d->cvel + 6 * seg, d->cacc + 6 * seg,
                  r);
}

void sl_motion_carrier(const slData* dp, const slMotionRest* rp, slRigidMotion* G) {
  double t[3];
  slu_mulmmt3(G->R, dp->xrot, rp->R0);
  slu_mulmv3(t, G->R, rp->p0);
  slu_sub3(G->p, dp->xpos, t);
  slu_copy3(G->w, dp->cvel);
  slu_copy3(G->al, dp->cacc);
  point_motion(dp, 0, G->p, G->v, G->a);  // the image of the origin rides on the partner's pelvis
}

void sl_motion_grip_motion(const slModel* mp, const slData* dp, const slMotionRest* rest,
                           int partner, double* targets) {
  for (int k = rest->nenv; k < rest->nplant; k++) {
    if (rest->plant_other[k] != partner) continue;
    double* o = targets + 9 * (k - rest->nenv);
    sl_kin_point(mp, dp, rest->plant_oseg[k], rest->plant_pos[k], o);
    point_motion(dp, rest->plant_oseg[k], o, o + 3, o + 6);
  }
}

// velocity (which = 0) or acceleration (which = 1) of every planted landmark minus its target's
static void plant_rhs(const slModel* m, const slData* d, const slMotionRest* rest, int np,
                      const double* targets, int which, double* b) {
  for (int k = 0; k < np; k++) {
    int    land = rest->plant_land[k];
    double p[3], va[2][3];
    sl_kin_landmark(m, d, land, p);
    point_motion(d, m->land_seg[land], p, va[0], va[1]);
    for (int a = 0; a < 3; a++) {
      double goal = k < rest->nenv ? 0.0 : targets[9 * (k - rest->nenv) + 3 + 3 * which + a];
      b[3 * k + a] = goal - va[which][a];
    }
  }
}

// The rates of the planted limbs, x (nc, over the columns cols of J), from the right-hand sides b
// (3 np: the target's velocity or acceleration minus the landmark's). Each limb (the plants whose
// joint dofs overlap) is solved on its own, with the damping of the pose (sl_motion_q):
//   a limb the pose holds (every landmark on its target within 1e-9 m) gets the rate that keeps
//   it there in every direction where the limb can move its landmarks by at least mu per radian:
//   x = sum of v (v . J'b) / l over the eigenpairs (l, v) of J'J with l >= mu^2 (the least-norm
//   solution of J x = b restricted to those directions; where J x = b has no solution, the least
//   squares one). A direction with a smaller singular value (a nearly straight limb: a radian
//   there moves the landmark less than 1 cm) is not followed and the landmark slips along it:
//   the exact rate there grows without bound (in a ranking run it reached 1,100 rad/s, and an
//   earlier iterative solve stopped at 64 steps left several rad/s of such spin in it);
//   a limb the pose cannot hold (out of reach, or more planted points than its joints can keep)
//   gets x = argmin |J x - b|^2 + mu^2 |x|^2: where the exact rate would grow without bound (a
//   shoulder moving toward a hand on a straight arm) it stays below |b| / (2 mu) and the landmark
//   slips instead.
static void plant_rates(const slModel* m, const slData* d, const slMotionRest* rest, int np,
                        const double* targets, const int* cols, int nc, const double* J,
                        const double* b, double* x) {
  int                gid[SL_MAXPLANT];
  unsigned long long gmask[SL_MAXPLANT];
  int                ng = plant_groups(m, rest, np, gid, gmask);
  memset(x, 0, sizeof(double) * (size_t)nc);
  for (int g = 0; g < ng; g++) {
    if (!gmask[g]) continue;
    int    rows[3 * SL_MAXPLANT], gc[64], ncg;
    int    nr = group_rows_cols(np, gid, g, gmask[g], cols, nc, rows, gc, &ncg);
    double held = 0.0;
    for (int i = 0; i < nr; i += 3) {
      int    k = rows[i] / 3;
      double p[3];
      sl_kin_landmark(m, d, rest->plant_land[k], p);
      const double* goal = k < rest->nenv ? rest->plant_pos[k] : targets + 9 * (k - rest->nenv);
      for (int a = 0; a < 3; a++) held = fmax(held, fabs(goal[a] - p[a]));
    }
    double Jg[3 * SL_MAXPLANT * 64], A[(3 * SL_MAXPLANT) * (3 * SL_MAXPLANT)], bg[3 * SL_MAXPLANT],
        xg[64];
    gather(J, nc, rows, nr, gc, ncg, Jg);
    for (int i = 0; i < nr; i++) bg[i] = b[rows[i]];
    memset(xg, 0, sizeof xg);
    if (held < 1e-9) {
      if (sl_la_lsq_cut(nr, ncg, Jg, bg, PLANT_MU2, xg)) continue;
    } else {
      // x = J' (J J' + mu^2 I)^-1 b, the solve in place of b
      if (plant_normal(nr, ncg, Jg, A) || sl_la_potrs(SL_LA_BUILTIN, nr, A, bg)) continue;
      for (int c = 0; c < ncg; c++)
        for (int i = 0; i < nr; i++) xg[c] += Jg[i * ncg + c] * bg[i];
    }
    for (int c = 0; c < ncg; c++) x[gc[c]] = xg[c];
  }
}

// first column of R (a unit vector) and its first two derivatives for angular velocity w and
// acceleration al: c' = w x c, c'' = al x c + w x (w x c)
static void column_rates(const slRigidMotion* X, double c[3], double cd[3], double cdd[3]) {
  double t[3];
  c[0] = X->R[0], c[1] = X->R[3], c[2] = X->R[6];
  slu_cross3(cd, X->w, c);
  slu_cross3(cdd, X->al, c);
  slu_cross3(t, X->w, cd);
  slu_add3(cdd, cdd, t);
}

// kinematics with the rates at d->q: the whole recursion the first time, then the rates alone
// (the pose is the same for every call of sl_motion_rates, only qd, qdd and the root's motion
// change)
static void kin_at_q(const slModel* m, slData* d, int* posed) {
  if (*posed) {
    sl_kin_rates(m, d, 2);
  } else {
    sl_kin_forward(m, d, 2);
    *posed = 1;
  }
}

void sl_motion_rates(const slModel* m, slData* d, const double* q, const slMotionRest* rest,
                     const slMotion* mo, double frequency, double t, const slRigidMotion* carrier,
                     const double* targets) {
  int nc = m->ncoord, torso = m->lev_seg[SL_NLEVEL - 1];
  memcpy(d->q, q, sizeof(double) * (size_t)nc);
  memset(d->qd, 0, sizeof(double) * (size_t)nc);
  memset(d->qdd, 0, sizeof(double) * (size_t)nc);
  memset(d->root_motion, 0, sizeof d->root_motion);
  int    posed = 0;  // the frames at q are formed (by the first kinematics below); d->q stays q
  int    moving = frequency > 0 && rest->ok && (mo->hip_amp != 0.0 || mo->spine_amp != 0.0);
  double om = 2.0 * SL_PI * frequency, ph = om * t + mo->phase;
  // delta = sin(ph) and its derivatives
  double del = moving ? sin(ph) : 0.0, del1 = moving ? om * cos(ph) : 0.0, del2 = -om * om * del;
  slRigidMotion P;  // the pelvis before the carrier
  if (moving && mo->spine_amp != 0.0) {
    // lumbar flexion rates; the relative motion K of the thorax on the pelvis from the recursion
    // with the pelvis still, then the pelvis Ps that keeps the thorax in its rest place: Ps after
    // K is constant, so w_Ps = -R w_K, al_Ps = -R al_K, and the origin's terms follow
    for (int l = 0; l < SL_NLEVEL; l++) {
      d->qd[m->lev_coord[l][0]] = -mo->spine_amp * del1 * m->rhythm[0][l];
      d->qdd[m->lev_coord[l][0]] = -mo->spine_amp * del2 * m->rhythm[0][l];
    }
    kin_at_q(m, d, &posed);
    const double* RP = d->xrot;  // the pelvis now (after the hip rotation and the carrier)
    slRigidMotion K, Ps;
    double        r[3], u[3];
    slu_multmm3(K.R, RP, d->xrot + 9 * torso);
    slu_sub3(r, d->xpos + 3 * torso, d->xpos);
    slu_multmv3(K.p, RP, r);
    slu_multmv3(K.w, RP, d->cvel + 6 * torso);
    slu_multmv3(K.al, RP, d->cacc + 6 * torso);
    slu_multmv3(K.v, RP, d->ovel + 3 * torso);
    slu_multmv3(K.a, RP, d->oacc + 3 * torso);
    slu_mulmmt3(Ps.R, rest->T0R, K.R);
    double Kp[3], Kw[3], Kv[3], t1[3], t2[3];
    slu_mulmv3(Kp, Ps.R, K.p);
    slu_sub3(Ps.p, rest->T0p, Kp);
    slu_mulmv3(Kw, Ps.R, K.w);
    slu_scl3(Ps.w, Kw, -1.0);
    slu_mulmv3(u, Ps.R, K.al);
    slu_scl3(Ps.al, u, -1.0);
    slu_mulmv3(Kv, Ps.R, K.v);
    slu_cross3(t1, Ps.w, Kp);
    slu_add3(u, t1, Kv);
    slu_scl3(Ps.v, u, -1.0);
    slu_mulmv3(u, Ps.R, K.a);  // -(al x Kp + w x (w x Kp) + 2 w x Kv + R a_K)
    slu_cross3(t2, Ps.al, Kp);
    slu_add3(u, u, t2);
    slu_cross3(t2, Ps.w, t1);
    slu_add3(u, u, t2);
    slu_cross3(t2, Ps.w, Kv);
    slu_addscl3(u, t2, 2.0);
    slu_scl3(Ps.a, u, -1.0);
    P = Ps;
  } else {
    rm_still(&P, rest->R0, rest->p0);
  }
  if (moving && mo->hip_amp != 0.0) {
    // the rotation about the pelvis' own z axis through the hip centre, in pelvis coordinates
    static const double ez[3] = {0, 0, 1};
    slRigidMotion       Q;
    double              c[3], r[3], t1[3], t2[3];
    slu_sub3(t1, rest->hc, rest->p0);
    slu_multmv3(c, rest->R0, t1);
    memset(&Q, 0, sizeof Q);
    slu_axisangle(Q.R, ez, mo->hip_amp * del);
    slu_mulmv3(t1, Q.R, c);
    slu_sub3(Q.p, c, t1);
    slu_scl3(Q.w, ez, mo->hip_amp * del1);
    slu_scl3(Q.al, ez, mo->hip_amp * del2);
    slu_sub3(r, Q.p, c);
    slu_cross3(Q.v, Q.w, r);
    slu_cross3(Q.a, Q.al, r);
    slu_cross3(t2, Q.w, Q.v);
    slu_add3(Q.a, Q.a, t2);
    rm_compose(&P, &P, &Q);
  }
  if (moving) {
    // the thighs keep their orientation: hip flexion takes back the pitch of R0' R, pitch =
    // atan2(y, x) with x, y the first column of R on the rest pelvis' x and y axes
    double c[3], cd[3], cdd[3], e0[3] = {rest->R0[0], rest->R0[3], rest->R0[6]},
                                e1[3] = {rest->R0[1], rest->R0[4], rest->R0[7]};
    column_rates(&P, c, cd, cdd);
    double x = slu_dot3(e0, c), y = slu_dot3(e1, c), xd = slu_dot3(e0, cd), yd = slu_dot3(e1, cd);
    double xdd = slu_dot3(e0, cdd), ydd = slu_dot3(e1, cdd);
    double s = x * x + y * y, n = x * yd - y * xd, nd = x * ydd - y * xdd;
    double pd = n / s, pdd = (nd * s - n * 2.0 * (x * xd + y * yd)) / (s * s);
    for (int k = 0; k < 2; k++)
      if (m->hip_coord[k] >= 0) {
        d->qd[m->hip_coord[k]] -= pd;
        d->qdd[m->hip_coord[k]] -= pdd;
      }
  }
  if (carrier) rm_compose(&P, carrier, &P);
  slu_copy3(d->root_motion, P.w);
  slu_copy3(d->root_motion + 3, P.v);
  slu_copy3(d->root_motion + 6, P.al);
  slu_copy3(d->root_motion + 9, P.a);
  // the planted limbs: their rates keep each landmark on its target
  int np = targets ? rest->nplant : rest->nenv;
  if (np > 0) {
    unsigned long long mask;
    int                cols[64] = {0};
    int                ncol = plant_cols(m, rest, np, cols, &mask);
    double             J[3 * SL_MAXPLANT * 64], b[3 * SL_MAXPLANT], x[64];
    kin_at_q(m, d, &posed);
    plant_jacobian(m, d, rest, np, cols, ncol, J);
    plant_rhs(m, d, rest, np, targets, 0, b);
    plant_rates(m, d, rest, np, targets, cols, ncol, J, b, x);
    for (int c = 0; c < ncol; c++) d->qd[m->jdof_coord[cols[c]]] += x[c];
    kin_at_q(m, d, &posed);
    plant_rhs(m, d, rest, np, targets, 1, b);
    plant_rates(m, d, rest, np, targets, cols, ncol, J, b, x);
    for (int c = 0; c < ncol; c++) d->qdd[m->jdof_coord[cols[c]]] += x[c];
  }
  kin_at_q(m, d, &posed);
}

void sl_motion_state(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                     const slMotion* mo, double frequency, double t, double* work) {
  if (frequency <= 0 || (mo->hip_amp == 0.0 && mo->spine_amp == 0.0)) {
    sl_motion_static(m, d, q0);
    return;
  }
  sl_motion_q(m, d, q0, rest, mo, frequency, t, NULL, NULL, work);
  sl_motion_rates(m, d, work, rest, mo, frequency, t, NULL, NULL);
}
