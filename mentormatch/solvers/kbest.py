r"""The k best assignments: the optimum, the runner-up, and so on.

:func:`k_best` answers "what are the next-best pairings, and how do they
differ?" for the problem :func:`~mentormatch.solvers.hungarian` solves. It uses
Murty's partitioning [1]_ on top of ``hungarian``, so forbidden pairs and
capacities on either side work exactly as they do there.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._validation import (
    NON_NEGATIVE_INT,
    as_bool_mask,
    as_capacity,
    as_matrix,
    check_number,
    param_where,
)
from mentormatch.solvers.assignment import hungarian

__all__ = ["k_best"]

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]
Pair = tuple[int, int]


def k_best(
    weights: ArrayLike,
    k: int,
    *,
    allowed: ArrayLike | None = None,
    row_capacity: ArrayLike | None = None,
    col_capacity: ArrayLike | None = None,
) -> list[Pairs]:
    r"""Up to ``k`` distinct matchings of maximum size, largest total weight first.

    The first is the answer of :func:`hungarian`. Every matching returned
    pairs as many rows and columns as possible (the same number *K* as
    ``hungarian``), no two are the same set of pairs, and their totals do not
    increase: the *t*-th has the largest total among the matchings of size
    *K* other than the first *t - 1*. Fewer than ``k`` are returned only when
    fewer than ``k`` matchings of size *K* exist.

    Parameters
    ----------
    weights : array-like of shape (n_rows, n_cols)
        Finite values; ``weights[i, j]`` is how good pairing row *i* with
        column *j* is (higher is better).
    k : int
        How many matchings to return at most (non-negative).
    allowed : array-like of bool of shape (n_rows, n_cols), optional
        ``False`` where a pair is forbidden. Default: every pair is allowed.
    row_capacity : int or array-like of int of shape (n_rows,), optional
        The most pairs each row may be in (non-negative). Default 1.
    col_capacity : int or array-like of int of shape (n_cols,), optional
        The same for columns. Default 1.

    Returns
    -------
    list of (rows, cols)
        Each matching as two intp arrays, ``rows`` sorted ascending and
        ``cols`` ascending within each row; best first.

    Raises
    ------
    InvalidInputError
        If ``k`` is not a non-negative integer, or the other inputs are
        malformed (as for :func:`hungarian`). The message names the parameter.

    See Also
    --------
    hungarian : The best matching alone.

    Notes
    -----
    Murty's partitioning [1]_: the matchings of size *K* other than the best
    one, :math:`S = \{e_1, \dots, e_p\}`, split into *p* disjoint
    subproblems, the *t*-th keeping :math:`e_1, \dots, e_{t-1}` and
    forbidding :math:`e_t` (a different matching of the same size must miss
    some pair of :math:`S`; the first it misses decides its subproblem). Each
    subproblem is solved by ``hungarian`` on the rows and columns that still
    have room (a kept pair takes one place from its row and its column and
    cannot be chosen again), and counts only if its answer still has *K*
    pairs in all. The best answer of all open subproblems is the next
    matching, and its subproblem is split in turn. Every subproblem is a set
    of matchings with fewer free pairs than its parent's, so the process ends,
    and it makes at most :math:`k \cdot \min(n, m) \cdot \max` capacity calls
    to ``hungarian``, each on a smaller matrix than the last.

    Totals are summed with :func:`math.fsum` (correctly rounded) to order
    the matchings; matchings with equal totals come in the order their
    subproblems were created, which is deterministic. The optimality of each
    is that of ``hungarian``.

    References
    ----------
    .. [1] K. G. Murty, "An algorithm for ranking all the assignments in
       order of increasing cost", *Operations Research* 16(3):682-687, 1968.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import k_best
    >>> weights = np.array([[3.0, 2.0, 0.0],
    ...                     [2.0, 3.0, 1.0]])
    >>> for rows, cols in k_best(weights, 3):
    ...     print(rows, cols, weights[rows, cols].sum())
    [0 1] [0 1] 6.0
    [0 1] [1 0] 4.0
    [0 1] [0 2] 4.0
    """
    owner = "k_best"
    w = as_matrix(weights, "weights", owner)
    n, m = w.shape
    mask = as_bool_mask(allowed, "allowed", owner, (n, m))
    rcap = as_capacity(row_capacity, "row_capacity", owner, n)
    ccap = as_capacity(col_capacity, "col_capacity", owner, m)
    count = _as_count(k, owner)
    if count == 0:
        return []
    ok = np.ones((n, m), dtype=bool) if mask is None else mask.copy()

    root = _solve(w, ok, rcap, ccap, [], [])
    size = len(root)
    # Heap entries: (-total, creation number, kept pairs, forbidden pairs, matching).
    order = 0
    heap: list[tuple[float, int, list[Pair], list[Pair], list[Pair]]] = [
        (-_total(w, root), order, [], [], root)
    ]
    found: list[Pairs] = []
    while heap and len(found) < count:
        _, _, kept, banned, matching = heapq.heappop(heap)
        found.append(_as_arrays(matching))
        if len(found) == count:
            break
        kept_set = set(kept)
        free = [p for p in matching if p not in kept_set]
        for t, pair in enumerate(free):
            child_kept = kept + free[:t]
            child_banned = [*banned, pair]
            child = _solve(w, ok, rcap, ccap, child_kept, child_banned)
            if len(child) == size:
                order += 1
                heapq.heappush(heap, (-_total(w, child), order, child_kept, child_banned, child))
    return found


def _as_count(k: object, owner: str) -> int:
    """``k`` as a non-negative Python int, or an error naming it."""
    return int(check_number(k, param_where("k", owner), NON_NEGATIVE_INT))


def _total(w: NDArray[np.float64], pairs: list[Pair]) -> float:
    if not pairs:
        return 0.0
    rows, cols = zip(*pairs, strict=True)
    return math.fsum(w[list(rows), list(cols)].tolist())


def _as_arrays(pairs: list[Pair]) -> Pairs:
    rows = np.asarray([i for i, _ in pairs], dtype=np.intp)
    cols = np.asarray([j for _, j in pairs], dtype=np.intp)
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


def _solve(
    w: NDArray[np.float64],
    ok: NDArray[np.bool_],
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
    kept: list[Pair],
    banned: list[Pair],
) -> list[Pair]:
    """The best matching that contains ``kept`` and avoids ``banned``, kept pairs included.

    Only rows and columns with room left are passed to ``hungarian``, so the
    matrix shrinks as more pairs are kept.
    """
    row_left = rcap.copy()
    col_left = ccap.copy()
    mask = ok.copy()
    for i, j in kept:
        row_left[i] -= 1
        col_left[j] -= 1
        mask[i, j] = False
    for i, j in banned:
        mask[i, j] = False
    rows_in = np.flatnonzero(row_left > 0)
    cols_in = np.flatnonzero(col_left > 0)
    sub_mask = mask[np.ix_(rows_in, cols_in)]
    result = list(kept)
    if rows_in.size and cols_in.size and sub_mask.any():
        sub_rows, sub_cols = hungarian(
            w[np.ix_(rows_in, cols_in)],
            allowed=None if sub_mask.all() else sub_mask,
            row_capacity=row_left[rows_in],
            col_capacity=col_left[cols_in],
        )
        result.extend(zip(rows_in[sub_rows].tolist(), cols_in[sub_cols].tolist(), strict=True))
    return sorted(result)
