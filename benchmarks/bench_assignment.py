"""Timings of the assignment solvers (a script, not a test).

Run ``python benchmarks/bench_assignment.py``. It prints:

* ``hungarian`` against :func:`scipy.optimize.linear_sum_assignment` on the
  same seeded 2000 x 2000 matrix, interleaved, median of several repeats, and
  the ratio (the target is at most 1.1: the wrapper adds input checks only);
* ``maxmin`` on 500 x 500;
* ``hungarian`` with 10% of the pairs forbidden, and with capacities on both
  sides, at moderate sizes.

Each line also records the quality of the answer (pairs made, total, worst
pair) beside the time, so a faster but worse solver would show.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from mentormatch.solvers import hungarian, maxmin

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]


def median_time(run: Callable[[], object], repeats: int) -> float:
    """Median wall-clock seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def quality(weights: NDArray[np.float64], pairs: Pairs) -> str:
    values = weights[pairs]
    return f"{values.size} pairs, total {values.sum():.3f}, worst {values.min(initial=np.inf):.4f}"


def compare_with_scipy(size: int = 2000, repeats: int = 7, seed: int = 0) -> float:
    """Time hungarian and scipy interleaved on one matrix; return the ratio."""
    weights = np.random.default_rng(seed).random((size, size))
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        # Interleaving spreads drifts of the machine (turbo, caches) over both.
        theirs.append(median_time(lambda: linear_sum_assignment(weights, maximize=True), 1))
        ours.append(median_time(lambda: hungarian(weights), 1))
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"{size}x{size} dense, median of {repeats}:")
    print(f"  scipy linear_sum_assignment  {statistics.median(theirs):8.3f} s")
    print(f"  mentormatch hungarian        {statistics.median(ours):8.3f} s")
    print(f"  ratio                        {ratio:8.3f}  (target <= 1.1)")
    print(f"  quality: {quality(weights, hungarian(weights))}")
    return ratio


def time_one(label: str, weights: NDArray[np.float64], run: Callable[[], Pairs]) -> None:
    seconds = median_time(run, 5)
    print(f"{label:<44} {seconds:8.3f} s   {quality(weights, run())}")


def main() -> None:
    compare_with_scipy()
    rng = np.random.default_rng(1)

    weights = rng.random((500, 500))
    time_one("maxmin 500x500", weights, lambda: maxmin(weights))
    time_one("hungarian 500x500 (same matrix)", weights, lambda: hungarian(weights))

    weights = rng.random((1000, 1000))
    allowed = rng.random((1000, 1000)) >= 0.1
    time_one(
        "hungarian 1000x1000, 10% forbidden", weights, lambda: hungarian(weights, allowed=allowed)
    )

    weights = rng.random((60, 120))
    time_one(
        "hungarian 60x120, capacities 4 and 2",
        weights,
        lambda: hungarian(weights, row_capacity=4, col_capacity=2),
    )
    time_one(
        "maxmin 60x120, capacities 4 and 2",
        weights,
        lambda: maxmin(weights, row_capacity=4, col_capacity=2),
    )


if __name__ == "__main__":
    main()
