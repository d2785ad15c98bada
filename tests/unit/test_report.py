"""The report generator: a section per folder, and every number of a sentence is the table's.

Every :class:`~saddlesim.report.numbers.Num` names the cell it was read
from; :func:`_resolve` reads that cell again from the files, independently of
the builders, and the tests compare. The sweep sentences are also checked
against values the test reads itself, so a builder reading a wrong column
(``p_min_lo`` for ``p_min``) fails even though its Num would name that column.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from saddlesim.report import build_report
from saddlesim.report.captions import caption
from saddlesim.report.findings import aggregate, findings
from saddlesim.report.folders import discover
from saddlesim.runtime.io import current_columns
from saddlesim.report.numbers import Num, fmt_html, fmt_plain, sentence_text
from tests.report_fixture import make_results_tree

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results_tree(tmp_path_factory.mktemp("report"))


def _resolve(folder: Path, num: Num) -> float:
    """The value a Num claims, read again from its file: a cell, or an aggregate over a column."""
    if num.source == "meta.json" or num.source.endswith(".json"):
        value = json.loads((folder / num.source).read_text(encoding="utf-8"))
        for key in num.column.split("."):
            value = value[key]
        return float(value)
    df = current_columns(pd.read_csv(folder / num.source))  # committed tables may predate the column names
    for key, value in num.where:
        df = df[df[key] == value]
    m = re.fullmatch(r"(max|min|mean|maxabs)\((\w+)\)", num.column)
    if m:
        col = df[m.group(2)].astype(float).dropna()
        return float({"max": col.max(), "min": col.min(), "mean": col.mean(), "maxabs": col.abs().max()}[m.group(1)])
    if num.column == "count(rows)":
        return float(len(df))
    if num.column in df.columns:
        assert len(df) == 1, f"{num.origin()} selects {len(df)} rows"
        return float(df[num.column].iloc[0])
    return math.nan  # a derived quantity the test does not re-derive (named in its column)


def _nums(sentences):
    return [p for s in sentences for p in s if isinstance(p, Num)]


def _check_all_numbers(results_dir: Path) -> int:
    checked = 0
    for f in discover(results_dir):
        found, problem = findings(f)
        assert problem is None, f"{f.name}: {problem}"
        sentences = found + [caption(f, stem) for stem in f.figures]
        for num in _nums(sentences):
            expected = _resolve(f.path, num)
            if math.isnan(expected):
                continue
            assert num.value == pytest.approx(expected, rel=1e-12, abs=0), f"{f.name}: {num.origin()}"
            checked += 1
    return checked


# columns whose values are fractions of a whole (a probability, a coverage, a share of eigenvalues): never a count
_FRACTION = re.compile(r"coverage$|fraction|mass|accuracy|recall|precision|f1|raised|^p_|_p_|^p$|^enumerated$|^exact$")


def _printed_back(num: Num) -> float:
    """The number a reader reads off the page, in the Num's unit: '85.1 %' → 0.851, '2,517' → 2517, '2.3e-14'."""
    text = fmt_plain(num).replace(",", "")
    if num.style == "pct":
        return float(text.removesuffix(" %")) / 100
    value = float(text)
    return math.log10(value) if num.style == "log10" and value > 0 else value


