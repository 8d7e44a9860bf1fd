// cmd_rank.c: `spineload rank [POSITIONS...] [-o OUT.h5] [--uncertainty N [--seed S]
// [--plots DIR]]`: rank the
// position library over its thrust cycles for both partners; print the safety table and the
// comparison with the popular claim; write HDF5, markdown and CSV.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif

int cmd_rank(int argc, char** argv, const CliOpts* o) {
  slError e;
  char**  files = NULL;
  int     nfiles = 0;
  if (sl_position_files(o->pos, o->npos, &files, &nfiles, &e) != SL_OK) return cli_error(&e);
  slRank*     rk = NULL;
  char*       text = NULL;
  int         rc = EXIT_OK;
  int         proc = 0, mpi_started = 0;  // this MPI process, and whether this call started MPI
  const char* out = o->out ? o->out : "spineload_rank.h5";
  // the tables go beside the HDF5 file: OUT.md and OUT.csv
  char        md[1100], csv[1100], html[1100];
  const char* dot = strrchr(out, '.');
  int         base = dot && !strchr(dot, '/') ? (int)(dot - out) : (int)strlen(out);
  snprintf(md, sizeof md, "%.*s.md", base, out);
  snprintf(csv, sizeof csv, "%.*s.csv", base, out);
  snprintf(html, sizeof html, "%.*s.html", base, out);
  if (!strcmp(md, out) || !strcmp(csv, out) || !strcmp(html, out)) {
    rc = cli_usage_error(
        "-o %s: the tables are written to %s, %s and %s, so the HDF5 output needs "
        "another name (e.g. ending in .h5)",
        out, md, csv, html);
    goto done;
  }
  if (o->plot_format && !o->plots) {
    rc = cli_usage_error("--plot-format is for --plots DIR");
    goto done;
  }
  if ((o->seed >= 0 || o->plots) && !o->uncertainty) {
    rc = cli_usage_error("%s is for rank --uncertainty N", o->plots ? "--plots" : "--seed");
    goto done;
  }
  // rank --uncertainty under mpirun (an SL_MPI build): every process ranks and takes its share
  // of the variants; process 0 prints and writes
#ifdef SL_HAVE_MPI
  if (o->uncertainty) {
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited) MPI_Init(&argc, &argv), mpi_started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &proc);
  }
#endif
  slUncertaintyOpt uo = sl_uncertainty_opt_default();
  uo.variants = o->uncertainty;
  uo.threads = o->threads;
  if (o->seed >= 0) uo.seed = (uint64_t)o->seed;
  if (sl_rank_run((const char* const*)files, nfiles, o->set, o->nset, o->threads, &rk, &e) !=
          SL_OK ||
      (o->uncertainty && sl_rank_uncertainty(rk, o->set, o->nset, &uo, &e) != SL_OK) ||
      sl_rank_text(rk, SL_RANK_TEXT_SUMMARY, &text, &e) != SL_OK) {
    rc = proc == 0 ? cli_error(&e) : EXIT_FAIL;
    goto done;
  }
  if (proc != 0) goto done;
  if (text) fputs(text, stdout);
  // the positions' checks after the summary: warnings, also with -q
  for (const char *l = sl_rank_checks(rk), *nl; *l; l = nl + 1) {
    if (!(nl = strchr(l, '\n'))) break;
    cli_msg("spineload: warning: %.*s\n", (int)(nl - l), l);
  }
  // the tables first: if one cannot be written, the HDF5 file of an earlier run stays as it was
  if (sl_rank_write_text(rk, SL_RANK_TEXT_MD, md, &e) != SL_OK ||
      sl_rank_write_text(rk, SL_RANK_TEXT_CSV, csv, &e) != SL_OK ||
      sl_rank_write_h5(rk, out, argc, argv, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  if (cli_rank_html(rk, html, &e) != 0) {
    rc = cli_error(&e);
    goto done;
  }
  // roles driven by motion files: their tables for OpenSim beside the HDF5 file
  char stem[1100], sto[4096];
  snprintf(stem, sizeof stem, "%.*s", base, out);
  if (sl_rank_write_sto(rk, stem, sto, sizeof sto, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  if (!o->quiet)
    cli_msg("spineload: wrote %s, %s, %s, %s%s%s\n", out, md, csv, html, sto[0] ? ", " : "", sto);
  if (o->plots && o->uncertainty) {
    if (mkdir(o->plots, 0777) != 0 && errno != EEXIST) {
      sl_fail(&e, SL_ERR_IO, o->plots, "cannot create the directory: %s", strerror(errno));
      rc = cli_error(&e);
      goto done;
    }
    if (rank_uncertainty_plots(rk, o->plots, o->plot_format ? o->plot_format : "svg", o->quiet,
                               &e) != 0)
      rc = cli_error(&e);
  }
done:
#ifdef SL_HAVE_MPI
  if (mpi_started) {  // every process exits with process 0's code
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
  }
#endif
  (void)mpi_started;
  free(text);
  sl_rank_free(rk);
  for (int i = 0; i < nfiles; i++) free(files[i]);
  free(files);
  return rc;
}
