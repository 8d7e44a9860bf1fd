// sl_validate.c: a scenario's postures run and compared with measured L4/L5 intradiscal
// pressures, each posture explained (geometry, held loads, moment split, compression parts).
#include "spineload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_csv.h"
#include "sl_position.h"
#include "sl_run.h"
#include "sl_stats.h"

#define LEVEL_L4L5 1

struct slValidation {
  slScenario*         sc;  // owns every name the rows and explanations point to
  slValidationSummary sum;
  slValidationRow*    row;    // (n)
  slExplain*          ex;     // (n)
  slExplainLoad*      loads;  // the explanations' loads, row after row
  slExplainPart*      parts;  // the explanations' parts (n x npart)
  slExplainSaturated* sat;    // the explanations' saturated groups (n x ngroup)
};

// insertion sort of ord[0..n) by |P| descending; stable, so equal magnitudes keep part order
static void sort_parts(const double* P, int* ord, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && fabs(P[ord[j]]) > fabs(P[ord[j - 1]]); j--) {
      int t = ord[j];
      ord[j] = ord[j - 1], ord[j - 1] = t;
    }
}

// posture k's explanation from its results (d: a workspace, kinematics are recomputed)
// every level's flexion/extension balance and the fascicles at maximum force (d: kinematics of
// posture k done; gm: ngroup scratch)
static void explain_muscles(const slModel* m, const slResults* r, int k, slData* d, slExplain* ex,
                            slExplainSaturated* sat, double* gm) {
  sl_muscle_geometry(m, d);
  const double* f = r->mus_force + (size_t)k * (size_t)m->nmus;
  for (int l = 0; l < SL_NLEVEL; l++) {
    size_t          K = (size_t)k * SL_NLDOF + 3 * (size_t)l;
    slExplainLevel* L = &ex->level[l];
    *L = (slExplainLevel){.name = m->lev_name[l],
                          .demand = r->tau[K],
                          .passive = r->pas_moment[K],
                          .iap = r->iap_moment[K],
                          .reserve = r->reserve[K]};
    for (int g = 0; g < m->ngroup; g++) gm[g] = 0.0;
    for (int i = 0; i < m->nmus; i++) {
      double t = d->mus_R[(size_t)i * SL_NLDOF + 3 * (size_t)l] * f[i];
      if (t > 0)
        L->extending += t;
      else
        L->flexing += t;
      gm[m->mus_group[i]] += t;
    }
    L->contacts = L->demand - L->passive - L->iap - L->reserve - L->extending - L->flexing;
    for (int g = 0; g < m->ngroup; g++)
      if (gm[g] * L->demand < 0 && fabs(gm[g]) > fabs(L->antagonist_moment))
        L->antagonist = m->group_name[g], L->antagonist_moment = gm[g];
  }
  // saturated fascicles by group, most first (a stable selection, ties in group order); gm now
  // counts them
  for (int g = 0; g < m->ngroup; g++) gm[g] = 0.0;
  ex->nsaturated = 0;
  for (int i = 0; i < m->nmus; i++)
    if (m->mus_fmax[i] > 0 && f[i] >= 0.999 * m->mus_fmax[i])
      gm[m->mus_group[i]] += 1.0, ex->nsaturated++;
  ex->nsat_group = 0;
  for (;;) {
    int best = -1;
    for (int g = 0; g < m->ngroup; g++)
      if (gm[g] > 0 && (best < 0 || gm[g] > gm[best])) best = g;
    if (best < 0) break;
    sat[ex->nsat_group++] = (slExplainSaturated){m->group_name[best], (int)gm[best]};
    gm[best] = 0.0;
  }
  ex->sat_group = sat;
}

