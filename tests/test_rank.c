// test_rank.c: the rank job from C: finding position files, running and ranking them, the text
// (summary, markdown, csv) and the rank file, written through temporary names.
// covers: sl_rank sl_rank_report
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_io.h"
#include "sl_position.h"
#include "testutil.h"

#define POSDIR SL_TEST_SOURCE_DIR "/tests/data/positions"
#define OUTDIR SL_TEST_BINARY_DIR "/test_rank_out"

static void out_dir(void) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
}

// a fresh path under OUTDIR
static void out_path(char* buf, size_t n, const char* name) {
  out_dir();
  snprintf(buf, n, "%s/%s", OUTDIR, name);
  remove(buf);
}

static int exists(const char* p) {
  struct stat st;
  return stat(p, &st) == 0;
}

// no "<anything>.tmp.<pid>" left in dir
static void assert_no_tmp(const char* dir) {
  DIR* d = opendir(dir);
  assert_non_null(d);
  struct dirent* e;
  while ((e = readdir(d)))
    if (strstr(e->d_name, ".tmp.")) fail_msg("temporary file %s/%s left behind", dir, e->d_name);
  closedir(d);
}

static void free_files(char** f, int n) {
  for (int i = 0; i < n; i++) free(f[i]);
  free(f);
}

static void touch(const char* path) {
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs("x\n", f);
  fclose(f);
}

// files of directories in name order (only *.yaml), files as given, the built-in library by
// default; a missing path or an empty directory is SL_ERR_ARG naming it
static void test_position_files(void** state) {
  (void)state;
  char**      f = NULL;
  int         n = -1;
  slError     e;
  const char* dir[1] = {POSDIR};
  assert_int_equal(sl_position_files(dir, 1, &f, &n, &e), SL_OK);
  assert_int_equal(n, 2);
  assert_string_equal(f[0], POSDIR "/side_left.yaml");
  assert_string_equal(f[1], POSDIR "/side_right.yaml");
  free_files(f, n);

  // a directory of our own: sorted whatever the creation order, other names skipped
  char d[1024];
  out_path(d, sizeof d, "posdir");
  mkdir(d, 0777);
  const char* names[6] = {"c.yaml", "a.yaml", "b.yaml", "notes.txt", "x.yml", ".yaml"};
  for (int i = 0; i < 6; i++) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", d, names[i]);
    touch(p);
  }
  const char* in2[2] = {POSDIR "/side_right.yaml", d};  // a file, then a directory
  assert_int_equal(sl_position_files(in2, 2, &f, &n, &e), SL_OK);
  assert_int_equal(n, 4);
  assert_string_equal(f[0], POSDIR "/side_right.yaml");
  const char* want[3] = {"a.yaml", "b.yaml", "c.yaml"};
  for (int i = 0; i < 3; i++) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", d, want[i]);
    assert_string_equal(f[i + 1], p);
  }
  free_files(f, n);

  // missing: named, nothing returned
  const char* miss[2] = {POSDIR, OUTDIR "/no_such_position.yaml"};
  char*       sentinel[1] = {NULL};
  f = sentinel;  // overwritten on error
  n = 7;
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_position_files(miss, 2, &f, &n, &e), SL_ERR_ARG);
  assert_null(f);
  assert_int_equal(n, 0);
  assert_non_null(strstr(e.msg, OUTDIR "/no_such_position.yaml"));

  // a library position by name; an unknown name lists the library's names
  const char* byname[1] = {"spooning"};
  assert_int_equal(sl_position_files(byname, 1, &f, &n, &e), SL_OK);
  assert_int_equal(n, 1);
  assert_non_null(strstr(f[0], "scenarios/positions/spooning.yaml"));
  free_files(f, n);
  const char* badname[1] = {"spoon"};
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_position_files(badname, 1, &f, &n, &e), SL_ERR_ARG);
  assert_null(f);
  assert_non_null(strstr(e.msg, "'spoon'"));
  assert_non_null(strstr(e.msg, "edge_of_bed, missionary,"));
  assert_non_null(strstr(e.msg, "spooning"));

  // an empty directory: no position files
  char empty[1024];
  out_path(empty, sizeof empty, "emptydir");
  mkdir(empty, 0777);
  const char* in3[1] = {empty};
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_position_files(in3, 1, &f, &n, &e), SL_ERR_ARG);
  assert_null(f);
  assert_int_equal(n, 0);
  assert_non_null(strstr(e.msg, "no position files"));

  // no inputs: the built-in library, sorted
  assert_int_equal(sl_position_files(NULL, 0, &f, &n, &e), SL_OK);
  assert_true(n >= 10);
  for (int i = 0; i < n; i++) {
    size_t len = strlen(f[i]);
    assert_true(len > 5 && strcmp(f[i] + len - 5, ".yaml") == 0);
    assert_non_null(strstr(f[i], "scenarios/positions/"));
    if (i) assert_true(strcmp(f[i - 1], f[i]) < 0);
  }
  free_files(f, n);
}

