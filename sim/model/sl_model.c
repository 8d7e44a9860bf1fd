// sl_model.c: compile a model tree (YAML, see models/README.md) into an immutable slModel.
//
// The compiler reads every section with located checks, collecting all problems in an slDiag so
// that `spineload model check` can report them together. Units become SI (degrees -> radians),
// the subject scaling is applied (de Leva 1996 mass fractions and stature ratio), and derived
// tables are built: segment membership above each lumbar level, muscle-path crossings of each
// level, natural cubic splines, the S1 and T12 axes of the disc frames.
#include "sl_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_csv.h"
#include "sl_spec.h"
#include "sl_io.h"
#include "sl_math.h"
#include "sl_spline.h"

// the segment name of abdominal-wall points in the muscle point table
#define ABD_POINT_SEGMENT "abdominal_wall"

// ---- diagnostics
// ----------------------------------------------------------------------------------
void sl_diag_add(slDiag* dg, slStatus code, const char* where, const char* fmt, ...) {
  if (!dg) return;
  if (dg->n < dg->cap && dg->item) {
    slError* e = &dg->item[dg->n];
    e->code = code;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  }
  dg->n++;
  if (code == SL_OK) dg->nwarn++;
}

static int diag_errors(const slDiag* dg) {
  return dg->n - dg->nwarn;
}

static slStatus diag_first(const slDiag* dg) {
  int n = dg->n < dg->cap ? dg->n : dg->cap;
  for (int i = 0; i < n; i++)
    if (dg->item[i].code != SL_OK) return dg->item[i].code;
  return diag_errors(dg) > 0 ? SL_ERR_MODEL : SL_OK;
}

// record an slError from a getter into the diag list
static void diag_err(slDiag* dg, const slError* e) {
  sl_diag_add(dg, e->code, e->where, "%s", e->msg);
}

// ---- arena: one allocation carved by a layout function run twice
// ----------------------------------
typedef struct Arena {
  char*  base;  // NULL on the sizing pass
  size_t off;
} Arena;

static void* take(Arena* a, size_t bytes) {
  size_t off = (a->off + 63) & ~(size_t)63;
  a->off = off + bytes;
  return a->base ? a->base + off : NULL;
}

#define TAKE(a, ptr, n) (ptr) = take((a), sizeof(*(ptr)) * (size_t)((n) > 0 ? (n) : 1))

static void layout(Arena* a, slModel* m) {
  int ns = m->nseg, nc = m->ncoord, na = m->naxis, nk = m->nknot;
  int nm = m->nmus, np = m->npt, ng = m->ngroup, nx = m->ncross, nl = m->nland;
  TAKE(a, m->seg_name, ns);
  TAKE(a, m->jnt_name, ns);
  TAKE(a, m->seg_parent, ns);
  TAKE(a, m->seg_mass, ns);
  TAKE(a, m->seg_com, 3 * ns);
  TAKE(a, m->seg_inertia, 9 * ns);
  TAKE(a, m->seg_ppos, 3 * ns);
  TAKE(a, m->seg_prot, 9 * ns);
  TAKE(a, m->seg_cpos, 3 * ns);
  TAKE(a, m->seg_crot, 9 * ns);
  TAKE(a, m->seg_axadr, ns);
  TAKE(a, m->seg_axnum, ns);
  TAKE(a, m->seg_above, ns);
  TAKE(a, m->ax_type, na);
  TAKE(a, m->ax_fun, na);
  TAKE(a, m->ax_coord, na);
  TAKE(a, m->ax_dir, 3 * na);
  TAKE(a, m->ax_lin, na);
  TAKE(a, m->ax_knotadr, na);
  TAKE(a, m->ax_knotnum, na);
  TAKE(a, m->knot_x, nk);
  TAKE(a, m->knot_c, 4 * nk);
  TAKE(a, m->ax_seg, na);
  TAKE(a, m->ax_jdof, na);
  TAKE(a, m->jdof_coord, nc);
  TAKE(a, m->jdof_strength, 2 * nc);
  TAKE(a, m->seg_jdofs, ns);
  TAKE(a, m->coord_name, nc);
  TAKE(a, m->coord_type, nc);
  TAKE(a, m->coord_range, 2 * nc);
  TAKE(a, m->coord_default, nc);
  TAKE(a, m->mus_name, nm);
  TAKE(a, m->group_name, ng);
  TAKE(a, m->mus_group, nm);
  TAKE(a, m->mus_side, nm);
  TAKE(a, m->mus_fmax, nm);
  TAKE(a, m->mus_lev0, nm);
  TAKE(a, m->mus_nlev, nm);
  TAKE(a, m->mus_ptadr, nm);
  TAKE(a, m->mus_ptnum, nm);
  TAKE(a, m->pt_seg, np);
  TAKE(a, m->pt_pos, 3 * np);
  TAKE(a, m->pt_abd, np);
  TAKE(a, m->pt_share, np);
  TAKE(a, m->pt_pos2, 3 * np);
  TAKE(a, m->cross_mus, nx);
  TAKE(a, m->cross_pt, nx);
  TAKE(a, m->cross_lev, nx);
  TAKE(a, m->cross_nb, nx);
  TAKE(a, m->cross_img, nx);
  TAKE(a, m->cross_share, nx);
  TAKE(a, m->cross_first, nx);
  TAKE(a, m->wrap_name, m->nwrap);
  TAKE(a, m->wrap_shape, m->nwrap);
  TAKE(a, m->wrap_seg, m->nwrap);
  TAKE(a, m->wrap_dim, 3 * m->nwrap);
  TAKE(a, m->wrap_pos, 3 * m->nwrap);
  TAKE(a, m->wrap_rot, 9 * m->nwrap);
  TAKE(a, m->wrap_qaxis, m->nwrap);
  TAKE(a, m->wrap_qsign, m->nwrap);
  TAKE(a, m->wrap_active, m->nwrap);
  TAKE(a, m->mus_wrapadr, nm);
  TAKE(a, m->mus_wrapnum, nm);
  TAKE(a, m->mw_obj, m->nmwrap);
  TAKE(a, m->mw_pt0, m->nmwrap);
  TAKE(a, m->mw_pt1, m->nmwrap);
  TAKE(a, m->land_name, nl);
  TAKE(a, m->land_seg, nl);
  TAKE(a, m->land_pos, 3 * nl);
  TAKE(a, m->seg_by_name, ns);
  TAKE(a, m->coord_by_name, nc);
  TAKE(a, m->land_by_name, nl);
  TAKE(a, m->group_by_name, ng);
  TAKE(a, m->xl_cross, nx);
  TAKE(a, m->xl_pc, nx);
  TAKE(a, m->xl_img, nx);
  TAKE(a, m->xl_rm, nx);
  TAKE(a, m->xl_sg, nx);
}

// idx = 0..n-1 in the order of names (strcmp, ties by index): a stable bottom-up merge sort,
// O(n log n) (a model may have hundreds of thousands of landmarks; tests/cli/model_scale.sh).
// Returns -1 out of memory (idx then holds 0..n-1 unsorted: the caller drops the index).
static int sort_names(char (*names)[SL_NAME], int n, int* idx) {
  for (int i = 0; i < n; i++) idx[i] = i;
  if (n < 2) return 0;
  int* tmp = malloc(sizeof(int) * (size_t)n);
  if (!tmp) return -1;
  int *a = idx, *b = tmp;
  for (int w = 1; w < n; w *= 2) {
    for (int lo = 0; lo < n; lo += 2 * w) {
      int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) b[k++] = strcmp(names[a[j]], names[a[i]]) < 0 ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    int* t = a;
    a = b, b = t;
  }
  if (a != idx) memcpy(idx, a, sizeof(int) * (size_t)n);
  free(tmp);
  return 0;
}

// the first of names[0..n) equal to s, or -1 (the compiler looks up partly filled tables)
static int find_name(char (*names)[SL_NAME], int n, const char* s) {
  if (!s) return -1;
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

// A name index: where a name first occurs in a table (open addressing on an FNV-1a hash), so
// duplicate checks and lookups are linear in the table size, not quadratic (80k landmarks took
// 32 s with find_name). Keys point into the table being filled.
typedef struct NameIdx {
  int          cap;   // power of two, >= 2 x the names it will hold
  int*         slot;  // (cap) table index, -1 empty
  const char** key;   // (cap)
} NameIdx;

static int ni_init(NameIdx* x, int n) {
  x->cap = 16;
  while (x->cap < 2 * n) x->cap *= 2;
  x->slot = malloc(sizeof(int) * (size_t)x->cap);
  x->key = malloc(sizeof(char*) * (size_t)x->cap);
  if (!x->slot || !x->key) {
    free(x->slot), free(x->key);
    x->slot = NULL, x->key = NULL, x->cap = 0;
    return -1;
  }
  for (int k = 0; k < x->cap; k++) x->slot[k] = -1;
  return 0;
}

static void ni_free(NameIdx* x) {
  free(x->slot), free(x->key);
  x->slot = NULL, x->key = NULL, x->cap = 0;
}

static unsigned ni_hash(const char* s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

// the table index of s, or -1
static int ni_get(const NameIdx* x, const char* s) {
  if (!s || !x->cap) return -1;
  for (unsigned k = ni_hash(s) & (unsigned)(x->cap - 1);; k = (k + 1) & (unsigned)(x->cap - 1)) {
    if (x->slot[k] < 0) return -1;
    if (!strcmp(x->key[k], s)) return x->slot[k];
  }
}

// record name s (kept alive by the caller) at index i unless it is there already; returns the
// earlier index of a repeated name, else -1
static int ni_put(NameIdx* x, const char* s, int i) {
  if (!x->cap) return -1;
  unsigned k = ni_hash(s) & (unsigned)(x->cap - 1);
  for (; x->slot[k] >= 0; k = (k + 1) & (unsigned)(x->cap - 1))
    if (!strcmp(x->key[k], s)) return x->slot[k];
  x->slot[k] = i;
  x->key[k] = s;
  return -1;
}

// ---- compile context
// ------------------------------------------------------------------------------
typedef struct Ctx {
  slDiag*            dg;
  slModel*           m;
  const slyNode*     root;
  const slCsv*       mus;          // muscle table
  const slCsv*       pts;          // path point table
  double             lscale;       // stature ratio applied to lengths
  char               files[1024];  // tables used
  const slModelSpec* spec;         // the tree, the tables and where relative names resolve
  NameIdx            coord_idx, seg_idx, mus_idx, land_idx;  // names seen so far
} Ctx;

#define WHERE(node) (sly_where((node), w_, sizeof w_), w_)

// run a getter; on failure record it and remember the failure in ok
#define GET(ok, call)       \
  do {                      \
    slError e_;             \
    if ((call) != SL_OK) {  \
      diag_err(c->dg, &e_); \
      ok = 0;               \
    }                       \
    (void)(ok);             \
  } while (0)
#define ERR (&e_)

static int copy_name(Ctx* c, char dst[SL_NAME], const char* s, const slyNode* at,
                     const char* what) {
  char w_[512];
  if (!s || !*s) {
    sl_diag_add(c->dg, SL_ERR_KEY, WHERE(at), "%s: empty name", what);
    return 0;
  }
  if (strlen(s) >= SL_NAME) {
    sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(at), "%s '%s' is longer than %d characters", what, s,
                SL_NAME - 1);
    return 0;
  }
  snprintf(dst, SL_NAME, "%s", s);
  return 1;
}

static const slyNode* seq_of(Ctx* c, const slyNode* map, const char* key, int required) {
  char           w_[512];
  const slyNode* s = sly_get(map, key);
  if (!s) {
    if (required) sl_diag_add(c->dg, SL_ERR_KEY, WHERE(map), "missing key '%s'", key);
    return NULL;
  }
  if (s->kind == SLY_NULL) return NULL;
  if (s->kind != SLY_SEQ) {
    sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(s), "key '%s' must be a list", key);
    return NULL;
  }
  return s;
}

