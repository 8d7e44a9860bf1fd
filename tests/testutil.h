// testutil.h: helpers shared by the cmocka tests.
#ifndef SL_TESTUTIL_H
#define SL_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spineload.h"

// |a - b| <= atol + rtol*|b|, failing with both expressions and values
#define assert_near(a, b, atol, rtol)                                                \
  do {                                                                               \
    double a_ = (a), b_ = (b);                                                       \
    if (!(fabs(a_ - b_) <= (atol) + (rtol)*fabs(b_)))                                \
      fail_msg("%s = %.17g, expected %s = %.17g (atol %g, rtol %g)", #a, a_, #b, b_, \
               (double)(atol), (double)(rtol));                                      \
  } while (0)

// every fascicle's path length (m->nmus into L) with coordinate c set to q (left so in d)
static inline void sl_test_lengths_at(const slModel* m, slData* d, int c, double q, double* L) {
  d->q[c] = q;
  sl_kin_forward(m, d, 0);
  sl_muscle_geometry(m, d);
  memcpy(L, d->mus_len, sizeof(double) * (size_t)m->nmus);
}

// the source tree (for models/ and scenarios/), set by CMake
#ifndef SL_TEST_SOURCE_DIR
#define SL_TEST_SOURCE_DIR "."

// a model file compiled, or the test fails with the error's place and message
static inline slModel* sl_test_model(const char* path) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

#endif
#ifndef SL_TEST_BINARY_DIR
#define SL_TEST_BINARY_DIR "."

// a model file compiled, or the test fails with the error's place and message
static inline slModel* sl_test_model(const char* path) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

#endif

// a model file compiled, or the test fails with the error's place and message
static inline slModel* sl_test_model(const char* path) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

#endif
