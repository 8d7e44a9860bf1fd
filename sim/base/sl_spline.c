// sl_spline.c: natural cubic splines (the coupled joint axes of the model: a coordinate drives
// another through a spline). Pure functions of knots and coefficients.
#include "sl_spline.h"

void sl_spline_fit(const double* x, const double* y, int n, double* c) {
  // natural cubic spline: second derivatives m with m_0 = m_{n-1} = 0 (tridiagonal solve)
  double m[64], cp[64], dp[64];
  if (n > 64) n = 64;
  m[0] = m[n - 1] = 0.0;
  if (n > 2) {
    cp[0] = 0.0;
    dp[0] = 0.0;
    for (int i = 1; i < n - 1; i++) {
      double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
      double a = h0, b = 2.0 * (h0 + h1), cc = h1;
      double r = 6.0 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
      double den = b - a * cp[i - 1];
      cp[i] = cc / den;
      dp[i] = (r - a * dp[i - 1]) / den;
    }
    for (int i = n - 2; i >= 1; i--) m[i] = dp[i] - cp[i] * m[i + 1];
  }
  for (int i = 0; i < n - 1; i++) {
    double h = x[i + 1] - x[i];
    c[4 * i + 0] = y[i];
    c[4 * i + 1] = (y[i + 1] - y[i]) / h - h * (2.0 * m[i] + m[i + 1]) / 6.0;
    c[4 * i + 2] = m[i] / 2.0;
    c[4 * i + 3] = (m[i + 1] - m[i]) / (6.0 * h);
  }
  // last row: linear extrapolation beyond the last knot with the end slope
  double        h = x[n - 1] - x[n - 2];
  const double* p = c + 4 * (n - 2);
  c[4 * (n - 1) + 0] = y[n - 1];
  c[4 * (n - 1) + 1] = p[1] + 2.0 * p[2] * h + 3.0 * p[3] * h * h;
  c[4 * (n - 1) + 2] = 0.0;
  c[4 * (n - 1) + 3] = 0.0;
}

void sl_spline_eval(const double* x, const double* c, int n, double at, double* f, double* df,
                    double* ddf) {
  int i;
  if (at <= x[0]) {
    // linear extrapolation below the first knot
    double t = at - x[0];
    *f = c[0] + c[1] * t;
    *df = c[1];
    *ddf = 0.0;
    return;
  }
  if (at >= x[n - 1]) {
    i = n - 1;
  } else {
    int lo = 0, hi = n - 1;  // x[lo] <= at < x[hi]
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      if (x[mid] <= at)
        lo = mid;
      else
        hi = mid;
    }
    i = lo;
  }
  const double* p = c + 4 * i;
  double        t = at - x[i];
  *f = p[0] + t * (p[1] + t * (p[2] + t * p[3]));
  *df = p[1] + t * (2.0 * p[2] + 3.0 * t * p[3]);
  *ddf = 2.0 * p[2] + 6.0 * t * p[3];
}
