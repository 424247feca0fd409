"""Plots render with the Agg backend and return their Axes."""

from __future__ import annotations

import io

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import mentormatch as mm  # noqa: E402
from mentormatch import InvalidInputError, plot  # noqa: E402


@pytest.fixture(scope="module")
def scores() -> mm.Scores:
    return mm.Scorer(min_score=0.25).score(mm.make_cohort(10, 9, rng=5, manager_capacity=(1, 2)))


def rendered(ax: Axes) -> bytes:
    buffer = io.BytesIO()
    figure = ax.get_figure(root=True)
    assert figure is not None
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_heatmap_marks_pairs_and_forbidden(scores: mm.Scores) -> None:
    pairing = mm.match(scores)
    ax = plot.score_heatmap(scores, pairing, criterion="interests")
    assert isinstance(ax, Axes)
    assert rendered(ax).startswith(b"\x89PNG")
    offsets = [np.asarray(c.get_offsets()) for c in ax.collections]
    assert any(o.shape[0] == len(pairing.rows) for o in offsets)
    assert ax.get_title() == "Scores (interests)"


def test_heatmap_on_given_axes_and_bad_criterion(scores: mm.Scores) -> None:
    _, ax = plt.subplots()
    assert plot.score_heatmap(scores, ax=ax) is ax
    with pytest.raises(
        InvalidInputError, match=r"parameter 'criterion' of score_heatmap: expected one of"
    ):
        plot.score_heatmap(scores, criterion="charm")


def test_score_distribution_from_list_and_mapping(scores: mm.Scores) -> None:
    pairings = {m: mm.match(scores, method=m) for m in ("hungarian", "stable", "maxmin")}
    ax = plot.score_distribution(pairings)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(pairings)
    rendered(ax)
    ax = plot.score_distribution(list(pairings.values()))
    assert len(ax.get_xticklabels()) == 3
    with pytest.raises(InvalidInputError, match=r"parameter 'matchings' of score_distribution"):
        plot.score_distribution([1, 2])  # type: ignore[list-item]


def test_rank_histogram_counts_every_pair(scores: mm.Scores) -> None:
    pairing = mm.match(scores, method="stable")
    for side in ("students", "managers"):
        ax = plot.rank_histogram(pairing, side=side)
        assert sum(p.get_height() for p in ax.patches if isinstance(p, Rectangle)) == len(
            pairing.rows
        )
        rendered(ax)


def test_criterion_breakdown_stacks_to_the_total(scores: mm.Scores) -> None:
    pairing = mm.match(scores)
    ax = plot.criterion_breakdown(pairing)
    n = len(pairing.rows)
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert len(heights) == 3 * n
    totals = [sum(heights[k::n]) for k in range(n)]
    assert totals == pytest.approx(list(pairing.pairs["score"]))
    rendered(ax)
