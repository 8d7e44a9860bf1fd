// sl_so.c: static optimisation by a semi-smooth Newton method on the dual.
//
// Problem. Unknowns: muscle forces f (0 <= f_i <= F_i), contact edge weights c >= 0 and one
// reserve actuator r_k per equation (free). Minimise
//     J = sum_i (f_i / F_i)^p + sum_j (c_j / c0)^2 + sum_k (r_k / r0_k)^2
// subject to A_f f + A_c c + r = b (moment equilibrium at every lumbar dof, plus whole-body
// equilibrium rows when contacts are present). Reserves are priced so high (r0 = 0.01 N m by
// default) that they carry a measurable moment only when muscles and contacts cannot; a posture
// whose reserves exceed reserve_flag is flagged, never silently accepted.
//
// Dual. For multipliers lambda (one per equation) every unknown minimises its own term of
// J - lambda'(A x - b) in closed form, with s = a'lambda its column's projection:
//     p = 2:   f = clamp(s F^2 / 2, 0, F)          general p: f = F (s F / p)^(1/(p-1)), clamped
//     c = max(0, s c0^2 / 2),   r_k = lambda_k r0_k^2 / 2.
// The dual function g(lambda) = J(x) - lambda'(A x - b) is concave and continuously
// differentiable with gradient b - A x(lambda). Its generalized Hessian is -(A D A' + R0) with
// D = dx/ds (F^2/2 for a muscle strictly between its bounds, 0 at a bound) and R0 = diag(r0^2/2),
// which keeps the Newton matrix positive definite. So each iteration is one neq x neq Cholesky
// (LAPACK dpotrf/dpotrs) -- 18 x 18 for one body -- followed by a backtracking line search on g.
// Warm-started from the previous posture of a batch, a handful of iterations suffice. For
// p = 2 the dual is piecewise quadratic and the method terminates finitely.
//
// Min/max (the AnyBody criterion): bisection on the activation bound beta; for each beta the
// p = 2 problem with bounds beta F is solved, and beta is feasible when no reserve is needed.
// The answer is the p = 2 solution at the smallest feasible beta (to 1e-4), which both minimises
// the largest activation and breaks its ties uniquely.
#include "sl_so.h"

#include <math.h>
#include <string.h>

#include "sl_la.h"

static const char* const SO_STATUS[SL_SO_STATUS_COUNT] = {"converged", "reserve", "maxiter",
                                                          "numeric", "strength"};
// the one list of criterion names (the option table and the outputs use it)
const char* const SL_CRITERION_NAMES[SL_CRIT_COUNT + 1] = {"p2", "p3", "minmax", NULL};

const char* sl_so_status_str(int s) {
  return (s >= 0 && s < SL_SO_STATUS_COUNT) ? SO_STATUS[s] : "unknown";
}
const char* sl_criterion_name(slCriterion c) {
  return (c >= 0 && c < SL_CRIT_COUNT) ? SL_CRITERION_NAMES[c] : "unknown";
}
int sl_criterion_from_name(const char* s) {
  for (int i = 0; s && i < SL_CRIT_COUNT; i++)
    if (strcmp(s, SL_CRITERION_NAMES[i]) == 0) return i;
  return -1;
}

size_t sl_so_work_size(int neq, int nvar) {
  // H, grad, step; per unknown its projection s on lambda and ds on the step;
  // and for the p = 2 path also the assembled Newton matrix and per unknown its slope, its bound
  // and two slopes (the one in the assembled matrix and the new one)
  return 2 * (size_t)neq * (size_t)neq + 3 * (size_t)neq + 6 * (size_t)nvar + 16;
}

// the per-variable closed forms: force and its derivative for projection s, cost weight w
static inline double mus_force(double s, double F, double w, double p, double ub, double* D) {
  if (s <= 0.0) {
    *D = 0.0;
    return 0.0;
  }
  double f;
  if (p == 2.0) {
    double k = F * F * 0.5 / w;
    f = s * k;
    if (f >= ub) {
      *D = 0.0;
      return ub;
    }
    *D = k;
    return f;
  }
  f = F * pow(s * F / (w * p), 1.0 / (p - 1.0));
  if (f >= ub) {
    *D = 0.0;
    return ub;
  }
  double a = f / F;
  if (a < 1e-9) a = 1e-9;  // the slope is infinite at f = 0 for p > 2
  *D = F * F / (w * p * (p - 1.0) * pow(a, p - 2.0));
  return f;
}

