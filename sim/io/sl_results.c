// sl_results.c: per-posture results of one body, and their HDF5 layout (one descriptor table).
#include "sl_results.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"
#include "sl_io.h"
#include "sl_la.h"
#include "sl_math.h"

#define NL SL_NLEVEL

void sl_results_free(slResults* r) {
  if (!r) return;
  double** dp[] = {&r->q,
                   &r->resid,
                   &r->max_reserve,
                   &r->cost,
                   &r->reserve,
                   &r->root_reserve,
                   &r->demand_force,
                   &r->demand_moment,
                   &r->tau,
                   &r->pas_moment,
                   &r->lig_force,
                   &r->disc_frame,
                   &r->lev_pos,
                   &r->comp,
                   &r->shear_ap,
                   &r->shear_lat,
                   &r->resultant,
                   &r->idp,
                   &r->mus_force,
                   &r->mus_len,
                   &r->mus_R,
                   &r->seg_pos,
                   &r->seg_rot,
                   &r->com,
                   &r->contact_force,
                   &r->contact_pos,
                   &r->contact_slip,
                   &r->jdof_tau,
                   &r->jdof_torque,
                   &r->jdof_share,
                   &r->jdof_reserve,
                   &r->iap,
                   &r->iap_force,
                   &r->iap_moment,
                   &r->comp_parts};
  for (size_t k = 0; k < sizeof dp / sizeof dp[0]; k++) free(*dp[k]);
  free(r->status);
  free(r->iter);
  free(r->contact_slide);
  free(r);
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
  size_t N = (size_t)(n > 0 ? n : 1);
#define ALLOC(ptr, k) ((ptr) = calloc(N * (size_t)(k), sizeof(*(ptr))), (ptr) != NULL)
  int ok = ALLOC(r->q, m->ncoord) && ALLOC(r->status, 1) && ALLOC(r->iter, 1) &&
           ALLOC(r->resid, 1) && ALLOC(r->max_reserve, 1) && ALLOC(r->cost, 1) &&
           ALLOC(r->reserve, SL_NLDOF) && ALLOC(r->root_reserve, 6) &&
           ALLOC(r->demand_force, 3 * NL) && ALLOC(r->demand_moment, 3 * NL) &&
           ALLOC(r->tau, SL_NLDOF) && ALLOC(r->pas_moment, SL_NLDOF) && ALLOC(r->lig_force, NL) &&
           ALLOC(r->disc_frame, 9 * NL) && ALLOC(r->lev_pos, 3 * NL) && ALLOC(r->comp, NL) &&
           ALLOC(r->shear_ap, NL) && ALLOC(r->shear_lat, NL) && ALLOC(r->resultant, NL) &&
           ALLOC(r->idp, NL) && ALLOC(r->mus_force, m->nmus) && ALLOC(r->mus_len, m->nmus) &&
           ALLOC(r->com, 3) && ALLOC(r->contact_force, 3 * (maxcontact > 0 ? maxcontact : 1)) &&
           ALLOC(r->contact_pos, 3 * (maxcontact > 0 ? maxcontact : 1)) &&
           ALLOC(r->contact_slide, maxcontact > 0 ? maxcontact : 1) &&
           ALLOC(r->contact_slip, maxcontact > 0 ? maxcontact : 1) &&
           ALLOC(r->jdof_tau, m->njdof) && ALLOC(r->jdof_torque, m->njdof) &&
           ALLOC(r->jdof_share, m->njdof) && ALLOC(r->jdof_reserve, m->njdof) && ALLOC(r->iap, 1) &&
           ALLOC(r->iap_force, 3) && ALLOC(r->iap_moment, SL_NLDOF) &&
           ALLOC(r->comp_parts, NL * r->npart);
  if (ok && (flags & SL_RES_MOMENT_ARMS)) ok = ALLOC(r->mus_R, SL_NLDOF * m->nmus);
  if (ok && (flags & SL_RES_FRAMES))
    ok = ALLOC(r->seg_pos, 3 * m->nseg) && ALLOC(r->seg_rot, 9 * m->nseg);
#undef ALLOC
  if (!ok) {
    sl_results_free(r);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory for results of %d postures", n);
  }
  *out = r;
  return SL_OK;
}

