// sl_csv.c: a small located CSV reader (see sl_csv.h).
//
// Beyond RFC 4180: '#' comment lines and blank lines are skipped, CRLF is accepted, a UTF-8 byte
// order mark is skipped, and spaces/tabs around a field (outside quotes) are trimmed, so
// "a, b" and "a, \"b\"" read as "a" and "b". Quoted fields may span lines. Columns are counted in
// characters (UTF-8), 1-based.
#include "sl_csv.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"

typedef struct Csv {
  slCsv pub;
  int   hline;      // line of the header
  int*  cell_line;  // (nrow x ncol) line of each cell (differs from the row's after a multi-line
                    // field)
  char* text;       // all field text, NUL-separated
} Csv;

typedef struct Field {
  const char* s;
  int         line, col;
} Field;

typedef struct Reader {
  const char* b;
  size_t      len, i;
  int         line, col;
  char*       out;  // next free byte of the text buffer
  const char* file;
  slError*    err;
} Reader;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static slStatus
failf(slError* err, slStatus code, const char* file, int line, int col, const char* fmt, ...) {
  if (!err) return code;
  char    w[512], msg[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sl_where(w, sizeof w, file, line, col);
  return sl_fail(err, code, w, "%s", msg);
}

static int at_end(const Reader* r) {
  return r->i >= r->len;
}

static char peek(const Reader* r) {
  return r->i < r->len ? r->b[r->i] : '\0';
}

static void advance(Reader* r) {
  char c = r->b[r->i++];
  if (c == '\n') {
    r->line++;
    r->col = 1;
  } else if (((unsigned char)c & 0xC0) != 0x80) {
    r->col++;
  }
}

static int is_blank(char c) {
  return c == ' ' || c == '\t';
}

static int grow(void** p, size_t* cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t nc = *cap ? *cap : 64;
  while (nc < need) nc *= 2;
  void* q = realloc(*p, nc * size);
  if (!q) return 0;
  *p = q;
  *cap = nc;
  return 1;
}

// skip blank and comment lines; returns 0 at the end of input
static int skip_ignored(Reader* r) {
  for (;;) {
    size_t j = r->i;
    while (j < r->len && (is_blank(r->b[j]) || r->b[j] == '\r')) j++;
    if (j < r->len && r->b[j] != '\n' && r->b[j] != '#') return 1;
    if (j >= r->len) {
      while (!at_end(r)) advance(r);
      return 0;
    }
    while (!at_end(r) && peek(r) != '\n') advance(r);  // blank or comment line
    if (!at_end(r)) advance(r);
  }
}

// one row (the reader is at the start of a non-ignored line); fields appended to *f
static slStatus read_row(Reader* r, Field** f, size_t* nf, size_t* capf) {
  *nf = 0;
  for (;;) {
    while (!at_end(r) && is_blank(peek(r))) advance(r);
    if (!grow((void**)f, capf, *nf + 1, sizeof **f))
      return sl_fail(r->err, SL_ERR_NOMEM, r->file, "out of memory reading CSV");
    Field* fd = &(*f)[(*nf)++];
    fd->s = r->out;
    fd->line = r->line;
    fd->col = r->col;
    if (peek(r) == '"' && !at_end(r)) {
      advance(r);
      for (;;) {
        if (at_end(r))
          return failf(r->err, SL_ERR_PARSE, r->file, fd->line, fd->col,
                       "quoted field is not closed (missing '\"')");
        char c = peek(r);
        if (c == '"') {
          advance(r);
          if (peek(r) != '"' || at_end(r)) break;
        }
        if (c == '\0')
          return failf(r->err, SL_ERR_PARSE, r->file, r->line, r->col, "NUL byte in a CSV file");
        *r->out++ = c;
        advance(r);
      }
      while (!at_end(r) && (is_blank(peek(r)) || peek(r) == '\r')) advance(r);
      if (!at_end(r) && peek(r) != ',' && peek(r) != '\n')
        return failf(r->err, SL_ERR_PARSE, r->file, r->line, r->col,
                     "unexpected character '%c' after a closing quote (use \"\" for a quote "
                     "inside a quoted field)",
                     peek(r));
    } else {
      char* last = r->out;  // end of the field without trailing blanks
      while (!at_end(r) && peek(r) != ',' && peek(r) != '\n') {
        char c = peek(r);
        if (c == '\0')
          return failf(r->err, SL_ERR_PARSE, r->file, r->line, r->col, "NUL byte in a CSV file");
        *r->out++ = c;
        if (!is_blank(c) && c != '\r') last = r->out;
        advance(r);
      }
      r->out = last;
    }
    *r->out++ = '\0';
    if (at_end(r)) return SL_OK;
    char c = peek(r);
    advance(r);
    if (c == '\n') return SL_OK;
  }
}

typedef struct NameIdx {
  const char* s;
  int         i;
} NameIdx;

static int nameidx_cmp(const void* a, const void* b) {
  const NameIdx *x = a, *y = b;
  int            c = strcmp(x->s, y->s);
  return c ? c : (x->i > y->i) - (x->i < y->i);
}

static slStatus check_header(Reader* r, const Field* f, int n) {
  for (int i = 0; i < n; i++)
    if (!f[i].s[0])
      return failf(r->err, SL_ERR_PARSE, r->file, f[i].line, f[i].col,
                   "empty column name in the header (column %d)", i + 1);
  NameIdx* v = malloc((size_t)n * sizeof *v);
  if (!v) return sl_fail(r->err, SL_ERR_NOMEM, r->file, "out of memory reading CSV");
  for (int i = 0; i < n; i++) v[i] = (NameIdx){f[i].s, i};
  qsort(v, (size_t)n, sizeof *v, nameidx_cmp);
  int dup = -1, first = -1;
  for (int i = 1; i < n; i++)
    if (strcmp(v[i].s, v[i - 1].s) == 0 && (i == 1 || strcmp(v[i - 1].s, v[i - 2].s) != 0) &&
        (dup < 0 || v[i].i < dup)) {
      dup = v[i].i;
      first = v[i - 1].i;
    }
  free(v);
  if (dup >= 0)
    return failf(r->err, SL_ERR_PARSE, r->file, f[dup].line, f[dup].col,
                 "duplicate column '%.200s' (also column %d)", f[dup].s, first + 1);
  return SL_OK;
}

static slStatus parse(Csv* c, Reader* r) {
  Field*   f = NULL;
  size_t   nf = 0, capf = 0, caprow = 0, cap1 = 0, cap2 = 0, cap3 = 0;
  slStatus st = SL_OK;
  if (!skip_ignored(r)) {
    st = failf(r->err, SL_ERR_PARSE, r->file, r->line, r->col,
               "no header line (the file is empty or has only comments)");
    goto done;
  }
  c->hline = r->line;
  if ((st = read_row(r, &f, &nf, &capf)) != SL_OK) goto done;
  if ((st = check_header(r, f, (int)nf)) != SL_OK) goto done;
  int ncol = (int)nf;
  c->pub.ncol = ncol;
  c->pub.header = malloc(nf * sizeof(char*));
  if (!c->pub.header) goto nomem;
  for (int k = 0; k < ncol; k++) c->pub.header[k] = f[k].s;
  size_t ncell = 0;
  while (skip_ignored(r)) {
    int rline = r->line;
    if ((st = read_row(r, &f, &nf, &capf)) != SL_OK) goto done;
    if (nf != (size_t)ncol) {
      int col = nf > (size_t)ncol ? f[ncol].col : 1;
      st = failf(r->err, SL_ERR_PARSE, r->file, rline, col,
                 "row has %zu field%s, the header (line %d) has %d", nf, nf == 1 ? "" : "s",
                 c->hline, ncol);
      goto done;
    }
    int row = c->pub.nrow;
    if (!grow((void**)&c->pub.line, &caprow, (size_t)row + 1, sizeof(int))) goto nomem;
    size_t need = ncell + nf;
    if (!grow((void**)&c->pub.cell, &cap1, need, sizeof(char*)) ||
        !grow((void**)&c->pub.col, &cap2, need, sizeof(int)) ||
        !grow((void**)&c->cell_line, &cap3, need, sizeof(int)))
      goto nomem;
    c->pub.line[row] = rline;
    for (int k = 0; k < ncol; k++) {
      c->pub.cell[ncell + (size_t)k] = f[k].s;
      c->pub.col[ncell + (size_t)k] = f[k].col;
      c->cell_line[ncell + (size_t)k] = f[k].line;
    }
    ncell = need;
    c->pub.nrow++;
  }
  goto done;
nomem:
  st = sl_fail(r->err, SL_ERR_NOMEM, r->file, "out of memory reading CSV");
done:
  free(f);
  return st;
}

slStatus sl_csv_parse(slCsv** csv, const char* buf, size_t len, const char* fname, slError* err) {
  if (!csv) return sl_fail(err, SL_ERR_ARG, fname, "sl_csv_parse: no output table");
  *csv = NULL;
  if (!buf && len) return sl_fail(err, SL_ERR_ARG, fname, "sl_csv_parse: no input buffer");
  if (!fname) fname = "<input>";
  if (len > (size_t)INT_MAX / 4)
    return sl_fail(err, SL_ERR_PARSE, fname, "CSV file too large (%zu bytes)", len);
  Csv* c = calloc(1, sizeof *c);
  if (!c) return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory reading CSV");
  size_t flen = strlen(fname);
  char*  name = malloc(flen + 1);
  // every field takes at most its source bytes plus a NUL, and fields are separated by at least
  // one byte, so 2 * len + 2 bytes always suffice
  c->text = malloc(2 * len + 2);
  if (!name || !c->text) {
    free(name);
    sl_csv_free(&c->pub);
    return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory reading CSV");
  }
  memcpy(name, fname, flen + 1);
  c->pub.file = name;
  Reader r = {buf ? buf : "", len, 0, 1, 1, c->text, name, err};
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) r.i = 3;  // UTF-8 byte order mark
  slStatus st = parse(c, &r);
  if (st != SL_OK) {
    sl_csv_free(&c->pub);
    return st;
  }
  *csv = &c->pub;
  return SL_OK;
}

