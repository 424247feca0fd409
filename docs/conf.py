"""Sphinx configuration of the mentormatch documentation.

Build it with warnings as errors (as CI does)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The site is written in Markdown (MyST); every ``>>>`` example in it is also
a doctest that ``pytest`` runs. No extension here needs the network.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import mentormatch

project = "mentormatch"
author = "The mentormatch team"
copyright = "the mentormatch team"
version = release = mentormatch.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",  # the browser loads MathJax when the page is viewed; builds need no network
    "matplotlib.sphinxext.plot_directive",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: $...$ and $$...$$ maths (docs/scoring.md), ::: fences, and ids on
# headings so that pages can link to each other's sections.
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# API pages are generated from the docstrings at every build, into
# docs/api/generated/ (emptied first; not for committing).
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # numpydoc's "Parameters" already give the types
autodoc_member_order = "bysource"

# numpydoc renders our docstrings; autosummary (with the templates in
# _templates/autosummary) lists the members, so numpydoc need not.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# numpydoc checks every documented object as the build runs (a failed check is a
# warning, so -W fails the build). Left out, as house style: GL01/GL02 (our summaries
# start on the docstring's first line), SS05 (summaries may start "Build", "Score"),
# ES01 and SA01 (an extended summary and See Also are optional), PR07 and RT03 (a
# parameter or return whose type says it all needs no sentence: "cohort : Cohort"),
# RT02, YD01, and EX01 (tests/test_public_api.py already requires an example of every
# public function and class; properties and constants need none).
numpydoc_validation_checks = {
    "all", "GL01", "GL02", "SS05", "ES01", "SA01", "PR07", "RT02", "RT03", "YD01", "EX01"
}  # fmt: skip
# Result classes: users get them from a function, their fields are documented as
# Attributes and their constructor is hidden (see _MADE_ELSEWHERE below), so PR01's
# "parameters not documented" does not apply to the class itself (its methods are checked).
numpydoc_validation_exclude = {
    r"^mentormatch\.(Scores|LazyScores|Block|Matching|PairExplanation|Sensitivity|Evaluation|"
    r"Calibration|Certificate|pricing\.Certificate|io\.Table|solvers\.SparseAssignment)$"
}

# Figures of the ``.. plot::`` blocks are drawn at build time from their
# doctest code (which pytest also runs), never stored in the repository.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.figsize": (6.4, 4.0), "figure.autolayout": True}

html_theme = "pydata_sphinx_theme"
html_title = f"mentormatch {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False

_API_PAGE = Path(__file__).with_name("api.md")
_API_STUBS = Path(__file__).with_name("api") / "generated"


def _fresh_api_stubs(app: Any, config: Any) -> None:
    """Drop the generated API stubs, so a name removed from api.md leaves no stale page."""
    shutil.rmtree(_API_STUBS, ignore_errors=True)


def _check_api_page(app: Any) -> None:
    """Warn (so ``-W`` fails the build) when a public name is missing from api.md.

    Public means: in ``mentormatch.__all__``, or in the ``__all__`` of a
    sub-module that ``mentormatch.__all__`` exports (criteria, solvers, ...).
    """
    from types import ModuleType

    from sphinx.util import logging

    text = _API_PAGE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\s*([A-Za-z_][\w.]*)\s*$", text, flags=re.MULTILINE))
    logger = logging.getLogger(__name__)
    modules = [mentormatch]
    for name in mentormatch.__all__:
        value = getattr(mentormatch, name)
        if isinstance(value, ModuleType):
            modules.append(value)
    for module in modules:
        for name in module.__all__:
            if isinstance(getattr(module, name), ModuleType):
                if f"automodule:: {module.__name__}.{name}" not in text:
                    logger.warning("module %s.%s is not in docs/api.md", module.__name__, name)
            elif name not in listed:
                logger.warning(
                    "%s.%s is public (in __all__) but not listed in docs/api.md",
                    module.__name__,
                    name,
                )


#: Classes that users get from a function rather than build: their
#: constructor is an implementation detail, so their pages show no
#: constructor signature. (Cohort is not one: its constructor validates.)
_MADE_ELSEWHERE = {
    "mentormatch.Scores",  # Scorer.score
    "mentormatch.Block",  # BlockScorer.block
    "mentormatch.Matching",  # match
    "mentormatch.PairExplanation",  # Scores.explain
    "mentormatch.Sensitivity",  # sensitivity
    "mentormatch.LazyScores",  # BlockScorer.lazy_scores
    "mentormatch.Certificate",  # match_large, match(certify=True)
    "mentormatch.pricing.Certificate",
    "mentormatch.solvers.SparseAssignment",  # solvers.sparse_assignment
}


def _hide_constructor(
    app: Any, what: str, name: str, obj: Any, options: Any, signature: Any, annotation: Any
) -> tuple[str, str | None] | None:
    if what == "class" and name in _MADE_ELSEWHERE:
        return "", annotation
    return None


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _fresh_api_stubs)
    app.connect("builder-inited", _check_api_page)
    app.connect("autodoc-process-signature", _hide_constructor)
    return {"parallel_read_safe": True}
