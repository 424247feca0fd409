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
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.solvers._graph import max_cardinality, usable_pairs
from mentormatch.solvers.assignment import _check_inputs, _solve

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
    w, mask, rcap, ccap = _check_inputs(weights, allowed, row_capacity, col_capacity, "maxmin")
    ok, rcap, ccap = usable_pairs(mask, rcap, ccap)
    k = max_cardinality(ok, rcap, ccap)
    if k == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)

    # The smallest allowed weight always keeps size k, and keeping size k is
    # monotone in the threshold, so bisection finds the largest such weight.
    values = np.unique(w[ok])
    low, high = 0, values.size - 1
    while low < high:
        mid = (low + high + 1) // 2
        if max_cardinality(ok & (w >= values[mid]), rcap, ccap) == k:
            low = mid
        else:
            high = mid - 1
    return _solve(w, ok & (w >= values[low]), rcap, ccap)
