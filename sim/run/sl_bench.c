// sl_bench.c: the pipeline's speed: postures per second and where the time goes.
//
// Two batches on one body: a thrust cycle's worth of neighbouring postures (the lumbar spine
// oscillating, sampled densely, so the solver warm-starts from a near neighbour) and random
// postures across the lumbar range (warm starts help little). Each runs on 1 and 2 threads (best
// of three); then a position's thrust cycle (two partners, supports, partner contact, inertia:
// the work unit of rank and sweep); the stage profile comes from a separate single-thread pass.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"
#include "sl_csv.h"
#include "sl_la.h"
#include "sl_position.h"

typedef struct BenchCtx {
  const slModel* m;
  const double*  q;  // (n x ncoord)
  slSoOpt        so;
  long           flagged;
  int            smooth;  // the postures are consecutive samples of a cycle

  double  checksum;
  double* flops;  // NULL, or (SL_NSTAGE) operations summed over the postures (sl_scene_flops)
} BenchCtx;

static int bench_one(void* vctx, slScene* s, long i) {
  BenchCtx*      c = vctx;
  const slModel* m = c->m;
  slData*        d = sl_scene_data(s, 0);
  memcpy(d->q, c->q + (size_t)i * (size_t)m->ncoord, sizeof(double) * (size_t)m->ncoord);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.smooth = c->smooth;
  sl_scene_step(s, &in, &c->so, NULL);
  if (c->flops) {
    double fl[SL_NSTAGE];
    sl_scene_flops(s, &in, &c->so, fl);
    for (int k = 0; k < SL_NSTAGE; k++) c->flops[k] += fl[k];
  }
  return 0;
}

static double urand(unsigned* s) {
  *s = *s * 1103515245u + 12345u;
  return ((*s >> 8) & 0xFFFFFF) / (double)0xFFFFFF;
}

// fill n postures: cycle (kind 0) or random (kind 1)
static void make_postures(const slModel* m, double* q, long n, int kind, const double* base) {
  unsigned seed = 12345;
  for (long i = 0; i < n; i++) {
    double* qi = q + (size_t)i * (size_t)m->ncoord;
    memcpy(qi, base, sizeof(double) * (size_t)m->ncoord);
    // random: total angles uniform over an adult's active range (Troke et al. 2005, 20-40 y:
    // flexion up to 60 of 73 deg, extension 20, lateral bend 20, twist 7 deg), by the rhythm
    double rnd[3] = {-(-20 + 80 * urand(&seed)) * SL_DEG, (-20 + 40 * urand(&seed)) * SL_DEG,
                     (-7 + 14 * urand(&seed)) * SL_DEG};
    for (int k = 0; k < SL_NLDOF; k++) {
      int c = m->ldof_coord[k];
      int l = k / 3, a = k % 3;
      if (kind == 0) {
        // 200 samples per cycle: flexion 15 +- 12 deg total, a little lateral sway
        double ph = 2.0 * SL_PI * (double)(i % 200) / 200.0;
        double tot = a == 0 ? -(15 + 12 * sin(ph)) * SL_DEG : a == 1 ? 3 * sin(ph) * SL_DEG : 0.0;
        qi[c] = tot * m->rhythm[a][l];
      } else {
        qi[c] = rnd[a] * m->rhythm[a][l];
      }
    }
  }
}

// progress: the step about to start (of SL_BENCH_STEPS)
typedef struct BenchProgress {
  slBenchProgressFn fn;
  void*             ctx;
  int               step;
} BenchProgress;

static void report(BenchProgress* pg, const char* what, int threads) {
  if (pg->fn) pg->fn(pg->ctx, pg->step, SL_BENCH_STEPS, what, threads);
  pg->step++;
}

// the reference kernel next to a timed row: one dgemm of the peak's size on each of the row's
// threads at once (their rates summed; before and after the row, the larger counts), so that a
// row is normalised by what the machine gave that many threads in its own minutes
static double reference(int threads) {
  double sum = 0.0;
#ifdef SL_HAVE_OPENMP
#pragma omp parallel for num_threads(threads) reduction(+ : sum)
#endif
  for (int t = 0; t < threads; t++) sum += sl_la_dgemm_gflops(SL_BENCH_DGEMM_N, 1, sl_clock);
  return sum;
}

