// draw.c: `spineload draw POSITION -o FILE.svg`: both partners as stick figures in a side view
// and a top view, at rest (solid) and at the two extremes of the thrust cycle (faint), discs
// coloured by their peak compression over the cycle, support and partner contact forces as
// arrows, the bed or floor as a grey line, and a caption with the loads.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sl_position.h"
#include "svgw.h"

#define PANEL_W 560.0
#define PANEL_H 420.0
#define MARGIN  30.0
#define TOP_H   70.0
#define FOOT_H  120.0
#define M_PER_N (1.0 / 1500.0)  // arrow length per newton [m/N]
#define HEAD_R  0.09            // head circle radius [m]

static const char* const ROLE_COLOUR[SL_MAXROLE] = {"#1f5fa8", "#b5651d"};

// a projection: world (a, b) axes to page, with scale and offsets
typedef struct View {
  int    a, b;    // world axes shown horizontally and vertically
  double sign_b;  // +1: world b up the page (side view); -1: down (top view)
  double x0, y0;  // page origin of the panel
  double lo_a, lo_b, hi_a, hi_b;
  double scale;  // px per m
} View;

static double px(const View* v, const double* w) {
  return v->x0 + MARGIN + (w[v->a] - v->lo_a) * v->scale;
}
static double py(const View* v, const double* w) {
  double h = (v->hi_b - v->lo_b) * v->scale;
  double t = (w[v->b] - v->lo_b) * v->scale;
  return v->y0 + MARGIN + (v->sign_b > 0 ? h - t : t);
}

static void world_point(const slResults* r, int i, int seg, const double* local, double* w) {
  const double* p = r->seg_pos + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 3;
  const double* R = r->seg_rot + ((size_t)i * (size_t)r->nseg + (size_t)seg) * 9;
  for (int k = 0; k < 3; k++)
    w[k] = p[k] + R[3 * k] * local[0] + R[3 * k + 1] * local[1] + R[3 * k + 2] * local[2];
}

static void landmark(const slModel* m, const slResults* r, int i, const char* name, double* w,
                     int* ok) {
  int l = sl_model_landmark(m, name);
  *ok = l >= 0;
  if (*ok) world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, w);
}

// limb ends that are not segment origins: hands, toes, head
static const char* const ENDS[][2] = {{"hand_r", "hand_r"},      {"hand_l", "hand_l"},
                                      {"calcn_r", "forefoot_r"}, {"calcn_l", "forefoot_l"},
                                      {"calcn_r", "heel_r"},     {"calcn_l", "heel_l"}};

static void bounds(const slModel* m, const slResults* r, int i, View* v) {
  for (int s = 0; s < m->nseg; s++) {
    const double* p = r->seg_pos + ((size_t)i * (size_t)m->nseg + (size_t)s) * 3;
    v->lo_a = fmin(v->lo_a, p[v->a] - HEAD_R), v->hi_a = fmax(v->hi_a, p[v->a] + HEAD_R);
    v->lo_b = fmin(v->lo_b, p[v->b] - HEAD_R), v->hi_b = fmax(v->hi_b, p[v->b] + HEAD_R);
  }
  for (int l = 0; l < m->nland; l++) {
    double w[3];
    world_point(r, i, m->land_seg[l], m->land_pos + 3 * l, w);
    v->lo_a = fmin(v->lo_a, w[v->a]), v->hi_a = fmax(v->hi_a, w[v->a]);
    v->lo_b = fmin(v->lo_b, w[v->b]), v->hi_b = fmax(v->hi_b, w[v->b]);
  }
}

