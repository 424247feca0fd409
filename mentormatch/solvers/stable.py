"""Stable matching by deferred acceptance (Gale–Shapley).

:func:`gale_shapley` pairs rows with columns so that no pair would rather be
together than with the partners they were given. Rows propose, columns hold
their best offers. Capacities make it many-to-one (or many-to-many), and the
``allowed`` mask gives incomplete preference lists.

The preference lists are never sorted. Two routes, both exact:

* **Rows that share one order.** When every row's list follows one order of
  the columns (every row ranks the columns alike, or all utilities are
  equal), the stable matching is unique and the columns, in that order, each
  take their favourite rows among those with places left: one vectorised
  pass over the rows per column (see :func:`_by_columns_in_order`). Deferred
  acceptance would make about ``n_rows * n_cols / 2`` proposals here, almost
  all rejected. The order is found from row 0 and checked against every row
  in one pass, which turns most other inputs down at their second row.
* **Deferred acceptance, by prefixes and scans.** Each row is first handed a
  short prefix of its list (its best few columns, from one vectorised
  selection over all rows) and proposes down it one column at a time. A row
  that has used up its prefix and still has room is given a new one by a
  *scan*: one numpy pass over its row that keeps the columns that would
  accept it now and hands out its favourites among them. Every column left
  out would reject it, and would go on rejecting it, since a column's worst
  held offer only ever improves; so a scan makes at once all the proposals
  that deferred acceptance would have made one by one and seen rejected. The
  rows that run out while many others do (more rows than places) are scanned
  together in rounds; the others one at a time. The order of proposals does
  not change the outcome of deferred acceptance, so the result is the
  proposer-optimal stable matching, as the textbook algorithm gives it.

Why every route terminates. The first makes one pass per column. In the
second, every proposal is a (row, column) pair never proposed before: a
prefix is walked forwards, and a scan hands out only columns that would
accept the row when it scans, which excludes those the row holds (left out
explicitly) and those it has proposed to (such a column rejected or
displaced the row, so it holds as many rows it prefers as it has places, and
its worst held offer has only risen since). Hence at most
``n_rows * n_cols`` proposals, each costing O(1) (a logarithm when a column
with room for several keeps a heap); each scan costs O(n_cols) and is followed
by a proposal, or finds nothing and retires its row for good (for the same
reason), and the rounds of scans are at most ``_ROUNDS``. The numpy routines
called are selections (``partition``, ``argpartition``: introselect, linear
in the worst case), sorts of short arrays (``argsort``, ``lexsort``),
``argmax`` and elementwise operations: none iterates to a tolerance, so none
can loop.

Work and memory. On random preferences a row makes about ln(n_cols)
proposals, almost all from its prefix: well under one ``np.argsort`` of the
utilities. With more rows than places, most rows are rejected by every
column: the scans make those rejections at numpy speed, and only the
accepted proposals cost Python. Beyond its inputs, a call holds at most one
array of their size per item of this list: the shared-order route's
transposed ``receiver_utility``; a copy of ``proposer_utility`` with -inf
where ``allowed`` forbids; C-ordered copies of inputs that are not (a
transposed view, when the columns propose).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch.solvers._inputs import two_sided_inputs

__all__ = ["gale_shapley"]

_OWNER = "gale_shapley"

# Length of each row's prefix. On random preferences a row makes about
# ln(n_cols) proposals, so most never need a scan.
_FIRST_BATCH = 16

# Largest size of the column groups that let the prefixes be found without a
# selection pass over every entry (see _top_prefixes and _group_size).
_MAX_GROUP = 16

# Longest prefix a scan hands out. The columns it lists would all have
# accepted the row when it scanned; they are tried in order, so a row that is
# displaced again needs no new scan while some of them still would.
_SCAN_BATCH = 16

# Rows that run out of prefix wait and are scanned together, in rounds, while
# at least _FEW_ROWS of them wait, the last round placed rows for at least a
# quarter of those it started with, and for at most _ROUNDS rounds; after that
# each row scans at once. Rounds help when many rows run out together (more
# rows than places), and cost a pass over their rows each when the rows rank
# alike and most of the proposals in a round fail.
_FEW_ROWS = 16
_ROUNDS = 8

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
    When every row's list follows one order of the columns (the rows rank
    the columns alike, or all utilities are equal) the stable matching is
    unique, and the columns take their favourite rows in that order, one
    vectorised pass each. Otherwise each row proposes first down a short
    prefix of its list (from one vectorised selection over all rows), then
    down prefixes handed out by scans: one numpy pass over the row keeps the
    columns that would accept it now, which makes at once all the proposals
    that would have been rejected on the way. A column's worst held offer
    only improves, so a column that rejects a row once rejects it for good:
    no proposal is made twice, and the order of proposals does not change
    the outcome of deferred acceptance. A proposal costs O(1) (a logarithm
    for a column with room for several, which keeps its offers in a heap),
    a scan O(n_cols); a row scans at most once per proposal it then makes,
    plus once when nothing is left for it. The module docstring says why
    every route terminates.

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
    return _solve(pu, ru, mask, row_cap, col_cap)


def _solve(
    pu: NDArray[np.float64],
    ru: NDArray[np.float64],
    mask: NDArray[np.bool_] | None,
    row_cap: NDArray[np.int64],
    col_cap: NDArray[np.int64],
    *,
    prefix: int = _FIRST_BATCH,
    batch: int = _SCAN_BATCH,
    group: int | None = None,
    by_order: bool = True,
    few: int = _FEW_ROWS,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """:func:`gale_shapley` on checked inputs.

    The keywords exist for the tests, which make small instances take every
    route: ``prefix`` and ``batch`` are the longest prefix handed out first
    and by a scan, ``group`` the size of the column groups (see
    :func:`_group_size`), ``by_order=False`` skips the route for rows that
    share one order, and ``few`` is the fewest waiting rows scanned together
    after the first round (0: rounds until no row waits, or _ROUNDS).
    """
    n_rows, n_cols = pu.shape
    if n_rows == 0 or n_cols == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty.copy()
    # A forbidden pair becomes -inf, which no finite utility can equal: it is
    # never part of a prefix, and a scan never picks it. Scans read whole
    # rows, hence the C order.
    values = np.ascontiguousarray(pu if mask is None else np.where(mask, pu, -np.inf))
    ru = np.ascontiguousarray(ru)
    order = _common_order(values) if by_order else None
    if order is not None:
        return _by_columns_in_order(order, ru, mask, row_cap, col_cap)
    lists = _Prefixes(values, ru, prefix, group)
    scanner = _Scanner(values, ru, col_cap, lists, batch, mask is not None)
    if np.all(row_cap == 1) and np.all(col_cap == 1):
        rows, cols = _one_to_one(lists, scanner, n_rows, n_cols, few)
    else:
        rows, cols = _with_capacities(lists, scanner, row_cap.tolist(), col_cap.tolist(), few)
    rows_arr = np.asarray(rows, dtype=np.intp)
    cols_arr = np.asarray(cols, dtype=np.intp)
    ranked = np.lexsort((cols_arr, rows_arr))
    return rows_arr[ranked], cols_arr[ranked]


def _common_order(values: NDArray[np.float64]) -> NDArray[np.intp] | None:
    """One order of the columns that every row's preference list follows, if there is one.

    Row ``i``'s list is its allowed columns by value descending, then by
    column. The candidate is row 0's list followed by its forbidden columns;
    it fits row ``i`` when, along it, every value is above the next, or
    equal to it with the lower column first, or the next is forbidden. (A
    forbidden column followed by an allowed one does not fit, though the
    lists might still agree: that case simply takes the general route.)
    """
    n_rows, n_cols = values.shape
    order = np.argsort(-values[0], kind="stable")
    # A few rows first, so that most inputs are turned down at once; then
    # blocks of about a million entries, to bound the memory.
    step = max(1, 2**20 // n_cols)
    bounds = sorted({1, min(n_rows, 8), *range(8, n_rows, step), n_rows})
    if all((values[lo:hi] == values[0]).all() for lo, hi in itertools.pairwise(bounds)):
        return order
    ascending = order[:-1] < order[1:]
    for lo, hi in itertools.pairwise(bounds):
        along = values[lo:hi, order]
        here, after = along[:, :-1], along[:, 1:]
        fits = (here > after) | ((here == after) & ascending) | (after == -np.inf)
        if not fits.all():
            return None
    return order


def _by_columns_in_order(
    order: NDArray[np.intp],
    ru: NDArray[np.float64],
    mask: NDArray[np.bool_] | None,
    row_cap: NDArray[np.int64],
    col_cap: NDArray[np.int64],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The stable matching when every row's list follows ``order``.

    The first column of ``order`` is first on the list of every row allowed
    to it, so in any stable matching it holds its best rows among those, as
    many as it has places (a row left out would rather have it than any
    partner, and the column has room or holds a row it likes less: they
    would block). Take them out of the market with one place less each and
    repeat with the next column. So the stable matching is unique, deferred
    acceptance finds it, and so does this: each column in turn takes its
    favourite rows among those with places left, in one vectorised pass over
    its column of ``ru`` (transposed once, so that the pass reads a row).
    """
    by_col = np.array(ru.T, order="C")  # a copy always: it is written to below
    if mask is not None:
        np.copyto(by_col, -np.inf, where=~mask.T)
    left = row_cap.copy()
    # 0 for a row with places left, -inf for one without: added to a column
    # of utilities it takes the full rows out of the choice.
    closed = np.where(left > 0, 0.0, -np.inf)
    open_rows = int(np.count_nonzero(left))
    rows_out: list[int] = []
    cols_out: list[int] = []
    caps = col_cap.tolist()
    for j in order.tolist():
        if open_rows == 0:
            break
        if caps[j] == 0:
            continue
        for i in _best(by_col[j] + closed, caps[j]).tolist():
            rows_out.append(i)
            cols_out.append(j)
            left[i] -= 1
            if left[i] == 0:
                closed[i] = -np.inf
                open_rows -= 1
    rows_arr = np.asarray(rows_out, dtype=np.intp)
    cols_arr = np.asarray(cols_out, dtype=np.intp)
    ranked = np.lexsort((cols_arr, rows_arr))
    return rows_arr[ranked], cols_arr[ranked]


