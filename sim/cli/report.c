// report.c: `spineload report RESULTS.h5 [--format md|csv] [-o FILE] [--plots DIR]`.
// A rank file (/ranking): the ranking table, and with --plots a ranking bar chart
// (ranking.svg) and per-level peak compression profiles (profiles.svg). A sweep file (/sweep):
// the sensitivities and rank stability of cmd_report_sweep.c.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sl_h5.h"
#include "sl_io.h"
#include "sl_position.h"
#include "svgw.h"

#define NNUM 9

// the columns of /ranking that the report shows, in order
static const char* const NUM_COLS[NNUM] = {
    "load_index",    "peak_compression_L4L5",  "peak_compression_L5S1",    "peak_shear",
    "peak_idp_L4L5", "lumbar_flexion_pct_rom", "lumbar_extension_pct_rom", "mean_compression_L4L5",
    "max_reserve"};

typedef struct Table {
  size_t   n;
  char **  pos, **role, **note;
  int32_t *rank, *flagged;
  double*  num[NNUM];
  double*  prof;  // (n x SL_NLEVEL) peak compression per level [N]
} Table;

static void table_free(Table* t) {
  sl_h5_free_strings(t->pos, t->pos ? t->n : 0);
  sl_h5_free_strings(t->role, t->role ? t->n : 0);
  sl_h5_free_strings(t->note, t->note ? t->n : 0);
  free(t->rank), free(t->flagged), free(t->prof);
  for (int k = 0; k < NNUM; k++) free(t->num[k]);
}

// a string column of /ranking with exactly n rows
static slStatus read_str_col(slH5* f, const char* col, size_t n, char*** out, slError* e) {
  char   path[128];
  size_t got = 0;
  snprintf(path, sizeof path, "/ranking/%s", col);
  slStatus st = sl_h5_read_strings(f, path, out, &got, e);
  if (st == SL_OK && got != n) {
    sl_h5_free_strings(*out, got);
    *out = NULL;
    return sl_fail(e, SL_ERR_HDF5, path, "%zu rows, expected %zu", got, n);
  }
  return st;
}

static slStatus table_read(slH5* f, Table* t, slError* e) {
  int      rank = 0;
  size_t   dims[4];
  slStatus st = sl_h5_shape(f, "/ranking", &rank, dims, e);
  if (st != SL_OK) return st;
  if (rank != 1) return sl_fail(e, SL_ERR_HDF5, "/ranking", "not a table");
  size_t n = t->n = dims[0];
  t->rank = calloc(n + 1, sizeof(int32_t));
  t->flagged = calloc(n + 1, sizeof(int32_t));
  t->prof = calloc((n + 1) * SL_NLEVEL, sizeof(double));
  int ok = t->rank && t->flagged && t->prof;
  for (int k = 0; k < NNUM; k++) ok = (t->num[k] = calloc(n + 1, sizeof(double))) && ok;
  if (!ok) return sl_fail(e, SL_ERR_NOMEM, "/ranking", "out of memory");
  st = read_str_col(f, "position", n, &t->pos, e);
  if (!st) st = read_str_col(f, "role", n, &t->role, e);
  if (!st) st = read_str_col(f, "note", n, &t->note, e);
  if (!st) st = sl_h5_read(f, "/ranking/rank", SL_H5_I32, t->rank, e);
  if (!st) st = sl_h5_read(f, "/ranking/flagged_samples", SL_H5_I32, t->flagged, e);
  for (int k = 0; k < NNUM && !st; k++) {
    char path[128];
    snprintf(path, sizeof path, "/ranking/%s", NUM_COLS[k]);
    st = sl_h5_read(f, path, SL_H5_F64, t->num[k], e);
  }
  // per-level peaks from each role's disc compression (samples x levels)
  for (size_t i = 0; i < n && !st; i++) {
    char path[600];
    snprintf(path, sizeof path, "/positions/%s/%s/disc/compression", t->pos[i], t->role[i]);
    size_t d2[4];
    int    r2 = 0;
    st = sl_h5_shape(f, path, &r2, d2, e);
    if (st) break;
    if (r2 != 2 || d2[1] != SL_NLEVEL) return sl_fail(e, SL_ERR_HDF5, path, "unexpected shape");
    double* c = malloc(sizeof(double) * d2[0] * SL_NLEVEL + 1);
    if (!c) return sl_fail(e, SL_ERR_NOMEM, path, "out of memory");
    st = sl_h5_read(f, path, SL_H5_F64, c, e);
    for (size_t s = 0; s < d2[0] && !st; s++)
      for (int l = 0; l < SL_NLEVEL; l++)
        t->prof[i * SL_NLEVEL + l] = fmax(t->prof[i * SL_NLEVEL + l], c[s * SL_NLEVEL + l]);
    free(c);
  }
  return st;
}

