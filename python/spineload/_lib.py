"""ctypes declarations of the parts of spineload.h the module uses, and how the library is found.

The structures mirror sim/spineload.h field by field (ctypes lays them out as the C compiler
does); tests/python/test_binding.py checks them against the library's own lookups and against the
HDF5 files the library writes.
"""

import ctypes as C
import ctypes.util
import os

NAME = 64  # SL_NAME
NLEVEL = 6  # SL_NLEVEL
NLDOF = 18  # SL_NLDOF

# slStatus, in the order of SL_STATUS_LIST
STATUS = ["SL_OK", "SL_ERR_ARG", "SL_ERR_NOMEM", "SL_ERR_IO", "SL_ERR_PARSE", "SL_ERR_KEY",
          "SL_ERR_TYPE", "SL_ERR_RANGE", "SL_ERR_MODEL", "SL_ERR_LAPACK", "SL_ERR_HDF5",
          "SL_ERR_INTERRUPTED", "SL_ERR_WRITE"]
# codes that mean bad input (ValueError); the others are run-time failures (RuntimeError)
INPUT_CODES = {1, 3, 4, 5, 6, 7, 8}

_d = C.c_double
_i = C.c_int
_l = C.c_long
_p = C.c_void_p
_dp = C.POINTER(C.c_double)
_ip = C.POINTER(C.c_int)
_name = C.c_char * NAME
_namep = C.POINTER(_name)


class slError(C.Structure):
    _fields_ = [("code", _i), ("where", C.c_char * 512), ("msg", C.c_char * 768)]


class slOverride(C.Structure):
    _fields_ = [("path", C.c_char_p), ("value", C.c_char_p), ("file", C.c_char_p),
                ("line", _i), ("col", _i)]


class slModel(C.Structure):
    _fields_ = [
        ("nseg", _i), ("ncoord", _i), ("naxis", _i), ("nknot", _i), ("nmus", _i), ("npt", _i),
        ("ngroup", _i), ("ncross", _i), ("nland", _i), ("njdof", _i), ("nwrap", _i), ("nmwrap", _i),
        ("name", _name), ("files", C.c_char * 2048), ("check_moment_arms", C.c_char * 1024),
        ("sex", _i), ("body_mass", _d), ("height", _d), ("ref_mass", _d), ("ref_height", _d),
        ("gravity", _d * 3), ("total_mass", _d), ("strength_scale", _d),
        ("seg_name", _namep), ("jnt_name", _namep), ("seg_parent", _ip), ("seg_mass", _dp),
        ("seg_com", _dp), ("seg_inertia", _dp), ("seg_ppos", _dp), ("seg_prot", _dp),
        ("seg_cpos", _dp), ("seg_crot", _dp), ("seg_axadr", _ip), ("seg_axnum", _ip),
        ("seg_above", C.POINTER(C.c_uint)),
        ("ax_type", _ip), ("ax_fun", _ip), ("ax_coord", _ip), ("ax_dir", _dp), ("ax_lin", _dp),
        ("ax_knotadr", _ip), ("ax_knotnum", _ip), ("knot_x", _dp), ("knot_c", _dp),
        ("ax_seg", _ip), ("ax_jdof", _ip),
        ("coord_name", _namep), ("coord_type", _ip), ("coord_range", _dp),
        ("coord_default", _dp),
        ("lev_name", (C.c_char * 8) * NLEVEL), ("lev_seg", _i * NLEVEL),
        ("lev_coord", (_i * 3) * NLEVEL), ("rhythm", (_d * NLEVEL) * 3), ("sacral_slope", _d),
        ("s1_axis", _d * 3), ("t12_axis", _d * 3), ("ldof_coord", _i * NLDOF),
        ("ldof_ax", _i * NLDOF), ("root_coord", _i * 6), ("hip_coord", _i * 2),
        ("hip_seg", _i * 2),
        ("jdof_coord", _ip), ("jdof_strength", _dp), ("seg_jdofs", C.POINTER(C.c_ulonglong)),
        ("abd_seg", _i * 2), ("abd_anchor", _i * 2),
        ("iap_on", _i), ("iap_pmax", _d), ("iap_area", _d), ("iap_weight", _d),
        ("iap_point", (_d * 3) * 2),
        ("mus_name", _namep), ("group_name", _namep), ("mus_group", _ip), ("mus_side", _ip),
        ("mus_fmax", _dp), ("mus_lev0", _ip), ("mus_nlev", _ip), ("mus_ptadr", _ip),
        ("mus_ptnum", _ip), ("pt_seg", _ip), ("pt_pos", _dp), ("pt_abd", _ip),
        ("pt_share", _dp), ("pt_pos2", _dp),
        ("cross_mus", _ip), ("cross_pt", _ip), ("cross_lev", _ip), ("cross_nb", _ip),
        ("cross_img", _ip), ("cross_share", _dp), ("cross_first", _ip),
        ("wrapping_on", _i), ("wrap_name", _namep), ("wrap_shape", _ip), ("wrap_seg", _ip),
        ("wrap_dim", _dp), ("wrap_pos", _dp), ("wrap_rot", _dp), ("wrap_qaxis", _ip),
        ("wrap_qsign", _ip), ("wrap_active", _ip), ("mus_wrapadr", _ip), ("mus_wrapnum", _ip),
        ("mw_obj", _ip), ("mw_pt0", _ip), ("mw_pt1", _ip),
        ("pas_disc", (_d * 4) * 3), ("pas_lig", _d * 4), ("pas_lever", _d),
        ("disc_area", _d * NLEVEL), ("disc_k", _d), ("disc_pre", _d),
        ("land_name", _namep), ("land_seg", _ip), ("land_pos", _dp),
        ("seg_by_name", _ip), ("coord_by_name", _ip), ("land_by_name", _ip),
        ("group_by_name", _ip),
        ("xl_adr", _i * (NLEVEL + 1)), ("xl_cross", _ip), ("xl_pc", _ip), ("xl_img", _ip),
        ("xl_rm", _ip), ("xl_sg", _dp),
    ]


