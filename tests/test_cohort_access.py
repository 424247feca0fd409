"""The Cohort boundary: a validating public constructor and read-only column access."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import InvalidInputError


def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    students = pd.DataFrame(
        {"id": ["s1", "s2"], "programme": ["Juridik", "Sociologi"], "interests": ["a;b", "c"]}
    )
    managers = pd.DataFrame(
        {"id": ["m1"], "unit": ["Kommunikation"], "interests": [["a"]], "capacity": [2]}
    )
    return students, managers


def test_constructor_validates_like_from_frames() -> None:
    students, managers = tables()
    assert mm.Cohort(students, managers) == mm.Cohort.from_frames(students, managers)
    assert mm.Cohort(students, managers).students.loc[0, "interests"] == ("a", "b")
    bad = students.assign(id=["s1", "s1"])
    with pytest.raises(InvalidInputError, match=r"students table, row 's1', column 'id'"):
        mm.Cohort(bad, managers)
    with pytest.raises(InvalidInputError, match=r"^parameter 'managers' of Cohort: expected"):
        mm.Cohort(students, managers.to_dict())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^parameter 'value_sep' of Cohort: expected"):
        mm.Cohort(students, managers, value_sep="")
    referring = managers.assign(avoid=["s9"])
    with pytest.raises(InvalidInputError, match=r"column 'avoid': expected ids of the students"):
        mm.Cohort(students, referring)


def test_column_is_a_read_only_view_in_table_order() -> None:
    cohort = mm.make_cohort(5, 4, rng=0)
    ids = cohort.column("students", "id")
    assert ids.tolist() == list(cohort.student_ids)
    capacity = cohort.column("managers", "capacity")
    np.testing.assert_array_equal(capacity, cohort.manager_capacity)
    with pytest.raises(ValueError, match="read-only"):
        capacity[0] = 99
    assert cohort.column("managers", "capacity")[0] == cohort.manager_capacity[0]
    assert set(cohort.columns("managers")) == set(cohort.managers.columns)
    for side in ("students", "managers"):
        table = cohort.students if side == "students" else cohort.managers
        for name in cohort.columns(side):
            assert cohort.column(side, name).tolist() == table[name].tolist()


def test_column_errors_name_the_parameter() -> None:
    cohort = mm.make_cohort(2, 2, rng=0)
    with pytest.raises(InvalidInputError, match=r"^parameter 'side' of Cohort.column: expected"):
        cohort.column("mentors", "id")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^parameter 'name' of Cohort.column: expected"):
        cohort.column("students", "unit")


def test_table_is_deprecated_but_works() -> None:
    cohort = mm.make_cohort(2, 2, rng=0)
    with pytest.warns(DeprecationWarning, match=r"Cohort.table\(side\) is deprecated"):
        table = cohort.table("managers")
    pd.testing.assert_frame_equal(table, cohort.managers)
