"""Every check of user input, with one message style.

Messages read ``"<where>: expected <what>, got <what arrived>."``, where
*where* names the parameter (``parameter 'weights' of hungarian``) or the
table cell (``students table, row 's03', column 'capacity'``). :func:`fail`
builds every one of them.

Checks are declared, not written by hand: a closed set of strings goes
through :func:`check_option`; a number through :func:`check_number` with an
:class:`Interval` (in the spirit of scikit-learn's ``Interval``: the kind of
number, the bounds, which ends are closed); a mapping of names to numbers
through :func:`check_number_map`. Numpy scalars (``np.float32(0.5)``,
``np.int64(3)``) are numbers; ``bool`` is not.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch.exceptions import InvalidInputError

__all__ = [
    "NON_NEGATIVE",
    "NON_NEGATIVE_INT",
    "POSITIVE",
    "POSITIVE_INT",
    "UNIT",
    "Interval",
    "as_bool_mask",
    "as_capacity",
    "as_float_dtype",
    "as_generator",
    "as_matrix",
    "check_flag",
    "check_instance",
    "check_number",
    "check_number_map",
    "check_option",
    "describe",
    "fail",
    "is_missing",
    "listed",
    "param_where",
    "table_where",
]


def describe(value: Any) -> str:
    """A short, safe description of a value for an error message."""
    if isinstance(value, np.ndarray):
        return f"a {value.shape} array" if value.ndim != 0 else f"{value.item()!r}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, (bool, int, float, np.generic)) or value is None:
        return repr(value.item() if isinstance(value, np.generic) else value)
    return f"a {type(value).__name__}"


def is_missing(value: Any) -> bool:
    """Whether a cell is empty: None, pandas' NA or NaT, or a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and bool(np.isnan(value))


def param_where(name: str, owner: str) -> str:
    """Where-phrase for a function parameter."""
    return f"parameter {name!r} of {owner}"


def table_where(table: str, row: Hashable | None = None, column: str | None = None) -> str:
    """Where-phrase for a table cell, row or column."""
    parts = [f"{table} table"]
    if row is not None:
        parts.append(f"row {row!r}" if not isinstance(row, int) else f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


def fail(where: str, expected: str, got: str) -> InvalidInputError:
    """Build the error for one failed check (the caller raises it)."""
    return InvalidInputError(f"{where}: expected {expected}, got {got}.")


def listed(options: Collection[str]) -> str:
    """A set of names for a message: ``{'a', 'b'}``, sorted."""
    return "{" + ", ".join(repr(o) for o in sorted(options)) + "}"


def check_option(value: Any, name: str, owner: str, options: Collection[str]) -> str:
    """Check that ``value`` is one of a closed set of strings.

    "parameter 'method' of match: expected one of {'hungarian', 'maxmin',
    'stable'}, got 'hungarain'."
    """
    if not isinstance(value, str) or value not in options:
        raise fail(param_where(name, owner), f"one of {listed(options)}", describe(value))
    return value


@dataclass(frozen=True)
class Interval:
    """The numbers a parameter accepts: their kind and a range.

    ``kind`` is :class:`numbers.Real` (any finite real number) or
    :class:`numbers.Integral` (integers only); ``low`` and ``high`` bound the
    range (``None``: unbounded) and ``closed`` says which bounds belong to it.
    NaN and infinities are never accepted, nor are booleans.
    """

    kind: type[Real] | type[Integral]
    low: float | None = None
    high: float | None = None
    closed: Literal["both", "left", "right", "neither"] = "both"

    def __contains__(self, value: object) -> bool:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, self.kind):
            return False
        try:
            number = float(value)
        except OverflowError:  # an int beyond float, such as 10**400
            return False
        if not math.isfinite(number):
            return False
        if self.low is not None:
            left_closed = self.closed in ("both", "left")
            if number < self.low or (number == self.low and not left_closed):
                return False
        if self.high is not None:
            right_closed = self.closed in ("both", "right")
            if number > self.high or (number == self.high and not right_closed):
                return False
        return True

    @property
    def expected(self) -> str:
        """What the message says is expected, e.g. "a number in [0, 1)"."""
        noun = "an integer" if self.kind is Integral else "a number"
        left_closed = self.closed in ("both", "left")
        if self.high is None and self.low == 0:
            adjective = "non-negative" if left_closed else "positive"
            return f"a {adjective} {'integer' if self.kind is Integral else 'number'}"
        if self.high is None and self.low == 1 and left_closed and self.kind is Integral:
            return "a positive integer"
        if self.low is None and self.high is None:
            return noun
        if self.high is None:
            return f"{noun} {'>=' if left_closed else '>'} {_num(self.low)}"
        if self.low is None:
            return f"{noun} {'<=' if self.closed in ('both', 'right') else '<'} {_num(self.high)}"
        left = "[" if left_closed else "("
        right = "]" if self.closed in ("both", "right") else ")"
        return f"{noun} in {left}{_num(self.low)}, {_num(self.high)}{right}"


def _num(bound: float | None) -> str:
    return f"{bound:g}" if bound is not None else ""


