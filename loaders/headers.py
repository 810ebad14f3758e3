"""Match raw tables to the schema: table names, header cells, required columns.

Each raw table becomes a :class:`MatchedTable` whose columns are bound to schema properties
(:class:`loaders.cells.Column`), with blank rows dropped and spreadsheet row numbers kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.schema import SCHEMA, NodeLabel, RelType
from wushe.loaders.cells import ID_COLUMNS, Column, nfkc_if_needed
from wushe.loaders.names import (
    column_key,
    columns_of,
    display,
    expected_tables,
    prop_of,
    table_key,
    table_names,
)
from wushe.loaders.problems import Problems
from wushe.loaders.reading import RawTable

__all__ = ["MatchedTable", "match_tables"]


@dataclass
class MatchedTable:
    """A raw table matched to the schema, with its columns resolved and cells stripped."""

    raw: RawTable
    item: NodeLabel | RelType
    cols: dict[str, pd.Series]  # prop name -> stripped text
    original: dict[str, pd.Series]  # prop name -> text as written (for messages)
    rows: np.ndarray
    typed: dict[str, object] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """Where the table came from, as messages show it."""
        return self.raw.source

    def column(self, name: str) -> Column:
        """The column holding property ``name`` (which must be present)."""
        return Column(self.raw.source, prop_of(self.item, name), self.original[name],
                      self.rows, self.cols[name])


def match_tables(raw: list[RawTable], problems: Problems) -> list[MatchedTable]:
    """Resolve table and column names; report unknown/duplicate tables and columns."""
    tables = table_names()
    seen: dict[str, str] = {}
    out: list[MatchedTable] = []
    for r in raw:
        name = tables.get(table_key(r.name))
        if name is None:
            listed = expected_tables()
            problems.one(
                r.source, None, None, r.name,
                f"Unknown table name '{r.name}'. Name each file or sheet after a node label "
                f"or relationship type, in English or Chinese: {listed}.",
                f"未知的表名「{r.name}」。文件名或工作表名应为节点类型或关系类型的英文名或中文名:"
                f"{listed}。",
            )
            continue
        if name in seen:
            zh = (SCHEMA.node(name) if name in SCHEMA.node_names else SCHEMA.rel(name)).zh
            problems.one(
                r.source, None, None, r.name,
                f"Table {name} is given twice: in {seen[name]} and in {r.source}. Put all "
                "its rows in one file or sheet (or remove the older file from the upload).",
                f"表「{zh}」重复出现:{seen[name]} 和 {r.source} 中都有。请把同一类数据放在"
                "一个文件或工作表中(或从上传列表中移除旧文件)。",
            )
            continue
        seen[name] = r.source
        item = SCHEMA.node(name) if name in SCHEMA.node_names else SCHEMA.rel(name)
        t = _match_columns(r, item, problems)
        if t is not None:
            out.append(t)
    return out


def _match_columns(r: RawTable, item: NodeLabel | RelType,
                   problems: Problems) -> MatchedTable | None:
    known = columns_of(item)
    data = r.data
    if not r.headers:
        problems.one(r.source, None, None, None,
                     "The table is empty: the first row must hold the column headers.",
                     "表格为空:第一行应为列名(表头)。")
        return None
    positions: dict[str, int] = {}
    expected = ", ".join(dict.fromkeys(display(p) for p in known.values()))
    # the Chinese message names the columns as the Chinese template does
    expected_zh = "、".join(dict.fromkeys(p.zh for p in known.values()))
    for j, header in enumerate(r.headers):
        if "\n" in header or "\r" in header:
            # In a CSV the break may be an unquoted row end: later rows would shift.
            problems.one(r.source, r.header_row, header, header,
                         "A header cell holds a line break; put each header on one line.",
                         "列名单元格中含有换行;每个列名须写在一行内。")
            continue
        key = column_key(header)
        if not key:
            if j in data.columns and (data[j].astype(str).str.strip() != "").any():
                problems.one(r.source, r.header_row, f"#{j + 1}", "",
                             f"Column {j + 1} has values but no header; expected one of: "
                             f"{expected}.",
                             f"第 {j + 1} 列有数据但没有列名;应为以下之一:{expected_zh}。")
            continue
        prop = known.get(key)
        if prop is None:
            problems.one(r.source, r.header_row, header, header,
                         f"Unknown column for {item.name}; expected: {expected}.",
                         f"{item.zh}表中没有此列;可用的列:{expected_zh}。")
            continue
        if prop.name in positions:
            first = r.headers[positions[prop.name]]
            problems.one(r.source, r.header_row, header, header,
                         f"Duplicate column: '{first}' and '{header}' both give "
                         f"{display(prop)}; keep one.",
                         f"列重复:「{first}」和「{header}」都是「{prop.zh}」;请只保留一列。")
            continue
        positions[prop.name] = j
    for p in dict.fromkeys(known.values()):
        if p.required and p.name not in positions:
            problems.one(r.source, r.header_row, display(p), None,
                         f"Missing required column {display(p)}.",
                         f"缺少必填列「{p.zh}」。")
    original = {name: data[j].fillna("").astype(str) if j in data.columns
                else pd.Series("", index=data.index, dtype=str)
                for name, j in positions.items()}
    cols = {name: s.str.strip() for name, s in original.items()}
    for name in ID_COLUMNS:
        if name in cols:
            cols[name] = nfkc_if_needed(cols[name]).str.strip()
    # Rows whose every cell is blank are not data (spreadsheets leave them at the end).
    rows = r.row_numbers()
    if cols and len(data):
        keep = np.zeros(len(data), dtype=bool)
        for s in cols.values():
            keep |= (s != "").to_numpy()
        if not keep.all():
            cols = {k: v[keep] for k, v in cols.items()}
            original = {k: v[keep] for k, v in original.items()}
            rows = rows[keep]
    _refuse_repeated_header(r, item, positions, original, rows, problems)
    return MatchedTable(r, item, cols, original, rows)


def _refuse_repeated_header(r: RawTable, item: NodeLabel | RelType, positions: dict[str, int],
                            original: dict[str, pd.Series], rows: np.ndarray,
                            problems: Problems) -> None:
    """A data row that repeats the header (two exports pasted together) is not a node."""
    if not positions or not len(rows):
        return
    again = np.ones(len(rows), dtype=bool)
    for name, j in positions.items():
        # the column's header in either language (an English export pasted under a
        # Chinese one repeats the header too)
        prop = prop_of(item, name)
        names = pa.array(sorted({column_key(r.headers[j]), column_key(prop.name),
                                 column_key(prop.zh)}))
        cells = pa.array(original[name][again], type=pa.string())
        # column_key, vectorised: NFKC, no whitespace or BOM, lower case
        keys = pc.utf8_lower(pc.replace_substring_regex(
            pc.utf8_normalize(cells, "NFKC"), r"[\s\x{feff}]", ""))
        hit = pc.is_in(keys, value_set=names).fill_null(False).to_numpy(zero_copy_only=False)
        idx = np.flatnonzero(again)
        again[idx[~hit]] = False
        if not again.any():
            return
    idx = np.flatnonzero(again)
    problems.many(r.source, None, "repeated_header", rows[idx],
                  [", ".join(r.headers[j] for j in positions.values())] * min(len(idx), 200),
                  "This row repeats the header row (were two files pasted together?); delete it.",
                  "该行重复了表头(是否把两个文件拼接在了一起?);请删除该行。")
