// sl_scenario.c: scenario files (YAML) -> postures, loads and supports for one body.
//
// A scenario names a body model, optional model overrides and solver options, and a list of
// postures. The posture reader (sl_posture_read) is shared with the position library. Every value
// is checked where it is read; errors carry "file:line:col", the key and the allowed range.
#include "sl_scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_math.h"
#include "sl_model.h"
#include "sl_options.h"

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

// Where the angles read go and what their spreads are (sl_posture_read_spread); sp may be NULL.
typedef struct Spreads {
  slPosture* post;  // the posture being read (field offsets are into it)
  slSpread*  out;   // (max) or NULL: no list
  int        max, n;
  int        kind;  // SL_SPREAD_JOINT or SL_SPREAD_PELVIS for the angles being read
  double     sd;    // the map's sd_deg [deg], NaN if it gives none
  char       group[32];
} Spreads;

// optional angle in degrees -> radians into *out and *out2 (untouched if absent; out2 may be
// NULL); listed with its spread when sp lists them
static slStatus angle2(const slyNode* map, const char* key, double lo, double hi, double* out,
                       double* out2, Spreads* sp, slError* err) {
  double v = NAN;
  TRY(sly_num(map, key, 0, lo, hi, "deg", &v, err));
  if (isnan(v)) return SL_OK;
  *out = v * SL_DEG;
  if (out2) *out2 = v * SL_DEG;
  if (!sp || !sp->out) return SL_OK;
  if (sp->n >= sp->max)
    return sly_fail(err, SL_ERR_RANGE, sly_get(map, key), "more than %d angles in a posture",
                    sp->max);
  slSpread* s = &sp->out[sp->n++];
  memset(s, 0, sizeof *s);
  snprintf(s->path, sizeof s->path, "%.16s.%.28s", sp->group, key);
  s->off[0] = (size_t)((char*)out - (char*)sp->post);
  s->off[1] = out2 ? (size_t)((char*)out2 - (char*)sp->post) : SL_SPREAD_NONE;
  s->mean_deg = v;
  s->sd_deg = sp->sd;
  s->kind = sp->kind;
  s->lo_deg = lo;
  s->hi_deg = hi;
  sly_where(sly_get(map, key), s->where, sizeof s->where);
  return SL_OK;
}

// the map's `sd_deg` (the spread of each of its angles) into sp->sd; NaN if absent
static slStatus spread_of(const slyNode* map, const char* group, int kind, Spreads* sp,
                          slError* err) {
  if (!sp) return SL_OK;
  sp->sd = NAN;
  sp->kind = kind;
  sp->group[0] = '\0';
  if (sp->out) sl_strcat(sp->group, sizeof sp->group, NULL, group);  // names a listed spread
  return sly_num(map, "sd_deg", 0, 0.0, SL_SPREAD_MAX_SD_DEG, "deg", &sp->sd, err);
}

static slStatus submap(const slyNode* p, const char* key, const slyNode** out, slError* err) {
  *out = sly_get(p, key);
  if (*out && (*out)->kind != SLY_MAP)
    return sly_fail(err, SL_ERR_TYPE, *out, "key '%s' must be a mapping", key);
  return SL_OK;
}

// a limb block: both sides from `plural`, then one side from `single_r` / `single_l`
typedef struct LimbKey {
  const char* key;
  double*     field;  // [2]
  double      lo, hi;
} LimbKey;

static slStatus read_limb(const slyNode* p, const char* plural, const char* single,
                          const LimbKey* keys, int nkeys, Spreads* sp, slError* err) {
  const char* names[8];
  for (int k = 0; k < nkeys; k++) names[k] = keys[k].key;
  names[nkeys] = "sd_deg";
  names[nkeys + 1] = NULL;
  char side_key[2][32] = {"", ""};  // single_r, single_l (no formatting: read per posture)
  for (int s = 0; s < 2; s++) sl_strcat(side_key[s], sizeof side_key[s], NULL, single);
  sl_strcat(side_key[0], sizeof side_key[0], NULL, "_r");
  sl_strcat(side_key[1], sizeof side_key[1], NULL, "_l");
  const slyNode* both = NULL;
  TRY(submap(p, plural, &both, err));
  if (both) {
    TRY(sly_check_keys(both, names, plural, err));
    TRY(spread_of(both, plural, SL_SPREAD_JOINT, sp, err));
    for (int k = 0; k < nkeys; k++)
      TRY(angle2(both, keys[k].key, keys[k].lo, keys[k].hi, &keys[k].field[0], &keys[k].field[1],
                 sp, err));
  }
  for (int s = 0; s < 2; s++) {
    const slyNode* one = NULL;
    TRY(submap(p, side_key[s], &one, err));
    if (!one) continue;
    TRY(sly_check_keys(one, names, side_key[s], err));
    TRY(spread_of(one, side_key[s], SL_SPREAD_JOINT, sp, err));
    for (int k = 0; k < nkeys; k++)
      TRY(angle2(one, keys[k].key, keys[k].lo, keys[k].hi, &keys[k].field[s], NULL, sp, err));
  }
  return SL_OK;
}

