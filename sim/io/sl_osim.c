// sl_osim.c: OpenSim model files (.osim, format 4.0 and the older 2.x/3.x layout with the joint
// inside its body) to spineload's own model files: a YAML model, a muscle table and a path-point
// table, and a note of origin. Parsing uses libxml2; every number is read from its element, with
// the element's line in messages. What spineload cannot represent is an error naming the element
// and its line, unless the caller asked to omit that kind (wrapping surfaces, contact geometry and
// forces, locks, limb muscles), in which case every omitted element is listed in the note.
//
// Conversions (README "OpenSim models"):
//  - CoordinateCouplerConstraints whose dependent coordinates drive the rotations of a chain of
//    three-rotation joints above the joint of their independent coordinates become that chain's
//    lumbar rhythm: the coupled coordinates stay independent coordinates, the slopes are the
//    rhythm (relative to the lowest level, slope 1), and an unbounded range of a coupled coordinate
//    becomes the lowest level's range times the slope.
//  - A body whose joint is moved only by coordinates coupled to the lowest lumbar level (a virtual
//    "abdomen") is not kept: its path points become abdominal-wall points, in the frame of the
//    body its parent is welded to, at the default pose.
//  - Any other linear coupler is substituted into the axes its dependent coordinate drives.
//  - The rotations of a free root (a joint to ground with three rotations and three translations)
//    get the full circle as their range.
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "sl_io.h"
#include "sl_status.h"

#define OS_NAME SL_NAME
#define MAXAX   6
#define MAXKNOT 64
#define RAD2DEG (180.0 / 3.14159265358979323846)

typedef struct OFun {
  int    kind;  // SL_FUN_CONST, SL_FUN_LINEAR, SL_FUN_SPLINE
  double a, b;  // const: a; linear: a x + b
  int    n;
  double x[MAXKNOT], y[MAXKNOT];
} OFun;

typedef struct OAxis {
  int    rot;  // 1 rotation, 0 translation
  double dir[3];
  int    coord;  // -1: none
  OFun   f;
  int    line;
} OAxis;

typedef struct OCoord {
  char   name[OS_NAME];
  double range[2], def;
  int    trans;  // 1 translation (from the axes it drives or motion_type)
  int    body;   // body whose joint has it
  int    dep;    // coupler index if dependent (-1 none)
  int    locked;
  int    line;
  int    dropped;  // substituted by a coupler, or coordinate of a virtual body
  double scale;    // written as scale x the source coordinate (a lumbar level's joint angle)
} OCoord;

typedef struct OBody {
  char   name[OS_NAME], parent_name[OS_NAME], joint[OS_NAME], jtype[32];
  int    parent;  // -1 ground
  double mass, com[3], inertia[6];
  double ppos[3], prot[3], cpos[3], crot[3];  // joint frames: offsets, XYZ body-fixed rad
  OAxis  ax[MAXAX];
  int    nax;
  int    line, jline;
  int    virt;        // 1: a virtual body made an abdominal wall
  int    level;       // lumbar level of its joint (-1)
  double R[9], o[3];  // default-pose pose in ground
  int    done;
} OBody;

typedef struct OCoupler {
  char   dep[OS_NAME], ind[OS_NAME];
  double a, b;
  int    line;
  int    kind;  // 0 substitute, 1 rhythm, 2 virtual body
} OCoupler;

typedef struct OPt {
  int    body;
  double p[3];
} OPt;

typedef struct OMus {
  char   name[OS_NAME];
  double fmax, lopt, lslack, penn;
  int    pt0, npt;
  char   wraps[512];
  int    line;
} OMus;

typedef struct OWrap {
  char   name[OS_NAME];
  int    body, shape;  // shape: 0 sphere, 1 cylinder, 2 ellipsoid (slWrapShape)
  double dim[3], len, pos[3], rot[3];
  char   quad[4];
  int    active, line, used;
} OWrap;

typedef struct OPathWrap {
  int  mus, line;
  char obj[OS_NAME], method[32];
  int  range[2];  // 1-based path points, -1: the path's end
} OPathWrap;

typedef struct OMarker {
  char   name[OS_NAME];
  int    body;
  double p[3];
} OMarker;

typedef struct Buf {
  char*  s;
  size_t n, cap;
  int    oom;
} Buf;

typedef struct Conv {
  const char* file;
  unsigned    omit;
  slError*    err;
  slStatus    st;
  OBody*      body;
  int         nbody, capbody;
  OCoord*     coord;
  int         ncoord, capcoord;
  OCoupler*   cpl;
  int         ncpl, capcpl;
  OMus*       mus;
  int         nmus, capmus;
  OPt*        pt;
  int         npt, cappt;
  OMarker*    mk;
  int         nmk, capmk;
  OWrap*      wr;
  int         nwr, capwr;
  OPathWrap*  pw;
  int         npw, cappw;
  int         lev_body[SL_NLEVEL + 4];  // bodies of the lumbar chain (child of each level joint)
  int         nlev;
  int         lev_coord[SL_NLEVEL + 4][3];
  double      rhythm[3][SL_NLEVEL + 4];
  int         wall_inf, wall_sup;  // abdominal wall segments (-1)
  double      gravity;
  char        model_name[OS_NAME];
  char        credits[1024], pubs[1024];
  Buf         omitted;  // list of omitted elements, markdown lines
  int         nomitted;
} Conv;

// ---- small helpers
// --------------------------------------------------------------------------------

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
bput(Buf* b, const char* fmt, ...) {
  if (b->oom) return;
  va_list ap;
  va_start(ap, fmt);
  char tmp[4096];
  int  k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  size_t need = b->n + (size_t)k + 1;
  if (need > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need) cap *= 2;
    char* s = realloc(b->s, cap);
    if (!s) {
      b->oom = 1;
      return;
    }
    b->s = s;
    b->cap = cap;
  }
  if ((size_t)k < sizeof tmp) {
    memcpy(b->s + b->n, tmp, (size_t)k + 1);
  } else {
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
  }
  b->n += (size_t)k;
}

