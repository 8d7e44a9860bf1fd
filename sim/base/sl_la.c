// sl_la.c: the only file that includes cblas.h / lapacke.h.
#include "sl_la.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>

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

const char* sl_la_core(void) {
  return openblas_get_corename();
}

const char* sl_la_config(void) {
  return openblas_get_config();
}

double sl_la_dgemm_gflops(int n, int reps, double (*clock)(void)) {
  size_t  nn = (size_t)n * (size_t)n;
  double* A = malloc(3 * nn * sizeof(double));
  if (!A || n < 1 || reps < 1) {
    free(A);
    return 0.0;
  }
  double* B = A + nn;
  double* C = B + nn;
  for (size_t i = 0; i < nn; i++) {  // values of order 1, no denormals
    A[i] = 1.0 + (double)(i % 7) * 0.125;
    B[i] = 1.0 - (double)(i % 5) * 0.0625;
    C[i] = 0.0;
  }
  openblas_set_num_threads(1);
  double best = INFINITY;
  for (int r = 0; r < reps; r++) {
    double t0 = clock();
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, A, n, B, n, 0.0, C, n);
    double t = clock() - t0;
    if (t < best) best = t;
  }
  free(A);
  return best > 0.0 ? 2.0 * (double)n * (double)n * (double)n / best * 1e-9 : 0.0;
}
