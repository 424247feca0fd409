"""Named hypothesis strategies shared by the test suite."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray


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
