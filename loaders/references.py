"""Relationship ends written as names: ``西湖区 (杭州市)`` instead of ``county-330106``.

A relationship table's ``from``/``to`` cell holds an id; an official who links a new street
to its county cannot see the county's id, so a cell may instead name a region or an
organization — as the template's drop-down writes it, ``名称 (上级 · 更上级)``, or the name
alone. Such a cell is resolved to one id by the registers' resolver
(:class:`loaders.registers.resolver.Index`) over the nodes of this import and the stored
nodes of that name: unique within the parent given, else an error naming every candidate
with its region. Cells that are ids are never touched; a cell nothing matches is left for
the unknown-id check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from wushe.graph.schema import REGION_LABELS, SCHEMA, RelType
from wushe.loaders.headers import MatchedTable
from wushe.loaders.problems import Problems

if TYPE_CHECKING:
    from wushe.loaders.registers.resolver import Entity, Index

__all__ = ["MAX_NAMES", "NAMED_LABELS", "NamedLookup", "parse_reference", "reference_text",
           "resolve_named_ends", "stored_ends"]

#: labels a relationship end may name instead of giving the id
NAMED_LABELS = (*REGION_LABELS.values(), "Organization")
#: what separates the names of the places above in ``名称 (上级 · 更上级)``
PLACE_SEPARATOR = " · "
#: distinct names looked up per import at most (millions of unknown ends stay unknown ids)
MAX_NAMES = 20_000
_REF = re.compile(r"^(?P<name>.+?)\s*[(（](?P<above>[^()（）]+)[)）]$")


class NamedLookup(Protocol):
    """What resolving names asks the store (a ``GraphBackend`` has it)."""

    def nodes_named(self, names: Iterable[str], labels: Iterable[str]) -> pd.DataFrame: ...

    def described(self, ids: Iterable[str]) -> pd.DataFrame: ...


def reference_text(name: str, parents: str) -> str:
    """How a drop-down writes a region or an organization: ``name (parents)``.

    Examples
    --------
    >>> reference_text("西湖区", "杭州市")
    '西湖区 (杭州市)'
    >>> reference_text("杭州市", "")
    '杭州市'
    """
    return f"{name} ({parents})" if parents else name


def parse_reference(text: str) -> tuple[str, tuple[str, ...]]:
    """The name and the places above it a cell gives (none when it gives none).

    Examples
    --------
    >>> parse_reference("北山街道 (西湖区 · 杭州市)")
    ('北山街道', ('西湖区', '杭州市'))
    >>> parse_reference("北山街道（西湖区）")
    ('北山街道', ('西湖区',))
    >>> parse_reference("北山街道")
    ('北山街道', ())
    """
    m = _REF.match(text.strip())
    if not m:
        return text.strip(), ()
    above = tuple(p.strip() for p in re.split(r"[·・/]", m["above"]) if p.strip())
    return m["name"].strip(), above


def _end_labels(rel: RelType, col: str) -> tuple[str, ...]:
    side = 0 if col == "from" else 1
    return tuple(lb for lb in dict.fromkeys(p[side] for p in rel.pairs) if lb in NAMED_LABELS)


def resolve_named_ends(nodes: list[MatchedTable], rels: list[MatchedTable], ids: pd.Index,
                       codes: np.ndarray, problems: Problems,
                       store: NamedLookup | None = None) -> tuple[pd.Index, np.ndarray]:
    """Replace relationship ends written as names by the id they name, in place.

    Only cells that are no known id and hold a non-ASCII character (ids are codes; names
    are Chinese) are looked up, at most :data:`MAX_NAMES` distinct ones per import.

    Parameters
    ----------
    nodes, rels : list of MatchedTable
        The import's tables; ``rels``' ``from``/``to`` columns are rewritten.
    ids : pandas.Index
        Ids known so far (the import's, and stored ones its ends use).
    codes : numpy.ndarray
        Label codes aligned with ``ids`` (index into ``SCHEMA.node_names``).
    problems : Problems
        Gets one located problem per cell whose name fits several things.
    store : NamedLookup, optional
        The store an adding import goes into; None: names resolve within the import.

    Returns
    -------
    (pandas.Index, numpy.ndarray)
        ``ids`` and ``codes`` with the stored nodes names resolved to.
    """
    wanted: dict[tuple[int, str], np.ndarray] = {}
    asked: set[str] = set()
    n_cells = 0
    for t in rels:
        for col in ("from", "to"):
            if col not in t.cols or not _end_labels(t.item, col):  # type: ignore[arg-type]
                continue
            s = t.cols[col]
            miss = (ids.get_indexer(s) < 0) & (s != "").to_numpy()
            miss &= ~s.str.isascii().to_numpy(dtype=bool, na_value=True)
            if miss.any():
                wanted[(id(t), col)] = miss
                cells = pd.unique(s[miss])
                n_cells += len(cells)
                if n_cells > MAX_NAMES:  # not names: unknown ids, left to their check
                    return ids, codes
                for v in cells.tolist():
                    asked.update({v, parse_reference(v)[0]})
    if not wanted:
        return ids, codes
    # here, not at the top: loaders.registers imports loaders.validate, which imports this
    from wushe.loaders.registers.resolver import Ambiguous, Entity, normalise

    ix = _index(nodes, rels, asked, store)
    found: dict[str, str] = {}
    for t in rels:
        for col in ("from", "to"):
            miss = wanted.get((id(t), col))
            if miss is None:
                continue
            labels = _end_labels(t.item, col)  # type: ignore[arg-type]
            s = t.cols[col]
            decided: dict[str, str] = {}
            torn: dict[str, tuple[Entity, ...]] = {}
            for v in set(s[miss].tolist()):
                name, above = parse_reference(v)
                # a name may hold brackets itself (新村社区(十一)): the whole cell first
                hit = ix.resolve(v, labels) if above else None
                if not isinstance(hit, Entity):
                    hit = ix.resolve(name, labels, above[0] if above else "")
                if isinstance(hit, Entity) and all(normalise(p) in hit.parents for p in above):
                    decided[v] = hit.id
                    found[hit.id] = hit.label
                elif isinstance(hit, Ambiguous):
                    torn[v] = hit.matches
            bad = s.isin(list(torn)).to_numpy() & miss
            if decided or bad.any():  # reported once here: blank for the later end checks
                t.cols[col] = s.map(lambda v, d=decided: d.get(v, v)).where(~bad, "")
            t.column(col).report(
                problems, "ambiguous_name", bad,
                lambda v, m=torn: _ambiguous(v.strip(), m.get(v.strip(), ()), "en"),
                lambda v, m=torn: _ambiguous(v.strip(), m.get(v.strip(), ()), "zh"))
    new = [i for i in found if ids.get_indexer([i])[0] < 0]
    codes_new = np.array([SCHEMA.node_names.index(found[i]) for i in new], dtype=codes.dtype)
    return ids.append(pd.Index(new, dtype=object)), np.concatenate([codes, codes_new])


def _ambiguous(text: str, matches: tuple[Entity, ...], lang: str) -> str:
    name = parse_reference(text)[0]
    if lang == "zh":
        shown = "、".join(f"{SCHEMA.node(e.label).zh}「{e.name}」({e.region or '无上级'},"
                         f"编号 {e.id})" for e in matches)
        example = reference_text(name, matches[0].region)
        return (f"「{text}」不止指一处:{shown}。请写明它的上级(如「{example}」,即模板下拉列表"
                "中的写法),或填写编号。")
    shown = "; ".join(f"{SCHEMA.node(e.label).en.lower()} '{e.name}' in "
                      f"{e.region or 'no region'} (id {e.id})" for e in matches)
    example = reference_text(name, matches[0].region)
    return (f"'{text}' names more than one thing: {shown}. Add the places above it (as the "
            f"template's drop-down writes it, e.g. '{example}') or give the id.")


def _index(nodes: list[MatchedTable], rels: list[MatchedTable], asked: set[str],
           store: NamedLookup | None) -> Index:
    """The things ``asked`` may name: this import's nodes and the store's of those names."""
    from wushe.loaders.registers.resolver import Entity, Index, normalise

    ix = Index()
    mine = {}  # id -> (label, name) of the import's nodes that may be named
    for t in nodes:
        if t.item.name in NAMED_LABELS and "id" in t.cols and "name" in t.cols:
            mine.update(zip(t.cols["id"].tolist(),
                            ((t.item.name, n) for n in t.cols["name"].tolist()), strict=True))
    up = {}  # the import's own place links, by id
    for t in rels:
        if t.item.name in ("PART_OF", "BASED_IN") and "from" in t.cols and "to" in t.cols:
            up.update((f, p) for f, p in zip(t.cols["from"], t.cols["to"], strict=True)
                      if f in mine and f != p)
    stored_above = pd.DataFrame(columns=["id", "name", "parents"])
    if store is not None:
        outside = sorted({p for p in up.values() if p not in mine})
        if outside:
            stored_above = store.described(outside)
    above = {r.id: (r.name, tuple(r.parents)) for r in stored_above.itertuples(index=False)}
    for i, (label, name) in mine.items():
        if not name or (name not in asked and parse_reference(name)[0] not in asked):
            continue
        chain, at = [], up.get(i)
        while at is not None and len(chain) < 6:
            if at in mine:
                chain.append(mine[at][1])
                at = up.get(at)
            else:
                if at in above:
                    chain += [above[at][0], *above[at][1]]
                break
        ix.add(Entity(label, i, name, PLACE_SEPARATOR.join(chain),
                      frozenset(normalise(c) for c in chain)))
    if store is not None and asked:
        found = store.nodes_named(sorted(asked), NAMED_LABELS)
        for r in found.itertuples(index=False):
            if r.id not in mine:  # the import's version of a stored node wins
                ix.add(Entity(r.label, r.id, r.name, r.region,
                              frozenset(normalise(c) for c in r.parents)))
    return ix


def stored_ends(rels: list[MatchedTable], ids: pd.Index, store: NamedLookup) -> pd.DataFrame:
    """The stored nodes that a replacing import's unknown ends name, by id or by name.

    Columns of ``GraphBackend.described`` plus ``asked`` (the cell). At most
    :data:`MAX_NAMES` distinct cells are asked about.
    """
    cells: set[str] = set()
    for t in rels:
        for col in ("from", "to"):
            if col in t.cols:
                s = t.cols[col]
                cells.update(s[(ids.get_indexer(s) < 0) & (s != "").to_numpy()].tolist())
    if not cells or len(cells) > MAX_NAMES:
        return pd.DataFrame(columns=["asked", "id", "label", "name", "parents", "region"])
    by_id = store.described(sorted(cells)).assign(asked=lambda d: d["id"])
    named = {c: parse_reference(c) for c in cells if not c.isascii()}
    found = store.nodes_named(sorted({n for n, _ in named.values()} | set(named)), NAMED_LABELS)
    rows = []
    for cell, (name, above) in named.items():
        for r in found.itertuples(index=False):
            if r.name in (cell, name) and set(above) <= set(r.parents):
                rows.append({**r._asdict(), "asked": cell})
                break
    return pd.concat([by_id, pd.DataFrame(rows, columns=by_id.columns)], ignore_index=True)
