// sl_results.h: per-posture results of one body, stored by index, written to HDF5.
#ifndef SL_RESULTS_H
#define SL_RESULTS_H

#include "sl_h5.h"
#include "spineload.h"

slStatus sl_results_make(slResults** r, const slModel* m, int n, int maxcontact, int flags,
                         slError* err);
// Make *r what sl_results_make would give, reusing it when it has the same shape (model sizes,
// n, maxcontact, flags: then its arrays are zeroed again), else freed and made anew. *r may be
// NULL; on failure *r is NULL.
slStatus sl_results_remake(slResults** r, const slModel* m, int n, int maxcontact, int flags,
                           slError* err);
// store posture i from a body's workspace; contact forces (ncontact x 3, on this body) may be
// NULL; contact points are the landmark positions.
void sl_results_store(slResults* r, int i, const slModel* m, const slData* d,
                      const slContact* contacts, int ncontact, int body,
                      const double* contact_force);
// the contact state of the scene step just stored (sl_scene_sliding, sl_scene_slip_speed,
// sl_scene_contact_points), ordered like sl_results_store's contacts of this body; NULL arrays
// are skipped (the points then stay the landmarks)
void sl_results_store_contacts(slResults* r, int i, const slContact* contacts, int ncontact,
                               int body, const int* sliding, const double* slip,
                               const double* points);
// both at once, the contact points taken from the scene's (points, as above; NULL: the
// landmarks) rather than found as landmarks and then replaced
void sl_results_store_step(slResults* r, int i, const slModel* m, const slData* d,
                           const slContact* contacts, int ncontact, int body,
                           const double* contact_force, const int* sliding, const double* slip,
                           const double* points);
// write the datasets under group (e.g. "/results" or "/positions/spooning/bottom")
slStatus sl_results_write(const slResults* r, slH5* f, const char* group, slError* err);
// /model group: names and key parameters of a compiled model
slStatus sl_results_write_model(const slModel* m, slH5* f, const char* group, slError* err);
// /meta group: provenance (version, git revision, compiler, flags, library versions, command
// line, and the text of every input file given, verbatim: files[i] named names[i], as read by
// its parser; a NULL text is skipped)
slStatus sl_results_write_meta(slH5* f, int argc, char** argv, const char* const* names,
                               const char* const* texts, int nfiles, slError* err);

#endif
