// sl_so.h: the static-optimisation kernel (generic over bodies, contacts and reserves).
#ifndef SL_SO_H
#define SL_SO_H

#include "spineload.h"

// equations (dual unknowns) at most: 2 bodies x (18 lumbar + 6 root + up to 64 joint dofs)
#define SL_SO_MAXEQ    176
#define SL_SO_MAXBLOCK 8  // column blocks: per body muscles, IAP and joint actuators

// Bounded non-negative actuators of one kind. Muscles: column i holds the moment arms of muscle
// i about the body's equations, nonzero only on rows [row0[i], row0[i] + nrow[i]) of the block
// starting at rowbase. Unit actuators (unit = 1, e.g. joint torques): column i is A[i] (a sign)
// on the single row rowbase + row0[i]. Cost of a column: w_i (f_i / fmax_i)^p (w NULL: 1).
typedef struct slSoBlock {
  int           n;        // columns
  int           rowbase;  // first equation of this body
  int           ld;       // stride between columns (not used when unit)
  int           unit;     // 1: unit columns (A holds one entry per column)
  const double* A;        // (n x ld), or (n) signs when unit
  const int*    row0;     // (n)
  const int*    nrow;     // (n) (not used when unit)
  const double* fmax;     // (n) [N or N m]
  const double* w;        // (n) cost weights, NULL for all 1
  double*       f;        // out: forces (n) [N or N m]
} slSoBlock;

typedef struct slSoProblem {
  int           neq;
  const double* b;  // right-hand side (neq)
  int           nblock;
  slSoBlock     block[SL_SO_MAXBLOCK];
  int           nc;      // non-negative contact variables (friction-pyramid edge weights)
  const double* Ac;      // their columns (nc x neq), nonzero only on rows [crow0, crow0 + cnrow)
  const int*    crow0;   // (nc) first nonzero row of each contact column
  const int*    cnrow;   // (nc) number of rows from crow0 to the last nonzero
  double*       c;       // out: (nc) [N]
  const double* r0;      // reserve scale per equation (neq): cost (r/r0)^2
  double*       r;       // out: reserves (neq)
  double*       lambda;  // in: warm start (when opt->warm); out: multipliers (neq)
} slSoProblem;

// names of the criteria by slCriterion, NULL-terminated (sl_criterion_name)
extern const char* const SL_CRITERION_NAMES[SL_CRIT_COUNT + 1];

// scratch doubles sl_so_solve needs for neq equations and nvar unknowns (muscles + contacts)
size_t sl_so_work_size(int neq, int nvar);
// Solve; work has sl_so_work_size(P->neq, muscles + contacts) doubles. Fills res.
void sl_so_solve(const slSoProblem* P, const slSoOpt* o, double* work, slSoResult* res);

#endif
