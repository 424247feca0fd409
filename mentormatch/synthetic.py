"""Synthetic cohorts: plausible students and managers for tests, examples and benchmarks.

:func:`make_cohort` draws a reproducible cohort from the built-in vocabulary
(:mod:`mentormatch._catalogue`). The people are invented: they carry ids
(``s01``, ``m01``, ...) and sign-up form answers, never names or other
identifying data. Every column is drawn as a whole with numpy, so a cohort of
100,000 people takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import _catalogue as cat
from mentormatch._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    UNIT,
    check_number,
    describe,
    fail,
    param_where,
)
from mentormatch.cohort import Cohort

__all__ = ["make_cohort"]

_OWNER = "make_cohort"

#: What ``rng`` accepts: anything :func:`numpy.random.default_rng` accepts.
SeedLike: TypeAlias = (
    int | np.integer[Any] | np.random.SeedSequence | np.random.BitGenerator | np.random.Generator
)
#: A fixed capacity, or a ``(low, high)`` range drawn uniformly, inclusive.
CapacityLike: TypeAlias = int | tuple[int, int]
_Affinity: TypeAlias = Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.float64]]

#: Each person ranks the best of this many candidates per preference slot.
_CANDIDATES_PER_PREFERENCE = 3
#: Affinity used to rank candidates: shared interests, plus this for a sought programme.
_SEEKING_BONUS = 1.5


# --- Public function ----------------------------------------------------------------------


def make_cohort(
    n_students: int = 8,
    n_managers: int = 8,
    *,
    rng: SeedLike | None = None,
    student_capacity: CapacityLike = 1,
    manager_capacity: CapacityLike = 1,
    n_preferences: int = 0,
    avoid_rate: float = 0.0,
) -> Cohort:
    """Make a reproducible synthetic cohort of student mentors and manager mentees.

    Parameters
    ----------
    n_students : int, default 8
        Number of students (at least 1), with ids ``s01``, ``s02``, ... zero-padded to
        ``max(2, len(str(n_students)))`` digits.
    n_managers : int, default 8
        Number of managers (at least 1), with ids ``m01``, ``m02``, ...
    rng : int, numpy.random.Generator, SeedSequence, BitGenerator or None, keyword-only
        The only source of randomness, passed to :func:`numpy.random.default_rng`. The
        same seed gives the same cohort; ``None`` gives a fresh one each call.
    student_capacity, manager_capacity : int or tuple of (int, int), default 1
        How many partners each person can take: a fixed positive integer, or a
        ``(low, high)`` range with ``1 <= low <= high`` drawn uniformly, inclusive.
    n_preferences : int, default 0
        When positive, each person ranks up to this many people of the other side in a
        ``preferences`` column (fewer when the other side is smaller).
    avoid_rate : float, default 0.0
        When positive, each person independently, with this probability, names one
        person of the other side they must not be paired with, in an ``avoid`` column
        (empty list otherwise). Must lie in [0, 1].

    Returns
    -------
    Cohort
        ``Cohort.from_frames(students, managers)`` for two tables in the input format:
        students with ``id, programme, interests, age, gender, region, languages,
        capacity``; managers with ``id, unit, education, seeking, interests, age,
        gender, region, languages, capacity``; both with ``preferences`` and ``avoid``
        when asked for.

    Raises
    ------
    InvalidInputError
        If a parameter is out of range; the message names the parameter.

    Notes
    -----
    The distributions are plausible for a reverse-mentoring programme between a
    digital-government agency in Sundsvall and Mid Sweden University; they are
    invented, not measured.

    * **Programme** (students): weighted towards social-science, education and
      economics programmes. **Education** (managers): skewed towards what agency
      managers study (Ekonomi, Juridik, Systemvetenskap, Datateknik, Statsvetenskap,
      Offentlig förvaltning), and more so towards the typical education of their
      unit (Juridik in Rättsavdelningen, Datateknik in Infrastruktur och säkerhet).
    * **Seeking** (managers): 1 to 3 programmes, each of the unit's typical ones
      (``UNIT_SEEKING``) ten times as likely as any other, never the manager's own
      education, since the programme pairs people across educational backgrounds.
    * **Interests**: 2 to 5 distinct interests a person (30, 35, 22, 13 %). The
      interests typical of the student's programme (``PROGRAMME_INTERESTS``) or the
      manager's unit (``UNIT_INTERESTS``) are six times as likely as any other, so
      about 60 % of a person's interests are typical against 25 % under uniform draws.
      They are drawn without replacement by Gumbel-top-*k* sampling:
      with weights :math:`w_{ik}` and Gumbel noise :math:`g_{ik}`, person *i* holds
      the :math:`k_i` interests with the largest :math:`\\log w_{ik} + g_{ik}`, listed
      in catalogue order as a sign-up form would.
    * **Age**: students :math:`19 + \\mathrm{round}(X)`, :math:`X \\sim
      \\mathrm{Gamma}(1.6, 3.2)`, capped at 45 (right-skewed, median 23, about
      92 % aged 19--30, a few mature students); managers
      :math:`\\mathrm{round}(N(50, 7.5^2))` clipped to 35--65.
    * **Gender** (kvinna/man/icke-binär, female/male/non-binary): students 58/39/3 %,
      managers 52/47/1 %.
    * **Region** (county, *län*): students mostly Västernorrland and Jämtland (the
      university's campuses in Sundsvall and Östersund); managers mostly
      Västernorrland (Sundsvall) and Stockholm (the agency's two offices).
    * **Languages**: everyone lists ``["svenska", "engelska"]``; 25 % of students and
      15 % of managers add a third (Arabic, Finnish, Persian, Sami, ...).
    * **Preferences**: each person draws ``3 * n_preferences`` candidates of the other
      side at random and ranks the best of them by affinity (shared interests, plus
      1.5 when the manager seeks the student's programme) plus Gumbel noise. Lists
      are therefore plausible (not uniform) and cost :math:`O(n \\cdot k^2)`, not
      :math:`O(n_s n_m)`. An avoided person is never also in the preferences.

    Each part (students, managers, their capacities, the preferences) has its own
    random stream spawned from ``rng``, so for the same seed, changing
    ``n_managers`` or ``n_preferences`` leaves the students' attributes unchanged.

    Programmes (Swedish name — English gloss):

    ==================================  ===============================
    Programme                           English gloss
    ==================================  ===============================
    Statsvetenskap                      political science
    Samhällsvetenskap                   social science
    Sociologi                           sociology
    Offentlig förvaltning               public administration
    Socialt arbete                      social work
    Medie- och kommunikationsvetenskap  media and communication studies
    Journalistik                        journalism
    Ekonomi                             business and economics
    Juridik                             law
    Datateknik                          computer engineering
    Systemvetenskap                     information systems
    Miljövetenskap                      environmental science
    Folkhälsovetenskap                  public health science
    Genusvetenskap                      gender studies
    Historia                            history
    Lärarprogrammet                     teacher education
    ==================================  ===============================

    Examples
    --------
    >>> from mentormatch.synthetic import make_cohort
    >>> cohort = make_cohort(n_students=8, n_managers=6, rng=0)
    >>> cohort
    Cohort(8 students, 6 managers)
    >>> cohort.student_ids[:3], cohort.manager_ids[:3]
    (('s01', 's02', 's03'), ('m01', 'm02', 'm03'))
    >>> cohort.students.loc[0, ["programme", "interests"]].tolist()
    ['Lärarprogrammet', ('digital inklusion', 'folkhälsa')]
    >>> make_cohort(n_students=8, n_managers=6, rng=0) == cohort  # same seed, same people
    True

    Ranked preferences and people to avoid, with a range of capacities:

    >>> cohort = make_cohort(8, 6, rng=0, n_preferences=3, avoid_rate=0.3, manager_capacity=(1, 2))
    >>> cohort.students.loc[2, ["preferences", "avoid"]].tolist()
    [('m02', 'm06', 'm01'), ('m05',)]
    """
    students, managers = _synthetic_frames(
        n_students,
        n_managers,
        rng=rng,
        student_capacity=student_capacity,
        manager_capacity=manager_capacity,
        n_preferences=n_preferences,
        avoid_rate=avoid_rate,
    )
    return Cohort.from_frames(students, managers)


# --- Frames -------------------------------------------------------------------------------


def _synthetic_frames(
    n_students: int = 8,
    n_managers: int = 8,
    *,
    rng: SeedLike | None = None,
    student_capacity: CapacityLike = 1,
    manager_capacity: CapacityLike = 1,
    n_preferences: int = 0,
    avoid_rate: float = 0.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The students and managers tables behind :func:`make_cohort` (same parameters)."""
    n_s = _check_count(n_students, "n_students", side="student")
    n_m = _check_count(n_managers, "n_managers", side="manager")
    s_cap = _check_capacity(student_capacity, "student_capacity")
    m_cap = _check_capacity(manager_capacity, "manager_capacity")
    k: int = check_number(n_preferences, param_where("n_preferences", _OWNER), NON_NEGATIVE_INT)
    rate: float = check_number(avoid_rate, param_where("avoid_rate", _OWNER), UNIT)
    root = _as_generator(rng)
    s_rng, m_rng, s_cap_rng, m_cap_rng, links_rng = root.spawn(5)

    prog = np.asarray(cat.PROGRAMMES, dtype=object)
    interest = np.asarray(cat.INTERESTS, dtype=object)
    unit = np.asarray(cat.UNITS, dtype=object)

    # Students: programme first, then everything that depends on it.
    s_prog = _choice(s_rng, _weights_of(cat.STUDENT_PROGRAMME_WEIGHT, cat.PROGRAMMES), n_s)
    s_interests = _draw_sets(
        s_rng,
        _typical_log_weights(
            cat.PROGRAMMES, cat.INTERESTS, cat.PROGRAMME_INTERESTS, cat.TYPICAL_INTEREST_WEIGHT
        ),
        s_prog,
        cat.INTEREST_COUNTS,
        cat.INTEREST_COUNT_P,
    )
    s_age = cat.STUDENT_AGE_MIN + np.rint(
        s_rng.gamma(cat.STUDENT_AGE_SHAPE, cat.STUDENT_AGE_SCALE, size=n_s)
    ).astype(np.int64)
    np.minimum(s_age, cat.STUDENT_AGE_MAX, out=s_age)
    s_ids = _ids("s", n_s)
    students = pd.DataFrame(
        {
            "id": s_ids,
            "programme": prog[s_prog],
            "interests": _ragged(interest, s_interests),
            "age": s_age,
            "gender": _draw_category(s_rng, cat.GENDERS, cat.STUDENT_GENDER_P, n_s),
            "region": _draw_category(
                s_rng, *_keys_and_p(cat.STUDENT_REGION_WEIGHT, cat.REGIONS), n_s
            ),
            "languages": _languages(s_rng, cat.STUDENT_THIRD_LANGUAGE_RATE, n_s),
            "capacity": _capacities(s_cap_rng, s_cap, n_s),
        }
    )

    # Managers: unit first; education depends on the unit, seeking on both.
    m_unit = _choice(m_rng, _weights_of(cat.UNIT_WEIGHT, cat.UNITS), n_m)
    m_edu = _draw_sets(m_rng, _unit_education_log_weights(), m_unit, cat.ONE, cat.ONE_P)
    m_seek = _draw_sets(
        m_rng,
        _typical_log_weights(
            cat.UNITS, cat.PROGRAMMES, cat.UNIT_SEEKING, cat.TYPICAL_SEEKING_WEIGHT
        ),
        m_unit,
        cat.SEEKING_COUNTS,
        cat.SEEKING_COUNT_P,
        exclude=m_edu,
    )
    m_interests = _draw_sets(
        m_rng,
        _typical_log_weights(
            cat.UNITS, cat.INTERESTS, cat.UNIT_INTERESTS, cat.TYPICAL_INTEREST_WEIGHT
        ),
        m_unit,
        cat.INTEREST_COUNTS,
        cat.INTEREST_COUNT_P,
    )
    m_age = np.clip(
        np.rint(m_rng.normal(cat.MANAGER_AGE_MEAN, cat.MANAGER_AGE_SD, size=n_m)),
        cat.MANAGER_AGE_MIN,
        cat.MANAGER_AGE_MAX,
    ).astype(np.int64)
    m_ids = _ids("m", n_m)
    managers = pd.DataFrame(
        {
            "id": m_ids,
            "unit": unit[m_unit],
            "education": prog[m_edu.argmax(axis=1)],
            "seeking": _ragged(prog, m_seek),
            "interests": _ragged(interest, m_interests),
            "age": m_age,
            "gender": _draw_category(m_rng, cat.GENDERS, cat.MANAGER_GENDER_P, n_m),
            "region": _draw_category(
                m_rng, *_keys_and_p(cat.MANAGER_REGION_WEIGHT, cat.REGIONS), n_m
            ),
            "languages": _languages(m_rng, cat.MANAGER_THIRD_LANGUAGE_RATE, n_m),
            "capacity": _capacities(m_cap_rng, m_cap, n_m),
        }
    )

    if k > 0 or rate > 0:

        def affinity(student: NDArray[np.intp], manager: NDArray[np.intp]) -> NDArray[np.float64]:
            # Computed on candidate pairs only: never an (n_students, n_managers) array.
            shared = (s_interests[student] & m_interests[manager]).sum(axis=-1, dtype=np.float64)
            bonus = np.where(m_seek[manager, s_prog[student]], _SEEKING_BONUS, 0.0)
            total: NDArray[np.float64] = shared + bonus
            return total

        s_pref, s_avoid = _links(links_rng, n_s, n_m, k, rate, affinity)
        m_pref, m_avoid = _links(
            links_rng, n_m, n_s, k, rate, lambda rows, cols: affinity(cols, rows)
        )
        s_ids_arr = np.asarray(s_ids, dtype=object)
        m_ids_arr = np.asarray(m_ids, dtype=object)
        if k > 0:
            students["preferences"] = _ragged_ranked(m_ids_arr, *s_pref)
            managers["preferences"] = _ragged_ranked(s_ids_arr, *m_pref)
        if rate > 0:
            students["avoid"] = _ragged_ranked(m_ids_arr, *s_avoid)
            managers["avoid"] = _ragged_ranked(s_ids_arr, *m_avoid)
    return students, managers


# --- Parameter checks ---------------------------------------------------------------------


def _check_count(value: object, name: str, *, side: str) -> int:
    if value not in POSITIVE_INT:
        expected = f"{POSITIVE_INT.expected} (a cohort needs at least one {side})"
        raise fail(param_where(name, _OWNER), expected, describe(value))
    number: int = check_number(value, param_where(name, _OWNER), POSITIVE_INT)
    return number


def _check_capacity(value: object, name: str) -> tuple[int, int]:
    bounds = (value, value) if not isinstance(value, tuple) else value
    if len(bounds) == 2 and bounds[0] in POSITIVE_INT and bounds[1] in POSITIVE_INT:
        low, high = int(bounds[0]), int(bounds[1])
        if low <= high:
            return low, high
    got = repr(value) if isinstance(value, tuple) and len(repr(value)) <= 40 else describe(value)
    raise fail(
        param_where(name, _OWNER),
        "a positive integer or a (low, high) tuple of integers with 1 <= low <= high",
        got,
    )


def _as_generator(rng: object) -> np.random.Generator:
    try:
        return np.random.default_rng(rng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise fail(
            param_where("rng", _OWNER),
            "None, a non-negative int seed, a SeedSequence, a BitGenerator or a Generator",
            describe(rng),
        ) from None


# --- Vectorised draws ---------------------------------------------------------------------


def _weights_of(weights: Mapping[str, float], keys: Sequence[str]) -> NDArray[np.float64]:
    """Probabilities over ``keys`` (catalogue order) from relative weights."""
    w = np.array([weights.get(key, 0.0) for key in keys], dtype=np.float64)
    p: NDArray[np.float64] = w / w.sum()
    return p


def _keys_and_p(
    weights: Mapping[str, float], keys: Sequence[str]
) -> tuple[Sequence[str], NDArray[np.float64]]:
    return keys, _weights_of(weights, keys)


def _choice(rng: np.random.Generator, p: NDArray[np.float64], n: int) -> NDArray[np.intp]:
    return rng.choice(p.size, size=n, p=p).astype(np.intp)


def _draw_category(
    rng: np.random.Generator, values: Sequence[str], p: NDArray[np.float64], n: int
) -> NDArray[np.object_]:
    return np.asarray(values, dtype=object)[_choice(rng, p, n)]


def _typical_log_weights(
    groups: Sequence[str],
    items: Sequence[str],
    typical: Mapping[str, Sequence[str]],
    weight: float,
) -> NDArray[np.float64]:
    """``log`` of a (n_groups, n_items) weight matrix: ``weight`` for typical items, else 1."""
    position = {item: j for j, item in enumerate(items)}
    log_w = np.zeros((len(groups), len(items)))
    for g, group in enumerate(groups):
        log_w[g, [position[item] for item in typical[group]]] = np.log(weight)
    return log_w


def _unit_education_log_weights() -> NDArray[np.float64]:
    """``log`` of the (n_units, n_programmes) weights of a manager's own education."""
    base = np.log(_weights_of(cat.MANAGER_EDUCATION_WEIGHT, cat.PROGRAMMES))
    log_w = np.tile(base, (len(cat.UNITS), 1))
    position = {p: j for j, p in enumerate(cat.PROGRAMMES)}
    for u, unit in enumerate(cat.UNITS):
        log_w[u, [position[p] for p in cat.UNIT_EDUCATION[unit]]] += np.log(cat.UNIT_BOOST)
    return log_w


def _draw_sets(
    rng: np.random.Generator,
    log_w: NDArray[np.float64],
    group: NDArray[np.intp],
    counts: NDArray[np.int_],
    count_p: NDArray[np.float64],
    *,
    exclude: NDArray[np.bool_] | None = None,
) -> NDArray[np.bool_]:
    """Weighted sets drawn without replacement, one row a person (Gumbel-top-k).

    Row ``i`` holds ``counts`` items (drawn with ``count_p``), sampled with weights
    ``exp(log_w[group[i]])``; items where ``exclude`` is True are never drawn.
    Returns a (n, n_items) membership mask.
    """
    n, n_items = group.size, log_w.shape[1]
    keys = log_w[group] + rng.gumbel(size=(n, n_items))
    if exclude is not None:
        keys[exclude] = -np.inf
    size = counts[_choice(rng, count_p, n)]
    order = np.argsort(-keys, axis=1, kind="stable")
    taken = np.zeros((n, n_items), dtype=np.bool_)
    rank_ok = np.arange(n_items) < size[:, None]
    np.put_along_axis(taken, order, rank_ok, axis=1)
    return taken


def _ids(prefix: str, n: int) -> list[str]:
    width = max(2, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _capacities(rng: np.random.Generator, bounds: tuple[int, int], n: int) -> NDArray[np.int64]:
    low, high = bounds
    if low == high:
        return np.full(n, low, dtype=np.int64)
    return rng.integers(low, high, size=n, endpoint=True, dtype=np.int64)


def _languages(rng: np.random.Generator, third_rate: float, n: int) -> list[list[str]]:
    has_third = rng.random(n) < third_rate
    third = _draw_category(
        rng, *_keys_and_p(cat.THIRD_LANGUAGE_WEIGHT, tuple(cat.THIRD_LANGUAGE_WEIGHT)), n
    )
    base = list(cat.BASE_LANGUAGES)
    return [
        [*base, extra] if flag else base.copy()
        for flag, extra in zip(has_third, third, strict=True)
    ]


def _ragged(values: NDArray[np.object_], mask: NDArray[np.bool_]) -> list[list[str]]:
    """One list a row: ``values[j]`` for each ``mask[i, j]``, in column order."""
    cols = np.broadcast_to(np.arange(mask.shape[1]), mask.shape)
    return _ragged_ranked(values, cols, mask)


def _ragged_ranked(
    values: NDArray[np.object_], cols: NDArray[np.intp], valid: NDArray[np.bool_]
) -> list[list[str]]:
    """One list a row: ``values[cols[i, r]]`` for each ``valid[i, r]``, in ``r`` order."""
    flat: list[str] = values[cols[valid]].tolist()
    ends = np.cumsum(valid.sum(axis=1)).tolist()
    starts = [0, *ends[:-1]]
    return [flat[a:b] for a, b in zip(starts, ends, strict=True)]


def _distinct_choices(
    rng: np.random.Generator, n_rows: int, n_pool: int, k: int
) -> NDArray[np.intp]:
    """``k`` distinct values of ``range(n_pool)`` a row, in uniformly random order.

    Small pools use random keys over the whole pool; large ones Floyd's algorithm,
    one vectorised step a slot, so the cost is ``O(n_rows * min(n_pool, k**2))``.
    """
    if k * k >= n_pool:
        keys = rng.random((n_rows, n_pool))
        return np.argsort(keys, axis=1)[:, :k].astype(np.intp)
    chosen = np.empty((n_rows, k), dtype=np.intp)
    for slot, top in enumerate(range(n_pool - k, n_pool)):
        draw = rng.integers(0, top + 1, size=n_rows)
        taken = (chosen[:, :slot] == draw[:, None]).any(axis=1)
        chosen[:, slot] = np.where(taken, top, draw)
    # Floyd's algorithm picks a uniform subset, but not in a uniform order.
    shuffle = np.argsort(rng.random((n_rows, k)), axis=1)
    return np.take_along_axis(chosen, shuffle, axis=1)


def _links(
    rng: np.random.Generator,
    n: int,
    n_other: int,
    k: int,
    avoid_rate: float,
    affinity: _Affinity,
) -> tuple[tuple[NDArray[np.intp], NDArray[np.bool_]], tuple[NDArray[np.intp], NDArray[np.bool_]]]:
    """Ranked preferences and avoided people of the other side, as (cols, valid) pairs.

    Each row draws candidates; column 0 is the avoided person for the rows that avoid
    someone, and the rest are ranked by ``affinity(rows, cols)`` plus Gumbel noise.
    """
    n_cand = min(n_other, _CANDIDATES_PER_PREFERENCE * k + (1 if avoid_rate > 0 else 0))
    cand = _distinct_choices(rng, n, n_other, n_cand)
    avoids = rng.random(n) < avoid_rate
    rows = np.broadcast_to(np.arange(n)[:, None], cand.shape)
    score = affinity(rows, cand) + rng.gumbel(size=cand.shape)
    score[avoids, :1] = -np.inf
    order = np.argsort(-score, axis=1, kind="stable")[:, :k]
    pref_cols = np.take_along_axis(cand, order, axis=1)
    pref_valid = np.isfinite(np.take_along_axis(score, order, axis=1))
    return (pref_cols, pref_valid), (cand[:, :1], avoids[:, None] & (n_cand > 0))
