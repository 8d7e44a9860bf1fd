// sl_rank.c: a library of positions, loaded in a fixed order, run over threads and ranked by
// load index, by clinical phenotype and against the popular claim.
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_driver.h"
#include "sl_position.h"

slStatus sl_positions_load(slPosition** P, const char* const* files, int n, const slMotionOpt* mo,
                           const slOverride* ov, int nov, slError* err) {
  for (int p = 0; p < n; p++) P[p] = NULL;
  slStatus st = SL_OK;
  for (int p = 0; p < n && st == SL_OK; p++)
    st = sl_position_load(&P[p], files[p], mo, ov, nov, err);
  // a fixed order (by name); insertion sort keeps equal names in the order given
  for (int p = 1; p < n && st == SL_OK; p++)
    for (int q = p; q > 0 && strcmp(P[q - 1]->name, P[q]->name) > 0; q--) {
      slPosition* t = P[q];
      P[q] = P[q - 1];
      P[q - 1] = t;
    }
  for (int p = 1; p < n && st == SL_OK; p++)
    if (!strcmp(P[p]->name, P[p - 1]->name))
      st = sl_fail(err, SL_ERR_KEY, P[p]->file, "position name '%s' is also used by %s", P[p]->name,
                   P[p - 1]->file);
  if (st != SL_OK)
    for (int p = 0; p < n; p++) {
      sl_position_free(P[p]);
      P[p] = NULL;
    }
  return st;
}

// ---- position cycles as items of the driver ----------------------------------------------------
typedef struct Cycles {
  const slPosition* const* P;
  const slSoOpt*           o;
  slPositionRun**          R;
  slStatus*                st;  // (np) per position
  slError*                 err;
} Cycles;

static void* work_make(void* ctx, int thread, slError* err) {
  slPositionWork* w = NULL;
  (void)ctx, (void)thread;
  return sl_position_work_make(&w, err) == SL_OK ? w : NULL;
}

static void work_free(void* ctx, void* w) {
  (void)ctx;
  sl_position_work_free(w);
}

static int cycle_item(void* ctx, void* w, long p) {
  Cycles* c = ctx;
  c->st[p] = sl_position_run_ws(c->P[p], c->o, SL_RES_FRAMES, w, &c->R[p], &c->err[p]);
  return 0;  // the others still run; the first failure in order is reported
}

slStatus sl_positions_run(const slPosition* const* P, int np, const slSoOpt* o, int threads,
                          slPositionRun** R, slError* err) {
  for (int p = 0; p < np; p++) R[p] = NULL;
  if (np <= 0) return SL_OK;
  Cycles c = {P, o, R, calloc((size_t)np, sizeof(slStatus)), calloc((size_t)np, sizeof(slError))};
  slDriver* d = NULL;
  slStatus  st = c.st && c.err ? SL_OK : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  if (st == SL_OK) st = sl_driver_make(&d, threads, work_make, work_free, NULL, err);
  if (st == SL_OK) st = sl_driver_run(d, np, cycle_item, &c, err);
  sl_driver_free(d);
  for (int p = 0; p < np && st == SL_OK; p++)
    if (c.st[p] != SL_OK) {
      st = c.st[p];
      if (err) *err = c.err[p];
    }
  if (st != SL_OK)
    for (int p = 0; p < np; p++) {
      sl_position_run_free(R[p]);
      R[p] = NULL;
    }
  free(c.st);
  free(c.err);
  return st;
}

void sl_ranking_free(slRanking* rk) {
  if (!rk) return;
  free(rk->row);
  free(rk->worst);
  free(rk->pos_rank);
  free(rk->verdict);
  memset(rk, 0, sizeof *rk);
}