const char* const SL_POSTURE_KEYS[] = {
    "name",      "description", "root",       "pelvis",        "lumbar",  "hips",    "hip_r",
    "hip_l",     "knees",       "knee_r",     "knee_l",        "ankles",  "ankle_r", "ankle_l",
    "shoulders", "shoulder_r",  "shoulder_l", "elbows",        "elbow_r", "elbow_l", "neck",
    "coords",    "loads",       "supports",   "justification", "balance", NULL};

slStatus sl_posture_read(const slyNode* p, const slModel* m, slPosture* out, slError* err) {
  return sl_posture_read_spread(p, m, out, NULL, 0, NULL, err);
}

slStatus sl_posture_read_spread(const slyNode* p, const slModel* m, slPosture* out,
                                slSpread* spread, int max, int* nspread, slError* err) {
  static const char* const pelvis_keys[] = {"tilt_deg", "list_deg", "rotation_deg",
                                            "pos_m",    "sd_deg",   NULL};
  static const char* const lumbar_keys[] = {"flexion_deg", "lateral_deg", "twist_deg",
                                            "levels",      "sd_deg",      NULL};
  Spreads                  sps = {out, spread, max, 0, 0, NAN, ""};
  Spreads*                 sp = &sps;
  if (nspread) *nspread = 0;
  char        w[512];
  const char* root = "standing";
  TRY(sly_str(p, "root", 0, &root, err));
  int r = sl_root_from_name(root);
  if (r < 0) {
    sly_where(sly_get(p, "root"), w, sizeof w);
    return sl_fail(err, SL_ERR_RANGE, w,
                   "root '%s' is not one of standing, sitting, supine, prone, side_left, "
                   "side_right, kneeling, all_fours, explicit",
                   root);
  }
  *out = sl_posture_default((slRoot)r);
  const slyNode* n = NULL;
  TRY(submap(p, "pelvis", &n, err));
  if (n) {
    TRY(sly_check_keys(n, pelvis_keys, "pelvis", err));
    TRY(spread_of(n, "pelvis", SL_SPREAD_PELVIS, sp, err));
    TRY(angle2(n, "tilt_deg", -180, 180, &out->pelvis_rot[0], NULL, sp, err));
    TRY(angle2(n, "list_deg", -180, 180, &out->pelvis_rot[1], NULL, sp, err));
    TRY(angle2(n, "rotation_deg", -180, 180, &out->pelvis_rot[2], NULL, sp, err));
    TRY(sly_vec(n, "pos_m", 0, 3, -10, 10, "m", out->pelvis_pos, err));
  }
  TRY(submap(p, "lumbar", &n, err));
  if (n) {
    TRY(sly_check_keys(n, lumbar_keys, "lumbar", err));
    TRY(spread_of(n, "lumbar", SL_SPREAD_JOINT, sp, err));
    TRY(angle2(n, "flexion_deg", -180, 180, &out->lumbar[0], NULL, sp, err));
    TRY(angle2(n, "lateral_deg", -180, 180, &out->lumbar[1], NULL, sp, err));
    TRY(angle2(n, "twist_deg", -180, 180, &out->lumbar[2], NULL, sp, err));
    const slyNode* lv = sly_get(n, "levels");
    if (lv) {
      if (lv->kind != SLY_SEQ || lv->n != SL_NLEVEL)
        return sly_fail(err, SL_ERR_TYPE, lv,
                        "lumbar.levels must list 6 levels (L5/S1 first), each [flexion, "
                        "lateral, twist] in degrees");
      if (!isnan(out->lumbar[0]) || !isnan(out->lumbar[1]) || !isnan(out->lumbar[2]))
        return sly_fail(err, SL_ERR_KEY, lv,
                        "give either lumbar.levels or total lumbar angles, not both");
      out->per_level = 1;
      for (int l = 0; l < SL_NLEVEL; l++) {
        const slyNode* it = lv->item[l];
        if (it->kind != SLY_SEQ || it->n != 3)
          return sly_fail(err, SL_ERR_TYPE, it,
                          "each lumbar level is [flexion, lateral, twist] in degrees");
        for (int a = 0; a < 3; a++) {
          TRY(sly_node_num(it->item[a], "lumbar level angle", -90, 90, "deg", &out->level[l][a],
                           err));
          out->level[l][a] *= SL_DEG;
        }
      }
    }
  }
  const LimbKey hips[] = {{"flexion_deg", out->hip_flex, -180, 180},
                          {"adduction_deg", out->hip_add, -180, 180},
                          {"rotation_deg", out->hip_rot, -180, 180}};
  TRY(read_limb(p, "hips", "hip", hips, 3, sp, err));
  const LimbKey knees[] = {{"flexion_deg", out->knee, -180, 180}};
  TRY(read_limb(p, "knees", "knee", knees, 1, sp, err));
  const LimbKey ankles[] = {{"flexion_deg", out->ankle, -180, 180}};
  TRY(read_limb(p, "ankles", "ankle", ankles, 1, sp, err));
  const LimbKey sh[] = {{"flexion_deg", out->shoulder_flex, -180, 180},
                        {"adduction_deg", out->shoulder_add, -180, 180},
                        {"rotation_deg", out->shoulder_rot, -180, 180}};
  TRY(read_limb(p, "shoulders", "shoulder", sh, 3, sp, err));
  const LimbKey el[] = {{"flexion_deg", out->elbow, -180, 180}};
  TRY(read_limb(p, "elbows", "elbow", el, 1, sp, err));
  TRY(submap(p, "neck", &n, err));
  if (n) {
    static const char* const nk[] = {"flexion_deg", "sd_deg", NULL};
    TRY(sly_check_keys(n, nk, "neck", err));
    TRY(spread_of(n, "neck", SL_SPREAD_JOINT, sp, err));
    TRY(angle2(n, "flexion_deg", -90, 90, &out->neck_flex, NULL, sp, err));
  }
  TRY(submap(p, "coords", &n, err));
  for (int k = 0; n && k < n->n; k++) {
    int c = sl_model_coord(m, n->key[k]);
    sly_key_where(n, k, w, sizeof w);
    if (c < 0) return sl_fail(err, SL_ERR_KEY, w, "unknown coordinate '%s'", n->key[k]);
    if (out->nset >= SL_POSTURE_MAXSET)
      return sl_fail(err, SL_ERR_RANGE, w, "more than %d explicit coordinates", SL_POSTURE_MAXSET);
    int    rot = m->coord_type[c] == SL_AX_ROT;
    double v = 0;
    TRY(sly_node_num(n->item[k], n->key[k], rot ? -3600 : -100, rot ? 3600 : 100, rot ? "deg" : "m",
                     &v, err));
    out->set_coord[out->nset] = c;
    out->set_value[out->nset] = rot ? v * SL_DEG : v;
    out->nset++;
  }
  if (nspread) *nspread = sp->n;
  return SL_OK;
}

