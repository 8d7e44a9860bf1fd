// sl_disc.c: disc loads, the last stage. For each level, the load that the body above puts on the
// one below: gravity, inertia and point loads above it (the demand), muscle tensions on the path
// pieces that cross it, contact forces on segments above it, intra-abdominal pressure and
// posterior ligament tension; resolved in the disc frame into compression (mechanical only),
// antero-posterior and lateral shear, with each level's compression split by source, and the
// pressure estimate IDP = p0 + k F / A.
#include <string.h>

#include "sl_math.h"
#include "spineload.h"

void sl_disc_loads(const slModel* m, slData* d, int b, const slContact* contacts, int nvar,
                   const int* var_contact, const double* edge, const double* c) {
  int     np = sl_part_count(m);
  double* parts = d->comp_parts;
  memset(parts, 0, sizeof(double) * (size_t)SL_NLEVEL * (size_t)np);
  // muscle pulls on the superior part of each level, by group, one pass over the entries
  double Lm[SL_NLEVEL][3];
  memset(Lm, 0, sizeof Lm);
  for (int x = 0; x < m->ncross; x++) {
    int    i = m->cross_mus[x], l = m->cross_lev[x];
    double f = d->mus_force[i] * m->cross_share[x];
    if (f == 0.0 || (m->nmwrap > 0 && m->mus_wrapnum[i] > 0)) continue;
    slu_addscl3(Lm[l], d->cross_u + 3 * x, f);
    const double* D = d->disc_rot[l];
    const double* u = d->cross_u + 3 * x;
    parts[l * np + SL_PART_MUSCLE0 + m->mus_group[i]] -=
        f * (D[1] * u[0] + D[4] * u[1] + D[7] * u[2]);
  }
  // wrapped muscles: their pulls on each superior part (sl_muscle.c)
  for (int i = 0; m->nmwrap > 0 && i < m->nmus; i++) {
    if (m->mus_wrapnum[i] == 0 || d->mus_force[i] == 0.0) continue;
    for (int l = 0; l < SL_NLEVEL; l++) {
      const double* u = d->mus_pull + 3 * (SL_NLEVEL * (size_t)i + (size_t)l);
      const double* D = d->disc_rot[l];
      double        f = d->mus_force[i];
      slu_addscl3(Lm[l], u, f);
      parts[l * np + SL_PART_MUSCLE0 + m->mus_group[i]] -=
          f * (D[1] * u[0] + D[4] * u[1] + D[7] * u[2]);
    }
  }
  for (int l = 0; l < SL_NLEVEL; l++) {
    const double* D = d->disc_rot[l];
    double ant[3] = {D[0], D[3], D[6]}, n[3] = {D[1], D[4], D[7]}, lat[3] = {D[2], D[5], D[8]};
    double L[3], Lc[3] = {0, 0, 0}, body[3];
    slu_add3(L, d->demand_force[l], Lm[l]);
    for (int v = 0; v < nvar; v++) {
      const slContact* ct = &contacts[var_contact[v]];
      double           sg = 0.0;
      int              land = -1;
      if (ct->body == b) {
        sg = 1.0;
        land = ct->land;
      } else if (ct->other == b) {
        sg = -1.0;
        land = ct->other_land;
      }
      if (land < 0 || !((m->seg_above[m->land_seg[land]] >> l) & 1u)) continue;
      slu_addscl3(Lc, edge + 3 * v, sg * c[v]);
    }
    slu_add3(L, L, Lc);
    slu_add3(L, L, d->iap_force);
    slu_addscl3(L, n, -d->lig_force[l]);
    double comp = -slu_dot3(L, n);
    slu_sub3(body, d->demand_force[l], d->load_force[l]);
    parts[l * np + SL_PART_BODY] = -slu_dot3(body, n);
    parts[l * np + SL_PART_LOADS] = -slu_dot3(d->load_force[l], n);
    parts[l * np + SL_PART_LIGAMENT] = d->lig_force[l];
    parts[l * np + SL_PART_IAP] = -slu_dot3(d->iap_force, n);
    parts[l * np + SL_PART_CONTACTS] = -slu_dot3(Lc, n);
    d->disc_comp[l] = comp;
    d->disc_shear_ap[l] = slu_dot3(L, ant);
    d->disc_shear_lat[l] = slu_dot3(L, lat);
    d->disc_res[l] = sqrt(comp * comp + d->disc_shear_ap[l] * d->disc_shear_ap[l] +
                          d->disc_shear_lat[l] * d->disc_shear_lat[l]);
    double idp = m->disc_pre + m->disc_k * comp / m->disc_area[l];
    d->disc_idp[l] = idp > 0.0 ? idp : 0.0;  // a distracted disc keeps no negative pressure
  }
}
