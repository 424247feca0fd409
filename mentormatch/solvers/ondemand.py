"""Stable matching whose preferences are scored on demand, and its block-wise check.

:func:`gale_shapley` needs both utilities as dense ``n_rows x n_cols``
arrays: 80 GB each at 100,000 per side. Deferred acceptance never needs
them whole. A proposer only ever looks at the next few receivers on its
list, and a receiver only ever compares a new proposal with the ones it
holds. :func:`lazy_deferred_acceptance` keeps just that: each proposer's
cursor and a short buffer of its next receivers (with each receiver's value
of the pair), and each receiver's held proposals. The preference lists come
from a callback, asked for many proposers at once, that scores what it needs
(a row block of the cohort, say) and forgets it. :func:`dense_candidates`
is that callback over dense arrays, for tests and benchmarks.

:func:`blocking_in_block` checks a matching the same way: it counts the
blocking pairs among one block of pairs, given each side's standing in the
matching (:func:`matching_standing`), so that every block of a very large
market (or a sample of blocks) can be checked without the dense arrays.

If the utilities fit in memory, use :func:`gale_shapley`: the same pairs,
faster.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    as_bool_mask,
    as_capacity,
    check_flag,
    check_number,
    describe,
    fail,
    param_where,
)
from mentormatch.solvers._inputs import as_indices, two_sided_inputs

__all__ = [
    "NextCandidates",
    "blocking_in_block",
    "candidates_from_rows",
    "dense_candidates",
    "lazy_deferred_acceptance",
    "matching_standing",
]

#: ``next_candidates(proposers, after_value, after_col, k)`` (and, with
#: ``screen=True``, ``floor_value, floor_row``) returns ``(indptr, cols,
#: proposer_value, receiver_value)``: see :func:`lazy_deferred_acceptance`.
NextCandidates = Callable[..., tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike]]

_LAZY = "lazy_deferred_acceptance"

# Entries of the dense arrays that dense_candidates reads at once.
_BLOCK = 2**20


def lazy_deferred_acceptance(
    n_proposers: int,
    n_receivers: int,
    next_candidates: NextCandidates,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
    *,
    batch: int = 32,
    screen: bool = False,
    on_round: Callable[[int, int, int], object] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    r"""The proposer-optimal stable matching, with preferences asked for on demand.

    The same pairs as :func:`gale_shapley` on the dense utilities (``P[i, j]``
    proposer *i*'s utility of receiver *j*, ``R[i, j]`` receiver *j*'s utility
    of proposer *i*, ``allowed`` the acceptable pairs), but the arrays are
    never built: ``next_candidates`` hands out each proposer's preference
    list a few receivers at a time. Proposer *i*'s list is its acceptable
    receivers by :math:`P_{ij}` descending, the lower receiver first among
    equals; receiver *j* prefers the higher :math:`R_{ij}`, the lower
    proposer first among equals.

    Parameters
    ----------
    n_proposers : int
        Number of proposers (the rows of ``P``).
    n_receivers : int
        Number of receivers (the columns of ``P``).
    next_candidates : callable
        ``next_candidates(proposers, after_value, after_col, k)`` returns
        ``(indptr, cols, proposer_value, receiver_value)``. For each proposer
        ``proposers[t]`` it lists its next acceptable receivers strictly after
        the cursor ``(after_value[t], after_col[t])`` on its list (that is,
        with :math:`P_{ij}` below ``after_value[t]``, or equal to it and
        ``j > after_col[t]``), in the order of its list, at most ``k`` of
        them: ``cols[indptr[t]:indptr[t + 1]]``, with
        ``proposer_value`` :math:`P_{ij}` and ``receiver_value``
        :math:`R_{ij}` of each pair (compressed sparse rows). Fewer than
        ``k`` means the list ends there. The cursor ``(inf, -1)`` asks for
        the list from its start.
    proposer_capacity : int or array-like of int, shape (n_proposers,), optional
        How many receivers each proposer may hold (non-negative; default 1).
    receiver_capacity : int or array-like of int, shape (n_receivers,), optional
        How many proposers each receiver may hold (non-negative; default 1).
    batch : int, default 32
        The fewest receivers asked for at once per proposer. When fewer
        proposers wait for more, each is asked for more, up to about
        ``(n_proposers + n_receivers) * batch`` receivers held in buffers
        in all.
    screen : bool, default False
        Also tell ``next_candidates`` which receivers would accept whom now,
        so that it hands out only those: it is called as
        ``next_candidates(proposers, after_value, after_col, k, floor_value,
        floor_row)``, and must then list, of each proposer's receivers after
        its cursor, only the next ``k`` that would accept it (fewer: there
        are no more). Receiver *j* accepts proposer *i* when
        ``R[i, j] > floor_value[j]``, or ``R[i, j] == floor_value[j]`` and
        ``i < floor_row[j]`` (arrays of shape ``(n_receivers,)``; ``-inf``
        for a receiver with room, ``inf`` for one with no place). The others
        would reject it now and ever after, so the matching is the same; the
        proposals saved are most of them when one side has more places than
        the other can fill, or when the proposers rank alike.
    on_round : callable, optional
        Called after each call of ``next_candidates`` as
        ``on_round(round, asked, proposals)``: the round (from 1), the
        number of proposers it asked about, and the proposals made before
        it. For progress bars.

    Returns
    -------
    rows : ndarray of intp, shape (k,)
        Proposer of each pair, sorted ascending.
    cols : ndarray of intp, shape (k,)
        Receiver of each pair (ascending within a proposer).

    Raises
    ------
    InvalidInputError
        If a size or ``batch`` is not a non-negative (positive) integer, a
        capacity is malformed, a callback is not callable, or
        ``next_candidates`` answers out of contract: a malformed ``indptr``,
        more than ``k`` receivers, a receiver out of range, a value that is
        not finite, receivers out of order or not after the cursor, or more
        receivers for one proposer than there are.

    See Also
    --------
    gale_shapley : The same matching from dense utilities.
    dense_candidates : ``next_candidates`` over dense utilities.
    blocking_in_block : Check the result block by block.

    Notes
    -----
    Deferred acceptance with the proposals made in rounds. Every proposer
    with a free place proposes down its buffer; a receiver keeps its best
    proposals (as many as it has places, in a heap whose top is the one it
    likes least) and turns the others away; a proposer turned away, or
    displaced, proposes on. A proposer whose buffer runs out waits, and when
    no one can propose any more, ``next_candidates`` is asked once about all
    waiting proposers, each from its own cursor: the last receiver it was
    handed.

    *Why it terminates.* Each cursor only moves forwards along its list, so
    every proposal is a pair never proposed before, and every call asks about
    each proposer from a cursor never asked about before (tested). A call
    gives a waiting proposer at least one new receiver, or ends its list
    (fewer than ``k``). Hence at most ``n_proposers * n_receivers``
    proposals, each O(log capacity), and at most ``n_receivers + 1`` calls
    per proposer. The answers of ``next_candidates`` are checked (order,
    range, count), and no proposer may be handed more receivers than there
    are, so a callback out of contract raises instead of looping.

    *Why it equals* :func:`gale_shapley`. With ties broken by index, both
    sides' preferences are strict, and deferred acceptance gives the
    proposer-optimal stable matching whatever the order of the proposals
    (Gale & Shapley 1962; Roth 1984 for capacities), the matching that
    :func:`gale_shapley` returns. Lists are the same (acceptable pairs,
    utility descending, lower receiver first), and receivers compare
    proposals as ``gale_shapley`` does: by ``(R[i, j], -i)``. With
    ``screen``, a receiver left out of a list holds, when asked about, as
    many proposals it prefers to this one as it has places; its worst held
    proposal only improves, so it would have turned the proposal away then
    or at any later time, and a proposal turned away changes nothing.

    *Memory.* Each proposer's cursor, free places and buffer (entries in
    flat arrays, compacted when the spent ones dominate), each receiver's
    heap: O((n_proposers + n_receivers) * batch) in all, plus what
    ``next_candidates`` holds during a call.

    References
    ----------
    .. [1] D. Gale and L. S. Shapley, "College admissions and the stability of
       marriage", *The American Mathematical Monthly* 69(1):9-15, 1962.
    .. [2] A. E. Roth, "The evolution of the labor market for medical interns
       and residents: a case study in game theory", *Journal of Political
       Economy* 92(6):991-1016, 1984.

    Examples
    --------
    The first example of Gale and Shapley, its lists handed out one
    receiver at a time:

    >>> import numpy as np
    >>> from mentormatch.solvers import (
    ...     dense_candidates, gale_shapley, lazy_deferred_acceptance)
    >>> proposer_utility = np.array([[3, 2, 1], [1, 3, 2], [2, 1, 3]])
    >>> receiver_utility = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    >>> ask = dense_candidates(proposer_utility, receiver_utility)
    >>> lazy_deferred_acceptance(3, 3, ask, batch=1)
    (array([0, 1, 2]), array([0, 1, 2]))
    >>> gale_shapley(proposer_utility, receiver_utility)
    (array([0, 1, 2]), array([0, 1, 2]))
    """
    n = check_number(n_proposers, param_where("n_proposers", _LAZY), NON_NEGATIVE_INT)
    m = check_number(n_receivers, param_where("n_receivers", _LAZY), NON_NEGATIVE_INT)
    if not callable(next_candidates):
        raise fail(param_where("next_candidates", _LAZY), "a callable", describe(next_candidates))
    row_cap = as_capacity(proposer_capacity, "proposer_capacity", _LAZY, n)
    col_cap = as_capacity(receiver_capacity, "receiver_capacity", _LAZY, m)
    k = check_number(batch, param_where("batch", _LAZY), POSITIVE_INT)
    screened = check_flag(screen, param_where("screen", _LAZY))
    if on_round is not None and not callable(on_round):
        raise fail(param_where("on_round", _LAZY), "a callable or None", describe(on_round))
    return _lazy(n, m, next_candidates, row_cap, col_cap, k, on_round, screen=screened)


class _Buffers:
    """Each proposer's cursor and the receivers handed to it but not yet proposed to.

    Proposer ``i``'s buffer is ``cols[pos[i]:end[i]]`` (with each
    receiver's value of the pair in ``rvals``) in flat arrays that grow at
    the end; when the spent entries dominate they are dropped.
    """

    def __init__(
        self,
        n: int,
        m: int,
        ask: NextCandidates,
        batch: int,
        grow: bool,
        floors: tuple[NDArray[np.float64], NDArray[np.intp]] | None,
    ) -> None:
        self.n, self.m, self.ask, self.batch, self.floors = n, m, ask, batch, floors
        self.budget = (n + m) * batch if grow else 0
        self.cols: NDArray[np.intp] = np.empty(0, dtype=np.intp)
        self.rvals: NDArray[np.float64] = np.empty(0)
        self.pos = [0] * n
        self.end = [0] * n
        self.done = [False] * n
        self.after_value = np.full(n, np.inf)
        self.after_col = np.full(n, -1, dtype=np.intp)
        self.handed = np.zeros(n, dtype=np.int64)
        # Entries handed out and not yet proposed to (the loop counts proposals).
        self.live = 0

    def refill(self, waiting: list[int]) -> None:
        """Ask ``next_candidates`` for the next receivers of every waiting proposer."""
        index = np.asarray(waiting, dtype=np.intp)
        k = max(self.batch, min(self.m, (self.budget - self.live) // len(waiting)))
        after_value = self.after_value[index]
        after_col = self.after_col[index]
        args = [index.copy(), after_value.copy(), after_col.copy(), k]
        if self.floors is not None:
            args += [self.floors[0].copy(), self.floors[1].copy()]
        answer = self.ask(*args)
        indptr, cols, pvals, rvals = _checked_answer(
            answer, index, after_value, after_col, k, self.m
        )
        counts = np.diff(indptr)
        self.handed[index] += counts
        over = np.flatnonzero(self.handed[index] > self.m)
        if over.size:
            i = int(index[over[0]])
            raise fail(
                param_where("next_candidates", _LAZY),
                f"at most {self.m} receivers in all for a proposer (each once)",
                f"{int(self.handed[i])} for proposer {i}",
            )
        has = counts > 0
        last = indptr[1:][has] - 1
        self.after_value[index[has]] = pvals[last]
        self.after_col[index[has]] = cols[last]
        if 2 * self.live < self.cols.size and self.cols.size > self.budget:
            self._compact()
        start = self.cols.size
        self.cols = np.concatenate([self.cols, cols])
        self.rvals = np.concatenate([self.rvals, rvals])
        self.live += int(cols.size)
        pos, end, done = self.pos, self.end, self.done
        for i, lo, hi, count in zip(
            waiting,
            (start + indptr[:-1]).tolist(),
            (start + indptr[1:]).tolist(),
            counts.tolist(),
            strict=True,
        ):
            pos[i] = lo
            end[i] = hi
            done[i] = count < k

    def _compact(self) -> None:
        """Drop the entries already proposed to."""
        pos = np.asarray(self.pos, dtype=np.intp)
        end = np.asarray(self.end, dtype=np.intp)
        length = end - pos
        total = int(length.sum())
        new_pos = np.cumsum(length) - length
        keep = np.repeat(pos - new_pos, length) + np.arange(total)
        self.cols = self.cols[keep]
        self.rvals = self.rvals[keep]
        self.pos = new_pos.tolist()
        self.end = (new_pos + length).tolist()


def _checked_answer(
    answer: Any,
    index: NDArray[np.intp],
    after_value: NDArray[np.float64],
    after_col: NDArray[np.intp],
    k: int,
    m: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """The answer of ``next_candidates``, checked against its contract."""
    where = param_where("next_candidates", _LAZY)
    if not isinstance(answer, tuple) or len(answer) != 4:
        raise fail(
            where, "to return (indptr, cols, proposer_value, receiver_value)", "another value"
        )
    raw_ptr, raw_cols, raw_p, raw_r = (np.asarray(a) for a in answer)
    for name, arr, kinds in (
        ("indptr", raw_ptr, "iu"),
        ("cols", raw_cols, "iu"),
        ("proposer_value", raw_p, "iuf"),
        ("receiver_value", raw_r, "iuf"),
    ):
        if arr.ndim != 1 or (arr.size and arr.dtype.kind not in kinds):
            raise fail(where, f"{name} a 1-D array of numbers", describe(arr))
    indptr = raw_ptr.astype(np.intp)
    cols = raw_cols.astype(np.intp)
    pvals = raw_p.astype(np.float64)
    rvals = raw_r.astype(np.float64)
    counts = np.diff(indptr)
    if (
        indptr.size != index.size + 1
        or indptr[0] != 0
        or (counts < 0).any()
        or (counts > k).any()
        or not (cols.size == pvals.size == rvals.size == indptr[-1])
    ):
        raise fail(
            where,
            f"indptr of {index.size + 1} non-decreasing offsets from 0, at most {k} apart, "
            "ending at the length of cols and of both values",
            f"indptr of length {indptr.size} for {cols.size} receivers",
        )
    if cols.size == 0:
        return indptr, cols, pvals, rvals
    if cols.min() < 0 or cols.max() >= m:
        raise fail(
            where, f"receivers in [0, {m})", f"receiver {int(cols[(cols < 0) | (cols >= m)][0])}"
        )
    if not (np.isfinite(pvals).all() and np.isfinite(rvals).all()):
        raise fail(where, "finite values", "a value that is not")
    # Each entry must come after the one before it (the cursor, for the first).
    prev_value = np.empty_like(pvals)
    prev_col = np.empty_like(cols)
    prev_value[1:] = pvals[:-1]
    prev_col[1:] = cols[:-1]
    has = counts > 0
    first = indptr[:-1][has]
    prev_value[first] = after_value[has]
    prev_col[first] = after_col[has]
    after = (pvals < prev_value) | ((pvals == prev_value) & (cols > prev_col))
    if not after.all():
        bad = int(np.flatnonzero(~after)[0])
        t = int(np.searchsorted(indptr, bad, side="right") - 1)
        raise fail(
            where,
            "each proposer's receivers after its cursor, by value descending, "
            "then by receiver ascending",
            f"receiver {int(cols[bad])} ({pvals[bad]}) out of order for proposer {int(index[t])}",
        )
    return indptr, cols, pvals, rvals


def _lazy(
    n: int,
    m: int,
    ask: NextCandidates,
    row_cap: NDArray[np.int64],
    col_cap: NDArray[np.int64],
    batch: int,
    on_round: Callable[[int, int, int], object] | None,
    *,
    screen: bool = False,
    grow: bool = True,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """:func:`lazy_deferred_acceptance` on checked inputs.

    ``grow=False`` asks for exactly ``batch`` receivers each time (the tests
    use it to make small instances call back often).
    """
    empty = np.empty(0, dtype=np.intp)
    if n == 0 or m == 0:
        return empty, empty.copy()
    # With screen, each receiver's worst held offer when it is full (the
    # floor a proposal must beat), kept up to date at each call.
    floor_value = np.where(col_cap == 0, np.inf, -np.inf)
    floor_row = np.full(m, n, dtype=np.intp)
    buffers = _Buffers(n, m, ask, batch, grow, (floor_value, floor_row) if screen else None)
    free = row_cap.tolist()
    caps = col_cap.tolist()
    changed: set[int] = set()
    # Each receiver's held proposals, a min-heap of (value, -proposer): the top
    # is the one it likes least, the higher proposer losing a tie.
    held: list[list[tuple[float, int]]] = [[] for _ in range(m)]
    waiting = [i for i in range(n) if free[i] > 0]
    proposals = rounds = 0
    while waiting:
        if changed:
            full = [j for j in changed if len(held[j]) >= caps[j]]
            floor_value[full] = [held[j][0][0] for j in full]
            floor_row[full] = [-held[j][0][1] for j in full]
            changed.clear()
        buffers.refill(waiting)
        rounds += 1
        if on_round is not None:
            on_round(rounds, len(waiting), proposals)
        starts, waiting = waiting, []
        before = proposals
        # Read in place: converting the arrays to lists each round would cost
        # more than the reads, on large markets.
        cols, rvals = buffers.cols, buffers.rvals
        pos, end, done = buffers.pos, buffers.end, buffers.done
        for start in starts:
            # A proposer is on the stack while it has a free place; one that
            # is displaced and so gets its first free place back is pushed.
            stack = [start]
            while stack:
                i = stack.pop()
                while free[i] > 0:
                    p = pos[i]
                    if p == end[i]:
                        if not done[i]:
                            waiting.append(i)
                        break
                    pos[i] = p + 1
                    proposals += 1
                    j = cols[p]
                    offer = (rvals[p], -i)
                    heap = held[j]
                    if len(heap) < caps[j]:
                        heapq.heappush(heap, offer)
                    elif heap and offer > heap[0]:
                        h = -heapq.heapreplace(heap, offer)[1]
                        free[h] += 1
                        if free[h] == 1:
                            stack.append(h)
                    else:
                        continue
                    free[i] -= 1
                    if screen:
                        changed.add(int(j))
        buffers.live -= proposals - before
    rows_out = [-r for heap in held for _, r in heap]
    cols_out = [j for j, heap in enumerate(held) for _ in heap]
    rows_arr = np.asarray(rows_out, dtype=np.intp)
    cols_arr = np.asarray(cols_out, dtype=np.intp)
    ranked = np.lexsort((cols_arr, rows_arr))
    rows_arr, cols_arr = rows_arr[ranked], cols_arr[ranked]
    if rows_arr.size > 1:
        twice = (rows_arr[1:] == rows_arr[:-1]) & (cols_arr[1:] == cols_arr[:-1])
        if twice.any():
            t = int(np.flatnonzero(twice)[0])
            raise fail(
                param_where("next_candidates", _LAZY),
                "each receiver at most once on a proposer's list",
                f"receiver {int(cols_arr[t])} twice for proposer {int(rows_arr[t])}",
            )
    return rows_arr, cols_arr


def dense_candidates(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    allowed: ArrayLike | None = None,
) -> NextCandidates:
    """``next_candidates`` for :func:`lazy_deferred_acceptance`, over dense utilities.

    The reference callback: it reads the preference lists off the arrays
    that :func:`gale_shapley` takes, so that both can be compared, and
    shows what a callback must do. A callback over scored blocks does the
    same on each block of rows it scores.

    Parameters
    ----------
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is proposer *i*'s value of receiver *j*.
        Finite numbers.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is receiver *j*'s value of proposer *i*
        (the same shape, not transposed).
    allowed : array-like of bool, shape (n_rows, n_cols), optional
        ``False`` where a pair is not acceptable (never on a list). Default:
        every pair allowed.

    Returns
    -------
    callable
        ``next_candidates(proposers, after_value, after_col, k,
        floor_value=None, floor_row=None)``, returning ``(indptr, cols,
        proposer_value, receiver_value)`` as :func:`lazy_deferred_acceptance`
        describes (with the floors, only the receivers that would accept).

    Raises
    ------
    InvalidInputError
        If a utility is not a finite 2-D array, the two differ in shape, or
        ``allowed`` is not a boolean mask of that shape.

    See Also
    --------
    lazy_deferred_acceptance : The solver that calls it.
    candidates_from_rows : The same from rows scored by a function.

    Notes
    -----
    :func:`candidates_from_rows` over the rows of the arrays, about a
    million entries at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import dense_candidates
    >>> ask = dense_candidates(np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]]),
    ...                        np.array([[5.0, 6.0, 7.0], [8.0, 9.0, 4.0]]))
    >>> indptr, cols, pvals, rvals = ask(
    ...     np.array([0, 1]), np.array([np.inf, 2.0]), np.array([-1, 0]), 2)
    >>> indptr, cols, pvals, rvals
    (array([0, 2, 4]), array([1, 2, 2, 1]), array([3., 3., 1., 0.]), array([6., 7., 4., 9.]))
    """
    owner = "dense_candidates"
    pu, ru, mask, _, _ = two_sided_inputs(
        proposer_utility, receiver_utility, allowed, None, None, owner
    )

    def read_rows(
        index: NDArray[np.intp],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_] | None]:
        return pu[index], ru[index], None if mask is None else mask[index]

    return _from_rows(read_rows, pu.shape[1], _BLOCK)


RowsReader = Callable[[NDArray[np.intp]], tuple[ArrayLike, ArrayLike, ArrayLike | None]]


def candidates_from_rows(
    read_rows: RowsReader, n_cols: int, *, block_size: int = _BLOCK
) -> NextCandidates:
    """``next_candidates`` for :func:`lazy_deferred_acceptance`, from whole rows scored on demand.

    Write the function that scores some proposers' rows (against every
    receiver); this turns it into the callback, which reads the rows of the
    proposers it is asked about a block at a time and keeps of each row only
    the next receivers on the list. :func:`dense_candidates` is this over
    rows of dense arrays.

    Parameters
    ----------
    read_rows : callable
        ``read_rows(index)`` returns ``(proposer_values, receiver_values,
        allowed)`` for the proposers ``index`` (an intp array): arrays of
        shape ``(len(index), n_cols)``, ``proposer_values[s, j]`` proposer
        ``index[s]``'s utility of receiver *j* and ``receiver_values[s, j]``
        receiver *j*'s of it (finite numbers, any float or int dtype), and
        ``allowed`` a boolean mask of the acceptable pairs, or None for all.
    n_cols : int
        Number of receivers.
    block_size : int, default 1048576
        About how many entries (rows times ``n_cols``) to ask ``read_rows``
        for at once: the memory of a call is a few arrays of this size.

    Returns
    -------
    callable
        ``next_candidates(proposers, after_value, after_col, k,
        floor_value=None, floor_row=None)``, as :func:`lazy_deferred_acceptance`
        describes (with the floors, only the receivers that would accept).

    Raises
    ------
    InvalidInputError
        If ``read_rows`` is not callable or a size is not a positive
        (``n_cols``: non-negative) integer; when called, if ``read_rows``
        returns arrays of the wrong shape or values that are not finite.

    See Also
    --------
    dense_candidates : The same over dense arrays.
    lazy_deferred_acceptance : The solver that calls it.

    Notes
    -----
    Each block of rows is read once per call. The callback keeps the
    acceptable receivers after each cursor (and, with floors, those that
    would accept), finds the ``k``-th largest value among them by selection
    (``np.partition``), and takes the larger values and, among those equal
    to it, the lower receivers first. O(n_cols) per proposer asked about
    besides ``read_rows``, plus sorting the ``k`` chosen. ``float32``
    values are widened to ``float64`` exactly, so the order is theirs.

    Examples
    --------
    Rows scored by a function of the indices (here, a product):

    >>> import numpy as np
    >>> from mentormatch.solvers import candidates_from_rows, lazy_deferred_acceptance
    >>> cols = np.arange(4)
    >>> def read_rows(index):
    ...     mine = (index[:, None] * 7 + cols * 3) % 5
    ...     theirs = (index[:, None] * 2 + cols) % 3
    ...     return mine, theirs, None
    >>> ask = candidates_from_rows(read_rows, 4)
    >>> lazy_deferred_acceptance(3, 4, ask, batch=1, screen=True)
    (array([0, 1, 2]), array([3, 2, 0]))

    The same as :func:`gale_shapley` on the whole arrays:

    >>> from mentormatch.solvers import gale_shapley
    >>> mine, theirs, _ = read_rows(np.arange(3))
    >>> gale_shapley(mine, theirs)
    (array([0, 1, 2]), array([3, 2, 0]))
    """
    owner = "candidates_from_rows"
    if not callable(read_rows):
        raise fail(param_where("read_rows", owner), "a callable", describe(read_rows))
    m = check_number(n_cols, param_where("n_cols", owner), NON_NEGATIVE_INT)
    size = check_number(block_size, param_where("block_size", owner), POSITIVE_INT)
    return _from_rows(read_rows, m, size)


def _checked_rows(
    answer: Any, shape: tuple[int, int]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_] | None]:
    """What ``read_rows`` returned, checked."""
    where = param_where("read_rows", "candidates_from_rows")
    if not isinstance(answer, tuple) or len(answer) != 3:
        raise fail(where, "to return (proposer_values, receiver_values, allowed)", "another value")
    out: list[NDArray[np.float64]] = []
    for name, value in zip(("proposer_values", "receiver_values"), answer[:2], strict=True):
        arr = np.asarray(value)
        if arr.shape != shape or (arr.size and arr.dtype.kind not in "iuf"):
            raise fail(where, f"{name} of shape {shape}, numbers", describe(arr))
        arr = arr.astype(np.float64, copy=False)
        if not np.isfinite(arr).all():
            raise fail(where, f"finite {name}", "a value that is not")
        out.append(arr)
    mask = None
    if answer[2] is not None:
        mask = np.asarray(answer[2])
        if mask.dtype != np.bool_ or mask.shape != shape:
            raise fail(where, f"allowed a boolean mask of shape {shape} or None", describe(mask))
    return out[0], out[1], mask


def _from_rows(read_rows: RowsReader, n_cols: int, block_size: int) -> NextCandidates:
    """The callback of :func:`candidates_from_rows`, on checked arguments."""
    column = np.arange(n_cols)
    step = max(1, block_size // max(n_cols, 1))

    def next_candidates(
        proposers: NDArray[np.intp],
        after_value: NDArray[np.float64],
        after_col: NDArray[np.intp],
        k: int,
        floor_value: NDArray[np.float64] | None = None,
        floor_row: NDArray[np.intp] | None = None,
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
        # Receivers with room accept anyone: no screen until one is full.
        floors = None
        if floor_value is not None and floor_row is not None and (floor_value > -np.inf).any():
            floors = (floor_value, floor_row)
        parts: list[
            tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]
        ] = []
        for lo in range(0, proposers.size, step):
            index = proposers[lo : lo + step]
            mine, theirs, mask = _checked_rows(read_rows(index.copy()), (index.size, n_cols))
            av = after_value[lo : lo + step, None]
            ac = after_col[lo : lo + step, None]
            vals = mine.copy()  # the entries left out become -inf
            if mask is not None:
                vals[~mask] = -np.inf
            if not np.all(av == np.inf):  # all from the start: nothing is before
                vals[(vals > av) | ((vals == av) & (column <= ac))] = -np.inf
            if floors is not None:
                fv, fr = floors
                vals[(theirs < fv) | ((theirs == fv) & (index[:, None] >= fr))] = -np.inf
            if k < n_cols:
                kth = np.partition(vals, n_cols - k, axis=1)[:, n_cols - k, None]
                keep = vals >= kth
                # Where more than k are at least the k-th, keep of those equal to
                # it only the lower receivers (the cumulative count is only taken
                # on those rows: with distinct values there are none).
                excess = np.flatnonzero(keep.sum(axis=1) > k)
                if excess.size:
                    part = vals[excess]
                    equal = part == kth[excess]
                    need = k - (part > kth[excess]).sum(axis=1, keepdims=True)
                    keep[excess] = (part > kth[excess]) | (
                        equal & (np.cumsum(equal, axis=1) <= need)
                    )
                keep &= vals > -np.inf
            else:
                keep = vals > -np.inf
            local, cols = np.nonzero(keep)
            order = np.lexsort((cols, -vals[local, cols], local))
            local, cols = local[order], cols[order]
            parts.append((local + lo, cols, mine[local, cols], theirs[local, cols]))
        if parts:
            local_all, cols_all, pvals, rvals = (
                np.concatenate(a) for a in zip(*parts, strict=True)
            )
        else:
            local_all = cols_all = np.empty(0, dtype=np.intp)
            pvals = rvals = np.empty(0)
        counts = np.bincount(local_all, minlength=proposers.size)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        return indptr, cols_all.astype(np.intp), pvals, rvals

    return next_candidates


def matching_standing(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_value: ArrayLike,
    receiver_value: ArrayLike,
    n_rows: int,
    n_cols: int,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.float64], NDArray[np.bool_]]:
    """Each side's standing in a matching: its worst partner's value and whether it is full.

    What :func:`blocking_in_block` needs to know of a matching, from the
    values of its own pairs only.

    Parameters
    ----------
    rows : array-like of int, shape (k,)
        Row (proposer) of each pair of the matching.
    cols : array-like of int, shape (k,)
        Column (receiver) of each pair.
    proposer_value : array-like of float, shape (k,)
        ``proposer_utility[rows[t], cols[t]]`` of each pair.
    receiver_value : array-like of float, shape (k,)
        ``receiver_utility[rows[t], cols[t]]`` of each pair.
    n_rows : int
        Number of rows.
    n_cols : int
        Number of columns.
    proposer_capacity : int or array-like of int, shape (n_rows,), optional
        How many columns each row may hold (default 1).
    receiver_capacity : int or array-like of int, shape (n_cols,), optional
        How many rows each column may hold (default 1).

    Returns
    -------
    row_worst : ndarray of float64, shape (n_rows,)
        The value to each row of its worst partner (``inf`` for a row with none).
    row_full : ndarray of bool, shape (n_rows,)
        Whether each row holds as many partners as its capacity.
    col_worst : ndarray of float64, shape (n_cols,)
        The value to each column of its worst partner (``inf`` for none).
    col_full : ndarray of bool, shape (n_cols,)
        Whether each column is full.

    Raises
    ------
    InvalidInputError
        If an index is out of range, the arrays differ in length, a value is
        not finite, a capacity is malformed or exceeded.

    See Also
    --------
    blocking_in_block : The blocking pairs in one block, given these.

    Examples
    --------
    >>> from mentormatch.solvers import matching_standing
    >>> matching_standing([0, 0], [1, 2], [5.0, 4.0], [1.0, 2.0], 2, 3,
    ...                   proposer_capacity=[2, 1])
    (array([ 4., inf]), array([ True, False]), array([inf,  1.,  2.]), array([False,  True,  True]))
    """
    owner = "matching_standing"
    n = check_number(n_rows, param_where("n_rows", owner), NON_NEGATIVE_INT)
    m = check_number(n_cols, param_where("n_cols", owner), NON_NEGATIVE_INT)
    r = as_indices(rows, "rows", owner, n)
    c = as_indices(cols, "cols", owner, m)
    pv = _vector(proposer_value, "proposer_value", owner, r.size)
    rv = _vector(receiver_value, "receiver_value", owner, r.size)
    if c.size != r.size:
        raise fail(
            param_where("cols", owner), f"the length of parameter 'rows', {r.size}", f"{c.size}"
        )
    row_cap = as_capacity(proposer_capacity, "proposer_capacity", owner, n)
    col_cap = as_capacity(receiver_capacity, "receiver_capacity", owner, m)
    row_count = np.bincount(r, minlength=n)
    col_count = np.bincount(c, minlength=m)
    for name, count, cap in (
        ("proposer_capacity", row_count, row_cap),
        ("receiver_capacity", col_count, col_cap),
    ):
        over = np.flatnonzero(count > cap)
        if over.size:
            t = int(over[0])
            raise fail(
                param_where(name, owner),
                f"at least {count[t]} places for index {t} (its pairs in the matching)",
                f"{cap[t]}",
            )
    row_worst = np.full(n, np.inf)
    np.minimum.at(row_worst, r, pv)
    col_worst = np.full(m, np.inf)
    np.minimum.at(col_worst, c, rv)
    return row_worst, row_count >= row_cap, col_worst, col_count >= col_cap


@overload
def blocking_in_block(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    matched: ArrayLike,
    row_worst: ArrayLike,
    row_full: ArrayLike,
    col_worst: ArrayLike,
    col_full: ArrayLike,
    *,
    allowed: ArrayLike | None = ...,
    return_pairs: Literal[False] = ...,
) -> int: ...


@overload
def blocking_in_block(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    matched: ArrayLike,
    row_worst: ArrayLike,
    row_full: ArrayLike,
    col_worst: ArrayLike,
    col_full: ArrayLike,
    *,
    allowed: ArrayLike | None = ...,
    return_pairs: Literal[True],
) -> NDArray[np.intp]: ...


def blocking_in_block(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    matched: ArrayLike,
    row_worst: ArrayLike,
    row_full: ArrayLike,
    col_worst: ArrayLike,
    col_full: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    return_pairs: bool = False,
) -> int | NDArray[np.intp]:
    r"""The blocking pairs of a matching among one block of pairs.

    The block is the pairs ``(rows[a], cols[b])``; summed over blocks that
    cover every pair once, the counts are those of :func:`blocking_pairs`
    on the whole market, with the same rule (capacities, and ties that
    never block). An allowed pair :math:`(i, j)` not in the matching blocks
    it when

    .. math::

        \bigl(\lnot\,\mathrm{full}(i) \;\lor\; P_{ij} > \mathrm{worst}(i)\bigr)
        \;\land\;
        \bigl(\lnot\,\mathrm{full}(j) \;\lor\; R_{ij} > \mathrm{worst}(j)\bigr),

    where :math:`\mathrm{worst}` is the value of the worst current partner
    and :math:`\mathrm{full}` whether the agent has no place left
    (:func:`matching_standing` gives both).

    Parameters
    ----------
    rows : array-like of int, shape (a,)
        The rows of the block (indices of the whole market).
    cols : array-like of int, shape (b,)
        The columns of the block.
    proposer_utility : array-like of float, shape (a, b)
        ``proposer_utility[s, t]`` is row ``rows[s]``'s value of column
        ``cols[t]``.
    receiver_utility : array-like of float, shape (a, b)
        ``receiver_utility[s, t]`` is column ``cols[t]``'s value of row
        ``rows[s]``.
    matched : array-like of bool, shape (a, b)
        Which pairs of the block are in the matching (they never block).
    row_worst : array-like of float, shape (n_rows,)
        Each row's value of its worst partner, ``inf`` when it has none.
    row_full : array-like of bool, shape (n_rows,)
        Whether each row has no free place.
    col_worst : array-like of float, shape (n_cols,)
        Each column's value of its worst partner, ``inf`` when it has none.
    col_full : array-like of bool, shape (n_cols,)
        Whether each column has no free place.
    allowed : array-like of bool, shape (a, b), optional
        ``False`` where a pair may not be formed (it never blocks). Default:
        every pair allowed.
    return_pairs : bool, default False
        Return the blocking pairs instead of their number.

    Returns
    -------
    int or ndarray of intp, shape (n_blocking, 2)
        The number of blocking pairs in the block, or (with
        ``return_pairs``) the pairs ``(i, j)`` themselves, in indices of the
        whole market, in the order of the block (by ``rows``, then ``cols``).

    Raises
    ------
    InvalidInputError
        If an index is negative or beyond the standing arrays, a utility is
        not a finite matrix of shape ``(a, b)``, a mask is not boolean of
        that shape, a worst value is NaN, or a standing array has the wrong
        length.

    See Also
    --------
    blocking_pairs : The same on dense utilities, in one call.
    matching_standing : ``row_worst``, ``row_full``, ``col_worst`` and ``col_full``.

    Examples
    --------
    The example of :func:`blocking_pairs`, checked one row at a time:

    >>> import numpy as np
    >>> from mentormatch.solvers import blocking_in_block, matching_standing
    >>> P = np.array([[2.0, 1.0], [2.0, 1.0]])
    >>> R = np.array([[1.0, 1.0], [2.0, 2.0]])
    >>> rows, cols = np.array([0, 1]), np.array([0, 1])
    >>> standing = matching_standing(rows, cols, P[rows, cols], R[rows, cols], 2, 2)
    >>> matched = np.zeros((2, 2), dtype=bool)
    >>> matched[rows, cols] = True
    >>> [blocking_in_block([i], [0, 1], P[[i]], R[[i]], matched[[i]], *standing)
    ...  for i in (0, 1)]
    [0, 1]
    >>> blocking_in_block([1], [0, 1], P[[1]], R[[1]], matched[[1]], *standing,
    ...                   return_pairs=True)
    array([[1, 0]])
    """
    owner = "blocking_in_block"
    rw = _vector(row_worst, "row_worst", owner, None, infinite=True)
    cw = _vector(col_worst, "col_worst", owner, None, infinite=True)
    n, m = rw.size, cw.size
    rf = _flags(row_full, "row_full", owner, n)
    cf = _flags(col_full, "col_full", owner, m)
    r = as_indices(rows, "rows", owner, n)
    c = as_indices(cols, "cols", owner, m)
    shape = (r.size, c.size)
    pu, ru, mask, _, _ = two_sided_inputs(
        proposer_utility, receiver_utility, allowed, None, None, owner
    )
    if pu.shape != shape:
        raise fail(
            param_where("proposer_utility", owner),
            f"shape {shape} (len(rows), len(cols))",
            f"shape {pu.shape}",
        )
    held = as_bool_mask(matched, "matched", owner, shape)
    if held is None:
        raise fail(param_where("matched", owner), "a boolean mask", "None")
    pairs = check_flag(return_pairs, param_where("return_pairs", owner))
    row_willing = ~rf[r][:, None] | (pu > rw[r][:, None])
    col_willing = ~cf[c][None, :] | (ru > cw[c][None, :])
    blocking = row_willing & col_willing & ~held
    if mask is not None:
        blocking &= mask
    if not pairs:
        return int(np.count_nonzero(blocking))
    s, t = np.nonzero(blocking)
    return np.column_stack([r[s], c[t]]).astype(np.intp, copy=False)


def _vector(
    value: ArrayLike, name: str, owner: str, size: int | None, *, infinite: bool = False
) -> NDArray[np.float64]:
    """A 1-D float array (of ``size`` entries when given): finite, or not NaN with ``infinite``."""
    where = param_where(name, owner)
    arr = np.asarray(value)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iuf"):
        raise fail(where, "a 1-D array of real numbers", describe(value))
    if size is not None and arr.size != size:
        raise fail(where, f"length {size}", f"length {arr.size}")
    out = arr.astype(np.float64, copy=False)
    bad = np.isnan(out) if infinite else ~np.isfinite(out)
    if bad.any():
        t = int(np.flatnonzero(bad)[0])
        what = "numbers (inf allowed), not NaN" if infinite else "finite numbers"
        raise fail(where, what, f"{out[t]} at [{t}]")
    return out


def _flags(value: ArrayLike, name: str, owner: str, size: int) -> NDArray[np.bool_]:
    """A 1-D boolean array of ``size`` entries."""
    where = param_where(name, owner)
    arr = np.asarray(value)
    if arr.dtype != np.bool_:
        raise fail(where, "a boolean array", describe(value))
    if arr.shape != (size,):
        raise fail(where, f"shape ({size},)", f"shape {arr.shape}")
    return arr
