"""mentormatch's benchmark suite: speed, memory and answer quality, peers side by side.

Run ``python benchmarks/run.py --quick`` (under two minutes on two cores) or
``python benchmarks/run.py`` (the full run, cohorts of 8 to 10,000 per side);
``--help`` lists the options (``--sizes``, ``--methods``, ``--cases``,
``--stages``, ``--repeats``, ``--out``, ...) and ``--list`` every method with
its size caps and whether it is installed.

What is measured
----------------
Three stages, each on seeded, reproducible inputs:

* ``score``: ``Scorer().score(make_cohort(n, n))``, beside ``np.full`` of one
  float64 array of the same shape (the yardstick of the scoring target);
* ``solve``: the array solvers (``hungarian``, ``maxmin``, ``gale_shapley``)
  on five cases (see ``CASES``), each beside the peers that solve the same
  problem, given the same input in the same process;
* ``match``: the whole ``mentormatch.match`` path on the scores of a cohort,
  beside the bare solver call it wraps (so the ratio is the domain layer's
  overhead).

How to read the output
----------------------
One row per stage, case, size and method:

* ``n x m``: rows (students, proposers) by columns (managers, receivers);
* ``role``: ``ours``; ``peer`` (another library solving the same problem);
  ``yardstick`` (a basic operation a target is stated against, such as one
  ``np.argsort`` of the utilities); ``reference`` (our own bare solver,
  beside the ``match`` call that wraps it); ``variant`` (another setting of
  ours, such as float32 scores);
* ``time``: the median wall-clock time of ``reps`` calls after a warm-up call
  (whose time is the CSV's ``first_s``; it stands alone when one call costs
  more than ``--budget`` seconds), interleaved with
  the other methods of the same row group so that the machine's drift hits
  all of them, with the garbage collector held off. Converting the input to
  a peer's format (its graph, preference lists, game object, negated cost
  matrix) happens before the clock starts; its cost is the ``prep_s`` column
  of the CSV. Expensive calls get fewer repeats (``--budget``);
* ``peak``: the larger of the tracemalloc peak (Python objects and numpy
  arrays, measured in a separate untimed call) and the growth of the
  resident set during the first timed call (which also sees memory that C and
  C++ code takes from the system, out of tracemalloc's sight), in MiB. Both
  are in the CSV (``traced_mib``, ``rss_mib``);
* ``ours/this``: our time divided by this row's time on the same input;
  ``0.50`` means we take half its time, ``1/870`` that we take 1/870 of it,
  ``1.05`` that we are 5 % slower. ``mem`` is the same for ``peak``. The
  ``ours`` column of the CSV names which of ours a row is compared with;
* quality, beside the speed, so that a fast wrong answer shows: ``pairs``
  made, ``total`` weight and ``worst`` pair weight of the case's weights,
  ``block``: blocking pairs of the case's two utilities
  (:func:`mentormatch.solvers.blocking_pairs`), and in the CSV ``same_pairs``
  (whether a peer returned exactly our pairs).

Results go to ``--out`` (default ``benchmarks/results/``): ``NAME.csv`` (one
row per measurement), ``NAME.txt`` (the report as printed), ``NAME.md`` (a
Markdown summary: each of ours with its peers' ratios on one line) and
``NAME.png`` (time against n, log-log, one line per method), NAME being
``full``, ``quick`` or ``custom``. The issue's targets are checked at the end, each
with the command that measures it alone.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import ctypes.util
import dataclasses
import datetime as dt
import gc
import importlib
import importlib.metadata
import math
import os
import platform
import re
import statistics
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

import mentormatch as mm
from mentormatch.solvers import blocking_pairs, gale_shapley, hungarian, maxmin

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]
Floats = NDArray[np.floating[Any]]
Thunk = Callable[[], object]

FULL_SIZES = (8, 20, 50, 100, 200, 600, 1000, 2000, 4000, 10_000)
QUICK_SIZES = (8, 50, 300)
STAGES = ("score", "solve", "match")
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
MIB = 2**20

# --- Cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One input, shared by every method measured on it.

    ``weights`` is what the assignment solvers maximise and what ``total``
    and ``worst`` are measured in; the two utilities are what the stable
    solvers read and what blocking pairs are counted in.
    """

    case: str
    n: int
    weights: Floats
    proposer_utility: Floats
    receiver_utility: Floats
    allowed: NDArray[np.bool_] | None = None
    col_capacity: int = 1
    cohort: mm.Cohort | None = None
    scores: mm.Scores | None = None

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.weights.shape
        return rows, cols


