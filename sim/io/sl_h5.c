// sl_h5.c: HDF5 output and input (see sl_h5.h). This is the only file of the project that
// includes hdf5.h; no HDF5 identifier leaves it.
//
// Conventions:
// - HDF5 never prints: automatic error printing is switched off (H5Eset_auto2) whenever a file is
//   created or opened. A failed HDF5 call becomes SL_ERR_HDF5 with the dataset or group path as
//   `where` and the innermost HDF5 error description appended to the message; files that cannot
//   be created or opened are SL_ERR_IO with the file path. Caller mistakes (NULL handle, rank out
//   of 0..4, unknown type, missing units/description) are SL_ERR_ARG.
// - On disk: little-endian standard types (IEEE F64, I32, I64, U8) and variable-length UTF-8
//   strings, so files are the same on every machine and h5py reads the strings as str.
// - Object modification times are not recorded, so the same content gives the same bytes.
// - Thread safety: none. The HDF5 library in use is the serial, non-thread-safe build and the
//   version string is a static buffer: all sl_h5_* calls must come from one thread at a time.
#define _POSIX_C_SOURCE 200809L
#include "sl_h5.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <libdeflate.h>
#ifdef SL_HAVE_OPENMP
#include <omp.h>
#endif

#include "sl_io.h"

#define SL_H5_NONE         ((hid_t)-1)
#define SL_H5_PATH_MAX     1024          // longest object path (bytes, with the NUL)
#define SL_H5_EXT_OPEN     8             // extendible datasets kept open at once
#define SL_H5_COMPRESS_MIN 65536         // whole datasets larger than this are chunked + deflated
#define SL_H5_CHUNK_TARGET (256 * 1024)  // upper bound for guessed chunk sizes (bytes)
#define SL_H5_EXT_CHUNK    65536         // default chunk size of extendible datasets (bytes)
// deflate level 1 after shuffle: on the ranking with 128 samples per cycle (27 MB) it takes 0.934
// of level 4's process time for a file 1.3 % larger (8 paired runs)
#define SL_H5_DEFLATE 1
#define SL_H5_BATCH   16  // chunks compressed at once by sl_h5_write_chunks (one compressor each)

#if H5_VERSION_GE(1, 12, 0)
#define SL_H5_RECLAIM(type, space, buf) H5Treclaim(type, space, H5P_DEFAULT, buf)
#else
#define SL_H5_RECLAIM(type, space, buf) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf)
#endif

#if defined(__GNUC__)
#define SL_H5_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SL_H5_PRINTF(a, b)
#endif

struct slH5 {
  hid_t file;
  int   created;  // 1: sl_h5_create (temporary, committed by rename); 0: sl_h5_open (in place)
  char* path;     // the final path
  char* tmp;      // the temporary path (created files only)
  // the extendible datasets used by sl_h5_ext_write/ext_create, kept open (SL_H5_NONE: free).
  // Several, because a sweep writes four in turn for every block: closing and reopening them
  // for each block made HDF5 hold about 80 bytes more per block for the rest of the run.
  hid_t  ext[SL_H5_EXT_OPEN];
  char   ext_path[SL_H5_EXT_OPEN][SL_H5_PATH_MAX];
  int    ext_next;  // the slot replaced when all are in use
  char*  zbuf;      // sl_h5_write_chunks' buffers, kept for the file's next dataset
  size_t zcap;
  struct libdeflate_compressor* zc[SL_H5_BATCH];  // and its compressors, one per chunk of a batch
};

// ---- errors -------------------------------------------------------------------------------------

static herr_t sl_h5_walk_cb(unsigned n, const H5E_error2_t* e, void* data) {
  char* out = data;
  if (n == 0 && e && e->desc) snprintf(out, 384, "%s", e->desc);
  return 0;
}

// the innermost message of the current HDF5 error stack (then cleared) into out[384]
static void sl_h5_detail(char* out) {
  out[0] = '\0';
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, sl_h5_walk_cb, out);
  H5Eclear2(H5E_DEFAULT);
  for (char* c = out; *c; c++)  // one line: HDF5's messages carry newlines
    if (*c == '\n' || *c == '\r') *c = ' ';
}

// SL_ERR_HDF5 at `where` with "<what> (HDF5: <detail>)". Call before any cleanup HDF5 call, which
// would clear the error stack.
SL_H5_PRINTF(3, 4)
static slStatus sl_h5_fail(slError* err, const char* where, const char* fmt, ...) {
  char detail[384], what[384];
  sl_h5_detail(detail);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (detail[0]) return sl_fail(err, SL_ERR_HDF5, where, "%s (HDF5: %s)", what, detail);
  return sl_fail(err, SL_ERR_HDF5, where, "%s", what);
}

