"""Fuzz the assignment solvers against brute force on every combination of features.

Each example draws the features together, never one at a time: sides 0-7,
float, integer or tied weights (negative ones too), forbidden pairs, and
capacities 0-3 on neither, one or both sides. The oracle enumerates every
subset of the allowed pairs, so it needs no solver of its own; to keep it
small, an example with capacities above one keeps at most
``MAX_BRUTE_PAIRS`` allowed pairs (the rest are forbidden), which still
reaches every side length.

The ``ci`` profile runs ``FUZZ_EXAMPLES`` examples a property, enough to meet
a defect that shows on 0.5 % of inputs with probability above 99 %; the
``thorough`` profile runs ten times as many.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linprog

import mentormatch as mm
from mentormatch.solvers import hungarian, maxmin
from tests.oracles import Problem, assert_valid_matching, brute_force_subsets

MAX_BRUTE_PAIRS = 14
FUZZ_EXAMPLES = 1000 * (10 if settings().max_examples >= 1000 else 1)


# --------------------------------------------------------------------------- the oracle


def test_oracle_on_a_known_case() -> None:
    # Two rows that may take both columns: all four pairs, total 10.
    weights = np.array([[1.0, 2.0], [3.0, 4.0]])
    caps = np.array([2, 2])
    assert brute_force_subsets(weights, None, caps, caps) == ((4, 10.0), (4, 1.0, 10.0))
    # Unit capacities: the diagonal (5) beats the anti-diagonal (5) on neither
    # count, and the fair choice lifts the worst pair from 1 to 2.
    assert brute_force_subsets(weights, None, None, None) == ((2, 5.0), (2, 2.0, 5.0))
    assert brute_force_subsets(np.zeros((0, 3)), None, None, None) == (
        (0, 0.0),
        (0, math.inf, 0.0),
    )


# --------------------------------------------------------------------------- strategies


@st.composite
def st_fuzz_problem(draw: st.DrawFn) -> Problem:
    """A problem mixing every feature, small enough for :func:`brute_force_subsets`."""
    n, m = draw(st.integers(0, 7)), draw(st.integers(0, 7))
    kind = draw(st.sampled_from(["float", "integer", "tied", "near-tied"]))
    shape = (n, m)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    weights: NDArray[np.float64]
    if kind == "float":
        # 1e300 is past the size at which the solvers rescale (2**900).
        scale = float(draw(st.sampled_from([1.0, 1e-6, 1e6, 1e300])))
        weights = rng.uniform(-1.0, 1.0, shape) * scale
    elif kind == "integer":
        weights = rng.integers(-5, 6, shape).astype(np.float64)
    elif kind == "tied":
        weights = rng.choice([0.0, 0.5, 1.0], shape)
    else:  # differences near the last bits of a large weight
        weights = 1e3 + rng.integers(0, 3, shape).astype(np.float64) * 1e-9
    sides = draw(st.sampled_from(["neither", "rows", "cols", "both"]))
    rcap = rng.integers(0, 4, n) if sides in ("rows", "both") else None
    ccap = rng.integers(0, 4, m) if sides in ("cols", "both") else None
    density = draw(st.sampled_from([1.0, 0.8, 0.4]))
    allowed: NDArray[np.bool_] | None = rng.random(shape) < density
    # Keep the oracle's 2**pairs subsets small: forbid pairs beyond the limit.
    assert allowed is not None
    cells = np.flatnonzero(allowed)
    if cells.size > MAX_BRUTE_PAIRS:
        keep = rng.choice(cells, MAX_BRUTE_PAIRS, replace=False)
        allowed = np.zeros(shape, bool)
        allowed.flat[keep] = True
    if density == 1.0 and allowed.all() and draw(st.booleans()):
        allowed = None
    return weights, allowed, rcap, ccap


# --------------------------------------------------------------------------- properties


def assert_total_close(got: float, expected: float, weights: NDArray[np.float64]) -> None:
    scale = float(np.abs(weights).max(initial=0.0)) * max(1, weights.size)
    assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12 * scale), (got, expected)


@settings(max_examples=FUZZ_EXAMPLES)
@given(st_fuzz_problem())
def test_hungarian_and_maxmin_match_brute_force(problem: Problem) -> None:
    weights, allowed, rcap, ccap = problem
    (size, total), (fair_size, fair_low, fair_total) = brute_force_subsets(*problem)

    rows, cols = hungarian(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    assert_valid_matching(rows, cols, weights.shape, allowed, rcap, ccap)
    assert rows.size == size
    assert_total_close(math.fsum(weights[rows, cols]), total, weights)

    rows, cols = maxmin(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    assert_valid_matching(rows, cols, weights.shape, allowed, rcap, ccap)
    assert rows.size == fair_size
    assert float(weights[rows, cols].min(initial=math.inf)) == fair_low
    assert_total_close(math.fsum(weights[rows, cols]), fair_total, weights)


@settings(max_examples=FUZZ_EXAMPLES // 4)
@given(st_fuzz_problem())
def test_same_input_same_output_and_inputs_untouched(problem: Problem) -> None:
    copies = [None if a is None else a.copy() for a in problem]
    weights, allowed, rcap, ccap = problem
    for solver in (hungarian, maxmin):
        first = solver(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
        again = solver(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
        assert np.array_equal(first[0], again[0])
        assert np.array_equal(first[1], again[1])
    for before, after in zip(copies, problem, strict=True):
        if before is None or after is None:
            assert before is after
        else:
            assert np.array_equal(before, after)


# --------------------------------------------------------------------------- regressions

# Instances on which the earlier two-sided route (Tutte's reduction handed to
# scipy's LAPJVsp) never returned. Under the test time limit a hang fails.
HANG_2X2 = (
    np.array([[0.8078991185285738, 0.3554208695846537], [0.2055380863240449, 0.9443797240015869]]),
    None,
    np.array([3, 1]),
    np.array([2, 1]),
)
HANG_2X3 = (
    np.array(
        [
            [0.5943575729103163, 0.6023895707867226, 0.3980889501941004],
            [0.5206218400047973, 0.4180651635645544, 0.29347004177205066],
        ]
    ),
    np.array([[1, 1, 1], [1, 1, 0]], bool),
    np.array([1, 2]),
    np.array([3, 1, 1]),
)


@pytest.mark.parametrize("problem", [HANG_2X2, HANG_2X3], ids=["2x2", "2x3"])
@pytest.mark.parametrize("solver", [hungarian, maxmin])
def test_instances_that_used_to_hang(problem: Problem, solver: object) -> None:
    weights, allowed, rcap, ccap = problem
    (size, total), (_, low, fair_total) = brute_force_subsets(*problem)
    rows, cols = solver(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)  # type: ignore[operator]
    assert_valid_matching(rows, cols, weights.shape, allowed, rcap, ccap)
    assert rows.size == size
    expected = total if solver is hungarian else fair_total
    assert_total_close(float(weights[rows, cols].sum()), expected, weights)
    if solver is maxmin:
        assert float(weights[rows, cols].min()) == low


def test_the_2x2_hang_has_the_brute_force_pairs() -> None:
    weights, _, rcap, ccap = HANG_2X2
    rows, cols = hungarian(weights, row_capacity=rcap, col_capacity=ccap)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 0)]
    assert math.isclose(float(weights[rows, cols].sum()), 1.3688580744372723)


def linear_program_optimum(
    weights: NDArray[np.floating[Any]],
    allowed: NDArray[np.bool_],
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
) -> tuple[int, float]:
    """``(size, total)`` of the lexicographic optimum, by HiGHS on the b-matching LP.

    The constraint matrix is totally unimodular, so the vertex is integral; a
    bonus of ``1 + the weight range times the pairs`` per pair puts size first.
    """
    rows, cols = np.nonzero(allowed)
    e = rows.size
    values = weights[rows, cols]
    bonus = 1.0 + float(np.ptp(values)) * e
    incidence = np.vstack(
        [
            np.arange(weights.shape[0])[:, None] == rows,
            np.arange(weights.shape[1])[:, None] == cols,
        ]
    ).astype(float)
    result = linprog(
        -(values + bonus),
        A_ub=incidence,
        b_ub=np.concatenate([rcap, ccap]),
        bounds=(0, 1),
        method="highs",
    )
    assert result.x is not None, result.message
    chosen = np.asarray(result.x) > 0.5
    return int(np.count_nonzero(chosen)), float(values[chosen].sum())


@pytest.mark.parametrize("method", ["hungarian", "maxmin", "stable"])
def test_two_sided_capacities_through_the_domain_layer(method: str) -> None:
    # The cohort that froze `mentormatch match --method maxmin`; an independent
    # linear program says how many pairs and what total are possible.
    cohort = mm.make_cohort(8, 8, rng=7, student_capacity=(1, 3), manager_capacity=(1, 3))
    scores = mm.Scorer().score(cohort)
    pairing = mm.match(scores, method=method)
    size, total = linear_program_optimum(
        scores.total, scores.allowed, cohort.student_capacity, cohort.manager_capacity
    )
    assert len(pairing.pairs) <= size
    if method != "stable":
        assert len(pairing.pairs) == size
    if method == "hungarian":
        assert math.isclose(float(pairing.pairs["score"].sum()), total, rel_tol=1e-7)


def test_weights_near_the_float_limit_keep_every_pair() -> None:
    # Unscaled, the cost 1.6e308 - (-1.6e308) overflows to inf and the flow
    # route silently took a missing pair for a forbidden one: 5 pairs, not 6.
    weights = np.array(
        [
            [0.0, -1.0e308, -1.0e308],
            [-1.6e308, -1.6e308, -1.6e308],
            [-1.6e308, 1.6e308, 1.0e308],
            [1.6e308, 0.0, 1.0e308],
        ]
    )
    allowed = np.array(
        [[True, False, True], [True, True, False], [True, True, True], [True, True, True]]
    )
    rcap, ccap = np.array([3, 3, 2, 2]), np.array([2, 3, 1])
    scale = 2.0**-100  # the oracle's sums must not overflow either
    (size, total), _ = brute_force_subsets(weights * scale, allowed, rcap, ccap)
    for solver in (hungarian, maxmin):
        rows, cols = solver(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
        assert_valid_matching(rows, cols, weights.shape, allowed, rcap, ccap)
        assert rows.size == size == 6
    rows, cols = hungarian(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    assert math.isclose(math.fsum(weights[rows, cols] * scale), total)
