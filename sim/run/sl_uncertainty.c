// sl_uncertainty.c: `spineload rank --uncertainty N`: how much of the ranking survives the spread
// of its inputs.
//
// Inputs. Shared by every position of a variant (one couple, one way of moving): the man's and
// the woman's stature, mass and sacral slope (truncated normal), the thrust frequency and the two
// amplitudes (uniform about the cycle's values) and the strategy (auto, mixed, spine). Per
// position and role: every posture angle the file writes (truncated normal about the written
// value with its `sd_deg`, or the default for a joint angle; pelvis orientation angles vary only
// with an sd_deg of their own). Truncation: each angle to the range in which the posture can be
// built (the model's ranges of motion, found by bisection with the other angles as written), each
// body quantity to the range its model key accepts.
//
// Sampling: a Latin hypercube of N variants over all inputs (sl_design_u of the sweep, one column
// per input), so a variant is a function of (seed, N, input, variant) alone. An input of zero
// spread is its value as written, and no override is made for it: with every spread zero each
// variant is the plain ranking bit for bit.
//
// Work: one unit is (variant, position): the position loaded with the variant's overrides (its
// bodies from a per-thread model cache), its cycle run, its roles' metrics kept. Units are items
// of the one driver (sl_driver.h); each depends only on its own inputs, so any thread count gives
// the same bits. A unit that cannot be built or does not converge is counted, not fatal.
// Under MPI (an SL_MPI build, MPI initialised by the caller) every process takes the units
// unit % processes == its rank, on its threads, and the results are summed over the processes
// (each cell is written by exactly one of them, the others hold 0), so every process ends with
// the same bits as one process alone.
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_driver.h"
#include "sl_layout.h"
#include "sl_model.h"
#include "sl_position.h"
#include "sl_stats.h"
#ifdef SL_HAVE_MPI
#include <mpi.h>
#endif
#include "sl_sweep.h"

enum { DIST_NORMAL = 0, DIST_UNIFORM = 1, DIST_CATEGORY = 2 };
enum {
  IN_MAN_HEIGHT = 0,
  IN_MAN_MASS,
  IN_WOMAN_HEIGHT,
  IN_WOMAN_MASS,
  IN_MAN_SACRAL,
  IN_WOMAN_SACRAL,
  IN_FREQUENCY,
  IN_AMPLITUDE,
  IN_FOLLOWER,
  IN_STRATEGY,
  IN_SHARED  // inputs every position shares
};
#define NPHEN 3  // flexion-intolerant, extension-intolerant, compression-sensitive
static const char* const PHENOTYPES[NPHEN] = {"flexion-intolerant", "extension-intolerant",
                                              "compression-sensitive"};

typedef struct Input {
  char   name[128];
  char   unit[8];
  int    pos, role, spread;  // a posture angle's position, role and spread index (else -1)
  int    contact;            // a friction coefficient: the position's contact index (else -1)
  int    dist;
  double mean, sd, lo, hi;  // sd: normal sd, uniform half width, categories (strategy)
} Input;

struct slUncertainty {
  slUncertaintyOpt  opt;
  int               np, nrow, nin, nmu;  // nmu: of the inputs, friction coefficients
  long              n;
  Input*            in;        // (nin)
  int*              pos_in0;   // (np + 1) a position's angle inputs are pos_in0[p] .. [p + 1]
  int*              row0;      // (np) first row of each position
  double*           x;         // (n x nin)
  double*           li;        // (n x nrow)
  double*           score;     // (n x nrow x NPHEN)
  int*              status;    // (n x nrow)
  slUncertaintyRow* row;       // (nrow)
  double*           pos_stat;  // (np x 6): plain rank, median, p05, p95, P gentle, P loading
  slUncertaintyPos* pos;       // (np) the same, for the accessor
  double*           claim;     // (np x 2)
  double*           sens;      // (nrow x nin)
  int               nline;
  char**            advice;  // (nline)
  long              complete, failed_units, not_built;
  long*             pos_failed;  // (np) units of each position without a result
  double            seconds;
  char              first_error[600];
};

slUncertaintyOpt sl_uncertainty_opt_default(void) {
  slUncertaintyOpt o;
  memset(&o, 0, sizeof o);
  o.variants = 100;
  o.seed = 1;
  o.angle_sd_deg = 5.0;
  o.angle_sd_scale = 1.0;
  o.height_sd_m[0] = 0.086, o.height_sd_m[1] = 0.030;
  o.mass_sd_kg[0] = 14.5, o.mass_sd_kg[1] = 7.2;
  o.sacral_sd_deg = 7.75;
  o.frequency_half_hz = 0.5;
  o.amplitude_half_deg = 2.0;
  o.follower_half_deg = 1.0;
  o.vary_strategy = 1;
  o.mu_cv = 0.15 / 0.46;
  return o;
}

void sl_uncertainty_free(struct slUncertainty* u) {
  if (!u) return;
  free(u->in);
  free(u->pos_in0);
  free(u->row0);
  free(u->x);
  free(u->li);
  free(u->score);
  free(u->status);
  free(u->row);
  free(u->pos_stat);
  free(u->pos);
  free(u->pos_failed);
  free(u->claim);
  free(u->sens);
  for (int i = 0; i < u->nline; i++) free(u->advice[i]);
  free(u->advice);
  free(u);
}

// ---- inputs -------------------------------------------------------------------------------------
static void set_input(Input* in, const char* name, const char* unit, int dist, double mean,
                      double sd, double lo, double hi) {
  memset(in, 0, sizeof *in);
  snprintf(in->name, sizeof in->name, "%s", name);
  snprintf(in->unit, sizeof in->unit, "%s", unit);
  in->pos = in->role = in->spread = in->contact = -1;
  in->dist = dist;
  in->mean = mean;
  in->sd = sd > 0.0 ? sd : 0.0;
  in->lo = lo;
  in->hi = hi;
}

// a role's posture with one angle set to v [deg] builds (within every range of motion)
static int angle_builds(const slModel* m, slData* d, double* q, const slPosture* base,
                        const slSpread* s, double v) {
  slPosture t = *base;
  for (int j = 0; j < 2; j++)
    if (s->off[j] != SL_SPREAD_NONE) *(double*)(void*)((char*)&t + s->off[j]) = v * SL_DEG;
  return sl_posture_to_q(m, d, &t, q, NULL) == SL_OK;
}

