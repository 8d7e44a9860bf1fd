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
#    kept as a body. Its oblique attachment points (EO1-4, IO1-3) become points of the model's
#    abdominal wall (segment name 'abdominal_wall' in the point table, coordinates in the pelvis
#    frame at the default pose): each moves as the blend of its pelvis image and its thorax image,
#    the thorax share being its fraction of the way up the linea alba (pubis to xiphoid, see the
#    abdominal_wall section of the model), and its pull is passed to both in those shares. Points keep their default-pose world position, so lines of action in
#    the default pose are unchanged. (An earlier conversion fixed them to the pelvis or the torso;
#    in flexion that turned EO1-2 into back extensors.)
# 1b. The aponeurosis does not end at that point: it inserts into the linea alba, which carries the
#    pull to a bony anchor. Each abdominal-wall path is continued by a straight piece to the anchor
#    its pull loads: the pubic symphysis (pelvis) for EO1-4, whose fibres pull the wall up toward
#    the ribs, and the xiphoid (thorax) for IO1-3, which pull it down toward the pelvis. The wall
#    point becomes a via point. Without this piece a straight line from a rib to a point that
#    moves with the wall swings behind the spine in deep flexion whatever the wall's motion, and the
#    fibre turns into a back extensor; with it the obliques stay flexors, as in vivo.
# 2. The lumbar couplers become the lumbar rhythm (shares per level); every lumbar level keeps three
#    independent coordinates so that the moment-arm matrix has 18 rows.
# 3. The patella coupler (knee_angle_beta = knee_angle) is substituted into the patella's axes.
# 4. Ranges of the coupled lumbar coordinates (unbounded in the source) are the L5/S1 range times
#    the coupler slope, i.e. the range the coupled source model reaches.
# 5. The pelvis is the root of a free-floating body: its three rotations are not anatomical, so
#    they get the full circle [-180, 180] deg (the source's [-90, 90] cannot turn a body to lie
#    supine or prone facing the other way, which two partners need).
# 6. Lumbar inertias (L1..L5) are Christophy et al. 2012's (the skeleton-only copy in
#    christophy2012_skeleton/bodies.csv): the derivative's are about 15 times larger (radius of
#    gyration about 0.3 m for a 1.7 kg vertebra with its trunk slice), which is not plausible.
#    Masses and centres of mass stay those of the primary model (identical masses in both).
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
CHRISTOPHY = {b["body"]: b for b in rows(os.path.join("christophy2012_skeleton", "bodies.csv"))}
LUMBAR_BODIES = {"lumbar1", "lumbar2", "lumbar3", "lumbar4", "lumbar5"}
# linea alba anchors (the landmarks 'pubis' and 'xiphoid' below), segment frame coordinates [m]
ANCHOR_EO = ["pelvis", 0.005, -0.085, 0.0]
ANCHOR_IO = ["torso", 0.08, 0.20, 0.0]


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
    ("xiphoid", "torso", (0.08, 0.20, 0.0), "xiphoid process, lower end of the sternum (about T9-T10): upper anchor of the linea alba"),
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

# Joint strength (peak isometric torque = c1 x body mass x g x stature, for torque along + and -
# the coordinate), reference pack physics-sources.md section 3. Anderson et al. 2007 (young adults,
# sex-specific c1) where they measured; otherwise a torque T measured in men, turned into c1 with
# the measured group's body (m g h) or, when not reported, a 75 kg, 1.75 m man (m g h = 1287.1 N m,
# the pack's reference body), and women's c1 = 0.85 x men's: women have about 0.6 of men's absolute
# strength (Danneskiold-Samsoe et al. 2009: men 1.5-2x; shoulder about 0.5), and the default
# bodies' m h ratio is 0.7065, so 0.6 / 0.7065 = 0.85.
G = 9.80665
MGH_REF = 75.0 * G * 1.75           # 1287.1 N m
MGH_GYMNAST = 69.6 * G * 1.732      # 1182.2 N m (Millard's gymnast set, an athlete: upper bound)
FEMALE = 0.6 / ((64.2 * 1.649) / (84.9 * 1.765))


