"""LazyScores: a pairing on scores computed on demand reads as on the dense scores."""

from __future__ import annotations

import dataclasses
import io
import pickle
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import blocks, plot
from mentormatch.exceptions import InvalidInputError
from tests.strategies import fuzz_examples

matplotlib.use("Agg")

CRITERIA = ("programme", "interests", "diversity")


@st.composite
def st_case(draw: st.DrawFn, max_side: int = 60) -> tuple[mm.Scorer, mm.Cohort]:
    """A make_cohort of up to ``max_side`` per side and a Scorer with a mix of options."""
    n_s, n_m = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    seed = draw(st.integers(0, 2**16))
    capacity: st.SearchStrategy[int | tuple[int, int]] = st.sampled_from([1, 1, (1, 3)])
    cohort = mm.make_cohort(
        n_s,
        n_m,
        rng=seed,
        student_capacity=draw(capacity),
        manager_capacity=draw(capacity),
        n_preferences=draw(st.sampled_from([0, 2, 4])),
        avoid_rate=draw(st.sampled_from([0.0, 0.3, 0.8])),
    )
    weights = st.none() | st.dictionaries(
        st.sampled_from(CRITERIA), st.sampled_from([0.0, 0.2, 1.0, 3.0]), min_size=1
    ).filter(lambda w: sum(w.values()) > 0)
    allowed = None
    if draw(st.booleans()):
        allowed = np.random.default_rng(seed).random((n_s, n_m)) < 0.8
    scorer = mm.Scorer(
        weights=draw(weights),
        student_weights=draw(weights),
        manager_weights=draw(weights),
        preference_bonus=draw(st.sampled_from([0.0, 0.2, 1.0])),
        min_score=draw(st.sampled_from([None, 0.2, 0.45, 0.7])),
        share_language=draw(st.booleans()),
        allowed=allowed,
        options=draw(st.sampled_from([None, {"interests": {"weighting": "idf"}}])),
        dtype=draw(st.sampled_from(["float64", "float32"])),
    )
    return scorer, cohort


def _same_frames(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left, right, check_exact=True)


def _same_series(left: pd.Series, right: pd.Series) -> None:
    pd.testing.assert_series_equal(left, right, check_exact=True)  # NaN equals NaN here


def _criterion_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if line.startswith("Criterion")), len(lines))
    return lines[start:]


def _check_pairing(dense: mm.Matching, lazy: mm.Matching) -> None:
    """Everything block-wise on ``lazy`` reads as on ``dense``."""
    _same_frames(lazy.pairs, dense.pairs)
    _same_frames(lazy.unmatched, dense.unmatched)
    assert lazy.total_score == dense.total_score
    _same_series(lazy.summary(), dense.summary())
    _same_frames(lazy.blocking_pairs(), dense.blocking_pairs())
    _same_frames(lazy.to_frame(), dense.to_frame())
    _same_frames(lazy.to_frame(explain=True), dense.to_frame(explain=True))
    _same_series(lazy.reasons(), dense.reasons())
    for side in ("students", "managers"):
        assert np.array_equal(mm.partner_ranks(lazy, side), mm.partner_ranks(dense, side))
    assert repr(lazy) == repr(dense)
    assert lazy._repr_html_() == dense._repr_html_()
    out_lazy, out_dense = io.StringIO(), io.StringIO()
    lazy.to_csv(out_lazy)
    dense.to_csv(out_dense)
    assert out_lazy.getvalue() == out_dense.getvalue()


@settings(max_examples=fuzz_examples(40))
@given(case=st_case(), method=st.sampled_from(["hungarian", "stable"]), data=st.data())
def test_a_pairing_on_lazy_scores_reads_as_on_the_dense_ones(
    case: tuple[mm.Scorer, mm.Cohort], method: str, data: st.DataObject
) -> None:
    scorer, cohort = case
    scores = scorer.score(cohort)
    proposer = data.draw(st.sampled_from(["students", "managers"]))
    dense = mm.match(scores, method=method, proposer=proposer)
    lazy = dataclasses.replace(dense, scores=mm.BlockScorer(scorer, cohort).lazy_scores())
    student, manager = scores.student_ids[-1], scores.manager_ids[0]
    # With no dense step allowed at all, everything goes block by block, to the same answers.
    original = blocks.DENSE_LIMIT
    blocks.DENSE_LIMIT = 0
    try:
        _check_pairing(dense, lazy)
        text = lazy.why_not(student, manager)
        assert _criterion_lines(text) == _criterion_lines(dense.why_not(student, manager))
    finally:
        blocks.DENSE_LIMIT = original
    # Small enough for a dense step: why_not solves again (what forcing the pair does).
    assert lazy.why_not(student, manager) == dense.why_not(student, manager)


