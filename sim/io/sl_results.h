// sl_results.h: per-posture results of one body, stored by index, written to HDF5.
#ifndef SL_RESULTS_H
#define SL_RESULTS_H

#include "sl_h5.h"
#include "spineload.h"

enum {
  SL_RES_FRAMES = 1,       // segment frames (positions and rotations)
  SL_RES_MOMENT_ARMS = 2,  // moment-arm matrices
};

typedef struct slResults {
  int     n, ncoord, nseg, nmus, maxcontact, flags, njdof, npart;
  double* q;              // (n x ncoord) [rad or m]
  int*    status;         // slSoStatus (n)
  int*    iter;           // (n)
  double* resid;          // (n) [N m]
  double* max_reserve;    // (n) [N m]
  double* cost;           // (n)
  double* reserve;        // (n x 18) [N m]
  double* root_reserve;   // (n x 6) [N, N m]
  double* demand_force;   // (n x 6 x 3) [N]
  double* demand_moment;  // (n x 6 x 3) [N m]
  double* tau;            // (n x 18) [N m]
  double* pas_moment;     // (n x 18) [N m]
  double* lig_force;      // (n x 6) [N]
  double* disc_frame;     // (n x 6 x 3 x 3), columns anterior, normal, right
  double* lev_pos;        // (n x 6 x 3) joint centres [m]
  double* comp;           // (n x 6) [N]
  double* shear_ap;       // (n x 6) [N]
  double* shear_lat;      // (n x 6) [N]
  double* resultant;      // (n x 6) [N]
  double* idp;            // (n x 6) [MPa]
  double* mus_force;      // (n x nmus) [N]
  double* mus_len;        // (n x nmus) [m]
  double* mus_R;          // (n x 18 x nmus) [m] (SL_RES_MOMENT_ARMS)
  double* seg_pos;        // (n x nseg x 3) [m] (SL_RES_FRAMES)
  double* seg_rot;        // (n x nseg x 9) (SL_RES_FRAMES)
  double* com;            // (n x 3) whole-body centre of mass [m]
  double* contact_force;  // (n x maxcontact x 3) [N], force on this body
  double* contact_pos;    // (n x maxcontact x 3) [m]
  int*    contact_slide;  // (n x maxcontact) 1 sliding (kinetic friction), 0 static
  double* contact_slip;   // (n x maxcontact) tangential sliding speed [m/s]
  double* jdof_tau;       // (n x njdof) demand of each joint dof [N m]
  double* jdof_torque;    // (n x njdof) joint actuator torque [N m]
  double* jdof_share;     // (n x njdof) torque needed / strength [1]
  double* jdof_reserve;   // (n x njdof) reserve on each joint dof [N m]
  double* iap;            // (n) intra-abdominal pressure [kPa]
  double* iap_force;      // (n x 3) its force on the thorax, world [N]
  double* iap_moment;     // (n x 18) its generalized force on each lumbar dof [N m]
  double* comp_parts;     // (n x 6 x npart) parts of the compression [N]
} slResults;

slStatus sl_results_make(slResults** r, const slModel* m, int n, int maxcontact, int flags,
                         slError* err);
void     sl_results_free(slResults* r);
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
// write the datasets under group (e.g. "/results" or "/positions/spooning/bottom")
slStatus sl_results_write(const slResults* r, slH5* f, const char* group, slError* err);
// /model group: names and key parameters of a compiled model
slStatus sl_results_write_model(const slModel* m, slH5* f, const char* group, slError* err);
// /meta group: provenance (version, git revision, compiler, flags, library versions, command
// line, and the text of every input file given, verbatim)
slStatus sl_results_write_meta(slH5* f, int argc, char** argv, const char* const* files, int nfiles,
                               slError* err);

#endif