def c1m(torque, mgh):
    return torque / mgh


STRENGTH = [
    # (coords, positive [male, female], negative [male, female], comment)
    (["hip_flexion_r", "hip_flexion_l"], (0.113, 0.127), (0.161, 0.181),
     "+ flexion / - extension: Anderson et al. 2007 Table 3 (young adults)"),
    (["hip_adduction_r", "hip_adduction_l"], (0.113, 0.127), (0.113, 0.127),
     "ab/adduction: not found; assumption: as hip flexion"),
    (["hip_rotation_r", "hip_rotation_l"], (0.057, 0.064), (0.057, 0.064),
     "rotation: not found; assumption: half of hip flexion"),
    (["knee_angle_r", "knee_angle_l"], (0.087, 0.080), (0.163, 0.159),
     "+ flexion / - extension: Anderson et al. 2007"),
    (["ankle_angle_r", "ankle_angle_l"], (0.033, 0.027), (0.095, 0.104),
     "+ dorsiflexion / - plantarflexion: Anderson et al. 2007"),
    (["subtalar_angle_r", "subtalar_angle_l"], (0.033, 0.027), (0.033, 0.027),
     "not found; assumption: as ankle dorsiflexion"),
    (["mtp_angle_r", "mtp_angle_l"], (0.033, 0.027), (0.033, 0.027),
     "not found; assumption: as ankle dorsiflexion"),
    (["neck_flexion"], (c1m(51, MGH_REF),) * 2, (c1m(30, MGH_REF),) * 2,
     "+ extension 51 / - flexion 30 N m, 9 men (Ann Biomed Eng 2014), 75 kg 1.75 m assumed"),
    (["neck_bending"], (c1m(32, MGH_REF),) * 2, (c1m(32, MGH_REF),) * 2,
     "lateral bending 32 N m, same study"),
    (["neck_rotation"], (c1m(13, MGH_REF),) * 2, (c1m(13, MGH_REF),) * 2,
     "axial rotation 13 N m, same study"),
    (["arm_flex_r", "arm_flex_l"], (c1m(89.9, MGH_REF),) * 2, (c1m(1.25 * 89.9, MGH_REF),) * 2,
     "+ flexion 89.9 N m (static, men, 26 M); - extension = 5/4 of it (ext:flex 5:4, 1985)"),
    (["arm_add_r", "arm_add_l"], (c1m(48.0, MGH_REF),) * 2, (c1m(24.0, MGH_REF),) * 2,
     "+ adduction 48.0 N m (isokinetic peak, men, Clin Biomech 1989); - abduction half (2:1)"),
    (["arm_rot_r", "arm_rot_l"], (c1m(50.5, MGH_GYMNAST),) * 2, (c1m(43.6, MGH_GYMNAST),) * 2,
     "+ internal 50.5 / - external 43.6 N m, Millard's gymnast (RBDL)"),
    (["elbow_flex_r", "elbow_flex_l"], (c1m(101.4, MGH_GYMNAST),) * 2,
     (c1m(69.9, MGH_GYMNAST),) * 2, "+ flexion 101.4 / - extension 69.9 N m, gymnast"),
    (["pro_sup_r", "pro_sup_l"], (c1m(13.5, MGH_GYMNAST),) * 2, (c1m(13.0, MGH_GYMNAST),) * 2,
     "+ supination 13.5 / - pronation 13.0 N m, gymnast"),
    (["wrist_flex_r", "wrist_flex_l"], (c1m(39.2, MGH_GYMNAST),) * 2,
     (c1m(15.6, MGH_GYMNAST),) * 2, "+ flexion 39.2 / - extension 15.6 N m, gymnast"),
    (["wrist_dev_r", "wrist_dev_l"], (c1m(31.4, MGH_GYMNAST),) * 2,
     (c1m(23.8, MGH_GYMNAST),) * 2, "+ ulnar 31.4 / - radial 23.8 N m deviation, gymnast"),
]


