// test_csv.c: the located CSV reader: quoting, comments, line endings, errors with positions.
// covers: sl_csv
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_csv.h"
#include "testutil.h"

static slCsv* parse_ok(const char* text) {
  slCsv*   c = NULL;
  slError  e;
  slStatus st = sl_csv_parse(&c, text, strlen(text), "t.csv", &e);
  if (st != SL_OK) fail_msg("parse failed: %s: %s", e.where, e.msg);
  assert_non_null(c);
  return c;
}

static slStatus parse_err(const char* text, slError* e) {
  slCsv* c = (slCsv*)1;
  memset(e, 0, sizeof *e);
  slStatus st = sl_csv_parse(&c, text, strlen(text), "t.csv", e);
  assert_int_not_equal(st, SL_OK);
  assert_null(c);
  assert_int_equal(e->code, st);
  return st;
}

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

static const char* cell(const slCsv* c, int r, int k) {
  return c->cell[r * c->ncol + k];
}

static void test_basic(void** state) {
  (void)state;
  slCsv* c = parse_ok("name,group,fmax_N\nfront,flexor,1000\nback,,250.5\n");
  assert_string_equal(c->file, "t.csv");
  assert_int_equal(c->ncol, 3);
  assert_int_equal(c->nrow, 2);
  assert_string_equal(c->header[2], "fmax_N");
  assert_string_equal(cell(c, 0, 0), "front");
  assert_string_equal(cell(c, 1, 1), "");
  assert_string_equal(cell(c, 1, 2), "250.5");
  assert_int_equal(c->line[0], 2);
  assert_int_equal(c->line[1], 3);
  assert_int_equal(c->col[0 * 3 + 1], 7);
  assert_int_equal(c->col[1 * 3 + 2], 7);
  assert_int_equal(sl_csv_colidx(c, "group"), 1);
  assert_int_equal(sl_csv_colidx(c, "nope"), -1);
  assert_int_equal(sl_csv_colidx(NULL, "x"), -1);
  char w[64];
  sl_csv_where(c, 1, 2, w, sizeof w);
  assert_string_equal(w, "t.csv:3:7");
  sl_csv_where(c, 5, 0, w, sizeof w);
  assert_string_equal(w, "t.csv");
  sl_csv_free(c);
  sl_csv_free(NULL);
  // no trailing newline, a header without rows
  c = parse_ok("a,b\n1,2");
  assert_int_equal(c->nrow, 1);
  assert_string_equal(cell(c, 0, 1), "2");
  sl_csv_free(c);
  c = parse_ok("a,b\n");
  assert_int_equal(c->nrow, 0);
  assert_int_equal(c->ncol, 2);
  sl_csv_free(c);
}

static void test_quoting(void** state) {
  (void)state;
  slCsv* c = parse_ok(
      "name,note,x\n"
      "\"a,b\",\"say \"\"hi\"\"\",1\n"
      "\"two\n"
      "lines\",  \"spaced\"  , 2 \n"
      "\"\",plain text,3\n");
  assert_int_equal(c->nrow, 3);
  assert_string_equal(cell(c, 0, 0), "a,b");
  assert_string_equal(cell(c, 0, 1), "say \"hi\"");
  assert_string_equal(cell(c, 1, 0), "two\nlines");
  assert_string_equal(cell(c, 1, 1), "spaced");
  assert_string_equal(cell(c, 1, 2), "2");
  assert_string_equal(cell(c, 2, 0), "");
  assert_string_equal(cell(c, 2, 1), "plain text");
  assert_int_equal(c->line[1], 3);
  assert_int_equal(c->line[2], 5);
  char w[64];
  sl_csv_where(c, 1, 1, w, sizeof w);
  assert_string_equal(w, "t.csv:4:10");  // the cell is on the row's second line
  sl_csv_where(c, 1, 2, w, sizeof w);
  assert_string_equal(w, "t.csv:4:22");
  sl_csv_free(c);
}

static void test_comments_blank_crlf(void** state) {
  (void)state;
  slCsv* c = parse_ok(
      "\xEF\xBB\xBF# muscles\r\n"
      "\r\n"
      "name,fmax_N\r\n"
      "# a comment between rows\r\n"
      "a,1\r\n"
      "   \r\n"
      "  # indented comment\r\n"
      "b,\"2\"\r\n");
  assert_int_equal(c->ncol, 2);
  assert_int_equal(c->nrow, 2);
  assert_string_equal(c->header[0], "name");
  assert_string_equal(c->header[1], "fmax_N");
  assert_string_equal(cell(c, 0, 1), "1");
  assert_string_equal(cell(c, 1, 1), "2");
  assert_int_equal(c->line[0], 5);
  assert_int_equal(c->line[1], 8);
  slError e;
  assert_int_equal(sl_csv_num(c, 1, 1, 0, 10, "N", NULL, &e), SL_OK);
  static const char* const need[] = {"name", "side", NULL};
  assert_int_equal(sl_csv_require(c, need, &e), SL_ERR_KEY);
  assert_string_equal(e.where, "t.csv:3:1");  // the header's line
  assert_contains(e.msg, "missing column 'side'");
  assert_contains(e.msg, "name, fmax_N");
  static const char* const have[] = {"name", "fmax_N", NULL};
  assert_int_equal(sl_csv_require(c, have, &e), SL_OK);
  sl_csv_free(c);
}

