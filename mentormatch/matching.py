"""Solving the pairing: :func:`match` turns :class:`~mentormatch.Scores` into a :class:`Matching`.

If you do not care which algorithm runs, use ``match(scores)``: the
Hungarian algorithm pairs as many people as the rules allow with the best
total score. ``method="stable"`` respects each side's own view instead (no
student and manager would both rather have each other), and
``method="maxmin"`` makes the worst pair as good as it can be.
"""

from __future__ import annotations

import html
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import metrics, pricing, solvers
from mentormatch._arrays import row_blocks
from mentormatch._validation import (
    NON_NEGATIVE,
    check_flag,
    check_number,
    check_option,
    describe,
    fail,
    is_missing,
    param_where,
)
from mentormatch.exceptions import InfeasibleError
from mentormatch.explanation import explain_pair, pair_fields
from mentormatch.io import unescape, write_csv, write_excel
from mentormatch.pricing import Certificate
from mentormatch.scoring import Scores

__all__ = ["METHODS", "Matching", "match"]

Index = NDArray[np.intp]
Mask = NDArray[np.bool_]
Capacity = NDArray[np.int64]


@dataclass(frozen=True)
class _Settings:
    """What a method needs besides the arrays: the proposing side, the objective,
    and the weights to maximise (the total score, plus any bonus for keeping
    previous pairs)."""

    proposer: str
    objective: str
    weights: NDArray[np.float64]


def _hungarian(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, settings: _Settings
) -> tuple[Index, Index]:
    return solvers.hungarian(
        settings.weights, allowed=allowed, row_capacity=s_cap, col_capacity=m_cap
    )


def _maxmin(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, settings: _Settings
) -> tuple[Index, Index]:
    return solvers.maxmin(scores.total, allowed=allowed, row_capacity=s_cap, col_capacity=m_cap)


def _either_side_proposing(
    solve: Callable[..., tuple[Index, Index]],
    scores: Scores,
    allowed: Mask,
    s_cap: Capacity,
    m_cap: Capacity,
    proposer: str,
    **options: Any,
) -> tuple[Index, Index]:
    """A stable solver with students proposing, or managers on the transposed problem.

    Array options (``weights``) are transposed with the utilities.
    """
    if proposer == "students":
        return solve(
            scores.student_view,
            scores.manager_view,
            allowed=allowed,
            proposer_capacity=s_cap,
            receiver_capacity=m_cap,
            **options,
        )
    flipped = {k: v.T if isinstance(v, np.ndarray) else v for k, v in options.items()}
    cols, rows = solve(
        scores.manager_view.T,
        scores.student_view.T,
        allowed=allowed.T,
        proposer_capacity=m_cap,
        receiver_capacity=s_cap,
        **flipped,
    )
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


def _best_stable(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, settings: _Settings
) -> tuple[Index, Index]:
    weights = scores.total if settings.objective == "total" else None
    return _either_side_proposing(
        solvers.best_stable,
        scores,
        allowed,
        s_cap,
        m_cap,
        settings.proposer,
        objective=settings.objective,
        weights=weights,
    )


def _stable(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, settings: _Settings
) -> tuple[Index, Index]:
    return _either_side_proposing(
        solvers.gale_shapley, scores, allowed, s_cap, m_cap, settings.proposer
    )


#: The pairing methods by name: each takes the scores, the allowed mask and
#: both sides' capacities, and returns index arrays ``(rows, cols)``.
METHODS: Final[
    Mapping[str, Callable[[Scores, Mask, Capacity, Capacity, _Settings], tuple[Index, Index]]]
] = {
    "hungarian": _hungarian,
    "stable": _stable,
    "maxmin": _maxmin,
}
#: Every method :func:`match` accepts: the above (which :func:`compare` and the
#: report run by default), and ``"best_stable"``, asked for by name only (it
#: needs capacities above 1 on one side at most).
ALL_METHODS: Final[
    Mapping[str, Callable[[Scores, Mask, Capacity, Capacity, _Settings], tuple[Index, Index]]]
] = {**METHODS, "best_stable": _best_stable}
PROPOSERS: Final = ("students", "managers")
OBJECTIVES: Final = ("total", "egalitarian", "regret")
STABLE_METHODS: Final = ("stable", "best_stable")


