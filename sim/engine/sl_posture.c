// sl_posture.c: a posture as a person describes it -> generalized coordinates.
//
// Root presets set the pelvis orientation and default limb angles for the common ways of holding
// a body (standing, sitting, lying supine / prone / on a side, kneeling, on all fours); any field
// the posture gives replaces the preset's value. The total lumbar angles are spread over the six
// levels with the model's rhythm, unless per-level angles are given. Finally, unless the pelvis
// position is given, the body is lowered so that its lowest landmark touches the floor (y = 0).
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

static const char* const ROOT_NAMES[SL_ROOT_COUNT] = {"standing", "sitting",   "supine",
                                                      "prone",    "side_left", "side_right",
                                                      "kneeling", "all_fours", "explicit"};

const char* sl_root_name(slRoot r) {
  return (r >= 0 && r < SL_ROOT_COUNT) ? ROOT_NAMES[r] : "unknown";
}

int sl_root_from_name(const char* s) {
  for (int i = 0; s && i < SL_ROOT_COUNT; i++)
    if (strcmp(s, ROOT_NAMES[i]) == 0) return i;
  return -1;
}

slPosture sl_posture_default(slRoot root) {
  slPosture p;
  memset(&p, 0, sizeof p);
  p.root = root;
  double nan = NAN;
  for (int k = 0; k < 3; k++) p.pelvis_rot[k] = p.pelvis_pos[k] = p.lumbar[k] = nan;
  for (int l = 0; l < SL_NLEVEL; l++)
    for (int k = 0; k < 3; k++) p.level[l][k] = nan;
  for (int s = 0; s < 2; s++) {
    p.hip_flex[s] = p.hip_add[s] = p.hip_rot[s] = p.knee[s] = p.ankle[s] = nan;
    p.shoulder_flex[s] = p.shoulder_add[s] = p.shoulder_rot[s] = p.elbow[s] = nan;
  }
  p.neck_flex = nan;
  return p;
}

// preset values in degrees; the pelvis rotation column is tilt, list, rotation
typedef struct Preset {
  double pelvis[3];
  double lumbar_flex;
  double hip_flex, knee, ankle, shoulder_flex, shoulder_add, elbow;
} Preset;

// clang-format off
static const Preset PRESETS[SL_ROOT_COUNT] = {
  // pelvis (tilt, list, rot)  lumbar  hip   knee  ankle  sh.flex sh.add elbow
  {{0, 0, 0},                  0,      0,    0,    0,     0,      0,     0},   // standing
  {{20, 0, 0},                 20,     70,   90,   0,     0,      0,     0},   // sitting
  {{90, 0, 0},                 0,      0,    0,    0,     0,      0,     0},   // supine
  {{-90, 0, 0},                0,      0,    0,    0,     0,      0,     0},   // prone
  {{0, -90, 0},                0,      0,    0,    0,     0,      0,     0},   // on the left side
  {{0, 90, 0},                 0,      0,    0,    0,     0,      0,     0},   // on the right side
  {{0, 0, 0},                  0,      0,    90,   -30,   0,      0,     0},   // kneeling upright
  {{-90, 0, 0},                0,      90,   90,   -30,   85,     0,     0},   // on all fours
  {{0, 0, 0},                  0,      0,    0,    0,     0,      0,     0},   // explicit
};
// clang-format on

static double pick(double given, double preset_deg) {
  return isnan(given) ? preset_deg * SL_DEG : given;
}

static slStatus set_coord(const slModel* m, double* q, const char* name, double v, slError* err) {
  int k = sl_model_coord(m, name);
  if (k < 0) return sl_fail(err, SL_ERR_MODEL, name, "the model has no coordinate '%s'", name);
  q[k] = v;
  return SL_OK;
}

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

static void place_floor(const slModel* m, slData* d, double* q);

