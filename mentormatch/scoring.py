"""Scoring every candidate pair: :class:`Scorer` makes :class:`Scores`.

A :class:`Scorer` holds the choices (criteria, weights, hard rules, each
side's own view); :meth:`Scorer.score` applies them to a
:class:`~mentormatch.Cohort` and returns :class:`Scores`, the arrays every
solver reads, labelled with the participants' ids.
"""

from __future__ import annotations

import html
import inspect
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mentormatch import criteria as _criteria
from mentormatch._arrays import Index, Pairs, PairSet, row_blocks
from mentormatch._validation import (
    NON_NEGATIVE,
    UNIT,
    check_number,
    check_option,
    describe,
    fail,
    listed,
    param_where,
)
from mentormatch.cohort import Cohort, Side
from mentormatch.explanation import PairExplanation, explain_pair
from mentormatch.rules import Rule, forbidden_pairs

__all__ = ["PairExplanation", "Scorer", "Scores"]

#: A score criterion: two normalised tables in, an (n_students, n_managers) array in [0, 1] out.
Criterion = Callable[[pd.DataFrame, pd.DataFrame], ArrayLike]

BUILTIN_CRITERIA: Final[Mapping[str, Callable[..., NDArray[np.floating[Any]]]]] = {
    "programme": _criteria.programme,
    "interests": _criteria.interests,
    "diversity": _criteria.diversity,
}

Array = NDArray[np.floating[Any]]
Mask = NDArray[np.bool_]

#: Columns of the pairs and score tables: a criterion of that name would overwrite one.
RESERVED_NAMES: Final = frozenset(
    {
        "student_id",
        "manager_id",
        "score",
        "total",
        "fixed",
        "reason",
        "allowed",
        "student_view",
        "manager_view",
    }
)


