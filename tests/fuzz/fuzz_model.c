// fuzz_model.c: the model loader (YAML tree, compiler) on arbitrary text. Relative table paths
// resolve against tests/data so that inputs derived from the tiny model compile all the way.
#include <stddef.h>
#include <stdint.h>

#include "sl_model.h"

#ifndef SL_FUZZ_DATA_DIR
#define SL_FUZZ_DATA_DIR "tests/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_parse(&m, (const char*)data, size, "fuzz.yaml", SL_FUZZ_DATA_DIR, NULL, 0, &e) ==
      SL_OK)
    sl_model_free(m);
  return 0;
}
