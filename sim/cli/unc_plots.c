// unc_plots.c: the figures of `spineload rank --uncertainty N --plots DIR`: load index intervals
// of both partners per position (uncertainty_load_index.svg), rank intervals of the positions
// (uncertainty_ranks.svg) and the inputs that drive each partner's load index
// (uncertainty_sensitivity.svg). The numbers are the library's (sl_rank_uncertainty_*).
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "svgw.h"

static const char* const MOVING = "#1f5fa8";  // moving partner
static const char* const STILL = "#d9822b";   // still partner

// positions in plain rank order (by the worse partner): order[k] = position index
static int position_order(const slRank* rk, int* order, int max) {
  int np = sl_rank_uncertainty_positions(rk);
  if (np > max) np = max;
  for (int k = 0; k < np; k++) order[k] = -1;
  for (int p = 0; p < np; p++) {
    int r = (int)sl_rank_uncertainty_pos(rk, p)->rank_plain;
    if (r >= 1 && r <= np && order[r - 1] < 0)
      order[r - 1] = p;
    else
      for (int k = 0; k < np; k++)
        if (order[k] < 0) {
          order[k] = p;
          break;
        }
  }
  return np;
}

static int plot_li(const char* path, const slRank* rk, slError* e) {
  int    order[256], np = position_order(rk, order, 256), nr = sl_rank_uncertainty_rows(rk);
  double maxli = 1.2;
  for (int i = 0; i < nr; i++) maxli = fmax(maxli, sl_rank_uncertainty_row(rk, i)->li_p95 * 1.05);
  maxli = fmin(maxli, 3.0);  // beyond: clipped, with an arrow head at the edge
  const double left = 250, width = 560, row = 30, top = 80;
  Svgw         s;
  if (svgw_open(&s, path, left + width + 40, top + row * np + 60) != 0) return *e = s.err, -1;
  char buf[256];
  snprintf(buf, sizeof buf,
           "Load index per position, both partners: median and 5-95 %% of the variants");
  svgw_text(&s, 20, 26, 17, "start", "#111", buf);
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "line: 5-95 % interval (an arrow: beyond 3, its end written); dot: median; black "
            "tick: plain ranking; dashed: the limits (1); plain rank order");
  svgw_rect(&s, 20, 56, 10, 10, MOVING, NULL);
  svgw_text(&s, 34, 65, 11, "start", "#333", "moving partner");
  svgw_rect(&s, 140, 56, 10, 10, STILL, NULL);
  svgw_text(&s, 154, 65, 11, "start", "#333", "still partner");
  for (double t = 0; t <= maxli + 1e-9; t += maxli > 3 ? 0.5 : 0.25) {
    double x = left + width * t / maxli;
    svgw_line(&s, x, top - 6, x, top + row * np, "#ddd", 1, 1);
    snprintf(buf, sizeof buf, "%.2f", t);
    svgw_text(&s, x, top + row * np + 16, 10, "middle", "#444", buf);
  }
  svgw_dashed(&s, left + width / maxli, top - 6, left + width / maxli, top + row * np, "#b00");
  svgw_text(&s, left + width / 2, top + row * np + 34, 12, "middle", "#222", "load index");
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    double                  y = top + row * k + row / 2;
    snprintf(buf, sizeof buf, "%d. %s", k + 1, P->position);
    svgw_text(&s, left - 10, y + 4, 12, "end", "#111", buf);
    for (int i = 0; i < nr; i++) {
      const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
      if (strcmp(w->position, P->position) || isnan(w->li_median)) continue;
      double      yy = y + (w->moving ? -6 : 6);
      const char* c = w->moving ? MOVING : STILL;
      double      hi = fmin(w->li_p95, maxli);
      svgw_line(&s, left + width * fmin(w->li_p05, maxli) / maxli, yy, left + width * hi / maxli,
                yy, c, 3, 0.8);
      if (w->li_p95 > maxli) {
        double xe = left + width;
        svgw_arrow(&s, xe - 12, yy, xe + 6, yy, c, 2);
        snprintf(buf, sizeof buf, "%.1f", w->li_p95);
        svgw_text(&s, xe + 8, yy + 4, 9, "start", c, buf);
      }
      svgw_circle(&s, left + width * fmin(w->li_median, maxli) / maxli, yy, 3.5, c, "#fff");
      double xp = left + width * fmin(w->li_plain, maxli) / maxli;
      svgw_line(&s, xp, yy - 5, xp, yy + 5, "#000", 1.5, 1);
    }
  }
  if (svgw_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

static int plot_ranks(const char* path, const slRank* rk, slError* e) {
  int          order[256], np = position_order(rk, order, 256);
  const double left = 250, width = 480, row = 24, top = 70;
  Svgw         s;
  if (svgw_open(&s, path, left + width + 200, top + row * np + 60) != 0) return *e = s.err, -1;
  char buf[256];
  svgw_text(&s, 20, 26, 17, "start", "#111",
            "Rank of each position (worse partner; 1 = gentlest) over the variants");
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "bar: 5-95 % of the complete variants; dot: median; black tick: plain ranking; "
            "shaded: gentlest and most loading thirds; right: chance of each third");
  int    third = (np + 2) / 3;
  double cell = width / (double)np;
  svgw_rect(&s, left, top - 6, cell * third, row * np + 6, "#e8f4e8", NULL);
  svgw_rect(&s, left + cell * (np - third), top - 6, cell * third, row * np + 6, "#f8e6e6", NULL);
  for (int r = 1; r <= np; r++) {
    double x = left + cell * (r - 0.5);
    snprintf(buf, sizeof buf, "%d", r);
    svgw_text(&s, x, top + row * np + 16, 10, "middle", "#444", buf);
  }
  svgw_text(&s, left + width / 2, top + row * np + 34, 12, "middle", "#222", "rank");
  svgw_text(&s, left + width + 20, top - 10, 10, "start", "#333", "P gentlest / most loading");
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    double                  y = top + row * k + row / 2;
    snprintf(buf, sizeof buf, "%s", P->position);
    svgw_text(&s, left - 10, y + 4, 12, "end", "#111", buf);
    if (isnan(P->rank_median)) continue;
    double x0 = left + cell * (P->rank_p05 - 0.5), x1 = left + cell * (P->rank_p95 - 0.5);
    svgw_line(&s, x0, y, x1 > x0 ? x1 : x0 + 1, y, "#555", 6, 0.6);
    svgw_circle(&s, left + cell * (P->rank_median - 0.5), y, 4, "#222", "#fff");
    double xp = left + cell * (P->rank_plain - 0.5);
    svgw_line(&s, xp, y - 8, xp, y + 8, "#000", 2, 1);
    snprintf(buf, sizeof buf, "%.0f %% / %.0f %%", 100 * P->p_gentle, 100 * P->p_loading);
    svgw_text(&s, left + width + 20, y + 4, 11, "start", "#333", buf);
  }
  if (svgw_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

static int plot_sensitivity(const char* path, const slRank* rk, slError* e) {
  int          nr = sl_rank_uncertainty_rows(rk);
  const double left = 260, width = 300, row = 48, top = 70;
  Svgw         s;
  if (svgw_open(&s, path, left + width + 420, top + row * nr + 50) != 0) return *e = s.err, -1;
  char buf[300];
  svgw_text(&s, 20, 26, 17, "start", "#111",
            "What drives each partner's load index: the three inputs of largest |Spearman rho|");
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "bars from 0 to rho (-1 to 1) over the variants with a result; blue: the moving "
            "partner, orange: the still one; a position's own angles as role.angle");
  double x0 = left + width / 2;
  for (int t = -2; t <= 2; t++) {
    double x = x0 + width / 2 * t / 2.0;
    svgw_line(&s, x, top - 6, x, top + row * nr, t ? "#e4e4e4" : "#888", 1, 1);
    snprintf(buf, sizeof buf, "%.1f", t / 2.0);
    svgw_text(&s, x, top + row * nr + 16, 10, "middle", "#444", buf);
  }
  for (int i = 0; i < nr; i++) {
    const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
    double                  y = top + row * i;
    if (i) svgw_line(&s, 20, y, left + width + 400, y, "#f0f0f0", 1, 1);
    snprintf(buf, sizeof buf, "%s / %s", w->position, w->role);
    svgw_text(&s, left - 10, y + row / 2 + 4, 12, "end", "#111", buf);
    for (int a = 0; a < w->ndriver; a++) {
      double yy = y + 8 + 14 * a, rho = w->driver_rho[a];
      double xa = x0, xb = x0 + width / 2 * rho;
      svgw_rect(&s, xa < xb ? xa : xb, yy, fabs(xb - xa) + 0.5, 10, w->moving ? MOVING : STILL,
                NULL);
      snprintf(buf, sizeof buf, "%s %+.2f", w->driver[a], rho);
      svgw_text(&s, left + width + 10, yy + 9, 10, "start", "#333", buf);
    }
  }
  if (svgw_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

int rank_uncertainty_plots(const slRank* rk, const char* dir, int quiet, slError* e) {
  static const char* const names[3] = {"uncertainty_load_index.svg", "uncertainty_ranks.svg",
                                       "uncertainty_sensitivity.svg"};
  for (int k = 0; k < 3; k++) {
    char p[1100];
    snprintf(p, sizeof p, "%s/%s", dir, names[k]);
    int rc = k == 0   ? plot_li(p, rk, e)
             : k == 1 ? plot_ranks(p, rk, e)
                      : plot_sensitivity(p, rk, e);
    if (rc != 0) return -1;
    if (!quiet) fprintf(stderr, "spineload: wrote %s\n", p);
  }
  return 0;
}
