"""Pairing quality: the pure measures of one pairing (how good, fair and stable it is).

* :func:`summary` (also :meth:`Matching.summary`) -- the figures of one pairing;
* :func:`partner_ranks` -- each pair's rank of the partner by one side's view.

These read a :class:`~mentormatch.Matching` and never make one: the analyses
that solve again (:func:`~mentormatch.compare`, :func:`~mentormatch.sensitivity`)
live in :mod:`mentormatch.analysis`, above :mod:`mentormatch.matching`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from mentormatch._arrays import paired_overlap, row_blocks
from mentormatch._catalogue import discipline_of
from mentormatch._validation import check_option, describe, fail, is_missing, param_where
from mentormatch.scoring import Scores

if TYPE_CHECKING:  # for annotations only: matching imports this module, not the other way
    from mentormatch.matching import Matching

__all__ = ["partner_ranks", "summary"]


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
    _check_matching(matching, "partner_ranks")
    check_option(side, "side", "partner_ranks", ("students", "managers"))
    scores = matching.scores
    students = side == "students"
    person, partner = (
        (matching.rows, matching.cols) if students else (matching.cols, matching.rows)
    )
    n_other = scores.shape[1] if students else scores.shape[0]
    ranks = np.empty(len(person), dtype=np.int64)
    # A block of people's whole rows (of the view and of allowed) at a time, read together:
    # O(block) memory, also when the scores are computed on demand.
    for block in row_blocks(len(person), n_other, size=scores._BLOCK):
        who = person[block]
        if students:
            view, allowed = scores._fields(["student_view", "allowed"], who, slice(None))
        else:
            view, allowed = (
                a.T for a in scores._fields(["manager_view", "allowed"], slice(None), who)
            )
        mine = view[np.arange(len(who)), partner[block]]
        better = (view > mine[:, None]) & allowed
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
    _check_matching(matching, "summary")
    scores = matching.scores
    cohort = scores.cohort
    rows, cols = matching.rows, matching.cols
    names = list(scores.components)
    # Read together: scores computed on demand score the pairs once for them all.
    total, *parts = scores._pair_fields(
        ["total", *(f"components/{name}" for name in names)], rows, cols
    )
    values = total.astype(np.float64)
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
    for name, part in zip(names, parts, strict=True):
        figures[f"mean_{name}"] = stat(np.mean, part)
    # Both sides' ranks and the blocking pairs: in one pass when the scores are computed on demand.
    student_ranks, manager_ranks, n_blocking = matching._ranks_and_blocking()
    for ranks, label in ((student_ranks, "student"), (manager_ranks, "manager")):
        figures[f"{label}_rank_mean"] = stat(np.mean, ranks)
        figures[f"{label}_rank_worst"] = int(ranks.max()) if n else 0
        figures[f"{label}_first_choice"] = stat(np.mean, ranks == 1)
    figures["blocking_pairs"] = n_blocking
    unmatched = matching.unmatched
    n_s_out = int((unmatched["side"] == "student").sum())
    n_m_out = int((unmatched["side"] == "manager").sum())
    figures["students_matched"] = 1 - n_s_out / cohort.n_students
    figures["managers_matched"] = 1 - n_m_out / cohort.n_managers
    figures["unmatched_students"] = n_s_out
    figures["unmatched_managers"] = n_m_out

    programmes = cohort.column("students", "programme")[rows]
    education = cohort.column("managers", "education")[cols]
    units = cohort.column("managers", "unit")[cols]
    known = [not is_missing(e) for e in education]
    differ = [
        discipline_of(p) != discipline_of(e)
        for p, e, k in zip(programmes, education, known, strict=True)
        if k
    ]
    figures["complementarity"] = float(np.mean(differ)) if differ else float("nan")
    combos = pd.Series(list(zip(programmes, units, strict=True)), dtype=object).value_counts()
    share = combos.to_numpy(dtype=np.float64) / max(n, 1)
    figures["programme_unit_entropy"] = float(stats.entropy(share, base=2)) if n else 0.0
    s_interests = cohort.column("students", "interests")[rows]
    m_interests = cohort.column("managers", "interests")[cols]
    shared = paired_overlap(list(s_interests), list(m_interests)) > 0
    figures["interest_coverage"] = stat(np.mean, shared)
    # One float dtype: counts are whole floats, so the Series does arithmetic and plots.
    return pd.Series(figures, name=matching.method, dtype=np.float64)


def _check_matching(matching: Any, owner: str) -> None:
    # Duck-typed: this module sits below matching.py (which imports it), so it
    # cannot name the Matching class at run time; a Matching carries Scores.
    if not isinstance(getattr(matching, "scores", None), Scores) or not hasattr(matching, "rows"):
        raise fail(param_where("matching", owner), "a Matching", describe(matching))
