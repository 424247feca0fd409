"""Analyses that solve again: compare methods, and test how a pairing holds up.

* :func:`compare` -- one row of pairing-quality figures per method, with the
  "price" of each method against the best;
* :func:`sensitivity` -- how much the pairing depends on the exact weights;
* :func:`alternatives` -- the best pairing and the next-best ones, to review
  how they differ (:meth:`Matching.diff`).

This module sits above :mod:`mentormatch.matching` (it calls :func:`match`)
and :mod:`mentormatch.metrics` (it reads :func:`summary`); neither imports it.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from mentormatch import solvers
from mentormatch._validation import (
    POSITIVE_INT,
    Interval,
    as_generator,
    check_flag,
    check_number,
    check_option,
    describe,
    fail,
    param_where,
)
from mentormatch.cohort import Cohort
from mentormatch.matching import METHODS, Matching, match
from mentormatch.metrics import summary
from mentormatch.scoring import Scorer, Scores

__all__ = ["Sensitivity", "alternatives", "compare", "sensitivity"]


def compare(
    scores: Scores,
    methods: Sequence[str] = ("hungarian", "stable", "maxmin"),
    **match_options: Any,
) -> pd.DataFrame:
    """One row of pairing-quality figures per method, on the same scores.

    Parameters
    ----------
    scores : Scores
    methods : sequence of str, default ("hungarian", "stable", "maxmin")
        Method names of :func:`match`; a method may appear once.
    **match_options
        Passed to :func:`match` (``proposer``, ``fixed``).

    Returns
    -------
    pandas.DataFrame
        Indexed by method, with the columns of :func:`summary` and two
        "price" columns: ``total_vs_best``, each method's total score over
        the best total of the methods, and ``min_vs_best``, its worst pair
        over the best worst pair (1.0 = as good as the best method).

    Examples
    --------
    >>> import mentormatch as mm
    >>> table = mm.compare(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> table.index.tolist()
    ['hungarian', 'stable', 'maxmin']
    >>> float(table.loc["hungarian", "total_vs_best"])
    1.0
    """
    if isinstance(methods, str) or not isinstance(methods, Iterable):
        raise fail(param_where("methods", "compare"), "a list of method names", describe(methods))
    methods = list(methods)
    if not methods:
        raise fail(param_where("methods", "compare"), "at least one method", "none")
    if len(set(methods)) != len(methods):
        raise fail(param_where("methods", "compare"), "each method once", repr(methods))
    for method in methods:
        check_option(method, "methods", "compare", METHODS)
    rows = [summary(match(scores, method=m, **match_options)) for m in methods]
    table = pd.DataFrame(rows, index=pd.Index(methods, name="method"))
    table = table.infer_objects()
    best_total = table["total_score"].max()
    best_min = table["min_score"].max()
    table["total_vs_best"] = table["total_score"] / best_total if best_total > 0 else 1.0
    table["min_vs_best"] = table["min_score"] / best_min if best_min > 0 else 1.0
    return table


@dataclass(frozen=True, repr=False)
class Sensitivity:
    """How a pairing holds up when the weights move: made by :func:`sensitivity`.

    Attributes
    ----------
    baseline : Matching
        The pairing under the scorer's own weights.
    pairs : pandas.DataFrame
        Every pair made in any sample: ``student_id``, ``manager_id``,
        ``survival`` (the share of samples that made it) and
        ``in_baseline``; sorted by survival, highest first.
    stability : float
        The mean survival of the baseline pairs: 1.0 means no sample
        changed the pairing.
    n_samples : int
    spread : float

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(6, 6, rng=0)
    >>> result = mm.sensitivity(cohort, mm.Scorer(), n_samples=5, rng=0, progress=False)
    >>> 0.0 <= result.stability <= 1.0
    True
    """

    baseline: Matching
    pairs: pd.DataFrame
    stability: float
    n_samples: int
    spread: float

    def __repr__(self) -> str:
        return (
            f"Sensitivity(stability={self.stability:.2f}, n_samples={self.n_samples}, "
            f"spread={self.spread})"
        )

    def _repr_html_(self) -> str:
        base = self.pairs[self.pairs["in_baseline"]]
        rows = "".join(
            f"<tr><td>{html.escape(str(r.student_id))}</td><td>{html.escape(str(r.manager_id))}</td>"
            f"<td>{r.survival:.0%}</td></tr>"
            for r in base.itertuples(index=False)
        )
        return (
            f"<table><caption>Sensitivity: stability {self.stability:.2f} over {self.n_samples} "
            f"samples (weights ±{self.spread:.0%})</caption>"
            f"<tr><th>student</th><th>manager</th><th>survival</th></tr>{rows}</table>"
        )


def sensitivity(
    cohort: Cohort,
    scorer: Scorer,
    *,
    method: str = "hungarian",
    spread: float = 0.1,
    n_samples: int = 50,
    rng: int | np.random.Generator | None = None,
    progress: bool | None = None,
    **match_options: Any,
) -> Sensitivity:
    r"""How often each pair survives when the criterion weights are perturbed.

    Each sample multiplies every weight by an independent factor
    :math:`1 + \varepsilon`, :math:`\varepsilon \sim U(-s, s)` with
    :math:`s` = ``spread``, rescores (without recomputing the criteria,
    see :meth:`Scorer.reweight`) and solves again.

    Parameters
    ----------
    cohort : Cohort
    scorer : Scorer
    method : str, default "hungarian"
        A method of :func:`match`.
    spread : float, default 0.1
        The relative size of the perturbation, in [0, 1).
    n_samples : int, default 50
    rng : int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same result.
    progress : bool, optional
        Show a progress bar (needs ``tqdm``, the ``progress`` extra).
        ``None`` shows one only when the run will take more than about two
        seconds and tqdm is installed.
    **match_options
        Passed to :func:`match`.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> import mentormatch as mm
    >>> result = mm.sensitivity(mm.make_cohort(8, 8, rng=1), mm.Scorer(),
    ...                         n_samples=20, rng=0, progress=False)
    >>> result.pairs.columns.tolist()
    ['student_id', 'manager_id', 'survival', 'in_baseline']
    """
    owner = "sensitivity"
    if not isinstance(cohort, Cohort):
        raise fail(param_where("cohort", owner), "a Cohort", describe(cohort))
    if not isinstance(scorer, Scorer):
        raise fail(param_where("scorer", owner), "a Scorer", describe(scorer))
    check_option(method, "method", owner, METHODS)
    spread = check_number(spread, param_where("spread", owner), Interval(Real, 0, 1, "left"))
    n_samples = check_number(n_samples, param_where("n_samples", owner), POSITIVE_INT)
    generator = as_generator(rng, param_where("rng", owner))
    progress = check_flag(progress, param_where("progress", owner), none=True)

    scores = scorer.score(cohort)
    baseline = match(scores, method=method, **match_options)
    counts = np.zeros(scores.shape, dtype=np.int64)
    names = [k for k, w in scorer.weights.items() if w > 0]
    base_weights = np.array([scorer.weights[k] for k in names])

    bar = None
    started = time.perf_counter()
    for sample in range(int(n_samples)):
        factors = 1 + generator.uniform(-spread, spread, size=len(names))
        weights = dict(zip(names, base_weights * factors, strict=True))
        result = match(scorer.reweight(scores, weights), method=method, **match_options)
        counts[result.rows, result.cols] += 1
        if sample == 0 and progress is not False:
            bar = _progress_bar(progress, time.perf_counter() - started, int(n_samples))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()

    survival = counts / n_samples
    in_base = np.zeros(scores.shape, dtype=np.bool_)
    in_base[baseline.rows, baseline.cols] = True
    made = np.argwhere((counts > 0) | in_base)
    s_ids = np.array(scores.student_ids, dtype=object)
    m_ids = np.array(scores.manager_ids, dtype=object)
    pairs = pd.DataFrame(
        {
            "student_id": s_ids[made[:, 0]],
            "manager_id": m_ids[made[:, 1]],
            "survival": survival[made[:, 0], made[:, 1]],
            "in_baseline": in_base[made[:, 0], made[:, 1]],
        }
    )
    pairs = pairs.sort_values(
        ["survival", "student_id", "manager_id"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    base_survival = survival[baseline.rows, baseline.cols]
    return Sensitivity(
        baseline=baseline,
        pairs=pairs,
        stability=float(base_survival.mean()) if len(base_survival) else 1.0,
        n_samples=int(n_samples),
        spread=float(spread),
    )


def _progress_bar(progress: bool | None, first: float, total: int) -> Any:
    """A tqdm bar when asked for, or when the run looks long; None otherwise."""
    if progress is None and first * total < 2.0:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise fail(
                param_where("progress", "sensitivity"),
                "tqdm installed (pip install 'mentormatch-pairing[progress]')",
                "True without it",
            ) from None
        return None
    return tqdm(total=total, desc="sensitivity", unit="sample")


def alternatives(scores: Scores, k: int = 5) -> list[Matching]:
    """The ``k`` best pairings by total score: the optimum, then the runners-up.

    Each pairs as many people as the rules allow (as ``match(scores)``
    does), no two are the same, and their total scores do not increase. Use
    :meth:`Matching.diff` to see how each differs from the first.

    Parameters
    ----------
    scores : Scores
    k : int, default 5
        How many pairings at most (fewer only if fewer exist).

    Returns
    -------
    list of Matching
        Best first; each with ``method="hungarian"``. The first has the
        total score of ``match(scores)``.

    Raises
    ------
    InvalidInputError
        If ``scores`` is not a Scores or ``k`` is not a positive integer.

    See Also
    --------
    mentormatch.solvers.k_best : The array solver (Murty's partitioning).

    Examples
    --------
    >>> import mentormatch as mm
    >>> scores = mm.Scorer().score(mm.make_cohort(5, 5, rng=1))
    >>> pairings = mm.alternatives(scores, k=3)
    >>> len(pairings)
    3
    >>> totals = [p.total_score for p in pairings]
    >>> totals == sorted(totals, reverse=True)
    True
    >>> len(pairings[0].diff(pairings[1])) > 0
    True
    """
    owner = "alternatives"
    if not isinstance(scores, Scores):
        raise fail(param_where("scores", owner), "a Scores (from Scorer.score)", describe(scores))
    count = check_number(k, param_where("k", owner), POSITIVE_INT)
    cohort = scores.cohort
    found = solvers.k_best(
        scores.total,
        count,
        allowed=scores.allowed,
        row_capacity=cohort.student_capacity,
        col_capacity=cohort.manager_capacity,
    )
    return [
        Matching(
            rows=rows,
            cols=cols,
            fixed=np.zeros(rows.size, dtype=np.bool_),
            scores=scores,
            method="hungarian",
        )
        for rows, cols in found
    ]
