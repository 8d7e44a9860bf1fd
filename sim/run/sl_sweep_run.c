// sl_sweep_run.c: the sweep driver (sl_sweep_run), over OpenMP threads and MPI processes.
//
// Blocks of units are computed in waves (every thread, and every MPI process, takes whole
// blocks), then written in block order by rank 0: rows into the HDF5 file at their own offsets
// (flat, chunked, compressed, extendible datasets) and the block into the journal (fsync'ed
// after each wave). The HDF5 file is written under a temporary name and renamed when the sweep
// ends; when the caller's stop callback asks, the sweep stops after the wave, writes a valid file
// marked incomplete and keeps the journal; after SIGKILL the journal alone survives. Resuming
// rebuilds the file from the journal and computes only the missing blocks, so the result is the
// same as an uninterrupted run.
#define _POSIX_C_SOURCE 200809L
#include "spineload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif

#include "sl_driver.h"
#include "sl_h5.h"
#include "sl_journal.h"
#include "sl_layout.h"
#include "sl_results.h"
#include "sl_sweep.h"

slStatus sl_sweep_open(slSweep** out, const char* path, const slOverride* ov, int nov,
                       slError* err) {
  *out = NULL;
  slSweep* sw = NULL;
  slStatus st = sl_sweep_load(&sw, path, ov, nov, err);
  if (st == SL_OK) st = sl_sweep_prepare(sw, err);
  if (st != SL_OK) {
    sl_sweep_free(sw);
    return st;
  }
  *out = sw;
  return SL_OK;
}

// the processes of a run: MPI_COMM_WORLD when MPI is in use, else one
typedef struct Comm {
  int rank, size, mpi;
} Comm;

static Comm comm_world(void) {
  Comm c;
  c.mpi = sl_driver_procs(&c.rank, &c.size);
  return c;
}

// The same status on every process: rank 0's if it failed, else the worst of the others (a
// process that was fine reports the other's failure in its err).
static slStatus agree(const Comm* c, slStatus st, slError* err) {
#ifdef SL_HAVE_MPI
  if (c->mpi) {
    int mine[2] = {c->rank == 0 ? (int)st : 0, (int)st}, all[2];
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    slStatus s = (slStatus)(all[0] ? all[0] : all[1]);
    if (s != SL_OK && st == SL_OK) sl_fail(err, s, "", "the sweep failed on another MPI process");
    return s;
  }
#endif
  (void)c, (void)err;
  return st;
}

// rank 0's values of n longs on every process
static void share_longs(const Comm* c, long* v, int n) {
#ifdef SL_HAVE_MPI
  if (c->mpi) MPI_Bcast(v, n, MPI_LONG, 0, MPI_COMM_WORLD);
#endif
  (void)c, (void)v, (void)n;
}

// staging for one block's rows, column by column (rank 0)
typedef struct Out {
  slH5*          f;
  const slSweep* sw;
  double*        par;
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
  // the staging holds one block: a record of another size (a hostile journal whose header and
  // checksums pass) would write past it and past the datasets' end
  if (b < 0 || (long)nrows != block_units(sw, b) * SL_SWEEP_ROLES)
    return sl_fail(err, SL_ERR_PARSE, "",
                   "journal: block %ld holds %d rows where the sweep has %ld", b, nrows,
                   block_units(sw, b) * SL_SWEEP_ROLES);
  for (int i = 0; i < nrows; i++) {
    for (int k = 0; k < np; k++) o->par[(size_t)i * np + k] = k < sw->npar ? rows[i].param[k] : 0;
    memcpy(o->met + (size_t)i * SL_SM_COUNT, rows[i].metric, sizeof rows[i].metric);
    o->idx[3 * i] = rows[i].comb;
    o->idx[3 * i + 1] = rows[i].pos;
    o->idx[3 * i + 2] = rows[i].role;
    o->sta[i] = rows[i].status;
  }
  size_t at = (size_t)b * (size_t)sw->block * SL_SWEEP_ROLES;
  static const struct {
    int    which;
    size_t off;
  } ds[] = {{SL_LSW_PARAMS, offsetof(Out, par)},
            {SL_LSW_METRICS, offsetof(Out, met)},
            {SL_LSW_INDEX, offsetof(Out, idx)},
            {SL_LSW_STATUS, offsetof(Out, sta)}};
  slStatus st = SL_OK;
  char     path[128];
  for (size_t k = 0; k < sizeof ds / sizeof ds[0] && st == SL_OK; k++) {
    const void* data = *(void* const*)((const char*)o + ds[k].off);
    sl_layout_path(path, sizeof path, SL_LAYOUT_SWEEP, &sl_layout_sweep[ds[k].which]);
    st = sl_h5_ext_write(o->f, path, at, (size_t)nrows, data, err);
  }
  return st;
}

