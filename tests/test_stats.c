// test_stats.c: Pearson, Spearman (average ranks for ties), RMSE, ranks, the normal distribution
// and quantiles on hand-computed or tabulated cases;
// constant or too short input gives NaN.
// covers: sl_stats
#include <stdlib.h>
#include <string.h>

#include "sl_stats.h"
#include "testutil.h"

static void test_pearson(void** state) {
  (void)state;
  // exact linear relations
  double x[5] = {1, 2, 3, 4, 5}, up[5] = {3, 5, 7, 9, 11}, down[5] = {10, 8, 6, 4, 2};
  assert_near(sl_pearson(x, up, 5), 1, 1e-15, 0);
  assert_near(sl_pearson(x, down, 5), -1, 1e-15, 0);
  // x = 1..5, y = 2 4 5 4 5: sxy = 6, sxx = 10, syy = 6  ->  r = 6 / sqrt(60)
  double y[5] = {2, 4, 5, 4, 5};
  assert_near(sl_pearson(x, y, 5), 6 / sqrt(60.0), 1e-15, 0);
  // symmetric in its arguments, invariant to shift and positive scale
  assert_near(sl_pearson(y, x, 5), 6 / sqrt(60.0), 1e-15, 0);
  double ys[5];
  for (int i = 0; i < 5; i++) ys[i] = 1000 + 3 * y[i];
  assert_near(sl_pearson(x, ys, 5), 6 / sqrt(60.0), 1e-13, 0);
  // uncorrelated: x = -1 0 1, y = 1 0 1 (sxy = 0)
  double a[3] = {-1, 0, 1}, b[3] = {1, 0, 1};
  assert_near(sl_pearson(a, b, 3), 0, 1e-15, 0);
  // two points are always perfectly correlated
  assert_near(sl_pearson(a, b + 1, 2), 1, 1e-15, 0);
  // constant input, n < 2: NaN
  double c[5] = {7, 7, 7, 7, 7};
  assert_true(isnan(sl_pearson(x, c, 5)));
  assert_true(isnan(sl_pearson(c, x, 5)));
  assert_true(isnan(sl_pearson(x, y, 1)));
  assert_true(isnan(sl_pearson(x, y, 0)));
}

static void test_ranks(void** state) {
  (void)state;
  double work[32], r[16];
  // no ties: 1-based positions in sorted order
  double x[5] = {30, 10, 50, 20, 40};
  sl_ranks(x, 5, r, work);
  const double want[5] = {3, 1, 5, 2, 4};
  for (int i = 0; i < 5; i++) assert_near(r[i], want[i], 0, 0);
  // ties share the mean of their positions: 10 10 | 20 | 30 30 30 | 5
  double t[7] = {10, 20, 10, 30, 30, 5, 30};
  sl_ranks(t, 7, r, work);
  // sorted: 5 (1), 10 10 (2, 3 -> 2.5), 20 (4), 30 30 30 (5, 6, 7 -> 6)
  const double wt[7] = {2.5, 4, 2.5, 6, 6, 1, 6};
  for (int i = 0; i < 7; i++) assert_near(r[i], wt[i], 0, 0);
  // all equal: everyone gets the middle rank; the ranks always sum to n(n+1)/2
  double c[4] = {2, 2, 2, 2};
  sl_ranks(c, 4, r, work);
  for (int i = 0; i < 4; i++) assert_near(r[i], 2.5, 0, 0);
  // negative numbers and zero signs
  double z[4] = {-0.0, 0.0, -1, 1};
  sl_ranks(z, 4, r, work);
  assert_near(r[0], 2.5, 0, 0);
  assert_near(r[1], 2.5, 0, 0);
  assert_near(r[2], 1, 0, 0);
  assert_near(r[3], 4, 0, 0);
  // one element, and none
  sl_ranks(x, 1, r, work);
  assert_near(r[0], 1, 0, 0);
  sl_ranks(x, 0, r, work);
}

