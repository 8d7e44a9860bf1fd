// sl_status.h: status codes and error reports, shared by every module.
//
// Fallible library calls return an slStatus and take a nullable slError* last. The error carries
// a location ("file:line:col" for input files, or a key path such as "body.mass_kg") and a
// message. The library never prints and never exits; callers decide.
#ifndef SL_STATUS_H
#define SL_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

// clang-format off
#define SL_STATUS_LIST(X)                                              \
  X(SL_OK,          "success")                                         \
  X(SL_ERR_ARG,     "invalid argument")                                \
  X(SL_ERR_NOMEM,   "out of memory")                                   \
  X(SL_ERR_IO,      "file could not be read or written")               \
  X(SL_ERR_PARSE,   "syntax error in input file")                      \
  X(SL_ERR_KEY,     "unknown or missing key")                          \
  X(SL_ERR_TYPE,    "value has the wrong type")                        \
  X(SL_ERR_RANGE,   "value out of range")                              \
  X(SL_ERR_MODEL,   "model failed validation")                         \
  X(SL_ERR_LAPACK,  "LAPACK reported an illegal argument")             \
  X(SL_ERR_HDF5,    "HDF5 call failed")                                \
  X(SL_ERR_INTERRUPTED, "interrupted by a signal")                   \
  X(SL_ERR_WRITE,   "output could not be written out (disk full?)")
// clang-format on

typedef enum slStatus {
#define SL_X_(code, msg) code,
  SL_STATUS_LIST(SL_X_)
#undef SL_X_
      SL_STATUS_COUNT
} slStatus;

typedef struct slError {
  slStatus code;        // the status that was returned
  char     where[512];  // "file:line:col", a key path, or a dataset name; "" if none
  char     msg[768];    // human-readable message, no trailing newline
} slError;

// static string, never NULL
const char* sl_status_str(slStatus s);

// fill err (if not NULL) and return code; where may be NULL
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
slStatus
sl_fail(slError* err, slStatus code, const char* where, const char* fmt, ...);

// "file:line:col" into buf
void sl_where(char* buf, int n, const char* file, int line, int col);

// seconds on a monotonic clock (for timing stages and runs; never part of a result)
double sl_clock(void);

#ifdef __cplusplus
}
#endif
#endif
