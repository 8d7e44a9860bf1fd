// sl_yaml.c: YAML -> located document tree (the only file that includes <yaml.h>).
//
// The tree is built from libyaml's event stream with an explicit stack (no recursion on input),
// nesting is limited to SLY_MAX_DEPTH, and alias expansion to SLY_MAX_COPY nodes, so any input
// is safe. All nodes, arrays and strings live in an arena owned by the document.
#include "sl_yaml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sl_io.h"

#define SLY_MAX_DEPTH 64         // nested mappings/sequences
#define SLY_MAX_COPY  (1 << 18)  // nodes created by alias expansion in one document
#define SLY_MAX_PATH  64         // elements of a dotted path
#define SLY_CHUNK     (32 * 1024)

// ---- arena --------------------------------------------------------------------------------------
typedef struct Chunk {
  struct Chunk* next;
  size_t        cap, used;
  max_align_t   data[];
} Chunk;

// A node as allocated; the public part comes first so slyNode* and Node* convert both ways.
typedef struct Node {
  slyNode      pub;
  const char** key_file;  // SLY_MAP: file of each key, or NULL when every key is in pub.file
} Node;

typedef struct FileName {
  struct FileName* next;
  const char*      name;
} FileName;

struct slyDoc {
  Chunk*    chunks;
  Node*     root;
  FileName* files;  // interned file names
};

static void* arena_alloc(slyDoc* d, size_t n) {
  const size_t a = alignof(max_align_t);
  if (n > SIZE_MAX / 2) return NULL;
  n = n ? (n + a - 1) / a * a : a;
  Chunk* c = d->chunks;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > SLY_CHUNK / 4 ? n : SLY_CHUNK;
    Chunk* nc = malloc(sizeof(Chunk) + cap);
    if (!nc) return NULL;
    nc->cap = cap;
    nc->used = 0;
    if (c && cap == n) {  // a big block: keep the current chunk's free space in front
      nc->next = c->next;
      c->next = nc;
    } else {
      nc->next = c;
      d->chunks = nc;
    }
    c = nc;
  }
  void* p = (char*)c->data + c->used;
  c->used += n;
  return p;
}

static void* arena_array(slyDoc* d, size_t count, size_t size) {
  if (count == 0) return NULL;
  if (count > SIZE_MAX / 4 / size) return NULL;
  return arena_alloc(d, count * size);
}

