// sl_sweep.c: sweep files, designs (grid, random, Latin hypercube) and the per-unit evaluation.
//
// Overrides are routed by their path (sl_route): "solver.*" to the solver options, "motion.*" to
// the cycle (both checked against the option table when the file is read), everything else to the
// position loader (which passes model paths such as body.mass_kg or muscles.<group>.fmax_scale to
// both bodies, and roles.<role>.* to one role). A worker caches the positions it has built, keyed
// by those position-level overrides, so a sweep over motion or solver parameters loads each
// position once per thread.
#include "sl_sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sl_config.h"
#include "sl_io.h"
#include "sl_layout.h"
#include "sl_math.h"
#include "sl_scenario.h"
#include "sl_yaml.h"

#define TRY(x)                    \
  do {                            \
    slStatus st_ = (x);           \
    if (st_ != SL_OK) return st_; \
  } while (0)

typedef struct Priv {
  slyDoc* doc;
  char    pool[16384];
} Priv;

void sl_sweep_free(slSweep* sw) {
  if (!sw) return;
  Priv* pv = sw->priv;
  if (pv) sly_free(pv->doc);
  free(pv);
  free(sw->text);
  free(sw->set);
  free(sw->pos_file);
  free(sw->pos_name);
  free(sw->role_name);
  free(sw);
}

static int is_number(const char* s, double* v) {
  char*  end;
  double x = strtod(s, &end);
  if (end == s || *end || !isfinite(x)) return 0;
  if (v) *v = x;
  return 1;
}

// A parameter on a solver.* or motion.* path: the key must be in the option table, and every
// listed value (or both ends of a range) within its type and range, checked where it is written.
static slStatus check_option(const slSweepParam* P, const slyNode* it, slError* err) {
  slRoute r = sl_route(P->path);
  if (r != SL_ROUTE_SOLVER && r != SL_ROUTE_MOTION) return SL_OK;
  const slOptionInfo* o = NULL;
  char                w[512];
  sly_where(sly_get(it, "path"), w, sizeof w);
  TRY(sl_option_lookup(P->path, w, &o, err));
  const slyNode* vals = sly_get(it, "values");
  for (int k = 0; k < P->nvalues; k++) {
    sly_where(vals->item[k], w, sizeof w);
    TRY(sl_option_check(o, P->values[k], w, err));
  }
  if (P->nvalues) return SL_OK;
  const slyNode* range = sly_get(it, "range");
  sly_where(range, w, sizeof w);
  if (o->type == SL_OPT_ENUM || o->type == SL_OPT_BOOL) {
    char list[400];
    sl_option_allowed(o, list, sizeof list);
    return sl_fail(err, SL_ERR_TYPE, w, "'%s' takes one of: %s; list them under 'values'", o->key,
                   list);
  }
  for (int end = 0; end < 2; end++) {
    char v[64];
    snprintf(v, sizeof v, "%.17g", end ? P->hi : P->lo);
    TRY(sl_option_check(o, v, w, err));
  }
  return SL_OK;
}

static slStatus read_param(slSweepParam* P, const slyNode* it, slDesign design, slError* err) {
  static const char* const keys[] = {"path", "values", "range", "steps", NULL};
  TRY(sly_expect(it, SLY_MAP, "a sweep parameter", err));
  TRY(sly_check_keys(it, keys, "sweep parameter", err));
  const char* path = NULL;
  TRY(sly_str(it, "path", 1, &path, err));
  if (strlen(path) >= sizeof P->path)
    return sly_fail(err, SL_ERR_RANGE, it, "parameter path too long");
  snprintf(P->path, sizeof P->path, "%s", path);
  const slyNode* vals = sly_get(it, "values");
  const slyNode* range = sly_get(it, "range");
  if (!vals == !range)
    return sly_fail(err, SL_ERR_KEY, it, "parameter '%s' needs exactly one of 'values' or 'range'",
                    path);
  P->numeric = 1;
  if (vals) {
    TRY(sly_expect(vals, SLY_SEQ, "key 'values'", err));
    if (vals->n < 1 || vals->n > SL_SWEEP_MAXVAL)
      return sly_fail(err, SL_ERR_RANGE, vals, "'values' lists 1 to %d values", SL_SWEEP_MAXVAL);
    for (int k = 0; k < vals->n; k++) {
      const slyNode* v = vals->item[k];
      if (v->kind != SLY_SCALAR || strlen(v->str) >= 64)
        return sly_fail(err, SL_ERR_TYPE, v, "a parameter value must be a short single value");
      snprintf(P->values[k], sizeof P->values[k], "%s", v->str);
      if (!is_number(v->str, NULL)) P->numeric = 0;
    }
    P->nvalues = vals->n;
    if (sly_get(it, "steps")) return sly_fail(err, SL_ERR_KEY, it, "'steps' goes with 'range'");
    return check_option(P, it, err);
  }
  double r[2];
  TRY(sly_vec(it, "range", 1, 2, -1e9, 1e9, "", r, err));
  if (!(r[0] <= r[1])) return sly_fail(err, SL_ERR_RANGE, range, "range minimum above maximum");
  P->lo = r[0];
  P->hi = r[1];
  TRY(check_option(P, it, err));
  long steps = 0;
  TRY(sly_int(it, "steps", design == SL_DESIGN_GRID, 1, 100000, &steps, err));
  if (design != SL_DESIGN_GRID && steps)
    return sly_fail(err, SL_ERR_KEY, it,
                    "'steps' is for grid designs (random and lhs sample the range)");
  P->steps = (int)steps;
  return SL_OK;
}