static slRank* rank_dir(int threads) {
  char**      f = NULL;
  int         n = 0;
  slError     e;
  const char* dir[1] = {POSDIR};
  if (sl_position_files(dir, 1, &f, &n, &e) != SL_OK) fail_msg("%s", e.msg);
  slRank* rk = NULL;
  if (sl_rank_run((const char* const*)f, n, NULL, 0, threads, &rk, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
  free_files(f, n);
  return rk;
}

static char* text(const slRank* rk, slRankText kind) {
  char**  t = malloc(sizeof *t);  // on the heap: gcc -Wdangling-pointer misreads a local here
  slError e;
  assert_non_null(t);
  if (sl_rank_text(rk, kind, t, &e) != SL_OK) fail_msg("%s", e.msg);
  char* s = *t;
  free(t);
  assert_non_null(s);
  return s;
}

static int starts(const char* s, const char* prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int count_lines(const char* s) {
  int n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

// the test library ranked: positions sorted by name, every role a row with ranks 1..n by load
// index, the same for 1 and 2 threads; errors for missing and duplicate files and bad overrides
static void test_rank_run(void** state) {
  (void)state;
  slRank* rk = rank_dir(1);
  assert_int_equal(rk->np, 2);
  assert_string_equal(rk->P[0]->name, "test_side_left");
  assert_string_equal(rk->P[1]->name, "test_side_right");
  assert_int_equal(rk->rk.nrow, 4);
  int seen[5] = {0};
  for (int i = 0; i < rk->rk.nrow; i++) {
    const slRankRow* r = &rk->rk.row[i];
    assert_true(r->rank >= 1 && r->rank <= 4);
    seen[r->rank]++;
    for (int j = 0; j < rk->rk.nrow; j++)
      if (rk->rk.row[j].mt.load_index < r->mt.load_index) assert_true(rk->rk.row[j].rank < r->rank);
    assert_true(r->mt.load_index > 0);
    assert_true(strlen(r->phrase) > 0);
  }
  for (int k = 1; k <= 4; k++) assert_int_equal(seen[k], 1);
  // both positions claim safe; ranks of the two are 1 and 2
  assert_int_equal(rk->rk.pos_rank[0] + rk->rk.pos_rank[1], 3);
  slRank* rk2 = rank_dir(2);
  char *  a = text(rk, SL_RANK_TEXT_CSV), *b = text(rk2, SL_RANK_TEXT_CSV);
  assert_string_equal(a, b);
  for (int i = 0; i < rk->rk.nrow; i++)
    assert_true(rk->rk.row[i].mt.load_index == rk2->rk.row[i].mt.load_index);
  free(a);
  free(b);
  sl_rank_free(rk2);
  sl_rank_free(rk);
  sl_rank_free(NULL);

  slError     e;
  slRank      sentinel;
  slRank*     out = &sentinel;  // overwritten on error
  const char* missing[1] = {POSDIR "/nope.yaml"};
  assert_true(sl_rank_run(missing, 1, NULL, 0, 1, &out, &e) != SL_OK);
  assert_null(out);
  const char* twice[2] = {POSDIR "/side_left.yaml", POSDIR "/side_left.yaml"};
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_rank_run(twice, 2, NULL, 0, 1, &out, &e), SL_ERR_KEY);
  assert_null(out);
  assert_non_null(strstr(e.msg, "test_side_left"));
  slOverride bad = {"solver.criterion", "bogus"};
  assert_true(sl_rank_run(twice, 1, &bad, 1, 1, &out, &e) != SL_OK);
  assert_null(out);
}

// the three texts: what each starts with, the csv's one row per role plus a header, rows in rank
// order with the rank in the first column
// lines from a up to b
static int count_lines_between(const char* a, const char* b) {
  int n = 0;
  for (const char* p = a; p < b; p++) n += *p == '\n';
  return n;
}

static void test_rank_text(void** state) {
  (void)state;
  slRank* rk = rank_dir(0);
  char*   s = text(rk, SL_RANK_TEXT_SUMMARY);
  assert_true(starts(s, "spineload position ranking: 2 positions, 4 partner roles"));
  assert_non_null(strstr(s, "The popular claim"));
  assert_non_null(strstr(s, "| rank | position | role |"));
  // the clinician's view first (issue 15 item 7): the load index defined, one row per position
  // with its worse partner, the phenotype rankings in full, then every partner
  const char* li = strstr(s, "load index (LI) = max over");
  const char* pos = strstr(s, "| rank | position | claim | worse partner | load index | note |");
  const char* ph = strstr(s, "| rank | flexion-intolerant | extension-intolerant |");
  const char* all = strstr(s, "Every partner, ranked by load index");
  assert_non_null(li);
  assert_non_null(pos);
  assert_non_null(ph);
  assert_non_null(all);
  assert_true(li < pos && pos < ph && ph < all);
  // a row per position in the short table, a row per partner in the phenotype table
  assert_true(count_lines_between(pos, ph) >= rk->np + 2);
  char last[32];
  snprintf(last, sizeof last, "\n| %d | ", rk->rk.nrow);
  assert_non_null(strstr(ph, last));
  assert_true(strstr(ph, last) < all);
  free(s);
  char* md = text(rk, SL_RANK_TEXT_MD);
  assert_true(starts(md, "# spineload position ranking\n\n## Run settings\n\n- spineload "));
  assert_non_null(strstr(md, "- solver: criterion p2, maxiter 300"));
  assert_non_null(strstr(md, "- thrust cycle: "));
  assert_non_null(strstr(md, "## Load index\n\nload index (LI) = max over"));
  assert_non_null(strstr(md, "## Phenotype rankings"));
  assert_non_null(strstr(md, "| rank | flexion-intolerant |"));
  assert_non_null(strstr(md, "Spooning (claimed safe)"));
  assert_non_null(strstr(md, "The popular claim"));
  free(md);
  char* csv = text(rk, SL_RANK_TEXT_CSV);
  assert_int_equal(count_lines(csv), 1 + rk->rk.nrow);
  assert_true(starts(csv, "rank,position,role,title,claim,thrust,"));
  const char* line = strchr(csv, '\n') + 1;
  for (int k = 1; k <= rk->rk.nrow; k++) {
    int r = 0;
    assert_int_equal(sscanf(line, "%d,", &r), 1);
    assert_int_equal(r, k);
    // the row of that rank: position and role named
    const slRankRow* row = NULL;
    for (int i = 0; i < rk->rk.nrow; i++)
      if (rk->rk.row[i].rank == k) row = &rk->rk.row[i];
    assert_non_null(row);
    char want[256];
    snprintf(want, sizeof want, "%d,%s,%s,", k, rk->P[row->pos]->name,
             rk->P[row->pos]->role[row->role].name);
    assert_true(starts(line, want));
    line = strchr(line, '\n') + 1;
  }
  assert_int_equal(*line, '\0');

  // written through a temporary name: the same bytes, no temporary left
  char path[1024];
  out_path(path, sizeof path, "rank.csv");
  slError e;
  assert_int_equal(sl_rank_write_text(rk, SL_RANK_TEXT_CSV, path, &e), SL_OK);
  char*  buf = NULL;
  size_t len = 0;
  assert_int_equal(sl_read_file(path, &buf, &len, NULL), SL_OK);
  assert_int_equal(len, strlen(csv));
  assert_memory_equal(buf, csv, len);
  sl_free_buf(buf);
  assert_no_tmp(OUTDIR);
  // a failure: nothing at the path, no temporary left. A directory in the way of the final
  // rename (a write that fails part-way: SL_ERR_WRITE) ...
  char blocked[1024];
  out_path(blocked, sizeof blocked, "blocked.md");
  rmdir(blocked);
  assert_int_equal(mkdir(blocked, 0777), 0);
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_rank_write_text(rk, SL_RANK_TEXT_MD, blocked, &e), SL_ERR_WRITE);
  assert_string_equal(e.where, blocked);
  struct stat st;
  assert_int_equal(stat(blocked, &st), 0);
  assert_true(S_ISDIR(st.st_mode));  // untouched
  assert_no_tmp(OUTDIR);
  // ... and a directory that does not exist (the output cannot be created: SL_ERR_IO)
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_rank_write_text(rk, SL_RANK_TEXT_MD, OUTDIR "/nodir/rank.md", &e), SL_ERR_IO);
  assert_false(exists(OUTDIR "/nodir/rank.md"));
  // an existing file is replaced only by a complete one
  assert_int_equal(sl_rank_write_text(rk, SL_RANK_TEXT_MD, path, &e), SL_OK);
  assert_int_equal(sl_read_file(path, &buf, &len, NULL), SL_OK);
  assert_true(starts(buf, "# spineload position ranking"));
  sl_free_buf(buf);
  free(csv);
  sl_rank_free(rk);
}

static void ok(slStatus st, const slError* e) {
  if (st != SL_OK) fail_msg("status %d at '%s': %s", (int)st, e->where, e->msg);
}

// the rank file: /meta, a /ranking table matching the ranking, every role's results and its own
// body under /positions/<p>/<role>/model, and no /model at the root
static void test_rank_h5(void** state) {
  (void)state;
  slRank* rk = rank_dir(0);
  char    path[1024];
  out_path(path, sizeof path, "rank.h5");
  char*   argv[2] = {"spineload", "rank"};
  slError e;
  ok(sl_rank_write_h5(rk, path, 2, argv, &e), &e);
  assert_no_tmp(OUTDIR);
  slH5* f = NULL;
  ok(sl_h5_open(&f, path, 0, &e), &e);
  assert_true(sl_h5_exists(f, "/meta"));
  assert_true(sl_h5_exists(f, "/ranking"));
  assert_false(sl_h5_exists(f, "/model"));
  int    rank;
  size_t dims[4];
  ok(sl_h5_shape(f, "/ranking", &rank, dims, &e), &e);
  assert_int_equal(dims[0], (size_t)rk->rk.nrow);
  char** pos = NULL;
  char** role = NULL;
  size_t np = 0, nr = 0;
  ok(sl_h5_read_strings(f, "/ranking/position", &pos, &np, &e), &e);
  ok(sl_h5_read_strings(f, "/ranking/role", &role, &nr, &e), &e);
  assert_int_equal(np, (size_t)rk->rk.nrow);
  assert_int_equal(nr, (size_t)rk->rk.nrow);
  double li[8];
  int    rks[8];
  ok(sl_h5_read(f, "/ranking/load_index", SL_H5_F64, li, &e), &e);
  ok(sl_h5_read(f, "/ranking/rank", SL_H5_I32, rks, &e), &e);
  for (int i = 0; i < rk->rk.nrow; i++) {
    const slRankRow*  r = &rk->rk.row[i];
    const slPosition* P = rk->P[r->pos];
    assert_string_equal(pos[i], P->name);
    assert_string_equal(role[i], P->role[r->role].name);
    assert_true(li[i] == r->mt.load_index);
    assert_int_equal(rks[i], r->rank);
  }
  sl_h5_free_strings(pos, np);
  sl_h5_free_strings(role, nr);
  // each role: its results (one row per sample) and its own body
  double mass[2][2];
  for (int p = 0; p < rk->np; p++) {
    const slPosition* P = rk->P[p];
    for (int k = 0; k < P->nrole; k++) {
      const slModel* m = P->role[k].model;
      char           g[512], ds[700];
      snprintf(g, sizeof g, "/positions/%s/%s", P->name, P->role[k].name);
      snprintf(ds, sizeof ds, "%s/disc/compression", g);
      ok(sl_h5_shape(f, ds, &rank, dims, &e), &e);
      assert_int_equal(rank, 2);
      assert_int_equal(dims[0], (size_t)rk->R[p]->samples);
      assert_int_equal(dims[1], SL_NLEVEL);
      snprintf(ds, sizeof ds, "%s/lumbar_angles", g);
      assert_true(sl_h5_exists(f, ds));
      snprintf(ds, sizeof ds, "%s/model/segment_mass", g);
      ok(sl_h5_shape(f, ds, &rank, dims, &e), &e);
      assert_int_equal(dims[0], (size_t)m->nseg);
      double* sm = malloc(sizeof(double) * (size_t)m->nseg);
      ok(sl_h5_read(f, ds, SL_H5_F64, sm, &e), &e);
      double tot = 0;
      for (int s = 0; s < m->nseg; s++) tot += sm[s];
      free(sm);
      assert_near(tot, m->total_mass, 1e-9, 1e-12);
      mass[p][k] = tot;
      char body[1100];
      ok(sl_h5_read_attr_str(f, g, "body", body, sizeof body, &e), &e);
      assert_string_equal(body, P->role[k].body_path);
    }
  }
  // the partners differ (a male and a female body): each role carries its own
  assert_true(fabs(mass[0][0] - mass[0][1]) > 1.0);
  sl_h5_close(f);

  // a failure leaves nothing
  memset(&e, 0, sizeof e);
  assert_true(sl_rank_write_h5(rk, OUTDIR "/nodir/rank.h5", 2, argv, &e) != SL_OK);
  assert_false(exists(OUTDIR "/nodir/rank.h5"));
  assert_no_tmp(OUTDIR);
  sl_rank_free(rk);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_position_files),
      cmocka_unit_test(test_rank_run),
      cmocka_unit_test(test_rank_text),
      cmocka_unit_test(test_rank_h5),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
