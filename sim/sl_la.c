// sl_la.c: the only file that includes cblas.h / lapacke.h.
#include "sl_la.h"

#include <cblas.h>
#include <lapacke.h>

int sl_la_potrf(int n, double* A) {
  return (int)LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', n, A, n);
}

int sl_la_potrs(int n, const double* A, double* b) {
  return (int)LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'U', n, 1, A, n, b, n);
}

void sl_la_single_thread(void) {
  openblas_set_num_threads(1);
}

const char* sl_la_config(void) {
  return openblas_get_config();
}
