// sl_run.c: evaluate every posture of a scenario (one body) into an slResults.
#include "sl_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl_h5.h"
#include "sl_layout.h"
#include "sl_math.h"
#include "sl_scenario.h"

slStatus sl_root_motion_spline(const slModel* m, slData* d, const double* qs, size_t stride, int n,
                               const double* time, double lambda, double* out, slError* err) {
  double* y = malloc(sizeof(double) * 36 * (size_t)(n > 0 ? n : 1));  // 12 series, d1 and d2
  if (!y) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  double * d1 = y + 12 * (size_t)n, *d2 = d1 + 12 * (size_t)n;
  slStatus st = SL_OK;
  for (int i = 0; i < n; i++) {
    memcpy(d->q, qs + (size_t)i * stride, sizeof(double) * (size_t)m->ncoord);
    sl_kin_forward(m, d, 0);
    for (int e = 0; e < 9; e++) y[(size_t)e * n + i] = d->xrot[e];
    for (int e = 0; e < 3; e++) y[(size_t)(9 + e) * n + i] = d->xpos[e];
  }
  for (int e = 0; st == SL_OK && e < 12; e++)
    st = sl_smooth_rates(time, y + (size_t)e * n, n, lambda, d1 + (size_t)e * n, d2 + (size_t)e * n,
                         err);
  for (int i = 0; st == SL_OK && i < n; i++) {
    double Rm[9], Rd[9], Rdd[9], W[9], Wd[9], t[9];
    for (int e = 0; e < 9; e++) {
      Rm[e] = y[(size_t)e * n + i], Rd[e] = d1[(size_t)e * n + i], Rdd[e] = d2[(size_t)e * n + i];
    }
    slu_mulmmt3(W, Rd, Rm);  // dR R'
    slu_mulmmt3(Wd, Rdd, Rm);
    slu_mulmmt3(t, Rd, Rd);
    for (int e = 0; e < 9; e++) Wd[e] += t[e];
    double* o = out + 12 * (size_t)i;
    o[0] = 0.5 * (W[7] - W[5]), o[1] = 0.5 * (W[2] - W[6]), o[2] = 0.5 * (W[3] - W[1]);
    o[6] = 0.5 * (Wd[7] - Wd[5]), o[7] = 0.5 * (Wd[2] - Wd[6]), o[8] = 0.5 * (Wd[3] - Wd[1]);
    for (int e = 0; e < 3; e++) {
      o[3 + e] = d1[(size_t)(9 + e) * n + i];
      o[9 + e] = d2[(size_t)(9 + e) * n + i];
    }
  }
  free(y);
  return st;
}

typedef struct RunCtx {
  const slScenario* sc;
  const double*     q;          // (npost x ncoord)
  const double*     rootm;      // (npost x 12) root motion of motion frames with rates, else NULL
  const char*       has_rootm;  // (npost) 1 where rootm holds it
  slResults*        res;
} RunCtx;

static int run_one(void* vctx, slScene* s, long i) {
  RunCtx*                  c = vctx;
  const slModel*           m = c->sc->model;
  const slScenarioPosture* p = &c->sc->post[i];
  slData*                  d = sl_scene_data(s, 0);
  memcpy(d->q, c->q + (size_t)i * (size_t)m->ncoord, sizeof(double) * (size_t)m->ncoord);
  memset(d->qd, 0, sizeof(double) * (size_t)m->ncoord);
  memset(d->qdd, 0, sizeof(double) * (size_t)m->ncoord);
  slSceneInput in;
  memset(&in, 0, sizeof in);
  in.loads[0] = p->loads;
  in.nloads[0] = p->nload;
  in.contacts = p->supports;
  in.ncontact = p->nsupport;
  // a motion frame: the motion's coordinates move (d'Alembert loads from their rates)
  for (int k = 0; k < p->nrate; k++) {
    d->qd[p->rate_coord[k]] = p->rate[k];
    d->qdd[p->rate_coord[k]] = p->accel[k];
  }
  in.with_inertia = p->nrate > 0;
  if (c->has_rootm && c->has_rootm[i]) {
    // the root's motion from the spline through its poses (sl_root_motion_spline)
    memcpy(d->root_motion, c->rootm + 12 * (size_t)i, sizeof d->root_motion);
    sl_kin_forward(m, d, 2);
    in.with_inertia = 2;
  }
  double cf[3 * 64];
  sl_scene_step(s, &in, &c->sc->so, cf);
  sl_results_store_step(c->res, (int)i, m, d, p->supports, p->nsupport, 0, cf, sl_scene_sliding(s),
                        sl_scene_slip_speed(s), sl_scene_contact_points(s));
  return 0;
}

