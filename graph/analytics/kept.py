"""The analysis kept with each version (Parquet beside its manifest).

After a load, :func:`keep_analysis` writes three groups of tables into the version's
``kept/`` folder: the analysis the pages show (targets, coverage, density, modes, index,
gaps, idle resources), the :class:`Facts` it was computed from (so another target set or
other weights can be applied without the store), and an entity snapshot (id, name and a
hash of every node's properties, per label) from which two versions' entities compare.

Kept tables are used as the live figures only for the version whose token is the live
store's (:meth:`GraphBackend.current_version`), so a store that changed since never shows
them, and only when they were computed under the same rules (:func:`rules_fingerprint`:
the analytics code, the queries, targets.csv and weights.csv), so an upgrade recomputes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wushe.graph.analytics.analysis import Analysis, analyze_facts
from wushe.graph.analytics.facts import DEFAULT_AS_OF, Facts, load_facts, object_strings
from wushe.graph.backends.base import GraphBackend
from wushe.graph.backends.versions import Version, VersionStore
from wushe.graph.schema import SCHEMA

__all__ = ["KeptVersion", "keep_analysis", "kept_analysis", "kept_facts", "read_kept",
           "entity_snapshot", "ANALYSIS_TABLES", "versions_with_analysis", "kept_table",
           "kept_version_facts"]

#: The Analysis fields kept (matches are ranked on demand from the kept facts).
ANALYSIS_TABLES: tuple[str, ...] = ("coverage", "density", "modes", "index", "gaps", "targets",
                                    "idle", "idle_items")
_FACT_TABLES = tuple(f.name for f in dataclasses.fields(Facts)
                     if f.name not in ("years", "as_of"))
_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class KeptVersion:
    """A version's manifest with its kept tables (``entities``: label → frame)."""

    version: Version
    analysis: Analysis
    facts: Facts
    entities: dict[str, pd.DataFrame]


def entity_snapshot(backend: GraphBackend) -> dict[str, pd.DataFrame]:
    """Every node's id, name (where the label has one) and a hash of all its properties.

    Two versions' snapshots tell which entities were added, removed or changed, without
    keeping the properties themselves (personal data stays in the store only).
    """
    out = {}
    for node in SCHEMA.nodes:
        props = [p.name for p in node.all_props]
        # Labels and property names come from the schema, never from the user.
        cols = ", ".join(f"n.{p} AS {p}" for p in props)
        df = backend.run(f"MATCH (n:{node.name}) RETURN {cols}", timeout_s=_TIMEOUT_S)
        if df.empty:
            df = pd.DataFrame(columns=props)
        # Typed columns hash as they are; object columns (dates, mixed) by their text.
        values = df[props].copy()
        for col in props:
            if values[col].dtype == object:
                values[col] = values[col].map(str)
        snap = pd.DataFrame({
            "id": df["id"].astype(str),
            "name": df["name"].astype(object) if "name" in df.columns else None,
            "hash": pd.util.hash_pandas_object(values, index=False).to_numpy()
            if len(df) else pd.Series([], dtype="uint64"),
        })
        out[node.name] = snap.sort_values("id", ignore_index=True)
    return out


