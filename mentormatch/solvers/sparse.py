r"""Exact assignment on a sparse candidate graph, with dual values that prove it.

:func:`sparse_assignment` solves the problem :func:`hungarian` solves (most
pairs, then the largest total) when only a list of candidate pairs is given,
and returns, besides the pairs, **dual values**: a number per row and per
column that bounds every pair's weight. The bound holds with equality on the
chosen pairs, so no other pairing can do better. :func:`dual_violations`
checks the bound on any block of pairs; this is how :func:`~mentormatch.
match_large` proves that pairs left out of the candidate graph could not have
improved the result (*pricing*).

The method. With capacity above 1 on one side at most, that side is split
into unit copies. Each row copy *r* gets a private "unpaired" column *r'* at
cost ``H``; each column *c* gets a private "unpaired" row *c'* at cost 0,
and a mirror arc ``c' -> r'`` for every candidate pair ``(r, c)``. In this
square problem a perfect matching is a pairing of the original plus who is
unpaired, and it costs ``sum(top - w) + H * (#unpaired rows)``. ``H`` is
first twice the spread of the weights, so a pair beats no pair; if the
result then has fewer pairs than a maximum matching of the candidates
(Hopcroft-Karp, :mod:`mentormatch.solvers._bipartite`), the problem is
solved again with ``H = spread * (K + 2)``, *K* that maximum, where one
more pair outweighs any change of total.

The square problem is solved by Bertsekas's auction with epsilon scaling:
every unassigned row bids for its best column at the price that makes it
``eps`` worse than its second best, all unassigned rows at once (Jacobi
rounds: a few numpy steps per round, or, with numba installed (the ``fast``
extra), the same rounds compiled, identical bit for bit and about ten times
faster on large problems; see :mod:`mentormatch.solvers._rounds`); ``eps`` starts at a quarter of ``H`` and shrinks eightfold
per pass down to 2**-34 (about ``6e-11``) of the spread. Each pass keeps the pairs
that are within the new ``eps`` of their best and re-auctions the others.

Why it terminates. The square problem always has a perfect matching (anyone
may stay unpaired), and on such a problem an auction pass ends: every bid
raises a price by at least ``eps``, an assigned column stays assigned, and
no price can rise past ``n * (C + eps)`` above its start (*C* the spread of
the costs) while a perfect matching exists. The number of passes is fixed
by the schedule. ``eps`` never falls below 2**-46 of the largest cost, so a
bid always changes a price in floating point; and a price past its bound
raises an error instead of looping. Hopcroft-Karp (integer steps, its own
argument of termination in :mod:`mentormatch.solvers._bipartite`) and the
breadth-first search of the cover (scipy's) are combinatorial, with no
tolerance.

How exact it is. At the end every row's partner is within ``eps`` of its
best at the final prices. The dual values built from the prices are
feasible exactly (each row's is the maximum over its arcs) and fall short
on a chosen pair by at most about ``eps``, so the total is within
``(n + m) * eps`` of the optimum, about ``6e-11 * (n + m)`` times the
spread; :func:`dual_violations` measures the shortfall of any result.
Weights that are multiples of a common step (as cohort scores are) give the
exact optimum as soon as ``(n + m) * eps`` is below that step.

Examples
--------
>>> import numpy as np
>>> from mentormatch.solvers import sparse_assignment
>>> rows = np.array([0, 0, 1, 2]); cols = np.array([0, 1, 0, 1])
>>> result = sparse_assignment(3, 2, rows, cols, np.array([0.9, 0.5, 0.8, 0.7]))
>>> result.rows.tolist(), result.cols.tolist()
([0, 2], [0, 1])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import breadth_first_order

from mentormatch._validation import (
    NON_NEGATIVE,
    as_bool_mask,
    as_capacity,
    as_matrix,
    check_number,
    describe,
    fail,
    param_where,
)
from mentormatch.solvers._bipartite import max_matching
from mentormatch.solvers._rounds import run_rounds

__all__ = ["SparseAssignment", "dual_violations", "sparse_assignment"]

Index = NDArray[np.intp]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class _State:
    """The square problem's potentials and matching, to start the next solve from."""

    kind: str  # "square" (with unpaired arcs) or "perfect" (the candidates alone)
    price: Floats  # objects: column copies, then row dummies
    mate: Index  # object held by each bidder (row copies, then column mirrors)
    h: float
    top: float


