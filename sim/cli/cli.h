// cli.h: shared pieces of the spineload command: options, errors, exit codes.
#ifndef SL_CLI_H
#define SL_CLI_H

#include "spineload.h"

#define CLI_MAXSET 256
#define CLI_MAXPOS 64

// exit codes
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

// the options; each command takes some of them (CliCommand.opts)
enum {
  OPT_OUT = 1 << 0,           // -o, --output FILE
  OPT_SET = 1 << 1,           // --set KEY=VALUE
  OPT_THREADS = 1 << 2,       // --threads N
  OPT_QUIET = 1 << 3,         // -q, --quiet
  OPT_BODY = 1 << 4,          // --body MODEL
  OPT_FORMAT = 1 << 5,        // --format md|csv
  OPT_PLOTS = 1 << 6,         // --plots DIR
  OPT_FRAMES = 1 << 7,        // --frames
  OPT_MOMENT_ARMS = 1 << 8,   // --moment-arms
  OPT_RESUME = 1 << 9,        // --resume
  OPT_EXPLAIN = 1 << 10,      // --explain
  OPT_PROGRESS = 1 << 11,     // --progress
  OPT_UNCERTAINTY = 1 << 12,  // --uncertainty N (rank)
  OPT_SEED = 1 << 13,         // --seed S (rank --uncertainty)
  OPT_PLOT_FORMAT = 1 << 14,  // --plot-format svg|pdf|png (with --plots)
  OPT_OMIT = 1 << 15,         // --omit LIST (model import)
};

typedef struct CliOpts {
  const char* out;          // -o FILE
  const char* body;         // --body MODEL
  const char* format;       // --format md|csv
  const char* plots;        // --plots DIR
  const char* plot_format;  // --plot-format svg|pdf|png (NULL: svg)
  int         threads;      // --threads N (0: default)
  int         quiet;        // --quiet
  int         progress;     // --progress: progress on stderr also when it is not a terminal
  int         frames;       // --frames
  int         moment_arms;  // --moment-arms
  int         resume;       // --resume
  int         explain;      // --explain (validate)
  long        uncertainty;  // --uncertainty N (rank; 0: none)
  long long   seed;         // --seed S (rank --uncertainty; -1: not given)
  const char* omit;         // --omit LIST (model import; NULL: nothing)
  int         nset;
  slOverride  set[CLI_MAXSET];
  char*       setbuf;  // the KEY and VALUE strings of set (one allocation; cli_opts_free)
  int         npos;    // positional arguments after the command
  const char* pos[CLI_MAXPOS];
} CliOpts;

typedef struct CliCommand CliCommand;
typedef int (*CliRun)(int argc, char** argv, const CliOpts* o);
struct CliCommand {
  const char* name;
  const char* args;     // what follows the name in the usage line
  const char* summary;  // one line, for 'spineload help'
  const char* text;     // what the command does, for 'spineload CMD --help'
  unsigned    opts;     // OPT_* it takes
  const char* out;      // what -o means for this command (with its default), or NULL
  CliRun      run;
};

// The commands, in the order of 'spineload help' (main.c); NULL-terminated by name.
extern const CliCommand cli_commands[];
const CliCommand*       cli_command(const char* name);  // NULL if unknown

// Parse argv[first..] (getopt_long: --opt=VALUE and --opt VALUE, short -o and -q) into o for
// command c. Returns 0; -1 if --help was asked (the help is printed on stdout); or prints a usage
// error and returns EXIT_USAGE (an option c does not take is an error naming both).
int  cli_parse(int argc, char** argv, int first, const CliCommand* c, CliOpts* o);
void cli_opts_free(CliOpts* o);
// 'spineload CMD --help' on stdout: usage, what it does, its options with their defaults
void cli_help(const CliCommand* c);

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
// A message on stderr ("spineload: " is not added), after flushing stdout so that a log holding
// both streams keeps them in order. Every write to stderr goes through this or the two above.
void cli_msg(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
// 1 if progress should be shown: not --quiet, and stderr a terminal or --progress given
int cli_show_progress(const CliOpts* o);

int cmd_model(int argc, char** argv, const CliOpts* o);
int cmd_run(int argc, char** argv, const CliOpts* o);
int cmd_validate(int argc, char** argv, const CliOpts* o);
int cmd_bench(int argc, char** argv, const CliOpts* o);
int cmd_rank(int argc, char** argv, const CliOpts* o);
int cmd_sweep(int argc, char** argv, const CliOpts* o);
int cli_cmd_draw(int argc, char** argv, const CliOpts* o);
// the drawing of a position (sl_figure_make) into the file out, SVG, PDF or PNG by its extension
// (draw.c); 0, or -1 with e
int cli_draw_figure(const slFigure* F, const char* out, slError* e);
// the same drawing as an <svg> element in memory (malloc'd; the caller frees), its ids prefixed
// with id_prefix (several on one page); NULL with e
char* cli_draw_figure_svg(const slFigure* F, const char* id_prefix, slError* e);
// the clinician's page of a ranking (html.c): OUT.html, self-contained (no network): the
// settings, the load index, the positions with both partners and each one's drawing beside its
// row (from the ranking's own cycles), the phenotype rankings, every partner, the popular claim
// and, after rank --uncertainty, the advice; 0, or -1 with e
int cli_rank_html(const slRank* rk, const char* out, slError* e);
int cli_cmd_report(int argc, char** argv, const CliOpts* o);
// the figures of rank --uncertainty N --plots DIR into the existing directory dir as ext (svg,
// pdf or png) files (unc_plots.c); 0 or -1 with e
int rank_uncertainty_plots(const slRank* rk, const char* dir, const char* ext, int quiet,
                           slError* e);
// the sweep part of `report` (cmd_report_sweep.c)
int report_sweep(const char* path, const CliOpts* o);

#endif
