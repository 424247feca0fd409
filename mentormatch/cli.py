"""The ``mentormatch`` command: a pairing from two sign-up exports, without writing Python.

Subcommands: ``demo`` (a Digg-sized synthetic cohort, paired and explained),
``check`` (what in two sign-up exports looks wrong), ``match`` (pair them),
``compare`` (every method side by side on them) and ``report`` (one
self-contained HTML file to share, with the end-of-year evaluation when
``--ratings`` is given). Files are CSV or Excel (``.xlsx``) by their suffix,
in and out. Bad input prints one line on stderr and exits with status 2;
``--debug`` (before or after the subcommand) shows the traceback. Text from
the files is printed with control characters escaped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

import mentormatch as mm
from mentormatch._validation import fail
from mentormatch.io import EXCEL_SUFFIXES, for_terminal, read_table
from mentormatch.matching import METHODS, PROPOSERS

__all__ = ["main"]

DEMO_WEIGHTS = {"programme": 0.3, "interests": 0.4, "diversity": 0.3}
_METHOD_HELP = "hungarian: best total; stable: no blocking pairs; maxmin: best worst pair"
_PROPOSER_HELP = "for stable: the side that proposes and gets its best stable pairing"


def _parse_weights(text: str) -> dict[str, float]:
    """Parse ``programme=0.3,interests=0.4,diversity=0.3``."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise fail(
                "option '--weights'", "name=number items separated by commas", repr(item)
            ) from None
    return out


def _fixed(path: str) -> pd.DataFrame:
    """Pairs to keep, from a CSV or Excel file such as this command's own ``--out``."""
    table = read_table(path, param="--fixed", owner="mentormatch match")
    columns = [str(c).strip().lower() for c in table.frame.columns]
    if "student_id" not in columns or "manager_id" not in columns:
        raise fail(
            f"option '--fixed' ({path})", "columns 'student_id' and 'manager_id'", f"{columns}"
        )
    frame = table.frame.copy()
    frame.columns = columns
    return frame


def _table(pairing: mm.Matching, explain: bool) -> pd.DataFrame:
    cohort = pairing.scores.cohort
    pairs = pairing.pairs
    table = pd.DataFrame(
        {
            "student": pairs["student_id"].map(for_terminal),
            "programme": cohort.column("students", "programme")[pairing.rows],
            "manager": pairs["manager_id"].map(for_terminal),
            "unit": cohort.column("managers", "unit")[pairing.cols],
            "score": pairs["score"].round(2),
        }
    )
    for column in ("programme", "unit"):
        table[column] = [for_terminal(str(v)) for v in table[column]]
    if pairing.fixed.any():
        table["fixed"] = np.where(pairing.fixed, "fixed", "")
    if explain:
        table["reason"] = [for_terminal(r) for r in pairing.reasons()]
    return table


def _print_pairing(
    pairing: mm.Matching, fmt: str, explain: bool, *, blocking: bool = True
) -> None:
    if fmt == "csv":
        pairing.to_csv(sys.stdout, explain=explain)
        return
    if fmt == "json":
        payload = {
            "method": pairing.method,
            "summary": {k: _plain(v) for k, v in pairing.summary().items()},
            "pairs": pairing.pairs.assign(
                **({"reason": pairing.reasons()} if explain else {})
            ).to_dict(orient="records"),
            "unmatched": pairing.unmatched.to_dict(orient="records"),
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=_plain)
        print()
        return
    table = _table(pairing, explain)
    if len(table):
        text_columns = [c for c in table.columns if table[c].dtype.kind not in "biufc"]
        widths = {c: max(len(c), *(len(str(v)) for v in table[c])) for c in text_columns}
        formatters = {c: (lambda v, w=widths[c]: str(v).ljust(w)) for c in text_columns}
        text = table.to_string(index=False, formatters=formatters, justify="left")
        print("\n".join(line.rstrip() for line in text.splitlines()))
    else:
        print("no pairs: nobody could be paired")
    summary = pairing.summary()
    print(
        f"\n{_plural(summary['n_pairs'], 'pair')}, total {summary['total_score']:.2f}, "
        f"mean {summary['mean_score']:.2f}, worst {summary['min_score']:.2f}, "
        f"{_plural(summary['blocking_pairs'], 'blocking pair')} ({pairing.method})"
    )
    for row in pairing.unmatched.itertuples(index=False):
        print(f"unmatched {row.side} {for_terminal(str(row.id))}: {row.reason}")
    if explain and blocking:
        for student, manager in pairing.blocking_pairs().itertuples(index=False):
            print(
                f"blocking pair: {for_terminal(student)} and {for_terminal(manager)} "
                "would both rather be with each other"
            )


