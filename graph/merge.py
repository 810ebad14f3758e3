"""The update rule of a load, applied to tables instead of a database.

:meth:`GraphBackend.load` with ``update=True`` changes stored nodes in place. When an
import restates most of the store (a province loaded again), rewriting the database from
the stored tables merged with the import is many times faster than millions of in-place
``SET`` and ``DELETE``: :func:`merge_update` gives those tables, by the same rule —

- a stored node whose id the import gives gets the properties the import gives (the
  others keep their stored values); a new id is added;
- for each relationship type and (from, to) label pair the import gives, the stored
  relationships starting at a node the import describes are dropped, and so is a stored
  one the import lists again from a node it does not describe; the import's are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.tables import GraphTables, text_isin, text_positions

__all__ = ["MergedTables", "merge_update"]


@dataclass
class MergedTables:
    """Arrow tables to write (nodes by label; relationships by type and label pair) and
    what the update changed: stored nodes updated per label, stored relationships
    removed per type."""

    nodes: dict[str, pa.Table] = field(default_factory=dict)
    rels: dict[str, list[tuple[str, str, pa.Table]]] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


def _pair_key(t: pa.Table) -> pa.Array:
    """One text per relationship, ``from`` and ``to`` joined (ids hold no U+001F)."""
    return pc.binary_join_element_wise(t.column("from"), t.column("to"), "\x1f")


def merge_update(base: GraphTables, tables: GraphTables) -> MergedTables:
    """``base`` (the stored graph) updated by ``tables`` (an import), as Arrow tables.

    Examples
    --------
    >>> import pandas as pd
    >>> base = GraphTables(nodes={"City": pd.DataFrame({"id": ["a", "b"],
    ...                                                  "name": ["甲", "乙"]})})
    >>> imp = GraphTables(nodes={"City": pd.DataFrame({"id": ["b", "c"], "name": ["丙", "丁"]})},
    ...                   given={"City": ("id", "name")})
    >>> m = merge_update(base, imp)
    >>> m.nodes["City"].select(["id", "name"]).to_pydict(), m.updated
    ({'id': ['a', 'b', 'c'], 'name': ['甲', '丙', '丁']}, {'City': 1})
    """
    out = MergedTables()
    for label in {*base.nodes, *tables.nodes}:
        stored = base.node_arrow(label) if label in base.nodes else None
        if label not in tables.nodes or not len(tables.nodes[label]):
            if stored is not None:
                out.nodes[label] = stored
            continue
        new = tables.node_arrow(label)
        if stored is None or not len(stored):
            out.nodes[label] = new
            continue
        old = text_isin(new.column("id"), stored.column("id"))
        if not old.any():
            out.nodes[label] = pa.concat_tables([stored, new])
            continue
        out.updated[label] = int(old.sum())
        given = new.filter(pa.array(old))
        pos = text_positions(given.column("id"), stored.column("id"))
        changed = stored.take(pa.array(pos))
        for p in tables.given_props(label):
            if p != "id" and p in changed.column_names:
                i = changed.column_names.index(p)
                changed = changed.set_column(i, changed.field(i), given.column(p))
        keep = stored.filter(pa.array(~text_isin(stored.column("id"), given.column("id"))))
        out.nodes[label] = pa.concat_tables([keep, changed, new.filter(pa.array(~old))])
    for rtype in {*base.rels, *tables.rels}:
        stored_pairs = dict(((a, b), t) for a, b, t in base.rel_arrow_by_pair(rtype)) \
            if rtype in base.rels and len(base.rels[rtype]) else {}
        new_pairs = dict(((a, b), t) for a, b, t in tables.rel_arrow_by_pair(rtype)) \
            if rtype in tables.rels and len(tables.rels[rtype]) else {}
        parts, removed = [], 0
        for a, b in sorted({*stored_pairs, *new_pairs}):
            stored, new = stored_pairs.get((a, b)), new_pairs.get((a, b))
            if new is None:
                parts.append((a, b, stored))
                continue
            if stored is not None and len(stored):
                described = tables.nodes[a]["id"] if a in tables.nodes else []
                drop = text_isin(stored.column("from"), described) | text_isin(
                    _pair_key(stored), _pair_key(new))
                removed += int(drop.sum())
                new = pa.concat_tables([stored.filter(pa.array(~drop)), new])
            parts.append((a, b, new))
        out.rels[rtype] = [(a, b, t) for a, b, t in parts if len(t)]
        if removed:
            out.removed[rtype] = removed
    return out

