"""Reading and writing tables (mentormatch.io) and the silent-wrong-answer cases of messy data.

Each case that once changed the pairing without a word is named after what it
used to do.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.exceptions import InvalidInputError
from mentormatch.io import for_terminal, read_table, safe_frame, unescape

MANAGERS = "id;unit;seeking;interests\nm1;Kommunikation;Statsvetenskap;demokrati|klimat\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- columns never shift -----------------------------------------------------------------


def test_extra_field_is_an_error_naming_the_spreadsheet_line(tmp_path: Path) -> None:
    # Used to: pandas took the first column as the index, ids became programmes.
    s = write(
        tmp_path / "s.csv",
        "id;programme;interests\ns00;Juridik;klimat\ns01;Statsvetenskap;demokrati;klimat\n",
    )
    m = write(tmp_path / "m.csv", MANAGERS)
    with pytest.raises(
        InvalidInputError, match=r"line 3: expected 3 fields .*double quotes.*got 4 fields"
    ):
        mm.Cohort.from_csv(s, m)


def test_fewer_fields_than_the_header_is_an_error(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id,programme,interests\ns1,Juridik\n")
    with pytest.raises(InvalidInputError, match=r"line 2: expected 3 fields.*got 2"):
        read_table(s, param="p", owner="o")


def test_trailing_delimiter_on_every_row_keeps_the_ids(tmp_path: Path) -> None:
    # Used to: the ids were replaced by the programme names.
    s = write(tmp_path / "s.csv", "id,programme,interests\ns1,Juridik,klimat,\ns2,Historia,AI,\n")
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,klimat,\n")
    cohort = mm.Cohort.from_csv(s, m)
    assert cohort.student_ids == ("s1", "s2")
    assert cohort.students["programme"].tolist() == ["Juridik", "Historia"]


def test_blank_rows_are_skipped_and_reported(tmp_path: Path) -> None:
    text = (
        "\ufeffid;programme;interests\r\ns1;Juridik;klimat\r\n;;\r\n\r\ns2;Historia;AI\r\n;;\r\n"
    )
    table = read_table(write(tmp_path / "s.csv", text), param="p", owner="o")
    assert table.frame["id"].tolist() == ["s1", "s2"]
    assert table.lines == (2, 5)
    assert table.blank_lines == (3, 4, 6)


def test_errors_name_the_spreadsheet_line(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id;programme;interests;capacity\n;;;\ns1;Juridik;a;0\n")
    m = write(tmp_path / "m.csv", MANAGERS)
    with pytest.raises(InvalidInputError, match=r"students table, line 3, row 's1'"):
        mm.Cohort.from_csv(s, m)


def test_quoted_cell_with_newline_and_delimiter(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", 'id;programme;interests\ns1;Juridik;"klimat;\nAI"\ns2;H;x\n')
    table = read_table(s, param="p", owner="o")
    assert table.frame["interests"].tolist() == ["klimat;\nAI", "x"]
    assert table.lines == (2, 3)  # one spreadsheet row per record


# --- files a coordinator may pick by mistake -------------------------------------------


def test_latin1_file_gets_the_coordinators_words(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id;programme;interests\ns1;Miljövetenskap;klimat\n", "cp1252")
    with pytest.raises(InvalidInputError, match=r"save.*'CSV UTF-8'.*\.xlsx.*not UTF-8 \(line 2"):
        mm.Cohort.from_csv(s, write(tmp_path / "m.csv", MANAGERS))


def test_xlsx_given_as_csv(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    book = tmp_path / "book.xlsx"
    mm.make_cohort(2, 2, rng=0).to_excel(book, tmp_path / "m.xlsx")
    as_csv = tmp_path / "students.csv"
    as_csv.write_bytes(book.read_bytes())
    with pytest.raises(InvalidInputError, match=r"pass the \.xlsx file.*an Excel workbook"):
        mm.Cohort.from_csv(as_csv, tmp_path / "m.xlsx")


def test_utf16_unicode_text_export_is_read(tmp_path: Path) -> None:
    s = write(tmp_path / "s.txt", "id\tprogramme\tinterests\r\ns1\tJuridik\tklimat\r\n", "utf-16")
    table = read_table(s, param="p", owner="o")
    assert table.frame.to_dict("list") == {
        "id": ["s1"],
        "programme": ["Juridik"],
        "interests": ["klimat"],
    }


@pytest.mark.parametrize("path", [None, 3, b"s.csv"])
def test_path_of_the_wrong_type(path: object) -> None:
    # Used to: TypeError from pathlib.
    with pytest.raises(InvalidInputError, match=r"parameter 'students_path' of Cohort.from_csv"):
        mm.Cohort.from_csv(path, "m.csv")  # type: ignore[arg-type]


# --- vocabulary and identity ---------------------------------------------------------------


def test_vocabulary_ignores_case_space_and_normalisation() -> None:
    # Used to: programme fit and shared interests dropped to 0 without a word.
    students = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "programme": ["datateknik", "Statsvetenskap"],
            "interests": [["Demokrati", " öppna  data"], ["klimat"]],
        }
    )
    decomposed = unicodedata.normalize("NFD", "Öppna data")
    managers = pd.DataFrame(
        {
            "id": ["m1"],
            "unit": ["Innovation och AI"],
            "seeking": [["Datateknik"]],
            "interests": [["demokrati", decomposed]],
        }
    )
    cohort = mm.Cohort.from_frames(students, managers)
    scores = mm.Scorer().score(cohort)
    assert scores.components["programme"][0, 0] == 1.0
    assert scores.components["interests"][0, 0] == 1.0
    # The first spelling seen is the one shown.
    assert cohort.managers.loc[0, "interests"] == ("Demokrati", " öppna  data".strip())
    assert cohort.managers.loc[0, "seeking"] == ("datateknik",)
    assert scores.explain("s1", "m1").shared_interests == ("Demokrati", "öppna  data")


def test_comma_list_in_a_semicolon_file_is_split(tmp_path: Path) -> None:
    # Used to: "AI-etik, integritet" was one interest.
    s = write(tmp_path / "s.csv", "id;programme;interests\ns1;Juridik;AI-etik, integritet\n")
    m = write(tmp_path / "m.csv", "id;unit;interests\nm1;U;integritet\n")
    cohort = mm.Cohort.from_csv(s, m)
    assert cohort.students.loc[0, "interests"] == ("AI-etik", "integritet")
    assert mm.Scorer().score(cohort).components["interests"][0, 0] > 0


@pytest.mark.parametrize(
    "other",
    [unicodedata.normalize("NFD", "Åsa"), "Åsa\u200b", "\u200bÅsa"],
    ids=["decomposed", "zero-width-after", "zero-width-before"],
)
def test_identical_looking_ids_are_an_error_naming_both_rows(tmp_path: Path, other: str) -> None:
    # Used to: two different people.
    s = write(tmp_path / "s.csv", f"id;programme;interests\nÅsa;Juridik;a\n{other};Historia;b\n")
    m = write(tmp_path / "m.csv", MANAGERS)
    with pytest.raises(InvalidInputError, match=r"unique ids.*\(lines 2 and 3\)"):
        mm.Cohort.from_csv(s, m)


def test_ids_are_nfc_and_references_follow() -> None:
    decomposed = unicodedata.normalize("NFD", "Åsa")
    students = pd.DataFrame({"id": [decomposed], "programme": ["P"], "interests": ["a"]})
    managers = pd.DataFrame(
        {"id": ["m1", "m2"], "unit": ["U", "U"], "interests": ["a", "a"], "avoid": ["Åsa", ""]}
    )
    cohort = mm.Cohort.from_frames(students, managers)
    assert cohort.student_ids == ("Åsa",)
    assert not mm.Scorer().score(cohort).allowed[0, 0]


def test_capacity_beyond_integers_is_an_error() -> None:
    # Used to: OverflowError.
    students = pd.DataFrame(
        {"id": ["s1"], "programme": ["P"], "interests": ["a"], "capacity": [1e20]}
    )
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["a"]})
    with pytest.raises(InvalidInputError, match=r"row 's1', column 'capacity'.*positive integer"):
        mm.Cohort.from_frames(students, managers)


def test_cohort_does_not_share_mutable_cells() -> None:
    notes = [["likes tea"]]
    students = pd.DataFrame({"id": ["s1"], "programme": ["P"], "interests": ["a"], "notes": notes})
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["a"]})
    cohort = mm.Cohort.from_frames(students, managers)
    notes[0].append("and coffee")
    assert cohort.students.loc[0, "notes"] == ["likes tea"]


# --- writing --------------------------------------------------------------------------------


@given(st.text(alphabet="'=+-@a\t", max_size=6))
def test_escape_round_trips(text: str) -> None:
    written = safe_frame(pd.DataFrame({"a": [text]}))["a"].iloc[0]
    assert unescape(written) == text
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_cohort_to_csv_neutralises_formulas(tmp_path: Path) -> None:
    # Used to: =HYPERLINK(...) written as it was.
    students = pd.DataFrame(
        {"id": ['=HYPERLINK("x")', "s2"], "programme": ["@P", "P"], "interests": ["a", "-b"]}
    )
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["a"]})
    cohort = mm.Cohort.from_frames(students, managers)
    cohort.to_csv(tmp_path / "s.csv", tmp_path / "m.csv")
    raw = pd.read_csv(tmp_path / "s.csv", dtype=str)
    assert raw["id"].tolist() == ['\'=HYPERLINK("x")', "s2"]
    assert raw["programme"].tolist() == ["'@P", "P"]
    assert mm.Cohort.from_csv(tmp_path / "s.csv", tmp_path / "m.csv") == cohort


def test_writers_never_overwrite_inputs(tmp_path: Path) -> None:
    # Used to: --out students.csv overwrote the input without a word.
    s = write(tmp_path / "s.csv", "id,programme,interests\ns1,P,a\n")
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,a\n")
    cohort = mm.Cohort.from_csv(s, m)
    pairing = mm.match(mm.Scorer().score(cohort))
    for force in (False, True):
        with pytest.raises(InvalidInputError, match=r"an input file"):
            pairing.to_csv(s, force=force)
        with pytest.raises(InvalidInputError, match=r"an input file"):
            cohort.to_csv(tmp_path / "new.csv", m, force=force)
    assert not (tmp_path / "new.csv").exists()
    assert s.read_text() == "id,programme,interests\ns1,P,a\n"


def test_writers_overwrite_only_when_asked(tmp_path: Path) -> None:
    pairing = mm.match(mm.Scorer().score(mm.make_cohort(2, 2, rng=0)))
    out = write(tmp_path / "pairs.csv", "old")
    with pytest.raises(InvalidInputError, match=r"force=True.*which exists"):
        pairing.to_csv(out)
    assert out.read_text() == "old"
    pairing.to_csv(out, force=True)
    assert out.read_text().startswith("student_id")


def test_excel_round_trip_and_matching_sheets(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    cohort = mm.make_cohort(5, 4, rng=2)
    cohort.to_excel(tmp_path / "s.xlsx", tmp_path / "m.xlsx")
    back = mm.Cohort.read(tmp_path / "s.xlsx", tmp_path / "m.xlsx")
    assert back == cohort
    pairing = mm.match(mm.Scorer().score(back))
    pairing.to_excel(tmp_path / "pairs.xlsx", explain=True)
    sheets = pd.read_excel(tmp_path / "pairs.xlsx", sheet_name=None, dtype=object)
    assert list(sheets) == ["pairs", "unmatched", "summary"]
    assert sheets["pairs"]["student_id"].tolist() == pairing.pairs["student_id"].tolist()
    assert np.allclose(sheets["pairs"]["score"].astype(float), pairing.pairs["score"])
    assert len(sheets["unmatched"]) == 1
    with pytest.raises(InvalidInputError, match=r"an input file"):
        pairing.to_excel(tmp_path / "s.xlsx", force=True)


def test_excel_formulas_are_stored_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    students = pd.DataFrame({"id": ["=1+1"], "programme": ["P"], "interests": ["a"]})
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": ["a"]})
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(students, managers)))
    pairing.to_excel(tmp_path / "p.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "p.xlsx")["pairs"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'=1+1"


def test_a_csv_named_xlsx(tmp_path: Path) -> None:
    s = write(tmp_path / "s.xlsx", "id,programme,interests\ns1,P,a\n")
    with pytest.raises(InvalidInputError, match=r"expected an Excel workbook.*\.csv"):
        mm.Cohort.read(s, s)


def test_for_terminal_escapes_control_characters() -> None:
    assert for_terminal("s1\x1b[2J\u202e") == "s1\\x1b[2J\\u202e"
    assert for_terminal("Åsa") == "Åsa"


def test_inputs_stay_protected_after_a_drop_out(tmp_path: Path) -> None:
    s = write(tmp_path / "s.csv", "id,programme,interests\ns1,P,a\ns2,P,a\n")
    m = write(tmp_path / "m.csv", "id,unit,interests\nm1,U,a\n")
    cohort = mm.Cohort.from_csv(s, m).without(students=["s2"])
    pairing = mm.match(mm.Scorer().score(cohort))
    with pytest.raises(InvalidInputError, match=r"an input file"):
        pairing.to_csv(s, force=True)
    assert cohort.check()["line"].isna().all()  # no stale line numbers


def test_without_openpyxl_the_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    pairing = mm.match(mm.Scorer().score(mm.make_cohort(2, 2, rng=0)))
    with pytest.raises(InvalidInputError, match=r"mentormatch-pairing\[excel\]"):
        pairing.to_excel(tmp_path / "p.xlsx")
    book = tmp_path / "s.xlsx"
    book.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InvalidInputError, match=r"optional extra 'excel'"):
        mm.Cohort.read(book, book)