static inline double mus_cost(double f, double F, double w, double p) {
  double a = f / F;
  return w * (p == 2.0 ? a * a : pow(a, p));
}

// column i of a block: its entries (a), first global row (*r0) and number of rows (*nr)
static inline const double* column(const slSoBlock* B, int i, int* r0, int* nr) {
  *r0 = B->rowbase + B->row0[i];
  if (B->unit) {
    *nr = 1;
    return B->A + i;
  }
  *nr = B->nrow[i];
  return B->A + (size_t)B->ld * (size_t)i + B->row0[i];
}

static inline double weight(const slSoBlock* B, int i) {
  return B->w ? B->w[i] : 1.0;
}

// x(lambda) for every unknown, the gradient grad = b - A x - r, and each column's projection
// s = a' lambda into sv (columns of every block first, then contacts). Returns the criterion.
static double evaluate(const slSoProblem* P, double p, double ubscale, const double* lam, double c0,
                       double* grad, double* sv) {
  int    n = P->neq, v = 0;
  double cost = 0.0;
  for (int k = 0; k < n; k++) grad[k] = P->b[k];
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      int           r0, nr;
      const double* a = column(B, i, &r0, &nr);
      const double* l = lam + r0;
      double        s = 0.0;
      for (int k = 0; k < nr; k++) s += a[k] * l[k];
      sv[v] = s;
      double D, F = B->fmax[i], w = weight(B, i);
      double f = mus_force(s, F, w, p, ubscale * F, &D);
      B->f[i] = f;
      if (f == 0.0) continue;
      cost += mus_cost(f, F, w, p);
      double* g = grad + r0;
      for (int k = 0; k < nr; k++) g[k] -= a[k] * f;
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    int           r0 = P->crow0[j], nr = P->cnrow[j];
    const double* a = P->Ac + (size_t)j * (size_t)n + r0;
    double        s = 0.0;
    for (int k = 0; k < nr; k++) s += a[k] * lam[r0 + k];
    sv[v] = s;
    double c = s > 0 ? s * c0 * c0 * 0.5 : 0.0;
    P->c[j] = c;
    if (c != 0.0)
      for (int k = 0; k < nr; k++) grad[r0 + k] -= a[k] * c;
  }
  for (int k = 0; k < n; k++) {
    P->r[k] = lam[k] * P->r0[k] * P->r0[k] * 0.5;
    grad[k] -= P->r[k];
  }
  return cost;
}

// The Newton matrix A D A' + R0 (column-major, upper triangle) from the projections sv.
// all_active: treat every unknown with s <= 0 as active too (a cold start's first step).
static void hessian(const slSoProblem* P, double p, double ubscale, const double* sv, double c0,
                    double* H, int all_active) {
  int n = P->neq, v = 0;
  memset(H, 0, sizeof(double) * (size_t)n * (size_t)n);
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      int           r0, nr;
      const double* a = column(B, i, &r0, &nr);
      double        D, F = B->fmax[i], w = weight(B, i);
      mus_force(sv[v], F, w, p, ubscale * F, &D);
      if (all_active && sv[v] <= 0.0) D = F * F * 0.5 / w;
      if (D == 0.0) continue;
      for (int cc = 0; cc < nr; cc++) {
        double  wa = D * a[cc];
        double* col = H + (size_t)(r0 + cc) * (size_t)n + r0;
        for (int rr = 0; rr <= cc; rr++) col[rr] += wa * a[rr];
      }
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    if (!(sv[v] > 0 || all_active)) continue;
    int           r0 = P->crow0[j], nr = P->cnrow[j];
    const double* a = P->Ac + (size_t)j * (size_t)n + r0;
    double        D = c0 * c0 * 0.5;
    for (int cc = 0; cc < nr; cc++) {
      if (a[cc] == 0.0) continue;
      double  w = D * a[cc];
      double* col = H + (size_t)(r0 + cc) * (size_t)n + r0;
      for (int rr = 0; rr <= cc; rr++) col[rr] += w * a[rr];
    }
  }
  for (int k = 0; k < n; k++) H[(size_t)k * (size_t)n + k] += P->r0[k] * P->r0[k] * 0.5;
}