// resolve a point on the body: {landmark: name} or {segment: name, pos_m: [x, y, z]}
static slStatus read_point(const slyNode* it, const slModel* m, int* seg, double pos[3], int* land,
                           slError* err) {
  const char *lname = NULL, *sname = NULL;
  char        w[512];
  TRY(sly_str(it, "landmark", 0, &lname, err));
  TRY(sly_str(it, "segment", 0, &sname, err));
  *land = -1;
  if (lname) {
    *land = sl_model_landmark(m, lname);
    if (*land < 0) {
      sly_where(sly_get(it, "landmark"), w, sizeof w);
      return sl_fail(err, SL_ERR_KEY, w, "unknown landmark '%s'", lname);
    }
    *seg = m->land_seg[*land];
    memcpy(pos, m->land_pos + 3 * *land, 3 * sizeof(double));
    return SL_OK;
  }
  if (!sname) {
    sly_where(it, w, sizeof w);
    return sl_fail(err, SL_ERR_KEY, w, "give 'landmark', or 'segment' with 'pos_m'");
  }
  *seg = sl_model_segment(m, sname);
  if (*seg < 0) {
    sly_where(sly_get(it, "segment"), w, sizeof w);
    return sl_fail(err, SL_ERR_KEY, w, "unknown segment '%s'", sname);
  }
  return sly_vec(it, "pos_m", 1, 3, -5, 5, "m", pos, err);
}

