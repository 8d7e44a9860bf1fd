// test_workspace.c: a thread's workspace serves one work item after another with the same bits as
// a new one, and allocates nothing once it has seen every shape: position cycles on a reused
// slPositionWork (with sl_scene_remake, sl_results_remake), rank's cycles and sweep units on the
// driver for 1, 2 and 3 threads. Allocations are counted by a malloc wrapper of this program.
// covers: sl_position sl_rank sl_sweep
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_position.h"
#include "sl_results.h"
#include "sl_sweep.h"
#include "spineload.h"
#include "testutil.h"

// ---- allocation counting: malloc, calloc and realloc of the whole program, while g_count is on.
// Under AddressSanitizer the sanitizer's allocator hook counts (a malloc of this program would
// bypass the sanitizer's allocator, whose free then fails); elsewhere wrappers around glibc's.
static volatile int  g_count;
static volatile long g_allocs;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SL_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SL_TEST_ASAN)
#define SL_TEST_ASAN 1
#endif
#ifdef SL_TEST_ASAN
#include <sanitizer/allocator_interface.h>
static void on_alloc(const volatile void* p, size_t n) {
  (void)p, (void)n;
  if (g_count) __atomic_add_fetch(&g_allocs, 1, __ATOMIC_RELAXED);
}
static void on_free(const volatile void* p) {
  (void)p;
}
static void count_install(void) {
  __sanitizer_install_malloc_and_free_hooks(on_alloc, on_free);
}
#else
extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);

void* malloc(size_t n) {
  if (g_count) __atomic_add_fetch(&g_allocs, 1, __ATOMIC_RELAXED);
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t k) {
  if (g_count) __atomic_add_fetch(&g_allocs, 1, __ATOMIC_RELAXED);
  return __libc_calloc(n, k);
}
void* realloc(void* p, size_t n) {
  if (g_count) __atomic_add_fetch(&g_allocs, 1, __ATOMIC_RELAXED);
  return __libc_realloc(p, n);
}
static void count_install(void) {}
#endif

static void count_start(void) {
  g_allocs = 0;
  g_count = 1;
}
static long count_stop(void) {
  g_count = 0;
  return g_allocs;
}

#define POS(n) SL_TEST_SOURCE_DIR "/scenarios/positions/" n ".yaml"
// different shapes: contacts per role, a carried partner, a static one (frequency 0 below)
static const char* const g_files[] = {POS("spooning"), POS("standing_carry"), POS("missionary"),
                                      POS("edge_of_bed")};
#define NP 4

