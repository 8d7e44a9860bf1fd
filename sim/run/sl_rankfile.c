// sl_rankfile.c: reading results files back for `spineload report`: what a file holds, and a
// rank file's /ranking table with each row's per-level peak compression over the cycle (from
// /positions/<position>/<role>/disc/compression; nothing else of the role group is read).
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "spineload.h"
#include "sl_h5.h"
#include "sl_layout.h"

struct slRankFile {
  size_t         n;
  slRankFileRow* row;                  // (n)
  char **        pos, **role, **note;  // the string columns the rows point into (n)
  char (*title)[128];                  // each row's position title (n)
};

slStatus sl_results_kind(const char* path, slResultsKind* kind, slError* err) {
  slH5*    f = NULL;
  slStatus st = sl_h5_open(&f, path, 0, err);
  *kind = SL_RESULTS_OTHER;
  if (st != SL_OK) return st;
  if (sl_h5_exists(f, SL_LAYOUT_SWEEP))
    *kind = SL_RESULTS_SWEEP;
  else if (sl_h5_exists(f, SL_LAYOUT_RANKING))
    *kind = SL_RESULTS_RANK;
  sl_h5_close(f);
  return SL_OK;
}

// a string column of /ranking (SL_LRK_*) with exactly n rows
static slStatus read_str_col(slH5* f, int col, size_t n, char*** out, slError* e) {
  char   path[128];
  size_t got = 0;
  sl_layout_path(path, sizeof path, SL_LAYOUT_RANKING, &sl_layout_ranking_columns[col]);
  slStatus st = sl_h5_read_strings(f, path, out, &got, e);
  if (st == SL_OK && got != n) {
    sl_h5_free_strings(*out, got);
    *out = NULL;
    return sl_fail(e, SL_ERR_HDF5, path, "%zu rows, expected %zu", got, n);
  }
  return st;
}

// a numeric column of /ranking (SL_LRK_*, n rows) into the field at byte offset off of every row
static slStatus read_num_col(slH5* f, int col, slRankFile* t, size_t off, slError* e) {
  char path[128];
  sl_layout_path(path, sizeof path, SL_LAYOUT_RANKING, &sl_layout_ranking_columns[col]);
  int   i32 = sl_layout_ranking_columns[col].type == SL_H5_I32;
  void* buf = malloc((i32 ? sizeof(int32_t) : sizeof(double)) * (t->n + 1));
  if (!buf) return sl_fail(e, SL_ERR_NOMEM, path, "out of memory");
  slStatus st = sl_h5_read(f, path, i32 ? SL_H5_I32 : SL_H5_F64, buf, e);
  for (size_t i = 0; i < t->n && st == SL_OK; i++) {
    char* field = (char*)&t->row[i] + off;
    if (i32)
      *(int*)field = ((const int32_t*)buf)[i];
    else
      *(double*)field = ((const double*)buf)[i];
  }
  free(buf);
  return st;
}

// the peak of each level over the samples of a role's disc compression (samples x levels)
static slStatus read_profile(slH5* f, slRankFileRow* r, slError* e) {
  char   path[600];
  size_t d[4];
  int    rank = 0;
  snprintf(path, sizeof path, "%s/%s/%s/%s", SL_LAYOUT_POSITIONS, r->position, r->role,
           sl_layout_results[SL_LR_DISC_COMPRESSION].path);
  slStatus st = sl_h5_shape(f, path, &rank, d, e);
  if (st != SL_OK) return st;
  if (rank != 2 || d[1] != SL_NLEVEL || d[0] > SIZE_MAX / sizeof(double) / SL_NLEVEL - 1)
    return sl_fail(e, SL_ERR_HDF5, path, "unexpected shape");  // (the buffer's size overflows)
  double* c = malloc(sizeof(double) * d[0] * SL_NLEVEL + 1);
  if (!c) return sl_fail(e, SL_ERR_NOMEM, path, "out of memory");
  st = sl_h5_read(f, path, SL_H5_F64, c, e);
  for (size_t s = 0; s < d[0] && st == SL_OK; s++)
    for (int l = 0; l < SL_NLEVEL; l++) r->profile[l] = fmax(r->profile[l], c[s * SL_NLEVEL + l]);
  free(c);
  return st;
}

