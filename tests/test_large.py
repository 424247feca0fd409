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
from mentormatch import large as large_module
from mentormatch import pricing
from mentormatch.exceptions import InfeasibleError, InvalidInputError
from mentormatch.pricing import TOLERANCE, row_ranges
from mentormatch.solvers.sparse import sorted_contains
from tests.strategies import fuzz_examples
from tests.test_bipartite import networkx_size


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


@st.composite
def st_block_problem(draw: st.DrawFn) -> tuple[Any, int, int, int]:
    """A reader of a cohort's open scores (some people full), a candidate count, and the
    pairs per piece and per block to read them by."""
    n_s, n_m = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    cohort = mm.make_cohort(
        n_s, n_m, rng=draw(st.integers(0, 2**16)), avoid_rate=draw(st.sampled_from([0, 0.3]))
    )
    scorer = mm.Scorer(min_score=draw(st.sampled_from([None, 0.4])))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    read = large_module._Reader(
        mm.BlockScorer(scorer, cohort),
        np.zeros(0, dtype=np.intp),
        np.zeros(0, dtype=np.intp),
        rng.random(n_s) < 0.9,
        rng.random(n_m) < 0.9,
    )
    pairs = n_s * n_m
    return read, draw(st.integers(1, 5)), draw(st.integers(1, pairs)), draw(st.integers(1, pairs))


def _top(values: np.ndarray, k: int) -> np.ndarray:
    finite = np.sort(values[np.isfinite(values)])[::-1]
    return finite[:k]


def assert_best(picked: np.ndarray, values: np.ndarray, k: int, spread: float) -> None:
    """``picked`` are the ``k`` best of ``values``, but for values closer than the tie
    nudge of the candidate pass (2**-24 of the spread), which it may swap."""
    best = _top(values, k)
    assert len(picked) == len(best)
    assert np.allclose(np.sort(picked)[::-1], best, rtol=0, atol=spread * 2**-23)


@settings(max_examples=fuzz_examples(150), deadline=None)
@given(st_block_problem())
def test_the_candidate_pass_keeps_each_rows_and_each_columns_best(problem: Any) -> None:
    # However the rows are cut into blocks and pieces, every row keeps its k best open scores
    # and every column its k best (which ones among ties is free).
    read, k, piece, block = problem
    total, allowed = read(0, len(read.row_open))
    values = np.where(allowed, total, -np.inf)
    n, m = values.shape
    by_column = large_module._ColumnBest(m, k)
    rows, cols, weights = [], [], []
    for start, stop in row_ranges(n, m, block):
        r, c, w, _lo, _hi, columns = large_module._candidate_task(
            read, start, stop, k, piece, by_column.floor
        )
        rows.append(r)
        cols.append(c)
        weights.append(w)
        by_column.merge(columns)
    r, c, w = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
    assert np.array_equal(values[r, c], w)
    finite = values[np.isfinite(values)]
    spread = float(np.ptp(finite)) if finite.size else 0.0
    for i in range(n):
        assert_best(w[r == i], values[i], k, spread)
    r, c, w = by_column.best()
    assert np.array_equal(values[r, c], w)
    assert len(set(zip(r.tolist(), c.tolist(), strict=True))) == len(r)
    for j in range(m):
        assert_best(w[c == j], values[:, j], k, spread)


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(st_block_problem(), st.integers(0, 2**16))
def test_a_pricing_pass_does_not_depend_on_the_pieces(problem: Any, seed: int) -> None:
    read, k, piece, _block = problem
    n, m = len(read.row_open), len(read.col_open)
    rng = np.random.default_rng(seed)
    dual = pricing._Dual(
        rng.random(n), rng.random(m), 0.3, rng.random(n) < 0.5, rng.random(m) < 0.5
    )
    chosen = np.arange(min(n, m))
    # Some pairs known already (candidates): never added, but still counted as breakers.
    known = np.flatnonzero(rng.random(n * m) < 0.3).astype(np.int64)
    whole = pricing.price_block(read, 0, n, dual, chosen, chosen, 1e-9, k, piece=n * m)
    cut = pricing.price_block(read, 0, n, dual, chosen, chosen, 1e-9, k, piece=piece)
    fresh = pricing.price_block(read, 0, n, dual, chosen, chosen, 1e-9, k, piece, known)
    assert whole[3:] == cut[3:] == fresh[3:]  # worst, shortfall, broken, priced
    total, _allowed = read(0, n)
    for found in (whole, cut, fresh):
        r, c, w = found[:3]
        assert np.bincount(r, minlength=n).max(initial=0) <= k
        assert np.array_equal(total[r, c], w)
    assert sorted(zip(whole[0].tolist(), whole[1].tolist(), strict=True)) == sorted(
        zip(cut[0].tolist(), cut[1].tolist(), strict=True)
    )
    r, c = fresh[:2]
    assert not np.isin(r.astype(np.int64) * m + c, known).any()
    # Without the known pairs in the way, a row adds at least as many new pairs.
    new = ~np.isin(whole[0].astype(np.int64) * m + whole[1], known)
    assert (np.bincount(r, minlength=n) >= np.bincount(whole[0][new], minlength=n)).all()


