// test_journal.c: the crash-safe journal of sweep blocks: create, append, sync, resume (done
// flags, count), scan order and content, headers of another sweep refused, torn or corrupt tails
// cut on resume, a block out of range refused by append, one writer at a time (the lock), removal.
// covers: sl_journal
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_journal.h"
#include "testutil.h"

#define OUTDIR SL_TEST_BINARY_DIR "/test_journal_out"

enum { NBLOCK = 6, ROWB = 3 * (int)sizeof(double), HEADER = 24, REC = 4 + 8 + 4 + 8 };
static const uint64_t FP = 0x0123456789abcdefull;

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

static void ok(slStatus st, const slError* e) {
  if (st != SL_OK) fail_msg("status %d at '%s': %s", (int)st, e->where, e->msg);
}

static void jpath(char* buf, size_t n, const char* name) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  snprintf(buf, n, "%s/%s", OUTDIR, name);
  remove(buf);
}

static long file_size(const char* p) {
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  return (long)st.st_size;
}

// the rows of block b: nrows(b) rows of three doubles that identify block, row and column
static int nrows_of(long b) {
  return (int)(b % 3) + 1;
}
static void rows_of(long b, double* rows) {
  for (int r = 0; r < nrows_of(b); r++)
    for (int c = 0; c < 3; c++) rows[3 * r + c] = 100.0 * (double)b + 10.0 * r + c + 0.25;
}

static slJournal* open_j(const char* path, int resume) {
  slJournal* j = NULL;
  slError    e;
  ok(sl_journal_open(&j, path, FP, NBLOCK, ROWB, resume, &e), &e);
  assert_non_null(j);
  return j;
}

static void append(slJournal* j, long b) {
  double  rows[3 * 3];
  slError e;
  rows_of(b, rows);
  ok(sl_journal_append(j, b, rows, nrows_of(b), &e), &e);
}

// scan: records the blocks seen, in order, and checks every payload
typedef struct Seen {
  long blocks[64];
  int  n;
  int  stop_after;  // > 0: fail after this many calls
} Seen;

static slStatus on_block(void* ctx, long block, const void* rows, int nrows, slError* err) {
  Seen* s = ctx;
  if (s->stop_after > 0 && s->n >= s->stop_after)
    return sl_fail(err, SL_ERR_ARG, "scan", "stopped at block %ld", block);
  assert_true(s->n < 64);
  s->blocks[s->n++] = block;
  assert_int_equal(nrows, nrows_of(block));
  double want[9];
  rows_of(block, want);
  assert_memory_equal(rows, want, (size_t)nrows * ROWB);
  return SL_OK;
}

static void assert_scan(slJournal* j, const long* want, int n) {
  Seen    s = {{0}, 0, 0};
  slError e;
  ok(sl_journal_scan(j, on_block, &s, &e), &e);
  assert_int_equal(s.n, n);
  for (int i = 0; i < n; i++) assert_int_equal(s.blocks[i], want[i]);
}

static void assert_done(const slJournal* j, const char* flags) {
  long n = 0;
  for (long b = 0; b < NBLOCK; b++) {
    assert_int_equal(sl_journal_done(j, b), flags[b] == '1');
    n += flags[b] == '1';
  }
  assert_int_equal(sl_journal_ndone(j), n);
  assert_int_equal(sl_journal_done(j, -1), 0);
  assert_int_equal(sl_journal_done(j, NBLOCK), 0);
}

static void test_create_append_resume(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "a.journal");
  slJournal* j = open_j(p, 0);
  assert_done(j, "000000");
  assert_int_equal(file_size(p), HEADER);  // the header is on disk at once
  append(j, 4);
  append(j, 0);
  append(j, 2);
  assert_done(j, "101010");
  slError e;
  ok(sl_journal_sync(j, &e), &e);
  long sz = HEADER + 3 * REC + (nrows_of(4) + nrows_of(0) + nrows_of(2)) * ROWB;
  assert_int_equal(file_size(p), sz);
  // scanning does not disturb appending
  const long order1[] = {4, 0, 2};
  assert_scan(j, order1, 3);
  append(j, 5);
  ok(sl_journal_sync(j, &e), &e);
  const long order2[] = {4, 0, 2, 5};
  assert_scan(j, order2, 4);
  sl_journal_close(j);

  // resume: the same blocks done, scanned in file order, and more can be appended
  j = open_j(p, 1);
  assert_done(j, "101011");
  assert_scan(j, order2, 4);
  append(j, 1);
  append(j, 1);  // a block appended twice counts once (both records stay)
  assert_done(j, "111011");
  ok(sl_journal_sync(j, &e), &e);
  sl_journal_close(j);
  j = open_j(p, 1);
  assert_done(j, "111011");
  const long order3[] = {4, 0, 2, 5, 1, 1};
  assert_scan(j, order3, 6);
  // an error from the callback stops the scan and comes back
  Seen s = {{0}, 0, 2};
  assert_int_equal(sl_journal_scan(j, on_block, &s, &e), SL_ERR_ARG);
  assert_int_equal(s.n, 2);
  assert_contains(e.msg, "stopped at block 2");
  // ... and the journal still appends at its end afterwards
  append(j, 3);
  ok(sl_journal_sync(j, &e), &e);
  sl_journal_close(j);
  j = open_j(p, 1);
  assert_done(j, "111111");
  const long order4[] = {4, 0, 2, 5, 1, 1, 3};
  assert_scan(j, order4, 7);
  sl_journal_close(j);

  // creating again (resume = 0) replaces the old journal
  j = open_j(p, 0);
  assert_done(j, "000000");
  assert_scan(j, NULL, 0);
  sl_journal_close(j);
  assert_int_equal(file_size(p), HEADER);
  sl_journal_close(NULL);
  assert_int_equal(sl_journal_remove(p), 0);
}