static char* arena_strdup(slyDoc* d, const char* s, size_t n) {
  char* p = arena_alloc(d, n + 1);
  if (!p) return NULL;
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static const char* intern_file(slyDoc* d, const char* name) {
  if (!name) name = "<input>";
  for (FileName* f = d->files; f; f = f->next)
    if (strcmp(f->name, name) == 0) return f->name;
  FileName* f = arena_alloc(d, sizeof *f);
  char*     s = f ? arena_strdup(d, name, strlen(name)) : NULL;
  if (!s) return NULL;
  f->name = s;
  f->next = d->files;
  d->files = f;
  return s;
}

static Node* new_node(slyDoc* d, slyKind kind, const char* file, int line, int col) {
  Node* n = arena_alloc(d, sizeof *n);
  if (!n) return NULL;
  memset(n, 0, sizeof *n);
  n->pub.kind = kind;
  n->pub.file = file;
  n->pub.line = line;
  n->pub.col = col;
  return n;
}

static const char* key_file_of(const slyNode* map, int k) {
  const Node* m = (const Node*)map;
  return m->key_file && m->key_file[k] ? m->key_file[k] : map->file;
}

// ---- messages -----------------------------------------------------------------------------------
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static slStatus
failf(slError* err, slStatus code, const char* file, int line, int col, const char* fmt, ...) {
  if (!err) return code;
  char    w[512], msg[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sl_where(w, sizeof w, file, line, col);
  return sl_fail(err, code, w, "%s", msg);
}

slStatus sly_fail(slError* err, slStatus code, const slyNode* at, const char* fmt, ...) {
  if (!err) return code;
  char    w[512], msg[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sly_where(at, w, sizeof w);
  return sl_fail(err, code, w, "%s", msg);
}

static const char* kind_name(slyKind k) {
  switch (k) {
    case SLY_NULL:
      return "empty (null)";
    case SLY_SCALAR:
      return "a scalar";
    case SLY_SEQ:
      return "a list";
    case SLY_MAP:
      return "a mapping";
  }
  return "unknown";
}

static int to_int(size_t v) {
  return v >= (size_t)INT_MAX ? INT_MAX : (int)v;
}

// ---- copying ------------------------------------------------------------------------------------
typedef struct Copy {
  slyDoc* doc;
  long    budget;  // nodes that may still be created (alias expansion); < 0 for no limit
  int     nomem, toomany, toodeep;
} Copy;

static Node* copy_node(Copy* c, const slyNode* src, int depth) {
  if (depth > 4 * SLY_MAX_DEPTH) {
    c->toodeep = 1;
    return NULL;
  }
  if (c->budget >= 0 && c->budget-- == 0) {
    c->toomany = 1;
    return NULL;
  }
  slyDoc*     d = c->doc;
  const char* file = intern_file(d, src->file);
  Node*       n = file ? new_node(d, src->kind, file, src->line, src->col) : NULL;
  if (!n) goto nomem;
  n->pub.quoted = src->quoted;
  if (src->kind == SLY_SCALAR) {
    const char* s = src->str ? src->str : "";
    if (!(n->pub.str = arena_strdup(d, s, strlen(s)))) goto nomem;
    return n;
  }
  if (src->kind != SLY_SEQ && src->kind != SLY_MAP) return n;
  int cnt = src->n > 0 ? src->n : 0;
  n->pub.n = cnt;
  if (!cnt) return n;
  if (!(n->pub.item = arena_array(d, (size_t)cnt, sizeof(slyNode*)))) goto nomem;
  if (src->kind == SLY_MAP) {
    n->pub.key = arena_array(d, (size_t)cnt, sizeof(char*));
    n->pub.key_line = arena_array(d, (size_t)cnt, sizeof(int));
    n->pub.key_col = arena_array(d, (size_t)cnt, sizeof(int));
    if (!n->pub.key || !n->pub.key_line || !n->pub.key_col) goto nomem;
    if (((const Node*)src)->key_file && !(n->key_file = arena_array(d, (size_t)cnt, sizeof(char*))))
      goto nomem;
  }
  for (int i = 0; i < cnt; i++) {
    Node* it = copy_node(c, src->item[i], depth + 1);
    if (!it) return NULL;
    n->pub.item[i] = &it->pub;
    if (src->kind == SLY_MAP) {
      if (!(n->pub.key[i] = arena_strdup(d, src->key[i], strlen(src->key[i])))) goto nomem;
      n->pub.key_line[i] = src->key_line[i];
      n->pub.key_col[i] = src->key_col[i];
      if (n->key_file && !(n->key_file[i] = intern_file(d, key_file_of(src, i)))) goto nomem;
    }
  }
  return n;
nomem:
  c->nomem = 1;
  return NULL;
}

static int tree_height(const slyNode* n, int depth) {
  if (!n || (n->kind != SLY_SEQ && n->kind != SLY_MAP)) return 0;
  if (depth > 4 * SLY_MAX_DEPTH) return depth;
  int h = 0;
  for (int i = 0; i < n->n; i++) {
    int hi = tree_height(n->item[i], depth + 1);
    if (hi > h) h = hi;
  }
  return h + 1;
}

// ---- parsing ------------------------------------------------------------------------------------
typedef struct Frame {
  Node*        node;
  const char*  anchor;  // registered when the node is complete
  int          have_key;
  const char*  key;
  int          kline, kcol;
  int          n, cap;
  slyNode**    item;
  const char** keys;
  int*         kl;
  int*         kc;
} Frame;

typedef struct Anchor {
  const char*    name;
  const slyNode* node;
} Anchor;

typedef struct Parser {
  slyDoc*     doc;
  const char* file;  // interned
  const char* buf;
  size_t      len;
  Frame       frame[SLY_MAX_DEPTH];
  int         depth;
  Anchor*     anchor;
  int         nanchor, capanchor;
  long        copied;
  slError*    err;
} Parser;

static slStatus nomem(Parser* p) {
  return sl_fail(p->err, SL_ERR_NOMEM, p->file, "out of memory parsing YAML");
}

static int grow(void** ptr, int* cap, int need, size_t size) {
  if (need <= *cap) return 1;
  if (need > INT_MAX / 2) return 0;
  int nc = *cap ? *cap : 8;
  while (nc < need) nc *= 2;
  void* q = realloc(*ptr, (size_t)nc * size);
  if (!q) return 0;
  *ptr = q;
  *cap = nc;
  return 1;
}

static int frame_grow(Frame* f) {
  if (f->n < f->cap) return 1;
  int cap = f->cap;
  if (!grow((void**)&f->item, &cap, f->n + 1, sizeof(slyNode*))) return 0;
  int c2 = f->cap, c3 = f->cap, c4 = f->cap;
  if (!grow((void**)&f->keys, &c2, cap, sizeof(char*))) return 0;
  if (!grow((void**)&f->kl, &c3, cap, sizeof(int))) return 0;
  if (!grow((void**)&f->kc, &c4, cap, sizeof(int))) return 0;
  f->cap = cap;
  return 1;
}

static const slyNode* find_anchor(Parser* p, const char* name) {
  for (int i = p->nanchor - 1; i >= 0; i--)
    if (strcmp(p->anchor[i].name, name) == 0) return p->anchor[i].node;
  return NULL;
}

static slStatus add_anchor(Parser* p, const char* name, const slyNode* node) {
  if (!name) return SL_OK;
  if (!grow((void**)&p->anchor, &p->capanchor, p->nanchor + 1, sizeof(Anchor))) return nomem(p);
  p->anchor[p->nanchor].name = name;
  p->anchor[p->nanchor].node = node;
  p->nanchor++;
  return SL_OK;
}

static const char* dup_yaml_str(Parser* p, const yaml_char_t* s) {
  if (!s) return NULL;
  return arena_strdup(p->doc, (const char*)s, strlen((const char*)s));
}

// a complete node (not a key) for the innermost open container, or the document root
static slStatus add_value(Parser* p, Node* v) {
  if (p->depth == 0) {
    p->doc->root = v;
    return SL_OK;
  }
  Frame* f = &p->frame[p->depth - 1];
  if (!frame_grow(f)) return nomem(p);
  f->item[f->n] = &v->pub;
  if (f->node->pub.kind == SLY_MAP) {
    f->keys[f->n] = f->key;
    f->kl[f->n] = f->kline;
    f->kc[f->n] = f->kcol;
    f->have_key = 0;
  }
  f->n++;
  return SL_OK;
}

static int want_key(const Parser* p) {
  if (p->depth == 0) return 0;
  const Frame* f = &p->frame[p->depth - 1];
  return f->node->pub.kind == SLY_MAP && !f->have_key;
}

static void set_key(Parser* p, const char* key, int line, int col) {
  Frame* f = &p->frame[p->depth - 1];
  f->key = key;
  f->kline = line;
  f->kcol = col;
  f->have_key = 1;
}

static int is_null_text(const char* s) {
  return !s[0] || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
         strcmp(s, "NULL") == 0;
}

static slStatus on_scalar(Parser* p, const yaml_event_t* ev) {
  int         line = to_int(ev->start_mark.line) + 1, col = to_int(ev->start_mark.column) + 1;
  const char* s = arena_strdup(p->doc, (const char*)ev->data.scalar.value, ev->data.scalar.length);
  const char* anchor = dup_yaml_str(p, ev->data.scalar.anchor);
  if (!s || (ev->data.scalar.anchor && !anchor)) return nomem(p);
  const char* tag = (const char*)ev->data.scalar.tag;
  int         plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  int         null =
      (plain && !tag && is_null_text(s)) || (tag && strcmp(tag, "tag:yaml.org,2002:null") == 0);
  if (want_key(p)) {
    set_key(p, s, line, col);
    if (anchor) {  // an anchored key: keep it as a scalar node for aliases
      Node* k = new_node(p->doc, SLY_SCALAR, p->file, line, col);
      if (!k) return nomem(p);
      k->pub.str = s;
      k->pub.quoted = !plain;
      return add_anchor(p, anchor, &k->pub);
    }
    return SL_OK;
  }
  Node* n = new_node(p->doc, null ? SLY_NULL : SLY_SCALAR, p->file, line, col);
  if (!n) return nomem(p);
  if (!null) {
    n->pub.str = s;
    n->pub.quoted = !plain;  // quoted or block scalar: explicitly a string in the source
  }
  slStatus st = add_anchor(p, anchor, &n->pub);
  return st != SL_OK ? st : add_value(p, n);
}

static slStatus on_alias(Parser* p, const yaml_event_t* ev) {
  int         line = to_int(ev->start_mark.line) + 1, col = to_int(ev->start_mark.column) + 1;
  const char* name = (const char*)ev->data.alias.anchor;
  for (int i = 0; i < p->depth; i++)
    if (p->frame[i].anchor && strcmp(p->frame[i].anchor, name) == 0)
      return failf(p->err, SL_ERR_PARSE, p->file, line, col,
                   "alias '*%.200s' refers to a node that contains it (recursive data is not "
                   "supported)",
                   name);
  const slyNode* a = find_anchor(p, name);
  if (!a) return failf(p->err, SL_ERR_PARSE, p->file, line, col, "undefined alias '*%.200s'", name);
  if (want_key(p)) {
    if (a->kind != SLY_SCALAR)
      return failf(p->err, SL_ERR_PARSE, p->file, line, col,
                   "alias '*%.200s' used as a mapping key must name a scalar", name);
    set_key(p, a->str, line, col);
    return SL_OK;
  }
  if (p->depth + tree_height(a, 0) > SLY_MAX_DEPTH)
    return failf(p->err, SL_ERR_PARSE, p->file, line, col,
                 "nesting deeper than %d levels (through alias '*%.200s')", SLY_MAX_DEPTH, name);
  Copy  c = {p->doc, SLY_MAX_COPY - p->copied, 0, 0, 0};
  Node* n = copy_node(&c, a, 0);
  if (!n) {
    if (c.nomem) return nomem(p);
    return failf(p->err, SL_ERR_PARSE, p->file, line, col, "aliases expand to more than %d nodes",
                 SLY_MAX_COPY);
  }
  p->copied = SLY_MAX_COPY - c.budget;
  n->pub.line = line;  // the copy is located where it is used
  n->pub.col = col;
  return add_value(p, n);
}

static slStatus on_start(Parser* p, const yaml_event_t* ev, slyKind kind) {
  int line = to_int(ev->start_mark.line) + 1, col = to_int(ev->start_mark.column) + 1;
  if (want_key(p))
    return failf(p->err, SL_ERR_PARSE, p->file, line, col, "a mapping key must be a scalar, not %s",
                 kind_name(kind));
  if (p->depth >= SLY_MAX_DEPTH)
    return failf(p->err, SL_ERR_PARSE, p->file, line, col, "nesting deeper than %d levels",
                 SLY_MAX_DEPTH);
  const yaml_char_t* an =
      kind == SLY_MAP ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
  Node*       n = new_node(p->doc, kind, p->file, line, col);
  const char* anchor = dup_yaml_str(p, an);
  if (!n || (an && !anchor)) return nomem(p);
  Frame* f = &p->frame[p->depth++];
  f->node = n;
  f->anchor = anchor;
  f->have_key = 0;
  f->n = 0;
  return SL_OK;
}

typedef struct KeyIdx {
  const char* key;
  int         idx;
} KeyIdx;

static int keyidx_cmp(const void* a, const void* b) {
  const KeyIdx *x = a, *y = b;
  int           c = strcmp(x->key, y->key);
  return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

// first key (in document order) that repeats an earlier key: its index, and the earlier one's
static int find_duplicate(const char* const* keys, int n, int* first, int* nomem_flag) {
  *nomem_flag = 0;
  if (n < 2) return -1;
  KeyIdx* v = malloc((size_t)n * sizeof *v);
  if (!v) {
    *nomem_flag = 1;
    return -1;
  }
  for (int i = 0; i < n; i++) v[i] = (KeyIdx){keys[i], i};
  qsort(v, (size_t)n, sizeof *v, keyidx_cmp);
  int dup = -1, start = 0;
  for (int i = 1; i < n; i++) {
    if (strcmp(v[i].key, v[start].key) != 0) {
      start = i;
    } else if (i == start + 1 && (dup < 0 || v[i].idx < dup)) {
      dup = v[i].idx;  // the second of a run (sorted by position) is its first repetition
      *first = v[start].idx;
    }
  }
  free(v);
  return dup;
}

static slStatus on_end(Parser* p) {
  Frame* f = &p->frame[p->depth - 1];
  Node*  n = f->node;
  if (n->pub.kind == SLY_MAP) {
    int first = -1, oom = 0;
    int dup = find_duplicate(f->keys, f->n, &first, &oom);
    if (oom) return nomem(p);
    if (dup >= 0)
      return failf(p->err, SL_ERR_PARSE, p->file, f->kl[dup], f->kc[dup],
                   "duplicate key '%.200s' (first defined at line %d, column %d)", f->keys[dup],
                   f->kl[first], f->kc[first]);
  }
  n->pub.n = f->n;
  if (f->n) {
    slyDoc* d = p->doc;
    size_t  cnt = (size_t)f->n;
    if (!(n->pub.item = arena_array(d, cnt, sizeof(slyNode*)))) return nomem(p);
    memcpy(n->pub.item, f->item, cnt * sizeof(slyNode*));
    if (n->pub.kind == SLY_MAP) {
      n->pub.key = arena_array(d, cnt, sizeof(char*));
      n->pub.key_line = arena_array(d, cnt, sizeof(int));
      n->pub.key_col = arena_array(d, cnt, sizeof(int));
      if (!n->pub.key || !n->pub.key_line || !n->pub.key_col) return nomem(p);
      memcpy(n->pub.key, f->keys, cnt * sizeof(char*));
      memcpy(n->pub.key_line, f->kl, cnt * sizeof(int));
      memcpy(n->pub.key_col, f->kc, cnt * sizeof(int));
    }
  }
  const char* anchor = f->anchor;
  p->depth--;
  slStatus st = add_anchor(p, anchor, &n->pub);
  return st != SL_OK ? st : add_value(p, n);
}

static void offset_to_pos(const char* buf, size_t len, size_t off, int* line, int* col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (buf[i] == '\n') {
      l++;
      c = 1;
    } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

static slStatus libyaml_error(Parser* p, const yaml_parser_t* yp) {
  if (yp->error == YAML_MEMORY_ERROR) return nomem(p);
  const char* problem = yp->problem ? yp->problem : "invalid YAML";
  int         line, col;
  if (yp->error == YAML_READER_ERROR) {
    offset_to_pos(p->buf, p->len, yp->problem_offset, &line, &col);
    return failf(p->err, SL_ERR_PARSE, p->file, line, col, "%s", problem);
  }
  line = to_int(yp->problem_mark.line) + 1;
  col = to_int(yp->problem_mark.column) + 1;
  if (yp->context)
    return failf(p->err, SL_ERR_PARSE, p->file, line, col, "%s (%s started at line %d, column %d)",
                 problem, yp->context, to_int(yp->context_mark.line) + 1,
                 to_int(yp->context_mark.column) + 1);
  return failf(p->err, SL_ERR_PARSE, p->file, line, col, "%s", problem);
}

static slStatus run_parser(Parser* p, yaml_parser_t* yp) {
  int ndoc = 0;
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(yp, &ev)) return libyaml_error(p, yp);
    slStatus st = SL_OK;
    int      done = 0;
    switch (ev.type) {
      case YAML_STREAM_END_EVENT:
        done = 1;
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (++ndoc > 1)
          st = failf(p->err, SL_ERR_PARSE, p->file, to_int(ev.start_mark.line) + 1,
                     to_int(ev.start_mark.column) + 1,
                     "more than one document in the stream (only one is allowed)");
        break;
      case YAML_SCALAR_EVENT:
        st = on_scalar(p, &ev);
        break;
      case YAML_ALIAS_EVENT:
        st = on_alias(p, &ev);
        break;
      case YAML_SEQUENCE_START_EVENT:
        st = on_start(p, &ev, SLY_SEQ);
        break;
      case YAML_MAPPING_START_EVENT:
        st = on_start(p, &ev, SLY_MAP);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (p->depth > 0) st = on_end(p);
        break;
      default:
        break;
    }
    yaml_event_delete(&ev);
    if (st != SL_OK) return st;
    if (done) return SL_OK;
  }
}

slStatus sly_parse(slyDoc** doc, const char* buf, size_t len, const char* fname, slError* err) {
  if (!doc) return sl_fail(err, SL_ERR_ARG, fname, "sly_parse: no output document");
  *doc = NULL;
  if (!buf && len) return sl_fail(err, SL_ERR_ARG, fname, "sly_parse: no input buffer");
  slyDoc* d = calloc(1, sizeof *d);
  if (!d) return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory parsing YAML");
  Parser p;
  memset(&p, 0, sizeof p);
  p.doc = d;
  p.buf = buf ? buf : "";
  p.len = len;
  p.err = err;
  p.file = intern_file(d, fname);
  if (!p.file) {
    sly_free(d);
    return sl_fail(err, SL_ERR_NOMEM, fname, "out of memory parsing YAML");
  }
  yaml_parser_t yp;
  slStatus      st;
  if (!yaml_parser_initialize(&yp)) {
    st = nomem(&p);
  } else {
    yaml_parser_set_input_string(&yp, (const unsigned char*)p.buf, len);
    st = run_parser(&p, &yp);
    yaml_parser_delete(&yp);
  }
  for (int i = 0; i < SLY_MAX_DEPTH; i++) {
    free(p.frame[i].item);
    free(p.frame[i].keys);
    free(p.frame[i].kl);
    free(p.frame[i].kc);
  }
  free(p.anchor);
  if (st == SL_OK && !d->root && !(d->root = new_node(d, SLY_NULL, p.file, 1, 1))) st = nomem(&p);
  if (st != SL_OK) {
    sly_free(d);
    return st;
  }
  *doc = d;
  return SL_OK;
}

slStatus sly_load(slyDoc** doc, const char* path, slError* err) {
  if (doc) *doc = NULL;
  if (!path) return sl_fail(err, SL_ERR_ARG, NULL, "sly_load: no file name");
  char*    buf = NULL;
  size_t   len = 0;
  slStatus st = sl_read_file(path, &buf, &len, err);
  if (st != SL_OK) return st;
  st = sly_parse(doc, buf, len, path, err);
  sl_free_buf(buf);
  return st;
}

void sly_free(slyDoc* doc) {
  if (!doc) return;
  Chunk* c = doc->chunks;
  while (c) {
    Chunk* next = c->next;
    free(c);
    c = next;
  }
  free(doc);
}

slyNode* sly_root(slyDoc* doc) {
  return doc && doc->root ? &doc->root->pub : NULL;
}

// ---- lookup -------------------------------------------------------------------------------------
int sly_find(const slyNode* map, const char* key) {
  if (!map || map->kind != SLY_MAP || !key) return -1;
  for (int i = 0; i < map->n; i++)
    if (strcmp(map->key[i], key) == 0) return i;
  return -1;
}

const slyNode* sly_get(const slyNode* map, const char* key) {
  int i = sly_find(map, key);
  return i < 0 ? NULL : map->item[i];
}

void sly_where(const slyNode* node, char* buf, int n) {
  if (!buf || n <= 0) return;
  if (!node) {
    buf[0] = '\0';
    return;
  }
  sl_where(buf, n, node->file, node->line, node->col);
}

void sly_key_where(const slyNode* map, int k, char* buf, int n) {
  if (!buf || n <= 0) return;
  if (!map || map->kind != SLY_MAP || k < 0 || k >= map->n) {
    sly_where(map, buf, n);
    return;
  }
  sl_where(buf, n, key_file_of(map, k), map->key_line[k], map->key_col[k]);
}

static void join_list(char* buf, size_t cap, const char* const* list) {
  buf[0] = '\0';
  for (int i = 0; list && list[i]; i++) sl_strcat(buf, cap, ", ", list[i]);
}

slStatus sly_check_keys(const slyNode* map, const char* const* allowed, const char* ctx,
                        slError* err) {
  if (!ctx) ctx = "mapping";
  if (!map || map->kind == SLY_NULL) return SL_OK;
  if (map->kind != SLY_MAP)
    return sly_fail(err, SL_ERR_TYPE, map, "%.200s must be a mapping, not %s", ctx,
                    kind_name(map->kind));
  for (int i = 0; i < map->n; i++) {
    int ok = 0;
    for (int j = 0; allowed && allowed[j] && !ok; j++) ok = strcmp(map->key[i], allowed[j]) == 0;
    if (ok) continue;
    char list[400], w[512];
    join_list(list, sizeof list, allowed);
    sly_key_where(map, i, w, sizeof w);
    return sl_fail(err, SL_ERR_KEY, w, "unknown key '%.200s' in %.200s (allowed keys: %s)",
                   map->key[i], ctx, list[0] ? list : "none");
  }
  return SL_OK;
}

slStatus sly_expect(const slyNode* node, slyKind kind, const char* what, slError* err) {
  if (!what) what = "value";
  if (!node) return sl_fail(err, SL_ERR_KEY, NULL, "%.300s is missing", what);
  if (node->kind == kind) return SL_OK;
  if (node->kind == SLY_SCALAR)
    return sly_fail(err, SL_ERR_TYPE, node, "%.300s must be %s, not a scalar ('%.100s')", what,
                    kind_name(kind), node->str);
  return sly_fail(err, SL_ERR_TYPE, node, "%.300s must be %s, not %s", what, kind_name(kind),
                  kind_name(node->kind));
}

// ---- typed getters ------------------------------------------------------------------------------
static int lower_eq(const char* s, const char* lit) {  // ASCII case-insensitive s == lit
  for (; *s && *lit; s++, lit++) {
    char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
    if (c != *lit) return 0;
  }
  return *s == *lit;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

// 0: a finite number; 1: not a number; 2: a number that is not finite (nan, inf, overflow)
static int parse_num(const char* s, double* v) {
  const char* t = s;
  if (*t == '+' || *t == '-') t++;
  const char* word = *t == '.' ? t + 1 : t;
  if (lower_eq(word, "nan") || lower_eq(word, "inf") || lower_eq(word, "infinity")) return 2;
  int digits = 0;
  while (is_digit(*t)) t++, digits++;
  if (*t == '.') {
    t++;
    while (is_digit(*t)) t++, digits++;
  }
  if (!digits) return 1;
  if (*t == 'e' || *t == 'E') {
    t++;
    if (*t == '+' || *t == '-') t++;
    if (!is_digit(*t)) return 1;
    while (is_digit(*t)) t++;
  }
  if (*t) return 1;
  char* end = NULL;
  errno = 0;
  double x = strtod(s, &end);
  if (end != t) return 1;  // e.g. a locale with another decimal separator
  if (!isfinite(x)) return 2;
  *v = x;
  return 0;
}

int sly_text_num(const char* s, double* v) {
  return s ? parse_num(s, v) : 1;
}

int sly_text_int(const char* s, long* v) {
  if (!s) return 1;
  const char* t = s + (*s == '+' || *s == '-');
  if (!is_digit(*t)) return 1;
  while (is_digit(*t)) t++;
  if (*t) return 1;
  errno = 0;
  char* end = NULL;
  long  x = strtol(s, &end, 10);
  if (errno == ERANGE) return 2;
  *v = x;
  return 0;
}

int sly_text_bool(const char* s, int* v) {
  if (!s) return 1;
  if (lower_eq(s, "true") || lower_eq(s, "yes") || lower_eq(s, "on"))
    *v = 1;
  else if (lower_eq(s, "false") || lower_eq(s, "no") || lower_eq(s, "off"))
    *v = 0;
  else
    return 1;
  return 0;
}

const char* sly_kind_name(slyKind k) {
  return kind_name(k);
}

static void unit_sfx(char* buf, size_t n, const char* unit) {
  snprintf(buf, n, "%s%.40s", unit && unit[0] ? " " : "", unit ? unit : "");
}

// What a number is, for its error message only (nothing is formatted while numbers read fine):
// `what` itself, or "key 'KEY'", or "item ITEM of key 'KEY'" (item > 0).
typedef struct NumWhat {
  const char* what;
  const char* key;
  int         item;
} NumWhat;

static const char* num_what(const NumWhat* nw, char* buf, size_t n) {
  if (!nw->key) return nw->what;
  if (nw->item > 0)
    snprintf(buf, n, "item %d of key '%.200s'", nw->item, nw->key);
  else
    snprintf(buf, n, "key '%.200s'", nw->key);
  return buf;
}

static slStatus node_num(const slyNode* node, const NumWhat* nw, double lo, double hi,
                         const char* unit, double* out, slError* err) {
  char        wb[256], u[48];
  const char* what;
  if (!node) {
    what = num_what(nw, wb, sizeof wb);
    return sl_fail(err, SL_ERR_ARG, NULL, "%.300s: no value", what);
  }
  if (node->kind != SLY_SCALAR) {
    what = num_what(nw, wb, sizeof wb);
    return sly_fail(err, SL_ERR_TYPE, node, "%.300s must be a number, not %s", what,
                    kind_name(node->kind));
  }
  double v = 0;
  int    bad = parse_num(node->str, &v);
  if (bad == 0 && v >= lo && v <= hi) {
    if (out) *out = v;
    return SL_OK;
  }
  what = num_what(nw, wb, sizeof wb);
  unit_sfx(u, sizeof u, unit);
  if (bad == 1)
    return sly_fail(err, SL_ERR_TYPE, node, "%.300s must be a number, got '%.100s'", what,
                    node->str);
  if (bad == 2)
    return sly_fail(err, SL_ERR_RANGE, node,
                    "%.300s = %.100s is not a finite number (allowed range [%g, %g]%s)", what,
                    node->str, lo, hi, u);
  return sly_fail(err, SL_ERR_RANGE, node,
                  "%.300s = %.100s is outside the allowed range [%g, %g]%s", what, node->str, lo,
                  hi, u);
}

slStatus sly_node_num(const slyNode* node, const char* what, double lo, double hi, const char* unit,
                      double* out, slError* err) {
  NumWhat nw = {what ? what : "value", NULL, 0};
  return node_num(node, &nw, lo, hi, unit, out, err);
}

// the value of map[key]; NULL (and SL_OK) when absent and optional
static slStatus value_of(const slyNode* map, const char* key, int required, const slyNode** v,
                         slError* err) {
  *v = key ? sly_get(map, key) : NULL;
  if (*v || !required) return SL_OK;
  if (map && map->kind != SLY_MAP && map->kind != SLY_NULL)
    return sly_fail(err, SL_ERR_KEY, map,
                    "missing key '%.200s' (the value here is %s, not a mapping)", key ? key : "",
                    kind_name(map->kind));
  return sly_fail(err, SL_ERR_KEY, map, "missing key '%.200s'", key ? key : "");
}

slStatus sly_num(const slyNode* map, const char* key, int required, double lo, double hi,
                 const char* unit, double* out, slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  NumWhat nw = {NULL, key, 0};
  return node_num(v, &nw, lo, hi, unit, out, err);
}

slStatus sly_int(const slyNode* map, const char* key, int required, long lo, long hi, long* out,
                 slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  if (v->kind != SLY_SCALAR)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be an integer, not %s", key,
                    kind_name(v->kind));
  const char* s = v->str;
  const char* t = s + (*s == '+' || *s == '-');
  if (!is_digit(*t))
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be an integer, got '%.100s'", key, s);
  while (is_digit(*t)) t++;
  if (*t)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be an integer, got '%.100s'", key, s);
  errno = 0;
  char* end = NULL;
  long  x = strtol(s, &end, 10);
  if (errno == ERANGE || x < lo || x > hi)
    return sly_fail(err, SL_ERR_RANGE, v,
                    "key '%.200s' = %.100s is outside the allowed range [%ld, %ld]", key, s, lo,
                    hi);
  if (out) *out = x;
  return SL_OK;
}

slStatus sly_bool(const slyNode* map, const char* key, int required, int* out, slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  if (v->kind != SLY_SCALAR)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be true or false, not %s", key,
                    kind_name(v->kind));
  const char* s = v->str;
  int         b;
  if (lower_eq(s, "true") || lower_eq(s, "yes") || lower_eq(s, "on"))
    b = 1;
  else if (lower_eq(s, "false") || lower_eq(s, "no") || lower_eq(s, "off"))
    b = 0;
  else
    return sly_fail(err, SL_ERR_TYPE, v,
                    "key '%.200s' must be true or false (or yes/no, on/off), got '%.100s'", key, s);
  if (out) *out = b;
  return SL_OK;
}

slStatus sly_str(const slyNode* map, const char* key, int required, const char** out,
                 slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  if (v->kind != SLY_SCALAR)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be a string, not %s", key,
                    kind_name(v->kind));
  if (out) *out = v->str;
  return SL_OK;
}

slStatus sly_enum(const slyNode* map, const char* key, int required, const char* const* choices,
                  int* out, slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  char list[400];
  join_list(list, sizeof list, choices);
  if (v->kind != SLY_SCALAR)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be one of: %s; not %s", key, list,
                    kind_name(v->kind));
  for (int i = 0; choices && choices[i]; i++) {
    if (strcmp(v->str, choices[i]) == 0) {
      if (out) *out = i;
      return SL_OK;
    }
  }
  return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' = '%.100s' is not one of: %s", key, v->str,
                  list);
}

