// test_status.c: error filling (with and without an slError, with and without a location, long
// messages truncated), locations, the status strings, the clock, and the build's provenance and
// source paths.
// covers: sl_status sl_version
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sl_config.h"
#include "sl_status.h"
#include "spineload.h"
#include "testutil.h"

static void test_fail(void** state) {
  (void)state;
  slError e;
  memset(&e, 'x', sizeof e);
  assert_int_equal(sl_fail(&e, SL_ERR_RANGE, "a.yaml:3:7", "value %d of '%s'", 42, "k"),
                   SL_ERR_RANGE);
  assert_int_equal(e.code, SL_ERR_RANGE);
  assert_string_equal(e.where, "a.yaml:3:7");
  assert_string_equal(e.msg, "value 42 of 'k'");
  // no location: where is emptied (not left from before)
  assert_int_equal(sl_fail(&e, SL_ERR_IO, NULL, "plain"), SL_ERR_IO);
  assert_int_equal(e.code, SL_ERR_IO);
  assert_string_equal(e.where, "");
  assert_string_equal(e.msg, "plain");
  // no error structure: only the code comes back
  assert_int_equal(sl_fail(NULL, SL_ERR_KEY, "w", "m %s", "x"), SL_ERR_KEY);
  assert_int_equal(sl_fail(NULL, SL_OK, NULL, "ok"), SL_OK);
}

static void test_truncation(void** state) {
  (void)state;
  // a message and a location longer than their buffers are cut, NUL-terminated, at capacity - 1
  char long_msg[3000], long_where[2000];
  for (size_t i = 0; i < sizeof long_msg - 1; i++) long_msg[i] = (char)('a' + i % 26);
  long_msg[sizeof long_msg - 1] = '\0';
  memset(long_where, 'w', sizeof long_where - 1);
  long_where[sizeof long_where - 1] = '\0';
  slError e;
  assert_int_equal(sl_fail(&e, SL_ERR_PARSE, long_where, "%s", long_msg), SL_ERR_PARSE);
  assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
  assert_memory_equal(e.msg, long_msg, sizeof e.msg - 1);
  assert_int_equal(strlen(e.where), sizeof e.where - 1);
  assert_memory_equal(e.where, long_where, sizeof e.where - 1);
  // just fitting: not cut
  long_msg[sizeof e.msg - 1] = '\0';
  assert_int_equal(sl_fail(&e, SL_ERR_PARSE, "", "%s", long_msg), SL_ERR_PARSE);
  assert_string_equal(e.msg, long_msg);
}

static void test_where(void** state) {
  (void)state;
  char b[64];
  sl_where(b, sizeof b, "f.yaml", 12, 5);
  assert_string_equal(b, "f.yaml:12:5");
  sl_where(b, sizeof b, "f.yaml", 0, 5);  // no line: just the file
  assert_string_equal(b, "f.yaml");
  sl_where(b, sizeof b, NULL, 3, 1);
  assert_string_equal(b, "<input>:3:1");
  sl_where(b, sizeof b, NULL, 0, 0);
  assert_string_equal(b, "<input>");
  sl_where(b, 8, "abcdefghij.yaml", 1, 1);  // truncated to the buffer
  assert_string_equal(b, "abcdefg");
}

static void test_status_str(void** state) {
  (void)state;
  static const char* const want[SL_STATUS_COUNT] = {
      "success",
      "invalid argument",
      "out of memory",
      "file could not be read or written",
      "syntax error in input file",
      "unknown or missing key",
      "value has the wrong type",
      "value out of range",
      "model failed validation",
      "LAPACK reported an illegal argument",
      "HDF5 call failed",
      "interrupted by a signal",
      "output could not be written out (disk full?)",
  };
  assert_int_equal(SL_STATUS_COUNT, 13);
  for (int s = 0; s < SL_STATUS_COUNT; s++) {
    assert_string_equal(sl_status_str((slStatus)s), want[s]);
    for (int t = 0; t < s; t++)
      assert_string_not_equal(sl_status_str((slStatus)s), sl_status_str((slStatus)t));
  }
  assert_int_equal(SL_OK, 0);
  assert_int_equal(SL_ERR_WRITE, SL_STATUS_COUNT - 1);
  assert_string_equal(sl_status_str(SL_STATUS_COUNT), "unknown status");
  assert_string_equal(sl_status_str((slStatus)-1), "unknown status");
  assert_string_equal(sl_status_str((slStatus)1000), "unknown status");
}

