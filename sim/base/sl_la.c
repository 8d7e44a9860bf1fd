// sl_la.c: the only file that includes cblas.h / lapacke.h.
#include "sl_la.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

// upper Cholesky A = U'U, column-major: U(i,j) at A[i + j n], i <= j. Right-looking: step k
// finishes row k of U and updates the trailing triangle column by column with axpys over a copy
// of that row. There is no reduction in the inner loop, so it vectorises under the strict IEEE
// evaluation the project compiles with (-ffp-contract=off, no reassociation), where the
// dot-product form does not; with n = 18 it is as fast as LAPACKE on OpenBLAS, and its bits do
// not depend on which kernels OpenBLAS picks for the CPU.
#define CHOL_MAXN 256
static int chol_builtin(int n, double* A) {
  double w[CHOL_MAXN];
  if (n > CHOL_MAXN) return -1;
  for (int k = 0; k < n; k++) {
    double* ck = A + (size_t)k * (size_t)n;
    double  d = ck[k];
    if (!(d > 0.0)) return k + 1;
    d = sqrt(d);
    ck[k] = d;
    double inv = 1.0 / d;
    for (int j = k + 1; j < n; j++) {
      double* u = A + k + (size_t)j * (size_t)n;
      *u *= inv;
      w[j] = *u;
    }
    for (int j = k + 1; j < n; j++) {
      double* cj = A + (size_t)j * (size_t)n;
      double  ukj = w[j];
      for (int i = k + 1; i <= j; i++) cj[i] -= w[i] * ukj;
    }
  }
  return 0;
}

static void solve_builtin(int n, const double* A, double* b) {
  // U' y = b (row i of U' is column i of U: a dot product)
  for (int i = 0; i < n; i++) {
    const double* ci = A + (size_t)i * (size_t)n;
    double        s = b[i];
    for (int k = 0; k < i; k++) s -= ci[k] * b[k];
    b[i] = s / ci[i];
  }
  // U x = y, by columns: x_j, then y_0..j-1 -= U(0..j-1, j) x_j
  for (int j = n - 1; j >= 0; j--) {
    const double* cj = A + (size_t)j * (size_t)n;
    double        x = b[j] / cj[j];
    b[j] = x;
    for (int i = 0; i < j; i++) b[i] -= cj[i] * x;
  }
}

int sl_la_potrf(slLinalg impl, int n, double* A) {
  if (impl == SL_LA_LAPACK) return (int)LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', n, A, n);
  return chol_builtin(n, A);
}

int sl_la_potrs(slLinalg impl, int n, const double* A, double* b) {
  if (impl == SL_LA_LAPACK)
    return (int)LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'U', n, 1, A, n, b, n);
  solve_builtin(n, A, b);
  return 0;
}

void sl_la_single_thread(void) {
  openblas_set_num_threads(1);
}

const char* sl_la_config(void) {
  return openblas_get_config();
}
