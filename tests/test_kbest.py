"""Tests of k_best against the brute-force ranking of every maximum-size matching."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import hungarian, k_best
from tests.oracles import Problem, all_matchings, assert_valid_matching
from tests.strategies import st_assignment_problem


def ranking(problem: Problem) -> list[float]:
    """The totals of every matching of maximum size, best first (brute force)."""
    weights, allowed, rcap, ccap = problem
    matchings = list(all_matchings((weights, weights, allowed, rcap, ccap)))
    size = max(len(p) for p in matchings)
    totals = [math.fsum(weights[p] for p in pairs) for pairs in matchings if len(pairs) == size]
    return sorted(totals, reverse=True)


@given(
    problem=st_assignment_problem(max_side=4, capacities=True, max_capacity=2),
    k=st.integers(1, 8),
)
def test_k_best_totals_are_the_top_k_of_the_brute_force_ranking(problem: Problem, k: int) -> None:
    weights, allowed, rcap, ccap = problem
    found = k_best(weights, k, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    expected = ranking(problem)[:k]
    assert len(found) == len(expected)
    totals = [math.fsum(weights[r, c]) for r, c in found]
    assert totals == pytest.approx(expected, rel=1e-9, abs=1e-9)
    keys = set()
    for rows, cols in found:
        assert_valid_matching(rows, cols, weights.shape, allowed, rcap, ccap)
        keys.add((tuple(rows.tolist()), tuple(cols.tolist())))
    assert len(keys) == len(found)


@given(problem=st_assignment_problem(max_side=6), k=st.integers(1, 6))
def test_k_best_unit_capacities_up_to_6x6(problem: Problem, k: int) -> None:
    weights, allowed, _, _ = problem
    found = k_best(weights, k, allowed=allowed)
    expected = ranking(problem)[:k]
    totals = [math.fsum(weights[r, c]) for r, c in found]
    assert totals == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert len({(tuple(r.tolist()), tuple(c.tolist())) for r, c in found}) == len(found)


@given(st_assignment_problem(max_side=5, capacities=True, max_capacity=2))
def test_the_first_is_hungarians_answer(problem: Problem) -> None:
    weights, allowed, rcap, ccap = problem
    (rows, cols), *_ = k_best(weights, 3, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    h_rows, h_cols = hungarian(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    assert rows.size == h_rows.size
    assert math.fsum(weights[rows, cols]) == pytest.approx(math.fsum(weights[h_rows, h_cols]))


def test_every_permutation_of_3x3_ranked() -> None:
    # Six permutations with distinct totals: all six, in order, then no more.
    weights = np.array([[100.0, 10.0, 1.0], [20.0, 200.0, 2.0], [3.0, 30.0, 300.0]])
    found = k_best(weights, 10)
    assert len(found) == 6
    totals = [float(weights[r, c].sum()) for r, c in found]
    assert totals == [600.0, 330.0, 204.0, 132.0, 51.0, 15.0]


def test_k_zero_and_empty_matrices() -> None:
    assert k_best(np.ones((2, 2)), 0) == []
    ((rows, cols),) = k_best(np.ones((0, 3)), 4)
    assert rows.size == cols.size == 0


def test_deterministic_and_inputs_untouched() -> None:
    rng = np.random.default_rng(0)
    weights = rng.integers(0, 3, (6, 5)).astype(float)
    allowed = rng.random((6, 5)) < 0.8
    before = weights.copy(), allowed.copy()
    a = k_best(weights, 7, allowed=allowed)
    b = k_best(weights, 7, allowed=allowed)
    assert [(r.tolist(), c.tolist()) for r, c in a] == [(r.tolist(), c.tolist()) for r, c in b]
    assert all(r.dtype == np.intp and c.dtype == np.intp for r, c in a)
    np.testing.assert_array_equal(weights, before[0])
    np.testing.assert_array_equal(allowed, before[1])


@pytest.mark.parametrize("k", [-1, 2.0, True, "3", None])
def test_k_must_be_a_non_negative_integer(k: object) -> None:
    with pytest.raises(
        InvalidInputError, match="parameter 'k' of k_best: expected a non-negative"
    ):
        k_best(np.ones((2, 2)), k)  # type: ignore[arg-type]


def test_bad_weights_are_named() -> None:
    with pytest.raises(InvalidInputError, match="parameter 'weights' of k_best"):
        k_best([1.0, 2.0], 2)
    with pytest.raises(InvalidInputError, match="parameter 'col_capacity' of k_best"):
        k_best(np.ones((2, 2)), 2, col_capacity=[1, -1])
