"""BlockScorer: any block or list of pairs, bit for bit as Scorer.score, from a small encoding."""

from __future__ import annotations

import pickle
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import mentormatch as mm
from mentormatch import criteria
from mentormatch._catalogue import INTERESTS, PROGRAMMES, UNITS
from mentormatch.exceptions import InvalidInputError

CRITERIA = ("programme", "interests", "diversity")


def _with_gaps(cohort: mm.Cohort, seed: int) -> mm.Cohort:
    """The cohort with some attribute values missing (diversity's incomplete path)."""
    rng = np.random.default_rng(seed)
    students, managers = cohort.to_frames()
    for table in (students, managers):
        gap = rng.random(len(table)) < 0.3
        table.loc[gap, "age"] = np.nan
        table["gender"] = table["gender"].astype(object)
        table.loc[rng.random(len(table)) < 0.3, "gender"] = None
        table.loc[rng.random(len(table)) < 0.2, "languages"] = ""
    return mm.Cohort.from_frames(students, managers)


@st.composite
def st_cohort(draw: st.DrawFn) -> mm.Cohort:
    """A make_cohort of a few dozen per side, with preferences, avoid lists, gaps."""
    n_s, n_m = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    seed = draw(st.integers(0, 2**16))
    cohort = mm.make_cohort(
        n_s,
        n_m,
        rng=seed,
        n_preferences=draw(st.sampled_from([0, 0, 2, 4])),
        avoid_rate=draw(st.sampled_from([0.0, 0.0, 0.3])),
    )
    return _with_gaps(cohort, seed) if draw(st.booleans()) else cohort


def st_weight_map() -> st.SearchStrategy[dict[str, float] | None]:
    weights = st.dictionaries(
        st.sampled_from(CRITERIA), st.sampled_from([0.0, 0.1, 0.37, 1.0, 2.5]), min_size=1
    ).filter(lambda w: sum(w.values()) > 0)
    return st.none() | weights


