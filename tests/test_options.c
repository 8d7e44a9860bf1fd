// test_options.c: the run-option table (sl_options.c): its entries, defaults, readers (a file's
// section, --set), error messages, routing, and the README list of options.
// covers: sl_options
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_options.h"
#include "sl_scenario.h"
#include "sl_yaml.h"
#include "testutil.h"

// the README row of an option: | `key` | type | allowed | default | doc |
static void option_row(const slOptionInfo* o, char* buf, size_t n) {
  static const char* const type[] = {"number", "integer", "name", "bool"};
  char                     allowed[400] = "", def[64];
  if (o->type == SL_OPT_ENUM) {
    for (int i = 0; o->names[i]; i++)
      snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s", i ? ", " : "",
               o->names[i]);
    snprintf(def, sizeof def, "%s", o->names[(int)o->def]);
  } else if (o->type == SL_OPT_BOOL) {
    snprintf(allowed, sizeof allowed, "true, false");
    snprintf(def, sizeof def, "%s", o->def ? "true" : "false");
  } else {
    snprintf(allowed, sizeof allowed, "%g to %g%s%s", o->lo, o->hi, o->unit[0] ? " " : "", o->unit);
    snprintf(def, sizeof def, "%g", o->def);
  }
  if (o->land == 1) snprintf(def, sizeof def, "(criterion)");
  snprintf(buf, n, "| `%s` | %s | %s | %s | %s |", o->key, type[o->type], allowed, def, o->doc);
}

static void test_table_entries(void** state) {
  (void)state;
  int n = sl_option_count();
  assert_true(n >= 14);
  assert_null(sl_option_info(-1));
  assert_null(sl_option_info(n));
  for (int i = 0; i < n; i++) {
    const slOptionInfo* o = sl_option_info(i);
    assert_non_null(o);
    assert_ptr_equal(sl_option_find(o->key), o);
    const char* prefix = o->group == SL_OPT_SOLVER ? "solver." : "motion.";
    assert_int_equal(strncmp(o->key, prefix, strlen(prefix)), 0);
    assert_int_equal(sl_route(o->key),
                     o->group == SL_OPT_SOLVER ? SL_ROUTE_SOLVER : SL_ROUTE_MOTION);
    assert_true(o->doc && strlen(o->doc) > 10);
    assert_non_null(o->unit);
    assert_true(o->offset < (o->group == SL_OPT_SOLVER ? sizeof(slSoOpt) : sizeof(slMotionOpt)));
    for (int j = 0; j < i; j++) assert_string_not_equal(sl_option_info(j)->key, o->key);
    if (o->type == SL_OPT_ENUM) {
      int k = 0;
      assert_non_null(o->names);
      while (o->names[k]) k++;
      assert_true(k >= 2);
      assert_true(o->def >= 0 && o->def < k);
    } else if (o->type == SL_OPT_NUMBER || o->type == SL_OPT_INTEGER) {
      assert_true(o->lo <= o->def && o->def <= o->hi);
    }
  }
  assert_null(sl_option_find("solver.bogus"));
  assert_null(sl_option_find("criterion"));
  // the criterion names are the ones the outputs use
  const slOptionInfo* c = sl_option_find("solver.criterion");
  for (int k = 0; k < SL_CRIT_COUNT; k++)
    assert_string_equal(c->names[k], sl_criterion_name((slCriterion)k));
  assert_null(c->names[SL_CRIT_COUNT]);
}

