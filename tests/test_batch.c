// test_batch.c: postures over threads in fixed blocks: every index once, results bit-identical
// for any thread count, stopping early, errors from making the scenes; the driver of work items
// under it (sl_driver): one workspace per thread made once over many runs, items by index.
// covers: sl_batch
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_driver.h"
#include "spineload.h"
#include "testutil.h"

#define MALE  SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define N     75  // postures: not a multiple of the block
#define BLOCK 8

typedef struct Out {
  double comp[SL_NLEVEL], shear[SL_NLEVEL], cost, cf[12];
  int    iter, status;
} Out;

typedef struct Ctx {
  const slModel* m;
  const double*  q;  // (N x ncoord)
  slContact      c[4];
  Out            out[N];
  int            calls[N];
  const void*    scene[N];  // the scene that computed each index
  long           stop_at;   // return nonzero at this index (-1: never)
} Ctx;

static int one(void* vctx, slScene* s, long i) {
  Ctx*    c = vctx;
  slData* d = sl_scene_data(s, 0);
  memcpy(d->q, c->q + (size_t)i * (size_t)c->m->ncoord, sizeof(double) * (size_t)c->m->ncoord);
  memset(d->qd, 0, sizeof(double) * (size_t)c->m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)c->m->ncoord);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.contacts = c->c;
  in.ncontact = 4;
  in.smooth = 1;  // warm starts from the block's earlier postures: what could differ by thread
  slSoOpt o = sl_so_opt_default();
  Out*    w = &c->out[i];
  sl_scene_step(s, &in, &o, w->cf);
  memcpy(w->comp, d->disc_comp, sizeof w->comp);
  memcpy(w->shear, d->disc_shear_ap, sizeof w->shear);
  w->cost = d->so.cost;
  w->iter = d->so.iter;
  w->status = d->so.status;
  c->calls[i]++;
  c->scene[i] = s;
  return i == c->stop_at;
}

static Ctx* make_ctx(const slModel* m) {
  Ctx* c = calloc(1, sizeof *c);
  c->m = m;
  c->stop_at = -1;
  double* q = malloc(sizeof(double) * (size_t)N * (size_t)m->ncoord);
  slData* d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  for (int i = 0; i < N; i++) {
    slPosture p = sl_posture_default(SL_ROOT_STANDING);
    p.lumbar[0] = (5.0 + 30.0 * sin(0.37 * i)) * SL_DEG;  // a wandering cycle, flexed and back
    p.lumbar[1] = 4.0 * cos(0.21 * i) * SL_DEG;
    slError e;
    if (sl_posture_to_q(m, d, &p, q + (size_t)i * (size_t)m->ncoord, &e) != SL_OK)
      fail_msg("%s", e.msg);
  }
  sl_data_free(d);
  c->q = q;
  const char* names[4] = {"heel_r", "heel_l", "forefoot_r", "forefoot_l"};
  for (int k = 0; k < 4; k++) {
    c->c[k].land = sl_model_landmark(m, names[k]);
    c->c[k].other = -1;
    c->c[k].normal[1] = 1;
    c->c[k].mu = 0.6;
  }
  return c;
}

static void free_ctx(Ctx* c) {
  free((void*)c->q);
  free(c);
}

static void test_threads_identical(void** state) {
  (void)state;
  slModel*       m = sl_test_model(MALE);
  const slModel* ms[1] = {m};
  Ctx*           ref = NULL;
  for (int th = 1; th <= 3; th++) {
    Ctx*    c = make_ctx(m);
    slError e;
    if (sl_batch_run(ms, 1, 4, N, BLOCK, th, one, c, &e) != SL_OK) fail_msg("%s", e.msg);
    for (int i = 0; i < N; i++) {
      assert_int_equal(c->calls[i], 1);  // every index exactly once
      // a block is one scene's, in order
      if (i % BLOCK) assert_ptr_equal(c->scene[i], c->scene[i - 1]);
      assert_true(c->out[i].status == SL_SO_CONVERGED || c->out[i].status == SL_SO_RESERVE);
      assert_true(c->out[i].comp[1] > 0);
    }
    if (!ref) {
      ref = c;
      continue;
    }
    for (int i = 0; i < N; i++)
      if (memcmp(&c->out[i], &ref->out[i], sizeof(Out)) != 0)
        fail_msg("%d threads: posture %d differs from 1 thread (L4/L5 %.17g vs %.17g)", th, i,
                 c->out[i].comp[1], ref->out[i].comp[1]);
    free_ctx(c);
  }
  // the warm start mattered (so identical results are not trivially cold solves): a posture
  // solved cold alone takes a different number of iterations than inside its block somewhere
  Ctx* cold = make_ctx(m);
  assert_int_equal(sl_batch_run(ms, 1, 4, N, 1, 1, one, cold, NULL), SL_OK);
  int differ = 0;
  for (int i = 0; i < N; i++) differ += cold->out[i].iter != ref->out[i].iter;
  assert_true(differ > 0);
  for (int i = 0; i < N; i++) assert_near(cold->out[i].comp[1], ref->out[i].comp[1], 1e-3, 1e-6);
  free_ctx(cold);
  free_ctx(ref);
  sl_model_free(m);
}

