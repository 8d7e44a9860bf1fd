// sl_muscle.c: stage 2, muscle path geometry and moment arms.
//
// A fascicle is a polyline through its path points, each fixed to a segment (or, for the
// abdominal wall, blended from a pelvis and a thorax image). Its length is the sum of the straight
// pieces. Tension f pulls every point toward its neighbours, f u along each piece. Rotating the
// part superior to a level by dq about the dof's world axis w through the joint centre c moves a
// superior point y by dq w x (y - c), which changes the length by -dq w . ((y - c) x u) for the
// pull u on that point. So the moment arm is
//   r = -dL/dq = sum over superior pulls of share x w . ((y - c) x u),
// where share is 1 for a rigid point and the thorax share t for the thorax image of an
// abdominal-wall point (which moves by that share of its thorax image's motion). Pulls between
// two rigid points on the same side cancel and are left out. The entries are precomputed by the
// model compiler (cross_*), so this stage is a loop over points and a loop over entries.
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

// world position of a point given in a segment frame
static inline void seg_point(const slData* d, int sg, const double* x, double* w) {
  const double* R = d->xrot + 9 * sg;
  const double* o = d->xpos + 3 * sg;
  w[0] = o[0] + R[0] * x[0] + R[1] * x[1] + R[2] * x[2];
  w[1] = o[1] + R[3] * x[0] + R[4] * x[1] + R[5] * x[2];
  w[2] = o[2] + R[6] * x[0] + R[7] * x[1] + R[8] * x[2];
}

void sl_muscle_geometry(const slModel* m, slData* d) {
  // path points in world; an abdominal-wall point is the blend of its pelvis and thorax images
  for (int p = 0; p < m->npt; p++) {
    double* w = d->pt_xpos + 3 * p;
    seg_point(d, m->pt_seg[p], m->pt_pos + 3 * p, w);
    if (m->pt_abd[p]) {
      double t[3];
      seg_point(d, m->abd_seg[1], m->pt_pos2 + 3 * p, t);
      double s = m->pt_share[p];
      for (int k = 0; k < 3; k++) w[k] = (1.0 - s) * w[k] + s * t[k];
    }
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
  // entries no path crosses stay zero from sl_data_make; the first entry of each (muscle,
  // level) assigns, later ones add
  for (int x = 0; x < m->ncross; x++) {
    int           i = m->cross_mus[x], q = m->cross_pt[x], l = m->cross_lev[x];
    double*       u = d->cross_u + 3 * x;
    double        y[3], r[3], mom[3];
    const double* pc = m->cross_nb[x] > 0 ? d->pc_u + 3 * q : d->pc_u + 3 * (q - 1);
    double        sg = m->cross_nb[x] > 0 ? 1.0 : -1.0;
    u[0] = sg * pc[0], u[1] = sg * pc[1], u[2] = sg * pc[2];
    // where the pull acts: the point itself, or the image of an abdominal-wall point
    if (!m->pt_abd[q])
      slu_copy3(y, d->pt_xpos + 3 * q);
    else if (m->cross_img[x])
      seg_point(d, m->abd_seg[1], m->pt_pos2 + 3 * q, y);
    else
      seg_point(d, m->pt_seg[q], m->pt_pos + 3 * q, y);
    slu_sub3(r, y, d->lev_xpos[l]);
    slu_cross3(mom, r, u);
    double  sh = m->cross_share[x];
    double* Rm = d->mus_R + (size_t)SL_NLDOF * (size_t)i + 3 * (size_t)l;
    if (m->cross_first[x])
      for (int a = 0; a < 3; a++) Rm[a] = sh * slu_dot3(d->ldof_axis[3 * l + a], mom);
    else
      for (int a = 0; a < 3; a++) Rm[a] += sh * slu_dot3(d->ldof_axis[3 * l + a], mom);
  }
}
