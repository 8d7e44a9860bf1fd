// fuzz_sweep.c: the sweep-file parser on arbitrary text, written to a temporary file because
// sweep files name their positions by path (see fuzz_file.h).
#include "fuzz_file.h"
#include "sl_sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* path = fuzz_write_input("sweep", data, size);
  slError     e;
  slSweep*    sw = NULL;
  if (sl_sweep_load(&sw, path, NULL, 0, &e) == SL_OK) sl_sweep_free(sw);
  remove(path);
  return 0;
}