// the range [lo, hi] around the written value in which the posture builds, searched out to 4 sd
// (bisection to 1e-6 deg; the bound kept is one that builds)
static void angle_range(const slModel* m, slData* d, double* q, const slPosture* base,
                        const slSpread* s, double sd, double* lo, double* hi) {
  for (int side = 0; side < 2; side++) {
    double dir = side ? 1.0 : -1.0;
    double ok = s->mean_deg, far = s->mean_deg + dir * 4.0 * sd;
    if (far < s->lo_deg) far = s->lo_deg;
    if (far > s->hi_deg) far = s->hi_deg;
    if (angle_builds(m, d, q, base, s, far))
      ok = far;
    else
      for (int it = 0; it < 60 && fabs(far - ok) > 1e-6; it++) {
        double mid = 0.5 * (ok + far);
        if (angle_builds(m, d, q, base, s, mid))
          ok = mid;
        else
          far = mid;
      }
    if (side)
      *hi = ok;
    else
      *lo = ok;
  }
}

static slStatus make_inputs(struct slUncertainty* u, const slRank* rk, slError* err) {
  const slUncertaintyOpt* o = &u->opt;
  int                     nang = 0;
  for (int p = 0; p < rk->np; p++)
    for (int k = 0; k < rk->P[p]->nrole; k++) nang += rk->P[p]->role[k].nspread;
  u->nmu = 0;
  for (int p = 0; p < rk->np; p++) u->nmu += rk->P[p]->ncontact;
  u->nin = IN_SHARED + nang + u->nmu;
  u->in = calloc((size_t)u->nin, sizeof *u->in);
  u->pos_in0 = calloc((size_t)rk->np + 1, sizeof(int));
  if (!u->in || !u->pos_in0) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  // the couple: each sex's body as the library's first role of that sex has it
  const slModel* body[2] = {NULL, NULL};
  for (int p = 0; p < rk->np; p++)
    for (int k = 0; k < rk->P[p]->nrole; k++) {
      const slModel* m = rk->P[p]->role[k].model;
      if (!body[m->sex]) body[m->sex] = m;
    }
  static const char* const who[2] = {"man", "woman"};
  char                     nm[128];
  for (int s = 0; s < 2; s++) {
    const slModel* m = body[s];
    snprintf(nm, sizeof nm, "%s.height_m", who[s]);
    set_input(&u->in[s ? IN_WOMAN_HEIGHT : IN_MAN_HEIGHT], nm, "m", DIST_NORMAL,
              m ? m->height : 0.0, m ? o->height_sd_m[s] : 0.0, 1.0, 2.5);
    snprintf(nm, sizeof nm, "%s.mass_kg", who[s]);
    set_input(&u->in[s ? IN_WOMAN_MASS : IN_MAN_MASS], nm, "kg", DIST_NORMAL,
              m ? m->body_mass : 0.0, m ? o->mass_sd_kg[s] : 0.0, 20.0, 300.0);
    snprintf(nm, sizeof nm, "%s.sacral_slope_deg", who[s]);
    set_input(&u->in[s ? IN_WOMAN_SACRAL : IN_MAN_SACRAL], nm, "deg", DIST_NORMAL,
              m ? m->sacral_slope / SL_DEG : 0.0, m ? o->sacral_sd_deg : 0.0, 0.0, 80.0);
  }
  const slMotionOpt* mo = &rk->mot;
  set_input(&u->in[IN_FREQUENCY], "motion.frequency_hz", "Hz", DIST_UNIFORM, mo->frequency,
            mo->frequency > 0 ? o->frequency_half_hz : 0.0, 1e-3, 10.0);
  set_input(&u->in[IN_AMPLITUDE], "motion.amplitude_deg", "deg", DIST_UNIFORM,
            mo->amplitude / SL_DEG, o->amplitude_half_deg, 0.0, 30.0);
  set_input(&u->in[IN_FOLLOWER], "motion.follower_amplitude_deg", "deg", DIST_UNIFORM,
            mo->follower_amplitude / SL_DEG, o->follower_half_deg, 0.0, 30.0);
  set_input(&u->in[IN_STRATEGY], "motion.strategy", "1", DIST_CATEGORY, 0.0,
            o->vary_strategy && mo->automatic ? 3.0 : 0.0, 0.0, 2.0);
  // every posture angle written, with its range of motion
  int i = IN_SHARED;
  for (int p = 0; p < rk->np; p++) {
    u->pos_in0[p] = i;
    const slPosition* P = rk->P[p];
    for (int k = 0; k < P->nrole; k++) {
      const slRole*  R = &P->role[k];
      const slModel* m = R->model;
      slData*        d = NULL;
      double*        q = malloc(sizeof(double) * (size_t)m->ncoord);
      slStatus       st = q ? sl_data_make(m, &d, err) : SL_ERR_NOMEM;
      if (st != SL_OK) {
        free(q);
        return st == SL_ERR_NOMEM ? sl_fail(err, st, "", "out of memory") : st;
      }
      for (int j = 0; j < R->nspread; j++, i++) {
        const slSpread* s = &R->spread[j];
        double          sd = !isnan(s->sd_deg)            ? s->sd_deg
                             : s->kind == SL_SPREAD_JOINT ? o->angle_sd_deg
                                                          : 0.0;
        sd *= o->angle_sd_scale;
        snprintf(nm, sizeof nm, "%.40s.%.40s.%.40s", P->name, R->name, s->path);
        set_input(&u->in[i], nm, "deg", DIST_NORMAL, s->mean_deg, sd, s->mean_deg, s->mean_deg);
        u->in[i].pos = p, u->in[i].role = k, u->in[i].spread = j;
        if (u->in[i].sd > 0.0)
          angle_range(m, d, q, &R->posture, s, u->in[i].sd, &u->in[i].lo, &u->in[i].hi);
      }
      sl_data_free(d);
      free(q);
    }
    // every support's and partner contact's friction coefficient (the kinetic one follows in
    // proportion)
    for (int j = 0; j < P->ncontact; j++, i++) {
      const slContact* c = &P->contacts[j];
      const slModel*   m = P->role[c->body].model;
      double           sd = !isnan(c->mu_sd) ? c->mu_sd : o->mu_cv * c->mu;
      if (c->other >= 0)
        snprintf(nm, sizeof nm, "%.40s.%.24s.%.24s-%.24s.mu", P->name, P->role[c->body].name,
                 m->land_name[c->land], P->role[c->other].model->land_name[c->other_land]);
      else
        snprintf(nm, sizeof nm, "%.40s.%.24s.%.40s.mu", P->name, P->role[c->body].name,
                 m->land_name[c->land]);
      set_input(&u->in[i], nm, "1", DIST_NORMAL, c->mu, sd, 0.0, 2.0);
      u->in[i].pos = p, u->in[i].role = c->body, u->in[i].contact = j;
    }
  }
  u->pos_in0[rk->np] = i;
  return SL_OK;
}

