// fuzz_yaml.c: parse arbitrary bytes as YAML, walk the tree with every getter, edit, free.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sl_yaml.h"

static const char* const CHOICES[] = {"male", "female", "a", "1", NULL};
static const char* const ALLOWED[] = {"name", "mass_kg", "a", "b", NULL};

static void walk(const slyNode* n, int depth) {
  slError     e;
  char        w[512];
  double      v[3];
  long        l;
  int         b, k;
  const char* s;
  if (!n || depth > 300) return;
  sly_where(n, w, sizeof w);
  sly_node_num(n, "item", -1e300, 1e300, "m", v, &e);
  sly_node_num(n, "item", 0, 1, "", v, NULL);
  for (int kind = SLY_NULL; kind <= SLY_MAP; kind++) sly_expect(n, (slyKind)kind, "node", &e);
  if (n->kind == SLY_MAP) {
    sly_check_keys(n, ALLOWED, "map", &e);
    sly_num(n, "missing", 1, 0, 1, "kg", v, &e);
    for (int i = 0; i < n->n; i++) {
      const char* key = n->key[i];
      sly_key_where(n, i, w, sizeof w);
      sly_num(n, key, 1, -10, 10, "kg", v, &e);
      sly_int(n, key, 1, -10, 10, &l, &e);
      sly_bool(n, key, 0, &b, &e);
      sly_str(n, key, 1, &s, &e);
      sly_enum(n, key, 1, CHOICES, &k, &e);
      sly_vec(n, key, 1, 3, -1e3, 1e3, "deg", v, &e);
      sly_find(n, key);
      walk(n->item[i], depth + 1);
    }
  } else if (n->kind == SLY_SEQ) {
    for (int i = 0; i < n->n; i++) walk(n->item[i], depth + 1);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* p, size_t n) {
  slyDoc* d = NULL;
  slError e;
  if (sly_parse(&d, (const char*)p, n, "fuzz.yaml", &e) != SL_OK) return 0;
  slyNode* r = sly_root(d);
  walk(r, 0);
  static const char* const paths[] = {"a.b", "0.name", "segments.pelvis.mass_kg", "a.1.c", "x"};
  for (int i = 0; i < 5; i++) {
    sly_path(r, paths[i]);
    sly_set(d, paths[i], "95", &e);
  }
  // merge a second parse of the same input, and a subtree of the document into its root
  slyDoc* o = NULL;
  if (sly_parse(&o, (const char*)p, n, "over.yaml", NULL) == SL_OK) {
    sly_merge(d, r, sly_root(o), &e);
    sly_free(o);
  }
  if (r->kind == SLY_MAP && r->n > 0) sly_merge(d, r, r->item[0], &e);
  walk(sly_root(d), 0);
  sly_free(d);
  return 0;
}
