"""Every script in examples/ runs, quickly, and prints what a coordinator needs.

The examples are collected by globbing, so a new example is tested without
touching this file: it must exit cleanly, print something, and write nothing
to stderr (so no warnings). An entry in ``EXPECTED`` also checks a line of
its output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: A line that each example's output must contain.
EXPECTED = {
    "capacities_and_rules.py": "student s03: all 5 allowed managers are full with students they prefer",
    "custom_criterion.py": "Mean unit fit: 0.24 without the criterion, 0.30 with it",
    "digg_programme.py": "Summary: 8 pairs, total score 3.17, mean 0.40, worst pair 0.24",
}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_runs(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(path)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.stdout.strip(), f"{path.name} printed nothing"
    assert not result.stderr, f"{path.name} wrote to stderr:\n{result.stderr}"
    expected = EXPECTED.get(path.name)
    if expected is not None:
        assert expected in result.stdout, f"{path.name} did not print {expected!r}"


def test_expected_lines_name_existing_examples() -> None:
    names = {path.name for path in EXAMPLES.glob("*.py")}
    assert set(EXPECTED) <= names, f"EXPECTED names a missing example: {set(EXPECTED) - names}"
