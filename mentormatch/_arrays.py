"""Small array helpers shared by the criteria, the rules and the metrics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Index",
    "PairSet",
    "Pairs",
    "bitsets",
    "codes",
    "common_count",
    "incidence",
    "overlap",
    "paired_overlap",
    "positions",
    "row_blocks",
]


def codes(values: Sequence[Any], vocabulary: dict[Any, int]) -> NDArray[np.intp]:
    """Integer code of each value, growing ``vocabulary`` as new values appear."""
    return np.fromiter(
        (vocabulary.setdefault(v, len(vocabulary)) for v in values),
        dtype=np.intp,
        count=len(values),
    )


def incidence(sets: Sequence[Sequence[Any]], vocabulary: dict[Any, int]) -> NDArray[np.bool_]:
    """A person x item boolean matrix (columns follow ``vocabulary``, filled beforehand)."""
    matrix = np.zeros((len(sets), len(vocabulary)), dtype=np.bool_)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    cols = np.fromiter(
        (vocabulary[item] for items in sets for item in items), dtype=np.intp, count=len(rows)
    )
    matrix[rows, cols] = True
    return matrix


def overlap(
    left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]], dtype: Any = np.float64
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """How many items each set of ``left`` shares with each set of ``right``.

    Returns the ``(len(left), len(right))`` counts and the two sides' set
    sizes, all of ``dtype``: one product of the two incidence matrices, exact
    while a count fits the dtype's integers (2**24 for float32; sets here hold
    a handful of items).
    """
    vocabulary: dict[Any, int] = {}
    for items in (*left, *right):
        codes(items, vocabulary)
    a = incidence(left, vocabulary).astype(dtype)
    b = incidence(right, vocabulary).astype(dtype)
    return a @ b.T, a.sum(1), b.sum(1)


def paired_overlap(
    left: Sequence[Sequence[Any]], right: Sequence[Sequence[Any]]
) -> NDArray[np.int64]:
    """How many items ``left[k]`` shares with ``right[k]``, for each k (aligned pairs)."""
    vocabulary: dict[Any, int] = {}
    for items in (*left, *right):
        codes(items, vocabulary)
    both = incidence(left, vocabulary) & incidence(right, vocabulary)
    counts: NDArray[np.int64] = both.sum(1, dtype=np.int64)
    return counts


def row_blocks(n_rows: int, n_cols: int, size: int = 1 << 16) -> Iterator[slice]:
    """Slices of rows holding about ``size`` entries each (cache-sized work)."""
    step = max(1, size // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


#: Which people of one side: a slice or a 1-d array of integer positions.
Index = slice | NDArray[np.intp]


@dataclass(frozen=True)
class Pairs:
    """Which student-manager pairs to evaluate, for the criteria and the rules.

    Either the grid ``rows x cols`` (a block of shape ``(b, c)``) or, with
    ``aligned=True``, the listed pairs ``(rows[k], cols[k])`` (shape
    ``(k,)``; both then 1-d integer arrays of one length). :meth:`left` and
    :meth:`right` pick per-person values so that they broadcast to that
    shape, so an elementwise formula written once serves both, and gives
    each pair the same bits whichever block or list it is evaluated in.
    """

    rows: Index
    cols: Index
    aligned: bool = False

    def left(self, values: NDArray[Any]) -> NDArray[Any]:
        """Per-student ``values`` (first axis: students), shaped to broadcast."""
        picked = values[self.rows]
        return picked if self.aligned else picked[:, None]

    def right(self, values: NDArray[Any]) -> NDArray[Any]:
        """Per-manager ``values`` (first axis: managers), shaped to broadcast."""
        picked = values[self.cols]
        return picked if self.aligned else picked[None, :]

    def lookup(
        self,
        table: NDArray[Any],
        row_codes: NDArray[np.intp],
        col_codes: NDArray[np.intp] | None = None,
    ) -> NDArray[Any]:
        """``table[row_codes[i], col_codes[j]]`` for every pair (identity when no col_codes)."""
        r = row_codes[self.rows]
        if self.aligned:
            c = self.cols if col_codes is None else col_codes[self.cols]
            out: NDArray[Any] = table[r, c]
            return out
        if col_codes is None and isinstance(self.cols, slice):
            out = table[r, self.cols]
            return out
        c = np.arange(table.shape[1])[self.cols] if col_codes is None else col_codes[self.cols]
        # Whole rows of the table, then columns, when that gathers no more than the block.
        out = table[r][:, c] if table.shape[1] <= len(c) else table[r[:, None], c[None, :]]
        return out

    def shape(self, n_rows: int, n_cols: int) -> tuple[int, ...]:
        """The shape of the evaluated values, for tables of ``n_rows x n_cols``."""
        if self.aligned:
            return (_length(self.rows, n_rows),)
        return (_length(self.rows, n_rows), _length(self.cols, n_cols))


def _length(index: Index, n: int) -> int:
    return len(range(n)[index]) if isinstance(index, slice) else len(index)


def positions(index: Index, n: int) -> NDArray[np.intp]:
    """The positions an index selects, as an array."""
    if isinstance(index, slice):
        return np.arange(*index.indices(n), dtype=np.intp)
    return np.asarray(index, dtype=np.intp)


def bitsets(member: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Each row's set as 64-bit words (bit order does not matter to a popcount)."""
    n, k = member.shape
    words = max(1, -(-k // 64))
    padded = np.zeros((n, words * 64), dtype=np.bool_)
    padded[:, :k] = member
    packed = np.packbits(padded.reshape(n, words, 64), axis=2, bitorder="little")
    return np.ascontiguousarray(packed).view(np.uint64).reshape(n, words)


def common_count(left: NDArray[np.uint64], right: NDArray[np.uint64], dtype: Any) -> NDArray[Any]:
    """How many items two broadcast bitsets (last axis: words) share, as ``dtype``.

    Exact integers (a popcount per word, summed word by word in order).
    """
    inter: NDArray[Any] = np.bitwise_count(left[..., 0] & right[..., 0]).astype(dtype)
    for word in range(1, left.shape[-1]):
        inter += np.bitwise_count(left[..., word] & right[..., word])
    return inter


@dataclass(frozen=True)
class PairSet:
    """Listed pairs of an ``(n_rows, n_cols)`` grid, each with an optional value.

    Stored by row (compressed sparse rows): O(n_rows + listed pairs), however
    large the grid. Used for ``avoid`` lists, a user's forbidden pairs and
    preference bonuses.
    """

    shape: tuple[int, int]
    #: entries of row i are keys[indptr[i]:indptr[i + 1]]
    indptr: NDArray[np.int64]
    #: row * n_cols + col of each listed pair, increasing
    keys: NDArray[np.int64]
    values: NDArray[Any] | None = None

    @classmethod
    def from_pairs(
        cls,
        rows: ArrayLike,
        cols: ArrayLike,
        shape: tuple[int, int],
        values: ArrayLike | None = None,
    ) -> PairSet:
        """The pairs ``(rows[k], cols[k])``; a pair listed twice must not carry values."""
        r = np.asarray(rows, dtype=np.int64).reshape(-1)
        c = np.asarray(cols, dtype=np.int64).reshape(-1)
        keys = r * shape[1] + c
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        vals = None
        if values is not None:
            vals = np.asarray(values)[order]
            if keys.size and bool((keys[1:] == keys[:-1]).any()):
                raise ValueError("a pair listed twice with values")
        else:
            keys = np.unique(keys)
        starts = np.arange(shape[0] + 1, dtype=np.int64) * shape[1]
        indptr = np.searchsorted(keys, starts).astype(np.int64)
        return cls(shape, indptr, keys, vals)

    def __len__(self) -> int:
        return len(self.keys)

    def locate(self, pairs: Pairs) -> tuple[tuple[NDArray[np.intp], ...], NDArray[np.intp]]:
        """Where the listed pairs fall among ``pairs``: (an index into the result, entries)."""
        n_cols = self.shape[1]
        if pairs.aligned:
            r = np.asarray(pairs.rows, dtype=np.int64)
            c = np.asarray(pairs.cols, dtype=np.int64)
            wanted = r * n_cols + c
            at = np.searchsorted(self.keys, wanted)
            at_ok = np.minimum(at, max(len(self.keys) - 1, 0))
            found = (
                (at < len(self.keys)) & (self.keys[at_ok] == wanted)
                if len(self.keys)
                else (np.zeros(len(wanted), dtype=np.bool_))
            )
            k = np.flatnonzero(found)
            return (k,), at[k].astype(np.intp)
        rows = positions(pairs.rows, self.shape[0])
        starts = self.indptr[rows]
        p, entry = _expand(starts, self.indptr[rows + 1] - starts)
        col = self.keys[entry] % n_cols
        if isinstance(pairs.cols, slice):
            start, _, step = pairs.cols.indices(n_cols)
            offset = col - start
            q = offset // step
            keep = (offset % step == 0) & (q >= 0) & (q < _length(pairs.cols, n_cols))
            return (p[keep], q[keep].astype(np.intp)), entry[keep]
        # An array of columns, possibly unsorted and with repeats: every match.
        cols = np.asarray(pairs.cols, dtype=np.int64)
        order = np.argsort(cols, kind="stable")
        lo = np.searchsorted(cols[order], col, side="left")
        hi = np.searchsorted(cols[order], col, side="right")
        which, at = _expand(lo, hi - lo)
        return (p[which], order[at]), entry[which]

    def mask(self, pairs: Pairs, shape: tuple[int, ...]) -> NDArray[np.bool_]:
        """True at the listed pairs among ``pairs`` (an array of ``shape``)."""
        out = np.zeros(shape, dtype=np.bool_)
        where, _ = self.locate(pairs)
        out[where] = True
        return out

    def add_to(self, out: NDArray[Any], pairs: Pairs) -> None:
        """``out += value`` at the listed pairs among ``pairs`` (one value per pair at most)."""
        assert self.values is not None
        where, entry = self.locate(pairs)
        out[where] += self.values[entry]


def _expand(
    starts: NDArray[np.int64], counts: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """For each i, the run ``starts[i], ..., starts[i] + counts[i] - 1``: (i of each, values)."""
    owner = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
    first = np.cumsum(counts) - counts
    step = np.arange(int(counts.sum()), dtype=np.intp) - first[owner]
    return owner, (np.asarray(starts, dtype=np.intp)[owner] + step).astype(np.intp)
