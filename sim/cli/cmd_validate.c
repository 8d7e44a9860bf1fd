// cmd_validate.c: `spineload validate`: simulated vs in-vivo L4/L5 intradiscal pressure.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

// --explain: the posture's geometry and where every newton of L4/L5 compression comes from
static void print_explain(const slValidationRow* w, const slExplain* x) {
  printf("\n### %s (measured %.2f MPa, simulated %.3f MPa, %s)\n\n", w->name, w->measured,
         w->simulated, w->status_str);
  if (w->description[0]) printf("%s\n\n", w->description);
  printf(
      "- geometry: total lumbar flexion %.1f deg (%.0f %% of the %.0f deg range), pelvis tilt "
      "%.1f deg (+ backward), thorax leaning %.1f deg %s\n",
      x->flexion_deg, x->flexion_pct, x->flexion_range_deg, x->pelvis_tilt_deg,
      fabs(x->thorax_lean_deg), x->thorax_lean_deg >= 0 ? "forward" : "backward");
  for (int j = 0; j < x->nload; j++) {
    const slExplainLoad* L = &x->load[j];
    printf("- held load %d: %.1f kg on %s at %.3f m anterior and %.3f m above the L4/L5 centre",
           j + 1, L->kg, L->segment, L->from_l4l5[0], L->from_l4l5[1]);
    if (L->has_sternum)
      printf("; %.3f m in front of and %.3f m %s the sternum landmark", L->from_sternum[0],
             fabs(L->from_sternum[1]), L->from_sternum[1] >= 0 ? "above" : "below");
    printf("\n");
  }
  if (x->has_support)
    printf(
        "- body centre of mass %.3f m anterior of L4/L5; supports span x = %.3f .. %.3f m "
        "(centre of mass at %.3f)\n",
        x->com_from_l4l5, x->support_lo, x->support_hi, x->com_x);
  printf(
      "- L4/L5 moment: %.1f N m of %s needed; passive tissue %.1f, intra-abdominal pressure "
      "%.1f (%.2f kPa), reserve %.2f; muscles and contacts the remaining %.1f N m\n",
      fabs(x->moment), x->moment >= 0 ? "extension" : "flexion", x->passive, x->iap_moment,
      x->iap_kpa, x->reserve, x->remaining);
  printf("- L4/L5 compression %.0f N =", x->compression);
  for (int i = 0; i < x->nmajor; i++)
    printf("%s %s %+.0f", i ? "," : "", x->part[i].name, x->part[i].value);
  printf(" N\n");
  if (x->njoint > 0) {
    printf("- joints nearest their strength:");
    for (int b = 0; b < x->njoint; b++)
      printf("%s %s %.1f N m (%.0f %%)", b ? "," : "", x->joint[b].name, x->joint[b].torque,
             100 * x->joint[b].share);
    printf("\n");
  }
  printf("- fascicles at maximum force: %d", x->nsaturated);
  for (int g = 0; g < x->nsat_group; g++)
    printf("%s%s %d", g ? ", " : " (", x->sat_group[g].group, x->sat_group[g].n);
  printf("%s\n", x->nsat_group ? ")" : "");
  printf(
      "\nFlexion/extension balance per level [N m], + extension (needed = passive + IAP + "
      "reserve + muscles + contacts); an antagonist acts against what its level needs:\n\n"
      "| level | needed | passive | IAP | reserve | muscles extending | muscles flexing | "
      "contacts | largest antagonist |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (int l = 0; l < SL_NLEVEL; l++) {
    const slExplainLevel* L = &x->level[l];
    printf("| %s | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | ", L->name, L->demand,
           L->passive, L->iap, L->reserve, L->extending, L->flexing, L->contacts);
    if (L->antagonist && fabs(L->antagonist_moment) >= 0.05)
      printf("%s %+.1f |\n", L->antagonist, L->antagonist_moment);
    else
      printf("none |\n");
  }
}

int cmd_validate(int argc, char** argv, const CliOpts* o) {
  (void)argc;
  (void)argv;
  char scen[1024], meas[1024];
  if (o->npos == 2) {
    snprintf(scen, sizeof scen, "%s", o->pos[0]);
    snprintf(meas, sizeof meas, "%s", o->pos[1]);
  } else if (o->npos == 0) {
    sl_source_path("scenarios/validation/wilke.yaml", scen, sizeof scen);
    sl_source_path("scenarios/validation/wilke_measured.csv", meas, sizeof meas);
  } else {
    return cli_usage_error(
        "usage: spineload validate [SCENARIO MEASURED.csv] [--format md|csv] [--explain]");
  }
  int csv = o->format && !strcmp(o->format, "csv");
  if (csv && o->explain)
    return cli_usage_error(
        "validate: --explain writes markdown and cannot go with --format csv (which is one table)");
  slError       e;
  slValidation* v = NULL;
  if (sl_validate(scen, meas, o->set, o->nset, o->threads, &v, &e) != SL_OK) return cli_error(&e);
  const slValidationSummary* s = sl_validation_summary(v);
  if (csv) {
    printf("posture,measured_idp_MPa,simulated_idp_MPa,difference_MPa,l4l5_compression_N,status\n");
    for (int i = 0; i < s->n; i++) {
      const slValidationRow* w = sl_validation_row(v, i);
      printf("%s,%.3f,%.3f,%.3f,%.1f,%s\n", w->name, w->measured, w->simulated, w->difference,
             w->compression, w->status_str);
    }
    // stdout is one table; the statistics (results, so not hidden by --quiet) go to stderr
    cli_msg(
        "spineload: validate: Pearson r = %.4f, Spearman rho = %.4f, RMSE = %.4f MPa (n = %d)\n",
        s->pearson, s->spearman, s->rmse, s->n);
    if (s->flagged)
      cli_msg("spineload: warning: %d posture(s) not converged without reserves (see status)\n",
              s->flagged);
  } else {
    printf("In-vivo L4/L5 intradiscal pressure (Wilke et al. 1999, 2001) vs spineload\n");
    printf("model: %s, %.0f kg, %.2f m; criterion %s\n\n", s->model, s->body_mass, s->height,
           s->criterion);
    printf(
        "| posture | measured [MPa] | simulated [MPa] | difference [MPa] | L4/L5 compression [N] | "
        "status |\n");
    printf("|---|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < s->n; i++) {
      const slValidationRow* w = sl_validation_row(v, i);
      printf("| %s | %.2f | %.3f | %+.3f | %.0f | %s |\n", w->name, w->measured, w->simulated,
             w->difference, w->compression, w->status_str);
    }
    printf("\nPearson r = %.4f, Spearman rho = %.4f, RMSE = %.4f MPa (n = %d)\n", s->pearson,
           s->spearman, s->rmse, s->n);
    printf(
        "peer bar (AnyBody, published): r = 0.99, RMSE = 0.094 MPa; targets r >= 0.98, RMSE <= "
        "0.10\n");
    if (s->flagged)
      printf("WARNING: %d posture(s) not converged without reserves (see status)\n", s->flagged);
    if (o->explain) {
      printf("\n## Where the L4/L5 compression comes from\n");
      for (int i = 0; i < s->n; i++)
        print_explain(sl_validation_row(v, i), sl_validation_explain(v, i));
    }
  }
  sl_validation_free(v);
  return EXIT_OK;
}