def _plural(count: float, noun: str) -> str:
    count = int(count)
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def _demo(args: argparse.Namespace) -> None:
    cohort = mm.make_cohort(n_students=8, n_managers=8, rng=args.seed)
    scores = mm.Scorer(weights=DEMO_WEIGHTS).score(cohort)
    pairing = mm.match(scores, method=args.method)
    print(
        "mentormatch demo: 8 synthetic students (mentors) and 8 synthetic managers (mentees),\n"
        "as in the Digg / Mid Sweden University reverse-mentoring programme.\n"
        f"Scored on programme 0.3, interests 0.4, diversity 0.3; paired by {args.method}.\n"
    )
    _print_pairing(pairing, "table", explain=True, blocking=False)


def _match(args: argparse.Namespace) -> None:
    cohort = _read(args)
    scorer = mm.Scorer(weights=_parse_weights(args.weights) if args.weights else None)
    scores = scorer.score(cohort)
    fixed = _fixed(args.fixed) if args.fixed else None
    pairing = mm.match(scores, method=args.method, proposer=args.proposer, fixed=fixed)
    if args.out:
        if Path(args.out).suffix.lower() in EXCEL_SUFFIXES:
            pairing.to_excel(args.out, explain=args.explain, force=args.force)
        else:
            pairing.to_csv(args.out, explain=args.explain, force=args.force)
        print(f"wrote {_plural(len(pairing.rows), 'pair')} to {args.out}", file=sys.stderr)
    if not args.out or args.format != "table":
        _print_pairing(pairing, args.format, args.explain)
    findings = cohort.check()
    if len(findings):
        print(
            f"note: {_plural(len(findings), 'thing')} in these files may need a look; "
            f"run: mentormatch check {args.students} {args.managers}",
            file=sys.stderr,
        )


def _read(args: argparse.Namespace) -> mm.Cohort:
    for name, path in (("STUDENTS", args.students), ("MANAGERS", args.managers)):
        if not Path(path).is_file():
            raise mm.MissingFileError(
                f"argument {name}: expected an existing CSV or Excel file, got '{path}'."
            )
    return mm.Cohort.read(
        args.students, args.managers, delimiter=args.delimiter, value_sep=args.value_sep
    )


def _check(args: argparse.Namespace) -> int:
    findings = _read(args).check()
    if not len(findings):
        print("nothing found: the files look ready")
        return 0
    for row in findings.to_dict(orient="records"):
        where = str(row["side"]) + ("" if pd.isna(row["line"]) else f" line {row['line']}")
        if row["id"] is not None:
            where += f" ({row['id']})"
        if row["column"] is not None:
            where += f", {row['column']}"
            if row["value"] is not None and row["value"] != "":
                where += f" {row['value']!r}"
        hint = "" if row["suggestion"] is None else f"; {row['suggestion']}"
        print(for_terminal(f"{where}: {row['problem']}{hint}"))
    print(f"\n{_plural(len(findings), 'finding')}", file=sys.stderr)
    return 1


def _compare(args: argparse.Namespace) -> None:
    cohort = _read(args)
    scores = mm.Scorer(weights=_parse_weights(args.weights) if args.weights else None).score(
        cohort
    )
    table = mm.compare(scores, methods=args.methods.split(","), proposer=args.proposer)
    columns = [
        "n_pairs",
        "total_score",
        "min_score",
        "blocking_pairs",
        "student_rank_mean",
        "manager_rank_mean",
        "total_vs_best",
        "min_vs_best",
    ]
    if args.format == "csv":
        table.to_csv(sys.stdout)
    elif args.format == "json":
        json.dump(json.loads(table.to_json(orient="index")), sys.stdout, indent=2)
        print()
    else:
        shown = table[columns].round(3)
        for count in ("n_pairs", "blocking_pairs"):
            shown[count] = shown[count].astype(np.int64)  # whole numbers, shown as such
        print(shown.to_string())


