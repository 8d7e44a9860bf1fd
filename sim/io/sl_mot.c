// sl_mot.c: OpenSim motion files (.mot, .sto) in, and disc loads over time out as .sto.
//
// Motion file: header lines up to `endheader` (`inDegrees=yes|no` decides the unit of the
// rotational columns; `nRows=`, `nColumns=` are checked when given), then a line of column labels
// whose first is `time`, then one row of numbers per frame, time increasing. Each other column
// names a coordinate of the model; columns the model lacks are one error naming all of them.
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_status.h"

#define MOT_MAXCOL 256

void sl_mot_free(slMot* mt) {
  if (!mt) return;
  free(mt->time);
  free(mt->coord);
  free(mt->value);
  free(mt->rate);
  free(mt->accel);
  free(mt);
}

// Cubic smoothing spline (Reinsch 1967; Green & Silverman 1994, ch. 2): g minimises
// sum (y_i - g(x_i))^2 + lambda int g''^2 dx. With h_i = x_{i+1} - x_i, the second derivatives
// gamma at the interior knots solve (R + lambda Q'Q) gamma = Q'y (R tridiagonal, Q'Q
// pentadiagonal: a banded LDL' here), the values are g = y - lambda Q gamma, and g is the natural
// cubic spline through (x, g) with those second derivatives. Out: g' and g'' at the knots. n >= 2;
// n == 2 is the straight line. work: 8 n doubles.
static void smooth_rates(const double* x, const double* y, int n, double lambda, double* d1,
                         double* d2, double* work) {
  double *h = work, *a0 = work + n, *a1 = work + 2 * n, *a2 = work + 3 * n, *b = work + 4 * n;
  double *gam = work + 5 * n, *g = work + 6 * n;
  for (int i = 0; i < n - 1; i++) h[i] = x[i + 1] - x[i];
  int m = n - 2;  // interior knots 1..n-2, unknown k = i - 1
  for (int k = 0; k < m; k++) {
    int i = k + 1;
    // Q column i: q[i-1] = 1/h[i-1], q[i] = -1/h[i-1] - 1/h[i], q[i+1] = 1/h[i]
    double qa = 1 / h[i - 1], qb = -1 / h[i - 1] - 1 / h[i], qc = 1 / h[i];
    double qn_a = k + 1 < m ? 1 / h[i] : 0;  // column i+1 entries on rows i, i+1
    double qn_b = k + 1 < m ? -1 / h[i] - 1 / h[i + 1] : 0;
    double qnn_a = k + 2 < m ? 1 / h[i + 1] : 0;  // column i+2 entry on row i+1
    a0[k] = (h[i - 1] + h[i]) / 3 + lambda * (qa * qa + qb * qb + qc * qc);
    a1[k] = k + 1 < m ? h[i] / 6 + lambda * (qb * qn_a + qc * qn_b) : 0;
    a2[k] = k + 2 < m ? lambda * qc * qnn_a : 0;
    b[k] = (y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1];
  }
  // LDL' of the symmetric pentadiagonal matrix (diagonal a0, off-diagonals a1, a2), in place
  for (int k = 0; k < m; k++) {
    if (k >= 1) {
      a0[k] -= a1[k - 1] * a1[k - 1] * a0[k - 1];
      if (k >= 2) a0[k] -= a2[k - 2] * a2[k - 2] * a0[k - 2];
    }
    if (k + 1 < m) {
      double t = a1[k];
      if (k >= 1) t -= a1[k - 1] * a2[k - 1] * a0[k - 1];
      a1[k] = t / a0[k];
    }
    if (k + 2 < m) a2[k] = a2[k] / a0[k];
  }
  for (int k = 0; k < m; k++) {
    gam[k] = b[k];
    if (k >= 1) gam[k] -= a1[k - 1] * gam[k - 1];
    if (k >= 2) gam[k] -= a2[k - 2] * gam[k - 2];
  }
  for (int k = 0; k < m; k++) gam[k] /= a0[k];
  for (int k = m - 1; k >= 0; k--) {
    if (k + 1 < m) gam[k] -= a1[k] * gam[k + 1];
    if (k + 2 < m) gam[k] -= a2[k] * gam[k + 2];
  }
  // second derivatives at all knots (natural ends) and the smoothed values
  double* c2 = b;  // reuse
  c2[0] = c2[n - 1] = 0;
  for (int k = 0; k < m; k++) c2[k + 1] = gam[k];
  for (int i = 0; i < n; i++) {
    double qg = 0;  // (Q gamma)_i
    if (i >= 2) qg += c2[i - 1] / h[i - 1];
    if (i >= 1 && i <= n - 2) qg += c2[i] * (-1 / h[i - 1] - 1 / h[i]);
    if (i <= n - 3) qg += c2[i + 1] / h[i];
    g[i] = y[i] - lambda * qg;
  }
  for (int i = 0; i < n - 1; i++)
    d1[i] = (g[i + 1] - g[i]) / h[i] - h[i] * (2 * c2[i] + c2[i + 1]) / 6;
  d1[n - 1] = (g[n - 1] - g[n - 2]) / h[n - 2] + h[n - 2] * (c2[n - 2] + 2 * c2[n - 1]) / 6;
  for (int i = 0; i < n; i++) d2[i] = c2[i];
}

