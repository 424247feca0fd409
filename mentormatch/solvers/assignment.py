r"""Maximum-weight assignment (the Hungarian method), with forbidden pairs and capacities.

Use :func:`hungarian` when the goal is the largest total weight. It pairs as many
rows and columns as the allowed pairs and the capacities permit, and among those
matchings of maximum size it takes one of largest total weight. If the worst
pair matters more than the total, use :func:`~mentormatch.solvers.maxmin`; if
each side's own preferences must be respected, use
:func:`~mentormatch.solvers.gale_shapley`.

How each case is solved, and why each route ends with the exact optimum (up to
floating-point rounding; no route adds a big-M penalty to the weights or
relies on a solver tolerance):

* **unit capacities, nothing forbidden**: straight to
  :func:`scipy.optimize.linear_sum_assignment` (the shortest augmenting path
  method of Crouse 2016), after one finiteness check. It augments one row at
  a time, at most ``min(n, m)`` times, each a Dijkstra search over the
  columns.
* **forbidden pairs, unit capacities**: those entries become ``+inf`` costs,
  which ``linear_sum_assignment`` treats as missing edges; it then either
  pairs every row of the smaller side or raises "cost matrix is infeasible"
  (its augmentation finds no path; it never loops). Only in that case is the
  maximum size *K* found (Hopcroft-Karp, :func:`scipy.sparse.csgraph.
  maximum_bipartite_matching`) and *s - K* zero-cost dummy columns appended
  for the *s* rows: a full matching of the padded matrix uses exactly *K*
  real pairs, so the solver maximises the total among matchings of size *K*.
* **a capacity that cannot bind**: capacities are first clipped to the
  number of partners a row or column could possibly have. When every column
  can take all of its allowed rows, each row simply takes its best allowed
  columns, up to its capacity (and likewise with rows and columns swapped).
  This costs one sort of the weights, however large the capacities.
* **capacity above 1 on one side only**: each row (or column) is repeated as
  many times as its capacity, and the repeated matrix goes to the unit
  route. Because the other side has unit capacity, no pair can be used
  twice. This is taken while the repeated matrix stays small (at most four
  times the input and at most 2**22 entries); otherwise the flow route below.
* **capacities above 1 on both sides** (or a large repetition): an exact
  minimum-cost flow by successive shortest paths with potentials
  (:mod:`mentormatch.solvers._flow`): at most *K* + 1 Dijkstra searches on
  ``n + m + 1`` nodes, each settling every node at most once, so it always
  terminates; each augmentation keeps the flow cheapest for its size, so the
  last one is the heaviest matching of maximum size. About a second for
  400 x 400 with capacity 3 on both sides.

Earlier versions handed the two-sided case to scipy's sparse LAPJVsp
(:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`) after
Tutte's reduction; on some feasible float inputs that routine never returns
and ignores interrupts (scipy issue 17269 shows the same symptom on
infeasible input), so no route calls it. The maximum-flow routine
:func:`scipy.sparse.csgraph.maximum_flow` used for *K* with capacities works
on integers (capacities clipped to at most ``max(n, m)``) and terminates by
construction (Dinic's method).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

from mentormatch.solvers._flow import b_matching
from mentormatch.solvers._graph import max_cardinality, usable_pairs
from mentormatch.solvers._inputs import assignment_inputs

__all__ = ["hungarian"]

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]


def hungarian(
    weights: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    row_capacity: ArrayLike | None = None,
    col_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    r"""Pair as many rows and columns as possible, with the largest total weight.

    Solves the assignment problem lexicographically: first the largest number
    of pairs *K* that the allowed pairs and the capacities permit, then, among
    matchings of that size, the largest total weight:

    .. math::

        \max_{x \in \{0, 1\}^{n \times m}} \sum_{i, j} w_{ij} x_{ij}
        \quad \text{subject to} \quad
        \sum_j x_{ij} \le r_i, \quad
        \sum_i x_{ij} \le c_j, \quad
        x_{ij} = 0 \text{ unless allowed}_{ij}, \quad
        \sum_{i, j} x_{ij} = K,

    where *K* is the largest value of :math:`\sum_{i,j} x_{ij}` over the other
    constraints. Every pair is therefore made even when its weight is
    negative. A row and a column are paired at most once, whatever their
    capacities.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_cols)
        Finite values; ``weights[i, j]`` is how good pairing row *i* with
        column *j* is (higher is better). A matrix with no rows or no columns
        is accepted and gives an empty result.
    allowed : array-like of bool of shape (n_rows, n_cols), optional
        ``False`` where a pair is forbidden. Default: every pair is allowed.
    row_capacity : int or array-like of int of shape (n_rows,), optional
        The most pairs each row may be in (non-negative; 0 leaves the row out).
        A scalar applies to every row. Default 1.
    col_capacity : int or array-like of int of shape (n_cols,), optional
        The same for columns. Default 1.

    Returns
    -------
    rows : ndarray of intp of shape (n_pairs,)
        Row index of each pair, sorted ascending.
    cols : ndarray of intp of shape (n_pairs,)
        Column index of each pair, ascending within each row.

    Raises
    ------
    InvalidInputError
        If ``weights`` is not a 2-D array of finite numbers, ``allowed`` is
        not a boolean array of the same shape, or a capacity is not a
        non-negative integer (or has the wrong length). The message names
        the parameter.

    See Also
    --------
    maxmin : The best worst pair first, then the best total.
    gale_shapley : A stable matching instead of an optimal one.
    scipy.optimize.linear_sum_assignment : The solver used at the core.

    Notes
    -----
    Which route solves which case, and why each terminates with the exact
    optimum, is told once, in the module docstring of
    :mod:`mentormatch.solvers.assignment`: scipy's shortest augmenting path
    solver [1]_ [2]_ [3]_, a maximum cardinality matching [4]_ where pairs are
    forbidden, and successive shortest paths [5]_ [6]_ where both sides have
    capacities above 1. With unit capacities and nothing forbidden the call
    costs one pass of :func:`numpy.isfinite` more than
    :func:`scipy.optimize.linear_sum_assignment`.

    The result is deterministic: the same input always gives the same
    output. When several matchings reach the optimum, the one returned is
    the deterministic choice of the route taken; it is *not* guaranteed to
    be the one that favours lower indices.

    References
    ----------
    .. [1] H. W. Kuhn, "The Hungarian method for the assignment problem",
       Naval Research Logistics Quarterly 2(1-2):83-97, 1955.
    .. [2] J. Munkres, "Algorithms for the assignment and transportation
       problems", Journal of the Society for Industrial and Applied
       Mathematics 5(1):32-38, 1957.
    .. [3] D. F. Crouse, "On implementing 2D rectangular assignment
       algorithms", IEEE Transactions on Aerospace and Electronic Systems
       52(4):1679-1696, 2016.
    .. [4] J. E. Hopcroft and R. M. Karp, "An n^(5/2) algorithm for maximum
       matchings in bipartite graphs", SIAM Journal on Computing
       2(4):225-231, 1973.
    .. [5] N. Tomizawa, "On some techniques useful for solution of
       transportation network problems", Networks 1(2):173-194, 1971.
    .. [6] J. Edmonds and R. M. Karp, "Theoretical improvements in
       algorithmic efficiency for network flow problems", Journal of the ACM
       19(2):248-264, 1972.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import hungarian
    >>> weights = np.array([[0.9, 0.4, 0.1],
    ...                     [0.8, 0.2, 0.7]])
    >>> rows, cols = hungarian(weights)
    >>> print(rows, cols)
    [0 1] [0 2]

    Forbidding a pair; the size of the matching comes before its total, so
    both rows are paired even though row 0 alone with column 0 weighs more:

    >>> w = np.array([[10.0, 1.0],
    ...               [1.0, 0.0]])
    >>> rows, cols = hungarian(w, allowed=np.array([[True, True], [True, False]]))
    >>> print(rows, cols)
    [0 1] [1 0]

    Row 0 may take two columns:

    >>> rows, cols = hungarian(weights, row_capacity=[2, 1])
    >>> print(rows, cols)
    [0 0 1] [0 1 2]
    """
    problem = assignment_inputs(weights, allowed, row_capacity, col_capacity, "hungarian")
    return _solve(*problem)


# Repeat rows (or columns) for the unit route only while the repeated matrix
# stays this small, relative to the input and in all.
_MAX_GROWTH = 4
_MAX_REPEATED = 2**22


def _solve(
    w: NDArray[np.float64],
    mask: NDArray[np.bool_] | None,
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
) -> Pairs:
    """The lexicographic (size, then total) optimum on validated inputs."""
    w = _within_range(w)
    if (mask is None or mask.all()) and (rcap == 1).all() and (ccap == 1).all():
        rows, cols = linear_sum_assignment(w, maximize=True)
        return rows.astype(np.intp, copy=False), cols.astype(np.intp, copy=False)

    n, m = w.shape
    # Clipping to the possible partners turns capacities that cannot bind
    # into exactly the degree, and bounds every construction below.
    ok, rcap, ccap = usable_pairs(mask, rcap, ccap)
    if not ok.any():
        return _empty()
    if (ccap == ok.sum(axis=0)).all():
        rows, cols = _best_per_row(w, ok, rcap)
    elif (rcap == ok.sum(axis=1)).all():
        cols, rows = _best_per_row(w.T, ok.T, ccap)
    elif rcap.max() <= 1 and ccap.max() <= 1:
        rows, cols = _unit_assignment(w, ok)
    elif _repeat_is_small(rcap, ccap, n * m):
        row_of = np.repeat(np.arange(n), rcap)
        col_of = np.repeat(np.arange(m), ccap)
        sub_rows, sub_cols = _unit_assignment(
            w[np.ix_(row_of, col_of)], ok[np.ix_(row_of, col_of)]
        )
        rows, cols = row_of[sub_rows], col_of[sub_cols]
    else:
        rows, cols = b_matching(w, ok, rcap, ccap)
    order = np.lexsort((cols, rows))
    return rows[order].astype(np.intp), cols[order].astype(np.intp)


# Weights up to this size leave room for sums of a million weight differences
# (every route forms such sums: dual values, path lengths) below float64's
# overflow at 2**1024.
_SAFE_EXPONENT = 900


def _within_range(w: NDArray[np.float64]) -> NDArray[np.float64]:
    """``w`` scaled by a power of two (exactly, so no optimum changes) when it is huge.

    Finite weights near ``1e308`` would overflow the sums every route forms
    and silently turn allowed pairs into missing ones. Multiplying by a
    power of two is exact in floating point, so the order of every total is
    kept; only weights below ``2**-120`` of the largest could lose bits.
    """
    if w.size == 0:
        return w
    big = max(float(w.max()), -float(w.min()))
    exponent = math.frexp(big)[1]
    if exponent <= _SAFE_EXPONENT:
        return w
    return w * 2.0 ** (_SAFE_EXPONENT - exponent)


def _repeat_is_small(rcap: NDArray[np.int64], ccap: NDArray[np.int64], size: int) -> bool:
    """Whether repeating the side with capacities above 1 keeps the matrix small."""
    if rcap.max() > 1 and ccap.max() > 1:
        return False  # repetition could use a pair twice
    repeated = int(rcap.sum()) * int(ccap.sum())
    return repeated <= min(_MAX_GROWTH * size, _MAX_REPEATED)


def _best_per_row(w: NDArray[np.float64], ok: NDArray[np.bool_], rcap: NDArray[np.int64]) -> Pairs:
    """Each row's ``rcap`` best allowed columns, when no column capacity can bind.

    Every allowed pair then fits as far as the columns are concerned, so the
    rows do not compete: each taking its best columns (ties toward the lower
    column index) gives the largest size and, for it, the largest total.
    """
    order = np.argsort(np.where(ok, -w, np.inf), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(w.shape[1])[None, :], axis=1)
    rows, cols = np.nonzero(ok & (rank < rcap[:, None]))
    return rows.astype(np.intp), cols.astype(np.intp)


def _unit_assignment(w: NDArray[np.float64], ok: NDArray[np.bool_]) -> Pairs:
    """Lexicographic optimum with unit capacities and forbidden pairs (``~ok``)."""
    n, m = w.shape
    if n > m:
        cols, rows = _unit_assignment(w.T, ok.T)
        return rows, cols
    # Negated in place and C-ordered, so that linear_sum_assignment (which
    # minimises) works on this one copy instead of making another.
    cost = np.negative(w, order="C")
    cost[~ok] = np.inf
    try:
        # Pairs every row when that is possible; otherwise says so at once.
        rows, cols = linear_sum_assignment(cost)
    except ValueError:
        k = max_cardinality(ok)
        if k == 0:
            return _empty()
        # n - k dummy columns absorb exactly the n - k rows left unpaired, so
        # a full matching of the padded matrix has exactly k real pairs.
        rows, cols = linear_sum_assignment(np.hstack([cost, np.zeros((n, n - k))]))
        real = cols < m
        rows, cols = rows[real], cols[real]
    return rows.astype(np.intp, copy=False), cols.astype(np.intp, copy=False)


def _empty() -> Pairs:
    return np.empty(0, np.intp), np.empty(0, np.intp)
