"""Graph helpers shared by the assignment solvers (private).

Both :func:`~mentormatch.solvers.hungarian` and :func:`~mentormatch.solvers.maxmin`
first drop what can never be paired and then need *K*, the largest number of
pairs the allowed pairs and the capacities permit; this module does both.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching, maximum_flow

__all__ = ["max_cardinality", "max_cardinality_of_edges", "usable_pairs"]


def usable_pairs(
    allowed: NDArray[np.bool_] | None,
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Allowed pairs whose row and column have capacity, and capacities clipped to them.

    ``allowed=None`` allows every pair. A capacity beyond the number of possible partners can never be used;
    clipping it changes no solution, and keeps later constructions small.
    """
    n, m = row_capacity.size, col_capacity.size
    ok = np.ones((n, m), np.bool_) if allowed is None else allowed.copy()
    ok &= (row_capacity > 0)[:, None]
    ok &= (col_capacity > 0)[None, :]
    return ok, np.minimum(row_capacity, ok.sum(axis=1)), np.minimum(col_capacity, ok.sum(axis=0))


def max_cardinality(
    allowed: NDArray[np.bool_],
    row_capacity: NDArray[np.int64] | None = None,
    col_capacity: NDArray[np.int64] | None = None,
) -> int:
    """The size of a maximum b-matching of the bipartite graph ``allowed``.

    Each allowed pair is used at most once; row ``i`` is in at most
    ``row_capacity[i]`` pairs and column ``j`` in at most ``col_capacity[j]``
    (``None`` means 1 for every row or column).
    """
    n, m = allowed.shape
    edges, rcap, ccap = usable_pairs(
        allowed,
        np.ones(n, np.int64) if row_capacity is None else row_capacity,
        np.ones(m, np.int64) if col_capacity is None else col_capacity,
    )
    if edges.all() and rcap.max(initial=0) <= 1 and ccap.max(initial=0) <= 1:
        return int(min(n, m))  # a complete bipartite graph
    ei, ej = np.nonzero(edges)
    return max_cardinality_of_edges(ei, ej, rcap, ccap)


def max_cardinality_of_edges(
    ei: NDArray[np.intp],
    ej: NDArray[np.intp],
    row_capacity: NDArray[np.int64],
    col_capacity: NDArray[np.int64],
) -> int:
    """:func:`max_cardinality` of the graph with edges ``(ei[t], ej[t])`` (no edge twice).

    With unit capacities this is Hopcroft-Karp
    (:func:`scipy.sparse.csgraph.maximum_bipartite_matching`); otherwise a
    maximum flow from a source through the rows and columns to a sink
    (:func:`scipy.sparse.csgraph.maximum_flow`, Dinic's method on integer
    capacities). Both terminate by construction; capacities are clipped to
    the degree first, so they fit ``maximum_flow``'s int32.
    """
    n, m = row_capacity.size, col_capacity.size
    if ei.size == 0:
        return 0
    rcap = np.minimum(row_capacity, np.bincount(ei, minlength=n))
    ccap = np.minimum(col_capacity, np.bincount(ej, minlength=m))
    keep = (rcap[ei] > 0) & (ccap[ej] > 0)
    ei, ej = ei[keep], ej[keep]
    if ei.size == 0:
        return 0
    if rcap.max() <= 1 and ccap.max() <= 1:
        graph = csr_array((np.ones(ei.size, np.int8), (ei, ej)), shape=(n, m))
        matched = maximum_bipartite_matching(graph, perm_type="column")
        return int(np.count_nonzero(matched >= 0))

    # Nodes: 0 = source, 1..n = rows, n+1..n+m = columns, n+m+1 = sink.
    rows_with = np.flatnonzero(rcap > 0)
    cols_with = np.flatnonzero(ccap > 0)
    sink = n + m + 1
    tails = np.concatenate([np.zeros(rows_with.size, np.int64), 1 + ei, 1 + n + cols_with])
    heads = np.concatenate([1 + rows_with, 1 + n + ej, np.full(cols_with.size, sink)])
    caps = np.concatenate([rcap[rows_with], np.ones(ei.size, np.int64), ccap[cols_with]])
    network = coo_array(
        (caps.astype(np.int32), (tails, heads)), shape=(sink + 1, sink + 1)
    ).tocsr()
    return int(maximum_flow(network, 0, sink).flow_value)
