// sl_layout.c: the descriptor tables of the HDF5 layout (see sl_layout.h).
#include "sl_layout.h"

#include <stdio.h>
#include <string.h>

#define NL         SL_NLEVEL
#define OFF(field) offsetof(slResults, field)

// entry shorthands: dataset, strings, attribute, column
#define DS(path, type, rank, d0, d1, d2, d3, units, desc) \
  { path, SL_LK_DATA, type, rank, {d0, d1, d2, d3}, units, desc, SL_LW_ALWAYS, 0 }
#define STRS(path, d0, desc) \
  { path, SL_LK_STRINGS, SL_H5_STR, 1, {d0, 0, 0, 0}, "1", desc, 0, 0 }
#define ATTR(path, type, units, desc) \
  { path, SL_LK_ATTR, type, 0, {0, 0, 0, 0}, units, desc, 0, 0 }
#define COL(path, type, units, desc) \
  { path, SL_LK_COLUMN, type, 1, {SL_LD_ROWS, 0, 0, 0}, units, desc, 0, 0 }
// a results dataset: the posture axis first, then up to 3 axes
#define RES(path, type, rank, d1, d2, d3, units, desc, when, field) \
  { path, SL_LK_DATA, type, (rank) + 1, {SL_LD_ROWS, d1, d2, d3}, units, desc, when, OFF(field) }

// clang-format off
const slLayoutItem sl_layout_meta[SL_LMETA_COUNT] = {
  [SL_LMETA_VERSION] = ATTR("version", SL_H5_STR, "", "spineload version"),
  [SL_LMETA_GIT_REVISION] = ATTR("git_revision", SL_H5_STR, "", "git revision of the build"),
  [SL_LMETA_COMPILER] = ATTR("compiler", SL_H5_STR, "", "C compiler of the build"),
  [SL_LMETA_BUILD_TYPE] = ATTR("build_type", SL_H5_STR, "", "CMake build type"),
  [SL_LMETA_COMPILER_FLAGS] = ATTR("compiler_flags", SL_H5_STR, "", "C compiler flags of the build"),
  [SL_LMETA_LIBRARIES] = ATTR("libraries", SL_H5_STR, "", "HDF5 and OpenBLAS versions"),
  [SL_LMETA_COMMAND_LINE] = ATTR("command_line", SL_H5_STR, "", "the command line, each argument after a space"),
  [SL_LMETA_UNITS] = ATTR("units", SL_H5_STR, "", "the units and the world frame of every dataset"),
  [SL_LMETA_SCENARIO] = ATTR("scenario", SL_H5_STR, "", "name of the scenario (run file)"),
  [SL_LMETA_SOLVER_CRITERION] = ATTR("solver_criterion", SL_H5_STR, "", "recruitment criterion of the static optimisation (run file)"),
  [SL_LMETA_SOLVER] = ATTR("solver", SL_H5_STR, "", "the solver settings of every cycle: criterion, iterations, tolerance, reserves, contact regularisation, Cholesky (rank file)"),
  [SL_LMETA_MOTION] = ATTR("motion", SL_H5_STR, "", "the thrust cycle every position shares: frequency, samples, amplitudes, spine share, strategy (rank file)"),
  [SL_LMETA_FILES] = {"files/<i>_<name>", SL_LK_STRINGS, SL_H5_STR, 1, {1, 0, 0, 0}, "1", "every input file verbatim (description: its path)", 0, 0},
};

