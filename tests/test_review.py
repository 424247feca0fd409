"""Tests of reviewing a pairing: best stable, alternatives, diff, what_if, why_not, previous=.

Optimality is checked against brute force over every pairing of small
cohorts, written here from the definitions.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import solvers

Pair = tuple[int, int]


def one_to_one_pairings(scores: mm.Scores) -> list[list[Pair]]:
    """Every pairing of largest size of a one-to-one cohort (allowed pairs only)."""
    n_s, n_m = scores.shape
    best: list[list[Pair]] = []
    for size in range(min(n_s, n_m), -1, -1):
        for rows in itertools.combinations(range(n_s), size):
            for cols in itertools.permutations(range(n_m), size):
                pairs = list(zip(rows, cols, strict=True))
                if all(scores.allowed[p] for p in pairs):
                    best.append(pairs)
        if best:
            return best
    return best


def total(scores: mm.Scores, pairs: list[Pair]) -> float:
    return math.fsum(float(scores.total[p]) for p in pairs)


def index_pairs(pairing: mm.Matching) -> set[Pair]:
    return set(zip(pairing.rows.tolist(), pairing.cols.tolist(), strict=True))


def ids(scores: mm.Scores, pair: Pair) -> tuple[str, str]:
    return scores.student_ids[pair[0]], scores.manager_ids[pair[1]]


@st.composite
def st_small_scores(draw: st.DrawFn, max_side: int = 4) -> mm.Scores:
    n_s = draw(st.integers(1, max_side))
    n_m = draw(st.integers(1, max_side))
    seed = draw(st.integers(0, 10_000))
    avoid = draw(st.sampled_from([0.0, 0.2]))
    cohort = mm.make_cohort(n_s, n_m, rng=seed, avoid_rate=avoid)
    return mm.Scorer().score(cohort)


# --------------------------------------------------------------------------
# match(method="best_stable")
# --------------------------------------------------------------------------


@pytest.mark.parametrize("objective", [None, "total", "egalitarian", "regret"])
@pytest.mark.parametrize("proposer", ["students", "managers"])
def test_best_stable_method_is_stable_and_is_the_solver_on_the_views(
    objective: str | None, proposer: str
) -> None:
    cohort = mm.make_cohort(9, 8, rng=4, n_preferences=3, manager_capacity=2)
    scores = mm.Scorer(student_weights={"interests": 1.0}).score(cohort)
    pairing = mm.match(scores, method="best_stable", objective=objective, proposer=proposer)
    assert pairing.method == "best_stable"
    assert pairing.objective == (objective or "total")
    assert len(pairing.blocking_pairs()) == 0
    if proposer == "students":
        rows, cols = solvers.best_stable(
            scores.student_view,
            scores.manager_view,
            objective=objective or "total",
            weights=scores.total if (objective or "total") == "total" else None,
            allowed=scores.allowed,
            proposer_capacity=cohort.student_capacity,
            receiver_capacity=cohort.manager_capacity,
        )
        assert index_pairs(pairing) == set(zip(rows.tolist(), cols.tolist(), strict=True))


def test_best_stable_total_is_at_least_the_proposer_optimal_stable_total() -> None:
    cohort = mm.make_cohort(12, 12, rng=7, n_preferences=4)
    scores = mm.Scorer(student_weights={"interests": 1.0}, manager_weights={"programme": 1.0})
    s = scores.score(cohort)
    best = mm.match(s, method="best_stable")
    for proposer in ("students", "managers"):
        assert (
            best.total_score >= mm.match(s, method="stable", proposer=proposer).total_score - 1e-12
        )


def test_objective_needs_best_stable_and_a_known_name() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    with pytest.raises(mm.InvalidInputError, match="parameter 'objective' of match"):
        mm.match(scores, objective="regret")
    with pytest.raises(mm.InvalidInputError, match="parameter 'objective' of match"):
        mm.match(scores, method="best_stable", objective="fairest")


# --------------------------------------------------------------------------
# alternatives and diff
# --------------------------------------------------------------------------


@settings(max_examples=40)
@given(st_small_scores(), st.integers(1, 6))
def test_alternatives_are_the_top_k_totals_of_brute_force(scores: mm.Scores, k: int) -> None:
    found = mm.alternatives(scores, k=k)
    ranking = sorted((total(scores, p) for p in one_to_one_pairings(scores)), reverse=True)
    assert [p.total_score for p in found] == pytest.approx(ranking[:k], abs=1e-9)
    assert len({frozenset(index_pairs(p)) for p in found}) == len(found)
    assert found[0].total_score == pytest.approx(mm.match(scores).total_score)


def test_diff_lists_added_and_removed_pairs_summing_to_the_change() -> None:
    scores = mm.Scorer().score(mm.make_cohort(6, 5, rng=3))
    first, *rest = mm.alternatives(scores, k=4)
    assert first.diff(first).empty
    for other in rest:
        changes = first.diff(other)
        added = set(
            zip(
                changes.student_id[changes.change == "added"],
                changes.manager_id[changes.change == "added"],
                strict=True,
            )
        )
        removed = set(
            zip(
                changes.student_id[changes.change == "removed"],
                changes.manager_id[changes.change == "removed"],
                strict=True,
            )
        )
        mine = {ids(scores, p) for p in index_pairs(first)}
        theirs = {ids(scores, p) for p in index_pairs(other)}
        assert added == theirs - mine
        assert removed == mine - theirs
        assert changes.score_change.sum() == pytest.approx(other.total_score - first.total_score)


def test_diff_needs_a_matching_of_the_same_scores() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    other = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    with pytest.raises(mm.InvalidInputError, match=r"parameter 'other' of Matching\.diff"):
        mm.match(scores).diff(mm.match(other))
    with pytest.raises(mm.InvalidInputError, match=r"parameter 'other' of Matching\.diff"):
        mm.match(scores).diff("pairs")  # type: ignore[arg-type]


def test_alternatives_rejects_a_bad_k() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    with pytest.raises(mm.InvalidInputError, match="parameter 'k' of alternatives"):
        mm.alternatives(scores, k=0)


# --------------------------------------------------------------------------
# what_if and why_not
# --------------------------------------------------------------------------


@settings(max_examples=40)
@given(st_small_scores(), st.data())
def test_what_if_is_optimal_with_the_forced_and_forbidden_pairs(
    scores: mm.Scores, data: st.DataObject
) -> None:
    pairing = mm.match(scores)
    allowed_pairs: list[Pair] = [(int(a), int(b)) for a, b in np.argwhere(scores.allowed)]
    if not allowed_pairs:
        return
    force = data.draw(st.sampled_from(allowed_pairs))
    forbid = data.draw(st.lists(st.sampled_from(allowed_pairs), max_size=3, unique=True))
    forbid = [p for p in forbid if p != force]
    result = pairing.what_if(force=[ids(scores, force)], forbid=[ids(scores, p) for p in forbid])
    got = index_pairs(result)
    assert force in got
    assert not got & set(forbid)
    # Brute force: the largest pairings containing the forced pair and
    # avoiding the forbidden ones, best total first.
    n_s, n_m = scores.shape
    candidates = []
    for size in range(min(n_s, n_m), 0, -1):
        for rows in itertools.combinations(range(n_s), size):
            for cols in itertools.permutations(range(n_m), size):
                pairs = list(zip(rows, cols, strict=True))
                if (
                    force in pairs
                    and all(scores.allowed[p] for p in pairs)
                    and not set(pairs) & set(forbid)
                ):
                    candidates.append(pairs)
        if candidates:
            break
    assert len(got) == len(candidates[0])
    assert result.total_score == pytest.approx(max(total(scores, p) for p in candidates))


def test_what_if_keeps_the_method_and_options() -> None:
    cohort = mm.make_cohort(6, 6, rng=5, n_preferences=2)
    scores = mm.Scorer(student_weights={"interests": 1.0}).score(cohort)
    pairing = mm.match(scores, method="best_stable", objective="regret", proposer="managers")
    pair = ids(scores, sorted(index_pairs(pairing))[0])
    again = pairing.what_if(forbid=[pair])
    assert (again.method, again.proposer, again.objective) == ("best_stable", "managers", "regret")
    assert pair not in {ids(scores, p) for p in index_pairs(again)}
    # Forbidding accumulates over successive what_if calls.
    second = ids(scores, sorted(index_pairs(again))[0])
    twice = again.what_if(forbid=[second])
    got = {ids(scores, p) for p in index_pairs(twice)}
    assert pair not in got
    assert second not in got


def test_what_if_forcing_a_forbidden_pair_is_infeasible() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    pairing = mm.match(scores)
    pair = ids(scores, sorted(index_pairs(pairing))[0])
    with pytest.raises(mm.InfeasibleError):
        pairing.what_if(force=[pair], forbid=[pair])
    with pytest.raises(mm.InvalidInputError, match="parameter 'forbid' of match"):
        pairing.what_if(forbid=[("nobody", "m01")])


def test_why_not_states_the_cost_of_forcing_and_the_moves() -> None:
    scores = mm.Scorer().score(mm.make_cohort(6, 6, rng=2))
    pairing = mm.match(scores)
    paired = index_pairs(pairing)
    for i, j in itertools.product(range(6), range(6)):
        s, m = ids(scores, (i, j))
        text = pairing.why_not(s, m)
        if (i, j) in paired:
            assert text == f"{s} and {m} are paired."
            continue
        forced = pairing.what_if(force=[(s, m)])
        assert f"{forced.total_score - pairing.total_score:+.3f}" in text
        for row in pairing.diff(forced).itertuples():
            assert str(row.student_id) in text
        for name in scores.components:
            assert f"  {name}: " in text


def test_why_not_for_a_stable_pairing_says_who_blocks() -> None:
    cohort = mm.make_cohort(6, 6, rng=1, n_preferences=2)
    scores = mm.Scorer(student_weights={"interests": 1.0}).score(cohort)
    pairing = mm.match(scores, method="stable")
    paired = index_pairs(pairing)
    i, j = next(p for p in itertools.product(range(6), range(6)) if p not in paired)
    text = pairing.why_not(*ids(scores, (i, j)))
    assert "does not block this stable pairing" in text
    assert "(student view)" in text or "(manager view)" in text


def test_why_not_a_forbidden_pair_names_the_rule_and_unknown_ids_are_errors() -> None:
    cohort = mm.make_cohort(5, 5, rng=0, avoid_rate=0.3)
    scores = mm.Scorer().score(cohort)
    pairing = mm.match(scores)
    forbidden = np.argwhere(~scores.allowed)
    assert len(forbidden)
    s, m = ids(scores, (int(forbidden[0][0]), int(forbidden[0][1])))
    assert "cannot be paired: forbidden by" in pairing.why_not(s, m)
    with pytest.raises(mm.InvalidInputError, match=r"parameter 'student_id' of Matching\.why_not"):
        pairing.why_not("nobody", m)


# --------------------------------------------------------------------------
# previous= and change_cost=
# --------------------------------------------------------------------------


@settings(max_examples=40)
@given(st_small_scores(), st.data(), st.sampled_from([0.0, 0.05, 0.3, 2.0]))
def test_rematching_maximises_total_minus_cost_of_broken_pairs(
    scores: mm.Scores, data: st.DataObject, cost: float
) -> None:
    allowed_pairs: list[Pair] = [(int(a), int(b)) for a, b in np.argwhere(scores.allowed)]
    previous = (
        data.draw(st.lists(st.sampled_from(allowed_pairs), max_size=4, unique=True))
        if allowed_pairs
        else []
    )
    # A previous pairing is a matching: one partner each.
    kept: list[Pair] = []
    for p in previous:
        if all(p[0] != q[0] and p[1] != q[1] for q in kept):
            kept.append(p)
    result = mm.match(scores, previous=[ids(scores, p) for p in kept], change_cost=cost)

    def value(pairs: list[Pair]) -> float:
        return total(scores, pairs) - cost * len(set(kept) - set(pairs))

    best = max(value(p) for p in one_to_one_pairings(scores))
    got = sorted(index_pairs(result))
    assert len(got) == len(one_to_one_pairings(scores)[0])
    assert value(got) == pytest.approx(best, abs=1e-9)


def test_infinite_change_cost_keeps_every_previous_pair_still_possible() -> None:
    cohort = mm.make_cohort(6, 6, rng=8)
    scores = mm.Scorer().score(cohort)
    before = mm.match(scores)
    previous = list(zip(before.pairs.student_id, before.pairs.manager_id, strict=True))
    # Two people leave; their pairs are ignored, every other pair is kept.
    left_s, left_m = previous[0][0], previous[1][1]
    smaller = mm.Scorer().score(cohort.without(students=[left_s], managers=[left_m]))
    after = mm.match(smaller, previous=previous, change_cost=float("inf"))
    still = {p for p in previous if p[0] != left_s and p[1] != left_m}
    got = set(zip(after.pairs.student_id, after.pairs.manager_id, strict=True))
    assert still <= got


def test_previous_and_change_cost_come_together() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    with pytest.raises(mm.InvalidInputError, match="parameter 'change_cost' of match"):
        mm.match(scores, previous=[("s01", "m01")])
    with pytest.raises(mm.InvalidInputError, match="parameter 'previous' of match"):
        mm.match(scores, change_cost=1.0)
    with pytest.raises(mm.InvalidInputError, match="parameter 'change_cost' of match"):
        mm.match(scores, previous=[("s01", "m01")], change_cost=-1.0)
    with pytest.raises(mm.InvalidInputError, match="parameter 'previous' of match"):
        mm.match(scores, method="stable", previous=[("s01", "m01")], change_cost=1.0)
