"""The command line on real sign-up exports: loud where the data is wrong, forgiving where messy.

The Swedish export is what Excel writes with "Save As CSV" on a Swedish
system: a byte-order mark, ';' between fields, CRLF line ends, å ä ö,
vocabulary typed in mixed case, and blank ';;;' rows left at the end. All
people are synthetic.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main

SWEDISH_STUDENTS = [
    "id;programme;interests;age;gender;region",
    "s01;Statsvetenskap;Demokrati;23;kvinna;Jämtland",
    "s02;datateknik;AI-etik, integritet;27;man;västernorrland",
    "s03;Miljövetenskap;klimat;hållbarhet;21;Kvinna;Jämtland",
    "s04;Journalistik;Öppna data;31;icke-binär;Stockholm",
    ";;;;;",
    ";;;;;",
]
SWEDISH_MANAGERS = [
    "id;unit;education;seeking;interests;capacity",
    "m01;Digital förvaltning;Juridik;statsvetenskap;demokrati;1",
    "m02;Innovation och AI;Ekonomi;Datateknik;AI-etik;1",
    "m03;Analys och uppföljning;Sociologi;Miljövetenskap;Klimat;2",
    ";;;;;",
]


def swedish_export(folder: Path, students: list[str] | None = None) -> tuple[Path, Path]:
    s, m = folder / "anmälan_studenter.csv", folder / "anmälan_chefer.csv"
    for path, lines in ((s, students or SWEDISH_STUDENTS), (m, SWEDISH_MANAGERS)):
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return s, m


def as_xlsx(csv_path: Path) -> Path:
    """The same sheet saved as .xlsx (text cells, blank rows kept)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    text = csv_path.read_bytes().decode("utf-8-sig")
    for line in text.splitlines():
        sheet.append([cell or None for cell in line.split(";")])
    path = csv_path.with_suffix(".xlsx")
    book.save(path)
    return path


def run(argv: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert err.startswith("mentormatch: error: ")
    assert "Traceback" not in err
    return err


# --- the Swedish export, as CSV and as .xlsx ------------------------------------------------


def test_swedish_export_is_read_the_same_as_csv_and_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fourth row holds a list typed without quotes: the columns would shift.
    rows = [line for line in SWEDISH_STUDENTS if not line.startswith("s03")]
    s, m = swedish_export(tmp_path, rows)
    outputs = []
    for students, managers in ((s, m), (as_xlsx(s), as_xlsx(m))):
        status, out, err = run(["match", students, managers, "--format", "csv"], capsys)
        assert status == 0, err
        outputs.append(pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False))
        assert "mentormatch check" in err  # the comma list and the blank rows
    assert outputs[0].equals(outputs[1])
    pairs = outputs[0][outputs[0]["manager_id"] != ""]
    chosen = dict(zip(pairs["student_id"], pairs["manager_id"], strict=True))
    # Mixed-case vocabulary still matches: each manager gets the student they seek.
    assert chosen["s01"] == "m01"
    assert chosen["s02"] == "m02"
    assert float(pairs.loc[pairs["student_id"] == "s02", "programme"].iloc[0]) == 1.0


def test_swedish_export_with_a_shifted_row_is_one_line_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Used to: exit 0 with pairs under the programme names.
    s, m = swedish_export(tmp_path)
    status, out, err = run(["match", s, m], capsys)
    assert status == 2
    assert "line 4: expected 6 fields" in one_error_line(err)
    assert "double quotes" in err
    assert out == ""


