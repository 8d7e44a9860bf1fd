// sl_wrap.c: a muscle path around a wrapping surface (sphere, infinite cylinder, ellipsoid), in
// the surface's own frame (centre at the origin, axes along its principal axes; a cylinder's axis
// is z). A path from P to S that would go through the surface goes around it instead: a straight
// piece from P to the tangent point t1, a curve on the surface from t1 to t2, a straight piece
// from t2 to S. The result is a path whose length is stationary with respect to the tangent points
// and the route's shape, so that holding t1 and t2 fixed on the surface's segment and moving the
// rest gives the right first-order change of length (the moment arms in sl_muscle.c).
//
//  - cylinder: the exact geodesic, a helix; two routes (either way around the axis)
//  - sphere: the exact geodesic, a great-circle arc in the plane through P, S and the centre;
//    two routes (the short one and the long one in that plane)
//  - ellipsoid: an approximation. The route lies in a plane through P and S; in each plane the
//    path is the exact shortest around the section (an ellipse). The planes are swept around the
//    line PS and the stationary routes are kept (the shortest, and the other stationary ones).
//    The true geodesic does not lie in a plane in general, so the length is a little longer than
//    the geodesic's; for a sphere the two coincide.
// A quadrant (axis, sign) restricts the surface to one side: a route whose curve's midpoint lies
// on the inactive side (coordinate x sign < 0) is not taken, the shortest active route is; with no
// active route, or with both P and S on the inactive side, the path stays straight. A path whose
// end is inside the surface stays straight too.
#include <math.h>
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

#define TWO_PI 6.28318530717958647692

// Gauss-Legendre, 8 points on [-1, 1]
static const double GL_X[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                               -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                               0.7966664774136267,  0.9602898564975363};
static const double GL_W[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                               0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                               0.2223810344533745, 0.1012285362903763};

// does the 2D segment p-s pass inside the unit circle
static int seg_hits_circle(const double p[2], const double s[2]) {
  double dx = s[0] - p[0], dy = s[1] - p[1], dd = dx * dx + dy * dy;
  double t = dd > 0 ? -(p[0] * dx + p[1] * dy) / dd : 0.0;
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  double x = p[0] + t * dx, y = p[1] + t * dy;
  return x * x + y * y < 1.0;
}

// route around the unit circle from p to s (both outside) turning with sign sg (+1 counter-
// clockwise): tangent angles th1, th2 and the angle turned dl in [0, 2 pi)
static void circle_route(const double p[2], const double s[2], int sg, double* th1, double* th2,
                         double* dl) {
  double np = sqrt(p[0] * p[0] + p[1] * p[1]), ns = sqrt(s[0] * s[0] + s[1] * s[1]);
  double ap = atan2(p[1], p[0]), as = atan2(s[1], s[0]);
  *th1 = ap + sg * acos(1.0 / np);
  *th2 = as - sg * acos(1.0 / ns);
  double d = fmod(sg * (*th2 - *th1), TWO_PI);
  if (d < 0) d += TWO_PI;
  *dl = d;
}

static int inactive(int qaxis, int qsign, const double x[3]) {
  return qaxis >= 0 && qsign * x[qaxis] < 0.0;
}

static int wrap_cylinder(double R, int qaxis, int qsign, const double* P, const double* S,
                         double* t1, double* t2, double* arc) {
  double p[2] = {P[0] / R, P[1] / R}, s[2] = {S[0] / R, S[1] / R};
  if (p[0] * p[0] + p[1] * p[1] <= 1.0 || s[0] * s[0] + s[1] * s[1] <= 1.0) return 0;
  if (!seg_hits_circle(p, s)) return 0;
  double best = INFINITY, b1 = 0, b2 = 0, bd = 0;
  for (int sg = 1; sg >= -1; sg -= 2) {
    double th1, th2, dl;
    circle_route(p, s, sg, &th1, &th2, &dl);
    double mid = th1 + sg * 0.5 * dl, xm[3] = {cos(mid), sin(mid), 0.0};
    if (inactive(qaxis, qsign, xm)) continue;
    double tp = sqrt(p[0] * p[0] + p[1] * p[1] - 1.0), ts = sqrt(s[0] * s[0] + s[1] * s[1] - 1.0);
    double lp = R * (tp + dl + ts);
    if (lp < best) best = lp, b1 = th1, b2 = th2, bd = dl;
  }
  if (!isfinite(best)) return 0;
  double tp = R * sqrt(p[0] * p[0] + p[1] * p[1] - 1.0), dz = S[2] - P[2];
  t1[0] = R * cos(b1), t1[1] = R * sin(b1), t1[2] = P[2] + dz * tp / best;
  t2[0] = R * cos(b2), t2[1] = R * sin(b2), t2[2] = P[2] + dz * (tp + R * bd) / best;
  *arc = R * bd * sqrt(1.0 + dz * dz / (best * best));
  return 1;
}

