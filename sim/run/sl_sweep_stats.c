// sl_sweep_stats.c: what a sweep file says (sl_sweep_summary).
//
// Sensitivity: for every swept parameter, position and role, the Spearman rank correlation
// between the parameter's value and the load index over all combinations (rows that have a
// result). Rank stability: in every combination the positions are ranked by the larger load
// index of their partners; each position's mean, spread and range of rank over the sweep, and
// Kendall's W (agreement of the rankings across combinations, 1 = always the same order).
#define _POSIX_C_SOURCE 200809L  // strtok_r
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_h5.h"
#include "sl_layout.h"
#include "sl_position.h"
#include "sl_stats.h"
#include "sl_sweep.h"
#include "spineload.h"

#define ROWS_PER_READ 65536

// what the summary's strings point into
typedef struct Priv {
  char** pos;
  char** roles;
  size_t npos, nroles;
  char   cols[4096];              // the "columns" attribute of /sweep/params, cut into names
  char   path[SL_LSW_COUNT][64];  // the /sweep datasets (sl_layout_sweep)
} Priv;

// the path of a /sweep dataset (SL_LSW_*)
static const char* sweep_path(Priv* pv, int which) {
  return sl_layout_path(pv->path[which], sizeof pv->path[which], SL_LAYOUT_SWEEP,
                        &sl_layout_sweep[which]);
}

void sl_sweep_summary_free(slSweepSummary* s) {
  if (!s) return;
  Priv* pv = s->priv;
  if (pv) {
    if (pv->pos) sl_h5_free_strings(pv->pos, pv->npos);
    if (pv->roles) sl_h5_free_strings(pv->roles, pv->nroles);
    free(pv);
  }
  free(s->sens);
  free(s->pos);
  free(s);
}

// the load index per row (NaN where the row has no result) and the parameters per combination
// (from its first row), read in slices
static slStatus read_rows(slH5* f, Priv* pv, size_t nrow, size_t npos, size_t np, double* li,
                          double* par, long* flagged, long* failed, slError* err) {
  size_t   nm = SL_SM_COUNT;
  double*  buf = malloc(sizeof(double) * ROWS_PER_READ * (nm > np ? nm : np));
  int32_t* sta = malloc(sizeof(int32_t) * ROWS_PER_READ);
  slStatus st = buf && sta ? SL_OK : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (size_t at = 0; at < nrow && st == SL_OK; at += ROWS_PER_READ) {
    size_t n = nrow - at < ROWS_PER_READ ? nrow - at : ROWS_PER_READ;
    st = sl_h5_read_rows(f, sweep_path(pv, SL_LSW_METRICS), SL_H5_F64, at, n, buf, err);
    if (st == SL_OK)
      st = sl_h5_read_rows(f, sweep_path(pv, SL_LSW_STATUS), SL_H5_I32, at, n, sta, err);
    if (st != SL_OK) break;
    for (size_t i = 0; i < n; i++) {
      li[at + i] = sta[i] >= 0 ? buf[i * nm + SL_SM_LOAD_INDEX] : NAN;
      *flagged += sta[i] > 0;
      *failed += sta[i] == -2 || sta[i] == -3;
    }
    st = sl_h5_read_rows(f, sweep_path(pv, SL_LSW_PARAMS), SL_H5_F64, at, n, buf, err);
    for (size_t i = 0; i < n && st == SL_OK; i++) {
      size_t row = at + i;
      // the first row of a combination; a last one cut short (a stopped run whose last block
      // ended inside it) is not one of the whole combinations par holds
      if (row % (2 * npos) || row / (2 * npos) >= nrow / (2 * npos)) continue;
      memcpy(par + (row / (2 * npos)) * np, buf + i * np, sizeof(double) * np);
    }
  }
  free(buf);
  free(sta);
  return st;
}

