// draw.c: `spineload draw POSITION -o FILE.svg`: both partners as stick figures in a side view
// and a top view, at rest (solid) and at the two extremes of the thrust cycle (faint), discs
// coloured by their peak compression over the cycle, support and partner contact forces as
// arrows, the bed or floor in grey, and a caption with the loads.
//
// Layout: the side view looks across the first partner's longest horizontal extent (world x for
// most positions; world z for partners lying on a side, whose profile then shows in the top
// view). Both views share one scale (equal aspect ratio); they are placed side by side or one
// above the other (aligned on the shared horizontal axis), whichever gives the larger picture.
// The figure itself (poses, loads, contacts, metrics) comes from sl_figure_make; this file only
// lays it out and writes the SVG.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "svgw.h"

#define MARGIN     30.0            // around the content of a panel [px]
#define MAX_W      1060.0          // room for the panels [px]
#define MAX_H      600.0           // room for the panels [px]
#define MIN_PAGE_W 1000.0          // the caption needs this much [px]
#define MAX_SCALE  450.0           // px per m, so that a small scene is not blown up
#define FOOT_H     118.0           // legend and caption [px]
#define M_PER_N    (1.0 / 1500.0)  // arrow length per newton [m/N]
#define MIN_FORCE  5.0             // smaller contact forces are not drawn [N]
#define RAISED     0.20            // supports this far above the lowest are on a raised surface [m]
#define LIMIT_PAGE (4000.0 / 3400.0)  // colour bar range over the compression limit

static const char* const ROLE_COLOUR[SL_FIGURE_MAXROLE] = {"#1f5fa8", "#b5651d"};
static const char* const SUPPORT_COLOUR = "#16837a";
static const char* const PARTNER_COLOUR = "#8e3fa8";

// a projection of world axes a (across the page) and b (up or down the page) into a panel
typedef struct View {
  int    a, b;
  double sign_b;  // +1: world b up the page; -1: down
  double x0, y0;  // page position of the panel's top left corner
  double lo_a, lo_b, hi_a, hi_b;
  double scale;  // px per m
  double w, h;   // panel size [px]
} View;

static double px(const View* v, const double* w) {
  return v->x0 + MARGIN + (w[v->a] - v->lo_a) * v->scale;
}
static double py(const View* v, const double* w) {
  return v->sign_b > 0 ? v->y0 + MARGIN + (v->hi_b - w[v->b]) * v->scale
                       : v->y0 + MARGIN + (w[v->b] - v->lo_b) * v->scale;
}

static void grow(View* v, const double* lo, const double* hi) {
  v->lo_a = fmin(v->lo_a, lo[v->a]), v->hi_a = fmax(v->hi_a, hi[v->a]);
  v->lo_b = fmin(v->lo_b, lo[v->b]), v->hi_b = fmax(v->hi_b, hi[v->b]);
}

// the arrow of a contact: tail and tip (the contact point) in world; 0 if too small
static int contact_arrow(const slFigureContact* c, double* tail, double* tip) {
  const double* f = c->force;
  if (sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) < MIN_FORCE) return 0;
  for (int k = 0; k < 3; k++) tail[k] = c->point[k] - f[k] * M_PER_N, tip[k] = c->point[k];
  return 1;
}

// everything a role puts in view v: the body over the cycle and the arrows at rest
static void bounds(View* v, const slFigureRole* r) {
  grow(v, r->lo, r->hi);
  for (int k = 0; k < r->ncontact; k++) {
    double tail[3], tip[3];
    if (contact_arrow(&r->contact[k], tail, tip)) grow(v, tail, tail);
  }
}

static void figure(Svgw* s, const View* v, const slFigurePose* p, double head_r, const char* colour,
                   double width, double opacity) {
  for (int k = 0; k < p->nbone; k++) {
    const double *a = p->bone + 6 * k, *b = a + 3;
    svgw_line(s, px(v, a), py(v, a), px(v, b), py(v, b), colour, width, opacity);
  }
  if (p->has_head)
    svgw_ring(s, px(v, p->head), py(v, p->head), head_r * v->scale, colour, width, opacity);
}

static void discs(Svgw* s, const View* v, const slFigureRole* r) {
  for (int l = 0; l < SL_NLEVEL; l++) {
    char col[8];
    svgw_load_colour(r->disc_peak[l], SL_LIMIT_COMPRESSION, col);
    const double* c = r->pose[0].disc[l];
    svgw_circle(s, px(v, c), py(v, c), 4.5, col, "#222");
  }
}