def match(
    scores: Scores,
    *,
    method: str = "hungarian",
    proposer: str = "students",
    objective: str | None = None,
    fixed: Iterable[tuple[str, str]] | Mapping[str, str] | pd.DataFrame | None = None,
    previous: Iterable[tuple[str, str]] | Mapping[str, str] | pd.DataFrame | None = None,
    change_cost: float | None = None,
    certify: bool = False,
) -> Matching:
    r"""Pair students with managers.

    Parameters
    ----------
    scores : Scores
        From :meth:`Scorer.score`; capacities come from its cohort and
        forbidden pairs from ``scores.allowed``.
    method : {"hungarian", "stable", "maxmin", "best_stable"}, default "hungarian"
        ``"hungarian"``: among pairings that pair as many people as the
        rules allow, the largest total score,
        :math:`\max \sum_{(i, j)} t_{ij}`. ``"maxmin"``: the best possible
        worst pair, then the largest total. ``"stable"``: deferred
        acceptance on ``student_view`` and ``manager_view``; no student and
        manager who are not paired would both rather be with each other.
        ``"best_stable"``: among all stable pairings, the best one for
        ``objective`` (:func:`mentormatch.solvers.best_stable`).
    proposer : {"students", "managers"}, default "students"
        For ``"stable"``: the side that proposes and so gets its best
        stable pairing (the other side gets its worst). For
        ``"best_stable"``: the side favoured among equally good stable
        pairings. While both views equal ``total`` (no side weights, no
        stated preferences) the stable pairing is unique and the proposer
        makes no difference.
    objective : {"total", "egalitarian", "regret"}, optional
        For ``"best_stable"`` only (default ``"total"``): the largest total
        score, the smallest sum of both sides' ranks of their partners, or
        the smallest worst rank (ranks from each side's own view, 1 = first
        choice).
    fixed : iterable of (student_id, manager_id), mapping or DataFrame, optional
        Pairs to keep as they are; everyone else is paired around them
        (re-matching after a drop-out). A list of pairs, a mapping of
        student id to manager id, or a DataFrame with columns
        ``student_id`` and ``manager_id`` such as a pairing's own
        :meth:`Matching.to_frame` or ``--out`` file read back (rows with an
        empty id, the unmatched, are skipped; spreadsheet-escaped ids such
        as ``'-5`` are undone). Fixed pairs are marked in the ``fixed``
        column of :attr:`Matching.pairs`.
    previous : iterable of (student_id, manager_id), mapping or DataFrame, optional
        An earlier pairing, in any form ``fixed`` accepts, to disturb as little as it is worth (method
        ``"hungarian"`` only; needs ``change_cost``). Pairs naming someone
        who is no longer in the cohort, and pairs a hard rule now forbids,
        are ignored.
    change_cost : float, optional
        With ``previous``: the price, in total score, of breaking one
        previous pair. The pairing maximises
        :math:`\sum_{(i, j)} t_{ij} - c \cdot (\text{previous pairs broken})`
        among pairings of the largest size; ``0`` ignores ``previous``, and
        ``float("inf")`` keeps every previous pair that is still possible
        (as ``fixed``).
    certify : bool, default False
        Also prove the pairing optimal (``method="hungarian"`` only): the
        result's ``certificate`` holds dual values checked against every
        pair (:class:`~mentormatch.pricing.Certificate`). Costs about one
        more solve on a sparse graph and one pass over the scores.

    Returns
    -------
    Matching

    Raises
    ------
    InvalidInputError
        For an unknown method, proposer or objective, an objective with a
        method other than ``"best_stable"``, a fixed pair naming an unknown
        id, ``previous`` without ``change_cost`` (or the reverse), a
        negative or non-numeric ``change_cost``, or ``previous`` with a
        method other than ``"hungarian"``.
    InfeasibleError
        When a fixed pair is forbidden by a hard rule, repeated, or takes
        a person beyond their capacity (also for previous pairs kept by
        ``change_cost=float("inf")``).

    See Also
    --------
    mentormatch.solvers : The array solvers behind each method.
    Matching.what_if : The same pairing, re-solved with pairs forced or forbidden.

    Examples
    --------
    >>> import mentormatch as mm
    >>> scores = mm.Scorer().score(mm.make_cohort(4, 4, rng=0))
    >>> pairing = mm.match(scores)
    >>> len(pairing.pairs), len(pairing.unmatched)
    (4, 0)
    >>> stable = mm.match(scores, method="stable", proposer="managers")
    >>> int(stable.summary()["blocking_pairs"])
    0
    >>> best = mm.match(scores, method="best_stable", objective="regret")
    >>> int(best.summary()["blocking_pairs"])
    0
    """
    owner = "match"
    if not isinstance(scores, Scores):
        raise fail(param_where("scores", owner), "a Scores (from Scorer.score)", describe(scores))
    check_option(method, "method", owner, ALL_METHODS)
    check_option(proposer, "proposer", owner, PROPOSERS)
    if objective is not None:
        check_option(objective, "objective", owner, OBJECTIVES)
        if method != "best_stable":
            raise fail(
                param_where("objective", owner),
                "None unless method is 'best_stable'",
                f"{objective!r} with method {method!r}",
            )
    if (previous is None) != (change_cost is None):
        missing = "change_cost" if change_cost is None else "previous"
        raise fail(
            param_where(missing, owner),
            "a value when "
            + ("'previous'" if missing == "change_cost" else "'change_cost'")
            + " is given",
            "None",
        )
    cost: float | None = None
    if change_cost is not None:
        cost = _change_cost(change_cost, owner)
        if method != "hungarian":
            raise fail(
                param_where("previous", owner),
                "method 'hungarian' (re-matching maximises the total score)",
                f"method {method!r}",
            )
    options = _Options(
        method=method,
        proposer=proposer,
        objective=objective,
        fixed=_pair_items(fixed, "fixed", owner),
        forbid=(),
        previous=None if previous is None else _pair_items(previous, "previous", owner),
        change_cost=cost,
        certify=check_flag(certify, param_where("certify", owner)),
    )
    if options.certify and (method != "hungarian" or cost):
        raise fail(
            param_where("certify", owner),
            "False unless method is 'hungarian' without a change cost "
            "(the certificate proves the largest total score)",
            f"True with method {method!r}" + (" and a change cost" if cost else ""),
        )
    return _solve(scores, options)


@dataclass(frozen=True)
class _Options:
    """Everything :func:`match` was asked, so that a pairing can be re-solved."""

    method: str
    proposer: str
    objective: str | None
    fixed: tuple[tuple[str, str], ...]
    forbid: tuple[tuple[str, str], ...]
    previous: tuple[tuple[str, str], ...] | None
    change_cost: float | None
    certify: bool = False


def _change_cost(value: Any, owner: str) -> float:
    where = param_where("change_cost", owner)
    if isinstance(value, (float, np.floating)) and value == np.inf:
        return float("inf")
    return float(check_number(value, where, NON_NEGATIVE))


def _solve(scores: Scores, options: _Options) -> Matching:
    """Solve one pairing problem; :func:`match` and :meth:`Matching.what_if` share it."""
    scores._check_dense("match")  # the solvers read dense arrays
    cohort = scores.cohort
    s_cap = cohort.student_capacity
    m_cap = cohort.manager_capacity
    allowed = scores.allowed
    weights = scores.total

    forbid_rows, forbid_cols = _pairs_of(options.forbid, scores, "forbid", strict=True)
    if len(forbid_rows):
        allowed = allowed.copy()
        allowed[forbid_rows, forbid_cols] = False
    fixed = list(options.fixed)
    if options.previous is not None and options.change_cost is not None:
        prev_rows, prev_cols = _pairs_of(options.previous, scores, "previous", strict=False)
        still = allowed[prev_rows, prev_cols]
        prev_rows, prev_cols = prev_rows[still], prev_cols[still]
        if options.change_cost == np.inf:
            known = {
                (scores.cohort.student_index[s], scores.cohort.manager_index[m])
                for s, m in fixed
                if s in scores.cohort.student_index and m in scores.cohort.manager_index
            }
            s_ids, m_ids = scores.student_ids, scores.manager_ids
            fixed += [
                (s_ids[i], m_ids[j])
                for i, j in zip(prev_rows.tolist(), prev_cols.tolist(), strict=True)
                if (i, j) not in known
            ]
        elif options.change_cost > 0:
            weights = weights.astype(np.float64, copy=True)
            weights[prev_rows, prev_cols] += options.change_cost

    fixed_rows, fixed_cols = _fixed_pairs(fixed, scores, s_cap, m_cap, allowed)
    if len(fixed_rows):
        s_cap = s_cap - np.bincount(fixed_rows, minlength=len(s_cap))
        m_cap = m_cap - np.bincount(fixed_cols, minlength=len(m_cap))
        allowed = allowed.copy()
        allowed[fixed_rows, fixed_cols] = False  # a pair is made at most once

    settings = _Settings(
        proposer=options.proposer,
        objective=options.objective or "total",
        weights=np.asarray(weights, dtype=np.float64),
    )
    rows, cols = ALL_METHODS[options.method](scores, allowed, s_cap, m_cap, settings)
    certificate = None
    if options.certify:
        certificate = pricing.certify_dense(
            np.asarray(weights), allowed, np.asarray(rows), np.asarray(cols), s_cap, m_cap
        )
    rows = np.concatenate([np.asarray(rows, dtype=np.intp), fixed_rows])
    cols = np.concatenate([np.asarray(cols, dtype=np.intp), fixed_cols])
    is_fixed = np.zeros(len(rows), dtype=np.bool_)
    is_fixed[len(rows) - len(fixed_rows) :] = True
    order = np.lexsort((cols, rows))
    method = options.method
    return Matching(
        rows=rows[order],
        cols=cols[order],
        fixed=is_fixed[order],
        scores=scores,
        method=method,
        proposer=options.proposer if method in STABLE_METHODS else None,
        options=options,
        certificate=certificate,
    )


