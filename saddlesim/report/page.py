"""The report as one HTML page: plain HTML and CSS, relative links, no script, prints to PDF.

Every number on the page is printed from a table cell (:mod:`saddlesim.report.numbers`);
this module only lays them out.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from saddlesim.report.captions import caption
from saddlesim.report.findings import finder_key, findings
from saddlesim.report.folders import Folder
from saddlesim.report.numbers import Num, fmt_html, sentence_html, text_html
from saddlesim.report.tables import headline

__all__ = ["render_page", "section_id", "CSS"]

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #ccc; --accent: #0072B2; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Serif", Georgia, serif; color: var(--ink); line-height: 1.45; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
a { color: var(--accent); }
nav ol { columns: 2; padding-left: 1.5rem; }
.num { font-variant-numeric: tabular-nums; }
.lead p { font-size: 1.05rem; }
.folder { color: var(--muted); font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100% !important; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .8rem; font-family: "DejaVu Sans", sans-serif; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #e5e5e5; text-align: right; white-space: nowrap; }
th { border-bottom: 1px solid var(--ink); }
.note { font-size: .8rem; color: var(--muted); }
.made dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; font-size: .85rem; margin: 0; }
.made dt { color: var(--muted); }
.made dd { margin: 0; overflow-wrap: anywhere; }
pre.spec { font-size: .75rem; background: #f6f6f6; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
ul.files { columns: 2; font-size: .85rem; }
details.fold { margin: .6rem 0; }
details.fold > summary { cursor: pointer; font-family: "DejaVu Sans", sans-serif; font-size: .9rem; color: var(--accent); }
.lead h3 { margin-top: .8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  section.result { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  pre.spec { display: none; }
  details.fold > *:not(summary) { display: block; }
  .table-wrap { overflow: visible; }
}
"""


def section_id(folder: Folder) -> str:
    """The anchor of a folder's section: ``result-<folder name>``."""
    return "result-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in folder.name)


def _href(path: Path, base: Path) -> str:
    return quote(Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix())


def _cell(value) -> str:
    if isinstance(value, (bool,)) or value is None:
        return html.escape(str(value))
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return html.escape(f"{value:,}")
    if isinstance(value, float):
        if not math.isfinite(value):
            return "" if math.isnan(value) else html.escape(str(value))
        if float(value).is_integer() and abs(value) < 1e9:
            return html.escape(f"{int(value):,}")
        if 1e3 <= abs(value) < 1e9:
            return html.escape(f"{value:,.1f}".replace("-", "\u2212"))
        if 1e-3 <= abs(value) < 1e3:
            return html.escape(f"{value:.4g}".replace("-", "\u2212"))
        return fmt_html(Num(value, "p")).replace(' title=" · "', "")
    return html.escape(str(value))


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(v.item() if hasattr(v, 'item') else v)}</td>" for v in row)
                   + "</tr>" for row in frame.itertuples(index=False))
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _made(folder: Folder) -> str:
    meta = folder.meta
    prov = meta.get("provenance") or {}
    tim = meta.get("timings") or {}
    items = [("kind", folder.kind + (f" / {folder.study}" if folder.study else "")),
             ("seed entropy", meta.get("seed_entropy") or "none (nothing random)"),
             ("created", prov.get("created", "")),
             ("git revision", prov.get("git_revision", "")),
             ("versions", ", ".join(f"{k} {prov[k]}" for k in ("saddlesim", "python", "numpy", "scipy", "pandas",
                                                                "matplotlib") if k in prov)),
             ("platform", prov.get("platform", "")),
             ("time", f"{tim.get('wall_seconds', '?')} s wall, {tim.get('cpu_seconds', '?')} s CPU"),
             ("quick run", str(bool((meta.get("spec") or {}).get("quick_run", False))).lower())]
    dl = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in items)
    spec = "\n".join(f"{k} = {v!r}" for k, v in (meta.get("spec") or {}).items())
    return (f'<div class="made"><dl>{dl}</dl>'
            f'<details><summary>spec as run</summary><pre class="spec">{html.escape(spec)}</pre></details></div>')


def _display_width(png: Path) -> str:
    """A style width of half the PNG's pixels (300 dpi figures at about their paper size); '' if unreadable."""
    try:
        with open(png, "rb") as fh:
            head = fh.read(24)
    except OSError:
        return ""
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return ""
    width = int.from_bytes(head[16:20], "big")
    return f' style="width: {max(width // 2, 1)}px"'


