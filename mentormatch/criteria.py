"""The three built-in score criteria, as pure array functions.

Each criterion takes the two normalised participant tables (``cohort.students``
and ``cohort.managers``) and returns a float array of shape
``(n_students, n_managers)`` with every entry in [0, 1]; higher is a better
pair. A custom criterion with the same signature plugs into
:class:`~mentormatch.Scorer` under its own name.

* :func:`programme` -- how well the student's study programme serves what
  the manager is seeking;
* :func:`interests` -- how similar the two sets of societal-engagement
  interests are (similarity of values predicts good mentoring relationships);
* :func:`diversity` -- how different the two backgrounds are (the point of
  reverse mentoring).

None of them loops over pairs in Python: each works on small per-person
tables and broadcasts, so a 10,000 x 10,000 cohort scores in seconds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import DTypeLike, NDArray

from mentormatch._arrays import Pairs, bitsets, codes, common_count, incidence, row_blocks
from mentormatch._catalogue import PROGRAMME_DISCIPLINE, discipline_of, vocabulary_key
from mentormatch._validation import (
    NON_NEGATIVE,
    POSITIVE,
    UNIT,
    as_float_dtype,
    check_instance,
    check_number,
    check_number_map,
    check_option,
    describe,
    fail,
    is_missing,
    param_where,
)

__all__ = [
    "DEFAULT_ATTRIBUTE_WEIGHTS",
    "DEFAULT_SCALES",
    "diversity",
    "interests",
    "programme",
]

#: Weight of each perspective attribute in :func:`diversity`.
#:
#: Educational background counts double: differing backgrounds are what the
#: programme matches on.
DEFAULT_ATTRIBUTE_WEIGHTS: Final[Mapping[str, float]] = {
    "background": 2.0,
    "age": 1.0,
    "gender": 1.0,
    "region": 1.0,
    "languages": 1.0,
}
#: Scale of each numeric attribute: a difference this large counts fully.
DEFAULT_SCALES: Final[Mapping[str, float]] = {"age": 25.0}


Array = NDArray[np.floating[Any]]

#: Above this many entries (32 MB in float64) diversity's table of attribute
#: combinations is not built; each pair is then compared attribute by attribute.
COMBINATION_TABLE_LIMIT: Final = 1 << 22


class Encoded(ABC):
    """A criterion encoded once for a cohort, ready to score any pairs.

    Encoding reads the two tables once and keeps small per-person arrays
    (codes, bitsets, numbers) and every quantity that depends on the whole
    cohort (for example the idf weights); :meth:`evaluate` then scores any
    block or list of pairs from those arrays alone, with elementwise
    operations only, so a pair gets the same bits in every block. The
    public criterion functions are ``encode`` then :meth:`full`.
    """

    n_students: int
    n_managers: int
    dtype: np.dtype[Any]

    @abstractmethod
    def evaluate(self, pairs: Pairs) -> Array:
        """The criterion's values for ``pairs``, of ``pairs.shape(...)`` and ``dtype``."""

    def full(self) -> Array:
        """Every pair: the ``(n_students, n_managers)`` array, filled block by block."""
        result = np.empty((self.n_students, self.n_managers), dtype=self.dtype)
        for block in row_blocks(self.n_students, self.n_managers):
            result[block] = self.evaluate(Pairs(block, slice(None)))
        return result


