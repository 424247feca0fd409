"""Pairing quality: how good, fair and stable a pairing is, and how methods compare.

* :func:`summary` (also :meth:`Matching.summary`) -- the figures of one pairing;
* :func:`compare` -- one row of figures per method, with the "price" of each
  method against the best;
* :func:`sensitivity` -- how much the pairing depends on the exact weights.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch._arrays import row_blocks
from mentormatch._catalogue import discipline_of
from mentormatch._validation import check_option, describe, fail, is_missing, param_where
from mentormatch.cohort import Cohort
from mentormatch.scoring import Scorer, Scores

if TYPE_CHECKING:
    from mentormatch.matching import Matching

__all__ = ["Sensitivity", "compare", "partner_ranks", "sensitivity", "summary"]


def partner_ranks(matching: Matching, side: str = "students") -> NDArray[np.int64]:
    """Each pair's rank of the partner by one side's view (1 = the best allowed).

    The rank of partner *j* for person *i* is one plus the number of allowed
    partners that *i* values strictly more than *j* (ties share a rank).

    Parameters
    ----------
    matching : Matching
    side : {"students", "managers"}

    Returns
    -------
    ndarray of int, shape (n_pairs,)
        In the order of ``matching.pairs``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(4, 4, rng=0)), method="stable")
    >>> ranks = mm.partner_ranks(pairing, "students")
    >>> bool((ranks >= 1).all() and (ranks <= 4).all())
    True
    """
    check_option(side, "side", "partner_ranks", ("students", "managers"))
    scores = matching.scores
    if side == "students":
        view, allowed, person, partner = (
            scores.student_view,
            scores.allowed,
            matching.rows,
            matching.cols,
        )
    else:
        view, allowed, person, partner = (
            scores.manager_view.T,
            scores.allowed.T,
            matching.cols,
            matching.rows,
        )
    ranks = np.empty(len(person), dtype=np.int64)
    for block in row_blocks(len(person), view.shape[1]):
        who = person[block]
        mine = view[who, partner[block]]
        better = (view[who] > mine[:, None]) & allowed[who]
        ranks[block] = 1 + better.sum(axis=1)
    return ranks


def summary(matching: Matching) -> pd.Series:
    """Pairing-quality figures of one pairing, with stable names.

    Parameters
    ----------
    matching : Matching

    Returns
    -------
    pandas.Series
        Named after the method, with:

        * ``n_pairs``, ``total_score``, ``mean_score``, ``median_score``,
          ``min_score``, and ``mean_<criterion>`` for each criterion;
        * ``student_rank_mean``, ``student_rank_worst``,
          ``student_first_choice`` (the share whose partner is their best
          allowed one by their own view), and the same for managers;
        * ``blocking_pairs`` (with respect to the two views);
        * ``students_matched``, ``managers_matched``: the share of each side
          with a partner; ``unmatched_students``, ``unmatched_managers``;
        * ``complementarity``: the share of pairs whose student programme
          and manager education lie in different discipline groups (of the
          pairs where the education is known);
        * ``programme_unit_entropy``: the Shannon entropy (bits) of the
          pairs' (programme, unit) combinations: higher means the pairing
          spreads programmes across units;
        * ``interest_coverage``: the share of pairs with a shared interest.

    Examples
    --------
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> figures = pairing.summary()  # the same as mentormatch.metrics.summary(pairing)
    >>> int(figures["n_pairs"]), float(figures["students_matched"])
    (8, 1.0)
    """
    scores = matching.scores
    cohort = scores.cohort
    rows, cols = matching.rows, matching.cols
    values = scores.total[rows, cols].astype(np.float64)
    n = len(values)

    def stat(fn: Any, data: ArrayLike) -> float:
        return float(fn(data)) if n else float("nan")

    figures: dict[str, Any] = {
        "n_pairs": n,
        "total_score": float(values.sum()),
        "mean_score": stat(np.mean, values),
        "median_score": stat(np.median, values),
        "min_score": stat(np.min, values),
    }
    for name, component in scores.components.items():
        figures[f"mean_{name}"] = stat(np.mean, component[rows, cols])
    for side, label in (("students", "student"), ("managers", "manager")):
        ranks = partner_ranks(matching, side)
        figures[f"{label}_rank_mean"] = stat(np.mean, ranks)
        figures[f"{label}_rank_worst"] = int(ranks.max()) if n else 0
        figures[f"{label}_first_choice"] = stat(np.mean, ranks == 1)
    figures["blocking_pairs"] = len(matching.blocking_pairs())
    unmatched = matching.unmatched
    n_s_out = int((unmatched["side"] == "student").sum())
    n_m_out = int((unmatched["side"] == "manager").sum())
    figures["students_matched"] = 1 - n_s_out / cohort.n_students
    figures["managers_matched"] = 1 - n_m_out / cohort.n_managers
    figures["unmatched_students"] = n_s_out
    figures["unmatched_managers"] = n_m_out

    programmes = cohort._students["programme"].to_numpy(dtype=object)[rows]
    education = cohort._managers["education"].to_numpy(dtype=object)[cols]
    units = cohort._managers["unit"].to_numpy(dtype=object)[cols]
    known = [not is_missing(e) for e in education]
    differ = [
        discipline_of(p) != discipline_of(e)
        for p, e, k in zip(programmes, education, known, strict=True)
        if k
    ]
    figures["complementarity"] = float(np.mean(differ)) if differ else float("nan")
    combos = pd.Series(list(zip(programmes, units, strict=True)), dtype=object).value_counts()
    share = combos.to_numpy(dtype=np.float64) / max(n, 1)
    figures["programme_unit_entropy"] = float(-(share * np.log2(share)).sum()) if n else 0.0
    s_interests = cohort._students["interests"].to_numpy(dtype=object)[rows]
    m_interests = cohort._managers["interests"].to_numpy(dtype=object)[cols]
    shared = [bool(set(a) & set(b)) for a, b in zip(s_interests, m_interests, strict=True)]
    figures["interest_coverage"] = stat(np.mean, shared)
    return pd.Series(figures, name=matching.method, dtype=object)


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
    from mentormatch.matching import match

    if isinstance(methods, str) or not isinstance(methods, Iterable):
        raise fail(param_where("methods", "compare"), "a list of method names", describe(methods))
    methods = list(methods)
    if not methods:
        raise fail(param_where("methods", "compare"), "at least one method", "none")
    if len(set(methods)) != len(methods):
        raise fail(param_where("methods", "compare"), "each method once", repr(methods))
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
    from mentormatch.matching import METHODS, match

    owner = "sensitivity"
    if not isinstance(cohort, Cohort):
        raise fail(param_where("cohort", owner), "a Cohort", describe(cohort))
    if not isinstance(scorer, Scorer):
        raise fail(param_where("scorer", owner), "a Scorer", describe(scorer))
    check_option(method, "method", owner, METHODS)
    if not isinstance(spread, (int, float)) or isinstance(spread, bool) or not 0 <= spread < 1:
        raise fail(param_where("spread", owner), "a number in [0, 1)", describe(spread))
    if (
        not isinstance(n_samples, (int, np.integer))
        or isinstance(n_samples, bool)
        or n_samples < 1
    ):
        raise fail(param_where("n_samples", owner), "a positive integer", describe(n_samples))
    generator = np.random.default_rng(rng)

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
