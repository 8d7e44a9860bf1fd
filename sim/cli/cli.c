// cli.c: what every command shares: option parsing (getopt_long), help, error reporting with exit
// codes, and writing to stderr without mixing it into stdout.
#define _GNU_SOURCE
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_msg(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
}

int cli_show_progress(const CliOpts* o) {
  return !o->quiet && (o->progress || isatty(STDERR_FILENO));
}

int cli_usage_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  fprintf(stderr, "spineload: error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(run 'spineload help' for usage)\n");
  va_end(ap);
  return EXIT_USAGE;
}

int cli_error(const slError* e) {
  fflush(stdout);
  if (e->where[0])
    fprintf(stderr, "spineload: error: %s: %s\n", e->where, e->msg);
  else
    fprintf(stderr, "spineload: error: %s\n", e->msg);
  switch (e->code) {
    case SL_ERR_NOMEM:
    case SL_ERR_LAPACK:
    case SL_ERR_HDF5:
    case SL_ERR_INTERRUPTED:
    case SL_ERR_WRITE:
      return EXIT_FAIL;
    default:
      return EXIT_USAGE;
  }
}

// every option: its bit, getopt_long entry, how it is written in help, and what it does
typedef struct OptDoc {
  unsigned    bit;
  const char* name;  // long name
  int         has_arg;
  int         val;    // getopt_long's return value (short letter, or 256 + k)
  const char* spell;  // as in the help
  const char* help;   // meaning and default (NULL: the command's own text, CliCommand.out)
} OptDoc;

static const OptDoc OPTS[] = {
    {OPT_OUT, "output", required_argument, 'o', "-o, --output=FILE", NULL},
    {OPT_SET, "set", required_argument, 256, "--set KEY=VALUE",
     "override a model parameter by its path in the model file (subject.mass_kg=95,\n"
     "muscles.multifidus.fmax_scale=0.7) or a run option (solver.criterion=p3,\n"
     "motion.samples=8; see the README's \"Run options\"); repeatable, a key given twice\n"
     "counts once (the last); an override that changes nothing is an error (default: none)"},
    {OPT_THREADS, "threads", required_argument, 257, "--threads=N",
     "threads, 1 to 1024; the results do not depend on it (default: all cores)"},
    {OPT_BODY, "body", required_argument, 258, "--body=MODEL",
     "the body model to time (default: models/adult_male.yaml)"},
    {OPT_FORMAT, "format", required_argument, 259, "--format=md|csv",
     "table format on stdout or in -o FILE: markdown or one CSV table (default: md)"},
    {OPT_PLOTS, "plots", required_argument, 260, "--plots=DIR",
     "report of a rank file: also write DIR/ranking.svg and DIR/profiles.svg; rank\n"
     "--uncertainty N: DIR/uncertainty_{load_index,ranks,sensitivity}.svg (.pdf or .png\n"
     "with --plot-format) (default: no plots)"},
    {OPT_PLOT_FORMAT, "plot-format", required_argument, 268, "--plot-format=F",
     "the format of the --plots figures, svg, pdf or png (PNG at 2 pixels per SVG\n"
     "unit); their names end in .F (default: svg)"},
    {OPT_FRAMES, "frames", no_argument, 261, "--frames",
     "also write every posture's segment frames to the output (default: off)"},
    {OPT_MOMENT_ARMS, "moment-arms", no_argument, 262, "--moment-arms",
     "also write every posture's 18 x 238 moment-arm matrix (default: off)"},
    {OPT_RESUME, "resume", no_argument, 263, "--resume",
     "continue an interrupted sweep from OUT.h5.journal (default: off; without it an\n"
     "existing journal is refused)"},
    {OPT_EXPLAIN, "explain", no_argument, 264, "--explain",
     "markdown only: per posture its geometry and where every newton of L4/L5\n"
     "compression comes from (default: off)"},
    {OPT_PROGRESS, "progress", no_argument, 265, "--progress",
     "show progress on stderr also when it is not a terminal, one line per update\n"
     "(default: only on a terminal)"},
    {OPT_UNCERTAINTY, "uncertainty", required_argument, 266, "--uncertainty=N",
     "rank N variants of the inputs (Latin hypercube over the spreads of the README's\n"
     "\"Uncertainty\"), 1 to 1000000: intervals, rank intervals, robust and fragile claims,\n"
     "advice per phenotype and partner (default: none)"},
    {OPT_SEED, "seed", required_argument, 267, "--seed=S",
     "seed of rank --uncertainty's sampling, 0 to 4294967295 (default: 1)"},
    {OPT_OMIT, "omit", required_argument, 269, "--omit=LIST",
     "model import: kinds of OpenSim elements to leave out instead of failing on them,\n"
     "comma-separated: wrapping, contact, locks, limb_muscles; each one left out is listed\n"
     "in DIR/ORIGIN.md (default: none)"},
    {OPT_QUIET, "quiet", no_argument, 'q', "-q, --quiet",
     "no progress or 'wrote' messages on stderr; results, warnings and errors are\n"
     "always shown (default: off)"},
};
enum { NOPT = (int)(sizeof OPTS / sizeof OPTS[0]), HELP_VAL = 'h' };

