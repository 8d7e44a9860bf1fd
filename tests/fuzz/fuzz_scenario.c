// fuzz_scenario.c: the scenario parser on arbitrary text, against the compiled tiny model.
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
  slScenario* sc = NULL;
  if (sl_scenario_parse(&sc, (const char*)data, size, "fuzz.yaml", model, &e) == SL_OK)
    sl_scenario_free(sc);
  return 0;
}
