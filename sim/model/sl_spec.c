// sl_spec.c: the model spec, a model file parsed but not compiled. Every file (the model, its
// `base:` chain, the CSV tables it names) comes through the resolver once; the spec keeps the
// merged tree, the parsed tables and the texts, so that compiling and provenance read nothing.
#include "sl_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"

#define MAX_BASE_DEPTH 8

typedef struct SpecFile {
  char*  name;  // as in messages (the node file name of its nodes)
  char*  from;  // where its relative references resolve (NULL: nowhere)
  char*  text;
  size_t len;
} SpecFile;

typedef struct SpecTable {
  int      state;  // 0: none asked for, 1: resolved (st says how it went)
  char*    from;   // the request: relative to this file ...
  char*    rel;    // ... this name
  char     path[1024];
  slCsv*   csv;
  char*    text;
  slStatus st;
  slError  err;
} SpecTable;

struct slModelSpec {
  slyDoc*    doc;
  SpecFile*  file;
  int        nfile, capfile;
  SpecFile*  virt;  // files made in memory: the tables of an imported OpenSim base
  int        nvirt, capvirt;
  SpecTable  tab[2];
  slResolver res;
  void*      ctx;
  int        flags;
};

static const char* const TABLE_KEYS[2] = {"table", "points"};

static char* dup(const char* s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char*  d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static int same(const char* a, const char* b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

slStatus sl_resolve_disk(void* ctx, const char* from, const char* name, char* path, size_t n,
                         char** text, size_t* len, slError* err) {
  (void)ctx;
  sl_path_join_dir(from, name, path, (int)n);
  return sl_read_file(path, text, len, err);
}

// resolve through the spec's resolver; the path starts out as the name
static slStatus resolve(slModelSpec* s, const char* from, const char* name, char* path, size_t n,
                        char** text, size_t* len, slError* err) {
  snprintf(path, n, "%s", name);
  *text = NULL;
  *len = 0;
  if (s->nvirt) {
    char joined[2048];
    sl_path_join_dir(from, name, joined, (int)sizeof joined);
    for (int i = 0; i < s->nvirt; i++)
      if (!strcmp(s->virt[i].name, joined)) {
        snprintf(path, n, "%.1000s", joined);
        *text = dup(s->virt[i].text);
        *len = s->virt[i].len;
        return *text ? SL_OK : sl_fail(err, SL_ERR_NOMEM, joined, "out of memory");
      }
  }
  slStatus st = s->res(s->ctx, from, name, path, n, text, len, err);
  if (st != SL_OK) {
    free(*text);
    *text = NULL;
  } else if (!*text) {
    st = sl_fail(err, SL_ERR_IO, path, "the resolver returned no text");
  }
  return st;
}

// keep a file read (takes text)
static slStatus add_file(slModelSpec* s, const char* name, const char* from, char* text, size_t len,
                         slError* err) {
  if (s->nfile == s->capfile) {
    int       cap = s->capfile ? 2 * s->capfile : 4;
    SpecFile* f = realloc(s->file, (size_t)cap * sizeof *f);
    if (!f) {
      free(text);
      return sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
    }
    s->file = f;
    s->capfile = cap;
  }
  SpecFile* f = &s->file[s->nfile];
  f->name = dup(name);
  f->from = dup(from);
  f->text = text;
  f->len = len;
  if (!f->name || (from && !f->from)) {
    free(f->name);
    free(f->from);
    free(text);
    return sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
  }
  s->nfile++;
  return SL_OK;
}

// where relative names in nodes of file `file` resolve (NULL: as given)
static const char* from_of(const slModelSpec* s, const char* file) {
  for (int i = 0; file && i < s->nfile; i++)
    if (!strcmp(s->file[i].name, file)) return s->file[i].from;
  return NULL;
}

// a base named *.osim is an OpenSim model, imported in memory (README "OpenSim models")
static int is_osim(const char* name) {
  size_t n = strlen(name);
  return n > 5 && !strcmp(name + n - 5, ".osim");
}

static slStatus add_virtual(slModelSpec* s, const char* name, const char* text, slError* err) {
  if (s->nvirt == s->capvirt) {
    int       cap = s->capvirt ? 2 * s->capvirt : 4;
    SpecFile* v = realloc(s->virt, (size_t)cap * sizeof *v);
    if (!v) return sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
    s->virt = v;
    s->capvirt = cap;
  }
  SpecFile* f = &s->virt[s->nvirt];
  memset(f, 0, sizeof *f);
  f->name = dup(name);
  f->text = dup(text);
  f->len = text ? strlen(text) : 0;
  if (!f->name || !f->text) {
    free(f->name);
    free(f->text);
    return sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
  }
  s->nvirt++;
  return SL_OK;
}

// *text (the .osim file at path) -> the imported model's YAML, its tables kept in memory as
// "<path>#muscles.csv" and "<path>#muscle_points.csv". The kinds to omit are the referring
// file's `base_omit:` list.
static slStatus osim_base(slModelSpec* s, const slyNode* root, const char* path, char** text,
                          size_t* len, slError* err) {
  unsigned       omit = 0;
  const slyNode* om = sly_get(root, "base_omit");
  char           list[256] = "", where[512];
  if (om) {
    slStatus st = SL_OK;
    sly_where(om, where, sizeof where);
    if (om->kind != SLY_SEQ) st = sl_fail(err, SL_ERR_TYPE, where, "'base_omit' must be a list");
    for (int i = 0; st == SL_OK && i < om->n; i++) {
      if (om->item[i]->kind != SLY_SCALAR)
        st = sl_fail(err, SL_ERR_TYPE, where, "'base_omit' must be a list of names");
      else
        sl_strcat(list, sizeof list, ",", om->item[i]->str);
    }
    if (st == SL_OK) st = sl_osim_omit_parse(list, &omit, err);
    if (st != SL_OK) {
      if (err && st == SL_ERR_ARG) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "base_omit: %.700s", err->msg);
        sl_fail(err, st, where, "%s", msg);
      }
      free(*text);
      *text = NULL;
      *len = 0;
      return st;
    }
  }
  slOsimFiles f;
  slStatus    st = sl_osim_convert(*text, *len, path, omit, &f, err);
  free(*text);
  *text = NULL;
  *len = 0;
  if (st != SL_OK) return st;
  const char*              leaf = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  char                     vname[2100], tname[1100];
  static const char* const tabs[2] = {"muscles.csv", "muscle_points.csv"};
  const char*              texts[2] = {f.muscles_csv, f.points_csv};
  for (int k = 0; k < 2 && st == SL_OK; k++) {
    if (!texts[k]) continue;
    snprintf(vname, sizeof vname, "%s#%s", path, tabs[k]);
    st = add_virtual(s, vname, texts[k], err);
  }
  // the YAML names its tables by their virtual names, relative to the .osim file
  size_t cap = strlen(f.model_yaml) + 4 * strlen(leaf) + 64;
  char*  y = st == SL_OK ? malloc(cap) : NULL;
  if (st == SL_OK && !y) st = sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
  if (y) {
    size_t n = 0;
    for (const char* p = f.model_yaml; *p;) {
      const char* hit = NULL;
      int         k = 0;
      for (; k < 2; k++)
        if (!strncmp(p, tabs[k], strlen(tabs[k])) && p > f.model_yaml && p[-1] == ' ') {
          hit = p;
          break;
        }
      if (hit) {
        snprintf(tname, sizeof tname, "%s#%s", leaf, tabs[k]);
        n += (size_t)snprintf(y + n, cap - n, "%s", tname);
        p += strlen(tabs[k]);
      } else {
        y[n++] = *p++;
      }
    }
    y[n] = '\0';
    *text = y;
    *len = n;
  }
  sl_osim_files_free(&f);
  return st;
}