static const slyNode* map_of(Ctx* c, const slyNode* map, const char* key, int required) {
  char           w_[512];
  const slyNode* s = sly_get(map, key);
  if (!s) {
    if (required) sl_diag_add(c->dg, SL_ERR_KEY, WHERE(map), "missing key '%s'", key);
    return NULL;
  }
  if (s->kind != SLY_MAP) {
    sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(s), "key '%s' must be a mapping", key);
    return NULL;
  }
  return s;
}

static int check_keys(Ctx* c, const slyNode* map, const char* const* allowed, const char* ctx) {
  slError e;
  if (sly_check_keys(map, allowed, ctx, &e) != SL_OK) {
    diag_err(c->dg, &e);
    return 0;
  }
  return 1;
}

// ---- sections -----------------------------------------------------------------------------------
static const char* const SEX_NAMES[] = {"male", "female", NULL};
static const char* const SCALING_NAMES[] = {"de_leva", "proportional", "none", NULL};

typedef struct Subject {
  int    sex, scaling;
  double mass, height;
  double sacral_slope;  // [deg]
} Subject;

static int read_subject(Ctx* c, const slyNode* s, Subject* out, int with_scaling) {
  static const char* const keys[] = {"sex",     "mass_kg",          "height_m",
                                     "scaling", "sacral_slope_deg", NULL};
  static const char* const keys_ref[] = {"sex", "mass_kg", "height_m", NULL};
  int                      ok = check_keys(c, s, with_scaling ? keys : keys_ref, "subject");
  GET(ok, sly_enum(s, "sex", 1, SEX_NAMES, &out->sex, ERR));
  GET(ok, sly_num(s, "mass_kg", 1, 20.0, 300.0, "kg", &out->mass, ERR));
  GET(ok, sly_num(s, "height_m", 1, 1.0, 2.5, "m", &out->height, ERR));
  if (with_scaling) {
    GET(ok, sly_enum(s, "scaling", 0, SCALING_NAMES, &out->scaling, ERR));
    // S1 end-plate angle to the horizontal in upright standing (a property of the person)
    GET(ok, sly_num(s, "sacral_slope_deg", 0, 0.0, 80.0, "deg", &out->sacral_slope, ERR));
  }
  return ok;
}

static const char* const MASS_GROUPS[] = {"head",  "trunk", "upper_arm", "forearm", "hand",
                                          "thigh", "shank", "foot",      NULL};
#define NMASSGROUP 8

static void read_coordinates(Ctx* c, const slyNode* seq) {
  static const char* const keys[] = {"name",    "type",      "range_deg", "default_deg",
                                     "range_m", "default_m", NULL};
  static const char* const types[] = {"rotation", "translation", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  for (int i = 0; i < seq->n; i++) {
    const slyNode* it = seq->item[i];
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "coordinate %d must be a mapping", i + 1);
      continue;
    }
    int         ok = check_keys(c, it, keys, "coordinate");
    const char* name = NULL;
    int         type = 0;
    GET(ok, sly_str(it, "name", 1, &name, ERR));
    GET(ok, sly_enum(it, "type", 1, types, &type, ERR));
    if (name && copy_name(c, m->coord_name[i], name, it, "coordinate name")) {
      if (ni_put(&c->coord_idx, m->coord_name[i], i) >= 0)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "coordinate '%s' is defined twice", name);
    }
    m->coord_type[i] = type;
    double r[2] = {-1e9, 1e9}, def = 0.0;
    if (type == SL_AX_ROT) {
      GET(ok, sly_vec(it, "range_deg", 1, 2, -3600.0, 3600.0, "deg", r, ERR));
      GET(ok, sly_num(it, "default_deg", 0, -3600.0, 3600.0, "deg", &def, ERR));
      r[0] *= SL_DEG;
      r[1] *= SL_DEG;
      def *= SL_DEG;
    } else {
      GET(ok, sly_vec(it, "range_m", 1, 2, -100.0, 100.0, "m", r, ERR));
      GET(ok, sly_num(it, "default_m", 0, -100.0, 100.0, "m", &def, ERR));
    }
    if (ok && r[0] > r[1])
      sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(it), "coordinate '%s': range minimum above maximum",
                  name);
    m->coord_range[2 * i] = r[0];
    m->coord_range[2 * i + 1] = r[1];
    m->coord_default[i] = def;
  }
}

static int coord_by_name(Ctx* c, const slyNode* at, const char* name) {
  char w_[512];
  int  k = find_name(c->m->coord_name, c->m->ncoord, name);
  if (k < 0) sl_diag_add(c->dg, SL_ERR_KEY, WHERE(at), "unknown coordinate '%s'", name);
  return k;
}

static void read_frame(Ctx* c, const slyNode* joint, const char* key, double pos[3],
                       double rot[9]) {
  static const char* const keys[] = {"pos_m", "rot_deg", NULL};
  int                      ok = 1;
  const slyNode*           f = map_of(c, joint, key, 1);
  double                   e[3] = {0, 0, 0};
  slu_zero3(pos);
  if (f) {
    ok = check_keys(c, f, keys, key);
    GET(ok, sly_vec(f, "pos_m", 1, 3, -10.0, 10.0, "m", pos, ERR));
    GET(ok, sly_vec(f, "rot_deg", 0, 3, -720.0, 720.0, "deg", e, ERR));
  }
  for (int k = 0; k < 3; k++) e[k] *= SL_DEG;
  slu_euler_xyz(rot, e);
}

// one transform axis: {rotation|translation: [x,y,z], coord: name [, slope: k] |
// value_deg|value_m: v | spline: {coord, x_deg, y_deg|y_m}}
static void read_axis(Ctx* c, const slyNode* it, int ax, int* knot) {
  static const char* const keys[] = {"rotation",  "translation", "coord",  "slope",
                                     "value_deg", "value_m",     "spline", NULL};
  static const char* const skeys[] = {"coord", "x_deg", "y_deg", "y_m", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = check_keys(c, it, keys, "joint axis");
  int isrot = sly_get(it, "rotation") != NULL, istr = sly_get(it, "translation") != NULL;
  if (isrot == istr) {
    sl_diag_add(c->dg, SL_ERR_KEY, WHERE(it),
                "a joint axis needs exactly one of 'rotation' or 'translation'");
    return;
  }
  double dir[3] = {0, 0, 1};
  GET(ok, sly_vec(it, isrot ? "rotation" : "translation", 1, 3, -1e3, 1e3, "", dir, ERR));
  if (slu_normalize3(dir) < 1e-12) {
    sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(it), "joint axis direction is zero");
    dir[2] = 1.0;
  }
  m->ax_type[ax] = isrot ? SL_AX_ROT : SL_AX_TRANS;
  slu_copy3(m->ax_dir + 3 * ax, dir);
  m->ax_coord[ax] = -1;
  m->ax_knotadr[ax] = 0;
  m->ax_knotnum[ax] = 0;
  const slyNode* sp = sly_get(it, "spline");
  const char*    cname = NULL;
  if (sp) {
    if (sp->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(sp), "'spline' must be a mapping");
      return;
    }
    ok = check_keys(c, sp, skeys, "spline");
    GET(ok, sly_str(sp, "coord", 1, &cname, ERR));
    m->ax_fun[ax] = SL_FUN_SPLINE;
    if (cname) m->ax_coord[ax] = coord_by_name(c, sp, cname);
    const slyNode* xs = sly_get(sp, "x_deg");
    const slyNode* ys = sly_get(sp, isrot ? "y_deg" : "y_m");
    if (!xs || !ys || xs->kind != SLY_SEQ || ys->kind != SLY_SEQ || xs->n != ys->n || xs->n < 2 ||
        xs->n > 64) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(sp),
                  "spline needs lists 'x_deg' and '%s' of equal length (2 to 64)",
                  isrot ? "y_deg" : "y_m");
      return;
    }
    double x[64], y[64];
    for (int k = 0; k < xs->n; k++) {
      GET(ok, sly_node_num(xs->item[k], "spline x", -3600, 3600, "deg", &x[k], ERR));
      GET(ok, sly_node_num(ys->item[k], "spline y", -3600, 3600, isrot ? "deg" : "m", &y[k], ERR));
      x[k] *= SL_DEG;
      y[k] *= isrot ? SL_DEG : c->lscale;
      if (ok && k > 0 && !(x[k] > x[k - 1])) {
        sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(xs->item[k]), "spline x values must increase");
        ok = 0;
      }
    }
    if (!ok) return;
    m->ax_knotadr[ax] = *knot;
    m->ax_knotnum[ax] = xs->n;
    memcpy(m->knot_x + *knot, x, sizeof(double) * (size_t)xs->n);
    sl_spline_fit(x, y, xs->n, m->knot_c + 4 * *knot);
    *knot += xs->n;
    return;
  }
  if (sly_get(it, "coord")) {
    double slope = 1.0;
    GET(ok, sly_str(it, "coord", 1, &cname, ERR));
    GET(ok, sly_num(it, "slope", 0, -1e3, 1e3, "", &slope, ERR));
    m->ax_fun[ax] = SL_FUN_LINEAR;
    if (cname) m->ax_coord[ax] = coord_by_name(c, it, cname);
    // a coordinate-driven translation is the coordinate itself (metres): not scaled
    m->ax_lin[ax] = slope;
    if (m->ax_coord[ax] >= 0 && m->coord_type[m->ax_coord[ax]] != (isrot ? SL_AX_ROT : SL_AX_TRANS))
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "coordinate '%s' is a %s but drives a %s axis",
                  cname, isrot ? "translation" : "rotation", isrot ? "rotation" : "translation");
    return;
  }
  double v = 0.0;
  m->ax_fun[ax] = SL_FUN_CONST;
  if (isrot) {
    GET(ok, sly_num(it, "value_deg", 1, -3600, 3600, "deg", &v, ERR));
    m->ax_lin[ax] = v * SL_DEG;
  } else {
    GET(ok, sly_num(it, "value_m", 1, -10, 10, "m", &v, ERR));
    m->ax_lin[ax] = v * c->lscale;
  }
}