slStatus sly_vec(const slyNode* map, const char* key, int required, int n, double lo, double hi,
                 const char* unit, double* out, slError* err) {
  const slyNode* v;
  slStatus       st = value_of(map, key, required, &v, err);
  if (st != SL_OK || !v) return st;
  if (n <= 0) return sl_fail(err, SL_ERR_ARG, NULL, "sly_vec: bad length %d", n);
  const char* nums = n == 1 ? "number" : "numbers";
  if (v->kind != SLY_SEQ) {
    // a --set value is one scalar: say how to set a list's items
    int set = v->file && !strncmp(v->file, "--set ", 6);
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be a list of %d %s, not %s%s%.200s%s",
                    key, n, nums, kind_name(v->kind),
                    set ? " (--set gives one value: set the items one by one, " : "",
                    set ? v->file + 6 : "", set ? ".0=..., .1=..., ...)" : "");
  }
  if (v->n != n)
    return sly_fail(err, SL_ERR_TYPE, v, "key '%.200s' must be a list of %d %s, got %d", key, n,
                    nums, v->n);
  for (int pass = 0; pass < 2; pass++) {  // check everything before writing anything
    for (int i = 0; i < n; i++) {
      NumWhat nw = {NULL, key, i + 1};
      st = node_num(v->item[i], &nw, lo, hi, unit, pass && out ? &out[i] : NULL, err);
      if (st != SL_OK) return st;
    }
  }
  return SL_OK;
}

