"""Timings of gale_shapley (a script, not a test).

Run ``python benchmarks/bench_stable.py``. It prints:

* ``gale_shapley`` against one full ``np.argsort(U, axis=1)`` of one of its
  4000 x 4000 utility matrices (the target is a ratio under 0.5: deferred
  acceptance should cost less than sorting the preference lists it reads);
* ``gale_shapley`` against the ``matching`` package's ``StableMarriage`` at
  n = 600, and ``HospitalResident`` (many-to-one) at 2000 residents and 100
  hospitals, on the same preferences (the target for n = 600 is a speed-up
  of at least 300). Both must return the same matching. Skipped, with a
  note, when ``matching`` is not installed.

Times are medians of interleaved repeats. Beside each time is the quality of
the answer (pairs made, blocking pairs), so a faster but wrong solver shows.
"""

from __future__ import annotations

import gc
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentormatch.solvers import blocking_pairs, gale_shapley

Pairs = tuple[NDArray[np.intp], NDArray[np.intp]]


def seconds(run: Callable[[], object]) -> float:
    """Wall-clock seconds of one call, with the garbage collector held off.

    As in :mod:`timeit`: otherwise a collection triggered by one library's
    allocations could walk the other's (large) object graph on its clock.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def quality(pairs: Pairs, pu: NDArray[np.float64], ru: NDArray[np.float64], **kw: Any) -> str:
    n_blocking = blocking_pairs(*pairs, pu, ru, **kw).shape[0]
    return f"{pairs[0].size} pairs, {n_blocking} blocking"


def against_argsort(size: int = 4000, repeats: int = 7, seed: int = 0) -> float:
    """gale_shapley against one full argsort of one utility matrix; the ratio."""
    rng = np.random.default_rng(seed)
    pu = rng.random((size, size))
    ru = rng.random((size, size))
    ours: list[float] = []
    sort: list[float] = []
    for _ in range(repeats):
        # Interleaving spreads drifts of the machine (turbo, load) over both.
        sort.append(seconds(lambda: np.argsort(pu, axis=1)))
        ours.append(seconds(lambda: gale_shapley(pu, ru)))
    ratio = statistics.median(ours) / statistics.median(sort)
    print(f"{size}x{size} uniform random utilities, median of {repeats} interleaved:")
    print(f"  np.argsort(U, axis=1)        {statistics.median(sort):8.3f} s")
    print(f"  gale_shapley                 {statistics.median(ours):8.3f} s")
    print(f"  ratio                        {ratio:8.3f}  (target < 0.5)")
    print(f"  quality: {quality(gale_shapley(pu, ru), pu, ru)}")
    return ratio


def ranked(utility: NDArray[np.float64]) -> list[list[int]]:
    """Each row's columns, best first (ties to the lower index, as gale_shapley)."""
    return np.argsort(-utility, axis=1, kind="stable").tolist()  # type: ignore[no-any-return]


def pairs_of(matching: Any, *, keys_are_rows: bool) -> set[tuple[int, int]]:
    """The (row, col) pairs of a ``matching`` package result (players named by index)."""
    out: set[tuple[int, int]] = set()
    for key, value in matching.items():
        partners = value if isinstance(value, list) else [value]
        for partner in partners:
            if partner is not None:
                pair = (key.name, partner.name) if keys_are_rows else (partner.name, key.name)
                out.add(pair)
    return out


def time_matching_game(
    make: Callable[[], Any], solve: Callable[[Any], Any]
) -> tuple[float, float, Any]:
    """Seconds to build a game, seconds to solve it, and the result.

    ``matching`` deep-copies its players when it builds a game, which recurses
    once per player and preference: at n = 600 that needs a far higher
    recursion limit, and so a larger thread stack, than Python's defaults.
    """
    out: list[Any] = []

    def run() -> None:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            game = make()
            built = time.perf_counter()
            result = solve(game)
            out.extend([built - start, time.perf_counter() - built, result])
        finally:
            gc.enable()

    limit = sys.getrecursionlimit()
    old_stack = threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(1_000_000)
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(old_stack)
    build_seconds, solve_seconds, result = out
    return build_seconds, solve_seconds, result


