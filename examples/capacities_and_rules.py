"""Capacities above one, and the hard rules a coordinator needs.

Ten students and six managers, some of whom can take two students (nine
places in all). On top of the scores, four hard rules:

* an ``avoid`` list: m01 is s06's line manager in a summer job, so the pair
  must not be made;
* ``share_language``: s03 is an exchange student who speaks English and
  Spanish, and m06 works in Swedish only;
* ``min_score``: no pair scoring below 0.2;
* a rule of your own (``allowed``): s02 did an internship in m03's unit.

The script prints each manager's students, everyone left without a partner
and why, and how many pairs each rule forbade.

Run it with ``python examples/capacities_and_rules.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

import mentormatch as mm

WEIGHTS = {"programme": 0.3, "interests": 0.4, "diversity": 0.3}


def edited(table: pd.DataFrame, column: str, changes: Mapping[str, Any]) -> pd.DataFrame:
    """A copy of a participant table with some people's ``column`` replaced, by id."""
    out = table.copy()
    out[column] = [
        changes.get(ident, value) for ident, value in zip(out["id"], out[column], strict=True)
    ]
    return out


def build_cohort() -> mm.Cohort:
    """A synthetic cohort, edited the way a coordinator edits a sign-up export."""
    base = mm.make_cohort(n_students=10, n_managers=6, rng=4, manager_capacity=(1, 2))
    students, managers = base.to_frames()
    managers = edited(managers, "avoid", {"m01": ["s06"]})
    students = edited(students, "languages", {"s03": ["engelska", "spanska"]})
    managers = edited(managers, "languages", {"m06": ["svenska"]})
    return mm.Cohort.from_frames(students, managers)


def main() -> None:
    cohort = build_cohort()
    internships = pd.DataFrame(
        True, index=list(cohort.student_ids), columns=list(cohort.manager_ids)
    )
    internships.loc["s02", "m03"] = False

    scorer = mm.Scorer(weights=WEIGHTS, min_score=0.2, share_language=True, allowed=internships)
    scores = scorer.score(cohort)
    pairing = mm.match(scores)

    managers = cohort.managers.set_index("id")
    places = int(managers["capacity"].sum())
    print(
        f"{cohort.n_students} students, {cohort.n_managers} managers with {places} places; "
        f"{len(pairing.pairs)} pairs made (method: {pairing.method})\n"
    )
    pairs = pairing.pairs
    for manager, row in managers.iterrows():
        mine = pairs[pairs["manager_id"] == manager]
        students = ", ".join(
            f"{s} ({score:.2f})"
            for s, score in zip(mine["student_id"], mine["score"], strict=True)
        )
        print(f"{manager} {row['unit']} (capacity {row['capacity']}): {students or '-'}")

    print("\nWithout a partner:")
    for person, side, reason in pairing.unmatched.itertuples(index=False):
        print(f"  {side} {person}: {reason}")

    print(f"\nPairs forbidden by each rule (out of {scores.total.size}):")
    for rule, mask in scores.forbidden.items():
        print(f"  {rule}: {int(mask.sum())}")

    print("\nWhy s06 is not with m01, s06's best-scoring manager:")
    print(scores.explain("s06", "m01"))

    strict = mm.Scorer(weights=WEIGHTS, min_score=0.3, share_language=True, allowed=internships)
    print("\nWith min_score=0.3 instead, these are left without a partner:")
    for person, side, reason in mm.match(strict.score(cohort)).unmatched.itertuples(index=False):
        print(f"  {side} {person}: {reason}")


if __name__ == "__main__":
    main()
