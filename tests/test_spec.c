// test_spec.c: the model spec: every file comes through the resolver once, set() then compile is
// load with overrides, compiling does no I/O, table problems surface at compile time.
// covers: sl_spec
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_model.h"
#include "sl_spec.h"
#include "testutil.h"

#define DATA SL_TEST_SOURCE_DIR "/tests/data"
#define TINY DATA "/tiny_model.yaml"
#define MALE SL_TEST_SOURCE_DIR "/models/adult_male.yaml"

// an in-memory file system: names (basenames) -> texts; every call recorded
typedef struct Mem {
  const char* name[8];
  char*       text[8];
  int         n;
  int         calls;
  char        asked[16][256];  // "from|name" of each call
  int         fail;            // 1: every call fails (set after the spec is made)
} Mem;

static slStatus mem_resolve(void* ctx, const char* from, const char* name, char* path, size_t n,
                            char** text, size_t* len, slError* err) {
  Mem* m = ctx;
  if (m->calls < 16)
    snprintf(m->asked[m->calls], sizeof m->asked[0], "%s|%s", from ? from : "-", name);
  m->calls++;
  snprintf(path, n, "mem/%s", name);
  if (m->fail) return sl_fail(err, SL_ERR_IO, path, "resolver closed");
  for (int i = 0; i < m->n; i++)
    if (!strcmp(m->name[i], name)) {
      *len = strlen(m->text[i]);
      *text = malloc(*len + 1);
      memcpy(*text, m->text[i], *len + 1);
      return SL_OK;
    }
  return sl_fail(err, SL_ERR_IO, path, "cannot open: no such file in memory");
}

static void mem_add_file(Mem* m, const char* name, const char* path) {
  size_t len;
  assert_int_equal(sl_read_file(path, &m->text[m->n], &len, NULL), SL_OK);
  m->name[m->n++] = name;
}

static void mem_add_text(Mem* m, const char* name, const char* text) {
  m->text[m->n] = malloc(strlen(text) + 1);
  strcpy(m->text[m->n], text);
  m->name[m->n++] = name;
}

static void mem_free(Mem* m) {
  for (int i = 0; i < m->n; i++) free(m->text[i]);
}

static void mem_tiny(Mem* m) {
  memset(m, 0, sizeof *m);
  mem_add_file(m, "tiny_model.yaml", TINY);
  mem_add_file(m, "tiny_muscles.csv", DATA "/tiny_muscles.csv");
  mem_add_file(m, "tiny_points.csv", DATA "/tiny_points.csv");
}

static void assert_same_model(const slModel* a, const slModel* b) {
  assert_int_equal(a->nseg, b->nseg);
  assert_int_equal(a->nmus, b->nmus);
  assert_int_equal(a->npt, b->npt);
  assert_int_equal(a->ncross, b->ncross);
  assert_string_equal(a->name, b->name);
  assert_string_equal(a->files, b->files);
  assert_true(a->total_mass == b->total_mass);
  assert_true(a->body_mass == b->body_mass);
  assert_memory_equal(a->seg_mass, b->seg_mass, sizeof(double) * (size_t)a->nseg);
  assert_memory_equal(a->seg_com, b->seg_com, sizeof(double) * 3 * (size_t)a->nseg);
  assert_memory_equal(a->mus_fmax, b->mus_fmax, sizeof(double) * (size_t)a->nmus);
}

static slStatus compile(const slModelSpec* s, slModel** m, slError* first) {
  slError  items[4];
  slDiag   dg = {items, 0, 4, 0};
  slStatus st = sl_model_compile(s, m, &dg);
  if (first && dg.n > 0) *first = items[0];
  return st;
}

static void test_resolver_called_per_file(void** state) {
  (void)state;
  Mem mem;
  mem_tiny(&mem);
  mem_add_text(&mem, "top.yaml", "base: tiny_model.yaml\nname: derived\n");
  slModelSpec* s = NULL;
  slError      e;
  assert_int_equal(sl_spec_load(&s, "top.yaml", mem_resolve, &mem, &e), SL_OK);
  // the top file, its base (relative to the top file), then both tables (relative to the base,
  // the file that names them)
  assert_int_equal(mem.calls, 4);
  assert_string_equal(mem.asked[0], "-|top.yaml");
  assert_string_equal(mem.asked[1], "mem/top.yaml|tiny_model.yaml");
  assert_string_equal(mem.asked[2], "mem/tiny_model.yaml|tiny_muscles.csv");
  assert_string_equal(mem.asked[3], "mem/tiny_model.yaml|tiny_points.csv");
  // the texts read, in provenance order, verbatim
  assert_int_equal(sl_spec_nfiles(s), 4);
  const char* text = NULL;
  assert_string_equal(sl_spec_file(s, 0, &text), "mem/top.yaml");
  assert_string_equal(text, mem.text[3]);
  assert_string_equal(sl_spec_file(s, 1, &text), "mem/tiny_model.yaml");
  assert_string_equal(text, mem.text[0]);
  assert_string_equal(sl_spec_file(s, 3, &text), "mem/tiny_points.csv");
  assert_string_equal(text, mem.text[2]);
  assert_null(sl_spec_file(s, 4, &text));
  slModel* m = NULL;
  assert_int_equal(compile(s, &m, NULL), SL_OK);
  assert_string_equal(m->name, "derived");
  assert_string_equal(m->files,
                      "mem/top.yaml;mem/tiny_model.yaml;mem/tiny_muscles.csv;mem/tiny_points.csv");
  sl_model_free(m);
  sl_spec_free(s);
  mem_free(&mem);
}

