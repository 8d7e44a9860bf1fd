// sl_run.c: evaluate every posture of a scenario (one body) into an slResults.
#include "sl_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct RunCtx {
  const slScenario* sc;
  const double*     q;  // (npost x ncoord)
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
  double cf[3 * 64];
  sl_scene_step(s, &in, &c->sc->so, cf);
  sl_results_store(c->res, (int)i, m, d, p->supports, p->nsupport, 0, cf);
  sl_results_store_contacts(c->res, (int)i, p->supports, p->nsupport, 0, sl_scene_sliding(s),
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
    RunCtx         c = {sc, q, r};
    const slModel* models[1] = {m};
    st = sl_batch_run(models, 1, maxc > 0 ? maxc : 1, sc->npost, 8, nthreads, run_one, &c, err);
  }
  free(q);
  if (st != SL_OK) {
    sl_results_free(r);
    return st;
  }
  *out = r;
  return SL_OK;
}
