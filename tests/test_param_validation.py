"""Every public callable checks every documented parameter (scikit-learn's meta-test).

The walk finds each public callable (the functions in the ``__all__`` of
``mentormatch`` and of its public sub-modules, the constructors of the
classes users build, and the public methods of every public class), reads
its numpydoc ``Parameters`` section, and for each parameter makes one valid
call with that parameter replaced by

* a value of the wrong type (a bare ``object()``), and
* an out-of-range value of the right type, chosen from the documented type
  (an unknown option for ``{...}``, ``-1`` for a number or a capacity, a
  matrix holding NaN for a matrix, a mask of the wrong shape, ...),

and expects an :class:`~mentormatch.InvalidInputError` whose message names
the parameter. A parameter with no meaningful out-of-range value (a table, a
Cohort, a flag) is listed in ``NO_RANGE``; a parameter that is not checked by
us on purpose is listed in ``EXEMPT`` with the reason.

A new public callable needs one entry in ``VALID`` (a valid call), or the
walk fails, naming it.
"""

from __future__ import annotations

import inspect
import re
import types
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

import mentormatch as mm
from mentormatch import analysis, criteria, evaluation, metrics, plot, report, solvers
from mentormatch.exceptions import InvalidInputError

matplotlib.use("Agg")

Call = tuple[Callable[..., Any], dict[str, Any]]

# --------------------------------------------------------------------------- valid calls


def _cohort() -> mm.Cohort:
    return mm.make_cohort(4, 4, rng=0, n_preferences=1)


def _scores() -> mm.Scores:
    return mm.Scorer().score(_cohort())


def _block_scorer() -> mm.BlockScorer:
    return mm.BlockScorer(mm.Scorer(), _cohort())


def _certified() -> mm.Matching:
    return mm.match(_scores(), certify=True)


def _certificate() -> mm.Certificate:
    certificate = _certified().certificate
    assert certificate is not None
    return certificate


def _matching() -> mm.Matching:
    return mm.match(_scores())


def _same(call: Callable[[mm.Matching], Call]) -> Call:
    return call(_matching())


def _ratings() -> Any:
    return mm.make_ratings(_matching(), rng=0)


def _evaluation() -> mm.Evaluation:
    return mm.evaluate(_matching(), _ratings(), n_boot=20, rng=0)


W = np.array([[3.0, 1.0, 2.0], [2.0, 3.0, 1.0]])
R = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]])


def _frames() -> dict[str, Any]:
    students, managers = _cohort().to_frames()
    return {"students": students, "managers": managers}


def _tables() -> dict[str, Any]:
    cohort = _cohort()
    return {"students": cohort.students, "managers": cohort.managers}


