// draw.c: `spineload draw POSITION -o FILE.svg`: both partners as stick figures in a side view
// and a top view, at rest (solid) and at the two extremes of the thrust cycle (faint), discs
// coloured by their peak compression over the cycle, support and partner contact forces as
// arrows, the bed or floor in grey, and a caption with the loads.
//
// Layout: the side view looks across the first partner's longest horizontal extent (world x for
// most positions; world z for partners lying on a side, whose profile then shows in the top
// view). Both views share one scale (equal aspect ratio); they are placed side by side or one
// above the other (aligned on the shared horizontal axis), whichever gives the larger picture.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sl_position.h"
#include "svgw.h"

#define MARGIN     30.0            // around the content of a panel [px]
#define MAX_W      1060.0          // room for the panels [px]
#define MAX_H      600.0           // room for the panels [px]
#define MIN_PAGE_W 1000.0          // the caption needs this much [px]
#define MAX_SCALE  450.0           // px per m, so that a small scene is not blown up
#define FOOT_H     118.0           // legend and caption [px]
#define M_PER_N    (1.0 / 1500.0)  // arrow length per newton [m/N]
#define MIN_FORCE  5.0             // smaller contact forces are not drawn [N]
#define HEAD_R     0.09            // head circle radius [m]
#define RAISED     0.20            // supports this far above the lowest are on a raised surface [m]
#define LIMIT_PAGE (4000.0 / 3400.0)  // colour bar range over the compression limit

static const char* const ROLE_COLOUR[SL_MAXROLE] = {"#1f5fa8", "#b5651d"};
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

static void grow(View* v, const double* w, double pad) {
  v->lo_a = fmin(v->lo_a, w[v->a] - pad), v->hi_a = fmax(v->hi_a, w[v->a] + pad);
  v->lo_b = fmin(v->lo_b, w[v->b] - pad), v->hi_b = fmax(v->hi_b, w[v->b] + pad);
}

static const double* seg_pos(const slResults* r, int i, int seg) {
  return r->seg_pos + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 3;
}

static void world_point(const slResults* r, int i, int seg, const double* local, double* w) {
  const double* p = seg_pos(r, i, seg);
  const double* R = r->seg_rot + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 9;
  for (int k = 0; k < 3; k++)
    w[k] = p[k] + R[3 * k] * local[0] + R[3 * k + 1] * local[1] + R[3 * k + 2] * local[2];
}

static int landmark(const slModel* m, const slResults* r, int i, const char* name, double* w) {
  int l = sl_model_landmark(m, name);
  if (l >= 0) world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, w);
  return l >= 0;
}

// the head circle's centre: a little above and in front of the head segment's origin
static int head_centre(const slModel* m, const slResults* r, int i, double* c) {
  static const double up[3] = {0.02, 0.11, 0};
  int                 head = sl_model_segment(m, "head");
  if (head >= 0) world_point(r, i, head, up, c);
  return head >= 0;
}

// contact k of a role's results: 1 a support (bed, floor), 2 a partner contact, 0 none. The
// results hold the contacts of the position that involve the role, in the position's order.
static int contact_kind(const slPosition* P, int role, int k) {
  for (int j = 0, idx = 0; j < P->ncontact; j++) {
    const slContact* c = &P->contacts[j];
    if (c->body != role && c->other != role) continue;
    if (idx++ == k) return c->other < 0 ? 1 : 2;
  }
  return 0;
}

// the arrow of contact k at sample i: tail and tip (the contact point) in world; 0 if too small
static int contact_arrow(const slResults* r, int i, int k, double* tail, double* tip) {
  const double* f = r->contact_force + ((size_t)i * (size_t)r->maxcontact + (size_t)k) * 3;
  const double* p = r->contact_pos + ((size_t)i * (size_t)r->maxcontact + (size_t)k) * 3;
  if (sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) < MIN_FORCE) return 0;
  for (int c = 0; c < 3; c++) tail[c] = p[c] - f[c] * M_PER_N, tip[c] = p[c];
  return 1;
}

// limb ends that are not segment origins: hands, toes, heels (segment, landmark)
static const char* const ENDS[][2] = {{"hand_r", "hand_r"},      {"hand_l", "hand_l"},
                                      {"calcn_r", "forefoot_r"}, {"calcn_l", "forefoot_l"},
                                      {"calcn_r", "heel_r"},     {"calcn_l", "heel_l"}};

// everything a role puts in view v over the cycle
static void bounds(View* v, const slModel* m, const slResults* r) {
  for (int i = 0; i < r->n; i++) {
    double w[3];
    for (int s = 0; s < m->nseg; s++) grow(v, seg_pos(r, i, s), 0.0);
    for (int l = 0; l < m->nland; l++) {
      world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, w);
      grow(v, w, 0.0);
    }
    if (head_centre(m, r, i, w)) grow(v, w, HEAD_R);
  }
  for (int k = 0; k < r->maxcontact; k++) {
    double tail[3], tip[3];
    if (contact_arrow(r, 0, k, tail, tip)) grow(v, tail, 0.0);
  }
}

