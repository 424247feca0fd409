"""Tests of gale_shapley, blocking_pairs and is_stable.

The theorems are checked against an independent brute force: every matching
of a small instance is enumerated and the stable ones are kept by a plain
double loop written here (never by calling ``blocking_pairs``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

import mentormatch.solvers.stable as stable_module
from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import blocking_pairs, gale_shapley, is_stable
from tests.oracles import (
    Instance,
    Pair,
    all_stable,
    brute_blocking,
    caps_of,
    mask_of,
    reference_deferred_acceptance,
)
from tests.strategies import st_feasible_matching, st_stable_instance

# --------------------------------------------------------------------------
# Helpers (the independent references live in tests/oracles.py)
# --------------------------------------------------------------------------


def solve(inst: Instance) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    pu, ru, allowed, pcap, rcap = inst
    return gale_shapley(pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap)


def as_pairs(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> set[Pair]:
    return set(zip(rows.tolist(), cols.tolist(), strict=True))


def transposed(inst: Instance) -> Instance:
    """The same market with the columns proposing."""
    pu, ru, allowed, pcap, rcap = inst
    return ru.T, pu.T, None if allowed is None else allowed.T, rcap, pcap


# Keywords of stable._solve for every route through it: tiny prefixes and
# scan batches make small instances use the scans, the column groups and the
# rounds of scans; by_order=False keeps instances whose rows share one order on
# the general route.
ROUTES: list[dict[str, Any]] = [
    {},
    {"prefix": 0, "batch": 1, "group": 1, "by_order": False, "few": 0},
    {"prefix": 0, "batch": 2, "group": 1, "by_order": False},
    {"prefix": 1, "batch": 1, "group": 1, "by_order": False, "few": 1},
    {"prefix": 1, "batch": 3, "group": 2, "by_order": False},
    {"prefix": 2, "batch": 1, "group": 3, "by_order": False, "few": 0},
    {"prefix": 3, "batch": 2, "group": 2, "by_order": False},
    {"prefix": 16, "batch": 16, "by_order": False},
]


def solve_by(inst: Instance, route: dict[str, Any]) -> set[Pair]:
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    rows, cols = stable_module._solve(
        pu,
        ru,
        allowed,
        np.asarray(caps_of(pcap, n), dtype=np.int64),
        np.asarray(caps_of(rcap, m), dtype=np.int64),
        **route,
    )
    return as_pairs(rows, cols)


@given(
    st.integers(1, 6),
    st.integers(1, 40),
    st.integers(1, 8),
    st.integers(1, 9),
    st.integers(0, 2**32 - 1),
)
def test_prefixes_are_prefixes_of_each_rows_list(
    n: int, m: int, k: int, group: int, seed: int
) -> None:
    # The prefix rule, on its own: each row gets the start of its list
    # (finite entries, best first, ties by column), at most k long, exactly
    # k long when its values are distinct, and "complete" only when whole.
    rng = np.random.default_rng(seed)
    levels = int(rng.choice([3, 6, 10**6]))
    values = rng.integers(0, levels, (n, m)).astype(np.float64)
    values[rng.random((n, m)) < 0.2] = -np.inf
    rows, cols, complete = stable_module._top_prefixes(values, k, group)
    got: list[list[int]] = [[] for _ in range(n)]
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        got[i].append(j)
    for i in range(n):
        ranked = [
            j for _, j in sorted((-values[i, j], j) for j in range(m) if values[i, j] > -np.inf)
        ]
        assert got[i] == ranked[: len(got[i])]
        assert len(got[i]) <= k
        finite = values[i][values[i] > -np.inf]
        if np.unique(finite).size == finite.size:
            assert len(got[i]) == min(k, finite.size)
        assert not complete[i] or got[i] == ranked


# --------------------------------------------------------------------------
# The theorems
# --------------------------------------------------------------------------


@given(
    st_stable_instance(max_side=7, proposer_capacity=True, receiver_capacity=True, max_capacity=3)
)
def test_output_has_no_blocking_pairs(inst: Instance) -> None:
    rows, cols = solve(inst)
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert list(brute_blocking(pairs, inst)) == []
    pu, _, allowed, pcap, rcap = inst
    n, m = pu.shape
    assert len(set(pairs)) == len(pairs)
    assert all(mask_of(allowed, (n, m))[i, j] for i, j in pairs)
    assert np.all(np.bincount(rows, minlength=n) <= caps_of(pcap, n))
    assert np.all(np.bincount(cols, minlength=m) <= caps_of(rcap, m))


@given(st_stable_instance(max_side=5, proposer_capacity=True, receiver_capacity=True))
def test_agrees_with_reference_deferred_acceptance_on_every_route(inst: Instance) -> None:
    # With ties broken by index the proposer-optimal stable matching is
    # unique, so any correct deferred acceptance returns it, whatever the
    # route (see ROUTES).
    expected = reference_deferred_acceptance(inst)
    for route in ROUTES:
        assert solve_by(inst, route) == expected, route


@given(st_stable_instance(max_side=6, strict=True))
def test_proposers_get_their_best_and_receivers_their_worst_stable_partner(
    inst: Instance,
) -> None:
    pu, ru, *_ = inst
    stable = all_stable(inst)
    found = as_pairs(*solve(inst))
    assert found in stable
    row_partner = dict(found)
    col_partner = {j: i for i, j in found}
    for other in stable:
        for i, j in other:
            # Rural hospitals: whoever is matched somewhere is matched here.
            assert pu[i, row_partner[i]] >= pu[i, j]
            assert ru[col_partner[j], j] <= ru[i, j]


@given(st_stable_instance(max_side=5, strict=True, mask=True, receiver_capacity=True))
def test_single_slot_proposers_get_their_best_stable_partner_many_to_one(
    inst: Instance,
) -> None:
    pu = inst[0]
    stable = all_stable(inst)
    found = as_pairs(*solve(inst))
    assert found in stable
    row_partner = dict(found)
    for other in stable:
        for i, j in other:
            assert pu[i, row_partner[i]] >= pu[i, j]


@given(st_stable_instance(max_side=5, strict=True, mask=True, proposer_capacity=True))
def test_single_slot_receivers_get_their_worst_stable_partner_one_to_many(
    inst: Instance,
) -> None:
    ru = inst[1]
    stable = all_stable(inst)
    found = as_pairs(*solve(inst))
    assert found in stable
    col_partner = {j: i for i, j in found}
    for other in stable:
        for i, j in other:
            assert ru[col_partner[j], j] <= ru[i, j]


@pytest.mark.parametrize(
    "capacities",
    [{}, {"receiver_capacity": True}, {"proposer_capacity": True}],
    ids=["one-to-one", "many-to-one", "one-to-many"],
)
@given(data=st.data())
def test_rural_hospitals_same_agents_matched_in_every_stable_matching(
    capacities: dict[str, bool], data: st.DataObject
) -> None:
    inst = data.draw(st_stable_instance(max_side=5, strict=True, **capacities))
    n, m = inst[0].shape
    rows, cols = solve(inst)
    row_count = np.bincount(rows, minlength=n).tolist()
    col_count = np.bincount(cols, minlength=m).tolist()
    for other in all_stable(inst):
        other_rows = [i for i, _ in other]
        other_cols = [j for _, j in other]
        assert np.bincount(other_rows, minlength=n).tolist() == row_count
        assert np.bincount(other_cols, minlength=m).tolist() == col_count


@given(st_stable_instance(max_side=6, strict=True))
def test_both_directions_coincide_exactly_when_the_stable_matching_is_unique(
    inst: Instance,
) -> None:
    by_rows = as_pairs(*solve(inst))
    cols_, rows_ = solve(transposed(inst))
    by_cols = as_pairs(rows_, cols_)
    assert (by_rows == by_cols) == (len(all_stable(inst)) == 1)


# --------------------------------------------------------------------------
# Known answers from the literature
# --------------------------------------------------------------------------


def from_rankings(
    proposer_ranks: Sequence[Sequence[int]], receiver_ranks: Sequence[Sequence[int]]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Utilities from 1-based preference lists (``ranks[a]`` = a's list, best first)."""
    n, m = len(proposer_ranks), len(receiver_ranks)
    pu = np.zeros((n, m))
    ru = np.zeros((n, m))
    for i, ranked in enumerate(proposer_ranks):
        for place, j in enumerate(ranked):
            pu[i, j - 1] = m - place
    for j, ranked in enumerate(receiver_ranks):
        for place, i in enumerate(ranked):
            ru[i - 1, j] = n - place
    return pu, ru


