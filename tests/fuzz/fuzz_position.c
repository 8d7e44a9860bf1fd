// fuzz_position.c: the position parser (and partner placement) on arbitrary text, written to a
// temporary file because position files name their bodies by path (see fuzz_file.h).
#include "fuzz_file.h"
#include "sl_position.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* path = fuzz_write_input("position", data, size);
  slError     e;
  slMotionOpt mo = sl_motion_opt_default();
  mo.samples = 2;
  slPosition* p = NULL;
  if (sl_position_load(&p, path, &mo, NULL, 0, &e) == SL_OK) sl_position_free(p);
  remove(path);
  return 0;
}
