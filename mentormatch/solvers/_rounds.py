"""The rounds of the sparse auction (:mod:`mentormatch.solvers.sparse`), two ways.

:func:`run_rounds` runs Bertsekas's Jacobi rounds until every bidder holds
an object: in each round every unassigned bidder bids for its best object
(the first among equals, in arc order) at the price that makes it ``eps``
worse than its second best; each object goes to its highest bid (the lower
bidder among equal bids); the previous holders become unassigned.

* :func:`numpy_rounds`: each round is a handful of whole-array numpy steps,
  with a scalar shortcut for a round of one bidder. A round costs tens of
  microseconds whatever its size, and a solve takes up to millions of rounds
  on heavily tied scores (chains of one displacement after another).
* :func:`compiled_rounds`: the same rounds compiled with numba (the optional
  ``fast`` extra, ``pip install 'mentormatch-pairing[fast]'``), a loop per
  round, about a microsecond for a round of one bidder. It computes every
  bid with the same floating-point operations in the same order, so it
  gives the same prices, the same pairs and the same number of rounds, bit
  for bit (``tests/test_sparse.py`` checks this on random problems).

:func:`run_rounds` takes the compiled rounds when numba is installed and the
problem is large enough (:data:`COMPILED_FROM` arcs) to repay the
compilation (about a second per process the first time; numba then keeps it
in its cache).

Termination is the auction's (see :mod:`mentormatch.solvers.sparse`): each
bid raises a price by at least ``eps``, and a price past ``bound`` raises an
error instead of looping, in both versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentormatch.solvers._numba import compiled

__all__ = ["COMPILED_FROM", "compiled_rounds", "numpy_rounds", "run_rounds"]

Index = NDArray[np.intp]
Floats = NDArray[np.float64]

#: Arcs from which :func:`run_rounds` takes the compiled rounds (when numba is installed).
COMPILED_FROM = 1 << 14

_PAST_BOUND = "sparse_assignment: prices past their bound; please report this input"


def run_rounds(
    indptr: Index,
    obj: Index,
    benefit: Floats,
    price: Floats,
    mate: Index,
    owner: Index,
    free: Index,
    eps: float,
    bound: float,
) -> int:
    """Auction rounds until no bidder is free; ``price``, ``mate`` (each bidder's object, -1:
    none) and ``owner`` (each object's bidder) are updated in place. Returns the rounds."""
    compiled = compiled_rounds() if len(obj) >= COMPILED_FROM else None
    if compiled is not None:
        return int(compiled(indptr, obj, benefit, price, mate, owner, free, eps, bound))
    return numpy_rounds(indptr, obj, benefit, price, mate, owner, free, eps, bound)


def numpy_rounds(
    indptr: Index,
    obj: Index,
    benefit: Floats,
    price: Floats,
    mate: Index,
    owner: Index,
    free: Index,
    eps: float,
    bound: float,
) -> int:
    """:func:`run_rounds` in numpy steps."""
    degree = np.diff(indptr)
    rounds = 0
    # The unassigned bidders, kept from round to round (a scan of all of them per round
    # would cost O(bidders) each time): those outbid this round, and those displaced.
    while len(free):
        rounds += 1
        if len(free) == 1:
            free = _bid_alone(int(free[0]), indptr, obj, benefit, price, mate, owner, eps, bound)
            continue
        d = degree[free]
        offsets = np.concatenate(([0], np.cumsum(d)[:-1]))
        edge = np.repeat(indptr[free] - offsets, d) + np.arange(int(d.sum()))
        value = benefit[edge] - price[obj[edge]]
        best = np.maximum.reduceat(value, offsets)
        top_pos = np.flatnonzero(value == np.repeat(best, d))
        seg = np.searchsorted(offsets, top_pos, side="right") - 1
        first = top_pos[np.concatenate(([True], seg[1:] != seg[:-1]))]
        value[first] = -np.inf
        second = np.maximum.reduceat(value, offsets)
        target = obj[edge[first]]
        margin = np.where(np.isfinite(second), best - second, 0.0)
        bid = price[target] + margin + eps
        order = np.lexsort((free, -bid, target))
        sorted_target = target[order]
        is_winner = np.concatenate(([True], sorted_target[1:] != sorted_target[:-1]))
        winner = order[is_winner]
        won = target[winner]
        previous = owner[won]
        displaced = previous[previous >= 0]
        mate[displaced] = -1
        owner[won] = free[winner]
        mate[free[winner]] = won
        price[won] = bid[winner]
        if price[won].max() > bound:  # pragma: no cover - excluded by feasibility
            raise RuntimeError(_PAST_BOUND)
        free = np.concatenate([free[order[~is_winner]], displaced])
    return rounds


def _bid_alone(
    bidder: int,
    indptr: Index,
    obj: Index,
    benefit: Floats,
    price: Floats,
    mate: Index,
    owner: Index,
    eps: float,
    bound: float,
) -> Index:
    """One round with one unassigned bidder (the common end of a pass: a chain of
    displacements), as the vectorised round would make it; returns who is left unassigned."""
    lo, hi = int(indptr[bidder]), int(indptr[bidder + 1])
    value = benefit[lo:hi] - price[obj[lo:hi]]
    at = int(value.argmax())
    margin = 0.0
    if hi - lo > 1:
        best = value[at]
        value[at] = -np.inf
        margin = float(best - value.max())
    target = int(obj[lo + at])
    price[target] = price[target] + margin + eps  # as in a round of several bidders
    if price[target] > bound:  # pragma: no cover - excluded by feasibility
        raise RuntimeError(_PAST_BOUND)
    previous = int(owner[target])
    owner[target] = bidder
    mate[bidder] = target
    if previous >= 0:
        mate[previous] = -1
        return np.array([previous], dtype=np.intp)
    return np.zeros(0, dtype=np.intp)


def _rounds_loop(
    indptr: Any,
    obj: Any,
    benefit: Any,
    price: Any,
    mate: Any,
    owner: Any,
    free: Any,
    eps: float,
    bound: float,
) -> int:  # pragma: no cover - runs compiled; checked against numpy_rounds bit for bit
    """:func:`numpy_rounds` as plain loops, for numba: the same operations in the same order
    (a bid is ``(price + margin) + eps``), so the same prices bit for bit."""
    n = len(price)
    current = np.empty(n, dtype=np.int64)
    following = np.empty(n, dtype=np.int64)
    target = np.empty(n, dtype=np.int64)
    bid = np.empty(n, dtype=np.float64)
    top_bid = np.full(n, -np.inf)
    top_bidder = np.full(n, -1, dtype=np.int64)
    n_free = len(free)
    for i in range(n_free):
        current[i] = free[i]
    rounds = 0
    while n_free > 0:
        rounds += 1
        # Every free bidder's bid, at the prices of the start of the round.
        for i in range(n_free):
            bidder = current[i]
            lo, hi = indptr[bidder], indptr[bidder + 1]
            at = lo
            best = benefit[lo] - price[obj[lo]]
            for e in range(lo + 1, hi):
                value = benefit[e] - price[obj[e]]
                if value > best:
                    best, at = value, e
            second = -np.inf
            for e in range(lo, hi):
                if e != at:
                    value = benefit[e] - price[obj[e]]
                    if value > second:
                        second = value
            margin = best - second if second > -np.inf else 0.0
            target[i] = obj[at]
            bid[i] = price[obj[at]] + margin + eps
        # Each object to its highest bid, the lower bidder among equal bids.
        for i in range(n_free):
            o = target[i]
            if bid[i] > top_bid[o] or (bid[i] == top_bid[o] and current[i] < top_bidder[o]):
                top_bid[o] = bid[i]
                top_bidder[o] = current[i]
        n_next = 0
        for i in range(n_free):
            o = target[i]
            bidder = current[i]
            if top_bidder[o] != bidder:
                following[n_next] = bidder
                n_next += 1
        too_high = False
        for i in range(n_free):
            o = target[i]
            if top_bidder[o] != current[i]:
                continue
            previous = owner[o]
            if previous >= 0:
                mate[previous] = -1
                following[n_next] = previous
                n_next += 1
            owner[o] = current[i]
            mate[current[i]] = o
            price[o] = bid[i]
            if price[o] > bound:
                too_high = True
        for i in range(n_free):
            top_bid[target[i]] = -np.inf
            top_bidder[target[i]] = -1
        if too_high:
            raise RuntimeError(_PAST_BOUND)
        current, following = following, current
        n_free = n_next
    return rounds


def compiled_rounds() -> Callable[..., int] | None:
    """:func:`run_rounds` compiled with numba, or None when numba is not installed."""
    return compiled(_rounds_loop)