def _unit_problems(folder: Path, sentence) -> list[str]:
    """Why the numbers of one sentence are printed in the wrong unit ([] if none).

    - 'N of …' (a count of things) must be printed as a count or a percentage, never a bare fraction
      ('at least 1 of the probe sets' for a coverage of 1.0 = 20/20);
    - a count ('int') must be a whole number, a percentage a fraction in [0, 1];
    - a fraction column is never printed as a count;
    - what is printed reads back as the value to the printed precision.
    """
    problems = []
    for i, part in enumerate(sentence):
        if not isinstance(part, Num) or not math.isfinite(part.value):
            continue
        after = sentence[i + 1] if i + 1 < len(sentence) and isinstance(sentence[i + 1], str) else ""
        where = f"{part.origin()} printed {fmt_plain(part)!r}"
        before = sentence[i - 1] if i and isinstance(sentence[i - 1], str) else ""
        # 'N of …' counts things; 'within x of …' is a distance, 'a fraction x of …' says its unit
        if (re.match(r"\s*of\b", after) and not before.rstrip().endswith(("within", "fraction"))
                and part.style not in ("int", "pct")):
            problems.append(f"{where} before {after[:20]!r}: a count phrase needs a count or a percentage")
        if part.style == "int" and abs(part.value - round(part.value)) > 1e-9:
            problems.append(f"{where}: a count that is not whole")
        if part.style == "pct" and not 0 <= part.value <= 1:
            problems.append(f"{where}: a percentage of a value outside [0, 1]")
        column = re.sub(r"^\w+\((\w+)\)$", r"\1", part.column)
        if part.style == "int" and _FRACTION.search(column):
            problems.append(f"{where}: the fraction {column} printed as a count")
        value = part.value
        if part.style == "log10" and value < -300:
            continue  # printed as 1e-1209.6: the exponent to one decimal
        back = _printed_back(part)
        if "e" in fmt_plain(part) and part.style != "log10":
            tol = 0.06 * abs(value)  # two significant digits in scientific form
        else:
            tol = {"int": 0.5, "pct": 5e-4, "num4": 5e-4 * abs(value), "log10": 0.03}.get(part.style, 5e-3 * abs(value))
        if abs(back - value) > tol + 1e-15:
            problems.append(f"{where}: reads back as {back}, not {value}")
    return problems


def _check_units(results_dir: Path) -> int:
    checked = 0
    for f in discover(results_dir):
        found, _ = findings(f)
        for sentence in found + [caption(f, stem) for stem in f.figures]:
            problems = _unit_problems(f.path, sentence)
            assert not problems, f"{f.name}: {sentence_text(sentence)!r}: {problems}"
            checked += sum(isinstance(p, Num) for p in sentence)
    return checked


def test_every_number_is_printed_in_its_unit(results):
    """Fractions, counts and percentages: the coverage (a fraction, 1.0 = 20 of 20 probe sets) is a percentage."""
    assert _check_units(results) >= 20
    (f,) = [f for f in discover(results) if f.name == "small_spectrum"]
    (text,) = [sentence_text(s) for s in findings(f)[0] if "covered the dense index" in sentence_text(s)]
    assert "in at least 95.0 % of the probe sets" in text and "as few as 0.0 % of them" in text


def test_unit_check_negative_control(results):
    """The check rejects the old page: a coverage of 1.0 printed as '1 of the probe sets', or as a count."""
    (f,) = [f for f in discover(results) if f.name == "small_spectrum"]
    ch = f.table("checks.csv")
    old = ["covered the dense index in at least ", aggregate(ch, "max", "index_coverage", "checks.csv"),
           " of the probe sets"]
    assert any("count phrase" in p for p in _unit_problems(f.path, old))
    as_count = ["in ", aggregate(ch, "max", "index_coverage", "checks.csv", "int"), " sets"]
    assert any("printed as a count" in p for p in _unit_problems(f.path, as_count))
    assert any("outside [0, 1]" in p for p in _unit_problems(f.path, [Num(20.0, "pct", "checks.csv", "x")]))
    assert _unit_problems(f.path, ["in ", aggregate(ch, "min", "index_coverage", "checks.csv", "pct"), " of them"]) == []


def test_committed_numbers_are_printed_in_their_unit():
    if not any((REPO / "results").glob("*/meta.json")):
        pytest.skip("no committed results")
    assert _check_units(REPO / "results") >= 100


def test_every_number_in_the_fixture_is_its_cell(results):
    assert _check_all_numbers(results) >= 20


def test_every_number_in_the_committed_results_is_its_cell():
    if not any((REPO / "results").glob("*/meta.json")):
        pytest.skip("no committed results")
    assert _check_all_numbers(REPO / "results") >= 100


