// sl_yaml.h: a located YAML document tree. The only module that talks to libyaml.
//
// Model, scenario, position and sweep files are parsed into this tree first; the loaders then
// walk it with the typed getters below, which report errors as "file:line:col" with the key and
// the allowed range. Overrides (--set a.b.c=value) and `base:` inheritance are edits of the tree,
// so every parameter reachable in a file can be overridden by path.
//
// Ownership: a document (slyDoc) owns all its nodes and strings; nodes are never freed alone.
// Anchors/aliases are resolved by copying (an alias node becomes a copy of the anchored node).
// Multiple documents in one stream, and non-scalar mapping keys, are parse errors.
// Plain (unquoted) empty, "~", "null", "Null" and "NULL" values are SLY_NULL nodes; `quoted` is 1
// for every non-plain scalar (single/double quoted, and | or > block scalars). Nesting deeper than
// 64 mappings/sequences, and aliases that expand to more than 2^18 nodes, are parse errors.
#ifndef SL_YAML_H
#define SL_YAML_H

#include <stddef.h>

#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum slyKind { SLY_NULL = 0, SLY_SCALAR, SLY_SEQ, SLY_MAP } slyKind;

typedef struct slyNode slyNode;
struct slyNode {
  slyKind      kind;
  int          line, col;  // 1-based position of the node's first character
  const char*  file;       // file name used in messages (owned by the document)
  const char*  str;        // SLY_SCALAR: the text (never NULL for scalars); NULL otherwise
  int          quoted;     // SLY_SCALAR: 1 if the scalar was quoted in the source
  int          n;          // SLY_SEQ / SLY_MAP: number of items / pairs
  slyNode**    item;       // SLY_SEQ: items; SLY_MAP: values (n)
  const char** key;        // SLY_MAP: keys (n), unique within a mapping (duplicates are an error)
  int*         key_line;   // SLY_MAP: position of each key (n)
  int*         key_col;    // SLY_MAP: (n)
};

typedef struct slyDoc slyDoc;

// Parse a buffer. fname is used in messages. On error returns SL_ERR_PARSE with "fname:line:col".
// An empty document yields a root of kind SLY_NULL.
slStatus sly_parse(slyDoc** doc, const char* buf, size_t len, const char* fname, slError* err);
// Read and parse a file (SL_ERR_IO if it cannot be read).
slStatus sly_load(slyDoc** doc, const char* path, slError* err);
void     sly_free(slyDoc* doc);  // NULL is fine
slyNode* sly_root(slyDoc* doc);

// --- lookup -----------------------------------------------------------------------------------
// value for key in a mapping, NULL if absent or if map is not a mapping
const slyNode* sly_get(const slyNode* map, const char* key);
// index of key in map, or -1
int sly_find(const slyNode* map, const char* key);
// Fail with SL_ERR_KEY at the offending key's position if map has a key not in allowed
// (a NULL-terminated list); the message names the key and lists the allowed keys.
// ctx names the mapping in messages (e.g. "segment 'pelvis'").
slStatus sly_check_keys(const slyNode* map, const char* const* allowed, const char* ctx,
                        slError* err);
// Fail with SL_ERR_TYPE unless node has the kind; what names the value ("key 'segments'").
slStatus sly_expect(const slyNode* node, slyKind kind, const char* what, slError* err);

// "file:line:col" of a node into buf ("" for NULL; just the file, e.g. "--set a.b", for nodes
// created by sly_set, which have line 0)
void sly_where(const slyNode* node, char* buf, int n);
// "file:line:col" of the k-th key of a mapping into buf. Use this rather than
// sl_where(map->file, map->key_line[k], map->key_col[k]): after sly_merge or sly_set a key can
// come from another file than the mapping itself (key_line/key_col are then lines of that file).
void sly_key_where(const slyNode* map, int k, char* buf, int n);
// Fail with code and a printf-style message located at node ("file:line:col: message").
slStatus sly_fail(slError* err, slStatus code, const slyNode* at, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

// --- typed getters ----------------------------------------------------------------------------
// All getters: if the key is absent and required == 0, *out is left untouched and SL_OK is
// returned; if absent and required != 0, SL_ERR_KEY at the map's position ("missing key 'k'").
// A value of the wrong kind or text gives SL_ERR_TYPE at the value's position; a number outside
// [lo, hi] gives SL_ERR_RANGE with "key 'k' = v is outside the allowed range [lo, hi] <unit>".
// Numbers must be finite: ".nan", "nan", "inf" are rejected with SL_ERR_RANGE.
// unit is a short label for messages ("kg", "deg"); may be "".
slStatus sly_num(const slyNode* map, const char* key, int required, double lo, double hi,
                 const char* unit, double* out, slError* err);
slStatus sly_int(const slyNode* map, const char* key, int required, long lo, long hi, long* out,
                 slError* err);
// booleans: true/false/yes/no/on/off (case-insensitive)
slStatus sly_bool(const slyNode* map, const char* key, int required, int* out, slError* err);
// *out points into the document (valid while the doc lives)
slStatus sly_str(const slyNode* map, const char* key, int required, const char** out, slError* err);
// one of choices (NULL-terminated); *out = index. Error lists the choices.
slStatus sly_enum(const slyNode* map, const char* key, int required, const char* const* choices,
                  int* out, slError* err);
// a sequence of exactly n numbers, each within [lo, hi]
slStatus sly_vec(const slyNode* map, const char* key, int required, int n, double lo, double hi,
                 const char* unit, double* out, slError* err);
// convert a scalar node itself (for sequence items); what names it in messages
slStatus sly_node_num(const slyNode* node, const char* what, double lo, double hi, const char* unit,
                      double* out, slError* err);

// The scalar readers of the getters above, on text (for values that do not come from a tree,
// such as --set): 0 ok; 1 not of the type; 2 a number that is not finite (sly_text_num) or an
// integer outside the range of long (sly_text_int). *v is untouched unless 0 is returned.
int         sly_text_num(const char* s, double* v);
int         sly_text_int(const char* s, long* v);
int         sly_text_bool(const char* s, int* v);
const char* sly_kind_name(slyKind k);  // "a scalar", "a list", "a mapping", "empty (null)"

// --- editing ----------------------------------------------------------------------------------
// Deep-merge overlay into base: mappings merge key by key (recursively), anything else replaces.
// Nodes are copied into base's document; overlay is not modified.
slStatus sly_merge(slyDoc* base, slyNode* base_node, const slyNode* overlay, slError* err);
// Set a scalar at a dotted path, creating mappings as needed. A path element that meets a
// sequence selects an item by its integer index or by the item's `name:` value.
// The value text is stored as a scalar (type checks happen in the loader).
// Errors: SL_ERR_KEY "cannot set 'a.b': 'a' is a scalar" and the like, where = path.
slStatus sly_set(slyDoc* doc, const char* path, const char* value, slError* err);
// The same, for a value written in a file (a `set:` entry): the nodes it makes carry that file,
// line and column, so later errors about the value point there (file NULL: as sly_set).
slStatus sly_set_at(slyDoc* doc, const char* path, const char* value, const char* file, int line,
                    int col, slError* err);
// Look up a dotted path with the same selection rules; NULL if absent.
const slyNode* sly_path(const slyNode* root, const char* path);

#ifdef __cplusplus
}
#endif
#endif