void sl_results_store(slResults* r, int i, const slModel* m, const slData* d,
                      const slContact* contacts, int ncontact, int body,
                      const double* contact_force) {
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
    int land = ct->body == body ? ct->land : ct->other_land;
    sl_kin_landmark(m, d, land, cp + 3 * k);
    if (contact_force) slu_scl3(cf + 3 * k, contact_force + 3 * j, sg);
    k++;
  }
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
typedef struct Desc {
  const char* name;
  int         type;  // 0 f64, 1 i32
  int         rank;  // after the posture axis
  int         d1, d2, d3;
  const char* units;
  const char* desc;
  size_t      off;  // offset of the pointer in slResults
} Desc;

#define OFF(field) offsetof(slResults, field)

slStatus sl_results_write(const slResults* r, slH5* f, const char* group, slError* err) {
  int nm = r->nmus, ns = r->nseg, mc = r->maxcontact > 0 ? r->maxcontact : 1;
  int nj = r->njdof, np = r->npart;
  // clang-format off
  const Desc desc[] = {
    {"q", 0, 1, r->ncoord, 0, 0, "rad or m (see /model/coordinate_units)", "generalized coordinates of each posture", OFF(q)},
    {"com", 0, 1, 3, 0, 0, "m", "whole-body centre of mass, world frame (x anterior, y up, z right)", OFF(com)},
    {"status", 1, 0, 0, 0, 0, "1", "solver status: 0 converged, 1 needed reserve actuators (flagged), 2 iteration limit, 3 numerical failure, 4 a joint outside the lumbar spine beyond its strength (flagged)", OFF(status)},
    {"solver/iterations", 1, 0, 0, 0, 0, "1", "Newton iterations of the static optimisation", OFF(iter)},
    {"solver/residual", 0, 0, 0, 0, 0, "N m", "max equilibrium residual |A x - b| including reserves", OFF(resid)},
    {"solver/max_reserve", 0, 0, 0, 0, 0, "N m", "largest reserve actuator moment (flagged above the reserve_flag option)", OFF(max_reserve)},
    {"solver/cost", 0, 0, 0, 0, 0, "1", "recruitment criterion: sum (f/fmax)^p, or the largest f/fmax for minmax", OFF(cost)},
    {"solver/reserve", 0, 1, SL_NLDOF, 0, 0, "N m", "reserve moment on each lumbar dof (level-major: L5/S1 flexion/extension, lateral, axial, ...)", OFF(reserve)},
    {"solver/root_reserve", 0, 1, 6, 0, 0, "N, N m", "whole-body reserve force (3) and moment about the pelvis origin (3), world frame; nonzero only when supports cannot hold the body", OFF(root_reserve)},
    {"demand/force", 0, 2, NL, 3, 0, "N", "resultant external load (gravity, inertia, point loads; not contacts) on the body above each level, world frame", OFF(demand_force)},
    {"demand/moment", 0, 2, NL, 3, 0, "N m", "moment of that load about the level's joint centre, world frame", OFF(demand_moment)},
    {"demand/tau", 0, 1, SL_NLDOF, 0, 0, "N m", "generalized demand on each lumbar dof: minus the generalized external force along the model coordinate (the moment the body must supply: flexion/extension positive = extension needed; lateral positive = a right bend needed; axial positive = a left twist needed)", OFF(tau)},
    {"passive/moment", 0, 1, SL_NLDOF, 0, 0, "N m", "generalized passive-tissue force on each lumbar dof", OFF(pas_moment)},
    {"passive/ligament_force", 0, 1, NL, 0, 0, "N", "posterior ligament tension in flexion, added to disc compression", OFF(lig_force)},
    {"joints/demand", 0, 1, nj, 0, 0, "N m", "generalized demand on each joint dof outside the lumbar spine (/model/joint_dof_names): the torque its actuator needs without contacts", OFF(jdof_tau)},
    {"joints/torque", 0, 1, nj, 0, 0, "N m", "joint torque actuator of each joint dof, along its coordinate", OFF(jdof_torque)},
    {"joints/strength_share", 0, 1, nj, 0, 0, "1", "torque needed / strength in its direction (/model/joint_strength); above 1 the posture is beyond strength (status 4)", OFF(jdof_share)},
    {"joints/reserve", 0, 1, nj, 0, 0, "N m", "reserve actuator on each joint dof: the torque beyond what its actuator gives (flagged above reserve_flag)", OFF(jdof_reserve)},
    {"iap/pressure", 0, 0, 0, 0, 0, "kPa", "intra-abdominal pressure (unknown of the static optimisation; 0 when iap.enabled is false)", OFF(iap)},
    {"iap/force", 0, 1, 3, 0, 0, "N", "force of the intra-abdominal pressure on the thorax, world frame (the pelvis gets the opposite)", OFF(iap_force)},
    {"iap/moment", 0, 1, SL_NLDOF, 0, 0, "N m", "generalized force of the intra-abdominal pressure on each lumbar dof (same signs as demand/tau)", OFF(iap_moment)},
    {"disc/frame", 0, 3, NL, 3, 3, "1", "disc frame per level: 3x3 matrix whose columns are the anterior, normal (superior) and right unit vectors in world", OFF(disc_frame)},
    {"disc/joint_centre", 0, 2, NL, 3, 0, "m", "joint centre of each level, world frame", OFF(lev_pos)},
    {"disc/compression", 0, 1, NL, 0, 0, "N", "mechanical disc compression (positive pressing), including ligament tension and intra-abdominal pressure; without the swelling pressure", OFF(comp)},
    {"disc/compression_parts", 0, 2, NL, np, 0, "N", "where each level's compression comes from (/model/compression_part_names); the parts add up to disc/compression", OFF(comp_parts)},
    {"disc/shear_ap", 0, 1, NL, 0, 0, "N", "antero-posterior shear in the disc frame (positive: superior vertebra pushed anteriorly)", OFF(shear_ap)},
    {"disc/shear_lat", 0, 1, NL, 0, 0, "N", "lateral shear in the disc frame (positive: superior vertebra pushed to the right)", OFF(shear_lat)},
    {"disc/resultant", 0, 1, NL, 0, 0, "N", "magnitude of the joint reaction (compression and shears)", OFF(resultant)},
    {"disc/idp", 0, 1, NL, 0, 0, "MPa", "intradiscal pressure estimate p0 + k F_c / A (Nachemson, with the swelling pressure p0 = /model disc_pre_pressure_MPa)", OFF(idp)},
    {"muscle/force", 0, 1, nm, 0, 0, "N", "muscle fascicle force", OFF(mus_force)},
    {"muscle/length", 0, 1, nm, 0, 0, "m", "straight-line path length", OFF(mus_len)},
    {"muscle/moment_arm", 0, 2, SL_NLDOF, nm, 0, "m", "moment-arm matrix r = -dL/dq (lumbar dof x muscle)", OFF(mus_R)},
    {"kinematics/segment_pos", 0, 2, ns, 3, 0, "m", "segment frame origins, world frame", OFF(seg_pos)},
    {"kinematics/segment_rot", 0, 3, ns, 3, 3, "1", "segment rotation matrices R_world_segment (row-major)", OFF(seg_rot)},
    {"contacts/force", 0, 2, mc, 3, 0, "N", "force on this body at each of its contacts (supports, partner), world frame", OFF(contact_force)},
    {"contacts/point", 0, 2, mc, 3, 0, "m", "where each contact force acts, world frame: the support landmark, or for a partner contact the point midway between the two partners' landmarks (action and reaction act there)", OFF(contact_pos)},
    {"contacts/sliding", 1, 1, mc, 0, 0, "1", "1: the contact slides (kinetic friction against the sliding velocity), 0: static (friction cone)", OFF(contact_slide)},
    {"contacts/slip_speed", 0, 1, mc, 0, 0, "m/s", "tangential speed of the contact point relative to the surface or partner it touches", OFF(contact_slip)},
  };
  // clang-format on
  char path[512];
  for (size_t k = 0; k < sizeof desc / sizeof desc[0]; k++) {
    const Desc* D = &desc[k];
    const void* data = *(void* const*)((const char*)r + D->off);
    if (!data) continue;
    if (!strncmp(D->name, "contacts/", 9) && r->maxcontact == 0) continue;
    if (!strncmp(D->name, "joints/", 7) && r->njdof == 0) continue;
    size_t dims[4] = {(size_t)r->n, (size_t)D->d1, (size_t)D->d2, (size_t)D->d3};
    snprintf(path, sizeof path, "%s/%s", group, D->name);
    slStatus st = sl_h5_write(f, path, D->type ? SL_H5_I32 : SL_H5_F64, D->rank + 1, dims, data,
                              D->units, D->desc, err);
    if (st != SL_OK) return st;
  }
  return SL_OK;
}

