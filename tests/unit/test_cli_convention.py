"""One command-line convention across every command (see saddlesim.cli.app's docstring)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.models.spec import MODEL_NAMES

runner = CliRunner()
WIDE = {"COLUMNS": "250", "TERMINAL_WIDTH": "250"}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env=WIDE)


def _commands():
    group = typer.main.get_command(app)
    ctx = group.make_context("saddlesim", ["--help"], resilient_parsing=True)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}, ctx


def _short_to_long():
    """{command: {short flag: long flag}} from the registered options."""
    cmds, ctx = _commands()
    out = {}
    for name, cmd in cmds.items():
        table = {}
        for p in cmd.get_params(ctx):
            longs = [o for o in p.opts if o.startswith("--")]
            for o in p.opts:
                if not o.startswith("--") and o.startswith("-"):
                    table[o] = longs[0]
        out[name] = table
    return out


def test_every_short_flag_means_one_thing_everywhere():
    meaning: dict[str, set] = {}
    for table in _short_to_long().values():
        for short, long in table.items():
            meaning.setdefault(short, set()).add(long)
    clashes = {s: ls for s, ls in meaning.items() if len(ls) > 1}
    assert not clashes, f"short flags with several meanings: {clashes}"
    assert meaning["-n"] == {"--n"} and meaning["-s"] == {"--samples"}


def test_dimension_option_has_dash_n_and_seed_has_no_short_form():
    cmds, ctx = _commands()
    for name, cmd in cmds.items():
        for p in cmd.get_params(ctx):
            if "--n" in p.opts:
                assert "-n" in p.opts, f"{name}: --n without -n"
            if "--seed" in p.opts:
                assert p.opts == ["--seed"], f"{name}: --seed has a short form {p.opts}"


@pytest.mark.parametrize("command", ["", "sweep", "rare", "exact", "classify", "run", "plot", "landscape"])
def test_help_names_every_value_never_a_type_placeholder(command):
    """Catches an option left without a metavar (typer prints ``--seed <str>``, ``FILE <path>``)."""
    r = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    for placeholder in ("<str>", "<int>", "<float>", "<bool>", "<path>", "<list", "<text>"):
        assert placeholder not in r.output, (command, placeholder)
    if command in ("sweep", "rare"):
        assert {"goe", "gue", "gse", "beta", "independent"} <= _words(r.output)
    if command == "sweep":
        assert "tridiagonal|dense" in r.output
    if command == "exact":
        assert "table|csv" in r.output


@pytest.mark.parametrize("width", ["80", "100"])
def test_sweep_help_lists_every_model_unbroken(width):
    """Catches the model list as a metavar, which the table broke mid-name ('inde|pendent')."""
    r = runner.invoke(app, ["sweep", "--help"], env={"COLUMNS": width})
    words = _words(r.output)
    for name in MODEL_NAMES:
        assert name in words, name


def _words(text: str) -> set[str]:
    return {w.strip(",;.:") for line in text.splitlines() for w in line.strip("│ ").split()}


def _one_line(r, code=2):
    err = r.stderr.strip()
    assert r.exit_code == code, (r.exit_code, r.output)
    assert err.startswith("Error: ") and len(err.splitlines()) == 1, err
    assert "Traceback" not in r.output
    return err


@pytest.mark.parametrize(
    "args, names",
    [
        (["sweep", "--model", "wishart"], ["goe", "gue", "gse", "beta", "independent"]),
        (["rare", "--model", "wishart"], ["goe", "gue", "gse", "beta", "independent"]),
        (["sweep", "--method", "qr"], ["tridiagonal", "dense"]),
        (["exact", "--format", "xml"], ["table", "csv"]),
    ],
)
def test_unknown_choice_names_the_valid_ones(tmp_path, args, names):
    err = _one_line(invoke(*args, "--out", tmp_path / "x") if args[0] != "exact" else invoke(*args))
    for name in names:
        assert name in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("args", [["exact", "--bogus"], ["sweep", "-z"], ["nosuchcommand"], ["classify"]])
def test_usage_errors_are_one_line(args):
    _one_line(invoke(*args))


@pytest.mark.parametrize("command", ["sweep", "rare"])
def test_seed_reads_the_same_forms_everywhere(tmp_path, command):
    for bad in ("1e3", "-1", "seven", "1.5"):
        err = _one_line(invoke(command, "--seed", bad, "--out", tmp_path / "x"))
        assert "--seed must be an integer >= 0" in err
    assert not (tmp_path / "x").exists()


def test_seed_with_underscores_is_the_same_seed(tmp_path):
    base = ["sweep", "--model", "goe", "-n", "2", "-s", "2_000", "--no-plot", "--quiet", "-w", "1"]
    a, b = tmp_path / "a", tmp_path / "b"
    assert invoke(*base, "--seed", "1_000", "--out", a).exit_code == 0
    assert invoke(*base, "--seed", "1000", "--out", b).exit_code == 0
    assert json.loads((a / "meta.json").read_text())["seed_entropy"] == "1000"
    assert (a / "results.csv").read_bytes() == (b / "results.csv").read_bytes()


@pytest.mark.parametrize("command", ["sweep", "landscape"])
def test_default_output_is_outside_committed_results(command):
    """``results/`` belongs to ``make experiments``; a command's default folder lies elsewhere."""
    cmds, ctx = _commands()
    out = next(p for p in cmds[command].get_params(ctx) if "--out" in p.opts)
    assert not Path(out.default).parts[0] == "results"


