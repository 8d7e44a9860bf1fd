// draw.c: `spineload draw POSITION -o FILE.svg|.pdf|.png`: both partners as stick figures, at
// rest (solid) and at the two extremes of the thrust cycle (faint), the lumbar curve (the disc
// centres, L5/S1 to T12/L1) drawn with each disc coloured by its peak compression over the
// cycle, support and partner contact forces as arrows, the bed or floor in grey, and a caption
// with the loads.
//
// Views: the first is the first partner's sagittal view, looking along its own pelvis' left-right
// axis (slFigureRole.lateral), so that a body lying on its side is seen in profile as well as one
// standing or lying on its back. For an upright or supine body that axis is made horizontal, so
// the floor stays level, and the second view is from above; for a body on its side the sagittal
// view looks down along the axis, and the second view is horizontal, the bed below. Where the
// other partner's sagittal plane differs by more than 30 degrees it gets a third view of its own.
// All views share one scale (equal aspect ratio); they are placed in a row or in a column
// (aligned where they share the horizontal direction), whichever gives the larger picture. Text
// is measured by cairo (canvas_text_width) for the layout. The figure itself (poses, loads,
// contacts, metrics) comes from sl_figure_make; this file only lays it out and draws it.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "cli.h"

#define MARGIN     30.0            // around the content of a panel [px]
#define MAX_W      1060.0          // room for the panels [px]
#define MAX_H      600.0           // room for the panels [px]
#define MIN_PAGE_W 1000.0          // the caption needs about this much [px]
#define MAX_SCALE  450.0           // px per m, so that a small scene is not blown up
#define M_PER_N    (1.0 / 1500.0)  // arrow length per newton [m/N]
#define MIN_FORCE  5.0             // smaller contact forces are not drawn [N]
#define RAISED     0.20            // supports this far above the lowest are on a raised surface [m]
#define LIMIT_PAGE (4000.0 / 3400.0)  // colour bar range over the compression limit
#define MAXVIEW    3
#define DISC_LEN   11.0  // drawn length of a disc across the lumbar curve [px]

static const char* const ROLE_COLOUR[SL_FIGURE_MAXROLE] = {"#1f5fa8", "#b5651d"};
static const char* const SUPPORT_COLOUR = "#16837a";
static const char* const PARTNER_COLOUR = "#8e3fa8";
static const double      UP[3] = {0, 1, 0};

// a projection onto world directions u (across the page, to the right) and v (up the page)
typedef struct View {
  double u[3], v[3];
  int    level;   // 1: v is world up, the bed or floor is drawn
  double x0, y0;  // page position of the panel's top left corner
  double lo_a, lo_b, hi_a, hi_b;
  double scale;  // px per m
  double w, h;   // panel size [px]
  char   label[200];
} View;

static double dot(const double* a, const double* b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static void cross(const double* a, const double* b, double* o) {
  o[0] = a[1] * b[2] - a[2] * b[1], o[1] = a[2] * b[0] - a[0] * b[2],
  o[2] = a[0] * b[1] - a[1] * b[0];
}
// a without its component along unit n, normalised; 0 if nothing is left
static int perp(const double* a, const double* n, double* o) {
  double d = dot(a, n);
  for (int k = 0; k < 3; k++) o[k] = a[k] - d * n[k];
  double l = sqrt(dot(o, o));
  if (l < 1e-6) return 0;
  for (int k = 0; k < 3; k++) o[k] /= l;
  return 1;
}

static double px(const View* v, const double* w) {
  return v->x0 + MARGIN + (dot(w, v->u) - v->lo_a) * v->scale;
}
static double py(const View* v, const double* w) {
  return v->y0 + MARGIN + (v->hi_b - dot(w, v->v)) * v->scale;
}

static void grow(View* v, const double* w, double pad) {
  double a = dot(w, v->u), b = dot(w, v->v);
  v->lo_a = fmin(v->lo_a, a - pad), v->hi_a = fmax(v->hi_a, a + pad);
  v->lo_b = fmin(v->lo_b, b - pad), v->hi_b = fmax(v->hi_b, b + pad);
}

// the arrow of a contact: tail and tip (the contact point) in world; 0 if too small
static int contact_arrow(const slFigureContact* c, double* tail, double* tip) {
  const double* f = c->force;
  if (sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) < MIN_FORCE) return 0;
  for (int k = 0; k < 3; k++) tail[k] = c->point[k] - f[k] * M_PER_N, tip[k] = c->point[k];
  return 1;
}

