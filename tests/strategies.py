"""Named hypothesis strategies shared by the test suite."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray


def fuzz_examples(ci: int) -> int:
    """How many examples a fuzz property runs under the loaded profile.

    ``ci`` under the ``default`` and ``ci`` profiles (choose it so that a
    defect showing on 0.5 % of inputs is met: 1,000 examples miss it with
    probability 0.7 %), ten times as many under ``thorough``. Use it as
    ``@settings(max_examples=fuzz_examples(1000))``.
    """
    return ci * (10 if settings().max_examples >= 1000 else 1)


@st.composite
def st_shape(draw: st.DrawFn, max_side: int = 7, min_side: int = 1) -> tuple[int, int]:
    """A (n_rows, n_cols) shape, square or rectangular."""
    return (
        draw(st.integers(min_side, max_side)),
        draw(st.integers(min_side, max_side)),
    )


def st_weights(
    shape: tuple[int, int], *, ties: bool = True
) -> st.SearchStrategy[NDArray[np.float64]]:
    """A finite float matrix; with ``ties`` the values come from a small set."""
    elements = (
        st.integers(0, 4).map(float)
        if ties
        else st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=32)
    )
    return hnp.arrays(np.float64, shape, elements=elements)


def st_allowed(shape: tuple[int, int]) -> st.SearchStrategy[NDArray[np.bool_]]:
    """A boolean mask of forbidden pairs, mostly allowed."""
    return hnp.arrays(np.bool_, shape, elements=st.sampled_from([True, True, True, False]))


def st_capacities(n: int, max_capacity: int = 3) -> st.SearchStrategy[NDArray[np.int64]]:
    """Non-negative integer capacities, one per row or column."""
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, max_capacity))


@st.composite
def st_strict_utilities(draw: st.DrawFn, shape: tuple[int, int]) -> NDArray[np.float64]:
    """A utility matrix with no ties within any row (strict preferences)."""
    n, m = shape
    rows = [draw(st.permutations(range(m))) for _ in range(n)]
    return np.asarray(rows, dtype=np.float64).reshape(n, m)


@st.composite
def st_assignment_problem(
    draw: st.DrawFn, max_side: int = 7, *, capacities: bool = False, max_capacity: int = 3
) -> tuple[
    NDArray[np.float64],
    NDArray[np.bool_] | None,
    NDArray[np.int64] | None,
    NDArray[np.int64] | None,
]:
    """``(weights, allowed, row_capacity, col_capacity)`` for the assignment solvers.

    ``allowed`` is sometimes ``None``; the capacities are ``None`` (unit)
    unless ``capacities`` is set. Weights are drawn with and without ties.
    """
    shape = draw(st_shape(max_side=max_side))
    weights = draw(st_weights(shape, ties=draw(st.booleans())))
    allowed = draw(st.none() | st_allowed(shape))
    if not capacities:
        return weights, allowed, None, None
    return (
        weights,
        allowed,
        draw(st_capacities(shape[0], max_capacity)),
        draw(st_capacities(shape[1], max_capacity)),
    )


@st.composite
def st_stable_instance(
    draw: st.DrawFn,
    max_side: int = 6,
    *,
    strict: bool = False,
    mask: bool = True,
    proposer_capacity: bool = False,
    receiver_capacity: bool = False,
    max_capacity: int = 2,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.bool_] | None,
    NDArray[np.int64] | None,
    NDArray[np.int64] | None,
]:
    """``(proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity)``.

    For the stable-matching solvers. With ``strict`` every row ranks the
    columns strictly and every column the rows; otherwise utilities are drawn
    with and without ties. ``allowed`` is sometimes ``None`` when ``mask`` is
    set (always ``None`` otherwise); a capacity is ``None`` (unit) unless asked for.
    """
    shape = draw(st_shape(max_side=max_side))
    n, m = shape
    if strict:
        proposer = draw(st_strict_utilities(shape))
        receiver = np.ascontiguousarray(draw(st_strict_utilities((m, n))).T)
    else:
        ties = draw(st.booleans())
        proposer = draw(st_weights(shape, ties=ties))
        receiver = draw(st_weights(shape, ties=ties))
    allowed = draw(st.none() | st_allowed(shape)) if mask else None
    row_cap = draw(st_capacities(n, max_capacity)) if proposer_capacity else None
    col_cap = draw(st_capacities(m, max_capacity)) if receiver_capacity else None
    return proposer, receiver, allowed, row_cap, col_cap


@st.composite
def st_feasible_matching(
    draw: st.DrawFn,
    allowed: NDArray[np.bool_] | None,
    shape: tuple[int, int],
    row_capacity: NDArray[np.int64] | None = None,
    col_capacity: NDArray[np.int64] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Any ``(rows, cols)`` matching that respects ``allowed`` and the capacities.

    Not optimal nor stable in any sense: each allowed pair, in a random order,
    is kept or skipped at random while capacity remains.
    """
    n, m = shape
    row_left = [1] * n if row_capacity is None else row_capacity.tolist()
    col_left = [1] * m if col_capacity is None else col_capacity.tolist()
    pairs = [(i, j) for i in range(n) for j in range(m) if allowed is None or allowed[i, j]]
    chosen: list[tuple[int, int]] = []
    for i, j in draw(st.permutations(pairs)):
        if row_left[i] > 0 and col_left[j] > 0 and draw(st.booleans()):
            row_left[i] -= 1
            col_left[j] -= 1
            chosen.append((i, j))
    chosen.sort()
    rows = np.asarray([i for i, _ in chosen], dtype=np.intp)
    cols = np.asarray([j for _, j in chosen], dtype=np.intp)
    return rows, cols