const slLayoutItem sl_layout_model[SL_LM_COUNT] = {
  [SL_LM_SEGMENT_NAMES] = STRS("segment_names", SL_LD_NSEG, "segments, parent before child"),
  [SL_LM_COORDINATE_NAMES] = STRS("coordinate_names", SL_LD_NCOORD, "generalized coordinates (columns of q)"),
  [SL_LM_MUSCLE_NAMES] = STRS("muscle_names", SL_LD_NMUS, "muscle fascicles (columns of muscle datasets)"),
  [SL_LM_MUSCLE_GROUP_NAMES] = STRS("muscle_group_names", SL_LD_NGROUP, "muscle groups"),
  [SL_LM_LANDMARK_NAMES] = STRS("landmark_names", SL_LD_NLAND, "skin landmarks for supports and contacts"),
  [SL_LM_LEVEL_NAMES] = STRS("level_names", NL, "lumbar levels, inferior first"),
  [SL_LM_COORDINATE_UNITS] = STRS("coordinate_units", SL_LD_NCOORD, "units of each coordinate"),
  [SL_LM_LUMBAR_DOF_NAMES] = STRS("lumbar_dof_names", SL_NLDOF, "lumbar degrees of freedom (rows of moment arms, reserves, tau)"),
  [SL_LM_JOINT_DOF_NAMES] = {"joint_dof_names", SL_LK_STRINGS, SL_H5_STR, 1, {SL_LD_NJDOF, 0, 0, 0}, "1", "joint dofs outside the lumbar spine and the root, with torque actuators (columns of joints/*)", SL_LW_JOINTS, 0},
  [SL_LM_JOINT_STRENGTH] = {"joint_strength", SL_LK_DATA, SL_H5_F64, 2, {SL_LD_NJDOF, 2, 0, 0}, "N m", "strength of each joint dof for torque along + and - its coordinate (c1 x body mass x g x stature)", SL_LW_JOINTS, 0},
  [SL_LM_COMPRESSION_PART_NAMES] = STRS("compression_part_names", SL_LD_NPART, "parts of disc compression (last axis of disc/compression_parts)"),
  [SL_LM_SEGMENT_MASS] = DS("segment_mass", SL_H5_F64, 1, SL_LD_NSEG, 0, 0, 0, "kg", "segment masses after subject scaling"),
  [SL_LM_MUSCLE_FMAX] = DS("muscle_fmax", SL_H5_F64, 1, SL_LD_NMUS, 0, 0, 0, "N", "maximum isometric force after scaling"),
  [SL_LM_MUSCLE_GROUP] = DS("muscle_group", SL_H5_I32, 1, SL_LD_NMUS, 0, 0, 0, "1", "index into muscle_group_names"),
  [SL_LM_DISC_AREA] = DS("disc_area", SL_H5_F64, 1, NL, 0, 0, 0, "mm^2", "disc cross-section per level"),
  [SL_LM_BODY_MASS_KG] = ATTR("body_mass_kg", SL_H5_F64, "kg", "body mass of the subject"),
  [SL_LM_HEIGHT_M] = ATTR("height_m", SL_H5_F64, "m", "stature of the subject"),
  [SL_LM_TOTAL_MASS_KG] = ATTR("total_mass_kg", SL_H5_F64, "kg", "sum of the segment masses"),
  [SL_LM_SACRAL_SLOPE_DEG] = ATTR("sacral_slope_deg", SL_H5_F64, "deg", "sacral slope of the default pose"),
  [SL_LM_DISC_K] = ATTR("disc_k", SL_H5_F64, "1", "intradiscal pressure factor k of p0 + k F_c / A"),
  [SL_LM_DISC_PRE_PRESSURE_MPA] = ATTR("disc_pre_pressure_MPa", SL_H5_F64, "MPa", "swelling pressure p0"),
  [SL_LM_LIGAMENT_LEVER_M] = ATTR("ligament_lever_m", SL_H5_F64, "m", "lever of the posterior ligaments"),
  [SL_LM_IAP_ENABLED] = ATTR("iap_enabled", SL_H5_F64, "1", "1 if intra-abdominal pressure is modelled"),
  [SL_LM_IAP_P_MAX_KPA] = ATTR("iap_p_max_kPa", SL_H5_F64, "kPa", "largest intra-abdominal pressure"),
  [SL_LM_IAP_AREA_CM2] = ATTR("iap_area_cm2", SL_H5_F64, "cm^2", "area the intra-abdominal pressure acts on"),
  [SL_LM_IAP_COST_WEIGHT] = ATTR("iap_cost_weight", SL_H5_F64, "1", "weight of the pressure in the recruitment criterion"),
  [SL_LM_NAME] = ATTR("name", SL_H5_STR, "", "model name"),
  [SL_LM_SEX] = ATTR("sex", SL_H5_STR, "", "male or female"),
  [SL_LM_FILES] = ATTR("files", SL_H5_STR, "", "the model files, ';'-separated"),
};

