// sl_layout.h: the HDF5 layout of every file spineload writes, in one place.
//
// One descriptor table per group kind: /meta, a body's model (/model or a rank role's model/),
// a body's results (/results or a rank role's group), the run file's /postures, the rank file's
// /positions and its /ranking table, the sweep file's /sweep and the columns of its extendible
// datasets. Each entry names a dataset (or a table column, or an attribute) relative to its
// group, with its HDF5 type, its shape rule (axes as sizes: fixed numbers or SL_LD_* symbols),
// units and description. The writers (sl_results, sl_run, sl_rank_report, sl_sweep_run) and the
// readers (sl_rankfile, sl_sweep_stats) take paths, units and descriptions from here by index
// (the SL_L*_ enums), so a new dataset is one table entry plus the code that fills it; the
// README's "Output (HDF5)" section is checked against these tables (tests/test_layout.c).
#ifndef SL_LAYOUT_H
#define SL_LAYOUT_H

#include <stddef.h>

#include "sl_h5.h"
#include "spineload.h"

// what an entry is
typedef enum slLayoutKind {
  SL_LK_DATA = 0,  // sl_h5_write dataset (first axis: the rows of the group, if rank > 0)
  SL_LK_STRINGS,   // sl_h5_write_strings dataset (1-D)
  SL_LK_TABLE,     // sl_h5_write_table compound table (its columns: another table)
  SL_LK_EXT,       // sl_h5_ext_create extendible 2-D dataset (its columns: another table)
  SL_LK_COLUMN,    // a column of a table or an extendible dataset
  SL_LK_ATTR,      // an attribute of the group (type SL_H5_STR, SL_H5_F64 or SL_H5_I64)
} slLayoutKind;

// axis sizes: > 0 fixed, else one of these (resolved by sl_layout_dims)
enum {
  SL_LD_ROWS = 0,       // n: postures (run), cycle samples (rank), rows (sweep)
  SL_LD_NCOORD = -1,    // generalized coordinates
  SL_LD_NMUS = -2,      // muscles
  SL_LD_NSEG = -3,      // segments
  SL_LD_NCONTACT = -4,  // most contacts of any row (at least 1)
  SL_LD_NJDOF = -5,     // joint dofs outside the lumbar spine with actuators
  SL_LD_NPART = -6,     // parts of disc compression
  SL_LD_NGROUP = -7,    // muscle groups
  SL_LD_NLAND = -8,     // landmarks
  SL_LD_NPOS = -9,      // positions
  SL_LD_NROLE = -10,    // role names (2 per position)
  SL_LD_NPAR = -11,     // sweep parameters (at least 1)
  SL_LD_NFILE = -12,    // input files
  SL_LD_NVAR = -13,     // uncertainty variants
  SL_LD_NIN = -14,      // uncertainty inputs
  SL_LD_NROW = -15,     // rows of /ranking (positions x their roles)
  SL_LD_NLINE = -16,    // lines of advice
};

// only written when (results groups)
enum {
  SL_LW_ALWAYS = 0,
  SL_LW_MOMENT_ARMS = 1,  // SL_RES_MOMENT_ARMS asked
  SL_LW_FRAMES = 2,       // SL_RES_FRAMES asked
  SL_LW_CONTACTS = 3,     // the body has contacts
  SL_LW_JOINTS = 4,       // the model has joint dofs with actuators
  SL_LW_UNCERTAINTY = 5,  // rank --uncertainty N
};

typedef struct slLayoutItem {
  const char*  path;  // relative to the group (dataset "disc/compression", column or attribute)
  slLayoutKind kind;
  slH5Type     type;
  int          rank;    // number of axes (0: scalar)
  int          dim[4];  // each axis: > 0 fixed size, else SL_LD_*
  const char*  units;
  const char*  desc;
  int          when;  // SL_LW_*
  size_t       off;   // results groups: offset of the data pointer in slResults
} slLayoutItem;

typedef struct slLayoutTable {
  const char*         name;   // what it is ("results", "ranking columns", ...)
  const char*         group;  // where it lives, as the README writes it ("/results")
  const slLayoutItem* item;
  int                 n;
} slLayoutTable;

// sizes for the SL_LD_* symbols
typedef struct slLayoutSizes {
  size_t rows, ncoord, nmus, nseg, ncontact, njdof, npart, ngroup, nland, npos, nrole, npar, nfile;
  size_t nvar, nin, nrow, nline;
} slLayoutSizes;

