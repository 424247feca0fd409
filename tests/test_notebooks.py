"""The example notebooks run top to bottom, and are kept in git without outputs."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

import mentormatch as mm

# Jupyter warns about its path migration unless told which layout to use.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

WEIGHTS = {"programme": 0.3, "interests": 0.4, "diversity": 0.3}  # as the notebook
NOTEBOOKS = sorted((Path(__file__).parent.parent / "examples").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip outputs before committing"
            assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(o.get("text", "") for o in outputs)
    if path.name == "pairing_quality.ipynb":
        _check_pairing_quality(text, outputs)


def _check_pairing_quality(text: str, outputs: list[Any]) -> None:
    """What the notebook prints agrees with the library, recomputed here."""
    # Every figure is drawn, every table shown.
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2
    assert sum("text/html" in o.get("data", {}) for o in outputs) >= 4
    # The recommendation for the small cohort quotes the comparison's own figures.
    scores = mm.Scorer(weights=WEIGHTS).score(mm.make_cohort(n_students=8, n_managers=8, rng=2026))
    table = mm.compare(scores, methods=["hungarian", "stable", "maxmin"])
    ratios = {
        m: [float(v) for v in table.loc[m, ["total_vs_best", "min_vs_best"]]] for m in table.index
    }
    first = next(line for line in text.splitlines() if line.startswith("Pick "))
    chosen = re.fullmatch(
        r"Pick (\w+): it keeps (\d+)% of the best total score and (\d+)%.*", first
    )
    if chosen is not None:
        method, total, worst = chosen.groups()
        assert int(total) == round(100 * ratios[method][0])
        assert int(worst) == round(100 * ratios[method][1])
        assert ratios[method][0] >= 0.97
        assert ratios[method][1] >= 0.9
    else:
        assert first == "Pick hungarian: the other methods cost too much of the total score."
        assert all(ratios[m][0] < 0.97 or ratios[m][1] < 0.9 for m in ("stable", "maxmin"))
    # The stability printed is the sensitivity analysis of the same cohort.
    robust = mm.sensitivity(
        mm.make_cohort(n_students=8, n_managers=8, rng=2026),
        mm.Scorer(weights=WEIGHTS),
        method="stable",
        spread=0.2,
        n_samples=50,
        rng=0,
        progress=False,
    )
    printed = re.search(r"stability: (\d\.\d\d)", text)
    assert printed is not None
    assert printed.group(1) == f"{robust.stability:.2f}"
