// sl_position.c: position files (two partners, supports, partner contacts, a thrust cycle),
// their placement, the cycle's motion, and their evaluation.
//
// Placement. Each role's posture is built from its root preset and placed on the floor (its
// lowest landmark at y = 0). Then every later role that shares a partner contact with an earlier
// one is translated so that the two landmarks of its first partner contact coincide. Contact
// points are used where each body has them; the force directions are the file's normals.
//
// Motion. A role's pose at time t is exact: the static coordinates with the hip-driven and
// spine-driven oscillations applied (sl_position.h). Velocities and accelerations for the
// inertial loads come from central differences of exact poses (segment frames) at t +- h and
// t +- 2h, which is independent of how the pelvis orientation is parametrised (the Euler angles
// of a body lying on its side are at their singularity).
#include "sl_position.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_math.h"
#include "sl_model.h"
#include "sl_scenario.h"
#include "sl_yaml.h"

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

typedef struct Priv {
  slyDoc* doc;
} Priv;

void sl_position_free(slPosition* p) {
  if (!p) return;
  for (int r = 0; r < p->nrole; r++) {
    sl_model_free(p->role[r].model);
    free(p->role[r].loads);
    free(p->q0[r]);
  }
  free(p->contacts);
  free(p->text);
  Priv* pv = p->priv;
  if (pv) sly_free(pv->doc);
  free(pv);
  free(p);
}

static int role_index(const slPosition* p, const char* name) {
  for (int r = 0; r < p->nrole; r++)
    if (!strcmp(p->role[r].name, name)) return r;
  return -1;
}

slMotionOpt sl_motion_opt_default(void) {
  slMotionOpt m;
  m.frequency = 1.5;
  m.samples = 16;
  m.amplitude = 5.0 * SL_DEG;
  m.spine_share = 0.0;
  m.follower_amplitude = 2.0 * SL_DEG;
  return m;
}

slStatus sl_motion_opt_set(slMotionOpt* mo, const slOverride* ov, int nov, slError* err) {
  static const char* const keys[] = {
      "frequency_hz",           "samples", "amplitude_deg", "strategy", "spine_share",
      "follower_amplitude_deg", NULL};
  static const char* const strat[] = {"hip", "spine", "mixed", NULL};
  char                     text[4096] = "";
  for (int i = 0; i < nov; i++) {
    if (strncmp(ov[i].path, "motion.", 7)) continue;
    char line[512];
    snprintf(line, sizeof line, "%s: %s\n", ov[i].path + 7, ov[i].value);
    sl_strcat(text, sizeof text, "", line);
  }
  if (!text[0]) return SL_OK;
  slyDoc* doc = NULL;
  TRY(sly_parse(&doc, text, strlen(text), "--set motion", err));
  const slyNode* r = sly_root(doc);
  slStatus       st = sly_check_keys(r, keys, "motion", err);
  long           ns = mo->samples;
  double         a = mo->amplitude / SL_DEG, fa = mo->follower_amplitude / SL_DEG;
  int            s = -1;
  if (!st) st = sly_num(r, "frequency_hz", 0, 0, 10, "Hz", &mo->frequency, err);
  if (!st) st = sly_int(r, "samples", 0, 1, 1000, &ns, err);
  if (!st) st = sly_num(r, "amplitude_deg", 0, 0, 30, "deg", &a, err);
  if (!st) st = sly_num(r, "follower_amplitude_deg", 0, 0, 30, "deg", &fa, err);
  if (!st) st = sly_num(r, "spine_share", 0, 0, 1, "", &mo->spine_share, err);
  if (!st) st = sly_enum(r, "strategy", 0, strat, &s, err);
  if (s >= 0) mo->spine_share = s == 0 ? 0.0 : s == 1 ? 1.0 : 0.5;
  mo->samples = (int)ns;
  mo->amplitude = a * SL_DEG;
  mo->follower_amplitude = fa * SL_DEG;
  sly_free(doc);
  return st;
}

static slStatus read_drive(const slyNode* it, slDrive* d, slError* err) {
  static const char* const drives[] = {"still", "driver", "follower", NULL};
  int                      v = 0;
  TRY(sly_enum(it, "motion", 0, drives, &v, err));
  *d = (slDrive)v;
  return SL_OK;
}

