"""Read a whole store back as :class:`~graph.tables.GraphTables` (either engine).

Used to write a store out as registers (``wushe export registers``) and to apply a newer
register on top of what is stored. One query per label and per relationship pair, in the
common Cypher both engines accept; labels and types come from the schema, never from users.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.backends.base import GraphBackend
from wushe.graph.schema import SCHEMA, Prop
from wushe.graph.tables import GraphTables

__all__ = ["read_tables"]

# A dump is one long read of everything: no per-query time limit worth having.
_TIMEOUT_S = 24 * 3600.0


def _typed(s: pd.Series, p: Prop) -> object:
    """A column as the validator types it (Int64, float64, date/None, bool/None, str)."""
    if p.type == "INT64":
        return pd.array(pd.to_numeric(s, errors="coerce"), dtype="Float64").astype("Int64")
    if p.type == "DOUBLE":
        return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
    if p.type in ("DATE", "BOOL"):
        return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else v
                         for v in s.tolist()], dtype=object)
    return s.astype("str").where(s.notna(), None) if len(s) else pd.Series([], dtype="str")


def read_tables(backend: GraphBackend) -> GraphTables:
    """Every node and relationship of ``backend`` as tables (empty labels left out).

    Examples
    --------
    See ``tests/test_registers.py``: a store loaded from the sample reads back to the
    tables it was loaded from.
    """
    out = GraphTables()
    for label in SCHEMA.nodes:
        props = label.all_props
        ret = ", ".join(f"n.{p.name} AS {p.name}" for p in props)
        df = backend.run(f"MATCH (n:{label.name}) RETURN {ret} ORDER BY n.id", {},
                         timeout_s=_TIMEOUT_S)
        if df.empty:
            continue
        out.nodes[label.name] = pd.DataFrame(
            {p.name: _typed(df[p.name], p) for p in props}, index=pd.RangeIndex(len(df)))
    for rel in SCHEMA.rels:
        parts = []
        for a, b in rel.pairs:
            ret = "".join(f", r.{p.name} AS {p.name}" for p in rel.props)
            df = backend.run(f"MATCH (x:{a})-[r:{rel.name}]->(y:{b}) "
                             f"RETURN x.id AS `from`, y.id AS `to`{ret} "
                             "ORDER BY `from`, `to`", {}, timeout_s=_TIMEOUT_S)
            if not df.empty:
                parts.append(df.assign(from_label=a, to_label=b))
        if not parts:
            continue
        df = pd.concat(parts, ignore_index=True)
        data: dict[str, object] = {c: df[c].astype("str") for c in
                                   ("from", "to", "from_label", "to_label")}
        data.update({p.name: _typed(df[p.name], p) for p in rel.props})
        out.rels[rel.name] = pd.DataFrame(data, index=pd.RangeIndex(len(df)))
    return out
