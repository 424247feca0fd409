"""Every method timed (ours, the peers, the yardsticks, the references) and how each is called.

Each method converts a :class:`~mmbench.cases.Problem` to its own input format
before the clock starts (:class:`Prepared`); ``METHODS`` lists them in table order.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment, linprog
from scipy.sparse import csr_array, vstack
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

import mentormatch as mm
from mentormatch.solvers import (
    best_stable,
    dense_candidates,
    gale_shapley,
    hungarian,
    k_best,
    lazy_deferred_acceptance,
    maxmin,
)
from mmbench.cases import MIB, STABLE_ONLY, Floats, Pairs, Problem, Thunk


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
    only: tuple[str, ...] = ()  # the cases it applies to ("" = all but ``never``)
    never: tuple[str, ...] = ()  # cases it cannot solve (both capacities, say)
    min_n: int = 0  # below this size it is not run (see ``why_capped``)

    def cap(self, case: str) -> int:
        return self.case_max_n.get(case, self.max_n)

    def applies(self, case: str) -> bool:
        return case not in self.never and (not self.only or case in self.only)


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


def _ours_assignment(solver: Callable[..., Pairs]) -> Callable[[Problem], Prepared]:
    """One of our assignment solvers on the case's weights, mask and capacities."""

    def prepare(p: Problem) -> Prepared:
        return _ready(
            lambda: solver(
                p.weights,
                allowed=p.allowed,
                row_capacity=p.row_capacity,
                col_capacity=p.col_capacity,
            ),
            _as_pairs,
        )

    return prepare


def _ours_stable(solver: Callable[..., Pairs]) -> Callable[[Problem], Prepared]:
    """One of our stable solvers on the case's two utilities, mask and capacities.

    ``best_stable`` runs with its default objective, the sum of both utilities:
    with the case's weights (the proposers' utilities) the proposer-optimal
    matching would always win and the minimum cut would have nothing to do.
    """

    def prepare(p: Problem) -> Prepared:
        return _ready(
            lambda: solver(
                p.proposer_utility,
                p.receiver_utility,
                allowed=p.allowed,
                proposer_capacity=p.row_capacity,
                receiver_capacity=p.col_capacity,
            ),
            _as_pairs,
        )

    return prepare


def _lazy_stable(p: Problem) -> Prepared:
    """``lazy_deferred_acceptance``, its lists read off the case's arrays on demand.

    The callback (``dense_candidates``) is built before the clock; each call
    of it reads the rows it is asked about, as a callback over scored blocks
    would score them. Screened: it hands out only receivers that would accept.
    """
    n_rows, n_cols = p.shape
    ask = dense_candidates(p.proposer_utility, p.receiver_utility, p.allowed)
    return _ready(
        lambda: lazy_deferred_acceptance(
            n_rows, n_cols, ask, p.row_capacity, p.col_capacity, screen=True
        ),
        _as_pairs,
    )


#: How many matchings the k-best methods are asked for.
K_BEST = 10


def _first(result: Any) -> Pairs:
    return _as_pairs(result[0])


def _ours_k_best(p: Problem) -> Prepared:
    return _ready(lambda: k_best(p.weights, K_BEST, allowed=p.allowed), _first)


def _hungarian_k_times(p: Problem) -> Prepared:
    def run() -> object:
        return [hungarian(p.weights, allowed=p.allowed) for _ in range(K_BEST)]

    return _ready(run, _first)


def _munkres_k_best(p: Problem) -> Prepared:
    import munkres

    matrix = p.weights.tolist()

    def decode(result: Any) -> Pairs:
        pairs = sorted(result[0].pairs)
        rows = np.asarray([r for r, _ in pairs], np.intp)
        cols = np.asarray([c for _, c in pairs], np.intp)
        return rows, cols

    return _ready(lambda: munkres.k_best(matrix, K_BEST, maximize=True), decode)


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


def _scipy_sparse(p: Problem) -> Prepared:
    # LAPJVsp wants positive weights on the edges it is given; a shift of every
    # edge changes no perfect matching's ranking.
    assert p.allowed is not None
    rows, cols = np.nonzero(p.allowed)
    values = p.weights[rows, cols]
    graph = csr_array((values - values.min() + 1.0, (rows, cols)), shape=p.shape)

    def decode(result: Any) -> Pairs:
        r, c = _as_pairs(result)
        return r, c

    return _ready(lambda: min_weight_full_bipartite_matching(graph, maximize=True), decode)


