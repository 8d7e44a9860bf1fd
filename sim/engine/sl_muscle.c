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
//
// A muscle with active path wraps (wrapping on; sl_wrap.c) goes around each surface its pieces
// would pass through: the piece from P to S becomes P to the tangent point t1, the curve on the
// surface, and t2 to S. The length is stationary with respect to t1 and t2 on the surface, so
// the first-order change of length for a motion is that of the polyline with t1 and t2 held as
// via points on the surface's segment, with the curve between them rigid: the same formula over
// the polyline's straight pieces, with t1 pulled only toward P and t2 only toward S. Such a
// muscle's moment arms and pulls (mus_pull, for the disc loads) come from a loop over its
// vertices after the entries; the others keep the entries' numbers.
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

static void muscle_wrapped(const slModel* m, slData* d);

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
  if (m->nmwrap > 0) muscle_wrapped(m, d);
}

typedef struct Vtx {
  double y[3];
  int    pt;    // path point, or -1 for a tangent point
  int    seg;   // tangent point: the surface's segment
  int    arc;   // 1: the link to the next vertex is a curve on a surface (no pull)
  double alen;  // its length
} Vtx;

// the superior part of level lev turned by Rp about the joint centre c (Rp NULL: as it is)
typedef struct Turn {
  const double* Rp;
  const double* c;
  int           lev;
} Turn;

static void turned(const slModel* m, const Turn* t, int seg, double* y) {
  if (!t->Rp || !((m->seg_above[seg] >> t->lev) & 1u)) return;
  double r[3];
  slu_sub3(r, y, t->c);
  slu_mulmv3(y, t->Rp, r);
  slu_add3(y, y, t->c);
}

// the wrapped path of muscle i: vertices, length
static int wrapped_path(const slModel* m, const slData* d, int i, const Turn* tn, Vtx* v,
                        double* len) {
  int    a = m->mus_ptadr[i], n = m->mus_ptnum[i], nv = 0;
  int    used[SL_WRAP_VMAX];
  double L = 0.0, pw[SL_WRAP_VMAX][3];
  for (int k = 0; k < m->mus_wrapnum[i]; k++) used[k] = 0;
  for (int p = a; p < a + n; p++) {
    double* y = pw[p - a];
    if (!tn->Rp) {
      slu_copy3(y, d->pt_xpos + 3 * p);
    } else if (!m->pt_abd[p]) {
      slu_copy3(y, d->pt_xpos + 3 * p);
      turned(m, tn, m->pt_seg[p], y);
    } else {
      double y2[3], sh = m->pt_share[p];
      seg_point(d, m->pt_seg[p], m->pt_pos + 3 * p, y);
      seg_point(d, m->abd_seg[1], m->pt_pos2 + 3 * p, y2);
      turned(m, tn, m->pt_seg[p], y), turned(m, tn, m->abd_seg[1], y2);
      for (int k = 0; k < 3; k++) y[k] = (1.0 - sh) * y[k] + sh * y2[k];
    }
  }
  for (int p = a; p < a + n; p++) {
    Vtx* x = &v[nv++];
    slu_copy3(x->y, pw[p - a]);
    x->pt = p, x->seg = m->pt_seg[p], x->arc = 0, x->alen = 0.0;
    if (p == a + n - 1) break;
    for (int k = 0; k < m->mus_wrapnum[i]; k++) {
      int w = m->mus_wrapadr[i] + k, o = m->mw_obj[w];
      if (used[k] || p < m->mw_pt0[w] || p + 1 > m->mw_pt1[w]) continue;
      double Rw[9], ow[3], P[3], S[3], t1[3], t2[3], arc, r[3];
      slu_mulmm3(Rw, d->xrot + 9 * m->wrap_seg[o], m->wrap_rot + 9 * o);
      seg_point(d, m->wrap_seg[o], m->wrap_pos + 3 * o, ow);
      if (tn->Rp && ((m->seg_above[m->wrap_seg[o]] >> tn->lev) & 1u)) {
        double R2[9];
        slu_mulmm3(R2, tn->Rp, Rw);
        memcpy(Rw, R2, sizeof R2);
        turned(m, tn, m->wrap_seg[o], ow);
      }
      slu_sub3(r, pw[p - a], ow), slu_multmv3(P, Rw, r);
      slu_sub3(r, pw[p + 1 - a], ow), slu_multmv3(S, Rw, r);
      if (!sl_wrap_solve(m->wrap_shape[o], m->wrap_dim + 3 * o, m->wrap_qaxis[o], m->wrap_qsign[o],
                         P, S, t1, t2, &arc))
        continue;
      used[k] = 1;
      const double* tt[2] = {t1, t2};
      for (int j = 0; j < 2; j++) {
        Vtx* t = &v[nv++];
        slu_mulmv3(t->y, Rw, tt[j]);
        slu_add3(t->y, t->y, ow);
        t->pt = -1, t->seg = m->wrap_seg[o], t->arc = j == 0, t->alen = j == 0 ? arc : 0.0;
      }
      break;  // one surface per piece
    }
  }
  for (int k = 0; k + 1 < nv; k++) {
    double u[3];
    slu_sub3(u, v[k + 1].y, v[k].y);
    L += v[k].arc ? v[k].alen : slu_norm3(u);
  }
  *len = L;
  return nv;
}

