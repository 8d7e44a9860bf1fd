// html.c: the clinician's page of a ranking (cli_rank_html, cli.h): one self-contained HTML file
// (no network: styles inline, the drawings as inline SVG) made of the library's summary text
// (sl_rank_text: its markdown tables, paragraphs and lists turned into HTML) with each position's
// drawing (sl_rank_figure, from the ranking's own cycles, + cli_draw_figure_svg) in its row of the
// positions table.
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

// 1 if the n bytes at s hold word
static int contains(const char* s, size_t n, const char* word) {
  size_t w = strlen(word);
  for (size_t i = 0; i + w <= n; i++)
    if (!memcmp(s + i, word, w)) return 1;
  return 0;
}

// text with &, <, > and " escaped
static void esc(FILE* f, const char* s, size_t n) {
  for (size_t i = 0; i < n && s[i]; i++) switch (s[i]) {
      case '&':
        fputs("&amp;", f);
        break;
      case '<':
        fputs("&lt;", f);
        break;
      case '>':
        fputs("&gt;", f);
        break;
      case '"':
        fputs("&quot;", f);
        break;
      default:
        fputc(s[i], f);
    }
}

// the cells of a markdown table row "| a | b |" into cell (start, length), at most max
static int cells(const char* l, size_t n, const char** cell, size_t* len, int max) {
  int k = 0;
  for (size_t i = 1; i < n && k < max;) {
    while (i < n && l[i] == ' ') i++;
    size_t j = i;
    while (j < n && l[j] != '|') j++;
    if (j >= n) break;
    size_t e = j;
    while (e > i && l[e - 1] == ' ') e--;
    cell[k] = l + i, len[k++] = e - i;
    i = j + 1;
  }
  return k;
}

typedef struct Fig {
  char  title[128];
  char  partners[256];  // each partner's load index and peak L4/L5 compression
  char* svg;            // the <svg ...> element (cli_draw_figure_svg), its ids prefixed fN
} Fig;

static const char* STYLE =
    "body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
    "vertical-align:top;font-size:14px}th{background:#f2f2f2}tr:nth-child(even){background:#fafafa}"
    "td.fig svg{width:420px;height:auto}p.small{font-size:13px;color:#555}";