// each column's projection on the Newton step, so that the line search costs O(unknowns)
static void project(const slSoProblem* P, const double* step, double* ds) {
  int n = P->neq, v = 0;
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      int           r0, nr;
      const double* a = column(B, i, &r0, &nr);
      const double* y = step + r0;
      double        d = 0.0;
      for (int k = 0; k < nr; k++) d += a[k] * y[k];
      ds[v] = d;
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    int           r0 = P->crow0[j], nr = P->cnrow[j];
    const double* a = P->Ac + (size_t)j * (size_t)n + r0;
    double        d = 0.0;
    for (int k = 0; k < nr; k++) d += a[k] * step[r0 + k];
    ds[v] = d;
  }
}

// directional derivative of the dual at lambda + t step: step'(b - A x(t) - r(t))
static double dir_deriv(const slSoProblem* P, double p, double ubscale, const double* lam,
                        const double* step, double t, double c0, const double* sv, const double* ds,
                        double db) {
  double d = db;
  int    v = 0;
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      if (ds[v] == 0.0) continue;
      double D, F = B->fmax[i];
      d -= ds[v] * mus_force(sv[v] + t * ds[v], F, weight(B, i), p, ubscale * F, &D);
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    double x = sv[v] + t * ds[v];
    if (x > 0) d -= ds[v] * x * c0 * c0 * 0.5;
  }
  for (int k = 0; k < P->neq; k++)
    d -= step[k] * (lam[k] + t * step[k]) * P->r0[k] * P->r0[k] * 0.5;
  return d;
}

typedef struct GenLine {
  const slSoProblem* P;
  double             p, ubscale;
  const double *     lam, *step;
  double             c0;
  const double *     sv, *dsv;
  double             db;
} GenLine;

static double gen_line_dd(const void* ctx, double t) {
  const GenLine* c = ctx;
  return dir_deriv(c->P, c->p, c->ubscale, c->lam, c->step, t, c->c0, c->sv, c->dsv, c->db);
}

// The step length of both paths' line searches: the root in (0, 1) of the monotone directional
// derivative dd, which is d0 > 0 at 0 and d1 < 0 at 1 (regula falsi, Illinois), near enough when
// |dd| <= 1e-3 d0 or the bracket is below 1e-15.
static double regula_falsi(double d0, double d1, double (*dd)(const void*, double),
                           const void* ctx) {
  double t = 1.0, lo = 0.0, dlo = d0, hi = 1.0, dhi = d1;
  int    side = 0;
  for (int ls = 0; ls < 60; ls++) {
    t = lo - dlo * (hi - lo) / (dhi - dlo);
    if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    double dt = dd(ctx, t);
    if (fabs(dt) <= 1e-3 * d0 || hi - lo <= 1e-15) break;
    if (dt > 0.0) {
      lo = t, dlo = dt;
      if (side == 1) dhi *= 0.5;
      side = 1;
    } else {
      hi = t, dhi = dt;
      if (side == -1) dlo *= 0.5;
      side = -1;
    }
  }
  return t;
}

// the number of unknowns: every block's muscles and actuators, then the contacts
static int unknowns(const slSoProblem* P) {
  int nvar = P->nc;
  for (int bl = 0; bl < P->nblock; bl++) nvar += P->block[bl].n;
  return nvar;
}

// Whether a Newton solve with residual rn has converged: below tol, or on the round-off floor.
// When reserves or contacts carry large multipliers the residual can stall above tol; below 1e-6
// relative, ten iterations without a 10 % gain end the solve as converged (the reserve flag, if
// any, then tells the story). best and stall carry the floor's state between iterations.
static int newton_done(double rn, double tol, double scale, double* best, int* stall) {
  if (rn <= tol) return 1;
  if (rn < 0.9 * *best) {
    *best = rn;
    *stall = 0;
    return 0;
  }
  return ++*stall >= 10 && rn <= 1e-6 * (scale > 1.0 ? scale : 1.0);
}

