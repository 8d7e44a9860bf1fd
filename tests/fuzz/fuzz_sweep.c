// fuzz_sweep.c: a sweep file on arbitrary text, opened as `spineload sweep` opens it (the two
// steps of sl_sweep_open: parse, then prepare: every position loaded, every parameter tried at
// both ends of its range, position names checked), then the values of a few combinations. The
// input is written to a temporary file because sweep files name their positions by path (see
// fuzz_file.h); the corpus names the two test positions (tests/data/positions) through "@DATA@".
//
// Speed: a prepare was about 2 s under the sanitizers, 70% of it the placement check over the
// default 16 cycle samples and 20% compiling the body models again for every check. As on the
// command line, `--set motion.samples=2` comes after the file's own set: (a parameter over
// motion.samples still applies), and the models come from a cache kept across inputs.
#include "fuzz_file.h"
#include "sl_model_cache.h"
#include "sl_sweep.h"

static slModelCache* cache;

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* path = fuzz_write_input("sweep", data, size);
  slError     e;
  if (!cache && sl_model_cache_make(&cache, 8, &e) != SL_OK) abort();  // the fuzzer's set-up
  static const slOverride few = {"motion.samples", "2", NULL, 0, 0};
  slSweep*                sw = NULL;
  slStatus                st = sl_sweep_load(&sw, path, &few, 1, &e);
  if (st == SL_OK) st = sl_sweep_prepare_cached(sw, cache, &e);
  if (st == SL_OK) {
    char   text[SL_SWEEP_MAXPAR][64];
    double num[SL_SWEEP_MAXPAR];
    long   pick[] = {0, 1, sw->ncomb / 2, sw->ncomb - 1};
    for (int i = 0; i < 4; i++)
      if (pick[i] >= 0 && pick[i] < sw->ncomb) sl_sweep_values(sw, pick[i], text, num);
  }
  sl_sweep_free(sw);  // NULL is fine
  remove(path);
  return 0;
}