const slLayoutItem sl_layout_results[SL_LR_COUNT] = {
  [SL_LR_Q] = RES("q", SL_H5_F64, 1, SL_LD_NCOORD, 0, 0, "rad or m (see /model/coordinate_units)", "generalized coordinates of each posture", SL_LW_ALWAYS, q),
  [SL_LR_COM] = RES("com", SL_H5_F64, 1, 3, 0, 0, "m", "whole-body centre of mass, world frame (x anterior, y up, z right)", SL_LW_ALWAYS, com),
  [SL_LR_STATUS] = RES("status", SL_H5_I32, 0, 0, 0, 0, "1", "solver status: 0 converged, 1 needed reserve actuators (flagged), 2 iteration limit, 3 numerical failure, 4 a joint outside the lumbar spine beyond its strength (flagged)", SL_LW_ALWAYS, status),
  [SL_LR_SOLVER_ITERATIONS] = RES("solver/iterations", SL_H5_I32, 0, 0, 0, 0, "1", "Newton iterations of the static optimisation", SL_LW_ALWAYS, iter),
  [SL_LR_SOLVER_RESIDUAL] = RES("solver/residual", SL_H5_F64, 0, 0, 0, 0, "N m", "max equilibrium residual |A x - b| including reserves", SL_LW_ALWAYS, resid),
  [SL_LR_SOLVER_MAX_RESERVE] = RES("solver/max_reserve", SL_H5_F64, 0, 0, 0, 0, "N m", "largest reserve actuator moment (flagged above the reserve_flag option)", SL_LW_ALWAYS, max_reserve),
  [SL_LR_SOLVER_COST] = RES("solver/cost", SL_H5_F64, 0, 0, 0, 0, "1", "recruitment criterion: sum (f/fmax)^p, or the largest f/fmax for minmax", SL_LW_ALWAYS, cost),
  [SL_LR_SOLVER_RESERVE] = RES("solver/reserve", SL_H5_F64, 1, SL_NLDOF, 0, 0, "N m", "reserve moment on each lumbar dof (level-major: L5/S1 flexion/extension, lateral, axial, ...)", SL_LW_ALWAYS, reserve),
  [SL_LR_SOLVER_ROOT_RESERVE] = RES("solver/root_reserve", SL_H5_F64, 1, 6, 0, 0, "N, N m", "whole-body reserve force (3) and moment about the pelvis origin (3), world frame; nonzero only when supports cannot hold the body", SL_LW_ALWAYS, root_reserve),
  [SL_LR_DEMAND_FORCE] = RES("demand/force", SL_H5_F64, 2, NL, 3, 0, "N", "resultant external load (gravity, inertia, point loads; not contacts) on the body above each level, world frame", SL_LW_ALWAYS, demand_force),
  [SL_LR_DEMAND_MOMENT] = RES("demand/moment", SL_H5_F64, 2, NL, 3, 0, "N m", "moment of that load about the level's joint centre, world frame", SL_LW_ALWAYS, demand_moment),
  [SL_LR_DEMAND_TAU] = RES("demand/tau", SL_H5_F64, 1, SL_NLDOF, 0, 0, "N m", "generalized demand on each lumbar dof: minus the generalized external force along the model coordinate (the moment the body must supply: flexion/extension positive = extension needed; lateral positive = a right bend needed; axial positive = a left twist needed)", SL_LW_ALWAYS, tau),
  [SL_LR_PASSIVE_MOMENT] = RES("passive/moment", SL_H5_F64, 1, SL_NLDOF, 0, 0, "N m", "generalized passive-tissue force on each lumbar dof", SL_LW_ALWAYS, pas_moment),
  [SL_LR_PASSIVE_LIGAMENT_FORCE] = RES("passive/ligament_force", SL_H5_F64, 1, NL, 0, 0, "N", "posterior ligament tension in flexion, added to disc compression", SL_LW_ALWAYS, lig_force),
  [SL_LR_JOINTS_DEMAND] = RES("joints/demand", SL_H5_F64, 1, SL_LD_NJDOF, 0, 0, "N m", "generalized demand on each joint dof outside the lumbar spine (/model/joint_dof_names): the torque its actuator needs without contacts", SL_LW_JOINTS, jdof_tau),
  [SL_LR_JOINTS_TORQUE] = RES("joints/torque", SL_H5_F64, 1, SL_LD_NJDOF, 0, 0, "N m", "joint torque actuator of each joint dof, along its coordinate", SL_LW_JOINTS, jdof_torque),
  [SL_LR_JOINTS_STRENGTH_SHARE] = RES("joints/strength_share", SL_H5_F64, 1, SL_LD_NJDOF, 0, 0, "1", "torque needed / strength in its direction (/model/joint_strength); above 1 the posture is beyond strength (status 4)", SL_LW_JOINTS, jdof_share),
  [SL_LR_JOINTS_RESERVE] = RES("joints/reserve", SL_H5_F64, 1, SL_LD_NJDOF, 0, 0, "N m", "reserve actuator on each joint dof: the torque beyond what its actuator gives (flagged above reserve_flag)", SL_LW_JOINTS, jdof_reserve),
  [SL_LR_IAP_PRESSURE] = RES("iap/pressure", SL_H5_F64, 0, 0, 0, 0, "kPa", "intra-abdominal pressure (unknown of the static optimisation; 0 when iap.enabled is false)", SL_LW_ALWAYS, iap),
  [SL_LR_IAP_FORCE] = RES("iap/force", SL_H5_F64, 1, 3, 0, 0, "N", "force of the intra-abdominal pressure on the thorax, world frame (the pelvis gets the opposite)", SL_LW_ALWAYS, iap_force),
  [SL_LR_IAP_MOMENT] = RES("iap/moment", SL_H5_F64, 1, SL_NLDOF, 0, 0, "N m", "generalized force of the intra-abdominal pressure on each lumbar dof (same signs as demand/tau)", SL_LW_ALWAYS, iap_moment),
  [SL_LR_DISC_FRAME] = RES("disc/frame", SL_H5_F64, 3, NL, 3, 3, "1", "disc frame per level: 3x3 matrix whose columns are the anterior, normal (superior) and right unit vectors in world", SL_LW_ALWAYS, disc_frame),
  [SL_LR_DISC_JOINT_CENTRE] = RES("disc/joint_centre", SL_H5_F64, 2, NL, 3, 0, "m", "joint centre of each level, world frame", SL_LW_ALWAYS, lev_pos),
  [SL_LR_DISC_COMPRESSION] = RES("disc/compression", SL_H5_F64, 1, NL, 0, 0, "N", "mechanical disc compression (positive pressing), including ligament tension and intra-abdominal pressure; without the swelling pressure", SL_LW_ALWAYS, comp),
  [SL_LR_DISC_COMPRESSION_PARTS] = RES("disc/compression_parts", SL_H5_F64, 2, NL, SL_LD_NPART, 0, "N", "where each level's compression comes from (/model/compression_part_names); the parts add up to disc/compression", SL_LW_ALWAYS, comp_parts),
  [SL_LR_DISC_SHEAR_AP] = RES("disc/shear_ap", SL_H5_F64, 1, NL, 0, 0, "N", "antero-posterior shear in the disc frame (positive: superior vertebra pushed anteriorly)", SL_LW_ALWAYS, shear_ap),
  [SL_LR_DISC_SHEAR_LAT] = RES("disc/shear_lat", SL_H5_F64, 1, NL, 0, 0, "N", "lateral shear in the disc frame (positive: superior vertebra pushed to the right)", SL_LW_ALWAYS, shear_lat),
  [SL_LR_DISC_RESULTANT] = RES("disc/resultant", SL_H5_F64, 1, NL, 0, 0, "N", "magnitude of the joint reaction (compression and shears)", SL_LW_ALWAYS, resultant),
  [SL_LR_DISC_IDP] = RES("disc/idp", SL_H5_F64, 1, NL, 0, 0, "MPa", "intradiscal pressure estimate p0 + k F_c / A (Nachemson, with the swelling pressure p0 = /model disc_pre_pressure_MPa)", SL_LW_ALWAYS, idp),
  [SL_LR_MUSCLE_FORCE] = RES("muscle/force", SL_H5_F64, 1, SL_LD_NMUS, 0, 0, "N", "muscle fascicle force", SL_LW_ALWAYS, mus_force),
  [SL_LR_MUSCLE_LENGTH] = RES("muscle/length", SL_H5_F64, 1, SL_LD_NMUS, 0, 0, "m", "straight-line path length", SL_LW_ALWAYS, mus_len),
  [SL_LR_MUSCLE_MOMENT_ARM] = RES("muscle/moment_arm", SL_H5_F64, 2, SL_NLDOF, SL_LD_NMUS, 0, "m", "moment-arm matrix r = -dL/dq (lumbar dof x muscle)", SL_LW_MOMENT_ARMS, mus_R),
  [SL_LR_KINEMATICS_SEGMENT_POS] = RES("kinematics/segment_pos", SL_H5_F64, 2, SL_LD_NSEG, 3, 0, "m", "segment frame origins, world frame", SL_LW_FRAMES, seg_pos),
  [SL_LR_KINEMATICS_SEGMENT_ROT] = RES("kinematics/segment_rot", SL_H5_F64, 3, SL_LD_NSEG, 3, 3, "1", "segment rotation matrices R_world_segment (row-major)", SL_LW_FRAMES, seg_rot),
  [SL_LR_CONTACTS_FORCE] = RES("contacts/force", SL_H5_F64, 2, SL_LD_NCONTACT, 3, 0, "N", "force on this body at each of its contacts (supports, partner), world frame", SL_LW_CONTACTS, contact_force),
  [SL_LR_CONTACTS_POINT] = RES("contacts/point", SL_H5_F64, 2, SL_LD_NCONTACT, 3, 0, "m", "where each contact force acts, world frame: the support landmark, or for a partner contact the point midway between the two partners' landmarks (action and reaction act there)", SL_LW_CONTACTS, contact_pos),
  [SL_LR_CONTACTS_SLIDING] = RES("contacts/sliding", SL_H5_I32, 1, SL_LD_NCONTACT, 0, 0, "1", "1: the contact slides (kinetic friction against the sliding velocity), 0: static (friction cone)", SL_LW_CONTACTS, contact_slide),
  [SL_LR_CONTACTS_SLIP_SPEED] = RES("contacts/slip_speed", SL_H5_F64, 1, SL_LD_NCONTACT, 0, 0, "m/s", "tangential speed of the contact point relative to the surface or partner it touches", SL_LW_CONTACTS, contact_slip),
};

