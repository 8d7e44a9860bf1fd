// sl_version.c: the build's provenance, and where the source tree's data files are.
#include <stdio.h>
#include <unistd.h>

#include "sl_config.h"
#include "spineload.h"

const char* sl_version(void) {
  return SL_VERSION;
}

const char* sl_build_summary(void) {
  return SL_C_COMPILER " " SL_BUILD_TYPE ", " SL_GIT_REV;
}

const char* sl_build_info(void) {
  return "spineload " SL_VERSION " (git " SL_GIT_REV "), " SL_C_COMPILER ", " SL_BUILD_TYPE
         " build\nflags: " SL_C_FLAGS "\n";
}

int sl_source_path(const char* rel, char* out, int n) {
  int len = access(rel, R_OK) == 0 ? snprintf(out, (size_t)n, "%s", rel)
                                   : snprintf(out, (size_t)n, "%s/%s", SL_SOURCE_DIR, rel);
  return len >= 0 && len < n ? 0 : -1;
}
