"""From mapped registers to graph-shaped tables: ids, entity merge, references.

Each register row becomes one node of its kind's label (the division register's rows make
City, County, Township and Community at once); rows that describe the same thing — same id,
division code, credit code, filing number, volunteer number or hashed ID number — are one
node (a later row with different attributes is an error naming both). Every reference cell
is resolved through one :class:`~loaders.registers.resolver.Index` of the import's and the
store's entities into a relationship row. The output is the graph-shaped import format
(text cells, our ids) plus, for every output row, the register cell it came from, so that
today's validator checks the cells and its messages point at the register.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wushe.graph.errors import Problem
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables
from wushe.loaders import privacy
from wushe.loaders.problems import MAX_PER_RULE
from wushe.loaders.reading import RawTable
from wushe.loaders.registers.kinds import CHANNELS, DIVISIONS, Field, RegisterKind
from wushe.loaders.registers.mapping import RegisterTable
from wushe.loaders.registers.resolver import (
    Ambiguous,
    Entity,
    Index,
    Miss,
    name_variants,
    normalise,
)

__all__ = ["Built", "Where", "authority_level", "build", "index_tables", "isin_set", "split_items"]

_SPLIT = re.compile(r"\s*[;；、,，\n]\s*")
_DIGITS = re.compile(r"^\d+$")
_CODE_PROPS = ("credit_code", "filing_no", "volunteer_no")
_SENSITIVE = ("id_number", "phone")


@dataclass
class Where:
    """Where each row of one graph-shaped table came from (register, row, column)."""

    sources: np.ndarray  # object: register source per row
    rows: np.ndarray  # int: spreadsheet row per row
    headers: np.ndarray  # object: header of the reference cell (relationships) or None
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # source → prop → header


@dataclass
class Built:
    """Graph-shaped raw tables, their origins, and the problems found on the way."""

    raws: list[RawTable]
    where: dict[str, Where]
    problems: list[Problem]
    kinds: list[RegisterKind]
    ids: dict[str, set[str]] = field(default_factory=dict)  # label → ids this import makes


def split_items(cell: str) -> list[str]:
    """Items of a list cell (``;`` ``；`` ``、`` ``,`` ``，`` or new lines between them).

    Examples
    --------
    >>> split_items("福亭社区;兴岙社区、 柳溪社区")
    ['福亭社区', '兴岙社区', '柳溪社区']
    """
    return [p for p in _SPLIT.split(cell.strip()) if p]


def _nfkc(s: pd.Series) -> pd.Series:
    """NFKC and strip; only the non-ASCII cells need the Python call."""
    s = s.astype("str")
    ascii_ = s.str.isascii().fillna(True).to_numpy(dtype=bool)
    if ascii_.all():
        return s.str.strip()
    out = s.to_numpy(dtype=object).copy()
    out[~ascii_] = [unicodedata.normalize("NFKC", v) for v in out[~ascii_].tolist()]
    return pd.Series(out, index=s.index, dtype="str").str.strip()


def _with_prefix(v: pd.Series, prefix: str) -> pd.Series:
    """``prefix-value`` unless the value already starts so ("" stays "")."""
    v = v.astype("str")
    has = v.str.startswith(prefix + "-").fillna(False).to_numpy(dtype=bool)
    out = np.where(has | (v == "").to_numpy(), v.to_numpy(dtype=object),
                   (prefix + "-" + v).to_numpy(dtype=object))
    return pd.Series(out, index=v.index, dtype="str")


def isin_set(s: pd.Series, values: object) -> np.ndarray:
    """``s.isin(values)`` through a hash set: pandas' Arrow-string isin builds one Arrow
    scalar per value and takes minutes on a province."""
    wanted = set(np.asarray(values, dtype=object).tolist())
    return np.fromiter((v in wanted for v in s.to_numpy(dtype=object).tolist()), dtype=bool,
                       count=len(s))


def _joined(parts: list[pd.Series], sep: str = "\x1f") -> pd.Series:
    """Row-wise join of text columns, vectorised."""
    out = parts[0].astype("str").reset_index(drop=True)
    for p in parts[1:]:
        out = out + sep + p.astype("str").reset_index(drop=True)
    return out


def _h(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


class _Collector:
    """Located problems, at most MAX_PER_RULE per (source, column, rule)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._n: dict[tuple[str, str, str], int] = {}

    def add(self, rule: str, source: str, row: int | None, column: str | None,
            value: str | None, en: str, zh: str) -> None:
        key = (source, column or "", rule)
        self._n[key] = self._n.get(key, 0) + 1
        if self._n[key] <= MAX_PER_RULE:
            self.items.append(Problem(source, row, column, value, en, zh))

    def finish(self) -> list[Problem]:
        for (source, column, rule), n in self._n.items():
            if n > MAX_PER_RULE:
                self.items.append(Problem(
                    source, None, column or None, None,
                    f"... and {n - MAX_PER_RULE} more rows with the same problem ({rule}).",
                    f"……另有 {n - MAX_PER_RULE} 行存在同类问题({rule})。"))
        return self.items


