// sl_model_cache.h: compiled models shared by the positions of one worker.
//
// A sweep builds a position variant for every (position, body parameters) it meets; the positions
// of a combination use the same few bodies (one file, the same overrides), so the cache compiles
// each distinct (body file, overrides) once and hands the same read-only model to every position
// that asks for it. Entries are counted: an entry in use is never evicted, an unused one goes when
// room is needed (least recently used first). Not thread-safe: one cache per thread.
#ifndef SL_MODEL_CACHE_H
#define SL_MODEL_CACHE_H

#include "spineload.h"

typedef struct slModelCache slModelCache;

// room for cap unused models (entries in use never count against it)
slStatus sl_model_cache_make(slModelCache** c, int cap, slError* err);
// frees every model: call after every position that holds one of them is freed
void sl_model_cache_free(slModelCache* c);
// the model of body file `path` with overrides ov (in order), compiled on a miss; counted until
// sl_model_cache_release. On failure (the load's error) *m is NULL and nothing is kept.
slStatus sl_model_cache_get(slModelCache* c, const char* path, const slOverride* ov, int nov,
                            const slModel** m, slError* err);
void     sl_model_cache_release(slModelCache* c, const slModel* m);
// models compiled so far (misses) and requests served from the cache (hits)
long sl_model_cache_misses(const slModelCache* c);
long sl_model_cache_hits(const slModelCache* c);

#endif