#: The intervals most parameters use.
UNIT: Interval = Interval(Real, 0, 1)
NON_NEGATIVE: Interval = Interval(Real, 0, None)
POSITIVE: Interval = Interval(Real, 0, None, closed="neither")
NON_NEGATIVE_INT: Interval = Interval(Integral, 0, None)
POSITIVE_INT: Interval = Interval(Integral, 1, None)


def check_number(value: Any, where: str, interval: Interval) -> Any:
    """``value`` as a Python ``int`` or ``float`` when it lies in ``interval``, else an error.

    ``where`` is a where-phrase (:func:`param_where`, :func:`table_where`, or
    one with a key appended).
    """
    if value not in interval:
        raise fail(where, interval.expected, describe(value))
    return int(value) if interval.kind is Integral else float(value)


def check_number_map(
    values: Any, where: str, interval: Interval, keys: Collection[str] | None = None
) -> dict[str, float]:
    """A mapping of names to numbers in ``interval`` (names from ``keys`` when given)."""
    if not isinstance(values, Mapping):
        raise fail(where, "a mapping of names to numbers", describe(values))
    out: dict[str, float] = {}
    for key, value in values.items():
        if keys is not None and key not in keys:
            raise fail(where, f"names from {listed(keys)}", describe(key))
        out[str(key)] = float(check_number(value, f"{where}, key {key!r}", interval))
    return out


def check_instance(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    """``value`` when it is an instance of ``kind``; else an error saying ``what`` is expected."""
    if not isinstance(value, kind):
        raise fail(where, what, describe(value))
    return value


def check_flag(value: Any, where: str, *, none: bool = False) -> Any:
    """``value`` as a bool when it is True or False (or None, when ``none``)."""
    if none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        raise fail(where, "True, False or None" if none else "True or False", describe(value))
    return bool(value)


def as_generator(value: Any, where: str) -> np.random.Generator:
    """:func:`numpy.random.default_rng` of ``value``, its errors named by ``where``."""
    try:
        return np.random.default_rng(value)
    except (TypeError, ValueError):
        raise fail(
            where,
            "None, a non-negative int seed, a SeedSequence, a BitGenerator or a Generator",
            describe(value),
        ) from None


def as_float_dtype(value: Any, where: str) -> np.dtype[np.floating[Any]]:
    """float32 or float64, given as a name, a numpy type or a dtype."""
    dtype: np.dtype[Any] | None = None
    if value is not None:  # np.dtype(None) would be float64
        with contextlib.suppress(TypeError):
            dtype = np.dtype(value)
    if dtype is None or dtype.kind != "f" or dtype.itemsize not in (4, 8):
        raise fail(where, "float32 or float64", describe(value))
    return cast("np.dtype[np.floating[Any]]", dtype)


def as_matrix(value: ArrayLike, name: str, owner: str) -> NDArray[np.float64]:
    """A finite float matrix (2-D array), or an error naming the parameter."""
    where = param_where(name, owner)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise fail(where, "a matrix of real numbers", describe(value)) from None
    # Booleans and complex numbers would convert silently (or with a warning).
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            try:
                raw = raw.astype(np.float64)
            except (TypeError, ValueError):
                raise fail(where, "a matrix of real numbers", describe(value)) from None
        else:
            raise fail(where, "a matrix of real numbers", f"an array of dtype {raw.dtype}")
    arr = raw.astype(np.float64, copy=False)
    if arr.ndim != 2:
        raise fail(where, "a matrix (2-D array)", describe(arr))
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise fail(
            where,
            "finite values (use 'allowed' to forbid pairs)",
            f"{arr[tuple(bad)]} at [{bad[0]}, {bad[1]}]",
        )
    return arr


def as_bool_mask(
    value: ArrayLike | None, name: str, owner: str, shape: tuple[int, int]
) -> NDArray[np.bool_] | None:
    """A boolean mask of the given shape (``None`` passes through)."""
    if value is None:
        return None
    where = param_where(name, owner)
    arr = np.asarray(value)
    if arr.dtype != np.bool_:
        raise fail(where, "a boolean mask", f"an array of dtype {arr.dtype}")
    if arr.shape != shape:
        raise fail(where, f"shape {shape}", f"shape {arr.shape}")
    return arr


def as_capacity(value: ArrayLike | None, name: str, owner: str, n: int) -> NDArray[np.int64]:
    """Non-negative integer capacities, one per row or column (default 1).

    A scalar is broadcast to all ``n`` entries.
    """
    if value is None:
        return np.ones(n, dtype=np.int64)
    where = param_where(name, owner)
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise fail(where, f"a scalar or shape ({n},)", f"shape {arr.shape}")
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        raise fail(where, "non-negative integers", f"an array of dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
        bad = int(np.flatnonzero(~np.isfinite(arr) | (arr != np.round(arr)))[0])
        raise fail(where, "non-negative integers", f"{arr[bad]} at [{bad}]")
    if np.any(arr < 0):
        bad = int(np.flatnonzero(arr < 0)[0])
        raise fail(where, "non-negative integers", f"{arr[bad]} at [{bad}]")
    return arr.astype(np.int64)