slStatus sl_ranking_make(slRanking* rk, const slPosition* const* P, const slPositionRun* const* R,
                         int np, slError* err) {
  memset(rk, 0, sizeof *rk);
  int n = 0;
  for (int p = 0; p < np; p++) n += P[p]->nrole;
  size_t m = (size_t)(n > np ? n : np) + 1;
  rk->row = calloc((size_t)n + 1, sizeof *rk->row);
  rk->worst = calloc((size_t)np + 1, sizeof(double));
  rk->pos_rank = calloc((size_t)np + 1, sizeof(int));
  rk->verdict = calloc((size_t)np + 1, sizeof(slVerdict));
  double* sc = malloc(sizeof(double) * m);
  int*    r = malloc(sizeof(int) * m);
  if (!rk->row || !rk->worst || !rk->pos_rank || !rk->verdict || !sc || !r) {
    free(sc), free(r);
    sl_ranking_free(rk);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  rk->npos = np;
  rk->nrow = n;
  for (int p = 0, i = 0; p < np; p++)
    for (int k = 0; k < P[p]->nrole; k++, i++) {
      slRankRow* w = &rk->row[i];
      w->pos = p;
      w->role = k;
      sl_metrics_compute(R[p], k, &w->mt);
      sl_metrics_phrase(&w->mt, w->phrase, sizeof w->phrase);
      if (w->mt.load_index > rk->worst[p]) rk->worst[p] = w->mt.load_index;
    }
  // the overall ranking and one per phenotype score; rows that did not converge come last
  for (int which = 0; which < 4; which++) {
    for (int i = 0; i < n; i++) {
      const slMetrics* mt = &rk->row[i].mt;
      sc[i] = mt->failed   ? INFINITY
              : which == 0 ? mt->load_index
              : which == 1 ? mt->score_flex
              : which == 2 ? mt->score_ext
                           : mt->score_comp;
    }
    sl_rank_scores(sc, n, r);
    for (int i = 0; i < n; i++) {
      int* dst = which == 0   ? &rk->row[i].rank
                 : which == 1 ? &rk->row[i].rank_flex
                 : which == 2 ? &rk->row[i].rank_ext
                              : &rk->row[i].rank_comp;
      *dst = r[i];
    }
  }
  // positions by their worse partner (last if a role did not converge), and the popular claim
  // against that rank
  int* failed = calloc((size_t)np + 1, sizeof(int));
  if (!failed) {
    free(sc), free(r);
    sl_ranking_free(rk);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  for (int i = 0; i < n; i++) failed[rk->row[i].pos] |= rk->row[i].mt.failed > 0;
  for (int p = 0; p < np; p++) sc[p] = failed[p] ? INFINITY : rk->worst[p];
  sl_rank_scores(sc, np, rk->pos_rank);
  rk->third = (np + 2) / 3;
  for (int p = 0; p < np; p++) {
    int k = rk->pos_rank[p];
    if (failed[p] && P[p]->claim != SL_CLAIM_NONE)
      rk->verdict[p] = SL_VERDICT_UNJUDGED;
    else if (P[p]->claim == SL_CLAIM_SAFE)
      rk->verdict[p] = k <= rk->third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES;
    else if (P[p]->claim == SL_CLAIM_RISKY)
      rk->verdict[p] = k > np - rk->third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES;
  }
  free(failed);
  free(sc);
  free(r);
  return SL_OK;
}

static int cmp_str(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

// add a copy of s to the list (grown by doubling)
static int push(char*** list, int* n, int* cap, const char* s) {
  if (*n == *cap) {
    int    c = *cap ? 2 * *cap : 32;
    char** t = realloc(*list, sizeof(char*) * (size_t)c);
    if (!t) return -1;
    *list = t, *cap = c;
  }
  return ((*list)[*n] = strdup(s)) ? (*n)++, 0 : -1;
}

// the library's position names (its *.yaml file names without the extension), sorted,
// comma-separated
static void library_names(const char* dir, char* out, size_t n) {
  char** names = NULL;
  int    nn = 0, cap = 0;
  out[0] = 0;
  DIR* d = opendir(dir);
  if (!d) {
    snprintf(out, n, "(the directory cannot be read)");
    return;
  }
  struct dirent* e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int)(len - 5), e->d_name);
    if (push(&names, &nn, &cap, nm)) break;
  }
  closedir(d);
  if (nn) qsort(names, (size_t)nn, sizeof(char*), cmp_str);
  for (int i = 0; i < nn; i++) {
    size_t len = strlen(out);
    snprintf(out + len, n - len, "%s%s", i ? ", " : "", names[i]);
    free(names[i]);
  }
  free(names);
}

