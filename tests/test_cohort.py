"""Cohort: validation (one test per branch), normalisation, CSV, round trips."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import Cohort, InvalidInputError


def students_frame(**overrides: Any) -> pd.DataFrame:
    data: dict[str, Any] = {
        "id": ["s1", "s2", "s3"],
        "programme": ["Statsvetenskap", "Sociologi", "Juridik"],
        "interests": ["demokrati;klimat", ["jämställdhet"], "integritet"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def managers_frame(**overrides: Any) -> pd.DataFrame:
    data: dict[str, Any] = {
        "id": ["m1", "m2"],
        "unit": ["Digital förvaltning", "Kommunikation"],
        "interests": ["klimat", "demokrati"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


# --- validation: one test per branch -------------------------------------------------


def test_students_not_a_dataframe() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"parameter 'students' of Cohort\.from_frames: expected a pandas DataFrame, got a list",
    ):
        Cohort.from_frames([{"id": "s1"}], managers_frame())  # type: ignore[arg-type]


def test_managers_not_a_dataframe() -> None:
    with pytest.raises(InvalidInputError, match=r"parameter 'managers'.*got a dict"):
        Cohort.from_frames(students_frame(), {"id": ["m1"]})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("side", "column"),
    [
        ("students", "programme"),
        ("students", "interests"),
        ("managers", "unit"),
        ("managers", "id"),
    ],
)
def test_required_column_missing(side: str, column: str) -> None:
    s, m = students_frame(), managers_frame()
    if side == "students":
        s = s.drop(columns=column)
    else:
        m = m.drop(columns=column)
    with pytest.raises(InvalidInputError, match=rf"{side} table: expected a column '{column}'"):
        Cohort.from_frames(s, m)


def test_empty_side() -> None:
    with pytest.raises(
        InvalidInputError, match="managers table: expected at least one row, got 0"
    ):
        Cohort.from_frames(students_frame(), managers_frame().iloc[0:0])


def test_duplicate_column_names_after_normalising_case() -> None:
    s = students_frame()
    s["Programme "] = s["programme"]
    with pytest.raises(
        InvalidInputError, match="expected unique column names, got 'programme' twice"
    ):
        Cohort.from_frames(s, managers_frame())


@pytest.mark.parametrize("bad", ["", "   ", None, np.nan])
def test_empty_id(bad: Any) -> None:
    with pytest.raises(
        InvalidInputError, match=r"students table, row 1, column 'id': expected a non-empty id"
    ):
        Cohort.from_frames(students_frame(id=["s1", bad, "s3"]), managers_frame())


def test_duplicate_id() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"managers table, row 'm1', column 'id': expected unique ids, got 'm1' again \(rows 0 and 1\)",
    ):
        Cohort.from_frames(students_frame(), managers_frame(id=["m1", " m1 "]))


def test_required_text_empty() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"students table, row 's2', column 'programme': expected a non-empty value, got ''",
    ):
        Cohort.from_frames(students_frame(programme=["Juridik", "", "Ekonomi"]), managers_frame())


@pytest.mark.parametrize("bad", [0, -1, 1.5, "two", np.inf, True])
def test_capacity_not_positive_integer(bad: Any) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"managers table, row 'm2', column 'capacity': expected a positive integer",
    ):
        Cohort.from_frames(students_frame(), managers_frame(capacity=[1, bad]))


def test_age_not_numeric() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"students table, row 's3', column 'age': expected a number, got 'old'",
    ):
        Cohort.from_frames(students_frame(age=[22, "23", "old"]), managers_frame())


@pytest.mark.parametrize("column", ["avoid", "preferences"])
def test_reference_to_unknown_id(column: str) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"students table, row 's2', column '{column}': expected ids of the managers table, got 'm9'",
    ):
        Cohort.from_frames(students_frame(**{column: ["", "m1;m9", None]}), managers_frame())


def test_reference_to_own_side_is_unknown() -> None:
    with pytest.raises(InvalidInputError, match=r"managers table, row 'm1', column 'avoid'.*'s9'"):
        Cohort.from_frames(students_frame(), managers_frame(avoid=["s9", ""]))


def test_preference_also_avoided() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"managers table, row 'm2', column 'avoid': expected no id that is also in 'preferences', got 's1'",
    ):
        Cohort.from_frames(
            students_frame(), managers_frame(preferences=["", "s1;s2"], avoid=["", "s1"])
        )


def test_value_sep_empty() -> None:
    with pytest.raises(InvalidInputError, match=r"parameter 'value_sep'.*non-empty string"):
        Cohort.from_frames(students_frame(), managers_frame(), value_sep="")


def test_every_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="capacity"):
        Cohort.from_frames(students_frame(), managers_frame(capacity=[0, 1]))


# --- normalisation ----------------------------------------------------------------------


def test_multi_valued_cells_trimmed_deduplicated_in_order() -> None:
    s = students_frame(interests=[" klimat ; demokrati;;klimat ", ("a", "a", " b"), None])
    cohort = Cohort.from_frames(s, managers_frame())
    assert list(cohort.students["interests"]) == [("klimat", "demokrati"), ("a", "b"), ()]


def test_sets_are_ordered_deterministically() -> None:
    m = managers_frame(interests=[{"öppna data", "AI-etik", "klimat"}, set()])
    cohort = Cohort.from_frames(students_frame(), m)
    assert cohort.managers.loc[0, "interests"] == ("AI-etik", "klimat", "öppna data")


def test_defaults_and_column_order() -> None:
    cohort = Cohort.from_frames(students_frame(), managers_frame(extra=["x", "y"]))
    assert list(cohort.students.columns) == [
        "id",
        "programme",
        "interests",
        "capacity",
        "preferences",
        "avoid",
    ]
    m = cohort.managers
    assert list(m.columns[:8]) == [
        "id",
        "unit",
        "education",
        "seeking",
        "interests",
        "capacity",
        "preferences",
        "avoid",
    ]
    assert list(m["extra"]) == ["x", "y"]
    assert m["capacity"].tolist() == [1, 1]
    np.testing.assert_array_equal(cohort.manager_capacity, [1, 1])
    np.testing.assert_array_equal(cohort.student_capacity, [1, 1, 1])
    assert m["seeking"].tolist() == [(), ()]


def test_ids_become_trimmed_strings_with_index_maps() -> None:
    cohort = Cohort.from_frames(students_frame(id=[10, " s2", "s3 "]), managers_frame())
    assert cohort.student_ids == ("10", "s2", "s3")
    assert dict(cohort.student_index) == {"10": 0, "s2": 1, "s3": 2}
    assert cohort.n_students == 3
    assert cohort.n_managers == 2
    assert len(cohort) == 5


def test_inputs_never_mutated() -> None:
    s = students_frame(age=[22, "23", None], capacity=["1", 2.0, None], avoid=[["m1"], "", None])
    m = managers_frame(interests=[["klimat", " klimat"], "a;b"], Seeking=[["Juridik"], None])
    before = copy.deepcopy((s, m))
    Cohort.from_frames(s, m)
    pd.testing.assert_frame_equal(s, before[0])
    pd.testing.assert_frame_equal(m, before[1])
    assert m.loc[0, "interests"] == ["klimat", " klimat"]


def test_cohort_tables_are_copies() -> None:
    cohort = Cohort.from_frames(students_frame(), managers_frame())
    table = cohort.students
    table.loc[0, "programme"] = "changed"
    assert cohort.students.loc[0, "programme"] == "Statsvetenskap"


def test_repr_shows_counts_only() -> None:
    cohort = Cohort.from_frames(students_frame(), managers_frame(name=["Secret A", "Secret B"]))
    assert repr(cohort) == "Cohort(3 students, 2 managers)"
    page = cohort._repr_html_()
    assert "s1" in page
    assert "Secret" not in page


# --- CSV --------------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_swedish_export_auto_detected(tmp_path: Path, encoding: str, delimiter: str) -> None:
    d = delimiter
    sep = "|" if d == ";" else ";"
    s = write(
        tmp_path / "s.csv",
        f"id{d}programme{d}interests{d}age\n"
        f"s1{d}Medie- och kommunikationsvetenskap{d}öppna data{sep}jämställdhet{d}24\n"
        f"s2{d}Miljövetenskap{d}klimat{d}\n",
        encoding,
    )
    m = write(
        tmp_path / "m.csv",
        f"id{d}unit{d}interests{d}education\nm1{d}Öppna data och datadelning{d}klimat{d}Ekonomi\n",
        encoding,
    )
    cohort = Cohort.from_csv(s, m, value_sep=sep)
    students = cohort.students
    assert students.loc[0, "programme"] == "Medie- och kommunikationsvetenskap"
    assert students.loc[0, "interests"] == ("öppna data", "jämställdhet")
    assert students["age"].tolist()[0] == 24.0
    assert np.isnan(students["age"].tolist()[1])
    assert cohort.managers.loc[0, "unit"] == "Öppna data och datadelning"
    assert cohort.student_ids == ("s1", "s2")


def test_csv_explicit_delimiter(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id\tprogramme\tinterests\ns1\tJuridik\tAI-etik; integritet\n")
    m = write(tmp_path / "m.csv", "id\tunit\tinterests\nm1\tKommunikation\tklimat\n")
    cohort = Cohort.from_csv(s, m, delimiter="\t")
    assert cohort.students.loc[0, "interests"] == ("AI-etik", "integritet")


def test_csv_missing_file_names_path(tmp_path: Path) -> None:
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,a\n")
    missing = tmp_path / "nope.csv"
    with pytest.raises(
        mm.MissingFileError, match=r"'students_path'.*nope\.csv.*no such file"
    ) as info:
        Cohort.from_csv(missing, m)
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, InvalidInputError)
    assert info.value.filename == str(missing)


def test_csv_not_utf8(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id,programme,interests\ns1,Miljövetenskap,klimat\n", "latin-1")
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,a\n")
    with pytest.raises(
        InvalidInputError,
        match=r"'students_path'.*'CSV UTF-8'.*the .xlsx file.*not UTF-8 \(line 2",
    ):
        Cohort.from_csv(s, m)


def test_csv_empty_file(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "")
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,a\n")
    with pytest.raises(InvalidInputError, match=r"'students_path'.*an empty file"):
        Cohort.from_csv(s, m)


def test_csv_bad_delimiter_parameter(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"parameter 'delimiter'.*got '\|'"):
        Cohort.from_csv(tmp_path / "s.csv", tmp_path / "m.csv", delimiter="|")


def test_csv_validation_names_row(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id;programme;interests;capacity\ns1;Juridik;a;0\n")
    m = write(tmp_path / "m.csv", "id;unit;interests\nm1;U;a\n")
    with pytest.raises(InvalidInputError, match=r"row 's1', column 'capacity'.*got '0'"):
        Cohort.from_csv(s, m)


def test_to_csv_refuses_values_containing_the_separator(tmp_path: Path) -> None:
    cohort = Cohort.from_frames(students_frame(interests=[["a;b"], "c", "d"]), managers_frame())
    with pytest.raises(InvalidInputError, match=r"row 's1', column 'interests'.*'a;b'"):
        cohort.to_csv(tmp_path / "s.csv", tmp_path / "m.csv")
    cohort.to_csv(tmp_path / "s.csv", tmp_path / "m.csv", value_sep="|")
    back = Cohort.from_csv(tmp_path / "s.csv", tmp_path / "m.csv", value_sep="|")
    assert back == cohort


# --- round trips (hypothesis) -----------------------------------------------------------

# One spelling per value: values compare without regard to case and white space
# (two spellings would come back as the first), and commas split lists.
_words = st.text(alphabet=st.sampled_from("abcåäö xyz-é'\""), min_size=1, max_size=8).filter(
    lambda w: " ".join(w.split()) == w and w
)
_ids = st.text(alphabet="abcs0123456789_-", min_size=1, max_size=5)


@st.composite
def st_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Valid input frames with every optional column, in normalised form."""
    n_s = draw(st.integers(1, 5))
    n_m = draw(st.integers(1, 5))
    s_ids = draw(st.lists(_ids, min_size=n_s, max_size=n_s, unique=True))
    m_ids = draw(st.lists(_ids, min_size=n_m, max_size=n_m, unique=True))

    def common(ids: list[str], other: list[str]) -> dict[str, Any]:
        n = len(ids)

        def lists(pool: st.SearchStrategy[str]) -> list[list[str]]:
            return draw(st.lists(st.lists(pool, unique=True, max_size=3), min_size=n, max_size=n))

        picks = draw(st.lists(st.permutations(other), min_size=n, max_size=n))
        cut = draw(st.lists(st.integers(0, len(other)), min_size=n, max_size=n))
        return {
            "id": ids,
            "interests": lists(_words),
            "capacity": draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)),
            "preferences": [list(p[:c]) for p, c in zip(picks, cut, strict=True)],
            "avoid": [list(p[c:][:1]) for p, c in zip(picks, cut, strict=True)],
            "age": draw(
                st.lists(
                    st.one_of(st.none(), st.floats(18, 70, allow_nan=False)),
                    min_size=n,
                    max_size=n,
                )
            ),
            "gender": draw(st.lists(st.one_of(st.none(), _words), min_size=n, max_size=n)),
            "languages": lists(_words),
        }

    s = pd.DataFrame(
        {**common(s_ids, m_ids), "programme": draw(st.lists(_words, min_size=n_s, max_size=n_s))}
    )
    m = pd.DataFrame(
        {
            **common(m_ids, s_ids),
            "unit": draw(st.lists(_words, min_size=n_m, max_size=n_m)),
            "education": draw(st.lists(st.one_of(st.none(), _words), min_size=n_m, max_size=n_m)),
            "seeking": draw(
                st.lists(st.lists(_words, unique=True, max_size=2), min_size=n_m, max_size=n_m)
            ),
        }
    )
    return s, m


