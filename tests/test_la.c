// test_la.c: the Cholesky factor and solve, built-in loop (the default) and LAPACKE, on random SPD
// systems (residual of the solve), agreement of the two, and a matrix that is not positive
// definite; the Jacobi eigen-decomposition (A V = V diag(w), V orthonormal) and the cut
// least-squares solve built on it (exact where J is well conditioned, a direction below the cut
// left out, the least-squares solution of an overdetermined system).
// covers: sl_la
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_la.h"
#include "testutil.h"

enum { NMAX = 40 };

// a small deterministic generator (the tests must not depend on the C library's rand)
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double   urand(void) {
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng_state >> 11) / 9007199254740992.0;  // [0, 1)
}

// A = B'B + n I (column-major, both triangles filled), well conditioned and SPD
static void random_spd(int n, double* A) {
  double B[NMAX * NMAX];
  for (int k = 0; k < n * n; k++) B[k] = 2 * urand() - 1;
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      double s = i == j ? n : 0.0;
      for (int k = 0; k < n; k++) s += B[k + i * n] * B[k + j * n];
      A[i + j * n] = s;
    }
}

// max |A x - b| / max |b|, A the original (full) matrix
static double residual(int n, const double* A, const double* x, const double* b) {
  double r = 0, bn = 0;
  for (int i = 0; i < n; i++) {
    double s = -b[i];
    for (int j = 0; j < n; j++) s += A[i + j * n] * x[j];
    r = fmax(r, fabs(s));
    bn = fmax(bn, fabs(b[i]));
  }
  return r / bn;
}

static void solve(slLinalg impl, int n, const double* A, const double* b, double* x, double* F) {
  memcpy(F, A, sizeof(double) * (size_t)(n * n));
  assert_int_equal(sl_la_potrf(impl, n, F), 0);
  memcpy(x, b, sizeof(double) * (size_t)n);
  assert_int_equal(sl_la_potrs(impl, n, F, x), 0);
}

static void test_random_spd(void** state) {
  (void)state;
  const int sizes[] = {1, 2, 3, 7, 18, 33, NMAX};
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
    int    n = sizes[t];
    double A[NMAX * NMAX], F[2][NMAX * NMAX], b[NMAX], x[2][NMAX];
    for (int rep = 0; rep < 5; rep++) {
      random_spd(n, A);
      for (int i = 0; i < n; i++) b[i] = 10 * urand() - 5;
      solve(SL_LA_BUILTIN, n, A, b, x[0], F[0]);
      solve(SL_LA_LAPACK, n, A, b, x[1], F[1]);
      for (int k = 0; k < 2; k++)
        if (residual(n, A, x[k], b) > 1e-13)
          fail_msg("n %d impl %d: residual %g", n, k, residual(n, A, x[k], b));
      // the same answer to round-off, and the same factor in the upper triangle
      double xn = 0;
      for (int i = 0; i < n; i++) xn = fmax(xn, fabs(x[0][i]));
      for (int i = 0; i < n; i++) assert_near(x[0][i], x[1][i], 1e-13 * xn, 0);
      for (int j = 0; j < n; j++)
        for (int i = 0; i <= j; i++) {
          assert_near(F[0][i + j * n], F[1][i + j * n], 1e-12 * sqrt((double)n), 1e-12);
          if (i == j) assert_true(F[0][i + j * n] > 0);
        }
    }
  }
}

// a known factor: A = U'U with U = [2 1; 0 3] gives A = [4 2; 2 10]; A x = [8, 22] has x = [1, 2]
static void test_known(void** state) {
  (void)state;
  for (int impl = 0; impl < 2; impl++) {
    double A[4] = {4, 2, 2, 10}, b[2] = {8, 22};
    assert_int_equal(sl_la_potrf((slLinalg)impl, 2, A), 0);
    assert_near(A[0], 2, 1e-15, 0);
    assert_near(A[2], 1, 1e-15, 0);
    assert_near(A[3], 3, 1e-15, 0);
    assert_int_equal(sl_la_potrs((slLinalg)impl, 2, A, b), 0);
    assert_near(b[0], 1, 1e-15, 0);
    assert_near(b[1], 2, 1e-15, 0);
  }
}