slStatus sl_posture_to_q(const slModel* m, slData* d, const slPosture* p, double* q, slError* err) {
  if (p->root < 0 || p->root >= SL_ROOT_COUNT)
    return sl_fail(err, SL_ERR_ARG, "root", "unknown root preset %d", (int)p->root);
  const Preset* pr = &PRESETS[p->root];
  memcpy(q, m->coord_default, sizeof(double) * (size_t)m->ncoord);
  static const char* const pelvis_names[3] = {"pelvis_tilt", "pelvis_list", "pelvis_rotation"};
  for (int k = 0; k < 3; k++)
    TRY(set_coord(m, q, pelvis_names[k], pick(p->pelvis_rot[k], pr->pelvis[k]), err));
  TRY(set_coord(m, q, "pelvis_tx", isnan(p->pelvis_pos[0]) ? 0.0 : p->pelvis_pos[0], err));
  TRY(set_coord(m, q, "pelvis_ty", isnan(p->pelvis_pos[1]) ? 0.0 : p->pelvis_pos[1], err));
  TRY(set_coord(m, q, "pelvis_tz", isnan(p->pelvis_pos[2]) ? 0.0 : p->pelvis_pos[2], err));

  // lumbar: user signs are + flexion, + right bend, + left twist; model flexion is negative
  static const double sign[3] = {-1.0, 1.0, 1.0};
  double              total[3] = {pick(p->lumbar[0], pr->lumbar_flex), pick(p->lumbar[1], 0),
                                  pick(p->lumbar[2], 0)};
  for (int l = 0; l < SL_NLEVEL; l++)
    for (int a = 0; a < 3; a++) {
      double v = p->per_level ? pick(p->level[l][a], 0) : total[a] * m->rhythm[a][l];
      q[m->lev_coord[l][a]] = sign[a] * v;
    }

  static const char* const sfx[2] = {"_r", "_l"};
  char                     nm[SL_NAME];
#define LIMB(field, base, preset)                \
  snprintf(nm, sizeof nm, "%s%s", base, sfx[s]); \
  TRY(set_coord(m, q, nm, pick(p->field[s], preset), err))
  for (int s = 0; s < 2; s++) {
    LIMB(hip_flex, "hip_flexion", pr->hip_flex);
    LIMB(hip_add, "hip_adduction", 0);
    LIMB(hip_rot, "hip_rotation", 0);
    LIMB(knee, "knee_angle", pr->knee);
    LIMB(ankle, "ankle_angle", pr->ankle);
    LIMB(shoulder_flex, "arm_flex", pr->shoulder_flex);
    LIMB(shoulder_add, "arm_add", pr->shoulder_add);
    LIMB(shoulder_rot, "arm_rot", 0);
    LIMB(elbow, "elbow_flex", pr->elbow);
  }
#undef LIMB
  TRY(set_coord(m, q, "neck_flexion", pick(p->neck_flex, 0), err));
  for (int k = 0; k < p->nset; k++) {
    if (p->set_coord[k] < 0 || p->set_coord[k] >= m->ncoord)
      return sl_fail(err, SL_ERR_ARG, "coords", "coordinate index %d out of range",
                     p->set_coord[k]);
    q[p->set_coord[k]] = p->set_value[k];
  }

  // every coordinate within its range
  for (int k = 0; k < m->ncoord; k++) {
    const double* r = m->coord_range + 2 * k;
    if (!(q[k] >= r[0] - 1e-9 && q[k] <= r[1] + 1e-9)) {
      int    rot = m->coord_type[k] == SL_AX_ROT;
      double f = rot ? 1.0 / SL_DEG : 1.0;
      // a lumbar coordinate set through the rhythm: also give the allowed total angle
      static const char* const what[3] = {"flexion", "lateral bend", "twist"};
      for (int l = 0; l < SL_NLEVEL && !p->per_level; l++)
        for (int a = 0; a < 3; a++) {
          if (m->lev_coord[l][a] != k) continue;
          double lo = -INFINITY, hi = INFINITY;
          for (int j = 0; j < SL_NLEVEL; j++) {
            int    c = m->lev_coord[j][a];
            double s = sign[a] * m->rhythm[a][j];
            if (s == 0.0) continue;
            double x0 = m->coord_range[2 * c] / s, x1 = m->coord_range[2 * c + 1] / s;
            if (x0 > x1) {
              double t = x0;
              x0 = x1;
              x1 = t;
            }
            if (x0 > lo) lo = x0;
            if (x1 < hi) hi = x1;
          }
          double v = sign[a] * q[k] * f, r0 = sign[a] * r[0] * f, r1 = sign[a] * r[1] * f;
          // the allowed totals rounded inwards to 0.01 deg, so that both ends named are accepted
          double lo_in = ceil(lo / SL_DEG * 100 - 1e-6) / 100;
          double hi_in = floor(hi / SL_DEG * 100 + 1e-6) / 100;
          return sl_fail(err, SL_ERR_RANGE, "lumbar",
                         "total lumbar %s %.6g deg puts %s at %.6g deg, beyond its range "
                         "[%.6g, %.6g] deg; with the model's rhythm the total must lie in "
                         "[%.2f, %.2f] deg",
                         what[a], total[a] / SL_DEG, m->lev_name[l], v, r0 < r1 ? r0 : r1,
                         r0 < r1 ? r1 : r0, lo_in, hi_in);
        }
      return sl_fail(err, SL_ERR_RANGE, m->coord_name[k],
                     "coordinate '%s' = %.4g %s is outside the model's range [%.4g, %.4g] %s",
                     m->coord_name[k], q[k] * f, rot ? "deg" : "m", r[0] * f, r[1] * f,
                     rot ? "deg" : "m");
    }
  }

  // place the lowest landmark on the floor, unless the pelvis height was given
  if (isnan(p->pelvis_pos[1]) && m->nland > 0) place_floor(m, d, q);
  return SL_OK;
}