@given(st_frames())
def test_frames_round_trip(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    cohort = Cohort.from_frames(*frames)
    students, managers = cohort.to_frames()
    assert Cohort.from_frames(students, managers) == cohort
    # Input already in normal form comes back value for value.
    for given_frame, back in ((frames[0], students), (frames[1], managers)):
        for column in given_frame.columns:
            expected = [None if v is None or v != v else v for v in given_frame[column]]
            got = [None if v is None or v != v else v for v in back[column]]
            assert got == expected, column


@given(st_frames(), st.sampled_from([",", ";", "\t"]))
def test_csv_round_trip(frames: tuple[pd.DataFrame, pd.DataFrame], delimiter: str) -> None:
    import tempfile

    cohort = Cohort.from_frames(*frames)
    with tempfile.TemporaryDirectory() as folder:
        s, m = Path(folder, "s.csv"), Path(folder, "m.csv")
        cohort.to_csv(s, m, delimiter=delimiter, value_sep="|")
        assert Cohort.from_csv(s, m, value_sep="|") == cohort


# --- without (re-matching after a drop-out) ----------------------------------------------


def test_without_drops_people_and_scrubs_references() -> None:
    s = students_frame(avoid=["m2", "", ""], preferences=["m1", "m2;m1", ""])
    m = managers_frame(preferences=["s3;s1", ""])
    cohort = Cohort.from_frames(s, m).without(students=["s3"], managers="m2")
    assert cohort.student_ids == ("s1", "s2")
    assert cohort.manager_ids == ("m1",)
    assert cohort.students["avoid"].tolist() == [(), ()]
    assert cohort.students["preferences"].tolist() == [("m1",), ("m1",)]
    assert cohort.managers["preferences"].tolist() == [("s1",)]
    assert dict(cohort.manager_index) == {"m1": 0}


def test_without_unknown_id_or_empty_side() -> None:
    cohort = Cohort.from_frames(students_frame(), managers_frame())
    with pytest.raises(
        InvalidInputError,
        match=r"parameter 'managers' of Cohort.without: expected ids of the managers table, got 's1'",
    ):
        cohort.without(managers=["s1"])
    with pytest.raises(InvalidInputError, match=r"expected to leave at least one of the managers"):
        cohort.without(managers=["m1", "m2"])


def test_a_cohort_pickles_with_its_indexes_and_provenance(tmp_path: Path) -> None:
    # Executors (processes, a Dask cluster) send a cohort by pickle: it must arrive whole,
    # with the id indexes rebuilt and the file provenance that check() reports.
    (tmp_path / "s.csv").write_text(
        "id,programme,interests\ns1,Statsvetenskap,klimat\n,,\ns2,Sociologi,demokrati\n",
        encoding="utf-8",
    )
    (tmp_path / "m.csv").write_text("id,unit,interests\nm1,Kommunikation,klimat\n")
    from_file = Cohort.from_csv(tmp_path / "s.csv", tmp_path / "m.csv")
    for cohort in (from_file, mm.make_cohort(7, 5, rng=3, n_preferences=2)):
        back = pickle.loads(pickle.dumps(cohort))
        assert back == cohort
        assert back.student_ids == cohort.student_ids
        assert dict(back.manager_index) == dict(cohort.manager_index)
        pd.testing.assert_frame_equal(back.check(), cohort.check())
    # The blank spreadsheet line 3 is still reported by its line after the trip.
    assert pickle.loads(pickle.dumps(from_file)).check()["line"].tolist() == [3]