static void explain(const slScenario* sc, const slResults* r, int k, slData* d, slExplain* ex,
                    slExplainLoad* loads, slExplainPart* parts, int* ord) {
  const slModel*           m = sc->model;
  const slScenarioPosture* sp = &sc->post[k];
  const double*            q = r->q + (size_t)k * (size_t)m->ncoord;
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  // geometry
  double flex = 0.0;
  for (int l = 0; l < SL_NLEVEL; l++) flex -= q[m->lev_coord[l][0]];
  int           torso = m->lev_seg[SL_NLEVEL - 1], tilt = sl_model_coord(m, "pelvis_tilt");
  const double* Rt = d->xrot + 9 * torso;
  const double* c = d->lev_xpos[LEVEL_L4L5];
  ex->flexion_deg = flex / SL_DEG;
  ex->flexion_range_deg = SL_ROM_FLEXION;
  ex->flexion_pct = 100 * flex / SL_DEG / SL_ROM_FLEXION;
  ex->pelvis_tilt_deg = tilt >= 0 ? q[tilt] / SL_DEG : 0.0;
  ex->thorax_lean_deg = atan2(Rt[1], Rt[4]) / SL_DEG;  // forward lean of the thorax long axis
  // held loads
  int chest = sl_model_landmark(m, "chest");
  ex->nload = sp->nload;
  ex->load = loads;
  for (int j = 0; j < sp->nload; j++) {
    const slPointLoad* L = &sp->loads[j];
    slExplainLoad*     o = &loads[j];
    double             p[3], g = -m->gravity[1];
    sl_kin_point(m, d, L->seg, L->pos, p);
    o->kg = g > 0 ? -L->force[1] / g : 0.0;
    o->segment = m->seg_name[L->seg];
    o->from_l4l5[0] = p[0] - c[0], o->from_l4l5[1] = p[1] - c[1];
    o->has_sternum = chest >= 0;
    o->from_sternum[0] = o->from_sternum[1] = 0.0;
    if (chest >= 0) {
      double h[3];
      sl_kin_landmark(m, d, chest, h);
      o->from_sternum[0] = p[0] - h[0], o->from_sternum[1] = p[1] - h[1];
    }
  }
  // balance
  double cx = 0.0;
  for (int i = 0; i < m->nseg; i++) cx += m->seg_mass[i] * d->xcom[3 * i] / m->total_mass;
  double lo = INFINITY, hi = -INFINITY;
  for (int j = 0; j < sp->nsupport; j++) {
    double p[3];
    sl_kin_landmark(m, d, sp->supports[j].land, p);
    lo = fmin(lo, p[0]), hi = fmax(hi, p[0]);
  }
  ex->has_support = sp->nsupport > 0;
  ex->com_from_l4l5 = cx - c[0];
  ex->support_lo = lo, ex->support_hi = hi, ex->com_x = cx;
  // moments at L4/L5, flexion/extension
  size_t K = (size_t)k * SL_NLDOF + 3 * LEVEL_L4L5;
  ex->moment = r->tau[K];
  ex->passive = r->pas_moment[K];
  ex->iap_moment = r->iap_moment[K];
  ex->iap_kpa = r->iap[k];
  ex->reserve = r->reserve[K];
  ex->remaining = ex->moment - ex->passive - ex->iap_moment - ex->reserve;
  // compression parts: those of at least 0.5 N (the ones worth printing) sorted on their own, so
  // the small ones (or a NaN) cannot reorder them; then the small ones
  int           np = r->npart, n = 0;
  const double* P = r->comp_parts + ((size_t)k * SL_NLEVEL + LEVEL_L4L5) * (size_t)np;
  for (int j = 0; j < np; j++)
    if (fabs(P[j]) >= 0.5) ord[n++] = j;
  sort_parts(P, ord, n);
  ex->nmajor = n;
  for (int j = 0; j < np; j++)
    if (!(fabs(P[j]) >= 0.5)) ord[n++] = j;
  sort_parts(P, ord + ex->nmajor, n - ex->nmajor);
  for (int j = 0; j < np; j++) parts[j] = (slExplainPart){sl_part_name(m, ord[j]), P[ord[j]]};
  ex->compression = r->comp[(size_t)k * SL_NLEVEL + LEVEL_L4L5];
  ex->npart = np;
  ex->part = parts;
  // joints: the three closest to their strength
  ex->njoint = 0;
  if (r->njdof > 0) {
    const double* sh = r->jdof_share + (size_t)k * (size_t)r->njdof;
    const double* tq = r->jdof_torque + (size_t)k * (size_t)r->njdof;
    int           best[3] = {-1, -1, -1};
    for (int j = 0; j < r->njdof; j++)
      for (int b = 0; b < 3; b++)
        if (best[b] < 0 || sh[j] > sh[best[b]]) {
          for (int t = 2; t > b; t--) best[t] = best[t - 1];
          best[b] = j;
          break;
        }
    for (int b = 0; b < 3 && best[b] >= 0; b++)
      ex->joint[ex->njoint++] =
          (slExplainJoint){m->coord_name[m->jdof_coord[best[b]]], tq[best[b]], sh[best[b]]};
  }
}

