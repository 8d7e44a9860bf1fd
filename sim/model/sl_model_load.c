// sl_model_load.c: read a model file with its `base:` chain, apply overrides, compile.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_io.h"
#include "sl_model.h"

#define MAX_BASE_DEPTH 8

// files read so far by load_chain (per thread: the model loader may run on several threads)
static _Thread_local char chain_files[1024];

static void note_file(const char* path) {
  sl_strcat(chain_files, sizeof chain_files, ";", path);
}

static slStatus load_chain(slyDoc** out, const char* path, const char* buf, size_t len,
                           const char* dir, int depth, slError* err) {
  slyDoc*  doc = NULL;
  slStatus st = buf ? sly_parse(&doc, buf, len, path, err) : sly_load(&doc, path, err);
  if (st != SL_OK) return st;
  note_file(path);
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
  if (buf && !dir && b->str[0] != '/') {
    sly_free(doc);
    return sl_fail(err, SL_ERR_ARG, where, "'base' needs a directory to resolve '%s'", b->str);
  }
  if (buf && dir) {
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s/x", dir);
    sl_path_join_dir(tmp, b->str, bpath, sizeof bpath);
  } else {
    sl_path_join_dir(path, b->str, bpath, sizeof bpath);
  }
  slyDoc* base = NULL;
  st = load_chain(&base, bpath, NULL, 0, NULL, depth + 1, err);
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

slStatus sl_model_tree(slyDoc** doc, const char* path, const char* buf, size_t len, const char* dir,
                       const slOverride* ov, int nov, slError* err) {
  *doc = NULL;
  chain_files[0] = '\0';
  slStatus st = load_chain(doc, path, buf, len, dir, 0, err);
  if (st != SL_OK) return st;
  for (int i = 0; i < nov; i++) {
    // `body.` is the user-facing name of the model's `subject:` section
    char        alias[512];
    const char* opath = ov[i].path;
    if (!strncmp(opath, "body.", 5)) {
      snprintf(alias, sizeof alias, "subject.%s", opath + 5);
      opath = alias;
    }
    st = sly_set(*doc, opath, ov[i].value, err);

    if (st != SL_OK) {
      sly_free(*doc);
      *doc = NULL;
      return st;
    }
  }
  return SL_OK;
}

static slStatus compile_first_error(slModel** m, slyDoc* doc, const char* bufname,
                                    const char* bufdir, slError* err) {
  slError items[1];
  slDiag  dg = {items, 0, 1, 0};
  char    files[1024];
  snprintf(files, sizeof files, "%s", chain_files);
  slStatus st = sl_model_compile(m, sly_root(doc), bufname, bufdir, &dg);
  if (st == SL_OK) {
    // model chain first, then the tables the compiler read
    char tables[sizeof(*m)->files];
    memcpy(tables, (*m)->files, sizeof tables);
    (*m)->files[0] = '\0';
    sl_strcat((*m)->files, sizeof(*m)->files, ";", files);
    sl_strcat((*m)->files, sizeof(*m)->files, ";", tables);
  }
  if (st != SL_OK && err) {
    *err = items[0];
    if (dg.n - dg.nwarn > 1) {
      size_t k = strlen(err->msg);
      snprintf(err->msg + k, sizeof err->msg - k,
               " (and %d more problems; run 'spineload model check')", dg.n - dg.nwarn - 1);
    }
  }
  return st;
}

slStatus sl_model_load(slModel** m, const char* path, const slOverride* ov, int nov, slError* err) {
  *m = NULL;
  slyDoc*  doc = NULL;
  slStatus st = sl_model_tree(&doc, path, NULL, 0, NULL, ov, nov, err);
  if (st != SL_OK) return st;
  st = compile_first_error(m, doc, NULL, NULL, err);
  sly_free(doc);
  return st;
}

slStatus sl_model_parse(slModel** m, const char* buf, size_t len, const char* fname,
                        const char* dir, const slOverride* ov, int nov, slError* err) {
  *m = NULL;
  slyDoc*  doc = NULL;
  slStatus st = sl_model_tree(&doc, fname, buf, len, dir, ov, nov, err);
  if (st != SL_OK) return st;
  st = compile_first_error(m, doc, fname, dir, err);
  sly_free(doc);
  return st;
}

slStatus sl_model_check(const char* path, const slOverride* ov, int nov, slDiag* dg) {
  slyDoc*  doc = NULL;
  slError  e;
  slStatus st = sl_model_tree(&doc, path, NULL, 0, NULL, ov, nov, &e);
  if (st != SL_OK) {
    sl_diag_add(dg, st, e.where, "%s", e.msg);
    return st;
  }
  slModel* m = NULL;
  st = sl_model_compile(&m, sly_root(doc), NULL, NULL, dg);
  sl_model_free(m);
  sly_free(doc);
  return st;
}
