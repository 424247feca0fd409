"""A pairing report a coordinator can share: one self-contained HTML file.

:func:`write` (also :meth:`Matching.to_html <mentormatch.Matching.to_html>`
and ``mentormatch report``) writes the summary, the pairs with their
reasons, the unmatched with theirs, the methods side by side, the plots and,
when given, the end-of-year evaluation, into one file that:

* makes no request of any kind: no script, no CDN, no web font; the plots
  are SVG embedded as ``data:`` URIs with the text drawn as paths, and a
  Content-Security-Policy forbids anything else;
* prints cleanly on A4 (page margins, table headers repeated on each page,
  no row or figure split across pages);
* has a caption and header cells on every table and alt text on every image;
* shows personal attributes (age, gender, region, languages) only with
  ``personal=True``; ids, programmes and units otherwise;
* escapes every text that comes from the data;
* never overwrites an existing file unless asked (``force=True``), nor
  an input file.

Plots need matplotlib (the ``plot`` extra); without it the report says so
and leaves them out.
"""

from __future__ import annotations

import base64
import html
import importlib.metadata
import io
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from mentormatch import plot
from mentormatch._validation import check_option, describe, fail, param_where
from mentormatch.analysis import compare
from mentormatch.evaluation import Evaluation, evaluation_html
from mentormatch.io import check_target
from mentormatch.matching import METHODS, Matching, _register_report_writer, match

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PERSONAL_ATTRIBUTES", "render", "write"]

#: Columns shown only when the report is asked for personal attributes.
PERSONAL_ATTRIBUTES: Final = ("age", "gender", "region", "languages")

_CSP: Final = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

_CSS: Final = """
@page { size: A4; margin: 14mm 12mm; }
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #1d1d1f; background: #fff; margin: 0 auto; padding: 1.5rem;
       max-width: 60rem; line-height: 1.4; font-size: 11pt; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #ccc;
     break-after: avoid; }
p.lead { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 9.5pt; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
td { overflow-wrap: anywhere; }
table#summary { width: auto; }
thead th { background: #eef1f5; }
tbody th { font-weight: 600; background: #f7f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr, figure, img, table.keep { break-inside: avoid; page-break-inside: avoid; }
caption { break-after: avoid; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 9.5pt; color: #444; }
footer { margin-top: 2rem; font-size: 9pt; color: #555; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  section { break-inside: auto; }
}
"""


def _installed_version() -> str:
    # Not mentormatch.__version__: the package's __init__ imports this module.
    try:
        return importlib.metadata.version("mentormatch-pairing")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a bare source tree
        return "(version unknown)"


_VERSION: Final = _installed_version()


