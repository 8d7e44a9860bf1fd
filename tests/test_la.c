// test_la.c: the Cholesky factor and solve, built-in loop (the default) and LAPACKE, on random SPD
// systems (residual of the solve), agreement of the two, and a matrix that is not positive
// definite.
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_spd),
      cmocka_unit_test(test_known),
      cmocka_unit_test(test_not_spd),
      cmocka_unit_test(test_config),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
