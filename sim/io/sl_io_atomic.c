// sl_io_atomic.c: crash-safe text outputs through a stdio stream (temporary name, then rename),
// for the pictures and tables the command writes (declared in spineload.h).
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sl_io.h"
#include "spineload.h"

FILE* sl_atomic_open(const char* path, char* tmp, int n, slError* err) {
  sl_tmp_clean(path);  // what a killed earlier run left behind
  sl_tmp_name(path, tmp, n);
  FILE* f = fopen(tmp, "w");
  if (!f) sl_fail(err, SL_ERR_IO, path, "cannot create %s: %s", tmp, strerror(errno));
  return f;
}

slStatus sl_atomic_commit(FILE* f, const char* tmp, const char* path, slError* err) {
  errno = 0;
  int bad = fflush(f) != 0 || ferror(f) != 0, e = errno;
  // synced before the rename, so a crash cannot leave an empty file under the final name; files
  // that cannot be synced (EINVAL, EROFS) are not an error
  if (!bad && fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS) bad = 1, e = errno;
  if (fclose(f) != 0 && !bad) bad = 1, e = errno;
  if (bad) {
    remove(tmp);
    return sl_fail(err, SL_ERR_WRITE, path, "cannot write: %s", e ? strerror(e) : "write error");
  }
  return sl_commit_file(tmp, path, err);
}

void sl_atomic_abort(FILE* f, const char* tmp) {
  if (f) fclose(f);
  remove(tmp);
}
