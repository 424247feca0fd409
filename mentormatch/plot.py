"""Plots of scores and pairings, for notebooks and reports.

Needs matplotlib (``pip install 'mentormatch-pairing[plot]'``), imported only
when a plot is drawn. Every function draws on ``ax`` when given (a new figure
otherwise) and returns the Axes, so plots compose like pandas' and seaborn's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from mentormatch._validation import check_instance, check_option, describe, fail, param_where
from mentormatch.evaluation import Evaluation
from mentormatch.matching import Matching
from mentormatch.metrics import partner_ranks
from mentormatch.scoring import Scores

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "criterion_breakdown",
    "evaluation_panels",
    "rank_histogram",
    "score_distribution",
    "score_heatmap",
    "score_vs_rating",
]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "mentormatch.plot needs matplotlib: pip install 'mentormatch-pairing[plot]'"
        ) from None
    return plt


def _axes(ax: Axes | None, owner: str) -> Axes:
    """``ax``, or new axes when it is None (matplotlib is imported here, lazily)."""
    plt = _pyplot()
    if ax is None:
        # Constrained layout makes room for labels, colour bars and outside legends,
        # so that savefig does not clip them.
        _, ax = plt.subplots(layout="constrained")
        return ax
    from matplotlib.axes import Axes

    checked: Axes = check_instance(ax, Axes, param_where("ax", owner), "matplotlib Axes or None")
    return checked


def _matching(matching: Any, owner: str, name: str = "matching") -> Matching:
    checked: Matching = check_instance(matching, Matching, param_where(name, owner), "a Matching")
    return checked


def score_heatmap(
    scores: Scores,
    matching: Matching | None = None,
    *,
    criterion: str = "total",
    ax: Axes | None = None,
) -> Axes:
    """A student x manager heatmap of the scores, with the chosen pairs marked.

    Forbidden pairs are left blank and marked with a grey cross.

    Parameters
    ----------
    scores : Scores
    matching : Matching, optional
        Its pairs are outlined.
    criterion : str, default "total"
        ``"total"`` or the name of a criterion.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> scores = mm.Scorer().score(mm.make_cohort(8, 8, rng=0))
    >>> ax = plot.score_heatmap(scores, mm.match(scores))
    >>> ax.get_xlabel()
    'manager'
    """
    check_instance(scores, Scores, param_where("scores", "score_heatmap"), "a Scores")
    if matching is not None:
        _matching(matching, "score_heatmap")
    check_option(criterion, "criterion", "score_heatmap", ("total", *scores.components))
    values = scores.total if criterion == "total" else scores.components[criterion]
    ax = _axes(ax, "score_heatmap")
    masked = np.ma.masked_where(~scores.allowed, values)
    image = ax.imshow(masked, vmin=0, vmax=1, cmap="viridis", aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=criterion)
    forbidden = np.argwhere(~scores.allowed)
    if len(forbidden):
        ax.scatter(
            forbidden[:, 1], forbidden[:, 0], marker="x", color="0.5", s=20, label="forbidden"
        )
    if matching is not None:
        ax.scatter(
            matching.cols,
            matching.rows,
            marker="s",
            s=120,
            facecolors="none",
            edgecolors="red",
            linewidths=1.5,
            label=f"pairs ({matching.method})",
        )
        # Outside the axes, so that no cell hides behind the legend.
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), fontsize="small", ncols=2)
    n_s, n_m = scores.shape
    if n_m <= 30:
        ax.set_xticks(range(n_m), scores.manager_ids, rotation=90)
    if n_s <= 30:
        ax.set_yticks(range(n_s), scores.student_ids)
    ax.set_xlabel("manager")
    ax.set_ylabel("student")
    ax.set_title(f"Scores ({criterion})")
    return ax


def score_distribution(
    matchings: Sequence[Matching] | Mapping[str, Matching], *, ax: Axes | None = None
) -> Axes:
    """The distribution of pair scores, one box per pairing (method).

    Parameters
    ----------
    matchings : sequence of Matching, or mapping of label to Matching
        A sequence is labelled by each pairing's method.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> scores = mm.Scorer().score(mm.make_cohort(20, 20, rng=0))
    >>> ax = plot.score_distribution([mm.match(scores, method=m) for m in ("hungarian", "stable")])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['hungarian', 'stable']
    """
    if isinstance(matchings, Mapping):
        labelled = list(matchings.items())
    elif isinstance(matchings, Sequence) and all(isinstance(m, Matching) for m in matchings):
        labelled = [(m.method, m) for m in matchings]
    else:
        raise fail(
            param_where("matchings", "score_distribution"),
            "a list of Matching or a mapping of labels to Matching",
            describe(matchings),
        )
    ax = _axes(ax, "score_distribution")
    data = [m.scores.total[m.rows, m.cols] for _, m in labelled]
    ax.boxplot(data, showmeans=True)
    rng = np.random.default_rng(0)  # jitter only: fixed so the picture is reproducible
    for k, values in enumerate(data, start=1):
        ax.scatter(k + rng.uniform(-0.15, 0.15, len(values)), values, s=10, alpha=0.5)
    ax.set_xticks(range(1, len(labelled) + 1), [label for label, _ in labelled])
    ax.set_ylabel("pair score (total)")
    ax.set_ylim(0, 1)
    ax.set_title("Pair scores by method")
    return ax


def rank_histogram(matching: Matching, *, side: str = "students", ax: Axes | None = None) -> Axes:
    """How each side ranks the partner it got (1 = its best allowed partner).

    Parameters
    ----------
    matching : Matching
    side : {"students", "managers"}, default "students"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(10, 10, rng=0)), method="stable")
    >>> plot.rank_histogram(pairing, side="managers").get_xlabel()
    "managers' rank of their partner"
    """
    _matching(matching, "rank_histogram")
    check_option(side, "side", "rank_histogram", ("students", "managers"))
    ranks = partner_ranks(matching, side)
    ax = _axes(ax, "rank_histogram")
    top = int(ranks.max()) if len(ranks) else 1
    counts = np.bincount(ranks, minlength=top + 1)[1:]
    ax.bar(np.arange(1, top + 1), counts, color="tab:blue")
    ax.set_xlabel(f"{side}' rank of their partner")
    ax.set_ylabel("pairs")
    ax.set_title(f"Partner ranks ({matching.method})")
    ax.set_xticks(range(1, top + 1))
    return ax


def criterion_breakdown(matching: Matching, *, ax: Axes | None = None) -> Axes:
    """Each pair's total as stacked bars of its criteria's weighted contributions.

    Parameters
    ----------
    matching : Matching
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> len(plot.criterion_breakdown(pairing).patches)
    24
    """
    scores = _matching(matching, "criterion_breakdown").scores
    norm = sum(scores.weights.values())
    ax = _axes(ax, "criterion_breakdown")
    labels = [
        f"{scores.student_ids[i]}–{scores.manager_ids[j]}"
        for i, j in zip(matching.rows.tolist(), matching.cols.tolist(), strict=True)
    ]
    bottom = np.zeros(len(labels))
    positions = np.arange(len(labels))
    for name, values in scores.components.items():
        part = scores.weights.get(name, 0.0) / norm * values[matching.rows, matching.cols]
        ax.bar(positions, part, bottom=bottom, label=name)
        bottom += part
    if len(labels) <= 40:
        ax.set_xticks(positions, labels, rotation=90)
    ax.set_ylabel("contribution to the total")
    ax.set_ylim(0, 1)
    ax.legend(fontsize="small")
    ax.set_title(f"What makes each pair ({matching.method})")
    return ax


def score_vs_rating(
    evaluation: Evaluation,
    *,
    rating: str | None = None,
    criterion: str = "total",
    ax: Axes | None = None,
) -> Axes:
    """Each rated pair's score against its rating, with Spearman's rho in the title.

    Ratings are jittered a little vertically so that equal answers stay
    visible; the jitter is fixed, so the picture is
    reproducible.

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`mentormatch.evaluate`.
    rating : str, optional
        A rating column; default the first.
    criterion : str, default "total"
        ``"total"`` or the name of a criterion.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> result = mm.evaluate(pairing, mm.make_ratings(pairing, rng=1), rng=0)
    >>> plot.score_vs_rating(result, criterion="interests").get_xlabel()
    'interests'
    """
    if not isinstance(evaluation, Evaluation):
        raise fail(
            param_where("evaluation", "score_vs_rating"),
            "an Evaluation (from evaluate)",
            describe(evaluation),
        )
    name = evaluation.ratings[0] if rating is None else rating
    check_option(name, "rating", "score_vs_rating", evaluation.ratings)
    check_option(criterion, "criterion", "score_vs_rating", ("total", *evaluation.criteria))
    column = "score" if criterion == "total" else criterion
    answered = evaluation.pairs[evaluation.pairs[name].notna()]
    x = answered[column].to_numpy(dtype=np.float64)
    y = answered[name].to_numpy(dtype=np.float64)
    ax = _axes(ax, "score_vs_rating")
    jitter = np.random.default_rng(0).uniform(-0.08, 0.08, len(y))
    ax.scatter(x, y + jitter, s=14, alpha=0.6, color="tab:blue")
    table = evaluation.table(name)
    rho, low, high = table.loc[criterion, ["rho", "low", "high"]].to_numpy(dtype=np.float64)
    label = "rho undefined" if np.isnan(rho) else f"rho {rho:+.2f}"
    if not np.isnan(low):
        label += f" [{low:+.2f}, {high:+.2f}]"
    ax.set_title(f"{label}, n={len(y)}", fontsize="small")
    ax.set_xlabel(criterion)
    ax.set_ylabel(name)
    ax.set_xlim(-0.02, 1.02)
    return ax


def evaluation_panels(
    evaluation: Evaluation, *, rating: str | None = None, figure: Figure | None = None
) -> NDArray[Any]:
    """One :func:`score_vs_rating` panel for the total and each criterion, side by side.

    Parameters
    ----------
    evaluation : Evaluation
    rating : str, optional
        A rating column; default the first.
    figure : matplotlib Figure, optional
        Drawn on (a new pyplot figure otherwise).

    Returns
    -------
    ndarray of matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mentormatch as mm
    >>> from mentormatch import plot
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> result = mm.evaluate(pairing, mm.make_ratings(pairing, rng=1), rng=0)
    >>> [ax.get_xlabel() for ax in plot.evaluation_panels(result)]
    ['total', 'programme', 'interests', 'diversity']
    """
    owner = "evaluation_panels"
    check_instance(
        evaluation, Evaluation, param_where("evaluation", owner), "an Evaluation (from evaluate)"
    )
    names = ("total", *evaluation.criteria)
    plt = _pyplot()
    if figure is None:
        figure = plt.figure(layout="constrained")
    from matplotlib.figure import Figure as _Figure

    check_instance(figure, _Figure, param_where("figure", owner), "a matplotlib Figure or None")
    figure.set_size_inches(3.2 * len(names), 3.0)
    axes = np.atleast_1d(figure.subplots(1, len(names), sharey=True))
    for ax, criterion in zip(axes, names, strict=True):
        score_vs_rating(evaluation, rating=rating, criterion=criterion, ax=ax)
    for ax in axes[1:]:
        ax.set_ylabel("")
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    return axes
