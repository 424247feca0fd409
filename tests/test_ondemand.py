"""Tests of lazy_deferred_acceptance, dense_candidates and blocking_in_block.

The yardsticks are the dense solver and checker, whose own tests compare them
with brute force: ``gale_shapley`` (the proposer-optimal stable matching is
unique, so the pairs must be identical) and ``blocking_pairs`` (summed over a
random partition of the pairs into blocks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import mentormatch.solvers.ondemand as ondemand_module
from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import (
    blocking_in_block,
    blocking_pairs,
    candidates_from_rows,
    dense_candidates,
    gale_shapley,
    lazy_deferred_acceptance,
    matching_standing,
)
from tests.oracles import Instance
from tests.strategies import fuzz_examples, st_feasible_matching

Answer = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]

# --------------------------------------------------------------------------- instances

UTILITY_KINDS = ("float", "integer", "tied", "equal")


def st_utility(shape: tuple[int, int], kind: str) -> st.SearchStrategy[NDArray[np.float64]]:
    """Utilities of one kind: floats, small integers, two values, or all equal."""
    if kind == "equal":
        return st.floats(-5, 5, allow_nan=False).map(lambda v: np.full(shape, v))
    elements = {
        "float": st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=32),
        "integer": st.integers(-3, 3).map(float),
        "tied": st.sampled_from([0.0, 1.0]),
    }[kind]
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def st_market(draw: st.DrawFn, max_side: int = 8) -> Instance:
    """A two-sided market: sides 0 to ``max_side``, every kind of utility,
    forbidden pairs or none, capacities 0 to 3 on neither, one or both sides."""
    n = draw(st.integers(0, max_side))
    m = draw(st.integers(0, max_side))
    pu = draw(st_utility((n, m), draw(st.sampled_from(UTILITY_KINDS))))
    ru = draw(st_utility((n, m), draw(st.sampled_from(UTILITY_KINDS))))
    allowed = draw(
        st.none()
        | hnp.arrays(np.bool_, (n, m), elements=st.sampled_from([True, True, True, False]))
    )
    sides = draw(st.sampled_from(["neither", "proposers", "receivers", "both"]))

    def caps(size: int) -> st.SearchStrategy[NDArray[np.int64]]:
        return hnp.arrays(np.int64, (size,), elements=st.integers(0, 3))

    pcap = draw(caps(n)) if sides in ("proposers", "both") else None
    rcap = draw(caps(m)) if sides in ("receivers", "both") else None
    return pu, ru, allowed, pcap, rcap


def random_market(seed: int, n: int, m: int) -> Instance:
    """A larger market of a kind chosen by the seed."""
    rng = np.random.default_rng(seed)
    kind = UTILITY_KINDS[seed % 4]

    def utility() -> NDArray[np.float64]:
        if kind == "float":
            return rng.random((n, m))
        if kind == "integer":
            return rng.integers(0, 10, (n, m)).astype(float)
        if kind == "tied":
            return rng.integers(0, 2, (n, m)).astype(float)
        return np.zeros((n, m))

    allowed = rng.random((n, m)) < 0.8 if seed % 3 else None
    pcap = rng.integers(0, 4, n) if seed % 5 in (1, 3) else None
    rcap = rng.integers(0, 4, m) if seed % 5 in (2, 3) else None
    return utility(), utility(), allowed, pcap, rcap


def dense(inst: Instance) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    pu, ru, allowed, pcap, rcap = inst
    return gale_shapley(pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap)


def lazy(
    inst: Instance,
    batch: int = 32,
    *,
    grow: bool = True,
    screen: bool = False,
    block_size: int | None = None,
    wrap: Callable[[Any], Any] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The lazy solver on a market, its lists read off the dense arrays (by
    ``dense_candidates``, or with ``block_size`` by ``candidates_from_rows``
    over float32 copies where they are exact, a few entries at a time)."""
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    if block_size is None:
        ask = dense_candidates(pu, ru, allowed)
    else:
        narrow = [
            u.astype(np.float32) if (u.astype(np.float32) == u).all() else u for u in (pu, ru)
        ]

        def read_rows(index: NDArray[np.intp]) -> Any:
            return narrow[0][index], narrow[1][index], None if allowed is None else allowed[index]

        ask = candidates_from_rows(read_rows, m, block_size=block_size)
    if wrap is not None:
        ask = wrap(ask)
    if grow:
        return lazy_deferred_acceptance(n, m, ask, pcap, rcap, batch=batch, screen=screen)
    return ondemand_module._lazy(
        n,
        m,
        ask,
        np.ones(n, np.int64) if pcap is None else pcap,
        np.ones(m, np.int64) if rcap is None else rcap,
        batch,
        None,
        screen=screen,
        grow=False,
    )