// Before the first HDF5 call: no error printing, and no clean-up of HDF5's own at exit. A file
// whose close failed (a full disk) stays half-open inside HDF5, and its atexit clean-up then
// crashes trying to flush it again; every file of ours is closed (or given up and its temporary
// removed) before the program ends, so there is nothing left for that clean-up to do.
static void sl_h5_quiet(void) {
  static int done = 0;
  if (!done) {
    H5dont_atexit();
    done = 1;
  }
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

// ---- small helpers ------------------------------------------------------------------------------

static char* sl_h5_strdup(const char* s) {
  size_t n = strlen(s) + 1;
  char*  d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static int sl_h5_numeric(slH5Type t) {
  return t == SL_H5_F64 || t == SL_H5_I32 || t == SL_H5_I64 || t == SL_H5_U8;
}

static size_t sl_h5_size(slH5Type t) {
  switch (t) {
    case SL_H5_F64:
      return sizeof(double);
    case SL_H5_I32:
      return sizeof(int32_t);
    case SL_H5_I64:
      return sizeof(int64_t);
    case SL_H5_U8:
      return sizeof(uint8_t);
    case SL_H5_STR:
      return sizeof(char*);
  }
  return 0;
}

// predefined types: never closed
static hid_t sl_h5_file_type(slH5Type t) {
  switch (t) {
    case SL_H5_F64:
      return H5T_IEEE_F64LE;
    case SL_H5_I32:
      return H5T_STD_I32LE;
    case SL_H5_I64:
      return H5T_STD_I64LE;
    case SL_H5_U8:
      return H5T_STD_U8LE;
    case SL_H5_STR:
      break;
  }
  return SL_H5_NONE;
}

static hid_t sl_h5_mem_type(slH5Type t) {
  switch (t) {
    case SL_H5_F64:
      return H5T_NATIVE_DOUBLE;
    case SL_H5_I32:
      return H5T_NATIVE_INT32;
    case SL_H5_I64:
      return H5T_NATIVE_INT64;
    case SL_H5_U8:
      return H5T_NATIVE_UINT8;
    case SL_H5_STR:
      break;
  }
  return SL_H5_NONE;
}

// a string type (variable length when size is 0) in the given character set; close it
static hid_t sl_h5_str_type(size_t size, H5T_cset_t cset) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return SL_H5_NONE;
  if (H5Tset_size(t, size ? size : H5T_VARIABLE) < 0 || H5Tset_cset(t, cset) < 0) {
    H5Tclose(t);
    return SL_H5_NONE;
  }
  return t;
}

// "/a/b" from "a//b/" etc.: leading slash, no repeated or trailing slashes. -1 if too long.
static int sl_h5_norm(const char* in, char out[SL_H5_PATH_MAX]) {
  if (!in) return -1;
  size_t k = 0;
  out[k++] = '/';
  for (const char* p = in; *p; p++) {
    if (*p == '/' && out[k - 1] == '/') continue;
    if (k + 1 >= SL_H5_PATH_MAX) return -1;
    out[k++] = *p;
  }
  if (k > 1 && out[k - 1] == '/') k--;
  out[k] = '\0';
  return 0;
}

// common argument checks: an open handle and a usable path (not the root unless allowed)
static slStatus sl_h5_prep(slH5* f, const char* path, char np[SL_H5_PATH_MAX], int root_ok,
                           const char* fn, slError* err) {
  if (!f || f->file < 0) return sl_fail(err, SL_ERR_ARG, path, "%s: no open HDF5 file", fn);
  if (sl_h5_norm(path, np) != 0)
    return sl_fail(err, SL_ERR_ARG, path, "%s: missing or too long object path", fn);
  if (!root_ok && !strcmp(np, "/"))
    return sl_fail(err, SL_ERR_ARG, np, "%s: the root group is not a dataset", fn);
  return SL_OK;
}

// does every link along the normalized path exist and resolve to an object?
static int sl_h5_link_exists(hid_t file, const char* np) {
  if (!strcmp(np, "/")) return 1;
  char   buf[SL_H5_PATH_MAX];
  size_t len = strlen(np);
  for (size_t i = 1; i <= len; i++) {
    if (np[i] != '/' && np[i] != '\0') continue;
    memcpy(buf, np, i);
    buf[i] = '\0';
    if (H5Lexists(file, buf, H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return 0;
    }
  }
  int ok = H5Oexists_by_name(file, np, H5P_DEFAULT) > 0;
  H5Eclear2(H5E_DEFAULT);
  return ok;
}

// H5I_GROUP, H5I_DATASET, H5I_DATATYPE, or H5I_BADID
static H5I_type_t sl_h5_kind(hid_t file, const char* np) {
  hid_t o = H5Oopen(file, np, H5P_DEFAULT);
  if (o < 0) {
    H5Eclear2(H5E_DEFAULT);
    return H5I_BADID;
  }
  H5I_type_t t = H5Iget_type(o);
  H5Oclose(o);
  return t;
}

// Create the groups along np: all components (with_last) or only the parents.
static slStatus sl_h5_mkgroups(slH5* f, const char* np, int with_last, slError* err) {
  size_t len = strlen(np);
  size_t end = with_last ? len : (size_t)(strrchr(np, '/') - np);
  char   buf[SL_H5_PATH_MAX];
  for (size_t i = 1; i <= end; i++) {
    if (i != end && np[i] != '/') continue;
    memcpy(buf, np, i);
    buf[i] = '\0';
    htri_t ex = H5Lexists(f->file, buf, H5P_DEFAULT);
    if (ex < 0) return sl_h5_fail(err, np, "cannot look up group %s", buf);
    if (ex > 0) {
      if (sl_h5_kind(f->file, buf) != H5I_GROUP)
        return sl_fail(err, SL_ERR_HDF5, np, "%s exists and is not a group", buf);
      continue;
    }
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0) return sl_h5_fail(err, np, "cannot create group properties");
    if (H5Pset_obj_track_times(gcpl, 0) < 0) {
      slStatus st = sl_h5_fail(err, np, "cannot set group properties");
      H5Pclose(gcpl);
      return st;
    }
    hid_t g = H5Gcreate2(f->file, buf, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (g < 0) {
      slStatus st = sl_h5_fail(err, np, "cannot create group %s", buf);
      H5Pclose(gcpl);
      return st;
    }
    H5Gclose(g);
    H5Pclose(gcpl);
  }
  return SL_OK;
}

// ---- attributes ---------------------------------------------------------------------------------

// (Re)create attribute `name` on obj and write buf. An existing attribute is replaced.
static slStatus sl_h5_put_attr(hid_t obj, const char* name, hid_t ftype, hid_t mtype, hid_t space,
                               const void* buf, const char* where, slError* err) {
  htri_t ex = H5Aexists(obj, name);
  if (ex < 0) return sl_h5_fail(err, where, "cannot look up attribute '%s'", name);
  if (ex > 0 && H5Adelete(obj, name) < 0)
    return sl_h5_fail(err, where, "cannot replace attribute '%s'", name);
  hid_t a = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return sl_h5_fail(err, where, "cannot create attribute '%s'", name);
  if (H5Awrite(a, mtype, buf) < 0) {
    slStatus st = sl_h5_fail(err, where, "cannot write attribute '%s'", name);
    H5Aclose(a);
    return st;
  }
  if (H5Aclose(a) < 0) return sl_h5_fail(err, where, "cannot close attribute '%s'", name);
  return SL_OK;
}

// scalar variable-length UTF-8 string attribute (NULL value: "")
static slStatus sl_h5_attr_str_id(hid_t obj, const char* name, const char* value, const char* where,
                                  slError* err) {
  const char* v = value ? value : "";
  hid_t       t = sl_h5_str_type(0, H5T_CSET_UTF8);
  hid_t       s = H5Screate(H5S_SCALAR);
  slStatus    st;
  if (t < 0 || s < 0)
    st = sl_h5_fail(err, where, "cannot set up string attribute '%s'", name);
  else
    st = sl_h5_put_attr(obj, name, t, t, s, &v, where, err);
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
  return st;
}

// 1-D variable-length UTF-8 string array attribute (NULL entries or NULL v: "")
static slStatus sl_h5_attr_strs_id(hid_t obj, const char* name, const char* const* v, size_t n,
                                   const char* where, slError* err) {
  const char** p = malloc((n ? n : 1) * sizeof *p);
  if (!p) return sl_fail(err, SL_ERR_NOMEM, where, "out of memory for attribute '%s'", name);
  for (size_t i = 0; i < n; i++) p[i] = v && v[i] ? v[i] : "";
  hsize_t  d = n;
  hid_t    t = sl_h5_str_type(0, H5T_CSET_UTF8);
  hid_t    s = H5Screate_simple(1, &d, NULL);
  slStatus st;
  if (t < 0 || s < 0)
    st = sl_h5_fail(err, where, "cannot set up string attribute '%s'", name);
  else
    st = sl_h5_put_attr(obj, name, t, t, s, p, where, err);
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
  free(p);
  return st;
}

static slStatus sl_h5_attr_num_id(hid_t obj, const char* name, hid_t ftype, hid_t mtype,
                                  const void* v, const char* where, slError* err) {
  hid_t s = H5Screate(H5S_SCALAR);
  if (s < 0) return sl_h5_fail(err, where, "cannot set up attribute '%s'", name);
  slStatus st = sl_h5_put_attr(obj, name, ftype, mtype, s, v, where, err);
  H5Sclose(s);
  return st;
}

// "n1: u1; n2: u2; ..." (NULL units: "1"), malloc'ed
static char* sl_h5_units_list(int n, const char* const* names, const char* const* units) {
  size_t len = 1;
  for (int i = 0; i < n; i++)
    len += strlen(names[i]) + strlen(units && units[i] ? units[i] : "1") + 4;
  char* s = malloc(len);
  if (!s) return NULL;
  s[0] = '\0';
  for (int i = 0; i < n; i++) {
    size_t k = strlen(s);
    snprintf(s + k, len - k, "%s%s: %s", i ? "; " : "", names[i],
             units && units[i] ? units[i] : "1");
  }
  return s;
}

// units and description on a new dataset
static slStatus sl_h5_describe(hid_t d, const char* units, const char* description,
                               const char* where, slError* err) {
  slStatus st = sl_h5_attr_str_id(d, "units", units, where, err);
  if (st == SL_OK) st = sl_h5_attr_str_id(d, "description", description, where, err);
  return st;
}

// open an existing object for attributes
static slStatus sl_h5_open_obj(slH5* f, const char* obj, hid_t* o, char np[SL_H5_PATH_MAX],
                               const char* fn, slError* err) {
  *o = SL_H5_NONE;
  slStatus st = sl_h5_prep(f, obj, np, 1, fn, err);
  if (st != SL_OK) return st;
  if (!sl_h5_link_exists(f->file, np))
    return sl_fail(err, SL_ERR_HDF5, np, "%s: no such group or dataset", fn);
  *o = H5Oopen(f->file, np, H5P_DEFAULT);
  if (*o < 0) return sl_h5_fail(err, np, "%s: cannot open object", fn);
  return SL_OK;
}

// ---- dataset creation ---------------------------------------------------------------------------

// Largest chunk not above SL_H5_CHUNK_TARGET bytes, halving the leading dimensions first (rows
// stay together, which suits row-wise reading).
static void sl_h5_guess_chunk(int rank, const hsize_t* dims, size_t esize, hsize_t* chunk) {
  hsize_t bytes = esize;
  for (int i = 0; i < rank; i++) {
    chunk[i] = dims[i] ? dims[i] : 1;
    bytes *= chunk[i];
  }
  for (int i = 0; i < rank && bytes > SL_H5_CHUNK_TARGET; i++) {
    while (chunk[i] > 1 && bytes > SL_H5_CHUNK_TARGET) {
      bytes /= chunk[i];
      chunk[i] = (chunk[i] + 1) / 2;
      bytes *= chunk[i];
    }
  }
}

// access properties of an extendible dataset: a chunk cache of twice SL_H5_EXT_CHUNK (HDF5's
// default is 1 MiB for each open dataset, filled with finished chunks that are never read again)
static hid_t sl_h5_ext_dapl(void) {
  hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
  if (dapl >= 0 && H5Pset_chunk_cache(dapl, 521, 2 * SL_H5_EXT_CHUNK, 0.75) < 0) {
    H5Pclose(dapl);
    return H5P_DEFAULT;
  }
  return dapl < 0 ? H5P_DEFAULT : dapl;
}

// Create dataset np (parents created; error if anything exists there). chunk NULL: contiguous
// layout; otherwise chunked with shuffle + deflate.
static slStatus sl_h5_new_dataset(slH5* f, const char* np, hid_t ftype, int rank,
                                  const hsize_t* dims, const hsize_t* maxdims, const hsize_t* chunk,
                                  hid_t* out, slError* err) {
  *out = SL_H5_NONE;
  if (sl_h5_link_exists(f->file, np) || H5Lexists(f->file, np, H5P_DEFAULT) > 0) {
    H5Eclear2(H5E_DEFAULT);
    return sl_fail(err, SL_ERR_HDF5, np, "%s already exists",
                   sl_h5_kind(f->file, np) == H5I_GROUP ? "a group of that name" : "dataset");
  }
  H5Eclear2(H5E_DEFAULT);
  slStatus st = sl_h5_mkgroups(f, np, 0, err);
  if (st != SL_OK) return st;
  hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, maxdims);
  if (space < 0) return sl_h5_fail(err, np, "cannot create dataspace");
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (dcpl < 0) {
    st = sl_h5_fail(err, np, "cannot create dataset properties");
    H5Sclose(space);
    return st;
  }
  if (H5Pset_obj_track_times(dcpl, 0) < 0 ||
      (chunk && (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
                 H5Pset_deflate(dcpl, SL_H5_DEFLATE) < 0))) {
    st = sl_h5_fail(err, np, "cannot set chunking and compression");
  } else {
    // an extendible dataset stays open (sl_h5_ext_cache): a small chunk cache, room for one
    // chunk of SL_H5_EXT_CHUNK, as it is written in order and no chunk is read again
    hid_t dapl = maxdims ? sl_h5_ext_dapl() : H5P_DEFAULT;
    *out = H5Dcreate2(f->file, np, ftype, space, H5P_DEFAULT, dcpl, dapl);
    if (dapl != H5P_DEFAULT) H5Pclose(dapl);
    if (*out < 0) st = sl_h5_fail(err, np, "cannot create dataset");
  }
  H5Pclose(dcpl);
  H5Sclose(space);
  return st;
}

// chunk arguments for a whole dataset of nbytes: NULL (contiguous) up to SL_H5_COMPRESS_MIN
static const hsize_t* sl_h5_whole_chunk(int rank, const hsize_t* dims, size_t esize, size_t nbytes,
                                        hsize_t* chunk) {
  if (rank == 0 || nbytes <= SL_H5_COMPRESS_MIN) return NULL;
  sl_h5_guess_chunk(rank, dims, esize, chunk);
  return chunk;
}

// the first element of chunk c (row-major over the grid of nch chunks per dimension)
static void sl_h5_chunk_at(size_t c, int rank, const size_t* nch, const hsize_t* chunk,
                           hsize_t* at) {
  for (int i = rank - 1; i >= 0; i--) {
    at[i] = (hsize_t)(c % nch[i]) * chunk[i];
    c /= nch[i];
  }
}

// A byte plane of a shuffled chunk (one byte of every element) whose order-0 entropy is at least
// this many bits per byte is stored, not deflated: deflate cannot shrink it by more than a few per
// cent, and trying costs as much as compressing the planes it can shrink. The low mantissa bytes
// of measured doubles (muscle lengths, disc frames) are such planes.
#define SL_H5_STORE_BITS 7.9

// bits per byte of the n bytes at p (order 0)
static double sl_h5_entropy(const unsigned char* p, size_t n) {
  size_t h[256] = {0};
  for (size_t i = 0; i < n; i++) h[p[i]]++;
  double s = 0;
  for (int b = 0; b < 256; b++)
    if (h[b]) s += (double)h[b] * log2((double)h[b]);
  return log2((double)n) - s / (double)n;
}

// the most bytes sl_h5_zlib can write for n input bytes
static size_t sl_h5_zlib_bound(size_t n) {
  return libdeflate_zlib_compress_bound(NULL, n) + 5 * (n / 65535 + 2) + 6;
}

// One zlib stream (RFC 1950) of a shuffled chunk of esize planes of celem bytes: its leading
// planes of high entropy as stored deflate blocks, the rest deflated by libdeflate, then the
// Adler-32 of all of it. Any inflater reads it as one stream. Returns its length, 0 on failure.
static size_t sl_h5_zlib(struct libdeflate_compressor* zc, const unsigned char* in, size_t celem,
                         size_t esize, unsigned char* out, size_t cap) {
  size_t n = celem * esize, nst = 0, o = 0;
  while (nst < esize && celem >= 256 && sl_h5_entropy(in + nst * celem, celem) >= SL_H5_STORE_BITS)
    nst++;
  nst *= celem;
  out[o++] = 0x78, out[o++] = 0x01;  // deflate, 32 KiB window, fastest
  for (size_t at = 0; at < nst;) {
    size_t k = nst - at < 65535 ? nst - at : 65535;
    if (o + 5 + k > cap) return 0;
    out[o++] = at + k == n;  // BFINAL only if nothing follows; BTYPE 00 (stored)
    out[o++] = (unsigned char)(k & 0xff), out[o++] = (unsigned char)(k >> 8);
    out[o++] = (unsigned char)(~k & 0xff), out[o++] = (unsigned char)((~k >> 8) & 0xff);
    memcpy(out + o, in + at, k);
    o += k, at += k;
  }
  if (nst < n) {
    size_t z = libdeflate_deflate_compress(zc, in + nst, n - nst, out + o, cap - o - 4);
    if (!z) return 0;
    o += z;
  } else if (n == 0) {
    return 0;
  }
  if (o + 4 > cap) return 0;
  uint32_t a = libdeflate_adler32(1, in, n);
  out[o++] = (unsigned char)(a >> 24), out[o++] = (unsigned char)(a >> 16);
  out[o++] = (unsigned char)(a >> 8), out[o++] = (unsigned char)a;
  return o;
}

// gather chunk `at` of a row-major array into raw (celem elements in the chunk's own row-major
// order), row by row along the last dimension; an edge chunk's rest is zeros
static void sl_h5_gather(char* raw, const void* data, int rank, const hsize_t* dims,
                         const hsize_t* chunk, const hsize_t* at, size_t celem, size_t esize) {
  int edge = 0;
  for (int i = 0; i < rank; i++) edge |= at[i] + chunk[i] > dims[i];
  if (edge) memset(raw, 0, celem * esize);
  size_t nrow = celem / (size_t)chunk[rank - 1];
  for (size_t r = 0; r < nrow; r++) {
    size_t  rr = r, src = 0, stride = 1, inside = 1;
    hsize_t idx[4];
    for (int i = rank - 2; i >= 0; i--) {
      idx[i] = at[i] + (hsize_t)(rr % (size_t)chunk[i]);
      rr /= (size_t)chunk[i];
      inside &= idx[i] < dims[i];
    }
    if (!inside) continue;
    for (int i = rank - 1; i >= 0; i--) {
      hsize_t x = i == rank - 1 ? at[i] : idx[i];
      src += (size_t)x * stride;
      stride *= (size_t)dims[i];
    }
    hsize_t last = at[rank - 1], n = chunk[rank - 1];
    if (last + n > dims[rank - 1]) n = dims[rank - 1] - last;
    memcpy(raw + r * (size_t)chunk[rank - 1] * esize, (const char*)data + src * esize,
           (size_t)n * esize);
  }
}

// the shuffle filter: byte j of element e goes to j * celem + e (a fixed element size unrolls)
static void sl_h5_shuffle(unsigned char* shuf, const unsigned char* raw, size_t celem,
                          size_t esize) {
  if (esize == 8) {
    for (size_t e = 0; e < celem; e++)
      for (size_t j = 0; j < 8; j++) shuf[j * celem + e] = raw[8 * e + j];
  } else if (esize == 4) {
    for (size_t e = 0; e < celem; e++)
      for (size_t j = 0; j < 4; j++) shuf[j * celem + e] = raw[4 * e + j];
  } else {
    for (size_t e = 0; e < celem; e++)
      for (size_t j = 0; j < esize; j++) shuf[j * celem + e] = raw[e * esize + j];
  }
}

// Every chunk of a whole dataset (dims, chunk: rank entries; data row-major), compressed here into
// the stream HDF5's shuffle and deflate filters read (the elements' bytes transposed, then a zlib
// stream), one chunk per OpenMP thread at a time, and written in chunk order with H5Dwrite_chunk
// while the other threads compress the next ones. HDF5 runs its filters on the calling thread one
// chunk at a time, with zlib: over half of a 100,000-posture `run`. The zlib streams come from
// libdeflate, which on these shuffled doubles compresses 2.3 times as fast as zlib at level 1 and
// 2.6 % smaller (a 91 MB sample of a run's muscle and disc arrays in 256 KiB chunks: 171 against
// 74 MB/s, ratio 0.590 against 0.606); the byte planes of high entropy are stored (sl_h5_zlib).
// The bytes do not depend on the number of threads (each chunk is compressed alone). An edge
// chunk is padded with zeros, as HDF5 stores whole chunks.
static slStatus sl_h5_write_chunks(slH5* f, hid_t d, const char* np, int rank, const hsize_t* dims,
                                   const hsize_t* chunk, size_t esize, const void* data,
                                   slError* err) {
  size_t nch[4], total = 1, celem = 1;
  for (int i = 0; i < rank; i++) {
    nch[i] = (size_t)((dims[i] + chunk[i] - 1) / chunk[i]);
    total *= nch[i];
    celem *= (size_t)chunk[i];
  }
  size_t cbytes = celem * esize;
  size_t bound = sl_h5_zlib_bound(cbytes);
  int    nth = 1;
#ifdef SL_HAVE_OPENMP
  nth = omp_get_max_threads();
  if (nth > SL_H5_BATCH) nth = SL_H5_BATCH;
  if ((size_t)nth > total) nth = (int)total;
#endif
  for (int k = 0; k < nth; k++)
    if (!f->zc[k] && !(f->zc[k] = libdeflate_alloc_compressor(SL_H5_DEFLATE)))
      return sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  size_t need = (size_t)nth * (2 * cbytes + bound);
  if (f->zcap < need) {
    free(f->zbuf);
    f->zbuf = malloc(need);
    f->zcap = f->zbuf ? need : 0;
    if (!f->zbuf) return sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  }
  char* buf = f->zbuf;
  int   bad = 0;  // 1: a chunk did not compress, 2: HDF5 failed to write one
  // each thread compresses one chunk into its own buffers, then writes it in chunk order
  // (ordered), so the chunks are compressed while another is being written
#ifdef SL_HAVE_OPENMP
#pragma omp parallel for schedule(static, 1) ordered num_threads(nth) if (nth > 1)
#endif
  for (size_t c = 0; c < total; c++) {
    int t = 0;
#ifdef SL_HAVE_OPENMP
    t = omp_get_thread_num();
#endif
    char *raw = buf + (size_t)t * (2 * cbytes + bound), *shuf = raw + cbytes, *out = shuf + cbytes;
    hsize_t at[4];  // the chunk's first element
    sl_h5_chunk_at(c, rank, nch, chunk, at);
    size_t len = 0;
    int    skip;
#ifdef SL_HAVE_OPENMP
#pragma omp atomic read
#endif
    skip = bad;
    if (!skip) {
      sl_h5_gather(raw, data, rank, dims, chunk, at, celem, esize);
      sl_h5_shuffle((unsigned char*)shuf, (const unsigned char*)raw, celem, esize);
      len = sl_h5_zlib(f->zc[t], (const unsigned char*)shuf, celem, esize, (unsigned char*)out,
                       bound);
    }
#ifdef SL_HAVE_OPENMP
#pragma omp ordered
#endif
    {
      int b;
#ifdef SL_HAVE_OPENMP
#pragma omp atomic read
#endif
      b = bad;
      if (!b && !len) b = 1;
      if (!b && H5Dwrite_chunk(d, H5P_DEFAULT, 0, at, len, out) < 0) b = 2;
      if (b) {
#ifdef SL_HAVE_OPENMP
#pragma omp atomic write
#endif
        bad = b;
      }
    }
  }
  if (bad == 1) return sl_fail(err, SL_ERR_NOMEM, np, "cannot compress a chunk");
  if (bad == 2) return sl_h5_fail(err, np, "cannot write dataset");
  return SL_OK;
}

// ---- files --------------------------------------------------------------------------------------

static slH5* sl_h5_alloc(const char* path) {
  slH5* f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->file = SL_H5_NONE;
  for (int k = 0; k < SL_H5_EXT_OPEN; k++) f->ext[k] = SL_H5_NONE;
  f->path = sl_h5_strdup(path);
  if (!f->path) {
    free(f);
    return NULL;
  }
  return f;
}

static void sl_h5_free(slH5* f) {
  free(f->path);
  free(f->tmp);
  free(f->zbuf);
  for (int k = 0; k < SL_H5_BATCH; k++)
    if (f->zc[k]) libdeflate_free_compressor(f->zc[k]);
  free(f);
}

static hid_t sl_h5_fapl(void) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return SL_H5_NONE;
  // A sweep appends thousands of chunks. The 1.10 file format indexes the chunks of a dataset
  // with one unlimited dimension by an extensible array (the 1.8 format's B-tree nodes were
  // held in memory for the rest of the run: about 80 bytes per block of a sweep); the
  // metadata cache stays within 1 MiB instead of growing with the file. Readable by
  // HDF5 >= 1.10.
  H5AC_cache_config_t mdc;
  mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  if (H5Pget_mdc_config(fapl, &mdc) < 0) {
    H5Pclose(fapl);
    return SL_H5_NONE;
  }
  mdc.set_initial_size = 1;
  mdc.initial_size = 1 << 20;
  mdc.max_size = 1 << 20;
  mdc.min_size = 1 << 18;
  // closing the file closes every object still open in it
  if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 ||
      H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_LATEST) < 0 ||
      H5Pset_mdc_config(fapl, &mdc) < 0) {
    H5Pclose(fapl);
    return SL_H5_NONE;
  }
  return fapl;
}

