"""The hard rules: which pairs may never be made, and why.

Each rule gives a boolean mask over the candidate pairs (True: forbidden),
under a name from the constants below; :class:`~mentormatch.Scores` keeps them
in ``forbidden`` and :meth:`~mentormatch.Scores.explain` says why a pair is out
with :func:`reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch._arrays import Pairs, PairSet, bitsets, codes, common_count, incidence, row_blocks
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


@dataclass(frozen=True, eq=False)
class EncodedRules:
    """The hard rules encoded once for a cohort, ready to judge any pairs.

    Listed pairs (``avoid``, a user's mask) are kept as :class:`PairSet`
    (or the user's dense mask, for the dense path); ``share_language`` as each
    person's languages in bitsets; ``min_score`` as the threshold applied to
    the pairs' totals. Judging is elementwise, so a pair gets the same answer
    in every block.
    """

    shape: tuple[int, int]
    #: each avoid rule that lists at least one pair
    avoid: dict[str, PairSet]
    min_score: float | None
    #: each side's languages as bitsets, and whether the person lists any
    languages: tuple[NDArray[np.uint64], NDArray[np.uint64], Mask, Mask] | None
    #: the user's rule: the pairs it forbids, or (dense path) its allowed mask
    user: PairSet | Mask | None

    def forbidden(self, pairs: Pairs, total: NDArray[np.floating[Any]]) -> dict[str, Mask]:
        """Each rule's mask (True: forbidden) over ``pairs``, whose totals are ``total``."""
        shape = total.shape
        rules = {name: listed.mask(pairs, shape) for name, listed in self.avoid.items()}
        if self.min_score is not None:
            rules[MIN_SCORE] = total < self.min_score
        if self.languages is not None:
            bits_s, bits_m, any_s, any_m = self.languages
            inter = common_count(pairs.left(bits_s), pairs.right(bits_m), np.uint32)
            rules[SHARE_LANGUAGE] = pairs.left(any_s) & pairs.right(any_m) & (inter == 0)
        if isinstance(self.user, PairSet):
            rules[USER_RULE] = self.user.mask(pairs, shape)
        elif self.user is not None:
            rules[USER_RULE] = ~pairs.lookup(self.user, np.arange(self.shape[0]))
        return rules

    def forbidden_full(self, total: NDArray[np.floating[Any]]) -> dict[str, Mask]:
        """:meth:`forbidden` for every pair, block by block (small temporaries)."""
        masks: dict[str, Mask] = {}
        for block in row_blocks(*self.shape):
            for name, mask in self.forbidden(Pairs(block, slice(None)), total[block]).items():
                if name not in masks:
                    masks[name] = np.empty(self.shape, dtype=np.bool_)
                masks[name][block] = mask
        if not masks and self.shape[0] == 0:
            # No block to run: the rules are there all the same, forbidding nothing.
            empty = self.forbidden(Pairs(slice(0, 0), slice(None)), total)
            masks = {name: np.zeros(self.shape, dtype=np.bool_) for name in empty}
        return masks


def encode_rules(
    cohort: Cohort,
    *,
    min_score: float | None,
    share_language: bool,
    allowed: ArrayLike | pd.DataFrame | Rule | None,
    sparse: bool = False,
) -> EncodedRules:
    """The hard rules of a scorer, encoded for ``cohort``.

    With ``sparse=True`` a user's mask is kept as the pairs it forbids
    (O(forbidden pairs), for shipping to other processes); otherwise as the
    dense mask itself.
    """
    students, managers = cohort.students, cohort.managers
    shape = (cohort.n_students, cohort.n_managers)
    avoid: dict[str, PairSet] = {}
    sides: tuple[tuple[Side, pd.DataFrame, Mapping[str, int]], ...] = (
        ("students", students, cohort.manager_index),
        ("managers", managers, cohort.student_index),
    )
    for side, table, other in sides:
        pairs = [(p, other[x]) for p, listed in enumerate(table["avoid"]) for x in listed]
        if pairs:
            rows, cols = np.array(pairs).T
            if side == "managers":
                rows, cols = cols, rows
            avoid[AVOID[side]] = PairSet.from_pairs(rows, cols, shape)
    languages = None
    if share_language:
        if "languages" not in students or "languages" not in managers:
            raise fail(
                param_where("share_language", "Scorer"),
                "a 'languages' column in both tables",
                "a cohort without one",
            )
        vocabulary: dict[Any, int] = {}
        sets_s, sets_m = list(students["languages"]), list(managers["languages"])
        for items in (*sets_s, *sets_m):
            codes(items, vocabulary)
        in_s, in_m = incidence(sets_s, vocabulary), incidence(sets_m, vocabulary)
        any_s: Mask = np.asarray(in_s.any(axis=1))
        any_m: Mask = np.asarray(in_m.any(axis=1))
        languages = (bitsets(in_s), bitsets(in_m), any_s, any_m)
    user: PairSet | Mask | None = None
    if allowed is not None:
        mask = _user_mask(allowed, cohort, students, managers)
        if sparse:
            rows, cols = np.nonzero(~mask)
            user = PairSet.from_pairs(rows, cols, shape)
        else:
            user = mask
    return EncodedRules(shape, avoid, min_score, languages, user)


def forbidden_pairs(
    cohort: Cohort,
    total: NDArray[np.floating[Any]],
    *,
    min_score: float | None,
    share_language: bool,
    allowed: ArrayLike | pd.DataFrame | Rule | None,
) -> dict[str, Mask]:
    """Each hard rule that forbids at least one pair, by name, with its mask."""
    rules = encode_rules(
        cohort, min_score=min_score, share_language=share_language, allowed=allowed
    ).forbidden_full(total)
    if MIN_SCORE in rules and not rules[MIN_SCORE].any():
        del rules[MIN_SCORE]
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
