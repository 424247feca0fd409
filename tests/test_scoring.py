"""Scoring: criteria known answers and properties, Scorer rules, views, Scores."""

from __future__ import annotations

import copy
import pickle
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch import InvalidInputError, criteria

INTERESTS = ["demokrati", "klimat", "jämställdhet", "integritet", "migration", "AI-etik"]
PROGRAMMES = ["Statsvetenskap", "Sociologi", "Juridik", "Ekonomi", "Datateknik", "Okänt program"]


def people(**columns: list[Any]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def small_cohort(**student_extra: list[Any]) -> mm.Cohort:
    students = pd.DataFrame(
        {
            "id": ["s1", "s2", "s3"],
            "programme": ["Statsvetenskap", "Sociologi", "Datateknik"],
            "interests": ["demokrati;klimat", "jämställdhet", "integritet;AI-etik"],
            "languages": ["svenska;engelska", "engelska", ""],
            **student_extra,
        }
    )
    managers = pd.DataFrame(
        {
            "id": ["m1", "m2"],
            "unit": ["Digital förvaltning", "Innovation och AI"],
            "education": ["Juridik", "Datateknik"],
            "seeking": ["Statsvetenskap", ""],
            "interests": ["klimat", "AI-etik;integritet"],
            "languages": ["svenska", "finska"],
        }
    )
    return mm.Cohort.from_frames(students, managers)


# --- programme --------------------------------------------------------------------------


def test_programme_exact_partial_none_and_neutral() -> None:
    students = people(programme=["Statsvetenskap", "Sociologi", "Datateknik", "Okänt program"])
    managers = people(
        unit=["A", "B", "C"],
        seeking=[("Statsvetenskap",), (), ("Okänt program", "Juridik")],
    )
    expected = np.array(
        [
            [1.0, 0.5, 0.0],  # exact; neutral; other discipline
            [0.5, 0.5, 0.0],  # same discipline as statsvetenskap
            [0.0, 0.5, 0.0],
            [0.0, 0.5, 1.0],  # outside the grouping: its own discipline
        ]
    )
    np.testing.assert_allclose(criteria.programme(students, managers), expected)


def test_programme_options_partial_neutral_and_custom_disciplines() -> None:
    students = people(programme=["Sociologi", "Juridik"])
    managers = people(unit=["A", "B"], seeking=[("Statsvetenskap",), ()])
    got = criteria.programme(
        students,
        managers,
        partial=0.25,
        neutral=0.1,
        disciplines={"Juridik": "x", "Statsvetenskap": "x", "Sociologi": "y"},
    )
    np.testing.assert_allclose(got, [[0.0, 0.1], [0.25, 0.1]])


def test_programme_affinity_table_raises_but_never_lowers() -> None:
    students = people(programme=["Statsvetenskap", "Juridik"])
    managers = people(unit=["A", "B"], seeking=[("Statsvetenskap",), ()])
    affinity = pd.DataFrame({"A": {"Juridik": 0.8, "Statsvetenskap": 0.2}, "B": {"Juridik": 0.9}})
    got = criteria.programme(students, managers, affinity=affinity)
    np.testing.assert_allclose(got, [[1.0, 0.5], [0.8, 0.9]])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"partial": 1.5},
            r"parameter 'partial' of programme: expected a number in \[0, 1\], got 1.5",
        ),
        ({"neutral": -0.1}, r"parameter 'neutral' of programme"),
        ({"affinity": pd.DataFrame({"A": {"Juridik": 2.0}})}, r"'affinity'.*values in \[0, 1\]"),
        ({"affinity": [[1.0]]}, r"'affinity'.*a pandas DataFrame"),
    ],
)
def test_programme_bad_options(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        criteria.programme(
            people(programme=["Juridik"]), people(unit=["A"], seeking=[()]), **kwargs
        )


# --- interests --------------------------------------------------------------------------


def test_interests_jaccard_known_answers() -> None:
    students = people(interests=[("a", "b", "c"), (), ("x",)])
    managers = people(interests=[("b", "c", "d"), ()])
    np.testing.assert_allclose(
        criteria.interests(students, managers), [[0.5, 0.0], [0.0, 0.0], [0.0, 0.0]]
    )


def test_interests_idf_rewards_rare_shared_interest() -> None:
    # "common" is held by everyone, "rare" by two people only.
    students = people(interests=[("common", "rare"), ("common", "x")])
    managers = people(interests=[("common", "rare"), ("common", "y"), ("common",)])
    uniform = criteria.interests(students, managers)
    idf = criteria.interests(students, managers, weighting="idf")
    assert uniform[0, 0] == 1.0
    assert idf[0, 0] == pytest.approx(1.0)
    # Sharing only the common interest is worth less under idf than under uniform.
    assert idf[1, 1] < uniform[1, 1]
    # Hand-computed: N = 5 people; common held by 5, x by 1, y by 1.
    w_common = 1 + np.log(6 / 6)
    w_xy = 1 + np.log(6 / 2)
    assert idf[1, 1] == pytest.approx(w_common / (w_common + 2 * w_xy))


def test_interests_related_table_gives_partial_credit() -> None:
    students = people(interests=[("klimat",)])
    managers = people(interests=[("hållbarhet",), ("migration",)])
    related = pd.DataFrame({"hållbarhet": {"klimat": 0.6}})
    got = criteria.interests(students, managers, related=related)
    # I = (0.6 + 0.6) / 2 = 0.6; union = 1 + 1 - 0.6 = 1.4
    np.testing.assert_allclose(got, [[0.6 / 1.4, 0.0]])


def test_interests_bad_weighting() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"parameter 'weighting' of interests: expected one of \{'idf', 'uniform'\}, got 'rare'.",
    ):
        criteria.interests(people(interests=[()]), people(interests=[()]), weighting="rare")  # type: ignore[arg-type]