def _available_memory() -> int | None:
    """Bytes of memory available now (Linux ``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(
    n_students: int, n_managers: int, n_arrays: int, dtype: np.dtype[Any], n_masks: int = 1
) -> None:
    """Raise before allocating when the score arrays cannot fit in memory.

    Parameters
    ----------
    n_students, n_managers : int
        The shape of every score array.
    n_arrays : int
        How many float arrays of that shape are alive at the peak.
    dtype : numpy.dtype
        Their dtype.
    n_masks : int, default 1
        How many boolean arrays of that shape are alive at the peak.

    Raises
    ------
    InvalidInputError
        When the bytes needed exceed the memory available now (Linux
        ``MemAvailable``); the message gives both and what to do.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.scoring import check_memory
    >>> check_memory(10, 10, 4, np.dtype("float64"))
    >>> check_memory(10**7, 10**7, 4, np.dtype("float64"))
    Traceback (most recent call last):
    ...
    mentormatch.exceptions.InvalidInputError: Scorer.score: expected score arrays that fit in memory, got 10000000 x 10000000 pairs needing about ...
    """
    need = n_students * n_managers * (dtype.itemsize * n_arrays + n_masks)
    available = _available_memory()
    if available is None or need <= available:
        return
    advice = "use Scorer(dtype='float32') to halve it, fewer criteria, or a smaller cohort"
    if dtype.itemsize <= 4:
        advice = "use fewer criteria or a smaller cohort"
    raise fail(
        "Scorer.score",
        "score arrays that fit in memory",
        f"{n_students} x {n_managers} pairs needing about {need / 1e9:.1f} GB with "
        f"{available / 1e9:.1f} GB available ({advice})",
    )


def _check_weight_map(
    weights: Mapping[str, float] | None, name: str, known: tuple[str, ...]
) -> dict[str, float]:
    """Weights by criterion name: known names, non-negative, finite, not all zero."""
    where = param_where(name, "Scorer")
    if weights is None:
        return dict.fromkeys(known, 1.0 / len(known))
    if not isinstance(weights, Mapping):
        raise fail(where, "a mapping of criterion names to weights", describe(weights))
    out = dict.fromkeys(known, 0.0)
    for key, value in weights.items():
        if key not in known:
            raise fail(where, f"criterion names from {listed(known)}", f"{describe(key)}")
        out[key] = check_number(value, f"{where}, key {key!r}", NON_NEGATIVE)
    total = sum(out.values())
    if total <= 0:
        raise fail(where, "at least one positive weight", "all zero")
    if not np.isfinite(total):
        # The weights are divided by their sum: an infinite sum makes every total 0.
        raise fail(
            where,
            "weights whose sum is a finite number (only their ratios matter)",
            f"a sum of {total}",
        )
    return out


def _weighted_mean(
    components: Mapping[str, Array], weights: Mapping[str, float], dtype: np.dtype[Any]
) -> Array:
    shape = next(iter(components.values())).shape
    total = np.zeros(shape, dtype=dtype)
    norm = sum(weights.values())
    active = [(w / norm, components[name]) for name, w in weights.items() if w]
    # Row blocks keep the temporaries small (and in cache); 1-d for listed pairs.
    for block in row_blocks(shape[0], shape[1] if len(shape) > 1 else 1):
        out = total[block]
        for w, values in active:
            out += w * values[block]
    # Rounding can step a hair outside [0, 1]; the contract is [0, 1].
    np.clip(total, 0.0, 1.0, out=total)
    return total


class Scorer:
    """Score every candidate student-manager pair on weighted criteria.

    Parameters
    ----------
    weights : mapping of str to float, optional
        Weight of each criterion; ``total`` is the weighted mean of the
        criteria. Criteria left out weigh 0. Default: equal weights.
    criteria : mapping of str to callable, optional
        Extra (or replacement) criteria by name. Each is called as
        ``f(cohort.students, cohort.managers)`` and must return an
        ``(n_students, n_managers)`` array in [0, 1]. The built-ins are
        ``"programme"``, ``"interests"`` and ``"diversity"``
        (:mod:`mentormatch.criteria`).
    options : mapping of str to mapping, optional
        Keyword options of the built-in criteria, by criterion, for example
        ``{"interests": {"weighting": "idf"}}``.
    student_weights, manager_weights : mapping of str to float, optional
        Each side's own weights for its view (``student_view``,
        ``manager_view``). Default: ``weights``.
    preference_bonus : float, default 0.2
        A person's view of the partner they ranked *r*-th in
        ``preferences`` is raised by ``preference_bonus / r``: a stated
        wish counts, and the first wish most. Views are utilities and may
        exceed 1; ``total`` is never changed by preferences.
    min_score : float, optional
        Hard rule: forbid pairs whose ``total`` is below this.
    share_language : bool, default False
        Hard rule: forbid pairs with no language in common (pairs where
        either person lists no language are not judged).
    allowed : array-like, pandas.DataFrame or callable, optional
        Hard rule of your own: a boolean ``(n_students, n_managers)`` mask
        (True = allowed), a boolean DataFrame indexed by student ids with
        manager ids as columns, or a function of the two tables returning
        such a mask.
    dtype : {"float64", "float32"}, default "float64"
        Precision of the score arrays; float32 halves the memory.

    Notes
    -----
    ``avoid`` lists in the cohort always forbid their pairs, from either
    side.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(n_students=4, n_managers=3, rng=0)
    >>> scorer = mm.Scorer(weights={"programme": 0.3, "interests": 0.4, "diversity": 0.3})
    >>> scores = scorer.score(cohort)
    >>> scores.total.shape
    (4, 3)
    >>> bool(((scores.total >= 0) & (scores.total <= 1)).all())
    True
    """

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        *,
        criteria: Mapping[str, Criterion] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        student_weights: Mapping[str, float] | None = None,
        manager_weights: Mapping[str, float] | None = None,
        preference_bonus: float = 0.2,
        min_score: float | None = None,
        share_language: bool = False,
        allowed: ArrayLike | pd.DataFrame | Rule | None = None,
        dtype: str = "float64",
    ) -> None:
        functions: dict[str, Callable[..., Any]] = dict(BUILTIN_CRITERIA)
        if criteria is not None:
            if not isinstance(criteria, Mapping):
                raise fail(
                    param_where("criteria", "Scorer"),
                    "a mapping of names to functions",
                    describe(criteria),
                )
            for name, function in criteria.items():
                if not isinstance(name, str) or not callable(function):
                    raise fail(
                        f"{param_where('criteria', 'Scorer')}, key {name!r}",
                        "a function",
                        describe(function),
                    )
                if name in RESERVED_NAMES:
                    raise fail(
                        f"{param_where('criteria', 'Scorer')}, key {name!r}",
                        f"a name that is not a column of the pairs table {listed(RESERVED_NAMES)}",
                        repr(name),
                    )
                functions[name] = function
        self.criteria: dict[str, Callable[..., Any]] = functions
        known = tuple(functions)
        self.weights = _check_weight_map(weights, "weights", known)
        self.student_weights = (
            self.weights
            if student_weights is None
            else _check_weight_map(student_weights, "student_weights", known)
        )
        self.manager_weights = (
            self.weights
            if manager_weights is None
            else _check_weight_map(manager_weights, "manager_weights", known)
        )
        self.options = self._check_options(options)
        self.preference_bonus: float = check_number(
            preference_bonus, param_where("preference_bonus", "Scorer"), NON_NEGATIVE
        )
        if min_score is not None:
            min_score = check_number(min_score, param_where("min_score", "Scorer"), UNIT)
        self.min_score = min_score
        if not isinstance(share_language, (bool, np.bool_)):
            raise fail(
                param_where("share_language", "Scorer"), "True or False", describe(share_language)
            )
        self.share_language = bool(share_language)
        if not (allowed is None or callable(allowed) or isinstance(allowed, pd.DataFrame)):
            # The shape is checked against the cohort, in score().
            mask = np.asarray(allowed)
            if mask.dtype != np.bool_:
                raise fail(
                    param_where("allowed", "Scorer"),
                    "a boolean mask",
                    f"an array of dtype {mask.dtype}",
                )
        self.allowed = allowed
        check_option(dtype, "dtype", "Scorer", ("float32", "float64"))
        self.dtype = np.dtype(dtype)

    def _check_options(
        self, options: Mapping[str, Mapping[str, Any]] | None
    ) -> dict[str, dict[str, Any]]:
        where = param_where("options", "Scorer")
        if options is None:
            return {}
        if not isinstance(options, Mapping):
            raise fail(where, "a mapping of criterion names to keyword options", describe(options))
        out: dict[str, dict[str, Any]] = {}
        for name, kwargs in options.items():
            if name not in BUILTIN_CRITERIA or self.criteria[name] is not BUILTIN_CRITERIA[name]:
                raise fail(
                    where,
                    f"built-in criterion names from {listed(BUILTIN_CRITERIA)}",
                    describe(name),
                )
            accepted = set(inspect.signature(BUILTIN_CRITERIA[name]).parameters) - {
                "students",
                "managers",
                "dtype",
            }
            for key in kwargs:
                if key not in accepted:
                    raise fail(
                        f"{where}, key {name!r}", f"options from {listed(accepted)}", describe(key)
                    )
            out[name] = dict(kwargs)
        return out

    def __repr__(self) -> str:
        weights = ", ".join(f"{k!r}: {v:g}" for k, v in self.weights.items())
        return f"Scorer(weights={{{weights}}})"

    def score(self, cohort: Cohort) -> Scores:
        """Score every student-manager pair of a cohort.

        Parameters
        ----------
        cohort : Cohort

        Returns
        -------
        Scores

        Raises
        ------
        InvalidInputError
            When a criterion returns an array of the wrong shape or with
            values outside [0, 1], or a rule's mask is malformed.

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(3, 3, rng=1))
        >>> sorted(scores.components)
        ['diversity', 'interests', 'programme']
        """
        if not isinstance(cohort, Cohort):
            raise fail(param_where("cohort", "Scorer.score"), "a Cohort", describe(cohort))
        check_memory(cohort.n_students, cohort.n_managers, *self._peak_arrays(cohort))
        students, managers = cohort.students, cohort.managers
        shape = (cohort.n_students, cohort.n_managers)

        components: dict[str, Array] = {}
        for name, function in self.criteria.items():
            if function is BUILTIN_CRITERIA.get(name):
                # The built-ins are tested to keep the contract: no second pass.
                options = self.options.get(name, {})
                components[name] = function(students, managers, dtype=self.dtype, **options)
            else:
                value = function(students, managers)
                components[name] = _check_component(value, name, shape, self.dtype)

        return self._assemble(cohort, components, self.weights)

    def _peak_arrays(self, cohort: Cohort) -> tuple[int, np.dtype[Any], int]:
        """Float arrays, dtype and boolean masks of the pair table's size alive at the peak.

        One per criterion and ``total``; a view of each side's own when it
        has weights or preferences of its own; one more while a custom
        criterion's result is copied. Masks: ``allowed`` and one per active
        hard rule. Measured against tracemalloc's peak in the tests.
        """
        n_arrays = len(self.criteria) + 1
        prefers = self.preference_bonus > 0 and any(
            len(p) for side in ("students", "managers") for p in cohort.column(side, "preferences")
        )
        for own in (self.student_weights, self.manager_weights):
            n_arrays += int(own is not self.weights or prefers)
        n_arrays += int(any(f is not BUILTIN_CRITERIA.get(n) for n, f in self.criteria.items()))
        avoid = sum(
            any(len(a) for a in cohort.column(side, "avoid")) for side in ("students", "managers")
        )
        n_masks = 1 + avoid + int(self.min_score is not None) + int(self.share_language)
        n_masks += 2 * int(self.allowed is not None)  # the caller's mask and its negation
        return n_arrays, self.dtype, n_masks

    def reweight(self, scores: Scores, weights: Mapping[str, float]) -> Scores:
        """The same scores under other criterion weights, without recomputing the criteria.

        For what-if questions ("what if interests counted double?") and for
        :func:`~mentormatch.sensitivity`. Hard rules and preferences apply
        as in :meth:`score`; a side with weights of its own keeps them.

        Parameters
        ----------
        scores : Scores
            Made by this scorer.
        weights : mapping of str to float

        Returns
        -------
        Scores

        Examples
        --------
        >>> import mentormatch as mm
        >>> scorer = mm.Scorer()
        >>> scores = scorer.score(mm.make_cohort(3, 3, rng=0))
        >>> only_interests = scorer.reweight(scores, {"interests": 1.0})
        >>> bool((only_interests.total == scores.components["interests"]).all())
        True
        """
        if not isinstance(scores, Scores):
            raise fail(param_where("scores", "Scorer.reweight"), "a Scores", describe(scores))
        checked = _check_weight_map(weights, "weights", tuple(self.criteria))
        scores._check_dense("Scorer.reweight")
        # Dense already, or (scores computed on demand, small enough) made dense here.
        components = {name: np.asarray(values) for name, values in scores.components.items()}
        return self._assemble(scores.cohort, components, checked)

    def _assemble(
        self, cohort: Cohort, components: dict[str, Array], weights: dict[str, float]
    ) -> Scores:
        """Total, hard rules and views from the criteria's arrays."""
        total = _weighted_mean(components, weights, self.dtype)
        forbidden = forbidden_pairs(
            cohort,
            total,
            min_score=self.min_score,
            share_language=self.share_language,
            allowed=self.allowed,
        )
        allowed = np.ones(total.shape, dtype=np.bool_)
        for mask in forbidden.values():
            np.logical_and(allowed, ~mask, out=allowed)
        views = side_views(
            components,
            total,
            (own_weights(self, "students"), own_weights(self, "managers")),
            preference_bonuses(cohort, self.preference_bonus, self.dtype),
            _EVERY_PAIR,
            self.dtype,
        )
        return Scores(
            total=total,
            components=components,
            allowed=allowed,
            student_view=views[0],
            manager_view=views[1],
            cohort=cohort,
            weights=dict(weights),
            forbidden=forbidden,
        )