// close everything; SL_ERR_HDF5 (where: the file path) if HDF5 fails to write it out
static slStatus sl_h5_close_file(slH5* f, slError* err) {
  slStatus st = SL_OK;
  for (int k = 0; k < SL_H5_EXT_OPEN; k++) {
    if (f->ext[k] >= 0 && H5Dclose(f->ext[k]) < 0 && st == SL_OK)
      st = sl_h5_fail(err, f->path, "cannot close dataset %s", f->ext_path[k]);
    f->ext[k] = SL_H5_NONE;
  }
  if (f->file >= 0) {
    if (H5Fclose(f->file) < 0 && st == SL_OK)
      st = sl_h5_fail(err, f->path, "cannot write and close the file");
    f->file = SL_H5_NONE;
  }
  return st;
}

slStatus sl_h5_create(slH5** out, const char* path, slError* err) {
  if (!out) return sl_fail(err, SL_ERR_ARG, path, "sl_h5_create: no handle pointer");
  *out = NULL;
  if (!path || !path[0]) return sl_fail(err, SL_ERR_ARG, path, "sl_h5_create: no file name");
  sl_h5_quiet();
  slH5*  f = sl_h5_alloc(path);
  size_t n = strlen(path) + 32;
  if (f) f->tmp = malloc(n);
  if (!f || !f->tmp) {
    if (f) sl_h5_free(f);
    return sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
  }
  sl_tmp_clean(path);  // what a killed earlier run left behind
  sl_tmp_name(path, f->tmp, (int)n);
  f->created = 1;
  hid_t fapl = sl_h5_fapl();
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  if (fapl < 0 || fcpl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0) {
    slStatus st = sl_h5_fail(err, path, "cannot set up file properties");
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    sl_h5_free(f);
    return st;
  }
  f->file = H5Fcreate(f->tmp, H5F_ACC_TRUNC, fcpl, fapl);
  char detail[384] = "";
  if (f->file < 0) sl_h5_detail(detail);  // before H5Pclose clears the error stack
  H5Pclose(fcpl);
  H5Pclose(fapl);
  if (f->file < 0) {
    slStatus st = sl_fail(err, SL_ERR_IO, path, "cannot create the temporary output %s (%s)",
                          f->tmp, detail[0] ? detail : "HDF5 error");
    sl_h5_free(f);
    return st;
  }
  *out = f;
  return SL_OK;
}

