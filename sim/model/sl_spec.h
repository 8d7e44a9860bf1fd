// sl_spec.h: internal interface of the model spec (files -> merged tree + tables + texts).
#ifndef SL_SPEC_H
#define SL_SPEC_H

#include "sl_csv.h"
#include "sl_yaml.h"
#include "spineload.h"

// The general constructor: a file named name (its text in buf, or read through the resolver if
// buf is NULL) whose relative references resolve against the directory of from. Flags: with
// SL_SPEC_STRICT_BASE a relative `base:` is an error ("needs a directory"); with
// SL_SPEC_NO_TABLES no tables are read (a file that is not a model, e.g. a position file).
enum { SL_SPEC_STRICT_BASE = 1, SL_SPEC_NO_TABLES = 2 };
slStatus sl_spec_make(slModelSpec** spec, const char* name, const char* buf, size_t len,
                      const char* from, int flags, slResolver res, void* ctx, slError* err);
// The merged tree (edit it with sl_spec_set, or with sly_set for non-model files).
slyDoc*        sl_spec_doc(slModelSpec* spec);
const slyNode* sl_spec_root(const slModelSpec* spec);
// Files 0 .. sl_spec_nchain() - 1 of sl_spec_file are the model file and its bases.
int sl_spec_nchain(const slModelSpec* spec);
// The table named by `muscles.table` (k = 0) or `muscles.points` (k = 1) as the tree names it
// now: SL_OK with *csv, or the error that reading or parsing it gave (in *err). *path is the
// name the resolver gave it.
slStatus sl_spec_table(const slModelSpec* spec, int k, const slCsv** csv, const char** path,
                       slError* err);
// A file named rel by the tree node at, resolved as the resolver would (relative to the file the
// node comes from; as given for nodes of overrides).
void sl_spec_join(const slModelSpec* spec, const slyNode* at, const char* rel, char* path,
                  size_t n);

#endif
