// fuzz_position.c: the position parser (and partner placement) on arbitrary text. The text is
// written to a temporary file because position files name their bodies by path; "@DATA@" in
// the input becomes the test data directory so that corpus files can reach the models.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_position.h"

#ifndef SL_FUZZ_DATA_DIR
#define SL_FUZZ_DATA_DIR "tests/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/sl_fuzz_position_%ld.yaml", (long)getpid());
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
  slError     e;
  slMotionOpt mo = sl_motion_opt_default();
  mo.samples = 2;
  slPosition* p = NULL;
  if (sl_position_load(&p, path, &mo, NULL, 0, &e) == SL_OK) sl_position_free(p);
  remove(path);
  return 0;
}