// an extendible dataset of /sweep (SL_LSW_*) with its columns
static slStatus create_ext(Out* o, int which, int ncol, size_t chunk, const char* const* names,
                           const char* const* units, slError* err) {
  const slLayoutItem* it = &sl_layout_sweep[which];
  char                path[128];
  return sl_h5_ext_create(o->f, sl_layout_path(path, sizeof path, SL_LAYOUT_SWEEP, it), it->type,
                          ncol, chunk, names, units, it->desc, err);
}

// a column table's names and units, then its extendible dataset
static slStatus create_ext_cols(Out* o, int which, const slLayoutItem* cols, int ncol, size_t chunk,
                                slError* err) {
  const char* names[SL_SM_COUNT + SL_LSI_COUNT];
  const char* units[SL_SM_COUNT + SL_LSI_COUNT];
  sl_layout_column_names(cols, ncol, names);
  sl_layout_column_units(cols, ncol, units);
  return create_ext(o, which, ncol, chunk, names, units, err);
}

static slStatus create_file(Out* o, const char* out, const slSweep* sw, int argc, char** argv,
                            slError* err) {
  slStatus st = sl_h5_create(&o->f, out, err);
  if (st) return st;
  const char* files[1] = {sw->file};
  const char* texts[1] = {sw->text};
  st = sl_results_write_meta(o->f, argc, argv, files, texts, 1, err);
  const char* pn[SL_SWEEP_MAXPAR + 1];
  const char* pu[SL_SWEEP_MAXPAR + 1];
  const char* pl[SL_SWEEP_MAXPAR + 1];
  enum { LBL = SL_SWEEP_MAXVAL * 65 + 1 };
  int np = sw->npar > 0 ? sw->npar : 1;
  char(*labels)[LBL] = malloc(sizeof *labels * (size_t)np);
  if (!labels) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int k = 0; k < np; k++) {
    pn[k] = k < sw->npar ? sw->par[k].path : SL_LAYOUT_SWEEP_NO_PARAM;
    pu[k] = k < sw->npar ? sl_sweep_param_unit(&sw->par[k]) : "1";
    labels[k][0] = 0;
    if (k < sw->npar) sl_sweep_param_labels(&sw->par[k], labels[k], sizeof labels[k]);
    pl[k] = labels[k];
  }
  size_t chunk = (size_t)sw->block * SL_SWEEP_ROLES;
  if (chunk < 256) chunk = 256;
  if (!st) st = create_ext(o, SL_LSW_PARAMS, np, chunk, pn, pu, err);
  if (!st)
    st = create_ext_cols(o, SL_LSW_METRICS, sl_layout_sweep_metrics, SL_SM_COUNT, chunk, err);
  if (!st) st = create_ext_cols(o, SL_LSW_INDEX, sl_layout_sweep_index, SL_LSI_COUNT, chunk, err);
  if (!st) st = create_ext_cols(o, SL_LSW_STATUS, sl_layout_sweep_status, 1, chunk, err);
  const char* names[1024];
  const char* roles[2048];
  int         n = sw->npos < 1024 ? sw->npos : 1024;
  for (int p = 0; p < n; p++) {
    names[p] = sw->pos_name[p];
    roles[2 * p] = sw->role_name[p][0];
    roles[2 * p + 1] = sw->role_name[p][1];
  }
  const slLayoutItem* L = sl_layout_sweep;
  if (!st)
    st = sl_layout_write_strings(o->f, SL_LAYOUT_SWEEP, &L[SL_LSW_POSITION_NAMES], names, (size_t)n,
                                 err);
  if (!st)
    st = sl_layout_write_strings(o->f, SL_LAYOUT_SWEEP, &L[SL_LSW_ROLE_NAMES], roles,
                                 (size_t)(2 * n), err);
  if (!st)
    st = sl_layout_write_strings(o->f, SL_LAYOUT_SWEEP, &L[SL_LSW_PARAM_LABELS], pl, (size_t)np,
                                 err);
  free(labels);
  const char* G = SL_LAYOUT_SWEEP;
  if (!st) st = sl_h5_attr_str(o->f, G, L[SL_LSW_NAME].path, sw->name, err);
  if (!st) st = sl_h5_attr_str(o->f, G, L[SL_LSW_DESIGN].path, SL_DESIGN_NAMES[sw->design], err);
  if (!st) st = sl_h5_attr_i64(o->f, G, L[SL_LSW_SEED].path, (long long)sw->seed, err);
  if (!st) st = sl_h5_attr_i64(o->f, G, L[SL_LSW_COMBINATIONS].path, sw->ncomb, err);
  if (!st) st = sl_h5_attr_i64(o->f, G, L[SL_LSW_UNITS].path, sw->nunit, err);
  if (!st) st = sl_h5_attr_i64(o->f, G, L[SL_LSW_BLOCK_UNITS].path, sw->block, err);
  return st;
}

