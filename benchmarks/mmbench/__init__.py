"""The benchmark suite of mentormatch; ``benchmarks/run.py`` is its entry point.

Modules, lowest first: ``cases`` (the inputs), ``peers`` (every method timed),
``measurement`` (timing, memory, quality, a whole run) and ``report`` (table,
targets, summary, CSV, plot).
"""