// the ellipsoid problem in the half-plane through P and S at angle phi about the line PS
typedef struct Ell {
  double A[3];           // 1/a^2, 1/b^2, 1/c^2
  double P[3], d[3], L;  // P, unit direction to S, |S - P|
  double e0[3], e1[3];   // two unit vectors normal to d
  double PAP;
} Ell;

typedef struct Route {
  double len, arc;
  double t1[3], t2[3], mid[3];
} Route;

static double qform(const double* A, const double* x, const double* y) {
  return A[0] * x[0] * y[0] + A[1] * x[1] * y[1] + A[2] * x[2] * y[2];
}

// route in the half-plane phi (the curve bulges toward h = cos phi e0 + sin phi e1)
static int ell_route(const Ell* e, double phi, Route* r) {
  double h[3];
  for (int k = 0; k < 3; k++) h[k] = cos(phi) * e->e0[k] + sin(phi) * e->e1[k];
  // the section x = P + al d + be h: (z - z0)' M (z - z0) = kk
  double M11 = qform(e->A, e->d, e->d), M12 = qform(e->A, e->d, h), M22 = qform(e->A, h, h);
  double g1 = qform(e->A, e->d, e->P), g2 = qform(e->A, h, e->P);
  double det = M11 * M22 - M12 * M12;
  if (!(det > 0)) return 0;
  double z0[2] = {-(M22 * g1 - M12 * g2) / det, -(-M12 * g1 + M11 * g2) / det};
  double kk = -(g1 * z0[0] + g2 * z0[1]) - (e->PAP - 1.0);
  if (!(kk > 0)) return 0;
  double N11 = M11 / kk, N12 = M12 / kk, N22 = M22 / kk;
  double u11 = sqrt(N11), u12 = N12 / u11, u22sq = N22 - u12 * u12;
  if (!(u22sq > 0)) return 0;
  double u22 = sqrt(u22sq);
  // w = U (z - z0), z = z0 + V w with V = U^-1
  double v11 = 1.0 / u11, v12 = -u12 / (u11 * u22), v22 = 1.0 / u22;
  double pz[2] = {-z0[0], -z0[1]}, sz[2] = {e->L - z0[0], -z0[1]};
  double pw[2] = {u11 * pz[0] + u12 * pz[1], u22 * pz[1]};
  double sw[2] = {u11 * sz[0] + u12 * sz[1], u22 * sz[1]};
  if (pw[0] * pw[0] + pw[1] * pw[1] <= 1.0 || sw[0] * sw[0] + sw[1] * sw[1] <= 1.0) return 0;
  for (int sg = 1; sg >= -1; sg -= 2) {
    double th1, th2, dl;
    circle_route(pw, sw, sg, &th1, &th2, &dl);
    double mid = th1 + sg * 0.5 * dl;
    double bm = z0[1] + v22 * sin(mid);
    if (bm <= 0) continue;  // the route on the other side of the line: that is phi + pi
    double a1 = z0[0] + v11 * cos(th1) + v12 * sin(th1), b1 = z0[1] + v22 * sin(th1);
    double a2 = z0[0] + v11 * cos(th2) + v12 * sin(th2), b2 = z0[1] + v22 * sin(th2);
    double am = z0[0] + v11 * cos(mid) + v12 * sin(mid);
    // arc length: panels of at most pi/8, 8-point Gauss-Legendre each
    int    np = 1 + (int)(dl / (3.14159265358979323846 / 8));
    double arc = 0.0, hw = 0.5 * dl / np;
    for (int k = 0; k < np; k++) {
      double c = (2 * k + 1) * hw;
      for (int j = 0; j < 8; j++) {
        double th = th1 + sg * (c + hw * GL_X[j]);
        double da = -v11 * sin(th) + v12 * cos(th), db = v22 * cos(th);
        arc += GL_W[j] * hw * sqrt(da * da + db * db);
      }
    }
    r->arc = arc;
    r->len = sqrt(a1 * a1 + b1 * b1) + arc + sqrt((e->L - a2) * (e->L - a2) + b2 * b2);
    for (int k = 0; k < 3; k++) {
      r->t1[k] = e->P[k] + a1 * e->d[k] + b1 * h[k];
      r->t2[k] = e->P[k] + a2 * e->d[k] + b2 * h[k];
      r->mid[k] = e->P[k] + am * e->d[k] + bm * h[k];
    }
    return 1;
  }
  return 0;
}

static double ell_len(const Ell* e, double phi, double sgn) {
  Route r;
  return ell_route(e, phi, &r) ? sgn * r.len : INFINITY;
}