const slLayoutItem sl_layout_postures[SL_LP_COUNT] = {
  [SL_LP_NAME] = STRS("name", SL_LD_ROWS, "posture names (rows of every /results dataset)"),
  [SL_LP_DESCRIPTION] = STRS("description", SL_LD_ROWS, "posture descriptions"),
};

const slLayoutItem sl_layout_position[SL_LPOS_COUNT] = {
  [SL_LPOS_TIME] = DS("time", SL_H5_F64, 1, SL_LD_ROWS, 0, 0, 0, "s", "time of each cycle sample"),
  [SL_LPOS_TITLE] = ATTR("title", SL_H5_STR, "", "the position's title"),
  [SL_LPOS_DESCRIPTION] = ATTR("description", SL_H5_STR, "", "the position's description"),
  [SL_LPOS_CLAIM] = ATTR("claim", SL_H5_STR, "", "what the popular claim says of it"),
  [SL_LPOS_FREQUENCY_HZ] = ATTR("frequency_hz", SL_H5_F64, "Hz", "thrust frequency of its cycle"),
};

const slLayoutItem sl_layout_role[SL_LROLE_COUNT] = {
  [SL_LROLE_LUMBAR_ANGLES] = DS("lumbar_angles", SL_H5_F64, 2, SL_LD_ROWS, 3, 0, 0, "rad", "total lumbar flexion (+), lateral bend (+ right), twist (+ left) relative to upright standing"),
  [SL_LROLE_CONTACTS_NAMES] = {"contacts/names", SL_LK_STRINGS, SL_H5_STR, 1, {SL_LD_NCONTACT, 0, 0, 0}, "1", "the landmark of each contact (columns of contacts/*): a support on the bed or floor, or 'landmark on partner's landmark'", SL_LW_CONTACTS, 0},
  [SL_LROLE_DESCRIPTION] = ATTR("description", SL_H5_STR, "", "the role's description"),
  [SL_LROLE_BODY] = ATTR("body", SL_H5_STR, "", "the role's body (model file)"),
  [SL_LROLE_THRUST] = ATTR("thrust", SL_H5_STR, "", "how the role moves in the cycle: hip, spine or still"),
  [SL_LROLE_PLANTED_SUPPORT_RESIDUAL_M] = ATTR("planted_support_residual_m", SL_H5_F64, "m", "largest drift of a planted support over the cycle"),
};

