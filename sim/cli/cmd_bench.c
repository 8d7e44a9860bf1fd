// cmd_bench.c: `spineload bench [N] [--body MODEL] [--format md|csv]`: postures per second of the
// full pipeline, where time goes, the floating-point rate of each stage against this machine's
// single-core dgemm peak, and the ratio to the figures committed for this machine (the
// measurement is sl_bench's; this prints it).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

// one line per timed step on stderr (a bench of the default size takes minutes)
static void progress(void* ctx, int step, int nsteps, const char* what, int threads) {
  (void)ctx;
  cli_msg("spineload: bench: step %d of %d: %s, %d thread%s\n", step + 1, nsteps, what, threads,
          threads == 1 ? "" : "s");
}

static const char* const STAGE[SL_NSTAGE] = {
    "kinematics", "muscle geometry",     "loads, demand, frames, passive",
    "assembly",   "static optimisation", "disc loads"};
// the same, as CSV values
static const char* const STAGE_KEY[SL_NSTAGE] = {"kinematics", "muscle_geometry", "loads",
                                                 "assembly",   "recruitment",     "disc_loads"};

static void print_csv(const slBench* b, const double* ratio, int have) {
  printf(
      "machine,revision,model,case,stage,threads,postures,seconds,postures_per_s,"
      "flops_per_posture,gflops,percent_of_peak,peak_gflops,blas_core,"
      "postures_per_s_per_peak_gflops,ratio_to_committed\n");
  for (int i = 0; i < b->nrow; i++) {
    const slBenchRow* r = &b->row[i];
    double            pps = (double)r->postures / r->seconds;
    printf("%s,%s,%s,%s,all,%d,%ld,%.6f,%.1f,,,,%.3f,%s,%.3f,", b->machine, b->revision, b->model,
           SL_BENCH_CASES[r->kind], r->threads, r->postures, r->seconds, pps, r->ref_gflops,
           b->blas_core, pps / r->ref_gflops);
    if (have && ratio[i] > 0) printf("%.4f", ratio[i]);
    printf("\n");
  }
  for (int kind = 0; kind < 2; kind++)
    for (int k = 0; k < SL_NSTAGE; k++) {
      double t = b->stage_seconds[kind][k], fl = b->flops[kind][k] * (double)b->postures;
      double g = t > 0 ? fl / t * 1e-9 : 0.0;
      printf("%s,%s,%s,%s,%s,1,%ld,%.6f,%.1f,%.0f,%.3f,%.2f,%.3f,%s,,\n", b->machine, b->revision,
             b->model, SL_BENCH_CASES[kind], STAGE_KEY[k], b->postures, t,
             t > 0 ? (double)b->postures / t : 0.0, b->flops[kind][k], g, 100 * g / b->peak_gflops,
             b->peak_gflops, b->blas_core);
    }
}

