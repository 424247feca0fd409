"""Stable matching by deferred acceptance (Gale–Shapley).

:func:`gale_shapley` pairs rows with columns so that no pair would rather be
together than with the partners they were given. Rows propose, columns hold
their best offers. Capacities make it many-to-one (or many-to-many), and the
``allowed`` mask gives incomplete preference lists.

Each proposer walks down its own preference list, but the lists are never
sorted in full: a proposer is handed a short batch of its best remaining
columns, and the next batch is computed only if it runs out. The running time
therefore follows the proposals actually made, which on random preferences is
far fewer than the ``n_rows * n_cols`` entries of the utility matrices.
"""

from __future__ import annotations

import heapq

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.solvers._inputs import two_sided_inputs

__all__ = ["gale_shapley"]

_OWNER = "gale_shapley"

# Size of each proposer's first batch of candidates. On random preferences a
# proposer makes about ln(n_cols) proposals, so most never need a second batch.
_FIRST_BATCH = 16

# Largest size of the column groups that let a batch be found without a
# selection pass over every entry (see _top_batches and _group_size).
_MAX_GROUP = 16

# Below this many rows waiting for a batch, serving them one at a time is
# cheaper than the fixed cost of the vectorised pass.
_FEW_ROWS = 16

_NEG_INF = float("-inf")


