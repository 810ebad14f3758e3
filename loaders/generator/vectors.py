"""Vectorised building blocks: Arrow string columns, seeded draws, keyed pools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "Pool", "choice", "date_series", "days", "join", "n_from_scale", "num_ids", "rank_within",
    "row_choice", "strings", "take",
]

_EPOCH = np.datetime64("1970-01-01", "D")


# ---------------------------------------------------------------------------- helpers
def days(date: str) -> int:
    """Days since 1970-01-01 of an ISO date."""
    return int((np.datetime64(date, "D") - _EPOCH).astype(np.int64))


def strings(arr: pa.Array | pa.ChunkedArray) -> pd.Series:
    """An Arrow string array as a pandas ``str`` Series (Arrow-backed, zero copy)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Series(arr.to_pandas(), copy=False)


def date_series(day_numbers: np.ndarray) -> pd.Series:
    """Day numbers as a pandas date32 Series (written as YYYY-MM-DD)."""
    days32 = pa.array(day_numbers.astype(np.int32), pa.date32())
    return pd.Series(pd.arrays.ArrowExtensionArray(days32))


def num_ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` + zero-padded 1..n."""
    nums = pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width, "0"), "")


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of arrays and scalars."""
    return pc.binary_join_element_wise(*parts, "")


def take(values: pa.Array | list[str] | tuple[str, ...], idx: np.ndarray) -> pa.Array:
    """values[idx] as an Arrow string array."""
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), pa.string())
    return pc.take(values, pa.array(idx, pa.int64()))


def choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """n draws of indices from probability vector p."""
    return np.searchsorted(np.cumsum(p), rng.random(n) * p.sum(), side="right").clip(
        0, len(p) - 1)


def row_choice(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1).clip(0, probs.shape[1] - 1)


@dataclass
class Pool:
    """Items grouped by key (CSR): items of key k are vals[starts[k]:starts[k]+counts[k]]."""

    vals: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, keys: np.ndarray, n_keys: int, vals: np.ndarray | None = None) -> Pool:
        order = np.argsort(keys, kind="stable")
        counts = np.bincount(keys, minlength=n_keys).astype(np.int64)
        starts = np.zeros(n_keys, dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        values = order if vals is None else vals[order]
        return cls(values.astype(np.int64), starts, counts)

    def pick(self, rng: np.random.Generator, keys: np.ndarray) -> np.ndarray:
        """One random item per key (with replacement); -1 where the key has none."""
        counts = self.counts[keys]
        off = (rng.random(len(keys)) * counts).astype(np.int64)
        out = np.full(len(keys), -1, dtype=np.int64)
        ok = counts > 0
        out[ok] = self.vals[self.starts[keys[ok]] + off[ok]]
        return out

    def first(self, keys: np.ndarray) -> np.ndarray:
        """The first item of each key; -1 where the key has none."""
        out = np.full(len(keys), -1, dtype=np.int64)
        ok = self.counts[keys] > 0
        out[ok] = self.vals[self.starts[keys[ok]]]
        return out


def rank_within(keys: np.ndarray) -> np.ndarray:
    """0-based position of each row among rows with the same key (keys sorted or not)."""
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    idx = np.arange(len(keys))
    start = np.r_[0, np.flatnonzero(sk[1:] != sk[:-1]) + 1] if len(keys) else np.array([], int)
    first = np.zeros(len(keys), dtype=np.int64)
    first[start] = start
    np.maximum.accumulate(first, out=first)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = idx - first
    return rank

def n_from_scale(rng: np.random.Generator, base: np.ndarray, scale: float) -> np.ndarray:
    """Scale integer counts with stochastic rounding (keeps the expected total exact)."""
    x = base * scale
    return (np.floor(x) + (rng.random(len(base)) < x - np.floor(x))).astype(np.int64)