slStatus sl_csv_load(slCsv** csv, const char* path, slError* err) {
  if (csv) *csv = NULL;
  if (!path) return sl_fail(err, SL_ERR_ARG, NULL, "sl_csv_load: no file name");
  char*    buf = NULL;
  size_t   len = 0;
  slStatus st = sl_read_file(path, &buf, &len, err);
  if (st != SL_OK) return st;
  st = sl_csv_parse(csv, buf, len, path, err);
  sl_free_buf(buf);
  return st;
}

void sl_csv_free(slCsv* csv) {
  if (!csv) return;
  Csv* c = (Csv*)csv;
  free((void*)csv->file);
  free(csv->header);
  free(csv->cell);
  free(csv->line);
  free(csv->col);
  free(c->cell_line);
  free(c->text);
  free(c);
}

int sl_csv_colidx(const slCsv* csv, const char* name) {
  if (!csv || !name) return -1;
  for (int k = 0; k < csv->ncol; k++)
    if (strcmp(csv->header[k], name) == 0) return k;
  return -1;
}

slStatus sl_csv_require(const slCsv* csv, const char* const* names, slError* err) {
  if (!csv) return sl_fail(err, SL_ERR_ARG, NULL, "sl_csv_require: no table");
  for (int i = 0; names && names[i]; i++) {
    if (sl_csv_colidx(csv, names[i]) >= 0) continue;
    char have[400];
    have[0] = '\0';
    for (int k = 0; k < csv->ncol; k++) sl_strcat(have, sizeof have, ", ", csv->header[k]);
    return failf(err, SL_ERR_KEY, csv->file, ((const Csv*)csv)->hline, 1,
                 "missing column '%.200s' (the header has: %s)", names[i], have);
  }
  return SL_OK;
}

