// sl_journal.c: an append-only journal of finished sweep blocks, so that a sweep killed at any
// moment (even SIGKILL) can be resumed without losing or repeating a block.
//
// File: a header (magic, fingerprint of the sweep, number of blocks, row size), then records
//   u32 'SLB1' | u64 block | u32 nrows | nrows * rowbytes payload | u64 checksum
// Each record is flushed and fsync'ed before the block counts as done. On opening for resume,
// records are read in order; the first incomplete or corrupt record and everything after it are
// cut off (that block is simply computed again).
#define _POSIX_C_SOURCE 200809L
#include "sl_journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC_FILE 0x314a4c53u  // "SLJ1"
#define MAGIC_REC  0x31424c53u  // "SLB1"

struct slJournal {
  FILE*    f;
  char     path[1100];
  uint64_t fingerprint;
  long     nblock;
  int      rowbytes;
  uint8_t* done;  // (nblock)
  long     ndone;
  long     end;  // offset after the last good record
};

typedef struct Header {
  uint32_t magic;
  uint32_t rowbytes;
  uint64_t fingerprint;
  uint64_t nblock;
} Header;

static uint64_t checksum(uint64_t block, uint32_t nrows, const void* p, size_t n) {
  uint64_t       h = 1469598103934665603ull ^ block ^ ((uint64_t)nrows << 32);
  const uint8_t* b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

void sl_journal_close(slJournal* j) {
  if (!j) return;
  if (j->f) fclose(j->f);
  free(j->done);
  free(j);
}

static slStatus io_fail(slJournal* j, slError* err, const char* what) {
  slStatus st = sl_fail(err, SL_ERR_IO, j->path, "journal: %s: %s", what, strerror(errno));
  sl_journal_close(j);
  return st;
}

slStatus sl_journal_open(slJournal** out, const char* path, uint64_t fingerprint, long nblock,
                         int rowbytes, int resume, slError* err) {
  *out = NULL;
  slJournal* j = calloc(1, sizeof *j);
  if (!j) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  snprintf(j->path, sizeof j->path, "%s", path);
  j->fingerprint = fingerprint;
  j->nblock = nblock;
  j->rowbytes = rowbytes;
  j->done = calloc((size_t)(nblock > 0 ? nblock : 1), 1);
  if (!j->done) {
    free(j);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  Header h = {MAGIC_FILE, (uint32_t)rowbytes, fingerprint, (uint64_t)nblock};
  // one writer at a time: the journal is locked while it is open (released when it is closed,
  // also by a crash); locked before it is truncated, so a second sweep cannot wipe a running one's
  int fd = open(path, O_RDWR | (resume ? 0 : O_CREAT), 0666);
  if (fd < 0) return io_fail(j, err, resume ? "cannot open" : "cannot create");
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    sl_journal_close(j);
    return sl_fail(err, SL_ERR_ARG, path,
                   "another sweep is writing this output right now (its journal is locked); "
                   "wait for it or choose another output");
  }
  j->f = fdopen(fd, "r+b");
  if (!j->f) {
    close(fd);
    return io_fail(j, err, "cannot open");
  }
  if (!resume) {
    if (ftruncate(fd, 0) != 0) return io_fail(j, err, "cannot create");
    if (fwrite(&h, sizeof h, 1, j->f) != 1 || fflush(j->f) || fsync(fileno(j->f)))
      return io_fail(j, err, "cannot write");
    j->end = (long)sizeof h;
    *out = j;
    return SL_OK;
  }
  Header r;
  if (fread(&r, sizeof r, 1, j->f) != 1 || r.magic != MAGIC_FILE) {
    sl_journal_close(j);
    return sl_fail(err, SL_ERR_PARSE, path, "not a spineload sweep journal");
  }
  if (r.fingerprint != fingerprint || r.nblock != (uint64_t)nblock ||
      r.rowbytes != (uint32_t)rowbytes) {
    sl_journal_close(j);
    return sl_fail(err, SL_ERR_ARG, path,
                   "the journal belongs to a different sweep (the sweep file, its overrides, a "
                   "position, body model or table it reads, or the version changed); remove it "
                   "to start again");
  }
  j->end = (long)sizeof r;
  // a record never holds more than the rest of the file: a hostile row count is not allocated
  struct stat sb;
  size_t      fsize = fstat(fd, &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size : 0;
  size_t      cap = 0;
  void*       buf = NULL;
  for (;;) {
    uint32_t magic, nrows;
    uint64_t block, sum;
    if (fread(&magic, 4, 1, j->f) != 1 || magic != MAGIC_REC) break;
    if (fread(&block, 8, 1, j->f) != 1 || fread(&nrows, 4, 1, j->f) != 1) break;
    size_t n = (size_t)nrows * (size_t)rowbytes;
    long   at = ftell(j->f);
    if (block >= (uint64_t)nblock || at < 0 || (size_t)at > fsize || n > fsize - (size_t)at) break;
    if (n > cap) {
      void* nb = realloc(buf, n);
      if (!nb) break;
      buf = nb;
      cap = n;
    }
    if (fread(buf, 1, n, j->f) != n || fread(&sum, 8, 1, j->f) != 1) break;
    if (sum != checksum(block, nrows, buf, n)) break;
    if (!j->done[block]) j->ndone++;
    j->done[block] = 1;
    j->end = ftell(j->f);
  }
  free(buf);
  // cut off a torn tail
  if (fflush(j->f) || ftruncate(fileno(j->f), (off_t)j->end) || fseek(j->f, j->end, SEEK_SET))
    return io_fail(j, err, "cannot repair");
  *out = j;
  return SL_OK;
}

int sl_journal_done(const slJournal* j, long block) {
  return block >= 0 && block < j->nblock && j->done[block];
}
long sl_journal_ndone(const slJournal* j) {
  return j->ndone;
}

slStatus sl_journal_append(slJournal* j, long block, const void* rows, int nrows, slError* err) {
  // done[] has nblock entries, and open() refuses a record outside them: so does append
  if (block < 0 || block >= j->nblock || nrows < 0)
    return sl_fail(err, SL_ERR_ARG, j->path, "journal: block %ld (%d rows) is not one of 0..%ld",
                   block, nrows, j->nblock - 1);
  uint32_t magic = MAGIC_REC, n = (uint32_t)nrows;
  uint64_t b = (uint64_t)block;
  size_t   bytes = (size_t)nrows * (size_t)j->rowbytes;
  uint64_t sum = checksum(b, n, rows, bytes);
  if (fseek(j->f, j->end, SEEK_SET) || fwrite(&magic, 4, 1, j->f) != 1 ||
      fwrite(&b, 8, 1, j->f) != 1 || fwrite(&n, 4, 1, j->f) != 1 ||
      (bytes && fwrite(rows, 1, bytes, j->f) != bytes) || fwrite(&sum, 8, 1, j->f) != 1)
    return sl_fail(err, SL_ERR_WRITE, j->path, "journal: cannot append: %s", strerror(errno));
  j->end = ftell(j->f);
  if (!j->done[block]) j->ndone++;
  j->done[block] = 1;
  return SL_OK;
}

slStatus sl_journal_scan(slJournal* j, slJournalFn fn, void* ctx, slError* err) {
  if (fseek(j->f, (long)sizeof(Header), SEEK_SET))
    return sl_fail(err, SL_ERR_IO, j->path, "journal: cannot read");
  size_t   cap = 0;
  void*    buf = NULL;
  slStatus st = SL_OK;
  while (ftell(j->f) < j->end && st == SL_OK) {
    uint32_t magic, nrows;
    uint64_t block, sum;
    if (fread(&magic, 4, 1, j->f) != 1 || fread(&block, 8, 1, j->f) != 1 ||
        fread(&nrows, 4, 1, j->f) != 1) {
      st = sl_fail(err, SL_ERR_IO, j->path, "journal: short read");
      break;
    }
    size_t n = (size_t)nrows * (size_t)j->rowbytes;
    if (n > cap) {
      void* nb = realloc(buf, n);
      if (!nb) {
        st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
        break;
      }
      buf = nb;
      cap = n;
    }
    if (fread(buf, 1, n, j->f) != n || fread(&sum, 8, 1, j->f) != 1) {
      st = sl_fail(err, SL_ERR_IO, j->path, "journal: short read");
      break;
    }
    (void)magic;
    st = fn(ctx, (long)block, buf, (int)nrows, err);
  }
  free(buf);
  fseek(j->f, j->end, SEEK_SET);
  return st;
}

int sl_journal_remove(const char* path) {
  return remove(path);
}

slStatus sl_journal_sync(slJournal* j, slError* err) {
  if (fflush(j->f) || fsync(fileno(j->f)))
    return sl_fail(err, SL_ERR_WRITE, j->path, "journal: cannot sync: %s", strerror(errno));
  return SL_OK;
}

int sl_journal_busy(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  int busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);  // releases the lock if it was taken here
  return busy;
}