static const OptDoc* opt_of_val(int val) {
  for (int k = 0; k < NOPT; k++)
    if (OPTS[k].val == val) return &OPTS[k];
  return NULL;
}

// text (newlines count as spaces) wrapped at 79 columns, continuation lines indented
static void print_wrapped(const char* text, int indent) {
  int col = indent;
  for (const char* p = text; *p;) {
    while (*p == ' ' || *p == '\n') p++;
    int len = 0;
    while (p[len] && p[len] != ' ' && p[len] != '\n') len++;
    if (!len) break;
    if (col > indent && col + 1 + len > 79) {
      printf("\n%*s", indent, "");
      col = indent;
    }
    printf("%s%.*s", col > indent ? " " : "", len, p);
    col += len + (col > indent);
    p += len;
  }
  printf("\n");
}

void cli_help(const CliCommand* c) {
  printf("usage: spineload %s%s%s [OPTIONS]\n\n", c->name, c->args[0] ? " " : "", c->args);
  fputs(c->text, stdout);
  printf("\noptions:\n");
  for (int k = 0; k < NOPT; k++) {
    if (!(c->opts & OPTS[k].bit)) continue;
    printf("  %-20s ", OPTS[k].spell);
    print_wrapped(OPTS[k].help ? OPTS[k].help : c->out, 23);
  }
  printf("  %-20s this help\n", "-h, --help");
  printf("\nexit status: 0 success, 1 run-time failure, 2 bad input or usage\n");
}

// the options a command takes, for an error message
static void list_opts(const CliCommand* c, char* buf, size_t n) {
  buf[0] = 0;
  for (int k = 0; k < NOPT; k++) {
    if (!(c->opts & OPTS[k].bit)) continue;
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s--%s", len ? ", " : "", OPTS[k].name);
  }
  size_t len = strlen(buf);
  snprintf(buf + len, n - len, "%s--help", len ? ", " : "");
}

void cli_opts_free(CliOpts* o) {
  free(o->setbuf);
  o->setbuf = NULL;
}

static int not_for(const CliCommand* c, const char* spelled) {
  char list[512];
  list_opts(c, list, sizeof list);
  return cli_usage_error(
      "option %s does not apply to '%s' (it takes %s; see 'spineload %s --help')", spelled, c->name,
      list, c->name);
}

