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


# "the seed's claim" named a document the repository does not hold, and collides with --seed (a random
# seed); the claim is "the coin-flip claim" (independent fair signs). The same pattern as the repository's hook.
_CLAIM_AS_SEED = re.compile(r"the seed'?s?\b[^=(0-9]|seed's", re.IGNORECASE)
# a random seed may still be "the seed" when the sentence goes on about randomness
_RANDOM_SEED = re.compile(r"the seed (of|that|for|and|it|is|was|sequence|key)\b|--seed|random", re.IGNORECASE)


def _reader_files() -> list[Path]:
    return [p for p in _tracked_text_files()
            if p.relative_to(ROOT).parts[0] in ("saddlesim", "docs", "experiments") or p.name == "README.md"]


def test_no_text_a_reader_sees_calls_the_claim_the_seed():
    bad = []
    for path in _reader_files():
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if _CLAIM_AS_SEED.search(line) and not _RANDOM_SEED.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not bad, bad


def test_claim_check_negative_control():
    assert _CLAIM_AS_SEED.search("P(min) against the seed's 2^-n")
    assert _CLAIM_AS_SEED.search("label=\"seed's model\"")
    assert not _CLAIM_AS_SEED.search("P(min) against the coin-flip 2^-n (independent fair signs)")


def test_no_table_column_or_summary_key_names_the_claim_seed():
    """Columns and JSON keys the kinds write: 'seed' only as a random seed (coverage_seeds, probe_seed)."""
    bad = []
    for path in _reader_files():
        if path.suffix != ".py" or path.relative_to(ROOT).as_posix() == "saddlesim/runtime/io.py":
            continue  # io.py holds the legacy names, to read tables written before the rename
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"[\"'](\w*seed\w*)[\"']\s*:", text):
            if m.group(1) not in ("seed", "seed_entropy", "coverage_seeds", "probe_seed"):
                bad.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
        for m in re.finditer(r"df\[[\"'](\w*seed\w*)[\"']\]\s*=", text):
            bad.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
    assert not bad, bad
