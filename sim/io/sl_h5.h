// sl_h5.h: HDF5 output and input. sl_h5.c is the only file that includes hdf5.h; no hid_t leaves
// it. Every dataset carries string attributes `units` and `description`.
//
// Output files are written under a temporary sibling name ("<path>.tmp.<pid>") and renamed over
// <path> only by sl_h5_commit, so a failed or interrupted run never leaves a partial file at
// <path> and never clobbers an existing one. sl_h5_abort deletes the temporary file.
//
// Behaviour details (sl_h5.c):
// - Errors: failed HDF5 calls and file contents that do not fit the request (missing or
//   existing object, wrong type or rank, rows out of range) are SL_ERR_HDF5 with the object path
//   as `where`; files that cannot be created or opened are SL_ERR_IO with the file path; caller
//   mistakes (NULL handle or buffer, rank outside 0..4, a type a function does not take, missing
//   units or description) are SL_ERR_ARG. HDF5 itself never prints.
// - Object paths: relative paths are taken from the root ("a/b" is "/a/b"); repeated and trailing
//   slashes are ignored; at most 1023 bytes.
// - Not thread-safe (serial HDF5 build, static version buffer): use from one thread at a time.
// - No modification times are stored, so the same content gives a byte-identical file.
#ifndef SL_H5_H
#define SL_H5_H

#include <stddef.h>

#include "sl_status.h"

typedef enum slH5Type { SL_H5_F64 = 0, SL_H5_I32, SL_H5_I64, SL_H5_U8, SL_H5_STR } slH5Type;

typedef struct slH5 slH5;

// ---- writing ------------------------------------------------------------------------------------
// Create "<path>.tmp.<pid>" (truncating a stale temporary of the same name); path is untouched.
slStatus sl_h5_create(slH5** f, const char* path, slError* err);
// Flush, close and rename the temporary over path. f is freed whatever happens. The temporary
// is fsync'ed before the rename; on any failure it is removed. On a handle from sl_h5_open this
// only closes the file (in place, nothing renamed).
slStatus sl_h5_commit(slH5* f, slError* err);
// Close and delete the temporary file. NULL is fine. On a handle from sl_h5_open it only closes
// (the opened file is never deleted).
void sl_h5_abort(slH5* f);

// Create a group and any missing parents ("/a/b/c"); existing groups are fine.
slStatus sl_h5_group(slH5* f, const char* path, slError* err);
// Scalar attributes on an existing object (group or dataset, by absolute path). Strings are
// variable-length UTF-8 (NULL value: ""), numbers IEEE F64 / I64. Writing an attribute that
// already exists replaces it.
slStatus sl_h5_attr_str(slH5* f, const char* obj, const char* name, const char* value,
                        slError* err);
slStatus sl_h5_attr_f64(slH5* f, const char* obj, const char* name, double value, slError* err);
slStatus sl_h5_attr_i64(slH5* f, const char* obj, const char* name, long long value, slError* err);

// Write a whole dataset (parents created). rank 0..4, dims (rank); data row-major of the
// native C type (double, int32_t, int64_t, uint8_t). Datasets of more than 64 KiB are chunked
// and deflate-compressed (level 4, with shuffle). units and description are required (use "1"
// for dimensionless).
slStatus sl_h5_write(slH5* f, const char* path, slH5Type type, int rank, const size_t* dims,
                     const void* data, const char* units, const char* description, slError* err);
// A 1-D dataset of n variable-length UTF-8 strings (NULL entries are written as ""). Its units
// attribute is "1" (strings are not quantities, but every dataset has units).
slStatus sl_h5_write_strings(slH5* f, const char* path, const char* const* s, size_t n,
                             const char* description, slError* err);

// A compound table (one HDF5 compound record per row). Column data are separate arrays
// (double*, int32_t*, or const char** for SL_H5_STR, variable-length strings). Each column's
// units are stored in the dataset attribute "units" as "col1: u1; col2: u2; ...", and a string
// attribute "units_<column>" per column. NULL units are "1", NULL strings "". Column names must
// be unique (else SL_ERR_HDF5). Tables over 64 KiB are chunked and compressed like sl_h5_write.
typedef struct slH5Col {
  const char* name;
  slH5Type    type;  // SL_H5_F64, SL_H5_I32 or SL_H5_STR
  const char* units;
  const void* data;  // (nrow)
} slH5Col;
slStatus sl_h5_write_table(slH5* f, const char* path, size_t nrow, int ncol, const slH5Col* cols,
                           const char* description, slError* err);

