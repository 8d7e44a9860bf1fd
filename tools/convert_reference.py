#!/usr/bin/env python3
"""Convert the reference lumbar-spine model (../shared/reference/model/*.csv) into spineload's own
model files under models/.

Run from the repository root:  python3 tools/convert_reference.py [REFERENCE_DIR]

It writes models/lumbar_spine.yaml (skeleton, joints, coordinates, lumbar levels, landmarks,
mass groups), models/trunk_muscles.csv and models/trunk_muscle_points.csv. Only numbers are
carried over, re-expressed in spineload's format (angles in degrees, lengths in metres); the
decisions taken on the way are listed in models/ORIGIN.md and repeated as comments in the output.
The source files themselves are never copied into the project.
"""
import csv
import math
import os
import re
import sys

REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "reference", "model")
OUT = "models"
DEG = 180.0 / math.pi


def rows(name):
    with open(os.path.join(REF, name), newline="") as f:
        return list(csv.DictReader(f))


def fmt(x, nd=6):
    """compact decimal text for a float"""
    if abs(x) < 0.5 * 10 ** (-nd):
        return "0"
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def vec(v, nd=6):
    return "[" + ", ".join(fmt(x, nd) for x in v) + "]"


bodies = rows("bodies.csv")
coords = rows("coordinates.csv")
axes = rows("joint_transform_axes.csv")
muscles = rows("muscles.csv")
points = rows("muscle_path_points.csv")

# ---- decisions -----------------------------------------------------------------------------------
# 1. The virtual 'Abdomen' body (0.001 kg, driven by couplers to the total lumbar rotation) is not
#    kept. Its oblique attachment points are re-attached to a bony segment so that every fascicle
#    that used it spans the lumbar spine from thorax to pelvis: a point on 'Abdomen' moves to
#    'pelvis' when the fascicle's other end is on the torso, and to 'torso' when the other end is
#    on the pelvis (the aponeurosis transmits the pull to the opposite bony anchor). Points keep
#    their default-pose world position, so lines of action in the default pose are unchanged.
# 2. The lumbar couplers become the lumbar rhythm (shares per level); every lumbar level keeps three
#    independent coordinates so that the moment-arm matrix has 18 rows.
# 3. The patella coupler (knee_angle_beta = knee_angle) is substituted into the patella's axes.
# 4. Ranges of the coupled lumbar coordinates (unbounded in the source) are the L5/S1 range times
#    the coupler slope, i.e. the range the coupled source model reaches.
# 5. The pelvis is the root of a free-floating body: its three rotations are not anatomical, so
#    they get the full circle [-180, 180] deg (the source's [-90, 90] cannot turn a body to lie
#    supine or prone facing the other way, which two partners need).
ROOT_ROTATIONS = {"pelvis_tilt", "pelvis_list", "pelvis_rotation"}
SKIP_BODIES = {"Abdomen"}
SKIP_COORDS = {"Abs_r1", "Abs_r2", "Abs_r3", "Abs_t1", "Abs_t2", "knee_angle_r_beta",
               "knee_angle_l_beta"}
COUPLED_ALIAS = {"knee_angle_r_beta": "knee_angle_r", "knee_angle_l_beta": "knee_angle_l"}

LEVELS = [  # (level name, joint, child body, coordinate prefix)
    ("L5/S1", "L5_S1_IVDjnt", "lumbar5", "L5_S1"),
    ("L4/L5", "L4_L5_IVDjnt", "lumbar4", "L4_L5"),
    ("L3/L4", "L3_L4_IVDjnt", "lumbar3", "L3_L4"),
    ("L2/L3", "L2_L3_IVD_jnt", "lumbar2", "L2_L3"),
    ("L1/L2", "L1_L2_IVD_jnt", "lumbar1", "L1_L2"),
    ("T12/L1", "L1_T12_IVD_jnt", "torso", "L1_T12"),
]