static double inf_norm(const double* v, int n) {
  double m = 0.0;
  for (int k = 0; k < n; k++) {
    double a = fabs(v[k]);
    if (!(a <= m)) m = a;  // NaN propagates
  }
  return m;
}

// ---- the p = 2 path -------------------------------------------------------------------------
// For p = 2 each unknown is piecewise linear in its projection s: x = 0 (s <= 0), k s (between)
// or its bound; so D = dx/ds takes two values, and between two iterations it changes only for the
// few unknowns whose s crossed a bound. Per unknown v the solve keeps k[v] (the slope), ub[v]
// (the bound, INFINITY for contacts) and Dh[v] (the slope its column has in the assembled Newton
// matrix Hs), so that
//   - the Newton matrix is updated by the columns whose slope changed, not rebuilt;
//   - the projections move with the step (s += t ds) instead of being recomputed as a' lambda;
//   - the line search (the same regula falsi) divides nothing per unknown and pass.
// An exact one-pass line search (sort the breakpoints where unknowns meet a bound, walk the
// piecewise linear derivative to its root) was tried and not kept: no measurable gain here, and
// on postures that need large reserves it changed which ones reach the iteration limit.
// Copying the muscles that can carry force on the step (s > 0 at t = 0 or 1) into compact arrays
// before the line search, so that its passes skip the others' exact zeros (the same bits), was
// tried too: 2-3 % slower on random postures and the position cycle (bench 5000, one thread),
// the copy costing more than the passes it shortens.

static inline double p2_force(double s, double k, double ub) {
  if (s <= 0.0) return 0.0;
  double f = s * k;
  return f >= ub ? ub : f;
}

// the slope of x at s (0 at a bound); all_active: every unknown below its upper bound
static inline double p2_slope(double s, double k, double ub, int all_active) {
  if (s <= 0.0) return all_active ? k : 0.0;
  return s * k >= ub ? 0.0 : k;
}

// forces, contacts and reserves from the projections sv; the gradient b - A x - r and the cost
static double p2_evaluate(const slSoProblem* P, const double* lam, const double* sv,
                          const double* kv, const double* ubv, double* grad) {
  int    n = P->neq, v = 0;
  double cost = 0.0;
  for (int k = 0; k < n; k++) grad[k] = P->b[k];
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      double f = p2_force(sv[v], kv[v], ubv[v]);
      B->f[i] = f;
      if (f == 0.0) continue;
      cost += mus_cost(f, B->fmax[i], weight(B, i), 2.0);
      int           r0, nr;
      const double* a = column(B, i, &r0, &nr);
      double*       g = grad + r0;
      for (int k = 0; k < nr; k++) g[k] -= a[k] * f;
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    double c = p2_force(sv[v], kv[v], INFINITY);
    P->c[j] = c;
    if (c == 0.0) continue;
    int           r0 = P->crow0[j], nr = P->cnrow[j];
    const double* a = P->Ac + (size_t)j * (size_t)n + r0;
    for (int k = 0; k < nr; k++) grad[r0 + k] -= a[k] * c;
  }
  for (int k = 0; k < n; k++) {
    P->r[k] = lam[k] * P->r0[k] * P->r0[k] * 0.5;
    grad[k] -= P->r[k];
  }
  return cost;
}

// Hs += dD a a' (upper triangle) for the nr entries a of a column starting at row r0
static inline void rank1(int n, const double* a, int r0, int nr, double dD, int skipzero,
                         double* Hs) {
  for (int cc = 0; cc < nr; cc++) {
    if (skipzero && a[cc] == 0.0) continue;
    double  wa = dD * a[cc];
    double* col = Hs + (size_t)(r0 + cc) * (size_t)n + r0;
    for (int rr = 0; rr <= cc; rr++) col[rr] += wa * a[rr];
  }
}