def against_stable_marriage(size: int = 600, repeats: int = 5, seed: int = 1) -> float | None:
    """gale_shapley against matching.StableMarriage; the speed-up (None if absent)."""
    try:
        from matching.games import StableMarriage
    except ImportError:
        print("matching is not installed: skipping the StableMarriage comparison")
        print("  (pip install 'matching==1.4.3', or the 'benchmarks' extra)")
        return None
    rng = np.random.default_rng(seed)
    pu = rng.random((size, size))
    ru = rng.random((size, size))
    suitor_prefs = dict(enumerate(ranked(pu)))
    reviewer_prefs = dict(enumerate(ranked(ru.T)))

    def make() -> Any:
        return StableMarriage.create_from_dictionaries(suitor_prefs, reviewer_prefs)

    ours: list[float] = []
    theirs: list[float] = []
    build: list[float] = []
    result: Any = None
    for _ in range(repeats):
        built, solved, result = time_matching_game(make, lambda game: game.solve(optimal="suitor"))
        build.append(built)
        theirs.append(solved)
        ours.append(seconds(lambda: gale_shapley(pu, ru)))
    mine = gale_shapley(pu, ru)
    same = pairs_of(result, keys_are_rows=True) == set(
        zip(mine[0].tolist(), mine[1].tolist(), strict=True)
    )
    speedup = statistics.median(theirs) / statistics.median(ours)
    both = (statistics.median(theirs) + statistics.median(build)) / statistics.median(ours)
    print(f"stable marriage n = {size}, median of {repeats} interleaved:")
    print(f"  matching StableMarriage.solve            {statistics.median(theirs):8.4f} s")
    print(f"  (building its game, not in the ratio     {statistics.median(build):8.4f} s)")
    print(f"  gale_shapley (input checks included)     {statistics.median(ours):8.4f} s")
    print(f"  speed-up                                 {speedup:8.0f}x  (target >= 300)")
    print(f"  speed-up counting its game building      {both:8.0f}x")
    print(f"  same matching: {same}; quality: {quality(mine, pu, ru)}")
    return speedup


def against_hospital_resident(
    n_residents: int = 2000, n_hospitals: int = 100, capacity: int = 20, repeats: int = 3
) -> float | None:
    """gale_shapley against matching.HospitalResident (residents propose)."""
    try:
        from matching.games import HospitalResident
    except ImportError:
        print("matching is not installed: skipping the HospitalResident comparison")
        return None
    rng = np.random.default_rng(2)
    pu = rng.random((n_residents, n_hospitals))
    ru = rng.random((n_residents, n_hospitals))
    resident_prefs = dict(enumerate(ranked(pu)))
    hospital_prefs = dict(enumerate(ranked(ru.T)))
    capacities = dict.fromkeys(range(n_hospitals), capacity)

    def make() -> Any:
        return HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities
        )

    def ours_run() -> Pairs:
        return gale_shapley(pu, ru, receiver_capacity=capacity)

    ours: list[float] = []
    theirs: list[float] = []
    result: Any = None
    for _ in range(repeats):
        _, solved, result = time_matching_game(make, lambda game: game.solve(optimal="resident"))
        theirs.append(solved)
        ours.append(seconds(ours_run))
    mine = ours_run()
    # HospitalResident's matching maps each hospital (a column) to its residents.
    same = pairs_of(result, keys_are_rows=False) == set(
        zip(mine[0].tolist(), mine[1].tolist(), strict=True)
    )
    speedup = statistics.median(theirs) / statistics.median(ours)
    print(
        f"hospital-resident {n_residents} residents, {n_hospitals} hospitals of "
        f"capacity {capacity}, median of {repeats} interleaved:"
    )
    print(f"  matching HospitalResident.solve          {statistics.median(theirs):8.4f} s")
    print(f"  gale_shapley (input checks included)     {statistics.median(ours):8.4f} s")
    print(f"  speed-up                                 {speedup:8.0f}x")
    kw = {"receiver_capacity": capacity}
    print(f"  same matching: {same}; quality: {quality(mine, pu, ru, **kw)}")
    return speedup


def main() -> None:
    against_argsort()
    print()
    against_stable_marriage()
    print()
    against_hospital_resident()


if __name__ == "__main__":
    main()
