"""Reference resolution: one index of known entities, used by every register kind.

A register names communities, organizations and people by code or by name. The index holds
every entity the import makes and every entity already in the store, and resolves a
reference in this order:

1. by key: our id, division code (12-digit or short), credit code, filing number,
   volunteer number, need or project number;
2. by exact name, within the parent region when one is given;
3. by normalised name: full/half width folded, spaces removed, and the usual suffixes
   (社区居民委员会 / 居委会 / 社区, 村民委员会 / 村委会 / 村, 街道办事处 / 街道, 镇, 乡 …)
   ignored — again within the parent when given.

Anything else is a :class:`Miss` with up to three close candidates and their region; two
or more matches at the deciding step are :class:`Ambiguous` — never a silent guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Ambiguous", "Entity", "Index", "Miss", "name_variants", "normalise"]

_SPACE = re.compile(r"[\s\u3000]+")
# Longest first: 社区居民委员会 before 居民委员会 before 社区.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "Community": ("社区居民委员会", "居民委员会", "社区居委会", "居委会", "村民委员会", "村委会",
                  "社区", "村"),
    "Township": ("街道办事处", "人民政府", "办事处", "街道", "镇", "乡"),
    "County": ("人民政府",),
    "City": ("人民政府",),
}
_PEOPLE = ("SocialWorker", "Volunteer")
MAX_CANDIDATES = 3
# Close-name candidates are looked for among at most this many names of a label.
_CANDIDATE_POOL = 200_000


def normalise(text: str) -> str:
    """NFKC (full → half width), no spaces, case folded.

    Examples
    --------
    >>> normalise(" 福亭 社区（一） ")
    '福亭社区(一)'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def name_variants(text: str, label: str) -> list[str]:
    """Normalised name, then without each suffix the label's names commonly carry.

    Examples
    --------
    >>> name_variants("新村社区居民委员会", "Community")
    ['新村社区居民委员会', '新村']
    >>> name_variants("北山街道", "Township")
    ['北山街道', '北山']
    """
    base = normalise(text)
    out = [base]
    for suf in _SUFFIXES.get(label, ()):
        if base.endswith(suf) and len(base) > len(suf):
            stem = base[: -len(suf)]
            if stem not in out:
                out.append(stem)
            break
    return out


@dataclass(frozen=True)
class Entity:
    """A thing a reference may name: its label, id, name and where it is."""

    label: str
    id: str
    name: str
    region: str = ""
    parents: frozenset[str] = frozenset()

    def shown(self) -> str:
        """Name with its region, for messages."""
        return f"{self.name}({self.region})" if self.region else self.name


@dataclass(frozen=True)
class Miss:
    """Nothing matched; ``candidates`` are the closest names."""

    candidates: tuple[Entity, ...] = ()


@dataclass(frozen=True)
class Ambiguous:
    """Several things match."""

    matches: tuple[Entity, ...]


