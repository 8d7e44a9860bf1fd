// spineload.h: the public C API of spineload, a simulator of the load on the lumbar spine.
//
// Conventions (everywhere, unless a name says otherwise):
//   * SI units: m, kg, s, N, N*m, rad, Pa. Input files use degrees; the library uses radians.
//   * World frame: x anterior, y superior (gravity along -y), z to the right.
//   * Arrays are row-major; shapes are given as (rows x cols). Rotations R_ws map segment
//     coordinates to world: x_world = R_ws * x_seg + p_s.
//   * Segments are ordered parent before child; segment 0 is the root (pelvis).
//   * The 18 lumbar degrees of freedom are ordered level-major, L5/S1 first:
//     dof 3*l + a, a = 0 flexion/extension (about the joint frame's z; negative = flexion),
//     a = 1 lateral bending (about x; positive tips the upper body to the right),
//     a = 2 axial rotation (about y; positive turns the upper body to the left).
//
// Pipeline (one posture; a batch runs it per posture on each thread's slData):
//   sl_posture_to_q -> sl_kin_forward -> sl_muscle_geometry -> sl_load_external, sl_load_demand
//   -> sl_disc_frames -> sl_passive -> one static optimisation of muscles, intra-abdominal
//   pressure, joint actuators and contacts -> disc loads. sl_scene_step runs them in order for one
//   or two bodies (the stages are slStage; sl_scene_step_from starts at a later one);
//   sl_batch_run runs it over many postures on every thread.
//
// A compiled slModel is immutable and shared by all threads; an slData is one thread's workspace,
// sized once by sl_data_make and never reallocated. The library never prints and never exits.
#ifndef SPINELOAD_H
#define SPINELOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- status and errors (base/sl_status.c) ----------------------------------------------------
// Fallible library calls return an slStatus and take a nullable slError* last. The error carries
// a location ("file:line:col" for input files, or a key path such as "body.mass_kg") and a
// message. The library never prints and never exits; callers decide.
// clang-format off
#define SL_STATUS_LIST(X)                                              \
  X(SL_OK,          "success")                                         \
  X(SL_ERR_ARG,     "invalid argument")                                \
  X(SL_ERR_NOMEM,   "out of memory")                                   \
  X(SL_ERR_IO,      "file could not be read or written")               \
  X(SL_ERR_PARSE,   "syntax error in input file")                      \
  X(SL_ERR_KEY,     "unknown or missing key")                          \
  X(SL_ERR_TYPE,    "value has the wrong type")                        \
  X(SL_ERR_RANGE,   "value out of range")                              \
  X(SL_ERR_MODEL,   "model failed validation")                         \
  X(SL_ERR_LAPACK,  "LAPACK reported an illegal argument")             \
  X(SL_ERR_HDF5,    "HDF5 call failed")                                \
  X(SL_ERR_INTERRUPTED, "interrupted by a signal")                   \
  X(SL_ERR_WRITE,   "output could not be written out (disk full?)")
// clang-format on

typedef enum slStatus {
#define SL_X_(code, msg) code,
  SL_STATUS_LIST(SL_X_)
#undef SL_X_
      SL_STATUS_COUNT
} slStatus;

typedef struct slError {
  slStatus code;        // the status that was returned
  char     where[512];  // "file:line:col", a key path, or a dataset name; "" if none
  char     msg[768];    // human-readable message, no trailing newline
} slError;

// static string, never NULL
const char* sl_status_str(slStatus s);

// fill err (if not NULL) and return code; where may be NULL
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
slStatus
sl_fail(slError* err, slStatus code, const char* where, const char* fmt, ...);

// "file:line:col" into buf
void sl_where(char* buf, int n, const char* file, int line, int col);

// seconds on a monotonic clock (for timing stages and runs; never part of a result)
double sl_clock(void);

#ifndef SL_PI
#define SL_PI  3.14159265358979323846
#define SL_DEG (SL_PI / 180.0)  // one degree in radians
#endif

// ---- build and data (io/sl_version.c) --------------------------------------------------------
const char* sl_version(void);        // "MAJOR.MINOR.PATCH"
const char* sl_build_summary(void);  // "compiler build-type, git revision"
const char* sl_build_info(void);     // what `spineload version` prints (two lines)
// A path under the source tree: rel itself if it is readable (relative to the working
// directory), else rel under the source directory the library was built from. Returns 0, or -1
// if it did not fit in out (n bytes; then truncated).
int sl_source_path(const char* rel, char* out, int n);

// Limits the metrics compare with (reference pack physiology.md section 3) and lumbar ranges of
// motion (section 4).
#define SL_LIMIT_COMPRESSION     3400.0  // N, NIOSH action limit (Waters et al. 1993)
#define SL_LIMIT_COMPRESSION_MAX 6400.0  // N, NIOSH maximum permissible (1981)
#define SL_LIMIT_SHEAR           700.0   // N, repetitive (frequent) shear, Gallagher & Marras 2012
#define SL_ROM_FLEXION           73.0  // deg, whole lumbar spine, Troke et al. 2005 (young adults)
#define SL_ROM_EXTENSION         29.0
#define SL_ROM_LATERAL           28.0  // each side
#define SL_ROM_TWIST             7.0   // each side

#define SL_NLEVEL 6   // lumbar levels L5/S1, L4/L5, L3/L4, L2/L3, L1/L2, T12/L1
#define SL_NLDOF  18  // lumbar degrees of freedom: 3 per level
#define SL_NAME   64  // longest name, including the NUL

typedef enum slSex { SL_MALE = 0, SL_FEMALE = 1 } slSex;
typedef enum slScaling { SL_SCALE_DELEVA = 0, SL_SCALE_PROPORTIONAL, SL_SCALE_NONE } slScaling;
typedef enum slAxisType { SL_AX_ROT = 0, SL_AX_TRANS = 1 } slAxisType;
typedef enum slFunType { SL_FUN_CONST = 0, SL_FUN_LINEAR = 1, SL_FUN_SPLINE = 2 } slFunType;

