// canvas.c: see canvas.h.
#define _POSIX_C_SOURCE 200809L  // open_memstream, strcasecmp
#include "canvas.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PI   3.14159265358979323846
#define FONT "DejaVu Sans"  // Debian's default sans-serif (fonts-dejavu-core, a cairo dependency)

static int ends_with(const char* s, const char* ext) {
  size_t n = strlen(s), e = strlen(ext);
  return n > e && !strcasecmp(s + n - e, ext);
}

int canvas_format_of(const char* path) {
  if (ends_with(path, ".svg")) return CANVAS_SVG;
  if (ends_with(path, ".pdf")) return CANVAS_PDF;
  if (ends_with(path, ".png")) return CANVAS_PNG;
  return -1;
}

// cairo's output (SVG, PDF) collected in memory; written out by canvas_close
static cairo_status_t collect(void* closure, const unsigned char* data, unsigned int len) {
  Canvas* c = closure;
  if (c->n + len + 1 > c->cap) {
    size_t cap = (c->cap ? 2 * c->cap : 65536) + len;
    char*  b = realloc(c->buf, cap);
    if (!b) return c->oom = 1, CAIRO_STATUS_NO_MEMORY;
    c->buf = b, c->cap = cap;
  }
  memcpy(c->buf + c->n, data, len);
  c->n += len;
  c->buf[c->n] = 0;
  return CAIRO_STATUS_SUCCESS;
}

// at exit, cairo's font caches and fontconfig's configuration are released, so that a leak
// checker sees only the program's own memory
static cairo_surface_t* measure_surface;  // canvas_text_width's (made once)
static cairo_t*         measure_cr;

static void release_fonts(void) {
  if (measure_cr) cairo_destroy(measure_cr);
  if (measure_surface) cairo_surface_destroy(measure_surface);
  measure_cr = NULL, measure_surface = NULL;
  cairo_debug_reset_static_data();
  FcFini();
}

static void set_font(cairo_t* cr) {
  static int registered = 0;
  if (!registered) registered = 1, atexit(release_fonts);
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  // unhinted metrics: the same widths on every surface (measured and drawn text agree)
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

static int start(Canvas* c, double w, double h) {
  cairo_surface_t* s = NULL;
  if (c->format == CANVAS_SVG) {
    s = cairo_svg_surface_create_for_stream(collect, c, w, h);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
  } else if (c->format == CANVAS_PDF) {
    s = cairo_pdf_surface_create_for_stream(collect, c, w, h);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "spineload");
  } else {
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w * CANVAS_PNG_SCALE),
                                   (int)ceil(h * CANVAS_PNG_SCALE));
  }
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return sl_fail(&c->err, SL_ERR_NOMEM, c->path, "cannot create the drawing surface"), -1;
  }
  cairo_t* cr = cairo_create(s);
  if (c->format == CANVAS_PNG) cairo_scale(cr, CANVAS_PNG_SCALE, CANVAS_PNG_SCALE);
  set_font(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgb(cr, 1, 1, 1);  // a white page
  cairo_paint(cr);
  c->surface = s, c->cr = cr, c->w = w, c->h = h;
  return 0;
}

int canvas_open(Canvas* c, const char* path, double w, double h) {
  memset(c, 0, sizeof *c);
  snprintf(c->path, sizeof c->path, "%s", path);
  int fmt = canvas_format_of(path);
  if (fmt < 0)
    return sl_fail(&c->err, SL_ERR_ARG, path,
                   "unknown figure format: the name must end in .svg, .pdf or .png"),
           -1;
  c->format = (CanvasFormat)fmt;
  return start(c, w, h);
}

int canvas_open_svg_memory(Canvas* c, double w, double h) {
  memset(c, 0, sizeof *c);
  snprintf(c->path, sizeof c->path, "(drawing)");
  c->format = CANVAS_SVG, c->memory = 1;
  return start(c, w, h);
}

void canvas_set_title(Canvas* c, const char* title) {
  snprintf(c->title, sizeof c->title, "%s", title);
  if (c->format == CANVAS_PDF && c->surface)
    cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_TITLE, title);
}

void canvas_heading(Canvas* c, double size, double y, const char* title, const char* sub) {
  canvas_set_title(c, title);
  canvas_text(c, 20, y, size, "start", "#111", title);
  canvas_text(c, 20, 46, 11, "start", "#444", sub);
}

static void release(Canvas* c) {
  if (c->cr) cairo_destroy(c->cr);
  if (c->surface) cairo_surface_destroy(c->surface);
  c->cr = c->surface = NULL;
  free(c->text);
  c->text = NULL;
}

void canvas_abort(Canvas* c) {
  release(c);
  free(c->buf);
  c->buf = NULL;
}