static void test_spearman(void** state) {
  (void)state;
  double work[64];
  // monotone but not linear: rho = 1 (Pearson is not)
  double x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {1, 8, 27, 64, 125, 1000};
  assert_near(sl_spearman(x, y, 6, work), 1, 1e-15, 0);
  assert_true(sl_pearson(x, y, 6) < 0.9);
  double yr[6] = {6, 5, 4, 3, 2, 1e-9};
  assert_near(sl_spearman(x, yr, 6, work), -1, 1e-15, 0);
  // no ties, hand-computed with 1 - 6 sum d^2 / (n (n^2 - 1)): ranks of b are 2 1 4 3 5,
  // d^2 = 1 1 1 1 0 -> 1 - 6 * 4 / 120 = 0.8
  double a[5] = {1, 2, 3, 4, 5}, b[5] = {20, 10, 40, 30, 50};
  assert_near(sl_spearman(a, b, 5, work), 0.8, 1e-15, 0);
  // ties: x = 1 2 3 4, y = 1 2 2 3 -> ranks 1 2.5 2.5 4; Pearson of (1 2 3 4) and those:
  // mean 2.5, deviations -1.5 -.5 .5 1.5 and -1.5 0 0 1.5: sxy = 4.5, sxx = 5, syy = 4.5
  // -> rho = 4.5 / sqrt(22.5) = sqrt(0.9)
  double u[4] = {1, 2, 3, 4}, v[4] = {1, 2, 2, 3};
  assert_near(sl_spearman(u, v, 4, work), sqrt(0.9), 1e-15, 0);
  // the ranks do not depend on the order of the rows
  double u2[4] = {3, 1, 4, 2}, v2[4] = {2, 1, 3, 2};
  assert_near(sl_spearman(u2, v2, 4, work), sqrt(0.9), 1e-15, 0);
  // constant input: NaN
  double c[4] = {5, 5, 5, 5};
  assert_true(isnan(sl_spearman(u, c, 4, work)));
  assert_true(isnan(sl_spearman(c, u, 4, work)));
  assert_true(isnan(sl_spearman(u, v, 1, work)));
}

static void test_rmse(void** state) {
  (void)state;
  // differences 3 -4 0 0 -> sqrt(25 / 4) = 2.5
  double x[4] = {4, 0, 1, 2}, y[4] = {1, 4, 1, 2};
  assert_near(sl_rmse(x, y, 4), 2.5, 1e-15, 0);
  assert_near(sl_rmse(y, x, 4), 2.5, 1e-15, 0);
  assert_near(sl_rmse(x, x, 4), 0, 0, 0);
  assert_near(sl_rmse(x, y, 1), 3, 1e-15, 0);
  assert_true(isnan(sl_rmse(x, y, 0)));
}

// the normal distribution and its inverse against tabulated values; quantiles by interpolation
static void test_normal_quantile(void** state) {
  (void)state;
  assert_near(sl_norm_cdf(0.0), 0.5, 1e-15, 0);
  assert_near(sl_norm_cdf(1.959963984540054), 0.975, 1e-14, 0);
  assert_near(sl_norm_ppf(0.975), 1.959963984540054, 1e-12, 0);
  assert_near(sl_norm_ppf(0.05), -1.6448536269514722, 1e-12, 0);
  assert_near(sl_norm_ppf(1e-10), -6.361340902404056, 1e-9, 0);
  for (double p = 0.001; p < 1.0; p += 0.0137)
    assert_near(sl_norm_cdf(sl_norm_ppf(p)), p, 1e-14, 0);
  assert_true(isinf(sl_norm_ppf(0.0)) && sl_norm_ppf(0.0) < 0);
  assert_true(isnan(sl_norm_ppf(1.5)));
  const double x[5] = {1, 2, 3, 4, 10};
  assert_near(sl_quantile_sorted(x, 5, 0.5), 3.0, 0, 0);
  assert_near(sl_quantile_sorted(x, 5, 0.05), 1.2, 1e-15, 0);
  assert_near(sl_quantile_sorted(x, 5, 0.95), 8.8, 1e-14, 0);
  assert_near(sl_quantile_sorted(x, 1, 0.95), 1.0, 0, 0);
  assert_true(isnan(sl_quantile_sorted(x, 0, 0.5)));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pearson),         cmocka_unit_test(test_ranks),
      cmocka_unit_test(test_spearman),        cmocka_unit_test(test_rmse),
      cmocka_unit_test(test_normal_quantile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
