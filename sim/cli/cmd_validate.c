// cmd_validate.c: `spineload validate`: simulated vs in-vivo L4/L5 intradiscal pressure.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sl_config.h"
#include "sl_math.h"
#include "sl_position.h"
#include "sl_csv.h"
#include "sl_io.h"
#include "sl_run.h"
#include "sl_stats.h"

#define LEVEL_L4L5 1

// --explain: the posture's geometry and where every newton of L4/L5 compression comes from
static void explain(const slScenario* sc, const slResults* r, int k, double measured, slData* d) {
  const slModel*           m = sc->model;
  const slScenarioPosture* sp = &sc->post[k];
  const double*            q = r->q + (size_t)k * (size_t)m->ncoord;
  memcpy(d->q, q, sizeof(double) * (size_t)m->ncoord);
  sl_kin_forward(m, d, 0);
  printf("\n### %s (measured %.2f MPa, simulated %.3f MPa, %s)\n\n", sp->name, measured,
         r->idp[(size_t)k * SL_NLEVEL + LEVEL_L4L5], sl_so_status_str(r->status[k]));
  if (sp->description[0]) printf("%s\n\n", sp->description);
  // geometry
  double flex = 0.0;
  for (int l = 0; l < SL_NLEVEL; l++) flex -= q[m->lev_coord[l][0]];
  int           torso = m->lev_seg[SL_NLEVEL - 1], tilt = sl_model_coord(m, "pelvis_tilt");
  const double* Rt = d->xrot + 9 * torso;
  double        incl = atan2(Rt[1], Rt[4]) / SL_DEG;  // forward lean of the thorax long axis
  const double* c = d->lev_xpos[LEVEL_L4L5];
  printf(
      "- geometry: total lumbar flexion %.1f deg (%.0f %% of the %.0f deg range), pelvis tilt "
      "%.1f deg (+ backward), thorax leaning %.1f deg %s\n",
      flex / SL_DEG, 100 * flex / SL_DEG / SL_ROM_FLEXION, SL_ROM_FLEXION,
      tilt >= 0 ? q[tilt] / SL_DEG : 0.0, fabs(incl), incl >= 0 ? "forward" : "backward");
  int chest = sl_model_landmark(m, "chest");
  for (int j = 0; j < sp->nload; j++) {
    const slPointLoad* L = &sp->loads[j];
    double             p[3], g = -m->gravity[1];
    sl_kin_point(m, d, L->seg, L->pos, p);
    printf("- held load %d: %.1f kg on %s at %.3f m anterior and %.3f m above the L4/L5 centre",
           j + 1, g > 0 ? -L->force[1] / g : 0.0, m->seg_name[L->seg], p[0] - c[0], p[1] - c[1]);
    if (chest >= 0) {
      double h[3];
      sl_kin_landmark(m, d, chest, h);
      printf("; %.3f m in front of and %.3f m %s the sternum landmark", p[0] - h[0],
             fabs(p[1] - h[1]), p[1] >= h[1] ? "above" : "below");
    }
    printf("\n");
  }
  double cx = 0.0;
  for (int i = 0; i < m->nseg; i++) cx += m->seg_mass[i] * d->xcom[3 * i] / m->total_mass;
  double lo = INFINITY, hi = -INFINITY;
  for (int j = 0; j < sp->nsupport; j++) {
    double p[3];
    int    l = sp->supports[j].land;
    sl_kin_landmark(m, d, l, p);
    lo = fmin(lo, p[0]), hi = fmax(hi, p[0]);
  }
  if (sp->nsupport > 0)
    printf(
        "- body centre of mass %.3f m anterior of L4/L5; supports span x = %.3f .. %.3f m "
        "(centre of mass at %.3f)\n",
        cx - c[0], lo, hi, cx);
  // moments at L4/L5, flexion/extension
  int    a = 3 * LEVEL_L4L5;
  size_t K = (size_t)k * SL_NLDOF + (size_t)a;
  double tau = r->tau[K], pas = r->pas_moment[K], iapm = r->iap_moment[K], res = r->reserve[K];
  printf(
      "- L4/L5 moment: %.1f N m of %s needed; passive tissue %.1f, intra-abdominal pressure "
      "%.1f (%.2f kPa), reserve %.2f; muscles and contacts the remaining %.1f N m\n",
      fabs(tau), tau >= 0 ? "extension" : "flexion", pas, iapm, r->iap[k], res,
      tau - pas - iapm - res);
  // compression parts, largest first
  int           np = r->npart;
  const double* P = r->comp_parts + ((size_t)k * SL_NLEVEL + LEVEL_L4L5) * (size_t)np;
  int           ord[64], n = 0;
  for (int j = 0; j < np && j < 64; j++)
    if (fabs(P[j]) >= 0.5) ord[n++] = j;
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && fabs(P[ord[j]]) > fabs(P[ord[j - 1]]); j--) {
      int t = ord[j];
      ord[j] = ord[j - 1], ord[j - 1] = t;
    }
  printf("- L4/L5 compression %.0f N =", r->comp[(size_t)k * SL_NLEVEL + LEVEL_L4L5]);
  for (int i = 0; i < n; i++)
    printf("%s %s %+.0f", i ? "," : "", sl_part_name(m, ord[i]), P[ord[i]]);
  printf(" N\n");
  // joints: the three closest to their strength
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
    printf("- joints nearest their strength:");
    for (int b = 0; b < 3 && best[b] >= 0; b++)
      printf("%s %s %.1f N m (%.0f %%)", b ? "," : "", m->coord_name[m->jdof_coord[best[b]]],
             tq[best[b]], 100 * sh[best[b]]);
    printf("\n");
  }
}