// read the segments: names, parents, masses (file values; scaling comes later), frames, axes
static void read_segments(Ctx* c, const slyNode* seq, int* group_of, double* share_of) {
  static const char* const keys[] = {"name",  "parent",       "mass_kg", "mass_group",
                                     "com_m", "inertia_kgm2", "joint",   NULL};
  static const char* const jkeys[] = {"name", "in_parent", "in_child", "axes", NULL};
  static const char* const gkeys[] = {"group", "share", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ax = 0, knot = 0;
  for (int i = 0; i < seq->n; i++) {
    const slyNode* it = seq->item[i];
    m->seg_parent[i] = -1;
    m->seg_axadr[i] = ax;
    m->seg_axnum[i] = 0;
    slu_eye3(m->seg_prot + 9 * i);
    slu_eye3(m->seg_crot + 9 * i);
    group_of[i] = -1;
    share_of[i] = 0.0;
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "segment %d must be a mapping", i + 1);
      continue;
    }
    int         ok = check_keys(c, it, keys, "segment");
    const char *name = NULL, *parent = NULL;
    GET(ok, sly_str(it, "name", 1, &name, ERR));
    GET(ok, sly_str(it, "parent", 1, &parent, ERR));
    if (name && copy_name(c, m->seg_name[i], name, it, "segment name")) {
      if (ni_put(&c->seg_idx, m->seg_name[i], i) >= 0)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "segment '%s' is defined twice", name);
    }
    if (parent) {
      if (strcmp(parent, "ground") == 0) {
        if (i != 0)
          sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it),
                      "segment '%s': only the first segment (the root) may hang from 'ground'",
                      name ? name : "?");
      } else {
        int p = find_name(m->seg_name, i, parent);
        if (p < 0)
          sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(sly_get(it, "parent")),
                      "segment '%s': parent '%s' is not a segment listed before it",
                      name ? name : "?", parent);
        m->seg_parent[i] = p;
      }
    }
    if (i == 0 && parent && strcmp(parent, "ground") != 0)
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "the first segment must have parent 'ground'");
    GET(ok, sly_num(it, "mass_kg", 1, 0.0, 500.0, "kg", &m->seg_mass[i], ERR));
    GET(ok, sly_vec(it, "com_m", 1, 3, -5.0, 5.0, "m", m->seg_com + 3 * i, ERR));
    double I6[6] = {0};
    GET(ok, sly_vec(it, "inertia_kgm2", 1, 6, -100.0, 100.0, "kg m^2", I6, ERR));
    double* I = m->seg_inertia + 9 * i;
    I[0] = I6[0], I[4] = I6[1], I[8] = I6[2];
    I[1] = I[3] = I6[3], I[2] = I6[4], I[6] = I6[4], I[5] = I[7] = I6[5];
    if (I6[0] < 0 || I6[1] < 0 || I6[2] < 0)
      sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(sly_get(it, "inertia_kgm2")),
                  "segment '%s': principal moments of inertia must not be negative",
                  name ? name : "?");
    const slyNode* mg = sly_get(it, "mass_group");
    if (mg) {
      if (mg->kind != SLY_MAP) {
        sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(mg), "'mass_group' must be a mapping");
      } else {
        check_keys(c, mg, gkeys, "mass_group");
        GET(ok, sly_enum(mg, "group", 1, MASS_GROUPS, &group_of[i], ERR));
        GET(ok, sly_num(mg, "share", 1, 0.0, 1.0, "", &share_of[i], ERR));
      }
    }
    const slyNode* j = map_of(c, it, "joint", 1);
    if (!j) continue;
    check_keys(c, j, jkeys, "joint");
    const char* jname = NULL;
    GET(ok, sly_str(j, "name", 1, &jname, ERR));
    if (jname) copy_name(c, m->jnt_name[i], jname, j, "joint name");
    read_frame(c, j, "in_parent", m->seg_ppos + 3 * i, m->seg_prot + 9 * i);
    read_frame(c, j, "in_child", m->seg_cpos + 3 * i, m->seg_crot + 9 * i);
    slu_scl3(m->seg_ppos + 3 * i, m->seg_ppos + 3 * i, c->lscale);
    slu_scl3(m->seg_cpos + 3 * i, m->seg_cpos + 3 * i, c->lscale);
    const slyNode* axes = seq_of(c, j, "axes", 0);
    if (axes) {
      int nrot = 0;
      for (int k = 0; k < axes->n; k++) {
        if (axes->item[k]->kind != SLY_MAP) {
          sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(axes->item[k]), "joint axis must be a mapping");
          continue;
        }
        read_axis(c, axes->item[k], ax, &knot);
        m->ax_seg[ax] = i;
        nrot += m->ax_type[ax] == SL_AX_ROT;
        ax++;
        m->seg_axnum[i]++;
      }
      if (nrot > 3)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(axes), "a joint has at most 3 rotation axes");
    }
  }
}

// 1 if the value at n was written by an override (a --set, a scenario's or role's `set:`, a sweep
// parameter) rather than by the model file or one of its bases
static int by_override(const Ctx* c, const slyNode* n) {
  if (!n || !n->file || !c->spec) return 0;
  for (int i = 0; i < sl_spec_nchain(c->spec); i++) {
    const char* f = sl_spec_file(c->spec, i, NULL);
    if (f && !strcmp(f, n->file)) return 0;
  }
  return 1;
}

// Overrides that the subject scaling makes meaningless are errors, not silently ignored: a
// segment's mass_kg under de Leva scaling (its mass is de Leva's group fraction x its share x
// the body mass; the file's value only says for which mass its inertia is given), and de Leva's
// mass fractions when the scaling does not use them (or for the other sex).
static void check_idle_overrides(Ctx* c, const Subject* subj, const int* group_of) {
  char           w_[512];
  const slyNode* segs = sly_get(c->root, "segments");
  for (int i = 0; segs && segs->kind == SLY_SEQ && i < segs->n && i < c->m->nseg; i++) {
    const slyNode* mk = sly_get(segs->item[i], "mass_kg");
    if (subj->scaling != SL_SCALE_DELEVA || group_of[i] < 0 || !by_override(c, mk)) continue;
    sl_diag_add(c->dg, SL_ERR_KEY, WHERE(mk),
                "segment '%s': mass_kg changes nothing under subject.scaling de_leva: the "
                "segment's mass is de Leva's '%s' fraction x its share x subject.mass_kg (the "
                "file's mass_kg only says for which mass its inertia is given); change "
                "subject.mass_kg or the segment's mass_group share, or set subject.scaling=none "
                "(or proportional) to use segment masses",
                c->m->seg_name[i], MASS_GROUPS[group_of[i]]);
  }
  const slyNode* mf = sly_get(c->root, "mass_fractions");
  for (int s = 0; mf && mf->kind == SLY_MAP && s < mf->n; s++) {
    const slyNode* fs = mf->item[s];
    for (int k = 0; fs && fs->kind == SLY_MAP && k < fs->n; k++) {
      if (!by_override(c, fs->item[k])) continue;
      int other_sex = strcmp(mf->key[s], SEX_NAMES[subj->sex]) != 0;
      if (subj->scaling == SL_SCALE_DELEVA && !other_sex) continue;
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(fs->item[k]), "mass_fractions.%s.%s changes nothing: %s",
                  mf->key[s], fs->key[k],
                  subj->scaling != SL_SCALE_DELEVA
                      ? "mass fractions are used only with subject.scaling de_leva"
                      : "the subject is of the other sex (subject.sex)");
    }
  }
}

// apply the subject: masses from de Leva fractions (or proportional), inertias accordingly
static void scale_masses(Ctx* c, const Subject* subj, const Subject* ref, const int* group_of,
                         const double* share_of, const double* frac) {
  slModel* m = c->m;
  char     w_[512];
  double   s2 = c->lscale * c->lscale;
  double   gshare[NMASSGROUP] = {0};
  for (int i = 0; i < m->nseg; i++)
    if (group_of[i] >= 0) gshare[group_of[i]] += share_of[i];
  for (int i = 0; i < m->nseg; i++) {
    double m0 = m->seg_mass[i], m1 = m0;
    if (subj->scaling == SL_SCALE_DELEVA && group_of[i] >= 0) {
      m1 = frac[group_of[i]] * share_of[i] * subj->mass;
    } else if (subj->scaling != SL_SCALE_NONE) {
      m1 = m0 * subj->mass / ref->mass;
    }
    double* I = m->seg_inertia + 9 * i;
    double  f = (m0 > 0 ? m1 / m0 : 0.0) * s2;
    for (int k = 0; k < 9; k++) I[k] *= f;
    m->seg_mass[i] = m1;
    slu_scl3(m->seg_com + 3 * i, m->seg_com + 3 * i, c->lscale);
  }
  if (subj->scaling == SL_SCALE_DELEVA) {
    // each group's shares must add up to one per side (limbs) or in total (head, trunk)
    const slyNode* segs = sly_get(c->root, "segments");
    for (int g = 0; g < NMASSGROUP; g++) {
      double expect = (g <= 1) ? 1.0 : 2.0;  // head, trunk once; limbs on both sides
      if (gshare[g] > 0 && fabs(gshare[g] - expect) > 1e-3)
        sl_diag_add(
            c->dg, SL_ERR_MODEL, WHERE(segs),
            "mass group '%s': shares add up to %.4f, expected %.0f (one per side for limbs)",
            MASS_GROUPS[g], gshare[g], expect);
    }
  }
}

