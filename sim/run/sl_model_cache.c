// sl_model_cache.c: compiled models by (body file, overrides), counted, least recently used out.
#include "sl_model_cache.h"

#include <stdlib.h>
#include <string.h>

typedef struct Entry {
  char*    key;  // path, then "\n" path "=" value per override
  slModel* m;
  int      refs;
  long     used;
} Entry;

struct slModelCache {
  Entry* e;
  int    n, room, cap;
  long   clock, hits, misses;
};

slStatus sl_model_cache_make(slModelCache** out, int cap, slError* err) {
  *out = calloc(1, sizeof **out);
  if (!*out) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  (*out)->cap = cap > 0 ? cap : 1;
  return SL_OK;
}

void sl_model_cache_free(slModelCache* c) {
  if (!c) return;
  for (int i = 0; i < c->n; i++) {
    free(c->e[i].key);
    sl_model_free(c->e[i].m);
  }
  free(c->e);
  free(c);
}

static char* key_of(const char* path, const slOverride* ov, int nov) {
  size_t n = strlen(path) + 1;
  for (int i = 0; i < nov; i++) n += strlen(ov[i].path) + strlen(ov[i].value) + 2;
  char* k = malloc(n);
  if (!k) return NULL;
  char*  w = k;
  size_t l = strlen(path);
  memcpy(w, path, l), w += l;
  for (int i = 0; i < nov; i++) {
    *w++ = '\n';
    l = strlen(ov[i].path), memcpy(w, ov[i].path, l), w += l;
    *w++ = '=';
    l = strlen(ov[i].value), memcpy(w, ov[i].value, l), w += l;
  }
  *w = 0;
  return k;
}

// drop unused entries, least recently used first, until at most cap - 1 remain unused
static void make_room(slModelCache* c) {
  for (;;) {
    int unused = 0, lru = -1;
    for (int i = 0; i < c->n; i++)
      if (!c->e[i].refs) {
        unused++;
        if (lru < 0 || c->e[i].used < c->e[lru].used) lru = i;
      }
    if (unused < c->cap) return;
    free(c->e[lru].key);
    sl_model_free(c->e[lru].m);
    c->e[lru] = c->e[--c->n];
  }
}

slStatus sl_model_cache_get(slModelCache* c, const char* path, const slOverride* ov, int nov,
                            const slModel** out, slError* err) {
  *out = NULL;
  char* key = key_of(path, ov, nov);
  if (!key) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  c->clock++;
  for (int i = 0; i < c->n; i++)
    if (!strcmp(c->e[i].key, key)) {
      free(key);
      c->e[i].refs++;
      c->e[i].used = c->clock;
      c->hits++;
      *out = c->e[i].m;
      return SL_OK;
    }
  slModel* m = NULL;
  slStatus st = sl_model_load(&m, path, ov, nov, err);
  if (st != SL_OK) {
    free(key);
    return st;
  }
  make_room(c);
  if (c->n == c->room) {
    int    room = c->room ? 2 * c->room : 8;
    Entry* e = realloc(c->e, sizeof *e * (size_t)room);
    if (!e) {
      free(key);
      sl_model_free(m);
      return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
    }
    c->e = e, c->room = room;
  }
  c->e[c->n++] = (Entry){key, m, 1, c->clock};
  c->misses++;
  *out = m;
  return SL_OK;
}

void sl_model_cache_release(slModelCache* c, const slModel* m) {
  if (!c || !m) return;
  for (int i = 0; i < c->n; i++)
    if (c->e[i].m == m && c->e[i].refs > 0) {
      c->e[i].refs--;
      return;
    }
}

long sl_model_cache_misses(const slModelCache* c) {
  return c ? c->misses : 0;
}
long sl_model_cache_hits(const slModelCache* c) {
  return c ? c->hits : 0;
}