// Rank 0: the staging buffers, the journal (new, or read back into the file when resuming)
// and the file layout.
static slStatus open_output(Out* out, slJournal** jn, const slSweep* sw, const slSweepRunOpt* o,
                            const char* jpath, long nblock, int resume, slError* err) {
  out->sw = sw;
  size_t nr = (size_t)sw->block * SL_SWEEP_ROLES;
  out->par = malloc(sizeof(double) * nr * (size_t)(sw->npar > 0 ? sw->npar : 1));
  out->met = malloc(sizeof(double) * nr * SL_SM_COUNT);
  out->idx = malloc(sizeof(int32_t) * nr * 3);
  out->sta = malloc(sizeof(int32_t) * nr);
  if (!out->par || !out->met || !out->idx || !out->sta)
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  slStatus st =
      sl_journal_open(jn, jpath, sw->fingerprint, nblock, (int)sizeof(slSweepRow), resume, err);
  if (st == SL_OK) st = create_file(out, o->out, sw, o->argc, o->argv, err);
  if (st == SL_OK && resume) st = sl_journal_scan(*jn, write_block, out, err);
  return st;
}

// Rank 0, after the last wave: the run's attributes, then the file goes to its final name. A
// stopped run does not replace an earlier file of the same name (keep = 1): its finished
// blocks stay in the journal for --resume. If the file cannot be put in place, the error says
// where the results are.
static slStatus close_output(Out* out, slJournal* jn, long nblock, double el, long postures,
                             int keep, const char* jpath, slError* err) {
  int complete = sl_journal_ndone(jn) == nblock;
  if (!complete && keep) {
    sl_h5_abort(out->f);
    out->f = NULL;
    return SL_OK;
  }
  slStatus st = sl_h5_attr_i64(out->f, "/sweep", "complete", complete, err);
  if (!st) st = sl_h5_attr_i64(out->f, "/sweep", "blocks_done", sl_journal_ndone(jn), err);
  if (!st) st = sl_h5_attr_i64(out->f, "/sweep", "blocks", nblock, err);
  if (!st) st = sl_h5_attr_f64(out->f, "/sweep", "seconds_last_run", el, err);
  if (!st) st = sl_h5_attr_i64(out->f, "/sweep", "postures_last_run", postures, err);
  if (!st) st = sl_h5_commit(out->f, err);
  out->f = NULL;  // committed or removed either way
  if (st == SL_ERR_WRITE && err) {
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg,
             "%.400s; the finished blocks are kept in %.200s: run again with "
             "--resume once the output can be written",
             err->msg, jpath);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
  }
  return st;
}

// ---- a wave's blocks as items of the driver -----------------------------------------------------
typedef struct Wave {
  const slSweep*  sw;
  slSweepWorker** workers;  // one per thread, made before the first wave
  const long*     list;     // the wave's blocks: list[w0 + k]
  long            w0;
  int             rank, size;
  slSweepRow*     rows;  // (wave x rows_per_block)
  size_t          rows_per_block;
  long*           postures;  // per item
} Wave;

static void* wave_worker(void* ctx, int thread, slError* err) {
  (void)err;
  return ((Wave*)ctx)->workers[thread];
}

