"""Independent brute-force oracles shared by the test modules.

Each oracle enumerates every candidate answer of a small instance and keeps
the best (or the stable) ones by a plain loop written from the definition,
never by calling the library's own solvers or checkers.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

import mentormatch as mm

Pair = tuple[int, int]
# (weights, allowed, row_capacity, col_capacity): one assignment problem.
Problem = tuple[
    NDArray[np.float64],
    NDArray[np.bool_] | None,
    NDArray[np.int64] | None,
    NDArray[np.int64] | None,
]
# (proposer_utility, receiver_utility, allowed, proposer_capacity, receiver_capacity).
Instance = tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.bool_] | None,
    NDArray[np.int64] | None,
    NDArray[np.int64] | None,
]


# --------------------------------------------------------------------------- assignment


def brute_force(
    weights: NDArray[np.float64],
    allowed: NDArray[np.bool_] | None = None,
    row_capacity: NDArray[np.int64] | None = None,
    col_capacity: NDArray[np.int64] | None = None,
) -> tuple[tuple[int, float], tuple[int, float, float]]:
    """Enumerate every b-matching (each pair used at most once).

    Returns the best ``(size, total)`` and the best ``(size, min, total)``,
    each compared lexicographically. The empty matching has min ``inf``.
    """
    n, m = weights.shape
    w = weights.tolist()
    ok = np.ones((n, m), bool) if allowed is None else allowed
    rcap = [1] * n if row_capacity is None else row_capacity.tolist()
    left = [1] * m if col_capacity is None else col_capacity.tolist()
    best_total: tuple[int, float] = (0, 0.0)
    best_fair: tuple[int, float, float] = (0, math.inf, 0.0)

    def visit(i: int, size: int, total: float, low: float) -> None:
        nonlocal best_total, best_fair
        if i == n:
            best_total = max(best_total, (size, total))
            best_fair = max(best_fair, (size, low, total))
            return
        options = [j for j in range(m) if ok[i, j] and left[j] > 0]
        for k in range(min(rcap[i], len(options)) + 1):
            for chosen in itertools.combinations(options, k):
                for j in chosen:
                    left[j] -= 1
                values = [w[i][j] for j in chosen]
                visit(i + 1, size + k, total + sum(values), min([low, *values]))
                for j in chosen:
                    left[j] += 1

    visit(0, 0, 0.0, math.inf)
    return best_total, best_fair


def brute_force_subsets(
    weights: NDArray[np.float64],
    allowed: NDArray[np.bool_] | None,
    row_capacity: NDArray[np.int64] | None,
    col_capacity: NDArray[np.int64] | None,
) -> tuple[tuple[int, float], tuple[int, float, float]]:
    """Best ``(size, total)`` and best ``(size, min, total)`` over every feasible set of pairs.

    Every subset of the allowed pairs is listed at once as a 0/1 matrix; the
    feasible ones respect both capacities. The empty matching has min ``inf``.
    """
    n, m = weights.shape
    ok = np.ones((n, m), bool) if allowed is None else allowed
    rcap = np.ones(n, np.int64) if row_capacity is None else row_capacity
    ccap = np.ones(m, np.int64) if col_capacity is None else col_capacity
    ei, ej = np.nonzero(ok)
    e = ei.size
    assert e <= 20, "the oracle lists 2**e subsets"
    chosen = (np.arange(2**e)[:, None] >> np.arange(e)[None, :]) & 1
    row_load = chosen @ (ei[:, None] == np.arange(n)[None, :])
    col_load = chosen @ (ej[:, None] == np.arange(m)[None, :])
    feasible = (row_load <= rcap).all(axis=1) & (col_load <= ccap).all(axis=1)
    chosen = chosen[feasible].astype(bool)
    values = weights[ei, ej]
    sizes = chosen.sum(axis=1)
    totals = np.array([float(math.fsum(values[c])) for c in chosen])
    lows = np.where(chosen, values[None, :], np.inf).min(axis=1, initial=np.inf)
    k = int(sizes.max())
    at_k = sizes == k
    best_total = float(totals[at_k].max())
    low = float(lows[at_k].max())
    fair_total = float(totals[at_k & (lows == low)].max())
    return (k, best_total), (k, low, fair_total)


def objective(
    weights: NDArray[np.float64], rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> tuple[int, float, float]:
    """``(size, total, min)`` of a matching; the empty matching has min ``inf``."""
    values = weights[rows, cols]
    return values.size, float(values.sum()), float(values.min(initial=math.inf))


def assert_close(total: float, expected: float, weights: NDArray[np.float64]) -> None:
    # Sums taken in different orders differ by rounding.
    spread = float(np.ptp(weights)) if weights.size else 0.0
    scale = (1.0 + spread + float(np.abs(weights).max(initial=0.0))) * max(1, weights.size)
    assert math.isclose(total, expected, rel_tol=1e-9, abs_tol=1e-9 * scale), (total, expected)


def assert_valid_matching(
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    shape: tuple[int, int],
    allowed: NDArray[np.bool_] | None = None,
    row_capacity: NDArray[np.int64] | None = None,
    col_capacity: NDArray[np.int64] | None = None,
) -> None:
    n, m = shape
    assert rows.dtype == np.intp
    assert cols.dtype == np.intp
    assert rows.ndim == cols.ndim == 1
    assert rows.shape == cols.shape
    assert np.all((rows >= 0) & (rows < n))
    assert np.all((cols >= 0) & (cols < m))
    # Sorted by row, then by column, with no pair twice.
    step_r, step_c = np.diff(rows), np.diff(cols)
    assert np.all((step_r > 0) | ((step_r == 0) & (step_c > 0)))
    if allowed is not None:
        assert allowed[rows, cols].all()
    rcap = np.ones(n, np.int64) if row_capacity is None else row_capacity
    ccap = np.ones(m, np.int64) if col_capacity is None else col_capacity
    assert np.all(np.bincount(rows, minlength=n) <= rcap)
    assert np.all(np.bincount(cols, minlength=m) <= ccap)


# --------------------------------------------------------------------------- stable matching


def caps_of(cap: NDArray[np.int64] | None, n: int) -> list[int]:
    """The capacities as a list, one each when ``cap`` is None."""
    return [1] * n if cap is None else [int(c) for c in cap]


def mask_of(allowed: NDArray[np.bool_] | None, shape: tuple[int, int]) -> NDArray[np.bool_]:
    """The allowed mask, every pair allowed when ``allowed`` is None."""
    return np.ones(shape, dtype=bool) if allowed is None else allowed


def brute_blocking(pairs: Sequence[Pair], inst: Instance) -> Iterator[Pair]:
    """Every blocking pair of ``pairs``, by the definition, one pair at a time."""
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    mask = mask_of(allowed, (n, m))
    row_cap, col_cap = caps_of(pcap, n), caps_of(rcap, m)
    partners_of_row: list[list[int]] = [[] for _ in range(n)]
    partners_of_col: list[list[int]] = [[] for _ in range(m)]
    for i, j in pairs:
        partners_of_row[i].append(j)
        partners_of_col[j].append(i)
    taken = set(pairs)
    for i in range(n):
        for j in range(m):
            if not mask[i, j] or (i, j) in taken:
                continue
            row_wants = len(partners_of_row[i]) < row_cap[i] or any(
                pu[i, j] > pu[i, c] for c in partners_of_row[i]
            )
            col_wants = len(partners_of_col[j]) < col_cap[j] or any(
                ru[i, j] > ru[r, j] for r in partners_of_col[j]
            )
            if row_wants and col_wants:
                yield (i, j)


def brute_is_stable(pairs: Sequence[Pair], inst: Instance) -> bool:
    return next(brute_blocking(pairs, inst), None) is None


def all_matchings(inst: Instance) -> Iterator[list[Pair]]:
    """Every set of allowed pairs within the capacities (partial ones included)."""
    pu, _, allowed, pcap, rcap = inst
    n, m = pu.shape
    mask = mask_of(allowed, (n, m))
    row_cap = caps_of(pcap, n)
    col_left = caps_of(rcap, m)
    chosen: list[Pair] = []

    def extend(i: int) -> Iterator[list[Pair]]:
        if i == n:
            yield list(chosen)
            return
        options = [j for j in range(m) if mask[i, j] and col_left[j] > 0]
        for size in range(min(row_cap[i], len(options)) + 1):
            for combo in itertools.combinations(options, size):
                for j in combo:
                    col_left[j] -= 1
                    chosen.append((i, j))
                yield from extend(i + 1)
                for j in combo:
                    col_left[j] += 1
                    chosen.pop()

    yield from extend(0)


def all_stable(inst: Instance) -> list[set[Pair]]:
    return [set(p) for p in all_matchings(inst) if brute_is_stable(p, inst)]


def reference_deferred_acceptance(inst: Instance) -> set[Pair]:
    """Textbook deferred acceptance on fully sorted lists, one free slot at a time."""
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    mask = mask_of(allowed, (n, m))
    row_cap, col_cap = caps_of(pcap, n), caps_of(rcap, m)
    prefs = [
        [j for j in sorted(range(m), key=lambda j: (-pu[i, j], j)) if mask[i, j]] for i in range(n)
    ]
    next_choice = [0] * n
    held: list[list[int]] = [[] for _ in range(m)]
    free_slots = deque(i for i in range(n) for _ in range(row_cap[i]))
    while free_slots:
        i = free_slots.popleft()
        if next_choice[i] == len(prefs[i]):
            continue
        j = prefs[i][next_choice[i]]
        next_choice[i] += 1
        held[j].append(i)
        if len(held[j]) > col_cap[j]:
            worst = min(held[j], key=lambda r: (ru[r, j], -r))
            held[j].remove(worst)
            free_slots.append(worst)
    return {(i, j) for j in range(m) for i in held[j]}


def strict_preferences(inst: Instance) -> Instance:
    """The same market with every tie broken towards the lower index, as ranks.

    Row ``i`` ranks the columns by utility, the lower column first among
    equals; column ``j`` ranks the rows likewise, the lower row first. The
    utilities become ``n_cols - rank`` and ``n_rows - rank``: strict
    preferences that agree with the originals wherever those are strict.
    """
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    strict_pu = np.zeros((n, m))
    strict_ru = np.zeros((n, m))
    for i in range(n):
        for rank, j in enumerate(sorted(range(m), key=lambda j: (-pu[i, j], j))):
            strict_pu[i, j] = m - rank
    for j in range(m):
        for rank, i in enumerate(sorted(range(n), key=lambda i: (-ru[i, j], i))):
            strict_ru[i, j] = n - rank
    return strict_pu, strict_ru, allowed, pcap, rcap


def stable_matchings(inst: Instance) -> list[set[Pair]]:
    """Every stable matching, by enumerating all matchings row by row.

    The same enumeration as :func:`all_matchings`, which drops a partial
    matching as soon as a pair whose both sides can no longer change blocks it:
    row ``i`` once its partners are chosen, column ``j`` once it is full (no
    later row can join it). Every matching that survives is checked in full by
    :func:`brute_is_stable`.
    """
    pu, ru, allowed, pcap, rcap = inst
    n, m = pu.shape
    mask = mask_of(allowed, (n, m))
    row_cap, col_cap = caps_of(pcap, n), caps_of(rcap, m)
    row_sets: list[tuple[int, ...]] = []
    col_sets: list[list[int]] = [[] for _ in range(m)]
    found: list[set[Pair]] = []

    def row_wants(i: int, j: int) -> bool:
        mine = row_sets[i]
        return len(mine) < row_cap[i] or any(pu[i, j] > pu[i, c] for c in mine)

    def full_col_wants(i: int, j: int) -> bool:
        return any(ru[i, j] > ru[r, j] for r in col_sets[j])

    def settled_block(i: int) -> bool:
        mine = row_sets[i]
        for j in range(m):
            full = len(col_sets[j]) == col_cap[j]
            if not mask[i, j] or not full:
                continue
            if j not in mine and row_wants(i, j) and full_col_wants(i, j):
                return True
            if j in mine:
                # Column j has just become full: the earlier rows now face a
                # column that can no longer change.
                for k in range(i):
                    if (
                        mask[k, j]
                        and j not in row_sets[k]
                        and row_wants(k, j)
                        and full_col_wants(k, j)
                    ):
                        return True
        return False

    def extend(i: int) -> None:
        if i == n:
            pairs = [(r, c) for r in range(n) for c in row_sets[r]]
            if brute_is_stable(pairs, inst):
                found.append(set(pairs))
            return
        options = [j for j in range(m) if mask[i, j] and len(col_sets[j]) < col_cap[j]]
        for size in range(min(row_cap[i], len(options)) + 1):
            for combo in itertools.combinations(options, size):
                row_sets.append(combo)
                for j in combo:
                    col_sets[j].append(i)
                if not settled_block(i):
                    extend(i + 1)
                for j in combo:
                    col_sets[j].pop()
                row_sets.pop()

    extend(0)
    return found


def optimal_stable(inst: Instance) -> tuple[set[Pair], set[Pair]]:
    """The rows' and the columns' best stable matchings for the tie-broken preferences.

    Among all stable matchings of :func:`strict_preferences` (by brute
    force), the rows' best is the one in which every row's partners, best
    first, are each at least as good as its partners in any other stable
    matching, rank by rank (a missing partner being the worst); likewise for
    the columns. Two such matchings would give every agent of that side the
    same partners, so there is at most one of each; the theory (Gale &
    Shapley 1962, Roth 1984) says there is one, and the oracle fails loudly
    if not.
    """
    strict = strict_preferences(inst)
    pu, ru = strict[0], strict[1]
    n, m = pu.shape
    stable = stable_matchings(strict)

    def best_for(side: int, size: int, utility: NDArray[np.float64]) -> set[Pair]:
        def ranked(match: set[Pair], agent: int) -> list[float]:
            return sorted((utility[p] for p in match if p[side] == agent), reverse=True)

        def dominates(a: set[Pair], b: set[Pair]) -> bool:
            for agent in range(size):
                mine, theirs = ranked(a, agent), ranked(b, agent)
                if len(mine) < len(theirs) or any(
                    x < y for x, y in zip(mine, theirs, strict=False)
                ):
                    return False
            return True

        best = [s for s in stable if all(dominates(s, other) for other in stable)]
        assert len(best) == 1, f"{len(best)} optimal stable matchings among {len(stable)}"
        return best[0]

    return best_for(0, n, pu), best_for(1, m, ru)


# --------------------------------------------------------------------------- domain (Scores)


def brute_force_best_total(scores: mm.Scores) -> tuple[int, float]:
    """(max pairs, best total among max-size pairings) for one-to-one cohorts."""
    n_s, n_m = scores.shape
    best = (0, 0.0)
    for k in range(min(n_s, n_m), 0, -1):
        for rows in itertools.combinations(range(n_s), k):
            for cols in itertools.permutations(range(n_m), k):
                if all(scores.allowed[r, c] for r, c in zip(rows, cols, strict=True)):
                    total = float(sum(scores.total[r, c] for r, c in zip(rows, cols, strict=True)))
                    best = max(best, (k, total))
        if best[0] == k:
            return best
    return best