class slSoOpt(C.Structure):
    _fields_ = [("criterion", _i), ("maxiter", _i), ("tol", _d), ("reserve_r0", _d),
                ("reserve_flag", _d), ("contact_c0", _d), ("warm", _i), ("linalg", _i)]


POSTURE_MAXSET = 64


class slPosture(C.Structure):
    _fields_ = [
        ("root", _i), ("pelvis_rot", _d * 3), ("pelvis_pos", _d * 3), ("lumbar", _d * 3),
        ("per_level", _i), ("level", (_d * 3) * NLEVEL),
        ("hip_flex", _d * 2), ("hip_add", _d * 2), ("hip_rot", _d * 2), ("knee", _d * 2),
        ("ankle", _d * 2), ("shoulder_flex", _d * 2), ("shoulder_add", _d * 2),
        ("shoulder_rot", _d * 2), ("elbow", _d * 2), ("neck_flex", _d),
        ("nset", _i), ("set_coord", _i * POSTURE_MAXSET), ("set_value", _d * POSTURE_MAXSET),
    ]


class slScenarioPosture(C.Structure):
    _fields_ = [("name", _name), ("where", C.c_char * 256), ("description", C.c_char * 1024),
                ("posture", slPosture), ("nload", _i), ("loads", _p), ("nsupport", _i),
                ("supports", _p), ("balance", _i), ("frame", _i), ("time", _d), ("nrate", _i),
                ("rate_coord", _p), ("rate", _p), ("accel", _p), ("smoothing", _d)]


class slScenario(C.Structure):
    _fields_ = [("name", _name), ("file", C.c_char * 1024), ("model_path", C.c_char * 1024),
                ("nset", _i), ("set", C.POINTER(slOverride)), ("so", slSoOpt), ("npost", _i),
                ("post", C.POINTER(slScenarioPosture)), ("text", C.c_char_p),
                ("model", C.POINTER(slModel)), ("priv", _p)]