// ---- compiled model ---------------------------------------------------------------------------
// One allocation; every pointer below points into it. Read-only after sl_model_compile.
typedef struct slModel {
  // sizes
  int nseg;    // rigid segments (root first, parent before child)
  int ncoord;  // generalized coordinates (dim q)
  int naxis;   // joint transform axes over all joints
  int nknot;   // spline knots over all spline axes
  int nmus;    // muscle fascicles
  int npt;     // muscle path points over all muscles
  int ngroup;  // muscle groups
  int ncross;  // (path point, lumbar level) crossing entries (see cross_* below)
  int nland;   // named landmarks
  int njdof;   // joint degrees of freedom outside the lumbar spine and the root (<= 64)
  int nwrap;   // wrapping surfaces (wrapping.objects)
  int nmwrap;  // path wraps of muscles over them (wrapping.paths)

  // identity and subject
  char   name[SL_NAME];
  char   files[2048];              // files the model was read from, ';'-separated (provenance)
  char   check_moment_arms[1024];  // reference moment-arm table (checks.moment_arms_csv), or ""
  slSex  sex;
  double body_mass;       // subject body mass [kg]
  double height;          // subject stature [m]
  double ref_mass;        // body mass of the unscaled geometry [kg]
  double ref_height;      // stature of the unscaled geometry [m]
  double gravity[3];      // gravity acceleration in world [m/s^2]
  double total_mass;      // sum of segment masses [kg]
  double strength_scale;  // body mass x g x stature: joint strength = c1 x this [N m]

  // segments; the joint of segment i connects it to seg_parent[i]
  char (*seg_name)[SL_NAME];  // (nseg)
  char (*jnt_name)[SL_NAME];  // joint names (nseg)
  int*      seg_parent;       // parent segment, -1 for the root (nseg)
  double*   seg_mass;         // [kg] (nseg)
  double*   seg_com;          // centre of mass in segment frame [m] (nseg x 3)
  double*   seg_inertia;      // inertia about the CoM, segment axes [kg m^2] (nseg x 9)
  double*   seg_ppos;         // joint frame F origin in the parent frame [m] (nseg x 3)
  double*   seg_prot;         // R_parent_F (nseg x 9)
  double*   seg_cpos;         // joint frame M origin in the segment frame [m] (nseg x 3)
  double*   seg_crot;         // R_seg_M (nseg x 9)
  int*      seg_axadr;        // first transform axis of the joint (nseg)
  int*      seg_axnum;        // number of transform axes (nseg)
  unsigned* seg_above;        // bit l set if the segment is superior to lumbar level l (nseg)

  // joint transform axes (OpenSim CustomJoint semantics): rotations applied in order about axes
  // fixed in the successively rotated joint frame; translations along axes of frame F
  int*    ax_type;     // slAxisType (naxis)
  int*    ax_fun;      // slFunType (naxis)
  int*    ax_coord;    // driving coordinate, -1 for constants (naxis)
  double* ax_dir;      // unit axis in the joint frame (naxis x 3)
  double* ax_lin;      // SL_FUN_LINEAR: slope; SL_FUN_CONST: value [rad or m] (naxis)
  int*    ax_knotadr;  // SL_FUN_SPLINE: first knot (naxis)
  int*    ax_knotnum;  // SL_FUN_SPLINE: number of knots (naxis)
  double* knot_x;      // spline abscissae [rad] (nknot)
  double* knot_c;      // natural cubic spline coefficients a,b,c,d per knot interval (nknot x 4)
  int*    ax_seg;      // segment whose joint the axis belongs to (naxis)
  int*    ax_jdof;     // joint dof of the driving coordinate, -1 if none (lumbar, root) (naxis)

  // generalized coordinates
  char (*coord_name)[SL_NAME];  // (ncoord)
  int*    coord_type;           // slAxisType: rotation [rad] or translation [m] (ncoord)
  double* coord_range;          // allowed range (ncoord x 2)
  double* coord_default;        // default value (ncoord)

  // lumbar spine
  char   lev_name[SL_NLEVEL][8];   // "L5/S1" ... "T12/L1"
  int    lev_seg[SL_NLEVEL];       // segment just above the disc (its joint is the level)
  int    lev_coord[SL_NLEVEL][3];  // coordinates: flexion/extension, lateral, axial
  double rhythm[3][SL_NLEVEL];     // share of a total lumbar angle per level (sums to 1)
  double sacral_slope;             // S1 end-plate angle to horizontal, upright [rad]
  double s1_axis[3];               // S1 end-plate normal in the pelvis frame
  double t12_axis[3];              // T12 axis in the torso frame (= L1 axis at q = 0)
  int    ldof_coord[SL_NLDOF];     // coordinate of lumbar dof k
  int    ldof_ax[SL_NLDOF];        // the joint transform axis that coordinate drives
  int    root_coord[6];            // pelvis_tilt, _list, _rotation, _tx, _ty, _tz (-1 if absent)
  int    hip_coord[2];             // hip_flexion_r, hip_flexion_l (-1 if absent)
  int    hip_seg[2];               // femur_r, femur_l (-1 if absent)

  // joint torque actuators: every coordinate that drives a joint outside the lumbar spine and the
  // free root (neck, shoulders, elbows, forearms, wrists, hips, knees, ankles, feet) is held in
  // equilibrium by a torque actuator priced by its strength, cost (tau / strength)^p
  int*    jdof_coord;             // coordinate of each joint dof (njdof)
  double* jdof_strength;          // strength for + and - torque along the coordinate [N m]
                                  // (njdof x 2)
  unsigned long long* seg_jdofs;  // bit k: joint dof k moves the segment (nseg)

  // abdominal wall: the aponeurosis points of the obliques are neither on the pelvis nor on the
  // thorax; they ride on the linea alba between a pelvis anchor (pubic symphysis) and a thorax
  // anchor (xiphoid). A point at fraction t of the way is (1 - t) x its pelvis image + t x its
  // thorax image (pt_pos, pt_pos2), so its pull is passed to the pelvis and the thorax in those
  // shares, mostly at the two anchors.
  int abd_seg[2];     // inferior (pelvis) and superior (thorax) segment, -1 if the model has none
  int abd_anchor[2];  // the anchor landmarks on them

  // intra-abdominal pressure (IAP): a pressure p in [0, iap_pmax] pushes the thorax away from the
  // pelvis with force p iap_area along the abdominal axis (bisector of the pelvis and thorax long
  // axes) through a point midway between its pelvis and thorax images (iap_point, shares 1/2);
  // cost iap_weight (p/pmax)^p
  int    iap_on;           // 0: no IAP unknown
  double iap_pmax;         // maximum pressure [Pa]
  double iap_area;         // area it acts on [m^2]
  double iap_weight;       // cost weight [1]
  double iap_point[2][3];  // point on the line of action in the pelvis and the thorax frame [m]

  // muscles; path points addressed by mus_ptadr/mus_ptnum
  char (*mus_name)[SL_NAME];    // (nmus)
  char (*group_name)[SL_NAME];  // (ngroup)
  int*    mus_group;            // (nmus)
  int*    mus_side;             // +1 right, -1 left, 0 midline (nmus)
  double* mus_fmax;             // maximum isometric force after scaling [N] (nmus)
  int*    mus_lev0;             // lowest lumbar level the path crosses (nmus)
  int*    mus_nlev;             // number of levels from mus_lev0 to the highest crossed (nmus)
  int*    mus_ptadr;            // first path point (nmus)
  int*    mus_ptnum;            // number of path points (nmus)
  int*    pt_seg;               // segment the point is fixed to (npt); abdominal wall: abd_seg[0]
  double* pt_pos;               // point in that segment's frame [m] (npt x 3)
  int*    pt_abd;               // 1 for an abdominal-wall point (npt)
  double* pt_share;             // abdominal wall: thorax share t of the point (npt)
  double* pt_pos2;              // abdominal wall: its image in the thorax frame [m] (npt x 3)
  // Crossings: the tension of a muscle pulls each path point toward its neighbours. Entry x says
  // that point cross_pt (its image cross_img: 0 the point itself or its pelvis image, 1 its
  // thorax image) is pulled toward its neighbour cross_nb (+1 next, -1 previous) with share
  // cross_share of the tension acting on the part superior to level cross_lev. The pairs whose
  // forces cancel on the superior part (both ends on it) are left out.
  int*    cross_mus;    // (ncross)
  int*    cross_pt;     // (ncross)
  int*    cross_lev;    // (ncross)
  int*    cross_nb;     // (ncross)
  int*    cross_img;    // (ncross)
  double* cross_share;  // (ncross)
  int*    cross_first;  // 1 for the first entry of its (muscle, level) pair (ncross)

  // wrapping surfaces (README "OpenSim models"): fixed to a segment, in a frame at wrap_pos with
  // axes R_seg_wrap; a path wrap makes its muscle go around the surface between the two points
  // of its point range whose straight line goes through it. Only with wrapping_on (model key
  // wrapping.on) and for active surfaces; a muscle with such a wrap (mus_wrapnum > 0) has its
  // moment arms and pulls from a loop over its pieces, the others from the crossings above.
  int wrapping_on;
#define SL_WRAP_VMAX 128       // most path points plus two per path wrap of a muscle
  char (*wrap_name)[SL_NAME];  // (nwrap)
  int*    wrap_shape;          // slWrapShape (nwrap)
  int*    wrap_seg;            // (nwrap)
  double* wrap_dim;            // radius (sphere, cylinder) or semi-axes (ellipsoid) [m] (nwrap x 3)
  double* wrap_pos;            // origin in the segment frame [m] (nwrap x 3)
  double* wrap_rot;            // R_seg_wrap (nwrap x 9)
  int*    wrap_qaxis;          // quadrant: -1 all, 0 x, 1 y, 2 z (nwrap)
  int*    wrap_qsign;          // quadrant sign +1 or -1 (nwrap)
  int*    wrap_active;         // the active flag (nwrap)
  int*    mus_wrapadr;         // first path wrap of the muscle (nmus)
  int*    mus_wrapnum;         // its active path wraps, 0 with wrapping off (nmus)
  int*    mw_obj;              // wrapping surface (nmwrap)
  int*    mw_pt0;              // first and last path point of its range, global (nmwrap)
  int*    mw_pt1;

  // passive tissue per level (same for every level), angle x [deg] in posture signs
  // (+ flexion, + right bend, + left twist); moments restoring [N m]
  double pas_disc[3][4];  // disc: M = c1 x + c2 x^2 + c2abs x|x| + c3 x^3, per axis
  double pas_lig[4];      // ligaments and facets, linear [N m/deg]: flexion, extension,
                          // lateral, twist (= (1 - disc_share) x motion-segment stiffness)
  double pas_lever;       // posterior ligament lever arm behind the disc centre [m]

  // discs
  double disc_area[SL_NLEVEL];  // cross-section [m^2]
  double disc_k;                // IDP = p0 + k F / A (Nachemson, with the swelling pressure p0)
  double disc_pre;              // swelling pressure p0 of an unloaded disc [Pa]

  // landmarks (skin points for supports and contacts)
  char (*land_name)[SL_NAME];  // (nland)
  int*    land_seg;            // (nland)
  double* land_pos;            // in segment frame [m] (nland x 3)

  // the indices of each name table in the names' strcmp order (ties by index), for the binary
  // searches of sl_model_segment, _coord, _landmark and _group (NULL: linear scans)
  int* seg_by_name;    // (nseg)
  int* coord_by_name;  // (ncoord)
  int* land_by_name;   // (nland)
  int* group_by_name;  // (ngroup)

  // the crossings again, in level order (a stable sort of the entries above by cross_lev), as a
  // structure of arrays for stage 2 (sl_muscle.c): the entries of level l are xl_adr[l] up to
  // xl_adr[l + 1], so that its loop reads contiguous arrays with the level's joint centre and
  // axes fixed. Entry s is crossing xl_cross[s]; its piece xl_pc (the piece from point p to
  // p + 1 is piece p), taken with sign xl_sg (+1 toward the next point, -1 the previous); the
  // point where its pull acts xl_img (path point q, or npt + q for the thorax image of an
  // abdominal-wall point q); its moment arms at mus_R + xl_rm. Its share and whether it is the
  // first of its pair stay in cross_share and cross_first, read through xl_cross.
  int     xl_adr[SL_NLEVEL + 1];
  int*    xl_cross;  // (ncross)
  int*    xl_pc;     // (ncross)
  int*    xl_img;    // (ncross)
  int*    xl_rm;     // (ncross)
  double* xl_sg;     // (ncross)
} slModel;

// Overrides applied to the model file before compiling: "path=value" edits of the YAML tree
// (e.g. "subject.mass_kg=95", "segments.torso.com_m=[0.02,0.18,0]").
typedef struct slOverride {
  const char* path;
  const char* value;
  const char* file;       // where it was written: a file's `set:` entry (NULL: the command line)
  int         line, col;  // its position in that file (1-based; with file)
} slOverride;

// Load a model file (YAML; `base:` inheritance and CSV tables resolved relative to the file),
// apply overrides, compile. *m is NULL on error.
slStatus sl_model_load(slModel** m, const char* path, const slOverride* ov, int nov, slError* err);
// Same from a buffer; relative file references resolve against dir (may be NULL: none allowed).
slStatus sl_model_parse(slModel** m, const char* buf, size_t len, const char* fname,
                        const char* dir, const slOverride* ov, int nov, slError* err);
void     sl_model_free(slModel* m);  // NULL is fine

// ---- model spec: a model file parsed but not compiled (model/sl_spec.c) ------------------------
// The spec holds the model file merged with its `base:` chain (values as written, in the file's
// units), the CSV tables it names, parsed, and the text of every file read (for provenance). It
// is edited by path (sl_spec_set) and compiled without any I/O (sl_model_compile).
typedef struct slModelSpec slModelSpec;

// Returns the text of the file that `from` names as `name` (from: the file that names it, NULL
// for the top file or a name from an override): *text malloc'ed and NUL-terminated (the spec
// frees it), *len its length, and in path[n] the name the file goes by in messages and
// provenance (set it before failing too). The default, sl_resolve_disk, reads name relative to
// the directory of from (ctx unused).
typedef slStatus (*slResolver)(void* ctx, const char* from, const char* name, char* path, size_t n,
                               char** text, size_t* len, slError* err);
slStatus sl_resolve_disk(void* ctx, const char* from, const char* name, char* path, size_t n,
                         char** text, size_t* len, slError* err);

// A spec from a model file (res NULL: sl_resolve_disk), or from a buffer named fname whose
// relative file references resolve against dir (NULL: relative `base:` is an error). A table
// that cannot be read or parsed is not an error here: sl_model_compile reports it.
slStatus sl_spec_load(slModelSpec** spec, const char* path, slResolver res, void* ctx,
                      slError* err);
slStatus sl_spec_parse(slModelSpec** spec, const char* buf, size_t len, const char* fname,
                       const char* dir, slResolver res, void* ctx, slError* err);
// Set the value at a path of the tree, as an override ("subject.mass_kg", "70"; "body." is an
// alias of "subject."); a changed table name is read (through the resolver) here.
slStatus sl_spec_set(slModelSpec* spec, const char* path, const char* value, slError* err);
slStatus sl_spec_set_all(slModelSpec* spec, const slOverride* ov, int nov, slError* err);
void     sl_spec_free(slModelSpec* spec);  // NULL is fine
// The files read, in order: the model file, its bases, then the tables (the current ones).
int         sl_spec_nfiles(const slModelSpec* spec);
const char* sl_spec_file(const slModelSpec* spec, int i, const char** text);  // its name

// Compile a spec: every problem goes to dg (see slDiag below); returns the first error's code
// (or SL_OK). No I/O. On error *m is NULL.
typedef struct slDiag slDiag;
slStatus              sl_model_compile(const slModelSpec* spec, slModel** m, slDiag* dg);

// lookups by name: index or -1
int sl_model_segment(const slModel* m, const char* name);
int sl_model_coord(const slModel* m, const char* name);
int sl_model_landmark(const slModel* m, const char* name);
int sl_model_group(const slModel* m, const char* name);

// ---- posture ----------------------------------------------------------------------------------
typedef enum slRoot {
  SL_ROOT_STANDING = 0,
  SL_ROOT_SITTING,
  SL_ROOT_SUPINE,
  SL_ROOT_PRONE,
  SL_ROOT_SIDE_LEFT,   // lying on the left side
  SL_ROOT_SIDE_RIGHT,  // lying on the right side
  SL_ROOT_KNEELING,
  SL_ROOT_ALL_FOURS,
  SL_ROOT_EXPLICIT,
  SL_ROOT_COUNT
} slRoot;

#define SL_POSTURE_MAXSET 64