// everything a role puts in view v: its poses and the arrows at rest
static void bounds(View* v, const slFigure* F, const slFigureRole* r) {
  for (int x = 0; x < F->npose; x++) {
    const slFigurePose* p = &r->pose[x];
    for (int k = 0; k < 2 * p->nbone; k++) grow(v, p->bone + 3 * k, 0.0);
    for (int g = 0; g < r->nseg; g++) grow(v, p->origin + 3 * g, 0.0);
    if (p->has_head) grow(v, p->head, F->head_r);
  }
  for (int k = 0; k < r->ncontact; k++) {
    double tail[3], tip[3];
    if (contact_arrow(&r->contact[k], tail, tip)) grow(v, tail, 0.0);
  }
}

// the sagittal view of role r (looking along its pelvis' lateral axis) and, for the first role,
// the second view; returns the number of views written (1 or 2)
static int views_of(const slFigureRole* r, int second, View* sag, View* other) {
  double L[3], S[3], lat[3];
  memcpy(lat, r->lateral, sizeof lat);
  double n = sqrt(dot(lat, lat));
  if (n < 1e-9) lat[0] = 0, lat[1] = 0, lat[2] = 1, n = 1;
  for (int k = 0; k < 3; k++) lat[k] /= n;
  memset(sag, 0, sizeof *sag);
  if (fabs(dot(lat, UP)) < 0.7) {
    // upright or on the back: the lateral axis made horizontal (L); up is up
    perp(lat, UP, L);  // |lat . UP| < 0.7: a horizontal part is left
    memcpy(sag->v, UP, sizeof UP);
    cross(L, UP, sag->u);
    if (sag->u[0] < -1e-6 || (fabs(sag->u[0]) <= 1e-6 && sag->u[2] < 0))
      for (int k = 0; k < 3; k++) sag->u[k] = -sag->u[k];
    sag->level = 1;
    snprintf(sag->label, sizeof sag->label,
             "sagittal view of %s (along its pelvis' left-right axis)", r->name);
    if (!second) return 1;
    memset(other, 0, sizeof *other);
    memcpy(other->u, sag->u, sizeof other->u);
    cross(UP, other->u, other->v);
    snprintf(other->label, sizeof other->label, "top view, from above");
    return 2;
  }
  // on a side: looking down along the lateral axis, the body's long axis across the page
  double t[3];  // towards the viewer (upwards)
  for (int k = 0; k < 3; k++) t[k] = dot(lat, UP) > 0 ? lat[k] : -lat[k];
  if (!perp(r->superior, t, S)) cross(t, (const double[3]){1, 0, 0}, S);
  if (S[0] < -1e-6 || (fabs(S[0]) <= 1e-6 && S[2] < 0))
    for (int k = 0; k < 3; k++) S[k] = -S[k];
  memcpy(sag->u, S, sizeof S);
  cross(t, S, sag->v);
  snprintf(sag->label, sizeof sag->label,
           "sagittal view of %s (along its pelvis' left-right axis, from above)", r->name);
  if (!second) return 1;
  memset(other, 0, sizeof *other);
  if (!perp(S, UP, other->u)) memcpy(other->u, (const double[3]){1, 0, 0}, sizeof other->u);
  memcpy(other->v, UP, sizeof UP);
  other->level = 1;
  snprintf(other->label, sizeof other->label, "horizontal view, the bed below");
  return 2;
}

static void figure(Canvas* s, const View* v, const slFigurePose* p, double head_r,
                   const char* colour, double width, double opacity) {
  // the bones as one path (one element of an SVG; with opacity, overlaps are not darker)
  double* xy = malloc(sizeof(double) * 4 * (size_t)(p->nbone + 1));
  if (xy) {
    for (int k = 0; k < p->nbone; k++) {
      const double *a = p->bone + 6 * k, *b = a + 3;
      xy[4 * k] = px(v, a), xy[4 * k + 1] = py(v, a), xy[4 * k + 2] = px(v, b),
             xy[4 * k + 3] = py(v, b);
    }
    canvas_segments(s, xy, p->nbone, colour, width, opacity);
    free(xy);
  } else {
    for (int k = 0; k < p->nbone; k++) {
      const double *a = p->bone + 6 * k, *b = a + 3;
      canvas_line(s, px(v, a), py(v, a), px(v, b), py(v, b), colour, width, opacity);
    }
  }
  if (p->has_head)
    canvas_ring(s, px(v, p->head), py(v, p->head), head_r * v->scale, colour, width, opacity);
}