# mass groups (de Leva 1996 Table 4 segments) and shares within a group. The trunk is split with
# Pearsall et al. 1996 (% body mass): T1-T12 sum 18.6 -> torso, L1..L5 2.4/2.4/2.3/2.6/2.6,
# lower trunk (pelvis) 10.7; total 41.6. Limb groups split by the source model's own masses.
PEARSALL = {"torso": 18.6, "lumbar1": 2.4, "lumbar2": 2.4, "lumbar3": 2.3, "lumbar4": 2.6,
            "lumbar5": 2.6, "pelvis": 10.7}
PEARSALL_TOTAL = 41.6
GROUP_OF = {"head": "head", "humerus": "upper_arm", "ulna": "forearm", "radius": "forearm",
            "hand": "hand", "femur": "thigh", "patella": "thigh", "tibia": "shank",
            "talus": "foot", "calcn": "foot", "toes": "foot"}

bodyrow = {b["body"]: b for b in bodies}


def body_group(name):
    if name in PEARSALL:
        return "trunk", PEARSALL[name] / PEARSALL_TOTAL
    base = re.sub(r"_[rl]$", "", name)
    if base not in GROUP_OF:
        return None, 0.0
    g = GROUP_OF[base]
    side = name[-2:] if name.endswith(("_r", "_l")) else ""
    members = [b["body"] for b in bodies if b["body"].endswith(side) and
               GROUP_OF.get(re.sub(r"_[rl]$", "", b["body"])) == g] if side else [name]
    tot = sum(float(bodyrow[m]["mass_kg"]) for m in members)
    return g, float(bodyrow[name]["mass_kg"]) / tot


# ---- default-pose world positions of body origins (all trunk/limb frames parallel to ground) ----
origin = {b["body"]: (float(b["derived_default_pose_body_origin_ground_x_m"]),
                      float(b["derived_default_pose_body_origin_ground_y_m"]),
                      float(b["derived_default_pose_body_origin_ground_z_m"])) for b in bodies}

# reference stature: head CoM height + de Leva (male, VERT-CERV) CoM-to-vertex distance
head = bodyrow["head"]
head_com_y = origin["head"][1] + float(head["com_y_m"])
vertex_above_com = 0.5002 * 0.2429
REF_HEIGHT = head_com_y + vertex_above_com
REF_MASS = sum(float(b["mass_kg"]) for b in bodies if b["body"] not in SKIP_BODIES)

# ---- coordinates -----------------------------------------------------------------------------
coord_rows = [c for c in coords if c["coordinate"] not in SKIP_COORDS]
coupler_slope = {}
for cpl in rows("couplers.csv"):
    coupler_slope[cpl["dependent_coordinate"]] = (cpl["independent_coordinates"],
                                                  float(cpl["linear_slope"]))


def coord_type(name):
    return "translation" if name in ("pelvis_tx", "pelvis_ty", "pelvis_tz") else "rotation"


def coord_range(c):
    lo, hi = float(c["range_min"]), float(c["range_max"])
    if c["coordinate"] in ROOT_ROTATIONS:
        return -math.pi, math.pi
    if lo < -9999 and c["coordinate"] in coupler_slope:
        ind, k = coupler_slope[c["coordinate"]]
        src = next(x for x in coords if x["coordinate"] == ind)
        a, b = k * float(src["range_min"]), k * float(src["range_max"])
        lo, hi = min(a, b), max(a, b)
    return lo, hi


# ---- joints ----------------------------------------------------------------------------------
def parse_function(fun):
    """-> ('const', value) | ('linear', slope, intercept) | ('spline', xs, ys)"""
    fun = fun.strip()
    m = re.match(r"Multiplier\(scale=([-0-9.e]+);Constant\(([-0-9.e]+)\)\)", fun)
    if m:
        return ("const", float(m.group(1)) * float(m.group(2)))
    m = re.match(r"Constant\(([-0-9.e]+)\)", fun)
    if m:
        return ("const", float(m.group(1)))
    m = re.match(r"Linear\(slope,intercept=([-0-9.e]+) ([-0-9.e]+)\)", fun)
    if m:
        return ("linear", float(m.group(1)), float(m.group(2)))
    m = re.match(r"SimmSpline\(x=\[([^\]]*)\];y=\[([^\]]*)\]\)", fun)
    if m:
        return ("spline", [float(v) for v in m.group(1).split()],
                [float(v) for v in m.group(2).split()])
    raise ValueError("unknown function " + fun)


