"""Cached data access for the app: the one place pages get data from.

The store is opened once per process and per store spec (``st.cache_resource``); every
DataFrame is cached with ``st.cache_data`` keyed by ``(backend_id, version, …)`` so that a
new load (which changes the store's version) invalidates exactly the stale entries while
two stores never share one. The backend itself is passed as the unhashed ``_backend``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from wushe.graph.analytics import rankings
from wushe.graph.analytics import regions as tree
from wushe.graph.analytics.quality import data_quality
from wushe.graph.backends import DEFAULT_STORE, GraphBackend, LoadSummary, open_store
from wushe.graph.schema import ELEMENT_ORDER
from wushe.graph.tables import GraphTables
from wushe.queries import registry
from wushe.sample_data import SAMPLE_DIR

__all__ = [
    "analysis",
    "as_of",
    "LEVELS",
    "ROOT",
    "autoload_sample",
    "backend",
    "can_undo",
    "child_targets",
    "children",
    "communities_in",
    "confirm_word",
    "element_counts",
    "gap_details",
    "gap_matches",
    "gap_ranking",
    "index_ranking",
    "index_scores",
    "index_weights",
    "load_tables",
    "modes",
    "organizations",
    "quality",
    "region_name",
    "region_path",
    "region_search",
    "regions",
    "run_named",
    "sample_dir",
    "sample_loaded",
    "split_new_and_stored",
    "store_spec",
    "subgraph",
    "targets",
    "template_bytes",
    "progress",
    "compare",
    "comparable_versions",
    "target_set",
    "target_sets",
    "TARGET_SET_KEY",
    "undo",
    "version_meta",
    "versions",
    "validate_upload",
    "worst_communities",
]

ROOT = Path.cwd()
#: Region levels below the province, top-down (the region tree's columns).
LEVELS = tree.TREE_LEVELS


def store_spec() -> str:
    """The store the app opens: ``$WUSHE_STORE`` or ``.wushe/store`` under the project."""
    return os.environ.get("WUSHE_STORE") or str(ROOT / DEFAULT_STORE)


@st.cache_resource(show_spinner=False)
def _open(spec: str) -> GraphBackend:
    return open_store(spec)


def backend() -> GraphBackend:
    """The store, opened once per process (and per store spec, so tests can switch)."""
    return _open(store_spec())


def warm_up() -> None:
    """Compute what the first page reads (the kept analysis at the default target set and
    date, the region search) before anyone asks: ``wushe app`` calls it as the server
    starts, so the first official to open the app does not wait for it."""
    from wushe.graph.analytics.config import DEFAULT_TARGET_SET, target_due

    b = backend()
    if b.current_version() is None:  # an empty store: the sample is loaded on first visit
        return
    _analysis(b, b.backend_id, b.version(), DEFAULT_TARGET_SET, target_due(DEFAULT_TARGET_SET))
    _region_search(b.backend_id, b.version())


# -- named queries -----------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=512)
def _named(_backend: GraphBackend, backend_id: str, version: str, name: str,
           params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return registry.run(_backend, name, **dict(params))


def run_named(name: str, **params: Any) -> pd.DataFrame:
    """Run named query ``name`` from the library, cached per store version.

    Parameters
    ----------
    name : str
        A query of ``queries/`` (see ``wushe queries``).
    **params
        Its parameters; defaults are filled in by the registry.

    Returns
    -------
    pandas.DataFrame
        The rows (a cached object: copy before changing it).
    """
    b = backend()
    return _named(b, b.backend_id, b.version(), name, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=64)
def _subgraph(_backend: GraphBackend, backend_id: str, version: str, names: tuple[str, ...],
              params: tuple[tuple[str, Any], ...]) -> nx.MultiDiGraph:
    return registry.subgraph(_backend, names, **dict(params))


def subgraph(names: Sequence[str], **params: Any) -> nx.MultiDiGraph:
    """The composed subgraph of named queries ``names``, cached per store version (see
    :func:`wushe.queries.registry.subgraph`)."""
    b = backend()
    return _subgraph(b, b.backend_id, b.version(), tuple(names), tuple(sorted(params.items())))


# -- regions -----------------------------------------------------------------------------

def regions() -> pd.DataFrame:
    """The region tree, one row per community (``<level>_id`` and ``<level>`` name columns)."""
    return run_named("regions")


def children(level: str, parent_id: str | None = None) -> list[tuple[str, str]]:
    """``(id, name)`` of the regions at ``level`` inside ``parent_id`` (see
    :func:`wushe.graph.analytics.regions.children`)."""
    return tree.children(regions(), level, parent_id)


def region_search() -> pd.DataFrame:
    """Every region with the names above it (see
    :func:`wushe.graph.analytics.regions.searchable`)."""
    b = backend()
    return _region_search(b.backend_id, b.version())


@st.cache_resource(show_spinner=False, max_entries=8)
def _region_search(backend_id: str, version: str) -> pd.DataFrame:
    return tree.searchable(regions())


def region_name(level: str, region_id: str) -> str:
    """Display name of a region (its id when unknown)."""
    return tree.region_name(regions(), level, region_id)


def region_path(level: str, region_id: str) -> dict[str, str]:
    """The ids of ``region_id`` and of every region above it, keyed by level."""
    return tree.region_path(regions(), level, region_id)


def communities_in(level: str | None, region_id: str | None) -> list[str]:
    """Ids of the communities inside a region (all of them for the province)."""
    return tree.communities_in(regions(), level, region_id)


def element_counts(level: str | None, region_id: str | None) -> pd.Series:
    """How many actors of each of the five elements a region holds (element → count)."""
    df = run_named("element_counts", communities=communities_in(level, region_id))
    return df.set_index("element")["n"].reindex(list(ELEMENT_ORDER), fill_value=0).astype(int)


# -- analytics ---------------------------------------------------------------------------

def as_of() -> dt.date:
    """The date the user judges the targets at (sidebar; default: when the chosen target
    set is due, 2025-12-31 for the policy's)."""
    from wushe.graph.analytics.config import target_due

    value = st.session_state.get("as_of")
    return value if isinstance(value, dt.date) else target_due(target_set())


# The analysis and its facts are shared, not copied: st.cache_data pickles a value on
# every hit, seconds for a province's analysis each time a page asks for a table. Readers
# derive new frames from them and never change them in place.
@st.cache_resource(show_spinner=False, max_entries=8)
def _facts(_backend: GraphBackend, backend_id: str, version: str, as_of: dt.date) -> Any:
    from wushe.graph.analytics.facts import load_facts
    from wushe.graph.analytics.kept import kept_facts

    # Kept with the live version (matched by its token) at this date: no store queries.
    return kept_facts(_backend, as_of) or load_facts(_backend, as_of=as_of)


@st.cache_resource(show_spinner=False, max_entries=8)
def _analysis(_backend: GraphBackend, backend_id: str, version: str, target_set: str,
              as_of: dt.date) -> Any:
    from wushe.graph.analytics.analysis import analyze_facts
    from wushe.graph.analytics.config import DEFAULT_TARGET_SET, use_target_set
    from wushe.graph.analytics.kept import kept_analysis

    if target_set == DEFAULT_TARGET_SET:  # what is kept with a version (at its date)
        kept = kept_analysis(_backend, as_of)
        if kept is not None:
            return kept
    # Matching is the slowest step (half the time on the sample data): only the gaps
    # page needs it, so it is computed apart, on first use (see gap_matches).
    with use_target_set(target_set):
        return analyze_facts(_facts(_backend, backend_id, version, as_of),
                             with_matches=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _matches(_backend: GraphBackend, backend_id: str, version: str,
             target_set: str, as_of: dt.date) -> pd.DataFrame:
    from wushe.graph.analytics.config import use_target_set
    from wushe.graph.analytics.matches import matches

    gaps = _analysis(_backend, backend_id, version, target_set, as_of).gaps
    with use_target_set(target_set):  # the facts hold the links matches leave out
        return matches(_facts(_backend, backend_id, version, as_of), gaps)


def analysis() -> Any:
    """The whole analysis of the stored graph (``graph.analytics.analysis.Analysis``),
    with the targets judged at :func:`as_of`.

    The store is queried once per version; everything else is pandas on cached facts.
    ``matches`` is left empty here: use :func:`gap_matches`.
    """
    b = backend()
    return _analysis(b, b.backend_id, b.version(), target_set(), as_of())


#: Session-state key of the chosen target set (the overview's picker).
TARGET_SET_KEY = "target_set"


def target_set() -> str:
    """The target set the visitor chose (default: the policy's 2025 set)."""
    from wushe.graph.analytics.config import DEFAULT_TARGET_SET

    return str(st.session_state.get(TARGET_SET_KEY) or DEFAULT_TARGET_SET)


def target_sets() -> list[str]:
    """Names of the selectable target sets (graph/data/targets.csv and $WUSHE_TARGET_SETS)."""
    from wushe.graph.analytics.config import target_sets as sets

    return list(sets())


def targets(level: str, region_id: str | None = None) -> pd.DataFrame:
    """The targets of the chosen set that apply at one region, or at every region of
    ``level``.

    ``level`` "province" needs no id. Columns: see ``graph.analytics.targets.targets``.
    """
    df = analysis().targets
    df = df[df["level"] == level]
    if sample_loaded():  # the sample is a small part of the province: measure it so
        from wushe.graph.analytics.share import prorate_to_share, province_share

        df = prorate_to_share(df, province_share(len(communities_in(None, None))))
    return df[df["region_id"] == region_id] if region_id and level != "province" else df


def child_targets(level: str, region_id: str | None) -> pd.DataFrame:
    """Targets of every region one level below ``region_id`` (the drill-down)."""
    sub = tree.child_level(level)
    if sub is None:
        return targets("community").iloc[0:0]
    ids = {i for i, _ in children(sub, region_id if level != "province" else None)}
    df = targets(sub)
    return df[df["region_id"].isin(ids)]


def worst_communities(level: str, region_id: str | None, n: int = 10) -> pd.DataFrame:
    """The ``n`` communities of a region furthest from the targets (see
    :func:`wushe.graph.analytics.rankings.worst_communities`)."""
    return rankings.worst_communities(targets("community"), communities_in(level, region_id), n)


def _with_regions(df: pd.DataFrame, level: str, region_id: str | None) -> pd.DataFrame:
    """Per-community rows with their region columns, kept if inside the region."""
    return tree.in_region(df, regions(), level, region_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def _index(_backend: GraphBackend, backend_id: str, version: str,
           weights: tuple[tuple[str, float], ...], target_set: str,
           as_of: dt.date) -> pd.DataFrame:
    from wushe.graph.analytics.config import use_target_set
    from wushe.graph.analytics.index import linkage_index

    with use_target_set(target_set):
        return linkage_index(_facts(_backend, backend_id, version, as_of),
                             weights_source=dict(weights) or None)


def index_weights() -> pd.DataFrame:
    """Default index weights: ``index``, ``component``, ``weight``, ``zh``, ``en``."""
    from wushe.graph.analytics.config import weights

    return weights()


def index_scores(level: str, region_id: str | None,
                 weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Linkage and vitality index of the communities in a region, with dimension scores.

    ``weights`` overrides the default ``{component: weight}`` (renormalised per index);
    adjusting them recomputes only pandas, the store is queried once per version.
    """
    b = backend()
    if not weights:
        return _with_regions(analysis().index, level, region_id)
    df = _index(b, b.backend_id, b.version(), tuple(sorted(weights.items())), target_set(),
                as_of())
    return _with_regions(df, level, region_id)


def index_ranking(level: str, region_id: str | None, kind: str,
                  weights: dict[str, float] | None) -> pd.DataFrame:
    """Communities of a region ranked by ``kind`` ("linkage" or "vitality") index, with the
    rank under the default weights (see :func:`wushe.graph.analytics.rankings.index_ranking`)."""
    return rankings.index_ranking(index_scores(level, region_id, weights),
                                  index_scores(level, region_id), kind)


def modes(level: str, region_id: str | None) -> pd.DataFrame:
    """Linkage mode, score vector and reason of every community in a region.

    Columns of ``graph.analytics.modes.linkage_modes`` plus the region tree columns
    (``city_id``, ``county``…).
    """
    return _with_regions(analysis().modes, level, region_id)


def gap_details(level: str, region_id: str | None,
                kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Every gap row (community, kind, item, severity, reasons) of the communities in a
    region, optionally only of some gap ``kinds``."""
    g = analysis().gaps
    if kinds:
        g = g[g["kind"].isin(list(kinds))]
    return _with_regions(_broker_names(g), level, region_id)


def _broker_names(g: pd.DataFrame) -> pd.DataFrame:
    """Single-broker gaps name the broker by name, not by id (item and reasons)."""
    rows = g["kind"] == "single_broker"
    if not rows.any():
        return g
    ids = sorted(set(g.loc[rows, "item"]))
    names = run_named("names_by_id", ids=ids).set_index("id")["name"].dropna().to_dict()
    g = g.copy()
    for col in ("reason_zh", "reason_en"):
        g.loc[rows, col] = [_swap(t, i, names) for t, i in
                            zip(g.loc[rows, col], g.loc[rows, "item"], strict=True)]
    g.loc[rows, "item"] = g.loc[rows, "item"].map(lambda i: names.get(i, i))
    return g


def _swap(text: str, actor_id: str, names: dict[str, str]) -> str:
    name = names.get(actor_id)
    return text.replace(actor_id, name) if name else text


def gap_ranking(level: str, region_id: str | None, kinds: Sequence[str] | None = None,
                lang: str = "zh") -> pd.DataFrame:
    """Under-connected communities of a region ranked by total gap severity (see
    :func:`wushe.graph.analytics.rankings.gap_ranking`)."""
    return rankings.gap_ranking(gap_details(level, region_id, kinds), lang)


def gap_matches(community_ids: Sequence[str]) -> pd.DataFrame:
    """Recommended resources for the gaps of some communities, best first per gap."""
    b = backend()
    m = _matches(b, b.backend_id, b.version(), target_set(), as_of())
    m = m[m["community_id"].isin(list(community_ids))].reset_index(drop=True)
    rows = m["gap_kind"] == "single_broker"
    if rows.any():  # the broker by name, as in the gap itself
        names = run_named("names_by_id", ids=sorted(set(m.loc[rows, "gap_item"])))
        named = names.set_index("id")["name"].dropna().to_dict()
        m.loc[rows, "gap_item"] = m.loc[rows, "gap_item"].map(lambda i: named.get(i, i))
    return m


# -- data quality ------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _quality(_backend: GraphBackend, backend_id: str, version: str) -> dict[str, pd.DataFrame]:
    return data_quality(_backend)


def quality() -> dict[str, pd.DataFrame]:
    """Counts per label, missing-field shares and orphans (``analytics.quality``)."""
    b = backend()
    return _quality(b, b.backend_id, b.version())


# -- loading -----------------------------------------------------------------------------

def sample_dir() -> Path | None:
    """The sample-data folder (``$WUSHE_SAMPLE`` or ``sample_data/``) if it holds data.

    ``WUSHE_AUTOLOAD_SAMPLE=0`` (``wushe app --no-sample``) turns the autoload off.
    """
    if os.environ.get("WUSHE_AUTOLOAD_SAMPLE", "1") == "0":
        return None
    path = Path(os.environ.get("WUSHE_SAMPLE") or SAMPLE_DIR)
    if path.is_dir() and any(p.suffix.lower() in (".csv", ".xlsx") for p in path.iterdir()):
        return path
    return None


@st.cache_resource(show_spinner=False)
def _autoload(spec: str) -> list[LoadSummary]:
    b = _open(spec)
    folder = sample_dir()
    if folder is None or not registry.run(b, "count_by_label").empty:
        return []
    from wushe.graph.analytics.kept import keep_analysis
    from wushe.graph.backends.versions import VersionMeta, hash_sources
    from wushe.loaders import read_import

    # The sample is loaded the way offices' data is: from its registers (issue 12), when
    # the folder has them; the graph-format CSVs beside them hold the same graph.
    registers = folder / "registers"
    if registers.is_dir():
        from wushe.loaders.registers import read_registers

        meta = VersionMeta(sources=hash_sources(registers), note="sample data 示例数据")
        tables = read_registers(registers, salt=_salt()).tables
    else:
        meta = VersionMeta(sources=hash_sources(folder), note="sample data 示例数据")
        tables = read_import(folder, salt=_salt())
    summary = b.load(tables, replace=True, meta=meta)
    keep_analysis(b)
    return [summary]


def autoload_sample() -> LoadSummary | None:
    """Load the sample data into an empty store, once per process; what it loaded, if any.

    The summary is handed out once (the first run after loading), so the notice that the
    sample was loaded is not repeated on every click.
    """
    held = _autoload(store_spec())
    return held.pop() if held else None


@st.cache_data(show_spinner=False, max_entries=8)
def _holds_sample(_backend: GraphBackend, backend_id: str, version: str) -> bool:
    folder = Path(os.environ.get("WUSHE_SAMPLE") or SAMPLE_DIR)
    ids: list[str] = []
    for name in ("City.csv", "County.csv"):
        if (folder / name).exists():
            ids += pd.read_csv(folder / name, dtype=str)["id"].dropna().tolist()
    return bool(ids) and len(_backend.existing_labels(ids)) == len(set(ids))


def sample_loaded() -> bool:
    """Whether the store holds the sample data (its cities and counties are all there)."""
    b = backend()
    return _holds_sample(b, b.backend_id, b.version())


def validate_upload(files: Sequence[tuple[str, bytes]] | None = None,
                    folder: str | None = None, *, append: bool = False) -> GraphTables:
    """Read and validate uploaded files (or a folder on the server) into tables.

    ``append`` validates against the store: references to stored nodes resolve, and ids
    already stored are corrections of those nodes (load with ``update=True``).

    Raises
    ------
    graph.errors.ValidationError
        listing every located problem; nothing is written.
    """
    from wushe.loaders import read_import, read_import_files

    kwargs: dict[str, Any] = {"store": backend() if append else None,
                              "replacing": None if append else backend(),
                              "salt": _salt(), "update": append}
    if folder is not None:
        return read_import(Path(folder).expanduser(), **kwargs)
    return read_import_files(list(files or ()), **kwargs)


def _salt() -> bytes:
    """The salt for sensitive values of this store (see :func:`loaders.salt_for_store`)."""
    from wushe.loaders import salt_for_store

    return salt_for_store(backend())


def load_tables(tables: GraphTables | Callable[[], GraphTables], *, replace: bool,
                progress: Callable[[int, int, str], None] | None = None,
                meta: Any = None) -> LoadSummary:
    """Write ``tables`` to the store as a new version (``meta``: a
    ``graph.backends.versions.VersionMeta``) and keep its analysis; cached results go
    stale by the version change. ``tables`` may be a function that validates the upload:
    the store calls it under its load lock (validate-and-write as one step).

    Without ``replace`` the load adds new nodes and updates stored ones (the store's
    update rule, see :meth:`GraphBackend.load`).
    """
    from wushe.app.views._i18n import tr
    from wushe.graph.analytics.kept import keep_analysis

    summary = backend().load(tables, replace=replace, update=not replace,
                             progress=progress, meta=meta)
    # Once per load, so that every page then opens from the kept tables.
    with st.spinner(tr("正在计算并保存本版本的分析结果…",
                       "Computing and keeping this version's analysis…")):
        keep_analysis(backend())
    return summary


# -- versions ----------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def _progress(_backend: GraphBackend, backend_id: str, version: str, level: str,
              region_id: str | None, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from wushe.graph.analytics.progress import projection, target_history

    # Keyed by the live version too: a load or an undo changes which versions are kept.
    history = target_history(_backend, level, region_id, target_set=name)
    return history, projection(history, target_set=name)


def comparable_versions() -> list[tuple[int, str]]:
    """``(id, label)`` of the versions with a kept analysis, newest data date last."""
    from wushe.graph.analytics.kept import versions_with_analysis

    return [(v.id, f"{v.id} · {v.data_date or '-'} · {v.user}")
            for v in versions_with_analysis(backend())]


@st.cache_data(show_spinner=False, max_entries=16)
def _compare(_backend: GraphBackend, backend_id: str, a: int, b: int, level: str,
             region_id: str | None) -> Any:
    from wushe.graph.analytics.versions_diff import diff_versions, kept_version

    # Version ids are never reused and kept tables never change: no store version needed.
    return diff_versions(kept_version(_backend, a), kept_version(_backend, b), level=level,
                         region_id=region_id)


def compare(a: int, b: int, level: str, region_id: str | None) -> Any:
    """The comparison of versions ``a`` and ``b`` at a region
    (``graph.analytics.versions_diff.VersionDiff``), from their kept analysis."""
    bk = backend()
    return _compare(bk, bk.backend_id, a, b, level, region_id or None)


def progress(level: str, region_id: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each target of a region across the kept versions (by data date) and its projection
    (``graph.analytics.progress``), for the chosen target set."""
    b = backend()
    return _progress(b, b.backend_id, b.version(), level, region_id or None, target_set())


def versions() -> pd.DataFrame:
    """The store's versions, newest first (``app.versions_table.versions_frame``)."""
    from wushe.app.versions_table import versions_frame
    from wushe.app.views._i18n import lang

    return versions_frame(backend(), lang())


def can_undo() -> bool:
    """Whether the store keeps an earlier graph to go back to (embedded store only)."""
    vs = backend().versions()
    cur = next((v for v in vs if v.state == "current"), None)
    return bool(cur and any(v.state == "kept" and v.file and v.id < cur.id for v in vs))


def undo() -> str:
    """Undo the last load; the message saying what was dropped (in the UI language)."""
    from wushe.app.versions_table import undo_message
    from wushe.app.views._i18n import lang

    return undo_message(backend().undo(), lang())


def version_meta(files: Sequence[tuple[str, bytes]] | None, folder: str | None,
                 data_date: Any, user: str = "") -> Any:
    """The ``VersionMeta`` of an upload: data date, user, and each file's name and hash."""
    import hashlib

    from wushe.graph.backends.versions import Source, VersionMeta, hash_sources

    if folder:
        sources = hash_sources(Path(folder).expanduser())
    else:
        sources = tuple(Source(Path(n).name, hashlib.sha256(b).hexdigest())
                        for n, b in files or ())
    return VersionMeta(data_date=data_date, user=user, sources=sources)


def split_new_and_stored(tables: GraphTables) -> pd.DataFrame:
    """Per label of an import: how many of its nodes are new and how many already stored.

    Columns ``label``, ``new``, ``stored`` (what an adding load will add and update).
    """
    rows = []
    for label, df in tables.nodes.items():
        stored = backend().existing_labels(df["id"].dropna().astype(str).tolist())
        n_stored = sum(1 for v in stored.values() if v == label)
        rows.append({"label": label, "new": len(df) - n_stored, "stored": n_stored})
    return pd.DataFrame(rows, columns=["label", "new", "stored"])


def confirm_word() -> str:
    """What a user types to confirm replacing the store: the name of the region it covers.

    The city's name when the store holds one city (the usual case: a city's or a
    county's data), otherwise 全省; 全部数据 for a store without regions.
    """
    cities = children("city")
    if len(cities) == 1:
        return cities[0][1]
    return "全省" if cities else "全部数据"


def template_bytes() -> bytes:
    """The XLSX import template (the shipped file, else generated), with the stored regions
    and organizations listed by name and a drop-down of them on the relationship columns
    (see :func:`wushe.loaders.template.with_stored_names`); built once per store version
    (the data page draws its download button on every run)."""
    b = backend()
    return _template(b, b.backend_id, b.version())


@st.cache_data(show_spinner=False, max_entries=2)
def _template(_backend: GraphBackend, backend_id: str, version: str) -> bytes:
    from wushe.loaders.template import with_stored_names, write_template

    shipped = SAMPLE_DIR / "template" / "wushe-import-template.xlsx"
    if shipped.exists():
        blank = shipped.read_bytes()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "template.xlsx"
            write_template(out)
            blank = out.read_bytes()
    found = region_search()
    if found.empty:
        return blank
    return with_stored_names(blank, found, organizations())


def organizations(level: str | None = None, region_id: str | None = None) -> pd.DataFrame:
    """Every stored organization once: ``id``, ``name`` and ``parents`` (the community or
    township it is based in, then the names above; blank when it is based nowhere), by
    name — what a picker lists so that users choose an organization by name and place.

    With a region, only the organizations based inside it (a province has too many to
    list at once).
    """
    orgs = run_named("organizations").drop_duplicates("id")
    if level and level != "province" and region_id:
        tree = regions()
        inside = tree[tree[f"{level}_id"] == region_id]
        places = {*inside["community_id"].dropna(), *inside["township_id"].dropna()}
        orgs = orgs[orgs["place_id"].isin(places)]
    places = region_search()
    where = dict(zip(places["id"], [f"{n} · {p}" if p else n for n, p in
                                    zip(places["name"], places["parents"], strict=True)],
                     strict=True))
    return pd.DataFrame({"id": orgs["id"].astype(str), "name": orgs["name"].fillna(""),
                         "parents": orgs["place_id"].map(where).fillna("").to_numpy()}
                        ).sort_values(["name", "parents"], ignore_index=True)


# -- briefing ----------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _briefing(_backend: GraphBackend, backend_id: str, version: str, region_id: str | None,
              lang: str) -> bytes:
    from wushe.app.briefing import build_briefing, docx_bytes

    return docx_bytes(build_briefing(_backend, region_id, lang=lang))


def briefing_docx(level: str, region_id: str | None, lang: str) -> bytes:
    """The Word briefing of a region (the province at level "province"), cached per version."""
    b = backend()
    return _briefing(b, b.backend_id, b.version(), None if level == "province" else region_id,
                     lang)
