"""Updates: a newer register replaces what it describes and leaves the rest.

Loading the organization register again replaces the stored organizations (attributes)
and the relationships that register makes (BASED_IN, SERVES from organizations); other
registers' facts stay. Organizations no longer listed are removed, with every relationship
that touched them. :class:`Changes` counts what was added, changed and removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables
from wushe.loaders.registers.build import isin_set as _isin
from wushe.loaders.registers.kinds import DIVISIONS, RegisterKind
from wushe.loaders.validate import ImportResult

__all__ = ["Change", "Changes", "merge", "owned"]


@dataclass(frozen=True)
class Change:
    """Added, changed and removed rows of one label or relationship type."""

    added: int = 0
    changed: int = 0
    removed: int = 0


@dataclass
class Changes:
    """Per label / relationship type: what a load adds, changes and removes."""

    items: dict[str, Change] = field(default_factory=dict)

    @classmethod
    def all_added(cls, tables: GraphTables) -> Changes:
        return cls({k: Change(added=v) for k, v in tables.counts().items()})

    def lines(self, lang: str = "zh") -> list[str]:
        """One line per label/type that changes."""
        out = []
        for k, c in self.items.items():
            if c.added or c.changed or c.removed:
                out.append(f"{k}: 新增 {c.added},变更 {c.changed},删除 {c.removed}" if lang == "zh"
                           else f"{k}: added {c.added}, changed {c.changed}, removed {c.removed}")
        return out


def owned(kinds: list[RegisterKind]) -> dict[str, list[tuple[str, str]]]:
    """Relationship type → (end, label) pairs whose rows the given kinds own.

    ``("from", "Organization")`` under BASED_IN: every BASED_IN from an organization is
    the organization register's to state.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for k in kinds:
        if k is DIVISIONS:
            for label in ("Community", "Township", "County"):
                out.setdefault("PART_OF", []).append(("from", label))
            continue
        for f in k.refs:
            assert f.ref is not None
            end = "to" if f.ref.reverse else "from"
            out.setdefault(f.ref.rel, []).append((end, k.label))
    return out


def _key(df: pd.DataFrame) -> pd.Series:
    """A row's identity and content as one text (for set comparisons)."""
    cols = [c for c in df.columns if c not in ("from_label", "to_label")]
    if not len(df):
        return pd.Series([], dtype="str")
    out = df[cols[0]].astype("str")
    for c in cols[1:]:
        out = out + "\x1f" + df[c].astype("str")
    return out


def merge(base: GraphTables, new: ImportResult,
          kinds: list[RegisterKind]) -> tuple[ImportResult, Changes]:
    """The store's graph with ``new`` replacing what ``kinds`` describe.

    Parameters
    ----------
    base : GraphTables
        The stored graph (every label and relationship type).
    new : ImportResult
        The validated registers.
    kinds : list of RegisterKind
        The register kinds that were read.

    Returns
    -------
    (ImportResult, Changes)
        The whole graph to load with ``replace=True``, and what it changes.
    """
    out = ImportResult(warnings=list(new.warnings))
    changes: dict[str, Change] = {}
    removed_ids: set[str] = set()
    for label in SCHEMA.node_names:
        old = base.nodes.get(label)
        fresh = new.nodes.get(label)
        if fresh is None:
            if old is not None:
                out.nodes[label] = old
            continue
        if old is None or old.empty:
            out.nodes[label] = fresh
            changes[label] = Change(added=len(fresh))
            continue
        gone = pd.Series(~_isin(old["id"], fresh["id"]), index=old.index)
        removed_ids.update(old.loc[gone, "id"].tolist())
        both = old[~gone]
        cols = list(fresh.columns)
        merged = fresh.merge(both[cols], on="id", how="left", suffixes=("", "_old"),
                             indicator=True)
        is_new = (merged["_merge"] == "left_only").to_numpy()
        differs = pd.Series(False, index=merged.index)
        for c in cols:
            if c == "id":
                continue
            a = merged[c].astype("str").where(merged[c].notna(), "")
            b = merged[f"{c}_old"].astype("str").where(merged[f"{c}_old"].notna(), "")
            differs |= (a != b)
        changes[label] = Change(added=int(is_new.sum()),
                                changed=int((differs & ~is_new).sum()),
                                removed=int(gone.sum()))
        out.nodes[label] = fresh
    own = owned(kinds)
    for rtype in SCHEMA.rel_names:
        old = base.rels.get(rtype)
        fresh = new.rels.get(rtype)
        keep = old
        if old is not None and not old.empty:
            drop = pd.Series(False, index=old.index)
            for end, label in own.get(rtype, ()):
                drop |= old[f"{end}_label"] == label
            if removed_ids:
                gone_ids = list(removed_ids)
                drop |= _isin(old["from"], gone_ids) | _isin(old["to"], gone_ids)
            keep = old[~drop]
        parts = [p for p in (keep, fresh) if p is not None and len(p)]
        if not parts:
            continue
        combined = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        out.rels[rtype] = combined.reset_index(drop=True)
        before = set(_key(old)) if old is not None else set()
        after = set(_key(combined))
        if before != after:
            changes[rtype] = Change(added=len(after - before), removed=len(before - after))
    return out, Changes(changes)
