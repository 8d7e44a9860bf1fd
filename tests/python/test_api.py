"""The module's calls against the command and against each other: postures, overrides, ranking,
sweeps, the file readers, and errors that carry the library's message."""

import os

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

import spineload


@pytest.fixture(scope="module")
def basic(src):
    return os.path.join(src, "scenarios", "examples", "basic.yaml")


@pytest.fixture(scope="module")
def positions_dir(src):
    return os.path.join(src, "scenarios", "positions")


# ---- models and postures -----------------------------------------------------------------------
def test_evaluate_matches_scenario(basic):
    """the scenario's postures given as dicts give what the scenario file gives"""
    doc = yaml.safe_load(open(basic))
    m = spineload.load_model(os.path.join(os.path.dirname(basic), doc["body"]),
                             set=doc.get("set"))
    got = m.evaluate(doc["postures"], solver=doc.get("solver"))
    want = spineload.run_scenario(basic)
    assert got.names == want.names
    for k in ("q", "comp", "shear_ap", "idp", "mus_force", "status"):
        np.testing.assert_array_equal(got.arrays[k], want.arrays[k], err_msg=k)


def test_evaluate_numpy_columns():
    m = spineload.load_model("adult_male")
    flex = np.linspace(0, 40, 5)
    r = m.evaluate({"lumbar.flexion_deg": flex, "hips.flexion_deg": 10})
    assert len(r) == len(flex)
    t = r.table()
    assert list(t.index) == ["posture_%d" % i for i in range(len(flex))]
    c = t["compression_L4L5"].to_numpy()
    assert np.all(np.diff(c) > 0), "bending forward loads L4/L5 more: %s" % c
    d = r.discs()
    assert len(d) == 6 * len(flex)
    assert d.loc[d.level == "L4/L5", "compression"].tolist() == list(c)
    # the parts of the compression add up to it
    parts = r.compression_parts("L4/L5")
    np.testing.assert_allclose(parts.sum(axis=1).to_numpy(), c, rtol=1e-9, atol=1e-6)
    # the posture reached the coordinates asked for: total lumbar flexion (model sign negative)
    lum = [m.coordinate(n) for n in m.coordinates if n.endswith("Flex_Ext")]
    np.testing.assert_allclose(-np.degrees(r.q[:, lum].sum(axis=1)), flex, atol=1e-9)


def test_overrides_change_the_body():
    light = spineload.load_model("adult_male", set={"subject.mass_kg": 60})
    heavy = spineload.load_model("adult_male", set=["subject.mass_kg=95"])
    assert (light.body_mass, heavy.body_mass) == (60, 95)
    post = [{"name": "bent", "lumbar": {"flexion_deg": 20}}]
    a = light.evaluate(post).comp[0, 1]
    b = heavy.evaluate(post).comp[0, 1]
    assert b > a > 0


def test_bad_override_raises_the_library_message():
    with pytest.raises(spineload.InputError) as e:
        spineload.load_model("adult_male", set={"subject.mass_kg": -3})
    assert isinstance(e.value, ValueError)
    assert e.value.code == "SL_ERR_RANGE"
    assert "subject.mass_kg" in str(e.value) and "allowed range" in str(e.value)
    with pytest.raises(spineload.InputError) as e:
        spineload.load_model("adult_male", set={"subject.no_such_key": 1})
    assert "no_such_key" in str(e.value)
    with pytest.raises(ValueError):
        spineload.load_model("adult_male", set=["subject.mass_kg"])  # no '='


def test_bad_posture_names_it():
    m = spineload.load_model("adult_male")
    with pytest.raises(spineload.InputError) as e:
        m.evaluate([{"name": "fine", "lumbar": {"flexion_deg": 10}},
                    {"name": "too_far", "lumbar": {"flexion_deg": 200}}])
    msg = str(e.value)
    assert "posture 1 ('too_far')" in msg and "flexion_deg" in msg and "range" in msg
    assert e.value.where.startswith("<postures>:")
    with pytest.raises(spineload.InputError) as e:
        m.evaluate([{"name": "x", "no_such_key": 1}])
    assert "no_such_key" in str(e.value)


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(spineload.InputError) as e:
        spineload.load_model(tmp_path / "nothing.yaml")
    assert "nothing.yaml" in str(e.value)