// A posture as a person would describe it. Angles in rad. Every field that is NaN takes the
// value of the root preset (see sl_posture_preset). Arrays [2] are {right, left}.
typedef struct slPosture {
  slRoot root;
  double pelvis_rot[3];  // pelvis tilt (+ posterior), list (+ right side down), rotation (+ left)
  double pelvis_pos[3];  // pelvis origin in world [m]; NaN = place the body on the floor
  double lumbar[3];      // total lumbar flexion (+), lateral bend (+ right), twist (+ left)
  int    per_level;      // 1: use level[][] instead of lumbar[] and the rhythm
  double level[SL_NLEVEL][3];                  // per level, same signs as lumbar[]
  double hip_flex[2], hip_add[2], hip_rot[2];  // + flexion, + adduction, + internal rotation
  double knee[2];                              // + flexion
  double ankle[2];                             // + dorsiflexion
  double shoulder_flex[2], shoulder_add[2], shoulder_rot[2];  // + flexion, + adduction
  double elbow[2];                                            // + flexion
  double neck_flex;                                           // + extension (model sign)
  int    nset;                          // explicit coordinate values, applied last
  int    set_coord[SL_POSTURE_MAXSET];  // coordinate index
  double set_value[SL_POSTURE_MAXSET];  // [rad or m]
} slPosture;

// A posture with every field NaN (= preset) for the given root.
slPosture sl_posture_default(slRoot root);
// Name of a root preset ("standing", "sitting", "supine", "prone", "side_left", "side_right",
// "kneeling", "all_fours", "explicit"); sl_root_from_name returns -1 if unknown.
const char* sl_root_name(slRoot r);
int         sl_root_from_name(const char* s);
// Posture -> generalized coordinates q (ncoord). Checks every coordinate against its range;
// SL_ERR_RANGE names the coordinate, the value and the range (in degrees for rotations).
// Needs a workspace for placing the body on the floor (kinematics is run once).
struct slData;
slStatus sl_posture_to_q(const slModel* m, struct slData* d, const slPosture* p, double* q,
                         slError* err);

// outcome of one static-optimisation solve
typedef struct slSoResult {
  int    status;       // slSoStatus
  int    iter;         // Newton iterations (summed over the min/max bisection)
  double resid;        // max |A x - b| over the equations, with reserves [N m]
  double max_reserve;  // max |reserve| [N m]
  double cost;         // criterion value sum (f/fmax)^p (or max f/fmax for min/max)
} slSoResult;

// ---- per-thread workspace -----------------------------------------------------------------------

typedef struct slData {
  // inputs
  double* q;    // generalized coordinates (ncoord)
  double* qd;   // velocities (ncoord)
  double* qdd;  // accelerations (ncoord)

  // stage 1, kinematics: segment frames, velocities and accelerations in world
  double* xpos;     // segment origin [m] (nseg x 3)
  double* xrot;     // R_world_seg (nseg x 9)
  double* xcom;     // centre of mass [m] (nseg x 3)
  double* xjnt;     // joint centre = origin of the joint's child frame M [m] (nseg x 3)
  double* xaxis;    // current world direction of every transform axis (naxis x 3)
  double* axis_df;  // derivative of each axis function with respect to its coordinate (naxis)
  double* cvel;     // angular velocity [rad/s] and CoM velocity [m/s] (nseg x 6)
  double* cacc;     // angular acceleration [rad/s^2] and CoM acceleration [m/s^2] (nseg x 6)
  double* ovel;     // velocity of the segment origin [m/s] (nseg x 3)
  double* oacc;     // acceleration of the segment origin [m/s^2] (nseg x 3)
  double  root_motion[12];  // input of sl_kin_forward(with_vel 2): the root's angular velocity
                            // [rad/s], origin velocity [m/s], angular acceleration [rad/s^2] and
                            // origin acceleration [m/s^2], world
  double ldof_axis[SL_NLDOF][3];  // world axis of each lumbar dof (unit)
  double lev_xpos[SL_NLEVEL][3];  // lumbar joint centres in world [m]

  // stage 2, muscle geometry
  double* pt_xpos;  // path points in world [m] (npt x 3)
  double* mus_len;  // straight-line path length [m] (nmus)
  double* mus_R;    // moment arms r = -dL/dq about each lumbar dof [m] (nmus x 18)

  // stage 3, external loads and joint demand
  double* ext_force;   // external force on each segment, through its CoM, world [N] (nseg x 3)
  double* ext_torque;  // external couple on each segment, world [N m] (nseg x 3)
  double  demand_force[SL_NLEVEL][3];   // resultant external force on the superior part [N]
  double  demand_moment[SL_NLEVEL][3];  // its moment about the joint centre, world [N m]
  double  tau[SL_NLDOF];                // generalized demand: -(external generalized force)
  double  load_force[SL_NLEVEL][3];     // of demand_force: the explicit point loads alone [N]
  double* jdof_tau;  // generalized demand on each joint dof outside the lumbar spine (njdof)
                     // [N m]: the torque its actuator must supply without contacts
  double* sub_fm;    // scratch: external force and moment about the world origin on each
                     // segment's subtree (nseg x 6)
  double  disc_rot[SL_NLEVEL][9];  // disc frame columns: anterior, normal (up), right
  double* pc_u;                    // unit vector of each path piece, point p toward p + 1 (npt x 3)
  double* cross_u;  // unit direction from the superior point along each crossing piece (ncross x 3)
  double* mus_pull;  // wrapped muscles: pull on the part superior to each level per unit tension
                     // (nmus x SL_NLEVEL x 3); others unused

  // passive tissue
  double pas_moment[SL_NLDOF];  // generalized passive force on each lumbar dof [N m]
  double lig_force[SL_NLEVEL];  // posterior ligament tension producing it (flexion only) [N]

  // stage 4, recruitment
  double* mus_force;           // [N] (nmus)
  double  reserve[SL_NLDOF];   // reserve moments on the lumbar dofs [N m]
  double  root_reserve[6];     // whole-body reserve force [N] and moment [N m] (if supported)
  double* jdof_torque;         // joint torque actuator of each joint dof [N m] (njdof)
  double* jdof_share;          // torque needed / strength in its direction (njdof); above 1
                               // the joint is beyond its strength (a reserve takes the rest)
  double*    jdof_reserve;     // reserve on each joint dof [N m] (njdof)
  double     iap;              // intra-abdominal pressure [Pa]
  double     iap_force[3];     // IAP force on the thorax, world [N]
  double     iap_pos[3];       // a point on its line of action, world [m]
  double     iap_R[SL_NLDOF];  // generalized force on each lumbar dof per newton of IAP force [m]
  slSoResult so;               // solver outcome for this posture

  // stage 5, disc loads, in each disc's frame
  double disc_comp[SL_NLEVEL];       // compression, + pressing [N]
  double disc_shear_ap[SL_NLEVEL];   // + superior vertebra pushed anteriorly [N]
  double disc_shear_lat[SL_NLEVEL];  // + superior vertebra pushed to the right [N]
  double disc_res[SL_NLEVEL];        // resultant |F| of the joint reaction [N]
  double disc_idp[SL_NLEVEL];        // intradiscal pressure p0 + k F_c / A [Pa]
  // where each level's compression comes from: (SL_NLEVEL x sl_part_count(m)) [N], see
  // sl_part_name; the parts add up to disc_comp
  double* comp_parts;

  // scratch of stage 2 (sl_muscle.c): path points, their images and pieces, and the crossings'
  // terms, as structures of arrays (sl_muscle_scratch doubles)
  double* geo;
  // scratch of stage 1 (sl_kin.c): each axis function's value, first and second derivative with
  // respect to its coordinate at the last sl_kin_forward's pose, for sl_kin_rates (naxis x 3)
  double* axis_f;
} slData;

slStatus sl_data_make(const slModel* m, slData** d, slError* err);
void     sl_data_free(slData* d);  // NULL is fine
// Make *d what sl_data_make(m) would give (zeros, the model's default posture), reusing its
// memory when *cap (bytes, kept by the caller; 0 with *d NULL) is enough, else made anew.
slStatus sl_data_remake(const slModel* m, slData** d, size_t* cap, slError* err);

// ---- pipeline stages ----------------------------------------------------------------------------
// Stage 1. in: d->q, d->qd, d->qdd   out: xpos, xrot, xcom, xjnt, xaxis, cvel, cacc, ldof_axis,
// lev_xpos. With with_vel == 0 velocities/accelerations are set to zero (statics); with
// with_vel == 2 the root segment's motion is d->root_motion, not the rates of its coordinates
// (whose Euler angles are singular for a body on its side).
void sl_kin_forward(const slModel* m, slData* d, int with_vel);
// The same without velocities, for only the segments moved by the joint dofs in mask (bit k: joint
// dof k), after a full sl_kin_forward at coordinates that differ from d->q only in those dofs.
void sl_kin_forward_jdofs(const slModel* m, slData* d, unsigned long long mask);
// The velocities and accelerations alone (with_vel as for sl_kin_forward) for new d->qd, d->qdd
// (and d->root_motion), at the pose of the last full sl_kin_forward, whose d->q must not have
// changed since: the same numbers as sl_kin_forward(m, d, with_vel) without forming the frames
// again.
void sl_kin_rates(const slModel* m, slData* d, int with_vel);
// world position of a point given in a segment frame
void sl_kin_point(const slModel* m, const slData* d, int seg, const double local[3],
                  double world[3]);
// world position of landmark land (after sl_kin_forward)
void sl_kin_landmark(const slModel* m, const slData* d, int land, double world[3]);

// Stage 2. in: xpos, xrot, lev_xpos, ldof_axis   out: pt_xpos, mus_len, mus_R
void sl_muscle_geometry(const slModel* m, slData* d);

// Wrapping surfaces (engine/sl_wrap.c). In the surface's frame (a cylinder's axis is z; its
// length is not used: it is infinite), the path from P to S: 1 with the tangent points t1, t2
// and the length of the curve between them on the surface, 0 if the path stays straight.
// quadrant: qaxis -1 (all) or 0..2 with qsign +1 or -1.
typedef enum slWrapShape {
  SL_WRAP_SPHERE = 0,
  SL_WRAP_CYLINDER = 1,
  SL_WRAP_ELLIPSOID = 2
} slWrapShape;
int sl_wrap_solve(int shape, const double dim[3], int qaxis, int qsign, const double P[3],
                  const double S[3], double t1[3], double t2[3], double* arc);

// A point force on a segment (explicit external load), world frame.
typedef struct slPointLoad {
  int    seg;       // segment the load acts on
  double pos[3];    // point of application in the segment frame [m]
  double force[3];  // force in world [N]
} slPointLoad;

// Stage 3. Gravity on every segment, d'Alembert inertial loads from cvel/cacc (when
// with_inertia), and the given point loads, then the demand at every level and the disc frames.
// in: xpos, xrot, xcom, cvel, cacc, lev_xpos, ldof_axis  out: ext_force, ext_torque,
// demand_force, demand_moment, tau, disc_rot
void sl_load_external(const slModel* m, slData* d, int with_inertia, const slPointLoad* loads,
                      int nloads);
void sl_load_demand(const slModel* m, slData* d);
void sl_disc_frames(const slModel* m, slData* d);

// ---- recruitment (static optimisation) --------------------------------------------------------
typedef enum slCriterion {
  SL_CRIT_P2 = 0,  // minimise sum (f/fmax)^2 (convex QP, unique answer)
  SL_CRIT_P3,      // minimise sum (f/fmax)^3
  SL_CRIT_MINMAX,  // minimise the largest f/fmax (ties broken by sum (f/fmax)^2)
  SL_CRIT_COUNT
} slCriterion;

