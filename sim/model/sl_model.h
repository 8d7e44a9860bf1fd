// sl_model.h: internal interface of the model compiler (spec -> slModel; sl_model_compile is
// public, see spineload.h).
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include "sl_yaml.h"
#include "spineload.h"

// record a problem (code != SL_OK) or a warning (code == SL_OK)
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void sl_diag_add(slDiag* dg, slStatus code, const char* where, const char* fmt, ...);

// sl_model_compile stopping at the first problem, which goes to err (with a count of the others)
slStatus sl_model_compile_err(const slModelSpec* spec, slModel** m, slError* err);

#endif