static const char* const KIND_NAME[3] = {"thrust_cycle", "random", "position_cycle"};

static slStatus time_batches(const slModel* m, const slSoOpt* so, double* q, const double* base,
                             long n, slBench* b, BenchProgress* pg, slError* err) {
  const slModel* models[1] = {m};
  for (int kind = 0; kind < 2; kind++) {
    make_postures(m, q, n, kind, base);
    for (int th = 1; th <= 2; th++) {
      report(pg, KIND_NAME[kind], th);
      BenchCtx c = {m, q, *so, 0, kind == 0, 0, NULL};
      double   best = 1e30, ref = reference(th);
      for (int rep = 0; rep < 3; rep++) {
        double   t0 = sl_clock();
        slStatus st = sl_batch_run(models, 1, 1, n, 64, th, bench_one, &c, err);
        if (st != SL_OK) return st;
        double t = sl_clock() - t0;
        if (t < best) best = t;
      }
      slBenchRow* r = &b->row[b->nrow++];
      r->kind = kind, r->postures = n, r->threads = th, r->seconds = best;
      r->ref_gflops = fmax(ref, reference(th));
    }
  }
  return SL_OK;
}

static slStatus time_position(const char* pp, const slSoOpt* so, const slMotionOpt* mot,
                              const slOverride* ov, int nov, long n, slBench* b, BenchProgress* pg,
                              slError* err) {
  slPosition* pos = NULL;
  slStatus    st = sl_position_load(&pos, pp, mot, ov, nov, err);
  if (st != SL_OK) return st;
  long runs = n / (pos->samples * pos->nrole) + 1;
  for (int th = 1; th <= 2; th++) {
    report(pg, KIND_NAME[2], th);
    double best = 1e30, ref = reference(th);
    for (int rep = 0; rep < 3; rep++) {
      double t0 = sl_clock();
#ifdef SL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(th)
#endif
      for (long r = 0; r < runs; r++) {
        slPositionRun* run = NULL;
        slError        pe;
        if (sl_position_run_flags(pos, so, 0, &run, &pe) == SL_OK) sl_position_run_free(run);
      }
      double t = sl_clock() - t0;
      if (t < best) best = t;
    }
    slBenchRow* r = &b->row[b->nrow++];
    r->kind = 2, r->postures = runs * pos->samples * pos->nrole, r->threads = th, r->seconds = best;
    r->ref_gflops = fmax(ref, reference(th));
  }
  snprintf(b->position, sizeof b->position, "%s", pos->name);
  b->position_samples = pos->samples;
  b->position_roles = pos->nrole;
  b->position_frequency = pos->frequency;
  sl_position_free(pos);
  return SL_OK;
}

static slStatus profile(const slModel* m, const slSoOpt* so, double* q, const double* base, long n,
                        slBench* b, BenchProgress* pg, slError* err) {
  const slModel* models[1] = {m};
  slScene*       s = NULL;
  slStatus       st = sl_scene_make(&s, models, 1, 1, err);
  if (st != SL_OK) return st;
  for (int kind = 0; kind < 2; kind++) {
    long iters = 0, flagged = 0;
    report(pg, kind ? "profile random" : "profile thrust_cycle", 1);
    make_postures(m, q, n, kind, base);
    sl_scene_profile(s, 1);
    double   fl[SL_NSTAGE] = {0};
    BenchCtx c = {m, q, *so, 0, kind == 0, 0, fl};
    for (long i = 0; i < n; i++) {
      if (i % 64 == 0) sl_scene_reset(s);
      bench_one(&c, s, i);
      iters += sl_scene_data(s, 0)->so.iter;
      flagged += sl_scene_data(s, 0)->so.status != SL_SO_CONVERGED;
    }
    memcpy(b->stage_seconds[kind], sl_scene_times(s), sizeof b->stage_seconds[kind]);
    for (int k = 0; k < SL_NSTAGE; k++) b->flops[kind][k] = fl[k] / (double)n;
    b->iterations[kind] = (double)iters / (double)n;
    b->flagged[kind] = flagged;
  }
  sl_scene_free(s);
  return SL_OK;
}