def from_ranking_matrix(
    table: Sequence[Sequence[tuple[int, int]]],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gale and Shapley's "ranking matrix": entry (i, j) = (i's rank of j, j's rank of i)."""
    ranks = np.asarray(table, dtype=np.float64)
    n = ranks.shape[0]
    return n + 1 - ranks[..., 0], n + 1 - ranks[..., 1]


def test_gale_shapley_1962_example_1_three_stable_sets() -> None:
    # Rows alpha, beta, gamma; columns A, B, C.
    pu, ru = from_ranking_matrix(
        [
            [(1, 3), (2, 2), (3, 1)],
            [(3, 1), (1, 3), (2, 2)],
            [(2, 2), (3, 1), (1, 3)],
        ]
    )
    inst: Instance = (pu, ru, None, None, None)
    each_man_first = {(0, 0), (1, 1), (2, 2)}
    each_woman_first = {(0, 2), (1, 0), (2, 1)}
    everyone_second = {(0, 1), (1, 2), (2, 0)}
    stable = all_stable(inst)
    assert len(stable) == 3
    assert {frozenset(s) for s in stable} == {
        frozenset(each_man_first),
        frozenset(each_woman_first),
        frozenset(everyone_second),
    }
    assert as_pairs(*solve(inst)) == each_man_first
    cols, rows = solve(transposed(inst))
    assert as_pairs(rows, cols) == each_woman_first


def test_gale_shapley_1962_example_2_unique_stable_set() -> None:
    # Rows alpha..delta, columns A..D; the only stable set is
    # alpha-C, beta-D, gamma-A, delta-B.
    pu, ru = from_ranking_matrix(
        [
            [(1, 3), (2, 3), (3, 2), (4, 3)],
            [(1, 4), (4, 1), (3, 3), (2, 2)],
            [(2, 2), (1, 4), (3, 4), (4, 1)],
            [(4, 1), (2, 2), (3, 1), (1, 4)],
        ]
    )
    inst: Instance = (pu, ru, None, None, None)
    expected = {(0, 2), (1, 3), (2, 0), (3, 1)}
    assert all_stable(inst) == [expected]
    assert as_pairs(*solve(inst)) == expected
    cols, rows = solve(transposed(inst))
    assert as_pairs(rows, cols) == expected


def test_malkevitch_ten_stable_marriages_4x4() -> None:
    # J. Malkevitch, "Gale-Shapley example with ten stable marriages" (York
    # College, CUNY, teaching note): n = 4 with ten stable matchings.
    pu, ru = from_rankings(
        [[1, 2, 3, 4], [2, 1, 4, 3], [3, 4, 1, 2], [4, 3, 2, 1]],
        [[4, 3, 2, 1], [3, 4, 1, 2], [2, 1, 4, 3], [1, 2, 3, 4]],
    )
    inst: Instance = (pu, ru, None, None, None)
    assert len(all_stable(inst)) == 10
    assert as_pairs(*solve(inst)) == {(0, 0), (1, 1), (2, 2), (3, 3)}
    cols, rows = solve(transposed(inst))
    assert as_pairs(rows, cols) == {(0, 3), (1, 2), (2, 1), (3, 0)}


# --------------------------------------------------------------------------
# Larger instances: the prefixes, scans and column groups at real sizes,
# and the markets where deferred acceptance makes about n**2 / 2 proposals
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "m", "levels", "density", "max_capacity", "seed", "rows_agree"),
    [
        (300, 300, None, 1.0, 1, 0, False),
        (400, 290, 4, 1.0, 1, 1, False),
        (260, 520, None, 0.3, 1, 2, False),
        (300, 300, 3, 0.8, 3, 3, False),
        (350, 700, None, 0.9, 2, 4, False),
        (500, 300, 1000, 1.0, 1, 5, False),
        (600, 300, None, 1.0, 1, 6, False),
        (300, 300, None, 1.0, 1, 7, True),
        (300, 200, 5, 1.0, 3, 8, True),
        (300, 300, 1, 1.0, 1, 9, False),
        (250, 300, 1, 0.9, 2, 10, False),
    ],
)
def test_large_instances_agree_with_reference_and_are_stable(
    n: int,
    m: int,
    levels: int | None,
    density: float,
    max_capacity: int,
    seed: int,
    rows_agree: bool,
) -> None:
    rng = np.random.default_rng(seed)

    def utilities() -> NDArray[np.float64]:
        if levels is None:
            return rng.random((n, m))
        return rng.integers(0, levels, (n, m)).astype(np.float64)

    pu, ru = utilities(), utilities()
    if rows_agree:
        # Every row ranks the columns alike (by different values).
        pu = np.sort(pu, axis=1)[:, rng.permutation(m)]
    allowed = None if density == 1.0 else rng.random((n, m)) < density
    pcap = None if max_capacity == 1 else rng.integers(0, max_capacity + 1, n)
    rcap = None if max_capacity == 1 else rng.integers(0, max_capacity + 1, m)
    inst: Instance = (pu, ru, allowed, pcap, rcap)
    rows, cols = solve(inst)
    assert as_pairs(rows, cols) == reference_deferred_acceptance(inst)
    kwargs = {"allowed": allowed, "proposer_capacity": pcap, "receiver_capacity": rcap}
    assert blocking_pairs(rows, cols, pu, ru, **kwargs).shape == (0, 2)


