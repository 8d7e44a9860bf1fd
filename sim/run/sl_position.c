// sl_position.c: position files (two partners, supports, partner contacts, a thrust cycle),
// their placement, and their evaluation over the cycle.
//
// Placement. Each role's posture is built from its root preset and placed on the floor (its
// lowest landmark at y = 0). Then every later role that shares a partner contact with an earlier
// one is translated so that the two landmarks of its first partner contact coincide. Contact
// points are used where each body has them; the force directions are the file's normals.
//
// Cycle. Every role's poses come from the motion stage (sl_motion.c); this file chooses each
// role's strategy, decides which contacts may slide (their excursion over the cycle) and solves
// the samples in order.
#define _POSIX_C_SOURCE 200809L  // strtok_r
#include "sl_position.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_math.h"
#include "sl_model.h"
#include "sl_run.h"
#include "sl_scenario.h"
#include "sl_spec.h"
#include "sl_yaml.h"

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

// The cycle's poses the strategy choice computed (set_motion: every role the position moves on
// its own supports, posed at every sample by sl_motion_q without grips or a carrier), kept for
// the run, which would compute the same poses again. They hold while what they were computed
// from is unchanged: the placed postures, which landmark touches what, the bodies, motions and
// cycle (the key, compared in full by the run; a change of any, such as a posture edited by a
// caller, and the run computes the poses itself).
typedef struct PoseCache {
  double*        pose[SL_MAXROLE];  // samples x ncoord, or NULL
  size_t         cap[SL_MAXROLE];
  int            ok[SL_MAXROLE];  // role r's poses are there
  double*        alt;             // the other strategy's poses while they are compared
  size_t         cap_alt;
  double*        q0[SL_MAXROLE];  // the key
  size_t         cap_q0[SL_MAXROLE];
  slContact*     ct;
  int            nct, cap_ct;
  const slModel* model[SL_MAXROLE];
  slMotion       mo[SL_MAXROLE];
  double         frequency;
  int            samples, nrole, keyed;
} PoseCache;

typedef struct Priv {
  slModelSpec* spec;  // the file with its `base:` chain
  PoseCache    pc;
} Priv;

static void pose_cache_free(PoseCache* c) {
  for (int r = 0; r < SL_MAXROLE; r++) free(c->pose[r]), free(c->q0[r]);
  free(c->alt);
  free(c->ct);
  memset(c, 0, sizeof *c);
}

void sl_position_free(slPosition* p) {
  if (!p) return;
  for (int r = 0; r < p->nrole; r++) {
    if (p->role[r].model_cache)
      sl_model_cache_release(p->role[r].model_cache, p->role[r].model);
    else
      sl_model_free(p->role[r].model);
    free(p->role[r].loads);
    sl_mot_free(p->role[r].mot);
    free(p->q0[r]);
  }
  free(p->contacts);
  free(p->text);
  Priv* pv = p->priv;
  if (pv) sl_spec_free(pv->spec), pose_cache_free(&pv->pc);
  free(pv);
  free(p);
}

uint64_t sl_position_fingerprint(const slPosition* p, uint64_t h) {
  Priv* pv = p->priv;
  h = sl_hash_str(h, p->text);
  for (int i = 0; pv && pv->spec && i < sl_spec_nfiles(pv->spec); i++) {
    const char* text = NULL;
    h = sl_hash_str(h, sl_spec_file(pv->spec, i, &text));
    h = sl_hash_str(h, text);
  }
  // each role's body: the model file, its bases and tables as they are on disk now; a motion
  // file as it is now
  for (int r = 0; r < p->nrole; r++) {
    if (p->role[r].mot) {
      char*  buf = NULL;
      size_t len = 0;
      h = sl_hash_str(h, p->role[r].mot_path);
      if (sl_read_file(p->role[r].mot_path, &buf, &len, NULL) == SL_OK) h = sl_hash_str(h, buf);
      sl_free_buf(buf);
    }
    char names[sizeof p->role[r].model->files];
    memcpy(names, p->role[r].model->files, sizeof names);
    char* save = NULL;
    for (char* t = strtok_r(names, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
      char*  buf = NULL;
      size_t len = 0;
      h = sl_hash_str(h, t);
      if (sl_read_file(t, &buf, &len, NULL) == SL_OK) h = sl_hash_str(h, buf);
      sl_free_buf(buf);
    }
  }
  return h;
}

static int role_index(const slPosition* p, const char* name) {
  for (int r = 0; r < p->nrole; r++)
    if (!strcmp(p->role[r].name, name)) return r;
  return -1;
}

// `motion: still | driver | follower`, or `motion: {file: F, smoothing: LAMBDA, inertia: BOOL}`:
// an OpenSim motion file (relative to the file that names it) drives the role; with inertia (the
// default) its frames' rates come from the smoothing spline (sl_mot_rates)
static slStatus read_drive(const slyNode* it, slRole* R, slError* err) {
  static const char* const drives[] = {"still", "driver", "follower", NULL};
  const slyNode*           mn = sly_get(it, "motion");
  if (!mn || mn->kind != SLY_MAP) {
    int v = 0;
    TRY(sly_enum(it, "motion", 0, drives, &v, err));
    R->drive = (slDrive)v;
    return SL_OK;
  }
  static const char* const keys[] = {"file", "smoothing", "inertia", NULL};
  const char*              rel = NULL;
  double                   lambda = 0;
  int                      inertia = 1;
  TRY(sly_check_keys(mn, keys, "motion", err));
  TRY(sly_str(mn, "file", 1, &rel, err));
  TRY(sly_num(mn, "smoothing", 0, 0, 1e12, "", &lambda, err));
  TRY(sly_bool(mn, "inertia", 0, &inertia, err));
  sl_path_join_dir(mn->file, rel, R->mot_path, (int)sizeof R->mot_path);
  slStatus st = sl_mot_load(R->mot_path, R->model, &R->mot, err);
  if (st == SL_ERR_IO && err) {
    // a motion file that cannot be read: at the line that names it
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "motion file '%.300s': %.400s", R->mot_path, err->msg);
    st = sly_fail(err, st, sly_get(mn, "file"), "%s", msg);
  }
  if (st == SL_OK && inertia) st = sl_mot_rates(R->mot, lambda, err);
  R->drive = SL_DRIVE_FILE;
  R->mot_smoothing = lambda;
  return st;
}

