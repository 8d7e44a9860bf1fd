// cmd_sweep.c: `spineload sweep SWEEP.yaml -o OUT.h5 [--resume] [--threads N] [--quiet]`
// (also under `mpirun -n N` in an SL_MPI build).
//
// Blocks of units are computed in waves (every thread, and every MPI process, takes whole
// blocks), then written in block order: rows into the HDF5 file at their own offsets (flat,
// chunked, compressed, extendible datasets) and the block into the journal (fsync'ed). The HDF5
// file is written under a temporary name and renamed when the sweep ends; on SIGINT or SIGTERM
// the sweep stops after the wave, writes a valid file marked incomplete and keeps the journal;
// after SIGKILL the journal alone survives. `--resume` rebuilds the file from the journal and
// computes only the missing blocks, so the result is the same as an uninterrupted run.
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SL_HAVE_OPENMP
#include <omp.h>
#endif
#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif

#include "cli.h"
#include "sl_h5.h"
#include "sl_io.h"
#include "sl_journal.h"
#include "sl_results.h"
#include "sl_sweep.h"

static volatile sig_atomic_t g_stop = 0;
static void                  on_signal(int sig) {
                   (void)sig;
                   g_stop = 1;
}

typedef struct Out {
  slH5*          f;
  const slSweep* sw;
  double*        par;  // staging for one block
  double*        met;
  int32_t*       idx;
  int32_t*       sta;
} Out;

// rows of block b: units [b*block, min(nunit, (b+1)*block)), two rows each
static long block_units(const slSweep* sw, long b) {
  long u0 = b * sw->block, u1 = u0 + sw->block;
  if (u1 > sw->nunit) u1 = sw->nunit;
  return u1 - u0;
}

static slStatus write_block(void* ctx, long b, const void* rowsv, int nrows, slError* err) {
  Out*              o = ctx;
  const slSweepRow* rows = rowsv;
  const slSweep*    sw = o->sw;
  int               np = sw->npar > 0 ? sw->npar : 1;
  for (int i = 0; i < nrows; i++) {
    for (int k = 0; k < np; k++) o->par[(size_t)i * np + k] = k < sw->npar ? rows[i].param[k] : 0;
    memcpy(o->met + (size_t)i * SL_SM_COUNT, rows[i].metric, sizeof rows[i].metric);
    o->idx[3 * i] = rows[i].comb;
    o->idx[3 * i + 1] = rows[i].pos;
    o->idx[3 * i + 2] = rows[i].role;
    o->sta[i] = rows[i].status;
  }
  size_t   at = (size_t)b * (size_t)sw->block * SL_SWEEP_ROLES;
  slStatus st = sl_h5_ext_write(o->f, "/sweep/params", at, (size_t)nrows, o->par, err);
  if (!st) st = sl_h5_ext_write(o->f, "/sweep/metrics", at, (size_t)nrows, o->met, err);
  if (!st) st = sl_h5_ext_write(o->f, "/sweep/index", at, (size_t)nrows, o->idx, err);
  if (!st) st = sl_h5_ext_write(o->f, "/sweep/status", at, (size_t)nrows, o->sta, err);
  return st;
}