// the rows: each measured posture found in the scenario and its pressure read; then the
// statistics and the explanations
static slStatus compare(slValidation* v, const char* scenario, const slCsv* csv, const slResults* r,
                        slError* err) {
  const slScenario* sc = v->sc;
  int               cp = sl_csv_colidx(csv, "posture"), cm = sl_csv_colidx(csv, "measured_idp_MPa");
  int               n = csv->nrow;
  double*           meas = calloc((size_t)n + 1, sizeof(double));
  double*           sim = calloc((size_t)n + 1, sizeof(double));
  double*           work = calloc(4 * (size_t)n + 4, sizeof(double));
  int*              idx = calloc((size_t)n + 1, sizeof(int));
  int*              ord = calloc((size_t)r->npart + 1, sizeof(int));
  int               ng = sc->model->ngroup;
  double*           gm = calloc((size_t)ng + 1, sizeof(double));
  slStatus          st = SL_OK;
  v->row = calloc((size_t)n + 1, sizeof *v->row);
  v->ex = calloc((size_t)n + 1, sizeof *v->ex);
  if (!meas || !sim || !work || !idx || !ord || !gm || !v->row || !v->ex)
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  int nload = 0;
  for (int i = 0; st == SL_OK && i < n; i++) {
    const char* name = csv->cell[(size_t)i * (size_t)csv->ncol + (size_t)cp];
    idx[i] = -1;
    for (int k = 0; k < sc->npost; k++)
      if (!strcmp(sc->post[k].name, name)) idx[i] = k;
    if (idx[i] < 0) {
      char w[512];
      sl_csv_where(csv, i, cp, w, sizeof w);
      st = sl_fail(err, SL_ERR_KEY, w, "posture '%s' is not in %s", name, scenario);
      break;
    }
    st = sl_csv_num(csv, i, cm, 0, 100, "MPa", &meas[i], err);
    if (st != SL_OK) break;
    int k = idx[i];
    sim[i] = r->idp[(size_t)k * SL_NLEVEL + LEVEL_L4L5];
    v->row[i] = (slValidationRow){.name = sc->post[k].name,
                                  .description = sc->post[k].description,
                                  .measured = meas[i],
                                  .simulated = sim[i],
                                  .difference = sim[i] - meas[i],
                                  .compression = r->comp[(size_t)k * SL_NLEVEL + LEVEL_L4L5],
                                  .status = r->status[k],
                                  .status_str = sl_so_status_str(r->status[k])};
    v->sum.flagged += r->status[k] != SL_SO_CONVERGED;
    nload += sc->post[k].nload;
  }
  if (st == SL_OK) {
    v->sum.n = n;
    v->sum.pearson = sl_pearson(meas, sim, n);
    v->sum.spearman = sl_spearman(meas, sim, n, work);
    v->sum.rmse = sl_rmse(meas, sim, n);
    v->loads = calloc((size_t)nload + 1, sizeof *v->loads);
    v->parts = calloc((size_t)n * (size_t)r->npart + 1, sizeof *v->parts);
    v->sat = calloc((size_t)n * (size_t)ng + 1, sizeof *v->sat);
    if (!v->loads || !v->parts || !v->sat) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  slData* d = NULL;
  if (st == SL_OK) st = sl_data_make(sc->model, &d, err);
  for (int i = 0, l = 0; st == SL_OK && i < n; i++) {
    explain(sc, r, idx[i], d, &v->ex[i], v->loads + l, v->parts + (size_t)i * (size_t)r->npart,
            ord);
    explain_muscles(sc->model, r, idx[i], d, &v->ex[i], v->sat + (size_t)i * (size_t)ng, gm);
    l += v->ex[i].nload;
  }
  sl_data_free(d);
  free(meas), free(sim), free(work), free(idx), free(ord), free(gm);
  return st;
}

slStatus sl_validate(const char* scenario, const char* measured_csv, const slOverride* ov, int nov,
                     int nthreads, slValidation** out, slError* err) {
  *out = NULL;
  slValidation* v = calloc(1, sizeof *v);
  if (!v) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  slCsv*                   csv = NULL;
  slResults*               r = NULL;
  static const char* const cols[] = {"posture", "measured_idp_MPa", NULL};
  slStatus                 st = sl_scenario_load(&v->sc, scenario, ov, nov, err);
  if (st == SL_OK) st = sl_csv_load(&csv, measured_csv, err);
  if (st == SL_OK) st = sl_csv_require(csv, cols, err);
  if (st == SL_OK) st = sl_run_scenario(v->sc, nthreads, 0, &r, err);
  if (st == SL_OK) st = compare(v, scenario, csv, r, err);
  if (st == SL_OK) {
    const slModel* m = v->sc->model;
    v->sum.model = m->name;
    v->sum.body_mass = m->body_mass;
    v->sum.height = m->height;
    v->sum.criterion = sl_criterion_name(v->sc->so.criterion);
  }
  sl_results_free(r);
  sl_csv_free(csv);
  if (st != SL_OK) {
    sl_validation_free(v);
    return st;
  }
  *out = v;
  return SL_OK;
}

void sl_validation_free(slValidation* v) {
  if (!v) return;
  sl_scenario_free(v->sc);
  free(v->row), free(v->ex), free(v->loads), free(v->parts), free(v->sat);
  free(v);
}

const slValidationSummary* sl_validation_summary(const slValidation* v) {
  return &v->sum;
}

const slValidationRow* sl_validation_row(const slValidation* v, int i) {
  return i >= 0 && i < v->sum.n ? &v->row[i] : NULL;
}

const slExplain* sl_validation_explain(const slValidation* v, int i) {
  return i >= 0 && i < v->sum.n ? &v->ex[i] : NULL;
}
