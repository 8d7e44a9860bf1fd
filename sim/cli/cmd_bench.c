// cmd_bench.c: `spineload bench`: postures per second of the full pipeline and where time goes.
//
// Two batches on the default adult male: a thrust cycle's worth of neighbouring postures (the
// lumbar spine oscillating, sampled densely, so the solver warm-starts from a near neighbour)
// and random postures across the lumbar range (warm starts help little). Each runs on 1 and 2
// threads; the stage profile comes from a separate single-thread pass.
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sl_config.h"
#include "sl_math.h"
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

int cmd_bench(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  char        path[1024];
  const char* rel = o->body ? o->body : "models/adult_male.yaml";
  if (access(rel, R_OK) == 0 || o->body)
    snprintf(path, sizeof path, "%s", rel);
  else
    snprintf(path, sizeof path, "%s/%s", SL_SOURCE_DIR, rel);
  slModel*   m = NULL;
  slError    e;
  slSoOpt    so = sl_so_opt_default();
  slOverride rest[CLI_MAXSET];
  int        nrest = 0;
  if (sl_overrides_apply(o->set, o->nset, rest, &nrest, &so, &e) != SL_OK) return cli_error(&e);
  if (sl_model_load(&m, path, rest, nrest, &e) != SL_OK) return cli_error(&e);
  long n = 20000;
  if (o->npos == 1) {
    n = atol(o->pos[0]);
    if (n < 100 || n > 100000000) {
      sl_model_free(m);
      return cli_usage_error("bench: number of postures must be in [100, 1e8]");
    }
  }
  double* q = malloc(sizeof(double) * (size_t)n * (size_t)m->ncoord);
  double* base = malloc(sizeof(double) * (size_t)m->ncoord);
  slData* d = NULL;
  if (!q || !base || sl_data_make(m, &d, &e) != SL_OK) {
    free(q), free(base), sl_model_free(m);
    return EXIT_FAIL;
  }
  slPosture p = sl_posture_default(SL_ROOT_STANDING);
  sl_posture_to_q(m, d, &p, base, &e);
  sl_data_free(d);
  const slModel*           models[1] = {m};
  static const char* const kinds[2] = {"thrust_cycle", "random"};
  printf(
      "spineload bench: %s (%d fascicles), %ld postures per batch, block 64, criterion %s, "
      "Cholesky %s\n",
      m->name, m->nmus, n, sl_criterion_name(so.criterion), so.linalg ? "LAPACKE" : "built-in");
  printf("build: %s %s, %s\n\n", SL_C_COMPILER, SL_BUILD_TYPE, SL_GIT_REV);
  printf("%-14s %8s %8s %10s %14s %10s\n", "case", "postures", "threads", "seconds", "postures/s",
         "per post.");
  for (int kind = 0; kind < 2; kind++) {
    make_postures(m, q, n, kind, base);
    for (int th = 1; th <= 2; th++) {
      BenchCtx c = {m, q, so, 0, kind == 0, 0};
      double   best = 1e30;
      for (int rep = 0; rep < 3; rep++) {
        double t0 = sl_clock();
        if (sl_batch_run(models, 1, 1, n, 64, th, bench_one, &c, &e) != SL_OK) {
          free(q), free(base), sl_model_free(m);
          return cli_error(&e);
        }
        double t = sl_clock() - t0;
        if (t < best) best = t;
      }
      printf("%-14s %8ld %8d %10.3f %14.0f %8.2f us\n", kinds[kind], n, th, best, n / best,
             1e6 * best / n);
    }
  }
  // a position's thrust cycle: two partners, supports, partner contact, inertia (the work unit
  // of `rank` and `sweep`)
  {
    char pp[1024];
    snprintf(pp, sizeof pp, "%s", "scenarios/positions/spooning.yaml");
    if (access(pp, R_OK) != 0)
      snprintf(pp, sizeof pp, "%s/scenarios/positions/spooning.yaml", SL_SOURCE_DIR);
    slMotionOpt mot = sl_motion_opt_default();
    slPosition* pos = NULL;
    if (sl_position_load(&pos, pp, &mot, rest, nrest, &e) != SL_OK) {
      free(q), free(base), sl_model_free(m);
      return cli_error(&e);
    }
    long runs = n / (pos->samples * pos->nrole) + 1;
    for (int th = 1; th <= 2; th++) {
      double best = 1e30;
      for (int rep = 0; rep < 3; rep++) {
        double t0 = sl_clock();
#ifdef SL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(th)
#endif
        for (long r = 0; r < runs; r++) {
          slPositionRun* run = NULL;
          slError        pe;
          if (sl_position_run_flags(pos, &so, 0, &run, &pe) == SL_OK) sl_position_run_free(run);
        }
        double t = sl_clock() - t0;
        if (t < best) best = t;
      }
      long np = runs * pos->samples * pos->nrole;
      printf("%-14s %8ld %8d %10.3f %14.0f %8.2f us\n", "position_cycle", np, th, best, np / best,
             1e6 * best / np);
    }
    printf("(position_cycle: %s, %d samples x %d partners per cycle, %.2f Hz)\n", pos->name,
           pos->samples, pos->nrole, pos->frequency);
    sl_position_free(pos);
  }

  // where the time goes: one thread, profiled, both batches

  printf("\nstage profile (1 thread):\n");
  slScene* s = NULL;
  if (sl_scene_make(&s, models, 1, 1, &e) != SL_OK) {
    free(q), free(base), sl_model_free(m);
    return cli_error(&e);
  }
  static const char* const stage[SL_NSTAGE] = {
      "kinematics", "muscle geometry",     "loads, demand, frames, passive",
      "assembly",   "static optimisation", "disc loads"};
  for (int kind = 0; kind < 2; kind++) {
    double tot[SL_NSTAGE] = {0}, all = 0;
    long   iters = 0, flagged = 0;
    make_postures(m, q, n, kind, base);
    sl_scene_profile(s, 1);
    BenchCtx c = {m, q, so, 0, kind == 0, 0};
    for (long i = 0; i < n; i++) {
      if (i % 64 == 0) sl_scene_reset(s);
      bench_one(&c, s, i);
      iters += sl_scene_data(s, 0)->so.iter;
      flagged += sl_scene_data(s, 0)->so.status != SL_SO_CONVERGED;
    }
    const double* t = sl_scene_times(s);
    for (int k = 0; k < SL_NSTAGE; k++) tot[k] = t[k], all += t[k];
    printf(" %s: %.2f Newton iterations per posture, %ld of %ld flagged\n", kinds[kind],
           (double)iters / n, flagged, n);
    for (int k = 0; k < SL_NSTAGE; k++)
      printf("  %-32s %6.1f %%  %8.2f us/posture\n", stage[k], 100 * tot[k] / all,
             1e6 * tot[k] / n);
  }
  sl_scene_free(s);
  free(q);
  free(base);
  sl_model_free(m);
  return EXIT_OK;
}