static double dist3(const double* a, const double* b) {
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
              (a[2] - b[2]) * (a[2] - b[2]));
}

static void arrows(Svgw* s, const View* v, const slFigureRole* r) {
  for (int k = 0; k < r->ncontact; k++) {
    double tail[3], tip[3];
    int    kind = r->contact[k].kind;
    if (!contact_arrow(&r->contact[k], tail, tip)) continue;
    double x0 = px(v, tail), y0 = py(v, tail), x1 = px(v, tip), y1 = py(v, tip);
    // forces mostly along the line of sight are left out
    if (hypot(x1 - x0, y1 - y0) < 0.3 * v->scale * dist3(tail, tip)) continue;
    svgw_arrow(s, x0, y0, x1, y1, kind == SL_FIGURE_SUPPORT ? SUPPORT_COLOUR : PARTNER_COLOUR, 1.4);
  }
}

// the floor or bed (side view): a line at the lowest support and, under supports well above it
// (an edge of the bed, a raised bed), a light block down to that line
static void surfaces(Svgw* s, const View* v, const slFigure* F) {
  enum { MAXPTS = 128 };  // supports grouped into blocks (a position has a handful)
  const double* pts = F->support;
  int           np = F->nsupport < MAXPTS ? F->nsupport : MAXPTS;
  double        fa[3] = {v->lo_a, F->floor_y, v->lo_a};
  double        ya = py(v, fa), xl = v->x0 + MARGIN * 0.5, xr = v->x0 + v->w - MARGIN * 0.5;
  // raised supports, grouped by height: one block per group spanning its supports
  int used[MAXPTS] = {0};
  for (int i = 0; i < np; i++) {
    const double* pi = pts + 3 * i;
    if (used[i] || pi[1] < F->floor_y + RAISED) continue;
    double lo = pi[v->a], hi = lo, top = pi[1];
    int    n = 0;
    for (int j = i; j < np; j++) {
      const double* pj = pts + 3 * j;
      if (used[j] || fabs(pj[1] - pi[1]) > 0.12) continue;
      used[j] = 1;
      n++;
      lo = fmin(lo, pj[v->a]), hi = fmax(hi, pj[v->a]), top = fmin(top, pj[1]);
    }
    if (n < 2)
      continue;  // a support alone at its height floats: no surface is invented under it
                 // (rank reports it: sl_rank_checks)
    double p0[3] = {0}, p1[3] = {0};
    p0[v->a] = lo - 0.08, p1[v->a] = hi + 0.08, p0[1] = p1[1] = top;
    svgw_rect(s, px(v, p0), py(v, p0), px(v, p1) - px(v, p0), ya - py(v, p0), "#ececec", NULL);
    svgw_line(s, px(v, p0), py(v, p0), px(v, p1), py(v, p1), "#999", 3, 1.0);
  }
  svgw_line(s, xl, ya, xr, ya, "#999", 3, 1.0);
}

static void legend_bar(Svgw* s, double x, double y) {
  const double w = 240.0, lim = w / LIMIT_PAGE;
  svgw_text(s, x, y - 6, 11, "start", "#222", "peak disc compression [N], NIOSH limit 3400");
  for (int k = 0; k < 40; k++) {
    char   col[8];
    double val = (k + 0.5) / 40.0 * SL_LIMIT_COMPRESSION * LIMIT_PAGE;
    svgw_load_colour(val, SL_LIMIT_COMPRESSION, col);
    svgw_rect(s, x + k * w / 40.0, y, w / 40.0 + 0.3, 10, col, NULL);
  }
  svgw_text(s, x, y + 22, 10, "middle", "#222", "0");
  svgw_text(s, x + 0.5 * lim, y + 22, 10, "middle", "#222", "1700");
  svgw_text(s, x + lim, y + 22, 10, "middle", "#222", "3400");
  svgw_line(s, x + lim, y - 2, x + lim, y + 12, "#222", 1, 1);
}

