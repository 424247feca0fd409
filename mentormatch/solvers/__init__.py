"""The array layer: pairing solvers and their checkers, on plain numpy arrays.

If you do not care which algorithm runs, use :func:`mentormatch.match` on
:class:`~mentormatch.Scores` instead; it picks the arrays and labels the result.

Conventions shared by every function here:

* higher is better: ``weights[i, j]`` and ``proposer_utility[i, j]`` are row
  *i*'s value of column *j*; ``receiver_utility[i, j]`` is column *j*'s value
  of row *i* (same shape, no transposes for the caller);
* ``allowed`` is a boolean mask of the same shape, never a magic number;
* capacities are non-negative integers, one per row or column (default 1),
  named after the side they bound: ``row_capacity`` and ``col_capacity``
  beside ``weights`` (the assignment solvers), ``proposer_capacity`` and
  ``receiver_capacity`` beside the two utilities (the stable solvers and
  their checkers);
* results are deterministic: the same input always gives the same output.
  Only :func:`gale_shapley` promises how ties break (towards the lower index
  on both sides); among several optimal assignments of equal weight,
  :func:`hungarian`, :func:`maxmin` and :func:`k_best` return one, with no
  promise which;
* the result is a pair of index arrays ``(rows, cols)`` with ``rows`` sorted.

Which one to choose:

* :func:`hungarian` -- the largest total weight (among matchings that pair
  as many as possible);
* :func:`maxmin` -- the best worst pair first, then the best total;
* :func:`gale_shapley` -- a stable matching, respecting each side's own view;
* :func:`best_stable` -- the stable matching best for a total, the sum of
  ranks or the worst rank; :func:`stable_matchings` lists them all;
* :func:`k_best` -- the best, second-best, ... matchings of :func:`hungarian`;
* :func:`lazy_deferred_acceptance` -- :func:`gale_shapley`'s matching when the
  utilities are too large to hold, scored on demand through a callback, and
  :func:`blocking_in_block` to check it a block of pairs at a time.
"""

from mentormatch.solvers.assignment import hungarian
from mentormatch.solvers.checks import blocking_pairs, is_stable
from mentormatch.solvers.fairness import maxmin
from mentormatch.solvers.kbest import k_best
from mentormatch.solvers.lattice import best_stable, stable_matchings
from mentormatch.solvers.ondemand import (
    blocking_in_block,
    candidates_from_rows,
    dense_candidates,
    lazy_deferred_acceptance,
    matching_standing,
)
from mentormatch.solvers.sparse import SparseAssignment, dual_violations, sparse_assignment
from mentormatch.solvers.stable import gale_shapley

__all__ = [
    "SparseAssignment",
    "best_stable",
    "blocking_in_block",
    "blocking_pairs",
    "candidates_from_rows",
    "dense_candidates",
    "dual_violations",
    "gale_shapley",
    "hungarian",
    "is_stable",
    "k_best",
    "lazy_deferred_acceptance",
    "matching_standing",
    "maxmin",
    "sparse_assignment",
    "stable_matchings",
]
