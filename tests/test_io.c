// test_io.c: whole-file reads (content, length, embedded NULs, large files, a missing file),
// directory joins, safe concatenation, the sorted *.yaml listing, same-file checks, and the
// temporary-name / commit protocol of crash-safe writes.
// covers: sl_io
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_io.h"
#include "testutil.h"

#define OUTDIR SL_TEST_BINARY_DIR "/test_io_out"

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

static int file_exists(const char* p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void make_dir(const char* p) {
  if (mkdir(p, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", p);
}

static void write_bytes(const char* path, const void* bytes, size_t n) {
  FILE* fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

static void test_read_file(void** state) {
  (void)state;
  make_dir(OUTDIR);
  char *  buf = (char*)1, path[1024];
  size_t  len = 99;
  slError e;
  // small text
  snprintf(path, sizeof path, "%s/small.txt", OUTDIR);
  write_bytes(path, "hello\nworld", 11);
  assert_int_equal(sl_read_file(path, &buf, &len, &e), SL_OK);
  assert_int_equal(len, 11);
  assert_string_equal(buf, "hello\nworld");
  sl_free_buf(buf);
  // empty file: a non-NULL empty string
  snprintf(path, sizeof path, "%s/empty.txt", OUTDIR);
  write_bytes(path, "", 0);
  assert_int_equal(sl_read_file(path, &buf, &len, &e), SL_OK);
  assert_non_null(buf);
  assert_int_equal(len, 0);
  assert_int_equal(buf[0], '\0');
  sl_free_buf(buf);
  // binary with NULs, and sizes around the 64 KiB growth steps
  const size_t sizes[] = {65535, 65536, 65537, 300001};
  for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
    size_t         n = sizes[t];
    unsigned char* data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++) data[i] = (unsigned char)(i * 31 + i / 251);
    snprintf(path, sizeof path, "%s/bin%zu", OUTDIR, n);
    write_bytes(path, data, n);
    assert_int_equal(sl_read_file(path, &buf, &len, &e), SL_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, data, n);
    assert_int_equal(buf[n], '\0');
    sl_free_buf(buf);
    remove(path);
    free(data);
  }
  // missing: SL_ERR_IO naming the path, outputs cleared
  buf = (char*)1;
  len = 5;
  const char* missing = OUTDIR "/no_such_dir/missing.yaml";
  assert_int_equal(sl_read_file(missing, &buf, &len, &e), SL_ERR_IO);
  assert_null(buf);
  assert_int_equal(len, 0);
  assert_int_equal(e.code, SL_ERR_IO);
  assert_string_equal(e.where, missing);
  assert_contains(e.msg, "cannot open");
  assert_contains(e.msg, strerror(ENOENT));
  assert_int_equal(sl_read_file(missing, &buf, &len, NULL), SL_ERR_IO);  // NULL error is fine
  // a directory opens but cannot be read, and says so
  assert_int_equal(sl_read_file(OUTDIR, &buf, &len, &e), SL_ERR_IO);
  assert_null(buf);
  assert_string_equal(e.where, OUTDIR);
  assert_string_equal(e.msg, "is a directory, not a file");
  sl_free_buf(NULL);
}

static void test_path_join_dir(void** state) {
  (void)state;
  char out[64];
  sl_path_join_dir("scenarios/examples/basic.yaml", "../../models/m.yaml", out, sizeof out);
  assert_string_equal(out, "scenarios/examples/../../models/m.yaml");
  sl_path_join_dir("/abs/dir/file.yaml", "x.csv", out, sizeof out);
  assert_string_equal(out, "/abs/dir/x.csv");
  sl_path_join_dir("/file.yaml", "x.csv", out, sizeof out);  // the root directory
  assert_string_equal(out, "/x.csv");
  // no directory in path, or an absolute rel: rel unchanged
  sl_path_join_dir("file.yaml", "x.csv", out, sizeof out);
  assert_string_equal(out, "x.csv");
  sl_path_join_dir("a/b/file.yaml", "/etc/x.csv", out, sizeof out);
  assert_string_equal(out, "/etc/x.csv");
  sl_path_join_dir(NULL, "x.csv", out, sizeof out);
  assert_string_equal(out, "x.csv");
  sl_path_join_dir("a/f", NULL, out, sizeof out);
  assert_string_equal(out, "");
  // truncated to the buffer, NUL-terminated
  sl_path_join_dir("abcdef/f.yaml", "ghijkl", out, 8);
  assert_string_equal(out, "abcdef/");
}

static void test_strcat(void** state) {
  (void)state;
  char b[12] = "";
  sl_strcat(b, sizeof b, ", ", "one");  // no separator before the first item
  assert_string_equal(b, "one");
  sl_strcat(b, sizeof b, ", ", "two");
  assert_string_equal(b, "one, two");
  sl_strcat(b, sizeof b, ", ", "three");  // 8 + 2 + 5 > 11: cut at capacity - 1
  assert_string_equal(b, "one, two, t");
  assert_int_equal(strlen(b), sizeof b - 1);
  sl_strcat(b, sizeof b, ", ", "more");  // full: unchanged
  assert_string_equal(b, "one, two, t");
  // the separator alone can be cut
  char c[6] = "abcd";
  sl_strcat(c, sizeof c, "--", "x");
  assert_string_equal(c, "abcd-");
  // NULL separator and NULL string
  char d[16] = "a";
  sl_strcat(d, sizeof d, NULL, "b");
  assert_string_equal(d, "ab");
  sl_strcat(d, sizeof d, "+", NULL);
  assert_string_equal(d, "ab+");
  // a buffer of one byte stays empty
  char one[1] = "";
  sl_strcat(one, sizeof one, " ", "x");
  assert_string_equal(one, "");
}

static void test_list_yaml(void** state) {
  (void)state;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/list", OUTDIR);
  make_dir(OUTDIR);
  make_dir(dir);
  // created out of order, with files that are not taken
  const char* names[] = {"zeta.yaml", "alpha.yaml", "Mid.yaml", "b.yaml", "notes.txt",
                         "x.yml",     "y.yaml.bak", ".yaml",    "c.YAML"};
  char        p[2048];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    write_bytes(p, "a: 1\n", 5);
  }
  assert_int_equal(sl_list_yaml(dir, NULL, 0), 4);
  char(*out)[1024] = calloc(8, sizeof *out);
  assert_non_null(out);
  assert_int_equal(sl_list_yaml(dir, out, 8), 4);
  // sorted by name (byte order: upper case first), as dir/name
  const char* want[4] = {"Mid.yaml", "alpha.yaml", "b.yaml", "zeta.yaml"};
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, want[i]);
    assert_string_equal(out[i], p);
  }
  // room for fewer: at most max, still sorted (which two is up to the directory order)
  memset(out, 0, 8 * sizeof *out);
  assert_int_equal(sl_list_yaml(dir, out, 2), 2);
  assert_true(strcmp(out[0], out[1]) < 0);
  assert_int_equal(strncmp(out[1], dir, strlen(dir)), 0);
  assert_string_equal(out[2], "");
  // an empty directory, a missing one
  char empty[1100];
  snprintf(empty, sizeof empty, "%s/empty", OUTDIR);
  make_dir(empty);
  assert_int_equal(sl_list_yaml(empty, out, 8), 0);
  assert_int_equal(sl_list_yaml(empty, NULL, 0), 0);
  assert_int_equal(sl_list_yaml(OUTDIR "/no_such_dir", out, 8), -1);
  assert_int_equal(sl_list_yaml(OUTDIR "/no_such_dir", NULL, 0), -1);
  // the real position library: sorted and counted alike
  char lib[1024];
  snprintf(lib, sizeof lib, "%s/scenarios/positions", SL_TEST_SOURCE_DIR);
  int n = sl_list_yaml(lib, NULL, 0);
  assert_true(n >= 2);
  char(*pos)[1024] = calloc((size_t)n, sizeof *pos);
  assert_non_null(pos);
  assert_int_equal(sl_list_yaml(lib, pos, n), n);
  for (int i = 0; i < n; i++) {
    assert_int_equal(strncmp(pos[i], lib, strlen(lib)), 0);
    assert_int_equal(access(pos[i], R_OK), 0);
    if (i) assert_true(strcmp(pos[i - 1], pos[i]) < 0);
  }
  free(pos);
  free(out);
}

