"""Small array helpers shared by the criteria, the rules and the metrics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["codes", "incidence", "row_blocks"]


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


def row_blocks(n_rows: int, n_cols: int, size: int = 1 << 16) -> Iterator[slice]:
    """Slices of rows holding about ``size`` entries each (cache-sized work)."""
    step = max(1, size // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))