// ---- paths --------------------------------------------------------------------------------------
typedef struct Path {
  int   n;
  char  buf[1024];
  char* el[SLY_MAX_PATH];
} Path;

// 0 ok, 1 too long, 2 empty element, 3 too many elements
static int split_path(const char* path, Path* p) {
  size_t len = strlen(path);
  if (len >= sizeof p->buf) return 1;
  memcpy(p->buf, path, len + 1);
  p->n = 0;
  char* s = p->buf;
  for (;;) {
    if (p->n == SLY_MAX_PATH) return 3;
    p->el[p->n++] = s;
    char* dot = strchr(s, '.');
    if (dot) *dot = '\0';
    if (!*s) return 2;
    if (!dot) return 0;
    s = dot + 1;
  }
}

// the item of a sequence selected by index or by its `name:` value, or -1
static int seq_select(const slyNode* seq, const char* el) {
  int digits = 1;
  for (const char* c = el; *c; c++) digits &= is_digit(*c);
  if (digits && strlen(el) < 10) {
    long i = strtol(el, NULL, 10);
    if (i < seq->n) return (int)i;
  }
  for (int i = 0; i < seq->n; i++) {
    const slyNode* nm = sly_get(seq->item[i], "name");
    if (nm && nm->kind == SLY_SCALAR && strcmp(nm->str, el) == 0) return i;
  }
  return -1;
}