slStatus sl_smooth_rates(const double* t, const double* y, int n, double lambda, double* d1,
                         double* d2, slError* err) {
  if (!(lambda >= 0) || !isfinite(lambda))
    return sl_fail(err, SL_ERR_RANGE, NULL, "motion smoothing must be >= 0, got %g", lambda);
  if (n < 2) {
    for (int i = 0; i < n; i++) d1[i] = d2[i] = 0.0;
    return SL_OK;
  }
  double* work = malloc(sizeof(double) * 8 * ((size_t)n + 2));
  if (!work) return sl_fail(err, SL_ERR_NOMEM, NULL, "out of memory");
  smooth_rates(t, y, n, lambda, d1, d2, work);
  free(work);
  return SL_OK;
}

slStatus sl_mot_rates(slMot* mt, double lambda, slError* err) {
  if (!(lambda >= 0) || !isfinite(lambda))
    return sl_fail(err, SL_ERR_RANGE, NULL, "motion smoothing must be >= 0, got %g", lambda);
  size_t n = (size_t)mt->nframe, nc = (size_t)mt->ncol;
  free(mt->rate);
  free(mt->accel);
  mt->rate = calloc(n * nc, sizeof(double));
  mt->accel = calloc(n * nc, sizeof(double));
  double* work = malloc(sizeof(double) * 11 * (n + 2));
  if (!mt->rate || !mt->accel || !work) {
    free(work);
    return sl_fail(err, SL_ERR_NOMEM, NULL, "out of memory");
  }
  if (n >= 2) {
    double *y = work + 8 * (n + 2), *d1 = y + n, *d2 = d1 + n;
    for (size_t k = 0; k < nc; k++) {
      for (size_t i = 0; i < n; i++) y[i] = mt->value[i * nc + k];
      smooth_rates(mt->time, y, (int)n, lambda, d1, d2, work);
      for (size_t i = 0; i < n; i++) {
        mt->rate[i * nc + k] = d1[i];
        mt->accel[i * nc + k] = d2[i];
      }
    }
  }
  free(work);
  return SL_OK;
}

// next line of buf from *pos: [*s, *s + *n), without the newline; 0 at the end
static int next_line(const char* buf, size_t len, size_t* pos, const char** s, size_t* n) {
  if (*pos >= len) return 0;
  *s = buf + *pos;
  const char* nl = memchr(*s, '\n', len - *pos);
  *n = nl ? (size_t)(nl - *s) : len - *pos;
  *pos += *n + (nl ? 1 : 0);
  while (*n && ((*s)[*n - 1] == '\r')) (*n)--;
  return 1;
}

static int blank(const char* s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isspace((unsigned char)s[i])) return 0;
  return 1;
}

// `key=value` header line: value of key (case-insensitive key), copied into out
static int header_value(const char* s, size_t n, const char* key, char* out, size_t cap) {
  size_t k = strlen(key);
  if (n <= k || s[k] != '=') return 0;
  for (size_t i = 0; i < k; i++)
    if (tolower((unsigned char)s[i]) != tolower((unsigned char)key[i])) return 0;
  size_t m = n - k - 1;
  if (m >= cap) m = cap - 1;
  memcpy(out, s + k + 1, m);
  out[m] = '\0';
  while (m && isspace((unsigned char)out[m - 1])) out[--m] = '\0';
  return 1;
}