@dataclass(frozen=True)
class SparseAssignment:
    """Result of :func:`sparse_assignment`.

    Attributes
    ----------
    rows, cols : ndarray of intp
        The pairs, sorted by row then column.
    row_dual, col_dual : ndarray of float64
        Dual values: ``w[i, j] + offset <= row_dual[i] + col_dual[j]`` for
        every candidate pair not chosen, ``>=`` for every pair chosen, both
        non-negative, and positive only for a row or column whose capacity
        is used up. A participant with capacity 0 has dual value ``inf``.
    offset : float
        Added to every weight: the dual values prove that the pairs have
        the largest total of ``weights + offset`` among all pairings of the
        candidates, and ``row_cover``/``col_cover`` that no pairing has more
        pairs, so together: most pairs, then the largest total.
    row_cover, col_cover : ndarray of bool
        A vertex cover (Konig): every candidate pair has its row or its
        column covered, and covered capacity equals the number of pairs.
        A pair outside the candidates with neither covered could make room
        for one more pair.
    rounds : int
        Auction rounds (one vectorised bidding step each).
    eps : float
        The final auction step: every row's partner is within ``eps`` of its
        best at the final prices.

    Examples
    --------
    >>> from mentormatch.solvers import sparse_assignment
    >>> result = sparse_assignment(2, 1, [0, 1], [0, 0], [0.3, 0.6])
    >>> result.rows.tolist(), result.cols.tolist(), result.row_cover.tolist()
    ([1], [0], [False, False])
    >>> result.col_cover.tolist()
    [True]
    """

    rows: Index
    cols: Index
    row_dual: Floats
    col_dual: Floats
    offset: float
    row_cover: NDArray[np.bool_]
    col_cover: NDArray[np.bool_]
    rounds: int
    eps: float
    _state: _State | None = field(default=None, repr=False, compare=False)