def _random_pair(
    rng: np.random.Generator, shape: tuple[int, int]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Independent uniform utilities; the proposers' are also the weights."""
    return rng.random(shape), rng.random(shape)


def _uniform(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    return Problem("uniform", n, pu, pu, ru)


def _cohort(n: int, rng: np.random.Generator) -> Problem:
    cohort = mm.make_cohort(n, n, rng=rng)
    scores = mm.Scorer().score(cohort)
    allowed = None if scores.allowed.all() else scores.allowed
    return Problem(
        "cohort",
        n,
        scores.total,
        scores.student_view,
        scores.manager_view,
        allowed,
        cohort=cohort,
        scores=scores,
    )


def _unequal(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, max(1, n // 2)))
    return Problem("unequal", n, pu, pu, ru)


def _capacities(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, max(1, math.ceil(n / CAPACITY))))
    return Problem("capacities", n, pu, pu, ru, col_capacity=CAPACITY)


def _forbidden(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    return Problem("forbidden", n, pu, pu, ru, allowed=rng.random((n, n)) >= FORBIDDEN)


CAPACITY = 4
FORBIDDEN = 0.1

#: The inputs of the solve stage by name: (builder, what it means). The score
#: and match stages always use the ``cohort`` case.
CASES: Mapping[str, tuple[Callable[[int, np.random.Generator], Problem], str]] = {
    "uniform": (
        _uniform,
        "n x n, independent uniform random utilities for each side; the "
        "proposers' utilities are the weights",
    ),
    "cohort": (
        _cohort,
        "n x n, Scorer().score(make_cohort(n, n)): similarity-structured "
        "scores with many near-ties, both sides' views equal to the total",
    ),
    "unequal": (_unequal, "n x n//2, uniform random: more students than managers"),
    "capacities": (
        _capacities,
        f"n x ceil(n/{CAPACITY}), uniform random, every manager takes {CAPACITY} "
        "students (many-to-one)",
    ),
    "forbidden": (
        _forbidden,
        f"n x n, uniform random, {FORBIDDEN:.0%} of the pairs forbidden at random",
    ),
}


def make_problem(case: str, n: int, seed: int) -> Problem:
    """The seeded input of ``case`` at size ``n`` (the same for every run with this seed)."""
    build, _ = CASES[case]
    return build(n, np.random.default_rng([seed, n, list(CASES).index(case)]))


# --- Methods -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A method made ready for one problem, its input already converted.

    ``fresh`` is called (untimed) before every timed call and returns what the
    clock times; ``decode`` turns the result into ``(rows, cols)`` (untimed).
    """

    fresh: Callable[[], Thunk]
    decode: Callable[[Any], Pairs | None]


def _ready(run: Thunk, decode: Callable[[Any], Pairs | None] | None = None) -> Prepared:
    return Prepared(lambda: run, decode or _no_pairs)


def _no_pairs(_: object) -> None:
    return None


def _as_pairs(result: Any) -> Pairs:
    rows, cols = result
    return np.asarray(rows, np.intp), np.asarray(cols, np.intp)


@dataclass(frozen=True)
class Method:
    """Something timed: one of ours, a peer, a yardstick or a reference."""

    name: str
    stage: str
    role: str
    label: str
    prepare: Callable[[Problem], Prepared]
    ours: str = ""  # which of ours this is compared with ("" for ours)
    module: str = ""  # import that must succeed, else the method is skipped
    distributions: tuple[str, ...] = ()  # whose version to report, first installed
    max_n: int = 10_000
    case_max_n: Mapping[str, int] = field(default_factory=dict)
    why_capped: str = ""

    def cap(self, case: str) -> int:
        return self.case_max_n.get(case, self.max_n)


def _repeated(p: Problem) -> tuple[Floats, NDArray[np.bool_] | None]:
    """Weights and mask with each column repeated ``col_capacity`` times.

    The classic reduction of many-to-one assignment to one-to-one, for peers
    that take unit capacities only; copy ``k`` of column ``j`` is column
    ``j * capacity + k``.
    """
    if p.col_capacity == 1:
        return p.weights, p.allowed
    w = np.repeat(p.weights, p.col_capacity, axis=1)
    mask = None if p.allowed is None else np.repeat(p.allowed, p.col_capacity, axis=1)
    return w, mask


def _fold(p: Problem, rows: NDArray[np.intp], copies: NDArray[np.intp]) -> Pairs:
    """Pairs of a repeated-column solution, columns folded back, rows sorted."""
    cols = copies // p.col_capacity
    order = np.lexsort((cols, rows))
    return rows[order].astype(np.intp), cols[order].astype(np.intp)


def _ours_hungarian(p: Problem) -> Prepared:
    return _ready(
        lambda: hungarian(p.weights, allowed=p.allowed, col_capacity=p.col_capacity), _as_pairs
    )


def _ours_maxmin(p: Problem) -> Prepared:
    return _ready(
        lambda: maxmin(p.weights, allowed=p.allowed, col_capacity=p.col_capacity), _as_pairs
    )


def _ours_gale_shapley(p: Problem) -> Prepared:
    return _ready(
        lambda: gale_shapley(
            p.proposer_utility,
            p.receiver_utility,
            allowed=p.allowed,
            receiver_capacity=p.col_capacity,
        ),
        _as_pairs,
    )


def _scipy(p: Problem) -> Prepared:
    w, mask = _repeated(p)
    if mask is not None:
        w = np.where(mask, w, -np.inf)  # scipy's way of saying "no edge"

    def decode(result: Any) -> Pairs:
        rows, copies = _as_pairs(result)
        return _fold(p, rows, copies)

    return _ready(lambda: linear_sum_assignment(w, maximize=True), decode)


def _lapjv(p: Problem) -> Prepared:
    lap = importlib.import_module("lap")
    w, mask = _repeated(p)
    cost = np.ascontiguousarray(-w)  # lapjv minimises
    if mask is not None:
        cost[~mask] = np.inf  # lapjv's way of saying "no edge"
    rectangular = cost.shape[0] != cost.shape[1]

    def decode(result: Any) -> Pairs:
        x = np.asarray(result[0])
        rows = np.flatnonzero(x >= 0).astype(np.intp)
        return _fold(p, rows, x[rows].astype(np.intp))

    return _ready(lambda: lap.lapjv(cost, extend_cost=rectangular, return_cost=False), decode)


def _graph(p: Problem, sign: float) -> Any:
    """The bipartite graph of the allowed pairs: rows 0..n-1, column copies after."""
    nx = importlib.import_module("networkx")
    w, mask = _repeated(p)
    n = w.shape[0]
    rows, cols = np.nonzero(np.ones(w.shape, np.bool_) if mask is None else mask)
    graph = nx.Graph()
    graph.add_nodes_from(range(n + w.shape[1]))
    graph.add_weighted_edges_from(
        zip(rows.tolist(), (n + cols).tolist(), (sign * w[rows, cols]).tolist(), strict=True)
    )
    return graph


def _edges_to_pairs(p: Problem, edges: Iterable[tuple[int, int]]) -> Pairs:
    n = p.shape[0]
    found = [(min(u, v), max(u, v) - n) for u, v in edges]
    rows = np.array([r for r, _ in found], np.intp)
    copies = np.array([c for _, c in found], np.intp)
    return _fold(p, rows, copies)


def _nx_full(p: Problem) -> Prepared:
    nx = importlib.import_module("networkx")
    graph = _graph(p, -1.0)  # a minimum-weight matching of the negated weights
    n = p.shape[0]

    def decode(result: Any) -> Pairs:
        return _edges_to_pairs(p, ((r, result[r]) for r in range(n) if r in result))

    return _ready(
        lambda: nx.bipartite.minimum_weight_full_matching(graph, top_nodes=range(n)), decode
    )


def _nx_blossom(p: Problem) -> Prepared:
    nx = importlib.import_module("networkx")
    graph = _graph(p, 1.0)
    return _ready(
        lambda: nx.max_weight_matching(graph, maxcardinality=True),
        lambda result: _edges_to_pairs(p, result),
    )


def _preference_lists(utility: Floats, allowed: NDArray[np.bool_] | None) -> dict[int, list[int]]:
    """Each row's allowed columns, best first, ties to the lower index (as ours)."""
    order = np.argsort(-utility, axis=1, kind="stable")
    if allowed is None:
        return dict(enumerate(order.tolist()))
    keep = np.take_along_axis(allowed, order, axis=1)
    return {i: order[i, keep[i]].tolist() for i in range(order.shape[0])}


def _deep(build: Callable[[], Any]) -> Any:
    """Run ``build`` in a thread with a large stack and recursion limit.

    ``matching`` deep-copies its players when it builds a game, recursing once
    per player and preference: at n = 600 far beyond Python's defaults.
    """
    out: list[Any] = []
    limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(512 * MIB)
    sys.setrecursionlimit(1_000_000)
    try:
        worker = threading.Thread(target=lambda: out.append(build()))
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(old_stack)
    if not out:
        raise RuntimeError("building the matching game failed (see the thread's traceback)")
    return out[0]


def _matching(p: Problem) -> Prepared:
    """``matching``'s StableMarriage where it applies, else HospitalResident.

    StableMarriage needs equal sides, unit capacities and complete lists;
    HospitalResident (residents propose) takes the rest. Building the game
    (``create_from_dictionaries``, which deep-copies every player) is its
    input conversion and so not timed; a solved game cannot be solved again,
    so a fresh one is built before each call.
    """
    with warnings.catch_warnings():  # its import resets the global warning filters
        games = importlib.import_module("matching.games")
    proposers = _preference_lists(p.proposer_utility, p.allowed)
    receivers = _preference_lists(p.receiver_utility.T, None if p.allowed is None else p.allowed.T)
    n_rows, n_cols = p.shape
    marriage = n_rows == n_cols and p.col_capacity == 1 and p.allowed is None

    def fresh() -> Thunk:
        if marriage:
            game = _deep(
                lambda: games.StableMarriage.create_from_dictionaries(proposers, receivers)
            )
            return lambda: game.solve(optimal="suitor")
        capacities = dict.fromkeys(range(n_cols), p.col_capacity)
        game = _deep(
            lambda: games.HospitalResident.create_from_dictionaries(
                proposers, receivers, capacities
            )
        )
        return lambda: game.solve(optimal="resident")

    def decode(result: Any) -> Pairs:
        found: list[tuple[int, int]] = []
        for key, value in result.items():
            if marriage:  # suitor (row) -> reviewer (column)
                if value is not None:
                    found.append((key.name, value.name))
            else:  # hospital (column) -> its residents (rows)
                found.extend((resident.name, key.name) for resident in value)
        found.sort()
        return (
            np.array([r for r, _ in found], np.intp),
            np.array([c for _, c in found], np.intp),
        )

    return Prepared(fresh, decode)


def _argsort(p: Problem) -> Prepared:
    return _ready(lambda: np.argsort(p.proposer_utility, axis=1))


def _cohort_of(p: Problem) -> mm.Cohort:
    if p.cohort is None:
        raise ValueError(f"the {p.case!r} case has no cohort")
    return p.cohort


def _scores_of(p: Problem) -> mm.Scores:
    if p.scores is None:
        raise ValueError(f"the {p.case!r} case has no scores")
    return p.scores


def _score(dtype: str) -> Callable[[Problem], Prepared]:
    def prepare(p: Problem) -> Prepared:
        cohort, scorer = _cohort_of(p), mm.Scorer(dtype=dtype)
        return _ready(lambda: scorer.score(cohort))

    return prepare


def _np_full(p: Problem) -> Prepared:
    shape = p.shape
    return _ready(lambda: np.full(shape, 0.5))


def _match(method: str) -> Callable[[Problem], Prepared]:
    def prepare(p: Problem) -> Prepared:
        scores = _scores_of(p)
        return _ready(lambda: mm.match(scores, method=method), lambda m: (m.rows, m.cols))

    return prepare


def _bare(solver: str) -> Callable[[Problem], Prepared]:
    """The array call that ``match(method=...)`` makes, alone, on the same scores."""

    def prepare(p: Problem) -> Prepared:
        scores = _scores_of(p)
        cohort = _cohort_of(p)
        s_cap = cohort.students["capacity"].to_numpy(np.int64)
        m_cap = cohort.managers["capacity"].to_numpy(np.int64)
        allowed = scores.allowed
        if solver == "gale_shapley":
            return _ready(
                lambda: gale_shapley(
                    scores.student_view,
                    scores.manager_view,
                    allowed=allowed,
                    proposer_capacity=s_cap,
                    receiver_capacity=m_cap,
                ),
                _as_pairs,
            )
        solve = hungarian if solver == "hungarian" else maxmin
        return _ready(
            lambda: solve(scores.total, allowed=allowed, row_capacity=s_cap, col_capacity=m_cap),
            _as_pairs,
        )

    return prepare


_LAP_CAP = "a similarity-structured 10,000 x 10,000 solve takes about a minute a call"
_MAXMIN_CAP = "bisection over Hopcroft-Karp: about 100 s a call at 10,000 (cohort)"

#: Every method, in the order of the tables. Ratios are against ``ours``.
METHODS: tuple[Method, ...] = (
    Method("score", "score", "ours", "mentormatch.Scorer().score(cohort)", _score("float64")),
    Method(
        "score_f32",
        "score",
        "variant",
        'mentormatch.Scorer(dtype="float32").score(cohort)',
        _score("float32"),
        ours="score",
    ),
    Method(
        "np_full",
        "score",
        "yardstick",
        "np.full((n, m), 0.5): writing one float64 array of the scores' shape",
        _np_full,
        ours="score",
    ),
    Method(
        "hungarian",
        "solve",
        "ours",
        "mentormatch.solvers.hungarian",
        _ours_hungarian,
        case_max_n={"cohort": 4000},
        why_capped=_LAP_CAP,
    ),
    Method(
        "scipy",
        "solve",
        "peer",
        "scipy.optimize.linear_sum_assignment(maximize=True); -inf where forbidden, "
        "columns repeated for capacities",
        _scipy,
        ours="hungarian",
        module="scipy",
        distributions=("scipy",),
        case_max_n={"cohort": 4000},
        why_capped=_LAP_CAP,
    ),
    Method(
        "lapjv",
        "solve",
        "peer",
        "lap.lapjv on the negated weights (from lapx, or lap); +inf where forbidden, "
        "columns repeated for capacities",
        _lapjv,
        ours="hungarian",
        module="lap",
        distributions=("lapx", "lap"),
        case_max_n={"cohort": 4000, "unequal": 4000},
        why_capped="on the cohort case 38 s a call at 4000 (near-ties); on unequal sides "
        "it pads to a square, 11 s at 4000 x 2000",
    ),
    Method(
        "nx_full",
        "solve",
        "peer",
        "networkx.bipartite.minimum_weight_full_matching on the graph of negated weights",
        _nx_full,
        ours="hungarian",
        module="networkx",
        distributions=("networkx",),
        max_n=1000,
        why_capped="a Python graph of n^2 edges: 2 s a call and about 1 GiB at 1000, "
        "four times that at 2000",
    ),
    Method(
        "nx_blossom",
        "solve",
        "peer",
        "networkx.max_weight_matching(maxcardinality=True): the general-graph blossom method",
        _nx_blossom,
        ours="hungarian",
        module="networkx",
        distributions=("networkx",),
        max_n=100,
        why_capped="pure-Python O(n^3): 2 s a call at 100, 16 s at 200",
    ),
    Method(
        "maxmin",
        "solve",
        "ours",
        "mentormatch.solvers.maxmin",
        _ours_maxmin,
        max_n=4000,
        why_capped=_MAXMIN_CAP,
    ),
    Method(
        "gale_shapley",
        "solve",
        "ours",
        "mentormatch.solvers.gale_shapley (rows propose)",
        _ours_gale_shapley,
    ),
    Method(
        "matching",
        "solve",
        "peer",
        "matching StableMarriage.solve (equal sides, nothing forbidden) or "
        "HospitalResident.solve; game built before the clock",
        _matching,
        ours="gale_shapley",
        module="matching",
        distributions=("matching",),
        max_n=600,
        why_capped="pure Python: 5.5 s a solve at 600, 27 s at 1000",
    ),
    Method(
        "argsort",
        "solve",
        "yardstick",
        "np.argsort(proposer_utility, axis=1): sorting every preference list once",
        _argsort,
        ours="gale_shapley",
    ),
    Method(
        "match_hungarian",
        "match",
        "ours",
        'mentormatch.match(scores, method="hungarian")',
        _match("hungarian"),
        max_n=4000,
        why_capped=_LAP_CAP,
    ),
    Method(
        "hungarian",
        "match",
        "reference",
        "solvers.hungarian on scores.total, as match calls it",
        _bare("hungarian"),
        ours="match_hungarian",
        max_n=4000,
        why_capped=_LAP_CAP,
    ),
    Method(
        "match_maxmin",
        "match",
        "ours",
        'mentormatch.match(scores, method="maxmin")',
        _match("maxmin"),
        max_n=4000,
        why_capped=_MAXMIN_CAP,
    ),
    Method(
        "maxmin",
        "match",
        "reference",
        "solvers.maxmin on scores.total, as match calls it",
        _bare("maxmin"),
        ours="match_maxmin",
        max_n=4000,
        why_capped=_MAXMIN_CAP,
    ),
    Method(
        "match_stable",
        "match",
        "ours",
        'mentormatch.match(scores, method="stable")',
        _match("stable"),
    ),
    Method(
        "gale_shapley",
        "match",
        "reference",
        "solvers.gale_shapley on the two views, as match calls it",
        _bare("gale_shapley"),
        ours="match_stable",
    ),
)

ROLE_ORDER = {"ours": 0, "variant": 1, "reference": 2, "peer": 3, "yardstick": 4}


def missing(method: Method) -> str | None:
    """Why a method cannot run here (its package is not installed), or None."""
    if not method.module:
        return None
    try:
        with warnings.catch_warnings():
            importlib.import_module(method.module)
    except ImportError as exc:
        return f"not installed ({exc.name or method.module}); pip install '.[benchmarks]'"
    return None


def version_of(method: Method) -> str:
    """``distribution version`` of the first of the method's distributions installed."""
    for dist in method.distributions or ("mentormatch-pairing",):
        try:
            return f"{dist} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return ""


# --- Measuring ---------------------------------------------------------------------------


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
        for m in METHODS
        if m.stage == stage and (settings.methods is None or m.name in settings.methods)
    ]


def run(settings: Settings, notes: Notes) -> list[Row]:
    """Every measurement of a run, in table order."""
    usable: dict[int, bool] = {}
    for method in METHODS:
        why = missing(method)
        usable[id(method)] = why is None
        if why is not None and (settings.methods is None or method.name in settings.methods):
            notes.skipped[method.name] = why

    tqdm = _tqdm()
    plan = list(_plan(settings))
    results: list[Row] = []
    # Progress in units of n^2 (what most methods' cost grows with, at least),
    # so that the time left is estimated better than by counting inputs.
    weight = {n: max(n, 100) ** 2 for n in settings.sizes}
    with tqdm(
        total=sum(weight[n] for n, _, _ in plan),
        file=sys.stderr,
        disable=not settings.progress,
        bar_format="{l_bar}{bar}| {elapsed}<{remaining}",
    ) as bar:
        problem: Problem | None = None
        for n, case, stage in plan:
            if problem is not None and (problem.n, problem.case) != (n, case):
                problem = None  # free the last input before making the next
            methods = []
            for method in selected(stage, settings):
                if not usable[id(method)]:
                    continue
                if n > method.cap(case):
                    where = f"{stage}, {case}" if case in method.case_max_n else stage
                    notes.capped[f"{method.name} ({where})"] = (
                        f"run up to n = {method.cap(case)}: {method.why_capped}"
                    )
                    continue
                methods.append(method)
            bar.set_description_str(f"{stage} {case} n={n}")
            if methods:
                if problem is None:
                    problem = make_problem(case, n, settings.seed)
                results.extend(measure(stage, problem, methods, settings))
            bar.update(weight[n])
    return results


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


# --- Reporting ---------------------------------------------------------------------------


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
    subjects = {(m.stage, m.name): i for i, m in reversed(list(enumerate(METHODS)))}

    def key(r: Row) -> tuple[int, int, int]:
        return STAGES.index(r.stage), list(CASES).index(r.case), r.n

    def order(r: Row) -> tuple[int, int, int, int, int]:
        subject = subjects.get((r.stage, r.ours or r.method), len(METHODS))
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


@dataclass(frozen=True)
class Target:
    """One of the issue's targets, checked on this run's rows."""

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
)


def targets_report(rows: Sequence[Row]) -> str:
    lines = ["Issue targets:"]
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


def _load_now() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return math.nan


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _load_range(rows: Sequence[Row]) -> str:
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
    order = {(m.stage, m.name): i for i, m in reversed(list(enumerate(METHODS)))}
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
    (("scipy",), "tab:orange"),
    (("lapjv",), "tab:green"),
    (("nx_full",), "tab:red"),
    (("nx_blossom",), "tab:purple"),
    (("matching",), "tab:olive"),
    (("argsort", "np_full"), "tab:gray"),
    (("score_f32",), "tab:cyan"),
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


# --- Command line ------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse(argv: Sequence[str] | None) -> tuple[Settings, bool]:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="mentormatch's benchmarks: speed, memory and quality beside peers.",
        epilog="Read the module docstring (or benchmarks/README.md) for how to read the output.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    parser.add_argument("--sizes", type=str, help="comma-separated sizes n per side")
    parser.add_argument("--cases", type=str, help=f"solve-stage cases, of {', '.join(CASES)}")
    parser.add_argument("--stages", type=str, help=f"stages, of {', '.join(STAGES)}")
    parser.add_argument(
        "--methods", type=str, help="method names to run (default all; --list shows them)"
    )
    parser.add_argument("--repeats", type=int, help="timed calls per method (default 7, quick 3)")
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds a method's repeats may take before fewer are made (default 20, quick 2)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of every input (default 0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--name", type=str, help="output file stem (default full/quick/custom)")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--list", action="store_true", help="list cases and methods, then exit")
    args = parser.parse_args(argv)

    def pick(text: str | None, known: Sequence[str], what: str) -> tuple[str, ...]:
        if text is None:
            return tuple(known)
        chosen = _names(text)
        unknown = [c for c in chosen if c not in known]
        if unknown:
            parser.error(f"--{what} must be among {', '.join(known)}; got {', '.join(unknown)}")
        return chosen

    method_names = sorted({m.name for m in METHODS})
    methods = (
        None if args.methods is None else frozenset(pick(args.methods, method_names, "methods"))
    )
    sizes: tuple[int, ...]
    if args.sizes is None:
        sizes = QUICK_SIZES if args.quick else FULL_SIZES
    else:
        try:
            sizes = tuple(sorted({int(s) for s in _names(args.sizes)}))
        except ValueError:
            parser.error(f"--sizes must be comma-separated integers; got {args.sizes!r}")
        if not sizes or min(sizes) < 1:
            parser.error(f"--sizes must be positive integers; got {args.sizes!r}")
    custom = any(v is not None for v in (args.sizes, args.cases, args.stages, args.methods))
    repeats = args.repeats if args.repeats is not None else (3 if args.quick else 7)
    if repeats < 1:
        parser.error(f"--repeats must be at least 1; got {repeats}")
    settings = Settings(
        sizes=sizes,
        cases=pick(args.cases, list(CASES), "cases"),
        stages=pick(args.stages, STAGES, "stages"),
        methods=methods,
        repeats=repeats,
        budget=args.budget if args.budget is not None else (2.0 if args.quick else 20.0),
        seed=args.seed,
        out=args.out,
        name=args.name or ("custom" if custom else "quick" if args.quick else "full"),
        plot=not args.no_plot,
        progress=not args.no_progress,
    )
    return settings, args.list


def listing() -> str:
    lines = ["Cases (solve stage; score and match use cohort):"]
    lines += [f"  {name:<11} {what}" for name, (_, what) in CASES.items()]
    lines.append("Methods (stage, role, compared with, cap, what is called):")
    for m in METHODS:
        caps = f"n <= {m.max_n}" + "".join(f", {c} <= {v}" for c, v in m.case_max_n.items())
        why = missing(m)
        lines.append(
            f"  {m.name:<15} {m.stage:<5} {m.role:<9} {m.ours or '-':<15} {caps:<40} {m.label}"
            + (f"  [{why}]" if why else "")
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; print the report and write NAME.csv, .txt, .md and .png.

    Returns 0, or 1 if one of our own methods failed.
    """
    settings, list_only = parse(argv)
    if list_only:
        print(listing())
        return 0
    load_before = _load()
    notes = Notes()
    rows = run(settings, notes)
    settings.out.mkdir(parents=True, exist_ok=True)
    header = [
        *environment(),
        f"load average (1, 5, 15 min) before: {load_before}; after: {_load()}; "
        f"1-min load as each input began: {_load_range(rows)}",
        f"sizes {', '.join(map(str, settings.sizes))}; up to {settings.repeats} repeats, "
        f"budget {settings.budget:g} s; seed {settings.seed}",
    ]
    report = "\n\n".join(
        ["\n".join(header), table(rows), targets_report(rows), notes_report(notes, rows)]
    )
    print(report)
    stem = settings.out / settings.name
    write_csv(rows, stem.with_suffix(".csv"))
    stem.with_suffix(".txt").write_text(report + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(summary(rows) + "\n", encoding="utf-8")
    written = [stem.with_suffix(s) for s in (".csv", ".txt", ".md")]
    if settings.plot:
        why_not = plot(rows, stem.with_suffix(".png"))
        if why_not is None:
            written.append(stem.with_suffix(".png"))
        else:
            print(why_not)
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 1 if any(r.role == "ours" and r.status != "ok" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
