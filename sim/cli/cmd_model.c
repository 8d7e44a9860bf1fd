// cmd_model.c: `spineload model info|check MODEL` and `spineload model import MODEL.osim -o DIR`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

// the model's group moment arms at the default pose beside the reference table's values
static int moment_arm_checks(const slModel* m) {
  slError e;
  double* arms = malloc(sizeof(double) * 2 * ((size_t)m->ngroup + 1));
  if (!arms) return EXIT_FAIL;
  if (sl_model_group_arms(m, arms, &e) != SL_OK) {
    free(arms);
    return cli_error(&e);
  }
  // a table that cannot be read leaves the arms without references
  slArmRef* ref = NULL;
  int       nref = 0;
  int       has_ref = sl_model_arm_refs(m, &ref, &nref, &e) == SL_OK && ref;
  printf(
      "\nsagittal moment arms of this body at the default pose [cm], + extensor: Fmax-weighted "
      "over the\nfascicles crossing the level, r = -dL/dq (the generalized force per newton of "
      "tension)%s%s\n",
      has_ref ? ";\nreferences from " : "", has_ref ? m->check_moment_arms : "");
  printf("  %-22s %6s %6s   %s\n", "group", "L4/L5", "L5/S1",
         "references: level value (definition, source)");
  for (int g = -1; g < m->ngroup; g++) {
    const double* a = arms + 2 * (g + 1);
    printf("  %-22s %6.2f %6.2f", g >= 0 ? m->group_name[g] : "extensors", a[0], a[1]);
    int first = 1;
    for (int i = 0; i < nref; i++) {
      if (ref[i].row != g + 1) continue;
      printf("%s%s %s (%s, %s)", first ? "   " : "; ", ref[i].level, ref[i].value_cm,
             ref[i].definition, ref[i].source);
      first = 0;
    }
    printf("\n");
  }
  sl_model_arm_refs_free(ref);
  free(arms);
  return EXIT_OK;
}

