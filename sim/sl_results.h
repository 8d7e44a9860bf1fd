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
  int     n, ncoord, nseg, nmus, maxcontact, flags;
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
} slResults;

slStatus sl_results_make(slResults** r, const slModel* m, int n, int maxcontact, int flags,
                         slError* err);
void     sl_results_free(slResults* r);
// store posture i from a body's workspace; contact forces (ncontact x 3, on this body) may be
// NULL; contact points are the landmark positions.
void sl_results_store(slResults* r, int i, const slModel* m, const slData* d,
                      const slContact* contacts, int ncontact, int body,
                      const double* contact_force);
// write the datasets under group (e.g. "/results" or "/positions/spooning/bottom")
slStatus sl_results_write(const slResults* r, slH5* f, const char* group, slError* err);
// /model group: names and key parameters of a compiled model
slStatus sl_results_write_model(const slModel* m, slH5* f, const char* group, slError* err);
// /meta group: provenance (version, git revision, compiler, flags, library versions, command
// line, and the text of every input file given, verbatim)
slStatus sl_results_write_meta(slH5* f, int argc, char** argv, const char* const* files, int nfiles,
                               slError* err);

#endif
