"""Pairing cohorts too large for dense score matrices: :func:`match_large`.

:func:`~mentormatch.match` scores every pair into dense arrays, four of them
of ``n_students x n_managers`` floats: 3 GB each at 20,000 per side. This
module never holds one. It scores the cohort a block of students at a time
(:class:`~mentormatch.BlockScorer`), keeps what the method needs, and forgets
the block:

* ``method="hungarian"``: each student's best ``candidates`` allowed pairs
  and each manager's form a sparse candidate graph; the pairing on it comes
  with dual values that are then checked against every pair (*pricing*,
  :mod:`mentormatch.pricing`), adding the pairs that break them, until none
  does. The result carries a :class:`~mentormatch.pricing.Certificate`
  proving it has the most pairs and then the largest total of *all*
  pairings, not just of the candidates.
* ``method="stable"``: deferred acceptance whose preference lists are scored
  on demand, a batch of each proposer's next partners at a time
  (:func:`~mentormatch.solvers.lazy_deferred_acceptance`): the same pairs as
  ``match(scores, method="stable")``.

Memory: O((n_students + n_managers) x candidates) for the graph, plus one
block of rows (sized by ``memory_limit``) per worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import _parallel, solvers
from mentormatch._validation import (
    POSITIVE_INT,
    check_flag,
    check_number,
    check_option,
    describe,
    fail,
    param_where,
)
from mentormatch.blocks import BlockScorer
from mentormatch.cohort import Cohort
from mentormatch.matching import PROPOSERS, Matching, _fixed_pairs, _Options, _pair_items
from mentormatch.pricing import (
    CHUNK_PAIRS,
    Certificate,
    row_ranges,
    solve_priced,
    spread_of,
)
from mentormatch.scoring import Scorer, check_cohort_and_scorer
from mentormatch.solvers.sparse import max_matching_loads

__all__ = ["LARGE_METHODS", "match_large"]

#: The methods :func:`match_large` offers.
LARGE_METHODS = ("hungarian", "stable")

Index = NDArray[np.intp]
Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]

_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}

#: Bytes per pair of a piece of a block beyond its own scores: the float64 copy, the selection
#: keys and indices of the candidate pass (the pricing pass needs less). It sizes the tasks;
#: within a task the pieces hold at most CHUNK_PAIRS pairs, whatever the block.
_SCRATCH_PER_PAIR = 40


def _bytes(value: Any, name: str, owner: str) -> int:
    """A memory size: a positive number of bytes, or a string such as ``"2GB"``."""
    where = param_where(name, owner)
    if isinstance(value, str):
        found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?I?B?)\s*", value.upper())
        if not found or found.group(2) not in _UNITS:
            raise fail(where, "a size such as '2GB', '500MB' or a number of bytes", repr(value))
        size = float(found.group(1)) * _UNITS[found.group(2)]
    else:
        size = float(check_number(value, where, POSITIVE_INT))
    if size < 2**20:
        raise fail(where, "at least 1 MiB", describe(value))
    return int(size)


def match_large(
    cohort: Cohort,
    scorer: Scorer | None = None,
    *,
    method: str = "hungarian",
    proposer: str = "students",
    candidates: int = 32,
    fixed: Iterable[tuple[str, str]] | Mapping[str, str] | pd.DataFrame | None = None,
    executor: Any = None,
    progress: bool = False,
    memory_limit: int | str = "2GB",
) -> Matching:
    r"""Pair a cohort of any size, block by block, exactly.

    The result is what :func:`~mentormatch.match` gives on
    ``scorer.score(cohort)``, without the dense score arrays: for
    ``"hungarian"`` a pairing with the same number of pairs and the same
    total score (to :data:`~mentormatch.pricing.TOLERANCE` of the score
    spread), with a :attr:`~mentormatch.Matching.certificate` that proves it;
    for ``"stable"`` the identical pairs.

    Parameters
    ----------
    cohort : Cohort
    scorer : Scorer, optional
        Default ``Scorer()``. Every option except custom ``criteria`` and a
        callable ``allowed`` rule (see :class:`~mentormatch.BlockScorer`).
    method : {"hungarian", "stable"}, default "hungarian"
    proposer : {"students", "managers"}, default "students"
        The proposing side, for ``method="stable"``.
    candidates : int, default 32
        Pairs kept per student and per manager in the first candidate graph
        (``"hungarian"``), and the batch of next partners scored per
        proposer (``"stable"``). More costs memory and solver time, fewer
        costs pricing passes; the result is the same.
    fixed : iterable of (student_id, manager_id), mapping or DataFrame, optional
        Pairs that must be made, as in :func:`~mentormatch.match`.
    executor : concurrent.futures.Executor, optional
        Where to score and price the blocks of ``"hungarian"``: a
        ``ProcessPoolExecutor``, or a Dask cluster through
        ``dask.distributed.Client(...).get_executor()``. The encoded cohort
        travels once per worker on Dask (with every task on a process pool);
        the dual values once per pass. Default: here, one block after
        another. ``"stable"`` always runs here.
    progress : bool, default False
        Show a progress bar per pass (needs ``tqdm``, the ``progress`` extra).
    memory_limit : int or str, default "2GB"
        Memory for one block of scores, per worker: a number of bytes or a
        string such as ``"500MB"``. Blocks hold whole rows, so a block is at
        least one student's row.

    Returns
    -------
    Matching
        With the same columns, unmatched reasons and summary as
        :func:`~mentormatch.match`; its ``scores`` are computed on demand
        (:meth:`~mentormatch.BlockScorer.lazy_scores`). ``certificate``
        holds the proof for ``"hungarian"`` (None for ``"stable"``).

    Raises
    ------
    InvalidInputError
        On a bad argument, a scorer option the blocks cannot score, or
        capacities above 1 on both sides with ``"hungarian"``.
    InfeasibleError
        If a fixed pair is forbidden or over a capacity.

    See Also
    --------
    match : The same on dense scores, for cohorts that fit in memory.
    mentormatch.pricing : How the certificate proves optimality.

    Notes
    -----
    ``"hungarian"``: the candidate graph is each student's ``candidates``
    best allowed managers and each manager's best students (one pass over
    all pairs). :func:`~mentormatch.solvers.sparse_assignment` pairs it and
    returns dual values and a vertex cover; a pricing pass checks every
    allowed pair against them and adds, per student, the pairs that break
    them worst; the graph is solved again from the last prices; until a pass
    finds nothing. Each pass is one scoring pass over all pairs, so the time
    is (passes + 1) scoring passes plus the solves.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(60, 60, rng=0)
    >>> large = mm.match_large(cohort, candidates=8)
    >>> dense = mm.match(mm.Scorer().score(cohort))
    >>> len(large.pairs), round(large.total_score - dense.total_score, 9)
    (60, 0.0)
    >>> large.certificate.holds
    True
    """
    owner = "match_large"
    scorer = check_cohort_and_scorer(cohort, scorer, owner)
    check_option(method, "method", owner, LARGE_METHODS)
    check_option(proposer, "proposer", owner, PROPOSERS)
    candidates = int(check_number(candidates, param_where("candidates", owner), POSITIVE_INT))
    progress = bool(check_flag(progress, param_where("progress", owner)))
    budget = _bytes(memory_limit, "memory_limit", owner)
    executor = _parallel.check_executor(executor, owner)
    options = _Options(
        method=method,
        proposer=proposer,
        objective=None,
        fixed=_pair_items(fixed, "fixed", owner),
        forbid=(),
        previous=None,
        change_cost=None,
    )

    blocks = BlockScorer(scorer, cohort)
    scores = blocks.lazy_scores()
    s_cap, m_cap = cohort.student_capacity, cohort.manager_capacity
    fixed_rows, fixed_cols = _fixed_pairs(options.fixed, scores, s_cap, m_cap, scores.allowed)
    s_left = s_cap - np.bincount(fixed_rows, minlength=len(s_cap))
    m_left = m_cap - np.bincount(fixed_cols, minlength=len(m_cap))
    views = method == "stable"
    budget_pairs = max(1, budget // (blocks.bytes_per_pair(views) + _SCRATCH_PER_PAIR))
    read = _Reader(blocks, fixed_rows, fixed_cols, s_left > 0, m_left > 0)

    certificate: Certificate | None = None
    if method == "hungarian":
        if (s_left > 1).any() and (m_left > 1).any():
            raise fail(
                param_where("cohort", owner),
                "capacities above 1 on one side at most for method 'hungarian' "
                "(use match() on dense scores, or method 'stable')",
                f"{int((s_left > 1).sum())} students and {int((m_left > 1).sum())} managers "
                "with room for more than one partner",
            )
        rows, cols, certificate = _hungarian(
            read, cohort, s_left, m_left, candidates, budget_pairs, executor, progress
        )
    else:
        rows, cols = _stable(read, cohort, s_left, m_left, proposer, candidates, budget_pairs)

    rows = np.concatenate([rows.astype(np.intp), fixed_rows])
    cols = np.concatenate([cols.astype(np.intp), fixed_cols])
    is_fixed = np.zeros(len(rows), dtype=np.bool_)
    is_fixed[len(rows) - len(fixed_rows) :] = True
    order = np.lexsort((cols, rows))
    return Matching(
        rows=rows[order],
        cols=cols[order],
        fixed=is_fixed[order],
        scores=scores,
        method=method,
        proposer=proposer if method == "stable" else None,
        options=options,
        certificate=certificate,
    )


#: Rounds of :func:`_room_for_most_pairs` at most (each a maximum matching, seconds at
#: 100,000 per side); it stops sooner when no one is short or nothing is added.
_ROOM_ROUNDS = 16


class _Reader:
    """Rows of the scores with the pairs no one may add forbidden: fixed pairs (made already)
    and pairs of someone with no place left. Picklable: what travels to workers."""

    def __init__(
        self,
        blocks: BlockScorer,
        fixed_rows: Index,
        fixed_cols: Index,
        row_open: Mask,
        col_open: Mask,
    ) -> None:
        self.blocks = blocks
        self.fixed_rows = fixed_rows
        self.fixed_cols = fixed_cols
        self.row_open = row_open
        self.col_open = col_open

    def _open(self, allowed: Mask, rows: Index | slice, cols: Index | slice) -> Mask:
        """``allowed`` of the block ``rows x cols`` without the fixed pairs and the pairs of
        anyone with no place left (in place)."""
        allowed &= self.row_open[rows][:, None]
        allowed &= self.col_open[cols][None, :]
        at_row = _positions(rows, self.fixed_rows, len(self.row_open))
        at_col = _positions(cols, self.fixed_cols, len(self.col_open))
        inside = (at_row >= 0) & (at_col >= 0)
        allowed[at_row[inside], at_col[inside]] = False
        return allowed

    def __call__(self, start: int, stop: int) -> tuple[NDArray[Any], Mask]:
        block = self.blocks.block(slice(start, stop))
        return block.total, self._open(block.allowed, slice(start, stop), slice(None))

    def rows(self, index: Index, cols: Index | slice = slice(None)) -> tuple[NDArray[Any], Mask]:
        """Some students' rows (any order), as ``__call__`` gives a range of them; only the
        managers ``cols`` when given."""
        block = self.blocks.block(index, cols)
        return block.total, self._open(block.allowed, index, cols)

    def views(self, index: Index) -> tuple[NDArray[Any], NDArray[Any], Mask]:
        """Both views and the open allowed pairs of some students' rows."""
        block = self.blocks.block(index, views=True)
        allowed = self._open(block.allowed, index, slice(None))
        assert block.student_view is not None
        assert block.manager_view is not None
        return block.student_view, block.manager_view, allowed

    def column_views(self, index: Index) -> tuple[NDArray[Any], NDArray[Any], Mask]:
        """Both views and the open allowed pairs of some managers' columns, managers as rows."""
        block = self.blocks.block(slice(None), index, views=True)
        allowed = self._open(block.allowed, slice(None), index)
        assert block.student_view is not None
        assert block.manager_view is not None
        return block.manager_view.T, block.student_view.T, allowed.T


