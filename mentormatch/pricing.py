r"""Proving a pairing optimal without the dense scores: candidate graphs, pricing, certificates.

The Hungarian objective (most pairs, then the largest total) has a short
proof of optimality: a number per student and per manager (the *dual
values* :math:`u_i, v_j`), with

.. math::

    w_{ij} + c \le u_i + v_j \ \text{for every allowed pair not chosen},
    \qquad w_{ij} + c \ge u_i + v_j \ \text{for every pair chosen},

both non-negative and positive only where a capacity is used up (*c* is
the solver's ``offset``), plus a vertex cover (König) showing that no
pairing has more pairs. Summing the inequalities shows that no pairing
beats the chosen one. Checking them needs one pass over the pairs, a block
at a time, and never the whole matrix at once.

So a large cohort is solved on a **candidate graph** (each student's best
``candidates`` allowed pairs and each manager's), then **priced**: every
allowed pair is checked against the dual values, block by block; the pairs
that break the bound (or escape the cover) join the candidates and the
sparse problem is solved again from the previous prices. When a pass finds
none, the dual values prove the pairing optimal over *all* pairs: that
pass is the :class:`Certificate`.

The loop ends: each pass either adds a pair never seen before or finds none
(a pair that breaks the bound yet is already a candidate means the solver
missed its own tolerance; the loop then stops and the certificate reports
the violation instead of looping). There are finitely many pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentormatch import _parallel, solvers
from mentormatch._validation import describe, fail, param_where
from mentormatch.solvers.sparse import solve_checked, sorted_contains

__all__ = ["TOLERANCE", "Certificate"]

Index = NDArray[np.intp]
Floats = NDArray[np.float64]
Mask = NDArray[np.bool_]

#: How far a pair may break its bound in a certificate that holds, relative to the score spread.
TOLERANCE = 1e-9

#: With pairs to add, also add those within this share of the spread below their bound.
NEAR = 0.05

#: Pairs a row may add in a pass, as multiples of ``keep``: the first pass (whose dual values,
#: from the candidates alone, break about a fifth of all pairs) and the later ones (which break
#: few rows, most of them rows that had more breakers and near pairs than they could add the
#: pass before). Measured on make_cohort scores: 10,000 per side 4 passes -> 3, 30,000 per
#: side 6 -> 4; the pairs added stay O(rows x keep).
FIRST_KEEP, LATER_KEEP = 4, 16

#: Pairs per piece of a block: a block is read and checked a few MB at a time, which stay in
#: the allocator's reused memory and the cache instead of fresh pages for every block.
CHUNK_PAIRS = 1 << 21

#: ``read(start, stop)`` gives rows ``start:stop`` of the weights and of the allowed mask.
BlockReader = Callable[[int, int], tuple[NDArray[Any], Mask]]


@dataclass(frozen=True, repr=False, eq=False)
class Certificate:
    """A proof that a pairing has the most pairs and then the largest total score.

    Made by :func:`~mentormatch.match_large`, or by :func:`~mentormatch.match`
    with ``certify=True``. Check it again on any pairing of the same cohort
    with :meth:`check`.

    Attributes
    ----------
    student_dual, manager_dual : ndarray of float64
        The dual values: every allowed pair not chosen has
        ``score + offset <= student_dual[i] + manager_dual[j]``, every chosen
        pair ``>=``. ``inf`` for someone with no place left to fill.
    offset : float
        Added to every score so that the values also rank "more pairs" first.
    student_cover, manager_cover : ndarray of bool
        A vertex cover of the allowed pairs (König): every allowed pair
        between two people with places has a covered end, which proves that
        no pairing has more pairs.
    max_violation : float
        The largest amount, relative to the spread of the allowed scores,
        by which a pair broke its bound in the last pass (0 when none).
    holds : bool
        Whether ``max_violation <= TOLERANCE`` (1e-9; or the rounding of
        the check itself when the scores are huge next to their spread),
        no allowed pair
        escaped the cover, and no dual value is negative or positive on a
        place left free. The total is then within ``max_violation *
        spread * (n_pairs + 1)`` of the best possible.
    passes : int
        Pricing passes made (the last one found nothing to add).
    pairs_priced : int
        Allowed pairs checked, over all passes.
    candidates : int
        Pairs in the final candidate graph.
    added : int
        Pairs that pricing added to the first candidate graph.
    spread : float
        The spread of the allowed scores (the scale of ``max_violation``).

    Examples
    --------
    >>> import mentormatch as mm
    >>> scores = mm.Scorer().score(mm.make_cohort(30, 30, rng=0))
    >>> pairing = mm.match(scores, certify=True)
    >>> pairing.certificate.holds
    True
    >>> pairing.certificate.check(pairing)
    True
    """

    student_dual: Floats
    manager_dual: Floats
    offset: float
    student_cover: Mask
    manager_cover: Mask
    max_violation: float
    holds: bool
    passes: int
    pairs_priced: int
    candidates: int
    added: int
    spread: float

    def __repr__(self) -> str:
        verdict = "holds" if self.holds else "does NOT hold"
        return (
            f"Certificate({verdict}; max violation {self.max_violation:.1e} of the spread, "
            f"{self.passes} pricing passes, {self.pairs_priced} pairs priced, "
            f"{self.added} candidates added)"
        )

    def check(self, matching: Any, *, executor: Any = None) -> bool:
        """Whether these dual values prove ``matching`` optimal: one pass over every pair.

        Parameters
        ----------
        matching : Matching
            A pairing of the cohort this certificate was made for.
        executor : concurrent.futures.Executor, optional
            Where to run the blocks (see :func:`~mentormatch.match_large`).

        Returns
        -------
        bool
            True when no allowed pair breaks its bound by more than
            :data:`TOLERANCE` of the spread, no chosen pair falls short of
            it by more, every allowed pair has a covered end, and the dual
            values are non-negative and zero on every free place.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(20, 20, rng=1))
        >>> pairing = mm.match(scores, certify=True)
        >>> worse = mm.match(scores, method="stable")
        >>> pairing.certificate.check(pairing), pairing.certificate.check(worse)
        (True, False)
        """
        if not hasattr(matching, "scores") or not hasattr(matching, "rows"):
            raise fail(
                param_where("matching", "Certificate.check"), "a Matching", describe(matching)
            )
        scores = matching.scores
        cohort = scores.cohort
        if (cohort.n_students, cohort.n_managers) != (
            len(self.student_dual),
            len(self.manager_dual),
        ):
            raise fail(
                param_where("matching", "Certificate.check"),
                f"a pairing of {len(self.student_dual)} x {len(self.manager_dual)} people",
                f"{cohort.n_students} x {cohort.n_managers}",
            )
        # Fixed pairs are made before the pairing: the proof is about the places left.
        fixed = np.asarray(getattr(matching, "fixed", np.zeros(len(matching.rows), bool)), bool)
        fixed_rows, fixed_cols = matching.rows[fixed], matching.cols[fixed]
        s_cap = cohort.student_capacity - np.bincount(fixed_rows, minlength=cohort.n_students)
        m_cap = cohort.manager_capacity - np.bincount(fixed_cols, minlength=cohort.n_managers)
        verdict = price(
            _scores_reader(scores, fixed_rows, fixed_cols),
            (cohort.n_students, cohort.n_managers),
            matching.rows[~fixed],
            matching.cols[~fixed],
            self,
            s_cap,
            m_cap,
            executor=executor,
        )
        return verdict.holds


@dataclass(frozen=True)
class _Dual:
    """What a pricing pass checks against (the solver's result, in cohort terms)."""

    row_dual: Floats
    col_dual: Floats
    offset: float
    row_cover: Mask
    col_cover: Mask


@dataclass(frozen=True)
class _Pass:
    """One pricing pass: pairs to add, and the certificate's figures."""

    rows: Index
    cols: Index
    weights: Floats
    worst: float  # largest absolute violation
    broken: int  # pairs above the tolerance, or outside the cover
    priced: int
    holds: bool


def _scores_reader(scores: Any, fixed_rows: Index, fixed_cols: Index) -> BlockReader:
    """Rows of a Scores' ``total`` and ``allowed`` (dense or computed on demand), with the
    fixed pairs forbidden (they are made already)."""

    def read(start: int, stop: int) -> tuple[NDArray[Any], Mask]:
        allowed = np.array(scores.allowed[start:stop], dtype=bool)
        here = (fixed_rows >= start) & (fixed_rows < stop)
        allowed[fixed_rows[here] - start, fixed_cols[here]] = False
        return np.asarray(scores.total[start:stop]), allowed

    return read


class _DenseReader:
    """Rows of dense weights and an allowed mask."""

    def __init__(self, weights: NDArray[Any], allowed: Mask) -> None:
        self.weights = weights
        self.allowed = allowed

    def __call__(self, start: int, stop: int) -> tuple[NDArray[Any], Mask]:
        return self.weights[start:stop], self.allowed[start:stop]


def certify_dense(
    weights: NDArray[Any],
    allowed: Mask,
    rows: Index,
    cols: Index,
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
    *,
    candidates: int = 16,
) -> Certificate:
    """A certificate for a pairing made on dense weights (``match(..., certify=True)``).

    The candidate graph is each row's best pairs plus the pairing itself, so
    the optimum is usually in it at once; pricing adds what is missing. The
    figures (``max_violation``, ``holds``) are those of the given pairing.
    """
    if (row_capacity > 1).any() and (col_capacity > 1).any():
        raise fail(
            param_where("certify", "match"),
            "False when both sides have capacities above 1 (not supported)",
            "True",
        )
    n, m = weights.shape
    values = np.where(allowed, weights.astype(np.float64), -np.inf)
    take = min(candidates, m)
    cand_r = [np.asarray(rows, np.intp)]
    cand_c = [np.asarray(cols, np.intp)]
    if take and n:
        top = np.argpartition(-values, take - 1, axis=1)[:, :take]
        picked = np.take_along_axis(values, top, axis=1)
        r, k = np.nonzero(np.isfinite(picked))
        cand_r.append(r.astype(np.intp))
        cand_c.append(top[r, k].astype(np.intp))
    all_r = np.concatenate(cand_r)
    all_c = np.concatenate(cand_c)
    _, first = np.unique(all_r.astype(np.int64) * max(m, 1) + all_c, return_index=True)
    all_r, all_c = all_r[first], all_c[first]
    bounds = finite_bounds(values[allowed])
    read = _DenseReader(weights, allowed)
    _, _, proof = solve_priced(
        read,
        (n, m),
        all_r,
        all_c,
        values[all_r, all_c],
        bounds,
        row_capacity,
        col_capacity,
        keep=candidates,
    )
    verdict = price(read, (n, m), rows, cols, proof, row_capacity, col_capacity)
    return replace(proof, max_violation=verdict.worst / proof.spread, holds=verdict.holds)


def tolerance(spread: float, offset: float, row_dual: Floats, col_dual: Floats) -> float:
    """How far a pair may break its bound: :data:`TOLERANCE` of the spread, or the rounding of
    the check itself (sums of numbers the size of the dual values), whichever is larger."""
    size = abs(offset)
    for dual in (row_dual, col_dual):
        finite = dual[np.isfinite(dual)]
        size += float(np.abs(finite).max(initial=0.0))
    return max(TOLERANCE * spread, 64 * float(np.finfo(np.float64).eps) * size)


def spread_of(low: float, high: float) -> float:
    """The scale of a violation: the spread of the scores, or their size if all are equal."""
    return high - low if high > low else max(abs(high), 1.0)


def row_ranges(n_rows: int, n_cols: int, budget_pairs: int) -> Iterator[tuple[int, int]]:
    """Blocks of whole rows holding at most about ``budget_pairs`` pairs each."""
    step = max(1, budget_pairs // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield start, min(start + step, n_rows)


def price_block(
    read: BlockReader,
    start: int,
    stop: int,
    dual: _Dual,
    chosen_rows: Index,
    chosen_cols: Index,
    tol: float,
    keep: int,
    piece: int = CHUNK_PAIRS,
    known: Index | None = None,
) -> tuple[Index, Index, Floats, float, float, int, int]:
    """Check rows ``start:stop`` against the dual values and the cover.

    Returns the pairs to add (at most ``keep`` per row, the worst),
    their weights, the largest violation of an unchosen pair, the largest
    shortfall of a chosen pair, the number of pairs breaking the bound or
    the cover, and the number of allowed pairs priced. The rows are read
    about ``piece`` pairs at a time. ``known``: sorted keys ``row * n_cols +
    col`` of pairs never to add (the candidates already), which still count
    as breakers.
    """
    n_cols = len(dual.col_dual)
    here = (chosen_rows >= start) & (chosen_rows < stop)
    chosen_rows, chosen_cols = chosen_rows[here], chosen_cols[here]
    rows: list[Index] = []
    cols: list[Index] = []
    weights: list[Floats] = []
    worst = short = 0.0
    broken = priced = 0
    if known is None:
        known = np.zeros(0, dtype=np.int64)
    width = max(n_cols, 1)  # as the keys are made
    cols_finite = bool(np.isfinite(dual.col_dual).all())  # once, not once a piece
    for a, b in row_ranges(stop - start, n_cols, piece):
        lo, hi = np.searchsorted(known, [(start + a) * width, (start + b) * width])
        block = _price_rows(
            read,
            start + a,
            start + b,
            dual,
            chosen_rows,
            chosen_cols,
            tol,
            keep,
            known[lo:hi],
            cols_finite,
        )
        r, c, w, block_worst, block_short, block_broken, block_priced = block
        rows.append(r)
        cols.append(c)
        weights.append(w)
        worst, short = max(worst, block_worst), max(short, block_short)
        broken += block_broken
        priced += block_priced
    return (
        np.concatenate(rows),
        np.concatenate(cols),
        np.concatenate(weights),
        worst,
        short,
        broken,
        priced,
    )


def _price_rows(
    read: BlockReader,
    start: int,
    stop: int,
    dual: _Dual,
    chosen_rows: Index,
    chosen_cols: Index,
    tol: float,
    keep: int,
    known: Index,
    cols_finite: bool,
) -> tuple[Index, Index, Floats, float, float, int, int]:
    """:func:`price_block` on one piece of rows (``known``: the keys within it;
    ``cols_finite``: whether every column's dual value is finite)."""
    weights, allowed = read(start, stop)
    # gap = w + offset - u_i - v_j, in one float64 array; -inf where there is nothing to check
    # (forbidden pairs, and people with no place left, whose dual values are inf).
    gap = np.array(weights, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        gap -= (dual.row_dual[start:stop] - dual.offset)[:, None]
        gap -= dual.col_dual[None, :]
    np.copyto(gap, -np.inf, where=~allowed)
    if cols_finite and np.isfinite(dual.row_dual[start:stop]).all():
        priced = int(np.count_nonzero(allowed))
    else:
        priced = int(np.count_nonzero(gap > -np.inf))
    here = (chosen_rows >= start) & (chosen_rows < stop)
    cr, cc = chosen_rows[here] - start, chosen_cols[here]
    chosen_gap = gap[cr, cc]
    short = float((-chosen_gap[np.isfinite(chosen_gap)]).max(initial=0.0))
    gap[cr, cc] = -np.inf
    worst = max(float(gap.max(initial=0.0)), 0.0)
    broken = int(np.count_nonzero(gap > tol)) if worst > tol else 0
    if not (dual.row_cover[start:stop].all() or dual.col_cover.all()):
        # Allowed pairs with neither end covered could make room for one more pair.
        open_ = np.isfinite(gap)
        open_ &= ~dual.row_cover[start:stop, None]
        open_ &= ~dual.col_cover[None, :]
        gap[open_] = np.inf
        broken += int(np.count_nonzero(open_))
    # What a pass adds if anything breaks: the breakers and the pairs near their bound, which
    # tend to break it once the others move (adding them now saves passes, each a scoring
    # pass over every pair); at most ``keep`` new pairs a row, the worst.
    n_cols = gap.shape[1]
    width = max(n_cols, 1)
    gap[known // width - start, known % width] = -np.inf
    r, c = np.nonzero(gap > -NEAR * tol / TOLERANCE)
    heavy = np.flatnonzero(np.bincount(r, minlength=stop - start) > keep)
    if len(heavy):
        light = ~np.isin(r, heavy)
        top = np.argpartition(gap[heavy], n_cols - keep, axis=1)[:, n_cols - keep :]
        r = np.concatenate([r[light], np.repeat(heavy, keep)])
        c = np.concatenate([c[light], top.ravel()])
    add_w = np.asarray(weights[r, c], dtype=np.float64)
    return (start + r).astype(np.intp), c.astype(np.intp), add_w, worst, short, broken, priced


def _price_task(
    read: BlockReader,
    dual: _Dual,
    chosen_rows: Index,
    chosen_cols: Index,
    start: int,
    stop: int,
    tol: float,
    keep: int,
    piece: int,
    known: Index,
) -> tuple[Index, Index, Floats, float, float, int, int]:
    return price_block(read, start, stop, dual, chosen_rows, chosen_cols, tol, keep, piece, known)


def price(
    read: BlockReader,
    shape: tuple[int, int],
    rows: Index,
    cols: Index,
    certificate: Certificate | _Dual,
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
    *,
    spread: float | None = None,
    keep: int = 0,
    budget_pairs: int = 1 << 22,
    executor: Any = None,
    progress: bool = False,
    known: Index | None = None,
) -> _Pass:
    """One pricing pass over every block of rows; ``keep`` pairs to add per row at most,
    none of ``known`` (sorted keys ``row * n_cols + col``, the candidates already)."""
    if isinstance(certificate, Certificate):
        dual = _Dual(
            certificate.student_dual,
            certificate.manager_dual,
            certificate.offset,
            certificate.student_cover,
            certificate.manager_cover,
        )
        spread = certificate.spread
    else:
        dual = certificate
    assert spread is not None
    tol = tolerance(spread, dual.offset, dual.row_dual, dual.col_dual)
    n, m = shape
    ranges = list(row_ranges(n, m, budget_pairs))
    known = np.zeros(0, dtype=np.int64) if known is None else known
    piece = min(budget_pairs, CHUNK_PAIRS)
    width = max(m, 1)
    edges = np.searchsorted(known, [start * width for start, _stop in ranges] + [n * width])
    results = _parallel.imap_tasks(
        _price_task,
        [
            (start, stop, tol, max(keep, 1), piece, known[edges[i] : edges[i + 1]])
            for i, (start, stop) in enumerate(ranges)
        ],
        executor=executor,
        progress=progress,
        desc="pricing",
        unit="block",
        owner="match_large",
        total=len(ranges),
        shared=(read, dual, np.asarray(rows, np.intp), np.asarray(cols, np.intp)),
    )
    add_r, add_c, add_w = [], [], []
    worst = short = 0.0
    broken = priced = 0
    for r, c, w, block_worst, block_short, block_broken, block_priced in results:
        if keep:
            add_r.append(r)
            add_c.append(c)
            add_w.append(w)
        worst = max(worst, block_worst)
        short = max(short, block_short)
        broken += block_broken
        priced += block_priced
    # Complementary slackness on the places: a positive dual value needs a full place.
    r_load = np.bincount(rows, minlength=n)
    c_load = np.bincount(cols, minlength=m)
    slack = 0.0
    for dual_values, load, cap in (
        (dual.row_dual, r_load, row_capacity),
        (dual.col_dual, c_load, col_capacity),
    ):
        finite = np.isfinite(dual_values)
        slack = max(slack, float((-dual_values[finite]).max(initial=0.0)))
        open_place = finite & (load < cap)
        slack = max(slack, float(dual_values[open_place].max(initial=0.0)))
    violation = max(worst, short, slack)
    empty = np.zeros(0, dtype=np.intp)
    return _Pass(
        rows=np.concatenate(add_r) if add_r else empty,
        cols=np.concatenate(add_c) if add_c else empty,
        weights=np.concatenate(add_w) if add_w else np.zeros(0),
        worst=violation,
        broken=broken,
        priced=priced,
        holds=violation <= tol and broken == 0,
    )


def solve_priced(
    read: BlockReader,
    shape: tuple[int, int],
    cand_rows: Index,
    cand_cols: Index,
    cand_weights: Floats,
    bounds: tuple[float, float],
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
    *,
    keep: int,
    budget_pairs: int = 1 << 22,
    executor: Any = None,
    progress: bool = False,
) -> tuple[Index, Index, Certificate]:
    """Solve on the candidates, price every pair, add the violators, until none: pairs and proof.

    ``row_capacity``/``col_capacity`` are the places left to fill (after
    fixed pairs); ``read`` must already forbid the fixed pairs themselves.
    A pass adds at most ``FIRST_KEEP * keep`` pairs a row (the first) or
    ``LATER_KEEP * keep`` (the others), each row's worst.
    """
    n, m = shape
    spread = spread_of(*bounds)
    width = max(m, 1)
    # Between passes the candidates are their sorted keys ``row * width + col`` and weights
    # (16 bytes a pair); rows and columns are made from the keys for each solve, in (row,
    # col) order, which spares the solver a sort.
    keys, at = np.unique(cand_rows.astype(np.int64) * width + cand_cols, return_index=True)
    w = np.asarray(cand_weights, dtype=np.float64)[at]
    first = len(keys)
    result: solvers.SparseAssignment | None = None
    passes = priced = 0
    while True:
        r, c = (part.astype(np.intp, copy=False) for part in np.divmod(keys, width))
        if result is None:  # checked once; the pairs added later come from the same scores
            result = solvers.sparse_assignment(
                n, m, r, c, w, row_capacity, col_capacity, bounds=bounds
            )
        else:
            result = solve_checked(
                n, m, r, c, w, row_capacity, col_capacity, *bounds, result, arcs_sorted=True
            )
        del r, c
        dual = _Dual(
            result.row_dual, result.col_dual, result.offset, result.row_cover, result.col_cover
        )
        found = price(
            read,
            shape,
            result.rows,
            result.cols,
            dual,
            row_capacity,
            col_capacity,
            spread=spread,
            keep=keep * (FIRST_KEEP if passes == 0 else LATER_KEEP),
            budget_pairs=budget_pairs,
            executor=executor,
            progress=progress,
            known=keys,
        )
        passes += 1
        priced += found.priced
        new = found.rows.astype(np.int64) * width + found.cols
        fresh = ~sorted_contains(keys, new)
        if found.holds or not fresh.any():
            break
        # Merged into the sorted keys (a re-sort of ~50M keys at 100,000 per side would
        # cost more), and the pass's arrays dropped before the next solve.
        add, at = np.unique(new[fresh], return_index=True)
        add_w = found.weights[fresh][at]
        del found, new, fresh
        where = np.searchsorted(keys, add)
        keys = np.insert(keys, where, add)
        w = np.insert(w, where, add_w)
    certificate = Certificate(
        student_dual=result.row_dual,
        manager_dual=result.col_dual,
        offset=result.offset,
        student_cover=result.row_cover,
        manager_cover=result.col_cover,
        max_violation=found.worst / spread,
        holds=found.holds,
        passes=passes,
        pairs_priced=priced,
        candidates=len(keys),
        added=len(keys) - first,
        spread=spread,
    )
    return result.rows, result.cols, certificate


def finite_bounds(values: NDArray[Any]) -> tuple[float, float]:
    """``(min, max)`` of some scores, ``(0, 0)`` when there are none."""
    if values.size == 0:
        return 0.0, 0.0
    return float(np.min(values)), float(np.max(values))
