"""Fuzz the stable-matching solver and its checkers against brute force.

Each example draws every feature together: sides 0-7; float (tiny, unit and
huge), integer, tied or all-equal utilities, negative ones too, and rows that
rank the columns alike (some of them seeing the order in coarser levels);
forbidden pairs; capacities 0-3 on neither, one or both sides. The oracle (``tests/oracles.py``) enumerates every matching of the
tie-broken market, keeps the stable ones and picks each side's best, with no
solver of its own; to keep it small, an example with a capacity above one
keeps at most ``MAX_BRUTE_PAIRS`` allowed pairs (the rest are forbidden),
which still reaches every side length.

``gale_shapley`` is checked with the rows proposing and with the columns
proposing (the transposed call), and through every internal route of the
solver (short prefixes, scans, column groups, the route for rows that share
one order) by calling ``stable._solve`` with small parameters. The ``ci``
profile runs 1,000 examples a property, enough to meet a defect that shows on
0.5 % of inputs with probability above 99 %; ``thorough`` runs ten times as
many.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import mentormatch.solvers.stable as stable_module
from mentormatch.solvers import blocking_pairs, gale_shapley, is_stable
from tests.oracles import (
    Instance,
    Pair,
    brute_blocking,
    caps_of,
    mask_of,
    optimal_stable,
    strict_preferences,
)
from tests.strategies import fuzz_examples

MAX_BRUTE_PAIRS = 14

# Keywords of stable._solve that make small instances take every route:
# prefixes of 0-2 columns, scans handing out 1-3, groups of 1-3 columns,
# rounds of scans down to one waiting row, and with or without the route
# for rows that share one order.
ROUTES: list[dict[str, Any]] = [
    {"prefix": 0, "batch": 1, "group": 1, "by_order": False, "few": 0},
    {"prefix": 0, "batch": 2, "group": 2, "by_order": False},
    {"prefix": 1, "batch": 1, "group": 1, "by_order": False, "few": 0},
    {"prefix": 1, "batch": 3, "group": 2, "by_order": False},
    {"prefix": 2, "batch": 1, "group": 3, "by_order": False, "few": 1},
    {"prefix": 16, "batch": 16, "by_order": False},
    {"prefix": 16, "batch": 16, "by_order": True},
]


def _utilities(kind: str, shape: tuple[int, int], rng: np.random.Generator) -> NDArray[np.float64]:
    n, m = shape
    if kind == "float":
        return rng.uniform(-1.0, 1.0, shape) * float(rng.choice([1.0, 1e-6, 1e6]))
    if kind == "integer":
        return rng.integers(-3, 4, shape).astype(np.float64)
    if kind == "tied":
        return rng.choice([-1.0, 0.0, 0.5], shape)
    if kind == "equal":
        return np.full(shape, float(rng.choice([-2.0, 0.0, 3.5])))
    if kind == "alike":
        # Every row ranks the columns in one order (ties included), with its
        # own positive scale and shift.
        common = rng.integers(-3, 4, m).astype(np.float64)
        return common * rng.uniform(0.5, 2.0, (n, 1)) + rng.integers(-2, 3, (n, 1))
    # "coarser": one strict order, which some rows see in coarser levels: their
    # ties, broken by column, may then disagree with the rows that see it whole.
    levels = rng.permutation(m).astype(np.float64)
    return np.floor(levels / rng.integers(1, 4, (n, 1)))


@st.composite
def st_market(draw: st.DrawFn) -> Instance:
    """A two-sided market mixing every feature, small enough for the oracle."""
    n, m = draw(st.integers(0, 7)), draw(st.integers(0, 7))
    kinds = st.sampled_from(["float", "integer", "tied", "equal", "alike", "coarser"])
    proposer_kind, receiver_kind = draw(kinds), draw(kinds)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    pu = _utilities(proposer_kind, (n, m), rng)
    ru = _utilities(receiver_kind, (n, m), rng)
    sides = draw(st.sampled_from(["neither", "rows", "cols", "both"]))
    pcap = rng.integers(0, 4, n) if sides in ("rows", "both") else None
    rcap = rng.integers(0, 4, m) if sides in ("cols", "both") else None
    density = draw(st.sampled_from([1.0, 1.0, 0.8, 0.4]))
    allowed = rng.random((n, m)) < density
    several = any(c is not None and c.size and c.max() > 1 for c in (pcap, rcap))
    cells = np.flatnonzero(allowed)
    if several and cells.size > MAX_BRUTE_PAIRS:
        allowed = np.zeros((n, m), dtype=bool)
        allowed.flat[rng.choice(cells, MAX_BRUTE_PAIRS, replace=False)] = True
    return pu, ru, None if allowed.all() else allowed, pcap, rcap


def _pairs(rows: NDArray[np.intp], cols: NDArray[np.intp]) -> set[Pair]:
    return set(zip(rows.tolist(), cols.tolist(), strict=True))


def _assert_a_matching(rows: NDArray[np.intp], cols: NDArray[np.intp], inst: Instance) -> None:
    pu, _, allowed, pcap, rcap = inst
    n, m = pu.shape
    assert rows.dtype == cols.dtype == np.intp
    keys = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert keys == sorted(set(keys))  # rows ascending, then columns; no pair twice
    assert all(mask_of(allowed, (n, m))[i, j] for i, j in keys)
    assert np.all(np.bincount(rows, minlength=n) <= caps_of(pcap, n))
    assert np.all(np.bincount(cols, minlength=m) <= caps_of(rcap, m))


def _transposed(inst: Instance) -> Instance:
    pu, ru, allowed, pcap, rcap = inst
    return ru.T, pu.T, None if allowed is None else allowed.T, rcap, pcap


@settings(max_examples=fuzz_examples(1000))
@given(st_market())
def test_each_side_proposing_gets_its_best_stable_matching(inst: Instance) -> None:
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    rows_best, cols_best = optimal_stable(inst)
    strict = strict_preferences(inst)

    rows, cols = gale_shapley(
        pu, ru, allowed=allowed, proposer_capacity=pcap, receiver_capacity=rcap
    )
    _assert_a_matching(rows, cols, inst)
    found = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert list(brute_blocking(found, strict)) == []  # stable for the tie-broken preferences
    assert list(brute_blocking(found, inst)) == []  # hence weakly stable for the originals
    assert set(found) == rows_best

    # The columns propose: the transposed call, read back.
    t_rows, t_cols = gale_shapley(
        ru.T,
        pu.T,
        allowed=None if allowed is None else allowed.T,
        proposer_capacity=rcap,
        receiver_capacity=pcap,
    )
    _assert_a_matching(t_rows, t_cols, _transposed(inst))
    assert _pairs(t_cols, t_rows) == cols_best

    row_cap = np.asarray(caps_of(pcap, n), dtype=np.int64)
    col_cap = np.asarray(caps_of(rcap, m), dtype=np.int64)
    for route in ROUTES:
        found_by = stable_module._solve(pu, ru, allowed, row_cap, col_cap, **route)
        assert _pairs(*found_by) == rows_best, route


def _random_matching(inst: Instance, seed: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Any matching within the mask and capacities: allowed pairs kept at random."""
    pu, _, allowed, pcap, rcap = inst
    n, m = pu.shape
    rng = np.random.default_rng(seed)
    row_left, col_left = caps_of(pcap, n), caps_of(rcap, m)
    keep = rng.random()
    chosen: list[Pair] = []
    for cell in rng.permutation(np.flatnonzero(mask_of(allowed, (n, m)))).tolist():
        i, j = divmod(cell, m)
        if row_left[i] and col_left[j] and rng.random() < keep:
            row_left[i] -= 1
            col_left[j] -= 1
            chosen.append((i, j))
    chosen.sort()
    return (
        np.asarray([i for i, _ in chosen], dtype=np.intp),
        np.asarray([j for _, j in chosen], dtype=np.intp),
    )


@settings(max_examples=fuzz_examples(1000))
@given(st_market(), st.integers(0, 2**32 - 1))
def test_blocking_pairs_and_is_stable_follow_the_definition(inst: Instance, seed: int) -> None:
    pu, ru, allowed, pcap, rcap = inst
    kwargs: dict[str, Any] = {
        "allowed": allowed,
        "proposer_capacity": pcap,
        "receiver_capacity": rcap,
    }
    # Any feasible matching, and the solver's (which must have no blocking pair).
    candidates = [_random_matching(inst, seed), gale_shapley(pu, ru, **kwargs)]
    for rows, cols in candidates:
        pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
        expected = sorted(brute_blocking(pairs, inst))
        found = blocking_pairs(rows, cols, pu, ru, **kwargs)
        assert found.dtype == np.intp
        assert found.shape == (len(expected), 2)
        assert [tuple(p) for p in found.tolist()] == expected
        assert is_stable(rows, cols, pu, ru, **kwargs) is (not expected)
    assert is_stable(*candidates[1], pu, ru, **kwargs)
