"""One name per parent: a township, community or organization name is used once under the
same parent (county, township, or the community/township an organization is based in).

Two 翠苑街道 in 西湖区 are almost always one street entered twice under two ids; the app
could not tell them apart and every count would split. A second one is refused, with both
shown, unless the file says it is the same one, by giving the stored one's id (then the
import updates it). Checked within the import and against the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from wushe.graph.schema import SCHEMA, SIBLING_SCOPES
from wushe.graph.tables import text_isin
from wushe.loaders.headers import MatchedTable
from wushe.loaders.problems import MAX_PER_RULE, Problems

__all__ = ["ExistingChildren", "check_sibling_names"]

#: ``existing_children(parent_ids)`` → frame ``parent``, ``parent_name``, ``label``, ``id``,
#: ``name`` of the stored children (``GraphBackend.children_named``)
ExistingChildren = Callable[[Iterable[str]], pd.DataFrame]


def _zh(label: str) -> str:
    return SCHEMA.node(label).zh


def check_sibling_names(nodes: list[MatchedTable], rels: list[MatchedTable],
                        rel_labels: dict[int, tuple[np.ndarray, np.ndarray]],
                        problems: Problems,
                        existing_children: ExistingChildren | None = None) -> None:
    """Report a child whose name is already used under the same parent.

    Parameters
    ----------
    nodes, rels : list of MatchedTable
        The import's node and relationship tables.
    rel_labels : dict
        ``id(rel table)`` → (from labels, to labels), aligned with its rows.
    problems : Problems
    existing_children : callable, optional
        The store's children of some parents (an adding import); None for a replacing one.
    """
    tables = {t.item.name: t for t in nodes if "id" in t.cols and "name" in t.cols}
    links = []
    for child, rel, parent in SIBLING_SCOPES:
        if child not in tables:
            continue
        for t in rels:
            if t.item.name != rel or id(t) not in rel_labels:
                continue
            fl, tl = rel_labels[id(t)]
            ok = (fl == child) & (tl == parent)
            links.append(pd.DataFrame({"label": child, "id": t.cols["from"][ok].to_numpy(),
                                       "parent": t.cols["to"][ok].to_numpy()}))
    if not links:
        return
    link = pd.concat(links, ignore_index=True).drop_duplicates(["label", "id"])
    rows = []
    for label, t in tables.items():
        rows.append(pd.DataFrame({"label": label, "id": t.cols["id"].to_numpy(),
                                  "name": t.cols["name"].to_numpy(), "row": t.rows}))
    mine = pd.concat(rows, ignore_index=True).merge(link, on=["label", "id"])
    mine = mine[(mine["name"] != "") & (mine["id"] != "")]
    if mine.empty:
        return
    stored = (existing_children(sorted(set(mine["parent"])))
              if existing_children is not None else pd.DataFrame())
    parent_names: dict[str, str] = {}
    if len(stored):
        parent_names.update(zip(stored["parent"], stored["parent_name"], strict=True))
    for label, t in tables.items():
        here = mine[mine["label"] == label]
        if here.empty:
            continue
        first = here.drop_duplicates(["parent", "name"], keep="first")
        again = here[~here.index.isin(first.index)]
        hits = []  # (row, name, parent, other id, where the other is)
        ref = first.set_index(["parent", "name"])
        for r in again.itertuples(index=False):
            o = ref.loc[(r.parent, r.name)]
            hits.append((r.row, r.name, r.parent, o["id"], f"{t.source} 第{o['row']}行",
                         f"{t.source} row {o['row']}"))
        if len(stored):
            # a stored sibling of the same name, unless this import renames it too
            st_ = stored[(stored["label"] == label).to_numpy()
                         & ~text_isin(stored["id"], here["id"])]
            both = here.merge(st_, on=["parent", "name"], suffixes=("", "_stored"))
            both = both[both["id"] != both["id_stored"]]
            hits += [(r.row, r.name, r.parent, r.id_stored, "库中已有", "already stored")
                     for r in both.itertuples(index=False)]
        if not hits:
            continue
        hits = sorted(hits)[:MAX_PER_RULE]
        _name_parents(parent_names, nodes, {h[2] for h in hits})
        what_zh, what_en = _zh(label), SCHEMA.node(label).en.lower()
        problems.many(
            t.source, t.column("name").label, "name_under_parent",
            np.array([h[0] for h in hits]), [h[1] for h in hits],
            [f"'{parent_names.get(p, p)}' already has a {what_en} named '{n}' (id {o}, "
             f"{w_en}). If it is the same one, give it that id (the import then updates it); "
             "if it is another one, give it a name that tells them apart."
             for _, n, p, o, _w, w_en in hits],
            [f"「{parent_names.get(p, p)}」下已有同名{what_zh}「{n}」(编号 {o},{w})。如果就是"
             f"同一个,请使用编号 {o}(导入将更新它);如果是另一个,请改用能区分的名称。"
             for _, n, p, o, w, _e in hits],
        )


def _name_parents(names: dict[str, str], nodes: list[MatchedTable], parents: set[str]) -> None:
    """Add the import's names of ``parents`` to ``names`` (only those a message shows)."""
    for t in nodes:
        if "id" in t.cols and "name" in t.cols:
            hit = t.cols["id"].isin(parents).to_numpy()
            names.update(zip(t.cols["id"][hit], t.cols["name"][hit], strict=True))
