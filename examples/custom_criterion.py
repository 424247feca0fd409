"""A criterion of your own: does the manager's unit work on what the student cares about?

The built-in criteria compare the two people. A programme coordinator may
also want the student's interests to meet the manager's *work*: a student
who cares about accessibility has more to offer the unit that supervises
digital accessibility. This script writes that as a criterion (a function of
the two participant tables returning an ``(n_students, n_managers)`` array in
[0, 1]), plugs it into ``Scorer`` beside the built-ins, and shows how the
pairing changes.

Run it with ``python examples/custom_criterion.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

import mentormatch as mm

#: What each unit of the agency works on, in the interests' own words.
UNIT_WORKS_ON: Mapping[str, frozenset[str]] = {
    "Digital förvaltning": frozenset({"demokrati", "digital inklusion", "öppna data"}),
    "Öppna data och datadelning": frozenset({"öppna data", "integritet", "demokrati"}),
    "Digital tillgänglighet": frozenset({"tillgänglighet", "digital inklusion", "folkhälsa"}),
    "Infrastruktur och säkerhet": frozenset({"cybersäkerhet", "integritet", "klimat"}),
    "Kommunikation": frozenset({"demokrati", "ungas inflytande", "tillgänglighet"}),
    "Verksamhetsstöd": frozenset({"jämställdhet", "folkhälsa", "hållbarhet"}),
    "Analys och uppföljning": frozenset({"öppna data", "klimat", "hållbarhet"}),
    "Rättsavdelningen": frozenset({"integritet", "mänskliga rättigheter", "migration"}),
    "Innovation och AI": frozenset({"AI-etik", "öppna data", "cybersäkerhet"}),
    "E-legitimation": frozenset({"integritet", "digital inklusion", "cybersäkerhet"}),
}


def unit_serves_interests(students: pd.DataFrame, managers: pd.DataFrame) -> NDArray[np.float64]:
    """The share of the student's interests that the manager's unit works on.

    1 when the unit works on everything the student cares about, 0 when on
    none of it (or when the unit is not in ``UNIT_WORKS_ON``).
    """
    result = np.zeros((len(students), len(managers)))
    for i, interests in enumerate(students["interests"]):
        if not interests:
            continue
        for j, unit in enumerate(managers["unit"]):
            served = UNIT_WORKS_ON.get(unit, frozenset())
            result[i, j] = sum(x in served for x in interests) / len(interests)
    return result


def main() -> None:
    cohort = mm.make_cohort(n_students=8, n_managers=8, rng=2026)
    builtin = {"programme": 0.3, "interests": 0.4, "diversity": 0.3}
    with_unit = {"programme": 0.2, "interests": 0.3, "diversity": 0.3, "unit_fit": 0.2}

    before = mm.match(mm.Scorer(weights=builtin).score(cohort))
    scores = mm.Scorer(criteria={"unit_fit": unit_serves_interests}, weights=with_unit).score(
        cohort
    )
    after = mm.match(scores)

    print("Criterion 'unit_fit': the share of the student's interests the manager's unit works on")
    print("Weights: programme 0.2, interests 0.3, diversity 0.3, unit_fit 0.2\n")
    table = after.pairs[["student_id", "manager_id", "score", "unit_fit"]].round(2)
    units = cohort.managers.set_index("id")["unit"]
    table.insert(2, "unit", units.loc[table["manager_id"]].to_numpy())
    earlier = before.pairs.set_index("student_id")["manager_id"]
    table["before"] = earlier.loc[table["student_id"]].to_numpy()
    print(table.to_string(index=False))

    print()
    fit = scores.components["unit_fit"]
    print(
        f"Mean unit fit: {fit[before.rows, before.cols].mean():.2f} without the criterion, "
        f"{fit[after.rows, after.cols].mean():.2f} with it"
    )
    changed = table[table["manager_id"] != table["before"]]
    print(f"{len(changed)} of {len(table)} students get a different manager.\n")

    student, manager = changed.iloc[0]["student_id"], changed.iloc[0]["manager_id"]
    print(scores.explain(student, manager))


if __name__ == "__main__":
    main()
