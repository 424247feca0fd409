"""The HTML report without a browser: content, escaping, privacy, no requests, no overwrite.

The page is parsed with the standard library's HTMLParser, an independent
reading of what was written (the browser test renders it too).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import report
from mentormatch.cli import main


class Page(HTMLParser):
    """Tags, attributes and the text of each table, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.table_rows: dict[str, int] = {}
        self._table: str | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self._table = attributes.get("id") or f"table{len(self.table_rows)}"
            self.table_rows[self._table] = 0
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body and self._table is not None:
            self.table_rows[self._table] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def digg() -> mm.Matching:
    return mm.match(mm.Scorer().score(mm.make_cohort(8, 9, rng=2026)), method="stable")


def test_report_has_every_part(digg: mm.Matching) -> None:
    survey = mm.make_ratings(digg, missing=0.25, rng=1)
    evaluation = mm.evaluate(digg, survey, rng=0, n_boot=100)
    page = parse(report.render(digg, evaluation=evaluation))
    sections = [a.get("id") for tag, a in page.tags if tag == "section"]
    assert sections == [
        "summary",
        "pairs",
        "unmatched",
        "methods-compared",
        "plots",
        "after-the-year",
    ]
    assert page.table_rows["pairs"] == 8
    assert page.table_rows["unmatched"] == 1
    assert page.table_rows["methods"] == 3
    text = " ".join(page.text)
    # The text columns are not overwritten by the criteria of the same name.
    assert digg.scores.cohort.students["programme"].iloc[digg.rows[0]] in text
    assert digg.reasons().iloc[0] in text
    assert digg.unmatched["reason"].iloc[0] in text


def test_every_table_has_caption_and_headers_every_image_alt(digg: mm.Matching) -> None:
    page_text = report.render(digg)
    page = parse(page_text)
    assert page_text.count("<table") == page_text.count("<caption>")
    assert page_text.count("<table") == len(
        re.findall(r"<table[^>]*><caption>.*?</caption><thead>", page_text)
    )
    images = [a for tag, a in page.tags if tag == "img"]
    assert len(images) == 3
    for attributes in images:
        assert (attributes.get("alt") or "").strip()
        assert (attributes.get("src") or "").startswith("data:image/svg+xml;base64,")


def test_no_request_can_leave_the_page(digg: mm.Matching) -> None:
    page_text = report.render(digg)
    page = parse(page_text)
    assert not [a for tag, a in page.tags if tag in ("script", "link", "iframe", "object")]
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            if name in ("src", "href", "action", "srcset"):
                assert (value or "").startswith("data:"), (tag, name, value)
    assert "url(" not in page_text.split("</style>")[0]  # no fonts or images from CSS
    csp = next(a for tag, a in page.tags if tag == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in (csp.get("content") or "")


def test_personal_attributes_only_when_asked(digg: mm.Matching) -> None:
    students = digg.scores.cohort.students
    age = str(int(students["age"].dropna().iloc[0]))
    gender = str(students["gender"].dropna().iloc[0])
    hidden = report.render(digg)
    shown = report.render(digg, personal=True)
    pairs_hidden = hidden.split('<table id="pairs"')[1].split("</table>")[0]
    pairs_shown = shown.split('<table id="pairs"')[1].split("</table>")[0]
    assert "age, gender" not in pairs_hidden
    assert f"{age}; {gender}" not in pairs_hidden
    assert "age, gender, region and languages" in pairs_shown
    assert f"{age}; {gender}" in pairs_shown


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    students = pd.DataFrame(
        {
            "id": ["<b>s1</b>", "s2"],
            "programme": ["Statsvetenskap", "<img src=x onerror=alert(1)>"],
            "interests": [["demokrati"], ["klimat"]],
        }
    )
    managers = pd.DataFrame(
        {
            "id": ["m1", "m&2"],
            "unit": ["<script>x</script>", "AI"],
            "interests": [["klimat"], ["demokrati"]],
        }
    )
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(students, managers)))
    page_text = report.render(pairing, title="<i>pilot</i>")
    assert "<b>s1" not in page_text
    assert "&lt;b&gt;s1&lt;/b&gt;" in page_text
    assert "<img src=x" not in page_text
    assert "<script>" not in page_text
    assert "m&amp;2" in page_text
    assert "<i>pilot" not in page_text


def test_never_overwrites_unless_asked(digg: mm.Matching, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("the coordinator's notes")
    with pytest.raises(mm.InvalidInputError, match="which exists"):
        digg.to_html(path)
    assert path.read_text() == "the coordinator's notes"
    digg.to_html(path, force=True)
    assert path.read_text().startswith("<!DOCTYPE html>")


def test_same_pairing_same_file(digg: mm.Matching, tmp_path: Path) -> None:
    first = digg.to_html(tmp_path / "a.html").read_bytes()
    assert first == digg.to_html(tmp_path / "b.html").read_bytes()


def test_cli_report_with_ratings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = mm.make_cohort(8, 8, rng=2026)
    students, managers = tmp_path / "students.csv", tmp_path / "managers.csv"
    cohort.to_csv(students, managers)
    pairing = mm.match(mm.Scorer().score(cohort))
    ratings = tmp_path / "ratings.csv"
    mm.make_ratings(pairing, rng=1).to_csv(ratings, index=False)
    out = tmp_path / "report.html"
    args = ["report", str(students), str(managers), "--out", str(out), "--ratings", str(ratings)]
    assert main(args) == 0
    assert "wrote the report of 8 pairs, 8 rated" in capsys.readouterr().err
    page = parse(out.read_text())
    assert page.table_rows["pairs"] == 8
    assert any(a.get("id") == "after-the-year" for tag, a in page.tags if tag == "section")
    assert main(args) == 2  # exists: not overwritten
    assert "which exists" in capsys.readouterr().err
    assert main([*args, "--force", "--method", "maxmin"]) == 0
    # Not even --force writes over an input file.
    inputs = ["report", str(students), str(managers), "--out", str(students), "--force"]
    assert main(inputs) == 2
    assert "an input file" in capsys.readouterr().err
    assert main([*args[:-1], str(tmp_path / "no.csv"), "--force"]) == 2
    assert "option '--ratings'" in capsys.readouterr().err


def test_report_of_an_empty_pairing_and_of_fixed_pairs() -> None:
    # Every pair forbidden: no pairs, everyone unmatched with the hard rule as the reason.
    empty = mm.match(mm.Scorer(min_score=1.0).score(mm.make_cohort(4, 4, rng=0)))
    evaluation = mm.evaluate(empty, mm.make_ratings(empty, rng=0), rng=0)
    page = parse(report.render(empty, evaluation=evaluation))
    assert page.table_rows["pairs"] == 0
    assert page.table_rows["unmatched"] == 8
    assert "reaches min_score" in " ".join(page.text)
    fixed = mm.match(mm.Scorer().score(mm.make_cohort(6, 6, rng=0)), fixed=[("s01", "m02")])
    assert "(fixed)" in report.render(fixed)