const slyNode* sly_path(const slyNode* root, const char* path) {
  if (!root || !path) return NULL;
  if (!path[0]) return root;
  Path p;
  if (split_path(path, &p) != 0) return NULL;
  const slyNode* cur = root;
  for (int i = 0; i < p.n && cur; i++) {
    if (cur->kind == SLY_MAP) {
      cur = sly_get(cur, p.el[i]);
    } else if (cur->kind == SLY_SEQ) {
      int k = seq_select(cur, p.el[i]);
      cur = k < 0 ? NULL : cur->item[k];
    } else {
      cur = NULL;
    }
  }
  return cur;
}

// grow a mapping by one key (arrays are reallocated in the arena)
static int map_append(slyDoc* d, Node* m, const char* key, const char* kfile, Node* v) {
  int          n = m->pub.n;
  size_t       cnt = (size_t)n + 1;
  slyNode**    item = arena_array(d, cnt, sizeof *item);
  const char** keys = arena_array(d, cnt, sizeof *keys);
  int*         kl = arena_array(d, cnt, sizeof *kl);
  int*         kc = arena_array(d, cnt, sizeof *kc);
  const char** kf = arena_array(d, cnt, sizeof *kf);
  char*        k = arena_strdup(d, key, strlen(key));
  if (!item || !keys || !kl || !kc || !kf || !k) return 0;
  for (int i = 0; i < n; i++) {
    item[i] = m->pub.item[i];
    keys[i] = m->pub.key[i];
    kl[i] = m->pub.key_line[i];
    kc[i] = m->pub.key_col[i];
    kf[i] = key_file_of(&m->pub, i);
  }
  item[n] = &v->pub;
  keys[n] = k;
  kl[n] = 0;
  kc[n] = 0;
  kf[n] = kfile;
  m->pub.item = item;
  m->pub.key = keys;
  m->pub.key_line = kl;
  m->pub.key_col = kc;
  m->key_file = kf;
  m->pub.n = n + 1;
  return 1;
}