_EVERY_PAIR: Final = Pairs(slice(None), slice(None))


def check_cohort_and_scorer(
    cohort: object, scorer: object, owner: str, *, default: bool = True
) -> Scorer:
    """The scorer to use on ``cohort`` for ``owner``, after checking both arguments' types.

    ``default``: None stands for ``Scorer()``; otherwise a Scorer is required.
    """
    if not isinstance(cohort, Cohort):
        raise fail(param_where("cohort", owner), "a Cohort", describe(cohort))
    if scorer is None and default:
        return Scorer()
    if not isinstance(scorer, Scorer):
        raise fail(param_where("scorer", owner), "a Scorer", describe(scorer))
    return scorer


def preference_bonuses(
    cohort: Cohort, bonus: float, dtype: np.dtype[Any]
) -> dict[str, PairSet | None]:
    """Each side's preference bonus on its own view, as listed pairs.

    A person's view of the partner they ranked *r*-th gains ``bonus / r``;
    None for a side that states no wish (or when ``bonus`` is 0).
    """
    out: dict[str, PairSet | None] = {}
    shape = (cohort.n_students, cohort.n_managers)
    sides: tuple[tuple[Side, Mapping[str, int]], ...] = (
        ("students", cohort.manager_index),
        ("managers", cohort.student_index),
    )
    for side, other in sides:
        ranked = cohort.column(side, "preferences")
        listed = [
            (person, other[partner], bonus / rank)
            for person, wishes in enumerate(ranked)
            for rank, partner in enumerate(wishes, start=1)
        ]
        if bonus == 0 or not listed:
            out[side] = None
            continue
        person, partner, value = zip(*listed, strict=True)
        rows, cols = (person, partner) if side == "students" else (partner, person)
        out[side] = PairSet.from_pairs(rows, cols, shape, np.array(value, dtype=dtype))
    return out