def assert_same(
    got: tuple[NDArray[np.intp], NDArray[np.intp]],
    want: tuple[NDArray[np.intp], NDArray[np.intp]],
) -> None:
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.intp
        np.testing.assert_array_equal(g, w)


# --------------------------------------------------------------------------- the solver


@settings(max_examples=fuzz_examples(500))
@given(
    inst=st_market(),
    batch=st.sampled_from([1, 2, 3, 4, 5, 1000]),
    grow=st.booleans(),
    screen=st.booleans(),
    block_size=st.sampled_from([None, 1, 7]),
)
def test_lazy_gives_the_pairs_of_gale_shapley(
    inst: Instance, batch: int, grow: bool, screen: bool, block_size: int | None
) -> None:
    got = lazy(inst, batch, grow=grow, screen=screen, block_size=block_size)
    assert_same(got, dense(inst))


@pytest.mark.parametrize("seed", range(12))
def test_lazy_gives_the_pairs_of_gale_shapley_on_larger_markets(seed: int) -> None:
    n, m = [(200, 200), (200, 120), (120, 200)][seed % 3]
    inst = random_market(seed, n, m)
    want = dense(inst)
    assert_same(lazy(inst, 1 + seed % 5, grow=bool(seed % 2), screen=seed % 4 < 2), want)
    assert_same(lazy(inst, 64, screen=True), want)
    assert_same(lazy(inst, 64), want)


Log = list[tuple[int, float, int, int, int]]


def recording(log: Log) -> Callable[[Any], Any]:
    """Wrap a callback to log each (proposer, cursor value, cursor column, handed, k)."""

    def wrap(ask: Any) -> Any:
        def logged(
            proposers: NDArray[np.intp],
            after_value: NDArray[np.float64],
            after_col: NDArray[np.intp],
            k: int,
            *floors: Any,
        ) -> Any:
            answer = ask(proposers, after_value, after_col, k, *floors)
            counts = np.diff(answer[0]).tolist()
            for i, v, c, got in zip(
                proposers.tolist(), after_value.tolist(), after_col.tolist(), counts, strict=True
            ):
                log.append((i, v, c, got, k))
            return answer

        return logged

    return wrap


@settings(max_examples=fuzz_examples(300))
@given(inst=st_market(), batch=st.integers(1, 5), grow=st.booleans(), screen=st.booleans())
def test_each_cursor_is_asked_about_once_and_each_receiver_handed_once(
    inst: Instance, batch: int, grow: bool, screen: bool
) -> None:
    log: Log = []
    lazy(inst, batch, grow=grow, screen=screen, wrap=recording(log))
    cursors = [(i, v, c) for i, v, c, _, _ in log]
    assert len(set(cursors)) == len(cursors)
    # A proposer told that its list has ended (fewer than k) is never asked
    # again, and no proposer is handed more receivers than its list holds.
    pu, _, allowed, _, _ = inst
    n, m = pu.shape
    list_length = np.full(n, m) if allowed is None else allowed.sum(axis=1)
    handed = np.zeros(n, dtype=np.int64)
    ended: set[int] = set()
    for i, _, _, got, k in log:
        assert i not in ended
        handed[i] += got
        if got < k:
            ended.add(i)
    assert (handed <= list_length).all()


def test_only_the_proposers_that_ran_out_are_asked_again() -> None:
    # A proposer that holds its first choice is never asked again.
    rng = np.random.default_rng(3)
    pu, ru = rng.random((50, 50)), rng.random((50, 50))
    log: Log = []
    rows, cols = lazy((pu, ru, None, None, None), 1, grow=False, wrap=recording(log))
    asked = np.bincount([i for i, *_ in log], minlength=50)
    rank = (pu[rows][:, None, :] > pu[rows, cols][:, None, None]).sum(axis=2).ravel()
    # Proposer i proposed to rank[i] + 1 receivers, one per call.
    np.testing.assert_array_equal(asked[rows], rank + 1)


def test_one_receiver_at_a_time_on_many_small_markets() -> None:
    # Small batches that never grow make every proposer come back for more,
    # after the receivers have filled: the screens and the refills are used
    # on every market.
    for seed in range(200):
        rng = np.random.default_rng(seed)
        n, m = (int(x) for x in rng.integers(1, 12, 2))
        inst = random_market(seed, n, m)
        if seed % 2:
            inst = (inst[0], inst[1], inst[2], inst[3], rng.integers(0, 4, m))
        want = dense(inst)
        for screen in (False, True):
            assert_same(lazy(inst, 1 + seed % 2, grow=False, screen=screen), want)


