// svgw.c: see svgw.h.
#include "svgw.h"

#include <math.h>
#include <string.h>

int svgw_open(Svgw* s, const char* path, double w, double h) {
  memset(s, 0, sizeof *s);
  snprintf(s->path, sizeof s->path, "%s", path);
  s->f = sl_atomic_open(path, s->tmp, sizeof s->tmp, &s->err);
  if (!s->f) return -1;
  fprintf(s->f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
          "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
          "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n",
          w, h, w, h, w, h);
  return 0;
}

int svgw_close(Svgw* s) {
  if (!s->f) return sl_fail(&s->err, SL_ERR_ARG, s->path, "not open"), -1;
  fprintf(s->f, "</svg>\n");
  FILE* f = s->f;
  s->f = NULL;
  return sl_atomic_commit(f, s->tmp, s->path, &s->err) == SL_OK ? 0 : -1;
}

void svgw_line(Svgw* s, double x0, double y0, double x1, double y1, const char* colour,
               double width, double opacity) {
  fprintf(s->f,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
          "stroke-width=\"%.1f\" stroke-opacity=\"%.2f\" stroke-linecap=\"round\"/>\n",
          x0, y0, x1, y1, colour, width, opacity);
}

void svgw_dashed(Svgw* s, double x0, double y0, double x1, double y1, const char* colour) {
  fprintf(s->f,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
          "stroke-width=\"1.2\" stroke-dasharray=\"5,4\"/>\n",
          x0, y0, x1, y1, colour);
}

void svgw_circle(Svgw* s, double x, double y, double r, const char* fill, const char* stroke) {
  fprintf(s->f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>\n", x, y, r,
          fill, stroke ? stroke : "none");
}

void svgw_ring(Svgw* s, double x, double y, double r, const char* colour, double width,
               double opacity) {
  fprintf(s->f,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"%s\" "
          "stroke-width=\"%.1f\" stroke-opacity=\"%.2f\"/>\n",
          x, y, r, colour, width, opacity);
}

void svgw_polyline(Svgw* s, const double* xy, int n, const char* colour, double width,
                   double opacity) {
  if (n < 2) return;
  fputs("<polyline points=\"", s->f);
  for (int i = 0; i < n; i++) fprintf(s->f, "%s%.1f,%.1f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
  fprintf(s->f,
          "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-opacity=\"%.2f\" "
          "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
          colour, width, opacity);
}

void svgw_rect(Svgw* s, double x, double y, double w, double h, const char* fill,
               const char* stroke) {
  fprintf(s->f,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
          "stroke=\"%s\"/>\n",
          x, y, w > 0 ? w : 0, h > 0 ? h : 0, fill, stroke ? stroke : "none");
}

void svgw_text(Svgw* s, double x, double y, double size, const char* anchor, const char* colour,
               const char* text) {
  fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">", x,
          y, size, anchor, colour);
  for (const char* c = text; *c; c++) {
    if (*c == '&')
      fputs("&amp;", s->f);
    else if (*c == '<')
      fputs("&lt;", s->f);
    else if (*c == '>')
      fputs("&gt;", s->f);
    else
      fputc(*c, s->f);
  }
  fputs("</text>\n", s->f);
}

void svgw_arrow(Svgw* s, double x0, double y0, double x1, double y1, const char* colour,
                double width) {
  double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
  if (len < 1e-9) return;
  svgw_line(s, x0, y0, x1, y1, colour, width, 1.0);
  double ux = dx / len, uy = dy / len, h = 4.0 + 2.0 * width;
  fprintf(s->f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n", x1, y1,
          x1 - h * ux + 0.5 * h * uy, y1 - h * uy - 0.5 * h * ux, x1 - h * ux - 0.5 * h * uy,
          y1 - h * uy + 0.5 * h * ux, colour);
}

// viridis (the perceptually uniform map that readers with a colour-vision deficiency can read,
// van der Walt & Smith for matplotlib), at t = 0, 1/8, ..., 1
static const unsigned char VIRIDIS[9][3] = {{68, 1, 84},    {71, 45, 123},  {59, 82, 139},
                                            {44, 114, 142}, {33, 145, 140}, {40, 174, 128},
                                            {94, 201, 98},  {173, 220, 48}, {253, 231, 37}};

void svgw_load_colour(double value, double limit, char* buf) {
  double t = limit > 0 ? value / limit : 0;
  int    rgb[3];
  if (t > 1.0) {  // beyond the limit: dark red, darker than any viridis colour but its first
    rgb[0] = 120, rgb[1] = 0, rgb[2] = 0;
  } else {
    double x = (t < 0 ? 0 : t) * 8.0;
    int    k = x >= 8.0 ? 7 : (int)x;
    double w = x - k;
    for (int c = 0; c < 3; c++)
      rgb[c] = (int)(VIRIDIS[k][c] + w * (VIRIDIS[k + 1][c] - VIRIDIS[k][c]) + 0.5);
  }
  snprintf(buf, 8, "#%02x%02x%02x", rgb[0] & 255, rgb[1] & 255, rgb[2] & 255);
}
