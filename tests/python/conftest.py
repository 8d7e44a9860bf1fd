"""pytest set-up: the module from this checkout (python/), the library from SPINELOAD_LIB (ctest
sets it to the build's libspineload.so), the command from SPINELOAD_CLI (for cross-checks)."""

import os
import shutil
import subprocess
import sys

import pytest

SRC = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRC, "python"))


@pytest.fixture(scope="session")
def src():
    return SRC


@pytest.fixture(scope="session")
def cli():
    """run the spineload command; returns a function(args..., cwd) -> CompletedProcess"""
    exe = os.environ.get("SPINELOAD_CLI") or os.path.join(SRC, "build", "spineload")
    if not os.path.exists(exe):
        pytest.skip("no spineload command (set SPINELOAD_CLI)")

    def run(*args, cwd=None, check=True):
        p = subprocess.run([exe, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                           env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        if check and p.returncode != 0:
            raise AssertionError("spineload %s: exit %d\n%s" % (" ".join(map(str, args)),
                                                                 p.returncode, p.stderr))
        return p

    return run


@pytest.fixture(scope="session")
def sweep_file(src, tmp_path_factory):
    """the small test sweep (two test positions, 16 combinations, a categorical parameter)"""
    d = tmp_path_factory.mktemp("sweep")
    for name in ("sweep_small.yaml",):
        shutil.copy(os.path.join(src, "tests", "data", name), d / name)
    shutil.copytree(os.path.join(src, "tests", "data", "positions"), d / "positions")
    # the test positions name their bodies relative to tests/data/positions
    for f in (d / "positions").iterdir():
        text = f.read_text()
        f.write_text(text.replace("../../../models/", os.path.join(src, "models") + "/"))
    return str(d / "sweep_small.yaml")