static slStatus read_role(slPosition* p, int r, const slyNode* it, const char* file,
                          const slOverride* ov, int nov, slError* err) {
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
    if (strncmp(ov[i].path, "solver.", 7) && strncmp(ov[i].path, "roles.", 6) &&
        strncmp(ov[i].path, "motion.", 7) && strncmp(ov[i].path, "contacts.", 9))
      all[n++] = ov[i];
  TRY(sl_model_load(&R->model, R->body_path, all, n, err));
  const slModel* m = R->model;
  const slyNode* post = sly_get(it, "posture");
  if (!post) return sly_fail(err, SL_ERR_KEY, it, "role '%s': missing key 'posture'", name);
  TRY(sly_expect(post, SLY_MAP, "key 'posture'", err));
  TRY(sly_check_keys(post, SL_POSTURE_KEYS, "posture", err));
  TRY(sl_posture_read(post, m, &R->posture, err));
  sly_where(post, R->posture_where, sizeof R->posture_where);
  const slyNode* loads = sly_get(it, "loads");
  if (loads) TRY(sly_expect(loads, SLY_SEQ, "key 'loads'", err));
  R->loads = calloc((size_t)(loads ? loads->n : 0) + 1, sizeof(slPointLoad));
  if (!R->loads) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  TRY(sl_loads_read(loads, m, R->loads, &R->nload, err));
  TRY(read_drive(it, &R->drive, err));
  TRY(sly_bool(it, "balance", 0, &R->balance, err));
  return SL_OK;
}

static slStatus read_contacts(slPosition* p, const slyNode* roles, const slyNode* cts,
                              slError* err) {
  static const char* const keys[] = {"role",   "landmark", "other", "other_landmark",
                                     "normal", "mu",       NULL};
  int                      nsup = 0;
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
    c->normal[1] = 1.0;
    TRY(sly_vec(it, "normal", 1, 3, -1, 1, "", c->normal, err));
    if (slu_normalize3(c->normal) < 1e-9)
      return sly_fail(err, SL_ERR_RANGE, it, "contact normal must not be zero");
    c->mu = 0.3;
    TRY(sly_num(it, "mu", 0, 0, 2, "", &c->mu, err));
    p->ncontact++;
    p->npartner++;
  }
  return SL_OK;
}

static slStatus parse(slPosition* p, const char* path, const slMotionOpt* mot, const slOverride* ov,
                      int nov, slError* err) {
  static const char* const keys[] = {"format",     "name", "title", "description", "claim",
                                     "claim_text", "base", "roles", "contacts",    NULL};
  static const char* const claims[] = {"none", "safe", "risky", NULL};
  Priv*                    pv = p->priv;
  TRY(sl_model_tree(&pv->doc, path, NULL, 0, NULL, NULL, 0, err));
  for (int i = 0; i < nov; i++)
    if (!strncmp(ov[i].path, "roles.", 6) || !strncmp(ov[i].path, "contacts.", 9))
      TRY(sly_set(pv->doc, ov[i].path, ov[i].value, err));
  const slyNode* root = sly_root(pv->doc);
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
    TRY(read_role(p, r, roles->item[r], roles->item[r]->file, ov, nov, err));
    slRole* R = &p->role[r];
    memset(&R->motion, 0, sizeof R->motion);
    if (R->drive == SL_DRIVE_DRIVER) {
      R->motion.hip_amp = mot->amplitude * (1.0 - mot->spine_share);
      R->motion.spine_amp = mot->amplitude * mot->spine_share;
    } else if (R->drive == SL_DRIVE_FOLLOWER) {
      R->motion.spine_amp = mot->follower_amplitude;
      R->motion.phase = SL_PI;
    }
  }
  return read_contacts(p, roles, sly_get(root, "contacts"), err);
}

