// sl_io.c: whole-file reads and crash-safe writes.
#define _POSIX_C_SOURCE 200809L
#include "sl_io.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

slStatus sl_read_file(const char* path, char** buf, size_t* len, slError* err) {
  *buf = NULL;
  *len = 0;
  FILE* f = fopen(path, "rb");
  if (!f) return sl_fail(err, SL_ERR_IO, path, "cannot open: %s", strerror(errno));
  size_t cap = 1 << 16, n = 0;
  char*  b = malloc(cap + 1);
  if (!b) {
    fclose(f);
    return sl_fail(err, SL_ERR_NOMEM, path, "out of memory reading file");
  }
  int e = 0;
  for (;;) {
    errno = 0;
    size_t got = fread(b + n, 1, cap - n, f);
    if (got < cap - n && ferror(f)) e = errno;
    n += got;
    if (n < cap) break;
    char* nb = realloc(b, 2 * cap + 1);
    if (!nb) {
      free(b);
      fclose(f);
      return sl_fail(err, SL_ERR_NOMEM, path, "out of memory reading file");
    }
    b = nb;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(b);
    if (e == EISDIR) return sl_fail(err, SL_ERR_IO, path, "is a directory, not a file");
    return sl_fail(err, SL_ERR_IO, path, "cannot read: %s", e ? strerror(e) : "read error");
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return SL_OK;
}

void sl_free_buf(char* buf) {
  free(buf);
}

void sl_path_join_dir(const char* path, const char* rel, char* out, int n) {
  const char* slash = path ? strrchr(path, '/') : NULL;
  if (!rel || rel[0] == '/' || !slash) {
    snprintf(out, (size_t)n, "%s", rel ? rel : "");
    return;
  }
  snprintf(out, (size_t)n, "%.*s/%s", (int)(slash - path), path, rel);
}

void sl_tmp_name(const char* path, char* out, int n) {
  snprintf(out, (size_t)n, "%s.tmp.%ld", path, (long)getpid());
}

int sl_tmp_clean(const char* path) {
  char        dir[1024], base[512];
  const char* slash = strrchr(path, '/');
  if (slash) {
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (!dir[0]) snprintf(dir, sizeof dir, "/");
  } else {
    snprintf(dir, sizeof dir, ".");
  }
  snprintf(base, sizeof base, "%s.tmp.", slash ? slash + 1 : path);
  size_t nb = strlen(base);
  DIR*   d = opendir(dir);
  if (!d) return 0;
  int            removed = 0;
  struct dirent* e;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, base, nb)) continue;
    char* end = NULL;
    long  pid = strtol(e->d_name + nb, &end, 10);
    if (end == e->d_name + nb || *end || pid <= 0 || pid == (long)getpid()) continue;
    // a live process (or one we may not signal) still owns it; ESRCH: its writer is gone
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    char full[2048];
    snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
    removed += unlink(full) == 0;
  }
  closedir(d);
  return removed;
}

slStatus sl_commit_file(const char* tmp, const char* path, slError* err) {
  if (rename(tmp, path) != 0) {
    int e = errno;
    remove(tmp);
    return sl_fail(err, SL_ERR_WRITE, path, "cannot move the finished output into place: %s",
                   strerror(e));
  }
  return SL_OK;
}

void sl_strcat(char* dst, size_t cap, const char* sep, const char* s) {
  size_t k = strlen(dst);
  if (k && sep)
    for (; *sep && k + 1 < cap; sep++) dst[k++] = *sep;
  for (; s && *s && k + 1 < cap; s++) dst[k++] = *s;
  if (k < cap) dst[k] = '\0';
}

static int cmp_name(const void* a, const void* b) {
  return strcmp((const char*)a, (const char*)b);
}

int sl_list_yaml(const char* dir, char (*out)[1024], int max) {
  DIR* d = opendir(dir);
  if (!d) return -1;
  int            n = 0;
  struct dirent* e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
    if (out && n < max) snprintf(out[n], 1024, "%.1000s", e->d_name);
    n++;
  }
  closedir(d);
  if (!out) return n;
  if (n > max) n = max;
  qsort(out, (size_t)n, sizeof *out, cmp_name);  // a fixed order
  char tmp[1024];
  for (int i = 0; i < n; i++) {
    snprintf(tmp, sizeof tmp, "%s", out[i]);
    snprintf(out[i], 1024, "%.500s/%.500s", dir, tmp);
  }
  return n;
}

int sl_same_file(const char* a, const char* b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

uint64_t sl_hash_str(uint64_t h, const char* s) {
  for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (h ^ 0xff) * 1099511628211ull;
}