int cli_rank_html(const slRank* rk, const char* out, slError* e) {
  char* text = NULL;
  int   nfiles = sl_rank_npositions(rk);
  Fig*  fig = calloc((size_t)nfiles + 1, sizeof *fig);
  int   rc = 0;
  if (!fig) return sl_fail(e, SL_ERR_NOMEM, out, "out of memory"), -1;
  if (sl_rank_text(rk, SL_RANK_TEXT_SUMMARY, &text, e) != SL_OK) rc = -1;
  // every position's drawing, an SVG in memory (cairo draws its text as glyph outlines, shared
  // within a drawing by id: each drawing's ids get their own prefix)
  for (int i = 0; i < nfiles && !rc; i++) {
    slFigure* F = NULL;
    char      id[32];
    snprintf(id, sizeof id, "f%d", i);
    if (sl_rank_figure(rk, i, &F, e) != SL_OK || !(fig[i].svg = cli_draw_figure_svg(F, id, e))) {
      rc = -1;
    } else {
      snprintf(fig[i].title, sizeof fig[i].title, "%s", F->title);
      for (int k = 0; k < F->nrole; k++) {
        size_t at = strlen(fig[i].partners);
        snprintf(fig[i].partners + at, sizeof fig[i].partners - at, "%s%s: LI %.2f, L4/L5 %.0f N%s",
                 k ? "; " : "", F->role[k].name, F->role[k].load_index, F->role[k].peak_comp[1],
                 F->role[k].flagged ? " (flagged)" : "");
      }
    }
    sl_figure_free(F);
  }
  char  tmp[1200];
  FILE* f = rc ? NULL : sl_atomic_open(out, tmp, sizeof tmp, e);
  if (!rc && !f) rc = -1;
  if (!rc) {
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>spineload: position ranking</title><style>%s</style></head><body>\n"
            "<h1>Which positions load the lumbar spine least</h1>\n"
            "<p class=\"small\">spineload %s: every number below is computed by the model "
            "(README: Physics, Validation, Findings). Each drawing shows both partners at rest "
            "and at the extremes of the thrust, the discs coloured by peak compression, and "
            "both partners' loads in its caption.</p>\n",
            STYLE, sl_version());
    // the summary, line by line: tables, list items, headings, paragraphs
    const char* l = text;
    int         in_table = 0, header = 0, positions = 0, in_list = 0;
    while (*l) {
      const char* nl = strchr(l, '\n');
      size_t      n = nl ? (size_t)(nl - l) : strlen(l);
      if (n > 0 && l[0] == '|') {
        const char* c[32];
        size_t      cl[32];
        int         nc = cells(l, n, c, cl, 32);
        if (!in_table) {
          if (in_list) fputs("</ul>\n", f), in_list = 0;
          fputs("<table>\n", f);
          in_table = header = 1;
          positions = contains(l, n, "worse partner");
        }
        int sep = nc > 0 && cl[0] > 0 && c[0][0] == '-' &&
                  (cl[0] < 2 || c[0][1] == '-' || c[0][1] == ':');
        if (!sep && (nc < 1 || c[0][0] != ':' || cl[0] > 4)) {
          fputs("<tr>", f);
          for (int k = 0; k < nc; k++) {
            fputs(header ? "<th>" : "<td>", f);
            esc(f, c[k], cl[k]);
            fputs(header ? "</th>" : "</td>", f);
          }
          if (positions && header) fputs("<th>both partners</th><th>drawing</th>", f);
          if (positions && !header && nc > 1) {
            int at = -1;
            for (int i = 0; i < nfiles && at < 0; i++)
              if (strlen(fig[i].title) == cl[1] && !strncmp(fig[i].title, c[1], cl[1])) at = i;
            fputs("<td>", f);
            if (at >= 0) esc(f, fig[at].partners, sizeof fig[at].partners);
            fputs("</td><td class=\"fig\">", f);
            if (at >= 0) fputs(fig[at].svg, f);
            fputs("</td>", f);
          }
          fputs("</tr>\n", f);
          header = 0;
        }
      } else {
        if (in_table) fputs("</table>\n", f), in_table = 0, positions = 0;
        if (n >= 2 && (l[0] == '-' || l[0] == '*') && l[1] == ' ') {
          if (!in_list) fputs("<ul>\n", f), in_list = 1;
          fputs("<li>", f);
          esc(f, l + 2, n - 2);
          fputs("</li>\n", f);
        } else {
          if (in_list && n > 0) fputs("</ul>\n", f), in_list = 0;
          if (n > 3 && (!strncmp(l, "== ", 3) || !strncmp(l, "-- ", 3))) {
            fputs("<h2>", f);
            esc(f, l + 3, n - 3);
            fputs("</h2>\n", f);
          } else if (n > 0 && l[n - 1] == ':' && n < 200) {
            fputs("<h2>", f);
            esc(f, l, n - 1);
            fputs("</h2>\n", f);
          } else if (n > 0) {
            fputs("<p>", f);
            esc(f, l, n);
            fputs("</p>\n", f);
          }
        }
      }
      if (!nl) break;
      l = nl + 1;
    }
    if (in_table) fputs("</table>\n", f);
    if (in_list) fputs("</ul>\n", f);
    const char* checks = sl_rank_checks(rk);
    if (checks[0]) {
      fputs("<h2>Checks of the positions' geometry</h2>\n<ul>\n", f);
      for (const char *c = checks, *ce; *c; c = ce + 1) {
        if (!(ce = strchr(c, '\n'))) break;
        fputs("<li>", f);
        esc(f, c, (size_t)(ce - c));
        fputs("</li>\n", f);
      }
      fputs("</ul>\n", f);
    }
    fputs("</body></html>\n", f);
    if (sl_atomic_commit(f, tmp, out, e) != SL_OK) rc = -1;
  }
  for (int i = 0; i < nfiles; i++) free(fig[i].svg);
  free(fig);
  free(text);
  return rc;
}