static void figure(Svgw* s, const View* v, const slModel* m, const slResults* r, int i,
                   const char* colour, double width, double opacity) {
  for (int g = 1; g < m->nseg; g++) {
    int p = m->seg_parent[g];
    if (p < 0) continue;
    const double *a = seg_pos(r, i, p), *b = seg_pos(r, i, g);
    svgw_line(s, px(v, a), py(v, a), px(v, b), py(v, b), colour, width, opacity);
  }
  for (size_t e = 0; e < sizeof ENDS / sizeof ENDS[0]; e++) {
    int    g = sl_model_segment(m, ENDS[e][0]);
    double w[3];
    if (g < 0 || !landmark(m, r, i, ENDS[e][1], w)) continue;
    const double* a = seg_pos(r, i, g);
    svgw_line(s, px(v, a), py(v, a), px(v, w), py(v, w), colour, width, opacity);
  }
  double c[3];
  if (head_centre(m, r, i, c))
    svgw_ring(s, px(v, c), py(v, c), HEAD_R * v->scale, colour, width, opacity);
}

static void discs(Svgw* s, const View* v, const slResults* r, int i) {
  for (int l = 0; l < SL_NLEVEL; l++) {
    double peak = 0;
    for (int k = 0; k < r->n; k++) peak = fmax(peak, r->comp[(size_t)k * SL_NLEVEL + l]);
    char col[8];
    svgw_load_colour(peak, SL_LIMIT_COMPRESSION, col);
    const double* c = r->lev_pos + ((size_t)i * SL_NLEVEL + (size_t)l) * 3;
    svgw_circle(s, px(v, c), py(v, c), 4.5, col, "#222");
  }
}

static double dist3(const double* a, const double* b) {
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
              (a[2] - b[2]) * (a[2] - b[2]));
}

static void arrows(Svgw* s, const View* v, const slPosition* P, int role, const slResults* r) {
  for (int k = 0; k < r->maxcontact; k++) {
    double tail[3], tip[3];
    int    kind = contact_kind(P, role, k);
    if (!kind || !contact_arrow(r, 0, k, tail, tip)) continue;
    double x0 = px(v, tail), y0 = py(v, tail), x1 = px(v, tip), y1 = py(v, tip);
    // forces mostly along the line of sight are left out
    if (hypot(x1 - x0, y1 - y0) < 0.3 * v->scale * dist3(tail, tip)) continue;
    svgw_arrow(s, x0, y0, x1, y1, kind == 1 ? SUPPORT_COLOUR : PARTNER_COLOUR, 1.4);
  }
}

