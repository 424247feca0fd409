"""Loops compiled with numba when it is installed (the optional ``fast`` extra).

Every compiled loop in the solvers is plain Python over numpy arrays that
numba can compile unchanged; :func:`compiled` returns the compiled form, or
None when numba is not installed or cannot be imported (say, built for
another numpy), and the caller then takes its numpy or plain-Python route.
Importing this module does not import numba.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import cache
from typing import Any

__all__ = ["compiled"]


@cache
def _numba() -> Any:
    if importlib.util.find_spec("numba") is None:
        return None
    try:
        import numba
    except ImportError:  # installed but unusable: the uncompiled routes
        return None
    return numba


@cache
def compiled(loop: Callable[..., Any]) -> Callable[..., Any] | None:
    """``loop`` compiled with numba (``nogil``, cached on disk), or None without numba."""
    numba = _numba()
    if numba is None:
        return None
    result: Callable[..., Any] = numba.njit(cache=True, nogil=True)(loop)
    return result