// make the temporary durable before it is renamed over the real file
static slStatus sl_h5_sync(const char* tmp, const char* path, slError* err) {
  int fd = open(tmp, O_RDONLY);
  if (fd < 0) return sl_fail(err, SL_ERR_WRITE, path, "cannot reopen %s: %s", tmp, strerror(errno));
  int rc = fsync(fd), e = errno;
  close(fd);
  if (rc != 0 && e != EINVAL && e != EROFS)
    return sl_fail(err, SL_ERR_WRITE, path, "cannot sync %s: %s", tmp, strerror(e));
  return SL_OK;
}

slStatus sl_h5_commit(slH5* f, slError* err) {
  if (!f) return sl_fail(err, SL_ERR_ARG, NULL, "sl_h5_commit: no file");
  slStatus st = sl_h5_close_file(f, err);
  if (f->created) {
    if (st == SL_OK) st = sl_h5_sync(f->tmp, f->path, err);
    if (st == SL_OK)
      st = sl_commit_file(f->tmp, f->path, err);  // removes the temporary if it fails
    else
      remove(f->tmp);
  }
  sl_h5_free(f);
  return st;
}

void sl_h5_abort(slH5* f) {
  if (!f) return;
  sl_h5_close_file(f, NULL);
  H5Eclear2(H5E_DEFAULT);
  if (f->created) remove(f->tmp);
  sl_h5_free(f);
}

slStatus sl_h5_open(slH5** out, const char* path, int writable, slError* err) {
  if (!out) return sl_fail(err, SL_ERR_ARG, path, "sl_h5_open: no handle pointer");
  *out = NULL;
  if (!path || !path[0]) return sl_fail(err, SL_ERR_ARG, path, "sl_h5_open: no file name");
  sl_h5_quiet();
  if (access(path, writable ? R_OK | W_OK : R_OK) != 0)
    return sl_fail(err, SL_ERR_IO, path, "cannot open: %s", strerror(errno));
  slH5* f = sl_h5_alloc(path);
  if (!f) return sl_fail(err, SL_ERR_NOMEM, path, "out of memory");
  hid_t fapl = sl_h5_fapl();
  if (fapl < 0) {
    slStatus st = sl_h5_fail(err, path, "cannot set up file properties");
    sl_h5_free(f);
    return st;
  }
  f->file = H5Fopen(path, writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
  char detail[384] = "";
  if (f->file < 0) sl_h5_detail(detail);  // before H5Pclose clears the error stack
  H5Pclose(fapl);
  if (f->file < 0) {
    htri_t is = H5Fis_hdf5(path);
    H5Eclear2(H5E_DEFAULT);
    slStatus st =
        sl_fail(err, SL_ERR_IO, path, "cannot open%s (%s)",
                is == 0 ? ": not an HDF5 file" : " as HDF5", detail[0] ? detail : "HDF5 error");
    sl_h5_free(f);
    return st;
  }
  *out = f;
  return SL_OK;
}

void sl_h5_close(slH5* f) {
  if (!f) return;
  if (f->created) {  // never committed: same as abort
    sl_h5_abort(f);
    return;
  }
  sl_h5_close_file(f, NULL);
  H5Eclear2(H5E_DEFAULT);
  sl_h5_free(f);
}

slStatus sl_h5_flush(slH5* f, slError* err) {
  if (!f || f->file < 0) return sl_fail(err, SL_ERR_ARG, NULL, "sl_h5_flush: no open HDF5 file");
  if (H5Fflush(f->file, H5F_SCOPE_GLOBAL) < 0)
    return sl_h5_fail(err, f->path, "cannot flush the file");
  return SL_OK;
}

// ---- groups and attributes ----------------------------------------------------------------------

slStatus sl_h5_group(slH5* f, const char* path, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 1, "sl_h5_group", err);
  if (st != SL_OK || !strcmp(np, "/")) return st;
  return sl_h5_mkgroups(f, np, 1, err);
}

