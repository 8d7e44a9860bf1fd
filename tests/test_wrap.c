// test_wrap.c: wrapping surfaces. Closed-form paths around a sphere and a cylinder (tangents plus
// arc, to 1e-12), no wrap when the line misses or the quadrant excludes the surface, the
// quadrant's other route; the Pose2Sim model imported with its wraps: the wraps read, and for
// its wrapped fascicles r = -dL/dq by central differences at random postures. Bad wrap XML gives
// file:line errors (test_osim and tests/cli/errors.sh check the CLI's exit status).
// covers: sl_wrap
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#ifndef SL_SHARED_SOURCES
#define SL_SHARED_SOURCES "/work/shared/sources"
#endif
#define P2S     SL_SHARED_SOURCES "/perfanalytics_pose2sim/Model_Pose2Sim_muscles_flex.osim"
#define SHIPPED SL_TEST_SOURCE_DIR "/models/lumbar_spine.yaml"
#define OUTDIR  SL_TEST_BINARY_DIR "/test_wrap_out"
#define NTRIAL  4  // random postures of the finite-difference check

static double urand(unsigned* s) {
  *s = *s * 1103515245u + 12345u;
  return (double)(*s >> 8) / 16777216.0;
}

static double dist(const double* a, const double* b) {
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
              (a[2] - b[2]) * (a[2] - b[2]));
}

