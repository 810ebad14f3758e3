"""Accumulates generated node and relationship frames in schema order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables
from wushe.loaders.generator.vectors import strings

__all__ = ["Builder"]

class Builder:
    """Accumulates node and relationship frames in schema order."""

    def __init__(self) -> None:
        self.nodes: dict[str, pd.DataFrame] = {}
        self.rels: dict[str, list[pd.DataFrame]] = {}

    def node(self, label: str, cols: dict[str, object]) -> None:
        order = [p.name for p in SCHEMA.node(label).all_props if p.name in cols]
        self.nodes[label] = pd.DataFrame({k: cols[k] for k in order})

    def rel(self, rtype: str, from_label: str, to_label: str, src: pa.Array, dst: pa.Array,
            props: dict[str, object] | None = None) -> None:
        n = len(src)
        frame = pd.DataFrame({
            "from": strings(src), "to": strings(dst),
            "from_label": pd.Categorical.from_codes(np.zeros(n, np.int8), [from_label]),
            "to_label": pd.Categorical.from_codes(np.zeros(n, np.int8), [to_label]),
            **(props or {}),
        })
        self.rels.setdefault(rtype, []).append(frame)

    def tables(self) -> GraphTables:
        nodes = {n: self.nodes[n] for n in SCHEMA.node_names if n in self.nodes}
        rels = {}
        for r in SCHEMA.rel_names:
            if r not in self.rels:
                continue
            parts = self.rels[r]
            if len(parts) == 1:
                rels[r] = parts[0]
                continue
            labels_f = sorted({str(p["from_label"].cat.categories[0]) for p in parts})
            labels_t = sorted({str(p["to_label"].cat.categories[0]) for p in parts})
            for p in parts:
                p["from_label"] = p["from_label"].cat.set_categories(labels_f)
                p["to_label"] = p["to_label"].cat.set_categories(labels_t)
            rels[r] = pd.concat(parts, ignore_index=True)
        return GraphTables(nodes=nodes, rels=rels)