// s escaped for XML text into f
static void xml_text(FILE* f, const char* s) {
  for (; *s; s++) {
    if (*s == '&')
      fputs("&amp;", f);
    else if (*s == '<')
      fputs("&lt;", f);
    else if (*s == '>')
      fputs("&gt;", f);
    else
      fputc(*s, f);
  }
}

// the SVG with a <title> and a <desc> (every text of the figure, which cairo draws as glyph
// outlines) after its opening tag, into f
static void svg_with_text(FILE* f, const Canvas* c) {
  const char* svg = strstr(c->buf, "<svg");
  const char* open_end = svg ? strchr(svg, '>') : NULL;
  if (!open_end) {
    fputs(c->buf, f);
    return;
  }
  fwrite(c->buf, 1, (size_t)(open_end + 1 - c->buf), f);
  fputs("\n<title>", f);
  xml_text(f, c->title);
  fputs("</title>\n<desc>", f);
  if (c->text) xml_text(f, c->text);
  fputs("</desc>", f);
  fputs(open_end + 1, f);
}

int canvas_close(Canvas* c) {
  cairo_status_t   st = cairo_status(c->cr);
  cairo_surface_t* s = c->surface;
  cairo_destroy(c->cr);
  c->cr = NULL;
  if (c->format != CANVAS_PNG) {
    cairo_surface_finish(s);  // flushes the SVG or PDF through collect
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
  }
  if (st == CAIRO_STATUS_SUCCESS && !c->oom && c->format != CANVAS_PNG && !c->buf)
    st = CAIRO_STATUS_WRITE_ERROR;  // cairo wrote nothing
  if (st != CAIRO_STATUS_SUCCESS || c->oom) {
    sl_fail(&c->err, c->oom || st == CAIRO_STATUS_NO_MEMORY ? SL_ERR_NOMEM : SL_ERR_WRITE, c->path,
            "cannot draw: %s", c->oom ? "out of memory" : cairo_status_to_string(st));
    canvas_abort(c);
    return -1;
  }
  if (c->memory) {  // canvas_take finishes it
    char*  b = NULL;
    size_t n = 0;
    FILE*  f = open_memstream(&b, &n);
    if (!f) return canvas_abort(c), sl_fail(&c->err, SL_ERR_NOMEM, c->path, "out of memory"), -1;
    svg_with_text(f, c);
    if (fclose(f) != 0) {
      free(b);
      canvas_abort(c);
      return sl_fail(&c->err, SL_ERR_NOMEM, c->path, "out of memory"), -1;
    }
    free(c->buf);
    c->buf = b, c->n = n;
    release(c);
    return 0;
  }
  char  tmp[1100];
  FILE* f = sl_atomic_open(c->path, tmp, sizeof tmp, &c->err);
  int   rc = -1;
  if (f) {
    int bad = 0;
    if (c->format == CANVAS_SVG)
      svg_with_text(f, c);
    else if (c->format == CANVAS_PDF)
      bad = fwrite(c->buf, 1, c->n, f) != c->n;
    else {
      c->n = 0;
      bad = cairo_surface_write_to_png_stream(s, collect, c) != CAIRO_STATUS_SUCCESS ||
            fwrite(c->buf, 1, c->n, f) != c->n;
    }
    if (bad) {
      sl_atomic_abort(f, tmp);
      sl_fail(&c->err, SL_ERR_WRITE, c->path, "cannot write the figure");
    } else if (sl_atomic_commit(f, tmp, c->path, &c->err) == SL_OK) {
      rc = 0;
    }
  }
  canvas_abort(c);
  return rc;
}