# -- nodes -----------------------------------------------------------------------------

def _schema_props(k: RegisterKind) -> dict[str, Field]:
    """Fields that fill a property the schema has (others are recognised, not stored)."""
    have = {p.name for p in SCHEMA.node(k.label).props}
    return {f.prop: f for f in k.fields if f.prop is not None and f.prop in have}


_LEVEL_WORDS = {"省级": "province", "省": "province", "市级": "city", "市": "city",
                "县级": "county", "区": "county", "县": "county", "乡镇级": "township",
                "街道": "township", "镇": "township", "乡": "township"}
_OFFICE = re.compile(r"(民政厅|民政局|民政部门|民政办|社会事务办公室|社会事务办|人民政府|办事处|"
                     r"\(备案\)|(备案))$")


def authority_level(text: str) -> str:
    """Level of a registration authority (登记管理机关) from its name.

    Examples
    --------
    >>> [authority_level(t) for t in ("浙江省民政厅", "杭州市民政局", "西湖区民政局",
    ...                               "北山街道办事处", "county", "")]
    ['province', 'city', 'county', 'township', 'county', '']
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or t in ("province", "city", "county", "township"):
        return t
    if t in _LEVEL_WORDS:
        return _LEVEL_WORDS[t]
    stem = _OFFICE.sub("", t)
    for end, level in (("街道", "township"), ("镇", "township"), ("乡", "township"),
                       ("区", "county"), ("县", "county"), ("市", "city"), ("省", "province")):
        if stem.endswith(end):
            return level
    return t  # not a level: the cell check reports it with the accepted values


def _mapped_values(t: RegisterTable, f: Field, label: str, out: _Collector) -> pd.Series:
    """The cells of field ``f`` with register words turned into schema values."""
    s = t.text(f.name)
    if f.role == "authority":
        return s.map({v: authority_level(v) for v in pd.unique(s)}).astype("str")
    if not f.values or f.name not in t.columns:
        return s
    choices = SCHEMA.node(label).prop(f.prop).choices if f.prop else ()
    lookup = {unicodedata.normalize("NFKC", k): v for k, v in f.values.items()}
    uniq = {v: lookup.get(unicodedata.normalize("NFKC", v).replace(" ", ""), v)
            for v in pd.unique(s)}
    mapped = s.map(uniq).astype("str")
    bad = (mapped != "") & ~mapped.isin(list(choices) + list(f.values.values()))
    if choices and bad.any():
        accepted = "、".join(dict.fromkeys([*f.values, *choices]))
        for i in np.flatnonzero(bad.to_numpy()):
            out.add("value", t.source, int(t.rows[i]), t.header(f.name), s.iloc[i],
                    f"Not a known value of {f.en}; accepted: {accepted}.",
                    f"不是{f.zh}的可用取值;可用:{accepted}。")
        mapped = mapped.where(~bad, "")
    return mapped


def _mint_ids(t: RegisterTable, salt: bytes | str) -> pd.Series:
    """Each row's id: the 编号 column, else the first filled key, else a name hash."""
    k = t.kind
    ids = pd.Series([""] * len(t.data), dtype="str")
    for key in k.keys:
        if key not in t.columns:
            continue
        v = _nfkc(t.text(key))
        if key == "id":
            made = _with_prefix(v, k.prefix)
        elif key in _SENSITIVE:
            made = v.map(lambda x: f"{k.prefix}-h{_h(privacy.hash_sensitive(x, salt))[:16]}"
                         if x else "")
        else:
            up = v.str.upper()
            made = (k.prefix + "-" + up).where(up != "", "")
        ids = ids.where(ids != "", made.astype("str"))
    todo = (ids == "").to_numpy()
    if todo.any():
        # No key: the name and where it is say which thing it is (the same name in the
        # same place in two lists is one node).
        parts = [_identity_text(t, f) for f in t.kind.fields
                 if (f.prop == "name" or f.role == "parent" or (f.ref and not f.ref.many)
                     or f.prop in ("year", "description", "raised_on", "category"))
                 and f.name in t.columns]
        joined = (_joined(parts) if parts
                  else pd.Series([str(r) for r in t.rows], dtype="str"))
        ids[todo] = [f"{k.prefix}-h{_h(v)}" for v in joined[todo].tolist()]
    return ids


