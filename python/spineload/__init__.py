"""spineload from Python: the shared library through ctypes, results as NumPy arrays and pandas
DataFrames.

    import spineload
    m = spineload.load_model("adult_male", set={"subject.mass_kg": 95})
    r = m.evaluate({"lumbar.flexion_deg": [0, 20, 40]}, root="standing")
    r.discs()                      # one row per posture and level
    rk = spineload.rank(["spooning"])
    rk.table                       # the ranking; rk.cycle("spooning"): the thrust cycle
    spineload.read("spineload_rank.h5")   # any spineload HDF5 file

Errors of the library are raised with its message (location and text): bad input as
InputError (a ValueError), failures while running as RunError (a RuntimeError).
"""

import ctypes as C
import io
import json
import os
import shutil
import tempfile

import numpy as np
import pandas as pd

from . import _lib
from .files import kind, positions, read, read_cycle, read_meta, read_rank, read_run, read_sweep
from .files import roles as rank_roles

__all__ = ["Error", "InputError", "RunError", "Model", "Results", "Rank", "load_model",
           "run_scenario", "rank", "sweep", "sweep_summary", "source_path", "position_path",
           "library_path", "version", "kind", "read", "read_meta", "read_run", "read_rank",
           "read_cycle", "read_sweep", "positions", "rank_roles"]

_L, _LIB_PATH = _lib.load()
_libc = _lib.declare(_L)
LEVELS = ["L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2", "T12/L1"]


class Error(Exception):
    """An error the library returned: code (e.g. 'SL_ERR_RANGE'), where (file:line:col, a key
    path or a dataset) and msg; str() is 'where: msg'."""

    def __init__(self, code, where, msg):
        self.code = _lib.STATUS[code] if 0 <= code < len(_lib.STATUS) else str(code)
        self.where = where
        self.msg = msg
        super().__init__("%s: %s" % (where, msg) if where else msg)


class InputError(Error, ValueError):
    """Bad input: a file, key or value the library refused."""


class RunError(Error, RuntimeError):
    """A failure while running (out of memory, HDF5, solver, a write that failed)."""


def _check(st, err):
    if st != 0:
        cls = InputError if st in _lib.INPUT_CODES else RunError
        raise cls(st, err.where.decode("utf-8", "replace"), err.msg.decode("utf-8", "replace"))


def _b(s):
    return os.fsencode(s) if isinstance(s, (str, os.PathLike)) else s


def library_path():
    """The shared library this module loaded."""
    return _LIB_PATH


def version():
    return _L.sl_version().decode()


def source_path(rel):
    """rel if it exists (relative to the working directory), else rel under the source tree the
    library was built from (where models/ and scenarios/ are)."""
    buf = C.create_string_buffer(4096)
    _L.sl_source_path(_b(rel), buf, len(buf))
    return os.fsdecode(buf.value)


def _value(v):
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ",".join(_value(x) for x in v) + "]"
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def _overrides(set):
    """set: None, {path: value}, or a list of "path=value" strings / (path, value) pairs (as
    --set). Returns the C array, its length and what keeps its strings alive."""
    items = []
    if set is None:
        pass
    elif isinstance(set, dict):
        items = list(set.items())
    else:
        for s in set:
            if isinstance(s, str):
                if "=" not in s:
                    raise InputError(1, s, "an override is KEY=VALUE")
                k, v = s.split("=", 1)
                items.append((k, v))
            else:
                k, v = s
                items.append((k, v))
    if not items:
        return None, 0, []
    arr = (_lib.slOverride * len(items))()
    keep = []
    for i, (k, v) in enumerate(items):
        kb, vb = str(k).encode(), _value(v).encode()
        keep += [kb, vb]
        arr[i].path, arr[i].value, arr[i].file = kb, vb, None
    return arr, len(items), keep


def _names(ptr, n):
    return [ptr[i].value.decode() for i in range(n)]


def _array(ptr, shape, ctype):
    """a NumPy copy of a C array of the given shape (empty for NULL or a zero size)"""
    size = int(np.prod(shape)) if shape else 1
    dt = np.float64 if ctype is C.c_double else np.int32
    if size == 0 or not ptr:
        return np.zeros(shape, dtype=dt)
    return np.ctypeslib.as_array(ptr, shape=(size,)).copy().reshape(shape)


