// cmd_run.c: `spineload run SCENARIO -o OUT.h5`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sl_io.h"
#include "sl_run.h"

// write a scenario's results; the file appears at out only if everything succeeded
static slStatus write_run(const char* out, const slScenario* sc, const slResults* r, int argc,
                          char** argv, const char* scen_path, slError* err) {
  slH5*    f = NULL;
  slStatus st = sl_h5_create(&f, out, err);
  if (st != SL_OK) return st;
  // input files: the scenario and every model file
  const char* files[16];
  int         nf = 0;
  files[nf++] = scen_path;
  char buf[sizeof sc->model->files];
  memcpy(buf, sc->model->files, sizeof buf);
  for (char* t = strtok(buf, ";"); t && nf < 16; t = strtok(NULL, ";")) files[nf++] = t;
  if (!st) st = sl_results_write_meta(f, argc, argv, files, nf, err);
  if (!st) st = sl_h5_attr_str(f, "/meta", "scenario", sc->name, err);
  if (!st)
    st = sl_h5_attr_str(f, "/meta", "solver_criterion", sl_criterion_name(sc->so.criterion), err);
  if (!st) st = sl_results_write_model(sc->model, f, "/model", err);
  const char* names[4096];
  const char* descs[4096];
  int         n = sc->npost < 4096 ? sc->npost : 4096;
  for (int i = 0; i < n; i++) {
    names[i] = sc->post[i].name;
    descs[i] = sc->post[i].description;
  }
  if (!st)
    st = sl_h5_write_strings(f, "/postures/name", names, (size_t)n,
                             "posture names (rows of every /results dataset)", err);
  if (!st)
    st = sl_h5_write_strings(f, "/postures/description", descs, (size_t)n, "posture descriptions",
                             err);
  if (!st) st = sl_results_write(r, f, "/results", err);
  if (st != SL_OK) {
    sl_h5_abort(f);
    return st;
  }
  return sl_h5_commit(f, err);
}

int cmd_run(int argc, char** argv, const CliOpts* o) {
  if (o->npos != 1) return cli_usage_error("usage: spineload run SCENARIO -o OUT.h5");
  if (!o->out) return cli_usage_error("spineload run needs an output file: -o OUT.h5");
  slError     e;
  slScenario* sc = NULL;
  if (sl_scenario_load(&sc, o->pos[0], o->set, o->nset, &e) != SL_OK) return cli_error(&e);
  int        flags = (o->frames ? SL_RES_FRAMES : 0) | (o->moment_arms ? SL_RES_MOMENT_ARMS : 0);
  slResults* r = NULL;
  slStatus   st = sl_run_scenario(sc, o->threads, flags, &r, &e);
  if (st == SL_OK) st = write_run(o->out, sc, r, argc, argv, o->pos[0], &e);
  int rc = EXIT_OK;
  if (st != SL_OK) {
    rc = cli_error(&e);
  } else if (!o->quiet) {
    int flagged = 0;
    for (int i = 0; i < r->n; i++) flagged += r->status[i] != SL_SO_CONVERGED;
    fprintf(stderr, "spineload: %d postures of '%s' -> %s", sc->npost, sc->name, o->out);
    if (flagged) fprintf(stderr, " (%d flagged: see /results/status)", flagged);
    fprintf(stderr, "\n");
    printf("%-28s %-10s %10s %10s %10s %10s\n", "posture", "status", "L4/L5 [N]", "L5/S1 [N]",
           "IDP L4/L5", "reserve");
    for (int i = 0; i < r->n; i++)
      printf("%-28s %-10s %10.0f %10.0f %9.3f %10.3f\n", sc->post[i].name,
             sl_so_status_str(r->status[i]), r->comp[6 * i + 1], r->comp[6 * i + 0],
             r->idp[6 * i + 1], r->max_reserve[i]);
  }
  sl_results_free(r);
  sl_scenario_free(sc);
  return rc;
}
