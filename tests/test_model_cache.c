// test_model_cache.c: compiled models shared by (body file, overrides), counted and evicted.
// covers: sl_model_cache
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_model_cache.h"
#include "sl_position.h"
#include "testutil.h"

#define MODEL  SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"
#define POS(f) SL_TEST_SOURCE_DIR "/tests/data/positions/" f

static const slModel* get(slModelCache* c, const char* mass) {
  slOverride     ov[1] = {{"subject.mass_kg", mass}};
  const slModel* m = NULL;
  slError        e;
  if (sl_model_cache_get(c, MODEL, ov, mass ? 1 : 0, &m, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
  return m;
}

// the same file and overrides give the same model (compiled once); other overrides another
static void test_shared_by_key(void** state) {
  (void)state;
  slModelCache* c = NULL;
  assert_int_equal(sl_model_cache_make(&c, 4, NULL), SL_OK);
  const slModel* a = get(c, "60");
  const slModel* b = get(c, "60");
  const slModel* d = get(c, "90");
  const slModel* n = get(c, NULL);
  assert_ptr_equal(a, b);
  assert_ptr_not_equal(a, d);
  assert_ptr_not_equal(a, n);
  assert_int_equal(sl_model_cache_misses(c), 3);
  assert_int_equal(sl_model_cache_hits(c), 1);
  // the shared model is the one sl_model_load compiles
  slModel*   ref = NULL;
  slOverride ov[1] = {{"subject.mass_kg", "90"}};
  assert_int_equal(sl_model_load(&ref, MODEL, ov, 1, NULL), SL_OK);
  assert_int_equal(d->ncoord, ref->ncoord);
  assert_true(d->body_mass == ref->body_mass);
  assert_true(d->body_mass != a->body_mass);
  sl_model_free(ref);
  sl_model_cache_free(c);
}

// a model in use is never evicted; unused ones go beyond the cache's room, oldest first
static void test_eviction(void** state) {
  (void)state;
  slModelCache* c = NULL;
  assert_int_equal(sl_model_cache_make(&c, 1, NULL), SL_OK);
  const slModel* held = get(c, "60");  // kept in use throughout
  const slModel* x = get(c, "70");
  sl_model_cache_release(c, x);     // unused: may stay (room 1)
  const slModel* y = get(c, "80");  // in use
  sl_model_cache_release(c, y);     // now two unused: the older (70) goes
  assert_int_equal(sl_model_cache_misses(c), 3);
  assert_ptr_equal(get(c, "60"), held);
  get(c, "80");
  assert_int_equal(sl_model_cache_misses(c), 3);  // 60 and 80 were still there
  get(c, "70");
  assert_int_equal(sl_model_cache_misses(c), 4);  // 70 was evicted
  sl_model_cache_free(c);
}

// a failed load keeps nothing and reports the loader's error
static void test_failure(void** state) {
  (void)state;
  slModelCache* c = NULL;
  assert_int_equal(sl_model_cache_make(&c, 2, NULL), SL_OK);
  const slModel* m = (const slModel*)c;
  slError        e;
  assert_int_not_equal(sl_model_cache_get(c, "/nonexistent/model.yaml", NULL, 0, &m, &e), SL_OK);
  assert_null(m);
  assert_int_equal(sl_model_cache_misses(c), 0);
  sl_model_cache_free(c);
}

// positions loaded through one cache share their bodies and run exactly as with their own
static void test_positions_share(void** state) {
  (void)state;
  slModelCache* c = NULL;
  assert_int_equal(sl_model_cache_make(&c, 4, NULL), SL_OK);
  slMotionOpt mo = sl_motion_opt_default();
  slPosition *a = NULL, *b = NULL, *own = NULL;
  slError     e;
  if (sl_position_load_cached(&a, POS("side_left.yaml"), &mo, NULL, 0, c, &e) ||
      sl_position_load_cached(&b, POS("side_left.yaml"), &mo, NULL, 0, c, &e) ||
      sl_position_load(&own, POS("side_left.yaml"), &mo, NULL, 0, &e))
    fail_msg("%s: %s", e.where, e.msg);
  assert_ptr_equal(a->role[0].model, b->role[0].model);
  assert_true(sl_model_cache_hits(c) >= a->nrole);
  slSoOpt        o = sl_so_opt_default();
  slPositionRun *ra = NULL, *ro = NULL;
  assert_int_equal(sl_position_run(a, &o, &ra, NULL), SL_OK);
  assert_int_equal(sl_position_run(own, &o, &ro, NULL), SL_OK);
  for (int k = 0; k < a->nrole; k++)
    for (int i = 0; i < ra->samples; i++) {
      assert_memory_equal(ra->res[k]->comp + (size_t)i * SL_NLEVEL,
                          ro->res[k]->comp + (size_t)i * SL_NLEVEL, sizeof(double) * SL_NLEVEL);
    }
  sl_position_run_free(ra);
  sl_position_run_free(ro);
  sl_position_free(a);
  sl_position_free(b);
  sl_position_free(own);
  sl_model_cache_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shared_by_key),
      cmocka_unit_test(test_eviction),
      cmocka_unit_test(test_failure),
      cmocka_unit_test(test_positions_share),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