// the ids of an SVG prefixed: id="x" -> id="p-x", href="#x" and url(#x) likewise
char* canvas_take(Canvas* c, const char* id_prefix) {
  if (!c->buf) return NULL;
  const char* svg = strstr(c->buf, "<svg");
  if (!svg) svg = c->buf;
  size_t nprefix = strlen(id_prefix), count = 0;
  for (const char* p = svg; *p; p++) count += *p == '#' || *p == '"';  // at most one prefix each
  char* out = malloc(strlen(svg) + count * (nprefix + 1) + 1);
  if (!out) return NULL;
  char* o = out;
  for (const char* p = svg; *p;) {
    if (*p != ' ' && *p != '=' && *p != 'u') {  // no id or reference starts here
      *o++ = *p++;
    } else if (!strncmp(p, " id=\"", 5)) {
      memcpy(o, p, 5), o += 5, p += 5;
      memcpy(o, id_prefix, nprefix), o += nprefix, *o++ = '-';
    } else if (!strncmp(p, "=\"#", 3) || !strncmp(p, "url(#", 5)) {
      size_t k = p[0] == '=' ? 3 : 5;
      memcpy(o, p, k), o += k, p += k;
      memcpy(o, id_prefix, nprefix), o += nprefix, *o++ = '-';
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
  free(c->buf);
  c->buf = NULL;
  return out;
}

// "#rrggbb" to c's source with opacity; 0 for "none"
static int source(Canvas* c, const char* colour, double opacity) {
  if (!colour || !strcmp(colour, "none")) return 0;
  unsigned v = 0;
  if (colour[0] == '#') v = (unsigned)strtoul(colour + 1, NULL, 16);
  if (colour[0] == '#' && strlen(colour) == 4)  // #rgb
    v = ((v >> 8) & 15) * 0x110000 + ((v >> 4) & 15) * 0x1100 + (v & 15) * 0x11;
  cairo_set_source_rgba(c->cr, ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
                        (v & 255) / 255.0, opacity);
  return 1;
}

void canvas_line(Canvas* c, double x0, double y0, double x1, double y1, const char* colour,
                 double width, double opacity) {
  if (!source(c, colour, opacity)) return;
  cairo_set_line_width(c->cr, width);
  cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to(c->cr, x0, y0);
  cairo_line_to(c->cr, x1, y1);
  cairo_stroke(c->cr);
}

void canvas_segments(Canvas* c, const double* xy, int n, const char* colour, double width,
                     double opacity) {
  if (n < 1 || !source(c, colour, opacity)) return;
  cairo_set_line_width(c->cr, width);
  cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
  for (int i = 0; i < n; i++) {
    cairo_move_to(c->cr, xy[4 * i], xy[4 * i + 1]);
    cairo_line_to(c->cr, xy[4 * i + 2], xy[4 * i + 3]);
  }
  cairo_stroke(c->cr);
}

void canvas_dashed(Canvas* c, double x0, double y0, double x1, double y1, const char* colour) {
  static const double dash[2] = {5, 4};
  if (!source(c, colour, 1)) return;
  cairo_set_line_width(c->cr, 1.2);
  cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_dash(c->cr, dash, 2, 0);
  cairo_move_to(c->cr, x0, y0);
  cairo_line_to(c->cr, x1, y1);
  cairo_stroke(c->cr);
  cairo_set_dash(c->cr, NULL, 0, 0);
}

void canvas_circle(Canvas* c, double x, double y, double r, const char* fill, const char* stroke) {
  cairo_new_path(c->cr);
  cairo_arc(c->cr, x, y, r, 0, 2 * PI);
  if (source(c, fill, 1)) cairo_fill_preserve(c->cr);
  if (source(c, stroke, 1)) {
    cairo_set_line_width(c->cr, 1);
    cairo_stroke_preserve(c->cr);
  }
  cairo_new_path(c->cr);
}

void canvas_ring(Canvas* c, double x, double y, double r, const char* colour, double width,
                 double opacity) {
  if (!source(c, colour, opacity)) return;
  cairo_new_path(c->cr);
  cairo_arc(c->cr, x, y, r, 0, 2 * PI);
  cairo_set_line_width(c->cr, width);
  cairo_stroke(c->cr);
}

void canvas_polyline(Canvas* c, const double* xy, int n, const char* colour, double width,
                     double opacity) {
  if (n < 2 || !source(c, colour, opacity)) return;
  cairo_set_line_width(c->cr, width);
  cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to(c->cr, xy[0], xy[1]);
  for (int i = 1; i < n; i++) cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
  cairo_stroke(c->cr);
}

void canvas_rect(Canvas* c, double x, double y, double w, double h, const char* fill,
                 const char* stroke) {
  cairo_new_path(c->cr);
  cairo_rectangle(c->cr, x, y, w > 0 ? w : 0, h > 0 ? h : 0);
  if (source(c, fill, 1)) cairo_fill_preserve(c->cr);
  if (source(c, stroke, 1)) {
    cairo_set_line_width(c->cr, 1);
    cairo_stroke_preserve(c->cr);
  }
  cairo_new_path(c->cr);
}

// the text noted for the SVG's <desc>
static void note_text(Canvas* c, const char* text) {
  size_t n = strlen(text);
  if (c->ntext + n + 2 > c->captext) {
    size_t cap = 2 * c->captext + n + 256;
    char*  b = realloc(c->text, cap);
    if (!b) return;  // the description is a courtesy: without memory it stays shorter
    c->text = b, c->captext = cap;
  }
  memcpy(c->text + c->ntext, text, n);
  c->ntext += n;
  c->text[c->ntext++] = '\n';
  c->text[c->ntext] = 0;
}

void canvas_text(Canvas* c, double x, double y, double size, const char* anchor, const char* colour,
                 const char* text) {
  if (!source(c, colour, 1) || !*text) return;
  cairo_text_extents_t te;
  cairo_set_font_size(c->cr, size);
  cairo_text_extents(c->cr, text, &te);
  double dx = !strcmp(anchor, "middle") ? -0.5 * te.x_advance
              : !strcmp(anchor, "end")  ? -te.x_advance
                                        : 0;
  cairo_move_to(c->cr, x + dx, y);
  cairo_show_text(c->cr, text);
  cairo_new_path(c->cr);
  if (c->format == CANVAS_SVG) note_text(c, text);
}

void canvas_arrow(Canvas* c, double x0, double y0, double x1, double y1, const char* colour,
                  double width) {
  double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
  if (len < 1e-9) return;
  double ux = dx / len, uy = dy / len, h = 4.0 + 2.0 * width;
  // the shaft stops where the head begins, so its round cap does not poke through the tip
  canvas_line(c, x0, y0, x1 - 0.8 * h * ux, y1 - 0.8 * h * uy, colour, width, 1.0);
  if (!source(c, colour, 1)) return;
  cairo_move_to(c->cr, x1, y1);
  cairo_line_to(c->cr, x1 - h * ux + 0.5 * h * uy, y1 - h * uy - 0.5 * h * ux);
  cairo_line_to(c->cr, x1 - h * ux - 0.5 * h * uy, y1 - h * uy + 0.5 * h * ux);
  cairo_close_path(c->cr);
  cairo_fill(c->cr);
}

double canvas_text_width(double size, const char* text) {
  // a small image surface only for measuring, made once (the metrics are unhinted: the same on
  // any surface); the command draws from one thread
  if (!measure_cr) {
    measure_surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 4, 4);
    measure_cr = cairo_create(measure_surface);
    set_font(measure_cr);
  }
  cairo_text_extents_t te;
  cairo_set_font_size(measure_cr, size);
  cairo_text_extents(measure_cr, text, &te);
  return cairo_status(measure_cr) == CAIRO_STATUS_SUCCESS ? te.x_advance
                                                          : 0.6 * size * (double)strlen(text);
}

double canvas_fit_width(double w, double x, double size, const char* text) {
  return fmax(w, x + canvas_text_width(size, text) + 20);
}

void canvas_fit(double size, const char* text, double width, char* buf, size_t n) {
  snprintf(buf, n, "%s", text);
  size_t len = strlen(buf);
  while (len > 0 && canvas_text_width(size, buf) > width) {
    do len--;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80);
    snprintf(buf, n, "%.*s...", (int)len, text);
  }
}