static void print_table(FILE* f, int csv, const Table* t) {
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
  for (int32_t k = 1; k <= (int32_t)t->n; k++)
    for (size_t i = 0; i < t->n; i++) {
      if (t->rank[i] != k) continue;
      double* const* v = t->num;
      if (csv)
        fprintf(f, "%d,%s,%s,%.4f,%.1f,%.1f,%.1f,%.4f,%.1f,%.1f,%d,\"%s\"\n", k, t->pos[i],
                t->role[i], v[0][i], v[1][i], v[2][i], v[3][i], v[4][i], v[5][i], v[6][i],
                t->flagged[i], t->note[i]);
      else
        fprintf(f, "| %d | %s | %s | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %d | %s |\n",
                k, t->pos[i], t->role[i], v[0][i], v[1][i], v[2][i], v[3][i], v[4][i], v[5][i],
                v[6][i], t->flagged[i], t->note[i]);
    }
}

// horizontal bars of the load index, rank 1 at the top, a dashed line at 1 (the limits)
static int plot_ranking(const char* path, const Table* t) {
  double maxli = 1.2;
  for (size_t i = 0; i < t->n; i++) maxli = fmax(maxli, t->num[0][i] * 1.05);
  const double left = 330, width = 480, row = 18, top = 60;
  Svgw         s;
  if (svgw_open(&s, path, left + width + 60, top + row * (double)t->n + 60) != 0) return -1;
  svgw_text(&s, 20, 28, 18, "start", "#111", "Load index by position and role (1 = gentlest)");
  svgw_text(&s, 20, 46, 11, "start", "#444",
            "load index = max over the cycle and levels of compression / 3400 N and shear / "
            "700 N; a red label (FLAGGED): needs reserves or beyond joint strength");
  for (int32_t k = 1; k <= (int32_t)t->n; k++)
    for (size_t i = 0; i < t->n; i++) {
      if (t->rank[i] != k) continue;
      double y = top + row * (k - 1);
      char   lab[600], col[8];
      snprintf(lab, sizeof lab, "%d. %s / %s%s", k, t->pos[i], t->role[i],
               t->flagged[i] ? " (FLAGGED)" : "");
      svgw_text(&s, left - 8, y + 12, 11, "end", t->flagged[i] ? "#b00000" : "#222", lab);
      svgw_load_colour(t->num[0][i], 1.0, col);
      svgw_rect(&s, left, y + 2, width * t->num[0][i] / maxli, row - 4, col, NULL);
      snprintf(lab, sizeof lab, "%.2f", t->num[0][i]);
      svgw_text(&s, left + width * t->num[0][i] / maxli + 4, y + 12, 10, "start", "#222", lab);
    }
  double x1 = left + width / maxli, yb = top + row * (double)t->n;
  svgw_dashed(&s, x1, top - 4, x1, yb + 4, "#b00000");
  svgw_text(&s, x1, yb + 18, 10, "middle", "#b00000", "1.0: repetitive-loading limits");
  svgw_line(&s, left, yb + 2, left + width, yb + 2, "#222", 1, 1);
  for (int tk = 0; tk <= (int)(maxli / 0.25); tk++) {
    double x = left + width * tk * 0.25 / maxli;
    char   lab[16];
    snprintf(lab, sizeof lab, "%.2f", tk * 0.25);
    svgw_text(&s, x, yb + 32, 9, "middle", "#444", lab);
  }
  return svgw_close(&s);
}

// small multiples: one panel per position, peak compression (x) against level (y, L5/S1 at the
// bottom), one line per role, a dashed line at 3400 N
static int plot_profiles(const char* path, const Table* t) {
  // positions in order of first appearance by rank
  size_t* first = calloc(t->n + 1, sizeof(size_t));
  int     np = 0;
  if (!first) return -1;
  for (int32_t k = 1; k <= (int32_t)t->n; k++)
    for (size_t i = 0; i < t->n; i++) {
      if (t->rank[i] != k) continue;
      int seen = 0;
      for (int q = 0; q < np; q++) seen |= !strcmp(t->pos[first[q]], t->pos[i]);
      if (!seen) first[np++] = i;
    }
  double xmax = 3600;
  for (size_t i = 0; i < t->n * SL_NLEVEL; i++) xmax = fmax(xmax, t->prof[i] * 1.05);
  const int    cols = 4;
  const double pw = 250, ph = 170, top = 60;
  int          rows = (np + cols - 1) / cols;
  Svgw         s;
  if (svgw_open(&s, path, cols * pw + 20, top + rows * ph + 30) != 0) {
    free(first);
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
    svgw_text(&s, x0, y0 - 4, 11, "start", "#111", t->pos[first[q]]);
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
    int r = 0;
    for (size_t i = 0; i < t->n; i++) {
      if (strcmp(t->pos[i], t->pos[first[q]])) continue;
      const char* c = rc[r % 2];
      double      xy[2 * SL_NLEVEL];
      for (int l = 0; l < SL_NLEVEL; l++) {
        xy[2 * l] = x0 + w * t->prof[i * SL_NLEVEL + l] / xmax;
        xy[2 * l + 1] = y0 + h - h * (l + 0.5) / SL_NLEVEL;
      }
      svgw_polyline(&s, xy, SL_NLEVEL, c, 2, 1);
      for (int l = 0; l < SL_NLEVEL; l++) svgw_circle(&s, xy[2 * l], xy[2 * l + 1], 2.5, c, NULL);
      char lab[600];
      snprintf(lab, sizeof lab, "%s%s", t->role[i], t->flagged[i] ? " (FLAGGED)" : "");
      // under the axis, first partner on the left, second on the right a line lower
      svgw_text(&s, r % 2 ? x0 + w : x0, y0 + h + 24 + 10 * r, 9, r % 2 ? "end" : "start", c, lab);
      r++;
    }
  }
  svgw_text(&s, 20, top + rows * ph + 14, 10, "start", "#444",
            "x: peak compression over the thrust cycle [N] (grid every 1000 N); y: lumbar level");
  free(first);
  return svgw_close(&s);
}

