// sl_results.c: per-posture results of one body; allocated, freed and written from its layout table
// (sl_layout_results), with the /model and /meta groups.
#include "sl_results.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"
#include "sl_io.h"
#include "sl_la.h"
#include "sl_layout.h"
#include "sl_math.h"

#define NL SL_NLEVEL

// the results group's sizes (contacts: at least one column, as stored)
static slLayoutSizes sizes_of(const slResults* r) {
  slLayoutSizes z = {0};
  z.rows = (size_t)r->n;
  z.ncoord = (size_t)r->ncoord;
  z.nmus = (size_t)r->nmus;
  z.nseg = (size_t)r->nseg;
  z.ncontact = (size_t)(r->maxcontact > 0 ? r->maxcontact : 1);
  z.njdof = (size_t)r->njdof;
  z.npart = (size_t)r->npart;
  return z;
}

// the data pointer of a results dataset
static void** field(slResults* r, const slLayoutItem* it) {
  return (void**)((char*)r + it->off);
}

// whether a results dataset is stored (allocated) and written
static int wanted(const slResults* r, const slLayoutItem* it, int writing) {
  switch (it->when) {
    case SL_LW_MOMENT_ARMS:
      return (r->flags & SL_RES_MOMENT_ARMS) != 0;
    case SL_LW_FRAMES:
      return (r->flags & SL_RES_FRAMES) != 0;
    case SL_LW_CONTACTS:
      return !writing || r->maxcontact > 0;
    case SL_LW_JOINTS:
      return !writing || r->njdof > 0;
    default:
      return 1;
  }
}

void sl_results_free(slResults* r) {
  if (!r) return;
  for (int k = 0; k < SL_LR_COUNT; k++) free(*field(r, &sl_layout_results[k]));
  free(r);
}

// Every dataset of the layout, at least one row: allocated zeroed (clear 0), or zeroed again
// (clear 1: r already has them for its shape). 0 when out of memory.
static int arrays(slResults* r, int clear) {
  slLayoutSizes z = sizes_of(r);
  z.rows = (size_t)(r->n > 0 ? r->n : 1);
  int ok = 1;
  for (int k = 0; k < SL_LR_COUNT && ok; k++) {
    const slLayoutItem* it = &sl_layout_results[k];
    if (!wanted(r, it, 0)) continue;
    size_t dims[4];
    sl_layout_dims(it, &z, dims);
    size_t count = dims[0] * dims[1] * dims[2] * dims[3];
    size_t size = it->type == SL_H5_I32 ? sizeof(int) : sizeof(double);
    void** p = field(r, it);
    if (clear)
      memset(*p, 0, count * size);
    else
      ok = (*p = calloc(count, size)) != NULL;
  }
  return ok;
}

slStatus sl_results_make(slResults** out, const slModel* m, int n, int maxcontact, int flags,
                         slError* err) {
  *out = NULL;
  slResults* r = calloc(1, sizeof *r);
  if (!r) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for results");
  r->n = n;
  r->ncoord = m->ncoord;
  r->nseg = m->nseg;
  r->nmus = m->nmus;
  r->maxcontact = maxcontact;
  r->flags = flags;
  r->njdof = m->njdof;
  r->npart = sl_part_count(m);
  if (!arrays(r, 0)) {
    sl_results_free(r);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for results of %d postures", n);
  }
  *out = r;
  return SL_OK;
}

slStatus sl_results_remake(slResults** r, const slModel* m, int n, int maxcontact, int flags,
                           slError* err) {
  slResults* o = *r;
  if (o && o->n == n && o->ncoord == m->ncoord && o->nseg == m->nseg && o->nmus == m->nmus &&
      o->maxcontact == maxcontact && o->flags == flags && o->njdof == m->njdof &&
      o->npart == sl_part_count(m)) {
    arrays(o, 1);
    return SL_OK;
  }
  sl_results_free(o);
  return sl_results_make(r, m, n, maxcontact, flags, err);
}

