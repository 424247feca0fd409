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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import metrics, solvers
from mentormatch._validation import (
    check_flag,
    check_option,
    describe,
    fail,
    is_missing,
    param_where,
)
from mentormatch.exceptions import InfeasibleError
from mentormatch.io import unescape, write_csv, write_excel
from mentormatch.scoring import Scores

__all__ = ["METHODS", "Matching", "match"]

Index = NDArray[np.intp]
Mask = NDArray[np.bool_]
Capacity = NDArray[np.int64]


def _hungarian(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, proposer: str
) -> tuple[Index, Index]:
    return solvers.hungarian(scores.total, allowed=allowed, row_capacity=s_cap, col_capacity=m_cap)


def _maxmin(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, proposer: str
) -> tuple[Index, Index]:
    return solvers.maxmin(scores.total, allowed=allowed, row_capacity=s_cap, col_capacity=m_cap)


def _stable(
    scores: Scores, allowed: Mask, s_cap: Capacity, m_cap: Capacity, proposer: str
) -> tuple[Index, Index]:
    if proposer == "students":
        return solvers.gale_shapley(
            scores.student_view,
            scores.manager_view,
            allowed=allowed,
            proposer_capacity=s_cap,
            receiver_capacity=m_cap,
        )
    # Managers propose: the same solver on the transposed problem.
    cols, rows = solvers.gale_shapley(
        scores.manager_view.T,
        scores.student_view.T,
        allowed=allowed.T,
        proposer_capacity=m_cap,
        receiver_capacity=s_cap,
    )
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


#: The pairing methods by name: each takes the scores, the allowed mask and
#: both sides' capacities, and returns index arrays ``(rows, cols)``.
METHODS: Final[
    Mapping[str, Callable[[Scores, Mask, Capacity, Capacity, str], tuple[Index, Index]]]
] = {
    "hungarian": _hungarian,
    "stable": _stable,
    "maxmin": _maxmin,
}
PROPOSERS: Final = ("students", "managers")