slStatus sl_loads_read(const slyNode* seq, const slModel* m, slPointLoad* out, int* n,
                       slError* err) {
  static const char* const keys[] = {"landmark", "segment", "pos_m", "force_N", "mass_kg", NULL};
  *n = 0;
  for (int i = 0; seq && i < seq->n; i++) {
    const slyNode* it = seq->item[i];
    TRY(sly_expect(it, SLY_MAP, "a load", err));
    TRY(sly_check_keys(it, keys, "load", err));
    slPointLoad* L = &out[i];
    int          land;
    TRY(read_point(it, m, &L->seg, L->pos, &land, err));
    int hasF = sly_get(it, "force_N") != NULL, hasM = sly_get(it, "mass_kg") != NULL;
    if (hasF == hasM)
      return sly_fail(err, SL_ERR_KEY, it,
                      "a load needs exactly one of 'force_N' [x, y, z] or 'mass_kg' (a held "
                      "mass under gravity)");
    if (hasF) {
      TRY(sly_vec(it, "force_N", 1, 3, -1e5, 1e5, "N", L->force, err));
    } else {
      double mass = 0;
      TRY(sly_num(it, "mass_kg", 1, 0, 500, "kg", &mass, err));
      for (int k = 0; k < 3; k++) L->force[k] = mass * m->gravity[k];
    }
    (*n)++;
  }
  return SL_OK;
}

slStatus sl_contact_surface_read(const slyNode* it, int normal_required, double mu_default,
                                 const char* what, slContact* c, slError* err) {
  c->normal[0] = c->normal[2] = 0.0;
  c->normal[1] = 1.0;
  TRY(sly_vec(it, "normal", normal_required, 3, -1, 1, "", c->normal, err));
  if (slu_normalize3(c->normal) < 1e-9)
    return sly_fail(err, SL_ERR_RANGE, it, "%s normal must not be zero", what);
  c->mu = mu_default;
  TRY(sly_num(it, "mu", 0, 0, 2, "", &c->mu, err));
  c->mu_kinetic = SL_MU_KINETIC_RATIO * c->mu;
  TRY(sly_num(it, "mu_kinetic", 0, 0, 2, "", &c->mu_kinetic, err));
  c->mu_sd = NAN;
  TRY(sly_num(it, "mu_sd", 0, 0, 1, "", &c->mu_sd, err));
  return SL_OK;
}

slStatus sl_supports_read(const slyNode* seq, const slModel* m, slContact* out, int* n,
                          slError* err) {
  static const char* const keys[] = {"landmark", "normal", "mu", "mu_kinetic", "mu_sd", NULL};
  *n = 0;
  for (int i = 0; seq && i < seq->n; i++) {
    const slyNode* it = seq->item[i];
    TRY(sly_expect(it, SLY_MAP, "a support", err));
    TRY(sly_check_keys(it, keys, "support", err));
    slContact* c = &out[i];
    memset(c, 0, sizeof *c);
    const char* lname = NULL;
    char        w[512];
    TRY(sly_str(it, "landmark", 1, &lname, err));
    c->land = sl_model_landmark(m, lname);
    if (c->land < 0) {
      sly_where(sly_get(it, "landmark"), w, sizeof w);
      return sl_fail(err, SL_ERR_KEY, w, "unknown landmark '%s'", lname);
    }
    c->body = 0;
    c->other = -1;
    c->other_land = -1;
    TRY(sl_contact_surface_read(it, 0, 0.6, "support", c, err));
    (*n)++;
  }
  return SL_OK;
}

slStatus sl_solver_read(const slyNode* s, slSoOpt* o, slError* err) {
  if (!s) return SL_OK;
  TRY(sly_expect(s, SLY_MAP, "key 'solver'", err));
  return sl_options_read(SL_OPT_SOLVER, s, o, err);
}

int sl_set_flatten(const slyNode* set, const char* prefix, slOverride* out, int max, char* pool,
                   size_t poolsize, size_t* used) {
  int n = 0;
  for (int k = 0; set && set->kind == SLY_MAP && k < set->n; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", set->key[k]);
    const slyNode* v = set->item[k];
    if (v->kind == SLY_MAP) {
      int m = sl_set_flatten(v, path, out + n, max - n, pool, poolsize, used);
      if (m < 0) return m;
      n += m;
      continue;
    }
    if (v->kind != SLY_SCALAR || n >= max) return -1;
    size_t len = strlen(path) + 1;
    if (*used + len > poolsize) return -1;
    memcpy(pool + *used, path, len);
    out[n].path = pool + *used;
    out[n].value = v->str;
    out[n].file = v->file;  // errors about this value point at the file, not at --set
    out[n].line = v->line;
    out[n].col = v->col;
    *used += len;
    n++;
  }
  return n;
}

// ---- scenario -----------------------------------------------------------------------------------
typedef struct Priv {
  slyDoc*      doc;
  int          own_model;
  slModelSpec* spec;         // the body's model spec: the texts of its files (provenance)
  char         pool[16384];  // flattened `set:` paths
} Priv;

