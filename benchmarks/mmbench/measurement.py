"""Measuring: time, memory and answer quality of every method on one problem, and a whole run."""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import gc
import math
import os
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mentormatch._parallel import imap_tasks
from mentormatch.solvers import blocking_pairs
from mmbench import peers
from mmbench.cases import MIB, Pairs, Problem, Thunk, make_problem
from mmbench.peers import Method, Prepared, missing, version_of


def _load_libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc: no trimming
        return None
    return libc


_LIBC = _load_libc()


def _proc_kib(field_name: str) -> int | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def _reset_rss_peak() -> bool:
    """Reset the kernel's resident-set high-water mark to the current size (Linux 4.0+).

    Free memory that the C allocator keeps is given back to the system first
    (glibc's ``malloc_trim``), so that a C or C++ solver reusing it shows up
    as growth.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _load_now() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return math.nan


def timed(thunk: Thunk, *, rss: bool = False) -> tuple[float, float, object]:
    """Seconds of one call, its resident-set growth in MiB (NaN unless ``rss``), the result.

    The garbage collector is held off during the call, as :mod:`timeit` does:
    otherwise a collection triggered by one library's allocations could walk
    another's large object graph on its clock.
    """
    gc.collect()
    before = _proc_kib("VmRSS") if rss and _reset_rss_peak() else None
    gc.disable()
    try:
        start = time.perf_counter()
        result = thunk()
        seconds = time.perf_counter() - start
    finally:
        gc.enable()
    after = _proc_kib("VmHWM") if before is not None else None
    growth = (after - before) / 1024 if before is not None and after is not None else math.nan
    return seconds, max(growth, 0.0), result


def traced_peak(thunk: Thunk) -> float:
    """The tracemalloc peak of one call, in MiB (numpy reports its arrays to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = thunk()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / MIB


@dataclass
class Row:
    """One measurement: a method on one input. The CSV has one line per Row."""

    stage: str
    case: str
    n: int
    n_rows: int
    n_cols: int
    method: str
    role: str
    ours: str
    label: str
    version: str
    status: str = "ok"
    repeats: int = 0
    time_s: float = math.nan
    time_min_s: float = math.nan
    first_s: float = math.nan  # the first, warm-up call
    prep_s: float = math.nan
    peak_mib: float = math.nan
    traced_mib: float = math.nan
    rss_mib: float = math.nan
    ratio: float = math.nan
    mem_ratio: float = math.nan
    pairs: float = math.nan
    total: float = math.nan
    worst: float = math.nan
    blocking: float = math.nan
    same_pairs: str = ""
    load: float = math.nan  # the 1-minute load average as this input's measurements began
    note: str = ""
    times: list[float] = field(default_factory=list, repr=False)
    answer: Pairs | None = field(default=None, repr=False)


COLUMNS = [f.name for f in dataclasses.fields(Row) if f.name not in ("times", "answer")]


def _quality(row: Row, p: Problem, pairs: Pairs) -> None:
    """Pairs, total, worst pair and blocking pairs of an answer, into ``row``."""
    rows, cols = pairs
    row.answer = pairs
    row.pairs = rows.size
    values = p.weights[rows, cols]
    row.total = float(values.sum())
    row.worst = float(values.min()) if values.size else math.nan
    try:
        row.blocking = blocking_pairs(
            rows,
            cols,
            p.proposer_utility,
            p.receiver_utility,
            allowed=p.allowed,
            proposer_capacity=p.row_capacity,
            receiver_capacity=p.col_capacity,
        ).shape[0]
    except ValueError as exc:  # not a matching: a pair repeated, forbidden, over capacity
        row.note = f"invalid answer: {exc}"


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    cases: tuple[str, ...]
    stages: tuple[str, ...]
    methods: frozenset[str] | None
    repeats: int
    budget: float
    seed: int
    out: Path
    name: str
    plot: bool
    progress: bool
    executor: str = ""  # where the inputs are measured: "" here, "processes:N", "dask:ADDRESS"
    large: str = ""  # sizes of the large-cohort stage (benchmarks/large.py), "" for none


def measure(stage: str, p: Problem, methods: Sequence[Method], settings: Settings) -> list[Row]:
    """Time, trace and judge every method on one problem, their repeats interleaved.

    The first round calls every method once, a warm-up that also records the
    growth of the resident set and keeps each answer for its quality. Each
    method then gets ``repeats`` timed calls, fewer when they would take more
    than ``budget`` seconds, none when the warm-up alone did (its time then
    stands); the rounds rotate the order. Last, one untimed
    call under tracemalloc, unless a call costs more than the budget (ours) or
    a quarter of it (peers, whose pure-Python ones slow down several times
    under tracemalloc, and whose C ones it cannot see anyway).
    """
    n_rows, n_cols = p.shape
    load = _load_now()
    rows: list[Row] = []
    ready: dict[int, Prepared] = {}
    fresh_s: dict[int, list[float]] = {}
    for index, method in enumerate(methods):
        row = Row(
            stage, p.case, p.n, n_rows, n_cols, method.name, method.role, method.ours,
            method.label, version_of(method), load=load,
        )  # fmt: skip
        rows.append(row)
        try:
            start = time.perf_counter()
            ready[index] = method.prepare(p)
            fresh_s[index] = [time.perf_counter() - start]
        except Exception as exc:
            row.status = f"failed: {type(exc).__name__}: {exc}"

    def call(index: int, *, first: bool) -> None:
        row = rows[index]
        try:
            start = time.perf_counter()
            thunk = ready[index].fresh()
            fresh_s[index].append(time.perf_counter() - start)
            seconds, rss, result = timed(thunk, rss=first)
            row.times.append(seconds)
            if first:
                row.rss_mib = rss
                pairs = ready[index].decode(result)
                del result
                if pairs is not None:
                    _quality(row, p, pairs)
        except Exception as exc:
            row.status = f"failed: {type(exc).__name__}: {exc}"
            del ready[index]

    # Move the converted inputs (graphs, games, preference lists) out of the
    # collector's sight, or every gc.collect() before a call walks them again.
    gc.collect()
    gc.freeze()
    try:
        _rounds(rows, ready, call, settings)
    finally:
        gc.unfreeze()
    for index, row in enumerate(rows):
        if row.times and row.status == "ok":
            # The first call warms up (imports, caches, first-touch memory, thread
            # pools); it counts only when it is the only call.
            samples = row.times[1:] or row.times
            row.first_s = row.times[0]
            row.repeats = len(samples)
            row.time_s = statistics.median(samples)
            row.time_min_s = min(samples)
            row.prep_s = fresh_s[index][0] + statistics.median(fresh_s[index][1:] or [0.0])
            known = [v for v in (row.traced_mib, row.rss_mib) if not math.isnan(v)]
            row.peak_mib = max(known) if known else math.nan
    _compare(rows)
    return rows


def _rounds(
    rows: list[Row],
    ready: dict[int, Prepared],
    call: Callable[..., None],
    settings: Settings,
) -> None:
    """The first round, the interleaved repeats, then the traced calls (see measure)."""
    for index in list(ready):
        call(index, first=True)
    wanted = {
        i: min(settings.repeats, int(settings.budget / max(rows[i].times[0], 1e-9))) for i in ready
    }
    for round_ in range(max(wanted.values(), default=0)):
        order = sorted(ready)
        shift = round_ % max(1, len(order))
        for index in order[shift:] + order[:shift]:
            if index in ready and len(rows[index].times) <= wanted[index]:
                call(index, first=False)
    for index in list(ready):
        mine = rows[index].role in ("ours", "variant", "reference")
        limit = settings.budget if mine else settings.budget / 4
        if rows[index].times[0] <= limit:
            try:
                rows[index].traced_mib = traced_peak(ready[index].fresh())
            except Exception as exc:
                rows[index].note = f"tracemalloc call failed: {type(exc).__name__}: {exc}"


def _compare(rows: list[Row]) -> None:
    """Ratios of each of ours to this row, and whether a peer returned our pairs."""
    subjects = {r.method: r for r in rows if r.role == "ours" and r.status == "ok"}
    for row in rows:
        ours = subjects.get(row.ours)
        if ours is None or row.status != "ok":
            continue
        if row.time_s > 0:
            row.ratio = ours.time_s / row.time_s
        if min(row.peak_mib, ours.peak_mib) >= 1:  # below 1 MiB the ratio is noise
            row.mem_ratio = ours.peak_mib / row.peak_mib
        if ours.answer is not None and row.answer is not None:
            same = all(np.array_equal(a, b) for a, b in zip(ours.answer, row.answer, strict=True))
            row.same_pairs = str(same and ours.answer[0].size == row.answer[0].size)


# --- Running -----------------------------------------------------------------------------


@dataclass
class Notes:
    """What was left out, and why; printed after the table."""

    skipped: dict[str, str] = field(default_factory=dict)
    capped: dict[str, str] = field(default_factory=dict)


def _plan(settings: Settings) -> Iterator[tuple[int, str, str]]:
    """(n, case, stage) in the order they run: small sizes first, so a run shows early."""
    for n in settings.sizes:
        for case in ("cohort", *(c for c in settings.cases if c != "cohort")):
            for stage in settings.stages:
                if (stage == "solve" and case in settings.cases) or (
                    stage != "solve" and case == "cohort"
                ):
                    yield n, case, stage


def selected(stage: str, settings: Settings) -> list[Method]:
    return [
        m
        for m in peers.METHODS
        if m.stage == stage and (settings.methods is None or m.name in settings.methods)
    ]


def run(settings: Settings, notes: Notes, executor: Any = None) -> list[Row]:
    """Every measurement of a run, in table order.

    Each size and case is one task of :func:`mentormatch._parallel.imap_tasks`
    (its input is built once for all its stages): here, one after another,
    when ``executor`` is None, else side by side on the executor (a process
    pool, a Dask cluster), the rows coming back in the same order.
    """
    usable: dict[int, bool] = {}
    for method in peers.METHODS:
        why = missing(method)
        usable[id(method)] = why is None
        if why is not None and (settings.methods is None or method.name in settings.methods):
            notes.skipped[method.name] = why

    # What runs on each input, decided here (the notes of what is left out with it); the
    # tasks get method names, which pickle, and look the methods up where they run.
    tasks: list[tuple[int, str, list[tuple[str, list[str]]]]] = []
    for n, case, stage in _plan(settings):
        names = []
        for method in selected(stage, settings):
            if not usable[id(method)] or not method.applies(case):
                continue
            if n < method.min_n:
                notes.capped[f"{method.name} ({stage}, {case})"] = (
                    f"run from n = {method.min_n}: {method.why_capped}"
                )
                continue
            if n > method.cap(case):
                where = f"{stage}, {case}" if case in method.case_max_n else stage
                notes.capped[f"{method.name} ({where})"] = (
                    f"run up to n = {method.cap(case)}: {method.why_capped}"
                )
                continue
            names.append(method.name)
        if not tasks or tasks[-1][:2] != (n, case):
            tasks.append((n, case, []))
        if names:
            tasks[-1][2].append((stage, names))

    tqdm = _tqdm()
    results: list[Row] = []
    # Progress in units of n^2 (what most methods' cost grows with, at least),
    # so that the time left is estimated better than by counting inputs.
    weight = {n: max(n, 100) ** 2 for n in settings.sizes}
    with tqdm(
        total=sum(weight[n] * max(len(stages), 1) for n, _, stages in tasks),
        file=sys.stderr,
        disable=not settings.progress,
        bar_format="{l_bar}{bar}| {elapsed}<{remaining}",
    ) as bar:
        measured = imap_tasks(
            measure_input,
            [(n, case, stages, settings) for n, case, stages in tasks],
            executor=executor,
            owner="benchmarks",
        )
        for (n, case, stages), rows in zip(tasks, measured, strict=True):
            bar.set_description_str(f"{case} n={n}")
            results.extend(rows)
            bar.update(weight[n] * max(len(stages), 1))
    return results


def measure_input(
    n: int, case: str, stages: list[tuple[str, list[str]]], settings: Settings
) -> list[Row]:
    """Every stage's methods on one size and case (a task of :func:`run`: module-level)."""
    if not stages:
        return []
    problem = make_problem(case, n, settings.seed)
    rows: list[Row] = []
    for stage, names in stages:
        methods = [m for m in selected(stage, settings) if m.name in names]
        rows.extend(measure(stage, problem, methods, settings))
    return rows


def _tqdm() -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # progress is a nicety: run without it
        return _NoBar
    return tqdm


class _NoBar:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def set_description_str(self, text: str) -> None:
        pass

    def update(self, amount: int) -> None:
        pass
