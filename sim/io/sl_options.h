// sl_options.h: the run options (solver.*, motion.*) from one table, and where an override goes.
//
// The table (sl_option_info in spineload.h) names every option, its type, range, unit, default,
// doc and the field it lands in. A scenario file's `solver:` section, `--set solver.<key>` and
// `--set motion.<key>` and sweep parameters on those paths are read through it, and the
// defaults (sl_so_opt_default, sl_motion_opt_default) come from it.
#ifndef SL_OPTIONS_H
#define SL_OPTIONS_H

#include "sl_motion.h"
#include "sl_yaml.h"
#include "spineload.h"

// Where an override path goes, by its first element: "solver." the solver options, "motion."
// the thrust cycle of positions, "postures." a scenario's postures, "roles." and "contacts." a
// position file; anything else the body model.
typedef enum slRoute {
  SL_ROUTE_MODEL = 0,
  SL_ROUTE_SOLVER,
  SL_ROUTE_MOTION,
  SL_ROUTE_POSTURES,
  SL_ROUTE_POSITION,
} slRoute;
#define SL_ROUTE_BIT(r) (1u << (r))
slRoute sl_route(const char* path);
// copy the overrides whose route is in mask (SL_ROUTE_BIT ORed) to out, in order; the count
int sl_routes_pick(const slOverride* ov, int nov, unsigned mask, slOverride* out);

slMotionOpt sl_motion_opt_default(void);
// apply the "motion.<key>=value" overrides of ov (other routes are skipped); a key given twice:
// the last one counts
slStatus sl_motion_opt_set(slMotionOpt* mo, const slOverride* ov, int nov, slError* err);

// Read a file's section of a group (the keys without the group prefix, e.g. `solver:`'s
// criterion, tol) into dst (slSoOpt or slMotionOpt); errors at file:line:col. NULL map: nothing.
slStatus sl_options_read(slOptionGroup g, const slyNode* map, void* dst, slError* err);
// Apply the overrides of ov routed to group g (others skipped) into dst; errors at "--set <key>".
slStatus sl_options_set(slOptionGroup g, const slOverride* ov, int nov, void* dst, slError* err);
// The option of a solver.* / motion.* path; an unknown key fails (SL_ERR_KEY at where, the
// allowed keys listed)
slStatus sl_option_lookup(const char* path, const char* where, const slOptionInfo** o,
                          slError* err);
// Check one value text of option o (e.g. a sweep value); where/what locate and name it in errors.
slStatus sl_option_check(const slOptionInfo* o, const char* text, const char* where, slError* err);
// "p2, p3, minmax" (enum names) or "[lo, hi] unit" into buf
void sl_option_allowed(const slOptionInfo* o, char* buf, size_t n);

#endif