// not positive definite: the info is the order of the first minor that is not
static void test_not_spd(void** state) {
  (void)state;
  for (int impl = 0; impl < 2; impl++) {
    // eigenvalues 3 and -1
    double A[4] = {1, 2, 2, 1};
    assert_int_equal(sl_la_potrf((slLinalg)impl, 2, A), 2);
    // negative first pivot
    double B[4] = {-1, 0, 0, 1};
    assert_int_equal(sl_la_potrf((slLinalg)impl, 2, B), 1);
    // singular (rank 1) 3 x 3: the third minor is zero
    double C[9] = {1, 1, 1, 1, 2, 2, 1, 2, 2};
    assert_int_equal(sl_la_potrf((slLinalg)impl, 3, C), 3);
    // a random SPD matrix with one diagonal entry made negative
    double D[NMAX * NMAX];
    random_spd(10, D);
    D[6 + 6 * 10] = -1;
    int info = sl_la_potrf((slLinalg)impl, 10, D);
    assert_int_equal(info, 7);
  }
  // a NaN is not positive
  double E[1] = {NAN};
  assert_true(sl_la_potrf(SL_LA_BUILTIN, 1, E) > 0);
  // beyond the built-in loop's size (256; the solver's systems have at most 176 rows) it
  // refuses (< 0) and leaves the matrix alone
  int     big = 257;
  double* G = calloc((size_t)big * (size_t)big, sizeof(double));
  assert_non_null(G);
  for (int i = 0; i < big; i++) G[i + (size_t)i * (size_t)big] = 1.0;
  assert_true(sl_la_potrf(SL_LA_BUILTIN, big, G) < 0);
  assert_true(G[0] == 1.0);
  free(G);
}

static void test_config(void** state) {
  (void)state;
  sl_la_single_thread();
  const char* c = sl_la_config();
  assert_non_null(c);
  assert_true(strlen(c) > 0);
}

// random symmetric matrices, full rank and rank-deficient (B'B with fewer rows than columns)
static void test_syevj(void** state) {
  (void)state;
  for (int trial = 0; trial < 6; trial++) {
    int    n = 2 + 3 * trial, rows = trial % 2 ? n - 2 : n + 1;
    double B[NMAX * NMAX], A[NMAX * NMAX], A0[NMAX * NMAX], V[NMAX * NMAX], w[NMAX], big = 0;
    for (int k = 0; k < rows * n; k++) B[k] = 2 * urand() - 1;
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < rows; k++) s += B[k * n + i] * B[k * n + j];
        A[i * n + j] = A0[i * n + j] = s;
        big = fmax(big, fabs(s));
      }
    assert_int_equal(sl_la_syevj(n, A, w, V), 0);
    int nzero = 0;
    for (int k = 0; k < n; k++) {
      nzero += fabs(w[k]) < 1e-12 * big;
      for (int i = 0; i < n; i++) {
        double av = 0, dot = 0;
        for (int j = 0; j < n; j++) av += A0[i * n + j] * V[j * n + k];
        assert_true(fabs(av - w[k] * V[i * n + k]) < 1e-12 * big);
        for (int j = 0; j < n; j++) dot += V[j * n + i] * V[j * n + k];
        assert_true(fabs(dot - (i == k)) < 1e-13);
      }
    }
    // B'B with rows < n has n - rows zero eigenvalues
    assert_int_equal(nzero, rows < n ? n - rows : 0);
  }
  double K[4] = {2, 1, 1, 2}, V[4], w[2];
  assert_int_equal(sl_la_syevj(2, K, w, V), 0);
  assert_true(fabs(fmin(w[0], w[1]) - 1) < 1e-15 && fabs(fmax(w[0], w[1]) - 3) < 1e-15);
}