// a callback returning nonzero stops the batch: SL_ERR_INTERRUPTED; on one thread nothing after
// the stopping index runs
static void test_interrupt(void** state) {
  (void)state;
  slModel*       m = sl_test_model(MALE);
  const slModel* ms[1] = {m};
  for (int th = 1; th <= 2; th++) {
    Ctx* c = make_ctx(m);
    c->stop_at = 20;
    slError e;
    memset(&e, 0, sizeof e);
    assert_int_equal(sl_batch_run(ms, 1, 4, N, BLOCK, th, one, c, &e), SL_ERR_INTERRUPTED);
    assert_int_equal(e.code, SL_ERR_INTERRUPTED);
    assert_true(strlen(e.msg) > 0);
    int done = 0;
    for (int i = 0; i < N; i++) done += c->calls[i];
    assert_int_equal(c->calls[20], 1);
    assert_true(done < N);
    if (th == 1) {
      assert_int_equal(done, 21);
      for (int i = 21; i < N; i++) assert_int_equal(c->calls[i], 0);
    }
    free_ctx(c);
  }
  sl_model_free(m);
}

static int never(void* ctx, slScene* s, long i) {
  (void)s, (void)i;
  __atomic_fetch_add((int*)ctx, 1, __ATOMIC_RELAXED);  // threads share the counter
  return 0;
}

// nothing to do, and scenes that cannot be made: the error comes back and fn never runs
static void test_edges(void** state) {
  (void)state;
  assert_true(sl_batch_default_threads() >= 1);
  slModel*       m = sl_test_model(MALE);
  const slModel* ms[3] = {m, m, m};
  int            calls = 0;
  assert_int_equal(sl_batch_run(ms, 1, 1, 0, BLOCK, 2, never, &calls, NULL), SL_OK);
  assert_int_equal(sl_batch_run(ms, 1, 1, -5, BLOCK, 2, never, &calls, NULL), SL_OK);
  assert_int_equal(calls, 0);
  slError e;
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_batch_run(ms, 3, 1, 10, BLOCK, 2, never, &calls, &e), SL_ERR_ARG);
  assert_int_equal(e.code, SL_ERR_ARG);
  assert_int_equal(calls, 0);
  // block < 1 is taken as 1, threads <= 0 as the default, more threads than blocks is fine
  assert_int_equal(sl_batch_run(ms, 1, 1, 5, 0, 0, never, &calls, NULL), SL_OK);
  assert_int_equal(calls, 5);
  calls = 0;
  assert_int_equal(sl_batch_run(ms, 1, 1, 3, 64, 8, never, &calls, NULL), SL_OK);
  assert_int_equal(calls, 3);
  sl_model_free(m);
}

// ---- the driver of work items ------------------------------------------------------------------
#define NITEM 41

typedef struct Work {
  int    thread;  // the thread it was made for
  long   items;   // items it computed
  double acc;     // state carried from item to item: must not reach the results
} Work;

typedef struct Items {
  int         made[8];  // workspaces made per thread
  const Work* ws[8];    // the one made for each thread
  int         fail_make;
  long        stop_at;
  int         calls[NITEM];
  double      out[NITEM];
  const void* work[NITEM];
} Items;