slStatus sl_mot_parse(const char* buf, size_t len, const char* fname, const slModel* m, slMot** out,
                      slError* err) {
  *out = NULL;
  if (!fname) fname = "<input>";
  if (!buf && len) return sl_fail(err, SL_ERR_ARG, fname, "sl_mot_parse: no input");
  char        where[600];
  size_t      pos = 0, n = 0;
  const char* s = NULL;
  int         line = 0, indeg = -1, header_end = 0;
  long        nrows = -1, ncols = -1;
  // header
  while (next_line(buf, len, &pos, &s, &n)) {
    line++;
    char v[64];
    if (n >= 9 && !strncmp(s, "endheader", 9) && blank(s + 9, n - 9)) {
      header_end = line;
      break;
    }
    if (header_value(s, n, "inDegrees", v, sizeof v)) {
      snprintf(where, sizeof where, "%s:%d", fname, line);
      if (!strcmp(v, "yes"))
        indeg = 1;
      else if (!strcmp(v, "no"))
        indeg = 0;
      else
        return sl_fail(err, SL_ERR_PARSE, where, "inDegrees must be yes or no, got '%s'", v);
    } else if (header_value(s, n, "nRows", v, sizeof v) ||
               header_value(s, n, "datarows", v, sizeof v)) {
      nrows = strtol(v, NULL, 10);
    } else if (header_value(s, n, "nColumns", v, sizeof v) ||
               header_value(s, n, "datacolumns", v, sizeof v)) {
      ncols = strtol(v, NULL, 10);
    }
  }
  if (!header_end)
    return sl_fail(err, SL_ERR_PARSE, fname, "no 'endheader' line (not an OpenSim motion file)");
  if (indeg < 0) {
    snprintf(where, sizeof where, "%s:%d", fname, header_end);
    return sl_fail(
        err, SL_ERR_PARSE, where,
        "the header does not say inDegrees=yes or inDegrees=no (the unit of the angles)");
  }
  // labels
  do {
    if (!next_line(buf, len, &pos, &s, &n))
      return sl_fail(err, SL_ERR_PARSE, fname, "no column labels after 'endheader'");
    line++;
  } while (blank(s, n));
  int  label_line = line;
  char labels[MOT_MAXCOL][SL_NAME];
  int  ncol = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && isspace((unsigned char)s[i])) i++;
    size_t j = i;
    while (j < n && !isspace((unsigned char)s[j])) j++;
    if (j == i) break;
    snprintf(where, sizeof where, "%s:%d", fname, line);
    if (ncol == MOT_MAXCOL)
      return sl_fail(err, SL_ERR_RANGE, where, "more than %d columns", MOT_MAXCOL);
    if (j - i >= SL_NAME) return sl_fail(err, SL_ERR_RANGE, where, "column label too long");
    snprintf(labels[ncol++], SL_NAME, "%.*s", (int)(j - i), s + i);
    i = j;
  }
  snprintf(where, sizeof where, "%s:%d", fname, label_line);
  if (ncol < 2 || strcmp(labels[0], "time"))
    return sl_fail(err, SL_ERR_PARSE, where,
                   "the first column label must be 'time', followed by coordinates");
  if (ncols >= 0 && ncols != ncol)
    return sl_fail(err, SL_ERR_PARSE, where, "%d column labels, the header says nColumns=%ld", ncol,
                   ncols);
  slMot* mt = calloc(1, sizeof *mt);
  if (!mt) return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory");
  mt->ncol = ncol - 1;
  mt->in_degrees = indeg;
  mt->coord = malloc(sizeof(int) * (size_t)mt->ncol);
  if (!mt->coord) {
    sl_mot_free(mt);
    return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory");
  }
  // every unknown coordinate, in one message
  char unknown[600] = "";
  int  nunknown = 0;
  for (int k = 1; k < ncol; k++) {
    mt->coord[k - 1] = sl_model_coord(m, labels[k]);
    for (int j = 1; j < k; j++)
      if (!strcmp(labels[j], labels[k])) {
        sl_mot_free(mt);
        return sl_fail(err, SL_ERR_PARSE, where, "column '%s' is given twice", labels[k]);
      }
    if (mt->coord[k - 1] < 0) {
      nunknown++;
      sl_strcat(unknown, sizeof unknown, ", ", labels[k]);
    }
  }
  if (nunknown) {
    sl_mot_free(mt);
    return sl_fail(err, SL_ERR_KEY, where, "%d column%s the model '%s' has no coordinate for: %s",
                   nunknown, nunknown == 1 ? "" : "s", m->name, unknown);
  }
  // rows
  int cap = 0;
  while (next_line(buf, len, &pos, &s, &n)) {
    line++;
    if (blank(s, n)) continue;
    snprintf(where, sizeof where, "%s:%d", fname, line);
    if (mt->nframe == cap) {
      int     c2 = cap ? 2 * cap : 64;
      double* t = realloc(mt->time, sizeof(double) * (size_t)c2);
      if (t) mt->time = t;
      double* v = t ? realloc(mt->value, sizeof(double) * (size_t)c2 * (size_t)mt->ncol) : NULL;
      if (!t || !v) {
        sl_mot_free(mt);
        return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory");
      }
      mt->value = v;
      cap = c2;
    }
    char   tmp[64];
    size_t i = 0;
    for (int k = 0; k < ncol; k++) {
      while (i < n && isspace((unsigned char)s[i])) i++;
      size_t j = i;
      while (j < n && !isspace((unsigned char)s[j])) j++;
      if (j == i || j - i >= sizeof tmp) {
        sl_mot_free(mt);
        return sl_fail(err, SL_ERR_PARSE, where, "row has %d values, expected %d", k, ncol);
      }
      memcpy(tmp, s + i, j - i);
      tmp[j - i] = '\0';
      char* e = NULL;
      errno = 0;
      double x = strtod(tmp, &e);
      if (*e || e == tmp || !isfinite(x) || errno == ERANGE) {
        sl_mot_free(mt);
        return sl_fail(err, SL_ERR_PARSE, where, "column '%s': '%s' is not a number", labels[k],
                       tmp);
      }
      if (k == 0) {
        if (mt->nframe && !(x > mt->time[mt->nframe - 1])) {
          double prev = mt->time[mt->nframe - 1];
          sl_mot_free(mt);
          return sl_fail(err, SL_ERR_RANGE, where, "time %g does not increase (previous %g)", x,
                         prev);
        }
        mt->time[mt->nframe] = x;
      } else {
        int c = mt->coord[k - 1];
        if (indeg && m->coord_type[c] == SL_AX_ROT) x *= SL_DEG;
        mt->value[(size_t)mt->nframe * (size_t)mt->ncol + (size_t)(k - 1)] = x;
      }
      i = j;
    }
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i < n) {
      sl_mot_free(mt);
      return sl_fail(err, SL_ERR_PARSE, where, "row has more than %d values", ncol);
    }
    mt->nframe++;
  }
  if (mt->nframe == 0) {
    sl_mot_free(mt);
    return sl_fail(err, SL_ERR_PARSE, fname, "no rows after the column labels");
  }
  if (nrows >= 0 && nrows != mt->nframe) {
    snprintf(where, sizeof where, "%s:%d", fname, line);
    long got = mt->nframe;
    sl_mot_free(mt);
    return sl_fail(err, SL_ERR_PARSE, where, "%ld rows, the header says nRows=%ld", got, nrows);
  }
  *out = mt;
  return SL_OK;
}