// Roles driven by motion files: the first one gives the position's samples; a second one must
// have the same frame times.
static slStatus check_files(slPosition* p, const slyNode* roles, slError* err) {
  p->file_role = -1;
  for (int r = 0; r < p->nrole; r++) {
    const slMot* mt = p->role[r].mot;
    if (!mt) continue;
    if (p->file_role < 0) {
      p->file_role = r;
      continue;
    }
    const slMot* m0 = p->role[p->file_role].mot;
    int          same = mt->nframe == m0->nframe;
    for (int i = 0; same && i < mt->nframe; i++)
      same = fabs((mt->time[i] - mt->time[0]) - (m0->time[i] - m0->time[0])) <= 1e-9;
    if (!same)
      return sly_fail(err, SL_ERR_RANGE, sly_get(roles->item[r], "motion"),
                      "role '%s': its motion file's frames (%d) are not at the times of role "
                      "'%s''s (%d frames): both files need the same frame times",
                      p->role[r].name, mt->nframe, p->role[p->file_role].name, m0->nframe);
  }
  return SL_OK;
}

static slStatus read_role(slPosition* p, int r, const slyNode* it, const char* file,
                          const slOverride* ov, int nov, slModelCache* mc, slError* err) {
  static const char* const keys[] = {"name",  "body",     "set",    "description", "posture",
                                     "loads", "supports", "motion", "balance",     NULL};
  slRole*                  R = &p->role[r];
  TRY(sly_expect(it, SLY_MAP, "a role", err));
  TRY(sly_check_keys(it, keys, "role", err));
  const char *name = NULL, *body = NULL, *desc = "";
  TRY(sly_str(it, "name", 1, &name, err));
  if (!name[0] || strlen(name) >= SL_NAME)
    return sly_fail(err, SL_ERR_RANGE, sly_get(it, "name"), "role name '%s' is empty or too long",
                    name);
  if (role_index(p, name) >= 0)
    return sly_fail(err, SL_ERR_KEY, sly_get(it, "name"), "role '%s' is listed twice", name);
  snprintf(R->name, sizeof R->name, "%s", name);
  TRY(sly_str(it, "body", 1, &body, err));
  TRY(sly_str(it, "description", 0, &desc, err));
  snprintf(R->description, sizeof R->description, "%s", desc);
  sl_path_join_dir(file, body, R->body_path, sizeof R->body_path);
  // model overrides: the role's own `set:`, then the caller's model-level ones
  const slyNode* set = sly_get(it, "set");
  slOverride     all[2 * SL_MAXSET];
  char           pool[8192];
  size_t         used = 0;
  int            n = 0;
  if (set) {
    TRY(sly_expect(set, SLY_MAP, "key 'set'", err));
    n = sl_set_flatten(set, "", all, SL_MAXSET, pool, sizeof pool, &used);
    if (n < 0) return sly_fail(err, SL_ERR_TYPE, set, "'set' holds single values by path");
  }
  for (int i = 0; i < nov && n < 2 * SL_MAXSET; i++)
    if (sl_route(ov[i].path) == SL_ROUTE_MODEL || sl_route(ov[i].path) == SL_ROUTE_POSTURES)
      all[n++] = ov[i];
  slStatus st;
  if (mc) {
    // shared and read-only: the cache compiled it (once per body file and overrides)
    const slModel* shared = NULL;
    st = sl_model_cache_get(mc, R->body_path, all, n, &shared, err);
    if (st == SL_OK) R->model = (slModel*)shared, R->model_cache = mc;
  } else {
    st = sl_model_load(&R->model, R->body_path, all, n, err);
  }
  if (st == SL_ERR_IO && err && !strcmp(err->where, R->body_path)) {
    // a body file that cannot be read: name the line that refers to it
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    st = sly_fail(err, SL_ERR_IO, sly_get(it, "body"), "body %.400s: %.300s", R->body_path, msg);
  }
  if (st != SL_OK) return st;
  const slModel* m = R->model;
  const slyNode* post = sly_get(it, "posture");
  if (!post) return sly_fail(err, SL_ERR_KEY, it, "role '%s': missing key 'posture'", name);
  TRY(sly_expect(post, SLY_MAP, "key 'posture'", err));
  TRY(sly_check_keys(post, SL_POSTURE_KEYS, "posture", err));
  TRY(sl_posture_read_spread(post, m, &R->posture, R->spread, SL_ROLE_MAXSPREAD, &R->nspread, err));
  sly_where(post, R->posture_where, sizeof R->posture_where);
  const slyNode* loads = sly_get(it, "loads");
  if (loads) TRY(sly_expect(loads, SLY_SEQ, "key 'loads'", err));
  R->loads = calloc((size_t)(loads ? loads->n : 0) + 1, sizeof(slPointLoad));
  if (!R->loads) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  TRY(sl_loads_read(loads, m, R->loads, &R->nload, err));
  TRY(read_drive(it, R, err));
  TRY(sly_bool(it, "balance", 0, &R->balance, err));
  return SL_OK;
}

static slStatus read_contacts(slPosition* p, const slyNode* roles, const slyNode* cts,
                              slError* err) {
  static const char* const keys[] = {
      "role", "landmark", "other", "other_landmark", "normal", "mu", "mu_kinetic", "mu_sd", NULL};
  int nsup = 0;
  for (int r = 0; r < p->nrole; r++) {
    const slyNode* s = sly_get(roles->item[r], "supports");
    if (s) TRY(sly_expect(s, SLY_SEQ, "key 'supports'", err));
    nsup += s ? s->n : 0;
  }
  if (cts) TRY(sly_expect(cts, SLY_SEQ, "key 'contacts'", err));
  int ncp = cts ? cts->n : 0;
  p->contacts = calloc((size_t)(nsup + ncp) + 1, sizeof(slContact));
  if (!p->contacts) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int r = 0; r < p->nrole; r++) {
    int n = 0;
    TRY(sl_supports_read(sly_get(roles->item[r], "supports"), p->role[r].model,
                         p->contacts + p->ncontact, &n, err));
    for (int k = 0; k < n; k++) p->contacts[p->ncontact + k].body = r;
    p->ncontact += n;
  }
  for (int k = 0; k < ncp; k++) {
    const slyNode* it = cts->item[k];
    TRY(sly_expect(it, SLY_MAP, "a contact", err));
    TRY(sly_check_keys(it, keys, "contact", err));
    const char *ra = NULL, *la = NULL, *rb = NULL, *lb = NULL;
    TRY(sly_str(it, "role", 1, &ra, err));
    TRY(sly_str(it, "landmark", 1, &la, err));
    TRY(sly_str(it, "other", 1, &rb, err));
    TRY(sly_str(it, "other_landmark", 1, &lb, err));
    slContact* c = &p->contacts[p->ncontact];
    c->body = role_index(p, ra);
    c->other = role_index(p, rb);
    if (c->body < 0) return sly_fail(err, SL_ERR_KEY, sly_get(it, "role"), "unknown role '%s'", ra);
    if (c->other < 0)
      return sly_fail(err, SL_ERR_KEY, sly_get(it, "other"), "unknown role '%s'", rb);
    if (c->other == c->body)
      return sly_fail(err, SL_ERR_RANGE, it, "a partner contact joins two different roles");
    c->land = sl_model_landmark(p->role[c->body].model, la);
    c->other_land = sl_model_landmark(p->role[c->other].model, lb);
    if (c->land < 0)
      return sly_fail(err, SL_ERR_KEY, sly_get(it, "landmark"), "unknown landmark '%s'", la);
    if (c->other_land < 0)
      return sly_fail(err, SL_ERR_KEY, sly_get(it, "other_landmark"), "unknown landmark '%s'", lb);
    TRY(sl_contact_surface_read(it, 1, 0.3, "contact", c, err));
    p->ncontact++;
    p->npartner++;
  }
  return SL_OK;
}

