"""Small array helpers shared by the criteria, the rules and the metrics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["codes", "incidence", "overlap", "paired_overlap", "row_blocks"]


def codes(values: Sequence[Any], vocabulary: dict[Any, int]) -> NDArray[np.intp]:
    """Integer code of each value, growing ``vocabulary`` as new values appear."""
    return np.fromiter(
        (vocabulary.setdefault(v, len(vocabulary)) for v in values),
        dtype=np.intp,
        count=len(values),
    )


def incidence(sets: Sequence[Sequence[Any]], vocabulary: dict[Any, int]) -> NDArray[np.bool_]:
    """A person x item boolean matrix (columns follow ``vocabulary``, filled beforehand)."""
    matrix = np.zeros((len(sets), len(vocabulary)), dtype=np.bool_)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    cols = np.fromiter(
        (vocabulary[item] for items in sets for item in items), dtype=np.intp, count=len(rows)
    )
    matrix[rows, cols] = True
    return matrix


def overlap(
    left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]], dtype: Any = np.float64
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """How many items each set of ``left`` shares with each set of ``right``.

    Returns the ``(len(left), len(right))`` counts and the two sides' set
    sizes, all of ``dtype``: one product of the two incidence matrices, exact
    while a count fits the dtype's integers (2**24 for float32; sets here hold
    a handful of items).
    """
    vocabulary: dict[Any, int] = {}
    for items in (*left, *right):
        codes(items, vocabulary)
    a = incidence(left, vocabulary).astype(dtype)
    b = incidence(right, vocabulary).astype(dtype)
    return a @ b.T, a.sum(1), b.sum(1)


def paired_overlap(
    left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]]
) -> NDArray[np.int64]:
    """How many items ``left[k]`` shares with ``right[k]``, for each k (aligned pairs)."""
    vocabulary: dict[Any, int] = {}
    for items in (*left, *right):
        codes(items, vocabulary)
    both = incidence(left, vocabulary) & incidence(right, vocabulary)
    counts: NDArray[np.int64] = both.sum(1, dtype=np.int64)
    return counts


def row_blocks(n_rows: int, n_cols: int, size: int = 1 << 16) -> Iterator[slice]:
    """Slices of rows holding about ``size`` entries each (cache-sized work)."""
    step = max(1, size // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))
