// sl_position.h: positions of two partners, their contacts, a thrust cycle, metrics, ranking.
#ifndef SL_POSITION_H
#define SL_POSITION_H

#include <stdint.h>
#include <stdio.h>

#include "sl_h5.h"
#include "sl_model_cache.h"
#include "sl_motion.h"
#include "sl_options.h"
#include "sl_results.h"
#include "sl_scenario.h"
#include "spineload.h"

#define SL_MAXROLE        2
#define SL_ROLE_MAXSPREAD 32  // posture angles a role's file may write (each may have a spread)

// what the popular advice says about a position
typedef enum slClaim { SL_CLAIM_NONE = 0, SL_CLAIM_SAFE = 1, SL_CLAIM_RISKY = 2 } slClaim;

// The cycle every position shares: slMotionOpt (sl_motion.h); its options, defaults and
// `--set motion.<key>` reader: sl_options.h.

// SL_DRIVE_FILE: the role's poses come from an OpenSim motion file (`motion: {file: F}`): the
// position's samples are the file's frames (README "Motion files")
typedef enum slDrive {
  SL_DRIVE_STILL = 0,
  SL_DRIVE_DRIVER = 1,
  SL_DRIVE_FOLLOWER = 2,
  SL_DRIVE_FILE = 3
} slDrive;

typedef struct slRole {
  char          name[SL_NAME];
  char          description[512];
  char          body_path[1024];
  slModel*      model;        // owned, or shared read-only from model_cache
  slModelCache* model_cache;  // where model came from (NULL: owned)
  slPosture     posture;
  char          posture_where[256];
  int           nload;
  slPointLoad*  loads;
  slDrive       drive;        // what the role does in the cycle
  slMotion      motion;       // its oscillation (from the global slMotionOpt)
  int           strategy;     // the strategy it uses: 0 hip, 1 spine, 2 mixed (none if still)
  double        plant_resid;  // largest planted-support residual over the cycle [m]
  slMot*        mot;          // SL_DRIVE_FILE: the frames (rates filled unless inertia is off)
  char          mot_path[1024];
  double        mot_smoothing;  // its spline's lambda (also for the root's rotation and origin)
  int           balance;
  int           nspread;  // the posture angles written in the file, with their spreads
  slSpread      spread[SL_ROLE_MAXSPREAD];
} slRole;

typedef struct slPosition {
  char       name[SL_NAME];
  char       title[128];
  char       description[1024];
  char       claim_text[256];  // the popular advice, in words
  slClaim    claim;
  char       file[1024];
  int        nrole;
  slRole     role[SL_MAXROLE];
  int        ncontact;        // supports of every role, then partner contacts
  slContact* contacts;        // body = role index
  int        npartner;        // of which partner contacts (the last npartner)
  double     frequency;       // thrust frequency [Hz]; 0: static
  int        samples;         // samples per cycle (1 if static; a motion file's frames)
  int        file_role;       // the first role driven by a motion file, or -1
  char*      text;            // the file verbatim
  double*    q0[SL_MAXROLE];  // placed static posture of each role (computed at load)
  void*      priv;
} slPosition;

// Load a position file (YAML, `base:` inheritance allowed) and its bodies, with the global cycle
// mo. Overrides: "solver.*" and "motion.*" are ignored here (see sl_motion_opt_set);
// "roles.<role>.*" and "contacts.*" edit the position; others go to every role's model.
slStatus sl_position_load(slPosition** p, const char* path, const slMotionOpt* mo,
                          const slOverride* ov, int nov, slError* err);
// The same, with every role's model from the cache mc (compiled once per body file and model
// overrides, shared read-only); free the position before the cache.
slStatus sl_position_load_cached(slPosition** p, const char* path, const slMotionOpt* mo,
                                 const slOverride* ov, int nov, slModelCache* mc, slError* err);
