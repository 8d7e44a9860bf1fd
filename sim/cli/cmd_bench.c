// cmd_bench.c: `spineload bench [N] [--body MODEL]`: postures per second of the full pipeline and
// where time goes (the measurement is sl_bench's; this prints it).
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

// one line per timed step on stderr (a bench of the default size takes minutes)
static void progress(void* ctx, int step, int nsteps, const char* what, int threads) {
  (void)ctx;
  cli_msg("spineload: bench: step %d of %d: %s, %d thread%s\n", step + 1, nsteps, what, threads,
          threads == 1 ? "" : "s");
}

int cmd_bench(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  long n = 20000;
  if (o->npos > 1) return cli_usage_error("usage: spineload bench [N]");
  if (o->npos == 1) {
    n = atol(o->pos[0]);
    if (n < 100 || n > 100000000)
      return cli_usage_error("bench: number of postures must be in [100, 1e8]");
  }
  slBench* b = malloc(sizeof *b);
  slError  e;
  if (!b) return EXIT_FAIL;
  if (sl_bench_progress(o->body, o->set, o->nset, n, o->quiet ? NULL : progress, NULL, b, &e) !=
      SL_OK) {
    free(b);
    return cli_error(&e);
  }
  static const char* const kinds[3] = {"thrust_cycle", "random", "position_cycle"};
  printf(
      "spineload bench: %s (%d fascicles), %ld postures per batch, block 64, criterion %s, "
      "Cholesky %s\n",
      b->model, b->fascicles, n, sl_criterion_name(b->criterion),
      b->lapacke ? "LAPACKE" : "built-in");
  printf("build: %s\n\n", sl_build_summary());
  printf("%-14s %8s %8s %10s %14s %10s\n", "case", "postures", "threads", "seconds", "postures/s",
         "per post.");
  for (int i = 0; i < b->nrow; i++) {
    const slBenchRow* r = &b->row[i];
    printf("%-14s %8ld %8d %10.3f %14.0f %8.2f us\n", kinds[r->kind], r->postures, r->threads,
           r->seconds, r->postures / r->seconds, 1e6 * r->seconds / r->postures);
  }
  printf("(position_cycle: %s, %d samples x %d partners per cycle, %.2f Hz)\n", b->position,
         b->position_samples, b->position_roles, b->position_frequency);
  printf("\nstage profile (1 thread):\n");
  static const char* const stage[SL_NSTAGE] = {
      "kinematics", "muscle geometry",     "loads, demand, frames, passive",
      "assembly",   "static optimisation", "disc loads"};
  for (int kind = 0; kind < 2; kind++) {
    double all = 0;
    for (int k = 0; k < SL_NSTAGE; k++) all += b->stage_seconds[kind][k];
    printf(" %s: %.2f Newton iterations per posture, %ld of %ld flagged\n", kinds[kind],
           b->iterations[kind], b->flagged[kind], n);
    for (int k = 0; k < SL_NSTAGE; k++)
      printf("  %-32s %6.1f %%  %8.2f us/posture\n", stage[k],
             100 * b->stage_seconds[kind][k] / all, 1e6 * b->stage_seconds[kind][k] / n);
  }
  free(b);
  return EXIT_OK;
}