static slStatus parse(slPosition* p, const char* path, size_t len, const slMotionOpt* mot,
                      const slOverride* ov, int nov, slModelCache* mc, slError* err) {
  static const char* const keys[] = {"format",     "name", "title", "description", "claim",
                                     "claim_text", "base", "roles", "contacts",    NULL};
  static const char* const claims[] = {"none", "safe", "risky", NULL};
  Priv*                    pv = p->priv;
  // the text read once by sl_position_load; its `base:` chain comes through the spec
  TRY(sl_spec_make(&pv->spec, path, p->text, len, path, SL_SPEC_NO_TABLES, NULL, NULL, err));
  slyDoc* doc = sl_spec_doc(pv->spec);
  for (int i = 0; i < nov; i++)
    if (sl_route(ov[i].path) == SL_ROUTE_POSITION) TRY(sly_set(doc, ov[i].path, ov[i].value, err));
  const slyNode* root = sly_root(doc);
  TRY(sly_expect(root, SLY_MAP, "a position file", err));
  TRY(sly_check_keys(root, keys, "position", err));
  const char *fmt = NULL, *name = NULL, *title = NULL, *desc = "", *ct = "";
  TRY(sly_str(root, "format", 1, &fmt, err));
  if (strcmp(fmt, "spineload-position/1"))
    return sly_fail(err, SL_ERR_RANGE, sly_get(root, "format"),
                    "format '%s' is not supported (expected 'spineload-position/1')", fmt);
  TRY(sly_str(root, "name", 1, &name, err));
  if (!name[0] || strlen(name) >= SL_NAME)
    return sly_fail(err, SL_ERR_RANGE, sly_get(root, "name"), "name '%s' is empty or too long",
                    name);
  snprintf(p->name, sizeof p->name, "%s", name);
  title = name;
  TRY(sly_str(root, "title", 0, &title, err));
  snprintf(p->title, sizeof p->title, "%s", title);
  TRY(sly_str(root, "description", 0, &desc, err));
  snprintf(p->description, sizeof p->description, "%s", desc);
  int claim = 0;
  TRY(sly_enum(root, "claim", 0, claims, &claim, err));
  p->claim = (slClaim)claim;
  TRY(sly_str(root, "claim_text", 0, &ct, err));
  snprintf(p->claim_text, sizeof p->claim_text, "%s", ct);
  p->frequency = mot->frequency;
  p->samples = mot->frequency > 0 ? mot->samples : 1;
  const slyNode* roles = sly_get(root, "roles");
  if (!roles) return sly_fail(err, SL_ERR_KEY, root, "missing key 'roles'");
  TRY(sly_expect(roles, SLY_SEQ, "key 'roles'", err));
  if (roles->n < 1 || roles->n > SL_MAXROLE)
    return sly_fail(err, SL_ERR_RANGE, roles, "a position has 1 or 2 roles");
  for (int r = 0; r < roles->n; r++) {
    p->nrole = r + 1;
    TRY(read_role(p, r, roles->item[r], roles->item[r]->file, ov, nov, mc, err));
  }
  TRY(check_files(p, roles, err));
  return read_contacts(p, roles, sly_get(root, "contacts"), err);
}

slStatus sl_position_load(slPosition** out, const char* path, const slMotionOpt* mo,
                          const slOverride* ov, int nov, slError* err) {
  return sl_position_load_cached(out, path, mo, ov, nov, NULL, err);
}

