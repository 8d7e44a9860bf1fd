// sl_sweep.h: parameter sweeps over the position library.
//
// A sweep is a list of combinations of parameter values (a grid, random draws or a Latin
// hypercube, all seeded) crossed with a list of positions. The unit of work is one (combination,
// position): its thrust cycle for both partners. Each unit gives two rows (one per role; a
// missing second role is a row with status -1). Units are processed in fixed blocks, so every
// row depends only on its own unit and the output is the same for any thread or process count.
#ifndef SL_SWEEP_H
#define SL_SWEEP_H

#include <stdint.h>

#include "sl_layout.h"
#include "sl_position.h"

#define SL_SWEEP_MAXPAR 32
#define SL_SWEEP_MAXVAL 64
#define SL_SWEEP_ROLES  2  // rows per unit
// blocks of one sweep at most: the schedule and the journal hold about 9 bytes per block from
// the start (90 MB here), so a design with more must use larger blocks
#define SL_SWEEP_MAXBLOCK 10000000

typedef enum slDesign {
  SL_DESIGN_GRID = 0,
  SL_DESIGN_RANDOM,
  SL_DESIGN_LHS,
  SL_DESIGN_COUNT
} slDesign;
// their names in sweep files and in the /sweep "design" attribute (NULL-terminated)
extern const char* const SL_DESIGN_NAMES[SL_DESIGN_COUNT + 1];

typedef struct slSweepParam {
  char   path[256];
  int    nvalues;                      // listed values (grid, or categorical for random/LHS)
  char   values[SL_SWEEP_MAXVAL][64];  // as text (override values)
  int    numeric;                      // 1 if every listed value (or the range) is a number
  double lo, hi;                       // a range (nvalues == 0)
  int    steps;                        // grid points over the range (grid design)
} slSweepParam;

// metric columns of /sweep/metrics: SL_SM_* and their names and units in sl_layout_sweep_metrics

struct slSweep {
  char         name[SL_NAME];
  char         file[1024];
  char*        text;         // the sweep file verbatim
  uint64_t     fingerprint;  // of the file text, the fixed overrides and the version
  slDesign     design;
  long         ncomb;  // combinations
  uint64_t     seed;
  int          npar;
  slSweepParam par[SL_SWEEP_MAXPAR];
  int          npos;
  char (*pos_file)[1024];                      // (npos)
  char (*pos_name)[SL_NAME];                   // (npos), filled by sl_sweep_prepare
  char (*role_name)[SL_SWEEP_ROLES][SL_NAME];  // (npos)
  int         nset;  // fixed overrides: the file's `set:` then the command line's
  slOverride* set;
  int         block;  // units per block
  long        nunit;  // ncomb * npos
  void*       priv;
};

slStatus sl_sweep_load(slSweep** sw, const char* path, const slOverride* ov, int nov, slError* err);

// The uniform in [0, 1) that a random or Latin hypercube design (of n combinations) draws for
// parameter par of combination c: a function of (seed, par, c, n) only, so any order of evaluation
// gives the same values. Latin hypercube: each parameter's n draws fall one in each of n equal
// strata, in a seeded order of its own. (Also the uncertainty run's sampling, sl_uncertainty.c.)
double sl_design_u(slDesign design, uint64_t seed, int par, long c, long n);

// The unit of a sweep parameter's values in /sweep/params: a categorical parameter (listed values
// that are not all numbers) holds an index into /sweep/param_labels; a run option has its table's
// unit; a model path has the unit its key names (subject.mass_kg: kg, fmax_scale: 1, ...), or
// "as in the model file" where the key names none.
const char* sl_sweep_param_unit(const slSweepParam* p);
// A categorical parameter's listed values joined by '|' into buf (empty for a numeric one).
void sl_sweep_param_labels(const slSweepParam* p, char* buf, size_t n);

// Parameter values of combination c as override text (numbers printed to 17 digits) and as
// numbers for /sweep/params (a categorical value is its index in the list).
void sl_sweep_values(const slSweep* sw, long c, char (*text)[64], double* num);

// Load every position once (to check the files and learn role names) before running.
// Each distinct (body file, model overrides) is compiled once for the checks.
slStatus sl_sweep_prepare(slSweep* sw, slError* err);
// The same with the models from mc (kept there for the next call: a fuzzer's inputs share them).
slStatus sl_sweep_prepare_cached(slSweep* sw, slModelCache* mc, slError* err);

// One row of results (params, metrics, status)
typedef struct slSweepRow {
  int32_t comb, pos, role, status;  // status: -1 no such role, -2 posture could not be built,
                                    // -3 a sample did not converge (the metrics are no result),
                                    // else the number of cycle samples not converged
  double param[SL_SWEEP_MAXPAR];
  double metric[SL_SM_COUNT];
} slSweepRow;

// Per-thread evaluator (caches compiled models and parsed positions).
typedef struct slSweepWorker slSweepWorker;
slStatus sl_sweep_worker_make(const slSweep* sw, slSweepWorker** w, slError* err);
void     sl_sweep_worker_free(slSweepWorker* w);
// Evaluate unit u = comb * npos + pos into rows[0..1]. Never fails: a unit that cannot be
// built is reported in its rows' status; the body-postures evaluated are added to *postures.
void sl_sweep_unit(slSweepWorker* w, long u, slSweepRow rows[SL_SWEEP_ROLES], long* postures);

#endif
