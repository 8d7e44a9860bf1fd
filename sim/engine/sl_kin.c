// sl_kin.c: stage 1, forward kinematics with velocities and accelerations.
//
// Each joint follows OpenSim's CustomJoint: X_world_child = X_world_parent * X_parent_F *
// X_F_M(q) * inverse(X_child_M). X_F_M applies the joint's rotation axes in order, each about an
// axis fixed in the frame produced by the rotations before it, and translates along axes fixed in
// F. Axis values are functions of one coordinate (constant, linear or natural cubic spline), so
// their time derivatives follow analytically from q, qd, qdd:
//   fd = f'(q) qd,  fdd = f''(q) qd^2 + f'(q) qdd.
// Angular velocity accumulates w*fd per rotation axis; angular acceleration adds w*fdd plus the
// transport term omega_before x (w*fd). Linear terms use the rigid-body relations with the joint's
// relative translation rate. Segments are ordered parent before child, so this is one loop.
#include <string.h>

#include "sl_math.h"
#include "sl_spline.h"
#include "spineload.h"

static void axis_value(const slModel* m, slData* d, int ax, double* f, double* fd, double* fdd,
                       int with_vel) {
  int    k = m->ax_coord[ax];
  double q = k >= 0 ? d->q[k] : 0.0, qd = 0.0, qdd = 0.0;
  if (with_vel && k >= 0) {
    qd = d->qd[k];
    qdd = d->qdd[k];
  }
  double df = 0.0, ddf = 0.0;
  switch (m->ax_fun[ax]) {
    case SL_FUN_CONST:
      *f = m->ax_lin[ax];
      break;
    case SL_FUN_LINEAR:
      *f = m->ax_lin[ax] * q;
      df = m->ax_lin[ax];
      break;
    default: {
      int a = m->ax_knotadr[ax], n = m->ax_knotnum[ax];
      sl_spline_eval(m->knot_x + a, m->knot_c + 4 * a, n, q, f, &df, &ddf);
    } break;
  }
  d->axis_df[ax] = k >= 0 ? df : 0.0;
  double* K = d->axis_f + 3 * ax;
  K[0] = *f, K[1] = df, K[2] = ddf;
  *fd = df * qd;
  *fdd = ddf * qd * qd + df * qdd;
}

