// sl_options.c: the one table of run options (solver.*, motion.*), their readers and defaults,
// and the routing of override paths.
//
// Every option is read the same way wherever it comes from: a scenario file's `solver:` section
// (located at file:line:col, keys without the prefix, messages as the other file readers), a
// `--set solver.<key>` / `--set motion.<key>` override (located at "--set <key>"), or a sweep
// parameter value (checked against the table when the sweep file is read). Values of one group
// are gathered first (the last of a key given twice counts) and stored in table order, so the
// order they are given in does not matter.
#include "sl_options.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sl_io.h"
#include "sl_so.h"

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

enum { LAND_PLAIN = 0, LAND_EXPONENT = 1, LAND_STRATEGY = 2 };

static const char* const LINALG[] = {"builtin", "lapack", NULL};
static const char* const STRATEGY[] = {"hip", "spine", "mixed", "auto", NULL};

#define SO(f) offsetof(slSoOpt, f)
#define MO(f) offsetof(slMotionOpt, f)
// key, group, type, lo, hi, unit, names, default, doc, offset, scale, land
static const slOptionInfo OPTS[] = {
    {"solver.criterion", SL_OPT_SOLVER, SL_OPT_ENUM, 0, 0, "", SL_CRITERION_NAMES, SL_CRIT_P2,
     "recruitment criterion: minimise sum (f/fmax)^2 (p2), sum (f/fmax)^3 (p3), or the largest "
     "f/fmax (minmax)",
     SO(criterion), 1, LAND_PLAIN},
    {"solver.p", SL_OPT_SOLVER, SL_OPT_INTEGER, 2, 3, "", NULL, 2,
     "the exponent, another way to choose the criterion: 2 is p2, 3 is p3 (wins over criterion)",
     SO(criterion), 1, LAND_EXPONENT},
    {"solver.maxiter", SL_OPT_SOLVER, SL_OPT_INTEGER, 1, 100000, "", NULL, 300,
     "Newton iterations per solve", SO(maxiter), 1, LAND_PLAIN},
    {"solver.tol", SL_OPT_SOLVER, SL_OPT_NUMBER, 1e-15, 1e-2, "", NULL, 1e-8,
     "equilibrium tolerance: residual relative to max(1, the largest right-hand side)", SO(tol), 1,
     LAND_PLAIN},
    {"solver.reserve_r0_Nm", SL_OPT_SOLVER, SL_OPT_NUMBER, 1e-6, 10, "N m", NULL, 0.01,
     "reserve actuator cost scale r0: cost (r/r0)^2", SO(reserve_r0), 1, LAND_PLAIN},
    {"solver.reserve_flag_Nm", SL_OPT_SOLVER, SL_OPT_NUMBER, 1e-6, 1000, "N m", NULL, 0.1,
     "a posture is flagged 'reserve' if any reserve moment exceeds this", SO(reserve_flag), 1,
     LAND_PLAIN},
    {"solver.contact_c0_N", SL_OPT_SOLVER, SL_OPT_NUMBER, 1, 1e7, "N", NULL, 1000.0,
     "contact force cost scale c0: cost (c/c0)^2", SO(contact_c0), 1, LAND_PLAIN},
    {"solver.linalg", SL_OPT_SOLVER, SL_OPT_ENUM, 0, 0, "", LINALG, 0,
     "Cholesky factorisation: the built-in loop (builtin; its bits are the same on every machine) "
     "or LAPACKE on OpenBLAS (lapack; OpenBLAS picks kernels by CPU)",
     SO(linalg), 1, LAND_PLAIN},
    {"motion.frequency_hz", SL_OPT_MOTION, SL_OPT_NUMBER, 0, 10, "Hz", NULL, 1.5,
     "thrust frequency; 0 makes every position static (one sample)", MO(frequency), 1, LAND_PLAIN},
    {"motion.samples", SL_OPT_MOTION, SL_OPT_INTEGER, 1, 1000, "", NULL, 16, "samples per cycle",
     MO(samples), 1, LAND_PLAIN},
    {"motion.amplitude_deg", SL_OPT_MOTION, SL_OPT_NUMBER, 0, 30, "deg", NULL, 5.0,
     "the driving partner's oscillation amplitude", MO(amplitude), SL_DEG, LAND_PLAIN},
    {"motion.follower_amplitude_deg", SL_OPT_MOTION, SL_OPT_NUMBER, 0, 30, "deg", NULL, 2.0,
     "the following partner's amplitude (anti-phase, spine-driven)", MO(follower_amplitude), SL_DEG,
     LAND_PLAIN},
    {"motion.spine_share", SL_OPT_MOTION, SL_OPT_NUMBER, 0, 1, "", NULL, 0.0,
     "share of the driver's amplitude done by the spine (0 hip, 1 spine); giving it fixes the "
     "strategy (no auto)",
     MO(spine_share), 1, LAND_PLAIN},
    {"motion.strategy", SL_OPT_MOTION, SL_OPT_ENUM, 0, 0, "", STRATEGY, 3,
     "how the driver thrusts: hip, spine, mixed (spine_share 0, 1, 0.5; wins over spine_share), "
     "or auto: each role its preferred way unless its planted supports cannot stay",
     MO(spine_share), 1, LAND_STRATEGY},
};
#define NOPT ((int)(sizeof OPTS / sizeof OPTS[0]))