def _resolve(name, folder):
    """a model or position given by file or by name (models/NAME.yaml, scenarios/positions/...)"""
    name = os.fspath(name)
    if os.path.exists(name):
        return os.path.abspath(name)
    if os.path.sep not in name and not name.endswith(".yaml"):
        p = source_path(os.path.join(folder, name + ".yaml"))
        if os.path.exists(p):
            return os.path.abspath(p)
    return name  # the library reports it


def position_path(name):
    """The file of a position given by name ("spooning") or path."""
    return _resolve(name, os.path.join("scenarios", "positions"))


# ---- models and postures ---------------------------------------------------------------------
class Model:
    """A compiled body model (sl_model_load). Names and sizes as lists and NumPy arrays."""

    def __init__(self, path, set=None):
        self.path = _resolve(path, "models")
        arr, n, keep = _overrides(set)
        self._p = C.POINTER(_lib.slModel)()
        err = _lib.slError()
        _check(_L.sl_model_load(C.byref(self._p), _b(self.path), arr, n, C.byref(err)), err)
        m = self._p.contents
        self.name = m.name.decode()
        self.sex = "female" if m.sex == 1 else "male"
        self.body_mass = m.body_mass
        self.height = m.height
        self.total_mass = m.total_mass
        self.segments = _names(m.seg_name, m.nseg)
        self.coordinates = _names(m.coord_name, m.ncoord)
        self.coordinate_range = _array(m.coord_range, (m.ncoord, 2), C.c_double)
        self.coordinate_default = _array(m.coord_default, (m.ncoord,), C.c_double)
        self.coordinate_units = ["m" if t == 1 else "rad"
                                 for t in _array(m.coord_type, (m.ncoord,), C.c_int)]
        self.landmarks = _names(m.land_name, m.nland)
        self.levels = [m.lev_name[i].value.decode() for i in range(_lib.NLEVEL)]
        self.muscles = _names(m.mus_name, m.nmus)
        self.muscle_groups = _names(m.group_name, m.ngroup)
        self.muscle_group = _array(m.mus_group, (m.nmus,), C.c_int)
        self.muscle_fmax = _array(m.mus_fmax, (m.nmus,), C.c_double)
        self.segment_mass = _array(m.seg_mass, (m.nseg,), C.c_double)
        self.disc_area = np.array(m.disc_area[:])
        self.compression_parts = [_L.sl_part_name(self._p, k).decode()
                                  for k in range(_L.sl_part_count(self._p))]

    def __repr__(self):
        return "<spineload.Model %s: %s, %.1f kg, %.3f m, %d muscles>" % (
            self.name, self.sex, self.body_mass, self.height, len(self.muscles))

    def close(self):
        if getattr(self, "_p", None):
            _L.sl_model_free(self._p)
            self._p = None

    def __del__(self):
        self.close()

    def coordinate(self, name):
        """index of a coordinate by name (KeyError if the model has none)"""
        i = _L.sl_model_coord(self._p, name.encode())
        if i < 0:
            raise KeyError(name)
        return i

    def evaluate(self, postures, root="standing", solver=None, threads=0, frames=False,
                 moment_arms=False):
        """Evaluate postures of this body (statics) through a scenario parsed against the model
        (sl_scenario_parse + sl_run_scenario).

        postures: a list of dicts with the keys of a scenario file's posture (README "Scenario
        files": name, root, pelvis, lumbar, hips, knees, coords, loads, supports, balance, ...),
        or columns: a dict (or DataFrame) of dotted paths to arrays or scalars, broadcast to one
        posture per row, e.g. {"lumbar.flexion_deg": np.linspace(0, 40, 5), "hips.flexion_deg":
        10}. root is the default root preset; solver the scenario's solver options (e.g.
        {"criterion": "p3"}). Returns Results.
        """
        post = _postures(postures, root)
        head = ["format: spineload-scenario/1", "name: python"]
        if solver:
            head.append("solver: " + json.dumps(solver))
        head.append("postures:")
        lines = head + ["  - " + json.dumps(p, default=_json_default) for p in post]
        text = ("\n".join(lines) + "\n").encode()
        sc = C.POINTER(_lib.slScenario)()
        err = _lib.slError()
        st = _L.sl_scenario_parse(C.byref(sc), text, len(text), b"<postures>", self._p,
                                  C.byref(err))
        if st != 0:
            # name the posture the error is in (its line is head + its index + 1)
            where = err.where.decode()
            parts = where.split(":")
            if len(parts) >= 3 and parts[-2].isdigit():
                i = int(parts[-2]) - len(head) - 1
                if 0 <= i < len(post):
                    err.msg = ("posture %d ('%s'): %s" % (i, post[i].get("name"),
                                                          err.msg.decode()))[:767].encode()
            _check(st, err)
        return _run(sc, self, threads, frames, moment_arms)


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError("a posture value must be a number, string, list or dict, not %r" % (o,))


