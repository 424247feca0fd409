"""The Digg reverse-mentoring programme, end to end, on a synthetic cohort.

Eight managers of the Swedish Agency for Digital Government each get one
student mentor from Mid Sweden University; the pairs meet twice a term for a
year. Students are matched with managers whose educational background differs
from their own. This script scores a synthetic cohort of that size, pairs it
for the best total score, and prints each pair with its reason, the pairing's
quality figures, and how a stable pairing would differ.

Run it with ``python examples/digg_programme.py``.
"""

from __future__ import annotations

import mentormatch as mm

WEIGHTS = {"programme": 0.3, "interests": 0.4, "diversity": 0.3}


def main() -> None:
    cohort = mm.make_cohort(n_students=8, n_managers=8, rng=2026)
    scores = mm.Scorer(weights=WEIGHTS).score(cohort)
    pairing = mm.match(scores, method="hungarian")

    programme_of = dict(zip(cohort.student_ids, cohort.students["programme"], strict=True))
    unit_of = dict(zip(cohort.manager_ids, cohort.managers["unit"], strict=True))
    print("Digg reverse mentoring: 8 students (mentors), 8 managers (mentees), synthetic")
    print("Weights: programme 0.3, interests 0.4, diversity 0.3; method: hungarian\n")
    for (student, manager), reason in zip(
        pairing.pairs[["student_id", "manager_id"]].itertuples(index=False),
        pairing.reasons(),
        strict=True,
    ):
        print(f"{student} ({programme_of[student]}) with {manager} ({unit_of[manager]})")
        print(f"    {reason}")

    summary = pairing.summary()
    print(
        f"\nSummary: {summary['n_pairs']:.0f} pairs, total score {summary['total_score']:.2f}, "
        f"mean {summary['mean_score']:.2f}, worst pair {summary['min_score']:.2f}, "
        f"{summary['blocking_pairs']:.0f} blocking pair(s)"
    )
    for student, manager in pairing.blocking_pairs().itertuples(index=False):
        print(f"  blocking: {student} and {manager} would both rather be paired together")
    for person, side, reason in pairing.unmatched.itertuples(index=False):
        print(f"  unmatched {side} {person}: {reason}")

    stable = mm.match(scores, method="stable", proposer="students")
    moved = stable.pairs.merge(pairing.pairs, on="student_id", suffixes=("_stable", ""))
    moved = moved[moved["manager_id"] != moved["manager_id_stable"]]
    s = stable.summary()
    print(
        f"\nA stable pairing instead (no blocking pairs): total {s['total_score']:.2f}, "
        f"worst pair {s['min_score']:.2f}; it changes {len(moved)} of 8 pairs:"
    )
    for row in moved.itertuples(index=False):
        print(f"  {row.student_id}: {row.manager_id} -> {row.manager_id_stable}")


if __name__ == "__main__":
    main()
