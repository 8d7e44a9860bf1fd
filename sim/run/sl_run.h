// sl_run.h: evaluate a scenario's postures.
#ifndef SL_RUN_H
#define SL_RUN_H

#include "sl_results.h"
#include "spineload.h"

// The root's motion at n poses (qs, row i at qs + i x stride) at times time (n, increasing), 12
// per pose into out as slData.root_motion (angular velocity, origin velocity, angular and origin
// acceleration, world): the smoothing spline (sl_smooth_rates, lambda) through the entries of the
// root's rotation matrix and its origin, never through its Euler angles, which jump where they
// are singular (a body on its side: tilt and rotation swing by 180 deg between frames while the
// pelvis barely turns). Angular velocity from the skew part of dR/dt R', angular acceleration
// from that of d2R/dt2 R' + dR/dt dR/dt'. d: kinematics workspace of m.
slStatus sl_root_motion_spline(const slModel* m, slData* d, const double* qs, size_t stride, int n,
                               const double* time, double lambda, double* out, slError* err);

#endif
