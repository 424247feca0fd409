"""(stub) gale_shapley: to be written."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["gale_shapley"]


def gale_shapley(
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Stub."""
    raise NotImplementedError