// parse one file of the chain (text taken) and merge its bases under it
static slStatus chain(slModelSpec* s, slyDoc** out, const char* name, char* text, size_t len,
                      const char* from, int strict, int depth, slError* err) {
  slyDoc*  doc = NULL;
  slStatus st = sly_parse(&doc, text, len, name, err);
  if (st != SL_OK) {
    free(text);
    return st;
  }
  st = add_file(s, name, from, text, len, err);
  if (st != SL_OK) {
    sly_free(doc);
    return st;
  }
  slyNode*       root = sly_root(doc);
  const slyNode* b = root && root->kind == SLY_MAP ? sly_get(root, "base") : NULL;
  if (!b) {
    *out = doc;
    return SL_OK;
  }
  char where[512], bpath[1024];
  sly_where(b, where, sizeof where);
  if (b->kind != SLY_SCALAR) {
    sly_free(doc);
    return sl_fail(err, SL_ERR_TYPE, where, "'base' must be a file name");
  }
  if (depth >= MAX_BASE_DEPTH) {
    sly_free(doc);
    return sl_fail(err, SL_ERR_MODEL, where, "'base' chain deeper than %d files (a cycle?)",
                   MAX_BASE_DEPTH);
  }
  if (strict && b->str[0] != '/') {
    // the message first: b->str lives in doc
    st = sl_fail(err, SL_ERR_ARG, where, "'base' needs a directory to resolve '%s'", b->str);
    sly_free(doc);
    return st;
  }
  slyDoc* base = NULL;
  char*   btext = NULL;
  size_t  blen = 0;
  st = resolve(s, from, b->str, bpath, sizeof bpath, &btext, &blen, err);
  if (st == SL_OK && is_osim(b->str)) st = osim_base(s, root, bpath, &btext, &blen, err);
  if (st == SL_OK) st = chain(s, &base, bpath, btext, blen, bpath, 0, depth + 1, err);
  if (st != SL_OK) {
    // name the referring file when the base itself cannot be read
    if (st == SL_ERR_IO && err) {
      char msg[sizeof err->msg];
      snprintf(msg, sizeof msg, "base model '%.300s': %.400s", bpath, err->msg);
      sl_fail(err, st, where, "%s", msg);
    }
    sly_free(doc);
    return st;
  }
  st = sly_merge(base, sly_root(base), root, err);
  sly_free(doc);
  if (st != SL_OK) {
    sly_free(base);
    return st;
  }
  *out = base;
  return SL_OK;
}