def _quiet(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with UnreliableFitWarning silenced (the valid calls use a small cohort)."""

    def call(**kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", mm.UnreliableFitWarning)
            return function(**kwargs)

    return call


def _workbooks(tmp: Path) -> tuple[Path, Path]:
    paths = (tmp / "s.xlsx", tmp / "m.xlsx")
    _cohort().to_excel(*paths)
    return paths


def _written(tmp: Path) -> dict[str, Any]:
    paths = {"students_path": tmp / "s.csv", "managers_path": tmp / "m.csv"}
    _cohort().to_csv(paths["students_path"], paths["managers_path"])
    return paths


#: A valid call of each public callable, by qualified name: (callable, keyword arguments).
VALID: dict[str, Callable[[Path], Call]] = {
    # cohorts
    "mentormatch.Cohort": lambda _: (mm.Cohort, _frames()),
    "mentormatch.Cohort.from_frames": lambda _: (mm.Cohort.from_frames, _frames()),
    "mentormatch.Cohort.from_csv": lambda tmp: (mm.Cohort.from_csv, _written(tmp)),
    "mentormatch.Cohort.read": lambda tmp: (
        mm.Cohort.read,
        dict(zip(("students", "managers"), _written(tmp).values(), strict=True)),
    ),
    "mentormatch.Cohort.from_excel": lambda tmp: (
        mm.Cohort.from_excel,
        dict(zip(("students", "managers"), _workbooks(tmp), strict=True)),
    ),
    "mentormatch.Cohort.to_excel": lambda tmp: (
        _cohort().to_excel,
        {"students_path": tmp / "a.xlsx", "managers_path": tmp / "b.xlsx", "force": False},
    ),
    "mentormatch.Matching.to_excel": lambda tmp: (
        _matching().to_excel,
        {"path": tmp / "p.xlsx", "explain": True, "force": False},
    ),
    "mentormatch.Cohort.columns": lambda _: (_cohort().columns, {"side": "students"}),
    "mentormatch.Cohort.column": lambda _: (
        _cohort().column,
        {"side": "students", "name": "id"},
    ),
    "mentormatch.Cohort.without": lambda _: (
        _cohort().without,
        {"students": ["s01"], "managers": ["m01"]},
    ),
    "mentormatch.Cohort.to_frames": lambda _: (_cohort().to_frames, {}),
    "mentormatch.Cohort.check": lambda _: (_cohort().check, {}),
    "mentormatch.Cohort.to_csv": lambda tmp: (
        _cohort().to_csv,
        {"students_path": tmp / "a.csv", "managers_path": tmp / "b.csv"},
    ),
    "mentormatch.make_cohort": lambda _: (
        mm.make_cohort,
        {
            "n_students": 3,
            "n_managers": 3,
            "rng": 0,
            "student_capacity": 1,
            "manager_capacity": (1, 2),
            "n_preferences": 1,
            "avoid_rate": 0.1,
        },
    ),
    # scoring
    "mentormatch.Scorer": lambda _: (
        mm.Scorer,
        {
            "weights": {"programme": 1.0, "interests": 1.0, "diversity": 1.0},
            "preference_bonus": 0.1,
            "min_score": 0.0,
            "share_language": False,
            "dtype": "float64",
        },
    ),
    "mentormatch.Scorer.score": lambda _: (mm.Scorer().score, {"cohort": _cohort()}),
    "mentormatch.BlockScorer": lambda _: (
        mm.BlockScorer,
        {"scorer": mm.Scorer(), "cohort": _cohort()},
    ),
    "mentormatch.BlockScorer.block": lambda _: (
        _block_scorer().block,
        {"students": [0, 3], "managers": [1, 2], "views": True},
    ),
    "mentormatch.BlockScorer.pairs": lambda _: (
        _block_scorer().pairs,
        {"student_idx": [0, 3], "manager_idx": [1, 2], "views": False},
    ),
    "mentormatch.BlockScorer.lazy_scores": lambda _: (_block_scorer().lazy_scores, {}),
    "mentormatch.LazyScores.to_frame": lambda _: (_block_scorer().lazy_scores().to_frame, {}),
    "mentormatch.BlockScorer.bytes_per_pair": lambda _: (
        _block_scorer().bytes_per_pair,
        {"views": False},
    ),
    "mentormatch.Scorer.reweight": lambda _: (
        mm.Scorer().reweight,
        {"scores": _scores(), "weights": {"programme": 1.0}},
    ),
    "mentormatch.Scores.explain": lambda _: (
        _scores().explain,
        {"student_id": "s01", "manager_id": "m01"},
    ),
    "mentormatch.Scores.to_frame": lambda _: (_scores().to_frame, {}),
    "mentormatch.PairExplanation.one_line": lambda _: (
        _scores().explain("s01", "m01").one_line,
        {},
    ),
    "mentormatch.criteria.programme": lambda _: (
        criteria.programme,
        {**_tables(), "partial": 0.5, "neutral": 0.5, "dtype": "float64"},
    ),
    "mentormatch.criteria.interests": lambda _: (
        criteria.interests,
        {**_tables(), "weighting": "idf", "dtype": "float64"},
    ),
    "mentormatch.criteria.diversity": lambda _: (
        criteria.diversity,
        {
            **_tables(),
            "attribute_weights": {"age": 1.0},
            "scales": {"age": 10.0},
            "neutral": 0.5,
            "dtype": "float64",
        },
    ),
    # pairing
    "mentormatch.match": lambda _: (
        mm.match,
        {
            "scores": _scores(),
            "method": "hungarian",
            "proposer": "managers",
            "fixed": [("s01", "m02")],
            "previous": [("s02", "m01")],
            "change_cost": 0.5,
        },
    ),
    "mentormatch.match_large": lambda _: (
        mm.match_large,
        {
            "cohort": mm.make_cohort(5, 4, rng=0),
            "scorer": mm.Scorer(),
            "method": "hungarian",
            "proposer": "students",
            "candidates": 2,
            "fixed": [("s01", "m02")],
            "executor": None,
            "progress": False,
            "memory_limit": "64MB",
        },
    ),
    "mentormatch.Certificate.check": lambda _: (
        _certificate().check,
        {"matching": _certified(), "executor": None},
    ),
    "mentormatch.Matching.diff": lambda _: _same(lambda m: (m.diff, {"other": m})),
    "mentormatch.Matching.what_if": lambda _: (
        _matching().what_if,
        {"force": [("s01", "m01")], "forbid": [("s02", "m02")]},
    ),
    "mentormatch.Matching.why_not": lambda _: (
        _matching().why_not,
        {"student_id": "s01", "manager_id": "m02"},
    ),
    "mentormatch.alternatives": lambda _: (mm.alternatives, {"scores": _scores(), "k": 2}),
    "mentormatch.Matching.blocking_pairs": lambda _: (_matching().blocking_pairs, {}),
    "mentormatch.Matching.summary": lambda _: (_matching().summary, {}),
    "mentormatch.Matching.reasons": lambda _: (_matching().reasons, {}),
    "mentormatch.Matching.to_frame": lambda _: (_matching().to_frame, {"explain": True}),
    "mentormatch.Matching.to_csv": lambda tmp: (
        _matching().to_csv,
        {"path": tmp / "p.csv", "explain": False},
    ),
    # quality and analyses
    "mentormatch.partner_ranks": lambda _: (
        mm.partner_ranks,
        {"matching": _matching(), "side": "managers"},
    ),
    "mentormatch.metrics.summary": lambda _: (metrics.summary, {"matching": _matching()}),
    "mentormatch.compare": lambda _: (
        mm.compare,
        {"scores": _scores(), "methods": ["hungarian", "stable"], "executor": None},
    ),
    "mentormatch.sensitivity": lambda _: (
        mm.sensitivity,
        {
            "cohort": _cohort(),
            "scorer": mm.Scorer(),
            "method": "hungarian",
            "spread": 0.1,
            "n_samples": 2,
            "rng": 0,
            "progress": False,
            "executor": None,
        },
    ),
    "mentormatch.make_ratings": lambda _: (
        mm.make_ratings,
        {
            "matching": _matching(),
            "weights": {"programme": 1.0},
            "noise": 0.5,
            "missing": 0.0,
            "scale": (1, 5),
            "rng": 0,
        },
    ),
    "mentormatch.evaluate": lambda _: (
        mm.evaluate,
        {"matching": _matching(), "ratings": _ratings(), "n_boot": 20, "rng": 0},
    ),
    "mentormatch.Calibration.summary": lambda _: (
        _quiet(mm.calibrate)(
            cohort=_matching().scores.cohort, ratings=_ratings(), folds=2, rng=0
        ).summary,
        {},
    ),
    "mentormatch.Evaluation.table": lambda _: (_evaluation().table, {"rating": "rating"}),
    "mentormatch.calibrate": lambda _: (
        _quiet(mm.calibrate),
        {
            "cohort": _matching().scores.cohort,
            "ratings": _ratings(),
            "scorer": mm.Scorer(),
            "rating": "rating",
            "folds": 2,
            "rng": 0,
        },
    ),
    # the report
    "mentormatch.Matching.to_html": lambda tmp: (
        _matching().to_html,
        {"path": tmp / "r.html", "title": "Pairs", "personal": False, "force": False},
    ),
    "mentormatch.report.render": lambda _: (
        report.render,
        {"matching": _matching(), "title": "Pairs", "personal": True, "methods": ["stable"]},
    ),
    "mentormatch.report.write": lambda tmp: (
        report.write,
        {
            "matching": _matching(),
            "path": tmp / "r.html",
            "title": "Pairs",
            "evaluation": _evaluation(),
            "personal": False,
            "methods": ["hungarian"],
            "force": False,
            "protect": [],
        },
    ),
    # plots
    "mentormatch.plot.score_heatmap": lambda _: (
        plot.score_heatmap,
        {"scores": _scores(), "matching": _matching(), "criterion": "interests"},
    ),
    "mentormatch.plot.score_distribution": lambda _: (
        plot.score_distribution,
        {"matchings": [_matching()]},
    ),
    "mentormatch.plot.rank_histogram": lambda _: (
        plot.rank_histogram,
        {"matching": _matching(), "side": "managers"},
    ),
    "mentormatch.plot.criterion_breakdown": lambda _: (
        plot.criterion_breakdown,
        {"matching": _matching()},
    ),
    "mentormatch.plot.score_vs_rating": lambda _: (
        plot.score_vs_rating,
        {"evaluation": _evaluation(), "rating": "rating", "criterion": "total"},
    ),
    "mentormatch.plot.evaluation_panels": lambda _: (
        plot.evaluation_panels,
        {"evaluation": _evaluation(), "rating": "rating"},
    ),
    # solvers
    "mentormatch.solvers.hungarian": lambda _: (
        solvers.hungarian,
        {"weights": W, "allowed": W > 0, "row_capacity": 1, "col_capacity": [1, 1, 1]},
    ),
    "mentormatch.solvers.maxmin": lambda _: (
        solvers.maxmin,
        {"weights": W, "allowed": W > 0, "row_capacity": 1, "col_capacity": [1, 1, 1]},
    ),
    "mentormatch.solvers.sparse_assignment": lambda _: (
        solvers.sparse_assignment,
        {
            "n_rows": 2,
            "n_cols": 3,
            "rows": [0, 1],
            "cols": [0, 2],
            "weights": [0.5, 0.25],
            "row_capacity": [1, 2],
            "col_capacity": 1,
            "bounds": (0.0, 1.0),
            "start": None,
        },
    ),
    "mentormatch.solvers.dual_violations": lambda _: (
        solvers.dual_violations,
        {
            "weights": W,
            "allowed": W > 0,
            "row_dual": np.ones(W.shape[0]),
            "col_dual": np.zeros(W.shape[1]),
            "offset": 0.0,
            "chosen": np.zeros(W.shape, bool),
            "tol": 0.0,
        },
    ),
    "mentormatch.solvers.k_best": lambda _: (
        solvers.k_best,
        {"weights": W, "k": 2, "allowed": W > 0, "row_capacity": 1, "col_capacity": 1},
    ),
    "mentormatch.solvers.gale_shapley": lambda _: (
        solvers.gale_shapley,
        {
            "proposer_utility": W,
            "receiver_utility": R,
            "allowed": W > 0,
            "proposer_capacity": 1,
            "receiver_capacity": [1, 1, 1],
        },
    ),
    "mentormatch.solvers.stable_matchings": lambda _: (
        solvers.stable_matchings,
        {
            "proposer_utility": W,
            "receiver_utility": R,
            "allowed": W > 0,
            "proposer_capacity": 1,
            "receiver_capacity": 1,
        },
    ),
    "mentormatch.solvers.best_stable": lambda _: (
        solvers.best_stable,
        {
            "proposer_utility": W,
            "receiver_utility": R,
            "objective": "total",
            "weights": W,
            "allowed": W > 0,
            "proposer_capacity": 1,
            "receiver_capacity": 1,
        },
    ),
    "mentormatch.solvers.blocking_pairs": lambda _: (
        solvers.blocking_pairs,
        {
            "rows": [0, 1],
            "cols": [0, 1],
            "proposer_utility": W,
            "receiver_utility": R,
            "allowed": W > 0,
            "proposer_capacity": 1,
            "receiver_capacity": [1, 1, 1],
        },
    ),
    "mentormatch.solvers.lazy_deferred_acceptance": lambda _: (
        solvers.lazy_deferred_acceptance,
        {
            "n_proposers": 2,
            "n_receivers": 3,
            "next_candidates": solvers.dense_candidates(W, R, W > 0),
            "proposer_capacity": 1,
            "receiver_capacity": [1, 1, 1],
            "batch": 2,
            "screen": True,
            "on_round": lambda *_: None,
        },
    ),
    "mentormatch.solvers.candidates_from_rows": lambda _: (
        solvers.candidates_from_rows,
        {"read_rows": lambda index: (W[index], R[index], None), "n_cols": 3, "block_size": 4},
    ),
    "mentormatch.solvers.dense_candidates": lambda _: (
        solvers.dense_candidates,
        {"proposer_utility": W, "receiver_utility": R, "allowed": W > 0},
    ),
    "mentormatch.solvers.matching_standing": lambda _: (
        solvers.matching_standing,
        {
            "rows": [0, 1],
            "cols": [0, 1],
            "proposer_value": [1.0, 2.0],
            "receiver_value": [0.5, 0.25],
            "n_rows": 2,
            "n_cols": 3,
            "proposer_capacity": 1,
            "receiver_capacity": [1, 1, 1],
        },
    ),
    "mentormatch.solvers.blocking_in_block": lambda _: (
        solvers.blocking_in_block,
        {
            "rows": [1],
            "cols": [0, 2],
            "proposer_utility": W[[1]][:, [0, 2]],
            "receiver_utility": R[[1]][:, [0, 2]],
            "matched": np.array([[False, False]]),
            "row_worst": [1.0, np.inf],
            "row_full": np.array([True, False]),
            "col_worst": [0.5, np.inf, np.inf],
            "col_full": np.array([True, False, False]),
            "allowed": np.array([[True, True]]),
            "return_pairs": True,
        },
    ),
    "mentormatch.solvers.is_stable": lambda _: (
        solvers.is_stable,
        {
            "rows": [0, 1],
            "cols": [0, 1],
            "proposer_utility": W,
            "receiver_utility": R,
            "allowed": W > 0,
            "proposer_capacity": 1,
            "receiver_capacity": [1, 1, 1],
        },
    ),
}

#: Classes whose constructor users call (the others are results, made by a function).
BUILT_BY_USERS = {"mentormatch.BlockScorer", "mentormatch.Cohort", "mentormatch.Scorer"}

#: Public callables that only warn and delegate (pytest turns the warning into an error).
DEPRECATED = {"mentormatch.Cohort.table"}

#: Parameters whose values we pass on unchecked, on purpose.
EXEMPT: dict[tuple[str, str], str] = {
    ("mentormatch.compare", "**match_options"): "passed to match, which checks them",
    ("mentormatch.sensitivity", "**match_options"): "passed to match, which checks them",
    ("mentormatch.Matching.to_csv", "**kwargs"): "passed to pandas.DataFrame.to_csv",
}

#: Parameters with a wrong type but no out-of-range value of the right type.
NO_RANGE_TYPES = re.compile(
    r"^(pandas\.DataFrame|Cohort|Scores|Scorer|Matching|Evaluation|bool|matplotlib|"
    r"str or path-like|str, path-like|mapping of str to str|mapping of str to callable|"
    r"mapping of str to mapping|iterable of|sequence of Matching|callable|SparseAssignment|"
    # Scorer's allowed: its shape is checked against the cohort, in Scorer.score.
    r"array-like, pandas\.DataFrame or callable)"
)

#: Out-of-range values by parameter name, where the type alone does not say.
OUT_OF_RANGE_BY_NAME: dict[str, Any] = {
    "value_sep": "",
    "delimiter": "|",
    "bounds": (1.0, 0.0),
    "offset": float("nan"),
}

# --------------------------------------------------------------------------- the walk


def _public_modules() -> list[types.ModuleType]:
    modules = [mm]
    modules += [getattr(mm, n) for n in mm.__all__ if isinstance(getattr(mm, n), types.ModuleType)]
    modules += [analysis, evaluation]
    return [m for m in dict.fromkeys(modules) if getattr(m, "__all__", None)]


def public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every public callable, by the name users reach it under, each once."""
    seen: set[int] = set()
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType) or id(obj) in seen:
                continue
            seen.add(id(obj))
            qualified = f"{module.__name__}.{name}"
            if inspect.isfunction(obj):
                yield qualified, obj
            elif inspect.isclass(obj) and not issubclass(obj, BaseException):
                if qualified in BUILT_BY_USERS:
                    yield qualified, obj
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(value, (classmethod, staticmethod)):
                        value = value.__func__
                    if inspect.isfunction(value) and f"{qualified}.{attr}" not in DEPRECATED:
                        yield f"{qualified}.{attr}", value


