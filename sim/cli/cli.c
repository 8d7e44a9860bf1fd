// cli.c: what every command shares: option parsing and error reporting with exit codes.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_usage_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "spineload: error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(run 'spineload help' for usage)\n");
  va_end(ap);
  return EXIT_USAGE;
}

int cli_error(const slError* e) {
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

static int need_value(int argc, char** argv, int i) {
  if (i + 1 >= argc) {
    cli_usage_error("option %s needs a value", argv[i]);
    return 0;
  }
  return 1;
}

int cli_parse(int argc, char** argv, int first, CliOpts* o) {
  memset(o, 0, sizeof *o);
  o->seed = -1;
  for (int i = first; i < argc; i++) {
    const char* a = argv[i];
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      o->out = argv[++i];
      if (!o->out[0]) return cli_usage_error("-o needs a file name, got ''");
    } else if (!strcmp(a, "--set")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      char* kv = argv[++i];
      char* eq = strchr(kv, '=');
      if (!eq || eq == kv) return cli_usage_error("--set needs KEY=VALUE, got '%s'", kv);
      if (o->nset >= CLI_MAXSET) return cli_usage_error("too many --set options");
      *eq = '\0';
      o->set[o->nset].path = kv;
      o->set[o->nset].value = eq + 1;
      o->nset++;
    } else if (!strcmp(a, "--threads")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      char* end;
      long  t = strtol(argv[++i], &end, 10);
      if (*end || t < 1 || t > 1024)
        return cli_usage_error("--threads must be an integer in [1, 1024], got '%s'", argv[i]);
      o->threads = (int)t;
    } else if (!strcmp(a, "--body")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      o->body = argv[++i];
    } else if (!strcmp(a, "--format")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      o->format = argv[++i];
      if (strcmp(o->format, "md") && strcmp(o->format, "csv"))
        return cli_usage_error("--format must be md or csv, got '%s'", o->format);
    } else if (!strcmp(a, "--plots")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      o->plots = argv[++i];
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      o->quiet = 1;
    } else if (!strcmp(a, "--frames")) {
      o->frames = 1;
    } else if (!strcmp(a, "--moment-arms")) {
      o->moment_arms = 1;
    } else if (!strcmp(a, "--resume")) {
      o->resume = 1;
    } else if (!strcmp(a, "--explain")) {
      o->explain = 1;
    } else if (!strcmp(a, "--uncertainty") || !strcmp(a, "--seed")) {
      if (!need_value(argc, argv, i)) return EXIT_USAGE;
      char*     end;
      long long v = strtoll(argv[++i], &end, 10);
      int       unc = a[2] == 'u';
      if (*end || !argv[i][0] || v < (unc ? 1 : 0) || v > (unc ? 1000000 : 4294967295LL))
        return cli_usage_error("%s must be an integer in [%d, %s], got '%s'", a, unc ? 1 : 0,
                               unc ? "1000000" : "4294967295", argv[i]);
      if (unc)
        o->uncertainty = (long)v;
      else
        o->seed = v;
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error("unknown option '%s'", a);
    } else {
      if (o->npos >= CLI_MAXPOS) return cli_usage_error("too many arguments");
      o->pos[o->npos++] = a;
    }
  }
  // an output may not replace one of the inputs
  for (int k = 0; o->out && k < o->npos; k++)
    if (sl_same_file(o->out, o->pos[k]))
      return cli_usage_error("-o %s would replace the input %s; choose another output name", o->out,
                             o->pos[k]);
  return 0;
}
