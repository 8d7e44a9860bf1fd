// sl_motion.h: the motion stage: a body's pose at any time of a thrust cycle (trunk oscillation,
// planted supports and grips held by inverse kinematics, a carried body riding on its partner),
// and its velocities and accelerations, analytically (sl_motion_rates).
#ifndef SL_MOTION_H
#define SL_MOTION_H

#include "spineload.h"

// The oscillation of one partner. delta(t) = sin(2 pi f t + phase):
//   hip-driven: the pelvis and trunk rotate together by hip_amp * delta about the hip axis (the
//   pelvis z axis through the midpoint of the hip centres); the thighs keep their orientation
//   (hip flexion changes by the opposite); lumbar angles are fixed;
//   spine-driven: total lumbar flexion changes by spine_amp * delta (spread by the rhythm) while
//   the thorax keeps its place; the pelvis moves, the thighs keep their orientation.
// Both may be non-zero (a mixture).
typedef struct slMotion {
  double hip_amp;    // [rad]
  double spine_amp;  // [rad]
  double phase;      // [rad]
} slMotion;

// The cycle every position shares (global, the same for every position; `--set motion.<key>`):
// the driving role oscillates with amplitude `amplitude` split between the strategies by
// `spine_share` (0 hip-driven, 1 spine-driven); a following role moves in anti-phase with
// `follower_amplitude`, spine-driven. With `strategy: auto` (the default) each role keeps its
// preferred strategy (driver hip, follower spine) unless that cannot keep its planted supports in
// place (inverse-kinematics residual above SL_PLANT_TOL somewhere in the cycle: a hip hinge of a
// trunk that rests on the forearms or lies on the bed), and then uses the other one.
typedef struct slMotionOpt {
  double frequency;           // [Hz]
  int    samples;             // per cycle
  double amplitude;           // driver [rad]
  double spine_share;         // 0 hip-driven (default), 1 spine-driven, between: a mixture
  double follower_amplitude;  // [rad]
  int    automatic;           // 1: strategy auto (see above); 0: as given for every role
} slMotionOpt;

// a planted support the inverse kinematics leaves farther than this [m] from its place makes
// the automatic strategy try the other way to thrust
#define SL_PLANT_TOL 1e-3

// The rest pose a motion starts from: pelvis and thorax frames, hip centre, hip axis, and the
// planted supports. A role's supports on a limb or the head (hands, elbows, knees, feet, the head
// on a pillow) stay where they are at rest while the trunk moves, and its grips on the partner (a
// partner contact whose landmark on this role is on a limb: hands on the partner's hips, legs
// around the waist) stay on the partner's body; the limb's joint angles follow by inverse
// kinematics (damped least squares on the joint dofs between the landmark and the trunk). What
// they cannot reach slides, and gets kinetic friction in the scene.
#define SL_MAXPLANT 16
typedef struct slMotionRest {
  double R0[9], p0[3];    // pelvis rotation and origin
  double T0R[9], T0p[3];  // thorax rotation and origin
  double hc[3], z[3];     // midpoint of the hip centres, pelvis z axis
  int    ok;              // the model has both hips
  int    nplant;          // planted landmarks: nenv on the environment, then grips
  int    nenv;
  int    plant_land[SL_MAXPLANT];    // landmark on this role
  int    plant_other[SL_MAXPLANT];   // grips: the partner role (-1: environment)
  int    plant_oseg[SL_MAXPLANT];    // grips: the partner's segment the grip point is fixed to
  double plant_pos[SL_MAXPLANT][3];  // environment: rest position, world; grips: the point in
                                     // the partner segment's frame [m]
} slMotionRest;
// The rest of role `body` of a scene of nbody roles at their static poses q0 (data: one workspace
// per role, used for kinematics); contacts: the scene's supports and partner contacts.
void sl_motion_rest(const slModel* const* models, slData* const* data, const double* const* q0,
                    int nbody, const slContact* contacts, int ncontact, int body,
                    slMotionRest* rest);
// Generalized coordinates of a role at time t of the cycle: the trunk's motion, then the planted
// supports held (grip targets: world positions of the grips, (nplant - nenv) x 3, computed with
// sl_motion_grip_targets from the partner's pose at the same time; NULL: grips not held).
// carrier: for a role with no support of its own (held by the partner), the partner's pelvis
// displacement from rest to t, rotation (9, row-major) then translation (3), applied to the whole
// body after its own oscillation; NULL for a role on its own supports.
void sl_motion_q(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                 const slMotion* mo, double frequency, double t, const double* targets,
                 const double* carrier, double* q);
// world positions of the grips of `rest` on a partner whose kinematics is in dp
void sl_motion_grip_targets(const slModel* mp, const slData* dp, const slMotionRest* rest,
                            int partner, double* targets);
// A rigid motion x -> R x + p that changes in time: w and al its angular velocity and
// acceleration, v and a the velocity and acceleration of p (the image of the origin), all in the
// frame it maps into [rad/s, m/s, rad/s^2, m/s^2].
typedef struct slRigidMotion {
  double R[9], p[3], w[3], v[3], al[3], a[3];
} slRigidMotion;
// The carrier of a role held by its partner: the partner's pelvis motion from its rest pose
// (partner data after its sl_motion_rates; rp: the partner's rest).
void sl_motion_carrier(const slData* dp, const slMotionRest* rp, slRigidMotion* G);
// The grips of `rest` on a partner whose kinematics and motion are in dp: world position,
// velocity and acceleration of each grip point ((nplant - nenv) x 9).
void sl_motion_grip_motion(const slModel* mp, const slData* dp, const slMotionRest* rest,
                           int partner, double* targets);
// Velocities and accelerations of every segment of a role at time t of the cycle, at its pose q
// (from sl_motion_q with the same carrier and grips), analytically: the trunk's oscillation
// differentiated in time (lumbar and hip coordinates, and the pelvis as a composition of rigid
// motions: the spine-driven move that keeps the thorax in place, the rotation about the hip
// axis, the carrier), then the rates of the planted limbs from their constraints (the planted
// point moves with its target: J qd = v_target - v, J qdd = a_target - a with qd set), solved by
// the same damped least squares as the pose (sl_motion_q). Leaves d ready for sl_scene_step with
// with_inertia = 2. carrier: NULL for a role on its own supports; targets: grip motions
// (sl_motion_grip_motion) or NULL (grips not held).
void sl_motion_rates(const slModel* m, slData* d, const double* q, const slMotionRest* rest,
                     const slMotion* mo, double frequency, double t, const slRigidMotion* carrier,
                     const double* targets);
// The same for one role alone at time t, its pose from its motion (grips not held).
void   sl_motion_state(const slModel* m, slData* d, const double* q0, const slMotionRest* rest,
                       const slMotion* mo, double frequency, double t, double* work);
size_t sl_motion_work_size(const slModel* m);
// Kinematics of a static pose q: velocities and accelerations zero.
void sl_motion_static(const slModel* m, slData* d, const double* q);

#endif