static const char* const GROUP_PREFIX[] = {"solver.", "motion."};

int sl_option_count(void) {
  return NOPT;
}

const slOptionInfo* sl_option_info(int i) {
  return i >= 0 && i < NOPT ? &OPTS[i] : NULL;
}

const slOptionInfo* sl_option_find(const char* key) {
  for (int i = 0; key && i < NOPT; i++)
    if (!strcmp(OPTS[i].key, key)) return &OPTS[i];
  return NULL;
}

static const char* short_key(const slOptionInfo* o) {
  return o->key + strlen(GROUP_PREFIX[o->group]);
}

// ---- routing ------------------------------------------------------------------------------------
slRoute sl_route(const char* path) {
  static const struct {
    const char* prefix;
    slRoute     route;
  } R[] = {{"solver.", SL_ROUTE_SOLVER},
           {"motion.", SL_ROUTE_MOTION},
           {"postures.", SL_ROUTE_POSTURES},
           {"roles.", SL_ROUTE_POSITION},
           {"contacts.", SL_ROUTE_POSITION}};
  for (size_t i = 0; path && i < sizeof R / sizeof R[0]; i++)
    if (!strncmp(path, R[i].prefix, strlen(R[i].prefix))) return R[i].route;
  return SL_ROUTE_MODEL;
}

int sl_routes_pick(const slOverride* ov, int nov, unsigned mask, slOverride* out) {
  int n = 0;
  for (int i = 0; i < nov; i++)
    if (mask & SL_ROUTE_BIT(sl_route(ov[i].path))) out[n++] = ov[i];
  return n;
}

// ---- values -------------------------------------------------------------------------------------
static void join(char* buf, size_t n, const char* const* names) {
  buf[0] = '\0';
  for (int i = 0; names && names[i]; i++) sl_strcat(buf, n, ", ", names[i]);
}

void sl_option_allowed(const slOptionInfo* o, char* buf, size_t n) {
  if (o->type == SL_OPT_ENUM)
    join(buf, n, o->names);
  else if (o->type == SL_OPT_BOOL)
    snprintf(buf, n, "true, false");
  else
    snprintf(buf, n, "[%g, %g]%s%s", o->lo, o->hi, o->unit[0] ? " " : "", o->unit);
}