// The Newton matrix Hs = A D A' + R0 for the slopes at sv: rebuilt when rebuild is set or when
// more columns changed slope than are active, else updated by the changed columns only.
// Dh holds the slope each column has in Hs; Dn is scratch (nvar).
static void p2_hessian(const slSoProblem* P, const double* sv, const double* kv, const double* ubv,
                       double* Dh, double* Dn, double* Hs, int rebuild, int all_active) {
  int n = P->neq, nvar = unknowns(P);
  int nchg = 0, nact = 0;
  for (int v = 0; v < nvar; v++) {
    double D = p2_slope(sv[v], kv[v], ubv[v], all_active);
    Dn[v] = D;
    nact += D != 0.0;
    nchg += !rebuild && D != Dh[v];
  }
  if (nchg > nact) rebuild = 1;
  if (rebuild) memset(Hs, 0, sizeof(double) * (size_t)n * (size_t)n);
  int v = 0;
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      double dD = rebuild ? Dn[v] : Dn[v] - Dh[v];
      Dh[v] = Dn[v];
      if (dD == 0.0) continue;
      int           r0, nr;
      const double* a = column(B, i, &r0, &nr);
      rank1(n, a, r0, nr, dD, 0, Hs);
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    double dD = rebuild ? Dn[v] : Dn[v] - Dh[v];
    Dh[v] = Dn[v];
    if (dD == 0.0) continue;
    int r0 = P->crow0[j], nr = P->cnrow[j];
    rank1(n, P->Ac + (size_t)j * (size_t)n + r0, r0, nr, dD, 1, Hs);
  }
  if (rebuild)
    for (int k = 0; k < n; k++) Hs[(size_t)k * (size_t)n + k] += P->r0[k] * P->r0[k] * 0.5;
}

static double p2_dir_deriv(const slSoProblem* P, const double* lam, const double* step, double t,
                           const double* sv, const double* ds, const double* kv, const double* ubv,
                           double db) {
  double d = db;
  int    nvar = unknowns(P);
  int    nm = nvar - P->nc;
  for (int v = 0; v < nm; v++) {
    if (ds[v] == 0.0) continue;
    d -= ds[v] * p2_force(sv[v] + t * ds[v], kv[v], ubv[v]);
  }
  for (int v = nm; v < nvar; v++) {
    double x = sv[v] + t * ds[v];
    if (x > 0) d -= ds[v] * x * kv[v];
  }
  for (int k = 0; k < P->neq; k++)
    d -= step[k] * (lam[k] + t * step[k]) * P->r0[k] * P->r0[k] * 0.5;
  return d;
}

typedef struct P2Line {
  const slSoProblem* P;
  const double *     lam, *step, *sv, *dsv, *kv, *ubv;
  double             db;
} P2Line;

static double p2_line_dd(const void* ctx, double t) {
  const P2Line* c = ctx;
  return p2_dir_deriv(c->P, c->lam, c->step, t, c->sv, c->dsv, c->kv, c->ubv, c->db);
}

// the line search of solve_power (regula falsi, Illinois) on the p = 2 closed forms
static double p2_line_search(const slSoProblem* P, const double* lam, const double* step,
                             const double* sv, const double* dsv, const double* kv,
                             const double* ubv, double d0) {
  double db = 0.0;
  for (int k = 0; k < P->neq; k++) db += step[k] * P->b[k];
  P2Line c = {P, lam, step, sv, dsv, kv, ubv, db};
  double d1 = p2_line_dd(&c, 1.0);
  return d1 < 0.0 ? regula_falsi(d0, d1, p2_line_dd, &c) : 1.0;
}

