"""Reading spineload's HDF5 files (run, rank, sweep) into pandas DataFrames with h5py.

The layouts are the README's "Output (HDF5)" section (one table per group in sim/io/sl_layout.c).
These readers need only h5py, NumPy and pandas, not the shared library.
"""

import math

import h5py
import numpy as np
import pandas as pd

__all__ = ["kind", "read", "read_meta", "read_run", "read_rank", "read_cycle", "read_sweep",
           "positions", "roles"]


def _str(x):
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def _strings(ds):
    return [_str(v) for v in ds[()].ravel()]


def kind(path):
    """'run', 'rank' or 'sweep': what a spineload HDF5 file holds (ValueError if none)."""
    with h5py.File(path, "r") as f:
        if "sweep" in f:
            return "sweep"
        if "ranking" in f:
            return "rank"
        if "results" in f:
            return "run"
    raise ValueError("%s: not a spineload run, rank or sweep file (no /results, /ranking or "
                     "/sweep)" % path)


def read(path):
    """The main table of any spineload file: a run's disc loads (read_run), a rank file's
    ranking (read_rank) or a sweep's rows (read_sweep)."""
    return {"run": read_run, "rank": read_rank, "sweep": read_sweep}[kind(path)](path)


def read_meta(path):
    """/meta: its attributes, and under 'files' every input file's text by name."""
    with h5py.File(path, "r") as f:
        m = f["meta"]
        out = {k: _str(v) if not isinstance(v, np.ndarray) else v for k, v in m.attrs.items()}
        files = {}
        if "files" in m:
            for name, ds in m["files"].items():
                files[name] = _strings(ds)[0]
        out["files"] = files
    return out


def _need(f, path, what):
    if path not in f:
        raise ValueError("%s: no %s (%s): not a spineload %s file" % (f.filename, path, what,
                                                                        what))
    return f[path]


def _disc_frame(g, names, levels, status, key):
    """long table: one row per entry of names (postures or samples) and level"""
    n, nl = len(names), len(levels)
    data = {key: np.repeat(np.asarray(names, dtype=object), nl),
            "level": pd.Categorical(np.tile(levels, n), categories=levels, ordered=True)}
    for col in ("compression", "shear_ap", "shear_lat", "resultant", "idp"):
        data[col] = np.asarray(g["disc/" + col][()], dtype=float).reshape(n * nl)
    data["status"] = np.repeat(np.asarray(status).ravel(), nl)
    return pd.DataFrame(data)


def read_run(path):
    """A run file (`spineload run`): one row per posture and level, L5/S1 first, with
    compression, shear_ap, shear_lat, resultant [N], idp [MPa] and the posture's solver status."""
    with h5py.File(path, "r") as f:
        res = _need(f, "results", "run")
        names = _strings(_need(f, "postures/name", "run"))
        levels = _strings(f["model/level_names"])
        return _disc_frame(res, names, levels, res["status"][()], "posture")


def read_rank(path):
    """The /ranking table of a rank file: one row per position and role (README "Output")."""
    with h5py.File(path, "r") as f:
        t = _need(f, "ranking", "rank")[()]
    df = pd.DataFrame({name: t[name] for name in t.dtype.names})
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(_str)
    return df


def positions(path):
    """Position names of a rank file, in ranking order of first appearance."""
    return list(dict.fromkeys(read_rank(path)["position"]))


def roles(path, position):
    """Role names of a position in a rank file, in the order of the position file."""
    t = read_rank(path)
    return list(t.loc[t["position"] == position, "role"])