def strength_yaml():
    out = ["",
           "# Every joint outside the lumbar spine and the free root holds its equilibrium with a torque",
           "# actuator priced by its strength, cost (torque / strength)^p like a muscle's activation; a",
           "# posture needing more than the strength is flagged (status 'strength'). Strength = c1 x body",
           "# mass x g x stature [N m], c1 for [men, women], for torque along + and - the coordinate.",
           "# Sources (reference pack physics-sources.md section 3) and arithmetic: tools/convert_reference.py.",
           "joint_strength:"]
    for coords, pos, neg, note in STRENGTH:
        if pos[0] == pos[1] and len(set(pos)) == 1 and note.find("Anderson") < 0 and \
                note.find("assumption") < 0:
            pos = (pos[0], pos[0] * FEMALE)
            neg = (neg[0], neg[0] * FEMALE)
        out.append(f"  # {note}")
        out.append(f"  - {{coords: [{', '.join(coords)}], positive_c1: {vec(pos, 4)}, "
                   f"negative_c1: {vec(neg, 4)}}}")
    return "\n".join(out) + "\n"


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
  k: 1.5                  # IDP = p0 + k F / A, Nachemson; 1.5 for normal discs (physiology.md section 2)
  # cross-sections: the in-vivo subject's L4/L5 disc, 1800 mm^2 at stature 1.68 m (Wilke et al.
  # 2001), used for every level (no per-level source was found) and scaled with stature squared
  area_mm2: [1800, 1800, 1800, 1800, 1800, 1800]
  area_height_m: 1.68
  # p0, the swelling pressure of an unloaded disc: 0.10 MPa, the pressure lying at the start of the
  # night, before the disc re-swells to 0.24 MPa (Wilke et al. 1999; physiology.md section 1). It
  # enters the pressure only (IDP = p0 + k F / A), never the compression F, which is mechanical.
  pre_pressure_MPa: 0.10

# The abdominal wall: the aponeurosis points of the external and internal obliques (EO1-4, IO1-3;
# segment 'abdominal_wall' in the point table, pelvis-frame coordinates at the default pose) are
# neither on the pelvis nor on the thorax. The aponeurosis inserts into the linea alba, which runs
# from the xiphoid to the pubic symphysis. A point at fraction t of the way up that line (its
# default-pose projection) moves as (1 - t) x its pelvis image + t x its thorax image, the images
# being the two anchors plus the point's offset from the line, so its pull is passed to the pelvis
# and the thorax in those shares. This plays the part of the source model's virtual abdomen body
# (moved by the total lumbar angles) with a reaction that reaches both bony ends, as the linea
# alba's does. The anchors are the landmarks 'pubis' and 'xiphoid' (estimates, see landmarks).
abdominal_wall: {inferior: pelvis, superior: torso, inferior_anchor: pubis, superior_anchor: xiphoid}