// points: the scene's contact points (sl_scene_contact_points, 6 per contact) or NULL for the
// landmarks
static void store_posture(slResults* r, int i, const slModel* m, const slData* d,
                          const slContact* contacts, int ncontact, int body,
                          const double* contact_force, const double* points) {
  size_t I = (size_t)i;
  memcpy(r->q + I * (size_t)m->ncoord, d->q, sizeof(double) * (size_t)m->ncoord);
  r->status[i] = d->so.status;
  r->iter[i] = d->so.iter;
  r->resid[i] = d->so.resid;
  r->max_reserve[i] = d->so.max_reserve;
  r->cost[i] = d->so.cost;
  memcpy(r->reserve + I * SL_NLDOF, d->reserve, sizeof d->reserve);
  memcpy(r->root_reserve + I * 6, d->root_reserve, sizeof d->root_reserve);
  memcpy(r->demand_force + I * 3 * NL, d->demand_force, sizeof d->demand_force);
  memcpy(r->demand_moment + I * 3 * NL, d->demand_moment, sizeof d->demand_moment);
  memcpy(r->tau + I * SL_NLDOF, d->tau, sizeof d->tau);
  memcpy(r->pas_moment + I * SL_NLDOF, d->pas_moment, sizeof d->pas_moment);
  memcpy(r->lig_force + I * NL, d->lig_force, sizeof d->lig_force);
  memcpy(r->disc_frame + I * 9 * NL, d->disc_rot, sizeof d->disc_rot);
  memcpy(r->lev_pos + I * 3 * NL, d->lev_xpos, sizeof d->lev_xpos);
  memcpy(r->comp + I * NL, d->disc_comp, sizeof d->disc_comp);
  memcpy(r->shear_ap + I * NL, d->disc_shear_ap, sizeof d->disc_shear_ap);
  memcpy(r->shear_lat + I * NL, d->disc_shear_lat, sizeof d->disc_shear_lat);
  memcpy(r->resultant + I * NL, d->disc_res, sizeof d->disc_res);
  for (int l = 0; l < NL; l++) r->idp[I * NL + (size_t)l] = d->disc_idp[l] * 1e-6;
  memcpy(r->mus_force + I * (size_t)m->nmus, d->mus_force, sizeof(double) * (size_t)m->nmus);
  memcpy(r->mus_len + I * (size_t)m->nmus, d->mus_len, sizeof(double) * (size_t)m->nmus);
  size_t nj = (size_t)m->njdof;
  if (nj) {
    memcpy(r->jdof_tau + I * nj, d->jdof_tau, sizeof(double) * nj);
    memcpy(r->jdof_torque + I * nj, d->jdof_torque, sizeof(double) * nj);
    memcpy(r->jdof_share + I * nj, d->jdof_share, sizeof(double) * nj);
    memcpy(r->jdof_reserve + I * nj, d->jdof_reserve, sizeof(double) * nj);
  }
  r->iap[i] = d->iap * 1e-3;
  slu_copy3(r->iap_force + 3 * I, d->iap_force);
  double fi = slu_norm3(d->iap_force);
  for (int k = 0; k < SL_NLDOF; k++) r->iap_moment[I * SL_NLDOF + (size_t)k] = d->iap_R[k] * fi;
  memcpy(r->comp_parts + I * NL * (size_t)r->npart, d->comp_parts,
         sizeof(double) * NL * (size_t)r->npart);
  if (r->mus_R) {
    // stored as (18 x nmus) per posture: row = dof
    double* R = r->mus_R + I * SL_NLDOF * (size_t)m->nmus;
    for (int k = 0; k < SL_NLDOF; k++)
      for (int j = 0; j < m->nmus; j++)
        R[(size_t)k * (size_t)m->nmus + (size_t)j] = d->mus_R[(size_t)j * SL_NLDOF + (size_t)k];
  }
  if (r->seg_pos) {
    memcpy(r->seg_pos + I * 3 * (size_t)m->nseg, d->xpos, sizeof(double) * 3 * (size_t)m->nseg);
    memcpy(r->seg_rot + I * 9 * (size_t)m->nseg, d->xrot, sizeof(double) * 9 * (size_t)m->nseg);
  }
  double c[3] = {0, 0, 0};
  for (int s = 0; s < m->nseg; s++) slu_addscl3(c, d->xcom + 3 * s, m->seg_mass[s] / m->total_mass);
  slu_copy3(r->com + 3 * I, c);
  int     mc = r->maxcontact > 0 ? r->maxcontact : 1;
  double* cf = r->contact_force + I * 3 * (size_t)mc;
  double* cp = r->contact_pos + I * 3 * (size_t)mc;
  memset(cf, 0, sizeof(double) * 3 * (size_t)mc);
  memset(cp, 0, sizeof(double) * 3 * (size_t)mc);
  for (int j = 0, k = 0; j < ncontact && k < r->maxcontact; j++) {
    const slContact* ct = &contacts[j];
    double           sg = ct->body == body ? 1.0 : ct->other == body ? -1.0 : 0.0;
    if (sg == 0.0) continue;
    if (points) {
      slu_copy3(cp + 3 * k, points + 6 * j + (ct->body == body ? 0 : 3));
    } else {
      int land = ct->body == body ? ct->land : ct->other_land;
      sl_kin_landmark(m, d, land, cp + 3 * k);
    }
    if (contact_force) slu_scl3(cf + 3 * k, contact_force + 3 * j, sg);
    k++;
  }
}

