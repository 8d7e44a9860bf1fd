"""The README's Python section: its snippet runs as written and gives what the command's rank
file of the same position holds."""

import contextlib
import io
import os
import re

import h5py
import numpy as np


def readme_snippet(src):
    text = open(os.path.join(src, "README.md"), encoding="utf-8").read()
    sec = text[text.index("\n## Python\n"):]
    sec = sec[:sec.index("\n## ", 1)]
    m = re.search(r"```python\n(.*?)```", sec, re.S)
    assert m, "no ```python block in the README's Python section"
    return m.group(1)


def test_snippet_is_about_five_lines(src):
    lines = [ln for ln in readme_snippet(src).splitlines() if ln.strip()]
    assert 3 <= len(lines) <= 6, lines


def test_readme_snippet(src, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the snippet must not depend on the working directory
    code = readme_snippet(src)
    ns = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md (Python section)", "exec"), ns)
    l45 = ns["l45"]

    # the same position through the command: its rank file, read with h5py alone
    pos = os.path.join(src, "scenarios", "positions", "spooning.yaml")
    cli("rank", pos, "-o", tmp_path / "cli.h5", "--quiet")
    with h5py.File(tmp_path / "cli.h5", "r") as f:
        time = f["positions/spooning/time"][()]
        ranking = f["ranking"][()]
        roles = [r.decode() if isinstance(r, bytes) else r for r in ranking["role"]]
        assert len(roles) == 2, "spooning has two partners"
        want = {}
        for r in roles:
            levels = [x.decode() for x in f["positions/spooning/%s/model/level_names" % r][()]]
            want[r] = f["positions/spooning/%s/disc/compression" % r][()][:, levels.index("L4/L5")]

    assert sorted(map(str, l45.columns)) == sorted(roles)
    assert len(l45) == len(time)
    np.testing.assert_array_equal(l45.index.to_numpy(), time)
    for r in roles:
        np.testing.assert_array_equal(l45[r].to_numpy(), want[r])
        assert np.all(want[r] > 0), "a disc in compression at every sample"
    printed = out.getvalue()
    for r in roles:
        assert r in printed
    assert len(printed.splitlines()) >= len(time)
