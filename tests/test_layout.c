// test_layout.c: the HDF5 layout tables (sl_layout) against what the writers write and what the
// README says. Every dataset of a run, rank and sweep file is one of the table's entries (and
// every entry that applies is there), with the table's units and description attributes and the
// table's shape, read back with the sl_h5 reader; every dataset and table column of the tables
// is named in the README's "Output (HDF5)" section.
// covers: sl_layout sl_results sl_run sl_rank_report
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_io.h"
#include "sl_layout.h"
#include "spineload.h"
#include "testutil.h"

#define POS(f) SL_TEST_SOURCE_DIR "/scenarios/positions/" f

static char g_dir[512];

static const char* in_dir(const char* name) {
  static char buf[4][1024];
  static int  k = 0;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
  return buf[k];
}

#define OK(x)                                                       \
  do {                                                              \
    slError e_;                                                     \
    memset(&e_, 0, sizeof e_);                                      \
    slStatus st_ = (x);                                             \
    if (st_ != SL_OK) fail_msg("%s: %s: %s", #x, e_.where, e_.msg); \
  } while (0)

// ---- the datasets of a file ---------------------------------------------------------------------
typedef struct Listed {
  char** path;
  int*   seen;  // matched by a table entry
  int    n, cap;
} Listed;

static int add_path(void* ctx, const char* path) {
  Listed* l = ctx;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 256;
    l->path = realloc(l->path, sizeof(char*) * (size_t)l->cap);
    l->seen = realloc(l->seen, sizeof(int) * (size_t)l->cap);
    assert_non_null(l->path);
    assert_non_null(l->seen);
  }
  l->path[l->n] = strdup(path);
  l->seen[l->n++] = 0;
  return 0;
}