slStatus sl_run_scenario(const slScenario* sc, int nthreads, int flags, slResults** out,
                         slError* err) {
  *out = NULL;
  const slModel* m = sc->model;
  int            maxc = 0;
  for (int i = 0; i < sc->npost; i++)
    if (sc->post[i].nsupport > maxc) maxc = sc->post[i].nsupport;
  if (maxc > 64) return sl_fail(err, SL_ERR_RANGE, sc->post[0].name, "more than 64 supports");
  double*  q = malloc(sizeof(double) * (size_t)sc->npost * (size_t)m->ncoord);
  slData*  d = NULL;
  slStatus st = q ? sl_data_make(m, &d, err) : sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int i = 0; st == SL_OK && i < sc->npost; i++) {
    const slScenarioPosture* sp = &sc->post[i];
    double*                  qi = q + (size_t)i * (size_t)m->ncoord;
    st = sl_posture_to_q(m, d, &sp->posture, qi, err);
    double pitch;
    if (st == SL_OK && sp->balance)
      st = sl_posture_balance(m, d, qi, isnan(sp->posture.pelvis_pos[1]), sp->loads, sp->nload,
                              sp->supports, sp->nsupport, &pitch, err);

    if (st != SL_OK) {
      // name the posture in the message
      char msg[sizeof err->msg];
      if (err) {
        memcpy(msg, err->msg, sizeof msg);
        sl_fail(err, st, sc->post[i].where, "posture '%s': %.600s", sc->post[i].name, msg);
      }
    }
  }
  sl_data_free(d);
  slResults* r = NULL;
  if (st == SL_OK) st = sl_results_make(&r, m, sc->npost, maxc, flags, err);
  if (st == SL_OK) {
    // a motion's frames with rates (consecutive, frame 0 first): the root's motion from its
    // poses, one spline per motion
    double* rootm = calloc((size_t)sc->npost * 12, sizeof(double));
    char*   has = calloc((size_t)sc->npost, 1);
    slData* dk = NULL;
    if (!rootm || !has) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    if (st == SL_OK) st = sl_data_make(m, &dk, err);
    for (int i = 0; st == SL_OK && i < sc->npost;) {
      const slScenarioPosture* sp = &sc->post[i];
      int                      n = 1;
      if (sp->frame != 0 || sp->nrate == 0) {
        i++;
        continue;
      }
      while (i + n < sc->npost && sc->post[i + n].frame == n) n++;
      double* t = malloc(sizeof(double) * (size_t)n);
      if (!t) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
      for (int k = 0; t && k < n; k++) t[k] = sc->post[i + k].time;
      if (st == SL_OK && n >= 2)
        st = sl_root_motion_spline(m, dk, q + (size_t)i * (size_t)m->ncoord, (size_t)m->ncoord, n,
                                   t, sp->smoothing, rootm + 12 * (size_t)i, err);
      for (int k = 0; st == SL_OK && n >= 2 && k < n; k++) has[i + k] = 1;
      free(t);
      i += n;
    }
    sl_data_free(dk);
    RunCtx         c = {sc, q, rootm, has, r};
    const slModel* models[1] = {m};
    if (st == SL_OK)
      st = sl_batch_run(models, 1, maxc > 0 ? maxc : 1, sc->npost, 8, nthreads, run_one, &c, err);
    free(rootm);
    free(has);
  }
  free(q);
  if (st != SL_OK) {
    sl_results_free(r);
    return st;
  }
  *out = r;
  return SL_OK;
}

// write a scenario's results; the file appears at out only if everything succeeded
slStatus sl_run_write_h5(const slScenario* sc, const slResults* r, const char* out, int argc,
                         char** argv, slError* err) {
  const char* scen_path = sc->file;
  slH5*       f = NULL;
  slStatus    st = sl_h5_create(&f, out, err);
  if (st != SL_OK) return st;
  // input files: the scenario and every model file, as their parsers read them
  const slModelSpec* spec = sl_scenario_spec(sc);
  int                nspec = spec ? sl_spec_nfiles(spec) : 0, nf = 0, n = sc->npost;
  const char**       files = calloc((size_t)nspec + 1, sizeof(char*));
  const char**       texts = calloc((size_t)nspec + 1, sizeof(char*));
  const char**       names = calloc((size_t)n + 1, sizeof(char*));  // every posture: no cap
  const char**       descs = calloc((size_t)n + 1, sizeof(char*));
  if (!files || !texts || !names || !descs) st = sl_fail(err, SL_ERR_NOMEM, out, "out of memory");
  if (!st) {
    files[nf] = scen_path;
    texts[nf++] = sc->text;
    for (int i = 0; i < nspec; i++, nf++) files[nf] = sl_spec_file(spec, i, &texts[nf]);
    for (int i = 0; i < n; i++) {
      names[i] = sc->post[i].name;
      descs[i] = sc->post[i].description;
    }
  }
  if (!st) st = sl_results_write_meta(f, argc, argv, files, texts, nf, err);
  const slLayoutItem* M = sl_layout_meta;
  if (!st) st = sl_h5_attr_str(f, SL_LAYOUT_META, M[SL_LMETA_SCENARIO].path, sc->name, err);
  if (!st)
    st = sl_h5_attr_str(f, SL_LAYOUT_META, M[SL_LMETA_SOLVER_CRITERION].path,
                        sl_criterion_name(sc->so.criterion), err);
  if (!st) st = sl_results_write_model(sc->model, f, SL_LAYOUT_MODEL, err);
  const slLayoutItem* P = sl_layout_postures;
  if (!st)
    st = sl_layout_write_strings(f, SL_LAYOUT_POSTURES, &P[SL_LP_NAME], names, (size_t)n, err);
  if (!st)
    st = sl_layout_write_strings(f, SL_LAYOUT_POSTURES, &P[SL_LP_DESCRIPTION], descs, (size_t)n,
                                 err);
  free(files), free(texts), free(names), free(descs);
  if (!st) st = sl_results_write(r, f, SL_LAYOUT_RESULTS, err);
  if (st != SL_OK) {
    sl_h5_abort(f);
    return st;
  }
  return sl_h5_commit(f, err);
}
