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
