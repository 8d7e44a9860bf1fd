// canvas.h: the drawing surface of the command's figures (`draw`, `report --plots`, `rank
// --uncertainty N --plots`, the drawings of the rank page), a thin layer over cairo so that one
// drawing code gives SVG, PDF and PNG, with text measured by cairo (real font metrics, not
// guessed widths). Coordinates are in user units (1 unit = 1 px of the SVG, 1 pt of the PDF, 2 px
// of the PNG), y down. A file is written to a temporary name and renamed by canvas_close
// (sl_atomic_open, sl_atomic_commit), so a failed figure never leaves a partial file nor replaces
// an existing one.
#ifndef SL_CANVAS_H
#define SL_CANVAS_H

#include <stddef.h>
#include <stdio.h>

#include "spineload.h"

typedef enum CanvasFormat { CANVAS_SVG, CANVAS_PDF, CANVAS_PNG } CanvasFormat;

#define CANVAS_PNG_SCALE 2.0  // PNG pixels per user unit

typedef struct Canvas {
  void*        surface;  // cairo_surface_t
  void*        cr;       // cairo_t
  CanvasFormat format;
  int          memory;  // 1: an SVG kept in memory (canvas_open_svg_memory)
  char         path[1024];
  double       w, h;
  char         title[256];
  char*        buf;     // the SVG bytes cairo wrote (SVG only), and after canvas_close of a memory
  size_t       n, cap;  // canvas the finished SVG element (canvas_take)
  char*        text;    // every text drawn, one a line (the SVG's <desc>)
  size_t       ntext, captext;
  int          oom;
  slError      err;  // why canvas_open or canvas_close failed
} Canvas;

// the format for a file name by its extension (.svg, .pdf, .png, any case); -1 if none of them
int canvas_format_of(const char* path);

// a figure of w x h units into path, its format from the extension; 0, or -1 with c->err
// (SL_ERR_ARG for an unknown extension)
int canvas_open(Canvas* c, const char* path, double w, double h);
// the same as SVG in memory (for the rank page): canvas_close, then canvas_take
int canvas_open_svg_memory(Canvas* c, double w, double h);
// the figure's title (the SVG's <title>, the PDF's metadata); call before canvas_close
void canvas_set_title(Canvas* c, const char* title);
// a figure's heading: its title (canvas_set_title, and drawn at x 20, baseline y, in size) and a
// subtitle below it (size 11, baseline 46)
void canvas_heading(Canvas* c, double size, double y, const char* title, const char* sub);
// finish: a file is renamed into place (removed on failure); 0, or -1 with c->err. The canvas is
// freed either way (but for the memory SVG, canvas_take)
int canvas_close(Canvas* c);
// the memory SVG after canvas_close: the <svg ...> element, malloc'd (the caller frees), its ids
// prefixed with id_prefix so that several can share one HTML page; NULL when out of memory
char* canvas_take(Canvas* c, const char* id_prefix);
// drop a canvas without writing anything (the temporary file is removed)
void canvas_abort(Canvas* c);

// colours are "#rrggbb" or "none"
void canvas_line(Canvas* c, double x0, double y0, double x1, double y1, const char* colour,
                 double width, double opacity);
// n separate line segments (x0, y0, x1, y1 each) stroked as one path (one SVG element)
void canvas_segments(Canvas* c, const double* xy, int n, const char* colour, double width,
                     double opacity);
void canvas_dashed(Canvas* c, double x0, double y0, double x1, double y1, const char* colour);
void canvas_circle(Canvas* c, double x, double y, double r, const char* fill, const char* stroke);
// an unfilled circle
void canvas_ring(Canvas* c, double x, double y, double r, const char* colour, double width,
                 double opacity);
// a polyline through n points xy (x0, y0, x1, y1, ...)
void canvas_polyline(Canvas* c, const double* xy, int n, const char* colour, double width,
                     double opacity);
void canvas_rect(Canvas* c, double x, double y, double w, double h, const char* fill,
                 const char* stroke);
// text (UTF-8) with its baseline at y, anchored at "start", "middle" or "end"
void canvas_text(Canvas* c, double x, double y, double size, const char* anchor, const char* colour,
                 const char* text);
// an arrow from (x0, y0) to the tip (x1, y1)
void canvas_arrow(Canvas* c, double x0, double y0, double x1, double y1, const char* colour,
                  double width);

// the advance width of text at a font size [units], measured by cairo with the font the canvas
// draws with (needs no open canvas)
double canvas_text_width(double size, const char* text);
// a page width of at least w that fits a line of text at x (measured) and a 20-unit right margin
double canvas_fit_width(double w, double x, double size, const char* text);

// text shortened (at a UTF-8 character, with "...") to fit width at font size, into buf
void canvas_fit(double size, const char* text, double width, char* buf, size_t n);

// "Nice" ticks of an axis from lo to hi drawn over length units, labelled at font size as
// canvas_tick_label writes them: the smallest step of 1, 2 or 5 x 10^k giving at most max ticks
// whose labels (measured) keep at least gap units between neighbours. ticks[0..n) from the first
// multiple of the step >= lo to the last <= hi; *step the step. Returns n (at least 2 where lo <
// hi: a step of the whole range if nothing else fits).
int canvas_ticks(double lo, double hi, double length, double size, double gap, double* ticks,
                 int max, double* step);

// the label of tick t of an axis with that step: as many decimals as the step needs
void canvas_tick_label(double t, double step, char* buf, size_t n);

// colour for a load on viridis (0 to the limit), dark red beyond; buf >= 8
void canvas_load_colour(double value, double limit, char* buf);

#endif
