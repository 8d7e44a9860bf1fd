// report.c: `spineload report RESULTS.h5 [--format md|csv] [-o FILE] [--plots DIR]`.
// A rank file (/ranking): the ranking table, and with --plots a ranking bar chart
// (ranking.svg) and per-level peak compression profiles (profiles.svg). A sweep file (/sweep):
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
#include "svgw.h"

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

// horizontal bars of the load index, rank 1 at the top, a dashed line at 1 (the limits)
static int plot_ranking(const char* path, const slRankFile* t, slError* e) {
  size_t n = sl_rankfile_rows(t);
  double maxli = 1.2;
  for (size_t i = 0; i < n; i++) maxli = fmax(maxli, sl_rankfile_row(t, i)->load_index * 1.05);
  // room for the longest label (about 6.2 px per character of the 11 px font)
  size_t longest = 0;
  for (size_t i = 0; i < n; i++) {
    const slRankFileRow* r = sl_rankfile_row(t, i);
    size_t               l = strlen(r->title) + strlen(r->role) + 16;
    if (l > longest) longest = l;
  }
  const double left = fmax(330, 20 + 6.2 * (double)longest), width = 480, row = 18, top = 60;
  Svgw         s;
  if (svgw_open(&s, path, left + width + 60, top + row * (double)n + 60) != 0) {
    *e = s.err;
    return -1;
  }
  svgw_text(&s, 20, 28, 18, "start", "#111", "Load index by position and role (1 = gentlest)");
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "load index = max over the cycle and levels of compression / 3400 N and shear / "
            "700 N; a red label (FLAGGED): needs reserves or beyond joint strength");
  for (int k = 1; k <= (int)n; k++)
    for (size_t i = 0; i < n; i++) {
      const slRankFileRow* r = sl_rankfile_row(t, i);
      if (r->rank != k) continue;
      double y = top + row * (k - 1);
      char   lab[600], col[8];
      snprintf(lab, sizeof lab, "%d. %s / %s%s", k, r->title, r->role,
               r->flagged ? " (FLAGGED)" : "");
      svgw_text(&s, left - 8, y + 12, 11, "end", r->flagged ? "#b00000" : "#222", lab);
      svgw_load_colour(r->load_index, 1.0, col);
      svgw_rect(&s, left, y + 2, width * r->load_index / maxli, row - 4, col, NULL);
      snprintf(lab, sizeof lab, "%.2f", r->load_index);
      svgw_text(&s, left + width * r->load_index / maxli + 4, y + 12, 10, "start", "#222", lab);
    }
  double x1 = left + width / maxli, yb = top + row * (double)n;
  svgw_dashed(&s, x1, top - 4, x1, yb + 4, "#b00000");
  svgw_text(&s, x1, yb + 18, 10, "middle", "#b00000", "1.0: repetitive-loading limits");
  svgw_line(&s, left, yb + 2, left + width, yb + 2, "#222", 1, 1);
  for (int tk = 0; tk <= (int)(maxli / 0.25); tk++) {
    double x = left + width * tk * 0.25 / maxli;
    char   lab[16];
    snprintf(lab, sizeof lab, "%.2f", tk * 0.25);
    svgw_text(&s, x, yb + 32, 9, "middle", "#444", lab);
  }
  if (svgw_close(&s) == 0) return 0;
  *e = s.err;
  return -1;
}

// small multiples: one panel per position, peak compression (x) against level (y, L5/S1 at the
// bottom), one line per role, a dashed line at 3400 N
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
  double xmax = 3600;
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < SL_NLEVEL; l++) xmax = fmax(xmax, sl_rankfile_row(t, i)->profile[l] * 1.05);
  const int    cols = 4;
  const double pw = 250, ph = 170, top = 60;
  int          rows = (np + cols - 1) / cols;
  Svgw         s;
  if (svgw_open(&s, path, cols * pw + 20, top + rows * ph + 30) != 0) {
    free(first);
    *e = s.err;
    return -1;
  }
  static const char* const lev[SL_NLEVEL] = {"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1"};
  static const char* const rc[2] = {"#1f5fa8", "#b5651d"};
  svgw_text(&s, 20, 28, 18, "start", "#111", "Peak disc compression per level over the cycle [N]");
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "one panel per position, one line per partner (named in its colour); dashed: the "
            "3400 N NIOSH action limit");
  for (int q = 0; q < np; q++) {
    double x0 = 10 + (q % cols) * pw + 50, y0 = top + (q / cols) * ph + 20;
    double w = pw - 70, h = ph - 60;
    svgw_text(&s, x0, y0 - 4, 11, "start", "#111", first[q]->title);
    svgw_rect(&s, x0, y0, w, h, "none", "#999");
    for (int l = 0; l < SL_NLEVEL; l++)
      svgw_text(&s, x0 - 4, y0 + h - h * (l + 0.5) / SL_NLEVEL + 3, 8, "end", "#444", lev[l]);
    for (int tk = 1000; tk < xmax; tk += 1000) {  // grid every 1000 N
      char tl[16];
      snprintf(tl, sizeof tl, "%d", tk);
      svgw_line(&s, x0 + w * tk / xmax, y0, x0 + w * tk / xmax, y0 + h, "#e6e6e6", 1, 1);
      svgw_text(&s, x0 + w * tk / xmax, y0 + h + 11, 8, "middle", "#444", tl);
    }
    svgw_text(&s, x0, y0 + h + 11, 8, "middle", "#444", "0");
    double xl = x0 + w * SL_LIMIT_COMPRESSION / xmax;
    svgw_dashed(&s, xl, y0, xl, y0 + h, "#b00000");
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
      svgw_polyline(&s, xy, SL_NLEVEL, c, 2, 1);
      for (int l = 0; l < SL_NLEVEL; l++) svgw_circle(&s, xy[2 * l], xy[2 * l + 1], 2.5, c, NULL);
      char lab[600];
      snprintf(lab, sizeof lab, "%s%s", r->role, r->flagged ? " (FLAGGED)" : "");
      // under the axis, first partner on the left, second on the right a line lower
      svgw_text(&s, ri % 2 ? x0 + w : x0, y0 + h + 24 + 10 * ri, 9, ri % 2 ? "end" : "start", c,
                lab);
      ri++;
    }
  }
  svgw_text(&s, 20, top + rows * ph + 14, 10, "start", "#444",
            "x: peak compression over the thrust cycle [N] (grid every 1000 N); y: lumbar level");
  free(first);
  if (svgw_close(&s) == 0) return 0;
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
    char p1[1100], p2[1100];
    snprintf(p1, sizeof p1, "%s/ranking.svg", o->plots);
    snprintf(p2, sizeof p2, "%s/profiles.svg", o->plots);
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