slStatus sl_mot_load(const char* path, const slModel* m, slMot** out, slError* err) {
  *out = NULL;
  char*    text = NULL;
  size_t   len = 0;
  slStatus st = sl_read_file(path, &text, &len, err);
  if (st == SL_OK) st = sl_mot_parse(text, len, path, m, out, err);
  sl_free_buf(text);
  return st;
}

// One OpenSim storage table of rows `row` (nrow) of r at times `time` (nrow): disc loads per level,
// or (muscles) every fascicle's tension. title names the table; source is what it came from.
slStatus sl_sto_table(const char* title, const char* source, const slModel* m, const slResults* r,
                      int nrow, const int* row, const double* time, int muscles, char** text,
                      slError* err) {
  *text = NULL;
  static const char* const what[4] = {"compression", "shear_ap", "shear_lat", "idp"};
  int                      ncol = muscles ? m->nmus : SL_NLEVEL * 4;
  size_t cap = 4096 + strlen(title) + strlen(source) + (size_t)m->nmus * (SL_NAME + 2) +
               (size_t)nrow * (size_t)(ncol + 1) * 26;
  char* b = malloc(cap);
  if (!b) return sl_fail(err, SL_ERR_NOMEM, source, "out of memory");
  size_t n = 0;
#define PUT(...) \
  if (n < cap) n += (size_t)snprintf(b + n, cap - n, __VA_ARGS__)
  PUT("%s %s\nversion=1\nnRows=%d\nnColumns=%d\ninDegrees=no\n", title,
      muscles ? "muscle forces" : "disc loads", nrow, 1 + ncol);
  if (muscles) {
    PUT("units: time s; every fascicle's tension N\n");
  } else {
    PUT("units: time s; LEVEL_compression, LEVEL_shear_ap, LEVEL_shear_lat N (disc frame: + "
        "pressing, + superior vertebra anterior, + to the right); LEVEL_idp MPa\nlevels:");
    for (int l = 0; l < SL_NLEVEL; l++) PUT(" %s", m->lev_name[l]);
    PUT("\n");
  }
  PUT("written by spineload from %s\nendheader\ntime", source);
  if (muscles) {
    for (int k = 0; k < m->nmus; k++) PUT("\t%s", m->mus_name[k]);
  } else {
    for (int l = 0; l < SL_NLEVEL; l++) {
      char lev[16];
      snprintf(lev, sizeof lev, "%s", m->lev_name[l]);
      for (char* p = lev; *p; p++)
        if (*p == '/') *p = '_';
      for (int a = 0; a < 4; a++) PUT("\t%s_%s", lev, what[a]);
    }
  }
  PUT("\n");
  for (int j = 0; j < nrow; j++) {
    int i = row ? row[j] : j;
    PUT("%.9g", time[j]);
    if (muscles) {
      for (int k = 0; k < m->nmus; k++)
        PUT("\t%.9g", r->mus_force[(size_t)i * (size_t)m->nmus + (size_t)k]);
    } else {
      for (int l = 0; l < SL_NLEVEL; l++) {
        size_t at = (size_t)(SL_NLEVEL * i + l);
        PUT("\t%.9g\t%.9g\t%.9g\t%.9g", r->comp[at], r->shear_ap[at], r->shear_lat[at], r->idp[at]);
      }
    }
    PUT("\n");
  }
#undef PUT
  if (n >= cap) {  // cannot happen with the sizes above; never a cut table
    free(b);
    return sl_fail(err, SL_ERR_NOMEM, source, "motion table larger than its buffer");
  }
  *text = b;
  return SL_OK;
}