static void test_compile_does_no_io(void** state) {
  (void)state;
  Mem mem;
  mem_tiny(&mem);
  slModelSpec* s = NULL;
  slError      e;
  assert_int_equal(sl_spec_load(&s, "tiny_model.yaml", mem_resolve, &mem, &e), SL_OK);
  int calls = mem.calls;
  mem.fail = 1;  // from here on every file read fails
  slModel *a = NULL, *b = NULL, *d = NULL;
  assert_int_equal(compile(s, &a, NULL), SL_OK);
  assert_int_equal(compile(s, &b, NULL), SL_OK);
  assert_int_equal(mem.calls, calls);
  assert_same_model(a, b);
  // the same model as from disk, but for the file names
  assert_int_equal(sl_model_load(&d, TINY, NULL, 0, &e), SL_OK);
  snprintf(d->files, sizeof d->files, "%s", a->files);
  assert_same_model(a, d);
  // an edit that needs no file does not ask the resolver either
  assert_int_equal(sl_spec_set(s, "name", "edited", &e), SL_OK);
  assert_int_equal(mem.calls, calls);
  sl_model_free(a), sl_model_free(b), sl_model_free(d);
  sl_spec_free(s);
  mem_free(&mem);
}

static void test_set_then_compile_is_load(void** state) {
  (void)state;
  const slOverride ov[] = {{"body.mass_kg", "95"}, {"subject.height_m", "1.9"}};
  slModel *        a = NULL, *b = NULL;
  slError          e;
  assert_int_equal(sl_model_load(&a, MALE, ov, 2, &e), SL_OK);
  slModelSpec* s = NULL;
  assert_int_equal(sl_spec_load(&s, MALE, NULL, NULL, &e), SL_OK);
  assert_int_equal(sl_spec_set(s, ov[0].path, ov[0].value, &e), SL_OK);
  assert_int_equal(sl_spec_set(s, ov[1].path, ov[1].value, &e), SL_OK);
  assert_int_equal(compile(s, &b, NULL), SL_OK);
  assert_same_model(a, b);
  assert_true(b->body_mass == 95.0);
  sl_model_free(b);
  // errors of set() are the overrides' errors
  slError          e2;
  const slOverride bad = {"segments.nosuch.mass_kg", "1"};
  assert_int_not_equal(sl_model_load(&b, MALE, &bad, 1, &e), SL_OK);
  assert_int_equal(sl_spec_set(s, bad.path, bad.value, &e2), e.code);
  assert_string_equal(e.msg, e2.msg);
  assert_string_equal(e.where, e2.where);
  sl_model_free(a);
  sl_spec_free(s);
}

static void test_tables_at_compile(void** state) {
  (void)state;
  Mem mem;
  mem_tiny(&mem);
  // a model whose table is missing: the spec is made, compiling reports the model line
  char*  text = NULL;
  size_t len = 0;
  assert_int_equal(sl_read_file(TINY, &text, &len, NULL), SL_OK);
  char* at = strstr(text, "tiny_muscles.csv");
  assert_non_null(at);
  memcpy(at, "nosuch_musc", 11);
  slModelSpec* s = NULL;
  slError      e;
  assert_int_equal(sl_spec_parse(&s, text, len, "m.yaml", "mem", mem_resolve, &mem, &e), SL_OK);
  slModel* m = NULL;
  assert_int_equal(compile(s, &m, &e), SL_ERR_IO);
  assert_null(m);
  assert_non_null(strstr(e.msg, "cannot read table 'mem/nosuch_muscs.csv'"));
  assert_non_null(strstr(e.where, "m.yaml:"));
  // naming an existing table with set() reads it then; the override is relative to nothing
  int calls = mem.calls;
  assert_int_equal(sl_spec_set(s, "muscles.table", "tiny_muscles.csv", &e), SL_OK);
  assert_int_equal(mem.calls, calls + 1);
  assert_string_equal(mem.asked[calls], "-|tiny_muscles.csv");
  assert_int_equal(compile(s, &m, &e), SL_OK);
  assert_non_null(strstr(m->files, "m.yaml;mem/tiny_muscles.csv;mem/tiny_points.csv"));
  sl_model_free(m);
  sl_spec_free(s);
  // a buffer without a directory cannot name a relative base
  const char* derived = "base: tiny_model.yaml\n";
  assert_int_equal(
      sl_spec_parse(&s, derived, strlen(derived), "d.yaml", NULL, mem_resolve, &mem, &e),
      SL_ERR_ARG);
  assert_null(s);
  assert_non_null(strstr(e.msg, "'base' needs a directory"));
  // a base that cannot be read names the referring line
  mem.fail = 1;
  assert_int_equal(
      sl_spec_parse(&s, derived, strlen(derived), "d.yaml", "mem", mem_resolve, &mem, &e),
      SL_ERR_IO);
  assert_non_null(strstr(e.msg, "base model 'mem/tiny_model.yaml': resolver closed"));
  assert_string_equal(e.where, "d.yaml:1:7");
  free(text);
  mem_free(&mem);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resolver_called_per_file),
      cmocka_unit_test(test_compile_does_no_io),
      cmocka_unit_test(test_set_then_compile_is_load),
      cmocka_unit_test(test_tables_at_compile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