// the value of input i in variant v
static double draw_input(const struct slUncertainty* u, int i, long v) {
  const Input* in = &u->in[i];
  if (in->sd <= 0.0) return in->mean;
  double w = sl_design_u(SL_DESIGN_LHS, u->opt.seed, i, v, u->n);
  if (in->dist == DIST_CATEGORY) {
    int c = (int)(w * in->sd);
    return c >= (int)in->sd ? in->sd - 1 : c;
  }
  if (in->dist == DIST_UNIFORM) {
    double lo = fmax(in->mean - in->sd, in->lo), hi = fmin(in->mean + in->sd, in->hi);
    return lo + (hi - lo) * w;
  }
  // normal truncated to [lo, hi]: the stratum's share of the truncated distribution
  double a = sl_norm_cdf((in->lo - in->mean) / in->sd),
         b = sl_norm_cdf((in->hi - in->mean) / in->sd);
  double x = in->mean + in->sd * sl_norm_ppf(a + (b - a) * w);
  return x < in->lo ? in->lo : x > in->hi ? in->hi : x;
}

// ---- the units ----------------------------------------------------------------------------------
typedef struct Ctx {
  struct slUncertainty* u;
  const slRank*         rk;
  const slOverride*     rest;  // the caller's overrides (solver.* removed)
  int                   nrest;
  long                  err_unit;  // the first unit (in unit order) that failed, and why
  slError               err;
  int                   prank, psize;  // this process and the number of processes (MPI)
} Ctx;

#define MAXOV 160
typedef struct Work {
  slModelCache*   mc;
  slPositionWork* pw;
  slPositionRun*  run;
  char            path[MAXOV][192];
  char            val[MAXOV][40];
  slOverride*     ov;        // (nrest + MAXOV)
  long            err_unit;  // the first unit that failed on this thread (-1: none)
  slError         err;
} Work;

static void* work_make(void* ctx, int thread, slError* err) {
  Ctx*  c = ctx;
  Work* w = calloc(1, sizeof *w);
  (void)thread;
  if (w) w->ov = calloc((size_t)c->nrest + MAXOV, sizeof(slOverride));
  if (!w || !w->ov || sl_model_cache_make(&w->mc, 8, err) != SL_OK ||
      sl_position_work_make(&w->pw, err) != SL_OK) {
    if (w) {
      free(w->ov);
      sl_model_cache_free(w->mc);
      free(w);
    }
    sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    return NULL;
  }
  w->err_unit = -1;
  return w;
}

static void work_free(void* ctx, void* wp) {
  Work* w = wp;
  Ctx*  c = ctx;
  if (!w) return;
  if (w->err_unit >= 0 && (c->err_unit < 0 || w->err_unit < c->err_unit))
    c->err_unit = w->err_unit, c->err = w->err;
  sl_position_run_free(w->run);
  sl_position_work_free(w->pw);
  sl_model_cache_free(w->mc);
  free(w->ov);
  free(w);
}

// one override "roles.<role>.<rest>" = v into the unit's list (nothing if v is the written value)
static void add_ov(Work* w, int* n, int nrest, const char* role, const char* what, double v) {
  if (*n - nrest >= MAXOV) return;
  int j = *n - nrest;
  snprintf(w->path[j], sizeof w->path[j], "roles.%.60s.%.120s", role, what);
  snprintf(w->val[j], sizeof w->val[j], "%.17g", v);
  w->ov[*n].path = w->path[j];
  w->ov[*n].value = w->val[j];
  (*n)++;
}

static int unit_item(void* ctx, void* wp, long unit) {
  Ctx*                  c = ctx;
  Work*                 w = wp;
  struct slUncertainty* u = c->u;
  long                  v = unit / u->np;
  int                   p = (int)(unit % u->np);
  const slPosition*     P = c->rk->P[p];
  const double*         x = u->x + (size_t)v * (size_t)u->nin;
  int                   n = 0;
  for (; n < c->nrest; n++) w->ov[n] = c->rest[n];
  for (int k = 0; k < P->nrole; k++) {
    int                      s = P->role[k].model->sex == SL_FEMALE;
    static const int         IN[2][3] = {{IN_MAN_HEIGHT, IN_MAN_MASS, IN_MAN_SACRAL},
                                         {IN_WOMAN_HEIGHT, IN_WOMAN_MASS, IN_WOMAN_SACRAL}};
    static const char* const KEY[3] = {"set.subject.height_m", "set.subject.mass_kg",
                                       "set.subject.sacral_slope_deg"};
    for (int j = 0; j < 3; j++)
      if (u->in[IN[s][j]].sd > 0.0) add_ov(w, &n, c->nrest, P->role[k].name, KEY[j], x[IN[s][j]]);
  }
  for (int i = u->pos_in0[p]; i < u->pos_in0[p + 1]; i++) {
    const Input* in = &u->in[i];
    if (in->sd <= 0.0 || in->contact >= 0) continue;  // friction: set after loading
    char what[96];
    snprintf(what, sizeof what, "posture.%s", P->role[in->role].spread[in->spread].path);
    add_ov(w, &n, c->nrest, P->role[in->role].name, what, x[i]);
  }
  slMotionOpt mo = c->rk->mot;
  if (u->in[IN_FREQUENCY].sd > 0.0) mo.frequency = x[IN_FREQUENCY];
  if (u->in[IN_AMPLITUDE].sd > 0.0) mo.amplitude = x[IN_AMPLITUDE] * SL_DEG;
  if (u->in[IN_FOLLOWER].sd > 0.0) mo.follower_amplitude = x[IN_FOLLOWER] * SL_DEG;
  if (u->in[IN_STRATEGY].sd > 0.0 && x[IN_STRATEGY] > 0.5) {
    mo.automatic = 0;
    mo.spine_share = x[IN_STRATEGY] > 1.5 ? 1.0 : 0.5;
  }
  slPosition* pos = NULL;
  slError     e;
  slStatus    st = sl_position_load_cached(&pos, P->file, &mo, w->ov, n, w->mc, &e);
  for (int i = u->pos_in0[p]; st == SL_OK && i < u->pos_in0[p + 1]; i++) {
    const Input* in = &u->in[i];
    if (in->sd <= 0.0 || in->contact < 0 || in->contact >= pos->ncontact) continue;
    slContact* ct = &pos->contacts[in->contact];
    if (ct->mu > 0.0) ct->mu_kinetic *= x[i] / ct->mu;
    ct->mu = x[i];
  }
  if (st == SL_OK) st = sl_position_run_ws(pos, &c->rk->so, SL_RES_FRAMES, w->pw, &w->run, &e);
  for (int k = 0; k < P->nrole; k++) {
    size_t at = (size_t)v * (size_t)u->nrow + (size_t)(u->row0[p] + k);
    if (st != SL_OK) {
      u->li[at] = NAN;
      for (int f = 0; f < NPHEN; f++) u->score[at * NPHEN + (size_t)f] = NAN;
      u->status[at] = -2;
      continue;
    }
    slMetrics mt;
    sl_metrics_compute(w->run, k, &mt);
    u->li[at] = mt.failed ? NAN : mt.load_index;
    u->score[at * NPHEN + 0] = mt.failed ? NAN : mt.score_flex;
    u->score[at * NPHEN + 1] = mt.failed ? NAN : mt.score_ext;
    u->score[at * NPHEN + 2] = mt.failed ? NAN : mt.score_comp;
    u->status[at] = mt.failed ? -3 : mt.flagged;
  }
  if (st != SL_OK && w->err_unit < 0) w->err_unit = unit, w->err = e;
  sl_position_free(pos);
  return 0;
}

