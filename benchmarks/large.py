"""The large-cohort stage: mm.match_large beside dense match (score + solve), time and peak memory.

Each measurement runs in a fresh process of its own, so its peak resident
memory (``ru_maxrss``) is its own: the cohort, the scores or the blocks, the
solver. Ratios are ``match_large`` over dense ``match`` at the same size.

    python benchmarks/large.py                          # 2,000, 5,000 and 10,000 per side
    python benchmarks/large.py --sizes 30000,100000 --methods large,large_stable

``dense`` is ``mm.match(mm.Scorer().score(cohort))`` (it needs the dense
arrays: 3 GB each at 20,000 per side); ``large`` is ``mm.match_large(cohort,
candidates=32)``, whose certificate is reported (passes, candidates added, the
largest violation); ``large_stable`` is ``mm.match_large(cohort,
method="stable")``, checked for blocking pairs on a sample of row blocks;
``dense_stable`` is ``mm.match(scores, method="stable")``.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

METHODS = ("dense", "large", "dense_stable", "large_stable")
#: Rows of the sample that checks a large stable pairing for blocking pairs.
SAMPLE_ROWS = 2000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sampled_blocking(pairing: Any, cohort: Any, rng: np.random.Generator) -> tuple[int, int]:
    """Blocking pairs among a random sample of students' rows (every manager)."""
    import mentormatch as mm
    from mentormatch.solvers import blocking_in_block, matching_standing

    blocks = mm.BlockScorer(mm.Scorer(), cohort)
    rows, cols = pairing.rows, pairing.cols
    _, _, sv, mv = blocks.pairs(rows, cols, views=True)
    standing = matching_standing(
        rows,
        cols,
        sv,
        mv,
        cohort.n_students,
        cohort.n_managers,
        cohort.student_capacity,
        cohort.manager_capacity,
    )
    sample = np.sort(
        rng.choice(cohort.n_students, min(SAMPLE_ROWS, cohort.n_students), replace=False)
    )
    found = checked = 0
    step = max(1, (1 << 22) // max(cohort.n_managers, 1))
    for start in range(0, len(sample), step):
        who = sample[start : start + step]
        block = blocks.block(who, views=True)
        assert block.student_view is not None
        assert block.manager_view is not None
        matched = np.zeros(block.total.shape, dtype=bool)
        here = np.isin(rows, who)
        position = np.searchsorted(who, rows[here])
        matched[position, cols[here]] = True
        found += int(
            blocking_in_block(
                who,
                np.arange(cohort.n_managers),
                block.student_view,
                block.manager_view,
                matched,
                *standing,
                allowed=block.allowed,
            )
        )
        checked += block.total.size
    return found, checked


def one(method: str, n: int, candidates: int, seed: int, workers: int = 0) -> dict[str, Any]:
    """Measure one method at one size, in this process (``workers`` > 0: the blocks of
    ``large`` on a process pool of that many workers)."""
    from concurrent.futures import ProcessPoolExecutor

    import mentormatch as mm

    cohort = mm.make_cohort(n, n, rng=seed)
    base = _peak_mb()
    started = time.perf_counter()
    row: dict[str, Any] = {"method": method, "n": n}
    if method == "dense":
        pairing = mm.match(mm.Scorer().score(cohort))
    elif method == "dense_stable":
        pairing = mm.match(mm.Scorer().score(cohort), method="stable")
    elif method == "large" and workers:
        with ProcessPoolExecutor(workers) as pool:
            pairing = mm.match_large(cohort, candidates=candidates, executor=pool)
    elif method == "large":
        pairing = mm.match_large(cohort, candidates=candidates)
    else:
        pairing = mm.match_large(cohort, method="stable", candidates=candidates)
    row["seconds"] = time.perf_counter() - started
    row["peak_mb"] = _peak_mb()
    row["cohort_mb"] = base
    if workers and method == "large":
        # Each worker holds a block at a time; the largest worker's peak, beside this one's.
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        row |= {"workers": workers, "worker_peak_mb": worker}
    row["pairs"] = len(pairing.rows)
    row["total"] = pairing.total_score
    certificate = pairing.certificate
    if certificate is not None:
        row |= {
            "holds": certificate.holds,
            "max_violation": certificate.max_violation,
            "passes": certificate.passes,
            "added": certificate.added,
            "candidates": certificate.candidates,
        }
    if method == "large_stable":
        found, checked = _sampled_blocking(pairing, cohort, np.random.default_rng(seed))
        row |= {"blocking_in_sample": found, "pairs_checked": checked}
    return row


def _table(rows: list[dict[str, Any]]) -> str:
    dense = {
        (r["method"].replace("large", "dense"), r["n"]): r for r in rows if "dense" in r["method"]
    }
    lines = [
        "| n per side | method | time | peak memory | pairs | total | vs dense: time, memory "
        "| certificate / check |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        peer = dense.get((r["method"].replace("large", "dense"), r["n"]))
        versus = "-"
        if "large" in r["method"] and peer and "seconds" in peer:
            versus = (
                f"{r['seconds'] / peer['seconds']:.2f}x, {r['peak_mb'] / peer['peak_mb']:.2f}x"
            )
            if r["method"] == "large":
                same = math.isclose(r["total"], peer["total"], rel_tol=1e-9)
                versus += (
                    ", same total"
                    if same
                    else f", total differs by {r['total'] - peer['total']:.3g}"
                )
        proof = "-"
        if "holds" in r:
            proof = (
                f"{'holds' if r['holds'] else 'FAILS'}, violation {r['max_violation']:.1e}, "
                f"{r['passes']} passes, +{r['added']} pairs"
            )
        if "blocking_in_sample" in r:
            proof = f"{r['blocking_in_sample']} blocking in {r['pairs_checked']:,} sampled pairs"
        if "error" in r:
            lines.append(f"| {r['n']:,} | {r['method']} | - | - | - | - | {r['error']} | - |")
            continue
        memory = f"{r['peak_mb']:,.0f} MB"
        if "workers" in r:
            memory += f" + {r['workers']} x {r['worker_peak_mb']:,.0f} MB (workers)"
        lines.append(
            f"| {r['n']:,} | {r['method']} | {r['seconds']:.1f} s | {memory} "
            f"| {r['pairs']:,} | {r['total']:.6f} | {versus} | {proof} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,5000,10000")
    parser.add_argument("--methods", default="dense,large")
    parser.add_argument("--candidates", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workers", type=int, default=0, help="large: score and price on a process pool"
    )
    parser.add_argument("--out", default=None, help="also write the table to this file")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        row = one(args.one[0], int(args.one[1]), args.candidates, args.seed, args.workers)
        print(json.dumps(row))
        return 0
    methods = [m for m in args.methods.split(",") if m]
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        parser.error(f"unknown methods {unknown}; of {', '.join(METHODS)}")
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        for method in methods:
            command = [sys.executable, __file__, "--one", method, str(n)]
            command += ["--candidates", str(args.candidates), "--seed", str(args.seed)]
            command += ["--workers", str(args.workers)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["failed"])[-1]
                rows.append({"method": method, "n": n, "error": last[:120]})
            else:
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    table = _table(rows)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