// Parse text (a scalar; kind is the node kind of a file value) as option o into *v (in the unit
// of the table). key names it in messages ("criterion" in a file, "solver.criterion" for --set).
static slStatus parse_value(const slOptionInfo* o, slyKind kind, const char* text,
                            const char* where, const char* key, double* v, slError* err) {
  char        list[400];
  const char* u = o->unit[0] ? " " : "";
  switch (o->type) {
    case SL_OPT_NUMBER: {
      if (kind != SLY_SCALAR)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be a number, not %s", key,
                       sly_kind_name(kind));
      double x = 0;
      int    r = sly_text_num(text, &x);
      if (r == 1)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be a number, got '%.100s'", key,
                       text);
      if (r == 2)
        return sl_fail(err, SL_ERR_RANGE, where,
                       "key '%.200s' = %.100s is not a finite number (allowed range [%g, %g]%s%s)",
                       key, text, o->lo, o->hi, u, o->unit);
      if (!(x >= o->lo && x <= o->hi))
        return sl_fail(err, SL_ERR_RANGE, where,
                       "key '%.200s' = %.100s is outside the allowed range [%g, %g]%s%s", key, text,
                       o->lo, o->hi, u, o->unit);
      *v = x;
      return SL_OK;
    }
    case SL_OPT_INTEGER: {
      if (kind != SLY_SCALAR)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be an integer, not %s", key,
                       sly_kind_name(kind));
      long x = 0;
      int  r = sly_text_int(text, &x);
      if (r == 1)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be an integer, got '%.100s'",
                       key, text);
      if (r == 2 || x < (long)o->lo || x > (long)o->hi)
        return sl_fail(err, SL_ERR_RANGE, where,
                       "key '%.200s' = %.100s is outside the allowed range [%ld, %ld]", key, text,
                       (long)o->lo, (long)o->hi);
      *v = (double)x;
      return SL_OK;
    }
    case SL_OPT_ENUM:
      join(list, sizeof list, o->names);
      if (kind != SLY_SCALAR)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be one of: %s; not %s", key,
                       list, sly_kind_name(kind));
      for (int i = 0; o->names[i]; i++)
        if (!strcmp(text, o->names[i])) {
          *v = i;
          return SL_OK;
        }
      return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' = '%.100s' is not one of: %s", key,
                     text, list);
    case SL_OPT_BOOL: {
      if (kind != SLY_SCALAR)
        return sl_fail(err, SL_ERR_TYPE, where, "key '%.200s' must be true or false, not %s", key,
                       sly_kind_name(kind));
      int b = 0;
      if (sly_text_bool(text, &b))
        return sl_fail(err, SL_ERR_TYPE, where,
                       "key '%.200s' must be true or false (or yes/no, on/off), got '%.100s'", key,
                       text);
      *v = b;
      return SL_OK;
    }
  }
  return sl_fail(err, SL_ERR_ARG, where, "option '%s' has no type", o->key);
}

slStatus sl_option_lookup(const char* path, const char* where, const slOptionInfo** o,
                          slError* err) {
  *o = sl_option_find(path);
  if (*o) return SL_OK;
  slRoute r = sl_route(path);
  if (r != SL_ROUTE_SOLVER && r != SL_ROUTE_MOTION)
    return sl_fail(err, SL_ERR_KEY, where, "'%.200s' is not a solver.* or motion.* option", path);
  slOptionGroup g = r == SL_ROUTE_SOLVER ? SL_OPT_SOLVER : SL_OPT_MOTION;
  size_t        np = strlen(GROUP_PREFIX[g]);
  char          list[400] = "";
  for (int i = 0; i < NOPT; i++)
    if (OPTS[i].group == g) sl_strcat(list, sizeof list, ", ", short_key(&OPTS[i]));
  return sl_fail(err, SL_ERR_KEY, where, "unknown key '%.200s' in %.*s (allowed keys: %s)",
                 path + np, (int)np - 1, GROUP_PREFIX[g], list);
}

slStatus sl_option_check(const slOptionInfo* o, const char* text, const char* where, slError* err) {
  double v = 0;
  return parse_value(o, SLY_SCALAR, text, where, o->key, &v, err);
}

// Store the values of group g in table order: val[i] where has[i] (has NULL: every entry, the
// defaults). spine_share given fixes the strategy; strategy hip/spine/mixed sets the share.
static void store(slOptionGroup g, const double* val, const unsigned char* has, void* dst) {
  char* base = dst;
  int   share_given = 0;
  for (int i = 0; i < NOPT; i++) {
    const slOptionInfo* o = &OPTS[i];
    if (o->group != g || (has && !has[i])) continue;
    if (!has && o->land == LAND_EXPONENT) continue;  // an alias: no default of its own
    double v = val[i];
    if (o->land == LAND_EXPONENT) {
      *(int*)(base + o->offset) = v == 3 ? SL_CRIT_P3 : SL_CRIT_P2;
    } else if (o->land == LAND_STRATEGY) {
      slMotionOpt* mo = dst;
      int          s = (int)v;
      if (s < 3) mo->spine_share = s == 0 ? 0.0 : s == 1 ? 1.0 : 0.5;
      mo->automatic = s == 3 && !share_given;
    } else if (o->type == SL_OPT_NUMBER) {
      *(double*)(base + o->offset) = v * o->scale;
      if (has && g == SL_OPT_MOTION && o->offset == MO(spine_share)) {
        share_given = 1;
        ((slMotionOpt*)dst)->automatic = 0;
      }
    } else {
      *(int*)(base + o->offset) = (int)v;
    }
  }
}

