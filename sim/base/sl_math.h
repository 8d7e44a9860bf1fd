// sl_math.h: small dense kernels (vec3, mat3 row-major, rotations). Pure, no model or data.
#ifndef SL_MATH_H
#define SL_MATH_H

#include <math.h>
#include <string.h>

#ifndef SL_PI  // also in spineload.h, for callers that include only the public header
#define SL_PI  3.14159265358979323846
#define SL_DEG (SL_PI / 180.0)  // one degree in radians
#endif

static inline void slu_copy3(double r[3], const double a[3]) {
  r[0] = a[0];
  r[1] = a[1];
  r[2] = a[2];
}
static inline void slu_zero3(double r[3]) {
  r[0] = r[1] = r[2] = 0.0;
}
static inline void slu_add3(double r[3], const double a[3], const double b[3]) {
  r[0] = a[0] + b[0];
  r[1] = a[1] + b[1];
  r[2] = a[2] + b[2];
}
static inline void slu_sub3(double r[3], const double a[3], const double b[3]) {
  r[0] = a[0] - b[0];
  r[1] = a[1] - b[1];
  r[2] = a[2] - b[2];
}
static inline void slu_scl3(double r[3], const double a[3], double s) {
  r[0] = a[0] * s;
  r[1] = a[1] * s;
  r[2] = a[2] * s;
}
// r += a*s
static inline void slu_addscl3(double r[3], const double a[3], double s) {
  r[0] += a[0] * s;
  r[1] += a[1] * s;
  r[2] += a[2] * s;
}
static inline double slu_dot3(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static inline void slu_cross3(double r[3], const double a[3], const double b[3]) {
  double t0 = a[1] * b[2] - a[2] * b[1];
  double t1 = a[2] * b[0] - a[0] * b[2];
  double t2 = a[0] * b[1] - a[1] * b[0];
  r[0] = t0;
  r[1] = t1;
  r[2] = t2;
}
static inline double slu_norm3(const double a[3]) {
  return sqrt(slu_dot3(a, a));
}
// normalise in place; returns the old norm (vector untouched if 0)
static inline double slu_normalize3(double a[3]) {
  double n = slu_norm3(a);
  if (n > 0) slu_scl3(a, a, 1.0 / n);
  return n;
}

// ---- 3x3 row-major ------------------------------------------------------------------------------
static inline void slu_eye3(double R[9]) {
  memset(R, 0, 9 * sizeof(double));
  R[0] = R[4] = R[8] = 1.0;
}
// r = A*b
static inline void slu_mulmv3(double r[3], const double A[9], const double b[3]) {
  double t0 = A[0] * b[0] + A[1] * b[1] + A[2] * b[2];
  double t1 = A[3] * b[0] + A[4] * b[1] + A[5] * b[2];
  double t2 = A[6] * b[0] + A[7] * b[1] + A[8] * b[2];
  r[0] = t0;
  r[1] = t1;
  r[2] = t2;
}
// r = A'*b
static inline void slu_multmv3(double r[3], const double A[9], const double b[3]) {
  double t0 = A[0] * b[0] + A[3] * b[1] + A[6] * b[2];
  double t1 = A[1] * b[0] + A[4] * b[1] + A[7] * b[2];
  double t2 = A[2] * b[0] + A[5] * b[1] + A[8] * b[2];
  r[0] = t0;
  r[1] = t1;
  r[2] = t2;
}
// R = A*B (R may alias neither)
static inline void slu_mulmm3(double R[9], const double A[9], const double B[9]) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      R[3 * i + j] = A[3 * i] * B[j] + A[3 * i + 1] * B[3 + j] + A[3 * i + 2] * B[6 + j];
}
// R = A*B' (R may alias neither)
static inline void slu_mulmmt3(double R[9], const double A[9], const double B[9]) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      R[3 * i + j] =
          A[3 * i] * B[3 * j] + A[3 * i + 1] * B[3 * j + 1] + A[3 * i + 2] * B[3 * j + 2];
}
// R = A'*B (R may alias neither)
static inline void slu_multmm3(double R[9], const double A[9], const double B[9]) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      R[3 * i + j] = A[i] * B[j] + A[3 + i] * B[3 + j] + A[6 + i] * B[6 + j];
}
// rotation matrix about unit axis u by angle a (Rodrigues)
static inline void slu_axisangle(double R[9], const double u[3], double a) {
  double c = cos(a), s = sin(a), t = 1.0 - c;
  double x = u[0], y = u[1], z = u[2];
  R[0] = t * x * x + c;
  R[1] = t * x * y - s * z;
  R[2] = t * x * z + s * y;
  R[3] = t * x * y + s * z;
  R[4] = t * y * y + c;
  R[5] = t * y * z - s * x;
  R[6] = t * x * z - s * y;
  R[7] = t * y * z + s * x;
  R[8] = t * z * z + c;
}
// body-fixed X-Y-Z Euler angles (OpenSim offset frames): R = Rx(a) Ry(b) Rz(c)
static inline void slu_euler_xyz(double R[9], const double e[3]) {
  static const double ex[3] = {1, 0, 0}, ey[3] = {0, 1, 0}, ez[3] = {0, 0, 1};
  double              A[9], B[9], C[9], T[9];
  slu_axisangle(A, ex, e[0]);
  slu_axisangle(B, ey, e[1]);
  slu_axisangle(C, ez, e[2]);
  slu_mulmm3(T, A, B);
  slu_mulmm3(R, T, C);
}

// velocity and acceleration of a point rigidly attached to a frame with origin velocity v,
// acceleration a, angular velocity w and angular acceleration al; d = point - origin
static inline void slu_rigid_point(double vout[3], double aout[3], const double v[3],
                                   const double a[3], const double w[3], const double al[3],
                                   const double d[3]) {
  double t[3], t2[3];
  slu_cross3(t, w, d);
  slu_add3(vout, v, t);
  slu_cross3(t2, w, t);
  slu_cross3(t, al, d);
  aout[0] = a[0] + t[0] + t2[0];
  aout[1] = a[1] + t[1] + t2[1];
  aout[2] = a[2] + t[2] + t2[2];
}

#endif