// ---- group paths ------------------------------------------------------------------------------
#define SL_LAYOUT_META        "/meta"
#define SL_LAYOUT_MODEL       "/model"        // run file; a rank role's is "<role group>/model"
#define SL_LAYOUT_RESULTS     "/results"      // run file; a rank role's is "/positions/<p>/<role>"
#define SL_LAYOUT_POSTURES    "/postures"     // run file
#define SL_LAYOUT_POSITIONS   "/positions"    // rank file: /positions/<position>/<role>
#define SL_LAYOUT_RANKING     "/ranking"      // rank file: the table
#define SL_LAYOUT_SWEEP       "/sweep"        // sweep file
#define SL_LAYOUT_ROLE_MODEL  "model"         // a rank role's body, under its group
#define SL_LAYOUT_UNCERTAINTY "/uncertainty"  // rank file with --uncertainty

// ---- /meta: attributes and input files ----------------------------------------------------------
enum {
  SL_LMETA_VERSION = 0,
  SL_LMETA_GIT_REVISION,
  SL_LMETA_COMPILER,
  SL_LMETA_BUILD_TYPE,
  SL_LMETA_COMPILER_FLAGS,
  SL_LMETA_LIBRARIES,
  SL_LMETA_COMMAND_LINE,
  SL_LMETA_UNITS,
  SL_LMETA_SCENARIO,          // run file only
  SL_LMETA_SOLVER_CRITERION,  // run file only
  SL_LMETA_SOLVER,            // rank file only
  SL_LMETA_MOTION,            // rank file only
  SL_LMETA_FILES,             // files/<i>_<name>: path pattern "files/%d_%s"
  SL_LMETA_COUNT
};
#define SL_LAYOUT_META_FILE_FMT "/meta/files/%d_%s"
extern const slLayoutItem sl_layout_meta[SL_LMETA_COUNT];

// ---- a body's model ---------------------------------------------------------------------------
enum {
  SL_LM_SEGMENT_NAMES = 0,
  SL_LM_COORDINATE_NAMES,
  SL_LM_MUSCLE_NAMES,
  SL_LM_MUSCLE_GROUP_NAMES,
  SL_LM_LANDMARK_NAMES,
  SL_LM_LEVEL_NAMES,
  SL_LM_COORDINATE_UNITS,
  SL_LM_LUMBAR_DOF_NAMES,
  SL_LM_JOINT_DOF_NAMES,  // only with joint dofs
  SL_LM_JOINT_STRENGTH,   // only with joint dofs
  SL_LM_COMPRESSION_PART_NAMES,
  SL_LM_SEGMENT_MASS,
  SL_LM_MUSCLE_FMAX,
  SL_LM_MUSCLE_GROUP,
  SL_LM_DISC_AREA,
  SL_LM_BODY_MASS_KG,  // attributes of the model group, from here on
  SL_LM_HEIGHT_M,
  SL_LM_TOTAL_MASS_KG,
  SL_LM_SACRAL_SLOPE_DEG,
  SL_LM_DISC_K,
  SL_LM_DISC_PRE_PRESSURE_MPA,
  SL_LM_LIGAMENT_LEVER_M,
  SL_LM_IAP_ENABLED,
  SL_LM_IAP_P_MAX_KPA,
  SL_LM_IAP_AREA_CM2,
  SL_LM_IAP_COST_WEIGHT,
  SL_LM_NAME,
  SL_LM_SEX,
  SL_LM_FILES,
  SL_LM_COUNT
};
extern const slLayoutItem sl_layout_model[SL_LM_COUNT];

// ---- a body's results (rows: postures or cycle samples) -----------------------------------------
enum {
  SL_LR_Q = 0,
  SL_LR_COM,
  SL_LR_STATUS,
  SL_LR_SOLVER_ITERATIONS,
  SL_LR_SOLVER_RESIDUAL,
  SL_LR_SOLVER_MAX_RESERVE,
  SL_LR_SOLVER_COST,
  SL_LR_SOLVER_RESERVE,
  SL_LR_SOLVER_ROOT_RESERVE,
  SL_LR_DEMAND_FORCE,
  SL_LR_DEMAND_MOMENT,
  SL_LR_DEMAND_TAU,
  SL_LR_PASSIVE_MOMENT,
  SL_LR_PASSIVE_LIGAMENT_FORCE,
  SL_LR_JOINTS_DEMAND,
  SL_LR_JOINTS_TORQUE,
  SL_LR_JOINTS_STRENGTH_SHARE,
  SL_LR_JOINTS_RESERVE,
  SL_LR_IAP_PRESSURE,
  SL_LR_IAP_FORCE,
  SL_LR_IAP_MOMENT,
  SL_LR_DISC_FRAME,
  SL_LR_DISC_JOINT_CENTRE,
  SL_LR_DISC_COMPRESSION,
  SL_LR_DISC_COMPRESSION_PARTS,
  SL_LR_DISC_SHEAR_AP,
  SL_LR_DISC_SHEAR_LAT,
  SL_LR_DISC_RESULTANT,
  SL_LR_DISC_IDP,
  SL_LR_MUSCLE_FORCE,
  SL_LR_MUSCLE_LENGTH,
  SL_LR_MUSCLE_MOMENT_ARM,
  SL_LR_KINEMATICS_SEGMENT_POS,
  SL_LR_KINEMATICS_SEGMENT_ROT,
  SL_LR_CONTACTS_FORCE,
  SL_LR_CONTACTS_POINT,
  SL_LR_CONTACTS_SLIDING,
  SL_LR_CONTACTS_SLIP_SPEED,
  SL_LR_COUNT
};
extern const slLayoutItem sl_layout_results[SL_LR_COUNT];

