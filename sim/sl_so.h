// sl_so.h: the static-optimisation kernel (generic over bodies, contacts and reserves).
#ifndef SL_SO_H
#define SL_SO_H

#include "spineload.h"

#define SL_SO_MAXEQ 64  // equations (dual unknowns) at most: 2 bodies x (18 lumbar + 6 root)

// muscles of one body: column i holds the moment arms of muscle i about the body's equations,
// nonzero only on rows [row0[i], row0[i] + nrow[i]) of the block starting at rowbase
typedef struct slSoBlock {
  int           n;        // muscles
  int           rowbase;  // first equation of this body
  int           ld;       // stride between columns
  const double* A;        // (n x ld)
  const int*    row0;     // (n)
  const int*    nrow;     // (n)
  const double* fmax;     // (n) [N]
  double*       f;        // out: forces (n) [N]
} slSoBlock;

typedef struct slSoProblem {
  int           neq;
  const double* b;  // right-hand side (neq)
  int           nblock;
  slSoBlock     block[2];
  int           nc;      // non-negative contact variables (friction-pyramid edge weights)
  const double* Ac;      // their columns (nc x neq), nonzero only on rows [crow0, crow0 + cnrow)
  const int*    crow0;   // (nc) first nonzero row of each contact column
  const int*    cnrow;   // (nc) number of rows from crow0 to the last nonzero
  double*       c;       // out: (nc) [N]
  const double* r0;      // reserve scale per equation (neq): cost (r/r0)^2
  double*       r;       // out: reserves (neq)
  double*       lambda;  // in: warm start (when opt->warm); out: multipliers (neq)
} slSoProblem;

// scratch doubles sl_so_solve needs for neq equations and nvar unknowns (muscles + contacts)
size_t sl_so_work_size(int neq, int nvar);
// Solve; work has sl_so_work_size(P->neq, muscles + contacts) doubles. Fills res.
void sl_so_solve(const slSoProblem* P, const slSoOpt* o, double* work, slSoResult* res);

#endif