static slStatus table_read(slH5* f, slRankFile* t, slError* e) {
  // the numeric columns of /ranking that a row holds, and their fields
  static const struct {
    int    col;
    size_t off;
  } NUM[] = {
      {SL_LRK_RANK, offsetof(slRankFileRow, rank)},
      {SL_LRK_FLAGGED_SAMPLES, offsetof(slRankFileRow, flagged)},
      {SL_LRK_LOAD_INDEX, offsetof(slRankFileRow, load_index)},
      {SL_LRK_PEAK_COMPRESSION_L4L5, offsetof(slRankFileRow, peak_comp_l4l5)},
      {SL_LRK_PEAK_COMPRESSION_L5S1, offsetof(slRankFileRow, peak_comp_l5s1)},
      {SL_LRK_PEAK_SHEAR, offsetof(slRankFileRow, peak_shear)},
      {SL_LRK_PEAK_IDP_L4L5, offsetof(slRankFileRow, peak_idp_l4l5)},
      {SL_LRK_LUMBAR_FLEXION_PCT_ROM, offsetof(slRankFileRow, flex_rom)},
      {SL_LRK_LUMBAR_EXTENSION_PCT_ROM, offsetof(slRankFileRow, ext_rom)},
      {SL_LRK_MEAN_COMPRESSION_L4L5, offsetof(slRankFileRow, mean_comp_l4l5)},
      {SL_LRK_MAX_RESERVE, offsetof(slRankFileRow, max_reserve)},
  };
  int      rank = 0;
  size_t   dims[4];
  slStatus st = sl_h5_shape(f, SL_LAYOUT_RANKING, &rank, dims, e);
  if (st != SL_OK) return st;
  if (rank != 1) return sl_fail(e, SL_ERR_HDF5, SL_LAYOUT_RANKING, "not a table");
  t->n = dims[0];
  t->row = calloc(t->n + 1, sizeof *t->row);
  if (!t->row) return sl_fail(e, SL_ERR_NOMEM, SL_LAYOUT_RANKING, "out of memory");
  st = read_str_col(f, SL_LRK_POSITION, t->n, &t->pos, e);
  if (st == SL_OK) st = read_str_col(f, SL_LRK_ROLE, t->n, &t->role, e);
  if (st == SL_OK) st = read_str_col(f, SL_LRK_NOTE, t->n, &t->note, e);
  for (size_t k = 0; k < sizeof NUM / sizeof NUM[0] && st == SL_OK; k++)
    st = read_num_col(f, NUM[k].col, t, NUM[k].off, e);
  t->title = calloc(t->n + 1, sizeof *t->title);
  if (st == SL_OK && !t->title) st = sl_fail(e, SL_ERR_NOMEM, SL_LAYOUT_RANKING, "out of memory");
  for (size_t i = 0; i < t->n && st == SL_OK; i++) {
    slRankFileRow* r = &t->row[i];
    r->position = t->pos[i], r->role = t->role[i], r->note = t->note[i];
    char    grp[512];
    slError ignore;
    snprintf(grp, sizeof grp, "%s/%s", SL_LAYOUT_POSITIONS, r->position);
    if (sl_h5_read_attr_str(f, grp, sl_layout_position[SL_LPOS_TITLE].path, t->title[i],
                            sizeof t->title[i], &ignore) != SL_OK ||
        !t->title[i][0])
      snprintf(t->title[i], sizeof t->title[i], "%s", r->position);
    r->title = t->title[i];
    st = read_profile(f, r, e);
  }
  return st;
}

slStatus sl_rankfile_read(const char* path, slRankFile** out, slError* err) {
  *out = NULL;
  slH5*    f = NULL;
  slStatus st = sl_h5_open(&f, path, 0, err);
  if (st != SL_OK) return st;
  slRankFile* t = calloc(1, sizeof *t);
  st = t ? table_read(f, t, err) : sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
  sl_h5_close(f);
  if (st != SL_OK) {
    sl_rankfile_free(t);
    return sl_layout_not_a(path, "rank", st, err);
  }
  *out = t;
  return SL_OK;
}

size_t sl_rankfile_rows(const slRankFile* t) {
  return t ? t->n : 0;
}

const slRankFileRow* sl_rankfile_row(const slRankFile* t, size_t i) {
  return t && i < t->n ? &t->row[i] : NULL;
}

void sl_rankfile_free(slRankFile* t) {
  if (!t) return;
  sl_h5_free_strings(t->pos, t->pos ? t->n : 0);
  sl_h5_free_strings(t->role, t->role ? t->n : 0);
  sl_h5_free_strings(t->note, t->note ? t->n : 0);
  free(t->row);
  free(t->title);
  free(t);
}
