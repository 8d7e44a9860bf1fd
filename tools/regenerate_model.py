#!/usr/bin/env python3
"""Regenerate spineload's shipped model files under models/ from the OpenSim source models, through
spineload's own importer (`spineload model import`, sim/io/sl_osim.c).

Run from the repository root, after building:

    python3 tools/regenerate_model.py [SPINELOAD] [SOURCES]

SPINELOAD is the built command (default build/spineload), SOURCES the directory holding the two
OpenSim files (default $SL_SHARED_SOURCES or /work/shared/sources):
perfanalytics_pose2sim/Model_Pose2Sim_muscles_flex.osim (the model) and
mjhmilla_kinematicPassengerModel/Christophy2012_axialRotationUpd_skeletonOnly.osim (its lumbar
inertias, decision 9). It writes models/lumbar_spine.yaml (skeleton, joints, coordinates, lumbar
levels, landmarks, mass groups, joint strengths, tissue), models/trunk_muscles.csv and
models/trunk_muscle_points.csv. Everything the OpenSim files hold comes from the importer's output
at its full precision (the mechanical conversions are the importer's: couplers to rhythm, the
virtual abdomen to abdominal-wall points, free-root ranges); the project's own decisions, listed
in models/ORIGIN.md, are applied here and repeated as comments in the output. tests/test_osim.c
checks that the shipped files equal the importer's output but for those decisions. The source
files themselves are never copied into the project.
"""
import csv
import math
import os
import re
import subprocess
import sys
import tempfile

import yaml

SPINELOAD = sys.argv[1] if len(sys.argv) > 1 else os.path.join("build", "spineload")
SOURCES = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("SL_SHARED_SOURCES",
                                                                 "/work/shared/sources")
P2S = os.path.join(SOURCES, "perfanalytics_pose2sim", "Model_Pose2Sim_muscles_flex.osim")
CHRISTOPHY = os.path.join(SOURCES, "mjhmilla_kinematicPassengerModel",
                          "Christophy2012_axialRotationUpd_skeletonOnly.osim")
OUT = "models"
DEG = 180.0 / math.pi


def fmt(x, nd=6):
    """compact decimal text for a float (the hand-written numbers)"""
    if abs(x) < 0.5 * 10 ** (-nd):
        return "0"
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def full(x):
    """a number from the importer, as the importer writes it (15 significant digits)"""
    x = float(x)
    return "0" if x == 0 else f"{x:.15g}"


def vec(v, nd=6):
    return "[" + ", ".join(fmt(x, nd) for x in v) + "]"


def fvec(v):
    return "[" + ", ".join(full(x) for x in v) + "]"


def imported(osim, name, tmp):
    """run the importer; -> (model dict, muscle rows, point rows)"""
    out = os.path.join(tmp, name)
    subprocess.run([SPINELOAD, "model", "import", osim, "-o", out, "-q",
                    "--omit=contact,wrapping,limb_muscles"], check=True)
    with open(os.path.join(out, "model.yaml")) as f:
        model = yaml.safe_load(f)

    def table(fname):
        path = os.path.join(out, fname)
        if not os.path.exists(path):
            return []
        with open(path, newline="") as f:
            return list(csv.DictReader(line for line in f if not line.startswith("#")))
    return model, table("muscles.csv"), table("muscle_points.csv")


with tempfile.TemporaryDirectory() as TMP:
    MODEL, MUSCLES, POINTS = imported(P2S, "p2s", TMP)
    SKELETON, _, _ = imported(CHRISTOPHY, "christophy", TMP)

# ---- decisions -----------------------------------------------------------------------------------
# Done by the importer (mechanical conversions; models/ORIGIN.md decisions 1-4 and the root):
#  - the virtual 'Abdomen' body (moved only by couplers to L5/S1) is not kept; its points are
#    points of the abdominal wall ('abdominal_wall' in the point table, pelvis frame at the default
#    pose) (decision 1);
#  - the lumbar couplers are the rhythm; every level keeps three independent coordinates; unbounded
#    ranges of coupled coordinates are the L5/S1 range times the slope (decisions 2 and 4);
#  - the patella coupler is substituted into the patella's axes (decision 3);
#  - the free root's rotations get the full circle (a body must lie supine or prone either way).
# Done here (the project's own decisions):
# 1b. The aponeurosis does not end at the wall point: it inserts into the linea alba, which carries
#    the pull to a bony anchor. Each abdominal-wall path is continued by a straight piece to the
#    anchor its pull loads: the pubic symphysis (pelvis) for EO1-4, whose fibres pull the wall up
#    toward the ribs, and the xiphoid (thorax) for IO1-3, which pull it down toward the pelvis. The
#    wall point becomes a via point. Without this piece a straight line from a rib to a point that
#    moves with the wall swings behind the spine in deep flexion whatever the wall's motion, and
#    the fibre turns into a back extensor; with it the obliques stay flexors, as in vivo.
# 4. Mass groups (de Leva) and shares within them, for building a subject.
# 6. Lumbar inertias (L1..L5) are Christophy et al. 2012's (the skeleton-only model): the
#    derivative's are about 15 times larger (radius of gyration about 0.3 m for a 1.7 kg vertebra
#    with its trunk slice), which is not plausible. Masses and centres of mass stay those of the
#    primary model (identical masses in both).
# Muscle groups: an OpenSim file has none (the ForceSet's groups are empty); they follow the
#    fascicle names of Christophy et al. 2012 (GROUP_RULES).

