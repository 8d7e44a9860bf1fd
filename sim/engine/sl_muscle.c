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
//
// Layout: the stage runs as a few loops over structures of arrays (d->geo): the path points, all
// the pieces in one contiguous loop (vectorised by the compiler), then the crossings level by
// level (the model keeps them in level order, xl_*), each level's loop with its joint centre and
// axes fixed, two entries per step in vector lanes. An abdominal-wall point's images are
// computed once, with the point, and the crossings read them.
#include <math.h>
#include <string.h>

#include "sl_math.h"
#include "sl_muscle.h"
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

// The scratch d->geo, structures of arrays (each array padded to 8 doubles, 64 bytes):
//   px, py, pz    path points (npt)
//   ix, iy, iz    where pulls act (2 npt): point q's own image at q (the point, or the pelvis image
//                 of an abdominal-wall point), the thorax image of an abdominal-wall point at
//                 npt + q
//   ux, uy, uz, un  pieces: unit vector from point p toward p + 1 and length (npt)
static size_t pad8(int n) {
  return ((size_t)(n > 0 ? n : 1) + 7) & ~(size_t)7;
}

size_t sl_muscle_scratch(const slModel* m) {
  return 3 * pad8(m->npt) + 3 * pad8(2 * m->npt) + 4 * pad8(m->npt);
}

typedef struct Geo {
  double *px, *py, *pz, *ix, *iy, *iz, *ux, *uy, *uz, *un;
} Geo;

static Geo geo_of(const slModel* m, double* g) {
  size_t np = pad8(m->npt), ni = pad8(2 * m->npt);
  Geo    G;
  G.px = g, G.py = G.px + np, G.pz = G.py + np;
  G.ix = G.pz + np, G.iy = G.ix + ni, G.iz = G.iy + ni;
  G.ux = G.iz + ni, G.uy = G.ux + np, G.uz = G.uy + np, G.un = G.uz + np;
  return G;
}

// path points in world; an abdominal-wall point is the blend of its pelvis and thorax images
static void path_points(const slModel* m, slData* d, const Geo* G) {
  int npt = m->npt;
  for (int p = 0; p < npt; p++) {
    double w[3];
    seg_point(d, m->pt_seg[p], m->pt_pos + 3 * p, w);
    G->ix[p] = w[0], G->iy[p] = w[1], G->iz[p] = w[2];
    if (m->pt_abd[p]) {
      double t[3];
      seg_point(d, m->abd_seg[1], m->pt_pos2 + 3 * p, t);
      G->ix[npt + p] = t[0], G->iy[npt + p] = t[1], G->iz[npt + p] = t[2];
      double s = m->pt_share[p];
      for (int k = 0; k < 3; k++) w[k] = (1.0 - s) * w[k] + s * t[k];
    }
    G->px[p] = w[0], G->py[p] = w[1], G->pz[p] = w[2];
    slu_copy3(d->pt_xpos + 3 * p, w);
  }
}

// every piece from point p to p + 1 at once, the ones from a path's last point to the next
// path's first too (never read): unit vectors and lengths, one contiguous loop
static void path_pieces(int n, const double* restrict px, const double* restrict py,
                        const double* restrict pz, double* restrict ux, double* restrict uy,
                        double* restrict uz, double* restrict un) {
  for (int p = 0; p < n; p++) {
    double x = px[p + 1] - px[p], y = py[p + 1] - py[p], z = pz[p + 1] - pz[p];
    double len = sqrt(x * x + y * y + z * z), s = 1.0 / len;
    int    ok = len > 0.0;  // coincident points: no line of action
    ux[p] = ok ? x * s : 0.0;
    uy[p] = ok ? y * s : 0.0;
    uz[p] = ok ? z * s : 0.0;
    un[p] = len;
  }
}

// two crossings at a time (GCC and Clang vector extensions; each lane is the scalar arithmetic,
// so the numbers do not depend on it)
typedef double v2d __attribute__((vector_size(16)));

// crossing x's pull u and terms c into cross_u and the moment arms at Rm: the first entry of each
// (muscle, level) pair assigns, later ones add, in the entries' order (kept by the level sort);
// -0.0 + c is c for every c (+0.0 + c would turn c = -0.0 into +0.0), so the first assigns
// without a branch
static inline void arms_put(const slModel* m, slData* d, int x, int rm, double gx, double gy,
                            double gz, double c0, double c1, double c2) {
  double* u = d->cross_u + 3 * x;
  u[0] = gx, u[1] = gy, u[2] = gz;
  double* Rm = d->mus_R + rm;
  int     first = m->cross_first[x];
  Rm[0] = (first ? -0.0 : Rm[0]) + c0;
  Rm[1] = (first ? -0.0 : Rm[1]) + c1;
  Rm[2] = (first ? -0.0 : Rm[2]) + c2;
}

