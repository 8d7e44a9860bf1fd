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
  double*   f = (double*)&p.pelvis_rot[0];
  (void)f;
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
      return sl_fail(err, SL_ERR_RANGE, m->coord_name[k],
                     "coordinate '%s' = %.4g %s is outside the model's range [%.4g, %.4g] %s",
                     m->coord_name[k], q[k] * f, rot ? "deg" : "m", r[0] * f, r[1] * f,
                     rot ? "deg" : "m");
    }
  }

  // place the lowest landmark on the floor, unless the pelvis height was given
  if (isnan(p->pelvis_pos[1]) && m->nland > 0) {
    memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
    sl_kin_forward(m, d, 0);
    double lowest = INFINITY;
    for (int i = 0; i < m->nland; i++) {
      double w[3];
      sl_kin_point(m, d, m->land_seg[i], m->land_pos + 3 * i, w);
      if (w[1] < lowest) lowest = w[1];
    }
    int ty = sl_model_coord(m, "pelvis_ty");
    q[ty] -= lowest;
  }
  return SL_OK;
}