// the floor or bed (side view): a line at the lowest support and, under supports well above it
// (an edge of the bed, a raised bed), a light block down to that line
static void surfaces(Svgw* s, const View* v, const slPosition* P, const slPositionRun* R) {
  double pts[2 * 64][3];
  int    np = 0;
  double floor_y = INFINITY;
  for (int k = 0; k < P->nrole; k++) {
    const slResults* r = R->res[k];
    for (int c = 0; c < r->maxcontact && np < 2 * 64; c++) {
      if (contact_kind(P, k, c) != 1) continue;
      memcpy(pts[np], r->contact_pos + (size_t)c * 3, sizeof pts[np]);
      floor_y = fmin(floor_y, pts[np][1]);
      np++;
    }
  }
  if (np == 0) {  // no supports: the lowest landmark of the first role
    const slModel* m = P->role[0].model;
    for (int l = 0; l < m->nland; l++) {
      double w[3];
      world_point(R->res[0], 0, m->land_seg[l], m->land_pos + 3 * l, w);
      floor_y = fmin(floor_y, w[1]);
    }
  }
  double fa[3] = {v->lo_a, floor_y, v->lo_a};
  double ya = py(v, fa), xl = v->x0 + MARGIN * 0.5, xr = v->x0 + v->w - MARGIN * 0.5;
  // raised supports, grouped by height: one block per group spanning its supports
  int used[2 * 64] = {0};
  for (int i = 0; i < np; i++) {
    if (used[i] || pts[i][1] < floor_y + RAISED) continue;
    double lo = pts[i][v->a], hi = lo, top = pts[i][1];
    for (int j = i; j < np; j++) {
      if (used[j] || fabs(pts[j][1] - pts[i][1]) > 0.12) continue;
      used[j] = 1;
      lo = fmin(lo, pts[j][v->a]), hi = fmax(hi, pts[j][v->a]), top = fmin(top, pts[j][1]);
    }
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
  slError        e;
  slSoOpt        so = sl_so_opt_default();
  slOverride     rest[CLI_MAXSET];
  int            nrest = 0;
  slMotionOpt    mot = sl_motion_opt_default();
  slPosition*    P = NULL;
  slPositionRun* R = NULL;
  int            rc = EXIT_OK;
  if (sl_overrides_apply(o->set, o->nset, rest, &nrest, &so, &e) != SL_OK ||
      sl_motion_opt_set(&mot, rest, nrest, &e) != SL_OK ||
      sl_position_load(&P, o->pos[0], &mot, rest, nrest, &e) != SL_OK ||
      sl_position_run_flags(P, &so, SL_RES_FRAMES, &R, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  // samples: rest (0) and the extremes of the oscillation (a quarter and three quarters)
  int n = R->samples, ext[2] = {n / 4, (3 * n) / 4};
  // the side view looks across the first partner's longer horizontal extent at rest
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  for (int g = 0; g < R->res[0]->nseg; g++)
    for (int c = 0; c < 3; c++) {
      lo[c] = fmin(lo[c], seg_pos(R->res[0], 0, g)[c]);
      hi[c] = fmax(hi[c], seg_pos(R->res[0], 0, g)[c]);
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
  for (int k = 0; k < P->nrole; k++) {
    bounds(&side, P->role[k].model, R->res[k]);
    bounds(&top, P->role[k].model, R->res[k]);
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
  double head_h = 40 + 14 * description(NULL, P->description, 0, page_w - 40) + 6;
  side.x0 = 0.5 * (page_w - panels_w), top.x0 = stacked ? side.x0 : side.x0 + side.w;
  side.y0 = head_h + (stacked ? 0 : 0.5 * (panels_h - side.h));
  top.y0 = head_h + (stacked ? side.h : 0.5 * (panels_h - top.h));
  if (svgw_open(&s, o->out, page_w, head_h + panels_h + FOOT_H) != 0) {
    fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
    rc = EXIT_FAIL;
    goto done;
  }
  svgw_text(&s, 20, 28, 20, "start", "#111", P->title);
  description(&s, P->description, 46, page_w - 40);
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
  surfaces(&s, &side, P, R);
  for (int vw = 0; vw < 2; vw++) {
    const View* v = vw ? &top : &side;
    for (int k = 0; k < P->nrole; k++) {
      const slModel* m = P->role[k].model;
      for (int x = 0; x < 2 && n > 1; x++)
        figure(&s, v, m, R->res[k], ext[x], ROLE_COLOUR[k], 1.5, 0.3);
      figure(&s, v, m, R->res[k], 0, ROLE_COLOUR[k], 3.0, 1.0);
    }
    for (int k = 0; k < P->nrole; k++) arrows(&s, v, P, k, R->res[k]);
    for (int k = 0; k < P->nrole; k++) discs(&s, v, R->res[k], 0);
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
  if (P->npartner > 0) {
    svgw_arrow(&s, ax, yb + 10, ax + alen, yb + 10, PARTNER_COLOUR, 1.4);
    svgw_text(&s, ax + alen + 6, yb + 14, 10, "start", "#222",
              "500 N from the partner (force on each body, at rest)");
  }
  legend_bar(&s, page_w - 300, yb);
  char line[800];
  for (int k = 0; k < P->nrole; k++) {
    const slModel* m = P->role[k].model;
    slMetrics      mt;
    sl_metrics_compute(R, k, &mt);
    snprintf(line, sizeof line,
             "%s (%s, %.0f kg, %.2f m): peak compression L4/L5 %.0f N, L5/S1 %.0f N; load index "
             "%.2f; lumbar flexion %.0f%%, extension %.0f%% of ROM%s",
             P->role[k].name, m->sex == SL_FEMALE ? "female" : "male", m->body_mass, m->height,
             mt.peak_comp[1], mt.peak_comp[0], mt.load_index, mt.peak_flex_rom, mt.peak_ext_rom,
             mt.flagged ? "; FLAGGED: needs reserves or beyond joint strength" : "");
    svgw_rect(&s, 20, yb + 34 + 18 * k, 14, 4, ROLE_COLOUR[k], NULL);
    svgw_text(&s, 40, yb + 40 + 18 * k, 11, "start", mt.flagged ? "#b00000" : "#222", line);
  }
  if (n > 1)
    snprintf(line, sizeof line,
             "solid: at rest; faint: the two extremes of the %.2f Hz thrust cycle; discs (L5/S1 "
             "to T12/L1) coloured by peak compression over the cycle",
             P->frequency);
  else
    snprintf(line, sizeof line, "static posture; discs (L5/S1 to T12/L1) coloured by compression");
  svgw_text(&s, 20, yb + 44 + 18 * P->nrole, 10, "start", "#555", line);
  if (svgw_close(&s) != 0) {
    fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
    rc = EXIT_FAIL;
    goto done;
  }
  if (!o->quiet) fprintf(stderr, "spineload: wrote %s\n", o->out);
done:
  sl_position_run_free(R);
  sl_position_free(P);
  return rc;
}
