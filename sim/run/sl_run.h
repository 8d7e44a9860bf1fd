// sl_run.h: evaluate a scenario's postures.
#ifndef SL_RUN_H
#define SL_RUN_H

#include "sl_results.h"
#include "spineload.h"

// All postures of a scenario on nthreads threads (0: default); flags: SL_RES_*.
slStatus sl_run_scenario(const slScenario* sc, int nthreads, int flags, slResults** out,
                         slError* err);

#endif
