"""The HTML report in a real browser: headless Chromium driven by Playwright.

Chromium is the Debian package (``/usr/bin/chromium``), never a browser that
Playwright downloads. Where either is missing the test is skipped and says
why; CI sets ``MENTORMATCH_REQUIRE_BROWSER=1`` once it has installed both,
and then a missing browser fails instead.

Run as a script to make the screenshot of the docs::

    python tests/test_report_browser.py docs/_static/report.png
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mentormatch as mm

# The flags that work on this project's machines: no sandbox (CI runs as root), and no
# background connections (the network is closed; Chromium would retry them forever).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return os.environ.get("MENTORMATCH_CHROMIUM") or shutil.which("chromium")


def _missing_browser() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install 'mentormatch-pairing[browser]')"
    if _chromium() is None:
        return "no Chromium on this machine (apt-get install chromium)"
    return None


@dataclass
class Visit:
    """What the browser saw of one page."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    pair_rows: int = -1
    facts: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes = b""
    pdf: bytes = b""


_FACTS_JS = """() => ({
  tables: document.querySelectorAll("table").length,
  tablesWithCaption: document.querySelectorAll("table > caption").length,
  tablesWithHeader: [...document.querySelectorAll("table")]
      .filter(t => t.querySelector("thead th")).length,
  images: document.images.length,
  imagesWithAlt: [...document.images].filter(i => i.alt.trim().length > 0).length,
  imagesDrawn: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
  scripts: document.scripts.length,
  title: document.title,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""


def visit(path: Path, *, width: int = 1000) -> Visit:
    """Open a report in headless Chromium and record errors, requests, rows and pictures."""
    from playwright.sync_api import sync_playwright

    seen = Visit()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile,  # a fresh --user-data-dir
            executable_path=_chromium(),
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": 1200},
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda m: (
                    seen.errors.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda e: seen.errors.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: seen.errors.append(f"request failed: {r.url}"))
            page.on("request", lambda r: seen.requests.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            seen.pair_rows = page.locator("#pairs tbody tr").count()
            seen.facts = page.evaluate(_FACTS_JS)
            seen.screenshot = page.screenshot(full_page=True)
            page.emulate_media(media="print")
            seen.pdf = page.pdf(format="A4", print_background=True)
        finally:
            context.close()
    return seen


def _pixels(png: bytes) -> np.ndarray:
    import matplotlib.image

    return np.asarray(matplotlib.image.imread(io.BytesIO(png), format="png"))


@pytest.fixture(scope="module")
def browser_ready() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("MENTORMATCH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MENTORMATCH_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"browser test not run: {reason}")


@pytest.mark.parametrize(("n", "personal"), [(8, False), (60, True)])
def test_report_renders_in_chromium(
    browser_ready: None, tmp_path: Path, n: int, personal: bool
) -> None:
    cohort = mm.make_cohort(n, n + 1, rng=2026)  # one manager left unmatched
    pairing = mm.match(mm.Scorer().score(cohort), method="stable")
    survey = mm.make_ratings(pairing, missing=0.25, rng=1)
    evaluation = mm.evaluate(pairing, survey, rng=0, n_boot=200)
    path = pairing.to_html(
        tmp_path / "report.html",
        title="Pilot <script>alert(1)</script>",
        evaluation=evaluation,
        personal=personal,
    )

    # 720 px: about the printable width of A4 (186 mm at 96 px an inch).
    seen = visit(path, width=720)

    assert seen.errors == []
    # Nothing but the file itself (data: URIs make no request): no CDN, font or beacon.
    assert seen.requests == [path.resolve().as_uri()]
    assert seen.pair_rows == len(pairing.rows) == n
    facts = seen.facts
    assert facts["scripts"] == 0  # the title's <script> arrived as text
    assert facts["title"] == "Pilot <script>alert(1)</script>"
    assert facts["tables"] >= 5
    assert facts["tablesWithCaption"] == facts["tables"]
    assert facts["tablesWithHeader"] == facts["tables"]
    assert facts["images"] >= 3
    assert facts["imagesWithAlt"] == facts["images"]
    assert facts["imagesDrawn"] == facts["images"]
    assert facts["overflow"] == 0  # nothing wider than an A4 page

    pixels = _pixels(seen.screenshot)
    height, width = pixels.shape[:2]
    assert width == 720
    assert height > 2000  # the whole page, not one blank viewport
    ink = (pixels[..., :3] < 0.9).any(axis=-1).mean()
    assert 0.02 < ink < 0.9, f"screenshot looks blank or black: {ink:.3f} of pixels inked"
    assert float(pixels[..., :3].std()) > 0.05

    # Printing to A4 works (what it looks like is checked by eye: docs/_static/report_print.png).
    assert seen.pdf.startswith(b"%PDF")
    assert len(seen.pdf) > 10_000


def docs_report(folder: Path) -> Path:
    """The report of docs/after_the_year.md: the Digg-sized cohort and its synthetic survey."""
    cohort = mm.make_cohort(8, 8, rng=2026)
    scorer = mm.Scorer(weights={"programme": 0.3, "interests": 0.4, "diversity": 0.3})
    pairing = mm.match(scorer.score(cohort))
    truth = {"programme": 0.1, "interests": 0.6, "diversity": 0.3}
    survey = mm.make_ratings(pairing, weights=truth, rng=1)
    survey = survey.rename(columns={"rating": "student_rating"})
    survey["manager_rating"] = mm.make_ratings(pairing, weights=truth, rng=2)["rating"]
    survey["meetings"] = np.random.default_rng(3).integers(2, 5, len(survey)).astype(float)
    survey.loc[5, ["student_rating", "manager_rating", "meetings"]] = np.nan
    return pairing.to_html(
        folder / "report.html",
        title="Digg pilot 2026: pairing and evaluation",
        evaluation=mm.evaluate(pairing, survey, rng=0),
    )


if __name__ == "__main__":  # pragma: no cover - makes the docs' screenshot
    out = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        out.write_bytes(visit(docs_report(Path(folder)), width=900).screenshot)
    print(f"wrote {out}")