def documented(obj: Callable[..., Any]) -> list[tuple[str, str]]:
    """(name, type) of each documented parameter; "a, b : T" gives two."""
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    out = []
    for parameter in doc["Parameters"]:
        for name in parameter.name.split(","):
            out.append((name.strip(), parameter.type))
    return out


CALLABLES = sorted(public_callables())
CASES = [
    (name, parameter, kind)
    for name, obj in CALLABLES
    for parameter, kind in documented(obj)
    if (name, parameter) not in EXEMPT
]


def test_every_public_callable_has_a_valid_call() -> None:
    missing = [name for name, _ in CALLABLES if name not in VALID]
    assert not missing, f"add a valid call to VALID for: {missing}"
    stale = sorted(set(VALID) - {name for name, _ in CALLABLES})
    assert not stale, f"not public (any more): {stale}"


@pytest.mark.parametrize(("name", "obj"), CALLABLES, ids=[n for n, _ in CALLABLES])
def test_documented_parameters_are_the_signature(name: str, obj: Callable[..., Any]) -> None:
    signature = inspect.signature(obj)
    params = [
        ("**" if p.kind is p.VAR_KEYWORD else "*" if p.kind is p.VAR_POSITIONAL else "") + p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls")
    ]
    assert [p for p, _ in documented(obj)] == params


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_valid_call_is_valid(name: str, tmp_path: Path) -> None:
    function, kwargs = VALID[name](tmp_path)
    function(**kwargs)


