// sl_rank_report.c: what a ranking of the position library says, as text (the safety table, the
// phenotype lists, the popular claim position by position) and as an HDF5 rank file.
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_h5.h"
#include "sl_io.h"
#include "sl_layout.h"
#include "sl_position.h"

#define L45  1
#define L5S1 0

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

static void print_table(FILE* f, int csv, slPosition* const* P, const slRankRow* rows, int n) {
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
      const slRankRow*  r = &rows[i];
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

static void print_claims(FILE* f, slPosition* const* P, const slRanking* rk) {
  int              np = rk->npos, n = rk->nrow;
  const slRankRow* rows = rk->row;
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
                  rows[i].mt.failed    ? "; NOT CONVERGED: not ranked on its numbers"
                  : rows[i].mt.flagged ? "; FLAGGED: needs reserves or beyond joint strength"
                                       : "");
      int agrees = rk->verdict[p] == SL_VERDICT_AGREES;
      if (rk->verdict[p] == SL_VERDICT_UNJUDGED)
        fprintf(f, " -> cannot judge: a partner's cycle did not converge\n");
      else if (P[p]->claim == SL_CLAIM_SAFE)
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

// the row of position p's worse partner: one that did not converge (it ranks the position last),
// else the larger load index; the first role on a tie
static const slRankRow* worse_row(const slRanking* rk, int p) {
  const slRankRow* w = NULL;
  for (int i = 0; i < rk->nrow; i++) {
    const slRankRow* r = &rk->row[i];
    if (r->pos != p) continue;
    int rf = r->mt.failed > 0, wf = w && w->mt.failed > 0;
    if (!w || rf > wf || (rf == wf && r->mt.load_index > w->mt.load_index)) w = r;
  }
  return w;
}

static int same_body(const slModel* a, const slModel* b) {
  return !strcmp(a->name, b->name) && a->sex == b->sex && a->body_mass == b->body_mass &&
         a->height == b->height;
}

static const char* claim_word(const slPosition* p) {
  return p->claim == SL_CLAIM_SAFE    ? "claimed safe"
         : p->claim == SL_CLAIM_RISKY ? "warned against"
                                      : "-";
}

// the positions, ranked by their worse partner: what a clinician reads first
static void print_positions(FILE* f, slPosition* const* P, const slRanking* rk) {
  fprintf(f,
          "Positions, ranked by the worse partner's load index (1 = gentlest of %d):\n\n"
          "| rank | position | claim | worse partner | load index | note |\n"
          "|---:|---|---|---|---:|---|\n",
          rk->npos);
  for (int k = 1; k <= rk->npos; k++)
    for (int p = 0; p < rk->npos; p++) {
      if (rk->pos_rank[p] != k) continue;
      const slRankRow* w = worse_row(rk, p);
      if (!w) continue;
      fprintf(f, "| %d | %s | %s | %s | %.2f | %s |\n", k, P[p]->title, claim_word(P[p]),
              P[p]->role[w->role].name, w->mt.load_index, w->phrase);
    }
}

static const char* const PHENO[3] = {"flexion-intolerant", "extension-intolerant",
                                     "compression-sensitive"};

// the three phenotype rankings in full: every partner of every position, side by side
static void print_phenotypes(FILE* f, slPosition* const* P, const slRanking* rk) {
  const slRankRow* rows = rk->row;
  int              n = rk->nrow;
  fprintf(f,
          "Rankings by clinical phenotype, every partner (score in brackets, lower is gentler; "
          "flexion-intolerant: max(LI, flexion %%ROM / 100), extension-intolerant: max(LI, "
          "extension %%ROM / 100), compression-sensitive: peak compression / 3400 N):\n\n"
          "| rank | %s | %s | %s |\n|---:|---|---|---|\n",
          PHENO[0], PHENO[1], PHENO[2]);
  for (int k = 1; k <= n; k++) {
    fprintf(f, "| %d |", k);
    for (int w = 0; w < 3; w++) {
      const slRankRow* r = NULL;
      for (int i = 0; i < n && !r; i++) {
        int rw = w == 0 ? rows[i].rank_flex : w == 1 ? rows[i].rank_ext : rows[i].rank_comp;
        if (rw == k) r = &rows[i];
      }
      if (!r) {
        fprintf(f, " |");
        continue;
      }
      double sc = w == 0 ? r->mt.score_flex : w == 1 ? r->mt.score_ext : r->mt.score_comp;
      fprintf(f, " %s / %s (%.2f%s) |", P[r->pos]->name, P[r->pos]->role[r->role].name, sc,
              r->mt.failed    ? ", not converged"
              : r->mt.flagged ? ", flagged"
                              : "");
    }
    fprintf(f, "\n");
  }
}

static const char* strategy_text(const slMotionOpt* mot) {
  return mot->automatic ? "auto (the driver thrusts from the hips and a follower moves its "
                          "spine, unless that cannot keep the partner's planted limbs in "
                          "place: then the other; column 'thrust')"
         : mot->spine_share == 0 ? "hip-driven"
         : mot->spine_share == 1 ? "spine-driven"
                                 : "mixed";
}

static const char LI_DEFINITION[] =
    "load index (LI) = max over the samples of the cycle and the six levels of compression / "
    "3400 N (NIOSH action limit) and shear / 700 N (repetitive shear limit); below 1: within the "
    "limits for repetitive loading. A position ranks by the larger LI of its two partners; a row "
    "that needs reserve actuators or more than a joint's strength is flagged, one that did not "
    "converge is ranked last.";

// the summary a terminal shows: settings, the positions, the phenotypes in full, every partner,
// the claim
static void print_summary(FILE* f, const slRank* rk) {
  const slMotionOpt* mot = &rk->mot;
  const slRankRow*   rows = rk->rk.row;
  int                n = rk->rk.nrow;
  slPosition* const* P = rk->P;
  fprintf(f,
          "spineload position ranking: %d positions, %d partner roles; criterion %s; thrust "
          "cycle %.2f Hz, driver amplitude %.1f deg, follower %.1f deg, %d samples; strategy "
          "%s\n\n%s\n\n",
          rk->np, n, sl_criterion_name(rk->so.criterion), mot->frequency, mot->amplitude / SL_DEG,
          mot->follower_amplitude / SL_DEG, mot->samples, strategy_text(mot), LI_DEFINITION);
  print_positions(f, P, &rk->rk);
  fprintf(f, "\n");
  print_phenotypes(f, P, &rk->rk);
  fprintf(f, "\nEvery partner, ranked by load index:\n\n");
  print_table(f, 0, P, rows, n);
  print_claims(f, P, &rk->rk);
}

// the markdown file: the same, with the run settings in full and headings
// the solver and thrust-cycle settings of the ranking, as one line each (md file, /meta)
static void settings_text(const slRank* rk, char* solver, size_t ns, char* motion, size_t nm) {
  const slMotionOpt* mot = &rk->mot;
  const slSoOpt*     so = &rk->so;
  snprintf(solver, ns,
           "criterion %s, maxiter %d, tol %g, reserve_r0 %g N m, reserve_flag %g N m, "
           "contact_c0 %g N, Cholesky %s",
           sl_criterion_name(so->criterion), so->maxiter, so->tol, so->reserve_r0, so->reserve_flag,
           so->contact_c0, so->linalg ? "lapack" : "builtin");
  snprintf(motion, nm,
           "%.2f Hz, %d samples, driver amplitude %.1f deg, follower %.1f deg, spine share %.2f, "
           "strategy %s",
           mot->frequency, mot->samples, mot->amplitude / SL_DEG, mot->follower_amplitude / SL_DEG,
           mot->spine_share, strategy_text(mot));
}

static void print_md(FILE* f, const slRank* rk) {
  slPosition* const* P = rk->P;
  fprintf(f, "# spineload position ranking\n\n## Run settings\n\n");
  fprintf(f, "- spineload %s; %d positions, %d partner roles:", sl_version(), rk->np, rk->rk.nrow);
  for (int p = 0; p < rk->np; p++) fprintf(f, "%s %s", p ? "," : "", P[p]->name);
  // the distinct bodies (a role's set: may change its body), with the roles that have them
  fprintf(f, "\n- bodies:");
  int nb = 0;
  for (int p = 0; p < rk->np; p++)
    for (int k = 0; k < P[p]->nrole; k++) {
      const slModel* m = P[p]->role[k].model;
      int            seen = 0;
      for (int q = 0; q <= p && !seen; q++)
        for (int j = 0; j < P[q]->nrole && (q < p || j < k) && !seen; j++)
          seen = same_body(P[q]->role[j].model, m);
      if (seen) continue;
      int count = 0;
      for (int q = 0; q < rk->np; q++)
        for (int j = 0; j < P[q]->nrole; j++) count += same_body(P[q]->role[j].model, m);
      fprintf(f, "%s %s (%s, %.1f kg, %.3f m): %d role%s", nb++ ? ";" : "", m->name,
              m->sex == SL_MALE ? "male" : "female", m->body_mass, m->height, count,
              count == 1 ? "" : "s");
    }
  char solver[512], motion[512];
  settings_text(rk, solver, sizeof solver, motion, sizeof motion);
  fprintf(f, "\n- solver: %s\n- thrust cycle: %s\n\n", solver, motion);
  fprintf(f, "## Load index\n\n%s\n\n## Positions\n\n", LI_DEFINITION);
  print_positions(f, P, &rk->rk);
  fprintf(f, "\n## Phenotype rankings\n\n");
  print_phenotypes(f, P, &rk->rk);
  fprintf(f, "\n## Every partner\n\n");
  print_table(f, 0, P, rk->rk.row, rk->rk.nrow);
  fprintf(f, "\n## The popular claim\n");
  print_claims(f, P, &rk->rk);
  if (rk->checks && rk->checks[0])
    fprintf(f, "\n## Checks of the positions' geometry\n\n%s", rk->checks);
}

static void print_kind(FILE* f, const slRank* rk, slRankText kind) {
  if (kind == SL_RANK_TEXT_SUMMARY) {
    print_summary(f, rk);
    sl_uncertainty_print(f, rk, 0);
  } else if (kind == SL_RANK_TEXT_MD) {
    print_md(f, rk);
    sl_uncertainty_print(f, rk, 1);
  } else {
    print_table(f, 1, rk->P, rk->rk.row, rk->rk.nrow);
  }
}

slStatus sl_rank_text(const slRank* rk, slRankText kind, char** text, slError* err) {
  size_t len = 0;
  *text = NULL;
  FILE* f = open_memstream(text, &len);
  if (!f) return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  print_kind(f, rk, kind);
  if (fclose(f) != 0) {
    free(*text);
    *text = NULL;
    return sl_fail(err, SL_ERR_NOMEM, "", "out of memory");
  }
  return SL_OK;
}

slStatus sl_rank_write_text(const slRank* rk, slRankText kind, const char* path, slError* err) {
  char  tmp[1100];
  FILE* f = sl_atomic_open(path, tmp, sizeof tmp, err);
  if (!f) return err ? err->code : SL_ERR_IO;
  print_kind(f, rk, kind);
  return sl_atomic_commit(f, tmp, path, err);
}

slStatus sl_rank_write_sto(const slRank* rk, const char* base, char* names, size_t n,
                           slError* err) {
  if (n) names[0] = 0;
  size_t used = 0;
  for (int i = 0; i < rk->np; i++) {
    const slPosition*    P = rk->P[i];
    const slPositionRun* R = rk->R[i];
    for (int k = 0; R && k < P->nrole; k++) {
      if (P->role[k].drive != SL_DRIVE_FILE) continue;
      for (int mus = 0; mus < 2; mus++) {
        char path[1200], tmp[1300], title[160], src[1200];
        snprintf(path, sizeof path, "%s_%s_%s%s.sto", base, P->name, P->role[k].name,
                 mus ? "_muscle_forces" : "");
        snprintf(title, sizeof title, "%s, role %s:", P->name, P->role[k].name);
        snprintf(src, sizeof src, "position %.500s, role %s driven by %.500s", P->file,
                 P->role[k].name, P->role[k].mot_path);
        char*    text = NULL;
        slStatus st = sl_sto_table(title, src, P->role[k].model, R->res[k], R->samples, NULL,
                                   R->time, mus, &text, err);
        FILE*    f = st == SL_OK ? sl_atomic_open(path, tmp, (int)sizeof tmp, err) : NULL;
        if (st == SL_OK && !f) st = err ? err->code : SL_ERR_IO;
        if (f) {
          fputs(text, f);
          st = sl_atomic_commit(f, tmp, path, err);
        }
        free(text);
        if (st != SL_OK) return st;
        if (used < n)
          used += (size_t)snprintf(names + used, n - used, "%s%s", used ? ", " : "", path);
      }
    }
  }
  return SL_OK;
}

// the names of a role's contacts, in the order of contacts/* (supports, then partner contacts)
static slStatus write_contact_names(slH5* f, const slPosition* P, int k, const char* path,
                                    slError* err) {
  char        cn[64][160];
  const char* cp[64];
  int         nc = 0;
  for (int j = 0; j < P->ncontact && nc < 64; j++) {
    const slContact* c = &P->contacts[j];
    if (c->body != k && c->other != k) continue;
    const slModel* mk = P->role[k].model;
    int            mine = c->body == k ? c->land : c->other_land;
    if (c->other < 0)
      snprintf(cn[nc], sizeof cn[nc], "%s", mk->land_name[mine]);
    else {
      int o = c->body == k ? c->other : c->body, ol = c->body == k ? c->other_land : c->land;
      snprintf(cn[nc], sizeof cn[nc], "%s on %s's %s", mk->land_name[mine], P->role[o].name,
               P->role[o].model->land_name[ol]);
    }
    cp[nc] = cn[nc];
    nc++;
  }
  if (nc == 0) return SL_OK;
  return sl_layout_write_strings(f, path, &sl_layout_role[SL_LROLE_CONTACTS_NAMES], cp, (size_t)nc,
                                 err);
}

// one role of one position: its results, lumbar angles, what it is, its own body
static slStatus write_role(slH5* f, const slPosition* P, const slPositionRun* R, int k,
                           slError* err) {
  char path[512], p2[600];
  snprintf(path, sizeof path, "%s/%s/%s", SL_LAYOUT_POSITIONS, P->name, P->role[k].name);
  const slLayoutItem* L = sl_layout_role;
  slStatus            st = sl_results_write(R->res[k], f, path, err);
  size_t              dims[2] = {(size_t)R->samples, 3};
  if (!st) st = sl_layout_write(f, path, &L[SL_LROLE_LUMBAR_ANGLES], dims, R->lumbar[k], err);
  snprintf(p2, sizeof p2, "%s/%s", path, SL_LAYOUT_ROLE_MODEL);
  if (!st) st = sl_results_write_model(P->role[k].model, f, p2, err);
  if (!st) st = sl_h5_attr_str(f, path, L[SL_LROLE_DESCRIPTION].path, P->role[k].description, err);
  if (!st) st = sl_h5_attr_str(f, path, L[SL_LROLE_BODY].path, P->role[k].body_path, err);
  if (!st) st = sl_h5_attr_str(f, path, L[SL_LROLE_THRUST].path, thrust_of(&P->role[k]), err);
  if (!st) st = write_contact_names(f, P, k, path, err);
  if (!st)
    st = sl_h5_attr_f64(f, path, L[SL_LROLE_PLANTED_SUPPORT_RESIDUAL_M].path,
                        P->role[k].plant_resid, err);
  return st;
}

// the /ranking table: one row per position and role
static slStatus write_table(slH5* f, const slRank* rk, slError* err) {
  slPosition* const* P = rk->P;
  const slRankRow*   rows = rk->rk.row;
  int                n = rk->rk.nrow;
  const char**       pos = calloc((size_t)n + 1, sizeof(char*));
  const char**       role = calloc((size_t)n + 1, sizeof(char*));
  const char**       note = calloc((size_t)n + 1, sizeof(char*));
  const char**       thr = calloc((size_t)n + 1, sizeof(char*));
  int*               ri[6];
  double*            rd[10];
  int                ok = pos && role && note && thr;
  for (int k = 0; k < 6; k++) ok = (ri[k] = calloc((size_t)n + 1, sizeof(int))) && ok;
  for (int k = 0; k < 10; k++) ok = (rd[k] = calloc((size_t)n + 1, sizeof(double))) && ok;
  for (int i = 0; i < n && ok; i++) {
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
  // the column data, in the order of sl_layout_ranking_columns
  const void* data[SL_LRK_COUNT] = {
      [SL_LRK_POSITION] = pos,
      [SL_LRK_ROLE] = role,
      [SL_LRK_THRUST] = thr,
      [SL_LRK_RANK] = ri[0],
      [SL_LRK_LOAD_INDEX] = rd[0],
      [SL_LRK_PEAK_COMPRESSION_L4L5] = rd[1],
      [SL_LRK_PEAK_COMPRESSION_L5S1] = rd[2],
      [SL_LRK_PEAK_SHEAR] = rd[3],
      [SL_LRK_PEAK_IDP_L4L5] = rd[4],
      [SL_LRK_LUMBAR_FLEXION_PCT_ROM] = rd[5],
      [SL_LRK_LUMBAR_EXTENSION_PCT_ROM] = rd[6],
      [SL_LRK_MEAN_COMPRESSION_L4L5] = rd[7],
      [SL_LRK_MAX_RESERVE] = rd[8],
      [SL_LRK_RANK_FLEXION_INTOLERANT] = ri[1],
      [SL_LRK_RANK_EXTENSION_INTOLERANT] = ri[2],
      [SL_LRK_RANK_COMPRESSION_SENSITIVE] = ri[3],
      [SL_LRK_PEAK_JOINT_STRENGTH_SHARE] = rd[9],
      [SL_LRK_SLIDING_CONTACTS] = ri[5],
      [SL_LRK_FLAGGED_SAMPLES] = ri[4],
      [SL_LRK_NOTE] = note,
  };
  slH5Col cols[SL_LRK_COUNT];
  for (int k = 0; k < SL_LRK_COUNT; k++) {
    const slLayoutItem* c = &sl_layout_ranking_columns[k];
    cols[k] = (slH5Col){c->path, c->type, c->units, data[k]};
  }
  slStatus st = ok ? sl_h5_write_table(f, SL_LAYOUT_RANKING, (size_t)n, SL_LRK_COUNT, cols,
                                       sl_layout_ranking.desc, err)
                   : sl_fail(err, SL_ERR_NOMEM, SL_LAYOUT_RANKING, "out of memory");
  free(pos), free(role), free(note), free(thr);
  for (int k = 0; k < 6; k++) free(ri[k]);
  for (int k = 0; k < 10; k++) free(rd[k]);
  return st;
}

slStatus sl_rank_write_h5(const slRank* rk, const char* out, int argc, char** argv, slError* err) {
  slH5*    f = NULL;
  slStatus st = sl_h5_create(&f, out, err);
  if (st != SL_OK) return st;
  // the input files: the positions (the texts they were parsed from), then every distinct model
  // file of their bodies (the model chain and its tables, slModel.files), read again here
  int np = rk->np, nmax = np;
  for (int p = 0; p < np; p++)
    for (int k = 0; k < rk->P[p]->nrole; k++) {
      const char* s = rk->P[p]->role[k].model->files;
      nmax += 1;
      for (; *s; s++) nmax += *s == ';';
    }
  const char** files = calloc(2 * (size_t)nmax + 1, sizeof(char*));
  char**       owned = calloc((size_t)nmax + 1, sizeof(char*));  // paths and texts read here
  char**       otext = calloc((size_t)nmax + 1, sizeof(char*));
  int          nf = 0, no = 0;
  if (!files || !owned || !otext) st = sl_fail(err, SL_ERR_NOMEM, out, "out of memory");
  for (int p = 0; p < np && !st; p++, nf++) {
    files[nf] = rk->P[p]->file;
    files[nmax + nf] = rk->P[p]->text;
  }
  for (int p = 0; p < np && !st; p++)
    for (int k = 0; k < rk->P[p]->nrole && !st; k++) {
      const char* s = rk->P[p]->role[k].model->files;
      while (*s && !st) {
        const char* e = strchr(s, ';');
        size_t      len = e ? (size_t)(e - s) : strlen(s);
        int         seen = 0;
        for (int j = np; j < nf && !seen; j++)
          seen = strlen(files[j]) == len && !strncmp(files[j], s, len);
        if (!seen && len > 0) {
          char*  path = strndup(s, len);
          char*  text = NULL;
          size_t tl = 0;
          if (!path) st = sl_fail(err, SL_ERR_NOMEM, out, "out of memory");
          if (!st) st = sl_read_file(path, &text, &tl, err);
          owned[no] = path, otext[no++] = text;
          files[nf] = path;
          files[nmax + nf++] = text;
        }
        s = e ? e + 1 : s + len;
      }
    }
  if (!st) st = sl_results_write_meta(f, argc, argv, files, files + nmax, nf, err);
  char solver[512], motion[512];
  settings_text(rk, solver, sizeof solver, motion, sizeof motion);
  const slLayoutItem* M = sl_layout_meta;
  if (!st) st = sl_h5_attr_str(f, SL_LAYOUT_META, M[SL_LMETA_SOLVER].path, solver, err);
  if (!st) st = sl_h5_attr_str(f, SL_LAYOUT_META, M[SL_LMETA_MOTION].path, motion, err);
  for (int i = 0; i < no; i++) free(owned[i]), free(otext[i]);
  free(owned), free(otext);
  free(files);
  char path[512];
  for (int p = 0; p < np && !st; p++) {
    const slPosition*    P = rk->P[p];
    const slPositionRun* R = rk->R[p];
    const slLayoutItem*  L = sl_layout_position;
    snprintf(path, sizeof path, "%s/%s", SL_LAYOUT_POSITIONS, P->name);
    size_t ns = (size_t)R->samples;
    st = sl_layout_write(f, path, &L[SL_LPOS_TIME], &ns, R->time, err);
    if (!st) st = sl_h5_attr_str(f, path, L[SL_LPOS_TITLE].path, P->title, err);
    if (!st) st = sl_h5_attr_str(f, path, L[SL_LPOS_DESCRIPTION].path, P->description, err);
    if (!st) st = sl_h5_attr_str(f, path, L[SL_LPOS_CLAIM].path, P->claim_text, err);
    if (!st) st = sl_h5_attr_f64(f, path, L[SL_LPOS_FREQUENCY_HZ].path, P->frequency, err);
    for (int k = 0; k < P->nrole && !st; k++) st = write_role(f, P, R, k, err);
  }
  if (!st) st = write_table(f, rk, err);
  if (!st) st = sl_uncertainty_write_h5(f, rk, err);
  if (st != SL_OK) {
    sl_h5_abort(f);
    return st;
  }
  return sl_h5_commit(f, err);
}