def match(
    scores: Scores,
    *,
    method: str = "hungarian",
    proposer: str = "students",
    fixed: Iterable[tuple[str, str]] | Mapping[str, str] | pd.DataFrame | None = None,
) -> Matching:
    r"""Pair students with managers.

    Parameters
    ----------
    scores : Scores
        From :meth:`Scorer.score`; capacities come from its cohort and
        forbidden pairs from ``scores.allowed``.
    method : {"hungarian", "stable", "maxmin"}, default "hungarian"
        ``"hungarian"``: among pairings that pair as many people as the
        rules allow, the largest total score,
        :math:`\max \sum_{(i, j)} t_{ij}`. ``"maxmin"``: the best possible
        worst pair, then the largest total. ``"stable"``: deferred
        acceptance on ``student_view`` and ``manager_view``; no student and
        manager who are not paired would both rather be with each other.
    proposer : {"students", "managers"}, default "students"
        For ``"stable"``: the side that proposes and so gets its best
        stable pairing (the other side gets its worst). While both views
        equal ``total`` (no side weights, no stated preferences) the stable
        pairing is unique and the proposer makes no difference.
    fixed : iterable of (student_id, manager_id), mapping or DataFrame, optional
        Pairs to keep as they are; everyone else is paired around them
        (re-matching after a drop-out). A list of pairs, a mapping of
        student id to manager id, or a DataFrame with columns
        ``student_id`` and ``manager_id`` such as a pairing's own
        :meth:`Matching.to_frame` or ``--out`` file read back (rows with an
        empty id, the unmatched, are skipped; spreadsheet-escaped ids such
        as ``'-5`` are undone). Fixed pairs are marked in the ``fixed``
        column of :attr:`Matching.pairs`.

    Returns
    -------
    Matching

    Raises
    ------
    InvalidInputError
        For an unknown method or proposer, or a fixed pair naming an
        unknown id.
    InfeasibleError
        When a fixed pair is forbidden by a hard rule, repeated, or takes
        a person beyond their capacity.

    See Also
    --------
    mentormatch.solvers : The array solvers behind each method.

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
    """
    owner = "match"
    if not isinstance(scores, Scores):
        raise fail(param_where("scores", owner), "a Scores (from Scorer.score)", describe(scores))
    check_option(method, "method", owner, METHODS)
    check_option(proposer, "proposer", owner, PROPOSERS)
    cohort = scores.cohort
    s_cap = cohort.student_capacity
    m_cap = cohort.manager_capacity
    allowed = scores.allowed

    fixed_rows, fixed_cols = _fixed_pairs(fixed, scores, s_cap, m_cap)
    if len(fixed_rows):
        s_cap = s_cap - np.bincount(fixed_rows, minlength=len(s_cap))
        m_cap = m_cap - np.bincount(fixed_cols, minlength=len(m_cap))
        allowed = allowed.copy()
        allowed[fixed_rows, fixed_cols] = False  # a pair is made at most once

    rows, cols = METHODS[method](scores, allowed, s_cap, m_cap, proposer)
    rows = np.concatenate([np.asarray(rows, dtype=np.intp), fixed_rows])
    cols = np.concatenate([np.asarray(cols, dtype=np.intp), fixed_cols])
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
    )


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
    fixed: Any, scores: Scores, s_cap: Capacity, m_cap: Capacity
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
        if not scores.allowed[i, j]:
            rules = ", ".join(scores.explain(student, manager).forbidden_by)
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

    @property
    def pairs(self) -> pd.DataFrame:
        """One row per pair: ids, ``score`` (the total), each criterion, ``fixed``."""
        s_ids = np.array(self.scores.student_ids, dtype=object)
        m_ids = np.array(self.scores.manager_ids, dtype=object)
        frame = pd.DataFrame(
            {
                "student_id": s_ids[self.rows],
                "manager_id": m_ids[self.cols],
                "score": self.scores.total[self.rows, self.cols].astype(np.float64),
            }
        )
        for name, values in self.scores.components.items():
            frame[name] = values[self.rows, self.cols].astype(np.float64)
        frame["fixed"] = self.fixed
        return frame

    @property
    def unmatched(self) -> pd.DataFrame:
        """Everyone left without a partner: ``id``, ``side`` and ``reason``."""
        cohort = self.scores.cohort
        s_load = np.bincount(self.rows, minlength=cohort.n_students)
        m_load = np.bincount(self.cols, minlength=cohort.n_managers)
        records: list[tuple[str, str, str]] = []
        for side in ("student", "manager"):
            load = s_load if side == "student" else m_load
            ids = cohort.student_ids if side == "student" else cohort.manager_ids
            for k in np.flatnonzero(load == 0):
                records.append((ids[k], side, self._why_unmatched(side, int(k), s_load, m_load)))
        return pd.DataFrame(records, columns=["id", "side", "reason"])

    def _why_unmatched(
        self, side: str, k: int, s_load: NDArray[np.intp], m_load: NDArray[np.intp]
    ) -> str:
        """A specific reason why person ``k`` of ``side`` has no partner."""
        scores, cohort = self.scores, self.scores.cohort
        if side == "student":
            allowed, other, other_load = scores.allowed[k], "manager", m_load
            # other_view[j, i]: how manager j values student i.
            other_cap, other_view = cohort.manager_capacity, scores.manager_view.T
            rows_of = {"own": "avoid (students)", "theirs": "avoid (managers)"}
            forbidden = {name: mask[k] for name, mask in scores.forbidden.items()}
            partners_of = self.cols, self.rows
        else:
            allowed, other, other_load = scores.allowed[:, k], "student", s_load
            # other_view[j, i]: how student j values manager i.
            other_cap, other_view = cohort.student_capacity, scores.student_view
            rows_of = {"own": "avoid (managers)", "theirs": "avoid (students)"}
            forbidden = {name: mask[:, k] for name, mask in scores.forbidden.items()}
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
            prefer = all(
                (other_view[j, theirs[mine == j]] > other_view[j, k]).all() for j in open_
            )
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
        cohort = self.scores.cohort
        found = solvers.blocking_pairs(
            self.rows,
            self.cols,
            self.scores.student_view,
            self.scores.manager_view,
            allowed=self.scores.allowed,
            proposer_capacity=cohort.student_capacity,
            receiver_capacity=cohort.manager_capacity,
        )
        s_ids = np.array(self.scores.student_ids, dtype=object)
        m_ids = np.array(self.scores.manager_ids, dtype=object)
        return pd.DataFrame({"student_id": s_ids[found[:, 0]], "manager_id": m_ids[found[:, 1]]})

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
        s_ids, m_ids = self.scores.student_ids, self.scores.manager_ids
        lines = [
            self.scores.explain(s_ids[i], m_ids[j]).one_line()
            for i, j in zip(self.rows.tolist(), self.cols.tolist(), strict=True)
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
        # The report sits above this module; this method is its door (an import-linter
        # exception in pyproject.toml names this one import).
        from mentormatch import report

        return report.write(
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


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
