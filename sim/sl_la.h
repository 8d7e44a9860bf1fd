// sl_la.h: the only gateway to BLAS/LAPACK (OpenBLAS + LAPACKE). Column-major operands,
// LAPACKE *_work calls (no hidden allocation or NaN scans in the hot loop).
#ifndef SL_LA_H
#define SL_LA_H

// Cholesky factor of the n x n symmetric matrix A (column-major, upper triangle used) in place.
// Returns LAPACK's info: 0 ok, > 0 not positive definite (a numerical outcome), < 0 a bug.
int sl_la_potrf(int n, double* A);
// Solve A x = b with the factor from sl_la_potrf; b (n) overwritten by x. Returns info.
int sl_la_potrs(int n, const double* A, double* b);
// Make BLAS single-threaded (postures run on our own threads).
void sl_la_single_thread(void);
// OpenBLAS configuration string (for provenance)
const char* sl_la_config(void);

#endif
