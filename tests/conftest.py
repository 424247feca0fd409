"""Test configuration: hypothesis profiles.

* ``default``: 100 examples a property, for local runs.
* ``ci``: the same, derandomised, so that CI is repeatable (selected when
  ``CI`` is set in the environment).
* ``thorough``: 2,000 examples a property, for a long local check:
  ``HYPOTHESIS_PROFILE=thorough pytest tests``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=2000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)