@pytest.mark.parametrize("seed", range(3))
def test_screening_hands_out_fewer_receivers_for_the_same_pairs(seed: int) -> None:
    # More proposers than places: without screening, the proposers left out
    # are handed every receiver on their lists.
    rng = np.random.default_rng(seed)
    inst = (rng.random((80, 30)), rng.random((80, 30)), None, None, None)
    logs: list[Log] = [[], []]
    plain = lazy(inst, 2, wrap=recording(logs[0]))
    screened = lazy(inst, 2, screen=True, wrap=recording(logs[1]))
    assert_same(screened, plain)
    handed = [sum(got for *_, got, _ in log) for log in logs]
    assert handed[1] < handed[0] / 2
    assert handed[0] >= 50 * 30  # each proposer left out went through its whole list


def test_on_round_reports_every_call() -> None:
    rng = np.random.default_rng(1)
    pu, ru = rng.random((60, 30)), rng.random((60, 30))
    reports: list[tuple[int, int, int]] = []
    log: Log = []
    ask = recording(log)(dense_candidates(pu, ru))
    lazy_deferred_acceptance(60, 30, ask, batch=2, on_round=lambda *a: reports.append(a))
    assert [r for r, _, _ in reports] == list(range(1, len(reports) + 1))
    assert sum(a for _, a, _ in reports) == len(log)
    assert reports[0] == (1, 60, 0)
    proposals = [p for _, _, p in reports]
    assert proposals == sorted(proposals)
    assert proposals[-1] > 0


def test_empty_sides_and_zero_capacities() -> None:
    def never(*_: Any) -> Answer:
        raise AssertionError("asked")

    for n, m in ((0, 3), (3, 0), (0, 0)):
        rows, cols = lazy_deferred_acceptance(n, m, never)
        assert rows.size == cols.size == 0
    rows, cols = lazy_deferred_acceptance(3, 3, never, proposer_capacity=0)
    assert rows.size == 0


# --------------------------------------------------------------------------- bad callbacks


def bad_answers() -> list[tuple[str, Callable[..., Any]]]:
    def out_of_order(p: Any, v: Any, c: Any, k: int) -> Any:
        return np.array([0, 2]), np.array([1, 0]), np.array([1.0, 2.0]), np.zeros(2)

    def before_cursor(p: Any, v: Any, c: Any, k: int) -> Any:
        # The same two receivers again and again: the second time, before the cursor.
        return np.array([0, 2]), np.array([0, 1]), np.array([1.0, 0.5]), np.zeros(2)

    def same_receiver(p: Any, v: Any, c: Any, k: int) -> Any:
        # Always after the cursor, always receiver 0: would never end.
        start = v[0] if np.isfinite(v[0]) else 0.0
        return np.array([0, 2]), np.array([0, 0]), start - np.array([1.0, 2.0]), np.zeros(2)

    def too_many(p: Any, v: Any, c: Any, k: int) -> Any:
        cols = np.arange(k + 1) % 2
        return np.array([0, k + 1]), cols, -np.arange(k + 1.0), np.zeros(k + 1)

    def out_of_range(p: Any, v: Any, c: Any, k: int) -> Any:
        return np.array([0, 1]), np.array([5]), np.array([1.0]), np.zeros(1)

    def not_finite(p: Any, v: Any, c: Any, k: int) -> Any:
        return np.array([0, 1]), np.array([0]), np.array([np.nan]), np.zeros(1)

    def bad_indptr(p: Any, v: Any, c: Any, k: int) -> Any:
        return np.array([1]), np.array([0]), np.array([1.0]), np.zeros(1)

    def not_a_tuple(p: Any, v: Any, c: Any, k: int) -> Any:
        return None

    return [
        ("out_of_order", out_of_order),
        ("before_cursor", before_cursor),
        ("same_receiver", same_receiver),
        ("too_many", too_many),
        ("out_of_range", out_of_range),
        ("not_finite", not_finite),
        ("bad_indptr", bad_indptr),
        ("not_a_tuple", not_a_tuple),
    ]


@pytest.mark.parametrize(("name", "ask"), bad_answers(), ids=[n for n, _ in bad_answers()])
def test_a_callback_out_of_contract_raises_instead_of_looping(
    name: str, ask: Callable[..., Any]
) -> None:
    with pytest.raises(InvalidInputError, match="'next_candidates'"):
        lazy_deferred_acceptance(1, 2, ask, proposer_capacity=3, receiver_capacity=2, batch=2)