def _section(folder: Folder, base: Path) -> str:
    sid = section_id(folder)
    parts = [f'<section class="result" id="{sid}" data-folder="{html.escape(folder.name)}">',
             f"<h2>{text_html(folder.title)}</h2>",
             f'<p class="folder">results/{html.escape(folder.name)}/</p>']
    found, problem = findings(folder)
    parts.append("<h3>What it found</h3><ul class=\"findings\">")
    parts += [f"<li>{sentence_html(s)}</li>" for s in found]
    parts.append("</ul>")
    if problem:
        parts.append(f'<p class="note">The sentences of this kind could not be built ({html.escape(problem)}); '
                     "these are read from the record and table sizes.</p>")
    for stem in folder.figures:
        png = folder.path / f"{stem}.png"
        pdf = folder.path / f"{stem}.pdf"
        img = (f'<img src="{_href(png, base)}" alt="{html.escape(stem.replace("_", " "))}"'
               f'{_display_width(png)} loading="eager">')
        link = (f' <a href="{_href(pdf, base)}">PDF</a>' if pdf.is_file() else "")
        parts.append(f"<figure>{img}<figcaption><b>{html.escape(stem)}.</b> "
                     f"{sentence_html(caption(folder, stem))}{link}</figcaption></figure>")
    head = headline(folder)
    if head is not None:
        parts.append(f'<details class="fold"><summary>Headline table ({html.escape(head.source)})</summary>'
                     f'<p class="note">From <a href="{_href(folder.path / head.source, base)}">'
                     f"{html.escape(head.source)}</a>" + (f"; {html.escape(head.note)}" if head.note else "")
                     + ".</p>" + _table(head.frame) + "</details>")
    parts.append(f'<details class="fold"><summary>How it was made</summary>{_made(folder)}</details>')
    files = folder.tables + folder.pdfs + folder.others + ["meta.json"]
    parts.append(f'<details class="fold"><summary>Files ({len(files)})</summary><ul class="files">' + "".join(
        f'<li><a href="{_href(folder.path / name, base)}">{html.escape(name)}</a></li>' for name in files)
        + "</ul></details>")
    parts.append('<p class="note"><a href="#contents">↑ contents</a></p>')
    parts.append("</section>")
    return "\n".join(parts)


# the levels the page answers at, and the folders whose headline speaks for each, in reading order
_LEVELS = (
    ("Random Hessians", "P(min) of Gaussian random matrices against 2<sup>−n</sup>, exactly and by sampling",
     ("exact", "sweep", "rare", "energy")),
    ("Landscapes with exact theory", "critical points enumerated where Kac–Rice or algebra gives the answer",
     ("landscape/pspin", "landscape/linear_autoencoder")),
    ("Real networks", "critical points of a trained classifier and Hessian spectra along training",
     ("network", "trained_spectrum", "landscape/mlp")),
)
_TOP_ORDER = tuple(key for _, _, keys in _LEVELS for key in keys)


def _headline_item(folders: list[Folder], key: str) -> str:
    matching = [f for f in folders if finder_key(f) == key]
    # of several sweeps, the one named for the index probabilities speaks for them
    matching.sort(key=lambda f: f.name != "index_probabilities")
    if not matching:
        return ""
    found, problem = findings(matching[0])
    if not found or problem:
        return ""
    return (f'<li>{sentence_html(found[0])} <a href="#{section_id(matching[0])}">'
            f"({html.escape(matching[0].name)})</a></li>")


def _top(folders: list[Folder]) -> str:
    claim = ("<p><b>The coin-flip claim</b> (independent fair signs): at a critical point of a loss in n dimensions "
             "each Hessian eigenvalue is positive or negative with probability ½, independently, so a critical "
             "point is a minimum with probability 2<sup>−n</sup> and its index is Binomial(n, ½). "
             "<b>The answer:</b> it holds only where it is built in. Gaussian random Hessians repel their "
             "eigenvalues and ln P(min) ≈ −β (ln 3)/4 · n² (Dean &amp; Majumdar 2006), far below 2<sup>−n</sup>; "
             "on landscapes with exact theory and on real networks the index rises with the loss instead of "
             "being a coin flip. Each line below is a result with its number and "
             "a link to its section.</p>")
    blocks = []
    for name, what, keys in _LEVELS:
        items = "".join(_headline_item(folders, key) for key in keys)
        if items:
            blocks.append(f"<h3>{html.escape(name)}</h3><p class=\"note\">{what}</p><ul>{items}</ul>")
    return f'<div class="lead" id="answer">{claim}{"".join(blocks)}</div>'


def _order(folders: list[Folder]) -> list[Folder]:
    # the folders the top quotes first, in its order; every other folder after them, by name
    rank = {key: i for i, key in enumerate(_TOP_ORDER)}
    return sorted(folders, key=lambda f: (rank.get(finder_key(f), len(rank)), f.name))


def render_page(folders: list[Folder], out: Path) -> str:
    """The whole page for ``folders``, with links relative to ``out``'s folder."""
    base = Path(out).parent
    folders = _order(folders)
    toc = "".join(f'<li><a href="#{section_id(f)}">{text_html(f.title)}</a></li>' for f in folders)
    body = "\n".join(_section(f, base) for f in folders)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>saddlesim results</title><style>{CSS}</style></head><body>"
            "<h1>saddlesim: what the results say</h1>"
            f"{_top(folders)}<nav id=\"contents\"><h2>Contents: results folders ({len(folders)})</h2>"
            f"<ol>{toc}</ol></nav>\n{body}"
            "<p class=\"note\">Written by <code>saddlesim report</code> from the results folders alone; "
            "hover a number to see the table cell it was read from.</p></body></html>\n")
