// cmd_run.c: `spineload run SCENARIO -o OUT.h5`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_run(int argc, char** argv, const CliOpts* o) {
  if (o->npos != 1) return cli_usage_error("usage: spineload run SCENARIO -o OUT.h5");
  if (!o->out) return cli_usage_error("spineload run needs an output file: -o OUT.h5");
  slError     e;
  slScenario* sc = NULL;
  if (sl_scenario_load(&sc, o->pos[0], o->set, o->nset, &e) != SL_OK) return cli_error(&e);
  int        flags = (o->frames ? SL_RES_FRAMES : 0) | (o->moment_arms ? SL_RES_MOMENT_ARMS : 0);
  slResults* r = NULL;
  slStatus   st = sl_run_scenario(sc, o->threads, flags, &r, &e);
  if (st == SL_OK) st = sl_run_write_h5(sc, r, o->out, argc, argv, &e);
  // postures from an OpenSim motion file: their disc loads and muscle forces over time also as
  // OUT.sto and OUT_muscle_forces.sto
  char sto[2][1100] = {"", ""};
  int  nframe = 0;
  for (int i = 0; sc && i < sc->npost; i++) nframe += sc->post[i].frame >= 0;
  for (int k = 0; st == SL_OK && nframe && k < 2; k++) {
    size_t n = strlen(o->out);
    int    h5 = n > 3 && !strcmp(o->out + n - 3, ".h5");
    snprintf(sto[k], sizeof sto[k], "%.*s%s.sto", (int)(h5 ? n - 3 : n), o->out,
             k ? "_muscle_forces" : "");
    char* text = NULL;
    char  tmp[1200];
    st = k ? sl_sto_muscle_forces(sc, r, &text, &e) : sl_sto_disc_loads(sc, r, &text, &e);
    FILE* f = st == SL_OK ? sl_atomic_open(sto[k], tmp, sizeof tmp, &e) : NULL;
    if (st == SL_OK && !f) st = e.code;
    if (f) {
      if (fputs(text, f) < 0) {
        sl_atomic_abort(f, tmp);
        st = SL_ERR_WRITE;
        snprintf(e.where, sizeof e.where, "%.500s", sto[k]);
        snprintf(e.msg, sizeof e.msg, "cannot write the motion table");
        e.code = st;
      } else {
        st = sl_atomic_commit(f, tmp, sto[k], &e);
      }
    }
    free(text);
  }
  int rc = EXIT_OK;
  if (st != SL_OK) {
    rc = cli_error(&e);
  } else {
    printf("%-28s %-10s %10s %10s %10s %10s\n", "posture", "status", "L4/L5 [N]", "L5/S1 [N]",
           "IDP L4/L5", "reserve");
    for (int i = 0; i < r->n; i++)
      printf("%-28s %-10s %10.0f %10.0f %9.3f %10.3f\n", sc->post[i].name,
             sl_so_status_str(r->status[i]), r->comp[6 * i + 1], r->comp[6 * i + 0],
             r->idp[6 * i + 1], r->max_reserve[i]);
    int flagged = 0;
    for (int i = 0; i < r->n; i++) flagged += r->status[i] != SL_SO_CONVERGED;
    if (flagged)  // a warning, shown also with --quiet
      cli_msg(
          "spineload: warning: %d of %d postures flagged (see the status column and "
          "/results/status)\n",
          flagged, r->n);
    if (!o->quiet) cli_msg("spineload: %d postures of '%s' -> %s\n", sc->npost, sc->name, o->out);
    if (!o->quiet && sto[1][0])
      cli_msg(
          "spineload: disc loads and muscle forces of the %d motion frames over time -> %s, "
          "%s\n",
          nframe, sto[0], sto[1]);
  }
  sl_results_free(r);
  sl_scenario_free(sc);
  return rc;
}