def out_of_range(parameter: str, kind: str, valid: Any) -> Any:
    """A value of the documented type that no range admits, or None when there is none."""
    if NO_RANGE_TYPES.match(kind):
        return None
    if parameter == "title":  # any text is a title
        return None
    if parameter in OUT_OF_RANGE_BY_NAME:
        return OUT_OF_RANGE_BY_NAME[parameter]
    if kind.startswith("{"):
        return "no-such-option"
    if "mapping of str to float" in kind:
        return {"programme": -1.0}
    if "array-like of bool" in kind:
        return np.ones((7, 7), dtype=bool)
    if "array-like of int" in kind:
        return [-1] * len(valid) if isinstance(valid, list) else -1
    if kind.startswith("array-like"):
        bad = np.array(valid, dtype=float)
        bad.flat[0] = np.nan
        return bad
    if kind.startswith(("int", "float", "(int, int)")):
        return (5, 1) if kind.startswith("(int, int)") else -1
    if kind.startswith("concurrent.futures.Executor"):
        return ThreadPoolExecutor  # the class, not an executor: a slip worth a clear message
    if kind.startswith(("str", "sequence of str", "dtype")):
        return ["no-such-name"] if kind.startswith("sequence") else "no-such-name"
    raise AssertionError(f"no out-of-range value known for the type {kind!r}")