# ---- ranking ------------------------------------------------------------------------------------
def test_rank_matches_the_command(cli, positions_dir, tmp_path):
    files = [os.path.join(positions_dir, p + ".yaml") for p in ("spooning", "missionary")]
    rk = spineload.rank(["spooning", "missionary"])
    assert rk.files == files
    cli("rank", *files, "-o", tmp_path / "r.h5", "--quiet")
    assert rk.text(spineload.RANK_CSV) == (tmp_path / "r.csv").read_text()
    assert rk.text(spineload.RANK_MD) == (tmp_path / "r.md").read_text()
    pd.testing.assert_frame_equal(rk.csv(), pd.read_csv(tmp_path / "r.csv"))
    pd.testing.assert_frame_equal(rk.table, spineload.read_rank(tmp_path / "r.h5"))
    # the rank file written from Python holds the same ranking as the command's
    rk.write(tmp_path / "py.h5")
    a, b = spineload.read_rank(tmp_path / "py.h5"), spineload.read_rank(tmp_path / "r.h5")
    pd.testing.assert_frame_equal(a, b)
    assert set(a["position"]) == {"spooning", "missionary"} and len(a) == 4
    assert sorted(a["rank"]) == [1, 2, 3, 4]
    assert spineload.positions(tmp_path / "py.h5") == list(dict.fromkeys(a["position"]))


def test_rank_overrides_and_threads():
    a = spineload.rank(["spooning"], set={"motion.samples": 4}, threads=1)
    b = spineload.rank(["spooning"], set={"motion.samples": 4}, threads=2)
    pd.testing.assert_frame_equal(a.table, b.table)
    cyc = a.cycle("spooning")
    roles = list(cyc.role.cat.categories)
    assert len(roles) == 2
    assert len(cyc) == 4 * 6 * len(roles)
    assert sorted(cyc["sample"].unique()) == [0, 1, 2, 3]
    one = a.cycle("spooning", roles[1])
    assert set(one.role) == {roles[1]} and len(one) == 4 * 6
    # the peak L4/L5 compression of the table is the cycle's maximum
    for r in roles:
        peak = cyc[(cyc.role == r) & (cyc.level == "L4/L5")].compression.max()
        row = a.table[(a.table.position == "spooning") & (a.table.role == r)]
        assert row.peak_compression_L4L5.iloc[0] == pytest.approx(peak, rel=1e-6)
    with pytest.raises(ValueError) as e:
        a.cycle("spooning", "nobody")
    assert roles[0] in str(e.value)
    with pytest.raises(ValueError):
        a.cycle("no_such_position")


def test_rank_bad_override():
    with pytest.raises(spineload.InputError) as e:
        spineload.rank(["spooning"], set={"motion.samples": 0})
    assert "motion.samples" in str(e.value) and "allowed range" in str(e.value)
    with pytest.raises(spineload.InputError):
        spineload.rank(["no_such_position"])


# ---- sweeps -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sweep_out(sweep_file, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("sw") / "py.h5")
    seen = []
    info = spineload.sweep(sweep_file, out, threads=2, progress=seen.append)
    return out, info, seen


def test_sweep_matches_the_command(cli, sweep_file, sweep_out, tmp_path):
    out, info, seen = sweep_out
    assert info["complete"] and info["blocks_done"] == info["blocks"]
    done = [p["units_done"] for p in seen]
    assert done == sorted(done) and done[-1] == seen[-1]["units_total"] == info["units"]
    cli("sweep", sweep_file, "-o", tmp_path / "cli.h5", "--quiet")
    a, b = spineload.read_sweep(out), spineload.read_sweep(tmp_path / "cli.h5")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2 * info["units"]


def test_sweep_rows_have_names_and_labels(sweep_file, sweep_out):
    out, info, _ = sweep_out
    df = spineload.read_sweep(out)
    doc = yaml.load(open(sweep_file), Loader=yaml.BaseLoader)
    params = {p["path"]: p for p in doc["parameters"]}
    with h5py.File(out, "r") as f:
        raw = f["sweep/params"][()]
        cols = [c if isinstance(c, str) else c.decode() for c in f["sweep/params"].attrs["columns"]]
        npos = len(f["sweep/position_names"])
    assert cols == list(params)
    assert list(df.columns[:3]) == ["combination", "position", "role"]
    assert df.combination.nunique() == info["combinations"]
    assert df.position.nunique() == npos == info["positions"]
    for k, c in enumerate(cols):
        vals = params[c].get("values")
        if vals and not all(v.replace(".", "", 1).isdigit() for v in vals):
            # categorical: its labels, in the order listed, coded as the file stores them
            assert isinstance(df[c].dtype, pd.CategoricalDtype), c
            assert list(df[c].cat.categories) == vals
            np.testing.assert_array_equal(df[c].cat.codes.to_numpy(), raw[:, k].astype(int))
        else:
            np.testing.assert_array_equal(df[c].to_numpy(), raw[:, k])
    raw_idx = spineload.read_sweep(out, labels=False)
    assert not any(isinstance(t, pd.CategoricalDtype) for t in raw_idx.dtypes[3:])
    # the file explains itself: labels and units in /sweep, the same as the sweep file says
    with h5py.File(out, "r") as f:
        labels = [v.decode() if isinstance(v, bytes) else v for v in f["sweep/param_labels"][()]]
        units = [v.decode() if isinstance(v, bytes) else v
                 for v in f["sweep/params"].attrs["column_units"]]
    for k, c in enumerate(cols):
        vals = params[c].get("values")
        if vals and not all(v.replace(".", "", 1).isdigit() for v in vals):
            assert labels[k].split("|") == vals and units[k] == "index into /sweep/param_labels"
        else:
            assert labels[k] == "" and units[k] and "index" not in units[k], (c, units[k])


