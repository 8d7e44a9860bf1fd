// sl_driver.h: the one driver of work items over threads (postures in blocks, a position's
// cycle, a sweep block), with one workspace per thread made once and reused.
//
// Items are fixed by the caller (0..n-1) and each is computed whole by one thread; the item
// function stores its results by item index. So the results depend only on the items, never on
// how they were spread over threads, provided an item's result does not depend on what its
// workspace held before (every user remakes what it needs: sl_scene_remake, sl_results_remake).
#ifndef SL_DRIVER_H
#define SL_DRIVER_H

#include "spineload.h"

typedef struct slDriver slDriver;

// the workspace of thread t (0 .. threads-1), made on that thread when it takes its first item;
// NULL with err on failure
typedef void* (*slWorkMakeFn)(void* ctx, int thread, slError* err);
typedef void (*slWorkFreeFn)(void* ctx, void* work);
// compute item i with the thread's workspace; nonzero stops the run (items not started are
// skipped)
typedef int (*slItemFn)(void* ctx, void* work, long i);

// nthreads <= 0: sl_batch_default_threads(). make may be NULL (items get a NULL workspace),
// free may be NULL (the caller owns the workspaces).
slStatus sl_driver_make(slDriver** d, int nthreads, slWorkMakeFn make, slWorkFreeFn free_fn,
                        void* work_ctx, slError* err);
void     sl_driver_free(slDriver* d);  // frees the workspaces; NULL is fine
int      sl_driver_threads(const slDriver* d);
// Run items 0..n-1 (dynamic schedule, at most min(threads, n) threads). SL_ERR_INTERRUPTED if fn
// stopped it; a workspace that could not be made: its error.
slStatus sl_driver_run(slDriver* d, long n, slItemFn fn, void* ctx, slError* err);
// workspaces made so far (each thread makes at most one over the driver's life)
int sl_driver_workspaces(const slDriver* d);

// The processes of a run (sweeps, rank --uncertainty): 1 if MPI is in use (initialised by the
// caller and not finalised), with this process's rank in MPI_COMM_WORLD and its size; else 0,
// rank 0 and size 1.
int sl_driver_procs(int* rank, int* size);

#endif
