// sl_run.h: evaluate a scenario's postures.
#ifndef SL_RUN_H
#define SL_RUN_H

#include "sl_results.h"
#include "spineload.h"

#endif