// per-posture outcome of the solver (stored in outputs)
typedef enum slSoStatus {
  SL_SO_CONVERGED = 0,  // equilibrium met by muscles and passive tissue
  SL_SO_RESERVE = 1,    // converged, but reserve actuators carry more than reserve_flag
  SL_SO_MAXITER = 2,    // iteration limit reached before the tolerance
  SL_SO_NUMERIC = 3,    // numerical failure (non-finite input, singular system)
  SL_SO_STRENGTH = 4,   // converged, but a joint outside the lumbar spine needs more torque than
                        // its strength (a reserve carries the excess), like 3DSSPP's strength check
  SL_SO_STATUS_COUNT
} slSoStatus;
const char* sl_so_status_str(int s);
const char* sl_criterion_name(slCriterion c);
int         sl_criterion_from_name(const char* s);  // -1 if unknown

typedef struct slSoOpt {
  slCriterion criterion;
  int         maxiter;     // Newton iterations per solve (default 300)
  double      tol;         // equilibrium residual relative to max(1, |b|_inf) (default 1e-8)
  double      reserve_r0;  // reserve cost scale: cost (r/r0)^2, r0 [N m] (default 0.01)
  double reserve_flag;     // a posture is flagged if any |reserve| exceeds this [N m] (default 0.1)
  double contact_c0;       // contact cost scale: cost (c/c0)^2, c0 [N] (default 1000)
  int    warm;             // 1: start from the multipliers left by the previous solve
  int    linalg;           // Cholesky: 0 built-in loop (default), 1 LAPACKE on OpenBLAS
} slSoOpt;

slSoOpt sl_so_opt_default(void);

// ---- scenes: one or two bodies, supports and partner contacts, solved together ----------------
#define SL_MAXBODY 2

// A contact pushes on a landmark of `body` along `normal` (world, unit), friction-limited by mu
// (a four-sided pyramid). With other >= 0 it is a partner contact: the other body receives the
// opposite force at its landmark other_land (action equals reaction). Normal forces are >= 0.
typedef struct slContact {
  int    body;        // body the force acts on (0 or 1)
  int    land;        // landmark on that body
  int    other;       // other body for a partner contact, -1 for the environment (bed, floor)
  int    other_land;  // landmark on the other body
  double normal[3];   // direction of the normal force on `body`, world, unit
  double mu;          // static friction coefficient (0: normal force only)
  double mu_kinetic;  // kinetic friction coefficient while the contact slides
  double mu_sd;       // spread of mu for rank --uncertainty (NAN: not given, the default
                      // relative spread slUncertaintyOpt.mu_cv applies)
} slContact;

// A contact slides when its tangential relative speed exceeds SL_SLIDE_SPEED [m/s] and, in a
// cycle, its tangential excursion (largest distance of the contact point from its cycle mean,
// relative to the surface or the partner's landmark) exceeds SL_TISSUE_SHEAR_M: smaller motions
// are taken up by the shear of skin and subcutaneous tissue and the surface sticks (documented
// assumption: soft tissue over bone moves several millimetres under a tangential load before the
// skin slips; no source in the reference pack). Then its friction is kinetic, mu_kinetic x normal
// force against the sliding velocity (one column); otherwise static (friction cone).
#define SL_SLIDE_SPEED    1e-3
#define SL_TISSUE_SHEAR_M 5e-3
// Default kinetic / static friction ratio where a contact gives no mu_kinetic: skin on cotton
// textile, dynamic / static 0.79 / 0.90 (chest) and 0.25 / 0.31 (forearm), Temel et al. 2022
// (reference pack physics-sources.md section 4): mean 0.85.
#define SL_MU_KINETIC_RATIO 0.85

// Keep a posture balanced: if the centre of mass of the body and its point loads (loads count as
// held masses) lies outside the span of the supports along world x (anterior-posterior), pitch
// the whole body about z (the pelvis tilt) until it lies inside, 2 cm from the nearer edge.
// Returns the pitch applied [rad] in *pitch. q is updated in place (pelvis height re-placed on
// the floor if it was automatic). SL_ERR_RANGE if no pitch within +-30 deg balances it.
slStatus sl_posture_balance(const slModel* m, slData* d, double* q, int place_on_floor,
                            const slPointLoad* loads, int nloads, const slContact* supports,
                            int nsupport, double* pitch, slError* err);

typedef struct slSceneInput {
  int with_inertia;  // 0 statics; 1 d'Alembert loads from qd, qdd; 2 from the pose and
                     // velocities the caller put in the data (sl_motion_rates)
  int smooth;        // consecutive postures are samples of a smooth cycle:
                     // warm-start from extrapolating the last two solutions
  const slPointLoad* loads[SL_MAXBODY];  // explicit point loads per body (may be NULL)
  int                nloads[SL_MAXBODY];
  const slContact*   contacts;  // (ncontact)
  int                ncontact;
  const double*      excursion;  // (ncontact) tangential excursion over the cycle [m]; NULL:
                                 // unknown (speed alone decides sliding)
} slSceneInput;

typedef struct slScene slScene;
// A scene for nbody bodies (1 or 2) with up to maxcontact contacts; owns one slData per body.
slStatus sl_scene_make(slScene** s, const slModel* const* models, int nbody, int maxcontact,
                       slError* err);
void     sl_scene_free(slScene* s);  // NULL is fine
slData*  sl_scene_data(slScene* s, int body);
// Make *s what sl_scene_make(models, nbody, maxcontact) would give (for *s NULL it makes one),
// reusing its memory where large enough and growing the rest: a thread's scene serves one
// position after another, and each starts exactly as on a new scene.
slStatus sl_scene_remake(slScene** s, const slModel* const* models, int nbody, int maxcontact,
                         slError* err);
// Forget the warm start (the next solve starts cold).
void sl_scene_reset(slScene* s);
// The stages of a scene step, in the order they run; each reads what the ones before it left in
// the bodies' data (stages 1-3) or in the scene (assembly, solve), and each has a profile timer.
typedef enum slStage {
  SL_STAGE_KIN = 0,   // kinematics of every body (sl_kin_forward)
  SL_STAGE_MUSCLE,    // muscle geometry and moment arms (sl_muscle_geometry)
  SL_STAGE_LOAD,      // external loads, demand, disc frames, passive tissue, IAP line of action
  SL_STAGE_ASSEMBLE,  // equations, their right-hand side, contact columns
  SL_STAGE_SOLVE,     // static optimisation of everything assembled (warm-started)
  SL_STAGE_DISC,      // status, joint torques, reserves, IAP, disc loads, contact forces
  SL_NSTAGE
} slStage;
// Run the pipeline for every body (each data's q, qd, qdd set by the caller): the stages above,
// in order. contact_force (ncontact x 3, world, the force on `body`) may be NULL. Numerical
// outcomes go to each data's `so`; this never fails. Same as sl_scene_step_from(SL_STAGE_KIN).
void sl_scene_step(slScene* s, const slSceneInput* in, const slSoOpt* o, double* contact_force);
// The pipeline from stage `from` to the end; the stages before it are taken as done, for the
// same bodies and inputs:
//   SL_STAGE_MUSCLE    the caller has set the kinematics (e.g. sl_motion_rates; with_inertia 2
//                      does the same from SL_STAGE_KIN);
//   SL_STAGE_ASSEMBLE  only solver options changed (reserve_r0 enters the equations);
//   SL_STAGE_SOLVE     only solver options other than reserve_r0 changed;
//   SL_STAGE_DISC      the outputs of the last solution again.
// A solve warm-starts from the scene's last solution as usual (with o->warm).
// Before the scene's first step the assembly is the latest stage it can start from (a later
// `from` starts there).
void sl_scene_step_from(slScene* s, const slSceneInput* in, const slSoOpt* o, double* contact_force,
                        slStage from);

// ---- results of many postures of one body -------------------------------------------------------
// Stored by posture index; written to HDF5 by the run and rank files (README "HDF5 layout").
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

void sl_results_free(slResults* r);

// ---- scenario files: named postures for one body ------------------------------------------------
typedef struct slScenarioPosture {
  char name[SL_NAME];
  char where[256];  // "file:line:col" of the posture in its file

  char         description[1024];
  slPosture    posture;
  int          nload;
  slPointLoad* loads;  // (nload) explicit point loads
  int          nsupport;
  slContact*   supports;    // (nsupport) contacts with the environment (body 0)
  int          balance;     // pitch the body so its centre of mass is over the supports
  int          frame;       // frame of the posture's motion file (`motion:`), -1 if none
  double       time;        // its time [s] (NaN if none)
  int          nrate;       // motion frames with inertia: coordinates with a velocity (else 0)
  int*         rate_coord;  // (nrate) their coordinates
  double*      rate;        // (nrate) velocity [rad/s or m/s] from the smoothing spline
  double*      accel;       // (nrate) acceleration [rad/s^2 or m/s^2]
  double       smoothing;   // the spline's lambda of its motion (also for the root's motion)
} slScenarioPosture;

typedef struct slScenario {
  char               name[SL_NAME];
  char               file[1024];        // the scenario file, as given
  char               model_path[1024];  // body model, resolved against the scenario's directory
  int                nset;              // model overrides from the file's `set:` section
  slOverride*        set;
  slSoOpt            so;  // solver options (defaults unless `solver:` is given)
  int                npost;
  slScenarioPosture* post;
  char*              text;   // the scenario file verbatim (for provenance)
  slModel*           model;  // the compiled body (owned)
  void*              priv;   // parser state (owned)
} slScenario;

// Load a scenario file and its body model; extra overrides (e.g. from --set) are applied after
// the file's own `set:` (paths starting with "solver." set solver options).
slStatus sl_scenario_load(slScenario** sc, const char* path, const slOverride* ov, int nov,
                          slError* err);
// Parse a scenario buffer against an already compiled model (used by the fuzzer and tests); the
// scenario does not own the model then.
slStatus sl_scenario_parse(slScenario** sc, const char* buf, size_t len, const char* fname,
                           const slModel* m, slError* err);
void     sl_scenario_free(slScenario* sc);  // NULL is fine
// ---- OpenSim motion files (io/sl_mot.c; README "OpenSim models") -----------------------------
// A .mot or .sto file: header up to `endheader` with inDegrees=yes|no (required; the unit of the
// rotational columns), optional nRows/nColumns (checked), a label line `time COORD...` and one
// row per frame, time increasing. Columns the model has no coordinate for are one SL_ERR_KEY
// naming all of them; bad rows are file:line errors.
typedef struct slMot {
  int     nframe, ncol;
  int     in_degrees;
  double* time;   // (nframe) [s]
  int*    coord;  // model coordinate of each column (ncol)
  double* value;  // (nframe x ncol) [rad or m]
  double* rate;   // (nframe x ncol) their time derivatives (sl_mot_rates; NULL before)
  double* accel;  // (nframe x ncol) second derivatives
} slMot;
slStatus sl_mot_parse(const char* buf, size_t len, const char* fname, const slModel* m, slMot** out,
                      slError* err);
slStatus sl_mot_load(const char* path, const slModel* m, slMot** out, slError* err);
void     sl_mot_free(slMot* mt);  // NULL is fine
// Velocities and accelerations of every column from a cubic smoothing spline through the frames:
// g minimises sum (value - g(t))^2 + lambda int g''(t)^2 dt (lambda >= 0 [unit^2 s^3]; 0: the
// natural cubic spline through the values). Fills mt->rate and mt->accel.
slStatus sl_mot_rates(slMot* mt, double lambda, slError* err);
// The same spline for one series y at times t (n, increasing): its first and second derivatives
// at the knots into d1, d2 (n each).
slStatus sl_smooth_rates(const double* t, const double* y, int n, double lambda, double* d1,
                         double* d2, slError* err);