slStatus sl_bench(const char* body, const slOverride* ov, int nov, long n, slBench* b,
                  slError* err) {
  return sl_bench_progress(body, ov, nov, n, NULL, NULL, b, err);
}

slStatus sl_bench_progress(const char* body, const slOverride* ov, int nov, long n,
                           slBenchProgressFn progress, void* ctx, slBench* b, slError* err) {
  BenchProgress pg = {progress, ctx, 0};
  memset(b, 0, sizeof *b);
  if (n < 100 || n > 100000000)
    return sl_fail(err, SL_ERR_RANGE, "", "bench: number of postures must be in [100, 1e8]");
  char path[1024], pp[1024];
  if (body)
    snprintf(path, sizeof path, "%s", body);
  else
    sl_source_path("models/adult_male.yaml", path, sizeof path);
  sl_source_path("scenarios/positions/spooning.yaml", pp, sizeof pp);
  slModel*    m = NULL;
  slOverride* rest = calloc((size_t)nov + 1, sizeof *rest);
  int         nrest = 0;
  slSoOpt     so = sl_so_opt_default();
  if (!rest) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  slMotionOpt mot = sl_motion_opt_default();
  slStatus    st = sl_overrides_apply(ov, nov, rest, &nrest, &so, err);
  if (!st) st = sl_motion_opt_set(&mot, rest, nrest, err);
  // the model takes the model paths (postures.* too: it rejects them, a bench has no scenario);
  // the timed position the position paths as well
  const unsigned MODEL_PATHS = SL_ROUTE_BIT(SL_ROUTE_MODEL) | SL_ROUTE_BIT(SL_ROUTE_POSTURES);
  slOverride*    mrest = calloc((size_t)nov + 1, sizeof *mrest);
  int            nmodel = mrest ? sl_routes_pick(rest, nrest, MODEL_PATHS, mrest) : 0;
  if (!st && !mrest) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  nrest = sl_routes_pick(rest, nrest, MODEL_PATHS | SL_ROUTE_BIT(SL_ROUTE_POSITION), rest);
  if (!st) st = sl_model_load(&m, path, mrest, nmodel, err);
  double* q = NULL;
  double* base = NULL;
  slData* d = NULL;
  if (!st) {
    q = malloc(sizeof(double) * (size_t)n * (size_t)m->ncoord);
    base = malloc(sizeof(double) * (size_t)m->ncoord);
    if (!q || !base) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  if (!st) st = sl_data_make(m, &d, err);
  if (!st) {
    slPosture p = sl_posture_default(SL_ROOT_STANDING);
    st = sl_posture_to_q(m, d, &p, base, err);
    snprintf(b->model, sizeof b->model, "%s", m->name);
    b->fascicles = m->nmus;
    sl_bench_machine(b->machine, sizeof b->machine);
    snprintf(b->revision, sizeof b->revision, "%s", SL_GIT_REV);
    b->postures = n;
    b->criterion = so.criterion;
    b->lapacke = so.linalg;
  }
  sl_data_free(d);
  if (!st) st = time_batches(m, &so, q, base, n, b, &pg, err);
  if (!st) st = time_position(pp, &so, &mot, rest, nrest, n, b, &pg, err);
  if (!st) st = profile(m, &so, q, base, n, b, &pg, err);
  if (!st) {
    // the reference kernel, in the same run: single-core dgemm of a size that reaches the peak
    report(&pg, "dgemm peak", 1);
    b->peak_n = SL_BENCH_DGEMM_N;
    b->peak_gflops = sl_la_dgemm_gflops(b->peak_n, 10, sl_clock);
    snprintf(b->blas_core, sizeof b->blas_core, "%s", sl_la_core());
    if (!(b->peak_gflops > 0)) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory for dgemm");
  }
  free(q);
  free(base);
  free(rest);
  free(mrest);
  sl_model_free(m);
  return st;
}

void sl_bench_machine(char* out, int n) {
  char  model[256] = "unknown";
  int   ncpu = 0;
  FILE* f = fopen("/proc/cpuinfo", "r");
  if (f) {
    char line[512];
    while (fgets(line, sizeof line, f)) {
      if (!strncmp(line, "processor", 9)) ncpu++;
      const char* c = strchr(line, ':');
      if (ncpu == 1 && c && !strncmp(line, "model name", 10))
        snprintf(model, sizeof model, "%s", c + 1);
    }
    fclose(f);
  }
  // lower-case letters and digits, one '-' for every other run of characters
  char slug[256];
  int  k = 0, dash = 0;
  for (const char* p = model; *p && k < (int)sizeof slug - 1; p++) {
    char ch = *p;
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (dash && k > 0) slug[k++] = '-';
      if (k < (int)sizeof slug - 1) slug[k++] = ch;
      dash = 0;
    } else if (!strncmp(p, "(R)", 3) || !strncmp(p, "(r)", 3) || !strncmp(p, "(TM)", 4)) {
      p += p[1] == 'T' ? 3 : 2;  // trademark signs say nothing
      dash = 1;
    } else {
      dash = 1;
    }
  }
  slug[k] = 0;
  snprintf(out, (size_t)n, "%s-%dc", k ? slug : "unknown", ncpu);
}