def programme(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    disciplines: Mapping[str, str] | None = None,
    partial: float = 0.5,
    neutral: float = 0.5,
    affinity: pd.DataFrame | None = None,
    dtype: DTypeLike = np.float64,
) -> NDArray[np.floating[Any]]:
    r"""How well each student's programme serves what each manager is seeking.

    .. math::

        p_{ij} = \begin{cases}
            1 & \text{programme}_i \in \text{seeking}_j \\
            \pi & d(\text{programme}_i) \in d(\text{seeking}_j) \\
            0 & \text{otherwise} \\
            \nu & \text{seeking}_j = \emptyset
        \end{cases}

    where :math:`d` maps a programme to its discipline group, :math:`\pi` is
    ``partial`` and :math:`\nu` is ``neutral``. With an ``affinity`` table,
    :math:`p_{ij} = \max(p_{ij}, a[\text{programme}_i, \text{unit}_j])`
    wherever the table has a value.

    Parameters
    ----------
    students, managers : pandas.DataFrame
        Normalised tables (``cohort.students``, ``cohort.managers``); uses the
        ``programme`` column of students and ``seeking`` and ``unit`` of
        managers.
    disciplines : mapping of str to str, optional
        Programme to discipline group. Default: the built-in grouping of
        common Swedish programmes (statsvetenskap, sociologi and
        samhällsvetenskap are social science; juridik and ekonomi are
        economics and law; ...). A programme not in the mapping is a
        discipline of its own.
    partial : float, default 0.5
        Credit for a programme of the same discipline as one sought.
    neutral : float, default 0.5
        The score when a manager seeks nothing in particular: neither a
        reward nor a penalty, so the other criteria decide.
    affinity : pandas.DataFrame, optional
        A programme x unit table of values in [0, 1] (index: programmes,
        columns: units); missing entries are ignored.
    dtype : dtype, default float64

    Returns
    -------
    ndarray of shape (n_students, n_managers)

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch import criteria
    >>> students = pd.DataFrame({"programme": ["Statsvetenskap", "Sociologi", "Datateknik"]})
    >>> managers = pd.DataFrame({"unit": ["Digital förvaltning", "Kommunikation"],
    ...                          "seeking": [("Statsvetenskap",), ()]})
    >>> criteria.programme(students, managers)
    array([[1. , 0.5],
           [0.5, 0.5],
           [0. , 0.5]])
    """
    return encode_programme(
        students,
        managers,
        disciplines=disciplines,
        partial=partial,
        neutral=neutral,
        affinity=affinity,
        dtype=dtype,
    ).full()


@dataclass(frozen=True, eq=False)
class _Programme(Encoded):
    n_students: int
    n_managers: int
    dtype: np.dtype[Any]
    #: (n_programmes, n_kinds): the value of each programme for each kind of manager
    table: Array
    student_codes: NDArray[np.intp]
    #: each manager's kind: what they seek (and their unit, with an affinity table)
    manager_codes: NDArray[np.intp]

    def evaluate(self, pairs: Pairs) -> Array:
        return pairs.lookup(self.table, self.student_codes, self.manager_codes)


def encode_programme(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    disciplines: Mapping[str, str] | None = None,
    partial: float = 0.5,
    neutral: float = 0.5,
    affinity: pd.DataFrame | None = None,
    dtype: DTypeLike = np.float64,
) -> Encoded:
    """:func:`programme`, encoded: a programme x kind-of-manager table and codes."""
    dtype = _check_common(students, managers, dtype, "programme")
    _check_disciplines(disciplines, "programme")
    partial = check_number(partial, param_where("partial", "programme"), UNIT)
    neutral = check_number(neutral, param_where("neutral", "programme"), UNIT)
    if affinity is not None and not isinstance(affinity, pd.DataFrame):
        raise fail(param_where("affinity", "programme"), "a pandas DataFrame", describe(affinity))
    groups = PROGRAMME_DISCIPLINE if disciplines is None else disciplines
    # A manager's column of the table depends only on what they seek (and on
    # their unit when an affinity table is given): one column per kind.
    units = list(managers["unit"]) if affinity is not None else [None] * len(managers)
    kinds: dict[Any, int] = {}
    manager_codes = codes(
        [(tuple(x), u) for x, u in zip(managers["seeking"], units, strict=True)], kinds
    )
    vocabulary: dict[Any, int] = {}
    student_codes = codes(list(students["programme"]), vocabulary)
    seeking = [sought for sought, _ in kinds]
    for items in seeking:
        codes(items, vocabulary)
    sought = incidence(seeking, vocabulary)  # (n_kinds, n_programmes)

    names = list(vocabulary)
    group_of = [discipline_of(p, groups) for p in names]
    group_vocab: dict[Any, int] = {}
    group_codes = codes(group_of, group_vocab)
    sought_group = np.zeros((len(seeking), len(group_vocab)), dtype=np.bool_)
    rows, cols = np.nonzero(sought)
    sought_group[rows, group_codes[cols]] = True

    table = np.where(sought.T, 1.0, np.where(sought_group[:, group_codes].T, partial, 0.0)).astype(
        dtype
    )
    table[:, ~sought.any(axis=1)] = neutral
    if affinity is not None:
        table = _apply_affinity(table, names, [unit for _, unit in kinds], affinity)
    return _Programme(len(students), len(managers), dtype, table, student_codes, manager_codes)


