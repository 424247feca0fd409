"""Tests of stable_matchings and best_stable (the lattice of stable matchings).

The reference is the brute force of ``tests/oracles.py``: every matching of a
small instance, kept when no pair blocks it. The lattice solvers make
preferences strict by breaking ties towards the lower index, so the oracle is
run on utilities made strict the same way, here, by sorting plain lists.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from mentormatch.exceptions import InvalidInputError
from mentormatch.solvers import best_stable, gale_shapley, is_stable, stable_matchings
from tests.oracles import Instance, Pair, all_stable, brute_blocking, mask_of
from tests.strategies import st_stable_instance

Matching = frozenset[Pair]


# --------------------------------------------------------------------------
# The reference: strict preferences and brute force
# --------------------------------------------------------------------------


def strict_lists(inst: Instance) -> tuple[list[list[int]], list[list[int]]]:
    """Each row's allowed columns and each column's allowed rows, best first, ties by index."""
    pu, ru, allowed, _, _ = inst
    n, m = pu.shape
    mask = mask_of(allowed, (n, m))
    rows = [
        [j for j in sorted(range(m), key=lambda j: (-pu[i, j], j)) if mask[i, j]] for i in range(n)
    ]
    cols = [
        [i for i in sorted(range(n), key=lambda i: (-ru[i, j], i)) if mask[i, j]] for j in range(m)
    ]
    return rows, cols


def strict(inst: Instance) -> Instance:
    """The same instance with every tie broken towards the lower index."""
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    sp = np.zeros((n, m))
    sr = np.zeros((n, m))
    for i in range(n):
        for place, j in enumerate(sorted(range(m), key=lambda j: (-pu[i, j], j))):
            sp[i, j] = -place
    for j in range(m):
        for place, i in enumerate(sorted(range(n), key=lambda i: (-ru[i, j], i))):
            sr[i, j] = -place
    return sp, sr, allowed, pcap, rcap


def reference(inst: Instance) -> set[Matching]:
    return {frozenset(s) for s in all_stable(strict(inst))}


def listed(inst: Instance) -> list[Matching]:
    pu, ru, allowed, pcap, rcap = inst
    return [
        frozenset(zip(rows.tolist(), cols.tolist(), strict=True))
        for rows, cols in stable_matchings(
            pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
        )
    ]


def rank_scores(inst: Instance) -> tuple[dict[Pair, int], dict[Pair, int]]:
    """1-based ranks of each allowed pair in the row's and in the column's list."""
    rows, cols = strict_lists(inst)
    row_rank = {(i, j): k + 1 for i, lst in enumerate(rows) for k, j in enumerate(lst)}
    col_rank = {(i, j): k + 1 for j, lst in enumerate(cols) for k, i in enumerate(lst)}
    return row_rank, col_rank


def best_of(inst: Instance, objective: str, weights: NDArray[np.float64]) -> float:
    """The best value of ``objective`` over the brute-force stable matchings (smaller is better)."""
    row_rank, col_rank = rank_scores(inst)
    values: Callable[[Matching], float]
    if objective == "total":

        def values(m: Matching) -> float:
            return -math.fsum(weights[p] for p in m)
    elif objective == "egalitarian":

        def values(m: Matching) -> float:
            return float(sum(row_rank[p] + col_rank[p] for p in m))
    else:

        def values(m: Matching) -> float:
            return float(max((max(row_rank[p], col_rank[p]) for p in m), default=0))

    return min(values(m) for m in reference(inst))


def value_of(inst: Instance, objective: str, weights: NDArray[np.float64], m: Matching) -> float:
    row_rank, col_rank = rank_scores(inst)
    if objective == "total":
        return -math.fsum(weights[p] for p in m)
    if objective == "egalitarian":
        return float(sum(row_rank[p] + col_rank[p] for p in m))
    return float(max((max(row_rank[p], col_rank[p]) for p in m), default=0))


def pruned_search(inst: Instance) -> set[Matching]:
    """Every stable matching of a one-to-one instance, by backtracking with pruning.

    Rows choose a column (or none) in turn; a branch dies as soon as two
    decided agents block it: row ``a`` would rather have column ``j``, and
    ``j``'s decided partner ``r`` is one ``j`` likes less than ``a``. A
    leaf is kept only if nothing blocks at all (free columns included).
    Independent of the lattice (no rotations), and fast enough for 9 x 9.
    """
    rows, cols = strict_lists(inst)
    n, m = len(rows), len(cols)
    row_pos = [{j: k for k, j in enumerate(lst)} for lst in rows]
    col_pos = [{i: k for k, i in enumerate(lst)} for lst in cols]
    partner = [-1] * n
    holder = [-1] * m
    found: set[Matching] = set()

    def wants(i: int, j: int) -> bool:
        # Row i prefers j to its partner, and j prefers i to its holder.
        if j not in row_pos[i]:
            return False
        mine = partner[i]
        if mine >= 0 and row_pos[i][mine] <= row_pos[i][j]:
            return False
        h = holder[j]
        return h < 0 or col_pos[j][i] < col_pos[j][h]

    def visit(i: int) -> None:
        if i == n:
            if not any(wants(a, j) for a in range(n) for j in range(m)):
                found.add(frozenset((a, partner[a]) for a in range(n) if partner[a] >= 0))
            return
        for j in [*rows[i], -1]:
            if j >= 0 and holder[j] >= 0:
                continue
            partner[i] = j
            if j >= 0:
                holder[j] = i
            dead = any(wants(a, c) for a in range(i + 1) for c in range(m) if holder[c] >= 0)
            if not dead:
                visit(i + 1)
            partner[i] = -1
            if j >= 0:
                holder[j] = -1

    visit(0)
    return found


@st.composite
def st_lattice_instance(draw: st.DrawFn, max_side: int = 5) -> Instance:
    """A stable-matching instance with capacities on one side at most."""
    side = draw(st.sampled_from(["none", "rows", "cols"]))
    limit = max_side if side == "none" else max_side - 1
    return draw(
        st_stable_instance(
            max_side=limit,
            proposer_capacity=side == "rows",
            receiver_capacity=side == "cols",
        )
    )


def as_set(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> Matching:
    return frozenset(zip(rows.tolist(), cols.tolist(), strict=True))


# --------------------------------------------------------------------------
# stable_matchings: exactly the stable matchings, each once
# --------------------------------------------------------------------------


@given(st_lattice_instance())
def test_stable_matchings_are_exactly_the_brute_force_set_each_once(inst: Instance) -> None:
    found = listed(inst)
    assert len(found) == len(set(found))
    assert set(found) == reference(inst)


@given(st_stable_instance(max_side=9, strict=True))
def test_stable_matchings_agree_with_a_pruned_search_up_to_9x9(inst: Instance) -> None:
    found = listed(inst)
    assert len(found) == len(set(found))
    assert set(found) == pruned_search(inst)


@given(st_lattice_instance())
def test_first_stable_matching_is_gale_shapleys(inst: Instance) -> None:
    pu, ru, allowed, pcap, rcap = inst
    first = next(
        stable_matchings(pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap)
    )
    expected = gale_shapley(
        pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
    )
    np.testing.assert_array_equal(first[0], expected[0])
    np.testing.assert_array_equal(first[1], expected[1])


def test_gale_shapley_1962_example_1_three_stable_matchings_in_lattice_order() -> None:
    pu = np.array([[3, 2, 1], [1, 3, 2], [2, 1, 3]])
    ru = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    got = [c.tolist() for _, c in stable_matchings(pu, ru)]
    assert got == [[0, 1, 2], [1, 2, 0], [2, 0, 1]]


def test_malkevitch_ten_stable_marriages_4x4() -> None:
    # J. Malkevitch's teaching example: n = 4 with ten stable matchings.
    rows = [[1, 2, 3, 4], [2, 1, 4, 3], [3, 4, 1, 2], [4, 3, 2, 1]]
    cols = [[4, 3, 2, 1], [3, 4, 1, 2], [2, 1, 4, 3], [1, 2, 3, 4]]
    pu = np.zeros((4, 4))
    ru = np.zeros((4, 4))
    for i, lst in enumerate(rows):
        for place, j in enumerate(lst):
            pu[i, j - 1] = 4 - place
    for j, lst in enumerate(cols):
        for place, i in enumerate(lst):
            ru[i - 1, j] = 4 - place
    found = listed((pu, ru, None, None, None))
    assert len(found) == len(set(found)) == 10


def test_all_ties_leave_one_stable_matching_by_index() -> None:
    # Broken towards the lower index, equal utilities are one strict order for
    # everyone: row i gets column i and nothing else is stable.
    found = listed((np.zeros((3, 4)), np.zeros((3, 4)), None, None, None))
    assert found == [frozenset({(0, 0), (1, 1), (2, 2)})]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_larger_instances_list_distinct_stable_matchings_from_gale_shapley_to_its_mirror(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    pu, ru = rng.random((n, n)), rng.random((n, n))
    found = [as_set(r, c) for r, c in stable_matchings(pu, ru)]
    assert len(found) == len(set(found)) > 1
    for m in found:
        rows, cols = (np.asarray(x, dtype=np.intp) for x in zip(*sorted(m), strict=True))
        assert is_stable(rows, cols, pu, ru)
    cols_opt, rows_opt = gale_shapley(ru.T, pu.T)
    assert as_set(rows_opt, cols_opt) in found


@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.tuples(st.integers(8, 16), st.integers(8, 16)),
    side=st.sampled_from(["none", "rows", "cols"]),
    masked=st.booleans(),
)
def test_medium_instances_list_only_stable_matchings_each_once(
    seed: int, shape: tuple[int, int], side: str, masked: bool
) -> None:
    # Medium sizes have many more rotations and precedences than the brute
    # force can reach; every listed matching is checked by the definition.
    rng = np.random.default_rng(seed)
    n, m = shape
    pu, ru = rng.random(shape), rng.random(shape)
    allowed = rng.random(shape) < 0.7 if masked else None
    pcap = rng.integers(0, 4, n) if side == "rows" else None
    rcap = rng.integers(0, 4, m) if side == "cols" else None
    inst: Instance = (pu, ru, allowed, pcap, rcap)
    found = list(itertools.islice(listed(inst), 200))
    assert len(found) == len(set(found))
    for matching in found:
        assert not list(brute_blocking(sorted(matching), inst))
        rows = [i for i, _ in matching]
        cols = [j for _, j in matching]
        assert all(rows.count(i) <= (1 if pcap is None else pcap[i]) for i in set(rows))
        assert all(cols.count(j) <= (1 if rcap is None else rcap[j]) for j in set(cols))
        assert all(mask_of(allowed, shape)[p] for p in matching)


def test_empty_sides_have_one_empty_stable_matching() -> None:
    found = list(stable_matchings(np.zeros((0, 3)), np.zeros((0, 3))))
    assert len(found) == 1
    assert found[0][0].size == found[0][1].size == 0
    rows, cols = best_stable(np.zeros((2, 0)), np.zeros((2, 0)), objective="egalitarian")
    assert rows.size == cols.size == 0


# --------------------------------------------------------------------------
# best_stable: optimal for each objective
# --------------------------------------------------------------------------


@pytest.mark.parametrize("objective", ["total", "egalitarian", "regret"])
@given(inst=st_lattice_instance(), data=st.data())
def test_best_stable_is_a_stable_matching_best_for_its_objective(
    objective: str, inst: Instance, data: st.DataObject
) -> None:
    pu, ru, allowed, pcap, rcap = inst
    weights = data.draw(
        st.sampled_from(
            [
                pu + ru,
                np.round(np.sin(np.arange(pu.size)).reshape(pu.shape) * 7),
                np.exp(np.cos(np.arange(pu.size)).reshape(pu.shape) * 20),
            ]
        )
    )
    kwargs = {"weights": weights} if objective == "total" else {}
    rows, cols = best_stable(
        pu,
        ru,
        objective=objective,
        allowed=allowed,
        proposer_capacity=pcap,
        receiver_capacity=rcap,
        **kwargs,
    )
    got = as_set(rows, cols)
    assert got in reference(inst)
    best = best_of(inst, objective, weights)
    value = value_of(inst, objective, weights, got)
    assert value == pytest.approx(best, rel=1e-12, abs=1e-12)


@given(st_lattice_instance())
def test_default_weights_are_the_sum_of_both_utilities(inst: Instance) -> None:
    pu, ru, allowed, pcap, rcap = inst
    kw: dict[str, Any] = {"allowed": allowed, "proposer_capacity": pcap, "receiver_capacity": rcap}
    default = best_stable(pu, ru, **kw)
    explicit = best_stable(pu, ru, weights=pu + ru, **kw)
    # Both are optimal for the same weights (up to the rounding of pu + ru).
    assert value_of(inst, "total", pu + ru, as_set(*default)) == pytest.approx(
        value_of(inst, "total", pu + ru, as_set(*explicit))
    )


@given(st_lattice_instance(max_side=4))
def test_ties_go_to_the_proposer_best_optimum(inst: Instance) -> None:
    # With all weights equal every stable matching is optimal, and the one
    # returned is the proposer-optimal one.
    pu, ru, allowed, pcap, rcap = inst
    kw: dict[str, Any] = {"allowed": allowed, "proposer_capacity": pcap, "receiver_capacity": rcap}
    got = best_stable(pu, ru, weights=np.ones(pu.shape), **kw)
    expected = gale_shapley(pu, ru, **kw)
    assert as_set(*got) == as_set(*expected)


def test_total_is_exact_where_float_sums_tie() -> None:
    # Two stable matchings: the rows' {(0,0),(1,1)} and the columns'
    # {(0,1),(1,0)}. In floats both totals round to 1e16 + 2, a tie that
    # would keep the rows' matching; exactly, 1e16 + 1.75 beats 1e16 + 1.5.
    pu = np.array([[2.0, 1.0], [1.0, 2.0]])
    ru = np.array([[1.0, 2.0], [2.0, 1.0]])
    weights = np.array([[1e16, 1e16 + 2], [-0.25, 1.5]])
    assert weights[0, 0] + weights[1, 1] == weights[0, 1] + weights[1, 0]
    rows, cols = best_stable(pu, ru, weights=weights)
    assert as_set(rows, cols) == {(0, 1), (1, 0)}


def test_total_with_weights_of_every_magnitude() -> None:
    pu = np.array([[2.0, 1.0], [1.0, 2.0]])
    ru = np.array([[1.0, 2.0], [2.0, 1.0]])
    weights = np.array([[1e300, 1e-300], [5e-324, -1e300]])
    # Rows' matching: 1e300 - 1e300 = 0; columns': 1e-300 + 5e-324 > 0.
    rows, cols = best_stable(pu, ru, weights=weights)
    assert as_set(rows, cols) == {(0, 1), (1, 0)}


@pytest.mark.parametrize("seed", [3, 4])
def test_larger_instances_best_stable_beats_every_listed_matching(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    pu, ru = rng.random((n, n)), rng.random((n, n))
    weights = rng.random((n, n))
    matchings = [as_set(r, c) for r, c in stable_matchings(pu, ru)]
    inst: Instance = (pu, ru, None, None, None)
    best = as_set(*best_stable(pu, ru, weights=weights))
    assert best in matchings
    assert value_of(inst, "total", weights, best) == pytest.approx(
        min(value_of(inst, "total", weights, m) for m in matchings)
    )
    for objective in ("egalitarian", "regret"):
        got = as_set(*best_stable(pu, ru, objective=objective))
        assert value_of(inst, objective, weights, got) == min(
            value_of(inst, objective, weights, m) for m in matchings
        )


@given(st_lattice_instance(max_side=4))
def test_deterministic_and_inputs_untouched(inst: Instance) -> None:
    pu, ru, allowed, pcap, rcap = inst
    copies = [None if x is None else x.copy() for x in inst]
    kw: dict[str, Any] = {"allowed": allowed, "proposer_capacity": pcap, "receiver_capacity": rcap}
    for objective in ("total", "egalitarian", "regret"):
        a = best_stable(pu, ru, objective=objective, **kw)
        b = best_stable(pu, ru, objective=objective, **kw)
        assert all(x.dtype == np.intp for x in a)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert np.all(np.diff(a[0]) >= 0)
    first = [(r.tolist(), c.tolist()) for r, c in stable_matchings(pu, ru, **kw)]
    second = [(r.tolist(), c.tolist()) for r, c in stable_matchings(pu, ru, **kw)]
    assert first == second
    for before, after in zip(copies, inst, strict=True):
        if before is not None:
            assert after is not None
            np.testing.assert_array_equal(before, after)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


def test_capacities_above_one_on_both_sides_are_refused() -> None:
    pu = np.ones((2, 2))
    with pytest.raises(InvalidInputError, match="'proposer_capacity' and 'receiver_capacity'"):
        best_stable(pu, pu, proposer_capacity=2, receiver_capacity=2)
    with pytest.raises(InvalidInputError, match="on one side at most"):
        stable_matchings(pu, pu, proposer_capacity=[2, 1], receiver_capacity=[1, 2])


def test_capacities_clipped_to_partners_may_be_above_one_on_both_sides_nominally() -> None:
    # Row 0 may take two but has one allowed column: one-sided after clipping.
    pu = np.ones((2, 2))
    allowed = np.array([[True, False], [True, True]])
    found = list(
        stable_matchings(pu, pu, allowed=allowed, proposer_capacity=[2, 1], receiver_capacity=2)
    )
    assert len(found) >= 1


def test_best_stable_rejects_an_unknown_objective() -> None:
    with pytest.raises(
        InvalidInputError, match="parameter 'objective' of best_stable: expected one of"
    ):
        best_stable(np.ones((2, 2)), np.ones((2, 2)), objective="fair")


def test_best_stable_rejects_weights_with_a_rank_objective() -> None:
    with pytest.raises(InvalidInputError, match="parameter 'weights' of best_stable"):
        best_stable(np.ones((2, 2)), np.ones((2, 2)), objective="regret", weights=np.ones((2, 2)))


def test_best_stable_rejects_weights_of_another_shape() -> None:
    with pytest.raises(InvalidInputError, match=r"parameter 'weights' of best_stable.*\(2, 3\)"):
        best_stable(np.ones((2, 2)), np.ones((2, 2)), weights=np.ones((2, 3)))


def test_best_stable_rejects_non_finite_weights() -> None:
    with pytest.raises(InvalidInputError, match="parameter 'weights' of best_stable"):
        best_stable(np.ones((2, 2)), np.ones((2, 2)), weights=np.array([[1, np.nan], [0, 0]]))


def test_stable_matchings_checks_its_inputs_when_called() -> None:
    with pytest.raises(
        InvalidInputError, match="parameter 'receiver_utility' of stable_matchings"
    ):
        stable_matchings(np.ones((2, 2)), np.ones((2, 3)))