def _identity_text(t: RegisterTable, f: Field) -> pd.Series:
    """A cell as identity text: width, spaces and case folded; places without suffixes
    (福亭社区居委会 and 福亭社区 say the same place)."""
    s = t.text(f.name)
    label = "Community" if f.ref is not None or f.role == "parent" else ""
    return s.map({v: name_variants(v, label)[-1] if label else normalise(v)
                  for v in pd.unique(s)}).astype("str")


def _node_frames(t: RegisterTable, salt: bytes | str, out: _Collector) -> pd.DataFrame:
    props = _schema_props(t.kind)
    data = {"id": _mint_ids(t, salt)}
    for prop, f in props.items():
        data[prop] = _mapped_values(t, f, t.kind.label, out)
    df = pd.DataFrame(data)
    df["_src"] = t.source
    df["_row"] = t.rows
    return df


def _regions(t: RegisterTable, out: _Collector) -> dict[str, pd.DataFrame]:
    """City, County, Township and Community rows (with PART_OF) from a division register."""
    text = {f: _nfkc(t.text(f)) for f in ("city", "county", "township", "name", "code",
                                          "id", "city_id", "county_id", "township_id")}

    def _given(key: str, prefix: str, made: pd.Series) -> pd.Series:
        given = _with_prefix(text[key], prefix)
        return given.where((given != "") & (made != ""), made)
    code = text["code"]
    bad = (code != "") & ~code.str.fullmatch(r"\d{12}|\d{9}|\d{6}|\d{4}")
    for i in np.flatnonzero(bad.to_numpy()):
        out.add("code", t.source, int(t.rows[i]), t.header("code"), code.iloc[i],
                "A statistical division code has 12 digits (330106002001).",
                "统计用区划代码应为 12 位数字(如 330106002001)。")
    code = code.where(~bad, "")
    padded = code.str.pad(12, side="right", fillchar="0").where(code != "", "")

    def level_id(prefix: str, width: int, *names: str) -> pd.Series:
        parts = [text[n] for n in names]
        by_name = _joined(parts)
        short = padded.str[:width]
        coded = (padded != "") & (short.str.len() == width)
        ids = pd.Series(np.where(coded, prefix + "-" + short, ""), dtype="str")
        # rows without a code reuse the id that coded rows gave the same names
        known = dict(zip(by_name[coded].tolist(), ids[coded].tolist(), strict=True))
        fill = by_name.map(lambda v: known.get(v, f"{prefix}-h{_h(v)}")).astype("str")
        return ids.where(ids != "", fill).where(text[names[-1]] != "", "")

    city = _given("city_id", "city", level_id("city", 4, "city"))
    county = _given("county_id", "county", level_id("county", 6, "city", "county"))
    town = _given("township_id", "town", level_id("town", 9, "city", "county", "township"))
    comm = _given("id", "comm", level_id("comm", 12, "city", "county", "township", "name"))
    base = {"_src": t.source, "_row": t.rows}
    frames: dict[str, pd.DataFrame] = {}
    tk = _mapped_values(t, t.kind.get("township_kind"), "Township", out)
    suffix_kind = text["township"].map(_township_kind)
    levels = (("City", city, "city", 4, None, None), ("County", county, "county", 6, city, None),
              ("Township", town, "township", 9, county, tk.where(tk != "", suffix_kind)),
              ("Community", comm, "name", 12, town, None))
    for label, ids, name_field, width, parent, kind_col in levels:
        frame = pd.DataFrame({"id": ids, "name": text[name_field],
                              "code": padded.str[:width].where(padded != "", ""), **base})
        if label == "Community":
            for prop, f in _schema_props(t.kind).items():
                if prop not in ("name", "code"):
                    frame[prop] = _mapped_values(t, f, label, out).to_numpy()
            urc = _nfkc(t.text("urban_rural_code"))
            from_code = urc.str[:1].map({"1": "urban", "2": "rural"}).fillna("").astype("str")
            bad_urc = (urc != "") & (from_code == "")
            for i in np.flatnonzero(bad_urc.to_numpy()):
                out.add("urban_rural", t.source, int(t.rows[i]), t.header("urban_rural_code"),
                        urc.iloc[i], "The urban-rural code starts with 1 (urban) or 2 (rural).",
                        "城乡分类代码应以 1(城镇)或 2(乡村)开头。")
            frame["kind"] = frame["kind"].where(frame["kind"] != "", from_code.to_numpy())
        elif kind_col is not None:
            frame["kind"] = kind_col.to_numpy()
        if parent is not None:
            frame["_parent"] = parent.to_numpy()
        frames[label] = frame[frame["id"] != ""]
    return frames


def _township_kind(name: str) -> str:
    if name.endswith(("街道", "街道办事处")):
        return "street"
    if name.endswith("镇"):
        return "town"
    if name.endswith("乡"):
        return "township"
    return "other" if name else ""