def _report(args: argparse.Namespace) -> None:
    cohort = _read(args)
    scores = mm.Scorer(weights=_parse_weights(args.weights) if args.weights else None).score(
        cohort
    )
    pairing = mm.match(scores, method=args.method, proposer=args.proposer)
    evaluation = None
    if args.ratings:
        if not Path(args.ratings).is_file():
            raise mm.MissingFileError(
                f"option '--ratings': expected an existing CSV or Excel file, got '{args.ratings}'."
            )
        evaluation = mm.evaluate(pairing, args.ratings, rng=0)
    path = mm.report.write(
        pairing,
        args.out,
        title=args.title,
        evaluation=evaluation,
        personal=args.personal,
        force=args.force,
        protect=[p for p in (args.students, args.managers, args.ratings) if p],
    )
    rated = f", {evaluation.n_rated} rated" if evaluation is not None else ""
    print(f"wrote the report of {len(pairing.rows)} pairs{rated} to {path}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mentormatch`` command."""
    parser = argparse.ArgumentParser(
        prog="mentormatch",
        description="Pair student mentors with manager mentees, and show why.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {mm.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    # --debug also after the subcommand; SUPPRESS keeps a value given before it.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors"
    )
    # Options several subcommands share, each defined once (argparse parents).
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument(
        "students",
        metavar="STUDENTS",
        help="students CSV or .xlsx (id, programme, interests, ...)",
    )
    files.add_argument(
        "managers", metavar="MANAGERS", help="managers CSV or .xlsx (id, unit, interests, ...)"
    )
    files.add_argument(
        "--delimiter",
        choices=(",", ";"),
        default=None,
        metavar="CHAR",
        help="CSV field delimiter: ',' or ';' (detected)",
    )
    files.add_argument("--value-sep", default=";", help="separator of several values in a cell")
    method = argparse.ArgumentParser(add_help=False)
    method.add_argument(
        "--method", choices=sorted(METHODS), default="hungarian", help=_METHOD_HELP
    )
    scoring = argparse.ArgumentParser(add_help=False)
    scoring.add_argument("--proposer", choices=PROPOSERS, default="students", help=_PROPOSER_HELP)
    scoring.add_argument("--weights", help="e.g. programme=0.3,interests=0.4,diversity=0.3")
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format (table)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo", help="pair a synthetic Digg-sized cohort (8 x 8)", parents=[debug]
    )
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--method", choices=sorted(METHODS), default="hungarian", help=_METHOD_HELP)
    demo.set_defaults(run=_demo)

    k = sub.add_parser(
        "check",
        help="list what in two sign-up exports looks wrong (exit 1 if anything)",
        parents=[debug, files],
    )
    k.set_defaults(run=_check)

    m = sub.add_parser(
        "match",
        help="pair the people of two sign-up exports (CSV or .xlsx)",
        parents=[debug, files, method, scoring, output],
    )
    m.add_argument(
        "--fixed",
        help="CSV or .xlsx of pairs to keep (student_id, manager_id), e.g. an --out file",
    )
    m.add_argument("--out", help="write the pairing to this .csv or .xlsx file")
    m.add_argument(
        "--force", action="store_true", help="overwrite the --out file (never an input file)"
    )
    m.add_argument("--explain", action="store_true", help="add a one-line reason per pair")
    m.set_defaults(run=_match)

    c = sub.add_parser(
        "compare",
        help="compare the methods on two sign-up exports",
        parents=[debug, files, scoring, output],
    )
    c.add_argument("--methods", default="hungarian,stable,maxmin", help="comma-separated")
    c.set_defaults(run=_compare)

    r = sub.add_parser(
        "report",
        help="write a self-contained HTML report to share",
        parents=[debug, files, method, scoring],
    )
    r.add_argument("--out", required=True, help="the HTML file to write (never overwritten)")
    r.add_argument(
        "--ratings",
        metavar="FILE",
        help="end-of-year ratings, CSV or Excel: student_id, manager_id, numeric columns",
    )
    r.add_argument("--title", help="the report's title")
    r.add_argument(
        "--personal", action="store_true", help="show age, gender, region and languages"
    )
    r.add_argument("--force", action="store_true", help="replace an existing --out file")
    r.set_defaults(run=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> from mentormatch.cli import main
    >>> main(["match", "no_such_students.csv", "no_such_managers.csv"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
    except BrokenPipeError:
        # The reader (say, `head`) has gone: stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except (mm.MentorMatchError, OSError) as err:
        if args.debug:
            raise
        print(f"mentormatch: error: {for_terminal(str(err))}", file=sys.stderr)
        return 2
    except MemoryError:
        if args.debug:
            raise
        print("mentormatch: error: out of memory (try a smaller cohort)", file=sys.stderr)
        return 2
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
