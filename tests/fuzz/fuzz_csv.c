// fuzz_csv.c: parse arbitrary bytes as CSV, read every cell as a number, locate it, free.
#include <stddef.h>
#include <stdint.h>

#include "sl_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t* p, size_t n) {
  slCsv*  c = NULL;
  slError e;
  if (sl_csv_parse(&c, (const char*)p, n, "fuzz.csv", &e) != SL_OK) return 0;
  char w[512];
  for (int k = 0; k < c->ncol; k++) sl_csv_colidx(c, c->header[k]);
  static const char* const need[] = {"name", "fmax_N", NULL};
  sl_csv_require(c, need, &e);
  for (int r = -1; r <= c->nrow; r++) {
    for (int k = -1; k <= c->ncol; k++) {
      double v;
      sl_csv_num(c, r, k, -1e3, 1e3, "N", &v, &e);
      sl_csv_where(c, r, k, w, sizeof w);
    }
  }
  sl_csv_free(c);
  return 0;
}
