"""Pairing-quality metrics, compare() and sensitivity()."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import InvalidInputError

METHODS = ["hungarian", "stable", "maxmin"]


def tiny() -> mm.Scores:
    """Two students, three managers, made so every figure can be worked out by hand."""
    students = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "programme": ["Statsvetenskap", "Juridik"],
            "interests": ["demokrati;klimat", "integritet"],
        }
    )
    managers = pd.DataFrame(
        {
            "id": ["m1", "m2", "m3"],
            "unit": ["Digital förvaltning", "Rättsavdelningen", "Kommunikation"],
            "education": ["Juridik", "Juridik", None],
            "interests": ["klimat", "AI-etik", "demokrati"],
        }
    )
    return mm.Scorer({"interests": 1}).score(mm.Cohort.from_frames(students, managers))


def test_summary_by_hand() -> None:
    scores = tiny()
    # interests (Jaccard): s1-m1 1/2, s1-m3 1/2, s2-* 0.
    pairing = mm.match(scores, fixed=[("s1", "m1"), ("s2", "m2")])
    figures = pairing.summary()
    assert figures["n_pairs"] == 2
    assert figures["total_score"] == pytest.approx(0.5)
    assert figures["mean_score"] == pytest.approx(0.25)
    assert figures["median_score"] == pytest.approx(0.25)
    assert figures["min_score"] == 0.0
    assert figures["mean_interests"] == pytest.approx(0.25)
    # s1 values m1 and m3 equally (rank 1); s2 values all three equally (rank 1).
    assert figures["student_rank_mean"] == 1.0
    assert figures["student_first_choice"] == 1.0
    # m1's best is s1 (rank 1); m2 values both at 0 (rank 1).
    assert figures["manager_rank_worst"] == 1
    # m3 is free and s1 values it no more than m1: no blocking pair.
    assert figures["blocking_pairs"] == 0
    assert figures["students_matched"] == 1.0
    assert figures["managers_matched"] == pytest.approx(2 / 3)
    assert figures["unmatched_managers"] == 1
    # Statsvetenskap vs Juridik differ; Juridik vs Juridik do not.
    assert figures["complementarity"] == 0.5
    # Two different (programme, unit) combinations, one pair each: 1 bit.
    assert figures["programme_unit_entropy"] == pytest.approx(1.0)
    assert figures["interest_coverage"] == 0.5


def test_ranks_by_hand() -> None:
    total = np.array([[0.9, 0.5, 0.1], [0.2, 0.8, 0.3]])
    scores = mm.Scorer({"interests": 1}).score(mm.make_cohort(2, 3, rng=0))
    scores = mm.Scores(
        total=total,
        components={"interests": total},
        allowed=np.array([[True, True, True], [False, True, True]]),
        student_view=total,
        manager_view=total,
        cohort=scores.cohort,
        weights={"interests": 1.0},
    )
    pairing = mm.match(scores, fixed=[("s01", "m02"), ("s02", "m03")])
    # s01 got m02: one allowed manager (m01) is better -> rank 2.
    # s02 got m03: m02 is better, m01 is better but forbidden -> rank 2.
    np.testing.assert_array_equal(mm.partner_ranks(pairing, "students"), [2, 2])
    # m02 got s01 (0.5) but values s02 more (0.8) -> 2; m03 got s02 (0.3), best -> 1.
    np.testing.assert_array_equal(mm.partner_ranks(pairing, "managers"), [2, 1])


def test_partner_ranks_bad_side() -> None:
    pairing = mm.match(tiny())
    with pytest.raises(
        InvalidInputError, match=r"parameter 'side' of partner_ranks: expected one of"
    ):
        mm.partner_ranks(pairing, "mentors")


@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 10_000))
def test_method_theorems_hold_in_compare(n_s: int, n_m: int, seed: int) -> None:
    scores = mm.Scorer(min_score=0.2).score(
        mm.make_cohort(n_s, n_m, rng=seed, manager_capacity=(1, 2))
    )
    table = mm.compare(scores)
    largest = table["n_pairs"].max()
    # Hungarian and maxmin pair as many as possible; among them, each wins its own aim.
    assert table.loc["hungarian", "n_pairs"] == largest
    assert table.loc["maxmin", "n_pairs"] == largest
    same_size = table[table["n_pairs"] == largest]
    assert table.loc["hungarian", "total_score"] >= same_size["total_score"].max() - 1e-9
    if largest:
        assert table.loc["maxmin", "min_score"] >= same_size["min_score"].max() - 1e-12
    assert table.loc["stable", "blocking_pairs"] == 0
    assert (table["total_vs_best"] <= 1 + 1e-12).all()


def test_compare_shape_and_errors() -> None:
    scores = mm.Scorer().score(mm.make_cohort(5, 5, rng=0))
    table = mm.compare(scores, methods=["stable", "hungarian"], proposer="managers")
    assert table.index.tolist() == ["stable", "hungarian"]
    assert table.loc["hungarian", "total_vs_best"] == 1.0
    assert {"total_vs_best", "min_vs_best", "blocking_pairs"} <= set(table.columns)
    for bad, match in (
        ([], r"parameter 'methods' of compare: expected at least one method"),
        (["stable", "stable"], r"expected each method once"),
        ("stable", r"expected a list of method names"),
        (
            ["stabel"],
            r"parameter 'methods' of compare: expected one of \{.*'stable'.*\}, got 'stabel'",
        ),
    ):
        with pytest.raises(InvalidInputError, match=match):
            mm.compare(scores, methods=bad)


def test_sensitivity_is_reproducible_and_zero_spread_is_fully_stable() -> None:
    cohort = mm.make_cohort(6, 6, rng=3)
    a = mm.sensitivity(cohort, mm.Scorer(), n_samples=10, spread=0.3, rng=1, progress=False)
    b = mm.sensitivity(cohort, mm.Scorer(), n_samples=10, spread=0.3, rng=1, progress=False)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    assert a.stability == b.stability
    still = mm.sensitivity(cohort, mm.Scorer(), n_samples=5, spread=0.0, rng=1, progress=False)
    assert still.stability == 1.0
    assert still.pairs["survival"].eq(1.0).all()
    assert still.pairs["in_baseline"].all()
    assert "stability" in repr(still)
    assert "survival" in still._repr_html_()


def test_sensitivity_survival_counts_add_up() -> None:
    cohort = mm.make_cohort(5, 5, rng=8)
    result = mm.sensitivity(cohort, mm.Scorer(), n_samples=12, spread=0.5, rng=2, progress=False)
    # Every sample pairs all five students, so survival sums to 5 over all pairs.
    assert result.pairs["survival"].sum() == pytest.approx(5.0)
    baseline = result.pairs[result.pairs.in_baseline]
    assert result.stability == pytest.approx(baseline.survival.mean())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"spread": 1.0}, r"parameter 'spread' of sensitivity: expected a number in \[0, 1\)"),
        ({"n_samples": 0}, r"parameter 'n_samples' of sensitivity: expected a positive integer"),
        ({"method": "best"}, r"parameter 'method' of sensitivity: expected one of"),
    ],
)
def test_sensitivity_bad_parameters(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        mm.sensitivity(mm.make_cohort(2, 2, rng=0), mm.Scorer(), progress=False, **kwargs)


def test_sensitivity_needs_cohort_and_scorer() -> None:
    cohort = mm.make_cohort(2, 2, rng=0)
    with pytest.raises(InvalidInputError, match=r"parameter 'cohort' of sensitivity"):
        mm.sensitivity("cohort", mm.Scorer())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"parameter 'scorer' of sensitivity"):
        mm.sensitivity(cohort, {"interests": 1})  # type: ignore[arg-type]


def test_summary_of_an_empty_pairing() -> None:
    students = pd.DataFrame(
        {"id": ["s1"], "programme": ["Juridik"], "interests": [""], "avoid": ["m1"]}
    )
    managers = pd.DataFrame({"id": ["m1"], "unit": ["U"], "interests": [""]})
    pairing = mm.match(mm.Scorer().score(mm.Cohort.from_frames(students, managers)))
    figures = pairing.summary()
    assert figures["n_pairs"] == 0
    assert math.isnan(figures["mean_score"])
    assert figures["students_matched"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compare_rows_are_each_methods_own_summary(seed: int) -> None:
    # compare is one summary per method plus two ratios: check it against the
    # summaries and matchings made here, one call each, not against its names.
    scores = mm.Scorer().score(mm.make_cohort(6, 5, rng=seed, n_preferences=2))
    methods = ["maxmin", "hungarian", "stable"]
    table = mm.compare(scores, methods=methods, proposer="managers")
    pairings = {m: mm.match(scores, method=m, proposer="managers") for m in methods}
    for method, pairing in pairings.items():
        expected = pairing.summary()
        row = table.loc[method]
        for figure, value in expected.to_dict().items():
            if isinstance(value, float) and np.isnan(value):
                assert np.isnan(row[str(figure)]), (method, figure)
            else:
                assert row[str(figure)] == pytest.approx(value), (method, figure)
        assert row["total_score"] == pytest.approx(
            float(scores.total[pairing.rows, pairing.cols].sum())
        )
    best_total = max(p.total_score for p in pairings.values())
    best_min = max(float(scores.total[p.rows, p.cols].min()) for p in pairings.values())
    for method, pairing in pairings.items():
        values = scores.total[pairing.rows, pairing.cols]
        assert table.loc[method, "total_vs_best"] == pytest.approx(values.sum() / best_total)
        assert table.loc[method, "min_vs_best"] == pytest.approx(values.min() / best_min)
    # The theorems the figures must show: hungarian has the best total, maxmin the
    # best worst pair, stable no blocking pair.
    assert table.loc["hungarian", "total_vs_best"] == pytest.approx(1.0)
    assert table.loc["maxmin", "min_vs_best"] == pytest.approx(1.0)
    assert table.loc["stable", "blocking_pairs"] == 0