const char* const SL_DESIGN_NAMES[SL_DESIGN_COUNT + 1] = {"grid", "random", "lhs", NULL};

static slStatus parse(slSweep* sw, const char* path, const slOverride* ov, int nov, slError* err) {
  static const char* const keys[] = {"format", "name",       "description", "positions", "library",
                                     "design", "parameters", "set",         "block",     NULL};
  static const char* const dkeys[] = {"type", "samples", "seed", NULL};
  Priv*                    pv = sw->priv;
  size_t                   len = 0;
  TRY(sl_read_file(path, &sw->text, &len, err));
  TRY(sly_parse(&pv->doc, sw->text, len, path, err));
  const slyNode* root = sly_root(pv->doc);
  TRY(sly_expect(root, SLY_MAP, "a sweep file", err));
  TRY(sly_check_keys(root, keys, "sweep", err));
  const char *fmt = NULL, *name = "sweep";
  TRY(sly_str(root, "format", 1, &fmt, err));
  if (strcmp(fmt, "spineload-sweep/1"))
    return sly_fail(err, SL_ERR_RANGE, sly_get(root, "format"),
                    "format '%s' is not supported (expected 'spineload-sweep/1')", fmt);
  TRY(sly_str(root, "name", 0, &name, err));
  snprintf(sw->name, sizeof sw->name, "%s", name);
  // design
  const slyNode* d = sly_get(root, "design");
  int            type = 0;
  long           samples = 0, seed = 1;
  if (d) {
    TRY(sly_expect(d, SLY_MAP, "key 'design'", err));
    TRY(sly_check_keys(d, dkeys, "design", err));
    TRY(sly_enum(d, "type", 0, SL_DESIGN_NAMES, &type, err));
    TRY(sly_int(d, "samples", type != SL_DESIGN_GRID, 1, 1000000000L, &samples, err));
    TRY(sly_int(d, "seed", 0, 0, 2147483647L, &seed, err));
    if (type == SL_DESIGN_GRID && sly_get(d, "samples"))
      return sly_fail(err, SL_ERR_KEY, d, "'samples' is for random and lhs designs");
  }
  sw->design = (slDesign)type;
  sw->seed = (uint64_t)seed;
  // parameters
  const slyNode* ps = sly_get(root, "parameters");
  if (ps) {
    TRY(sly_expect(ps, SLY_SEQ, "key 'parameters'", err));
    if (ps->n > SL_SWEEP_MAXPAR)
      return sly_fail(err, SL_ERR_RANGE, ps, "at most %d parameters", SL_SWEEP_MAXPAR);
    for (int k = 0; k < ps->n; k++) TRY(read_param(&sw->par[k], ps->item[k], sw->design, err));
    sw->npar = ps->n;
  }
  if (sw->design == SL_DESIGN_GRID) {
    double n = 1;
    for (int k = 0; k < sw->npar; k++)
      n *= sw->par[k].nvalues ? sw->par[k].nvalues : sw->par[k].steps;
    if (n > 1e12) return sly_fail(err, SL_ERR_RANGE, ps, "the grid has %.3g combinations", n);
    sw->ncomb = (long)n;
  } else {
    sw->ncomb = samples;
  }
  // positions: all of the library, or a list of names or files
  const char* lib = "../positions";
  TRY(sly_str(root, "library", 0, &lib, err));
  char libdir[1024];
  sl_path_join_dir(path, lib, libdir, sizeof libdir);
  const slyNode* pos = sly_get(root, "positions");
  if (!pos) return sly_fail(err, SL_ERR_KEY, root, "missing key 'positions' (a list, or 'all')");
  int n = 0;
  if (pos->kind == SLY_SCALAR && !strcmp(pos->str, "all")) {
    // every .yaml of the library directory, sorted
    n = sl_list_yaml(libdir, NULL, 0);
    if (n <= 0) return sly_fail(err, SL_ERR_IO, pos, "no position files in '%s'", libdir);
    sw->pos_file = calloc((size_t)n, sizeof *sw->pos_file);
    if (!sw->pos_file) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    sl_list_yaml(libdir, sw->pos_file, n);
  } else {
    TRY(sly_expect(pos, SLY_SEQ, "key 'positions'", err));
    n = pos->n;
    if (n < 1) return sly_fail(err, SL_ERR_RANGE, pos, "no positions listed");
    sw->pos_file = calloc((size_t)n, sizeof *sw->pos_file);
    if (!sw->pos_file) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    for (int k = 0; k < n; k++) {
      const slyNode* it = pos->item[k];
      if (it->kind != SLY_SCALAR) return sly_fail(err, SL_ERR_TYPE, it, "a position name or file");
      size_t l = strlen(it->str);
      if (l > 5 && !strcmp(it->str + l - 5, ".yaml"))
        sl_path_join_dir(path, it->str, sw->pos_file[k], sizeof sw->pos_file[k]);
      else
        snprintf(sw->pos_file[k], sizeof sw->pos_file[k], "%.900s/%s.yaml", libdir, it->str);
      if (access(sw->pos_file[k], R_OK) != 0)  // name the line that refers to it
        return sly_fail(err, SL_ERR_IO, it, "position '%s': cannot read %s: %s", it->str,
                        sw->pos_file[k], strerror(errno));
    }
  }
  sw->npos = n;
  sw->pos_name = calloc((size_t)n, sizeof *sw->pos_name);
  sw->role_name = calloc((size_t)n, sizeof *sw->role_name);
  if (!sw->pos_name || !sw->role_name) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  // fixed overrides
  sw->set = calloc(2 * SL_MAXSET, sizeof(slOverride));
  if (!sw->set) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  const slyNode* set = sly_get(root, "set");
  size_t         used = 0;
  if (set) {
    TRY(sly_expect(set, SLY_MAP, "key 'set'", err));
    int m = sl_set_flatten(set, "", sw->set, SL_MAXSET, pv->pool, sizeof pv->pool, &used);
    if (m < 0) return sly_fail(err, SL_ERR_TYPE, set, "'set' holds single values by path");
    sw->nset = m;
    // solver.* and motion.* values are checked here, located at the `set:` mapping
    for (int i = 0; i < m; i++) {
      slRoute r = sl_route(sw->set[i].path);
      if (r != SL_ROUTE_SOLVER && r != SL_ROUTE_MOTION) continue;
      const slOptionInfo* o = NULL;
      char                w[512];
      sly_where(set, w, sizeof w);
      TRY(sl_option_lookup(sw->set[i].path, w, &o, err));
      TRY(sl_option_check(o, sw->set[i].value, w, err));
    }
  }
  for (int i = 0; i < nov && sw->nset < 2 * SL_MAXSET; i++) sw->set[sw->nset++] = ov[i];
  long block = 32;
  TRY(sly_int(root, "block", 0, 1, 100000, &block, err));
  sw->block = (int)block;
  sw->nunit = sw->ncomb * sw->npos;
  // the schedule and the journal keep a few bytes per block before anything is computed
  long nblock = (sw->nunit + sw->block - 1) / sw->block;
  if (nblock > SL_SWEEP_MAXBLOCK) {
    const slyNode* at = sly_get(root, "block") ? sly_get(root, "block") : root;
    long           need = (sw->nunit + SL_SWEEP_MAXBLOCK - 1) / SL_SWEEP_MAXBLOCK;
    return sly_fail(err, SL_ERR_RANGE, at,
                    "%ld units (%ld combinations x %d positions) in blocks of %d make %ld "
                    "blocks, more than the %d a sweep can schedule; set 'block' to at least %ld",
                    sw->nunit, sw->ncomb, sw->npos, sw->block, nblock, SL_SWEEP_MAXBLOCK,
                    need > 100000 ? 100000 : need);
  }
  uint64_t h = sl_hash_str(1469598103934665603ull, sw->text);
  for (int i = 0; i < sw->nset; i++)
    h = sl_hash_str(sl_hash_str(h, sw->set[i].path), sw->set[i].value);
  sw->fingerprint = sl_hash_str(h, SL_VERSION);
  return SL_OK;
}

