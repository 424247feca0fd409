"""Plots saved with a plain ``savefig`` keep their labels, colour bars and legends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import mentormatch as mm

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from mentormatch import plot  # noqa: E402


def _plots() -> list[tuple[str, Callable[[mm.Scores, mm.Matching], Any]]]:
    return [
        ("score_heatmap", lambda s, p: plot.score_heatmap(s, p)),
        ("criterion_breakdown", lambda s, p: plot.criterion_breakdown(p)),
        ("rank_histogram", lambda s, p: plot.rank_histogram(p)),
        ("score_distribution", lambda s, p: plot.score_distribution([p])),
    ]


@pytest.mark.parametrize(("name", "draw"), _plots(), ids=[n for n, _ in _plots()])
def test_nothing_drawn_outside_the_figure(
    name: str, draw: Callable[[mm.Scores, mm.Matching], Any]
) -> None:
    # Used to: the heatmap's legend below the axes and long tick labels were cut off.
    import matplotlib.pyplot as plt

    scores = mm.Scorer(min_score=0.3).score(mm.make_cohort(8, 8, rng=0))
    ax = draw(scores, mm.match(scores))
    figure = ax.figure
    figure.canvas.draw()
    drawn = figure.get_tightbbox(figure.canvas.get_renderer())
    page = figure.bbox_inches
    tolerance = 0.02  # inches
    assert drawn.x0 >= -tolerance, name
    assert drawn.y0 >= -tolerance, name
    assert drawn.x1 <= page.x1 + tolerance, name
    assert drawn.y1 <= page.y1 + tolerance, name
    plt.close(figure)
