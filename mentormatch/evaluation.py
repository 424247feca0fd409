"""After the year: did the scores predict how the pairs went, and which weights would have.

:func:`evaluate` sets a pairing beside the end-of-year evaluation (one row
per pair, one or more numeric rating columns) and measures, with Spearman's
rank correlation and a bootstrap interval, whether the total and each
criterion predicted each rating. :func:`calibrate` fits the criterion
weights to a rating, for next year's :class:`~mentormatch.Scorer`.
:func:`make_ratings` makes a synthetic survey for tests and examples.

This module is analysis: it sits above :mod:`mentormatch.matching` and
:mod:`mentormatch.metrics` and is never imported by them.
"""

from __future__ import annotations

import copy
import html
import itertools
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, stats

from mentormatch._validation import (
    NON_NEGATIVE,
    POSITIVE_INT,
    UNIT,
    as_generator,
    check_instance,
    check_number,
    check_option,
    describe,
    fail,
    param_where,
    table_where,
)
from mentormatch.cohort import Cohort
from mentormatch.exceptions import UnreliableFitWarning
from mentormatch.io import read_table
from mentormatch.matching import Matching
from mentormatch.scoring import Scorer, check_cohort_and_scorer

__all__ = ["Calibration", "Evaluation", "calibrate", "evaluate", "make_ratings"]

Float = NDArray[np.float64]
ID_COLUMNS: Final = ("student_id", "manager_id")
#: Below this many rated pairs (or 10 per criterion, whichever is more) a fit is not trusted.
MIN_PAIRS: Final = 30
#: Exact active-set enumeration up to this many criteria (2**12 tiny least-squares problems).
_ENUMERATE_UP_TO: Final = 12


# --------------------------------------------------------------------------- reading
def _read_ratings(ratings: Any, owner: str) -> pd.DataFrame:
    """The ratings table: a DataFrame, or a CSV or Excel file of one."""
    where = param_where("ratings", owner)
    if isinstance(ratings, pd.DataFrame):
        frame = ratings.copy()
    elif isinstance(ratings, (str, os.PathLike)):
        frame = read_table(ratings, param="ratings", owner=owner).frame
    else:
        raise fail(where, "a DataFrame or the path of a CSV or Excel file", describe(ratings))
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ID_COLUMNS if c not in frame.columns]
    if missing:
        raise fail(
            where, "columns 'student_id' and 'manager_id'", f"columns {list(frame.columns)}"
        )
    for column in ID_COLUMNS:
        frame[column] = [str(v).strip() for v in frame[column]]
    duplicated = frame.duplicated(list(ID_COLUMNS))
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise fail(
            where,
            "one row per pair",
            f"({row['student_id']!r}, {row['manager_id']!r}) more than once",
        )
    return frame.reset_index(drop=True)


def _numeric(frame: pd.DataFrame, column: str) -> Float:
    """A rating column as floats; empty cells are NaN (not answered)."""
    out = np.full(len(frame), np.nan)
    for k, (value, student, manager) in enumerate(
        zip(frame[column], frame["student_id"], frame["manager_id"], strict=True)
    ):
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        if value is None or value is pd.NA:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = np.inf  # reported below
        if np.isnan(number):
            continue
        if not np.isfinite(number):
            raise fail(
                table_where("ratings", f"{student}, {manager}", column),
                "a finite number or an empty cell",
                describe(value),
            )
        out[k] = number
    return out


def _rating_columns(frame: pd.DataFrame, columns: Sequence[str] | None, owner: str) -> list[str]:
    available = [c for c in frame.columns if c not in ID_COLUMNS]
    if columns is None:
        chosen = available
    elif isinstance(columns, str):
        chosen = [columns]
    elif isinstance(columns, Sequence):
        chosen = list(columns)
    else:
        raise fail(param_where("columns", owner), "a sequence of column names", describe(columns))
    if not chosen:
        raise fail(param_where("ratings", owner), "at least one rating column", "none")
    for name in chosen:
        if name not in available:
            raise fail(
                param_where("columns" if columns is not None else "ratings", owner),
                f"rating columns from {available}",
                describe(name),
            )
    return chosen