slStatus sl_sweep_load(slSweep** out, const char* path, const slOverride* ov, int nov,
                       slError* err) {
  *out = NULL;
  slSweep* sw = calloc(1, sizeof *sw);
  Priv*    pv = calloc(1, sizeof *pv);
  if (!sw || !pv) {
    free(sw);
    free(pv);
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  sw->priv = pv;
  snprintf(sw->file, sizeof sw->file, "%s", path);
  slStatus st = parse(sw, path, ov, nov, err);
  if (st != SL_OK) {
    sl_sweep_free(sw);
    return st;
  }
  *out = sw;
  return SL_OK;
}

// ---- designs ------------------------------------------------------------------------------------
static uint64_t splitmix(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static double u01(uint64_t* s) {
  return (double)(splitmix(s) >> 11) * (1.0 / 9007199254740992.0);
}
// a pseudo-random uniform for (seed, parameter, combination): independent of evaluation order
static double draw(uint64_t seed, int par, long c, int which) {
  uint64_t s =
      seed * 0x100000001B3ull ^ ((uint64_t)par << 40) ^ ((uint64_t)c << 2) ^ (uint64_t)which;
  splitmix(&s);
  return u01(&s);
}
// Latin hypercube stratum of combination c for a parameter: a seeded permutation of 0..n-1,
// evaluated without storing it. For n <= 2^32 Kensler's hashed permutation (A. Kensler,
// "Correlated Multi-Jittered Sampling", Pixar Technical Memo 13-01, 2013: a bijection on the
// smallest power of two >= n, cycle-walked into range), whose columns are unrelated for any
// two seeds; an affine map x -> a x + b on that power of two (used before, and still for larger
// n) gives every pair of columns with multipliers a and -a a reversed order, which matters when
// a design has hundreds of columns (rank --uncertainty).
static long lhs_stratum(uint64_t seed, int par, long c, long n) {
  uint64_t s = seed ^ (0xA24BAED4963EE407ull * (uint64_t)(par + 1));
  if ((uint64_t)n <= 0xFFFFFFFFull) {
    uint32_t p = (uint32_t)(splitmix(&s) >> 32), l = (uint32_t)n, w = l - 1, i = (uint32_t)c;
    w |= w >> 1, w |= w >> 2, w |= w >> 4, w |= w >> 8, w |= w >> 16;
    do {
      i ^= p;
      i *= 0xe170893du;
      i ^= p >> 16;
      i ^= (i & w) >> 4;
      i ^= p >> 8;
      i *= 0x0929eb3fu;
      i ^= p >> 23;
      i ^= (i & w) >> 1;
      i *= 1u | p >> 27;
      i *= 0x6935fa69u;
      i ^= (i & w) >> 11;
      i *= 0x74dcb303u;
      i ^= (i & w) >> 2;
      i *= 0x9e501cc3u;
      i ^= (i & w) >> 2;
      i *= 0xc860a3dfu;
      i &= w;
      i ^= i >> 5;
    } while (i >= l);
    return (long)((i + p) % l);
  }
  uint64_t m = 1;
  while (m < (uint64_t)n) m <<= 1;
  uint64_t a = (splitmix(&s) | 1u) & (m - 1), b = splitmix(&s) & (m - 1);
  if (a == 0) a = 1;
  uint64_t x = (uint64_t)c;
  do x = (a * x + b) & (m - 1);  // odd multiplier: a permutation of 0..m-1
  while (x >= (uint64_t)n);
  return (long)x;
}

const char* sl_sweep_param_unit(const slSweepParam* p) {
  if (!p->numeric) return sl_layout_sweep_param_categorical;
  const slOptionInfo* oi = sl_option_find(p->path);
  if (oi) return oi->unit[0] ? oi->unit : "1";
  static const char* const suffix[][2] = {
      {"_kg", "kg"},    {"_mm2", "mm^2"}, {"_cm2", "cm^2"}, {"_m2", "m^2"},  {"_mm", "mm"},
      {"_cm", "cm"},    {"_m", "m"},      {"_deg", "deg"},  {"_rad", "rad"}, {"_hz", "Hz"},
      {"_s", "s"},      {"_nm", "N m"},   {"_n", "N"},      {"_kpa", "kPa"}, {"_mpa", "MPa"},
      {"_pa", "Pa"},    {"_scale", "1"},  {"_share", "1"},  {"_ratio", "1"}, {"_fraction", "1"},
      {"_percent", "%"}};
  size_t lp = strlen(p->path);
  for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++) {
    size_t ls = strlen(suffix[k][0]);
    if (lp > ls && !strcmp(p->path + lp - ls, suffix[k][0])) return suffix[k][1];
  }
  return "as in the model file";
}

void sl_sweep_param_labels(const slSweepParam* p, char* buf, size_t n) {
  size_t at = 0;
  buf[0] = 0;
  for (int k = 0; !p->numeric && k < p->nvalues && at + 1 < n; k++) {
    int w = snprintf(buf + at, n - at, "%s%s", k ? "|" : "", p->values[k]);
    if (w < 0) break;
    at += (size_t)w;
    if (at >= n) at = n - 1;
  }
}

double sl_design_u(slDesign design, uint64_t seed, int par, long c, long n) {
  if (design == SL_DESIGN_LHS)
    return ((double)lhs_stratum(seed, par, c, n) + draw(seed, par, c, 1)) / (double)n;
  return draw(seed, par, c, 0);
}

void sl_sweep_values(const slSweep* sw, long c, char (*text)[64], double* num) {
  long rest = c;
  for (int k = 0; k < sw->npar; k++) {
    const slSweepParam* P = &sw->par[k];
    double              x = 0.0;
    int                 idx = -1;
    if (sw->design == SL_DESIGN_GRID) {
      long n = P->nvalues ? P->nvalues : P->steps;
      long i = rest % n;
      rest /= n;
      if (P->nvalues)
        idx = (int)i;
      else
        x = n > 1 ? P->lo + (P->hi - P->lo) * (double)i / (double)(n - 1) : P->lo;
    } else {
      double u = sl_design_u(sw->design, sw->seed, k, c, sw->ncomb);
      if (P->nvalues) {
        idx = (int)(u * P->nvalues);
        if (idx >= P->nvalues) idx = P->nvalues - 1;
      } else {
        x = P->lo + (P->hi - P->lo) * u;
      }
    }
    if (idx >= 0) {
      snprintf(text[k], 64, "%s", P->values[idx]);
      double v;
      num[k] = (P->numeric && is_number(P->values[idx], &v)) ? v : (double)idx;
    } else {
      snprintf(text[k], 64, "%.17g", x);
      num[k] = x;
    }
  }
}

// ---- workers
// the overrides of a combination, split by destination
typedef struct Split {
  slOverride pos[2 * SL_MAXSET + SL_SWEEP_MAXPAR];  // to the position loader
  int        npos;
  slOverride other[2 * SL_MAXSET + SL_SWEEP_MAXPAR];  // solver.* and motion.*
  int        nother;
} Split;
// --------------------------------------------------------------------------------------
typedef struct Cached {
  char*       key;
  slPosition* p;
  long        used;
  slMotionOpt mo;  // the cycle last applied to p
} Cached;

// room for every position under two model variants (units cycle through the positions)
struct slSweepWorker {
  const slSweep*  sw;
  int             ncache;
  Cached*         cache;
  long            clock;
  slModelCache*   models;  // the bodies of those positions, compiled once per variant
  slPositionWork* work;    // scene and work arrays of every unit's cycle
  slPositionRun** run;     // (npos) a unit's cycle, reused by the position's next unit (its
                           // metrics are all a unit keeps; one per position keeps each shape)
  Split* split;            // the unit's overrides
  char*  key;              // the unit's cache key (room for key_cap)
  size_t key_cap;
};

// Distinct position variants a sweep's units can ask for: positions x distinct sets of the
// parameters that reach the position (not solver.*, not motion.*: a cached position takes the
// cycle of each combination). A grid has the product of their counts; random and Latin
// hypercube designs draw listed values (at most the product) or from a range (a new value every
// combination, so a variant serves one unit and caching it cannot help).
static long variants(const slSweep* sw) {
  double sets = 1;
  for (int k = 0; k < sw->npar; k++) {
    const slSweepParam* P = &sw->par[k];
    slRoute             r = sl_route(P->path);
    if (r == SL_ROUTE_SOLVER || r == SL_ROUTE_MOTION) continue;
    if (P->nvalues)
      sets *= P->nvalues;
    else if (sw->design == SL_DESIGN_GRID)
      sets *= P->steps > 0 ? P->steps : 1;
    else
      return -1;  // continuous draws: every combination its own variant
  }
  if (sets > (double)sw->ncomb) sets = (double)sw->ncomb;
  return (long)fmin(sets * sw->npos, 1e9);
}

// Room for every variant a worker can meet, up to SL_SWEEP_MAXCACHE positions, so a variant is
// parsed, its bodies compiled and its partners placed once per thread however the parameters
// are ordered; for continuous draws the last two variants of every position (the units of a
// combination cycle through the positions).
#define SL_SWEEP_MAXCACHE 1024
static int cache_size(const slSweep* sw) {
  long v = variants(sw);
  if (v < 0) v = 2L * sw->npos;
  return v < 4 ? 4 : v > SL_SWEEP_MAXCACHE ? SL_SWEEP_MAXCACHE : (int)v;
}

slStatus sl_sweep_worker_make(const slSweep* sw, slSweepWorker** out, slError* err) {
  slSweepWorker* w = calloc(1, sizeof *w);
  int            n = cache_size(sw);
  if (w) w->cache = calloc((size_t)n, sizeof(Cached));
  if (w) w->split = malloc(sizeof *w->split);
  if (w) w->run = calloc((size_t)sw->npos + 1, sizeof *w->run);
  if (!w || !w->cache || !w->split || !w->run || sl_model_cache_make(&w->models, 8, err) != SL_OK ||
      sl_position_work_make(&w->work, err) != SL_OK) {
    if (w) {
      free(w->cache);
      free(w->split);
      free(w->run);
      sl_model_cache_free(w->models);
    }
    free(w);
    *out = NULL;
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  w->sw = sw;
  w->ncache = n;
  *out = w;
  return SL_OK;
}

void sl_sweep_worker_free(slSweepWorker* w) {
  if (!w) return;
  for (int k = 0; k < w->ncache; k++) {
    free(w->cache[k].key);
    sl_position_free(w->cache[k].p);
  }
  sl_model_cache_free(w->models);  // after the positions that hold its models
  for (int p = 0; p < w->sw->npos; p++) sl_position_run_free(w->run[p]);
  free(w->run);
  sl_position_work_free(w->work);
  free(w->cache);
  free(w->split);
  free(w->key);
  free(w);
}

static void split(const slSweep* sw, char (*vals)[64], Split* s) {
  s->npos = s->nother = 0;
  for (int i = 0; i < sw->nset + sw->npar; i++) {
    slOverride o = {0};
    if (i < sw->nset) {
      o = sw->set[i];
    } else {
      o.path = sw->par[i - sw->nset].path;
      o.value = vals[i - sw->nset];
    }
    slRoute r = sl_route(o.path);
    if (r == SL_ROUTE_SOLVER || r == SL_ROUTE_MOTION)
      s->other[s->nother++] = o;
    else
      s->pos[s->npos++] = o;
  }
}

// the cache key of (pos, overrides), in the worker's key buffer (grown when short)
static char* key_of(slSweepWorker* w, int pos, const Split* s) {
  size_t n = 32;
  for (int i = 0; i < s->npos; i++) n += strlen(s->pos[i].path) + strlen(s->pos[i].value) + 3;
  if (w->key_cap < n) {
    free(w->key);
    w->key = malloc(n);
    w->key_cap = w->key ? n : 0;
  }
  char* k = w->key;
  if (!k) return NULL;
  snprintf(k, n, "%d", pos);
  for (int i = 0; i < s->npos; i++) {
    sl_strcat(k, n, "|", s->pos[i].path);
    sl_strcat(k, n, "=", s->pos[i].value);
  }
  return k;
}

// the position for (pos, overrides), loaded or from the cache; NULL with err on failure
// (*fresh: loaded now, so its cycle is already mo's; *last: the cycle applied to it last)
static slPosition* position_for(slSweepWorker* w, int pos, const Split* s, const slMotionOpt* mo,
                                int* fresh, slMotionOpt** last, slError* err) {
  *fresh = 0;
  char* key = key_of(w, pos, s);
  if (!key) return NULL;
  int hit = -1, lru = 0;
  for (int k = 0; k < w->ncache; k++) {
    if (w->cache[k].key && !strcmp(w->cache[k].key, key)) hit = k;
    if (w->cache[k].used < w->cache[lru].used) lru = k;
  }
  w->clock++;
  if (hit >= 0) {
    w->cache[hit].used = w->clock;
    *last = &w->cache[hit].mo;
    return w->cache[hit].p;
  }
  slPosition* p = NULL;
  if (sl_position_load_cached(&p, w->sw->pos_file[pos], mo, s->pos, s->npos, w->models, err) !=
      SL_OK)
    return NULL;
  size_t kn = strlen(key) + 1;
  char*  kept = malloc(kn);
  if (kept) memcpy(kept, key, kn);
  key = kept;
  if (!key) {
    sl_position_free(p);
    sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    return NULL;
  }
  free(w->cache[lru].key);
  sl_position_free(w->cache[lru].p);
  w->cache[lru].key = key;
  w->cache[lru].p = p;
  w->cache[lru].used = w->clock;
  w->cache[lru].mo = *mo;
  *last = &w->cache[lru].mo;
  *fresh = 1;
  return p;
}

static int same_motion(const slMotionOpt* a, const slMotionOpt* b) {
  return a->frequency == b->frequency && a->samples == b->samples && a->amplitude == b->amplitude &&
         a->spine_share == b->spine_share && a->follower_amplitude == b->follower_amplitude &&
         a->automatic == b->automatic;
}

// the cycle of a combination, applied to a (cached) position unless it is the one applied last:
// choosing a role's strategy runs the planted limbs' inverse kinematics over the cycle (about a
// quarter of a unit's time), and the choice depends on the position and the cycle alone
static slStatus apply_motion(slSweepWorker* w, slPosition* p, const slMotionOpt* mot,
                             slMotionOpt* last, slError* err) {
  if (same_motion(mot, last)) return SL_OK;
  slStatus st = sl_position_set_motion_ws(p, mot, w->work, err);
  if (st == SL_OK) *last = *mot;
  return st;
}

static void fill_metrics(const slMetrics* mt, double* v) {
  v[SL_SM_LOAD_INDEX] = mt->load_index;
  for (int l = 0; l < SL_NLEVEL; l++) v[SL_SM_COMP_L5S1 + l] = mt->peak_comp[l];
  v[SL_SM_MEAN_COMP_L4L5] = mt->mean_comp[1];
  double sh = 0;
  for (int l = 0; l < SL_NLEVEL; l++) sh = fmax(sh, mt->peak_shear[l]);
  v[SL_SM_PEAK_SHEAR] = sh;
  v[SL_SM_PEAK_IDP_L4L5] = mt->peak_idp[1];
  v[SL_SM_FLEX_ROM] = mt->peak_flex_rom;
  v[SL_SM_EXT_ROM] = mt->peak_ext_rom;
  v[SL_SM_LAT_ROM] = mt->peak_lat_rom;
  v[SL_SM_TWIST_ROM] = mt->peak_twist_rom;
  v[SL_SM_MAX_RESERVE] = mt->max_reserve;
  v[SL_SM_SCORE_FLEX] = mt->score_flex;
  v[SL_SM_SCORE_EXT] = mt->score_ext;
  v[SL_SM_SCORE_COMP] = mt->score_comp;
}

void sl_sweep_unit(slSweepWorker* w, long u, slSweepRow rows[SL_SWEEP_ROLES], long* postures) {
  const slSweep* sw = w->sw;
  long           c = u / sw->npos;
  int            pos = (int)(u % sw->npos);
  char           vals[SL_SWEEP_MAXPAR][64];
  double         num[SL_SWEEP_MAXPAR];
  sl_sweep_values(sw, c, vals, num);
  for (int r = 0; r < SL_SWEEP_ROLES; r++) {
    memset(&rows[r], 0, sizeof rows[r]);
    rows[r].comb = (int32_t)c;
    rows[r].pos = pos;
    rows[r].role = r;
    rows[r].status = -1;
    memcpy(rows[r].param, num, sizeof(double) * (size_t)sw->npar);
    for (int k = 0; k < SL_SM_COUNT; k++) rows[r].metric[k] = NAN;
  }
  Split* s = w->split;
  split(sw, vals, s);
  slSoOpt      so = sl_so_opt_default();
  slMotionOpt  mo = sl_motion_opt_default();
  slOverride   rest[2 * SL_MAXSET + SL_SWEEP_MAXPAR];
  int          nrest = 0;
  slError      e;
  slPosition*  p = NULL;
  slMotionOpt* last = NULL;
  int          fresh = 0;
  if (sl_overrides_apply(s->other, s->nother, rest, &nrest, &so, &e) == SL_OK &&
      sl_motion_opt_set(&mo, s->other, s->nother, &e) == SL_OK)
    p = position_for(w, pos, s, &mo, &fresh, &last, &e);
  if (!p) {
    rows[0].status = rows[1].status = -2;
    return;
  }
  if ((!fresh && apply_motion(w, p, &mo, last, &e) != SL_OK) ||
      sl_position_run_ws(p, &so, 0, w->work, &w->run[pos], &e) != SL_OK) {
    for (int r = 0; r < p->nrole; r++) rows[r].status = -2;
    return;
  }
  const slPositionRun* run = w->run[pos];
  for (int r = 0; r < p->nrole && r < SL_SWEEP_ROLES; r++) {
    slMetrics mt;
    sl_metrics_compute(run, r, &mt);
    fill_metrics(&mt, rows[r].metric);
    rows[r].status = mt.failed ? -3 : mt.flagged;  // a cycle that did not converge: no result
  }
  *postures += (long)run->samples * p->nrole;
}

// ---- preparation
// ----------------------------------------------------------------------------------
slStatus sl_sweep_prepare(slSweep* sw, slError* err) {
  slModelCache* mc = NULL;
  slStatus      st = sl_model_cache_make(&mc, 8, err);
  if (st == SL_OK) st = sl_sweep_prepare_cached(sw, mc, err);
  sl_model_cache_free(mc);  // NULL is fine
  return st;
}

slStatus sl_sweep_prepare_cached(slSweep* sw, slModelCache* mc, slError* err) {
  slMotionOpt mo = sl_motion_opt_default();
  slSoOpt     so = sl_so_opt_default();
  slOverride  rest[2 * SL_MAXSET];
  int         nrest = 0;
  // fixed overrides must apply cleanly
  Split* s = malloc(sizeof *s);
  if (!s) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  char     vals[SL_SWEEP_MAXPAR][64];
  double   num[SL_SWEEP_MAXPAR];
  slStatus st = SL_OK;
  for (int pos = 0; pos < sw->npos && st == SL_OK; pos++) {
    // each parameter at its extremes, alone, on top of the fixed overrides: unknown paths and
    // values out of range are input errors found before the run
    for (int k = -1; k < sw->npar && st == SL_OK; k++) {
      for (int end = 0; end < (k < 0 ? 1 : 2) && st == SL_OK; end++) {
        sl_sweep_values(sw, 0, vals, num);
        if (k >= 0) {
          const slSweepParam* P = &sw->par[k];
          if (P->nvalues)
            snprintf(vals[k], 64, "%s", P->values[end ? P->nvalues - 1 : 0]);
          else
            snprintf(vals[k], 64, "%.17g", end ? P->hi : P->lo);
        }
        split(sw, vals, s);
        so = sl_so_opt_default();
        mo = sl_motion_opt_default();
        st = sl_overrides_apply(s->other, s->nother, rest, &nrest, &so, err);
        if (st == SL_OK) st = sl_motion_opt_set(&mo, s->other, s->nother, err);
        slPosition* p = NULL;
        if (st == SL_OK)
          st = sl_position_load_cached(&p, sw->pos_file[pos], &mo, s->pos, s->npos, mc, err);
        if (st == SL_OK && k < 0) {
          // a journal resumes only the sweep it was written for: with the same inputs
          sw->fingerprint = sl_position_fingerprint(p, sw->fingerprint);
          snprintf(sw->pos_name[pos], SL_NAME, "%s", p->name);
          for (int r = 0; r < SL_SWEEP_ROLES; r++)
            snprintf(sw->role_name[pos][r], SL_NAME, "%s", r < p->nrole ? p->role[r].name : "");
        }
        sl_position_free(p);
        if (st != SL_OK && k >= 0 && err) {
          char msg[sizeof err->msg];
          memcpy(msg, err->msg, sizeof msg);
          sl_fail(err, st, err->where, "sweep parameter '%s' = %s: %.600s", sw->par[k].path,
                  vals[k], msg);
        }
      }
      if (pos > 0) break;  // parameter checks once, on the first position
    }
  }
  free(s);
  // positions must have distinct names
  for (int a = 0; a < sw->npos && st == SL_OK; a++)
    for (int b = 0; b < a; b++)
      if (!strcmp(sw->pos_name[a], sw->pos_name[b]))
        st = sl_fail(err, SL_ERR_KEY, sw->pos_file[a], "position name '%s' is used twice",
                     sw->pos_name[a]);
  return st;
}
