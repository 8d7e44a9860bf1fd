// sl_batch.c: postures over threads, in fixed blocks, results by index.
//
// Determinism: a block of postures is always computed by one thread, in order, starting from a
// cold solver (sl_scene_reset), so every posture's result depends only on its block, never on how
// blocks were spread over threads. Each thread makes its scene (and so its workspaces) once.
#include <stdlib.h>

#ifdef SL_HAVE_OPENMP
#include <omp.h>
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

slStatus sl_batch_run(const slModel* const* models, int nbody, int maxcontact, long n, int block,
                      int nthreads, slBatchFn fn, void* ctx, slError* err) {
  if (n <= 0) return SL_OK;
  if (block < 1) block = 1;
  if (nthreads <= 0) nthreads = sl_batch_default_threads();
  long nblock = (n + block - 1) / block;
  if (nthreads > nblock) nthreads = (int)nblock;
  sl_la_single_thread();
  int     stop = 0, failed = 0;
  slError first;
  first.code = SL_OK;
#ifdef SL_HAVE_OPENMP
#pragma omp parallel num_threads(nthreads)
#endif
  {
    slScene* s = NULL;
    slError  e;
    if (sl_scene_make(&s, models, nbody, maxcontact, &e) != SL_OK) {
#ifdef SL_HAVE_OPENMP
#pragma omp critical(sl_batch_err)
#endif
      {
        if (!failed) first = e;
        failed = 1;
      }
    }
#ifdef SL_HAVE_OPENMP
#pragma omp barrier
#pragma omp for schedule(dynamic, 1)
#endif
    for (long b = 0; b < nblock; b++) {
      int quit;
#ifdef SL_HAVE_OPENMP
#pragma omp atomic read
#endif
      quit = stop;
      if (quit || failed || !s) continue;
      sl_scene_reset(s);
      long end = (b + 1) * block < n ? (b + 1) * block : n;
      for (long i = b * block; i < end; i++)
        if (fn(ctx, s, i)) {
#ifdef SL_HAVE_OPENMP
#pragma omp atomic write
#endif
          stop = 1;
          break;
        }
    }
    sl_scene_free(s);
  }
  if (failed) {
    if (err) *err = first;
    return first.code;
  }
  if (stop) return sl_fail(err, SL_ERR_INTERRUPTED, "", "the batch was stopped before the end");
  return SL_OK;
}
