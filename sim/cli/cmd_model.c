// cmd_model.c: `spineload model info|check MODEL`.
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sl_math.h"
#include "sl_model.h"

static int model_info(const char* path, const CliOpts* o) {
  slModel* m = NULL;
  slError  e;
  if (sl_model_load(&m, path, o->set, o->nset, &e) != SL_OK) return cli_error(&e);
  printf("model %s (%s)\n", m->name, path);
  printf("  files: %s\n", m->files);
  printf("  subject: %s, %.1f kg, %.3f m (geometry of a %.1f kg, %.3f m body, scaled)\n",
         m->sex == SL_MALE ? "male" : "female", m->body_mass, m->height, m->ref_mass,
         m->ref_height);
  printf("  total segment mass: %.3f kg\n", m->total_mass);
  printf("\n%d segments (parent before child):\n", m->nseg);
  printf("  %-12s %-12s %-18s %9s\n", "segment", "parent", "joint", "mass [kg]");
  for (int i = 0; i < m->nseg; i++)
    printf("  %-12s %-12s %-18s %9.3f\n", m->seg_name[i],
           m->seg_parent[i] >= 0 ? m->seg_name[m->seg_parent[i]] : "ground", m->jnt_name[i],
           m->seg_mass[i]);
  printf("\n%d coordinates, %d lumbar levels (rhythm share of total flexion / lateral / twist):\n",
         m->ncoord, SL_NLEVEL);
  for (int l = 0; l < SL_NLEVEL; l++)
    printf("  %-7s above: %-8s  %.3f %.3f %.3f   disc %.0f mm^2\n", m->lev_name[l],
           m->seg_name[m->lev_seg[l]], m->rhythm[0][l], m->rhythm[1][l], m->rhythm[2][l],
           m->disc_area[l] * 1e6);
  printf("\n%d muscle fascicles in %d groups (%d path points, %d level crossings):\n", m->nmus,
         m->ngroup, m->npt, m->ncross);
  printf("  %-24s %10s %14s\n", "group", "fascicles", "sum fmax [N]");
  double total = 0;
  for (int g = 0; g < m->ngroup; g++) {
    int    n = 0;
    double f = 0;
    for (int i = 0; i < m->nmus; i++)
      if (m->mus_group[i] == g) n++, f += m->mus_fmax[i];
    total += f;
    printf("  %-24s %10d %14.1f\n", m->group_name[g], n, f);
  }
  printf("  %-24s %10d %14.1f\n", "total", m->nmus, total);
  printf("\n%d landmarks; sacral slope %.1f deg; disc k %.2f, pre-pressure %.2f MPa\n", m->nland,
         m->sacral_slope / SL_DEG, m->disc_k, m->disc_pre * 1e-6);
  sl_model_free(m);
  return EXIT_OK;
}

static int model_check(const char* path, const CliOpts* o) {
  slError items[200];
  slDiag  dg = {items, 0, 200, 0};
  sl_model_check(path, o->set, o->nset, &dg);
  int shown = dg.n < dg.cap ? dg.n : dg.cap;
  for (int i = 0; i < shown; i++) {
    const slError* e = &items[i];
    const char*    kind = e->code == SL_OK ? "warning" : "error";
    if (e->where[0])
      printf("%s: %s: %s\n", e->where, kind, e->msg);
    else
      printf("%s: %s\n", kind, e->msg);
  }
  if (dg.n > shown) printf("... and %d more\n", dg.n - shown);
  int nerr = dg.n - dg.nwarn;
  printf("%s: %d error%s, %d warning%s\n", path, nerr, nerr == 1 ? "" : "s", dg.nwarn,
         dg.nwarn == 1 ? "" : "s");
  return nerr ? EXIT_USAGE : EXIT_OK;
}

int cmd_model(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  if (o->npos != 2 || (strcmp(o->pos[0], "info") && strcmp(o->pos[0], "check")))
    return cli_usage_error("usage: spineload model info|check MODEL");
  return !strcmp(o->pos[0], "info") ? model_info(o->pos[1], o) : model_check(o->pos[1], o);
}
