"""Tests of the synthetic cohorts (mentormatch.synthetic)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentormatch.synthetic as synthetic
from mentormatch import _catalogue as cat
from mentormatch.cohort import Cohort
from mentormatch.exceptions import InvalidInputError
from mentormatch.synthetic import _distinct_choices, _synthetic_frames, make_cohort

# Written out here, not imported, so that a typo in the module shows up.
SWEDISH_COUNTIES = {
    "Blekinge", "Dalarna", "Gotland", "Gävleborg", "Halland", "Jämtland", "Jönköping",
    "Kalmar", "Kronoberg", "Norrbotten", "Skåne", "Stockholm", "Södermanland", "Uppsala",
    "Värmland", "Västerbotten", "Västernorrland", "Västmanland", "Västra Götaland",
    "Örebro", "Östergötland",
}  # fmt: skip
GENDERS = {"kvinna", "man", "icke-binär"}
STUDENT_COLUMNS = [
    "id", "programme", "interests", "age", "gender", "region", "languages", "capacity",
]  # fmt: skip
MANAGER_COLUMNS = [
    "id", "unit", "education", "seeking", "interests", "age", "gender", "region",
    "languages", "capacity",
]  # fmt: skip
AGENCY_EDUCATIONS = {
    "Ekonomi", "Juridik", "Datateknik", "Systemvetenskap", "Statsvetenskap",
    "Offentlig förvaltning",
}  # fmt: skip


def check_invariants(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    n_students: int,
    n_managers: int,
    n_preferences: int = 0,
    avoid_rate: float = 0.0,
    student_capacity: int | tuple[int, int] = 1,
    manager_capacity: int | tuple[int, int] = 1,
) -> None:
    """Everything that must hold for every cohort, whatever the seed."""
    extra = (["preferences"] if n_preferences > 0 else []) + (["avoid"] if avoid_rate > 0 else [])
    assert list(students.columns) == STUDENT_COLUMNS + extra
    assert list(managers.columns) == MANAGER_COLUMNS + extra
    assert len(students) == n_students
    assert len(managers) == n_managers

    for table, prefix, n in ((students, "s", n_students), (managers, "m", n_managers)):
        width = max(2, len(str(n)))
        assert list(table["id"]) == [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]
        for interests in table["interests"]:
            assert isinstance(interests, list)
            assert 2 <= len(interests) <= 5
            assert len(set(interests)) == len(interests)
            assert set(interests) <= set(cat.INTERESTS)
            # Listed in catalogue order, as on a sign-up form.
            assert interests == sorted(interests, key=cat.INTERESTS.index)
        assert set(table["gender"]) <= GENDERS
        assert set(table["region"]) <= SWEDISH_COUNTIES
        for languages in table["languages"]:
            assert languages[:2] == ["svenska", "engelska"]
            assert len(languages) in (2, 3)
            assert len(set(languages)) == len(languages)
        assert table["age"].dtype == np.int64
        assert table["capacity"].dtype == np.int64

    assert set(students["programme"]) <= set(cat.PROGRAMMES)
    assert students["age"].between(19, 45).all()
    assert set(managers["unit"]) <= set(cat.UNITS)
    assert set(managers["education"]) <= set(cat.PROGRAMMES)
    assert managers["age"].between(35, 65).all()
    for education, seeking in zip(managers["education"], managers["seeking"], strict=True):
        assert 1 <= len(seeking) <= 3
        assert len(set(seeking)) == len(seeking)
        assert set(seeking) <= set(cat.PROGRAMMES)
        assert education not in seeking

    for table, capacity in ((students, student_capacity), (managers, manager_capacity)):
        low, high = capacity if isinstance(capacity, tuple) else (capacity, capacity)
        assert table["capacity"].between(low, high).all()

    for table, other in ((students, managers), (managers, students)):
        other_ids = set(other["id"])
        n_other = len(other)
        for row in table.itertuples(index=False):
            avoid: list[str] = row.avoid if avoid_rate > 0 else []  # type: ignore[assignment]
            assert len(avoid) <= 1
            assert set(avoid) <= other_ids
            if n_preferences > 0:
                prefs: list[str] = row.preferences  # type: ignore[assignment]
                assert set(prefs) <= other_ids
                assert len(set(prefs)) == len(prefs)
                assert not set(prefs) & set(avoid)
                assert len(prefs) == min(n_preferences, n_other - len(avoid))


# --- Reproducibility ---------------------------------------------------------------------

OPTIONS: dict[str, Any] = {
    "n_preferences": 3,
    "avoid_rate": 0.2,
    "student_capacity": (1, 3),
    "manager_capacity": 2,
}


def test_same_seed_gives_identical_frames() -> None:
    first = _synthetic_frames(30, 20, rng=7, **OPTIONS)
    second = _synthetic_frames(30, 20, rng=7, **OPTIONS)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])


def test_same_seed_gives_equal_cohorts() -> None:
    assert make_cohort(12, 9, rng=3, **OPTIONS) == make_cohort(12, 9, rng=3, **OPTIONS)


def test_seed_sequence_and_fresh_generators_reproduce() -> None:
    from_seq = _synthetic_frames(10, 10, rng=np.random.SeedSequence(11))
    from_gen = _synthetic_frames(10, 10, rng=np.random.default_rng(11))
    from_int = _synthetic_frames(10, 10, rng=11)
    for a, b in zip(from_seq, from_gen, strict=True):
        pd.testing.assert_frame_equal(a, b)
    for a, b in zip(from_gen, from_int, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_seeds_differ() -> None:
    a_students, a_managers = _synthetic_frames(20, 20, rng=1)
    b_students, b_managers = _synthetic_frames(20, 20, rng=2)
    assert not a_students.equals(b_students)
    assert not a_managers.equals(b_managers)


def test_one_generator_used_twice_gives_two_cohorts() -> None:
    rng = np.random.default_rng(0)
    first, _ = _synthetic_frames(20, 5, rng=rng)
    second, _ = _synthetic_frames(20, 5, rng=rng)
    assert not first.equals(second)


def test_global_random_state_is_untouched() -> None:
    # The legacy global state is the point here: make_cohort must neither seed nor draw from it.
    before = np.random.get_state(legacy=False)  # noqa: NPY002
    _synthetic_frames(10, 10, rng=None, n_preferences=2, avoid_rate=0.5)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert isinstance(before, dict)
    assert isinstance(after, dict)
    assert np.array_equal(before["state"]["key"], after["state"]["key"])
    assert before["state"]["pos"] == after["state"]["pos"]


def test_options_do_not_change_the_people() -> None:
    # Each part has its own stream, so students do not depend on the managers' side.
    plain_students, plain_managers = _synthetic_frames(15, 10, rng=5)
    more_students, _ = _synthetic_frames(15, 40, rng=5, manager_capacity=(1, 4))
    linked_students, linked_managers = _synthetic_frames(15, 10, rng=5, **OPTIONS)
    pd.testing.assert_frame_equal(plain_students, more_students)
    people = [c for c in STUDENT_COLUMNS if c != "capacity"]
    pd.testing.assert_frame_equal(plain_students[people], linked_students[people])
    people = [c for c in MANAGER_COLUMNS if c != "capacity"]
    pd.testing.assert_frame_equal(plain_managers[people], linked_managers[people])


# --- Shapes, ids, vocabulary ------------------------------------------------------------------


def test_default_cohort_has_eight_a_side() -> None:
    students, managers = _synthetic_frames(rng=0)
    check_invariants(students, managers, n_students=8, n_managers=8)
    assert list(students["id"][:2]) == ["s01", "s02"]


@pytest.mark.parametrize(
    ("n", "first", "last"),
    [(1, "s01", "s01"), (9, "s01", "s09"), (99, "s01", "s99"), (100, "s001", "s100")],
)
def test_ids_are_zero_padded_to_the_side_size(n: int, first: str, last: str) -> None:
    students, managers = _synthetic_frames(n, 3, rng=0)
    assert students["id"].iloc[0] == first
    assert students["id"].iloc[-1] == last
    assert list(managers["id"]) == ["m01", "m02", "m03"]


def test_large_cohort_keeps_every_invariant() -> None:
    students, managers = _synthetic_frames(1000, 300, rng=4, **OPTIONS)
    check_invariants(students, managers, n_students=1000, n_managers=300, **OPTIONS)


def test_list_cells_are_independent_objects() -> None:
    students, _ = _synthetic_frames(5, 2, rng=0)
    cell = students["languages"].iloc[0]
    assert isinstance(cell, list)
    cell.append("x")
    assert all(len(langs) <= 3 for langs in students["languages"][1:])


def test_make_cohort_returns_a_valid_cohort() -> None:
    cohort = make_cohort(6, 4, rng=0, n_preferences=2, avoid_rate=0.5)
    assert isinstance(cohort, Cohort)
    assert cohort.student_ids == ("s01", "s02", "s03", "s04", "s05", "s06")
    assert cohort.manager_ids == ("m01", "m02", "m03", "m04")
    students, managers = _synthetic_frames(6, 4, rng=0, n_preferences=2, avoid_rate=0.5)
    assert list(cohort.students["preferences"]) == [tuple(p) for p in students["preferences"]]
    assert list(cohort.managers["seeking"]) == [tuple(s) for s in managers["seeking"]]


# --- Distributions --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _synthetic_frames(2000, 2000, rng=2024)


def typical_share(people: pd.DataFrame, by: str, typical: Any) -> float:
    """Mean share of a person's items that are typical of their group."""
    return float(
        np.mean(
            [
                np.mean([item in typical[group] for item in items])
                for group, items in zip(people[by], people["interests"], strict=True)
            ]
        )
    )