joint_axes = {}
for a in axes:
    joint_axes.setdefault(a["joint"], []).append(a)


def joint_axis_yaml(b):
    """list of YAML lines for the axes of body b's joint"""
    jt = b["joint_type"]
    name = b["joint"]
    out = []
    if jt == "WeldJoint":
        return out
    if jt == "PinJoint":
        cname = b["coordinates[min,max;default]{coupling}"].split("[")[0].strip()
        out.append(f"        - {{rotation: [0, 0, 1], coord: {cname}}}")
        return out
    if jt == "UniversalJoint":
        cn = [s.split("[")[0].strip() for s in b["coordinates[min,max;default]{coupling}"].split("|")]
        out.append(f"        - {{rotation: [1, 0, 0], coord: {cn[0]}}}")
        out.append(f"        - {{rotation: [0, 1, 0], coord: {cn[1]}}}")
        return out
    for a in sorted(joint_axes[name], key=lambda r: int(r["order"])):
        kind = "rotation" if a["transform_axis"].startswith("rotation") else "translation"
        ax = [float(a["axis_x"]), float(a["axis_y"]), float(a["axis_z"])]
        f = parse_function(a["function"])
        cname = COUPLED_ALIAS.get(a["coordinates"], a["coordinates"])
        if cname in SKIP_COORDS:
            raise ValueError("axis driven by a dropped coordinate: " + name)
        head_ = f"        - {{{kind}: {vec(ax, 8)}, "
        if f[0] == "const":
            if f[1] == 0.0:
                continue  # a zero constant axis does nothing
            val = f[1] * DEG if kind == "rotation" else f[1]
            unit = "value_deg" if kind == "rotation" else "value_m"
            out.append(head_ + f"{unit}: {fmt(val, 8)}}}")
        elif f[0] == "linear":
            if f[2] != 0.0:
                raise ValueError("linear with intercept in " + name)
            slope = f"" if f[1] == 1.0 else f", slope: {fmt(f[1], 8)}"
            out.append(head_ + f"coord: {cname}{slope}}}")
        else:
            xs = [x * DEG for x in f[1]]  # all spline drivers here are rotations (knee angles)
            if kind == "rotation":
                ys = "y_deg: " + vec([y * DEG for y in f[2]], 6)
            else:
                ys = "y_m: " + vec(f[2], 8)
            out.append(head_ + f"spline: {{coord: {cname}, x_deg: {vec(xs, 6)}, {ys}}}}}")
    return out


def frame_yaml(prefix, b, which):
    pos = [float(b[f"joint_loc_in_{which}_{c}_m"]) for c in "xyz"]
    rot = [float(b[f"joint_orient_in_{which}_{c}_rad"]) * DEG for c in "xyz"]
    s = f"{prefix}{{pos_m: {vec(pos)}"
    if any(abs(r) > 0 for r in rot):
        s += f", rot_deg: {vec(rot, 6)}"
    return s + "}"