def render(
    matching: Matching,
    *,
    title: str | None = None,
    evaluation: Evaluation | None = None,
    personal: bool = False,
    methods: Sequence[str] | None = None,
) -> str:
    """The report as an HTML string (see :func:`write`).

    Parameters
    ----------
    matching : Matching
    title : str, optional
    evaluation : Evaluation, optional
        From :func:`mentormatch.evaluate`, for the end-of-year section.
    personal : bool, default False
        Show the personal attributes (age, gender, region, languages).
    methods : sequence of str, optional
        The methods to compare; default every method of :func:`match`.

    Returns
    -------
    str

    Examples
    --------
    >>> import mentormatch as mm
    >>> from mentormatch import report
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(4, 4, rng=0)))
    >>> page = report.render(pairing, title="Pilot <2026>")
    >>> "<title>Pilot &lt;2026&gt;</title>" in page, "<script" in page
    (True, False)
    """
    owner = "report.render"
    if not isinstance(matching, Matching):
        raise fail(param_where("matching", owner), "a Matching (from match)", describe(matching))
    if evaluation is not None and not isinstance(evaluation, Evaluation):
        raise fail(
            param_where("evaluation", owner), "an Evaluation (from evaluate)", describe(evaluation)
        )
    if not isinstance(personal, bool):
        raise fail(param_where("personal", owner), "True or False", describe(personal))
    if title is None:
        title = "Mentoring pairing report"
    elif not isinstance(title, str):
        raise fail(param_where("title", owner), "a string", describe(title))
    if methods is None:
        chosen = list(METHODS)
    elif isinstance(methods, str) or not isinstance(methods, Sequence):
        raise fail(param_where("methods", owner), "a sequence of method names", describe(methods))
    else:
        chosen = [check_option(m, "methods", owner, METHODS) for m in methods]

    summary = matching.summary()
    n_unmatched = len(matching.unmatched)
    lead = (
        f"{summary['n_pairs']:.0f} pairs made by the {matching.method} method"
        + (f" ({matching.proposer} proposing)" if matching.proposer else "")
        + f", {n_unmatched} {'person' if n_unmatched == 1 else 'people'} unmatched. "
        + "Scores are in [0, 1], higher is better; weights: "
        + ", ".join(f"{k} {v:g}" for k, v in matching.scores.weights.items())
        + "."
    )
    sections = [
        _section("Summary", _summary_table(summary)),
        _section("Pairs", _pairs_table(matching, personal)),
        _section("Unmatched", _unmatched_table(matching)),
        _section("Methods compared", _compare_table(matching, chosen)),
        _section("Plots", _plots(matching, chosen)),
    ]
    if evaluation is not None:
        sections.append(_section("After the year: evaluation", _evaluation(evaluation)))
    esc = html.escape
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n"
        f'<body><header><h1>{esc(title)}</h1><p class="lead">{esc(lead)}</p></header>\n'
        + "\n".join(sections)
        + f"\n<footer>Made with mentormatch {esc(_VERSION)}. "
        + (
            "Personal attributes are shown."
            if personal
            else "Personal attributes (age, gender, region, languages) are left out."
        )
        + "</footer></body></html>\n"
    )