static void path_prefix(const Path* p, int upto, char* buf, size_t n) {
  buf[0] = '\0';
  for (int i = 0; i < upto; i++) sl_strcat(buf, n, ".", p->el[i]);
}

// walk (dry == 1: only check) or edit
static slStatus set_walk(slyDoc* d, const Path* p, const char* path, const char* value,
                         const char* sfile, int line, int col, int dry, slError* err) {
  Node* cur = d->root;
  for (int i = 0; i < p->n; i++) {
    const char* el = p->el[i];
    int         last = i == p->n - 1;
    char        pre[1024];
    path_prefix(p, i, pre, sizeof pre);
    if (cur->pub.kind == SLY_NULL) {
      if (dry) return SL_OK;  // from here on everything is created
      cur->pub.kind = SLY_MAP;
      cur->pub.n = 0;
    }
    if (cur->pub.kind == SLY_SCALAR) {
      if (!i)
        return sl_fail(err, SL_ERR_KEY, path, "cannot set '%.300s': the document is a scalar",
                       path);
      return sl_fail(err, SL_ERR_KEY, path, "cannot set '%.300s': '%.300s' is a scalar", path, pre);
    }
    Node** slot = NULL;
    if (cur->pub.kind == SLY_SEQ) {
      int k = seq_select(&cur->pub, el);
      if (k < 0)
        return sl_fail(err, SL_ERR_KEY, path,
                       "cannot set '%.300s': '%.300s' is a list with no item '%.200s' (give an "
                       "index from 0 to %d or an item's name)",
                       path, i ? pre : "the document", el, cur->pub.n - 1);
      slot = (Node**)&cur->pub.item[k];
    } else {
      int k = sly_find(&cur->pub, el);
      if (k >= 0) {
        slot = (Node**)&cur->pub.item[k];
      } else {
        if (dry) return SL_OK;
        Node* v = new_node(d, last ? SLY_SCALAR : SLY_MAP, sfile, line, col);
        if (!v || !map_append(d, cur, el, sfile, v)) goto nomem;
        slot = (Node**)&cur->pub.item[cur->pub.n - 1];
      }
    }
    if (last) {
      if (dry) return SL_OK;
      Node* v = new_node(d, SLY_SCALAR, sfile, line, col);
      if (!v || !(v->pub.str = arena_strdup(d, value, strlen(value)))) goto nomem;
      *slot = v;
      return SL_OK;
    }
    cur = *slot;
  }
  return SL_OK;
nomem:
  return sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
}

