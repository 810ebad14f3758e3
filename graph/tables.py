"""The in-memory form of an import: one DataFrame per node label and per relationship type.

Loaders produce :class:`GraphTables`; stores consume them. Node frames hold ``id`` and the
schema's properties; relationship frames hold ``from``, ``to``, ``from_label``, ``to_label``
and the relationship's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.schema import SCHEMA, Schema

__all__ = ["GraphTables", "arrow_schema", "sorted_unique_text", "text_isin", "text_positions"]

_ARROW = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "BOOL": pa.bool_(),
}


def arrow_schema(name: str, schema: Schema = SCHEMA, *, with_labels: bool = False) -> pa.Schema:
    """Arrow schema of the table for node label or relationship type ``name``."""
    if name in schema.node_names:
        props = schema.node(name).all_props
        return pa.schema([(p.name, _ARROW[p.type]) for p in props])
    rel = schema.rel(name)
    ends = [("from", pa.string()), ("to", pa.string())]
    if with_labels:
        ends += [("from_label", pa.string()), ("to_label", pa.string())]
    return pa.schema(ends + [(p.name, _ARROW[p.type]) for p in rel.props])


@dataclass
class GraphTables:
    """Validated, normalised tables ready for a store's bulk load."""

    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    rels: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Properties the source actually gave, per node label or relationship type (an
    #: update load changes only these on stored nodes); a table not listed gave them all.
    given: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per label and relationship type, in schema order."""
        out = {k: len(v) for k, v in self.nodes.items()}
        out.update({k: len(v) for k, v in self.rels.items()})
        return out

    @property
    def total_nodes(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def total_rels(self) -> int:
        return sum(len(v) for v in self.rels.values())

    def given_props(self, name: str) -> tuple[str, ...]:
        """Properties of table ``name`` that the source gave (all of them when unknown)."""
        if name in self.given:
            return self.given[name]
        return tuple(f.name for f in arrow_schema(name) if f.name not in ("from", "to"))

    def node_arrow(self, label: str) -> pa.Table:
        """The node table as Arrow, columns in schema order with schema types."""
        return _to_arrow(self.nodes[label], arrow_schema(label))

    def rel_arrow_by_pair(self, rtype: str) -> list[tuple[str, str, pa.Table]]:
        """The relationship table split by (from_label, to_label), as Arrow tables."""
        sch = arrow_schema(rtype)
        df = self.rels[rtype]
        out = []
        for (a, b), part in df.groupby(["from_label", "to_label"], sort=True):
            out.append((a, b, _to_arrow(part, sch)))
        return out


def _to_arrow(df: pd.DataFrame, sch: pa.Schema) -> pa.Table:
    """``df`` as Arrow with ``sch``'s columns; columns the frame lacks are all null."""
    n = len(df)
    cols = [pa.Array.from_pandas(df[f.name], type=f.type) if f.name in df.columns
            else pa.nulls(n, f.type) for f in sch]
    return pa.Table.from_arrays(cols, schema=sch)


def _text(values: object) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values.cast(pa.string())
    if isinstance(values, pd.Series | pd.Index) and values.dtype != object:
        return pa.array(values).cast(pa.string())  # Arrow-backed text: no copy
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def _one(values: object) -> pa.Array:
    arr = _text(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def text_isin(values: object, value_set: object) -> np.ndarray:
    """``values.isin(value_set)`` for ids and other text, by Arrow's hash lookup.

    pandas' ``isin`` on Arrow-backed text turns each element of ``value_set`` into a Python
    scalar first: minutes for the millions of ids of a province. Missing values are never in.

    Examples
    --------
    >>> text_isin(pd.Series(["a", "b", None]), ["b", "c"]).tolist()
    [False, True, False]
    """
    found = pc.is_in(_one(values), value_set=_one(value_set))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def text_positions(values: object, value_set: object) -> np.ndarray:
    """Position of each of ``values`` in ``value_set`` (unique), -1 where absent.

    Examples
    --------
    >>> text_positions(["b", "x", None], pd.Index(["a", "b"])).tolist()
    [1, -1, -1]
    """
    found = pc.index_in(_one(values), value_set=_one(value_set))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def sorted_unique_text(values: object) -> list[str]:
    """The distinct non-missing texts of ``values``, sorted (Arrow, not Python, sorts).

    Examples
    --------
    >>> sorted_unique_text(pd.Series(["b", "a", "b", None]))
    ['a', 'b']
    """
    u = pc.unique(_one(values)).drop_null()
    return u.take(pc.sort_indices(u)).to_pylist()
