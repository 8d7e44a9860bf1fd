// test_sweep.c: the sweep driver (sl_sweep_run: stop, journal, resume) and the sweep summary
// (sl_sweep_summary), checked against an uninterrupted run and an independent recomputation.
// covers: sl_sweep sl_sweep_run sl_sweep_stats
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_sweep.h"
#include "spineload.h"
#include "testutil.h"

// 16 combinations x 2 positions (both with two roles), 4 samples per cycle, blocks of 2 units
#define SWEEP     SL_TEST_SOURCE_DIR "/tests/data/sweep_small.yaml"
#define NCOMB     16
#define NPOS      2
#define NROW      (NCOMB * NPOS * 2)
#define NBLOCK    16
#define NMETRIC   18
#define NPAR      3
#define POSTURES  (NCOMB * NPOS * 2 * 4)  // units x roles x samples
#define REFERENCE "ref.h5"

static char g_dir[512];

static const char* in_dir(const char* name) {
  static char buf[4][1024];
  static int  k = 0;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
  return buf[k];
}

static slSweep* open_small(void) {
  slSweep* sw = NULL;
  slError  e;
  if (sl_sweep_open(&sw, SWEEP, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return sw;
}

// what the callbacks saw
typedef struct Seen {
  int          calls, waves, stop_after;  // stop_after: waves before stop returns 1 (0: never)
  slSweepStage first, last;
  long         units_done, postures;
} Seen;

static void on_progress(void* ctx, const slSweepProgress* p) {
  Seen* s = ctx;
  if (s->calls++ == 0) s->first = p->stage;
  s->last = p->stage;
  s->waves += p->stage == SL_SWEEP_WAVE;
  s->units_done = p->units_done;
  s->postures = p->postures;
}

static int on_stop(void* ctx) {
  const Seen* s = ctx;
  return s->stop_after > 0 && s->waves >= s->stop_after;
}

static slStatus run(slSweep* sw, const char* out, int resume, Seen* seen, slSweepRunInfo* info,
                    slError* e) {
  slSweepRunOpt o = {.out = out,
                     .resume = resume,
                     .threads = 1,  // waves of 2 blocks
                     .stop = on_stop,
                     .progress = on_progress,
                     .ctx = seen};
  return sl_sweep_run(sw, &o, info, e);
}

static void* read_all(const char* file, const char* dset, slH5Type type, size_t want_cols) {
  slH5*   f = NULL;
  slError e;
  int     rank = 0;
  size_t  dims[4];
  if (sl_h5_open(&f, file, 0, &e) != SL_OK || sl_h5_shape(f, dset, &rank, dims, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
  assert_int_equal(rank, 2);
  assert_int_equal(dims[0], NROW);
  assert_int_equal(dims[1], want_cols);
  void* data = malloc(dims[0] * dims[1] * 8);
  if (sl_h5_read(f, dset, type, data, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  sl_h5_close(f);
  return data;
}

static void attr(const char* file, const char* name, char* buf, size_t n) {
  slH5*   f = NULL;
  slError e;
  if (sl_h5_open(&f, file, 0, &e) != SL_OK ||
      sl_h5_read_attr_str(f, "/sweep", name, buf, n, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
  sl_h5_close(f);
}

// the uninterrupted run every other test compares with (made once)
static const char* reference(void) {
  const char* ref = in_dir(REFERENCE);
  if (access(ref, F_OK) == 0) return ref;
  slSweep*       sw = open_small();
  Seen           seen = {0};
  slSweepRunInfo info;
  slError        e;
  if (run(sw, ref, 0, &seen, &info, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  sl_sweep_free(sw);
  return ref;
}

static void test_run_complete(void** state) {
  (void)state;
  slSweep*       sw = open_small();
  Seen           seen = {0};
  slSweepRunInfo info;
  slError        e;
  const char*    out = in_dir("full.h5");
  assert_int_equal(run(sw, out, 0, &seen, &info, &e), SL_OK);
  assert_string_equal(info.name, "small");
  assert_int_equal(info.combinations, NCOMB);
  assert_int_equal(info.positions, NPOS);
  assert_int_equal(info.units, NCOMB * NPOS);
  assert_int_equal(info.blocks, NBLOCK);
  assert_int_equal(info.blocks_done, NBLOCK);
  assert_int_equal(info.complete, 1);
  assert_int_equal(info.resumed, 0);
  assert_int_equal(info.postures, POSTURES);
  assert_true(info.seconds >= 0);
  // progress: started, one call per wave of 2 blocks, finished
  assert_int_equal(seen.first, SL_SWEEP_STARTED);
  assert_int_equal(seen.last, SL_SWEEP_FINISHED);
  assert_int_equal(seen.waves, NBLOCK / 2);
  assert_int_equal(seen.units_done, NCOMB * NPOS);
  assert_int_equal(seen.postures, POSTURES);
  // the file: final name, no journal, no temporary; rows in (combination, position, role) order
  assert_int_equal(access(in_dir("full.h5.journal"), F_OK), -1);
  int32_t* idx = read_all(out, "/sweep/index", SL_H5_I32, 3);
  int32_t* sta = read_all(out, "/sweep/status", SL_H5_I32, 1);
  for (int r = 0; r < NROW; r++) {
    assert_int_equal(idx[3 * r], r / (2 * NPOS));
    assert_int_equal(idx[3 * r + 1], (r / 2) % NPOS);
    assert_int_equal(idx[3 * r + 2], r % 2);
    assert_true(sta[r] >= 0);  // both test positions have both roles and build
  }
  char buf[64];
  attr(out, "complete", buf, sizeof buf);
  assert_string_equal(buf, "1");
  attr(out, "postures_last_run", buf, sizeof buf);
  assert_int_equal(atol(buf), POSTURES);
  free(idx), free(sta);
  sl_sweep_free(sw);
}

static void assert_same_rows(const char* a, const char* b) {
  static const struct {
    const char* d;
    slH5Type    t;
    size_t      cols, bytes;
  } ds[] = {{"/sweep/params", SL_H5_F64, NPAR, 8},
            {"/sweep/metrics", SL_H5_F64, NMETRIC, 8},
            {"/sweep/index", SL_H5_I32, 3, 4},
            {"/sweep/status", SL_H5_I32, 1, 4}};
  for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
    void* x = read_all(a, ds[k].d, ds[k].t, ds[k].cols);
    void* y = read_all(b, ds[k].d, ds[k].t, ds[k].cols);
    // bit for bit (NaN metrics included)
    if (memcmp(x, y, NROW * ds[k].cols * ds[k].bytes)) fail_msg("%s differs", ds[k].d);
    free(x), free(y);
  }
}

static void test_stop_refuse_resume(void** state) {
  (void)state;
  const char*    ref = reference();
  const char*    out = in_dir("stop.h5");
  const char*    jn = in_dir("stop.h5.journal");
  slSweep*       sw = open_small();
  Seen           seen = {.stop_after = 1};
  slSweepRunInfo info;
  slError        e;
  // stopped after the first wave: not an error; a valid file marked incomplete, the journal kept
  assert_int_equal(run(sw, out, 0, &seen, &info, &e), SL_OK);
  assert_int_equal(info.complete, 0);
  assert_int_equal(info.blocks_done, 2);
  assert_int_equal(info.blocks, NBLOCK);
  assert_int_equal(seen.waves, 1);
  assert_int_equal(seen.last, SL_SWEEP_FINISHED);
  assert_int_equal(access(jn, F_OK), 0);
  char buf[64];
  attr(out, "complete", buf, sizeof buf);
  assert_string_equal(buf, "0");
  attr(out, "blocks_done", buf, sizeof buf);
  assert_string_equal(buf, "2");
  // without resume the journal is protected, and the error names it
  Seen again = {0};
  memset(&e, 0, sizeof e);
  assert_int_equal(run(sw, out, 0, &again, &info, &e), SL_ERR_ARG);
  assert_string_equal(e.where, jn);
  assert_non_null(strstr(e.msg, "--resume"));
  assert_int_equal(again.calls, 0);
  assert_int_equal(access(jn, F_OK), 0);
  // resuming computes only the missing blocks and gives the uninterrupted run's rows
  Seen rest = {0};
  assert_int_equal(run(sw, out, 1, &rest, &info, &e), SL_OK);
  assert_int_equal(info.complete, 1);
  assert_int_equal(info.resumed, 1);
  assert_int_equal(info.blocks_resumed, 2);
  assert_int_equal(info.blocks_done, NBLOCK);
  assert_int_equal(info.postures, POSTURES - 2 * POSTURES / NBLOCK);
  assert_int_equal(rest.waves, (NBLOCK - 2) / 2);
  assert_int_equal(access(jn, F_OK), -1);
  attr(out, "complete", buf, sizeof buf);
  assert_string_equal(buf, "1");
  assert_same_rows(ref, out);
  sl_sweep_free(sw);
}

// a journal record whose header and checksum pass but whose row count is not its block's (a
// hostile or forged journal): resuming refuses it instead of writing past the one-block staging
static uint64_t journal_sum(uint64_t block, uint32_t nrows, const uint8_t* b, size_t n) {
  uint64_t h = 1469598103934665603ull ^ block ^ ((uint64_t)nrows << 32);  // as sl_journal.c
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

static void test_forged_journal(void** state) {
  (void)state;
  const char*    out = in_dir("forged.h5");
  const char*    jn = in_dir("forged.h5.journal");
  slSweep*       sw = open_small();
  Seen           seen = {.stop_after = 1};
  slSweepRunInfo info;
  slError        e;
  assert_int_equal(run(sw, out, 0, &seen, &info, &e), SL_OK);
  assert_int_equal(info.blocks_done, 2);
  // the first record (header 24 bytes; magic, block, nrows, rows, checksum) again, with its rows
  // twice: block 0 then claims 8 rows where it has 4
  FILE* f = fopen(jn, "r+b");
  assert_non_null(f);
  uint32_t magic, nrows;
  uint64_t block;
  assert_int_equal(fseek(f, 24, SEEK_SET), 0);
  assert_int_equal(fread(&magic, 4, 1, f), 1);
  assert_int_equal(fread(&block, 8, 1, f), 1);
  assert_int_equal(fread(&nrows, 4, 1, f), 1);
  assert_int_equal(nrows, 4);
  size_t   n = nrows * sizeof(slSweepRow);
  uint8_t* rows = malloc(2 * n);
  assert_int_equal(fread(rows, 1, n, f), n);
  memcpy(rows + n, rows, n);
  uint32_t twice = 2 * nrows;
  uint64_t sum = journal_sum(block, twice, rows, 2 * n);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  assert_int_equal(fwrite(&magic, 4, 1, f), 1);
  assert_int_equal(fwrite(&block, 8, 1, f), 1);
  assert_int_equal(fwrite(&twice, 4, 1, f), 1);
  assert_int_equal(fwrite(rows, 1, 2 * n, f), 2 * n);
  assert_int_equal(fwrite(&sum, 8, 1, f), 1);
  assert_int_equal(fclose(f), 0);
  free(rows);
  Seen rest = {0};
  memset(&e, 0, sizeof e);
  assert_int_equal(run(sw, out, 1, &rest, &info, &e), SL_ERR_PARSE);
  assert_non_null(strstr(e.msg, "block 0 holds 8 rows where the sweep has 4"));
  sl_sweep_free(sw);
  remove(jn);
}

// ---- independent statistics ---------------------------------------------------------------------
// average (1-based) ranks with ties sharing their mean rank, O(n^2)
static void avg_ranks(const double* x, int n, double* r) {
  for (int i = 0; i < n; i++) {
    int below = 0, equal = 0;
    for (int j = 0; j < n; j++) below += x[j] < x[i], equal += x[j] == x[i];
    r[i] = below + (equal + 1) / 2.0;
  }
}

static double spearman(const double* x, const double* y, int n) {
  double rx[NCOMB], ry[NCOMB], mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  avg_ranks(x, n, rx);
  avg_ranks(y, n, ry);
  for (int i = 0; i < n; i++) mx += rx[i] / n, my += ry[i] / n;
  for (int i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

static void test_summary_recomputed(void** state) {
  (void)state;
  const char*     ref = reference();
  double*         met = read_all(ref, "/sweep/metrics", SL_H5_F64, NMETRIC);
  double*         par = read_all(ref, "/sweep/params", SL_H5_F64, NPAR);
  slSweepSummary* s = NULL;
  slError         e;
  if (sl_sweep_summary(ref, &s, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  assert_int_equal(s->combinations, NCOMB);
  assert_int_equal(s->npos, NPOS);
  assert_int_equal(s->nsens, NPAR * NPOS * 2);
  static const char* const pname[NPAR] = {"body.mass_kg", "motion.frequency_hz",
                                          "solver.criterion"};
  // rho of each (parameter, position, role) from the rows: the load index is metric column 0
  for (int q = 0; q < NPAR; q++)
    for (int p = 0; p < NPOS; p++)
      for (int r = 0; r < 2; r++) {
        const slSweepSensitivity* x = &s->sens[(q * NPOS + p) * 2 + r];
        double                    pv[NCOMB], li[NCOMB];
        for (int c = 0; c < NCOMB; c++) {
          int row = (c * NPOS + p) * 2 + r;
          pv[c] = par[row * NPAR + q];
          li[c] = met[row * NMETRIC];
        }
        assert_string_equal(x->parameter, pname[q]);
        assert_string_equal(x->position, p ? "test_side_right" : "test_side_left");
        assert_int_equal(x->n, NCOMB);
        assert_near(x->rho, spearman(pv, li, NCOMB), 1e-12, 0);
      }
  // rank stability: rank the positions by their partners' larger load index in each combination
  double sum[NPOS] = {0}, sum2[NPOS] = {0};
  int    best[NPOS] = {99, 99}, worst[NPOS] = {0, 0};
  for (int c = 0; c < NCOMB; c++) {
    double w[NPOS];
    for (int p = 0; p < NPOS; p++) {
      int row = (c * NPOS + p) * 2;
      w[p] = fmax(met[row * NMETRIC], met[(row + 1) * NMETRIC]);
    }
    for (int p = 0; p < NPOS; p++) {
      int rk = 1;
      for (int o = 0; o < NPOS; o++) rk += w[o] < w[p] || (w[o] == w[p] && o < p);
      sum[p] += rk, sum2[p] += rk * rk;
      best[p] = rk < best[p] ? rk : best[p];
      worst[p] = rk > worst[p] ? rk : worst[p];
    }
  }
  double S = 0, m = NCOMB, n = NPOS;
  for (int p = 0; p < NPOS; p++) {
    S += (sum[p] - m * (n + 1) / 2) * (sum[p] - m * (n + 1) / 2);
    double mean = sum[p] / m;
    assert_near(s->pos[p].mean_rank, mean, 1e-12, 0);
    assert_near(s->pos[p].sd_rank, sqrt(fmax(0, sum2[p] / m - mean * mean)), 1e-12, 0);
    assert_int_equal(s->pos[p].best, best[p]);
    assert_int_equal(s->pos[p].worst, worst[p]);
  }
  assert_int_equal(s->used, NCOMB);
  assert_near(s->kendall_w, 12 * S / (m * m * (n * n * n - n)), 1e-12, 0);
  assert_true(s->kendall_w >= 0 && s->kendall_w <= 1);
  sl_sweep_summary_free(s);
  free(met), free(par);
}

static void test_errors(void** state) {
  (void)state;
  slError  e;
  slSweep* sw = (slSweep*)&e;
  // a bad fixed override is an input error found before any run, naming the key
  slOverride bad = {"body.colour", "red"};
  assert_int_equal(sl_sweep_open(&sw, SWEEP, &bad, 1, &e), SL_ERR_KEY);
  assert_null(sw);
  assert_non_null(strstr(e.msg, "colour"));
  slOverride range = {"body.height_m", "9"};  // not swept, so it stands
  assert_int_not_equal(sl_sweep_open(&sw, SWEEP, &range, 1, &e), SL_OK);
  assert_non_null(strstr(e.msg, "outside the allowed range"));
  assert_int_equal(sl_sweep_open(&sw, in_dir("missing.yaml"), NULL, 0, &e), SL_ERR_IO);
  // no output path
  slSweepRunOpt  o = {0};
  slSweepRunInfo info;
  sw = open_small();
  assert_int_equal(sl_sweep_run(sw, &o, &info, &e), SL_ERR_ARG);
  sl_sweep_free(sw);
  sl_sweep_free(NULL);
  // summaries: not HDF5, HDF5 without a sweep, a sweep layout with the wrong metric columns
  slSweepSummary* s = (slSweepSummary*)&e;
  assert_int_equal(sl_sweep_summary(SWEEP, &s, &e), SL_ERR_IO);
  assert_null(s);
  assert_string_equal(e.where, SWEEP);
  slH5*       f = NULL;
  const char* empty = in_dir("empty.h5");
  assert_int_equal(sl_h5_create(&f, empty, &e), SL_OK);
  assert_int_equal(sl_h5_group(f, "/other", &e), SL_OK);
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
  assert_int_equal(sl_sweep_summary(empty, &s, &e), SL_ERR_PARSE);
  assert_non_null(strstr(e.where, "/sweep/position_names"));
  const char*              odd = in_dir("odd.h5");
  static const char* const names[2] = {"a", "b"};
  static const char* const roles[4] = {"x", "y", "x", ""};
  static const char* const cols[2] = {"p", "q"};
  double                   row[4] = {1, 2, 3, 4};
  assert_int_equal(sl_h5_create(&f, odd, &e), SL_OK);
  assert_int_equal(sl_h5_write_strings(f, "/sweep/position_names", names, 2, "p", &e), SL_OK);
  assert_int_equal(sl_h5_write_strings(f, "/sweep/role_names", roles, 4, "r", &e), SL_OK);
  assert_int_equal(sl_h5_ext_create(f, "/sweep/metrics", SL_H5_F64, 2, 0, cols, NULL, "m", &e),
                   SL_OK);
  assert_int_equal(sl_h5_ext_create(f, "/sweep/params", SL_H5_F64, 2, 0, cols, NULL, "p", &e),
                   SL_OK);
  for (size_t at = 0; at < 4; at++) {
    assert_int_equal(sl_h5_ext_write(f, "/sweep/metrics", at, 1, row, &e), SL_OK);
    assert_int_equal(sl_h5_ext_write(f, "/sweep/params", at, 1, row, &e), SL_OK);
  }
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
  assert_int_equal(sl_sweep_summary(odd, &s, &e), SL_ERR_PARSE);
  assert_string_equal(e.where, odd);
  assert_string_equal(e.msg, "not a complete spineload sweep file");
  sl_sweep_summary_free(NULL);
}

// a sweep file of n rows whose datasets have the shapes given (status n x scol, metrics
// n x 18 x mdepth, params n x 1 x pdepth; depth 1: 2-D)
static void shaped(const char* path, size_t n, size_t scol, size_t mdepth, size_t pdepth) {
  static const char* const names[1] = {"a"};
  static const char* const roles[2] = {"x", "y"};
  slH5*                    f = NULL;
  slError                  e;
  size_t                   big = n * NMETRIC * (mdepth > pdepth ? mdepth : pdepth);
  double*                  v = calloc(big > n * scol ? big : n * scol, sizeof(double));
  assert_non_null(v);
  size_t ds[2] = {n, scol}, dm[3] = {n, NMETRIC, mdepth}, dp[3] = {n, 1, pdepth};
  assert_int_equal(sl_h5_create(&f, path, &e), SL_OK);
  assert_int_equal(sl_h5_write_strings(f, "/sweep/position_names", names, 1, "p", &e), SL_OK);
  assert_int_equal(sl_h5_write_strings(f, "/sweep/role_names", roles, 2, "r", &e), SL_OK);
  assert_int_equal(
      sl_h5_write(f, "/sweep/metrics", SL_H5_F64, mdepth > 1 ? 3 : 2, dm, v, "1", "m", &e), SL_OK);
  assert_int_equal(
      sl_h5_write(f, "/sweep/params", SL_H5_F64, pdepth > 1 ? 3 : 2, dp, v, "1", "p", &e), SL_OK);
  assert_int_equal(sl_h5_attr_str(f, "/sweep/params", "columns", "p", &e), SL_OK);
  assert_int_equal(sl_h5_write(f, "/sweep/status", SL_H5_I32, 2, ds, v, "1", "s", &e), SL_OK);
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
  free(v);
}

// datasets of another shape than sl_sweep_run writes are refused: their rows were read into
// slices sized for that shape (a heap overflow with more than 32768 rows)
static void test_summary_shapes(void** state) {
  (void)state;
  const char*     p = in_dir("shaped.h5");
  slSweepSummary* s = NULL;
  slError         e;
  shaped(p, 4, 1, 1, 1);  // the shapes sl_sweep_run writes
  assert_int_equal(sl_sweep_summary(p, &s, &e), SL_OK);
  assert_int_equal(s->combinations, 2);
  sl_sweep_summary_free(s);
  // a last combination cut short (one position: 2 rows each) is left out; its first row was
  // copied past the end of the parameters of the whole ones (found by fuzz_h5read)
  shaped(p, 5, 1, 1, 1);
  assert_int_equal(sl_sweep_summary(p, &s, &e), SL_OK);
  assert_int_equal(s->combinations, 2);
  sl_sweep_summary_free(s);
  static const size_t bad[][3] = {{2, 1, 1}, {1, 2, 1}, {1, 1, 30}};
  for (int k = 0; k < 3; k++) {
    shaped(p, 40000, bad[k][0], bad[k][1], bad[k][2]);
    s = (slSweepSummary*)&e;
    assert_int_equal(sl_sweep_summary(p, &s, &e), SL_ERR_PARSE);
    assert_null(s);
    assert_string_equal(e.msg, "not a complete spineload sweep file");
  }
  remove(p);
}

static int setup(void** state) {
  (void)state;
  snprintf(g_dir, sizeof g_dir, "%s/test_sweep_XXXXXX", SL_TEST_BINARY_DIR);
  return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void** state) {
  (void)state;
  static const char* const files[] = {REFERENCE,         "full.h5",           "stop.h5",
                                      "stop.h5.journal", "empty.h5",          "odd.h5",
                                      "forged.h5",       "forged.h5.journal", NULL};
  for (int k = 0; files[k]; k++) remove(in_dir(files[k]));
  return rmdir(g_dir);
}

// a parameter's unit and labels in /sweep: run options their table's unit, model keys the unit
// their name carries, categorical parameters an index into their labels
static void test_param_units(void** state) {
  (void)state;
  slSweepParam p;
  memset(&p, 0, sizeof p);
  p.numeric = 1;
  struct {
    const char* path;
    const char* unit;
  } want[] = {{"motion.frequency_hz", "Hz"},
              {"motion.amplitude_deg", "deg"},
              {"body.mass_kg", "kg"},
              {"subject.height_m", "m"},
              {"muscles.multifidus.fmax_scale", "1"},
              {"passive.something", "as in the model file"}};
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    snprintf(p.path, sizeof p.path, "%s", want[k].path);
    assert_string_equal(sl_sweep_param_unit(&p), want[k].unit);
  }
  char buf[256];
  sl_sweep_param_labels(&p, buf, sizeof buf);
  assert_string_equal(buf, "");
  snprintf(p.path, sizeof p.path, "solver.criterion");
  p.numeric = 0;
  p.nvalues = 3;
  snprintf(p.values[0], sizeof p.values[0], "p2");
  snprintf(p.values[1], sizeof p.values[1], "p3");
  snprintf(p.values[2], sizeof p.values[2], "minmax");
  assert_string_equal(sl_sweep_param_unit(&p), "index into /sweep/param_labels");
  sl_sweep_param_labels(&p, buf, sizeof buf);
  assert_string_equal(buf, "p2|p3|minmax");
  sl_sweep_param_labels(&p, buf, 6);  // cut, still terminated
  assert_string_equal(buf, "p2|p3");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_complete),   cmocka_unit_test(test_stop_refuse_resume),
      cmocka_unit_test(test_forged_journal), cmocka_unit_test(test_summary_recomputed),
      cmocka_unit_test(test_errors),         cmocka_unit_test(test_summary_shapes),
      cmocka_unit_test(test_param_units),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