# ---- landmarks (documented estimates; see ORIGIN.md) ---------------------------------------------
# Positions are in the segment frame (x anterior, y superior, z right at the default pose, when all
# these frames are parallel to the ground frame). They are skin-surface points estimated from the
# model's bone geometry (joint centres, muscle attachments) plus typical soft-tissue thickness;
# they are assumptions, to be refined by anyone with surface data.
LANDMARKS = [
    ("pubis", "pelvis", (0.005, -0.085, 0.0), "anterior pelvis over the pubic symphysis"),
    ("sacrum_back", "pelvis", (-0.175, -0.02, 0.0), "skin over the posterior sacrum"),
    ("ischium_r", "pelvis", (-0.115, -0.175, 0.055), "under the right ischial tuberosity, seated"),
    ("ischium_l", "pelvis", (-0.115, -0.175, -0.055), "under the left ischial tuberosity, seated"),
    ("perineum", "pelvis", (-0.09, -0.165, 0.0), "midline between the ischial tuberosities (genital contact from behind or below)"),
    ("buttock_r", "pelvis", (-0.19, -0.10, 0.075), "most posterior point of the right buttock"),
    ("buttock_l", "pelvis", (-0.19, -0.10, -0.075), "most posterior point of the left buttock"),
    ("buttocks", "pelvis", (-0.19, -0.10, 0.0), "midline between the buttocks, most posterior"),
    ("hip_side_r", "pelvis", (-0.07, -0.07, 0.185), "skin over the right greater trochanter"),
    ("hip_side_l", "pelvis", (-0.07, -0.07, -0.185), "skin over the left greater trochanter"),
    ("lower_back", "lumbar3", (-0.085, 0.015, 0.0), "skin over the L3 spinous process"),
    ("abdomen", "lumbar3", (0.17, 0.01, 0.0), "anterior abdominal wall at the navel"),
    ("waist_side_r", "lumbar3", (0.03, 0.01, 0.14), "right flank at the waist"),
    ("waist_side_l", "lumbar3", (0.03, 0.01, -0.14), "left flank at the waist"),
    ("upper_back", "torso", (-0.12, 0.27, 0.0), "skin between the scapulae (about T5)"),
    ("chest", "torso", (0.10, 0.28, 0.0), "skin over the sternum"),
    ("chest_side_r", "torso", (0.0, 0.22, 0.16), "right side of the rib cage"),
    ("chest_side_l", "torso", (0.0, 0.22, -0.16), "left side of the rib cage"),
    ("shoulder_r", "torso", (0.0, 0.37, 0.22), "lateral skin over the right shoulder"),
    ("shoulder_l", "torso", (0.0, 0.37, -0.22), "lateral skin over the left shoulder"),
    ("head_back", "head", (-0.09, 0.09, 0.0), "skin over the occiput"),
    ("head_side_r", "head", (0.0, 0.09, 0.08), "right side of the head (temple), on a pillow"),
    ("head_side_l", "head", (0.0, 0.09, -0.08), "left side of the head (temple), on a pillow"),
    ("forehead", "head", (0.10, 0.12, 0.0), "skin over the forehead"),
    ("elbow_r", "ulna_r", (-0.02, -0.03, 0.0), "skin over the right olecranon"),
    ("elbow_l", "ulna_l", (-0.02, -0.03, 0.0), "skin over the left olecranon"),
    ("hand_r", "hand_r", (0.0, -0.065, 0.0), "centre of the right palm"),
    ("hand_l", "hand_l", (0.0, -0.065, 0.0), "centre of the left palm"),
    ("thigh_front_r", "femur_r", (0.065, -0.20, 0.0), "anterior mid-thigh, right"),
    ("thigh_front_l", "femur_l", (0.065, -0.20, 0.0), "anterior mid-thigh, left"),
    ("thigh_back_r", "femur_r", (-0.06, -0.20, 0.0), "posterior mid-thigh, right"),
    ("thigh_back_l", "femur_l", (-0.06, -0.20, 0.0), "posterior mid-thigh, left"),
    ("knee_side_r", "femur_r", (0.0, -0.39, 0.055), "lateral skin of the right knee"),
    ("knee_side_l", "femur_l", (0.0, -0.39, -0.055), "lateral skin of the left knee"),
    ("knee_inner_r", "femur_r", (0.0, -0.39, -0.05), "medial skin of the right knee"),
    ("knee_inner_l", "femur_l", (0.0, -0.39, 0.05), "medial skin of the left knee"),
    ("ankle_side_r", "tibia_r", (0.0, -0.42, 0.045), "lateral malleolus, right"),
    ("ankle_side_l", "tibia_l", (0.0, -0.42, -0.045), "lateral malleolus, left"),
    ("knee_r", "tibia_r", (0.045, -0.06, 0.0), "skin over the right tibial tuberosity (kneeling)"),
    ("knee_l", "tibia_l", (0.045, -0.06, 0.0), "skin over the left tibial tuberosity (kneeling)"),
    ("heel_r", "calcn_r", (0.0, -0.01, 0.0), "sole under the right heel"),
    ("heel_l", "calcn_l", (0.0, -0.01, 0.0), "sole under the left heel"),
    ("forefoot_r", "calcn_r", (0.17, -0.01, 0.0), "sole under the right metatarsal heads"),
    ("forefoot_l", "calcn_l", (0.17, -0.01, 0.0), "sole under the left metatarsal heads"),
    ("instep_r", "calcn_r", (0.10, 0.05, 0.0), "top of the right foot (prone, kneeling)"),
    ("instep_l", "calcn_l", (0.10, 0.05, 0.0), "top of the left foot (prone, kneeling)"),
]


