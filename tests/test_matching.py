"""match() and Matching: methods, capacities, fixed pairs, unmatched reasons, output."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import InfeasibleError, InvalidInputError
from tests.oracles import brute_force_best_total

METHODS = ["hungarian", "stable", "maxmin"]


def scores_for(n_s: int = 5, n_m: int = 5, rng: int = 0, **cohort_options: Any) -> mm.Scores:
    return mm.Scorer().score(mm.make_cohort(n_s, n_m, rng=rng, **cohort_options))


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000), st.floats(0, 0.6))
def test_hungarian_is_best_total_among_largest_pairings(
    n_s: int, n_m: int, seed: int, min_score: float
) -> None:
    scores = mm.Scorer(min_score=min_score).score(mm.make_cohort(n_s, n_m, rng=seed))
    pairing = mm.match(scores)
    k, total = brute_force_best_total(scores)
    assert len(pairing.rows) == k
    assert pairing.total_score == pytest.approx(total)


@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 10_000), st.sampled_from(METHODS))
def test_everyone_is_paired_or_listed_with_a_reason(
    n_s: int, n_m: int, seed: int, method: str
) -> None:
    scores = mm.Scorer(min_score=0.3).score(
        mm.make_cohort(n_s, n_m, rng=seed, manager_capacity=(1, 2), avoid_rate=0.2)
    )
    pairing = mm.match(scores, method=method)
    pairs, unmatched = pairing.pairs, pairing.unmatched
    assert set(pairs.student_id) | set(unmatched[unmatched.side == "student"].id) == set(
        scores.student_ids
    )
    assert set(pairs.manager_id) | set(unmatched[unmatched.side == "manager"].id) == set(
        scores.manager_ids
    )
    assert not set(pairs.student_id) & set(unmatched.id[unmatched.side == "student"])
    assert unmatched.reason.str.len().min() > 0 if len(unmatched) else True
    # Rules and capacities hold.
    assert scores.allowed[pairing.rows, pairing.cols].all()
    capacity = scores.cohort.managers["capacity"].to_numpy()
    assert (np.bincount(pairing.cols, minlength=n_m) <= capacity).all()
    assert len(set(zip(pairing.rows, pairing.cols, strict=True))) == len(pairing.rows)
    assert (np.diff(pairing.rows) >= 0).all()


@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 10_000),
    st.sampled_from(["students", "managers"]),
)
def test_stable_has_no_blocking_pairs_either_way(
    n_s: int, n_m: int, seed: int, proposer: str
) -> None:
    scores = mm.Scorer(preference_bonus=0.3).score(
        mm.make_cohort(n_s, n_m, rng=seed, n_preferences=2, student_capacity=(1, 2))
    )
    pairing = mm.match(scores, method="stable", proposer=proposer)
    assert pairing.summary()["blocking_pairs"] == 0
    assert pairing.proposer == proposer


def test_stable_proposing_side_gets_its_better_pairing() -> None:
    # Two students and two managers with opposed views: each proposing side wins.
    cohort = mm.Cohort.from_frames(
        pd.DataFrame(
            {
                "id": ["s1", "s2"],
                "programme": ["Juridik"] * 2,
                "interests": [""] * 2,
                "preferences": ["m1;m2", "m2;m1"],
            }
        ),
        pd.DataFrame(
            {
                "id": ["m1", "m2"],
                "unit": ["U"] * 2,
                "interests": [""] * 2,
                "preferences": ["s2;s1", "s1;s2"],
            }
        ),
    )
    scores = mm.Scorer(preference_bonus=1.0).score(cohort)
    by_students = mm.match(scores, method="stable", proposer="students").pairs
    by_managers = mm.match(scores, method="stable", proposer="managers").pairs
    assert list(zip(by_students.student_id, by_students.manager_id, strict=True)) == [
        ("s1", "m1"),
        ("s2", "m2"),
    ]
    assert list(zip(by_managers.student_id, by_managers.manager_id, strict=True)) == [
        ("s1", "m2"),
        ("s2", "m1"),
    ]


def test_maxmin_worst_pair_is_at_least_every_other_methods() -> None:
    for seed in range(20):
        scores = scores_for(6, 6, rng=seed)
        worst = {m: mm.match(scores, method=m).summary()["min_score"] for m in METHODS}
        assert worst["maxmin"] >= max(worst.values()) - 1e-12
        totals = {m: mm.match(scores, method=m).total_score for m in METHODS}
        assert totals["hungarian"] >= max(totals.values()) - 1e-9


def test_unmatched_reasons() -> None:
    students = pd.DataFrame(
        {
            "id": ["s1", "s2", "s3"],
            "programme": ["Juridik"] * 3,
            "interests": [""] * 3,
            "avoid": ["", "", "m1;m2"],
        }
    )
    managers = pd.DataFrame({"id": ["m1", "m2"], "unit": ["U", "V"], "interests": [""] * 2})
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(students, managers)))
    assert pairing.unmatched.to_dict(orient="records") == [
        {
            "id": "s3",
            "side": "student",
            "reason": "avoids every manager",
        }
    ]
    three = pd.DataFrame(
        {"id": ["s1", "s2", "s3"], "programme": ["Juridik"] * 3, "interests": [""] * 3}
    )
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(three, managers)))
    # Equal scores: the full managers do not prefer their students to s3.
    assert pairing.unmatched.reason.tolist() == ["all 2 allowed managers are full"]


def test_fixed_pairs_are_kept_and_the_rest_paired_around_them() -> None:
    scores = scores_for(5, 5, rng=4)
    free = mm.match(scores)
    # Keep a pair the free solution did not choose: a re-match after a drop-out.
    s, m = "s01", next(x for x in scores.manager_ids if x != free.pairs.manager_id[0])
    pairing = mm.match(scores, fixed=[(s, m)])
    pairs = pairing.pairs
    kept = pairs[(pairs.student_id == s) & (pairs.manager_id == m)]
    assert len(kept) == 1
    assert bool(kept.fixed.iloc[0])
    assert len(pairs) == 5
    assert pairs.fixed.sum() == 1
    # Best total given the fixed pair: brute force on the rest.
    rest_best = max(
        sum(scores.total[r, c] for r, c in zip([1, 2, 3, 4], perm, strict=True))
        for perm in itertools.permutations([j for j in range(5) if scores.manager_ids[j] != m])
    )
    i, j = 0, scores.cohort.manager_index[m]
    assert pairing.total_score == pytest.approx(scores.total[i, j] + rest_best)


@given(st.sampled_from(METHODS))
def test_fixed_pairs_with_every_method(method: str) -> None:
    scores = scores_for(4, 4, rng=1)
    pairing = mm.match(scores, method=method, fixed=[("s02", "m03")])
    assert ("s02", "m03") in set(
        zip(pairing.pairs.student_id, pairing.pairs.manager_id, strict=True)
    )
    assert len(pairing.pairs) == 4


@pytest.mark.parametrize(
    ("fixed", "error", "match"),
    [
        (
            [("s99", "m01")],
            InvalidInputError,
            r"parameter 'fixed' of match: expected student ids of the cohort, got 's99'",
        ),
        ([("s01", "m99")], InvalidInputError, r"expected manager ids of the cohort, got 'm99'"),
        (["s01"], InvalidInputError, r"expected \(student_id, manager_id\) pairs, got 's01'"),
        (
            [("s01", "m01"), ("s01", "m01")],
            InfeasibleError,
            r"expected each pair once, got \('s01', 'm01'\) twice",
        ),
        (
            [("s01", "m01"), ("s01", "m02")],
            InfeasibleError,
            r"expected at most capacity 1 for student 's01', got 2 fixed pairs",
        ),
    ],
)
def test_fixed_pair_errors(fixed: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        mm.match(scores_for(3, 3), fixed=fixed)


def test_fixed_pair_forbidden_by_rule_is_infeasible() -> None:
    cohort = mm.make_cohort(3, 3, rng=0)
    students, managers = cohort.to_frames()
    students["avoid"] = [["m02"], [], []]
    scores = mm.Scorer().score(mm.Cohort.from_frames(students, managers))
    with pytest.raises(
        InfeasibleError,
        match=r"expected allowed pairs, got \('s01', 'm02'\), forbidden by avoid \(s01 listed m02\)",
    ):
        mm.match(scores, fixed=[("s01", "m02")])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"method": "hungarain"},
            r"parameter 'method' of match: expected one of \{'best_stable', 'hungarian', 'maxmin', 'stable'\}, got 'hungarain'.",
        ),
        (
            {"proposer": "mentors"},
            r"parameter 'proposer' of match: expected one of \{'managers', 'students'\}, got 'mentors'.",
        ),
    ],
)
def test_match_bad_options(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        mm.match(scores_for(2, 2), **kwargs)


def test_match_needs_scores() -> None:
    with pytest.raises(InvalidInputError, match=r"parameter 'scores' of match: expected a Scores"):
        mm.match(np.ones((2, 2)))  # type: ignore[arg-type]


def test_same_input_same_output() -> None:
    for method in METHODS:
        a = mm.match(scores_for(6, 5, rng=9), method=method)
        b = mm.match(scores_for(6, 5, rng=9), method=method)
        pd.testing.assert_frame_equal(a.pairs, b.pairs)
        pd.testing.assert_frame_equal(a.unmatched, b.unmatched)


def test_pairs_frame_columns_and_values() -> None:
    scores = scores_for(4, 3, rng=2)
    pairing = mm.match(scores)
    pairs = pairing.pairs
    assert pairs.columns.tolist() == [
        "student_id",
        "manager_id",
        "score",
        "programme",
        "interests",
        "diversity",
        "fixed",
    ]
    for row in pairs.itertuples(index=False):
        i, j = (
            scores.cohort.student_index[str(row.student_id)],
            scores.cohort.manager_index[str(row.manager_id)],
        )
        assert row.score == scores.total[i, j]
        assert row.interests == scores.components["interests"][i, j]
    summary = pairing.summary()
    assert summary["n_pairs"] == 3
    assert summary["total_score"] == pytest.approx(pairs.score.sum())
    assert summary["min_score"] == pytest.approx(pairs.score.min())
    assert summary["unmatched_students"] == 1
    assert "3 pairs" in pairing._repr_html_()
    assert len(pairing.reasons()) == 3


def test_to_csv_neutralises_formulas(tmp_path: Path) -> None:
    students = pd.DataFrame(
        {"id": ["=HYPERLINK(1)", "+s2"], "programme": ["Juridik"] * 2, "interests": [""] * 2}
    )
    managers = pd.DataFrame({"id": ["@m1", "-m2"], "unit": ["U"] * 2, "interests": [""] * 2})
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(students, managers)))
    path = tmp_path / "pairs.csv"
    pairing.to_csv(path)
    back = pd.read_csv(path, dtype=str)
    for value in (*back.student_id, *back.manager_id):
        assert value.startswith("'")
    assert float(back.score[0]) >= 0
