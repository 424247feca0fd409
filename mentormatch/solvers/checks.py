"""Checkers for stable matching: which pairs block a matching, and is it stable.

Use these on the output of any solver (not only :func:`gale_shapley`), to
measure how far, say, the largest-total-weight matching is from being stable.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mentormatch._validation import (
    fail,
    param_where,
)
from mentormatch.solvers._inputs import as_indices, two_sided_inputs

__all__ = ["blocking_pairs", "is_stable"]


def blocking_pairs(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> NDArray[np.intp]:
    r"""The pairs that would rather be together than keep the given matching.

    The matching :math:`M` is the set of pairs ``(rows[k], cols[k])``. Write
    :math:`P` for ``proposer_utility``, :math:`R` for ``receiver_utility``,
    :math:`a_i`, :math:`b_j` for the capacities and :math:`w_M(i)`,
    :math:`w_M(j)` for the worst current partner of row :math:`i` and of
    column :math:`j`. An allowed pair :math:`(i, j) \notin M` blocks
    :math:`M` when

    .. math::

        \bigl(|M(i)| < a_i \;\lor\; P_{ij} > P_{i\,w_M(i)}\bigr)
        \;\land\;
        \bigl(|M(j)| < b_j \;\lor\; R_{ij} > R_{w_M(j)\,j}\bigr).

    The inequalities are strict: a pair that would only do as well as now
    does not block (weak stability), so ties never block.

    Parameters
    ----------
    rows : array-like of int, shape (k,)
        Row index of each pair of the matching.
    cols : array-like of int, shape (k,)
        Column index of each pair of the matching.
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is row *i*'s value of column *j*. Higher is
        better.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is column *j*'s value of row *i* (same
        shape, not transposed). Higher is better.
    allowed : array-like of bool, shape (n_rows, n_cols), optional
        ``False`` where a pair may not be formed; such a pair never blocks,
        and the matching may not use it. Default: every pair allowed.
    proposer_capacity : int or array-like of int, shape (n_rows,), optional
        How many columns each row may hold (default 1).
    receiver_capacity : int or array-like of int, shape (n_cols,), optional
        How many rows each column may hold (default 1).

    Returns
    -------
    pairs : ndarray of intp, shape (n_blocking, 2)
        The blocking pairs ``(i, j)``, sorted lexicographically.

    Raises
    ------
    InvalidInputError
        If the utilities, mask or capacities are malformed (as for
        :func:`gale_shapley`), or ``(rows, cols)`` is not a matching: not two
        1-D integer arrays of one length, an index out of range, a pair
        repeated, a pair not allowed, or a capacity exceeded.

    See Also
    --------
    is_stable : Whether there is no blocking pair at all.
    gale_shapley : A matching with no blocking pair.

    References
    ----------
    .. [1] D. Gale and L. S. Shapley, "College admissions and the stability of
       marriage", *The American Mathematical Monthly* 69(1):9-15, 1962.
    .. [2] D. Gusfield and R. W. Irving, *The Stable Marriage Problem:
       Structure and Algorithms*, MIT Press, 1989.
    .. [3] A. E. Roth, "The evolution of the labor market for medical interns
       and residents: a case study in game theory", *Journal of Political
       Economy* 92(6):991-1016, 1984.

    Examples
    --------
    Both rows like column 0 best; column 0 likes row 1 best. Giving column 0
    to row 0 leaves row 1 and column 0 both wanting each other:

    >>> import numpy as np
    >>> from mentormatch.solvers import blocking_pairs
    >>> proposer_utility = np.array([[2.0, 1.0], [2.0, 1.0]])
    >>> receiver_utility = np.array([[1.0, 1.0], [2.0, 2.0]])
    >>> blocking_pairs([0, 1], [0, 1], proposer_utility, receiver_utility)
    array([[1, 0]])
    >>> blocking_pairs([0, 1], [1, 0], proposer_utility, receiver_utility)
    array([], shape=(0, 2), dtype=int64)
    """
    blocking = _blocking_mask(
        "blocking_pairs",
        rows,
        cols,
        proposer_utility,
        receiver_utility,
        allowed,
        proposer_capacity,
        receiver_capacity,
    )
    return np.argwhere(blocking).astype(np.intp, copy=False)


def is_stable(
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    *,
    allowed: ArrayLike | None = None,
    proposer_capacity: ArrayLike | None = None,
    receiver_capacity: ArrayLike | None = None,
) -> bool:
    r"""Whether a matching has no blocking pair.

    True when no allowed, unmatched pair :math:`(i, j)` satisfies

    .. math::

        \bigl(|M(i)| < a_i \;\lor\; P_{ij} > P_{i\,w_M(i)}\bigr)
        \;\land\;
        \bigl(|M(j)| < b_j \;\lor\; R_{ij} > R_{w_M(j)\,j}\bigr),

    in the notation of :func:`blocking_pairs` (ties do not block).

    Parameters
    ----------
    rows : array-like of int, shape (k,)
        Row index of each pair of the matching.
    cols : array-like of int, shape (k,)
        Column index of each pair of the matching.
    proposer_utility : array-like of shape (n_rows, n_cols)
        ``proposer_utility[i, j]`` is row *i*'s value of column *j*.
    receiver_utility : array-like of shape (n_rows, n_cols)
        ``receiver_utility[i, j]`` is column *j*'s value of row *i*.
    allowed : array-like of bool, shape (n_rows, n_cols), optional
        ``False`` where a pair may not be formed. Default: every pair allowed.
    proposer_capacity : int or array-like of int, shape (n_rows,), optional
        How many columns each row may hold (default 1).
    receiver_capacity : int or array-like of int, shape (n_cols,), optional
        How many rows each column may hold (default 1).

    Returns
    -------
    bool
        True if no pair blocks the matching.

    Raises
    ------
    InvalidInputError
        As for :func:`blocking_pairs`.

    See Also
    --------
    blocking_pairs : The blocking pairs themselves.
    gale_shapley : A matching that is always stable.

    References
    ----------
    .. [1] D. Gale and L. S. Shapley, "College admissions and the stability of
       marriage", *The American Mathematical Monthly* 69(1):9-15, 1962.
    .. [2] D. Gusfield and R. W. Irving, *The Stable Marriage Problem:
       Structure and Algorithms*, MIT Press, 1989.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.solvers import gale_shapley, is_stable
    >>> rng = np.random.default_rng(0)
    >>> proposer_utility = rng.random((5, 4))
    >>> receiver_utility = rng.random((5, 4))
    >>> rows, cols = gale_shapley(proposer_utility, receiver_utility)
    >>> is_stable(rows, cols, proposer_utility, receiver_utility)
    True
    >>> is_stable([], [], proposer_utility, receiver_utility)
    False
    """
    blocking = _blocking_mask(
        "is_stable",
        rows,
        cols,
        proposer_utility,
        receiver_utility,
        allowed,
        proposer_capacity,
        receiver_capacity,
    )
    return not bool(blocking.any())


def _blocking_mask(
    owner: str,
    rows: ArrayLike,
    cols: ArrayLike,
    proposer_utility: ArrayLike,
    receiver_utility: ArrayLike,
    allowed: ArrayLike | None,
    proposer_capacity: ArrayLike | None,
    receiver_capacity: ArrayLike | None,
) -> NDArray[np.bool_]:
    """Validate everything, then mark the blocking pairs."""
    pu, ru, mask, row_cap, col_cap = two_sided_inputs(
        proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity, owner
    )
    n_rows, n_cols = pu.shape
    r = as_indices(rows, "rows", owner, n_rows)
    c = as_indices(cols, "cols", owner, n_cols)
    if r.shape != c.shape:
        raise fail(
            param_where("cols", owner),
            f"the length of parameter 'rows', {r.size}",
            f"length {c.size}",
        )

    both = f"parameters 'rows' and 'cols' of {owner}"
    matched = np.zeros((n_rows, n_cols), dtype=bool)
    matched[r, c] = True
    if np.count_nonzero(matched) != r.size:
        flat = r * n_cols + c
        _, first, counts = np.unique(flat, return_index=True, return_counts=True)
        k = int(first[counts > 1].min())
        raise fail(
            both,
            "a matching (no pair listed twice)",
            f"the pair ({r[k]}, {c[k]}) more than once",
        )
    if mask is not None and not mask[r, c].all():
        k = int(np.flatnonzero(~mask[r, c])[0])
        raise fail(
            both,
            "only allowed pairs",
            f"the pair ({r[k]}, {c[k]}), which 'allowed' forbids",
        )
    row_count = np.bincount(r, minlength=n_rows)
    col_count = np.bincount(c, minlength=n_cols)
    for name, count, cap, cap_name in (
        ("rows", row_count, row_cap, "proposer_capacity"),
        ("cols", col_count, col_cap, "receiver_capacity"),
    ):
        over = np.flatnonzero(count > cap)
        if over.size:
            k = int(over[0])
            raise fail(
                param_where(name, owner),
                f"index {k} at most {cap[k]} times (its {cap_name!r})",
                f"{count[k]} times",
            )

    # Worst current value on each side (+inf where nobody is held, so that
    # nothing beats it: only free capacity can then make the agent willing).
    row_worst = np.full(n_rows, np.inf)
    np.minimum.at(row_worst, r, pu[r, c])
    col_worst = np.full(n_cols, np.inf)
    np.minimum.at(col_worst, c, ru[r, c])
    row_willing = (row_count < row_cap)[:, None] | (pu > row_worst[:, None])
    col_willing = (col_count < col_cap)[None, :] | (ru > col_worst[None, :])
    blocking = row_willing & col_willing & ~matched
    if mask is not None:
        blocking &= mask
    return blocking