slStatus sly_set(slyDoc* doc, const char* path, const char* value, slError* err) {
  return sly_set_at(doc, path, value, NULL, 0, 0, err);
}

slStatus sly_set_at(slyDoc* doc, const char* path, const char* value, const char* file, int line,
                    int col, slError* err) {
  if (!doc || !doc->root || !path || !value)
    return sl_fail(err, SL_ERR_ARG, path, "sly_set: missing document, path or value");
  Path p;
  switch (split_path(path, &p)) {
    case 1:
      return sl_fail(err, SL_ERR_KEY, "--set", "cannot set '%.100s...': path too long", path);
    case 2:
      return sl_fail(err, SL_ERR_KEY, path, "cannot set '%.300s': empty element in the path", path);
    case 3:
      return sl_fail(err, SL_ERR_KEY, path, "cannot set '%.300s': more than %d path elements", path,
                     SLY_MAX_PATH);
    default:
      break;
  }
  char sfile[1100];
  snprintf(sfile, sizeof sfile, "--set %s", path);
  slStatus st = set_walk(doc, &p, path, value, NULL, 0, 0, 1, err);
  if (st != SL_OK) return st;
  const char* f = intern_file(doc, file ? file : sfile);
  if (!f) return sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
  return set_walk(doc, &p, path, value, f, file ? line : 0, file ? col : 0, 0, err);
}