# --------------------------------------------------------------------------
# blocking_pairs and is_stable
# --------------------------------------------------------------------------


@given(data=st.data())
def test_blocking_pairs_matches_brute_force_on_any_matching(data: st.DataObject) -> None:
    inst = data.draw(
        st_stable_instance(max_side=6, proposer_capacity=True, receiver_capacity=True)
    )
    pu, ru, allowed, pcap, rcap = inst
    rows, cols = data.draw(st_feasible_matching(allowed, pu.shape, pcap, rcap))
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    found = blocking_pairs(
        rows, cols, pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
    )
    assert found.dtype == np.intp
    assert found.shape[1] == 2
    assert [tuple(p) for p in found.tolist()] == sorted(brute_blocking(pairs, inst))
    stable = is_stable(
        rows, cols, pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
    )
    assert stable is (found.shape[0] == 0)


def test_ties_do_not_block() -> None:
    pu = np.array([[1.0, 1.0], [1.0, 1.0]])
    ru = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert is_stable([0, 1], [1, 0], pu, ru)
    assert blocking_pairs([0], [1], pu, ru).tolist() == [[1, 0]]


def test_blocking_pairs_accepts_an_empty_matching() -> None:
    pu = np.array([[1.0, 0.0]])
    ru = np.array([[1.0, 1.0]])
    assert blocking_pairs([], [], pu, ru).tolist() == [[0, 0], [0, 1]]
    assert blocking_pairs([], [], pu, ru, proposer_capacity=0).shape == (0, 2)