// Spearman rho of every (parameter, position, role) that exists
static slStatus sensitivities(slSweepSummary* s, const Priv* pv, const char* const* pname,
                              size_t np, const double* li, const double* par) {
  long    ncomb = s->combinations;
  size_t  npos = pv->npos;
  double* x = malloc(sizeof(double) * (size_t)ncomb);
  double* y = malloc(sizeof(double) * (size_t)ncomb);
  double* work = malloc(sizeof(double) * 4 * (size_t)ncomb);
  s->sens = calloc(np * npos * 2 + 1, sizeof *s->sens);
  if (!x || !y || !work || !s->sens) {
    free(x), free(y), free(work);
    return SL_ERR_NOMEM;
  }
  for (size_t q = 0; q < np; q++)
    for (size_t p = 0; p < npos; p++)
      for (int r = 0; r < 2; r++) {
        if (!pv->roles[2 * p + r][0]) continue;
        int n = 0;
        for (long c = 0; c < ncomb; c++) {
          double v = li[((size_t)c * npos + p) * 2 + (size_t)r];
          if (isnan(v)) continue;
          x[n] = par[(size_t)c * np + q];
          y[n] = v;
          n++;
        }
        slSweepSensitivity* e = &s->sens[s->nsens++];
        e->parameter = pname[q];
        e->position = pv->pos[p];
        e->role = pv->roles[2 * p + r];
        e->rho = n > 2 ? sl_spearman(x, y, n, work) : NAN;
        e->n = n;
      }
  free(x), free(y), free(work);
  return SL_OK;
}

// ranks of the positions per combination, their spread, and Kendall's W from the rank sums
static slStatus rank_stability(slSweepSummary* s, const Priv* pv, const double* li) {
  size_t  npos = pv->npos;
  char**  roles = pv->roles;
  double* sumr = calloc(npos, sizeof(double));
  double* sumr2 = calloc(npos, sizeof(double));
  double* worst = malloc(sizeof(double) * npos);
  int*    rk = malloc(sizeof(int) * npos);
  s->pos = calloc(npos, sizeof *s->pos);
  slStatus st = sumr && sumr2 && worst && rk && s->pos ? SL_OK : SL_ERR_NOMEM;
  for (size_t p = 0; p < npos && st == SL_OK; p++) {
    s->pos[p].position = pv->pos[p];
    s->pos[p].best = (int)npos + 1;
    s->pos[p].worst = 0;
  }
  long used = 0;
  for (long c = 0; c < s->combinations && st == SL_OK; c++) {
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
      if (rk[p] < s->pos[p].best) s->pos[p].best = rk[p];
      if (rk[p] > s->pos[p].worst) s->pos[p].worst = rk[p];
    }
    used++;
  }
  if (st == SL_OK) {
    double mean_sum = used * (npos + 1) / 2.0, S = 0;
    for (size_t p = 0; p < npos; p++) S += (sumr[p] - mean_sum) * (sumr[p] - mean_sum);
    s->kendall_w = (used > 1 && npos > 1)
                       ? 12.0 * S / ((double)used * used * ((double)npos * npos * npos - npos))
                       : NAN;
    s->used = used;
    for (size_t p = 0; p < npos; p++) {
      double m = used ? sumr[p] / used : NAN;
      s->pos[p].mean_rank = m;
      s->pos[p].sd_rank = used ? sqrt(fmax(0, sumr2[p] / used - m * m)) : NAN;
    }
  }
  free(sumr), free(sumr2), free(worst), free(rk);
  return st;
}