def _positions(index: Index | slice, values: Index, n: int) -> Index:
    """Where each of ``values`` stands in ``index`` (a slice or distinct positions), -1 if absent."""
    lookup = np.full(n, -1, dtype=np.intp)
    taken = np.arange(n)[index]
    lookup[taken] = np.arange(len(taken))
    return lookup[values]


class _ColumnBest:
    """Each column's ``k`` best entries offered so far, by key (ties: the first offered).

    Offers below a column's ``k``-th best key are dropped at once, so after
    the first blocks most of a block costs one comparison; the pool is cut
    back to ``k`` a column whenever it doubles.
    """

    def __init__(self, n_cols: int, k: int, floor: Floats | None = None) -> None:
        self.k = k
        # A column's k-th best key so far: offers at or below it cannot make its k best.
        self.floor = np.full(n_cols, -np.inf) if floor is None else floor.copy()
        empty = np.zeros(0, dtype=np.intp)
        # Offers are kept as they come and joined only when cut back, not at every offer.
        self._parts: list[tuple[Index, Index, Floats, Floats]] = [
            (empty, empty, np.zeros(0), np.zeros(0))
        ]
        self._size = 0
        self._limit = 2 * k * max(n_cols, 1)

    def offer(self, rows: Index, cols: Index, keys: Floats, weights: Floats) -> None:
        """Entries ``(rows[i], cols[i])`` with a selection key and a weight each."""
        above = keys > self.floor[cols]
        self._parts.append((rows[above], cols[above], keys[above], weights[above]))
        self._size += int(np.count_nonzero(above))
        if self._size > self._limit:
            self.cut()

    def merge(self, other: _ColumnBest) -> None:
        """Take ``other``'s entries, offered after this one's."""
        for part in other._parts:
            self.offer(*part)
        # Where other holds k entries above its floor, they all passed ours: its floor is
        # ours too (without a cut here).
        np.maximum(self.floor, other.floor, out=self.floor)

    def cut(self) -> None:
        """Keep only each column's ``k`` best (before sending it to another process)."""
        rows, cols, keys, weights = (
            np.concatenate(arrays) for arrays in zip(*self._parts, strict=True)
        )
        order = np.lexsort((-keys, cols))  # stable: equal keys keep their offer order
        rank = _group_rank(cols[order])
        kth = order[rank == self.k - 1]  # the k-th best of each full column
        self.floor[cols[kth]] = keys[kth]
        keep = order[rank < self.k]
        self._parts = [(rows[keep], cols[keep], keys[keep], weights[keep])]
        self._size = len(keep)

    def best(self) -> tuple[Index, Index, Floats]:
        """Rows, columns and weights of each column's ``k`` best entries."""
        self.cut()
        rows, cols, _keys, weights = self._parts[0]
        return rows, cols, weights