# --------------------------------------------------------------------------- statistics
def _rank_corr(x: Float, y: Float) -> Float:
    """Spearman's rho along the last axis: Pearson's r of average ranks.

    NaN where either side is constant (rho is undefined there); computed
    here rather than with :func:`scipy.stats.spearmanr`, which warns on
    constant input and would be called thousands of times per bootstrap.
    """
    rx = stats.rankdata(x, axis=-1)
    ry = stats.rankdata(y, axis=-1)
    rx = rx - rx.mean(axis=-1, keepdims=True)
    ry = ry - ry.mean(axis=-1, keepdims=True)
    sxy = (rx * ry).sum(axis=-1)
    sxx = (rx * rx).sum(axis=-1)
    syy = (ry * ry).sum(axis=-1)
    constant = (np.ptp(x, axis=-1) == 0) | (np.ptp(y, axis=-1) == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = sxy / np.sqrt(sxx * syy)
    rho = np.where(constant, np.nan, rho)
    return np.asarray(np.clip(rho, -1.0, 1.0), dtype=np.float64)


def _spearman_interval(
    x: Float, y: Float, n_boot: int, gen: np.random.Generator
) -> tuple[float, float, float]:
    """Spearman's rho with a percentile bootstrap 95 % interval (resampling pairs)."""
    n = len(x)
    if n < 3:
        return np.nan, np.nan, np.nan
    rho = float(_rank_corr(x, y))
    index = gen.integers(0, n, size=(n_boot, n))
    samples = _rank_corr(x[index], y[index])
    finite = samples[np.isfinite(samples)]
    # Resamples that drew one value only have no rho; with most of them gone
    # the interval would describe the lucky few, so there is none.
    if len(finite) < n_boot / 2:
        return rho, np.nan, np.nan
    low, high = np.percentile(finite, [2.5, 97.5])
    return rho, float(low), float(high)


def _nnls(design: Float, target: Float) -> Float:
    """Non-negative least squares, exact: min ||design @ b - target|| over b >= 0.

    For up to 12 columns by enumerating active sets: the optimum is the
    unconstrained least-squares solution on its own support (the KKT
    conditions), so the best feasible one of the 2**k supports is it. Each
    step is one SVD-based :func:`numpy.linalg.lstsq`, which always
    terminates; no iteration limit can be hit. More columns go to
    :func:`scipy.optimize.nnls` (Lawson-Hanson), whose iteration limit
    raises rather than returning a wrong answer.
    """
    k = design.shape[1]
    if k > _ENUMERATE_UP_TO:
        solution, _ = optimize.nnls(design, target)
        return np.asarray(solution, dtype=np.float64)
    best = np.zeros(k)
    best_residual = float(target @ target)
    for size in range(1, k + 1):
        for support in itertools.combinations(range(k), size):
            cols = list(support)
            coef, *_ = np.linalg.lstsq(design[:, cols], target, rcond=None)
            if np.any(coef < 0):
                continue
            residual = target - design[:, cols] @ coef
            value = float(residual @ residual)
            # A strictly smaller residual only: ties keep the smaller support.
            if value < best_residual * (1 - 1e-12) - 1e-300:
                best = np.zeros(k)
                best[cols] = coef
                best_residual = value
    return best


def _fit_weights(components: Float, target: Float) -> Float | None:
    """Weights >= 0 summing to 1 of ``rating ~ a + b * components @ w``; None if no b > 0.

    The intercept is free: centring both sides removes it exactly.
    """
    centred = components - components.mean(axis=0)
    coef = _nnls(centred, target - target.mean())
    total = coef.sum()
    if not total > 0:
        return None
    return np.asarray(coef / total, dtype=np.float64)


# --------------------------------------------------------------------------- evaluate
@dataclass(frozen=True, repr=False, eq=False)
class Evaluation:
    """How the scores of a pairing relate to its end-of-year ratings: made by :func:`evaluate`.

    Draw it with :func:`mentormatch.plot.evaluation_panels` (plots sit above
    this module, so an Evaluation has no plot method of its own).

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per rated pair: ``student_id``, ``manager_id``, ``score``
        (the total), each criterion and each rating column (NaN where that
        question was not answered).
    unrated : pandas.DataFrame
        The pairs of the pairing without any rating (ended early, no
        answer): ``student_id``, ``manager_id``, ``score``.
    correlations : pandas.DataFrame
        One row per (rating, score) couple: ``rating``, ``score``
        (``"total"`` or a criterion), Spearman's ``rho``, the bootstrap
        95 % interval ``low`` and ``high``, and ``n``, the pairs that
        answered that rating. ``rho`` is NaN below 3 pairs or when either
        side does not vary.
    ratings : tuple of str
        The rating columns.
    criteria : tuple of str
    method : str
        The pairing method.
    n_boot : int
        Bootstrap resamples per interval.

    See Also
    --------
    mentormatch.plot.evaluation_panels : Scores against a rating, one panel per criterion.

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> survey = mm.make_ratings(pairing, weights={"interests": 1.0}, rng=1)
    >>> result = mm.evaluate(pairing, survey, rng=0)
    >>> result
    Evaluation(hungarian: 8 pairs rated, 0 unrated; ratings: rating)
    >>> result.correlations.columns.tolist()
    ['rating', 'score', 'rho', 'low', 'high', 'n']
    """

    pairs: pd.DataFrame
    unrated: pd.DataFrame
    correlations: pd.DataFrame
    ratings: tuple[str, ...]
    criteria: tuple[str, ...]
    method: str
    n_boot: int

    @property
    def n_rated(self) -> int:
        """The number of pairs with at least one rating."""
        return len(self.pairs)

    @property
    def n_unrated(self) -> int:
        """The number of pairs without any rating."""
        return len(self.unrated)

    def table(self, rating: str | None = None) -> pd.DataFrame:
        """The correlations of one rating as a table, one row per score.

        Parameters
        ----------
        rating : str, optional
            A rating column; default the first.

        Returns
        -------
        pandas.DataFrame
            Indexed by score (``total`` and each criterion), with ``rho``,
            ``low``, ``high`` and ``n``.

        Examples
        --------
        >>> import mentormatch as mm
        >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
        >>> result = mm.evaluate(pairing, mm.make_ratings(pairing, rng=1), rng=0)
        >>> result.table().index.tolist()
        ['total', 'programme', 'interests', 'diversity']
        """
        name = self.ratings[0] if rating is None else rating
        check_option(name, "rating", "Evaluation.table", self.ratings)
        part = self.correlations[self.correlations["rating"] == name]
        return part.drop(columns="rating").set_index("score")

    def __repr__(self) -> str:
        return (
            f"Evaluation({self.method}: {self.n_rated} pairs rated, {self.n_unrated} unrated; "
            f"ratings: {', '.join(self.ratings)})"
        )

    def _repr_html_(self) -> str:
        return evaluation_html(self)


def _cell(rho: float, low: float, high: float) -> str:
    if np.isnan(rho):
        return "–"
    if np.isnan(low):
        return f"{rho:+.2f}"
    return f"{rho:+.2f} [{low:+.2f}, {high:+.2f}]"


def evaluation_html(evaluation: Evaluation, *, heading: str = "h3") -> str:
    """The evaluation as HTML tables (every text escaped), for notebooks and the report."""
    esc = html.escape
    scores = ("total", *evaluation.criteria)
    head = "".join(f'<th scope="col">{esc(r)}</th>' for r in evaluation.ratings)
    rows = []
    for score in scores:
        cells = []
        for rating in evaluation.ratings:
            hit = evaluation.correlations[
                (evaluation.correlations["rating"] == rating)
                & (evaluation.correlations["score"] == score)
            ].iloc[0]
            cells.append(
                f"<td>{esc(_cell(hit['rho'], hit['low'], hit['high']))} "
                f"<small>(n={int(hit['n'])})</small></td>"
            )
        rows.append(f'<tr><th scope="row">{esc(score)}</th>{"".join(cells)}</tr>')
    caption = (
        f"Spearman's ρ between each score and each rating, with a bootstrap 95 % interval "
        f"({evaluation.n_boot} resamples) and the number of pairs: "
        f"{evaluation.n_rated} pairs rated, {evaluation.n_unrated} without a rating."
    )
    out = [
        f'<table class="evaluation keep"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">score</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    ]
    if evaluation.n_unrated:
        items = "".join(
            f"<tr><td>{esc(str(r.student_id))}</td><td>{esc(str(r.manager_id))}</td>"
            f"<td>{r.score:.2f}</td></tr>"
            for r in evaluation.unrated.itertuples(index=False)
        )
        out.append(
            '<table class="unrated keep"><caption>Pairs without a rating (ended early or no '
            'answer): not in the correlations</caption><thead><tr><th scope="col">student</th>'
            '<th scope="col">manager</th><th scope="col">score</th></tr></thead>'
            f"<tbody>{items}</tbody></table>"
        )
    return "".join(out)


def evaluate(
    matching: Matching,
    ratings: pd.DataFrame | str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    n_boot: int = 2000,
    rng: int | np.random.Generator | None = None,
) -> Evaluation:
    r"""Set a pairing beside its end-of-year ratings, to see whether the scores predicted them.

    For each rating column and each score (the total and every criterion),
    Spearman's rank correlation over the pairs that answered,

    .. math:: \rho = \operatorname{corr}(\operatorname{rank}(s), \operatorname{rank}(r)),

    with average ranks for ties, and a percentile bootstrap 95 % interval
    from ``n_boot`` resamples of the pairs. Ranks, not values: a 1-5
    answer is ordinal, and rho does not care how the scale is spaced.

    Parameters
    ----------
    matching : Matching
        The pairing that ran.
    ratings : pandas.DataFrame, or path of a CSV or Excel file
        One row per pair: ``student_id``, ``manager_id`` and numeric rating
        columns (a 1-5 answer from either side, meetings held, 0/1 "would
        continue"). Empty cells mean "not answered". Pairs of the pairing
        with no row, or no answer at all, are reported in ``unrated``,
        never dropped silently.
    columns : sequence of str, optional
        The rating columns to use; default every column but the ids.
    n_boot : int, default 2000
        Bootstrap resamples per interval.
    rng : int or numpy.random.Generator, optional
        The bootstrap's randomness; the same seed gives the same intervals.

    Returns
    -------
    Evaluation

    Raises
    ------
    InvalidInputError
        When a row names a pair that is not in the pairing, a pair appears
        twice, a rating cell is not a number, or a column is missing.

    Notes
    -----
    With 8 pairs the interval is wide, and that is the point: it shows how
    little 8 pairs can tell. The percentile bootstrap is rough for small
    samples (it can be too narrow); read the interval as a lower bound on
    the uncertainty.

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> survey = mm.make_ratings(pairing, weights={"interests": 1.0}, missing=0.25, rng=1)
    >>> result = mm.evaluate(pairing, survey, rng=0)
    >>> result.n_rated, result.n_unrated
    (7, 1)
    >>> result.table().round(2)
                rho   low  high  n
    score
    total     -0.43 -0.91  0.45  7
    programme -0.75 -1.00 -0.35  7
    interests  0.81  0.47  0.97  7
    diversity  0.29 -0.53  0.92  7

    The ratings were made to follow shared interests only, and 7 pairs show
    it, with a wide interval; the total (equal weights) did not predict them.
    """
    owner = "evaluate"
    if not isinstance(matching, Matching):
        raise fail(param_where("matching", owner), "a Matching (from match)", describe(matching))
    n_boot = _positive_int(n_boot, "n_boot", owner)
    gen = as_generator(rng, param_where("rng", owner))
    frame = _read_ratings(ratings, owner)
    names = _rating_columns(frame, columns, owner)
    values = {name: _numeric(frame, name) for name in names}

    pairs = matching.pairs.drop(columns="fixed")
    criteria = tuple(matching.scores.components)
    made = {
        (s, m): k
        for k, (s, m) in enumerate(zip(pairs["student_id"], pairs["manager_id"], strict=True))
    }
    answered = np.zeros(len(pairs), dtype=np.bool_)
    table = {name: np.full(len(pairs), np.nan) for name in names}
    for row, (student, manager) in enumerate(
        zip(frame["student_id"], frame["manager_id"], strict=True)
    ):
        k = made.get((student, manager))
        if k is None:
            raise fail(
                table_where("ratings", f"{student}, {manager}"),
                f"pairs of the pairing ({matching.method})",
                "a pair that was not made",
            )
        for name in names:
            table[name][k] = values[name][row]
            answered[k] |= not np.isnan(values[name][row])
    for name in names:
        pairs[name] = table[name]
    rated = pairs[answered].reset_index(drop=True)
    unrated = pairs.loc[~answered, ["student_id", "manager_id", "score"]].reset_index(drop=True)

    records = []
    for name in names:
        answer = rated[name].to_numpy(dtype=np.float64)
        keep = ~np.isnan(answer)
        for score in ("total", *criteria):
            column = "score" if score == "total" else score
            x = rated[column].to_numpy(dtype=np.float64)[keep]
            rho, low, high = _spearman_interval(x, answer[keep], n_boot, gen)
            records.append((name, score, rho, low, high, int(keep.sum())))
    correlations = pd.DataFrame(records, columns=["rating", "score", "rho", "low", "high", "n"])
    return Evaluation(
        pairs=rated,
        unrated=unrated,
        correlations=correlations,
        ratings=tuple(names),
        criteria=criteria,
        method=matching.method,
        n_boot=n_boot,
    )


def _positive_int(value: Any, name: str, owner: str) -> int:
    number: int = check_number(value, param_where(name, owner), POSITIVE_INT)
    return number


# --------------------------------------------------------------------------- calibrate
@dataclass(frozen=True, repr=False, eq=False)
class Calibration:
    """Criterion weights fitted to a rating: made by :func:`calibrate`.

    Attributes
    ----------
    weights : dict of str to float
        The fitted weights: non-negative, summing to 1.
    original : dict of str to float
        The scorer's weights, normalised to sum to 1.
    scorer : Scorer
        The scorer with the fitted weights, ready for next year's cohort.
    cv_rho : dict of str to float
        Cross-validated Spearman rho of the total with the rating, for
        ``"fitted"`` (out-of-fold predictions of weights fitted without the
        pair) and ``"original"`` weights, on the same pairs.
    n_pairs : int
        The rated pairs used.
    n_unrated : int
        Rows of the ratings without an answer for ``rating`` (left out).
    folds : int
    rating : str
    reliable : bool
        False when a :class:`~mentormatch.UnreliableFitWarning` was issued.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(8, 8, rng=0)
    >>> pairing = mm.match(mm.Scorer().score(cohort))
    >>> survey = mm.make_ratings(pairing, rng=1)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", mm.UnreliableFitWarning)
    ...     result = mm.calibrate(cohort, survey, rng=0)
    >>> result.reliable, round(sum(result.weights.values()), 6)
    (False, 1.0)
    """

    weights: dict[str, float]
    original: dict[str, float]
    scorer: Scorer
    cv_rho: dict[str, float]
    n_pairs: int
    n_unrated: int
    folds: int
    rating: str
    reliable: bool

    def summary(self) -> pd.DataFrame:
        """The original and fitted weights side by side, with their cross-validated rho.

        Returns
        -------
        pandas.DataFrame
            Columns ``original`` and ``fitted``; one row per criterion's
            weight, then ``cross-validated rho`` and ``pairs``.

        Examples
        --------
        >>> import mentormatch as mm
        >>> cohort = mm.make_cohort(60, 60, rng=0)
        >>> pairing = mm.match(mm.Scorer().score(cohort))
        >>> survey = mm.make_ratings(pairing, rng=1)
        >>> mm.calibrate(cohort, survey, rng=0).summary().index.tolist()
        ['programme', 'interests', 'diversity', 'cross-validated rho', 'pairs']
        """
        names = list(self.weights)
        frame = pd.DataFrame(
            {
                "original": [self.original[n] for n in names]
                + [self.cv_rho["original"], float(self.n_pairs)],
                "fitted": [self.weights[n] for n in names]
                + [self.cv_rho["fitted"], float(self.n_pairs)],
            },
            index=pd.Index([*names, "cross-validated rho", "pairs"]),
        )
        return frame

    def __repr__(self) -> str:
        weights = ", ".join(f"{k!r}: {v:.2f}" for k, v in self.weights.items())
        return (
            f"Calibration({{{weights}}}; cross-validated rho {self.cv_rho['fitted']:.2f} "
            f"fitted vs {self.cv_rho['original']:.2f} original; {self.n_pairs} pairs)"
        )

    def _repr_html_(self) -> str:
        table = self.summary()
        rows = "".join(
            f'<tr><th scope="row">{html.escape(str(name))}</th>'
            f"<td>{row['original']:.2f}</td><td>{row['fitted']:.2f}</td></tr>"
            for name, row in table.iloc[:-1].iterrows()
        )
        warning = "" if self.reliable else " Too few pairs to trust the fit."
        caption = (
            f"Weights fitted to {html.escape(self.rating)!s} by non-negative least squares, "
            f"{self.n_pairs} pairs, {self.folds}-fold cross-validation.{warning}"
        )
        return (
            f"<table><caption>{caption}</caption><thead><tr><th scope='col'></th>"
            f"<th scope='col'>original</th><th scope='col'>fitted</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


def calibrate(
    cohort: Cohort,
    ratings: pd.DataFrame | str | os.PathLike[str],
    *,
    scorer: Scorer | None = None,
    rating: str = "rating",
    folds: int = 5,
    rng: int | np.random.Generator | None = None,
) -> Calibration:
    r"""Fit the criterion weights to the ratings, for next year's scorer.

    The model is the scorer's own: the rating of pair *p* rises linearly
    with the weighted mean of its criteria,

    .. math:: r_p \approx a + \sum_k \beta_k c_{pk}, \qquad \beta_k \ge 0,

    fitted by non-negative least squares with a free intercept *a*; the
    weights are :math:`w_k = \beta_k / \sum_j \beta_j`.

    Why least squares and not an ordinal (proportional-odds) model, which
    suits a 1-5 answer better: the weights it gives are exactly the
    scorer's weights (a weighted mean), with no latent scale to translate;
    it has a unique, exact solution found in finitely many steps (an
    ordinal model is an iterative maximum-likelihood fit that can fail to
    converge or diverge under separation, which small programmes make
    likely); and the fit is judged by Spearman's rho, which only uses the
    order of the predictions, so the spacing of the answer scale matters
    little.

    Parameters
    ----------
    cohort : Cohort
        The cohort the rated pairs come from.
    ratings : pandas.DataFrame, or path of a CSV or Excel file
        ``student_id``, ``manager_id`` and the column ``rating``; any pairs
        of the cohort (not only one pairing's). Rows without an answer are
        counted in ``n_unrated`` and left out.
    scorer : Scorer, optional
        The criteria and the original weights; default ``Scorer()``. The
        fitted scorer keeps its hard rules and options.
    rating : str, default "rating"
        The rating column to fit.
    folds : int, default 5
        Folds of the cross-validation (at most the number of pairs).
    rng : int or numpy.random.Generator, optional
        Assigns the pairs to folds.

    Returns
    -------
    Calibration

    Raises
    ------
    InvalidInputError
        For ids not in the cohort, a pair twice, a missing rating column or
        a rating that is not a number.

    Warns
    -----
    UnreliableFitWarning
        With fewer than 30 rated pairs (or 10 per criterion, whichever is
        more), and when no criterion rises with the rating (the original
        weights are then kept).

    Notes
    -----
    Exact and terminating: up to 12 criteria the least-squares problem is
    solved on every possible set of positive weights (:math:`2^k` small SVD
    solves) and the best feasible one kept, which the KKT conditions show is
    the optimum. The cross-validated rho pools the out-of-fold predictions:
    each pair's total under weights fitted without its fold.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(300, 300, rng=0)
    >>> pairing = mm.match(mm.Scorer().score(cohort))
    >>> truth = {"programme": 0.2, "interests": 0.6, "diversity": 0.2}
    >>> survey = mm.make_ratings(pairing, weights=truth, rng=1)
    >>> fit = mm.calibrate(cohort, survey, rng=0)
    >>> fit
    Calibration({'programme': 0.20, 'interests': 0.64, 'diversity': 0.16}; cross-validated rho 0.68 fitted vs 0.51 original; 300 pairs)
    >>> next_year = fit.scorer.score(mm.make_cohort(8, 8, rng=1))
    """
    owner = "calibrate"
    scorer = check_cohort_and_scorer(cohort, scorer, owner)
    folds = _positive_int(folds, "folds", owner)
    if folds < 2:
        raise fail(param_where("folds", owner), "an integer of at least 2", describe(folds))
    gen = as_generator(rng, param_where("rng", owner))
    frame = _read_ratings(ratings, owner)
    if not isinstance(rating, str) or rating not in frame.columns or rating in ID_COLUMNS:
        raise fail(
            param_where("rating", owner),
            f"a rating column from {[c for c in frame.columns if c not in ID_COLUMNS]}",
            describe(rating),
        )
    target = _numeric(frame, rating)
    rows, cols = _positions(frame, cohort)
    answered = ~np.isnan(target)
    rows, cols, target = rows[answered], cols[answered], target[answered]
    n_unrated = int((~answered).sum())

    scores = scorer.score(cohort)
    names = list(scores.components)
    design = (
        np.column_stack([scores.components[n][rows, cols].astype(np.float64) for n in names])
        if len(rows)
        else np.zeros((0, len(names)))
    )
    norm = sum(scorer.weights.values())
    original = np.array([scorer.weights[n] / norm for n in names])

    n = len(target)
    reliable = True
    needed = max(MIN_PAIRS, 10 * len(names))
    if n < needed:
        reliable = False
        warnings.warn(
            f"calibrate: {n} rated pairs are too few to trust fitted weights "
            f"(at least {needed} for {len(names)} criteria); read the cross-validated rho "
            "before using them.",
            UnreliableFitWarning,
            stacklevel=2,
        )
    fitted = _fit_weights(design, target) if n >= 2 else None
    if fitted is None:
        reliable = False
        warnings.warn(
            f"calibrate: no criterion rises with {rating!r} on these {n} pairs; "
            "the original weights are kept.",
            UnreliableFitWarning,
            stacklevel=2,
        )
        fitted = original.copy()

    k = min(folds, n)
    out_of_fold = np.full(n, np.nan)
    if k >= 2:
        for test in np.array_split(gen.permutation(n), k):
            train = np.setdiff1d(np.arange(n), test)
            w = _fit_weights(design[train], target[train]) if len(train) >= 2 else None
            out_of_fold[test] = design[test] @ (original if w is None else w)
    cv_rho = {
        "fitted": float(_rank_corr(out_of_fold, target)) if k >= 3 else np.nan,
        "original": float(_rank_corr(design @ original, target)) if n >= 3 else np.nan,
    }

    weights = {name: float(w) for name, w in zip(names, fitted, strict=True)}
    new = copy.copy(scorer)
    new.weights = dict(weights)
    if scorer.student_weights is scorer.weights:
        new.student_weights = new.weights
    if scorer.manager_weights is scorer.weights:
        new.manager_weights = new.weights
    return Calibration(
        weights=weights,
        original={name: float(w) for name, w in zip(names, original, strict=True)},
        scorer=new,
        cv_rho=cv_rho,
        n_pairs=n,
        n_unrated=n_unrated,
        folds=k,
        rating=rating,
        reliable=reliable,
    )


def _positions(frame: pd.DataFrame, cohort: Cohort) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    rows, cols = [], []
    for student, manager in zip(frame["student_id"], frame["manager_id"], strict=True):
        where = table_where("ratings", f"{student}, {manager}")
        if student not in cohort.student_index:
            raise fail(
                where + ", column 'student_id'", "a student id of the cohort", repr(student)
            )
        if manager not in cohort.manager_index:
            raise fail(
                where + ", column 'manager_id'", "a manager id of the cohort", repr(manager)
            )
        rows.append(cohort.student_index[student])
        cols.append(cohort.manager_index[manager])
    return np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)


# --------------------------------------------------------------------------- synthetic
def make_ratings(
    matching: Matching,
    *,
    weights: Mapping[str, float] | None = None,
    noise: float = 0.5,
    missing: float = 0.0,
    scale: tuple[int, int] = (1, 5),
    rng: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""A synthetic end-of-year survey of a pairing: one 1-5 answer per pair.

    Each pair's answer is its criteria's weighted mean under ``weights``
    (the "truth"), stretched to the scale, plus normal noise, rounded and
    clipped to the scale:

    .. math:: r_p = \operatorname{clip}(\operatorname{round}(
        \ell + (h - \ell) \textstyle\sum_k w_k c_{pk} + \varepsilon_p), \ell, h),
        \qquad \varepsilon_p \sim N(0, \sigma^2).

    Parameters
    ----------
    matching : Matching
    weights : mapping of str to float, optional
        The weights that truly drive the ratings; default the scores' own.
    noise : float, default 0.5
        :math:`\sigma`, in scale points.
    missing : float, default 0.0
        The share of pairs without an answer (an empty cell).
    scale : (int, int), default (1, 5)
    rng : int or numpy.random.Generator, optional

    Returns
    -------
    pandas.DataFrame
        ``student_id``, ``manager_id`` and ``rating`` (float, NaN where not
        answered).

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> survey = mm.make_ratings(pairing, rng=1)
    >>> survey.columns.tolist(), len(survey)
    (['student_id', 'manager_id', 'rating'], 8)
    >>> bool(survey["rating"].between(1, 5).all())
    True
    """
    owner = "make_ratings"
    if not isinstance(matching, Matching):
        raise fail(param_where("matching", owner), "a Matching", describe(matching))
    components = matching.scores.components
    if weights is not None:
        check_instance(
            weights, Mapping, param_where("weights", owner), "a mapping of str to float"
        )
    truth = dict(matching.scores.weights) if weights is None else dict(weights)
    for name, value in truth.items():
        if name not in components:
            raise fail(
                param_where("weights", owner),
                f"criterion names from {list(components)}",
                repr(name),
            )
        truth[name] = check_number(
            value, f"{param_where('weights', owner)}, key {name!r}", NON_NEGATIVE
        )
    total_weight = sum(truth.values())
    if not total_weight > 0:
        raise fail(param_where("weights", owner), "at least one positive weight", "all zero")
    noise = check_number(noise, param_where("noise", owner), NON_NEGATIVE)
    missing = check_number(missing, param_where("missing", owner), UNIT)
    if not (
        isinstance(scale, tuple)
        and len(scale) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in scale)
        and scale[0] < scale[1]
    ):
        raise fail(
            param_where("scale", owner), "(low, high) integers with low < high", describe(scale)
        )
    low, high = scale
    gen = as_generator(rng, param_where("rng", owner))
    r, c = matching.rows, matching.cols
    latent = sum(
        w / total_weight * components[k][r, c].astype(np.float64) for k, w in truth.items()
    )
    answer = np.clip(
        np.round(low + (high - low) * latent + gen.normal(0, noise, len(r))), low, high
    )
    answer[gen.random(len(r)) < missing] = np.nan
    pairs = matching.pairs
    return pd.DataFrame(
        {"student_id": pairs["student_id"], "manager_id": pairs["manager_id"], "rating": answer}
    )
