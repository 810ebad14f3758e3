"""Column mapping: which register column holds which field.

Headers are recognised from each field's synonyms (:mod:`loaders.registers.kinds`); any
other layout is described by a mapping file (YAML or JSON, reusable) or by the app's mapping
step, which writes the same file::

    tables:
      "志愿者导出*":            # file name, sheet name or file stem; * and ? match anything
        kind: volunteers
        header_row: 3          # optional: the spreadsheet row of the header
        columns:
          姓名: name
          所属组织: teams
          编号: volunteer_no

Columns nobody maps (备注, 序号 …) are listed, never refused.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wushe.graph.errors import Problem, ValidationError
from wushe.loaders.names import table_key
from wushe.loaders.reading import RawTable
from wushe.loaders.registers.header import Framed, frame, header_fields
from wushe.loaders.registers.kinds import KINDS, RegisterKind, kind

__all__ = [
    "ColumnMap",
    "MappingFile",
    "RegisterTable",
    "detect_kind_by_name",
    "dump_mapping",
    "load_mapping",
    "map_table",
    "map_tables",
    "parse_mapping",
]

# Columns that are never data: the row number offices put first.
_IGNORED = {table_key(h) for h in ("序号", "No.", "No", "#", "行号")}
_FUNDING = re.compile(r"^(资助方|资助单位|出资方|资助金额|金额|资助渠道|渠道)(\d+)$")
_FUNDING_PART = {"资助方": "funder", "资助单位": "funder", "出资方": "funder",
                 "资助金额": "amount", "金额": "amount", "资助渠道": "channel", "渠道": "channel"}


@dataclass(frozen=True)
class ColumnMap:
    """One table's mapping as a file gives it: kind, header row, header → field."""

    kind: str
    header_row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MappingFile:
    """A whole mapping file: table pattern → :class:`ColumnMap`."""

    tables: Mapping[str, ColumnMap] = field(default_factory=dict)

    def for_table(self, raw: RawTable) -> ColumnMap | None:
        """The entry whose pattern matches the table's sheet, file or file stem."""
        names = [raw.name, raw.file, Path(raw.file).stem] + ([raw.sheet] if raw.sheet else [])
        for pattern, cm in self.tables.items():
            for n in names:
                if fnmatch.fnmatchcase(n, pattern) or table_key(n) == table_key(pattern):
                    return cm
        return None