static slStatus create_file(Out* o, const char* out, const slSweep* sw, int argc, char** argv,
                            slError* err) {
  slStatus st = sl_h5_create(&o->f, out, err);
  if (st) return st;
  const char* files[2] = {sw->file, NULL};
  st = sl_results_write_meta(o->f, argc, argv, files, 1, err);
  const char* pn[SL_SWEEP_MAXPAR + 1];
  const char* pu[SL_SWEEP_MAXPAR + 1];
  int         np = sw->npar > 0 ? sw->npar : 1;
  for (int k = 0; k < np; k++) {
    pn[k] = k < sw->npar ? sw->par[k].path : "none";
    pu[k] = "value of the parameter at its path (categorical: index into the listed values)";
  }
  size_t chunk = (size_t)sw->block * SL_SWEEP_ROLES;
  if (chunk < 256) chunk = 256;
  if (!st)
    st = sl_h5_ext_create(o->f, "/sweep/params", SL_H5_F64, np, chunk, pn, pu,
                          "parameter values of each row's combination (columns: see attribute "
                          "'columns'; their paths are the --set paths)",
                          err);
  if (!st)
    st = sl_h5_ext_create(o->f, "/sweep/metrics", SL_H5_F64, SL_SM_COUNT, chunk,
                          sl_sweep_metric_names, sl_sweep_metric_units,
                          "metrics of each row (one position, one role, one combination) over "
                          "its thrust cycle; NaN when the row has no result (see status)",
                          err);
  static const char* const in[3] = {"combination", "position", "role"};
  static const char* const iu[3] = {"1", "1", "1"};
  if (!st)
    st = sl_h5_ext_create(o->f, "/sweep/index", SL_H5_I32, 3, chunk, in, iu,
                          "combination index, position index (into /sweep/position_names), role "
                          "index (into /sweep/role_names)",
                          err);
  static const char* const sn[1] = {"status"};
  static const char* const su[1] = {"1"};
  if (!st)
    st = sl_h5_ext_create(o->f, "/sweep/status", SL_H5_I32, 1, chunk, sn, su,
                          "samples of the cycle that needed reserves or did not converge; -1 "
                          "the position has no such role; -2 the posture could not be built "
                          "for this combination",
                          err);
  const char* names[1024];
  const char* roles[2048];
  int         n = sw->npos < 1024 ? sw->npos : 1024;
  for (int p = 0; p < n; p++) {
    names[p] = sw->pos_name[p];
    roles[2 * p] = sw->role_name[p][0];
    roles[2 * p + 1] = sw->role_name[p][1];
  }
  if (!st)
    st = sl_h5_write_strings(o->f, "/sweep/position_names", names, (size_t)n,
                             "positions of the sweep, in the order of /sweep/index", err);
  if (!st)
    st = sl_h5_write_strings(o->f, "/sweep/role_names", roles, (size_t)(2 * n),
                             "role names, two per position (role index r of position p at "
                             "2 p + r); empty if the position has one role",
                             err);
  static const char* const dn[3] = {"grid", "random", "lhs"};
  if (!st) st = sl_h5_attr_str(o->f, "/sweep", "name", sw->name, err);
  if (!st) st = sl_h5_attr_str(o->f, "/sweep", "design", dn[sw->design], err);
  if (!st) st = sl_h5_attr_i64(o->f, "/sweep", "seed", (long long)sw->seed, err);
  if (!st) st = sl_h5_attr_i64(o->f, "/sweep", "combinations", sw->ncomb, err);
  if (!st) st = sl_h5_attr_i64(o->f, "/sweep", "units", sw->nunit, err);
  if (!st) st = sl_h5_attr_i64(o->f, "/sweep", "block_units", sw->block, err);
  return st;
}

static void progress(long done_post, long total_units, long done_units, double t0, int final) {
  double el = sl_clock() - t0, rate = el > 0 ? done_post / el : 0;
  double frac = total_units ? (double)done_units / (double)total_units : 1;
  double eta = frac > 0 ? el * (1 - frac) / frac : 0;
  int    w = 30, fill = (int)(frac * w);
  char   bar[64];
  for (int i = 0; i < w; i++) bar[i] = i < fill ? '#' : '.';
  bar[w] = 0;
  fprintf(stderr, "\r[%s] %5.1f%%  %ld postures  %.0f postures/s  %s %.0fs   ", bar, 100 * frac,
          done_post, rate, final ? "took" : "left", final ? el : eta);
  if (final) fprintf(stderr, "\n");
}