def _merge_nodes(label: str, frames: list[pd.DataFrame], out: _Collector) -> pd.DataFrame:
    """One row per id: later rows for the same thing must agree with the first."""
    df = pd.concat(frames, ignore_index=True).fillna("")
    dup = df["id"].duplicated(keep="first").to_numpy()
    if not dup.any():
        return df
    first = df[~dup].set_index("id")
    later = df[dup]
    props = [c for c in df.columns if not c.startswith("_") and c != "id"]
    ref = first.loc[later["id"]]
    for c in props:
        a, b = later[c].to_numpy(dtype=object), ref[c].to_numpy(dtype=object)
        clash = (a != "") & (b != "") & (a != b)
        for i in np.flatnonzero(clash):
            out.add("conflict", later["_src"].iloc[i], int(later["_row"].iloc[i]), c, a[i],
                    f"The same {label} ({later['id'].iloc[i]}) is at {ref['_src'].iloc[i]} row "
                    f"{ref['_row'].iloc[i]} with {c} = '{b[i]}'; one thing has one value. Fix "
                    "one of them, or give the two different codes.",
                    f"同一{SCHEMA.node(label).zh}({later['id'].iloc[i]})在 {ref['_src'].iloc[i]} "
                    f"第{ref['_row'].iloc[i]}行的 {c} 为「{b[i]}」;同一对象只能有一个取值。请改正"
                    "其一,或用不同代码区分。")
    return df[~dup].reset_index(drop=True)


# -- the index ---------------------------------------------------------------------------

def _variants(s: pd.Series, label: str) -> pd.Series:
    u = pd.unique(s)
    return s.map({v: "|".join(name_variants(v, label)) if v else "" for v in u}).astype("str")


def index_tables(ix: Index, nodes: dict[str, pd.DataFrame],
                 parents: dict[str, pd.Series] | None = None,
                 regions: dict[str, str] | None = None) -> None:
    """Add node frames to ``ix``: keys from codes, parents from the region hierarchy.

    ``parents`` gives, per label, a ``|``-joined parent text per row (registers' township
    cells); ``regions`` maps region ids to their display and parent texts.
    """
    regions = regions if regions is not None else {}
    for label, df in nodes.items():
        if df.empty:
            continue
        name = df["name"] if "name" in df.columns else pd.Series([""] * len(df), dtype="str")
        frame = pd.DataFrame({"id": df["id"].astype("str").to_numpy(),
                              "name": name.fillna("").astype("str").to_numpy()})
        for i, key in enumerate(c for c in ("code", *_CODE_PROPS) if c in df.columns):
            frame[f"key{i}"] = df[key].fillna("").astype("str").to_numpy()
        if label in ("Need", "Project"):
            # registers number needs and projects (需求编号 N001 is our need-N001)
            frame["keyn"] = frame["id"].str.replace(r"^[a-z]+-", "", regex=True)
        if label in ("City", "County", "Township"):
            frame["keyp"] = frame.get("key0", pd.Series([""] * len(df))).str.pad(
                12, side="right", fillchar="0").where(frame.get("key0", "") != "", "")
        if parents and label in parents:
            frame["parents"] = parents[label].to_numpy()
            frame["region"] = [p.split("|")[0] for p in parents[label].tolist()]
        elif label in ("County", "Township", "Community") and regions:
            up = df["_parent"].astype("str") if "_parent" in df.columns else None
            frame["parents"] = ([regions.get(p, "") for p in up.tolist()] if up is not None
                                else "")
            frame["region"] = [r.split("|")[0] for r in frame["parents"]]
        else:
            frame["parents"], frame["region"] = "", ""
        ix.add_frame(label, frame)


