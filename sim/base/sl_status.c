// sl_status.c: status strings, error filling and the clock.
#define _POSIX_C_SOURCE 200809L
#include "sl_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char* const status_msg[] = {
#define SL_X_(code, msg) msg,
    SL_STATUS_LIST(SL_X_)
#undef SL_X_
};

const char* sl_status_str(slStatus s) {
  if ((int)s < 0 || s >= SL_STATUS_COUNT) return "unknown status";
  return status_msg[s];
}

slStatus sl_fail(slError* err, slStatus code, const char* where, const char* fmt, ...) {
  if (!err) return code;
  err->code = code;
  snprintf(err->where, sizeof err->where, "%s", where ? where : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

void sl_where(char* buf, int n, const char* file, int line, int col) {
  if (line > 0)
    snprintf(buf, (size_t)n, "%s:%d:%d", file ? file : "<input>", line, col);
  else
    snprintf(buf, (size_t)n, "%s", file ? file : "<input>");
}

double sl_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