def _apply_affinity(
    table: NDArray[np.floating[Any]], names: list[Any], units: list[Any], affinity: pd.DataFrame
) -> NDArray[np.floating[Any]]:
    values = affinity.reindex(index=names, columns=units).to_numpy(dtype=np.float64)
    known = ~np.isnan(values)
    if np.any((values[known] < 0) | (values[known] > 1)):
        raise fail(param_where("affinity", "programme"), "values in [0, 1]", "a value outside")
    return np.where(known, np.maximum(table, np.where(known, values, 0.0)), table).astype(
        table.dtype
    )


def interests(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    weighting: Literal["uniform", "idf"] = "uniform",
    related: pd.DataFrame | None = None,
    dtype: DTypeLike = np.float64,
) -> NDArray[np.floating[Any]]:
    r"""Similarity of each student's and each manager's interest sets.

    With the default options this is the Jaccard index

    .. math::

        s_{ij} = \frac{|S_i \cap M_j|}{|S_i \cup M_j|}, \qquad s_{ij} = 0
        \text{ when both sets are empty.}

    With ``weighting="idf"`` each interest :math:`t` counts
    :math:`w_t = 1 + \ln\frac{1 + N}{1 + n_t}` instead of 1, where :math:`N`
    is the number of people and :math:`n_t` those who hold :math:`t`, so a
    rare shared interest says more than a common one.

    With a ``related`` table :math:`R` (interest x interest, values in
    [0, 1]), an interest of one person is shared with credit
    :math:`c_t = \max_{u} R_{tu}` over the other person's interests
    (1 for the same interest), and

    .. math::

        s_{ij} = \frac{I}{\sum_{t \in S_i} w_t + \sum_{u \in M_j} w_u - I},
        \qquad I = \tfrac12 \Big(\sum_{t \in S_i} w_t c_t + \sum_{u \in M_j} w_u c_u\Big),

    which is the (weighted) Jaccard index again when no relation is given.

    Parameters
    ----------
    students, managers : pandas.DataFrame
        Normalised tables; uses the ``interests`` column of each.
    weighting : {"uniform", "idf"}, default "uniform"
    related : pandas.DataFrame, optional
        Partial credit between related interests: a square table indexed
        and labelled by interests; missing entries count 0, and the table
        is made symmetric by taking the larger of :math:`R_{tu}` and
        :math:`R_{ut}`.
    dtype : dtype, default float64

    Returns
    -------
    ndarray of shape (n_students, n_managers)

    References
    ----------
    Eby, L. T. et al. (2013). An interdisciplinary meta-analysis of the
    potential antecedents, correlates, and consequences of protégé perceptions
    of mentoring. *Psychological Bulletin* 139(2), 441-476.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch import criteria
    >>> students = pd.DataFrame({"interests": [("klimat", "demokrati"), ("migration",)]})
    >>> managers = pd.DataFrame({"interests": [("klimat",), ("klimat", "demokrati")]})
    >>> criteria.interests(students, managers)
    array([[0.5, 1. ],
           [0. , 0. ]])
    >>> related = pd.DataFrame({"demokrati": {"migration": 0.5}})
    >>> criteria.interests(students, managers, related=related).round(3)
    array([[0.5, 1. ],
           [0. , 0.2]])
    """
    return encode_interests(
        students, managers, weighting=weighting, related=related, dtype=dtype
    ).full()


@dataclass(frozen=True, eq=False)
class _Interests(Encoded):
    n_students: int
    n_managers: int
    dtype: np.dtype[Any]
    #: each person's weighted set size
    size_s: Array
    size_m: Array
    #: uniform weights: each person's set as bitsets; else None
    bits_s: NDArray[np.uint64] | None
    bits_m: NDArray[np.uint64] | None
    #: other weightings: I = sum_k left[k, code_s[i]] * right[k, code_m[j]], with
    #: one column per distinct row of factors (people with the same set share one)
    left: Array | None
    right: Array | None
    code_s: NDArray[np.intp] | None
    code_m: NDArray[np.intp] | None

    def evaluate(self, pairs: Pairs) -> Array:
        size_s, size_m = pairs.left(self.size_s), pairs.right(self.size_m)
        if self.bits_s is not None and self.bits_m is not None:
            # Plain counts: bitsets and popcounts, which need no BLAS.
            inter = common_count(pairs.left(self.bits_s), pairs.right(self.bits_m), self.dtype)
            return _jaccard(inter, size_s, size_m)
        assert self.left is not None
        assert self.right is not None
        assert self.code_s is not None
        assert self.code_m is not None
        # One term at a time in a fixed order, never a matrix product: BLAS may
        # sum in another order for another block shape, and a pair must get the
        # same bits in every block.
        shape = np.broadcast_shapes(size_s.shape, size_m.shape)
        inter = np.zeros(shape, dtype=self.dtype)
        kind_s, kind_m = pairs.left(self.code_s), pairs.right(self.code_m)
        for left, right in zip(self.left, self.right, strict=True):
            factor = left[kind_s]
            if factor.any():
                inter += factor * right[kind_m]
        result = _jaccard(inter, size_s, size_m)
        np.clip(result, 0.0, 1.0, out=result)
        return result