def _nest(flat):
    out = {}
    for k, v in flat.items():
        cur = out
        keys = k.split(".")
        for part in keys[:-1]:
            cur = cur.setdefault(part, {})
        cur[keys[-1]] = v
    return out


def _postures(postures, root):
    if isinstance(postures, pd.DataFrame):
        postures = {c: postures[c].to_numpy() for c in postures.columns}
    if isinstance(postures, dict):
        cols = {k: np.asarray(v) if not isinstance(v, str) else np.asarray(v, dtype=object)
                for k, v in postures.items()}
        n = max([c.shape[0] for c in cols.values() if c.ndim > 0] or [1])
        rows = []
        for i in range(n):
            flat = {}
            for k, c in cols.items():
                if c.ndim == 0:
                    flat[k] = c.item()
                elif c.shape[0] != n:
                    raise InputError(1, k, "column has %d values, the others %d" % (c.shape[0],
                                                                                     n))
                else:
                    flat[k] = c[i].item() if isinstance(c[i], np.generic) else c[i]
            rows.append(_nest(flat))
        postures = rows
    out = []
    for i, p in enumerate(postures):
        p = dict(p)
        p.setdefault("name", "posture_%d" % i)
        p.setdefault("root", root)
        out.append(p)
    if not out:
        raise InputError(1, "postures", "no postures given")
    return out


def load_model(path, set=None):
    """Load and compile a model file (or a model by name: "adult_female") with overrides, as
    --set: {"subject.mass_kg": 95, "muscles.multifidus.fmax_scale": 0.7} or ["iap.enabled=false"].
    """
    return Model(path, set)


# ---- results of postures ---------------------------------------------------------------------
class Results:
    """The postures of a scenario evaluated (sl_run_scenario): NumPy arrays by name (the fields of
    slResults: q, status, comp, shear_ap, shear_lat, resultant, idp [MPa], iap [kPa], mus_force,
    com, contact_force, comp_parts, ...; rows are postures) and DataFrames."""

    def __init__(self, sc, res, owner):
        self._sc, self._res, self._owner = sc, res, owner
        s, r = sc.contents, res.contents
        self.names = [s.post[i].name.decode() for i in range(s.npost)]
        self.descriptions = [s.post[i].description.decode() for i in range(s.npost)]
        m = s.model.contents
        self.levels = [m.lev_name[i].value.decode() for i in range(_lib.NLEVEL)]
        self.parts = [_L.sl_part_name(s.model, k).decode() for k in range(r.npart)]
        dims = {k: getattr(r, k) for k in ("n", "ncoord", "nseg", "nmus", "maxcontact", "njdof",
                                           "npart")}
        self.arrays = {}
        for name, ctype, shape in _lib.RESULTS_ARRAYS:
            shp = tuple(dims[d] if isinstance(d, str) else d for d in shape)
            self.arrays[name] = _array(getattr(r, name), shp, ctype)

    def __getattr__(self, name):
        a = self.__dict__.get("arrays")
        if a is not None and name in a:
            return a[name]
        raise AttributeError(name)

    def __len__(self):
        return len(self.names)

    def discs(self):
        """one row per posture and level: compression, shear_ap, shear_lat, resultant [N], idp
        [MPa], status"""
        n, nl = len(self.names), len(self.levels)
        a = self.arrays
        return pd.DataFrame({
            "posture": np.repeat(np.asarray(self.names, dtype=object), nl),
            "level": pd.Categorical(np.tile(self.levels, n), categories=self.levels, ordered=True),
            "compression": a["comp"].ravel(), "shear_ap": a["shear_ap"].ravel(),
            "shear_lat": a["shear_lat"].ravel(), "resultant": a["resultant"].ravel(),
            "idp": a["idp"].ravel(), "status": np.repeat(a["status"], nl)})

    def table(self):
        """one row per posture, as `spineload run` prints: status, L4/L5 and L5/S1 compression
        [N], L4/L5 IDP [MPa], largest reserve [N m]"""
        a = self.arrays
        return pd.DataFrame({"status": a["status"], "compression_L4L5": a["comp"][:, 1],
                             "compression_L5S1": a["comp"][:, 0], "idp_L4L5": a["idp"][:, 1],
                             "max_reserve": a["max_reserve"]},
                            index=pd.Index(self.names, name="posture"))

    def compression_parts(self, level="L4/L5"):
        """where a level's compression comes from: postures x parts [N] (they add up)"""
        k = self.levels.index(level)
        return pd.DataFrame(self.arrays["comp_parts"][:, k, :], columns=self.parts,
                            index=pd.Index(self.names, name="posture"))

    def write(self, path):
        """the run file (sl_run_write_h5), as `spineload run -o`"""
        err = _lib.slError()
        _check(_L.sl_run_write_h5(self._sc, self._res, _b(path), 0, None, C.byref(err)), err)

    def close(self):
        if getattr(self, "_res", None):
            _L.sl_results_free(self._res)
            _L.sl_scenario_free(self._sc)
            self._res = self._sc = None

    def __del__(self):
        self.close()


