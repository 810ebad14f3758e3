"""Titles of the library's result columns and parameters, in Chinese and English.

Queries return short aliases (``community_id``, ``shared_orgs``) and take parameters
(``year_from``); a reader sees titles (社区编号, 共享社会组织数). ``titles.csv`` holds the
aliases that are not schema properties; a schema property is titled as the schema titles
it. Anything else (a variable the researcher named, ``n`` of a node) keeps its name.
"""

from __future__ import annotations

import csv
import functools

import pandas as pd

from wushe.graph.schema import SCHEMA

__all__ = ["title", "titled"]

_FILE = "titles.csv"


@functools.cache
def _titles() -> dict[str, tuple[str, str]]:
    from wushe.queries.registry import QUERY_DIR

    out: dict[str, tuple[str, str]] = {}
    for item in (*SCHEMA.nodes, *SCHEMA.rels):
        for p in (*getattr(item, "all_props", ()), *item.props):
            out.setdefault(p.name, (p.zh, p.en))
    with open(QUERY_DIR / _FILE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["name"]] = (row["zh"], row["en"])  # the file wins (kind: 类型, not 城乡类型)
    return out


def title(name: str, lang: str = "zh") -> str:
    """The title of a result column or parameter ``name`` (``name`` itself when unknown).

    Examples
    --------
    >>> title("shared_orgs"), title("population"), title("population", "en")
    ('共享社会组织数', '常住人口', 'Population')
    >>> title("x")
    'x'
    """
    t = _titles().get(name)
    return name if t is None else t[0 if lang == "zh" else 1]


def titled(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``df`` with titled column headers, and a ``label`` column's labels by name.

    Two columns that would get one title keep their own names (nothing is merged); a
    column of nodes, relationships or lists keeps the name the query gave it.

    Examples
    --------
    >>> titled(pd.DataFrame({"id": ["c1"], "label": ["Community"], "n": [2]})).columns.tolist()
    ['编号', '节点类型', '数量']
    >>> titled(pd.DataFrame({"label": ["Community"]}))["节点类型"].tolist()
    ['社区']
    """
    out = df.copy()
    if "label" in out.columns:
        names = {n.name: (n.zh if lang == "zh" else n.en) for n in SCHEMA.nodes}
        out["label"] = out["label"].map(lambda v: names.get(v, v) if isinstance(v, str) else v)
    # a column of nodes or relationships is a variable the query named (n, r), not a count
    new = [str(c) if _holds_graph(out[c]) else title(str(c), lang) for c in out.columns]
    out.columns = [t if new.count(t) == 1 else str(c) for c, t in zip(out.columns, new,
                                                                      strict=True)]
    return out


def _holds_graph(s: pd.Series) -> bool:
    first = s.dropna().head(1).tolist()
    return bool(first) and isinstance(first[0], dict | list)