def _expect_named(name: str, parameter: str, tmp_path: Path, value: Any) -> None:
    function, kwargs = VALID[name](tmp_path)
    kwargs[parameter.lstrip("*")] = value
    with pytest.raises(InvalidInputError) as caught:
        function(**kwargs)
    assert f"'{parameter}'" in str(caught.value), str(caught.value)


@pytest.mark.parametrize(("name", "parameter", "kind"), CASES)
def test_a_wrong_type_is_rejected_naming_the_parameter(
    name: str, parameter: str, kind: str, tmp_path: Path
) -> None:
    _expect_named(name, parameter, tmp_path, object())


#: The cases with an out-of-range value (a table, a Cohort, a flag or a title has none).
RANGED = [c for c in CASES if not NO_RANGE_TYPES.match(c[2]) and c[1] != "title"]


@pytest.mark.parametrize(("name", "parameter", "kind"), RANGED)
def test_an_out_of_range_value_is_rejected_naming_the_parameter(
    name: str, parameter: str, kind: str, tmp_path: Path
) -> None:
    probe = tmp_path / "probe"  # the valid call may write files: not where the test writes
    probe.mkdir()
    _, kwargs = VALID[name](probe)
    value = out_of_range(parameter, kind, kwargs.get(parameter))
    assert value is not None
    _expect_named(name, parameter, tmp_path, value)
