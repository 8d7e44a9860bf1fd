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

void sl_ranks(const double* x, int n, double* rank, double* work) {
  // insertion sort of indices by value (n is small where this is used), ties share the mean rank
  double* idx = work;
  for (int i = 0; i < n; i++) idx[i] = i;
  for (int i = 1; i < n; i++) {
    double v = idx[i];
    int    j = i - 1;
    while (j >= 0 && x[(int)idx[j]] > x[(int)v]) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
  for (int i = 0; i < n;) {
    int j = i;
    while (j + 1 < n && x[(int)idx[j + 1]] == x[(int)idx[i]]) j++;
    double r = 0.5 * (i + j) + 1.0;
    for (int k = i; k <= j; k++) rank[(int)idx[k]] = r;
    i = j + 1;
  }
}

double sl_spearman(const double* x, const double* y, int n, double* work) {
  double* rx = work;
  double* ry = work + n;
  sl_ranks(x, n, rx, work + 2 * n);
  sl_ranks(y, n, ry, work + 2 * n);
  return sl_pearson(rx, ry, n);
}

double sl_rmse(const double* x, const double* y, int n) {
  if (n < 1) return NAN;
  double s = 0;
  for (int i = 0; i < n; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
  return sqrt(s / n);
}