void canvas_tick_label(double t, double step, char* buf, size_t n) {
  int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
  if (fabs(t) < 0.5 * step * 1e-6) t = 0;  // no "-0"
  snprintf(buf, n, "%.*f", dec, t);
}

int canvas_ticks(double lo, double hi, double length, double size, double gap, double* ticks,
                 int max, double* step) {
  if (!(hi > lo) || max < 2 || !(length > 0)) {
    ticks[0] = lo, *step = 0;
    return 1;
  }
  static const double m[3] = {1, 2, 5};
  double              base = pow(10, floor(log10((hi - lo) / max)) - 1);
  for (int k = 0; k < 60; k++) {
    double st = m[k % 3] * base * pow(10, k / 3);
    double first = ceil(lo / st - 1e-9) * st;
    int    n = (int)floor((hi - first) / st + 1e-9) + 1;
    if (n > max) continue;
    if (n < 2 && k > 0) break;  // nothing else fits: the ends of the range
    // neighbouring labels (centred on their ticks) apart by at least gap
    int fits = 1;
    for (int i = 0; i + 1 < n && fits; i++) {
      char a[64], b[64];
      canvas_tick_label(first + i * st, st, a, sizeof a);
      canvas_tick_label(first + (i + 1) * st, st, b, sizeof b);
      double apart = st / (hi - lo) * length;
      fits = apart >= 0.5 * (canvas_text_width(size, a) + canvas_text_width(size, b)) + gap;
    }
    if (!fits) continue;
    for (int i = 0; i < n; i++) ticks[i] = first + i * st;
    *step = st;
    return n;
  }
  ticks[0] = lo, ticks[1] = hi, *step = hi - lo;
  return 2;
}

// viridis (the perceptually uniform map that readers with a colour-vision deficiency can read,
// van der Walt & Smith for matplotlib), at t = 0, 1/8, ..., 1
static const unsigned char VIRIDIS[9][3] = {{68, 1, 84},    {71, 45, 123},  {59, 82, 139},
                                            {44, 114, 142}, {33, 145, 140}, {40, 174, 128},
                                            {94, 201, 98},  {173, 220, 48}, {253, 231, 37}};

void canvas_load_colour(double value, double limit, char* buf) {
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
