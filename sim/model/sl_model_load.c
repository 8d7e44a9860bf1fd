// sl_model_load.c: a model file to a compiled model: its spec (the file with its `base:` chain
// and tables), the overrides set on it, compiled.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_model.h"
#include "sl_spec.h"

slStatus sl_model_compile_err(const slModelSpec* spec, slModel** m, slError* err) {
  slError  items[1];
  slDiag   dg = {items, 0, 1, 0};
  slStatus st = sl_model_compile(spec, m, &dg);
  if (st != SL_OK && err) {
    *err = items[0];
    if (dg.n - dg.nwarn > 1) {
      size_t k = strlen(err->msg);
      snprintf(err->msg + k, sizeof err->msg - k,
               " (and %d more problems; run 'spineload model check')", dg.n - dg.nwarn - 1);
    }
  }
  return st;
}

static slStatus spec_compile(slModelSpec* spec, slStatus st, slModel** m, const slOverride* ov,
                             int nov, slError* err) {
  if (st == SL_OK) st = sl_spec_set_all(spec, ov, nov, err);
  if (st == SL_OK) st = sl_model_compile_err(spec, m, err);
  sl_spec_free(spec);
  return st;
}

slStatus sl_model_load(slModel** m, const char* path, const slOverride* ov, int nov, slError* err) {
  *m = NULL;
  slModelSpec* spec = NULL;
  slStatus     st = sl_spec_load(&spec, path, NULL, NULL, err);
  return spec_compile(spec, st, m, ov, nov, err);
}

slStatus sl_model_parse(slModel** m, const char* buf, size_t len, const char* fname,
                        const char* dir, const slOverride* ov, int nov, slError* err) {
  *m = NULL;
  slModelSpec* spec = NULL;
  slStatus     st = sl_spec_parse(&spec, buf, len, fname, dir, NULL, NULL, err);
  return spec_compile(spec, st, m, ov, nov, err);
}

slStatus sl_model_check(const char* path, const slOverride* ov, int nov, slDiag* dg) {
  slModelSpec* spec = NULL;
  slError      e;
  slStatus     st = sl_spec_load(&spec, path, NULL, NULL, &e);
  if (st == SL_OK) st = sl_spec_set_all(spec, ov, nov, &e);
  if (st != SL_OK) {
    sl_diag_add(dg, st, e.where, "%s", e.msg);
    sl_spec_free(spec);
    return st;
  }
  slModel* m = NULL;
  st = sl_model_compile(spec, &m, dg);
  sl_model_free(m);
  sl_spec_free(spec);
  return st;
}
