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

#include "sl_position.h"

typedef struct BenchCtx {
  const slModel* m;
  const double*  q;  // (n x ncoord)
  slSoOpt        so;
  long           flagged;
  int            smooth;  // the postures are consecutive samples of a cycle

  double checksum;
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

static const char* const KIND_NAME[3] = {"thrust_cycle", "random", "position_cycle"};

static slStatus time_batches(const slModel* m, const slSoOpt* so, double* q, const double* base,
                             long n, slBench* b, BenchProgress* pg, slError* err) {
  const slModel* models[1] = {m};
  for (int kind = 0; kind < 2; kind++) {
    make_postures(m, q, n, kind, base);
    for (int th = 1; th <= 2; th++) {
      report(pg, KIND_NAME[kind], th);
      BenchCtx c = {m, q, *so, 0, kind == 0, 0};
      double   best = 1e30;
      for (int rep = 0; rep < 3; rep++) {
        double   t0 = sl_clock();
        slStatus st = sl_batch_run(models, 1, 1, n, 64, th, bench_one, &c, err);
        if (st != SL_OK) return st;
        double t = sl_clock() - t0;
        if (t < best) best = t;
      }
      slBenchRow* r = &b->row[b->nrow++];
      r->kind = kind, r->postures = n, r->threads = th, r->seconds = best;
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
    double best = 1e30;
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
    BenchCtx c = {m, q, *so, 0, kind == 0, 0};
    for (long i = 0; i < n; i++) {
      if (i % 64 == 0) sl_scene_reset(s);
      bench_one(&c, s, i);
      iters += sl_scene_data(s, 0)->so.iter;
      flagged += sl_scene_data(s, 0)->so.status != SL_SO_CONVERGED;
    }
    memcpy(b->stage_seconds[kind], sl_scene_times(s), sizeof b->stage_seconds[kind]);
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
    b->postures = n;
    b->criterion = so.criterion;
    b->lapacke = so.linalg;
  }
  sl_data_free(d);
  if (!st) st = time_batches(m, &so, q, base, n, b, &pg, err);
  if (!st) st = time_position(pp, &so, &mot, rest, nrest, n, b, &pg, err);
  if (!st) st = profile(m, &so, q, base, n, b, &pg, err);
  free(q);
  free(base);
  free(rest);
  free(mrest);
  sl_model_free(m);
  return st;
}