static void list_file(slH5* f, Listed* l) {
  memset(l, 0, sizeof *l);
  slError e;
  if (sl_h5_list(f, "/", add_path, l, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  assert_true(l->n > 0);
}

static void free_listed(Listed* l) {
  for (int i = 0; i < l->n; i++) free(l->path[i]);
  free(l->path);
  free(l->seen);
}

static int find(const Listed* l, const char* path) {
  for (int i = 0; i < l->n; i++)
    if (!strcmp(l->path[i], path)) return i;
  return -1;
}

// a string attribute equals want
static void assert_attr(slH5* f, const char* obj, const char* name, const char* want) {
  char    buf[2048];
  slError e;
  if (sl_h5_read_attr_str(f, obj, name, buf, sizeof buf, &e) != SL_OK)
    fail_msg("%s: attribute %s: %s", obj, name, e.msg);
  if (strcmp(buf, want)) fail_msg("%s: %s is '%s', the table says '%s'", obj, name, buf, want);
}

// One group's table: every entry that is a dataset is in the file under group with the table's
// units and description (and shape, if sz is given), unless it is conditional: then the datasets
// of one condition are all there or all missing, as cond[when] says (-1: learn it here).
static void check_group(slH5* f, Listed* l, const char* group, const slLayoutItem* tab, int n,
                        int cond[8], const slLayoutSizes* sz) {
  for (int k = 0; k < n; k++) {
    const slLayoutItem* it = &tab[k];
    if (it->kind == SL_LK_ATTR || it->kind == SL_LK_COLUMN) continue;
    if (strchr(it->path, '<')) continue;  // a pattern (/meta/files/<i>_<name>): assert_all_seen
    char path[1024];
    sl_layout_path(path, sizeof path, group, it);
    int i = find(l, path);
    if (it->when != SL_LW_ALWAYS) {
      if (cond[it->when] < 0) cond[it->when] = i >= 0;
      if (cond[it->when] != (i >= 0))
        fail_msg("%s: %s, but others of its condition are %s", path, i >= 0 ? "there" : "missing",
                 cond[it->when] ? "there" : "missing");
      if (i < 0) continue;
    } else if (i < 0)
      fail_msg("%s: in the layout table, not in the file", path);
    l->seen[i] = 1;
    if (it->kind !=
        SL_LK_EXT) {  // an extendible dataset's units are its columns' (test_sweep_file)
      assert_attr(f, path, "units", it->kind == SL_LK_STRINGS ? "1" : it->units);
      assert_attr(f, path, "description", it->desc);
    }
    if (sz) {
      int    rank = 0;
      size_t dims[4], want[4];
      OK(sl_h5_shape(f, path, &rank, dims, &e_));
      int wr = sl_layout_dims(it, sz, want);
      assert_int_equal(rank, wr);
      for (int a = 0; a < rank; a++)
        if (dims[a] != want[a])
          fail_msg("%s: axis %d is %zu, the table's rule says %zu", path, a, dims[a], want[a]);
    }
  }
}

// every dataset of the file was matched (input files under /meta/files are the meta table's one
// pattern entry)
static void assert_all_seen(slH5* f, const Listed* l) {
  int files = 0;
  for (int i = 0; i < l->n; i++) {
    if (!strncmp(l->path[i], SL_LAYOUT_META "/files/", strlen(SL_LAYOUT_META "/files/"))) {
      assert_attr(f, l->path[i], "units", sl_layout_meta[SL_LMETA_FILES].units);
      files++;
      continue;
    }
    if (!l->seen[i]) fail_msg("%s: in the file, not in the layout tables", l->path[i]);
  }
  assert_true(files > 0);
}

// ---- the tables themselves ----------------------------------------------------------------------
static void check_table(const slLayoutItem* tab, int n) {
  for (int k = 0; k < n; k++) {
    const slLayoutItem* it = &tab[k];
    assert_non_null(it->path);
    assert_true(it->path[0] != '\0' && it->path[0] != '/');
    assert_non_null(it->units);
    assert_non_null(it->desc);
    assert_true(it->desc[0] != '\0');
    assert_true(it->rank >= 0 && it->rank <= 4);
    for (int j = 0; j < k; j++)
      if (!strcmp(tab[j].path, it->path) && (tab[j].kind == SL_LK_ATTR) == (it->kind == SL_LK_ATTR))
        fail_msg("'%s' twice in one table", it->path);
  }
}

static void test_tables(void** state) {
  (void)state;
  for (int kind = SL_LAYOUT_RUN; kind <= SL_LAYOUT_SWEEPFILE; kind++) {
    int                  n = 0;
    const slLayoutTable* t = sl_layout_file((slLayoutFile)kind, &n);
    assert_non_null(t);
    assert_true(n >= 3);
    for (int k = 0; k < n; k++) check_table(t[k].item, t[k].n);
  }
  int n = 0;
  assert_null(sl_layout_file((slLayoutFile)99, &n));
  assert_int_equal(n, 0);
  // every data pointer of slResults is one results entry (allocated, freed and written from it)
  assert_int_equal((sizeof(slResults) - 8 * sizeof(int)) / sizeof(void*), SL_LR_COUNT);
  for (int k = 0; k < SL_LR_COUNT; k++) {
    assert_true(sl_layout_results[k].off >= 8 * sizeof(int));
    for (int j = 0; j < k; j++) assert_true(sl_layout_results[j].off != sl_layout_results[k].off);
  }
  // the names the readers look up
  char buf[256];
  assert_string_equal(sl_layout_path(buf, sizeof buf, SL_LAYOUT_RESULTS,
                                     &sl_layout_results[SL_LR_DISC_COMPRESSION]),
                      "/results/disc/compression");
  assert_string_equal(sl_layout_path(buf, sizeof buf, "", &sl_layout_ranking), SL_LAYOUT_RANKING);
  assert_string_equal(sl_layout_ranking_columns[SL_LRK_LOAD_INDEX].path, "load_index");
  assert_string_equal(sl_layout_sweep_metrics[SL_SM_LOAD_INDEX].path, "load_index");
  assert_string_equal(sl_layout_sweep_metrics[SL_SM_PEAK_IDP_L4L5].units, "MPa");
  // shape rules as text
  sl_layout_shape_text(&sl_layout_results[SL_LR_DISC_FRAME], buf, sizeof buf);
  assert_string_equal(buf, "n x 6 x 3 x 3");
  sl_layout_shape_text(&sl_layout_results[SL_LR_MUSCLE_MOMENT_ARM], buf, sizeof buf);
  assert_string_equal(buf, "n x 18 x m");
  sl_layout_shape_text(&sl_layout_results[SL_LR_STATUS], buf, sizeof buf);
  assert_string_equal(buf, "n");
  sl_layout_shape_text(&sl_layout_meta[SL_LMETA_VERSION], buf, sizeof buf);
  assert_string_equal(buf, "");
  slLayoutSizes z = {.rows = 7, .nmus = 238, .ncontact = 2};
  size_t        d[4];
  assert_int_equal(sl_layout_dims(&sl_layout_results[SL_LR_MUSCLE_MOMENT_ARM], &z, d), 3);
  assert_true(d[0] == 7 && d[1] == SL_NLDOF && d[2] == 238 && d[3] == 1);
  assert_int_equal(sl_layout_dims(&sl_layout_results[SL_LR_CONTACTS_SLIDING], &z, d), 2);
  assert_true(d[0] == 7 && d[1] == 2);
}

// ---- the README ---------------------------------------------------------------------------------
typedef struct Doc {
  char** tok;  // backticked names of the section, braces expanded, trailing '/' dropped
  int    n, cap;
} Doc;

static void doc_add(Doc* d, const char* s, size_t len) {
  while (len > 1 && s[len - 1] == '/') len--;
  if (d->n == d->cap) {
    d->cap = d->cap ? 2 * d->cap : 256;
    d->tok = realloc(d->tok, sizeof(char*) * (size_t)d->cap);
    assert_non_null(d->tok);
  }
  d->tok[d->n] = strndup(s, len);
  assert_non_null(d->tok[d->n]);
  d->n++;
}

// `a/{b,c}` gives a/b and a/c
static void doc_token(Doc* d, const char* s, size_t len) {
  const char* lb = memchr(s, '{', len);
  const char* rb = lb ? memchr(lb, '}', len - (size_t)(lb - s)) : NULL;
  if (!lb || !rb) {
    doc_add(d, s, len);
    return;
  }
  for (const char* p = lb + 1; p < rb;) {
    const char* q = p;
    while (q < rb && *q != ',') q++;
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s%.*s%.*s", (int)(lb - s), s, (int)(q - p), p,
             (int)(len - (size_t)(rb + 1 - s)), rb + 1);
    doc_add(d, buf, strlen(buf));
    p = q + 1;
  }
}

static void doc_read(Doc* d, const char* heading) {
  memset(d, 0, sizeof *d);
  char*   text = NULL;
  size_t  len = 0;
  slError e;
  if (sl_read_file(SL_TEST_SOURCE_DIR "/README.md", &text, &len, &e) != SL_OK)
    fail_msg("README: %s", e.msg);
  const char* a = strstr(text, heading);
  if (!a) fail_msg("README has no section '%s'", heading);
  a += strlen(heading);
  const char* b = strstr(a, "\n## ");
  if (!b) b = text + len;
  for (const char* p = a; p < b; p++) {
    if (*p != '`') continue;
    const char* q = memchr(p + 1, '`', (size_t)(b - p - 1));
    if (!q) break;
    doc_token(d, p + 1, (size_t)(q - p - 1));
    p = q;
  }
  sl_free_buf(text);
}

static void doc_free(Doc* d) {
  for (int i = 0; i < d->n; i++) free(d->tok[i]);
  free(d->tok);
}

// full (e.g. "/results/disc/idp") is named: as a whole, or as a relative name (`idp`,
// `disc/idp`) while its parent is a named path or the start of one (`/results/disc/frame`)
static int doc_names(const Doc* d, const char* full) {
  size_t fl = strlen(full);
  for (int i = 0; i < d->n; i++) {
    const char* t = d->tok[i];
    if (t[0] == '/') {
      if (!strcmp(t, full)) return 1;
      continue;
    }
    size_t tl = strlen(t);
    if (tl + 1 >= fl || strcmp(full + fl - tl, t) || full[fl - tl - 1] != '/') continue;
    size_t pl = fl - tl - 1;  // the parent: full[0, pl)
    for (int j = 0; j < d->n; j++) {
      const char* u = d->tok[j];
      if (u[0] == '/' && !strncmp(u, full, pl) && (u[pl] == '\0' || u[pl] == '/')) return 1;
    }
  }
  return 0;
}

static void test_readme(void** state) {
  (void)state;
  Doc d;
  doc_read(&d, "\n## Output (HDF5)\n");
  assert_true(d.n > 50);
  const slLayoutItem* done[64];
  int                 ndone = 0, missing = 0, named = 0;
  for (int kind = SL_LAYOUT_RUN; kind <= SL_LAYOUT_SWEEPFILE; kind++) {
    int                  nt = 0;
    const slLayoutTable* t = sl_layout_file((slLayoutFile)kind, &nt);
    for (int k = 0; k < nt; k++) {
      // a table used by several groups (a body's results and model) is named once
      int dup = 0;
      for (int j = 0; j < ndone; j++) dup |= done[j] == t[k].item;
      if (dup) continue;
      done[ndone++] = t[k].item;
      for (int i = 0; i < t[k].n; i++) {
        const slLayoutItem* it = &t[k].item[i];
        if (it->kind == SL_LK_ATTR) continue;
        char full[1024];
        sl_layout_path(full, sizeof full, t[k].group, it);
        if (doc_names(&d, full))
          named++;
        else {
          print_error("README \"Output (HDF5)\" does not name %s (table %s)\n", full, t[k].name);
          missing++;
        }
      }
    }
  }
  doc_free(&d);
  assert_int_equal(missing, 0);
  assert_true(named > 100);
  // the check itself: a name that is not there is found missing
  doc_read(&d, "\n## Output (HDF5)\n");
  assert_false(doc_names(&d, "/results/disc/no_such_dataset"));
  assert_false(doc_names(&d, "/no_such_group/idp"));
  assert_true(doc_names(&d, "/results/disc/idp"));
  assert_true(doc_names(&d, "/results/solver/cost"));
  doc_free(&d);
}

// ---- the writers' files -------------------------------------------------------------------------
static void check_run_file(const char* out, const slScenario* sc, const slResults* r) {
  slH5* f = NULL;
  OK(sl_h5_open(&f, out, 0, &e_));
  Listed l;
  list_file(f, &l);
  const slModel* m = sc->model;
  int            cond[8];
  for (int k = 0; k < 8; k++) cond[k] = -1;
  cond[SL_LW_MOMENT_ARMS] = (r->flags & SL_RES_MOMENT_ARMS) != 0;
  cond[SL_LW_FRAMES] = (r->flags & SL_RES_FRAMES) != 0;
  cond[SL_LW_CONTACTS] = r->maxcontact > 0;
  cond[SL_LW_JOINTS] = m->njdof > 0;
  slLayoutSizes        z = {.rows = (size_t)r->n,
                            .ncoord = (size_t)m->ncoord,
                            .nmus = (size_t)m->nmus,
                            .nseg = (size_t)m->nseg,
                            .ncontact = (size_t)r->maxcontact,
                            .njdof = (size_t)m->njdof,
                            .npart = (size_t)r->npart,
                            .ngroup = (size_t)m->ngroup,
                            .nland = (size_t)m->nland};
  int                  nt = 0;
  const slLayoutTable* t = sl_layout_file(SL_LAYOUT_RUN, &nt);
  for (int k = 0; k < nt; k++) check_group(f, &l, t[k].group, t[k].item, t[k].n, cond, &z);
  assert_all_seen(f, &l);
  // the run file's attributes
  assert_attr(f, SL_LAYOUT_META, sl_layout_meta[SL_LMETA_SCENARIO].path, sc->name);
  assert_attr(f, SL_LAYOUT_MODEL, sl_layout_model[SL_LM_NAME].path, m->name);
  free_listed(&l);
  sl_h5_close(f);
}

static void test_run_file(void** state) {
  (void)state;
  slScenario* sc = NULL;
  OK(sl_scenario_load(&sc, SL_TEST_SOURCE_DIR "/scenarios/examples/basic.yaml", NULL, 0, &e_));
  for (int flags = 0; flags <= (SL_RES_MOMENT_ARMS | SL_RES_FRAMES); flags += 3) {
    slResults* r = NULL;
    OK(sl_run_scenario(sc, 1, flags, &r, &e_));
    const char* out = in_dir(flags ? "run_full.h5" : "run.h5");
    OK(sl_run_write_h5(sc, r, out, 0, NULL, &e_));
    check_run_file(out, sc, r);
    sl_results_free(r);
    unlink(out);
  }
  sl_scenario_free(sc);
}

static void test_rank_file(void** state) {
  (void)state;
  const char* files[2] = {POS("spooning.yaml"), POS("standing_carry.yaml")};
  slOverride  ov[1] = {{"motion.samples", "4"}};
  slRank*     rk = NULL;
  OK(sl_rank_run(files, 2, ov, 1, 1, &rk, &e_));
  const char* out = in_dir("rank.h5");
  OK(sl_rank_write_h5(rk, out, 0, NULL, &e_));
  sl_rank_free(rk);
  slH5* f = NULL;
  OK(sl_h5_open(&f, out, 0, &e_));
  Listed l;
  list_file(f, &l);
  // the rows of /ranking name the groups
  char **pos = NULL, **role = NULL;
  size_t npos = 0, nrole = 0;
  char   col[256];
  OK(sl_h5_read_strings(f,
                        sl_layout_path(col, sizeof col, SL_LAYOUT_RANKING,
                                       &sl_layout_ranking_columns[SL_LRK_POSITION]),
                        &pos, &npos, &e_));
  OK(sl_h5_read_strings(
      f,
      sl_layout_path(col, sizeof col, SL_LAYOUT_RANKING, &sl_layout_ranking_columns[SL_LRK_ROLE]),
      &role, &nrole, &e_));
  assert_int_equal(npos, 4);  // two positions, two roles each
  assert_int_equal(nrole, npos);
  int cond[8];
  for (size_t i = 0; i < npos; i++) {
    char g[512], gm[600];
    snprintf(g, sizeof g, "%s/%s", SL_LAYOUT_POSITIONS, pos[i]);
    int c0[8];
    for (int k = 0; k < 8; k++) c0[k] = cond[k] = -1;
    check_group(f, &l, g, sl_layout_position, SL_LPOS_COUNT, c0, NULL);
    snprintf(g, sizeof g, "%s/%s/%s", SL_LAYOUT_POSITIONS, pos[i], role[i]);
    snprintf(gm, sizeof gm, "%s/%s", g, SL_LAYOUT_ROLE_MODEL);
    check_group(f, &l, g, sl_layout_results, SL_LR_COUNT, cond, NULL);
    check_group(f, &l, g, sl_layout_role, SL_LROLE_COUNT, cond, NULL);
    check_group(f, &l, gm, sl_layout_model, SL_LM_COUNT, cond, NULL);
    assert_int_equal(cond[SL_LW_CONTACTS], 1);  // every role of these has contacts
  }
  // the table and its columns, units per column
  int k = find(&l, SL_LAYOUT_RANKING);
  assert_true(k >= 0);
  l.seen[k] = 1;
  assert_attr(f, SL_LAYOUT_RANKING, "description", sl_layout_ranking.desc);
  for (int c = 0; c < SL_LRK_COUNT; c++) {
    char name[128];
    snprintf(name, sizeof name, "units_%s", sl_layout_ranking_columns[c].path);
    assert_attr(f, SL_LAYOUT_RANKING, name, sl_layout_ranking_columns[c].units);
    int    rank = 0;
    size_t dims[4];
    OK(sl_h5_shape(
        f, sl_layout_path(col, sizeof col, SL_LAYOUT_RANKING, &sl_layout_ranking_columns[c]), &rank,
        dims, &e_));
    assert_int_equal(dims[0], npos);
  }
  assert_all_seen(f, &l);
  sl_h5_free_strings(pos, npos);
  sl_h5_free_strings(role, nrole);
  free_listed(&l);
  sl_h5_close(f);
  // the reader finds its rows through the same tables
  slRankFile* t = NULL;
  OK(sl_rankfile_read(out, &t, &e_));
  assert_int_equal(sl_rankfile_rows(t), 4);
  assert_true(sl_rankfile_row(t, 0)->profile[1] > 0);
  sl_rankfile_free(t);
  unlink(out);
}

static void test_sweep_file(void** state) {
  (void)state;
  slSweep* sw = NULL;
  OK(sl_sweep_open(&sw, SL_TEST_SOURCE_DIR "/tests/data/sweep_small.yaml", NULL, 0, &e_));
  const char*    out = in_dir("sweep.h5");
  slSweepRunOpt  o = {.out = out, .threads = 1};
  slSweepRunInfo info;
  OK(sl_sweep_run(sw, &o, &info, &e_));
  assert_true(info.complete);
  sl_sweep_free(sw);
  slH5* f = NULL;
  OK(sl_h5_open(&f, out, 0, &e_));
  Listed l;
  list_file(f, &l);
  int cond[8];
  for (int k = 0; k < 8; k++) cond[k] = -1;
  int                  nt = 0;
  const slLayoutTable* t = sl_layout_file(SL_LAYOUT_SWEEPFILE, &nt);
  for (int k = 0; k < nt; k++) check_group(f, &l, t[k].group, t[k].item, t[k].n, cond, NULL);
  assert_all_seen(f, &l);
  // columns of the extendible datasets, and every attribute of /sweep
  char names[2048], units[2048], path[256];
  struct {
    int                 which;
    const slLayoutItem* cols;
    int                 n;
  } ext[] = {{SL_LSW_METRICS, sl_layout_sweep_metrics, SL_SM_COUNT},
             {SL_LSW_INDEX, sl_layout_sweep_index, SL_LSI_COUNT},
             {SL_LSW_STATUS, sl_layout_sweep_status, 1}};
  for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
    names[0] = units[0] = '\0';
    for (int c = 0; c < ext[k].n; c++) {
      sl_strcat(names, sizeof names, c ? "; " : "", ext[k].cols[c].path);
      sl_strcat(units, sizeof units, c ? "; " : "", ext[k].cols[c].units);
    }
    sl_layout_path(path, sizeof path, SL_LAYOUT_SWEEP, &sl_layout_sweep[ext[k].which]);
    assert_attr(f, path, "columns", names);
    assert_attr(f, path, "column_units", units);
    assert_attr(f, path, "description", sl_layout_sweep[ext[k].which].desc);
    int    rank = 0;
    size_t dims[4];
    OK(sl_h5_shape(f, path, &rank, dims, &e_));
    assert_int_equal(dims[1], ext[k].n);
  }
  sl_layout_path(path, sizeof path, SL_LAYOUT_SWEEP, &sl_layout_sweep[SL_LSW_PARAMS]);
  assert_attr(f, path, "description", sl_layout_sweep[SL_LSW_PARAMS].desc);
  for (int k = 0; k < SL_LSW_COUNT; k++) {
    if (sl_layout_sweep[k].kind != SL_LK_ATTR) continue;
    char    buf[256];
    slError e;
    if (sl_h5_read_attr_str(f, SL_LAYOUT_SWEEP, sl_layout_sweep[k].path, buf, sizeof buf, &e))
      fail_msg("/sweep: attribute %s: %s", sl_layout_sweep[k].path, e.msg);
  }
  assert_attr(f, SL_LAYOUT_SWEEP, sl_layout_sweep[SL_LSW_COMPLETE].path, "1");
  free_listed(&l);
  sl_h5_close(f);
  slSweepSummary* s = NULL;
  OK(sl_sweep_summary(out, &s, &e_));
  assert_int_equal(s->npos, 2);
  sl_sweep_summary_free(s);
  unlink(out);
}