# mass groups (de Leva 1996 Table 4 segments) and shares within a group. The trunk is split with
# Pearsall et al. 1996 (% body mass): T1-T12 sum 18.6 -> torso, L1..L5 2.4/2.4/2.3/2.6/2.6,
# lower trunk (pelvis) 10.7; total 41.6. Limb groups split by the source model's own masses.
PEARSALL = {"torso": 18.6, "lumbar1": 2.4, "lumbar2": 2.4, "lumbar3": 2.3, "lumbar4": 2.6,
            "lumbar5": 2.6, "pelvis": 10.7}
PEARSALL_TOTAL = 41.6
GROUP_OF = {"head": "head", "humerus": "upper_arm", "ulna": "forearm", "radius": "forearm",
            "hand": "hand", "femur": "thigh", "patella": "thigh", "tibia": "shank",
            "talus": "foot", "calcn": "foot", "toes": "foot"}
LUMBAR_BODIES = {"lumbar1", "lumbar2", "lumbar3", "lumbar4", "lumbar5"}
# linea alba anchors (the landmarks 'pubis' and 'xiphoid' below), segment frame coordinates [m]
ANCHOR_EO = ["pelvis", 0.005, -0.085, 0.0]
ANCHOR_IO = ["torso", 0.08, 0.20, 0.0]
# muscle groups by fascicle name (first match)
GROUP_RULES = [
    (r"^rect_abd", "rectus_abdominis"), (r"^Ps_", "psoas"), (r"^QL_", "quadratus_lumborum"),
    (r"^MF_", "multifidus"), (r"^IL_L", "iliocostalis_lumborum"),
    (r"^IL_R", "iliocostalis_thoracis"), (r"^LTpT_", "longissimus_thoracis"),
    (r"^LTpL_", "longissimus_lumborum"), (r"^EO", "external_oblique"),
    (r"^IO", "internal_oblique"), (r"^LD_", "latissimus_dorsi"),
]

SEGMENTS = MODEL["segments"]
MASS = {s["name"]: float(s["mass_kg"]) for s in SEGMENTS}
CHRISTOPHY_SEG = {s["name"]: s for s in SKELETON["segments"]}


def body_group(name):
    if name in PEARSALL:
        return "trunk", PEARSALL[name] / PEARSALL_TOTAL
    base = re.sub(r"_[rl]$", "", name)
    if base not in GROUP_OF:
        return None, 0.0
    g = GROUP_OF[base]
    side = name[-2:] if name.endswith(("_r", "_l")) else ""
    members = [n for n in MASS if n.endswith(side) and
               GROUP_OF.get(re.sub(r"_[rl]$", "", n)) == g] if side else [name]
    return g, MASS[name] / sum(MASS[m] for m in members)


def muscle_group(name):
    for pat, g in GROUP_RULES:
        if re.match(pat, name):
            return g
    raise ValueError("no muscle group for " + name)


REF_MASS = float(MODEL["reference_subject"]["mass_kg"])
REF_HEIGHT = float(MODEL["reference_subject"]["height_m"])  # head CoM + de Leva head-to-vertex


