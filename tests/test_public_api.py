"""The public contract: every exported name exists, is documented with an example,
and importing the package has no side effects."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings
from types import ModuleType

import pytest

import mentormatch as mm
from mentormatch import analysis, criteria, metrics, plot, report, solvers

MODULES: list[ModuleType] = [mm, solvers, criteria, metrics, analysis, plot, report]


def public_names() -> list[tuple[str, object]]:
    out = []
    for module in MODULES:
        for name in module.__all__:
            out.append((f"{module.__name__}.{name}", getattr(module, name, None)))
    return out


@pytest.mark.parametrize(("name", "obj"), public_names(), ids=[n for n, _ in public_names()])
def test_public_name_exists_and_has_numpydoc_with_example(name: str, obj: object) -> None:
    assert obj is not None, f"{name} is in __all__ but does not exist"
    if isinstance(obj, ModuleType) or not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return  # modules are documented by their own names; constants have no docstring
    doc = inspect.getdoc(obj) or ""
    summary = doc.splitlines()[0] if doc else ""
    assert summary.endswith("."), f"{name}: first line should be a one-line summary"
    assert "Examples\n--------" in doc, f"{name}: no Examples section"
    assert ">>>" in doc, f"{name}: the example has no code"


def test_all_is_sorted_and_unique() -> None:
    for module in MODULES:
        assert sorted(module.__all__) == list(module.__all__), module.__name__
        assert len(set(module.__all__)) == len(module.__all__)


def test_errors_are_value_errors() -> None:
    for error in (mm.InvalidInputError, mm.InfeasibleError, mm.MissingFileError):
        assert issubclass(error, mm.MentorMatchError)
        assert issubclass(error, ValueError)


def test_import_changes_no_warning_filters_and_warns_nothing() -> None:
    # numpy and pandas add filters of their own; mentormatch must add none.
    code = (
        "import warnings, numpy, scipy.optimize, scipy.sparse.csgraph, pandas, networkx; "
        "before = list(warnings.filters); "
        "import mentormatch, sys; assert warnings.filters == before, 'filters changed'; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


def test_version_matches_package_metadata() -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        assert version("mentormatch-pairing") == mm.__version__
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        pytest.skip("package not installed")


def test_no_warnings_from_a_whole_run() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = mm.Scorer().score(mm.make_cohort(6, 6, rng=0))
        for method in ("hungarian", "stable", "maxmin"):
            mm.match(scores, method=method).summary()