def own_weights(scorer: Scorer, side: Side) -> dict[str, float] | None:
    """A side's own weights for its view; None when it uses the scorer's ``weights``."""
    own = scorer.student_weights if side == "students" else scorer.manager_weights
    return None if own is scorer.weights else own


def side_views(
    components: Mapping[str, Array],
    total: Array,
    own_weights: tuple[Mapping[str, float] | None, Mapping[str, float] | None],
    bonuses: Mapping[str, PairSet | None],
    pairs: Pairs,
    dtype: np.dtype[Any],
) -> list[Array]:
    """Each side's view of ``pairs``: its own weighted mean (or ``total``) plus its bonuses."""
    views = []
    for own, side in zip(own_weights, ("students", "managers"), strict=True):
        base = total if own is None else _weighted_mean(components, own, dtype)
        views.append(_with_bonus(base, bonuses[side], pairs))
    return views


def _with_bonus(view: Array, bonus: PairSet | None, pairs: Pairs) -> Array:
    """``view`` (the values of ``pairs``) with the preference bonus added; a copy if any."""
    if bonus is None:
        return view
    view = view.copy()
    bonus.add_to(view, pairs)
    return view


def _read_only(array: Any) -> Any:
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


def _check_component(
    value: ArrayLike, name: str, shape: tuple[int, int], dtype: np.dtype[Any]
) -> Array:
    where = f"criterion {name!r}"
    try:
        array = np.array(value, dtype=dtype)  # a copy: the caller keeps theirs
    except (TypeError, ValueError):
        raise fail(where, "an array of numbers", describe(value)) from None
    if array.shape != shape:
        raise fail(where, f"an array of shape {shape}", f"shape {array.shape}")
    bad = ~((array >= 0) & (array <= 1))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise fail(where, "values in [0, 1]", f"{array[i, j]} at [{i}, {j}]")
    return array