static void figure(Svgw* s, const View* v, const slModel* m, const slResults* r, int i,
                   const char* colour, double width, double opacity) {
  for (int g = 1; g < m->nseg; g++) {
    int p = m->seg_parent[g];
    if (p < 0) continue;
    const double* a = r->seg_pos + ((size_t)i * (size_t)m->nseg + (size_t)p) * 3;
    const double* b = r->seg_pos + ((size_t)i * (size_t)m->nseg + (size_t)g) * 3;
    svgw_line(s, px(v, a), py(v, a), px(v, b), py(v, b), colour, width, opacity);
  }
  for (size_t e = 0; e < sizeof ENDS / sizeof ENDS[0]; e++) {
    int g = sl_model_segment(m, ENDS[e][0]), ok = 0;
    if (g < 0) continue;
    double w[3];
    landmark(m, r, i, ENDS[e][1], w, &ok);
    if (!ok) continue;
    const double* a = r->seg_pos + ((size_t)i * (size_t)m->nseg + (size_t)g) * 3;
    svgw_line(s, px(v, a), py(v, a), px(v, w), py(v, w), colour, width, opacity);
  }
  int head = sl_model_segment(m, "head");
  if (head >= 0) {
    const double up[3] = {0.02, 0.11, 0};
    double       c[3];
    world_point(r, i, head, up, c);
    fprintf(s->f,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"%s\" "
            "stroke-width=\"%.1f\" stroke-opacity=\"%.2f\"/>\n",
            px(v, c), py(v, c), HEAD_R * v->scale, colour, width, opacity);
  }
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

static void arrows(Svgw* s, const View* v, const slResults* r, int i) {
  for (int k = 0; k < r->maxcontact; k++) {
    const double* f = r->contact_force + ((size_t)i * (size_t)r->maxcontact + (size_t)k) * 3;
    const double* p = r->contact_pos + ((size_t)i * (size_t)r->maxcontact + (size_t)k) * 3;
    double        fn = sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]);
    if (fn < 5.0) continue;
    double tail[3] = {p[0] - f[0] * M_PER_N, p[1] - f[1] * M_PER_N, p[2] - f[2] * M_PER_N};
    svgw_arrow(s, px(v, tail), py(v, tail), px(v, p), py(v, p), "#2a9d3a", 1.4);
  }
}