static void read_lumbar(Ctx* c, const slyNode* lum) {
  static const char* const keys[] = {"levels", "rhythm", NULL};
  static const char* const lkeys[] = {"name", "segment", "flexion", "lateral", "twist", NULL};
  static const char* const rkeys[] = {"flexion", "lateral", "twist", NULL};
  static const char* const axis_keys[3] = {"flexion", "lateral", "twist"};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = check_keys(c, lum, keys, "lumbar");
  const slyNode*           lev = seq_of(c, lum, "levels", 1);
  if (lev && lev->n != SL_NLEVEL) {
    sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(lev), "lumbar.levels must list %d levels (got %d)",
                SL_NLEVEL, lev->n);
    lev = NULL;
  }
  for (int l = 0; l < SL_NLEVEL; l++) {
    m->lev_seg[l] = -1;
    for (int a = 0; a < 3; a++) m->lev_coord[l][a] = -1;
  }
  for (int l = 0; lev && l < SL_NLEVEL; l++) {
    const slyNode* it = lev->item[l];
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "lumbar level must be a mapping");
      continue;
    }
    check_keys(c, it, lkeys, "lumbar level");
    const char *name = NULL, *seg = NULL;
    GET(ok, sly_str(it, "name", 1, &name, ERR));
    GET(ok, sly_str(it, "segment", 1, &seg, ERR));
    if (name) snprintf(m->lev_name[l], sizeof m->lev_name[l], "%.7s", name);
    if (seg) {
      m->lev_seg[l] = find_name(m->seg_name, m->nseg, seg);
      if (m->lev_seg[l] < 0)
        sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(it, "segment")), "unknown segment '%s'", seg);
    }
    for (int a = 0; a < 3; a++) {
      const char* cn = NULL;
      GET(ok, sly_str(it, axis_keys[a], 1, &cn, ERR));
      if (cn) m->lev_coord[l][a] = coord_by_name(c, sly_get(it, axis_keys[a]), cn);
      m->ldof_coord[3 * l + a] = m->lev_coord[l][a];
      // the coordinate must drive exactly one rotation axis of the level's joint, with slope 1
      m->ldof_ax[3 * l + a] = -1;
      int s = m->lev_seg[l], found = 0;
      for (int k = 0; s >= 0 && k < m->seg_axnum[s]; k++) {
        int ax = m->seg_axadr[s] + k;
        if (m->ax_coord[ax] != m->lev_coord[l][a] || m->lev_coord[l][a] < 0) continue;
        found++;
        m->ldof_ax[3 * l + a] = ax;
        if (m->ax_type[ax] != SL_AX_ROT || m->ax_fun[ax] != SL_FUN_LINEAR || m->ax_lin[ax] != 1.0)
          found = 99;
      }
      if (cn && s >= 0 && found != 1)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(sly_get(it, axis_keys[a])),
                    "lumbar coordinate '%s' must drive exactly one rotation axis (slope 1) of the "
                    "joint of segment '%s'",
                    cn, m->seg_name[s]);
    }
  }
  // the levels must form a chain: each level's segment is the child of the previous one's
  for (int l = 1; l < SL_NLEVEL; l++)
    if (m->lev_seg[l] >= 0 && m->lev_seg[l - 1] >= 0 &&
        m->seg_parent[m->lev_seg[l]] != m->lev_seg[l - 1])
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(lev),
                  "lumbar level %s: segment '%s' is not the child of level %s's segment",
                  m->lev_name[l], m->seg_name[m->lev_seg[l]], m->lev_name[l - 1]);
  const slyNode* rh = map_of(c, lum, "rhythm", 1);
  if (rh) {
    check_keys(c, rh, rkeys, "lumbar.rhythm");
    for (int a = 0; a < 3; a++) {
      double v[SL_NLEVEL] = {1, 1, 1, 1, 1, 1}, sum = 0;
      GET(ok, sly_vec(rh, axis_keys[a], 1, SL_NLEVEL, 0.0, 100.0, "", v, ERR));
      for (int l = 0; l < SL_NLEVEL; l++) sum += v[l];
      if (sum <= 0) {
        sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(rh), "lumbar.rhythm.%s must not be all zero",
                    axis_keys[a]);
        sum = 1;
      }
      for (int l = 0; l < SL_NLEVEL; l++) m->rhythm[a][l] = v[l] / sum;
    }
  }
}

// muscles from the CSV tables; group fmax scales from the tree (muscles.<group>.fmax_scale)
static void read_muscles(Ctx* c, const slyNode* mus) {
  slModel*                 m = c->m;
  char                     w_[512], where[512];
  int                      ok = 1;
  static const char* const mcols[] = {"name", "group", "side", "fmax_N", NULL};
  static const char* const pcols[] = {"muscle", "index", "segment", "x_m", "y_m", "z_m", NULL};
  slError                  e;
  if (sl_csv_require(c->mus, mcols, &e) != SL_OK || sl_csv_require(c->pts, pcols, &e) != SL_OK) {
    diag_err(c->dg, &e);
    return;
  }
  int    cn = sl_csv_colidx(c->mus, "name"), cg = sl_csv_colidx(c->mus, "group");
  int    cs = sl_csv_colidx(c->mus, "side"), cf = sl_csv_colidx(c->mus, "fmax_N");
  int    pm = sl_csv_colidx(c->pts, "muscle"), pi = sl_csv_colidx(c->pts, "index");
  int    ps = sl_csv_colidx(c->pts, "segment"), px = sl_csv_colidx(c->pts, "x_m");
  double gscale = 1.0;
  GET(ok, sly_num(mus, "fmax_scale", 0, 0.0, 100.0, "", &gscale, ERR));
  m->ngroup = 0;
  for (int i = 0; i < c->mus->nrow; i++) {
    const char* const* row = c->mus->cell + (size_t)i * (size_t)c->mus->ncol;
    sl_csv_where(c->mus, i, cn, where, sizeof where);
    if (strlen(row[cn]) >= SL_NAME || !row[cn][0]) {
      sl_diag_add(c->dg, SL_ERR_RANGE, where, "muscle name empty or too long");
      continue;
    }
    snprintf(m->mus_name[i], SL_NAME, "%s", row[cn]);
    if (ni_put(&c->mus_idx, m->mus_name[i], i) >= 0)
      sl_diag_add(c->dg, SL_ERR_MODEL, where, "muscle '%s' is listed twice", row[cn]);
    int g = find_name(m->group_name, m->ngroup, row[cg]);
    if (g < 0) {
      sl_csv_where(c->mus, i, cg, where, sizeof where);
      if (!row[cg][0] || strlen(row[cg]) >= SL_NAME) {
        sl_diag_add(c->dg, SL_ERR_RANGE, where, "muscle group name empty or too long");
        g = 0;
      } else {
        g = m->ngroup++;
        snprintf(m->group_name[g], SL_NAME, "%s", row[cg]);
      }
    }
    m->mus_group[i] = g;
    m->mus_side[i] = strcmp(row[cs], "right") == 0 ? 1 : strcmp(row[cs], "left") == 0 ? -1 : 0;
    if (sl_csv_num(c->mus, i, cf, 1e-3, 1e5, "N", &m->mus_fmax[i], &e) != SL_OK)
      diag_err(c->dg, &e);
    m->mus_ptadr[i] = 0;
    m->mus_ptnum[i] = 0;
  }
  // group scale factors: muscles.<group>.fmax_scale
  static const char* const gkeys[] = {"fmax_scale", NULL};
  for (int k = 0; k < mus->n; k++) {
    const char* key = mus->key[k];
    if (!strcmp(key, "table") || !strcmp(key, "points") || !strcmp(key, "fmax_scale")) continue;
    int g = find_name(m->group_name, m->ngroup, key);
    if (g < 0) {
      sly_key_where(mus, k, where, sizeof where);
      sl_diag_add(c->dg, SL_ERR_KEY, where,
                  "unknown key '%s' in muscles (allowed: table, points, fmax_scale, or a muscle "
                  "group name)",
                  key);
      continue;
    }
    const slyNode* gn = mus->item[k];
    if (gn->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(gn), "muscles.%s must be a mapping", key);
      continue;
    }
    check_keys(c, gn, gkeys, key);
    double s = 1.0;
    GET(ok, sly_num(gn, "fmax_scale", 0, 0.0, 100.0, "", &s, ERR));
    for (int i = 0; i < c->mus->nrow; i++)
      if (m->mus_group[i] == g) m->mus_fmax[i] *= s;
  }
  // muscle force scales with physiological cross-section: stature ratio squared (assumption)
  for (int i = 0; i < m->nmus; i++) m->mus_fmax[i] *= gscale * c->lscale * c->lscale;

  // path points: grouped by muscle in table order, index 1..n consecutive
  int last = -1, expect = 1;
  for (int r = 0; r < c->pts->nrow; r++) {
    const char* const* row = c->pts->cell + (size_t)r * (size_t)c->pts->ncol;
    sl_csv_where(c->pts, r, pm, where, sizeof where);
    int i = ni_get(&c->mus_idx, row[pm]);
    if (i < 0) {
      sl_diag_add(c->dg, SL_ERR_KEY, where, "path point of unknown muscle '%s'", row[pm]);
      continue;
    }
    if (i != last) {
      if (m->mus_ptnum[i] > 0)
        sl_diag_add(c->dg, SL_ERR_MODEL, where, "points of muscle '%s' are not contiguous",
                    row[pm]);
      m->mus_ptadr[i] = r;
      last = i;
      expect = 1;
    }
    double idx = 0;
    if (sl_csv_num(c->pts, r, pi, 1, 1000, "", &idx, &e) != SL_OK) {
      diag_err(c->dg, &e);
    } else if ((int)idx != expect) {
      sl_csv_where(c->pts, r, pi, where, sizeof where);
      sl_diag_add(c->dg, SL_ERR_MODEL, where, "muscle '%s': point index %d, expected %d", row[pm],
                  (int)idx, expect);
    }
    expect++;
    m->mus_ptnum[i]++;
    m->pt_abd[r] = 0;
    if (!strcmp(row[ps], ABD_POINT_SEGMENT)) {
      // a point of the abdominal wall: given in the inferior segment's frame (default pose)
      m->pt_abd[r] = 1;
      m->pt_seg[r] = m->abd_seg[0];
      if (m->abd_seg[0] < 0) {
        sl_csv_where(c->pts, r, ps, where, sizeof where);
        sl_diag_add(c->dg, SL_ERR_MODEL, where,
                    "point on '%s' but the model has no 'abdominal_wall' section",
                    ABD_POINT_SEGMENT);
        m->pt_seg[r] = 0;
      }
    } else {
      m->pt_seg[r] = find_name(m->seg_name, m->nseg, row[ps]);
    }
    if (m->pt_seg[r] < 0) {
      sl_csv_where(c->pts, r, ps, where, sizeof where);
      sl_diag_add(c->dg, SL_ERR_KEY, where, "unknown segment '%s'", row[ps]);
      m->pt_seg[r] = 0;
    }
    for (int k = 0; k < 3; k++) {
      double v = 0;
      if (sl_csv_num(c->pts, r, px + k, -5, 5, "m", &v, &e) != SL_OK) diag_err(c->dg, &e);
      m->pt_pos[3 * r + k] = v * c->lscale;
    }
  }
  for (int i = 0; i < m->nmus; i++) {
    if (m->mus_ptnum[i] < 2) {
      sl_csv_where(c->mus, i, cn, where, sizeof where);
      sl_diag_add(c->dg, SL_ERR_MODEL, where, "muscle '%s' has %d path points (needs 2 or more)",
                  m->mus_name[i], m->mus_ptnum[i]);
    }
  }
}

