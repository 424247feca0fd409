"""mentormatch's benchmark suite: speed, memory and answer quality, peers side by side.

Run ``python benchmarks/run.py --quick`` (under two minutes on two cores) or
``python benchmarks/run.py`` (the full run, cohorts of 8 to 10,000 per side);
``--help`` lists the options (``--sizes``, ``--methods``, ``--cases``,
``--stages``, ``--repeats``, ``--out``, ...) and ``--list`` every method with
its size caps and whether it is installed. ``--executor processes:N`` or
``--executor dask:ADDRESS`` measures the inputs side by side (for sweeps: the
times of measurements that run at once are not the figures to quote).

What is measured
----------------
Three stages, each on seeded, reproducible inputs:

* ``score``: ``Scorer().score(make_cohort(n, n))``, beside ``np.full`` of one
  float64 array of the same shape (the yardstick of the scoring target);
* ``solve``: the array solvers (``hungarian``, ``maxmin``, ``gale_shapley``)
  on five cases (see ``CASES``), each beside the peers that solve the same
  problem, given the same input in the same process;
* ``match``: the whole ``mentormatch.match`` path on the scores of a cohort,
  beside the bare solver call it wraps (so the ratio is the domain layer's
  overhead).

How to read the output
----------------------
One row per stage, case, size and method:

* ``n x m``: rows (students, proposers) by columns (managers, receivers);
* ``role``: ``ours``; ``peer`` (another library solving the same problem);
  ``yardstick`` (a basic operation a target is stated against, such as one
  ``np.argsort`` of the utilities); ``reference`` (our own bare solver,
  beside the ``match`` call that wraps it); ``variant`` (another setting of
  ours, such as float32 scores);
* ``time``: the median wall-clock time of ``reps`` calls after a warm-up call
  (whose time is the CSV's ``first_s``; it stands alone when one call costs
  more than ``--budget`` seconds), interleaved with
  the other methods of the same row group so that the machine's drift hits
  all of them, with the garbage collector held off. Converting the input to
  a peer's format (its graph, preference lists, game object, negated cost
  matrix) happens before the clock starts; its cost is the ``prep_s`` column
  of the CSV. Expensive calls get fewer repeats (``--budget``);
* ``peak``: the larger of the tracemalloc peak (Python objects and numpy
  arrays, measured in a separate untimed call) and the growth of the
  resident set during the first timed call (which also sees memory that C and
  C++ code takes from the system, out of tracemalloc's sight), in MiB. Both
  are in the CSV (``traced_mib``, ``rss_mib``);
* ``ours/this``: our time divided by this row's time on the same input;
  ``0.50`` means we take half its time, ``1/870`` that we take 1/870 of it,
  ``1.05`` that we are 5 % slower. ``mem`` is the same for ``peak``. The
  ``ours`` column of the CSV names which of ours a row is compared with;
* quality, beside the speed, so that a fast wrong answer shows: ``pairs``
  made, ``total`` weight and ``worst`` pair weight of the case's weights,
  ``block``: blocking pairs of the case's two utilities
  (:func:`mentormatch.solvers.blocking_pairs`), and in the CSV ``same_pairs``
  (whether a peer returned exactly our pairs).

Results go to ``--out`` (default ``benchmarks/results/``): ``NAME.csv`` (one
row per measurement), ``NAME.txt`` (the report as printed), ``NAME.md`` (a
Markdown summary: each of ours with its peers' ratios on one line) and
``NAME.png`` (time against n, log-log, one line per method), NAME being
``full``, ``quick`` or ``custom``. The stated targets are checked at the end, each
with the command that measures it alone.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

# ``python benchmarks/run.py`` puts this directory on sys.path; a loader that runs
# the file by its path (the smoke test) does not.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from mmbench import peers  # noqa: E402
from mmbench.cases import CASES, STAGES  # noqa: E402
from mmbench.measurement import Notes, Settings, run  # noqa: E402
from mmbench.peers import missing  # noqa: E402
from mmbench.report import (  # noqa: E402
    environment,
    load_averages,
    load_range,
    notes_report,
    plot,
    summary,
    table,
    targets_report,
    write_csv,
)

FULL_SIZES = (8, 20, 50, 100, 200, 600, 1000, 2000, 4000, 10_000)
#: The large-cohort stage's sizes in the full run (30,000 and 100,000: a command of their own).
LARGE_SIZES = "2000,5000,10000"
QUICK_SIZES = (8, 50, 300)
DEFAULT_OUT = Path(__file__).resolve().parent / "results"


# --- Command line ------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse(argv: Sequence[str] | None) -> tuple[Settings, bool]:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="mentormatch's benchmarks: speed, memory and quality beside peers.",
        epilog="Read the module docstring (or benchmarks/README.md) for how to read the output.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    parser.add_argument("--sizes", type=str, help="comma-separated sizes n per side")
    parser.add_argument("--cases", type=str, help=f"solve-stage cases, of {', '.join(CASES)}")
    parser.add_argument("--stages", type=str, help=f"stages, of {', '.join(STAGES)}")
    parser.add_argument(
        "--methods", type=str, help="method names to run (default all; --list shows them)"
    )
    parser.add_argument("--repeats", type=int, help="timed calls per method (default 7, quick 3)")
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds a method's repeats may take before fewer are made (default 20, quick 2)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of every input (default 0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--name", type=str, help="output file stem (default full/quick/custom)")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--executor",
        type=str,
        default="",
        help="measure the inputs side by side: processes:N (a local process pool) or "
        "dask:ADDRESS (a Dask scheduler, e.g. dask:tcp://127.0.0.1:8786); timings are then "
        "for sweeps, not for ratios",
    )
    parser.add_argument(
        "--large",
        type=str,
        default=None,
        help="sizes of the large-cohort stage (benchmarks/large.py: match_large beside dense "
        "match, each in a process of its own); default 2000,5000,10000 in the full run, none "
        "otherwise; 'none' skips it",
    )
    parser.add_argument("--list", action="store_true", help="list cases and methods, then exit")
    args = parser.parse_args(argv)

    def pick(text: str | None, known: Sequence[str], what: str) -> tuple[str, ...]:
        if text is None:
            return tuple(known)
        chosen = _names(text)
        unknown = [c for c in chosen if c not in known]
        if unknown:
            parser.error(f"--{what} must be among {', '.join(known)}; got {', '.join(unknown)}")
        return chosen

    method_names = sorted({m.name for m in peers.METHODS})
    methods = (
        None if args.methods is None else frozenset(pick(args.methods, method_names, "methods"))
    )
    sizes: tuple[int, ...]
    if args.sizes is None:
        sizes = QUICK_SIZES if args.quick else FULL_SIZES
    else:
        try:
            sizes = tuple(sorted({int(s) for s in _names(args.sizes)}))
        except ValueError:
            parser.error(f"--sizes must be comma-separated integers; got {args.sizes!r}")
        if not sizes or min(sizes) < 1:
            parser.error(f"--sizes must be positive integers; got {args.sizes!r}")
    custom = any(v is not None for v in (args.sizes, args.cases, args.stages, args.methods))
    if args.executor and not _EXECUTOR.fullmatch(args.executor):
        parser.error(f"--executor must be processes:N or dask:ADDRESS; got {args.executor!r}")
    repeats = args.repeats if args.repeats is not None else (3 if args.quick else 7)
    if repeats < 1:
        parser.error(f"--repeats must be at least 1; got {repeats}")
    settings = Settings(
        sizes=sizes,
        cases=pick(args.cases, list(CASES), "cases"),
        stages=pick(args.stages, STAGES, "stages"),
        methods=methods,
        repeats=repeats,
        budget=args.budget if args.budget is not None else (2.0 if args.quick else 20.0),
        seed=args.seed,
        out=args.out,
        name=args.name or ("custom" if custom else "quick" if args.quick else "full"),
        plot=not args.no_plot,
        progress=not args.no_progress,
        executor=args.executor,
        large=_large_sizes(args.large, custom or args.quick),
    )
    return settings, args.list


def _large_sizes(text: str | None, custom: bool) -> str:
    """The large stage's sizes: as given ('none': none), else the full run's, else none."""
    if text is None:
        return "" if custom else LARGE_SIZES
    return "" if text.strip() == "none" else text


_EXECUTOR = re.compile(r"processes:[1-9][0-9]*|dask:\S+")


@contextlib.contextmanager
def executor_of(spec: str) -> Iterator[Any]:
    """The executor that ``--executor`` names (None for ""), shut down on leaving.

    ``processes:N`` starts its workers from a fork server (``spawn`` where
    there is none): fresh processes, not copies of this one's memory and
    threads, that import the suite once in the server. A Dask
    cluster's workers must be able to import ``mmbench``: start them in
    this directory or with ``PYTHONPATH=benchmarks``.
    """
    if not spec:
        yield None
    elif spec.startswith("processes:"):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        with ProcessPoolExecutor(int(spec.partition(":")[2]), mp_context=context) as pool:
            yield pool
    else:
        from dask.distributed import Client

        with Client(spec.partition(":")[2]) as client:
            yield client.get_executor()


def listing() -> str:
    lines = ["Cases (solve stage; score and match use cohort):"]
    lines += [f"  {name:<11} {what}" for name, (_, what) in CASES.items()]
    lines.append("Methods (stage, role, compared with, cap, what is called):")
    for m in peers.METHODS:
        caps = f"n <= {m.max_n}" + "".join(f", {c} <= {v}" for c, v in m.case_max_n.items())
        why = missing(m)
        lines.append(
            f"  {m.name:<15} {m.stage:<5} {m.role:<9} {m.ours or '-':<15} {caps:<40} {m.label}"
            + (f"  [{why}]" if why else "")
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; print the report and write NAME.csv, .txt, .md and .png.

    Returns 0, or 1 if one of our own methods failed.
    """
    settings, list_only = parse(argv)
    if list_only:
        print(listing())
        return 0
    load_before = load_averages()
    notes = Notes()
    with executor_of(settings.executor) as executor:
        rows = run(settings, notes, executor)
    settings.out.mkdir(parents=True, exist_ok=True)
    header = [
        *environment(),
        f"load average (1, 5, 15 min) before: {load_before}; after: {load_averages()}; "
        f"1-min load as each input began: {load_range(rows)}",
        f"sizes {', '.join(map(str, settings.sizes))}; up to {settings.repeats} repeats, "
        f"budget {settings.budget:g} s; seed {settings.seed}",
    ]
    if settings.executor:
        header.append(
            f"inputs measured side by side on {settings.executor}: the times are for the "
            "sweep, not for ratios (measurements running at once compete for the cores)"
        )
    report = "\n\n".join(
        ["\n".join(header), table(rows), targets_report(rows), notes_report(notes, rows)]
    )
    print(report)
    stem = settings.out / settings.name
    if settings.large:
        import large  # benchmarks/large.py, beside this file

        large_out = stem.with_name(f"{settings.name}_large.md")
        print("\nLarge cohorts (match_large beside dense match, one process per measurement):")
        large.main(
            [
                "--sizes",
                settings.large,
                "--methods",
                ",".join(large.METHODS),
                "--out",
                str(large_out),
            ]
        )
    write_csv(rows, stem.with_suffix(".csv"))
    stem.with_suffix(".txt").write_text(report + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(summary(rows) + "\n", encoding="utf-8")
    written = [stem.with_suffix(s) for s in (".csv", ".txt", ".md")]
    if settings.plot:
        why_not = plot(rows, stem.with_suffix(".png"))
        if why_not is None:
            written.append(stem.with_suffix(".png"))
        else:
            print(why_not)
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 1 if any(r.role == "ours" and r.status != "ok" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