class Index:
    """Known entities by key, exact name and normalised name, one table per label.

    Entities are added a frame at a time (:meth:`add_frame`; a province holds millions of
    volunteers) or one by one (:meth:`add`); the lookup dictionaries of a label are built
    the first time a reference asks for that label.
    """

    def __init__(self) -> None:
        self._frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
        self._tables: dict[str, _LabelTable] = {}
        self._pools: dict[tuple[str, ...], dict[str, list[tuple[_LabelTable, int]]]] = {}

    def add(self, e: Entity, keys: tuple[str, ...] = ()) -> None:
        """Index one entity under its id, ``keys`` (codes), name and name variants."""
        self.add_frame(e.label, pd.DataFrame({
            "id": [e.id], "name": [e.name], "region": [e.region],
            "parents": ["|".join(sorted(e.parents))], **{f"key{i}": [k] for i, k in
                                                          enumerate(keys)}}))

    def add_frame(self, label: str, df: pd.DataFrame) -> None:
        """Index entities of ``label``: columns ``id``, ``name``, ``region``, ``parents``
        (``|``-joined normalised parent names and codes) and any ``key*`` columns."""
        self._frames[label].append(df)
        self._tables.pop(label, None)
        self._pools.clear()

    def __len__(self) -> int:
        return sum(len(f) for v in self._frames.values() for f in v)

    def labels(self) -> set[str]:
        return {lb for lb, v in self._frames.items() if any(len(f) for f in v)}

    def _table(self, label: str) -> _LabelTable | None:
        if label not in self._frames:
            return None
        t = self._tables.get(label)
        if t is None:
            t = self._tables[label] = _LabelTable(label, pd.concat(
                self._frames[label], ignore_index=True).fillna(""))
        return t

    def resolve(self, text: str, labels: tuple[str, ...],
                parent: str = "") -> Entity | Miss | Ambiguous:
        """Resolve a reference ``text`` to one entity of one of ``labels``.

        Parameters
        ----------
        text : str
            The cell (or list item) as written.
        labels : tuple of str
            Labels the reference may name.
        parent : str, optional
            A region (name or code) that holds the entity, to tell same-named ones apart.

        Examples
        --------
        >>> ix = Index()
        >>> ix.add(Entity("Community", "c1", "新村社区", "北山街道", frozenset({"北山"})))
        >>> ix.add(Entity("Community", "c2", "新村社区", "西溪街道", frozenset({"西溪"})))
        >>> ix.resolve("新村居委会", ("Community",), "西溪街道").id
        'c2'
        >>> type(ix.resolve("新村社区", ("Community",))).__name__
        'Ambiguous'
        """
        text = text.strip()
        tables = [t for t in (self._table(lb) for lb in labels) if t is not None]
        key = normalise(text)
        hits = _unique(e for t in tables for e in t.by_key(key))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return Ambiguous(tuple(hits))
        # the parent as written first (福山镇 is not 福山街道), then without its suffix
        parents = [{normalise(parent)}, set(name_variants(parent, "Township"))] \
            if parent else None
        exact = _unique(e for t in tables for e in t.by_name(text))
        found = _decide(exact, parents)
        if found is not None:
            return found
        for t in tables:
            for v in name_variants(text, t.label):
                near = _unique(e for t2 in tables for e in t2.by_variant(v))
                found = _decide(near, parents)
                if found is not None:
                    return found
        return Miss(self.candidates(text, labels))

    def resolve_fast(self, items: pd.Series, parents: pd.Series, labels: tuple[str, ...]
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised first pass: items named by exactly one key, or (without a parent) by
        exactly one name. Returns (ids, labels), "" where :meth:`resolve` must decide."""
        n = len(items)
        ids = np.full(n, "", dtype=object)
        labs = np.full(n, "", dtype=object)
        tables = [t for t in (self._table(lb) for lb in labels) if t is not None]
        if not tables or n == 0:
            return ids, labs
        keys = _normalise_series(items).to_numpy(dtype=object)
        names = items.astype("str").str.strip().to_numpy(dtype=object)
        no_parent = (parents.astype("str") == "").to_numpy()
        key_free = np.ones(n, dtype=bool)
        for kind, values, allowed in (("key", keys, np.ones(n, dtype=bool)),
                                      ("name", names, no_parent)):
            allowed = allowed & key_free
            if not allowed.any():
                continue
            hits = np.zeros(n, dtype=np.int64)
            found = np.full(n, "", dtype=object)
            found_label = np.full(n, "", dtype=object)
            for t in tables:
                umap = t.unique_map(kind)
                pos = pd.Series(values, dtype=object).map(umap).to_numpy()
                ok = ~pd.isna(pos)
                known = t.all_values(kind)
                listed = np.fromiter((v in known for v in values.tolist()), dtype=bool,
                                     count=n)
                hits += listed
                idx = np.flatnonzero(ok)
                found[idx] = np.asarray(t._cols["id"], dtype=object)[pos[ok].astype(np.int64)]
                found_label[idx] = t.label
            take = (hits == 1) & (found != "") & allowed & (ids == "")
            ids[take] = found[take]
            labs[take] = found_label[take]
            # a key that names something decides; names only where no key matched
            if kind == "key":
                key_free = hits == 0
        return ids, labs

    def candidates(self, text: str, labels: tuple[str, ...]) -> tuple[Entity, ...]:
        """Up to three entities whose names are closest to ``text`` (none for people)."""
        pool = self._pools.get(labels)
        if pool is None:
            pool = defaultdict(list)
            for lb in labels:
                t = self._table(lb)
                if t is None or lb in _PEOPLE:
                    continue  # never suggest one person's name for another's
                for pos, name in enumerate(t.df["name"].tolist()[:_CANDIDATE_POOL]):
                    pool[normalise(name)].append((t, pos))
            self._pools[labels] = pool
        close = difflib.get_close_matches(normalise(text), list(pool), n=MAX_CANDIDATES,
                                          cutoff=0.4)
        out = [t.entity(pos) for name in close for t, pos in pool[name]]
        return tuple(out[:MAX_CANDIDATES])


class _LabelTable:
    """One label's entities with lazily built key, name and variant dictionaries."""

    def __init__(self, label: str, df: pd.DataFrame) -> None:
        self.label = label
        self.df = df.astype("str")
        # plain lists: building an Entity from them is ~100x faster than df.iloc
        self._cols = {c: self.df[c].tolist() for c in ("id", "name", "region", "parents")}
        self._keys: dict[str, list[int]] | None = None
        self._names: dict[str, list[int]] | None = None
        self._variants: dict[str, list[int]] | None = None
        self._entities: dict[int, Entity] = {}
        self._cache: dict[str, Any] = {}

    def entity(self, pos: int) -> Entity:
        e = self._entities.get(pos)
        if e is None:
            c = self._cols
            e = self._entities[pos] = Entity(
                self.label, c["id"][pos], c["name"][pos], c["region"][pos],
                frozenset(p for p in c["parents"][pos].split("|") if p))
        return e

    @staticmethod
    def _group(values: pd.Series) -> dict[str, list[int]]:
        """Value → positions (most values are unique; a name may repeat)."""
        vals = values.to_numpy(dtype=object)
        dup = pd.Series(vals).duplicated(keep=False).to_numpy()
        keep = np.flatnonzero(~dup & (vals != ""))
        out = {v: [p] for v, p in zip(vals[keep].tolist(), keep.tolist(), strict=True)}
        for p in np.flatnonzero(dup & (vals != "")).tolist():
            out.setdefault(vals[p], []).append(p)
        return out

    def all_values(self, kind: str) -> set[str]:
        """Every key or name this label has."""
        self.unique_map(kind)
        return self._cache[f"all-{kind}"]

    def unique_map(self, kind: str) -> dict[str, int]:
        """Key or name → position, for keys/names that name exactly one entity."""
        if kind not in self._cache:
            if kind == "key":
                self.by_key("")
                src = self._keys
            else:
                self.by_name("")
                src = self._names
            assert src is not None
            # most keys name one entity once: skip building a set for those
            self._cache[kind] = {k: v[0] for k, v in src.items()
                                 if len(v) == 1 or len(set(v)) == 1}
            self._cache[f"all-{kind}"] = set(src)
        return self._cache[kind]

    def by_key(self, key: str) -> list[Entity]:
        if self._keys is None:
            cols = ["id", *[c for c in self.df.columns if c.startswith("key")]]
            stacked = pd.concat([self.df[c] for c in cols])
            n = len(self.df)
            grouped = self._group(_normalise_series(stacked).reset_index(drop=True))
            self._keys = {k: [p % n for p in v] for k, v in grouped.items()}
        return [self.entity(p) for p in dict.fromkeys(self._keys.get(key, ()))]

    def by_name(self, name: str) -> list[Entity]:
        if self._names is None:
            self._names = self._group(self.df["name"].str.strip())
        return [self.entity(p) for p in self._names.get(name, ())]

    def by_variant(self, v: str) -> list[Entity]:
        if self._variants is None:
            out: dict[str, list[int]] = {}
            for pos, name in enumerate(self.df["name"].tolist()):
                if name:
                    for var in name_variants(name, self.label):
                        out.setdefault(var, []).append(pos)
            self._variants = out
        return [self.entity(p) for p in self._variants.get(v, ())]


def _normalise_series(s: pd.Series) -> pd.Series:
    """:func:`normalise` over a column (NFKC only where a value is not ASCII)."""
    s = s.astype("str")
    ascii_ = s.str.isascii().fillna(True).to_numpy(dtype=bool)
    out = s.str.replace(r"\s+", "", regex=True).str.casefold()
    if not ascii_.all():
        out = out.copy()
        out[~ascii_] = [normalise(v) for v in s[~ascii_].tolist()]
    return out


def _decide(hits: list[Entity], parents: list[set[str]] | None
            ) -> Entity | Ambiguous | None:
    if parents is not None:
        within: list[Entity] = []
        for level in parents:
            within = [e for e in hits if e.parents & level]
            if within:
                break
        hits = within
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        return Ambiguous(tuple(hits))
    return None


def _unique(items: Iterable[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for e in items:
        seen.setdefault(e.id, e)
    return list(seen.values())
