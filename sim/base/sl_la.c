// sl_la.c: the only file that includes cblas.h / lapacke.h.
#include "sl_la.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

// upper Cholesky A = U'U, column-major: U(i,j) at A[i + j n], i <= j
static int chol_builtin(int n, double* A) {
  for (int j = 0; j < n; j++) {
    double* cj = A + (size_t)j * (size_t)n;
    for (int i = 0; i < j; i++) {
      const double* ci = A + (size_t)i * (size_t)n;
      double        s = cj[i];
      for (int k = 0; k < i; k++) s -= ci[k] * cj[k];
      cj[i] = s / ci[i];
    }
    double d = cj[j];
    for (int k = 0; k < j; k++) d -= cj[k] * cj[k];
    if (!(d > 0.0)) return j + 1;
    cj[j] = sqrt(d);
  }
  return 0;
}

static void solve_builtin(int n, const double* A, double* b) {
  // U' y = b
  for (int i = 0; i < n; i++) {
    const double* ci = A + (size_t)i * (size_t)n;
    double        s = b[i];
    for (int k = 0; k < i; k++) s -= ci[k] * b[k];
    b[i] = s / ci[i];
  }
  // U x = y
  for (int i = n - 1; i >= 0; i--) {
    double s = b[i];
    for (int k = i + 1; k < n; k++) s -= A[i + (size_t)k * (size_t)n] * b[k];
    b[i] = s / A[i + (size_t)i * (size_t)n];
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