# slResults: the sizes, then the arrays in header order: (name, C type, shape in terms of the sizes)
RESULTS_ARRAYS = [
    ("q", _d, ("n", "ncoord")), ("status", _i, ("n",)), ("iter", _i, ("n",)),
    ("resid", _d, ("n",)), ("max_reserve", _d, ("n",)), ("cost", _d, ("n",)),
    ("reserve", _d, ("n", 18)), ("root_reserve", _d, ("n", 6)),
    ("demand_force", _d, ("n", 6, 3)), ("demand_moment", _d, ("n", 6, 3)),
    ("tau", _d, ("n", 18)), ("pas_moment", _d, ("n", 18)), ("lig_force", _d, ("n", 6)),
    ("disc_frame", _d, ("n", 6, 3, 3)), ("lev_pos", _d, ("n", 6, 3)), ("comp", _d, ("n", 6)),
    ("shear_ap", _d, ("n", 6)), ("shear_lat", _d, ("n", 6)), ("resultant", _d, ("n", 6)),
    ("idp", _d, ("n", 6)), ("mus_force", _d, ("n", "nmus")), ("mus_len", _d, ("n", "nmus")),
    ("mus_R", _d, ("n", 18, "nmus")), ("seg_pos", _d, ("n", "nseg", 3)),
    ("seg_rot", _d, ("n", "nseg", 3, 3)), ("com", _d, ("n", 3)),
    ("contact_force", _d, ("n", "maxcontact", 3)), ("contact_pos", _d, ("n", "maxcontact", 3)),
    ("contact_slide", _i, ("n", "maxcontact")), ("contact_slip", _d, ("n", "maxcontact")),
    ("jdof_tau", _d, ("n", "njdof")), ("jdof_torque", _d, ("n", "njdof")),
    ("jdof_share", _d, ("n", "njdof")), ("jdof_reserve", _d, ("n", "njdof")),
    ("iap", _d, ("n",)), ("iap_force", _d, ("n", 3)), ("iap_moment", _d, ("n", 18)),
    ("comp_parts", _d, ("n", 6, "npart")),
]
RES_FRAMES = 1
RES_MOMENT_ARMS = 2


class slResults(C.Structure):
    _fields_ = ([(k, _i) for k in ("n", "ncoord", "nseg", "nmus", "maxcontact", "flags", "njdof",
                                    "npart")]
                + [(name, C.POINTER(t)) for name, t, _ in RESULTS_ARRAYS])


class slSweepProgress(C.Structure):
    _fields_ = [("stage", _i), ("resumed", _i), ("blocks", _l), ("blocks_resumed", _l),
                ("units_total", _l), ("units_done", _l), ("postures", _l), ("seconds", _d),
                ("units_all", _l)]


STOP_FN = C.CFUNCTYPE(_i, _p)
PROGRESS_FN = C.CFUNCTYPE(None, _p, C.POINTER(slSweepProgress))


class slSweepRunOpt(C.Structure):
    _fields_ = [("out", C.c_char_p), ("resume", _i), ("threads", _i), ("argc", _i),
                ("argv", C.POINTER(C.c_char_p)), ("stop", STOP_FN), ("progress", PROGRESS_FN),
                ("ctx", _p)]


class slSweepRunInfo(C.Structure):
    _fields_ = [("name", C.c_char_p), ("combinations", _l), ("positions", _i), ("units", _l),
                ("blocks", _l), ("resumed", _i), ("blocks_resumed", _l), ("blocks_done", _l),
                ("postures", _l), ("seconds", _d), ("kept_earlier", _i), ("complete", _i)]


class slSweepSensitivity(C.Structure):
    _fields_ = [("parameter", C.c_char_p), ("position", C.c_char_p), ("role", C.c_char_p),
                ("rho", _d), ("n", _i)]


class slSweepRankStat(C.Structure):
    _fields_ = [("position", C.c_char_p), ("mean_rank", _d), ("sd_rank", _d), ("best", _i),
                ("worst", _i)]


class slSweepSummary(C.Structure):
    _fields_ = [("combinations", _l), ("nsens", _i), ("sens", C.POINTER(slSweepSensitivity)),
                ("npos", _i), ("pos", C.POINTER(slSweepRankStat)), ("used", _l),
                ("kendall_w", _d), ("priv", _p), ("complete", _i), ("blocks_done", _l),
                ("blocks", _l), ("rows", _l), ("flagged", _l), ("failed", _l)]