// a path under the source tree: as given if it exists, else relative to the compiled-in source
static void find_path(const char* rel, char* out, int n) {
  if (access(rel, R_OK) == 0) {
    snprintf(out, (size_t)n, "%s", rel);
    return;
  }
  snprintf(out, (size_t)n, "%s/%s", SL_SOURCE_DIR, rel);
}

int cmd_validate(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  char scen[1024], meas[1024];
  if (o->npos == 2) {
    snprintf(scen, sizeof scen, "%s", o->pos[0]);
    snprintf(meas, sizeof meas, "%s", o->pos[1]);
  } else if (o->npos == 0) {
    find_path("scenarios/validation/wilke.yaml", scen, sizeof scen);
    find_path("scenarios/validation/wilke_measured.csv", meas, sizeof meas);
  } else {
    return cli_usage_error(
        "usage: spineload validate [SCENARIO MEASURED.csv] [--format md|csv] [--explain]");
  }
  slError     e;
  slScenario* sc = NULL;
  slCsv*      csv = NULL;
  slResults*  r = NULL;
  int         rc = EXIT_OK;
  if (sl_scenario_load(&sc, scen, o->set, o->nset, &e) != SL_OK ||
      sl_csv_load(&csv, meas, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  static const char* const cols[] = {"posture", "measured_idp_MPa", NULL};
  if (sl_csv_require(csv, cols, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  if (sl_run_scenario(sc, o->threads, 0, &r, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  int     cp = sl_csv_colidx(csv, "posture"), cm = sl_csv_colidx(csv, "measured_idp_MPa");
  int     n = csv->nrow;
  double* meas_v = calloc((size_t)n + 1, sizeof(double));
  double* sim_v = calloc((size_t)n + 1, sizeof(double));
  double* work = calloc(4 * (size_t)n + 4, sizeof(double));
  int*    idx = calloc((size_t)n + 1, sizeof(int));
  if (!meas_v || !sim_v || !work || !idx) {
    free(meas_v), free(sim_v), free(work), free(idx);
    rc = EXIT_FAIL;
    goto done;
  }
  int flagged = 0;
  for (int i = 0; i < n; i++) {
    const char* name = csv->cell[(size_t)i * (size_t)csv->ncol + (size_t)cp];
    idx[i] = -1;
    for (int k = 0; k < sc->npost; k++)
      if (!strcmp(sc->post[k].name, name)) idx[i] = k;
    if (idx[i] < 0) {
      char w[512];
      sl_csv_where(csv, i, cp, w, sizeof w);
      sl_fail(&e, SL_ERR_KEY, w, "posture '%s' is not in %s", name, scen);
      rc = cli_error(&e);
      free(meas_v), free(sim_v), free(work), free(idx);
      goto done;
    }
    if (sl_csv_num(csv, i, cm, 0, 100, "MPa", &meas_v[i], &e) != SL_OK) {
      rc = cli_error(&e);
      free(meas_v), free(sim_v), free(work), free(idx);
      goto done;
    }
    sim_v[i] = r->idp[(size_t)idx[i] * SL_NLEVEL + LEVEL_L4L5];
    flagged += r->status[idx[i]] != SL_SO_CONVERGED;
  }
  double pr = sl_pearson(meas_v, sim_v, n), sr = sl_spearman(meas_v, sim_v, n, work);
  double rmse = sl_rmse(meas_v, sim_v, n);
  int    csvfmt = o->format && !strcmp(o->format, "csv");
  if (csvfmt) {
    printf("posture,measured_idp_MPa,simulated_idp_MPa,difference_MPa,l4l5_compression_N,status\n");
    for (int i = 0; i < n; i++) {
      int k = idx[i];
      printf("%s,%.3f,%.3f,%.3f,%.1f,%s\n", sc->post[k].name, meas_v[i], sim_v[i],
             sim_v[i] - meas_v[i], r->comp[(size_t)k * SL_NLEVEL + LEVEL_L4L5],
             sl_so_status_str(r->status[k]));
    }
    printf("# pearson_r,%.4f\n# spearman_rho,%.4f\n# rmse_MPa,%.4f\n", pr, sr, rmse);
  } else {
    printf("In-vivo L4/L5 intradiscal pressure (Wilke et al. 1999, 2001) vs spineload\n");
    printf("model: %s, %.0f kg, %.2f m; criterion %s\n\n", sc->model->name, sc->model->body_mass,
           sc->model->height, sl_criterion_name(sc->so.criterion));
    printf(
        "| posture | measured [MPa] | simulated [MPa] | difference [MPa] | L4/L5 compression [N] | "
        "status |\n");
    printf("|---|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < n; i++) {
      int k = idx[i];
      printf("| %s | %.2f | %.3f | %+.3f | %.0f | %s |\n", sc->post[k].name, meas_v[i], sim_v[i],
             sim_v[i] - meas_v[i], r->comp[(size_t)k * SL_NLEVEL + LEVEL_L4L5],
             sl_so_status_str(r->status[k]));
    }
    printf("\nPearson r = %.4f, Spearman rho = %.4f, RMSE = %.4f MPa (n = %d)\n", pr, sr, rmse, n);
    printf(
        "peer bar (AnyBody, published): r = 0.99, RMSE = 0.094 MPa; targets r >= 0.98, RMSE <= "
        "0.10\n");
    if (flagged)
      printf("WARNING: %d posture(s) not converged without reserves (see status)\n", flagged);
    if (o->explain) {
      slData* d = NULL;
      if (sl_data_make(sc->model, &d, &e) != SL_OK) {
        rc = cli_error(&e);
      } else {
        printf("\n## Where the L4/L5 compression comes from\n");
        for (int i = 0; i < n; i++) explain(sc, r, idx[i], meas_v[i], d);
      }
      sl_data_free(d);
    }
  }
  free(meas_v), free(sim_v), free(work), free(idx);
done:
  sl_results_free(r);
  sl_csv_free(csv);
  sl_scenario_free(sc);
  return rc;
}
