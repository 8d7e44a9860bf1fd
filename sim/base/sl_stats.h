// sl_stats.h: small statistics for validation tables and sweep summaries.
#ifndef SL_STATS_H
#define SL_STATS_H

// Pearson correlation of x and y (n >= 2); NaN if either is constant.
double sl_pearson(const double* x, const double* y, int n);
// Spearman rank correlation (average ranks for ties); work holds 4n doubles.
double sl_spearman(const double* x, const double* y, int n, double* work);
// root-mean-square of x - y
double sl_rmse(const double* x, const double* y, int n);
// average ranks (1-based) of x into rank; work holds 2n doubles
void sl_ranks(const double* x, int n, double* rank, double* work);

// standard normal distribution function Phi(x)
double sl_norm_cdf(double x);
// its inverse: x with Phi(x) = p, p in (0, 1) (Acklam's rational approximation with one Halley
// step, |error| < 1e-13); -inf at 0, +inf at 1, NaN outside [0, 1]
double sl_norm_ppf(double p);
// the q-quantile (0..1) of x[0..n-1] sorted ascending (linear interpolation between order
// statistics, Hyndman & Fan type 7); NaN if n < 1
double sl_quantile_sorted(const double* x, int n, double q);

#endif