slStatus sl_position_load_cached(slPosition** out, const char* path, const slMotionOpt* mo,
                                 const slOverride* ov, int nov, slModelCache* mc, slError* err) {
  *out = NULL;
  slPosition* p = calloc(1, sizeof *p);
  Priv*       pv = calloc(1, sizeof *pv);
  if (!p || !pv) {
    free(p);
    free(pv);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  p->priv = pv;
  snprintf(p->file, sizeof p->file, "%s", path);
  size_t   len = 0;
  slStatus st = sl_read_file(path, &p->text, &len, err);
  if (st == SL_OK) st = parse(p, path, len, mo, ov, nov, mc, err);
  // place the partners once; every run of the cycle starts from here
  for (int k = 0; st == SL_OK && k < p->nrole; k++) {
    p->q0[k] = calloc((size_t)p->role[k].model->ncoord, sizeof(double));
    if (!p->q0[k]) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  if (st == SL_OK) st = sl_position_place(p, p->q0, err);
  if (st == SL_OK) st = sl_position_set_motion(p, mo, err);
  if (st != SL_OK) {
    sl_position_free(p);
    return st;
  }
  *out = p;
  return SL_OK;
}

// ---- placement ----------------------------------------------------------------------------------
static void landmark_world(const slModel* m, slData* d, const double* q, int land, double w[3]) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  sl_kin_landmark(m, d, land, w);
}

slStatus sl_position_place(const slPosition* p, double* const* q0, slError* err) {
  slStatus st = SL_OK;
  int      placed[SL_MAXROLE] = {0};
  for (int r = 0; r < p->nrole && st == SL_OK; r++) {
    const slRole*  R = &p->role[r];
    const slModel* m = R->model;
    slData*        d = NULL;
    st = sl_data_make(m, &d, err);
    if (st == SL_OK) st = sl_posture_to_q(m, d, &R->posture, q0[r], err);
    if (st != SL_OK) {
      if (err && st != SL_ERR_NOMEM) {
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        sl_fail(err, st, R->posture_where, "role '%s': %.600s", R->name, msg);
      }
      sl_data_free(d);
      break;
    }
    if (R->balance) {
      // the role's own supports only
      slContact sup[64];
      int       ns = 0;
      for (int k = 0; k < p->ncontact && ns < 64; k++)
        if (p->contacts[k].body == r && p->contacts[k].other < 0) sup[ns++] = p->contacts[k];
      double pitch;
      st = sl_posture_balance(m, d, q0[r], isnan(R->posture.pelvis_pos[1]), R->loads, R->nload, sup,
                              ns, &pitch, err);
    }
    // move onto an earlier role through the first partner contact that joins them
    for (int k = p->ncontact - p->npartner; k < p->ncontact && st == SL_OK; k++) {
      const slContact* c = &p->contacts[k];
      int              other = -1, land = -1, oland = -1;
      if (c->body == r && c->other < r && placed[c->other])
        other = c->other, land = c->land, oland = c->other_land;
      else if (c->other == r && c->body < r && placed[c->body])
        other = c->body, land = c->other_land, oland = c->land;
      if (other < 0) continue;
      const slModel* mo = p->role[other].model;
      slData*        dd = NULL;
      st = sl_data_make(mo, &dd, err);
      if (st != SL_OK) break;
      double a[3], b[3];
      landmark_world(mo, dd, q0[other], oland, a);
      landmark_world(m, d, q0[r], land, b);
      sl_data_free(dd);
      static const char* const t[3] = {"pelvis_tx", "pelvis_ty", "pelvis_tz"};
      for (int i = 0; i < 3; i++) q0[r][sl_model_coord(m, t[i])] += a[i] - b[i];
      break;
    }
    placed[r] = 1;
    sl_data_free(d);
  }
  return st;
}

int sl_position_check(const slPosition* p, double* const* q0, char* out, size_t n) {
  double  pts[256][3];
  int     nsup = 0, nbad = 0;
  size_t  at = strlen(out);
  slData* d[SL_MAXROLE] = {NULL, NULL};
  for (int r = 0; r < p->nrole; r++) {  // every role's kinematics at rest, once
    if (sl_data_make(p->role[r].model, &d[r], NULL) != SL_OK) goto done;
    memcpy(d[r]->q, q0[r], sizeof(double) * (size_t)p->role[r].model->ncoord);
    sl_kin_forward(p->role[r].model, d[r], 0);
  }
  for (int k = 0; k < p->ncontact && nsup < 256; k++)
    if (p->contacts[k].other < 0) {
      const slContact* c = &p->contacts[k];
      sl_kin_landmark(p->role[c->body].model, d[c->body], c->land, pts[nsup++]);
    }
  double floor_y = INFINITY;
  for (int i = 0; i < nsup; i++) floor_y = fmin(floor_y, pts[i][1]);
  for (int k = 0, i = 0; k < p->ncontact && i < nsup; k++) {
    const slContact* c = &p->contacts[k];
    if (c->other >= 0) continue;
    double h = pts[i][1] - floor_y, gap = INFINITY;
    for (int j = 0; j < nsup; j++)
      if (j != i) gap = fmin(gap, fabs(pts[j][1] - pts[i][1]));
    if (h > SL_SUPPORT_FLOOR_TOL && !(gap <= SL_SUPPORT_LEVEL_TOL) && at + 1 < n) {
      const slModel* m = p->role[c->body].model;
      int            w =
          snprintf(out + at, n - at,
                   "role '%s', support '%s': %.3f m above the floor and alone at its height (the "
                   "nearest other support %.3f m higher or lower; a support needs the floor within "
                   "%.2f m or another support within %.2f m of its height)\n",
                   p->role[c->body].name, m->land_name[c->land], h, isinf(gap) ? 0.0 : gap,
                   SL_SUPPORT_FLOOR_TOL, SL_SUPPORT_LEVEL_TOL);
      at = w > 0 ? fmin(n - 1, at + (size_t)w) : at;
      nbad++;
    }
    i++;
  }
  for (int k = 0; k < p->ncontact; k++) {
    const slContact* c = &p->contacts[k];
    if (c->other < 0) continue;
    double a[3], b[3], e[3];
    sl_kin_landmark(p->role[c->body].model, d[c->body], c->land, a);
    sl_kin_landmark(p->role[c->other].model, d[c->other], c->other_land, b);
    slu_sub3(e, a, b);
    double gap = slu_norm3(e);
    if (gap > SL_CONTACT_GAP_TOL && at + 1 < n) {
      int w = snprintf(out + at, n - at,
                       "contact of role '%s' landmark '%s' with role '%s' landmark '%s': the "
                       "landmarks are %.3f m apart at rest (more than %.2f m)\n",
                       p->role[c->body].name, p->role[c->body].model->land_name[c->land],
                       p->role[c->other].name, p->role[c->other].model->land_name[c->other_land],
                       gap, SL_CONTACT_GAP_TOL);
      at = w > 0 ? fmin(n - 1, at + (size_t)w) : at;
      nbad++;
    }
  }
done:
  for (int r = 0; r < p->nrole; r++) sl_data_free(d[r]);
  return nbad;
}

// ---- the cycle of each role
// ----------------------------------------------------------------------
const char* sl_strategy_name(int strategy) {
  static const char* const n[4] = {"hip", "spine", "mixed", "file"};
  return strategy >= 0 && strategy < 4 ? n[strategy] : "none";
}

int sl_position_moving(const slPosition* p) {
  return p->frequency > 0 || p->file_role >= 0;
}

double sl_position_time(const slPosition* p, int i) {
  if (p->file_role >= 0) {
    const slMot* mt = p->role[p->file_role].mot;
    return i >= 0 && i < mt->nframe ? mt->time[i] - mt->time[0] : 0.0;
  }
  return p->frequency > 0 ? (double)i / ((double)p->samples * p->frequency) : 0.0;
}

static slMotion role_motion(slDrive drive, const slMotionOpt* mot, double spine_share) {
  slMotion mo;
  memset(&mo, 0, sizeof mo);
  double amp = drive == SL_DRIVE_DRIVER ? mot->amplitude : mot->follower_amplitude;
  if (drive == SL_DRIVE_STILL) return mo;
  mo.hip_amp = amp * (1.0 - spine_share);
  mo.spine_amp = amp * spine_share;
  mo.phase = drive == SL_DRIVE_FOLLOWER ? SL_PI : 0.0;
  return mo;
}

// largest distance of a planted support from its rest position over the cycle's samples; the
// pose of every sample into poses (samples x ncoord) unless it is NULL, else into q (ncoord).
// Stops at the first sample where it reaches stop (a strategy that cannot win the comparison).
static double plant_residual(const slPosition* p, const slModel* m, slData* d, const double* q0,
                             const slMotionRest* rest, const slMotion* mo, double* q, double* poses,
                             double stop) {
  double worst = 0.0;
  for (int i = 0; i < p->samples && rest->nenv > 0 && worst < stop; i++) {
    double t = sl_position_time(p, i);
    if (poses) q = poses + (size_t)i * (size_t)m->ncoord;
    sl_motion_q(m, d, q0, rest, mo, p->frequency, t, NULL, NULL, q);
    memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
    sl_kin_forward(m, d, 0);
    for (int k = 0; k < rest->nenv; k++) {
      double pt[3], e[3];
      int    land = rest->plant_land[k];
      sl_kin_landmark(m, d, land, pt);
      slu_sub3(e, pt, rest->plant_pos[k]);
      worst = fmax(worst, slu_norm3(e));
    }
  }
  return worst;
}

// room for n doubles in *a (capacity *cap), grown when short; zeroed if zero is set (as calloc)
static double* room(double** a, size_t* cap, size_t n, int zero) {
  if (n < 1) n = 1;
  if (*cap < n) {
    free(*a);
    *a = malloc(sizeof(double) * n);
    *cap = *a ? n : 0;
    if (!*a) return NULL;
  }
  if (zero) memset(*a, 0, sizeof(double) * n);
  return *a;
}

// the key of the cache: what its poses were computed from, as it is now (keyed stays 0 when a
// copy cannot be made, and no pose is used)
static void pose_cache_key(const slPosition* p, PoseCache* c) {
  c->keyed = 0;
  for (int r = 0; r < p->nrole; r++) {
    size_t n = (size_t)p->role[r].model->ncoord;
    if (!room(&c->q0[r], &c->cap_q0[r], n, 0)) return;
    memcpy(c->q0[r], p->q0[r], sizeof(double) * n);
    c->model[r] = p->role[r].model;
    c->mo[r] = p->role[r].motion;
  }
  if (c->cap_ct < p->ncontact) {
    slContact* t = realloc(c->ct, sizeof(slContact) * (size_t)p->ncontact);
    if (!t) return;
    c->ct = t, c->cap_ct = p->ncontact;
  }
  if (p->ncontact) memcpy(c->ct, p->contacts, sizeof(slContact) * (size_t)p->ncontact);
  c->nct = p->ncontact;
  c->frequency = p->frequency;
  c->samples = p->samples;
  c->nrole = p->nrole;
  c->keyed = 1;
}

// role k's cached poses (samples x ncoord) if they hold for p as it is now (q0: its postures),
// else NULL
static const double* pose_cached(const slPosition* p, const double* const* q0, int k) {
  const Priv*      pv = p->priv;
  const PoseCache* c = pv ? &pv->pc : NULL;
  if (!c || !c->keyed || !c->ok[k] || c->nrole != p->nrole || c->samples != p->samples ||
      c->frequency != p->frequency || c->nct != p->ncontact)
    return NULL;
  for (int j = 0; j < p->ncontact; j++) {  // which landmarks touch what (not the friction)
    const slContact *a = &c->ct[j], *b = &p->contacts[j];
    if (a->body != b->body || a->land != b->land || a->other != b->other ||
        a->other_land != b->other_land)
      return NULL;
  }
  for (int r = 0; r < p->nrole; r++)
    if (c->model[r] != p->role[r].model ||
        memcmp(&c->mo[r], &p->role[r].motion, sizeof(slMotion)) ||
        memcmp(c->q0[r], q0[r], sizeof(double) * (size_t)p->role[r].model->ncoord))
      return NULL;
  return c->pose[k];
}

// every role's oscillation, with fresh workspaces data (one per role) and scratch q (ncoord)
static void set_motion(slPosition* p, const slMotionOpt* mot, const slModel* const* models,
                       slData* const* data, double* q) {
  Priv*      pv = p->priv;
  PoseCache* pc = pv ? &pv->pc : NULL;
  for (int r = 0; pc && r < SL_MAXROLE; r++) pc->ok[r] = 0;
  for (int r = 0; r < p->nrole; r++) {
    slRole*        R = &p->role[r];
    const slModel* m = R->model;
    // the preferred strategy: the driver's is the option's, a follower moves its spine
    double share = R->drive == SL_DRIVE_DRIVER ? mot->spine_share : 1.0;
    R->motion = role_motion(R->drive, mot, share);
    R->strategy = share == 0.0 ? 0 : share == 1.0 ? 1 : 2;
    R->plant_resid = 0.0;
    if (R->drive == SL_DRIVE_FILE) {
      // the file gives every pose: no oscillation, no planting
      memset(&R->motion, 0, sizeof R->motion);
      R->strategy = 3;
      continue;
    }
    if (R->drive == SL_DRIVE_STILL || p->frequency <= 0) continue;
    slData*      d = data[r];
    slMotionRest rest;
    sl_motion_rest(models, data, (const double* const*)p->q0, p->nrole, p->contacts, p->ncontact, r,
                   &rest);
    // the poses go to the cache when there is room for them (else the run computes them)
    size_t  n = (size_t)p->samples * (size_t)m->ncoord;
    double* poses = pc && rest.nenv > 0 ? room(&pc->pose[r], &pc->cap[r], n, 0) : NULL;
    R->plant_resid = plant_residual(p, m, d, p->q0[r], &rest, &R->motion, q, poses, INFINITY);
    if (mot->automatic && R->plant_resid > SL_PLANT_TOL && (share == 0.0 || share == 1.0)) {
      // the other pure strategy, if it keeps the planted supports better in place
      double   other = share == 0.0 ? 1.0 : 0.0;
      slMotion alt = role_motion(R->drive, mot, other);
      double*  alt_poses = poses ? room(&pc->alt, &pc->cap_alt, n, 0) : NULL;
      double   res = plant_residual(p, m, d, p->q0[r], &rest, &alt, q, alt_poses, R->plant_resid);
      if (res < R->plant_resid) {
        R->motion = alt;
        R->strategy = other == 0.0 ? 0 : 1;
        R->plant_resid = res;
        if (alt_poses) {  // its poses are the ones kept
          double* t = pc->pose[r];
          size_t  tc = pc->cap[r];
          pc->pose[r] = pc->alt, pc->cap[r] = pc->cap_alt;
          pc->alt = t, pc->cap_alt = tc;
        }
      }
      if (poses && !alt_poses) poses = NULL;  // no room to compare: none kept
    }
    if (pc) pc->ok[r] = poses != NULL;
  }
  if (pc) pose_cache_key(p, pc);
}

slStatus sl_position_set_motion(slPosition* p, const slMotionOpt* mot, slError* err) {
  return sl_position_set_motion_ws(p, mot, NULL, err);
}

// ---- evaluation ---------------------------------------------------------------------------------
void sl_position_run_free(slPositionRun* r) {
  if (!r) return;
  for (int k = 0; k < r->nrole; k++) {
    sl_results_free(r->res[k]);
    free(r->q0[k]);
    free(r->lumbar[k]);
  }
  free(r->time);
  free(r);
}

// kinematics of a role at pose q
static void pose_kinematics(const slModel* m, slData* d, const double* q) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
}