static void* work_make(void* ctx, int thread, slError* err) {
  Items* c = ctx;
  if (c->fail_make) {
    sl_fail(err, SL_ERR_NOMEM, "work_make", "no workspace");
    return NULL;
  }
  Work* w = calloc(1, sizeof *w);
  w->thread = thread;
  c->made[thread]++;  // each thread its own entries
  c->ws[thread] = w;
  return w;
}

static void work_free(void* ctx, void* w) {
  (void)ctx;
  free(w);
}

static int item(void* ctx, void* vw, long i) {
  Items* c = ctx;
  Work*  w = vw;
  w->items++;
  w->acc += (double)i;  // workspace state: the result below ignores it
  double x = 1.0;
  for (long k = 0; k <= i; k++) x = x * 1.000001 + 1.0 / (double)(k + 1);
  c->out[i] = x;
  c->calls[i]++;
  c->work[i] = w;
  return i == c->stop_at;
}

static void test_driver_items(void** state) {
  (void)state;
  double ref[NITEM];
  for (int t = 1; t <= 3; t++) {
    Items*    c = calloc(1, sizeof *c);
    slDriver* d = NULL;
    slError   e;
    c->stop_at = -1;
    assert_int_equal(sl_driver_make(&d, t, work_make, work_free, c, &e), SL_OK);
    assert_int_equal(sl_driver_threads(d), t);
    for (int run = 0; run < 3; run++) {  // workspaces outlive a run: made once per thread
      memset(c->calls, 0, sizeof c->calls);
      assert_int_equal(sl_driver_run(d, NITEM, item, c, &e), SL_OK);
      for (int i = 0; i < NITEM; i++) assert_int_equal(c->calls[i], 1);
      if (t == 1 && run == 0) memcpy(ref, c->out, sizeof ref);
      assert_memory_equal(ref, c->out, sizeof ref);
    }
    assert_true(sl_driver_workspaces(d) >= 1 && sl_driver_workspaces(d) <= t);
    for (int k = 0; k < t; k++) assert_true(c->made[k] <= 1);
    long total = 0;
    for (int i = 0; i < NITEM; i++) {
      const Work* w = c->work[i];
      assert_non_null(w);
      assert_true(w->thread >= 0 && w->thread < t);
    }
    for (int k = 0; k < t; k++)
      if (c->ws[k]) total += c->ws[k]->items;
    assert_int_equal(total, 3 * NITEM);  // every item of every run on a thread's one workspace
    // no items: nothing runs, nothing made
    assert_int_equal(sl_driver_run(d, 0, item, c, &e), SL_OK);
    sl_driver_free(d);
    free(c);
  }
}

static void test_driver_stop_and_errors(void** state) {
  (void)state;
  for (int t = 1; t <= 3; t++) {
    Items*    c = calloc(1, sizeof *c);
    slDriver* d = NULL;
    slError   e;
    c->stop_at = 5;
    assert_int_equal(sl_driver_make(&d, t, work_make, work_free, c, &e), SL_OK);
    assert_int_equal(sl_driver_run(d, NITEM, item, c, &e), SL_ERR_INTERRUPTED);
    assert_int_equal(c->calls[5], 1);
    int after = 0;
    for (int i = 0; i < NITEM; i++) after += c->calls[i];
    assert_true(after < NITEM || t > 1);  // later items are skipped (one thread: all of them)
    if (t == 1) assert_int_equal(after, 6);
    sl_driver_free(d);
    // a workspace that cannot be made: its error, and no item runs on a missing workspace
    memset(c, 0, sizeof *c);
    c->stop_at = -1;
    c->fail_make = 1;
    assert_int_equal(sl_driver_make(&d, t, work_make, work_free, c, &e), SL_OK);
    assert_int_equal(sl_driver_run(d, NITEM, item, c, &e), SL_ERR_NOMEM);
    assert_string_equal(e.where, "work_make");
    for (int i = 0; i < NITEM; i++) assert_int_equal(c->calls[i], 0);
    sl_driver_free(d);
    // no workspace wanted: items get NULL
    assert_int_equal(sl_driver_make(&d, t, NULL, NULL, NULL, &e), SL_OK);
    assert_int_equal(sl_driver_workspaces(d), 0);
    sl_driver_free(d);
    free(c);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads_identical),
      cmocka_unit_test(test_interrupt),
      cmocka_unit_test(test_edges),
      cmocka_unit_test(test_driver_items),
      cmocka_unit_test(test_driver_stop_and_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