// a model whose paths wrap: the groups with wrapped fascicles, their Fmax-weighted flexion moment
// arms at the default pose at every level with wrapping off (the same model, wrapping.on=false)
// and on
static int wrapping_effect(const slModel* m, const char* path, const CliOpts* o) {
  slError     e;
  slOverride* ov = calloc((size_t)o->nset + 1, sizeof *ov);
  double*     on = calloc((size_t)m->ngroup * SL_NLEVEL, sizeof(double));
  double*     off = calloc((size_t)m->ngroup * SL_NLEVEL, sizeof(double));
  slModel*    s = NULL;
  int         rc = EXIT_OK;
  if (!ov || !on || !off) {
    free(ov), free(on), free(off);
    fprintf(stderr, "spineload: error: out of memory\n");
    return EXIT_FAIL;
  }
  for (int k = 0; k < o->nset; k++) ov[k] = o->set[k];
  ov[o->nset].path = "wrapping.on", ov[o->nset].value = "false";
  if (sl_model_load(&s, path, ov, o->nset + 1, &e) != SL_OK ||
      sl_model_level_arms(s, off, &e) != SL_OK || sl_model_level_arms(m, on, &e) != SL_OK) {
    rc = cli_error(&e);
  } else {
    int nw = 0;
    for (int i = 0; i < m->nmus; i++) nw += m->mus_wrapnum[i] > 0;
    printf(
        "\nwrapping: %d surfaces, %d path wraps of %d fascicles; Fmax-weighted flexion moment "
        "arm [cm] at the default pose, straight -> wrapped:\n",
        m->nwrap, m->nmwrap, nw);
    printf("  %-22s", "group");
    for (int l = 0; l < SL_NLEVEL; l++) printf(" %15s", m->lev_name[l]);
    printf("\n");
    for (int g = 0; g < m->ngroup; g++) {
      int any = 0;
      for (int i = 0; i < m->nmus; i++) any |= m->mus_group[i] == g && m->mus_wrapnum[i] > 0;
      if (!any) continue;
      printf("  %-22s", m->group_name[g]);
      for (int l = 0; l < SL_NLEVEL; l++) {
        double a = off[g * SL_NLEVEL + l], b = on[g * SL_NLEVEL + l];
        if (a != a && b != b)
          printf(" %15s", "-");
        else
          printf("   %5.2f -> %5.2f", a, b);
      }
      printf("\n");
    }
  }
  sl_model_free(s);
  free(ov), free(on), free(off);
  return rc;
}

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
  // the coordinates with their ranges: what a posture or position file may ask for
  printf("\n%d coordinates (range of motion, default; rotations in deg, translations in m):\n",
         m->ncoord);
  printf("  %-22s %-11s %9s %9s %9s\n", "coordinate", "type", "min", "max", "default");
  for (int i = 0; i < m->ncoord; i++) {
    int    rot = m->coord_type[i] == SL_AX_ROT;
    double u = rot ? 1 / SL_DEG : 1;
    printf("  %-22s %-11s %9.2f %9.2f %9.2f\n", m->coord_name[i], rot ? "rotation" : "translation",
           m->coord_range[2 * i] * u, m->coord_range[2 * i + 1] * u, m->coord_default[i] * u);
  }
  printf("\n%d lumbar levels (rhythm share of total flexion / lateral / twist):\n", SL_NLEVEL);
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
  // the landmarks supports and contacts may name
  printf("\n%d landmarks (for supports and contacts; position in the segment frame [m]):\n",
         m->nland);
  printf("  %-22s %-12s %8s %8s %8s\n", "landmark", "segment", "x", "y", "z");
  for (int i = 0; i < m->nland; i++)
    printf("  %-22s %-12s %8.3f %8.3f %8.3f\n", m->land_name[i], m->seg_name[m->land_seg[i]],
           m->land_pos[3 * i], m->land_pos[3 * i + 1], m->land_pos[3 * i + 2]);
  printf(
      "\n%d landmarks; sacral slope %.1f deg; disc k %.2f, swelling pressure p0 %.2f MPa "
      "(IDP = p0 + k F / A)\n",
      m->nland, m->sacral_slope / SL_DEG, m->disc_k, m->disc_pre * 1e-6);
  if (m->abd_seg[0] >= 0 && m->abd_anchor[0] >= 0) {
    int n = 0;
    for (int p = 0; p < m->npt; p++) n += m->pt_abd[p];
    printf("abdominal wall: %d aponeurosis points on the linea alba between %s (%s) and %s (%s)\n",
           n, m->land_name[m->abd_anchor[0]], m->seg_name[m->abd_seg[0]],
           m->land_name[m->abd_anchor[1]], m->seg_name[m->abd_seg[1]]);
  }
  if (m->iap_on)
    printf("intra-abdominal pressure: up to %.1f kPa on %.0f cm^2 (up to %.0f N), cost weight %g\n",
           m->iap_pmax * 1e-3, m->iap_area * 1e4, m->iap_pmax * m->iap_area, m->iap_weight);
  else
    printf("intra-abdominal pressure: off\n");
  if (m->njdof > 0) {
    printf("\n%d joint dofs with torque actuators, strength for + / - torque [N m]:\n", m->njdof);
    for (int j = 0; j < m->njdof; j++)
      printf("  %-18s %7.1f %7.1f%s", m->coord_name[m->jdof_coord[j]], m->jdof_strength[2 * j],
             m->jdof_strength[2 * j + 1], j % 2 ? "\n" : "   ");
    if (m->njdof % 2) printf("\n");
  }
  int rc = moment_arm_checks(m);
  if (rc == EXIT_OK && m->nmwrap > 0) rc = wrapping_effect(m, path, o);
  sl_model_free(m);
  return rc;
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

// an OpenSim model to spineload's files in a new directory
static int model_import(const char* osim, const CliOpts* o) {
  if (!o->out) return cli_usage_error("model import needs -o DIR (a new or empty directory)");
  if (o->nset) return cli_usage_error("model import takes no --set");
  unsigned    omit = 0;
  slError     e;
  slOsimFiles f;
  if (sl_osim_omit_parse(o->omit, &omit, &e) != SL_OK) return cli_usage_error("%s", e.msg);
  // a file that cannot be represented exits with 2, like any bad input (cli_error)
  if (sl_osim_import(osim, o->out, omit, &f, &e) != SL_OK) return cli_error(&e);
  if (!o->quiet)
    fprintf(stderr,
            "wrote %s/model.yaml (%d segments, %d coordinates, %d lumbar levels), %d muscles, "
            "ORIGIN.md (%d elements omitted)\n",
            o->out, f.nsegment, f.ncoord, f.nlevel, f.nmuscle, f.nomitted);
  sl_osim_files_free(&f);
  return EXIT_OK;
}

int cmd_model(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  if (o->npos == 2 && !strcmp(o->pos[0], "import")) return model_import(o->pos[1], o);
  if (o->omit) return cli_usage_error("--omit is for 'model import'");
  if (o->out) return cli_usage_error("-o is for 'model import'");
  if (o->npos != 2 || (strcmp(o->pos[0], "info") && strcmp(o->pos[0], "check")))
    return cli_usage_error("usage: spineload model info|check MODEL | import MODEL.osim -o DIR");
  return !strcmp(o->pos[0], "info") ? model_info(o->pos[1], o) : model_check(o->pos[1], o);
}