def keep_analysis(backend: GraphBackend) -> Version | None:
    """Compute and keep the analysis of the live version; None when it has no manifest.

    The tables are written into a temporary folder and renamed into place, so a reader
    finds either all of them or none.
    """
    version = backend.current_version()
    if version is None:
        return None
    # The snapshot's queries run in the engine outside the GIL while the analysis
    # computes in Python: on two cores the two overlap.
    with ThreadPoolExecutor(max_workers=1) as pool:
        snapshot = pool.submit(entity_snapshot, backend)
        facts = load_facts(backend)
        analysis = analyze_facts(facts, with_matches=False)
        entities = snapshot.result()
    if backend.version() != version.token:  # the store changed while we computed
        return None
    store = backend.version_store
    final = store.kept_dir(version.id)
    tmp = final.with_name("kept.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for sub, frames in (("analysis", {t: getattr(analysis, t) for t in ANALYSIS_TABLES}),
                        ("facts", {t: getattr(facts, t) for t in _FACT_TABLES}),
                        ("entities", entities)):
        (tmp / sub).mkdir(parents=True)
        for name, df in frames.items():
            _plain(df).to_parquet(tmp / sub / f"{name}.parquet", index=False)
    (tmp / "meta.json").write_text(json.dumps({"years": list(facts.years),
                                               "rules": rules_fingerprint(),
                                               "as_of": facts.as_of.isoformat()}))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    return version


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns mixing types (e.g. ids and NaN) as strings Arrow can type."""
    out = df.copy()
    for col in out.columns:
        # infer_dtype looks at the values in C ("mixed…" for several kinds)
        if out[col].dtype == object and pd.api.types.infer_dtype(
                out[col], skipna=True).startswith("mixed"):
            out[col] = out[col].map(lambda v: None if v is None or v != v else str(v))
    return out


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    # object strings, as the store's facts have: Arrow strings slow every join 2-3x
    return {p.stem: object_strings(pd.read_parquet(p)) for p in sorted(folder.glob("*.parquet"))}


@functools.cache
def rules_fingerprint() -> str:
    """A hash of what the analysis is computed by: the analytics code, the queries and the
    data files (targets, weights). Kept tables computed under other rules are not shown as
    the live figures (an upgrade recomputes them)."""
    root = Path(__file__).resolve().parent
    files = sorted([*root.glob("*.py"), *(root.parent / "data").glob("*.csv"),
                    *(root.parent.parent / "queries").rglob("*.cypher")])
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _meta(folder: Path) -> tuple[tuple[int, int], dt.date] | None:
    """(years, as_of) of a kept folder; None when nothing was kept (or kept without the
    date its targets were judged at)."""
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except FileNotFoundError:
        return None
    if "as_of" not in meta:
        return None
    y = meta["years"]
    return (int(y[0]), int(y[1])), dt.date.fromisoformat(meta["as_of"])


def _years(folder: Path) -> tuple[int, int] | None:
    meta = _meta(folder)
    return meta[0] if meta else None


def _analysis_of(folder: Path, years: tuple[int, int]) -> Analysis:
    a = _read(folder / "analysis")
    return Analysis(years, a["coverage"], a["density"], a["modes"], a["index"], a["gaps"],
                    pd.DataFrame(), a["targets"], a["idle"], a["idle_items"])


def _facts_of(folder: Path, years: tuple[int, int]) -> Facts:
    f = _read(folder / "facts")
    meta = _meta(folder)
    return Facts(years, *(f[t] for t in _FACT_TABLES),
                 as_of=meta[1] if meta else DEFAULT_AS_OF)


def read_kept(store: VersionStore, version: Version) -> KeptVersion | None:
    """A version's kept tables, or None when none were kept (or the version was undone)."""
    folder = store.kept_dir(version.id)
    years = _years(folder)
    if years is None:
        return None
    return KeptVersion(version, _analysis_of(folder, years), _facts_of(folder, years),
                       _read(folder / "entities"))


def _kept_years(backend: GraphBackend, as_of: dt.date | None
                ) -> tuple[Path, tuple[int, int]] | None:
    folder = _live(backend)
    meta = _meta(folder) if folder else None
    if folder is None or meta is None or meta[1] != (as_of or DEFAULT_AS_OF):
        return None
    return folder, meta[0]


def kept_analysis(backend: GraphBackend, as_of: dt.date | None = None) -> Analysis | None:
    """The kept analysis of the live graph judged at ``as_of`` (default 2025-12-31), if it
    was kept at that date (None: compute it)."""
    kept = _kept_years(backend, as_of)
    return _analysis_of(*kept) if kept else None


def kept_facts(backend: GraphBackend, as_of: dt.date | None = None) -> Facts | None:
    """The kept facts of the live graph at ``as_of``, if kept (None: query the store)."""
    kept = _kept_years(backend, as_of)
    return _facts_of(*kept) if kept else None


def _live(backend: GraphBackend) -> Path | None:
    """The kept folder of the live version, if kept under the rules of this code."""
    version = backend.current_version()
    if version is None:
        return None
    folder = backend.version_store.kept_dir(version.id)
    try:
        rules = json.loads((folder / "meta.json").read_text()).get("rules")
    except FileNotFoundError:
        return None
    return folder if rules == rules_fingerprint() else None


def versions_with_analysis(backend: GraphBackend) -> list[Version]:
    """The versions whose analysis is kept (undone ones excluded), oldest data date first."""
    store = backend.version_store
    out = [v for v in backend.versions()
           if v.state != "dropped" and (store.kept_dir(v.id) / "meta.json").exists()]
    return sorted(out, key=lambda v: (v.data_date or "", v.id))


def kept_table(store: VersionStore, version: Version, name: str) -> pd.DataFrame:
    """One kept analysis table (e.g. ``targets``) of a version, without reading the rest."""
    return pd.read_parquet(store.kept_dir(version.id) / "analysis" / f"{name}.parquet")


def kept_version_facts(store: VersionStore, version: Version) -> Facts | None:
    """The kept facts of any version (None when none were kept)."""
    folder = store.kept_dir(version.id)
    years = _years(folder)
    return _facts_of(folder, years) if years else None
