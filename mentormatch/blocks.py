"""Scoring any block of pairs without the dense matrices: :class:`BlockScorer`.

:meth:`Scorer.score <mentormatch.Scorer.score>` builds every ``(n_students,
n_managers)`` array at once, which a cohort of 20,000 per side no longer
fits. A :class:`BlockScorer` encodes the cohort once, in arrays of size
O(n_students + n_managers) (codes, bitsets, numbers, listed pairs), and then
scores any block of rows x columns, or any list of pairs, from those arrays
alone: in this process, or in another one after pickling it (it pickles
small). Every value is bit for bit the one :meth:`Scorer.score` gives the
same pair, because both run the same encoded criteria and rules
(:mod:`mentormatch.criteria`, :mod:`mentormatch.rules`), whose evaluation is
elementwise.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal, overload

import numpy as np
import pandas as pd
from numpy.lib.mixins import NDArrayOperatorsMixin
from numpy.typing import ArrayLike, NDArray

from mentormatch._arrays import Index, Pairs, PairSet, row_blocks
from mentormatch._validation import describe, fail, param_where
from mentormatch.cohort import Cohort
from mentormatch.criteria import ENCODERS, Encoded
from mentormatch.exceptions import InvalidInputError
from mentormatch.rules import MIN_SCORE, EncodedRules, encode_rules
from mentormatch.scoring import (
    BUILTIN_CRITERIA,
    Scorer,
    Scores,
    _weighted_mean,
    check_cohort_and_scorer,
    own_weights,
    preference_bonuses,
    side_views,
)

__all__ = ["DENSE_LIMIT", "Block", "BlockScorer", "LazyMatrix", "LazyScores"]

#: The most entries a :class:`LazyMatrix` turns into one dense array (``np.asarray``,
#: arithmetic, a large index): 2**27, 1 GB of float64. Past it, an error says what to
#: use instead, rather than allocating the matrix.
DENSE_LIMIT: int = 2**27

#: Pairs scored at once by a lazy matrix (and by the block-wise steps of a pairing).
_CHUNK: Final = 1 << 16

Array = NDArray[np.floating[Any]]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Block:
    """The scores of one block of pairs (rows: students, columns: managers).

    Attributes
    ----------
    total : ndarray of shape (b, c)
        As :attr:`Scores.total <mentormatch.Scores.total>`, in the scorer's dtype.
    allowed : ndarray of bool, shape (b, c)
        As :attr:`Scores.allowed <mentormatch.Scores.allowed>`.
    student_view, manager_view : ndarray of shape (b, c) or None
        As in :class:`~mentormatch.Scores`, when asked for (``views=True``).

    Examples
    --------
    >>> import mentormatch as mm
    >>> bs = mm.BlockScorer(mm.Scorer(), mm.make_cohort(5, 4, rng=0))
    >>> bs.block(slice(0, 2)).total.shape
    (2, 4)
    """

    total: Array
    allowed: Mask
    student_view: Array | None = None
    manager_view: Array | None = None


class BlockScorer:
    """Score any block of a cohort's pairs, exactly as :meth:`Scorer.score` would.

    Encodes the cohort once, in arrays of O(n_students + n_managers) size,
    and keeps nothing of size n_students x n_managers (except a user's
    ``allowed`` mask, see below), so that blocks can be scored one at a
    time, here or in other processes (the object pickles small).

    Parameters
    ----------
    scorer : Scorer
        Every option is honoured exactly, except the two that are arbitrary
        functions of the whole tables, which raise (see Raises).
    cohort : Cohort

    Attributes
    ----------
    n_students, n_managers : int
    dtype : numpy.dtype
        The scorer's dtype: that of ``total`` and the views.

    Raises
    ------
    InvalidInputError
        For a scorer with a custom criterion (``Scorer(criteria=...)``) or a
        callable ``allowed`` rule: functions of the two whole tables, which
        no block can evaluate soundly. Give ``allowed`` as a boolean mask or
        DataFrame instead, or score such a cohort with :meth:`Scorer.score`.

    Notes
    -----
    **Exact.** For every pair, :meth:`block` and :meth:`pairs` give the same
    bits as ``scorer.score(cohort)`` (``total``, ``allowed``,
    ``student_view``, ``manager_view``). Both run one implementation: each
    criterion and rule is *encoded* once over the whole cohort (so that
    quantities of the whole cohort, such as the idf weights of interests or
    whether every attribute is known for diversity, are the same in every
    block) and then *evaluated* elementwise, never through a matrix product
    whose summation order could depend on the block's shape.

    **Supported Scorer options:** ``weights``, ``student_weights``,
    ``manager_weights``, ``options`` of the three built-in criteria (all of
    them: programme's ``disciplines``, ``partial``, ``neutral``,
    ``affinity``; interests' ``weighting`` (uniform or idf) and ``related``;
    diversity's ``attribute_weights``, ``scales``, ``disciplines``,
    ``neutral``), ``preference_bonus`` with the cohort's ``preferences``,
    ``min_score``, ``share_language``, ``allowed`` as a boolean array or
    DataFrame, the cohort's ``avoid`` lists, and ``dtype`` (float32 or
    float64). **Raise:** custom ``criteria`` and a callable ``allowed``.

    **Size.** The encoded cohort holds codes, bitsets and numbers per
    person, a table per kind of manager for programme, per-person interest
    factors (idf or related: one number per interest in the vocabulary),
    and the listed pairs (``avoid``, ``preferences``). A user's ``allowed``
    mask is kept as the pairs it forbids (8 bytes each, plus 8 per
    student): next to nothing when it forbids few pairs, up to 8 bytes per
    pair when it forbids all; either way it travels with every pickle. A
    rule that forbids most pairs is cheaper as a rule of its own (``avoid``
    lists, ``min_score``) than as a mask.

    Examples
    --------
    >>> import numpy as np
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(6, 5, rng=0)
    >>> scorer = mm.Scorer(min_score=0.3)
    >>> bs = mm.BlockScorer(scorer, cohort)
    >>> bs.n_students, bs.n_managers, bs.dtype
    (6, 5, dtype('float64'))
    >>> block = bs.block(slice(2, 4), np.array([4, 0]))
    >>> scores = scorer.score(cohort)
    >>> bool(np.array_equal(block.total, scores.total[2:4][:, [4, 0]]))
    True
    >>> total, allowed = bs.pairs(np.array([0, 5]), np.array([1, 1]))
    >>> bool(np.array_equal(allowed, scores.allowed[[0, 5], [1, 1]]))
    True
    """

    def __init__(self, scorer: Scorer, cohort: Cohort) -> None:
        where = param_where("scorer", "BlockScorer")
        check_cohort_and_scorer(cohort, scorer, "BlockScorer", default=False)
        for name, function in scorer.criteria.items():
            if function is not BUILTIN_CRITERIA.get(name):
                raise fail(
                    where,
                    "a Scorer of the built-in criteria (a custom criterion is a function of "
                    "the whole tables, which no block can evaluate; use Scorer.score for it)",
                    f"the custom criterion {name!r}",
                )
        if callable(scorer.allowed):
            raise fail(
                where,
                "'allowed' as a boolean mask or DataFrame (a function of the whole tables "
                "cannot be evaluated block by block; call it once and pass its mask)",
                "a callable 'allowed' rule",
            )
        students, managers = cohort.students, cohort.managers
        self.n_students: int = cohort.n_students
        self.n_managers: int = cohort.n_managers
        self.dtype: np.dtype[Any] = scorer.dtype
        self._weights = dict(scorer.weights)
        self._own = (own_weights(scorer, "students"), own_weights(scorer, "managers"))
        self._criteria: dict[str, Encoded] = {
            name: ENCODERS[name](
                students, managers, dtype=scorer.dtype, **scorer.options.get(name, {})
            )
            for name in scorer.criteria
        }
        self._rules: EncodedRules = encode_rules(
            cohort,
            min_score=scorer.min_score,
            share_language=scorer.share_language,
            allowed=scorer.allowed,
            sparse=True,
        )
        self._bonuses: dict[str, PairSet | None] = preference_bonuses(
            cohort, scorer.preference_bonus, scorer.dtype
        )
        # For lazy_scores() only; left out of the pickle, which stays O(n) numbers.
        self._cohort: Cohort | None = cohort

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cohort"] = None
        return state

    def __repr__(self) -> str:
        return (
            f"BlockScorer({self.n_students} students x {self.n_managers} managers; "
            f"criteria: {', '.join(self._criteria)})"
        )

    def bytes_per_pair(self, views: bool = False) -> int:
        """Peak bytes per pair of one :meth:`block` call, for sizing blocks.

        The block's own arrays (``total``, ``allowed`` and, with ``views``,
        the two views). Scratch work is done in slices of about 65,536
        pairs (a few MB, whatever the block's size), so a block of ``k``
        pairs needs ``k * bytes_per_pair(views)`` bytes plus that.

        Parameters
        ----------
        views : bool, default False
            Whether the blocks will be asked for ``views=True``.

        Returns
        -------
        int

        Examples
        --------
        >>> import mentormatch as mm
        >>> bs = mm.BlockScorer(mm.Scorer(), mm.make_cohort(3, 3, rng=0))
        >>> bs.bytes_per_pair(), bs.bytes_per_pair(views=True)
        (9, 25)
        """
        if not isinstance(views, (bool, np.bool_)):
            raise fail(
                param_where("views", "BlockScorer.bytes_per_pair"),
                "True or False",
                describe(views),
            )
        return self.dtype.itemsize * (3 if views else 1) + 1

    def block(
        self,
        students: slice | ArrayLike,
        managers: slice | ArrayLike | None = None,
        *,
        views: bool = False,
    ) -> Block:
        """Score the block ``students x managers``.

        Parameters
        ----------
        students : array-like of int or slice
            Rows: a slice, or a 1-d array of student positions in
            ``[0, n_students)`` (any order, repeats allowed).
        managers : array-like of int or slice, optional
            Columns, likewise; default all managers.
        views : bool, default False
            Also compute each side's view (preferences and own weights).

        Returns
        -------
        Block
            Arrays of shape ``(len(students), len(managers))``: equal, bit
            for bit, to the same block of ``scorer.score(cohort)``.

        Examples
        --------
        >>> import mentormatch as mm
        >>> bs = mm.BlockScorer(mm.Scorer(), mm.make_cohort(4, 3, rng=0))
        >>> block = bs.block([3, 1], views=True)
        >>> block.total.shape, block.allowed.dtype, block.manager_view.shape
        ((2, 3), dtype('bool'), (2, 3))
        """
        owner = "BlockScorer.block"
        rows = _as_index(students, self.n_students, "students", owner)
        cols = _as_index(
            slice(None) if managers is None else managers, self.n_managers, "managers", owner
        )
        if not isinstance(views, (bool, np.bool_)):
            raise fail(param_where("views", owner), "True or False", describe(views))
        shape = (_length(rows, self.n_students), _length(cols, self.n_managers))
        total = np.empty(shape, dtype=self.dtype)
        allowed = np.empty(shape, dtype=np.bool_)
        out_views = [np.empty(shape, dtype=self.dtype) for _ in range(2)] if views else []
        for sub in row_blocks(*shape):
            pairs = Pairs(_compose(rows, sub, self.n_students), cols)
            values = self._score(pairs, views)
            total[sub], allowed[sub] = values[0], values[1]
            for out, view in zip(out_views, values[2:], strict=True):
                out[sub] = view
        if views:
            return Block(total, allowed, out_views[0], out_views[1])
        return Block(total, allowed)

    @overload
    def pairs(
        self, student_idx: ArrayLike, manager_idx: ArrayLike, *, views: Literal[False] = False
    ) -> tuple[Array, Mask]: ...

    @overload
    def pairs(
        self, student_idx: ArrayLike, manager_idx: ArrayLike, *, views: Literal[True]
    ) -> tuple[Array, Mask, Array, Array]: ...

    def pairs(
        self, student_idx: ArrayLike, manager_idx: ArrayLike, *, views: bool = False
    ) -> tuple[Array, Mask] | tuple[Array, Mask, Array, Array]:
        """Score the listed pairs ``(student_idx[k], manager_idx[k])``.

        Parameters
        ----------
        student_idx, manager_idx : array-like of int, shape (k,)
            Positions of the students and managers of each pair, in
            ``[0, n_students)`` and ``[0, n_managers)`` (repeats allowed).
        views : bool, default False
            Also return each side's view of each pair.

        Returns
        -------
        total : ndarray of shape (k,)
        allowed : ndarray of bool, shape (k,)
        student_view, manager_view : ndarray of shape (k,)
            Only with ``views=True``.

        Examples
        --------
        >>> import numpy as np
        >>> import mentormatch as mm
        >>> cohort = mm.make_cohort(4, 3, rng=0)
        >>> bs = mm.BlockScorer(mm.Scorer(), cohort)
        >>> total, allowed = bs.pairs([0, 3, 3], [2, 0, 2])
        >>> bool(np.array_equal(total, mm.Scorer().score(cohort).total[[0, 3, 3], [2, 0, 2]]))
        True
        """
        owner = "BlockScorer.pairs"
        rows = _as_positions(student_idx, self.n_students, "student_idx", owner)
        cols = _as_positions(manager_idx, self.n_managers, "manager_idx", owner)
        if rows.shape != cols.shape:
            raise fail(
                param_where("manager_idx", owner),
                f"as many positions as student_idx ({len(rows)})",
                f"{len(cols)}",
            )
        if not isinstance(views, (bool, np.bool_)):
            raise fail(param_where("views", owner), "True or False", describe(views))
        outputs = [np.empty(len(rows), dtype=self.dtype), np.empty(len(rows), dtype=np.bool_)]
        outputs += [np.empty(len(rows), dtype=self.dtype) for _ in range(2 if views else 0)]
        step = 1 << 16
        for start in range(0, len(rows), step):
            sub = slice(start, start + step)
            values = self._score(Pairs(rows[sub], cols[sub], aligned=True), views)
            for out, value in zip(outputs, values, strict=True):
                out[sub] = value
        if views:
            return outputs[0], outputs[1], outputs[2], outputs[3]
        return outputs[0], outputs[1]

    def _score(self, pairs: Pairs, views: bool) -> list[Any]:
        """Total, allowed (and the two views) of ``pairs``: as in Scorer.score."""
        needed = [self._weights]
        if views:
            needed += [own for own in self._own if own is not None]
        components = {
            name: encoded.evaluate(pairs)
            for name, encoded in self._criteria.items()
            if any(weights.get(name) for weights in needed)
        }
        total = _weighted_mean(components, self._weights, self.dtype)
        allowed = np.ones(total.shape, dtype=np.bool_)
        for mask in self._rules.forbidden(pairs, total).values():
            np.logical_and(allowed, ~mask, out=allowed)
        if not views:
            return [total, allowed]
        return [
            total,
            allowed,
            *side_views(components, total, self._own, self._bonuses, pairs, self.dtype),
        ]

    def lazy_scores(self) -> LazyScores:
        """The cohort's :class:`~mentormatch.Scores`, each array computed on demand.

        Returns
        -------
        LazyScores
            A :class:`~mentormatch.Scores` whose arrays are
            :class:`LazyMatrix` objects: indexing one scores just the
            entries asked for, bit for bit as :meth:`Scorer.score` would.
            Holds nothing of size n_students x n_managers.

        Raises
        ------
        InvalidInputError
            For a BlockScorer that arrived by pickle (the pickle leaves the
            cohort behind): make the BlockScorer where the cohort is.

        Examples
        --------
        >>> import numpy as np
        >>> import mentormatch as mm
        >>> cohort = mm.make_cohort(5, 4, rng=0)
        >>> lazy = mm.BlockScorer(mm.Scorer(), cohort).lazy_scores()
        >>> lazy.total
        LazyMatrix('total', shape=(5, 4), dtype=float64)
        >>> bool(lazy.total[2, 3] == mm.Scorer().score(cohort).total[2, 3])
        True
        """
        if self._cohort is None:
            raise fail(
                "BlockScorer.lazy_scores",
                "a BlockScorer made with its cohort (a pickled one leaves it behind)",
                "a BlockScorer that arrived by pickle",
            )
        return LazyScores._of(self, self._cohort)

    def _rule_names(self) -> tuple[str, ...]:
        """The names of the rules of ``forbidden``, in the order Scorer.score gives them."""
        empty = Pairs(slice(0, 0), slice(0, 0))
        return tuple(self._rules.forbidden(empty, np.zeros((0, 0), dtype=self.dtype)))

    def _evaluate(self, pairs: Pairs, fields: Sequence[str]) -> list[Any]:
        """The named fields of ``pairs``, each bit for bit as in Scorer.score.

        A field is ``total``, ``allowed``, ``student_view``, ``manager_view``,
        ``components/<criterion>`` or ``forbidden/<rule>``; the criteria and
        rules run once for them all.
        """
        views = any(f in ("student_view", "manager_view") for f in fields)
        asked = {f.split("/", 1)[1] for f in fields if f.startswith("components/")}
        needs_total = any(not f.startswith("components/") for f in fields)
        needed = [self._weights] if needs_total else []
        if views:
            needed += [own for own in self._own if own is not None]
        components = {
            name: encoded.evaluate(pairs)
            for name, encoded in self._criteria.items()
            if name in asked or any(weights.get(name) for weights in needed)
        }
        out: dict[str, Any] = {f"components/{name}": components[name] for name in asked}
        if needs_total:
            total = _weighted_mean(components, self._weights, self.dtype)
            out["total"] = total
            if any(f == "allowed" or f.startswith("forbidden/") for f in fields):
                forbidden = self._rules.forbidden(pairs, total)
                allowed = np.ones(total.shape, dtype=np.bool_)
                for name, mask in forbidden.items():
                    np.logical_and(allowed, ~mask, out=allowed)
                    out[f"forbidden/{name}"] = mask
                out["allowed"] = allowed
            if views:
                found = side_views(components, total, self._own, self._bonuses, pairs, self.dtype)
                out["student_view"], out["manager_view"] = found
        return [out[f] for f in fields]

    def _dtype_of(self, field: str) -> np.dtype[Any]:
        return (
            np.dtype(np.bool_)
            if field == "allowed" or field.startswith("forbidden/")
            else self.dtype
        )

    def _grid(self, fields: Sequence[str], rows: Index, cols: Index) -> list[Any]:
        """The fields of the block ``rows x cols``, scored in slices of rows."""
        shape = (_length(rows, self.n_students), _length(cols, self.n_managers))
        outs = [np.empty(shape, dtype=self._dtype_of(f)) for f in fields]
        for sub in row_blocks(*shape, size=_CHUNK):
            values = self._evaluate(Pairs(_compose(rows, sub, self.n_students), cols), fields)
            for out, value in zip(outs, values, strict=True):
                out[sub] = value
        return outs

    def _aligned(
        self, fields: Sequence[str], rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> list[Any]:
        """The fields of the listed pairs ``(rows[k], cols[k])``, in slices."""
        outs = [np.empty(len(rows), dtype=self._dtype_of(f)) for f in fields]
        for start in range(0, len(rows), _CHUNK):
            sub = slice(start, start + _CHUNK)
            values = self._evaluate(Pairs(rows[sub], cols[sub], aligned=True), fields)
            for out, value in zip(outs, values, strict=True):
                out[sub] = value
        return outs


def _length(index: Index, n: int) -> int:
    return len(range(n)[index]) if isinstance(index, slice) else len(index)


def _compose(index: Index, sub: slice, n: int) -> Index:
    """``index[sub]``, staying a slice when ``index`` is one."""
    if not isinstance(index, slice):
        return index[sub]
    picked = range(n)[index][sub]
    stop: int | None = picked.stop
    if stop is not None and stop < 0:
        stop = None  # a negative stop would count from the end
    return slice(picked.start, stop, picked.step)


def _as_index(value: Any, n: int, name: str, owner: str) -> Index:
    if isinstance(value, slice):
        for part in (value.start, value.stop, value.step):
            if part is not None and not isinstance(part, (int, np.integer)):
                raise fail(param_where(name, owner), "a slice of integers", describe(part))
        if value.step == 0:
            raise fail(param_where(name, owner), "a slice with a non-zero step", "step 0")
        return value
    return _as_positions(value, n, name, owner, "a slice or a 1-d array of integer positions")


def _as_positions(
    value: Any, n: int, name: str, owner: str, what: str = "a 1-d array of integer positions"
) -> NDArray[np.intp]:
    where = param_where(name, owner)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise fail(where, what, describe(value)) from None
    if array.size == 0 and array.ndim == 1:
        return np.zeros(0, dtype=np.intp)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        kind = f"a {array.shape} array of dtype {array.dtype}"
        raise fail(where, what, kind)
    if array.size and (int(array.min()) < 0 or int(array.max()) >= n):
        bad = int(array.min()) if int(array.min()) < 0 else int(array.max())
        raise fail(where, f"positions in [0, {n})", repr(bad))
    return array.astype(np.intp)


def _too_large(where: str, shape: tuple[int, ...]) -> InvalidInputError:
    size = " x ".join(str(n) for n in shape) + f" = {int(np.prod(shape, dtype=np.float64))}"
    return fail(
        where,
        f"at most {DENSE_LIMIT} entries for a dense array (a cohort this large has no "
        "dense step: index it a block at a time, or use the block-wise steps: "
        "Matching.pairs, unmatched, total_score, summary, blocking_pairs, to_frame)",
        f"{size} entries",
    )


def check_dense(where: str, shape: tuple[int, ...]) -> None:
    """Raise :class:`InvalidInputError` when ``shape`` holds more than :data:`DENSE_LIMIT`."""
    if int(np.prod(shape, dtype=np.float64)) > DENSE_LIMIT:
        raise _too_large(where, shape)


#: An index along one axis: an int, an increasing slice, or an array of positions.
_Axis = int | slice | NDArray[np.intp]


def _axis(key: Any, n: int) -> _Axis:
    """One axis of an index, checked as numpy would (negative positions count from the end)."""
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        k = int(key)
        if not -n <= k < n:
            raise IndexError(f"index {k} is out of bounds for axis with size {n}")
        return k % n
    if isinstance(key, slice):
        start, stop, step = key.indices(n)
        if step > 0:
            return slice(start, max(start, stop), step)
        return np.arange(start, stop, step, dtype=np.intp)
    array = np.asarray(key)
    if array.dtype == np.bool_:
        if array.shape != (n,):
            raise IndexError(f"boolean index of shape {array.shape} for an axis of size {n}")
        return np.flatnonzero(array).astype(np.intp)
    if array.size == 0:
        return np.zeros(array.shape, dtype=np.intp)
    if not np.issubdtype(array.dtype, np.integer):
        raise IndexError(
            "only integers, slices, and integer or boolean arrays are valid indices "
            f"of a LazyMatrix, got an array of dtype {array.dtype}"
        )
    if int(array.min()) < -n or int(array.max()) >= n:
        bad = int(array.min()) if int(array.min()) < -n else int(array.max())
        raise IndexError(f"index {bad} is out of bounds for axis with size {n}")
    return np.where(array < 0, array + n, array).astype(np.intp)


def _axis_shape(index: _Axis, n: int) -> tuple[int, ...]:
    if isinstance(index, int):
        return ()
    if isinstance(index, slice):
        return (len(range(n)[index]),)
    return index.shape


def _flat(index: _Axis) -> slice | NDArray[np.intp]:
    """The axis as a slice or a 1-d array, for a grid."""
    if isinstance(index, int):
        return np.array([index], dtype=np.intp)
    if isinstance(index, slice):
        return index
    return index.reshape(-1)


class LazyMatrix(NDArrayOperatorsMixin):
    """A read-only ``(n_students, n_managers)`` array of a cohort, computed on demand.

    One array of :class:`LazyScores` (``total``, ``allowed``, a view, a
    criterion, a rule's mask). It holds no entry: indexing it scores the
    entries asked for through the cohort's :class:`BlockScorer`, bit for bit
    as :meth:`Scorer.score` would, in slices of about 65,536 pairs.

    Indexing works as on a numpy array for two integers or two integer
    arrays (elementwise, broadcast), one row ``m[i]`` or rows ``m[rows]``
    (an integer array, a boolean mask or a slice), one column ``m[:, j]``,
    blocks ``m[rows, :]`` and ``m[:, cols]``, and all of these on ``m.T``.
    Anything that needs the whole array (``np.asarray``, ``copy``,
    ``astype``, arithmetic such as ``m > 0.5``, reductions such as
    ``m.mean()``), or a block index whose result has more than
    :data:`DENSE_LIMIT` entries, builds a dense array while it has at most
    :data:`DENSE_LIMIT` entries and raises :class:`InvalidInputError`
    past that (listed pairs ``m[rows, cols]`` are never refused: the
    result is the size of the index arrays). Writing raises ``ValueError`` (read-only, as the arrays of
    :class:`~mentormatch.Scores`).

    Attributes
    ----------
    shape : tuple of int
    dtype : numpy.dtype
    ndim : int
        Always 2.
    T : LazyMatrix
        The transpose (no copy).

    Examples
    --------
    >>> import numpy as np
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(5, 4, rng=0)
    >>> total = mm.BlockScorer(mm.Scorer(), cohort).lazy_scores().total
    >>> dense = mm.Scorer().score(cohort).total
    >>> total.shape, total.T.shape
    ((5, 4), (4, 5))
    >>> bool(np.array_equal(total[[0, 4], [1, 3]], dense[[0, 4], [1, 3]]))
    True
    >>> bool(np.array_equal(total.T[2], dense[:, 2]))
    True
    >>> bool(np.array_equal(np.asarray(total), dense))
    True
    """

    __slots__ = ("_field", "_source", "_transposed")
    ndim: Final = 2

    def __init__(self, source: BlockScorer, field: str, *, transposed: bool = False) -> None:
        self._source = source
        self._field = field
        self._transposed = transposed

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_students, n_managers)``, or the reverse for a transpose."""
        shape = (self._source.n_students, self._source.n_managers)
        return (shape[1], shape[0]) if self._transposed else shape

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of the entries."""
        return self._source._dtype_of(self._field)

    @property
    def size(self) -> int:
        """The number of entries."""
        return self.shape[0] * self.shape[1]

    @property
    def T(self) -> LazyMatrix:
        """The transpose, computed on demand too."""
        return LazyMatrix(self._source, self._field, transposed=not self._transposed)

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        name = self._field
        if "/" in name:
            kind, key = name.split("/", 1)
            name = f"{kind}[{key!r}]"
        return f"LazyMatrix({name!r}{'.T' if self._transposed else ''}, shape={self.shape}, dtype={self.dtype})"

    def _where(self) -> str:
        kind, _, key = self._field.partition("/")
        name = f"LazyScores.{kind}[{key!r}]" if key else f"LazyScores.{kind}"
        return name + (".T" if self._transposed else "")

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            key = (key,)
        if len(key) == 1:
            key = (key[0], slice(None))
        if len(key) != 2 or any(k is None or k is Ellipsis for k in key):
            raise IndexError(
                f"a LazyMatrix takes one or two indices (no None or ...), got {len(key)}: {key!r}"
            )
        n_rows, n_cols = self.shape
        a, b = _axis(key[0], n_rows), _axis(key[1], n_cols)
        source = self._source
        if not isinstance(a, slice) and not isinstance(b, slice):
            # Two advanced indices: elementwise, broadcast (numpy's rule).
            # The result is no larger than the index arrays the caller holds: no check.
            ra, rb = np.broadcast_arrays(
                np.asarray(a, dtype=np.intp), np.asarray(b, dtype=np.intp)
            )
            rows, cols = (rb, ra) if self._transposed else (ra, rb)
            (values,) = source._aligned(
                [self._field], rows.reshape(-1).copy(), cols.reshape(-1).copy()
            )
            out = values.reshape(ra.shape)
            return out[()] if out.ndim == 0 else out
        shape = _axis_shape(a, n_rows) + _axis_shape(b, n_cols)
        check_dense(self._where(), shape)
        fa, fb = _flat(a), _flat(b)
        if self._transposed:
            (values,) = source._grid([self._field], fb, fa)
            values = values.T
        else:
            (values,) = source._grid([self._field], fa, fb)
        return values.reshape(shape)

    def __setitem__(self, key: Any, value: Any) -> None:
        raise ValueError(
            "assignment destination is read-only (a LazyMatrix is computed on demand)"
        )

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        if copy is False:
            raise ValueError("a LazyMatrix cannot become an array without a copy")
        check_dense(self._where(), self.shape)
        dense: NDArray[Any] = self[:, :]
        return dense if dtype is None else dense.astype(dtype, copy=False)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # Whole-array arithmetic: on the dense array, while it is small enough.
        if any(isinstance(x, LazyMatrix) for x in kwargs.get("out", ())):
            raise ValueError("output array is read-only (a LazyMatrix is computed on demand)")
        inputs = tuple(np.asarray(x) if isinstance(x, LazyMatrix) else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def _dense(self) -> NDArray[Any]:
        return np.asarray(self)

    def copy(self) -> NDArray[Any]:
        """The dense array (a new, writable one); see the class notes for the size limit."""
        return self._dense()

    def astype(self, dtype: Any, copy: bool = True) -> NDArray[Any]:
        """The dense array as ``dtype``."""
        return self._dense().astype(dtype)

    def ravel(self) -> NDArray[Any]:
        """The dense array, flattened by rows."""
        return self._dense().ravel()

    def tolist(self) -> list[Any]:
        """The dense array as nested lists."""
        out: list[Any] = self._dense().tolist()
        return out

    def min(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.min` on the dense array."""
        return self._dense().min(*args, **kwargs)

    def max(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.max` on the dense array."""
        return self._dense().max(*args, **kwargs)

    def mean(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.mean` on the dense array."""
        return self._dense().mean(*args, **kwargs)

    def sum(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.sum` on the dense array."""
        return self._dense().sum(*args, **kwargs)

    def any(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.any` on the dense array."""
        return self._dense().any(*args, **kwargs)

    def all(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`numpy.ndarray.all` on the dense array."""
        return self._dense().all(*args, **kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_lazy_matrix, (self._source, self._field, self._transposed))


def _lazy_matrix(source: BlockScorer, field: str, transposed: bool) -> LazyMatrix:
    return LazyMatrix(source, field, transposed=transposed)


@dataclass(frozen=True, repr=False, eq=False)
class LazyScores(Scores):
    """:class:`~mentormatch.Scores` whose arrays are computed on demand.

    Made by :meth:`BlockScorer.lazy_scores`. Every array (``total``,
    ``allowed``, ``student_view``, ``manager_view``, each of
    ``components`` and of ``forbidden``) is a :class:`LazyMatrix`: it
    holds no entry, and indexing it scores just the entries asked for, bit
    for bit as :meth:`Scorer.score` would. Nothing of size
    n_students x n_managers is kept, so a :class:`~mentormatch.Matching`
    of a cohort of 100,000 per side can carry these scores.

    **Block-wise** (memory O(n_students + n_managers + pairs + block),
    whatever the cohort's size; a block is about 2**18 pairs) on a
    Matching of these scores: :attr:`~mentormatch.Matching.pairs`,
    :attr:`~mentormatch.Matching.unmatched` (the same reasons),
    :attr:`~mentormatch.Matching.total_score`,
    :meth:`~mentormatch.Matching.summary` (both sides' ranks and the
    blocking pairs in one pass over blocks of students: its time is
    O(n_students x n_managers)), :meth:`~mentormatch.Matching.blocking_pairs`
    (it lists them all: a bad pairing of a large cohort can have very many;
    the summary only counts them), :meth:`~mentormatch.Matching.to_frame`,
    :meth:`~mentormatch.Matching.to_csv`,
    :meth:`~mentormatch.Matching.to_excel`,
    :meth:`~mentormatch.Matching.reasons`,
    :meth:`~mentormatch.Matching.why_not`,
    :meth:`~mentormatch.Matching.diff`, ``repr``; :meth:`explain`,
    :func:`~mentormatch.partner_ranks`, :func:`~mentormatch.evaluate`,
    :func:`~mentormatch.make_ratings`, and the plots of a pairing
    (:func:`~mentormatch.plot.rank_histogram`,
    :func:`~mentormatch.plot.criterion_breakdown`,
    :func:`~mentormatch.plot.score_distribution`).

    **Dense** (they work while n_students x n_managers is at most
    :data:`DENSE_LIMIT`, and raise :class:`InvalidInputError` past it,
    saying so): :func:`~mentormatch.match` and everything that solves
    again (:meth:`~mentormatch.Matching.what_if`,
    :func:`~mentormatch.compare`, :func:`~mentormatch.alternatives`,
    :meth:`~mentormatch.Matching.to_html` and the report, which compare
    methods), :meth:`Scorer.reweight`, :meth:`to_frame` (one row per
    pair), :func:`~mentormatch.plot.score_heatmap`, and ``np.asarray``,
    ``copy`` or arithmetic on a whole array. Past the limit,
    :meth:`~mentormatch.Matching.why_not` leaves out what forcing the pair
    would change (a new solve), and :meth:`_repr_html_` the minimum, mean
    and maximum of each array.

    ``forbidden`` names every rule the scorer has; :meth:`Scorer.score`
    leaves ``min_score`` out when it forbids no pair at all (knowing that
    here would take a pass over every pair). Either way no pair is
    forbidden by a rule it does not break.

    Examples
    --------
    >>> import mentormatch as mm
    >>> cohort = mm.make_cohort(6, 5, rng=0)
    >>> scorer = mm.Scorer(min_score=0.3)
    >>> dense = scorer.score(cohort)
    >>> lazy = mm.BlockScorer(scorer, cohort).lazy_scores()
    >>> lazy
    LazyScores(6 students x 5 managers; criteria: programme, interests, diversity; computed on demand)
    >>> isinstance(lazy, mm.Scores)
    True
    >>> import dataclasses
    >>> pairing = mm.match(dense)
    >>> on_demand = dataclasses.replace(pairing, scores=lazy)
    >>> on_demand.pairs.equals(pairing.pairs), on_demand.unmatched.equals(pairing.unmatched)
    (True, True)
    """

    _BLOCK: ClassVar[int] = 1 << 18
    _ON_DEMAND: ClassVar[bool] = True

    def __post_init__(self) -> None:
        # The lazy matrices are read-only already: nothing to freeze (and nothing dense to make).
        pass

    @classmethod
    def _of(cls, source: BlockScorer, cohort: Cohort) -> LazyScores:
        rules = source._rule_names()
        if source.n_students * source.n_managers == 0:
            # As Scorer.score: a min_score that forbids no pair is left out (here, none at all).
            rules = tuple(r for r in rules if r != MIN_SCORE)
        # Typed as Any: the fields of Scores are annotated as ndarrays, which a
        # LazyMatrix stands in for (it supports the indexing the library does).
        lazy: dict[str, Any] = {
            name: LazyMatrix(source, name)
            for name in ("total", "allowed", "student_view", "manager_view")
        }
        components: Any = {
            name: LazyMatrix(source, f"components/{name}") for name in source._criteria
        }
        forbidden: Any = {name: LazyMatrix(source, f"forbidden/{name}") for name in rules}
        return cls(
            total=lazy["total"],
            components=components,
            allowed=lazy["allowed"],
            student_view=lazy["student_view"],
            manager_view=lazy["manager_view"],
            cohort=cohort,
            weights=dict(source._weights),
            forbidden=forbidden,
        )

    @property
    def block_scorer(self) -> BlockScorer:
        """The :class:`BlockScorer` that computes the arrays."""
        source: BlockScorer = self.total._source  # type: ignore[attr-defined]
        return source

    def _check_dense(self, owner: str) -> None:
        check_dense(owner, self.shape)

    def _fits_dense(self) -> bool:
        return self.shape[0] * self.shape[1] <= DENSE_LIMIT

    def _fields(self, fields: Sequence[str], rows: Index, cols: Index) -> list[Any]:
        return self.block_scorer._grid(fields, rows, cols)

    def _pair_fields(
        self, fields: Sequence[str], rows: NDArray[np.intp], cols: NDArray[np.intp]
    ) -> list[Any]:
        return self.block_scorer._aligned(fields, rows, cols)

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate pair, as :meth:`Scores.to_frame`.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        InvalidInputError
            When the cohort has more than :data:`DENSE_LIMIT` pairs.

        Examples
        --------
        >>> import mentormatch as mm
        >>> lazy = mm.BlockScorer(mm.Scorer(), mm.make_cohort(2, 3, rng=0)).lazy_scores()
        >>> len(lazy.to_frame())
        6
        """
        self._check_dense("LazyScores.to_frame")
        return super().to_frame()

    def __repr__(self) -> str:
        n_s, n_m = self.shape
        return (
            f"LazyScores({n_s} students x {n_m} managers; criteria: "
            f"{', '.join(self.components)}; computed on demand)"
        )

    def _repr_html_(self) -> str:
        if self._fits_dense():
            return super()._repr_html_()
        n_s, n_m = self.shape
        return (
            f"<p>Scores: {n_s} students x {n_m} managers, computed on demand "
            f"(criteria: {html.escape(', '.join(self.components))})</p>"
        )