def _highs(p: Problem) -> Prepared:
    # The b-matching as a linear program over the allowed pairs (0 <= x <= 1):
    # its constraint matrix is totally unimodular, so HiGHS's simplex vertex
    # is integral. It maximises the total among matchings of every size, so
    # it is compared on the total where every row and column fills up.
    rows, cols = np.nonzero(np.ones(p.shape, np.bool_) if p.allowed is None else p.allowed)
    n, m = p.shape
    e = rows.size
    incidence = vstack(
        [
            csr_array((np.ones(e), (rows, np.arange(e))), shape=(n, e)),
            csr_array((np.ones(e), (cols, np.arange(e))), shape=(m, e)),
        ]
    )
    upper = np.concatenate([np.full(n, p.row_capacity), np.full(m, p.col_capacity)])
    cost = -p.weights[rows, cols]

    def decode(result: Any) -> Pairs:
        chosen = np.flatnonzero(result.x > 0.5)
        return rows[chosen].astype(np.intp), cols[chosen].astype(np.intp)

    return _ready(
        # scipy-stubs does not list sparse A_ub, which linprog's HiGHS methods take.
        lambda: linprog(cost, A_ub=incidence, b_ub=upper, bounds=(0, 1), method="highs"),  # type: ignore[call-overload]
        decode,
    )


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
_FLOW_CAP = (
    "; capacities on both sides go to a min-cost flow in numpy whose time grows "
    "about as n^3 (6 s at 1000 x 1000 with capacity 2)"
)
_REPEATED_CAP = "; where capacities cannot bind, the repeated columns make n^2 * n/40 entries"

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
        _ours_assignment(hungarian),
        case_max_n={"cohort": 4000, "two_sided": 1000, "sparse": 5000},
        why_capped=_LAP_CAP + _FLOW_CAP,
        never=STABLE_ONLY,
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
        case_max_n={"cohort": 4000, "unbinding": 1000},
        why_capped=_LAP_CAP + _REPEATED_CAP,
        never=("two_sided", *STABLE_ONLY),
    ),
    Method(
        "scipy_sparse",
        "solve",
        "peer",
        "scipy.sparse.csgraph.min_weight_full_bipartite_matching (LAPJVsp) on the graph "
        "of allowed pairs, weights shifted positive",
        _scipy_sparse,
        ours="hungarian",
        module="scipy",
        distributions=("scipy",),
        only=("sparse",),
        min_n=1000,
        why_capped="LAPJVsp is the routine that never returned on some feasible inputs, "
        "which is why no route of ours calls it; it runs only at n >= 1000, never in "
        "the smoke test",
    ),
    Method(
        "highs",
        "solve",
        "peer",
        "scipy.optimize.linprog(method='highs') on the b-matching linear program "
        "(0 <= x <= 1 per allowed pair, capacities as rows)",
        _highs,
        ours="hungarian",
        module="scipy",
        distributions=("scipy",),
        only=("two_sided",),
        max_n=1000,
        why_capped="n^2 variables: a linear program of a million pairs at 1000",
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
        case_max_n={"cohort": 4000, "unequal": 4000, "unbinding": 1000},
        why_capped="on the cohort case 38 s a call at 4000 (near-ties); on unequal sides "
        "it pads to a square, 11 s at 4000 x 2000" + _REPEATED_CAP,
        never=("two_sided", *STABLE_ONLY),
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
        never=("two_sided", "unbinding", *STABLE_ONLY),
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
        never=("two_sided", "unbinding", *STABLE_ONLY),
    ),
    Method(
        "maxmin",
        "solve",
        "ours",
        "mentormatch.solvers.maxmin",
        _ours_assignment(maxmin),
        max_n=4000,
        case_max_n={"two_sided": 1000},
        why_capped=_MAXMIN_CAP + _FLOW_CAP,
        never=STABLE_ONLY,
    ),
    Method(
        "gale_shapley",
        "solve",
        "ours",
        "mentormatch.solvers.gale_shapley (rows propose)",
        _ours_stable(gale_shapley),
    ),
    Method(
        "lazy_gs",
        "solve",
        "variant",
        "mentormatch.solvers.lazy_deferred_acceptance(screen=True) with dense_candidates: "
        "the preference lists read on demand, a block of rows at a time, never sorted whole",
        _lazy_stable,
        ours="gale_shapley",
        max_n=5000,
        why_capped="the issue's sizes (2,000 and 5,000); the rows are read again for each "
        "proposer that runs out, up to 11 s at 10,000",
        never=STABLE_ONLY,
    ),
    Method(
        "best_stable",
        "solve",
        "variant",
        "mentormatch.solvers.best_stable: the stable matching of largest sum of both "
        "utilities, by rotations and a minimum cut",
        _ours_stable(best_stable),
        ours="gale_shapley",
        max_n=4000,
        why_capped="walks every rotation in Python and holds two n x m rank matrices: "
        "several seconds and about 0.5 GiB at 4000",
        never=("two_sided", "unbinding"),
    ),
    Method(
        "k_best",
        "solve",
        "ours",
        f"mentormatch.solvers.k_best(weights, {K_BEST}) (Murty's partitioning on hungarian)",
        _ours_k_best,
        only=("uniform",),
        max_n=200,
        why_capped="the issue's size; about k * n calls of hungarian",
    ),
    Method(
        "hungarian_k",
        "solve",
        "yardstick",
        f"{K_BEST} calls of mentormatch.solvers.hungarian: the cost of k independent solves",
        _hungarian_k_times,
        ours="k_best",
        only=("uniform",),
        max_n=200,
        why_capped="beside k_best",
    ),
    Method(
        "munkres_k_best",
        "solve",
        "peer",
        f"munkres.k_best(matrix, {K_BEST}, maximize=True) (munkres 3.0.0, Murty)",
        _munkres_k_best,
        ours="k_best",
        module="munkres",
        distributions=("munkres",),
        only=("uniform",),
        max_n=200,
        why_capped="about 20 to 50 s a call at 200 here",
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
        never=("two_sided",),
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