# --------------------------------------------------------------------------
# Conventions: ties, determinism, symmetry, output form
# --------------------------------------------------------------------------


def test_proposer_breaks_ties_towards_the_lower_column() -> None:
    rows, cols = gale_shapley([[5.0, 5.0, 5.0]], [[0.0, 0.0, 0.0]])
    assert (rows.tolist(), cols.tolist()) == ([0], [0])


def test_receiver_breaks_ties_towards_the_lower_row() -> None:
    pu = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    ru = np.array([[2.0, 0.0], [2.0, 0.0], [2.0, 0.0]])
    rows, cols = gale_shapley(pu, ru)
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [0, 1])
    rows, cols = gale_shapley(pu[::-1], ru[::-1])
    assert (rows.tolist(), cols.tolist()) == ([0, 1], [0, 1])


@given(st_stable_instance(max_side=7, proposer_capacity=True, receiver_capacity=True))
def test_deterministic_and_inputs_untouched(inst: Instance) -> None:
    copies = [None if a is None else a.copy() for a in inst]
    first = solve(inst)
    second = solve(inst)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    for original, copy in zip(inst, copies, strict=True):
        if original is not None:
            np.testing.assert_array_equal(original, copy)


@given(
    st_stable_instance(max_side=7, strict=True, proposer_capacity=True, receiver_capacity=True),
    st.randoms(use_true_random=False),
)
def test_invariant_under_permuting_rows_and_columns(inst: Instance, random: Any) -> None:
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    p = np.asarray(random.sample(range(n), n))
    q = np.asarray(random.sample(range(m), m))
    permuted: Instance = (
        pu[np.ix_(p, q)],
        ru[np.ix_(p, q)],
        None if allowed is None else allowed[np.ix_(p, q)],
        None if pcap is None else pcap[p],
        None if rcap is None else rcap[q],
    )
    rows, cols = solve(permuted)
    assert {(int(p[i]), int(q[j])) for i, j in as_pairs(rows, cols)} == as_pairs(*solve(inst))


