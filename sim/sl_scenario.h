// sl_scenario.h: readers shared by scenario, position and sweep files.
#ifndef SL_SCENARIO_H
#define SL_SCENARIO_H

#include "sl_yaml.h"
#include "spineload.h"

// keys a posture mapping may hold
extern const char* const SL_POSTURE_KEYS[];

// a posture mapping (root, pelvis, lumbar, limbs, neck, coords) -> slPosture
slStatus sl_posture_read(const slyNode* p, const slModel* m, slPosture* out, slError* err);
// a list of loads ({landmark | segment + pos_m, force_N | mass_kg}); out has seq->n slots
slStatus sl_loads_read(const slyNode* seq, const slModel* m, slPointLoad* out, int* n,
                       slError* err);
// a list of supports ({landmark, normal, mu}) on body 0; out has seq->n slots
slStatus sl_supports_read(const slyNode* seq, const slModel* m, slContact* out, int* n,
                          slError* err);
// solver options mapping (may be NULL)
slStatus sl_solver_read(const slyNode* s, slSoOpt* o, slError* err);

#endif