// item i of this process: unit prank + i psize
static int proc_item(void* ctx, void* wp, long i) {
  Ctx* c = ctx;
  return unit_item(ctx, wp, c->prank + i * (long)c->psize);
}

// every process's cells summed into every process (one process wrote each, the others hold 0),
// and the first failure in unit order with its message from the process that met it
static slStatus procs_combine(struct slUncertainty* u, Ctx* c, size_t cells, slError* err) {
#ifdef SL_HAVE_MPI
  if (c->psize > 1) {
    int ok = MPI_Allreduce(MPI_IN_PLACE, u->li, (int)cells, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) ==
                 MPI_SUCCESS &&
             MPI_Allreduce(MPI_IN_PLACE, u->score, (int)(cells * NPHEN), MPI_DOUBLE, MPI_SUM,
                           MPI_COMM_WORLD) == MPI_SUCCESS &&
             MPI_Allreduce(MPI_IN_PLACE, u->status, (int)cells, MPI_INT, MPI_SUM, MPI_COMM_WORLD) ==
                 MPI_SUCCESS;
    long mine = c->err_unit >= 0 ? c->err_unit : LONG_MAX, first = LONG_MAX;
    ok = ok && MPI_Allreduce(&mine, &first, 1, MPI_LONG, MPI_MIN, MPI_COMM_WORLD) == MPI_SUCCESS;
    if (ok && first != LONG_MAX)
      ok = MPI_Bcast(u->first_error, (int)sizeof u->first_error, MPI_CHAR, (int)(first % c->psize),
                     MPI_COMM_WORLD) == MPI_SUCCESS;
    if (!ok)
      return sl_fail(err, SL_ERR_IO, "MPI", "combining the variants of the processes failed");
  }
#else
  (void)u, (void)c, (void)cells, (void)err;
#endif
  return SL_OK;
}

