"""Result files get the mode a plain write gets under the user's umask (not mkstemp's 0600)."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from saddlesim.runtime.io import atomic_write_csv, atomic_write_json


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_atomic_writes_honour_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        atomic_write_json(tmp_path / "meta.json", {"a": 1})
        atomic_write_csv(tmp_path / "t.csv", pd.DataFrame({"x": [1]}))
        with open(tmp_path / "plain.txt", "w") as f:
            f.write("x")
    finally:
        os.umask(old)
    want = stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert want == 0o666 & ~umask
    for name in ("meta.json", "t.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == want, name
    assert os.umask(old) == old  # the helper restored the process umask
