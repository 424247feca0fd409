"""The one validation vocabulary: declared intervals, options and the message template."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Integral, Real
from typing import cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import criteria
from mentormatch._validation import (
    NON_NEGATIVE,
    NON_NEGATIVE_INT,
    POSITIVE,
    POSITIVE_INT,
    UNIT,
    Interval,
    check_number,
    check_number_map,
    check_option,
)
from mentormatch.exceptions import InvalidInputError


@pytest.mark.parametrize(
    ("interval", "inside", "outside", "expected"),
    [
        (UNIT, [0, 1, 0.5, np.float32(0.5), np.int8(1), Fraction(1, 3)],
         [-0.0001, 1.5, math.nan, "0.5", True, None, 1j], "a number in [0, 1]"),
        (Interval(Real, 0, 1, "left"), [0, 0.999], [1, 1.0, -1], "a number in [0, 1)"),
        (Interval(Real, 0, 1, "right"), [1, 0.001], [0, 2], "a number in (0, 1]"),
        (Interval(Real, -1, 1, "neither"), [0, -0.5], [-1, 1], "a number in (-1, 1)"),
        (NON_NEGATIVE, [0, 3, np.float64(1e300)], [-1, math.inf, -math.inf, False],
         "a non-negative number"),
        (POSITIVE, [1e-300, 2], [0, -1, math.inf], "a positive number"),
        (NON_NEGATIVE_INT, [0, 5, np.int64(7), np.uint8(2)], [-1, 1.0, 2.5, np.True_],
         "a non-negative integer"),
        (POSITIVE_INT, [1, np.int32(2)], [0, 1.0, True], "a positive integer"),
        (Interval(Integral, 2, 5), [2, 5], [1, 6, 3.0], "an integer in [2, 5]"),
        (Interval(Real, 0.5, None, "neither"), [0.6], [0.5], "a number > 0.5"),
        (Interval(Real, None, 3), [-1e9, 3], [3.5], "a number <= 3"),
        (Interval(Real), [0, -2.5], [math.nan, "x"], "a number"),
    ],
)  # fmt: skip
def test_interval_membership_and_wording(
    interval: Interval, inside: list[object], outside: list[object], expected: str
) -> None:
    assert interval.expected == expected
    for value in inside:
        assert value in interval, value
        got = check_number(value, "parameter 'x' of f", interval)
        assert type(got) is (int if interval.kind is Integral else float)
        assert got == float(value)  # type: ignore[arg-type]
    for value in outside:
        assert value not in interval, value
        with pytest.raises(
            InvalidInputError, match="^parameter 'x' of f: expected " + re.escape(expected) + ","
        ):
            check_number(value, "parameter 'x' of f", interval)


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(-2, 2), st.floats(-2, 2))
def test_interval_agrees_with_plain_comparisons(value: float, a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    for closed in ("both", "left", "right", "neither"):
        interval = Interval(Real, low, high, closed)
        above = value >= low if closed in ("both", "left") else value > low
        below = value <= high if closed in ("both", "right") else value < high
        assert (value in interval) == (math.isfinite(value) and above and below)


def test_check_option_uses_the_one_template() -> None:
    assert check_option("b", "mode", "f", ("a", "b")) == "b"
    with pytest.raises(
        InvalidInputError,
        match=r"^parameter 'mode' of f: expected one of \{'a', 'b'\}, got 'c'\.$",
    ):
        check_option("c", "mode", "f", ("b", "a"))
    with pytest.raises(InvalidInputError, match=r"got 3\.$"):
        check_option(3, "mode", "f", ("a",))


def test_check_number_map_names_the_key() -> None:
    assert check_number_map({"a": 1, "b": np.float32(0.5)}, "w", NON_NEGATIVE) == {
        "a": 1.0,
        "b": 0.5,
    }
    with pytest.raises(InvalidInputError, match=r"^w, key 'b': expected a non-negative number"):
        check_number_map({"a": 1, "b": -2}, "w", NON_NEGATIVE)
    with pytest.raises(InvalidInputError, match=r"^w: expected names from \{'a'\}, got 'z'"):
        check_number_map({"z": 1}, "w", NON_NEGATIVE, keys=("a",))
    with pytest.raises(InvalidInputError, match=r"^w: expected a mapping of names to numbers"):
        check_number_map([1, 2], "w", NON_NEGATIVE)


def test_numpy_scalars_are_numbers_everywhere() -> None:
    # criteria used to reject np.float32(0.5) as "expected a number in [0, 1], got 0.5".
    students = pd.DataFrame({"programme": ["Statsvetenskap"]})
    managers = pd.DataFrame({"unit": ["Kommunikation"], "seeking": [("Sociologi",)]})
    quarter, zero, one, four, three = (
        np.float32(0.25), np.float32(0.0), np.float32(1.0), np.int64(4), np.int32(3)
    )  # fmt: skip
    plain = criteria.programme(students, managers, partial=0.25)
    numpy = criteria.programme(students, managers, partial=cast(float, quarter))
    np.testing.assert_array_equal(plain, numpy)
    cohort = mm.make_cohort(cast(int, four), cast(int, three), avoid_rate=cast(float, zero), rng=0)
    assert (cohort.n_students, cohort.n_managers) == (4, 3)
    scorer = mm.Scorer(weights={"programme": cast(float, one)}, min_score=np.float64(0.1))
    assert scorer.weights["programme"] == 1.0


def test_compare_names_its_own_parameter() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=0))
    with pytest.raises(
        InvalidInputError, match=r"^parameter 'methods' of compare: expected one of .*got 'stabel'"
    ):
        mm.compare(scores, methods=["hungarian", "stabel"])
