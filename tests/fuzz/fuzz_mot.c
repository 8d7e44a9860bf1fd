// fuzz_mot.c: the OpenSim motion file parser (sl_mot_parse) on arbitrary bytes, against the tiny
// model's coordinates (compiled once).
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "spineload.h"

#ifndef SL_FUZZ_DATA_DIR
#define SL_FUZZ_DATA_DIR "tests/data"
#endif

static slModel* model;

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  slError e;
  if (!model && sl_model_load(&model, SL_FUZZ_DATA_DIR "/tiny_model.yaml", NULL, 0, &e) != SL_OK)
    abort();  // the fuzzer's own set-up failed
  slMot* mt = NULL;
  if (sl_mot_parse((const char*)data, size, "fuzz.mot", model, &mt, &e) == SL_OK) {
    // every value is finite and every column a coordinate
    for (int k = 0; k < mt->ncol; k++)
      if (mt->coord[k] < 0 || mt->coord[k] >= model->ncoord) __builtin_trap();
    for (long i = 0; i < (long)mt->nframe * mt->ncol; i++)
      if (!(mt->value[i] == mt->value[i])) __builtin_trap();
  }
  sl_mot_free(mt);
  return 0;
}