// Where each contact's point is at the poses q1 (time t): the landmark's world position
// for a support, its offset from the partner's landmark for a partner contact (3 per contact).
static void contact_offsets(const slPosition* p, const slModel* const* models, slData* const* data,
                            const double* const* q1, double* out) {
  for (int k = 0; k < p->nrole; k++) pose_kinematics(models[k], data[k], q1[k]);
  for (int j = 0; j < p->ncontact; j++) {
    const slContact* ct = &p->contacts[j];
    double*          o = out + 3 * j;
    slu_zero3(o);
    if (ct->body < 0 || ct->body >= p->nrole) continue;
    const slModel* m = models[ct->body];
    sl_kin_landmark(m, data[ct->body], ct->land, o);
    if (ct->other >= 0 && ct->other < p->nrole) {
      const slModel* mo = models[ct->other];
      double         po[3];
      sl_kin_landmark(mo, data[ct->other], ct->other_land, po);
      slu_sub3(o, o, po);
    }
  }
}

// Largest distance of each contact's tangential offset from its cycle mean [m].
static void tangential_excursion(const slPosition* p, int n, const double* offs, double* exc) {
  for (int j = 0; j < p->ncontact; j++) {
    const double* nrm = p->contacts[j].normal;
    double        mean[3] = {0, 0, 0}, t[3];
    for (int i = 0; i < n; i++)
      slu_addscl3(mean, offs + 3 * ((size_t)i * p->ncontact + j), 1.0 / n);
    exc[j] = 0.0;
    for (int i = 0; i < n; i++) {
      slu_sub3(t, offs + 3 * ((size_t)i * p->ncontact + j), mean);
      slu_addscl3(t, nrm, -slu_dot3(t, nrm));
      double e = slu_norm3(t);
      if (e > exc[j]) exc[j] = e;
    }
  }
}

