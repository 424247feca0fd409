"""(stub) checkers: to be written."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["blocking_pairs", "is_stable"]


def blocking_pairs(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> NDArray[np.intp]:
    """Stub."""
    raise NotImplementedError


def is_stable(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> bool:
    """Stub."""
    raise NotImplementedError