static double norm(const double* a) {
  return sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

// path length through the solver
static double wrapped_len(int shape, const double* dim, int qa, int qs, const double* P,
                          const double* S, int* wrapped) {
  double t1[3], t2[3], arc = 0;
  *wrapped = sl_wrap_solve(shape, dim, qa, qs, P, S, t1, t2, &arc);
  if (!*wrapped) return dist(P, S);
  return dist(P, t1) + arc + dist(t2, S);
}

// the great-circle path: tangents sqrt(d^2 - R^2), arc R (angle - acos(R/dp) - acos(R/ds))
static double sphere_formula(double R, const double* P, const double* S, int longway) {
  double dp = norm(P), ds = norm(S);
  double th = acos((P[0] * S[0] + P[1] * S[1] + P[2] * S[2]) / (dp * ds));
  double turn = longway ? 2 * 3.14159265358979323846 - th - acos(R / dp) - acos(R / ds)
                        : th - acos(R / dp) - acos(R / ds);
  return sqrt(dp * dp - R * R) + sqrt(ds * ds - R * R) + R * turn;
}

static void test_sphere(void** state) {
  (void)state;
  double   R = 0.1, dim[3] = {R, R, R};
  unsigned seed = 7;
  for (int t = 0; t < 200; t++) {
    // two points on opposite sides, the line through the sphere
    double P[3], S[3];
    for (int k = 0; k < 3; k++) P[k] = 0.1 * (urand(&seed) - 0.5);
    for (int k = 0; k < 3; k++) S[k] = -P[k] + 0.05 * (urand(&seed) - 0.5);
    P[0] += 0.3, S[0] -= 0.25;
    int    w;
    double L = wrapped_len(SL_WRAP_SPHERE, dim, -1, 1, P, S, &w);
    // the segment's closest approach to the centre
    double d[3] = {S[0] - P[0], S[1] - P[1], S[2] - P[2]};
    double u =
        -(P[0] * d[0] + P[1] * d[1] + P[2] * d[2]) / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    double c[3] = {P[0] + u * d[0], P[1] + u * d[1], P[2] + u * d[2]};
    if (norm(c) >= R) {
      assert_int_equal(w, 0);
      continue;
    }
    assert_int_equal(w, 1);
    assert_near(L, sphere_formula(R, P, S, 0), 1e-12, 0);
    // tangent points on the surface, the pieces tangent to it
    double t1[3], t2[3], arc;
    sl_wrap_solve(SL_WRAP_SPHERE, dim, -1, 1, P, S, t1, t2, &arc);
    assert_near(norm(t1), R, 1e-12, 0);
    assert_near(norm(t2), R, 1e-12, 0);
    double a[3] = {P[0] - t1[0], P[1] - t1[1], P[2] - t1[2]};
    assert_near((a[0] * t1[0] + a[1] * t1[1] + a[2] * t1[2]) / (norm(a) * R), 0, 1e-12, 0);
  }
  // a line that misses: straight
  double P[3] = {0.3, 0.15, 0}, S[3] = {-0.3, 0.12, 0.01};
  int    w;
  assert_near(wrapped_len(SL_WRAP_SPHERE, dim, -1, 1, P, S, &w), dist(P, S), 0, 0);
  assert_int_equal(w, 0);
  // a point inside: straight
  double I[3] = {0.05, 0, 0};
  wrapped_len(SL_WRAP_SPHERE, dim, -1, 1, I, S, &w);
  assert_int_equal(w, 0);
}

static void test_sphere_quadrant(void** state) {
  (void)state;
  double R = 0.1, dim[3] = {R, R, R};
  // the line passes just above the centre: the short route goes over +y
  double P[3] = {0.3, -0.005, 0.0}, S[3] = {-0.25, 0.03, 0.0};
  int    w;
  double L = wrapped_len(SL_WRAP_SPHERE, dim, 1, 1, P, S, &w);  // +y: the short route
  assert_int_equal(w, 1);
  assert_near(L, sphere_formula(R, P, S, 0), 1e-12, 0);
  L = wrapped_len(SL_WRAP_SPHERE, dim, -1, 1, P, S, &w);  // all: the same
  assert_near(L, sphere_formula(R, P, S, 0), 1e-12, 0);
  L = wrapped_len(SL_WRAP_SPHERE, dim, 1, -1, P, S, &w);  // -y: the other way round
  assert_int_equal(w, 1);
  assert_near(L, sphere_formula(R, P, S, 1), 1e-12, 0);
  // both ends on the inactive side: straight
  double P2[3] = {0.3, 0.02, 0.01}, S2[3] = {-0.25, 0.01, -0.02};
  wrapped_len(SL_WRAP_SPHERE, dim, 1, -1, P2, S2, &w);
  assert_int_equal(w, 0);
  double P3[3] = {0.3, -0.02, 0.01}, S3[3] = {-0.25, -0.01, -0.02};
  wrapped_len(SL_WRAP_SPHERE, dim, 1, 1, P3, S3, &w);
  assert_int_equal(w, 0);
}

// the helix: planar tangents and arc, then the axial rise: L = sqrt(Lp^2 + dz^2)
static double cyl_formula(double R, const double* P, const double* S, int longway) {
  double p[3] = {P[0], P[1], 0}, s[3] = {S[0], S[1], 0};
  double dp = norm(p), ds = norm(s), th = acos((p[0] * s[0] + p[1] * s[1]) / (dp * ds));
  double turn = longway ? 2 * 3.14159265358979323846 - th - acos(R / dp) - acos(R / ds)
                        : th - acos(R / dp) - acos(R / ds);
  double lp = sqrt(dp * dp - R * R) + sqrt(ds * ds - R * R) + R * turn, dz = S[2] - P[2];
  return sqrt(lp * lp + dz * dz);
}

static void test_cylinder(void** state) {
  (void)state;
  double   R = 0.05, dim[3] = {R, R, R};
  unsigned seed = 11;
  int      nw = 0;
  for (int t = 0; t < 200; t++) {
    double P[3] = {0.2, 0.06 * (urand(&seed) - 0.5), 0.3 * (urand(&seed) - 0.5)};
    double S[3] = {-0.15, 0.06 * (urand(&seed) - 0.5), 0.3 * (urand(&seed) - 0.5)};
    int    w;
    double L = wrapped_len(SL_WRAP_CYLINDER, dim, -1, 1, P, S, &w);
    // the projection's closest approach to the axis
    double dx = S[0] - P[0], dy = S[1] - P[1];
    double u = -(P[0] * dx + P[1] * dy) / (dx * dx + dy * dy);
    double cx = P[0] + u * dx, cy = P[1] + u * dy;
    if (cx * cx + cy * cy >= R * R) {
      assert_int_equal(w, 0);
      assert_near(L, dist(P, S), 0, 0);
      continue;
    }
    nw++;
    assert_int_equal(w, 1);
    assert_near(L, cyl_formula(R, P, S, 0), 1e-12, 0);
    // the quadrant on the side the short route does not take: the long route
    double t1[3], t2[3], arc;
    sl_wrap_solve(SL_WRAP_CYLINDER, dim, -1, 1, P, S, t1, t2, &arc);
    assert_near(sqrt(t1[0] * t1[0] + t1[1] * t1[1]), R, 1e-12, 0);
    int side = (t1[1] + t2[1]) > 0 ? 1 : -1;
    if (fabs(P[1]) < 1e-3 || fabs(S[1]) < 1e-3) continue;
    if (P[1] * side < 0 && S[1] * side < 0) continue;
    L = wrapped_len(SL_WRAP_CYLINDER, dim, 1, -side, P, S, &w);
    if (P[1] * -side < 0 && S[1] * -side < 0) {
      assert_int_equal(w, 0);
    } else {
      assert_int_equal(w, 1);
      assert_near(L, cyl_formula(R, P, S, 1), 1e-12, 0);
    }
  }
  assert_true(nw > 20);
}

// an ellipsoid: equal semi-axes give the sphere; the tangent points lie on the surface and the
// path is no shorter than the straight line nor longer than around the sphere that contains it
static void test_ellipsoid(void** state) {
  (void)state;
  double   sph[3] = {0.1, 0.1, 0.1}, ell[3] = {0.075, 0.17, 0.13};
  unsigned seed = 5;
  for (int t = 0; t < 50; t++) {
    double P[3] = {0.3, 0.05 * (urand(&seed) - 0.5), 0.05 * (urand(&seed) - 0.5)};
    double S[3] = {-0.3, 0.05 * (urand(&seed) - 0.5), 0.05 * (urand(&seed) - 0.5)};
    int    w1, w2;
    double a = wrapped_len(SL_WRAP_ELLIPSOID, sph, -1, 1, P, S, &w1);
    double b = wrapped_len(SL_WRAP_SPHERE, sph, -1, 1, P, S, &w2);
    assert_int_equal(w1, w2);
    assert_near(a, b, 1e-12, 0);
    double t1[3], t2[3], arc;
    assert_int_equal(sl_wrap_solve(SL_WRAP_ELLIPSOID, ell, -1, 1, P, S, t1, t2, &arc), 1);
    double q1 = 0, q2 = 0;
    for (int k = 0; k < 3; k++)
      q1 += t1[k] * t1[k] / (ell[k] * ell[k]), q2 += t2[k] * t2[k] / (ell[k] * ell[k]);
    assert_near(q1, 1, 1e-12, 0);
    assert_near(q2, 1, 1e-12, 0);
    double L = dist(P, t1) + arc + dist(t2, S);
    double big[3] = {0.17, 0.17, 0.17};
    assert_true(L > dist(P, S));
    assert_true(L < wrapped_len(SL_WRAP_SPHERE, big, -1, 1, P, S, &w1) + 1e-12);
  }
}

// the Pose2Sim model with its wraps, completed with the shipped file's non-OpenSim sections
static slModel* pose2sim(int wrapping) {
  FILE* in = fopen(SHIPPED, "r");
  assert_non_null(in);
  mkdir(OUTDIR, 0777);
  char path[1024];
  snprintf(path, sizeof path, "%s/p2s_wrap.yaml", OUTDIR);
  FILE* out = fopen(path, "w");
  assert_non_null(out);
  fprintf(
      out,
      "format: spineload-model/1\nname: p2s_wrap\nbase: %s\nbase_omit: [contact, limb_muscles]\n",
      P2S);
  static const char* const keep[] = {"mass_fractions", "joint_strength",
                                     "passive",        "disc",
                                     "abdominal_wall", "iap",
                                     "landmarks",      NULL};
  char                     line[4096];
  int                      on = 0;
  while (fgets(line, sizeof line, in)) {
    if (line[0] != ' ' && line[0] != '#' && line[0] != '\n') {
      on = 0;
      for (int k = 0; keep[k]; k++)
        if (!strncmp(line, keep[k], strlen(keep[k])) && line[strlen(keep[k])] == ':') on = 1;
    }
    if (on && line[0] != '#') fputs(line, out);
  }
  fclose(in);
  fclose(out);
  slOverride ov[] = {{"subject.scaling", "none"}, {"wrapping.on", wrapping ? "true" : "false"}};
  slModel*   m = NULL;
  slError    e;
  if (sl_model_load(&m, path, ov, 2, &e) != SL_OK) fail_msg("%s: %s", e.where, e.msg);
  return m;
}

static int have_p2s(void) {
  FILE* f = fopen(P2S, "r");
  if (f) {
    fclose(f);
    return 1;
  }
  const char* no = getenv("SL_NO_SHARED_SOURCES");
  if (no && !strcmp(no, "1")) return 0;
  fail_msg("%s is missing (set SL_NO_SHARED_SOURCES=1 where the sources are not provided)", P2S);
  return 0;
}

static int find(char (*names)[SL_NAME], int n, const char* s) {
  for (int i = 0; i < n; i++)
    if (!strcmp(names[i], s)) return i;
  return -1;
}

static void test_pose2sim_import(void** state) {
  (void)state;
  if (!have_p2s()) skip();
  slModel* m = pose2sim(1);
  assert_int_equal(m->wrapping_on, 1);
  assert_int_equal(m->nmwrap, 43);  // 37 over the chest ellipsoids, 6 over the torso cylinder
  int ch = find(m->wrap_name, m->nwrap, "Chest_r"), cy = find(m->wrap_name, m->nwrap, "Cylinder");
  assert_true(ch >= 0 && cy >= 0);
  assert_int_equal(m->wrap_shape[ch], SL_WRAP_ELLIPSOID);
  assert_near(m->wrap_dim[3 * ch + 1], 0.17, 1e-15, 0);
  assert_near(m->wrap_pos[3 * ch + 1], 0.21, 1e-15, 0);
  assert_int_equal(m->wrap_qaxis[ch], 2);
  assert_int_equal(m->wrap_qsign[ch], 1);
  assert_int_equal(m->wrap_shape[cy], SL_WRAP_CYLINDER);
  assert_near(m->wrap_dim[3 * cy], 0.17, 1e-15, 0);
  assert_int_equal(m->wrap_qaxis[cy], -1);
  int il = find(m->mus_name, m->nmus, "IL_L2_r");
  assert_true(il >= 0);
  assert_int_equal(m->mus_wrapnum[il], 1);
  assert_int_equal(m->mw_obj[m->mus_wrapadr[il]], cy);
  // wrapping off: no muscle takes the wrapped path
  slModel* off = pose2sim(0);
  assert_int_equal(off->nmwrap, 0);
  for (int i = 0; i < off->nmus; i++) assert_int_equal(off->mus_wrapnum[i], 0);
  sl_model_free(off);
  sl_model_free(m);
}

// r = -dL/dq for the wrapped fascicles, central differences at random postures
static void test_pose2sim_fd(void** state) {
  (void)state;
  if (!have_p2s()) skip();
  slModel* m = pose2sim(1);
  slData*  d = NULL;
  assert_int_equal(sl_data_make(m, &d, NULL), SL_OK);
  int      nm = m->nmus;
  double*  R = malloc(sizeof(double) * SL_NLDOF * (size_t)nm);
  double*  L0 = malloc(sizeof(double) * (size_t)nm);
  double*  Lp = malloc(sizeof(double) * (size_t)nm);
  double*  Lm = malloc(sizeof(double) * (size_t)nm);
  unsigned seed = 17;
  double   worst = 0, worst_ell = 0, h = 1e-6;
  int      nwrapped = 0, nchecked = 0;
  for (int trial = 0; trial < NTRIAL; trial++) {
    for (int k = 0; k < m->ncoord; k++) d->q[k] = m->coord_default[k];
    for (int k = 0; k < SL_NLDOF; k++) {
      int    c = m->ldof_coord[k];
      double lo = m->coord_range[2 * c], hi = m->coord_range[2 * c + 1];
      d->q[c] = 0.8 * (lo + (hi - lo) * urand(&seed));
    }
    const char* arms[] = {"arm_flex_r", "arm_flex_l", "arm_add_r", "arm_add_l"};
    for (int k = 0; k < 4; k++) {
      int c = sl_model_coord(m, arms[k]);
      if (c >= 0) d->q[c] = 1.2 * (urand(&seed) - 0.5);
    }
    sl_kin_forward(m, d, 0);
    sl_muscle_geometry(m, d);
    memcpy(R, d->mus_R, sizeof(double) * SL_NLDOF * (size_t)nm);
    memcpy(L0, d->mus_len, sizeof(double) * (size_t)nm);
    // which wrapped fascicles go around a surface now
    int* around = calloc((size_t)nm, sizeof(int));
    for (int i = 0; i < nm; i++) {
      if (!m->mus_wrapnum[i]) continue;
      double s = 0;
      for (int p = m->mus_ptadr[i]; p < m->mus_ptadr[i] + m->mus_ptnum[i] - 1; p++)
        s += dist(d->pt_xpos + 3 * p, d->pt_xpos + 3 * p + 3);
      around[i] = L0[i] > s + 1e-12;
      nwrapped += around[i];
    }
    for (int k = 0; k < SL_NLDOF; k++) {
      int    c = m->ldof_coord[k];
      double q0 = d->q[c];
      sl_test_lengths_at(m, d, c, q0 + h, Lp);
      sl_test_lengths_at(m, d, c, q0 - h, Lm);
      d->q[c] = q0;
      for (int i = 0; i < nm; i++) {
        if (!m->mus_wrapnum[i]) continue;
        double fd = -(Lp[i] - Lm[i]) / (2 * h), r = R[(size_t)i * SL_NLDOF + (size_t)k];
        double err = fabs(fd - r) / fmax(fabs(r), 1e-2);
        // the ellipsoid's planar route is not a geodesic: its via-point moment arms are within
        // 1e-3 of -dL/dq, not exact (README); sphere and cylinder paths are geodesics
        int ell = 0;
        for (int w = 0; w < m->mus_wrapnum[i]; w++)
          ell |= m->wrap_shape[m->mw_obj[m->mus_wrapadr[i] + w]] == SL_WRAP_ELLIPSOID;
        double* wst = ell ? &worst_ell : &worst;
        nchecked++;
        if (err > *wst) *wst = err;
        if (err > (ell ? 1e-3 : 1e-6))
          fail_msg("muscle %s dof %d: r = %.10f, -dL/dq = %.10f (trial %d, %s)", m->mus_name[i], k,
                   r, fd, trial, around[i] ? "wrapped" : "straight");
      }
    }
    free(around);
  }
  print_message(
      "wrapped fascicles around a surface: %d of %d; largest |r + dL/dq| / max(|r|, 1 cm)"
      " %.2e (cylinder), %.2e (ellipsoid) over %d entries\n",
      nwrapped, NTRIAL * m->nmwrap, worst, worst_ell, nchecked);
  assert_true(nwrapped > 2 * NTRIAL);
  free(R), free(L0), free(Lp), free(Lm);
  sl_data_free(d);
  sl_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sphere),          cmocka_unit_test(test_sphere_quadrant),
      cmocka_unit_test(test_cylinder),        cmocka_unit_test(test_ellipsoid),
      cmocka_unit_test(test_pose2sim_import), cmocka_unit_test(test_pose2sim_fd),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
