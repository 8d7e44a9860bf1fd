// sl_scenario.h: readers shared by scenario, position and sweep files.
#ifndef SL_SCENARIO_H
#define SL_SCENARIO_H

#include "sl_yaml.h"
#include "spineload.h"

// keys a posture mapping may hold
extern const char* const SL_POSTURE_KEYS[];

// a posture mapping (root, pelvis, lumbar, limbs, neck, coords) -> slPosture
slStatus sl_posture_read(const slyNode* p, const slModel* m, slPosture* out, slError* err);

// The spread of a posture angle (README "Uncertainty"): each angle map (pelvis, lumbar, hips,
// hip_r, ..., neck) may carry `sd_deg`, the standard deviation of each of its angles between
// people holding the position. One entry per angle written in the file, in reading order.
#define SL_SPREAD_MAX_SD_DEG 45.0
#define SL_SPREAD_NONE       ((size_t)-1)
enum { SL_SPREAD_JOINT = 0, SL_SPREAD_PELVIS = 1 };
typedef struct slSpread {
  char   path[48];        // the angle's path in the posture mapping ("lumbar.flexion_deg")
  size_t off[2];          // byte offsets of the field(s) it sets in slPosture (off[1] may be NONE)
  double mean_deg;        // the value written [deg]
  double sd_deg;          // its map's sd_deg [deg]; NaN: none given (the run's default applies)
  double lo_deg, hi_deg;  // the value range the reader accepts [deg]
  int    kind;            // SL_SPREAD_JOINT (a joint angle) or SL_SPREAD_PELVIS (orientation)
  char   where[160];      // file:line:col of the angle
} slSpread;
// sl_posture_read that also lists the angles written and their spreads into spread (room for
// max; more is SL_ERR_RANGE at the angle); sd_deg outside [0, 45] deg is SL_ERR_RANGE at its
// file:line:col. spread may be NULL (nothing listed, sd_deg still checked).
slStatus sl_posture_read_spread(const slyNode* p, const slModel* m, slPosture* out,
                                slSpread* spread, int max, int* nspread, slError* err);
// a list of loads ({landmark | segment + pos_m, force_N | mass_kg}); out has seq->n slots
slStatus sl_loads_read(const slyNode* seq, const slModel* m, slPointLoad* out, int* n,
                       slError* err);
// a list of supports ({landmark, normal, mu}) on body 0; out has seq->n slots
// The surface of a contact item: its normal (unit; required or default +y), static friction mu
// (default mu_default) and kinetic friction mu_kinetic (default 0.85 mu); `what` names the item
// in errors.
slStatus sl_contact_surface_read(const slyNode* it, int normal_required, double mu_default,
                                 const char* what, slContact* c, slError* err);
slStatus sl_supports_read(const slyNode* seq, const slModel* m, slContact* out, int* n,
                          slError* err);
#define SL_MAXSET 256
// Flatten a `set:` mapping (values by path, possibly nested: {subject: {mass_kg: 70}} or
// {subject.mass_kg: 70}) into overrides; paths are stored in pool. Returns the count, or -1 if
// a value is not a scalar or the room runs out.
int sl_set_flatten(const slyNode* set, const char* prefix, slOverride* out, int max, char* pool,
                   size_t poolsize, size_t* used);
// The spec of the scenario's body model, kept for the texts of its files (NULL for a scenario
// parsed against a compiled model).
const slModelSpec* sl_scenario_spec(const slScenario* sc);
// solver options mapping (may be NULL)
slStatus sl_solver_read(const slyNode* s, slSoOpt* o, slError* err);

#endif