# hand-written sections appended to the converted model: every number carries its source
TAIL = """
# passive tissue of each lumbar motion segment (the same at every level). Angles x in degrees with
# posture signs (+ flexion, + right bend, + left twist); moments [N m] restore toward x = 0.
passive:
  # intervertebral disc alone, nonlinear (Han et al. 2010, as used in a public model; reference
  # pack physiology.md section 5): M = c1 x + c2 x^2 + c2abs x|x| + c3 x^3
  disc_moment:
    flexion: {c1: -0.4726, c2: 0.0141, c3: -0.002}   # x > 0 flexion, x < 0 extension
    lateral: {c1: -0.6989, c2abs: -0.0087}
    twist: {c1: -1.0191, c3: -0.0061}
  # whole motion segment, linear (Schmidt et al. 1998, physiology.md section 5); the disc carries
  # about 30 % of it, ligaments and facets the rest: their part is (1 - disc_share) x stiffness
  segment_stiffness_Nm_per_deg: {flexion: 1.8, extension: 2.6, lateral: 2.3, twist: 8.4}
  disc_share: 0.3
  # lever arm of the posterior ligaments (flavum, interspinous, supraspinous, capsules) behind the
  # disc centre: their tension in flexion, M / lever, adds to disc compression. Assumption from
  # typical lumbar anatomy (flavum about 3 cm, supraspinous about 6 cm behind the disc centre).
  ligament_lever_m: 0.045

# intervertebral discs
disc:
  k: 1.5                  # IDP = k F / A, Nachemson; 1.5 for normal discs (physiology.md section 2)
  # cross-sections: the in-vivo subject's L4/L5 disc, 1800 mm^2 at stature 1.68 m (Wilke et al.
  # 2001), used for every level (no per-level source was found) and scaled with stature squared
  area_mm2: [1800, 1800, 1800, 1800, 1800, 1800]
  area_height_m: 1.68
  # swelling pre-pressure of an unloaded disc: 0.10 MPa at the start of overnight lying (Wilke et
  # al. 1999, physiology.md section 1); enters as a compression A p / k
  pre_pressure_MPa: 0.10
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    L = []
    w = L.append
    w("# spineload model: lumbar spine, full body (reference geometry, unscaled)")
    w("# Generated by tools/convert_reference.py from the reference model (Pose2Sim full-body model")
    w("# with the Christophy 2012 / Beaucage-Gauvreau 2019 lumbar spine); see models/ORIGIN.md.")
    w("# Units: lengths m, masses kg, angles deg, forces N. Frames: x anterior, y superior, z right.")
    w("format: spineload-model/1")
    w("name: lumbar_spine")
    w("description: >-")
    w("  Full-body model with a detailed lumbar spine: pelvis, sacrum, L5..L1, thorax, head, arms,")
    w("  legs; six 3-DOF lumbar joints; 238 trunk muscle fascicles.")
    w("origin: ORIGIN.md")
    w("")
    w("# the body this geometry describes (stature derived: head CoM + de Leva head CoM-to-vertex)")
    w("reference_subject: {sex: male, mass_kg: %s, height_m: %s}" % (fmt(REF_MASS, 4), fmt(REF_HEIGHT, 4)))
    w("# the body to build; scaling: de_leva (masses from de Leva 1996 fractions, lengths by stature),")
    w("# proportional (all masses by body mass, lengths by stature) or none (as in this file)")
    w("subject: {sex: male, mass_kg: %s, height_m: %s, scaling: de_leva}" % (fmt(REF_MASS, 4), fmt(REF_HEIGHT, 4)))
    w("gravity_m_s2: 9.80665")
    w("")
    w("# de Leva P (1996) J Biomech 29(9):1223-1230, Table 4: segment mass as a fraction of body mass")
    w("mass_fractions:")
    w("  male: {head: 0.0694, trunk: 0.4346, upper_arm: 0.0271, forearm: 0.0162, hand: 0.0061, thigh: 0.1416, shank: 0.0433, foot: 0.0137}")
    w("  female: {head: 0.0668, trunk: 0.4257, upper_arm: 0.0255, forearm: 0.0138, hand: 0.0056, thigh: 0.1478, shank: 0.0481, foot: 0.0129}")
    w("")
    w("coordinates:")
    for c in coord_rows:
        name = c["coordinate"]
        t = coord_type(name)
        lo, hi = coord_range(c)
        d = float(c["default_value"])
        if t == "rotation":
            w(f"  - {{name: {name}, type: rotation, range_deg: [{fmt(lo * DEG, 4)}, {fmt(hi * DEG, 4)}], default_deg: {fmt(d * DEG, 4)}}}")
        else:
            w(f"  - {{name: {name}, type: translation, range_m: [{fmt(lo, 4)}, {fmt(hi, 4)}], default_m: {fmt(d, 4)}}}")
    w("")
    w("segments:")
    for b in bodies:
        name = b["body"]
        if name in SKIP_BODIES:
            continue
        g, share = body_group(name)
        w(f"  - name: {name}")
        w(f"    parent: {b['parent_body']}")
        w(f"    mass_kg: {fmt(float(b['mass_kg']), 6)}")
        if g:
            w(f"    mass_group: {{group: {g}, share: {fmt(share, 6)}}}")
        w(f"    com_m: {vec([float(b[f'com_{c}_m']) for c in 'xyz'])}")
        I = [float(b[k]) for k in ("Ixx_kgm2", "Iyy_kgm2", "Izz_kgm2", "Ixy_kgm2", "Ixz_kgm2", "Iyz_kgm2")]
        w(f"    inertia_kgm2: {vec(I, 8)}  # Ixx Iyy Izz Ixy Ixz Iyz about the CoM")
        w(f"    joint:")
        w(f"      name: {b['joint']}")
        w(frame_yaml("      in_parent: ", b, "parent"))
        w(frame_yaml("      in_child: ", b, "child"))
        ax = joint_axis_yaml(b)
        if ax:
            w("      axes:")
            L.extend(ax)
        else:
            w("      axes: []  # weld")
    w("")
    w("# lumbar levels, inferior to superior. 'segment' is the body just above the disc: the")
    w("# superior part of a level is that body and everything it carries.")
    w("lumbar:")
    w("  levels:")
    for lev, joint, child, pre in LEVELS:
        w(f"    - {{name: {lev}, segment: {child}, flexion: {pre}_Flex_Ext, lateral: {pre}_Lat_Bending, twist: {pre}_axial_rotation}}")
    slopes = {"Flex_Ext": [], "Lat_Bending": [], "axial_rotation": []}
    for lev, joint, child, pre in LEVELS:
        for k in slopes:
            dep = f"{pre}_{k}"
            slopes[k].append(1.0 if pre == "L5_S1" else coupler_slope[dep][1])
    w("  # lumbar rhythm: relative share of a total lumbar angle per level (L5/S1 first); the")
    w("  # reference model's coupler slopes (normalised to sum 1 when the model is compiled)")
    w(f"  rhythm:")
    w(f"    flexion: {vec(slopes['Flex_Ext'], 6)}")
    w(f"    lateral: {vec(slopes['Lat_Bending'], 6)}")
    w(f"    twist: {vec(slopes['axial_rotation'], 6)}")
    w("  # S1 end-plate angle to the horizontal in upright standing, used for the L5/S1 disc frame;")
    w("  # adult mean about 40 deg (design note section 3; e.g. Legaye et al. 1998 report 41 +- 8 deg)")
    w("  sacral_slope_deg: 40")
    w("")
    w("muscles:")
    w("  table: trunk_muscles.csv")
    w("  points: trunk_muscle_points.csv")
    w("")
    w("landmarks:")
    for name, seg, p, what in LANDMARKS:
        w(f"  - {{name: {name}, segment: {seg}, pos_m: {vec(p)}}}  # {what}")
    with open(os.path.join(OUT, "lumbar_spine.yaml"), "w") as f:
        f.write("\n".join(L) + "\n" + TAIL)

    # ---- muscles -------------------------------------------------------------------------------
    GROUP_ID = {
        "rectus abdominis": "rectus_abdominis",
        "psoas major (lumbar fascicle)": "psoas",
        "quadratus lumborum": "quadratus_lumborum",
        "multifidus": "multifidus",
        "iliocostalis lumborum pars lumborum": "iliocostalis_lumborum",
        "iliocostalis lumborum pars thoracis": "iliocostalis_thoracis",
        "longissimus thoracis pars thoracis": "longissimus_thoracis",
        "longissimus thoracis pars lumborum": "longissimus_lumborum",
        "external oblique": "external_oblique",
        "internal oblique": "internal_oblique",
        "latissimus dorsi": "latissimus_dorsi",
    }
    pts = {}
    for p in points:
        pts.setdefault(p["muscle"], []).append(p)
    with open(os.path.join(OUT, "trunk_muscles.csv"), "w", newline="") as f:
        f.write("# spineload trunk muscle table, generated by tools/convert_reference.py; see ORIGIN.md\n")
        f.write("# fmax_N: maximum isometric force; l_opt_m: optimal fibre length; l_slack_m: tendon slack\n")
        f.write("# length; pennation_deg at optimal length (carried over, unused by the straight-line model)\n")
        cw = csv.writer(f, lineterminator="\n")
        cw.writerow(["name", "group", "side", "fmax_N", "l_opt_m", "l_slack_m", "pennation_deg"])
        for m in muscles:
            cw.writerow([m["muscle"], GROUP_ID[m["muscle_group"]], m["side"],
                         fmt(float(m["max_isometric_force_N"]), 6),
                         fmt(float(m["optimal_fiber_length_m"]), 6),
                         fmt(float(m["tendon_slack_length_m"]), 6),
                         fmt(float(m["pennation_angle_at_optimal_rad"]) * DEG, 4)])
    reattached = []
    with open(os.path.join(OUT, "trunk_muscle_points.csv"), "w", newline="") as f:
        f.write("# spineload trunk muscle path points (straight lines between consecutive points), in the\n")
        f.write("# frame of the named segment [m]; generated by tools/convert_reference.py; see ORIGIN.md\n")
        cw = csv.writer(f, lineterminator="\n")
        cw.writerow(["muscle", "index", "segment", "x_m", "y_m", "z_m"])
        for m in muscles:
            plist = sorted(pts[m["muscle"]], key=lambda r: int(r["point_index"]))
            bodies_on = [p["body"] for p in plist]
            for p in plist:
                seg = p["body"]
                xyz = [float(p["x_body_m"]), float(p["y_body_m"]), float(p["z_body_m"])]
                if seg == "Abdomen":
                    other = [b for b in bodies_on if b != "Abdomen"]
                    seg = "pelvis" if other and other[0] == "torso" else "torso"
                    world = [float(p[f"derived_default_pose_ground_{c}_m"]) for c in "xyz"]
                    xyz = [world[i] - origin[seg][i] for i in range(3)]
                    reattached.append((m["muscle"], seg))
                cw.writerow([m["muscle"], p["point_index"], seg] + [fmt(v, 7) for v in xyz])
    print(f"wrote {OUT}/lumbar_spine.yaml, trunk_muscles.csv ({len(muscles)} fascicles), "
          f"trunk_muscle_points.csv ({len(points)} points; {len(reattached)} re-attached from Abdomen)")
    print(f"reference subject: {REF_MASS:.3f} kg, stature {REF_HEIGHT:.4f} m")


if __name__ == "__main__":
    main()
