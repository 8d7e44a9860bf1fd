// fuzz_osim.c: the OpenSim importer (sl_osim_convert: libxml2 parse, bodies, joints, functions,
// couplers, lumbar chain, muscles) on arbitrary bytes, with the omit flags chosen by the input's
// last byte; a converted model's YAML and tables are parsed back.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sl_csv.h"
#include "sl_yaml.h"
#include "spineload.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unsigned    omit = size ? data[size - 1] & 15u : 0u;
  slOsimFiles f;
  slError     e;
  if (sl_osim_convert((const char*)data, size, "fuzz.osim", omit, &f, &e) != SL_OK) return 0;
  slyDoc* doc = NULL;
  if (sly_parse(&doc, f.model_yaml, strlen(f.model_yaml), "model.yaml", &e) != SL_OK)
    __builtin_trap();
  sly_free(doc);
  const char* tables[2] = {f.muscles_csv, f.points_csv};
  for (int k = 0; k < 2; k++) {
    slCsv* c = NULL;
    if (tables[k] && sl_csv_parse(&c, tables[k], strlen(tables[k]), "t.csv", &e) != SL_OK)
      __builtin_trap();
    sl_csv_free(c);
  }
  sl_osim_files_free(&f);
  return 0;
}