def _best(vals: NDArray[np.float64], k: int) -> NDArray[np.intp]:
    """The positions of the ``k`` largest finite values, lower positions first among equals.

    In no particular order; fewer when fewer values are finite.
    """
    if k == 1:
        top = int(vals.argmax())
        return np.asarray([top] if vals[top] > -np.inf else [], dtype=np.intp)
    finite = np.flatnonzero(vals > -np.inf)
    if finite.size <= k:
        return finite
    kth = np.partition(vals, vals.size - k)[vals.size - k]
    above = np.flatnonzero(vals > kth)
    ties = np.flatnonzero(vals == kth)[: k - above.size]
    return np.concatenate([above, ties])


class _Prefixes:
    """Every row's prefix of its preference list, in flat Python lists.

    Row ``i`` reads ``cols[pos[i]:end[i]]`` (the column proposed to) and
    ``rvals`` (that column's value of the row). Plain lists, because the
    proposal loop reads one entry at a time and numpy scalar access would
    dominate it. ``done[i]`` is true once row ``i`` has nothing left to
    propose beyond its prefix: its prefix is its whole list, or a scan found
    nothing.
    """

    def __init__(
        self, values: NDArray[np.float64], ru: NDArray[np.float64], k: int, group: int | None
    ) -> None:
        n_rows = values.shape[0]
        rows, cols, complete = _top_prefixes(values, k, group)
        counts = np.bincount(rows, minlength=n_rows)
        ends = np.cumsum(counts)
        self.cols: list[int] = cols.tolist()
        self.rvals: list[float] = ru[rows, cols].tolist()
        self.pos: list[int] = (ends - counts).tolist()
        self.end: list[int] = ends.tolist()
        self.done: list[bool] = complete.tolist()