void sl_results_store(slResults* r, int i, const slModel* m, const slData* d,
                      const slContact* contacts, int ncontact, int body,
                      const double* contact_force) {
  store_posture(r, i, m, d, contacts, ncontact, body, contact_force, NULL);
}

void sl_results_store_step(slResults* r, int i, const slModel* m, const slData* d,
                           const slContact* contacts, int ncontact, int body,
                           const double* contact_force, const int* sliding, const double* slip,
                           const double* points) {
  store_posture(r, i, m, d, contacts, ncontact, body, contact_force, points);
  sl_results_store_contacts(r, i, contacts, ncontact, body, sliding, slip, NULL);
}

void sl_results_store_contacts(slResults* r, int i, const slContact* contacts, int ncontact,
                               int body, const int* sliding, const double* slip,
                               const double* points) {
  int mc = r->maxcontact > 0 ? r->maxcontact : 1;
  for (int j = 0, k = 0; j < ncontact && k < r->maxcontact; j++) {
    if (contacts[j].body != body && contacts[j].other != body) continue;
    size_t at = (size_t)i * (size_t)mc + (size_t)k;
    r->contact_slide[at] = sliding ? sliding[j] : 0;
    r->contact_slip[at] = slip ? slip[j] : 0.0;
    if (points)
      slu_copy3(r->contact_pos + 3 * at, points + 6 * j + (contacts[j].body == body ? 0 : 3));
    k++;
  }
}

// ---- writing ------------------------------------------------------------------------------------
slStatus sl_results_write(const slResults* r, slH5* f, const char* group, slError* err) {
  slLayoutSizes z = sizes_of(r);
  for (int k = 0; k < SL_LR_COUNT; k++) {
    const slLayoutItem* it = &sl_layout_results[k];
    const void*         data = *field((slResults*)r, it);
    if (!data || !wanted(r, it, 1)) continue;
    size_t dims[4];
    sl_layout_dims(it, &z, dims);
    slStatus st = sl_layout_write(f, group, it, dims, data, err);
    if (st != SL_OK) return st;
  }
  return SL_OK;
}

// a string dataset of the model group (at most 1024 names)
static slStatus model_names(slH5* f, const char* group, int which, const char* const* s, int n,
                            slError* err) {
  return sl_layout_write_strings(f, group, &sl_layout_model[which], s,
                                 (size_t)(n < 1024 ? n : 1024), err);
}