def encode_interests(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    weighting: Literal["uniform", "idf"] = "uniform",
    related: pd.DataFrame | None = None,
    dtype: DTypeLike = np.float64,
) -> Encoded:
    """:func:`interests`, encoded: per-person sets (and weights over the whole cohort)."""
    dtype = _check_common(students, managers, dtype, "interests")
    check_option(weighting, "weighting", "interests", ("uniform", "idf"))
    vocabulary: dict[Any, int] = {}
    student_sets, manager_sets = list(students["interests"]), list(managers["interests"])
    for items in (*student_sets, *manager_sets):
        codes(items, vocabulary)
    a = incidence(student_sets, vocabulary).astype(dtype)
    b = incidence(manager_sets, vocabulary).astype(dtype)
    k = len(vocabulary)

    if weighting == "idf":
        # Over the whole cohort, so that every block sees the same weights.
        holders = a.sum(axis=0) + b.sum(axis=0)
        weights = 1.0 + np.log((1.0 + a.shape[0] + b.shape[0]) / (1.0 + holders))
    else:
        weights = np.ones(k)
    weights = weights.astype(dtype)

    size_a = a @ weights
    size_b = b @ weights
    shape = (len(students), len(managers))
    if weighting == "uniform" and related is None:
        return _Interests(
            *shape, dtype, size_a, size_b, bitsets(a > 0), bitsets(b > 0), None, None, None, None
        )
    if related is None:
        left, right = a, b * weights
    else:
        r = _relation_matrix(related, vocabulary).astype(dtype)
        # c_t for each interest t, given the other person's whole set.
        credit_from_m = _best_credit(b, r)
        credit_from_s = _best_credit(a, r)
        # I = (sum_t w_t a_t c_t + sum_u c_u w_u b_u) / 2, as one sum of products.
        left = np.hstack([a * weights, credit_from_s]) * 0.5
        right = np.hstack([credit_from_m, b * weights])
    kinds_s, code_s = np.unique(left, axis=0, return_inverse=True)
    kinds_m, code_m = np.unique(right, axis=0, return_inverse=True)
    return _Interests(
        *shape,
        dtype,
        size_a,
        size_b,
        None,
        None,
        np.ascontiguousarray(kinds_s.T),
        np.ascontiguousarray(kinds_m.T),
        code_s.reshape(-1).astype(np.intp),
        code_m.reshape(-1).astype(np.intp),
    )


def _jaccard(inter: Array, size_a: Array, size_b: Array) -> Array:
    """``inter / (size_a + size_b - inter)``, and 0 where the union is empty."""
    union = size_a + size_b
    union = union - inter
    out = np.zeros(union.shape, dtype=inter.dtype)
    np.divide(inter, union, out=out, where=union > 0)
    return out


def _relation_matrix(related: pd.DataFrame, vocabulary: dict[Any, int]) -> NDArray[np.float64]:
    where = param_where("related", "interests")
    if not isinstance(related, pd.DataFrame):
        raise fail(where, "a pandas DataFrame", describe(related))
    # Labels compare as the cohort's values do: without regard to case or spaces.
    names = [vocabulary_key(str(name)) for name in vocabulary]
    keyed = related.copy()
    keyed.index = pd.Index([vocabulary_key(str(label)) for label in related.index])
    keyed.columns = pd.Index([vocabulary_key(str(label)) for label in related.columns])
    for axis in (keyed.index, keyed.columns):
        if axis.has_duplicates:
            twice = axis[axis.duplicated()][0]
            raise fail(where, "one row and one column per interest", f"{twice!r} twice")
    try:
        table = keyed.reindex(index=names, columns=names).to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise fail(where, "a table of numbers in [0, 1]", "a table holding text") from None
    values: NDArray[np.float64] = np.nan_to_num(table, nan=0.0)
    if np.any((values < 0) | (values > 1)):
        raise fail(where, "values in [0, 1]", "a value outside")
    values = np.maximum(values, values.T)
    np.fill_diagonal(values, 1.0)
    return values


