// sl_names.c: a compiled model's lookups by name, and its release (the compiled model is one
// allocation). Every stage above the compiler uses these, so they live on the engine floor.
#include <stdlib.h>
#include <string.h>

#include "spineload.h"

void sl_model_free(slModel* m) {
  free(m);
}

// the first index whose name is s: a binary search of the compiler's sorted index (by name, ties
// by index, so the first of equal names is found), or a scan where there is none
static int find_name(char (*names)[SL_NAME], const int* sorted, int n, const char* s) {
  if (!s) return -1;
  if (!sorted) {
    for (int i = 0; i < n; i++)
      if (strcmp(names[i], s) == 0) return i;
    return -1;
  }
  int lo = 0, hi = n;  // the first sorted position whose name is not below s
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (strcmp(names[sorted[mid]], s) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && strcmp(names[sorted[lo]], s) == 0 ? sorted[lo] : -1;
}
int sl_model_segment(const slModel* m, const char* name) {
  return find_name(m->seg_name, m->seg_by_name, m->nseg, name);
}
int sl_model_coord(const slModel* m, const char* name) {
  return find_name(m->coord_name, m->coord_by_name, m->ncoord, name);
}
int sl_model_landmark(const slModel* m, const char* name) {
  return find_name(m->land_name, m->land_by_name, m->nland, name);
}
int sl_model_group(const slModel* m, const char* name) {
  return find_name(m->group_name, m->group_by_name, m->ngroup, name);
}
