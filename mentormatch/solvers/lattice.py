r"""The lattice of stable matchings: every stable matching, and the best one.

:func:`~mentormatch.solvers.gale_shapley` gives one stable matching, the one
best for the proposing side. There are usually many more, and they form a
distributive lattice whose two ends are the proposer-optimal and the
receiver-optimal matchings. Its structure is captured by the *rotations*
(Gusfield & Irving [1]_): small cyclic exchanges that move each proposer in the
cycle to its next stable partner. Every stable matching is obtained from the
proposer-optimal one by eliminating exactly the rotations of one *closed set*
(a set that contains every rotation preceding one of its members) of the
rotation poset, and every closed set gives a different stable matching.

* :func:`stable_matchings` walks the closed sets and yields every stable
  matching once;
* :func:`best_stable` finds the stable matching best for an objective: a
  maximum-weight closed set, i.e. a minimum cut (Picard [2]_; Irving, Leather
  & Gusfield [3]_), for the largest total weight and the smallest sum of ranks,
  and a threshold search for the smallest worst rank.

Inputs and conventions are those of :func:`~mentormatch.solvers.gale_shapley`:
utilities (higher is better), an ``allowed`` mask for incomplete lists, and
capacities. Preferences are made strict by breaking ties towards the lower
index, exactly as ``gale_shapley`` does, and "stable" means stable for those
strict preferences (every such matching is also weakly stable for the
original utilities, but a weakly stable matching that relies on a tie broken
the other way is not listed).

How capacities are handled (the standard reduction, Gusfield & Irving [1]_,
section 1.6.5). A side with capacities is *cloned*: column *j* with capacity
:math:`b_j` becomes copies :math:`(j, 0), \dots, (j, b_j - 1)`; each row ranks
the copies of *j* together, at *j*'s place in its list, in copy order; every
copy ranks the rows as *j* does (rows are cloned the same way when they are
the side with capacities). The cloned instance is one-to-one. Its stable
matchings correspond one to one to the stable matchings of the original:

* in a stable cloned matching the copies of *j* are filled in order, and
  *j*'s better partners sit in the lower copies: if copy *t* were empty or
  held a partner *j* likes less than that of copy *t' > t*, the partner of
  *t'* and copy *t* would block (that partner ranks *t* above *t'*);
* such an *ordered* cloned matching is stable if and only if the matching it
  projects to is: a pair :math:`(i, j)` blocks the original exactly when *j*
  has a free place (then the first empty copy and *i* block the clone) or
  *j* prefers *i* to its worst partner (then the last copy and *i* block); and
  conversely a cloned blocking pair ``(i, (j, t))`` needs *i* not to be with
  *j* already (copies are ordered) and copy *t* to be empty or to hold a
  partner *j* likes less than *i*, which makes :math:`(i, j)` block.

Each ordered cloned matching comes from exactly one original matching, so the
enumeration yields no duplicates. The reduction needs the *other* side to have
capacity one: if both sides had capacities above one, a row and a column
could be paired twice through two pairs of copies, so that case is refused
(with an :class:`~mentormatch.exceptions.InvalidInputError`) rather than
answered wrongly. Capacities are first clipped to the number of allowed
partners, which changes no stable matching.

References
----------
.. [1] D. Gusfield and R. W. Irving, *The Stable Marriage Problem: Structure
   and Algorithms*, MIT Press, 1989.
.. [2] J.-C. Picard, "Maximal closure of a graph and applications to
   combinatorial problems", *Management Science* 22(11):1268-1272, 1976.
.. [3] R. W. Irving, P. Leather and D. Gusfield, "An efficient algorithm for
   the 'optimal' stable marriage", *Journal of the ACM* 34(3):532-543, 1987.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._validation import check_option, describe, fail, param_where
from mentormatch.solvers._inputs import matrix_like_utility, two_sided_inputs
from mentormatch.solvers.stable import gale_shapley

__all__ = ["best_stable", "stable_matchings"]

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]

_OBJECTIVES = ("total", "egalitarian", "regret")


def stable_matchings(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> Iterator[Pairs]:
    r"""Every stable matching, each exactly once, as ``(rows, cols)``.

    Rows are the proposers and columns the receivers, as in
    :func:`gale_shapley`; stability is defined there. The first matching
    yielded is the proposer-optimal one (``gale_shapley``'s answer); the
    others follow in a fixed order, each obtained from the proposer-optimal
    matching by eliminating the rotations of one closed set of the rotation
    poset [1]_.

    Parameters
    ----------
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is row *i*'s value of column *j*. Higher is
        better; ties are broken towards the lower column.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is column *j*'s value of row *i* (same
        shape, not transposed); ties are broken towards the lower row.
    allowed : array-like of bool of shape (n_rows, n_cols), optional
        ``False`` where a pair may not be formed. Default: every pair allowed.
    proposer_capacity : int or array-like of int of shape (n_rows,), optional
        How many columns each row may hold (default 1).
    receiver_capacity : int or array-like of int of shape (n_cols,), optional
        How many rows each column may hold (default 1). At most one side may
        have capacities above 1 (see the module docstring).

    Returns
    -------
    iterator of (rows, cols)
        Each matching as two intp arrays, ``rows`` sorted and ``cols``
        ascending within a row. The inputs are checked and the rotations
        found when this function is called; the matchings are produced one
        at a time as the iterator is advanced.

    Raises
    ------
    InvalidInputError
        If the inputs are malformed (as for :func:`gale_shapley`), or both
        sides have a capacity above 1 (after clipping capacities to the
        number of allowed partners).

    See Also
    --------
    best_stable : The stable matching best for an objective.
    gale_shapley : The proposer-optimal stable matching alone.

    Notes
    -----
    Finding the rotations and their poset takes :math:`O(nm)` time [1]_,
    plus sorting the stretch of each list between an agent's two extreme
    stable partners (a small share of the list on random preferences); each
    further matching costs at most one pass over the rotations. Their number can grow exponentially with
    the size of the instance, so on large instances take only what you need
    (:func:`itertools.islice`).

    References
    ----------
    .. [1] D. Gusfield and R. W. Irving, *The Stable Marriage Problem:
       Structure and Algorithms*, MIT Press, 1989.

    Examples
    --------
    The first example of Gale and Shapley has three stable matchings: each
    row's first choice, each column's first choice, and one in between.

    >>> import numpy as np
    >>> from mentormatch.solvers import stable_matchings
    >>> proposer_utility = np.array([[3, 2, 1], [1, 3, 2], [2, 1, 3]])
    >>> receiver_utility = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    >>> for rows, cols in stable_matchings(proposer_utility, receiver_utility):
    ...     print(rows, cols)
    [0 1 2] [0 1 2]
    [0 1 2] [1 2 0]
    [0 1 2] [2 0 1]
    """
    lattice = _build(
        proposer_utility,
        receiver_utility,
        allowed,
        proposer_capacity,
        receiver_capacity,
        "stable_matchings",
    )
    return _enumerate(lattice)


def best_stable(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    objective: str = "total",
    weights: ArrayLike | None = None,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> Pairs:
    r"""The stable matching best for an objective, exactly.

    Among all stable matchings (as in :func:`stable_matchings`), returns one
    that is best for ``objective``. Write :math:`r_i(j)` for the rank of
    column *j* in row *i*'s list of allowed columns and :math:`r_j(i)` for
    the rank of row *i* in column *j*'s list (1 = first choice, ties broken
    towards the lower index):

    * ``"total"``: the largest :math:`\sum_{(i,j) \in M} w_{ij}`;
    * ``"egalitarian"``: the smallest :math:`\sum_{(i,j) \in M} r_i(j) + r_j(i)`;
    * ``"regret"``: the smallest :math:`\max_{(i,j) \in M} \max(r_i(j), r_j(i))`.

    Every stable matching pairs the same rows and columns the same number of
    times (the "rural hospitals" theorem), so none of these objectives can be
    improved by leaving someone out. When several stable matchings are best,
    the one returned is the best of them for the proposers (it eliminates the
    fewest rotations).

    Parameters
    ----------
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is row *i*'s value of column *j*. Higher is
        better; ties are broken towards the lower column.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is column *j*'s value of row *i*; ties are
        broken towards the lower row.
    objective : {"total", "egalitarian", "regret"}, default "total"
        What "best" means (see above).
    weights : array-like of shape (n_rows, n_cols), optional
        The weights of ``"total"`` (finite). Default: the sum of both
        utilities, ``proposer_utility + receiver_utility`` (added exactly).
        Only meaningful for ``"total"``; passing it with another objective
        is an error.
    allowed : array-like of bool of shape (n_rows, n_cols), optional
        ``False`` where a pair may not be formed. Default: every pair allowed.
    proposer_capacity : int or array-like of int of shape (n_rows,), optional
        How many columns each row may hold (default 1).
    receiver_capacity : int or array-like of int of shape (n_cols,), optional
        How many rows each column may hold (default 1). At most one side may
        have capacities above 1.

    Returns
    -------
    rows : ndarray of intp of shape (n_pairs,)
        Row index of each pair, sorted ascending.
    cols : ndarray of intp of shape (n_pairs,)
        Column index of each pair, ascending within each row.

    Raises
    ------
    InvalidInputError
        If the inputs are malformed (as for :func:`gale_shapley`), ``objective``
        is not one of the three, ``weights`` is malformed or given with an
        objective other than ``"total"``, or both sides have a capacity above 1.

    See Also
    --------
    stable_matchings : Every stable matching.
    gale_shapley : The proposer-optimal stable matching.
    hungarian : The largest total weight without the stability requirement.

    Notes
    -----
    **Total and egalitarian.** Both objectives are sums over pairs, so
    eliminating a rotation changes them by a fixed amount, its *gain*
    (:math:`\sum` of the new pairs' values minus the old ones'). The best
    stable matching is the proposer-optimal one plus a closed set of
    rotations of largest total gain, found as a minimum *s-t* cut (Picard's
    maximum-weight closure [2]_, as Irving, Leather and Gusfield [3]_ do for
    the egalitarian objective): a source arc to each rotation of positive
    gain, an arc to the sink from each of negative gain, and an unbounded arc
    from each rotation to each rotation that must precede it. The rotations
    on the source side of a minimum cut (those reachable from the source in
    the residual graph of a maximum flow, which is the smallest optimal set)
    are eliminated.

    The cut is computed exactly. Ranks are integers; float weights are turned
    into integers without rounding (each float is an integer times a power of
    two, so all of them are integers over their largest denominator) and the
    gains are summed as Python integers. The maximum flow is our own Dinic
    algorithm on those integers: each phase ends with a blocking flow of the
    level graph, and there are at most as many phases as nodes, so it
    terminates after a number of steps bounded by the size of the graph,
    whatever the magnitudes, with no tolerance anywhere.
    :func:`scipy.sparse.csgraph.maximum_flow` is not used: it accepts integer
    capacities only (32-bit), which float weights scaled exactly overflow.

    **Regret.** A row's partners only get worse, and a column's only better,
    as rotations are eliminated. So "every rank at most :math:`\theta`" asks
    certain rotations to be eliminated (the one that moves each column to a
    partner it ranks within :math:`\theta`) and forbids others (the one that
    would move each row past rank :math:`\theta`). It is feasible exactly
    when the smallest closed set containing the required rotations contains
    no forbidden one. Feasibility is monotone in :math:`\theta`, so a binary
    search over the ranks that occur finds the smallest feasible
    :math:`\theta`, and that smallest closed set is returned. This is exact
    (integers only) and takes :math:`O(\log(nm))` passes over the poset.

    References
    ----------
    .. [1] D. Gusfield and R. W. Irving, *The Stable Marriage Problem:
       Structure and Algorithms*, MIT Press, 1989.
    .. [2] J.-C. Picard, "Maximal closure of a graph and applications to
       combinatorial problems", *Management Science* 22(11):1268-1272, 1976.
    .. [3] R. W. Irving, P. Leather and D. Gusfield, "An efficient algorithm
       for the 'optimal' stable marriage", *Journal of the ACM*
       34(3):532-543, 1987.
    .. [4] D. Gusfield, "Three fast algorithms for four problems in stable
       marriage", *SIAM Journal on Computing* 16(1):111-128, 1987.

    Examples
    --------
    In the first example of Gale and Shapley every stable matching has the
    same ranks in total, but the middle one has the smallest worst rank:

    >>> import numpy as np
    >>> from mentormatch.solvers import best_stable
    >>> proposer_utility = np.array([[3, 2, 1], [1, 3, 2], [2, 1, 3]])
    >>> receiver_utility = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    >>> best_stable(proposer_utility, receiver_utility, objective="regret")
    (array([0, 1, 2]), array([1, 2, 0]))

    With weights, the largest total among the stable matchings:

    >>> weights = np.array([[0, 0, 5], [5, 0, 0], [0, 5, 0]])
    >>> best_stable(proposer_utility, receiver_utility, weights=weights)
    (array([0, 1, 2]), array([2, 0, 1]))
    """
    owner = "best_stable"
    check_option(objective, "objective", owner, _OBJECTIVES)
    lattice = _build(
        proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity, owner
    )
    if weights is not None:
        if objective != "total":
            raise fail(
                param_where("weights", owner),
                "None unless objective is 'total'",
                describe(np.asarray(weights)),
            )
        w = matrix_like_utility(weights, "weights", owner, lattice.shape)
    if objective == "regret":
        chosen = _min_regret(lattice)
    else:
        gains = _gains(lattice, objective, None if weights is None else w)
        chosen = _max_closure(gains, lattice.preds)
    return _project(lattice, _apply(lattice, chosen))


# --------------------------------------------------------------------------
# The cloned one-to-one instance and its rotations
# --------------------------------------------------------------------------


@dataclass
class _Lattice:
    """The rotations of the cloned instance, in the order they were found.

    Clone rows and columns are numbered consecutively per original row and
    column (``crow_orig``/``crow_copy`` and ``ccol_orig``/``ccol_copy`` map
    them back). ``row0``/``col0`` are the partners in the proposer-optimal
    matching (-1 for none). Rotation ``k`` moves clone row ``rot_rows[k][q]``
    from clone column ``rot_old[k][q]`` to ``rot_new[k][q]``; ``preds[k]``
    lists rotations that must be eliminated before it (a subgraph of the
    poset with the same transitive closure). The order of discovery is a
    linear extension of the poset: every predecessor has a smaller number.
    """

    shape: tuple[int, int]
    pu: NDArray[np.float64]
    ru: NDArray[np.float64]
    mask: NDArray[np.bool_] | None
    ok: NDArray[np.bool_]
    rowrank: NDArray[np.signedinteger[Any]]
    colrank: NDArray[np.signedinteger[Any]]
    row_flat: NDArray[np.intp]
    row_ptr: NDArray[np.intp]
    col_flat: NDArray[np.intp]
    col_ptr: NDArray[np.intp]
    crow_orig: NDArray[np.intp]
    crow_copy: NDArray[np.intp]
    ccol_orig: NDArray[np.intp]
    ccol_copy: NDArray[np.intp]
    row0: list[int]
    col0: list[int]
    rot_rows: list[list[int]]
    rot_old: list[list[int]]
    rot_new: list[list[int]]
    preds: list[list[int]]
    row_partners: list[list[int]]
    row_chain: list[list[int]]
    col_partners: list[list[int]]
    col_chain: list[list[int]]


def _extremes(
    own: NDArray[np.intp],
    other: NDArray[np.intp],
    values: NDArray[np.float64],
    n: int,
    *,
    best: bool,
) -> NDArray[np.intp]:
    """Each agent's best (or worst) partner among the pairs ``(own, other)``, -1 if none.

    ``values[a, b]`` is agent ``a``'s value of ``b``; ties go to the lower index.
    """
    out = np.full(n, -1, dtype=np.intp)
    if own.size:
        v = values[own, other]
        # Best first within each agent; the first (or last) entry of each agent.
        order = np.lexsort((other, -v, own))
        agents = own[order]
        starts = np.flatnonzero(np.r_[True, agents[1:] != agents[:-1]])
        pick = starts if best else np.r_[starts[1:], agents.size] - 1
        out[agents[pick]] = other[order][pick]
    return out


def _range_ranks(
    values: NDArray[np.float64],
    ok: NDArray[np.bool_],
    first: NDArray[np.intp],
    last: NDArray[np.intp],
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.intp], NDArray[np.intp]]:
    """Positions in each row's list, counted from ``first``, up to ``last``.

    Row ``a``'s list is its allowed columns, higher values first, ties towards
    the lower index. Only the stretch from ``first[a]`` to ``last[a]``
    (inclusive) is ever walked, so only it is sorted: its entries get their
    position counted from ``first[a]`` (0, 1, ...), the allowed entries before
    it -1, everything else ``n_cols`` (after every position). Returns those
    ranks and the stretches themselves, flat: row ``a``'s is
    ``flat[ptr[a]:ptr[a + 1]]``. Rows with ``first = -1`` have no stretch.

    Sorting the stretches instead of whole lists is what keeps this cheap: on
    random preferences a stretch is a small share of the list.
    """
    n_rows, n_cols = values.shape
    dtype = np.int32 if values.size < 2**31 else np.int64
    ranks = np.full((n_rows, n_cols), n_cols, dtype=dtype)
    if n_rows == 0 or n_cols == 0:
        return ranks, np.empty(0, dtype=np.intp), np.zeros(n_rows + 1, dtype=np.intp)
    has = first >= 0
    index = np.arange(n_cols)[None, :]
    rows_all = np.arange(n_rows)
    f = np.where(has, first, 0)
    lz = np.where(has, last, 0)
    v_first = values[rows_all, f][:, None]
    v_last = values[rows_all, lz][:, None]
    after_first = (values < v_first) | ((values == v_first) & (index >= f[:, None]))
    before_last = (values > v_last) | ((values == v_last) & (index <= lz[:, None]))
    usable = ok & has[:, None]
    ranks[usable & ~after_first] = -1
    inside = usable & after_first & before_last
    del after_first, before_last
    a, b = np.nonzero(inside)
    order = np.lexsort((b, -values[a, b], a))
    a, b = a[order], b[order]
    ptr = np.searchsorted(a, np.arange(n_rows + 1)).astype(np.intp)
    ranks[a, b] = (np.arange(a.size) - ptr[a]).astype(dtype)
    return ranks, b.astype(np.intp), ptr


def _build(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    allowed: ArrayLike | None,
    proposer_capacity: ArrayLike | None,
    receiver_capacity: ArrayLike | None,
    owner: str,
) -> _Lattice:
    """Check the inputs, clone the side with capacities and find every rotation."""
    pu, ru, mask, row_cap, col_cap = two_sided_inputs(
        proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity, owner
    )
    n, m = pu.shape
    ok = np.ones((n, m), dtype=bool) if mask is None else mask.copy()
    ok &= (row_cap > 0)[:, None] & (col_cap > 0)[None, :]
    rcap = np.minimum(row_cap, ok.sum(axis=1)).astype(np.intp)
    ccap = np.minimum(col_cap, ok.sum(axis=0)).astype(np.intp)
    if rcap.max(initial=0) > 1 and ccap.max(initial=0) > 1:
        raise fail(
            f"parameters 'proposer_capacity' and 'receiver_capacity' of {owner}",
            "capacities above 1 on one side at most (a row and a column could "
            "otherwise be paired twice in the cloned instance)",
            f"up to {int(rcap.max())} for a row and {int(ccap.max())} for a column "
            "(after clipping to the number of allowed partners)",
        )
    crow_orig = np.repeat(np.arange(n, dtype=np.intp), rcap)
    ccol_orig = np.repeat(np.arange(m, dtype=np.intp), ccap)
    row_start = np.concatenate([[0], np.cumsum(rcap)]).astype(np.intp)
    col_start = np.concatenate([[0], np.cumsum(ccap)]).astype(np.intp)
    crow_copy = np.arange(crow_orig.size, dtype=np.intp) - row_start[crow_orig]
    ccol_copy = np.arange(ccol_orig.size, dtype=np.intp) - col_start[ccol_orig]

    def cloned(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> tuple[list[int], list[int]]:
        # The ordered cloned matching: a row's partners in its order of
        # preference go to its copies 0, 1, ...; the same for columns.
        by_row = np.lexsort((cols, -pu[rows, cols], rows))
        s = np.empty(rows.size, dtype=np.intp)
        s[by_row] = np.arange(rows.size) - np.searchsorted(rows[by_row], rows[by_row])
        by_col = np.lexsort((rows, -ru[rows, cols], cols))
        t = np.empty(rows.size, dtype=np.intp)
        t[by_col] = np.arange(rows.size) - np.searchsorted(cols[by_col], cols[by_col])
        crows = row_start[rows] + s
        ccols = col_start[cols] + t
        row_partner = [-1] * crow_orig.size
        col_partner = [-1] * ccol_orig.size
        for r, c in zip(crows.tolist(), ccols.tolist(), strict=True):
            row_partner[r] = c
            col_partner[c] = r
        return row_partner, col_partner

    rows0, cols0 = gale_shapley(pu, ru, allowed=ok, proposer_capacity=rcap, receiver_capacity=ccap)
    colsz, rowsz = gale_shapley(
        ru.T, pu.T, allowed=ok.T, proposer_capacity=ccap, receiver_capacity=rcap
    )
    row0, col0 = cloned(rows0, cols0)
    rowsz, colsz = np.asarray(rowsz, dtype=np.intp), np.asarray(colsz, dtype=np.intp)
    rowz, _ = cloned(rowsz, colsz)
    # Each row's stable partners lie between its best partner in the
    # proposer-optimal matching and its worst in the receiver-optimal one;
    # each column's between its best in the latter and its worst in the former.
    row_best, row_worst = (
        _extremes(rows0, cols0, pu, n, best=True),
        _extremes(rowsz, colsz, pu, n, best=False),
    )
    col_best, col_worst = (
        _extremes(colsz, rowsz, ru.T, m, best=True),
        _extremes(cols0, rows0, ru.T, m, best=False),
    )
    rowrank, row_flat, row_ptr = _range_ranks(pu, ok, row_best, row_worst)
    # Contiguous copies: every pass over the transposed views would stride.
    colrank_t, col_flat, col_ptr = _range_ranks(
        np.ascontiguousarray(ru.T), np.ascontiguousarray(ok.T), col_best, col_worst
    )
    colrank = colrank_t.T
    if [c >= 0 for c in row0] != [c >= 0 for c in rowz]:
        raise RuntimeError(
            "best_stable/stable_matchings: internal error, the two extreme stable "
            "matchings do not pair the same agents"
        )
    lattice = _Lattice(
        shape=(n, m),
        pu=pu,
        ru=ru,
        mask=mask,
        ok=ok,
        rowrank=rowrank,
        colrank=colrank,
        row_flat=row_flat,
        row_ptr=row_ptr,
        col_flat=col_flat,
        col_ptr=col_ptr,
        crow_orig=crow_orig,
        crow_copy=crow_copy,
        ccol_orig=ccol_orig,
        ccol_copy=ccol_copy,
        row0=row0,
        col0=col0,
        rot_rows=[],
        rot_old=[],
        rot_new=[],
        preds=[],
        row_partners=[[c] if c >= 0 else [] for c in row0],
        row_chain=[[] for _ in row0],
        col_partners=[[r] if r >= 0 else [] for r in col0],
        col_chain=[[] for _ in col0],
    )
    _Rotations(lattice, rowz, ccap, col_start).find()
    _precedence(lattice, rcap)
    return lattice


class _Rotations:
    """Every rotation, by a walk from the proposer-optimal to the receiver-optimal matching.

    Gusfield & Irving's algorithm [1]_ (section 3.2): for a matched clone row
    *r* not yet at its last stable partner, :math:`s(r)` is the first column
    after its partner that prefers *r* to its own partner, and
    :math:`next(r)` is that column's partner. Rows are pushed along ``next``
    until one repeats; the cycle is an exposed rotation, which is eliminated
    (each row in it moves to its :math:`s`), and the walk goes on from the
    row below it. A column's partners only improve, so the scan for
    :math:`s(r)` never needs to look back, and no row is scanned past its
    receiver-optimal partner (:math:`s(r)` is never after it).
    """

    def __init__(
        self,
        lattice: _Lattice,
        rowz: list[int],
        ccap: NDArray[np.intp],
        col_start: NDArray[np.intp],
    ) -> None:
        self.lat = lattice
        self.rowz = rowz
        self.ccap = ccap
        self.col_start = col_start
        n_copies = int(ccap.max(initial=1))
        self.col_copies = max(1, n_copies)
        self.row_copies = max(1, int(np.bincount(lattice.crow_orig).max(initial=1)))
        self.row_flat = lattice.row_flat
        self.row_ptr = lattice.row_ptr
        self.prow = list(lattice.row0)
        self.pcol = np.asarray(lattice.col0, dtype=np.intp)
        self.last = [self.row_key(r, c) if c >= 0 else 0 for r, c in enumerate(rowz)]
        self.skip = [self.row_key(r, c) + 1 if c >= 0 else 0 for r, c in enumerate(self.prow)]

    def row_key(self, r: int, c: int) -> int:
        """Clone row ``r``'s position key for clone column ``c`` (smaller is preferred)."""
        lat = self.lat
        i = int(lat.crow_orig[r])
        j = int(lat.ccol_orig[c])
        return int(lat.rowrank[i, j]) * self.col_copies + int(lat.ccol_copy[c])

    def find_s(self, r: int) -> int:
        """The first clone column after ``r``'s scan position that prefers ``r`` to its partner."""
        lat = self.lat
        i = int(lat.crow_orig[r])
        lo, hi = self.skip[r], self.last[r]
        k = self.col_copies
        base = int(self.row_ptr[i])
        js = self.row_flat[base + lo // k : base + hi // k + 1]
        copies = self.ccap[js]
        if k == 1:
            cands = self.col_start[js]
            keys = lat.rowrank[i, js]
        else:
            total = int(copies.sum())
            offsets = np.arange(total) - np.repeat(np.cumsum(copies) - copies, copies)
            cands = np.repeat(self.col_start[js], copies) + offsets
            keys = np.repeat(lat.rowrank[i, js], copies) * k + offsets
            inside = (keys >= lo) & (keys <= hi)
            cands, keys = cands[inside], keys[inside]
        holders = self.pcol[cands]
        if (holders < 0).any():
            raise RuntimeError("stable lattice: internal error, a column in range has no partner")
        j_of = lat.ccol_orig[cands]
        r_copy = int(lat.crow_copy[r])
        mine = lat.colrank[i, j_of] * self.row_copies + r_copy
        theirs = (
            lat.colrank[lat.crow_orig[holders], j_of] * self.row_copies + lat.crow_copy[holders]
        )
        better = np.flatnonzero(mine < theirs)
        if better.size == 0:
            raise RuntimeError("stable lattice: internal error, no exposed rotation for a row")
        first = int(better[0])
        self.skip[r] = int(keys[first])
        return int(cands[first])

    def find(self) -> None:
        """Find and record every rotation (see the class docstring)."""
        lat = self.lat
        prow, pcol, rowz = self.prow, self.pcol, self.rowz
        n_rows = len(prow)
        on_stack = [False] * n_rows
        s_of = [-1] * n_rows
        stack: list[int] = []
        pending: list[int] = []
        scan = 0
        while True:
            if not stack:
                start = -1
                while pending:
                    x = pending.pop()
                    if prow[x] != rowz[x]:
                        start = x
                        break
                if start < 0:
                    while scan < n_rows and prow[scan] == rowz[scan]:
                        scan += 1
                    if scan == n_rows:
                        return
                    start = scan
                stack.append(start)
                on_stack[start] = True
            top = stack[-1]
            c = self.find_s(top)
            s_of[top] = c
            nxt = int(pcol[c])
            if not on_stack[nxt]:
                stack.append(nxt)
                on_stack[nxt] = True
                continue
            cycle: list[int] = []
            while True:
                x = stack.pop()
                on_stack[x] = False
                cycle.append(x)
                if x == nxt:
                    break
            cycle.reverse()
            old = [prow[x] for x in cycle]
            new = [s_of[x] for x in cycle]
            k = len(lat.rot_rows)
            for x, c_new in zip(cycle, new, strict=True):
                prow[x] = c_new
                pcol[c_new] = x
                self.skip[x] = self.row_key(x, c_new) + 1
                lat.row_partners[x].append(c_new)
                lat.row_chain[x].append(k)
                lat.col_partners[c_new].append(x)
                lat.col_chain[c_new].append(k)
                if c_new != rowz[x]:
                    pending.append(x)
            lat.rot_rows.append(cycle)
            lat.rot_old.append(old)
            lat.rot_new.append(new)


def _precedence(lat: _Lattice, rcap: NDArray[np.intp]) -> None:
    """The predecessors of each rotation (Gusfield & Irving, section 3.3).

    Two rules give a graph whose transitive closure is the rotation poset:

    1. the rotations that move one row come in a chain, each before the next;
    2. if rotation :math:`\\sigma` moves column *c* from a partner it likes
       less than row *r* to one it likes more, and *r*'s list has *c* strictly
       between two consecutive stable partners, then :math:`\\sigma` precedes
       the rotation that moves *r* past *c*: until *c* has left the partners
       it likes less than *r*, *c* would take *r*, so *r* cannot move past it.
    """
    n_rot = len(lat.rot_rows)
    lat.preds = [[] for _ in range(n_rot)]
    if n_rot == 0:
        return
    pred_parts: list[NDArray[np.intp]] = []
    succ_parts: list[NDArray[np.intp]] = []
    for chain in lat.row_chain:
        if len(chain) > 1:
            pred_parts.append(np.asarray(chain[:-1], dtype=np.intp))
            succ_parts.append(np.asarray(chain[1:], dtype=np.intp))

    n_cols_orig = lat.shape[1]
    col_copies = max(1, int(np.bincount(lat.ccol_orig).max(initial=1)))
    row_copies = max(1, int(rcap.max(initial=1)))
    col_flat, col_ptr = lat.col_flat, lat.col_ptr
    row_start = np.concatenate([[0], np.cumsum(rcap)]).astype(np.intp)

    # Every clone row's stable partners as keys, concatenated: row r's keys
    # sit at flat[start[r]:start[r + 1]], increasing.
    key_span = (n_cols_orig + 1) * col_copies
    flat_rows: list[int] = []
    flat_cols: list[int] = []
    flat_rot: list[int] = []
    for r, partners in enumerate(lat.row_partners):
        flat_rows.extend([r] * len(partners))
        flat_cols.extend(partners)
        flat_rot.extend([*lat.row_chain[r], -1][: len(partners)])
    fr = np.asarray(flat_rows, dtype=np.int64)
    fc = np.asarray(flat_cols, dtype=np.intp)
    flat_key = fr * key_span + (
        lat.rowrank[lat.crow_orig[fr], lat.ccol_orig[fc]] * col_copies + lat.ccol_copy[fc]
    )
    flat_rot_arr = np.asarray(flat_rot, dtype=np.intp)
    row_first = np.searchsorted(fr, np.arange(len(lat.row_partners)), side="left")
    row_end = np.searchsorted(fr, np.arange(len(lat.row_partners)), side="right")

    t_rows: list[NDArray[np.intp]] = []
    t_cols: list[NDArray[np.intp]] = []
    t_rot: list[NDArray[np.intp]] = []
    for sigma, (cycle, new) in enumerate(zip(lat.rot_rows, lat.rot_new, strict=True)):
        size = len(cycle)
        for q in range(size):
            c = new[q]
            p_new = cycle[q]
            p_old = cycle[(q + 1) % size]
            j = int(lat.ccol_orig[c])
            i_new, i_old = int(lat.crow_orig[p_new]), int(lat.crow_orig[p_old])
            lo = int(lat.colrank[i_new, j])
            hi = int(lat.colrank[i_old, j])
            base = int(col_ptr[j])
            between = col_flat[base + lo : base + hi + 1]
            if row_copies == 1:
                crows = row_start[between]
                keys = lat.colrank[between, j]
                k_new, k_old = lo, hi
            else:
                copies = rcap[between]
                total = int(copies.sum())
                offsets = np.arange(total) - np.repeat(np.cumsum(copies) - copies, copies)
                crows = np.repeat(row_start[between], copies) + offsets
                keys = np.repeat(lat.colrank[between, j], copies) * row_copies + offsets
                k_new = lo * row_copies + int(lat.crow_copy[p_new])
                k_old = hi * row_copies + int(lat.crow_copy[p_old])
            inside = (keys > k_new) & (keys < k_old)
            if inside.any():
                crows = crows[inside]
                t_rows.append(crows)
                t_cols.append(np.full(crows.size, c, dtype=np.intp))
                t_rot.append(np.full(crows.size, sigma, dtype=np.intp))
    if t_rows:
        tr = np.concatenate(t_rows).astype(np.int64)
        tc = np.concatenate(t_cols)
        ts = np.concatenate(t_rot)
        query = tr * key_span + (
            lat.rowrank[lat.crow_orig[tr], lat.ccol_orig[tc]] * col_copies + lat.ccol_copy[tc]
        )
        pos = np.searchsorted(flat_key, query, side="left")
        first = row_first[tr]
        end = row_end[tr]
        inner = (pos > first) & (pos < end)
        exact = np.zeros(pos.size, dtype=bool)
        exact[inner] = flat_key[pos[inner]] == query[inner]
        use = inner & ~exact
        # Between stable partners k-1 and k: the rotation that moves r off k-1.
        tau = flat_rot_arr[pos[use] - 1]
        pred_parts.append(ts[use])
        succ_parts.append(tau)
    if not pred_parts:
        return
    pairs = np.unique(
        np.column_stack([np.concatenate(pred_parts), np.concatenate(succ_parts)]), axis=0
    )
    if (pairs[:, 0] >= pairs[:, 1]).any():
        raise RuntimeError("stable lattice: internal error, a precedence against the found order")
    for a, b in pairs.tolist():
        lat.preds[b].append(a)


# --------------------------------------------------------------------------
# Walking the lattice
# --------------------------------------------------------------------------


def _project(lat: _Lattice, row_partner: list[int]) -> Pairs:
    """The original pairs of a cloned matching, rows sorted then columns."""
    crows = np.asarray([r for r, c in enumerate(row_partner) if c >= 0], dtype=np.intp)
    ccols = np.asarray([c for c in row_partner if c >= 0], dtype=np.intp)
    rows = lat.crow_orig[crows] if crows.size else np.empty(0, dtype=np.intp)
    cols = lat.ccol_orig[ccols] if ccols.size else np.empty(0, dtype=np.intp)
    order = np.lexsort((cols, rows))
    return rows[order].astype(np.intp), cols[order].astype(np.intp)


def _apply(lat: _Lattice, chosen: list[bool]) -> list[int]:
    """Each clone row's partner after eliminating the chosen rotations (a closed set)."""
    partner = list(lat.row0)
    for k, take in enumerate(chosen):
        if take:
            for x, c in zip(lat.rot_rows[k], lat.rot_new[k], strict=True):
                partner[x] = c
    return partner


def _enumerate(lat: _Lattice) -> Iterator[Pairs]:
    """Every closed set of rotations, as its matching.

    Rotations are numbered along a linear extension of the poset, so a set
    decided rotation by rotation (excluded first, then included when all
    its predecessors are) is closed at every step and never reaches a dead
    end. The sets are visited like a binary counter: the deepest rotation
    that is excluded and could be included is switched on, and every deeper
    one switched off. Switched-on rotations are always the most recent ones
    applied, so switching them off undoes them in the reverse order.
    """
    partner = list(lat.row0)
    n_rot = len(lat.rot_rows)
    included = [False] * n_rot
    yield _project(lat, partner)
    while True:
        k = n_rot - 1
        while k >= 0:
            if included[k]:
                for x, c in zip(lat.rot_rows[k], lat.rot_old[k], strict=True):
                    partner[x] = c
                included[k] = False
            elif all(included[p] for p in lat.preds[k]):
                break
            k -= 1
        if k < 0:
            return
        for x, c in zip(lat.rot_rows[k], lat.rot_new[k], strict=True):
            partner[x] = c
        included[k] = True
        yield _project(lat, partner)


# --------------------------------------------------------------------------
# Objectives
# --------------------------------------------------------------------------


def _exact_integers(values: list[float]) -> list[int]:
    """The floats as integers over one common denominator, with no rounding.

    A finite float is ``numerator / 2**e``; over the largest such
    denominator every value is an integer, and sums of them are exact.
    """
    ratios = [v.as_integer_ratio() for v in values]
    den = max((d for _, d in ratios), default=1)
    return [num * (den // d) for num, d in ratios]


def _pair_ranks(
    lat: _Lattice, i: NDArray[np.intp], j: NDArray[np.intp]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Both sides' 0-based ranks of the pairs ``(i, j)`` in the ``allowed`` lists, as stated.

    Counted directly (how many allowed partners come first, ties towards the
    lower index), a block of pairs at a time. Partners with no capacity
    count too, so that a first choice stays a first choice.
    """
    stated = np.ones(lat.shape, dtype=bool) if lat.mask is None else lat.mask
    n, m = lat.shape
    row_r = np.zeros(i.size, dtype=np.int64)
    col_r = np.zeros(i.size, dtype=np.int64)
    step = max(1, 2**22 // max(n, m, 1))
    cols_idx = np.arange(m)[None, :]
    rows_idx = np.arange(n)[None, :]
    for start in range(0, i.size, step):
        ii, jj = i[start : start + step], j[start : start + step]
        pv = lat.pu[ii]
        mine = lat.pu[ii, jj][:, None]
        ahead = (pv > mine) | ((pv == mine) & (cols_idx < jj[:, None]))
        row_r[start : start + step] = (ahead & stated[ii]).sum(axis=1)
        rv = lat.ru[:, jj].T
        mine = lat.ru[ii, jj][:, None]
        ahead = (rv > mine) | ((rv == mine) & (rows_idx < ii[:, None]))
        col_r[start : start + step] = (ahead & stated[:, jj].T).sum(axis=1)
    return row_r, col_r


def _gains(lat: _Lattice, objective: str, weights: NDArray[np.float64] | None) -> list[int]:
    """Each rotation's exact change in the objective (to be maximised)."""
    old_i: list[int] = []
    old_j: list[int] = []
    new_i: list[int] = []
    new_j: list[int] = []
    sizes: list[int] = []
    for cycle, old, new in zip(lat.rot_rows, lat.rot_old, lat.rot_new, strict=True):
        sizes.append(len(cycle))
        for x, c_old, c_new in zip(cycle, old, new, strict=True):
            old_i.append(int(lat.crow_orig[x]))
            old_j.append(int(lat.ccol_orig[c_old]))
            new_i.append(int(lat.crow_orig[x]))
            new_j.append(int(lat.ccol_orig[c_new]))
    oi, oj = np.asarray(old_i, dtype=np.intp), np.asarray(old_j, dtype=np.intp)
    ni, nj = np.asarray(new_i, dtype=np.intp), np.asarray(new_j, dtype=np.intp)
    if objective == "egalitarian":
        old_r, old_c = _pair_ranks(lat, oi, oj)
        new_r, new_c = _pair_ranks(lat, ni, nj)
        old_v = (-(old_r + old_c)).tolist()
        new_v = (-(new_r + new_c)).tolist()
    else:
        if weights is None:
            parts = [lat.pu[oi, oj], lat.ru[oi, oj], lat.pu[ni, nj], lat.ru[ni, nj]]
        else:
            parts = [weights[oi, oj], np.zeros(oi.size), weights[ni, nj], np.zeros(ni.size)]
        exact = _exact_integers(np.concatenate(parts).tolist())
        q = oi.size
        old_v = [a + b for a, b in zip(exact[:q], exact[q : 2 * q], strict=True)]
        new_v = [a + b for a, b in zip(exact[2 * q : 3 * q], exact[3 * q :], strict=True)]
    gains: list[int] = []
    at = 0
    for size in sizes:
        gains.append(sum(new_v[at : at + size]) - sum(old_v[at : at + size]))
        at += size
    return gains


def _max_closure(gains: list[int], preds: list[list[int]]) -> list[bool]:
    """The smallest closed set of largest total gain (Picard's minimum cut), exactly.

    Nodes are the rotations, plus a source and a sink; see the Notes of
    :func:`best_stable`.
    """
    n = len(gains)
    source, sink = n, n + 1
    graph = _FlowGraph(n + 2)
    unbounded = sum(g for g in gains if g > 0) + 1
    for k, g in enumerate(gains):
        if g > 0:
            graph.add(source, k, g)
        elif g < 0:
            graph.add(k, sink, -g)
        for p in preds[k]:
            graph.add(k, p, unbounded)
    graph.max_flow(source, sink)
    reach = graph.reachable(source)
    return reach[:n]


class _FlowGraph:
    """A directed graph with integer capacities, and Dinic's maximum flow on it.

    Arcs are stored in pairs (arc ``e`` and its reverse ``e ^ 1``); capacities
    are Python integers, so nothing is ever rounded.
    """

    def __init__(self, n: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.cap: list[int] = []

    def add(self, u: int, v: int, capacity: int) -> None:
        self.adj[u].append(len(self.head))
        self.head.append(v)
        self.cap.append(capacity)
        self.adj[v].append(len(self.head))
        self.head.append(u)
        self.cap.append(0)

    def _levels(self, source: int) -> list[int]:
        level = [-1] * len(self.adj)
        level[source] = 0
        queue = deque([source])
        head, cap, adj = self.head, self.cap, self.adj
        while queue:
            u = queue.popleft()
            for e in adj[u]:
                v = head[e]
                if cap[e] > 0 and level[v] < 0:
                    level[v] = level[u] + 1
                    queue.append(v)
        return level

    def reachable(self, source: int) -> list[bool]:
        """The nodes reachable from ``source`` along arcs with capacity left."""
        return [lv >= 0 for lv in self._levels(source)]

    def max_flow(self, source: int, sink: int) -> int:
        """Dinic's algorithm: blocking flows in level graphs until the sink is unreachable.

        Each phase raises the sink's distance, so there are fewer phases than
        nodes; within a phase each augmentation saturates an arc of the level
        graph or retires a node, so every loop is bounded by the graph size.
        """
        head, cap, adj = self.head, self.cap, self.adj
        flow = 0
        while True:
            level = self._levels(source)
            if level[sink] < 0:
                return flow
            nxt = [0] * len(adj)
            path: list[int] = []
            u = source
            while True:
                if u == sink:
                    push = min(cap[e] for e in path)
                    for e in path:
                        cap[e] -= push
                        cap[e ^ 1] += push
                    flow += push
                    # Retreat to the tail of the first saturated arc.
                    cut = next(q for q, e in enumerate(path) if cap[e] == 0)
                    del path[cut:]
                    u = source if not path else head[path[-1]]
                    continue
                edges = adj[u]
                i = nxt[u]
                while i < len(edges):
                    e = edges[i]
                    if cap[e] > 0 and level[head[e]] == level[u] + 1:
                        break
                    i += 1
                nxt[u] = i
                if i < len(edges):
                    path.append(edges[i])
                    u = head[edges[i]]
                    continue
                # Dead end: retire u from this phase.
                level[u] = -1
                if not path:
                    break
                path.pop()
                u = source if not path else head[path[-1]]


def _min_regret(lat: _Lattice) -> list[bool]:
    """The smallest closed set whose matching has the smallest worst rank (see best_stable)."""
    n_rot = len(lat.rot_rows)
    # Every stable pair is some row's stable partner: rank them all at once.
    pi = [int(lat.crow_orig[r]) for r, cs in enumerate(lat.row_partners) for _ in cs]
    pj = [int(lat.ccol_orig[c]) for cs in lat.row_partners for c in cs]
    row_r, col_r = _pair_ranks(lat, np.asarray(pi, dtype=np.intp), np.asarray(pj, dtype=np.intp))
    rank_of = {
        (a, b): (int(x) + 1, int(y) + 1)
        for a, b, x, y in zip(pi, pj, row_r.tolist(), col_r.tolist(), strict=True)
    }

    def row_ranks(r: int) -> list[int]:
        i = int(lat.crow_orig[r])
        return [rank_of[i, int(lat.ccol_orig[c])][0] for c in lat.row_partners[r]]

    def col_ranks(c: int) -> list[int]:
        j = int(lat.ccol_orig[c])
        return [rank_of[int(lat.crow_orig[r]), j][1] for r in lat.col_partners[c]]

    rows = [(row_ranks(r), lat.row_chain[r]) for r in range(len(lat.row_partners))]
    cols = [(col_ranks(c), lat.col_chain[c]) for c in range(len(lat.col_partners))]
    candidates = sorted({x for ranks, _ in rows + cols for x in ranks})
    if not candidates:
        return [False] * n_rot

    def closed_set(theta: int) -> list[bool] | None:
        forbidden = [False] * n_rot
        for ranks, chain in rows:
            if ranks and ranks[0] > theta:
                return None
            for k in range(len(chain)):
                if ranks[k + 1] > theta:
                    forbidden[chain[k]] = True
                    break
        chosen = [False] * n_rot
        todo: list[int] = []
        for ranks, chain in cols:
            if ranks and ranks[-1] > theta:
                return None
            first = next((k for k, x in enumerate(ranks) if x <= theta), 0)
            if first > 0 and not chosen[chain[first - 1]]:
                chosen[chain[first - 1]] = True
                todo.append(chain[first - 1])
        while todo:
            k = todo.pop()
            if forbidden[k]:
                return None
            for p in lat.preds[k]:
                if not chosen[p]:
                    chosen[p] = True
                    todo.append(p)
        return chosen

    # The largest candidate is feasible (it constrains nothing), and
    # feasibility is monotone: find the first feasible one.
    lo, hi = 0, len(candidates) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if closed_set(candidates[mid]) is None:
            lo = mid + 1
        else:
            hi = mid
    best = closed_set(candidates[lo])
    if best is None:
        raise RuntimeError("stable lattice: internal error, no stable matching within every rank")
    return best