static int write_table_file(const char* out, int csv, const Table* t) {
  char tmp[1100];
  sl_tmp_name(out, tmp, sizeof tmp);
  FILE* f = fopen(tmp, "w");
  if (!f) return -1;
  print_table(f, csv, t);
  int bad = ferror(f) != 0;
  bad |= fclose(f) != 0;
  if (bad || sl_commit_file(tmp, out, NULL) != SL_OK) {
    remove(tmp);
    return -1;
  }
  return 0;
}

// the sweep summary (printed by report_sweep on stdout) into out, through a temporary name:
// stdout is pointed at the temporary file for the call
static int sweep_to_file(const char* path, const CliOpts* o) {
  char tmp[1100];
  sl_tmp_name(o->out, tmp, sizeof tmp);
  fflush(stdout);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666), saved = dup(STDOUT_FILENO);
  if (fd < 0 || saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
    if (fd >= 0) close(fd), remove(tmp);
    if (saved >= 0) close(saved);
    fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
    return EXIT_FAIL;
  }
  close(fd);
  int rc = report_sweep(path, o);
  int bad = fflush(stdout) != 0 || fsync(STDOUT_FILENO) != 0;
  dup2(saved, STDOUT_FILENO);
  close(saved);
  if (rc == EXIT_OK && !bad && sl_commit_file(tmp, o->out, NULL) == SL_OK) {
    if (!o->quiet) fprintf(stderr, "spineload: wrote %s\n", o->out);
    return EXIT_OK;
  }
  remove(tmp);
  if (rc == EXIT_OK) {
    fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
    rc = EXIT_FAIL;
  }
  return rc;
}

int cli_cmd_report(int argc, char** argv, const CliOpts* o) {
  (void)argc, (void)argv;
  if (o->npos != 1) return cli_usage_error("report needs one results file");
  const char* path = o->pos[0];
  slError     e;
  slH5*       f = NULL;
  if (access(path, R_OK) != 0) return cli_usage_error("cannot read '%s'", path);
  if (sl_h5_open(&f, path, 0, &e) != SL_OK) return cli_error(&e);
  int sweep = sl_h5_exists(f, "/sweep"), ranking = sl_h5_exists(f, "/ranking");
  if (sweep) {
    sl_h5_close(f);
    if (o->plots && !o->quiet)
      fprintf(stderr, "spineload: note: --plots draws rank files only; no plots for a sweep\n");
    return o->out ? sweep_to_file(path, o) : report_sweep(path, o);
  }
  if (!ranking) {
    sl_h5_close(f);
    return cli_usage_error("%s is not a spineload rank or sweep file (no /ranking or /sweep)",
                           path);
  }
  Table t;
  memset(&t, 0, sizeof t);
  int rc = EXIT_OK;
  int csv = o->format && !strcmp(o->format, "csv");
  if (table_read(f, &t, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  if (o->out) {
    if (write_table_file(o->out, csv, &t) != 0) {
      fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
      rc = EXIT_FAIL;
      goto done;
    }
    if (!o->quiet) fprintf(stderr, "spineload: wrote %s\n", o->out);
  } else {
    print_table(stdout, csv, &t);
  }
  if (o->plots) {
    if (mkdir(o->plots, 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "spineload: error: cannot create directory %s\n", o->plots);
      rc = EXIT_FAIL;
      goto done;
    }
    char p1[1100], p2[1100];
    snprintf(p1, sizeof p1, "%s/ranking.svg", o->plots);
    snprintf(p2, sizeof p2, "%s/profiles.svg", o->plots);
    if (plot_ranking(p1, &t) != 0 || plot_profiles(p2, &t) != 0) {
      fprintf(stderr, "spineload: error: cannot write the plots in %s\n", o->plots);
      rc = EXIT_FAIL;
      goto done;
    }
    if (!o->quiet) fprintf(stderr, "spineload: wrote %s\nspineload: wrote %s\n", p1, p2);
  }
done:
  table_free(&t);
  sl_h5_close(f);
  return rc;
}