def _group_rank(groups: Index) -> Index:
    """Each entry's place in its run of equal values of ``groups`` (sorted): 0, 1, 2, ...

    Examples
    --------
    >>> _group_rank(np.array([3, 3, 5, 7, 7, 7]))
    array([0, 1, 0, 0, 1, 2])
    """
    if len(groups) == 0:
        return np.zeros(0, dtype=np.intp)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))


def _tie_keys(values: Floats, first_row: int, spread: float) -> Floats:
    """``values`` nudged apart where they tie, differently in each row, below ``2**-24`` of
    the spread: rows with the same best value then pick different managers among the tied
    ones, not all the same few. Used to choose candidates only, never as a weight."""
    b, m = values.shape
    bits = max(m, 1).bit_length()
    salt = (np.arange(first_row, first_row + b, dtype=np.int64) * 7919) & ((1 << bits) - 1)
    noise = np.bitwise_xor(salt[:, None], np.arange(m, dtype=np.int64)[None, :])
    keys: Floats = noise.astype(np.float64)
    keys *= spread * 2.0**-24 / (1 << bits)
    keys += values
    return keys


def _candidate_task(
    read: _Reader, start: int, stop: int, k: int, piece: int, floor: Floats
) -> tuple[Index, Index, Floats, float, float, _ColumnBest]:
    """Each row's ``k`` best open pairs in rows ``start:stop``, each column's ``k`` best
    rows among them that beat its ``floor`` (its k-th best key in the rows before), and the
    range of the open scores (``inf, -inf`` if none).

    The block is read about ``piece`` pairs at a time (at most
    :data:`~mentormatch.pricing.CHUNK_PAIRS`: a few MB that stay in the
    allocator's reused memory).
    """
    m = len(read.col_open)
    rows: list[Index] = []
    cols: list[Index] = []
    weights: list[Floats] = []
    lo, hi = np.inf, -np.inf
    by_column = _ColumnBest(m, k, floor)
    take = min(k, m)
    for a, b in row_ranges(stop - start, m, piece):
        total, allowed = read(start + a, start + b)
        values = np.array(total, dtype=np.float64)
        np.copyto(values, -np.inf, where=~allowed)
        if take == 0 or not allowed.any():
            continue
        lo = min(lo, float(np.min(values, where=allowed, initial=np.inf)))
        hi = max(hi, float(values.max()))
        keys = _tie_keys(values, start + a, spread_of(lo, hi))
        top = np.argpartition(keys, m - take, axis=1)[:, m - take :]
        picked = np.take_along_axis(values, top, axis=1)
        r, c = np.nonzero(np.isfinite(picked))
        rows.append(start + a + r)
        cols.append(top[r, c])
        weights.append(picked[r, c])
        # Each column's best rows of this piece (all of them in a piece of k rows or fewer),
        # then only those that beat its best so far.
        if b - a > k:
            keys_t = np.ascontiguousarray(keys.T)
            best = np.argpartition(keys_t, (b - a) - k, axis=1)[:, (b - a) - k :]
            c, j = np.nonzero(np.take_along_axis(keys_t, best, axis=1) > by_column.floor[:, None])
            r = best[c, j]
        else:
            r, c = np.nonzero(keys > by_column.floor[None, :])
        by_column.offer(start + a + r, c, keys[r, c], values[r, c])
    by_column.cut()
    empty = np.zeros(0, dtype=np.intp)
    if not rows:
        return empty, empty, np.zeros(0), lo, hi, by_column
    return (
        np.concatenate(rows).astype(np.intp),
        np.concatenate(cols).astype(np.intp),
        np.concatenate(weights),
        lo,
        hi,
        by_column,
    )