# Intra-abdominal pressure (physics-sources.md section 1): a pressure p in [0, p_max] on the
# cavity's cross-section pushes the thorax away from the pelvis along the abdominal axis (the
# bisector of the pelvis and thorax long axes), through a point lever_m anterior of the level's
# joint centre, midway between its pelvis and its thorax image. It unloads the discs and extends
# the spine. It is an unknown of the static optimisation, like a muscle with strength p_max x area
# and cost cost_weight x (p / p_max)^p: the effort of the transversus abdominis, diaphragm and
# pelvic floor that build it (none of them is in the muscle table).
#   p_max 26.6 kPa: 200 mmHg in trained subjects (Essendrop 2003, as AnyBody's pressure actuator);
#   area 452 cm^2: AnyBody's abdominal column (radius 0.12 m), scaled with stature squared;
#   lever 0.08 m: midway between the front of the L3 vertebral body (2 cm anterior of the disc
#     centre) and the inner abdominal wall (the navel landmark, 0.17 m anterior of L3/L4, less 3
#     cm of wall): between the 0.07 m of a public single-equivalent model and Chaffin's 0.11 m (U);
#   cost_weight 200: set so that the model's IAP reaches 10 mmHg at 54 N m of L5/S1 extension
#     moment (standing, a load held in front of the chest), the threshold Marras & Mirka 1996
#     measured in 114 subjects; tests/test_scene.c checks it. It then predicts 4-6 kPa (40-60
#     cmH2O above rest) when lifting 20 kg, inside the measured 20 kg lifting range (O'Dell &
#     Morse 2007: 71 cmH2O including rest, 51-120). A single unpriced actuator (weight 1) would
#     take 15-27 kPa in every flexed task, far above what is measured.
iap:
  enabled: true
  p_max_kPa: 26.6
  area_cm2: 452
  lever_m: 0.08
  level: L3/L4
  cost_weight: 200
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
    w("# sacral_slope_deg: S1 end-plate angle to the horizontal in upright standing, a property of the")
    w("# person (used for the L5/S1 disc frame): 39.5 deg is the mean of 709 asymptomatic adults,")
    w("# 24-55 deg as mean +- 2 SD, no sex difference (Mac-Thiong et al. 2011, Eur Spine J 20 Suppl 5;")
    w("# reference pack physics-sources.md section 5)")
    w("subject: {sex: male, mass_kg: %s, height_m: %s, scaling: de_leva, sacral_slope_deg: 39.5}" % (fmt(REF_MASS, 4), fmt(REF_HEIGHT, 4)))
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
        src = CHRISTOPHY[name] if name in LUMBAR_BODIES else b
        I = [float(src[k]) for k in ("Ixx_kgm2", "Iyy_kgm2", "Izz_kgm2", "Ixy_kgm2", "Ixz_kgm2", "Iyz_kgm2")]
        note = "; Christophy et al. 2012 (decision 6)" if name in LUMBAR_BODIES else ""
        w(f"    inertia_kgm2: {vec(I, 8)}  # Ixx Iyy Izz Ixy Ixz Iyz about the CoM{note}")
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
    w("")
    w("muscles:")
    w("  table: trunk_muscles.csv")
    w("  points: trunk_muscle_points.csv")
    w("")
    w("# reference values printed next to the model's by `spineload model info` (geometry checks)")
    w("checks: {moment_arms_csv: moment_arm_reference.csv}")
    w("")
    w("landmarks:")
    for name, seg, p, what in LANDMARKS:
        w(f"  - {{name: {name}, segment: {seg}, pos_m: {vec(p)}}}  # {what}")
    with open(os.path.join(OUT, "lumbar_spine.yaml"), "w") as f:
        f.write("\n".join(L) + "\n" + strength_yaml() + TAIL)

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
            out = []
            for p in plist:
                seg = p["body"]
                xyz = [float(p["x_body_m"]), float(p["y_body_m"]), float(p["z_body_m"])]
                if seg == "Abdomen":
                    # a point of the abdominal wall, in the pelvis frame at the default pose
                    seg = "abdominal_wall"
                    world = [float(p[f"derived_default_pose_ground_{c}_m"]) for c in "xyz"]
                    xyz = [world[i] - origin["pelvis"][i] for i in range(3)]
                    reattached.append((m["muscle"], seg))
                out.append([seg] + xyz)
            if any(o[0] == "abdominal_wall" for o in out):
                # decision 1b: the aponeurosis continues along the linea alba to its bony anchor,
                # the pubic symphysis for the external oblique (pulled up toward the ribs), the
                # xiphoid for the internal oblique (pulled down toward the pelvis)
                anchor = ANCHOR_EO if m["muscle"].startswith("EO") else ANCHOR_IO
                lone_first = out[0][0] == "abdominal_wall"
                out = [anchor] + out if lone_first else out + [anchor]
            for k, o in enumerate(out):
                cw.writerow([m["muscle"], k + 1, o[0]] + [fmt(v, 7) for v in o[1:]])
    print(f"wrote {OUT}/lumbar_spine.yaml, trunk_muscles.csv ({len(muscles)} fascicles), "
          f"trunk_muscle_points.csv ({len(points)} points + 14 linea alba anchors; "
          f"{len(reattached)} on the abdominal wall)")
    print(f"reference subject: {REF_MASS:.3f} kg, stature {REF_HEIGHT:.4f} m")


if __name__ == "__main__":
    main()
