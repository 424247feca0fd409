"""The mentormatch command: demo, match, compare, errors and safe CSV output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main

STUDENTS = """id;programme;interests;age;gender;avoid
s1;Statsvetenskap;demokrati|klimat;23;kvinna;
s2;Sociologi;jämställdhet|migration;27;man;m2
=cmd;Datateknik;AI-etik|integritet;21;kvinna;
"""
MANAGERS = """id;unit;education;seeking;interests;age;gender
m1;Digital förvaltning;Juridik;Statsvetenskap;demokrati|integritet;52;man
m2;Innovation och AI;Datateknik;Juridik;AI-etik|klimat;45;kvinna
"""


@pytest.fixture
def export(tmp_path: Path) -> tuple[str, str]:
    """A hand-written sign-up export, as Swedish Excel writes it (';' between fields)."""
    s, m = tmp_path / "students.csv", tmp_path / "managers.csv"
    s.write_text(STUDENTS, encoding="utf-8-sig")
    m.write_text(MANAGERS, encoding="utf-8")
    return str(s), str(m)


def test_demo_prints_eight_pairs_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("s0")]
    assert len(lines) == 8
    assert all("shares" in line or "no shared interests" in line for line in lines)
    assert "8 pairs" in out


def test_match_writes_safe_csv(export: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    assert main(["match", *export, "--value-sep", "|", "--out", str(out), "--explain"]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert "'=cmd" in set(frame.student_id)
    assert "=cmd" not in set(frame.student_id)
    unmatched = frame[frame.manager_id == ""]
    assert unmatched.student_id.tolist() == ["s2"]
    assert frame.reason[frame.manager_id != ""].str.contains("strongest: ").all()


def test_match_json_and_options(
    export: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["match", *export, "--value-sep", "|", "--format", "json", "--method", "stable"]
    args += ["--proposer", "managers", "--weights", "programme=1,interests=1"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["method"] == "stable"
    assert payload["summary"]["blocking_pairs"] == 0
    assert {p["student_id"] for p in payload["pairs"]} <= {"s1", "s2", "=cmd"}


def test_match_keeps_fixed_pairs(
    export: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("student_id,manager_id\ns1,m2\n")
    assert (
        main(["match", *export, "--value-sep", "|", "--fixed", str(fixed), "--format", "csv"]) == 0
    )
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    kept = frame[(frame.student_id == "s1") & (frame.manager_id == "m2")]
    assert kept.fixed.tolist() == ["True"]


def test_compare_table(export: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", *export, "--value-sep", "|"]) == 0
    out = capsys.readouterr().out
    for method in ("hungarian", "stable", "maxmin"):
        assert method in out
    assert "total_vs_best" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["match", "missing.csv", "missing2.csv"],
            "argument STUDENTS: expected an existing CSV or Excel file, got 'missing.csv'",
        ),
        (["match", "{s}", "{m}", "--weights", "programme=x"], "option '--weights'"),
        (["match", "{s}", "{m}", "--weights", "charm=1"], "expected criterion names"),
        (["match", "{s}", "{m}", "--fixed", "{s}"], "option '--fixed'"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(
    export: tuple[str, str], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    s, m = export
    argv = [a.format(s=s, m=m) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("mentormatch: error: ")
    assert message in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback() -> None:
    with pytest.raises(mm.MissingFileError):
        main(["--debug", "match", "missing.csv", "missing2.csv"])


def test_console_script_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "mentormatch.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"mentormatch {mm.__version__}"
    help_text = subprocess.run(
        [sys.executable, "-m", "mentormatch.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("demo", "match", "compare"):
        assert command in help_text


def test_usage_error_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentormatch.cli", "match"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr
