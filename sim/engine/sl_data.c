// sl_data.c: the per-thread workspace, one allocation sized from the model.
#include <stdlib.h>
#include <string.h>

#include "sl_muscle.h"
#include "spineload.h"

typedef struct Carve {
  char*  base;
  size_t off;
} Carve;

static double* carve(Carve* c, size_t n) {
  size_t off = (c->off + 63) & ~(size_t)63;
  c->off = off + sizeof(double) * (n ? n : 1);
  return c->base ? (double*)(c->base + off) : NULL;
}

static void data_layout(Carve* c, const slModel* m, slData* d) {
  size_t ns = (size_t)m->nseg;
  d->q = carve(c, (size_t)m->ncoord);
  d->qd = carve(c, (size_t)m->ncoord);
  d->qdd = carve(c, (size_t)m->ncoord);
  d->xpos = carve(c, 3 * ns);
  d->xrot = carve(c, 9 * ns);
  d->xcom = carve(c, 3 * ns);
  d->xjnt = carve(c, 3 * ns);
  d->xaxis = carve(c, 3 * (size_t)m->naxis);
  d->axis_df = carve(c, (size_t)m->naxis);
  d->jdof_tau = carve(c, (size_t)m->njdof);
  d->sub_fm = carve(c, 6 * ns);
  d->jdof_torque = carve(c, (size_t)m->njdof);
  d->jdof_share = carve(c, (size_t)m->njdof);
  d->jdof_reserve = carve(c, (size_t)m->njdof);
  d->comp_parts = carve(c, (size_t)SL_NLEVEL * (size_t)sl_part_count(m));
  d->cvel = carve(c, 6 * ns);
  d->cacc = carve(c, 6 * ns);
  d->ovel = carve(c, 3 * ns);
  d->oacc = carve(c, 3 * ns);
  d->pt_xpos = carve(c, 3 * (size_t)m->npt);
  d->mus_len = carve(c, (size_t)m->nmus);
  d->mus_R = carve(c, (size_t)SL_NLDOF * (size_t)m->nmus);
  d->pc_u = carve(c, 3 * (size_t)m->npt);
  d->cross_u = carve(c, 3 * (size_t)m->ncross);
  d->mus_pull = carve(c, m->nmwrap > 0 ? 3 * SL_NLEVEL * (size_t)m->nmus : 0);
  d->mus_force = carve(c, (size_t)m->nmus);
  d->ext_force = carve(c, 3 * ns);
  d->ext_torque = carve(c, 3 * ns);
  d->geo = carve(c, sl_muscle_scratch(m));
  d->axis_f = carve(c, 3 * (size_t)m->naxis);
}

slStatus sl_data_make(const slModel* m, slData** out, slError* err) {
  *out = NULL;
  slData tmp;
  memset(&tmp, 0, sizeof tmp);
  Carve c = {NULL, 0};
  data_layout(&c, m, &tmp);
  size_t  bytes = sizeof(slData) + 64 + c.off;
  slData* d = calloc(1, bytes);
  if (!d) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for the workspace");
  c.base = (char*)(((size_t)((char*)d + sizeof(slData)) + 63) & ~(size_t)63);
  c.off = 0;
  data_layout(&c, m, d);
  memcpy(d->q, m->coord_default, sizeof(double) * (size_t)m->ncoord);
  *out = d;
  return SL_OK;
}

slStatus sl_data_remake(const slModel* m, slData** d, size_t* cap, slError* err) {
  slData tmp;
  memset(&tmp, 0, sizeof tmp);
  Carve c = {NULL, 0};
  data_layout(&c, m, &tmp);
  size_t bytes = sizeof(slData) + 64 + c.off;
  if (!*d || *cap < bytes) {
    sl_data_free(*d);
    *d = NULL;
    *cap = 0;
    slStatus st = sl_data_make(m, d, err);
    if (st == SL_OK) *cap = bytes;
    return st;
  }
  // what calloc gave sl_data_make: zeros over the layout, then the model's default posture
  memset(*d, 0, bytes);
  c.base = (char*)(((size_t)((char*)*d + sizeof(slData)) + 63) & ~(size_t)63);
  c.off = 0;
  data_layout(&c, m, *d);
  memcpy((*d)->q, m->coord_default, sizeof(double) * (size_t)m->ncoord);
  return SL_OK;
}

void sl_data_free(slData* d) {
  free(d);
}

// ---- disc-load parts ----------------------------------------------------------------------------
int sl_part_count(const slModel* m) {
  return SL_PART_MUSCLE0 + m->ngroup;
}

const char* sl_part_name(const slModel* m, int k) {
  static const char* const fixed[SL_PART_MUSCLE0] = {"body weight and inertia", "held loads",
                                                     "posterior ligaments",
                                                     "intra-abdominal pressure", "contacts"};
  if (k >= 0 && k < SL_PART_MUSCLE0) return fixed[k];
  if (k >= SL_PART_MUSCLE0 && k < sl_part_count(m)) return m->group_name[k - SL_PART_MUSCLE0];
  return "unknown";
}
