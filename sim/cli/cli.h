// cli.h: shared pieces of the spineload command: options, errors, exit codes.
#ifndef SL_CLI_H
#define SL_CLI_H

#include "spineload.h"

#define CLI_MAXSET 256
#define CLI_MAXPOS 64

// exit codes
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct CliOpts {
  const char* out;          // -o FILE
  const char* body;         // --body MODEL
  const char* format;       // --format md|csv
  const char* plots;        // --plots DIR
  int         threads;      // --threads N (0: default)
  int         quiet;        // --quiet
  int         frames;       // --frames
  int         moment_arms;  // --moment-arms
  int         resume;       // --resume
  int         explain;      // --explain (validate)
  long        uncertainty;  // --uncertainty N (rank; 0: none)
  long long   seed;         // --seed S (rank --uncertainty; -1: not given)
  int         nset;
  slOverride  set[CLI_MAXSET];
  int         npos;  // positional arguments after the command
  const char* pos[CLI_MAXPOS];
} CliOpts;

// Parse argv[first..] into o. Returns 0 or prints a usage error and returns EXIT_USAGE.
int cli_parse(int argc, char** argv, int first, CliOpts* o);
// Print an error ("spineload: error: where: msg") and return the exit code for its status:
// input problems (parse, key, type, range, model, io, arg: a file that cannot be read, an output
// that cannot be created) -> 2; failures while running or writing out (memory, LAPACK, HDF5, a
// signal, a write that fails part-way such as a full disk) -> 1.
int cli_error(const slError* e);
int cli_usage_error(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

int cmd_model(int argc, char** argv, const CliOpts* o);
int cmd_run(int argc, char** argv, const CliOpts* o);
int cmd_validate(int argc, char** argv, const CliOpts* o);
int cmd_bench(int argc, char** argv, const CliOpts* o);
int cmd_rank(int argc, char** argv, const CliOpts* o);
int cmd_sweep(int argc, char** argv, const CliOpts* o);
int cli_cmd_draw(int argc, char** argv, const CliOpts* o);
int cli_cmd_report(int argc, char** argv, const CliOpts* o);
// the figures of rank --uncertainty N --plots DIR into the existing directory dir (unc_plots.c);
// 0 or -1 with e
int rank_uncertainty_plots(const slRank* rk, const char* dir, int quiet, slError* e);
// the sweep part of `report` (cmd_report_sweep.c)
int report_sweep(const char* path, const CliOpts* o);

#endif