static void test_other_sweep_refused(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "b.journal");
  slJournal* j = open_j(p, 0);
  append(j, 1);
  slError e;
  ok(sl_journal_sync(j, &e), &e);
  sl_journal_close(j);
  long sz = file_size(p);
  struct {
    uint64_t fp;
    long     nblock;
    int      rowbytes;
  } bad[] = {{FP ^ 1, NBLOCK, ROWB}, {FP, NBLOCK + 1, ROWB}, {FP, NBLOCK, ROWB + 8}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    j = (slJournal*)1;
    memset(&e, 0, sizeof e);
    assert_int_equal(sl_journal_open(&j, p, bad[k].fp, bad[k].nblock, bad[k].rowbytes, 1, &e),
                     SL_ERR_ARG);
    assert_null(j);
    assert_int_equal(e.code, SL_ERR_ARG);
    assert_string_equal(e.where, p);
    assert_contains(e.msg, "different sweep");
    assert_contains(e.msg, "remove it");
    assert_int_equal(file_size(p), sz);  // a refused journal is left as it was
  }
  // the right header still resumes
  j = open_j(p, 1);
  assert_done(j, "010000");
  sl_journal_close(j);

  // not a journal at all
  FILE* f = fopen(p, "wb");
  assert_non_null(f);
  fputs("this is not a journal, just some text of more than a header", f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(sl_journal_open(&j, p, FP, NBLOCK, ROWB, 1, &e), SL_ERR_PARSE);
  assert_null(j);
  assert_string_equal(e.where, p);
  assert_contains(e.msg, "not a spineload sweep journal");
  f = fopen(p, "wb");  // empty
  assert_non_null(f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(sl_journal_open(&j, p, FP, NBLOCK, ROWB, 1, &e), SL_ERR_PARSE);
  // missing, and a directory that does not exist
  assert_int_equal(sl_journal_remove(p), 0);
  assert_int_equal(sl_journal_open(&j, p, FP, NBLOCK, ROWB, 1, &e), SL_ERR_IO);
  assert_null(j);
  assert_string_equal(e.where, p);
  assert_contains(e.msg, "cannot open");
  assert_int_equal(sl_journal_open(&j, OUTDIR "/no/such/dir.journal", FP, NBLOCK, ROWB, 0, &e),
                   SL_ERR_IO);
  assert_contains(e.msg, "cannot create");
  assert_int_equal(sl_journal_open(&j, p, FP, NBLOCK, ROWB, 1, NULL), SL_ERR_IO);
  // removing what is not there fails
  assert_true(sl_journal_remove(p) != 0);
}

static void truncate_to(const char* p, long size) {
  assert_int_equal(truncate(p, (off_t)size), 0);
}

// a journal of blocks 0, 1, 2 (record sizes known); returns the offsets after each record
static void three_blocks(const char* p, long end[3]) {
  slJournal* j = open_j(p, 0);
  slError    e;
  long       at = HEADER;
  for (long b = 0; b < 3; b++) {
    append(j, b);
    at += REC + nrows_of(b) * ROWB;
    end[b] = at;
  }
  ok(sl_journal_sync(j, &e), &e);
  sl_journal_close(j);
  assert_int_equal(file_size(p), end[2]);
}

static void test_torn_tail(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "c.journal");
  long end[3];
  // cut at every byte inside the last record: that block is not done, the tail is cut off
  three_blocks(p, end);
  for (long cut = end[1] + 1; cut < end[2]; cut += 5) {
    three_blocks(p, end);
    truncate_to(p, cut);
    slJournal* j = open_j(p, 1);
    assert_done(j, "110000");
    assert_int_equal(file_size(p), end[1]);  // the torn record is gone from the file
    const long order[] = {0, 1};
    assert_scan(j, order, 2);
    // computing the block again appends it where the torn one was
    append(j, 2);
    slError e;
    ok(sl_journal_sync(j, &e), &e);
    sl_journal_close(j);
    assert_int_equal(file_size(p), end[2]);
    j = open_j(p, 1);
    assert_done(j, "111000");
    const long all[] = {0, 1, 2};
    assert_scan(j, all, 3);
    sl_journal_close(j);
  }
  // cut exactly after a record: nothing lost
  three_blocks(p, end);
  truncate_to(p, end[1]);
  slJournal* j = open_j(p, 1);
  assert_done(j, "110000");
  sl_journal_close(j);
  // only the header left
  truncate_to(p, HEADER);
  j = open_j(p, 1);
  assert_done(j, "000000");
  assert_scan(j, NULL, 0);
  sl_journal_close(j);
  // a torn header is not a journal
  truncate_to(p, HEADER - 1);
  slError e;
  assert_int_equal(sl_journal_open(&j, p, FP, NBLOCK, ROWB, 1, &e), SL_ERR_PARSE);
  assert_int_equal(sl_journal_remove(p), 0);
}