def write(
    matching: Matching,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    evaluation: Evaluation | None = None,
    personal: bool = False,
    methods: Sequence[str] | None = None,
    force: bool = False,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write the pairing report: one self-contained HTML file.

    Parameters
    ----------
    matching : Matching
    path : str or path-like
        The file to write (UTF-8).
    title : str, optional
        Default "Mentoring pairing report".
    evaluation : Evaluation, optional
        From :func:`mentormatch.evaluate`, for the end-of-year section.
    personal : bool, default False
        Show the personal attributes (age, gender, region, languages).
    methods : sequence of str, optional
        The methods to compare; default every method of :func:`match`.
    force : bool, default False
        Replace an existing file; otherwise an existing file is an error.
    protect : iterable of path-like, default ()
        Files never to write over, even with ``force`` (the input files).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InvalidInputError
        When ``path`` exists and ``force`` is False, or is in ``protect``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import mentormatch as mm
    >>> from mentormatch import report
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(4, 4, rng=0)))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> report.write(pairing, path).name
    'report.html'
    >>> report.write(pairing, path)
    Traceback (most recent call last):
    ...
    mentormatch.exceptions.InvalidInputError: parameter 'path' of report.write: expected a file that does not exist yet (or force=True to overwrite it), got '...report.html', which exists.
    """
    owner = "report.write"
    target = check_target(path, param="path", owner=owner, protect=protect, force=force)
    page = render(matching, title=title, evaluation=evaluation, personal=personal, methods=methods)
    try:
        # "x" creates the file only if it is still not there: no race with another writer.
        with open(target, "w" if force else "x", encoding="utf-8") as out:
            out.write(page)
    except FileExistsError:
        check_target(path, param="path", owner=owner, force=force)  # raises, with the message
        raise
    return target


# --------------------------------------------------------------------------- parts
def _section(heading: str, body: str) -> str:
    anchor = heading.lower().split(":")[0].replace(" ", "-")
    return f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>{body}</section>'


def _cell(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, np.integer)):
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, (float, np.floating)):
        text = "–" if np.isnan(value) else f"{float(value):.3g}"
        return f'<td class="num">{text}</td>'
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return f"<td>{html.escape(str(value))}</td>"


def _table(
    frame: pd.DataFrame, caption: str, *, table_id: str | None = None, row_header: bool = False
) -> str:
    """A table with a caption and header cells; the index as row headers when asked."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in frame.columns)
    if row_header:
        head = f'<th scope="col">{esc(str(frame.index.name or ""))}</th>' + head
    rows = []
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        first = f'<th scope="row">{esc(str(label))}</th>' if row_header else ""
        rows.append(f"<tr>{first}{''.join(_cell(v) for v in row)}</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    # A short table stays on one page with its caption; a long one breaks between rows.
    keep = ' class="keep"' if len(frame) <= _KEEP_ROWS else ""
    return (
        f"<table{ident}{keep}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


#: Tables with at most this many rows are kept on one printed page.
_KEEP_ROWS: Final = 30

_SUMMARY_LABELS: Final = {
    "n_pairs": "pairs",
    "total_score": "total score",
    "mean_score": "mean pair score",
    "min_score": "worst pair score",
    "blocking_pairs": "blocking pairs (would both rather be together)",
}


def _summary_table(summary: pd.Series) -> str:
    frame = pd.DataFrame({"value": list(summary.to_numpy())}, index=list(summary.index))
    frame.index = pd.Index([_SUMMARY_LABELS.get(str(k), str(k)) for k in frame.index])
    frame.index.name = "figure"
    return _table(frame, "Pairing-quality figures", table_id="summary", row_header=True)


def _pairs_table(matching: Matching, personal: bool) -> str:
    """One row per pair; each person's cell holds their id, programme or unit (and, when
    asked, their personal attributes), so that the table fits an A4 page."""
    esc = html.escape
    cohort = matching.scores.cohort
    students, managers = cohort.students, cohort.managers
    pairs = matching.pairs
    criteria = list(matching.scores.components)
    reasons = matching.reasons().to_numpy()

    def person(table: pd.DataFrame, k: int, detail: str) -> str:
        lines = [f"<strong>{esc(str(table['id'].iloc[k]))}</strong>"]
        lines.append(esc(_text(table[detail].iloc[k])))
        if personal:
            shown = [_text(table[a].iloc[k]) for a in PERSONAL_ATTRIBUTES if a in table.columns]
            if any(shown):
                lines.append(f"<small>{esc('; '.join(v for v in shown if v))}</small>")
        return f"<td>{'<br>'.join(lines)}</td>"

    head = ["student (programme)", "manager (unit)", "score", *criteria, "reason"]
    rows = []
    for k, (i, j) in enumerate(zip(matching.rows.tolist(), matching.cols.tolist(), strict=True)):
        cells = [person(students, i, "programme"), person(managers, j, "unit")]
        cells.append(_cell(float(pairs["score"].iloc[k])))
        cells += [_cell(float(pairs[name].iloc[k])) for name in criteria]
        reason = str(reasons[k]) + (" (fixed)" if bool(matching.fixed[k]) else "")
        cells.append(f"<td>{esc(reason)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    personal_note = " and their age, gender, region and languages" if personal else ""
    caption = (
        f"The {len(rows)} pairs: each person's programme or unit{personal_note}, the total "
        "score, each criterion's score and a one-line reason"
    )
    header = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    keep = ' class="keep"' if len(rows) <= _KEEP_ROWS // 2 else ""
    return (
        f'<table id="pairs"{keep}><caption>{esc(caption)}</caption><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _unmatched_table(matching: Matching) -> str:
    unmatched = matching.unmatched
    if unmatched.empty:
        return "<p>Everyone is paired.</p>"
    return _table(
        unmatched, f"The {len(unmatched)} people left unpaired, and why", table_id="unmatched"
    )


_COMPARE_COLUMNS: Final = {
    "n_pairs": "pairs",
    "total_score": "total",
    "min_score": "worst pair",
    "blocking_pairs": "blocking pairs",
    "student_rank_mean": "students' mean rank of partner",
    "manager_rank_mean": "managers' mean rank of partner",
    "total_vs_best": "total vs best",
    "min_vs_best": "worst vs best",
}


def _compare_table(matching: Matching, methods: list[str]) -> str:
    proposer = matching.proposer or "students"
    table = compare(matching.scores, methods=methods, proposer=proposer)
    shown = table[[c for c in _COMPARE_COLUMNS if c in table.columns]]
    shown = shown.rename(columns=_COMPARE_COLUMNS)
    caption = (
        f"Each method on the same scores (this report's pairing: {matching.method}); "
        "a rank of 1 is a person's best allowed partner"
    )
    return _table(shown, caption, table_id="methods", row_header=True)


def _evaluation(evaluation: Evaluation) -> str:
    body = evaluation_html(evaluation)
    if evaluation.n_rated:
        body += _figure(
            lambda figure: plot.evaluation_panels(evaluation, figure=figure),
            alt=(
                f"Scatter plots of each rated pair's score (the total and each criterion) "
                f"against the rating {evaluation.ratings[0]}, {evaluation.n_rated} pairs."
            ),
            caption=f"Scores against the rating '{evaluation.ratings[0]}', one panel per score.",
            size=(3.0 * (1 + len(evaluation.criteria)), 3.0),
        )
    return body


# --------------------------------------------------------------------------- plots
def _plots(matching: Matching, methods: list[str]) -> str:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            "<p>Plots are left out: matplotlib is not installed "
            "(pip install 'mentormatch-pairing[plot]').</p>"
        )
    scores = matching.scores
    n_s, n_m = scores.shape
    parts = [
        _figure(
            lambda figure: _one(figure, lambda ax: plot.score_heatmap(scores, matching, ax=ax)),
            alt=(
                f"Heatmap of the total score of every student-manager pair, {n_s} students by "
                f"{n_m} managers, with the {len(matching.rows)} chosen pairs outlined."
            ),
            caption="Every candidate pair's total score; the chosen pairs are outlined.",
            size=(7.0, 5.5),
        ),
        _figure(
            lambda figure: _one(
                figure,
                lambda ax: plot.score_distribution(
                    {
                        m: match(scores, method=m, proposer=matching.proposer or "students")
                        for m in methods
                    },
                    ax=ax,
                ),
            ),
            alt="Box plots of the pair scores under each method: " + ", ".join(methods) + ".",
            caption="The distribution of pair scores under each method.",
            size=(6.0, 3.5),
        ),
    ]
    if 0 < len(matching.rows) <= 40:
        parts.append(
            _figure(
                lambda figure: _one(figure, lambda ax: plot.criterion_breakdown(matching, ax=ax)),
                alt=(
                    "Stacked bars: each pair's total split into the weighted contributions "
                    "of " + ", ".join(scores.components) + "."
                ),
                caption="What makes each pair: the criteria's weighted contributions.",
                size=(7.0, 4.0),
            )
        )
    return "".join(parts)


def _one(figure: Any, draw: Callable[[Axes], Any]) -> None:
    draw(figure.subplots())


def _figure(
    draw: Callable[[Any], Any], *, alt: str, caption: str, size: tuple[float, float]
) -> str:
    """Draw on a new matplotlib Figure (no pyplot, no global state) and embed it as SVG."""
    import matplotlib
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    draw(figure)
    figure.set_size_inches(*size)
    buffer = io.StringIO()
    # Fixed ids and no date: the same pairing gives the same file. Text as paths: no font
    # is needed (or fetched) to show it.
    with matplotlib.rc_context({"svg.hashsalt": "mentormatch", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


_register_report_writer(write)  # Matching.to_html's door (matching.py cannot import this module)