// item j: this process's block k = rank + j * size of the wave
static int wave_item(void* ctx, void* work, long j) {
  Wave* wv = ctx;
  long  k = wv->rank + j * wv->size;
  long  b = wv->list[wv->w0 + k];
  long  nu = block_units(wv->sw, b);
  wv->postures[j] = 0;
  for (long u = 0; u < nu; u++)
    sl_sweep_unit(work, b * wv->sw->block + u, wv->rows + (size_t)k * wv->rows_per_block + 2 * u,
                  &wv->postures[j]);
  return 0;
}

slStatus sl_sweep_run(slSweep* sw, const slSweepRunOpt* o, slSweepRunInfo* info, slError* err) {
  if (!sw || !o || !o->out || !info)
    return sl_fail(err, SL_ERR_ARG, "sl_sweep_run", "needs a sweep, options with 'out' and info");
  Comm c = comm_world();
  memset(info, 0, sizeof *info);
  info->name = sw->name;
  info->combinations = sw->ncomb;
  info->positions = sw->npos;
  info->units = sw->nunit;
  long nblock = (sw->nunit + sw->block - 1) / sw->block;
  info->blocks = nblock;
  char jpath[1100];
  snprintf(jpath, sizeof jpath, "%s.journal", o->out);
  // the journal: an interrupted sweep's results are not overwritten unless resuming
  int resume = o->resume && access(jpath, R_OK) == 0;
  // an earlier result under the output's name that this run does not continue: a stop must not
  // replace it with an incomplete file
  int      keep = !resume && access(o->out, F_OK) == 0;
  slStatus st = SL_OK;
  if (c.rank == 0 && sl_journal_busy(jpath))
    st = sl_fail(err, SL_ERR_ARG, jpath,
                 "another sweep is writing this output right now (its journal is locked); wait "
                 "for it or choose another output");
  else if (c.rank == 0 && !o->resume && access(jpath, F_OK) == 0)
    st = sl_fail(err, SL_ERR_ARG, jpath,
                 "an interrupted sweep left this journal; run again with --resume to finish it, "
                 "or remove the journal to start over");
  st = agree(&c, st, err);
  if (st) return st;

  slJournal*      jn = NULL;
  Out             out = {0};
  long*           list = NULL;
  slSweepRow*     rows = NULL;
  slSweepWorker** workers = NULL;
  slDriver*       drv = NULL;
  long*           item_post = NULL;
  int             nth = o->threads > 0 ? o->threads : sl_batch_default_threads();
  if (c.rank == 0) st = open_output(&out, &jn, sw, o, jpath, nblock, resume, err);
  st = agree(&c, st, err);
  if (st) goto done;
  list = malloc(sizeof(long) * (size_t)(nblock + 1));
  int    wave = nth * 2 * c.size;  // blocks per wave, over all processes
  size_t rows_per_block = (size_t)sw->block * SL_SWEEP_ROLES;
  rows = calloc((size_t)wave * rows_per_block, sizeof(slSweepRow));
  workers = calloc((size_t)nth, sizeof *workers);
  item_post = calloc((size_t)wave, sizeof(long));
  if (!list || !rows || !workers || !item_post)
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int t = 0; t < nth && st == SL_OK; t++) st = sl_sweep_worker_make(sw, &workers[t], err);
  Wave wv = {sw, workers, list, 0, c.rank, c.size, rows, rows_per_block, item_post};
  if (st == SL_OK) st = sl_driver_make(&drv, nth, wave_worker, NULL, &wv, err);
  st = agree(&c, st, err);
  if (st) goto done;
  // the blocks that remain (rank 0 knows from the journal; everyone needs them)
  long state[2] = {resume, c.rank == 0 && resume ? sl_journal_ndone(jn) : 0};
  share_longs(&c, state, 2);
  for (long b = 0; b < nblock; b++) list[b] = c.rank == 0 ? !sl_journal_done(jn, b) : 0;
  share_longs(&c, list, (int)nblock);
  long nlist = 0;
  for (long b = 0; b < nblock; b++)
    if (list[b]) list[nlist++] = b;
  info->resumed = (int)state[0];
  info->blocks_resumed = state[1];
  long units_total = 0;
  for (long i = 0; i < nlist; i++) units_total += block_units(sw, list[i]);
  slSweepProgress pr = {.stage = SL_SWEEP_STARTED,
                        .resumed = info->resumed,
                        .blocks = nblock,
                        .blocks_resumed = info->blocks_resumed,
                        .units_total = units_total,
                        .units_all = sw->nunit};
  if (c.rank == 0 && o->progress) o->progress(o->ctx, &pr);
  double t0 = sl_clock();
  int    stopped = 0;
  for (long w0 = 0; w0 < nlist && !stopped; w0 += wave) {
    long nw = nlist - w0 < wave ? nlist - w0 : wave;
    long wave_post = 0;
    // this process's blocks of the wave: k = rank, rank + size, ... (units never fail: a unit
    // that cannot be built says so in its rows)
    long nmine = nw > c.rank ? (nw - c.rank + c.size - 1) / c.size : 0;
    wv.w0 = w0;
    sl_driver_run(drv, nmine, wave_item, &wv, NULL);
    for (long j = 0; j < nmine; j++) wave_post += item_post[j];
#ifdef SL_HAVE_MPI
    if (c.mpi) {
      // gather every block of the wave to rank 0 (each block was computed by rank k % size)
      for (long k = 0; k < nw; k++) {
        int owner = (int)(k % c.size);
        if (owner == 0) continue;
        int bytes =
            (int)(sizeof(slSweepRow) * (size_t)block_units(sw, list[w0 + k]) * SL_SWEEP_ROLES);
        if (c.rank == owner)
          MPI_Send(rows + (size_t)k * rows_per_block, bytes, MPI_BYTE, 0, (int)(k % 30000),
                   MPI_COMM_WORLD);
        else if (c.rank == 0)
          MPI_Recv(rows + (size_t)k * rows_per_block, bytes, MPI_BYTE, owner, (int)(k % 30000),
                   MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      }
      long all_post = 0;
      MPI_Reduce(&wave_post, &all_post, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
      wave_post = all_post;
    }
#endif
    if (c.rank == 0) {
      for (long k = 0; k < nw && st == SL_OK; k++) {
        long              b = list[w0 + k];
        int               nr = (int)(block_units(sw, b) * SL_SWEEP_ROLES);
        const slSweepRow* br = rows + (size_t)k * rows_per_block;
        st = write_block(&out, b, br, nr, err);
        if (st == SL_OK) st = sl_journal_append(jn, b, br, nr, err);
        pr.units_done += block_units(sw, b);
      }
      if (st == SL_OK) st = sl_journal_sync(jn, err);
      pr.postures += wave_post;
      pr.stage = SL_SWEEP_WAVE;
      pr.seconds = sl_clock() - t0;
      if (o->progress) o->progress(o->ctx, &pr);
      stopped = st != SL_OK || (o->stop && o->stop(o->ctx));
    }
#ifdef SL_HAVE_MPI
    if (c.mpi) MPI_Bcast(&stopped, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  }
  if (c.rank == 0 && st == SL_OK) {
    pr.stage = SL_SWEEP_FINISHED;
    pr.seconds = sl_clock() - t0;
    if (o->progress) o->progress(o->ctx, &pr);
    st = close_output(&out, jn, nblock, pr.seconds, pr.postures, keep, jpath, err);
    info->complete = sl_journal_ndone(jn) == nblock;
    info->kept_earlier = !info->complete && keep;
    info->blocks_done = sl_journal_ndone(jn);
    if (st == SL_OK && info->complete) {
      sl_journal_close(jn);
      jn = NULL;
      sl_journal_remove(jpath);
    }
  }
  st = agree(&c, st, err);
  // rank 0's outcome on every process
  long v[4] = {info->complete, info->blocks_done, pr.postures, info->kept_earlier};
  share_longs(&c, v, 4);
  info->complete = (int)v[0];
  info->blocks_done = v[1];
  info->postures = v[2];
  info->kept_earlier = (int)v[3];
  info->seconds = pr.seconds;
#ifdef SL_HAVE_MPI
  if (c.mpi) MPI_Bcast(&info->seconds, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
#endif
done:
  sl_driver_free(drv);
  free(item_post);
  if (workers)
    for (int t = 0; t < nth; t++) sl_sweep_worker_free(workers[t]);
  free(workers);
  free(list);
  free(rows);
  sl_h5_abort(out.f);
  sl_journal_close(jn);
  free(out.par), free(out.met), free(out.idx), free(out.sta);
  return st;
}