// The disc loads of a scenario's motion postures over time as an OpenSim storage (.sto) text:
// time, then per level compression, anterior and lateral shear [N] and IDP [MPa]; units and
// levels in the header. *text malloc'ed. SL_ERR_ARG if no posture comes from a motion file.
slStatus sl_sto_disc_loads(const slScenario* sc, const slResults* r, char** text, slError* err);
// The same frames' muscle forces: time, then every fascicle's tension [N] (columns by name).
slStatus sl_sto_muscle_forces(const slScenario* sc, const slResults* r, char** text, slError* err);
// Either table for rows `row` (nrow; NULL: rows 0..nrow-1) of r at times `time` (nrow) [s]:
// muscles 0 the disc loads, 1 the fascicle tensions; title and source go into the header.
slStatus sl_sto_table(const char* title, const char* source, const slModel* m, const slResults* r,
                      int nrow, const int* row, const double* time, int muscles, char** text,
                      slError* err);

// ---- run options: one table for every solver.* and motion.* option (sl_options.c) -----------
// A scenario file's `solver:` section, `--set solver.<key>` / `--set motion.<key>` and sweep
// parameters on those paths are all read and checked through this table; README "Run options"
// lists it. Bad values fail with SL_ERR_TYPE / SL_ERR_RANGE / SL_ERR_KEY naming the key and its
// allowed range or names, located at file:line:col (a file) or "--set <key>" (an override).
typedef enum slOptionType {
  SL_OPT_NUMBER = 0,  // a finite number in [lo, hi] (in `unit`)
  SL_OPT_INTEGER,     // an integer in [lo, hi]
  SL_OPT_ENUM,        // one of `names`
  SL_OPT_BOOL,        // true / false (yes / no, on / off)
} slOptionType;
typedef enum slOptionGroup {
  SL_OPT_SOLVER = 0,  // lands in slSoOpt
  SL_OPT_MOTION,      // lands in the thrust cycle every position shares (motion.*)
} slOptionGroup;
typedef struct slOptionInfo {
  const char*        key;  // full path, e.g. "solver.criterion"
  slOptionGroup      group;
  slOptionType       type;
  double             lo, hi;  // allowed range (number, integer) in `unit`
  const char*        unit;    // as given (e.g. "deg", "Hz"); "" for none
  const char* const* names;   // enum: the allowed names (NULL-terminated), value = index
  double             def;     // default in `unit` (enum: index of the name; bool: 0 or 1)
  const char*        doc;     // one line
  size_t             offset;  // offsetof the field it lands in (slSoOpt or the motion options)
  double             scale;   // stored = given * scale (deg -> rad: SL_DEG), 1 otherwise
  int                land;    // 0: stored as is; 1: exponent -> criterion; 2: strategy (see doc)
} slOptionInfo;
int                 sl_option_count(void);
const slOptionInfo* sl_option_info(int i);            // NULL outside [0, sl_option_count())
const slOptionInfo* sl_option_find(const char* key);  // by full key; NULL if unknown

// Split overrides: "solver.<key>" ones are applied to *so (same keys and checks as a file's
// `solver:` section); the others are copied to rest (room for nov) for the model.
slStatus sl_overrides_apply(const slOverride* ov, int nov, slOverride* rest, int* nrest,
                            slSoOpt* so, slError* err);

// ---- batches: postures over threads, deterministic ----------------------------------------------
// Postures are grouped in fixed blocks; each block starts with a cold solver and warm-starts
// within itself, so the results are bit-identical for any number of threads. fn is called for
// every posture index i (in order within a block) with the thread's scene; it sets the inputs,
// calls sl_scene_step and stores the outputs by index. It returns nonzero to stop the batch
// early (e.g. on an interrupt); sl_batch_run then returns SL_ERR_INTERRUPTED.
typedef int (*slBatchFn)(void* ctx, slScene* scene, long i);
slStatus sl_batch_run(const slModel* const* models, int nbody, int maxcontact, long n, int block,
                      int nthreads, slBatchFn fn, void* ctx, slError* err);
// threads used when nthreads <= 0 (OpenMP's default, or 1 without OpenMP)
int sl_batch_default_threads(void);

// stage timing (for `spineload bench`): accumulated seconds per stage (slStage) while profiling
// is on
void          sl_scene_profile(slScene* s, int on);  // also zeroes the timers
const double* sl_scene_times(const slScene* s);      // (SL_NSTAGE) seconds
// Floating-point operations of the last sl_scene_step (inputs in, options o) per stage (slStage),
// counted analytically from each stage's loop structure with that step's sizes (iterations,
// active set, contacts): +, -, *, /, sqrt and elementary functions count one, comparisons none.
// The recruitment's count is an estimate, neither bound: line-search passes beyond the first of
// each iteration are not counted, every iteration is counted with the final active set, and the
// Newton matrix is counted as rebuilt at every iteration (for p = 2 the solver updates only the
// columns whose slope changed).
void sl_scene_flops(const slScene* s, const slSceneInput* in, const slSoOpt* o,
                    double fl[SL_NSTAGE]);

// the stages run by sl_scene_step, for callers that need them alone
void sl_passive(const slModel* m, slData* d);

// Parts of disc compression (slData.comp_parts): gravity and inertia of the body above the level,
// explicit point loads (held masses), posterior ligament tension, intra-abdominal pressure,
// contact forces on the body above the level, then one part per muscle group.
enum {
  SL_PART_BODY = 0,
  SL_PART_LOADS,
  SL_PART_LIGAMENT,
  SL_PART_IAP,
  SL_PART_CONTACTS,
  SL_PART_MUSCLE0  // first muscle group
};
int         sl_part_count(const slModel* m);  // SL_PART_MUSCLE0 + ngroup
const char* sl_part_name(const slModel* m, int k);

// Disc loads of body b once its forces are known (muscle forces, IAP, ligaments in d): the nvar
// contact variables act along edge (nvar x 3, unit) with magnitudes c; var_contact names each
// one's contact (of contacts). Fills disc_comp, shear, resultant, idp and comp_parts.
void sl_disc_loads(const slModel* m, slData* d, int b, const slContact* contacts, int nvar,
                   const int* var_contact, const double* edge, const double* c);

// Contact state of the last sl_scene_step: for contact j, 1 if it slid (kinetic friction along
// the sliding velocity), 0 if static (friction cone); and the tangential sliding speed [m/s].
// Both NULL-safe; arrays of the scene's maxcontact.
const int*    sl_scene_sliding(const slScene* s);
const double* sl_scene_slip_speed(const slScene* s);
// where each contact's force acts in the last step: (maxcontact x 6) world points on the body and
// on the other body; a partner contact acts at one point, midway between its two landmarks
const double* sl_scene_contact_points(const slScene* s);

// ==== the jobs: what the command line runs, callable from C ====================================

// ---- run: every posture of a scenario (run/sl_run.c) --------------------------------------------
// All postures of a scenario on nthreads threads (0: default); flags: SL_RES_*.
slStatus sl_run_scenario(const slScenario* sc, int nthreads, int flags, slResults** out,
                         slError* err);
// The run file: /meta (with the scenario and every model file), /model, /postures, /results
// (see the README's HDF5 layout). Written to a temporary name, renamed when complete.
slStatus sl_run_write_h5(const slScenario* sc, const slResults* r, const char* path, int argc,
                         char** argv, slError* err);

// ---- rank: the position library over its thrust cycles, both partners (run/sl_rank*.c) ---------
// The position files of inputs (files, or directories whose *.yaml files are taken in name
// order; no inputs: the built-in library, scenarios/positions under the working directory or else
// under the source tree). An input that is no file or directory but a plain name (no '/' or '.')
// is the library's position of that name ("spooning": scenarios/positions/spooning.yaml). *files
// is malloc'ed (free each, then the array). Errors: SL_ERR_ARG naming the input, with the
// library's position names.
slStatus sl_position_files(const char* const* inputs, int ninputs, char*** files, int* n,
                           slError* err);

// Load, run and rank: "solver.*" overrides set the recruitment, "motion.*" the cycle, the others
// go to the positions (roles, contacts, bodies). Results do not depend on the thread count.
typedef struct slRank slRank;  // positions, their cycle runs, the ranking (opaque)
slStatus sl_rank_run(const char* const* files, int nfiles, const slOverride* ov, int nov,
                     int threads, slRank** out, slError* err);
// What the positions' geometry asks that the model cannot check by itself, one line each,
// "<position file>: role 'R', support 'L': ..." (a support with nothing under it, a partner contact
// whose landmarks are far apart; tolerances in the README "Position files"); "" if nothing.
const char* sl_rank_checks(const slRank* rk);
void        sl_rank_free(slRank* rk);  // NULL is fine

typedef enum slRankText {
  SL_RANK_TEXT_SUMMARY = 0,  // what `spineload rank` prints: settings, table, phenotypes, claims
  SL_RANK_TEXT_MD,           // the markdown file: table and claims
  SL_RANK_TEXT_CSV,          // the csv file: one row per position and role
} slRankText;
// The text as a malloc'ed NUL-terminated string (free it), or written to path through a
// temporary name.
slStatus sl_rank_text(const slRank* rk, slRankText kind, char** text, slError* err);
slStatus sl_rank_write_text(const slRank* rk, slRankText kind, const char* path, slError* err);
// For every role a motion file drives (`motion: {file: F}`), its disc loads and fascicle tensions
// over the frames as OpenSim storage tables (sl_sto_table): BASE_<position>_<role>.sto and
// BASE_<position>_<role>_muscle_forces.sto, each through a temporary name; the names written go
// to names (n bytes, comma separated; "" when no role is file-driven).
slStatus sl_rank_write_sto(const slRank* rk, const char* base, char* names, size_t n, slError* err);
// The rank file: /meta, /positions/<position>/{time, <role>/{results..., lumbar_angles, model}},
// /ranking (README "HDF5 layout"). Written to a temporary name, renamed when complete.
slStatus sl_rank_write_h5(const slRank* rk, const char* path, int argc, char** argv, slError* err);

// ---- rank --uncertainty: how much of the ranking survives its inputs' spread (sl_uncertainty.c)
// -- Variants of the whole library drawn by a Latin hypercube (seeded, reproducible): the couple's
// statures and masses (men 176.5 +- 8.6 cm, 84.9 +- 14.5 kg; women 164.9 +- 3.0 cm, 64.2 +- 7.2
// kg: Sidorkewicz & McGill 2014) and sacral slopes (39.5 +- 7.75 deg, Mac-Thiong et al. 2011),
// one couple for every position of a variant; the thrust's frequency, amplitudes and strategy;
// every posture angle written in a position file, normal with its `sd_deg` (or the default),
// truncated to the model's ranges of motion. README "Uncertainty" documents every spread.
typedef struct slUncertaintyOpt {
  long     variants;            // N >= 1
  uint64_t seed;                // of the Latin hypercube
  int      threads;             // 0: sl_batch_default_threads(); results do not depend on it
  double   angle_sd_deg;        // joint angles without sd_deg [deg] (5)
  double   angle_sd_scale;      // multiplies every angle's sd (1; 0: postures as written)
  double   height_sd_m[2];      // [men, women] stature sd about each body's own (0.086, 0.030)
  double   mass_sd_kg[2];       // [men, women] body mass sd (14.5, 7.2)
  double   sacral_sd_deg;       // sacral slope sd about the model's (7.75)
  double   frequency_half_hz;   // uniform +- this about the cycle's frequency (0.5)
  double   amplitude_half_deg;  // uniform +- this about the driver's amplitude (2)
  double   follower_half_deg;   // uniform +- this about the follower's amplitude (1)
  int      vary_strategy;       // 1: auto, mixed and spine-driven equally often (if the cycle's
                                // strategy is auto); 0: the cycle's
  double mu_cv;                 // friction coefficients of supports and partner contacts without
                                // mu_sd: sd = mu_cv x mu (0.15 / 0.46, the spread of skin against
                                // five materials, Zhang & Mak 1999; 0: as written)
} slUncertaintyOpt;
slUncertaintyOpt sl_uncertainty_opt_default(void);

