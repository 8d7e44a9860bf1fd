// test_scenario.c: scenario files: the example scenario loaded with its model, a buffer read
// against the tiny model (postures, loads, supports, solver, set), errors located as
// "file:line:col", `solver.*` / `postures.*` / model overrides, and sl_overrides_apply.
// covers: sl_scenario
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_scenario.h"
#include "spineload.h"
#include "testutil.h"

#define BASIC SL_TEST_SOURCE_DIR "/scenarios/examples/basic.yaml"
#define TINY  SL_TEST_SOURCE_DIR "/tests/data/tiny_model.yaml"

static void assert_contains(const char* s, const char* sub) {
  if (!strstr(s, sub)) fail_msg("'%s' does not contain '%s'", s, sub);
}

static slModel* tiny(void) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, TINY, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

static slScenario* load_basic(const slOverride* ov, int nov) {
  slScenario* sc = NULL;
  slError     e;
  if (sl_scenario_load(&sc, BASIC, ov, nov, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  assert_non_null(sc);
  return sc;
}

static void test_load_basic(void** state) {
  (void)state;
  slScenario* sc = load_basic(NULL, 0);
  assert_string_equal(sc->name, "basic");
  assert_string_equal(sc->file, BASIC);
  assert_string_equal(sc->model_path,
                      SL_TEST_SOURCE_DIR "/scenarios/examples/../../models/adult_male.yaml");
  assert_int_equal(sc->npost, 4);
  const char*  names[4] = {"upright_standing", "standing_flexed_30", "sitting", "lying_supine"};
  const slRoot roots[4] = {SL_ROOT_STANDING, SL_ROOT_STANDING, SL_ROOT_SITTING, SL_ROOT_SUPINE};
  const int    nsup[4] = {4, 4, 4, 6};
  for (int i = 0; i < 4; i++) {
    const slScenarioPosture* p = &sc->post[i];
    assert_string_equal(p->name, names[i]);
    assert_int_equal(p->posture.root, roots[i]);
    assert_int_equal(p->nsupport, nsup[i]);
    assert_int_equal(p->nload, 0);
    assert_int_equal(p->balance, 0);
    assert_true(strlen(p->description) > 10);
    char w[64];
    snprintf(w, sizeof w, "basic.yaml:%d:", (int[]){10, 19, 29, 38}[i]);
    assert_contains(p->where, w);
  }
  // the flexed posture's lumbar flexion; the others leave it to the preset (NaN)
  assert_near(sc->post[1].posture.lumbar[0], 30 * SL_DEG, 1e-15, 0);
  assert_true(isnan(sc->post[0].posture.lumbar[0]));
  // supports: the landmarks of the model, +y normals, mu as given
  const slModel*   m = sc->model;
  const slContact* c = &sc->post[3].supports[0];
  assert_int_equal(c->land, sl_model_landmark(m, "head_back"));
  assert_int_equal(c->body, 0);
  assert_int_equal(c->other, -1);
  assert_near(c->normal[1], 1, 0, 0);
  assert_near(c->mu, 0.5, 0, 0);
  assert_near(c->mu_kinetic, SL_MU_KINETIC_RATIO * 0.5, 1e-15, 0);
  assert_int_equal(sc->post[0].supports[2].land, sl_model_landmark(m, "forefoot_r"));
  // the model: the adult male body, unchanged
  assert_non_null(m);
  assert_string_equal(m->name, "adult_male");
  assert_near(m->body_mass, 84.9, 1e-12, 0);
  assert_true(m->nmus > 200);
  // no `set:` and no `solver:`: default solver options
  assert_int_equal(sc->nset, 0);
  slSoOpt d = sl_so_opt_default();
  assert_int_equal(sc->so.criterion, d.criterion);
  assert_int_equal(sc->so.maxiter, d.maxiter);
  assert_int_equal(sc->so.linalg, d.linalg);
  assert_near(sc->so.tol, d.tol, 0, 0);
  // the text, verbatim
  char*  buf = NULL;
  size_t len = 0;
  assert_int_equal(sl_read_file(BASIC, &buf, &len, NULL), SL_OK);
  assert_string_equal(sc->text, buf);
  sl_free_buf(buf);
  sl_scenario_free(sc);
  sl_scenario_free(NULL);
  // a missing file
  slError e;
  sc = (slScenario*)1;
  assert_int_equal(sl_scenario_load(&sc, SL_TEST_SOURCE_DIR "/no_such.yaml", NULL, 0, &e),
                   SL_ERR_IO);
  assert_null(sc);
  assert_string_equal(e.where, SL_TEST_SOURCE_DIR "/no_such.yaml");
}

static const char GOOD[] =
    "format: spineload-scenario/1\n"
    "name: tiny_cases\n"
    "solver: {criterion: minmax, maxiter: 50, tol: 1e-10, linalg: lapack}\n"
    "set: {subject: {mass_kg: 60}, iap.enabled: false}\n"
    "postures:\n"
    "  - name: a\n"
    "    description: first\n"
    "    root: sitting\n"
    "    pelvis: {tilt_deg: 10, pos_m: [0, 1, 0]}\n"
    "    lumbar: {flexion_deg: 20, lateral_deg: -5}\n"
    "    hips: {flexion_deg: 80}\n"
    "    knee_l: {flexion_deg: 45}\n"
    "    coords: {f0: 3, tx: 0.1}\n"
    "    loads:\n"
    "      - {segment: thorax, pos_m: [0, 0.1, 0], mass_kg: 5}\n"
    "      - {landmark: back, force_N: [1, 2, 3]}\n"
    "    supports:\n"
    "      - {landmark: seat, mu: 0.4}\n"
    "      - {landmark: back, normal: [1, 1, 0], mu: 0.2, mu_kinetic: 0.1}\n"
    "    balance: true\n"
    "  - name: b\n"
    "    lumbar: {levels: [[1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0], [5, 0, 0], [6, 0.5, -1]]}\n";

static void test_parse_buffer(void** state) {
  (void)state;
  slModel*    m = tiny();
  slScenario* sc = NULL;
  slError     e;
  if (sl_scenario_parse(&sc, GOOD, strlen(GOOD), "t.yaml", m, &e) != SL_OK)
    fail_msg("%s: %s", e.where, e.msg);
  assert_string_equal(sc->name, "tiny_cases");
  assert_string_equal(sc->file, "t.yaml");
  assert_true(sc->model == m);  // not owned
  assert_string_equal(sc->model_path, "");
  // solver options
  assert_int_equal(sc->so.criterion, SL_CRIT_MINMAX);
  assert_int_equal(sc->so.maxiter, 50);
  assert_near(sc->so.tol, 1e-10, 0, 0);
  assert_int_equal(sc->so.linalg, 1);
  assert_near(sc->so.reserve_r0, sl_so_opt_default().reserve_r0, 0, 0);
  // set: flattened by path, in file order
  assert_int_equal(sc->nset, 2);
  assert_string_equal(sc->set[0].path, "subject.mass_kg");
  assert_string_equal(sc->set[0].value, "60");
  assert_string_equal(sc->set[1].path, "iap.enabled");
  assert_string_equal(sc->set[1].value, "false");
  assert_int_equal(sc->npost, 2);
  const slScenarioPosture* a = &sc->post[0];
  assert_string_equal(a->name, "a");
  assert_string_equal(a->description, "first");
  assert_string_equal(a->where, "t.yaml:6:5");
  assert_int_equal(a->posture.root, SL_ROOT_SITTING);
  assert_near(a->posture.pelvis_rot[0], 10 * SL_DEG, 1e-15, 0);
  assert_true(isnan(a->posture.pelvis_rot[1]));
  assert_near(a->posture.pelvis_pos[1], 1, 0, 0);
  assert_near(a->posture.lumbar[0], 20 * SL_DEG, 1e-15, 0);
  assert_near(a->posture.lumbar[1], -5 * SL_DEG, 1e-15, 0);
  assert_true(isnan(a->posture.lumbar[2]));
  assert_int_equal(a->posture.per_level, 0);
  assert_near(a->posture.hip_flex[0], 80 * SL_DEG, 1e-15, 0);  // both sides from `hips`
  assert_near(a->posture.hip_flex[1], 80 * SL_DEG, 1e-15, 0);
  assert_true(isnan(a->posture.knee[0]));
  assert_near(a->posture.knee[1], 45 * SL_DEG, 1e-15, 0);  // the left one alone
  assert_int_equal(a->posture.nset, 2);
  assert_int_equal(a->posture.set_coord[0], sl_model_coord(m, "f0"));
  assert_near(a->posture.set_value[0], 3 * SL_DEG, 1e-15, 0);  // a rotation, in degrees
  assert_int_equal(a->posture.set_coord[1], sl_model_coord(m, "tx"));
  assert_near(a->posture.set_value[1], 0.1, 0, 0);  // a translation, in metres
  // loads: a held mass under the model's gravity (10 m/s^2), and a force at a landmark
  assert_int_equal(a->nload, 2);
  assert_int_equal(a->loads[0].seg, sl_model_segment(m, "thorax"));
  assert_near(a->loads[0].pos[1], 0.1, 0, 0);
  assert_near(a->loads[0].force[1], -50, 1e-12, 0);
  assert_near(a->loads[0].force[0], 0, 0, 0);
  int back = sl_model_landmark(m, "back");
  assert_int_equal(a->loads[1].seg, m->land_seg[back]);
  assert_near(a->loads[1].pos[0], m->land_pos[3 * back], 0, 0);
  assert_near(a->loads[1].pos[1], m->land_pos[3 * back + 1], 0, 0);
  assert_near(a->loads[1].force[2], 3, 0, 0);
  // supports: default normal +y and kinetic ratio; a given normal is normalised
  assert_int_equal(a->nsupport, 2);
  assert_int_equal(a->supports[0].land, sl_model_landmark(m, "seat"));
  assert_near(a->supports[0].normal[1], 1, 0, 0);
  assert_near(a->supports[0].mu, 0.4, 0, 0);
  assert_near(a->supports[0].mu_kinetic, SL_MU_KINETIC_RATIO * 0.4, 1e-15, 0);
  assert_near(a->supports[1].normal[0], sqrt(0.5), 1e-15, 0);
  assert_near(a->supports[1].normal[1], sqrt(0.5), 1e-15, 0);
  assert_near(a->supports[1].mu_kinetic, 0.1, 0, 0);
  assert_int_equal(a->balance, 1);
  // per-level lumbar angles
  const slScenarioPosture* b = &sc->post[1];
  assert_int_equal(b->posture.root, SL_ROOT_STANDING);  // the default root
  assert_int_equal(b->posture.per_level, 1);
  for (int l = 0; l < SL_NLEVEL; l++)
    assert_near(b->posture.level[l][0], (l + 1) * SL_DEG, 1e-15, 0);
  assert_near(b->posture.level[5][1], 0.5 * SL_DEG, 1e-15, 0);
  assert_near(b->posture.level[5][2], -1 * SL_DEG, 1e-15, 0);
  assert_int_equal(b->nload, 0);
  assert_int_equal(b->nsupport, 0);
  sl_scenario_free(sc);
  sl_model_free(m);
}

typedef struct Bad {
  const char* text;
  slStatus    code;
  const char* where;  // exact
  const char* msg;    // a part of the message
} Bad;

#define HEAD "format: spineload-scenario/1\n"
#define POST "postures:\n  - name: a\n"

static void test_errors(void** state) {
  (void)state;
  slModel*  m = tiny();
  const Bad bad[] = {
      {HEAD "nmae: x\n" POST, SL_ERR_KEY, "bad.yaml:2:1", "unknown key 'nmae' in scenario"},
      {HEAD POST "    lumbar: {flexion_deg: 10, bend_deg: 3}\n", SL_ERR_KEY, "bad.yaml:4:31",
       "unknown key 'bend_deg' in lumbar"},
      {HEAD POST "    hieght: 3\n", SL_ERR_KEY, "bad.yaml:4:5", "unknown key 'hieght' in posture"},
      {HEAD POST "    lumbar: {flexion_deg: abc}\n", SL_ERR_TYPE, "bad.yaml:4:27",
       "must be a number"},
      {HEAD POST "    lumbar: {flexion_deg: 200}\n", SL_ERR_RANGE, "bad.yaml:4:27",
       "outside the allowed range [-180, 180] deg"},
      {HEAD POST "    lumbar: {flexion_deg: .nan}\n", SL_ERR_RANGE, "bad.yaml:4:27", "finite"},
      {HEAD POST "    root: upside_down\n", SL_ERR_RANGE, "bad.yaml:4:11", "root 'upside_down'"},
      {HEAD POST "    coords: {nope: 1}\n", SL_ERR_KEY, "bad.yaml:4:14",
       "unknown coordinate 'nope'"},
      {HEAD POST "    supports:\n      - {landmark: elbow}\n", SL_ERR_KEY, "bad.yaml:5:20",
       "unknown landmark 'elbow'"},
      {HEAD POST "    supports:\n      - {landmark: seat, normal: [0, 0, 0]}\n", SL_ERR_RANGE,
       "bad.yaml:5:9", "normal must not be zero"},
      {HEAD POST "    loads:\n      - {landmark: back}\n", SL_ERR_KEY, "bad.yaml:5:9",
       "exactly one of 'force_N'"},
      {HEAD POST "    loads:\n      - {segment: thorax, mass_kg: 1}\n", SL_ERR_KEY, "bad.yaml:5:9",
       "pos_m"},
      {HEAD POST "    lumbar: {levels: [[1, 0, 0]]}\n", SL_ERR_TYPE, "bad.yaml:4:22",
       "must list 6 levels"},
      {HEAD POST "  - name: a\n", SL_ERR_KEY, "bad.yaml:4:11", "listed twice"},
      {HEAD "postures: []\n", SL_ERR_RANGE, "bad.yaml:2:11", "at least one posture"},
      {HEAD "name: x\n", SL_ERR_KEY, "bad.yaml:1:1", "missing key 'postures'"},
      {"format: spineload-scenario/2\n" POST, SL_ERR_RANGE, "bad.yaml:1:9", "not supported"},
      {HEAD "solver: {criterion: p4}\n" POST, SL_ERR_TYPE, "bad.yaml:2:21", "p2"},
      {HEAD "solver: {maxiter: 0}\n" POST, SL_ERR_RANGE, "bad.yaml:2:19", "outside the allowed"},
      {HEAD "solver: {tolerance: 1}\n" POST, SL_ERR_KEY, "bad.yaml:2:10",
       "unknown key 'tolerance'"},
      {HEAD "set: [1, 2]\n" POST, SL_ERR_TYPE, "bad.yaml:2:6", "key 'set'"},
      {HEAD POST "    balance: maybe\n", SL_ERR_TYPE, "bad.yaml:4:14", "balance"},
      {HEAD POST "    lumbar: [1, 2]\n", SL_ERR_TYPE, "bad.yaml:4:13", "must be a mapping"},
      {HEAD POST "  - [1, 2]\n", SL_ERR_TYPE, "bad.yaml:4:5", "a posture"},
      {HEAD POST "    lumbar: {flexion_deg: 1\n", SL_ERR_PARSE, "bad.yaml:5:1", ""},
  };
  int nfail = 0;
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    slScenario* sc = (slScenario*)1;
    slError     e;
    memset(&e, 0, sizeof e);
    slStatus st = sl_scenario_parse(&sc, bad[k].text, strlen(bad[k].text), "bad.yaml", m, &e);
    if (st != bad[k].code || strcmp(e.where, bad[k].where) || !strstr(e.msg, bad[k].msg)) {
      print_error("case %zu: got status %d at '%s': %s; expected %d at '%s' with '%s'\n", k,
                  (int)st, e.where, e.msg, (int)bad[k].code, bad[k].where, bad[k].msg);
      nfail++;
    }
    assert_int_equal(e.code, st);
    assert_null(sc);
  }
  assert_int_equal(nfail, 0);
  sl_model_free(m);
}

static void test_overrides_in_load(void** state) {
  (void)state;
  // solver.* edits the scenario's solver section, postures.<name or index>.* its postures, the
  // others go to the model
  const slOverride ov[] = {
      {"solver.criterion", "p3"},
      {"solver.maxiter", "77"},
      {"postures.sitting.lumbar.flexion_deg", "12"},
      {"postures.0.description", "changed"},
      {"postures.lying_supine.supports.0.mu", "0.3"},
      {"subject.mass_kg", "95"},
  };
  slScenario* sc = load_basic(ov, (int)(sizeof ov / sizeof ov[0]));
  assert_int_equal(sc->so.criterion, SL_CRIT_P3);
  assert_int_equal(sc->so.maxiter, 77);
  assert_near(sc->post[2].posture.lumbar[0], 12 * SL_DEG, 1e-15, 0);
  assert_string_equal(sc->post[0].description, "changed");
  assert_near(sc->post[3].supports[0].mu, 0.3, 0, 0);
  assert_near(sc->post[3].supports[1].mu, 0.5, 0, 0);
  assert_near(sc->model->body_mass, 95, 1e-12, 0);
  // the text kept for provenance is the file's, not the edited tree
  assert_true(strstr(sc->text, "criterion") == NULL);
  sl_scenario_free(sc);

  // a bad override value is checked like the file's own, and named
  slError          e;
  slScenario*      bad = (slScenario*)1;
  const slOverride b1[] = {{"solver.maxiter", "0"}};
  assert_int_equal(sl_scenario_load(&bad, BASIC, b1, 1, &e), SL_ERR_RANGE);
  assert_null(bad);
  assert_contains(e.where, "solver.maxiter");
  assert_contains(e.msg, "maxiter");
  const slOverride b2[] = {{"postures.sitting.lumbar.flexion_deg", "abc"}};
  assert_int_equal(sl_scenario_load(&bad, BASIC, b2, 1, &e), SL_ERR_TYPE);
  assert_contains(e.where, "postures.sitting.lumbar.flexion_deg");
  const slOverride b3[] = {{"postures.nobody.lumbar.flexion_deg", "5"}};
  assert_int_not_equal(sl_scenario_load(&bad, BASIC, b3, 1, &e), SL_OK);
  assert_contains(e.msg, "nobody");
  const slOverride b4[] = {{"subject.mass_kg", "-3"}};
  assert_int_equal(sl_scenario_load(&bad, BASIC, b4, 1, &e), SL_ERR_RANGE);
  assert_contains(e.where, "subject.mass_kg");
  assert_null(bad);
}

static void test_overrides_apply(void** state) {
  (void)state;
  const slOverride ov[] = {
      {"subject.mass_kg", "95"}, {"solver.criterion", "minmax"}, {"muscles.x.fmax_scale", "0.5"},
      {"solver.tol", "1e-9"},    {"solver.linalg", "lapack"},    {"motion.frequency_hz", "2"},
  };
  slOverride rest[6];
  int        nrest = -1;
  slSoOpt    so = sl_so_opt_default(), d = so;
  slError    e;
  assert_int_equal(sl_overrides_apply(ov, 6, rest, &nrest, &so, &e), SL_OK);
  // the others, in order, unchanged
  assert_int_equal(nrest, 3);
  assert_ptr_equal(rest[0].path, ov[0].path);
  assert_ptr_equal(rest[1].path, ov[2].path);
  assert_ptr_equal(rest[2].path, ov[5].path);
  assert_ptr_equal(rest[2].value, ov[5].value);
  // the solver ones applied, the rest of the options untouched
  assert_int_equal(so.criterion, SL_CRIT_MINMAX);
  assert_near(so.tol, 1e-9, 0, 0);
  assert_int_equal(so.linalg, 1);
  assert_int_equal(so.maxiter, d.maxiter);
  assert_near(so.reserve_flag, d.reserve_flag, 0, 0);
  // none for the solver: options untouched; none at all
  so = d;
  assert_int_equal(sl_overrides_apply(ov, 1, rest, &nrest, &so, &e), SL_OK);
  assert_int_equal(nrest, 1);
  assert_int_equal(memcmp(&so, &d, sizeof so), 0);
  assert_int_equal(sl_overrides_apply(NULL, 0, rest, &nrest, &so, &e), SL_OK);
  assert_int_equal(nrest, 0);
  // errors: the same checks as a file's solver section
  const slOverride b1[] = {{"solver.criterion", "p5"}};
  assert_int_equal(sl_overrides_apply(b1, 1, rest, &nrest, &so, &e), SL_ERR_TYPE);
  assert_contains(e.where, "--set solver");
  assert_contains(e.msg, "p5");
  const slOverride b2[] = {{"solver.maxiter", "many"}};
  assert_int_equal(sl_overrides_apply(b2, 1, rest, &nrest, &so, &e), SL_ERR_TYPE);
  const slOverride b3[] = {{"solver.colour", "red"}};
  assert_int_equal(sl_overrides_apply(b3, 1, rest, &nrest, &so, &e), SL_ERR_KEY);
  assert_contains(e.msg, "unknown key 'colour' in solver");
  // a key given twice: the last wins, as for model overrides and in sl_scenario_load
  const slOverride twice[] = {
      {"solver.tol", "1e-9"}, {"solver.maxiter", "9"}, {"solver.tol", "2e-9"}};
  so = d;
  assert_int_equal(sl_overrides_apply(twice, 3, rest, &nrest, &so, &e), SL_OK);
  assert_near(so.tol, 2e-9, 0, 0);
  assert_int_equal(so.maxiter, 9);
  assert_int_equal(nrest, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load_basic),      cmocka_unit_test(test_parse_buffer),
      cmocka_unit_test(test_errors),          cmocka_unit_test(test_overrides_in_load),
      cmocka_unit_test(test_overrides_apply),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