slStatus sl_results_write_model(const slModel* m, slH5* f, const char* group, slError* err) {
  char        path[512];
  slStatus    st;
  const char* names[1024];
#define NAMES(arr, n, sub, what)                                                            \
  do {                                                                                      \
    for (int i_ = 0; i_ < (n) && i_ < 1024; i_++) names[i_] = (arr)[i_];                    \
    snprintf(path, sizeof path, "%s/%s", group, sub);                                       \
    st = sl_h5_write_strings(f, path, names, (size_t)((n) < 1024 ? (n) : 1024), what, err); \
    if (st != SL_OK) return st;                                                             \
  } while (0)
  NAMES(m->seg_name, m->nseg, "segment_names", "segments, parent before child");
  NAMES(m->coord_name, m->ncoord, "coordinate_names", "generalized coordinates (columns of q)");
  NAMES(m->mus_name, m->nmus, "muscle_names", "muscle fascicles (columns of muscle datasets)");
  NAMES(m->group_name, m->ngroup, "muscle_group_names", "muscle groups");
  NAMES(m->land_name, m->nland, "landmark_names", "skin landmarks for supports and contacts");
  const char* lev[NL];
  for (int l = 0; l < NL; l++) lev[l] = m->lev_name[l];
  snprintf(path, sizeof path, "%s/level_names", group);
  if ((st = sl_h5_write_strings(f, path, lev, NL, "lumbar levels, inferior first", err))) return st;
  const char* units[1024];
  for (int i = 0; i < m->ncoord && i < 1024; i++)
    units[i] = m->coord_type[i] == SL_AX_ROT ? "rad" : "m";
  snprintf(path, sizeof path, "%s/coordinate_units", group);
  if ((st =
           sl_h5_write_strings(f, path, units, (size_t)m->ncoord, "units of each coordinate", err)))
    return st;
  static const char* const dofn[SL_NLDOF] = {
      "L5/S1 flex_ext",  "L5/S1 lateral",  "L5/S1 axial",    "L4/L5 flex_ext", "L4/L5 lateral",
      "L4/L5 axial",     "L3/L4 flex_ext", "L3/L4 lateral",  "L3/L4 axial",    "L2/L3 flex_ext",
      "L2/L3 lateral",   "L2/L3 axial",    "L1/L2 flex_ext", "L1/L2 lateral",  "L1/L2 axial",
      "T12/L1 flex_ext", "T12/L1 lateral", "T12/L1 axial"};
  snprintf(path, sizeof path, "%s/lumbar_dof_names", group);
  if ((st = sl_h5_write_strings(f, path, dofn, SL_NLDOF,
                                "lumbar degrees of freedom (rows of moment arms, reserves, tau)",
                                err)))
    return st;
  for (int j = 0; j < m->njdof && j < 1024; j++) names[j] = m->coord_name[m->jdof_coord[j]];
  if (m->njdof > 0) {
    snprintf(path, sizeof path, "%s/joint_dof_names", group);
    if ((st = sl_h5_write_strings(f, path, names, (size_t)m->njdof,
                                  "joint dofs outside the lumbar spine and the root, with torque "
                                  "actuators (columns of joints/*)",
                                  err)))
      return st;
    size_t js[2] = {(size_t)m->njdof, 2};
    snprintf(path, sizeof path, "%s/joint_strength", group);
    if ((st = sl_h5_write(f, path, SL_H5_F64, 2, js, m->jdof_strength, "N m",
                          "strength of each joint dof for torque along + and - its coordinate "
                          "(c1 x body mass x g x stature)",
                          err)))
      return st;
  }
  int npart = sl_part_count(m);
  for (int k = 0; k < npart && k < 1024; k++) names[k] = sl_part_name(m, k);
  snprintf(path, sizeof path, "%s/compression_part_names", group);
  if ((st = sl_h5_write_strings(f, path, names, (size_t)npart,
                                "parts of disc compression (last axis of disc/compression_parts)",
                                err)))
    return st;
  size_t d1 = (size_t)m->nseg, d2 = (size_t)m->nmus;
  snprintf(path, sizeof path, "%s/segment_mass", group);
  if ((st = sl_h5_write(f, path, SL_H5_F64, 1, &d1, m->seg_mass, "kg",
                        "segment masses after subject scaling", err)))
    return st;
  snprintf(path, sizeof path, "%s/muscle_fmax", group);
  if ((st = sl_h5_write(f, path, SL_H5_F64, 1, &d2, m->mus_fmax, "N",
                        "maximum isometric force after scaling", err)))
    return st;
  snprintf(path, sizeof path, "%s/muscle_group", group);
  if ((st = sl_h5_write(f, path, SL_H5_I32, 1, &d2, m->mus_group, "1",
                        "index into muscle_group_names", err)))
    return st;
  size_t nl = NL;
  double area[NL];
  for (int l = 0; l < NL; l++) area[l] = m->disc_area[l] * 1e6;
  snprintf(path, sizeof path, "%s/disc_area", group);
  if ((st = sl_h5_write(f, path, SL_H5_F64, 1, &nl, area, "mm^2", "disc cross-section per level",
                        err)))
    return st;
  snprintf(path, sizeof path, "%s", group);
  struct {
    const char* n;
    double      v;
  } at[] = {{"body_mass_kg", m->body_mass},
            {"height_m", m->height},
            {"total_mass_kg", m->total_mass},
            {"sacral_slope_deg", m->sacral_slope / SL_DEG},
            {"disc_k", m->disc_k},
            {"disc_pre_pressure_MPa", m->disc_pre * 1e-6},
            {"ligament_lever_m", m->pas_lever},
            {"iap_enabled", (double)m->iap_on},
            {"iap_p_max_kPa", m->iap_pmax * 1e-3},
            {"iap_area_cm2", m->iap_area * 1e4},
            {"iap_cost_weight", m->iap_weight}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    if ((st = sl_h5_attr_f64(f, path, at[k].n, at[k].v, err))) return st;
  if ((st = sl_h5_attr_str(f, path, "name", m->name, err))) return st;
  if ((st = sl_h5_attr_str(f, path, "sex", m->sex == SL_MALE ? "male" : "female", err))) return st;
  return sl_h5_attr_str(f, path, "files", m->files, err);
#undef NAMES
}

slStatus sl_results_write_meta(slH5* f, int argc, char** argv, const char* const* names,
                               const char* const* texts, int nfiles, slError* err) {
  slStatus st = sl_h5_group(f, "/meta", err);
  if (st != SL_OK) return st;
  char cmd[4096] = "";
  for (int i = 0; i < argc; i++) sl_strcat(cmd, sizeof cmd, " ", argv[i]);
  char libs[512];
  snprintf(libs, sizeof libs, "HDF5 %s; OpenBLAS %.200s", sl_h5_version(), sl_la_config());
  struct {
    const char* n;
    const char* v;
  } at[] = {{"version", SL_VERSION},
            {"git_revision", SL_GIT_REV},
            {"compiler", SL_C_COMPILER},
            {"build_type", SL_BUILD_TYPE},
            {"compiler_flags", SL_C_FLAGS},
            {"libraries", libs},
            {"command_line", cmd},
            {"units",
             "SI: m, kg, s, N, N m, rad; pressure in MPa (idp); world frame x anterior, y up "
             "(gravity -y), z right"}};
  for (size_t k = 0; k < sizeof at / sizeof at[0]; k++)
    if ((st = sl_h5_attr_str(f, "/meta", at[k].n, at[k].v, err))) return st;
  // input files verbatim, from the texts their parsers read
  for (int i = 0; i < nfiles; i++) {
    if (!texts[i]) continue;
    const char* base = strrchr(names[i], '/');
    base = base ? base + 1 : names[i];
    char path[512];
    snprintf(path, sizeof path, "/meta/files/%d_%s", i, base);
    const char* one[1] = {texts[i]};
    st = sl_h5_write_strings(f, path, one, 1, names[i], err);
    if (st != SL_OK) return st;
  }
  return SL_OK;
}