def flow(d):
    """a YAML flow mapping of a dict from the importer (numbers at the importer's precision)"""
    items = []
    for k, v in d.items():
        if isinstance(v, dict):
            items.append(f"{k}: {flow(v)}")
        elif isinstance(v, list):
            items.append(f"{k}: {fvec(v)}")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            items.append(f"{k}: {full(v)}")
        else:
            items.append(f"{k}: {v}")
    return "{" + ", ".join(items) + "}"


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
           "# Sources (reference pack physics-sources.md section 3) and arithmetic: tools/regenerate_model.py.",
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
    w("# Generated by tools/regenerate_model.py from the OpenSim model (Pose2Sim full-body model with")
    w("# the Christophy 2012 / Beaucage-Gauvreau 2019 lumbar spine) through `spineload model import`;")
    w("# see models/ORIGIN.md.")
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
    w("gravity_m_s2: %s" % full(MODEL["gravity_m_s2"]))
    w("")
    w("# de Leva P (1996) J Biomech 29(9):1223-1230, Table 4: segment mass as a fraction of body mass")
    w("mass_fractions:")
    w("  male: {head: 0.0694, trunk: 0.4346, upper_arm: 0.0271, forearm: 0.0162, hand: 0.0061, thigh: 0.1416, shank: 0.0433, foot: 0.0137}")
    w("  female: {head: 0.0668, trunk: 0.4257, upper_arm: 0.0255, forearm: 0.0138, hand: 0.0056, thigh: 0.1478, shank: 0.0481, foot: 0.0129}")
    w("")
    w("coordinates:")
    for c in MODEL["coordinates"]:
        w("  - " + flow(c))
    w("")
    w("segments:")
    for s in SEGMENTS:
        name = s["name"]
        g, share = body_group(name)
        w(f"  - name: {name}")
        w(f"    parent: {s['parent']}")
        w(f"    mass_kg: {full(s['mass_kg'])}")
        if g:
            w(f"    mass_group: {{group: {g}, share: {fmt(share, 6)}}}")
        w(f"    com_m: {fvec(s['com_m'])}")
        src = CHRISTOPHY_SEG[name] if name in LUMBAR_BODIES else s
        note = "; Christophy et al. 2012 (decision 6)" if name in LUMBAR_BODIES else ""
        w(f"    inertia_kgm2: {fvec(src['inertia_kgm2'])}  # Ixx Iyy Izz Ixy Ixz Iyz about the CoM{note}")
        j = s["joint"]
        w(f"    joint:")
        w(f"      name: {j['name']}")
        w(f"      in_parent: {flow(j['in_parent'])}")
        w(f"      in_child: {flow(j['in_child'])}")
        if j.get("axes"):
            w("      axes:")
            for a in j["axes"]:
                w("        - " + flow(a))
        else:
            w("      axes: []  # weld")
    w("")
    w("# lumbar levels, inferior to superior. 'segment' is the body just above the disc: the")
    w("# superior part of a level is that body and everything it carries.")
    w("lumbar:")
    w("  levels:")
    for lev in MODEL["lumbar"]["levels"]:
        w("    - " + flow(lev))
    w("  # lumbar rhythm: relative share of a total lumbar angle per level (L5/S1 first); the")
    w("  # reference model's coupler slopes (normalised to sum 1 when the model is compiled)")
    w(f"  rhythm:")
    for k in ("flexion", "lateral", "twist"):
        w(f"    {k}: {fvec(MODEL['lumbar']['rhythm'][k])}")
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
    pts = {}
    for p in POINTS:
        pts.setdefault(p["muscle"], []).append(p)
    with open(os.path.join(OUT, "trunk_muscles.csv"), "w", newline="") as f:
        f.write("# spineload trunk muscle table, generated by tools/regenerate_model.py; see ORIGIN.md\n")
        f.write("# fmax_N: maximum isometric force; l_opt_m: optimal fibre length; l_slack_m: tendon slack\n")
        f.write("# length; pennation_deg at optimal length (carried over, unused by the straight-line model)\n")
        cw = csv.writer(f, lineterminator="\n")
        cw.writerow(["name", "group", "side", "fmax_N", "l_opt_m", "l_slack_m", "pennation_deg"])
        for m in MUSCLES:
            cw.writerow([m["name"], muscle_group(m["name"]), m["side"], m["fmax_N"], m["l_opt_m"],
                         m["l_slack_m"], m["pennation_deg"]])
    nwall = 0
    with open(os.path.join(OUT, "trunk_muscle_points.csv"), "w", newline="") as f:
        f.write("# spineload trunk muscle path points (straight lines between consecutive points), in the\n")
        f.write("# frame of the named segment [m]; generated by tools/regenerate_model.py; see ORIGIN.md\n")
        cw = csv.writer(f, lineterminator="\n")
        cw.writerow(["muscle", "index", "segment", "x_m", "y_m", "z_m"])
        for m in MUSCLES:
            out = [[p["segment"], p["x_m"], p["y_m"], p["z_m"]] for p in pts[m["name"]]]
            if any(o[0] == "abdominal_wall" for o in out):
                # decision 1b: the aponeurosis continues along the linea alba to its bony anchor,
                # the pubic symphysis for the external oblique (pulled up toward the ribs), the
                # xiphoid for the internal oblique (pulled down toward the pelvis)
                nwall += 1
                anchor = ANCHOR_EO if m["name"].startswith("EO") else ANCHOR_IO
                anchor = [anchor[0]] + [fmt(v, 7) for v in anchor[1:]]
                out = [anchor] + out if out[0][0] == "abdominal_wall" else out + [anchor]
            for k, o in enumerate(out):
                cw.writerow([m["name"], k + 1] + o)
    print(f"wrote {OUT}/lumbar_spine.yaml, trunk_muscles.csv ({len(MUSCLES)} fascicles), "
          f"trunk_muscle_points.csv ({len(POINTS)} points + {nwall} linea alba anchors)")
    print(f"reference subject: {REF_MASS:.3f} kg, stature {REF_HEIGHT:.4f} m")


if __name__ == "__main__":
    main()