// A role's pose at frame i of its motion file: the placed rest pose q0 with the file's columns
// applied; the root's six coordinates (the free joint) move by their change from the first frame,
// so the role stays where the position placed it and moves as the file says.
static void file_pose(const slModel* m, const slMot* mt, const double* q0, int i, double* q) {
  memcpy(q, q0, sizeof(double) * (size_t)m->ncoord);
  for (int c = 0; c < mt->ncol; c++) {
    int    k = mt->coord[c];
    double v = mt->value[(size_t)i * (size_t)mt->ncol + (size_t)c];
    int    root = 0;
    for (int a = 0; a < 6; a++) root |= m->root_coord[a] == k;
    q[k] = root ? q0[k] + (v - mt->value[c]) : v;
  }
}

// The root's motion at every frame of a file-driven role (poses qs, n x ncoord), 12 per frame:
// sl_root_motion_spline (sl_run.c).
static slStatus file_root_motion(const slModel* m, slData* d, const slRole* R, const double* qs,
                                 double* out, slError* err) {
  return sl_root_motion_spline(m, d, qs, (size_t)m->ncoord, R->mot->nframe, R->mot->time,
                               R->mot_smoothing, out, err);
}

// its rates at frame i (none without the spline: `inertia: false`) and its kinematics with them;
// root: the root's motion at this frame (file_root_motion) or NULL
static void file_rates(const slModel* m, slData* d, const slMot* mt, int i, const double* q,
                       const double* root) {
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  memset(d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  for (int c = 0; mt->rate && c < mt->ncol; c++) {
    size_t at = (size_t)i * (size_t)mt->ncol + (size_t)c;
    d->qd[mt->coord[c]] = mt->rate[at];
    d->qdd[mt->coord[c]] = mt->accel[at];
  }
  if (mt->rate && root) {
    memcpy(d->root_motion, root, sizeof d->root_motion);
    sl_kin_forward(m, d, 2);
  } else {
    sl_kin_forward(m, d, 1);
  }
}

// Every role's pose at time t into q1[k] (ncoord): roles on their own supports first (trunk
// motion and planted supports), then a role held by its partner rides on the partner's pelvis,
// then the grips follow the partner's pose at the same time. data: one workspace per role, used
// for kinematics.
static void cycle_poses(const slPosition* p, const slModel* const* models, slData* const* data,
                        const slMotionRest* rest, const int* carried, double* const* q0, int i,
                        double t, const double* const* cached, double* const* q1) {
  double C[SL_MAXROLE][12];  // a carried role: its carrier's pelvis displacement from rest
  for (int k = 0; k < p->nrole; k++)
    if (p->role[k].mot) file_pose(models[k], p->role[k].mot, q0[k], i, q1[k]);
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < p->nrole; k++) {
      if (carried[k] != pass || p->role[k].mot) continue;
      if (carried[k]) {
        int    o2 = 1 - k;
        double t2[3];
        pose_kinematics(models[o2], data[o2], q1[o2]);
        slu_mulmmt3(C[k], data[o2]->xrot, rest[o2].R0);
        slu_mulmv3(t2, C[k], rest[o2].p0);
        slu_sub3(C[k] + 9, data[o2]->xpos, t2);
      }
      if (cached[k] && !carried[k])  // the pose set_motion computed (pose_cached)
        memcpy(q1[k], cached[k] + (size_t)i * (size_t)models[k]->ncoord,
               sizeof(double) * (size_t)models[k]->ncoord);
      else
        sl_motion_q(models[k], data[k], q0[k], &rest[k], &p->role[k].motion, p->frequency, t, NULL,
                    carried[k] ? C[k] : NULL, q1[k]);
    }
  for (int k = 0; k < p->nrole; k++) {
    if (rest[k].nplant == rest[k].nenv || p->role[k].mot) continue;
    double targets[3 * SL_MAXPLANT];
    for (int o2 = 0; o2 < p->nrole; o2++) {
      if (o2 == k) continue;
      pose_kinematics(models[o2], data[o2], q1[o2]);
      sl_motion_grip_targets(models[o2], data[o2], &rest[k], o2, targets);
    }
    sl_motion_q(models[k], data[k], q0[k], &rest[k], &p->role[k].motion, p->frequency, t, targets,
                carried[k] ? C[k] : NULL, q1[k]);
  }
}

