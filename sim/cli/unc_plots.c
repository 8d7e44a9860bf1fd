// unc_plots.c: the figures of `spineload rank --uncertainty N --plots DIR [--plot-format F]`:
// load index intervals of both partners per position (uncertainty_load_index.F), rank intervals
// of the positions (uncertainty_ranks.F) and the inputs that drive each partner's load index
// (uncertainty_sensitivity.F), F svg, pdf or png. Positions go by their titles; the label column
// is as wide as the longest label (measured), the axes' ticks are chosen so that their labels
// do not overlap (canvas_ticks), and the legends sit above the plotting area. The numbers are
// the library's (sl_rank_uncertainty_*).
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "canvas.h"

static const char* const MOVING = "#1f5fa8";  // moving partner
static const char* const STILL = "#d9822b";   // still partner

// the partners' colours, above the plotting area (y: the swatches' top)
static void partner_legend(Canvas* s, double y) {
  double lx = 20;
  canvas_rect(s, lx, y, 10, 10, MOVING, NULL);
  canvas_text(s, lx + 14, y + 9, 11, "start", "#333", "moving partner");
  lx += 14 + canvas_text_width(11, "moving partner") + 20;
  canvas_rect(s, lx, y, 10, 10, STILL, NULL);
  canvas_text(s, lx + 14, y + 9, 11, "start", "#333", "still partner");
}

