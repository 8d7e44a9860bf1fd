// sl_muscle.c: stage 2, muscle path geometry and moment arms.
//
// A fascicle is a polyline through its path points, each fixed to a segment. Its length is the
// sum of the straight pieces. Where a piece joins a point on the superior side of a lumbar level
// (p_in) to one on the inferior side (p_out), rotating the superior part by dq about the dof's
// world axis w through the joint centre c moves p_in by dq w x (p_in - c) and shortens the piece
// by dq w . ((p_in - c) x u), u the unit vector from p_in to p_out. So the moment arm
//   r = -dL/dq = w . ((p_in - c) x u)
// summed over the pieces that cross the level; tension f on that piece exerts the generalized
// force r f. The crossings are precomputed by the model compiler (cross_*), so this stage is a
// loop over points and a loop over crossings.
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

void sl_muscle_geometry(const slModel* m, slData* d) {
  // path points in world
  for (int p = 0; p < m->npt; p++) {
    int           sg = m->pt_seg[p];
    const double* R = d->xrot + 9 * sg;
    const double* o = d->xpos + 3 * sg;
    const double* x = m->pt_pos + 3 * p;
    double*       w = d->pt_xpos + 3 * p;
    w[0] = o[0] + R[0] * x[0] + R[1] * x[1] + R[2] * x[2];
    w[1] = o[1] + R[3] * x[0] + R[4] * x[1] + R[5] * x[2];
    w[2] = o[2] + R[6] * x[0] + R[7] * x[1] + R[8] * x[2];
  }
  // pieces: unit vector from each point to the next, lengths
  for (int i = 0; i < m->nmus; i++) {
    double len = 0.0;
    for (int p = m->mus_ptadr[i]; p < m->mus_ptadr[i] + m->mus_ptnum[i] - 1; p++) {
      double* u = d->pc_u + 3 * p;
      slu_sub3(u, d->pt_xpos + 3 * (p + 1), d->pt_xpos + 3 * p);
      double n = slu_norm3(u);
      len += n;
      if (n > 0.0)
        slu_scl3(u, u, 1.0 / n);
      else
        slu_zero3(u);  // coincident points: no line of action
    }
    d->mus_len[i] = len;
  }
  // entries no path crosses stay zero from sl_data_make; the first crossing of each (muscle,
  // level) assigns, later ones add

  for (int x = 0; x < m->ncross; x++) {
    int           i = m->cross_mus[x], p = m->cross_pt[x], l = m->cross_lev[x];
    int           sup = m->cross_sup[x];
    const double* pin = d->pt_xpos + 3 * (p + sup);
    const double* pc = d->pc_u + 3 * p;
    double*       u = d->cross_u + 3 * x;
    double        r[3], mom[3];
    // from the superior point toward the inferior one
    if (sup) {
      u[0] = -pc[0], u[1] = -pc[1], u[2] = -pc[2];
    } else {
      u[0] = pc[0], u[1] = pc[1], u[2] = pc[2];
    }
    slu_sub3(r, pin, d->lev_xpos[l]);
    slu_cross3(mom, r, u);
    double* Rm = d->mus_R + (size_t)SL_NLDOF * (size_t)i + 3 * (size_t)l;
    if (m->cross_first[x])
      for (int a = 0; a < 3; a++) Rm[a] = slu_dot3(d->ldof_axis[3 * l + a], mom);
    else
      for (int a = 0; a < 3; a++) Rm[a] += slu_dot3(d->ldof_axis[3 * l + a], mom);
  }
}