def _hungarian(
    read: _Reader,
    cohort: Cohort,
    s_left: NDArray[np.int64],
    m_left: NDArray[np.int64],
    k: int,
    budget_pairs: int,
    executor: Any,
    progress: bool,
) -> tuple[Index, Index, Certificate]:
    n, m = cohort.n_students, cohort.n_managers
    ranges = list(row_ranges(n, m, budget_pairs))
    by_column = _ColumnBest(m, k)
    # Each task starts from the managers' k-th best found so far (the arguments are made as
    # the tasks start), so that it offers only what can still make a manager's k best.
    results = _parallel.imap_tasks(
        _candidate_task,
        (
            (start, stop, k, min(budget_pairs, CHUNK_PAIRS), by_column.floor)
            for start, stop in ranges
        ),
        executor=executor,
        progress=progress,
        desc="candidates",
        owner="match_large",
        total=len(ranges),
        shared=(read,),
    )
    rows, cols, weights = [], [], []
    lo, hi = np.inf, -np.inf
    for r, c, w, block_lo, block_hi, block_columns in results:
        rows.append(r)
        cols.append(c)
        weights.append(w)
        lo, hi = min(lo, block_lo), max(hi, block_hi)
        by_column.merge(block_columns)
    r, c, w = by_column.best()
    rows.append(r)
    cols.append(c)
    weights.append(w)
    all_r = np.concatenate(rows).astype(np.intp)
    all_c = np.concatenate(cols).astype(np.intp)
    all_w = np.concatenate(weights)
    del rows, cols, weights, by_column, r, c, w  # not held through the pricing passes
    _keys, first = np.unique(all_r.astype(np.int64) * max(m, 1) + all_c, return_index=True)
    all_r, all_c, all_w = all_r[first], all_c[first], all_w[first]
    all_r, all_c, all_w = _room_for_most_pairs(read, n, m, all_r, all_c, all_w, s_left, m_left, k)
    bounds = (lo, hi) if lo <= hi else (0.0, 0.0)
    return solve_priced(
        read,
        (n, m),
        all_r,
        all_c,
        all_w,
        bounds,
        s_left,
        m_left,
        keep=k,
        budget_pairs=budget_pairs,
        executor=executor,
        progress=progress,
    )


