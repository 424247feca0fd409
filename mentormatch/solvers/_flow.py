r"""Exact maximum-weight b-matching by successive shortest paths (private).

The problem is a minimum-cost flow on the bipartite network

    source -> row i (capacity r_i) -> column j (capacity 1, allowed pairs only)
    -> sink (capacity c_j),

with cost ``top - w[i, j]`` on the arc from row *i* to column *j*, where
``top`` is the largest allowed weight, so that every cost is non-negative.
Every flow of value *k* costs ``k * top`` minus the weight of its pairs, so a
cheapest flow of value *k* is a heaviest matching of *k* pairs.

Successive shortest paths (Ford & Fulkerson 1962; potentials after Edmonds &
Karp 1972 and Tomizawa 1971) grow the flow one pair at a time along a
cheapest augmenting path in the residual network. After each step the flow
is a cheapest flow of its value; when no augmenting path is left the flow is
maximum, so the result is the heaviest matching among those of maximum size,
the lexicographic optimum that :func:`~mentormatch.solvers.hungarian`
promises.

Why it terminates. Each augmentation adds one pair, so there are at most
``K + 1`` shortest-path searches, *K* being the maximum size. Each search is
Dijkstra's algorithm on ``n + m + 1`` nodes and settles every node at most
once; no step waits for a floating-point comparison to come out a certain
way. Reduced costs are non-negative in exact arithmetic; a rounding error
that makes one slightly negative is clipped at zero, which can only cost a
rounding error in the total, never a loop.

Why it is exact. In exact arithmetic the potentials prove that every flow
along the way is cheapest for its value (no negative cycle in the residual
network). In floating point the potentials are sums of at most ``n + m``
weight differences, so the total is optimal up to rounding of the order of
``(n + m) * eps * (max - min weight)``; no big-M constant and no solver
tolerance enters the weights.

The search is dense and vectorised over columns: settling a row relaxes all
its arcs in one numpy operation. Rows with spare capacity always sit at
distance 0 from the source, so their arcs are relaxed together, and their
contribution is cached per column between searches.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["b_matching"]

_INF = float("inf")


def b_matching(
    w: NDArray[np.float64],
    ok: NDArray[np.bool_],
    rcap: NDArray[np.int64],
    ccap: NDArray[np.int64],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Heaviest b-matching among those of maximum size, by successive shortest paths.

    ``ok`` marks the allowed pairs; ``rcap`` and ``ccap`` are non-negative
    integer capacities. Each allowed pair is used at most once. Returns
    ``(rows, cols)`` in no particular order.
    """
    n, m = w.shape
    if n == 0 or m == 0 or not ok.any():
        return np.empty(0, np.intp), np.empty(0, np.intp)
    top = float(w[ok].max())
    # Arc costs, +inf where no arc: forbidden pairs and, later, pairs in use.
    cost = np.where(ok, top - w, _INF)
    used = np.zeros((n, m), np.bool_)
    row_load = np.zeros(n, np.int64)
    col_load = np.zeros(m, np.int64)
    p_row = np.zeros(n)  # potentials; rows with spare capacity stay at 0
    p_col = np.zeros(m)
    p_sink = 0.0
    rows_of_col: list[list[int]] = [[] for _ in range(m)]
    # The cheapest arc into each column from a row with spare capacity, and
    # that row. Those rows sit at potential 0 and distance 0 in every search,
    # so this is where each search starts; it changes only where a row fills
    # up or one of its arcs is taken.
    free = rcap > 0
    from_free = np.where(free[:, None], cost, _INF)
    entry_row = np.argmin(from_free, axis=0)
    entry_cost = from_free[entry_row, np.arange(m)]
    del from_free

    while free.any():
        # --- Dijkstra from the source over rows, columns and the sink.
        d_row = np.full(n, _INF)
        d_row[free] = 0.0
        came_to_row = np.full(n, -1, np.intp)  # column that reached the row; -1: the source
        came_to_col = entry_row.copy()  # row that reached the column
        d_col = np.maximum(entry_cost - p_col, 0.0)
        open_row = ~free
        open_col = np.ones(m, np.bool_)
        key_row = np.where(open_row, d_row, _INF)
        key_col = d_col.copy()
        d_sink = _INF
        sink_from = -1
        while True:
            i = int(key_row.argmin())
            j = int(key_col.argmin())
            best_row, best_col = float(key_row[i]), float(key_col[j])
            if d_sink <= best_row and d_sink <= best_col:
                break  # the sink is settled (or nothing is left to settle)
            if best_col <= best_row:
                # Settle column j: back along its pairs in use, or on to the sink.
                open_col[j] = False
                key_col[j] = _INF
                dj = best_col
                if col_load[j] < ccap[j]:
                    reach = dj + max(float(p_col[j]) - p_sink, 0.0)
                    if reach < d_sink:
                        d_sink, sink_from = reach, j
                for r in rows_of_col[j]:
                    if open_row[r]:
                        reach = dj + max(p_col[j] - p_row[r] - (top - w[r, j]), 0.0)
                        if reach < d_row[r]:
                            d_row[r] = key_row[r] = reach
                            came_to_row[r] = j
            else:
                # Settle row i: relax its arcs to every open column at once.
                open_row[i] = False
                key_row[i] = _INF
                reach = best_row + np.maximum(cost[i] + p_row[i] - p_col, 0.0)
                better = open_col & (reach < d_col)
                if better.any():
                    d_col[better] = key_col[better] = reach[better]
                    came_to_col[better] = i
        if sink_from < 0:
            break  # no augmenting path: the flow is maximum
        # --- New potentials keep every residual reduced cost non-negative.
        p_row += np.minimum(d_row, d_sink)
        p_col += np.minimum(d_col, d_sink)
        p_sink += d_sink
        # --- Augment along the path, from the sink back to the source.
        j = sink_from
        col_load[j] += 1
        while True:
            i = int(came_to_col[j])
            used[i, j] = True
            cost[i, j] = _INF
            rows_of_col[j].append(i)
            back = int(came_to_row[i])
            if back < 0:
                break
            used[i, back] = False
            cost[i, back] = top - w[i, back]
            rows_of_col[back].remove(i)
            j = back
        # Only the path's first row has spare capacity: update what it feeds.
        row_load[i] += 1
        if row_load[i] == rcap[i]:
            free[i] = False
            stale = np.flatnonzero(entry_row == i)
        else:
            stale = np.array([j]) if entry_row[j] == i else np.empty(0, np.intp)
        if stale.size:
            from_free = np.where(free[:, None], cost[:, stale], _INF)
            entry_row[stale] = np.argmin(from_free, axis=0)
            entry_cost[stale] = from_free[entry_row[stale], np.arange(stale.size)]
    rows, cols = np.nonzero(used)
    return rows.astype(np.intp), cols.astype(np.intp)
