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
  *fd = df * qd;
  *fdd = ddf * qd * qd + df * qdd;
}

static void kin_segments(const slModel* m, slData* d, int with_vel, unsigned long long mask);

void sl_kin_forward(const slModel* m, slData* d, int with_vel) {
  kin_segments(m, d, with_vel, 0);
}

void sl_kin_forward_jdofs(const slModel* m, slData* d, unsigned long long mask) {
  kin_segments(m, d, 0, mask);
}

// mask 0: every segment; else only the segments some joint dof of mask moves (their ancestors are
// unchanged, so their frames are already right)
static void kin_segments(const slModel* m, slData* d, int with_vel, unsigned long long mask) {
  static const double zero[3] = {0, 0, 0};
  static const double eye[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  for (int i = 0; i < m->nseg; i++) {
    if (mask && !(m->seg_jdofs[i] & mask)) continue;
    int           p = m->seg_parent[i];
    const double* Rp = p >= 0 ? d->xrot + 9 * p : eye;
    const double* op = p >= 0 ? d->xpos + 3 * p : zero;
    const double* wp = p >= 0 ? d->cvel + 6 * p : zero;
    const double* alp = p >= 0 ? d->cacc + 6 * p : zero;
    const double* vp = p >= 0 ? d->ovel + 3 * p : zero;
    const double* ap = p >= 0 ? d->oacc + 3 * p : zero;

    // joint frame F, rigid on the parent
    double RF[9], oF[3], t[3];
    slu_mulmm3(RF, Rp, m->seg_prot + 9 * i);
    slu_mulmv3(t, Rp, m->seg_ppos + 3 * i);
    slu_add3(oF, op, t);

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
        if (with_vel) {
          double tr[3], wf[3];
          slu_scl3(wf, wax, fd);
          slu_cross3(tr, w, wf);
          slu_add3(al, al, tr);
          slu_addscl3(al, wax, fdd);
          slu_add3(w, w, wf);
        }
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

    if (with_vel == 2 && p < 0) {  // a given root motion instead of its coordinates' rates
      const double* rm = d->root_motion;
      double        dC[3];
      slu_copy3(d->ovel + 3 * i, rm + 3);
      slu_copy3(d->oacc + 3 * i, rm + 9);
      slu_sub3(dC, d->xcom + 3 * i, d->xpos + 3 * i);
      slu_rigid_point(d->cvel + 6 * i + 3, d->cacc + 6 * i + 3, rm + 3, rm + 9, rm, rm + 6, dC);
      slu_copy3(d->cvel + 6 * i, rm);
      slu_copy3(d->cacc + 6 * i, rm + 6);
      continue;
    }
    if (!with_vel) {
      memset(d->cvel + 6 * i, 0, 6 * sizeof(double));
      memset(d->cacc + 6 * i, 0, 6 * sizeof(double));
      memset(d->ovel + 3 * i, 0, 3 * sizeof(double));
      memset(d->oacc + 3 * i, 0, 3 * sizeof(double));
      continue;
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