// wrapping: {on, objects: [{name, segment, shape, radius_m | dimensions_m, length_m, pos_m,
// rot_deg, quadrant, active}], paths: [{muscle, object, points: [first, last], method}]}
static const char* const WRAP_SHAPES[] = {"sphere", "cylinder", "ellipsoid", NULL};
static const char* const WRAP_QUADS[] = {"all", "+x", "-x", "+y", "-y", "+z", "-z", NULL};

static void read_wrapping(Ctx* c, const slyNode* wr) {
  static const char* const keys[] = {"on", "objects", "paths", NULL};
  static const char* const okeys[] = {"name",         "segment",  "shape", "radius_m",
                                      "dimensions_m", "length_m", "pos_m", "rot_deg",
                                      "quadrant",     "active",   NULL};
  static const char* const pkeys[] = {"muscle", "object", "points", "method", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = check_keys(c, wr, keys, "wrapping");
  GET(ok, sly_bool(wr, "on", 0, &m->wrapping_on, ERR));
  const slyNode* objs = seq_of(c, wr, "objects", 0);
  const slyNode* paths = seq_of(c, wr, "paths", 0);
  for (int i = 0; i < m->nwrap; i++) {
    const slyNode* it = objs->item[i];
    m->wrap_seg[i] = 0, m->wrap_shape[i] = 0, m->wrap_qaxis[i] = -1, m->wrap_qsign[i] = 1;
    m->wrap_active[i] = 1;
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "wrap object must be a mapping");
      continue;
    }
    check_keys(c, it, okeys, "wrap object");
    const char *name = NULL, *seg = NULL;
    int         q = 0;
    double      e[3] = {0, 0, 0}, len = 0;
    GET(ok, sly_str(it, "name", 1, &name, ERR));
    GET(ok, sly_str(it, "segment", 1, &seg, ERR));
    GET(ok, sly_enum(it, "shape", 1, WRAP_SHAPES, &m->wrap_shape[i], ERR));
    if (name) {
      if (copy_name(c, m->wrap_name[i], name, it, "wrap object name") &&
          find_name(m->wrap_name, i, name) >= 0)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "wrap object '%s' is defined twice", name);
    }
    if (seg && (m->wrap_seg[i] = find_name(m->seg_name, m->nseg, seg)) < 0) {
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(it, "segment")), "unknown segment '%s'", seg);
      m->wrap_seg[i] = 0;
    }
    double* dim = m->wrap_dim + 3 * i;
    if (m->wrap_shape[i] == SL_WRAP_ELLIPSOID) {
      GET(ok, sly_vec(it, "dimensions_m", 1, 3, 1e-6, 10.0, "m", dim, ERR));
    } else {
      GET(ok, sly_num(it, "radius_m", 1, 1e-6, 10.0, "m", &dim[0], ERR));
      dim[1] = dim[2] = dim[0];
    }
    if (m->wrap_shape[i] == SL_WRAP_CYLINDER)
      GET(ok, sly_num(it, "length_m", 0, 0.0, 100.0, "m", &len, ERR));  // not used (infinite)
    GET(ok, sly_vec(it, "pos_m", 1, 3, -10.0, 10.0, "m", m->wrap_pos + 3 * i, ERR));
    GET(ok, sly_vec(it, "rot_deg", 0, 3, -720.0, 720.0, "deg", e, ERR));
    GET(ok, sly_enum(it, "quadrant", 0, WRAP_QUADS, &q, ERR));
    GET(ok, sly_bool(it, "active", 0, &m->wrap_active[i], ERR));
    if (q > 0) m->wrap_qaxis[i] = (q - 1) / 2, m->wrap_qsign[i] = (q - 1) % 2 ? -1 : 1;
    for (int k = 0; k < 3; k++) e[k] *= SL_DEG, dim[k] *= c->lscale;
    slu_scl3(m->wrap_pos + 3 * i, m->wrap_pos + 3 * i, c->lscale);
    slu_euler_xyz(m->wrap_rot + 9 * i, e);
  }
  // the path wraps, grouped by muscle in file order; with wrapping off or over an inactive
  // surface a wrap is not kept
  int  n = m->nmwrap, kept = 0;
  int *mus = calloc((size_t)(n > 0 ? n : 1), sizeof(int)),
      *obj = calloc((size_t)(n > 0 ? n : 1), sizeof(int));
  int *p0 = calloc((size_t)(n > 0 ? n : 1), sizeof(int)),
      *p1 = calloc((size_t)(n > 0 ? n : 1), sizeof(int));
  if (!mus || !obj || !p0 || !p1) {
    sl_diag_add(c->dg, SL_ERR_NOMEM, "", "out of memory compiling the model");
    free(mus), free(obj), free(p0), free(p1);
    return;
  }
  for (int i = 0; i < m->nmus; i++) m->mus_wrapnum[i] = 0, m->mus_wrapadr[i] = 0;
  for (int k = 0; k < n; k++) {
    const slyNode* it = paths->item[k];
    mus[k] = -1;
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "path wrap must be a mapping");
      continue;
    }
    check_keys(c, it, pkeys, "path wrap");
    const char *mn = NULL, *on = NULL, *meth = NULL;
    double      r[2] = {0, 0};
    GET(ok, sly_str(it, "muscle", 1, &mn, ERR));
    GET(ok, sly_str(it, "object", 1, &on, ERR));
    GET(ok, sly_str(it, "method", 0, &meth, ERR));  // any: the path is the shortest (README)
    int i = mn ? ni_get(&c->mus_idx, mn) : -1, o = on ? find_name(m->wrap_name, m->nwrap, on) : -1;
    if (mn && i < 0)
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(it, "muscle")), "unknown muscle '%s'", mn);
    if (on && o < 0)
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(it, "object")), "unknown wrap object '%s'", on);
    if (i < 0 || o < 0) continue;
    p0[k] = m->mus_ptadr[i], p1[k] = m->mus_ptadr[i] + m->mus_ptnum[i] - 1;
    if (sly_get(it, "points")) {
      slError e_;
      if (sly_vec(it, "points", 1, 2, 1, m->mus_ptnum[i], "", r, &e_) != SL_OK) {
        diag_err(c->dg, &e_);
        continue;
      }
      if (r[0] != floor(r[0]) || r[1] != floor(r[1]) || r[1] <= r[0]) {
        sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(sly_get(it, "points")),
                    "path wrap points must be two whole path point numbers, first < last");
        continue;
      }
      p0[k] = m->mus_ptadr[i] + (int)r[0] - 1, p1[k] = m->mus_ptadr[i] + (int)r[1] - 1;
    }
    if (m->mus_ptnum[i] + 2 * (m->mus_wrapnum[i] + 1) > SL_WRAP_VMAX) {
      sl_diag_add(c->dg, SL_ERR_RANGE, WHERE(it),
                  "muscle '%s': more than %d path points and tangent points", mn, SL_WRAP_VMAX);
      continue;
    }
    obj[k] = o;
    if (!m->wrapping_on || !m->wrap_active[o]) continue;
    mus[k] = i;
    m->mus_wrapnum[i]++;
    kept++;
  }
  for (int i = 0, a = 0; i < m->nmus; i++) m->mus_wrapadr[i] = a, a += m->mus_wrapnum[i];
  for (int i = 0; i < m->nmus; i++) m->mus_wrapnum[i] = 0;
  for (int k = 0; k < n; k++) {
    int i = mus[k];
    if (i < 0) continue;
    int w = m->mus_wrapadr[i] + m->mus_wrapnum[i]++;
    m->mw_obj[w] = obj[k], m->mw_pt0[w] = p0[k], m->mw_pt1[w] = p1[k];
  }
  m->nmwrap = kept;  // 0: the straight paths' code alone
  free(mus), free(obj), free(p0), free(p1);
}

static void read_landmarks(Ctx* c, const slyNode* seq) {
  static const char* const keys[] = {"name", "segment", "pos_m", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  for (int i = 0; i < seq->n; i++) {
    const slyNode* it = seq->item[i];
    m->land_seg[i] = 0;
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "landmark must be a mapping");
      continue;
    }
    int         ok = check_keys(c, it, keys, "landmark");
    const char *name = NULL, *seg = NULL;
    GET(ok, sly_str(it, "name", 1, &name, ERR));
    GET(ok, sly_str(it, "segment", 1, &seg, ERR));
    GET(ok, sly_vec(it, "pos_m", 1, 3, -5, 5, "m", m->land_pos + 3 * i, ERR));
    slu_scl3(m->land_pos + 3 * i, m->land_pos + 3 * i, c->lscale);
    if (name && copy_name(c, m->land_name[i], name, it, "landmark name") &&
        ni_put(&c->land_idx, m->land_name[i], i) >= 0)
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(it), "landmark '%s' is defined twice", name);
    if (seg) {
      m->land_seg[i] = find_name(m->seg_name, m->nseg, seg);
      if (m->land_seg[i] < 0) {
        sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(it, "segment")), "unknown segment '%s'", seg);
        m->land_seg[i] = 0;
      }
    }
  }
}