# ---- finding the library -------------------------------------------------------------------------
_HERE = os.path.dirname(os.path.abspath(__file__))


def candidates():
    """Where the shared library is looked for, in order."""
    out = []
    env = os.environ.get("SPINELOAD_LIB")
    if env:
        out.append(env)
    try:  # written by `cmake --install`: the library directory relative to this package
        from . import _installed  # noqa: PLC0415

        out.append(os.path.normpath(os.path.join(_HERE, _installed.LIBDIR, "libspineload.so")))
    except ImportError:
        pass
    # the checkout: python/spineload -> the source tree's build directory
    out.append(os.path.normpath(os.path.join(_HERE, "..", "..", "build", "libspineload.so")))
    found = ctypes.util.find_library("spineload")
    if found:
        out.append(found)
    return out


def load():
    tried = []
    for path in candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(path + " (no such file)")
            continue
        try:
            return C.CDLL(path), path
        except OSError as exc:
            tried.append("%s (%s)" % (path, exc))
            if path == os.environ.get("SPINELOAD_LIB"):
                break  # the library asked for does not load: do not take another
    raise ImportError("spineload: cannot load libspineload.so; set SPINELOAD_LIB to its path. "
                      "Tried: " + "; ".join(tried))


def declare(lib):
    """Argument and result types of the functions used."""
    P = C.POINTER
    E = P(slError)
    st = C.c_int
    ov = P(slOverride)

    def fn(name, res, *args):
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = list(args)

    fn("sl_version", C.c_char_p)
    fn("sl_build_summary", C.c_char_p)
    fn("sl_source_path", _i, C.c_char_p, C.c_char_p, _i)
    fn("sl_status_str", C.c_char_p, _i)
    fn("sl_model_load", st, P(P(slModel)), C.c_char_p, ov, _i, E)
    fn("sl_model_free", None, P(slModel))
    fn("sl_model_coord", _i, P(slModel), C.c_char_p)
    fn("sl_model_landmark", _i, P(slModel), C.c_char_p)
    fn("sl_model_segment", _i, P(slModel), C.c_char_p)
    fn("sl_model_group", _i, P(slModel), C.c_char_p)
    fn("sl_scenario_load", st, P(P(slScenario)), C.c_char_p, ov, _i, E)
    fn("sl_scenario_parse", st, P(P(slScenario)), C.c_char_p, C.c_size_t, C.c_char_p,
       P(slModel), E)
    fn("sl_scenario_free", None, P(slScenario))
    fn("sl_run_scenario", st, P(slScenario), _i, _i, P(P(slResults)), E)
    fn("sl_run_write_h5", st, P(slScenario), P(slResults), C.c_char_p, _i, P(C.c_char_p), E)
    fn("sl_results_free", None, P(slResults))
    fn("sl_part_count", _i, P(slModel))
    fn("sl_part_name", C.c_char_p, P(slModel), _i)
    fn("sl_position_files", st, P(C.c_char_p), _i, P(P(_p)), P(_i), E)
    fn("sl_rank_run", st, P(C.c_char_p), _i, ov, _i, _i, P(_p), E)
    fn("sl_rank_free", None, _p)
    fn("sl_rank_text", st, _p, _i, P(_p), E)
    fn("sl_rank_write_h5", st, _p, C.c_char_p, _i, P(C.c_char_p), E)
    fn("sl_sweep_open", st, P(_p), C.c_char_p, ov, _i, E)
    fn("sl_sweep_free", None, _p)
    fn("sl_sweep_run", st, _p, P(slSweepRunOpt), P(slSweepRunInfo), E)
    fn("sl_sweep_summary", st, C.c_char_p, P(P(slSweepSummary)), E)
    fn("sl_sweep_summary_free", None, P(slSweepSummary))
    fn("sl_option_count", _i)
    fn("sl_batch_default_threads", _i)
    libc = C.CDLL(None)
    libc.free.argtypes = [_p]
    libc.free.restype = None
    return libc