// the lumbar curve at rest: a dark line through the disc centres, each disc a short bar across
// it (a circle where the view looks along the spine) in the colour of its peak compression
static void lumbar(Canvas* s, const View* v, const slFigureRole* r) {
  double xy[2 * SL_NLEVEL];
  for (int l = 0; l < SL_NLEVEL; l++) {
    xy[2 * l] = px(v, r->pose[0].disc[l]);
    xy[2 * l + 1] = py(v, r->pose[0].disc[l]);
  }
  canvas_polyline(s, xy, SL_NLEVEL, "#222222", 3.5, 1.0);
  for (int l = 0; l < SL_NLEVEL; l++) {
    char col[8];
    canvas_load_colour(r->disc_peak[l], SL_LIMIT_COMPRESSION, col);
    int    a = l > 0 ? l - 1 : l, b = l < SL_NLEVEL - 1 ? l + 1 : l;
    double tx = xy[2 * b] - xy[2 * a], ty = xy[2 * b + 1] - xy[2 * a + 1], tl = hypot(tx, ty);
    double x = xy[2 * l], y = xy[2 * l + 1];
    if (tl < 3.0) {
      canvas_circle(s, x, y, 4.5, col, "#222222");
      continue;
    }
    double nx = -ty / tl * 0.5 * DISC_LEN, ny = tx / tl * 0.5 * DISC_LEN;
    canvas_line(s, x - nx, y - ny, x + nx, y + ny, "#222222", 5.0, 1.0);
    canvas_line(s, x - nx, y - ny, x + nx, y + ny, col, 3.4, 1.0);
  }
}

#define INSET_W        200.0  // a lumbar inset [px]
#define INSET_H        230.0  // at least; up to INSET_MAXH where the views are taller
#define INSET_MAXH     340.0
#define INSET_MAXSCALE 2500.0  // px per m

// disc l of pose x moved so that its L5/S1 sits where the rest pose's does (the inset compares
// the curve's shape over the cycle, not where the body moves)
static void aligned_disc(const slFigureRole* r, int x, int l, double* d) {
  for (int k = 0; k < 3; k++)
    d[k] = r->pose[x].disc[l][k] - r->pose[x].disc[0][k] + r->pose[0].disc[0][k];
}

// the lumbar inset of role r: its own sagittal plane (along its pelvis' lateral axis), the chord
// from L5/S1 to T12/L1 up the page and the anterior side to the right, so the curve's shape
// (lordosis, flexion) reads the same for every posture; 0 if the axes are degenerate
static int inset_view(const slFigure* F, const slFigureRole* r, View* v) {
  double lat[3], c[3], ant[3];
  memcpy(lat, r->lateral, sizeof lat);
  double n = sqrt(dot(lat, lat));
  if (n < 1e-9) return 0;
  for (int k = 0; k < 3; k++) lat[k] /= n;
  memset(v, 0, sizeof *v);
  for (int k = 0; k < 3; k++) c[k] = r->pose[0].disc[SL_NLEVEL - 1][k] - r->pose[0].disc[0][k];
  if (!perp(c, lat, v->v) && !perp(r->superior, lat, v->v)) return 0;
  cross(v->v, lat, v->u);  // seen from the right (the viewer on +lat)
  cross(r->superior, lat, ant);
  int left = dot(v->u, ant) < 0;
  if (left)  // anterior to the right: seen from the left
    for (int k = 0; k < 3; k++) v->u[k] = -v->u[k];
  v->lo_a = v->lo_b = INFINITY, v->hi_a = v->hi_b = -INFINITY;
  for (int x = 0; x < F->npose; x++)
    for (int l = 0; l < SL_NLEVEL; l++) {
      double d[3];
      aligned_disc(r, x, l, d);
      grow(v, d, 0.012);
    }
  snprintf(v->label, sizeof v->label, "lumbar curve of %s", r->name);
  v->level = left;  // (reused: 1 seen from the left)
  return 1;
}