// Extendible 2-D datasets written block by block (sweeps): shape (0 x ncol) at creation,
// unlimited rows, chunked (chunk_rows x ncol), deflate level 4 with shuffle. Column names are
// stored as a string-array attribute "columns", column units as "column_units"; the "units"
// attribute is "col1: u1; col2: u2; ..." as for tables. colunits may be NULL (all "1").
// chunk_rows 0 picks about 64 KiB per chunk. Numeric types only.
slStatus sl_h5_ext_create(slH5* f, const char* path, slH5Type type, int ncol, size_t chunk_rows,
                          const char* const* colnames, const char* const* colunits,
                          const char* description, slError* err);
// Write nrow rows (row-major, native type) at row offset `at`, growing the dataset if needed.
// Rows already written may be written again (resume); rows skipped over read as 0. Works on any
// extendible 2-D dataset, also in a file from sl_h5_open(..., 1). The last dataset used stays
// open in the handle until another one is used or the file is closed.
slStatus sl_h5_ext_write(slH5* f, const char* path, size_t at, size_t nrow, const void* data,
                         slError* err);
// Flush everything to disk (H5Fflush).
slStatus sl_h5_flush(slH5* f, slError* err);

// ---- reading (report, resume, tests) ------------------------------------------------------------
// sl_h5_shape, sl_h5_read, sl_h5_read_rows and sl_h5_read_strings also take "<table>/<column>"
// for one column of a compound table written by sl_h5_write_table (the table's shape, that
// column's values). A handle from sl_h5_create can be read too (what was written so far).
// Open an existing file read-only (or read-write with writable = 1, in place, no temporary).
slStatus sl_h5_open(slH5** f, const char* path, int writable, slError* err);
void     sl_h5_close(slH5* f);  // NULL is fine; an uncommitted sl_h5_create handle: abort
int      sl_h5_exists(slH5* f, const char* path);  // object exists (1) or not (0)
// Dataset shape: *rank and dims (up to 4). dims past the rank are set to 1, so their product is
// always the number of elements. Rank above 4 is SL_ERR_HDF5.
slStatus sl_h5_shape(slH5* f, const char* path, int* rank, size_t dims[4], slError* err);
// Read a whole numeric dataset converted to the native type (buffer large enough). Numeric
// conversion is HDF5's (e.g. I32 data read as F64); reading strings as numbers is SL_ERR_HDF5.
slStatus sl_h5_read(slH5* f, const char* path, slH5Type type, void* data, slError* err);
// Read rows [at, at + nrow) of a 2-D dataset (any rank >= 1: rows along the first dimension).
// Rows past the end are SL_ERR_HDF5.
slStatus sl_h5_read_rows(slH5* f, const char* path, slH5Type type, size_t at, size_t nrow,
                         void* data, slError* err);
// Read a string dataset: *s receives n malloc'ed strings in one malloc'ed array; free with
// sl_h5_free_strings. Variable- or fixed-length strings of any rank (flattened). An empty
// dataset gives *n = 0 and a (freeable) non-NULL array.
slStatus sl_h5_read_strings(slH5* f, const char* path, char*** s, size_t* n, slError* err);
void     sl_h5_free_strings(char** s, size_t n);
// Read a string attribute into buf (NUL-terminated, truncated to n bytes including the NUL,
// never inside a UTF-8 character). Numeric attributes are formatted ("%.17g" for floats, "%lld"
// for integers) and array attributes joined with "; " (e.g. "columns" gives "a; b; c").
slStatus sl_h5_read_attr_str(slH5* f, const char* obj, const char* name, char* buf, size_t n,
                             slError* err);
// Every dataset under group (recursively, in name order, "/" for the whole file): cb(ctx, its
// absolute path); a nonzero return from cb stops the walk. Not a group: SL_ERR_HDF5.
slStatus sl_h5_list(slH5* f, const char* group, int (*cb)(void* ctx, const char* path), void* ctx,
                    slError* err);
// HDF5 library version "major.minor.release"
const char* sl_h5_version(void);

#endif