// the defaults from the table are the documented ones (spineload.h, sl_motion.h)
static void test_defaults(void** state) {
  (void)state;
  slSoOpt o = sl_so_opt_default();
  assert_int_equal(o.criterion, SL_CRIT_P2);
  assert_int_equal(o.maxiter, 300);
  assert_true(o.tol == 1e-8);
  assert_true(o.reserve_r0 == 0.01);
  assert_true(o.reserve_flag == 0.1);
  assert_true(o.contact_c0 == 1000.0);
  assert_int_equal(o.warm, 1);
  assert_int_equal(o.linalg, 0);
  slMotionOpt m = sl_motion_opt_default();
  assert_true(m.frequency == 1.5);
  assert_int_equal(m.samples, 16);
  assert_true(m.amplitude == 5.0 * SL_DEG);
  assert_true(m.spine_share == 0.0);
  assert_true(m.follower_amplitude == 2.0 * SL_DEG);
  assert_int_equal(m.automatic, 1);
  // and every default, given explicitly, changes nothing
  slSoOpt    o2 = sl_so_opt_default();
  slOverride ov[16];
  char       text[16][64];
  int        n = 0;
  for (int i = 0; i < sl_option_count(); i++) {
    const slOptionInfo* x = sl_option_info(i);
    if (x->group != SL_OPT_SOLVER || x->land == 1) continue;
    if (x->type == SL_OPT_ENUM)
      snprintf(text[n], sizeof text[n], "%s", x->names[(int)x->def]);
    else
      snprintf(text[n], sizeof text[n], "%.17g", x->def);
    ov[n].path = x->key;
    ov[n].value = text[n];
    n++;
  }
  slError e;
  assert_int_equal(sl_options_set(SL_OPT_SOLVER, ov, n, &o2, &e), SL_OK);
  assert_memory_equal(&o, &o2, sizeof o);
}

static void test_set_values(void** state) {
  (void)state;
  slError    e;
  slSoOpt    o = sl_so_opt_default();
  slOverride ov[] = {{"solver.criterion", "minmax"}, {"solver.maxiter", "50"},
                     {"solver.tol", "1e-6"},         {"solver.linalg", "lapack"},
                     {"subject.mass_kg", "80"},      {"motion.samples", "0"}};
  // other routes are skipped (motion.samples=0 would be an error for the motion group)
  assert_int_equal(sl_options_set(SL_OPT_SOLVER, ov, 6, &o, &e), SL_OK);
  assert_int_equal(o.criterion, SL_CRIT_MINMAX);
  assert_int_equal(o.maxiter, 50);
  assert_true(o.tol == 1e-6);
  assert_int_equal(o.linalg, 1);
  // solver.p: the exponent; it wins over criterion, in whatever order they come
  slOverride p[] = {{"solver.p", "3"}, {"solver.criterion", "p2"}};
  o = sl_so_opt_default();
  assert_int_equal(sl_options_set(SL_OPT_SOLVER, p, 2, &o, &e), SL_OK);
  assert_int_equal(o.criterion, SL_CRIT_P3);
  // a key given twice: the last counts
  slOverride  twice[] = {{"motion.samples", "8"}, {"motion.samples", "4"}};
  slMotionOpt m = sl_motion_opt_default();
  assert_int_equal(sl_motion_opt_set(&m, twice, 2, &e), SL_OK);
  assert_int_equal(m.samples, 4);
  // degrees land as radians
  slOverride deg[] = {{"motion.amplitude_deg", "10"},
                      {"motion.follower_amplitude_deg", "3"},
                      {"motion.frequency_hz", "0"}};
  m = sl_motion_opt_default();
  assert_int_equal(sl_motion_opt_set(&m, deg, 3, &e), SL_OK);
  assert_near(m.amplitude, 10 * SL_DEG, 1e-15, 0);
  assert_near(m.follower_amplitude, 3 * SL_DEG, 1e-15, 0);
  assert_true(m.frequency == 0.0);
}

// strategy and spine_share: a named strategy sets the share (and wins over spine_share); a
// share given fixes the strategy (no auto)
static void test_strategy(void** state) {
  (void)state;
  slError e;
  struct {
    const char* strategy;
    const char* share;
    double      want_share;
    int         want_auto;
  } C[] = {{"hip", NULL, 0.0, 0},  {"spine", NULL, 1.0, 0}, {"mixed", NULL, 0.5, 0},
           {"auto", NULL, 0.0, 1}, {NULL, "0.3", 0.3, 0},   {"spine", "0.3", 1.0, 0},
           {"auto", "0.3", 0.3, 0}};
  for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
    slOverride ov[2];
    int        n = 0;
    if (C[i].share) ov[n++] = (slOverride){"motion.spine_share", C[i].share};
    if (C[i].strategy) ov[n++] = (slOverride){"motion.strategy", C[i].strategy};
    for (int rev = 0; rev < 2; rev++) {  // the order they are given in does not matter
      if (rev && n == 2) {
        slOverride t = ov[0];
        ov[0] = ov[1];
        ov[1] = t;
      }
      slMotionOpt m = sl_motion_opt_default();
      assert_int_equal(sl_motion_opt_set(&m, ov, n, &e), SL_OK);
      assert_true(m.spine_share == C[i].want_share);
      assert_int_equal(m.automatic, C[i].want_auto);
    }
  }
}

