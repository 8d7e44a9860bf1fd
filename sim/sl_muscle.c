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
  for (int p = 0; p < m->npt; p++)
    sl_kin_point(m, d, m->pt_seg[p], m->pt_pos + 3 * p, d->pt_xpos + 3 * p);
  for (int i = 0; i < m->nmus; i++) {
    double len = 0.0;
    for (int p = m->mus_ptadr[i]; p < m->mus_ptadr[i] + m->mus_ptnum[i] - 1; p++) {
      double v[3];
      slu_sub3(v, d->pt_xpos + 3 * (p + 1), d->pt_xpos + 3 * p);
      len += slu_norm3(v);
    }
    d->mus_len[i] = len;
  }
  memset(d->mus_R, 0, sizeof(double) * SL_NLDOF * (size_t)m->nmus);
  for (int x = 0; x < m->ncross; x++) {
    int           i = m->cross_mus[x], p = m->cross_pt[x], l = m->cross_lev[x];
    const double* pin = d->pt_xpos + 3 * (p + m->cross_sup[x]);
    const double* pout = d->pt_xpos + 3 * (p + 1 - m->cross_sup[x]);
    double        u[3], r[3], mom[3];
    slu_sub3(u, pout, pin);
    double n = slu_norm3(u);
    if (n <= 0.0) {  // coincident points: no line of action
      slu_zero3(d->cross_u + 3 * x);
      continue;
    }
    slu_scl3(u, u, 1.0 / n);
    slu_copy3(d->cross_u + 3 * x, u);
    slu_sub3(r, pin, d->lev_xpos[l]);
    slu_cross3(mom, r, u);
    double* R = d->mus_R + (size_t)SL_NLDOF * (size_t)i + 3 * (size_t)l;
    for (int a = 0; a < 3; a++) R[a] += slu_dot3(d->ldof_axis[3 * l + a], mom);
  }
}