// sl_h5_list: datasets only, in name order, nested groups, a stop from the callback, errors
static int stop_at_two(void* ctx, const char* path) {
  (void)path;
  return ++*(int*)ctx == 2;
}

static void test_h5_list(void** state) {
  (void)state;
  const char* out = in_dir("list.h5");
  slH5*       f = NULL;
  double      x = 1;
  size_t      one = 1;
  OK(sl_h5_create(&f, out, &e_));
  OK(sl_h5_write(f, "/b/y", SL_H5_F64, 1, &one, &x, "1", "y", &e_));
  OK(sl_h5_write(f, "/a", SL_H5_F64, 1, &one, &x, "1", "a", &e_));
  OK(sl_h5_write(f, "/b/c/z", SL_H5_F64, 1, &one, &x, "1", "z", &e_));
  OK(sl_h5_group(f, "/empty", &e_));
  OK(sl_h5_commit(f, &e_));
  OK(sl_h5_open(&f, out, 0, &e_));
  Listed l;
  list_file(f, &l);
  assert_int_equal(l.n, 3);
  assert_string_equal(l.path[0], "/a");
  assert_string_equal(l.path[1], "/b/c/z");
  assert_string_equal(l.path[2], "/b/y");
  free_listed(&l);
  memset(&l, 0, sizeof l);
  OK(sl_h5_list(f, "b/", add_path, &l, &e_));
  assert_int_equal(l.n, 2);
  assert_string_equal(l.path[0], "/b/c/z");
  free_listed(&l);
  int     n = 0;
  slError e;
  assert_int_equal(sl_h5_list(f, "/", stop_at_two, &n, &e), SL_OK);
  assert_int_equal(n, 2);
  assert_int_equal(sl_h5_list(f, "/a", add_path, &l, &e), SL_ERR_HDF5);
  assert_string_equal(e.where, "/a");
  assert_int_equal(sl_h5_list(f, "/nothing", add_path, &l, &e), SL_ERR_HDF5);
  assert_int_equal(sl_h5_list(f, "/", NULL, NULL, &e), SL_ERR_ARG);
  assert_int_equal(sl_h5_list(NULL, "/", add_path, &l, &e), SL_ERR_ARG);
  sl_h5_close(f);
  unlink(out);
}

static int setup(void** state) {
  (void)state;
  snprintf(g_dir, sizeof g_dir, "%s/test_layout_XXXXXX", SL_TEST_BINARY_DIR);
  return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void** state) {
  (void)state;
  return rmdir(g_dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tables),    cmocka_unit_test(test_readme),
      cmocka_unit_test(test_h5_list),   cmocka_unit_test(test_run_file),
      cmocka_unit_test(test_rank_file), cmocka_unit_test(test_sweep_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
