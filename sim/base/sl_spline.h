// sl_spline.h: natural cubic splines through knots.
#ifndef SL_SPLINE_H
#define SL_SPLINE_H

// natural cubic spline through (x, y) with 2 <= n <= 64 knots: coefficients c (n x 4), per
// interval i: y = c0 + c1 t + c2 t^2 + c3 t^3 with t = x - x_i (the last row extrapolates linearly)
void sl_spline_fit(const double* x, const double* y, int n, double* c);
// value, first and second derivative at x
void sl_spline_eval(const double* x, const double* c, int n, double at, double* f, double* df,
                    double* ddf);

#endif