// ---- merging ------------------------------------------------------------------------------------
// merge src (already a copy in d) into dst
static int merge_into(slyDoc* d, Node* dst, Node* src) {
  if (dst->pub.kind != SLY_MAP || src->pub.kind != SLY_MAP) {
    *dst = *src;
    return 1;
  }
  int extra = 0;
  for (int k = 0; k < src->pub.n; k++) extra += sly_find(&dst->pub, src->pub.key[k]) < 0;
  int    n = dst->pub.n;
  size_t cnt = (size_t)n + (size_t)extra;
  if (!cnt) return 1;
  slyNode**    item = arena_array(d, cnt, sizeof *item);
  const char** keys = arena_array(d, cnt, sizeof *keys);
  int*         kl = arena_array(d, cnt, sizeof *kl);
  int*         kc = arena_array(d, cnt, sizeof *kc);
  const char** kf = arena_array(d, cnt, sizeof *kf);
  if (!item || !keys || !kl || !kc || !kf) return 0;
  for (int i = 0; i < n; i++) {
    item[i] = dst->pub.item[i];
    keys[i] = dst->pub.key[i];
    kl[i] = dst->pub.key_line[i];
    kc[i] = dst->pub.key_col[i];
    kf[i] = key_file_of(&dst->pub, i);
  }
  int m = n;
  for (int k = 0; k < src->pub.n; k++) {
    int   i = sly_find(&dst->pub, src->pub.key[k]);
    Node* sv = (Node*)src->pub.item[k];
    if (i >= 0 && item[i]->kind == SLY_MAP && sv->pub.kind == SLY_MAP) {
      if (!merge_into(d, (Node*)item[i], sv)) return 0;
      continue;
    }
    if (i < 0) {
      i = m++;
      keys[i] = src->pub.key[k];
    }
    item[i] = &sv->pub;
    kl[i] = src->pub.key_line[k];
    kc[i] = src->pub.key_col[k];
    kf[i] = key_file_of(&src->pub, k);
  }
  dst->pub.item = item;
  dst->pub.key = keys;
  dst->pub.key_line = kl;
  dst->pub.key_col = kc;
  dst->key_file = kf;
  dst->pub.n = m;
  return 1;
}

slStatus sly_merge(slyDoc* base, slyNode* base_node, const slyNode* overlay, slError* err) {
  if (!base || !base_node) return sl_fail(err, SL_ERR_ARG, NULL, "sly_merge: no base node");
  if (!overlay) return SL_OK;
  // copy first: overlay may even be part of base_node's tree
  Copy  c = {base, -1, 0, 0, 0};
  Node* snap = copy_node(&c, overlay, 0);
  if (!snap) {
    if (c.toodeep)
      return sly_fail(err, SL_ERR_PARSE, overlay, "nesting deeper than %d levels",
                      4 * SLY_MAX_DEPTH);
    return sl_fail(err, SL_ERR_NOMEM, overlay->file, "out of memory merging YAML");
  }
  if (!merge_into(base, (Node*)base_node, snap))
    return sl_fail(err, SL_ERR_NOMEM, overlay->file, "out of memory merging YAML");
  return SL_OK;
}