slStatus sl_results_write_model(const slModel* m, slH5* f, const char* group, slError* err) {
  slStatus            st;
  const char*         names[1024];
  const slLayoutItem* L = sl_layout_model;
#define NAMES(arr, n, which)                                                      \
  do {                                                                            \
    for (int i_ = 0; i_ < (n) && i_ < 1024; i_++) names[i_] = (arr)[i_];          \
    if ((st = model_names(f, group, which, names, (n), err)) != SL_OK) return st; \
  } while (0)
  NAMES(m->seg_name, m->nseg, SL_LM_SEGMENT_NAMES);
  NAMES(m->coord_name, m->ncoord, SL_LM_COORDINATE_NAMES);
  NAMES(m->mus_name, m->nmus, SL_LM_MUSCLE_NAMES);
  NAMES(m->group_name, m->ngroup, SL_LM_MUSCLE_GROUP_NAMES);
  NAMES(m->land_name, m->nland, SL_LM_LANDMARK_NAMES);
  NAMES(m->lev_name, NL, SL_LM_LEVEL_NAMES);
  const char* units[1024];
  for (int i = 0; i < m->ncoord && i < 1024; i++)
    units[i] = m->coord_type[i] == SL_AX_ROT ? "rad" : "m";
  if ((st = sl_layout_write_strings(f, group, &L[SL_LM_COORDINATE_UNITS], units, (size_t)m->ncoord,
                                    err)))
    return st;
  static const char* const dofn[SL_NLDOF] = {
      "L5/S1 flex_ext",  "L5/S1 lateral",  "L5/S1 axial",    "L4/L5 flex_ext", "L4/L5 lateral",
      "L4/L5 axial",     "L3/L4 flex_ext", "L3/L4 lateral",  "L3/L4 axial",    "L2/L3 flex_ext",
      "L2/L3 lateral",   "L2/L3 axial",    "L1/L2 flex_ext", "L1/L2 lateral",  "L1/L2 axial",
      "T12/L1 flex_ext", "T12/L1 lateral", "T12/L1 axial"};
  if ((st = model_names(f, group, SL_LM_LUMBAR_DOF_NAMES, dofn, SL_NLDOF, err))) return st;
  slLayoutSizes z = {0};
  z.nseg = (size_t)m->nseg, z.nmus = (size_t)m->nmus, z.njdof = (size_t)m->njdof;
  size_t dims[4];
  if (m->njdof > 0) {
    for (int j = 0; j < m->njdof && j < 1024; j++) names[j] = m->coord_name[m->jdof_coord[j]];
    if ((st = model_names(f, group, SL_LM_JOINT_DOF_NAMES, names, m->njdof, err))) return st;
    sl_layout_dims(&L[SL_LM_JOINT_STRENGTH], &z, dims);
    if ((st = sl_layout_write(f, group, &L[SL_LM_JOINT_STRENGTH], dims, m->jdof_strength, err)))
      return st;
  }
  int npart = sl_part_count(m);
  for (int k = 0; k < npart && k < 1024; k++) names[k] = sl_part_name(m, k);
  if ((st = model_names(f, group, SL_LM_COMPRESSION_PART_NAMES, names, npart, err))) return st;
  double area[NL];
  for (int l = 0; l < NL; l++) area[l] = m->disc_area[l] * 1e6;
  struct {
    int         which;
    const void* data;
  } ds[] = {{SL_LM_SEGMENT_MASS, m->seg_mass},
            {SL_LM_MUSCLE_FMAX, m->mus_fmax},
            {SL_LM_MUSCLE_GROUP, m->mus_group},
            {SL_LM_DISC_AREA, area}};
  for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
    sl_layout_dims(&L[ds[k].which], &z, dims);
    if ((st = sl_layout_write(f, group, &L[ds[k].which], dims, ds[k].data, err))) return st;
  }
  struct {
    int    which;
    double v;
  } at[] = {{SL_LM_BODY_MASS_KG, m->body_mass},
            {SL_LM_HEIGHT_M, m->height},
            {SL_LM_TOTAL_MASS_KG, m->total_mass},
            {SL_LM_SACRAL_SLOPE_DEG, m->sacral_slope / SL_DEG},
            {SL_LM_DISC_K, m->disc_k},
            {SL_LM_DISC_PRE_PRESSURE_MPA, m->disc_pre * 1e-6},
            {SL_LM_LIGAMENT_LEVER_M, m->pas_lever},
            {SL_LM_IAP_ENABLED, (double)m->iap_on},
            {SL_LM_IAP_P_MAX_KPA, m->iap_pmax * 1e-3},
            {SL_LM_IAP_AREA_CM2, m->iap_area * 1e4},
            {SL_LM_IAP_COST_WEIGHT, m->iap_weight}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    if ((st = sl_h5_attr_f64(f, group, L[at[k].which].path, at[k].v, err))) return st;
  if ((st = sl_h5_attr_str(f, group, L[SL_LM_NAME].path, m->name, err))) return st;
  if ((st =
           sl_h5_attr_str(f, group, L[SL_LM_SEX].path, m->sex == SL_MALE ? "male" : "female", err)))
    return st;
  return sl_h5_attr_str(f, group, L[SL_LM_FILES].path, m->files, err);
#undef NAMES
}

slStatus sl_results_write_meta(slH5* f, int argc, char** argv, const char* const* names,
                               const char* const* texts, int nfiles, slError* err) {
  slStatus st = sl_h5_group(f, SL_LAYOUT_META, err);
  if (st != SL_OK) return st;
  char cmd[4096] = "";
  for (int i = 0; i < argc; i++) sl_strcat(cmd, sizeof cmd, " ", argv[i]);
  char libs[512];
  snprintf(libs, sizeof libs, "HDF5 %s; OpenBLAS %.200s", sl_h5_version(), sl_la_config());
  struct {
    int         which;
    const char* v;
  } at[] = {{SL_LMETA_VERSION, SL_VERSION},
            {SL_LMETA_GIT_REVISION, SL_GIT_REV},
            {SL_LMETA_COMPILER, SL_C_COMPILER},
            {SL_LMETA_BUILD_TYPE, SL_BUILD_TYPE},
            {SL_LMETA_COMPILER_FLAGS, SL_C_FLAGS},
            {SL_LMETA_LIBRARIES, libs},
            {SL_LMETA_COMMAND_LINE, cmd},
            {SL_LMETA_UNITS,
             "SI: m, kg, s, N, N m, rad; pressure in MPa (idp); world frame x anterior, y up "
             "(gravity -y), z right"}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    if ((st = sl_h5_attr_str(f, SL_LAYOUT_META, sl_layout_meta[at[k].which].path, at[k].v, err)))
      return st;
  // input files verbatim, from the texts their parsers read
  for (int i = 0; i < nfiles; i++) {
    if (!texts[i]) continue;
    const char* base = strrchr(names[i], '/');
    base = base ? base + 1 : names[i];
    char path[512];
    snprintf(path, sizeof path, SL_LAYOUT_META_FILE_FMT, i, base);
    const char* one[1] = {texts[i]};
    st = sl_h5_write_strings(f, path, one, 1, names[i], err);
    if (st != SL_OK) return st;
  }
  return SL_OK;
}