const slLayoutItem sl_layout_ranking = {"ranking", SL_LK_TABLE, SL_H5_STR, 1, {SL_LD_ROWS, 0, 0, 0}, "", "one row per position and role; rank 1 is the lowest load index", 0, 0};

const slLayoutItem sl_layout_ranking_columns[SL_LRK_COUNT] = {
  [SL_LRK_POSITION] = COL("position", SL_H5_STR, "", "position name"),
  [SL_LRK_ROLE] = COL("role", SL_H5_STR, "", "role name"),
  [SL_LRK_THRUST] = COL("thrust", SL_H5_STR, "", "hip, spine or still"),
  [SL_LRK_RANK] = COL("rank", SL_H5_I32, "1", "rank by load index, 1 the lowest"),
  [SL_LRK_LOAD_INDEX] = COL("load_index", SL_H5_F64, "1", "max over the cycle and levels of compression / 3400 N and shear / 700 N"),
  [SL_LRK_PEAK_COMPRESSION_L4L5] = COL("peak_compression_L4L5", SL_H5_F64, "N", "peak L4/L5 compression"),
  [SL_LRK_PEAK_COMPRESSION_L5S1] = COL("peak_compression_L5S1", SL_H5_F64, "N", "peak L5/S1 compression"),
  [SL_LRK_PEAK_SHEAR] = COL("peak_shear", SL_H5_F64, "N", "peak shear of any level"),
  [SL_LRK_PEAK_IDP_L4L5] = COL("peak_idp_L4L5", SL_H5_F64, "MPa", "peak L4/L5 intradiscal pressure"),
  [SL_LRK_LUMBAR_FLEXION_PCT_ROM] = COL("lumbar_flexion_pct_rom", SL_H5_F64, "%", "peak lumbar flexion in % of its range of motion"),
  [SL_LRK_LUMBAR_EXTENSION_PCT_ROM] = COL("lumbar_extension_pct_rom", SL_H5_F64, "%", "peak lumbar extension in % of its range of motion"),
  [SL_LRK_MEAN_COMPRESSION_L4L5] = COL("mean_compression_L4L5", SL_H5_F64, "N", "mean L4/L5 compression over the cycle"),
  [SL_LRK_MAX_RESERVE] = COL("max_reserve", SL_H5_F64, "N m", "largest reserve moment over the cycle"),
  [SL_LRK_RANK_FLEXION_INTOLERANT] = COL("rank_flexion_intolerant", SL_H5_I32, "1", "rank for a flexion-intolerant back"),
  [SL_LRK_RANK_EXTENSION_INTOLERANT] = COL("rank_extension_intolerant", SL_H5_I32, "1", "rank for an extension-intolerant back"),
  [SL_LRK_RANK_COMPRESSION_SENSITIVE] = COL("rank_compression_sensitive", SL_H5_I32, "1", "rank for a compression-sensitive back"),
  [SL_LRK_PEAK_JOINT_STRENGTH_SHARE] = COL("peak_joint_strength_share", SL_H5_F64, "1", "largest torque needed / strength of a joint outside the lumbar spine"),
  [SL_LRK_SLIDING_CONTACTS] = COL("sliding_contacts", SL_H5_I32, "1", "contacts that slide at some sample"),
  [SL_LRK_FLAGGED_SAMPLES] = COL("flagged_samples", SL_H5_I32, "1", "samples that needed reserves or were beyond joint strength"),
  [SL_LRK_NOTE] = COL("note", SL_H5_STR, "", "what the numbers say, in words"),
};

const char* const sl_layout_sweep_param_categorical = "index into /sweep/param_labels";

#define UNC(path, type, rank, d0, d1, units, desc) \
  { path, SL_LK_DATA, type, rank, {d0, d1, 0, 0}, units, desc, SL_LW_UNCERTAINTY, 0 }
#define UNCS(path, d0, desc) \
  { path, SL_LK_STRINGS, SL_H5_STR, 1, {d0, 0, 0, 0}, "1", desc, SL_LW_UNCERTAINTY, 0 }
