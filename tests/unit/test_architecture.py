"""The rules that hold the package together, read from the source (AST), not from a diagram.

No import cycles (lazy imports included); one module imports Dask; one
creates a process pool; no module reaches another's private names; the
library never imports the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "saddlesim"
# private modules meant for the whole package (names of shared helpers)
SHARED_PRIVATE = {"saddlesim.runtime.validate", "saddlesim.index.ieee"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        name = ".".join(("saddlesim", *p.relative_to(PKG).with_suffix("").parts))
        out[name.removesuffix(".__init__")] = p
    return out


MODULES = _modules()


def _imports(path: Path):
    """(module imported, names taken from it) for every import anywhere in the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        deps = set()
        for module, names in _imports(path):
            if module not in MODULES:
                continue
            subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
            deps.update(subs)
            if len(subs) < len(names) or not names:
                deps.add(module)
        graph[name] = deps - {name}
    return graph


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_cycle_finder_sees_a_cycle():
    """Negative control: a planted two-module cycle is found."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


def test_exactly_one_module_imports_dask():
    users = {name for name, path in MODULES.items()
             for module, _ in _imports(path) if module.split(".")[0] in ("dask", "distributed")}
    assert users == {"saddlesim.runtime.cluster"}


def test_exactly_one_place_creates_a_process_pool():
    makers = {name for name, path in MODULES.items()
              if "ProcessPoolExecutor(" in path.read_text(encoding="utf-8")
              or "multiprocessing.Pool(" in path.read_text(encoding="utf-8")}
    assert makers == {"saddlesim.runtime.parallel"}


def test_no_module_imports_another_modules_private_names():
    reach = sorted(f"{name}: {module}.{n}" for name, path in MODULES.items()
                   for module, names in _imports(path)
                   if module.startswith("saddlesim") and module not in SHARED_PRIVATE
                   for n in names if n.startswith("_") and not n.startswith("__"))
    assert reach == []


def test_library_does_not_import_the_cli_statically():
    bad = sorted(name for name, path in MODULES.items() if not name.startswith("saddlesim.cli")
                 for module, _ in _imports(path) if module.startswith("saddlesim.cli"))
    assert bad == []


# math, index and the engines never draw figures or know the kinds that call them
LOWER = ("saddlesim.theory", "saddlesim.index", "saddlesim.models", "saddlesim.sweep", "saddlesim.rare",
         "saddlesim.landscapes", "saddlesim.critical", "saddlesim.searches", "saddlesim.descent",
         "saddlesim.detection", "saddlesim.curvature")
UPPER = ("saddlesim.plots", "saddlesim.kinds", "saddlesim.cli")


def _reaches_up(graph, lower=LOWER, upper=UPPER) -> list[str]:
    return sorted(f"{a} -> {b}" for a, deps in graph.items() if a.startswith(lower)
                  for b in deps if b.startswith(upper))


def test_math_index_and_engines_do_not_import_plots_kinds_or_the_cli():
    assert _reaches_up(_graph()) == []


def test_layer_rule_sees_a_violation():
    """Negative control: theory importing a plot is caught."""
    assert _reaches_up({"saddlesim.theory.exact": {"saddlesim.plots.style"}}) == [
        "saddlesim.theory.exact -> saddlesim.plots.style"]


def test_no_loose_modules_at_the_top():
    """Every module but the package's own face lives in a package named by its concept."""
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert top == ["__init__.py", "stats.py"]


REPORT = "saddlesim.report"
# what the report may read: its own modules, the record and io helpers, the figure style (never an engine or a kind)
REPORT_MAY_IMPORT = ("saddlesim.report", "saddlesim.runtime", "saddlesim.plots")


def _report_breaks_layer(graph) -> list[str]:
    wrong = [f"{a} -> {b}" for a, deps in graph.items() if not a.startswith((REPORT, "saddlesim.cli"))
             for b in deps if b.startswith(REPORT)]
    wrong += [f"{a} -> {b}" for a, deps in graph.items() if a.startswith(REPORT)
              for b in deps if not b.startswith(REPORT_MAY_IMPORT)]
    return sorted(wrong)


def test_report_is_a_top_layer_that_never_simulates():
    """Only the CLI imports saddlesim.report; the report imports no engine, kind or theory."""
    assert _report_breaks_layer(_graph()) == []


def test_report_layer_rule_sees_violations():
    """Negative control: a kind importing the report, and the report importing an engine, are caught."""
    assert _report_breaks_layer({"saddlesim.kinds.sweep": {"saddlesim.report.build"},
                                 "saddlesim.report.page": {"saddlesim.sweep.engine"}}) == [
        "saddlesim.kinds.sweep -> saddlesim.report.build", "saddlesim.report.page -> saddlesim.sweep.engine"]


# losses know nothing of the finder, and the finder nothing of runs over many instances
BELOW_FINDER = {"saddlesim.landscapes": ("saddlesim.critical", "saddlesim.searches"),
                "saddlesim.critical": ("saddlesim.searches",)}


def _finder_layers_broken(graph) -> list[str]:
    return sorted(f"{a} -> {b}" for a, deps in graph.items() for low, banned in BELOW_FINDER.items()
                  if a.startswith(low + ".") or a == low for b in deps if b.startswith(banned))


def test_losses_do_not_import_the_finder_and_the_finder_not_the_runs():
    assert _finder_layers_broken(_graph()) == []


def test_finder_layer_rule_sees_a_violation():
    """Negative control: a loss importing the verdict, and Newton-MR importing a run plan, are caught."""
    assert _finder_layers_broken({"saddlesim.landscapes.pspin": {"saddlesim.critical.verdict"},
                                  "saddlesim.critical.solve": {"saddlesim.searches.plan"}}) == [
        "saddlesim.critical.solve -> saddlesim.searches.plan",
        "saddlesim.landscapes.pspin -> saddlesim.critical.verdict"]
