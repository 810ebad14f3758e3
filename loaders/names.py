"""Table and column names: how a file, sheet or header is matched to the schema.

Pure functions of the schema, with no dependency on how files are read, so that both
:mod:`loaders.reading` (which names a one-sheet workbook after its file) and
:mod:`loaders.headers` (which matches headers to properties) can use them.
"""

from __future__ import annotations

import re
import unicodedata

from wushe.graph.schema import SCHEMA, NodeLabel, Prop, RelType

__all__ = [
    "FROM_ZH",
    "TO_ZH",
    "column_key",
    "columns_of",
    "display",
    "expected_tables",
    "prop_of",
    "table_key",
    "table_names",
]

FROM_ZH = "起点编号"
TO_ZH = "终点编号"
_KEY_DROP = re.compile(r"[\s\ufeff/_、\-()]")


def table_key(name: str) -> str:
    """Comparison key of a table or column name: NFKC, no spaces/BOM/``/_、-()``, lower case.

    Examples
    --------
    >>> table_key("﻿ 社工站/服务中心 ") == table_key("社工站_服务中心")
    True
    >>> table_key("PART_OF"), table_key("县(市、区)")
    ('partof', '县市区')
    """
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", name)).lower()


def column_key(name: str) -> str:
    """Comparison key of a header: NFKC, no whitespace or BOM, lower case.

    Examples
    --------
    >>> column_key("\\ufeff 登记(备案)日期\\u3000") == column_key("登记(备案)日期")
    True
    """
    return re.sub(r"[\s\ufeff]", "", unicodedata.normalize("NFKC", name)).lower()


def _build_table_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for item in (*SCHEMA.nodes, *SCHEMA.rels):
        for alias in (item.name, item.zh):
            key = table_key(alias)
            if out.get(key, item.name) != item.name:
                raise ValueError(f"table name {alias} is ambiguous")
            out[key] = item.name
    return out


_TABLES = _build_table_index()


def table_names() -> dict[str, str]:
    """Map of table-name key (see :func:`table_key`) to schema name."""
    return dict(_TABLES)


def prop_of(item: NodeLabel | RelType, name: str) -> Prop:
    """The property ``name`` of ``item``; ``from``/``to`` are required STRING relationship ends.

    Examples
    --------
    >>> prop_of(SCHEMA.rel("PART_OF"), "to").zh
    '终点编号'
    """
    if name in ("from", "to") and isinstance(item, RelType):
        return Prop(name, "STRING", FROM_ZH if name == "from" else TO_ZH, name, required=True)
    return item.prop(name)


def columns_of(item: NodeLabel | RelType) -> dict[str, Prop]:
    """Header key (see :func:`column_key`) -> Prop for a table, English and Chinese names."""
    props = (list(item.all_props) if isinstance(item, NodeLabel)
             else [prop_of(item, "from"), prop_of(item, "to"), *item.props])
    out: dict[str, Prop] = {}
    for p in props:
        for alias in (p.name, p.zh):
            out[column_key(alias)] = p
    return out


def display(p: Prop) -> str:
    """How messages name a column: ``name (中文名)``."""
    return f"{p.name} ({p.zh})"


def expected_tables() -> str:
    """Every table name a file or sheet may have, for messages."""
    return ", ".join(f"{i.name} ({i.zh.replace('/', '_')})"
                     for i in (*SCHEMA.nodes, *SCHEMA.rels))
