// cmd_validate.c: `spineload validate`: simulated vs in-vivo L4/L5 intradiscal pressure.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sl_config.h"
#include "sl_csv.h"
#include "sl_io.h"
#include "sl_run.h"
#include "sl_stats.h"

#define LEVEL_L4L5 1

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
    return cli_usage_error("usage: spineload validate [SCENARIO MEASURED.csv] [--format md|csv]");
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
        "0.08\n");
    if (flagged)
      printf("WARNING: %d posture(s) not converged without reserves (see status)\n", flagged);
  }
  free(meas_v), free(sim_v), free(work), free(idx);
done:
  sl_results_free(r);
  sl_csv_free(csv);
  sl_scenario_free(sc);
  return rc;
}
