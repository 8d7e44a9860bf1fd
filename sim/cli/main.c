// main.c: the spineload command: dispatch, option parsing, exit codes.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char* const USAGE =
    "usage: spineload COMMAND [ARGS] [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  rank [POSITIONS...] [-o OUT.h5]  rank the position library (default scenarios/positions)\n"
    "                               for both partners over a thrust cycle; safety table\n"
    "                               --uncertainty N [--seed S]: N variants of the inputs\n"
    "                               (Latin hypercube): intervals, robust findings, advice\n"
    "  draw POSITION -o OUT.svg     both partners as stick figures, discs coloured by load\n"
    "  report RESULTS.h5 [--plots DIR]   table (md or csv) of a rank file, with a ranking\n"
    "                               chart and per-level profiles; or a sweep's sensitivities\n"
    "  run SCENARIO -o OUT.h5       evaluate the postures of a scenario file\n"
    "  sweep SWEEP.yaml -o OUT.h5 [--resume]   parameter sweep over positions (MPI-aware)\n"
    "  validate [--format md|csv] [--explain]   compare with in-vivo disc pressures\n"
    "                               (scenarios/validation); --explain: where each newton of\n"
    "                               L4/L5 compression comes from, and each posture's geometry\n"
    "  model info MODEL             segments, mass, muscle groups\n"
    "  model check MODEL            validate a model file and report every problem\n"
    "  bench                        time the pipeline (postures per second, time per stage)\n"
    "  version                      print version and build information\n"
    "\n"
    "options:\n"
    "  -o FILE            output file (written to a temporary name, then renamed)\n"
    "  --set KEY=VALUE    override a model, body or solver parameter by path, e.g.\n"
    "                     --set subject.mass_kg=95 --set solver.criterion=p3 (repeatable)\n"
    "  --threads N        threads (default: all cores)\n"
    "  --frames           also write segment frames; --moment-arms: moment-arm matrices\n"
    "  --format md|csv    table format for text output\n"
    "  --plots DIR        report: also write DIR/ranking.svg and DIR/profiles.svg\n"
    "  --quiet            no progress output\n"
    "\n"
    "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n";

int main(int argc, char** argv) {
  if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "-h")) {
    fputs(USAGE, argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  const char* cmd = argv[1];
  if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    fputs(sl_build_info(), stdout);
    return EXIT_OK;
  }
  CliOpts o;
  int     rc = cli_parse(argc, argv, 2, &o);
  if (rc) return rc;
  if (!strcmp(cmd, "model")) return cmd_model(argc, argv, &o);
  if (!strcmp(cmd, "run")) return cmd_run(argc, argv, &o);
  if (!strcmp(cmd, "validate")) return cmd_validate(argc, argv, &o);
  if (!strcmp(cmd, "bench")) return cmd_bench(argc, argv, &o);
  if (!strcmp(cmd, "rank")) return cmd_rank(argc, argv, &o);
  if (!strcmp(cmd, "sweep")) return cmd_sweep(argc, argv, &o);
  if (!strcmp(cmd, "draw")) return cli_cmd_draw(argc, argv, &o);
  if (!strcmp(cmd, "report")) return cli_cmd_report(argc, argv, &o);
  return cli_usage_error("unknown command '%s'", cmd);
}