// an inset in its box (x0, y0: the box's corner): the extremes' curves faint (L5/S1 aligned),
// the curve at rest with its discs, the end levels named, a 5 cm bar
static void inset(Canvas* s, const View* v, const slFigure* F, const slFigureRole* r, int k,
                  double main_scale, double ih) {
  double bx = v->x0, by = v->y0 - 16;  // the box (the content starts under the label)
  canvas_rect(s, bx + 4, by + 4, INSET_W - 8, ih - 8, "none", "#e4e4e4");
  canvas_rect(s, bx + 12, by + 13, 10, 4, ROLE_COLOUR[k], NULL);
  canvas_text(s, bx + 26, by + 18, 11, "start", "#555555", v->label);
  char line[120];
  snprintf(line, sizeof line, "seen from its %s, front to the right, x%.0f",
           v->level ? "left" : "right", v->scale / main_scale);
  canvas_text(s, bx + 12, by + 31, 9, "start", "#555555", line);
  for (int x = 1; x < F->npose; x++) {
    double xy[2 * SL_NLEVEL];
    for (int l = 0; l < SL_NLEVEL; l++) {
      double d[3];
      aligned_disc(r, x, l, d);
      xy[2 * l] = px(v, d), xy[2 * l + 1] = py(v, d);
    }
    canvas_polyline(s, xy, SL_NLEVEL, ROLE_COLOUR[k], 2.0, 0.45);
  }
  lumbar(s, v, r);
  static const char* const end[2] = {"L5/S1", "T12/L1"};
  for (int e = 0; e < 2; e++) {
    const double* d = r->pose[0].disc[e ? SL_NLEVEL - 1 : 0];
    canvas_text(s, px(v, d) - 12, py(v, d) + 3, 9, "end", "#444444", end[e]);
  }
  double y = by + ih - 14, x = bx + 14;
  canvas_line(s, x, y, x + 0.05 * v->scale, y, "#222222", 1.5, 1.0);
  canvas_text(s, x + 0.05 * v->scale + 4, y + 3, 9, "start", "#222222", "5 cm");
}

static double dist3(const double* a, const double* b) {
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
              (a[2] - b[2]) * (a[2] - b[2]));
}

static void arrows(Canvas* s, const View* v, const slFigureRole* r) {
  for (int k = 0; k < r->ncontact; k++) {
    double tail[3], tip[3];
    int    kind = r->contact[k].kind;
    if (!contact_arrow(&r->contact[k], tail, tip)) continue;
    double x0 = px(v, tail), y0 = py(v, tail), x1 = px(v, tip), y1 = py(v, tip);
    // forces mostly along the line of sight are left out
    if (hypot(x1 - x0, y1 - y0) < 0.3 * v->scale * dist3(tail, tip)) continue;
    canvas_arrow(s, x0, y0, x1, y1, kind == SL_FIGURE_SUPPORT ? SUPPORT_COLOUR : PARTNER_COLOUR,
                 1.4);
  }
}

// the floor or bed (a level view): a line at the lowest support and, under supports well above
// it (an edge of the bed, a raised bed), a light block down to that line
static void surfaces(Canvas* s, const View* v, const slFigure* F) {
  enum { MAXPTS = 128 };  // supports grouped into blocks (a position has a handful)
  const double* pts = F->support;
  int           np = F->nsupport < MAXPTS ? F->nsupport : MAXPTS;
  double        fa[3] = {0, F->floor_y, 0};
  double        ya = py(v, fa), xl = v->x0 + MARGIN * 0.5, xr = v->x0 + v->w - MARGIN * 0.5;
  // raised supports, grouped by height: one block per group spanning its supports
  int used[MAXPTS] = {0};
  for (int i = 0; i < np; i++) {
    const double* pi = pts + 3 * i;
    if (used[i] || pi[1] < F->floor_y + RAISED) continue;
    double lo = dot(pi, v->u), hi = lo, top = pi[1];
    int    n = 0;
    for (int j = i; j < np; j++) {
      const double* pj = pts + 3 * j;
      if (used[j] || fabs(pj[1] - pi[1]) > 0.12) continue;
      used[j] = 1;
      n++;
      lo = fmin(lo, dot(pj, v->u)), hi = fmax(hi, dot(pj, v->u)), top = fmin(top, pj[1]);
    }
    if (n < 2)
      continue;  // a support alone at its height floats: no surface is invented under it
                 // (rank reports it: sl_rank_checks)
    double x0 = v->x0 + MARGIN + (lo - 0.08 - v->lo_a) * v->scale;
    double x1 = v->x0 + MARGIN + (hi + 0.08 - v->lo_a) * v->scale;
    double yt = v->y0 + MARGIN + (v->hi_b - top) * v->scale;
    canvas_rect(s, x0, yt, x1 - x0, ya - yt, "#ececec", NULL);
    canvas_line(s, x0, yt, x1, yt, "#999999", 3, 1.0);
  }
  canvas_line(s, xl, ya, xr, ya, "#999999", 3, 1.0);
}

