"""(stub) hungarian: to be written."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["hungarian"]


def hungarian(
    weights: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    row_capacity: ArrayLike | None = None,
    col_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Stub."""
    raise NotImplementedError
