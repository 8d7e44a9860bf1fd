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

#endif
