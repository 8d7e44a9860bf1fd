// sl_stats.c: Pearson, Spearman (average ranks) and RMSE.
#include "sl_stats.h"

#include <math.h>
#include <stdlib.h>

double sl_pearson(const double* x, const double* y, int n) {
  if (n < 2) return NAN;
  double mx = 0, my = 0;
  for (int i = 0; i < n; i++) mx += x[i], my += y[i];
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; i++) {
    double a = x[i] - mx, b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (sxx <= 0 || syy <= 0) return NAN;
  return sxy / sqrt(sxx * syy);
}

typedef struct Pair {
  double v;
  long   i;
} Pair;

static int cmp_pair(const void* a, const void* b) {
  const Pair *x = a, *y = b;
  if (x->v < y->v) return -1;
  if (x->v > y->v) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

void sl_ranks(const double* x, int n, double* rank, double* work) {
  // sort (value, index) pairs; ties share the mean rank. work holds 2n doubles (n pairs).
  Pair* p = (Pair*)(void*)work;
  for (int i = 0; i < n; i++) p[i].v = x[i], p[i].i = i;
  qsort(p, (size_t)n, sizeof *p, cmp_pair);
  for (int i = 0; i < n;) {
    int j = i;
    while (j + 1 < n && p[j + 1].v == p[i].v) j++;
    double r = 0.5 * (i + j) + 1.0;
    for (int k = i; k <= j; k++) rank[p[k].i] = r;
    i = j + 1;
  }
}

double sl_spearman(const double* x, const double* y, int n, double* work) {
  double* rx = work;
  double* ry = work + n;
  sl_ranks(x, n, rx, work + 2 * n);
  sl_ranks(y, n, ry, work + 2 * n);  // work holds 4n doubles
  return sl_pearson(rx, ry, n);
}

double sl_rmse(const double* x, const double* y, int n) {
  if (n < 1) return NAN;
  double s = 0;
  for (int i = 0; i < n; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
  return sqrt(s / n);
}

double sl_norm_cdf(double x) {
  return 0.5 * erfc(-x / sqrt(2.0));
}

double sl_norm_ppf(double p) {
  static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                              6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                              3.754408661907416e+00};
  if (!(p >= 0.0 && p <= 1.0)) return NAN;
  if (p == 0.0) return -INFINITY;
  if (p == 1.0) return INFINITY;
  double x;
  if (p < 0.02425) {
    double q = sqrt(-2.0 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p > 1.0 - 0.02425) {
    double q = sqrt(-2.0 * log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // one Halley step on Phi(x) - p
  double e = sl_norm_cdf(x) - p;
  double u = e * sqrt(2.0 * 3.14159265358979323846) * exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

double sl_quantile_sorted(const double* x, int n, double q) {
  if (n < 1) return NAN;
  if (n == 1 || q <= 0.0) return x[0];
  if (q >= 1.0) return x[n - 1];
  double h = q * (n - 1);
  int    i = (int)floor(h);
  if (i >= n - 1) return x[n - 1];
  return x[i] + (h - i) * (x[i + 1] - x[i]);
}