def _pairs_of(
    pairs: Iterable[tuple[str, str]], scores: Scores, name: str, *, strict: bool
) -> tuple[Index, Index]:
    """Index arrays of (student_id, manager_id) pairs, each once.

    With ``strict`` an unknown id is an error; otherwise the pair is skipped
    (previous pairs of people who have left).
    """
    where = param_where(name, "match")
    cohort = scores.cohort
    seen: dict[tuple[int, int], None] = {}
    for item in pairs:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise fail(where, "(student_id, manager_id) pairs", describe(item))
        student = _known_id(item[0], cohort.student_index)
        manager = _known_id(item[1], cohort.manager_index)
        known_s, known_m = student in cohort.student_index, manager in cohort.manager_index
        if not (known_s and known_m):
            if strict:
                kind, ident = ("student", student) if not known_s else ("manager", manager)
                raise fail(where, f"{kind} ids of the cohort", f"{ident!r}, which is not one")
            continue
        seen[(cohort.student_index[student], cohort.manager_index[manager])] = None
    rows = np.asarray([i for i, _ in seen], dtype=np.intp)
    cols = np.asarray([j for _, j in seen], dtype=np.intp)
    return rows, cols


def _pair_items(value: Any, name: str, owner: str) -> tuple[tuple[str, str], ...]:
    """Pairs in any form ``fixed`` accepts, as a tuple (each pair is checked later)."""
    if value is None:
        return ()
    return tuple(_fixed_items(value, param_where(name, owner)))


def _fixed_items(fixed: Any, where: str) -> list[Any]:
    """The pairs of ``fixed`` as a list, whatever form it came in."""
    if isinstance(fixed, pd.DataFrame):
        names = {str(c).strip().lower(): c for c in fixed.columns}
        if "student_id" not in names or "manager_id" not in names:
            raise fail(
                where,
                "a DataFrame with columns 'student_id' and 'manager_id'",
                f"columns {[str(c) for c in fixed.columns]}",
            )
        pairs = zip(fixed[names["student_id"]], fixed[names["manager_id"]], strict=True)
        # Rows of the unmatched (one id empty) are not pairs.
        return [p for p in pairs if not any(is_missing(x) or str(x).strip() == "" for x in p)]
    if isinstance(fixed, Mapping):
        return list(fixed.items())
    if isinstance(fixed, (str, bytes)) or not isinstance(fixed, Iterable):
        raise fail(
            where, "(student_id, manager_id) pairs, a mapping or a DataFrame", describe(fixed)
        )
    return list(fixed)


def _known_id(value: Any, index: Mapping[str, int]) -> str:
    """An id as given, or without the spreadsheet escape when only that form is known."""
    ident = unicodedata.normalize("NFC", str(value).strip())
    if ident not in index and unescape(ident) in index:
        return unescape(ident)
    return ident


def _fixed_pairs(
    fixed: Iterable[tuple[str, str]] | None,
    scores: Scores,
    s_cap: Capacity,
    m_cap: Capacity,
    allowed: Mask,
) -> tuple[Index, Index]:
    empty = np.zeros(0, dtype=np.intp)
    if fixed is None:
        return empty, empty
    where = param_where("fixed", "match")
    if isinstance(fixed, (str, bytes)) or not isinstance(fixed, Iterable):
        raise fail(where, "an iterable of (student_id, manager_id) pairs", describe(fixed))
    cohort = scores.cohort
    rows: list[int] = []
    cols: list[int] = []
    seen: set[tuple[int, int]] = set()
    for item in _fixed_items(fixed, where):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise fail(where, "(student_id, manager_id) pairs", describe(item))
        student = _known_id(item[0], cohort.student_index)
        manager = _known_id(item[1], cohort.manager_index)
        if student not in cohort.student_index:
            raise fail(where, "student ids of the cohort", f"{student!r}, which is not one")
        if manager not in cohort.manager_index:
            raise fail(where, "manager ids of the cohort", f"{manager!r}, which is not one")
        i, j = cohort.student_index[student], cohort.manager_index[manager]
        if (i, j) in seen:
            raise InfeasibleError(
                f"{where}: expected each pair once, got ({student!r}, {manager!r}) twice."
            )
        if not allowed[i, j]:
            rules = ", ".join(scores.explain(student, manager).forbidden_by) or "'forbid'"
            raise InfeasibleError(
                f"{where}: expected allowed pairs, got ({student!r}, {manager!r}), forbidden by {rules}."
            )
        seen.add((i, j))
        rows.append(i)
        cols.append(j)
    r, c = np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)
    for side, idx, cap, ids in (
        ("student", r, s_cap, cohort.student_ids),
        ("manager", c, m_cap, cohort.manager_ids),
    ):
        over = np.flatnonzero(np.bincount(idx, minlength=len(cap)) > cap)
        if len(over):
            k = int(over[0])
            raise InfeasibleError(
                f"{where}: expected at most capacity {cap[k]} for {side} {ids[k]!r}, "
                f"got {int(np.sum(idx == k))} fixed pairs."
            )
    return r, c


