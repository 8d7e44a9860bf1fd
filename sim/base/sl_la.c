// sl_la.c: the only file that includes cblas.h / lapacke.h.
#include "sl_la.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>

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
      // an exact zero changes nothing: no entry of the factor is ever -0 (sums of products that
      // start at +0 round a cancellation to +0), so c - w * (+0) = c to the bit, and skipping
      // it spares the zero blocks of a two-body Newton matrix (some 60 % of its updates)
      if (ukj == 0.0) continue;
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

// Cyclic Jacobi: rotations in each (p, q) plane in turn, each zeroing A(p, q), until the
// off-diagonal part is 1e-15 of the diagonal (Frobenius norms) or after 60 sweeps. Plain loops in
// a fixed order, so the bits are the same on every machine and thread count.
int sl_la_syevj(int n, double* A, double* w, double* V) {
  if (n < 0) return -1;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) V[i * n + j] = i == j ? 1.0 : 0.0;
  int converged = 0;
  for (int sweep = 0; sweep < 60; sweep++) {
    double off = 0.0, dia = 0.0;
    for (int p = 0; p < n; p++) {
      dia += A[p * n + p] * A[p * n + p];
      for (int q = p + 1; q < n; q++) off += A[p * n + q] * A[p * n + q];
    }
    if ((converged = off <= 1e-30 * dia)) break;
    for (int p = 0; p < n; p++)
      for (int q = p + 1; q < n; q++) {
        double apq = A[p * n + q];
        if (apq == 0.0) continue;
        // t = tan of the angle that zeroes A(p, q): the smaller root of t^2 + 2 theta t - 1 = 0
        double theta = (A[q * n + q] - A[p * n + p]) / (2.0 * apq);
        double t = fabs(theta) > 1e150
                       ? 0.5 / theta
                       : (theta >= 0.0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
        double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < n; k++) {  // columns p and q
          double akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {  // rows p and q
          double apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = A[q * n + p] = 0.0;
        for (int k = 0; k < n; k++) {
          double vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  for (int i = 0; i < n; i++) w[i] = A[i * n + i];
  return converged ? 0 : 1;
}

int sl_la_lsq_cut(int nr, int nc, const double* J, const double* b, double cut2, double* x) {
  double N[SL_LA_LSQ_MAXC * SL_LA_LSQ_MAXC], V[SL_LA_LSQ_MAXC * SL_LA_LSQ_MAXC], l[SL_LA_LSQ_MAXC],
      g[SL_LA_LSQ_MAXC];
  if (nr < 0 || nc < 0 || nc > SL_LA_LSQ_MAXC) return -1;
  for (int c1 = 0; c1 < nc; c1++) {
    double s = 0.0;
    for (int i = 0; i < nr; i++) s += J[i * nc + c1] * b[i];
    g[c1] = s;
    x[c1] = 0.0;
    for (int c2 = c1; c2 < nc; c2++) {
      double t = 0.0;
      for (int i = 0; i < nr; i++) t += J[i * nc + c1] * J[i * nc + c2];
      N[c1 * nc + c2] = N[c2 * nc + c1] = t;
    }
  }
  if (sl_la_syevj(nc, N, l, V)) return 1;
  for (int k = 0; k < nc; k++) {
    if (!(l[k] >= cut2)) continue;
    double p = 0.0;
    for (int c = 0; c < nc; c++) p += V[c * nc + k] * g[c];
    p /= l[k];
    for (int c = 0; c < nc; c++) x[c] += V[c * nc + k] * p;
  }
  return 0;
}