_sets = st.lists(st.sampled_from(INTERESTS), unique=True, max_size=5).map(tuple)


@given(st.lists(_sets, min_size=1, max_size=4), st.lists(_sets, min_size=1, max_size=4))
def test_interests_in_unit_interval_and_symmetric(s: list[Any], m: list[Any]) -> None:
    for weighting in ("uniform", "idf"):
        got = criteria.interests(people(interests=s), people(interests=m), weighting=weighting)
        assert got.shape == (len(s), len(m))
        assert np.all((got >= 0) & (got <= 1))
    forward = criteria.interests(people(interests=s), people(interests=m))
    backward = criteria.interests(people(interests=m), people(interests=s))
    np.testing.assert_allclose(forward, backward.T)


@given(_sets.filter(bool), st.sampled_from(["uniform", "idf"]))
def test_identical_sets_score_one(
    items: tuple[str, ...], weighting: Literal["uniform", "idf"]
) -> None:
    got = criteria.interests(
        people(interests=[items]), people(interests=[items]), weighting=weighting
    )
    assert got[0, 0] == pytest.approx(1.0)


@given(st.lists(st.sampled_from(INTERESTS), unique=True, min_size=2, max_size=6))
def test_disjoint_sets_score_zero(items: list[str]) -> None:
    half = len(items) // 2
    got = criteria.interests(
        people(interests=[tuple(items[:half])]), people(interests=[tuple(items[half:])])
    )
    assert got[0, 0] == 0.0


@given(_sets, _sets, st.sampled_from([*INTERESTS, "new"]))
def test_adding_a_shared_interest_never_lowers_the_score(
    s: tuple[str, ...], m: tuple[str, ...], extra: str
) -> None:
    before = criteria.interests(people(interests=[s]), people(interests=[m]))[0, 0]
    s2 = tuple(dict.fromkeys((*s, extra)))
    m2 = tuple(dict.fromkeys((*m, extra)))
    after = criteria.interests(people(interests=[s2]), people(interests=[m2]))[0, 0]
    assert after >= before - 1e-12


# --- diversity --------------------------------------------------------------------------


def test_diversity_known_answer() -> None:
    students = people(
        programme=["Statsvetenskap", "Juridik"],
        age=[23.0, np.nan],
        gender=["kvinna", "man"],
        languages=[("svenska", "engelska"), ("svenska",)],
    )
    managers = people(
        education=["Ekonomi"], age=[33.0], gender=["kvinna"], languages=[("svenska",)]
    )
    got = criteria.diversity(students, managers, scales={"age": 20.0})
    # s1: background 1 (w 2), age 10/20 = 0.5, gender 0, languages 1 - 1/2 = 0.5
    # s2: background 0 (Juridik and Ekonomi: one discipline), age unknown, gender 1, languages 0
    np.testing.assert_allclose(got, [[(2 + 0.5 + 0 + 0.5) / 5], [(0 + 1 + 0) / 4]])


