// sl_csv.h: a small located CSV reader for the model's long tables (muscles, path points).
//
// RFC-4180-ish: comma separated, first non-comment line is the header, fields may be quoted with
// double quotes ("" escapes a quote), lines starting with '#' and blank lines are skipped,
// CRLF is accepted. Every field remembers its line and column for messages.
// Spaces/tabs around unquoted fields and around quoted ones are trimmed; quoted fields may span
// lines; a UTF-8 byte order mark is skipped. An empty file, an empty or repeated column name, an
// unclosed quote, text after a closing quote and NUL bytes are SL_ERR_PARSE with the position.
#ifndef SL_CSV_H
#define SL_CSV_H

#include <stddef.h>

#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct slCsv {
  const char*  file;    // name used in messages (owned)
  int          ncol;    // columns, from the header
  int          nrow;    // data rows
  const char** header;  // (ncol)
  const char** cell;    // (nrow x ncol), row-major; never NULL (empty string if empty)
  int*         line;    // (nrow) 1-based source line of each row
  int*         col;     // (nrow x ncol) 1-based column of each cell
} slCsv;

// A row with a different number of fields than the header is SL_ERR_PARSE at that line.
slStatus sl_csv_parse(slCsv** csv, const char* buf, size_t len, const char* fname, slError* err);
slStatus sl_csv_load(slCsv** csv, const char* path, slError* err);
void     sl_csv_free(slCsv* csv);  // NULL is fine

// column index by header name, or -1
int sl_csv_colidx(const slCsv* csv, const char* name);
// Require the named columns; SL_ERR_KEY at the header line naming the first missing column.
slStatus sl_csv_require(const slCsv* csv, const char* const* names, slError* err);
// Cell as a finite number in [lo, hi]; SL_ERR_TYPE / SL_ERR_RANGE at "file:line:col" with the
// column name, the value and the allowed range.
slStatus sl_csv_num(const slCsv* csv, int row, int col, double lo, double hi, const char* unit,
                    double* out, slError* err);
// "file:line:col" of a cell
void sl_csv_where(const slCsv* csv, int row, int col, char* buf, int n);

#ifdef __cplusplus
}
#endif
#endif
