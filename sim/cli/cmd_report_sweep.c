// cmd_report_sweep.c: `spineload report SWEEP.h5`: what the sweep says.
//
// Sensitivity: for every swept parameter, position and role, the Spearman rank correlation
// between the parameter's value and the load index over all combinations (rows that have a
// result). Rank stability: in every combination the positions are ranked by the larger load
// index of their partners; each position's mean, spread and range of rank over the sweep, and
// Kendall's W (agreement of the rankings across combinations, 1 = always the same order).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sl_h5.h"
#include "sl_stats.h"
#include "sl_sweep.h"

#define ROWS_PER_READ 65536

int report_sweep(const char* path, const CliOpts* o) {
  slError  e;
  slH5*    f = NULL;
  int      rc = EXIT_OK;
  char**   pos = NULL;
  char**   roles = NULL;
  size_t   npos = 0, nroles = 0;
  double * li = NULL, *par = NULL, *buf = NULL, *x = NULL, *y = NULL, *work = NULL;
  int32_t* idx = NULL;
  int32_t* sta = NULL;
  char     cols[4096] = "";
  if (sl_h5_open(&f, path, 0, &e) != SL_OK) return cli_error(&e);
  int    rank = 0;
  size_t dm[4], dp[4];
  if (sl_h5_read_strings(f, "/sweep/position_names", &pos, &npos, &e) != SL_OK ||
      sl_h5_read_strings(f, "/sweep/role_names", &roles, &nroles, &e) != SL_OK ||
      sl_h5_shape(f, "/sweep/metrics", &rank, dm, &e) != SL_OK ||
      sl_h5_shape(f, "/sweep/params", &rank, dp, &e) != SL_OK ||
      sl_h5_read_attr_str(f, "/sweep/params", "columns", cols, sizeof cols, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  size_t nrow = dm[0], nm = dm[1], np = dp[1];
  long   ncomb = (long)(nrow / (2 * (npos ? npos : 1)));
  if (nm != SL_SM_COUNT || ncomb < 1) {
    sl_fail(&e, SL_ERR_PARSE, path, "not a complete spineload sweep file");
    rc = cli_error(&e);
    goto done;
  }
  // load index per (comb, pos, role) and parameters per combination, read in blocks
  li = malloc(sizeof(double) * nrow);
  par = malloc(sizeof(double) * (size_t)ncomb * np);
  buf = malloc(sizeof(double) * ROWS_PER_READ * (nm > np ? nm : np));
  idx = malloc(sizeof(int32_t) * ROWS_PER_READ * 3);
  sta = malloc(sizeof(int32_t) * ROWS_PER_READ);
  x = malloc(sizeof(double) * (size_t)ncomb);
  y = malloc(sizeof(double) * (size_t)ncomb);
  work = malloc(sizeof(double) * 4 * (size_t)ncomb);
  if (!li || !par || !buf || !idx || !sta || !x || !y || !work) {
    rc = EXIT_FAIL;
    goto done;
  }
  for (size_t at = 0; at < nrow; at += ROWS_PER_READ) {
    size_t n = nrow - at < ROWS_PER_READ ? nrow - at : ROWS_PER_READ;
    if (sl_h5_read_rows(f, "/sweep/metrics", SL_H5_F64, at, n, buf, &e) != SL_OK ||
        sl_h5_read_rows(f, "/sweep/status", SL_H5_I32, at, n, sta, &e) != SL_OK) {
      rc = cli_error(&e);
      goto done;
    }
    for (size_t i = 0; i < n; i++) li[at + i] = sta[i] >= 0 ? buf[i * nm + SL_SM_LOAD_INDEX] : NAN;
    if (sl_h5_read_rows(f, "/sweep/params", SL_H5_F64, at, n, buf, &e) != SL_OK) {
      rc = cli_error(&e);
      goto done;
    }
    for (size_t i = 0; i < n; i++) {
      size_t row = at + i;
      if (row % (2 * npos)) continue;  // the first row of a combination
      memcpy(par + (row / (2 * npos)) * np, buf + i * np, sizeof(double) * np);
    }
  }
  int csv = o->format && !strcmp(o->format, "csv");
  // parameter names from the "columns" attribute ("a; b; c")
  char*  pname[SL_SWEEP_MAXPAR + 1];
  size_t k = 0;
  for (char* t = strtok(cols, ";"); t && k < np; t = strtok(NULL, ";")) {
    while (*t == ' ') t++;
    pname[k++] = t;
  }
  for (; k < np; k++) pname[k] = "?";
  printf(csv ? "parameter,position,role,spearman_rho_load_index,n\n"
             : "Sensitivity of the load index (Spearman rank correlation over %ld combinations)\n\n"
               "| parameter | position | role | rho | n |\n|---|---|---|---:|---:|\n",
         ncomb);
  for (size_t q = 0; q < np; q++)
    for (size_t p = 0; p < npos; p++)
      for (int r = 0; r < 2; r++) {
        if (!roles[2 * p + r][0]) continue;
        int n = 0;
        for (long c = 0; c < ncomb; c++) {
          double v = li[((size_t)c * npos + p) * 2 + (size_t)r];
          if (isnan(v)) continue;
          x[n] = par[(size_t)c * np + q];
          y[n] = v;
          n++;
        }
        double rho = n > 2 ? sl_spearman(x, y, n, work) : NAN;
        if (csv)
          printf("%s,%s,%s,%.4f,%d\n", pname[q], pos[p], roles[2 * p + r], rho, n);
        else
          printf("| %s | %s | %s | %+.3f | %d |\n", pname[q], pos[p], roles[2 * p + r], rho, n);
      }
  // rank stability
  double* sumr = calloc(npos, sizeof(double));
  double* sumr2 = calloc(npos, sizeof(double));
  int*    rmin = malloc(sizeof(int) * npos);
  int*    rmax = calloc(npos, sizeof(int));
  double* worst = malloc(sizeof(double) * npos);
  int*    rk = malloc(sizeof(int) * npos);
  long    used = 0;
  if (!sumr || !sumr2 || !rmin || !rmax || !worst || !rk) {
    free(sumr), free(sumr2), free(rmin), free(rmax), free(worst), free(rk);
    rc = EXIT_FAIL;
    goto done;
  }
  for (size_t p = 0; p < npos; p++) rmin[p] = (int)npos + 1;
  for (long c = 0; c < ncomb; c++) {
    int ok = 1;
    for (size_t p = 0; p < npos; p++) {
      double a = li[((size_t)c * npos + p) * 2], b = li[((size_t)c * npos + p) * 2 + 1];
      if (isnan(a) && roles[2 * p + 1][0] == 0) b = a;
      if (isnan(a) || (roles[2 * p + 1][0] && isnan(b))) ok = 0;
      worst[p] = fmax(a, isnan(b) ? a : b);
    }
    if (!ok) continue;
    sl_rank_scores(worst, (int)npos, rk);
    for (size_t p = 0; p < npos; p++) {
      sumr[p] += rk[p];
      sumr2[p] += (double)rk[p] * rk[p];
      if (rk[p] < rmin[p]) rmin[p] = rk[p];
      if (rk[p] > rmax[p]) rmax[p] = rk[p];
    }
    used++;
  }
  // Kendall's W from the rank sums
  double mean_sum = used * (npos + 1) / 2.0, S = 0;
  for (size_t p = 0; p < npos; p++) S += (sumr[p] - mean_sum) * (sumr[p] - mean_sum);
  double W = (used > 1 && npos > 1)
                 ? 12.0 * S / ((double)used * used * ((double)npos * npos * npos - npos))
                 : NAN;
  if (csv) {
    printf("\nposition,mean_rank,sd_rank,min_rank,max_rank\n");
  } else {
    printf(
        "\nRank stability of the positions over %ld combinations (1 = gentlest; Kendall's W = "
        "%.3f)\n\n| position | mean rank | sd | best | worst |\n|---|---:|---:|---:|---:|\n",
        used, W);
  }
  for (size_t p = 0; p < npos; p++) {
    double m = used ? sumr[p] / used : NAN;
    double sd = used ? sqrt(fmax(0, sumr2[p] / used - m * m)) : NAN;
    if (csv)
      printf("%s,%.3f,%.3f,%d,%d\n", pos[p], m, sd, rmin[p], rmax[p]);
    else
      printf("| %s | %.2f | %.2f | %d | %d |\n", pos[p], m, sd, rmin[p], rmax[p]);
  }
  if (csv) printf("# kendall_w,%.4f\n", W);
  free(sumr), free(sumr2), free(rmin), free(rmax), free(worst), free(rk);
done:
  free(li), free(par), free(buf), free(idx), free(sta), free(x), free(y), free(work);
  if (pos) sl_h5_free_strings(pos, npos);
  if (roles) sl_h5_free_strings(roles, nroles);
  sl_h5_close(f);
  return rc;
}