// segment i's joint frame F (rotation RF, origin oF), rigid on its parent, and the parent's
// angular velocity and acceleration (6-vectors; zero for a root)
static void joint_frame(const slModel* m, const slData* d, int i, double RF[9], double oF[3],
                        const double** wp, const double** alp) {
  static const double zero[6] = {0, 0, 0, 0, 0, 0};
  static const double eye[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  int                 p = m->seg_parent[i];
  const double*       Rp = p >= 0 ? d->xrot + 9 * p : eye;
  const double*       op = p >= 0 ? d->xpos + 3 * p : zero;
  double              t[3];
  *wp = p >= 0 ? d->cvel + 6 * p : zero;
  *alp = p >= 0 ? d->cacc + 6 * p : zero;
  slu_mulmm3(RF, Rp, m->seg_prot + 9 * i);
  slu_mulmv3(t, Rp, m->seg_ppos + 3 * i);
  slu_add3(oF, op, t);
}

static void kin_segments(const slModel* m, slData* d, int with_vel, unsigned long long mask);
static void kin_rates(const slModel* m, slData* d, int with_vel);

void sl_kin_forward(const slModel* m, slData* d, int with_vel) {
  kin_segments(m, d, with_vel, 0);
}

void sl_kin_rates(const slModel* m, slData* d, int with_vel) {
  kin_rates(m, d, with_vel);
}

// The rates of segment i from its joint's: the child origin's and the centre of mass's velocity
// and acceleration and the segment's angular ones (w, al: the parent's plus the joint's
// rotations). oF, RF: the joint frame F; rF = RF pF, the joint's translation; pdF, pddF its
// rates in F; oM the joint centre, dM = R_i (child frame M in the child). One routine for the
// whole pass (kin_segments) and the rates alone (kin_rates), so that both give the same numbers.
static void seg_rates(const slModel* m, slData* d, int i, int with_vel, const double* oF,
                      const double* RF, const double* rF, const double* oM, const double* dM,
                      const double* w, const double* al, const double* pdF, const double* pddF) {
  static const double zero[3] = {0, 0, 0};
  int                 p = m->seg_parent[i];
  const double*       op = p >= 0 ? d->xpos + 3 * p : zero;
  const double*       wp = p >= 0 ? d->cvel + 6 * p : zero;
  const double*       alp = p >= 0 ? d->cacc + 6 * p : zero;
  const double*       vp = p >= 0 ? d->ovel + 3 * p : zero;
  const double*       ap = p >= 0 ? d->oacc + 3 * p : zero;
  if (with_vel == 2 && p < 0) {  // a given root motion instead of its coordinates' rates
    const double* rm = d->root_motion;
    double        dC[3];
    slu_copy3(d->ovel + 3 * i, rm + 3);
    slu_copy3(d->oacc + 3 * i, rm + 9);
    slu_sub3(dC, d->xcom + 3 * i, d->xpos + 3 * i);
    slu_rigid_point(d->cvel + 6 * i + 3, d->cacc + 6 * i + 3, rm + 3, rm + 9, rm, rm + 6, dC);
    slu_copy3(d->cvel + 6 * i, rm);
    slu_copy3(d->cacc + 6 * i, rm + 6);
    return;
  }
  if (!with_vel) {
    memset(d->cvel + 6 * i, 0, 6 * sizeof(double));
    memset(d->cacc + 6 * i, 0, 6 * sizeof(double));
    memset(d->ovel + 3 * i, 0, 3 * sizeof(double));
    memset(d->oacc + 3 * i, 0, 3 * sizeof(double));
    return;
  }
  // F origin on the parent
  double vF[3], aF[3], dpf[3];
  slu_sub3(dpf, oF, op);
  slu_rigid_point(vF, aF, vp, ap, wp, alp, dpf);
  // M origin: F origin + RF pF(t), F rotating with the parent
  double vM[3], aM[3], rd[3], rdd[3], tmp[3];
  slu_mulmv3(rd, RF, pdF);
  slu_mulmv3(rdd, RF, pddF);
  slu_rigid_point(vM, aM, vF, aF, wp, alp, rF);
  slu_add3(vM, vM, rd);
  slu_cross3(tmp, wp, rd);
  slu_addscl3(aM, tmp, 2.0);
  slu_add3(aM, aM, rdd);
  // child origin and CoM, rigid on the child
  double dO[3];
  slu_scl3(dO, dM, -1.0);
  slu_rigid_point(d->ovel + 3 * i, d->oacc + 3 * i, vM, aM, w, al, dO);
  double vC[3], aC[3];
  slu_sub3(dO, d->xcom + 3 * i, oM);
  slu_rigid_point(vC, aC, vM, aM, w, al, dO);
  slu_copy3(d->cvel + 6 * i, w);
  slu_copy3(d->cvel + 6 * i + 3, vC);
  slu_copy3(d->cacc + 6 * i, al);
  slu_copy3(d->cacc + 6 * i + 3, aC);
}

// one rotation axis' share of the angular velocity and acceleration: w x (wax fd) + wax fdd
static inline void axis_rates(double* w, double* al, const double* wax, double fd, double fdd) {
  double tr[3], wf[3];
  slu_scl3(wf, wax, fd);
  slu_cross3(tr, w, wf);
  slu_add3(al, al, tr);
  slu_addscl3(al, wax, fdd);
  slu_add3(w, w, wf);
}

// the rates alone, at the pose of the last sl_kin_forward: its frames, world axes and axis
// function values (axis_f) are kept; the joint frames F and translations are formed again the
// same way (a few products), the rotations and the axis functions (sin, cos, splines) are not
static void kin_rates(const slModel* m, slData* d, int with_vel) {
  for (int i = 0; i < m->nseg; i++) {
    const double *wp, *alp;
    double        RF[9], oF[3];
    joint_frame(m, d, i, RF, oF, &wp, &alp);
    double w[3], al[3], pF[3] = {0, 0, 0}, pdF[3] = {0, 0, 0}, pddF[3] = {0, 0, 0};
    slu_copy3(w, wp);
    slu_copy3(al, alp);
    for (int k = 0; k < m->seg_axnum[i]; k++) {
      int           ax = m->seg_axadr[i] + k, c = m->ax_coord[ax];
      const double* dir = m->ax_dir + 3 * ax;
      const double* K = d->axis_f + 3 * ax;
      double        qd = 0.0, qdd = 0.0;
      if (with_vel && c >= 0) {
        qd = d->qd[c];
        qdd = d->qdd[c];
      }
      double fd = K[1] * qd, fdd = K[2] * qd * qd + K[1] * qdd;
      if (m->ax_type[ax] == SL_AX_ROT) {
        if (with_vel) axis_rates(w, al, d->xaxis + 3 * ax, fd, fdd);
      } else {
        slu_addscl3(pF, dir, K[0]);
        slu_addscl3(pdF, dir, fd);
        slu_addscl3(pddF, dir, fdd);
      }
    }
    double oM[3], rF[3], dM[3];
    slu_mulmv3(rF, RF, pF);
    slu_add3(oM, oF, rF);
    slu_mulmv3(dM, d->xrot + 9 * i, m->seg_cpos + 3 * i);
    seg_rates(m, d, i, with_vel, oF, RF, rF, oM, dM, w, al, pdF, pddF);
  }
}

void sl_kin_forward_jdofs(const slModel* m, slData* d, unsigned long long mask) {
  kin_segments(m, d, 0, mask);
}

// mask 0: every segment; else only the segments some joint dof of mask moves (their ancestors are
// unchanged, so their frames are already right)
static void kin_segments(const slModel* m, slData* d, int with_vel, unsigned long long mask) {
  for (int i = 0; i < m->nseg; i++) {
    if (mask && !(m->seg_jdofs[i] & mask)) continue;
    // joint frame F, rigid on the parent
    const double *wp, *alp;
    double        RF[9], oF[3];
    joint_frame(m, d, i, RF, oF, &wp, &alp);

    // mobilizer: rotations in sequence, translations in F
    double R[9], Rn[9], Rax[9], w[3], al[3], pF[3] = {0, 0, 0}, pdF[3] = {0, 0, 0},
                                             pddF[3] = {0, 0, 0};
    memcpy(R, RF, sizeof R);
    slu_copy3(w, wp);
    slu_copy3(al, alp);
    for (int k = 0; k < m->seg_axnum[i]; k++) {
      int           ax = m->seg_axadr[i] + k;
      const double* dir = m->ax_dir + 3 * ax;
      double        f, fd, fdd, wax[3];
      axis_value(m, d, ax, &f, &fd, &fdd, with_vel);
      if (m->ax_type[ax] == SL_AX_ROT) {
        slu_mulmv3(wax, R, dir);
        slu_copy3(d->xaxis + 3 * ax, wax);
        if (with_vel) axis_rates(w, al, wax, fd, fdd);
        slu_axisangle(Rax, dir, f);
        slu_mulmm3(Rn, R, Rax);
        memcpy(R, Rn, sizeof R);
      } else {
        slu_mulmv3(wax, RF, dir);
        slu_copy3(d->xaxis + 3 * ax, wax);
        slu_addscl3(pF, dir, f);
        slu_addscl3(pdF, dir, fd);
        slu_addscl3(pddF, dir, fdd);
      }
    }
    // frame M (the joint centre) and the child frame
    double oM[3], rF[3];
    slu_mulmv3(rF, RF, pF);
    slu_add3(oM, oF, rF);
    double* Ri = d->xrot + 9 * i;
    slu_mulmmt3(Ri, R, m->seg_crot + 9 * i);
    double dM[3];
    slu_mulmv3(dM, Ri, m->seg_cpos + 3 * i);
    slu_sub3(d->xpos + 3 * i, oM, dM);
    slu_copy3(d->xjnt + 3 * i, oM);
    double c[3];
    slu_mulmv3(c, Ri, m->seg_com + 3 * i);
    slu_add3(d->xcom + 3 * i, d->xpos + 3 * i, c);

    seg_rates(m, d, i, with_vel, oF, RF, rF, oM, dM, w, al, pdF, pddF);
  }
  if (mask) return;  // the lumbar spine is not moved by joint dofs
  for (int l = 0; l < SL_NLEVEL; l++) slu_copy3(d->lev_xpos[l], d->xjnt + 3 * m->lev_seg[l]);
  for (int k = 0; k < SL_NLDOF; k++) slu_copy3(d->ldof_axis[k], d->xaxis + 3 * m->ldof_ax[k]);
}

void sl_kin_point(const slModel* m, const slData* d, int seg, const double local[3],
                  double world[3]) {
  (void)m;
  double t[3];
  slu_mulmv3(t, d->xrot + 9 * seg, local);
  slu_add3(world, d->xpos + 3 * seg, t);
}

void sl_kin_landmark(const slModel* m, const slData* d, int land, double world[3]) {
  sl_kin_point(m, d, m->land_seg[land], m->land_pos + 3 * land, world);
}
