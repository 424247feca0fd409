"""Inputs that once gave a silent wrong answer or a raw traceback now give a library error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.exceptions import InvalidInputError
from mentormatch.scoring import check_memory


@pytest.mark.parametrize("weight", [1e308, 10**400, float("inf")])
def test_weights_that_overflow(weight: float) -> None:
    # Used to: 1e308 made every total 0 (an arbitrary pairing); 10**400 an OverflowError.
    with pytest.raises(InvalidInputError, match=r"parameter 'weights' of Scorer"):
        mm.Scorer(weights={"programme": weight, "interests": weight})


def test_large_but_finite_weights_keep_their_ratio() -> None:
    cohort = mm.make_cohort(4, 4, rng=0)
    small = mm.Scorer(weights={"programme": 1, "interests": 3}).score(cohort)
    large = mm.Scorer(weights={"programme": 1e300, "interests": 3e300}).score(cohort)
    assert np.allclose(small.total, large.total)


@pytest.mark.parametrize("name", ["student_id", "manager_id", "score", "fixed", "reason"])
def test_criterion_named_like_a_pairs_column(name: str) -> None:
    # Used to: a criterion named student_id overwrote the ids in the pairs and the CSV.
    def constant(students: pd.DataFrame, managers: pd.DataFrame) -> np.ndarray:
        return np.full((len(students), len(managers)), 0.5)

    with pytest.raises(InvalidInputError, match=rf"key '{name}'.*not a column of the pairs"):
        mm.Scorer(criteria={name: constant})


def test_related_table_holding_text() -> None:
    related = pd.DataFrame({"klimat": ["close"]}, index=["demokrati"])
    students = pd.DataFrame({"id": ["s1"], "programme": ["P"], "interests": ["demokrati"]})
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["klimat"]})
    scorer = mm.Scorer(options={"interests": {"related": related}})
    with pytest.raises(InvalidInputError, match=r"'related'.*numbers"):
        scorer.score(mm.Cohort.from_frames(students, managers))


def test_memory_is_estimated_before_allocating() -> None:
    # Used to: numpy's MemoryError after a long wait.
    with pytest.raises(InvalidInputError, match=r"GB.*available.*float32"):
        check_memory(10**7, 10**7, 4, np.dtype("float64"))
    with pytest.raises(InvalidInputError, match=r"smaller cohort"):
        check_memory(10**7, 10**7, 4, np.dtype("float32"))
    check_memory(100, 100, 4, np.dtype("float64"))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"dtype": "float32"},
        {"student_weights": {"programme": 1.0}, "min_score": 0.2, "share_language": True},
        {"criteria": {"flat": lambda s, m: np.full((len(s), len(m)), 0.5)}},
    ],
    ids=["default", "float32", "views-and-rules", "custom"],
)
def test_memory_estimate_is_not_below_the_measured_peak(options: dict[str, object]) -> None:
    import tracemalloc

    n = 1000
    cohort = mm.make_cohort(n, n, rng=0)
    scorer = mm.Scorer(**options)  # type: ignore[arg-type]
    n_arrays, dtype, n_masks = scorer._peak_arrays(cohort)
    estimate = n * n * (dtype.itemsize * n_arrays + n_masks)
    tracemalloc.start()
    try:
        scorer.score(cohort)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Bookkeeping of the small tables is a few percent at this size.
    assert peak <= 1.1 * estimate
    assert estimate <= 2.0 * peak


def test_explain_is_linear_in_the_number_of_interests() -> None:
    # Used to: a set rebuilt per interest (7.7 s for one pair at 16,000 each).
    many = [f"i{k}" for k in range(20_000)]
    students = pd.DataFrame({"id": ["s1"], "programme": ["P"], "interests": [many]})
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": [many[::-1]]})
    scores = mm.Scorer().score(mm.Cohort.from_frames(students, managers))
    assert len(scores.explain("s1", "m1").shared_interests) == 20_000


def test_scores_arrays_are_read_only_and_leave_the_callers_arrays_alone() -> None:
    # Used to: scores.total was writable and shared memory with student_view.
    mine = np.full((4, 4), 0.5)

    def constant(students: pd.DataFrame, managers: pd.DataFrame) -> np.ndarray:
        return mine

    scores = mm.Scorer(criteria={"constant": constant}).score(mm.make_cohort(4, 4, rng=0))
    for array in (scores.total, scores.student_view, scores.allowed, *scores.components.values()):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 1
    mine[0, 0] = 0.0  # the caller's array stays theirs
    assert mine.flags.writeable
    assert scores.components["constant"][0, 0] == 0.5


def test_related_table_labels_compare_like_the_cohorts_values() -> None:
    related = pd.DataFrame({"Klimat": [0.8]}, index=["DEMOKRATI"])
    students = pd.DataFrame({"id": ["s1"], "programme": ["P"], "interests": ["demokrati"]})
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["klimat"]})
    cohort = mm.Cohort.from_frames(students, managers)
    scores = mm.Scorer(options={"interests": {"related": related}}).score(cohort)
    assert scores.components["interests"][0, 0] > 0
    twice = pd.DataFrame({"klimat": [0.5, 0.5]}, index=["Demokrati", "demokrati"])
    with pytest.raises(InvalidInputError, match=r"'related'.*'demokrati' twice"):
        mm.Scorer(options={"interests": {"related": twice}}).score(cohort)


def test_summary_is_float() -> None:
    # Used to: an object Series.
    summary = mm.match(mm.Scorer().score(mm.make_cohort(4, 3, rng=0))).summary()
    assert summary.dtype == np.float64
    assert summary["n_pairs"] == 3.0