static void wrapped_arms(const slModel* m, slData* d, int i) {
  Vtx    v[SL_WRAP_VMAX];
  double len, u[SL_WRAP_VMAX][3];
  Turn   none = {NULL, NULL, 0};
  int    nv = wrapped_path(m, d, i, &none, v, &len);
  d->mus_len[i] = len;
  for (int k = 0; k + 1 < nv; k++) {
    slu_sub3(u[k], v[k + 1].y, v[k].y);
    double n = slu_norm3(u[k]);
    if (v[k].arc || !(n > 0.0))
      slu_zero3(u[k]);
    else
      slu_scl3(u[k], u[k], 1.0 / n);
  }
  double* Rm = d->mus_R + (size_t)SL_NLDOF * (size_t)i;
  double* F = d->mus_pull + 3 * SL_NLEVEL * (size_t)i;
  memset(Rm, 0, sizeof(double) * SL_NLDOF);
  memset(F, 0, sizeof(double) * 3 * SL_NLEVEL);
  for (int k = 0; k < nv; k++) {
    double pull[3] = {0, 0, 0};
    if (k + 1 < nv) slu_add3(pull, pull, u[k]);
    if (k > 0) slu_sub3(pull, pull, u[k - 1]);
    // where it acts: the point, or the two images of an abdominal-wall point
    double y[2][3], sh[2];
    int    sg[2], ni = 1;
    sg[0] = v[k].seg, sh[0] = 1.0;
    slu_copy3(y[0], v[k].y);
    if (v[k].pt >= 0 && m->pt_abd[v[k].pt]) {
      int q = v[k].pt;
      ni = 2;
      seg_point(d, m->pt_seg[q], m->pt_pos + 3 * q, y[0]);
      seg_point(d, m->abd_seg[1], m->pt_pos2 + 3 * q, y[1]);
      sg[1] = m->abd_seg[1], sh[1] = m->pt_share[q], sh[0] = 1.0 - m->pt_share[q];
    }
    for (int j = 0; j < ni; j++)
      for (int l = 0; l < SL_NLEVEL; l++) {
        if (!((m->seg_above[sg[j]] >> l) & 1u)) continue;
        double r[3], mom[3];
        slu_sub3(r, y[j], d->lev_xpos[l]);
        slu_cross3(mom, r, pull);
        for (int b = 0; b < 3; b++) Rm[3 * l + b] += sh[j] * slu_dot3(d->ldof_axis[3 * l + b], mom);
        slu_addscl3(F + 3 * l, pull, sh[j]);
      }
  }
  // over an ellipsoid the route is not a geodesic (sl_wrap.c), so the via-point moment arms are
  // not -dL/dq: central differences of the length for a turn of each superior part instead
  int ell = 0;
  for (int w = 0; w < m->mus_wrapnum[i]; w++)
    ell |= m->wrap_shape[m->mw_obj[m->mus_wrapadr[i] + w]] == SL_WRAP_ELLIPSOID;
  if (!ell) return;
  const double h = 1e-6;
  for (int l = 0; l < SL_NLEVEL; l++) {
    int moves = 0;
    for (int k = 0; k < nv; k++) {
      moves |= (int)((m->seg_above[v[k].seg] >> l) & 1u);
      if (v[k].pt >= 0 && m->pt_abd[v[k].pt])
        moves |= (int)((m->seg_above[m->abd_seg[1]] >> l) & 1u);
    }
    for (int w = 0; w < m->mus_wrapnum[i]; w++)
      moves |= (int)((m->seg_above[m->wrap_seg[m->mw_obj[m->mus_wrapadr[i] + w]]] >> l) & 1u);
    for (int b = 0; b < 3; b++) {
      if (!moves) {
        Rm[3 * l + b] = 0.0;
        continue;
      }
      double Rp[9], Lp, Ln;
      Vtx    tmp[SL_WRAP_VMAX];
      Turn   t = {Rp, d->lev_xpos[l], l};
      slu_axisangle(Rp, d->ldof_axis[3 * l + b], h);
      wrapped_path(m, d, i, &t, tmp, &Lp);
      slu_axisangle(Rp, d->ldof_axis[3 * l + b], -h);
      wrapped_path(m, d, i, &t, tmp, &Ln);
      Rm[3 * l + b] = -(Lp - Ln) / (2 * h);
    }
  }
}

static void muscle_wrapped(const slModel* m, slData* d) {
  for (int i = 0; i < m->nmus; i++)
    if (m->mus_wrapnum[i] > 0) wrapped_arms(m, d, i);
}