void     sl_position_free(slPosition* p);
// h combined with every file the position depends on: its text and `base:` chain, and each role's
// model file, bases and tables (read again now, so a file edited since changes the result)
uint64_t sl_position_fingerprint(const slPosition* p, uint64_t h);
// Set every role's oscillation from the global cycle mo (with the automatic strategy choice);
// sl_position_load calls it, a sweep calls it again for every combination of motion parameters.
slStatus    sl_position_set_motion(slPosition* p, const slMotionOpt* mo, slError* err);
const char* sl_strategy_name(int strategy);  // 3: "file" (a motion file drives the role)
// time of sample i [s]: the cycle's i / (samples f), or a motion file's frame time less its first
double sl_position_time(const slPosition* p, int i);
// the position moves: a thrust cycle (frequency > 0) or a role driven by a motion file
int sl_position_moving(const slPosition* p);

// Static posture of every role, placed: roles on their own supports, then each later role moved
// so that the landmarks of its first partner contact coincide. q0: (nrole) arrays of ncoord.
slStatus sl_position_place(const slPosition* p, double* const* q0, slError* err);

// What a placed position (rest poses q0) asks of its surfaces and partners, checked: a support
// more than SL_SUPPORT_FLOOR_TOL above the floor (the lowest support) must share its height
// within SL_SUPPORT_LEVEL_TOL with another support (together they are a raised surface: a bed
// edge, a table), else nothing is under it; a partner contact's two landmarks must lie within
// SL_CONTACT_GAP_TOL of each other. Each problem is a line "role 'R', support 'L': ..." with the
// distance, appended to out (n bytes, always terminated); returns the number of problems.
#define SL_SUPPORT_FLOOR_TOL 0.15  // [m] a pillow under the head, the give of a mattress
#define SL_SUPPORT_LEVEL_TOL 0.12  // [m] supports at one raised surface (as `draw` groups them)
#define SL_CONTACT_GAP_TOL   0.10  // [m] soft tissue between two partners' landmarks
int sl_position_check(const slPosition* p, double* const* q0, char* out, size_t n);

// Evaluate a position over its cycle: results per role (samples rows), contact forces.
typedef struct slPositionRun {
  int        nrole;
  int        samples;
  double*    time;             // (samples) [s]
  slResults* res[SL_MAXROLE];  // per role
  double*    q0[SL_MAXROLE];   // static posture per role
  double* lumbar[SL_MAXROLE];  // total lumbar angles per sample: flexion(+), lateral, twist [rad]
                               // (samples x 3)
} slPositionRun;
slStatus sl_position_run(const slPosition* p, const slSoOpt* o, slPositionRun** run, slError* err);
// the same with result flags (SL_RES_*; sl_position_run uses SL_RES_FRAMES)
slStatus sl_position_run_flags(const slPosition* p, const slSoOpt* o, int flags,
                               slPositionRun** run, slError* err);
void     sl_position_run_free(slPositionRun* r);
// A thread's workspace for position runs (its scene and work arrays), made once and reused:
// each run remakes what it needs (sl_scene_remake; arrays grown when a larger position comes),
// so a run gives the same bits on a used workspace as on a new one.
typedef struct slPositionWork slPositionWork;
slStatus                      sl_position_work_make(slPositionWork** w, slError* err);
void                          sl_position_work_free(slPositionWork* w);  // NULL is fine
// sl_position_run_flags on the workspace w, into *run: made when NULL, else reused when it has
// the shape (roles, samples, models' sizes; its arrays zeroed) or made anew. On failure *run is
// freed and NULL. sl_position_run_flags is this on a workspace of its own.
slStatus sl_position_run_ws(const slPosition* p, const slSoOpt* o, int flags, slPositionWork* w,
                            slPositionRun** run, slError* err);
// sl_position_set_motion with its kinematics scratch from w (NULL: allocated for the call)
slStatus sl_position_set_motion_ws(slPosition* p, const slMotionOpt* mo, slPositionWork* w,
                                   slError* err);

// ---- metrics ------------------------------------------------------------------------------------