const slLayoutItem sl_layout_uncertainty[SL_LU_COUNT] = {
  [SL_LU_INPUT_NAMES] = UNCS("input_names", SL_LD_NIN, "the uncertain inputs: shared ones (man.*, woman.*, motion.*) then each position's posture angles (<position>.<role>.<angle path>)"),
  [SL_LU_INPUT_UNITS] = UNCS("input_units", SL_LD_NIN, "units of each input (strategy: 0 auto, 1 mixed, 2 spine)"),
  [SL_LU_INPUT_SPREAD] = UNC("input_spread", SL_H5_F64, 2, SL_LD_NIN, 5, "see input_units", "per input: mean (or the run's value), spread (normal sd, or the half width of a uniform range), lower and upper bound of the draws, distribution (0 normal truncated at the bounds, 1 uniform, 2 categorical)"),
  [SL_LU_INPUTS] = UNC("inputs", SL_H5_F64, 2, SL_LD_NVAR, SL_LD_NIN, "see input_units", "the value of every input in every variant (Latin hypercube)"),
  [SL_LU_ROW_NAMES] = UNCS("row_names", SL_LD_NROW, "position/role of each row, in the order of /ranking"),
  [SL_LU_LOAD_INDEX] = UNC("load_index", SL_H5_F64, 2, SL_LD_NVAR, SL_LD_NROW, "1", "load index of every row in every variant; NaN: no result (see status)"),
  [SL_LU_STATUS] = UNC("status", SL_H5_I32, 2, SL_LD_NVAR, SL_LD_NROW, "1", "flagged samples (reserves or beyond strength) of the row's cycle; -2 the variant's posture could not be built; -3 a sample did not converge"),
  [SL_LU_LOAD_INDEX_INTERVAL] = UNC("load_index_interval", SL_H5_F64, 2, SL_LD_NROW, 4, "1", "per row: plain load index, median, 5 % and 95 % quantiles over the variants with a result"),
  [SL_LU_ROLE_RANK_INTERVAL] = UNC("role_rank_interval", SL_H5_F64, 2, SL_LD_NROW, 4, "1", "per row: plain rank of the position for this partner (moving or still: among the rows of that kind, by load index), median, 5 % and 95 % quantiles over the complete variants"),
  [SL_LU_ROLE_THIRDS] = UNC("role_thirds", SL_H5_F64, 2, SL_LD_NROW, 2, "1", "per row: share of the complete variants in which it is in the gentlest third and in the most loading third of its kind (moving or still partner)"),
  [SL_LU_POSITION_RANK_INTERVAL] = UNC("position_rank_interval", SL_H5_F64, 2, SL_LD_NPOS, 4, "1", "per position (by the worse partner): plain rank, median, 5 % and 95 % quantiles over the complete variants"),
  [SL_LU_POSITION_THIRDS] = UNC("position_thirds", SL_H5_F64, 2, SL_LD_NPOS, 2, "1", "per position: share of the complete variants in the gentlest third and in the most loading third"),
  [SL_LU_CLAIM_HOLDS] = UNC("claim_holds", SL_H5_F64, 2, SL_LD_NPOS, 2, "1", "per position with a claim: share of the complete variants in which the plain ranking's verdict (agrees or disagrees) holds, and 1 if that is >= 0.9 (robust) else 0; NaN without a claim"),
  [SL_LU_SENSITIVITY] = UNC("sensitivity", SL_H5_F64, 2, SL_LD_NROW, SL_LD_NIN, "1", "Spearman rank correlation of each input with the row's load index over the variants with a result; NaN for another position's angles or a constant input"),
  [SL_LU_ADVICE] = UNCS("advice", SL_LD_NLINE, "advice per phenotype and partner (moving, still), with confidence, one line each"),
  [SL_LU_VARIANTS] = ATTR("variants", SL_H5_I64, "1", "variants drawn (N of --uncertainty N)"),
  [SL_LU_SEED] = ATTR("seed", SL_H5_I64, "1", "seed of the Latin hypercube"),
  [SL_LU_COMPLETE] = ATTR("complete", SL_H5_I64, "1", "variants in which every row has a result (the rank statistics use these)"),
  [SL_LU_FAILED_UNITS] = ATTR("failed_units", SL_H5_I64, "1", "(variant, position) units whose posture could not be built or did not converge"),
  [SL_LU_ANGLE_SD_DEG] = ATTR("default_angle_sd_deg", SL_H5_F64, "deg", "spread of a joint angle whose file gives no sd_deg"),
  [SL_LU_SECONDS] = ATTR("seconds", SL_H5_F64, "s", "wall time of the variants (a timing)"),
};
#undef UNC
#undef UNCS

const slLayoutItem sl_layout_sweep[SL_LSW_COUNT] = {
  [SL_LSW_PARAMS] = {"params", SL_LK_EXT, SL_H5_F64, 2, {SL_LD_ROWS, SL_LD_NPAR, 0, 0}, "see column_units", "parameter values of each row's combination (columns: see attribute 'columns'; their paths are the --set paths; column_units: each value's unit, or for a categorical parameter the index into /sweep/param_labels)", 0, 0},
  [SL_LSW_METRICS] = {"metrics", SL_LK_EXT, SL_H5_F64, 2, {SL_LD_ROWS, SL_SM_COUNT, 0, 0}, "see column_units", "metrics of each row (one position, one role, one combination) over its thrust cycle; NaN when the row has no result (see status)", 0, 0},
  [SL_LSW_INDEX] = {"index", SL_LK_EXT, SL_H5_I32, 2, {SL_LD_ROWS, SL_LSI_COUNT, 0, 0}, "1", "combination index, position index (into /sweep/position_names), role index (into /sweep/role_names)", 0, 0},
  [SL_LSW_STATUS] = {"status", SL_LK_EXT, SL_H5_I32, 2, {SL_LD_ROWS, 1, 0, 0}, "1", "samples of the cycle that needed reserves or were beyond joint strength; -1 the position has no such role; -2 the posture could not be built for this combination; -3 a sample did not converge (the row's metrics are no result; report leaves it out)", 0, 0},
  [SL_LSW_POSITION_NAMES] = STRS("position_names", SL_LD_NPOS, "positions of the sweep, in the order of /sweep/index"),
  [SL_LSW_ROLE_NAMES] = STRS("role_names", SL_LD_NROLE, "role names, two per position (role index r of position p at 2 p + r); empty if the position has one role"),
  [SL_LSW_PARAM_LABELS] = STRS("param_labels", SL_LD_NPAR, "per parameter (column of params): a categorical parameter's listed values joined by '|', the column holding the index of one of them (0 first); empty for a numeric parameter"),
  [SL_LSW_NAME] = ATTR("name", SL_H5_STR, "", "the sweep's name"),
  [SL_LSW_DESIGN] = ATTR("design", SL_H5_STR, "", "grid, random or lhs"),
  [SL_LSW_SEED] = ATTR("seed", SL_H5_I64, "1", "seed of the design"),
  [SL_LSW_COMBINATIONS] = ATTR("combinations", SL_H5_I64, "1", "parameter combinations"),
  [SL_LSW_UNITS] = ATTR("units", SL_H5_I64, "1", "units of work: combinations x positions"),
  [SL_LSW_BLOCK_UNITS] = ATTR("block_units", SL_H5_I64, "1", "units per block"),
  [SL_LSW_COMPLETE] = ATTR("complete", SL_H5_I64, "1", "1 if every block is in the file"),
  [SL_LSW_BLOCKS_DONE] = ATTR("blocks_done", SL_H5_I64, "1", "blocks in the file"),
  [SL_LSW_BLOCKS] = ATTR("blocks", SL_H5_I64, "1", "blocks of the sweep"),
  [SL_LSW_SECONDS_LAST_RUN] = ATTR("seconds_last_run", SL_H5_F64, "s", "wall time of the last run (a timing)"),
  [SL_LSW_POSTURES_LAST_RUN] = ATTR("postures_last_run", SL_H5_I64, "1", "body-postures evaluated by the last run"),
};