@dataclass(frozen=True, repr=False, eq=False)
class Matching:
    """The result of :func:`match`: who is paired with whom, and who is not.

    Attributes
    ----------
    rows, cols : ndarray of int
        The pairs as indices into the score arrays (rows sorted).
    fixed : ndarray of bool
        Which pairs were fixed by the caller.
    scores : Scores
        The scores the pairing was made from.
    method : str
    proposer : str or None
        The proposing side, for ``method="stable"``.
    certificate : Certificate or None
        The proof that the pairing has the most pairs and then the largest
        total (:class:`~mentormatch.pricing.Certificate`): made by
        :func:`~mentormatch.match_large` and by ``match(...,
        certify=True)``; None otherwise.

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(3, 2, rng=0)))
    >>> pairing
    Matching(method='hungarian', 2 pairs, 1 unmatched)
    >>> pairing.unmatched.columns.tolist()
    ['id', 'side', 'reason']
    """

    rows: Index
    cols: Index
    fixed: Mask
    scores: Scores
    method: str
    proposer: str | None = None
    options: _Options | None = None
    certificate: Certificate | None = None

    @property
    def objective(self) -> str | None:
        """The objective of ``method="best_stable"`` (None for the other methods)."""
        if self.method != "best_stable":
            return None
        return (self.options.objective if self.options else None) or "total"

    def _options(self) -> _Options:
        if self.options is not None:
            return self.options
        return _Options(
            method=self.method,
            proposer=self.proposer or "students",
            objective=None,
            fixed=tuple(self._ids(i, j) for i, j in self._pair_list(fixed_only=True)),
            forbid=(),
            previous=None,
            change_cost=None,
        )

    def _ids(self, i: int, j: int) -> tuple[str, str]:
        return self.scores.student_ids[i], self.scores.manager_ids[j]

    def _pair_list(self, *, fixed_only: bool = False) -> list[tuple[int, int]]:
        keep = self.fixed if fixed_only else np.ones(len(self.rows), dtype=bool)
        return list(zip(self.rows[keep].tolist(), self.cols[keep].tolist(), strict=True))

    def diff(self, other: Matching) -> pd.DataFrame:
        """The pairs that differ between this pairing and ``other``, with the score change.

        Parameters
        ----------
        other : Matching
            Another pairing of the same scores.

        Returns
        -------
        pandas.DataFrame
            One row per pair in only one of the two pairings: ``student_id``,
            ``manager_id``, ``change`` (``"added"`` if only ``other`` has the
            pair, ``"removed"`` if only this one has), ``score`` (the pair's
            total score) and ``score_change`` (``+score`` for an added pair,
            ``-score`` for a removed one, so the column sums to
            ``other.total_score - self.total_score``). Sorted by student,
            then manager. Empty when the pairings are the same.

        Raises
        ------
        InvalidInputError
            If ``other`` is not a Matching of the same scores.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(4, 4, rng=0))
        >>> best = mm.match(scores)
        >>> second = mm.alternatives(scores, k=2)[1]
        >>> changes = best.diff(second)
        >>> sorted(set(changes["change"]))
        ['added', 'removed']
        >>> bool(abs(changes["score_change"].sum() - (second.total_score - best.total_score)) < 1e-12)
        True
        """
        if not isinstance(other, Matching) or other.scores is not self.scores:
            raise fail(
                param_where("other", "Matching.diff"),
                "a Matching of the same scores",
                describe(other) if not isinstance(other, Matching) else "one of other scores",
            )
        mine, theirs = set(self._pair_list()), set(other._pair_list())
        records = [(i, j, "removed") for i, j in mine - theirs]
        records += [(i, j, "added") for i, j in theirs - mine]
        records.sort()
        total = self.scores.total
        frame = pd.DataFrame(
            {
                "student_id": pd.Series(
                    [self.scores.student_ids[i] for i, _, _ in records], dtype=object
                ),
                "manager_id": pd.Series(
                    [self.scores.manager_ids[j] for _, j, _ in records], dtype=object
                ),
                "change": pd.Series([c for _, _, c in records], dtype=object),
                "score": np.asarray(
                    total[
                        np.array([i for i, _, _ in records], dtype=np.intp),
                        np.array([j for _, j, _ in records], dtype=np.intp),
                    ],
                    dtype=np.float64,
                ),
            }
        )
        sign = np.where(frame["change"].to_numpy() == "added", 1.0, -1.0)
        frame["score_change"] = sign * frame["score"].to_numpy()
        return frame

    def what_if(
        self,
        force: Iterable[tuple[str, str]] | None = None,
        forbid: Iterable[tuple[str, str]] | None = None,
    ) -> Matching:
        """The pairing re-solved with some pairs forced and others forbidden.

        The same scores, method and options (``proposer``, ``objective``,
        ``fixed``, ``previous``/``change_cost``, and what earlier
        ``what_if`` calls forced or forbade) are used again, so the answer
        is the best pairing of that method under the new conditions.

        Parameters
        ----------
        force : iterable of (student_id, manager_id), optional
            Pairs that must be made (added to ``fixed``).
        forbid : iterable of (student_id, manager_id), optional
            Pairs that must not be made.

        Returns
        -------
        Matching

        Raises
        ------
        InvalidInputError
            If a pair names an unknown id.
        InfeasibleError
            If a forced pair is forbidden (by a hard rule or by ``forbid``)
            or takes someone beyond their capacity.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(4, 4, rng=0))
        >>> pairing = mm.match(scores)
        >>> student, manager = pairing.pairs.iloc[0][["student_id", "manager_id"]]
        >>> other = pairing.what_if(forbid=[(student, manager)])
        >>> (student, manager) in set(zip(other.pairs.student_id, other.pairs.manager_id))
        False
        >>> other.total_score <= pairing.total_score
        True
        """
        base = self._options()
        options = _Options(
            method=base.method,
            proposer=base.proposer,
            objective=base.objective,
            fixed=base.fixed + _pair_items(force, "force", "Matching.what_if"),
            forbid=base.forbid + _pair_items(forbid, "forbid", "Matching.what_if"),
            previous=base.previous,
            change_cost=base.change_cost,
        )
        return _solve(self.scores, options)

    def why_not(self, student_id: str, manager_id: str) -> str:
        """Why this student and manager are not paired, in plain language.

        Says what forcing the pair would cost (the change in total score and
        in the worst pair), who else would move and how, and compares the
        pair criterion by criterion with the partners they got. For a stable
        pairing it also says whether the pair blocks it and, if not, who
        prefers their current partner.

        Parameters
        ----------
        student_id, manager_id : str
            Ids of the cohort.

        Returns
        -------
        str
            Several lines of text (ids and scores only).

        Raises
        ------
        InvalidInputError
            If an id is not in the cohort.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(4, 4, rng=0))
        >>> pairing = mm.match(scores)
        >>> paired = pairing.pairs.iloc[0]
        >>> print(pairing.why_not(paired.student_id, paired.manager_id))  # doctest: +ELLIPSIS
        s... and m... are paired.
        """
        return _why_not(self, student_id, manager_id)

    @property
    def pairs(self) -> pd.DataFrame:
        """One row per pair: ids, ``score`` (the total), each criterion, ``fixed``."""
        s_ids = np.array(self.scores.student_ids, dtype=object)
        m_ids = np.array(self.scores.manager_ids, dtype=object)
        names = list(self.scores.components)
        # Read together: scores computed on demand score the pairs once for them all.
        total, *values = self.scores._pair_fields(
            ["total", *(f"components/{name}" for name in names)], self.rows, self.cols
        )
        frame = pd.DataFrame(
            {
                "student_id": s_ids[self.rows],
                "manager_id": m_ids[self.cols],
                "score": total.astype(np.float64),
            }
        )
        for name, value in zip(names, values, strict=True):
            frame[name] = value.astype(np.float64)
        frame["fixed"] = self.fixed
        return frame

    @property
    def unmatched(self) -> pd.DataFrame:
        """Everyone left without a partner: ``id``, ``side`` and ``reason``."""
        cohort = self.scores.cohort
        s_load = np.bincount(self.rows, minlength=cohort.n_students)
        m_load = np.bincount(self.cols, minlength=cohort.n_managers)
        records: list[tuple[str, str, str]] = []
        scores = self.scores
        # Each unmatched person's row (or column) of allowed and of every rule, read
        # together for a block of them (scores computed on demand score it once).
        names = list(scores.forbidden)
        fields = ["allowed", *(f"forbidden/{name}" for name in names)]
        loads, caps = (s_load, m_load), (cohort.student_capacity, cohort.manager_capacity)
        for side in ("student", "manager"):
            load = s_load if side == "student" else m_load
            ids = cohort.student_ids if side == "student" else cohort.manager_ids
            alone = np.flatnonzero(load == 0)
            n_other = cohort.n_managers if side == "student" else cohort.n_students
            step = max(1, scores._BLOCK // max(1, n_other))
            for start in range(0, len(alone), step):
                who = alone[start : start + step]
                if side == "student":
                    values = scores._fields(fields, who, slice(None))
                else:
                    values = [v.T for v in scores._fields(fields, slice(None), who)]
                for t, k in enumerate(who.tolist()):
                    allowed, *masks = (v[t] for v in values)
                    forbidden = dict(zip(names, masks, strict=True))
                    reason = self._why_unmatched(side, k, loads, caps, allowed, forbidden)
                    records.append((ids[k], side, reason))
        return pd.DataFrame(records, columns=["id", "side", "reason"])

    def _why_unmatched(
        self,
        side: str,
        k: int,
        loads: tuple[NDArray[np.intp], NDArray[np.intp]],
        caps: tuple[Capacity, Capacity],
        allowed: Mask,
        forbidden: dict[str, Mask],
    ) -> str:
        """A specific reason why person ``k`` of ``side`` has no partner.

        ``loads`` and ``caps``: how many partners each student and each
        manager has, and may have. ``allowed`` and ``forbidden``: the
        person's row (student) or column (manager) of ``scores.allowed`` and
        of each rule's mask.
        """
        scores = self.scores
        if side == "student":
            other, other_load, other_cap = "manager", loads[1], caps[1]
            rows_of = {"own": "avoid (students)", "theirs": "avoid (managers)"}
            partners_of = self.cols, self.rows
        else:
            other, other_load, other_cap = "student", loads[0], caps[0]
            rows_of = {"own": "avoid (managers)", "theirs": "avoid (students)"}
            partners_of = self.rows, self.cols
        if not allowed.any():
            alone = [name for name, mask in forbidden.items() if mask.all()]
            if rows_of["own"] in alone:
                return f"avoids every {other}"
            if rows_of["theirs"] in alone:
                return f"every {other} avoids them"
            if "min_score" in alone:
                return f"no pair with a {other} reaches min_score"
            rules = " and ".join(repr(name) for name, mask in forbidden.items() if mask.any())
            return f"no allowed {other}: every pair is forbidden by {rules}"
        open_ = np.flatnonzero(allowed)
        full = other_load[open_] >= other_cap[open_]
        if full.all():
            # Does each full partner hold only people it values more than this one?
            mine, theirs = partners_of
            held = np.isin(mine, open_)
            js, held_by = mine[held], theirs[held]
            me = np.full(len(js), k, dtype=np.intp)
            if side == "student":  # manager j's value of student i: manager_view[i, j]
                (value,) = scores._pair_fields(
                    ["manager_view"], np.concatenate([held_by, me]), np.tile(js, 2)
                )
            else:  # student j's value of manager i: student_view[j, i]
                (value,) = scores._pair_fields(
                    ["student_view"], np.tile(js, 2), np.concatenate([held_by, me])
                )
            have, this = value[: len(js)], value[len(js) :]
            prefer = bool((have > this).all())
            whom = "students" if other == "manager" else "managers"
            tail = f" with {whom} they prefer" if prefer else ""
            if len(open_) == 1:
                return f"the only allowed {other} is full{tail}"
            return f"all {len(open_)} allowed {other}s are full{tail}"
        reason = {
            "hungarian": "left out for a larger total score",
            "maxmin": "left out to make the worst pair better",
            "stable": "left out by the stable pairing",
        }.get(self.method, f"not chosen by {self.method}")
        return f"{reason} ({_count(int((~full).sum()), f'allowed {other}')} had room)"

    @property
    def total_score(self) -> float:
        """The sum of the pairs' total scores (the Hungarian objective)."""
        return float(self.scores.total[self.rows, self.cols].sum())

    def blocking_pairs(self) -> pd.DataFrame:
        """Student-manager pairs who would both rather be with each other.

        With respect to ``student_view`` and ``manager_view``, counting
        free places. A stable matching has none.

        Returns
        -------
        pandas.DataFrame
            Columns ``student_id`` and ``manager_id``.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(5, 5, rng=3))
        >>> len(mm.match(scores, method="stable").blocking_pairs())
        0
        """
        found = self._blocking()
        s_ids = np.array(self.scores.student_ids, dtype=object)
        m_ids = np.array(self.scores.manager_ids, dtype=object)
        return pd.DataFrame({"student_id": s_ids[found[:, 0]], "manager_id": m_ids[found[:, 1]]})

    def _blocking(self) -> NDArray[np.intp]:
        """The blocking pairs as index pairs: at once on dense scores, by blocks on demand."""
        if self.scores._ON_DEMAND:
            return _blocking_by_blocks(self)
        cohort = self.scores.cohort
        return solvers.blocking_pairs(
            self.rows,
            self.cols,
            self.scores.student_view,
            self.scores.manager_view,
            allowed=self.scores.allowed,
            proposer_capacity=cohort.student_capacity,
            receiver_capacity=cohort.manager_capacity,
        )

    def _ranks_and_blocking(self) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
        """Both sides' partner ranks and the number of blocking pairs, for the summary.

        On dense scores, :func:`metrics.partner_ranks` twice and
        :meth:`blocking_pairs`. On scores computed on demand, one pass over
        blocks of students finds all three (each block's views and mask
        scored once, not three times), to the same figures.
        """
        if not self.scores._ON_DEMAND:
            return (
                metrics.partner_ranks(self, "students"),
                metrics.partner_ranks(self, "managers"),
                len(self._blocking()),
            )
        return _figures_by_blocks(self)

    def summary(self) -> pd.Series:
        """Pairing-quality figures, with stable names.

        See :func:`mentormatch.metrics.summary` for every figure.

        Returns
        -------
        pandas.Series
            ``n_pairs``, ``total_score``, ``mean_score``, ``min_score``,
            ``blocking_pairs`` and more; named after the method. The dtype
            is float (counts are whole numbers).

        Examples
        --------
        >>> import mentormatch as mm
        >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(4, 4, rng=0)))
        >>> pairing.summary()[["n_pairs", "blocking_pairs"]].tolist()
        [4.0, 1.0]
        """
        return metrics.summary(self)

    def reasons(self) -> pd.Series:
        """A one-line reason for each pair, in the order of :attr:`pairs`.

        Returns
        -------
        pandas.Series
            One string per pair (see :meth:`PairExplanation.one_line`).

        Examples
        --------
        >>> import mentormatch as mm
        >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(2, 2, rng=0)))
        >>> len(pairing.reasons())
        2
        """
        # Every pair's values read at once (scores computed on demand score them together).
        fields = pair_fields(self.scores)
        values = self.scores._pair_fields(fields, self.rows, self.cols)
        lines = [
            explain_pair(
                self.scores,
                i,
                j,
                {field: value[t] for field, value in zip(fields, values, strict=True)},
            ).one_line()
            for t, (i, j) in enumerate(zip(self.rows.tolist(), self.cols.tolist(), strict=True))
        ]
        return pd.Series(lines, name="reason", dtype=object)

    def to_frame(self, *, explain: bool = False) -> pd.DataFrame:
        """The pairs and the unmatched in one table.

        Parameters
        ----------
        explain : bool, default False
            Fill ``reason`` for the pairs too, with :meth:`reasons`.

        Returns
        -------
        pandas.DataFrame
            The columns of :attr:`pairs` and ``reason``; the unmatched
            follow the pairs, with only their id and reason filled in.

        Examples
        --------
        >>> import mentormatch as mm
        >>> frame = mm.match(mm.Scorer().score(mm.make_cohort(3, 2, rng=0))).to_frame()
        >>> frame.columns.tolist()[:3], len(frame)
        (['student_id', 'manager_id', 'score'], 3)
        """
        explain = check_flag(explain, param_where("explain", "Matching.to_frame"))
        pairs = self.pairs.assign(reason=self.reasons().to_numpy() if explain else "")
        rows = []
        for ident, side, reason in self.unmatched.itertuples(index=False):
            key = "student_id" if side == "student" else "manager_id"
            rows.append({key: ident, "reason": reason})
        if not rows:
            return pairs
        return pd.concat([pairs, pd.DataFrame(rows)], ignore_index=True)

    def to_csv(
        self,
        path: str | os.PathLike[str] | IO[str],
        *,
        explain: bool = False,
        force: bool = False,
        **kwargs: Any,
    ) -> None:
        """Write :meth:`to_frame` as CSV, safe to open in a spreadsheet.

        A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return gets a leading ``'`` so that no spreadsheet runs it
        as a formula (OWASP guidance on CSV injection): ids come from web
        forms. Other keyword arguments go to :meth:`pandas.DataFrame.to_csv`.

        Parameters
        ----------
        path : str, path-like or text stream
        explain : bool, default False
            Fill ``reason`` for the pairs too.
        force : bool, default False
            Overwrite an existing file. A file the cohort was read from is
            never overwritten.
        **kwargs
            Passed to :meth:`pandas.DataFrame.to_csv`.

        Raises
        ------
        InvalidInputError
            When ``path`` exists (without ``force``) or is an input file.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
        >>> mm.match(mm.Scorer().score(mm.make_cohort(2, 2, rng=0))).to_csv(path)
        >>> path.read_text().splitlines()[0].split(",")[:3]
        ['student_id', 'manager_id', 'score']
        """
        owner = "Matching.to_csv"
        explain = check_flag(explain, param_where("explain", owner))
        force = check_flag(force, param_where("force", owner))
        write_csv(
            self.to_frame(explain=explain),
            path,
            param="path",
            owner=owner,
            protect=self._inputs(),
            force=force,
            **kwargs,
        )

    def to_excel(
        self, path: str | os.PathLike[str], *, explain: bool = False, force: bool = False
    ) -> None:
        """Write the pairing as an Excel workbook: sheets pairs, unmatched and summary.

        Needs the optional extra ``excel`` (``pip install
        'mentormatch-pairing[excel]'``). Every text cell is stored as text,
        never as a formula.

        Parameters
        ----------
        path : str or path-like
            Usually ending in ``.xlsx``.
        explain : bool, default False
            Add a ``reason`` column to the pairs.
        force : bool, default False
            Overwrite an existing file (never an input file).

        Raises
        ------
        InvalidInputError
            When ``path`` exists (without ``force``) or is an input file, or
            openpyxl is missing.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pandas as pd
        >>> import mentormatch as mm
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.xlsx"
        >>> mm.match(mm.Scorer().score(mm.make_cohort(3, 2, rng=0))).to_excel(path)
        >>> list(pd.read_excel(path, sheet_name=None))
        ['pairs', 'unmatched', 'summary']
        """
        owner = "Matching.to_excel"
        explain = check_flag(explain, param_where("explain", owner))
        force = check_flag(force, param_where("force", owner))
        pairs = self.pairs
        if explain:
            pairs = pairs.assign(reason=self.reasons().to_numpy())
        summary = self.summary()
        sheets = {
            "pairs": pairs,
            "unmatched": self.unmatched,
            "summary": pd.DataFrame(
                {"figure": list(summary.index), "value": [_plain(v) for v in summary]}
            ),
        }
        write_excel(
            sheets,
            path,
            param="path",
            owner="Matching.to_excel",
            protect=self._inputs(),
            force=force,
        )

    def _inputs(self) -> list[str]:
        """The files the cohort was read from: never to be written over."""
        sources = self.scores.cohort._sources.values()
        return [source.name for source in sources if source.name is not None]

    def to_html(
        self,
        path: str | os.PathLike[str],
        *,
        title: str | None = None,
        evaluation: Any = None,
        personal: bool = False,
        force: bool = False,
    ) -> Path:
        """Write a report a coordinator can share: one self-contained HTML file.

        The summary, the pairs with their reasons, the unmatched with
        theirs, the methods compared, the plots and, when given, the
        end-of-year evaluation. No request leaves the page, it prints on A4,
        and personal attributes appear only with ``personal=True``. See
        :func:`mentormatch.report.write`.

        Parameters
        ----------
        path : str or path-like
        title : str, optional
        evaluation : Evaluation, optional
            From :func:`mentormatch.evaluate`.
        personal : bool, default False
            Show age, gender, region and languages.
        force : bool, default False
            Replace an existing file; otherwise an existing file is an error.

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(4, 4, rng=0)))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "report.html"
        >>> pairing.to_html(path, title="Pilot 2026").read_text().count("<tr><td><strong>s0")
        4
        """
        # The report sits above this module, so it is not imported here: report.py
        # registers its writer below when it is imported (mentormatch/__init__ does).
        if _REPORT_WRITER is None:  # pragma: no cover - only without mentormatch/__init__
            raise RuntimeError("import mentormatch (or mentormatch.report) first")
        return _REPORT_WRITER(
            self,
            path,
            title=title,
            evaluation=evaluation,
            personal=personal,
            force=force,
        )

    def __repr__(self) -> str:
        return (
            f"Matching(method={self.method!r}, {len(self.rows)} pairs, "
            f"{len(self.unmatched)} unmatched)"
        )

    def _repr_html_(self) -> str:
        # Ids and scores only: no other personal data.
        pairs = self.pairs
        body = "".join(
            f"<tr><td>{html.escape(str(r.student_id))}</td><td>{html.escape(str(r.manager_id))}</td>"
            f"<td>{r.score:.2f}</td></tr>"
            for r in pairs.itertuples(index=False)
        )
        unmatched = self.unmatched
        rest = "".join(
            f"<tr><td colspan='3'>{html.escape(str(u.id))} ({u.side}): {html.escape(str(u.reason))}</td></tr>"
            for u in unmatched.itertuples(index=False)
        )
        return (
            f"<table><caption>Matching ({html.escape(self.method)}): {len(pairs)} pairs, "
            f"total {self.total_score:.2f}, {len(unmatched)} unmatched</caption>"
            f"<tr><th>student</th><th>manager</th><th>score</th></tr>{body}{rest}</table>"
        )


def _blocking_by_blocks(pairing: Matching) -> NDArray[np.intp]:
    """:func:`solvers.blocking_pairs` of a pairing, a block of students at a time.

    For scores computed on demand: each block's views and allowed mask are
    scored together, checked against each side's standing in the pairing
    (:func:`solvers.matching_standing`, from the pairs' own values) and
    forgotten, so memory is O(n_students + n_managers + block + the pairs
    found). The rule is the same (strict preferences, free places, forbidden
    pairs never block) and the pairs come in the same order (by student,
    then manager).
    """
    found = [np.zeros((0, 2), dtype=np.intp)]
    for _, args, ok in _blocking_blocks(pairing):
        found.append(solvers.blocking_in_block(*args, allowed=ok, return_pairs=True))
    return np.concatenate(found)


def _figures_by_blocks(pairing: Matching) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """:meth:`Matching._ranks_and_blocking` in one pass over blocks of students.

    A pair's rank by its student counts the student's allowed managers it
    values more (in the student's own block); by its manager, the manager's
    allowed students it values more, summed over every block. Memory
    O(block + pairs): the pairs' columns of a block are read at once.
    """
    scores = pairing.scores
    rows, cols = pairing.rows, pairing.cols
    (mine_m,) = scores._pair_fields(["manager_view"], rows, cols)
    s_ranks = np.ones(len(rows), dtype=np.int64)
    m_ranks = np.ones(len(rows), dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    by_row = rows[order]
    n_blocking = 0
    for block, args, ok in _blocking_blocks(pairing):
        # The pairs' columns of the block, a slice of pairs at a time: about a block's size.
        step = max(1, scores._BLOCK // max(1, block.stop - block.start))
        n_blocking += solvers.blocking_in_block(*args, allowed=ok)
        s_view, m_view = args[2], args[3]
        lo, hi = np.searchsorted(by_row, [block.start, block.stop])
        here = order[lo:hi]
        local = rows[here] - block.start
        mine_s = s_view[local, cols[here]]
        better = (s_view[local] > mine_s[:, None]) & ok[local]
        s_ranks[here] += better.sum(axis=1)
        for start in range(0, len(rows), step):
            part = slice(start, start + step)
            better = (m_view[:, cols[part]] > mine_m[part]) & ok[:, cols[part]]
            m_ranks[part] += better.sum(axis=0)
    return s_ranks, m_ranks, n_blocking


def _blocking_blocks(pairing: Matching) -> Iterator[tuple[slice, tuple[Any, ...], Mask]]:
    """Each block of students, :func:`solvers.blocking_in_block`'s arguments for it, its mask.

    Checks first that the pairing is a matching of allowed pairs, as
    :func:`solvers.blocking_pairs` does (capacities: in matching_standing).
    """
    scores = pairing.scores
    cohort = scores.cohort
    n_s, n_m = scores.shape
    rows, cols = pairing.rows, pairing.cols
    both = "parameters 'rows' and 'cols' of blocking_pairs"
    keys = rows.astype(np.int64) * n_m + cols
    if len(np.unique(keys)) != len(keys):
        _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        t = int(first[counts > 1].min())
        raise fail(
            both,
            "a matching (no pair listed twice)",
            f"the pair ({rows[t]}, {cols[t]}) more than once",
        )
    s_value, m_value, allowed = scores._pair_fields(
        ["student_view", "manager_view", "allowed"], rows, cols
    )
    if not allowed.all():
        t = int(np.flatnonzero(~allowed)[0])
        raise fail(
            both, "only allowed pairs", f"the pair ({rows[t]}, {cols[t]}), which 'allowed' forbids"
        )
    standing = solvers.matching_standing(
        rows, cols, s_value, m_value, n_s, n_m, cohort.student_capacity, cohort.manager_capacity
    )
    order = np.argsort(rows, kind="stable")
    by_row, their_cols = rows[order], cols[order]
    every_col = np.arange(n_m, dtype=np.intp)
    for block in row_blocks(n_s, n_m, size=scores._BLOCK):
        s_view, m_view, ok = scores._fields(
            ["student_view", "manager_view", "allowed"], block, slice(None)
        )
        lo, hi = np.searchsorted(by_row, [block.start, block.stop])
        matched = np.zeros(ok.shape, dtype=np.bool_)
        matched[by_row[lo:hi] - block.start, their_cols[lo:hi]] = True
        block_rows = np.arange(block.start, block.stop, dtype=np.intp)
        yield block, (block_rows, every_col, s_view, m_view, matched, *standing), ok


def _why_not(pairing: Matching, student_id: str, manager_id: str) -> str:
    """The text of :meth:`Matching.why_not`."""
    owner = "Matching.why_not"
    scores = pairing.scores
    cohort = scores.cohort
    s, m = str(student_id).strip(), str(manager_id).strip()
    if s not in cohort.student_index:
        raise fail(
            param_where("student_id", owner),
            "a student id of the cohort",
            f"{s!r}, which is not one",
        )
    if m not in cohort.manager_index:
        raise fail(
            param_where("manager_id", owner),
            "a manager id of the cohort",
            f"{m!r}, which is not one",
        )
    i, j = cohort.student_index[s], cohort.manager_index[m]
    pairs = pairing._pair_list()
    if (i, j) in pairs:
        return f"{s} and {m} are paired."
    if not scores.allowed[i, j]:
        rules = "; ".join(scores.explain(s, m).forbidden_by)
        return f"{s} and {m} cannot be paired: forbidden by {rules}."
    s_ids, m_ids = scores.student_ids, scores.manager_ids
    total = scores.total
    lines = [f"{s} and {m} are not paired (method {pairing.method!r})."]
    forced: Matching | None = None
    if not scores._fits_dense():
        lines.append(
            "What forcing the pair would change is not computed: it solves the pairing "
            "again, and the scores of a cohort this large are computed on demand."
        )
    else:
        try:
            forced = pairing.what_if(force=[(s, m)])
        except InfeasibleError as err:
            lines.append(f"Forcing the pair is not possible: {err}")
    if forced is not None:
        worst = _worst(pairing)
        worst_forced = _worst(forced)
        lines.append(
            f"Forcing the pair changes the total score by "
            f"{forced.total_score - pairing.total_score:+.3f} "
            f"({pairing.total_score:.3f} -> {forced.total_score:.3f}) and the worst pair "
            f"from {worst:.3f} to {worst_forced:.3f}."
        )
        changes = pairing.diff(forced)
        moves: dict[str, tuple[list[str], list[str]]] = {}
        for row in changes.itertuples(index=False):
            left, joined = moves.setdefault(str(row.student_id), ([], []))
            forced_pair = (row.student_id, row.manager_id) == (s, m)
            text = f"{row.manager_id} ({row.score:.3f}{', forced' if forced_pair else ''})"
            (left if row.change == "removed" else joined).append(text)
        others = sorted(x for x in moves if x != s)
        lines.append(
            "Who would move: "
            + ("nobody else." if not others else f"{len(others)} other student(s).")
        )
        for student in [s, *others]:
            left, joined = moves[student]
            before = ", ".join(left) or "no partner"
            after = ", ".join(joined) or "no partner"
            lines.append(f"  {student}: {before} -> {after}")
    s_partners = [c for r, c in pairs if r == i]
    m_partners = [r for r, c in pairs if c == j]
    lines.append(f"Criterion by criterion, {s}-{m} against the partners they have:")
    for name, values in [("score", total), *scores.components.items()]:
        parts = [f"{values[i, j]:.2f} for {s}-{m}"]
        parts += [f"{values[i, c]:.2f} for {s}-{m_ids[c]}" for c in s_partners]
        parts += [f"{values[r, j]:.2f} for {s_ids[r]}-{m}" for r in m_partners]
        lines.append(f"  {name}: " + ", ".join(parts))
    if pairing.method in STABLE_METHODS:
        lines.append(_blocking_text(pairing, i, j, s_partners, m_partners))
    return "\n".join(lines)


def _worst(pairing: Matching) -> float:
    values = pairing.scores.total[pairing.rows, pairing.cols]
    return float(values.min()) if values.size else float("nan")


def _blocking_text(
    pairing: Matching, i: int, j: int, s_partners: list[int], m_partners: list[int]
) -> str:
    """Whether (i, j) blocks a stable pairing, and if not, who prefers what they have."""
    scores = pairing.scores
    cohort = scores.cohort
    sv, mv = scores.student_view, scores.manager_view
    s, m = scores.student_ids[i], scores.manager_ids[j]
    s_room = len(s_partners) < cohort.student_capacity[i]
    m_room = len(m_partners) < cohort.manager_capacity[j]
    s_worst = min(s_partners, key=lambda c: sv[i, c], default=None)
    m_worst = min(m_partners, key=lambda r: mv[r, j], default=None)
    s_wants = s_room or (s_worst is not None and sv[i, j] > sv[i, s_worst])
    m_wants = m_room or (m_worst is not None and mv[i, j] > mv[m_worst, j])
    if s_wants and m_wants:
        return f"The pair blocks this pairing: {s} and {m} would both rather be together."
    reasons = []
    if not s_wants and s_worst is not None:
        reasons.append(
            f"{s} values {scores.manager_ids[s_worst]} at {sv[i, s_worst]:.2f} "
            f"and {m} at {sv[i, j]:.2f} (student view)"
        )
    if not m_wants and m_worst is not None:
        reasons.append(
            f"{m} values {scores.student_ids[m_worst]} at {mv[m_worst, j]:.2f} "
            f"and {s} at {mv[i, j]:.2f} (manager view)"
        )
    return "The pair does not block this stable pairing: " + "; ".join(reasons) + "."


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


#: The report's writer, set by :mod:`mentormatch.report` when it is imported (it
#: sits above this module, so this module cannot import it): Matching.to_html's door.
_REPORT_WRITER: Callable[..., Path] | None = None


def _register_report_writer(write: Callable[..., Path]) -> None:
    """Called once by :mod:`mentormatch.report` at import."""
    global _REPORT_WRITER
    _REPORT_WRITER = write