def test_diversity_numeric_difference_is_capped() -> None:
    got = criteria.diversity(people(age=[20.0]), people(age=[65.0]))
    assert got[0, 0] == 1.0


def test_diversity_neutral_without_common_attributes_and_weights_zero() -> None:
    students = people(programme=["Juridik"], gender=["man"])
    managers = people(education=[None], region=["Jämtland"])
    assert criteria.diversity(students, managers)[0, 0] == 0.5
    assert criteria.diversity(students, managers, neutral=0.2)[0, 0] == 0.2
    managers = people(education=["Statsvetenskap"], gender=["man"])
    only_gender = criteria.diversity(students, managers, attribute_weights={"background": 0})
    assert only_gender[0, 0] == 0.0


def test_diversity_extra_categorical_attribute_by_name() -> None:
    got = criteria.diversity(
        people(programme=["Juridik"], sector=["privat"]),
        people(education=["Juridik"], sector=["offentlig"]),
        attribute_weights={"sector": 1.0},
    )
    assert got[0, 0] == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"attribute_weights": {"age": -1}},
            r"'attribute_weights' of diversity, key 'age': expected a non-negative number",
        ),
        ({"scales": {"age": 0}}, r"'scales' of diversity, key 'age': expected a positive number"),
        ({"neutral": 2}, r"parameter 'neutral' of diversity"),
        ({"attribute_weights": [1]}, r"'attribute_weights'.*a mapping"),
    ],
)
def test_diversity_bad_options(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        criteria.diversity(people(age=[1.0]), people(age=[2.0]), **kwargs)


person = st.fixed_dictionaries(
    {
        "programme": st.sampled_from(PROGRAMMES),
        "age": st.one_of(st.just(np.nan), st.floats(18, 70)),
        "gender": st.sampled_from(["kvinna", "man", "icke-binär", None]),
        "region": st.sampled_from(["Jämtland", "Västernorrland", None]),
        "languages": st.lists(
            st.sampled_from(["svenska", "engelska", "arabiska"]), unique=True
        ).map(tuple),
    }
)


@given(person)
def test_twin_scores_zero_on_diversity(p: dict[str, Any]) -> None:
    student = pd.DataFrame([p])
    manager = pd.DataFrame([{**p, "education": p["programme"]}]).drop(columns="programme")
    got = criteria.diversity(student, manager)
    assert got[0, 0] == 0.0


@given(st.lists(person, min_size=1, max_size=4), st.lists(person, min_size=1, max_size=4))
def test_diversity_in_unit_interval(s: list[dict[str, Any]], m: list[dict[str, Any]]) -> None:
    managers = pd.DataFrame(m).rename(columns={"programme": "education"})
    got = criteria.diversity(pd.DataFrame(s), managers)
    assert got.shape == (len(s), len(m))
    assert np.all((got >= 0) & (got <= 1))


# --- Scorer and Scores ------------------------------------------------------------------


@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 2**16),
    st.dictionaries(
        st.sampled_from(["programme", "interests", "diversity"]), st.floats(0, 5), min_size=1
    ).filter(lambda w: sum(w.values()) > 0),
)
def test_total_is_weighted_mean_in_unit_interval(
    n_s: int, n_m: int, seed: int, weights: dict[str, float]
) -> None:
    scores = mm.Scorer(weights).score(mm.make_cohort(n_s, n_m, rng=seed))
    norm = sum(weights.values())
    expected = sum(w / norm * scores.components[k] for k, w in weights.items())
    np.testing.assert_allclose(scores.total, expected, atol=1e-12)
    for values in (scores.total, *scores.components.values()):
        assert values.shape == (n_s, n_m)
        assert np.all((values >= 0) & (values <= 1))