@dataclass(frozen=True, repr=False, eq=False)
class Scores:
    """The scored candidate pairs of a cohort: arrays labelled by ids.

    Row *i* is ``student_ids[i]`` and column *j* is ``manager_ids[j]`` in
    every array. Made by :meth:`Scorer.score`.

    Attributes
    ----------
    total : ndarray of shape (n_students, n_managers)
        The weighted mean of the criteria, each entry in [0, 1].
    components : dict of str to ndarray
        Each criterion's array, in [0, 1].
    allowed : ndarray of bool
        False where a hard rule forbids the pair.
    student_view : ndarray
        How each student values each manager (``[i, j]``: student *i*'s
        value of manager *j*); ``total`` unless the students have their own
        weights or stated preferences.
    manager_view : ndarray
        How each manager values each student (``[i, j]``: manager *j*'s
        value of student *i*; same shape, no transpose).
    cohort : Cohort
    weights : dict of str to float
    forbidden : dict of str to ndarray of bool
        Each active hard rule's mask of the pairs it forbids.

    Notes
    -----
    Every array is a read-only view: ``scores.total[0, 0] = 1`` raises
    ``ValueError``, so no step can change the scores another step reads.
    Copy one (``scores.total.copy()``) to change it. When a side has no
    weights or preferences of its own, its view is a view of the very
    array ``total`` (the same memory, which read-only makes harmless).

    Examples
    --------
    >>> import mentormatch as mm
    >>> scores = mm.Scorer().score(mm.make_cohort(3, 2, rng=0))
    >>> scores
    Scores(3 students x 2 managers; criteria: programme, interests, diversity)
    >>> scores.total.flags.writeable, scores.student_view.flags.writeable
    (False, False)
    >>> scores.to_frame().columns.tolist()[:4]
    ['student_id', 'manager_id', 'score', 'programme']
    """

    total: Array
    components: dict[str, Array]
    allowed: Mask
    student_view: Array
    manager_view: Array
    cohort: Cohort
    weights: dict[str, float]
    forbidden: dict[str, Mask] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only views: the arrays that made them (ours, or a caller's) are untouched.
        # One view per array, so that a view that is total stays `is total`.
        seen: dict[int, Any] = {}

        def frozen(array: Any) -> Any:
            if id(array) not in seen:
                seen[id(array)] = _read_only(array)
            return seen[id(array)]

        for name in ("total", "allowed", "student_view", "manager_view"):
            object.__setattr__(self, name, frozen(getattr(self, name)))
        for name in ("components", "forbidden"):
            views = {key: frozen(value) for key, value in getattr(self, name).items()}
            object.__setattr__(self, name, views)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through __init__ on arrival (another process, a Dask worker), so
        # that the arrays are read-only there too (pickle does not keep the flag).
        return (type(self), tuple(getattr(self, f.name) for f in fields(self)))

    #: Entries of the row blocks that the block-wise steps (partner ranks, blocking
    #: pairs) read at once: cache-sized here, larger for scores computed on demand.
    _BLOCK: ClassVar[int] = 1 << 16
    #: Whether the arrays are computed on demand: the steps that can go block by
    #: block then do, whatever the size (same answers, memory of a block).
    _ON_DEMAND: ClassVar[bool] = False

    def _check_dense(self, owner: str) -> None:
        """Raise when a step of ``owner`` needs dense arrays these scores cannot give.

        Dense scores always can; :class:`~mentormatch.blocks.LazyScores` past
        its size limit cannot.
        """

    def _fits_dense(self) -> bool:
        """Whether a step that needs dense arrays can run on these scores."""
        return True

    def _array(self, field: str) -> NDArray[Any]:
        kind, _, key = field.partition("/")
        array: NDArray[Any] = getattr(self, kind)[key] if key else getattr(self, kind)
        return array

    def _fields(self, fields: Sequence[str], rows: Index, cols: Index) -> list[NDArray[Any]]:
        """The block ``rows x cols`` of several arrays, read together.

        A field is ``total``, ``allowed``, ``student_view``, ``manager_view``,
        ``components/<criterion>`` or ``forbidden/<rule>``. Scores computed on
        demand score the block once for them all.
        """
        return [self._array(field)[rows][:, cols] for field in fields]

    def _pair_fields(
        self, fields: Sequence[str], rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> list[NDArray[Any]]:
        """The listed pairs ``(rows[k], cols[k])`` of several arrays, read together."""
        return [self._array(field)[rows, cols] for field in fields]

    @property
    def student_ids(self) -> tuple[str, ...]:
        """Row labels: the students' ids."""
        return self.cohort.student_ids

    @property
    def manager_ids(self) -> tuple[str, ...]:
        """Column labels: the managers' ids."""
        return self.cohort.manager_ids

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_students, n_managers)``."""
        return (self.cohort.n_students, self.cohort.n_managers)

    def _position(self, student_id: str, manager_id: str) -> tuple[int, int]:
        for ident, index, param in (
            (student_id, self.cohort.student_index, "student_id"),
            (manager_id, self.cohort.manager_index, "manager_id"),
        ):
            if ident not in index:
                raise fail(
                    param_where(param, "Scores.explain"), "an id of the cohort", describe(ident)
                )
        return self.cohort.student_index[student_id], self.cohort.manager_index[manager_id]

    def explain(self, student_id: str, manager_id: str) -> PairExplanation:
        """Why a pair scores what it does, criterion by criterion.

        Parameters
        ----------
        student_id, manager_id : str

        Returns
        -------
        PairExplanation
            Prints as a short report; its attributes hold the same facts.

        Examples
        --------
        >>> import pandas as pd
        >>> import mentormatch as mm
        >>> students = pd.DataFrame({"id": ["s1"], "programme": ["Statsvetenskap"],
        ...                          "interests": ["demokrati;klimat"], "age": [24]})
        >>> managers = pd.DataFrame({"id": ["m1"], "unit": ["Digital förvaltning"],
        ...                          "education": ["Juridik"], "seeking": ["Statsvetenskap"],
        ...                          "interests": ["klimat;integritet"], "age": [52]})
        >>> scores = mm.Scorer({"programme": 0.3, "interests": 0.4, "diversity": 0.3}).score(
        ...     mm.Cohort.from_frames(students, managers))
        >>> print(scores.explain("s1", "m1"))
        s1 and m1: total 0.73, allowed
          criterion  value  weight  contribution
          programme   1.00    0.30          0.30
          interests   0.33    0.40          0.13
          diversity   1.00    0.30          0.30
          shared interests: klimat
          differs in: background (Statsvetenskap vs Juridik), age (24 vs 52)
        """
        i, j = self._position(student_id, manager_id)
        return explain_pair(self, i, j)

    def to_frame(self) -> pd.DataFrame:
        """The long format: one row per candidate pair.

        Returns
        -------
        pandas.DataFrame
            Columns ``student_id``, ``manager_id``, ``score`` (the total, named
            as in :attr:`Matching.pairs`), one per criterion, ``allowed``,
            ``student_view`` and ``manager_view``.

            .. deprecated:: 0.1.0
               The column ``total`` (the old name of ``score``) is still there
               at the end; reading it (``frame["total"]``) warns, and it will
               be removed.

        Examples
        --------
        >>> import mentormatch as mm
        >>> frame = mm.Scorer().score(mm.make_cohort(2, 3, rng=0)).to_frame()
        >>> len(frame)
        6
        """
        n_s, n_m = self.shape
        frame = pd.DataFrame(
            {
                "student_id": np.repeat(np.array(self.student_ids, dtype=object), n_m),
                "manager_id": np.tile(np.array(self.manager_ids, dtype=object), n_s),
                "score": self.total.ravel(),
            }
        )
        for name, values in self.components.items():
            frame[name] = values.ravel()
        frame["allowed"] = self.allowed.ravel()
        frame["student_view"] = self.student_view.ravel()
        frame["manager_view"] = self.manager_view.ravel()
        frame["total"] = frame["score"]
        return _ScoreTable(frame)

    def __repr__(self) -> str:
        n_s, n_m = self.shape
        return f"Scores({n_s} students x {n_m} managers; criteria: {', '.join(self.components)})"

    def _repr_html_(self) -> str:
        # Summary figures only: no personal data.
        n_s, n_m = self.shape
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{self.weights.get(name, 0):.2f}</td>"
            f"<td>{values.min():.2f}</td><td>{values.mean():.2f}</td><td>{values.max():.2f}</td></tr>"
            for name, values in {"total": self.total, **self.components}.items()
        )
        share = float(self.allowed.mean()) if self.allowed.size else 0.0
        return (
            f"<table><caption>Scores: {n_s} students x {n_m} managers, "
            f"{share:.0%} of pairs allowed</caption>"
            "<tr><th>criterion</th><th>weight</th><th>min</th><th>mean</th><th>max</th></tr>"
            f"{rows}</table>"
        )


class _ScoreTable(pd.DataFrame):
    """The long score table; reading its deprecated column ``total`` warns.

    ``score`` is the name every table uses for a pair's total (the pairs, the
    report, the CLI); ``total`` stays one release as a copy of it. Frames
    derived from this one are plain DataFrames.
    """

    @property
    def _constructor(self) -> Any:
        return pd.DataFrame

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str) and key == "total":
            warnings.warn(
                "Scores.to_frame(): the column 'total' is now called 'score' (as in "
                "Matching.pairs); 'total' will be removed",
                DeprecationWarning,
                stacklevel=2,
            )
        return super().__getitem__(key)
