// fuzz_file.h: for parsers that read files which name other files by path. Writes the fuzz
// input to a temporary file, replacing "@DATA@" by the test data directory so that corpus
// files can reach the models and test positions. Returns the path (static storage).
#ifndef SL_FUZZ_FILE_H
#define SL_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SL_FUZZ_DATA_DIR
#define SL_FUZZ_DATA_DIR "tests/data"
#endif

static const char* fuzz_write_input(const char* stem, const uint8_t* data, size_t size) {
  static char path[128];
  snprintf(path, sizeof path, "/tmp/sl_fuzz_%s_%ld.yaml", stem, (long)getpid());
  FILE* f = fopen(path, "wb");
  if (!f) abort();  // the fuzzer's own set-up failed
  for (size_t i = 0; i < size; i++) {
    if (i + 6 <= size && !memcmp(data + i, "@DATA@", 6)) {
      fputs(SL_FUZZ_DATA_DIR, f);
      i += 5;
    } else {
      fputc(data[i], f);
    }
  }
  fclose(f);
  return path;
}

#endif
