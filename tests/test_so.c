// test_so.c: the static-optimisation kernel: an exact active-set reference on small random
// problems, KKT conditions, equilibrium, bounds, p = 3 and min/max, linear scaling.
// covers: sl_so
#include <stdlib.h>
#include <string.h>

#include "sl_so.h"
#include "testutil.h"

static double urand(unsigned* s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xFFFFFF) / (double)0xFFFFFF;
}

// dense Gaussian elimination with partial pivoting (reference only)
static int gauss(int n, double* A, double* b) {
  for (int c = 0; c < n; c++) {
    int p = c;
    for (int r = c + 1; r < n; r++)
      if (fabs(A[r * n + c]) > fabs(A[p * n + c])) p = r;
    if (fabs(A[p * n + c]) < 1e-300) return -1;
    for (int k = 0; k < n; k++) {
      double t = A[c * n + k];
      A[c * n + k] = A[p * n + k];
      A[p * n + k] = t;
    }
    double t = b[c];
    b[c] = b[p];
    b[p] = t;
    for (int r = c + 1; r < n; r++) {
      double f = A[r * n + c] / A[c * n + c];
      for (int k = c; k < n; k++) A[r * n + k] -= f * A[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (int c = n - 1; c >= 0; c--) {
    for (int k = c + 1; k < n; k++) b[c] -= A[c * n + k] * b[k];
    b[c] /= A[c * n + c];
  }
  return 0;
}

// Exact reference for p = 2: enumerate every active set (lower / free / upper per muscle) and
// return the one satisfying all KKT conditions.
static int reference_p2(int neq, int nm, const double* A, const double* F, const double* b,
                        double r0, double* f) {
  int combos = 1;
  for (int i = 0; i < nm; i++) combos *= 3;
  double H[36], rhs[6];
  for (int c = 0; c < combos; c++) {
    int st[16], cc = c;
    for (int i = 0; i < nm; i++) st[i] = cc % 3, cc /= 3;
    memset(H, 0, sizeof H);
    for (int k = 0; k < neq; k++) {
      rhs[k] = b[k];
      H[k * neq + k] = r0 * r0 / 2;
    }
    for (int i = 0; i < nm; i++) {
      const double* a = A + i * neq;
      if (st[i] == 2)
        for (int k = 0; k < neq; k++) rhs[k] -= a[k] * F[i];
      if (st[i] == 1)
        for (int r = 0; r < neq; r++)
          for (int k = 0; k < neq; k++) H[r * neq + k] += F[i] * F[i] / 2 * a[r] * a[k];
    }
    if (gauss(neq, H, rhs)) continue;
    int ok = 1;
    for (int i = 0; i < nm && ok; i++) {
      const double* a = A + i * neq;
      double        s = 0;
      for (int k = 0; k < neq; k++) s += a[k] * rhs[k];
      double fi = st[i] == 0 ? 0 : st[i] == 2 ? F[i] : s * F[i] * F[i] / 2;
      if (st[i] == 0 && s > 1e-12) ok = 0;                           // would rather be positive
      if (st[i] == 2 && s < 2 / F[i] - 1e-12) ok = 0;                // would rather be below F
      if (st[i] == 1 && (fi < -1e-12 || fi > F[i] + 1e-12)) ok = 0;  // free but out of bounds
      f[i] = fi;
    }
    if (ok) return 0;
  }
  return -1;
}

typedef struct Prob {
  int    neq, nm;
  double A[16 * 6], F[16], b[6], f[16], r[6], lam[6], r0[6], work[512];
  int    row0[16], nrow[16];
} Prob;

static void setup(Prob* P, slSoProblem* S) {
  memset(S, 0, sizeof *S);
  S->neq = P->neq;
  S->b = P->b;
  S->nblock = 1;
  slSoBlock* B = &S->block[0];
  B->n = P->nm;
  B->rowbase = 0;
  B->ld = P->neq;
  B->A = P->A;
  B->row0 = P->row0;
  B->nrow = P->nrow;
  B->fmax = P->F;
  B->f = P->f;
  S->r0 = P->r0;
  S->r = P->r;
  S->lambda = P->lam;
  for (int i = 0; i < P->nm; i++) P->row0[i] = 0, P->nrow[i] = P->neq;
  for (int k = 0; k < P->neq; k++) P->r0[k] = 0.01;
}

static void random_problem(Prob* P, unsigned* seed, double bscale) {
  P->neq = 2 + (int)(urand(seed) * 4);  // 2..5
  P->nm = 4 + (int)(urand(seed) * 5);   // 4..8
  for (int i = 0; i < P->nm; i++) {
    P->F[i] = 50 + 500 * urand(seed);
    for (int k = 0; k < P->neq; k++) P->A[i * P->neq + k] = 0.1 * (urand(seed) - 0.5);
  }
  for (int k = 0; k < P->neq; k++) P->b[k] = bscale * (urand(seed) - 0.5);
}

static void test_reference_random(void** state) {
  (void)state;
  unsigned seed = 5;
  int      saturated = 0, compared = 0;
  for (int trial = 0; trial < 300; trial++) {
    Prob P;
    random_problem(&P, &seed, trial % 3 == 0 ? 80 : 20);
    slSoProblem S;
    setup(&P, &S);
    slSoOpt o = sl_so_opt_default();
    o.warm = 0;
    slSoResult res;
    assert_true(sl_so_work_size(P.neq, P.nm) <= 512);
    sl_so_solve(&S, &o, P.work, &res);
    if (!(res.status == SL_SO_CONVERGED || res.status == SL_SO_RESERVE))
      fail_msg("trial %d: status %d after %d iterations, residual %g", trial, res.status, res.iter,
               res.resid);
    double ref[16];
    assert_int_equal(reference_p2(P.neq, P.nm, P.A, P.F, P.b, 0.01, ref), 0);
    for (int i = 0; i < P.nm; i++) {
      assert_near(P.f[i], ref[i], 1e-6, 1e-6);
      saturated += ref[i] >= P.F[i] - 1e-9;
    }
    compared++;
    // equilibrium with reserves, relative to |b|
    double bn = 0;
    for (int k = 0; k < P.neq; k++) bn = fmax(bn, fabs(P.b[k]));
    for (int k = 0; k < P.neq; k++) {
      double s = P.r[k];
      for (int i = 0; i < P.nm; i++) s += P.A[i * P.neq + k] * P.f[i];
      assert_near(s, P.b[k], 1e-8 * fmax(1.0, bn), 0);
    }
  }
  assert_int_equal(compared, 300);
  assert_true(saturated > 0);  // the bound case was exercised
}

// warm-started from the previous, unrelated problem every time (as in a batch of random
// postures): the same exact answers; large demands after small ones and back exercise the
// fallback to a cold start, the others the kept warm start and the updated Newton matrix
static void test_reference_warm_chain(void** state) {
  (void)state;
  unsigned seed = 11;
  double   lam[6] = {0};
  for (int trial = 0; trial < 300; trial++) {
    Prob P;
    random_problem(&P, &seed, trial % 7 == 0 ? 400 : trial % 3 == 0 ? 80 : 20);
    slSoProblem S;
    setup(&P, &S);
    memcpy(P.lam, lam, sizeof lam);
    slSoOpt o = sl_so_opt_default();
    o.warm = trial > 0;
    slSoResult res;
    sl_so_solve(&S, &o, P.work, &res);
    if (!(res.status == SL_SO_CONVERGED || res.status == SL_SO_RESERVE))
      fail_msg("trial %d: status %d after %d iterations", trial, res.status, res.iter);
    double ref[16];
    assert_int_equal(reference_p2(P.neq, P.nm, P.A, P.F, P.b, 0.01, ref), 0);
    for (int i = 0; i < P.nm; i++) assert_near(P.f[i], ref[i], 1e-6, 1e-6);
    memcpy(lam, P.lam, sizeof lam);
  }
}

// KKT for p = 2 and p = 3 from the multipliers the solver returns
static void check_kkt(Prob* P, double p) {
  for (int i = 0; i < P->nm; i++) {
    double s = 0;
    for (int k = 0; k < P->neq; k++) s += P->A[i * P->neq + k] * P->lam[k];
    double F = P->F[i], f = P->f[i];
    assert_true(f >= 0 && f <= F);
    double grad = p * pow(f / F, p - 1) / F;  // d/df (f/F)^p
    if (f > 1e-9 && f < F - 1e-9) assert_near(grad, s, 1e-7, 1e-6);
    if (f <= 1e-9) assert_true(s <= 1e-7);
    if (f >= F - 1e-9) assert_true(s >= grad - 1e-7);
  }
  for (int k = 0; k < P->neq; k++)
    assert_near(P->r[k], P->lam[k] * P->r0[k] * P->r0[k] / 2, 1e-12, 1e-9);
}

static void test_kkt_p2_p3(void** state) {
  (void)state;
  unsigned seed = 9;
  for (int crit = 0; crit < 2; crit++)
    for (int trial = 0; trial < 100; trial++) {
      Prob P;
      random_problem(&P, &seed, 20);
      slSoProblem S;
      setup(&P, &S);
      slSoOpt o = sl_so_opt_default();
      o.criterion = crit ? SL_CRIT_P3 : SL_CRIT_P2;
      o.warm = 0;
      slSoResult res;
      sl_so_solve(&S, &o, P.work, &res);
      if (!(res.status == SL_SO_CONVERGED || res.status == SL_SO_RESERVE))
        fail_msg("crit %d trial %d: status %d after %d iterations, residual %g", crit, trial,
                 res.status, res.iter, res.resid);
      check_kkt(&P, crit ? 3.0 : 2.0);
    }
}

// min/max: the largest activation is not above the p = 2 answer's, and lowering the bound any
// further would need reserves
static void test_minmax(void** state) {
  (void)state;
  unsigned seed = 21;
  int      tested = 0;
  for (int trial = 0; trial < 60; trial++) {
    Prob P;
    random_problem(&P, &seed, 10);
    slSoProblem S;
    setup(&P, &S);
    slSoOpt o = sl_so_opt_default();
    o.warm = 0;
    slSoResult r2, rm;
    sl_so_solve(&S, &o, P.work, &r2);
    if (r2.status != SL_SO_CONVERGED) continue;
    double amax2 = 0;
    for (int i = 0; i < P.nm; i++) amax2 = fmax(amax2, P.f[i] / P.F[i]);
    o.criterion = SL_CRIT_MINMAX;
    sl_so_solve(&S, &o, P.work, &rm);
    assert_int_equal(rm.status, SL_SO_CONVERGED);
    double amaxm = 0;
    for (int i = 0; i < P.nm; i++) amaxm = fmax(amaxm, P.f[i] / P.F[i]);
    assert_near(rm.cost, amaxm, 1e-12, 0);
    assert_true(amaxm <= amax2 + 1e-9);
    tested++;
  }
  assert_true(tested > 20);
}

// warm start reaches the same answer, in fewer iterations
static void test_warm_start(void** state) {
  (void)state;
  unsigned seed = 33;
  Prob     P;
  random_problem(&P, &seed, 20);
  slSoProblem S;
  setup(&P, &S);
  slSoOpt o = sl_so_opt_default();
  o.warm = 0;
  slSoResult a, b;
  sl_so_solve(&S, &o, P.work, &a);
  double f0[16];
  memcpy(f0, P.f, sizeof f0);
  P.b[0] *= 1.01;  // a neighbouring posture
  o.warm = 1;
  sl_so_solve(&S, &o, P.work, &b);
  assert_true(b.iter <= a.iter);
  P.b[0] /= 1.01;
  sl_so_solve(&S, &o, P.work, &b);
  for (int i = 0; i < P.nm; i++) assert_near(P.f[i], f0[i], 1e-8, 1e-8);
}

// p = 2 with no active bound is linear: doubling the demand doubles every force
static void test_linear_scaling(void** state) {
  (void)state;
  unsigned seed = 41;
  int      tested = 0;
  for (int trial = 0; trial < 50; trial++) {
    Prob P;
    random_problem(&P, &seed, 2);
    slSoProblem S;
    setup(&P, &S);
    slSoOpt o = sl_so_opt_default();
    o.warm = 0;
    o.tol = 1e-13;  // compare to 1e-9: solve well below that
    slSoResult r;
    sl_so_solve(&S, &o, P.work, &r);
    double f1[16], amax = 0;
    memcpy(f1, P.f, sizeof f1);
    for (int k = 0; k < P.neq; k++) P.b[k] *= 2;
    sl_so_solve(&S, &o, P.work, &r);
    for (int i = 0; i < P.nm; i++) amax = fmax(amax, P.f[i] / P.F[i]);
    // the muscle-feasible, linear range: no bound active and no reserve needed
    if (amax >= 1.0 - 1e-12 || r.status != SL_SO_CONVERGED) continue;
    for (int i = 0; i < P.nm; i++) assert_near(P.f[i], 2 * f1[i], 1e-9, 1e-9);
    tested++;
  }
  assert_true(tested > 10);
}

// non-finite input is a numerical outcome, never a crash
static void test_nan_input(void** state) {
  (void)state;
  unsigned seed = 2;
  Prob     P;
  random_problem(&P, &seed, 10);
  P.b[0] = NAN;
  slSoProblem S;
  setup(&P, &S);
  slSoOpt    o = sl_so_opt_default();
  slSoResult r;
  sl_so_solve(&S, &o, P.work, &r);
  assert_int_equal(r.status, SL_SO_NUMERIC);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_random),
      cmocka_unit_test(test_kkt_p2_p3),
      cmocka_unit_test(test_minmax),
      cmocka_unit_test(test_warm_start),
      cmocka_unit_test(test_linear_scaling),
      cmocka_unit_test(test_nan_input),
      cmocka_unit_test(test_reference_warm_chain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