def sparse_assignment(
    n_rows: int,
    n_cols: int,
    rows: ArrayLike,
    cols: ArrayLike,
    weights: ArrayLike,
    row_capacity: ArrayLike | None = None,
    col_capacity: ArrayLike | None = None,
    *,
    bounds: tuple[float, float] | None = None,
    start: SparseAssignment | None = None,
) -> SparseAssignment:
    """Most pairs, then the largest total, among listed candidate pairs, with dual values.

    Parameters
    ----------
    n_rows, n_cols : int
        Number of rows and columns.
    rows, cols : array-like of int
        The candidate pairs, one entry each (no pair twice).
    weights : array-like of float
        Weight of each candidate pair (finite).
    row_capacity, col_capacity : array-like of int, optional
        Pairs each row or column may take (default 1). Capacities above 1
        on both sides are not supported.
    bounds : (float, float), optional
        Lower and upper bound of every weight that may ever be offered
        (default: the weights' own). Give the range of the whole problem
        when candidates will be added and ``start`` reused, so the offset
        stays the same.
    start : SparseAssignment, optional
        A previous result on a subset of these candidates (same sizes,
        capacities and ``bounds``): its prices and pairs are the starting
        point, so adding a few candidates re-auctions only the rows they
        touch.

    Returns
    -------
    SparseAssignment

    Raises
    ------
    InvalidInputError
        On malformed input, a pair listed twice, or capacities above 1 on
        both sides.

    See Also
    --------
    hungarian : The same problem on a dense matrix.
    dual_violations : Check the dual values on any block of pairs.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import dual_violations, sparse_assignment
    >>> result = sparse_assignment(2, 2, [0, 0, 1], [0, 1, 0], [1.0, 0.2, 0.9])
    >>> result.rows.tolist(), result.cols.tolist()
    ([0, 1], [1, 0])
    >>> w = np.array([[1.0, 0.2], [0.9, 0.0]]); allowed = np.array([[1, 1], [1, 0]], bool)
    >>> chosen = np.zeros((2, 2), bool); chosen[result.rows, result.cols] = True
    >>> worst, above = dual_violations(w, allowed, result.row_dual, result.col_dual,
    ...                                result.offset, chosen, tol=1e-9)
    >>> worst < 1e-9, above
    (True, 0)
    """
    owner = "sparse_assignment"
    n_rows = _count(n_rows, "n_rows", owner)
    n_cols = _count(n_cols, "n_cols", owner)
    er = _index(rows, "rows", owner, n_rows)
    ec = _index(cols, "cols", owner, n_cols)
    w = _floats(weights, "weights", owner)
    if not (len(er) == len(ec) == len(w)):
        raise fail(
            param_where("weights", owner),
            f"one weight per pair ({len(er)} rows, {len(ec)} cols)",
            f"{len(w)} weights",
        )
    if np.isnan(w).any() or np.isinf(w).any():
        raise fail(param_where("weights", owner), "finite numbers", "nan or inf")
    key = er.astype(np.int64) * max(n_cols, 1) + ec
    if len(np.unique(key)) != len(key):
        raise fail(param_where("rows", owner), "each pair at most once", "a pair listed twice")
    rcap = as_capacity(row_capacity, "row_capacity", owner, n_rows)
    ccap = as_capacity(col_capacity, "col_capacity", owner, n_cols)
    if (rcap > 1).any() and (ccap > 1).any():
        raise fail(
            param_where("col_capacity", owner),
            "capacities of at most 1 when some row capacity is above 1",
            f"{int((ccap > 1).sum())} columns above 1",
        )
    if bounds is None:
        low, high = (float(w.min()), float(w.max())) if len(w) else (0.0, 0.0)
    else:
        where = param_where("bounds", owner)
        pair = _floats(bounds, "bounds", owner)
        if len(pair) != 2 or not np.isfinite(pair).all() or pair[0] > pair[1]:
            raise fail(where, "finite (low, high) with low <= high", describe(bounds))
        low, high = float(pair[0]), float(pair[1])
        if len(w) and (w.min() < low or w.max() > high):
            raise fail(where, "bounds containing every weight", describe(bounds))
    if start is not None and not isinstance(start, SparseAssignment):
        raise fail(param_where("start", owner), "a SparseAssignment", describe(start))
    return solve_checked(n_rows, n_cols, er, ec, w, rcap, ccap, low, high, start)


def solve_checked(
    n_rows: int,
    n_cols: int,
    er: Index,
    ec: Index,
    w: Floats,
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
    low: float,
    high: float,
    start: SparseAssignment | None = None,
    *,
    arcs_sorted: bool = False,
) -> SparseAssignment:
    """:func:`sparse_assignment` on inputs already checked (the pricing loop's repeated
    solves: no pair twice, indices in range, finite weights within ``[low, high]``, one side's
    capacities above 1 at most); ``arcs_sorted``: the pairs come in (row, col) order."""
    # Weights past 2**900 are scaled by a power of two (exact) so that no sum overflows.
    size = max(abs(low), abs(high))
    factor = 2.0 ** -(math.frexp(size)[1] - 900) if size > 2.0**900 else 1.0
    scaled = w if factor == 1.0 else w * factor  # no copy of millions of weights otherwise
    result = _solve(
        n_rows, n_cols, er, ec, scaled, rcap, ccap, low * factor, high * factor, start, arcs_sorted
    )
    if factor == 1.0:
        return result
    return replace(
        result,
        row_dual=result.row_dual / factor,
        col_dual=result.col_dual / factor,
        offset=result.offset / factor,
        eps=result.eps / factor,
    )


