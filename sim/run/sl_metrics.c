// sl_metrics.c: per-role metrics over a cycle, the load index and the benefit/caution phrase.
//
// Load index LI = max over samples and levels of max(C / 3400 N, |S| / 700 N): compression
// against the NIOSH action limit and the combined (antero-posterior and lateral) shear against
// the shear limit for repetitive loading (Gallagher & Marras 2012), since a thrust cycle is
// repetitive. LI < 1 is within both. Ranges of motion: total lumbar angle relative to upright
// standing, as a percentage of the young-adult range (Troke et al. 2005).
// Phenotype scores (lower is gentler): flexion-intolerant max(LI, flexion %ROM / 100);
// extension-intolerant max(LI, extension %ROM / 100); compression-sensitive peak compression
// at any level / 3400 N. A row with a sample that did not converge (iteration limit or a
// numerical failure) is ranked after every row that did: its numbers are not results.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sl_io.h"
#include "sl_math.h"
#include "sl_position.h"

void sl_metrics_compute(const slPositionRun* run, int role, slMetrics* mt) {
  memset(mt, 0, sizeof *mt);
  const slResults* r = run->res[role];
  int              n = run->samples;
  double           minflex = 0.0, maxflex = 0.0;
  for (int l = 0; l < SL_NLEVEL; l++) mt->peak_comp[l] = -INFINITY;
  for (int i = 0; i < n; i++) {
    for (int l = 0; l < SL_NLEVEL; l++) {
      size_t k = (size_t)i * SL_NLEVEL + (size_t)l;
      double c = r->comp[k], ap = r->shear_ap[k], lat = r->shear_lat[k];
      double sh = sqrt(ap * ap + lat * lat);
      if (c > mt->peak_comp[l]) mt->peak_comp[l] = c;
      mt->mean_comp[l] += c / n;
      if (sh > mt->peak_shear[l]) mt->peak_shear[l] = sh;
      if (fabs(ap) > mt->peak_shear_ap[l]) mt->peak_shear_ap[l] = fabs(ap);
      if (r->idp[k] > mt->peak_idp[l]) mt->peak_idp[l] = r->idp[k];
      double li = fmax(c / SL_LIMIT_COMPRESSION, sh / SL_LIMIT_SHEAR);
      if (li > mt->load_index) mt->load_index = li;
    }
    const double* a = run->lumbar[role] + 3 * i;
    if (a[0] > maxflex) maxflex = a[0];
    if (a[0] < minflex) minflex = a[0];
    double lat = 100 * fabs(a[1]) / SL_DEG / SL_ROM_LATERAL;
    double tw = 100 * fabs(a[2]) / SL_DEG / SL_ROM_TWIST;
    if (lat > mt->peak_lat_rom) mt->peak_lat_rom = lat;
    if (tw > mt->peak_twist_rom) mt->peak_twist_rom = tw;
    if (r->max_reserve[i] > mt->max_reserve) mt->max_reserve = r->max_reserve[i];
    mt->flagged += r->status[i] != SL_SO_CONVERGED;
    mt->beyond_strength += r->status[i] == SL_SO_STRENGTH;
    mt->failed += r->status[i] == SL_SO_MAXITER || r->status[i] == SL_SO_NUMERIC;
    for (int j = 0; j < r->njdof; j++) {
      double sh = r->jdof_share[(size_t)i * (size_t)r->njdof + (size_t)j];
      if (sh > mt->peak_joint_share) mt->peak_joint_share = sh;
    }
  }
  int mc = r->maxcontact > 0 ? r->maxcontact : 1;
  for (int c = 0; c < r->maxcontact; c++) {
    int any = 0;
    for (int i = 0; i < n; i++) any |= r->contact_slide[(size_t)i * (size_t)mc + (size_t)c];
    mt->sliding += any;
  }
  // a spine that never extends reports 0 (not -0) extension, and likewise for flexion
  double fr = 100 * maxflex / SL_DEG / SL_ROM_FLEXION,
         er = 100 * -minflex / SL_DEG / SL_ROM_EXTENSION;
  mt->peak_flex_rom = fr > 0 ? fr : 0.0;
  mt->peak_ext_rom = er > 0 ? er : 0.0;
  mt->score_flex = fmax(mt->load_index, mt->peak_flex_rom / 100);
  mt->score_ext = fmax(mt->load_index, mt->peak_ext_rom / 100);
  double pc = 0.0;
  for (int l = 0; l < SL_NLEVEL; l++) pc = fmax(pc, mt->peak_comp[l]);
  mt->score_comp = pc / SL_LIMIT_COMPRESSION;
}

