"""The in-memory form of an import: one DataFrame per node label and per relationship type.

Loaders produce :class:`GraphTables`; stores consume them. Node frames hold ``id`` and the
schema's properties; relationship frames hold ``from``, ``to``, ``from_label``, ``to_label``
and the relationship's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from wushe.graph.schema import SCHEMA, Schema

__all__ = ["GraphTables", "arrow_schema"]

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