def read_cycle(path, position, role=None):
    """A position's thrust cycle from a rank file: one row per role, sample and level (L5/S1
    first) with time [s], compression, shear_ap, shear_lat, resultant [N], idp [MPa] and the
    sample's solver status. role: one role's name, or None for every role."""
    all_roles = roles(path, position)
    with h5py.File(path, "r") as f:
        base = "positions/" + position
        if base not in f:
            raise ValueError("%s: no position '%s' (positions: %s)" % (
                path, position, ", ".join(f["positions"].keys()) if "positions" in f else "none"))
        if role is not None and role not in all_roles:
            raise ValueError("%s: position '%s' has no role '%s' (roles: %s)" % (
                path, position, role, ", ".join(all_roles)))
        time = np.asarray(f[base + "/time"][()], dtype=float)
        frames = []
        for r in ([role] if role is not None else all_roles):
            g = f[base + "/" + r]
            levels = _strings(g["model/level_names"])
            df = _disc_frame(g, list(range(len(time))), levels, g["status"][()], "sample")
            df.insert(0, "time", np.repeat(time, len(levels)))
            df.insert(0, "role", r)
            df.insert(0, "position", position)
            frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["sample"] = out["sample"].astype(int)
    out["role"] = pd.Categorical(out["role"], categories=all_roles)
    return out


def _is_number(s):
    """as the sweep reader decides (strtod, finite): a value that is not one is categorical"""
    try:
        return math.isfinite(float(s)) and "_" not in s
    except ValueError:
        return False


def _categorical_labels(f):
    """{parameter path: [labels]} for the categorical parameters of a sweep file: from
    /sweep/param_labels (one entry per column of /sweep/params: the listed values joined by '|',
    empty for a numeric parameter) if the file has it, else (files of earlier versions) from the
    sweep file kept verbatim in /meta/files (its `values:` lists)."""
    params = f["sweep/params"]
    if "param_labels" in f["sweep"]:
        cols = [_str(c) for c in params.attrs["columns"]]
        out = {}
        for c, lab in zip(cols, _strings(f["sweep/param_labels"])):
            if lab:
                out[c] = lab.split("|")
        return out
    import yaml  # Debian python3-yaml; only for files without /sweep/param_labels

    out = {}
    for ds in f["meta/files"].values():
        text = _strings(ds)[0]
        try:
            doc = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar a string, as in C
        except yaml.YAMLError:
            continue
        if not isinstance(doc, dict) or doc.get("format") != "spineload-sweep/1":
            continue
        for p in doc.get("parameters") or []:
            vals = p.get("values") if isinstance(p, dict) else None
            if isinstance(vals, list) and not all(_is_number(v) for v in vals):
                out[p["path"]] = vals
    return out


def read_sweep(path, labels=True):
    """A sweep file: one row per combination, position and role with the columns combination,
    position, role (names), one column per parameter (named by its path; a categorical parameter
    as a pandas Categorical of its labels when labels is true, else its index), the 18 metrics
    and status (README "Sweep files")."""
    with h5py.File(path, "r") as f:
        sw = _need(f, "sweep", "sweep")
        for ds in ("params", "metrics", "index", "status", "position_names", "role_names"):
            _need(f, "sweep/" + ds, "sweep")
        index = sw["index"][()]
        pos_names = _strings(sw["position_names"])
        role_names = _strings(sw["role_names"])
        pcols = [_str(c) for c in sw["params"].attrs["columns"]]
        mcols = [_str(c) for c in sw["metrics"].attrs["columns"]]
        params = sw["params"][()]
        metrics = sw["metrics"][()]
        status = sw["status"][()].ravel()
        cats = _categorical_labels(f) if labels else {}
    pos = index[:, 1]
    role = [role_names[2 * p + r] if 2 * p + r < len(role_names) else ""
            for p, r in zip(pos, index[:, 2])]
    data = {"combination": index[:, 0].astype(np.int64),
            "position": pd.Categorical([pos_names[p] for p in pos], categories=pos_names),
            "role": role}
    for k, c in enumerate(pcols):
        col = params[:, k]
        if c in cats:
            lab = cats[c]
            idx = col.astype(int)
            if np.any((idx < 0) | (idx >= len(lab))):
                raise ValueError("%s: parameter %s has an index outside its %d labels" % (
                    path, c, len(lab)))
            col = pd.Categorical.from_codes(idx, categories=lab)
        data[c] = col
    for k, c in enumerate(mcols):
        data[c] = metrics[:, k]
    data["status"] = status
    return pd.DataFrame(data)
