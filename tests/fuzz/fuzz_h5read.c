// fuzz_h5read.c: the readers `spineload report` uses (sl_results_kind, sl_rankfile_read,
// sl_sweep_summary) on hostile HDF5 files, made from the input by the library's writer: with an
// even first byte a rank file (/ranking's row count, which columns it has and of which type, its
// strings: the position and role names that name the disc/compression datasets, and each of
// those datasets' rank, shape and values), with an odd one a sweep file (the names, the shapes,
// rank 1 to 3, of /sweep/metrics, params and status, their values, the params "columns"
// attribute). This keeps the fuzzing on the structural layer our readers interpret.
//
// Raw bytes as the file (SL_FUZZ_H5_RAW=1 in the environment, first byte 0; the corpus holds a
// small real rank and sweep file made by the binary, so the replay test reads them) reach
// HDF5's own parser instead, which is not robust against hostile files: a 26 KB mutation of the
// sweep seed made H5Dread (H5T__conv_vlen) allocate the 1.78 GB a corrupt variable-length string
// claims before it reports "address of object past end of allocation" (`spineload report` peaks
// at 1.75 GB on it, then fails cleanly). That is HDF5's behaviour, not ours, and it ends a
// fuzzing run as out-of-memory; hence raw mode only on request.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_layout.h"
#include "spineload.h"

typedef struct In {
  const uint8_t* p;
  size_t         n, at;
} In;

static unsigned byte(In* in) {
  return in->at < in->n ? in->p[in->at++] : 0;
}
static double num(In* in) {
  unsigned b = byte(in);
  if (b == 255) return NAN;
  if (b == 254) return INFINITY;
  if (b == 253) return -1e308;
  return ((double)b - 64.0) * (1 + byte(in) / 16.0);
}
// value i of a dataset past the ones the input gives: a pattern of the input's seed byte (so a
// large dataset does not use up the input that shapes the datasets after it)
static uint32_t mix(unsigned seed, size_t i) {
  uint32_t h = (seed + 1u) * 2654435761u ^ (uint32_t)i * 2246822519u;
  return h ^ (h >> 15);
}
static double pattern(unsigned seed, size_t i) {
  uint32_t h = mix(seed, i);
  unsigned b = h & 255u;
  if (b == 255) return NAN;
  return ((double)b - 64.0) * (1 + ((h >> 8) & 255u) / 16.0);
}
static void str(In* in, char* s, size_t cap) {
  size_t len = byte(in) % 12, k = 0;
  while (k < len && k + 1 < cap) {
    unsigned c = byte(in);
    if (!c) break;
    s[k++] = (char)c;
  }
  s[k] = '\0';
}

// a numeric dataset of rank 1..3 whose first axis is about rows and second about cols
static void dataset(slH5* f, In* in, const char* path, slH5Type type, size_t rows, size_t cols) {
  size_t   d[3] = {rows, cols, 1};
  unsigned b = byte(in);
  int      rank = b & 1 ? 2 : (b & 2 ? 1 : 3);
  if (b & 4) d[0] = byte(in) % 9;                         // another row count
  if ((b & 0x70) == 0x70) d[0] = 32768 + 256 * byte(in);  // more rows than a reader's slice
  if (b & 8) d[1] = byte(in) % 21;                        // another column count
  if (rank == 3) d[2] = 1 + byte(in) % 3;
  if (rank == 1) d[1] = d[2] = 1;
  size_t   n = d[0] * d[1] * d[2];
  unsigned seed = byte(in);
  void*    v = calloc(n ? n : 1, 8);
  if (!v) abort();
  for (size_t i = 0; i < n; i++) {  // the first 8 from the input, the rest a pattern
    if (type == SL_H5_I32)
      ((int32_t*)v)[i] = i < 8 ? (int32_t)byte(in) - 8 : (int32_t)(mix(seed, i) % 16) - 8;
    else
      ((double*)v)[i] = i < 8 ? num(in) : pattern(seed, i);
  }
  slError e;
  sl_h5_write(f, path, type, rank, d, v, "1", "fuzz", &e);
  free(v);
}