static void test_lsq_cut(void** state) {
  (void)state;
  // well conditioned, consistent (3 x 5, full row rank): J x = b, and x is the least-norm one
  // (in the row space of J: x = J'y)
  double J[15], b[3], x[5];
  for (int k = 0; k < 15; k++) J[k] = 2 * urand() - 1;
  for (int i = 0; i < 3; i++) b[i] = 2 * urand() - 1;
  assert_int_equal(sl_la_lsq_cut(3, 5, J, b, 1e-4, x), 0);
  for (int i = 0; i < 3; i++) {
    double s = -b[i];
    for (int c = 0; c < 5; c++) s += J[i * 5 + c] * x[c];
    assert_true(fabs(s) < 1e-13);
  }
  double y[3] = {0, 0, 0}, JJ[9];  // y = (J J')^-1 J x; then J'y must equal x
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      double s = 0;
      for (int c = 0; c < 5; c++) s += J[i * 5 + c] * J[j * 5 + c];
      JJ[i + 3 * j] = s;
    }
  for (int i = 0; i < 3; i++)
    for (int c = 0; c < 5; c++) y[i] += J[i * 5 + c] * x[c];
  assert_int_equal(sl_la_potrf(SL_LA_BUILTIN, 3, JJ), 0);
  assert_int_equal(sl_la_potrs(SL_LA_BUILTIN, 3, JJ, y), 0);
  for (int c = 0; c < 5; c++) {
    double s = 0;
    for (int i = 0; i < 3; i++) s += J[i * 5 + c] * y[i];
    assert_true(fabs(s - x[c]) < 1e-12);
  }
  // a nearly singular 2 x 2 (singular values 1 and 1e-4, below a cut of 1e-2): the exact
  // solution would be of order 1e4; the cut one keeps only the strong direction
  double c = cos(0.3), s = sin(0.3), D[4] = {c, -s * 1e-4, s, c * 1e-4}, e[2] = {0.5, 0.5}, z[2];
  assert_int_equal(sl_la_lsq_cut(2, 2, D, e, 1e-4, z), 0);
  double strong = 0.5 * c + 0.5 * s;  // e along the first left singular vector (c, s)
  assert_true(fabs(z[0] - strong) < 1e-12 && fabs(z[1]) < 1e-12);
  assert_true(fabs(z[0]) + fabs(z[1]) < 1.0);
  // the same with no cut follows both: z = D^-1 e, of order 1e3
  assert_int_equal(sl_la_lsq_cut(2, 2, D, e, 0.0, z), 0);
  assert_true(fabs(z[1]) > 1e3);
  // overdetermined (4 x 2): the least-squares solution, J'(J x - b) = 0
  double O[8], ob[4], ox[2];
  for (int k = 0; k < 8; k++) O[k] = 2 * urand() - 1;
  for (int i = 0; i < 4; i++) ob[i] = 2 * urand() - 1;
  assert_int_equal(sl_la_lsq_cut(4, 2, O, ob, 1e-4, ox), 0);
  for (int cc = 0; cc < 2; cc++) {
    double g = 0;
    for (int i = 0; i < 4; i++)
      g += O[i * 2 + cc] * (O[i * 2] * ox[0] + O[i * 2 + 1] * ox[1] - ob[i]);
    assert_true(fabs(g) < 1e-13);
  }
  assert_true(sl_la_lsq_cut(1, SL_LA_LSQ_MAXC + 1, O, ob, 0.0, ox) < 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_spd), cmocka_unit_test(test_known),
      cmocka_unit_test(test_not_spd),    cmocka_unit_test(test_config),
      cmocka_unit_test(test_syevj),      cmocka_unit_test(test_lsq_cut),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