def test_precision_failure_is_one_line_exit_1(monkeypatch):
    import saddlesim.theory
    from saddlesim.theory.exact import PrecisionError

    def boom(*a, **k):
        raise PrecisionError("P(min) for n=5, beta=1 did not converge up to 90 digits")

    monkeypatch.setattr(saddlesim.theory, "exact_table", boom)
    err = _one_line(invoke("exact", "-n", "5"), code=1)
    assert "did not converge" in err


def test_engine_failure_is_one_line_exit_1(monkeypatch, tmp_path):
    import saddlesim.rare.table

    def boom(*a, **k):
        raise RuntimeError("a replicate's population died out; use more walkers")

    # the engine under both paths of `saddlesim rare` (with and without --out)
    monkeypatch.setattr(saddlesim.rare.table, "run_cells", boom)
    err = _one_line(invoke("rare", "-n", "3", "--seed", "1", "--out", tmp_path / "o"), code=1)
    assert "died out" in err and not (tmp_path / "o").exists()


def test_library_never_imports_the_cli():
    """Import every library module in a fresh interpreter; saddlesim.cli must not come along."""
    root = Path(__file__).resolve().parents[2] / "saddlesim"
    modules = sorted(
        "saddlesim." + ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for p in root.rglob("*.py") if "cli" not in p.relative_to(root).parts
    )
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m.rstrip('.'))\n"
            "from saddlesim.kinds.registry import KINDS\n"
            "[k.get(role) for k in KINDS.values() for role in ('runner', 'plotter')]\n"
            "bad = sorted(m for m in sys.modules if m.startswith('saddlesim.cli'))\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_classify_symmetrize_labels_nearly_symmetric_hessians(tmp_path):
    """Autodiff-like asymmetry of 1e-9: refused by default (with the way out), labelled with --symmetrize."""
    rng = np.random.default_rng(3)
    H = np.stack([np.diag([1.0, 2.0, 3.0]), np.diag([-1.0, 2.0, 3.0])])
    H = H + 1e-9 * rng.standard_normal(H.shape)
    f = tmp_path / "h.npy"
    np.save(f, H)
    err = _one_line(invoke("classify", f))
    assert "--symmetrize" in err
    out = tmp_path / "labels.csv"
    r = invoke("classify", f, "--symmetrize", "--out", out)
    assert r.exit_code == 0, r.output
    worst = np.abs(H - np.swapaxes(H, 1, 2)).max()
    assert f"{worst:.3g}" in r.stdout and "largest asymmetry" in r.stdout
    assert out.read_text().splitlines()[1:] == ["0,0,minimum,0,0,3,minimum", "1,1,saddle,1,0,2,saddle"]


def test_symmetric_part_is_exact():
    from saddlesim.index.classify import symmetric_part

    H = np.array([[1.0, 2.0], [4.0, 3.0]])
    S, asym = symmetric_part(H)
    np.testing.assert_array_equal(S[0], [[1.0, 3.0], [3.0, 3.0]])
    assert asym.tolist() == [2.0]
    with pytest.raises(ValueError, match="NaN"):
        symmetric_part(np.array([[np.nan, 0.0], [0.0, 1.0]]))


def test_parsers_read_one_set_of_forms():
    from saddlesim.runtime.parsing import parse_count, parse_int_list, parse_seed

    assert parse_seed("1_000") == parse_seed("1000") == 1000 and parse_seed(" 7 ") == 7
    for bad in ("1e3", "-1", "", "0x10", "1.0"):
        with pytest.raises(ValueError, match="--seed"):
            parse_seed(bad)
    assert parse_count("1_000_000") == parse_count("1e6") == 1_000_000
    with pytest.raises(ValueError, match="--samples"):
        parse_count("1.5")
    assert parse_int_list("2-4,10") == [2, 3, 4, 10]


def test_one_writable_folder_check(tmp_path):
    from saddlesim.runtime.io import check_writable_dir, check_writable_file

    f = tmp_path / "file"
    f.write_text("x")
    check_writable_dir(tmp_path / "new" / "deeper")  # creatable: fine, and nothing created
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    for bad, match in [(f, "not a directory"), (f / "below", "not a directory")]:
        with pytest.raises(ValueError, match=match):
            check_writable_dir(bad)
    with pytest.raises(ValueError, match="is a directory"):
        check_writable_file(tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        check_writable_file(tmp_path / "missing" / "x.csv")


@pytest.mark.parametrize("command", [
    ["sweep", "--n", "2", "--samples", "10", "--no-plot"],
    ["landscape", "--dim", "3", "--starts", "2"],
    ["rare", "--n", "3"],
])
def test_every_command_refuses_a_negative_seed_in_one_line(tmp_path, command):
    """numpy refuses SeedSequence(-5) with a traceback; every command must refuse it first, alike."""
    out = tmp_path / "o"
    r = runner.invoke(app, [*command, "--seed", "-5", "--out", str(out)])
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err.startswith("Error: --seed must be an integer >= 0") and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_the_cli_loads_without_the_heavy_engines():
    """What ``saddlesim --help`` imports (a fresh interpreter): none of numba, scipy.stats, pandas,
    matplotlib, mpmath or the engines. Catches a command module importing them at its top again (the
    cause of a 1–2 s, 250 MB start); the time itself is measured by ``make bench`` (startup)."""
    heavy = ["numba", "jax", "scipy.stats", "pandas", "matplotlib", "mpmath", "saddlesim.rare", "saddlesim.theory",
             "saddlesim.sweep", "saddlesim.landscapes", "distributed"]
    code = ("import sys; from saddlesim.cli import app; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    assert loaded == "", loaded
