// replay_main.c: runs a fuzz target over every file of the directories or files given, so fuzz
// targets compile and run their corpus in builds without libFuzzer (gcc, release).
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int run_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return 1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* b = malloc(n > 0 ? (size_t)n : 1);
  size_t   got = b ? fread(b, 1, (size_t)(n > 0 ? n : 0), f) : 0;
  fclose(f);
  if (!b) return 1;
  LLVMFuzzerTestOneInput(b, got);
  free(b);
  return 0;
}

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: cannot stat %s\n", argv[i]);
      return 1;
    }
    if (S_ISDIR(st.st_mode)) {
      DIR* d = opendir(argv[i]);
      if (!d) return 1;
      struct dirent* e;
      while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
        if (run_file(p) == 0) count++;
      }
      closedir(d);
    } else if (run_file(argv[i]) == 0) {
      count++;
    }
  }
  printf("replayed %d inputs\n", count);
  return 0;
}