slStatus sl_position_load(slPosition** out, const char* path, const slMotionOpt* mo,
                          const slOverride* ov, int nov, slError* err) {
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
  if (st == SL_OK) st = parse(p, path, mo, ov, nov, err);
  // place the partners once; every run of the cycle starts from here
  for (int k = 0; st == SL_OK && k < p->nrole; k++) {
    p->q0[k] = calloc((size_t)p->role[k].model->ncoord, sizeof(double));
    if (!p->q0[k]) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  if (st == SL_OK) st = sl_position_place(p, p->q0, err);
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
  sl_kin_point(m, d, m->land_seg[land], m->land_pos + 3 * land, w);
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

// ---- motion -------------------------------------------------------------------------------------
size_t sl_motion_work_size(const slModel* m) {
  return 3 * (size_t)m->ncoord + 3 * 12 * (size_t)m->nseg + 16;
}

// root pose of a body: world rotation and position of the pelvis from the root coordinates, and
// back (the root joint is Rz(tilt) Rx(list) Ry(rotation) then translations along world axes)
static void root_to_q(const slModel* m, const double R[9], const double p[3], double* q) {
  double b = asin(fmax(-1.0, fmin(1.0, R[7])));
  double a, c;
  if (fabs(cos(b)) > 1e-9) {
    a = atan2(-R[1], R[4]);
    c = atan2(-R[6], R[8]);
  } else {  // gimbal lock: list = +-90 deg; put the whole turn on the tilt
    c = 0.0;
    a = atan2(R[7] * R[2], R[0]);
  }
  const double v[6] = {a, b, c, p[0], p[1], p[2]};
  for (int k = 0; k < 6; k++)
    if (m->root_coord[k] >= 0) q[m->root_coord[k]] = v[k];
}

void sl_motion_rest(const slModel* m, slData* d, const double* q0, slMotionRest* rest) {
  int torso = m->lev_seg[SL_NLEVEL - 1];
  memcpy(d->q, q0, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  memcpy(rest->R0, d->xrot, sizeof rest->R0);
  slu_copy3(rest->p0, d->xpos);
  memcpy(rest->T0R, d->xrot + 9 * torso, sizeof rest->T0R);
  slu_copy3(rest->T0p, d->xpos + 3 * torso);
  int hr = m->hip_seg[0], hl = m->hip_seg[1];
  rest->ok = hr >= 0 && hl >= 0;
  for (int k = 0; k < 3 && rest->ok; k++)
    rest->hc[k] = 0.5 * (d->xjnt[3 * hr + k] + d->xjnt[3 * hl + k]);
  rest->z[0] = rest->R0[2], rest->z[1] = rest->R0[5], rest->z[2] = rest->R0[8];
}

void sl_motion_q(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                 const slMotion* mo, double frequency, double t, double* q) {
  memcpy(q, q0, sizeof(double) * (size_t)m->ncoord);
  double delta = frequency > 0 ? sin(2.0 * SL_PI * frequency * t + mo->phase) : 0.0;
  double dh = mo->hip_amp * delta, ds = mo->spine_amp * delta;
  if ((dh == 0.0 && ds == 0.0) || !rest->ok) return;
  int    torso = m->lev_seg[SL_NLEVEL - 1];
  double R[9], p[3], hc[3], z[3];
  memcpy(R, rest->R0, sizeof R);
  slu_copy3(p, rest->p0);
  slu_copy3(hc, rest->hc);
  slu_copy3(z, rest->z);
  if (ds != 0.0) {
    // spine-driven: lumbar flexion changes, then a rigid move of the whole body restores the
    // thorax frame: new root = (T0 * T1^-1) * root
    for (int l = 0; l < SL_NLEVEL; l++) q[m->lev_coord[l][0]] += -ds * m->rhythm[0][l];
    memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
    sl_kin_forward(m, d, 0);
    const double* T1R = d->xrot + 9 * torso;
    const double* T1p = d->xpos + 3 * torso;
    double        C[9], Cp[3], t1[3], Rn[9], pn[3];
    slu_mulmmt3(C, rest->T0R, T1R);  // rotation T0 T1^-1
    slu_mulmv3(t1, C, T1p);
    slu_sub3(Cp, rest->T0p, t1);
    // the pose computed here kept the rest pelvis; move it rigidly with C
    slu_mulmm3(Rn, C, R);
    memcpy(R, Rn, sizeof R);
    slu_mulmv3(pn, C, p);
    slu_add3(p, pn, Cp);
    slu_mulmv3(pn, C, hc);  // the hip centre moves with the body
    slu_add3(hc, pn, Cp);
    slu_mulmv3(z, C, z);
  }
  if (dh != 0.0) {
    // hip-driven: rotate the whole body about the hip axis through the hip centre
    double Q[9], Rn[9], r[3], rr[3];
    slu_axisangle(Q, z, dh);
    slu_mulmm3(Rn, Q, R);
    memcpy(R, Rn, sizeof R);
    slu_sub3(r, p, hc);
    slu_mulmv3(rr, Q, r);
    slu_add3(p, hc, rr);
  }
  // the thighs keep their orientation: hip flexion takes back the pelvis' pitch about its z axis
  double dR[9];
  slu_multmm3(dR, rest->R0, R);
  double pitch = atan2(dR[3], dR[0]);
  for (int k = 0; k < 2; k++)
    if (m->hip_coord[k] >= 0) q[m->hip_coord[k]] -= pitch;
  root_to_q(m, R, p, q);
}

void sl_motion_state(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                     const slMotion* mo, double frequency, double t, double* work) {
  int     nc = m->ncoord, ns = m->nseg;
  double* q = work;                        // 3 x nc
  double* rot = work + 3 * (size_t)nc;     // 3 x ns x 9
  double* com = rot + 3 * 9 * (size_t)ns;  // 3 x ns x 3
  double  h = frequency > 0 ? 1e-4 / frequency : 0.0;
  if (h == 0.0 || (mo->hip_amp == 0.0 && mo->spine_amp == 0.0)) {
    memcpy(d->q, q0, sizeof(double) * (size_t)nc);
    memset(d->qd, 0, sizeof(double) * (size_t)nc);
    memset(d->qdd, 0, sizeof(double) * (size_t)nc);
    sl_kin_forward(m, d, 0);
    return;
  }
  for (int j = 0; j < 3; j++) {
    double* qj = q + (size_t)j * (size_t)nc;
    sl_motion_q(m, d, q0, rest, mo, frequency, t + (j - 1) * h, qj);
    memcpy(d->q, qj, sizeof(double) * (size_t)nc);
    sl_kin_forward(m, d, 0);
    memcpy(rot + (size_t)j * 9 * (size_t)ns, d->xrot, sizeof(double) * 9 * (size_t)ns);
    memcpy(com + (size_t)j * 3 * (size_t)ns, d->xcom, sizeof(double) * 3 * (size_t)ns);
  }
  // the pose at t (the last kinematics was at t + h), then the differences
  memcpy(d->q, q + (size_t)nc, sizeof(double) * (size_t)nc);
  sl_kin_forward(m, d, 0);
  memset(d->qd, 0, sizeof(double) * (size_t)nc);
  memset(d->qdd, 0, sizeof(double) * (size_t)nc);
  for (int i = 0; i < ns; i++) {
    const double* c0 = com + 3 * (size_t)i;
    const double* c1 = com + 3 * (size_t)ns + 3 * (size_t)i;
    const double* c2 = com + 6 * (size_t)ns + 3 * (size_t)i;
    const double* R0 = rot + 9 * (size_t)i;
    const double* R1 = rot + 9 * (size_t)ns + 9 * (size_t)i;
    const double* R2 = rot + 18 * (size_t)ns + 9 * (size_t)i;
    double*       v = d->cvel + 6 * i;
    double*       a = d->cacc + 6 * i;
    double        Rd[9], Rdd[9], W[9], A[9];
    for (int k = 0; k < 3; k++) {
      v[3 + k] = (c2[k] - c0[k]) / (2 * h);
      a[3 + k] = (c2[k] - 2 * c1[k] + c0[k]) / (h * h);
    }
    for (int k = 0; k < 9; k++) {
      Rd[k] = (R2[k] - R0[k]) / (2 * h);
      Rdd[k] = (R2[k] - 2 * R1[k] + R0[k]) / (h * h);
    }
    slu_mulmmt3(W, Rd, R1);   // skew(omega)
    slu_mulmmt3(A, Rdd, R1);  // skew(alpha) + omega omega' - |omega|^2 I (symmetric part)
    v[0] = 0.5 * (W[7] - W[5]);
    v[1] = 0.5 * (W[2] - W[6]);
    v[2] = 0.5 * (W[3] - W[1]);
    a[0] = 0.5 * (A[7] - A[5]);
    a[1] = 0.5 * (A[2] - A[6]);
    a[2] = 0.5 * (A[3] - A[1]);
  }
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

slStatus sl_position_run(const slPosition* p, const slSoOpt* o, slPositionRun** out, slError* err) {
  return sl_position_run_flags(p, o, SL_RES_FRAMES, out, err);
}

slStatus sl_position_run_flags(const slPosition* p, const slSoOpt* o, int flags,
                               slPositionRun** out, slError* err) {
  *out = NULL;
  slPositionRun* r = calloc(1, sizeof *r);
  if (!r) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  r->nrole = p->nrole;
  r->samples = p->frequency > 0 ? p->samples : 1;
  slStatus st = SL_OK;
  r->time = calloc((size_t)r->samples, sizeof(double));
  if (!r->time) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  const slModel* models[SL_MAXROLE];
  size_t         wmax = 0;
  for (int k = 0; k < p->nrole && st == SL_OK; k++) {
    const slModel* m = p->role[k].model;
    models[k] = m;
    r->q0[k] = calloc((size_t)m->ncoord, sizeof(double));
    r->lumbar[k] = calloc(3 * (size_t)r->samples, sizeof(double));
    if (!r->q0[k] || !r->lumbar[k]) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    int nc = 0;
    for (int j = 0; j < p->ncontact; j++)
      nc += p->contacts[j].body == k || p->contacts[j].other == k;
    if (st == SL_OK) st = sl_results_make(&r->res[k], m, r->samples, nc, flags, err);
    if (sl_motion_work_size(m) > wmax) wmax = sl_motion_work_size(m);
  }
  for (int k = 0; st == SL_OK && k < p->nrole; k++)
    memcpy(r->q0[k], p->q0[k], sizeof(double) * (size_t)p->role[k].model->ncoord);
  slScene* s = NULL;
  double*  work = NULL;
  double*  cf = NULL;
  if (st == SL_OK) st = sl_scene_make(&s, models, p->nrole, p->ncontact > 0 ? p->ncontact : 1, err);
  if (st == SL_OK) {
    work = malloc(sizeof(double) * wmax);
    cf = malloc(sizeof(double) * 3 * (size_t)(p->ncontact + 1));
    if (!work || !cf) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  slMotionRest rest[SL_MAXROLE];
  for (int k = 0; st == SL_OK && k < p->nrole; k++)
    sl_motion_rest(p->role[k].model, sl_scene_data(s, k), r->q0[k], &rest[k]);
  for (int i = 0; st == SL_OK && i < r->samples; i++) {
    double t = p->frequency > 0 ? (double)i / ((double)r->samples * p->frequency) : 0.0;
    r->time[i] = t;
    slSceneInput in;
    memset(&in, 0, sizeof in);
    in.with_inertia = p->frequency > 0 ? 2 : 0;
    in.smooth = 1;
    in.contacts = p->contacts;
    in.ncontact = p->ncontact;
    for (int k = 0; k < p->nrole; k++) {
      const slRole* R = &p->role[k];
      in.loads[k] = R->loads;
      in.nloads[k] = R->nload;
      sl_motion_state(R->model, sl_scene_data(s, k), r->q0[k], &rest[k], &R->motion, p->frequency,
                      t, work);
    }
    sl_scene_step(s, &in, o, cf);
    for (int k = 0; k < p->nrole; k++) {
      const slModel* m = p->role[k].model;
      const slData*  d = sl_scene_data(s, k);
      sl_results_store(r->res[k], i, m, d, p->contacts, p->ncontact, k, cf);
      static const double sign[3] = {-1.0, 1.0, 1.0};
      for (int a = 0; a < 3; a++) {
        double tot = 0.0;
        for (int l = 0; l < SL_NLEVEL; l++) tot += sign[a] * d->q[m->lev_coord[l][a]];
        r->lumbar[k][3 * i + a] = tot;
      }
    }
  }
  free(work);
  free(cf);
  sl_scene_free(s);
  if (st != SL_OK) {
    sl_position_run_free(r);
    return st;
  }
  *out = r;
  return SL_OK;
}