static void clear_table(SpecTable* t) {
  free(t->from);
  free(t->rel);
  free(t->text);
  sl_csv_free(t->csv);
  memset(t, 0, sizeof *t);
}

// read the tables the tree names now, unless they are the ones read already
static slStatus refresh_tables(slModelSpec* s, slError* err) {
  if (s->flags & SL_SPEC_NO_TABLES) return SL_OK;
  const slyNode* root = sly_root(s->doc);
  const slyNode* mus = root && root->kind == SLY_MAP ? sly_get(root, "muscles") : NULL;
  for (int k = 0; k < 2; k++) {
    SpecTable*     t = &s->tab[k];
    const slyNode* at = mus && mus->kind == SLY_MAP ? sly_get(mus, TABLE_KEYS[k]) : NULL;
    if (!at || at->kind != SLY_SCALAR) {
      clear_table(t);
      continue;
    }
    const char* from = from_of(s, at->file);
    if (t->state && same(t->from, from) && same(t->rel, at->str)) continue;
    clear_table(t);
    t->state = 1;
    t->from = dup(from);
    t->rel = dup(at->str);
    if (!t->rel || (from && !t->from)) {
      clear_table(t);
      return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    }
    size_t len = 0;
    t->st = resolve(s, from, at->str, t->path, sizeof t->path, &t->text, &len, &t->err);
    if (t->st == SL_OK) t->st = sl_csv_parse(&t->csv, t->text, len, t->path, &t->err);
  }
  return SL_OK;
}

slStatus sl_spec_make(slModelSpec** out, const char* name, const char* buf, size_t len,
                      const char* from, int flags, slResolver res, void* ctx, slError* err) {
  *out = NULL;
  if (!name) return sl_fail(err, SL_ERR_ARG, NULL, "sl_spec_make: no file name");
  slModelSpec* s = calloc(1, sizeof *s);
  if (!s) return sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
  s->res = res ? res : sl_resolve_disk;
  s->ctx = ctx;
  s->flags = flags;
  char*    text = NULL;
  slStatus st = SL_OK;
  char     path[1024];
  if (buf) {
    text = malloc(len + 1);
    if (!text) st = sl_fail(err, SL_ERR_NOMEM, name, "out of memory");
    if (text) {
      memcpy(text, buf, len);
      text[len] = '\0';
    }
  } else {
    st = resolve(s, NULL, name, path, sizeof path, &text, &len, err);
    name = from = path;
  }
  if (st == SL_OK)
    st = chain(s, &s->doc, name, text, len, from, flags & SL_SPEC_STRICT_BASE, 0, err);
  if (st == SL_OK) st = refresh_tables(s, err);
  if (st != SL_OK) {
    sl_spec_free(s);
    return st;
  }
  *out = s;
  return SL_OK;
}

