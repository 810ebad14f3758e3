"""Write a graph as registers: one table per register kind, Chinese headers, no id needed.

:func:`write_registers` takes :class:`~graph.tables.GraphTables` (a generated province, or
a store read back) and writes the registers an office keeps: communities with their
division codes, the organization register, rosters, the project ledger … References are
written as people write them — a name, with the township beside it, or ``街道/社区`` when
the name alone is ambiguous, or a code where a name cannot tell things apart — so that
:func:`loaders.registers.read_registers` reads them back to the same graph. Each row also
carries its ``编号`` (our id), which keeps ids stable across a round trip; registers
written by hand leave it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables
from wushe.loaders.registers.kinds import CHANNELS, DIVISIONS, KINDS, Field, RegisterKind

__all__ = ["register_frames", "write_registers"]

_UNSAFE = re.compile(r"[;；、,，\n:：/]")
_LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


def _word(f: Field, value: object) -> str:
    """A schema value as the register word for it (urban → 城镇), else as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if f.role == "authority":
        return _LEVEL_ZH.get(str(value), str(value))
    if f.values:
        for word, v in f.values.items():
            if v == value:
                return word
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


class _Names:
    """How to write a reference to each node so that it reads back to the same node."""

    def __init__(self, t: GraphTables) -> None:
        self.label: dict[str, str] = {}
        self.name: dict[str, str] = {}
        self.key: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        self.up: dict[str, str] = {}
        part = t.rels.get("PART_OF")
        if part is not None:
            self.up = dict(zip(part["from"], part["to"], strict=True))
        counts: dict[str, int] = defaultdict(int)
        pair_counts: dict[tuple[str, str], int] = defaultdict(int)
        for label, df in t.nodes.items():
            names = df["name"] if "name" in df.columns else pd.Series([None] * len(df))
            for i, n in zip(df["id"].tolist(), names.tolist(), strict=True):
                self.label[i] = label
                self.name[i] = "" if n is None or (isinstance(n, float) and pd.isna(n)) else n
        for label in ("Organization", "Foundation"):
            df = t.nodes.get(label)
            if df is None:
                continue
            for col in ("credit_code", "filing_no"):
                if col in df.columns:
                    for i, v in zip(df["id"], df[col], strict=True):
                        if isinstance(v, str) and v and i not in self.key:
                            self.key[i] = v
        vol = t.nodes.get("Volunteer")
        if vol is not None:
            for i, v in zip(vol["id"], vol["volunteer_no"], strict=True):
                if isinstance(v, str) and v:
                    self.key[i] = v
        for rtype in ("BASED_IN", "LOCATED_IN", "LIVES_IN"):
            df = t.rels.get(rtype)
            if df is not None:
                for f, to in zip(df["from"], df["to"], strict=True):
                    self.parent.setdefault(f, to)
        for i, n in self.name.items():
            counts[n] += 1
            pair_counts[(n, self.township_name(i))] += 1
        self._count = counts
        self._pair = pair_counts

    def township_of(self, i: str) -> str:
        """The township a region or located thing lies in ("" if none)."""
        label = self.label.get(i)
        if label == "Township":
            return i
        if label == "Community":
            return self.up.get(i, "")
        p = self.parent.get(i)
        return self.township_of(p) if p else ""

    def township_name(self, i: str) -> str:
        town = self.township_of(i)
        return self.name.get(town, "") if town and town != i else ""

    def ref(self, i: str, *, with_parent: bool = False) -> str:
        """Reference text for node ``i``: its name when that is unambiguous."""
        n = self.name.get(i, "")
        label = self.label.get(i)
        if n and not _UNSAFE.search(n) and label not in ("SocialWorker", "Volunteer", "Need"):
            if self._count[n] == 1:
                return n
            town = self.township_name(i)
            if label == "Community" and town and self._pair[(n, town)] == 1:
                return n if with_parent else f"{town}/{n}"
        key = self.key.get(i)
        return key if key else i


def _rel_targets(t: GraphTables, rtype: str, reverse: bool, own: str, labels: tuple[str, ...]
                 ) -> dict[str, list[dict[str, object]]]:
    """Per owning node id, the relationship rows (other end + props) of ``rtype``."""
    df = t.rels.get(rtype)
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    if df is None or df.empty:
        return out
    own_end, other_end = ("to", "from") if reverse else ("from", "to")
    mask = (df[f"{own_end}_label"] == own) & df[f"{other_end}_label"].isin(labels)
    sub = df[mask]
    props = [p.name for p in SCHEMA.rel(rtype).props]
    for row in sub[[own_end, other_end, *props]].itertuples(index=False, name=None):
        out[row[0]].append({"other": row[1], **dict(zip(props, row[2:], strict=True))})
    return out


def _ends(k: RegisterKind, f: Field) -> tuple[str, ...]:
    """Labels a reference column writes: its own, and Township where a row may be based in
    a township (written in the township column alone)."""
    assert f.ref is not None
    if not f.ref.many and f.ref.parent and (k.label, "Township") in SCHEMA.rel(f.ref.rel).pairs:
        return (*f.ref.labels, "Township")
    return f.ref.labels


