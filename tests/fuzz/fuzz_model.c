// fuzz_model.c: the model spec and compiler on arbitrary text, with no disk I/O: files named by
// the input (a `base:`, the tables) resolve from memory, where the tiny model and its tables
// (tests/data, embedded at configure time) live, so that inputs derived from the tiny model
// compile all the way. A spec that is made is also edited with set() and compiled again.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_model_files.h"
#include "spineload.h"

static const struct {
  const char* name;
  const char* text;
} FILES[] = {{"tiny_model.yaml", tiny_model_yaml},
             {"tiny_muscles.csv", tiny_muscles_csv},
             {"tiny_points.csv", tiny_points_csv}};

static slStatus mem_resolve(void* ctx, const char* from, const char* name, char* path, size_t n,
                            char** text, size_t* len, slError* err) {
  (void)ctx;
  (void)from;
  snprintf(path, n, "mem/%s", name);
  const char* base = strrchr(name, '/');
  base = base ? base + 1 : name;
  for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++)
    if (!strcmp(FILES[i].name, base)) {
      *len = strlen(FILES[i].text);
      *text = malloc(*len + 1);
      if (!*text) return sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
      memcpy(*text, FILES[i].text, *len + 1);
      return SL_OK;
    }
  return sl_fail(err, SL_ERR_IO, path, "cannot open: not in memory");
}

static void compile_once(const slModelSpec* s) {
  slError  items[8];
  slDiag   dg = {items, 0, 8, 0};
  slModel* m = NULL;
  if (sl_model_compile(s, &m, &dg) == SL_OK) sl_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  slModelSpec* s = NULL;
  slError      e;
  if (sl_spec_parse(&s, (const char*)data, size, "fuzz.yaml", "mem", mem_resolve, NULL, &e) !=
      SL_OK)
    return 0;
  compile_once(s);
  if (sl_spec_set(s, "body.mass_kg", "70", &e) == SL_OK) compile_once(s);
  sl_spec_free(s);
  return 0;
}
