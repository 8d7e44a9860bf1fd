// fuzz_position.c: the position parser, partner placement and the cycle driver on arbitrary text,
// written to a temporary file because position files name their bodies by path (see
// fuzz_file.h).
//
// Speed: compiling the two full body models was 63% of every execution (about 100 exec/s); the
// models come from a cache kept across inputs instead (compiled once per body file and model
// overrides; fuzz_model fuzzes the model compiler), so an input costs its own parse and
// placement. The cycle (sl_position_run) runs on 2 samples for one input in RUN_EVERY (chosen by
// the input's bytes, so the same input always does the same), which keeps the driver in reach
// without letting its solver dominate.
#include "fuzz_file.h"
#include "sl_model_cache.h"
#include "sl_position.h"

#define RUN_EVERY 8

static slModelCache* cache;

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  slError e;
  if (!cache && sl_model_cache_make(&cache, 4, &e) != SL_OK) abort();  // the fuzzer's set-up
  const char* path = fuzz_write_input("position", data, size);
  slMotionOpt mo = sl_motion_opt_default();
  mo.samples = 2;
  slPosition* p = NULL;
  if (sl_position_load_cached(&p, path, &mo, NULL, 0, cache, &e) == SL_OK) {
    uint32_t h = 2166136261u;  // FNV-1a of the input
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
    if (h % RUN_EVERY == 0) {
      slSoOpt        so = sl_so_opt_default();
      slPositionRun* run = NULL;
      if (sl_position_run(p, &so, &run, &e) == SL_OK) sl_position_run_free(run);
    }
    sl_position_free(p);
  }
  remove(path);
  return 0;
}