def gale_shapley(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    r"""The proposer-optimal stable matching, by deferred acceptance.

    Rows propose and columns receive. A matching :math:`M` is a set of allowed
    pairs in which row :math:`i` has at most :math:`a_i` partners and column
    :math:`j` at most :math:`b_j`. Write :math:`P` for ``proposer_utility``,
    :math:`R` for ``receiver_utility``, and :math:`w_M(i)`, :math:`w_M(j)`
    for the worst current partner of row :math:`i` and of column :math:`j`.
    An allowed pair :math:`(i, j) \notin M` *blocks* :math:`M` when

    .. math::

        \bigl(|M(i)| < a_i \;\lor\; P_{ij} > P_{i\,w_M(i)}\bigr)
        \;\land\;
        \bigl(|M(j)| < b_j \;\lor\; R_{ij} > R_{w_M(j)\,j}\bigr),

    and :math:`M` is *stable* when no pair blocks it. Among all stable
    matchings, the one returned gives every row its best achievable partners
    and every column its worst (Gale & Shapley 1962; Roth 1984 for the
    many-to-one case).

    Ties are broken towards the lower index on both sides (a row prefers the
    lower column index among equal utilities, a column the lower row index),
    so the result is deterministic and stable for the tie-broken preferences,
    hence also weakly stable for the original ones.

    Parameters
    ----------
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is row *i*'s value of column *j*. Higher is
        better. Finite numbers.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is column *j*'s value of row *i* (the same
        shape as ``proposer_utility``, not transposed). Higher is better.
    allowed : array-like of bool, shape (n_rows, n_cols), optional
        ``False`` where the pair must not be formed: it is never proposed nor
        accepted (an incomplete preference list). Default: every pair allowed.
    proposer_capacity : int or array-like of int, shape (n_rows,), optional
        How many columns each row may hold (non-negative; default 1). A scalar
        applies to every row.
    receiver_capacity : int or array-like of int, shape (n_cols,), optional
        How many rows each column may hold (non-negative; default 1). A scalar
        applies to every column.

    Returns
    -------
    rows : ndarray of intp, shape (k,)
        Row index of each pair, sorted ascending.
    cols : ndarray of intp, shape (k,)
        Column index of each pair (ascending within a row).

    Raises
    ------
    InvalidInputError
        If a utility is not a finite 2-D array, the two utilities differ in
        shape, ``allowed`` is not a boolean mask of that shape, or a capacity
        is not a non-negative integer (one per row or column).

    See Also
    --------
    blocking_pairs : The pairs that would break a given matching.
    is_stable : Whether a matching has no blocking pair.
    hungarian : The matching of largest total weight instead.

    Notes
    -----
    Each proposal costs a constant amount of work (a logarithm for a
    receiver with capacity above one, which keeps its offers in a heap). A
    proposer's candidates come in lazily computed batches, each twice the
    size of its previous one and found by selection, never by sorting a whole
    row. The first batches of all rows come from one vectorised pass; a row
    that exhausts its batch waits until no other row can propose, and the
    waiting rows are then served together (the order of proposals does not
    change the outcome of deferred acceptance).

    References
    ----------
    .. [1] D. Gale and L. S. Shapley, "College admissions and the stability of
       marriage", *The American Mathematical Monthly* 69(1):9-15, 1962.
    .. [2] D. Gusfield and R. W. Irving, *The Stable Marriage Problem:
       Structure and Algorithms*, MIT Press, 1989.
    .. [3] A. E. Roth, "The evolution of the labor market for medical interns
       and residents: a case study in game theory", *Journal of Political
       Economy* 92(6):991-1016, 1984.

    Examples
    --------
    The first example of Gale and Shapley: each row has a different first
    choice, and so has each column, so both sides cannot have their way.

    >>> import numpy as np
    >>> from mentormatch.solvers import gale_shapley
    >>> proposer_utility = np.array([[3, 2, 1], [1, 3, 2], [2, 1, 3]])
    >>> receiver_utility = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    >>> gale_shapley(proposer_utility, receiver_utility)
    (array([0, 1, 2]), array([0, 1, 2]))

    When the columns propose instead (transpose both and swap them), every
    column gets its first choice:

    >>> cols, rows = gale_shapley(receiver_utility.T, proposer_utility.T)
    >>> rows, cols
    (array([1, 2, 0]), array([0, 1, 2]))

    A column with room for two, and a pair that is not allowed:

    >>> allowed = np.ones((3, 3), dtype=bool)
    >>> allowed[2, 2] = False
    >>> gale_shapley(proposer_utility, receiver_utility, allowed=allowed,
    ...              receiver_capacity=[2, 1, 1])
    (array([0, 1, 2]), array([0, 1, 0]))
    """
    pu, ru, mask, row_cap, col_cap = two_sided_inputs(
        proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity, _OWNER
    )
    n_rows, n_cols = pu.shape

    if n_rows == 0 or n_cols == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty.copy()
    # A forbidden pair becomes -inf, which no finite utility can equal, so it
    # sorts after every allowed column and marks the end of a list.
    values = pu if mask is None else np.where(mask, pu, -np.inf)
    lists = _PreferenceLists(values, ru)
    if np.all(row_cap == 1) and np.all(col_cap == 1):
        rows, cols = _one_to_one(lists, n_rows, n_cols)
    else:
        rows, cols = _with_capacities(lists, row_cap.tolist(), col_cap.tolist())
    rows_arr = np.asarray(rows, dtype=np.intp)
    cols_arr = np.asarray(cols, dtype=np.intp)
    order = np.lexsort((cols_arr, rows_arr))
    return rows_arr[order], cols_arr[order]


class _PreferenceLists:
    """Every row's preference list, revealed a batch at a time.

    The batches of all rows live in two flat Python lists, ``cols`` (the
    column proposed to) and ``rvals`` (that column's value of the proposer),
    and row ``i`` reads ``cols[pos[i]:end[i]]``. Plain lists, because the
    proposal loop reads one entry at a time and numpy scalar access would
    dominate it.
    """

    def __init__(self, values: NDArray[np.float64], ru: NDArray[np.float64]) -> None:
        self.values = values
        self.ru = ru
        n_rows = values.shape[0]
        self.cols: list[int] = []
        self.rvals: list[float] = []
        self.pos = [0] * n_rows
        self.end = [0] * n_rows
        # Row i's columns strictly below threshold[i] are still to come; -inf
        # means its list is exhausted once the current batch is.
        self.threshold = [np.inf] * n_rows
        self.served = [0] * n_rows

    def extend(self, rows: list[int]) -> None:
        """Give each of ``rows`` its next batch (all rows together, vectorised).

        The proposal order does not change the outcome of deferred acceptance,
        so a row that runs out of batch can wait while the others go on, and
        the waiting rows are served together in one pass instead of one by one.
        """
        if len(rows) <= _FEW_ROWS:
            for i in rows:
                self._extend_one(i)
            return
        index = np.asarray(rows, dtype=np.intp)
        if self.served[rows[0]] == 0:
            # The first call serves rows that have had nothing yet (and later
            # calls only rows that have had a batch), so no masking is needed.
            whole = index.size == self.values.shape[0]
            remaining = self.values if whole else self.values[index]
        else:
            below = np.asarray([self.threshold[i] for i in rows])
            sub = self.values[index]
            remaining = np.where(sub < below[:, None], sub, -np.inf)
        # Each batch of a row is twice its previous one, so a row that makes
        # many proposals costs a logarithmic number of passes over its list.
        served = max(self.served[i] for i in rows)
        size = min(_FIRST_BATCH << served, self.values.shape[1])
        local, cols, thresholds = _top_batches(remaining, size)
        batch_rows = index[local]
        counts = np.bincount(local, minlength=len(rows))
        ends = len(self.cols) + np.cumsum(counts)
        self.cols.extend(cols.tolist())
        self.rvals.extend(self.ru[batch_rows, cols].tolist())
        pos, end, threshold, served_by_row = self.pos, self.end, self.threshold, self.served
        for i, start, stop, below_next in zip(
            rows, (ends - counts).tolist(), ends.tolist(), thresholds.tolist(), strict=True
        ):
            pos[i] = start
            end[i] = stop
            threshold[i] = below_next
            served_by_row[i] += 1

    def _extend_one(self, i: int) -> None:
        """Row ``i``'s next batch on its own: the same selection as _top_batches."""
        row = self.values[i]
        remaining = row > -np.inf
        if self.served[i]:
            remaining &= row < self.threshold[i]
        cand = np.flatnonzero(remaining)
        vals = row[cand]
        size = min(_FIRST_BATCH << self.served[i], row.size)
        self.served[i] += 1
        if cand.size > size:
            kth = np.partition(vals, cand.size - size)[cand.size - size]
            keep = vals >= kth
            cand, vals = cand[keep], vals[keep]
            self.threshold[i] = float(kth)
        else:
            self.threshold[i] = _NEG_INF
        cand = cand[np.lexsort((cand, -vals))]
        self.pos[i] = len(self.cols)
        self.cols.extend(cand.tolist())
        self.rvals.extend(self.ru[i, cand].tolist())
        self.end[i] = len(self.cols)


def _top_batches(
    values: NDArray[np.float64], k: int
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Each row's columns with value at least its k-th largest, best first.

    Returns the flat ``(rows, cols)`` of those entries, ordered by row, then
    value descending, then column; and each row's threshold: its k-th largest
    value, or -inf (allowed only when the batch holds all that is left).
    Entries equal to -inf are forbidden pairs and never part of a batch.

    A selection over every entry of a large matrix costs about a quarter of
    a full sort, so each row's columns are first dealt into groups (see
    :func:`_group_size`). The k groups with the largest maxima hold every
    value above the k-th largest (a group whose maximum is above it holds one
    of the k-1 larger values, so there are fewer than k such groups), and the
    selection runs on those k groups only. A value *equal* to the threshold
    may sit in a group left out; such rows, rare unless utilities repeat, are
    redone in full.
    """
    n_rows, n_cols = values.shape
    group = _group_size(n_cols, k)
    n_groups_all = -(-n_cols // group)
    if n_cols <= k:
        thresholds = np.full(n_rows, -np.inf)
        pool_cols = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
        pool_vals = values
        redo = np.zeros(n_rows, dtype=bool)
    elif n_groups_all <= k:
        thresholds = np.partition(values, n_cols - k, axis=1)[:, n_cols - k]
        pool_cols = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
        pool_vals = values
        redo = np.zeros(n_rows, dtype=bool)
    else:
        # Group g holds the columns g, g + n_groups, g + 2 n_groups, ...: a
        # reduction over a strided axis is several times faster than one over
        # short contiguous runs. The leftover columns form one more group.
        n_groups = n_cols // group
        n_main = n_groups * group
        group_max = values[:, :n_main].reshape(n_rows, group, n_groups).max(axis=1)
        if n_main < n_cols:
            group_max = np.column_stack([group_max, values[:, n_main:].max(axis=1)])
        chosen = np.argpartition(group_max, n_groups_all - k, axis=1)[:, n_groups_all - k :]
        # Member t of group g is column g + n_groups * t; member t of the
        # leftover group is column n_main + t (those past the end are padding).
        is_leftover = chosen == n_groups
        first = np.where(is_leftover, n_main, chosen)[:, :, None]
        step = np.where(is_leftover, 1, n_groups)[:, :, None]
        pool_cols = (first + step * np.arange(group)).reshape(n_rows, -1)
        beyond = pool_cols >= n_cols
        pool_cols = np.minimum(pool_cols, n_cols - 1)
        pool_vals = np.take_along_axis(values, pool_cols, axis=1)
        pool_vals[beyond] = -np.inf
        width = pool_vals.shape[1]
        thresholds = np.partition(pool_vals, width - k, axis=1)[:, width - k]
        reaching = (group_max >= thresholds[:, None]) & (group_max > -np.inf)
        reaching_chosen = np.take_along_axis(reaching, chosen, axis=1)
        redo = reaching.sum(axis=1) > reaching_chosen.sum(axis=1)

    keep = (pool_vals >= thresholds[:, None]) & (pool_vals > -np.inf)
    keep[redo] = False
    rows, slots = np.nonzero(keep)
    cols = pool_cols[rows, slots]
    parts_rows = [rows]
    parts_cols = [cols]
    for i in np.flatnonzero(redo).tolist():
        row = values[i]
        redo_cols = np.flatnonzero((row >= thresholds[i]) & (row > -np.inf))
        parts_rows.append(np.full(redo_cols.size, i, dtype=np.intp))
        parts_cols.append(redo_cols)
    rows = np.concatenate(parts_rows).astype(np.intp, copy=False)
    cols = np.concatenate(parts_cols).astype(np.intp, copy=False)
    order = np.lexsort((cols, -values[rows, cols], rows))
    return rows[order], cols[order], thresholds.astype(np.float64, copy=False)


def _group_size(n_cols: int, k: int) -> int:
    """Columns per group when selecting batches of ``k`` from ``n_cols``.

    The k chosen groups are worked on entry by entry, so together they should
    be a small share of the row (an eighth here); larger groups make the pass
    computing the group maxima cheaper.
    """
    return max(1, min(_MAX_GROUP, n_cols // (8 * k)))


def _one_to_one(lists: _PreferenceLists, n_rows: int, n_cols: int) -> tuple[list[int], list[int]]:
    """Deferred acceptance when every capacity is 1."""
    cols, rvals, pos, end, threshold = (
        lists.cols,
        lists.rvals,
        lists.pos,
        lists.end,
        lists.threshold,
    )
    held = [-1] * n_cols
    held_val = [0.0] * n_cols
    waiting = list(range(n_rows))
    while waiting:
        lists.extend(waiting)
        starts, waiting = waiting, []
        for start in starts:
            # A rejected holder proposes next at once: the chain ends when
            # someone lands on a free column or runs out of batch.
            i = start
            while True:
                p = pos[i]
                if p == end[i]:
                    if threshold[i] != _NEG_INF:
                        waiting.append(i)
                    break
                pos[i] = p + 1
                j = cols[p]
                v = rvals[p]
                h = held[j]
                if h < 0:
                    held[j] = i
                    held_val[j] = v
                    break
                w = held_val[j]
                if v > w or (v == w and i < h):
                    held[j] = i
                    held_val[j] = v
                    i = h
    matched_cols = [j for j in range(n_cols) if held[j] >= 0]
    return [held[j] for j in matched_cols], matched_cols


def _with_capacities(
    lists: _PreferenceLists, row_cap: list[int], col_cap: list[int]
) -> tuple[list[int], list[int]]:
    """Deferred acceptance with any non-negative capacities."""
    cols, rvals, pos, end, threshold = (
        lists.cols,
        lists.rvals,
        lists.pos,
        lists.end,
        lists.threshold,
    )
    free = list(row_cap)
    # Each column's held proposals as a min-heap of (value, -row): the top is
    # the one it likes least, the higher row index losing a tie.
    held: list[list[tuple[float, int]]] = [[] for _ in col_cap]
    # A row is on the stack while it has a free slot and an unread batch; one
    # that runs out of batch waits for the next round of batches (and is not
    # pushed again meanwhile, as its free count is already positive).
    waiting = [i for i in range(len(row_cap)) if free[i] > 0]
    while waiting:
        lists.extend(waiting)
        stack, waiting = waiting[::-1], []
        while stack:
            i = stack.pop()
            while free[i] > 0:
                p = pos[i]
                if p == end[i]:
                    if threshold[i] != _NEG_INF:
                        waiting.append(i)
                    break
                pos[i] = p + 1
                j = cols[p]
                offer = (rvals[p], -i)
                heap = held[j]
                if len(heap) < col_cap[j]:
                    heapq.heappush(heap, offer)
                    free[i] -= 1
                elif heap and offer > heap[0]:
                    h = -heapq.heapreplace(heap, offer)[1]
                    free[i] -= 1
                    free[h] += 1
                    if free[h] == 1:
                        stack.append(h)
    rows_out: list[int] = []
    cols_out: list[int] = []
    for j, heap in enumerate(held):
        for _, neg_row in heap:
            rows_out.append(-neg_row)
            cols_out.append(j)
    return rows_out, cols_out