def _region_texts(nodes: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Region id → ``|``-joined display name, name variants and codes of it and above."""
    out: dict[str, str] = {}
    for label in ("City", "County", "Township", "Community"):
        df = nodes.get(label)
        if df is None:
            continue
        parent = df["_parent"].astype("str") if "_parent" in df.columns else None
        for pos, (rid, name, code) in enumerate(zip(df["id"], df["name"], df["code"],
                                                    strict=True)):
            own = [str(name), *name_variants(str(name), label), str(code)]
            above = out.get(parent.iloc[pos], "") if parent is not None else ""
            out[str(rid)] = "|".join(p for p in [*own, *above.split("|")] if p)
    return out


# -- references ------------------------------------------------------------------------

def _items(t: RegisterTable, f: Field) -> pd.DataFrame:
    """One row per referenced item: position, item text, parent text, per-item values."""
    ref = f.ref
    assert ref is not None
    cells = t.text(f.name)
    parent = t.text(ref.parent) if ref.parent and ref.parent in t.columns else \
        pd.Series([""] * len(cells), dtype="str")
    df = pd.DataFrame({"pos": np.arange(len(cells)), "cell": cells, "parent": parent})
    df = df[df["cell"] != ""]
    if ref.many:
        df = df.assign(item=df["cell"].map(split_items)).explode("item")
        df = df[df["item"].notna() & (df["item"] != "")]
    else:
        df = df.assign(item=df["cell"])
    df["item"] = df["item"].astype("str").str.replace("：", ":", regex=False)
    if ref.funding:
        parts = df["item"].str.rsplit(":", n=2)
        ok = parts.str.len() == 3
        df["amount"] = parts.str[1].where(ok, "").str.strip()
        df["channel"] = parts.str[2].where(ok, "").str.strip()
        df["bad"] = ~ok
        df["item"] = parts.str[0].where(ok, df["item"]).str.strip()
    elif ref.item_prop:
        parts = df["item"].str.rsplit(":", n=1)
        has = (parts.str.len() == 2) & parts.str[-1].str.strip().str.fullmatch(r"[\d.]+")
        df[ref.item_prop] = parts.str[-1].where(has, "").str.strip()
        df["item"] = parts.str[0].where(has, df["item"]).str.strip()
    if "/" in "".join(df["item"].head(1000).tolist()) or (df["item"].str.contains("/").any()):
        # 街道/社区: a parent written into the item itself
        path = df["item"].str.rsplit("/", n=1)
        two = path.str.len() == 2
        df["parent"] = path.str[0].where(two, df["parent"]).str.strip()
        df["item"] = path.str[-1].str.strip()
    return df.reset_index(drop=True)


def _funding_items(t: RegisterTable) -> pd.DataFrame:
    """Items of the repeated 资助方N / 资助金额N / 资助渠道N columns."""
    parts = []
    for funder, amount, channel in t.funding:
        col = t.data[funder].astype("str").str.strip()
        frame = pd.DataFrame({
            "pos": np.arange(len(col)), "item": col, "parent": "",
            "amount": (t.data[amount].astype("str").str.strip() if amount is not None
                       else ""),
            "channel": (t.data[channel].astype("str").str.strip() if channel is not None
                        else ""),
            "bad": False, "header": t.framed.headers[funder]})
        parts.append(frame[frame["item"] != ""])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _resolve_items(ix: Index, items: pd.DataFrame, labels: tuple[str, ...], prefer: bool
                   ) -> tuple[pd.Series, pd.Series, dict[tuple[str, str], Miss | Ambiguous]]:
    """Resolve each distinct (item, parent) pair once; ids and labels per item, and the
    failures (a province's volunteers name a few thousand communities two million times)."""
    item = items["item"].to_numpy(dtype=object)
    parent = items["parent"].to_numpy(dtype=object)
    codes, _ = pd.factorize(pd.Series(item + "\x1f" + parent, dtype=object))
    _, first = np.unique(codes, return_index=True)
    u_item = pd.Series(item[first], dtype=object)
    u_parent = pd.Series(parent[first], dtype=object)
    ids, labs = ix.resolve_fast(u_item, u_parent, labels)
    failed: dict[tuple[str, str], Miss | Ambiguous] = {}
    for k in np.flatnonzero(ids == "").tolist():
        it, pa = u_item.iloc[k], u_parent.iloc[k]
        r = ix.resolve(it, labels, pa)
        if prefer and pa and isinstance(r, Miss):
            # a list's township is a hint: a served community may lie next door
            r2 = ix.resolve(it, labels)
            r = r2 if isinstance(r2, Entity) else r
        if isinstance(r, Entity):
            ids[k], labs[k] = r.id, r.label
        else:
            failed[(it, pa)] = r
    # np.unique orders by code: position of each code among the unique pairs
    return (pd.Series(ids[codes], dtype="str"), pd.Series(labs[codes], dtype="str"), failed)


def _report_failure(out: _Collector, source: str, row: int, header: str, item: str,
                    parent: str, labels: tuple[str, ...], r: Miss | Ambiguous) -> None:
    what_zh = "、".join(SCHEMA.node(lb).zh for lb in labels)
    what_en = ", ".join(SCHEMA.node(lb).en for lb in labels)
    within_en = f" in {parent}" if parent else ""
    within_zh = f"在「{parent}」中" if parent else ""
    if isinstance(r, Ambiguous):
        shown = "; ".join(f"{e.shown()} [{e.id}]" for e in r.matches[:5])
        out.add("ambiguous", source, row, header, item,
                f"'{item}' names more than one {what_en}{within_en}: {shown}. Add the "
                "township (所在乡镇(街道) column, or 街道/社区 in the cell) or use the code.",
                f"「{item}」{within_zh}对应多个{what_zh}:{shown}。请填写所在乡镇(街道)"
                "(或在单元格中写作「街道/社区」),或改用代码。")
        return
    if r.candidates:
        cand = "; ".join(e.shown() for e in r.candidates)
        hint_en, hint_zh = f" Closest: {cand}.", f"最接近的有:{cand}。"
    else:
        hint_en = hint_zh = ""
    out.add("unresolved", source, row, header, item,
            f"No {what_en} called '{item}'{within_en} in this import or the store.{hint_en}",
            f"本次导入和数据库中{within_zh}都找不到名为「{item}」的{what_zh}。{hint_zh}")


def _rels_of(t: RegisterTable, f: Field, ids: pd.Series, ix: Index,
             out: _Collector) -> pd.DataFrame:
    """Relationship rows made by reference field ``f`` of ``t`` (rows that resolve)."""
    ref = f.ref
    assert ref is not None
    items = _items(t, f) if f.name in t.columns else pd.DataFrame()
    if ref.funding and t.funding:
        items = pd.concat([items, _funding_items(t)], ignore_index=True)
    fallback = _township_fallback(t, f)
    if fallback is not None:
        items = pd.concat([items, fallback], ignore_index=True)
    if items.empty:
        return pd.DataFrame()
    if "header" not in items.columns:
        items["header"] = t.header(f.name) if f.name in t.columns else ""
    items["header"] = items["header"].fillna(t.header(f.name) if f.name in t.columns else "")
    labels = items["labels"].fillna(",".join(ref.labels)) if "labels" in items else None
    resolved_id = pd.Series([""] * len(items), dtype="str")
    resolved_label = resolved_id.copy()
    groups = [(ref.labels, np.ones(len(items), dtype=bool))] if labels is None else [
        (tuple(lb.split(",")), (labels == lb).to_numpy()) for lb in labels.unique()]
    for labs, mask in groups:
        part = items[mask].reset_index(drop=True)
        got, got_label, failed = _resolve_items(ix, part, labs, ref.many)
        resolved_id[mask] = got.to_numpy()
        resolved_label[mask] = got_label.to_numpy()
        if failed:
            for i, (item, parent, pos, hdr) in enumerate(zip(
                    part["item"], part["parent"], part["pos"], part["header"], strict=True)):
                r = failed.get((item, parent))
                if r is not None:
                    _report_failure(out, t.source, int(t.rows[pos]), hdr, item, parent,
                                    labs, r)
                if i > 50_000 and len(out.items) > 10 * MAX_PER_RULE:
                    break
    if ref.funding and "bad" in items.columns:
        for i in np.flatnonzero(items["bad"].fillna(False).to_numpy(dtype=bool)):
            out.add("funding", t.source, int(t.rows[items["pos"].iloc[i]]),
                    items["header"].iloc[i], items["item"].iloc[i],
                    "A funding item is funder:amount:channel (街道社区基金:20000:基金会资助).",
                    "资助项应写作「资助方:金额:渠道」(如 街道社区基金:20000:基金会资助)。")
    ok = (resolved_id != "").to_numpy()
    node = ids.iloc[items["pos"].to_numpy()].to_numpy()
    frm, to = (resolved_id.to_numpy(), node) if ref.reverse else (node, resolved_id.to_numpy())
    rel = pd.DataFrame({"from": frm, "to": to})
    if ref.funding:
        rel["amount"] = items["amount"].fillna("").to_numpy()
        ch = items["channel"].fillna("").astype("str")
        rel["channel"] = ch.map(lambda v: CHANNELS.get(v, v)).to_numpy()
    if ref.item_prop:
        rel[ref.item_prop] = items[ref.item_prop].fillna("").to_numpy() \
            if ref.item_prop in items.columns else ""
    rel["_src"] = t.source
    rel["_row"] = t.rows[items["pos"].to_numpy()]
    rel["_hdr"] = items["header"].to_numpy()
    return rel[ok]


def _township_fallback(t: RegisterTable, f: Field) -> pd.DataFrame | None:
    """An empty community cell with a township filled: the relationship goes to it."""
    ref = f.ref
    assert ref is not None
    if ref.many or not ref.parent or ref.parent not in t.columns or "Township" in ref.labels:
        return None
    if (t.kind.label, "Township") not in SCHEMA.rel(ref.rel).pairs:
        return None
    cells = t.text(f.name)
    town = t.text(ref.parent)
    use = ((cells == "") & (town != "")).to_numpy()
    if not use.any():
        return None
    return pd.DataFrame({"pos": np.flatnonzero(use), "item": town[use].to_numpy(),
                         "parent": "", "labels": "Township",
                         "header": t.header(ref.parent)})


# -- the whole build -----------------------------------------------------------------------

def build(tables: list[RegisterTable], *, salt: bytes | str,
          base: GraphTables | None = None,
          on_step: Callable[[str], None] | None = None) -> Built:
    """Turn mapped registers into graph-shaped raw tables (see the module docstring).

    Parameters
    ----------
    tables : list of RegisterTable
        From :func:`loaders.registers.mapping.map_tables`.
    salt : bytes or str
        Salt for hashed ID numbers and phones (ids made from them are hashes of hashes).
    base : GraphTables, optional
        What the store holds: its entities resolve references too.
    on_step : callable, optional
        Called with a short description of each stage (progress).
    """
    out = _Collector()
    step = on_step or (lambda _m: None)
    step("nodes")
    by_label: dict[str, list[pd.DataFrame]] = {}
    parent_text: dict[str, list[pd.Series]] = {}
    for t in tables:
        if t.kind is DIVISIONS:
            for label, frame in _regions(t, out).items():
                by_label.setdefault(label, []).append(frame)
            continue
        frame = _node_frames(t, salt, out)
        by_label.setdefault(t.kind.label, []).append(frame)
        parent_text.setdefault(t.kind.label, []).append(_parents_of(t))
    nodes: dict[str, pd.DataFrame] = {}
    parents: dict[str, pd.Series] = {}
    for label in SCHEMA.node_names:
        if label not in by_label:
            continue
        df = pd.concat(by_label[label], ignore_index=True).fillna("")
        if label in parent_text:
            df["_ptext"] = pd.concat(parent_text[label], ignore_index=True).to_numpy()
        nodes[label] = _merge_nodes(label, [df], out)
        if "_ptext" in nodes[label].columns:
            parents[label] = nodes[label]["_ptext"]
    step("index")
    ix = Index()
    base_nodes = dict(base.nodes) if base is not None else {}
    regions = {**(_base_regions(base) if base is not None else {}), **_region_texts(nodes)}
    region_labels = ("City", "County", "Township", "Community")
    for label in region_labels:
        if label in base_nodes:
            df = base_nodes[label]
            if label in nodes:  # the register is the newer version: it replaces these
                df = df[~isin_set(df["id"], nodes[label]["id"])]
            index_tables(ix, {label: _with_parents(label, df, base)}, regions=regions)
    index_tables(ix, {k: v for k, v in nodes.items() if k in region_labels}, regions=regions)
    step("references")
    rels: dict[str, list[pd.DataFrame]] = {}
    ids = {id(t): _mint_ids(t, salt) for t in tables if t.kind is not DIVISIONS}
    # Pass 1: where each thing is (its community or township), so that names of things
    # can be told apart by the township a later reference gives.
    where_is: dict[str, str] = {}
    done: set[tuple[int, str]] = set()
    for t in tables:
        for f in _place_refs(t):
            frame = _rels_of(t, f, ids[id(t)], ix, out)
            done.add((id(t), f.name))
            if not frame.empty:
                rels.setdefault(f.ref.rel, []).append(frame)  # type: ignore[union-attr]
                own = "to" if f.ref.reverse else "from"  # type: ignore[union-attr]
                other = "from" if own == "to" else "to"
                where_is.update(zip(frame[own].tolist(), frame[other].tolist(), strict=True))
    for label, df in base_nodes.items():
        if label in region_labels:
            continue
        if label in nodes:
            df = df[~isin_set(df["id"], nodes[label]["id"])]
        index_tables(ix, {label: df}, {label: _stored_places(df, base, regions)})
    for label, df in nodes.items():
        if label in region_labels:
            continue
        placed = df["id"].map(lambda i: regions.get(where_is.get(i, ""), "")).astype("str")
        index_tables(ix, {label: df},
                     {label: (placed + "|" + parents[label].astype("str")).str.strip("|")
                      if label in parents else placed})
    # Pass 2: every other reference.
    for t in tables:
        if t.kind is DIVISIONS:
            continue
        for f in t.kind.refs:
            assert f.ref is not None
            if (id(t), f.name) in done:
                continue
            if f.name not in t.columns and not (f.ref.funding and t.funding) and \
                    _township_fallback(t, f) is None:
                continue
            frame = _rels_of(t, f, ids[id(t)], ix, out)
            if not frame.empty:
                rels.setdefault(f.ref.rel, []).append(frame)
    for label in ("Community", "Township", "County"):
        df = nodes.get(label)
        if df is not None and "_parent" in df.columns:
            up = df[df["_parent"] != ""]
            rels.setdefault("PART_OF", []).append(pd.DataFrame({
                "from": up["id"], "to": up["_parent"], "_src": up["_src"], "_row": up["_row"],
                "_hdr": None}))
    raws, where = _raw_tables(nodes, rels, tables)
    made = {label: set(df["id"].tolist()) for label, df in nodes.items()}
    return Built(raws, where, out.finish(), list(dict.fromkeys(t.kind for t in tables)), made)


def _parents_of(t: RegisterTable) -> pd.Series:
    """Per row, ``|``-joined normalised place texts (township, community) for the index."""
    cols = [t.text(f.name) for f in t.kind.fields
            if (f.role == "parent" or (f.ref is not None and not f.ref.many
                                       and set(f.ref.labels) <= {"Community", "Township"}))
            and f.name in t.columns]
    if not cols:
        return pd.Series([""] * len(t.data), dtype="str")
    parts = [_variants(c, "Township") for c in cols]
    first = cols[0]
    return _joined([first, *parts], "|")


def _place_refs(t: RegisterTable) -> list[Field]:
    """Reference fields that say where a row's thing is (a community or a township)."""
    if t.kind is DIVISIONS:
        return []
    out = []
    for f in t.kind.refs:
        ref = f.ref
        assert ref is not None
        if ref.many or ref.reverse or not set(ref.labels) <= {"Community", "Township"}:
            continue
        if f.name in t.columns or _township_fallback(t, f) is not None:
            out.append(f)
    return out


def _stored_places(df: pd.DataFrame, base: GraphTables | None,
                   regions: dict[str, str]) -> pd.Series:
    """Region texts of stored things, from their stored place relationships."""
    where_is: dict[str, str] = {}
    if base is not None:
        for rtype in ("BASED_IN", "LOCATED_IN", "LIVES_IN", "RAISED_IN", "WORKS_AT"):
            r = base.rels.get(rtype)
            if r is not None:
                where_is.update(zip(r["from"].tolist(), r["to"].tolist(), strict=True))
    return df["id"].map(lambda i: regions.get(where_is.get(i, ""), "")).astype("str")


def _base_regions(base: GraphTables) -> dict[str, str]:
    """Region texts of the stored hierarchy (with its PART_OF parents)."""
    nodes = {}
    part = base.rels.get("PART_OF")
    up = dict(zip(part["from"], part["to"], strict=True)) if part is not None else {}
    for label in ("City", "County", "Township", "Community"):
        df = base.nodes.get(label)
        if df is not None:
            nodes[label] = df.assign(_parent=df["id"].map(up).fillna(""),
                                     code=df["code"].fillna(""), name=df["name"].fillna(""))
    return _region_texts(nodes)


def _with_parents(label: str, df: pd.DataFrame, base: GraphTables | None) -> pd.DataFrame:
    if base is None or label not in ("County", "Township", "Community"):
        return df
    part = base.rels.get("PART_OF")
    up = dict(zip(part["from"], part["to"], strict=True)) if part is not None else {}
    return df.assign(_parent=df["id"].map(up).fillna(""))


def _raw_tables(nodes: dict[str, pd.DataFrame], rels: dict[str, list[pd.DataFrame]],
                tables: list[RegisterTable]) -> tuple[list[RawTable], dict[str, Where]]:
    """Graph-shaped RawTables (file ``<Label>``, row i+1) and where each row came from."""
    headers: dict[str, dict[str, str]] = {}
    for t in tables:
        cols = headers.setdefault(t.source, {})
        for f in t.kind.fields:
            if f.name in t.columns:
                cols[f.prop or f.name] = t.header(f.name)
        if t.kind is DIVISIONS and "name" in t.columns:
            cols["name"] = t.header("name")
    raws: list[RawTable] = []
    where: dict[str, Where] = {}
    for label, df in nodes.items():
        props = [p.name for p in SCHEMA.node(label).props if p.name in df.columns]
        cols = ["id", *props]
        token = f"<{label}>"
        raws.append(RawTable(label, cols, pd.DataFrame(
            {j: df[c].astype("str").reset_index(drop=True) for j, c in enumerate(cols)}),
            token, header_row=0))
        where[token] = Where(df["_src"].to_numpy(dtype=object),
                             df["_row"].to_numpy(dtype=np.int64),
                             np.full(len(df), None, dtype=object), headers)
    for rtype in SCHEMA.rel_names:
        if rtype not in rels:
            continue
        df = pd.concat(rels[rtype], ignore_index=True)
        props = [p.name for p in SCHEMA.rel(rtype).props]
        for p in props:
            if p not in df.columns:
                df[p] = ""
        # Rows merged into one thing repeat its facts (a volunteer listed once per team
        # lives in one community): the same relationship with the same values is one.
        # Different values for the same pair stay, and the validator reports them.
        df = df[~df.duplicated(["from", "to", *props], keep="first")]
        cols = ["from", "to", *props]
        token = f"<{rtype}>"
        raws.append(RawTable(rtype, cols, pd.DataFrame(
            {j: df[c].fillna("").astype("str").reset_index(drop=True)
             for j, c in enumerate(cols)}), token, header_row=0))
        where[token] = Where(df["_src"].to_numpy(dtype=object),
                             df["_row"].to_numpy(dtype=np.int64),
                             df["_hdr"].to_numpy(dtype=object), headers)
    return raws, where
