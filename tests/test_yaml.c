// test_yaml.c: the located YAML tree: structure, positions, every error path, getters, editing.
// covers: sl_yaml
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_yaml.h"
#include "testutil.h"

static slyDoc* parse_ok(const char* text) {
  slyDoc*  d = NULL;
  slError  e;
  slStatus st = sly_parse(&d, text, strlen(text), "t.yaml", &e);
  if (st != SL_OK) fail_msg("parse failed: %s: %s", e.where, e.msg);
  assert_non_null(d);
  return d;
}

static slStatus parse_err(const char* text, slError* e) {
  slyDoc* d = (slyDoc*)1;
  memset(e, 0, sizeof *e);
  slStatus st = sly_parse(&d, text, strlen(text), "t.yaml", e);
  assert_int_not_equal(st, SL_OK);
  assert_null(d);
  assert_int_equal(e->code, st);
  return st;
}

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

// ---- structure and positions
// ---------------------------------------------------------------------
static void test_nested(void** state) {
  (void)state;
  slyDoc* d = parse_ok(
      "name: tiny\n"
      "subject: {sex: male, mass_kg: 10}\n"
      "list:\n"
      "  - 1\n"
      "  - [a, 'b']\n"
      "  - {x: \"q\"}\n"
      "empty:\n"
      "tilde: ~\n"
      "quoted_null: 'null'\n");
  slyNode* r = sly_root(d);
  assert_int_equal(r->kind, SLY_MAP);
  assert_int_equal(r->n, 6);
  assert_string_equal(r->key[0], "name");
  assert_string_equal(sly_get(r, "name")->str, "tiny");
  assert_int_equal(sly_get(r, "name")->quoted, 0);
  const slyNode* s = sly_get(r, "subject");
  assert_int_equal(s->kind, SLY_MAP);
  assert_int_equal(s->n, 2);
  assert_string_equal(sly_get(s, "sex")->str, "male");
  const slyNode* l = sly_get(r, "list");
  assert_int_equal(l->kind, SLY_SEQ);
  assert_int_equal(l->n, 3);
  assert_string_equal(l->item[0]->str, "1");
  assert_int_equal(l->item[1]->kind, SLY_SEQ);
  assert_string_equal(l->item[1]->item[1]->str, "b");
  assert_int_equal(l->item[1]->item[1]->quoted, 1);
  assert_string_equal(sly_get(l->item[2], "x")->str, "q");
  assert_int_equal(sly_get(l->item[2], "x")->quoted, 1);
  assert_int_equal(sly_get(r, "empty")->kind, SLY_NULL);
  assert_null(sly_get(r, "empty")->str);
  assert_int_equal(sly_get(r, "tilde")->kind, SLY_NULL);
  assert_int_equal(sly_get(r, "quoted_null")->kind, SLY_SCALAR);
  assert_string_equal(sly_get(r, "quoted_null")->str, "null");
  assert_int_equal(sly_find(r, "list"), 2);
  assert_int_equal(sly_find(r, "nope"), -1);
  assert_null(sly_get(r, "nope"));
  assert_null(sly_get(l, "x"));  // not a mapping
  assert_null(sly_get(NULL, "x"));
  sly_free(d);
}

static void test_positions(void** state) {
  (void)state;
  slyDoc* d = parse_ok(
      "# comment\n"
      "a: 1\n"
      "bb:\n"
      "  c: [10, 20]\n"
      "  d:\n"
      "    - x\n"
      "    -   y\n");
  slyNode* r = sly_root(d);
  assert_int_equal(r->line, 2);
  assert_int_equal(r->col, 1);
  assert_int_equal(r->key_line[0], 2);
  assert_int_equal(r->key_col[0], 1);
  const slyNode* a = sly_get(r, "a");
  assert_int_equal(a->line, 2);
  assert_int_equal(a->col, 4);
  assert_string_equal(a->file, "t.yaml");
  const slyNode* bb = sly_get(r, "bb");
  assert_int_equal(r->key_line[1], 3);
  assert_int_equal(bb->line, 4);
  assert_int_equal(bb->col, 3);
  const slyNode* c = sly_get(bb, "c");
  assert_int_equal(c->line, 4);
  assert_int_equal(c->col, 6);
  assert_int_equal(c->item[1]->line, 4);
  assert_int_equal(c->item[1]->col, 11);
  const slyNode* dd = sly_get(bb, "d");
  assert_int_equal(bb->key_line[1], 5);
  assert_int_equal(bb->key_col[1], 3);
  assert_int_equal(dd->item[1]->line, 7);
  assert_int_equal(dd->item[1]->col, 9);
  char w[64];
  sly_where(dd->item[1], w, sizeof w);
  assert_string_equal(w, "t.yaml:7:9");
  sly_key_where(bb, 1, w, sizeof w);
  assert_string_equal(w, "t.yaml:5:3");
  sly_where(NULL, w, sizeof w);
  assert_string_equal(w, "");
  sly_free(d);
}