// centre of mass x of body + loads, and the supports' x span, at q
static void com_and_span(const slModel* m, slData* d, const double* q, const slPointLoad* loads,
                         int nloads, const slContact* sup, int nsup, double* cx, double* lo,
                         double* hi) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  double mx = 0.0, mt = 0.0, g = -m->gravity[1];
  for (int i = 0; i < m->nseg; i++) {
    mx += m->seg_mass[i] * d->xcom[3 * i];
    mt += m->seg_mass[i];
  }
  for (int k = 0; k < nloads; k++) {
    double p[3], mass = g > 0 ? -loads[k].force[1] / g : 0.0;
    if (mass <= 0) continue;
    sl_kin_point(m, d, loads[k].seg, loads[k].pos, p);
    mx += mass * p[0];
    mt += mass;
  }
  *cx = mx / mt;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int k = 0; k < nsup; k++) {
    double p[3];
    int    l = sup[k].land;
    sl_kin_landmark(m, d, l, p);
    if (p[0] < *lo) *lo = p[0];
    if (p[0] > *hi) *hi = p[0];
  }
}

static void place_floor(const slModel* m, slData* d, double* q) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  double lowest = INFINITY;
  for (int i = 0; i < m->nland; i++) {
    double w[3];
    sl_kin_landmark(m, d, i, w);
    if (w[1] < lowest) lowest = w[1];
  }
  q[sl_model_coord(m, "pelvis_ty")] -= lowest;
}

slStatus sl_posture_balance(const slModel* m, slData* d, double* q, int place_on_floor,
                            const slPointLoad* loads, int nloads, const slContact* supports,
                            int nsupport, double* pitch, slError* err) {
  *pitch = 0.0;
  int tilt = sl_model_coord(m, "pelvis_tilt");
  if (tilt < 0 || nsupport < 1) return SL_OK;
  double cx, lo, hi;
  com_and_span(m, d, q, loads, nloads, supports, nsupport, &cx, &lo, &hi);
  double margin = 0.02;
  if (hi - lo < 2 * margin) margin = 0.5 * (hi - lo);
  if (cx >= lo + margin && cx <= hi - margin) return SL_OK;
  double t0 = q[tilt];
  // secant on the pitch for the offset of the centre of mass from the nearer inside edge
  int    fwd = cx > hi - margin;
  double a = 0.0, fa = fwd ? cx - (hi - margin) : cx - (lo + margin);
  double b = (fa > 0 ? 1.0 : -1.0) * 2.0 * SL_DEG, fb = fa;
  for (int it = 0; it < 40; it++) {
    q[tilt] = t0 + b;
    com_and_span(m, d, q, loads, nloads, supports, nsupport, &cx, &lo, &hi);
    fb = fwd ? cx - (hi - margin) : cx - (lo + margin);
    if (fabs(fb) < 1e-4) break;
    double nb = fb != fa ? b - fb * (b - a) / (fb - fa) : b + SL_DEG;
    if (nb > b + 5 * SL_DEG) nb = b + 5 * SL_DEG;  // keep the secant from leaping
    if (nb < b - 5 * SL_DEG) nb = b - 5 * SL_DEG;
    a = b, fa = fb, b = nb;
    if (fabs(b) > 30 * SL_DEG) break;
  }
  if (!(fabs(fb) < 1e-3) || fabs(b) > 30 * SL_DEG) {
    q[tilt] = t0;
    return sl_fail(err, SL_ERR_RANGE, "balance",
                   "no pitch within +-30 deg puts the centre of mass over the supports");
  }
  q[tilt] = t0 + b;
  *pitch = b;
  if (place_on_floor) place_floor(m, d, q);
  return SL_OK;
}
