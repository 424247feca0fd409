"""Reporting: the text table, the targets, the notes, the Markdown summary, the CSV and the plot."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import importlib.metadata
import math
import os
import platform
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mmbench import peers
from mmbench.cases import CASES, MIB, STAGES
from mmbench.measurement import COLUMNS, Notes, Row
from mmbench.peers import ROLE_ORDER


def _seconds(value: float) -> str:
    if math.isnan(value):
        return "-"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def _ratio(value: float) -> str:
    if math.isnan(value):
        return ""
    if value < 0.1:
        return f"1/{1 / value:.0f}"
    return f"{value:.2f}"


def _number(value: float, digits: int) -> str:
    return "" if math.isnan(value) else f"{value:.{digits}f}"


TABLE = (
    # header, width, align, cell
    ("stage", 5, "<", lambda r: r.stage),
    ("case", 10, "<", lambda r: r.case),
    ("n x m", 11, ">", lambda r: f"{r.n_rows}x{r.n_cols}"),
    ("method", 15, "<", lambda r: r.method),
    ("role", 9, "<", lambda r: r.role),
    ("reps", 4, ">", lambda r: str(r.repeats) if r.repeats else ""),
    ("time", 9, ">", lambda r: _seconds(r.time_s)),
    ("peak MiB", 8, ">", lambda r: _number(r.peak_mib, 1)),
    ("pairs", 6, ">", lambda r: _number(r.pairs, 0)),
    ("total", 11, ">", lambda r: _number(r.total, 3)),
    ("worst", 6, ">", lambda r: _number(r.worst, 3)),
    ("block", 6, ">", lambda r: _number(r.blocking, 0)),
    ("ours/this", 9, ">", lambda r: _ratio(r.ratio)),
    ("mem", 6, ">", lambda r: _ratio(r.mem_ratio)),
)


def table(rows: Sequence[Row]) -> str:
    """The results as a fixed-width text table, grouped by stage, case and size."""
    header = "  ".join(f"{h:{a}{w}}" for h, w, a, _ in TABLE)
    lines = [header, "-" * len(header)]
    subjects = {(m.stage, m.name): i for i, m in reversed(list(enumerate(peers.METHODS)))}

    def key(r: Row) -> tuple[int, int, int]:
        return STAGES.index(r.stage), list(CASES).index(r.case), r.n

    def order(r: Row) -> tuple[int, int, int, int, int]:
        subject = subjects.get((r.stage, r.ours or r.method), len(peers.METHODS))
        return (*key(r), subject, ROLE_ORDER[r.role])

    previous: tuple[int, int, int] | None = None
    for row in sorted(rows, key=order):
        if previous is not None and key(row)[:2] != previous[:2]:
            lines.append("")
        previous = key(row)
        cells = "  ".join(f"{cell(row):{a}{w}}" for _, w, a, cell in TABLE)
        if row.status != "ok":
            cells += f"  {row.status}"
        elif row.note:
            cells += f"  {row.note}"
        lines.append(cells.rstrip())
    return "\n".join(lines)


Check = Callable[[Sequence[Row]], tuple[str, bool] | None]


@dataclass(frozen=True)
class Target:
    """One of the suite's stated targets, checked on this run's rows."""

    what: str
    command: str
    check: Callable[[Sequence[Row]], tuple[str, bool] | None]


def _find(rows: Sequence[Row], stage: str, case: str, n: int, method: str) -> Row | None:
    for row in rows:
        if (row.stage, row.case, row.n, row.method, row.status) == (stage, case, n, method, "ok"):
            return row
    return None


def _hungarian_vs_scipy(rows: Sequence[Row]) -> tuple[str, bool] | None:
    peer = _find(rows, "solve", "uniform", 2000, "scipy")
    if peer is None or math.isnan(peer.ratio):
        return None
    return (
        f"hungarian takes {peer.ratio:.3f}x scipy's time ({_seconds(peer.time_s)} for scipy, "
        f"median of {peer.repeats}; target <= 1.1)",
        peer.ratio <= 1.1,
    )


def _stable_vs_argsort(rows: Sequence[Row]) -> tuple[str, bool] | None:
    sort = _find(rows, "solve", "uniform", 4000, "argsort")
    if sort is None or math.isnan(sort.ratio):
        return None
    return (
        f"gale_shapley takes {sort.ratio:.3f}x one argsort ({_seconds(sort.time_s)}); "
        "target < 0.5",
        sort.ratio < 0.5,
    )


def _stable_vs_matching(rows: Sequence[Row]) -> tuple[str, bool] | None:
    peer = _find(rows, "solve", "uniform", 600, "matching")
    if peer is None or math.isnan(peer.ratio):
        return None
    speedup = 1 / peer.ratio
    with_build = (peer.time_s + peer.prep_s) / (peer.time_s * peer.ratio)
    return (
        f"gale_shapley is {speedup:.0f}x faster than matching's solve ({_seconds(peer.time_s)}); "
        f"{with_build:.0f}x counting its game building; target >= 300x",
        speedup >= 300,
    )


def _scoring(rows: Sequence[Row]) -> tuple[str, bool] | None:
    full = _find(rows, "score", "cohort", 10_000, "np_full")
    score = _find(rows, "score", "cohort", 10_000, "score")
    if full is None or score is None or math.isnan(full.ratio):
        return None
    arrays = score.traced_mib / (score.n_rows * score.n_cols * 8 / MIB)
    return (
        f"scoring takes {full.ratio:.1f}x the np.full write ({_seconds(score.time_s)} vs "
        f"{_seconds(full.time_s)}; target <= 20) and peaks at {arrays:.2f} arrays "
        f"(tracemalloc; target <= 6)",
        full.ratio <= 20 and arrays <= 6,
    )


def _unbinding(rows: Sequence[Row]) -> tuple[str, bool] | None:
    ours = _find(rows, "solve", "unbinding", 2000, "hungarian")
    if ours is None:
        return None
    arrays = ours.peak_mib / (ours.n_rows * ours.n_cols * 8 / MIB)
    return (
        f"hungarian takes {_seconds(ours.time_s)} and peaks at {arrays:.1f}x the input's "
        "memory (target <= 0.5 s, <= 10x)",
        ours.time_s <= 0.5 and arrays <= 10,
    )


def _two_sided(rows: Sequence[Row]) -> tuple[str, bool] | None:
    ours = _find(rows, "solve", "two_sided", 400, "hungarian")
    if ours is None:
        return None
    lp = _find(rows, "solve", "two_sided", 400, "highs")
    beside = "" if lp is None else f"; {lp.ratio:.2f}x HiGHS's linear program"
    return (
        f"hungarian takes {_seconds(ours.time_s)}{beside} (target <= 2 s)",
        ours.time_s <= 2.0,
    )


def _forbidden(rows: Sequence[Row]) -> tuple[str, bool] | None:
    peer = _find(rows, "solve", "forbidden", 2000, "scipy")
    if peer is None or math.isnan(peer.ratio):
        return None
    return (
        f"hungarian takes {peer.ratio:.2f}x scipy's time given -inf and {peer.mem_ratio:.2f}x "
        "its peak memory (target <= 1.1x, <= 1.5x)",
        peer.ratio <= 1.1 and peer.mem_ratio <= 1.5,
    )


def _sparse(rows: Sequence[Row]) -> tuple[str, bool] | None:
    peer = _find(rows, "solve", "sparse", 5000, "scipy_sparse")
    if peer is None or math.isnan(peer.ratio):
        return None
    return (
        f"hungarian takes {peer.ratio:.1f}x scipy's sparse LAPJVsp on the same graph "
        f"({_seconds(peer.time_s)} for LAPJVsp; target <= 3x)",
        peer.ratio <= 3,
    )


def _maxmin(rows: Sequence[Row]) -> tuple[str, bool] | None:
    fair = _find(rows, "solve", "uniform", 4000, "maxmin")
    best = _find(rows, "solve", "uniform", 4000, "hungarian")
    if fair is None or best is None:
        return None
    ratio = fair.time_s / best.time_s
    return (
        f"maxmin takes {ratio:.2f}x hungarian's time ({_seconds(fair.time_s)}; target <= 1.5x)",
        ratio <= 1.5,
    )


def _k_best(rows: Sequence[Row]) -> tuple[str, bool] | None:
    peer = _find(rows, "solve", "uniform", 200, "munkres_k_best")
    if peer is None or math.isnan(peer.ratio):
        return None
    return (
        f"k_best takes {peer.ratio:.3f}x munkres's k_best ({_seconds(peer.time_s)} for "
        "munkres; target <= 0.1x)",
        peer.ratio <= 0.1,
    )


def _stable_cliff(case: str, n: int, times: float) -> Check:
    """gale_shapley on ``case`` at ``n``: within ``times`` one argsort and 3 arrays of memory."""

    def check(rows: Sequence[Row]) -> tuple[str, bool] | None:
        sort = _find(rows, "solve", case, n, "argsort")
        ours = _find(rows, "solve", case, n, "gale_shapley")
        if sort is None or ours is None or math.isnan(sort.ratio):
            return None
        # Peak memory in float64 arrays of the input's shape (tracemalloc, which
        # sees numpy's allocations), beside the argsort's int64 array.
        array_mib = ours.n_rows * ours.n_cols * 8 / MIB
        arrays = ours.traced_mib / array_mib
        return (
            f"gale_shapley takes {sort.ratio:.2f}x one argsort ({_seconds(ours.time_s)} vs "
            f"{_seconds(sort.time_s)}) and peaks at {arrays:.2f} arrays (argsort "
            f"{sort.traced_mib / array_mib:.2f}); target <= {times:g}x, <= 3 arrays",
            sort.ratio <= times and arrays <= 3,
        )

    return check


_RUN = "python benchmarks/run.py"
TARGETS = (
    Target(
        "hungarian within 1.1x of scipy, uniform 2000x2000",
        f"{_RUN} --stages solve --cases uniform --sizes 2000 --methods hungarian,scipy "
        "--repeats 9",
        _hungarian_vs_scipy,
    ),
    Target(
        "gale_shapley under half one np.argsort(U, axis=1), uniform 4000x4000",
        f"{_RUN} --stages solve --cases uniform --sizes 4000 --methods gale_shapley,argsort "
        "--repeats 9",
        _stable_vs_argsort,
    ),
    Target(
        "gale_shapley at least 300x faster than matching 1.4.3, uniform n = 600",
        f"{_RUN} --stages solve --cases uniform --sizes 600 --methods gale_shapley,matching "
        "--repeats 5",
        _stable_vs_matching,
    ),
    Target(
        "scoring 10,000x10,000 within 20x of np.full and 6 arrays of peak memory",
        f"{_RUN} --stages score --sizes 10000 --methods score,np_full --repeats 3",
        _scoring,
    ),
    Target(
        "hungarian where no capacity can bind (2000 x 50, every column may take 2000) "
        "in 0.5 s and 10x the input's memory",
        f"{_RUN} --stages solve --cases unbinding --sizes 2000 --methods hungarian --repeats 5",
        _unbinding,
    ),
    Target(
        "hungarian with capacity 3 on both sides, 400 x 400, within 2 s",
        f"{_RUN} --stages solve --cases two_sided --sizes 400 --methods hungarian,highs "
        "--repeats 5",
        _two_sided,
    ),
    Target(
        "hungarian with 10 % of pairs forbidden within 1.1x scipy's time and 1.5x its "
        "memory, 2000 x 2000",
        f"{_RUN} --stages solve --cases forbidden --sizes 2000 --methods hungarian,scipy "
        "--repeats 9",
        _forbidden,
    ),
    Target(
        "hungarian with 1 % of pairs allowed within 3x scipy's sparse solver, 5000 x 5000",
        f"{_RUN} --stages solve --cases sparse --sizes 5000 --methods hungarian,scipy_sparse "
        "--repeats 3",
        _sparse,
    ),
    Target(
        "gale_shapley with more proposers than places (unequal, 10,000 x 5,000) within one "
        "argsort and 3 arrays",
        f"{_RUN} --stages solve --cases unequal --sizes 10000 --methods gale_shapley,argsort "
        "--repeats 3",
        _stable_cliff("unequal", 10_000, 1),
    ),
    Target(
        "gale_shapley when every proposer ranks the receivers alike, 4000 x 4000, within 3 "
        "argsorts and 3 arrays",
        f"{_RUN} --stages solve --cases same_ranking --sizes 4000 "
        "--methods gale_shapley,argsort --repeats 5",
        _stable_cliff("same_ranking", 4000, 3),
    ),
    Target(
        "gale_shapley when every utility is equal, 6000 x 6000, within 3 argsorts and 3 "
        "arrays (6000 is not among the full run's sizes: run the command)",
        f"{_RUN} --stages solve --cases all_equal --sizes 6000 --methods gale_shapley,argsort "
        "--repeats 5",
        _stable_cliff("all_equal", 6000, 3),
    ),
    Target(
        "k_best (k = 10) within 0.1x munkres 3.0.0's k_best, uniform 200 x 200",
        f"{_RUN} --stages solve --cases uniform --sizes 200 "
        "--methods k_best,hungarian_k,munkres_k_best --repeats 3",
        _k_best,
    ),
    Target(
        "maxmin within 1.5x hungarian's time, uniform 4000 x 4000",
        f"{_RUN} --stages solve --cases uniform --sizes 4000 --methods hungarian,maxmin "
        "--repeats 3",
        _maxmin,
    ),
)


def targets_report(rows: Sequence[Row]) -> str:
    lines = ["Targets:"]
    for target in TARGETS:
        found = target.check(rows)
        if found is None:
            lines.append(f"  [not measured] {target.what}")
        else:
            figure, met = found
            lines.append(f"  [{'met' if met else 'NOT MET'}] {target.what}: {figure}")
        lines.append(f"      {target.command}")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


def load_averages() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def load_range(rows: Sequence[Row]) -> str:
    loads = [r.load for r in rows if not math.isnan(r.load)]
    if not loads:
        return "unknown"
    return f"{min(loads):.2f} to {max(loads):.2f} (median {statistics.median(loads):.2f})"


def environment() -> list[str]:
    """The machine and library versions, for the header of the report."""
    versions = []
    for dist in ("numpy", "scipy", "networkx", "matching", "lapx", "lap", "mentormatch-pairing"):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} (not installed)")
    return [
        f"date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"cpu: {_cpu_model()}, {os.cpu_count()} logical cores; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}",
        f"python {platform.python_version()}; " + ", ".join(versions),
    ]


def notes_report(notes: Notes, rows: Sequence[Row]) -> str:
    lines = ["Notes:"]
    for name, why in sorted(notes.skipped.items()):
        lines.append(f"  skipped {name}: {why}")
    for name, why in sorted(notes.capped.items()):
        lines.append(f"  capped {name}: {why}")
    failed = [r for r in rows if r.status != "ok"]
    for row in failed:
        lines.append(f"  {row.method} on {row.case} n={row.n}: {row.status}")
    if len(lines) == 1:
        lines.append("  none")
    return "\n".join(lines)


def summary(rows: Sequence[Row], sizes: Iterable[int] | None = None) -> str:
    """A Markdown table: one line per method of ours, its peers' ratios beside it."""
    keep = None if sizes is None else set(sizes)
    lines = [
        "| stage | case | n x m | ours | time | peak MiB | total | worst | blocking "
        "| ours/this (time) |",
        "|---|---|---|---|--:|--:|--:|--:|--:|---|",
    ]
    by_cell: dict[tuple[str, str, int], list[Row]] = {}
    for row in rows:
        if keep is None or row.n in keep:
            by_cell.setdefault((row.stage, row.case, row.n), []).append(row)
    order = {(m.stage, m.name): i for i, m in reversed(list(enumerate(peers.METHODS)))}
    for (stage, case, _n), cell in sorted(
        by_cell.items(),
        key=lambda kv: (STAGES.index(kv[0][0]), list(CASES).index(kv[0][1]), kv[0][2]),
    ):
        for ours in sorted(
            (r for r in cell if r.role == "ours"), key=lambda r: order[(r.stage, r.method)]
        ):
            others = [
                f"{r.method} {_ratio(r.ratio)}" if r.status == "ok" else f"{r.method} failed"
                for r in cell
                if r.ours == ours.method
            ]
            time_cell = _seconds(ours.time_s) if ours.status == "ok" else "failed"
            lines.append(
                f"| {stage} | {case} | {ours.n_rows}x{ours.n_cols} | {ours.method} "
                f"| {time_cell} | {_number(ours.peak_mib, 1)} | {_number(ours.total, 2)} "
                f"| {_number(ours.worst, 3)} | {_number(ours.blocking, 0)} "
                f"| {', '.join(others)} |"
            )
    return "\n".join(lines)