// passive tissue: disc curves (Han et al. 2010), motion-segment stiffness (Schmidt et al. 1998)
static void read_passive(Ctx* c, const slyNode* pas) {
  static const char* const keys[] = {"disc_moment", "segment_stiffness_Nm_per_deg", "disc_share",
                                     "ligament_lever_m", NULL};
  static const char* const axes[3] = {"flexion", "lateral", "twist"};
  static const char* const ckeys[] = {"c1", "c2", "c2abs", "c3", NULL};
  static const char* const skeys[] = {"flexion", "extension", "lateral", "twist", NULL};
  slModel*                 m = c->m;
  int                      ok = check_keys(c, pas, keys, "passive");
  const slyNode*           dm = map_of(c, pas, "disc_moment", 1);
  for (int a = 0; dm && a < 3; a++) {
    const slyNode* cf = map_of(c, dm, axes[a], 1);
    if (!cf) continue;
    check_keys(c, cf, ckeys, axes[a]);
    for (int k = 0; k < 4; k++) {
      m->pas_disc[a][k] = 0.0;
      GET(ok, sly_num(cf, ckeys[k], 0, -100.0, 100.0, "", &m->pas_disc[a][k], ERR));
    }
  }
  double share = 0.3, kseg[4] = {0, 0, 0, 0};
  GET(ok, sly_num(pas, "disc_share", 1, 0.0, 1.0, "", &share, ERR));
  const slyNode* st = map_of(c, pas, "segment_stiffness_Nm_per_deg", 1);
  if (st) {
    check_keys(c, st, skeys, "segment_stiffness_Nm_per_deg");
    for (int k = 0; k < 4; k++)
      GET(ok, sly_num(st, skeys[k], 1, 0.0, 1000.0, "N m/deg", &kseg[k], ERR));
  }
  for (int k = 0; k < 4; k++) m->pas_lig[k] = (1.0 - share) * kseg[k];
  m->pas_lever = 0.045;
  GET(ok, sly_num(pas, "ligament_lever_m", 1, 0.005, 0.2, "m", &m->pas_lever, ERR));
  m->pas_lever *= c->lscale;
}

static void read_disc(Ctx* c, const slyNode* disc) {
  static const char* const keys[] = {"k", "area_mm2", "area_height_m", "pre_pressure_MPa", NULL};
  slModel*                 m = c->m;
  int                      ok = check_keys(c, disc, keys, "disc");
  double area[SL_NLEVEL] = {1800, 1800, 1800, 1800, 1800, 1800}, h = 1.68, pre = 0.1;
  GET(ok, sly_num(disc, "k", 1, 0.5, 3.0, "", &m->disc_k, ERR));
  GET(ok, sly_vec(disc, "area_mm2", 1, SL_NLEVEL, 100.0, 10000.0, "mm^2", area, ERR));
  GET(ok, sly_num(disc, "area_height_m", 1, 1.0, 2.5, "m", &h, ERR));
  GET(ok, sly_num(disc, "pre_pressure_MPa", 1, 0.0, 2.0, "MPa", &pre, ERR));
  double s = c->m->height / h;  // areas scale with stature squared
  for (int l = 0; l < SL_NLEVEL; l++) m->disc_area[l] = area[l] * 1e-6 * s * s;
  m->disc_pre = pre * 1e6;
}

// abdominal wall: {inferior: SEGMENT, superior: SEGMENT, inferior_anchor: LANDMARK,
// superior_anchor: LANDMARK}; the anchors are looked up once the landmarks are read
static void read_abdominal_wall(Ctx* c, const slyNode* aw) {
  static const char* const keys[] = {"inferior", "superior", "inferior_anchor", "superior_anchor",
                                     NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = check_keys(c, aw, keys, "abdominal_wall");
  for (int k = 0; k < 2; k++) {
    const char* nm = NULL;
    GET(ok, sly_str(aw, keys[k], 1, &nm, ERR));
    if (!nm) continue;
    m->abd_seg[k] = find_name(m->seg_name, m->nseg, nm);
    if (m->abd_seg[k] < 0)
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(aw, keys[k])), "unknown segment '%s'", nm);
  }
}

static void read_abdominal_anchors(Ctx* c, const slyNode* aw) {
  static const char* const keys[2] = {"inferior_anchor", "superior_anchor"};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = 1;
  for (int k = 0; k < 2; k++) {
    const char* nm = NULL;
    GET(ok, sly_str(aw, keys[k], 1, &nm, ERR));
    if (!nm) continue;
    m->abd_anchor[k] = find_name(m->land_name, m->nland, nm);
    if (m->abd_anchor[k] < 0)
      sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(aw, keys[k])), "unknown landmark '%s'", nm);
    else if (m->abd_seg[k] >= 0 && m->land_seg[m->abd_anchor[k]] != m->abd_seg[k])
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(sly_get(aw, keys[k])),
                  "abdominal_wall.%s: landmark '%s' is not on segment '%s'", keys[k], nm,
                  m->seg_name[m->abd_seg[k]]);
  }
}

// intra-abdominal pressure
static void read_iap(Ctx* c, const slyNode* ip, double* lever, int* level) {
  static const char* const keys[] = {"enabled", "p_max_kPa",   "area_cm2", "lever_m",
                                     "level",   "cost_weight", NULL};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      ok = check_keys(c, ip, keys, "iap");
  double                   pmax = 26.6, area = 452.0, w = 1.0;
  m->iap_on = 1;
  GET(ok, sly_bool(ip, "enabled", 0, &m->iap_on, ERR));
  GET(ok, sly_num(ip, "p_max_kPa", 1, 0.1, 100.0, "kPa", &pmax, ERR));
  GET(ok, sly_num(ip, "area_cm2", 1, 1.0, 2000.0, "cm^2", &area, ERR));
  GET(ok, sly_num(ip, "lever_m", 1, 0.0, 0.3, "m", lever, ERR));
  GET(ok, sly_num(ip, "cost_weight", 1, 1e-3, 1e3, "", &w, ERR));
  const char* lev = NULL;
  GET(ok, sly_str(ip, "level", 1, &lev, ERR));
  *level = -1;
  for (int l = 0; lev && l < SL_NLEVEL; l++)
    if (!strcmp(m->lev_name[l], lev)) *level = l;
  if (lev && *level < 0)
    sl_diag_add(c->dg, SL_ERR_KEY, WHERE(sly_get(ip, "level")),
                "unknown lumbar level '%s' (allowed: L5/S1 ... T12/L1)", lev);
  m->iap_pmax = pmax * 1e3;
  m->iap_area = area * 1e-4 * c->lscale * c->lscale;  // cross-section scales with stature^2
  m->iap_weight = w;
  *lever *= c->lscale;
}

// coordinates that are the root's or a lumbar level's; the others that drive an axis are joint
// dofs with torque actuators
static void find_jdofs(Ctx* c) {
  slModel* m = c->m;
  m->njdof = 0;
  for (int k = 0; k < m->ncoord; k++) {
    int drives = 0, special = 0;
    for (int ax = 0; ax < m->naxis; ax++) {
      if (m->ax_coord[ax] != k || m->ax_fun[ax] == SL_FUN_CONST) continue;
      drives = 1;
      if (m->ax_seg[ax] == 0) special = 1;  // the root's free joint
    }
    for (int l = 0; l < SL_NLEVEL; l++)
      for (int a = 0; a < 3; a++) special |= m->lev_coord[l][a] == k;
    if (drives && !special) {
      if (m->njdof < 64)
        m->jdof_coord[m->njdof++] = k;
      else
        sl_diag_add(c->dg, SL_ERR_MODEL, m->coord_name[k],
                    "more than 64 joint coordinates outside the lumbar spine and the root");
    }
  }
  for (int ax = 0; ax < m->naxis; ax++) {
    m->ax_jdof[ax] = -1;
    for (int j = 0; j < m->njdof; j++)
      if (m->ax_coord[ax] == m->jdof_coord[j] && m->ax_fun[ax] != SL_FUN_CONST) m->ax_jdof[ax] = j;
  }
  for (int i = 0; i < m->nseg; i++) {
    unsigned long long bits = 0;
    for (int s = i; s >= 0; s = m->seg_parent[s])
      for (int k = 0; k < m->seg_axnum[s]; k++) {
        int j = m->ax_jdof[m->seg_axadr[s] + k];
        if (j >= 0) bits |= 1ull << j;
      }
    m->seg_jdofs[i] = bits;
  }
}

// joint_strength: a list of {coords: [...], positive_c1: [male, female], negative_c1: [...]}:
// peak isometric torque = c1 x body mass x g x stature (Anderson et al. 2007), for torque along
// + and - the coordinate
static void read_joint_strength(Ctx* c, const slyNode* js, int sex) {
  static const char* const keys[] = {"coords", "positive_c1", "negative_c1", NULL};
  static const char* const dkeys[2] = {"positive_c1", "negative_c1"};
  slModel*                 m = c->m;
  char                     w_[512];
  int                      seen[64] = {0};
  for (int i = 0; js && i < js->n; i++) {
    const slyNode* it = js->item[i];
    if (it->kind != SLY_MAP) {
      sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(it), "joint_strength entry must be a mapping");
      continue;
    }
    int    ok = check_keys(c, it, keys, "joint_strength");
    double c1[2][2] = {{0, 0}, {0, 0}};
    for (int d = 0; d < 2; d++) GET(ok, sly_vec(it, dkeys[d], 1, 2, 0.0, 1.0, "", c1[d], ERR));
    const slyNode* cs = seq_of(c, it, "coords", 1);
    for (int k = 0; cs && k < cs->n; k++) {
      const slyNode* cn = cs->item[k];
      if (cn->kind != SLY_SCALAR) {
        sl_diag_add(c->dg, SL_ERR_TYPE, WHERE(cn), "joint_strength coords are coordinate names");
        continue;
      }
      int q = coord_by_name(c, cn, cn->str), j = -1;
      for (int t = 0; q >= 0 && t < m->njdof; t++)
        if (m->jdof_coord[t] == q) j = t;
      if (q >= 0 && j < 0) {
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(cn),
                    "coordinate '%s' is not a joint dof with a torque actuator (it is a root or "
                    "lumbar coordinate, or drives no joint)",
                    cn->str);
        continue;
      }
      if (j < 0) continue;
      if (seen[j]++)
        sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(cn), "joint_strength: coordinate '%s' listed twice",
                    cn->str);
      for (int d = 0; d < 2; d++) m->jdof_strength[2 * j + d] = c1[d][sex] * m->strength_scale;
    }
  }
  for (int j = 0; j < m->njdof; j++)
    if (!seen[j])
      sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(js ? js : c->root),
                  "coordinate '%s' drives a joint but has no joint_strength entry (every joint "
                  "outside the lumbar spine needs a torque actuator priced by its strength)",
                  m->coord_name[m->jdof_coord[j]]);
}

// ---- derived tables -----------------------------------------------------------------------------
static void derive_default_pose(Ctx* c, double iap_lever, int iap_level);