// bad values: the key, what is allowed, located at "--set <key>"
static void test_set_errors(void** state) {
  (void)state;
  struct {
    const char* path;
    const char* value;
    slStatus    code;
    const char* msg;
  } C[] = {
      {"solver.criterion", "foo", SL_ERR_TYPE,
       "key 'solver.criterion' = 'foo' is not one of: p2, p3, minmax"},
      {"solver.maxiter", "-1", SL_ERR_RANGE,
       "key 'solver.maxiter' = -1 is outside the allowed range [1, 100000]"},
      {"solver.maxiter", "2.5", SL_ERR_TYPE, "key 'solver.maxiter' must be an integer, got '2.5'"},
      {"solver.tol", "abc", SL_ERR_TYPE, "key 'solver.tol' must be a number, got 'abc'"},
      {"solver.p", "4", SL_ERR_RANGE, "key 'solver.p' = 4 is outside the allowed range [2, 3]"},
      {"solver.bogus", "1", SL_ERR_KEY,
       "unknown key 'bogus' in solver (allowed keys: criterion, p, maxiter, tol, reserve_r0_Nm, "
       "reserve_flag_Nm, contact_c0_N, linalg)"},
      {"motion.samples", "0", SL_ERR_RANGE,
       "key 'motion.samples' = 0 is outside the allowed range [1, 1000]"},
      {"motion.strategy", "x", SL_ERR_TYPE,
       "key 'motion.strategy' = 'x' is not one of: hip, spine, mixed, auto"},
      {"motion.amplitude_deg", "nan", SL_ERR_RANGE,
       "key 'motion.amplitude_deg' = nan is not a finite number (allowed range [0, 30] deg)"},
      {"motion.frequency_hz", "20", SL_ERR_RANGE,
       "key 'motion.frequency_hz' = 20 is outside the allowed range [0, 10] Hz"},
  };
  for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
    slOverride    ov = {C[i].path, C[i].value};
    slError       e;
    slSoOpt       o = sl_so_opt_default();
    slMotionOpt   m = sl_motion_opt_default();
    slOptionGroup g = sl_route(C[i].path) == SL_ROUTE_SOLVER ? SL_OPT_SOLVER : SL_OPT_MOTION;
    slStatus      st = sl_options_set(g, &ov, 1, g == SL_OPT_SOLVER ? (void*)&o : (void*)&m, &e);
    assert_int_equal(st, C[i].code);
    assert_string_equal(e.msg, C[i].msg);
    char where[128];
    snprintf(where, sizeof where, "--set %s", C[i].path);
    assert_string_equal(e.where, where);
    // nothing is stored on error
    slSoOpt     o0 = sl_so_opt_default();
    slMotionOpt m0 = sl_motion_opt_default();
    assert_memory_equal(&o, &o0, sizeof o);
    assert_memory_equal(&m, &m0, sizeof m);
  }
}

// a scenario's `solver:` section: the same table, errors at file:line:col with the short key
static void test_file_section(void** state) {
  (void)state;
  const char* ok = "criterion: minmax\np: 3\nmaxiter: 20\nreserve_flag_Nm: 0.5\n";
  slyDoc*     d = NULL;
  slError     e;
  assert_int_equal(sly_parse(&d, ok, strlen(ok), "t.yaml", &e), SL_OK);
  slSoOpt o = sl_so_opt_default();
  assert_int_equal(sl_solver_read(sly_root(d), &o, &e), SL_OK);
  assert_int_equal(o.criterion, SL_CRIT_P3);  // p wins
  assert_int_equal(o.maxiter, 20);
  assert_true(o.reserve_flag == 0.5);
  sly_free(d);
  struct {
    const char* text;
    slStatus    code;
    const char* where;
    const char* msg;
  } C[] = {
      {"criterion: foo\n", SL_ERR_TYPE, "t.yaml:1:12",
       "key 'criterion' = 'foo' is not one of: p2, p3, minmax"},
      {"maxiter: 0\n", SL_ERR_RANGE, "t.yaml:1:10",
       "key 'maxiter' = 0 is outside the allowed range [1, 100000]"},
      {"tol: [1]\n", SL_ERR_TYPE, "t.yaml:1:6", "key 'tol' must be a number, not a list"},
      {"warm: true\n", SL_ERR_KEY, "t.yaml:1:1",
       "unknown key 'warm' in solver (allowed keys: criterion, p, maxiter, tol, reserve_r0_Nm, "
       "reserve_flag_Nm, contact_c0_N, linalg)"},
  };
  for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
    assert_int_equal(sly_parse(&d, C[i].text, strlen(C[i].text), "t.yaml", &e), SL_OK);
    o = sl_so_opt_default();
    assert_int_equal(sl_solver_read(sly_root(d), &o, &e), C[i].code);
    assert_string_equal(e.where, C[i].where);
    assert_string_equal(e.msg, C[i].msg);
    sly_free(d);
  }
}