void sl_scenario_free(slScenario* sc) {
  if (!sc) return;
  for (int i = 0; i < sc->npost; i++) {
    free(sc->post[i].loads);
    free(sc->post[i].supports);
    free(sc->post[i].rate_coord);
    free(sc->post[i].rate);
    free(sc->post[i].accel);
  }
  free(sc->post);
  free(sc->set);
  free(sc->text);
  Priv* pv = sc->priv;
  if (pv) {
    if (pv->own_model) sl_model_free(sc->model);
    sl_spec_free(pv->spec);
    sly_free(pv->doc);
    free(pv);
  }
  free(sc);
}

// header: format, name, body, set, solver
static slStatus read_header(slScenario* sc, const slyNode* root, const char* fname, slError* err) {
  static const char* const keys[] = {"format", "name",   "description", "body",
                                     "set",    "solver", "postures",    NULL};
  char                     w[512];
  TRY(sly_expect(root, SLY_MAP, "a scenario file", err));
  TRY(sly_check_keys(root, keys, "scenario", err));
  const char *fmt = NULL, *name = "scenario", *body = NULL;
  TRY(sly_str(root, "format", 1, &fmt, err));
  if (strcmp(fmt, "spineload-scenario/1") != 0) {
    sly_where(sly_get(root, "format"), w, sizeof w);
    return sl_fail(err, SL_ERR_RANGE, w,
                   "format '%s' is not supported (expected 'spineload-scenario/1')", fmt);
  }
  TRY(sly_str(root, "name", 0, &name, err));
  snprintf(sc->name, sizeof sc->name, "%s", name);
  TRY(sly_str(root, "body", 0, &body, err));
  if (body) sl_path_join_dir(fname, body, sc->model_path, sizeof sc->model_path);
  const slyNode* set = sly_get(root, "set");
  if (set) {
    TRY(sly_expect(set, SLY_MAP, "key 'set'", err));
    Priv* pv = sc->priv;
    sc->set = calloc(SL_MAXSET, sizeof(slOverride));
    if (!sc->set) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    size_t used = 0;
    int    n = sl_set_flatten(set, "", sc->set, SL_MAXSET, pv->pool, sizeof pv->pool, &used);
    if (n < 0)
      return sly_fail(err, SL_ERR_TYPE, set, "'set' holds single values by path (at most %d)",
                      SL_MAXSET);
    sc->nset = n;
  }
  sc->so = sl_so_opt_default();
  return sl_solver_read(sly_get(root, "solver"), &sc->so, err);
}

static slStatus read_posture(slScenario* sc, const slyNode* p, int i, const slModel* m, int* slot,
                             size_t nslot, slError* err);

// the motion file a posture names, or NULL: `motion: FILE` or `motion: {file: FILE, smoothing:
// LAMBDA, inertia: BOOL}` (FILE relative to the scenario file); with inertia (the default) the
// frames' velocities and accelerations come from the smoothing spline
static slStatus posture_motion(const slyNode* p, const slModel* m, slMot** mt, double* smoothing,
                               slError* err) {
  *mt = NULL;
  *smoothing = 0;
  if (p->kind != SLY_MAP) return SL_OK;
  const slyNode* mn = sly_get(p, "motion");
  if (!mn) return SL_OK;
  const char* rel = NULL;
  double      lambda = 0;
  int         inertia = 1;
  if (mn->kind == SLY_MAP) {
    static const char* const keys[] = {"file", "smoothing", "inertia", NULL};
    TRY(sly_check_keys(mn, keys, "motion", err));
    TRY(sly_str(mn, "file", 1, &rel, err));
    TRY(sly_num(mn, "smoothing", 0, 0, 1e12, "", &lambda, err));
    TRY(sly_bool(mn, "inertia", 0, &inertia, err));
  } else {
    TRY(sly_str(p, "motion", 1, &rel, err));
  }
  char path[2048], w[512];
  sl_path_join_dir(mn->file, rel, path, (int)sizeof path);
  sly_where(mn, w, sizeof w);
  slStatus st = sl_mot_load(path, m, mt, err);
  if (st == SL_ERR_IO && err) {
    // a motion file that cannot be read: at the line that names it
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "motion file '%.300s': %.400s", path, err->msg);
    sl_fail(err, st, w, "%s", msg);
  }
  if (st == SL_OK && inertia) st = sl_mot_rates(*mt, lambda, err);
  *smoothing = lambda;
  if (st != SL_OK) {
    sl_mot_free(*mt);
    *mt = NULL;
  }
  return st;
}