def _run(sc, owner, threads, frames, moment_arms):
    flags = (_lib.RES_FRAMES if frames else 0) | (_lib.RES_MOMENT_ARMS if moment_arms else 0)
    res = C.POINTER(_lib.slResults)()
    err = _lib.slError()
    st = _L.sl_run_scenario(sc, int(threads), flags, C.byref(res), C.byref(err))
    if st != 0:
        _L.sl_scenario_free(sc)
        _check(st, err)
    return Results(sc, res, owner)


def run_scenario(path, set=None, threads=0, frames=False, moment_arms=False):
    """Every posture of a scenario file, with overrides as --set (sl_scenario_load +
    sl_run_scenario). Returns Results."""
    arr, n, keep = _overrides(set)
    sc = C.POINTER(_lib.slScenario)()
    err = _lib.slError()
    _check(_L.sl_scenario_load(C.byref(sc), _b(path), arr, n, C.byref(err)), err)
    return _run(sc, keep, threads, frames, moment_arms)


# ---- ranking positions -----------------------------------------------------------------------
RANK_SUMMARY, RANK_MD, RANK_CSV = 0, 1, 2


class Rank:
    """Positions loaded, run over their thrust cycle and ranked (sl_rank_run). table: the
    ranking (the rank file's /ranking as read_rank gives it, full precision); cycle(position):
    its cycle per role and level; text(): what `spineload rank` prints, or its .md or .csv
    file; write(path): the rank file. The rank file is written once, to a temporary directory,
    for table and cycle."""

    def __init__(self, positions=None, set=None, threads=0):
        inputs = [position_path(p) for p in (positions or [])]
        err = _lib.slError()
        files = C.POINTER(C.c_void_p)()  # malloc'ed strings, freed here
        nfiles = C.c_int(0)
        arr_in = (C.c_char_p * max(1, len(inputs)))(*[_b(p) for p in inputs])
        _check(_L.sl_position_files(arr_in if inputs else None, len(inputs), C.byref(files),
                                    C.byref(nfiles), C.byref(err)), err)
        try:
            self.files = [os.fsdecode(C.string_at(files[i])) for i in range(nfiles.value)]
        finally:
            for i in range(nfiles.value):
                _libc.free(files[i])
            _libc.free(C.cast(files, C.c_void_p))
        arr, n, keep = _overrides(set)
        fl = (C.c_char_p * len(self.files))(*[_b(p) for p in self.files])
        self._p = C.c_void_p()
        _check(_L.sl_rank_run(fl, len(self.files), arr, n, int(threads), C.byref(self._p),
                              C.byref(err)), err)
        self._tmp = None
        self._table = None

    @property
    def table(self):
        if self._table is None:
            self._table = read_rank(self.h5())
        return self._table

    def csv(self):
        """the ranking as the .csv file has it (rounded as printed, with titles and claims)"""
        return pd.read_csv(io.StringIO(self.text(RANK_CSV)))

    def text(self, kind=RANK_SUMMARY):
        """RANK_SUMMARY (what `spineload rank` prints), RANK_MD or RANK_CSV"""
        out = C.c_void_p()
        err = _lib.slError()
        _check(_L.sl_rank_text(self._p, int(kind), C.byref(out), C.byref(err)), err)
        try:
            return C.string_at(out).decode()
        finally:
            _libc.free(out)

    def write(self, path):
        """the rank file (sl_rank_write_h5), as `spineload rank -o`"""
        err = _lib.slError()
        _check(_L.sl_rank_write_h5(self._p, _b(path), 0, None, C.byref(err)), err)

    def h5(self):
        """the rank file, written once to a temporary directory (removed with this object)"""
        if self._tmp is None:
            d = tempfile.mkdtemp(prefix="spineload_")
            self.write(os.path.join(d, "rank.h5"))
            self._tmp = d
        return os.path.join(self._tmp, "rank.h5")

    def cycle(self, position, role=None):
        """a position's thrust cycle: one row per role, sample and level (read_cycle)"""
        return read_cycle(self.h5(), position, role)

    def close(self):
        if getattr(self, "_p", None):
            _L.sl_rank_free(self._p)
            self._p = None
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __del__(self):
        self.close()