def _best_credit(
    incidence: NDArray[np.floating[Any]], relation: NDArray[np.floating[Any]]
) -> NDArray[np.floating[Any]]:
    """For each person, the best credit each interest earns from that person's set."""
    out = np.zeros_like(incidence)
    for item in range(relation.shape[0]):
        holders = incidence[:, item] > 0
        out[holders] = np.maximum(out[holders], relation[item])
    return out


def diversity(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    attribute_weights: Mapping[str, float] | None = None,
    scales: Mapping[str, float] | None = None,
    disciplines: Mapping[str, str] | None = None,
    neutral: float = 0.5,
    dtype: DTypeLike = np.float64,
) -> NDArray[np.floating[Any]]:
    r"""How different each student's and each manager's perspectives are.

    The weighted mean, over the perspective attributes that both people
    have a value for, of a difference in [0, 1]:

    .. math::

        d_{ij} = \frac{\sum_a w_a \, \delta_a(i, j)}{\sum_a w_a}, \qquad
        \delta_a = \begin{cases}
            [x_i \ne y_j] & a \text{ categorical} \\
            \min(1, |x_i - y_j| / \sigma_a) & a \text{ numeric} \\
            1 - \text{Jaccard}(X_i, Y_j) & a \text{ a set (languages)}
        \end{cases}

    The attribute ``background`` compares the student's programme with the
    manager's ``education`` by discipline group: 1 when they differ.
    When a pair shares no attribute with values on both sides, the score
    is ``neutral``. Identical people (twins) score 0.

    Parameters
    ----------
    students, managers : pandas.DataFrame
        Normalised tables; uses ``programme`` / ``education`` and whichever
        of ``age``, ``gender``, ``region`` and ``languages`` both have.
    attribute_weights : mapping of str to float, optional
        :math:`w_a`; default :data:`DEFAULT_ATTRIBUTE_WEIGHTS` (background
        2, the others 1). A weight of 0 leaves an attribute out. Any other
        column both tables have can be named, and is compared as a
        category.
    scales : mapping of str to float, optional
        :math:`\sigma_a` of numeric attributes; default
        :data:`DEFAULT_SCALES` (age: 25 years, about a generation).
    disciplines : mapping of str to str, optional
        Programme to discipline group, as in :func:`programme`.
    neutral : float, default 0.5
    dtype : dtype, default float64

    Returns
    -------
    ndarray of shape (n_students, n_managers)

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch import criteria
    >>> students = pd.DataFrame({"programme": ["Statsvetenskap", "Juridik"],
    ...                          "age": [40.0, 48.0], "gender": ["kvinna", "man"]})
    >>> managers = pd.DataFrame({"education": ["Juridik"], "age": [48.0], "gender": ["man"]})
    >>> criteria.diversity(students, managers)
    array([[0.83],
           [0.  ]])
    """
    return encode_diversity(
        students,
        managers,
        attribute_weights=attribute_weights,
        scales=scales,
        disciplines=disciplines,
        neutral=neutral,
        dtype=dtype,
    ).full()


@dataclass(frozen=True, eq=False)
class _Category:
    """One categorical attribute over the distinct combinations of each side."""

    weight: float
    left: NDArray[np.intp]
    right: NDArray[np.intp]
    #: the code of a missing value (-1 when none is missing)
    missing: int

    def compare(
        self, lc: NDArray[np.intp], rc: NDArray[np.intp]
    ) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        """Difference (1 where the categories differ) and where both are known."""
        a, b = self.left[lc], self.right[rc]
        known = (a != self.missing) & (b != self.missing)
        return (a != b) & known, known


@dataclass(frozen=True, eq=False)
class _Set:
    """One set-valued attribute (languages) over the distinct combinations of each side."""

    weight: float
    left: NDArray[np.uint64]
    right: NDArray[np.uint64]
    size_left: NDArray[np.float64]
    size_right: NDArray[np.float64]

    def compare(
        self, lc: NDArray[np.intp], rc: NDArray[np.intp]
    ) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        """1 - Jaccard of the two sets, and where both sets are non-empty."""
        inter = common_count(self.left[lc], self.right[rc], np.float64)
        size_l, size_r = self.size_left[lc], self.size_right[rc]
        union = size_l + size_r - inter
        known = (size_l > 0) & (size_r > 0)
        return np.where(known, 1.0 - inter / np.where(union > 0, union, 1.0), 0.0), known