slStatus sl_h5_attr_str(slH5* f, const char* obj, const char* name, const char* value,
                        slError* err) {
  char     np[SL_H5_PATH_MAX];
  hid_t    o;
  slStatus st = sl_h5_open_obj(f, obj, &o, np, "sl_h5_attr_str", err);
  if (st != SL_OK) return st;
  if (!name || !name[0])
    st = sl_fail(err, SL_ERR_ARG, np, "sl_h5_attr_str: no attribute name");
  else
    st = sl_h5_attr_str_id(o, name, value, np, err);
  H5Oclose(o);
  return st;
}

slStatus sl_h5_attr_f64(slH5* f, const char* obj, const char* name, double value, slError* err) {
  char     np[SL_H5_PATH_MAX];
  hid_t    o;
  slStatus st = sl_h5_open_obj(f, obj, &o, np, "sl_h5_attr_f64", err);
  if (st != SL_OK) return st;
  if (!name || !name[0])
    st = sl_fail(err, SL_ERR_ARG, np, "sl_h5_attr_f64: no attribute name");
  else
    st = sl_h5_attr_num_id(o, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, np, err);
  H5Oclose(o);
  return st;
}

slStatus sl_h5_attr_i64(slH5* f, const char* obj, const char* name, long long value, slError* err) {
  char     np[SL_H5_PATH_MAX];
  hid_t    o;
  slStatus st = sl_h5_open_obj(f, obj, &o, np, "sl_h5_attr_i64", err);
  if (st != SL_OK) return st;
  if (!name || !name[0])
    st = sl_fail(err, SL_ERR_ARG, np, "sl_h5_attr_i64: no attribute name");
  else
    st = sl_h5_attr_num_id(o, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &value, np, err);
  H5Oclose(o);
  return st;
}

// ---- whole datasets -----------------------------------------------------------------------------