def rank(positions=None, set=None, threads=0):
    """Rank positions (names like "spooning", files or directories; None: the built-in library)
    for both partners over their thrust cycle, with overrides as --set ("motion.*", "solver.*",
    or model paths). Returns Rank."""
    return Rank(positions, set, threads)


# ---- sweeps ----------------------------------------------------------------------------------
def sweep(path, out, set=None, threads=0, resume=False, progress=None, stop=None):
    """Run a sweep file into the HDF5 file out (sl_sweep_open + sl_sweep_run; crash-safe,
    resumable with resume=True). progress(dict) is called after each wave, stop() -> true stops
    it (the file is then written valid but incomplete). Returns the run's info as a dict; read
    the rows with read_sweep(out)."""
    arr, n, keep = _overrides(set)
    err = _lib.slError()
    sw = C.c_void_p()
    _check(_L.sl_sweep_open(C.byref(sw), _b(path), arr, n, C.byref(err)), err)
    errors = []

    def _progress(ctx, p):
        if progress is not None:
            try:
                q = p.contents
                progress({k: getattr(q, k) for k, _ in _lib.slSweepProgress._fields_})
            except Exception as exc:  # a callback must not raise through C
                errors.append(exc)

    def _stop(ctx):
        if errors:
            return 1
        try:
            return 1 if stop is not None and stop() else 0
        except Exception as exc:
            errors.append(exc)
            return 1

    cb_p, cb_s = _lib.PROGRESS_FN(_progress), _lib.STOP_FN(_stop)
    opt = _lib.slSweepRunOpt(out=_b(out), resume=1 if resume else 0, threads=int(threads),
                             argc=0, argv=None, stop=cb_s, progress=cb_p, ctx=None)
    info = _lib.slSweepRunInfo()
    try:
        st = _L.sl_sweep_run(sw, C.byref(opt), C.byref(info), C.byref(err))
        res = {k: getattr(info, k) for k, _ in _lib.slSweepRunInfo._fields_}
        res["name"] = info.name.decode() if info.name else ""
    finally:
        _L.sl_sweep_free(sw)
    _check(st, err)
    if errors:
        raise errors[0]
    res["complete"] = bool(res["complete"])
    return res


def sweep_summary(path):
    """What a sweep file says (sl_sweep_summary): {'sensitivity': DataFrame of parameter,
    position, role, rho, n; 'ranks': DataFrame of position, mean_rank, sd_rank, best, worst;
    'kendall_w', 'combinations', 'used', and what the file is: 'complete' (1, 0 stopped, -1 not
    recorded), 'blocks_done', 'blocks', 'rows', 'flagged', 'failed'}."""
    s = C.POINTER(_lib.slSweepSummary)()
    err = _lib.slError()
    _check(_L.sl_sweep_summary(_b(path), C.byref(s), C.byref(err)), err)
    try:
        v = s.contents
        d = lambda x: x.decode() if x else ""  # noqa: E731
        sens = pd.DataFrame([{"parameter": d(e.parameter), "position": d(e.position),
                              "role": d(e.role), "rho": e.rho, "n": e.n}
                             for e in (v.sens[i] for i in range(v.nsens))],
                            columns=["parameter", "position", "role", "rho", "n"])
        ranks = pd.DataFrame([{"position": d(e.position), "mean_rank": e.mean_rank,
                               "sd_rank": e.sd_rank, "best": e.best, "worst": e.worst}
                              for e in (v.pos[i] for i in range(v.npos))],
                             columns=["position", "mean_rank", "sd_rank", "best", "worst"])
        return {"sensitivity": sens, "ranks": ranks, "kendall_w": v.kendall_w,
                "combinations": v.combinations, "used": v.used, "complete": v.complete,
                "blocks_done": v.blocks_done, "blocks": v.blocks, "rows": v.rows,
                "flagged": v.flagged, "failed": v.failed}
    finally:
        _L.sl_sweep_summary_free(s)
