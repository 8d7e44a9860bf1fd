// test_figure.c: the figure of a position (sl_figure.c), the rank-file reader (sl_rankfile.c)
// and crash-safe text outputs (sl_io_atomic.c).
// covers: sl_figure sl_rankfile sl_io_atomic
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_h5.h"
#include "sl_position.h"
#include "testutil.h"

#define POS(f) SL_TEST_SOURCE_DIR "/tests/data/positions/" f
#define TMP(f) SL_TEST_BINARY_DIR "/test_figure_" f

static slFigure* figure(const char* path, const slOverride* ov, int nov) {
  slFigure* F = NULL;
  slError   e;
  if (sl_figure_make(&F, path, ov, nov, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return F;
}

// the figure against the position run independently: poses, discs and their peak loads,
// contacts, the floor
static void test_figure_matches_run(void** state) {
  (void)state;
  slMotionOpt    mo = sl_motion_opt_default();
  slSoOpt        so = sl_so_opt_default();
  slPosition*    P = NULL;
  slPositionRun* R = NULL;
  slError        e;
  assert_int_equal(sl_position_load(&P, POS("side_left.yaml"), &mo, NULL, 0, &e), SL_OK);
  assert_int_equal(sl_position_run(P, &so, &R, &e), SL_OK);
  slFigure* F = figure(POS("side_left.yaml"), NULL, 0);
  assert_string_equal(F->title, P->title);
  assert_int_equal(F->nrole, 2);
  assert_int_equal(F->samples, R->samples);
  assert_true(F->samples > 1);
  assert_int_equal(F->npose, 3);
  assert_int_equal(F->npartner, 1);
  double lowest_support = INFINITY;
  int    nsupport = 0;
  for (int k = 0; k < F->nrole; k++) {
    const slFigureRole* fr = &F->role[k];
    const slResults*    r = R->res[k];
    const slModel*      m = P->role[k].model;
    assert_string_equal(fr->name, P->role[k].name);
    assert_int_equal(fr->nseg, m->nseg);
    assert_int_equal(fr->pose[1].sample, R->samples / 4);
    assert_int_equal(fr->pose[2].sample, 3 * R->samples / 4);
    // every level has a disc, at the joint centre, coloured by its peak compression (>= 0)
    for (int l = 0; l < SL_NLEVEL; l++) {
      double peak = 0;
      for (int i = 0; i < r->n; i++) peak = fmax(peak, r->comp[(size_t)i * SL_NLEVEL + l]);
      assert_true(peak > 100.0);  // a body lying on its side still presses its discs
      assert_near(fr->disc_peak[l], peak, 0, 0);
      assert_near(fr->peak_comp[l], peak, 0, 0);
      for (int c = 0; c < 3; c++) assert_near(fr->pose[0].disc[l][c], r->lev_pos[l * 3 + c], 0, 0);
    }
    // bones: one per segment with a parent, then the six limb ends of the full model
    assert_int_equal(fr->pose[0].nbone, m->nseg - 1 + 6);
    for (int x = 0; x < F->npose; x++) {
      const slFigurePose* p = &fr->pose[x];
      assert_true(p->has_head);
      for (int b = 0; b < p->nbone; b++)
        for (int c = 0; c < 3; c++) {
          assert_true(p->bone[6 * b + c] >= fr->lo[c] && p->bone[6 * b + c] <= fr->hi[c]);
          assert_true(p->bone[6 * b + 3 + c] >= fr->lo[c] && p->bone[6 * b + 3 + c] <= fr->hi[c]);
        }
      for (int c = 0; c < 3; c++) {
        assert_true(p->head[c] - F->head_r >= fr->lo[c] && p->head[c] + F->head_r <= fr->hi[c]);
      }
    }
    // the first bone joins the root to its first child; origins are the run's segment frames
    int g = 1;
    while (m->seg_parent[g] < 0) g++;
    const double* sp = r->seg_pos + 3 * (size_t)((size_t)fr->pose[1].sample * (size_t)m->nseg);
    for (int c = 0; c < 3; c++) {
      assert_near(fr->pose[1].bone[c], sp[3 * m->seg_parent[g] + c], 0, 0);
      assert_near(fr->pose[1].bone[3 + c], sp[3 * g + c], 0, 0);
      assert_near(fr->pose[1].origin[3 * g + c], sp[3 * g + c], 0, 0);
    }
    // the pelvis' right and superior axes at rest: the run's pelvis frame (columns 2 and 1),
    // unit and orthogonal; a body lying on its side has its right axis (near) vertical
    int           pel = sl_model_segment(m, "pelvis");
    const double* Rp = r->seg_rot + 9 * (size_t)((size_t)fr->pose[0].sample * (size_t)m->nseg +
                                                 (size_t)(pel >= 0 ? pel : 0));
    double        ll = 0, ss = 0, ls = 0;
    for (int c = 0; c < 3; c++) {
      assert_near(fr->lateral[c], Rp[3 * c + 2], 0, 0);
      assert_near(fr->superior[c], Rp[3 * c + 1], 0, 0);
      ll += fr->lateral[c] * fr->lateral[c], ss += fr->superior[c] * fr->superior[c];
      ls += fr->lateral[c] * fr->superior[c];
    }
    assert_near(ll, 1.0, 1e-9, 0);
    assert_near(ss, 1.0, 1e-9, 0);
    assert_near(ls, 0.0, 1e-9, 0);
    assert_true(fabs(fr->lateral[1]) > 0.7);
    // contacts: the role's own supports and the partner contact, at rest
    assert_int_equal(fr->ncontact, r->maxcontact);
    int nsup = 0, npart = 0;
    for (int c = 0; c < fr->ncontact; c++) {
      const slFigureContact* fc = &fr->contact[c];
      nsup += fc->kind == SL_FIGURE_SUPPORT, npart += fc->kind == SL_FIGURE_PARTNER;
      assert_near(fc->force[1], r->contact_force[3 * c + 1], 0, 0);
      if (fc->kind == SL_FIGURE_SUPPORT) lowest_support = fmin(lowest_support, fc->point[1]);
    }
    assert_int_equal(nsup, 7);
    assert_int_equal(npart, 1);
    nsupport += nsup;
    slMetrics mt;
    sl_metrics_compute(R, k, &mt);
    assert_near(fr->load_index, mt.load_index, 0, 0);
    assert_int_equal(fr->flagged, mt.flagged);
  }
  assert_int_equal(F->nsupport, nsupport);
  assert_near(F->floor_y, lowest_support, 0, 0);
  sl_figure_free(F);
  sl_position_run_free(R);
  sl_position_free(P);
}

// overrides reach the cycle; bad ones and a missing file are errors that name the key or file
static void test_figure_overrides_and_errors(void** state) {
  (void)state;
  slOverride still[] = {{"motion.samples", "1"}};
  slFigure*  F = figure(POS("side_left.yaml"), still, 1);
  assert_int_equal(F->samples, 1);
  assert_int_equal(F->npose, 1);
  assert_null(F->role[0].pose[1].bone);
  sl_figure_free(F);
  slError    e;
  slOverride bad[] = {{"motion.samples", "abc"}};
  F = (slFigure*)1;
  assert_int_not_equal(sl_figure_make(&F, POS("side_left.yaml"), bad, 1, &e), SL_OK);
  assert_null(F);
  assert_non_null(strstr(e.msg, "samples"));
  const char* missing = TMP("no_such_position.yaml");
  assert_int_equal(sl_figure_make(&F, missing, NULL, 0, &e), SL_ERR_IO);
  assert_null(F);
  assert_non_null(strstr(e.where, "no_such_position.yaml"));
  sl_figure_free(NULL);
}

// compression of row i at sample s and level l [N]: largest at sample 1, so the peak is not
// the last sample; L5/S1 of row 1 never presses (its peak is 0)
static double comp_value(int i, int s, int l) {
  static const double at[4] = {0, 30, 10, 20};
  return 100.0 * (i + 1) * l + at[s] - 25 - (i == 1 && l == 0 ? 100 : 0);
}

// a tiny rank file: two positions, three rows (4 samples each)
static void write_rank_file(const char* path, int bad_shape) {
  slH5*   f = NULL;
  slError e;
  enum { N = 3, NS = 4 };
  const char* pos[N] = {"b_pos", "a_pos", "b_pos"};
  const char* role[N] = {"front", "solo", "back"};
  const char* note[N] = {"n0", "n1", "n2"};
  int32_t     rank[N] = {3, 1, 2}, flagged[N] = {0, 5, 1};
  double      li[N] = {0.9, 0.2, 0.5}, x[N] = {1, 2, 3};
  slH5Col     cols[] = {
          {"position", SL_H5_STR, "", pos},
          {"role", SL_H5_STR, "", role},
          {"rank", SL_H5_I32, "1", rank},
          {"load_index", SL_H5_F64, "1", li},
          {"peak_compression_L4L5", SL_H5_F64, "N", x},
          {"peak_compression_L5S1", SL_H5_F64, "N", x},
          {"peak_shear", SL_H5_F64, "N", x},
          {"peak_idp_L4L5", SL_H5_F64, "MPa", x},
          {"lumbar_flexion_pct_rom", SL_H5_F64, "%", x},
          {"lumbar_extension_pct_rom", SL_H5_F64, "%", x},
          {"mean_compression_L4L5", SL_H5_F64, "N", x},
          {"max_reserve", SL_H5_F64, "N m", li},
          {"flagged_samples", SL_H5_I32, "1", flagged},
          {"note", SL_H5_STR, "", note},
  };
  assert_int_equal(sl_h5_create(&f, path, &e), SL_OK);
  assert_int_equal(sl_h5_write_table(f, "/ranking", N, (int)(sizeof cols / sizeof cols[0]), cols,
                                     "test ranking", &e),
                   SL_OK);
  for (int i = 0; i < N; i++) {
    double c[NS * SL_NLEVEL];
    for (int s = 0; s < NS; s++)
      for (int l = 0; l < SL_NLEVEL; l++) c[s * SL_NLEVEL + l] = comp_value(i, s, l);
    char p[256];
    snprintf(p, sizeof p, "/positions/%s/%s/disc/compression", pos[i], role[i]);
    size_t dims[2] = {NS, bad_shape && i == 2 ? SL_NLEVEL - 1 : SL_NLEVEL};
    assert_int_equal(sl_h5_write(f, p, SL_H5_F64, 2, dims, c, "N", "compression", &e), SL_OK);
  }
  // one position with a title (the other has none: its name stands in)
  assert_int_equal(sl_h5_attr_str(f, "/positions/a_pos", "title", "Position A", &e), SL_OK);
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
}

static void test_rankfile_read(void** state) {
  (void)state;
  const char* path = TMP("rank.h5");
  write_rank_file(path, 0);
  slResultsKind kind;
  slError       e;
  assert_int_equal(sl_results_kind(path, &kind, &e), SL_OK);
  assert_int_equal(kind, SL_RESULTS_RANK);
  slRankFile* t = NULL;
  assert_int_equal(sl_rankfile_read(path, &t, &e), SL_OK);
  assert_int_equal(sl_rankfile_rows(t), 3);
  assert_null(sl_rankfile_row(t, 3));
  for (size_t i = 0; i < 3; i++) {
    const slRankFileRow* r = sl_rankfile_row(t, i);
    assert_near(r->profile[0], i == 1 ? 0.0 : 5.0, 0, 0);
    for (int l = 1; l < SL_NLEVEL; l++)
      assert_near(r->profile[l], 100.0 * (double)(i + 1) * l + 5, 0, 0);
  }
  const slRankFileRow* r = sl_rankfile_row(t, 1);
  assert_string_equal(r->position, "a_pos");
  assert_string_equal(r->title, "Position A");
  assert_string_equal(sl_rankfile_row(t, 0)->title, "b_pos");
  assert_string_equal(r->role, "solo");
  assert_string_equal(r->note, "n1");
  assert_int_equal(r->rank, 1);
  assert_int_equal(r->flagged, 5);
  assert_near(r->load_index, 0.2, 0, 0);
  assert_near(r->peak_idp_l4l5, 2, 0, 0);
  assert_near(r->max_reserve, 0.2, 0, 0);
  sl_rankfile_free(t);
  sl_rankfile_free(NULL);
  remove(path);
}

static void test_rankfile_errors(void** state) {
  (void)state;
  const char* path = TMP("rank_bad.h5");
  slError     e;
  slRankFile* t = NULL;
  write_rank_file(path, 1);
  assert_int_equal(sl_rankfile_read(path, &t, &e), SL_ERR_PARSE);
  assert_null(t);
  assert_non_null(strstr(e.where, "rank_bad.h5:/positions/b_pos/back/disc/compression"));
  // a file without the role groups: the first missing dataset named
  slH5* f = NULL;
  assert_int_equal(sl_h5_create(&f, path, &e), SL_OK);
  const char* s[1] = {"p"};
  int32_t     one = 1;
  double      v = 0.5;
  slH5Col     cols[] = {{"position", SL_H5_STR, "", s},
                        {"role", SL_H5_STR, "", s},
                        {"note", SL_H5_STR, "", s},
                        {"rank", SL_H5_I32, "1", &one},
                        {"load_index", SL_H5_F64, "1", &v}};
  assert_int_equal(sl_h5_write_table(f, "/ranking", 1, 5, cols, "short", &e), SL_OK);
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
  assert_int_equal(sl_rankfile_read(path, &t, &e), SL_ERR_PARSE);
  assert_null(t);
  assert_non_null(strstr(e.where, "flagged_samples"));
  // a sweep group makes it a sweep file; neither group, neither; a text file is an error
  slResultsKind kind;
  assert_int_equal(sl_h5_open(&f, path, 1, &e), SL_OK);
  assert_int_equal(sl_h5_group(f, "/sweep", &e), SL_OK);
  sl_h5_close(f);
  assert_int_equal(sl_results_kind(path, &kind, &e), SL_OK);
  assert_int_equal(kind, SL_RESULTS_SWEEP);
  assert_int_equal(sl_h5_create(&f, path, &e), SL_OK);
  assert_int_equal(sl_h5_group(f, "/other", &e), SL_OK);
  assert_int_equal(sl_h5_commit(f, &e), SL_OK);
  assert_int_equal(sl_results_kind(path, &kind, &e), SL_OK);
  assert_int_equal(kind, SL_RESULTS_OTHER);
  FILE* txt = fopen(path, "w");
  fputs("not hdf5\n", txt);
  fclose(txt);
  assert_int_equal(sl_results_kind(path, &kind, &e), SL_ERR_IO);
  assert_non_null(strstr(e.where, "rank_bad.h5"));
  assert_int_equal(sl_rankfile_read(path, &t, &e), SL_ERR_IO);
  remove(path);
}

static char* slurp(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) return NULL;
  static char buf[256];
  size_t      n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

// written under a temporary name, renamed when complete; given up: the old file stays
static void test_atomic_file(void** state) {
  (void)state;
  const char* path = TMP("atomic.txt");
  char        tmp[1100];
  slError     e;
  remove(path);
  FILE* f = sl_atomic_open(path, tmp, sizeof tmp, &e);
  assert_non_null(f);
  assert_string_not_equal(tmp, path);
  fputs("first\n", f);
  assert_null(slurp(path));  // nothing at path before the commit
  assert_int_equal(sl_atomic_commit(f, tmp, path, &e), SL_OK);
  assert_string_equal(slurp(path), "first\n");
  assert_int_not_equal(access(tmp, F_OK), 0);
  f = sl_atomic_open(path, tmp, sizeof tmp, &e);
  fputs("second\n", f);
  sl_atomic_abort(f, tmp);
  assert_string_equal(slurp(path), "first\n");
  assert_int_not_equal(access(tmp, F_OK), 0);
  // a write error (a stream opened for reading cannot be written) removes the temporary
  f = sl_atomic_open(path, tmp, sizeof tmp, &e);
  fclose(f);
  f = fopen(tmp, "r");
  fputs("x", f);
  assert_int_equal(sl_atomic_commit(f, tmp, path, &e), SL_ERR_WRITE);
  assert_string_equal(e.where, path);
  assert_int_not_equal(access(tmp, F_OK), 0);
  assert_string_equal(slurp(path), "first\n");
  // a directory that does not exist
  assert_null(sl_atomic_open(TMP("no_dir/x.txt"), tmp, sizeof tmp, &e));
  assert_int_equal(e.code, SL_ERR_IO);
  assert_non_null(strstr(e.where, "no_dir/x.txt"));
  remove(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_figure_matches_run), cmocka_unit_test(test_figure_overrides_and_errors),
      cmocka_unit_test(test_rankfile_read),      cmocka_unit_test(test_rankfile_errors),
      cmocka_unit_test(test_atomic_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