static void derive(Ctx* c, int ncross_cap, double iap_lever, int iap_level) {
  slModel* m = c->m;
  // membership above each level: walk up the parent chain
  for (int i = 0; i < m->nseg; i++) {
    unsigned bits = 0;
    for (int l = 0; l < SL_NLEVEL; l++)
      for (int s = i; s >= 0; s = m->seg_parent[s])
        if (s == m->lev_seg[l]) bits |= 1u << l;
    m->seg_above[i] = bits;
  }
  derive_default_pose(c, iap_lever, iap_level);
  // crossing entries: for every piece of every path and every level, the endpoints (or their
  // images) on the superior side are pulled toward the other endpoint; a piece whose two ends are
  // rigidly on the same side adds nothing to the superior part
  int nx = 0;
  for (int i = 0; i < m->nmus; i++) {
    int seen[SL_NLEVEL] = {0};
    int lo = SL_NLEVEL, hi = -1;
    for (int p = m->mus_ptadr[i]; p < m->mus_ptadr[i] + m->mus_ptnum[i] - 1; p++) {
      for (int l = 0; l < SL_NLEVEL; l++) {
        int e[2] = {p, p + 1}, rigid_sup = 0, rigid_inf = 0;
        for (int k = 0; k < 2; k++) {
          if (m->pt_abd[e[k]]) continue;
          if ((m->seg_above[m->pt_seg[e[k]]] >> l) & 1u)
            rigid_sup++;
          else
            rigid_inf++;
        }
        if (rigid_sup == 2 || rigid_inf == 2) continue;
        for (int k = 0; k < 2; k++) {
          int q = e[k];
          for (int img = 0; img < (m->pt_abd[q] ? 2 : 1); img++) {
            int    sg = img ? m->abd_seg[1] : m->pt_seg[q];
            double sh = m->pt_abd[q] ? (img ? m->pt_share[q] : 1.0 - m->pt_share[q]) : 1.0;
            if (sg < 0 || sh <= 0.0 || !((m->seg_above[sg] >> l) & 1u)) continue;
            if (nx >= ncross_cap) continue;
            m->cross_mus[nx] = i;
            m->cross_pt[nx] = q;
            m->cross_lev[nx] = l;
            m->cross_nb[nx] = k == 0 ? 1 : -1;
            m->cross_img[nx] = img;
            m->cross_share[nx] = sh;
            m->cross_first[nx] = !seen[l];
            seen[l] = 1;
            if (l < lo) lo = l;
            if (l > hi) hi = l;
            nx++;
          }
        }
      }
    }
    m->mus_lev0[i] = hi >= 0 ? lo : 0;
    m->mus_nlev[i] = hi >= 0 ? hi - lo + 1 : 0;
  }
  m->ncross = nx;
  // the same entries level by level (a stable counting sort), for the loops of sl_muscle.c
  int xs = 0;
  for (int l = 0; l < SL_NLEVEL; l++) {
    m->xl_adr[l] = xs;
    for (int x = 0; x < nx; x++) {
      if (m->cross_lev[x] != l) continue;
      int q = m->cross_pt[x], nb = m->cross_nb[x];
      m->xl_cross[xs] = x;
      m->xl_pc[xs] = nb > 0 ? q : q - 1;
      m->xl_sg[xs] = nb > 0 ? 1.0 : -1.0;
      m->xl_img[xs] = m->pt_abd[q] && m->cross_img[x] ? m->npt + q : q;
      m->xl_rm[xs] = SL_NLDOF * m->cross_mus[x] + 3 * l;
      xs++;
    }
  }
  m->xl_adr[SL_NLEVEL] = xs;
  m->total_mass = 0;
  for (int i = 0; i < m->nseg; i++) m->total_mass += m->seg_mass[i];
  static const char* const rootn[6] = {"pelvis_tilt", "pelvis_list", "pelvis_rotation",
                                       "pelvis_tx",   "pelvis_ty",   "pelvis_tz"};
  for (int k = 0; k < 6; k++) m->root_coord[k] = sl_model_coord(m, rootn[k]);
  m->hip_coord[0] = sl_model_coord(m, "hip_flexion_r");
  m->hip_coord[1] = sl_model_coord(m, "hip_flexion_l");
  m->hip_seg[0] = sl_model_segment(m, "femur_r");
  m->hip_seg[1] = sl_model_segment(m, "femur_l");
  // S1 end-plate normal in the pelvis frame: tilted anteriorly by the sacral slope

  m->s1_axis[0] = sin(m->sacral_slope);
  m->s1_axis[1] = cos(m->sacral_slope);
  m->s1_axis[2] = 0.0;
  // T12 axis in the torso frame: the L1 axis (L1/L2 centre to T12/L1 centre) at q = 0
  int    l1 = m->lev_seg[SL_NLEVEL - 2], t = m->lev_seg[SL_NLEVEL - 1];
  double u[3], R[9];
  slu_sub3(u, m->seg_ppos + 3 * t, m->seg_cpos + 3 * l1);
  slu_normalize3(u);
  slu_mulmmt3(R, m->seg_prot + 9 * t, m->seg_crot + 9 * t);  // R_l1_torso at q = 0
  slu_multmv3(m->t12_axis, R, u);
}

// Tables that need the default pose: the linea-alba shares and images of the abdominal-wall
// points, and the IAP line of action (lever anterior of a level's joint centre, along the pelvis
// x axis, on the midway wall).
static void derive_default_pose(Ctx* c, double iap_lever, int iap_level) {
  slModel* m = c->m;
  for (int p = 0; p < m->npt; p++) {
    m->pt_share[p] = 0.0;
    slu_copy3(m->pt_pos2 + 3 * p, m->pt_pos + 3 * p);
  }
  if (m->abd_seg[0] < 0 || m->abd_seg[1] < 0 || m->abd_anchor[0] < 0 || m->abd_anchor[1] < 0)
    return;
  char     w_[512];
  unsigned all = (1u << SL_NLEVEL) - 1u;
  if (m->seg_above[m->abd_seg[0]] != 0 || m->seg_above[m->abd_seg[1]] != all) {
    sl_diag_add(c->dg, SL_ERR_MODEL, WHERE(sly_get(c->root, "abdominal_wall")),
                "abdominal_wall: 'inferior' must lie below every lumbar level and 'superior' above "
                "every level");
    return;
  }
  slData* d = NULL;
  if (sl_data_make(m, &d, NULL) != SL_OK) {
    sl_diag_add(c->dg, SL_ERR_NOMEM, "", "out of memory compiling the model");
    return;
  }
  sl_kin_forward(m, d, 0);
  int           lo = m->abd_seg[0], hi = m->abd_seg[1];
  const double* Ri = d->xrot + 9 * lo;
  const double* oi = d->xpos + 3 * lo;
  const double* Rs = d->xrot + 9 * hi;
  const double* os = d->xpos + 3 * hi;
  double        P[3], X[3], PX[3], w[3], t[3];
  sl_kin_landmark(m, d, m->abd_anchor[0], P);
  sl_kin_landmark(m, d, m->abd_anchor[1], X);
  slu_sub3(PX, X, P);
  double len2 = slu_dot3(PX, PX);
  for (int p = 0; p < m->npt && len2 > 0; p++) {
    if (!m->pt_abd[p]) continue;
    // the point N, its fraction s along the line P -> X, and its offset from the line
    double N[3], off[3], s;
    slu_mulmv3(t, Ri, m->pt_pos + 3 * p);
    slu_add3(N, oi, t);
    slu_sub3(t, N, P);
    s = slu_dot3(t, PX) / len2;
    s = s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
    for (int k = 0; k < 3; k++) off[k] = N[k] - (P[k] + s * PX[k]);
    m->pt_share[p] = s;
    // images: anchor + offset, in the pelvis and in the thorax frame
    slu_add3(w, P, off);
    slu_sub3(t, w, oi);
    slu_multmv3(m->pt_pos + 3 * p, Ri, t);
    slu_add3(w, X, off);
    slu_sub3(t, w, os);
    slu_multmv3(m->pt_pos2 + 3 * p, Rs, t);
  }
  if (iap_level >= 0) {
    const double* cl = d->lev_xpos[iap_level];
    double        ant[3] = {Ri[0], Ri[3], Ri[6]};
    for (int k = 0; k < 3; k++) w[k] = cl[k] + iap_lever * ant[k];
    slu_sub3(t, w, oi);
    slu_multmv3(m->iap_point[0], Ri, t);
    slu_sub3(t, w, os);
    slu_multmv3(m->iap_point[1], Rs, t);
  }
  sl_data_free(d);
}

// ---- entry point --------------------------------------------------------------------------------
static int count_axes_knots(const slyNode* segs, int* nknot) {
  int na = 0;
  *nknot = 0;
  for (int i = 0; segs && i < segs->n; i++) {
    const slyNode* j = sly_get(segs->item[i], "joint");
    const slyNode* axes = j ? sly_get(j, "axes") : NULL;
    if (!axes || axes->kind != SLY_SEQ) continue;
    na += axes->n;
    for (int k = 0; k < axes->n; k++) {
      const slyNode* sp = sly_get(axes->item[k], "spline");
      const slyNode* xs = sp ? sly_get(sp, "x_deg") : NULL;
      if (xs && xs->kind == SLY_SEQ) *nknot += xs->n;
    }
  }
  return na;
}

// checks: {moment_arms_csv: FILE}: reference values printed next to the model's by model info
static void read_checks(Ctx* c, const slyNode* ck) {
  static const char* const keys[] = {"moment_arms_csv", NULL};
  int                      ok = check_keys(c, ck, keys, "checks");
  const char*              rel = NULL;
  GET(ok, sly_str(ck, "moment_arms_csv", 0, &rel, ERR));
  if (rel)
    sl_spec_join(c->spec, sly_get(ck, "moment_arms_csv"), rel, c->m->check_moment_arms,
                 sizeof c->m->check_moment_arms);
}

// the tables the spec read for `muscles: {table, points}`
static slStatus load_tables(Ctx* c, const slyNode* mus) {
  slError                  e;
  const char*              rel[2] = {NULL, NULL};
  static const char* const keys[2] = {"table", "points"};
  for (int k = 0; k < 2; k++) {
    slStatus st = sly_str(mus, keys[k], 1, &rel[k], &e);
    if (st != SL_OK) {
      diag_err(c->dg, &e);
      return st;
    }
    const slyNode* at = sly_get(mus, keys[k]);
    const char*    path = "";
    st = sl_spec_table(c->spec, k, k == 0 ? &c->mus : &c->pts, &path, &e);
    sl_strcat(c->files, sizeof c->files, ";", path);
    if (st == SL_ERR_IO) {
      // name the model line that refers to the table
      char w[512];
      sly_where(at, w, sizeof w);
      sl_diag_add(c->dg, st, w, "cannot read table '%s': %s", path, e.msg);
      return st;
    }
    if (st != SL_OK) {
      diag_err(c->dg, &e);
      return st;
    }
  }
  return SL_OK;
}

