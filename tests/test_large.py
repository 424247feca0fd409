"""match_large against match on dense scores, and its certificate as a proof.

The reference is :func:`mentormatch.match` on ``scorer.score(cohort)``: for
the Hungarian method the same number of pairs and the same total (the dense
solver is exact; ties make the pairs themselves free), for the stable
method the identical pairs (the proposer-optimal stable matching is
unique). The draw mixes cohort sizes, capacities on either side, hard
rules, stated preferences, fixed pairs and candidate counts from 1 (almost
everything comes from pricing) up.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.exceptions import InfeasibleError, InvalidInputError
from mentormatch.pricing import TOLERANCE
from tests.strategies import fuzz_examples


@st.composite
def st_problem(draw: st.DrawFn) -> tuple[mm.Cohort, mm.Scorer, int]:
    n_s, n_m = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    side = draw(st.sampled_from(["neither", "students", "managers"]))
    capacity = {f"{side[:-1]}_capacity": (1, 3)} if side != "neither" else {}
    cohort = mm.make_cohort(
        n_s,
        n_m,
        rng=draw(st.integers(0, 2**16)),
        n_preferences=draw(st.sampled_from([0, 2])),
        avoid_rate=draw(st.sampled_from([0.0, 0.2])),
        **capacity,
    )
    scorer = mm.Scorer(
        weights=draw(
            st.sampled_from([None, {"interests": 1.0}, {"programme": 2, "diversity": 1}])
        ),
        min_score=draw(st.sampled_from([None, 0.3, 0.6])),
        share_language=draw(st.booleans()),
    )
    return cohort, scorer, draw(st.integers(1, 6))


def assert_same_optimum(large: mm.Matching, dense: mm.Matching) -> None:
    assert len(large.rows) == len(dense.rows)
    scores = dense.scores.total
    spread = float(np.ptp(scores)) or 1.0
    assert math.isclose(
        large.total_score,
        dense.total_score,
        rel_tol=0.0,
        abs_tol=TOLERANCE * spread * (len(dense.rows) + 1),
    )
    # Valid: allowed pairs, within capacities, no pair twice.
    cohort = dense.scores.cohort
    assert dense.scores.allowed[large.rows, large.cols].all()
    assert (np.bincount(large.rows, minlength=cohort.n_students) <= cohort.student_capacity).all()
    assert (np.bincount(large.cols, minlength=cohort.n_managers) <= cohort.manager_capacity).all()
    assert len(set(zip(large.rows.tolist(), large.cols.tolist(), strict=True))) == len(large.rows)


@settings(max_examples=fuzz_examples(150), deadline=None)
@given(st_problem())
def test_hungarian_equals_the_dense_optimum_and_is_certified(problem: Any) -> None:
    cohort, scorer, k = problem
    large = mm.match_large(cohort, scorer, candidates=k, memory_limit=2**20)
    assert_same_optimum(large, mm.match(scorer.score(cohort)))
    assert large.certificate is not None
    assert large.certificate.holds
    assert large.certificate.max_violation <= TOLERANCE
    assert large.certificate.check(large)


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(st_problem(), st.sampled_from(["students", "managers"]))
def test_stable_gives_the_identical_pairs(problem: Any, proposer: str) -> None:
    cohort, scorer, k = problem
    large = mm.match_large(cohort, scorer, method="stable", proposer=proposer, candidates=k)
    dense = mm.match(scorer.score(cohort), method="stable", proposer=proposer)
    assert np.array_equal(large.rows, dense.rows)
    assert np.array_equal(large.cols, dense.cols)
    assert large.certificate is None


@settings(max_examples=fuzz_examples(50), deadline=None)
@given(st_problem(), st.integers(0, 2**16))
def test_fixed_pairs_are_kept_and_the_rest_is_optimal(problem: Any, seed: int) -> None:
    cohort, scorer, k = problem
    scores = scorer.score(cohort)
    rows, cols = np.nonzero(scores.allowed)
    if len(rows) == 0:
        return
    pick = int(np.random.default_rng(seed).integers(len(rows)))
    fixed = [(scores.student_ids[rows[pick]], scores.manager_ids[cols[pick]])]
    try:
        dense = mm.match(scores, fixed=fixed)
    except InfeasibleError:  # a capacity of 0
        with pytest.raises(InfeasibleError):
            mm.match_large(cohort, scorer, fixed=fixed)
        return
    large = mm.match_large(cohort, scorer, candidates=k, fixed=fixed)
    assert_same_optimum(large, dense)
    assert large.fixed.sum() == 1
    assert large.certificate is not None
    assert large.certificate.check(large)


def test_the_certificate_fails_for_a_perturbed_pairing() -> None:
    cohort = mm.make_cohort(40, 40, rng=5)
    large = mm.match_large(cohort, candidates=4)
    assert large.certificate is not None
    assert large.certificate.check(large)
    # Swap the partners of two pairs with different totals.
    rows, cols = large.rows.copy(), large.cols.copy()
    total = mm.Scorer().score(cohort).total
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            swapped = total[rows[a], cols[b]] + total[rows[b], cols[a]]
            if swapped < total[rows[a], cols[a]] + total[rows[b], cols[b]] - 1e-6:
                cols[a], cols[b] = cols[b], cols[a]
                worse = replace(large, cols=cols)
                assert not large.certificate.check(worse)
                # Dropping a pair breaks it too: a place with a positive dual value left free.
                fewer = replace(
                    large, rows=large.rows[1:], cols=large.cols[1:], fixed=large.fixed[1:]
                )
                assert not large.certificate.check(fewer)
                return
    pytest.fail("no swap makes a worse pairing")  # pragma: no cover


def test_match_certify_proves_the_dense_pairing() -> None:
    scores = mm.Scorer().score(mm.make_cohort(50, 45, rng=2, manager_capacity=(1, 2)))
    pairing = mm.match(scores, certify=True)
    assert pairing.certificate is not None
    assert pairing.certificate.holds
    assert pairing.certificate.check(pairing)
    assert mm.match(scores).certificate is None
    assert not pairing.certificate.check(mm.match(scores, method="maxmin"))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"method": "stable", "certify": True}, "certify"),
        ({"certify": "yes"}, "certify"),
    ],
)
def test_match_certify_rejects_what_it_cannot_prove(kwargs: dict[str, Any], name: str) -> None:
    scores = mm.Scorer().score(mm.make_cohort(5, 5, rng=0))
    with pytest.raises(InvalidInputError, match=f"'{name}'"):
        mm.match(scores, **kwargs)


def test_an_executor_gives_the_same_pairing() -> None:
    cohort = mm.make_cohort(120, 110, rng=3, student_capacity=(1, 2))
    alone = mm.match_large(cohort, candidates=3, memory_limit=2**20)
    with ThreadPoolExecutor(2) as pool:
        shared = mm.match_large(cohort, candidates=3, memory_limit=2**20, executor=pool)
    assert np.array_equal(alone.rows, shared.rows)
    assert np.array_equal(alone.cols, shared.cols)
    assert alone.certificate is not None
    assert shared.certificate is not None
    assert np.array_equal(alone.certificate.student_dual, shared.certificate.student_dual)


def test_the_same_input_gives_the_same_output_and_the_cohort_is_untouched() -> None:
    cohort = mm.make_cohort(60, 50, rng=9, avoid_rate=0.2)
    students, managers = cohort.to_frames()
    first = mm.match_large(cohort, candidates=2)
    again = mm.match_large(cohort, candidates=2)
    assert np.array_equal(first.rows, again.rows)
    assert np.array_equal(first.cols, again.cols)
    after_s, after_m = cohort.to_frames()
    assert students.equals(after_s)
    assert managers.equals(after_m)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"method": "maxmin"}, "'method'"),
        ({"candidates": 0}, "'candidates'"),
        ({"memory_limit": "2 XB"}, "'memory_limit'"),
        ({"memory_limit": 1000}, "at least 1 MiB"),
        ({"executor": "dask"}, "'executor'"),
        (
            {"scorer": mm.Scorer(criteria={"mine": lambda s, m: np.ones((len(s), len(m)))})},
            "criteri",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        mm.match_large(mm.make_cohort(4, 4, rng=0), **kwargs)


def test_capacities_above_one_on_both_sides_are_refused_clearly() -> None:
    cohort = mm.make_cohort(6, 6, rng=0, student_capacity=2, manager_capacity=2)
    with pytest.raises(InvalidInputError, match="one side at most"):
        mm.match_large(cohort)
    # The stable method takes them.
    stable = mm.match_large(cohort, method="stable")
    dense = mm.match(mm.Scorer().score(cohort), method="stable")
    assert np.array_equal(stable.rows, dense.rows)
    assert np.array_equal(stable.cols, dense.cols)
