r"""Maximum-weight assignment (the Hungarian method), with forbidden pairs and capacities.

Use :func:`hungarian` when the goal is the largest total weight. It pairs as many
rows and columns as the allowed pairs and the capacities permit, and among those
matchings of maximum size it takes one of largest total weight. If the worst
pair matters more than the total, use :func:`~mentormatch.solvers.maxmin`; if
each side's own preferences must be respected, use
:func:`~mentormatch.solvers.gale_shapley`.

How each case is solved, fastest first (every route is exact up to floating
point; none of them adds a big-M penalty to the weights):

* **unit capacities, nothing forbidden**: straight to
  :func:`scipy.optimize.linear_sum_assignment`, after one finiteness check;
* **forbidden pairs**: those entries become ``-inf``, which
  ``linear_sum_assignment`` treats as missing edges. It then needs a matching
  that saturates the smaller side, say the *s* rows. When none exists, the
  maximum size *K* is found first (Hopcroft-Karp) and *s - K* zero-weight dummy
  columns open to every row are appended: a full matching of the padded matrix
  must then use exactly *K* real pairs, so the solver maximises the total among
  matchings of size *K*. The usual alternative, a lexicographic penalty
  ``B > range * min(n, m)`` on forbidden entries, spends about
  ``log2(min(n, m))`` bits of the weights' precision and can merge weights that
  differ by less than ``1e-16 * range * min(n, m)``; the dummy columns leave
  the weights untouched;
* **capacity above 1 on one side only**: each row (or column) is repeated as
  many times as its capacity. Because the other side has unit capacity, no
  pair can be used twice. A capacity is first clipped to the number of
  partners it could possibly have, so the repeated matrix has at most as many
  rows as there are allowed pairs; capacity 0 drops the row or column;
* **capacity above 1 on both sides**: repetition could use a pair twice, so
  every allowed pair is split instead (Tutte's reduction of a b-matching to
  a perfect matching): one node per pair on each side, copies of rows and
  columns, and fillers that fix the number of pairs to *K* (found by a
  maximum flow). The sparse graph has about ``2 * n_allowed_pairs`` nodes and
  is solved exactly by LAPJVsp
  (:func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`). It is
  the slowest route (around a second for 200 x 200 with capacity 3 on both
  sides), and faster and more precise than a linear program over the pairs,
  whose solver tolerance (about ``1e-7`` of the weight range) let it miss
  small weight differences.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mentormatch._validation import as_bool_mask, as_capacity, as_matrix
from mentormatch.solvers._graph import max_cardinality, usable_pairs

__all__ = ["hungarian"]

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]
Problem = tuple[
    NDArray[np.float64], NDArray[np.bool_] | None, NDArray[np.int64], NDArray[np.int64]
]


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
    The method for each case (no restriction, forbidden pairs, capacities on
    one side, capacities on both sides) is described in the module
    docstring of :mod:`mentormatch.solvers.assignment`: the Hungarian method
    [1]_ [2]_ in scipy's implementation [3]_, a maximum cardinality matching
    [4]_ where pairs are forbidden, and the sparse solver [5]_ on Tutte's
    reduction [6]_ where both sides have capacities above 1. With unit
    capacities and nothing forbidden the call costs one pass of
    :func:`numpy.isfinite` more than :func:`scipy.optimize.linear_sum_assignment`.

    The result is deterministic: the same input always gives the same
    output. When several matchings reach the optimum, the one returned is
    the deterministic choice of scipy's solvers [3]_ [5]_; it is *not*
    guaranteed to be the one that favours lower indices.

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
    .. [5] R. Jonker and A. Volgenant, "A shortest augmenting path algorithm
       for dense and sparse linear assignment problems", Computing
       38(4):325-340, 1987.
    .. [6] W. T. Tutte, "A short proof of the factor theorem for finite
       graphs", Canadian Journal of Mathematics 6:347-352, 1954.

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
    return _solve(*_check_inputs(weights, allowed, row_capacity, col_capacity, "hungarian"))


def _check_inputs(
    weights: ArrayLike,
    allowed: ArrayLike | None,
    row_capacity: ArrayLike | None,
    col_capacity: ArrayLike | None,
    owner: str,
) -> Problem:
    """Validate the four inputs shared by the assignment solvers."""
    w = as_matrix(weights, "weights", owner)
    n, m = w.shape
    mask = as_bool_mask(allowed, "allowed", owner, (n, m))
    rcap = as_capacity(row_capacity, "row_capacity", owner, n)
    ccap = as_capacity(col_capacity, "col_capacity", owner, m)
    return w, mask, rcap, ccap


def _solve(
    w: NDArray[np.float64],
    mask: NDArray[np.bool_] | None,
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
) -> Pairs:
    """The lexicographic (size, then total) optimum on validated inputs."""
    if (mask is None or mask.all()) and (rcap == 1).all() and (ccap == 1).all():
        rows, cols = linear_sum_assignment(w, maximize=True)
        return rows.astype(np.intp, copy=False), cols.astype(np.intp, copy=False)

    n, m = w.shape
    # Clipping capacities may turn a two-sided problem into a one-sided one,
    # and bounds the size of the repeated matrix below.
    ok, rcap, ccap = usable_pairs(mask, rcap, ccap)

    if rcap.max(initial=0) <= 1 or ccap.max(initial=0) <= 1:
        row_of = np.repeat(np.arange(n), rcap)
        col_of = np.repeat(np.arange(m), ccap)
        sub_rows, sub_cols = _unit_assignment(
            w[np.ix_(row_of, col_of)], ok[np.ix_(row_of, col_of)]
        )
        rows, cols = row_of[sub_rows], col_of[sub_cols]
    else:
        rows, cols = _split_b_matching(w, ok, rcap, ccap)
    order = np.lexsort((cols, rows))
    return rows[order].astype(np.intp), cols[order].astype(np.intp)


def _unit_assignment(w: NDArray[np.float64], ok: NDArray[np.bool_]) -> Pairs:
    """Lexicographic optimum with unit capacities and forbidden pairs (``~ok``)."""
    n, m = w.shape
    if ok.all():
        rows, cols = linear_sum_assignment(w, maximize=True)
        return rows.astype(np.intp, copy=False), cols.astype(np.intp, copy=False)
    if n > m:
        cols, rows = _unit_assignment(w.T, ok.T)
        return rows, cols
    k = max_cardinality(ok)
    if k == 0:
        return _empty()
    cost = np.where(ok, w, -np.inf)
    if k < n:
        # n - k dummy columns absorb exactly the n - k rows left unpaired, so
        # a full matching of the padded matrix has exactly k real pairs.
        cost = np.hstack([cost, np.zeros((n, n - k))])
    rows, cols = linear_sum_assignment(cost, maximize=True)
    real = cols < m
    return rows[real].astype(np.intp), cols[real].astype(np.intp)


def _split_b_matching(
    w: NDArray[np.float64],
    ok: NDArray[np.bool_],
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
) -> Pairs:
    """Lexicographic optimum with capacities on both sides, by splitting every pair.

    The b-matching becomes a perfect matching of a sparse bipartite graph
    (Tutte's reduction), solved exactly by LAPJVsp. Node layout, with *E*
    allowed pairs, *R* row copies, *C* column copies and *K* the maximum size:

    * left: the R row copies, then one node ``out_e`` per pair, then C - K
      column fillers;
    * right: one node ``in_e`` per pair, then the C column copies, then
      R - K row fillers.

    Pair *e* = (i, j) is made when ``in_e`` takes a copy of row i and
    ``out_e`` a copy of column j; otherwise ``in_e`` and ``out_e`` take each
    other. The fillers absorb the unused copies, and there are exactly enough
    of them that K pairs are made in every perfect matching.
    """
    k = max_cardinality(ok, rcap, ccap)
    if k == 0:
        return _empty()
    ei, ej = np.nonzero(ok)
    n_pairs = ei.size
    pair = np.arange(n_pairs)
    n_row_copies, n_col_copies = int(rcap.sum()), int(ccap.sum())
    first_row_copy = np.cumsum(rcap) - rcap
    first_col_copy = np.cumsum(ccap) - ccap
    col_fillers = np.arange(n_col_copies - k)
    row_fillers = np.arange(n_row_copies - k)
    values = w[ei, ej]
    # Every perfect matching uses the same number of edges of each kind, so
    # any constant may be added to a kind. LAPJVsp needs non-zero weights, and
    # keeping every edge on the scale of the weight spread keeps its dual
    # values from swamping small weight differences.
    spread = float(np.ptp(values))
    unit = spread if spread > 0 else 1.0
    gain = values - values.min() + unit

    row_copy_edges = rcap[ei]
    col_copy_edges = ccap[ej]
    left = np.concatenate(
        [
            _ranges(first_row_copy[ei], row_copy_edges),
            n_row_copies + pair,
            np.repeat(n_row_copies + pair, col_copy_edges),
            np.repeat(n_row_copies + n_pairs + col_fillers, n_col_copies),
            np.repeat(np.arange(n_row_copies), row_fillers.size),
        ]
    )
    right = np.concatenate(
        [
            np.repeat(pair, row_copy_edges),
            pair,
            n_pairs + _ranges(first_col_copy[ej], col_copy_edges),
            np.tile(n_pairs + np.arange(n_col_copies), col_fillers.size),
            np.tile(n_pairs + n_col_copies + row_fillers, n_row_copies),
        ]
    )
    weight = np.concatenate(
        [np.repeat(gain, row_copy_edges), np.full(left.size - row_copy_edges.sum(), unit)]
    )
    size = n_row_copies + n_pairs + n_col_copies - k
    graph = coo_array((weight, (left, right)), shape=(size, size)).tocsr()
    matched_left, matched_right = min_weight_full_bipartite_matching(graph, maximize=True)
    made = matched_right[(matched_left < n_row_copies) & (matched_right < n_pairs)]
    return ei[made].astype(np.intp), ej[made].astype(np.intp)


def _ranges(starts: NDArray[np.int64], counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """``starts[t], starts[t] + 1, ..., starts[t] + counts[t] - 1`` for every t, joined."""
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    joined: NDArray[np.int64] = np.repeat(starts, counts) + offsets
    return joined


def _empty() -> Pairs:
    return np.empty(0, np.intp), np.empty(0, np.intp)