slStatus sl_model_compile(const slModelSpec* spec, slModel** out, slDiag* dg) {
  static const char* const keys[] = {"format",
                                     "name",
                                     "description",
                                     "origin",
                                     "base",
                                     "base_omit",
                                     "reference_subject",
                                     "subject",
                                     "gravity_m_s2",
                                     "mass_fractions",
                                     "coordinates",
                                     "segments",
                                     "lumbar",
                                     "muscles",
                                     "landmarks",
                                     "passive",
                                     "disc",
                                     "joint_strength",
                                     "abdominal_wall",
                                     "iap",
                                     "checks",
                                     "wrapping",
                                     NULL};
  char                     w_[512];
  *out = NULL;
  const slyNode* root = sl_spec_root(spec);
  Ctx            cx = {.dg = dg, .root = root, .lscale = 1.0, .spec = spec};
  Ctx*           c = &cx;
  slModel        tmp;
  memset(&tmp, 0, sizeof tmp);
  slModel* m = NULL;
  int      ok = 1;
  slStatus st = SL_OK;
  int*     group_of = NULL;
  double*  share_of = NULL;

  if (!root || root->kind != SLY_MAP) {
    sl_diag_add(dg, SL_ERR_TYPE, root ? WHERE(root) : "", "a model file must be a mapping");
    return diag_first(dg);
  }
  check_keys(c, root, keys, "model");
  const char* fmt = NULL;
  GET(ok, sly_str(root, "format", 1, &fmt, ERR));
  if (fmt && strcmp(fmt, "spineload-model/1") != 0)
    sl_diag_add(dg, SL_ERR_RANGE, WHERE(sly_get(root, "format")),
                "format '%s' is not supported (expected 'spineload-model/1')", fmt);
  const char* name = "model";
  GET(ok, sly_str(root, "name", 0, &name, ERR));

  // sacral slope default: mean of 709 asymptomatic adults, Mac-Thiong et al. 2011 (24-55 deg as
  // mean +- 2 SD), reference pack physics-sources.md section 5
  Subject        ref = {0, 0, 80, 1.75, 39.5}, subj = {0, SL_SCALE_DELEVA, 80, 1.75, 39.5};
  const slyNode* rs = map_of(c, root, "reference_subject", 1);
  if (rs) read_subject(c, rs, &ref, 0);
  const slyNode* ss = map_of(c, root, "subject", 1);
  subj = ref;
  subj.scaling = SL_SCALE_DELEVA;
  subj.sacral_slope = 39.5;
  if (ss) read_subject(c, ss, &subj, 1);
  c->lscale = subj.scaling == SL_SCALE_NONE ? 1.0 : subj.height / ref.height;
  double g = 9.80665;
  GET(ok, sly_num(root, "gravity_m_s2", 0, 0.0, 100.0, "m/s^2", &g, ERR));

  double         frac[NMASSGROUP] = {0};
  const slyNode* mf = map_of(c, root, "mass_fractions", subj.scaling == SL_SCALE_DELEVA);
  if (mf) {
    const slyNode* fs = map_of(c, mf, SEX_NAMES[subj.sex], subj.scaling == SL_SCALE_DELEVA);
    if (fs) {
      check_keys(c, fs, MASS_GROUPS, "mass_fractions");
      for (int k = 0; k < NMASSGROUP; k++)
        GET(ok, sly_num(fs, MASS_GROUPS[k], 1, 0.0, 1.0, "", &frac[k], ERR));
    }
  }

  // sizes
  const slyNode* coords = seq_of(c, root, "coordinates", 1);
  const slyNode* segs = seq_of(c, root, "segments", 1);
  const slyNode* lum = map_of(c, root, "lumbar", 1);
  const slyNode* mus = map_of(c, root, "muscles", 1);
  const slyNode* lands = seq_of(c, root, "landmarks", 0);
  const slyNode* pas = map_of(c, root, "passive", 1);
  const slyNode* disc = map_of(c, root, "disc", 1);
  if (!coords || !segs || !lum || !mus || !pas || !disc) goto done;
  if (load_tables(c, mus) != SL_OK) goto done;
  tmp.nseg = segs->n;
  tmp.ncoord = coords->n;
  tmp.naxis = count_axes_knots(segs, &tmp.nknot);
  tmp.nmus = c->mus->nrow;
  tmp.npt = c->pts->nrow;
  tmp.ngroup = tmp.nmus;
  tmp.nland = lands ? lands->n : 0;
  const slyNode* wr = map_of(c, root, "wrapping", 0);
  const slyNode* wro = wr ? sly_get(wr, "objects") : NULL;
  const slyNode* wrp = wr ? sly_get(wr, "paths") : NULL;
  tmp.nwrap = wro && wro->kind == SLY_SEQ ? wro->n : 0;
  tmp.nmwrap = wrp && wrp->kind == SLY_SEQ ? wrp->n : 0;
  int ncross_cap = 0;
  ncross_cap = 4 * SL_NLEVEL * tmp.npt;
  tmp.ncross = ncross_cap;
  if (tmp.nseg < 1 || tmp.nmus < 1) {
    sl_diag_add(dg, SL_ERR_MODEL, WHERE(root), "a model needs segments and muscles");
    goto done;
  }

  Arena a = {NULL, 0};
  layout(&a, &tmp);
  size_t bytes = a.off + sizeof(slModel) + 64;
  m = calloc(1, bytes);
  group_of = calloc((size_t)tmp.nseg, sizeof(int));
  share_of = calloc((size_t)tmp.nseg, sizeof(double));
  if (!m || !group_of || !share_of) {
    st = SL_ERR_NOMEM;
    sl_diag_add(dg, SL_ERR_NOMEM, "", "out of memory compiling the model");
    goto done;
  }
  *m = tmp;
  a.base = (char*)m + sizeof(slModel);
  a.base = (char*)(((size_t)a.base + 63) & ~(size_t)63);
  a.off = 0;
  layout(&a, m);
  c->m = m;
  // the sorted name indices, filled once the names are final (lookups scan until then)
  int* by_name[4] = {m->seg_by_name, m->coord_by_name, m->land_by_name, m->group_by_name};
  m->seg_by_name = m->coord_by_name = m->land_by_name = m->group_by_name = NULL;
  if (ni_init(&c->coord_idx, m->ncoord) || ni_init(&c->seg_idx, m->nseg) ||
      ni_init(&c->mus_idx, m->nmus) || ni_init(&c->land_idx, m->nland)) {
    sl_diag_add(dg, SL_ERR_NOMEM, "", "out of memory compiling the model");
    goto done;
  }
  snprintf(m->name, sizeof m->name, "%s", name ? name : "model");
  // provenance: the model file and its bases, then the tables
  char chain[1024] = "";
  for (int i = 0; i < sl_spec_nchain(spec); i++)
    sl_strcat(chain, sizeof chain, ";", sl_spec_file(spec, i, NULL));
  sl_strcat(m->files, sizeof m->files, ";", chain);
  sl_strcat(m->files, sizeof m->files, ";", c->files);
  m->sex = subj.sex;
  m->body_mass = subj.mass;
  m->height = subj.height;
  m->ref_mass = ref.mass;
  m->ref_height = ref.height;
  m->gravity[1] = -g;
  m->sacral_slope = subj.sacral_slope * SL_DEG;
  m->strength_scale = subj.mass * g * subj.height;
  m->abd_seg[0] = m->abd_seg[1] = -1;
  m->abd_anchor[0] = m->abd_anchor[1] = -1;

  read_coordinates(c, coords);
  read_segments(c, segs, group_of, share_of);
  if (diag_errors(dg) == 0) check_idle_overrides(c, &subj, group_of);
  if (diag_errors(dg) == 0) scale_masses(c, &subj, &ref, group_of, share_of, frac);
  read_lumbar(c, lum);
  if (diag_errors(dg) > 0) goto done;
  find_jdofs(c);
  const slyNode* js = seq_of(c, root, "joint_strength", 0);
  if (js || m->njdof > 0) read_joint_strength(c, js, subj.sex);
  const slyNode* aw = map_of(c, root, "abdominal_wall", 0);
  if (aw) read_abdominal_wall(c, aw);
  const slyNode* ip = map_of(c, root, "iap", 0);
  double         iap_lever = 0.0;
  int            iap_level = -1;
  if (ip) {
    read_iap(c, ip, &iap_lever, &iap_level);
    if (!aw)
      sl_diag_add(
          dg, SL_ERR_MODEL, WHERE(ip),
          "'iap' needs an 'abdominal_wall' section (the pelvis and thorax it acts between)");
  }
  read_muscles(c, mus);
  if (wr && diag_errors(dg) == 0) read_wrapping(c, wr);
  if (lands) read_landmarks(c, lands);
  read_passive(c, pas);
  read_disc(c, disc);
  const slyNode* ck = map_of(c, root, "checks", 0);
  if (ck) read_checks(c, ck);
  if (diag_errors(dg) > 0) goto done;
  if (aw) read_abdominal_anchors(c, aw);
  if (diag_errors(dg) > 0) goto done;
  // (out of memory for the sort's scratch: that table keeps its linear scans)
  if (!sort_names(m->seg_name, m->nseg, by_name[0])) m->seg_by_name = by_name[0];
  if (!sort_names(m->coord_name, m->ncoord, by_name[1])) m->coord_by_name = by_name[1];
  if (!sort_names(m->land_name, m->nland, by_name[2])) m->land_by_name = by_name[2];
  if (!sort_names(m->group_name, m->ngroup, by_name[3])) m->group_by_name = by_name[3];
  derive(c, ncross_cap, iap_lever, iap_level);
  if (!m->iap_on || iap_level < 0) m->iap_on = 0;
  int* crosses = calloc((size_t)m->nmus + 1, sizeof(int));
  if (!crosses) {
    sl_diag_add(dg, SL_ERR_NOMEM, "", "out of memory compiling the model");
    goto done;
  }
  for (int k = 0; k < m->ncross; k++) crosses[m->cross_mus[k]]++;
  for (int i = 0; i < m->nmus; i++)
    if (!crosses[i])
      sl_diag_add(dg, SL_OK, m->mus_name[i],
                  "muscle '%s' crosses no lumbar level (it cannot load the lumbar spine)",
                  m->mus_name[i]);
  free(crosses);

done:
  ni_free(&c->coord_idx), ni_free(&c->seg_idx), ni_free(&c->mus_idx), ni_free(&c->land_idx);
  free(group_of);
  free(share_of);
  st = diag_first(dg);
  if (st != SL_OK) {
    free(m);
    return st;
  }
  *out = m;
  return SL_OK;
}