def test_fixed_pairs_and_unmatched_reasons_of_every_kind() -> None:
    # Avoid lists everywhere, a high min_score and full partners: most reasons come up.
    cohort = mm.make_cohort(30, 12, rng=5, avoid_rate=0.8, n_preferences=3)
    scorer = mm.Scorer(min_score=0.5, share_language=True, manager_weights={"interests": 1.0})
    scores = scorer.score(cohort)
    lazy_scores = mm.BlockScorer(scorer, cohort).lazy_scores()
    first = scores.allowed.nonzero()
    fixed = [(scores.student_ids[first[0][0]], scores.manager_ids[first[1][0]])]
    for method in ("hungarian", "stable", "maxmin"):
        dense = mm.match(scores, method=method, fixed=fixed)
        lazy = dataclasses.replace(dense, scores=lazy_scores)
        reasons = set(dense.unmatched["reason"].str.split(" ").str[0])
        assert len(reasons) >= 2, reasons
        _check_pairing(dense, lazy)


@settings(max_examples=fuzz_examples(30))
@given(case=st_case(max_side=12), data=st.data())
def test_every_array_indexes_as_the_dense_one(
    case: tuple[mm.Scorer, mm.Cohort], data: st.DataObject
) -> None:
    scorer, cohort = case
    scores = scorer.score(cohort)
    lazy = mm.BlockScorer(scorer, cohort).lazy_scores()
    names = ["total", "allowed", "student_view", "manager_view"]
    pairs = [(getattr(lazy, n), getattr(scores, n)) for n in names]
    pairs += [(lazy.components[n], scores.components[n]) for n in scores.components]
    # min_score may be named without forbidding anything (see LazyScores); the others match.
    assert set(scores.forbidden) <= set(lazy.forbidden)
    for name, mask in lazy.forbidden.items():
        pairs.append((mask, scores.forbidden.get(name, np.zeros(scores.shape, dtype=bool))))
    for lazy_array, dense_array in pairs:
        for transposed in (False, True):
            left = lazy_array.T if transposed else lazy_array
            right = dense_array.T if transposed else dense_array
            n, m = right.shape
            index = st.integers(-n, n - 1)
            column = st.integers(-m, m - 1)
            rows = st.lists(index, max_size=6).map(lambda x: np.array(x, dtype=np.intp))
            cols = st.lists(column, max_size=6).map(lambda x: np.array(x, dtype=np.intp))
            span = st.builds(
                slice,
                st.none() | st.integers(-n - 1, n + 1),
                st.none() | st.integers(-n - 1, n + 1),
                st.none() | st.sampled_from([1, 2, -1, -3]),
            )
            i, j = data.draw(index), data.draw(column)
            r = data.draw(rows)
            c = data.draw(st.lists(column, min_size=len(r), max_size=len(r))).copy()
            keys: list[Any] = [
                (i, j),
                (r, np.array(c, dtype=np.intp)),
                i,
                r,
                data.draw(span),
                (slice(None), j),
                (r, slice(None)),
                (slice(None), data.draw(cols)),
                (i, data.draw(cols)),
                (data.draw(span), j),
                np.arange(n) % 2 == 0,
                (r[:, None], data.draw(cols)[None, :]),
            ]
            for key in keys:
                got, want = left[key], right[key]
                assert np.asarray(got).dtype == want.dtype
                assert np.array_equal(got, want), key
                assert type(got) is type(want), key
            assert np.array_equal(np.asarray(left), right)
            assert np.array_equal(left.copy(), right)
            assert np.array_equal(left > 0.5, right > 0.5)
            assert left.shape == right.shape
            assert left.dtype == right.dtype


def test_the_other_readers_of_a_pairing_work_past_the_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cohort = mm.make_cohort(14, 11, rng=2, avoid_rate=0.3, n_preferences=2)
    scorer = mm.Scorer(min_score=0.3, student_weights={"interests": 1.0})
    scores = scorer.score(cohort)
    dense = mm.match(scores, method="stable")
    other = mm.match(scores)
    lazy_scores = mm.BlockScorer(scorer, cohort).lazy_scores()
    lazy = dataclasses.replace(dense, scores=lazy_scores)
    monkeypatch.setattr(blocks, "DENSE_LIMIT", 0)
    ratings = mm.make_ratings(dense, rng=0)
    _same_frames(mm.make_ratings(lazy, rng=0), ratings)
    assert repr(mm.evaluate(lazy, ratings, n_boot=20, rng=0)) == repr(
        mm.evaluate(dense, ratings, n_boot=20, rng=0)
    )
    _same_frames(lazy.diff(dataclasses.replace(other, scores=lazy_scores)), dense.diff(other))
    for draw in (plot.rank_histogram, plot.criterion_breakdown):
        assert draw(lazy) is not None
    assert plot.score_distribution([lazy]) is not None
    lazy.to_excel(tmp_path / "lazy.xlsx")
    dense.to_excel(tmp_path / "dense.xlsx")
    for sheet in ("pairs", "unmatched", "summary"):
        _same_frames(
            pd.read_excel(tmp_path / "lazy.xlsx", sheet_name=sheet),
            pd.read_excel(tmp_path / "dense.xlsx", sheet_name=sheet),
        )
    for pair in [(s, m) for s in scores.student_ids[:3] for m in scores.manager_ids[:3]]:
        assert str(lazy_scores.explain(*pair)) == str(scores.explain(*pair))