@given(st.integers(2, 6), st.integers(2, 6), st.integers(0, 2**16), st.randoms())
def test_reordering_rows_only_reorders_the_arrays(
    n_s: int, n_m: int, seed: int, random: Any
) -> None:
    cohort = mm.make_cohort(n_s, n_m, rng=seed)
    students, managers = cohort.to_frames()
    ps = list(range(n_s))
    pm = list(range(n_m))
    random.shuffle(ps)
    random.shuffle(pm)
    shuffled = mm.Cohort.from_frames(students.iloc[ps], managers.iloc[pm])
    scorer = mm.Scorer(options={"interests": {"weighting": "idf"}})
    a, b = scorer.score(cohort), scorer.score(shuffled)
    for name in a.components:
        np.testing.assert_allclose(b.components[name], a.components[name][np.ix_(ps, pm)])
    np.testing.assert_allclose(b.total, a.total[np.ix_(ps, pm)])
    assert b.student_ids == tuple(a.student_ids[i] for i in ps)


def test_inputs_never_mutated_by_scoring() -> None:
    cohort = mm.make_cohort(5, 4, rng=3, n_preferences=2, avoid_rate=0.2)
    before = copy.deepcopy((cohort.students, cohort.managers))
    mask = np.ones((5, 4), dtype=bool)
    mask_before = mask.copy()
    mm.Scorer(min_score=0.1, allowed=mask, share_language=True).score(cohort)
    pd.testing.assert_frame_equal(cohort.students, before[0])
    pd.testing.assert_frame_equal(cohort.managers, before[1])
    np.testing.assert_array_equal(mask, mask_before)


def test_custom_criterion_plugs_in_under_its_own_name() -> None:
    cohort = small_cohort()

    def same_first_letter(students: pd.DataFrame, managers: pd.DataFrame) -> Any:
        return (
            np.array([p[0] for p in students["programme"]])[:, None]
            == np.array([u[0] for u in managers["unit"]])[None, :]
        ).astype(float)

    scores = mm.Scorer(
        {"interests": 1, "letter": 1}, criteria={"letter": same_first_letter}
    ).score(cohort)
    np.testing.assert_array_equal(scores.components["letter"], [[0, 0], [0, 0], [1, 0]])
    np.testing.assert_allclose(
        scores.total, 0.5 * scores.components["interests"] + 0.5 * scores.components["letter"]
    )