def _number(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _kind_frame(k: RegisterKind, t: GraphTables, names: _Names) -> pd.DataFrame | None:
    """One register of kind ``k`` from the graph."""
    nodes = t.nodes.get(k.label)
    if nodes is None or nodes.empty:
        return None
    cols: dict[str, list[str]] = {f.zh: [] for f in k.fields}
    singles = [f for f in k.refs if f.ref is not None and not f.ref.many]
    manys = [f for f in k.refs if f.ref is not None and f.ref.many]
    targets = {f.name: _rel_targets(t, f.ref.rel, f.ref.reverse, k.label, _ends(k, f))
               for f in k.refs if f.ref is not None}
    for rec in nodes.to_dict("records"):
        i = rec["id"]
        single_rows = max([1, *(len(targets[f.name].get(i, ())) for f in singles)])
        for n in range(single_rows):
            row = {f.zh: "" for f in k.fields}
            for f in k.fields:
                if f.prop is not None and f.prop in rec:
                    row[f.zh] = _word(f, rec[f.prop])
                elif f.role == "key" and f.name == "id":
                    row[f.zh] = i
            for f in singles:
                got = targets[f.name].get(i, [])
                if n < len(got):
                    other = got[n]["other"]
                    assert isinstance(other, str)
                    parent = f.ref.parent if f.ref else None
                    if names.label.get(other) == "Township" and "Township" not in f.ref.labels:
                        # based in a township: the township column alone says so
                        if parent:
                            row[k.get(parent).zh] = names.ref(other)
                        continue
                    row[f.zh] = names.ref(other, with_parent=bool(parent))
                    if parent:
                        town = names.township_name(other)
                        if names.label.get(other) == "Township":
                            county = names.up.get(other, "")
                            row[k.get(parent).zh] = names.name.get(county, "")
                        elif town:
                            row[k.get(parent).zh] = town
            for f in manys:
                items = []
                for rel in targets[f.name].get(i, []):
                    other = rel["other"]
                    assert isinstance(other, str) and f.ref is not None
                    text = names.ref(other)
                    if f.ref.funding:
                        ch = next((w for w, v in CHANNELS.items() if v == rel["channel"]),
                                  str(rel["channel"]))
                        text = f"{text}:{_number(rel['amount'])}:{ch}"
                    elif f.ref.item_prop and rel.get(f.ref.item_prop) is not None \
                            and not pd.isna(rel[f.ref.item_prop]):
                        text = f"{text}:{_number(rel[f.ref.item_prop])}"
                    items.append(text)
                row[f.zh] = ";".join(items)
            for key, val in row.items():
                cols[key].append(val)
    return pd.DataFrame(cols)


def _divisions_frame(t: GraphTables, names: _Names) -> pd.DataFrame | None:
    """The division register: one row per community, and per township with none."""
    k = DIVISIONS
    comm = t.nodes.get("Community")
    towns = t.nodes.get("Township")
    if comm is None and towns is None:
        return None
    rows = []
    has_comm: set[str] = set()
    for rec in (comm.to_dict("records") if comm is not None else []):
        town = names.up.get(rec["id"], "")
        has_comm.add(town)
        rows.append(_division_row(k, rec, town, names))
    for rec in (towns.to_dict("records") if towns is not None else []):
        if rec["id"] not in has_comm:
            rows.append(_division_row(k, None, rec["id"], names))
    return pd.DataFrame(rows, columns=[f.zh for f in k.fields])


def _division_row(k: RegisterKind, rec: dict | None, town: str, names: _Names) -> dict:
    county = names.up.get(town, "")
    city = names.up.get(county, "")
    row = {f.zh: "" for f in k.fields}
    row.update({k.get("city").zh: names.name.get(city, ""),
                k.get("county").zh: names.name.get(county, ""),
                k.get("township").zh: names.name.get(town, ""),
                k.get("city_id").zh: city, k.get("county_id").zh: county,
                k.get("township_id").zh: town})
    town_kind = names_kind = ""
    if rec is None:
        row[k.get("code").zh] = ""
    else:
        for f in k.fields:
            if f.prop is not None and f.prop in rec:
                row[f.zh] = _word(f, rec[f.prop])
        row[k.get("id").zh] = rec["id"]
    row[k.get("township_kind").zh] = town_kind or names_kind
    return row


def register_frames(tables: GraphTables) -> Iterator[tuple[RegisterKind, pd.DataFrame]]:
    """Each register kind with rows in ``tables``, as a frame of Chinese-headed text."""
    names = _Names(tables)
    kinds_town = tables.nodes.get("Township")
    town_kind = (dict(zip(kinds_town["id"], kinds_town["kind"], strict=True))
                 if kinds_town is not None else {})
    div = _divisions_frame(tables, names)
    if div is not None:
        f = DIVISIONS.get("township_kind")
        ids = div[DIVISIONS.get("township_id").zh]
        div[f.zh] = [_word(f, town_kind.get(i)) for i in ids]
        yield DIVISIONS, div
    for k in KINDS:
        if k is DIVISIONS:
            continue
        frame = _kind_frame(k, tables, names)
        if frame is not None:
            yield k, frame


def write_registers(tables: GraphTables, out: str | Path, *, fmt: str = "xlsx") -> list[Path]:
    """Write ``tables`` as registers.

    Parameters
    ----------
    tables : GraphTables
        A graph (generated, or read back from a store).
    out : str or Path
        Folder to write into (created if missing).
    fmt : {"xlsx", "csv"}, optional (default="xlsx")
        One workbook ``registers.xlsx`` with a sheet per kind, or one CSV (UTF-8 with BOM,
        as Excel on Chinese Windows expects) per kind named by its Chinese name.

    Returns
    -------
    list of Path
        The files written.
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"fmt must be 'xlsx' or 'csv', not {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frames = register_frames(tables)
    if fmt == "csv":
        written = []
        for k, df in frames:
            path = out / f"{k.zh}.csv"
            df.to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        return written
    path = out / "registers.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for k, df in frames:
            df.to_excel(xw, sheet_name=k.zh, index=False)
    return [path]
