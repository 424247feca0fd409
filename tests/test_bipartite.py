"""Hopcroft-Karp (:mod:`mentormatch.solvers._bipartite`) against scipy's and networkx's.

The size of a maximum matching is unique, so two independent routines must
agree on it; the pairs must be arcs and use each node once. The draws mix
random graphs with the tied shapes of candidate graphs (blocks of rows that
all list the same few columns), where augmenting paths are long.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.sparse.csgraph import maximum_bipartite_matching

from mentormatch.solvers._bipartite import _hopcroft_karp, max_matching
from mentormatch.solvers._numba import compiled
from tests.test_assignment_fuzz import FUZZ_EXAMPLES

Arcs = tuple[int, int, NDArray[np.intp], NDArray[np.intp]]


@st.composite
def st_graph(draw: st.DrawFn) -> Arcs:
    nr, nc = draw(st.integers(0, 30)), draw(st.integers(0, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()) or nr == 0 or nc == 0:
        arcs = rng.random((nr, nc)) < draw(st.sampled_from([0.05, 0.2, 0.6, 1.0]))
    else:  # tied: each row lists the columns of its group, a few groups, some shared
        groups = draw(st.integers(1, 4))
        group_of_row = rng.integers(0, groups, nr)
        columns = rng.random((groups, nc)) < draw(st.sampled_from([0.1, 0.3]))
        arcs = columns[group_of_row] | (rng.random((nr, nc)) < 0.02)
    rows, cols = np.nonzero(arcs)
    order = rng.permutation(len(rows))  # arcs in any order
    return nr, nc, rows[order].astype(np.intp), cols[order].astype(np.intp)


def scipy_size(nr: int, nc: int, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> int:
    if nr == 0 or nc == 0 or len(rows) == 0:
        return 0
    graph = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(nr, nc))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def networkx_size(nr: int, nc: int, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> int:
    """The size of a maximum matching, by networkx (independent of the solvers)."""
    graph = nx.Graph()
    graph.add_nodes_from(("r", i) for i in range(nr))
    graph.add_nodes_from(("c", j) for j in range(nc))
    graph.add_edges_from((("r", int(i)), ("c", int(j))) for i, j in zip(rows, cols, strict=True))
    top = [("r", i) for i in range(nr)]
    return len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=top)) // 2


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st_graph())
def test_a_maximum_matching_of_arcs(graph: Arcs) -> None:
    nr, nc, rows, cols = graph
    mate = max_matching(nr, nc, rows, cols)
    assert mate.shape == (nr,)
    paired = np.flatnonzero(mate >= 0)
    assert len(np.unique(mate[paired])) == len(paired)  # each column once
    arcs = set(zip(rows.tolist(), cols.tolist(), strict=True))
    assert all((int(i), int(mate[i])) in arcs for i in paired)
    assert len(paired) == scipy_size(nr, nc, rows, cols) == networkx_size(nr, nc, rows, cols)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st_graph())
def test_the_matching_depends_on_the_arcs_not_their_order(graph: Arcs) -> None:
    nr, nc, rows, cols = graph
    flipped = max_matching(nr, nc, rows[::-1].copy(), cols[::-1].copy())
    assert np.array_equal(max_matching(nr, nc, rows, cols), flipped)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st_graph())
def test_compiled_and_plain_python_give_the_same_matching(graph: Arcs) -> None:
    loop = compiled(_hopcroft_karp)
    if loop is None:
        pytest.skip("numba is not installed (pip install '.[fast]')")
    nr, nc, rows, cols = graph
    if nr == 0 or nc == 0 or len(rows) == 0:
        return
    order = np.lexsort((cols, rows))
    adj = cols[order].astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=nr)))).astype(np.int64)
    mate = np.full(nr, -1, dtype=np.int64)
    pairs = loop(indptr, adj, mate, np.full(nc, -1, np.int64), *np.empty((4, nr), np.int64))
    plain = [-1] * nr
    plain_pairs = _hopcroft_karp(
        indptr.tolist(), adj.tolist(), plain, [-1] * nc, *([0] * nr for _ in range(4))
    )
    assert pairs == plain_pairs == int((mate >= 0).sum())
    assert mate.tolist() == plain


def test_one_augmenting_path_through_every_row() -> None:
    """Rows 0..n-2 list columns i and i + 1 and the greedy start gives each column i; the
    last row lists column 0 only, so the one augmenting path moves every other row."""
    n = 3_000
    first = np.arange(n - 1)
    rows = np.concatenate([first, first, [n - 1]]).astype(np.intp)
    cols = np.concatenate([first, first + 1, [0]]).astype(np.intp)
    mate = max_matching(n, n, rows, cols)
    assert mate.tolist() == [*range(1, n), 0]
