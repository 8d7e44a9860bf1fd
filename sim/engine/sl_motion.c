// sl_motion.c: the motion stage (sl_motion.h). A role's pose at time t is exact: the static
// coordinates with the hip-driven and spine-driven oscillations applied, then every planted
// support and grip held by damped least squares on the joint dofs of its limb. Velocities and
// accelerations for the inertial loads come from central differences of exact poses (segment
// frames) at t - h, t, t + h, which does not depend on how the pelvis orientation is
// parametrised (the Euler angles of a body lying on its side are at their singularity).
#include "sl_motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl_la.h"
#include "sl_math.h"

size_t sl_motion_work_size(const slModel* m) {
  return 3 * 12 * (size_t)m->nseg + 3 * (size_t)m->ncoord + 16;
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

// Inverse kinematics for the planted supports: Gauss-Newton with a little damping on the joint
// dofs that move them, Jacobian from the joint axes (d p / d q = f'(q) w x (p - c) for a rotation
// about a joint centre c, f'(q) w for a translation). Every planted landmark counts alike.
static void plant(const slModel* m, slData* d, const slMotionRest* rest, const double* targets,
                  double* q) {
  int np = targets ? rest->nplant : rest->nenv;
  if (np == 0) return;
  unsigned long long mask = 0;
  for (int k = 0; k < np; k++) mask |= m->seg_jdofs[m->land_seg[rest->plant_land[k]]];
  int cols[64], nc = 0;
  for (int j = 0; j < m->njdof; j++)
    if ((mask >> j) & 1ull) cols[nc++] = j;
  int    nr = 3 * np;
  double J[3 * SL_MAXPLANT * 64], e[3 * SL_MAXPLANT], A[(3 * SL_MAXPLANT) * (3 * SL_MAXPLANT)];
  // Damped steps shrink a reachable error about a thousandfold each. The pose must be a smooth
  // function of time, because velocities and accelerations are central differences of poses
  // (h = 1e-3 period): stopping at a loose tolerance leaves jumps that the second difference
  // turns into kilonewtons of inertia, so the solve stops only at 1e-12 m (a jump of at most
  // 1e-12 m makes a few micrometres per second squared) or after 16 steps (out of reach: the
  // damped least-squares pose after a fixed number of steps is still smooth in time). After the
  // first step only the moved limbs' kinematics is recomputed.
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  for (int it = 0; it < 16; it++) {
    if (it > 0) {  // only the limbs moved
      for (int c = 0; c < nc; c++) d->q[m->jdof_coord[cols[c]]] = q[m->jdof_coord[cols[c]]];
      sl_kin_forward_jdofs(m, d, mask);
    }
    double err = 0.0;
    memset(J, 0, sizeof(double) * (size_t)nr * (size_t)nc);
    for (int k = 0; k < np; k++) {
      int           land = rest->plant_land[k], seg = m->land_seg[land];
      const double* goal = k < rest->nenv ? rest->plant_pos[k] : targets + 3 * (k - rest->nenv);
      double        p[3];
      sl_kin_point(m, d, seg, m->land_pos + 3 * land, p);
      for (int a = 0; a < 3; a++) {
        e[3 * k + a] = goal[a] - p[a];
        err = fmax(err, fabs(e[3 * k + a]));
      }
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
    if (err < 1e-12) break;
    // (J J' + mu^2 I) y = e, dq = J' y; mu = 1 cm keeps the steps small near a straight limb
    // (a singular chain), where the target may be out of reach
    double mu2 = 1e-4;
    for (int r1 = 0; r1 < nr; r1++)
      for (int r2 = 0; r2 < nr; r2++) {
        double sum = r1 == r2 ? mu2 : 0.0;
        for (int c = 0; c < nc; c++) sum += J[r1 * nc + c] * J[r2 * nc + c];
        A[r1 * nr + r2] = sum;
      }
    if (sl_la_potrf(SL_LA_BUILTIN, nr, A) || sl_la_potrs(SL_LA_BUILTIN, nr, A, e)) break;
    double dq[64], n2 = 0.0;
    for (int c = 0; c < nc; c++) {
      dq[c] = 0.0;
      for (int r1 = 0; r1 < nr; r1++) dq[c] += J[r1 * nc + c] * e[r1];
      n2 += dq[c] * dq[c];
    }
    // steps saturate smoothly near 0.1 rad (a hard cap or a joint-range clamp would put a kink
    // in the pose as a function of time, which the differences turn into spikes of acceleration)
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

void sl_motion_state3(const slModel* m, slData* d, const double* q3, double h, double* work) {
  int     nc = m->ncoord, ns = m->nseg;
  double* rot = work;                      // 3 x ns x 9
  double* com = rot + 3 * 9 * (size_t)ns;  // 3 x ns x 3
  for (int j = 0; j < 3; j++) {
    memcpy(d->q, q3 + (size_t)j * (size_t)nc, sizeof(double) * (size_t)nc);
    sl_kin_forward(m, d, 0);
    memcpy(rot + (size_t)j * 9 * (size_t)ns, d->xrot, sizeof(double) * 9 * (size_t)ns);
    memcpy(com + (size_t)j * 3 * (size_t)ns, d->xcom, sizeof(double) * 3 * (size_t)ns);
  }
  // the pose at t (the last kinematics was at t + h), then the differences
  memcpy(d->q, q3 + (size_t)nc, sizeof(double) * (size_t)nc);
  sl_kin_forward(m, d, 0);
  memset(d->qd, 0, sizeof(double) * (size_t)nc);
  memset(d->qdd, 0, sizeof(double) * (size_t)nc);
  for (int i = 0; i < ns; i++) {
    const double* c0 = com + 3 * (size_t)i;
    const double* c1 = com + 3 * (size_t)ns + 3 * (size_t)i;
    const double* c2 = com + 6 * (size_t)ns + 3 * (size_t)i;
    const double* R0 = rot + 9 * (size_t)i;
    const double* R1 = rot + 9 * (size_t)ns + 9 * (size_t)i;
    const double* R2 = rot + 18 * (size_t)ns + 9 * (size_t)i;
    double*       v = d->cvel + 6 * i;
    double*       a = d->cacc + 6 * i;
    double        Rd[9], Rdd[9], W[9], A[9];
    for (int k = 0; k < 3; k++) {
      v[3 + k] = (c2[k] - c0[k]) / (2 * h);
      a[3 + k] = (c2[k] - 2 * c1[k] + c0[k]) / (h * h);
    }
    for (int k = 0; k < 9; k++) {
      Rd[k] = (R2[k] - R0[k]) / (2 * h);
      Rdd[k] = (R2[k] - 2 * R1[k] + R0[k]) / (h * h);
    }
    slu_mulmmt3(W, Rd, R1);   // skew(omega)
    slu_mulmmt3(A, Rdd, R1);  // skew(alpha) + omega omega' - |omega|^2 I (symmetric part)
    v[0] = 0.5 * (W[7] - W[5]);
    v[1] = 0.5 * (W[2] - W[6]);
    v[2] = 0.5 * (W[3] - W[1]);
    a[0] = 0.5 * (A[7] - A[5]);
    a[1] = 0.5 * (A[2] - A[6]);
    a[2] = 0.5 * (A[3] - A[1]);
  }
}

void sl_motion_static(const slModel* m, slData* d, const double* q) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  memset(d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
}

void sl_motion_state(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                     const slMotion* mo, double frequency, double t, double* work) {
  int    nc = m->ncoord;
  double h = frequency > 0 ? 1e-3 / frequency : 0.0;
  if (h == 0.0 || (mo->hip_amp == 0.0 && mo->spine_amp == 0.0)) {
    sl_motion_static(m, d, q0);
    return;
  }
  double* q3 = work + 3 * 12 * (size_t)m->nseg;
  for (int j = 0; j < 3; j++)
    sl_motion_q(m, d, q0, rest, mo, frequency, t + (j - 1) * h, NULL, NULL,
                q3 + (size_t)j * (size_t)nc);
  sl_motion_state3(m, d, q3, h, work);
}
