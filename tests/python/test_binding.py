"""The ctypes mirrors of spineload.h's structures (python/spineload/_lib.py) agree with the
library: names read through the slModel mirror match the library's lookups by name, and every
array read through the slResults mirror matches the run file the command writes."""

import os

import h5py
import numpy as np
import pytest
import yaml

import spineload
from spineload import _lib

L = spineload._L


def strings(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


@pytest.fixture(scope="module")
def basic(src):
    return os.path.join(src, "scenarios", "examples", "basic.yaml")


@pytest.fixture(scope="module")
def run_file(cli, basic, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "basic.h5"
    cli("run", basic, "-o", out, "--quiet")
    return str(out)


@pytest.fixture(scope="module")
def model(basic):
    doc = yaml.safe_load(open(basic))
    body = os.path.join(os.path.dirname(basic), doc["body"])
    return spineload.load_model(body, set=doc.get("set"))


def test_library_is_the_one_asked_for():
    want = os.environ.get("SPINELOAD_LIB")
    if want:
        assert os.path.realpath(spineload.library_path()) == os.path.realpath(want)


def test_model_names_match_lookups(model):
    p = model._p
    for i, n in enumerate(model.coordinates):
        assert L.sl_model_coord(p, n.encode()) == i
    for i, n in enumerate(model.landmarks):  # land_name is the last field of slModel
        assert L.sl_model_landmark(p, n.encode()) == i
    for i, n in enumerate(model.segments):
        assert L.sl_model_segment(p, n.encode()) == i
    for i, n in enumerate(model.muscle_groups):
        assert L.sl_model_group(p, n.encode()) == i
    assert model.levels[0] == "L5/S1" and len(set(model.levels)) == 6
    lo, hi = model.coordinate_range.T
    assert np.all(lo <= model.coordinate_default) and np.all(model.coordinate_default <= hi)
    assert model.total_mass == pytest.approx(model.segment_mass.sum(), rel=1e-12)


def test_model_matches_run_file(model, run_file):
    with h5py.File(run_file, "r") as f:
        g = f["model"]
        assert strings(g["segment_names"]) == model.segments
        assert strings(g["coordinate_names"]) == model.coordinates
        assert strings(g["coordinate_units"]) == model.coordinate_units
        assert strings(g["landmark_names"]) == model.landmarks
        assert strings(g["muscle_names"]) == model.muscles
        assert strings(g["muscle_group_names"]) == model.muscle_groups
        assert strings(g["level_names"]) == model.levels
        assert strings(g["compression_part_names"]) == model.compression_parts
        np.testing.assert_array_equal(g["segment_mass"][()], model.segment_mass)
        np.testing.assert_array_equal(g["muscle_fmax"][()], model.muscle_fmax)
        np.testing.assert_array_equal(g["muscle_group"][()], model.muscle_group)
        # the file gives disc areas in mm^2
        np.testing.assert_allclose(g["disc_area"][()], model.disc_area * 1e6, rtol=1e-12)


# slResults field -> dataset of the run file (README "Output (HDF5)"), and a scale
RUN_DATASETS = {
    "q": "results/q", "status": "results/status", "com": "results/com",
    "iter": "results/solver/iterations", "resid": "results/solver/residual",
    "max_reserve": "results/solver/max_reserve", "cost": "results/solver/cost",
    "reserve": "results/solver/reserve", "root_reserve": "results/solver/root_reserve",
    "demand_force": "results/demand/force", "demand_moment": "results/demand/moment",
    "tau": "results/demand/tau", "pas_moment": "results/passive/moment",
    "lig_force": "results/passive/ligament_force", "disc_frame": "results/disc/frame",
    "lev_pos": "results/disc/joint_centre", "comp": "results/disc/compression",
    "shear_ap": "results/disc/shear_ap", "shear_lat": "results/disc/shear_lat",
    "resultant": "results/disc/resultant", "idp": "results/disc/idp",
    "comp_parts": "results/disc/compression_parts", "iap": "results/iap/pressure",
    "iap_force": "results/iap/force", "iap_moment": "results/iap/moment",
    "jdof_tau": "results/joints/demand", "jdof_torque": "results/joints/torque",
    "jdof_reserve": "results/joints/reserve", "jdof_share": "results/joints/strength_share",
    "mus_force": "results/muscle/force", "mus_len": "results/muscle/length",
}


def test_results_match_run_file(basic, run_file, tmp_path):
    r = spineload.run_scenario(basic)
    with h5py.File(run_file, "r") as f:
        assert strings(f["postures/name"]) == r.names
        for field, ds in RUN_DATASETS.items():
            want = f[ds][()]
            got = r.arrays[field]
            assert got.shape == want.shape, field
            np.testing.assert_array_equal(got, want, err_msg=field)
    # the arrays of every slResults field were read (the mirror names them all)
    assert set(r.arrays) == {name for name, _, _ in _lib.RESULTS_ARRAYS}
    # and the run file written from Python reads the same as the command's
    r.write(tmp_path / "py.h5")
    a, b = spineload.read_run(tmp_path / "py.h5"), spineload.read_run(run_file)
    assert len(a) == 6 * len(r.names)
    assert a.equals(b)


def test_frames_and_moment_arms(basic, tmp_path):
    r = spineload.run_scenario(basic, frames=True, moment_arms=True)
    n = len(r)
    assert r.seg_pos.shape[0] == n and r.seg_rot.shape[2:] == (3, 3)
    assert r.mus_R.shape[:2] == (n, 18)
    # rotations are orthonormal: the mirror reads the right memory
    R = r.seg_rot.reshape(-1, 3, 3)
    np.testing.assert_allclose(R @ R.transpose(0, 2, 1), np.broadcast_to(np.eye(3), R.shape),
                               atol=1e-9)
