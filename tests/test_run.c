// test_run.c: the run job from C (every posture of a scenario, the run file) and the bench.
// covers: sl_run sl_bench
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_run.h"
#include "testutil.h"

#define MALE   SL_TEST_SOURCE_DIR "/models/adult_male.yaml"
#define OUTDIR SL_TEST_BINARY_DIR "/test_run_out"
#define NPOST  21  // three blocks of the run's 8

static void out_path(char* buf, size_t n, const char* name) {
  if (mkdir(OUTDIR, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s", OUTDIR);
  snprintf(buf, n, "%s/%s", OUTDIR, name);
  remove(buf);
}

static int exists(const char* p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void ok(slStatus st, const slError* e) {
  if (st != SL_OK) fail_msg("status %d at '%s': %s", (int)st, e->where, e->msg);
}

static const char* FEET =
    "    supports:\n"
    "      - {landmark: heel_r, normal: [0, 1, 0], mu: 0.6}\n"
    "      - {landmark: heel_l, normal: [0, 1, 0], mu: 0.6}\n"
    "      - {landmark: forefoot_r, normal: [0, 1, 0], mu: 0.6}\n"
    "      - {landmark: forefoot_l, normal: [0, 1, 0], mu: 0.6}\n";

// a scenario file of NPOST standing postures, flexing further and further, some holding a mass,
// the last one balanced over its feet; extra (may be "") is appended as one more posture
static void write_scenario(const char* path, const char* extra) {
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f,
          "format: spineload-scenario/1\nname: test_run\ndescription: flexing while standing\n"
          "body: %s\npostures:\n",
          MALE);
  for (int i = 0; i < NPOST; i++) {
    fprintf(f, "  - name: p%02d\n    description: flexed %d deg\n    root: standing\n", i, 2 * i);
    fprintf(f, "    lumbar: {flexion_deg: %d, lateral_deg: %g}\n", 2 * i, 0.5 * (i % 3));
    if (i % 4 == 1) fprintf(f, "    loads:\n      - {landmark: hand_r, mass_kg: %d}\n", i);
    if (i == NPOST - 1)
      fprintf(f,
              "    shoulders: {flexion_deg: 80}\n    loads:\n      - {landmark: hand_r, mass_kg: "
              "15}\n      - {landmark: hand_l, mass_kg: 15}\n    balance: true\n");
    fputs(FEET, f);
  }
  fputs(extra, f);
  fclose(f);
}

static slScenario* load_scenario(const char* path) {
  slScenario* sc = NULL;
  slError     e;
  if (sl_scenario_load(&sc, path, NULL, 0, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return sc;
}

#define SAME(a, b, field, count)                                               \
  do {                                                                         \
    if (memcmp((a)->field, (b)->field, sizeof(*(a)->field) * (size_t)(count))) \
      fail_msg("%s differs between 1 and 2 threads", #field);                  \
  } while (0)

// every posture run, results bit-identical for 1 and 2 threads, each posture's q its posture's
static void test_run_scenario(void** state) {
  (void)state;
  char path[1024];
  out_path(path, sizeof path, "scenario.yaml");
  write_scenario(path, "");
  slScenario* sc = load_scenario(path);
  assert_int_equal(sc->npost, NPOST);
  const slModel* m = sc->model;
  slResults *    r1 = NULL, *r2 = NULL;
  slError        e;
  ok(sl_run_scenario(sc, 1, 0, &r1, &e), &e);
  ok(sl_run_scenario(sc, 2, SL_RES_FRAMES, &r2, &e), &e);
  assert_int_equal(r1->n, NPOST);
  assert_int_equal(r1->maxcontact, 4);
  assert_null(r1->seg_pos);  // frames only when asked
  assert_non_null(r2->seg_pos);
  size_t n = (size_t)NPOST;
  SAME(r1, r2, q, n * (size_t)m->ncoord);
  SAME(r1, r2, status, n);
  SAME(r1, r2, iter, n);
  SAME(r1, r2, cost, n);
  SAME(r1, r2, comp, n * SL_NLEVEL);
  SAME(r1, r2, shear_ap, n * SL_NLEVEL);
  SAME(r1, r2, shear_lat, n * SL_NLEVEL);
  SAME(r1, r2, idp, n * SL_NLEVEL);
  SAME(r1, r2, mus_force, n * (size_t)m->nmus);
  SAME(r1, r2, contact_force, n * 4 * 3);
  SAME(r1, r2, comp_parts, n * SL_NLEVEL * (size_t)r1->npart);
  // q of each posture as the posture gives it (the last one pitched back to balance)
  slData* d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  double* q = malloc(sizeof(double) * (size_t)m->ncoord);
  int     tilt = sl_model_coord(m, "pelvis_tilt");
  for (int i = 0; i < NPOST; i++) {
    ok(sl_posture_to_q(m, d, &sc->post[i].posture, q, &e), &e);
    const double* qi = r1->q + (size_t)i * (size_t)m->ncoord;
    if (i < NPOST - 1) {
      assert_memory_equal(qi, q, sizeof(double) * (size_t)m->ncoord);
    } else {
      assert_true(sc->post[i].balance);
      assert_true(qi[tilt] > q[tilt]);  // the load in front: pitched back
    }
    assert_true(r1->status[i] == SL_SO_CONVERGED || r1->status[i] == SL_SO_RESERVE);
  }
  // more flexion presses L4/L5 harder (the even postures hold nothing, but the last)
  for (int i = 2; i < NPOST - 1; i += 2)
    assert_true(r1->comp[i * SL_NLEVEL + 1] > r1->comp[(i - 2) * SL_NLEVEL + 1]);
  free(q);
  sl_data_free(d);
  sl_results_free(r1);
  sl_results_free(r2);
  sl_scenario_free(sc);

  // a posture out of range: the error names the posture and where it is
  out_path(path, sizeof path, "scenario_bad.yaml");
  write_scenario(path, "  - name: too_far\n    root: standing\n    knees: {flexion_deg: -20}\n");
  sc = load_scenario(path);
  slResults  sentinel;
  slResults* r = &sentinel;  // overwritten on error
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_run_scenario(sc, 1, 0, &r, &e), SL_ERR_RANGE);
  assert_null(r);
  assert_non_null(strstr(e.msg, "posture 'too_far'"));
  assert_non_null(strstr(e.msg, "knee_angle_r"));
  assert_non_null(strstr(e.where, "scenario_bad.yaml:"));
  sl_scenario_free(sc);
}

static void assert_attr(slH5* f, const char* obj, const char* name, const char* want) {
  char    buf[512];
  slError e;
  ok(sl_h5_read_attr_str(f, obj, name, buf, sizeof buf, &e), &e);
  assert_string_equal(buf, want);
}

// the run file: /meta with the scenario and the model files, /model, /postures, /results
static void test_run_h5(void** state) {
  (void)state;
  char path[1024], out[1024];
  out_path(path, sizeof path, "scenario_h5.yaml");
  write_scenario(path, "");
  out_path(out, sizeof out, "run.h5");
  slScenario* sc = load_scenario(path);
  slResults*  r = NULL;
  slError     e;
  ok(sl_run_scenario(sc, 0, 0, &r, &e), &e);
  char* argv[3] = {"spineload", "run", path};
  ok(sl_run_write_h5(sc, r, out, 3, argv, &e), &e);
  char tmp[1100];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
  assert_false(exists(tmp));
  slH5* f = NULL;
  ok(sl_h5_open(&f, out, 0, &e), &e);
  assert_true(sl_h5_exists(f, "/meta"));
  assert_true(sl_h5_exists(f, "/meta/files"));
  assert_attr(f, "/meta", "scenario", "test_run");
  assert_attr(f, "/meta", "solver_criterion", "p2");
  // the postures, in order
  char** names = NULL;
  size_t nn = 0;
  ok(sl_h5_read_strings(f, "/postures/name", &names, &nn, &e), &e);
  assert_int_equal(nn, (size_t)NPOST);
  for (int i = 0; i < NPOST; i++) assert_string_equal(names[i], sc->post[i].name);
  sl_h5_free_strings(names, nn);
  ok(sl_h5_read_strings(f, "/postures/description", &names, &nn, &e), &e);
  assert_int_equal(nn, (size_t)NPOST);
  assert_string_equal(names[3], "flexed 6 deg");
  sl_h5_free_strings(names, nn);
  // the results, row per posture
  int    rank;
  size_t dims[4];
  ok(sl_h5_shape(f, "/results/disc/compression", &rank, dims, &e), &e);
  assert_int_equal(rank, 2);
  assert_int_equal(dims[0], (size_t)NPOST);
  assert_int_equal(dims[1], SL_NLEVEL);
  double* c = malloc(sizeof(double) * NPOST * SL_NLEVEL);
  ok(sl_h5_read(f, "/results/disc/compression", SL_H5_F64, c, &e), &e);
  assert_memory_equal(c, r->comp, sizeof(double) * NPOST * SL_NLEVEL);
  free(c);
  ok(sl_h5_shape(f, "/results/q", &rank, dims, &e), &e);
  assert_int_equal(dims[0], (size_t)NPOST);
  assert_int_equal(dims[1], (size_t)sc->model->ncoord);
  ok(sl_h5_shape(f, "/results/muscle/force", &rank, dims, &e), &e);
  assert_int_equal(dims[1], (size_t)sc->model->nmus);
  assert_true(sl_h5_exists(f, "/results/status"));
  assert_false(sl_h5_exists(f, "/results/kinematics/segment_pos"));  // not asked for
  // the model
  ok(sl_h5_shape(f, "/model/segment_mass", &rank, dims, &e), &e);
  assert_int_equal(dims[0], (size_t)sc->model->nseg);
  ok(sl_h5_read_strings(f, "/model/coordinate_names", &names, &nn, &e), &e);
  assert_int_equal(nn, (size_t)sc->model->ncoord);
  assert_string_equal(names[0], sc->model->coord_name[0]);
  sl_h5_free_strings(names, nn);
  sl_h5_close(f);

  // a failure leaves nothing behind
  memset(&e, 0, sizeof e);
  assert_true(sl_run_write_h5(sc, r, OUTDIR "/nodir/run.h5", 3, argv, &e) != SL_OK);
  assert_false(exists(OUTDIR "/nodir/run.h5"));
  sl_results_free(r);
  sl_scenario_free(sc);
}

// the bench with the smallest batch: six rows (kinds 0, 0, 1, 1, 2, 2 on 1 and 2 threads),
// positive times, the stage profile and the position described
static void test_bench(void** state) {
  (void)state;
  slBench b;
  slError e;
  ok(sl_bench(NULL, NULL, 0, 100, &b, &e), &e);
  assert_int_equal(b.nrow, 6);
  const int kind[6] = {0, 0, 1, 1, 2, 2};
  for (int i = 0; i < 6; i++) {
    assert_int_equal(b.row[i].kind, kind[i]);
    assert_int_equal(b.row[i].threads, 1 + i % 2);
    assert_true(b.row[i].seconds > 0);
    assert_true(b.row[i].ref_gflops > 0);
    if (kind[i] < 2)
      assert_int_equal(b.row[i].postures, 100);
    else
      assert_true(b.row[i].postures >= 100 &&
                  b.row[i].postures % (b.position_samples * b.position_roles) == 0);
  }
  assert_int_equal(b.postures, 100);
  assert_int_equal(b.fascicles, 238);
  assert_true(strlen(b.model) > 0);
  assert_int_equal(b.criterion, SL_CRIT_P2);
  assert_string_equal(b.position, "spooning");
  assert_int_equal(b.position_roles, 2);
  assert_true(b.position_samples > 1 && b.position_frequency > 0);
  for (int k = 0; k < 2; k++) {
    double tot = 0;
    for (int s = 0; s < SL_NSTAGE; s++) {
      assert_true(b.stage_seconds[k][s] >= 0);
      tot += b.stage_seconds[k][s];
    }
    assert_true(tot > 0);
    assert_true(b.iterations[k] >= 1);
    assert_true(b.flagged[k] >= 0 && b.flagged[k] <= 100);
    for (int s = 0; s < SL_NSTAGE; s++) assert_true(b.flops[k][s] > 0);
  }
  // random postures take more Newton iterations, so more operations in the recruitment; the
  // geometry's count does not depend on the posture
  assert_true(b.flops[1][SL_STAGE_SOLVE] > b.flops[0][SL_STAGE_SOLVE]);
  assert_true(b.flops[1][SL_STAGE_MUSCLE] == b.flops[0][SL_STAGE_MUSCLE]);
  assert_true(b.peak_gflops > 0 && b.peak_n == SL_BENCH_DGEMM_N && strlen(b.blas_core) > 0);
  assert_non_null(strstr(b.machine, "c"));
  // the comparison: with a file of this run's own figures, every ratio is 1
  FILE* f = fopen(OUTDIR "/bench.csv", "w");
  assert_non_null(f);
  fprintf(f, "case,stage,threads,postures_per_s,peak_gflops,blas_core\n");
  for (int i = 0; i < b.nrow; i++)
    fprintf(f, "%s,all,%d,%.17g,%.17g,%s\n", SL_BENCH_CASES[b.row[i].kind], b.row[i].threads,
            (double)b.row[i].postures / b.row[i].seconds, b.row[i].ref_gflops, b.blas_core);
  fprintf(f, "random,recruitment,1,1,1,%s\n", b.blas_core);  // a stage row: not compared
  fclose(f);
  double ratio[6];
  char   used[256];
  ok(sl_bench_compare(&b, OUTDIR "/bench.csv", ratio, used, sizeof used, &e), &e);
  assert_string_equal(used, OUTDIR "/bench.csv");
  for (int i = 0; i < 6; i++) assert_near(ratio[i], 1.0, 1e-12, 0);
  // rows of other BLAS kernels are not compared; no file is SL_ERR_IO
  slBench b2 = b;
  snprintf(b2.blas_core, sizeof b2.blas_core, "other");
  ok(sl_bench_compare(&b2, OUTDIR "/bench.csv", ratio, NULL, 0, &e), &e);
  for (int i = 0; i < 6; i++) assert_true(ratio[i] == 0.0);
  assert_int_equal(sl_bench_compare(&b, OUTDIR "/no_bench.csv", ratio, NULL, 0, &e), SL_ERR_IO);
  // solver overrides reach the recruitment's parser (a bad one fails before any timing)
  slOverride ov = {"solver.criterion", "bogus"};
  memset(&e, 0, sizeof e);
  assert_true(sl_bench(MALE, &ov, 1, 100, &b, &e) != SL_OK);
  assert_non_null(strstr(e.msg, "bogus"));

  // the range of n, and a body that does not load
  memset(&e, 0, sizeof e);
  assert_int_equal(sl_bench(NULL, NULL, 0, 99, &b, &e), SL_ERR_RANGE);
  assert_non_null(strstr(e.msg, "[100, 1e8]"));
  assert_int_equal(b.nrow, 0);
  assert_int_equal(sl_bench(NULL, NULL, 0, 100000001, &b, &e), SL_ERR_RANGE);
  assert_int_equal(sl_bench(NULL, NULL, 0, 0, &b, &e), SL_ERR_RANGE);
  assert_true(sl_bench(OUTDIR "/no_such_model.yaml", NULL, 0, 100, &b, &e) != SL_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_scenario),
      cmocka_unit_test(test_run_h5),
      cmocka_unit_test(test_bench),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
