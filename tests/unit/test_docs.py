"""The repository's text stands on its own: it names only files it contains, and writes (ln 3)/4 unambiguously."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tracked_text_files() -> list[Path]:
    try:
        names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    keep = (".py", ".md", ".toml", ".txt", ".cfg")
    return [ROOT / n for n in names if n.endswith(keep) or Path(n).name == "Makefile"]


def test_every_markdown_file_named_exists():
    """A comment or doc pointing at a .md file the repository lacks fails (a reader cannot follow it)."""
    files = _tracked_text_files()
    present = {p.relative_to(ROOT).as_posix() for p in files} | {p.name for p in files}
    missing = set()
    for path in files:
        for ref in re.findall(r"[\w./-]+\.md\b", path.read_text(encoding="utf-8", errors="replace")):
            ref = ref.lstrip("./")
            if ref not in present and Path(ref).name not in present:
                missing.add(f"{path.relative_to(ROOT)}: {ref}")
    assert not missing, sorted(missing)


def test_dean_majumdar_constant_is_written_unambiguously():
    """'ln 3/4' reads as ln(3/4); the constant is (ln 3)/4."""
    bad = []
    for path in _tracked_text_files():
        if path.name == Path(__file__).name:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if re.search(r"(?<!\()\\?ln\s?3\s?/\s?4", line):
                bad.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not bad, bad
