// sl_figure.c: the figure of a position for `spineload draw`: each partner's stick figure at rest
// and at the two extremes of the thrust cycle, the disc centres and their peak compression, the
// contacts at rest, the extent of the bodies over the cycle and the bed or floor height. Only
// geometry and loads in world coordinates; projecting and drawing are the caller's.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_position.h"

#define HEAD_R 0.09  // head circle radius [m]

// the head circle's centre in the head segment's frame: a little above and in front of its origin
static const double HEAD_UP[3] = {0.02, 0.11, 0};

// limb ends that are not segment origins: hands, toes, heels (segment, landmark)
static const char* const ENDS[][2] = {{"hand_r", "hand_r"},      {"hand_l", "hand_l"},
                                      {"calcn_r", "forefoot_r"}, {"calcn_l", "forefoot_l"},
                                      {"calcn_r", "heel_r"},     {"calcn_l", "heel_l"}};
#define NENDS ((int)(sizeof ENDS / sizeof ENDS[0]))

static const double* seg_pos(const slResults* r, int i, int seg) {
  return r->seg_pos + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 3;
}

static void world_point(const slResults* r, int i, int seg, const double* local, double* w) {
  const double* p = seg_pos(r, i, seg);
  const double* R = r->seg_rot + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 9;
  for (int k = 0; k < 3; k++)
    w[k] = p[k] + R[3 * k] * local[0] + R[3 * k + 1] * local[1] + R[3 * k + 2] * local[2];
}

static void grow(double* lo, double* hi, const double* w, double pad) {
  for (int k = 0; k < 3; k++) lo[k] = fmin(lo[k], w[k] - pad), hi[k] = fmax(hi[k], w[k] + pad);
}

static slStatus pose_make(slFigurePose* p, const slModel* m, const slResults* r, int i,
                          slError* err) {
  p->sample = i;
  p->origin = malloc(sizeof(double) * 3 * (size_t)m->nseg);
  p->bone = malloc(sizeof(double) * 6 * (size_t)(m->nseg + NENDS));
  if (!p->origin || !p->bone) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  memcpy(p->origin, seg_pos(r, i, 0), sizeof(double) * 3 * (size_t)m->nseg);
  for (int g = 1; g < m->nseg; g++) {
    int par = m->seg_parent[g];
    if (par < 0) continue;
    memcpy(p->bone + 6 * p->nbone, seg_pos(r, i, par), sizeof(double) * 3);
    memcpy(p->bone + 6 * p->nbone + 3, seg_pos(r, i, g), sizeof(double) * 3);
    p->nbone++;
  }
  for (int e = 0; e < NENDS; e++) {
    int g = sl_model_segment(m, ENDS[e][0]), l = sl_model_landmark(m, ENDS[e][1]);
    if (g < 0 || l < 0) continue;
    memcpy(p->bone + 6 * p->nbone, seg_pos(r, i, g), sizeof(double) * 3);
    world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, p->bone + 6 * p->nbone + 3);
    p->nbone++;
  }
  int head = sl_model_segment(m, "head");
  p->has_head = head >= 0;
  if (p->has_head) world_point(r, i, head, HEAD_UP, p->head);
  memcpy(p->disc, r->lev_pos + (size_t)i * SL_NLEVEL * 3, sizeof p->disc);
  return SL_OK;
}

// contact k of a role's results: its kind. The results hold the contacts of the position that
// involve the role, in the position's order.
static int contact_kind(const slPosition* P, int role, int k) {
  for (int j = 0, idx = 0; j < P->ncontact; j++) {
    const slContact* c = &P->contacts[j];
    if (c->body != role && c->other != role) continue;
    if (idx++ == k) return c->other < 0 ? SL_FIGURE_SUPPORT : SL_FIGURE_PARTNER;
  }
  return 0;
}

static slStatus role_make(slFigureRole* fr, const slPosition* P, const slPositionRun* R, int k,
                          const int* sample, int npose, slError* err) {
  const slModel*   m = P->role[k].model;
  const slResults* r = R->res[k];
  snprintf(fr->name, sizeof fr->name, "%s", P->role[k].name);
  fr->sex = m->sex, fr->body_mass = m->body_mass, fr->height = m->height, fr->nseg = m->nseg;
  for (int x = 0; x < npose; x++) {
    slStatus st = pose_make(&fr->pose[x], m, r, sample[x], err);
    if (st != SL_OK) return st;
  }
  // the pelvis frame at rest (the root segment where a model has no pelvis): columns of its
  // rotation are its anterior, superior and right axes in world
  int           pelvis = sl_model_segment(m, "pelvis");
  const double* Rp =
      r->seg_rot + ((size_t)sample[0] * (size_t)r->nseg + (size_t)(pelvis >= 0 ? pelvis : 0)) * 9;
  for (int c = 0; c < 3; c++) fr->superior[c] = Rp[3 * c + 1], fr->lateral[c] = Rp[3 * c + 2];
  int head = sl_model_segment(m, "head");
  for (int c = 0; c < 3; c++) fr->lo[c] = INFINITY, fr->hi[c] = -INFINITY;
  for (int i = 0; i < r->n; i++) {
    double w[3];
    for (int s = 0; s < m->nseg; s++) grow(fr->lo, fr->hi, seg_pos(r, i, s), 0.0);
    for (int l = 0; l < m->nland; l++) {
      world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, w);
      grow(fr->lo, fr->hi, w, 0.0);
    }
    if (head >= 0) {
      world_point(r, i, head, HEAD_UP, w);
      grow(fr->lo, fr->hi, w, HEAD_R);
    }
  }
  for (int l = 0; l < SL_NLEVEL; l++)
    for (int i = 0; i < r->n; i++)
      fr->disc_peak[l] = fmax(fr->disc_peak[l], r->comp[(size_t)i * SL_NLEVEL + l]);
  fr->ncontact = r->maxcontact;
  fr->contact = calloc((size_t)r->maxcontact + 1, sizeof *fr->contact);
  if (!fr->contact) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int c = 0; c < r->maxcontact; c++) {
    fr->contact[c].kind = contact_kind(P, k, c);
    memcpy(fr->contact[c].point, r->contact_pos + 3 * (size_t)c, sizeof(double) * 3);
    memcpy(fr->contact[c].force, r->contact_force + 3 * (size_t)c, sizeof(double) * 3);
  }
  slMetrics mt;
  sl_metrics_compute(R, k, &mt);
  memcpy(fr->peak_comp, mt.peak_comp, sizeof fr->peak_comp);
  fr->load_index = mt.load_index, fr->flex_rom = mt.peak_flex_rom, fr->ext_rom = mt.peak_ext_rom;
  fr->flagged = mt.flagged;
  return SL_OK;
}

