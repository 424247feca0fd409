"""Tests of the assignment solvers: hungarian and maxmin.

The oracle is brute force: every b-matching of a small instance is enumerated,
and the solvers' objectives (size first, then total; or size, then worst
pair, then total) are compared with the best found. Objectives are compared
rather than pairs, since ties allow several optima.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import hungarian, maxmin
from mentormatch.solvers._flow import b_matching
from tests.oracles import Problem, assert_close, assert_valid_matching, brute_force, objective
from tests.strategies import st_assignment_problem

Solver = Callable[..., tuple[NDArray[np.intp], NDArray[np.intp]]]


# --------------------------------------------------------------------------- helpers


def call(solver: Solver, problem: Problem) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    weights, allowed, row_capacity, col_capacity = problem
    return solver(weights, allowed=allowed, row_capacity=row_capacity, col_capacity=col_capacity)


def check_against_brute_force(problem: Problem) -> None:
    weights = problem[0]
    (size, total), (fair_size, fair_min, fair_total) = brute_force(*problem)

    rows, cols = call(hungarian, problem)
    assert_valid_matching(rows, cols, weights.shape, *problem[1:])
    got_size, got_total, _ = objective(weights, rows, cols)
    assert got_size == size
    assert_close(got_total, total, weights)

    rows, cols = call(maxmin, problem)
    assert_valid_matching(rows, cols, weights.shape, *problem[1:])
    got_size, got_total, got_min = objective(weights, rows, cols)
    assert got_size == fair_size
    assert got_min == fair_min
    assert_close(got_total, fair_total, weights)


# --------------------------------------------------------------------------- the oracle


def test_brute_force_itself() -> None:
    # The oracle must know that one pair may not be used twice.
    weights = np.array([[10.0, 0.0], [0.0, 0.0]])
    caps = np.array([2, 2])
    assert brute_force(weights, None, caps, caps) == ((4, 10.0), (4, 0.0, 10.0))
    assert brute_force(np.zeros((0, 3))) == ((0, 0.0), (0, math.inf, 0.0))


@given(st_assignment_problem(max_side=7))
def test_unit_capacities_agree_with_brute_force(problem: Problem) -> None:
    check_against_brute_force(problem)


@given(st_assignment_problem(max_side=4, capacities=True))
def test_capacities_agree_with_brute_force(problem: Problem) -> None:
    check_against_brute_force(problem)


@given(st_assignment_problem(max_side=5))
def test_size_first_is_invariant_to_a_shift(problem: Problem) -> None:
    # The size is fixed before the total, so adding a constant to every
    # weight changes nothing, up to the precision the offset leaves: weights
    # closer than one spacing of the shifted values become ties.
    weights, allowed, _, _ = problem
    (size, total), _ = brute_force(weights, allowed)
    offset = 1e9
    rows, cols = hungarian(weights + offset, allowed=allowed)
    assert rows.size == size
    resolution = 2 * size * float(np.spacing(offset + np.abs(weights).max()))
    assert float(weights[rows, cols].sum()) >= total - resolution - 1e-9 * (1.0 + abs(total))


# --------------------------------------------------------------------------- every route


@given(st_assignment_problem(max_side=12, capacities=True))
def test_result_is_a_valid_deterministic_matching(problem: Problem) -> None:
    for solver in (hungarian, maxmin):
        rows, cols = call(solver, problem)
        assert_valid_matching(rows, cols, problem[0].shape, *problem[1:])
        again = call(solver, problem)
        np.testing.assert_array_equal(again[0], rows)
        np.testing.assert_array_equal(again[1], cols)


@given(st_assignment_problem(max_side=8, capacities=True))
def test_maxmin_trades_total_for_the_worst_pair(problem: Problem) -> None:
    weights = problem[0]
    best = objective(weights, *call(hungarian, problem))
    fair = objective(weights, *call(maxmin, problem))
    assert fair[0] == best[0]
    assert fair[2] >= best[2]
    assert fair[1] <= best[1] + 1e-9 * (1.0 + float(np.abs(weights).sum()))


@given(st_assignment_problem(max_side=8))
def test_flow_route_agrees_with_scipy_route(problem: Problem) -> None:
    # The flow route normally serves capacities on both sides; on unit
    # capacities it must reach the same optimum as linear_sum_assignment.
    weights, allowed, _, _ = problem
    n, m = weights.shape
    ok = np.ones((n, m), bool) if allowed is None else allowed
    split_rows, split_cols = b_matching(weights, ok, np.ones(n, np.int64), np.ones(m, np.int64))
    size, total, _ = objective(weights, *hungarian(weights, allowed=allowed))
    assert split_rows.size == size
    assert_close(float(weights[split_rows, split_cols].sum()), total, weights)


@pytest.mark.parametrize("shape", [(1, 1), (6, 6), (25, 25), (13, 40), (40, 13), (120, 120)])
def test_dense_random_agrees_with_scipy(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    weights = rng.normal(size=shape)
    rows, cols = hungarian(weights)
    expected_rows, expected_cols = linear_sum_assignment(weights, maximize=True)
    assert math.isclose(
        weights[rows, cols].sum(), weights[expected_rows, expected_cols].sum(), rel_tol=1e-12
    )


@pytest.mark.parametrize("shape", [(30, 30), (20, 45), (45, 20)])
def test_forbidden_pairs_agree_with_scipy_infinite_costs(shape: tuple[int, int]) -> None:
    # scipy takes forbidden pairs as infinite costs when the smaller side can
    # be paired completely: minimise the negated weights there.
    rng = np.random.default_rng(shape[0] * shape[1])
    weights = rng.uniform(-5, 5, size=shape)
    allowed = rng.random(shape) > 0.3
    expected_rows, expected_cols = linear_sum_assignment(np.where(allowed, -weights, np.inf))
    expected = weights[expected_rows, expected_cols].sum()
    rows, cols = hungarian(weights, allowed=allowed)
    assert_valid_matching(rows, cols, shape, allowed)
    assert rows.size == min(shape)
    assert math.isclose(weights[rows, cols].sum(), expected, rel_tol=1e-12)
    split_rows, split_cols = b_matching(
        weights, allowed, np.ones(shape[0], np.int64), np.ones(shape[1], np.int64)
    )
    assert split_rows.size == min(shape)
    assert math.isclose(weights[split_rows, split_cols].sum(), expected, rel_tol=1e-12)


def linear_program_total(
    weights: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
    size: int,
) -> float | None:
    """Best total of a b-matching of the given size by HiGHS, an independent
    solver; ``None`` if there is no b-matching of that size."""
    n, m = weights.shape
    ei, ej = np.nonzero(allowed)
    edge = np.arange(ei.size)
    incidence = np.zeros((n + m + 1, ei.size))
    incidence[ei, edge] = 1
    incidence[n + ej, edge] = 1
    incidence[-1] = 1
    upper = np.concatenate([row_capacity, col_capacity, [size]])
    lower = np.concatenate([np.zeros(n + m), [size]])
    result = milp(
        -weights[ei, ej],
        constraints=LinearConstraint(incidence, lower, upper),
        integrality=np.ones(ei.size, np.int8),
        bounds=Bounds(0, 1),
    )
    assert result.status in (0, 2), result.message  # optimal or infeasible
    return None if result.fun is None else float(-result.fun)


@pytest.mark.parametrize("seed", range(4))
def test_capacities_on_both_sides_agree_with_linear_program(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = rng.integers(8, 16, size=2)
    weights = rng.normal(size=(n, m))
    allowed = rng.random((n, m)) > 0.25
    row_capacity = rng.integers(0, 4, size=n)
    col_capacity = rng.integers(1, 4, size=m)
    rows, cols = hungarian(
        weights, allowed=allowed, row_capacity=row_capacity, col_capacity=col_capacity
    )
    assert_valid_matching(rows, cols, (n, m), allowed, row_capacity, col_capacity)
    expected = linear_program_total(weights, allowed, row_capacity, col_capacity, rows.size)
    assert expected is not None
    assert math.isclose(weights[rows, cols].sum(), expected, abs_tol=1e-6)
    larger = linear_program_total(weights, allowed, row_capacity, col_capacity, rows.size + 1)
    assert larger is None


def test_small_weight_differences_survive_capacities_on_both_sides() -> None:
    # Found by hypothesis against an LP-based version: a 1e-5 gain next to a
    # weight spread of 100 is below HiGHS's tolerance but must still count.
    weights = np.zeros((4, 4))
    weights[1, 0], weights[2, 3] = -100.0, 1e-5
    capacities: dict[str, Any] = {"row_capacity": [0, 2, 2, 2], "col_capacity": 2}
    for solver in (hungarian, maxmin):
        rows, cols = solver(weights, **capacities)
        assert objective(weights, rows, cols)[:2] == (6, 1e-5)


# --------------------------------------------------------------------------- known cases

T, F = True, False
# (weights, allowed, expected total, expected pairs when the optimum is unique)
KNOWN: list[Any] = [
    pytest.param(
        [[4, 1, 3], [2, 0, 5], [3, 2, 2]],
        None,
        11.0,
        [(0, 0), (1, 2), (2, 1)],
        id="scipy-docstring-matrix-maximised",
    ),
    pytest.param(
        [[0.9, 0.4, 0.1], [0.8, 0.2, 0.7]],
        None,
        1.6,
        [(0, 0), (1, 2)],
        id="hungarian-docstring",
    ),
    pytest.param(
        [[10, 1], [1, 0]],
        [[T, T], [T, F]],
        2.0,
        [(0, 1), (1, 0)],
        id="size-before-total",
    ),
    pytest.param(
        [[-1, -2], [-3, -10]],
        None,
        -5.0,
        [(0, 1), (1, 0)],
        id="negative-weights-still-paired",
    ),
    pytest.param([[1], [3], [2]], None, 3.0, [(1, 0)], id="one-column"),
    pytest.param(np.eye(4) * 2 + 1, None, 12.0, [(i, i) for i in range(4)], id="diagonal"),
    pytest.param(np.ones((3, 3)), None, 3.0, None, id="all-tied"),
    pytest.param(
        [[5, 9, 1], [4, 8, 2], [7, 3, 6]],
        [[T, F, T], [T, T, F], [F, T, T]],
        19.0,
        [(0, 0), (1, 1), (2, 2)],
        id="forbidden-on-a-cycle",
    ),
    pytest.param(
        [[9, 9, 9], [9, 1, 2], [9, 3, 4]],
        [[T, T, T], [T, F, F], [T, F, F]],
        18.0,
        None,
        id="two-rows-share-one-column",
    ),
]
WAYS = ["as-given", "transposed", "permuted", "split-pairs"]


def solve_way(
    way: str, weights: NDArray[np.float64], allowed: NDArray[np.bool_] | None
) -> set[tuple[int, int]]:
    """Solve one way and return the pairs in the original indices."""
    n, m = weights.shape
    if way == "as-given":
        rows, cols = hungarian(weights, allowed=allowed)
    elif way == "transposed":
        cols, rows = hungarian(weights.T, allowed=None if allowed is None else allowed.T)
    elif way == "permuted":
        rng = np.random.default_rng(7)
        pr, pc = rng.permutation(n), rng.permutation(m)
        sub = np.ix_(pr, pc)
        rows, cols = hungarian(weights[sub], allowed=None if allowed is None else allowed[sub])
        rows, cols = pr[rows], pc[cols]
    else:
        ok = np.ones((n, m), bool) if allowed is None else allowed
        rows, cols = b_matching(weights, ok, np.ones(n, np.int64), np.ones(m, np.int64))
    return set(zip(rows.tolist(), cols.tolist(), strict=True))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("matrix", "mask", "expected", "pairs"), KNOWN)
def test_known_cases(
    matrix: Any, mask: Any, expected: float, pairs: list[tuple[int, int]] | None, way: str
) -> None:
    weights = np.asarray(matrix, dtype=np.float64)
    allowed = None if mask is None else np.asarray(mask)
    found = solve_way(way, weights, allowed)
    assert math.isclose(sum(weights[i, j] for i, j in found), expected, abs_tol=1e-9)
    if pairs is not None:
        assert found == set(pairs)


@pytest.mark.parametrize(("matrix", "mask", "expected", "pairs"), KNOWN)
def test_known_cases_negated_and_minimised_by_scipy(
    matrix: Any, mask: Any, expected: float, pairs: list[tuple[int, int]] | None
) -> None:
    # An independent solver on the negated problem, with infinite costs for
    # the forbidden pairs.
    weights = np.asarray(matrix, dtype=np.float64)
    allowed = None if mask is None else np.asarray(mask)
    (size, _), _ = brute_force(weights, allowed)
    if size < min(weights.shape):
        pytest.skip("scipy needs the smaller side paired completely")
    cost = -weights if mask is None else np.where(np.asarray(mask), -weights, np.inf)
    rows, cols = linear_sum_assignment(cost)
    assert math.isclose(cost[rows, cols].sum(), -expected, abs_tol=1e-9)


# (weights, row capacity, col capacity, expected pairs)
KNOWN_CAPACITIES: list[Any] = [
    pytest.param([[10, 0], [0, 0]], 2, 2, [(0, 0), (0, 1), (1, 0), (1, 1)], id="no-pair-twice"),
    pytest.param([[3, 1, 2]], 2, None, [(0, 0), (0, 2)], id="one-row-two-columns"),
    pytest.param([[3], [1], [2]], None, 2, [(0, 0), (2, 0)], id="one-column-two-rows"),
    pytest.param(
        [[0.9, 0.4, 0.1], [0.8, 0.2, 0.7]],
        [2, 1],
        None,
        [(0, 0), (0, 1), (1, 2)],
        id="hungarian-docstring",
    ),
    pytest.param(
        [[5, 1, 1], [1, 5, 1], [1, 1, 5]],
        [2, 2, 0],
        [0, 2, 2],
        [(0, 1), (0, 2), (1, 1), (1, 2)],
        id="zero-capacities",
    ),
    pytest.param(
        [[4, 3, 0], [3, 0, 1], [0, 1, 2]],
        2,
        2,
        [(0, 0), (0, 1), (1, 0), (1, 2), (2, 1), (2, 2)],
        id="two-per-row-and-column",
    ),
]


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize(("matrix", "row_capacity", "col_capacity", "pairs"), KNOWN_CAPACITIES)
def test_known_capacity_cases(
    matrix: Any,
    row_capacity: Any,
    col_capacity: Any,
    pairs: list[tuple[int, int]],
    transposed: bool,
) -> None:
    weights = np.asarray(matrix, dtype=np.float64)
    if transposed:
        cols, rows = hungarian(weights.T, row_capacity=col_capacity, col_capacity=row_capacity)
    else:
        rows, cols = hungarian(weights, row_capacity=row_capacity, col_capacity=col_capacity)
    assert set(zip(rows.tolist(), cols.tolist(), strict=True)) == set(pairs)


def test_maxmin_known_case() -> None:
    weights = np.array([[1.0, 0.4], [0.5, 0.1]])
    rows, cols = maxmin(weights)
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [1, 0])
    rows, cols = maxmin(weights.T)
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [1, 0])


def test_maxmin_then_best_total() -> None:
    # The best total (22) has worst pair 2; two matchings have worst pair 3,
    # with totals 16 and 17: the larger one wins.
    weights = np.array([[1.0, 10.0, 3.0], [10.0, 1.0, 3.0], [4.0, 3.0, 2.0]])
    assert objective(weights, *hungarian(weights)) == (3, 22.0, 2.0)
    rows, cols = maxmin(weights)
    assert (rows.tolist(), cols.tolist()) == ([0, 1, 2], [1, 2, 0])


# --------------------------------------------------------------------------- empty results


@pytest.mark.parametrize("solver", [hungarian, maxmin])
@pytest.mark.parametrize(
    ("weights", "kwargs"),
    [
        pytest.param(np.ones((3, 2)), {"allowed": np.zeros((3, 2), bool)}, id="all-forbidden"),
        pytest.param(np.ones((3, 2)), {"row_capacity": 0}, id="zero-row-capacity"),
        pytest.param(np.ones((3, 2)), {"col_capacity": [0, 0]}, id="zero-col-capacity"),
        pytest.param(
            np.ones((2, 2)),
            {
                "allowed": np.array([[T, F], [F, T]]),
                "row_capacity": [0, 2],
                "col_capacity": [2, 0],
            },
            id="capacity-only-where-forbidden",
        ),
        pytest.param(np.ones((0, 3)), {}, id="no-rows"),
        pytest.param(np.ones((3, 0)), {}, id="no-columns"),
        pytest.param(np.ones((0, 0)), {}, id="empty"),
        pytest.param([[]], {"row_capacity": 2}, id="nested-empty-list"),
    ],
)
def test_empty_results(solver: Solver, weights: Any, kwargs: dict[str, Any]) -> None:
    rows, cols = solver(weights, **kwargs)
    assert rows.shape == cols.shape == (0,)
    assert rows.dtype == cols.dtype == np.intp


# --------------------------------------------------------------------------- input errors

GOOD = np.ones((2, 3))


@pytest.mark.parametrize("solver", [hungarian, maxmin])
@pytest.mark.parametrize(
    ("weights", "kwargs", "message"),
    [
        pytest.param([1.0, 2.0], {}, r"'weights' of {}: expected a matrix \(2-D", id="1-D"),
        pytest.param([[1.0, np.nan]], {}, r"'weights' of {}: expected finite.*nan", id="nan"),
        pytest.param([[np.inf, 1.0]], {}, r"'weights' of {}: expected finite.*inf", id="inf"),
        pytest.param(
            [["a", "b"]], {}, r"'weights' of {}: expected a matrix of real num", id="text"
        ),
        pytest.param(
            GOOD,
            {"allowed": np.ones((2, 3))},
            r"'allowed' of {}: expected a boolean",
            id="mask-dtype",
        ),
        pytest.param(
            GOOD,
            {"allowed": np.ones((3, 2), bool)},
            r"'allowed' of {}: expected shape \(2, 3\)",
            id="mask-shape",
        ),
        pytest.param(
            GOOD, {"row_capacity": [1, -1]}, r"'row_capacity' of {}: .*non-negative", id="negative"
        ),
        pytest.param(
            GOOD, {"col_capacity": 1.5}, r"'col_capacity' of {}: .*non-negative", id="fractional"
        ),
        pytest.param(
            GOOD, {"row_capacity": [1, 1, 1]}, r"'row_capacity' of {}: .*\(2,\)", id="length"
        ),
    ],
)
def test_input_errors_name_the_parameter(
    solver: Solver, weights: Any, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message.format(solver.__name__)):
        solver(weights, **kwargs)


@pytest.mark.parametrize(
    ("weights", "got"),
    [
        ([[1 + 2j]], "an array of dtype complex128"),
        ([[True, False]], "an array of dtype bool"),
        ([["a"]], "an array of dtype <U1"),
        ([[1.0, 2.0], [3.0]], "a list"),
    ],
)
def test_weights_must_be_real_numbers(weights: object, got: str) -> None:
    for solver in (hungarian, maxmin):
        with pytest.raises(
            InvalidInputError,
            match=rf"parameter 'weights' of {solver.__name__}: expected a matrix of real numbers, got {re.escape(got)}",
        ):
            solver(weights)  # type: ignore[arg-type]
