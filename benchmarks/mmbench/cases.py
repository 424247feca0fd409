"""The inputs: seeded, reproducible problems of each case and size."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

import mentormatch as mm

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]
Floats = NDArray[np.floating[Any]]
Thunk = Callable[[], object]

#: Bytes in a MiB.
MIB = 2**20
#: The stages measured, in table order.
STAGES = ("score", "solve", "match")


@dataclass(frozen=True)
class Problem:
    """One input, shared by every method measured on it.

    ``weights`` is what the assignment solvers maximise and what ``total``
    and ``worst`` are measured in; the two utilities are what the stable
    solvers read and what blocking pairs are counted in.
    """

    case: str
    n: int
    weights: Floats
    proposer_utility: Floats
    receiver_utility: Floats
    allowed: NDArray[np.bool_] | None = None
    col_capacity: int = 1
    row_capacity: int = 1
    cohort: mm.Cohort | None = None
    scores: mm.Scores | None = None

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.weights.shape
        return rows, cols


def _random_pair(
    rng: np.random.Generator, shape: tuple[int, int]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Independent uniform utilities; the proposers' are also the weights."""
    return rng.random(shape), rng.random(shape)


def _uniform(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    return Problem("uniform", n, pu, pu, ru)


def _cohort(n: int, rng: np.random.Generator) -> Problem:
    cohort = mm.make_cohort(n, n, rng=rng)
    scores = mm.Scorer().score(cohort)
    allowed = None if scores.allowed.all() else scores.allowed
    return Problem(
        "cohort",
        n,
        scores.total,
        scores.student_view,
        scores.manager_view,
        allowed,
        cohort=cohort,
        scores=scores,
    )


def _unequal(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, max(1, n // 2)))
    return Problem("unequal", n, pu, pu, ru)


def _capacities(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, max(1, math.ceil(n / CAPACITY))))
    return Problem("capacities", n, pu, pu, ru, col_capacity=CAPACITY)


def _forbidden(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    return Problem("forbidden", n, pu, pu, ru, allowed=rng.random((n, n)) >= FORBIDDEN)


def _unbinding(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, max(1, n // UNBINDING_RATIO)))
    return Problem("unbinding", n, pu, pu, ru, col_capacity=n)


def _two_sided(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    return Problem("two_sided", n, pu, pu, ru, col_capacity=TWO_SIDED, row_capacity=TWO_SIDED)


def _sparse(n: int, rng: np.random.Generator) -> Problem:
    pu, ru = _random_pair(rng, (n, n))
    allowed = rng.random((n, n)) < SPARSE
    # A hidden perfect matching, so that solvers that need one (scipy's
    # sparse solver) accept every size.
    allowed[np.arange(n), rng.permutation(n)] = True
    return Problem("sparse", n, pu, pu, ru, allowed=allowed)


def _same_ranking(n: int, rng: np.random.Generator) -> Problem:
    # One utility per receiver, scaled and shifted per proposer: the values
    # differ from row to row, the order does not.
    common = rng.random(n)
    pu = rng.uniform(0.5, 1.5, (n, 1)) * common + rng.random((n, 1))
    return Problem("same_ranking", n, pu, pu, rng.random((n, n)))


def _all_equal(n: int, rng: np.random.Generator) -> Problem:
    pu = np.full((n, n), 0.5)
    return Problem("all_equal", n, pu, pu, pu.copy())


CAPACITY = 4
FORBIDDEN = 0.1
UNBINDING_RATIO = 40
TWO_SIDED = 3
SPARSE = 0.01

#: The inputs of the solve stage by name: (builder, what it means). The score
#: and match stages always use the ``cohort`` case.
CASES: Mapping[str, tuple[Callable[[int, np.random.Generator], Problem], str]] = {
    "uniform": (
        _uniform,
        "n x n, independent uniform random utilities for each side; the "
        "proposers' utilities are the weights",
    ),
    "cohort": (
        _cohort,
        "n x n, Scorer().score(make_cohort(n, n)): similarity-structured "
        "scores with many near-ties, both sides' views equal to the total",
    ),
    "unequal": (_unequal, "n x n//2, uniform random: more students than managers"),
    "capacities": (
        _capacities,
        f"n x ceil(n/{CAPACITY}), uniform random, every manager takes {CAPACITY} "
        "students (many-to-one)",
    ),
    "forbidden": (
        _forbidden,
        f"n x n, uniform random, {FORBIDDEN:.0%} of the pairs forbidden at random",
    ),
    "unbinding": (
        _unbinding,
        f"n x n//{UNBINDING_RATIO}, uniform random, every column may take all n rows: "
        "a capacity that cannot bind",
    ),
    "two_sided": (
        _two_sided,
        f"n x n, uniform random, capacity {TWO_SIDED} on both sides (each pair at most once)",
    ),
    "sparse": (
        _sparse,
        f"n x n, uniform random, {SPARSE:.0%} of the pairs allowed (plus a hidden "
        "perfect matching)",
    ),
    "same_ranking": (
        _same_ranking,
        "n x n, every proposer ranks the receivers alike (its own scale and shift of one "
        "uniform vector), receivers uniform random: deferred acceptance makes about "
        "n^2/2 proposals (stable solvers only)",
    ),
    "all_equal": (
        _all_equal,
        "n x n, every utility 0.5 on both sides: ties everywhere, about n^2/2 proposals "
        "(stable solvers only)",
    ),
}

#: The cases only the stable solvers (and their yardstick) are measured on.
STABLE_ONLY = ("same_ranking", "all_equal")


def make_problem(case: str, n: int, seed: int) -> Problem:
    """The seeded input of ``case`` at size ``n`` (the same for every run with this seed)."""
    build, _ = CASES[case]
    return build(n, np.random.default_rng([seed, n, list(CASES).index(case)]))