// ---- run file: /postures ----------------------------------------------------------------------
enum { SL_LP_NAME = 0, SL_LP_DESCRIPTION, SL_LP_COUNT };
extern const slLayoutItem sl_layout_postures[SL_LP_COUNT];

// ---- rank file: /positions/<position> and its roles ---------------------------------------------
enum {
  SL_LPOS_TIME = 0,  // dataset
  SL_LPOS_TITLE,     // attributes
  SL_LPOS_DESCRIPTION,
  SL_LPOS_CLAIM,
  SL_LPOS_FREQUENCY_HZ,
  SL_LPOS_COUNT
};
extern const slLayoutItem sl_layout_position[SL_LPOS_COUNT];
// besides the results datasets and the role's model/
enum {
  SL_LROLE_LUMBAR_ANGLES = 0,
  SL_LROLE_CONTACTS_NAMES,  // only with contacts
  SL_LROLE_DESCRIPTION,     // attributes
  SL_LROLE_BODY,
  SL_LROLE_THRUST,
  SL_LROLE_PLANTED_SUPPORT_RESIDUAL_M,
  SL_LROLE_COUNT
};
extern const slLayoutItem sl_layout_role[SL_LROLE_COUNT];

// the /ranking table and its columns (in the table's order)
extern const slLayoutItem sl_layout_ranking;
enum {
  SL_LRK_POSITION = 0,
  SL_LRK_ROLE,
  SL_LRK_THRUST,
  SL_LRK_RANK,
  SL_LRK_LOAD_INDEX,
  SL_LRK_PEAK_COMPRESSION_L4L5,
  SL_LRK_PEAK_COMPRESSION_L5S1,
  SL_LRK_PEAK_SHEAR,
  SL_LRK_PEAK_IDP_L4L5,
  SL_LRK_LUMBAR_FLEXION_PCT_ROM,
  SL_LRK_LUMBAR_EXTENSION_PCT_ROM,
  SL_LRK_MEAN_COMPRESSION_L4L5,
  SL_LRK_MAX_RESERVE,
  SL_LRK_RANK_FLEXION_INTOLERANT,
  SL_LRK_RANK_EXTENSION_INTOLERANT,
  SL_LRK_RANK_COMPRESSION_SENSITIVE,
  SL_LRK_PEAK_JOINT_STRENGTH_SHARE,
  SL_LRK_SLIDING_CONTACTS,
  SL_LRK_FLAGGED_SAMPLES,
  SL_LRK_NOTE,
  SL_LRK_COUNT
};
extern const slLayoutItem sl_layout_ranking_columns[SL_LRK_COUNT];

// ---- rank file: /uncertainty (rank --uncertainty N) -------------------------------------------
enum {
  SL_LU_INPUT_NAMES = 0,
  SL_LU_INPUT_UNITS,
  SL_LU_INPUT_SPREAD,
  SL_LU_INPUTS,
  SL_LU_ROW_NAMES,
  SL_LU_LOAD_INDEX,
  SL_LU_STATUS,
  SL_LU_LOAD_INDEX_INTERVAL,
  SL_LU_ROLE_RANK_INTERVAL,
  SL_LU_ROLE_THIRDS,
  SL_LU_POSITION_RANK_INTERVAL,
  SL_LU_POSITION_THIRDS,
  SL_LU_CLAIM_HOLDS,
  SL_LU_SENSITIVITY,
  SL_LU_ADVICE,
  SL_LU_VARIANTS,
  SL_LU_SEED,
  SL_LU_COMPLETE,
  SL_LU_FAILED_UNITS,
  SL_LU_ANGLE_SD_DEG,
  SL_LU_SECONDS,
  SL_LU_COUNT
};
extern const slLayoutItem sl_layout_uncertainty[SL_LU_COUNT];