// One p = 2 solve with bounds ubscale * F (see the notes above the p = 2 path).
static int solve_p2(const slSoProblem* P, const slSoOpt* o, double ubscale, int cold, double* work,
                    int* iters, double* resid, double* cost) {
  int     n = P->neq, nvar = unknowns(P);
  double* H = work;
  double* Hs = H + (size_t)n * (size_t)n;
  double* grad = Hs + (size_t)n * (size_t)n;
  double* step = grad + n;
  double* sv = step + n;
  double* dsv = sv + nvar;
  double* kv = dsv + nvar;
  double* ubv = kv + nvar;
  double* Dh = ubv + nvar;
  double* Dn = Dh + nvar;
  double* lam = P->lambda;
  double  scale = inf_norm(P->b, n);
  if (!(scale == scale)) return SL_SO_NUMERIC;
  double tol = o->tol * (scale > 1.0 ? scale : 1.0);
  double c0 = o->contact_c0;
  int    v = 0;
  for (int bl = 0; bl < P->nblock; bl++) {
    const slSoBlock* B = &P->block[bl];
    for (int i = 0; i < B->n; i++, v++) {
      double F = B->fmax[i];
      kv[v] = F * F * 0.5 / weight(B, i);
      ubv[v] = ubscale * F;
    }
  }
  for (int j = 0; j < P->nc; j++, v++) {
    kv[v] = c0 * c0 * 0.5;
    ubv[v] = INFINITY;
  }
  project(P, lam, sv);
  *cost = p2_evaluate(P, lam, sv, kv, ubv, grad);
  // A cheap predictor for the warm start: the previous posture's multipliers are kept only when
  // their residual is below ten times that of no multipliers at all (|b|); else the solve starts
  // cold (every unknown active at first). Between unrelated postures (random batches) the
  // previous active set is often a worse guess than none. Iterations per random posture of
  // the bench for thresholds 1, 2, 3, 5, 10, 30: 6.00, 5.93, 5.95, 6.01, 6.22, 6.46 (never:
  // 6.50, always cold: 6.32); but along the cycles of rank (extrapolated starts) a low threshold
  // also discards good starts: all rank iterations 3298, 3224, 3144 for 2, 5, 10 (never: 3124).
  // 10 is the one that costs the cycles nothing measurable.
  if (!cold && inf_norm(grad, n) >= 10.0 * scale) {
    memset(lam, 0, sizeof(double) * (size_t)n);
    cold = 1;
    project(P, lam, sv);
    *cost = p2_evaluate(P, lam, sv, kv, ubv, grad);
  }
  int    status = SL_SO_MAXITER, it, stall = 0;
  double best = INFINITY;
  for (it = 0; it < o->maxiter; it++) {
    double rn = inf_norm(grad, n);
    if (!(rn == rn)) return SL_SO_NUMERIC;
    if (newton_done(rn, tol, scale, &best, &stall)) {
      status = SL_SO_CONVERGED;
      break;
    }
    p2_hessian(P, sv, kv, ubv, Dh, Dn, Hs, it == 0, cold && it == 0);
    memcpy(H, Hs, sizeof(double) * (size_t)n * (size_t)n);
    memcpy(step, grad, sizeof(double) * (size_t)n);
    int info = sl_la_potrf((slLinalg)o->linalg, n, H);
    if (info == 0) info = sl_la_potrs((slLinalg)o->linalg, n, H, step);
    if (info != 0) return SL_SO_NUMERIC;
    double d0 = 0.0;
    for (int k = 0; k < n; k++) d0 += grad[k] * step[k];
    if (!(d0 > 0.0)) return SL_SO_NUMERIC;
    project(P, step, dsv);
    double t = p2_line_search(P, lam, step, sv, dsv, kv, ubv, d0);
    for (int k = 0; k < n; k++) lam[k] += t * step[k];
    for (int w = 0; w < nvar; w++) sv[w] += t * dsv[w];
    *cost = p2_evaluate(P, lam, sv, kv, ubv, grad);
  }
  *iters += it;
  *resid = inf_norm(grad, n);
  return status;
}

