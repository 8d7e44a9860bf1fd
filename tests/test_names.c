// test_names.c: lookups by name in a compiled model, the compression part names, and the
// per-thread workspace (one allocation carved into arrays sized from the model).
// covers: sl_names sl_data
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spineload.h"
#include "testutil.h"

#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define TINY SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

// every name finds its own index; unknown names, near misses and NULL give -1
static void test_lookups(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  for (int i = 0; i < m->nseg; i++) assert_int_equal(sl_model_segment(m, m->seg_name[i]), i);
  for (int i = 0; i < m->ncoord; i++) assert_int_equal(sl_model_coord(m, m->coord_name[i]), i);
  for (int i = 0; i < m->nland; i++) assert_int_equal(sl_model_landmark(m, m->land_name[i]), i);
  for (int i = 0; i < m->ngroup; i++) assert_int_equal(sl_model_group(m, m->group_name[i]), i);
  // names of the adult model the pipeline relies on
  assert_int_equal(sl_model_segment(m, "pelvis"), 0);
  assert_true(sl_model_coord(m, "pelvis_tilt") >= 0);
  assert_int_equal(sl_model_coord(m, "pelvis_tilt"), m->root_coord[0]);
  assert_int_equal(sl_model_coord(m, "hip_flexion_r"), m->hip_coord[0]);
  assert_true(sl_model_landmark(m, "heel_r") >= 0);
  assert_true(sl_model_group(m, "multifidus") >= 0);
  // missing
  assert_int_equal(sl_model_segment(m, "no_such_segment"), -1);
  assert_int_equal(sl_model_segment(m, ""), -1);
  assert_int_equal(sl_model_segment(m, "pelvi"), -1);    // a prefix is not a match
  assert_int_equal(sl_model_segment(m, "pelvis "), -1);  // nor a longer name
  assert_int_equal(sl_model_segment(m, NULL), -1);
  assert_int_equal(sl_model_coord(m, "no_such_coord"), -1);
  assert_int_equal(sl_model_coord(m, NULL), -1);
  assert_int_equal(sl_model_landmark(m, "no_such_landmark"), -1);
  assert_int_equal(sl_model_landmark(m, NULL), -1);
  assert_int_equal(sl_model_group(m, "no_such_group"), -1);
  assert_int_equal(sl_model_group(m, NULL), -1);
  // the kinds do not mix: a segment name is no landmark and no coordinate
  assert_int_equal(sl_model_coord(m, "pelvis"), -1);
  assert_int_equal(sl_model_group(m, "heel_r"), -1);
  // the lookups are binary searches of each table's sorted index: a permutation in name order
  struct {
    char (*names)[SL_NAME];
    const int* by;
    int        n;
  } t[4] = {{m->seg_name, m->seg_by_name, m->nseg},
            {m->coord_name, m->coord_by_name, m->ncoord},
            {m->land_name, m->land_by_name, m->nland},
            {m->group_name, m->group_by_name, m->ngroup}};
  for (int k = 0; k < 4; k++) {
    assert_non_null(t[k].by);
    int* seen = calloc((size_t)t[k].n, sizeof(int));
    for (int i = 0; i < t[k].n; i++) {
      assert_true(t[k].by[i] >= 0 && t[k].by[i] < t[k].n && !seen[t[k].by[i]]);
      seen[t[k].by[i]] = 1;
      if (i > 0) assert_true(strcmp(t[k].names[t[k].by[i - 1]], t[k].names[t[k].by[i]]) < 0);
    }
    free(seen);
  }
  // a model without the index (one made by hand) is scanned
  slModel bare = *m;
  bare.seg_by_name = NULL;
  assert_int_equal(sl_model_segment(&bare, "pelvis"), 0);
  assert_int_equal(sl_model_segment(&bare, "no_such_segment"), -1);
  sl_model_free(m);
  sl_model_free(NULL);  // fine
}

// the tiny model, whose names are known from its file
static void test_lookups_tiny(void** state) {
  (void)state;
  slModel* m = sl_test_model(TINY);
  assert_int_equal(sl_model_segment(m, "pelvis"), 0);
  assert_int_equal(sl_model_segment(m, "thorax"), 6);
  assert_int_equal(sl_model_segment(m, "v3"), 3);
  assert_int_equal(sl_model_coord(m, "tilt"), 0);
  assert_int_equal(sl_model_coord(m, "f0"), 3);
  assert_int_equal(sl_model_coord(m, "t5"), 20);
  assert_int_equal(sl_model_landmark(m, "seat"), 0);
  assert_int_equal(sl_model_landmark(m, "back"), 1);
  assert_int_equal(m->ngroup, 2);
  int gf = sl_model_group(m, "flexor"), ge = sl_model_group(m, "extensor");
  assert_true(gf >= 0 && ge >= 0 && gf != ge);
  assert_int_equal(sl_model_group(m, "back"), -1);  // a muscle name, not a group
  sl_model_free(m);
}

// parts: the five fixed ones, then one per muscle group by the group's name; out of range is
// "unknown"
static void test_parts(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  assert_int_equal(sl_part_count(m), SL_PART_MUSCLE0 + m->ngroup);
  assert_int_equal(SL_PART_MUSCLE0, 5);
  assert_string_equal(sl_part_name(m, SL_PART_BODY), "body weight and inertia");
  assert_string_equal(sl_part_name(m, SL_PART_LOADS), "held loads");
  assert_string_equal(sl_part_name(m, SL_PART_LIGAMENT), "posterior ligaments");
  assert_string_equal(sl_part_name(m, SL_PART_IAP), "intra-abdominal pressure");
  assert_string_equal(sl_part_name(m, SL_PART_CONTACTS), "contacts");
  for (int g = 0; g < m->ngroup; g++)
    assert_string_equal(sl_part_name(m, SL_PART_MUSCLE0 + g), m->group_name[g]);
  assert_string_equal(sl_part_name(m, -1), "unknown");
  assert_string_equal(sl_part_name(m, sl_part_count(m)), "unknown");
  // distinct names: each column of compression_parts is identifiable
  for (int a = 0; a < sl_part_count(m); a++)
    for (int b = a + 1; b < sl_part_count(m); b++)
      assert_true(strcmp(sl_part_name(m, a), sl_part_name(m, b)) != 0);
  sl_model_free(m);
}