@st.composite
def st_options(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Options of the built-in criteria, every one of them in play."""
    options: dict[str, dict[str, Any]] = {}
    if draw(st.booleans()):
        programme: dict[str, Any] = {
            "partial": draw(st.sampled_from([0.0, 0.3, 0.5])),
            "neutral": draw(st.sampled_from([0.2, 0.5])),
        }
        if draw(st.booleans()):
            programme["disciplines"] = {p: f"g{i % 3}" for i, p in enumerate(PROGRAMMES)}
        if draw(st.booleans()):
            values = {
                u: {p: (i + j) % 5 / 4 for i, p in enumerate(PROGRAMMES[:5])}
                for j, u in enumerate(UNITS[:4])
            }
            programme["affinity"] = pd.DataFrame(values)
        options["programme"] = programme
    if draw(st.booleans()):
        interests: dict[str, Any] = {"weighting": draw(st.sampled_from(["uniform", "idf"]))}
        if draw(st.booleans()):
            a, b, c = INTERESTS[:3]
            interests["related"] = pd.DataFrame({a: {b: 0.5, c: 0.25}, b: {c: 0.75}})
        options["interests"] = interests
    if draw(st.booleans()):
        options["diversity"] = {
            "attribute_weights": {
                "age": draw(st.sampled_from([0.0, 1.0, 3.0])),
                "languages": draw(st.sampled_from([0.0, 1.0])),
                "gender": draw(st.sampled_from([0.0, 1.0])),
            },
            "scales": {"age": draw(st.sampled_from([5.0, 25.0]))},
            "neutral": draw(st.sampled_from([0.0, 0.5])),
        }
    return options


@st.composite
def st_scorer(draw: st.DrawFn, cohort: mm.Cohort) -> mm.Scorer:
    """A Scorer with any supported option, for this cohort."""
    shape = (cohort.n_students, cohort.n_managers)
    allowed: Any = None
    kind = draw(st.sampled_from(["none", "none", "array", "frame"]))
    if kind != "none":
        seed = draw(st.integers(0, 100))
        mask = np.random.default_rng(seed).random(shape) < draw(st.sampled_from([0.7, 0.97]))
        allowed = mask
        if kind == "frame":
            allowed = pd.DataFrame(mask, index=cohort.student_ids, columns=cohort.manager_ids)
    return mm.Scorer(
        draw(st_weight_map()),
        options=draw(st_options()),
        student_weights=draw(st_weight_map()),
        manager_weights=draw(st_weight_map()),
        preference_bonus=draw(st.sampled_from([0.0, 0.2, 0.7])),
        min_score=draw(st.none() | st.sampled_from([0.0, 0.25, 0.4, 0.5])),
        share_language=draw(st.booleans()),
        allowed=allowed,
        dtype=draw(st.sampled_from(["float64", "float32"])),
    )


@st.composite
def st_index(draw: st.DrawFn, n: int) -> Any:
    """Rows or columns: a slice (any step) or an index array (unsorted, repeats)."""
    if draw(st.booleans()):
        start = draw(st.none() | st.integers(-n - 2, n + 2))
        stop = draw(st.none() | st.integers(-n - 2, n + 2))
        step = draw(st.none() | st.sampled_from([1, 2, 3, -1, -2]))
        return slice(start, stop, step)
    return np.array(draw(st.lists(st.integers(0, n - 1), max_size=2 * n + 3)), dtype=np.intp)


def _same(actual: NDArray[Any] | None, expected: NDArray[Any]) -> bool:
    assert actual is not None
    return actual.dtype == expected.dtype and bool(np.array_equal(actual, expected))


def _check_blocks(data: st.DataObject, cohort: mm.Cohort, scorer: mm.Scorer) -> None:
    scores = scorer.score(cohort)
    bs = mm.BlockScorer(scorer, cohort)
    assert (bs.n_students, bs.n_managers, bs.dtype) == (*scores.shape, scores.total.dtype)
    for _ in range(3):
        rows = data.draw(st_index(cohort.n_students))
        cols = data.draw(st.none() | st_index(cohort.n_managers))
        views = data.draw(st.booleans())
        block = bs.block(rows, cols, views=views)
        c = slice(None) if cols is None else cols
        expected = {
            name: getattr(scores, name)[rows][:, c]
            for name in ("total", "allowed", "student_view", "manager_view")
        }
        assert _same(block.total, expected["total"])
        assert _same(block.allowed, expected["allowed"])
        if views:
            assert _same(block.student_view, expected["student_view"])
            assert _same(block.manager_view, expected["manager_view"])
        else:
            assert block.student_view is None
            assert block.manager_view is None
    k = data.draw(st.integers(0, 40))
    i = np.array(
        data.draw(st.lists(st.integers(0, cohort.n_students - 1), min_size=k, max_size=k)),
        dtype=np.intp,
    )
    j = np.array(
        data.draw(st.lists(st.integers(0, cohort.n_managers - 1), min_size=k, max_size=k)),
        dtype=np.intp,
    )
    total, allowed, student_view, manager_view = bs.pairs(i, j, views=True)
    assert _same(total, scores.total[i, j])
    assert _same(allowed, scores.allowed[i, j])
    assert _same(student_view, scores.student_view[i, j])
    assert _same(manager_view, scores.manager_view[i, j])
    two = bs.pairs(i, j)
    assert len(two) == 2
    assert _same(two[0], total)


@settings(max_examples=50)
@given(st.data())
def test_blocks_and_pairs_equal_the_dense_scores_bit_for_bit(data: st.DataObject) -> None:
    cohort = data.draw(st_cohort())
    scorer = data.draw(st_scorer(cohort))
    _check_blocks(data, cohort, scorer)


@settings(max_examples=25)
@given(st.data())
def test_diversity_compared_pair_by_pair_when_its_table_would_be_large(
    data: st.DataObject,
) -> None:
    # Past the limit, diversity compares each pair's attributes instead of a
    # table of combinations: the same bits, block or dense.
    cohort = data.draw(st_cohort())
    scorer = data.draw(st_scorer(cohort))
    expected = scorer.score(cohort).components["diversity"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(criteria, "COMBINATION_TABLE_LIMIT", 0)
        assert np.array_equal(scorer.score(cohort).components["diversity"], expected)
        _check_blocks(data, cohort, scorer)


def test_default_scorer_on_a_larger_cohort_row_blocks() -> None:
    # The lead's use: slices of rows against every manager, covering the cohort.
    cohort = mm.make_cohort(300, 250, rng=7, n_preferences=3, avoid_rate=0.2)
    scorer = mm.Scorer()
    scores = scorer.score(cohort)
    bs = mm.BlockScorer(scorer, cohort)
    parts = [bs.block(slice(start, start + 64)) for start in range(0, 300, 64)]
    assert np.array_equal(np.vstack([p.total for p in parts]), scores.total)
    assert np.array_equal(np.vstack([p.allowed for p in parts]), scores.allowed)
    assert not scores.allowed.all()  # the avoid lists were in play


def _pickled_size(n: int, options: dict[str, Any]) -> int:
    cohort = mm.make_cohort(n, n, rng=0, n_preferences=2, avoid_rate=0.1)
    bs = mm.BlockScorer(mm.Scorer(**options), cohort)
    size = len(pickle.dumps(bs))
    bs.block(slice(0, 3))  # tables built on first use stay behind
    assert len(pickle.dumps(bs)) == size
    return size


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"dtype": "float32", "min_score": 0.2, "share_language": True},
        {"options": {"interests": {"weighting": "idf"}}},
        {"options": {"interests": {"related": pd.DataFrame({"klimat": {"hållbarhet": 0.5}})}}},
    ],
    ids=["default", "float32-rules", "idf", "related"],
)
def test_pickle_is_linear_in_the_number_of_people(options: dict[str, Any]) -> None:
    small, large = _pickled_size(200, options), _pickled_size(1600, options)
    assert large <= 300 * 2 * 1600  # a few hundred bytes a person at most
    # Linear, not quadratic: 8 times the people, about 8 times the bytes.
    assert large - small <= 1.2 * 7 * small


def test_pickled_block_scorer_scores_alone_in_another_process() -> None:
    cohort = mm.make_cohort(40, 30, rng=3, n_preferences=2, avoid_rate=0.2)
    scorer = mm.Scorer(
        options={"interests": {"weighting": "idf"}}, min_score=0.2, allowed=np.eye(40, 30) < 1
    )
    bs = mm.BlockScorer(scorer, cohort)
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        block = pool.submit(_remote_block, pickle.dumps(bs)).result(timeout=60)
    scores = scorer.score(cohort)
    assert np.array_equal(block.total, scores.total[5:20])
    assert np.array_equal(block.allowed, scores.allowed[5:20])


def _remote_block(payload: bytes) -> mm.Block:
    bs: mm.BlockScorer = pickle.loads(payload)
    return bs.block(slice(5, 20), views=True)


def test_a_mask_travels_as_its_forbidden_pairs() -> None:
    cohort = mm.make_cohort(300, 300, rng=0)
    plain = len(pickle.dumps(mm.BlockScorer(mm.Scorer(), cohort)))
    mask = np.ones((300, 300), dtype=bool)
    mask[3, 7] = mask[200, 1] = False
    with_mask = len(pickle.dumps(mm.BlockScorer(mm.Scorer(allowed=mask), cohort)))
    assert with_mask - plain < 300 * 8 + 1000  # a row pointer per student, not 90,000 cells
    block = mm.BlockScorer(mm.Scorer(allowed=mask), cohort).block(np.array([3, 200, 3]))
    assert np.flatnonzero(~block.allowed).tolist() == [7, 300 + 1, 600 + 7]


def test_peak_memory_per_pair_is_what_bytes_per_pair_says() -> None:
    cohort = mm.make_cohort(400, 1500, rng=0, n_preferences=2)
    bs = mm.BlockScorer(mm.Scorer(student_weights={"interests": 1.0}), cohort)
    bs.block(slice(0, 10), views=True)  # warm the caches (diversity's table)
    peaks = {}
    for views in (False, True):
        for rows in (100, 400):
            tracemalloc.start()
            try:
                bs.block(slice(0, rows), views=views)
                peaks[views, rows] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        # What one more pair costs, beyond the fixed scratch of the slices.
        per_pair = (peaks[views, 400] - peaks[views, 100]) / (300 * 1500)
        assert per_pair <= 1.05 * bs.bytes_per_pair(views=views)
        assert per_pair >= 0.9 * bs.bytes_per_pair(views=views)


def test_empty_blocks_and_pair_lists() -> None:
    bs = mm.BlockScorer(mm.Scorer(), mm.make_cohort(3, 4, rng=0))
    assert bs.block(slice(2, 2)).total.shape == (0, 4)
    assert bs.block([], [1]).allowed.shape == (0, 1)
    assert bs.block([1], []).total.shape == (1, 0)
    total, allowed = bs.pairs([], [])
    assert total.shape == allowed.shape == (0,)


def test_custom_criterion_and_callable_rule_are_refused() -> None:
    cohort = mm.make_cohort(3, 3, rng=0)

    def flat(s: pd.DataFrame, m: pd.DataFrame) -> NDArray[np.float64]:
        return np.full((len(s), len(m)), 0.5)

    with pytest.raises(InvalidInputError, match=r"'scorer'.*custom criterion 'flat'"):
        mm.BlockScorer(mm.Scorer(criteria={"flat": flat}), cohort)
    with pytest.raises(InvalidInputError, match=r"'scorer'.*custom criterion 'interests'"):
        mm.BlockScorer(mm.Scorer(criteria={"interests": flat}), cohort)
    with pytest.raises(InvalidInputError, match=r"'scorer'.*boolean mask.*callable"):
        mm.BlockScorer(mm.Scorer(allowed=lambda s, m: np.ones((len(s), len(m)), bool)), cohort)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda bs: bs.block(np.array([0, 3])), r"'students'.*\[0, 3\).*3"),
        (lambda bs: bs.block(np.array([-1])), r"'students'.*\[0, 3\).*-1"),
        (lambda bs: bs.block(slice(0, 2), np.array([[0]])), r"'managers'.*1-d"),
        (lambda bs: bs.block(np.array([0.5])), r"'students'.*integer"),
        (lambda bs: bs.block(slice(0, 2, 0)), r"'students'.*non-zero step"),
        (lambda bs: bs.block(slice(0, "2")), r"'students'.*slice of integers"),
        (lambda bs: bs.pairs([0, 1], [0]), r"'manager_idx'.*as many positions"),
        (lambda bs: bs.pairs(slice(0, 2), [0, 1]), r"'student_idx'.*1-d array"),
        (lambda bs: bs.pairs([0], [0], views="yes"), r"'views'"),
    ],
)
def test_bad_positions_name_the_parameter(call: Any, match: str) -> None:
    bs = mm.BlockScorer(mm.Scorer(), mm.make_cohort(3, 4, rng=0))
    with pytest.raises(InvalidInputError, match=match):
        call(bs)