const slLayoutItem sl_layout_sweep_metrics[SL_SM_COUNT] = {
  [SL_SM_LOAD_INDEX] = COL("load_index", SL_H5_F64, "1", "load index"),
  [SL_SM_COMP_L5S1] = COL("peak_compression_L5S1", SL_H5_F64, "N", "peak L5/S1 compression"),
  [SL_SM_COMP_L4L5] = COL("peak_compression_L4L5", SL_H5_F64, "N", "peak L4/L5 compression"),
  [SL_SM_COMP_L3L4] = COL("peak_compression_L3L4", SL_H5_F64, "N", "peak L3/L4 compression"),
  [SL_SM_COMP_L2L3] = COL("peak_compression_L2L3", SL_H5_F64, "N", "peak L2/L3 compression"),
  [SL_SM_COMP_L1L2] = COL("peak_compression_L1L2", SL_H5_F64, "N", "peak L1/L2 compression"),
  [SL_SM_COMP_T12L1] = COL("peak_compression_T12L1", SL_H5_F64, "N", "peak T12/L1 compression"),
  [SL_SM_MEAN_COMP_L4L5] = COL("mean_compression_L4L5", SL_H5_F64, "N", "mean L4/L5 compression"),
  [SL_SM_PEAK_SHEAR] = COL("peak_shear", SL_H5_F64, "N", "peak shear of any level"),
  [SL_SM_PEAK_IDP_L4L5] = COL("peak_idp_L4L5", SL_H5_F64, "MPa", "peak L4/L5 intradiscal pressure"),
  [SL_SM_FLEX_ROM] = COL("lumbar_flexion_pct_rom", SL_H5_F64, "%", "peak lumbar flexion, % of range of motion"),
  [SL_SM_EXT_ROM] = COL("lumbar_extension_pct_rom", SL_H5_F64, "%", "peak lumbar extension, % of range of motion"),
  [SL_SM_LAT_ROM] = COL("lateral_bend_pct_rom", SL_H5_F64, "%", "peak lateral bend, % of range of motion"),
  [SL_SM_TWIST_ROM] = COL("twist_pct_rom", SL_H5_F64, "%", "peak twist, % of range of motion"),
  [SL_SM_MAX_RESERVE] = COL("max_reserve", SL_H5_F64, "N m", "largest reserve moment"),
  [SL_SM_SCORE_FLEX] = COL("score_flexion_intolerant", SL_H5_F64, "1", "phenotype score, flexion-intolerant"),
  [SL_SM_SCORE_EXT] = COL("score_extension_intolerant", SL_H5_F64, "1", "phenotype score, extension-intolerant"),
  [SL_SM_SCORE_COMP] = COL("score_compression_sensitive", SL_H5_F64, "1", "phenotype score, compression-sensitive"),
};

const slLayoutItem sl_layout_sweep_index[SL_LSI_COUNT] = {
  [SL_LSI_COMBINATION] = COL("combination", SL_H5_I32, "1", "combination index"),
  [SL_LSI_POSITION] = COL("position", SL_H5_I32, "1", "position index into /sweep/position_names"),
  [SL_LSI_ROLE] = COL("role", SL_H5_I32, "1", "role index (0 or 1)"),
};
const slLayoutItem sl_layout_sweep_status[1] = {COL("status", SL_H5_I32, "1", "row status")};
// clang-format on

#define T(name, group, arr) \
  { name, group, arr, (int)(sizeof arr / sizeof arr[0]) }