// the crossings of level l, whose joint centre and dof axes are fixed over the loop: each one's
// pull (its piece, toward the neighbour) and the point where it acts, read from the structures
// of arrays; the moment of the pull about the centre on each axis, times the share, two entries
// per step
static void level_arms(const slModel* m, slData* d, const Geo* G, int l) {
  const double* c = d->lev_xpos[l];
  const double* A = d->ldof_axis[3 * l];
  const double *ux = G->ux, *uy = G->uy, *uz = G->uz, *ix = G->ix, *iy = G->iy, *iz = G->iz;
  const int *   xpc = m->xl_pc, *xim = m->xl_img, *xrm = m->xl_rm, *xcr = m->xl_cross;
  const double* xsg = m->xl_sg;
  const double* xsh = m->cross_share;
  v2d           cx = {c[0], c[0]}, cy = {c[1], c[1]}, cz = {c[2], c[2]};
  v2d           a00 = {A[0], A[0]}, a01 = {A[1], A[1]}, a02 = {A[2], A[2]};
  v2d           a10 = {A[3], A[3]}, a11 = {A[4], A[4]}, a12 = {A[5], A[5]};
  v2d           a20 = {A[6], A[6]}, a21 = {A[7], A[7]}, a22 = {A[8], A[8]};
  int           s = m->xl_adr[l], end = m->xl_adr[l + 1];
  for (; s + 1 < end; s += 2) {
    int p0 = xpc[s], p1 = xpc[s + 1], i0 = xim[s], i1 = xim[s + 1], x0 = xcr[s], x1 = xcr[s + 1];
    v2d sg = {xsg[s], xsg[s + 1]}, sh = {xsh[x0], xsh[x1]};
    v2d gx = sg * (v2d){ux[p0], ux[p1]}, gy = sg * (v2d){uy[p0], uy[p1]};
    v2d gz = sg * (v2d){uz[p0], uz[p1]};
    v2d rx = (v2d){ix[i0], ix[i1]} - cx, ry = (v2d){iy[i0], iy[i1]} - cy;
    v2d rz = (v2d){iz[i0], iz[i1]} - cz;
    v2d m0 = ry * gz - rz * gy;
    v2d m1 = rz * gx - rx * gz;
    v2d m2 = rx * gy - ry * gx;
    v2d c0 = sh * (a00 * m0 + a01 * m1 + a02 * m2);
    v2d c1 = sh * (a10 * m0 + a11 * m1 + a12 * m2);
    v2d c2 = sh * (a20 * m0 + a21 * m1 + a22 * m2);
    arms_put(m, d, x0, xrm[s], gx[0], gy[0], gz[0], c0[0], c1[0], c2[0]);
    arms_put(m, d, x1, xrm[s + 1], gx[1], gy[1], gz[1], c0[1], c1[1], c2[1]);
  }
  for (; s < end; s++) {  // the last of an odd count, the same arithmetic in one lane
    int    pc = xpc[s], im = xim[s], x = xcr[s];
    double sg = xsg[s], sh = xsh[x];
    double gx = sg * ux[pc], gy = sg * uy[pc], gz = sg * uz[pc];
    double rx = ix[im] - c[0], ry = iy[im] - c[1], rz = iz[im] - c[2];
    double m0 = ry * gz - rz * gy;
    double m1 = rz * gx - rx * gz;
    double m2 = rx * gy - ry * gx;
    double c0 = sh * (A[0] * m0 + A[1] * m1 + A[2] * m2);
    double c1 = sh * (A[3] * m0 + A[4] * m1 + A[5] * m2);
    double c2 = sh * (A[6] * m0 + A[7] * m1 + A[8] * m2);
    arms_put(m, d, x, xrm[s], gx, gy, gz, c0, c1, c2);
  }
}

void sl_muscle_geometry(const slModel* m, slData* d) {
  Geo G = geo_of(m, d->geo);
  path_points(m, d, &G);
  if (m->npt > 1) path_pieces(m->npt - 1, G.px, G.py, G.pz, G.ux, G.uy, G.uz, G.un);
  // lengths, and the pieces in d->pc_u
  for (int i = 0; i < m->nmus; i++) {
    double len = 0.0;
    for (int p = m->mus_ptadr[i]; p < m->mus_ptadr[i] + m->mus_ptnum[i] - 1; p++) {
      double* u = d->pc_u + 3 * p;
      u[0] = G.ux[p], u[1] = G.uy[p], u[2] = G.uz[p];
      len += G.un[p];
    }
    d->mus_len[i] = len;
  }
  // the crossings, level by level; entries no path crosses stay zero from sl_data_make
  for (int l = 0; l < SL_NLEVEL; l++) level_arms(m, d, &G, l);
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
