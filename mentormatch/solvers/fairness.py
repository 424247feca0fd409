r"""Fairness-first assignment: make the worst pair as good as possible.

Use :func:`maxmin` (the bottleneck assignment) when nobody should be left with
a poor partner for the sake of a larger total: it maximises the smallest pair
weight, and only then the total. If the total is what matters, use
:func:`~mentormatch.solvers.hungarian`; the two agree on how many pairs are
made (as many as the allowed pairs and capacities permit).

The method is a threshold search in the spirit of Garfinkel (1971): the
largest weight *t* such that the pairs of weight at least *t* still admit a
matching of maximum size is found by bisection over the distinct weights
(each step is one maximum-matching or maximum-flow computation), and
:func:`~mentormatch.solvers.hungarian` then maximises the total over those
pairs. The thresholds are weights themselves, so the comparison is exact.

The search starts sparse: only the heaviest few pairs per row and column are
listed first (about ``(n + m) * log(n + m)`` of them, enough for a random
graph to hold a matching of maximum size), and the list doubles until it
holds one. The bisection then runs on that short list of pairs, so its cost
follows the pairs near the threshold rather than the whole matrix. Every step
is a finite graph computation (Hopcroft-Karp or Dinic's maximum flow, both in
scipy and both terminating by construction); the list can double at most
``log2(n * m)`` times and the bisection takes ``log2`` of its length steps.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.solvers._graph import max_cardinality, max_cardinality_of_edges, usable_pairs
from mentormatch.solvers._inputs import assignment_inputs
from mentormatch.solvers.assignment import hungarian

__all__ = ["maxmin"]


def maxmin(
    weights: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    row_capacity: ArrayLike | None = None,
    col_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    r"""Pair as many as possible, with the best worst pair, then the best total.

    Solves the bottleneck assignment problem lexicographically: the largest
    number of pairs *K* (as in :func:`hungarian`), then the largest smallest
    pair weight :math:`t^*` among matchings of that size, then the largest
    total among matchings of size *K* whose pairs all weigh at least :math:`t^*`:

    .. math::

        t^* = \max_{x \in X_K} \; \min_{(i, j) : x_{ij} = 1} w_{ij},
        \qquad
        \max_{x \in X_K} \sum_{i, j} w_{ij} x_{ij}
        \quad \text{subject to} \quad x_{ij} = 0 \text{ where } w_{ij} < t^*,

    where :math:`X_K` is the set of 0/1 matrices with
    :math:`\sum_j x_{ij} \le r_i`, :math:`\sum_i x_{ij} \le c_j`,
    :math:`x_{ij} = 0` unless the pair is allowed, and exactly *K* pairs,
    *K* being the largest size those constraints permit.

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
    hungarian : The best total, whatever the worst pair.
    gale_shapley : A stable matching instead of an optimal one.

    Notes
    -----
    With *U* distinct allowed weights, the threshold costs
    :math:`O(\log U)` maximum-cardinality computations (Hopcroft-Karp with
    unit capacities, a maximum flow otherwise), followed by one call of
    :func:`hungarian`. The result is deterministic; among several optimal
    matchings the choice is that of :func:`hungarian` (see its Notes).

    References
    ----------
    .. [1] O. Gross, "The bottleneck assignment problem", RAND Corporation
       report P-1630, 1959.
    .. [2] R. S. Garfinkel, "An improved algorithm for the bottleneck
       assignment problem", Operations Research 19(7):1747-1751, 1971.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import hungarian, maxmin
    >>> weights = np.array([[1.0, 0.4],
    ...                     [0.5, 0.1]])

    The largest total (1.1) leaves one pair at 0.1:

    >>> rows, cols = hungarian(weights)
    >>> print(rows, cols, weights[rows, cols].min())
    [0 1] [0 1] 0.1

    The bottleneck assignment gives up 0.2 of total to lift the worst pair to 0.4:

    >>> rows, cols = maxmin(weights)
    >>> print(rows, cols, weights[rows, cols].min())
    [0 1] [1 0] 0.4
    """
    w, mask, rcap, ccap = assignment_inputs(weights, allowed, row_capacity, col_capacity, "maxmin")
    ok, rcap, ccap = usable_pairs(mask, rcap, ccap)
    k = max_cardinality(ok, rcap, ccap)
    if k == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    threshold = _bottleneck(w, ok, rcap, ccap, k)
    return hungarian(w, allowed=ok & (w >= threshold), row_capacity=rcap, col_capacity=ccap)


def _bottleneck(
    w: NDArray[np.float64],
    ok: NDArray[np.bool_],
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
    k: int,
) -> float:
    """The largest weight *t* such that the allowed pairs of weight >= t admit *k* pairs."""
    n, m = w.shape
    values = w[ok] if not ok.all() else w.ravel()
    # Keeping size k is monotone in the threshold, and the smallest allowed
    # weight keeps it; so list the heaviest pairs first, doubling until they
    # suffice, then bisect over that list alone.
    listed = min(values.size, max(k, (n + m) * (4 + int(np.log2(n + m)))))
    while True:
        cut = float(np.partition(values, values.size - listed)[values.size - listed])
        ei, ej = np.nonzero(ok & (w >= cut))
        if listed == values.size or max_cardinality_of_edges(ei, ej, rcap, ccap) == k:
            break
        listed = min(values.size, 2 * listed)
    ev = w[ei, ej]
    order = np.argsort(-ev, kind="stable")
    ei, ej, ev = ei[order], ej[order], ev[order]
    # Candidate thresholds: the distinct listed weights, heaviest first; the
    # pairs of weight >= distinct[t] are a prefix of the sorted list.
    distinct, first = np.unique(-ev, return_index=True)
    ends = np.append(first[1:], ev.size)  # prefix length for each candidate
    low, high = 0, distinct.size - 1  # high always keeps size k
    while low < high:
        mid = (low + high) // 2
        end = int(ends[mid])
        if max_cardinality_of_edges(ei[:end], ej[:end], rcap, ccap) == k:
            high = mid
        else:
            low = mid + 1
    return float(-distinct[high])