#define BAR_W 240.0  // the colour bar [px]

static const char* const BAR_TITLE = "peak disc compression [N], NIOSH limit 3400";

static void legend_bar(Canvas* s, double x, double y) {
  const double w = BAR_W, lim = w / LIMIT_PAGE;
  canvas_text(s, x, y - 6, 11, "start", "#222222", BAR_TITLE);
  for (int k = 0; k < 40; k++) {
    char   col[8];
    double val = (k + 0.5) / 40.0 * SL_LIMIT_COMPRESSION * LIMIT_PAGE;
    canvas_load_colour(val, SL_LIMIT_COMPRESSION, col);
    canvas_rect(s, x + k * w / 40.0, y, w / 40.0 + 0.3, 10, col, NULL);
  }
  canvas_text(s, x, y + 22, 10, "middle", "#222222", "0");
  canvas_text(s, x + 0.5 * lim, y + 22, 10, "middle", "#222222", "1700");
  canvas_text(s, x + lim, y + 22, 10, "middle", "#222222", "3400");
  canvas_line(s, x + lim, y - 2, x + lim, y + 12, "#222222", 1, 1);
}

// a cut at byte i of s moved back to the start of a UTF-8 character
static int utf8_back(const char* s, int i) {
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

// the description in up to three lines of 11 px text that fit the width (measured), broken at
// spaces; returns the number of lines (s NULL: only counts them)
static int description(Canvas* s, const char* d, double y, double width) {
  int  nl = 0;
  char line[1100];
  while (*d == ' ') d++;
  for (; nl < 3 && *d; nl++) {
    int len = (int)strlen(d), cut = len > 1000 ? 1000 : len;
    // the longest prefix ending at a space (or the text's end) that fits
    for (;;) {
      snprintf(line, sizeof line, "%.*s%s", cut, d, nl == 2 && cut < len ? " ..." : "");
      if (canvas_text_width(11, line) <= width) break;
      int c = cut - 1;
      while (c > 0 && d[c] != ' ') c--;
      if (c <= 0) {  // one long word: cut inside it
        c = cut;
        while (c > 1 && canvas_text_width(11, line) > width) {
          c = utf8_back(d, c - 1);
          snprintf(line, sizeof line, "%.*s", c, d);
        }
        cut = c;
        break;
      }
      cut = c;
    }
    if (s) canvas_text(s, 20, y + 14 * nl, 11, "start", "#444444", line);
    d += cut;
    while (*d == ' ') d++;
  }
  return nl;
}

int cli_cmd_draw(int argc, char** argv, const CliOpts* o) {
  (void)argc, (void)argv;
  if (o->npos != 1) return cli_usage_error("draw needs one position file");
  if (!o->out) return cli_usage_error("draw needs -o FILE.svg, FILE.pdf or FILE.png");
  if (canvas_format_of(o->out) < 0)
    return cli_usage_error("draw: %s: the output must end in .svg, .pdf or .png", o->out);
  slError   e;
  slFigure* F = NULL;
  int       rc = EXIT_OK;
  if (sl_figure_make(&F, o->pos[0], o->set, o->nset, &e) != SL_OK) return cli_error(&e);
  if (cli_draw_figure(F, o->out, &e) != 0)
    rc = cli_error(&e);
  else if (!o->quiet)
    cli_msg("spineload: wrote %s\n", o->out);
  sl_figure_free(F);
  return rc;
}

// the caption line of role k
static void role_line(const slFigureRole* r, char* line, size_t n) {
  snprintf(line, n,
           "%s (%s, %.0f kg, %.2f m): peak compression L4/L5 %.0f N, L5/S1 %.0f N; load index "
           "%.2f; lumbar flexion %.0f%%, extension %.0f%% of ROM%s",
           r->name, r->sex == SL_FEMALE ? "female" : "male", r->body_mass, r->height,
           r->peak_comp[1], r->peak_comp[0], r->load_index, r->flex_rom, r->ext_rom,
           r->flagged ? "; FLAGGED: needs reserves or beyond joint strength" : "");
}

static void cycle_line(const slFigure* F, char* line, size_t n) {
  if (F->samples > 1)
    snprintf(line, n,
             "solid: at rest; faint: the two extremes of the %.2f Hz thrust cycle; the lumbar "
             "curve (black) with its discs (L5/S1 to T12/L1) coloured by peak compression over "
             "the cycle",
             F->frequency);
  else
    snprintf(line, n,
             "static posture; the lumbar curve (black) with its discs (L5/S1 to T12/L1) coloured "
             "by compression");
}

static int same_dir(const double* a, const double* b) {
  return dot(a, b) > 0.9999;
}

// lay out and draw F into the file out or (svg not NULL) an SVG in memory with ids prefixed id
static int render(const slFigure* F, const char* out, char** svg, const char* id, slError* e) {
  View v[MAXVIEW];
  int  nv = views_of(&F->role[0], 1, &v[0], &v[1]);
  if (F->nrole > 1) {
    double a[3], b[3];
    memcpy(a, F->role[0].lateral, sizeof a), memcpy(b, F->role[1].lateral, sizeof b);
    double na = sqrt(dot(a, a)), nb = sqrt(dot(b, b));
    if (na > 0 && nb > 0 && fabs(dot(a, b)) / (na * nb) < cos(30.0 * 3.14159265358979 / 180.0))
      nv += views_of(&F->role[1], 0, &v[nv], NULL);
  }
  for (int k = 0; k < nv; k++) {
    v[k].lo_a = v[k].lo_b = INFINITY, v[k].hi_a = v[k].hi_b = -INFINITY;
    for (int r = 0; r < F->nrole; r++) bounds(&v[k], F, &F->role[r]);
    if (v[k].level) {  // room for the floor line
      double fl[3] = {0, F->floor_y, 0};
      grow(&v[k], fl, 0.0);
    }
  }
  // in a row or in a column, whichever is larger; in a column the views that share the
  // horizontal direction share its range
  double sum_w = 0, sum_h = 0, max_w = 0, max_h = 0, wu = 0;
  double lo_u = INFINITY, hi_u = -INFINITY;
  for (int k = 0; k < nv; k++) {
    double w = v[k].hi_a - v[k].lo_a, h = v[k].hi_b - v[k].lo_b;
    sum_w += w, sum_h += h, max_w = fmax(max_w, w), max_h = fmax(max_h, h);
    if (same_dir(v[k].u, v[0].u)) lo_u = fmin(lo_u, v[k].lo_a), hi_u = fmax(hi_u, v[k].hi_a);
  }
  wu = fmax(max_w, hi_u - lo_u);
  double sc_row = fmin((MAX_W - 2 * nv * MARGIN) / sum_w, (MAX_H - 2 * MARGIN) / max_h);
  double sc_col = fmin((MAX_W - 2 * MARGIN) / wu, (MAX_H - 2 * nv * MARGIN) / sum_h);
  int    stacked = sc_col > sc_row;
  double sc = fmin(MAX_SCALE, stacked ? sc_col : sc_row);
  double panels_w = 0, panels_h = 0;
  for (int k = 0; k < nv; k++) {
    v[k].scale = sc;
    if (stacked && same_dir(v[k].u, v[0].u)) v[k].lo_a = lo_u, v[k].hi_a = hi_u;
    v[k].w = (v[k].hi_a - v[k].lo_a) * sc + 2 * MARGIN;
    v[k].h = (v[k].hi_b - v[k].lo_b) * sc + 2 * MARGIN;
    // a panel at least as wide as its label
    double need = canvas_text_width(11, v[k].label) + 24;
    if (v[k].w < need) {
      double pad = 0.5 * (need - v[k].w) / sc;
      v[k].lo_a -= pad, v[k].hi_a += pad, v[k].w = need;
    }
  }
  if (stacked) {  // the aligned ones keep one width
    double wmax = 0;
    for (int k = 0; k < nv; k++)
      if (same_dir(v[k].u, v[0].u)) wmax = fmax(wmax, v[k].w);
    for (int k = 0; k < nv; k++)
      if (same_dir(v[k].u, v[0].u) && v[k].w < wmax) {
        double pad = 0.5 * (wmax - v[k].w) / sc;
        v[k].lo_a -= pad, v[k].hi_a += pad, v[k].w = wmax;
      }
  }
  for (int k = 0; k < nv; k++)
    if (stacked)
      panels_w = fmax(panels_w, v[k].w), panels_h += v[k].h;
    else
      panels_w += v[k].w, panels_h = fmax(panels_h, v[k].h);
  // the lumbar insets, one per role, in a column right of the views
  View ins[SL_FIGURE_MAXROLE];
  int  nins = 0, has[SL_FIGURE_MAXROLE] = {0};
  for (int r = 0; r < F->nrole; r++) nins += has[r] = inset_view(F, &F->role[r], &ins[r]);
  double ih = nins ? fmax(INSET_H, fmin(INSET_MAXH, panels_h / nins)) : 0;
  for (int r = 0; r < F->nrole; r++) {
    if (!has[r]) continue;
    View*  q = &ins[r];
    double cw = INSET_W - 2 * MARGIN, ch = ih - 2 * MARGIN - 16;
    q->scale = fmin(INSET_MAXSCALE, fmin(cw / (q->hi_a - q->lo_a), ch / (q->hi_b - q->lo_b)));
    double pa = 0.5 * (cw / q->scale - (q->hi_a - q->lo_a));
    double pb = 0.5 * (ch / q->scale - (q->hi_b - q->lo_b));
    q->lo_a -= pa, q->hi_a += pa, q->lo_b -= pb, q->hi_b += pb;
  }
  panels_h = fmax(panels_h, nins * ih);
  double block_w = panels_w + (nins ? 10 + INSET_W : 0);
  // the caption lines, measured: the page is as wide as the widest
  char lines[SL_FIGURE_MAXROLE + 1][800];
  for (int k = 0; k < F->nrole; k++) role_line(&F->role[k], lines[k], sizeof lines[k]);
  cycle_line(F, lines[F->nrole], sizeof lines[F->nrole]);
  double page_w = fmax(MIN_PAGE_W, block_w + 20);
  for (int k = 0; k < F->nrole; k++)
    page_w = fmax(page_w, 40 + 20 + canvas_text_width(11, lines[k]));
  page_w = fmax(page_w, 40 + canvas_text_width(10, lines[F->nrole]));
  // the scales (left) and the colour bar (right) side by side
  double      ax = 40 + 0.5 * sc, alen = 500.0 * M_PER_N * sc;
  const char* t1 = "500 N from the bed or floor";
  const char* t2 = "500 N from the partner (force on each body, at rest)";
  double      left_end =
      ax + alen + 6 +
      fmax(canvas_text_width(10, t1), F->npartner > 0 ? canvas_text_width(10, t2) : 0);
  double bar_w = fmax(BAR_W + 20, canvas_text_width(11, BAR_TITLE));
  page_w = fmax(page_w, left_end + 40 + bar_w + 20 + 20);
  double head_h = 40 + 14 * description(NULL, F->description, 0, page_w - 40) + 6;
  double foot_h = 40 + 18 * F->nrole + 22;
  double bx = 0.5 * (page_w - block_w), x = bx, y = head_h;
  for (int k = 0, at = 0; k < F->nrole; k++)
    if (has[k]) {
      ins[k].x0 = bx + panels_w + 10;
      ins[k].y0 = head_h + 0.5 * (panels_h - nins * ih) + ih * at++ + 16;
    }
  for (int k = 0; k < nv; k++) {
    if (stacked) {
      v[k].x0 = bx + 0.5 * (panels_w - v[k].w), v[k].y0 = y;
      y += v[k].h;
    } else {
      v[k].x0 = x, v[k].y0 = head_h + 0.5 * (panels_h - v[k].h);
      x += v[k].w;
    }
  }
  Canvas s;
  int    op = svg ? canvas_open_svg_memory(&s, page_w, head_h + panels_h + foot_h)
                  : canvas_open(&s, out, page_w, head_h + panels_h + foot_h);
  if (op != 0) return *e = s.err, -1;
  canvas_set_title(&s, F->title);
  canvas_text(&s, 20, 28, 20, "start", "#111111", F->title);
  description(&s, F->description, 46, page_w - 40);
  for (int k = 0; k < nv; k++) {
    canvas_rect(&s, v[k].x0 + 4, v[k].y0 + 4, v[k].w - 8, v[k].h - 8, "none", "#e4e4e4");
    canvas_text(&s, v[k].x0 + 12, v[k].y0 + 18, 11, "start", "#555555", v[k].label);
  }
  for (int k = 0; k < nv; k++) {
    if (v[k].level) surfaces(&s, &v[k], F);
    for (int r = 0; r < F->nrole; r++) {
      const slFigureRole* ro = &F->role[r];
      // the extremes faint, then the rest pose solid over them
      for (int p = 1; p < F->npose; p++)
        figure(&s, &v[k], &ro->pose[p], F->head_r, ROLE_COLOUR[r], 1.5, 0.3);
      figure(&s, &v[k], &ro->pose[0], F->head_r, ROLE_COLOUR[r], 3.0, 1.0);
    }
    for (int r = 0; r < F->nrole; r++) arrows(&s, &v[k], &F->role[r]);
    for (int r = 0; r < F->nrole; r++) lumbar(&s, &v[k], &F->role[r]);
  }
  for (int r = 0; r < F->nrole; r++)
    if (has[r]) inset(&s, &ins[r], F, &F->role[r], r, sc, ih);
  // scale bar, arrow scale, colour bar
  double yb = head_h + panels_h + 16;
  canvas_line(&s, 20, yb, 20 + 0.5 * sc, yb, "#222222", 2, 1.0);
  canvas_line(&s, 20, yb - 4, 20, yb + 4, "#222222", 1.5, 1.0);
  canvas_line(&s, 20 + 0.5 * sc, yb - 4, 20 + 0.5 * sc, yb + 4, "#222222", 1.5, 1.0);
  canvas_text(&s, 20 + 0.25 * sc, yb + 14, 10, "middle", "#222222", "0.5 m");
  canvas_arrow(&s, ax, yb - 4, ax + alen, yb - 4, SUPPORT_COLOUR, 1.4);
  canvas_text(&s, ax + alen + 6, yb, 10, "start", "#222222", t1);
  if (F->npartner > 0) {
    canvas_arrow(&s, ax, yb + 10, ax + alen, yb + 10, PARTNER_COLOUR, 1.4);
    canvas_text(&s, ax + alen + 6, yb + 14, 10, "start", "#222222", t2);
  }
  legend_bar(&s, page_w - bar_w - 20, yb);
  for (int k = 0; k < F->nrole; k++) {
    const slFigureRole* r = &F->role[k];
    canvas_rect(&s, 20, yb + 34 + 18 * k, 14, 4, ROLE_COLOUR[k], NULL);
    canvas_text(&s, 40, yb + 40 + 18 * k, 11, "start", r->flagged ? "#b00000" : "#222222",
                lines[k]);
  }
  canvas_text(&s, 20, yb + 44 + 18 * F->nrole, 10, "start", "#555555", lines[F->nrole]);
  if (canvas_close(&s) != 0) return *e = s.err, -1;
  if (svg) {
    *svg = canvas_take(&s, id);
    if (!*svg) return sl_fail(e, SL_ERR_NOMEM, "", "out of memory"), -1;
  }
  return 0;
}

int cli_draw_figure(const slFigure* F, const char* out, slError* e) {
  return render(F, out, NULL, NULL, e);
}

char* cli_draw_figure_svg(const slFigure* F, const char* id_prefix, slError* e) {
  char* svg = NULL;
  return render(F, NULL, &svg, id_prefix, e) == 0 ? svg : NULL;
}