int cli_parse(int argc, char** argv, int first, const CliCommand* c, CliOpts* o) {
  memset(o, 0, sizeof *o);
  o->seed = -1;
  struct option lo[NOPT + 2];
  for (int k = 0; k < NOPT; k++)
    lo[k] = (struct option){OPTS[k].name, OPTS[k].has_arg, NULL, OPTS[k].val};
  lo[NOPT] = (struct option){"help", no_argument, NULL, HELP_VAL};
  lo[NOPT + 1] = (struct option){NULL, 0, NULL, 0};
  // getopt_long permutes its argv: give it a copy (argv is written to outputs as provenance)
  int    n = argc - first + 1;
  char** av = calloc((size_t)n + 1, sizeof *av);
  size_t room = 0;
  for (int i = first; i < argc; i++) room += strlen(argv[i]) + 2;
  o->setbuf = malloc(room + 1);
  if (!av || !o->setbuf) {
    free(av);
    fflush(stdout);
    fprintf(stderr, "spineload: error: out of memory\n");
    return EXIT_FAIL;
  }
  char* sb = o->setbuf;
  av[0] = argv[first - 1];
  for (int i = first; i < argc; i++) av[i - first + 1] = argv[i];
  int rc = 0, ch;
  opterr = 0;
  optind = 0;  // a fresh scan (GNU)
  while (!rc && (ch = getopt_long(n, av, ":o:qh", lo, NULL)) != -1) {
    // the option as written: the value may be the next word (--set KEY=VALUE)
    const char* spelled = av[optind - 1];
    if (optarg && optind >= 2 && optarg == av[optind - 1]) spelled = av[optind - 2];
    if (ch == '?' && optopt && opt_of_val(optopt) && strchr(spelled, '=')) {
      rc = cli_usage_error("option --%s takes no value, got '%s'", opt_of_val(optopt)->name,
                           spelled);
      break;
    }
    if (ch == '?') {
      if (optopt && optopt < 256 && strncmp(spelled, "--", 2))
        rc = cli_usage_error("unknown option '-%c' for '%s' (see 'spineload %s --help')", optopt,
                             c->name, c->name);
      else
        rc = cli_usage_error("unknown option '%s' for '%s' (see 'spineload %s --help')", spelled,
                             c->name, c->name);
      break;
    }
    if (ch == ':') {
      rc = cli_usage_error("option %s needs a value", spelled);
      break;
    }
    if (ch == HELP_VAL) {
      cli_help(c);
      rc = -1;
      break;
    }
    const OptDoc* d = opt_of_val(ch);
    if (!d) continue;
    if (!(c->opts & d->bit)) {
      // the option as written, without a value given with '='
      char        opt[64];
      const char* eq = strchr(spelled, '=');
      snprintf(opt, sizeof opt, "%.*s", eq ? (int)(eq - spelled) : (int)strlen(spelled), spelled);
      if (d->bit == OPT_OUT && strcmp(opt, "-o") && strncmp(opt, "--", 2))
        snprintf(opt, sizeof opt, "-o");
      rc = not_for(c, opt);
      break;
    }
    switch (d->bit) {
      case OPT_OUT:
        o->out = optarg;
        if (!o->out[0]) rc = cli_usage_error("-o needs a file name, got ''");
        break;
      case OPT_SET: {
        const char* eq = strchr(optarg, '=');
        if (!eq || eq == optarg) {
          rc = cli_usage_error("--set needs KEY=VALUE, got '%s'", optarg);
          break;
        }
        if (o->nset >= CLI_MAXSET) {
          rc = cli_usage_error("too many --set options");
          break;
        }
        size_t kl = (size_t)(eq - optarg), vl = strlen(eq + 1);
        memcpy(sb, optarg, kl);
        sb[kl] = 0;
        o->set[o->nset].path = sb;
        sb += kl + 1;
        memcpy(sb, eq + 1, vl + 1);
        o->set[o->nset].value = sb;
        sb += vl + 1;
        o->nset++;
        break;
      }
      case OPT_THREADS: {
        char* end;
        long  t = strtol(optarg, &end, 10);
        if (!optarg[0] || *end || t < 1 || t > 1024)
          rc = cli_usage_error("--threads must be an integer in [1, 1024], got '%s'", optarg);
        o->threads = (int)t;
        break;
      }
      case OPT_BODY:
        o->body = optarg;
        break;
      case OPT_FORMAT:
        o->format = optarg;
        if (strcmp(o->format, "md") && strcmp(o->format, "csv"))
          rc = cli_usage_error("--format must be md or csv, got '%s'", o->format);
        break;
      case OPT_PLOTS:
        o->plots = optarg;
        break;
      case OPT_PLOT_FORMAT:
        o->plot_format = optarg;
        if (strcmp(optarg, "svg") && strcmp(optarg, "pdf") && strcmp(optarg, "png"))
          rc = cli_usage_error("--plot-format must be svg, pdf or png, got '%s'", optarg);
        break;
      case OPT_OMIT:
        o->omit = optarg;
        break;
      case OPT_UNCERTAINTY:
      case OPT_SEED: {
        char*     end;
        int       unc = d->bit == OPT_UNCERTAINTY;
        long long v = strtoll(optarg, &end, 10);
        if (!optarg[0] || *end || v < (unc ? 1 : 0) || v > (unc ? 1000000 : 4294967295LL)) {
          rc = cli_usage_error("--%s must be an integer in [%d, %s], got '%s'", d->name,
                               unc ? 1 : 0, unc ? "1000000" : "4294967295", optarg);
          break;
        }
        if (unc)
          o->uncertainty = (long)v;
        else
          o->seed = v;
        break;
      }
      case OPT_QUIET:
        o->quiet = 1;
        break;
      case OPT_PROGRESS:
        o->progress = 1;
        break;
      case OPT_FRAMES:
        o->frames = 1;
        break;
      case OPT_MOMENT_ARMS:
        o->moment_arms = 1;
        break;
      case OPT_RESUME:
        o->resume = 1;
        break;
      case OPT_EXPLAIN:
        o->explain = 1;
        break;
      default:
        break;
    }
  }
  for (int i = optind; !rc && i < n; i++) {
    if (o->npos >= CLI_MAXPOS) {
      rc = cli_usage_error("too many arguments");
      break;
    }
    o->pos[o->npos++] = av[i];
  }
  free(av);
  // an output may not replace one of the inputs
  for (int k = 0; !rc && o->out && k < o->npos; k++)
    if (sl_same_file(o->out, o->pos[k]))
      rc = cli_usage_error("-o %s would replace the input %s; choose another output name", o->out,
                           o->pos[k]);
  return rc;
}