static int grow(void** p, int* cap, int n, size_t sz) {
  if (n < *cap) return 0;
  int   c = *cap ? 2 * *cap : 16;
  void* q = realloc(*p, (size_t)c * sz);
  if (!q) return -1;
  *p = q;
  *cap = c;
  return 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(Conv* c, const xmlNode* at, slStatus code, const char* fmt, ...) {
  if (c->st != SL_OK) return -1;
  char where[512], msg[768];
  snprintf(where, sizeof where, "%s:%ld", c->file, at ? (long)xmlGetLineNo(at) : 0L);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->st = sl_fail(c->err, code, where, "%s", msg);
  return -1;
}

// an error at a line recorded earlier (SL_ERR_MODEL)
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static slStatus
fail_line(Conv* c, int line, const char* fmt, ...) {
  char where[512], msg[768];
  snprintf(where, sizeof where, "%s:%d", c->file, line);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sl_fail(c->err, SL_ERR_MODEL, where, "%s", msg);
}

static int oom(Conv* c) {
  if (c->st == SL_OK) c->st = sl_fail(c->err, SL_ERR_NOMEM, c->file, "out of memory");
  return -1;
}

static int is(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && !strcmp((const char*)n->name, name);
}

static const xmlNode* child(const xmlNode* n, const char* name) {
  for (const xmlNode* k = n ? n->children : NULL; k; k = k->next)
    if (is(k, name)) return k;
  return NULL;
}

static const xmlNode* first_elem(const xmlNode* n) {
  for (const xmlNode* k = n ? n->children : NULL; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE) return k;
  return NULL;
}

static const xmlNode* next_elem(const xmlNode* n) {
  for (const xmlNode* k = n ? n->next : NULL; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE) return k;
  return NULL;
}

static int has_elems(const xmlNode* n) {
  return first_elem(n) != NULL;
}

// the element's text (trimmed) into out; 0 if absent
static int text(const xmlNode* n, char* out, size_t cap) {
  out[0] = '\0';
  if (!n) return 0;
  xmlChar* s = xmlNodeGetContent(n);
  if (!s) return 0;
  const char* p = (const char*)s;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  snprintf(out, cap, "%s", p);
  size_t k = strlen(out);
  while (k && (out[k - 1] == ' ' || out[k - 1] == '\t' || out[k - 1] == '\n' || out[k - 1] == '\r'))
    out[--k] = '\0';
  xmlFree(s);
  return 1;
}

static void attr_name(const xmlNode* n, char* out, size_t cap) {
  out[0] = '\0';
  xmlChar* s = xmlGetProp(n, (const xmlChar*)"name");
  if (s) {
    snprintf(out, cap, "%s", (const char*)s);
    xmlFree(s);
  }
}

// src copied into dst (cap bytes) as a terminal shows it: control characters as '?'
static void printable(char* dst, size_t cap, const char* src) {
  size_t k = 0;
  for (const unsigned char* q = (const unsigned char*)src; *q && k + 1 < cap; q++)
    dst[k++] = *q < 0x20 || *q == 0x7f ? '?' : (char)*q;
  dst[k] = '\0';
}

// A name the model file and its tables hold as a plain word: ASCII letters, digits and _ . - + ( ),
// starting with a letter, a digit or _. Every name in the OpenSim models read so far fits; YAML
// and CSV punctuation, quotes, blanks, control and non-ASCII characters (a YAML line break among
// them) would change what the files say.
static int name_char_ok(unsigned char ch, int first) {
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')
    return 1;
  return !first && (ch == '.' || ch == '-' || ch == '+' || ch == '(' || ch == ')');
}

// a name attribute that fits, is non-empty and is a plain word (name_char_ok)
static int need_name(Conv* c, const xmlNode* n, char* out) {
  xmlChar* s = xmlGetProp(n, (const xmlChar*)"name");
  int      ok = s && s[0] && strlen((const char*)s) < OS_NAME;
  if (ok) snprintf(out, OS_NAME, "%s", (const char*)s);
  if (s) xmlFree(s);
  if (!ok)
    return fail(c, n, SL_ERR_PARSE, "<%s> needs a name of 1 to %d characters", n->name,
                OS_NAME - 1);
  for (const unsigned char* p = (const unsigned char*)out; *p; p++)
    if (!name_char_ok(*p, p == (const unsigned char*)out)) {
      char shown[OS_NAME];
      printable(shown, sizeof shown, out);
      return fail(c, n, SL_ERR_PARSE,
                  "<%s> name '%s' has a character spineload names cannot hold at position %d "
                  "(names take ASCII letters, digits and _ . - + ( ), and start with a letter, "
                  "a digit or _)",
                  n->name, shown, (int)(p - (const unsigned char*)out) + 1);
    }
  return 0;
}

// numbers in the element's text: exactly n (n > 0), or up to -n (n < 0; count in *got)
static int nums(Conv* c, const xmlNode* n, const char* what, double* v, int want, int* got) {
  char buf[8192];
  if (!n) return fail(c, NULL, SL_ERR_KEY, "missing <%s>", what);
  xmlChar* s = xmlNodeGetContent(n);
  if (!s) return oom(c);
  if (strlen((const char*)s) >= sizeof buf) {
    xmlFree(s);
    return fail(c, n, SL_ERR_RANGE, "<%s>: too many numbers", what);
  }
  snprintf(buf, sizeof buf, "%s", (const char*)s);
  xmlFree(s);
  int   k = 0, cap = want > 0 ? want : -want;
  char* p = buf;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (!*p) break;
    if (k == cap) return fail(c, n, SL_ERR_RANGE, "<%s>: more than %d numbers", what, cap);
    char* e = NULL;
    errno = 0;
    double x = strtod(p, &e);
    if (e == p || !isfinite(x) || errno == ERANGE ||
        (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r'))
      return fail(c, n, SL_ERR_PARSE, "<%s>: '%.40s' is not a number", what, p);
    v[k++] = x;
    p = e;
  }
  if (want > 0 && k != want)
    return fail(c, n, SL_ERR_RANGE, "<%s>: expected %d numbers, got %d", what, want, k);
  if (got) *got = k;
  return 0;
}

static int num_child(Conv* c, const xmlNode* parent, const char* name, double* v, int want) {
  const xmlNode* n = child(parent, name);
  if (!n) return fail(c, parent, SL_ERR_KEY, "<%s> has no <%s>", parent->name, name);
  return nums(c, n, name, v, want, NULL);
}

static int flag(const xmlNode* n) {
  char t[32];
  text(n, t, sizeof t);
  return !strcmp(t, "true") || !strcmp(t, "1");
}

static void omitted(Conv* c, const xmlNode* n, const char* what) {
  char nm[OS_NAME];
  attr_name(n, nm, sizeof nm);
  bput(&c->omitted, "- line %ld: <%s%s%s%s> (%s)\n", (long)xmlGetLineNo(n), n->name,
       nm[0] ? " name=\"" : "", nm, nm[0] ? "\"" : "", what);
  c->nomitted++;
}

static int find_body(const Conv* c, const char* name) {
  for (int i = 0; i < c->nbody; i++)
    if (!strcmp(c->body[i].name, name)) return i;
  return -1;
}

static int find_coord(const Conv* c, const char* name) {
  for (int i = 0; i < c->ncoord; i++)
    if (!strcmp(c->coord[i].name, name)) return i;
  return -1;
}

// "/bodyset/pelvis", "pelvis", "/ground", "ground", "../pelvis" -> the body (-1 ground, -2 none)
static int frame_body(const Conv* c, const char* path) {
  const char* s = strrchr(path, '/');
  s = s ? s + 1 : path;
  if (!strcmp(s, "ground")) return -1;
  return find_body(c, s) >= 0 ? find_body(c, s) : -2;
}

// ---- functions
// --------------------------------------------------------------------------------------

static int is_fun(const xmlNode* n) {
  static const char* const k[] = {"Constant",
                                  "LinearFunction",
                                  "SimmSpline",
                                  "NaturalCubicSpline",
                                  "MultiplierFunction",
                                  "GCVSpline",
                                  "PiecewiseLinearFunction",
                                  "PiecewiseConstantFunction",
                                  "PolynomialFunction",
                                  "StepFunction",
                                  "Sine",
                                  "FunctionAdapter",
                                  "MultivariatePolynomialFunction",
                                  "LinearFunctionWithOffset",
                                  NULL};
  if (!n || n->type != XML_ELEMENT_NODE) return 0;
  for (int i = 0; k[i]; i++)
    if (!strcmp((const char*)n->name, k[i])) return 1;
  return 0;
}

// the function element under n: a direct function child, or the one inside <function>
static const xmlNode* fun_of(const xmlNode* n) {
  for (const xmlNode* k = first_elem(n); k; k = next_elem(k)) {
    if (is_fun(k)) return k;
    if (is(k, "function") || is(k, "coupled_coordinates_function")) {
      const xmlNode* f = first_elem(k);
      if (f) return f;
    }
  }
  return NULL;
}

static int read_fun(Conv* c, const xmlNode* n, OFun* f, int depth) {
  memset(f, 0, sizeof *f);
  if (is(n, "Constant")) {
    f->kind = SL_FUN_CONST;
    return num_child(c, n, "value", &f->a, 1);
  }
  if (is(n, "LinearFunction")) {
    double v[2];
    if (num_child(c, n, "coefficients", v, 2)) return -1;
    f->kind = SL_FUN_LINEAR;
    f->a = v[0];
    f->b = v[1];
    return 0;
  }
  if (is(n, "SimmSpline") || is(n, "NaturalCubicSpline")) {
    int nx = 0, ny = 0;
    if (!child(n, "x") || !child(n, "y"))
      return fail(c, n, SL_ERR_KEY, "<%s> needs <x> and <y>", n->name);
    if (nums(c, child(n, "x"), "x", f->x, -MAXKNOT, &nx) ||
        nums(c, child(n, "y"), "y", f->y, -MAXKNOT, &ny))
      return -1;
    if (nx != ny || nx < 2)
      return fail(c, n, SL_ERR_RANGE, "<%s>: x and y need the same number of knots, 2 to %d",
                  n->name, MAXKNOT);
    for (int i = 1; i < nx; i++)
      if (!(f->x[i] > f->x[i - 1]))
        return fail(c, n, SL_ERR_RANGE, "<%s>: knots x must increase", n->name);
    f->kind = SL_FUN_SPLINE;
    f->n = nx;
    return 0;
  }
  if (is(n, "MultiplierFunction")) {
    double         s = 1.0;
    const xmlNode* in = fun_of(n);
    if (!in || depth > 4)
      return fail(c, n, SL_ERR_MODEL, "<MultiplierFunction> without a function spineload reads");
    if (num_child(c, n, "scale", &s, 1) || read_fun(c, in, f, depth + 1)) return -1;
    f->a *= s;
    f->b *= s;
    for (int i = 0; i < f->n; i++) f->y[i] *= s;
    return 0;
  }
  return fail(c, n, SL_ERR_MODEL,
              "function <%s> cannot be represented (spineload reads Constant, LinearFunction, "
              "SimmSpline, NaturalCubicSpline and MultiplierFunction)",
              n ? (const char*)n->name : "?");
}

// ---- rotations
// -----------------------------------------------------------------------------------

static void mat_mul(const double* a, const double* b, double* o) {
  double t[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      t[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  memcpy(o, t, sizeof t);
}

static void mat_vec(const double* a, const double* v, double* o) {
  double t[3];
  for (int i = 0; i < 3; i++) t[i] = a[3 * i] * v[0] + a[3 * i + 1] * v[1] + a[3 * i + 2] * v[2];
  memcpy(o, t, sizeof t);
}

static void mat_tvec(const double* a, const double* v, double* o) {
  double t[3];
  for (int i = 0; i < 3; i++) t[i] = a[i] * v[0] + a[3 + i] * v[1] + a[6 + i] * v[2];
  memcpy(o, t, sizeof t);
}

static void axis_rot(const double* u, double th, double* R) {
  double n = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  double x = u[0] / n, y = u[1] / n, z = u[2] / n, cs = cos(th), s = sin(th), t = 1 - cs;
  double M[9] = {t * x * x + cs,    t * x * y - s * z, t * x * z + s * y,
                 t * x * y + s * z, t * y * y + cs,    t * y * z - s * x,
                 t * x * z - s * y, t * y * z + s * x, t * z * z + cs};
  memcpy(R, M, sizeof M);
}

static void euler_xyz(const double* a, double* R) {
  static const double ex[3] = {1, 0, 0}, ey[3] = {0, 1, 0}, ez[3] = {0, 0, 1};
  double              Rx[9], Ry[9], Rz[9];
  axis_rot(ex, a[0], Rx);
  axis_rot(ey, a[1], Ry);
  axis_rot(ez, a[2], Rz);
  mat_mul(Rx, Ry, R);
  mat_mul(R, Rz, R);
}

// natural cubic spline through the knots, evaluated at x (clamped to the ends linearly)
static double spline_eval(const OFun* f, double x) {
  int    n = f->n;
  double h[MAXKNOT], al[MAXKNOT], l[MAXKNOT], mu[MAXKNOT], z[MAXKNOT], cc[MAXKNOT];
  for (int i = 0; i < n - 1; i++) h[i] = f->x[i + 1] - f->x[i];
  for (int i = 1; i < n - 1; i++)
    al[i] = 3 / h[i] * (f->y[i + 1] - f->y[i]) - 3 / h[i - 1] * (f->y[i] - f->y[i - 1]);
  l[0] = 1, mu[0] = 0, z[0] = 0;
  for (int i = 1; i < n - 1; i++) {
    l[i] = 2 * (f->x[i + 1] - f->x[i - 1]) - h[i - 1] * mu[i - 1];
    mu[i] = h[i] / l[i];
    z[i] = (al[i] - h[i - 1] * z[i - 1]) / l[i];
  }
  cc[n - 1] = 0;
  for (int j = n - 2; j >= 0; j--) cc[j] = z[j] - mu[j] * cc[j + 1];
  int k = 0;
  while (k < n - 2 && x > f->x[k + 1]) k++;
  double dx = x - f->x[k];
  double b = (f->y[k + 1] - f->y[k]) / h[k] - h[k] * (cc[k + 1] + 2 * cc[k]) / 3;
  double d = (cc[k + 1] - cc[k]) / (3 * h[k]);
  return f->y[k] + b * dx + cc[k] * dx * dx + d * dx * dx * dx;
}

static double fun_eval(const OFun* f, double x) {
  if (f->kind == SL_FUN_CONST) return f->a;
  if (f->kind == SL_FUN_LINEAR) return f->a * x + f->b;
  return spline_eval(f, x);
}

// ---- parsing
// -------------------------------------------------------------------------------------

static OBody* new_body(Conv* c) {
  if (grow((void**)&c->body, &c->capbody, c->nbody, sizeof *c->body)) return NULL;
  OBody* b = &c->body[c->nbody++];
  memset(b, 0, sizeof *b);
  b->parent = -2;
  b->level = -1;
  return b;
}

static int add_coord(Conv* c, const xmlNode* n, int body) {
  if (grow((void**)&c->coord, &c->capcoord, c->ncoord, sizeof *c->coord)) return oom(c);
  OCoord* k = &c->coord[c->ncoord];
  memset(k, 0, sizeof *k);
  if (need_name(c, n, k->name)) return -1;
  if (find_coord(c, k->name) >= 0)
    return fail(c, n, SL_ERR_MODEL, "coordinate '%s' is defined twice", k->name);
  k->body = body;
  k->dep = -1;
  k->scale = 1;
  k->line = (int)xmlGetLineNo(n);
  if (num_child(c, n, "default_value", &k->def, 1) || num_child(c, n, "range", k->range, 2))
    return -1;
  if (k->range[0] > k->range[1])
    return fail(c, child(n, "range"), SL_ERR_RANGE, "coordinate '%s': range min > max", k->name);
  char mt[64];
  if (text(child(n, "motion_type"), mt, sizeof mt)) {
    if (!strcmp(mt, "translational"))
      k->trans = 1;
    else if (strcmp(mt, "rotational"))
      return fail(c, child(n, "motion_type"), SL_ERR_MODEL,
                  "coordinate '%s': motion_type '%s' cannot be represented", k->name, mt);
  }
  if (child(n, "prescribed") && flag(child(n, "prescribed")))
    return fail(c, child(n, "prescribed"), SL_ERR_MODEL,
                "coordinate '%s' is prescribed: spineload cannot represent a prescribed "
                "coordinate",
                k->name);
  // a lock matters only for a coordinate that is kept (checked in check_locks)
  k->locked = child(n, "locked") && flag(child(n, "locked"));
  c->ncoord++;
  return 0;
}

static int read_axis(Conv* c, const xmlNode* ta, OBody* b) {
  if (b->nax == MAXAX) return fail(c, ta, SL_ERR_RANGE, "more than %d transform axes", MAXAX);
  OAxis* a = &b->ax[b->nax];
  char   nm[OS_NAME], cs[512];
  attr_name(ta, nm, sizeof nm);
  a->rot = !strncmp(nm, "rotation", 8);
  if (!a->rot && strncmp(nm, "translation", 11))
    return fail(c, ta, SL_ERR_MODEL, "TransformAxis '%s': expected rotation1-3 or translation1-3",
                nm);
  a->line = (int)xmlGetLineNo(ta);
  if (num_child(c, ta, "axis", a->dir, 3)) return -1;
  if (a->dir[0] * a->dir[0] + a->dir[1] * a->dir[1] + a->dir[2] * a->dir[2] < 1e-24)
    return fail(c, child(ta, "axis"), SL_ERR_RANGE, "TransformAxis '%s': zero axis", nm);
  text(child(ta, "coordinates"), cs, sizeof cs);
  a->coord = -1;
  if (cs[0]) {
    if (strchr(cs, ' ') || strchr(cs, '\t'))
      return fail(c, ta, SL_ERR_MODEL,
                  "TransformAxis '%s' is driven by several coordinates ('%s'): cannot be "
                  "represented",
                  nm, cs);
    a->coord = find_coord(c, cs);
    if (a->coord < 0)
      return fail(c, child(ta, "coordinates"), SL_ERR_KEY,
                  "TransformAxis '%s': unknown coordinate '%s' (not one of the joint's)", nm, cs);
  }
  const xmlNode* f = fun_of(ta);
  if (!f) {
    if (a->coord >= 0) {  // no function: identity
      a->f.kind = SL_FUN_LINEAR;
      a->f.a = 1;
      b->nax++;
      return 0;
    }
    a->f.kind = SL_FUN_CONST;
    b->nax++;
    return 0;
  }
  if (read_fun(c, f, &a->f, 0)) return -1;
  if (a->coord < 0 && a->f.kind != SL_FUN_CONST) {
    if (a->f.kind == SL_FUN_LINEAR && a->f.a == 0) {
      a->f.kind = SL_FUN_CONST;
      a->f.a = a->f.b;
    } else {
      return fail(c, f, SL_ERR_MODEL, "TransformAxis '%s': a function of no coordinate", nm);
    }
  }
  b->nax++;
  return 0;
}

// offset frame `name` of a 4.0 joint: its body and pose; a bare body path is the body itself
static int joint_frame(Conv* c, const xmlNode* jn, const char* sock, int* body, double* pos,
                       double* rot) {
  char s[512];
  if (!text(child(jn, sock), s, sizeof s) || !s[0])
    return fail(c, jn, SL_ERR_KEY, "joint has no <%s>", sock);
  memset(pos, 0, 3 * sizeof *pos);
  memset(rot, 0, 3 * sizeof *rot);
  const xmlNode* fr = child(jn, "frames");
  const char*    leaf = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
  for (const xmlNode* k = first_elem(fr); k; k = next_elem(k)) {
    char nm[OS_NAME];
    attr_name(k, nm, sizeof nm);
    if (strcmp(nm, leaf)) continue;
    if (!is(k, "PhysicalOffsetFrame"))
      return fail(c, k, SL_ERR_MODEL, "frame <%s> cannot be represented", k->name);
    char p[512];
    if (!text(child(k, "socket_parent"), p, sizeof p))
      return fail(c, k, SL_ERR_KEY, "frame '%s' has no <socket_parent>", nm);
    *body = frame_body(c, p);
    if (*body == -2) return fail(c, k, SL_ERR_KEY, "frame '%s': unknown body '%s'", nm, p);
    if (num_child(c, k, "translation", pos, 3) || num_child(c, k, "orientation", rot, 3)) return -1;
    return 0;
  }
  *body = frame_body(c, s);
  if (*body == -2) return fail(c, child(jn, sock), SL_ERR_KEY, "unknown frame '%s'", s);
  return 0;
}

static int joint_common(Conv* c, const xmlNode* jn, OBody* b, int bi, int v4) {
  snprintf(b->jtype, sizeof b->jtype, "%s", (const char*)jn->name);
  if (need_name(c, jn, b->joint)) return -1;
  b->jline = (int)xmlGetLineNo(jn);
  if (!v4 && child(jn, "reverse") && flag(child(jn, "reverse")))
    return fail(c, child(jn, "reverse"), SL_ERR_MODEL,
                "joint '%s' is reversed: cannot be represented", b->joint);
  const xmlNode* cs = v4 ? child(jn, "coordinates") : child(child(jn, "CoordinateSet"), "objects");
  for (const xmlNode* k = first_elem(cs); k; k = next_elem(k)) {
    if (!is(k, "Coordinate"))
      return fail(c, k, SL_ERR_MODEL, "<%s> in a joint's coordinates", k->name);
    if (add_coord(c, k, bi)) return -1;
  }
  int first = -1, n = 0;
  for (int i = 0; i < c->ncoord; i++)
    if (c->coord[i].body == bi) {
      if (first < 0) first = i;
      n++;
    }
  const char* t = b->jtype;
  if (!strcmp(t, "CustomJoint")) {
    const xmlNode* st = child(jn, "SpatialTransform");
    if (!st) return fail(c, jn, SL_ERR_KEY, "CustomJoint '%s' has no <SpatialTransform>", b->joint);
    for (const xmlNode* k = first_elem(st); k; k = next_elem(k)) {
      if (!is(k, "TransformAxis"))
        return fail(c, k, SL_ERR_MODEL, "<%s> in a SpatialTransform", k->name);
      if (read_axis(c, k, b)) return -1;
    }
  } else if (!strcmp(t, "PinJoint") || !strcmp(t, "UniversalJoint") || !strcmp(t, "BallJoint")) {
    static const double ax[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    int                 want = !strcmp(t, "PinJoint") ? 1 : !strcmp(t, "UniversalJoint") ? 2 : 3;
    if (n != want)
      return fail(c, jn, SL_ERR_MODEL, "%s '%s' needs %d coordinates, has %d", t, b->joint, want,
                  n);
    for (int k = 0; k < want; k++) {
      OAxis* a = &b->ax[b->nax++];
      a->rot = 1;
      // pin: about z; universal: x then y; ball: x, y, z
      memcpy(a->dir, ax[want == 1 ? 2 : k], sizeof a->dir);
      a->coord = first + k;
      a->f.kind = SL_FUN_LINEAR;
      a->f.a = 1;
      a->line = b->jline;
    }
  } else if (strcmp(t, "WeldJoint")) {
    return fail(c, jn, SL_ERR_MODEL,
                "joint <%s> '%s' cannot be represented (spineload reads CustomJoint, PinJoint, "
                "UniversalJoint, BallJoint and WeldJoint)",
                t, b->joint);
  }
  if (!strcmp(t, "WeldJoint") && n)
    return fail(c, jn, SL_ERR_MODEL, "WeldJoint '%s' with coordinates", b->joint);
  return 0;
}

static int read_inertia(Conv* c, const xmlNode* bn, OBody* b, int v4) {
  if (num_child(c, bn, "mass", &b->mass, 1) || num_child(c, bn, "mass_center", b->com, 3))
    return -1;
  if (v4 || child(bn, "inertia")) return num_child(c, bn, "inertia", b->inertia, 6);
  static const char* const k[6] = {"inertia_xx", "inertia_yy", "inertia_zz",
                                   "inertia_xy", "inertia_xz", "inertia_yz"};
  for (int i = 0; i < 6; i++)
    if (num_child(c, bn, k[i], &b->inertia[i], 1)) return -1;
  return 0;
}

// a body's wrap objects (body -1: ground, which spineload cannot hold a surface on)
static int wrap_sets(Conv* c, const xmlNode* bn, int body) {
  const xmlNode* ws = child(child(bn, "WrapObjectSet"), "objects");
  for (const xmlNode* k = first_elem(ws); k; k = next_elem(k)) {
    if (c->omit & SL_OSIM_OMIT_WRAPPING) {
      omitted(c, k, "wrapping surface");
      continue;
    }
    int shape = is(k, "WrapSphere")      ? 0
                : is(k, "WrapCylinder")  ? 1
                : is(k, "WrapEllipsoid") ? 2
                                         : -1;
    if (shape < 0)
      return fail(c, k, SL_ERR_MODEL,
                  "wrap object <%s>: spineload wraps over WrapSphere, WrapCylinder and "
                  "WrapEllipsoid (omit wrapping with --omit=wrapping)",
                  k->name);
    if (body < 0)
      return fail(c, k, SL_ERR_MODEL,
                  "wrap object <%s> fixed to ground: spineload's surfaces are on segments (omit "
                  "wrapping with --omit=wrapping)",
                  k->name);
    if (grow((void**)&c->wr, &c->capwr, c->nwr, sizeof *c->wr)) return oom(c);
    OWrap* w = &c->wr[c->nwr];
    memset(w, 0, sizeof *w);
    if (need_name(c, k, w->name)) return -1;
    for (int i = 0; i < c->nwr; i++)
      if (!strcmp(c->wr[i].name, w->name))
        return fail(c, k, SL_ERR_MODEL, "wrap object '%s' is defined twice", w->name);
    w->body = body, w->shape = shape, w->line = (int)xmlGetLineNo(k), w->active = 1;
    if (shape == 2) {
      if (num_child(c, k, "dimensions", w->dim, 3)) return -1;
    } else {
      if (num_child(c, k, "radius", w->dim, 1)) return -1;
      w->dim[1] = w->dim[2] = w->dim[0];
    }
    if (shape == 1 && child(k, "length") && num_child(c, k, "length", &w->len, 1)) return -1;
    for (int j = 0; j < 3; j++)
      if (!(w->dim[j] > 0) || w->dim[j] > 10)
        return fail(c, k, SL_ERR_RANGE, "wrap object '%s': %s must be in (0, 10] m", w->name,
                    shape == 2 ? "dimensions" : "radius");
    if (child(k, "translation") && num_child(c, k, "translation", w->pos, 3)) return -1;
    if (child(k, "xyz_body_rotation") && num_child(c, k, "xyz_body_rotation", w->rot, 3)) return -1;
    if (child(k, "active")) w->active = flag(child(k, "active"));
    char q[32] = "all";
    if (child(k, "quadrant")) text(child(k, "quadrant"), q, sizeof q);
    static const char* const qs[] = {"all", "+x", "-x", "+y", "-y", "+z",
                                     "-z",  "x",  "y",  "z",  NULL};
    int                      qi = -1;
    for (int j = 0; qs[j]; j++)
      if (!strcmp(q, qs[j])) qi = j;
    if (qi < 0)
      return fail(c, child(k, "quadrant"), SL_ERR_MODEL,
                  "wrap object '%s': quadrant '%s' (all, +x, -x, +y, -y, +z, -z)", w->name, q);
    snprintf(w->quad, sizeof w->quad, "%s%s", qi >= 7 ? "+" : "", qs[qi]);
    if (shape == 1 && w->quad[1] == 'z')
      return fail(c, child(k, "quadrant"), SL_ERR_MODEL,
                  "wrap cylinder '%s': quadrant '%s' is along the cylinder's axis", w->name, q);
    c->nwr++;
  }
  return 0;
}

static int read_bodies(Conv* c, const xmlNode* model, int v4) {
  const xmlNode* objs = child(child(model, "BodySet"), "objects");
  for (const xmlNode* bn = first_elem(objs); bn; bn = next_elem(bn)) {
    if (!is(bn, "Body"))
      return fail(c, bn, SL_ERR_MODEL, "<%s> in the BodySet cannot be represented", bn->name);
    char nm[OS_NAME];
    attr_name(bn, nm, sizeof nm);
    if (!strcmp(nm, "ground")) continue;  // 2.x files list ground as a body
    OBody* b = new_body(c);
    if (!b) return oom(c);
    if (need_name(c, bn, b->name)) return -1;
    if (find_body(c, b->name) != c->nbody - 1)
      return fail(c, bn, SL_ERR_MODEL, "body '%s' is defined twice", b->name);
    b->line = (int)xmlGetLineNo(bn);
    if (read_inertia(c, bn, b, v4) || wrap_sets(c, bn, c->nbody - 1)) return -1;
  }
  if (c->nbody == 0) return fail(c, model, SL_ERR_MODEL, "the model has no bodies");
  return 0;
}

// 2.x/3.x: the joint is inside the body
static int read_joints_v3(Conv* c, const xmlNode* model) {
  const xmlNode* objs = child(child(model, "BodySet"), "objects");
  int            bi = 0;
  for (const xmlNode* bn = first_elem(objs); bn; bn = next_elem(bn)) {
    char nm[OS_NAME];
    attr_name(bn, nm, sizeof nm);
    if (!strcmp(nm, "ground")) continue;
    OBody*         b = &c->body[bi];
    const xmlNode* jn = first_elem(child(bn, "Joint"));
    if (!jn) return fail(c, bn, SL_ERR_MODEL, "body '%s' has no joint", b->name);
    char pn[512];
    if (!text(child(jn, "parent_body"), pn, sizeof pn))
      return fail(c, jn, SL_ERR_KEY, "joint has no <parent_body>");
    b->parent = frame_body(c, pn);
    if (b->parent == -2)
      return fail(c, child(jn, "parent_body"), SL_ERR_KEY, "unknown body '%s'", pn);
    if (num_child(c, jn, "location_in_parent", b->ppos, 3) ||
        num_child(c, jn, "orientation_in_parent", b->prot, 3) ||
        num_child(c, jn, "location", b->cpos, 3) || num_child(c, jn, "orientation", b->crot, 3) ||
        joint_common(c, jn, b, bi, 0))
      return -1;
    bi++;
  }
  return 0;
}

static int read_joints_v4(Conv* c, const xmlNode* model) {
  const xmlNode* objs = child(child(model, "JointSet"), "objects");
  for (const xmlNode* jn = first_elem(objs); jn; jn = next_elem(jn)) {
    int    pb = -2, cb = -2;
    double pp[3], pr[3], cp[3], cr[3];
    if (joint_frame(c, jn, "socket_parent_frame", &pb, pp, pr) ||
        joint_frame(c, jn, "socket_child_frame", &cb, cp, cr))
      return -1;
    if (cb < 0) return fail(c, jn, SL_ERR_MODEL, "joint with ground as its child");
    OBody* b = &c->body[cb];
    if (b->parent != -2)
      return fail(c, jn, SL_ERR_MODEL, "body '%s' has a second joint (a loop)", b->name);
    b->parent = pb;
    memcpy(b->ppos, pp, sizeof pp), memcpy(b->prot, pr, sizeof pr);
    memcpy(b->cpos, cp, sizeof cp), memcpy(b->crot, cr, sizeof cr);
    if (joint_common(c, jn, b, cb, 1)) return -1;
  }
  for (int i = 0; i < c->nbody; i++)
    if (c->body[i].parent == -2) {
      c->st = fail_line(c, c->body[i].line, "body '%s' has no joint", c->body[i].name);
      return -1;
    }
  return 0;
}

static int read_constraints(Conv* c, const xmlNode* model) {
  const xmlNode* objs = child(child(model, "ConstraintSet"), "objects");
  for (const xmlNode* k = first_elem(objs); k; k = next_elem(k)) {
    if (!is(k, "CoordinateCouplerConstraint"))
      return fail(c, k, SL_ERR_MODEL, "constraint <%s> cannot be represented", k->name);
    if ((child(k, "isEnforced") && !flag(child(k, "isEnforced"))) ||
        (child(k, "isDisabled") && flag(child(k, "isDisabled")))) {
      omitted(c, k, "disabled constraint: its coordinates stay independent");
      continue;
    }
    if (grow((void**)&c->cpl, &c->capcpl, c->ncpl, sizeof *c->cpl)) return oom(c);
    OCoupler* p = &c->cpl[c->ncpl];
    memset(p, 0, sizeof *p);
    p->line = (int)xmlGetLineNo(k);
    char ind[512], dep[512];
    text(child(k, "independent_coordinate_names"), ind, sizeof ind);
    text(child(k, "dependent_coordinate_name"), dep, sizeof dep);
    if (!ind[0] || strchr(ind, ' ') || strchr(ind, '\t'))
      return fail(c, k, SL_ERR_MODEL,
                  "coupler with %s independent coordinates: spineload needs exactly one",
                  ind[0] ? "several" : "no");
    int ci = find_coord(c, ind), cd = find_coord(c, dep);
    if (ci < 0 || cd < 0)
      return fail(c, k, SL_ERR_KEY, "coupler names unknown coordinate '%s'", ci < 0 ? ind : dep);
    if (c->coord[cd].dep >= 0)
      return fail(c, k, SL_ERR_MODEL, "coordinate '%s' is coupled twice", dep);
    const xmlNode* fn = fun_of(k);
    OFun           f;
    if (!fn) return fail(c, k, SL_ERR_KEY, "coupler without a function");
    if (read_fun(c, fn, &f, 0)) return -1;
    if (f.kind != SL_FUN_LINEAR)
      return fail(c, fn, SL_ERR_MODEL,
                  "coupler '%s' = f(%s): only linear couplers can be represented", dep, ind);
    double sf = 1;
    if (child(k, "scale_factor") && num_child(c, k, "scale_factor", &sf, 1)) return -1;
    snprintf(p->dep, sizeof p->dep, "%.63s", dep);
    snprintf(p->ind, sizeof p->ind, "%.63s", ind);
    p->a = f.a * sf;
    p->b = f.b * sf;
    c->coord[cd].dep = c->ncpl++;
  }
  // a chain of couplers ends at an independent coordinate: one that comes back to its start (a
  // coordinate coupled to itself, or a loop through others) has no value
  for (int p = 0; p < c->ncpl; p++) {
    int at = find_coord(c, c->cpl[p].ind), steps = 0;
    while (at >= 0 && c->coord[at].dep >= 0 && steps <= c->ncpl) {
      at = find_coord(c, c->cpl[c->coord[at].dep].ind);
      steps++;
    }
    if (steps > c->ncpl)
      return c->st = fail_line(c, c->cpl[p].line,
                               "the couplers of '%s' form a loop: it would be coupled to itself",
                               c->cpl[p].dep),
             -1;
  }
  return 0;
}

static int read_point(Conv* c, const xmlNode* pp, OMus* m) {
  if (!is(pp, "PathPoint")) {
    const char* why = is(pp, "ConditionalPathPoint")
                          ? "a conditional path point (active in a range of "
                            "a coordinate)"
                      : is(pp, "MovingPathPoint") ? "a moving path point (its location a function "
                                                    "of coordinates)"
                                                  : "an unknown path point type";
    return fail(c, pp, SL_ERR_MODEL, "muscle '%s': <%s> is %s: spineload paths have fixed points",
                m->name, pp->name, why);
  }
  char fr[512];
  if (!text(child(pp, "socket_parent_frame"), fr, sizeof fr) &&
      !text(child(pp, "body"), fr, sizeof fr))
    return fail(c, pp, SL_ERR_KEY, "path point without a body");
  int b = frame_body(c, fr);
  if (b < 0)
    return fail(c, pp, SL_ERR_MODEL, "path point on '%s': %s", fr,
                b == -1 ? "points fixed to ground cannot be represented" : "unknown body or frame");
  if (grow((void**)&c->pt, &c->cappt, c->npt, sizeof *c->pt)) return oom(c);
  OPt* p = &c->pt[c->npt];
  p->body = b;
  if (num_child(c, pp, "location", p->p, 3)) return -1;
  c->npt++;
  m->npt++;
  return 0;
}

static int is_contact(const xmlNode* k) {
  static const char* const n[] = {
      "SmoothSphereHalfSpaceForce", "HuntCrossleyForce", "ElasticFoundationForce", "ContactSphere",
      "ContactHalfSpace",           "ContactMesh",       "ContactEllipsoid",       NULL};
  for (int i = 0; n[i]; i++)
    if (is(k, n[i])) return 1;
  return 0;
}

static int read_forces(Conv* c, const xmlNode* model) {
  const xmlNode* objs = child(child(model, "ForceSet"), "objects");
  for (const xmlNode* k = first_elem(objs); k; k = next_elem(k)) {
    if (is_contact(k)) {
      if (!(c->omit & SL_OSIM_OMIT_CONTACT))
        return fail(c, k, SL_ERR_MODEL,
                    "contact force <%s>: spineload's contacts come from scenarios and positions, "
                    "not from the model (omit with --omit=contact)",
                    k->name);
      omitted(c, k, "contact force");
      continue;
    }
    const xmlNode* gp = child(k, "GeometryPath");
    size_t         ln = strlen((const char*)k->name);
    if (!gp || ln < 6 || strcmp((const char*)k->name + ln - 6, "Muscle"))
      return fail(c, k, SL_ERR_MODEL, "force <%s> cannot be represented (spineload reads muscles)",
                  k->name);
    if (child(k, "appliesForce") && !flag(child(k, "appliesForce"))) {
      omitted(c, k, "muscle that applies no force");
      continue;
    }
    if (grow((void**)&c->mus, &c->capmus, c->nmus, sizeof *c->mus)) return oom(c);
    OMus* m = &c->mus[c->nmus];
    memset(m, 0, sizeof *m);
    if (need_name(c, k, m->name)) return -1;
    for (int i = 0; i < c->nmus; i++)
      if (!strcmp(c->mus[i].name, m->name))
        return fail(c, k, SL_ERR_MODEL, "muscle '%s' is defined twice", m->name);
    m->line = (int)xmlGetLineNo(k);
    m->pt0 = c->npt;
    if (num_child(c, k, "max_isometric_force", &m->fmax, 1)) return -1;
    if (!(m->fmax > 0))
      return fail(c, child(k, "max_isometric_force"), SL_ERR_RANGE,
                  "muscle '%s': max_isometric_force must be positive", m->name);
    if (child(k, "optimal_fiber_length") && num_child(c, k, "optimal_fiber_length", &m->lopt, 1))
      return -1;
    if (child(k, "tendon_slack_length") && num_child(c, k, "tendon_slack_length", &m->lslack, 1))
      return -1;
    if (child(k, "pennation_angle_at_optimal") &&
        num_child(c, k, "pennation_angle_at_optimal", &m->penn, 1))
      return -1;
    const xmlNode* pts = child(child(gp, "PathPointSet"), "objects");
    for (const xmlNode* pp = first_elem(pts); pp; pp = next_elem(pp))
      if (read_point(c, pp, m)) return -1;
    if (m->npt < 2)
      return fail(c, gp, SL_ERR_MODEL, "muscle '%s' has %d path points (needs 2)", m->name, m->npt);
    const xmlNode* ws = child(child(gp, "PathWrapSet"), "objects");
    for (const xmlNode* w = first_elem(ws); w; w = next_elem(w)) {
      char wo[OS_NAME];
      text(child(w, "wrap_object"), wo, sizeof wo);
      size_t n = strlen(m->wraps);
      snprintf(m->wraps + n, sizeof m->wraps - n, "%s%s", n ? " " : "", wo);
      if (c->omit & SL_OSIM_OMIT_WRAPPING) {
        bput(&c->omitted, "- line %ld: muscle '%s' wraps over '%s' (its path is straight)\n",
             (long)xmlGetLineNo(w), m->name, wo);
        c->nomitted++;
        continue;
      }
      if (!is(w, "PathWrap"))
        return fail(c, w, SL_ERR_MODEL, "muscle '%s': <%s> in the PathWrapSet", m->name, w->name);
      if (!wo[0])
        return fail(c, w, SL_ERR_KEY, "muscle '%s': path wrap without a wrap_object", m->name);
      if (grow((void**)&c->pw, &c->cappw, c->npw, sizeof *c->pw)) return oom(c);
      OPathWrap* p = &c->pw[c->npw];
      memset(p, 0, sizeof *p);
      p->mus = c->nmus, p->line = (int)xmlGetLineNo(w), p->range[0] = p->range[1] = -1;
      snprintf(p->obj, sizeof p->obj, "%s", wo);
      snprintf(p->method, sizeof p->method, "hybrid");
      if (child(w, "method")) text(child(w, "method"), p->method, sizeof p->method);
      for (char* t = p->method; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_'))
          return fail(c, child(w, "method"), SL_ERR_MODEL, "muscle '%s': wrap method '%s'", m->name,
                      p->method);
      if (child(w, "range")) {
        double r[2];
        if (num_child(c, w, "range", r, 2)) return -1;
        for (int j = 0; j < 2; j++) {
          if (r[j] == -1) continue;
          if (r[j] != floor(r[j]) || r[j] < 1 || r[j] > m->npt)
            return fail(c, child(w, "range"), SL_ERR_RANGE,
                        "muscle '%s': path wrap range %g is not a path point (1..%d or -1)",
                        m->name, r[j], m->npt);
          p->range[j] = (int)r[j];
        }
      }
      int a = p->range[0] < 0 ? 1 : p->range[0], b = p->range[1] < 0 ? m->npt : p->range[1];
      if (a >= b)
        return fail(c, child(w, "range"), SL_ERR_RANGE,
                    "muscle '%s': path wrap range %d..%d holds no piece", m->name, a, b);
      p->range[0] = a, p->range[1] = b;
      c->npw++;
    }
    c->nmus++;
  }
  return 0;
}

static int read_markers(Conv* c, const xmlNode* model) {
  const xmlNode* objs = child(child(model, "MarkerSet"), "objects");
  for (const xmlNode* k = first_elem(objs); k; k = next_elem(k)) {
    if (!is(k, "Marker")) return fail(c, k, SL_ERR_MODEL, "<%s> in the MarkerSet", k->name);
    if (grow((void**)&c->mk, &c->capmk, c->nmk, sizeof *c->mk)) return oom(c);
    OMarker* mk = &c->mk[c->nmk];
    if (need_name(c, k, mk->name)) return -1;
    char fr[512];
    if (!text(child(k, "socket_parent_frame"), fr, sizeof fr) &&
        !text(child(k, "body"), fr, sizeof fr))
      return fail(c, k, SL_ERR_KEY, "marker without a body");
    mk->body = frame_body(c, fr);
    if (mk->body < 0) return fail(c, k, SL_ERR_MODEL, "marker on '%s': not a body", fr);
    if (num_child(c, k, "location", mk->p, 3)) return -1;
    c->nmk++;
  }
  return 0;
}

// the Model's other children: known and empty, or an error
static int check_rest(Conv* c, const xmlNode* model) {
  static const char* const plain[] = {
      "Ground",        "gravity",     "credits",           "publications",
      "length_units",  "force_units", "BodySet",           "JointSet",
      "ConstraintSet", "ForceSet",    "MarkerSet",         "defaults",
      "ControllerSet", "ProbeSet",    "ComponentSet",      "ContactGeometrySet",
      "components",    "validated",   "assembly_accuracy", NULL};
  for (const xmlNode* k = first_elem(model); k; k = next_elem(k)) {
    int known = 0;
    for (int i = 0; plain[i]; i++) known |= is(k, plain[i]);
    if (!known) return fail(c, k, SL_ERR_MODEL, "<%s> in the Model cannot be represented", k->name);
    if (is(k, "ControllerSet") || is(k, "ProbeSet") || is(k, "ComponentSet") ||
        is(k, "components")) {
      const xmlNode* o = is(k, "components") ? k : child(k, "objects");
      if (has_elems(o))
        return fail(c, first_elem(o), SL_ERR_MODEL, "<%s> in <%s> cannot be represented",
                    first_elem(o)->name, k->name);
    }
    if (is(k, "ContactGeometrySet")) {
      for (const xmlNode* g = first_elem(child(k, "objects")); g; g = next_elem(g)) {
        if (!(c->omit & SL_OSIM_OMIT_CONTACT))
          return fail(c, g, SL_ERR_MODEL,
                      "contact geometry <%s>: spineload's contacts come from scenarios and "
                      "positions (omit with --omit=contact)",
                      g->name);
        omitted(c, g, "contact geometry");
      }
    }
    if (is(k, "length_units") || is(k, "force_units")) {
      char u[64];
      text(k, u, sizeof u);
      if (u[0] && strcmp(u, is(k, "length_units") ? "meters" : "N"))
        return fail(c, k, SL_ERR_MODEL, "<%s>%s: spineload reads meters and newtons", k->name, u);
    }
  }
  const xmlNode* g = child(model, "Ground");
  if (g && wrap_sets(c, g, -1)) return -1;
  return 0;
}

// ---- conversion
// ------------------------------------------------------------------------------------

static int dominant(const double* d) {
  int k = 0;
  for (int i = 1; i < 3; i++)
    if (fabs(d[i]) > fabs(d[k])) k = i;
  return k;
}

// the joint of body b is a rotation-only joint with three rotations driven with slope 1, each by
// its own coordinate; the coordinates for flexion (z), lateral (x), twist (y) into co
static int three_rot(const Conv* c, int b, int co[3]) {
  const OBody* B = &c->body[b];
  co[0] = co[1] = co[2] = -1;
  int n = 0;
  for (int k = 0; k < B->nax; k++) {
    const OAxis* a = &B->ax[k];
    if (a->f.kind == SL_FUN_CONST && a->f.a == 0) continue;
    if (!a->rot || a->coord < 0 || a->f.kind != SL_FUN_LINEAR || a->f.b != 0) return 0;
    int d = dominant(a->dir), slot = d == 2 ? 0 : d == 0 ? 1 : 2;
    if (co[slot] >= 0) return 0;
    co[slot] = a->coord;
    n++;
  }
  return n == 3;
}

static int is_ancestor(const Conv* c, int anc, int b) {
  for (int k = c->body[b].parent, guard = 0; k >= 0 && guard <= c->nbody;
       k = c->body[k].parent, guard++)
    if (k == anc) return 1;
  return 0;
}

// a vertebra's name: C, T, L or S and a number
static int vertebra(const char* s, size_t n) {
  if (n < 2 || n > 3 || !strchr("CTLS", s[0])) return 0;
  for (size_t i = 1; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

// "L4_L5..." or "L1_T12..." -> "L4/L5", "T12/L1" (cranial first); 0 if s does not start so
static int vertebra_pair(const char* s, char* out, size_t cap) {
  size_t n1 = strcspn(s, "_");
  if (!s[n1] || !vertebra(s, n1)) return 0;
  const char* t = s + n1 + 1;
  size_t      n2 = strcspn(t, "_");
  if (!vertebra(t, n2)) return 0;
  static const char order[] = "CTLS";
  int swap = s[0] != t[0] ? strchr(order, s[0]) > strchr(order, t[0]) : atoi(s + 1) > atoi(t + 1);
  snprintf(out, cap, "%.*s/%.*s", (int)(swap ? n2 : n1), swap ? t : s, (int)(swap ? n1 : n2),
           swap ? s : t);
  return 1;
}

// level name: from its coordinates' names, else its joint's, else the joint name itself
static void level_name(const Conv* c, int l, char* out, size_t cap) {
  if (vertebra_pair(c->coord[c->lev_coord[l][0]].name, out, cap)) return;
  if (vertebra_pair(c->body[c->lev_body[l]].joint, out, cap)) return;
  snprintf(out, cap, "%.7s", c->body[c->lev_body[l]].joint);
}

static int find_lumbar(Conv* c) {
  // candidates: couplers between coordinates of two different three-rotation joints, the
  // dependent's joint above the independent's
  int base = -1, best = 0;
  for (int b = 0; b < c->nbody; b++) {
    int co[3];
    if (!three_rot(c, b, co)) continue;
    int count = 0;
    for (int p = 0; p < c->ncpl; p++) {
      int ci = find_coord(c, c->cpl[p].ind), cd = find_coord(c, c->cpl[p].dep);
      int bd = c->coord[cd].body, dco[3];
      if (c->coord[ci].body != b || bd == b || !three_rot(c, bd, dco) || !is_ancestor(c, b, bd))
        continue;
      count++;
    }
    if (count > best) best = count, base = b;
  }
  c->nlev = 0;
  if (base < 0) return 0;
  int co[3];
  three_rot(c, base, co);
  c->lev_body[0] = base;
  memcpy(c->lev_coord[0], co, sizeof co);
  for (int a = 0; a < 3; a++) c->rhythm[a][0] = 1.0;
  c->nlev = 1;
  // walk up: the child joint whose three coordinates are all coupled to the base's matching ones
  for (;;) {
    int top = c->lev_body[c->nlev - 1], next = -1;
    for (int b = 0; b < c->nbody && next < 0; b++) {
      int dco[3];
      if (c->body[b].parent != top || !three_rot(c, b, dco)) continue;
      int ok = 1;
      for (int a = 0; a < 3 && ok; a++) {
        int p = c->coord[dco[a]].dep;
        ok = p >= 0 && find_coord(c, c->cpl[p].ind) == co[a] && c->cpl[p].b == 0;
      }
      if (ok) next = b;
    }
    if (next < 0 || c->nlev == SL_NLEVEL + 3) break;
    int dco[3];
    three_rot(c, next, dco);
    c->lev_body[c->nlev] = next;
    memcpy(c->lev_coord[c->nlev], dco, sizeof dco);
    for (int a = 0; a < 3; a++) {
      OCoupler* p = &c->cpl[c->coord[dco[a]].dep];
      p->kind = 1;
      c->rhythm[a][c->nlev] = p->a;
    }
    c->nlev++;
  }
  for (int l = 0; l < c->nlev; l++) c->body[c->lev_body[l]].level = l;
  // a level coordinate driving its axis with slope s is rescaled to the joint angle itself
  // (slope 1): its range and default times s, and the rhythm is of joint angles
  double s0[3] = {1, 1, 1};
  for (int l = 0; l < c->nlev; l++)
    for (int a = 0; a < 3; a++) {
      OBody* B = &c->body[c->lev_body[l]];
      for (int k = 0; k < B->nax; k++)
        if (B->ax[k].coord == c->lev_coord[l][a]) {
          double s = B->ax[k].f.a;
          if (s == 0) return c->st = fail_line(c, B->ax[k].line, "axis slope 0"), -1;
          c->coord[c->lev_coord[l][a]].scale = s;
          if (l == 0) s0[a] = s;
          c->rhythm[a][l] *= s / s0[a];
          B->ax[k].f.a = 1;
        }
    }
  return 0;
}

// bodies moved only by coordinates coupled to the lowest lumbar level: the abdominal wall
static int find_virtual(Conv* c) {
  c->wall_inf = c->wall_sup = -1;
  if (c->nlev < 2) return 0;
  for (int b = 0; b < c->nbody; b++) {
    int n = 0, ok = c->body[b].level < 0;
    for (int i = 0; i < c->ncoord; i++) {
      if (c->coord[i].body != b) continue;
      n++;
      // coupled to the lowest level, or locked (at its default)
      int p = c->coord[i].dep, ci = p >= 0 ? find_coord(c, c->cpl[p].ind) : -1;
      ok &= (ci >= 0 && c->coord[ci].body == c->lev_body[0]) || (p < 0 && c->coord[i].locked);
    }
    if (!n || !ok) continue;
    for (int k = 0; k < c->nbody; k++)
      if (c->body[k].parent == b)
        return c->st = fail_line(c, c->body[b].line,
                                 "body '%s' is moved by the lumbar couplers "
                                 "and carries body '%s': cannot be represented",
                                 c->body[b].name, c->body[k].name),
               -1;
    c->body[b].virt = 1;
    for (int i = 0; i < c->ncoord; i++)
      if (c->coord[i].body == b) {
        c->coord[i].dropped = 1;
        if (c->coord[i].dep >= 0) c->cpl[c->coord[i].dep].kind = 2;
      }
    // the wall's ends: the body the virtual body's parent is welded to, and the top of the chain
    int inf = c->body[b].parent;
    while (inf >= 0 && !strcmp(c->body[inf].jtype, "WeldJoint") && c->body[inf].parent >= 0)
      inf = c->body[inf].parent;
    if (inf < 0)
      return c->st = fail_line(c, c->body[b].line, "virtual body '%s' on ground", c->body[b].name),
             -1;
    if (c->wall_inf >= 0 && c->wall_inf != inf)
      return c->st = fail_line(c, c->body[b].line, "a second virtual body on another segment"), -1;
    c->wall_inf = inf;
    c->wall_sup = c->lev_body[c->nlev - 1];
  }
  return 0;
}

// substitute the remaining couplers into the axes
static int substitute(Conv* c) {
  for (int p = 0; p < c->ncpl; p++) {
    OCoupler* k = &c->cpl[p];
    if (k->kind) continue;
    int ci = find_coord(c, k->ind), cd = find_coord(c, k->dep);
    if (c->coord[ci].dep >= 0)
      return c->st = fail_line(c, k->line,
                               "coupler of '%s' to '%s', itself coupled: cannot be "
                               "represented",
                               k->dep, k->ind),
             -1;
    for (int b = 0; b < c->nbody; b++)
      for (int j = 0; j < c->body[b].nax; j++) {
        OAxis* a = &c->body[b].ax[j];
        if (a->coord != cd) continue;
        a->coord = ci;
        if (a->f.kind == SL_FUN_LINEAR) {
          a->f.b += a->f.a * k->b;
          a->f.a *= k->a;
        } else if (a->f.kind == SL_FUN_SPLINE) {
          if (k->a == 0)
            return c->st = fail_line(c, k->line, "coupler of '%s' with slope 0", k->dep), -1;
          OFun g = a->f;
          for (int i = 0; i < g.n; i++) {
            int src = k->a > 0 ? i : g.n - 1 - i;
            a->f.x[i] = (g.x[src] - k->b) / k->a;
            a->f.y[i] = g.y[src];
          }
        }
      }
    c->coord[cd].dropped = 1;
  }
  return 0;
}

// a coordinate is a translation if it drives translations only (unless its motion_type said so)
static void motion_types(Conv* c) {
  for (int i = 0; i < c->ncoord; i++) {
    int nr = 0, nt = 0;
    for (int b = 0; b < c->nbody; b++)
      for (int k = 0; k < c->body[b].nax; k++)
        if (c->body[b].ax[k].coord == i) c->body[b].ax[k].rot ? nr++ : nt++;
    if (nt && !nr) c->coord[i].trans = 1;
  }
}

// default-pose body poses (coordinates at their defaults, couplers applied)
static double coord_value(const Conv* c, int i) {
  int p = c->coord[i].dep;
  if (p < 0) return c->coord[i].def;
  int ci = find_coord(c, c->cpl[p].ind);
  return c->cpl[p].a * coord_value(c, ci) + c->cpl[p].b;
}

static int pose(Conv* c, int b, int depth) {
  OBody* B = &c->body[b];
  if (B->done) return 0;
  if (depth > c->nbody)
    return c->st = fail_line(c, B->line, "the joints form a loop at body '%s'", B->name), -1;
  double Rp[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, op[3] = {0, 0, 0};
  if (B->parent >= 0) {
    if (pose(c, B->parent, depth + 1)) return -1;
    memcpy(Rp, c->body[B->parent].R, sizeof Rp);
    memcpy(op, c->body[B->parent].o, sizeof op);
  }
  double RF[9], RM[9], R[9], o[3], t[3] = {0, 0, 0}, Rq[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  euler_xyz(B->prot, RF);
  euler_xyz(B->crot, RM);
  for (int k = 0; k < B->nax; k++) {
    const OAxis* a = &B->ax[k];
    double       v = fun_eval(&a->f, a->coord >= 0 ? coord_value(c, a->coord) : 0);
    if (a->rot) {
      double A[9];
      axis_rot(a->dir, v, A);
      mat_mul(Rq, A, Rq);
    } else {
      double n = sqrt(a->dir[0] * a->dir[0] + a->dir[1] * a->dir[1] + a->dir[2] * a->dir[2]);
      for (int i = 0; i < 3; i++) t[i] += v * a->dir[i] / n;
    }
  }
  // X_child = X_parent X_pF X_FM X_cM^-1
  double Rg_F[9], Rg_M[9], pF[3], x[3];
  mat_mul(Rp, RF, Rg_F);
  mat_vec(Rp, B->ppos, pF);
  for (int i = 0; i < 3; i++) pF[i] += op[i];
  mat_vec(Rg_F, t, x);
  for (int i = 0; i < 3; i++) x[i] += pF[i];  // origin of M
  mat_mul(Rg_F, Rq, Rg_M);
  double RMt[9];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) RMt[3 * i + j] = RM[3 * j + i];
  mat_mul(Rg_M, RMt, R);
  mat_vec(R, B->cpos, o);
  for (int i = 0; i < 3; i++) o[i] = x[i] - o[i];
  memcpy(B->R, R, sizeof R);
  memcpy(B->o, o, sizeof o);
  B->done = 1;
  return 0;
}

// locked coordinates that are kept: an error, or omitted (imported free)
static int check_locks(Conv* c) {
  for (int i = 0; i < c->ncoord; i++) {
    const OCoord* k = &c->coord[i];
    if (!k->locked || k->dropped || c->body[k->body].virt) continue;
    if (!(c->omit & SL_OSIM_OMIT_LOCKS)) {
      char where[512];
      snprintf(where, sizeof where, "%s:%d", c->file, k->line);
      c->st = sl_fail(c->err, SL_ERR_MODEL, where,
                      "coordinate '%s' is locked: spineload has no locks (import it free with "
                      "--omit=locks)",
                      k->name);
      return -1;
    }
    bput(&c->omitted, "- line %d: coordinate '%s' locked: imported free, with its range\n", k->line,
         k->name);
    c->nomitted++;
  }
  return 0;
}

// ---- output
// ----------------------------------------------------------------------------------------

static void g(Buf* b, double x) {
  if (x == 0) x = 0;  // no "-0"
  bput(b, "%.15g", x);
}

static void vec(Buf* b, const double* v, int n, double scale) {
  bput(b, "[");
  for (int i = 0; i < n; i++) {
    if (i) bput(b, ", ");
    g(b, v[i] * scale);
  }
  bput(b, "]");
}

static int has_rot(const double* r) {
  return r[0] != 0 || r[1] != 0 || r[2] != 0;
}

// include a muscle under SL_OSIM_OMIT_LIMB_MUSCLES: a point above the base of the lumbar chain
static int trunk_muscle(const Conv* c, const OMus* m) {
  if (c->nlev == 0) return 1;
  int base = c->lev_body[0];
  for (int k = 0; k < m->npt; k++) {
    int b = c->pt[m->pt0 + k].body;
    if (b == base || is_ancestor(c, base, b) || c->body[b].virt) return 1;
  }
  return 0;
}

static void group_of(const char* name, char* out, size_t cap) {
  snprintf(out, cap, "%s", name);
  size_t n = strlen(out);
  if (n > 2 && out[n - 2] == '_' && (out[n - 1] == 'r' || out[n - 1] == 'l')) out[n -= 2] = '\0';
  char* us = strchr(out, '_');
  if (us && us != out) *us = '\0';
  n = strlen(out);
  while (n > 1 && out[n - 1] >= '0' && out[n - 1] <= '9') out[--n] = '\0';
}

static int emit(Conv* c, slOsimFiles* out, const char* src_name_in) {
  // the source file's name as the files print it: in comments with control characters shown as
  // '?', in the description as a double-quoted YAML string
  char src_name[512], src_q[1100];
  printable(src_name, sizeof src_name, src_name_in);
  size_t nq = (size_t)snprintf(src_q, sizeof src_q, "\"imported from ");
  for (size_t k = 0; src_name[k] && nq + 3 < sizeof src_q; k++) {
    if (src_name[k] == '"' || src_name[k] == '\\') src_q[nq++] = '\\';
    src_q[nq++] = src_name[k];
  }
  src_q[nq++] = '"';
  src_q[nq] = '\0';
  Buf y = {0}, mt = {0}, pt = {0}, og = {0};
  // free-root rotations: full circle
  int root = -1;
  for (int b = 0; b < c->nbody; b++)
    if (c->body[b].parent == -1) root = root < 0 ? b : root;
  int free_root = 0;
  if (root >= 0) {
    int nr = 0, nt = 0;
    for (int k = 0; k < c->body[root].nax; k++) {
      const OAxis* a = &c->body[root].ax[k];
      if (a->coord >= 0 && a->f.kind == SL_FUN_LINEAR) a->rot ? nr++ : nt++;
    }
    free_root = nr == 3 && nt == 3;
  }
  double total = 0;
  for (int b = 0; b < c->nbody; b++)
    if (!c->body[b].virt) total += c->body[b].mass;
  int head = find_body(c, "head");

  bput(&y, "# spineload model imported from the OpenSim model %s by `spineload model import`;\n",
       src_name);
  bput(&y, "# see ORIGIN.md next to this file (what was converted, what was omitted).\n");
  bput(&y, "# Units: lengths m, masses kg, angles deg, forces N.\n");
  bput(&y, "format: spineload-model/1\nname: %s\n", c->model_name);
  bput(&y, "description: %s\norigin: ORIGIN.md\n\n", src_q);
  if (head >= 0) {
    // stature: head CoM height + de Leva's (male) head CoM-to-vertex distance, 0.5002 x 0.2429 m
    double hc[3];
    mat_vec(c->body[head].R, c->body[head].com, hc);
    double h = c->body[head].o[1] + hc[1] + 0.5002 * 0.2429;
    bput(
        &y,
        "# stature: head CoM height at the default pose + de Leva's head CoM-to-vertex 0.1215 m\n");
    bput(&y, "reference_subject: {sex: male, mass_kg: ");
    g(&y, total);
    bput(&y, ", height_m: ");
    g(&y, h);
    bput(&y, "}\nsubject: {sex: male, mass_kg: ");
    g(&y, total);
    bput(&y, ", height_m: ");
    g(&y, h);
    bput(&y, ", scaling: none}\n");
  } else {
    bput(&y, "# no body named 'head': set reference_subject and subject (mass_kg ");
    g(&y, total);
    bput(&y, ", height_m) by hand\n");
  }
  bput(&y, "gravity_m_s2: ");
  g(&y, c->gravity);
  bput(&y, "\n\ncoordinates:\n");
  for (int i = 0; i < c->ncoord; i++) {
    const OCoord* k = &c->coord[i];
    if (k->dropped || c->body[k->body].virt) continue;
    double lo = k->range[0], hi = k->range[1];
    if (k->dep >= 0 && c->cpl[k->dep].kind == 1 && (lo < -9999 || hi > 9999)) {
      int    ci = find_coord(c, c->cpl[k->dep].ind);
      double a = c->cpl[k->dep].a * c->coord[ci].range[0],
             b = c->cpl[k->dep].a * c->coord[ci].range[1];
      lo = a < b ? a : b;
      hi = a < b ? b : a;
    }
    double def = k->def * k->scale;
    lo *= k->scale, hi *= k->scale;
    if (lo > hi) {
      double t = lo;
      lo = hi, hi = t;
    }
    if (free_root && k->body == root && !k->trans)
      lo = -3.14159265358979323846, hi = 3.14159265358979323846;
    if (k->trans) {
      bput(&y, "  - {name: %s, type: translation, range_m: [", k->name);
      g(&y, lo), bput(&y, ", "), g(&y, hi), bput(&y, "], default_m: "), g(&y, def);
    } else {
      bput(&y, "  - {name: %s, type: rotation, range_deg: [", k->name);
      g(&y, lo * RAD2DEG), bput(&y, ", "), g(&y, hi * RAD2DEG), bput(&y, "], default_deg: ");
      g(&y, def * RAD2DEG);
    }
    bput(&y, "}\n");
  }
  bput(&y, "\nsegments:\n");
  // parent before child: repeated passes in file order
  int* put = calloc((size_t)c->nbody + 1, sizeof *put);
  if (!put) {
    free(y.s);
    return oom(c);
  }
  for (int done = 0, pass = 0; done < c->nbody && pass <= c->nbody; pass++) {
    for (int b = 0; b < c->nbody; b++) {
      const OBody* B = &c->body[b];
      if (put[b] || (B->parent >= 0 && !put[B->parent])) continue;
      put[b] = 1;
      done++;
      if (B->virt) continue;
      bput(&y, "  - name: %s\n    parent: %s\n    mass_kg: ", B->name,
           B->parent < 0 ? "ground" : c->body[B->parent].name);
      g(&y, B->mass);
      bput(&y, "\n    com_m: ");
      vec(&y, B->com, 3, 1);
      bput(&y, "\n    inertia_kgm2: ");
      vec(&y, B->inertia, 6, 1);
      bput(&y, "  # Ixx Iyy Izz Ixy Ixz Iyz about the CoM\n    joint:\n      name: %s  # %s\n",
           B->joint, B->jtype);
      bput(&y, "      in_parent: {pos_m: ");
      vec(&y, B->ppos, 3, 1);
      if (has_rot(B->prot)) bput(&y, ", rot_deg: "), vec(&y, B->prot, 3, RAD2DEG);
      bput(&y, "}\n      in_child: {pos_m: ");
      vec(&y, B->cpos, 3, 1);
      if (has_rot(B->crot)) bput(&y, ", rot_deg: "), vec(&y, B->crot, 3, RAD2DEG);
      bput(&y, "}\n");
      int nax = 0;
      for (int k = 0; k < B->nax; k++) {
        const OAxis* a = &B->ax[k];
        if (a->f.kind == SL_FUN_CONST && a->f.a == 0) continue;  // does nothing
        if (!nax++) bput(&y, "      axes:\n");
        bput(&y, "        - {%s: ", a->rot ? "rotation" : "translation");
        vec(&y, a->dir, 3, 1);
        double s = a->rot ? RAD2DEG : 1;
        if (a->f.kind == SL_FUN_CONST) {
          bput(&y, ", %s: ", a->rot ? "value_deg" : "value_m");
          g(&y, a->f.a * s);
        } else if (a->f.kind == SL_FUN_LINEAR) {
          if (a->f.b != 0) {
            free(put), free(y.s), free(mt.s), free(pt.s), free(og.s);
            c->st = fail_line(c, a->line,
                              "axis of joint '%s' is a linear function of '%s' with an offset: "
                              "cannot be represented",
                              B->joint, c->coord[a->coord].name);
            return -1;
          }
          bput(&y, ", coord: %s", c->coord[a->coord].name);
          if (a->f.a != 1) bput(&y, ", slope: "), g(&y, a->f.a);
        } else {
          if (c->coord[a->coord].trans) {
            free(put), free(y.s), free(mt.s), free(pt.s), free(og.s);
            c->st = fail_line(c, a->line,
                              "spline of translation coordinate '%s': cannot be represented",
                              c->coord[a->coord].name);
            return -1;
          }
          bput(&y, ", spline: {coord: %s, x_deg: ", c->coord[a->coord].name);
          vec(&y, a->f.x, a->f.n, RAD2DEG);
          bput(&y, ", %s: ", a->rot ? "y_deg" : "y_m");
          vec(&y, a->f.y, a->f.n, s);
          bput(&y, "}");
        }
        bput(&y, "}\n");
      }
      if (!nax) bput(&y, "      axes: []  # weld\n");
    }
  }
  free(put);
  if (c->nlev) {
    bput(&y,
         "\n# lumbar levels, inferior to superior: the chain of three-rotation joints moved by "
         "the\n# coupler constraints; the couplers' slopes are the rhythm (relative to the "
         "lowest level)\nlumbar:\n  levels:\n");
    for (int l = 0; l < c->nlev; l++) {
      char ln[16];
      level_name(c, l, ln, sizeof ln);
      bput(&y, "    - {name: %s, segment: %s, flexion: %s, lateral: %s, twist: %s}\n", ln,
           c->body[c->lev_body[l]].name, c->coord[c->lev_coord[l][0]].name,
           c->coord[c->lev_coord[l][1]].name, c->coord[c->lev_coord[l][2]].name);
    }
    static const char* const ax[3] = {"flexion", "lateral", "twist"};
    bput(&y, "  rhythm:\n");
    for (int a = 0; a < 3; a++) {
      bput(&y, "    %s: ", ax[a]);
      vec(&y, c->rhythm[a], c->nlev, 1);
      bput(&y, "\n");
    }
  }
  if (c->wall_inf >= 0)
    bput(&y,
         "\n# the virtual abdomen's points are points of the abdominal wall; the wall needs its "
         "two\n# anchor landmarks (inferior_anchor, superior_anchor), which an OpenSim model "
         "does not have\nabdominal_wall: {inferior: %s, superior: %s}\n",
         c->body[c->wall_inf].name, c->body[c->wall_sup].name);
  int nm = 0;
  for (int i = 0; i < c->nmus; i++) {
    const OMus* m = &c->mus[i];
    if ((c->omit & SL_OSIM_OMIT_LIMB_MUSCLES) && !trunk_muscle(c, m)) continue;
    if (!nm++) {
      bput(&mt, "# muscles imported from %s (spineload model import); see ORIGIN.md\n", src_name);
      bput(&mt, "name,group,side,fmax_N,l_opt_m,l_slack_m,pennation_deg,wrap\n");
      bput(&pt, "# path points imported from %s, in the frame of the named segment [m]\n",
           src_name);
      bput(&pt, "muscle,index,segment,x_m,y_m,z_m\n");
    }
    char   gr[OS_NAME];
    size_t n = strlen(m->name);
    group_of(m->name, gr, sizeof gr);
    const char* side = n > 2 && m->name[n - 2] == '_' && m->name[n - 1] == 'r'   ? "right"
                       : n > 2 && m->name[n - 2] == '_' && m->name[n - 1] == 'l' ? "left"
                                                                                 : "midline";
    bput(&mt, "%s,%s,%s,", m->name, gr, side);
    g(&mt, m->fmax), bput(&mt, ","), g(&mt, m->lopt), bput(&mt, ","), g(&mt, m->lslack);
    bput(&mt, ","), g(&mt, m->penn * RAD2DEG), bput(&mt, ",%s\n", m->wraps);
    for (int k = 0; k < m->npt; k++) {
      const OPt*  p = &c->pt[m->pt0 + k];
      double      v[3];
      const char* seg = c->body[p->body].name;
      memcpy(v, p->p, sizeof v);
      if (c->body[p->body].virt) {
        // in the inferior wall segment's frame at the default pose
        OBody *vb = &c->body[p->body], *ib = &c->body[c->wall_inf];
        double w[3];
        mat_vec(vb->R, p->p, w);
        for (int j = 0; j < 3; j++) w[j] += vb->o[j] - ib->o[j];
        mat_tvec(ib->R, w, v);
        seg = "abdominal_wall";
      }
      bput(&pt, "%s,%d,%s,", m->name, k + 1, seg);
      g(&pt, v[0]), bput(&pt, ","), g(&pt, v[1]), bput(&pt, ","), g(&pt, v[2]), bput(&pt, "\n");
    }
  }
  if (nm) bput(&y, "\nmuscles:\n  table: muscles.csv\n  points: muscle_points.csv\n");
  // wrapping surfaces and the kept muscles' path wraps
  int npw = 0;
  for (int k = 0; k < c->npw; k++) {
    const OPathWrap* p = &c->pw[k];
    int              o = -1;
    for (int j = 0; j < c->nwr; j++)
      if (!strcmp(c->wr[j].name, p->obj)) o = j;
    if (o < 0) {
      free(y.s), free(mt.s), free(pt.s), free(og.s);
      c->st = fail_line(c, p->line, "muscle '%s' wraps over '%s', which is no wrap object",
                        c->mus[p->mus].name, p->obj);
      return -1;
    }
    if ((c->omit & SL_OSIM_OMIT_LIMB_MUSCLES) && !trunk_muscle(c, &c->mus[p->mus])) continue;
    if (c->body[c->wr[o].body].virt) {
      free(y.s), free(mt.s), free(pt.s), free(og.s);
      c->st = fail_line(c, p->line,
                        "muscle '%s' wraps over '%s', on body '%s', which becomes the abdominal "
                        "wall: a surface cannot ride on it",
                        c->mus[p->mus].name, p->obj, c->body[c->wr[o].body].name);
      return -1;
    }
    c->wr[o].used = 1;
    npw++;
  }
  if (c->nwr) {
    bput(&y,
         "\n# wrapping surfaces (OpenSim WrapObjects) on segments, and the muscles' path wraps "
         "over\n# them; any wrap method gives the shortest path (README \"OpenSim models\")\n"
         "wrapping:\n  on: true\n  objects:\n");
    static const char* const shp[3] = {"sphere", "cylinder", "ellipsoid"};
    for (int j = 0; j < c->nwr; j++) {
      const OWrap* w = &c->wr[j];
      if (c->body[w->body].virt) {
        bput(&c->omitted,
             "- line %d: wrap object '%s' on body '%s', which becomes the abdominal wall; no kept "
             "muscle wraps over it\n",
             w->line, w->name, c->body[w->body].name);
        c->nomitted++;
        continue;
      }
      bput(&y, "    - {name: %s, segment: %s, shape: %s, ", w->name, c->body[w->body].name,
           shp[w->shape]);
      if (w->shape == 2)
        bput(&y, "dimensions_m: "), vec(&y, w->dim, 3, 1);
      else
        bput(&y, "radius_m: "), g(&y, w->dim[0]);
      if (w->shape == 1) bput(&y, ", length_m: "), g(&y, w->len);
      bput(&y, ", pos_m: "), vec(&y, w->pos, 3, 1);
      if (has_rot(w->rot)) bput(&y, ", rot_deg: "), vec(&y, w->rot, 3, RAD2DEG);
      bput(&y, ", quadrant: \"%s\", active: %s}\n", w->quad, w->active ? "true" : "false");
    }
    bput(&y, "  paths:%s\n", npw ? "" : " []");
    for (int k = 0; k < c->npw; k++) {
      const OPathWrap* p = &c->pw[k];
      if ((c->omit & SL_OSIM_OMIT_LIMB_MUSCLES) && !trunk_muscle(c, &c->mus[p->mus])) continue;
      bput(&y, "    - {muscle: %s, object: %s, points: [%d, %d], method: %s}\n",
           c->mus[p->mus].name, p->obj, p->range[0], p->range[1], p->method);
    }
  }
  if (c->nmk) {
    bput(&y, "\n# the model's markers\nlandmarks:\n");
    for (int i = 0; i < c->nmk; i++) {
      bput(&y, "  - {name: %s, segment: %s, pos_m: ", c->mk[i].name, c->body[c->mk[i].body].name);
      vec(&y, c->mk[i].p, 3, 1);
      bput(&y, "}\n");
    }
  }
  bput(&y,
       "\n# Not in an OpenSim model, to be added for a model spineload can run (see models/"
       "lumbar_spine.yaml):\n# passive, disc, joint_strength, mass_fractions and mass_group, "
       "landmarks, iap, the\n# abdominal wall's anchors.\n");

  // the note of origin
  bput(&og, "# Origin of this model\n\nImported by `spineload model import` from `%s`", src_name);
  bput(&og, " (OpenSim model '%s').\n\n", c->model_name);
  if (c->credits[0]) bput(&og, "Credits in the file: %s\n\n", c->credits);
  if (c->pubs[0]) bput(&og, "Publications in the file: %s\n\n", c->pubs);
  bput(&og,
       "Imported: %d bodies (%d kept as segments), %d coordinates, %d coupler constraints, "
       "%d of %d muscles, %d markers.\n\n",
       c->nbody, c->nbody - (c->wall_inf >= 0), c->ncoord, c->ncpl, nm, c->nmus, c->nmk);
  bput(&og, "## Conversions\n\n");
  if (c->nlev) {
    bput(&og,
         "- Lumbar rhythm: %d levels; the couplers of the levels above `%s` to its coordinates "
         "are the rhythm, and their coordinates stay independent. Unbounded ranges of coupled "
         "coordinates are the lowest level's range times the slope.\n",
         c->nlev, c->body[c->lev_body[0]].joint);
  }
  for (int i = 0; i < c->ncoord; i++)
    if (c->coord[i].scale != 1)
      bput(&og,
           "- Coordinate `%s` (line %d) drove its lumbar axis with slope %.15g: it is written as "
           "the joint angle itself (slope 1), its range and default times %.15g.\n",
           c->coord[i].name, c->coord[i].line, c->coord[i].scale, c->coord[i].scale);
  for (int p = 0; p < c->ncpl; p++)
    if (c->cpl[p].kind == 0)
      bput(&og, "- Coupler (line %d) `%s` = %g `%s` + %g substituted into the axes it drives.\n",
           c->cpl[p].line, c->cpl[p].dep, c->cpl[p].a, c->cpl[p].ind, c->cpl[p].b);
  for (int b = 0; b < c->nbody; b++)
    if (c->body[b].virt)
      bput(&og,
           "- Body `%s` (line %d) is moved only by couplers to the lowest lumbar level: not "
           "kept; its path points are abdominal-wall points in the `%s` frame at the default "
           "pose. The wall needs two anchor landmarks, which the OpenSim file does not have.\n",
           c->body[b].name, c->body[b].line, c->body[c->wall_inf].name);
  if (free_root) bput(&og, "- The free root's rotations get the range [-180, 180] deg.\n");
  if (c->omit & SL_OSIM_OMIT_LIMB_MUSCLES)
    bput(&og, "- Muscles without a point above the lumbar chain's base were left out (%d).\n",
         c->nmus - nm);
  bput(&og, "- Clamped flags are not kept: spineload's ranges are always the allowed ranges.\n");
  bput(&og, "\n## Omitted (asked for with --omit)\n\n");
  if (c->nomitted && c->omitted.s)
    bput(&og, "%s", c->omitted.s);
  else
    bput(&og, "Nothing.\n");
  if (y.oom || mt.oom || pt.oom || og.oom || c->omitted.oom) {
    free(y.s), free(mt.s), free(pt.s), free(og.s);
    return oom(c);
  }
  out->model_yaml = y.s;
  out->muscles_csv = mt.s;
  out->points_csv = pt.s;
  out->origin_md = og.s;
  out->nsegment = c->nbody - (c->wall_inf >= 0);
  out->ncoord = 0;
  for (int i = 0; i < c->ncoord; i++)
    out->ncoord += !c->coord[i].dropped && !c->body[c->coord[i].body].virt;
  out->nmuscle = nm;
  out->nlevel = c->nlev;
  out->nomitted = c->nomitted;
  return 0;
}

static void conv_free(Conv* c) {
  free(c->body), free(c->coord), free(c->cpl), free(c->mus), free(c->pt), free(c->mk);
  free(c->wr), free(c->pw);
  free(c->omitted.s);
}

// ---- public
// -----------------------------------------------------------------------------------------

void sl_osim_files_free(slOsimFiles* f) {
  if (!f) return;
  free(f->model_yaml), free(f->muscles_csv), free(f->points_csv), free(f->origin_md);
  memset(f, 0, sizeof *f);
}

slStatus sl_osim_omit_parse(const char* list, unsigned* omit, slError* err) {
  static const char* const names[] = {"wrapping", "contact", "locks", "limb_muscles", NULL};
  static const unsigned bits[] = {SL_OSIM_OMIT_WRAPPING, SL_OSIM_OMIT_CONTACT, SL_OSIM_OMIT_LOCKS,
                                  SL_OSIM_OMIT_LIMB_MUSCLES};
  *omit = 0;
  const char* p = list ? list : "";
  while (*p) {
    size_t n = strcspn(p, ",");
    int    hit = 0;
    for (int i = 0; names[i]; i++)
      if (n == strlen(names[i]) && !strncmp(p, names[i], n)) *omit |= bits[i], hit = 1;
    if (!hit)
      return sl_fail(err, SL_ERR_ARG, NULL,
                     "--omit: unknown kind '%.*s' (wrapping, contact, locks, limb_muscles)", (int)n,
                     p);
    p += n;
    if (*p == ',') p++;
  }
  return SL_OK;
}

static void xml_quiet(void* ctx, const char* msg, ...) {
  (void)ctx;
  (void)msg;
}

// the first error libxml2 reports (its line and message)
typedef struct XmlFirst {
  int  line, seen;
  char msg[400];
} XmlFirst;

static void xml_first(void* ctx, xmlErrorPtr e) {
  XmlFirst* f = ctx;
  if (f->seen || !e || e->level < XML_ERR_ERROR) return;
  f->seen = 1;
  f->line = e->line;
  snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "syntax error");
  size_t k = strlen(f->msg);
  while (k && (f->msg[k - 1] == '\n' || f->msg[k - 1] == ' ')) f->msg[--k] = '\0';
}

slStatus sl_osim_convert(const char* buf, size_t len, const char* fname, unsigned omit,
                         slOsimFiles* out, slError* err) {
  memset(out, 0, sizeof *out);
  if (!fname) fname = "<input>";
  if (!buf || len > (size_t)1 << 30) return sl_fail(err, SL_ERR_ARG, fname, "no input");
  XmlFirst first = {0, 0, ""};
  xmlSetGenericErrorFunc(NULL, xml_quiet);
  xmlSetStructuredErrorFunc(&first, xml_first);
  xmlDocPtr doc = xmlReadMemory(buf, (int)len, fname, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (!doc || first.seen) {
    if (doc) xmlFreeDoc(doc);
    char where[512];
    snprintf(where, sizeof where, "%s:%d", fname, first.line);
    return sl_fail(err, SL_ERR_PARSE, where, "XML: %s", first.seen ? first.msg : "not an XML file");
  }
  Conv c;
  memset(&c, 0, sizeof c);
  c.file = fname;
  c.omit = omit;
  c.err = err;
  c.gravity = 9.80665;
  const xmlNode* root = xmlDocGetRootElement(doc);
  const xmlNode* model = is(root, "OpenSimDocument") ? child(root, "Model") : NULL;
  if (!model) {
    fail(&c, root, SL_ERR_PARSE, "not an OpenSim model (expected <OpenSimDocument><Model>)");
    goto done;
  }
  xmlChar* ver = xmlGetProp(root, (const xmlChar*)"Version");
  int      version = ver ? atoi((const char*)ver) : 0;
  if (ver) xmlFree(ver);
  int  v4 = version >= 40000 || child(model, "JointSet") != NULL;
  char nm[OS_NAME];
  attr_name(model, nm, sizeof nm);
  snprintf(c.model_name, sizeof c.model_name, "%s", nm[0] ? nm : "imported");
  for (char* p = c.model_name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '_' || *p == '-'))
      *p = '_';
  text(child(model, "credits"), c.credits, sizeof c.credits);
  text(child(model, "publications"), c.pubs, sizeof c.pubs);
  for (char* p = c.credits; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  for (char* p = c.pubs; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  if (child(model, "gravity")) {
    double gv[3];
    if (num_child(&c, model, "gravity", gv, 3)) goto done;
    if (gv[0] != 0 || gv[2] != 0 || !(gv[1] < 0) || gv[1] < -100) {
      fail(&c, child(model, "gravity"), SL_ERR_MODEL,
           "gravity must point along -y (spineload's vertical), magnitude below 100");
      goto done;
    }
    c.gravity = -gv[1];
  }
  if (check_rest(&c, model) || read_bodies(&c, model, v4) ||
      (v4 ? read_joints_v4(&c, model) : read_joints_v3(&c, model)) || read_constraints(&c, model) ||
      read_forces(&c, model) || read_markers(&c, model))
    goto done;
  motion_types(&c);
  for (int b = 0; b < c.nbody; b++)
    if (pose(&c, b, 0)) goto done;
  if (find_lumbar(&c) || find_virtual(&c) || substitute(&c) || check_locks(&c)) goto done;
  {
    const char* base = strrchr(fname, '/');
    emit(&c, out, base ? base + 1 : fname);
  }
done:
  conv_free(&c);
  xmlFreeDoc(doc);
  if (c.st != SL_OK) {
    sl_osim_files_free(out);
    return c.st;
  }
  return SL_OK;
}

static slStatus write_text(const char* dir, const char* name, const char* text, slError* err) {
  char path[2048];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "wb");
  if (!f) return sl_fail(err, SL_ERR_IO, path, "cannot create: %s", strerror(errno));
  size_t n = strlen(text);
  int    bad = fwrite(text, 1, n, f) != n;
  bad |= fclose(f) != 0;
  return bad ? sl_fail(err, SL_ERR_WRITE, path, "write failed") : SL_OK;
}

static void remove_tree(const char* dir) {
  static const char* const names[] = {"model.yaml", "muscles.csv", "muscle_points.csv", "ORIGIN.md",
                                      NULL};
  char                     path[2048];
  for (int i = 0; names[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    remove(path);
  }
  rmdir(dir);
}

// 1 if dir exists and holds an entry, 0 if it is absent or empty, -1 if it is not a directory
static int dir_state(const char* dir) {
  struct stat s;
  if (stat(dir, &s) != 0) return 0;
  if (!S_ISDIR(s.st_mode)) return -1;
  DIR* d = opendir(dir);
  if (!d) return -1;
  int            any = 0;
  struct dirent* e;
  while (!any && (e = readdir(d))) any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  return any ? 1 : 2;
}

slStatus sl_osim_import(const char* osim, const char* dir, unsigned omit, slOsimFiles* info,
                        slError* err) {
  if (!osim || !dir || !dir[0]) return sl_fail(err, SL_ERR_ARG, NULL, "sl_osim_import: no path");
  char d[1024];
  snprintf(d, sizeof d, "%s", dir);
  size_t dl = strlen(d);
  while (dl > 1 && d[dl - 1] == '/') d[--dl] = '\0';
  int state = dir_state(d);
  if (state == 1)
    return sl_fail(err, SL_ERR_ARG, d, "the output directory has files; choose a new or empty one");
  if (state < 0) return sl_fail(err, SL_ERR_ARG, d, "exists and is not a directory");
  char*    text = NULL;
  size_t   len = 0;
  slStatus st = sl_read_file(osim, &text, &len, err);
  if (st != SL_OK) return st;
  slOsimFiles f;
  st = sl_osim_convert(text, len, osim, omit, &f, err);
  sl_free_buf(text);
  if (st != SL_OK) return st;
  char tmp[1100];
  sl_tmp_name(d, tmp, sizeof tmp);
  remove_tree(tmp);
  if (mkdir(tmp, 0777) != 0) {
    st = sl_fail(err, SL_ERR_IO, tmp, "cannot create directory: %s", strerror(errno));
  } else {
    st = write_text(tmp, "model.yaml", f.model_yaml, err);
    if (st == SL_OK) st = write_text(tmp, "ORIGIN.md", f.origin_md, err);
    if (st == SL_OK && f.muscles_csv) st = write_text(tmp, "muscles.csv", f.muscles_csv, err);
    if (st == SL_OK && f.points_csv) st = write_text(tmp, "muscle_points.csv", f.points_csv, err);
    if (st == SL_OK && state == 2 && rmdir(d) != 0)
      st = sl_fail(err, SL_ERR_IO, d, "cannot replace the empty directory: %s", strerror(errno));
    if (st == SL_OK && rename(tmp, d) != 0)
      st = sl_fail(err, SL_ERR_IO, d, "cannot rename %s: %s", tmp, strerror(errno));
    if (st != SL_OK) remove_tree(tmp);
  }
  if (st == SL_OK && info) {
    *info = f;
  } else {
    sl_osim_files_free(&f);
  }
  return st;
}
