"""Scoring speed and memory on a large synthetic cohort.

Run ``python benchmarks/bench_scoring.py [n]`` (default n = 10,000 per side).
The yardstick is one float64 array of the same (n, n) shape: the time to
write it (``np.full``) and its size. Targets: scoring within 20x that time
and within 6 such arrays of peak memory (measured with tracemalloc, which
numpy reports its allocations to).
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc

import numpy as np

import mentormatch as mm


def _peak(fn: object) -> tuple[float, int]:
    assert callable(fn)
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main(n: int = 10_000, repeats: int = 3) -> None:
    """Print scoring time and peak memory against one (n, n) float64 array."""
    cohort = mm.make_cohort(n, n, rng=0)
    array_bytes = n * n * 8
    write = statistics.median(_timed(lambda: np.full((n, n), 0.5)) for _ in range(repeats))
    print(
        f"cohort {n} x {n}; one float64 array: {array_bytes / 2**20:.0f} MiB, written in {write:.3f} s"
    )
    for dtype in ("float64", "float32"):
        scorer = mm.Scorer(dtype=dtype)
        times = []
        peak = 0
        for _ in range(repeats):
            elapsed, peak = _peak(lambda scorer=scorer: scorer.score(cohort))
            times.append(elapsed)
        t = statistics.median(times)
        print(
            f"score ({dtype}): {t:.2f} s = {t / write:.1f}x the write (target <= 20x); "
            f"peak {peak / 2**20:.0f} MiB = {peak / array_bytes:.2f} arrays (target <= 6)"
        )


def _timed(fn: object) -> float:
    assert callable(fn)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