// Run the variants of the ranked library rk (made by sl_rank_run with the same files and
// overrides ov) and attach the result to rk: sl_rank_text (summary and markdown) and
// sl_rank_write_h5 (group /uncertainty) then include it. A variant whose posture cannot be built
// or whose cycle does not converge is counted and left out; the run goes on. Results are
// bit-identical for any thread count.
slStatus sl_rank_uncertainty(slRank* rk, const slOverride* ov, int nov, const slUncertaintyOpt* o,
                             slError* err);

// One row (position and role) of the uncertainty summary.
typedef struct slUncertaintyRow {
  const char* position;
  const char* title;  // the position's title (for figures and tables)
  const char* role;
  int         moving;                     // 1 the moving (driving) partner, 0 the still one
  double      li_plain;                   // the plain ranking's load index
  double      li_median, li_p05, li_p95;  // over the variants with a result
  double      rank_plain;                 // rank among the partners of its kind (moving or still)
  double      rank_median, rank_p05, rank_p95;  // over the complete variants
  double      p_gentle, p_loading;  // share of complete variants in the gentlest / most loading
                                    // third of its kind
  long        results, flagged;     // variants with a result, of which flagged
  int         ndriver;              // inputs that drive the load index most (up to 3, by |rho|)
  const char* driver[3];            // their names (a position's own angles without its name)
  double      driver_rho[3];        // Spearman rho of each with the load index
} slUncertaintyRow;

// One position of the uncertainty summary, ranked by its worse partner.
typedef struct slUncertaintyPos {
  const char* position;
  const char* title;                                        // the position's title
  double      rank_plain, rank_median, rank_p05, rank_p95;  // over the complete variants
  double      p_gentle, p_loading;  // share in the gentlest / most loading third
  double      claim_holds;  // share of variants in which the plain verdict holds (NaN: no claim)
} slUncertaintyPos;
// rows of rk's uncertainty (0 if none), and row i (NULL past the end)
int                     sl_rank_uncertainty_rows(const slRank* rk);
const slUncertaintyRow* sl_rank_uncertainty_row(const slRank* rk, int i);
// positions of rk's uncertainty (0 if none), and position i in the ranking's order
int                     sl_rank_uncertainty_positions(const slRank* rk);
const slUncertaintyPos* sl_rank_uncertainty_pos(const slRank* rk, int i);

// ---- bench: the pipeline's speed (run/sl_bench.c) -----------------------------------------------
typedef struct slBenchRow {
  int    kind;      // 0 thrust-cycle postures, 1 random postures, 2 a position's thrust cycle
  long   postures;  // body-postures solved per repetition
  int    threads;
  double seconds;     // best of three repetitions [s]
  double ref_gflops;  // the reference kernel next to it: a single-thread dgemm on each of its
                      // threads at once (rates summed), just before and just after the
                      // repetitions, the faster [GFLOP/s]
} slBenchRow;
typedef struct slBench {
  char        model[SL_NAME];
  int         fascicles;
  long        postures;  // per batch
  slCriterion criterion;
  int         lapacke;  // 1 LAPACKE Cholesky, 0 built-in
  int         nrow;
  slBenchRow  row[6];
  char        position[SL_NAME];  // the position timed (kind 2)
  int         position_samples, position_roles;
  double      position_frequency;           // [Hz]
  double      stage_seconds[2][SL_NSTAGE];  // single-thread profile of kinds 0 and 1 [s]
  double      iterations[2];                // Newton iterations per posture
  long        flagged[2];                   // postures flagged
  double      flops[2][SL_NSTAGE];  // operations per posture of the profile (sl_scene_flops)
  double      peak_gflops;    // single-core OpenBLAS dgemm rate measured in the same run [GFLOP/s]
  int         peak_n;         // its matrix size
  char        blas_core[32];  // the kernels OpenBLAS chose for this processor (sl_la_core)
  char        machine[SL_NAME];  // this machine's id (sl_bench_machine)
  char        revision[64];      // the build's git revision
} slBench;
// the size of the reference dgemm (large enough to reach the single-core peak)
#define SL_BENCH_DGEMM_N 1000
// names of the bench's kinds (slBenchRow.kind)
extern const char* const SL_BENCH_CASES[3];
// An id for this machine: its processor's model name, lower case with '-' between words, and the
// number of processors, e.g. "intel-xeon-processor-2c" (from /proc/cpuinfo; "unknown-0c" without).
void sl_bench_machine(char* out, int n);
// Compare b with the figures committed for its machine: path, or (NULL) the source tree's
// tests/bench/<b->machine>.csv (the path used goes to used, nused bytes, if not NULL). That file
// is the CSV `spineload bench --format csv` prints; its rows with stage "all" are the timed rows,
// with columns case, threads, postures_per_s and peak_gflops (that row's ref_gflops). For each
// row i of b, ratio[i] is its postures/s per GFLOP/s of its reference kernel over the same figure
// of the file's last row of the same case and
// threads and BLAS kernels (column blas_core, if there is one; 0 if the file has none): normalised
// by the reference kernel measured in each run, so a machine running slower as a whole leaves it
// at 1. A missing file is SL_ERR_IO.
slStatus sl_bench_compare(const slBench* b, const char* path, double ratio[6], char* used,
                          int nused, slError* err);
// Time n postures per batch on body (NULL: models/adult_male.yaml); "solver.*" overrides set the
// recruitment, the others go to the body. Timing only: nothing here is a result.
slStatus sl_bench(const char* body, const slOverride* ov, int nov, long n, slBench* b,
                  slError* err);
// The same, calling progress (may be NULL) before each of its SL_BENCH_STEPS timed steps: step
// (0-based), what is timed ("thrust_cycle", "random", "position_cycle", "profile thrust_cycle",
// "profile random", "dgemm peak") and on how many threads.
#define SL_BENCH_STEPS 9
typedef void (*slBenchProgressFn)(void* ctx, int step, int nsteps, const char* what, int threads);
slStatus sl_bench_progress(const char* body, const slOverride* ov, int nov, long n,
                           slBenchProgressFn progress, void* ctx, slBench* b, slError* err);

// ---- validate: simulated vs measured L4/L5 intradiscal pressure (run/sl_validate.c) ----------
// A validation: a scenario's postures run and compared, row by row, with a table of measured
// L4/L5 intradiscal pressures. Opaque; made by sl_validate, read through the calls below.
typedef struct slValidation slValidation;

// the whole comparison
typedef struct slValidationSummary {
  int         n;          // rows (measured postures), in the table's order
  int         flagged;    // rows whose posture did not converge without reserves (status != 0)
  double      pearson;    // Pearson r of measured vs simulated pressure over the rows
  double      spearman;   // Spearman rho (average ranks for ties)
  double      rmse;       // root-mean-square of simulated - measured [MPa]
  const char* model;      // name of the body model
  double      body_mass;  // its subject's body mass [kg]
  double      height;     // its subject's stature [m]
  const char* criterion;  // recruitment criterion (sl_criterion_name)
} slValidationSummary;

// one row of the measured table
typedef struct slValidationRow {
  const char* name;         // posture name
  const char* description;  // the posture's description in the scenario ("" if none)
  double      measured;     // measured L4/L5 intradiscal pressure [MPa]
  double      simulated;    // simulated L4/L5 intradiscal pressure [MPa]
  double      difference;   // simulated - measured [MPa]
  double      compression;  // simulated L4/L5 compression [N]
  int         status;       // slSoStatus of the posture
  const char* status_str;   // sl_so_status_str(status)
} slValidationRow;

// a point load held in the posture; offsets are world x (+ anterior) and y (+ superior) [m]
typedef struct slExplainLoad {
  double      kg;               // held mass: downward force / g [kg] (0 if gravity is not down)
  const char* segment;          // segment it acts on
  double      from_l4l5[2];     // its point minus the L4/L5 joint centre
  int         has_sternum;      // 1 if the model has the landmark "chest" (the sternum)
  double      from_sternum[2];  // its point minus that landmark (0 without it)
} slExplainLoad;

// a part of the L4/L5 compression (see sl_part_name)
typedef struct slExplainPart {
  const char* name;
  double      value;  // [N], + compressing
} slExplainPart;

// a joint torque actuator outside the lumbar spine
typedef struct slExplainJoint {
  const char* name;    // its coordinate
  double      torque;  // [N m]
  double      share;   // torque needed / strength in its direction [1]
} slExplainJoint;

// The flexion/extension balance of one lumbar level [N m], + extension: what the external loads
// need (demand) = passive + iap + reserve + extending + flexing + contacts. Muscle moments are
// the fascicles' forces times their moment arms about the level's flexion axis, recomputed from
// the posture; contacts is what is left (contact forces on the segments above; 0 to solver
// tolerance without contacts). An antagonist is a muscle group whose moment at the level has the
// sign opposite to the demand's: it is recruited for another level or another axis, and every
// newton of it is compression the demand alone would not need.
typedef struct slExplainLevel {
  const char* name;               // "L5/S1" ... "T12/L1"
  double      demand;             // needed by the external loads
  double      passive;            // carried by passive tissue
  double      iap;                // by intra-abdominal pressure
  double      reserve;            // by the reserve actuator
  double      extending;          // sum of the muscle moments that extend (>= 0)
  double      flexing;            // sum of those that flex (<= 0)
  double      contacts;           // the rest: contact forces
  const char* antagonist;         // the group with the largest antagonist moment, NULL if none
  double      antagonist_moment;  // its moment (sign opposite to demand; 0 if none)
} slExplainLevel;

// fascicles of one muscle group at their maximum force
typedef struct slExplainSaturated {
  const char* group;
  int         n;  // fascicles at >= 99.9 % of maximum force
} slExplainSaturated;

// A posture's geometry and where every newton of its L4/L5 compression comes from. Angles in
// DEGREES (as printed).
typedef struct slExplain {
  // geometry
  double flexion_deg;        // total lumbar flexion (- sum of the levels' flexion coordinates)
  double flexion_range_deg;  // the whole lumbar range of flexion it is compared with
  double flexion_pct;        // 100 x flexion_deg / flexion_range_deg [%]
  double pelvis_tilt_deg;    // + backward; 0 if the model has no pelvis_tilt coordinate
  double thorax_lean_deg;    // lean of the thorax long axis from vertical, + forward
  // held loads
  int                  nload;
  const slExplainLoad* load;  // (nload)
  // balance (if has_support)
  int    has_support;    // the posture has supports
  double com_from_l4l5;  // whole-body centre of mass x minus the L4/L5 centre x [m]
  double support_lo;     // smallest world x of the supports' landmarks [m]
  double support_hi;     // largest [m]
  double com_x;          // whole-body centre of mass, world x [m]
  // flexion/extension moment at L4/L5 [N m]
  double moment;      // needed by the external loads, + extension
  double passive;     // carried by passive tissue
  double iap_moment;  // by intra-abdominal pressure
  double iap_kpa;     // that pressure [kPa]
  double reserve;     // by the reserve actuator
  double remaining;   // moment - passive - iap_moment - reserve: muscles and contacts
  // compression
  double               compression;  // L4/L5 compression [N]
  int                  npart;        // every part (they add up to compression)
  int                  nmajor;       // the first nmajor have |value| >= 0.5 N
  const slExplainPart* part;         // (npart), largest |value| first (ties in part order)
  // the (up to) three joints nearest their strength, nearest first (ties in joint order); 0 if
  // the model has no joint actuators
  int            njoint;
  slExplainJoint joint[3];
  // every lumbar level's flexion/extension balance, L5/S1 first
  slExplainLevel level[SL_NLEVEL];
  // fascicles at maximum force: their number, and per group (most first, ties in group order)
  int                       nsaturated;
  int                       nsat_group;
  const slExplainSaturated* sat_group;  // (nsat_group)
} slExplain;