def _sweep_sentence(results, label):
    (f,) = [f for f in discover(results) if f.name == "small_sweep"]
    found, _ = findings(f)
    (s,) = [sentence_text(s) for s in found if sentence_text(s).startswith(label) and "largest n with" in sentence_text(s)]
    return s


@pytest.mark.parametrize("model,label", [("independent", "independent signs"), ("goe", "GOE")])
def test_sweep_sentence_numbers_equal_the_table(results, model, label):
    """The P(min) sentence prints p_min, p_min_lo, p_min_hi and coinflip_p_min of the largest n with a minimum."""
    df = pd.read_csv(results / "small_sweep" / "results.csv")
    row = df[(df["model"] == model) & (df["minima"] > 0)].sort_values("n").iloc[-1]

    def p(col):
        return fmt_plain(Num(float(row[col]), "p"))

    text = _sweep_sentence(results, label)
    assert f"at n = {int(row['n'])}," in text
    assert f"P(min) = {p('p_min')} (95 % interval {p('p_min_lo')} to {p('p_min_hi')})" in text
    assert f"2^−n = {p('coinflip_p_min')}" in text
    # the planted values are distinct, so a swapped column cannot print the right text
    assert len({row["p_min"], row["p_min_lo"], row["p_min_hi"], row["coinflip_p_min"]}) == 4 or model == "independent"


def test_independent_z_is_the_largest_absolute_z(results):
    df = pd.read_csv(results / "small_sweep" / "results.csv")
    z = df.loc[df["model"] == "independent", "z_min_coinflip"].abs().max()
    assert f"largest |z| against 2^−n is {fmt_plain(Num(z))}." in _sweep_sentence(results, "independent signs")


def test_number_formats():
    assert fmt_plain(Num(-1209.5633, "log10")) == "1e-1209.6"
    assert fmt_plain(Num(-13.6385, "log10")) == "2.3e-14"
    assert fmt_plain(Num(2.3e-14, "p")) == "2.3e-14"
    assert fmt_plain(Num(0.0099, "p")) == "0.0099"
    assert fmt_plain(Num(0.000996, "p")) == "1.0e-3"   # 9.96e-4 rounds up: the mantissa stays below 10
    assert fmt_plain(Num(0.999994, "p")) == "0.99999"  # near 1: never printed as 1
    assert fmt_plain(Num(0.851, "pct")) == "85.1 %"
    assert fmt_plain(Num(2517, "int")) == "2,517"
    assert fmt_plain(Num(0.27341769, "num4")) == "0.2734"
    assert "10<sup>\u22121209.6</sup>" in fmt_html(Num(-1209.5633, "log10", "exact.csv", "log10_p_min"))
    assert 'title="exact.csv · log10_p_min · n=100"' in fmt_html(Num(-1.0, "log10", "exact.csv", "log10_p_min",
                                                                     (("n", 100),)))


def test_a_section_per_folder_and_nothing_from_the_web(results, tmp_path):
    page = build_report(results, tmp_path / "page" / "report.html")
    text = page.read_text(encoding="utf-8")
    assert re.findall(r'data-folder="([^"]+)"', text) == ["small_sweep", "small_network", "small_spectrum", "mystery"]  # the known kind first
    assert "<script" not in text and "http://" not in text and "https://" not in text
    # links are relative to the page's folder
    assert 'src="../../results/small_sweep/p_min.png"' not in text
    assert "results/small_sweep/p_min.png" in text and 'href="/' not in text
    assert "@media print" in text


def test_unknown_kind_gets_generic_sentences(results):
    (f,) = [f for f in discover(results) if f.name == "mystery"]
    found, problem = findings(f)
    texts = [sentence_text(s) for s in found]
    assert problem is None
    assert "final loss: 0.25." in texts and "curve.csv: 3 rows of 2 columns." in texts
    assert f.title == "A kind the report has never seen"