static void make_rank(slH5* f, In* in) {
  enum { MAXROW = 5 };
  size_t      nrow = byte(in) % (MAXROW + 1);
  char        s[3][MAXROW][16];
  const char* sp[3][MAXROW];
  double      dv[MAXROW];
  int32_t     iv[MAXROW];
  slH5Col     col[SL_LRK_COUNT];
  int         ncol = 0;
  for (int k = 0; k < SL_LRK_COUNT; k++) {
    unsigned b = byte(in);
    if (b % 16 == 0) continue;  // a missing column
    const slLayoutItem* it = &sl_layout_ranking_columns[k];
    slH5Type            t = it->type;
    if (b % 16 == 1) t = t == SL_H5_STR ? SL_H5_F64 : SL_H5_STR;  // of the wrong type
    col[ncol] = (slH5Col){it->path, t, "1", NULL};
    if (t == SL_H5_STR) {
      int which = k == SL_LRK_POSITION ? 0 : k == SL_LRK_ROLE ? 1 : 2;
      for (size_t i = 0; i < nrow; i++) {
        str(in, s[which][i], sizeof s[which][i]);
        sp[which][i] = s[which][i];
      }
      col[ncol].data = sp[which];
    } else if (t == SL_H5_I32) {
      for (size_t i = 0; i < nrow; i++) iv[i] = (int32_t)byte(in) - 8;
      col[ncol].data = iv;
    } else {
      for (size_t i = 0; i < nrow; i++) dv[i] = num(in);
      col[ncol].data = dv;
    }
    ncol++;
  }
  slError e;
  if (ncol) sl_h5_write_table(f, SL_LAYOUT_RANKING, nrow, ncol, col, "fuzz", &e);
  // each row's disc compression, named by the row's strings
  for (size_t i = 0; i < nrow; i++) {
    if (byte(in) % 8 == 0) continue;
    char path[256];
    snprintf(path, sizeof path, "%s/%.15s/%.15s/disc/compression", SL_LAYOUT_POSITIONS, s[0][i],
             s[1][i]);
    dataset(f, in, path, SL_H5_F64, byte(in) % 4, SL_NLEVEL);
  }
}

static void make_sweep(slH5* f, In* in) {
  size_t      npos = byte(in) % 4, nroles = 2 * npos, nrow = byte(in) % 17, np = byte(in) % 4;
  char        s[8][16];
  const char* sp[8];
  unsigned    b = byte(in);
  if (b & 1) nroles = byte(in) % 8;
  slError e;
  for (size_t i = 0; i < 8; i++) {
    str(in, s[i], sizeof s[i]);
    sp[i] = s[i];
  }
  char path[128];
  snprintf(path, sizeof path, "%s/position_names", SL_LAYOUT_SWEEP);
  if (!(b & 2)) sl_h5_write_strings(f, path, sp, npos, "fuzz", &e);
  snprintf(path, sizeof path, "%s/role_names", SL_LAYOUT_SWEEP);
  if (!(b & 4)) sl_h5_write_strings(f, path, sp, nroles, "fuzz", &e);
  snprintf(path, sizeof path, "%s/metrics", SL_LAYOUT_SWEEP);
  dataset(f, in, path, SL_H5_F64, nrow, SL_SM_COUNT);
  snprintf(path, sizeof path, "%s/params", SL_LAYOUT_SWEEP);
  dataset(f, in, path, SL_H5_F64, nrow, np ? np : 1);
  char cols[64];
  str(in, cols, sizeof cols);
  if (!(b & 8)) sl_h5_attr_str(f, path, "columns", cols, &e);
  snprintf(path, sizeof path, "%s/status", SL_LAYOUT_SWEEP);
  dataset(f, in, path, SL_H5_I32, nrow, 1);
  snprintf(path, sizeof path, "%s/index", SL_LAYOUT_SWEEP);
  dataset(f, in, path, SL_H5_I32, nrow, SL_LSI_COUNT);
}

static void read_all(const char* path) {
  slError       e;
  slResultsKind kind;
  sl_results_kind(path, &kind, &e);
  slRankFile* t = NULL;
  if (sl_rankfile_read(path, &t, &e) == SL_OK) {
    double sum = 0;
    for (size_t i = 0; i < sl_rankfile_rows(t); i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      sum += strlen(r->position) + strlen(r->role) + strlen(r->note) + r->rank + r->profile[0];
    }
    if (sl_rankfile_row(t, sl_rankfile_rows(t)) || sum == -1) abort();
    sl_rankfile_free(t);
  }
  slSweepSummary* s = NULL;
  if (sl_sweep_summary(path, &s, &e) == SL_OK) {
    double sum = s->kendall_w;
    for (int i = 0; i < s->nsens; i++)
      sum += strlen(s->sens[i].parameter) + strlen(s->sens[i].position) + strlen(s->sens[i].role) +
             s->sens[i].rho;
    for (int i = 0; i < s->npos; i++) sum += strlen(s->pos[i].position) + s->pos[i].mean_rank;
    if (sum == -1) abort();
    sl_sweep_summary_free(s);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  char path[128];
  // in memory where there is a tmpfs: the file is fsync'ed
  const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(path, sizeof path, "%s/sl_fuzz_h5read_%ld.h5", dir, (long)getpid());
  remove(path);
  static int raw = -1;
  if (raw < 0) raw = getenv("SL_FUZZ_H5_RAW") && !strcmp(getenv("SL_FUZZ_H5_RAW"), "1");
  if (raw && data[0] == 0) {
    FILE* f = fopen(path, "wb");
    if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f)) abort();
  } else {
    In      in = {data + 1, size - 1, 0};
    slH5*   f = NULL;
    slError e;
    if (sl_h5_create(&f, path, &e) != SL_OK) abort();  // the fuzzer's set-up failed
    if (data[0] % 2 == 0)
      make_rank(f, &in);
    else
      make_sweep(f, &in);
    if (sl_h5_commit(f, &e) != SL_OK) return 0;
  }
  read_all(path);
  remove(path);
  return 0;
}
