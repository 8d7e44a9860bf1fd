// sl_names.c: a compiled model's lookups by name, and its release (the compiled model is one
// allocation). Every stage above the compiler uses these, so they live on the engine floor.
#include <stdlib.h>
#include <string.h>

#include "spineload.h"

void sl_model_free(slModel* m) {
  free(m);
}

static int find_name(char (*names)[SL_NAME], int n, const char* s) {
  if (!s) return -1;
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}
int sl_model_segment(const slModel* m, const char* name) {
  return find_name(m->seg_name, m->nseg, name);
}
int sl_model_coord(const slModel* m, const char* name) {
  return find_name(m->coord_name, m->ncoord, name);
}
int sl_model_landmark(const slModel* m, const char* name) {
  return find_name(m->land_name, m->nland, name);
}
int sl_model_group(const slModel* m, const char* name) {
  return find_name(m->group_name, m->ngroup, name);
}