def test_match_large_with_many_blocks_equals_the_dense_optimum() -> None:
    # 1 MiB blocks: about 21,000 pairs each, so 300 x 280 is read in 4 blocks.
    cohort = mm.make_cohort(300, 280, rng=11, manager_capacity=(1, 2))
    large = mm.match_large(cohort, candidates=2, memory_limit=2**20)
    assert_same_optimum(large, mm.match(mm.Scorer().score(cohort)))
    assert large.certificate is not None
    assert large.certificate.holds


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(st_block_problem())
def test_room_for_most_pairs_reaches_thenetworkx_size(problem: Any) -> None:
    # From each student's single best open pair (everyone's best is the same few managers on
    # correlated scores), the candidates come to hold as many pairs as all the open pairs do
    # when every open pair is allowed. Forbidden pairs can need augmenting paths through
    # pairs no one's best lists; then it adds only allowed pairs, and pricing adds the rest.
    read, k, _piece, _block = problem
    total, allowed = read(0, len(read.row_open))
    n, m = total.shape
    values = np.where(allowed, total, -np.inf)
    rows = np.flatnonzero(np.isfinite(values).any(axis=1))
    cols = values[rows].argmax(axis=1)
    ones = np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64)
    r, c, w = large_module._room_for_most_pairs(
        read, n, m, rows, cols, values[rows, cols], *ones, k
    )
    assert allowed[r, c].all()
    assert np.array_equal(w, total[r, c])
    assert len(np.unique(r.astype(np.int64) * m + c)) == len(r)  # no pair twice
    assert np.array_equal(r[: len(rows)], rows)  # the candidates given are kept
    most = networkx_size(n, m, r, c)
    assert most >= networkx_size(n, m, rows, cols)
    if np.array_equal(allowed, np.outer(read.row_open, read.col_open)):
        assert most == networkx_size(n, m, *np.nonzero(allowed))


def test_room_for_most_pairs_when_everyone_wants_the_same_few() -> None:
    # 300 students whose single best managers are a few dozen (diversity alone): the best
    # open managers of the short students are the same few for all, so best pairs alone
    # add a few pairs a round; the spread pairs make room for everyone in a round or two.
    n = 300
    cohort = mm.make_cohort(n, n, rng=3, avoid_rate=0.0)
    everyone = np.ones(n, dtype=bool)
    read = large_module._Reader(
        mm.BlockScorer(mm.Scorer(weights={"diversity": 1}), cohort),
        *(np.zeros(0, dtype=np.intp),) * 2,
        everyone,
        everyone,
    )
    total, allowed = read(0, n)
    assert allowed.all()
    rows = np.arange(n)
    cols = total.argmax(axis=1)
    assert len(np.unique(cols)) < n // 4
    ones = np.ones(n, dtype=np.int64)
    r, c, _w = large_module._room_for_most_pairs(
        read, n, n, rows, cols, total[rows, cols], ones, ones, 1
    )
    assert networkx_size(n, n, r, c) == n


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(
    st.lists(st.integers(0, 50), max_size=30, unique=True),
    st.lists(st.integers(-5, 55), max_size=30),
)
def test_sorted_contains_is_isin(keys: list[int], values: list[int]) -> None:
    sorted_keys = np.array(sorted(keys), dtype=np.int64)
    found = sorted_contains(sorted_keys, np.array(values, dtype=np.int64))
    assert found.tolist() == np.isin(values, keys).tolist()
