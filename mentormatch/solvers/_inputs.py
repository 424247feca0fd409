"""The input checks that the solvers and their checkers share (one place for each kind)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._validation import (
    as_bool_mask,
    as_capacity,
    as_matrix,
    describe,
    fail,
    param_where,
)

__all__ = ["as_indices", "assignment_inputs", "matrix_like_utility", "two_sided_inputs"]


def assignment_inputs(
    weights: ArrayLike,
    allowed: ArrayLike | None,
    row_capacity: ArrayLike | None,
    col_capacity: ArrayLike | None,
    owner: str,
) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None, NDArray[np.int64], NDArray[np.int64]]:
    """The weights, the mask and both capacities of an assignment solver, checked."""
    w = as_matrix(weights, "weights", owner)
    n_rows, n_cols = w.shape
    mask = as_bool_mask(allowed, "allowed", owner, (n_rows, n_cols))
    row_cap = as_capacity(row_capacity, "row_capacity", owner, n_rows)
    col_cap = as_capacity(col_capacity, "col_capacity", owner, n_cols)
    return w, mask, row_cap, col_cap


def two_sided_inputs(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    allowed: ArrayLike | None,
    proposer_capacity: ArrayLike | None,
    receiver_capacity: ArrayLike | None,
    owner: str,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.bool_] | None,
    NDArray[np.int64],
    NDArray[np.int64],
]:
    """Both utilities (same shape), the mask and both sides' capacities, checked."""
    pu = as_matrix(proposer_utility, "proposer_utility", owner)
    ru = matrix_like_utility(receiver_utility, "receiver_utility", owner, pu.shape)
    n_rows, n_cols = pu.shape
    mask = as_bool_mask(allowed, "allowed", owner, (n_rows, n_cols))
    row_cap = as_capacity(proposer_capacity, "proposer_capacity", owner, n_rows)
    col_cap = as_capacity(receiver_capacity, "receiver_capacity", owner, n_cols)
    return pu, ru, mask, row_cap, col_cap


def matrix_like_utility(
    value: ArrayLike, name: str, owner: str, shape: tuple[int, ...]
) -> NDArray[np.float64]:
    """A finite matrix of the shape of ``proposer_utility``, checked."""
    matrix = as_matrix(value, name, owner)
    if matrix.shape != shape:
        raise fail(
            param_where(name, owner),
            f"the shape of parameter 'proposer_utility', {shape}",
            f"shape {matrix.shape}",
        )
    return matrix


def as_indices(value: ArrayLike, name: str, owner: str, n: int) -> NDArray[np.intp]:
    """A 1-D array of indices in ``range(n)``."""
    where = param_where(name, owner)
    arr = np.asarray(value)
    if arr.ndim != 1:
        raise fail(where, "a 1-D array of indices", describe(arr))
    if arr.size == 0:
        return np.empty(0, dtype=np.intp)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise fail(where, "integer indices", f"an array of dtype {arr.dtype}")
    bad = np.flatnonzero((arr < 0) | (arr >= n))
    if bad.size:
        k = int(bad[0])
        raise fail(where, f"indices in [0, {n})", f"{arr[k]} at [{k}]")
    return arr.astype(np.intp, copy=False)