static void test_empty(void** state) {
  (void)state;
  const char* texts[] = {"", "# only a comment\n", "---\n", "~\n"};
  for (int i = 0; i < 4; i++) {
    slyDoc* d = parse_ok(texts[i]);
    assert_int_equal(sly_root(d)->kind, SLY_NULL);
    sly_free(d);
  }
  slyDoc* d = NULL;
  assert_int_equal(sly_parse(&d, NULL, 0, "t.yaml", NULL), SL_OK);
  assert_int_equal(sly_root(d)->kind, SLY_NULL);
  sly_free(d);
  sly_free(NULL);
  assert_null(sly_root(NULL));
}

static void test_load(void** state) {
  (void)state;
  slyDoc*  d = NULL;
  slError  e;
  slStatus st = sly_load(&d, SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml", &e);
  if (st != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  const slyNode* segs = sly_get(sly_root(d), "segments");
  assert_non_null(segs);
  assert_int_equal(segs->kind, SLY_SEQ);
  assert_string_equal(segs->item[0]->file, SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml");
  sly_free(d);
  assert_int_equal(sly_load(&d, SL_TEST_SOURCE_DIR "/tests/data/no_such.yaml", &e), SL_ERR_IO);
  assert_null(d);
}

// ---- parse errors
// --------------------------------------------------------------------------------
static void test_syntax_error(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("a: 1\nb: [1, 2\nc: 3\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:3:2");
  assert_contains(e.msg, "did not find expected ',' or ']'");
  assert_contains(e.msg, "line 2, column 4");  // where the flow sequence started

  assert_int_equal(parse_err("a:\n\tb: 1\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:2:1");
  assert_contains(e.msg, "cannot start any token");

  assert_int_equal(parse_err("a: 1\n b: 2\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:2:3");
  assert_contains(e.msg, "mapping values are not allowed");

  // invalid UTF-8: a reader error, located from its byte offset
  assert_int_equal(parse_err("a: 1\nb: \xff\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:2:4");
  assert_contains(e.msg, "UTF-8");

  // the error struct may be NULL
  slyDoc* d = NULL;
  assert_int_equal(sly_parse(&d, "[", 1, "t.yaml", NULL), SL_ERR_PARSE);
  assert_null(d);
  assert_int_equal(sly_parse(NULL, "a", 1, "t.yaml", &e), SL_ERR_ARG);
}

static void test_duplicate_key(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("a: 1\nb: 2\nc:\n  x: 1\n  y: 2\n  x: 3\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:6:3");
  assert_contains(e.msg, "duplicate key 'x'");
  assert_contains(e.msg, "line 4, column 3");
  // the first repetition in document order is reported
  assert_int_equal(parse_err("{b: 1, a: 2, b: 3, a: 4}", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:1:14");
  assert_contains(e.msg, "duplicate key 'b'");
  // the same key in different mappings is fine
  slyDoc* d = parse_ok("a: {x: 1}\nb: {x: 2}\n");
  sly_free(d);
}

static void test_multiple_documents(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("a: 1\n---\nb: 2\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:2:1");
  assert_contains(e.msg, "more than one document");
}

static void test_non_scalar_key(void** state) {
  (void)state;
  slError e;
  assert_int_equal(parse_err("? [a, b]\n: 1\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:1:3");
  assert_contains(e.msg, "mapping key must be a scalar");
  assert_int_equal(parse_err("{{a: 1}: 2}", &e), SL_ERR_PARSE);
}

static void test_aliases(void** state) {
  (void)state;
  slyDoc* d = parse_ok(
      "base: &b {x: 1, y: [1, 2]}\n"
      "copy: *b\n"
      "k: &k name\n"
      "*k : 5\n");
  slyNode*       r = sly_root(d);
  const slyNode* b = sly_get(r, "base");
  const slyNode* c = sly_get(r, "copy");
  assert_ptr_not_equal(b, c);
  assert_int_equal(c->kind, SLY_MAP);
  assert_int_equal(c->line, 2);  // the copy is located where it is used
  assert_int_equal(c->col, 7);
  assert_string_equal(sly_get(c, "x")->str, "1");
  assert_int_equal(sly_get(c, "x")->line, 1);  // its contents where they were written
  assert_string_equal(sly_get(r, "name")->str, "5");
  // a copy: editing it leaves the original alone
  assert_int_equal(sly_set(d, "copy.x", "7", NULL), SL_OK);
  assert_string_equal(sly_path(r, "copy.x")->str, "7");
  assert_string_equal(sly_path(r, "base.x")->str, "1");
  sly_free(d);

  slError e;
  assert_int_equal(parse_err("a: *nope\n", &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:1:4");
  assert_contains(e.msg, "undefined alias '*nope'");
  assert_int_equal(parse_err("a: &r [1, *r]\n", &e), SL_ERR_PARSE);
  assert_contains(e.msg, "recursive");
  assert_int_equal(parse_err("a: &m {x: 1}\n*m : 2\n", &e), SL_ERR_PARSE);
  assert_contains(e.msg, "must name a scalar");
  // "billion laughs": exponential expansion is cut off
  char buf[2048];
  int  k = snprintf(buf, sizeof buf, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 10; i++)
    k += snprintf(buf + k, sizeof buf - (size_t)k,
                  "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i,
                  i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  assert_int_equal(parse_err(buf, &e), SL_ERR_PARSE);
  assert_contains(e.msg, "aliases expand to more than");
}

static char* nested(int depth, int block) {
  char*  s = malloc((size_t)depth * (size_t)depth * 2 + (size_t)depth * 8 + 16);
  size_t k = 0;
  if (block) {
    for (int i = 0; i < depth; i++) {
      memset(s + k, ' ', (size_t)i * 2);
      k += (size_t)i * 2;
      k += (size_t)sprintf(s + k, "a:\n");
    }
    s[k - 1] = ' ';
    k += (size_t)sprintf(s + k, "1\n");
  } else {
    for (int i = 0; i < depth; i++) s[k++] = '[';
    for (int i = 0; i < depth; i++) s[k++] = ']';
    s[k] = '\0';
  }
  return s;
}

static void test_too_deep(void** state) {
  (void)state;
  slError e;
  char*   s = nested(64, 0);
  slyDoc* d = parse_ok(s);
  sly_free(d);
  free(s);
  s = nested(65, 0);
  assert_int_equal(parse_err(s, &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:1:65");
  assert_contains(e.msg, "nesting deeper than 64 levels");
  free(s);
  s = nested(100000, 0);
  assert_int_equal(parse_err(s, &e), SL_ERR_PARSE);
  free(s);
  s = nested(64, 1);
  d = parse_ok(s);
  sly_free(d);
  free(s);
  s = nested(65, 1);
  assert_int_equal(parse_err(s, &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:65:129");
  free(s);
  // an alias may not bring the depth over the limit either
  s = nested(40, 0);
  char* t = malloc(strlen(s) + 128);
  int   k = sprintf(t, "a: &a %s\nb: ", s);
  for (int i = 0; i < 25; i++) t[k++] = '[';  // 1 + 25 open, + 40 from the alias
  k += sprintf(t + k, "*a");
  for (int i = 0; i < 25; i++) t[k++] = ']';
  t[k] = '\0';
  assert_int_equal(parse_err(t, &e), SL_ERR_PARSE);
  assert_string_equal(e.where, "t.yaml:2:29");
  assert_contains(e.msg, "nesting deeper than 64");
  free(t);
  free(s);
}

// ---- getters
// ---------------------------------------------------------------------------------------
static const char* const GET_DOC =
    "m:\n"
    "  mass_kg: -3\n"
    "  ok: 12.5\n"
    "  exp: 1.5e2\n"
    "  word: abc\n"
    "  spaced: ' 5'\n"
    "  hex: 0x10\n"
    "  nan1: .nan\n"
    "  nan2: nan\n"
    "  inf1: -.inf\n"
    "  inf2: Infinity\n"
    "  big: 1e999\n"
    "  list: [1, 2, 3]\n"
    "  map: {a: 1}\n"
    "  empty:\n"
    "  n: 42\n"
    "  f: 4.5\n"
    "  huge: 99999999999999999999999\n"
    "  t1: yes\n"
    "  t2: TRUE\n"
    "  t3: On\n"
    "  f1: no\n"
    "  f2: False\n"
    "  f3: OFF\n"
    "  maybe: maybe\n"
    "  sex: male\n"
    "  bad_sex: other\n"
    "  vec: [0, 1, 2]\n"
    "  vec_bad: [0, 9, 2]\n"
    "  vec_word: [0, x, 2]\n";

static void test_num(void** state) {
  (void)state;
  slyDoc*        d = parse_ok(GET_DOC);
  const slyNode* m = sly_get(sly_root(d), "m");
  slError        e;
  double         v = 0;
  assert_int_equal(sly_num(m, "ok", 1, 0, 100, "kg", &v, &e), SL_OK);
  assert_near(v, 12.5, 0, 0);
  assert_int_equal(sly_num(m, "exp", 1, 0, 1000, "", &v, &e), SL_OK);
  assert_near(v, 150, 0, 0);
  // absent and optional: untouched
  v = 7;
  assert_int_equal(sly_num(m, "absent", 0, 0, 1, "", &v, &e), SL_OK);
  assert_near(v, 7, 0, 0);
  // absent and required
  assert_int_equal(sly_num(m, "absent", 1, 0, 1, "", &v, &e), SL_ERR_KEY);
  assert_string_equal(e.where, "t.yaml:2:3");
  assert_string_equal(e.msg, "missing key 'absent'");
  // out of range: the message names the key, value, range and unit
  assert_int_equal(sly_num(m, "mass_kg", 1, 0.1, 500, "kg", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.yaml:2:12");
  assert_string_equal(e.msg, "key 'mass_kg' = -3 is outside the allowed range [0.1, 500] kg");
  assert_near(v, 7, 0, 0);
  assert_int_equal(sly_num(m, "ok", 1, 0, 10, "", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.msg, "key 'ok' = 12.5 is outside the allowed range [0, 10]");
  // not numbers
  const char* bad[] = {"word", "spaced", "hex", "list", "map", "empty"};
  for (int i = 0; i < 6; i++) {
    assert_int_equal(sly_num(m, bad[i], 1, 0, 100, "", &v, &e), SL_ERR_TYPE);
    assert_contains(e.msg, bad[i]);
    assert_contains(e.msg, "must be a number");
  }
  assert_int_equal(sly_num(m, "word", 1, 0, 100, "", &v, &e), SL_ERR_TYPE);
  assert_string_equal(e.where, "t.yaml:5:9");
  assert_string_equal(e.msg, "key 'word' must be a number, got 'abc'");
  // not finite
  const char* nonfinite[] = {"nan1", "nan2", "inf1", "inf2", "big"};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(sly_num(m, nonfinite[i], 1, -1e300, 1e300, "m", &v, &e), SL_ERR_RANGE);
    assert_contains(e.msg, "is not a finite number");
    assert_contains(e.msg, nonfinite[i]);
  }
  assert_int_equal(sly_num(m, "nan1", 1, 0, 1, "m", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.yaml:8:9");
  assert_string_equal(e.msg, "key 'nan1' = .nan is not a finite number (allowed range [0, 1] m)");
  assert_near(v, 7, 0, 0);
  // the map itself is not a mapping
  assert_int_equal(sly_num(sly_get(m, "list"), "x", 1, 0, 1, "", &v, &e), SL_ERR_KEY);
  assert_contains(e.msg, "not a mapping");
  assert_int_equal(sly_num(sly_get(m, "list"), "x", 0, 0, 1, "", &v, &e), SL_OK);
  assert_int_equal(sly_num(NULL, "x", 0, 0, 1, "", &v, NULL), SL_OK);
  assert_int_equal(sly_num(NULL, "x", 1, 0, 1, "", &v, NULL), SL_ERR_KEY);
  // a sequence item
  const slyNode* l = sly_get(m, "list");
  assert_int_equal(sly_node_num(l->item[2], "spline x", 0, 3, "deg", &v, &e), SL_OK);
  assert_near(v, 3, 0, 0);
  assert_int_equal(sly_node_num(l->item[2], "spline x", 0, 2, "deg", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.yaml:13:16");
  assert_string_equal(e.msg, "spline x = 3 is outside the allowed range [0, 2] deg");
  assert_int_equal(sly_node_num(l, "spline x", 0, 2, "deg", &v, &e), SL_ERR_TYPE);
  sly_free(d);
}

static void test_int(void** state) {
  (void)state;
  slyDoc*        d = parse_ok(GET_DOC);
  const slyNode* m = sly_get(sly_root(d), "m");
  slError        e;
  long           v = -1;
  assert_int_equal(sly_int(m, "n", 1, 0, 100, &v, &e), SL_OK);
  assert_int_equal(v, 42);
  assert_int_equal(sly_int(m, "n", 1, 0, 10, &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.msg, "key 'n' = 42 is outside the allowed range [0, 10]");
  assert_int_equal(sly_int(m, "huge", 1, 0, 10, &v, &e), SL_ERR_RANGE);
  assert_int_equal(sly_int(m, "f", 1, 0, 10, &v, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'f' must be an integer, got '4.5'");
  assert_string_equal(e.where, "t.yaml:17:6");
  assert_int_equal(sly_int(m, "list", 1, 0, 10, &v, &e), SL_ERR_TYPE);
  assert_int_equal(sly_int(m, "absent", 1, 0, 10, &v, &e), SL_ERR_KEY);
  assert_int_equal(sly_int(m, "absent", 0, 0, 10, &v, &e), SL_OK);
  assert_int_equal(v, 42);
  sly_free(d);
}

static void test_bool_str_enum(void** state) {
  (void)state;
  slyDoc*        d = parse_ok(GET_DOC);
  const slyNode* m = sly_get(sly_root(d), "m");
  slError        e;
  const char*    t[] = {"t1", "t2", "t3"};
  const char*    f[] = {"f1", "f2", "f3"};
  for (int i = 0; i < 3; i++) {
    int b = -1;
    assert_int_equal(sly_bool(m, t[i], 1, &b, &e), SL_OK);
    assert_int_equal(b, 1);
    assert_int_equal(sly_bool(m, f[i], 1, &b, &e), SL_OK);
    assert_int_equal(b, 0);
  }
  int b = 5;
  assert_int_equal(sly_bool(m, "maybe", 1, &b, &e), SL_ERR_TYPE);
  assert_contains(e.msg, "key 'maybe' must be true or false");
  assert_contains(e.msg, "'maybe'");
  assert_int_equal(sly_bool(m, "map", 1, &b, &e), SL_ERR_TYPE);
  assert_int_equal(sly_bool(m, "absent", 0, &b, &e), SL_OK);
  assert_int_equal(b, 5);

  const char* s = NULL;
  assert_int_equal(sly_str(m, "word", 1, &s, &e), SL_OK);
  assert_string_equal(s, "abc");
  assert_int_equal(sly_str(m, "n", 1, &s, &e), SL_OK);  // numbers are text too
  assert_string_equal(s, "42");
  assert_int_equal(sly_str(m, "list", 1, &s, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'list' must be a string, not a list");
  assert_int_equal(sly_str(m, "empty", 1, &s, &e), SL_ERR_TYPE);
  assert_int_equal(sly_str(m, "absent", 1, &s, &e), SL_ERR_KEY);

  static const char* const SEX[] = {"male", "female", NULL};
  int                      k = -1;
  assert_int_equal(sly_enum(m, "sex", 1, SEX, &k, &e), SL_OK);
  assert_int_equal(k, 0);
  assert_int_equal(sly_enum(m, "bad_sex", 1, SEX, &k, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'bad_sex' = 'other' is not one of: male, female");
  assert_string_equal(e.where, "t.yaml:27:12");
  assert_int_equal(k, 0);
  assert_int_equal(sly_enum(m, "map", 1, SEX, &k, &e), SL_ERR_TYPE);
  sly_free(d);
}

static void test_vec(void** state) {
  (void)state;
  slyDoc*        d = parse_ok(GET_DOC);
  const slyNode* m = sly_get(sly_root(d), "m");
  slError        e;
  double         v[3] = {-1, -1, -1};
  assert_int_equal(sly_vec(m, "vec", 1, 3, 0, 5, "m", v, &e), SL_OK);
  assert_near(v[2], 2, 0, 0);
  v[0] = v[1] = v[2] = -1;
  assert_int_equal(sly_vec(m, "vec_bad", 1, 3, 0, 5, "m", v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "t.yaml:29:16");
  assert_string_equal(e.msg, "item 2 of key 'vec_bad' = 9 is outside the allowed range [0, 5] m");
  assert_near(v[0], -1, 0, 0);  // nothing written on error
  assert_int_equal(sly_vec(m, "vec_word", 1, 3, 0, 5, "m", v, &e), SL_ERR_TYPE);
  assert_string_equal(e.where, "t.yaml:30:17");
  assert_int_equal(sly_vec(m, "vec", 1, 2, 0, 5, "m", v, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'vec' must be a list of 2 numbers, got 3");
  assert_string_equal(e.where, "t.yaml:28:8");
  assert_int_equal(sly_vec(m, "n", 1, 3, 0, 5, "m", v, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'n' must be a list of 3 numbers, not a scalar");
  // a list given whole on the command line is one scalar: the message says how to set the items
  assert_int_equal(sly_set(d, "m.vec", "[1, 2, 3]", &e), SL_OK);
  assert_int_equal(sly_vec(m, "vec", 1, 3, 0, 5, "m", v, &e), SL_ERR_TYPE);
  assert_string_equal(e.msg,
                      "key 'vec' must be a list of 3 numbers, not a scalar (--set gives one value: "
                      "set the items one by one, m.vec.0=..., .1=..., ...)");
  assert_int_equal(sly_vec(m, "absent", 1, 3, 0, 5, "m", v, &e), SL_ERR_KEY);
  assert_int_equal(sly_vec(m, "absent", 0, 3, 0, 5, "m", v, &e), SL_OK);
  sly_free(d);
}

static void test_check_keys_expect(void** state) {
  (void)state;
  slyDoc*                  d = parse_ok("s: {sex: male, mass: 3}\nl: [1]\n");
  const slyNode*           s = sly_get(sly_root(d), "s");
  slError                  e;
  static const char* const OK[] = {"sex", "mass", NULL};
  static const char* const SHORT[] = {"sex", "mass_kg", "height_m", NULL};
  assert_int_equal(sly_check_keys(s, OK, "subject", &e), SL_OK);
  assert_int_equal(sly_check_keys(s, SHORT, "subject", &e), SL_ERR_KEY);
  assert_string_equal(e.where, "t.yaml:1:16");
  assert_string_equal(e.msg,
                      "unknown key 'mass' in subject (allowed keys: sex, mass_kg, height_m)");
  assert_int_equal(sly_check_keys(sly_get(sly_root(d), "l"), OK, "subject", &e), SL_ERR_TYPE);
  assert_int_equal(sly_check_keys(NULL, OK, "subject", &e), SL_OK);

  assert_int_equal(sly_expect(s, SLY_MAP, "key 's'", &e), SL_OK);
  assert_int_equal(sly_expect(s, SLY_SEQ, "key 's'", &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 's' must be a list, not a mapping");
  assert_string_equal(e.where, "t.yaml:1:4");
  assert_int_equal(sly_expect(sly_get(s, "sex"), SLY_SEQ, "key 'sex'", &e), SL_ERR_TYPE);
  assert_string_equal(e.msg, "key 'sex' must be a list, not a scalar ('male')");
  assert_int_equal(sly_expect(NULL, SLY_SEQ, "key 'segments'", &e), SL_ERR_KEY);
  assert_string_equal(e.msg, "key 'segments' is missing");
  sly_free(d);
}

// ---- editing
// ----------------------------------------------------------------------------------------
static void test_merge(void** state) {
  (void)state;
  slyDoc*     base = NULL;
  slyDoc*     over = NULL;
  const char* bs =
      "a: 1\n"
      "sub: {x: 1, y: 2, deep: {p: 1}}\n"
      "list: [1, 2, 3]\n"
      "scalar: s\n";
  assert_int_equal(sly_parse(&base, bs, strlen(bs), "base.yaml", NULL), SL_OK);
  const char* ov =
      "sub:\n"
      "  y: 20\n"
      "  deep: {q: 2}\n"
      "  z: 30\n"
      "list: [9]\n"
      "scalar: {now: map}\n"
      "new: n\n";
  assert_int_equal(sly_parse(&over, ov, strlen(ov), "over.yaml", NULL), SL_OK);
  slError e;
  assert_int_equal(sly_merge(base, sly_root(base), sly_root(over), &e), SL_OK);
  sly_free(over);  // base does not depend on the overlay document
  slyNode* r = sly_root(base);
  assert_int_equal(r->n, 5);
  assert_string_equal(sly_path(r, "a")->str, "1");
  assert_string_equal(sly_path(r, "sub.x")->str, "1");
  assert_string_equal(sly_path(r, "sub.y")->str, "20");
  assert_string_equal(sly_path(r, "sub.y")->file, "over.yaml");
  assert_int_equal(sly_path(r, "sub.y")->line, 2);
  assert_string_equal(sly_path(r, "sub.deep.p")->str, "1");
  assert_string_equal(sly_path(r, "sub.deep.q")->str, "2");
  assert_string_equal(sly_path(r, "sub.z")->str, "30");
  assert_int_equal(sly_path(r, "list")->n, 1);
  assert_string_equal(sly_path(r, "list.0")->str, "9");
  assert_string_equal(sly_path(r, "scalar.now")->str, "map");
  assert_string_equal(sly_path(r, "new")->str, "n");
  assert_string_equal(r->key[4], "new");
  // key positions: keys from the overlay are located in the overlay
  char           w[64];
  const slyNode* sub = sly_get(r, "sub");
  sly_key_where(sub, sly_find(sub, "z"), w, sizeof w);
  assert_string_equal(w, "over.yaml:4:3");
  sly_key_where(sub, sly_find(sub, "x"), w, sizeof w);
  assert_string_equal(w, "base.yaml:2:7");
  static const char* const KEYS[] = {"x", "y", "deep", NULL};
  assert_int_equal(sly_check_keys(sub, KEYS, "sub", &e), SL_ERR_KEY);
  assert_string_equal(e.where, "over.yaml:4:3");

  // anything but two mappings replaces; merging a node into its own parent is safe
  assert_int_equal(sly_merge(base, (slyNode*)sly_path(r, "list"), sly_path(r, "sub"), &e), SL_OK);
  assert_int_equal(sly_path(r, "list")->kind, SLY_MAP);
  assert_string_equal(sly_path(r, "list.z")->str, "30");
  assert_int_equal(sly_merge(base, (slyNode*)sly_path(r, "sub"), r, &e), SL_OK);
  assert_string_equal(sly_path(r, "sub.sub.x")->str, "1");
  assert_string_equal(sly_path(r, "sub.a")->str, "1");
  assert_int_equal(sly_merge(base, NULL, r, &e), SL_ERR_ARG);
  assert_int_equal(sly_merge(base, r, NULL, &e), SL_OK);
  sly_free(base);
}

static void test_set(void** state) {
  (void)state;
  slyDoc* d = parse_ok(
      "subject: {mass_kg: 80}\n"
      "segments:\n"
      "  - name: pelvis\n"
      "    mass_kg: 10\n"
      "    com_m: [0, 1, 2]\n"
      "  - name: l5\n"
      "    mass_kg: 2\n"
      "opts:\n");
  slyNode* r = sly_root(d);
  slError  e;
  // replace by key, by name in a sequence, by index
  assert_int_equal(sly_set(d, "subject.mass_kg", "95", &e), SL_OK);
  assert_string_equal(sly_path(r, "subject.mass_kg")->str, "95");
  assert_int_equal(sly_set(d, "segments.pelvis.mass_kg", "-3", &e), SL_OK);
  assert_string_equal(sly_path(r, "segments.0.mass_kg")->str, "-3");
  assert_int_equal(sly_set(d, "segments.1.mass_kg", "3", &e), SL_OK);
  assert_string_equal(sly_path(r, "segments.l5.mass_kg")->str, "3");
  assert_int_equal(sly_set(d, "segments.pelvis.com_m.2", "5", &e), SL_OK);
  assert_string_equal(sly_path(r, "segments.0.com_m.2")->str, "5");
  // the override is named in messages about it
  const slyNode* seg = sly_path(r, "segments.pelvis");
  double         v;
  assert_int_equal(sly_num(seg, "mass_kg", 1, 0, 500, "kg", &v, &e), SL_ERR_RANGE);
  assert_string_equal(e.where, "--set segments.pelvis.mass_kg");
  assert_string_equal(e.msg, "key 'mass_kg' = -3 is outside the allowed range [0, 500] kg");
  // create mappings as needed, also in place of an empty value
  assert_int_equal(sly_set(d, "solver.tol.abs", "1e-9", &e), SL_OK);
  assert_string_equal(sly_path(r, "solver.tol.abs")->str, "1e-9");
  char w[128];
  sly_where(sly_path(r, "solver.tol"), w, sizeof w);
  assert_string_equal(w, "--set solver.tol.abs");
  const slyNode* solver = sly_get(r, "solver");
  sly_key_where(solver, 0, w, sizeof w);
  assert_string_equal(w, "--set solver.tol.abs");
  assert_int_equal(sly_set(d, "opts.verbose", "yes", &e), SL_OK);
  int b = 0;
  assert_int_equal(sly_bool(sly_get(r, "opts"), "verbose", 1, &b, &e), SL_OK);
  assert_int_equal(b, 1);
  // errors, and nothing changes on error
  int n = r->n;
  assert_int_equal(sly_set(d, "subject.mass_kg.x", "1", &e), SL_ERR_KEY);
  assert_string_equal(e.where, "subject.mass_kg.x");
  assert_string_equal(e.msg, "cannot set 'subject.mass_kg.x': 'subject.mass_kg' is a scalar");
  assert_int_equal(sly_set(d, "segments.thorax.mass_kg", "1", &e), SL_ERR_KEY);
  assert_contains(e.msg, "no item 'thorax'");
  assert_int_equal(sly_set(d, "segments.7", "1", &e), SL_ERR_KEY);
  assert_int_equal(sly_set(d, "a..b", "1", &e), SL_ERR_KEY);
  assert_contains(e.msg, "empty element");
  assert_int_equal(sly_set(d, "", "1", &e), SL_ERR_KEY);
  assert_int_equal(sly_set(d, "a", NULL, &e), SL_ERR_ARG);
  assert_int_equal(r->n, n);
  assert_null(sly_get(r, "a"));
  sly_free(d);

  // an empty document becomes a mapping; a scalar document cannot be set into
  d = parse_ok("");
  assert_int_equal(sly_set(d, "a.b", "1", &e), SL_OK);
  assert_string_equal(sly_path(sly_root(d), "a.b")->str, "1");
  sly_free(d);
  d = parse_ok("just text\n");
  assert_int_equal(sly_set(d, "a", "1", &e), SL_ERR_KEY);
  assert_contains(e.msg, "the document is a scalar");
  sly_free(d);
}

static void test_path(void** state) {
  (void)state;
  slyDoc* d = parse_ok(
      "a:\n"
      "  b:\n"
      "    - {name: first, v: 1}\n"
      "    - {name: '2', v: 2}\n"
      "    - {name: third, v: 3}\n"
      "    - plain\n");
  slyNode* r = sly_root(d);
  assert_ptr_equal(sly_path(r, ""), r);
  assert_string_equal(sly_path(r, "a.b.0.v")->str, "1");
  assert_string_equal(sly_path(r, "a.b.first.v")->str, "1");
  assert_string_equal(sly_path(r, "a.b.third.v")->str, "3");
  assert_string_equal(sly_path(r, "a.b.2.v")->str, "3");  // an index first
  assert_string_equal(sly_path(r, "a.b.3")->str, "plain");
  assert_null(sly_path(r, "a.b.4"));
  assert_null(sly_path(r, "a.b.nope"));
  assert_null(sly_path(r, "a.c"));
  assert_null(sly_path(r, "a.b.0.v.x"));
  assert_null(sly_path(r, "a..b"));
  assert_null(sly_path(NULL, "a"));
  assert_null(sly_path(r, NULL));
  sly_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nested),
      cmocka_unit_test(test_positions),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_load),
      cmocka_unit_test(test_syntax_error),
      cmocka_unit_test(test_duplicate_key),
      cmocka_unit_test(test_multiple_documents),
      cmocka_unit_test(test_non_scalar_key),
      cmocka_unit_test(test_aliases),
      cmocka_unit_test(test_too_deep),
      cmocka_unit_test(test_num),
      cmocka_unit_test(test_int),
      cmocka_unit_test(test_bool_str_enum),
      cmocka_unit_test(test_vec),
      cmocka_unit_test(test_check_keys_expect),
      cmocka_unit_test(test_merge),
      cmocka_unit_test(test_set),
      cmocka_unit_test(test_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
