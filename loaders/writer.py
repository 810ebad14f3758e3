"""Write :class:`graph.tables.GraphTables` back out in the import format.

The output reads back with :func:`loaders.read_import` to the same tables (masked names and
hashed values are left as they are: masking and hashing are idempotent).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from wushe.graph.schema import SCHEMA, Prop
from wushe.graph.tables import GraphTables
from wushe.loaders.names import FROM_ZH, TO_ZH

__all__ = ["write_tables", "table_file_name"]


def table_file_name(name: str, lang: str = "en") -> str:
    """File stem / sheet name of a table: the schema name, or its Chinese name.

    Chinese names are made safe for file systems and Excel (``/`` becomes ``_``).

    Examples
    --------
    >>> table_file_name("Station", "zh"), table_file_name("FUNDS")
    ('社工站_服务中心', 'FUNDS')
    """
    if lang != "zh":
        return name
    item = SCHEMA.node(name) if name in SCHEMA.node_names else SCHEMA.rel(name)
    return item.zh.replace("/", "_")


def _columns(name: str) -> list[Prop]:
    if name in SCHEMA.node_names:
        return list(SCHEMA.node(name).all_props)
    return [Prop("from", "STRING", FROM_ZH, "From"), Prop("to", "STRING", TO_ZH, "To"),
            *SCHEMA.rel(name).props]


def _text(df: pd.DataFrame, props: list[Prop], lang: str) -> pd.DataFrame:
    """All-text frame in the import format (ISO dates, true/false, whole numbers)."""
    out = {}
    for p in props:
        s = df[p.name] if p.name in df.columns else pd.Series([None] * len(df), index=df.index)
        null = s.isna().to_numpy()
        if p.type == "BOOL":
            text = s.map({True: "true", False: "false"})
        elif p.type == "DATE":
            text = s.map(lambda v: v.isoformat() if isinstance(v, dt.date) else "")
        elif p.type == "INT64":
            text = s.astype("Int64").astype("str")
        elif p.type == "DOUBLE":
            text = s.astype("float64").astype("str")
        else:
            text = s.astype("str")
        out[p.zh if lang == "zh" else p.name] = text.astype(object).where(~null, "")
    return pd.DataFrame(out, index=df.index)


def write_tables(tables: GraphTables, out_dir: str | Path, *, lang: str = "en",
                 fmt: str = "csv") -> list[Path]:
    """Write ``tables`` in the import format.

    Parameters
    ----------
    tables : GraphTables
        Validated tables (relationship columns ``from_label``/``to_label`` are dropped:
        the import format resolves them from the ids).
    out_dir : str or Path
        Folder to write into (created if missing).
    lang : {"en", "zh"}, optional (default="en")
        Table and column names in English (schema names) or Chinese. Chinese CSVs get a
        UTF-8 BOM so that Excel on Chinese Windows opens them correctly.
    fmt : {"csv", "xlsx"}, optional (default="csv")
        One CSV per table, or one workbook ``import.xlsx`` with a sheet per table.

    Returns
    -------
    list of Path
        The files written.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"fmt must be 'csv' or 'xlsx', not {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # A generator: one table's text copy in memory at a time (the province is 30M rows).
    names = [n for n in SCHEMA.node_names if n in tables.nodes]
    names += [n for n in SCHEMA.rel_names if n in tables.rels]
    frames = ((n, _text((tables.nodes if n in tables.nodes else tables.rels)[n], _columns(n),
                        lang)) for n in names)
    if fmt == "csv":
        written = []
        for name, df in frames:
            path = out_dir / f"{table_file_name(name, lang)}.csv"
            df.to_csv(path, index=False, encoding="utf-8-sig" if lang == "zh" else "utf-8")
            written.append(path)
        return written
    path = out_dir / "import.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in frames:
            df.to_excel(xw, sheet_name=table_file_name(name, lang), index=False)
    return [path]