// a cut at byte i of s moved back to the start of a UTF-8 character
static int utf8_back(const char* s, int i) {
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

// the description in up to three lines that fit the width, broken at spaces; returns the number
// of lines (s NULL: only counts them)
static int description(Svgw* s, const char* d, double y, double width) {
  int  per_line = (int)(width / 5.9), nl = 0;
  char line[1100];
  if (per_line > 1000) per_line = 1000;
  while (*d == ' ') d++;
  for (; nl < 3 && *d; nl++) {
    int len = (int)strlen(d), cut = len;
    if (len > per_line) {
      cut = per_line;
      while (cut > 0 && d[cut] != ' ') cut--;
      if (cut == 0) cut = utf8_back(d, per_line);
    }
    if (nl == 2 && cut < len)  // the last line: shortened with an ellipsis
      snprintf(line, sizeof line, "%.*s ...", utf8_back(d, cut > 4 ? cut - 4 : cut), d);
    else
      snprintf(line, sizeof line, "%.*s", cut, d);
    if (s) svgw_text(s, 20, y + 14 * nl, 11, "start", "#444", line);
    d += cut;
    while (*d == ' ') d++;
  }
  return nl;
}

int cli_cmd_draw(int argc, char** argv, const CliOpts* o) {
  (void)argc, (void)argv;
  if (o->npos != 1) return cli_usage_error("draw needs one position file");
  if (!o->out) return cli_usage_error("draw needs -o FILE.svg");
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

int cli_draw_figure(const slFigure* F, const char* out, slError* e) {
  int rc = 0;
  // the side view looks across the first partner's longer horizontal extent at rest
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  for (int g = 0; g < F->role[0].nseg; g++)
    for (int c = 0; c < 3; c++) {
      lo[c] = fmin(lo[c], F->role[0].pose[0].origin[3 * g + c]);
      hi[c] = fmax(hi[c], F->role[0].pose[0].origin[3 * g + c]);
    }
  int along_z = hi[2] - lo[2] > hi[0] - lo[0] && hi[2] - lo[2] > hi[1] - lo[1];
  // side: (x or z) across, y up; top, seen from above: x across and z down the page, or (lying
  // along z) z across and x up the page
  View side = {.a = along_z ? 2 : 0, .b = 1, .sign_b = 1.0};
  View top = {.a = along_z ? 2 : 0, .b = along_z ? 0 : 2, .sign_b = along_z ? 1.0 : -1.0};
  for (int vw = 0; vw < 2; vw++) {
    View* v = vw ? &top : &side;
    v->lo_a = v->lo_b = INFINITY, v->hi_a = v->hi_b = -INFINITY;
  }
  for (int k = 0; k < F->nrole; k++) {
    bounds(&side, &F->role[k]);
    bounds(&top, &F->role[k]);
  }
  // side by side or stacked (sharing the horizontal axis), whichever is larger
  double ws = side.hi_a - side.lo_a, hs = side.hi_b - side.lo_b;
  double wt = top.hi_a - top.lo_a, ht = top.hi_b - top.lo_b;
  double wu = fmax(side.hi_a, top.hi_a) - fmin(side.lo_a, top.lo_a);
  double sc_row = fmin((MAX_W - 4 * MARGIN) / (ws + wt), (MAX_H - 2 * MARGIN) / fmax(hs, ht));
  double sc_col = fmin((MAX_W - 2 * MARGIN) / wu, (MAX_H - 4 * MARGIN) / (hs + ht));
  int    stacked = sc_col > sc_row;
  double sc = fmin(MAX_SCALE, stacked ? sc_col : sc_row);
  side.scale = top.scale = sc;
  if (stacked) {
    side.lo_a = top.lo_a = fmin(side.lo_a, top.lo_a);
    side.hi_a = top.hi_a = fmax(side.hi_a, top.hi_a);
  }
  side.w = (side.hi_a - side.lo_a) * sc + 2 * MARGIN, side.h = hs * sc + 2 * MARGIN;
  top.w = (top.hi_a - top.lo_a) * sc + 2 * MARGIN, top.h = ht * sc + 2 * MARGIN;
  double panels_w = stacked ? side.w : side.w + top.w;
  double panels_h = stacked ? side.h + top.h : fmax(side.h, top.h);
  double page_w = fmax(MIN_PAGE_W, panels_w + 20);
  // header: title and description; panels centred on the page
  Svgw   s;
  double head_h = 40 + 14 * description(NULL, F->description, 0, page_w - 40) + 6;
  side.x0 = 0.5 * (page_w - panels_w), top.x0 = stacked ? side.x0 : side.x0 + side.w;
  side.y0 = head_h + (stacked ? 0 : 0.5 * (panels_h - side.h));
  top.y0 = head_h + (stacked ? side.h : 0.5 * (panels_h - top.h));
  if (svgw_open(&s, out, page_w, head_h + panels_h + FOOT_H) != 0) {
    *e = s.err;
    return -1;
  }
  svgw_text(&s, 20, 28, 20, "start", "#111", F->title);
  description(&s, F->description, 46, page_w - 40);
  for (int vw = 0; vw < 2; vw++) {
    const View* v = vw ? &top : &side;
    svgw_rect(&s, v->x0 + 4, v->y0 + 4, v->w - 8, v->h - 8, "none", "#e4e4e4");
  }
  svgw_text(&s, side.x0 + 12, side.y0 + 18, 11, "start", "#555",
            along_z ? "side view (world z to the right, y up)"
                    : "side view (world x to the right, y up)");
  svgw_text(&s, top.x0 + 12, top.y0 + 18, 11, "start", "#555",
            along_z ? "top view, from above (world z to the right, x up)"
                    : "top view, from above (world x to the right, z down)");
  surfaces(&s, &side, F);
  for (int vw = 0; vw < 2; vw++) {
    const View* v = vw ? &top : &side;
    for (int k = 0; k < F->nrole; k++) {
      const slFigureRole* r = &F->role[k];
      // the extremes faint, then the rest pose solid over them
      for (int x = 1; x < F->npose; x++)
        figure(&s, v, &r->pose[x], F->head_r, ROLE_COLOUR[k], 1.5, 0.3);
      figure(&s, v, &r->pose[0], F->head_r, ROLE_COLOUR[k], 3.0, 1.0);
    }
    for (int k = 0; k < F->nrole; k++) arrows(&s, v, &F->role[k]);
    for (int k = 0; k < F->nrole; k++) discs(&s, v, &F->role[k]);
  }
  // scale bar, arrow scale, colour bar
  double yb = head_h + panels_h + 16;
  svgw_line(&s, 20, yb, 20 + 0.5 * sc, yb, "#222", 2, 1.0);
  svgw_line(&s, 20, yb - 4, 20, yb + 4, "#222", 1.5, 1.0);
  svgw_line(&s, 20 + 0.5 * sc, yb - 4, 20 + 0.5 * sc, yb + 4, "#222", 1.5, 1.0);
  svgw_text(&s, 20 + 0.25 * sc, yb + 14, 10, "middle", "#222", "0.5 m");
  double ax = 40 + 0.5 * sc, alen = 500.0 * M_PER_N * sc;
  svgw_arrow(&s, ax, yb - 4, ax + alen, yb - 4, SUPPORT_COLOUR, 1.4);
  svgw_text(&s, ax + alen + 6, yb, 10, "start", "#222", "500 N from the bed or floor");
  if (F->npartner > 0) {
    svgw_arrow(&s, ax, yb + 10, ax + alen, yb + 10, PARTNER_COLOUR, 1.4);
    svgw_text(&s, ax + alen + 6, yb + 14, 10, "start", "#222",
              "500 N from the partner (force on each body, at rest)");
  }
  legend_bar(&s, page_w - 300, yb);
  char line[800];
  for (int k = 0; k < F->nrole; k++) {
    const slFigureRole* r = &F->role[k];
    snprintf(line, sizeof line,
             "%s (%s, %.0f kg, %.2f m): peak compression L4/L5 %.0f N, L5/S1 %.0f N; load index "
             "%.2f; lumbar flexion %.0f%%, extension %.0f%% of ROM%s",
             r->name, r->sex == SL_FEMALE ? "female" : "male", r->body_mass, r->height,
             r->peak_comp[1], r->peak_comp[0], r->load_index, r->flex_rom, r->ext_rom,
             r->flagged ? "; FLAGGED: needs reserves or beyond joint strength" : "");
    svgw_rect(&s, 20, yb + 34 + 18 * k, 14, 4, ROLE_COLOUR[k], NULL);
    svgw_text(&s, 40, yb + 40 + 18 * k, 11, "start", r->flagged ? "#b00000" : "#222", line);
  }
  if (F->samples > 1)
    snprintf(line, sizeof line,
             "solid: at rest; faint: the two extremes of the %.2f Hz thrust cycle; discs (L5/S1 "
             "to T12/L1) coloured by peak compression over the cycle",
             F->frequency);
  else
    snprintf(line, sizeof line, "static posture; discs (L5/S1 to T12/L1) coloured by compression");
  svgw_text(&s, 20, yb + 44 + 18 * F->nrole, 10, "start", "#555", line);
  if (svgw_close(&s) != 0) {
    *e = s.err;
    rc = -1;
  }
  return rc;
}
