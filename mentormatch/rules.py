"""The hard rules: which pairs may never be made, and why.

Each rule gives a boolean mask over the candidate pairs (True: forbidden),
under a name from the constants below; :class:`~mentormatch.Scores` keeps them
in ``forbidden`` and :meth:`~mentormatch.Scores.explain` says why a pair is out
with :func:`reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch._arrays import overlap
from mentormatch._validation import fail, param_where
from mentormatch.cohort import Cohort, Side

Mask = NDArray[np.bool_]
#: A hard rule given as a function: two tables in, a boolean (n_students, n_managers) mask out.
Rule = Callable[[pd.DataFrame, pd.DataFrame], ArrayLike]

#: A student listed the manager under ``avoid``.
AVOID_STUDENTS: Final = "avoid (students)"
#: A manager listed the student under ``avoid``.
AVOID_MANAGERS: Final = "avoid (managers)"
#: The pair's total is below the scorer's ``min_score``.
MIN_SCORE: Final = "min_score"
#: The two share no language (``share_language=True``).
SHARE_LANGUAGE: Final = "share_language"
#: The user's own mask or rule (the scorer's ``allowed``).
USER_RULE: Final = "allowed"

AVOID: Final[Mapping[Side, str]] = {"students": AVOID_STUDENTS, "managers": AVOID_MANAGERS}


def forbidden_pairs(
    cohort: Cohort,
    total: NDArray[np.floating[Any]],
    *,
    min_score: float | None,
    share_language: bool,
    allowed: ArrayLike | pd.DataFrame | Rule | None,
) -> dict[str, Mask]:
    """Each hard rule that forbids at least one pair, by name, with its mask."""
    students, managers = cohort.students, cohort.managers
    shape = total.shape
    rules: dict[str, Mask] = {}
    sides: tuple[tuple[Side, pd.DataFrame, Mapping[str, int]], ...] = (
        ("students", students, cohort.manager_index),
        ("managers", managers, cohort.student_index),
    )
    for side, table, other in sides:
        pairs = [(p, other[x]) for p, listed in enumerate(table["avoid"]) for x in listed]
        if pairs:
            mask = np.zeros(shape, dtype=np.bool_)
            rows, cols = np.array(pairs).T
            if side == "managers":
                rows, cols = cols, rows
            mask[rows, cols] = True
            rules[AVOID[side]] = mask
    if min_score is not None:
        below = total < min_score
        if below.any():
            rules[MIN_SCORE] = below
    if share_language:
        if "languages" not in students or "languages" not in managers:
            raise fail(
                param_where("share_language", "Scorer"),
                "a 'languages' column in both tables",
                "a cohort without one",
            )
        rules[SHARE_LANGUAGE] = _no_common_language(students, managers)
    if allowed is not None:
        rules[USER_RULE] = ~_user_mask(allowed, cohort, students, managers)
    return rules


def reason(rule: str, student_id: str, manager_id: str, total: float) -> str:
    """Why ``rule`` forbids this pair, in words."""
    if rule == AVOID_STUDENTS:
        return f"avoid ({student_id} listed {manager_id})"
    if rule == AVOID_MANAGERS:
        return f"avoid ({manager_id} listed {student_id})"
    if rule == MIN_SCORE:
        return f"min_score (total {total:.2f} is below it)"
    if rule == SHARE_LANGUAGE:
        return "share_language (no language in common)"
    return "your own rule (the 'allowed' mask)"


def _no_common_language(students: pd.DataFrame, managers: pd.DataFrame) -> Mask:
    inter, size_s, size_m = overlap(
        list(students["languages"]), list(managers["languages"]), np.float32
    )
    judged = (size_s > 0)[:, None] & (size_m > 0)[None, :]
    result: Mask = judged & (inter == 0)
    return result


def _user_mask(
    rule: ArrayLike | pd.DataFrame | Rule,
    cohort: Cohort,
    students: pd.DataFrame,
    managers: pd.DataFrame,
) -> Mask:
    where = param_where("allowed", "Scorer")
    shape = (cohort.n_students, cohort.n_managers)
    if callable(rule):
        rule = rule(students, managers)
    if isinstance(rule, pd.DataFrame):
        missing = [s for s in cohort.student_ids if s not in rule.index]
        missing += [m for m in cohort.manager_ids if m not in rule.columns]
        if missing:
            raise fail(where, "a row or column for every id", f"none for {missing[0]!r}")
        rule = rule.loc[list(cohort.student_ids), list(cohort.manager_ids)].to_numpy()
    mask = np.asarray(rule)
    if mask.dtype != np.bool_:
        raise fail(where, "a boolean mask", f"an array of dtype {mask.dtype}")
    if mask.shape != shape:
        raise fail(where, f"shape {shape}", f"shape {mask.shape}")
    return mask
