// test_h5.c: HDF5 output and input: round trips of every dataset kind, units/description on
// every dataset, the temporary-file protocol, extendible datasets written in blocks (including a
// rewrite, as resume does), error paths.
// covers: sl_h5
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_io.h"
#include "testutil.h"

#define OUTDIR SL_TEST_BINARY_DIR "/test_h5_out"

// a fresh file name under OUTDIR (any earlier file of that name removed)
static void out_path(char* buf, size_t n, const char* name) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  snprintf(buf, n, "%s/%s", OUTDIR, name);
  remove(buf);
}

static int file_exists(const char* p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void tmp_of(const char* path, char* buf, size_t n) {
  sl_tmp_name(path, buf, (int)n);
}

static void write_bytes(const char* path, const char* bytes, size_t n) {
  FILE* fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

static void assert_file_bytes(const char* path, const char* bytes, size_t n) {
  char*  buf = NULL;
  size_t len = 0;
  assert_int_equal(sl_read_file(path, &buf, &len, NULL), SL_OK);
  assert_int_equal(len, n);
  assert_memory_equal(buf, bytes, n);
  sl_free_buf(buf);
}

static void ok(slStatus st, const slError* e) {
  if (st != SL_OK) fail_msg("status %d at '%s': %s", (int)st, e->where, e->msg);
}

static void assert_attr(slH5* f, const char* obj, const char* name, const char* want) {
  char     buf[512];
  slError  e = {0};
  slStatus st = sl_h5_read_attr_str(f, obj, name, buf, sizeof buf, &e);
  if (st != SL_OK) fail_msg("attribute %s@%s: %s", obj, name, e.msg);
  assert_string_equal(buf, want);
}

static void assert_shape(slH5* f, const char* path, int rank, size_t d0, size_t d1, size_t d2,
                         size_t d3) {
  int     r = -1;
  size_t  dims[4];
  slError e = {0};
  ok(sl_h5_shape(f, path, &r, dims, &e), &e);
  assert_int_equal(r, rank);
  size_t want[4] = {d0, d1, d2, d3};
  for (int i = 0; i < 4; i++) assert_int_equal(dims[i], i < rank ? want[i] : 1);
}

// ---- the data of the round trip -----------------------------------------------------------------

enum { N1 = 7, R2 = 3, C2 = 4, A3 = 2, B3 = 3, C3 = 5, BIGR = 120, BIGC = 100, TROWS = 5 };

typedef struct Data {
  double  s0, v1[N1], m2[R2][C2], t3[A3][B3][C3], big[BIGR][BIGC];
  int32_t i1[N1], i2[R2][C2];
  int64_t l0, l1[N1];
  uint8_t u1[N1], u3[A3][B3][C3];
  double  q4[2][2][2][3];
} Data;

static void fill(Data* D) {
  D->s0 = 3.141592653589793;
  for (int i = 0; i < N1; i++) {
    D->v1[i] = 0.1 * i - 1e-300;
    D->i1[i] = -1000000 * i + 7;
    D->l1[i] = (int64_t)i * 1234567890123LL - 9;
    D->u1[i] = (uint8_t)(250 + i);
  }
  D->l0 = -9007199254740993LL;
  for (int r = 0; r < R2; r++)
    for (int c = 0; c < C2; c++) {
      D->m2[r][c] = r * 10.0 + c / 3.0;
      D->i2[r][c] = r * 100 - c;
    }
  for (int a = 0; a < A3; a++)
    for (int b = 0; b < B3; b++)
      for (int c = 0; c < C3; c++) {
        D->t3[a][b][c] = a - b * 0.5 + c * 1e-3;
        D->u3[a][b][c] = (uint8_t)(a * 100 + b * 10 + c);
      }
  for (int r = 0; r < BIGR; r++)
    for (int c = 0; c < BIGC; c++) D->big[r][c] = r * 1000.0 + c + 0.25;
  double* q = &D->q4[0][0][0][0];
  for (int i = 0; i < 24; i++) q[i] = -i * 0.5;
}

static const char* const STRINGS[] = {"L5/S1", "", "Schmorl’s node (µm, °)", "a\tb", "ä"};
enum { NSTR = 5 };

static const char* const TNAME[TROWS] = {"stand", "flex 30°", "", "lift", "twist"};
static const double      TANGLE[TROWS] = {0, 0.5235987755982988, -1.5, 2.25, 1e10};
static const int32_t     TCOUNT[TROWS] = {1, -2, 2147483647, 0, -2147483647};

// the datasets of the round trip with their units (tables: the joined units)
static const struct {
  const char* path;
  const char* units;
} DSETS[] = {
    {"/scalar/f64", "m"},
    {"/vec/f64", "N"},
    {"/mat/f64", "N m"},
    {"/a/b/c/t3", "rad"},
    {"/big/f64", "Pa"},
    {"/vec/i32", "1"},
    {"/mat/i32", "1"},
    {"/scalar/i64", "ns"},
    {"/vec/i64", "1"},
    {"/vec/u8", "1"},
    {"/a/b/c/u3", "1"},
    {"/rank4", "kg"},
    {"/empty", "m"},
    {"/names", "1"},
    {"/no_names", "1"},
    {"/tables/postures", "name: 1; angle: rad; count: 1"},
    {"/sweeps/f", "x: m; y: 1; z: N"},
};

static void write_all(slH5* f, const Data* D) {
  slError e = {0};
  size_t  d[4];
  ok(sl_h5_write(f, "/scalar/f64", SL_H5_F64, 0, NULL, &D->s0, "m", "a scalar", &e), &e);
  d[0] = N1;
  ok(sl_h5_write(f, "/vec/f64", SL_H5_F64, 1, d, D->v1, "N", "a vector", &e), &e);
  ok(sl_h5_write(f, "/vec/i32", SL_H5_I32, 1, d, D->i1, "1", "int32 vector", &e), &e);
  ok(sl_h5_write(f, "vec/i64", SL_H5_I64, 1, d, D->l1, "1", "int64 vector", &e), &e);
  ok(sl_h5_write(f, "/vec//u8/", SL_H5_U8, 1, d, D->u1, "1", "uint8 vector", &e), &e);
  d[0] = R2, d[1] = C2;
  ok(sl_h5_write(f, "/mat/f64", SL_H5_F64, 2, d, D->m2, "N m", "a matrix", &e), &e);
  ok(sl_h5_write(f, "/mat/i32", SL_H5_I32, 2, d, D->i2, "1", "int32 matrix", &e), &e);
  d[0] = A3, d[1] = B3, d[2] = C3;
  ok(sl_h5_write(f, "/a/b/c/t3", SL_H5_F64, 3, d, D->t3, "rad", "rank 3", &e), &e);
  ok(sl_h5_write(f, "/a/b/c/u3", SL_H5_U8, 3, d, D->u3, "1", "rank 3 bytes", &e), &e);
  ok(sl_h5_write(f, "/scalar/i64", SL_H5_I64, 0, NULL, &D->l0, "ns", "an int64 scalar", &e), &e);
  d[0] = BIGR, d[1] = BIGC;  // 96000 bytes: chunked and compressed
  ok(sl_h5_write(f, "/big/f64", SL_H5_F64, 2, d, D->big, "Pa", "large, compressed", &e), &e);
  d[0] = 2, d[1] = 2, d[2] = 2, d[3] = 3;
  ok(sl_h5_write(f, "/rank4", SL_H5_F64, 4, d, D->q4, "kg", "rank 4", &e), &e);
  d[0] = 0, d[1] = 3;
  ok(sl_h5_write(f, "/empty", SL_H5_F64, 2, d, NULL, "m", "no rows", &e), &e);
  ok(sl_h5_write_strings(f, "/names", STRINGS, NSTR, "some strings", &e), &e);
  ok(sl_h5_write_strings(f, "/no_names", NULL, 0, "no strings", &e), &e);
  slH5Col cols[3] = {{"name", SL_H5_STR, NULL, TNAME},
                     {"angle", SL_H5_F64, "rad", TANGLE},
                     {"count", SL_H5_I32, "1", TCOUNT}};
  ok(sl_h5_write_table(f, "/tables/postures", TROWS, 3, cols, "a table", &e), &e);
  const char* cn[3] = {"x", "y", "z"};
  const char* cu[3] = {"m", NULL, "N"};
  ok(sl_h5_ext_create(f, "/sweeps/f", SL_H5_F64, 3, 4, cn, cu, "an extendible table", &e), &e);
  double rows[2][3] = {{1, 2, 3}, {4, 5, 6}};
  ok(sl_h5_ext_write(f, "/sweeps/f", 0, 2, rows, &e), &e);
  // attributes on a group and on a dataset; rewriting one replaces it
  ok(sl_h5_group(f, "/meta/sub", &e), &e);
  ok(sl_h5_group(f, "/meta", &e), &e);
  ok(sl_h5_attr_str(f, "/meta", "version", "old", &e), &e);
  ok(sl_h5_attr_str(f, "/meta", "version", "0.1.0 – ü", &e), &e);
  ok(sl_h5_attr_f64(f, "/meta", "mass_kg", 72.125, &e), &e);
  ok(sl_h5_attr_f64(f, "/meta", "tiny", 1.0 / 3.0, &e), &e);
  ok(sl_h5_attr_i64(f, "/meta", "count", -1234567890123LL, &e), &e);
  ok(sl_h5_attr_str(f, "/vec/f64", "note", "on a dataset", &e), &e);
  ok(sl_h5_attr_str(f, "/", "title", "root attribute", &e), &e);
}

static void check_all(slH5* f, const Data* D) {
  slError e = {0};
  Data*   R = calloc(1, sizeof *R);
  assert_non_null(R);
  assert_shape(f, "/scalar/f64", 0, 0, 0, 0, 0);
  ok(sl_h5_read(f, "/scalar/f64", SL_H5_F64, &R->s0, &e), &e);
  assert_true(R->s0 == D->s0);
  ok(sl_h5_read(f, "/scalar/i64", SL_H5_I64, &R->l0, &e), &e);
  assert_true(R->l0 == D->l0);
  assert_shape(f, "/vec/f64", 1, N1, 0, 0, 0);
  ok(sl_h5_read(f, "/vec/f64", SL_H5_F64, R->v1, &e), &e);
  assert_memory_equal(R->v1, D->v1, sizeof D->v1);
  ok(sl_h5_read(f, "/vec/i32", SL_H5_I32, R->i1, &e), &e);
  assert_memory_equal(R->i1, D->i1, sizeof D->i1);
  ok(sl_h5_read(f, "/vec/i64", SL_H5_I64, R->l1, &e), &e);
  assert_memory_equal(R->l1, D->l1, sizeof D->l1);
  ok(sl_h5_read(f, "/vec/u8", SL_H5_U8, R->u1, &e), &e);
  assert_memory_equal(R->u1, D->u1, sizeof D->u1);
  assert_shape(f, "/mat/f64", 2, R2, C2, 0, 0);
  ok(sl_h5_read(f, "/mat/f64", SL_H5_F64, R->m2, &e), &e);
  assert_memory_equal(R->m2, D->m2, sizeof D->m2);
  ok(sl_h5_read(f, "/mat/i32", SL_H5_I32, R->i2, &e), &e);
  assert_memory_equal(R->i2, D->i2, sizeof D->i2);
  assert_shape(f, "/a/b/c/t3", 3, A3, B3, C3, 0);
  ok(sl_h5_read(f, "/a/b/c/t3", SL_H5_F64, R->t3, &e), &e);
  assert_memory_equal(R->t3, D->t3, sizeof D->t3);
  ok(sl_h5_read(f, "/a/b/c/u3", SL_H5_U8, R->u3, &e), &e);
  assert_memory_equal(R->u3, D->u3, sizeof D->u3);
  assert_shape(f, "/big/f64", 2, BIGR, BIGC, 0, 0);
  ok(sl_h5_read(f, "/big/f64", SL_H5_F64, R->big, &e), &e);
  assert_memory_equal(R->big, D->big, sizeof D->big);
  double rows[3][BIGC];
  ok(sl_h5_read_rows(f, "/big/f64", SL_H5_F64, 50, 3, rows, &e), &e);
  assert_memory_equal(rows, D->big[50], sizeof rows);
  assert_shape(f, "/rank4", 4, 2, 2, 2, 3);
  ok(sl_h5_read(f, "/rank4", SL_H5_F64, R->q4, &e), &e);
  assert_memory_equal(R->q4, D->q4, sizeof D->q4);
  assert_shape(f, "/empty", 2, 0, 3, 0, 0);
  ok(sl_h5_read(f, "/empty", SL_H5_F64, NULL, &e), &e);
  // conversion on read: int32 data as double
  double i1d[N1];
  ok(sl_h5_read(f, "/vec/i32", SL_H5_F64, i1d, &e), &e);
  for (int i = 0; i < N1; i++) assert_true(i1d[i] == (double)D->i1[i]);
  free(R);

  // strings
  char** s = NULL;
  size_t n = 0;
  ok(sl_h5_read_strings(f, "/names", &s, &n, &e), &e);
  assert_int_equal(n, NSTR);
  for (int i = 0; i < NSTR; i++) assert_string_equal(s[i], STRINGS[i]);
  sl_h5_free_strings(s, n);
  ok(sl_h5_read_strings(f, "/no_names", &s, &n, &e), &e);
  assert_int_equal(n, 0);
  sl_h5_free_strings(s, n);

  // the table: shape, columns read as "<table>/<column>", units
  assert_shape(f, "/tables/postures", 1, TROWS, 0, 0, 0);
  double  ang[TROWS];
  int32_t cnt[TROWS];
  ok(sl_h5_read(f, "/tables/postures/angle", SL_H5_F64, ang, &e), &e);
  assert_memory_equal(ang, TANGLE, sizeof ang);
  ok(sl_h5_read(f, "/tables/postures/count", SL_H5_I32, cnt, &e), &e);
  assert_memory_equal(cnt, TCOUNT, sizeof cnt);
  ok(sl_h5_read_rows(f, "/tables/postures/count", SL_H5_I32, 2, 2, cnt, &e), &e);
  assert_int_equal(cnt[0], TCOUNT[2]);
  assert_int_equal(cnt[1], TCOUNT[3]);
  ok(sl_h5_read_strings(f, "/tables/postures/name", &s, &n, &e), &e);
  assert_int_equal(n, TROWS);
  for (int i = 0; i < TROWS; i++) assert_string_equal(s[i], TNAME[i]);
  sl_h5_free_strings(s, n);
  assert_attr(f, "/tables/postures", "units_name", "1");
  assert_attr(f, "/tables/postures", "units_angle", "rad");
  assert_attr(f, "/tables/postures", "units_count", "1");
  assert_int_equal(sl_h5_read(f, "/tables/postures/nope", SL_H5_F64, ang, &e), SL_ERR_HDF5);

  // the extendible dataset and its column attributes
  assert_shape(f, "/sweeps/f", 2, 2, 3, 0, 0);
  double x[2][3];
  ok(sl_h5_read(f, "/sweeps/f", SL_H5_F64, x, &e), &e);
  assert_true(x[0][0] == 1 && x[1][2] == 6);
  assert_attr(f, "/sweeps/f", "columns", "x; y; z");
  assert_attr(f, "/sweeps/f", "column_units", "m; 1; N");

  // attributes
  assert_attr(f, "/meta", "version", "0.1.0 – ü");
  assert_attr(f, "/meta", "mass_kg", "72.125");
  char buf[64];
  ok(sl_h5_read_attr_str(f, "/meta", "tiny", buf, sizeof buf, &e), &e);
  assert_true(strtod(buf, NULL) == 1.0 / 3.0);
  assert_attr(f, "/meta", "count", "-1234567890123");
  assert_attr(f, "/vec/f64", "note", "on a dataset");
  assert_attr(f, "/", "title", "root attribute");
  // truncation keeps whole UTF-8 characters: "0.1.0 " + 3-byte dash does not fit in 8 bytes
  ok(sl_h5_read_attr_str(f, "/meta", "version", buf, 8, &e), &e);
  assert_string_equal(buf, "0.1.0 ");

  assert_true(sl_h5_exists(f, "/meta/sub"));
  assert_true(sl_h5_exists(f, "/a/b/c/t3"));
  assert_true(sl_h5_exists(f, "a/b"));
  assert_true(sl_h5_exists(f, "/"));
  assert_false(sl_h5_exists(f, "/a/b/c/t3/x"));
  assert_false(sl_h5_exists(f, "/nothing/here"));
  assert_false(sl_h5_exists(f, NULL));
  assert_false(sl_h5_exists(NULL, "/a"));
}

static void test_roundtrip(void** state) {
  (void)state;
  char path[512];
  out_path(path, sizeof path, "roundtrip.h5");
  Data* D = calloc(1, sizeof *D);
  assert_non_null(D);
  fill(D);
  slH5*   f = NULL;
  slError e = {0};
  ok(sl_h5_create(&f, path, &e), &e);
  write_all(f, D);
  // the file being written is readable through the same handle
  check_all(f, D);
  ok(sl_h5_flush(f, &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  check_all(f, D);
  // read-only: writing fails cleanly
  size_t d1 = 1;
  assert_int_equal(sl_h5_write(f, "/new", SL_H5_F64, 1, &d1, &D->s0, "m", "x", &e), SL_ERR_HDF5);
  sl_h5_close(f);
  free(D);
}

static void test_units_everywhere(void** state) {
  (void)state;
  char path[512];
  out_path(path, sizeof path, "units.h5");
  Data* D = calloc(1, sizeof *D);
  assert_non_null(D);
  fill(D);
  slH5*   f = NULL;
  slError e = {0};
  ok(sl_h5_create(&f, path, &e), &e);
  write_all(f, D);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  for (size_t k = 0; k < sizeof DSETS / sizeof DSETS[0]; k++) {
    char buf[256];
    assert_true(sl_h5_exists(f, DSETS[k].path));
    assert_attr(f, DSETS[k].path, "units", DSETS[k].units);
    ok(sl_h5_read_attr_str(f, DSETS[k].path, "description", buf, sizeof buf, &e), &e);
    assert_true(strlen(buf) > 0);
  }
  assert_attr(f, "/names", "description", "some strings");
  assert_attr(f, "/big/f64", "description", "large, compressed");
  sl_h5_close(f);
  free(D);
}

static void test_tmp_protocol(void** state) {
  (void)state;
  char path[512], tmp[600];
  out_path(path, sizeof path, "protocol.h5");
  tmp_of(path, tmp, sizeof tmp);
  slH5*   f = NULL;
  slError e = {0};
  double  x = 1;
  // no earlier file: nothing at path until commit, nothing at all after abort
  ok(sl_h5_create(&f, path, &e), &e);
  assert_false(file_exists(path));
  assert_true(file_exists(tmp));
  ok(sl_h5_write(f, "/x", SL_H5_F64, 0, NULL, &x, "1", "x", &e), &e);
  ok(sl_h5_flush(f, &e), &e);
  assert_false(file_exists(path));
  sl_h5_abort(f);
  assert_false(file_exists(path));
  assert_false(file_exists(tmp));
  sl_h5_abort(NULL);

  // an earlier file is left byte for byte as it was by create, writing, failure and abort
  static const char old[] = "not touched \x01\x02\x00 until commit";
  write_bytes(path, old, sizeof old);
  write_bytes(tmp, "stale temporary", 15);  // a stale temporary is truncated
  ok(sl_h5_create(&f, path, &e), &e);
  assert_true(file_exists(tmp));
  assert_file_bytes(path, old, sizeof old);
  ok(sl_h5_write(f, "/x", SL_H5_F64, 0, NULL, &x, "1", "x", &e), &e);
  assert_int_equal(sl_h5_write(f, "/x", SL_H5_F64, 0, NULL, &x, "1", "x", &e), SL_ERR_HDF5);
  assert_file_bytes(path, old, sizeof old);
  sl_h5_abort(f);
  assert_false(file_exists(tmp));
  assert_file_bytes(path, old, sizeof old);

  // closing an uncommitted file is an abort
  ok(sl_h5_create(&f, path, &e), &e);
  sl_h5_close(f);
  assert_false(file_exists(tmp));
  assert_file_bytes(path, old, sizeof old);
  remove(path);
}

static void test_commit_replaces(void** state) {
  (void)state;
  char path[512], tmp[600];
  out_path(path, sizeof path, "replace.h5");
  tmp_of(path, tmp, sizeof tmp);
  slH5 *  f = NULL, *g = NULL;
  slError e = {0};
  double  one = 1, two = 2, got = 0;
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_h5_write(f, "/x", SL_H5_F64, 0, NULL, &one, "1", "first", &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  assert_true(file_exists(path));
  assert_false(file_exists(tmp));

  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_h5_write(f, "/x", SL_H5_F64, 0, NULL, &two, "1", "second", &e), &e);
  ok(sl_h5_write(f, "/y", SL_H5_F64, 0, NULL, &two, "1", "second", &e), &e);
  ok(sl_h5_flush(f, &e), &e);
  // the old file is still the old one while the new one is being written
  ok(sl_h5_open(&g, path, 0, &e), &e);
  ok(sl_h5_read(g, "/x", SL_H5_F64, &got, &e), &e);
  assert_true(got == 1);
  assert_false(sl_h5_exists(g, "/y"));
  sl_h5_close(g);
  ok(sl_h5_commit(f, &e), &e);
  assert_false(file_exists(tmp));

  ok(sl_h5_open(&g, path, 0, &e), &e);
  ok(sl_h5_read(g, "/x", SL_H5_F64, &got, &e), &e);
  assert_true(got == 2);
  assert_true(sl_h5_exists(g, "/y"));
  assert_attr(g, "/x", "description", "second");
  sl_h5_close(g);
}

// same content, same bytes (no timestamps in the file)
static void test_reproducible(void** state) {
  (void)state;
  char a[512], b[512];
  out_path(a, sizeof a, "repro_a.h5");
  out_path(b, sizeof b, "repro_b.h5");
  Data* D = calloc(1, sizeof *D);
  assert_non_null(D);
  fill(D);
  slError e = {0};
  for (int k = 0; k < 2; k++) {
    slH5* f = NULL;
    ok(sl_h5_create(&f, k ? b : a, &e), &e);
    write_all(f, D);
    ok(sl_h5_commit(f, &e), &e);
  }
  char * ba = NULL, *bb = NULL;
  size_t na = 0, nb = 0;
  assert_int_equal(sl_read_file(a, &ba, &na, NULL), SL_OK);
  assert_int_equal(sl_read_file(b, &bb, &nb, NULL), SL_OK);
  assert_int_equal(na, nb);
  assert_memory_equal(ba, bb, na);
  sl_free_buf(ba);
  sl_free_buf(bb);
  free(D);
}

enum { NC = 3, CH = 4 };

static void block(double* v, size_t at, size_t nrow, double tag) {
  for (size_t r = 0; r < nrow; r++)
    for (int c = 0; c < NC; c++) v[r * NC + (size_t)c] = tag + (double)(at + r) * 10 + c;
}

static void test_extendible(void** state) {
  (void)state;
  char path[512];
  out_path(path, sizeof path, "ext.h5");
  slH5*       f = NULL;
  slError     e = {0};
  const char* cn[NC] = {"compression", "shear", "moment"};
  const char* cu[NC] = {"N", "N", "N m"};
  double      want[13 * NC], blk[13 * NC];
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_h5_ext_create(f, "/sweep/loads", SL_H5_F64, NC, CH, cn, cu, "loads per step", &e), &e);
  ok(sl_h5_ext_create(f, "/sweep/ids", SL_H5_I32, 1, 0, cn, NULL, "ids", &e), &e);
  // block 1: rows 0..4 (crosses a chunk boundary)
  block(blk, 0, 5, 0);
  ok(sl_h5_ext_write(f, "/sweep/loads", 0, 5, blk, &e), &e);
  memcpy(want, blk, 5 * NC * sizeof *blk);
  // interleave another extendible dataset (the cached handle changes)
  int32_t ids[3] = {7, 8, 9};
  ok(sl_h5_ext_write(f, "/sweep/ids", 0, 3, ids, &e), &e);
  // block 2: rows 5..9
  block(blk, 5, 5, 0);
  ok(sl_h5_ext_write(f, "/sweep/loads", 5, 5, blk, &e), &e);
  memcpy(want + 5 * NC, blk, 5 * NC * sizeof *blk);
  // block 3: rewrite rows 3..7 with other values (as a resumed run does)
  block(blk, 3, 5, 0.5);
  ok(sl_h5_ext_write(f, "/sweep/loads", 3, 5, blk, &e), &e);
  memcpy(want + 3 * NC, blk, 5 * NC * sizeof *blk);
  ok(sl_h5_ext_write(f, "/sweep/loads", 10, 0, NULL, &e), &e);  // nothing
  ok(sl_h5_flush(f, &e), &e);
  assert_shape(f, "/sweep/loads", 2, 10, NC, 0, 0);
  ok(sl_h5_commit(f, &e), &e);

  // resume: reopen in place and go on
  ok(sl_h5_open(&f, path, 1, &e), &e);
  assert_shape(f, "/sweep/loads", 2, 10, NC, 0, 0);
  block(blk, 9, 4, 0.25);
  ok(sl_h5_ext_write(f, "/sweep/loads", 9, 4, blk, &e), &e);
  memcpy(want + 9 * NC, blk, 4 * NC * sizeof *blk);
  sl_h5_close(f);

  ok(sl_h5_open(&f, path, 0, &e), &e);
  assert_shape(f, "/sweep/loads", 2, 13, NC, 0, 0);
  double got[13 * NC];
  for (size_t at = 0; at < 13; at += 3) {  // by rows, 3 at a time
    size_t nrow = at + 3 <= 13 ? 3 : 13 - at;
    memset(got, 0, sizeof got);
    ok(sl_h5_read_rows(f, "/sweep/loads", SL_H5_F64, at, nrow, got, &e), &e);
    assert_memory_equal(got, want + at * NC, nrow * NC * sizeof *got);
  }
  ok(sl_h5_read(f, "/sweep/loads", SL_H5_F64, got, &e), &e);
  assert_memory_equal(got, want, sizeof want);
  int32_t idr[3];
  ok(sl_h5_read(f, "/sweep/ids", SL_H5_I32, idr, &e), &e);
  assert_memory_equal(idr, ids, sizeof ids);
  assert_attr(f, "/sweep/loads", "units", "compression: N; shear: N; moment: N m");
  assert_attr(f, "/sweep/loads", "columns", "compression; shear; moment");
  assert_attr(f, "/sweep/loads", "column_units", "N; N; N m");
  assert_attr(f, "/sweep/loads", "description", "loads per step");
  assert_attr(f, "/sweep/ids", "units", "compression: 1");
  // rows past the end
  assert_int_equal(sl_h5_read_rows(f, "/sweep/loads", SL_H5_F64, 12, 2, got, &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/sweep/loads");
  sl_h5_close(f);
}

// tables and string datasets over 64 KiB are chunked and compressed; variable-length data still
// round-trips
// Large whole datasets are chunked and compressed by the writer itself, several chunks at a time
// (sl_h5_write_chunks): every rank and element type, with edge chunks in every dimension, reads
// back exactly, whole and by rows, from the file as HDF5's filters decode it
static void test_chunked(void** state) {
  (void)state;
  char path[512];
  out_path(path, sizeof path, "chunked.h5");
  size_t d1[1] = {200001}, d2[2] = {1234, 57}, d3[3] = {301, 7, 11}, d4[4] = {3, 5, 7, 401};
  size_t n1 = d1[0], n2 = d2[0] * d2[1], n3 = d3[0] * d3[1] * d3[2],
         n4 = d4[0] * d4[1] * d4[2] * d4[3];
  uint8_t* u = malloc(n1);
  double * a = malloc(n2 * sizeof *a), *b = malloc(n4 * sizeof *b);
  int32_t* k = malloc(n3 * sizeof *k);
  assert_true(u && a && b && k);
  for (size_t i = 0; i < n1; i++) u[i] = (uint8_t)(i * 37 % 251);
  for (size_t i = 0; i < n2; i++) a[i] = sin(0.001 * (double)i) * 1e3 + (double)i;
  for (size_t i = 0; i < n3; i++) k[i] = (int32_t)(i * 2654435761u) - 7;
  for (size_t i = 0; i < n4; i++) b[i] = -1.0 / (1.0 + (double)i);
  // planes of high entropy are stored, not deflated (sl_h5_zlib): random bytes (every plane, so a
  // chunk ends in a stored block) and doubles whose low mantissa bytes are random
  uint8_t* ur = malloc(n1);
  double*  ar = malloc(n2 * sizeof *ar);
  assert_true(ur && ar);
  uint64_t x = 88172645463325252u;
  for (size_t i = 0; i < n1; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ur[i] = (uint8_t)(x >> 56);
  }
  for (size_t i = 0; i < n2; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    ar[i] = 0.3 + 0.1 * (double)(x >> 11) / 9007199254740992.0;
  }
  slH5*   f = NULL;
  slError e = {0};
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_h5_write(f, "/u8", SL_H5_U8, 1, d1, u, "1", "rank 1", &e), &e);
  ok(sl_h5_write(f, "/f64", SL_H5_F64, 2, d2, a, "m", "rank 2", &e), &e);
  ok(sl_h5_write(f, "/i32", SL_H5_I32, 3, d3, k, "1", "rank 3", &e), &e);
  ok(sl_h5_write(f, "/f64_4", SL_H5_F64, 4, d4, b, "N", "rank 4", &e), &e);
  ok(sl_h5_write(f, "/u8_random", SL_H5_U8, 1, d1, ur, "1", "random bytes", &e), &e);
  ok(sl_h5_write(f, "/f64_random", SL_H5_F64, 2, d2, ar, "m", "random mantissas", &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  uint8_t* ru = malloc(n1);
  double * ra = malloc(n2 * sizeof *ra), *rb = malloc(n4 * sizeof *rb);
  int32_t* rk = malloc(n3 * sizeof *rk);
  assert_true(ru && ra && rb && rk);
  ok(sl_h5_read(f, "/u8", SL_H5_U8, ru, &e), &e);
  ok(sl_h5_read(f, "/f64", SL_H5_F64, ra, &e), &e);
  ok(sl_h5_read(f, "/i32", SL_H5_I32, rk, &e), &e);
  ok(sl_h5_read(f, "/f64_4", SL_H5_F64, rb, &e), &e);
  assert_memory_equal(ru, u, n1);
  assert_memory_equal(ra, a, n2 * sizeof *a);
  assert_memory_equal(rk, k, n3 * sizeof *k);
  assert_memory_equal(rb, b, n4 * sizeof *b);
  ok(sl_h5_read(f, "/u8_random", SL_H5_U8, ru, &e), &e);
  ok(sl_h5_read(f, "/f64_random", SL_H5_F64, ra, &e), &e);
  assert_memory_equal(ru, ur, n1);
  assert_memory_equal(ra, ar, n2 * sizeof *ar);
  double last[3 * 57];  // the last rows, in the edge chunk
  ok(sl_h5_read_rows(f, "/f64", SL_H5_F64, d2[0] - 3, 3, last, &e), &e);
  assert_memory_equal(last, a + (d2[0] - 3) * d2[1], sizeof last);
  sl_h5_close(f);
  free(u), free(a), free(b), free(k), free(ru), free(ra), free(rb), free(rk), free(ur), free(ar);
}

static void test_large(void** state) {
  (void)state;
  enum { NR = 3000, NS = 20000 };
  char path[512];
  out_path(path, sizeof path, "large.h5");
  const char** names = malloc(NS * sizeof *names);
  char*        text = malloc(NS * 16);
  double*      v = malloc(NR * sizeof *v);
  int32_t*     k = malloc(NR * sizeof *k);
  assert_true(names && text && v && k);
  for (int i = 0; i < NS; i++) {
    snprintf(text + i * 16, 16, "s%d", i * 7);
    names[i] = text + i * 16;
  }
  for (int i = 0; i < NR; i++) v[i] = i * 0.125, k[i] = -i;
  slH5*   f = NULL;
  slError e = {0};
  ok(sl_h5_create(&f, path, &e), &e);
  slH5Col cols[3] = {
      {"v", SL_H5_F64, "s", v}, {"label", SL_H5_STR, NULL, names}, {"k", SL_H5_I32, NULL, k}};
  ok(sl_h5_write_table(f, "/t", NR, 3, cols, "large table", &e), &e);
  ok(sl_h5_write_strings(f, "/s", names, NS, "many strings", &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  double*  rv = malloc(NR * sizeof *rv);
  int32_t* rk = malloc(NR * sizeof *rk);
  assert_true(rv && rk);
  ok(sl_h5_read(f, "/t/v", SL_H5_F64, rv, &e), &e);
  ok(sl_h5_read(f, "t/k", SL_H5_I32, rk, &e), &e);
  assert_memory_equal(rv, v, NR * sizeof *v);
  assert_memory_equal(rk, k, NR * sizeof *k);
  char** s = NULL;
  size_t n = 0;
  ok(sl_h5_read_strings(f, "/t/label", &s, &n, &e), &e);
  assert_int_equal(n, NR);
  for (int i = 0; i < NR; i++) assert_string_equal(s[i], names[i]);
  sl_h5_free_strings(s, n);
  ok(sl_h5_read_strings(f, "/s", &s, &n, &e), &e);
  assert_int_equal(n, NS);
  for (int i = 0; i < NS; i++) assert_string_equal(s[i], names[i]);
  sl_h5_free_strings(s, n);
  assert_attr(f, "/t", "units", "v: s; label: 1; k: 1");
  sl_h5_close(f);
  free(rv);
  free(rk);
  free(names);
  free(text);
  free(v);
  free(k);
}

static void test_errors(void** state) {
  (void)state;
  slH5*   f = NULL;
  slError e = {0};
  double  x = 0;
  size_t  d1 = 1;

  const char* bad = SL_TEST_BINARY_DIR "/no/such/dir/out.h5";
  assert_int_equal(sl_h5_create(&f, bad, &e), SL_ERR_IO);
  assert_null(f);
  assert_int_equal(e.code, SL_ERR_IO);
  assert_string_equal(e.where, bad);
  assert_int_equal(sl_h5_open(&f, bad, 0, &e), SL_ERR_IO);
  assert_string_equal(e.where, bad);
  assert_null(f);

  char path[512], noth5[512];
  out_path(noth5, sizeof noth5, "not_hdf5.h5");
  write_bytes(noth5, "plain text\n", 11);
  assert_int_equal(sl_h5_open(&f, noth5, 0, &e), SL_ERR_IO);
  assert_string_equal(e.where, noth5);
  remove(noth5);

  out_path(path, sizeof path, "errors.h5");
  ok(sl_h5_create(&f, path, &e), &e);
  ok(sl_h5_write(f, "/g/x", SL_H5_F64, 1, &d1, &x, "m", "x", &e), &e);
  // duplicate dataset
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_h5_write(f, "/g/x", SL_H5_F64, 1, &d1, &x, "m", "x", &e), SL_ERR_HDF5);
  assert_int_equal(e.code, SL_ERR_HDF5);
  assert_string_equal(e.where, "/g/x");
  assert_non_null(strstr(e.msg, "exists"));
  const char* one[1] = {"a"};
  assert_int_equal(sl_h5_write_strings(f, "/g/x", one, 1, "s", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/g/x");
  assert_int_equal(sl_h5_write(f, "/g", SL_H5_F64, 1, &d1, &x, "m", "x", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/g");
  // a dataset as a parent group
  assert_int_equal(sl_h5_write(f, "/g/x/y", SL_H5_F64, 1, &d1, &x, "m", "x", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/g/x/y");
  assert_int_equal(sl_h5_group(f, "/g/x", &e), SL_ERR_HDF5);
  // missing objects
  assert_int_equal(sl_h5_read(f, "/missing", SL_H5_F64, &x, &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/missing");
  assert_int_equal(sl_h5_read(f, "/g/missing/deeper", SL_H5_F64, &x, &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/g/missing/deeper");
  assert_int_equal(sl_h5_read(f, "/g", SL_H5_F64, &x, &e), SL_ERR_HDF5);  // a group
  int    r;
  size_t dims[4];
  assert_int_equal(sl_h5_shape(f, "/missing", &r, dims, &e), SL_ERR_HDF5);
  char** s = NULL;
  size_t n = 0;
  assert_int_equal(sl_h5_read_strings(f, "/missing", &s, &n, &e), SL_ERR_HDF5);
  assert_int_equal(sl_h5_read_strings(f, "/g/x", &s, &n, &e), SL_ERR_HDF5);  // not strings
  assert_null(s);
  assert_int_equal(sl_h5_ext_write(f, "/missing", 0, 1, &x, &e), SL_ERR_HDF5);
  assert_int_equal(sl_h5_ext_write(f, "/g/x", 5, 1, &x, &e), SL_ERR_HDF5);  // not 2-D
  assert_int_equal(sl_h5_attr_str(f, "/missing", "a", "b", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/missing");
  char buf[32];
  assert_int_equal(sl_h5_read_attr_str(f, "/g/x", "nope", buf, sizeof buf, &e), SL_ERR_HDF5);
  assert_int_equal(sl_h5_read_attr_str(f, "/missing", "units", buf, sizeof buf, &e), SL_ERR_HDF5);
  // caller mistakes
  assert_int_equal(sl_h5_write(f, "/r5", SL_H5_F64, 5, dims, &x, "m", "x", &e), SL_ERR_ARG);
  assert_int_equal(sl_h5_write(f, "/nu", SL_H5_F64, 1, &d1, &x, NULL, "x", &e), SL_ERR_ARG);
  assert_int_equal(sl_h5_write(f, "/st", SL_H5_STR, 1, &d1, &x, "1", "x", &e), SL_ERR_ARG);
  assert_int_equal(sl_h5_write(f, "/", SL_H5_F64, 1, &d1, &x, "m", "x", &e), SL_ERR_ARG);
  assert_int_equal(sl_h5_write(NULL, "/a", SL_H5_F64, 1, &d1, &x, "m", "x", &e), SL_ERR_ARG);
  slH5Col col = {"c", SL_H5_I64, "1", &x};
  assert_int_equal(sl_h5_write_table(f, "/t", 1, 1, &col, "t", &e), SL_ERR_ARG);
  slH5Col dup[2] = {{"c", SL_H5_F64, "1", &x}, {"c", SL_H5_F64, "1", &x}};
  assert_int_equal(sl_h5_write_table(f, "/t", 1, 2, dup, "t", &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/t");
  assert_int_equal(sl_h5_commit(NULL, &e), SL_ERR_ARG);
  // the file is still fine after all that
  x = 5;
  ok(sl_h5_write(f, "/after", SL_H5_F64, 1, &d1, &x, "m", "after errors", &e), &e);
  ok(sl_h5_commit(f, &e), &e);
  ok(sl_h5_open(&f, path, 0, &e), &e);
  x = 0;
  ok(sl_h5_read(f, "/after", SL_H5_F64, &x, &e), &e);
  assert_true(x == 5);
  assert_false(sl_h5_exists(f, "/t"));
  sl_h5_close(f);
  sl_h5_close(NULL);
}

static void test_version(void** state) {
  (void)state;
  unsigned    a, b, c;
  const char* v = sl_h5_version();
  assert_non_null(v);
  assert_int_equal(sscanf(v, "%u.%u.%u", &a, &b, &c), 3);
  assert_true(a >= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),    cmocka_unit_test(test_units_everywhere),
      cmocka_unit_test(test_tmp_protocol), cmocka_unit_test(test_commit_replaces),
      cmocka_unit_test(test_reproducible), cmocka_unit_test(test_extendible),
      cmocka_unit_test(test_large),        cmocka_unit_test(test_errors),
      cmocka_unit_test(test_version),      cmocka_unit_test(test_chunked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