// the scenario's motion frames: their rows and times
static slStatus scenario_rows(const slScenario* sc, const slResults* r, int** row, double** time,
                              int* nrow, slError* err) {
  *nrow = 0;
  for (int i = 0; i < r->n && i < sc->npost; i++) *nrow += sc->post[i].frame >= 0;
  if (!*nrow)
    return sl_fail(err, SL_ERR_ARG, sc->file,
                   "no posture of the scenario comes from a motion file");
  *row = malloc(sizeof(int) * (size_t)*nrow);
  *time = malloc(sizeof(double) * (size_t)*nrow);
  if (!*row || !*time) return sl_fail(err, SL_ERR_NOMEM, sc->file, "out of memory");
  int j = 0;
  for (int i = 0; i < r->n && i < sc->npost; i++)
    if (sc->post[i].frame >= 0) (*row)[j] = i, (*time)[j++] = sc->post[i].time;
  return SL_OK;
}

static slStatus scenario_table(const slScenario* sc, const slResults* r, int muscles, char** text,
                               slError* err) {
  *text = NULL;
  int*     row = NULL;
  double*  time = NULL;
  int      nrow = 0;
  char     src[1200];
  slStatus st = scenario_rows(sc, r, &row, &time, &nrow, err);
  snprintf(src, sizeof src, "scenario %s", sc->file);
  if (st == SL_OK)
    st = sl_sto_table(sc->name, src, sc->model, r, nrow, row, time, muscles, text, err);
  free(row);
  free(time);
  return st;
}

slStatus sl_sto_disc_loads(const slScenario* sc, const slResults* r, char** text, slError* err) {
  return scenario_table(sc, r, 0, text, err);
}

slStatus sl_sto_muscle_forces(const slScenario* sc, const slResults* r, char** text, slError* err) {
  return scenario_table(sc, r, 1, text, err);
}