// ---- statistics ---------------------------------------------------------------------------------
static int cmp_dbl(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

// median, 5 % and 95 % of the n values in buf (sorted in place)
static void interval(double* buf, int n, double* med, double* lo, double* hi) {
  qsort(buf, (size_t)n, sizeof(double), cmp_dbl);
  *med = sl_quantile_sorted(buf, n, 0.5);
  *lo = sl_quantile_sorted(buf, n, 0.05);
  *hi = sl_quantile_sorted(buf, n, 0.95);
}

// Ranks of rows of one kind (moving or still) by score: rank[i] for rows of that kind, 1 the
// lowest, ties by row order (as sl_rank_scores); the count of that kind into *nk.
static void kind_ranks(const slUncertaintyRow* row, int nrow, int moving, const double* sc,
                       int* rank, int* nk) {
  *nk = 0;
  for (int i = 0; i < nrow; i++) {
    if (row[i].moving != moving) continue;
    (*nk)++;
    int r = 1;
    for (int j = 0; j < nrow; j++)
      if (row[j].moving == moving && (sc[j] < sc[i] || (sc[j] == sc[i] && j < i))) r++;
    rank[i] = r;
  }
}

static slStatus make_stats(struct slUncertainty* u, const slRank* rk, slError* err) {
  int     np = u->np, nr = u->nrow, nin = u->nin;
  long    n = u->n;
  size_t  big = (size_t)(n > 4 ? n : 4);
  double* buf = malloc(sizeof(double) * 4 * big);
  double* xs = malloc(sizeof(double) * big);
  double* ys = malloc(sizeof(double) * big);
  double* rk_row = malloc(sizeof(double) * big * (size_t)nr);  // role ranks per complete variant
  double* rk_pos = malloc(sizeof(double) * big * (size_t)np);
  double* ph_gentle = calloc((size_t)nr * NPHEN, sizeof(double));  // P gentlest third per phen.
  double* ph_loading = calloc((size_t)nr * NPHEN, sizeof(double));
  double* ph_med = calloc((size_t)nr * NPHEN * 4, sizeof(double));  // median per strategy + all
  char*   complete = calloc(big, 1);
  int*    r = malloc(sizeof(int) * (size_t)(nr + np + 1));
  double* sc = malloc(sizeof(double) * (size_t)(nr + np + 1));
  u->pos_stat = calloc((size_t)np * 6, sizeof(double));
  u->pos = calloc((size_t)np + 1, sizeof *u->pos);
  u->pos_failed = calloc((size_t)np + 1, sizeof(long));
  u->claim = calloc((size_t)np * 2, sizeof(double));
  u->sens = malloc(sizeof(double) * (size_t)nr * (size_t)nin);
  slStatus st = SL_OK;
  if (!buf || !xs || !ys || !rk_row || !rk_pos || !ph_gentle || !ph_loading || !ph_med ||
      !complete || !r || !sc || !u->pos_stat || !u->pos || !u->pos_failed || !u->claim ||
      !u->sens) {
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    goto done;
  }
  // which variants are complete; ranks within each
  u->complete = 0;
  u->failed_units = u->not_built = 0;
  for (long v = 0; v < n; v++) {
    int ok = 1;
    for (int p = 0; p < np; p++) {
      int bad = 0;
      int nb = 0;
      for (int k = 0; k < rk->P[p]->nrole; k++) {
        int stt = u->status[(size_t)v * (size_t)nr + (size_t)(u->row0[p] + k)];
        bad |= stt < 0;
        nb |= stt == -2;
      }
      u->failed_units += bad;
      u->not_built += nb;
      u->pos_failed[p] += bad;
      ok &= !bad;
    }
    complete[v] = (char)ok;
    if (!ok) continue;
    const double* li = u->li + (size_t)v * (size_t)nr;
    long          c = u->complete++;
    for (int moving = 0; moving < 2; moving++) {
      int nk = 0;
      kind_ranks(u->row, nr, moving, li, r, &nk);
      int third = (nk + 2) / 3;
      for (int i = 0; i < nr; i++) {
        if (u->row[i].moving != moving) continue;
        rk_row[(size_t)c * (size_t)nr + (size_t)i] = r[i];
        u->row[i].p_gentle += r[i] <= third;
        u->row[i].p_loading += r[i] > nk - third;
      }
      for (int f = 0; f < NPHEN; f++) {
        for (int i = 0; i < nr; i++)
          sc[i] = u->score[((size_t)v * (size_t)nr + (size_t)i) * NPHEN + (size_t)f];
        kind_ranks(u->row, nr, moving, sc, r, &nk);
        for (int i = 0; i < nr; i++) {
          if (u->row[i].moving != moving) continue;
          ph_gentle[(size_t)i * NPHEN + (size_t)f] += r[i] <= third;
          ph_loading[(size_t)i * NPHEN + (size_t)f] += r[i] > nk - third;
        }
      }
    }
    // positions by the worse partner, and the claims
    for (int p = 0; p < np; p++) {
      sc[p] = 0.0;
      for (int k = 0; k < rk->P[p]->nrole; k++) sc[p] = fmax(sc[p], li[u->row0[p] + k]);
    }
    sl_rank_scores(sc, np, r);
    int third = (np + 2) / 3;
    for (int p = 0; p < np; p++) {
      rk_pos[(size_t)c * (size_t)np + (size_t)p] = r[p];
      u->pos_stat[6 * p + 4] += r[p] <= third;
      u->pos_stat[6 * p + 5] += r[p] > np - third;
      slVerdict vd = SL_VERDICT_NONE;
      if (rk->P[p]->claim == SL_CLAIM_SAFE)
        vd = r[p] <= third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES;
      else if (rk->P[p]->claim == SL_CLAIM_RISKY)
        vd = r[p] > np - third ? SL_VERDICT_AGREES : SL_VERDICT_DISAGREES;
      u->claim[2 * p] += vd == rk->rk.verdict[p];
    }
  }
  double nc = u->complete > 0 ? (double)u->complete : NAN;
  for (int i = 0; i < nr; i++) {
    slUncertaintyRow* w = &u->row[i];
    w->p_gentle /= nc;
    w->p_loading /= nc;
    for (int f = 0; f < NPHEN; f++) {
      ph_gentle[(size_t)i * NPHEN + (size_t)f] /= nc;
      ph_loading[(size_t)i * NPHEN + (size_t)f] /= nc;
    }
    int m = 0;
    for (long v = 0; v < n; v++) {
      double y = u->li[(size_t)v * (size_t)nr + (size_t)i];
      if (!isnan(y)) buf[m++] = y;
      w->flagged += u->status[(size_t)v * (size_t)nr + (size_t)i] > 0;
    }
    w->results = m;
    if (m > 0)
      interval(buf, m, &w->li_median, &w->li_p05, &w->li_p95);
    else
      w->li_median = w->li_p05 = w->li_p95 = NAN;
    for (long c = 0; c < u->complete; c++) buf[c] = rk_row[(size_t)c * (size_t)nr + (size_t)i];
    if (u->complete > 0)
      interval(buf, (int)u->complete, &w->rank_median, &w->rank_p05, &w->rank_p95);
    else
      w->rank_median = w->rank_p05 = w->rank_p95 = NAN;
    // phenotype score medians: over all variants with a result, and per strategy drawn
    for (int f = 0; f < NPHEN; f++)
      for (int s = 0; s < 4; s++) {
        int mm = 0;
        for (long v = 0; v < n; v++) {
          double y = u->score[((size_t)v * (size_t)nr + (size_t)i) * NPHEN + (size_t)f];
          if (isnan(y)) continue;
          if (s < 3 && (int)u->x[(size_t)v * (size_t)nin + IN_STRATEGY] != s) continue;
          buf[mm++] = y;
        }
        double med = NAN, lo, hi;
        if (mm > 0) interval(buf, mm, &med, &lo, &hi);
        ph_med[((size_t)i * NPHEN + (size_t)f) * 4 + (size_t)s] = med;
      }
    // sensitivity: Spearman of each input with the load index (shared inputs and the position's
    // own angles)
    int p = rk->rk.row[i].pos;
    for (int j = 0; j < nin; j++) {
      double rho = NAN;
      if (j < IN_SHARED || (j >= u->pos_in0[p] && j < u->pos_in0[p + 1])) {
        int mm = 0;
        for (long v = 0; v < n; v++) {
          double y = u->li[(size_t)v * (size_t)nr + (size_t)i];
          if (isnan(y)) continue;
          xs[mm] = u->x[(size_t)v * (size_t)nin + (size_t)j];
          ys[mm++] = y;
        }
        if (mm >= 3 && u->in[j].sd > 0.0) rho = sl_spearman(xs, ys, mm, buf);
      }
      u->sens[(size_t)i * (size_t)nin + (size_t)j] = rho;
    }
    // the three inputs of largest |rho|
    w->ndriver = 0;
    int used[3] = {-1, -1, -1};
    for (int a = 0; a < 3; a++) {
      int best = -1;
      for (int j = 0; j < nin; j++) {
        double rho = u->sens[(size_t)i * (size_t)nin + (size_t)j];
        if (isnan(rho) || j == used[0] || j == used[1] || j == used[2]) continue;
        if (best < 0 || fabs(rho) > fabs(u->sens[(size_t)i * (size_t)nin + (size_t)best])) best = j;
      }
      if (best < 0) break;
      used[a] = best;
      const char* nm = u->in[best].name;
      if (u->in[best].pos >= 0 && strchr(nm, '.')) nm = strchr(nm, '.') + 1;
      w->driver[a] = nm;
      w->driver_rho[a] = u->sens[(size_t)i * (size_t)nin + (size_t)best];
      w->ndriver++;
    }
  }
  for (int p = 0; p < np; p++) {
    double* ps = u->pos_stat + 6 * p;
    ps[0] = rk->rk.pos_rank[p];
    for (long c = 0; c < u->complete; c++) buf[c] = rk_pos[(size_t)c * (size_t)np + (size_t)p];
    if (u->complete > 0)
      interval(buf, (int)u->complete, &ps[1], &ps[2], &ps[3]);
    else
      ps[1] = ps[2] = ps[3] = NAN;
    ps[4] /= nc;
    ps[5] /= nc;
    if (rk->P[p]->claim == SL_CLAIM_NONE) {
      u->claim[2 * p] = u->claim[2 * p + 1] = NAN;
    } else {
      u->claim[2 * p] /= nc;
      u->claim[2 * p + 1] = u->claim[2 * p] >= 0.9 ? 1.0 : 0.0;
    }
    slUncertaintyPos* q = &u->pos[p];
    q->position = rk->P[p]->name, q->title = rk->P[p]->title;
    q->rank_plain = ps[0], q->rank_median = ps[1], q->rank_p05 = ps[2], q->rank_p95 = ps[3];
    q->p_gentle = ps[4], q->p_loading = ps[5];
    q->claim_holds = u->claim[2 * p];
  }
  // advice: per phenotype and partner, the positions by median phenotype score
  u->advice = calloc(NPHEN * 2 + 1, sizeof(char*));
  if (!u->advice) {
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    goto done;
  }
  for (int f = 0; f < NPHEN && st == SL_OK; f++)
    for (int moving = 1; moving >= 0 && st == SL_OK; moving--) {
      int idx[256], m = 0;
      for (int i = 0; i < nr && m < 256; i++)
        if (u->row[i].moving == moving) idx[m++] = i;
      // sort by the median score (insertion sort, stable)
      for (int a = 1; a < m; a++)
        for (int b = a; b > 0; b--) {
          double x0 = ph_med[((size_t)idx[b - 1] * NPHEN + (size_t)f) * 4 + 3];
          double x1 = ph_med[((size_t)idx[b] * NPHEN + (size_t)f) * 4 + 3];
          if (!(x1 < x0)) break;
          int t = idx[b];
          idx[b] = idx[b - 1];
          idx[b - 1] = t;
        }
      char*  line = NULL;
      size_t len = 0;
      FILE*  fm = open_memstream(&line, &len);
      if (!fm) {
        st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
        break;
      }
      fprintf(fm, "%s back, %s partner: gentlest ", PHENOTYPES[f], moving ? "moving" : "still");
      for (int a = 0; a < m && a < 3; a++) {
        int i = idx[a];
        fprintf(fm, "%s%s (%s; score %.2f, in the gentlest third in %.0f %% of variants)",
                a ? ", " : "", u->row[i].position, u->row[i].role,
                ph_med[((size_t)i * NPHEN + (size_t)f) * 4 + 3],
                100.0 * ph_gentle[(size_t)i * NPHEN + (size_t)f]);
      }
      fprintf(fm, "; avoid ");
      for (int a = m - 1; a >= 0 && a >= m - 2; a--) {
        int i = idx[a];
        fprintf(fm, "%s%s (score %.2f, in the most loading third in %.0f %%)",
                a < m - 1 ? ", " : "", u->row[i].position,
                ph_med[((size_t)i * NPHEN + (size_t)f) * 4 + 3],
                100.0 * ph_loading[(size_t)i * NPHEN + (size_t)f]);
      }
      if (u->in[IN_STRATEGY].sd > 0.0) {
        // the strategy with the lowest median score, counted over that partner's positions
        int best[3] = {0, 0, 0};
        for (int a = 0; a < m; a++) {
          const double* md = ph_med + ((size_t)idx[a] * NPHEN + (size_t)f) * 4;
          int           b = 0;
          for (int s = 1; s < 3; s++)
            if (md[s] < md[b]) b = s;
          best[b]++;
        }
        fprintf(
            fm,
            "; strategy with the lowest median score: auto (each role its preferred way) in %d, "
            "mixed in %d, spine-driven in %d of %d positions",
            best[0], best[1], best[2], m);
      }
      if (fclose(fm) != 0 || !line) {
        free(line);
        st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
        break;
      }
      u->advice[u->nline++] = line;
    }
done:
  free(buf);
  free(xs);
  free(ys);
  free(rk_row);
  free(rk_pos);
  free(ph_gentle);
  free(ph_loading);
  free(ph_med);
  free(complete);
  free(r);
  free(sc);
  return st;
}

// ---- the run ------------------------------------------------------------------------------------
slStatus sl_rank_uncertainty(slRank* rk, const slOverride* ov, int nov, const slUncertaintyOpt* o,
                             slError* err) {
  if (!rk || !o || o->variants < 1 || o->variants > 1000000)
    return sl_fail(err, SL_ERR_ARG, "--uncertainty", "the number of variants must be in [1, 1e6]");
  if (!(o->angle_sd_deg >= 0.0 && o->angle_sd_deg <= SL_SPREAD_MAX_SD_DEG) ||
      !(o->angle_sd_scale >= 0.0))
    return sl_fail(err, SL_ERR_RANGE, "--uncertainty", "angle spreads must be >= 0");
  struct slUncertainty* u = calloc(1, sizeof *u);
  if (!u) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  u->opt = *o;
  u->np = rk->np;
  u->nrow = rk->rk.nrow;
  u->n = o->variants;
  double   t0 = sl_clock();
  size_t   cells = (size_t)u->n * (size_t)u->nrow;
  slStatus st = make_inputs(u, rk, err);
  if (st == SL_OK) {
    u->row0 = calloc((size_t)u->np + 1, sizeof(int));
    u->row = calloc((size_t)u->nrow + 1, sizeof *u->row);
    u->x = malloc(sizeof(double) * (size_t)u->n * (size_t)u->nin);
    u->li = malloc(sizeof(double) * cells + 1);
    u->score = malloc(sizeof(double) * cells * NPHEN + 1);
    u->status = calloc(cells + 1, sizeof(int));
    if (!u->row0 || !u->row || !u->x || !u->li || !u->score || !u->status)
      st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  for (int i = 0; st == SL_OK && i < u->nrow; i++) {
    const slRankRow*  w = &rk->rk.row[i];
    slUncertaintyRow* x = &u->row[i];
    if (w->role == 0) u->row0[w->pos] = i;
    x->position = rk->P[w->pos]->name, x->title = rk->P[w->pos]->title;
    x->role = rk->P[w->pos]->role[w->role].name;
    x->moving = rk->P[w->pos]->role[w->role].drive == SL_DRIVE_DRIVER;
    x->li_plain = w->mt.failed ? NAN : w->mt.load_index;
  }
  // the plain ranks of each row among its kind
  if (st == SL_OK) {
    double* sc = malloc(sizeof(double) * (size_t)u->nrow + 1);
    int*    r = malloc(sizeof(int) * (size_t)u->nrow + 1);
    if (!sc || !r) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    for (int i = 0; st == SL_OK && i < u->nrow; i++)
      sc[i] = rk->rk.row[i].mt.failed ? INFINITY : rk->rk.row[i].mt.load_index;
    for (int moving = 0; st == SL_OK && moving < 2; moving++) {
      int nk = 0;
      kind_ranks(u->row, u->nrow, moving, sc, r, &nk);
      for (int i = 0; i < u->nrow; i++)
        if (u->row[i].moving == moving) u->row[i].rank_plain = r[i];
    }
    free(sc);
    free(r);
  }
  for (long v = 0; st == SL_OK && v < u->n; v++)
    for (int i = 0; i < u->nin; i++)
      u->x[(size_t)v * (size_t)u->nin + (size_t)i] = draw_input(u, i, v);
  slOverride* rest = NULL;
  int         nrest = 0;
  if (st == SL_OK) {
    rest = calloc((size_t)nov + 1, sizeof *rest);
    if (!rest) st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    for (int i = 0; rest && i < nov; i++)
      if (sl_route(ov[i].path) != SL_ROUTE_SOLVER && sl_route(ov[i].path) != SL_ROUTE_MOTION)
        rest[nrest++] = ov[i];
  }
  slDriver* d = NULL;
  Ctx       c = {u, rk, rest, nrest, -1, {0}, 0, 1};
  sl_driver_procs(&c.prank, &c.psize);
  long units = u->n * (long)u->np;
  if (st == SL_OK && c.psize > 1) {  // the cells of other processes' units stay 0 here
    memset(u->li, 0, sizeof(double) * cells);
    memset(u->score, 0, sizeof(double) * cells * NPHEN);
  }
  long mine = units > c.prank ? (units - c.prank + c.psize - 1) / c.psize : 0;
  if (st == SL_OK) st = sl_driver_make(&d, o->threads, work_make, work_free, &c, err);
  if (st == SL_OK) st = sl_driver_run(d, mine, proc_item, &c, err);
  sl_driver_free(d);  // hands each workspace's first failure to c (work_free)
  u->first_error[0] = 0;
  if (c.err_unit >= 0)
    snprintf(u->first_error, sizeof u->first_error, "variant %ld, %.60s: %.200s: %.300s",
             c.err_unit / u->np, rk->P[c.err_unit % u->np]->name, c.err.where, c.err.msg);
  if (st == SL_OK) st = procs_combine(u, &c, cells, err);
  free(rest);
  if (st == SL_OK) st = make_stats(u, rk, err);
  if (st != SL_OK) {
    sl_uncertainty_free(u);
    return st;
  }
  u->seconds = sl_clock() - t0;
  sl_uncertainty_free(rk->unc);
  rk->unc = u;
  return SL_OK;
}

int sl_rank_uncertainty_positions(const slRank* rk) {
  return rk && rk->unc ? rk->unc->np : 0;
}

const slUncertaintyPos* sl_rank_uncertainty_pos(const slRank* rk, int i) {
  if (!rk || !rk->unc || i < 0 || i >= rk->unc->np) return NULL;
  return &rk->unc->pos[i];
}

int sl_rank_uncertainty_rows(const slRank* rk) {
  return rk && rk->unc ? rk->unc->nrow : 0;
}

const slUncertaintyRow* sl_rank_uncertainty_row(const slRank* rk, int i) {
  if (!rk || !rk->unc || i < 0 || i >= rk->unc->nrow) return NULL;
  return &rk->unc->row[i];
}

// ---- outputs ------------------------------------------------------------------------------------
// the inputs that drive row i most, as text
static void drivers(const struct slUncertainty* u, int i, char* buf, size_t n) {
  const slUncertaintyRow* w = &u->row[i];
  buf[0] = 0;
  for (int a = 0; a < w->ndriver; a++) {
    size_t at = strlen(buf);
    snprintf(buf + at, n - at, "%s%s %+.2f", a ? ", " : "", w->driver[a], w->driver_rho[a]);
  }
}

void sl_uncertainty_print(FILE* f, const slRank* rk, int md) {
  const struct slUncertainty* u = rk->unc;
  if (!u) return;
  int nang = u->nin - IN_SHARED - u->nmu, nvar = 0;
  for (int i = 0; i < u->nin; i++) nvar += u->in[i].sd > 0.0;
  fprintf(f, "\n%s Uncertainty: %ld variants (Latin hypercube, seed %llu)\n\n",
          md ? "##" : "==", u->n, (unsigned long long)u->opt.seed);
  fprintf(f,
          "Inputs that vary: %d of %d (%d shared: the couple's statures, masses and sacral slopes, "
          "the thrust's frequency, amplitudes and strategy; %d posture angles, default sd %.3g deg "
          "for joint angles; %d friction coefficients of supports and partner contacts, default sd "
          "%.2f x mu). %ld variants complete (every position and role has a result: the rank "
          "statistics use these); %ld (variant, position) units without a result (%ld could not be "
          "built, %ld did not converge).\n\n",
          nvar, u->nin, IN_SHARED, nang, u->opt.angle_sd_deg, u->nmu, u->opt.mu_cv, u->complete,
          u->failed_units, u->not_built, u->failed_units - u->not_built);
  if (u->first_error[0]) fprintf(f, "The first that failed: %s.\n\n", u->first_error);
  fprintf(f,
          "| position | role | partner | LI plain | LI median | LI 5-95 %% | rank plain | rank "
          "median | rank 5-95 %% | P gentlest third | P most loading third | flagged | inputs that "
          "drive it (Spearman rho) |\n");
  fprintf(f, "|---|---|---|---:|---:|---|---:|---:|---|---:|---:|---:|---|\n");
  for (int i = 0; i < u->nrow; i++) {
    const slUncertaintyRow* w = &u->row[i];
    char                    drv[512];
    drivers(u, i, drv, sizeof drv);
    fprintf(
        f,
        "| %s | %s | %s | %.2f | %.2f | %.2f-%.2f | %.0f | %.0f | %.0f-%.0f | %.2f | %.2f | %ld "
        "| %s |\n",
        w->position, w->role, w->moving ? "moving" : "still", w->li_plain, w->li_median, w->li_p05,
        w->li_p95, w->rank_plain, w->rank_median, w->rank_p05, w->rank_p95, w->p_gentle,
        w->p_loading, w->flagged, drv);
  }
  fprintf(f,
          "\n(rank: among the partners of the same kind, moving or still, 1 = gentlest; thirds of "
          "that ranking; flagged: variants with samples that needed reserves or were beyond joint "
          "strength)\n\n");
  fprintf(
      f,
      "| position (worse partner) | rank plain | rank median | rank 5-95 %% | P gentlest "
      "third | P most loading third | no result | claim | plain verdict | holds in | robust (>= 90 "
      "%%) |\n");
  fprintf(f, "|---|---:|---:|---|---:|---:|---:|---|---|---:|---|\n");
  static const char* const vname[4] = {"-", "agrees", "disagrees", "cannot judge"};
  for (int p = 0; p < u->np; p++) {
    const double*     ps = u->pos_stat + 6 * p;
    const slPosition* P = rk->P[p];
    int               claimed = P->claim != SL_CLAIM_NONE;
    fprintf(f, "| %s | %.0f | %.0f | %.0f-%.0f | %.2f | %.2f | %ld | %s | %s |", P->name, ps[0],
            ps[1], ps[2], ps[3], ps[4], ps[5], u->pos_failed[p],
            P->claim == SL_CLAIM_SAFE    ? "safe"
            : P->claim == SL_CLAIM_RISKY ? "risky"
                                         : "-",
            vname[rk->rk.verdict[p]]);
    if (claimed)
      fprintf(f, " %.0f %% | %s |\n", 100.0 * u->claim[2 * p],
              u->claim[2 * p + 1] > 0 ? "yes" : "no");
    else
      fprintf(f, " | |\n");
  }
  fprintf(f, "\n%s Advice per phenotype and partner\n\n", md ? "###" : "--");
  fprintf(
      f,
      "(the positions with the lowest median phenotype score for that partner, and the share of "
      "variants in which each is in the gentlest third by that score)\n\n");
  for (int i = 0; i < u->nline; i++) fprintf(f, "* %s.\n", u->advice[i]);
}

slStatus sl_uncertainty_write_h5(slH5* h, const slRank* rk, slError* err) {
  const struct slUncertainty* u = rk->unc;
  if (!u) return SL_OK;
  const slLayoutItem* L = sl_layout_uncertainty;
  const char*         G = SL_LAYOUT_UNCERTAINTY;
  int                 nin = u->nin, nr = u->nrow, np = u->np;
  const char**        names = calloc((size_t)(nin + nr) + 1, sizeof(char*));
  const char**        units = calloc((size_t)nin + 1, sizeof(char*));
  char(*rown)[160] = calloc((size_t)nr + 1, sizeof *rown);
  double*  spread = malloc(sizeof(double) * 5 * (size_t)nin + 1);
  double*  tab = malloc(sizeof(double) * 4 * (size_t)(nr > np ? nr : np) + 1);
  slStatus st = SL_OK;
  if (!names || !units || !rown || !spread || !tab)
    st = sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  for (int i = 0; !st && i < nin; i++) {
    names[i] = u->in[i].name;
    units[i] = u->in[i].unit;
    double* s = spread + 5 * i;
    s[0] = u->in[i].mean, s[1] = u->in[i].sd, s[2] = u->in[i].lo, s[3] = u->in[i].hi;
    s[4] = u->in[i].dist;
  }
  if (!st) st = sl_layout_write_strings(h, G, &L[SL_LU_INPUT_NAMES], names, (size_t)nin, err);
  if (!st) st = sl_layout_write_strings(h, G, &L[SL_LU_INPUT_UNITS], units, (size_t)nin, err);
  size_t dims[2];
  dims[0] = (size_t)nin, dims[1] = 5;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_INPUT_SPREAD], dims, spread, err);
  dims[0] = (size_t)u->n, dims[1] = (size_t)nin;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_INPUTS], dims, u->x, err);
  for (int i = 0; !st && i < nr; i++) {
    snprintf(rown[i], sizeof rown[i], "%.70s/%.70s", u->row[i].position, u->row[i].role);
    names[i] = rown[i];
  }
  if (!st) st = sl_layout_write_strings(h, G, &L[SL_LU_ROW_NAMES], names, (size_t)nr, err);
  dims[0] = (size_t)u->n, dims[1] = (size_t)nr;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_LOAD_INDEX], dims, u->li, err);
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_STATUS], dims, u->status, err);
  for (int which = 0; which < 3 && !st; which++) {
    for (int i = 0; i < nr; i++) {
      const slUncertaintyRow* w = &u->row[i];
      double*                 t = tab + 4 * i;
      if (which == 0) t[0] = w->li_plain, t[1] = w->li_median, t[2] = w->li_p05, t[3] = w->li_p95;
      if (which == 1)
        t[0] = w->rank_plain, t[1] = w->rank_median, t[2] = w->rank_p05, t[3] = w->rank_p95;
      if (which == 2) tab[2 * i] = w->p_gentle, tab[2 * i + 1] = w->p_loading;
    }
    dims[0] = (size_t)nr, dims[1] = which == 2 ? 2 : 4;
    st = sl_layout_write(h, G,
                         &L[which == 0   ? SL_LU_LOAD_INDEX_INTERVAL
                            : which == 1 ? SL_LU_ROLE_RANK_INTERVAL
                                         : SL_LU_ROLE_THIRDS],
                         dims, tab, err);
  }
  for (int p = 0; !st && p < np; p++) memcpy(tab + 4 * p, u->pos_stat + 6 * p, 4 * sizeof(double));
  dims[0] = (size_t)np, dims[1] = 4;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_POSITION_RANK_INTERVAL], dims, tab, err);
  for (int p = 0; !st && p < np; p++)
    memcpy(tab + 2 * p, u->pos_stat + 6 * p + 4, 2 * sizeof(double));
  dims[1] = 2;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_POSITION_THIRDS], dims, tab, err);
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_CLAIM_HOLDS], dims, u->claim, err);
  dims[0] = (size_t)nr, dims[1] = (size_t)nin;
  if (!st) st = sl_layout_write(h, G, &L[SL_LU_SENSITIVITY], dims, u->sens, err);
  if (!st)
    st = sl_layout_write_strings(h, G, &L[SL_LU_ADVICE], (const char* const*)u->advice,
                                 (size_t)u->nline, err);
  if (!st) st = sl_h5_attr_i64(h, G, L[SL_LU_VARIANTS].path, u->n, err);
  if (!st) st = sl_h5_attr_i64(h, G, L[SL_LU_SEED].path, (long long)u->opt.seed, err);
  if (!st) st = sl_h5_attr_i64(h, G, L[SL_LU_COMPLETE].path, u->complete, err);
  if (!st) st = sl_h5_attr_i64(h, G, L[SL_LU_FAILED_UNITS].path, u->failed_units, err);
  if (!st) st = sl_h5_attr_f64(h, G, L[SL_LU_ANGLE_SD_DEG].path, u->opt.angle_sd_deg, err);
  if (!st) st = sl_h5_attr_f64(h, G, L[SL_LU_SECONDS].path, u->seconds, err);
  free(names);
  free(units);
  free(rown);
  free(spread);
  free(tab);
  return st;
}