slStatus sl_spec_load(slModelSpec** spec, const char* path, slResolver res, void* ctx,
                      slError* err) {
  return sl_spec_make(spec, path, NULL, 0, NULL, 0, res, ctx, err);
}

slStatus sl_spec_parse(slModelSpec** spec, const char* buf, size_t len, const char* fname,
                       const char* dir, slResolver res, void* ctx, slError* err) {
  if (!buf && len) return sl_fail(err, SL_ERR_ARG, fname, "sl_spec_parse: no input buffer");
  if (!fname) fname = "<input>";
  // the buffer resolves as if it were a file in dir
  char        from[2048];
  const char* slash = strrchr(fname, '/');
  if (dir) snprintf(from, sizeof from, "%s/%s", dir, slash ? slash + 1 : fname);
  return sl_spec_make(spec, fname, buf ? buf : "", len, dir ? from : fname,
                      dir ? 0 : SL_SPEC_STRICT_BASE, res, ctx, err);
}

static slStatus spec_set_at(slModelSpec* s, const char* path, const char* value, const char* file,
                            int line, int col, slError* err) {
  // `body.` is the user-facing name of the model's `subject:` section
  char alias[512];
  if (!strncmp(path, "body.", 5)) {
    snprintf(alias, sizeof alias, "subject.%s", path + 5);
    path = alias;
  }
  slStatus st = sly_set_at(s->doc, path, value, file, line, col, err);
  if (st == SL_OK) st = refresh_tables(s, err);
  return st;
}

slStatus sl_spec_set(slModelSpec* s, const char* path, const char* value, slError* err) {
  return spec_set_at(s, path, value, NULL, 0, 0, err);
}

slStatus sl_spec_set_all(slModelSpec* s, const slOverride* ov, int nov, slError* err) {
  for (int i = 0; i < nov; i++) {
    slStatus st = spec_set_at(s, ov[i].path, ov[i].value, ov[i].file, ov[i].line, ov[i].col, err);
    if (st != SL_OK) return st;
  }
  return SL_OK;
}

void sl_spec_free(slModelSpec* s) {
  if (!s) return;
  sly_free(s->doc);
  for (int i = 0; i < s->nfile; i++) {
    free(s->file[i].name);
    free(s->file[i].from);
    free(s->file[i].text);
  }
  free(s->file);
  for (int i = 0; i < s->nvirt; i++) {
    free(s->virt[i].name);
    free(s->virt[i].text);
  }
  free(s->virt);
  for (int k = 0; k < 2; k++) clear_table(&s->tab[k]);
  free(s);
}

int sl_spec_nfiles(const slModelSpec* s) {
  int n = s->nfile;
  for (int k = 0; k < 2; k++) n += s->tab[k].state && s->tab[k].text;
  return n;
}

const char* sl_spec_file(const slModelSpec* s, int i, const char** text) {
  if (i >= 0 && i < s->nfile) {
    if (text) *text = s->file[i].text;
    return s->file[i].name;
  }
  i -= s->nfile;
  for (int k = 0; k < 2 && i >= 0; k++) {
    if (!(s->tab[k].state && s->tab[k].text)) continue;
    if (i-- == 0) {
      if (text) *text = s->tab[k].text;
      return s->tab[k].path;
    }
  }
  if (text) *text = NULL;
  return NULL;
}

int sl_spec_nchain(const slModelSpec* s) {
  return s->nfile;
}

slyDoc* sl_spec_doc(slModelSpec* s) {
  return s->doc;
}

const slyNode* sl_spec_root(const slModelSpec* s) {
  return sly_root(s->doc);
}

slStatus sl_spec_table(const slModelSpec* s, int k, const slCsv** csv, const char** path,
                       slError* err) {
  const SpecTable* t = &s->tab[k];
  *csv = NULL;
  *path = t->path;
  if (!t->state) return sl_fail(err, SL_ERR_KEY, "", "no table '%s' named", TABLE_KEYS[k]);
  if (t->st != SL_OK) {
    if (err) *err = t->err;
    return t->st;
  }
  *csv = t->csv;
  return SL_OK;
}

void sl_spec_join(const slModelSpec* s, const slyNode* at, const char* rel, char* path, size_t n) {
  sl_path_join_dir(from_of(s, at ? at->file : NULL), rel, path, (int)n);
}
