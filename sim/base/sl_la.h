// sl_la.h: dense linear algebra for the per-posture systems. sl_la.c is the only file that
// includes cblas.h / lapacke.h.
//
// Two implementations of the same Cholesky factor/solve, column-major, upper triangle:
//   SL_LA_BUILTIN  plain C loops (the default): the project compiles with strict IEEE evaluation
//                  (-ffp-contract=off), so their bits are the same on every x86-64 machine
//   SL_LA_LAPACK   LAPACKE dpotrf_work / dpotrs_work on OpenBLAS (solver.linalg=lapack)
// Both give the same answers to round-off, and either is bit-identical across thread counts. Only
// the built-in one is also bit-identical across machines: OpenBLAS picks its kernels by CPU at run
// time (on a CPU that OpenBLAS 0.3.21 does not know it falls back to its Prescott kernels, whose
// last bits differ from the SkylakeX ones), so a cluster of mixed nodes would not agree.
#ifndef SL_LA_H
#define SL_LA_H

typedef enum slLinalg { SL_LA_BUILTIN = 0, SL_LA_LAPACK = 1 } slLinalg;

// Cholesky factor of the n x n symmetric matrix A (column-major, upper triangle) in place.
// Returns 0 on success, > 0 if not positive definite (a numerical outcome), < 0 on a bug.
int sl_la_potrf(slLinalg impl, int n, double* A);
// Solve A x = b with the factor from sl_la_potrf; b (n) overwritten by x. Returns 0 or info.
int sl_la_potrs(slLinalg impl, int n, const double* A, double* b);
// Eigen-decomposition of the symmetric n x n matrix A (row- or column-major alike; all of it is
// read and overwritten) by cyclic Jacobi rotations, built-in only (the same bits everywhere):
// w (n) the eigenvalues, unsorted, V (n x n) the eigenvectors, V[i n + k] component i of the
// k-th. Returns 0, or 1 if it did not converge in 60 sweeps.
int sl_la_syevj(int n, double* A, double* w, double* V);
// The least-norm least-squares solution of J x = b (J: nr x nc, row-major, nc <= 64) restricted
// to the directions whose singular value s has s^2 >= cut2: x = sum of v (v . J'b) / l over the
// eigenpairs (l, v) of J'J with l >= cut2. The directions below the cut are left out instead of
// being followed by a rate of order |b| / s, so |x| <= |b| / sqrt(cut2). Returns 0, 1 if the
// eigen-solve did not converge, < 0 on a bad size.
#define SL_LA_LSQ_MAXC 64
int sl_la_lsq_cut(int nr, int nc, const double* J, const double* b, double cut2, double* x);
// Make BLAS single-threaded (postures run on our own threads).
void sl_la_single_thread(void);
// The single-core floating-point rate of this machine: the best of reps n x n OpenBLAS dgemm
// calls on one thread (2 n^3 operations each), timed by clock [s]; in GFLOP/s (0 out of memory).
// Leaves BLAS single-threaded.
double sl_la_dgemm_gflops(int n, int reps, double (*clock)(void));
// the processor kernels OpenBLAS chose at start-up ("Prescott" is its generic x86-64 fallback,
// for a processor it does not recognise; OPENBLAS_CORETYPE overrides the choice)
const char* sl_la_core(void);
// OpenBLAS configuration string (for provenance)
const char* sl_la_config(void);

#endif