void sl_csv_where(const slCsv* csv, int row, int col, char* buf, int n) {
  if (!buf || n <= 0) return;
  if (!csv) {
    buf[0] = '\0';
    return;
  }
  if (row < 0 || row >= csv->nrow) {
    sl_where(buf, n, csv->file, 0, 0);
    return;
  }
  if (col < 0 || col >= csv->ncol) {
    sl_where(buf, n, csv->file, csv->line[row], 1);
    return;
  }
  size_t i = (size_t)row * (size_t)csv->ncol + (size_t)col;
  sl_where(buf, n, csv->file, ((const Csv*)csv)->cell_line[i], csv->col[i]);
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int lower_eq(const char* s, const char* lit) {
  for (; *s && *lit; s++, lit++) {
    char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
    if (c != *lit) return 0;
  }
  return *s == *lit;
}

// 0: a finite number; 1: not a number; 2: a number that is not finite (nan, inf, overflow)
static int parse_num(const char* s, double* v) {
  const char* t = s;
  if (*t == '+' || *t == '-') t++;
  if (lower_eq(t, "nan") || lower_eq(t, "inf") || lower_eq(t, "infinity")) return 2;
  int digits = 0;
  while (is_digit(*t)) t++, digits++;
  if (*t == '.') {
    t++;
    while (is_digit(*t)) t++, digits++;
  }
  if (!digits) return 1;
  if (*t == 'e' || *t == 'E') {
    t++;
    if (*t == '+' || *t == '-') t++;
    if (!is_digit(*t)) return 1;
    while (is_digit(*t)) t++;
  }
  if (*t) return 1;
  char* end = NULL;
  errno = 0;
  double x = strtod(s, &end);
  if (end != t) return 1;
  if (!isfinite(x)) return 2;
  *v = x;
  return 0;
}

slStatus sl_csv_num(const slCsv* csv, int row, int col, double lo, double hi, const char* unit,
                    double* out, slError* err) {
  if (!csv || row < 0 || row >= csv->nrow || col < 0 || col >= csv->ncol)
    return sl_fail(err, SL_ERR_ARG, csv ? csv->file : NULL,
                   "sl_csv_num: no cell at row %d, column %d", row, col);
  const char* s = csv->cell[(size_t)row * (size_t)csv->ncol + (size_t)col];
  double      v = 0;
  int         bad = s[0] ? parse_num(s, &v) : 3;
  if (bad == 0 && v >= lo && v <= hi) {
    if (out) *out = v;
    return SL_OK;
  }
  // an error: only now the location and the unit are formatted
  char        w[512], u[48];
  const char* name = csv->header[col];
  sl_csv_where(csv, row, col, w, sizeof w);
  snprintf(u, sizeof u, "%s%.40s", unit && unit[0] ? " " : "", unit ? unit : "");
  if (bad == 3)
    return sl_fail(err, SL_ERR_TYPE, w, "column '%.200s' is empty, expected a number", name);
  if (bad == 1)
    return sl_fail(err, SL_ERR_TYPE, w, "column '%.200s' must be a number, got '%.100s'", name, s);
  if (bad == 2)
    return sl_fail(err, SL_ERR_RANGE, w,
                   "column '%.200s' = %.100s is not a finite number (allowed range [%g, %g]%s)",
                   name, s, lo, hi, u);
  return sl_fail(err, SL_ERR_RANGE, w,
                 "column '%.200s' = %.100s is outside the allowed range [%g, %g]%s", name, s, lo,
                 hi, u);
}