// posture j + f, frame f of motion mt, from the template posture j (already read)
static slStatus motion_frame(slScenario* sc, int j, int f, const slMot* mt, const slyNode* p,
                             slError* err) {
  const slScenarioPosture* t = &sc->post[j];
  slScenarioPosture*       q = &sc->post[j + f];
  char                     w[512];
  sly_where(sly_get(p, "motion"), w, sizeof w);
  if (f > 0) {
    *q = *t;
    q->loads = calloc((size_t)(t->nload > 0 ? t->nload : 1), sizeof(slPointLoad));
    q->supports = calloc((size_t)(t->nsupport > 0 ? t->nsupport : 1), sizeof(slContact));
    if (!q->loads || !q->supports) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    memcpy(q->loads, t->loads, sizeof(slPointLoad) * (size_t)t->nload);
    memcpy(q->supports, t->supports, sizeof(slContact) * (size_t)t->nsupport);
    sc->npost = j + f + 1;
  }
  int  width = snprintf(NULL, 0, "%d", mt->nframe);
  char base[SL_NAME];
  snprintf(base, sizeof base, "%s", sc->post[j].name);
  char* at = strrchr(base, '@');
  if (f > 0 && at) *at = '\0';
  if (strlen(base) > 40)
    return sl_fail(err, SL_ERR_RANGE, w, "posture name '%s' too long for its frame numbers", base);
  char num[16];
  snprintf(num, sizeof num, "%0*d", width, (f + 1) % 10000000);
  snprintf(q->name, sizeof q->name, "%.40s@%.10s", base, num);
  q->frame = f;
  q->time = mt->time[f];
  q->nrate = 0;
  q->rate_coord = NULL;
  q->rate = q->accel = NULL;
  if (mt->rate) {
    q->rate_coord = malloc(sizeof(int) * (size_t)mt->ncol);
    q->rate = malloc(sizeof(double) * (size_t)mt->ncol);
    q->accel = malloc(sizeof(double) * (size_t)mt->ncol);
    if (!q->rate_coord || !q->rate || !q->accel)
      return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    q->nrate = mt->ncol;
    for (int k = 0; k < mt->ncol; k++) {
      q->rate_coord[k] = mt->coord[k];
      q->rate[k] = mt->rate[(size_t)f * (size_t)mt->ncol + (size_t)k];
      q->accel[k] = mt->accel[(size_t)f * (size_t)mt->ncol + (size_t)k];
    }
  }
  slPosture* ps = &q->posture;
  for (int k = 0; k < mt->ncol; k++) {
    int c = mt->coord[k], s = 0;
    while (s < ps->nset && ps->set_coord[s] != c) s++;
    if (s == ps->nset) {
      if (ps->nset >= SL_POSTURE_MAXSET)
        return sl_fail(err, SL_ERR_RANGE, w, "more than %d explicit coordinates with the motion's",
                       SL_POSTURE_MAXSET);
      ps->nset++;
    }
    ps->set_coord[s] = c;
    ps->set_value[s] = mt->value[(size_t)f * (size_t)mt->ncol + (size_t)k];
  }
  return SL_OK;
}