@given(st_stable_instance(max_side=7, proposer_capacity=True, receiver_capacity=True))
def test_output_form_intp_rows_sorted_then_cols(inst: Instance) -> None:
    rows, cols = solve(inst)
    assert rows.dtype == np.intp
    assert cols.dtype == np.intp
    assert rows.ndim == cols.ndim == 1
    assert rows.shape == cols.shape
    keys = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert keys == sorted(keys)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_empty_sides_give_an_empty_matching(shape: tuple[int, int]) -> None:
    rows, cols = gale_shapley(np.zeros(shape), np.zeros(shape))
    assert rows.shape == cols.shape == (0,)
    assert rows.dtype == cols.dtype == np.intp


def test_zero_capacity_and_forbidden_pairs_are_never_used() -> None:
    pu = np.array([[3.0, 2.0, 1.0], [3.0, 2.0, 1.0]])
    ru = np.ones((2, 3))
    allowed = np.array([[True, False, True], [True, True, True]])
    rows, cols = gale_shapley(pu, ru, allowed=allowed, receiver_capacity=[0, 1, 1])
    assert as_pairs(rows, cols) == {(0, 2), (1, 1)}
    rows, cols = gale_shapley(pu, ru, proposer_capacity=[0, 2], receiver_capacity=1)
    assert as_pairs(rows, cols) == {(1, 0), (1, 1)}


# --------------------------------------------------------------------------
# Input errors: one test per check
# --------------------------------------------------------------------------

PU = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
RU = np.array([[1.0, 1.0, 2.0], [2.0, 2.0, 1.0]])


def _with(array: NDArray[np.float64], at: tuple[int, int], value: float) -> NDArray[np.float64]:
    copy = array.copy()
    copy[at] = value
    return copy