slStatus sl_sweep_summary(const char* path, slSweepSummary** out, slError* err) {
  *out = NULL;
  slSweepSummary* s = calloc(1, sizeof *s);
  Priv*           pv = calloc(1, sizeof *pv);
  if (!s || !pv) {
    free(s), free(pv);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  s->priv = pv;
  slH5*       f = NULL;
  double*     li = NULL;
  double*     par = NULL;
  const char* pname[SL_SWEEP_MAXPAR + 1];
  int         rank = 0;
  size_t      dm[4], dp[4], ds[4];
  slStatus    st = sl_h5_open(&f, path, 0, err);
  if (st == SL_OK)
    st = sl_h5_read_strings(f, sweep_path(pv, SL_LSW_POSITION_NAMES), &pv->pos, &pv->npos, err);
  if (st == SL_OK)
    st = sl_h5_read_strings(f, sweep_path(pv, SL_LSW_ROLE_NAMES), &pv->roles, &pv->nroles, err);
  if (st == SL_OK) st = sl_h5_shape(f, sweep_path(pv, SL_LSW_METRICS), &rank, dm, err);
  if (st == SL_OK) st = sl_h5_shape(f, sweep_path(pv, SL_LSW_PARAMS), &rank, dp, err);
  if (st == SL_OK)
    st = sl_h5_read_attr_str(f, sweep_path(pv, SL_LSW_PARAMS), "columns", pv->cols, sizeof pv->cols,
                             err);
  if (st != SL_OK) goto done;
  size_t nrow = dm[0], np = dp[1], npos = pv->npos;
  s->combinations = (long)(nrow / (2 * (npos ? npos : 1)));
  s->npos = (int)npos;
  // a layout sl_sweep_run writes: every metric, two role names per position, at most
  // SL_SWEEP_MAXPAR parameter columns (or the single "none"), a whole combination
  if (dm[1] != SL_SM_COUNT || s->combinations < 1 || npos < 1 || pv->nroles != 2 * npos ||
      np > SL_SWEEP_MAXPAR || dp[0] != nrow) {
    st = sl_fail(err, SL_ERR_PARSE, path, "not a complete spineload sweep file");
    goto done;
  }
  // and of exactly its shapes (2-D metrics and params, one status per row): rows are read in
  // slices sized for them
  st = sl_h5_shape(f, sweep_path(pv, SL_LSW_STATUS), &rank, ds, err);
  if (st != SL_OK) goto done;
  if (dm[2] * dm[3] != 1 || dp[2] * dp[3] != 1 || ds[0] != nrow || ds[1] * ds[2] * ds[3] != 1) {
    st = sl_fail(err, SL_ERR_PARSE, path, "not a complete spineload sweep file");
    goto done;
  }
  // what the run recorded about itself, and the rows' statuses
  {
    const char* keys[3] = {"complete", "blocks_done", "blocks"};
    long        val[3] = {-1, -1, -1};
    for (int a = 0; a < 3; a++) {
      char    buf[64];
      slError ae;
      if (sl_h5_read_attr_str(f, SL_LAYOUT_SWEEP, keys[a], buf, sizeof buf, &ae) == SL_OK)
        val[a] = atol(buf);
    }
    s->complete = val[0] < 0 ? -1 : val[0] != 0;
    s->blocks_done = val[1], s->blocks = val[2];
    s->rows = (long)nrow;
  }
  li = malloc(sizeof(double) * nrow);
  par = malloc(sizeof(double) * (size_t)s->combinations * np);
  if (!li || !par) {
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    goto done;
  }
  st = read_rows(f, pv, nrow, npos, np, li, par, &s->flagged, &s->failed, err);
  if (st != SL_OK) goto done;
  // parameter names from the "columns" attribute ("a; b; c")
  size_t k = 0;
  char*  save = NULL;
  for (char* t = strtok_r(pv->cols, ";", &save); t && k < np; t = strtok_r(NULL, ";", &save)) {
    while (*t == ' ') t++;
    pname[k++] = t;
  }
  for (; k < np; k++) pname[k] = "?";
  st = sensitivities(s, pv, pname, np, li, par);
  if (st == SL_OK) st = rank_stability(s, pv, li);
  if (st != SL_OK) sl_fail(err, st, "", "out of memory");
done:
  free(li), free(par);
  sl_h5_close(f);
  if (st != SL_OK) {
    sl_sweep_summary_free(s);
    return sl_layout_not_a(path, "sweep", st, err);
  }
  *out = s;
  return SL_OK;
}