slStatus sl_position_files(const char* const* inputs, int ninputs, char*** files, int* n,
                           slError* err) {
  char        lib[1024];
  const char* dflt[1] = {lib};
  *files = NULL;
  *n = 0;
  if (ninputs == 0) {
    sl_source_path("scenarios/positions", lib, sizeof lib);
    inputs = dflt;
    ninputs = 1;
  }
  int      cap = 0;
  slStatus st = SL_OK;
  for (int i = 0; i < ninputs && st == SL_OK; i++) {
    struct stat sb;
    char        named[1100];
    if (stat(inputs[i], &sb) != 0) {
      // not a file: the name of a position of the library (its file name without .yaml)
      char lib_dir[1024];
      sl_source_path("scenarios/positions", lib_dir, sizeof lib_dir);
      const char* in = inputs[i];
      int         plain = in[0] && !strchr(in, '/') && !strchr(in, '.');
      snprintf(named, sizeof named, "%s/%s.yaml", lib_dir, in);
      if (plain && stat(named, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        if (push(files, n, &cap, named)) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
        continue;
      }
      char names[1500];
      library_names(lib_dir, names, sizeof names);
      st = sl_fail(err, SL_ERR_ARG, "",
                   "cannot find position '%s': no such file%s; the library's positions (%s) "
                   "are: %s",
                   in, plain ? " or position name" : "", lib_dir, names);
      break;
    }
    if (!S_ISDIR(sb.st_mode)) {
      if (push(files, n, &cap, inputs[i])) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
      continue;
    }
    DIR* d = opendir(inputs[i]);
    if (!d) {
      st = sl_fail(err, SL_ERR_ARG, "", "cannot read directory '%s'", inputs[i]);
      break;
    }
    int            first = *n;
    struct dirent* e;
    while (st == SL_OK && (e = readdir(d))) {
      size_t len = strlen(e->d_name);
      if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
      char p[2048];
      snprintf(p, sizeof p, "%s/%s", inputs[i], e->d_name);
      if (push(files, n, &cap, p)) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    }
    closedir(d);
    if (*n > first)  // a stable order (an empty directory has no list yet)
      qsort(*files + first, (size_t)(*n - first), sizeof(char*), cmp_str);
  }
  if (st == SL_OK && *n == 0) st = sl_fail(err, SL_ERR_ARG, "", "no position files found");
  if (st != SL_OK) {
    for (int i = 0; i < *n; i++) free((*files)[i]);
    free(*files);
    *files = NULL;
    *n = 0;
  }
  return st;
}

const char* sl_rank_checks(const slRank* rk) {
  return rk && rk->checks ? rk->checks : "";
}

void sl_rank_free(slRank* rk) {
  if (!rk) return;
  for (int p = 0; p < rk->np; p++) {
    if (rk->R) sl_position_run_free(rk->R[p]);
    if (rk->P) sl_position_free(rk->P[p]);
  }
  free(rk->R);
  free(rk->P);
  sl_ranking_free(&rk->rk);
  sl_uncertainty_free(rk->unc);
  free(rk->checks);
  free(rk);
}

slStatus sl_rank_run(const char* const* files, int nfiles, const slOverride* ov, int nov,
                     int threads, slRank** out, slError* err) {
  *out = NULL;
  slRank*     rk = calloc(1, sizeof *rk);
  slOverride* rest = calloc((size_t)nov + 1, sizeof *rest);
  int         nrest = 0;
  if (rk) {
    rk->P = calloc((size_t)nfiles + 1, sizeof *rk->P);
    rk->R = calloc((size_t)nfiles + 1, sizeof *rk->R);
  }
  if (!rk || !rest || !rk->P || !rk->R) {
    free(rest);
    sl_rank_free(rk);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  rk->so = sl_so_opt_default();
  rk->mot = sl_motion_opt_default();
  slStatus st = sl_overrides_apply(ov, nov, rest, &nrest, &rk->so, err);
  if (!st) st = sl_motion_opt_set(&rk->mot, rest, nrest, err);
  if (!st) st = sl_positions_load(rk->P, files, nfiles, &rk->mot, rest, nrest, err);
  if (!st) rk->np = nfiles;
  // the positions' geometry checked (custom files: a floating support, partners apart)
  size_t cap = 4096 * (size_t)(nfiles + 1);
  if (!st && !(rk->checks = calloc(cap, 1))) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int p = 0; !st && p < rk->np; p++) {
    char lines[4096] = "";
    if (!sl_position_check(rk->P[p], rk->P[p]->q0, lines, sizeof lines)) continue;
    for (char *l = lines, *e; *l; l = e + 1) {
      e = strchr(l, '\n');
      if (!e) break;
      size_t at = strlen(rk->checks);
      snprintf(rk->checks + at, cap - at, "%s: %.*s\n", rk->P[p]->file, (int)(e - l), l);
    }
  }
  if (!st)
    st = sl_positions_run((const slPosition* const*)rk->P, rk->np, &rk->so, threads, rk->R, err);
  if (!st)
    st = sl_ranking_make(&rk->rk, (const slPosition* const*)rk->P,
                         (const slPositionRun* const*)rk->R, rk->np, err);
  free(rest);
  if (st != SL_OK) {
    sl_rank_free(rk);
    return st;
  }
  *out = rk;
  return SL_OK;
}