void sl_metrics_phrase(const slMetrics* mt, char* buf, int n) {
  char   out[512] = "";
  double shear = 0.0;
  for (int l = 0; l < SL_NLEVEL; l++) shear = fmax(shear, mt->peak_shear[l]);
  char part[160];
  if (mt->failed) {
    snprintf(part, sizeof part,
             "NOT CONVERGED in %d samples: ranked last, its numbers are not results", mt->failed);
    sl_strcat(out, sizeof out, "; ", part);
  }
  if (mt->flagged > mt->beyond_strength + mt->failed) {
    snprintf(part, sizeof part, "caution: needs reserve actuators (%.0f N m)", mt->max_reserve);
    sl_strcat(out, sizeof out, "; ", part);
  }
  if (mt->beyond_strength) {
    snprintf(part, sizeof part, "caution: a joint beyond its strength (%.0f%%)",
             100 * mt->peak_joint_share);
    sl_strcat(out, sizeof out, "; ", part);
  }
  const char* level = mt->load_index > 1.0    ? "caution: load beyond the repetitive limits"
                      : mt->load_index > 0.7  ? "high load"
                      : mt->load_index > 0.35 ? "moderate load"
                                              : "low load";
  snprintf(part, sizeof part, "%s (LI %.2f)", level, mt->load_index);
  sl_strcat(out, sizeof out, "; ", part);
  if (mt->peak_flex_rom >= 60) {
    snprintf(part, sizeof part, "caution: deep lumbar flexion (%.0f%% ROM)", mt->peak_flex_rom);
    sl_strcat(out, sizeof out, "; ", part);
  } else if (mt->peak_ext_rom >= 50) {
    snprintf(part, sizeof part, "caution: deep arching (%.0f%% of extension ROM)",
             mt->peak_ext_rom);
    sl_strcat(out, sizeof out, "; ", part);
  } else if (mt->peak_flex_rom < 25 && mt->peak_ext_rom < 25) {
    sl_strcat(out, sizeof out, "; ", "spine near neutral");
  } else if (mt->peak_flex_rom >= 25) {
    snprintf(part, sizeof part, "moderate flexion (%.0f%% ROM)", mt->peak_flex_rom);
    sl_strcat(out, sizeof out, "; ", part);
  } else {
    snprintf(part, sizeof part, "moderate extension (%.0f%% ROM)", mt->peak_ext_rom);
    sl_strcat(out, sizeof out, "; ", part);
  }
  if (shear >= 0.7 * SL_LIMIT_SHEAR) {
    snprintf(part, sizeof part, "high shear (%.0f N)", shear);
    sl_strcat(out, sizeof out, "; ", part);
  }
  if (mt->peak_twist_rom >= 50 || mt->peak_lat_rom >= 50)
    sl_strcat(out, sizeof out, "; ", "twisted or bent sideways");
  snprintf(buf, (size_t)n, "%s", out);
}

void sl_rank_scores(const double* score, int n, int* rank) {
  for (int i = 0; i < n; i++) {
    int r = 1;
    for (int j = 0; j < n; j++)
      if (score[j] < score[i] || (score[j] == score[i] && j < i)) r++;
    rank[i] = r;
  }
}