static void flip_byte(const char* p, long at) {
  FILE* f = fopen(p, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, at, SEEK_SET), 0);
  int c = fgetc(f);
  assert_true(c != EOF);
  assert_int_equal(fseek(f, at, SEEK_SET), 0);
  assert_int_equal(fputc(c ^ 0x40, f), c ^ 0x40);
  assert_int_equal(fclose(f), 0);
}

// a corrupt record (payload, checksum, block number or magic) in the middle: it and everything
// after are cut, the blocks before stay done
static void test_corrupt_record(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "d.journal");
  long       end[3];
  const long where[] = {0, 4, 4 + 8, REC - 8 + 3, REC - 8 + ROWB * 2 + 7};  // in record 1
  for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
    three_blocks(p, end);
    flip_byte(p, end[0] + where[k]);
    slJournal* j = open_j(p, 1);
    assert_done(j, "100000");
    assert_int_equal(file_size(p), end[0]);
    const long order[] = {0};
    assert_scan(j, order, 1);
    sl_journal_close(j);
  }
  // a record naming a block out of range is corrupt too
  three_blocks(p, end);
  {
    FILE* f = fopen(p, "r+b");
    assert_non_null(f);
    uint64_t big = NBLOCK;
    assert_int_equal(fseek(f, end[1] + 4, SEEK_SET), 0);
    assert_int_equal(fwrite(&big, 8, 1, f), 1);
    assert_int_equal(fclose(f), 0);
  }
  slJournal* j = open_j(p, 1);
  assert_done(j, "110000");
  sl_journal_close(j);
  assert_int_equal(sl_journal_remove(p), 0);
}

// one writer at a time: while a journal is open, opening it again (new or resume) is refused and
// leaves it as it was; sl_journal_busy says so; closing releases it
// a block outside 0..nblock-1 (or a negative row count) is refused and nothing is written: it
// was written, and done[] indexed outside its nblock entries
static void test_append_out_of_range(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "range.journal");
  slJournal* j = open_j(p, 0);
  double     rows[3] = {1, 2, 3};
  slError    e;
  const long bad[] = {-1, NBLOCK, NBLOCK + 1000, -1000000};
  for (int i = 0; i < 4; i++) {
    assert_int_equal(sl_journal_append(j, bad[i], rows, 1, &e), SL_ERR_ARG);
    assert_contains(e.msg, "is not one of 0..5");
  }
  assert_int_equal(sl_journal_append(j, 0, rows, -1, &e), SL_ERR_ARG);
  ok(sl_journal_sync(j, &e), &e);
  assert_int_equal(file_size(p), HEADER);
  assert_done(j, "000000");
  append(j, NBLOCK - 1);  // the last block is still fine
  assert_done(j, "000001");
  sl_journal_close(j);
  j = open_j(p, 1);
  assert_done(j, "000001");
  sl_journal_close(j);
  remove(p);
}

static void test_lock(void** state) {
  (void)state;
  char p[1024];
  jpath(p, sizeof p, "e.journal");
  assert_int_equal(sl_journal_busy(p), 0);  // no file
  slJournal* j = open_j(p, 0);
  append(j, 2);
  slError e;
  ok(sl_journal_sync(j, &e), &e);
  long sz = file_size(p);
  assert_int_equal(sl_journal_busy(p), 1);
  for (int resume = 0; resume < 2; resume++) {
    slJournal* k = (slJournal*)1;
    assert_int_equal(sl_journal_open(&k, p, FP, NBLOCK, ROWB, resume, &e), SL_ERR_ARG);
    assert_null(k);
    assert_string_equal(e.where, p);
    assert_contains(e.msg, "another sweep is writing this output");
    assert_int_equal(file_size(p), sz);  // not truncated by the refused create
  }
  assert_int_equal(sl_journal_busy(p), 1);  // asking does not take the lock away
  sl_journal_close(j);
  assert_int_equal(sl_journal_busy(p), 0);
  j = open_j(p, 1);
  assert_done(j, "001000");
  sl_journal_close(j);
  assert_int_equal(sl_journal_remove(p), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_append_resume),
      cmocka_unit_test(test_other_sweep_refused),
      cmocka_unit_test(test_torn_tail),
      cmocka_unit_test(test_corrupt_record),
      cmocka_unit_test(test_append_out_of_range),
      cmocka_unit_test(test_lock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
