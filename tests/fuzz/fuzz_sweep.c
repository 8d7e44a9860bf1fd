// fuzz_sweep.c: the sweep-file parser on arbitrary text. The text is
// written to a temporary file because sweep files name their positions by path; "@DATA@" in
// the input becomes the test data directory so that corpus files can reach the test positions.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_sweep.h"

#ifndef SL_FUZZ_DATA_DIR
#define SL_FUZZ_DATA_DIR "tests/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/sl_fuzz_sweep_%ld.yaml", (long)getpid());
  FILE* f = fopen(path, "wb");
  if (!f) abort();
  const char* key = "@DATA@";
  for (size_t i = 0; i < size; i++) {
    if (i + 6 <= size && !memcmp(data + i, key, 6)) {
      fputs(SL_FUZZ_DATA_DIR, f);
      i += 5;
    } else {
      fputc(data[i], f);
    }
  }
  fclose(f);
  slError  e;
  slSweep* sw = NULL;
  if (sl_sweep_load(&sw, path, NULL, 0, &e) == SL_OK) sl_sweep_free(sw);
  remove(path);
  return 0;
}