_FORBID_1_0 = np.ones((2, 3), dtype=bool)
_FORBID_1_0[1, 0] = False


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "message"),
    [
        pytest.param(
            gale_shapley, ([1.0, 2.0], RU), {},
            r"parameter 'proposer_utility' of gale_shapley: expected a matrix \(2-D array\)",
            id="gs-vector-utility",
        ),
        pytest.param(
            gale_shapley, (PU, [["a", "b", "c"], ["d", "e", "f"]]), {},
            "parameter 'receiver_utility' of gale_shapley: expected a matrix",
            id="gs-non-numbers",
        ),
        pytest.param(
            gale_shapley, (PU, RU.T), {},
            r"'receiver_utility' of gale_shapley: expected the shape of parameter "
            r"'proposer_utility', \(2, 3\), got shape \(3, 2\)",
            id="gs-shapes-differ",
        ),
        pytest.param(
            gale_shapley, (PU, _with(RU, (1, 2), np.nan)), {},
            r"parameter 'receiver_utility' of gale_shapley: expected finite values.*"
            r"nan at \[1, 2\]",
            id="gs-nan",
        ),
        pytest.param(
            gale_shapley, (_with(PU, (0, 1), -np.inf), RU), {},
            r"parameter 'proposer_utility' of gale_shapley: .*-inf at \[0, 1\]",
            id="gs-infinity",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"allowed": np.ones((2, 3), dtype=int)},
            "parameter 'allowed' of gale_shapley: expected a boolean mask",
            id="gs-mask-not-boolean",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"allowed": np.ones((3, 2), dtype=bool)},
            r"parameter 'allowed' of gale_shapley: expected shape \(2, 3\), got shape \(3, 2\)",
            id="gs-mask-shape",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"proposer_capacity": [1, -1]},
            r"parameter 'proposer_capacity' of gale_shapley: expected non-negative integers, "
            r"got -1 at \[1\]",
            id="gs-negative-capacity",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"receiver_capacity": [1, 1, 1.5]},
            r"parameter 'receiver_capacity' of gale_shapley: expected non-negative integers, "
            r"got 1.5 at \[2\]",
            id="gs-fractional-capacity",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"receiver_capacity": [1, 1]},
            r"parameter 'receiver_capacity' of gale_shapley: expected a scalar or shape \(3,\)",
            id="gs-capacity-length",
        ),
        pytest.param(
            gale_shapley, (PU, RU), {"proposer_capacity": [True, False]},
            "parameter 'proposer_capacity' of gale_shapley: expected non-negative integers",
            id="gs-boolean-capacity",
        ),
        pytest.param(
            blocking_pairs, ([0], [0], PU, RU[:, :2]), {},
            r"'receiver_utility' of blocking_pairs: expected the shape of parameter "
            r"'proposer_utility', \(2, 3\), got shape \(2, 2\)",
            id="bp-shapes-differ",
        ),
        pytest.param(
            blocking_pairs, ([[0, 1]], [0, 1], PU, RU), {},
            r"parameter 'rows' of blocking_pairs: expected a 1-D array of indices",
            id="bp-rows-not-1d",
        ),
        pytest.param(
            blocking_pairs, ([0, 1], [0.0, 1.0], PU, RU), {},
            "parameter 'cols' of blocking_pairs: expected integer indices, "
            "got an array of dtype float64",
            id="bp-non-integer-indices",
        ),
        pytest.param(
            blocking_pairs, ([0, 1], [0], PU, RU), {},
            r"parameter 'cols' of blocking_pairs: expected the length of parameter 'rows', 2, "
            r"got length 1",
            id="bp-lengths-differ",
        ),
        pytest.param(
            blocking_pairs, ([0, 1], [0, 3], PU, RU), {},
            r"parameter 'cols' of blocking_pairs: expected indices in \[0, 3\), got 3 at \[1\]",
            id="bp-index-out-of-range",
        ),
        pytest.param(
            blocking_pairs, ([1, 1], [2, 2], PU, RU),
            {"proposer_capacity": 2, "receiver_capacity": 2},
            r"parameters 'rows' and 'cols' of blocking_pairs: expected a matching "
            r"\(no pair listed twice\), got the pair \(1, 2\) more than once",
            id="bp-repeated-pair",
        ),
        pytest.param(
            blocking_pairs, ([0, 1], [1, 0], PU, RU), {"allowed": _FORBID_1_0},
            r"parameters 'rows' and 'cols' of blocking_pairs: expected only allowed pairs, "
            r"got the pair \(1, 0\)",
            id="bp-forbidden-pair",
        ),
        pytest.param(
            blocking_pairs, ([0, 0], [0, 1], PU, RU), {},
            r"parameter 'rows' of blocking_pairs: expected index 0 at most 1 times "
            r"\(its 'proposer_capacity'\), got 2 times",
            id="bp-row-over-capacity",
        ),
        pytest.param(
            blocking_pairs, ([0], [2], PU, RU), {"receiver_capacity": [1, 1, 0]},
            r"parameter 'cols' of blocking_pairs: expected index 2 at most 0 times "
            r"\(its 'receiver_capacity'\), got 1 times",
            id="bp-column-over-capacity",
        ),
        pytest.param(
            is_stable, ([0], [0], PU, RU), {"allowed": [[1, 1, 1], [1, 1, 1]]},
            r"parameter 'allowed' of is_stable: expected a boolean mask",
            id="is-stable-names-itself",
        ),
    ],
)  # fmt: skip
def test_input_errors_name_the_parameter(
    function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        function(*args, **kwargs)
