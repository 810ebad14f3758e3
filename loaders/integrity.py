"""Rules across rows and tables: unique ids, case twins, relationship ends and pairs,
repeated relationships, one parent per region, and the same rules against the store.

Ids are checked once the cells are typed; every check is vectorised (pandas/numpy), so a
province-scale import checks in seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from wushe.graph.schema import REGION_LABELS, REGION_LEVELS, SCHEMA, RelType
from wushe.graph.tables import text_isin, text_positions
from wushe.loaders.cells import nfkc_if_needed
from wushe.loaders.headers import MatchedTable
from wushe.loaders.problems import MAX_PER_RULE, Problems

__all__ = [
    "LABELS",
    "ExistingLabels",
    "StoreLookup",
    "check_ends",
    "check_existing",
    "check_ids",
    "check_one_parent",
    "check_repeated_rels",
    "check_store_case_twins",
    "check_store_rels",
]

ExistingLabels = Callable[[Iterable[str]], dict[str, str]]
# Region labels from the bottom up: PART_OF must join a level to the next one up.
_LABELS_UP = tuple(REGION_LABELS[lv] for lv in reversed(REGION_LEVELS[1:]))
LABELS = np.array(SCHEMA.node_names, dtype=object)
_LABEL_CODE = {name: i for i, name in enumerate(SCHEMA.node_names)}
_ID_COLUMN = "id (编号)"


def check_ids(nodes: list[MatchedTable], problems: Problems) -> tuple[pd.Index, np.ndarray]:
    """Report ids used twice (in one table or across tables) and case twins.

    Returns the unique ids and, aligned, their label codes (index into ``LABELS``).
    """
    parts = [pd.DataFrame({"id": t.cols["id"].to_numpy(), "table": np.int32(k), "row": t.rows})
             for k, t in enumerate(nodes) if "id" in t.cols]
    if not parts:
        return pd.Index([], dtype=str), np.array([], dtype=np.int16)
    allids = pd.concat(parts, ignore_index=True)
    allids = allids[(allids["id"] != "").to_numpy()]
    dup = allids["id"].duplicated(keep="first").to_numpy()
    if dup.any():
        first = allids[~dup].set_index("id")
        for k, t in enumerate(nodes):
            mine = allids[dup & (allids["table"] == k).to_numpy()]
            if mine.empty:
                continue
            ref = first.loc[mine["id"].iloc[:MAX_PER_RULE]]
            where = [(nodes[tk].raw.source, row)
                     for tk, row in zip(ref["table"], ref["row"], strict=True)]
            problems.many(
                t.raw.source, _ID_COLUMN, "duplicate_id", mine["row"].to_numpy(),
                mine["id"].tolist(),
                [f"Duplicate id: already used at {f} row {r}; ids must be unique across all "
                 "tables." for f, r in where],
                [f"编号重复:已在 {f} 第{r}行使用;编号在所有表中必须唯一。" for f, r in where],
            )
    _report_case_twins(nodes, allids[~dup], problems)
    unique = allids[~dup]
    # indexed by position in ``nodes`` (as "table" is), tables without an id column included
    codes = np.array([_LABEL_CODE[t.item.name] for t in nodes], dtype=np.int16)
    return pd.Index(unique["id"].to_numpy()), codes[unique["table"].to_numpy()]


def _report_case_twins(nodes: list[MatchedTable], allids: pd.DataFrame,
                       problems: Problems) -> None:
    """Report ids that differ from an earlier id only in letter case (m1 vs M1)."""
    folded = allids["id"].str.casefold()
    twin = folded.duplicated(keep="first").to_numpy()
    if not twin.any():
        return
    first = allids[~twin].assign(key=folded[~twin].to_numpy()).set_index("key")
    for k, t in enumerate(nodes):
        mine = allids[twin & (allids["table"] == k).to_numpy()]
        if mine.empty:
            continue
        ref = first.loc[mine["id"].str.casefold().iloc[:MAX_PER_RULE]]
        where = [(nodes[tk].raw.source, row, i)
                 for tk, row, i in zip(ref["table"], ref["row"], ref["id"], strict=True)]
        problems.many(
            t.raw.source, _ID_COLUMN, "case_twin_id", mine["row"].to_numpy(),
            mine["id"].tolist(),
            [f"This id differs from '{i}' ({f} row {r}) only in letter case; spreadsheets "
             "treat them as the same id, so give them clearly different ids."
             for f, r, i in where],
            [f"该编号与「{i}」({f} 第{r}行)仅大小写不同;表格软件会把它们视为同一编号,"
             "请使用明显不同的编号。" for f, r, i in where],
        )


def check_repeated_rels(t: MatchedTable, problems: Problems) -> None:
    """The same relationship (type, from, to) may be listed once: counts rely on it."""
    if "from" not in t.cols or "to" not in t.cols:
        return
    # cells are already stripped; fold only the few non-ASCII ids (a per-cell map is slow)
    pairs = pd.DataFrame({"f": nfkc_if_needed(t.cols["from"]),
                          "t": nfkc_if_needed(t.cols["to"])})
    filled = ((pairs["f"] != "") & (pairs["t"] != "")).to_numpy()
    again = pairs.duplicated(keep="first").to_numpy() & filled
    t.column("from").report(
        problems, "repeated_relationship", again,
        f"This {t.item.name} relationship (same from and to) is listed again; list "
        "each pair once.",
        f"同一「{t.item.zh}」关系(起点和终点相同)重复出现;每对起点和终点只能列一次。")


def check_one_parent(t: MatchedTable, problems: Problems) -> None:
    """A region is PART_OF one parent only (a community lies in one township)."""
    if "from" not in t.cols or "to" not in t.cols:
        return
    frm = t.cols["from"]
    filled = (frm != "").to_numpy()
    again = frm.duplicated(keep="first").to_numpy() & filled
    if not again.any():
        return
    first_row = dict(zip(frm[filled & ~again].tolist(), t.rows[filled & ~again].tolist(),
                         strict=True))
    first_to = dict(zip(frm[filled & ~again].tolist(), t.cols["to"][filled & ~again].tolist(),
                        strict=True))
    t.column("from").report(
        problems, "two_parents", again,
        lambda v: f"'{v.strip()}' is already PART_OF '{first_to[_id_key(v)]}' (row "
                  f"{first_row[_id_key(v)]}); a region belongs to exactly one parent "
                  "(a community to one township, a township to one county, a county to "
                  "one city).",
        lambda v: f"「{v.strip()}」已隶属于「{first_to[_id_key(v)]}」(第"
                  f"{first_row[_id_key(v)]}行);每个区域只能隶属一个上级(社区只属于一个"
                  "乡镇/街道,乡镇只属于一个县区,县区只属于一个市)。")


def _second_parent(child: str, parents: dict[str, str], new_parent: dict[str, str],
                   names: dict[str, tuple[str, str, str]], lang: str) -> str:
    """The message for a stored region given a second parent: both parents by name."""
    def shown(i: str) -> str:
        name, region, _ = names.get(i, (i, "", ""))
        where = f"{region} · " if region else ""
        return (f"「{name}」({where}编号 {i})" if lang == "zh"
                else f"'{name}' ({'in ' + region + ', ' if region else ''}id {i})")

    old, new = parents.get(child, "?"), new_parent.get(child, "?")
    kind = names.get(child, ("", "", "区域"))[2]
    if lang == "zh":
        return (f"{shown(child)}在数据库中已隶属于{shown(old)};每个区域只能隶属一个上级。"
                f"如要把它改到{shown(new)}下,请在「{kind}」表中也列出它(编号 {child}),"
                "导入会按文件更新它的上级。")
    return (f"{shown(child)} is already PART_OF {shown(old)} in the store; a region belongs "
            f"to exactly one parent. To move it to {shown(new)}, list it in its own table "
            f"too (id {child}): the import then updates its parent.")


def _replaced_text(v: str, known: pd.DataFrame, lang: str) -> str:
    """The message for an end naming a stored node that a replacing import deletes."""
    if v not in known.index:
        return v
    r = known.loc[v]
    node = SCHEMA.node(r["label"])
    by_id = r["id"] == v
    if lang == "zh":
        where = f"({r['region']})" if r["region"] else ""
        kind = "编号" if by_id else f"名称(编号 {r['id']})"
        return (f"「{v}」是库中已有的{node.zh}「{r['name']}」{where}的{kind}。"
                "替换导入会删除库中全部数据,不能连接到它;要把新数据连到已有的"
                f"「{r['name']}」,请改用「追加到现有数据」(默认方式)。")
    where = f" in {r['region']}" if r["region"] else ""
    return (f"'{v}' is the {'id' if by_id else 'name'} of the stored "
            f"{node.en.lower()} '{r['name']}'{where} (id {r['id']}). A replacing import "
            "deletes everything stored, so nothing can link to it; to link new data to the "
            f"existing '{r['name']}', add to the stored data instead of replacing it.")


def _stored_names(ids: list[str], labels: dict[str, str],
                  describe: Callable[[list[str]], pd.DataFrame] | None
                  ) -> dict[str, tuple[str, str]]:
    """id → (Chinese, English) text naming a stored node: its kind, and its name and
    region when ``describe`` can tell them."""
    found = describe(ids).set_index("id") if describe is not None and ids else None
    out = {}
    for i in ids:
        label = labels[i]
        zh, en = f"类型 {_zh(label)}", label
        if found is not None and i in found.index and found.at[i, "name"]:
            name, region = found.at[i, "name"], found.at[i, "region"]
            zh = f"{_zh(label)}「{name}」" + (f",{region}" if region else "")
            en = f"{label} '{name}'" + (f" in {region}" if region else "")
        out[i] = (zh, en)
    return out


def _zh(label: str) -> str:
    """The Chinese name of a node label (乡镇(街道) for Township)."""
    return SCHEMA.node(label).zh


def _id_key(v: str) -> str:
    return unicodedata.normalize("NFKC", v).strip()


def _check_hierarchy_schema() -> None:
    """PART_OF pairs must each go exactly one level up, so no cycle can be loaded."""
    up = {(a, b) for a, b in zip(_LABELS_UP, _LABELS_UP[1:], strict=False)}
    pairs = set(SCHEMA.rel("PART_OF").pairs)
    if not pairs <= up:
        raise ValueError(f"PART_OF pairs {sorted(pairs - up)} do not go one level up "
                         f"{' → '.join(_LABELS_UP)}: the region hierarchy could have cycles")


_check_hierarchy_schema()


class StoreLookup(Protocol):
    """What the loader asks a store during an incremental load (a GraphBackend has it)."""

    def is_empty(self) -> bool: ...

    def existing_labels(self, ids: Iterable[str]) -> dict[str, str]: ...

    def stored_ids(self, label: str) -> pd.Series: ...

    def existing_rels(self, rel_type: str, from_label: str, to_label: str,
                      pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]: ...

    def existing_parents(self, label: str, ids: Iterable[str]) -> dict[str, str]: ...

    def children_named(self, parent_ids: Iterable[str]) -> pd.DataFrame: ...

    def nodes_named(self, names: Iterable[str], labels: Iterable[str]) -> pd.DataFrame: ...

    def described(self, ids: Iterable[str]) -> pd.DataFrame: ...


def check_existing(nodes: list[MatchedTable], rels: list[MatchedTable], ids: pd.Index,
                   codes: np.ndarray, existing_labels: ExistingLabels,
                   problems: Problems, *, update: bool = False,
                   describe: Callable[[list[str]], pd.DataFrame] | None = None
                   ) -> tuple[pd.Index, np.ndarray]:
    """Ask the store about new node ids and unresolved ends; extend the id lookup.

    With ``update`` a stored id of the same label is a correction of that node; only an
    id stored under another label is a problem. ``describe`` (``GraphBackend.described``)
    lets the message name the stored node by name and region.
    """
    # vectorised: millions of unknown ends must not become Python sets and sorts
    missing = [ids.to_series()]
    positions = end_positions(rels, ids)
    for t in rels:
        for c in ("from", "to"):
            if c in t.cols:
                s = t.cols[c]
                missing.append(s[(positions[(id(t), c)] < 0) & (s != "").to_numpy()])
    asked = pd.Index(pd.concat(missing, ignore_index=True).astype(object)).unique()
    unresolved = asked[text_positions(asked, ids) < 0]
    stored = existing_labels(asked.tolist())
    if not stored:
        return ids, codes
    # vectorised too: a reload of a province asks about every one of its millions of ids;
    # one hash of the stored ids for all tables
    label_of = pd.Series(stored, dtype=object)
    with_ids = [t for t in nodes if "id" in t.cols]
    every = text_positions(pd.concat([t.cols["id"] for t in with_ids], ignore_index=True)
                           if with_ids else [], label_of.index)
    offsets = np.cumsum([0, *(len(t.cols["id"]) for t in with_ids)])
    for k, t in enumerate(with_ids):
        s = t.cols["id"]
        pos = every[offsets[k]:offsets[k + 1]]
        found = np.where(pos >= 0, label_of.to_numpy()[np.maximum(pos, 0)], None)
        hit = pos >= 0
        if update:  # the same kind of node: a correction of it
            hit &= found != t.item.name
        if not hit.any():
            continue
        shown = s[hit].iloc[:MAX_PER_RULE].tolist()
        known = _stored_names(shown, stored, describe)
        if update:
            problems.many(
                t.raw.source, _ID_COLUMN, "exists_in_store", t.rows[hit], s[hit].tolist(),
                [f"This id is already used in the store by a node of another kind "
                 f"({known[v][1]}); give this one another id." for v in shown],
                [f"该编号在数据库中已被另一类节点({known[v][0]})使用;请为它换一个编号。"
                 for v in shown],
            )
        else:
            problems.many(
                t.raw.source, _ID_COLUMN, "exists_in_store", t.rows[hit], s[hit].tolist(),
                [f"This id already exists in the store (as {known[v][1]}); new nodes need "
                 "new ids." for v in shown],
                [f"该编号已存在于数据库中({known[v][0]});新增节点须使用新编号,"
                 "修改已有数据请用追加(更新)导入。" for v in shown],
            )
    extra_of = label_of[text_isin(label_of.index, unresolved)]
    extra = extra_of.index.tolist()
    extra_codes = extra_of.map(_LABEL_CODE).to_numpy(dtype=np.int16)
    return ids.append(pd.Index(extra)), np.concatenate([codes, extra_codes])


def check_store_case_twins(nodes: list[MatchedTable], store: StoreLookup,
                           problems: Problems) -> None:
    """New ids that differ from a stored id only in letter case (m1 new, M1 stored).

    The stored ids of each label are compared in memory, one label at a time: the engines
    have no case-insensitive index, and asking them per id scans every node per id.
    """
    new = [(t, t.cols["id"]) for t in nodes if "id" in t.cols]
    if not new:
        return
    given = pd.concat([s for _, s in new], ignore_index=True)
    parts = [(label, ids) for label in SCHEMA.node_names
             if not (ids := store.stored_ids(label)).empty]
    if not parts:
        return
    stored = pd.concat([ids for _, ids in parts], ignore_index=True)
    labels = np.repeat([label for label, _ in parts], [len(ids) for _, ids in parts])
    low = stored.str.lower()
    # one hash of the import's ids for all labels: a reload matches every id exactly,
    # and only a stored id equal to a given one in lower case, but not exactly, is a twin
    hit = text_isin(low, given.str.lower()) & ~text_isin(stored, given)
    if not hit.any():
        return
    twin: dict[str, tuple[str, str]] = {}  # lower-cased key -> (stored id, its label)
    for key, sid, label in zip(low[hit].tolist(), stored[hit].tolist(), labels[hit].tolist(),
                               strict=True):
        twin.setdefault(key, (sid, label))
    for t, s in new:
        mine = [twin.get(k) for k in s.str.lower().tolist()]
        bad = np.array([m is not None and m[0] != v for m, v in zip(mine, s.tolist(),
                                                                      strict=True)], dtype=bool)
        shown = [m for m, b in zip(mine, bad, strict=True) if b][:MAX_PER_RULE]
        if not shown:
            continue
        known = _stored_names([i for i, _ in shown], dict(shown), store.described)
        problems.many(
            t.raw.source, _ID_COLUMN, "case_twin_in_store", t.rows[bad], s[bad].tolist(),
            [f"This id differs from the stored id '{i}' ({known[i][1]}) only in letter case; "
             "spreadsheets treat them as the same id, so give it a clearly different id."
             for i, _ in shown],
            [f"该编号与数据库中已有的编号「{i}」({known[i][0]})仅大小写不同;表格软件会把它们视为"
             "同一编号,请使用明显不同的编号。" for i, _ in shown])


def check_store_rels(rels: list[MatchedTable], ends: dict[int, tuple[np.ndarray, np.ndarray]],
                     new_ids: pd.Index, store: StoreLookup, problems: Problems, *,
                     update: bool = False) -> None:
    """Relationships already stored, and regions given a second parent by this import.

    Only pairs whose two ends are both stored nodes can already be stored, so only those
    are asked about, grouped by label pair, in chunks. With ``update`` (a corrected file
    loaded again) a relationship already stored is a restatement, which the store's update
    rule replaces: not an error.
    """
    for t in rels:
        if "from" not in t.cols or "to" not in t.cols:
            continue
        fc, tc = ends[id(t)]
        if not (fc >= 0).any():  # no end found at all (millions of unknown ends): done
            continue
        frm, to = t.cols["from"].to_numpy(dtype=object), t.cols["to"].to_numpy(dtype=object)
        stored_from = (new_ids.get_indexer(frm) < 0) & (fc >= 0)
        both = stored_from & (new_ids.get_indexer(to) < 0) & (tc >= 0)
        again = np.zeros(len(frm), dtype=bool)
        pairs = set() if update else set(zip(fc[both].tolist(), tc[both].tolist(), strict=True))
        for f_code, t_code in pairs:
            sel = both & (fc == f_code) & (tc == t_code)
            have = store.existing_rels(t.item.name, LABELS[f_code], LABELS[t_code],
                                       zip(frm[sel].tolist(), to[sel].tolist(), strict=True))
            if have:
                again |= sel & np.array([(a, b) in have for a, b in zip(frm, to, strict=True)])
        t.column("from").report(
            problems, "relationship_in_store", again,
            f"This {t.item.name} relationship (same from and to) is already in the store; "
            "list only new relationships.",
            f"该「{t.item.zh}」关系(起点和终点相同)已存在于数据库中;只需列出新增的关系。")
        if t.item.name != "PART_OF":
            continue
        parents: dict[str, str] = {}
        for f_code in set(fc[stored_from].tolist()):
            sel = stored_from & (fc == f_code)
            parents.update(store.existing_parents(LABELS[f_code], frm[sel].tolist()))
        second = np.array([f in parents and parents[f] != b for f, b in zip(frm, to, strict=True)],
                          dtype=bool) & stored_from
        if not second.any():
            continue
        shown = store.described([*frm[second][:MAX_PER_RULE], *to[second][:MAX_PER_RULE],
                                 *(parents[f] for f in frm[second][:MAX_PER_RULE])])
        names = {r.id: (r.name or r.id, r.region, SCHEMA.node(r.label).zh)
                 for r in shown.itertuples(index=False)}
        new_parent = dict(zip(frm[second].tolist(), to[second].tolist(), strict=True))
        t.column("from").report(
            problems, "two_parents_in_store", second,
            lambda v, a=(parents, new_parent, names): _second_parent(_id_key(v), *a, "en"),
            lambda v, a=(parents, new_parent, names): _second_parent(_id_key(v), *a, "zh"))


def end_positions(rels: list[MatchedTable], ids: pd.Index) -> dict[tuple[int, str], np.ndarray]:
    """Position in ``ids`` (-1: not there) of every from/to of ``rels``, keyed by
    ``(id(table), column)``.

    One Arrow hash lookup for all ends of all tables: millions of ends looked up one
    Python string at a time (``Index.get_indexer`` on text) cost seconds per table.
    """
    keys = [(id(t), c) for t in rels for c in ("from", "to") if c in t.cols]
    if not keys:
        return {}
    cols = {(id(t), c): t.cols[c] for t in rels for c in ("from", "to") if c in t.cols}
    pos = text_positions(pa.chunked_array([pa.array(cols[k]).cast(pa.string()) for k in keys],
                                          type=pa.string()), ids)
    out, start = {}, 0
    for k in keys:
        n = len(cols[k])
        out[k] = pos[start:start + n]
        start += n
    return out


def check_ends(t: MatchedTable, ids: pd.Index, codes: np.ndarray, problems: Problems, *,
               with_store: bool = True, replaced: pd.DataFrame | None = None,
               positions: dict[tuple[int, str], np.ndarray] | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Resolve from/to label codes; report unknown ids, disallowed pairs and self-loops.

    ``replaced`` (a replacing import): the stored nodes its unknown ends name, by id or
    name (``GraphBackend.described`` columns plus ``asked``, the cell): their message
    names the stored node and says to add instead of replacing. ``positions`` are the
    ends' places in ``ids`` (:func:`end_positions`), found here when not given.
    """
    rel = t.item
    assert isinstance(rel, RelType)
    n = len(t.rows)
    ends = []
    for col in ("from", "to"):
        if col not in t.cols:
            ends.append(np.full(n, -1, dtype=np.int16))
            continue
        s = t.cols[col]
        pos = (positions[(id(t), col)] if positions is not None
               else ids.get_indexer(s))
        code = np.where(pos >= 0, codes[pos] if len(codes) else -1, -1).astype(np.int16)
        if with_store:
            en, zh = ("No node has this id or name (in this import or the store). Give an "
                      "id, or the name of a stored region or organization as the template's "
                      "drop-down writes it (西湖区 (杭州市); sheet 已有区域).",
                      "找不到该编号或名称的节点(本次导入及数据库中均无)。请填写编号,或按模板下拉"
                      "列表的写法填写已有区域、社会组织的名称(如「西湖区 (杭州市)」,见「已有区域」"
                      "工作表)。")
        else:  # a replacing import: the store's nodes will be gone
            en, zh = ("No node has this id in this import. A replacing import keeps nothing "
                      "of the store: to link to a node already stored, add to the store "
                      "instead of replacing it.",
                      "找不到该编号的节点(本次导入中没有)。替换导入不保留库中已有数据;"
                      "如要连接库中已有的节点,请改用追加导入。")
        unknown = (pos < 0) & (s != "").to_numpy()
        if replaced is not None and len(replaced) and unknown.any():
            known = replaced.drop_duplicates("asked").set_index("asked")
            there = s.isin(known.index).to_numpy() & unknown
            t.column(col).report(problems, "unknown_id_replaced", there,
                                 lambda v, k=known: _replaced_text(v.strip(), k, "en"),
                                 lambda v, k=known: _replaced_text(v.strip(), k, "zh"))
            unknown &= ~there
        t.column(col).report(problems, "unknown_id", unknown, en, zh)
        ends.append(code)
    fc, tc = ends
    allowed = np.zeros((len(LABELS), len(LABELS)), dtype=bool)
    starts = np.zeros(len(LABELS), dtype=bool)
    for a, b in rel.pairs:
        allowed[_LABEL_CODE[a], _LABEL_CODE[b]] = True
        starts[_LABEL_CODE[a]] = True
    known = (fc >= 0) & (tc >= 0)
    bad_from = known & ~starts[fc]
    bad_to = known & ~bad_from & ~allowed[fc, tc]
    listed = ", ".join(f"{a}→{b}" for a, b in rel.pairs)
    listed_zh = "、".join(f"{_zh(a)}→{_zh(b)}" for a, b in rel.pairs)
    for col, mask, code in (("from", bad_from, fc), ("to", bad_to, tc)):
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            continue
        shown = LABELS[code[idx[:MAX_PER_RULE]]]
        c = t.column(col)
        problems.many(
            t.raw.source, c.label, "label_pair", t.rows[idx],
            t.original[col].iloc[idx[:MAX_PER_RULE]].tolist(),
            [f"This id is a node of label {lb}, which {rel.name} cannot join here; allowed pairs "
             f"(from→to): {listed}." for lb in shown],
            [f"该编号是{_zh(lb)}节点,「{rel.zh}」关系不能这样连接;允许的起点→终点:"
             f"{listed_zh}。" for lb in shown],
        )
    if "from" in t.cols and "to" in t.cols:
        loop = ((t.cols["from"] == t.cols["to"]) & (t.cols["from"] != "")).to_numpy()
        t.column("to").report(problems, "self_loop", loop,
                              "A relationship cannot join a node to itself (from = to).",
                              "关系的起点和终点不能是同一个节点。")
    return fc, tc