typedef struct Span {
  const char* name;
  uintptr_t   lo, hi;  // [lo, hi) in bytes
} Span;

static int cmp_span(const void* a, const void* b) {
  const Span *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

// the workspace's arrays: each 64-byte aligned, pairwise disjoint at the sizes the header gives
// (so every index the pipeline uses is its own memory), every one written end to end without
// touching another; q starts at the model's default
static void check_data(const slModel* m) {
  slData* d = NULL;
  slError e;
  assert_int_equal(sl_data_make(m, &d, &e), SL_OK);
  assert_non_null(d);
  size_t ns = (size_t)m->nseg, nc = (size_t)m->ncoord, np = (size_t)sl_part_count(m);
#define SPAN(f, n) {#f, (uintptr_t)d->f, (uintptr_t)(d->f + (n))}
  Span s[] = {
      SPAN(q, nc),
      SPAN(qd, nc),
      SPAN(qdd, nc),
      SPAN(xpos, 3 * ns),
      SPAN(xrot, 9 * ns),
      SPAN(xcom, 3 * ns),
      SPAN(xjnt, 3 * ns),
      SPAN(xaxis, 3 * (size_t)m->naxis),
      SPAN(axis_df, (size_t)m->naxis),
      SPAN(cvel, 6 * ns),
      SPAN(cacc, 6 * ns),
      SPAN(ovel, 3 * ns),
      SPAN(oacc, 3 * ns),
      SPAN(pt_xpos, 3 * (size_t)m->npt),
      SPAN(mus_len, (size_t)m->nmus),
      SPAN(mus_R, (size_t)SL_NLDOF * (size_t)m->nmus),
      SPAN(ext_force, 3 * ns),
      SPAN(ext_torque, 3 * ns),
      SPAN(jdof_tau, (size_t)m->njdof),
      SPAN(sub_fm, 6 * ns),
      SPAN(pc_u, 3 * (size_t)m->npt),
      SPAN(cross_u, 3 * (size_t)m->ncross),
      SPAN(mus_force, (size_t)m->nmus),
      SPAN(jdof_torque, (size_t)m->njdof),
      SPAN(jdof_share, (size_t)m->njdof),
      SPAN(jdof_reserve, (size_t)m->njdof),
      SPAN(comp_parts, (size_t)SL_NLEVEL * np),
  };
#undef SPAN
  int n = (int)(sizeof s / sizeof s[0]);
  for (int i = 0; i < n; i++) {
    assert_true(s[i].lo != 0);
    if (s[i].lo % 64 != 0) fail_msg("%s is not 64-byte aligned", s[i].name);
    // outside the struct itself
    uintptr_t d0 = (uintptr_t)d, d1 = (uintptr_t)(d + 1);
    if (s[i].lo < d1 && s[i].hi > d0) fail_msg("%s overlaps the slData struct", s[i].name);
  }
  Span t[64];
  memcpy(t, s, sizeof s);
  qsort(t, (size_t)n, sizeof t[0], cmp_span);
  for (int i = 1; i < n; i++)
    if (t[i].lo < t[i - 1].hi) fail_msg("%s overlaps %s", t[i - 1].name, t[i].name);
  // q starts at the default, velocities at zero
  for (size_t k = 0; k < nc; k++) {
    assert_true(d->q[k] == m->coord_default[k]);
    assert_true(d->qd[k] == 0.0 && d->qdd[k] == 0.0);
  }
  // fill every array with its own byte; none is overwritten by another
  for (int i = 0; i < n; i++) memset((void*)s[i].lo, i + 1, (size_t)(s[i].hi - s[i].lo));
  for (int i = 0; i < n; i++)
    for (uintptr_t p = s[i].lo; p < s[i].hi; p++)
      if (*(unsigned char*)p != (unsigned char)(i + 1)) fail_msg("%s was overwritten", s[i].name);
  sl_data_free(d);
  sl_data_free(NULL);  // fine
}

static void test_data_sizes(void** state) {
  (void)state;
  slModel* m = sl_test_model(MALE);
  check_data(m);
  sl_model_free(m);
  m = sl_test_model(
      TINY);  // a model without joint dofs and few muscles: empty arrays still distinct
  check_data(m);
  sl_model_free(m);
}

// two workspaces of one model are independent
static void test_data_independent(void** state) {
  (void)state;
  slModel* m = sl_test_model(TINY);
  slData * a = NULL, *b = NULL;
  assert_int_equal(sl_data_make(m, &a, NULL), SL_OK);
  assert_int_equal(sl_data_make(m, &b, NULL), SL_OK);
  assert_ptr_not_equal(a->q, b->q);
  a->q[0] = 0.5;
  assert_true(b->q[0] == m->coord_default[0]);
  sl_data_free(a);
  sl_data_free(b);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lookups),
      cmocka_unit_test(test_lookups_tiny),
      cmocka_unit_test(test_parts),
      cmocka_unit_test(test_data_sizes),
      cmocka_unit_test(test_data_independent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