@dataclass
class RegisterTable:
    """A register read and mapped: its kind, data rows and which column holds which field.

    ``columns`` maps field name → column position; ``funding`` lists repeated
    (funder, amount, channel) column positions; ``unmapped`` the headers nobody maps.
    """

    framed: Framed
    kind: RegisterKind
    columns: dict[str, int]
    funding: list[tuple[int, int | None, int | None]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.framed.raw.source

    @property
    def data(self) -> pd.DataFrame:
        return self.framed.data

    @property
    def rows(self) -> np.ndarray:
        return self.framed.rows

    def header(self, name: str) -> str:
        """The header as written of field ``name`` (for messages)."""
        return self.framed.headers[self.columns[name]]

    def text(self, name: str) -> pd.Series:
        """The stripped cells of field ``name`` ("" when the field has no column)."""
        if name not in self.columns:
            return pd.Series([""] * len(self.data), dtype="str")
        return self.data[self.columns[name]].astype("str").str.strip()


def _bad(source: str, en: str, zh: str, row: int | None = None, column: str | None = None,
         value: str | None = None) -> Problem:
    return Problem(source, row, column, value, en, zh)


def load_mapping(path: str | Path) -> MappingFile:
    """Read a mapping file (``.yaml``/``.yml`` or ``.json``).

    Raises
    ------
    ValidationError
        When the file is not valid YAML/JSON, or names an unknown kind or field.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix.lower() == ".json":
            doc = json.loads(text)
        else:
            import yaml

            doc = yaml.safe_load(text)
    except Exception as e:  # noqa: BLE001 - any parser error is the user's file
        raise ValidationError([_bad(path.name, f"Cannot read the mapping file: {e}",
                                    f"无法读取映射文件:{e}")]) from None
    return parse_mapping(doc, path.name)


def parse_mapping(doc: Any, source: str = "mapping") -> MappingFile:
    """Check a mapping document (already parsed) and return it as :class:`MappingFile`."""
    problems: list[Problem] = []
    tables = doc.get("tables") if isinstance(doc, dict) else None
    if not isinstance(tables, dict):
        raise ValidationError([_bad(
            source, "A mapping file holds 'tables:' with one entry per file or sheet "
                    "(see docs/registers.md).",
            "映射文件应包含「tables:」,每个文件或工作表一项(见 docs/registers.md)。")])
    out: dict[str, ColumnMap] = {}
    names = ", ".join(k.name for k in KINDS)
    for pattern, entry in tables.items():
        if not isinstance(entry, dict) or "kind" not in entry:
            problems.append(_bad(source, f"Entry '{pattern}' needs 'kind' (one of {names}).",
                                 f"「{pattern}」一项缺少 kind(可选:{names})。"))
            continue
        try:
            k = kind(str(entry["kind"]))
        except KeyError:
            problems.append(_bad(source, f"Unknown kind '{entry['kind']}'; one of {names}.",
                                 f"未知的台账类型「{entry['kind']}」;可选:{names}。",
                                 value=str(entry["kind"])))
            continue
        cols = {str(h): str(f) for h, f in (entry.get("columns") or {}).items()}
        fields = {f.name for f in k.fields}
        for h, f in cols.items():
            if f not in fields:
                problems.append(_bad(
                    source, f"'{h}' maps to unknown field '{f}' of {k.name}; fields: "
                            f"{', '.join(sorted(fields))}.",
                    f"「{h}」映射到 {k.zh} 中不存在的字段「{f}」;可用字段:"
                    f"{'、'.join(sorted(fields))}。", column=h, value=f))
        row = entry.get("header_row")
        out[str(pattern)] = ColumnMap(k.name, int(row) if row is not None else None, cols)
    if problems:
        raise ValidationError(problems)
    return MappingFile(out)


def dump_mapping(tables: Mapping[str, ColumnMap], path: str | Path) -> Path:
    """Write a mapping file (YAML unless ``path`` ends in ``.json``); return the path."""
    path = Path(path)
    doc = {"tables": {p: {"kind": cm.kind,
                          **({"header_row": cm.header_row} if cm.header_row else {}),
                          "columns": dict(cm.columns)} for p, cm in tables.items()}}
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return path


def detect_kind_by_name(raw: RawTable) -> RegisterKind | None:
    """The kind a sheet or file name announces (``志愿者名单.xlsx`` → volunteers)."""
    names = [table_key(n) for n in (raw.name, Path(raw.file).stem, raw.sheet or "") if n]
    best: tuple[int, RegisterKind | None] = (0, None)
    for k in KINDS:
        for syn in (k.zh, k.en, k.name, *k.synonyms):
            key = table_key(syn)
            if key and any(key in n for n in names) and len(key) > best[0]:
                best = (len(key), k)
    return best[1]


def map_table(raw: RawTable, cm: ColumnMap | None = None) -> RegisterTable | Problem:
    """Find the header, the kind and the column of each field of one table.

    Returns a :class:`RegisterTable`, or a :class:`Problem` saying why the table is not a
    recognisable register.
    """
    given = kind(cm.kind) if cm is not None else None
    extra = dict(cm.columns) if cm is not None else None
    framed, k = frame(raw, given, header_row=cm.header_row if cm else None, extra=extra)
    named = detect_kind_by_name(raw)
    if k is None:
        k = named
        if k is not None:
            framed, _ = frame(raw, k)
    if k is None:
        listed = "、".join(f"{kk.zh}({kk.name})" for kk in KINDS)
        return _bad(raw.source,
                    "Cannot tell which register this is: no row among the first ones names "
                    "two known columns. Name the sheet or file after its kind, rename the "
                    f"headers (docs/registers.md) or give a mapping file. Kinds: {listed}.",
                    "无法识别这是哪种台账:前几行中没有一行包含两个以上可识别的列名。请用台账"
                    "类型命名工作表或文件、按 docs/registers.md 修改列名,或提供映射文件。"
                    f"类型:{listed}。")
    index = header_fields(k)
    by_file = {table_key(h): f for h, f in (extra or {}).items()}
    columns: dict[str, int] = {}
    unmapped: list[str] = []
    groups: dict[str, dict[str, int]] = {}
    problems: list[Problem] = []
    for j, h in enumerate(framed.headers):
        key = table_key(h)
        if not key or key in _IGNORED:
            continue
        name = by_file.get(key)
        fld = k.get(name) if name is not None else index.get(key)
        if fld is None:
            m = _FUNDING.match(key)
            if m and k.name == "projects":
                groups.setdefault(m.group(2), {})[_FUNDING_PART[m.group(1)]] = j
            else:
                unmapped.append(h)
            continue
        if fld.name in columns:
            first = framed.headers[columns[fld.name]]
            problems.append(_bad(
                raw.source, f"'{first}' and '{h}' both give {fld.en} ({fld.zh}); keep one or "
                            "map one of them elsewhere with a mapping file.",
                f"「{first}」和「{h}」都对应 {fld.zh};请保留一列,或用映射文件另行指定。",
                row=framed.header_row, column=h, value=h))
            continue
        columns[fld.name] = j
    if problems:
        return problems[0]
    funding = [(g["funder"], g.get("amount"), g.get("channel"))
               for _, g in sorted(groups.items(), key=lambda kv: int(kv[0])) if "funder" in g]
    return RegisterTable(framed, k, columns, funding, unmapped)


def map_tables(raws: list[RawTable], mapping: MappingFile | None = None
               ) -> list[RegisterTable]:
    """Map every table; raise one :class:`ValidationError` listing every table not mapped."""
    out: list[RegisterTable] = []
    problems: list[Problem] = []
    for raw in raws:
        got = map_table(raw, mapping.for_table(raw) if mapping else None)
        if isinstance(got, Problem):
            problems.append(got)
        else:
            out.append(got)
    if problems:
        raise ValidationError(problems)
    return out