slStatus sl_h5_write(slH5* f, const char* path, slH5Type type, int rank, const size_t* dims,
                     const void* data, const char* units, const char* description, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_write", err);
  if (st != SL_OK) return st;
  if (!sl_h5_numeric(type))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write: type must be F64, I32, I64 or U8");
  if (rank < 0 || rank > 4 || (rank > 0 && !dims))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write: rank %d not in 0..4 (or no dims)", rank);
  if (!units || !description)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write: units and description are required");
  hsize_t hd[4];
  size_t  esize = sl_h5_size(type), nelem = 1;
  for (int i = 0; i < rank; i++) {
    if (dims[i] && nelem > SIZE_MAX / esize / dims[i])
      return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write: dataset too large");
    nelem *= dims[i];
    hd[i] = dims[i];
  }
  if (nelem && !data) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write: no data");
  hsize_t        chunk[4];
  const hsize_t* ch = sl_h5_whole_chunk(rank, hd, esize, nelem * esize, chunk);
  hid_t          d;
  st = sl_h5_new_dataset(f, np, sl_h5_file_type(type), rank, hd, NULL, ch, &d, err);
  if (st != SL_OK) return st;
  // the chunks are written as they are in memory: where the machine's types are the file's
  // (little-endian IEEE and two's complement), else HDF5 converts them
  if (nelem && ch && H5Tequal(sl_h5_mem_type(type), sl_h5_file_type(type)) > 0)
    st = sl_h5_write_chunks(f, d, np, rank, hd, ch, esize, data, err);
  else if (nelem && H5Dwrite(d, sl_h5_mem_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    st = sl_h5_fail(err, np, "cannot write dataset");
  if (st == SL_OK) st = sl_h5_describe(d, units, description, np, err);
  if (H5Dclose(d) < 0 && st == SL_OK) st = sl_h5_fail(err, np, "cannot close dataset");
  return st;
}

slStatus sl_h5_write_strings(slH5* f, const char* path, const char* const* s, size_t n,
                             const char* description, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_write_strings", err);
  if (st != SL_OK) return st;
  if ((n && !s) || !description)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_strings: no strings or no description");
  if (n > SIZE_MAX / sizeof(char*))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_strings: too many strings");
  const char** p = malloc((n ? n : 1) * sizeof *p);
  if (!p) return sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  for (size_t i = 0; i < n; i++) p[i] = s[i] ? s[i] : "";
  hid_t t = sl_h5_str_type(0, H5T_CSET_UTF8);
  if (t < 0) {
    free(p);
    return sl_h5_fail(err, np, "cannot create the string type");
  }
  hsize_t        hd = n, chunk;
  const hsize_t* ch = sl_h5_whole_chunk(1, &hd, sizeof(char*), n * sizeof(char*), &chunk);
  hid_t          d;
  st = sl_h5_new_dataset(f, np, t, 1, &hd, NULL, ch, &d, err);
  if (st == SL_OK) {
    if (n && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p) < 0)
      st = sl_h5_fail(err, np, "cannot write dataset");
    // strings are not quantities; "1" keeps the rule that every dataset has units
    if (st == SL_OK) st = sl_h5_describe(d, "1", description, np, err);
    if (H5Dclose(d) < 0 && st == SL_OK) st = sl_h5_fail(err, np, "cannot close dataset");
  }
  H5Tclose(t);
  free(p);
  return st;
}

// ---- compound tables ----------------------------------------------------------------------------

typedef struct slH5Table {
  hid_t   ftype, mtype, vstr;
  size_t  rowsize;
  size_t* off;  // (ncol) memory offsets
} slH5Table;

static void sl_h5_table_free(slH5Table* T) {
  if (T->ftype >= 0) H5Tclose(T->ftype);
  if (T->mtype >= 0) H5Tclose(T->mtype);
  if (T->vstr >= 0) H5Tclose(T->vstr);
  free(T->off);
}

static slStatus sl_h5_table_types(slH5Table* T, int ncol, const slH5Col* cols, const char* np,
                                  slError* err) {
  T->off = malloc((size_t)ncol * sizeof *T->off);
  if (!T->off) return sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  size_t fsize = 0, msize = 0, align = 1;
  for (int c = 0; c < ncol; c++) {
    size_t a = cols[c].type == SL_H5_F64   ? _Alignof(double)
               : cols[c].type == SL_H5_I32 ? _Alignof(int32_t)
                                           : _Alignof(char*);
    size_t sz = sl_h5_size(cols[c].type);
    msize = (msize + a - 1) / a * a;
    T->off[c] = msize;
    msize += sz;
    if (a > align) align = a;
    fsize += cols[c].type == SL_H5_STR ? sizeof(hvl_t) : sz;
  }
  T->rowsize = (msize + align - 1) / align * align;
  T->vstr = sl_h5_str_type(0, H5T_CSET_UTF8);
  if (T->vstr < 0) return sl_h5_fail(err, np, "cannot create the string type");
  T->ftype = H5Tcreate(H5T_COMPOUND, fsize);
  T->mtype = H5Tcreate(H5T_COMPOUND, T->rowsize);
  if (T->ftype < 0 || T->mtype < 0) return sl_h5_fail(err, np, "cannot create the record type");
  size_t foff = 0;
  for (int c = 0; c < ncol; c++) {
    slH5Type t = cols[c].type;
    hid_t    ft = t == SL_H5_STR ? T->vstr : sl_h5_file_type(t);
    hid_t    mt = t == SL_H5_STR ? T->vstr : sl_h5_mem_type(t);
    if (H5Tinsert(T->ftype, cols[c].name, foff, ft) < 0 ||
        H5Tinsert(T->mtype, cols[c].name, T->off[c], mt) < 0)
      return sl_h5_fail(err, np, "cannot add column '%s' to the record type", cols[c].name);
    foff += t == SL_H5_STR ? sizeof(hvl_t) : sl_h5_size(t);
  }
  return SL_OK;
}

slStatus sl_h5_write_table(slH5* f, const char* path, size_t nrow, int ncol, const slH5Col* cols,
                           const char* description, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_write_table", err);
  if (st != SL_OK) return st;
  if (ncol < 1 || !cols || !description)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_table: no columns or no description");
  for (int c = 0; c < ncol; c++) {
    if (!cols[c].name || !cols[c].name[0] || strlen(cols[c].name) > 200)
      return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_table: column %d has no usable name", c);
    if (cols[c].type != SL_H5_F64 && cols[c].type != SL_H5_I32 && cols[c].type != SL_H5_STR)
      return sl_fail(err, SL_ERR_ARG, np,
                     "sl_h5_write_table: column '%s': type must be F64, "
                     "I32 or STR",
                     cols[c].name);
    if (nrow && !cols[c].data)
      return sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_table: column '%s' has no data",
                     cols[c].name);
  }
  slH5Table T = {SL_H5_NONE, SL_H5_NONE, SL_H5_NONE, 0, NULL};
  st = sl_h5_table_types(&T, ncol, cols, np, err);
  if (st == SL_OK && nrow > SIZE_MAX / T.rowsize)
    st = sl_fail(err, SL_ERR_ARG, np, "sl_h5_write_table: table too large");
  unsigned char* buf = NULL;
  if (st == SL_OK && !(buf = calloc(nrow ? nrow : 1, T.rowsize)))
    st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  for (size_t r = 0; st == SL_OK && r < nrow; r++) {
    unsigned char* row = buf + r * T.rowsize;
    for (int c = 0; c < ncol; c++) {
      if (cols[c].type == SL_H5_STR) {
        const char* v = ((const char* const*)cols[c].data)[r];
        if (!v) v = "";
        memcpy(row + T.off[c], &v, sizeof v);
      } else {
        size_t sz = sl_h5_size(cols[c].type);
        memcpy(row + T.off[c], (const unsigned char*)cols[c].data + r * sz, sz);
      }
    }
  }
  hid_t d = SL_H5_NONE;
  if (st == SL_OK) {
    hsize_t        hd = nrow, chunk;
    const hsize_t* ch = sl_h5_whole_chunk(1, &hd, T.rowsize, nrow * T.rowsize, &chunk);
    st = sl_h5_new_dataset(f, np, T.ftype, 1, &hd, NULL, ch, &d, err);
  }
  if (st == SL_OK && nrow && H5Dwrite(d, T.mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    st = sl_h5_fail(err, np, "cannot write dataset");
  free(buf);
  // units: the summary attribute and one per column
  const char** names = st == SL_OK ? malloc((size_t)ncol * sizeof *names) : NULL;
  const char** units = names ? malloc((size_t)ncol * sizeof *units) : NULL;
  if (st == SL_OK && !units) st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  char* list = NULL;
  if (st == SL_OK) {
    for (int c = 0; c < ncol; c++) {
      names[c] = cols[c].name;
      units[c] = cols[c].units ? cols[c].units : "1";
    }
    list = sl_h5_units_list(ncol, names, units);
    if (!list) st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  }
  if (st == SL_OK) st = sl_h5_describe(d, list, description, np, err);
  for (int c = 0; st == SL_OK && c < ncol; c++) {
    char an[256];
    snprintf(an, sizeof an, "units_%s", cols[c].name);
    st = sl_h5_attr_str_id(d, an, units[c], np, err);
  }
  free(list);
  free(units);
  free(names);
  if (d >= 0 && H5Dclose(d) < 0 && st == SL_OK) st = sl_h5_fail(err, np, "cannot close dataset");
  sl_h5_table_free(&T);
  return st;
}

// ---- extendible datasets ------------------------------------------------------------------------

// keep d open among the cached extendible datasets (in a free slot, else replacing the oldest)
static void sl_h5_ext_cache(slH5* f, const char* np, hid_t d) {
  int k = 0;
  while (k < SL_H5_EXT_OPEN && f->ext[k] >= 0) k++;
  if (k == SL_H5_EXT_OPEN) {
    k = f->ext_next;
    f->ext_next = (k + 1) % SL_H5_EXT_OPEN;
    H5Dclose(f->ext[k]);
  }
  f->ext[k] = d;
  snprintf(f->ext_path[k], sizeof f->ext_path[k], "%s", np);
}

// the open extendible dataset at normalised path np, or SL_H5_NONE
static hid_t sl_h5_ext_find(const slH5* f, const char* np) {
  for (int k = 0; k < SL_H5_EXT_OPEN; k++)
    if (f->ext[k] >= 0 && strcmp(f->ext_path[k], np) == 0) return f->ext[k];
  return SL_H5_NONE;
}

slStatus sl_h5_ext_create(slH5* f, const char* path, slH5Type type, int ncol, size_t chunk_rows,
                          const char* const* colnames, const char* const* colunits,
                          const char* description, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_ext_create", err);
  if (st != SL_OK) return st;
  if (!sl_h5_numeric(type))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_ext_create: type must be F64, I32, I64 or U8");
  if (ncol < 1 || !colnames || !description)
    return sl_fail(err, SL_ERR_ARG, np,
                   "sl_h5_ext_create: no columns, column names or description");
  for (int c = 0; c < ncol; c++)
    if (!colnames[c])
      return sl_fail(err, SL_ERR_ARG, np, "sl_h5_ext_create: column %d has no name", c);
  size_t rowbytes = (size_t)ncol * sl_h5_size(type);
  if (chunk_rows == 0) chunk_rows = rowbytes < SL_H5_EXT_CHUNK ? SL_H5_EXT_CHUNK / rowbytes : 1;
  if (chunk_rows > UINT32_MAX / rowbytes)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_ext_create: chunks of %zu rows exceed 4 GiB",
                   chunk_rows);
  hsize_t dims[2] = {0, (hsize_t)ncol}, maxd[2] = {H5S_UNLIMITED, (hsize_t)ncol};
  hsize_t chunk[2] = {chunk_rows, (hsize_t)ncol};
  hid_t   d;
  st = sl_h5_new_dataset(f, np, sl_h5_file_type(type), 2, dims, maxd, chunk, &d, err);
  if (st != SL_OK) return st;
  const char** units = malloc((size_t)ncol * sizeof *units);
  char*        list = NULL;
  if (units) {
    for (int c = 0; c < ncol; c++) units[c] = colunits && colunits[c] ? colunits[c] : "1";
    list = sl_h5_units_list(ncol, colnames, units);
  }
  if (!list) st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  if (st == SL_OK) st = sl_h5_describe(d, list, description, np, err);
  if (st == SL_OK) st = sl_h5_attr_strs_id(d, "columns", colnames, (size_t)ncol, np, err);
  if (st == SL_OK) st = sl_h5_attr_strs_id(d, "column_units", units, (size_t)ncol, np, err);
  free(list);
  free(units);
  if (st != SL_OK) {
    H5Dclose(d);
    return st;
  }
  sl_h5_ext_cache(f, np, d);
  return SL_OK;
}

slStatus sl_h5_ext_write(slH5* f, const char* path, size_t at, size_t nrow, const void* data,
                         slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_ext_write", err);
  if (st != SL_OK) return st;
  if (nrow && !data) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_ext_write: no data");
  if (at > SIZE_MAX - nrow)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_ext_write: row offset overflows");
  hid_t d = sl_h5_ext_find(f, np);
  if (d < 0) {
    if (!sl_h5_link_exists(f->file, np)) return sl_fail(err, SL_ERR_HDF5, np, "no such dataset");
    hid_t dapl = sl_h5_ext_dapl();
    d = H5Dopen2(f->file, np, dapl);
    if (dapl != H5P_DEFAULT) H5Pclose(dapl);
    if (d < 0) return sl_h5_fail(err, np, "cannot open dataset");
    sl_h5_ext_cache(f, np, d);
  }
  hid_t   space = H5Dget_space(d), mspace = SL_H5_NONE, ftype = SL_H5_NONE, mtype = SL_H5_NONE;
  hsize_t dims[2];
  if (space < 0) return sl_h5_fail(err, np, "cannot get the dataspace");
  if (H5Sget_simple_extent_ndims(space) != 2) {
    H5Sclose(space);
    return sl_fail(err, SL_ERR_HDF5, np, "not a 2-D dataset");
  }
  H5Sget_simple_extent_dims(space, dims, NULL);
  if (nrow == 0) {
    H5Sclose(space);
    return SL_OK;
  }
  if ((hsize_t)(at + nrow) > dims[0]) {
    hsize_t nd[2] = {(hsize_t)(at + nrow), dims[1]};
    H5Sclose(space);
    if (H5Dset_extent(d, nd) < 0)
      return sl_h5_fail(err, np, "cannot extend to %zu rows", at + nrow);
    space = H5Dget_space(d);
    if (space < 0) return sl_h5_fail(err, np, "cannot get the dataspace");
  }
  hsize_t start[2] = {(hsize_t)at, 0}, count[2] = {(hsize_t)nrow, dims[1]};
  if (H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
    st = sl_h5_fail(err, np, "cannot select rows %zu..%zu", at, at + nrow);
  if (st == SL_OK && (mspace = H5Screate_simple(2, count, NULL)) < 0)
    st = sl_h5_fail(err, np, "cannot create the memory dataspace");
  if (st == SL_OK && (ftype = H5Dget_type(d)) < 0)
    st = sl_h5_fail(err, np, "cannot get the element type");
  if (st == SL_OK && (mtype = H5Tget_native_type(ftype, H5T_DIR_ASCEND)) < 0)
    st = sl_h5_fail(err, np, "cannot get the native element type");
  if (st == SL_OK && H5Dwrite(d, mtype, mspace, space, H5P_DEFAULT, data) < 0)
    st = sl_h5_fail(err, np, "cannot write rows %zu..%zu", at, at + nrow);
  if (mtype >= 0) H5Tclose(mtype);
  if (ftype >= 0) H5Tclose(ftype);
  if (mspace >= 0) H5Sclose(mspace);
  H5Sclose(space);
  return st;
}

// ---- reading ------------------------------------------------------------------------------------

int sl_h5_exists(slH5* f, const char* path) {
  char np[SL_H5_PATH_MAX];
  if (!f || f->file < 0 || sl_h5_norm(path, np) != 0) return 0;
  return sl_h5_link_exists(f->file, np);
}

// What a read path names: a dataset, or one column ("<table>/<column>") of a compound dataset.
typedef struct slH5View {
  hid_t       d;
  const char* member;  // column name inside np, or NULL
} slH5View;

static slStatus sl_h5_view(slH5* f, const char* np, slH5View* v, slError* err) {
  v->d = SL_H5_NONE;
  v->member = NULL;
  if (sl_h5_link_exists(f->file, np)) {
    if (sl_h5_kind(f->file, np) != H5I_DATASET)
      return sl_fail(err, SL_ERR_HDF5, np, "not a dataset");
    v->d = H5Dopen2(f->file, np, H5P_DEFAULT);
    if (v->d < 0) return sl_h5_fail(err, np, "cannot open dataset");
    return SL_OK;
  }
  const char* slash = strrchr(np, '/');
  char        parent[SL_H5_PATH_MAX];
  memcpy(parent, np, (size_t)(slash - np));
  parent[slash - np] = '\0';
  if (slash != np && sl_h5_link_exists(f->file, parent) &&
      sl_h5_kind(f->file, parent) == H5I_DATASET) {
    hid_t d = H5Dopen2(f->file, parent, H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : SL_H5_NONE;
    int   ok = t >= 0 && H5Tget_class(t) == H5T_COMPOUND && H5Tget_member_index(t, slash + 1) >= 0;
    if (t >= 0) H5Tclose(t);
    H5Eclear2(H5E_DEFAULT);
    if (ok) {
      v->d = d;
      v->member = slash + 1;
      return SL_OK;
    }
    if (d >= 0) H5Dclose(d);
  }
  return sl_fail(err, SL_ERR_HDF5, np, "no such dataset");
}

static void sl_h5_view_close(slH5View* v) {
  if (v->d >= 0) H5Dclose(v->d);
  v->d = SL_H5_NONE;
}

// file type of one element of the view (the column's type for a table column); close it
static hid_t sl_h5_view_ftype(const slH5View* v) {
  hid_t t = H5Dget_type(v->d);
  if (t < 0 || !v->member) return t;
  int   i = H5Tget_member_index(t, v->member);
  hid_t m = i >= 0 ? H5Tget_member_type(t, (unsigned)i) : SL_H5_NONE;
  H5Tclose(t);
  return m;
}

// memory type reading elem (one column wrapped in a compound for a table column); close it
static hid_t sl_h5_view_mtype(const slH5View* v, hid_t elem) {
  if (!v->member) return H5Tcopy(elem);
  hid_t c = H5Tcreate(H5T_COMPOUND, H5Tget_size(elem));
  if (c >= 0 && H5Tinsert(c, v->member, 0, elem) < 0) {
    H5Tclose(c);
    return SL_H5_NONE;
  }
  return c;
}

slStatus sl_h5_shape(slH5* f, const char* path, int* rank, size_t dims[4], slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_shape", err);
  if (st != SL_OK) return st;
  if (!rank || !dims) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_shape: no output");
  slH5View v;
  if ((st = sl_h5_view(f, np, &v, err)) != SL_OK) return st;
  hid_t space = H5Dget_space(v.d);
  int   r = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
  if (r < 0) {
    st = sl_h5_fail(err, np, "cannot get the dataspace");
  } else if (r > 4) {
    st = sl_fail(err, SL_ERR_HDF5, np, "rank %d (more than 4 dimensions)", r);
  } else {
    hsize_t hd[4];
    H5Sget_simple_extent_dims(space, hd, NULL);
    *rank = r;
    for (int i = 0; i < 4; i++) dims[i] = i < r ? (size_t)hd[i] : 1;
  }
  if (space >= 0) H5Sclose(space);
  sl_h5_view_close(&v);
  return st;
}

// read `count` rows from `at` (all of it when whole) of the view into data with element type elem
static slStatus sl_h5_read_view(const slH5View* v, const char* np, hid_t elem, int whole, size_t at,
                                size_t nrow, void* data, slError* err) {
  slStatus st = SL_OK;
  hid_t    space = H5Dget_space(v->d), mspace = SL_H5_NONE, mtype = SL_H5_NONE;
  if (space < 0) return sl_h5_fail(err, np, "cannot get the dataspace");
  hssize_t npts = H5Sget_simple_extent_npoints(space);
  int      r = H5Sget_simple_extent_ndims(space);
  hsize_t  dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = {0};
  if (npts < 0 || r < 0) {
    st = sl_h5_fail(err, np, "cannot get the dataspace");
  } else if (!whole) {
    H5Sget_simple_extent_dims(space, dims, NULL);
    if (r < 1) {
      st = sl_fail(err, SL_ERR_HDF5, np, "a scalar dataset has no rows");
    } else if (at > dims[0] || nrow > dims[0] - at) {
      st = sl_fail(err, SL_ERR_HDF5, np, "rows %zu..%zu out of range (%llu rows)", at, at + nrow,
                   (unsigned long long)dims[0]);
    } else if (nrow > 0) {
      start[0] = at;
      dims[0] = nrow;
      if (H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, dims, NULL) < 0 ||
          (mspace = H5Screate_simple(r, dims, NULL)) < 0)
        st = sl_h5_fail(err, np, "cannot select rows %zu..%zu", at, at + nrow);
    }
  }
  int empty = whole ? npts == 0 : nrow == 0;
  if (st == SL_OK && !empty) {
    if ((mtype = sl_h5_view_mtype(v, elem)) < 0)
      st = sl_h5_fail(err, np, "cannot create the memory type");
    else if (H5Dread(v->d, mtype, whole ? H5S_ALL : mspace, whole ? H5S_ALL : space, H5P_DEFAULT,
                     data) < 0)
      st = sl_h5_fail(err, np, "cannot read dataset as the requested type");
  }
  if (mtype >= 0) H5Tclose(mtype);
  if (mspace >= 0) H5Sclose(mspace);
  H5Sclose(space);
  return st;
}

slStatus sl_h5_read(slH5* f, const char* path, slH5Type type, void* data, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_read", err);
  if (st != SL_OK) return st;
  if (!sl_h5_numeric(type))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_read: type must be F64, I32, I64 or U8");
  slH5View v;
  if ((st = sl_h5_view(f, np, &v, err)) != SL_OK) return st;
  st = sl_h5_read_view(&v, np, sl_h5_mem_type(type), 1, 0, 0, data, err);
  sl_h5_view_close(&v);
  return st;
}

slStatus sl_h5_read_rows(slH5* f, const char* path, slH5Type type, size_t at, size_t nrow,
                         void* data, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_read_rows", err);
  if (st != SL_OK) return st;
  if (!sl_h5_numeric(type))
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_read_rows: type must be F64, I32, I64 or U8");
  if (nrow && !data) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_read_rows: no buffer");
  slH5View v;
  if ((st = sl_h5_view(f, np, &v, err)) != SL_OK) return st;
  st = sl_h5_read_view(&v, np, sl_h5_mem_type(type), 0, at, nrow, data, err);
  sl_h5_view_close(&v);
  return st;
}

void sl_h5_free_strings(char** s, size_t n) {
  if (!s) return;
  for (size_t i = 0; i < n; i++) free(s[i]);
  free(s);
}

// a memory string type matching a file string type (same size class and character set)
static hid_t sl_h5_str_mem_like(hid_t ftype) {
  int    var = H5Tis_variable_str(ftype) > 0;
  size_t sz = var ? 0 : H5Tget_size(ftype);
  hid_t  t = sl_h5_str_type(sz, H5Tget_cset(ftype));
  if (t >= 0 && !var && H5Tset_strpad(t, H5Tget_strpad(ftype)) < 0) {
    H5Tclose(t);
    return SL_H5_NONE;
  }
  return t;
}

// element i of a buffer read with string memory type mt as a new C string (NULL: out of memory)
static char* sl_h5_str_elem(const unsigned char* buf, size_t i, hid_t mt) {
  if (H5Tis_variable_str(mt) > 0) {
    const char* p;
    memcpy(&p, buf + i * sizeof p, sizeof p);
    return sl_h5_strdup(p ? p : "");
  }
  size_t      sz = H5Tget_size(mt);
  const char* p = (const char*)buf + i * sz;
  size_t      len = 0;
  while (len < sz && p[len]) len++;
  char* s = malloc(len + 1);
  if (s) {
    memcpy(s, p, len);
    s[len] = '\0';
  }
  return s;
}

slStatus sl_h5_read_strings(slH5* f, const char* path, char*** s, size_t* n, slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, path, np, 0, "sl_h5_read_strings", err);
  if (st != SL_OK) return st;
  if (!s || !n) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_read_strings: no output");
  *s = NULL;
  *n = 0;
  slH5View v;
  if ((st = sl_h5_view(f, np, &v, err)) != SL_OK) return st;
  hid_t          ftype = sl_h5_view_ftype(&v), elem = SL_H5_NONE, mtype = SL_H5_NONE;
  hid_t          space = H5Dget_space(v.d);
  hssize_t       npts = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  unsigned char* buf = NULL;
  int            have = 0;  // buf holds HDF5-allocated strings
  if (ftype < 0 || npts < 0) {
    st = sl_h5_fail(err, np, "cannot get the type or dataspace");
  } else if (H5Tget_class(ftype) != H5T_STRING) {
    st = sl_fail(err, SL_ERR_HDF5, np, "not a string dataset");
  } else if ((elem = sl_h5_str_mem_like(ftype)) < 0 || (mtype = sl_h5_view_mtype(&v, elem)) < 0) {
    st = sl_h5_fail(err, np, "cannot create the memory string type");
  } else if (!(buf = calloc(npts ? (size_t)npts : 1, H5Tget_size(mtype)))) {
    st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  } else if (npts && H5Dread(v.d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
    st = sl_h5_fail(err, np, "cannot read strings");
  } else {
    have = npts > 0;
  }
  char** out = NULL;
  if (st == SL_OK && !(out = calloc(npts ? (size_t)npts : 1, sizeof *out)))
    st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  for (hssize_t i = 0; st == SL_OK && i < npts; i++)
    if (!(out[i] = sl_h5_str_elem(buf, (size_t)i, elem)))
      st = sl_fail(err, SL_ERR_NOMEM, np, "out of memory");
  if (have && H5Tis_variable_str(elem) > 0) SL_H5_RECLAIM(mtype, space, buf);
  if (st == SL_OK) {
    *s = out;
    *n = (size_t)npts;
  } else {
    sl_h5_free_strings(out, npts > 0 ? (size_t)npts : 0);
  }
  free(buf);
  if (mtype >= 0) H5Tclose(mtype);
  if (elem >= 0) H5Tclose(elem);
  if (ftype >= 0) H5Tclose(ftype);
  if (space >= 0) H5Sclose(space);
  sl_h5_view_close(&v);
  return st;
}

// Attribute a (npts elements of file type ft) as text: strings as they are, numbers as %.17g or
// %lld, several elements joined by "; ". malloc'ed into *out.
static slStatus sl_h5_attr_text(hid_t a, hid_t ft, size_t npts, char** out, const char* where,
                                const char* name, slError* err) {
  *out = NULL;
  H5T_class_t cls = H5Tget_class(ft);
  if (cls != H5T_STRING && cls != H5T_INTEGER && cls != H5T_FLOAT)
    return sl_fail(err, SL_ERR_HDF5, where, "attribute '%s' is neither text nor a number", name);
  int    isstr = cls == H5T_STRING, uns = cls == H5T_INTEGER && H5Tget_sign(ft) == H5T_SGN_NONE;
  hid_t  mt = isstr ? sl_h5_str_mem_like(ft)
                    : H5Tcopy(cls == H5T_FLOAT ? H5T_NATIVE_DOUBLE
                              : uns            ? H5T_NATIVE_ULLONG
                                               : H5T_NATIVE_LLONG);
  size_t esize = mt >= 0 ? H5Tget_size(mt) : 0;
  if (mt < 0) return sl_h5_fail(err, where, "cannot create a memory type for '%s'", name);
  unsigned char* buf = calloc(npts ? npts : 1, esize);
  slStatus       st = SL_OK;
  if (!buf) {
    st = sl_fail(err, SL_ERR_NOMEM, where, "out of memory");
  } else if (npts && H5Aread(a, mt, buf) < 0) {
    st = sl_h5_fail(err, where, "cannot read attribute '%s'", name);
    free(buf);
    buf = NULL;
  }
  char** parts = st == SL_OK ? calloc(npts ? npts : 1, sizeof *parts) : NULL;
  size_t total = 1;
  if (st == SL_OK && !parts) st = sl_fail(err, SL_ERR_NOMEM, where, "out of memory");
  for (size_t i = 0; st == SL_OK && i < npts; i++) {
    if (isstr) {
      parts[i] = sl_h5_str_elem(buf, i, mt);
    } else if ((parts[i] = malloc(32))) {
      if (cls == H5T_FLOAT) {
        double x;
        memcpy(&x, buf + i * esize, sizeof x);
        snprintf(parts[i], 32, "%.17g", x);
      } else if (uns) {
        unsigned long long x;
        memcpy(&x, buf + i * esize, sizeof x);
        snprintf(parts[i], 32, "%llu", x);
      } else {
        long long x;
        memcpy(&x, buf + i * esize, sizeof x);
        snprintf(parts[i], 32, "%lld", x);
      }
    }
    if (!parts[i])
      st = sl_fail(err, SL_ERR_NOMEM, where, "out of memory");
    else
      total += strlen(parts[i]) + 2;
  }
  if (buf && isstr && npts && H5Tis_variable_str(mt) > 0) {
    hsize_t d = npts;
    hid_t   s = H5Screate_simple(1, &d, NULL);
    if (s >= 0) {
      SL_H5_RECLAIM(mt, s, buf);
      H5Sclose(s);
    }
  }
  if (st == SL_OK && !(*out = malloc(total)))
    st = sl_fail(err, SL_ERR_NOMEM, where, "out of memory");
  if (st == SL_OK) {
    (*out)[0] = '\0';
    for (size_t i = 0; i < npts; i++) sl_strcat(*out, total, "; ", parts[i]);
  }
  if (parts)
    for (size_t i = 0; i < npts; i++) free(parts[i]);
  free(parts);
  free(buf);
  H5Tclose(mt);
  return st;
}

slStatus sl_h5_read_attr_str(slH5* f, const char* obj, const char* name, char* buf, size_t n,
                             slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, obj, np, 1, "sl_h5_read_attr_str", err);
  if (st != SL_OK) return st;
  if (!name || !buf || n == 0)
    return sl_fail(err, SL_ERR_ARG, np, "sl_h5_read_attr_str: no name or no buffer");
  buf[0] = '\0';
  if (!sl_h5_link_exists(f->file, np))
    return sl_fail(err, SL_ERR_HDF5, np, "no such group or dataset");
  htri_t ex = H5Aexists_by_name(f->file, np, name, H5P_DEFAULT);
  if (ex < 0) return sl_h5_fail(err, np, "cannot look up attribute '%s'", name);
  if (ex == 0) return sl_fail(err, SL_ERR_HDF5, np, "no attribute '%s'", name);
  hid_t a = H5Aopen_by_name(f->file, np, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return sl_h5_fail(err, np, "cannot open attribute '%s'", name);
  hid_t    ft = H5Aget_type(a), space = H5Aget_space(a);
  hssize_t npts = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  char*    text = NULL;
  if (ft < 0 || npts < 0)
    st = sl_h5_fail(err, np, "cannot get the type of attribute '%s'", name);
  else
    st = sl_h5_attr_text(a, ft, (size_t)npts, &text, np, name, err);
  if (st == SL_OK) {
    size_t len = strlen(text);
    if (len > n - 1) {  // truncate, never inside a UTF-8 sequence
      len = n - 1;
      while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
  }
  free(text);
  if (space >= 0) H5Sclose(space);
  if (ft >= 0) H5Tclose(ft);
  H5Aclose(a);
  return st;
}

const char* sl_h5_version(void) {
  sl_h5_quiet();
  static char v[32];
  unsigned    maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  snprintf(v, sizeof v, "%u.%u.%u", maj, min, rel);
  return v;
}

// ---- listing ------------------------------------------------------------------------------------
typedef struct slH5Walk {
  const char* base;  // the group walked ("/" or "/a/b")
  int (*cb)(void* ctx, const char* path);
  void* ctx;
} slH5Walk;

#if H5_VERSION_GE(1, 12, 0)
static herr_t sl_h5_list_cb(hid_t g, const char* name, const H5L_info2_t* info, void* data) {
#else
static herr_t sl_h5_list_cb(hid_t g, const char* name, const H5L_info_t* info, void* data) {
#endif
  (void)info;
  slH5Walk* w = data;
  if (sl_h5_kind(g, name) != H5I_DATASET) return 0;
  char path[SL_H5_PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", strcmp(w->base, "/") ? w->base : "", name);
  return w->cb(w->ctx, path) ? 1 : 0;
}

slStatus sl_h5_list(slH5* f, const char* group, int (*cb)(void* ctx, const char* path), void* ctx,
                    slError* err) {
  char     np[SL_H5_PATH_MAX];
  slStatus st = sl_h5_prep(f, group, np, 1, "sl_h5_list", err);
  if (st != SL_OK) return st;
  if (!cb) return sl_fail(err, SL_ERR_ARG, np, "sl_h5_list: no callback");
  if (sl_h5_kind(f->file, np) != H5I_GROUP) return sl_fail(err, SL_ERR_HDF5, np, "not a group");
  hid_t g = H5Gopen2(f->file, np, H5P_DEFAULT);
  if (g < 0) return sl_h5_fail(err, np, "cannot open the group");
  slH5Walk w = {np, cb, ctx};
#if H5_VERSION_GE(1, 12, 0)
  herr_t r = H5Lvisit2(g, H5_INDEX_NAME, H5_ITER_INC, sl_h5_list_cb, &w);
#else
  herr_t r = H5Lvisit(g, H5_INDEX_NAME, H5_ITER_INC, sl_h5_list_cb, &w);
#endif
  if (r < 0) st = sl_h5_fail(err, np, "cannot list the group");
  H5Gclose(g);
  return st;
}