int cmd_sweep(int argc, char** argv, const CliOpts* o) {
  int rank = 0, size = 1;
#ifdef SL_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
  int         rc = EXIT_OK;
  slError     e;
  slSweep*    sw = NULL;
  slJournal*  jn = NULL;
  Out         out = {0};
  slSweepRow* rows = NULL;
  char        jpath[1100];
  if (o->npos != 1 || !o->out) {
    rc = rank == 0 ? cli_usage_error("usage: spineload sweep SWEEP.yaml -o OUT.h5 [--resume]")
                   : EXIT_USAGE;
    goto finish;
  }
  snprintf(jpath, sizeof jpath, "%s.journal", o->out);
  if (sl_sweep_load(&sw, o->pos[0], o->set, o->nset, &e) != SL_OK ||
      sl_sweep_prepare(sw, &e) != SL_OK) {
    rc = rank == 0 ? cli_error(&e) : EXIT_USAGE;
    goto finish;
  }
  long nblock = (sw->nunit + sw->block - 1) / sw->block;
  int  quiet = o->quiet || !isatty(2) || rank != 0;
  // the journal: refuse to overwrite an interrupted sweep's results unless resuming
  int resume = o->resume && access(jpath, R_OK) == 0;
  if (rank == 0 && !o->resume && access(jpath, F_OK) == 0) {
    sl_fail(&e, SL_ERR_ARG, jpath,
            "an interrupted sweep left this journal; run again with --resume to finish it, or "
            "remove the journal to start over");
    rc = cli_error(&e);
  }
#ifdef SL_HAVE_MPI
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  if (rc) goto finish;
  int ok = 1;
  if (rank == 0) {
    out.sw = sw;
    size_t nr = (size_t)sw->block * SL_SWEEP_ROLES;
    out.par = malloc(sizeof(double) * nr * (size_t)(sw->npar > 0 ? sw->npar : 1));
    out.met = malloc(sizeof(double) * nr * SL_SM_COUNT);
    out.idx = malloc(sizeof(int32_t) * nr * 3);
    out.sta = malloc(sizeof(int32_t) * nr);
    if (!out.par || !out.met || !out.idx || !out.sta) ok = 0;
    if (ok && (sl_journal_open(&jn, jpath, sw->fingerprint, nblock, (int)sizeof(slSweepRow), resume,
                               &e) != SL_OK ||
               create_file(&out, o->out, sw, argc, argv, &e) != SL_OK ||
               (resume && sl_journal_scan(jn, write_block, &out, &e) != SL_OK)))
      ok = 0;
    if (!ok) rc = cli_error(&e);
    if (ok && resume && !quiet)
      fprintf(stderr, "spineload: resuming: %ld of %ld blocks already done\n", sl_journal_ndone(jn),
              nblock);
  }
#ifdef SL_HAVE_MPI
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  if (!ok) goto finish;
  // which blocks remain (rank 0 knows; everyone needs it)
  unsigned char* todo = calloc((size_t)nblock + 1, 1);
  if (!todo) {
    rc = EXIT_FAIL;
    goto finish;
  }
  for (long b = 0; b < nblock; b++) todo[b] = rank == 0 ? !sl_journal_done(jn, b) : 0;
#ifdef SL_HAVE_MPI
  MPI_Bcast(todo, (int)nblock, MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
#endif
  long* list = malloc(sizeof(long) * (size_t)(nblock + 1));
  long  nlist = 0;
  for (long b = 0; b < nblock; b++)
    if (todo[b]) list[nlist++] = b;
  free(todo);
  int    nth = o->threads > 0 ? o->threads : sl_batch_default_threads();
  int    wave = nth * 2 * size;  // blocks per wave, over all processes
  size_t rows_per_block = (size_t)sw->block * SL_SWEEP_ROLES;
  rows = calloc((size_t)wave * rows_per_block, sizeof(slSweepRow));
  slSweepWorker** workers = calloc((size_t)nth, sizeof *workers);
  if (!rows || !workers || !list) {
    rc = EXIT_FAIL;
    free(workers);
    free(list);
    goto finish;
  }
  for (int t = 0; t < nth; t++) sl_sweep_worker_make(sw, &workers[t], NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  double t0 = sl_clock();
  long   postures = 0, units_done = 0, units_total = 0;
  for (long i = 0; i < nlist; i++) units_total += block_units(sw, list[i]);
  int stopped = 0;
  for (long w0 = 0; w0 < nlist && !stopped; w0 += wave) {
    long nw = nlist - w0 < wave ? nlist - w0 : wave;
    long wave_post = 0;
    // this process's blocks of the wave: k = rank, rank + size, ...
#ifdef SL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth) reduction(+ : wave_post)
#endif
    for (long k = rank; k < nw; k += size) {
      int t = 0;
#ifdef SL_HAVE_OPENMP
      t = omp_get_thread_num();
#endif
      long b = list[w0 + k];
      long nu = block_units(sw, b);
      for (long u = 0; u < nu; u++)
        sl_sweep_unit(workers[t], b * sw->block + u, rows + (size_t)k * rows_per_block + 2 * u,
                      &wave_post);
    }
#ifdef SL_HAVE_MPI
    // gather every block of the wave to rank 0 (each block was computed by rank k % size)
    for (long k = 0; k < nw; k++) {
      int owner = (int)(k % size);
      if (owner == 0) continue;
      int bytes =
          (int)(sizeof(slSweepRow) * (size_t)block_units(sw, list[w0 + k]) * SL_SWEEP_ROLES);
      if (rank == owner)
        MPI_Send(rows + (size_t)k * rows_per_block, bytes, MPI_BYTE, 0, (int)(k % 30000),
                 MPI_COMM_WORLD);
      else if (rank == 0)
        MPI_Recv(rows + (size_t)k * rows_per_block, bytes, MPI_BYTE, owner, (int)(k % 30000),
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    long all_post = 0;
    MPI_Reduce(&wave_post, &all_post, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    wave_post = all_post;
#endif
    if (rank == 0) {
      for (long k = 0; k < nw && rc == EXIT_OK; k++) {
        long              b = list[w0 + k];
        int               nr = (int)(block_units(sw, b) * SL_SWEEP_ROLES);
        const slSweepRow* br = rows + (size_t)k * rows_per_block;
        if (write_block(&out, b, br, nr, &e) != SL_OK ||
            sl_journal_append(jn, b, br, nr, &e) != SL_OK)
          rc = cli_error(&e);
        units_done += block_units(sw, b);
      }
      if (rc == EXIT_OK && sl_journal_sync(jn, &e) != SL_OK) rc = cli_error(&e);
      postures += wave_post;
      if (!quiet) progress(postures, units_total, units_done, t0, 0);
      stopped = g_stop || rc != EXIT_OK;
    }
#ifdef SL_HAVE_MPI
    MPI_Bcast(&stopped, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  }
  for (int t = 0; t < nth; t++) sl_sweep_worker_free(workers[t]);
  free(workers);
  free(list);
  if (rank == 0 && rc == EXIT_OK) {
    double el = sl_clock() - t0;
    if (!quiet) progress(postures, units_total, units_done, t0, 1);
    int      complete = sl_journal_ndone(jn) == nblock;
    slStatus st = sl_h5_attr_i64(out.f, "/sweep", "complete", complete, &e);
    if (!st) st = sl_h5_attr_i64(out.f, "/sweep", "blocks_done", sl_journal_ndone(jn), &e);
    if (!st) st = sl_h5_attr_i64(out.f, "/sweep", "blocks", nblock, &e);
    if (!st) st = sl_h5_attr_f64(out.f, "/sweep", "seconds_last_run", el, &e);
    if (!st) st = sl_h5_attr_i64(out.f, "/sweep", "postures_last_run", postures, &e);
    if (!st) st = sl_h5_commit(out.f, &e);
    out.f = NULL;
    if (st) {
      rc = cli_error(&e);
    } else if (complete) {
      sl_journal_close(jn);
      jn = NULL;
      sl_journal_remove(jpath);
      if (!o->quiet)
        fprintf(stderr,
                "spineload: sweep '%s': %ld units (%ld combinations x %d positions), "
                "%ld postures this run in %.1f s (%.0f postures/s) -> %s\n",
                sw->name, sw->nunit, sw->ncomb, sw->npos, postures, el,
                el > 0 ? postures / el : 0.0, o->out);
    } else {
      fprintf(stderr,
              "spineload: sweep stopped: %ld of %ld blocks done; %s is valid but "
              "incomplete; run again with --resume to finish\n",
              sl_journal_ndone(jn), nblock, o->out);
      rc = 130;
    }
  }
finish:
  if (out.f) sl_h5_abort(out.f);
  sl_journal_close(jn);
  free(out.par), free(out.met), free(out.idx), free(out.sta);
  free(rows);
  sl_sweep_free(sw);
#ifdef SL_HAVE_MPI
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
#endif
  return rc;
}