def test_student_interests_follow_their_programme(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    students, _ = big
    uniform = 4 / len(cat.INTERESTS)  # four typical interests of sixteen
    assert typical_share(students, "programme", cat.PROGRAMME_INTERESTS) > uniform + 0.2
    # Against another programme's typical interests the share is about uniform.
    shifted = dict(zip(cat.PROGRAMMES, np.roll(cat.PROGRAMMES, 5), strict=True))
    other = {p: cat.PROGRAMME_INTERESTS[shifted[p]] for p in cat.PROGRAMMES}
    assert typical_share(students, "programme", other) < uniform + 0.1


def test_manager_interests_follow_their_unit(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, managers = big
    assert typical_share(managers, "unit", cat.UNIT_INTERESTS) > 4 / len(cat.INTERESTS) + 0.2


def test_managers_mostly_seek_what_their_unit_seeks(
    big: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    _, managers = big
    hits = [
        np.mean([p in cat.UNIT_SEEKING[unit] for p in seeking])
        for unit, seeking in zip(managers["unit"], managers["seeking"], strict=True)
    ]
    assert np.mean(hits) > 0.5  # uniform draws would give about 3 / 15


def test_manager_education_is_skewed_to_agency_fields(
    big: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    _, managers = big
    assert managers["education"].isin(AGENCY_EDUCATIONS).mean() > 0.6  # uniform: 6 / 16
    legal = managers.loc[managers["unit"] == "Rättsavdelningen", "education"]
    assert (legal == "Juridik").mean() > 0.3


def test_ages_are_right_skewed_students_and_mid_career_managers(
    big: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    students, managers = big
    assert students["age"].between(19, 30).mean() > 0.85
    assert (students["age"] > 30).any()
    assert students["age"].mean() > students["age"].median()
    assert 45 <= managers["age"].mean() <= 55


def test_regions_lean_towards_the_university_and_the_agency(
    big: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    students, managers = big
    assert students["region"].isin({"Västernorrland", "Jämtland"}).mean() > 0.5
    assert managers["region"].isin({"Västernorrland", "Stockholm"}).mean() > 0.8


def test_genders_have_realistic_shares(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    students, managers = big
    shares = students["gender"].value_counts(normalize=True)
    assert shares["kvinna"] > shares["man"] > shares["icke-binär"] > 0
    assert managers["gender"].value_counts(normalize=True)["icke-binär"] < 0.05


def test_some_people_speak_a_third_language(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    students, _ = big
    share = students["languages"].map(len).eq(3).mean()
    assert 0.1 < share < 0.4


# --- Preferences, avoid, capacity -------------------------------------------------------------


def test_preferences_favour_shared_interests() -> None:
    students, managers = _synthetic_frames(800, 800, rng=9, n_preferences=3)
    held = {m: set(i) for m, i in zip(managers["id"], managers["interests"], strict=True)}
    mine = [set(i) for i in students["interests"]]
    first = [len(i & held[p[0]]) for i, p in zip(mine, students["preferences"], strict=True)]
    random_pick = np.random.default_rng(0).choice(managers["id"], size=len(students))
    baseline = [len(i & held[m]) for i, m in zip(mine, random_pick, strict=True)]
    assert np.mean(first) > np.mean(baseline) + 0.3


def test_preferences_are_capped_by_the_other_side() -> None:
    students, managers = _synthetic_frames(4, 3, rng=0, n_preferences=10)
    assert all(len(p) == 3 for p in students["preferences"])
    assert all(len(p) == 4 for p in managers["preferences"])
    # With everyone ranking everyone, every list is a permutation of the other side.
    assert all(sorted(p) == ["m01", "m02", "m03"] for p in students["preferences"])


def test_avoid_rate_is_the_share_of_people_who_avoid_someone() -> None:
    students, _ = _synthetic_frames(2000, 50, rng=1, avoid_rate=0.3)
    assert "preferences" not in students.columns
    assert abs(students["avoid"].map(len).mean() - 0.3) < 0.05
    everyone, _ = _synthetic_frames(20, 1, rng=1, avoid_rate=1.0, n_preferences=2)
    assert all(a == ["m01"] for a in everyone["avoid"])
    assert all(p == [] for p in everyone["preferences"])


def test_fixed_capacity() -> None:
    students, managers = _synthetic_frames(10, 10, rng=0, student_capacity=1, manager_capacity=3)
    assert (students["capacity"] == 1).all()
    assert (managers["capacity"] == 3).all()


def test_capacity_range_is_uniform_and_inclusive() -> None:
    students, _ = _synthetic_frames(600, 2, rng=0, student_capacity=(1, 3))
    counts = students["capacity"].value_counts()
    assert set(counts.index) == {1, 2, 3}
    assert counts.min() > 150  # about 200 each
    same, _ = _synthetic_frames(5, 2, rng=0, student_capacity=(2, 2))
    assert (same["capacity"] == 2).all()


@pytest.mark.parametrize(("n_pool", "k"), [(10, 3), (5, 3), (40, 4), (6, 6)])
def test_distinct_choices_are_uniform_sets_in_uniform_order(n_pool: int, k: int) -> None:
    # (10, 3) and (40, 4) use Floyd's algorithm, (5, 3) and (6, 6) random keys.
    n_rows = 20_000
    chosen = _distinct_choices(np.random.default_rng(0), n_rows, n_pool, k)
    assert chosen.shape == (n_rows, k)
    assert ((chosen >= 0) & (chosen < n_pool)).all()
    assert (np.sort(chosen, axis=1)[:, 1:] != np.sort(chosen, axis=1)[:, :-1]).all()
    tolerance = 4 * math.sqrt(n_rows / n_pool)
    for column in range(k):
        counts = np.bincount(chosen[:, column], minlength=n_pool)
        assert np.abs(counts - n_rows / n_pool).max() < tolerance


# --- Parameter errors -----------------------------------------------------------------------


def where(name: str) -> str:
    return f"parameter '{name}' of make_cohort: expected "


@pytest.mark.parametrize("bad", [-1, 0, 2.5, True, "3", None])
def test_bad_n_students(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match=where("n_students") + "a positive integer"):
        make_cohort(bad, 3)


@pytest.mark.parametrize("bad", [-1, 0, 4.0, False, np.float64(2)])
def test_bad_n_managers(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match=where("n_managers") + "a positive integer"):
        make_cohort(3, bad)


def test_bad_n_students_message_names_the_value() -> None:
    with pytest.raises(ValueError, match=r"got -1\.$"):
        make_cohort(-1)


@pytest.mark.parametrize("bad", [0, -2, 1.5, (3, 1), (0, 2), (1, 2, 3), (1.0, 2), [1, 2], "1"])
def test_bad_student_capacity(bad: Any) -> None:
    with pytest.raises(
        InvalidInputError,
        match=where("student_capacity") + r"a positive integer or a \(low, high\)",
    ):
        make_cohort(3, 3, student_capacity=bad)


def test_bad_manager_capacity() -> None:
    with pytest.raises(InvalidInputError, match=where("manager_capacity") + r".*got \(3, 1\)\.$"):
        make_cohort(3, 3, manager_capacity=(3, 1))


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_bad_n_preferences(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match=where("n_preferences") + "a non-negative integer"):
        make_cohort(3, 3, n_preferences=bad)


@pytest.mark.parametrize("bad", [-0.1, 1.01, math.nan, math.inf, "0.5", True, None])
def test_bad_avoid_rate(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match=where("avoid_rate") + r"a number in \[0, 1\]"):
        make_cohort(3, 3, avoid_rate=bad)


@pytest.mark.parametrize("bad", ["seed", -1, 1.5])
def test_bad_rng(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match=where("rng")):
        make_cohort(3, 3, rng=bad)


def test_boundary_values_are_accepted() -> None:
    students, managers = _synthetic_frames(
        np.int64(1),  # type: ignore[arg-type]
        1,
        rng=0,
        n_preferences=np.int32(0),  # type: ignore[arg-type]
        avoid_rate=1,
        student_capacity=(1, 1),
    )
    assert len(students) == len(managers) == 1
    assert list(students["avoid"]) == [["m01"]]


# --- Documentation --------------------------------------------------------------------------


def test_docstring_glosses_every_programme() -> None:
    doc = make_cohort.__doc__ or ""
    for programme, gloss in cat.PROGRAMME_GLOSS.items():
        row = rf"^\s*{re.escape(programme)}\s{{2,}}{re.escape(gloss)}\s*$"
        assert re.search(row, doc, flags=re.MULTILINE), programme
    assert synthetic.__doc__


# --- Properties ------------------------------------------------------------------------------

capacities = st.one_of(
    st.integers(1, 3),
    st.tuples(st.integers(1, 3), st.integers(0, 2)).map(lambda t: (t[0], t[0] + t[1])),
)


@given(
    n_students=st.integers(1, 12),
    n_managers=st.integers(1, 12),
    seed=st.integers(0, 2**32 - 1),
    n_preferences=st.integers(0, 5),
    avoid_rate=st.sampled_from([0.0, 0.25, 1.0]) | st.floats(0, 1),
    student_capacity=capacities,
    manager_capacity=capacities,
)
def test_invariants_hold_for_any_small_cohort(
    n_students: int,
    n_managers: int,
    seed: int,
    n_preferences: int,
    avoid_rate: float,
    student_capacity: int | tuple[int, int],
    manager_capacity: int | tuple[int, int],
) -> None:
    options: dict[str, Any] = {
        "n_preferences": n_preferences,
        "avoid_rate": avoid_rate,
        "student_capacity": student_capacity,
        "manager_capacity": manager_capacity,
    }
    students, managers = _synthetic_frames(n_students, n_managers, rng=seed, **options)
    check_invariants(students, managers, n_students=n_students, n_managers=n_managers, **options)
    again = _synthetic_frames(n_students, n_managers, rng=seed, **options)
    pd.testing.assert_frame_equal(students, again[0])
    pd.testing.assert_frame_equal(managers, again[1])
    # Cohort accepts every generated table pair.
    cohort = Cohort.from_frames(students, managers)
    assert cohort.n_students == n_students