def bad_rows() -> list[tuple[str, Callable[..., Any]]]:
    def wrong_shape(index: Any) -> Any:
        return np.zeros((index.size, 3)), np.zeros((index.size, 2)), None

    def not_finite(index: Any) -> Any:
        return np.full((index.size, 2), np.nan), np.zeros((index.size, 2)), None

    def not_a_mask(index: Any) -> Any:
        return np.zeros((index.size, 2)), np.zeros((index.size, 2)), np.zeros((index.size, 2))

    def not_a_tuple(index: Any) -> Any:
        return np.zeros((index.size, 2))

    return [
        ("wrong_shape", wrong_shape),
        ("not_finite", not_finite),
        ("not_a_mask", not_a_mask),
        ("not_a_tuple", not_a_tuple),
    ]


@pytest.mark.parametrize(("name", "read_rows"), bad_rows(), ids=[n for n, _ in bad_rows()])
def test_rows_out_of_contract_raise(name: str, read_rows: Callable[..., Any]) -> None:
    ask = candidates_from_rows(read_rows, 2)
    with pytest.raises(InvalidInputError, match="'read_rows'"):
        lazy_deferred_acceptance(3, 2, ask)


def test_rows_are_read_a_block_at_a_time() -> None:
    rng = np.random.default_rng(5)
    pu, ru = rng.random((30, 10)), rng.random((30, 10))
    sizes: list[int] = []

    def read_rows(index: NDArray[np.intp]) -> Any:
        sizes.append(index.size)
        return pu[index], ru[index], None

    got = lazy_deferred_acceptance(30, 10, candidates_from_rows(read_rows, 10, block_size=40))
    assert_same(got, gale_shapley(pu, ru))
    assert max(sizes) == 4  # 40 entries: 4 rows of 10
    assert sizes[0] == 4


# --------------------------------------------------------------------------- the block check


def partition(rng: np.random.Generator, n: int, parts: int) -> list[NDArray[np.intp]]:
    """The indices 0..n-1, shuffled and cut into ``parts`` groups (some may be empty)."""
    order = rng.permutation(n)
    cuts = np.sort(rng.integers(0, n + 1, parts - 1))
    return [np.asarray(g, dtype=np.intp) for g in np.split(order, cuts)]


def blocks_total(
    inst: Instance,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    rng: np.random.Generator,
) -> tuple[int, set[tuple[int, int]]]:
    """Blocking pairs counted and listed block by block over a random partition."""
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    standing = matching_standing(rows, cols, pu[rows, cols], ru[rows, cols], n, m, pcap, rcap)
    matched = np.zeros((n, m), dtype=bool)
    matched[rows, cols] = True
    count = 0
    found: set[tuple[int, int]] = set()
    for block_rows in partition(rng, n, int(rng.integers(1, 4))):
        for block_cols in partition(rng, m, int(rng.integers(1, 4))):
            cut = np.ix_(block_rows, block_cols)
            mask = None if allowed is None else allowed[cut]
            args = (block_rows, block_cols, pu[cut], ru[cut], matched[cut], *standing)
            count += blocking_in_block(*args, allowed=mask)
            pairs = blocking_in_block(*args, allowed=mask, return_pairs=True)
            found |= set(map(tuple, pairs.tolist()))
    return count, found


@settings(max_examples=fuzz_examples(300))
@given(data=st.data(), inst=st_market(), seed=st.integers(0, 2**32 - 1))
def test_blocks_sum_to_blocking_pairs(data: st.DataObject, inst: Instance, seed: int) -> None:
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    rows, cols = data.draw(st_feasible_matching(allowed, (n, m), pcap, rcap))
    want = blocking_pairs(
        rows, cols, pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
    )
    count, found = blocks_total(inst, rows, cols, np.random.default_rng(seed))
    assert count == len(want)
    assert found == set(map(tuple, want.tolist()))


@pytest.mark.parametrize("seed", range(4))
def test_blocks_find_no_blocking_pair_in_the_lazy_result_and_some_once_perturbed(
    seed: int,
) -> None:
    inst = random_market(seed, 150, 100)
    pu, ru, allowed, pcap, rcap = inst
    rows, cols = lazy(inst, 4)
    count, _ = blocks_total(inst, rows, cols, np.random.default_rng(seed))
    assert count == 0
    # Drop one pair of the matching: its two sides are left with a free
    # place each and would rather be together again.
    keep = np.arange(rows.size) != rows.size // 2
    count, found = blocks_total(inst, rows[keep], cols[keep], np.random.default_rng(seed))
    assert (int(rows[rows.size // 2]), int(cols[rows.size // 2])) in found
    want = blocking_pairs(
        rows[keep],
        cols[keep],
        pu,
        ru,
        allowed=allowed,
        proposer_capacity=pcap,
        receiver_capacity=rcap,
    )
    assert count == len(want)