static void legend_bar(Svgw* s, double x, double y) {
  svgw_text(s, x, y - 6, 11, "start", "#222", "peak disc compression over the cycle [N]");
  for (int k = 0; k < 40; k++) {
    char   col[8];
    double val = (k + 0.5) / 40.0 * 4000.0;
    svgw_load_colour(val, SL_LIMIT_COMPRESSION, col);
    svgw_rect(s, x + k * 6, y, 6, 10, col, NULL);
  }
  svgw_text(s, x, y + 22, 10, "start", "#222", "0");
  svgw_text(s, x + 3400.0 / 4000.0 * 240, y + 22, 10, "end", "#222", "3400 (NIOSH limit)");
  svgw_line(s, x + 3400.0 / 4000.0 * 240, y - 2, x + 3400.0 / 4000.0 * 240, y + 12, "#222", 1, 1);
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
  // the side view looks across the longer horizontal extent of the first partner at rest
  double ext_x = 0, ext_y = 0, ext_z = 0;
  {
    const slResults* r0 = R->res[0];
    double           lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    for (int g = 0; g < r0->nseg; g++)
      for (int c = 0; c < 3; c++) {
        lo[c] = fmin(lo[c], r0->seg_pos[3 * g + c]);
        hi[c] = fmax(hi[c], r0->seg_pos[3 * g + c]);
      }
    ext_x = hi[0] - lo[0], ext_y = hi[1] - lo[1], ext_z = hi[2] - lo[2];
  }
  int  along_z = ext_z > ext_x && ext_z > ext_y;  // lying along z (on a side)
  View side = {along_z ? 2 : 0, 1, 1.0, 0, TOP_H, 1e9, 1e9, -1e9, -1e9, 0};
  View top = {0, 2, -1.0, PANEL_W, TOP_H, 1e9, 1e9, -1e9, -1e9, 0};
  for (int k = 0; k < P->nrole; k++)
    for (int i = 0; i < n; i++) {
      bounds(P->role[k].model, R->res[k], i, &side);
      bounds(P->role[k].model, R->res[k], i, &top);
    }
  double inner_w = PANEL_W - 2 * MARGIN, inner_h = PANEL_H - 2 * MARGIN;
  double sc = fmin(inner_w / (side.hi_a - side.lo_a), inner_h / (side.hi_b - side.lo_b));
  sc = fmin(sc, fmin(inner_w / (top.hi_a - top.lo_a), inner_h / (top.hi_b - top.lo_b)));
  side.scale = top.scale = sc;  // the same scale in both views
  Svgw s;
  if (svgw_open(&s, o->out, 2 * PANEL_W, TOP_H + PANEL_H + FOOT_H) != 0) {
    fprintf(stderr, "spineload: error: cannot write %s\n", o->out);
    rc = EXIT_FAIL;
    goto done;
  }
  svgw_text(&s, 20, 28, 20, "start", "#111", P->title);
  // the description in up to two lines of about 170 characters, broken at spaces
  char        line[1400];
  const char* d = P->description;
  for (int ln = 0; ln < 2 && *d; ln++) {
    size_t len = strlen(d), cut = len;
    if (len > 170 && ln == 0) {
      cut = 170;
      while (cut > 0 && d[cut] != ' ') cut--;
      if (cut == 0) cut = 170;
    }
    snprintf(line, sizeof line, "%.*s", (int)(cut < 1300 ? cut : 1300), d);
    svgw_text(&s, 20, 46 + 14 * ln, 11, "start", "#444", line);
    d += cut;
    while (*d == ' ') d++;
  }
  svgw_text(&s, side.x0 + MARGIN, TOP_H + 14, 12, "start", "#444",
            along_z ? "side view (world z to the right, y up)"
                    : "side view (world x to the right, y up)");
  svgw_text(&s, top.x0 + MARGIN, TOP_H + 14, 12, "start", "#444",
            "top view, seen from above (x to the right, z down the page)");
  // the bed or floor: the lowest landmark of the first role at rest
  double floor_y = 1e9;
  for (int l = 0; l < P->role[0].model->nland; l++) {
    double w[3];
    world_point(R->res[0], 0, P->role[0].model->land_seg[l], P->role[0].model->land_pos + 3 * l, w);
    floor_y = fmin(floor_y, w[1]);
  }
  double fa[3] = {side.lo_a, floor_y, side.lo_a}, fb[3] = {side.hi_a, floor_y, side.hi_a};
  svgw_line(&s, px(&side, fa) - 10, py(&side, fa), px(&side, fb) + 10, py(&side, fb), "#999", 3,
            1.0);
  for (int vw = 0; vw < 2; vw++) {
    const View* v = vw ? &top : &side;
    for (int k = 0; k < P->nrole; k++) {
      const slModel* m = P->role[k].model;
      for (int x = 0; x < 2 && n > 1; x++)
        figure(&s, v, m, R->res[k], ext[x], ROLE_COLOUR[k], 1.5, 0.3);
      figure(&s, v, m, R->res[k], 0, ROLE_COLOUR[k], 3.0, 1.0);
    }
    for (int k = 0; k < P->nrole; k++) {
      arrows(&s, v, R->res[k], 0);
      discs(&s, v, R->res[k], 0);
    }
  }
  // scale bar and legend
  double yb = TOP_H + PANEL_H + 10;
  svgw_line(&s, 20, yb, 20 + 0.5 * sc, yb, "#222", 2, 1.0);
  svgw_text(&s, 20 + 0.25 * sc, yb + 14, 10, "middle", "#222", "0.5 m");
  double a0[2] = {120, yb}, alen = 500.0 * M_PER_N * sc;
  svgw_arrow(&s, a0[0], a0[1], a0[0] + alen, a0[1], "#2a9d3a", 1.4);
  svgw_text(&s, a0[0] + alen + 6, yb + 4, 10, "start", "#222",
            "500 N (contact force on the body, at rest)");
  legend_bar(&s, 2 * PANEL_W - 300, yb);
  for (int k = 0; k < P->nrole; k++) {
    slMetrics mt;
    sl_metrics_compute(R, k, &mt);
    char buf[600];
    snprintf(buf, sizeof buf,
             "%s (%s): peak compression L4/L5 %.0f N, L5/S1 %.0f N; load index %.2f; lumbar "
             "flexion %.0f%%, extension %.0f%% of ROM%s",
             P->role[k].name, P->role[k].model->sex == SL_FEMALE ? "female" : "male",
             mt.peak_comp[1], mt.peak_comp[0], mt.load_index, mt.peak_flex_rom, mt.peak_ext_rom,
             mt.flagged ? "; FLAGGED: needs reserve actuators" : "");
    svgw_rect(&s, 20, yb + 34 + 18 * k, 14, 4, ROLE_COLOUR[k], NULL);
    svgw_text(&s, 40, yb + 40 + 18 * k, 11, "start", "#222", buf);
  }
  snprintf(line, sizeof line,
           "solid: at rest; faint: the two extremes of the %.2f Hz thrust cycle; discs coloured "
           "by peak compression over the cycle",
           P->frequency);
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
