"""The sparse solver against brute force, and its dual values as a proof.

:func:`sparse_assignment` must give what :func:`hungarian` promises (most
pairs, then the largest total) from a list of candidate pairs, and dual
values and a cover that prove it on every allowed pair, so that
``match_large`` can price pairs it never gave the solver. The draw mixes
every feature at once (as in ``test_assignment_fuzz``), except capacities
above one on both sides, which the solver refuses.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import _rounds, dual_violations, hungarian, sparse_assignment
from mentormatch.solvers.sparse import solve_checked
from tests.oracles import Problem, assert_valid_matching, brute_force_subsets
from tests.test_assignment_fuzz import FUZZ_EXAMPLES, st_fuzz_problem


def one_sided(problem: Problem) -> bool:
    _, _, rcap, ccap = problem
    return not (rcap is not None and ccap is not None and (rcap > 1).any() and (ccap > 1).any())


def edges(problem: Problem) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    weights, allowed, _, _ = problem
    er, ec = np.nonzero(np.ones(weights.shape, bool) if allowed is None else allowed)
    return er, ec


def check_proof(problem: Problem, rows: NDArray[np.intp], cols: NDArray[np.intp], result) -> None:  # type: ignore[no-untyped-def]
    """The dual values bound every allowed pair, hold on the chosen ones, and the cover covers."""
    weights, allowed, rcap, ccap = problem
    n, m = weights.shape
    ok = np.ones((n, m), bool) if allowed is None else allowed
    chosen = np.zeros((n, m), bool)
    chosen[rows, cols] = True
    # The solver's scale: the spread of the weights, or their size when they are all equal.
    values = weights[ok]
    spread = float(np.ptp(values)) if values.size else 0.0
    tol = 1e-9 * (spread if spread > 0 else max(float(np.abs(values).max(initial=0.0)), 1.0))
    # The check adds numbers of the size of the weights and the offset: their rounding counts.
    size = float(np.abs(values).max(initial=0.0)) + abs(result.offset)
    tol += 64 * np.finfo(np.float64).eps * size
    live_r = np.isfinite(result.row_dual)
    live_c = np.isfinite(result.col_dual)
    block = np.ix_(live_r, live_c)
    worst, above = dual_violations(
        weights[block],
        ok[block],
        result.row_dual[live_r],
        result.col_dual[live_c],
        result.offset,
        chosen[block],
        tol=tol,
    )
    assert above == 0
    assert worst <= tol
    assert (result.row_dual >= -tol).all()
    assert (result.col_dual >= -tol).all()
    # A positive dual value only where the capacity is used up.
    r_load = np.bincount(rows, minlength=n)
    c_load = np.bincount(cols, minlength=m)
    r_cap = np.ones(n, int) if rcap is None else rcap
    c_cap = np.ones(m, int) if ccap is None else ccap
    assert np.all((result.row_dual <= tol) | (r_load == r_cap))
    assert np.all((result.col_dual <= tol) | (c_load == c_cap))
    # Every allowed pair between participants with capacity is covered.
    live = ok & (r_cap[:, None] > 0) & (c_cap[None, :] > 0)
    assert np.all(~live | result.row_cover[:, None] | result.col_cover[None, :])


@settings(max_examples=FUZZ_EXAMPLES)
@given(st_fuzz_problem().filter(one_sided))
def test_matches_brute_force_with_a_proof(problem: Problem) -> None:
    weights, allowed, rcap, ccap = problem
    (size, total), _ = brute_force_subsets(*problem)
    er, ec = edges(problem)
    result = sparse_assignment(
        weights.shape[0], weights.shape[1], er, ec, weights[er, ec], rcap, ccap
    )
    assert_valid_matching(result.rows, result.cols, weights.shape, allowed, rcap, ccap)
    assert result.rows.size == size
    scale = float(np.abs(weights).max(initial=0.0)) * max(1, weights.size)
    assert math.isclose(
        math.fsum(weights[result.rows, result.cols]), total, rel_tol=1e-9, abs_tol=1e-9 * scale
    )
    check_proof(problem, result.rows, result.cols, result)


@settings(max_examples=FUZZ_EXAMPLES // 4)
@given(st_fuzz_problem().filter(one_sided), st.integers(0, 2**32 - 1))
def test_a_start_from_fewer_candidates_reaches_the_same_optimum(
    problem: Problem, seed: int
) -> None:
    weights, allowed, rcap, ccap = problem
    er, ec = edges(problem)
    keep = np.random.default_rng(seed).random(er.size) < 0.5
    values = weights[er, ec]
    bounds = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    first = sparse_assignment(
        weights.shape[0],
        weights.shape[1],
        er[keep],
        ec[keep],
        weights[er[keep], ec[keep]],
        rcap,
        ccap,
        bounds=bounds,
    )
    again = sparse_assignment(
        weights.shape[0],
        weights.shape[1],
        er,
        ec,
        weights[er, ec],
        rcap,
        ccap,
        bounds=bounds,
        start=first,
    )
    rows, cols = hungarian(weights, allowed=allowed, row_capacity=rcap, col_capacity=ccap)
    assert again.rows.size == rows.size
    scale = float(np.abs(weights).max(initial=0.0)) * max(1, weights.size)
    assert math.isclose(
        math.fsum(weights[again.rows, again.cols]),
        math.fsum(weights[rows, cols]),
        rel_tol=1e-9,
        abs_tol=1e-9 * scale,
    )
    check_proof(problem, again.rows, again.cols, again)


@settings(max_examples=FUZZ_EXAMPLES // 4)
@given(st_fuzz_problem().filter(one_sided), st.integers(0, 2**32 - 1))
def test_pairs_said_to_be_in_order_give_what_a_sort_gives(problem: Problem, seed: int) -> None:
    # The pricing loop hands its re-solves the pairs by (row, col) and says so, which spares
    # the sort; the result must be the one the sort gives, bit for bit, with or without a
    # start (and whatever the capacities, which copy pairs and so ignore the promise).
    weights, _, rcap, ccap = problem
    n, m = weights.shape
    er, ec = edges(problem)  # row-major: in (row, col) order
    values = weights[er, ec]
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    rc = np.ones(n, np.int64) if rcap is None else rcap
    cc = np.ones(m, np.int64) if ccap is None else ccap
    keep = np.random.default_rng(seed).random(er.size) < 0.5
    start = solve_checked(n, m, er[keep], ec[keep], values[keep], rc, cc, low, high)
    for begin in (None, start):
        sorted_ = solve_checked(n, m, er, ec, values, rc, cc, low, high, begin)
        said = solve_checked(n, m, er, ec, values, rc, cc, low, high, begin, arcs_sorted=True)
        assert np.array_equal(said.rows, sorted_.rows)
        assert np.array_equal(said.cols, sorted_.cols)
        assert np.array_equal(said.row_dual, sorted_.row_dual)
        assert np.array_equal(said.col_dual, sorted_.col_dual)
        assert said.offset == sorted_.offset


@settings(max_examples=FUZZ_EXAMPLES // 4)
@given(st_fuzz_problem().filter(one_sided))
def test_same_input_same_output_and_inputs_untouched(problem: Problem) -> None:
    weights, _, rcap, ccap = problem
    er, ec = edges(problem)
    values = weights[er, ec]
    before = [a.copy() for a in (er, ec, values)]
    first = sparse_assignment(weights.shape[0], weights.shape[1], er, ec, values, rcap, ccap)
    again = sparse_assignment(weights.shape[0], weights.shape[1], er, ec, values, rcap, ccap)
    assert np.array_equal(first.rows, again.rows)
    assert np.array_equal(first.cols, again.cols)
    assert np.array_equal(first.row_dual, again.row_dual)
    for a, b in zip(before, (er, ec, values), strict=True):
        assert np.array_equal(a, b)


def test_a_cohort_sized_problem_equals_scipy() -> None:
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(3)
    weights = np.round(rng.random((300, 280)), 2)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    er, ec = np.nonzero(np.ones(weights.shape, bool))
    result = sparse_assignment(300, 280, er, ec, weights.ravel())
    assert result.rows.size == 280
    assert math.isclose(
        weights[result.rows, result.cols].sum(), weights[rows, cols].sum(), rel_tol=1e-12
    )


def test_a_proof_fails_for_a_worse_pairing() -> None:
    weights = np.array([[1.0, 0.2], [0.9, 0.0]])
    er, ec = np.nonzero(np.ones((2, 2), bool))
    result = sparse_assignment(2, 2, er, ec, weights.ravel())
    worse = np.array([[True, False], [False, True]])  # total 1.0 instead of 1.1
    worst, _ = dual_violations(
        weights, np.ones((2, 2), bool), result.row_dual, result.col_dual, result.offset, worse
    )
    assert worst >= 0.1 - 1e-9


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"rows": [0, 0], "cols": [1, 1], "weights": [1.0, 2.0]}, "each pair at most once"),
        ({"rows": [0], "cols": [5], "weights": [1.0]}, "indices in [0, 2)"),
        ({"rows": [0], "cols": [0], "weights": [np.nan]}, "finite numbers"),
        ({"rows": [0], "cols": [0], "weights": [1.0, 2.0]}, "one weight per pair"),
        ({"rows": [0.5], "cols": [0], "weights": [1.0]}, "integer indices"),
        (
            {
                "rows": [0],
                "cols": [0],
                "weights": [1.0],
                "row_capacity": [2, 1],
                "col_capacity": [2, 1],
            },
            "capacities of at most 1",
        ),
        ({"rows": [0], "cols": [0], "weights": [3.0], "bounds": (0.0, 1.0)}, "containing every"),
    ],
)
def test_bad_input_is_named(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match="sparse_assignment") as info:
        sparse_assignment(2, 2, **kwargs)  # type: ignore[arg-type]
    assert fragment in str(info.value)


@st.composite
def st_auction_state(draw: st.DrawFn) -> tuple[Any, ...]:
    """A square auction problem in CSR form (with a perfect matching: every bidder has an arc
    to its own object), tied or float benefits, and a partial assignment to start from."""
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density = draw(st.sampled_from([0.1, 0.5, 1.0]))
    arcs = rng.random((n, n)) < density
    own = rng.permutation(n)
    arcs[np.arange(n), own] = True
    bid, obj = np.nonzero(arcs)
    levels = draw(st.sampled_from([2, 5, 0]))  # 0: floats, else that many tied levels
    benefit = rng.integers(0, levels, len(bid)) / levels if levels else rng.random(len(bid))
    indptr = np.concatenate(([0], np.cumsum(np.bincount(bid, minlength=n)))).astype(np.intp)
    price = np.round(rng.random(n), 2) * draw(st.sampled_from([0.0, 1.0]))
    # Start from some bidders holding their own objects (a warm start's kept pairs).
    mate = np.full(n, -1, dtype=np.intp)
    keep = rng.random(n) < draw(st.sampled_from([0.0, 0.5]))
    eps = draw(st.sampled_from([0.5, 0.1, 0.02]))  # from a cold start: rounds ~ n / eps
    # ... those already within eps of their best, as the auction keeps them.
    value = np.full((n, n), -np.inf)
    value[bid, obj] = -benefit - price[obj]
    held = np.flatnonzero(keep)
    within = value[held, own[held]] >= value[held].max(axis=1) - eps
    mate[held[within]] = own[held[within]]
    return indptr, obj.astype(np.intp), -benefit, price, mate, eps


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st_auction_state())
def test_compiled_rounds_equal_the_numpy_rounds_bit_for_bit(state: tuple[Any, ...]) -> None:
    compiled = _rounds.compiled_rounds()
    if compiled is None:
        pytest.skip("numba is not installed (pip install '.[fast]')")
    indptr, obj, benefit, price, mate, eps = state
    results = []
    for run in (_rounds.numpy_rounds, compiled):
        p, m = price.copy(), mate.copy()
        owner = np.full(len(p), -1, dtype=np.intp)
        owner[m[m >= 0]] = np.flatnonzero(m >= 0)
        bound = 1e6
        rounds = run(indptr, obj, benefit, p, m, owner, np.flatnonzero(m < 0), eps, bound)
        results.append((int(rounds), p, m, owner))
    (r1, p1, m1, o1), (r2, p2, m2, o2) = results
    assert r1 == r2
    assert np.array_equal(p1, p2)  # bit for bit: the same operations in the same order
    assert np.array_equal(m1, m2)
    assert np.array_equal(o1, o2)
    # A full assignment, and each bidder within eps of its best (the auction's guarantee).
    assert (m1 >= 0).all()
    value = benefit - p1[obj]
    best = np.maximum.reduceat(value, indptr[:-1])
    own = np.array(
        [
            value[indptr[b] + np.flatnonzero(obj[indptr[b] : indptr[b + 1]] == m1[b])[0]]
            for b in range(len(m1))
        ]
    )
    assert (own >= best - eps * (1 + 1e-9)).all()