static void test_routes(void** state) {
  (void)state;
  assert_int_equal(sl_route("solver.tol"), SL_ROUTE_SOLVER);
  assert_int_equal(sl_route("motion.samples"), SL_ROUTE_MOTION);
  assert_int_equal(sl_route("postures.0.lumbar.flexion_deg"), SL_ROUTE_POSTURES);
  assert_int_equal(sl_route("roles.top.posture.root"), SL_ROUTE_POSITION);
  assert_int_equal(sl_route("contacts.0.mu"), SL_ROUTE_POSITION);
  assert_int_equal(sl_route("subject.mass_kg"), SL_ROUTE_MODEL);
  assert_int_equal(sl_route("solver"), SL_ROUTE_MODEL);  // the prefix needs its dot
  assert_int_equal(sl_route("solvers.x"), SL_ROUTE_MODEL);
  slOverride ov[] = {{"solver.tol", "1e-6"},
                     {"subject.mass_kg", "80"},
                     {"motion.samples", "4"},
                     {"roles.a.x", "1"},
                     {"body.mass_kg", "70"}};
  slOverride out[5];
  assert_int_equal(sl_routes_pick(ov, 5, SL_ROUTE_BIT(SL_ROUTE_MODEL), out), 2);
  assert_string_equal(out[0].path, "subject.mass_kg");
  assert_string_equal(out[1].path, "body.mass_kg");
  slOverride rest[5];
  int        nrest = 0;
  slSoOpt    o = sl_so_opt_default();
  slError    e;
  assert_int_equal(sl_overrides_apply(ov, 5, rest, &nrest, &o, &e), SL_OK);
  assert_int_equal(nrest, 4);
  assert_true(o.tol == 1e-6);
}

// a sweep value check names the key and the allowed names, at the place given
static void test_check(void** state) {
  (void)state;
  slError e;
  assert_int_equal(sl_option_check(sl_option_find("solver.criterion"), "p3", "s.yaml:3:4", &e),
                   SL_OK);
  assert_int_equal(sl_option_check(sl_option_find("solver.criterion"), "bad", "s.yaml:3:4", &e),
                   SL_ERR_TYPE);
  assert_string_equal(e.where, "s.yaml:3:4");
  assert_non_null(strstr(e.msg, "p2, p3, minmax"));
  const slOptionInfo* o = NULL;
  assert_int_equal(sl_option_lookup("motion.speed", "s.yaml:1:1", &o, &e), SL_ERR_KEY);
  assert_non_null(strstr(e.msg, "frequency_hz"));
  char buf[128];
  sl_option_allowed(sl_option_find("motion.amplitude_deg"), buf, sizeof buf);
  assert_string_equal(buf, "[0, 30] deg");
}

// README "Run options" lists every option with its type, range or names, default and doc
static void test_readme(void** state) {
  (void)state;
  char    path[1024];
  char*   text = NULL;
  size_t  len = 0;
  slError e;
  snprintf(path, sizeof path, "%s/README.md", SL_TEST_SOURCE_DIR);
  assert_int_equal(sl_read_file(path, &text, &len, &e), SL_OK);
  assert_non_null(strstr(text, "### Run options"));
  for (int i = 0; i < sl_option_count(); i++) {
    char row[1024];
    option_row(sl_option_info(i), row, sizeof row);
    if (!strstr(text, row)) fail_msg("README.md lacks the row\n%s", row);
  }
  sl_free_buf(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table_entries), cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_set_values),    cmocka_unit_test(test_strategy),
      cmocka_unit_test(test_set_errors),    cmocka_unit_test(test_file_section),
      cmocka_unit_test(test_routes),        cmocka_unit_test(test_check),
      cmocka_unit_test(test_readme),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