def _count(value: object, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 0:
        raise fail(param_where(name, owner), "a non-negative integer", describe(value))
    return int(value)


def _floats(value: object, name: str, owner: str) -> Floats:
    """A flat float array, or an error naming the parameter."""
    try:
        array = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise fail(param_where(name, owner), "numbers", describe(value)) from None
    return array


def _index(value: ArrayLike, name: str, owner: str, size: int) -> Index:
    array = np.asarray(value).ravel()
    if array.size == 0:
        return np.zeros(0, dtype=np.intp)
    if not np.issubdtype(array.dtype, np.integer):
        raise fail(param_where(name, owner), "integer indices", f"dtype {array.dtype}")
    if array.min() < 0 or array.max() >= size:
        raise fail(param_where(name, owner), f"indices in [0, {size})", "one outside")
    return array.astype(np.intp)


def _split(
    cap: NDArray[np.int64],
) -> tuple[Index, Index]:
    """First node of each participant and the participant of each node (unit copies)."""
    first = np.concatenate(([0], np.cumsum(cap)[:-1])).astype(np.intp) if len(cap) else cap
    owner = np.repeat(np.arange(len(cap), dtype=np.intp), cap)
    return np.asarray(first, dtype=np.intp), owner


def _solve(
    n_rows: int,
    n_cols: int,
    er: Index,
    ec: Index,
    w: Floats,
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
    low: float,
    high: float,
    start: SparseAssignment | None,
    arcs_sorted: bool = False,
) -> SparseAssignment:
    br, bc, bw, row_of, col_of = _unit_copies(er, ec, w, rcap, ccap)
    # Unit capacities leave the pairs as they came (no copies), so their order holds.
    in_order = arcs_sorted and bool((rcap == 1).all() and (ccap == 1).all())
    nr, nc = len(row_of), len(col_of)
    # The scale of the weights: their range, or their size when they are all equal.
    spread = high - low if high > low else max(abs(high), 1.0)
    # Most pairs: a start that paired every copy on a subset of these arcs still does (more
    # candidates never pair fewer); else Hopcroft-Karp, seconds on millions of arcs.
    if _pairs_every_copy(start, nr, nc, br, bc, in_order):
        most = nr
    else:
        most = int((max_matching(nr, nc, br, bc) >= 0).sum())
    if 0 < nr == nc == most:
        return _solve_perfect(
            n_rows, n_cols, br, bc, bw, row_of, col_of, high, spread, start, in_order
        )
    # "Unpaired" costs a little more than any pair, which is usually enough for "most pairs
    # first"; when it is not (a pairing short of the most possible), the safe level is used.
    for attempt, h in enumerate((2 * spread, spread * (most + 2))):
        square = _square(nr, nc, br, bc, high - bw, h)
        price, mate = _start(start if attempt == 0 else None, "square", nr + nc, h, high)
        rounds, eps = _scaled_auction(square, price, mate, h, spread)
        if int((mate[:nr] < nc).sum()) == most:
            break

    indptr, obj, benefit = square
    copy_r = np.flatnonzero(mate[:nr] < nc)
    copy_c = mate[copy_r]
    prow, pcol = row_of[copy_r], col_of[copy_c]
    order = np.lexsort((pcol, prow))
    prow, pcol = prow[order], pcol[order]

    # Dual values. profit[b] is bidder b's best value at the final prices; in the cost form
    # u_b = -profit[b], v_o = -price[o], and the original problem's duals are
    # alpha_r = h - u_r - v_r' and beta_c = -u_c' - v_c for each copy (see SparseAssignment);
    # a participant's value is the smallest of its copies'.
    profit = _best_values(indptr, obj, benefit, price) if nr + nc else price
    alpha = h + profit[:nr] + price[nc:]
    beta = profit[nr:] + price[:nc]
    row_dual = np.full(n_rows, np.inf)
    col_dual = np.full(n_cols, np.inf)
    if nr:
        np.minimum.at(row_dual, row_of, alpha)
    if nc:
        np.minimum.at(col_dual, col_of, beta)
    state = _State("square", price, mate, h, high)
    cover_r, cover_c = _cover(nr, nc, br, bc, mate[:nr])
    row_cover = np.ones(n_rows, dtype=bool)
    col_cover = np.ones(n_cols, dtype=bool)
    np.logical_and.at(row_cover, row_of, cover_r)
    np.logical_and.at(col_cover, col_of, cover_c)
    return SparseAssignment(
        prow, pcol, row_dual, col_dual, h - high, row_cover, col_cover, rounds, eps, state
    )


def _solve_perfect(
    n_rows: int,
    n_cols: int,
    br: Index,
    bc: Index,
    bw: Floats,
    row_of: Index,
    col_of: Index,
    high: float,
    spread: float,
    start: SparseAssignment | None,
    in_order: bool = False,
) -> SparseAssignment:
    """The common case: as many row copies as column copies, and the candidates pair them all.

    Then the most pairs is every copy, no one may stay unpaired, and the auction runs on the
    candidates alone (half the arcs of the square problem, no "unpaired" arcs to fight over).
    Dual values: with ``profit`` each row's best value and ``price`` each column's,
    ``profit_r + price_c >= w_rc - high`` on every arc; shifting both to a minimum of 0 gives
    non-negative values, and every place is full, so any positive value is allowed.
    """
    nr = len(row_of)
    if in_order:  # already by row, then column: no sort, no copy of the columns
        obj, benefit = bc, bw - high
    else:
        order = np.lexsort((bc, br))
        obj = bc[order]
        benefit = bw[order]
        benefit -= high
        del order
    indptr = np.concatenate(([0], np.cumsum(np.bincount(br, minlength=nr)))).astype(np.intp)
    price, mate = _start(start, "perfect", nr, spread, high)
    rounds, eps = _scaled_auction((indptr, obj, benefit), price, mate, spread, spread)
    profit = _best_values(indptr, obj, benefit, price)
    shift_r, shift_c = -float(profit.min()), -float(price.min())
    row_dual = np.full(n_rows, np.inf)
    col_dual = np.full(n_cols, np.inf)
    np.minimum.at(row_dual, row_of, profit + shift_r)
    np.minimum.at(col_dual, col_of, price + shift_c)
    prow, pcol = row_of, col_of[mate]
    keep = np.lexsort((pcol, prow))
    state = _State("perfect", price, mate, spread, high)
    return SparseAssignment(
        prow[keep],
        pcol[keep],
        row_dual,
        col_dual,
        shift_r + shift_c - high,
        np.ones(n_rows, dtype=bool),
        np.zeros(n_cols, dtype=bool),
        rounds,
        eps,
        state,
    )


def _cover(
    nr: int, nc: int, br: Index, bc: Index, mate: Index
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Konig's vertex cover of the unit-copy graph for a maximum matching (``mate``: the
    column copy of each row copy, ``>= nc`` when unpaired): row copies not reachable from an
    unpaired row copy by alternating paths, and column copies that are."""
    paired = mate < nc
    # Nodes: row copies 0..nr-1, column copies nr..nr+nc-1, a root nr+nc linked to unpaired rows.
    free = np.flatnonzero(~paired)
    unmatched = ~(paired[br] & (mate[br] == bc)) if len(br) else np.zeros(0, dtype=bool)
    src = np.concatenate([br[unmatched], nr + mate[paired], np.full(len(free), nr + nc)])
    dst = np.concatenate([nr + bc[unmatched], np.flatnonzero(paired), free])
    graph = sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(nr + nc + 1, nr + nc + 1))
    reached = np.zeros(nr + nc + 1, dtype=bool)
    reached[breadth_first_order(graph, nr + nc, directed=True, return_predecessors=False)] = True
    return ~reached[:nr], reached[nr : nr + nc]


def _unit_copies(
    er: Index, ec: Index, w: Floats, rcap: NDArray[np.int64], ccap: NDArray[np.int64]
) -> tuple[Index, Index, Floats, Index, Index]:
    """The candidates between unit copies of the side whose capacities exceed 1 (rows if any
    row's does): every candidate goes to every copy. Returns the copies' pairs and weights and
    the participant of each row copy and each column copy."""
    if (rcap == 1).all() and (ccap == 1).all():  # the usual case: the pairs themselves
        return er, ec, w, np.arange(len(rcap), dtype=np.intp), np.arange(len(ccap), dtype=np.intp)
    split_rows = bool((rcap > 1).any())
    row_first, row_of = _split(rcap)
    col_first, col_of = _split(ccap)
    usable = (rcap[er] > 0) & (ccap[ec] > 0)
    er, ec, w = er[usable], ec[usable], w[usable]
    k = rcap[er] if split_rows else ccap[ec]
    br = np.repeat(row_first[er], k) + (_ramp(k) if split_rows else 0)
    bc = np.repeat(col_first[ec], k) + (0 if split_rows else _ramp(k))
    return br, bc, np.repeat(w, k), row_of, col_of


def _pairs_every_copy(
    start: SparseAssignment | None, nr: int, nc: int, br: Index, bc: Index, in_order: bool
) -> bool:
    """Whether ``start`` holds a perfect matching of the copies whose every pair is an arc
    (``in_order``: the arcs come by row, then column, so their keys are sorted already)."""
    state = start._state if start is not None else None
    if state is None or state.kind != "perfect" or not 0 < nr == nc == len(state.mate):
        return False
    if (state.mate < 0).any():
        return False
    # Sorted in place and searched: np.isin would hold several copies of millions of keys.
    arcs = br.astype(np.int64) * nc + bc
    if not in_order:
        arcs.sort()
    held = np.arange(nr, dtype=np.int64) * nc + state.mate
    return bool(sorted_contains(arcs, held).all())


def sorted_contains(keys: NDArray[np.int64], values: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each value is among ``keys`` (sorted): a binary search each, no sort of keys."""
    if len(keys) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return np.asarray(keys[at] == values)


def max_matching_loads(
    n_rows: int,
    n_cols: int,
    rows: Index,
    cols: Index,
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs per row and per column in one maximum matching of the candidates (one side's
    capacities above 1 at most): who still has room when as many pairs as possible are made."""
    br, bc, _, row_of, col_of = _unit_copies(
        rows, cols, np.zeros(len(rows)), row_capacity, col_capacity
    )
    mate = max_matching(len(row_of), len(col_of), br, bc)
    paired = np.flatnonzero(mate >= 0)
    row_load = np.bincount(row_of[paired], minlength=n_rows).astype(np.int64)
    col_load = np.bincount(col_of[mate[paired]], minlength=n_cols).astype(np.int64)
    return row_load, col_load


def _square(
    nr: int, nc: int, br: Index, bc: Index, cost: Floats, h: float
) -> tuple[Index, Index, Floats]:
    """The square problem in CSR form: bidders (row copies, column mirrors) x objects
    (column copies, row dummies), with benefit = -cost."""
    bid = np.concatenate([br, np.arange(nr), nr + np.arange(nc), nr + bc]).astype(np.intp)
    obj = np.concatenate([bc, nc + np.arange(nr), np.arange(nc), nc + br]).astype(np.intp)
    benefit = -np.concatenate([cost, np.full(nr, h), np.zeros(nc), np.zeros(len(cost))])
    order = np.lexsort((obj, bid))
    indptr = np.concatenate(([0], np.cumsum(np.bincount(bid, minlength=nr + nc)))).astype(np.intp)
    return indptr, obj[order], benefit[order]


_FINAL = 2.0**-34
_THETA = 8.0


def _scaled_auction(
    square: tuple[Index, Index, Floats], price: Floats, mate: Index, h: float, spread: float
) -> tuple[int, float]:
    """Auction with epsilon scaling, down to a final epsilon of 2**-34 of the spread."""
    indptr, obj, benefit = square
    n = len(price)
    final = max(spread * _FINAL, h * 2**-46, float(np.abs(price).max(initial=0.0)) * 2**-46)
    eps = max(h / 4, final)
    held = mate >= 0
    if held.any():
        # A warm start: begin at the largest slack the new arcs opened, not at the top, so
        # the work is in proportion to the change (the bidders within it keep their objects).
        profit = _best_values(indptr, obj, benefit, price)
        own = _benefit_of(indptr, obj, benefit, np.flatnonzero(held), mate[held])
        slack = float((profit[held] - (own - price[mate[held]])).max(initial=0.0))
        eps = min(eps, max(slack, final))
    rounds = 0
    while True:
        # Bertsekas: on a feasible problem no price rises by more than about n * (C + eps)
        # in one pass (C: the spread of the benefits), so a price past this bound is a bug.
        bound = float(np.abs(price).max(initial=0.0)) + 2 * (n + 1) * (h + eps)
        rounds += _auction(indptr, obj, benefit, price, mate, eps, bound)
        if eps <= final:
            break
        eps = max(eps / _THETA, final)
    return rounds, eps


def _ramp(k: NDArray[np.int64]) -> Index:
    """0, 1, ..., k_e - 1 for each entry e, concatenated."""
    total = int(k.sum())
    starts = np.repeat(np.cumsum(k) - k, k)
    return (np.arange(total) - starts).astype(np.intp)


def _start(
    start: SparseAssignment | None, kind: str, n: int, h: float, top: float
) -> tuple[Floats, Index]:
    """Prices and the object of each bidder (-1: none) to begin with."""
    state = start._state if start is not None else None
    if (
        state is None
        or state.kind != kind
        or len(state.price) != n
        or state.h != h
        or state.top != top
    ):
        return np.zeros(n), np.full(n, -1, dtype=np.intp)
    return state.price.copy(), state.mate.copy()


def _auction(
    indptr: Index,
    obj: Index,
    benefit: Floats,
    price: Floats,
    mate: Index,
    eps: float,
    bound: float,
) -> int:
    """Forward auction rounds (Jacobi) until every bidder holds an object; returns the rounds.

    Bidders' arcs are ``indptr``/``obj``/``benefit`` in CSR form, sorted by
    object within a bidder. On return every bidder's object is within
    ``eps`` of its best (``eps``-complementary slackness). ``price`` and
    ``mate`` are updated in place.
    """
    n = len(price)
    owner = np.full(n, -1, dtype=np.intp)
    held = mate >= 0
    owner[mate[held]] = np.flatnonzero(held)
    # Keep the bidders that are already within eps of their best; free the others.
    profit = _best_values(indptr, obj, benefit, price) if n else price
    own = np.full(n, -np.inf)
    if held.any():
        own[held] = _benefit_of(indptr, obj, benefit, np.flatnonzero(held), mate[held])
        own[held] -= price[mate[held]]
    loose = held & (own < profit - eps)
    owner[mate[loose]] = -1
    mate[loose] = -1
    return run_rounds(
        indptr, obj, benefit, price, mate, owner, np.flatnonzero(mate < 0), eps, bound
    )


def _best_values(indptr: Index, obj: Index, benefit: Floats, price: Floats) -> Floats:
    """Each bidder's best value, ``max(benefit - price[obj])`` over its arcs (every bidder
    has some), with one temporary the size of the arcs instead of two."""
    value = price[obj]
    np.subtract(benefit, value, out=value)
    return np.maximum.reduceat(value, indptr[:-1])


def _benefit_of(
    indptr: Index, obj: Index, benefit: Floats, bidders: Index, objects: Index
) -> Floats:
    """Benefit of each listed (bidder, object) arc, by binary search in the bidder's row.

    Objects are sorted within a bidder; every row is searched at once, a halving step at a
    time, with arrays the size of ``bidders`` only (not of all the arcs, millions at scale).
    """
    lo = indptr[bidders].astype(np.intp)
    end = indptr[bidders + 1].astype(np.intp)
    hi = end.copy()
    last = max(len(obj) - 1, 0)
    while True:
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) // 2
        right = open_ & (obj[np.minimum(mid, last)] < objects)
        lo = np.where(right, mid + 1, lo)
        hi = np.where(open_ & ~right, mid, hi)
    if len(lo) and not np.all((lo < end) & (obj[np.minimum(lo, last)] == objects)):
        raise RuntimeError("sparse_assignment: a held arc is missing")  # pragma: no cover
    return benefit[lo]


def dual_violations(
    weights: ArrayLike,
    allowed: ArrayLike,
    row_dual: ArrayLike,
    col_dual: ArrayLike,
    offset: float,
    chosen: ArrayLike,
    *,
    tol: float = 0.0,
) -> tuple[float, int]:
    """How far a block of pairs breaks the dual bound: the largest violation and how many break it.

    Parameters
    ----------
    weights : array-like of shape (b, c)
        The block's weights.
    allowed : array-like of bool, shape (b, c)
        The block's allowed pairs (others are not checked).
    row_dual, col_dual : array-like of shape (b,) and (c,)
        The dual values of the block's rows and columns.
    offset : float
        The result's ``offset``.
    chosen : array-like of bool, shape (b, c)
        The pairs in the pairing.
    tol : float, default 0.0
        Count an unchosen pair only when it is more than this above its
        bound (rounding puts some a few units in the last place above).

    Returns
    -------
    (float, int)
        The largest amount by which an unchosen allowed pair's weight
        exceeds its bound, or a chosen pair's falls short of it (0 if none),
        and the number of unchosen pairs more than ``tol`` above their bound.

    Examples
    --------
    >>> from mentormatch.solvers import dual_violations
    >>> dual_violations([[1.0, 0.2]], [[True, True]], [1.0], [0.0, 0.0], 0.0, [[True, False]])
    (0.0, 0)
    >>> dual_violations([[1.0, 1.5]], [[True, True]], [1.0], [0.0, 0.0], 0.0, [[True, False]])
    (0.5, 1)
    """
    owner = "dual_violations"
    w = as_matrix(weights, "weights", owner)
    ok = as_bool_mask(allowed, "allowed", owner, w.shape)
    on = as_bool_mask(chosen, "chosen", owner, w.shape)
    assert ok is not None
    assert on is not None
    duals = []
    for name, size in (("row_dual", w.shape[0]), ("col_dual", w.shape[1])):
        dual = _floats(row_dual if name == "row_dual" else col_dual, name, owner)
        if len(dual) != size or np.isnan(dual).any():
            raise fail(param_where(name, owner), f"{size} numbers (not nan)", describe(dual))
        duals.append(dual)
    if not isinstance(offset, (int, float, np.integer, np.floating)) or not math.isfinite(offset):
        raise fail(param_where("offset", owner), "a finite number", describe(offset))
    tol = check_number(tol, param_where("tol", owner), NON_NEGATIVE)
    with np.errstate(invalid="ignore"):
        gap = w + float(offset) - duals[0][:, None] - duals[1][None, :]
    free = ok & ~on
    worst = float(gap[free].max(initial=0.0))
    short = float((-gap[on]).max(initial=0.0))
    return max(worst, short, 0.0), int((gap[free] > tol).sum())