def test_check_lists_findings_with_spreadsheet_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [line for line in SWEDISH_STUDENTS if not line.startswith("s03")]
    rows.insert(2, "s05;Statsvetenskapliga programmet;demokrati;30;man;Jämtland")
    s, m = swedish_export(tmp_path, rows)
    cohort = mm.Cohort.read(s, m)
    found = cohort.check()
    assert list(found.columns) == [
        "side",
        "id",
        "line",
        "column",
        "value",
        "problem",
        "suggestion",
    ]
    programme = found[found["column"] == "programme"].iloc[0]
    assert (programme["id"], programme["line"]) == ("s05", 3)
    assert "Statsvetenskap" in programme["suggestion"]
    comma = found[found["value"] == "AI-etik, integritet"].iloc[0]
    assert (comma["id"], comma["line"]) == ("s02", 4)
    blank = found[found["problem"].str.contains("blank")]
    assert sorted(blank["line"].tolist()) == [5, 6, 7]  # managers line 5, students 6 and 7
    status, out, _ = run(["check", s, m], capsys)
    assert status == 1
    assert "Statsvetenskapliga programmet" in out


def test_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, m = tmp_path / "s.csv", tmp_path / "m.csv"
    s.write_text("id,programme,interests\ns1,Juridik,klimat\n", encoding="utf-8")
    m.write_text("id,unit,seeking,interests\nm1,U,Juridik,klimat\n", encoding="utf-8")
    assert run(["check", s, m], capsys)[:2] == (0, "nothing found: the files look ready\n")
    s.write_bytes("id,programme,interests\ns1,Miljövetenskap,klimat\n".encode("latin-1"))
    status, _, err = run(["check", s, m], capsys)
    assert status == 2
    assert "'CSV UTF-8'" in one_error_line(err)


# --- writing -------------------------------------------------------------------------------


def test_out_never_overwrites_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Used to: --out students.csv overwrote the input without a word.
    s, m = swedish_export(tmp_path, SWEDISH_STUDENTS[:3])
    before = s.read_bytes()
    for extra in ([], ["--force"]):
        status, _, err = run(["match", s, m, "--out", s, *extra], capsys)
        assert status == 2
        assert "an input file" in one_error_line(err)
    assert s.read_bytes() == before


def test_out_overwrites_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s, m = swedish_export(tmp_path, SWEDISH_STUDENTS[:3])
    out = tmp_path / "par.csv"
    out.write_text("old", encoding="utf-8")
    status, _, err = run(["match", s, m, "--out", out], capsys)
    assert status == 2
    assert "--force" in one_error_line(err) or "force" in err
    assert out.read_text(encoding="utf-8") == "old"
    assert run(["match", s, m, "--out", out, "--force"], capsys)[0] == 0
    assert out.read_text(encoding="utf-8").startswith("student_id")


def test_out_xlsx_has_three_sheets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openpyxl")
    s, m = swedish_export(tmp_path, SWEDISH_STUDENTS[:3])
    out = tmp_path / "par.xlsx"
    assert run(["match", s, m, "--out", out, "--explain"], capsys)[0] == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["pairs", "unmatched", "summary"]
    assert "reason" in sheets["pairs"].columns


def test_terminal_output_escapes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Used to: an id with ANSI escapes went raw to the terminal.
    s, m = tmp_path / "s.csv", tmp_path / "m.csv"
    s.write_text("id,programme,interests\ns1\x1b[2J,Juridik,klimat\n", encoding="utf-8")
    m.write_text("id,unit,interests\nm1,U,klimat\n", encoding="utf-8")
    status, out, _ = run(["match", s, m], capsys)
    assert status == 0
    assert "\x1b" not in out
    assert "s1\\x1b[2J" in out


def test_nobody_can_be_paired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Used to: TypeError in the table printer.
    s, m = tmp_path / "s.csv", tmp_path / "m.csv"
    s.write_text("id,programme,interests,avoid\ns1,Juridik,klimat,m1\n", encoding="utf-8")
    m.write_text("id,unit,interests\nm1,U,klimat\n", encoding="utf-8")
    status, out, _ = run(["match", s, m], capsys)
    assert status == 0
    assert "no pairs" in out
    assert "unmatched student s1: avoids every manager" in out