// Run the scenario (with overrides ov, nov, as sl_scenario_load; nthreads 0: default) and compare
// it with the measured table measured_csv (columns posture, measured_idp_MPa in [0, 100] MPa).
// *out is owned by the caller (sl_validation_free); NULL on error. Errors: those of
// sl_scenario_load, of reading the table (file:line:col), a missing column (SL_ERR_KEY at the
// header), those of running the postures, then per row in order: a posture not in the scenario
// (SL_ERR_KEY at the cell) or a pressure that is not a number in range (SL_ERR_TYPE /
// SL_ERR_RANGE at the cell).
slStatus sl_validate(const char* scenario, const char* measured_csv, const slOverride* ov, int nov,
                     int nthreads, slValidation** out, slError* err);
void     sl_validation_free(slValidation* v);  // NULL is fine

// The summary, and row i (0 <= i < n; NULL otherwise) with its explanation. The pointers and
// every string in them belong to v and live until sl_validation_free.
const slValidationSummary* sl_validation_summary(const slValidation* v);
const slValidationRow*     sl_validation_row(const slValidation* v, int i);
const slExplain*           sl_validation_explain(const slValidation* v, int i);

// ---- model check and model info (model/sl_model_info.c) ----------------------------------------
// A list of problems found while compiling a model; `model check` reports them all. The caller
// owns item (room for cap entries) and sets n = nwarn = 0.
struct slDiag {
  slError* item;   // (cap) the first cap problems, in the order found
  int      n;      // problems recorded (may exceed cap; only cap are kept)
  int      cap;    // room in item
  int      nwarn;  // of the n, warnings (code SL_OK); the others are errors
};

// Load and compile a model file with overrides, collecting every problem into dg (instead of
// stopping at the first). Returns the first error's code, or SL_OK (warnings alone are SL_OK).
slStatus sl_model_check(const char* path, const slOverride* ov, int nov, slDiag* dg);

// ---- OpenSim models (io/sl_osim.c; README "OpenSim models") ------------------------------------
// An OpenSim model file (.osim, format 4.0 or the older layout with the joint inside its body)
// converted to spineload's own files: a model (YAML) naming a muscle table and a path-point table
// (the formats of models/lumbar_spine.yaml), and a note of origin (markdown) listing what was
// converted and what was omitted. Bodies (mass, centre of mass, inertia), CustomJoint /
// PinJoint / UniversalJoint / BallJoint / WeldJoint with their offset frames and transform axes
// (Constant, LinearFunction, SimmSpline, NaturalCubicSpline, MultiplierFunction), coordinates
// (range, default), coupler constraints (the lumbar chain's couplers become the rhythm; a body
// moved only by couplers to the lowest level becomes the abdominal wall; other linear couplers are
// substituted into the axes), muscles (path points, maximum isometric force, optimal fibre and
// tendon slack length, pennation) and markers (as landmarks). Anything else is an error at the
// element's file:line, unless its kind is in omit:
enum {
  SL_OSIM_OMIT_WRAPPING = 1,      // wrap objects and path wraps: paths stay straight (listed)
  SL_OSIM_OMIT_CONTACT = 2,       // contact geometry and contact forces
  SL_OSIM_OMIT_LOCKS = 4,         // locked coordinates are imported free, with their range
  SL_OSIM_OMIT_LIMB_MUSCLES = 8,  // muscles with no point on the lumbar chain or above it
};
typedef struct slOsimFiles {
  char* model_yaml;   // model.yaml
  char* muscles_csv;  // muscles.csv (NULL: the model has no muscles)
  char* points_csv;   // muscle_points.csv (NULL likewise)
  char* origin_md;    // ORIGIN.md
  int   nsegment, ncoord, nmuscle, nlevel, nomitted;
} slOsimFiles;
// "wrapping,contact,locks,limb_muscles" (any subset, comma-separated; "" none) to omit bits
slStatus sl_osim_omit_parse(const char* list, unsigned* omit, slError* err);
// Convert the text of an .osim file (named fname in messages) in memory. *out is zeroed on error.
slStatus sl_osim_convert(const char* buf, size_t len, const char* fname, unsigned omit,
                         slOsimFiles* out, slError* err);
// Convert the file osim and write dir/model.yaml, dir/ORIGIN.md and (with muscles)
// dir/muscles.csv, dir/muscle_points.csv. dir must be new or empty (an error, SL_ERR_ARG, if it
// holds anything); the files are written to a temporary sibling directory renamed to dir at the
// end, so a failure leaves nothing behind. info (may be NULL) receives the texts and counts.
slStatus sl_osim_import(const char* osim, const char* dir, unsigned omit, slOsimFiles* info,
                        slError* err);
void     sl_osim_files_free(slOsimFiles* f);  // the texts; NULL is fine

// Fmax-weighted mean sagittal moment arms of the muscle groups at the model's default pose, in
// CENTIMETRES, + extensor: for each group, sum(fmax_i r_i) / sum(fmax_i) over its fascicles that
// cross the level (r = -dL/dq about the level's flexion axis, the generalized force per newton
// of tension; the flexion coordinate is negative in flexion, so r > 0 extends).
// arms_cm is (ngroup + 1) x 2: row 0 the extensors (every group whose name starts with
// "iliocostalis" or "longissimus", and "multifidus"), row g + 1 group g; column 0 L4/L5,
// column 1 L5/S1. NaN where no fascicle of the group crosses the level.
// SL_ERR_NOMEM if the workspace cannot be made (arms_cm untouched).
slStatus sl_model_group_arms(const slModel* m, double* arms_cm, slError* err);
// The same mean at every level: arms_cm is ngroup x SL_NLEVEL (L5/S1 first), NaN where no
// fascicle of the group crosses the level (`model info` prints it with wrapping on and off).
slStatus sl_model_level_arms(const slModel* m, double* arms_cm, slError* err);

// One row of the model's reference moment-arm table (slModel.check_moment_arms, a CSV with the
// columns group, level, value_cm and optionally definition, source). Strings are as in the file.
typedef struct slArmRef {
  const char* group;       // group name as in the table ("extensors" or a model group)
  int         row;         // the row of sl_model_group_arms it belongs to (0 extensors, g + 1
                           // group g), -1 if it names no group of this model
  const char* level;       // e.g. "L4/L5"
  const char* value_cm;    // reference value [cm], as written
  const char* definition;  // how it was measured ("" if the table has no such column)
  const char* source;      // where it is from ("" if the table has no such column)
} slArmRef;

// Read the model's reference moment-arm table. *refs (one allocation, strings inside; free with
// sl_model_arm_refs_free) gets *n rows in file order. A model without a table gives SL_OK, *refs
// NULL and *n 0. A table that cannot be read is SL_ERR_IO / SL_ERR_PARSE at the file position; a
// missing column group, level or value_cm is SL_ERR_KEY at its header line. On error *refs is
// NULL and *n 0.
slStatus sl_model_arm_refs(const slModel* m, slArmRef** refs, int* n, slError* err);
void     sl_model_arm_refs_free(slArmRef* refs);  // NULL is fine

// ---- draw: the figure of a position (run/sl_figure.c) -------------------------------------------
// Everything is in world coordinates [m] (x anterior, y up, z right); the caller projects.
#define SL_FIGURE_MAXROLE 2  // partners in a position
#define SL_FIGURE_MAXPOSE 3  // rest and the two extremes of the thrust cycle

typedef enum slFigureContactKind {
  SL_FIGURE_SUPPORT = 1,  // the bed or the floor
  SL_FIGURE_PARTNER = 2,  // the other partner
} slFigureContactKind;

// one contact of a role, at rest (sample 0)
typedef struct slFigureContact {
  int    kind;      // slFigureContactKind
  double point[3];  // where the force acts [m]
  double force[3];  // the force on this role [N]
} slFigureContact;

// the body at one sample of the cycle
typedef struct slFigurePose {
  int     sample;  // sample index in the cycle (0 = rest)
  double* origin;  // segment origins (nseg of the role x 3) [m], segment order (root first)
  int     nbone;
  double* bone;  // stick lines (nbone x 6): from x, y, z, to x, y, z [m]. First every
                 // segment's parent origin to its origin (segment order), then each hand, toe and
                 // heel landmark from its segment's origin (those the model has)
  int    has_head;            // 1 if the model has a head segment
  double head[3];             // centre of the head circle [m] (radius: slFigure.head_r)
  double disc[SL_NLEVEL][3];  // lumbar joint (disc) centres, L5/S1 first [m]
} slFigurePose;

typedef struct slFigureRole {
  char         name[SL_NAME];
  slSex        sex;
  double       body_mass;                // [kg]
  double       height;                   // [m]
  int          nseg;                     // segments (rows of slFigurePose.origin)
  slFigurePose pose[SL_FIGURE_MAXPOSE];  // (slFigure.npose)
  double       lo[3], hi[3];  // extent of the body over the whole cycle: segment origins,
                              // landmarks and the head circle [m]
  double lateral[3];   // the pelvis frame's right (z) axis in world at rest: the normal of the
                       // body's own sagittal plane (a figure's sagittal view looks along it)
  double superior[3];  // the pelvis frame's superior (y) axis in world at rest
  double disc_peak[SL_NLEVEL];  // peak compression per level over the cycle, 0 if never
                                // pressing (the colour of the discs) [N]
  int              ncontact;
  slFigureContact* contact;  // (ncontact) the contacts involving the role, in the position's
                             // order (a partner contact appears in both roles)
  // the role's metrics over the cycle (as `spineload rank` computes them)
  double peak_comp[SL_NLEVEL];  // peak compression per level, L5/S1 first [N]
  double load_index;            // max over samples and levels of C/3400 N and |shear|/700 N [1]
  double flex_rom, ext_rom;     // peak total lumbar flexion, extension [% of ROM]
  int    flagged;               // samples that need reserves or exceed a joint's strength
} slFigureRole;

typedef struct slFigure {
  char   title[128];
  char   description[1024];
  double frequency;  // thrust frequency [Hz]; 0: static
  int    samples;    // samples of the cycle (1 if static)
  int    npartner;   // partner contacts of the position
  int    npose;      // 1 if static; else 3: rest, a quarter and three quarters of the cycle
  double head_r;     // head circle radius [m]
  double floor_y;    // height of the bed or floor: the lowest support at rest, or without
                     // supports the lowest landmark of the first role at rest [m]
  int          nsupport;
  double*      support;  // (nsupport x 3) support contact points at rest, every role's in order
  int          nrole;
  slFigureRole role[SL_FIGURE_MAXROLE];
} slFigure;

// Load a position file with overrides (as `spineload draw --set`: "solver.*" for the
// recruitment, "motion.*" for the cycle, the rest as sl_position_load takes them), run its cycle
// and describe it. Errors are those of loading and running the position (the file or key named).
// *fig is NULL on error; free it with sl_figure_free.
slStatus sl_figure_make(slFigure** fig, const char* position_path, const slOverride* ov, int nov,
                        slError* err);