const char* const SL_BENCH_CASES[3] = {"thrust_cycle", "random", "position_cycle"};

slStatus sl_bench_compare(const slBench* b, const char* path, double ratio[6], char* used,
                          int nused, slError* err) {
  char def[1024];
  for (int i = 0; i < 6; i++) ratio[i] = 0.0;
  if (!path) {
    char rel[512];
    snprintf(rel, sizeof rel, "tests/bench/%s.csv", b->machine);
    sl_source_path(rel, def, sizeof def);
    path = def;
  }
  if (used) snprintf(used, (size_t)nused, "%s", path);
  slCsv*   csv = NULL;
  slStatus st = sl_csv_load(&csv, path, err);
  if (st != SL_OK) return st;
  static const char* const need[] = {"case",           "stage",       "threads",
                                     "postures_per_s", "peak_gflops", NULL};
  st = sl_csv_require(csv, need, err);
  int cc = sl_csv_colidx(csv, "case"), cs = sl_csv_colidx(csv, "stage");
  int ct = sl_csv_colidx(csv, "threads"), cp = sl_csv_colidx(csv, "postures_per_s");
  int cg = sl_csv_colidx(csv, "peak_gflops"), ck = sl_csv_colidx(csv, "blas_core");
  for (int r = 0; st == SL_OK && r < csv->nrow; r++) {
    const char* const* row = csv->cell + (size_t)r * (size_t)csv->ncol;
    if (strcmp(row[cs], "all") != 0) continue;  // the stage profile rows
    // a peak measured with other BLAS kernels is another yardstick
    if (ck >= 0 && strcmp(row[ck], b->blas_core) != 0) continue;
    double th, pps, peak;
    st = sl_csv_num(csv, r, ct, 1, 1024, "", &th, err);
    if (!st) st = sl_csv_num(csv, r, cp, 0, 1e12, "postures/s", &pps, err);
    if (!st) st = sl_csv_num(csv, r, cg, 1e-6, 1e9, "GFLOP/s", &peak, err);
    for (int i = 0; !st && i < b->nrow; i++) {
      const slBenchRow* w = &b->row[i];
      if (w->threads != (int)th || strcmp(row[cc], SL_BENCH_CASES[w->kind]) != 0) continue;
      double now = (double)w->postures / w->seconds / w->ref_gflops;
      if (pps > 0) ratio[i] = now / (pps / peak);  // the last such row of the file wins
    }
  }
  sl_csv_free(csv);
  return st;
}
