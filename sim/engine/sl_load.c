// sl_load.c: stage 3, external loads on the segments, joint demand, disc frames.
//
// Loads on each segment are reduced to a force through its centre of mass and a couple:
// gravity m g; the d'Alembert inertial force -m a_com and couple -(I_w alpha + omega x I_w omega)
// (I_w = R I R'); explicit point forces. The demand at level l is the resultant of the loads on
// every segment above l and its moment about the joint centre; its projection on the dof axes,
// with the sign flipped, is what muscles, passive tissue and reserves must supply (tau). Every
// other joint dof k gets the same from the loads on the subtree its axes move:
//   tau_k = -sum over its axes of f'(q_k) (w . M_subtree about the joint centre, rotations;
//                                          w . F_subtree, translations).
//
// Disc frames (design note, section 3): each vertebra's axis runs from its inferior to its
// superior joint centre; the disc normal is the bisector of the axes of the two vertebrae it
// joins. Below L5/S1 the S1 end-plate normal is fixed in the pelvis at the sacral slope; above
// T12/L1 the T12 axis is fixed in the torso, equal to the L1 axis at q = 0. The lateral axis is
// the mean of the two segments' z axes made orthogonal to the normal; anterior = normal x lateral.
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

void sl_load_external(const slModel* m, slData* d, int with_inertia, const slPointLoad* loads,
                      int nloads) {
  for (int i = 0; i < m->nseg; i++) {
    double  mass = m->seg_mass[i];
    double* F = d->ext_force + 3 * i;
    double* T = d->ext_torque + 3 * i;
    slu_scl3(F, m->gravity, mass);
    slu_zero3(T);
    if (!with_inertia) continue;
    const double* w = d->cvel + 6 * i;
    const double* al = d->cacc + 6 * i;
    const double* a = d->cacc + 6 * i + 3;
    slu_addscl3(F, a, -mass);
    // couple: -(I_w al + w x I_w w), I_w = R I R'
    const double* R = d->xrot + 9 * i;
    double        Iw[9], tmp[9], v[3], Iv[3], x[3];
    slu_mulmm3(tmp, R, m->seg_inertia + 9 * i);
    slu_mulmmt3(Iw, tmp, R);
    slu_mulmv3(Iv, Iw, al);
    slu_mulmv3(v, Iw, w);
    slu_cross3(x, w, v);
    T[0] = -(Iv[0] + x[0]);
    T[1] = -(Iv[1] + x[1]);
    T[2] = -(Iv[2] + x[2]);
  }
  memset(d->load_force, 0, sizeof d->load_force);
  for (int k = 0; k < nloads; k++) {
    const slPointLoad* L = &loads[k];
    double             p[3], r[3], t[3];
    sl_kin_point(m, d, L->seg, L->pos, p);
    slu_add3(d->ext_force + 3 * L->seg, d->ext_force + 3 * L->seg, L->force);
    slu_sub3(r, p, d->xcom + 3 * L->seg);
    slu_cross3(t, r, L->force);
    slu_add3(d->ext_torque + 3 * L->seg, d->ext_torque + 3 * L->seg, t);
    for (int l = 0; l < SL_NLEVEL; l++)
      if ((m->seg_above[L->seg] >> l) & 1u) slu_add3(d->load_force[l], d->load_force[l], L->force);
  }
}

void sl_load_demand(const slModel* m, slData* d) {
  for (int l = 0; l < SL_NLEVEL; l++) {
    double F[3] = {0, 0, 0}, M[3] = {0, 0, 0};
    for (int i = 0; i < m->nseg; i++) {
      if (!((m->seg_above[i] >> l) & 1u)) continue;
      double r[3], t[3];
      slu_add3(F, F, d->ext_force + 3 * i);
      slu_sub3(r, d->xcom + 3 * i, d->lev_xpos[l]);
      slu_cross3(t, r, d->ext_force + 3 * i);
      slu_add3(M, M, t);
      slu_add3(M, M, d->ext_torque + 3 * i);
    }
    slu_copy3(d->demand_force[l], F);
    slu_copy3(d->demand_moment[l], M);
    for (int a = 0; a < 3; a++) d->tau[3 * l + a] = -slu_dot3(d->ldof_axis[3 * l + a], M);
  }
  // joint dofs outside the lumbar spine: the external force and moment on each segment's
  // subtree (children after parents, so one backward pass), projected on the joint's axes
  double* S = d->sub_fm;
  for (int i = 0; i < m->nseg; i++) {
    double t[3];
    slu_copy3(S + 6 * i, d->ext_force + 3 * i);
    slu_cross3(t, d->xcom + 3 * i, d->ext_force + 3 * i);
    slu_add3(S + 6 * i + 3, t, d->ext_torque + 3 * i);
  }
  for (int i = m->nseg - 1; i > 0; i--) {
    int p = m->seg_parent[i];
    for (int k = 0; k < 6; k++) S[6 * p + k] += S[6 * i + k];
  }
  for (int j = 0; j < m->njdof; j++) d->jdof_tau[j] = 0.0;
  for (int ax = 0; ax < m->naxis; ax++) {
    int j = m->ax_jdof[ax];
    if (j < 0) continue;
    int           g = m->ax_seg[ax];
    const double* w = d->xaxis + 3 * ax;
    double        Q;
    if (m->ax_type[ax] == SL_AX_ROT) {
      double M[3], t[3];
      slu_cross3(t, d->xjnt + 3 * g, S + 6 * g);
      slu_sub3(M, S + 6 * g + 3, t);
      Q = slu_dot3(w, M);
    } else {
      Q = slu_dot3(w, S + 6 * g);
    }
    d->jdof_tau[j] -= d->axis_df[ax] * Q;
  }
}

void sl_disc_frames(const slModel* m, slData* d) {
  double        axis[SL_NLEVEL + 1][3];  // axis of the vertebra below each level, plus T12 on top
  const double* Rpel = d->xrot + 9 * m->seg_parent[m->lev_seg[0]];
  slu_mulmv3(axis[0], Rpel, m->s1_axis);
  for (int l = 1; l < SL_NLEVEL; l++) {
    slu_sub3(axis[l], d->lev_xpos[l], d->lev_xpos[l - 1]);
    slu_normalize3(axis[l]);
  }
  slu_mulmv3(axis[SL_NLEVEL], d->xrot + 9 * m->lev_seg[SL_NLEVEL - 1], m->t12_axis);
  for (int l = 0; l < SL_NLEVEL; l++) {
    int    below = m->seg_parent[m->lev_seg[l]], above = m->lev_seg[l];
    double n[3], z[3], a[3];
    slu_add3(n, axis[l], axis[l + 1]);
    slu_normalize3(n);
    const double* Rb = d->xrot + 9 * below;
    const double* Ra = d->xrot + 9 * above;
    z[0] = Rb[2] + Ra[2];
    z[1] = Rb[5] + Ra[5];
    z[2] = Rb[8] + Ra[8];
    slu_addscl3(z, n, -slu_dot3(z, n));
    slu_normalize3(z);
    slu_cross3(a, n, z);
    double* D = d->disc_rot[l];
    D[0] = a[0], D[1] = n[0], D[2] = z[0];
    D[3] = a[1], D[4] = n[1], D[5] = z[1];
    D[6] = a[2], D[7] = n[2], D[8] = z[2];
  }
}