def _room_for_most_pairs(
    read: _Reader,
    n: int,
    m: int,
    rows: Index,
    cols: Index,
    weights: NDArray[np.float64],
    s_left: NDArray[np.int64],
    m_left: NDArray[np.int64],
    k: int,
) -> tuple[Index, Index, NDArray[np.float64]]:
    """Add pairs until the candidates hold a matching of the most pairs the rules allow.

    Students left with room by a maximum matching of the candidates get their
    ``k`` best allowed managers among those left with room, and one more
    spread over them: the i-th such student the i-th such manager (a step
    further each round). The spread pair matters when everyone's best are
    the same few managers (correlated scores, the usual case): best pairs
    alone then add a few dozen pairs a round, and 100,000 per side was left
    133 short after eight rounds. Repeated while that adds pairs and someone
    is short. A graph short of the most pairs makes the auction fight over
    the scarce managers (prices climbing ``eps`` at a time) and keeps every
    re-solve from starting from a pairing of everyone; pricing would add the
    pairs anyway (an allowed pair with neither end covered breaks the
    proof), a pass later and at that cost. With forbidden pairs the most
    pairs can need augmenting paths through pairs that no one's best list
    holds; those are left to pricing.
    """
    width = max(m, 1)
    for attempt in range(_ROOM_ROUNDS):
        row_load, col_load = max_matching_loads(n, m, rows, cols, s_left, m_left)
        short = np.flatnonzero(row_load < s_left)
        room = col_load < m_left
        open_cols = np.flatnonzero(room)
        if len(short) == 0 or len(open_cols) == 0:
            break
        new_r, new_c, new_w = [], [], []
        n_open = len(open_cols)
        step = max(1, (1 << 22) // n_open)
        take = min(k, n_open)
        for start in range(0, len(short), step):
            who = short[start : start + step]
            total, allowed = read.rows(who, open_cols)  # only the managers with room
            values = np.where(allowed, total.astype(np.float64), -np.inf)
            top = np.argpartition(values, n_open - take, axis=1)[:, n_open - take :]
            spread = (np.arange(start, start + len(who)) + attempt) % n_open
            picked_c = np.concatenate([top, spread[:, None]], axis=1)
            picked = np.take_along_axis(values, picked_c, axis=1)
            r, c = np.nonzero(np.isfinite(picked))
            new_r.append(who[r])
            new_c.append(open_cols[picked_c[r, c]])
            new_w.append(picked[r, c])
        add_r = np.concatenate(new_r).astype(np.intp)
        add_c = np.concatenate(new_c).astype(np.intp)
        keys, first = np.unique(add_r.astype(np.int64) * width + add_c, return_index=True)
        fresh = first[~np.isin(keys, rows.astype(np.int64) * width + cols)]
        if len(fresh) == 0:
            break
        rows = np.concatenate([rows, add_r[fresh]])
        cols = np.concatenate([cols, add_c[fresh]])
        weights = np.concatenate([weights, np.concatenate(new_w)[fresh]])
    return rows, cols, weights


def _stable(
    read: _Reader,
    cohort: Cohort,
    s_left: NDArray[np.int64],
    m_left: NDArray[np.int64],
    proposer: str,
    batch: int,
    budget_pairs: int,
) -> tuple[Index, Index]:
    n, m = cohort.n_students, cohort.n_managers
    if proposer == "students":
        ask = solvers.candidates_from_rows(read.views, m, block_size=budget_pairs)
        return solvers.lazy_deferred_acceptance(
            n, m, ask, s_left, m_left, batch=batch, screen=True
        )
    ask = solvers.candidates_from_rows(read.column_views, n, block_size=budget_pairs)
    managers, students = solvers.lazy_deferred_acceptance(
        m, n, ask, m_left, s_left, batch=batch, screen=True
    )
    return students, managers