def test_the_matrices_are_read_only_and_say_what_they_are() -> None:
    lazy = mm.BlockScorer(mm.Scorer(), mm.make_cohort(3, 4, rng=0)).lazy_scores()
    with pytest.raises(ValueError, match="read-only"):
        lazy.total[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        np.add(np.ones((3, 4)), 1.0, out=lazy.total)
    matrix = lazy.total
    with pytest.raises(ValueError, match="read-only"):
        matrix += 1.0
    assert repr(lazy.forbidden) == "{}"
    assert repr(lazy.components["interests"].T) == (
        "LazyMatrix(\"components['interests']\".T, shape=(4, 3), dtype=float64)"
    )
    with pytest.raises(IndexError):
        lazy.total[3, 0]
    with pytest.raises(IndexError):
        lazy.total[0, 0, 0]
    assert (len(lazy.total), lazy.total.ndim, lazy.total.size) == (3, 2, 12)
    assert [row.shape for row in lazy.total] == [(4,)] * 3


def test_a_dense_step_past_the_limit_raises_saying_what_to_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cohort = mm.make_cohort(6, 5, rng=0)
    scorer = mm.Scorer()
    lazy = mm.BlockScorer(scorer, cohort).lazy_scores()
    dense = mm.match(lazy)  # small: dense steps work, on the same bits
    assert dense.pairs.equals(mm.match(scorer.score(cohort)).pairs)
    monkeypatch.setattr(blocks, "DENSE_LIMIT", 29)
    steps: list[Callable[[], object]] = [
        lambda: np.asarray(lazy.total),
        lambda: lazy.allowed.copy(),
        lambda: lazy.total + 1,
        lambda: lazy.components["programme"].mean(),
        lambda: lazy.manager_view.T[:, :],
        lambda: lazy.to_frame(),
        lambda: mm.match(lazy),
        lambda: mm.match(lazy, method="stable"),
        lambda: dense.what_if(forbid=[("s01", "m01")]),
        lambda: mm.compare(lazy),
        lambda: mm.alternatives(lazy, k=2),
        lambda: scorer.reweight(lazy, {"interests": 1.0}),
        lambda: plot.score_heatmap(lazy),
    ]
    for step in steps:
        with pytest.raises(InvalidInputError, match=r"at most 29 entries.*block-wise.*30 entries"):
            step()
    assert lazy.total[2].shape == (5,)  # 5 entries: under the limit
    assert "computed on demand" in lazy._repr_html_()
    # The pairing itself reads block by block, past the limit too.
    assert len(dense.pairs) == 5
    assert dense.summary()["n_pairs"] == 5


def test_a_pickled_lazy_scores_reads_the_same() -> None:
    cohort = mm.make_cohort(7, 6, rng=1, avoid_rate=0.3)
    lazy = mm.BlockScorer(mm.Scorer(min_score=0.3), cohort).lazy_scores()
    again = pickle.loads(pickle.dumps(lazy))
    assert isinstance(again, mm.LazyScores)
    assert np.array_equal(np.asarray(again.allowed), np.asarray(lazy.allowed))
    assert list(again.forbidden) == list(lazy.forbidden)
    with pytest.raises(InvalidInputError, match="arrived by pickle"):
        pickle.loads(pickle.dumps(lazy.block_scorer)).lazy_scores()


def _summary_peak(n: int) -> int:
    """Peak bytes traced by summary() of a random pairing of n x n lazy scores, blocks only."""
    cohort = mm.make_cohort(n, n, rng=0)
    lazy = mm.BlockScorer(mm.Scorer(), cohort).lazy_scores()
    pairing = mm.Matching(
        rows=np.arange(n, dtype=np.intp),
        cols=np.random.default_rng(0).permutation(n).astype(np.intp),
        fixed=np.zeros(n, dtype=bool),
        scores=lazy,
        method="hungarian",
    )
    original = blocks.DENSE_LIMIT
    blocks.DENSE_LIMIT = n  # every dense step refuses: blocking pairs go by blocks too
    try:
        lazy.block_scorer.block(slice(0, 5))  # warm the tables built on first use
        tracemalloc.start()
        figures = pairing.summary()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        blocks.DENSE_LIMIT = original
    assert figures["n_pairs"] == n
    assert figures["blocking_pairs"] > n  # a random pairing: many, counted, never listed
    return peak


def test_summary_memory_is_a_block_not_the_matrix() -> None:
    small, large = _summary_peak(1000), _summary_peak(2000)
    one_matrix = 2000 * 2000 * 8  # one dense float64 array of the larger cohort: 32 MB
    assert large < one_matrix / 2, (large, one_matrix)
    # Four times the pairs, about the same peak: O(block), not O(n_students x n_managers).
    assert large < 1.5 * small, (small, large)