slSoOpt sl_so_opt_default(void) {
  slSoOpt o;
  memset(&o, 0, sizeof o);
  double def[NOPT];
  for (int i = 0; i < NOPT; i++) def[i] = OPTS[i].def;
  store(SL_OPT_SOLVER, def, NULL, &o);
  o.warm = 1;  // not an option: start each solve from the multipliers of the previous one
  return o;
}

slMotionOpt sl_motion_opt_default(void) {
  slMotionOpt m;
  memset(&m, 0, sizeof m);
  double def[NOPT];
  for (int i = 0; i < NOPT; i++) def[i] = OPTS[i].def;
  store(SL_OPT_MOTION, def, NULL, &m);
  return m;
}

// ---- readers ------------------------------------------------------------------------------------
slStatus sl_options_read(slOptionGroup g, const slyNode* map, void* dst, slError* err) {
  if (!map) return SL_OK;
  const char* keys[NOPT + 1];
  int         nk = 0;
  for (int i = 0; i < NOPT; i++)
    if (OPTS[i].group == g) keys[nk++] = short_key(&OPTS[i]);
  keys[nk] = NULL;
  char ctx[16];
  snprintf(ctx, sizeof ctx, "%.*s", (int)strlen(GROUP_PREFIX[g]) - 1, GROUP_PREFIX[g]);
  TRY(sly_check_keys(map, keys, ctx, err));
  double        val[NOPT];
  unsigned char has[NOPT] = {0};
  for (int i = 0; i < NOPT; i++) {
    if (OPTS[i].group != g) continue;
    const slyNode* v = sly_get(map, short_key(&OPTS[i]));
    if (!v) continue;
    char w[512];
    sly_where(v, w, sizeof w);
    TRY(parse_value(&OPTS[i], v->kind, v->str ? v->str : "", w, short_key(&OPTS[i]), &val[i], err));
    has[i] = 1;
  }
  store(g, val, has, dst);
  return SL_OK;
}

slStatus sl_options_set(slOptionGroup g, const slOverride* ov, int nov, void* dst, slError* err) {
  slRoute route = g == SL_OPT_SOLVER ? SL_ROUTE_SOLVER : SL_ROUTE_MOTION;
  int     last[NOPT];
  for (int i = 0; i < NOPT; i++) last[i] = -1;
  for (int k = 0; k < nov; k++) {
    if (sl_route(ov[k].path) != route) continue;
    const slOptionInfo* o = NULL;
    char                w[300];
    snprintf(w, sizeof w, "--set %.200s", ov[k].path);
    TRY(sl_option_lookup(ov[k].path, w, &o, err));
    last[o - OPTS] = k;
  }
  double        val[NOPT];
  unsigned char has[NOPT] = {0};
  for (int i = 0; i < NOPT; i++) {
    if (last[i] < 0) continue;
    char w[300];
    snprintf(w, sizeof w, "--set %.200s", OPTS[i].key);
    TRY(parse_value(&OPTS[i], SLY_SCALAR, ov[last[i]].value ? ov[last[i]].value : "", w,
                    OPTS[i].key, &val[i], err));
    has[i] = 1;
  }
  store(g, val, has, dst);
  return SL_OK;
}

slStatus sl_motion_opt_set(slMotionOpt* mo, const slOverride* ov, int nov, slError* err) {
  return sl_options_set(SL_OPT_MOTION, ov, nov, mo, err);
}

slStatus sl_overrides_apply(const slOverride* ov, int nov, slOverride* rest, int* nrest,
                            slSoOpt* so, slError* err) {
  *nrest = sl_routes_pick(ov, nov, ~SL_ROUTE_BIT(SL_ROUTE_SOLVER), rest);
  return sl_options_set(SL_OPT_SOLVER, ov, nov, so, err);
}
