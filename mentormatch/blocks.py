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

from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._arrays import Index, Pairs, PairSet, row_blocks
from mentormatch._validation import describe, fail, param_where
from mentormatch.cohort import Cohort
from mentormatch.criteria import ENCODERS, Encoded
from mentormatch.rules import EncodedRules, encode_rules
from mentormatch.scoring import (
    BUILTIN_CRITERIA,
    Scorer,
    _weighted_mean,
    own_weights,
    preference_bonuses,
    side_views,
)

__all__ = ["Block", "BlockScorer"]

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
        if not isinstance(scorer, Scorer):
            raise fail(where, "a Scorer", describe(scorer))
        if not isinstance(cohort, Cohort):
            raise fail(param_where("cohort", "BlockScorer"), "a Cohort", describe(cohort))
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
