// report.c: `spineload report RESULTS.h5 [--format md|csv] [-o FILE] [--plots DIR
// [--plot-format svg|pdf|png]]`. A rank file (/ranking): the ranking table, and with --plots a
// ranking bar chart (ranking.F) and per-level peak compression profiles (profiles.F), F the
// plot format. Label columns are as wide as the longest label (measured by cairo), axis ticks
// are chosen so that their labels do not overlap (canvas_ticks) and legends sit outside the
// plotting areas. A sweep file (/sweep):
// the sensitivities and rank stability of cmd_report_sweep.c. The table and the profiles are
// read by sl_rankfile_read; this file prints and draws them.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "canvas.h"

static void print_table(FILE* f, int csv, const slRankFile* t) {
  size_t n = sl_rankfile_rows(t);
  if (csv)
    fprintf(f,
            "rank,position,role,load_index,peak_compression_L4L5_N,peak_compression_L5S1_N,"
            "peak_shear_N,peak_idp_L4L5_MPa,lumbar_flexion_pct_rom,lumbar_extension_pct_rom,"
            "flagged_samples,note\n");
  else
    fprintf(f,
            "| rank | position | role | load index | peak C L4/L5 [N] | peak C L5/S1 [N] | peak "
            "shear [N] | IDP L4/L5 [MPa] | flexion %%ROM | extension %%ROM | flagged | note "
            "|\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (int k = 1; k <= (int)n; k++)
    for (size_t i = 0; i < n; i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      if (r->rank != k) continue;
      if (csv)
        fprintf(f, "%d,%s,%s,%.4f,%.1f,%.1f,%.1f,%.4f,%.1f,%.1f,%d,\"%s\"\n", k, r->position,
                r->role, r->load_index, r->peak_comp_l4l5, r->peak_comp_l5s1, r->peak_shear,
                r->peak_idp_l4l5, r->flex_rom, r->ext_rom, r->flagged, r->note);
      else
        fprintf(f, "| %d | %s | %s | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %d | %s |\n",
                k, r->position, r->role, r->load_index, r->peak_comp_l4l5, r->peak_comp_l5s1,
                r->peak_shear, r->peak_idp_l4l5, r->flex_rom, r->ext_rom, r->flagged, r->note);
    }
}

#define CLIP_LI 3.0  // the load index axis ends here at most

// horizontal bars of the load index, rank 1 at the top, a dashed line at 1 (the limits)
static int plot_ranking(const char* path, const slRankFile* t, slError* e) {
  size_t n = sl_rankfile_rows(t);
  double maxli = 1.2;
  for (size_t i = 0; i < n; i++) maxli = fmax(maxli, sl_rankfile_row(t, i)->load_index * 1.05);
  // beyond 3 (a load far past any limit) the bars are clipped, their value written, so that one
  // outlier does not flatten the rest
  int clipped = maxli > CLIP_LI;
  maxli = fmin(maxli, CLIP_LI);
  // room for the longest label
  double longest = 0;
  char   lab[600];
  for (size_t i = 0; i < n; i++) {
    const slRankFileRow* r = sl_rankfile_row(t, i);
    snprintf(lab, sizeof lab, "%d. %s / %s%s", r->rank, r->title, r->role,
             r->flagged ? " (FLAGGED)" : "");
    longest = fmax(longest, canvas_text_width(11, lab));
  }
  const double left = fmax(200, 20 + longest + 8), width = 480, row = 18, top = 60;
  const char*  title = "Load index by position and role (1 = gentlest)";
  const char*  sub =
      "load index = max over the cycle and levels of compression / 3400 N and shear / 700 N; a "
      "red label (FLAGGED): needs reserves or beyond joint strength";
  // room right of the longest bar for its value
  double page_w = canvas_fit_width(canvas_fit_width(left + width + 60, 20, 18, title), 20, 11, sub);
  Canvas s;
  if (canvas_open(&s, path, page_w, top + row * (double)n + 60 + 14 * clipped) != 0) {
    *e = s.err;
    return -1;
  }
  canvas_heading(&s, 18, 28, title, sub);
  // the limit first, under the bars and their values
  double x1 = left + width / maxli, yb = top + row * (double)n;
  canvas_dashed(&s, x1, top - 4, x1, yb + 4, "#b00000");
  for (int k = 1; k <= (int)n; k++)
    for (size_t i = 0; i < n; i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      if (r->rank != k) continue;
      double y = top + row * (k - 1);
      char   col[8];
      snprintf(lab, sizeof lab, "%d. %s / %s%s", k, r->title, r->role,
               r->flagged ? " (FLAGGED)" : "");
      canvas_text(&s, left - 8, y + 12, 11, "end", r->flagged ? "#b00000" : "#222", lab);
      canvas_load_colour(r->load_index, 1.0, col);
      double li = fmin(r->load_index, maxli);
      canvas_rect(&s, left, y + 2, width * li / maxli, row - 4, col, NULL);
      if (r->load_index > maxli) {  // clipped: a white break near the end
        canvas_line(&s, left + width - 14, y + row - 1, left + width - 8, y + 1, "#ffffff", 2.5, 1);
        canvas_line(&s, left + width - 8, y + row - 1, left + width - 2, y + 1, "#ffffff", 2.5, 1);
      }
      snprintf(lab, sizeof lab, "%.2f", r->load_index);
      canvas_text(&s, left + width * li / maxli + 4, y + 12, 10, "start", "#222", lab);
    }
  canvas_line(&s, left, yb + 2, left + width, yb + 2, "#222", 1, 1);
  double ticks[64], step;
  int    nt = canvas_ticks(0, maxli, width, 9, 8, ticks, 64, &step);
  for (int tk = 0; tk < nt; tk++) {
    double x = left + width * ticks[tk] / maxli;
    canvas_line(&s, x, yb + 2, x, yb + 6, "#222", 1, 1);
    canvas_tick_label(ticks[tk], step, lab, sizeof lab);
    canvas_text(&s, x, yb + 16, 9, "middle", "#444", lab);
  }
  canvas_text(&s, left + width / 2, yb + 32, 10, "middle", "#222", "load index");
  canvas_text(&s, x1 + 4, yb + 46, 10, "start", "#b00000",
              "dashed, 1.0: repetitive-loading limits");
  if (clipped)
    canvas_text(&s, left, yb + 60, 10, "start", "#444",
                "bars beyond 3 are cut (white break), their value written beside them");
  if (canvas_close(&s) == 0) return 0;
  *e = s.err;
  return -1;
}

// small multiples: one panel per position, peak compression (x) against level (y, L5/S1 at the
// bottom), one line per role, a dashed line at 3400 N; the roles' names under each panel
static int plot_profiles(const char* path, const slRankFile* t, slError* e) {
  size_t n = sl_rankfile_rows(t);
  // positions in order of first appearance by rank
  const slRankFileRow** first = calloc(n + 1, sizeof *first);
  int                   np = 0;
  if (!first) return sl_fail(e, SL_ERR_NOMEM, path, "out of memory"), -1;
  for (int k = 1; k <= (int)n; k++)
    for (size_t i = 0; i < n; i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      if (r->rank != k) continue;
      int seen = 0;
      for (int q = 0; q < np; q++) seen |= !strcmp(first[q]->position, r->position);
      if (!seen) first[np++] = r;
    }
  const int    cols = 4;
  const double pw = 250, ph = 176, top = 60;
  int          rows = (np + cols - 1) / cols;
  const char*  title = "Peak disc compression per level over the cycle [N]";
  const char*  sub =
      "one panel per position, one line per partner (named in its colour under the panel); "
      "dashed: the 3400 N NIOSH action limit";
  const char* foot =
      "x: peak compression over the thrust cycle [N], 0 to 3600 N or to the panel's largest value "
      "beyond; y: lumbar level";
  double page_w = canvas_fit_width(canvas_fit_width(cols * pw + 20, 20, 18, title), 20, 11, sub);
  Canvas s;
  if (canvas_open(&s, path, page_w, top + rows * ph + 30) != 0) {
    free(first);
    *e = s.err;
    return -1;
  }
  static const char* const lev[SL_NLEVEL] = {"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1"};
  static const char* const rc[2] = {"#1f5fa8", "#b5651d"};
  canvas_heading(&s, 18, 28, title, sub);
  double lw = 0;
  for (int l = 0; l < SL_NLEVEL; l++) lw = fmax(lw, canvas_text_width(8, lev[l]));
  for (int q = 0; q < np; q++) {
    double x0 = 10 + (q % cols) * pw + lw + 14, y0 = top + (q / cols) * ph + 20;
    double w = pw - (lw + 14) - 24, h = ph - 66;
    char   tl[600];
    canvas_fit(11, first[q]->title, pw - 20, tl, sizeof tl);
    canvas_text(&s, x0 - lw - 4, y0 - 5, 11, "start", "#111", tl);
    canvas_rect(&s, x0, y0, w, h, "none", "#999");
    for (int l = 0; l < SL_NLEVEL; l++)
      canvas_text(&s, x0 - 4, y0 + h - h * (l + 0.5) / SL_NLEVEL + 3, 8, "end", "#444", lev[l]);
    // the panel's own range: 0 to 3600 N, or to its largest value beyond that (one position
    // far beyond the limit does not flatten the others)
    double xmax = 3600;
    for (size_t i = 0; i < n; i++)
      if (!strcmp(sl_rankfile_row(t, i)->position, first[q]->position))
        for (int l = 0; l < SL_NLEVEL; l++)
          xmax = fmax(xmax, sl_rankfile_row(t, i)->profile[l] * 1.05);
    double ticks[64], step;
    int    nt = canvas_ticks(0, xmax, w, 8, 6, ticks, 64, &step);
    for (int tk = 0; tk < nt; tk++) {
      double x = x0 + w * ticks[tk] / xmax;
      if (ticks[tk] > 0) canvas_line(&s, x, y0, x, y0 + h, "#e6e6e6", 1, 1);
      canvas_tick_label(ticks[tk], step, tl, sizeof tl);
      canvas_text(&s, x, y0 + h + 11, 8, "middle", "#444", tl);
    }
    double xl = x0 + w * SL_LIMIT_COMPRESSION / xmax;
    canvas_dashed(&s, xl, y0, xl, y0 + h, "#b00000");
    int ri = 0;
    for (size_t i = 0; i < n; i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      if (strcmp(r->position, first[q]->position)) continue;
      const char* c = rc[ri % 2];
      double      xy[2 * SL_NLEVEL];
      for (int l = 0; l < SL_NLEVEL; l++) {
        xy[2 * l] = x0 + w * r->profile[l] / xmax;
        xy[2 * l + 1] = y0 + h - h * (l + 0.5) / SL_NLEVEL;
      }
      canvas_polyline(&s, xy, SL_NLEVEL, c, 2, 1);
      for (int l = 0; l < SL_NLEVEL; l++) canvas_circle(&s, xy[2 * l], xy[2 * l + 1], 2.5, c, NULL);
      char lab[600];
      snprintf(lab, sizeof lab, "%s%s", r->role, r->flagged ? " (FLAGGED)" : "");
      // under the axis labels, one line per partner, outside the plotting area
      canvas_rect(&s, x0, y0 + h + 17 + 11 * ri, 10, 3, c, NULL);
      canvas_fit(9, lab, w - 14, tl, sizeof tl);
      canvas_text(&s, x0 + 14, y0 + h + 22 + 11 * ri, 9, "start", c, tl);
      ri++;
    }
  }
  canvas_text(&s, 20, top + rows * ph + 14, 10, "start", "#444", foot);
  free(first);
  if (canvas_close(&s) == 0) return 0;
  *e = s.err;
  return -1;
}

static int write_table_file(const char* out, int csv, const slRankFile* t, slError* e) {
  char  tmp[1100];
  FILE* f = sl_atomic_open(out, tmp, sizeof tmp, e);
  if (!f) return -1;
  print_table(f, csv, t);
  return sl_atomic_commit(f, tmp, out, e) == SL_OK ? 0 : -1;
}

// the sweep summary (printed by report_sweep on stdout) into out, through a temporary name:
// stdout is pointed at the temporary file for the call
static int sweep_to_file(const char* path, const CliOpts* o) {
  char tmp[1100];
  fflush(stdout);
  slError e;
  FILE*   f = sl_atomic_open(o->out, tmp, sizeof tmp, &e);
  if (!f) return cli_error(&e);
  int saved = dup(STDOUT_FILENO);
  if (saved < 0 || dup2(fileno(f), STDOUT_FILENO) < 0) {
    sl_atomic_abort(f, tmp);
    if (saved >= 0) close(saved);
    cli_msg("spineload: error: cannot redirect the report to %s\n", o->out);
    return EXIT_FAIL;
  }
  int rc = report_sweep(path, o);
  int bad = fflush(stdout) != 0;
  dup2(saved, STDOUT_FILENO);
  close(saved);
  if (rc != EXIT_OK || bad) {
    sl_atomic_abort(f, tmp);
  } else if (sl_atomic_commit(f, tmp, o->out, &e) == SL_OK) {
    if (!o->quiet) cli_msg("spineload: wrote %s\n", o->out);
    return EXIT_OK;
  } else {
    return cli_error(&e);
  }
  if (rc == EXIT_OK) {
    cli_msg("spineload: error: cannot write %s\n", o->out);
    rc = EXIT_FAIL;
  }
  return rc;
}

int cli_cmd_report(int argc, char** argv, const CliOpts* o) {
  (void)argc, (void)argv;
  if (o->npos != 1) return cli_usage_error("report needs one results file");
  const char*   path = o->pos[0];
  slError       e;
  slResultsKind kind;
  if (access(path, R_OK) != 0) return cli_usage_error("cannot read '%s'", path);
  if (sl_results_kind(path, &kind, &e) != SL_OK) return cli_error(&e);
  if (o->plot_format && !o->plots) return cli_usage_error("--plot-format is for --plots DIR");
  if (kind == SL_RESULTS_SWEEP) {
    if (o->plots) cli_msg("spineload: note: --plots draws rank files only; no plots for a sweep\n");
    return o->out ? sweep_to_file(path, o) : report_sweep(path, o);
  }
  if (kind != SL_RESULTS_RANK)
    return cli_usage_error("%s is not a spineload rank or sweep file (no /ranking or /sweep)",
                           path);
  slRankFile* t = NULL;
  int         rc = EXIT_OK;
  int         csv = o->format && !strcmp(o->format, "csv");
  if (sl_rankfile_read(path, &t, &e) != SL_OK) return cli_error(&e);
  if (o->out) {
    if (write_table_file(o->out, csv, t, &e) != 0) {
      rc = cli_error(&e);
      goto done;
    }
    if (!o->quiet) cli_msg("spineload: wrote %s\n", o->out);
  } else {
    print_table(stdout, csv, t);
  }
  // the flagged rows counted (their numbers need reserves or exceed a joint's strength)
  size_t nrow = sl_rankfile_rows(t), nflag = 0;
  for (size_t i = 0; i < nrow; i++) nflag += sl_rankfile_row(t, i)->flagged > 0;
  if (!csv && !o->out)
    printf(
        "\n%zu of %zu rows flagged (needs reserve actuators or a joint beyond its strength: read "
        "their numbers as beyond what the model can balance)\n",
        nflag, nrow);
  else if (nflag)
    cli_msg("spineload: note: %zu of %zu rows flagged (column flagged)\n", nflag, nrow);
  if (o->plots) {
    if (mkdir(o->plots, 0777) != 0 && errno != EEXIST) {
      sl_fail(&e, SL_ERR_IO, o->plots, "cannot create the directory: %s", strerror(errno));
      rc = cli_error(&e);
      goto done;
    }
    char        p1[1100], p2[1100];
    const char* ext = o->plot_format ? o->plot_format : "svg";
    snprintf(p1, sizeof p1, "%s/ranking.%s", o->plots, ext);
    snprintf(p2, sizeof p2, "%s/profiles.%s", o->plots, ext);
    if (plot_ranking(p1, t, &e) != 0 || plot_profiles(p2, t, &e) != 0) {
      rc = cli_error(&e);
      goto done;
    }
    if (!o->quiet) cli_msg("spineload: wrote %s\nspineload: wrote %s\n", p1, p2);
  }
done:
  sl_rankfile_free(t);
  return rc;
}
