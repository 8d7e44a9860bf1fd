// cmd_rank.c: `spineload rank [POSITIONS...]`: evaluate the position library over its thrust
// cycles for both partners, rank, print the safety table and the comparison with the popular
// claim, and write HDF5, markdown and CSV.
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sl_config.h"
#include "sl_io.h"
#include "sl_position.h"

#define MAXPOS 256
#define L45    1
#define L5S1   0

typedef slRankRow Row;

static int cmp_str(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

// position files: arguments (files or directories), or the built-in library
static int collect(const CliOpts* o, char** files, int* n) {
  const char*        dflt[1];
  char               lib[1024];
  const char* const* args = o->pos;
  int                nargs = o->npos;
  if (nargs == 0) {
    snprintf(lib, sizeof lib, "%s", "scenarios/positions");
    if (access(lib, R_OK) != 0) snprintf(lib, sizeof lib, "%s/scenarios/positions", SL_SOURCE_DIR);
    dflt[0] = lib;
    args = dflt;
    nargs = 1;
  }
  *n = 0;
  for (int i = 0; i < nargs; i++) {
    struct stat st;
    if (stat(args[i], &st) != 0) return cli_usage_error("cannot find position '%s'", args[i]);
    if (!S_ISDIR(st.st_mode)) {
      if (*n < MAXPOS) files[(*n)++] = strdup(args[i]);
      continue;
    }
    DIR* d = opendir(args[i]);
    if (!d) return cli_usage_error("cannot read directory '%s'", args[i]);
    int            first = *n;
    struct dirent* e;
    while ((e = readdir(d)) && *n < MAXPOS) {
      size_t len = strlen(e->d_name);
      if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
      char p[2048];
      snprintf(p, sizeof p, "%s/%s", args[i], e->d_name);
      files[(*n)++] = strdup(p);
    }
    closedir(d);
    qsort(files + first, (size_t)(*n - first), sizeof(char*), cmp_str);  // a stable order
  }
  if (*n == 0) return cli_usage_error("no position files found");
  return 0;
}

static double max_shear(const slMetrics* m) {
  double s = 0;
  for (int l = 0; l < SL_NLEVEL; l++) s = fmax(s, m->peak_shear[l]);
  return s;
}

// how the role moves in the cycle: hip or spine strategy (chosen so its limbs stay planted), or
// still
static const char* thrust_of(const slRole* R) {
  return R->drive == SL_DRIVE_STILL ? "still" : sl_strategy_name(R->strategy);
}

static void print_table(FILE* f, int csv, slPosition** P, const Row* rows, int n) {
  if (csv) {
    fprintf(f,
            "rank,position,role,title,claim,thrust,peak_compression_L4L5_N,peak_compression_L5S1_N,"
            "peak_shear_N,peak_idp_L4L5_MPa,lumbar_flexion_pct_rom,lumbar_extension_pct_rom,"
            "load_index,rank_flexion_intolerant,rank_extension_intolerant,"
            "rank_compression_sensitive,peak_joint_strength_pct,sliding_contacts,flagged_samples,"
            "note\n");
  } else {
    fprintf(f,
            "| rank | position | role | thrust | peak C L4/L5 [N] | peak C L5/S1 [N] | peak shear "
            "[N] | IDP L4/L5 [MPa] | flexion %%ROM | extension %%ROM | load index | note |\n");
    fprintf(f, "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
  }
  for (int k = 1; k <= n; k++)
    for (int i = 0; i < n; i++) {
      if (rows[i].rank != k) continue;
      const Row*        r = &rows[i];
      const slPosition* p = P[r->pos];
      const char*       claim = p->claim == SL_CLAIM_SAFE    ? "claimed safe"
                                : p->claim == SL_CLAIM_RISKY ? "warned against"
                                                             : "";
      const slRole*     R = &p->role[r->role];
      if (csv)
        fprintf(
            f,
            "%d,%s,%s,\"%s\",%s,%s,%.1f,%.1f,%.1f,%.4f,%.1f,%.1f,%.4f,%d,%d,%d,%.1f,%d,%d,\"%s\"\n",
            r->rank, p->name, R->name, p->title, claim, thrust_of(R), r->mt.peak_comp[L45],
            r->mt.peak_comp[L5S1], max_shear(&r->mt), r->mt.peak_idp[L45], r->mt.peak_flex_rom,
            r->mt.peak_ext_rom, r->mt.load_index, r->rank_flex, r->rank_ext, r->rank_comp,
            100 * r->mt.peak_joint_share, r->mt.sliding, r->mt.flagged, r->phrase);
      else
        fprintf(f,
                "| %d | %s%s | %s | %s | %.0f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s |\n",
                r->rank, p->title, p->claim == SL_CLAIM_SAFE ? " (claimed safe)" : "", R->name,
                thrust_of(R), r->mt.peak_comp[L45], r->mt.peak_comp[L5S1], max_shear(&r->mt),
                r->mt.peak_idp[L45], r->mt.peak_flex_rom, r->mt.peak_ext_rom, r->mt.load_index,
                r->phrase);
    }
}

static void print_claims(FILE* f, slPosition** P, const slRanking* rk) {
  int        np = rk->npos, n = rk->nrow;
  const Row* rows = rk->row;
  fprintf(f,
          "\nThe popular claim: spooning, modified missionary and edge-of-bed sitting are the "
          "safe positions for a painful back; positions that arch or bend the spine deeply are "
          "risky.\nPhysics, position by position (positions ranked by the larger load index "
          "of the two partners, 1 = gentlest of %d):\n\n",
          np);
  for (int k = 1; k <= np; k++)
    for (int p = 0; p < np; p++) {
      if (rk->pos_rank[p] != k) continue;
      const char* claim = P[p]->claim == SL_CLAIM_SAFE    ? "claimed safe"
                          : P[p]->claim == SL_CLAIM_RISKY ? "warned against"
                                                          : "no claim";
      fprintf(f, "- %s (%s): rank %d, load index", P[p]->title, claim, k);
      for (int i = 0; i < n; i++)
        if (rows[i].pos == p)
          fprintf(f, " %s %.2f (flexion %.0f%%, extension %.0f%% ROM%s)",
                  P[p]->role[rows[i].role].name, rows[i].mt.load_index, rows[i].mt.peak_flex_rom,
                  rows[i].mt.peak_ext_rom,
                  rows[i].mt.flagged ? "; FLAGGED: needs reserves or beyond joint strength" : "");
      int agrees = rk->verdict[p] == SL_VERDICT_AGREES;
      if (P[p]->claim == SL_CLAIM_SAFE)
        fprintf(f, " -> %s\n",
                agrees ? "agrees: among the gentlest third"
                       : "DISAGREES: not among the gentlest third");
      else if (P[p]->claim == SL_CLAIM_RISKY)
        fprintf(f, " -> %s\n",
                agrees ? "agrees: among the most loading third"
                       : "DISAGREES: not among the most loading third");
      else
        fprintf(f, "\n");
    }
}

static slStatus write_h5(const char* out, slPosition** P, slPositionRun** R, int np,
                         const Row* rows, int n, int argc, char** argv, slError* err) {
  slH5*    f = NULL;
  slStatus st = sl_h5_create(&f, out, err);
  if (st != SL_OK) return st;
  const char* files[MAXPOS + 8];
  int         nf = 0;
  for (int p = 0; p < np && nf < MAXPOS; p++) files[nf++] = P[p]->file;
  st = sl_results_write_meta(f, argc, argv, files, nf, err);
  if (!st) st = sl_results_write_model(P[0]->role[0].model, f, "/model", err);
  char path[512];
  for (int p = 0; p < np && !st; p++) {
    snprintf(path, sizeof path, "/positions/%s/time", P[p]->name);
    size_t ns = (size_t)R[p]->samples;
    st = sl_h5_write(f, path, SL_H5_F64, 1, &ns, R[p]->time, "s", "time of each cycle sample", err);
    snprintf(path, sizeof path, "/positions/%s", P[p]->name);
    if (!st) st = sl_h5_attr_str(f, path, "title", P[p]->title, err);
    if (!st) st = sl_h5_attr_str(f, path, "description", P[p]->description, err);
    if (!st) st = sl_h5_attr_str(f, path, "claim", P[p]->claim_text, err);
    if (!st) st = sl_h5_attr_f64(f, path, "frequency_hz", P[p]->frequency, err);
    for (int k = 0; k < P[p]->nrole && !st; k++) {
      snprintf(path, sizeof path, "/positions/%s/%s", P[p]->name, P[p]->role[k].name);
      st = sl_results_write(R[p]->res[k], f, path, err);
      char   p2[600];
      size_t dims[2] = {ns, 3};
      snprintf(p2, sizeof p2, "%s/lumbar_angles", path);
      if (!st)
        st = sl_h5_write(f, p2, SL_H5_F64, 2, dims, R[p]->lumbar[k], "rad",
                         "total lumbar flexion (+), lateral bend (+ right), twist (+ left) "
                         "relative to upright standing",
                         err);
      if (!st) st = sl_h5_attr_str(f, path, "description", P[p]->role[k].description, err);
      if (!st) st = sl_h5_attr_str(f, path, "body", P[p]->role[k].body_path, err);
      if (!st) st = sl_h5_attr_str(f, path, "thrust", thrust_of(&P[p]->role[k]), err);
      // the contacts of this role, in the order of contacts/* (supports, then partner contacts)
      char        cn[64][160];
      const char* cp[64];
      int         nc = 0;
      for (int j = 0; j < P[p]->ncontact && nc < 64; j++) {
        const slContact* c = &P[p]->contacts[j];
        if (c->body != k && c->other != k) continue;
        const slModel* mk = P[p]->role[k].model;
        int            mine = c->body == k ? c->land : c->other_land;
        if (c->other < 0)
          snprintf(cn[nc], sizeof cn[nc], "%s", mk->land_name[mine]);
        else {
          int o = c->body == k ? c->other : c->body, ol = c->body == k ? c->other_land : c->land;
          snprintf(cn[nc], sizeof cn[nc], "%s on %s's %s", mk->land_name[mine], P[p]->role[o].name,
                   P[p]->role[o].model->land_name[ol]);
        }
        cp[nc] = cn[nc];
        nc++;
      }
      snprintf(p2, sizeof p2, "%s/contacts/names", path);
      if (!st && nc > 0)
        st = sl_h5_write_strings(f, p2, cp, (size_t)nc,
                                 "the landmark of each contact (columns of contacts/*): a support "
                                 "on the bed or floor, or 'landmark on partner's landmark'",
                                 err);
      if (!st)
        st = sl_h5_attr_f64(f, path, "planted_support_residual_m", P[p]->role[k].plant_resid, err);
    }
  }
  // the ranking table
  const char** pos = calloc((size_t)n + 1, sizeof(char*));
  const char** role = calloc((size_t)n + 1, sizeof(char*));
  const char** note = calloc((size_t)n + 1, sizeof(char*));
  const char** thr = calloc((size_t)n + 1, sizeof(char*));
  int*         ri[6];
  double*      rd[10];
  for (int k = 0; k < 6; k++) ri[k] = calloc((size_t)n + 1, sizeof(int));
  for (int k = 0; k < 10; k++) rd[k] = calloc((size_t)n + 1, sizeof(double));
  for (int i = 0; i < n && pos && role && note && thr; i++) {
    thr[i] = thrust_of(&P[rows[i].pos]->role[rows[i].role]);
    ri[5][i] = rows[i].mt.sliding;
    rd[9][i] = rows[i].mt.peak_joint_share;
    pos[i] = P[rows[i].pos]->name;
    role[i] = P[rows[i].pos]->role[rows[i].role].name;
    note[i] = rows[i].phrase;
    ri[0][i] = rows[i].rank, ri[1][i] = rows[i].rank_flex, ri[2][i] = rows[i].rank_ext;
    ri[3][i] = rows[i].rank_comp, ri[4][i] = rows[i].mt.flagged;
    const slMetrics* m = &rows[i].mt;
    rd[0][i] = m->load_index, rd[1][i] = m->peak_comp[L45], rd[2][i] = m->peak_comp[L5S1];
    rd[3][i] = max_shear(m), rd[4][i] = m->peak_idp[L45], rd[5][i] = m->peak_flex_rom;
    rd[6][i] = m->peak_ext_rom, rd[7][i] = m->mean_comp[L45], rd[8][i] = m->max_reserve;
  }
  slH5Col cols[] = {
      {"position", SL_H5_STR, "", pos},
      {"role", SL_H5_STR, "", role},
      {"thrust", SL_H5_STR, "", thr},
      {"rank", SL_H5_I32, "1", ri[0]},
      {"load_index", SL_H5_F64, "1", rd[0]},
      {"peak_compression_L4L5", SL_H5_F64, "N", rd[1]},
      {"peak_compression_L5S1", SL_H5_F64, "N", rd[2]},
      {"peak_shear", SL_H5_F64, "N", rd[3]},
      {"peak_idp_L4L5", SL_H5_F64, "MPa", rd[4]},
      {"lumbar_flexion_pct_rom", SL_H5_F64, "%", rd[5]},
      {"lumbar_extension_pct_rom", SL_H5_F64, "%", rd[6]},
      {"mean_compression_L4L5", SL_H5_F64, "N", rd[7]},
      {"max_reserve", SL_H5_F64, "N m", rd[8]},
      {"rank_flexion_intolerant", SL_H5_I32, "1", ri[1]},
      {"rank_extension_intolerant", SL_H5_I32, "1", ri[2]},
      {"rank_compression_sensitive", SL_H5_I32, "1", ri[3]},
      {"peak_joint_strength_share", SL_H5_F64, "1", rd[9]},
      {"sliding_contacts", SL_H5_I32, "1", ri[5]},
      {"flagged_samples", SL_H5_I32, "1", ri[4]},
      {"note", SL_H5_STR, "", note},
  };
  if (!st)
    st = sl_h5_write_table(f, "/ranking", (size_t)n, (int)(sizeof cols / sizeof cols[0]), cols,
                           "one row per position and role; rank 1 is the lowest load index", err);
  free(pos), free(role), free(note), free(thr);
  for (int k = 0; k < 6; k++) free(ri[k]);
  for (int k = 0; k < 10; k++) free(rd[k]);
  if (st != SL_OK) {
    sl_h5_abort(f);
    return st;
  }
  return sl_h5_commit(f, err);
}

// write a text file through a temporary name
static int write_text(const char* path, int csv, slPosition** P, const slRanking* rk) {
  char tmp[1100];
  sl_tmp_name(path, tmp, sizeof tmp);
  FILE* f = fopen(tmp, "w");
  if (!f) return -1;
  if (!csv) fprintf(f, "# spineload position ranking\n\n");
  print_table(f, csv, P, rk->row, rk->nrow);
  if (!csv) print_claims(f, P, rk);
  int bad = fclose(f) != 0;
  if (bad) {
    remove(tmp);
    return -1;
  }
  return sl_commit_file(tmp, path, NULL) == SL_OK ? 0 : -1;
}

int cmd_rank(int argc, char** argv, const CliOpts* o) {
  char* files[MAXPOS];
  int   np = 0;
  int   rc = collect(o, files, &np);
  if (rc) return rc;
  slError        e;
  slSoOpt        so = sl_so_opt_default();
  slOverride     rest[CLI_MAXSET];
  int            nrest = 0;
  slPosition*    P[MAXPOS] = {0};
  slPositionRun* R[MAXPOS] = {0};
  slRanking      rk;
  memset(&rk, 0, sizeof rk);
  const char* out = o->out ? o->out : "spineload_rank.h5";
  slMotionOpt mot = sl_motion_opt_default();
  if (sl_overrides_apply(o->set, o->nset, rest, &nrest, &so, &e) != SL_OK ||
      sl_motion_opt_set(&mot, rest, nrest, &e) != SL_OK ||
      sl_positions_load(P, (const char* const*)files, np, &mot, rest, nrest, &e) != SL_OK ||
      sl_positions_run((const slPosition* const*)P, np, &so, o->threads, R, &e) != SL_OK ||
      sl_ranking_make(&rk, (const slPosition* const*)P, (const slPositionRun* const*)R, np, &e) !=
          SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  const Row* rows = rk.row;
  int        n = rk.nrow;
  if (!o->quiet) {
    printf(
        "spineload position ranking: %d positions, %d partner roles; criterion %s; thrust "
        "cycle %.2f Hz, driver amplitude %.1f deg, follower %.1f deg, %d samples; strategy %s\n\n",
        np, n, sl_criterion_name(so.criterion), mot.frequency, mot.amplitude / SL_DEG,
        mot.follower_amplitude / SL_DEG, mot.samples,
        mot.automatic          ? "auto (the driver thrusts from the hips and a follower moves its "
                                 "spine, unless that cannot keep the partner's planted limbs in "
                                 "place: then the other; column 'thrust')"
        : mot.spine_share == 0 ? "hip-driven"
        : mot.spine_share == 1 ? "spine-driven"
                               : "mixed");
    print_table(stdout, 0, P, rows, n);
    printf(
        "\nload index = max over the cycle and levels of compression / 3400 N and shear / 700 N "
        "(< 1: within the limits for repetitive loading)\n");
    printf("\nBy clinical phenotype (lower score first):\n");
    static const char* const pheno[3] = {"flexion-intolerant", "extension-intolerant",
                                         "compression-sensitive"};
    for (int w = 0; w < 3; w++) {
      printf("  %s:", pheno[w]);
      for (int k = 1; k <= (n < 5 ? n : 5); k++)
        for (int i = 0; i < n; i++) {
          int rw = w == 0 ? rows[i].rank_flex : w == 1 ? rows[i].rank_ext : rows[i].rank_comp;
          if (rw == k)
            printf(" %d. %s/%s", k, P[rows[i].pos]->name, P[rows[i].pos]->role[rows[i].role].name);
        }
      printf("\n");
    }
    print_claims(stdout, P, &rk);
  }
  if (write_h5(out, P, R, np, rows, n, argc, argv, &e) != SL_OK) {
    rc = cli_error(&e);
    goto done;
  }
  char        md[1100], csv[1100];
  const char* dot = strrchr(out, '.');
  int         base = dot && !strchr(dot, '/') ? (int)(dot - out) : (int)strlen(out);
  snprintf(md, sizeof md, "%.*s.md", base, out);
  snprintf(csv, sizeof csv, "%.*s.csv", base, out);
  if (write_text(md, 0, P, &rk) || write_text(csv, 1, P, &rk)) {
    fprintf(stderr, "spineload: error: cannot write %s or %s\n", md, csv);
    rc = EXIT_FAIL;
    goto done;
  }
  fflush(stdout);  // the table first, also when both streams go to one log
  if (!o->quiet) fprintf(stderr, "spineload: wrote %s, %s, %s\n", out, md, csv);
done:
  for (int p = 0; p < np; p++) {
    sl_position_run_free(R[p]);
    sl_position_free(P[p]);
    free(files[p]);
  }
  sl_ranking_free(&rk);
  return rc;
}