static const char* title_of(const char* title, const char* id) {
  return title && *title ? title : id;
}

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
  char buf[512];
  // the label column: as wide as the longest "k. title"
  double lab = 120;
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    snprintf(buf, sizeof buf, "%d. %s", k + 1, title_of(P->title, P->position));
    lab = fmax(lab, canvas_text_width(12, buf));
  }
  const double left = 20 + lab + 10, width = 560, row = 30, top = 80;
  const char*  title = "Load index per position, both partners: median and 5-95 % of the variants";
  const char*  sub =
      "line: 5-95 % interval (an arrow: beyond 3, its end written); dot: median; black tick: "
      "plain ranking; dashed: the limits (1); plain rank order";
  double page_w = canvas_fit_width(canvas_fit_width(left + width + 40, 20, 17, title), 20, 11, sub);
  Canvas s;
  if (canvas_open(&s, path, page_w, top + row * np + 60) != 0) return *e = s.err, -1;
  canvas_heading(&s, 17, 26, title, sub);
  partner_legend(&s, 56);
  double ticks[64], step;
  int    nt = canvas_ticks(0, maxli, width, 10, 8, ticks, 64, &step);
  for (int t = 0; t < nt; t++) {
    double x = left + width * ticks[t] / maxli;
    canvas_line(&s, x, top - 6, x, top + row * np, "#ddd", 1, 1);
    canvas_tick_label(ticks[t], step, buf, sizeof buf);
    canvas_text(&s, x, top + row * np + 16, 10, "middle", "#444", buf);
  }
  canvas_dashed(&s, left + width / maxli, top - 6, left + width / maxli, top + row * np, "#b00");
  canvas_text(&s, left + width / 2, top + row * np + 34, 12, "middle", "#222", "load index");
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    double                  y = top + row * k + row / 2;
    snprintf(buf, sizeof buf, "%d. %s", k + 1, title_of(P->title, P->position));
    canvas_text(&s, left - 10, y + 4, 12, "end", "#111", buf);
    for (int i = 0; i < nr; i++) {
      const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
      if (strcmp(w->position, P->position) || isnan(w->li_median)) continue;
      double      yy = y + (w->moving ? -6 : 6);
      const char* c = w->moving ? MOVING : STILL;
      double      hi = fmin(w->li_p95, maxli);
      canvas_line(&s, left + width * fmin(w->li_p05, maxli) / maxli, yy, left + width * hi / maxli,
                  yy, c, 3, 0.8);
      if (w->li_p95 > maxli) {
        double xe = left + width;
        canvas_arrow(&s, xe - 12, yy, xe + 6, yy, c, 2);
        snprintf(buf, sizeof buf, "%.1f", w->li_p95);
        canvas_text(&s, xe + 8, yy + 4, 9, "start", c, buf);
      }
      canvas_circle(&s, left + width * fmin(w->li_median, maxli) / maxli, yy, 3.5, c, "#fff");
      double xp = left + width * fmin(w->li_plain, maxli) / maxli;
      canvas_line(&s, xp, yy - 5, xp, yy + 5, "#000", 1.5, 1);
    }
  }
  if (canvas_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

static int plot_ranks(const char* path, const slRank* rk, slError* e) {
  int    order[256], np = position_order(rk, order, 256);
  char   buf[512];
  double lab = 120;
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    lab = fmax(lab, canvas_text_width(12, title_of(P->title, P->position)));
  }
  const double left = 20 + lab + 10, width = 480, row = 24, top = 70;
  const char*  title = "Rank of each position (worse partner; 1 = gentlest) over the variants";
  const char*  sub =
      "bar: 5-95 % of the complete variants; dot: median; black tick: plain ranking; shaded: "
      "gentlest and most loading thirds; right: chance of each third";
  const char* head = "P gentlest / most loading";
  double      page_w = canvas_fit_width(
           canvas_fit_width(canvas_fit_width(left + width + 20, left + width + 20, 10, head), 20, 17,
                            title),
           20, 11, sub);
  page_w = canvas_fit_width(page_w, left + width + 20, 11, "100 % / 100 %");
  Canvas s;
  if (canvas_open(&s, path, page_w, top + row * np + 60) != 0) return *e = s.err, -1;
  canvas_heading(&s, 17, 26, title, sub);
  int    third = (np + 2) / 3;
  double cell = width / (double)(np > 0 ? np : 1);
  canvas_rect(&s, left, top - 6, cell * third, row * np + 6, "#e8f4e8", NULL);
  canvas_rect(&s, left + cell * (np - third), top - 6, cell * third, row * np + 6, "#f8e6e6", NULL);
  double ticks[256], step;
  int    nt = np > 1 ? canvas_ticks(1, np, cell * (np - 1), 10, 6, ticks, 256, &step) : 0;
  if (np == 1) ticks[0] = 1, step = 1, nt = 1;
  for (int t = 0; t < nt; t++) {
    double x = left + cell * (ticks[t] - 0.5);
    canvas_tick_label(ticks[t], step, buf, sizeof buf);
    canvas_text(&s, x, top + row * np + 16, 10, "middle", "#444", buf);
  }
  canvas_text(&s, left + width / 2, top + row * np + 34, 12, "middle", "#222", "rank");
  canvas_text(&s, left + width + 20, top - 10, 10, "start", "#333", head);
  for (int k = 0; k < np; k++) {
    const slUncertaintyPos* P = sl_rank_uncertainty_pos(rk, order[k]);
    double                  y = top + row * k + row / 2;
    canvas_text(&s, left - 10, y + 4, 12, "end", "#111", title_of(P->title, P->position));
    if (isnan(P->rank_median)) continue;
    double x0 = left + cell * (P->rank_p05 - 0.5), x1 = left + cell * (P->rank_p95 - 0.5);
    canvas_line(&s, x0, y, x1 > x0 ? x1 : x0 + 1, y, "#555", 6, 0.6);
    canvas_circle(&s, left + cell * (P->rank_median - 0.5), y, 4, "#222", "#fff");
    double xp = left + cell * (P->rank_plain - 0.5);
    canvas_line(&s, xp, y - 8, xp, y + 8, "#000", 2, 1);
    snprintf(buf, sizeof buf, "%.0f %% / %.0f %%", 100 * P->p_gentle, 100 * P->p_loading);
    canvas_text(&s, left + width + 20, y + 4, 11, "start", "#333", buf);
  }
  if (canvas_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

static int plot_sensitivity(const char* path, const slRank* rk, slError* e) {
  int    nr = sl_rank_uncertainty_rows(rk);
  char   buf[512];
  double lab = 120, drv = 100;
  for (int i = 0; i < nr; i++) {
    const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
    snprintf(buf, sizeof buf, "%s / %s", title_of(w->title, w->position), w->role);
    lab = fmax(lab, canvas_text_width(12, buf));
    for (int a = 0; a < w->ndriver; a++) {
      snprintf(buf, sizeof buf, "%s %+.2f", w->driver[a], w->driver_rho[a]);
      drv = fmax(drv, canvas_text_width(10, buf));
    }
  }
  const double left = 20 + lab + 10, width = 300, row = 48, top = 84;
  const char*  title =
      "What drives each partner's load index: the three inputs of largest |Spearman rho|";
  const char* sub =
      "bars from 0 to rho (-1 to 1) over the variants with a result, in the partner's colour; a "
      "position's own angles as role.angle";
  double page_w =
      canvas_fit_width(canvas_fit_width(left + width + 10 + drv + 20, 20, 17, title), 20, 11, sub);
  Canvas s;
  if (canvas_open(&s, path, page_w, top + row * nr + 50) != 0) return *e = s.err, -1;
  canvas_heading(&s, 17, 26, title, sub);
  partner_legend(&s, 56);
  double x0 = left + width / 2;
  for (int t = -2; t <= 2; t++) {
    double x = x0 + width / 2 * t / 2.0;
    canvas_line(&s, x, top - 6, x, top + row * nr, t ? "#e4e4e4" : "#888", 1, 1);
    snprintf(buf, sizeof buf, "%.1f", t / 2.0);
    canvas_text(&s, x, top + row * nr + 16, 10, "middle", "#444", buf);
  }
  for (int i = 0; i < nr; i++) {
    const slUncertaintyRow* w = sl_rank_uncertainty_row(rk, i);
    double                  y = top + row * i;
    if (i) canvas_line(&s, 20, y, page_w - 20, y, "#f0f0f0", 1, 1);
    snprintf(buf, sizeof buf, "%s / %s", title_of(w->title, w->position), w->role);
    canvas_text(&s, left - 10, y + row / 2 + 4, 12, "end", "#111", buf);
    for (int a = 0; a < w->ndriver; a++) {
      double yy = y + 8 + 14 * a, rho = w->driver_rho[a];
      double xa = x0, xb = x0 + width / 2 * rho;
      canvas_rect(&s, xa < xb ? xa : xb, yy, fabs(xb - xa) + 0.5, 10, w->moving ? MOVING : STILL,
                  NULL);
      snprintf(buf, sizeof buf, "%s %+.2f", w->driver[a], rho);
      canvas_text(&s, left + width + 10, yy + 9, 10, "start", "#333", buf);
    }
  }
  if (canvas_close(&s) != 0) return *e = s.err, -1;
  return 0;
}

int rank_uncertainty_plots(const slRank* rk, const char* dir, const char* ext, int quiet,
                           slError* e) {
  static const char* const names[3] = {"uncertainty_load_index", "uncertainty_ranks",
                                       "uncertainty_sensitivity"};
  for (int k = 0; k < 3; k++) {
    char p[1100];
    snprintf(p, sizeof p, "%s/%s.%s", dir, names[k], ext);
    int rc = k == 0   ? plot_li(p, rk, e)
             : k == 1 ? plot_ranks(p, rk, e)
                      : plot_sensitivity(p, rk, e);
    if (rc != 0) return -1;
    if (!quiet) cli_msg("spineload: wrote %s\n", p);
  }
  return 0;
}