def test_a_builder_that_cannot_read_its_table_falls_back(tmp_path):
    results = make_results_tree(tmp_path)
    path = results / "small_sweep" / "results.csv"
    pd.read_csv(path).drop(columns="p_min_lo").to_csv(path, index=False)
    (f,) = [f for f in discover(results) if f.name == "small_sweep"]
    found, problem = findings(f)
    assert "p_min_lo" in problem
    assert any("results.csv: " in sentence_text(s) for s in found)
    assert "could not be built" in build_report(results).read_text(encoding="utf-8")


def test_cli_report_writes_and_refuses_bad_input(results, tmp_path):
    out = tmp_path / "r.html"
    run = [sys.executable, "-m", "saddlesim.cli", "report"]
    ok = subprocess.run(run + ["--results", str(results), "--out", str(out)], capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0 and out.is_file() and ok.stdout.strip() == str(out)
    bad = subprocess.run(run + ["--results", str(tmp_path / "nope")], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and bad.stderr.startswith("Error:") and len(bad.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    none = subprocess.run(run + ["--results", str(empty)], capture_output=True, text=True, cwd=REPO)
    assert none.returncode == 2 and "no results folder" in none.stderr
    assert not (empty / "report.html").exists()


def test_trained_spectrum_headline_quotes_the_worst_coverage():
    """The headline's coverage is the minimum over checkpoints and τ (a max would hide the failing cases)."""
    folder = REPO / "results" / "trained_spectrum"
    if not (folder / "checks.csv").exists():
        pytest.skip("no committed trained_spectrum results")
    (f,) = [f for f in discover(REPO / "results") if f.name == "trained_spectrum"]
    found, problem = findings(f)
    assert problem is None
    checks = pd.read_csv(folder / "checks.csv")
    (coverage,) = [s for s in found if "covered the dense index" in sentence_text(s)]
    values = [num.value for num in _nums([coverage])]
    assert checks["index_coverage"].min() in values and checks["index_probe_coverage"].min() in values


def _network_folders(results):
    folders = [f for f in discover(results) if f.name == "small_network"]
    if (REPO / "results" / "network_critical_points" / "points.csv").exists():
        folders += [f for f in discover(REPO / "results") if f.name == "network_critical_points"]
    return folders


def test_network_summary_averages_over_distinct_critical_points(results):
    """Many end points are one point (symmetric copies): the page's averages are over distinct points."""
    for f in _network_folders(results):
        found, problem = findings(f)
        assert problem is None
        pts = pd.read_csv(f.path / "points.csv")
        crit = pts[pts["status"] == "critical"]
        distinct = crit.groupby([crit["loss"].round(9), crit["index"]]).head(1)
        frac = distinct["index"] / distinct["n"]
        by_column = {num.column: num.value for num in _nums(found)}
        assert by_column["count(distinct critical points)"] == len(distinct) < len(crit)
        assert by_column["mean(positive / n) over distinct critical points"] == pytest.approx(
            (distinct["positive"] / distinct["n"]).mean(), rel=1e-12)
        # the largest index fraction and the loss it is read at are one row's
        top = distinct.loc[frac.idxmax()]
        assert by_column["loss at max(index / n) over distinct critical points"] == pytest.approx(top["loss"], rel=1e-12)
        assert by_column["index at max(index / n) over distinct critical points"] == top["index"]
        # negative control: the end-point average differs, and the headline does not print it
        endpoint = (crit["positive"] / crit["n"]).mean()
        assert abs(endpoint - by_column["mean(positive / n) over distinct critical points"]) > 0.01
        assert endpoint not in [num.value for num in _nums(found[:1])]


def test_page_opens_with_the_answer_at_every_level_and_folds(results, tmp_path):
    text = build_report(results, tmp_path / "report.html").read_text(encoding="utf-8")
    lead = text[text.index('id="answer"'):text.index('id="contents"')]
    assert "Random Hessians" in lead and "Real networks" in lead
    # each headline links to its section, and every section is one click from the contents
    for name in ("small_sweep", "small_spectrum"):
        assert f'href="#result-{name}"' in lead and f'id="result-{name}"' in text
    assert text.count('<details class="fold">') >= 3 * 3 and text.count('href="#contents"') == 4
