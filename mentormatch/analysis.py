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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import solvers
from mentormatch._parallel import check_executor, parallelism, run_tasks
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
from mentormatch.scoring import Scorer, Scores, check_cohort_and_scorer

__all__ = ["Sensitivity", "alternatives", "compare", "sensitivity"]


def compare(
    scores: Scores,
    methods: Sequence[str] = ("hungarian", "stable", "maxmin"),
    *,
    executor: Any = None,
    **match_options: Any,
) -> pd.DataFrame:
    """One row of pairing-quality figures per method, on the same scores.

    Parameters
    ----------
    scores : Scores
    methods : sequence of str, default ("hungarian", "stable", "maxmin")
        Method names of :func:`match`; a method may appear once.
    executor : concurrent.futures.Executor, optional
        Where the methods run, one task each: ``None`` (the default) runs
        them here, one after another; a
        :class:`~concurrent.futures.ProcessPoolExecutor` or
        ``dask.distributed.Client(...).get_executor()`` runs them side by
        side. The scores travel with each task to a process pool, and once
        to each worker of a Dask cluster; each task returns one row. The
        table is the same on every executor.
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

    The methods side by side on two threads (or processes, or a Dask
    cluster: see the ``executor`` parameter), with the same table:

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> scores = mm.Scorer().score(mm.make_cohort(8, 8, rng=0))
    >>> with ThreadPoolExecutor(2) as pool:
    ...     side_by_side = mm.compare(scores, executor=pool)
    >>> side_by_side.equals(mm.compare(scores))
    True
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
    executor = check_executor(executor, "compare")
    rows = run_tasks(
        _summary_of,
        [(m,) for m in methods],
        executor=executor,
        owner="compare",
        shared=(scores, match_options),
    )
    table = pd.DataFrame(rows, index=pd.Index(methods, name="method"))
    table = table.infer_objects()
    best_total = table["total_score"].max()
    best_min = table["min_score"].max()
    table["total_vs_best"] = table["total_score"] / best_total if best_total > 0 else 1.0
    table["min_vs_best"] = table["min_score"] / best_min if best_min > 0 else 1.0
    return table


def _summary_of(scores: Scores, match_options: dict[str, Any], method: str) -> pd.Series:
    """One method's row of :func:`compare` (a task: module-level, so that it pickles)."""
    return summary(match(scores, method=method, **match_options))


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
    executor: Any = None,
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
    executor : concurrent.futures.Executor, optional
        Where the samples are solved: ``None`` (the default) solves them
        here, one after another; a
        :class:`~concurrent.futures.ProcessPoolExecutor`, a
        :class:`~concurrent.futures.ThreadPoolExecutor` or
        ``dask.distributed.Client(...).get_executor()`` solves them side by
        side. The weights of every sample are drawn here, in the same
        order as without an executor, so the result is the same on every
        executor. The samples go out in a few batches per worker. The
        scores (about four arrays of ``(n_students, n_managers)`` floats)
        travel with each batch to a process pool, and once to each worker
        of a Dask cluster.
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

    The same samples solved on two threads (or processes, or a Dask cluster:
    see the ``executor`` parameter), with the same result:

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as pool:
    ...     spread_out = mm.sensitivity(mm.make_cohort(8, 8, rng=1), mm.Scorer(),
    ...                                 n_samples=20, rng=0, progress=False, executor=pool)
    >>> spread_out.pairs.equals(result.pairs)
    True
    """
    owner = "sensitivity"
    scorer = check_cohort_and_scorer(cohort, scorer, owner, default=False)
    check_option(method, "method", owner, METHODS)
    spread = check_number(spread, param_where("spread", owner), Interval(Real, 0, 1, "left"))
    n_samples = check_number(n_samples, param_where("n_samples", owner), POSITIVE_INT)
    generator = as_generator(rng, param_where("rng", owner))
    progress = check_flag(progress, param_where("progress", owner), none=True)
    executor = check_executor(executor, owner)

    scores = scorer.score(cohort)
    baseline = match(scores, method=method, **match_options)
    counts = np.zeros(scores.shape, dtype=np.int64)
    names = [k for k, w in scorer.weights.items() if w > 0]
    base_weights = np.array([scorer.weights[k] for k in names])

    # Every draw here, in sample order: the same weights whichever executor solves them.
    samples = []
    for _ in range(n_samples):
        factors = 1 + generator.uniform(-spread, spread, size=len(names))
        samples.append(dict(zip(names, base_weights * factors, strict=True)))
    # One sample a task here (a bar step each); a few batches per worker elsewhere, so
    # that the scores travel once per batch, not once per sample.
    size = 1 if executor is None else math.ceil(n_samples / (4 * parallelism(executor)))
    batches = [samples[i : i + size] for i in range(0, n_samples, size)]
    solved = run_tasks(
        _solve_samples,
        [(batch,) for batch in batches],
        executor=executor,
        progress=progress,
        unit="sample",
        owner=owner,
        total=n_samples,
        count=len,
        shared=(scorer, scores, method, match_options),
    )
    for rows, cols in (pair for batch in solved for pair in batch):
        counts[rows, cols] += 1

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


def _solve_samples(
    scorer: Scorer,
    scores: Scores,
    method: str,
    match_options: dict[str, Any],
    samples: list[dict[str, float]],
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """The pairs of each sample's weights (a task of :func:`sensitivity`: module-level)."""
    solved = []
    for weights in samples:
        result = match(scorer.reweight(scores, weights), method=method, **match_options)
        solved.append((result.rows, result.cols))
    return solved


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
    scores._check_dense(owner)  # k_best reads dense arrays
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