typedef struct slMetrics {
  double peak_comp[SL_NLEVEL];   // [N]
  double mean_comp[SL_NLEVEL];   // [N]
  double peak_shear[SL_NLEVEL];  // peak |shear| (AP and lateral combined) [N]
  double peak_shear_ap[SL_NLEVEL];
  double peak_idp[SL_NLEVEL];  // [MPa]
  double peak_flex_rom;        // peak total lumbar flexion / flexion ROM [%] (0 if extended)
  double peak_ext_rom;         // peak total lumbar extension / extension ROM [%]
  double peak_lat_rom;         // peak |lateral bend| / lateral ROM [%]
  double peak_twist_rom;       // peak |twist| / twist ROM [%]
  double max_reserve;          // [N m] over the cycle
  int    flagged;              // samples whose status is not converged
  int    beyond_strength;      // of those, samples flagged only for joint strength
  int    failed;  // of those, samples that did not converge (iteration limit, numerical failure):
                  // the row's numbers are then not results, and it is ranked after every row
                  // that converged
  double peak_joint_share;  // largest joint torque / strength over the cycle [1]
  int    sliding;           // contacts of the role that slide somewhere in the cycle
  double load_index;        // max over samples and levels of C/3400 and |shear|/700
  double score_flex;        // phenotype scores (lower is gentler); see README
  double score_ext;
  double score_comp;
} slMetrics;

void sl_metrics_compute(const slPositionRun* run, int role, slMetrics* out);
// ranks 1..n by ascending score; ties keep the order given
void sl_rank_scores(const double* score, int n, int* rank);
// a short benefit/caution phrase from the numbers (see README for the rules)
void sl_metrics_phrase(const slMetrics* mt, char* buf, int n);

// ---- a library of positions, run and ranked (sl_rank.c) -----------------------------------------
// Load n position files; the positions come back sorted by name (a fixed order whatever order
// the files were given in), and two positions may not share a name. On error nothing is kept.
slStatus sl_positions_load(slPosition** P, const char* const* files, int n, const slMotionOpt* mo,
                           const slOverride* ov, int nov, slError* err);
// Run every position's cycle; positions are spread over threads (0: default), each cycle runs in
// order, so results do not depend on the thread count. On error (the first position that failed,
// in order) every R[p] is NULL.
slStatus sl_positions_run(const slPosition* const* P, int np, const slSoOpt* o, int threads,
                          slPositionRun** R, slError* err);

// what the ranking says about a position's popular claim
typedef enum slVerdict {
  SL_VERDICT_NONE = 0,   // the position carries no claim
  SL_VERDICT_AGREES,     // safe and among the gentlest third, or risky and among the most loading
  SL_VERDICT_DISAGREES,  // the claim does not hold
  SL_VERDICT_UNJUDGED,   // a role's cycle did not converge: the position is not ranked on numbers
} slVerdict;

typedef struct slRankRow {
  int       pos, role;  // position index (in the order given) and its role
  slMetrics mt;
  char      phrase[512];                     // sl_metrics_phrase
  int       rank;                            // 1 = gentlest, by load index
  int       rank_flex, rank_ext, rank_comp;  // by the phenotype scores
} slRankRow;

typedef struct slRanking {
  int        npos, nrow;
  slRankRow* row;       // (nrow) every role of every position, positions in the order given
  double*    worst;     // (npos) the larger load index of a position's roles
  int*       pos_rank;  // (npos) rank of the position by worst (1 = gentlest; ties keep order)
  slVerdict* verdict;   // (npos) claim against pos_rank
  int        third;     // size of the gentlest and the most loading third
} slRanking;

// Metrics, phrases, ranks and verdicts of np run positions. Ties keep the order given.
slStatus sl_ranking_make(slRanking* rk, const slPosition* const* P, const slPositionRun* const* R,
                         int np, slError* err);
void     sl_ranking_free(slRanking* rk);

// ---- rank: the job (public API in spineload.h) --------------------------------------------------
struct slRank {
  int                   np;
  slPosition**          P;  // (np) sorted by name
  slPositionRun**       R;  // (np)
  slRanking             rk;
  slSoOpt               so;
  slMotionOpt           mot;
  struct slUncertainty* unc;     // rank --uncertainty (sl_uncertainty.c), or NULL
  char*                 checks;  // sl_position_check's lines of every position, "<file>: ..."
};
// the uncertainty part of the rank outputs (sl_uncertainty.c): markdown text, the /uncertainty
// group, and its release
void     sl_uncertainty_print(FILE* f, const slRank* rk, int markdown);
slStatus sl_uncertainty_write_h5(slH5* h, const slRank* rk, slError* err);
void     sl_uncertainty_free(struct slUncertainty* u);

#endif