def write_csv(rows: Sequence[Row], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            values = [getattr(row, name) for name in COLUMNS]
            writer.writerow(
                ""
                if isinstance(v, float) and math.isnan(v)
                else (f"{v:.6g}" if isinstance(v, float) else v)
                for v in values
            )


# One colour per solver, shared by its match() call, its bare reference and
# nothing else, so a panel reads at a glance; peers and yardsticks in their own.
COLOURS = (
    (("hungarian", "match_hungarian", "score"), "tab:blue"),
    (("maxmin", "match_maxmin"), "tab:brown"),
    (("gale_shapley", "match_stable"), "black"),
    (("scipy", "scipy_sparse"), "tab:orange"),
    (("lapjv", "highs"), "tab:green"),
    (("nx_full",), "tab:red"),
    (("nx_blossom",), "tab:purple"),
    (("matching",), "tab:olive"),
    (("argsort", "np_full"), "tab:gray"),
    (("score_f32", "lazy_gs"), "tab:cyan"),
    (("best_stable", "k_best"), "tab:pink"),
    (("hungarian_k",), "tab:gray"),
    (("munkres_k_best",), "tab:orange"),
)
LINE_STYLES = {"ours": "-", "variant": "-", "reference": "-.", "peer": "--", "yardstick": ":"}


def plot(rows: Sequence[Row], path: Path) -> str | None:
    """Time against n, log-log, a panel per stage and case. Returns why not, or None."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return "matplotlib is not installed: no plot"
    panels = [("score", "cohort"), ("match", "cohort")] + [("solve", case) for case in CASES]
    panels = [p for p in panels if any((r.stage, r.case) == p and r.status == "ok" for r in rows)]
    if not panels:
        return "nothing to plot"
    colours = {name: colour for names, colour in COLOURS for name in names}
    columns = min(4, len(panels))
    lines_of = math.ceil(len(panels) / columns)
    figure = Figure(figsize=(4.2 * columns, 3.6 * lines_of), layout="constrained")
    FigureCanvasAgg(figure)
    for k, (stage, case) in enumerate(panels):
        ax = figure.add_subplot(lines_of, columns, k + 1)
        mine = [r for r in rows if (r.stage, r.case) == (stage, case) and r.status == "ok"]
        for name, role in sorted(
            {(r.method, r.role) for r in mine}, key=lambda t: (ROLE_ORDER[t[1]], t[0])
        ):
            points = sorted((r.n, r.time_s) for r in mine if (r.method, r.role) == (name, role))
            ax.plot(
                [x for x, _ in points],
                [y for _, y in points],
                LINE_STYLES[role],
                marker="o" if role == "ours" else ".",
                color=colours[name],
                label=name if role != "reference" else f"{name} (bare)",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{stage}: {case}", fontsize=10)
        ax.set_xlabel("n (per side)")
        ax.set_ylabel("median time (s)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7)
    figure.savefig(path, dpi=90)
    return None
