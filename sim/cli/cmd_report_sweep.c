// cmd_report_sweep.c: `spineload report SWEEP.h5`: what the sweep says, as markdown or CSV.
//
// The library computes the summary (sl_sweep_summary: Spearman sensitivities of the load index,
// rank stability of the positions, Kendall's W); this file prints it.
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "spineload.h"

int report_sweep(const char* path, const CliOpts* o) {
  slError         e;
  slSweepSummary* s = NULL;
  if (sl_sweep_summary(path, &s, &e) != SL_OK) return cli_error(&e);
  int csv = o->format && !strcmp(o->format, "csv");
  // a stopped sweep: its statistics cover only what was written (a warning: shown with --quiet)
  if (s->complete == 0) {
    if (s->blocks_done >= 0 && s->blocks > 0)
      cli_msg(
          "spineload: warning: %s is an incomplete sweep (%ld of %ld blocks done); the summary "
          "covers the %ld whole combinations written; run the sweep again with --resume to "
          "finish it\n",
          path, s->blocks_done, s->blocks, s->combinations);
    else
      cli_msg(
          "spineload: warning: %s is an incomplete sweep; the summary covers the %ld whole "
          "combinations written\n",
          path, s->combinations);
  }
  printf(csv ? "parameter,position,role,spearman_rho_load_index,n\n"
             : "Sensitivity of the load index (Spearman rank correlation over %ld combinations)\n\n"
               "| parameter | position | role | rho | n |\n|---|---|---|---:|---:|\n",
         s->combinations);
  for (int i = 0; i < s->nsens; i++) {
    const slSweepSensitivity* r = &s->sens[i];
    if (csv)
      printf("%s,%s,%s,%.4f,%d\n", r->parameter, r->position, r->role, r->rho, r->n);
    else
      printf("| %s | %s | %s | %+.3f | %d |\n", r->parameter, r->position, r->role, r->rho, r->n);
  }
  if (csv)
    printf("\nposition,mean_rank,sd_rank,min_rank,max_rank\n");
  else
    printf(
        "\nRank stability of the positions over %ld combinations (1 = gentlest; Kendall's W = "
        "%.3f)\n\n| position | mean rank | sd | best | worst |\n|---|---:|---:|---:|---:|\n",
        s->used, s->kendall_w);
  for (int p = 0; p < s->npos; p++) {
    const slSweepRankStat* r = &s->pos[p];
    if (csv)
      printf("%s,%.3f,%.3f,%d,%d\n", r->position, r->mean_rank, r->sd_rank, r->best, r->worst);
    else
      printf("| %s | %.2f | %.2f | %d | %d |\n", r->position, r->mean_rank, r->sd_rank, r->best,
             r->worst);
  }
  if (csv)
    printf("# kendall_w,%.4f\n# rows,%ld\n# flagged_rows,%ld\n# rows_without_result,%ld\n",
           s->kendall_w, s->rows, s->flagged, s->failed);
  else
    printf(
        "\n%ld rows (one per combination, position and role): %ld flagged (needed reserves or "
        "beyond a joint's strength; included above), %ld without a result (not built or not "
        "converged; left out)%s\n",
        s->rows, s->flagged, s->failed,
        s->complete == 0 ? "; the sweep is INCOMPLETE (stopped before its end)" : "");
  sl_sweep_summary_free(s);
  return EXIT_OK;
}