// golden-section search for a minimum of sgn x len on [lo, hi]
static double golden(const Ell* e, double lo, double hi, double sgn) {
  const double g = 0.61803398874989484820;
  double       x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  double       f1 = ell_len(e, x1, sgn), f2 = ell_len(e, x2, sgn);
  for (int it = 0; it < 60 && hi - lo > 1e-9; it++) {
    if (f1 <= f2) {
      hi = x2, x2 = x1, f2 = f1;
      x1 = hi - g * (hi - lo), f1 = ell_len(e, x1, sgn);
    } else {
      lo = x1, x1 = x2, f1 = f2;
      x2 = lo + g * (hi - lo), f2 = ell_len(e, x2, sgn);
    }
  }
  return f1 <= f2 ? x1 : x2;
}

static int wrap_ellipsoid(const double* dim, int qaxis, int qsign, const double* P, const double* S,
                          double* t1, double* t2, double* arc) {
  Ell e;
  for (int k = 0; k < 3; k++) e.A[k] = 1.0 / (dim[k] * dim[k]);
  e.PAP = qform(e.A, P, P);
  if (e.PAP <= 1.0 || qform(e.A, S, S) <= 1.0) return 0;
  // does the segment go through: in the frame where the ellipsoid is the unit sphere
  double ps[3], ss[3], dd = 0, pd = 0;
  for (int k = 0; k < 3; k++) {
    ps[k] = P[k] / dim[k], ss[k] = S[k] / dim[k];
    dd += (ss[k] - ps[k]) * (ss[k] - ps[k]), pd += ps[k] * (ss[k] - ps[k]);
  }
  double t = dd > 0 ? -pd / dd : 0.0, q = 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  for (int k = 0; k < 3; k++) q += (ps[k] + t * (ss[k] - ps[k])) * (ps[k] + t * (ss[k] - ps[k]));
  if (q >= 1.0) return 0;
  slu_copy3(e.P, P);
  slu_sub3(e.d, S, P);
  e.L = slu_normalize3(e.d);
  // e0: from the centre's foot on the line toward the line (where the short way round is)
  double pd0 = slu_dot3(P, e.d);
  for (int k = 0; k < 3; k++) e.e0[k] = P[k] - pd0 * e.d[k];
  if (slu_normalize3(e.e0) < 1e-12 * e.L) {
    int    k = fabs(e.d[0]) < fabs(e.d[1]) ? (fabs(e.d[0]) < fabs(e.d[2]) ? 0 : 2)
                                           : (fabs(e.d[1]) < fabs(e.d[2]) ? 1 : 2);
    double ax[3] = {0, 0, 0};
    ax[k] = 1.0;
    slu_cross3(e.e0, e.d, ax);
    slu_normalize3(e.e0);
  }
  slu_cross3(e.e1, e.d, e.e0);
  // candidate half-planes: the stationary ones
  enum { NS = 24, NC = 2 * NS };
  double cand[NC];
  int    nc = 0;
  if (dim[0] == dim[1] && dim[1] == dim[2]) {
    cand[nc++] = 0.0, cand[nc++] = 3.14159265358979323846;  // the plane through the centre
  } else {
    double f[NS], hs = TWO_PI / NS;
    for (int k = 0; k < NS; k++) f[k] = ell_len(&e, k * hs, 1.0);
    for (int k = 0; k < NS; k++) {
      double fl = f[(k + NS - 1) % NS], fr = f[(k + 1) % NS];
      if (!isfinite(f[k]) || !isfinite(fl) || !isfinite(fr)) continue;
      if (f[k] <= fl && f[k] < fr)
        cand[nc++] = golden(&e, (k - 1) * hs, (k + 1) * hs, 1.0);
      else if (f[k] >= fl && f[k] > fr)
        cand[nc++] = golden(&e, (k - 1) * hs, (k + 1) * hs, -1.0);
    }
  }
  Route best = {.len = INFINITY};
  for (int k = 0; k < nc; k++) {
    Route r;
    if (!ell_route(&e, cand[k], &r) || inactive(qaxis, qsign, r.mid)) continue;
    if (r.len < best.len) best = r;
  }
  if (!isfinite(best.len)) return 0;
  slu_copy3(t1, best.t1), slu_copy3(t2, best.t2);
  *arc = best.arc;
  return 1;
}

int sl_wrap_solve(int shape, const double dim[3], int qaxis, int qsign, const double P[3],
                  const double S[3], double t1[3], double t2[3], double* arc) {
  if (shape == SL_WRAP_CYLINDER && qaxis == 2) qaxis = -1;  // along the axis: no side
  if (qaxis >= 0 && inactive(qaxis, qsign, P) && inactive(qaxis, qsign, S)) return 0;
  switch (shape) {
    case SL_WRAP_CYLINDER:
      return wrap_cylinder(dim[0], qaxis, qsign, P, S, t1, t2, arc);
    case SL_WRAP_SPHERE: {
      double r3[3] = {dim[0], dim[0], dim[0]};
      return wrap_ellipsoid(r3, qaxis, qsign, P, S, t1, t2, arc);
    }
    case SL_WRAP_ELLIPSOID:
      return wrap_ellipsoid(dim, qaxis, qsign, P, S, t1, t2, arc);
    default:
      return 0;
  }
}
