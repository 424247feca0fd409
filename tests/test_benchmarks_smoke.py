"""The benchmark suite runs end to end on its smallest inputs (no timings are asserted).

``benchmarks/run.py`` is a script, not a module of the package, so it is loaded
from its path (it puts its own directory on ``sys.path`` for the ``mmbench``
package beside it). Each method runs once at n = 8; the test checks that the report
and the CSV come out with the expected columns, and that every answer is sane:
no peer beats our Hungarian total, stable matchings have no blocking pair.
A peer that is not installed is skipped by the suite, and so by the checks.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import importlib.util
import io
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

RUN_PY = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
EXPECTED_COLUMNS = [
    "stage",
    "case",
    "n",
    "n_rows",
    "n_cols",
    "method",
    "role",
    "ours",
    "label",
    "version",
    "status",
    "repeats",
    "time_s",
    "time_min_s",
    "first_s",
    "prep_s",
    "peak_mib",
    "traced_mib",
    "rss_mib",
    "ratio",
    "mem_ratio",
    "pairs",
    "total",
    "worst",
    "blocking",
    "same_pairs",
    "load",
    "note",
]
Smallest = tuple[list[dict[str, str]], str, Path]
TABLE_HEADER = ["stage", "case", "n x m", "method", "role", "reps", "time", "peak MiB"]


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("mentormatch_benchmarks_run", RUN_PY)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture(scope="module")
def smallest(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Smallest:
    out = tmp_path_factory.mktemp("bench")
    rows, printed = _run(bench, out, [])
    return rows, printed, out


def _run(bench: ModuleType, out: Path, extra: list[str]) -> tuple[list[dict[str, str]], str]:
    """The smallest run (n = 8, one call each): the CSV's rows and what was printed."""
    printed = io.StringIO()
    args = ["--sizes", "8", "--repeats", "1", "--budget", "1", "--out", str(out), "--no-progress"]
    with contextlib.redirect_stdout(printed):
        status = bench.main(args + extra)
    assert status == 0
    with (out / "custom.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), printed.getvalue()


def _number(row: dict[str, str], column: str) -> float:
    return float(row[column]) if row[column] else math.nan


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def test_outputs_have_the_expected_columns(smallest: Smallest) -> None:
    _, printed, out = smallest
    with (out / "custom.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == EXPECTED_COLUMNS
    header = next(line for line in printed.splitlines() if line.startswith("stage"))
    assert header.split()[:4] == ["stage", "case", "n", "x"]
    for column in (*TABLE_HEADER, "ours/this", "mem"):
        assert column in header
    assert "Targets:" in printed
    report = (out / "custom.txt").read_text(encoding="utf-8")
    assert header in report
    if _installed("matplotlib"):
        assert (out / "custom.png").stat().st_size > 0


def test_every_stage_case_and_method_ran(smallest: Smallest) -> None:
    rows, printed, _ = smallest
    assert {r["stage"] for r in rows} == {"score", "solve", "match"}
    assert {r["case"] for r in rows if r["stage"] == "solve"} == {
        "uniform",
        "cohort",
        "unequal",
        "capacities",
        "forbidden",
        "unbinding",
        "two_sided",
        "sparse",
        "same_ranking",
        "all_equal",
    }
    assert all(r["status"] == "ok" for r in rows), [r["status"] for r in rows]
    assert all(r["n"] == "8" and r["repeats"] == "1" for r in rows)
    for peer, module in (("lapjv", "lap"), ("matching", "matching"), ("nx_full", "networkx")):
        ran = any(r["method"] == peer for r in rows)
        assert ran == _installed(module)
        if not ran:
            assert f"skipped {peer}" in printed


def test_no_peer_beats_our_hungarian(smallest: Smallest) -> None:
    rows, _, _ = smallest
    solve = [r for r in rows if r["stage"] == "solve"]
    # The stable-only cases (every proposer ranking alike, all utilities equal)
    # are not measured for the assignment solvers.
    stable_only = {"same_ranking", "all_equal"}
    assert not any(r["method"] == "hungarian" for r in solve if r["case"] in stable_only)
    for case in {r["case"] for r in solve} - stable_only:
        ours = next(r for r in solve if r["case"] == case and r["method"] == "hungarian")
        peers = [r for r in solve if r["case"] == case and r["ours"] == "hungarian"]
        # Unit-capacity peers cannot take both sides' capacities; a linear program can.
        expected = {"two_sided": {"highs"}, "unbinding": {"scipy"}}.get(
            case, {"scipy", "nx_blossom"}
        )
        assert {p["method"] for p in peers} >= expected
        for peer in peers:
            assert peer["note"] == ""  # a valid matching
            assert _number(peer, "pairs") == _number(ours, "pairs")
            assert _number(ours, "total") >= _number(peer, "total") - 1e-9
            assert _number(peer, "ratio") > 0
        maxmin = next(r for r in solve if r["case"] == case and r["method"] == "maxmin")
        assert _number(maxmin, "worst") >= _number(ours, "worst") - 1e-12
        assert _number(maxmin, "total") <= _number(ours, "total") + 1e-9


def test_stable_answers_have_no_blocking_pair(smallest: Smallest) -> None:
    rows, _, _ = smallest
    stable = [r for r in rows if r["method"] in ("gale_shapley", "match_stable")]
    assert len(stable) == 10 + 2  # ten solve cases, and match with its bare solver
    assert all(_number(r, "blocking") == 0 for r in stable)
    for peer in (r for r in rows if r["method"] == "matching"):
        assert _number(peer, "blocking") == 0
        assert peer["same_pairs"] == "True"  # the proposer-optimal stable matching is unique


def test_best_stable_and_k_best_beside_their_yardsticks(smallest: Smallest) -> None:
    rows, _, _ = smallest
    solve = [r for r in rows if r["stage"] == "solve"]
    best = [r for r in solve if r["method"] == "best_stable"]
    assert {r["case"] for r in best} >= {"uniform", "cohort", "capacities", "forbidden"}
    for row in best:
        assert row["ours"] == "gale_shapley"
        assert _number(row, "blocking") == 0
        proposer_optimal = next(
            r for r in solve if r["case"] == row["case"] and r["method"] == "gale_shapley"
        )
        # Every stable matching pairs the same people (rural hospitals).
        assert _number(row, "pairs") == _number(proposer_optimal, "pairs")
        # The proposers' utilities are the case's weights; the proposer-optimal
        # matching is best for them, best_stable (both sides' sum) cannot beat it.
        assert _number(row, "total") <= _number(proposer_optimal, "total") + 1e-9
    kbest = next(r for r in solve if r["method"] == "k_best")
    hungarian = next(r for r in solve if r["case"] == "uniform" and r["method"] == "hungarian")
    assert _number(kbest, "total") == pytest.approx(_number(hungarian, "total"))
    assert any(r["method"] == "hungarian_k" and r["ours"] == "k_best" for r in solve)


def test_match_agrees_with_its_bare_solver(smallest: Smallest) -> None:
    rows, _, _ = smallest
    match = {r["method"]: r for r in rows if r["stage"] == "match"}
    for method, bare in (
        ("match_hungarian", "hungarian"),
        ("match_stable", "gale_shapley"),
        ("match_maxmin", "maxmin"),
    ):
        assert match[bare]["ours"] == method
        assert match[bare]["same_pairs"] == "True"
        assert _number(match[method], "total") == pytest.approx(_number(match[bare], "total"))


def test_scoring_is_measured_against_one_array(smallest: Smallest) -> None:
    rows, _, _ = smallest
    score = {r["method"]: r for r in rows if r["stage"] == "score"}
    assert set(score) == {"score", "score_f32", "np_full"}
    assert score["np_full"]["ours"] == "score"
    assert (score["score"]["n_rows"], score["score"]["n_cols"]) == ("8", "8")


def test_a_missing_peer_is_skipped_with_a_note(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = tuple(
        dataclasses.replace(m, module="no_such_module_anywhere") if m.role == "peer" else m
        for m in bench.peers.METHODS
    )
    monkeypatch.setattr(bench.peers, "METHODS", absent)
    rows, printed = _run(bench, tmp_path, ["--stages", "solve", "--cases", "uniform", "--no-plot"])
    # best_stable is a variant of ours (beside gale_shapley), not a peer.
    assert {r["role"] for r in rows} == {"ours", "variant", "yardstick"}
    for peer in ("scipy", "lapjv", "nx_full", "nx_blossom", "matching"):
        assert f"skipped {peer}: not installed" in printed


def test_on_a_process_pool_the_same_rows_come_back_in_order(
    bench: ModuleType, smallest: Smallest, tmp_path: Path
) -> None:
    # --executor measures each input in a worker; the answers (not the times) and the
    # table order must be those of the serial run (the same rows of `smallest`).
    methods = ("hungarian", "scipy", "gale_shapley", "match_hungarian")
    args = ["--stages", "solve,match", "--cases", "cohort,forbidden", "--no-plot"]
    args += ["--methods", ",".join(methods), "--executor", "processes:2"]
    pooled, printed = _run(bench, tmp_path, args)
    serial = [
        r
        for r in smallest[0]
        if r["method"] in methods
        and r["stage"] in ("solve", "match")
        and r["case"] in ("cohort", "forbidden")
    ]
    quality = ("stage", "case", "n", "method", "status", "pairs", "total", "worst", "blocking")
    assert len(pooled) >= 7
    assert [[r[c] for c in quality] for r in pooled] == [[r[c] for c in quality] for r in serial]
    assert "side by side on processes:2" in printed


@pytest.mark.parametrize("spec", ["threads:2", "processes:0", "dask:"])
def test_a_bad_executor_is_a_usage_error(bench: ModuleType, spec: str) -> None:
    with pytest.raises(SystemExit) as stopped, contextlib.redirect_stderr(io.StringIO()):
        bench.parse(["--executor", spec])
    assert stopped.value.code == 2