@dataclass(frozen=True, eq=False)
class _Diversity(Encoded):
    n_students: int
    n_managers: int
    dtype: np.dtype[Any]
    neutral: float
    #: each person's combination of the categorical and set attributes
    codes_s: NDArray[np.intp]
    codes_m: NDArray[np.intp]
    keyed: tuple[_Category | _Set, ...]
    #: (weight, student values, manager values, scale) of each numeric attribute
    numeric: tuple[tuple[float, NDArray[np.float64], NDArray[np.float64], float], ...]
    #: every attribute is known for every pair: one constant denominator
    complete: bool
    constant: float
    #: the (difference, weight) table of every pair of combinations, built on
    #: first use in each process (never pickled: it can be recomputed)
    _cache: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = field(
        default_factory=dict, repr=False
    )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _combine(
        self, lc: NDArray[np.intp], rc: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Weighted sum of differences and of weights of the keyed attributes."""
        shape = np.broadcast_shapes(lc.shape, rc.shape)
        diff = np.zeros(shape)
        weight = np.zeros(shape)
        for attribute in self.keyed:
            d, known = attribute.compare(lc, rc)
            diff += attribute.weight * d
            weight += attribute.weight * known
        return diff, weight

    def _keyed(self, pairs: Pairs) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        n_combos = (int(self.codes_s.max(initial=-1)) + 1) * (
            int(self.codes_m.max(initial=-1)) + 1
        )
        if n_combos > COMBINATION_TABLE_LIMIT:
            return self._combine(pairs.left(self.codes_s), pairs.right(self.codes_m))
        if "table" not in self._cache:
            c_s = np.arange(int(self.codes_s.max(initial=-1)) + 1)
            c_m = np.arange(int(self.codes_m.max(initial=-1)) + 1)
            self._cache["table"] = self._combine(c_s[:, None], c_m[None, :])
        diff, weight = self._cache["table"]
        total = pairs.lookup(diff, self.codes_s, self.codes_m)
        if self.complete:
            return total, weight
        return total, pairs.lookup(weight, self.codes_s, self.codes_m)

    def evaluate(self, pairs: Pairs) -> Array:
        total, weight = self._keyed(pairs)
        shape = total.shape
        out = np.empty(shape, dtype=self.dtype)
        if self.complete:
            for w, x, y, sigma in self.numeric:
                d = np.abs(pairs.left(x) - pairs.right(y))
                d *= w / sigma
                np.minimum(d, w, out=d)
                total += d
            if self.constant > 0:
                np.multiply(total, 1.0 / self.constant, out=out, casting="unsafe")
            else:
                out[...] = self.neutral
            return out
        for w, x, y, sigma in self.numeric:
            d = np.abs(pairs.left(x) - pairs.right(y))
            known = ~np.isnan(d)
            d *= w / sigma
            np.minimum(d, w, out=d)
            total += np.where(known, d, 0.0)
            weight += w * known
        out[...] = self.neutral
        np.divide(total, weight, out=out, where=weight > 0, casting="unsafe")
        return out


def encode_diversity(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    *,
    attribute_weights: Mapping[str, float] | None = None,
    scales: Mapping[str, float] | None = None,
    disciplines: Mapping[str, str] | None = None,
    neutral: float = 0.5,
    dtype: DTypeLike = np.float64,
) -> Encoded:
    """:func:`diversity`, encoded: attribute combinations, numbers, and codes."""
    dtype = _check_common(students, managers, dtype, "diversity")
    _check_disciplines(disciplines, "diversity")
    neutral = check_number(neutral, param_where("neutral", "diversity"), UNIT)
    weights = dict(DEFAULT_ATTRIBUTE_WEIGHTS)
    if attribute_weights is not None:
        where = param_where("attribute_weights", "diversity")
        weights.update(check_number_map(attribute_weights, where, NON_NEGATIVE))
    scale = dict(DEFAULT_SCALES)
    if scales is not None:
        scale.update(check_number_map(scales, param_where("scales", "diversity"), POSITIVE))
    groups = PROGRAMME_DISCIPLINE if disciplines is None else disciplines

    # Attributes with few distinct values (categories, language sets) are
    # compared once per distinct combination, in a small table that is then
    # gathered; numeric ones are computed pair by pair. No full-size
    # temporary is ever made, so memory stays at one output array.
    n_s, n_m = len(students), len(managers)
    keyed: list[tuple[float, list[Any], list[Any], bool]] = []
    left: list[Any]
    right: list[Any]
    numeric: list[tuple[float, NDArray[np.float64], NDArray[np.float64], float]] = []
    for attribute, w in weights.items():
        if w == 0:
            continue
        if attribute == "background":
            if "programme" not in students or "education" not in managers:
                continue
            left = [discipline_of(p, groups) for p in students["programme"]]
            right = [discipline_of(e, groups) for e in managers["education"]]
            keyed.append((w, left, right, False))
        elif attribute not in students or attribute not in managers:
            continue
        elif attribute in scale:
            x = pd.to_numeric(students[attribute], errors="coerce").to_numpy(np.float64)
            y = pd.to_numeric(managers[attribute], errors="coerce").to_numpy(np.float64)
            numeric.append((w, x, y, scale[attribute]))
        elif attribute == "languages":
            keyed.append(
                (
                    w,
                    [tuple(v) for v in students[attribute]],
                    [tuple(v) for v in managers[attribute]],
                    True,
                )
            )
        else:
            left = [None if is_missing(v) else v for v in students[attribute]]
            right = [None if is_missing(v) else v for v in managers[attribute]]
            keyed.append((w, left, right, False))

    combos_s: dict[Any, int] = {}
    combos_m: dict[Any, int] = {}
    codes_s = codes(list(zip(*(k[1] for k in keyed), strict=True)) or [()] * n_s, combos_s)
    codes_m = codes(list(zip(*(k[2] for k in keyed), strict=True)) or [()] * n_m, combos_m)
    attributes: list[_Category | _Set] = []
    complete = not any(np.isnan(x).any() or np.isnan(y).any() for _, x, y, _ in numeric)
    constant = 0.0
    for position, (w, _, _, is_set) in enumerate(keyed):
        left = [combo[position] for combo in combos_s]
        right = [combo[position] for combo in combos_m]
        encoded = _set_attribute(w, left, right) if is_set else _category(w, left, right)
        attributes.append(encoded)
        if isinstance(encoded, _Set):
            complete = complete and bool((encoded.size_left > 0).all())
            complete = complete and bool((encoded.size_right > 0).all())
        else:
            complete = complete and encoded.missing < 0
        constant += w
    constant += sum(w for w, *_ in numeric)
    return _Diversity(
        n_s,
        n_m,
        dtype,
        neutral,
        codes_s,
        codes_m,
        tuple(attributes),
        tuple(numeric),
        complete,
        constant,
    )


def _category(w: float, left: Sequence[Any], right: Sequence[Any]) -> _Category:
    vocabulary: dict[Any, int] = {}
    codes_l = codes(left, vocabulary)
    codes_r = codes(right, vocabulary)
    return _Category(w, codes_l, codes_r, vocabulary.get(None, -1))


def _set_attribute(
    w: float, left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]]
) -> _Set:
    vocabulary: dict[Any, int] = {}
    for items in (*left, *right):
        codes(items, vocabulary)
    a, b = incidence(left, vocabulary), incidence(right, vocabulary)
    return _Set(
        w,
        bitsets(a),
        bitsets(b),
        a.sum(axis=1, dtype=np.float64),
        b.sum(axis=1, dtype=np.float64),
    )


def _check_common(students: Any, managers: Any, dtype: Any, owner: str) -> np.dtype[Any]:
    """The two tables are DataFrames; the dtype is float32 or float64 (returned)."""
    for name, table in (("students", students), ("managers", managers)):
        check_instance(table, pd.DataFrame, param_where(name, owner), "a pandas DataFrame")
    return as_float_dtype(dtype, param_where("dtype", owner))


def _check_disciplines(disciplines: Any, owner: str) -> None:
    if disciplines is not None:
        check_instance(
            disciplines, Mapping, param_where("disciplines", owner), "a mapping of str to str"
        )


#: The built-in criteria encoded: same options as the functions of the same name.
ENCODERS: Final[Mapping[str, Callable[..., Encoded]]] = {
    "programme": encode_programme,
    "interests": encode_interests,
    "diversity": encode_diversity,
}