# --- bad input: one line, exit 2 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "capacity", "message"),
    [
        ("programme=1e308,interests=1e308", "1", "sum is a finite number"),
        ("programme=1e400", "1", "non-negative number, got inf"),
        (None, "1e20", "column 'capacity'"),
    ],
)
def test_overflow_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    weights: str | None,
    capacity: str,
    message: str,
) -> None:
    s, m = tmp_path / "s.csv", tmp_path / "m.csv"
    s.write_text(f"id,programme,interests,capacity\ns1,Juridik,klimat,{capacity}\n")
    m.write_text("id,unit,interests\nm1,U,klimat\n")
    argv: list[str | Path] = ["match", s, m, *(["--weights", weights] if weights else [])]
    status, _, err = run(argv, capsys)
    assert status == 2
    assert message in one_error_line(err)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("student_id;manager_id\ns01;m01\n".encode("cp1252") + "Å".encode("cp1252"), "UTF-8"),
        (b"", "empty file"),
        (b"student_id;manager_id\ns01;m01;m02\n", "line 2"),
    ],
    ids=["latin-1", "empty", "malformed"],
)
def test_bad_fixed_files_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    s, m = swedish_export(tmp_path, SWEDISH_STUDENTS[:3])
    fixed = tmp_path / "keep.csv"
    fixed.write_bytes(content)
    status, _, err = run(["match", s, m, "--fixed", fixed], capsys)
    assert status == 2
    assert message in one_error_line(err)


def test_fixed_takes_the_tools_own_out_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Used to: the unmatched rows (empty manager id) and escaped ids like '-5 were rejected.
    s, m = tmp_path / "s.csv", tmp_path / "m.csv"
    s.write_text("id,programme,interests\n-5,Juridik,klimat\ns2,Historia,AI-etik\ns3,P,x\n")
    m.write_text("id,unit,interests\nm1,U,klimat\nm2,V,AI-etik\n")
    out = tmp_path / "first.csv"
    assert run(["match", s, m, "--out", out], capsys)[0] == 0
    written = out.read_bytes()
    assert b"'-5" in written
    out.write_bytes(b"\xef\xbb\xbf" + written)  # as Excel saves it again: with a BOM
    status, stdout, err = run(["match", s, m, "--fixed", out, "--format", "csv"], capsys)
    assert status == 0, err
    again = pd.read_csv(io.StringIO(stdout), dtype=str, keep_default_na=False)
    kept = again[again["manager_id"] != ""]
    assert set(kept["fixed"]) == {"True"}
    assert set(kept["student_id"]) == {"'-5", "s2"}


def test_fixed_accepts_list_dict_and_dataframe() -> None:
    scores = mm.Scorer().score(mm.make_cohort(4, 4, rng=0))
    forms: list[list[tuple[str, str]] | dict[str, str] | pd.DataFrame] = [
        [("s01", "m02")],
        {"s01": "m02"},
        pd.DataFrame({"Student_ID": ["s01", "s02"], "manager_id": ["m02", None]}),
    ]
    for fixed in forms:
        pairing = mm.match(scores, fixed=fixed)
        pairs = pairing.pairs
        assert pairs.loc[pairs["fixed"], ["student_id", "manager_id"]].values.tolist() == [
            ["s01", "m02"]
        ]


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_subcommand(where: str) -> None:
    argv = ["match", "missing.csv", "missing2.csv"]
    argv = ["--debug", *argv] if where == "before" else [*argv, "--debug"]
    with pytest.raises(mm.MissingFileError):
        main(argv)


def test_python_dash_m_mentormatch() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentormatch", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"mentormatch {mm.__version__}"


def test_explain_names_the_blocking_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    # Used to: blocking pairs were counted but never named.
    pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=2026)))
    expected = pairing.blocking_pairs()
    assert len(expected) > 0
    from mentormatch.cli import _print_pairing

    _print_pairing(pairing, "table", explain=True)
    out = capsys.readouterr().out
    for student, manager in expected.itertuples(index=False):
        assert f"blocking pair: {student} and {manager} would both rather" in out