// One power-criterion solve with bounds ubscale * F. The line search is exact: along the Newton
// direction the dual is concave and its directional derivative is monotone (piecewise linear for
// p = 2), so its root is found by regula falsi (Illinois), which lands exactly on a linear piece.
// This avoids the active-set zig-zag of plain backtracking when muscles saturate.
static int solve_power(const slSoProblem* P, const slSoOpt* o, double p, double ubscale, int cold,
                       double* work, int* iters, double* resid, double* cost) {
  if (p == 2.0) return solve_p2(P, o, ubscale, cold, work, iters, resid, cost);
  int     n = P->neq, nvar = unknowns(P);
  double* H = work;
  double* grad = H + (size_t)n * (size_t)n;
  double* step = grad + n;
  double* sv = step + n;
  double* dsv = sv + nvar;
  double* lam = P->lambda;
  double  scale = inf_norm(P->b, n);
  if (!(scale == scale)) return SL_SO_NUMERIC;
  double tol = o->tol * (scale > 1.0 ? scale : 1.0);
  *cost = evaluate(P, p, ubscale, lam, o->contact_c0, grad, sv);
  int    status = SL_SO_MAXITER, it, stall = 0;
  double best = INFINITY;
  for (it = 0; it < o->maxiter; it++) {
    double rn = inf_norm(grad, n);
    if (!(rn == rn)) return SL_SO_NUMERIC;
    if (newton_done(rn, tol, scale, &best, &stall)) {
      status = SL_SO_CONVERGED;
      break;
    }
    // Newton step: (A D A' + R0) step = grad
    hessian(P, p, ubscale, sv, o->contact_c0, H, cold && it == 0);
    memcpy(step, grad, sizeof(double) * (size_t)n);
    int info = sl_la_potrf((slLinalg)o->linalg, n, H);
    if (info == 0) info = sl_la_potrs((slLinalg)o->linalg, n, H, step);
    if (info != 0) return SL_SO_NUMERIC;
    double d0 = 0.0, db = 0.0;
    for (int k = 0; k < n; k++) {
      d0 += grad[k] * step[k];
      db += step[k] * P->b[k];
    }
    if (!(d0 > 0.0)) return SL_SO_NUMERIC;
    project(P, step, dsv);
    GenLine c = {P, p, ubscale, lam, step, o->contact_c0, sv, dsv, db};
    double  d1 = gen_line_dd(&c, 1.0);
    double  t = d1 < 0.0 ? regula_falsi(d0, d1, gen_line_dd, &c) : 1.0;
    for (int k = 0; k < n; k++) lam[k] += t * step[k];
    *cost = evaluate(P, p, ubscale, lam, o->contact_c0, grad, sv);
  }
  *iters += it;
  *resid = inf_norm(grad, n);
  return status;
}

void sl_so_solve(const slSoProblem* P, const slSoOpt* o, double* work, slSoResult* res) {
  int n = P->neq;
  memset(res, 0, sizeof *res);
  int cold = !o->warm;
  for (int k = 0; k < n && !cold; k++)
    if (!(P->lambda[k] == P->lambda[k])) cold = 1;
  if (cold) memset(P->lambda, 0, sizeof(double) * (size_t)n);
  int    st;
  double cost = 0.0;
  if (o->criterion == SL_CRIT_MINMAX) {
    // bisection on the activation bound; feasible = no reserve above the flag level
    double lo = 0.0, hi = 1.0;
    st = solve_power(P, o, 2.0, hi, cold, work, &res->iter, &res->resid, &cost);
    double rmax = inf_norm(P->r, n);
    if (st == SL_SO_CONVERGED && rmax <= o->reserve_flag) {
      for (int b = 0; b < 14; b++) {
        double mid = 0.5 * (lo + hi);
        int    s2 = solve_power(P, o, 2.0, mid, 0, work, &res->iter, &res->resid, &cost);
        if (s2 == SL_SO_CONVERGED && inf_norm(P->r, n) <= o->reserve_flag)
          hi = mid;
        else
          lo = mid;
      }
      st = solve_power(P, o, 2.0, hi, 0, work, &res->iter, &res->resid, &cost);
    }
    cost = 0.0;
    for (int bl = 0; bl < P->nblock; bl++)
      for (int i = 0; i < P->block[bl].n; i++) {
        double a = P->block[bl].f[i] / P->block[bl].fmax[i];
        if (a > cost) cost = a;
      }
  } else {
    double p = o->criterion == SL_CRIT_P3 ? 3.0 : 2.0;
    st = solve_power(P, o, p, 1.0, cold, work, &res->iter, &res->resid, &cost);
  }
  res->cost = cost;
  res->max_reserve = inf_norm(P->r, n);
  if (st == SL_SO_CONVERGED && res->max_reserve > o->reserve_flag) st = SL_SO_RESERVE;
  res->status = st;
}
