"""Stable matching of a large cohort with its scores computed on demand, and a sampled check.

Too long for the suite (10 minutes at 100,000 per side here), hence a command of its own::

    python benchmarks/stable_on_demand.py --n 100000 --sample 2000

Students propose. ``solvers.lazy_deferred_acceptance(screen=True)`` asks
``solvers.candidates_from_rows`` for each proposer's next managers, which
scores the rows it needs with ``BlockScorer.block(rows, views=True)`` (both
views, and the allowed pairs) and forgets them; no n x n array is ever held.
The check scores ``--sample`` random students' rows against every manager and
counts the blocking pairs among them with ``solvers.blocking_in_block``.
Prints the time and the peak resident memory (``ru_maxrss``) of each step.
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

import mentormatch as mm
from mentormatch.solvers import (
    blocking_in_block,
    candidates_from_rows,
    lazy_deferred_acceptance,
    matching_standing,
)


def peak_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="students and managers")
    parser.add_argument("--sample", type=int, default=2_000, help="student rows checked")
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    n = args.n

    start = time.perf_counter()
    cohort = mm.make_cohort(n, n, rng=args.seed)
    scorer = mm.BlockScorer(mm.Scorer(), cohort)
    s_cap = cohort.students["capacity"].to_numpy(np.int64)
    m_cap = cohort.managers["capacity"].to_numpy(np.int64)
    print(f"cohort {n} x {n}: {time.perf_counter() - start:.1f} s, peak {peak_mib():.0f} MiB")

    def read_rows(index: NDArray[np.intp]) -> Any:
        block = scorer.block(index, views=True)
        return block.student_view, block.manager_view, block.allowed

    rounds: list[tuple[float, int, int, int]] = []
    start = time.perf_counter()

    def on_round(round_: int, asked: int, proposals: int) -> None:
        rounds.append((time.perf_counter() - start, round_, asked, proposals))

    rows, cols = lazy_deferred_acceptance(
        n,
        n,
        candidates_from_rows(read_rows, n),
        s_cap,
        m_cap,
        screen=True,
        on_round=on_round,
    )
    print(
        f"stable matching: {time.perf_counter() - start:.1f} s, peak {peak_mib():.0f} MiB; "
        f"{rows.size} pairs, {len(rounds)} rounds, {sum(r[2] for r in rounds)} rows scored "
        f"(first round {rounds[0][0]:.1f} s)"
    )

    start = time.perf_counter()
    _, _, student_value, manager_value = scorer.pairs(rows, cols, views=True)
    standing = matching_standing(rows, cols, student_value, manager_value, n, n, s_cap, m_cap)
    sample = np.sort(np.random.default_rng(args.seed).choice(n, min(n, args.sample), False))
    every = np.arange(n)
    found = 0
    for lo in range(0, sample.size, 100):
        part = sample[lo : lo + 100]
        block = scorer.block(part, views=True)
        assert block.student_view is not None
        assert block.manager_view is not None
        where = np.searchsorted(part, rows)
        inside = (where < part.size) & (part[np.minimum(where, part.size - 1)] == rows)
        matched = np.zeros((part.size, n), dtype=bool)
        matched[where[inside], cols[inside]] = True
        found += blocking_in_block(
            part,
            every,
            block.student_view,
            block.manager_view,
            matched,
            *standing,
            allowed=block.allowed,
        )
    print(
        f"check: {found} blocking pairs among {sample.size} students x {n} managers, "
        f"{time.perf_counter() - start:.1f} s, peak {peak_mib():.0f} MiB"
    )


if __name__ == "__main__":
    main()
