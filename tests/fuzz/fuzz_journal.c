// fuzz_journal.c: the sweep journal reader on arbitrary bytes: opened to resume (header check, the
// records read and a torn or corrupt tail cut), scanned (every row byte touched), then a block
// appended (also one out of range, refused), synced and the file opened and scanned again. The
// open arguments mostly come from the input's own header so that its records are read: nblock
// and rowbytes as the header says when they are small (a sweep's are), else the header does not
// match and the refusal is exercised.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_journal.h"

typedef struct Scan {
  long     nblock, blocks;
  int      rowbytes;
  uint64_t sum;
} Scan;

static slStatus on_block(void* ctx, long block, const void* rows, int nrows, slError* err) {
  Scan* s = ctx;
  if (block < 0 || block >= s->nblock || nrows < 0) abort();  // the reader let a bad record by
  const uint8_t* b = rows;
  for (size_t i = 0; i < (size_t)nrows * (size_t)s->rowbytes; i++) s->sum += b[i];
  if (++s->blocks > 1000000) return sl_fail(err, SL_ERR_ARG, "fuzz", "too many blocks");
  return SL_OK;
}

static void scan(slJournal* j, long nblock, int rowbytes) {
  Scan    s = {nblock, 0, rowbytes, 0};
  slError e;
  sl_journal_scan(j, on_block, &s, &e);
  for (long b = -1; b <= nblock && b < 64; b++) sl_journal_done(j, b);
  if (sl_journal_ndone(j) > nblock) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[128];
  // in memory where there is a tmpfs: the file is fsync'ed
  const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(path, sizeof path, "%s/sl_fuzz_journal_%ld.journal", dir, (long)getpid());
  FILE* f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) abort();  // set-up failed
  // header: u32 magic, u32 rowbytes, u64 fingerprint, u64 nblock
  uint32_t rowbytes = 24;
  uint64_t fingerprint = 0, nblock = 4;
  if (size >= 24) {
    memcpy(&rowbytes, data + 4, 4);
    memcpy(&fingerprint, data + 8, 8);
    memcpy(&nblock, data + 16, 8);
  }
  long       nb = nblock <= 4096 ? (long)nblock : 4096;
  int        rb = rowbytes <= 4096 ? (int)rowbytes : 24;
  slJournal* j = NULL;
  slError    e;
  if (sl_journal_open(&j, path, fingerprint, nb, rb, 1, &e) == SL_OK) {
    scan(j, nb, rb);
    static const uint8_t zero[2 * 4096];
    int                  nrows = rb > 0 ? 1 + (int)(size % 2) : 3;
    sl_journal_append(j, nb, zero, nrows, &e);  // out of range: refused
    sl_journal_append(j, -1, zero, nrows, &e);
    if (nb > 0 && sl_journal_append(j, (long)(size % (size_t)nb), zero, nrows, &e) == SL_OK)
      sl_journal_sync(j, &e);
    sl_journal_close(j);
    j = NULL;
    if (sl_journal_open(&j, path, fingerprint, nb, rb, 1, &e) == SL_OK) {
      scan(j, nb, rb);
      sl_journal_close(j);
    }
  }
  remove(path);
  return 0;
}