def test_sweep_summary_agrees_with_the_rows(sweep_out):
    out, _, _ = sweep_out
    s = spineload.sweep_summary(out)
    df = spineload.read_sweep(out)
    ok = df[df.status >= 0]
    assert len(s["sensitivity"]) > 0
    for row in s["sensitivity"].itertuples():
        sub = ok[(ok.position == row.position) & (ok.role == row.role)]
        x = sub[row.parameter]
        x = x.cat.codes if isinstance(x.dtype, pd.CategoricalDtype) else x
        assert row.n == len(sub)
        # Spearman's rho: Pearson's r of the average ranks (pandas' method="spearman" needs
        # SciPy, which the README's set-up does not install)
        rho = pd.Series(x.to_numpy(dtype=float)).rank().corr(
            pd.Series(sub.load_index.to_numpy()).rank())
        if np.isnan(row.rho):
            assert np.isnan(rho) or len(sub) <= 2
        else:
            assert row.rho == pytest.approx(rho, abs=1e-9), row
    assert set(s["ranks"].position) == set(df.position)
    assert 0 <= s["kendall_w"] <= 1
    # what the file is, counted from the rows
    assert s["complete"] == 1 and s["blocks_done"] == s["blocks"] > 0
    assert s["rows"] == len(df)
    assert s["flagged"] == int((df.status > 0).sum())
    assert s["failed"] == int((df.status < 0).sum())


def test_sweep_stop_and_resume(sweep_file, sweep_out, tmp_path):
    out = str(tmp_path / "stopped.h5")
    info = spineload.sweep(sweep_file, out, threads=1, stop=lambda: True)
    assert not info["complete"] and 0 < info["blocks_done"] < info["blocks"]
    assert os.path.exists(out + ".journal")
    part = spineload.read_sweep(out)
    assert 0 < len(part) < 2 * info["units"]
    with pytest.raises(spineload.InputError):  # a journal is there: only resume may go on
        spineload.sweep(sweep_file, out)
    info = spineload.sweep(sweep_file, out, resume=True)
    assert info["complete"] and info["resumed"] and not os.path.exists(out + ".journal")
    pd.testing.assert_frame_equal(spineload.read_sweep(out), spineload.read_sweep(sweep_out[0]))


def test_callback_errors_propagate(sweep_file, tmp_path):
    def boom(p):
        raise KeyError("from the callback")

    with pytest.raises(KeyError):
        spineload.sweep(sweep_file, str(tmp_path / "x.h5"), progress=boom)


# ---- reading files ------------------------------------------------------------------------------
def test_read_dispatches_on_the_file(basic, sweep_out, tmp_path):
    run = spineload.run_scenario(basic)
    run.write(tmp_path / "run.h5")
    rk = spineload.rank(["spooning"], set={"motion.samples": 2})
    rk.write(tmp_path / "rank.h5")
    assert spineload.kind(tmp_path / "run.h5") == "run"
    assert spineload.kind(tmp_path / "rank.h5") == "rank"
    assert spineload.kind(sweep_out[0]) == "sweep"
    assert list(spineload.read(tmp_path / "run.h5").columns[:2]) == ["posture", "level"]
    pd.testing.assert_frame_equal(spineload.read(tmp_path / "rank.h5"),
                                  spineload.read_rank(tmp_path / "rank.h5"))
    assert len(spineload.read(sweep_out[0])) == len(spineload.read_sweep(sweep_out[0]))
    meta = spineload.read_meta(tmp_path / "run.h5")
    assert meta["version"] == spineload.version()
    assert any("basic" in name for name in meta["files"])
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = 1
    with pytest.raises(ValueError):
        spineload.kind(tmp_path / "other.h5")
