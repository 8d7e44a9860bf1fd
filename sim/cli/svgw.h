// svgw.h: a small SVG writer for the pictures of `spineload draw` and `spineload report`.
// Coordinates are in SVG user units (y down). The file is written to a temporary name and
// renamed by svgw_close (sl_atomic_open, sl_atomic_commit), so a failed picture never replaces an
// existing file.
#ifndef SL_SVGW_H
#define SL_SVGW_H

#include <stdio.h>

#include "spineload.h"

typedef struct Svgw {
  FILE*   f;
  char    path[1024];
  char    tmp[1100];
  slError err;  // why svgw_open or svgw_close failed (SL_ERR_IO: cannot create; SL_ERR_WRITE)
} Svgw;

// open path for a picture of w x h units; 0 or -1 (see s->err)
int svgw_open(Svgw* s, const char* path, double w, double h);
// finish and rename into place (the temporary is removed on failure); 0 or -1 (see s->err)
int svgw_close(Svgw* s);

void svgw_line(Svgw* s, double x0, double y0, double x1, double y1, const char* colour,
               double width, double opacity);
void svgw_circle(Svgw* s, double x, double y, double r, const char* fill, const char* stroke);
// an unfilled circle
void svgw_ring(Svgw* s, double x, double y, double r, const char* colour, double width,
               double opacity);
// a polyline through n points xy (x0, y0, x1, y1, ...)
void svgw_polyline(Svgw* s, const double* xy, int n, const char* colour, double width,
                   double opacity);
void svgw_rect(Svgw* s, double x, double y, double w, double h, const char* fill,
               const char* stroke);
// text anchored at start, middle or end; escapes &, <, >
void svgw_text(Svgw* s, double x, double y, double size, const char* anchor, const char* colour,
               const char* text);
// an arrow from (x0, y0) to the tip (x1, y1)
void svgw_arrow(Svgw* s, double x0, double y0, double x1, double y1, const char* colour,
                double width);
void svgw_dashed(Svgw* s, double x0, double y0, double x1, double y1, const char* colour);

// colour for a load: green (0) through yellow to red (at limit), dark red beyond; buf >= 8
void svgw_load_colour(double value, double limit, char* buf);

#endif