// ---- sweep file: /sweep -----------------------------------------------------------------------
enum {
  SL_LSW_PARAMS = 0,  // extendible datasets
  SL_LSW_METRICS,
  SL_LSW_INDEX,
  SL_LSW_STATUS,
  SL_LSW_POSITION_NAMES,  // string datasets
  SL_LSW_ROLE_NAMES,
  SL_LSW_PARAM_LABELS,
  SL_LSW_NAME,  // attributes of /sweep written when the file is created
  SL_LSW_DESIGN,
  SL_LSW_SEED,
  SL_LSW_COMBINATIONS,
  SL_LSW_UNITS,
  SL_LSW_BLOCK_UNITS,
  SL_LSW_COMPLETE,  // attributes written when the run ends
  SL_LSW_BLOCKS_DONE,
  SL_LSW_BLOCKS,
  SL_LSW_SECONDS_LAST_RUN,
  SL_LSW_POSTURES_LAST_RUN,
  SL_LSW_COUNT
};
extern const slLayoutItem sl_layout_sweep[SL_LSW_COUNT];
// the column unit of a categorical sweep parameter in /sweep/params
extern const char* const sl_layout_sweep_param_categorical;
#define SL_LAYOUT_SWEEP_NO_PARAM "none"  // the one column of /sweep/params without parameters

// columns of /sweep/metrics
enum {
  SL_SM_LOAD_INDEX = 0,
  SL_SM_COMP_L5S1,
  SL_SM_COMP_L4L5,
  SL_SM_COMP_L3L4,
  SL_SM_COMP_L2L3,
  SL_SM_COMP_L1L2,
  SL_SM_COMP_T12L1,
  SL_SM_MEAN_COMP_L4L5,
  SL_SM_PEAK_SHEAR,
  SL_SM_PEAK_IDP_L4L5,
  SL_SM_FLEX_ROM,
  SL_SM_EXT_ROM,
  SL_SM_LAT_ROM,
  SL_SM_TWIST_ROM,
  SL_SM_MAX_RESERVE,
  SL_SM_SCORE_FLEX,
  SL_SM_SCORE_EXT,
  SL_SM_SCORE_COMP,
  SL_SM_COUNT
};
extern const slLayoutItem sl_layout_sweep_metrics[SL_SM_COUNT];
// columns of /sweep/index and /sweep/status
enum { SL_LSI_COMBINATION = 0, SL_LSI_POSITION, SL_LSI_ROLE, SL_LSI_COUNT };
extern const slLayoutItem sl_layout_sweep_index[SL_LSI_COUNT];
extern const slLayoutItem sl_layout_sweep_status[1];

// ---- the tables, per file kind ----------------------------------------------------------------
typedef enum slLayoutFile { SL_LAYOUT_RUN = 0, SL_LAYOUT_RANK, SL_LAYOUT_SWEEPFILE } slLayoutFile;
// the group tables a file kind is made of (group paths as the README writes them, e.g.
// "/positions/<name>/<role>"); *n receives their number
const slLayoutTable* sl_layout_file(slLayoutFile kind, int* n);

// ---- helpers ----------------------------------------------------------------------------------
// dims of an entry for the given sizes (up to 4 axes; returns the rank)
int sl_layout_dims(const slLayoutItem* it, const slLayoutSizes* sz, size_t dims[4]);
// the shape rule as text ("n x 6 x 3"; "" for a scalar)
void sl_layout_shape_text(const slLayoutItem* it, char* buf, size_t n);
// "<group>/<path>" into buf; returns buf
const char* sl_layout_path(char* buf, size_t n, const char* group, const slLayoutItem* it);
// column names / units of a column table into arrays of n
void sl_layout_column_names(const slLayoutItem* cols, int n, const char** names);
void sl_layout_column_units(const slLayoutItem* cols, int n, const char** units);

// write a whole dataset entry (SL_LK_DATA or SL_LK_STRINGS) under group
slStatus sl_layout_write(slH5* f, const char* group, const slLayoutItem* it, const size_t* dims,
                         const void* data, slError* err);
slStatus sl_layout_write_strings(slH5* f, const char* group, const slLayoutItem* it,
                                 const char* const* s, size_t n, slError* err);
// A reader's HDF5 failure (a dataset missing or of the wrong kind) means the file at path is not a
// complete file of its kind ("rank", "sweep"): bad input (SL_ERR_PARSE, exit status 2), with the
// file and the dataset named. Other statuses pass through.
slStatus sl_layout_not_a(const char* path, const char* kind, slStatus st, slError* err);

#endif