// Every role's velocities and accelerations at time t and pose q1 (cycle_poses), in the same
// order: roles on their own supports, a carried role on its partner's pelvis motion, then the
// grips on the partner's motion. Leaves every role's data ready for the scene step.
static void cycle_rates(const slPosition* p, const slModel* const* models, slData* const* data,
                        const slMotionRest* rest, const int* carried, int i, double t,
                        double* const* q1, double* const* rootm) {
  slRigidMotion G[SL_MAXROLE];
  for (int k = 0; k < p->nrole; k++)
    if (p->role[k].mot)
      file_rates(models[k], data[k], p->role[k].mot, i, q1[k],
                 rootm[k] ? rootm[k] + 12 * (size_t)i : NULL);
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < p->nrole; k++) {
      if (carried[k] != pass || p->role[k].mot) continue;
      if (carried[k]) sl_motion_carrier(data[1 - k], &rest[1 - k], &G[k]);
      sl_motion_rates(models[k], data[k], q1[k], &rest[k], &p->role[k].motion, p->frequency, t,
                      carried[k] ? &G[k] : NULL, NULL);
    }
  for (int k = 0; k < p->nrole; k++) {
    if (rest[k].nplant == rest[k].nenv || p->role[k].mot) continue;
    double targets[9 * SL_MAXPLANT];
    for (int o2 = 0; o2 < p->nrole; o2++)
      if (o2 != k) sl_motion_grip_motion(models[o2], data[o2], &rest[k], o2, targets);
    sl_motion_rates(models[k], data[k], q1[k], &rest[k], &p->role[k].motion, p->frequency, t,
                    carried[k] ? &G[k] : NULL, targets);
  }
}

slStatus sl_position_run(const slPosition* p, const slSoOpt* o, slPositionRun** out, slError* err) {
  return sl_position_run_flags(p, o, SL_RES_FRAMES, out, err);
}

slStatus sl_position_run_flags(const slPosition* p, const slSoOpt* o, int flags,
                               slPositionRun** out, slError* err) {
  *out = NULL;
  slPositionWork* w = NULL;
  slStatus        st = sl_position_work_make(&w, err);
  if (st == SL_OK) st = sl_position_run_ws(p, o, flags, w, out, err);
  sl_position_work_free(w);
  return st;
}

// ---- the thread's workspace ---------------------------------------------------------------------
struct slPositionWork {
  slScene* scene;
  double*  cf;  // contact forces (3 per contact)
  double*  excursion;
  double*  offs;
  double*  qs[SL_MAXROLE];
  double*  rootm[SL_MAXROLE];  // a file-driven role's root motion (12 per sample)
  size_t   cap_rootm[SL_MAXROLE];
  double*  qm;              // sl_position_set_motion_ws scratch
  slData*  md[SL_MAXROLE];  // and its kinematics workspaces
  size_t   cap_md[SL_MAXROLE];
  size_t   cap_cf, cap_exc, cap_offs, cap_qs[SL_MAXROLE], cap_qm;
};

slStatus sl_position_work_make(slPositionWork** w, slError* err) {
  *w = calloc(1, sizeof **w);
  return *w ? SL_OK : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
}

void sl_position_work_free(slPositionWork* w) {
  if (!w) return;
  sl_scene_free(w->scene);
  free(w->cf);
  free(w->excursion);
  free(w->offs);
  for (int k = 0; k < SL_MAXROLE; k++) free(w->qs[k]), free(w->rootm[k]);
  free(w->qm);
  for (int k = 0; k < SL_MAXROLE; k++) sl_data_free(w->md[k]);
  free(w);
}

slStatus sl_position_set_motion_ws(slPosition* p, const slMotionOpt* mot, slPositionWork* w,
                                   slError* err) {
  p->frequency = mot->frequency;
  p->samples = mot->frequency > 0 ? mot->samples : 1;
  if (p->file_role >= 0) p->samples = p->role[p->file_role].mot->nframe;
  const slModel* models[SL_MAXROLE];
  slData*        data[SL_MAXROLE] = {NULL, NULL};
  size_t         nq = 0;
  slStatus       st = SL_OK;
  for (int r = 0; r < p->nrole; r++) {
    models[r] = p->role[r].model;
    if ((size_t)models[r]->ncoord > nq) nq = (size_t)models[r]->ncoord;
  }
  if (w) {
    // the workspace's own data per role, remade as new for these bodies
    for (int r = 0; st == SL_OK && r < p->nrole; r++)
      st = sl_data_remake(models[r], &w->md[r], &w->cap_md[r], err);
    for (int r = 0; st == SL_OK && r < p->nrole; r++) data[r] = w->md[r];
    double* q = st == SL_OK ? room(&w->qm, &w->cap_qm, nq, 0) : NULL;
    if (st == SL_OK && !q) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    if (st == SL_OK) set_motion(p, mot, models, data, q);
    return st;
  }
  double* q = NULL;
  for (int r = 0; r < p->nrole && st == SL_OK; r++) st = sl_data_make(models[r], &data[r], err);
  if (st == SL_OK && !(q = malloc(sizeof(double) * (nq ? nq : 1))))
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  if (st == SL_OK) set_motion(p, mot, models, data, q);
  for (int r = 0; r < p->nrole; r++) sl_data_free(data[r]);
  free(q);
  return st;
}

// *out made for p (or remade: reused when its shape fits, its arrays zeroed as when new)
static slStatus run_remake(const slPosition* p, int flags, slPositionRun** out, slError* err) {
  int            samples = sl_position_moving(p) ? p->samples : 1;
  slPositionRun* r = *out;
  int            same = r && r->nrole == p->nrole && r->samples == samples;
  for (int k = 0; same && k < p->nrole; k++)
    same = r->res[k] && r->res[k]->ncoord == p->role[k].model->ncoord && r->q0[k] && r->lumbar[k];
  if (!same) {
    sl_position_run_free(r);
    *out = r = calloc(1, sizeof *r);
    if (!r) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    r->nrole = p->nrole;
    r->samples = samples;
    r->time = calloc((size_t)samples, sizeof(double));
    if (!r->time) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  } else {
    memset(r->time, 0, sizeof(double) * (size_t)samples);
  }
  for (int k = 0; k < p->nrole; k++) {
    const slModel* m = p->role[k].model;
    if (!same) {
      r->q0[k] = calloc((size_t)m->ncoord, sizeof(double));
      r->lumbar[k] = calloc(3 * (size_t)samples, sizeof(double));
      if (!r->q0[k] || !r->lumbar[k]) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    } else {
      memset(r->lumbar[k], 0, sizeof(double) * 3 * (size_t)samples);
    }
    int nc = 0;
    for (int j = 0; j < p->ncontact; j++)
      nc += p->contacts[j].body == k || p->contacts[j].other == k;
    slStatus st = sl_results_remake(&r->res[k], m, samples, nc, flags, err);
    if (st != SL_OK) return st;
  }
  for (int k = 0; k < p->nrole; k++)
    memcpy(r->q0[k], p->q0[k], sizeof(double) * (size_t)p->role[k].model->ncoord);
  return SL_OK;
}

