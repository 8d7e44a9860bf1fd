// main.c: the spineload command: the commands, their help, dispatch, exit codes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cmd_version(int argc, char** argv, const CliOpts* o) {
  (void)argc, (void)argv;
  if (o->npos) return cli_usage_error("version takes no arguments");
  fputs(sl_build_info(), stdout);
  return EXIT_OK;
}

#define COMMON (OPT_SET | OPT_QUIET)

const CliCommand cli_commands[] = {
    {"rank", "[POSITIONS...]", "rank the position library for both partners over a thrust cycle",
     "Ranks positions (default: the library scenarios/positions) for both partners over a\n"
     "thrust cycle. POSITIONS are position files, directories of them, or names of the\n"
     "library's positions (spooning, missionary, ...). Prints the positions by their worse\n"
     "partner, the phenotype rankings, the table of every partner and the comparison with\n"
     "the popular claim; writes OUT.h5, OUT.md, OUT.csv and OUT.html (a page for a\n"
     "browser). With --uncertainty N also N variants of the inputs (intervals, robust\n"
     "findings, advice; --plots DIR: figures).\n",
     COMMON | OPT_OUT | OPT_THREADS | OPT_UNCERTAINTY | OPT_SEED | OPT_PLOTS | OPT_PLOT_FORMAT,
     "the rank file OUT.h5; OUT.md, OUT.csv and OUT.html go beside it\n"
     "(default: spineload_rank.h5)",
     cmd_rank},
    {"draw", "POSITION -o OUT.svg|OUT.pdf|OUT.png",
     "both partners as stick figures, discs coloured by load",
     "Draws both partners of a position (a file) as stick figures, in the first partner's\n"
     "sagittal view (along its pelvis' left-right axis, so a body on its side is seen in\n"
     "profile) and a second view (from above, or horizontal for bodies on their side), at\n"
     "rest and at the cycle's extremes; the lumbar curve with its discs coloured by peak\n"
     "compression, also magnified per partner; contact forces as arrows.\n",
     COMMON | OPT_OUT, "the figure to write, SVG, PDF or PNG by its extension (required)",
     cli_cmd_draw},
    {"report", "RESULTS.h5", "a rank file's table and plots, or what a sweep file says",
     "A rank file: its ranking table (and the number of flagged rows), with --plots a\n"
     "ranking chart and per-level profiles. A sweep file: the sensitivity of the load index\n"
     "to each parameter and the positions' rank stability; warns if the sweep is incomplete\n"
     "and counts its flagged rows.\n",
     OPT_QUIET | OPT_OUT | OPT_FORMAT | OPT_PLOTS | OPT_PLOT_FORMAT,
     "write the table to FILE instead of stdout (default: stdout)", cli_cmd_report},
    {"run", "SCENARIO -o OUT.h5", "evaluate the postures of a scenario file",
     "Evaluates every posture of a scenario file and writes the run file; prints L4/L5 and\n"
     "L5/S1 compression per posture.\n",
     COMMON | OPT_OUT | OPT_THREADS | OPT_FRAMES | OPT_MOMENT_ARMS,
     "the run file to write (required)", cmd_run},
    {"sweep", "SWEEP.yaml -o OUT.h5", "parameter sweep over positions (resumable, MPI-aware)",
     "Runs a parameter sweep (grid, random or Latin hypercube) over positions into a\n"
     "streaming, crash-safe HDF5 file; a progress bar on a terminal (--progress: also in a\n"
     "log); SIGINT/SIGTERM stop after the current wave (exit 130), --resume finishes it.\n",
     COMMON | OPT_OUT | OPT_THREADS | OPT_RESUME | OPT_PROGRESS,
     "the sweep file to write (required)", cmd_sweep},
    {"validate", "[SCENARIO MEASURED.csv]", "compare with in-vivo disc pressures",
     "Simulated vs measured L4/L5 intradiscal pressure (default: scenarios/validation/\n"
     "wilke.yaml and wilke_measured.csv) with Pearson r, Spearman rho and RMSE. With\n"
     "--format csv stdout is one table (the statistics go to stderr).\n",
     COMMON | OPT_THREADS | OPT_FORMAT | OPT_EXPLAIN, NULL, cmd_validate},
    {"model", "info|check MODEL | import MODEL.osim -o DIR",
     "describe a model file, check it, or import an OpenSim model",
     "info: segments, masses, coordinates with their ranges, lumbar levels and rhythm,\n"
     "muscle groups, landmarks, disc and IAP parameters, joint strengths and moment arms.\n"
     "check: validate a model file and list every problem found (file:line:col).\n"
     "import: convert an OpenSim model (.osim) into spineload's model files in DIR (new or\n"
     "empty): model.yaml, muscles.csv, muscle_points.csv and ORIGIN.md, the note of what\n"
     "was converted and omitted. What cannot be represented is an error at its file:line\n"
     "(exit 2) and nothing is written; README \"OpenSim models\".\n",
     COMMON | OPT_OUT | OPT_OMIT, "import: the output directory DIR (required)", cmd_model},
    {"bench", "[N]", "time the pipeline (postures per second, time per stage)",
     "Times the full pipeline on N postures (default 20000, at least 100) for 1 and 2\n"
     "threads, a position's thrust cycle, and a single-thread stage profile with each\n"
     "stage's floating-point operations per posture (counted), its GFLOP/s and its share of\n"
     "this machine's single-core peak (an OpenBLAS dgemm measured in the same run). Then\n"
     "the ratio of every timed row to the figures committed for this machine\n"
     "(tests/bench/MACHINE.csv), in postures/s per GFLOP/s of that peak, so that a machine\n"
     "slower as a whole does not read as a slower pipeline. --format csv prints one table\n"
     "(the figures to commit) and the ratios on stderr. Progress on stderr (hidden by\n"
     "--quiet).\n",
     COMMON | OPT_BODY | OPT_FORMAT, NULL, cmd_bench},
    {"version", "", "print version and build information",
     "Prints the version, git revision, compiler and flags.\n", 0, NULL, cmd_version},
    {NULL, NULL, NULL, NULL, 0, NULL, NULL},
};

const CliCommand* cli_command(const char* name) {
  for (const CliCommand* c = cli_commands; c->name; c++)
    if (!strcmp(c->name, name)) return c;
  return NULL;
}

static void usage(FILE* f) {
  fprintf(f, "usage: spineload COMMAND [ARGS] [OPTIONS]\n\ncommands:\n");
  for (const CliCommand* c = cli_commands; c->name; c++) {
    char head[96];
    snprintf(head, sizeof head, "%s %s", c->name, c->args);
    fprintf(f, "  %-34s %s\n", head, c->summary);
  }
  fprintf(f,
          "\n'spineload COMMAND --help' (or 'spineload help COMMAND') lists a command's options\n"
          "with their defaults; an option a command does not take is an error.\n"
          "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n");
}

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char* cmd = argv[1];
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    if (argc > 2) {
      const CliCommand* c = cli_command(argv[2]);
      if (!c) return cli_usage_error("unknown command '%s'", argv[2]);
      cli_help(c);
      return EXIT_OK;
    }
    usage(stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--version")) cmd = "version";
  const CliCommand* c = cli_command(cmd);
  if (!c) return cli_usage_error("unknown command '%s'", cmd);
  CliOpts o;
  int     rc = cli_parse(argc, argv, 2, c, &o);
  if (rc == 0)
    rc = c->run(argc, argv, &o);
  else if (rc < 0)
    rc = EXIT_OK;  // --help
  cli_opts_free(&o);
  return rc;
}