static const slLayoutTable RUN[] = {
    T("meta", SL_LAYOUT_META, sl_layout_meta),
    T("model", SL_LAYOUT_MODEL, sl_layout_model),
    T("postures", SL_LAYOUT_POSTURES, sl_layout_postures),
    T("results", SL_LAYOUT_RESULTS, sl_layout_results),
};
static const slLayoutTable RANK[] = {
    T("meta", SL_LAYOUT_META, sl_layout_meta),
    T("position", SL_LAYOUT_POSITIONS "/<name>", sl_layout_position),
    T("role", SL_LAYOUT_POSITIONS "/<name>/<role>", sl_layout_role),
    T("role results", SL_LAYOUT_POSITIONS "/<name>/<role>", sl_layout_results),
    T("role model", SL_LAYOUT_POSITIONS "/<name>/<role>/" SL_LAYOUT_ROLE_MODEL, sl_layout_model),
    {"ranking", "", &sl_layout_ranking, 1},
    T("ranking columns", SL_LAYOUT_RANKING, sl_layout_ranking_columns),
    T("uncertainty", SL_LAYOUT_UNCERTAINTY, sl_layout_uncertainty),
};
static const slLayoutTable SWEEP[] = {
    T("meta", SL_LAYOUT_META, sl_layout_meta),
    T("sweep", SL_LAYOUT_SWEEP, sl_layout_sweep),
    T("metrics columns", SL_LAYOUT_SWEEP "/metrics", sl_layout_sweep_metrics),
    T("index columns", SL_LAYOUT_SWEEP "/index", sl_layout_sweep_index),
    T("status columns", SL_LAYOUT_SWEEP "/status", sl_layout_sweep_status),
};
#undef T

const slLayoutTable* sl_layout_file(slLayoutFile kind, int* n) {
  switch (kind) {
    case SL_LAYOUT_RUN:
      *n = (int)(sizeof RUN / sizeof RUN[0]);
      return RUN;
    case SL_LAYOUT_RANK:
      *n = (int)(sizeof RANK / sizeof RANK[0]);
      return RANK;
    case SL_LAYOUT_SWEEPFILE:
      *n = (int)(sizeof SWEEP / sizeof SWEEP[0]);
      return SWEEP;
  }
  *n = 0;
  return NULL;
}

static size_t size_of(int d, const slLayoutSizes* s) {
  if (d > 0) return (size_t)d;
  switch (d) {
    case SL_LD_ROWS:
      return s->rows;
    case SL_LD_NCOORD:
      return s->ncoord;
    case SL_LD_NMUS:
      return s->nmus;
    case SL_LD_NSEG:
      return s->nseg;
    case SL_LD_NCONTACT:
      return s->ncontact;
    case SL_LD_NJDOF:
      return s->njdof;
    case SL_LD_NPART:
      return s->npart;
    case SL_LD_NGROUP:
      return s->ngroup;
    case SL_LD_NLAND:
      return s->nland;
    case SL_LD_NPOS:
      return s->npos;
    case SL_LD_NROLE:
      return s->nrole;
    case SL_LD_NPAR:
      return s->npar;
    case SL_LD_NFILE:
      return s->nfile;
    case SL_LD_NVAR:
      return s->nvar;
    case SL_LD_NIN:
      return s->nin;
    case SL_LD_NROW:
      return s->nrow;
    case SL_LD_NLINE:
      return s->nline;
    default:
      return 0;
  }
}

int sl_layout_dims(const slLayoutItem* it, const slLayoutSizes* sz, size_t dims[4]) {
  for (int k = 0; k < 4; k++) dims[k] = k < it->rank ? size_of(it->dim[k], sz) : 1;
  return it->rank;
}

void sl_layout_shape_text(const slLayoutItem* it, char* buf, size_t n) {
  static const char* const sym[] = {"n",     "ncoord", "m",     "s",    "c",      "nj",
                                    "parts", "ng",     "nland", "npos", "2 npos", "npar",
                                    "files", "N",      "nin",   "rows", "lines"};
  size_t                   at = 0;
  if (n) buf[0] = 0;
  for (int k = 0; k < it->rank && at < n; k++) {
    int d = it->dim[k];
    int w = d > 0 ? snprintf(buf + at, n - at, "%s%d", k ? " x " : "", d)
                  : snprintf(buf + at, n - at, "%s%s", k ? " x " : "", sym[-d]);
    if (w < 0) return;
    at += (size_t)w;
  }
}

const char* sl_layout_path(char* buf, size_t n, const char* group, const slLayoutItem* it) {
  snprintf(buf, n, "%s/%s", group, it->path);
  return buf;
}

void sl_layout_column_names(const slLayoutItem* cols, int n, const char** names) {
  for (int k = 0; k < n; k++) names[k] = cols[k].path;
}

void sl_layout_column_units(const slLayoutItem* cols, int n, const char** units) {
  for (int k = 0; k < n; k++) units[k] = cols[k].units;
}

slStatus sl_layout_write(slH5* f, const char* group, const slLayoutItem* it, const size_t* dims,
                         const void* data, slError* err) {
  char path[1024];
  return sl_h5_write(f, sl_layout_path(path, sizeof path, group, it), it->type, it->rank, dims,
                     data, it->units, it->desc, err);
}

slStatus sl_layout_write_strings(slH5* f, const char* group, const slLayoutItem* it,
                                 const char* const* s, size_t n, slError* err) {
  char path[1024];
  return sl_h5_write_strings(f, sl_layout_path(path, sizeof path, group, it), s, n, it->desc, err);
}

slStatus sl_layout_not_a(const char* path, const char* kind, slStatus st, slError* err) {
  if (st != SL_ERR_HDF5 || !err) return st;
  char where[sizeof err->where], msg[sizeof err->msg];
  snprintf(where, sizeof where, "%.300s:%.200s", path, err->where);
  snprintf(msg, sizeof msg, "%.600s (not a complete spineload %s file)", err->msg, kind);
  return sl_fail(err, SL_ERR_PARSE, where, "%s", msg);
}
