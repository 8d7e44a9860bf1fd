// sl_model_info.c: the muscle groups' moment arms at the default pose and the reference table
// they are compared with (`spineload model info`).
#include "spineload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl_csv.h"

// the groups counted as "extensors" in the reference table
static int is_extensor(const char* g) {
  return !strncmp(g, "iliocostalis", 12) || !strncmp(g, "longissimus", 11) ||
         !strcmp(g, "multifidus");
}

// Fmax-weighted mean flexion moment arm [cm] about a level of the fascicles in a group (group
// < 0: the extensors); fascicles with r == 0 do not cross the level
static double group_arm(const slModel* m, const slData* d, int group, int level) {
  double num = 0.0, den = 0.0;
  for (int i = 0; i < m->nmus; i++) {
    int    in = group >= 0 ? m->mus_group[i] == group : is_extensor(m->group_name[m->mus_group[i]]);
    double r = d->mus_R[(size_t)i * SL_NLDOF + 3 * (size_t)level];
    if (!in || r == 0.0) continue;
    num += m->mus_fmax[i] * r;
    den += m->mus_fmax[i];
  }
  return den > 0 ? 100.0 * num / den : NAN;
}

slStatus sl_model_group_arms(const slModel* m, double* arms_cm, slError* err) {
  slData*  d = NULL;
  slStatus st = sl_data_make(m, &d, err);
  if (st != SL_OK) return st;
  // a new workspace holds the default pose
  sl_kin_forward(m, d, 0);
  sl_muscle_geometry(m, d);
  for (int g = -1; g < m->ngroup; g++) {
    arms_cm[2 * (g + 1)] = group_arm(m, d, g, 1);
    arms_cm[2 * (g + 1) + 1] = group_arm(m, d, g, 0);
  }
  sl_data_free(d);
  return SL_OK;
}

slStatus sl_model_level_arms(const slModel* m, double* arms_cm, slError* err) {
  slData*  d = NULL;
  slStatus st = sl_data_make(m, &d, err);
  if (st != SL_OK) return st;
  sl_kin_forward(m, d, 0);
  sl_muscle_geometry(m, d);
  for (int g = 0; g < m->ngroup; g++)
    for (int l = 0; l < SL_NLEVEL; l++) arms_cm[g * SL_NLEVEL + l] = group_arm(m, d, g, l);
  sl_data_free(d);
  return SL_OK;
}

slStatus sl_model_arm_refs(const slModel* m, slArmRef** refs, int* n, slError* err) {
  *refs = NULL;
  *n = 0;
  if (!m->check_moment_arms[0]) return SL_OK;
  slCsv*                   csv = NULL;
  slStatus                 st = sl_csv_load(&csv, m->check_moment_arms, err);
  static const char* const cols[] = {"group", "level", "value_cm", NULL};
  if (st == SL_OK) st = sl_csv_require(csv, cols, err);
  if (st != SL_OK) {
    sl_csv_free(csv);
    return st;
  }
  int cg = sl_csv_colidx(csv, "group"), cl = sl_csv_colidx(csv, "level");
  int cv = sl_csv_colidx(csv, "value_cm"), cd = sl_csv_colidx(csv, "definition");
  int cs = sl_csv_colidx(csv, "source");
  // one block: the rows, then their strings
  int          used[5] = {cg, cl, cv, cd, cs};
  size_t       bytes = sizeof(slArmRef) * (size_t)csv->nrow;
  const size_t base = bytes;
  for (int i = 0; i < csv->nrow; i++)
    for (int c = 0; c < 5; c++)
      bytes +=
          (used[c] >= 0 ? strlen(csv->cell[(size_t)i * (size_t)csv->ncol + (size_t)used[c]]) : 0) +
          1;
  char* block = malloc(bytes ? bytes : 1);
  if (!block) {
    sl_csv_free(csv);
    return sl_fail(err, SL_ERR_NOMEM, m->check_moment_arms, "out of memory");
  }
  slArmRef* r = (slArmRef*)(void*)block;
  char*     s = block + base;
  for (int i = 0; i < csv->nrow; i++) {
    const char* f[5];
    for (int c = 0; c < 5; c++) {
      const char* v =
          used[c] >= 0 ? csv->cell[(size_t)i * (size_t)csv->ncol + (size_t)used[c]] : "";
      size_t len = strlen(v) + 1;
      memcpy(s, v, len);
      f[c] = s;
      s += len;
    }
    r[i] = (slArmRef){f[0], -1, f[1], f[2], f[3], f[4]};
    if (!strcmp(f[0], "extensors"))
      r[i].row = 0;
    else
      for (int g = 0; g < m->ngroup && r[i].row < 0; g++)
        if (!strcmp(f[0], m->group_name[g])) r[i].row = g + 1;
  }
  *refs = r;
  *n = csv->nrow;
  sl_csv_free(csv);
  return SL_OK;
}

void sl_model_arm_refs_free(slArmRef* refs) {
  free(refs);
}
