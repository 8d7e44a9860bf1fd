// sl_model.h: internal interface of the model compiler (tree -> slModel).
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include "sl_yaml.h"
#include "spineload.h"

// record a problem (code != SL_OK) or a warning (code == SL_OK)
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void sl_diag_add(slDiag* dg, slStatus code, const char* where, const char* fmt, ...);

// Compile a merged, overridden model tree. Every problem goes to dg; returns the first error's
// code (or SL_OK). On error *m is NULL.
// Relative table paths resolve against the directory of the file that names them; for a model
// parsed from a buffer named bufname, against bufdir (both may be NULL).
slStatus sl_model_compile(slModel** m, const slyNode* root, const char* bufname, const char* bufdir,
                          slDiag* dg);

// Read a model file with its `base:` chain into one tree (doc owned by the caller), and apply
// overrides. Errors go to err.
slStatus sl_model_tree(slyDoc** doc, const char* path, const char* buf, size_t len, const char* dir,
                       const slOverride* ov, int nov, slError* err);

#endif