static void load_all(slPosition** P, double frequency) {
  slMotionOpt mo = sl_motion_opt_default();
  mo.samples = 4;
  mo.frequency = frequency;
  slError e;
  if (sl_positions_load(P, g_files, NP, &mo, NULL, 0, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
}

// every array of two runs of the same position, bit for bit
static void same_run(const slPositionRun* a, const slPositionRun* b) {
  assert_int_equal(a->nrole, b->nrole);
  assert_int_equal(a->samples, b->samples);
  assert_memory_equal(a->time, b->time, sizeof(double) * (size_t)a->samples);
  for (int k = 0; k < a->nrole; k++) {
    const slResults *x = a->res[k], *y = b->res[k];
    size_t           n = (size_t)x->n;
    assert_int_equal(x->ncoord, y->ncoord);
    assert_memory_equal(a->lumbar[k], b->lumbar[k], sizeof(double) * 3 * n);
    assert_memory_equal(x->q, y->q, sizeof(double) * n * (size_t)x->ncoord);
    assert_memory_equal(x->status, y->status, sizeof(int) * n);
    assert_memory_equal(x->iter, y->iter, sizeof(int) * n);
    assert_memory_equal(x->cost, y->cost, sizeof(double) * n);
    assert_memory_equal(x->comp, y->comp, sizeof(double) * n * SL_NLEVEL);
    assert_memory_equal(x->shear_ap, y->shear_ap, sizeof(double) * n * SL_NLEVEL);
    assert_memory_equal(x->mus_force, y->mus_force, sizeof(double) * n * (size_t)x->nmus);
    size_t mc = (size_t)(x->maxcontact > 0 ? x->maxcontact : 1);
    assert_memory_equal(x->contact_force, y->contact_force, sizeof(double) * n * 3 * mc);
    assert_memory_equal(x->contact_slide, y->contact_slide, sizeof(int) * n * mc);
    assert_memory_equal(x->jdof_torque, y->jdof_torque, sizeof(double) * n * (size_t)x->njdof);
    for (int c = 0; c < 3; c++) {
      slMetrics ma, mb;
      sl_metrics_compute(a, k, &ma);
      sl_metrics_compute(b, k, &mb);
      assert_memory_equal(&ma, &mb, sizeof ma);
    }
  }
}

// one workspace, positions in turns (each a different scene and result shape): every run equals
// the run on a new workspace, and after the first round nothing is allocated
static void test_position_ws_reused(void** state) {
  (void)state;
  slPosition* P[NP];
  load_all(P, 1.0);
  slSoOpt         o = sl_so_opt_default();
  slError         e;
  slPositionRun*  fresh[NP];
  slPositionRun*  mine[NP] = {NULL};
  slPositionWork* w = NULL;
  assert_int_equal(sl_position_work_make(&w, &e), SL_OK);
  for (int p = 0; p < NP; p++)
    assert_int_equal(sl_position_run_flags(P[p], &o, 0, &fresh[p], &e), SL_OK);
  for (int round = 0; round < 3; round++) {
    // backwards in round 1: a larger position may come after a smaller one or before it
    for (int j = 0; j < NP; j++) {
      int p = round == 1 ? NP - 1 - j : j;
      if (round == 2) count_start();
      slMotionOpt mo = sl_motion_opt_default();
      mo.samples = 4;
      mo.frequency = 1.0;
      slStatus st = sl_position_set_motion_ws(P[p], &mo, w, &e);
      if (st == SL_OK) st = sl_position_run_ws(P[p], &o, 0, w, &mine[p], &e);
      long n = round == 2 ? count_stop() : 0;
      if (st != SL_OK) fail_msg("%s: %s", e.where, e.msg);
      assert_int_equal(n, 0);  // nothing allocated once every shape was seen
      same_run(fresh[p], mine[p]);
    }
  }
  for (int p = 0; p < NP; p++) {
    sl_position_run_free(fresh[p]);
    sl_position_run_free(mine[p]);
    sl_position_free(P[p]);
  }
  sl_position_work_free(w);
}

// a static position (one sample) and a cycle on the same workspace
static void test_position_ws_static_and_cycle(void** state) {
  (void)state;
  slPosition *S[NP], *C[NP];
  load_all(S, 0.0);
  load_all(C, 2.0);
  slSoOpt         o = sl_so_opt_default();
  slError         e;
  slPositionWork* w = NULL;
  assert_int_equal(sl_position_work_make(&w, &e), SL_OK);
  slPositionRun* run = NULL;  // one run reused across shapes: remade when the shape changes
  for (int p = 0; p < NP; p++)
    for (int k = 0; k < 2; k++) {
      const slPosition* q = k ? S[p] : C[p];
      slPositionRun*    ref = NULL;
      assert_int_equal(sl_position_run_flags(q, &o, SL_RES_FRAMES, &ref, &e), SL_OK);
      assert_int_equal(sl_position_run_ws(q, &o, SL_RES_FRAMES, w, &run, &e), SL_OK);
      assert_int_equal(run->samples, k ? 1 : 4);
      same_run(ref, run);
      assert_memory_equal(ref->res[0]->seg_rot, run->res[0]->seg_rot,
                          sizeof(double) * 9 * (size_t)run->res[0]->nseg * (size_t)run->samples);
      sl_position_run_free(ref);
    }
  sl_position_run_free(run);
  for (int p = 0; p < NP; p++) sl_position_free(S[p]), sl_position_free(C[p]);
  sl_position_work_free(w);
}

// rank's cycles on the driver: the same bits for 1, 2 and 3 threads as one by one
static void test_positions_run_threads(void** state) {
  (void)state;
  slPosition* P[NP];
  load_all(P, 1.0);
  slSoOpt        o = sl_so_opt_default();
  slError        e;
  slPositionRun* ref[NP];
  for (int p = 0; p < NP; p++) assert_int_equal(sl_position_run(P[p], &o, &ref[p], &e), SL_OK);
  for (int t = 1; t <= 3; t++) {
    slPositionRun* R[NP];
    if (sl_positions_run((const slPosition* const*)P, NP, &o, t, R, &e) != SL_OK)
      fail_msg("%d threads: %s", t, e.msg);
    for (int p = 0; p < NP; p++) {
      same_run(ref[p], R[p]);
      sl_position_run_free(R[p]);
    }
  }
  for (int p = 0; p < NP; p++) sl_position_run_free(ref[p]), sl_position_free(P[p]);
}

// a failing cycle: the first in order is reported and nothing is kept
static void test_positions_run_error(void** state) {
  (void)state;
  slPosition* P[NP];
  load_all(P, 1.0);
  slSoOpt o = sl_so_opt_default();
  slError e;
  int     keep = P[2]->nrole;
  P[2]->nrole = 0;  // no body: a scene cannot be made for it
  slPositionRun* R[NP];
  for (int t = 1; t <= 3; t++) {
    assert_int_equal(sl_positions_run((const slPosition* const*)P, NP, &o, t, R, &e), SL_ERR_ARG);
    for (int p = 0; p < NP; p++) assert_null(R[p]);
  }
  P[2]->nrole = keep;
  for (int p = 0; p < NP; p++) sl_position_free(P[p]);
}

// sweep units on a worker: after one pass over the units (every position variant loaded, every
// shape seen) a second pass allocates nothing and gives the same rows as the first
static void sweep_units_no_alloc(const char* path) {
  slSweep* sw = NULL;
  slError  e;
  if (sl_sweep_open(&sw, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  slSweepWorker* w = NULL;
  assert_int_equal(sl_sweep_worker_make(sw, &w, &e), SL_OK);
  long        n = sw->nunit;
  slSweepRow* a = calloc((size_t)n * SL_SWEEP_ROLES, sizeof *a);
  slSweepRow* b = calloc((size_t)n * SL_SWEEP_ROLES, sizeof *b);
  long        pa = 0, pb = 0;
  for (long u = 0; u < n; u++) sl_sweep_unit(w, u, a + 2 * u, &pa);
  count_start();
  for (long u = 0; u < n; u++) sl_sweep_unit(w, u, b + 2 * u, &pb);
  long allocs = count_stop();
  assert_int_equal(allocs, 0);
  assert_int_equal(pa, pb);
  assert_true(pa > 0);
  assert_memory_equal(a, b, sizeof *a * (size_t)n * SL_SWEEP_ROLES);
  for (long r = 0; r < n * SL_SWEEP_ROLES; r++) assert_true(a[r].status >= 0);
  // and a unit on a new worker (nothing cached) gives the same rows as on the used one
  slSweepWorker* w2 = NULL;
  assert_int_equal(sl_sweep_worker_make(sw, &w2, &e), SL_OK);
  for (long u = n - 1; u >= 0; u -= 5) {
    slSweepRow r2[SL_SWEEP_ROLES];
    long       p2 = 0;
    sl_sweep_unit(w2, u, r2, &p2);
    assert_memory_equal(r2, a + 2 * u, sizeof r2);
  }
  sl_sweep_worker_free(w2);
  sl_sweep_worker_free(w);
  free(a);
  free(b);
  sl_sweep_free(sw);
}

static void test_sweep_unit_no_alloc(void** state) {
  (void)state;
  sweep_units_no_alloc(SL_TEST_SOURCE_DIR "/tests/data/sweep_small.yaml");
}

// three body masses over two positions: six variants, more than the last two of each position,
// and the mass varies fastest (the order the README advises against): still each variant is
// built once per worker, so the second pass allocates nothing
static void test_sweep_variants_built_once(void** state) {
  (void)state;
  const char* path = SL_TEST_BINARY_DIR "/test_workspace_sweep.yaml";
  FILE*       f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f,
          "format: spineload-sweep/1\nname: masses\nlibrary: %s/tests/data/positions\n"
          "positions: all\ndesign: {type: grid}\nparameters:\n"
          "  - {path: body.mass_kg, values: [60, 75, 90]}\n"
          "  - {path: motion.frequency_hz, range: [0.5, 2.0], steps: 3}\n"
          "set: {motion.samples: 4}\nblock: 2\n",
          SL_TEST_SOURCE_DIR);
  fclose(f);
  sweep_units_no_alloc(path);
  remove(path);
}

int main(void) {
  count_install();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_position_ws_reused),
      cmocka_unit_test(test_position_ws_static_and_cycle),
      cmocka_unit_test(test_positions_run_threads),
      cmocka_unit_test(test_positions_run_error),
      cmocka_unit_test(test_sweep_unit_no_alloc),
      cmocka_unit_test(test_sweep_variants_built_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
