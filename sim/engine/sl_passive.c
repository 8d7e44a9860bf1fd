// sl_passive.c: passive moments of the lumbar motion segments.
//
// Per level and axis, the restoring moment is the disc's nonlinear curve plus a linear part for
// ligaments and facets (the motion segment's stiffness minus the disc's share), both in degrees
// with posture signs (+ flexion, + right bend, + left twist). The generalized force on the model
// coordinate carries the coordinate's sign (model flexion is negative). In flexion the ligament
// part is tension in the posterior ligaments at pas_lever behind the disc centre; that tension
// presses the vertebrae together and is added to disc compression (lig_force). In extension the
// resisting tissue is the facets (contact, bypassing the disc) and the anterior ligament; no
// disc compression is added there (an assumption, see README).
#include <math.h>

#include "sl_math.h"
#include "spineload.h"

static double disc_moment(const double c[4], double x) {
  return c[0] * x + c[1] * x * x + c[2] * x * fabs(x) + c[3] * x * x * x;
}

void sl_passive(const slModel* m, slData* d) {
  static const double sign[3] = {-1.0, 1.0, 1.0};  // model coordinate = sign * posture angle
  for (int l = 0; l < SL_NLEVEL; l++) {
    d->lig_force[l] = 0.0;
    for (int a = 0; a < 3; a++) {
      double x = sign[a] * d->q[m->lev_coord[l][a]] / SL_DEG;
      double k = a == 0 ? (x > 0 ? m->pas_lig[0] : m->pas_lig[1]) : m->pas_lig[a + 1];
      double lig = -k * x;
      double M = disc_moment(m->pas_disc[a], x) + lig;
      d->pas_moment[3 * l + a] = sign[a] * M;
      if (a == 0 && x > 0) d->lig_force[l] = fabs(lig) / m->pas_lever;
    }
  }
}