void     sl_figure_free(slFigure* fig);  // NULL is fine
// The same for position p (0 .. sl_rank_npositions - 1, in the rank's name order) of a ranking,
// from the cycle the ranking already ran (nothing is run again).
int      sl_rank_npositions(const slRank* rk);
slStatus sl_rank_figure(const slRank* rk, int p, slFigure** fig, slError* err);

// ---- reading rank and sweep files (run/sl_rankfile.c) -------------------------------------------
typedef enum slResultsKind {
  SL_RESULTS_OTHER = 0,  // neither
  SL_RESULTS_RANK,       // a rank file (/ranking)
  SL_RESULTS_SWEEP,      // a sweep file (/sweep; a file with both counts as a sweep)
} slResultsKind;
// What an HDF5 results file holds. Errors: the file cannot be opened as HDF5 (SL_ERR_IO, the
// file named).
slStatus sl_results_kind(const char* path, slResultsKind* kind, slError* err);

// one row of a rank file's /ranking table: a role of a position
typedef struct slRankFileRow {
  const char* position;                        // position name (owned by the table)
  const char* role;                            // role name (owned by the table)
  const char* note;                            // benefit / caution phrase (owned by the table)
  int         rank;                            // 1 = gentlest, by load index
  int         flagged;                         // flagged samples
  double      load_index;                      // [1]
  double      peak_comp_l4l5, peak_comp_l5s1;  // peak compression [N]
  double      peak_shear;                      // [N]
  double      peak_idp_l4l5;                   // peak intradiscal pressure [MPa]
  double      flex_rom, ext_rom;               // peak total lumbar flexion, extension [% of ROM]
  double      mean_comp_l4l5;                  // [N]
  double      max_reserve;                     // [N m]
  double      profile[SL_NLEVEL];  // peak compression per level over the cycle, L5/S1 first,
                                   // from /positions/<position>/<role>/disc/compression; 0 if
                                   // never pressing [N]
  const char* title;               // the position's title (attribute of /positions/<position>;
                                   // its name if the file has none; owned by the table)
} slRankFileRow;

typedef struct slRankFile slRankFile;  // opaque: the rows of a rank file
// Read the /ranking table of a rank file and each row's per-level peak compression (only
// /ranking and each role's disc/compression are read). Errors: the file cannot be opened
// (SL_ERR_IO, the file named); SL_ERR_HDF5 with the dataset named: a missing column or role
// group, a column of the wrong length, a compression dataset not (samples x 6). *out is NULL on
// error; free it with sl_rankfile_free.
slStatus             sl_rankfile_read(const char* path, slRankFile** out, slError* err);
size_t               sl_rankfile_rows(const slRankFile* t);
const slRankFileRow* sl_rankfile_row(const slRankFile* t, size_t i);  // NULL past the end
void                 sl_rankfile_free(slRankFile* t);                 // NULL is fine

// 1 if both paths exist and are the same file (also through links), else 0 (base/sl_io.c)
int sl_same_file(const char* a, const char* b);

// ---- crash-safe output files (io/sl_io_atomic.c)
// -------------------------------------------------------------------- A file is written under a
// temporary sibling name ("<path>.tmp.<pid>", into tmp of n bytes) and moved over path only when
// complete, so a failed write never leaves a partial file at path and never replaces an existing
// one. Open the temporary for writing; NULL (SL_ERR_IO, path named) if it cannot be created.
FILE* sl_atomic_open(const char* path, char* tmp, int n, slError* err);
// Flush, sync and close f, then rename tmp over path. On any failure (a write error on f
// included) tmp is removed and SL_ERR_IO names path. f is closed whatever happens.
slStatus sl_atomic_commit(FILE* f, const char* tmp, const char* path, slError* err);
// Close f (NULL is fine) and remove tmp: the output is given up, path is untouched.
void sl_atomic_abort(FILE* f, const char* tmp);

// ---- sweep: parameter sweeps over positions (run/sl_sweep*.c) ----------------------------------
// A sweep file (format spineload-sweep/1) lists parameter values (a grid, seeded random draws or a
// Latin hypercube) crossed with positions; each (combination, position) is a unit, evaluated over
// its thrust cycle for both partners, and gives two rows (one per role) in /sweep of the output.
// Units are processed in fixed blocks, so the file is the same for any thread or process count.

// A loaded and checked sweep (opaque).
typedef struct slSweep slSweep;

// Load a sweep file, apply the extra overrides ov (after the file's own `set:`; they enter the
// sweep's fingerprint) and check it: every position loads, every parameter at both ends of its
// range applies cleanly, position names are distinct. Errors name the file:line:col or the
// parameter. *sw is NULL on error; free with sl_sweep_free. ov is copied by reference: its
// strings must outlive *sw.
slStatus sl_sweep_open(slSweep** sw, const char* path, const slOverride* ov, int nov, slError* err);
void     sl_sweep_free(slSweep* sw);  // NULL is fine

// What sl_sweep_run reports while it runs (to opt->progress, on MPI rank 0 only).
typedef enum slSweepStage {
  SL_SWEEP_STARTED = 0,  // the output is set up (journal read when resuming); no wave run yet
  SL_SWEEP_WAVE,         // after each wave: its blocks written to the file and the journal
  SL_SWEEP_FINISHED      // the last wave is done (or the run was stopped); attributes come next
} slSweepStage;

typedef struct slSweepProgress {
  slSweepStage stage;
  int          resumed;         // 1: the run continues an interrupted one from its journal
  long         blocks;          // blocks of the whole sweep
  long         blocks_resumed;  // blocks already done before this run (from the journal)
  long         units_total;     // units this run has to compute (those of the missing blocks)
  long         units_done;      // of them, written so far
  long         postures;        // body postures evaluated so far in this run, all processes
  double       seconds;         // wall time since the first wave started [s]
  long         units_all;       // units of the whole sweep (units_all - units_total were done
                                // before this run: a progress bar starts there after --resume)
} slSweepProgress;

typedef struct slSweepRunOpt {
  const char* out;      // output .h5 path; the journal is "<out>.journal"
  int         resume;   // 1: continue from the journal if there is one (--resume)
  int         threads;  // OpenMP threads per process (0: sl_batch_default_threads())
  int         argc;     // command line written to /meta as provenance (may be 0, NULL)
  char**      argv;
  // polled on rank 0 after each wave (NULL: never stop); nonzero stops the sweep there: the
  // file is written valid but marked incomplete, the journal is kept (info->complete = 0)
  int (*stop)(void* ctx);
  // called on rank 0 at SL_SWEEP_STARTED, after each wave and at SL_SWEEP_FINISHED (may be NULL)
  void (*progress)(void* ctx, const slSweepProgress* p);
  void* ctx;  // passed to stop and progress
} slSweepRunOpt;

// The outcome of sl_sweep_run (and what a caller prints about it). name points into the sweep.
typedef struct slSweepRunInfo {
  const char* name;            // the sweep's name
  long        combinations;    // parameter combinations
  int         positions;       // positions
  long        units;           // combinations x positions
  long        blocks;          // blocks of units
  int         resumed;         // 1: continued an interrupted run from its journal
  long        blocks_resumed;  // blocks done before this run (from the journal)
  long        blocks_done;     // blocks done after this run
  long        postures;        // body postures evaluated in this run, all processes
  double      seconds;         // wall time of this run's waves [s]
  int         kept_earlier;    // stopped, and an earlier file at out (not a run this one
                               // resumed) was left as it was: the blocks are in the journal
  int complete;                // 1: every block done, the file is final, the journal removed;
                               // 0: stopped by opt->stop: the file at out is valid but marked
                               // incomplete (attribute /sweep/complete = 0), the journal kept
} slSweepRunInfo;

// Run the sweep into opt->out: the HDF5 file is written under a temporary name and renamed at
// the end (also when stopped), blocks are appended to the journal and fsync'ed after each wave,
// so a run killed at any moment can be resumed with opt->resume and gives the same file as an
// uninterrupted one. Without opt->resume an existing journal is refused (SL_ERR_ARG naming it:
// it holds an interrupted sweep's results). Being stopped is not an error (see info->complete).
// On an error the output path is untouched and the journal (if any) kept.
// MPI (a build with SL_HAVE_MPI, when MPI is initialised): every process of MPI_COMM_WORLD calls
// this with the same sweep and options; blocks are shared out over the processes, rank 0 alone
// writes the file and the journal and calls stop and progress. The status is the same on every
// rank, and so is info when it is SL_OK; only rank 0's err is meaningful (another rank's err may
// just say that the sweep failed elsewhere).
slStatus sl_sweep_run(slSweep* sw, const slSweepRunOpt* opt, slSweepRunInfo* info, slError* err);

// What a sweep file says about the load index: Spearman sensitivities of the load index to each
// parameter, and how stable the ranking of the positions is over the combinations.
typedef struct slSweepSensitivity {
  const char* parameter;  // parameter path (a column of /sweep/params)
  const char* position;   // position name
  const char* role;       // role name
  double      rho;        // Spearman rank correlation of the parameter value and the load index
                          // over the combinations with a result; NaN if n <= 2 or constant
  int n;                  // combinations with a result for this position and role
} slSweepSensitivity;

typedef struct slSweepRankStat {
  const char* position;   // position name
  double      mean_rank;  // mean rank over the used combinations (1 = gentlest); NaN if none
  double      sd_rank;    // population standard deviation of the rank; NaN if none
  int         best;       // lowest rank seen (positions + 1 if no combination was used)
  int         worst;      // highest rank seen (0 if none)
} slSweepRankStat;

// In each combination the positions are ranked by the larger load index of their partners (1 =
// lowest; of equal ones the earlier position ranks first); a combination is used only if every
// role of every position has a result.
typedef struct slSweepSummary {
  long                combinations;  // combinations in the file
  int                 nsens;         // sensitivity rows: parameter-major, then position, role
  slSweepSensitivity* sens;          // (nsens); roles a position does not have are left out
  int                 npos;          // positions
  slSweepRankStat*    pos;           // (npos), in file order
  long                used;          // combinations ranked
  double              kendall_w;     // Kendall's W of the rankings (1 = always the same order);
                                     // NaN if used < 2 or npos < 2
  void* priv;                        // owns the strings
  // what the file is: a stopped run's file is valid but incomplete (report warns)
  int  complete;     // attribute /sweep/complete: 1 every block done, 0 stopped, -1 not recorded
  long blocks_done;  // blocks written (attribute /sweep/blocks_done; -1 if not recorded)
  long blocks;       // blocks of the whole sweep (attribute /sweep/blocks; -1 if not recorded)
  long rows;         // rows in /sweep (two per unit: one per role)
  long flagged;      // of them, rows whose cycle needed reserves or was beyond a joint's strength
                     // (/sweep/status > 0; their numbers are in the statistics)
  long failed;       // rows without a result: not built (-2) or not converged (-3); left out
} slSweepSummary;

// Read a sweep file written by sl_sweep_run and summarise it (a stopped run's file: the whole
// combinations written so far). A file that cannot be opened as HDF5 is SL_ERR_IO naming path; a
// missing dataset or a failed read is SL_ERR_HDF5 naming the dataset; a layout that is not a
// sweep's (wrong metric columns, not two role names per position, no whole combination) is
// SL_ERR_PARSE naming path ("not a complete spineload sweep file"). *out is NULL on error; free
// with sl_sweep_summary_free.
slStatus sl_sweep_summary(const char* path, slSweepSummary** out, slError* err);
void     sl_sweep_summary_free(slSweepSummary* s);  // NULL is fine

#ifdef __cplusplus
}
#endif
#endif
