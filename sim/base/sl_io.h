// sl_io.h: whole-file reads and crash-safe writes (temporary name, then rename).
#ifndef SL_IO_H
#define SL_IO_H

#include <stddef.h>
#include <stdint.h>

#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

// Read a whole file into a NUL-terminated malloc'ed buffer (*len excludes the NUL).
slStatus sl_read_file(const char* path, char** buf, size_t* len, slError* err);
void     sl_free_buf(char* buf);

// "dir of path" + "/" + rel into out (rel returned unchanged if absolute or path has no dir)
void sl_path_join_dir(const char* path, const char* rel, char* out, int n);

// Append sep (only if dst is not empty) and s to dst of capacity cap, truncating safely.
void sl_strcat(char* dst, size_t cap, const char* sep, const char* s);

// The *.yaml files of a directory, sorted by name, as "dir/name" (at most max). With out NULL,
// only counts. Returns the count, or -1 if the directory cannot be read.
int sl_list_yaml(const char* dir, char (*out)[1024], int max);

// 1 if both paths exist and are the same file (declared in spineload.h)
int sl_same_file(const char* a, const char* b);

// h combined with the text s (FNV-1a, 64 bit) and a separator byte, so that "ab" + "c" and "a" +
// "bc" differ; NULL is the empty text. For fingerprints of inputs, not for security.
uint64_t sl_hash_str(uint64_t h, const char* s);

// Temporary sibling name for an output file: "<path>.tmp.<pid>" into out.
void sl_tmp_name(const char* path, char* out, int n);
// Remove the temporaries "<path>.tmp.<pid>" left by writers that died (SIGKILL, power loss): those
// whose process no longer exists. Returns how many were removed.
int sl_tmp_clean(const char* path);
// Atomically move tmp over path (rename); on failure removes tmp and reports SL_ERR_IO.
slStatus sl_commit_file(const char* tmp, const char* path, slError* err);

#ifdef __cplusplus
}
#endif
#endif