static void print_text(const slBench* b, long n) {
  printf(
      "spineload bench: %s (%d fascicles), %ld postures per batch, block 64, criterion %s, "
      "Cholesky %s\n",
      b->model, b->fascicles, n, sl_criterion_name(b->criterion),
      b->lapacke ? "LAPACKE" : "built-in");
  printf("build: %s\nmachine: %s\n\n", sl_build_summary(), b->machine);
  printf("%-14s %8s %8s %10s %14s %10s %12s\n", "case", "postures", "threads", "seconds",
         "postures/s", "per post.", "dgemm GF/s");
  for (int i = 0; i < b->nrow; i++) {
    const slBenchRow* r = &b->row[i];
    printf("%-14s %8ld %8d %10.3f %14.0f %8.2f us %12.1f\n", SL_BENCH_CASES[r->kind], r->postures,
           r->threads, r->seconds, r->postures / r->seconds, 1e6 * r->seconds / r->postures,
           r->ref_gflops);
  }
  printf(
      "(position_cycle: %s, %d samples x %d partners per cycle, %.2f Hz; dgemm GF/s: the "
      "reference kernel,\n one dgemm per thread at once, just before and after each row, the "
      "faster)\n",
      b->position, b->position_samples, b->position_roles, b->position_frequency);
  printf("\npeak: OpenBLAS dgemm %d x %d on 1 thread (%s kernels), best of 10: %.1f GFLOP/s\n",
         b->peak_n, b->peak_n, b->blas_core, b->peak_gflops);
  if (!strcmp(b->blas_core, "Prescott"))
    printf(
        "(Prescott is OpenBLAS's generic fallback for a processor it does not recognise: this "
        "machine's\n peak is likely higher; OPENBLAS_CORETYPE=SkylakeX, Haswell, ... measures it "
        "with the right kernels)\n");
  printf(
      "\nstage profile (1 thread; operations counted from each stage's loop structure with every "
      "posture's\nsizes, an estimate for static optimisation: see README \"Performance\"):\n");
  for (int kind = 0; kind < 2; kind++) {
    double all = 0, allfl = 0;
    for (int k = 0; k < SL_NSTAGE; k++) all += b->stage_seconds[kind][k];
    for (int k = 0; k < SL_NSTAGE; k++) allfl += b->flops[kind][k];
    printf(" %s: %.2f Newton iterations per posture, %ld of %ld flagged\n", SL_BENCH_CASES[kind],
           b->iterations[kind], b->flagged[kind], n);
    printf("  %-32s %8s %13s %12s %8s %10s\n", "stage", "time", "us/posture", "flop/posture",
           "GFLOP/s", "of peak");
    for (int k = 0; k < SL_NSTAGE; k++) {
      double t = b->stage_seconds[kind][k];
      double g = t > 0 ? b->flops[kind][k] * (double)n / t * 1e-9 : 0.0;
      printf("  %-32s %6.1f %% %10.2f us %12.0f %8.2f %8.2f %%\n", STAGE[k], 100 * t / all,
             1e6 * t / n, b->flops[kind][k], g, 100 * g / b->peak_gflops);
    }
    double g = all > 0 ? allfl * (double)n / all * 1e-9 : 0.0;
    printf("  %-32s %6.1f %% %10.2f us %12.0f %8.2f %8.2f %%\n", "all", 100.0, 1e6 * all / n, allfl,
           g, 100 * g / b->peak_gflops);
  }
}

// a line to stdout, or to stderr (through cli_msg)
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
out(int to_err, const char* fmt, ...) {
  char    line[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (to_err)
    cli_msg("%s", line);
  else
    fputs(line, stdout);
}

// the ratio lines: to stdout with the tables, to stderr when stdout is the CSV table
static void print_ratios(int f, const slBench* b, const double* ratio, const char* used, int have) {
  if (!have) {
    out(f,
        "\nno committed figures for machine %s (%s): `spineload bench --format csv > "
        "tests/bench/%s.csv` starts them\n",
        b->machine, used, b->machine);
    return;
  }
  out(f,
      "\nratio to the committed figures (%s): postures/s per GFLOP/s of dgemm peak, this run "
      "over the committed run (> 1: faster)\n",
      used);
  for (int i = 0; i < b->nrow; i++) {
    const slBenchRow* r = &b->row[i];
    if (ratio[i] > 0)
      out(f, "  ratio %-14s %d thread%s %6.3f\n", SL_BENCH_CASES[r->kind], r->threads,
          r->threads == 1 ? " " : "s", ratio[i]);
    else
      out(f, "  ratio %-14s %d thread%s      - (not in the file)\n", SL_BENCH_CASES[r->kind],
          r->threads, r->threads == 1 ? " " : "s");
  }
}

int cmd_bench(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  long n = 20000;
  int  csv = o->format && !strcmp(o->format, "csv");
  if (o->npos > 1) return cli_usage_error("usage: spineload bench [N] [--format md|csv]");
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
  double ratio[6];
  char   used[1024];
  int    have = sl_bench_compare(b, NULL, ratio, used, sizeof used, &e) == SL_OK;
  if (!have && e.code != SL_ERR_IO) {  // a committed file that cannot be read is worth saying
    cli_msg("spineload: bench: the committed figures cannot be compared: %s\n", e.msg);
  }
  if (csv) {
    print_csv(b, ratio, have);
    print_ratios(1, b, ratio, used, have);
  } else {
    print_text(b, n);
    print_ratios(0, b, ratio, used, have);
  }
  free(b);
  return EXIT_OK;
}