// the supports at rest and the height of the bed or floor under them
static slStatus supports_make(slFigure* F, const slPosition* P, const slPositionRun* R,
                              slError* err) {
  F->support = malloc(sizeof(double) * 3 * ((size_t)P->ncontact + 1));
  if (!F->support) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  F->floor_y = INFINITY;
  for (int k = 0; k < F->nrole; k++)
    for (int c = 0; c < F->role[k].ncontact; c++) {
      const slFigureContact* fc = &F->role[k].contact[c];
      if (fc->kind != SL_FIGURE_SUPPORT) continue;
      memcpy(F->support + 3 * F->nsupport++, fc->point, sizeof fc->point);
      F->floor_y = fmin(F->floor_y, fc->point[1]);
    }
  if (F->nsupport == 0) {  // no supports: the lowest landmark of the first role
    const slModel* m = P->role[0].model;
    for (int l = 0; l < m->nland; l++) {
      double w[3];
      world_point(R->res[0], 0, m->land_seg[l], m->land_pos + 3 * l, w);
      F->floor_y = fmin(F->floor_y, w[1]);
    }
  }
  return SL_OK;
}

static slStatus figure_make(slFigure* F, const slPosition* P, const slPositionRun* R,
                            slError* err) {
  snprintf(F->title, sizeof F->title, "%s", P->title);
  snprintf(F->description, sizeof F->description, "%s", P->description);
  F->frequency = P->frequency, F->samples = R->samples, F->npartner = P->npartner;
  F->head_r = HEAD_R, F->nrole = P->nrole;
  // rest (0) and the extremes of the oscillation (a quarter and three quarters)
  int n = R->samples, sample[SL_FIGURE_MAXPOSE] = {0, n / 4, (3 * n) / 4};
  F->npose = n > 1 ? SL_FIGURE_MAXPOSE : 1;
  for (int k = 0; k < P->nrole; k++) {
    slStatus st = role_make(&F->role[k], P, R, k, sample, F->npose, err);
    if (st != SL_OK) return st;
  }
  return supports_make(F, P, R, err);
}

slStatus sl_figure_make(slFigure** fig, const char* position_path, const slOverride* ov, int nov,
                        slError* err) {
  *fig = NULL;
  slSoOpt        so = sl_so_opt_default();
  slMotionOpt    mot = sl_motion_opt_default();
  slPosition*    P = NULL;
  slPositionRun* R = NULL;
  int            nrest = 0;
  slOverride*    rest = malloc(sizeof *rest * ((size_t)(nov > 0 ? nov : 0) + 1));
  slFigure*      F = calloc(1, sizeof *F);
  slStatus       st = rest && F ? SL_OK : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  if (st == SL_OK) st = sl_overrides_apply(ov, nov, rest, &nrest, &so, err);
  if (st == SL_OK) st = sl_motion_opt_set(&mot, rest, nrest, err);
  if (st == SL_OK) st = sl_position_load(&P, position_path, &mot, rest, nrest, err);
  if (st == SL_OK) st = sl_position_run_flags(P, &so, SL_RES_FRAMES, &R, err);
  if (st == SL_OK) st = figure_make(F, P, R, err);
  sl_position_run_free(R);
  sl_position_free(P);
  free(rest);
  if (st != SL_OK) {
    sl_figure_free(F);
    return st;
  }
  *fig = F;
  return SL_OK;
}

int sl_rank_npositions(const slRank* rk) {
  return rk ? rk->np : 0;
}

slStatus sl_rank_figure(const slRank* rk, int p, slFigure** fig, slError* err) {
  *fig = NULL;
  if (!rk || p < 0 || p >= rk->np)
    return sl_fail(err, SL_ERR_ARG, "", "sl_rank_figure: no position %d", p);
  slFigure* F = calloc(1, sizeof *F);
  slStatus  st =
      F ? figure_make(F, rk->P[p], rk->R[p], err) : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  if (st != SL_OK) {
    sl_figure_free(F);
    return st;
  }
  *fig = F;
  return SL_OK;
}

void sl_figure_free(slFigure* fig) {
  if (!fig) return;
  for (int k = 0; k < SL_FIGURE_MAXROLE; k++) {
    for (int x = 0; x < SL_FIGURE_MAXPOSE; x++) {
      free(fig->role[k].pose[x].origin);
      free(fig->role[k].pose[x].bone);
    }
    free(fig->role[k].contact);
  }
  free(fig->support);
  free(fig);
}