static void test_ragged(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("a,b,c\n1,2,3\n# c\n4,5\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:4:1");
  assert_string_equal(e.msg, "row has 2 fields, the header (line 1) has 3");
  assert_int_equal(parse_err("a,b\n1,2\n3,4,5\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:3:5");
  assert_contains(e.msg, "row has 3 fields");
}

static void test_syntax_errors(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("a,b\n1,\"open\n2,3\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:2:3");
  assert_contains(e.msg, "not closed");
  assert_int_equal(parse_err("a,b\n1,\"x\"y\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:2:6");
  assert_contains(e.msg, "after a closing quote");
  assert_int_equal(parse_err("", &e), SL_ERR_PARSE);
  assert_contains(e.msg, "no header");
  assert_int_equal(parse_err("# nothing\n\n", &e), SL_ERR_PARSE);
  assert_int_equal(parse_err("a,b,a\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:1:5");
  assert_contains(e.msg, "duplicate column 'a'");
  assert_int_equal(parse_err("a,,b\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:1:3");
  assert_contains(e.msg, "empty column name");
  slCsv* c = NULL;
  assert_int_equal(sl_csv_parse(&c, "a\n\0\n", 4, "t.csv", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.csv:2:1");
  assert_null(c);
  assert_int_equal(sl_csv_parse(&c, "a,b\n1", 5, "t.csv", NULL), SL_ERR_PARSE);
  assert_int_equal(sl_csv_parse(NULL, "a", 1, "t.csv", &e), SL_ERR_ARG);
}

static void test_numbers(void** state) {
  (void)state;
  slCsv* c = parse_ok(
      "name,fmax_N,x_m\n"
      "a,1000,0.5\n"
      "b,abc,-1e-3\n"
      "c,-5,nan\n"
      "d,,inf\n"
      "e,0x10,1e999\n"
      "f,\" 5\",+.5\n");
  slError e;
  double  v = -1;
  assert_int_equal(sl_csv_num(c, 0, 1, 1e-3, 1e5, "N", &v, &e), SL_OK);
  assert_near(v, 1000, 0, 0);
  assert_int_equal(sl_csv_num(c, 1, 2, -5, 5, "m", &v, &e), SL_OK);
  assert_near(v, -1e-3, 0, 0);
  assert_int_equal(sl_csv_num(c, 5, 2, -5, 5, "m", &v, &e), SL_OK);
  assert_near(v, 0.5, 0, 0);
  v = -1;
  assert_int_equal(sl_csv_num(c, 1, 1, 1e-3, 1e5, "N", &v, &e), SL_ERR_TYPE);
  assert_string_equal(e.where, "t.csv:3:3");
  assert_string_equal(e.msg, "column 'fmax_N' must be a number, got 'abc'");
  assert_near(v, -1, 0, 0);
  assert_int_equal(sl_csv_num(c, 2, 1, 1e-3, 1e5, "N", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.csv:4:3");
  assert_string_equal(e.msg, "column 'fmax_N' = -5 is outside the allowed range [0.001, 100000] N");
  assert_int_equal(sl_csv_num(c, 2, 2, -5, 5, "m", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.csv:4:6");
  assert_contains(e.msg, "not a finite number");
  assert_int_equal(sl_csv_num(c, 3, 2, -5, 5, "m", &v, &e), SL_ERR_RANGE);
  assert_int_equal(sl_csv_num(c, 4, 2, -5, 5, "m", &v, &e), SL_ERR_RANGE);
  assert_int_equal(sl_csv_num(c, 3, 1, 0, 5, "", &v, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "column 'fmax_N' is empty, expected a number");
  assert_int_equal(sl_csv_num(c, 4, 1, 0, 5, "", &v, &e), SL_ERR_TYPE);
  assert_int_equal(sl_csv_num(c, 5, 1, 0, 5, "", &v, &e), SL_ERR_TYPE);  // quoted " 5"
  assert_int_equal(sl_csv_num(c, 9, 1, 0, 5, "", &v, &e), SL_ERR_ARG);
  assert_int_equal(sl_csv_num(c, 0, -1, 0, 5, "", &v, &e), SL_ERR_ARG);
  assert_near(v, -1, 0, 0);
  sl_csv_free(c);
}

static void test_load(void** state) {
  (void)state;
  slCsv*   c = NULL;
  slError  e;
  slStatus st = sl_csv_load(&c, SL_TEST_SOURCE_DIR "/tests/data/tiny_muscles.csv", &e);
  if (st != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  assert_true(c->nrow > 0);
  assert_true(sl_csv_colidx(c, "fmax_N") >= 0);
  sl_csv_free(c);
  assert_int_equal(sl_csv_load(&c, SL_TEST_SOURCE_DIR "/tests/data/no_such.csv", &e), SL_ERR_IO);
  assert_null(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),
      cmocka_unit_test(test_quoting),
      cmocka_unit_test(test_comments_blank_crlf),
      cmocka_unit_test(test_ragged),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
