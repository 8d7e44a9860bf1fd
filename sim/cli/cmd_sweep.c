// cmd_sweep.c: `spineload sweep SWEEP.yaml -o OUT.h5 [--resume] [--threads N] [--quiet]`
// (also under `mpirun -n N` in an SL_MPI build).
//
// The library runs the sweep (sl_sweep_run); this file parses argv, starts and ends MPI, turns
// SIGINT and SIGTERM into a stop after the current wave (a valid file marked incomplete, the
// journal kept, exit 130), draws the progress bar (on a terminal, or with --progress one line per
// wave) and says what happened. Rank 0 alone prints.
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif

#include "cli.h"
#include "spineload.h"

static volatile sig_atomic_t g_stop = 0;
static void                  on_signal(int sig) {
                   (void)sig;
                   g_stop = 1;
}
static int stop_requested(void* ctx) {
  (void)ctx;
  return g_stop != 0;
}

static void progress(void* ctx, const slSweepProgress* p) {
  (void)ctx;
  int tty = isatty(STDERR_FILENO);
  if (p->stage == SL_SWEEP_STARTED) {
    if (p->resumed)
      cli_msg("spineload: resuming: %ld of %ld blocks already done\n", p->blocks_resumed,
              p->blocks);
    return;
  }
  int final = p->stage == SL_SWEEP_FINISHED;
  // the bar counts the whole sweep (blocks done before a --resume too); rate and time left come
  // from this run's share
  long   before = p->units_all - p->units_total;
  double run = p->units_total ? (double)p->units_done / (double)p->units_total : 1;
  double frac = p->units_all ? (double)(before + p->units_done) / (double)p->units_all : 1;
  double el = p->seconds, rate = el > 0 ? p->postures / el : 0;
  double eta = run > 0 ? el * (1 - run) / run : 0;
  int    w = 30, fill = (int)(frac * w);
  char   bar[64];
  for (int i = 0; i < w; i++) bar[i] = i < fill ? '#' : '.';
  bar[w] = 0;
  cli_msg("%s[%s] %5.1f%%  %ld of %ld units  %ld postures  %.0f postures/s  %s %.0fs%s",
          tty ? "\r" : "", bar, 100 * frac, before + p->units_done, p->units_all, p->postures, rate,
          final ? "took" : "left", final ? el : eta, tty && !final ? "   " : "\n");
}

int cmd_sweep(int argc, char** argv, const CliOpts* o) {
  int rank = 0;
#ifdef SL_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
  int      rc = EXIT_OK;
  slError  e;
  slSweep* sw = NULL;
  if (o->npos != 1 || !o->out) {
    rc = rank == 0 ? cli_usage_error("usage: spineload sweep SWEEP.yaml -o OUT.h5 [--resume]")
                   : EXIT_USAGE;
  } else if (sl_sweep_open(&sw, o->pos[0], o->set, o->nset, &e) != SL_OK) {
    rc = rank == 0 ? cli_error(&e) : EXIT_USAGE;
  } else {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    slSweepRunOpt  ro = {.out = o->out,
                         .resume = o->resume,
                         .threads = o->threads,
                         .argc = argc,
                         .argv = argv,
                         .stop = stop_requested,
                         .progress = cli_show_progress(o) ? progress : NULL,
                         .ctx = (void*)o};
    slSweepRunInfo in;
    if (sl_sweep_run(sw, &ro, &in, &e) != SL_OK) {
      rc = rank == 0 ? cli_error(&e) : EXIT_FAIL;
    } else if (!in.complete) {
      if (rank == 0 && in.kept_earlier)
        cli_msg(
            "spineload: sweep stopped: %ld of %ld blocks done, kept in %s.journal; the "
            "earlier %s is left as it was; run again with --resume to finish\n",
            in.blocks_done, in.blocks, o->out, o->out);
      else if (rank == 0)
        cli_msg(
            "spineload: sweep stopped: %ld of %ld blocks done; %s is valid but "
            "incomplete; run again with --resume to finish\n",
            in.blocks_done, in.blocks, o->out);
      rc = 130;
    } else if (rank == 0 && !o->quiet) {
      cli_msg(
          "spineload: sweep '%s': %ld units (%ld combinations x %d positions), "
          "%ld postures this run in %.1f s (%.0f postures/s) -> %s\n",
          in.name, in.units, in.combinations, in.positions, in.postures, in.seconds,
          in.seconds > 0 ? in.postures / in.seconds : 0.0, o->out);
    }
  }
  sl_sweep_free(sw);
#ifdef SL_HAVE_MPI
  // every process exits with rank 0's code
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
#endif
  return rc;
}