static void test_clock(void** state) {
  (void)state;
  double t0 = sl_clock(), prev = t0;
  assert_true(t0 > 0);
  for (int i = 0; i < 100000; i++) {
    double t = sl_clock();
    assert_true(t >= prev);
    prev = t;
  }
  struct timespec ts = {0, 20 * 1000 * 1000};  // 20 ms
  nanosleep(&ts, NULL);
  double dt = sl_clock() - t0;
  assert_true(dt >= 0.019);
  assert_true(dt < 5.0);
}

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

static void test_version(void** state) {
  (void)state;
  const char* v = sl_version();
  assert_non_null(v);
  assert_string_equal(v, SL_VERSION);
  int a = -1, b = -1, c = -1, end = 0;
  assert_int_equal(sscanf(v, "%d.%d.%d%n", &a, &b, &c, &end), 3);
  assert_int_equal((size_t)end, strlen(v));  // exactly MAJOR.MINOR.PATCH
  assert_true(a >= 0 && b >= 0 && c >= 0);

  const char* s = sl_build_summary();
  assert_true(strlen(s) > 0);
  assert_contains(s, SL_C_COMPILER);
  assert_contains(s, SL_BUILD_TYPE);
  assert_contains(s, SL_GIT_REV);

  const char* info = sl_build_info();
  assert_true(strlen(info) > 0);
  char head[256];
  snprintf(head, sizeof head, "spineload %s (git %s)", v, SL_GIT_REV);
  assert_int_equal(strncmp(info, head, strlen(head)), 0);
  assert_contains(info, SL_C_COMPILER);
  assert_contains(info, SL_BUILD_TYPE);
  assert_contains(info, "\nflags: ");
  assert_contains(info, SL_C_FLAGS);
  // two lines, each ending in a newline
  int nl = 0;
  for (const char* p = info; *p; p++) nl += *p == '\n';
  assert_int_equal(nl, 2);
  assert_int_equal(info[strlen(info) - 1], '\n');
}

#define SCRATCH SL_TEST_BINARY_DIR "/test_status_out"

static void test_source_path(void** state) {
  (void)state;
  char out[2048];
  // run from a scratch directory: a relative path that is readable there is kept as given
  char cwd[2048];
  assert_non_null(getcwd(cwd, sizeof cwd));
  if (mkdir(SCRATCH, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", SCRATCH);
  assert_int_equal(chdir(SCRATCH), 0);
  FILE* f = fopen("here.yaml", "w");
  assert_non_null(f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(sl_source_path("here.yaml", out, sizeof out), 0);
  assert_string_equal(out, "here.yaml");
  // not readable here: under the source directory the library was built from
  assert_int_equal(sl_source_path("models/adult_male.yaml", out, sizeof out), 0);
  assert_string_equal(out, SL_SOURCE_DIR "/models/adult_male.yaml");
  assert_int_equal(access(out, R_OK), 0);
  // a file that exists nowhere still gets the source-directory form (the caller reports it)
  assert_int_equal(sl_source_path("no/such/file.yaml", out, sizeof out), 0);
  assert_string_equal(out, SL_SOURCE_DIR "/no/such/file.yaml");
  // too small: -1, truncated to n - 1 bytes of the path
  assert_int_equal(sl_source_path("here.yaml", out, 5), -1);
  assert_string_equal(out, "here");
  assert_int_equal(sl_source_path("here.yaml", out, 10), 0);  // exactly fits
  assert_int_equal(sl_source_path("models/adult_male.yaml", out, 10), -1);
  assert_int_equal(strlen(out), 9);
  // the first 9 bytes of the full form (the source directory may be shorter than 9 bytes)
  assert_int_equal(strncmp(out, SL_SOURCE_DIR "/models/adult_male.yaml", 9), 0);
  remove("here.yaml");
  assert_int_equal(chdir(cwd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fail),        cmocka_unit_test(test_truncation),
      cmocka_unit_test(test_where),       cmocka_unit_test(test_status_str),
      cmocka_unit_test(test_clock),       cmocka_unit_test(test_version),
      cmocka_unit_test(test_source_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
