"""Exception types raised by mentormatch.

Every error the library raises on purpose is a :class:`MentorMatchError`. The
concrete types also subclass :class:`ValueError`, so code that already catches
``ValueError`` keeps working.

Every message follows one template: *where* the problem is (table, row id,
column or parameter), what was *expected*, and what *arrived*::

    students table, row 's07', column 'capacity': expected a positive integer, got -1.
"""

from __future__ import annotations

__all__ = [
    "InfeasibleError",
    "InvalidInputError",
    "MentorMatchError",
    "MentorMatchWarning",
    "UnreliableFitWarning",
]


class MentorMatchError(Exception):
    """Base class of every error raised by mentormatch.

    Catch this to handle any problem the library reports on purpose.

    Examples
    --------
    >>> import mentormatch as mm
    >>> try:
    ...     mm.solvers.hungarian([1.0, 2.0])
    ... except mm.MentorMatchError as err:
    ...     print(err)
    parameter 'weights' of hungarian: expected a matrix (2-D array), got a (2,) array.
    """


class InvalidInputError(MentorMatchError, ValueError):
    """A table, array or parameter is not what mentormatch accepts.

    The message names the offending table, row id, column or parameter, what
    was expected and what arrived.

    Examples
    --------
    >>> import mentormatch as mm
    >>> issubclass(mm.InvalidInputError, ValueError)
    True
    """


class InfeasibleError(MentorMatchError, ValueError):
    """The request is well-formed but cannot be satisfied.

    Raised, for example, when pairs that must be kept (``fixed``) conflict
    with a hard rule or with a participant's capacity.

    Examples
    --------
    >>> import mentormatch as mm
    >>> issubclass(mm.InfeasibleError, mm.MentorMatchError)
    True
    """


class MentorMatchWarning(UserWarning):
    """Base class of every warning issued by mentormatch.

    Filter this to silence (or to raise) any of them.

    Examples
    --------
    >>> import mentormatch as mm
    >>> issubclass(mm.UnreliableFitWarning, mm.MentorMatchWarning)
    True
    """


class UnreliableFitWarning(MentorMatchWarning):
    """A fit ran, but on too little data to trust it.

    Issued by :func:`~mentormatch.calibrate` with too few rated pairs, or
    when no criterion rises with the rating.

    Examples
    --------
    >>> import warnings
    >>> import mentormatch as mm
    >>> pairing = mm.match(mm.Scorer().score(mm.make_cohort(8, 8, rng=0)))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = mm.calibrate(pairing.scores.cohort, mm.make_ratings(pairing, rng=1), rng=0)
    >>> caught[0].category.__name__
    'UnreliableFitWarning'
    """
