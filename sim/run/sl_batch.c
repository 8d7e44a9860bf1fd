// sl_batch.c: the driver of work items over threads (sl_driver), and postures in fixed blocks
// on it (sl_batch_run).
//
// Determinism: an item (a block of postures, a position's cycle, a sweep block) is always
// computed by one thread and stores its results by its index; a block of postures starts from a
// cold solver (sl_scene_reset), so every posture's result depends only on its block, never on
// how blocks were spread over threads. Each thread makes its workspace once and reuses it.
#include <stdlib.h>

#ifdef SL_HAVE_OPENMP
#include <omp.h>
#endif

#include "sl_driver.h"
#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif
#include "sl_la.h"
#include "spineload.h"

int sl_batch_default_threads(void) {
#ifdef SL_HAVE_OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

struct slDriver {
  int          nthreads;
  slWorkMakeFn make;
  slWorkFreeFn free_fn;
  void*        work_ctx;
  void**       work;  // (nthreads) made on first use
  int          nmade;
};

slStatus sl_driver_make(slDriver** out, int nthreads, slWorkMakeFn make, slWorkFreeFn free_fn,
                        void* work_ctx, slError* err) {
  *out = NULL;
  if (nthreads <= 0) nthreads = sl_batch_default_threads();
#ifndef SL_HAVE_OPENMP
  nthreads = 1;
#endif
  slDriver* d = calloc(1, sizeof *d);
  if (d) d->work = calloc((size_t)nthreads, sizeof(void*));
  if (!d || !d->work) {
    free(d);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  d->nthreads = nthreads;
  d->make = make;
  d->free_fn = free_fn;
  d->work_ctx = work_ctx;
  *out = d;
  return SL_OK;
}

void sl_driver_free(slDriver* d) {
  if (!d) return;
  for (int t = 0; t < d->nthreads; t++)
    if (d->work[t] && d->free_fn) d->free_fn(d->work_ctx, d->work[t]);
  free(d->work);
  free(d);
}

int sl_driver_threads(const slDriver* d) {
  return d->nthreads;
}

int sl_driver_procs(int* rank, int* size) {
  *rank = 0, *size = 1;
#ifdef SL_HAVE_MPI
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  if (inited && !finalized) {
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 1;
  }
#endif
  return 0;
}

int sl_driver_workspaces(const slDriver* d) {
  return d->nmade;
}

slStatus sl_driver_run(slDriver* d, long n, slItemFn fn, void* ctx, slError* err) {
  if (n <= 0) return SL_OK;
  int nth = d->nthreads < n ? d->nthreads : (int)n;
  sl_la_single_thread();
  int     stop = 0, failed = 0;
  slError first;
  first.code = SL_OK;
#ifdef SL_HAVE_OPENMP
#pragma omp parallel num_threads(nth)
#endif
  {
    int t = 0;
#ifdef SL_HAVE_OPENMP
    t = omp_get_thread_num();
#endif
#ifdef SL_HAVE_OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (long i = 0; i < n; i++) {
      int quit;
#ifdef SL_HAVE_OPENMP
#pragma omp atomic read
#endif
      quit = stop;
      if (quit) continue;
      if (!d->work[t] && d->make) {
        slError e;
        d->work[t] = d->make(d->work_ctx, t, &e);
        if (!d->work[t]) {
#ifdef SL_HAVE_OPENMP
#pragma omp critical(sl_driver_err)
#endif
          {
            if (!failed) first = e;
            failed = 1;
          }
#ifdef SL_HAVE_OPENMP
#pragma omp atomic write
#endif
          stop = 1;
          continue;
        }
#ifdef SL_HAVE_OPENMP
#pragma omp atomic update
#endif
        d->nmade++;
      }
      if (fn(ctx, d->work[t], i)) {
#ifdef SL_HAVE_OPENMP
#pragma omp atomic write
#endif
        stop = 1;
      }
    }
  }
  if (failed) {
    if (err) *err = first;
    return first.code;
  }
  if (stop) return sl_fail(err, SL_ERR_INTERRUPTED, "", "the run was stopped before the end");
  return SL_OK;
}

// ---- postures in blocks, on the driver ----------------------------------------------------------
typedef struct Batch {
  const slModel* const* models;
  int                   nbody, maxcontact;
  long                  n;
  int                   block;
  slBatchFn             fn;
  void*                 ctx;
} Batch;

static void* scene_make(void* ctx, int thread, slError* err) {
  const Batch* b = ctx;
  slScene*     s = NULL;
  (void)thread;
  return sl_scene_make(&s, b->models, b->nbody, b->maxcontact, err) == SL_OK ? s : NULL;
}

static void scene_free(void* ctx, void* s) {
  (void)ctx;
  sl_scene_free(s);
}

static int block_item(void* ctx, void* work, long blk) {
  const Batch* b = ctx;
  slScene*     s = work;
  sl_scene_reset(s);
  long end = (blk + 1) * b->block < b->n ? (blk + 1) * b->block : b->n;
  for (long i = blk * b->block; i < end; i++)
    if (b->fn(b->ctx, s, i)) return 1;
  return 0;
}

slStatus sl_batch_run(const slModel* const* models, int nbody, int maxcontact, long n, int block,
                      int nthreads, slBatchFn fn, void* ctx, slError* err) {
  if (n <= 0) return SL_OK;
  if (block < 1) block = 1;
  long      nblock = (n + block - 1) / block;
  Batch     b = {models, nbody, maxcontact, n, block, fn, ctx};
  slDriver* d = NULL;
  if (nthreads <= 0) nthreads = sl_batch_default_threads();
  if (nthreads > nblock) nthreads = (int)nblock;
  slStatus st = sl_driver_make(&d, nthreads, scene_make, scene_free, &b, err);
  if (st == SL_OK) st = sl_driver_run(d, nblock, block_item, &b, err);
  sl_driver_free(d);
  if (st == SL_ERR_INTERRUPTED)
    return sl_fail(err, SL_ERR_INTERRUPTED, "", "the batch was stopped before the end");
  return st;
}