static void test_tmp_and_commit(void** state) {
  (void)state;
  make_dir(OUTDIR);
  char        tmp[1200], want[1200];
  const char* path = OUTDIR "/out.h5";
  sl_tmp_name(path, tmp, sizeof tmp);
  snprintf(want, sizeof want, "%s.tmp.%ld", path, (long)getpid());
  assert_string_equal(tmp, want);
  char small[10];
  sl_tmp_name(path, small, sizeof small);  // truncated, terminated
  assert_int_equal(strlen(small), sizeof small - 1);

  // commit moves the temporary over the final name, replacing an old file
  remove(path);
  write_bytes(path, "old", 3);
  write_bytes(tmp, "new content", 11);
  slError e;
  assert_int_equal(sl_commit_file(tmp, path, &e), SL_OK);
  assert_false(file_exists(tmp));
  char*  buf = NULL;
  size_t len = 0;
  assert_int_equal(sl_read_file(path, &buf, &len, NULL), SL_OK);
  assert_string_equal(buf, "new content");
  sl_free_buf(buf);

  // failure (the target's directory does not exist): the temporary is removed, SL_ERR_WRITE (the
  // output was made but could not be put in place) names the final path, nothing appears there
  const char* bad = OUTDIR "/no_such_dir/out.h5";
  write_bytes(tmp, "x", 1);
  assert_int_equal(sl_commit_file(tmp, bad, &e), SL_ERR_WRITE);
  assert_int_equal(e.code, SL_ERR_WRITE);
  assert_string_equal(e.where, bad);
  assert_contains(e.msg, "cannot move");
  assert_false(file_exists(tmp));
  assert_false(file_exists(bad));
  // a missing temporary is an error too (and NULL err is fine)
  assert_int_equal(sl_commit_file(tmp, path, NULL), SL_ERR_WRITE);
  assert_true(file_exists(path));  // the earlier output is untouched
  remove(path);
}

static void test_same_file(void** state) {
  (void)state;
  make_dir(OUTDIR);
  const char *a = OUTDIR "/same_a", *b = OUTDIR "/same_b", *l = OUTDIR "/same_link";
  remove(l);
  write_bytes(a, "a", 1);
  write_bytes(b, "a", 1);  // same content, another file
  assert_int_equal(sl_same_file(a, a), 1);
  assert_int_equal(sl_same_file(a, OUTDIR "/../test_io_out/same_a"), 1);
  assert_int_equal(sl_same_file(a, b), 0);
  assert_int_equal(symlink("same_a", l), 0);
  assert_int_equal(sl_same_file(l, a), 1);  // through a link
  assert_int_equal(sl_same_file(a, OUTDIR "/missing"), 0);
  assert_int_equal(sl_same_file(OUTDIR "/missing", OUTDIR "/missing"), 0);
  remove(l);
  remove(a);
  remove(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_read_file),      cmocka_unit_test(test_path_join_dir),
      cmocka_unit_test(test_strcat),         cmocka_unit_test(test_list_yaml),
      cmocka_unit_test(test_tmp_and_commit), cmocka_unit_test(test_same_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