static slStatus read_postures(slScenario* sc, const slyNode* root, const slModel* m, slError* err) {
  const slyNode* ps = sly_get(root, "postures");
  char           w[512];
  if (!ps) {
    sly_where(root, w, sizeof w);
    return sl_fail(err, SL_ERR_KEY, w, "missing key 'postures'");
  }
  TRY(sly_expect(ps, SLY_SEQ, "key 'postures'", err));
  if (ps->n < 1) return sly_fail(err, SL_ERR_RANGE, ps, "a scenario needs at least one posture");
  // postures with a motion file are one posture per frame
  slMot** mot = calloc((size_t)ps->n, sizeof *mot);
  double* lam = calloc((size_t)ps->n, sizeof *lam);  // each motion's smoothing
  if (!mot || !lam) {
    free(mot), free(lam);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  slStatus st = SL_OK;
  long     total = 0;
  for (int i = 0; i < ps->n && st == SL_OK; i++) {
    st = posture_motion(ps->item[i], m, &mot[i], &lam[i], err);
    total += mot[i] ? mot[i]->nframe : 1;
    if (st == SL_OK && total > 1000000)
      st = sly_fail(err, SL_ERR_RANGE, ps->item[i], "more than 1000000 postures");
  }
  sc->post = st == SL_OK ? calloc((size_t)total, sizeof(slScenarioPosture)) : NULL;
  // the names seen so far, by hash (open addressing, at most half full): linear in postures
  size_t nslot = 2;
  while (nslot < 2 * (size_t)total) nslot *= 2;
  int* slot = st == SL_OK ? malloc(nslot * sizeof(int)) : NULL;
  if (st == SL_OK && (!sc->post || !slot)) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (size_t k = 0; slot && k < nslot; k++) slot[k] = -1;
  for (int i = 0, j = 0; i < ps->n && st == SL_OK; i++) {
    st = read_posture(sc, ps->item[i], j, m, slot, nslot, err);
    sc->post[j].frame = -1;
    sc->post[j].time = NAN;
    for (int f = 0; st == SL_OK && mot[i] && f < mot[i]->nframe; f++) {
      st = motion_frame(sc, j, f, mot[i], ps->item[i], err);
      if (st == SL_OK) sc->post[j + f].smoothing = lam[i];
    }
    j += mot[i] ? mot[i]->nframe : 1;
  }
  // with motion frames, the names are checked again once all are made (the frames renamed their
  // templates): a fresh table of every posture's final name
  int any = 0;
  for (int i = 0; i < ps->n; i++) any |= mot[i] != NULL;
  for (size_t k = 0; st == SL_OK && any && k < nslot; k++) slot[k] = -1;
  for (int i = 0; st == SL_OK && any && i < sc->npost; i++) {
    size_t k = (size_t)sl_hash_str(0, sc->post[i].name) & (nslot - 1);
    for (; st == SL_OK && slot[k] >= 0; k = (k + 1) & (nslot - 1))
      if (strcmp(sc->post[slot[k]].name, sc->post[i].name) == 0)
        st = sl_fail(err, SL_ERR_KEY, sc->post[i].where, "posture '%s' is listed twice",
                     sc->post[i].name);
    if (st == SL_OK) slot[k] = i;
  }
  for (int i = 0; i < ps->n; i++) sl_mot_free(mot[i]);
  free(mot);
  free(lam);
  free(slot);
  return st;
}

// posture i of the scenario from node p; slot: the hash table of the names before it
static slStatus read_posture(slScenario* sc, const slyNode* p, int i, const slModel* m, int* slot,
                             size_t nslot, slError* err) {
  {
    slScenarioPosture* sp = &sc->post[i];
    sc->npost = i + 1;
    TRY(sly_expect(p, SLY_MAP, "a posture", err));
    // a scenario's posture may also take its coordinates from a motion file
    static const char* const keys[] = {
        "name",      "description", "root",       "pelvis",        "lumbar",  "hips",    "hip_r",
        "hip_l",     "knees",       "knee_r",     "knee_l",        "ankles",  "ankle_r", "ankle_l",
        "shoulders", "shoulder_r",  "shoulder_l", "elbows",        "elbow_r", "elbow_l", "neck",
        "coords",    "loads",       "supports",   "justification", "balance", "motion",  NULL};
    TRY(sly_check_keys(p, keys, "posture", err));
    const char *name = NULL, *desc = "";
    TRY(sly_str(p, "name", 1, &name, err));
    if (strlen(name) >= SL_NAME || !name[0])
      return sly_fail(err, SL_ERR_RANGE, sly_get(p, "name"),
                      "posture name '%s' is empty or longer than 63 characters", name);
    size_t k = (size_t)sl_hash_str(0, name) & (nslot - 1);
    for (; slot[k] >= 0; k = (k + 1) & (nslot - 1))
      if (strcmp(sc->post[slot[k]].name, name) == 0)
        return sly_fail(err, SL_ERR_KEY, sly_get(p, "name"), "posture '%s' is listed twice", name);
    slot[k] = i;
    sp->name[0] = '\0';
    sl_strcat(sp->name, sizeof sp->name, NULL, name);
    sly_where(p, sp->where, sizeof sp->where);

    TRY(sly_str(p, "description", 0, &desc, err));
    sp->description[0] = '\0';
    sl_strcat(sp->description, sizeof sp->description, NULL, desc);
    TRY(sl_posture_read(p, m, &sp->posture, err));
    const slyNode* loads = sly_get(p, "loads");
    const slyNode* sup = sly_get(p, "supports");
    if (loads) TRY(sly_expect(loads, SLY_SEQ, "key 'loads'", err));
    if (sup) TRY(sly_expect(sup, SLY_SEQ, "key 'supports'", err));
    int nl = loads ? loads->n : 0, ns = sup ? sup->n : 0;
    sp->loads = calloc((size_t)(nl > 0 ? nl : 1), sizeof(slPointLoad));
    sp->supports = calloc((size_t)(ns > 0 ? ns : 1), sizeof(slContact));
    if (!sp->loads || !sp->supports) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    TRY(sl_loads_read(loads, m, sp->loads, &sp->nload, err));
    TRY(sl_supports_read(sup, m, sp->supports, &sp->nsupport, err));
    TRY(sly_bool(p, "balance", 0, &sp->balance, err));
  }
  return SL_OK;
}

static slStatus copy_text(slScenario* sc, const char* buf, size_t len, slError* err) {
  sc->text = malloc(len + 1);
  if (!sc->text) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  memcpy(sc->text, buf, len);
  sc->text[len] = '\0';
  return SL_OK;
}

static slStatus parse_into(slScenario* sc, const char* buf, size_t len, const char* fname,
                           const slModel* m, const slOverride* ov, int nov, int want_model,
                           slError* err) {
  Priv* pv = calloc(1, sizeof *pv);
  if (!pv) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  sc->priv = pv;
  TRY(copy_text(sc, buf, len, err));
  TRY(sly_parse(&pv->doc, buf, len, fname, err));
  // postures.* overrides edit the scenario tree; solver.* ones go on top of its `solver:`
  for (int i = 0; i < nov; i++) {
    slRoute r = sl_route(ov[i].path);
    if (r == SL_ROUTE_POSTURES) TRY(sly_set(pv->doc, ov[i].path, ov[i].value, err));
    if (r == SL_ROUTE_MOTION || r == SL_ROUTE_POSITION) {
      char w[300];
      snprintf(w, sizeof w, "--set %.200s", ov[i].path);
      return sl_fail(err, SL_ERR_KEY, w,
                     "'%.200s' is an option of position files (rank, draw, sweep); a scenario "
                     "takes model paths, solver.* and postures.*",
                     ov[i].path);
    }
  }
  const slyNode* root = sly_root(pv->doc);
  TRY(read_header(sc, root, fname, err));
  TRY(sl_options_set(SL_OPT_SOLVER, ov, nov, &sc->so, err));
  if (want_model) {
    if (!sc->model_path[0]) {
      char w[512];
      sly_where(root, w, sizeof w);
      return sl_fail(err, SL_ERR_KEY, w, "missing key 'body' (the model file)");
    }
    // model overrides: the file's `set:` first, then the caller's model paths
    int         n = 0;
    slOverride* all = calloc((size_t)(sc->nset + nov + 1), sizeof(slOverride));
    if (!all) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    for (int i = 0; i < sc->nset; i++) all[n++] = sc->set[i];
    n += sl_routes_pick(ov, nov, SL_ROUTE_BIT(SL_ROUTE_MODEL), all + n);
    // the spec stays: its texts are the model's part of the provenance
    slStatus st = sl_spec_load(&pv->spec, sc->model_path, NULL, NULL, err);
    if (st == SL_ERR_IO && err && !strcmp(err->where, sc->model_path)) {
      // a body file that cannot be read: name the line that refers to it
      char msg[sizeof err->msg];
      snprintf(msg, sizeof msg, "%s", err->msg);
      st = sly_fail(err, SL_ERR_IO, sly_get(root, "body"), "body %.400s: %.300s", sc->model_path,
                    msg);
    }
    if (st == SL_OK) st = sl_spec_set_all(pv->spec, all, n, err);
    if (st == SL_OK) st = sl_model_compile_err(pv->spec, &sc->model, err);
    free(all);
    if (st != SL_OK) return st;
    pv->own_model = 1;
    m = sc->model;
  } else {
    sc->model = (slModel*)m;
  }
  return read_postures(sc, root, m, err);
}

const slModelSpec* sl_scenario_spec(const slScenario* sc) {
  const Priv* pv = sc->priv;
  return pv ? pv->spec : NULL;
}

slStatus sl_scenario_load(slScenario** out, const char* path, const slOverride* ov, int nov,
                          slError* err) {
  *out = NULL;
  char*  buf = NULL;
  size_t len = 0;
  TRY(sl_read_file(path, &buf, &len, err));
  slScenario* sc = calloc(1, sizeof *sc);
  if (!sc) {
    sl_free_buf(buf);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  snprintf(sc->file, sizeof sc->file, "%s", path);
  slStatus st = parse_into(sc, buf, len, path, NULL, ov, nov, 1, err);
  sl_free_buf(buf);
  if (st != SL_OK) {
    sl_scenario_free(sc);
    return st;
  }
  *out = sc;
  return SL_OK;
}

slStatus sl_scenario_parse(slScenario** out, const char* buf, size_t len, const char* fname,
                           const slModel* m, slError* err) {
  *out = NULL;
  slScenario* sc = calloc(1, sizeof *sc);
  if (!sc) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  snprintf(sc->file, sizeof sc->file, "%s", fname ? fname : "");
  slStatus st = parse_into(sc, buf, len, fname, m, NULL, 0, 0, err);
  if (st != SL_OK) {
    sl_scenario_free(sc);
    return st;
  }
  *out = sc;
  return SL_OK;
}