@pytest.mark.parametrize(
    ("output", "match"),
    [
        (
            np.zeros((2, 2)),
            r"criterion 'bad': expected an array of shape \(3, 2\), got shape \(2, 2\)",
        ),
        (
            np.full((3, 2), 1.5),
            r"criterion 'bad': expected values in \[0, 1\], got 1.5 at \[0, 0\]",
        ),
        (np.full((3, 2), np.nan), r"criterion 'bad': expected values in \[0, 1\], got nan"),
        ("text", r"criterion 'bad': expected an array of numbers"),
    ],
)
def test_custom_criterion_bad_output(output: Any, match: str) -> None:
    scorer = mm.Scorer(criteria={"bad": lambda s, m: output})
    with pytest.raises(InvalidInputError, match=match):
        scorer.score(small_cohort())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"weights": {"interest": 1}},
            r"parameter 'weights' of Scorer: expected criterion names from \{'diversity', 'interests', 'programme'\}, got 'interest'",
        ),
        (
            {"weights": {"programme": -1}},
            r"parameter 'weights' of Scorer, key 'programme': expected a non-negative number, got -1",
        ),
        (
            {"weights": {"programme": float("nan")}},
            r"Scorer, key 'programme': expected a non-negative number, got nan",
        ),
        (
            {"weights": {"programme": 0, "interests": 0}},
            r"'weights' of Scorer: expected at least one positive weight, got all zero",
        ),
        ({"weights": [0.3, 0.7]}, r"'weights' of Scorer: expected a mapping"),
        ({"student_weights": {"x": 1}}, r"parameter 'student_weights' of Scorer"),
        (
            {"manager_weights": {"diversity": "high"}},
            r"'manager_weights' of Scorer, key 'diversity'",
        ),
        ({"criteria": {"x": 3}}, r"parameter 'criteria' of Scorer, key 'x': expected a function"),
        ({"options": {"interest": {}}}, r"'options' of Scorer: expected built-in criterion names"),
        (
            {"options": {"interests": {"idf": True}}},
            r"'options' of Scorer, key 'interests': expected options from \{'related', 'weighting'\}, got 'idf'",
        ),
        (
            {"preference_bonus": -0.1},
            r"parameter 'preference_bonus' of Scorer: expected a non-negative number",
        ),
        ({"min_score": 1.5}, r"parameter 'min_score' of Scorer: expected a number in \[0, 1\]"),
        (
            {"share_language": "yes"},
            r"parameter 'share_language' of Scorer: expected True or False",
        ),
        ({"dtype": "float16"}, r"parameter 'dtype' of Scorer: expected one of"),
    ],
)
def test_scorer_bad_parameters(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        mm.Scorer(**kwargs)


def test_score_needs_a_cohort() -> None:
    with pytest.raises(
        InvalidInputError, match=r"parameter 'cohort' of Scorer.score: expected a Cohort"
    ):
        mm.Scorer().score(pd.DataFrame())  # type: ignore[arg-type]


def test_hard_rules_avoid_min_score_language_and_user_mask() -> None:
    cohort = small_cohort(avoid=["m2", "", ""])
    plain = mm.Scorer().score(cohort)
    assert plain.allowed.tolist() == [[True, False], [True, True], [True, True]]
    assert set(plain.forbidden) == {"avoid (students)"}

    threshold = float(np.sort(plain.total.ravel())[2])
    scores = mm.Scorer(min_score=threshold).score(cohort)
    np.testing.assert_array_equal(scores.forbidden["min_score"], plain.total < threshold)

    language = mm.Scorer(share_language=True).score(cohort)
    # s1 speaks svenska (m1 too) but not finska; s2 only engelska; s3 lists none: not judged.
    np.testing.assert_array_equal(
        language.forbidden["share_language"], [[False, True], [True, True], [False, False]]
    )

    user = np.array([[True, True], [False, True], [True, True]])
    for rule in (
        user,
        pd.DataFrame(user, index=["s1", "s2", "s3"], columns=["m1", "m2"]).iloc[::-1, ::-1],
        lambda s, m: user,
    ):
        got = mm.Scorer(allowed=rule).score(cohort)
        np.testing.assert_array_equal(got.allowed, user & plain.allowed)


def test_manager_avoid_forbids_too() -> None:
    students, managers = small_cohort().to_frames()
    managers["avoid"] = [["s3"], []]
    scores = mm.Scorer().score(mm.Cohort.from_frames(students, managers))
    assert scores.allowed.tolist() == [[True, True], [True, True], [False, True]]
    assert "avoid (m1 listed s3)" in str(scores.explain("s3", "m1"))


@pytest.mark.parametrize(
    ("rule", "match"),
    [
        (
            np.ones((3, 2)),
            r"parameter 'allowed' of Scorer: expected a boolean mask, got an array of dtype float64",
        ),
        (
            np.ones((2, 3), dtype=bool),
            r"'allowed' of Scorer: expected shape \(3, 2\), got shape \(2, 3\)",
        ),
        (
            pd.DataFrame({"m1": [True]}, index=["s1"]),
            r"'allowed' of Scorer: expected a row or column for every id, got none for 's2'",
        ),
    ],
)
def test_user_mask_errors(rule: Any, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        mm.Scorer(allowed=rule).score(small_cohort())


def test_share_language_needs_the_column() -> None:
    cohort = mm.Cohort.from_frames(
        pd.DataFrame({"id": ["s"], "programme": ["Juridik"], "interests": [""]}),
        pd.DataFrame({"id": ["m"], "unit": ["U"], "interests": [""]}),
    )
    with pytest.raises(
        InvalidInputError, match=r"'share_language' of Scorer: expected a 'languages' column"
    ):
        mm.Scorer(share_language=True).score(cohort)


def test_views_default_to_total_and_take_preferences_by_rank() -> None:
    cohort = small_cohort()
    scores = mm.Scorer().score(cohort)
    assert scores.student_view is scores.total
    assert scores.manager_view is scores.total

    students, managers = cohort.to_frames()
    students["preferences"] = [["m2", "m1"], [], []]
    managers["preferences"] = [["s3"], []]
    ranked = mm.Scorer(preference_bonus=0.3).score(mm.Cohort.from_frames(students, managers))
    bonus_s = np.zeros((3, 2))
    bonus_s[0, 1], bonus_s[0, 0] = 0.3, 0.15
    bonus_m = np.zeros((3, 2))
    bonus_m[2, 0] = 0.3
    np.testing.assert_allclose(ranked.student_view, ranked.total + bonus_s)
    np.testing.assert_allclose(ranked.manager_view, ranked.total + bonus_m)
    np.testing.assert_array_equal(ranked.total, scores.total)
    explanation = ranked.explain("s1", "m1")
    assert explanation.student_rank == 2
    assert explanation.manager_rank is None


def test_each_side_can_weigh_the_criteria_its_own_way() -> None:
    scores = mm.Scorer(
        {"programme": 1, "interests": 1},
        student_weights={"interests": 1},
        manager_weights={"programme": 1},
    ).score(small_cohort())
    np.testing.assert_allclose(scores.student_view, scores.components["interests"])
    np.testing.assert_allclose(scores.manager_view, scores.components["programme"])


def test_float32_scores() -> None:
    scores = mm.Scorer(dtype="float32").score(mm.make_cohort(5, 5, rng=0))
    assert scores.total.dtype == np.float32
    assert all(c.dtype == np.float32 for c in scores.components.values())
    reference = mm.Scorer().score(mm.make_cohort(5, 5, rng=0))
    np.testing.assert_allclose(scores.total, reference.total, atol=1e-6)


def test_explain_reads_well_and_adds_up() -> None:
    cohort = small_cohort(avoid=["m2", "", ""])
    scores = mm.Scorer({"programme": 0.3, "interests": 0.4, "diversity": 0.3}).score(cohort)
    explanation = scores.explain("s1", "m2")
    text = str(explanation)
    assert text.splitlines()[0].startswith("s1 and m2: total")
    assert "forbidden by avoid (s1 listed m2)" in text
    assert explanation.criteria["contribution"].sum() == pytest.approx(explanation.total)
    good = scores.explain("s1", "m1")
    assert good.shared_interests == ("klimat",)
    assert ("background", "Statsvetenskap", "Juridik") in good.differs
    assert "shared interests: klimat" in str(good)


def test_explain_unknown_id() -> None:
    scores = mm.Scorer().score(small_cohort())
    with pytest.raises(
        InvalidInputError,
        match=r"parameter 'manager_id' of Scores.explain: expected an id of the cohort, got 'm9'",
    ):
        scores.explain("s1", "m9")


def test_to_frame_long_format_matches_arrays() -> None:
    scores = mm.Scorer().score(mm.make_cohort(3, 4, rng=2))
    frame = scores.to_frame()
    assert len(frame) == 12
    row = frame[(frame.student_id == "s02") & (frame.manager_id == "m04")].iloc[0]
    assert row["score"] == scores.total[1, 3]
    assert row["interests"] == scores.components["interests"][1, 3]
    # The old name of the score column still reads, with a warning.
    with pytest.warns(DeprecationWarning, match="'total' is now called 'score'"):
        old = frame["total"]
    pd.testing.assert_series_equal(old, frame["score"], check_names=False)
    html = scores._repr_html_()
    assert "3 students x 4 managers" in html


def test_scores_pickle_read_only_with_shared_views() -> None:
    # Scores travel to executors' workers by pickle; there they must stay read-only
    # (pickle alone drops the flag) and keep the view that is the very array total.
    plain = mm.Scorer().score(mm.make_cohort(6, 5, rng=2))
    ranked = mm.Scorer().score(mm.make_cohort(6, 5, rng=2, n_preferences=2))
    for scores in (plain, ranked):
        back = pickle.loads(pickle.dumps(scores))
        for name in ("total", "allowed", "student_view", "manager_view"):
            np.testing.assert_array_equal(getattr(back, name), getattr(scores, name))
            assert not getattr(back, name).flags.writeable
        assert back.components.keys() == scores.components.keys()
        assert not any(a.flags.writeable for a in back.components.values())
        assert back.weights == scores.weights
        assert (back.student_view is back.total) == (scores.student_view is scores.total)