def _top_prefixes(
    values: NDArray[np.float64], k: int, group: int | None = None
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_]]:
    """A prefix of each row's preference list, at most ``k`` long.

    The preference list of row ``i`` is its finite entries ordered by value
    descending, then by column. Returns the flat ``(rows, cols)`` of the
    prefixes, ordered by row and then as in the list; and whether each prefix
    is the whole list. Entries equal to -inf are forbidden pairs, never in a
    list.

    The prefix is the row's first ``k`` entries when its values are
    distinct. Ties cannot be ordered by value alone, so a prefix stops short
    of a tie it cannot see whole (it may even be empty, when every value is
    equal): what it leaves out is found later by scans.

    A selection over every entry of a large matrix costs about a quarter of
    a full sort, so each row's columns are first dealt into groups (see
    :func:`_group_size`) and the selection runs on the ``k`` groups with the
    largest maxima only. Every value above the largest maximum of the groups
    left out lies in the chosen groups; those entries are a prefix of the
    list, and so are the entries at least the pool's k-th largest value when
    that value is above every group left out.
    """
    n_rows, n_cols = values.shape
    if group is None:
        group = _group_size(n_cols, k) if k > 0 else 1
    n_groups_all = -(-n_cols // group)
    outside: NDArray[np.float64]
    if k == 0:
        cut = np.full(n_rows, np.inf)
        outside = np.full(n_rows, np.inf)
        pool_cols: NDArray[np.intp] = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
        pool_vals = values
    elif n_groups_all <= k:
        # Every column is in the pool.
        if n_cols <= k:
            cut = np.full(n_rows, -np.inf)
        else:
            cut = np.partition(values, n_cols - k, axis=1)[:, n_cols - k]
        outside = np.full(n_rows, -np.inf)
        pool_cols = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
        pool_vals = values
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
        cut = np.partition(pool_vals, width - k, axis=1)[:, width - k]
        np.put_along_axis(group_max, chosen, -np.inf, axis=1)
        outside = group_max.max(axis=1)

    keep = (pool_vals >= cut[:, None]) & (pool_vals > outside[:, None]) & (pool_vals > -np.inf)
    rows, slots = np.nonzero(keep)
    cols = pool_cols[rows, slots]
    order = np.lexsort((cols, -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    # Ties at the cut can make a prefix longer than k; any shorter prefix of
    # it is a prefix too.
    counts = np.bincount(rows, minlength=n_rows)
    rank = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
    short = rank < k
    # A pool with fewer than k finite values holds every group with a finite
    # maximum, so the row's whole list is in it.
    complete = (cut == -np.inf) & (counts <= k)
    return rows[short].astype(np.intp), cols[short].astype(np.intp), complete


def _group_size(n_cols: int, k: int) -> int:
    """Columns per group when selecting prefixes of ``k`` from ``n_cols``.

    The k chosen groups are worked on entry by entry, so together they should
    be a small share of the row (an eighth here); larger groups make the pass
    computing the group maxima cheaper.
    """
    return max(1, min(_MAX_GROUP, n_cols // (8 * k)))


class _Scanner:
    """Row ``i``'s next columns, among those that would accept it now.

    Holds, for each column, its worst held offer when it is full: the value
    ``worst`` and the row ``worst_row`` (-inf when it has room, +inf when it
    has no place at all). Column ``j`` accepts row ``i`` when
    ``(ru[i, j], -i) > (worst[j], -worst_row[j])``: a higher value, or an
    equal one from a lower row. The proposal loops keep their own state in
    Python lists and pass the columns that changed to :meth:`update` before
    each scan.
    """

    def __init__(
        self,
        values: NDArray[np.float64],
        ru: NDArray[np.float64],
        col_cap: NDArray[np.int64],
        lists: _Prefixes,
        k: int,
        forbidden: bool,
    ) -> None:
        self.values = values
        self.ru = ru
        self.lists = lists
        self.k = k
        self.forbidden = forbidden
        self.worst = np.where(col_cap == 0, np.inf, -np.inf)
        self.worst_row = np.full(col_cap.shape, values.shape[0], dtype=np.intp)

    def update(self, cols: list[int], worst: list[float], worst_row: list[int]) -> None:
        """Columns ``cols`` now have these worst held offers (repeats agree)."""
        self.worst[cols] = worst
        self.worst_row[cols] = worst_row

    def scan(self, i: int, exclude: list[int] | None = None) -> bool:
        """Give row ``i`` a new prefix: its best columns that would accept it now.

        The prefix is at most ``k`` long, and marked done when it holds every
        such column. Returns whether it is empty.
        """
        r = self.ru[i]
        # Those with a higher value, or an equal one held by a later row.
        cand = np.flatnonzero(r >= self.worst)
        cand = cand[(r[cand] > self.worst[cand]) | (self.worst_row[cand] > i)]
        if exclude:
            cand = cand[~np.isin(cand, exclude)]
        vals = self.values[i, cand]
        if self.forbidden:
            finite = vals > -np.inf
            cand, vals = cand[finite], vals[finite]
        lists = self.lists
        k = self.k
        if cand.size > k:
            # The k best by value, the lower columns first among equals.
            pick = _best(vals, k)
            cand, vals = cand[pick], vals[pick]
            lists.done[i] = False
        else:
            lists.done[i] = True
        if cand.size == 0:
            return True
        order = np.lexsort((cand, -vals))
        cand = cand[order]
        lists.pos[i] = len(lists.cols)
        lists.cols.extend(cand.tolist())
        lists.rvals.extend(r[cand].tolist())
        lists.end[i] = len(lists.cols)
        return False

    def scan_rows(self, rows: list[int], holding: list[list[int]] | None = None) -> None:
        """:meth:`scan` for many rows at once, in vectorised passes over blocks of rows.

        ``holding[i]``, when given, lists the columns row ``i`` holds.
        """
        lists = self.lists
        n_cols = self.values.shape[1]
        step = max(1, 2**20 // n_cols)
        for lo in range(0, len(rows), step):
            part = rows[lo : lo + step]
            index = np.asarray(part, dtype=np.intp)
            r = self.ru[index]
            accepts = (r > self.worst) | ((r == self.worst) & (self.worst_row > index[:, None]))
            vals = np.where(accepts, self.values[index], -np.inf)
            if holding is not None:
                for t, i in enumerate(part):
                    vals[t, holding[i]] = -np.inf
            local, cols, complete = _top_prefixes(vals, self.k)
            counts = np.bincount(local, minlength=len(part))
            starts = len(lists.cols) + np.cumsum(counts) - counts
            lists.cols.extend(cols.tolist())
            lists.rvals.extend(self.ru[index[local], cols].tolist())
            for i, start, count, whole in zip(
                part, starts.tolist(), counts.tolist(), complete.tolist(), strict=True
            ):
                lists.pos[i] = start
                lists.end[i] = start + count
                lists.done[i] = whole


def _one_to_one(
    lists: _Prefixes, scanner: _Scanner, n_rows: int, n_cols: int, few: int
) -> tuple[list[int], list[int]]:
    """Deferred acceptance when every capacity is 1."""
    cols, rvals, pos, end, done = lists.cols, lists.rvals, lists.pos, lists.end, lists.done
    held = [-1] * n_cols
    held_val = [0.0] * n_cols
    # Columns whose holder changed since the scanner last heard.
    changed: list[int] = []
    # The first time round, a row that runs out of prefix waits, and the
    # waiting rows are then scanned together; after that a row scans at once.
    starts: Sequence[int] = range(n_rows)
    waiting: list[int] = []
    defer = True
    rounds = accepted = 0
    while True:
        for start in starts:
            # A rejected holder proposes next at once: the chain ends when
            # someone lands on a free column or has nothing left to propose.
            i = start
            while True:
                p = pos[i]
                if p == end[i]:
                    if done[i]:
                        break
                    if defer:
                        waiting.append(i)
                        break
                    if changed:
                        scanner.update(
                            changed, [held_val[j] for j in changed], [held[j] for j in changed]
                        )
                        changed = []
                    if scanner.scan(i):
                        break
                    p = pos[i]
                pos[i] = p + 1
                j = cols[p]
                v = rvals[p]
                h = held[j]
                if h >= 0:
                    w = held_val[j]
                    if v < w or (v == w and i > h):
                        continue
                held[j] = i
                held_val[j] = v
                changed.append(j)
                accepted += 1
                if h < 0:
                    break
                i = h
        if not waiting:
            break
        scanner.update(changed, [held_val[j] for j in changed], [held[j] for j in changed])
        changed = []
        scanner.scan_rows(waiting)
        rounds += 1
        # A round in which few rows found a place is a sign that the rows rank
        # alike and keep meeting the same columns: scan one at a time then.
        productive = 4 * accepted >= len(starts)
        defer = productive and len(waiting) >= few and rounds < _ROUNDS
        accepted = 0
        starts, waiting = waiting, []
    matched_cols = [j for j in range(n_cols) if held[j] >= 0]
    return [held[j] for j in matched_cols], matched_cols


def _with_capacities(
    lists: _Prefixes, scanner: _Scanner, row_cap: list[int], col_cap: list[int], few: int
) -> tuple[list[int], list[int]]:
    """Deferred acceptance with any non-negative capacities."""
    cols, rvals, pos, end, done = lists.cols, lists.rvals, lists.pos, lists.end, lists.done
    n_rows = len(row_cap)
    free = list(row_cap)
    # Each column's held proposals as a min-heap of (value, -row): the top is
    # the one it likes least, the higher row index losing a tie.
    held: list[list[tuple[float, int]]] = [[] for _ in col_cap]
    # The columns each row holds, for the rows that may hold several (a scan
    # must not offer a row a column it already has).
    holding: list[list[int]] = [[] for _ in row_cap]
    changed: list[int] = []

    def sync() -> None:
        worst: list[float] = []
        worst_row: list[int] = []
        for j in changed:
            heap = held[j]
            if len(heap) < col_cap[j]:
                worst.append(_NEG_INF)
                worst_row.append(n_rows)
            else:
                worst.append(heap[0][0])
                worst_row.append(-heap[0][1])
        scanner.update(changed, worst, worst_row)
        changed.clear()

    # As in _one_to_one, rows that run out of prefix the first time round are
    # scanned together.
    starts: Sequence[int] = range(n_rows)
    waiting: list[int] = []
    defer = True
    rounds = accepted = 0
    while True:
        for start in starts:
            # A row is on the stack while it has a free place and something
            # left to propose; a row that gets a place back is pushed again.
            stack = [start]
            while stack:
                i = stack.pop()
                many = row_cap[i] > 1
                while free[i] > 0:
                    p = pos[i]
                    if p == end[i]:
                        if done[i]:
                            break
                        if defer:
                            waiting.append(i)
                            break
                        if changed:
                            sync()
                        if scanner.scan(i, holding[i] if many else None):
                            break
                        p = pos[i]
                    pos[i] = p + 1
                    j = cols[p]
                    offer = (rvals[p], -i)
                    heap = held[j]
                    if len(heap) < col_cap[j]:
                        heapq.heappush(heap, offer)
                    elif heap and offer > heap[0]:
                        h = -heapq.heapreplace(heap, offer)[1]
                        free[h] += 1
                        if row_cap[h] > 1:
                            holding[h].remove(j)
                        if free[h] == 1:
                            stack.append(h)
                    else:
                        continue
                    free[i] -= 1
                    if many:
                        holding[i].append(j)
                    changed.append(j)
                    accepted += 1
        if not waiting:
            break
        sync()
        scanner.scan_rows(waiting, holding)
        rounds += 1
        # A round in which few rows found a place is a sign that the rows rank
        # alike and keep meeting the same columns: scan one at a time then.
        productive = 4 * accepted >= len(starts)
        defer = productive and len(waiting) >= few and rounds < _ROUNDS
        accepted = 0
        starts, waiting = waiting, []
    rows_out: list[int] = []
    cols_out: list[int] = []
    for j, heap in enumerate(held):
        for _, neg_row in heap:
            rows_out.append(-neg_row)
            cols_out.append(j)
    return rows_out, cols_out