slStatus sl_position_run_ws(const slPosition* p, const slSoOpt* o, int flags, slPositionWork* w,
                            slPositionRun** out, slError* err) {
  slStatus st = run_remake(p, flags, out, err);
  if (st != SL_OK) {
    sl_position_run_free(*out);
    *out = NULL;
    return st;
  }
  slPositionRun* r = *out;
  const slModel* models[SL_MAXROLE];
  for (int k = 0; k < p->nrole; k++) models[k] = p->role[k].model;
  double* q1[SL_MAXROLE] = {NULL, NULL};  // views: each role's pose at t
  st = sl_scene_remake(&w->scene, models, p->nrole, p->ncontact > 0 ? p->ncontact : 1, err);
  slScene* s = w->scene;
  double*  cf = NULL;
  if (st == SL_OK) {
    cf = room(&w->cf, &w->cap_cf, 3 * (size_t)(p->ncontact + 1), 0);
    if (!cf) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  slMotionRest rest[SL_MAXROLE];
  slData*      data[SL_MAXROLE] = {NULL, NULL};
  for (int k = 0; st == SL_OK && k < p->nrole; k++) data[k] = sl_scene_data(s, k);
  for (int k = 0; st == SL_OK && k < p->nrole; k++)
    sl_motion_rest(models, data, (const double* const*)r->q0, p->nrole, p->contacts, p->ncontact, k,
                   &rest[k]);
  int moving = sl_position_moving(p);
  // a role with no support of its own is held by its partner and moves with it
  int carried[SL_MAXROLE] = {0, 0};
  for (int k = 0; k < p->nrole && p->nrole == 2; k++) {
    int own = 0;
    for (int j = 0; j < p->ncontact; j++)
      own += p->contacts[j].body == k && p->contacts[j].other < 0;
    carried[k] = own == 0;
  }
  if (carried[0] && carried[1]) carried[0] = carried[1] = 0;  // nobody stands: both prescribed
  // pass 1: every role's pose for every sample, and each contact's tangential excursion over the
  // cycle (which decides whether the tissue sticks or it slides)
  double*       qs[SL_MAXROLE] = {NULL, NULL};  // samples x ncoord per role
  const double* cached[SL_MAXROLE] = {NULL, NULL};
  double*       excursion = NULL;
  if (st == SL_OK && moving) {
    excursion = room(&w->excursion, &w->cap_exc, (size_t)p->ncontact + 1, 1);
    double* offs =
        room(&w->offs, &w->cap_offs, 3 * ((size_t)p->ncontact + 1) * (size_t)r->samples, 1);
    for (int k = 0; k < p->nrole; k++)
      qs[k] = room(&w->qs[k], &w->cap_qs[k], (size_t)models[k]->ncoord * (size_t)r->samples, 0);
    if (!excursion || !offs || !qs[0] || (p->nrole > 1 && !qs[1]))
      st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    for (int k = 0; k < p->nrole; k++) cached[k] = pose_cached(p, (const double* const*)r->q0, k);
    for (int i = 0; st == SL_OK && i < r->samples; i++) {
      double t = sl_position_time(p, i);
      for (int k = 0; k < p->nrole; k++) q1[k] = qs[k] + (size_t)i * (size_t)models[k]->ncoord;
      cycle_poses(p, models, data, rest, carried, r->q0, i, t, cached, q1);
      contact_offsets(p, models, data, (const double* const*)q1,
                      offs + 3 * (size_t)p->ncontact * (size_t)i);
    }
    if (st == SL_OK) tangential_excursion(p, r->samples, offs, excursion);
  }
  // a file-driven role's root motion, from its poses at every frame
  double* rootm[SL_MAXROLE] = {NULL, NULL};
  for (int k = 0; st == SL_OK && moving && k < p->nrole; k++) {
    if (!p->role[k].mot || !p->role[k].mot->rate) continue;
    rootm[k] = room(&w->rootm[k], &w->cap_rootm[k], 12 * (size_t)r->samples, 0);
    st = rootm[k] ? file_root_motion(models[k], data[k], &p->role[k], qs[k], rootm[k], err)
                  : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  // pass 2: the solve, sample by sample
  for (int i = 0; st == SL_OK && i < r->samples; i++) {
    double t = sl_position_time(p, i);
    r->time[i] = t;
    slSceneInput in;
    memset(&in, 0, sizeof in);
    in.with_inertia = moving ? 2 : 0;
    in.smooth = 1;
    in.contacts = p->contacts;
    in.ncontact = p->ncontact;
    in.excursion = excursion;
    for (int k = 0; k < p->nrole; k++) {
      in.loads[k] = p->role[k].loads;
      in.nloads[k] = p->role[k].nload;
    }
    if (!moving) {
      for (int k = 0; k < p->nrole; k++) sl_motion_static(models[k], data[k], r->q0[k]);
    } else {
      for (int k = 0; k < p->nrole; k++) q1[k] = qs[k] + (size_t)i * (size_t)models[k]->ncoord;
      cycle_rates(p, models, data, rest, carried, i, t, q1, rootm);
    }
    sl_scene_step(s, &in, o, cf);
    for (int k = 0; k < p->nrole; k++) {
      const slModel* m = p->role[k].model;
      const slData*  d = sl_scene_data(s, k);
      sl_results_store_step(r->res[k], i, m, d, p->contacts, p->ncontact, k, cf,
                            sl_scene_sliding(s), sl_scene_slip_speed(s),
                            sl_scene_contact_points(s));
      static const double sign[3] = {-1.0, 1.0, 1.0};
      for (int a = 0; a < 3; a++) {
        double tot = 0.0;
        for (int l = 0; l < SL_NLEVEL; l++) tot += sign[a] * d->q[m->lev_coord[l][a]];
        r->lumbar[k][3 * i + a] = tot;
      }
    }
  }
  if (st != SL_OK) {
    sl_position_run_free(r);
    *out = NULL;
    return st;
  }
  return SL_OK;
}
