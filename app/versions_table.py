"""The versions of a store as a table, and what an undo says (CLI and data page share them)."""

from __future__ import annotations

import re

import pandas as pd

from wushe.graph.backends.base import GraphBackend, Undo
from wushe.graph.backends.versions import Version
from wushe.graph.schema import SCHEMA

__all__ = ["versions_frame", "undo_message", "count_changes"]

_STATE = {"current": ("当前", "current"), "kept": ("可撤回", "kept"),
          "dropped": ("已撤销", "undone"), "analysis": ("仅分析", "analysis only")}


def _mib(n: int) -> float:
    return round(n / 2**20, 2)


def versions_frame(backend: GraphBackend, lang: str = "zh") -> pd.DataFrame:
    """One row per version, newest first: id, state, data date, load time, who, sources,
    nodes, relationships, disk MiB (graph + kept tables), total disk of the kept versions.

    Parameters
    ----------
    backend : GraphBackend
    lang : {"zh", "en"}
        Language of the state column.

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    zh = lang == "zh"
    for v in reversed(backend.versions()):
        nodes = sum(n for k, n in v.counts.items() if k in SCHEMA.node_names)
        rels = sum(n for k, n in v.counts.items() if k in SCHEMA.rel_names)
        rows.append({
            "version": v.id, "state": _STATE.get(v.state, (v.state, v.state))[0 if zh else 1],
            "data_date": v.data_date or "", "loaded_at": v.loaded_at, "user": v.user,
            "replace": v.replace,
            "sources": ", ".join(f"{s.name} ({s.sha256[:8]})" for s in v.sources)
            or _note(v.note, zh),
            "nodes": nodes, "relationships": rels,
            "disk_mib": _mib(backend.version_disk(v)) if v.state != "dropped" else 0.0,
        })
    return pd.DataFrame(rows, columns=["version", "state", "data_date", "loaded_at", "user",
                                       "replace", "sources", "nodes", "relationships",
                                       "disk_mib"])


def _note(note: str, zh: bool) -> str:
    """The reader's half of an ``"English 中文"`` note (``"empty store 空库"``)."""
    m = re.match(r"^([\x00-\x7f]+?)\s+([^\x00-\x7f].*)$", note or "")
    return (m.group(2) if zh else m.group(1)) if m else note


def count_changes(old: Version, new: Version) -> dict[str, int]:
    """Per label/type, how many more (positive) or fewer ``new`` holds than ``old``."""
    keys = [k for k in (*SCHEMA.node_names, *SCHEMA.rel_names)
            if new.counts.get(k, 0) != old.counts.get(k, 0)]
    return {k: int(new.counts.get(k, 0) - old.counts.get(k, 0)) for k in keys}


def undo_message(result: Undo, lang: str = "zh") -> str:
    """What an undo dropped and what is current again, in one paragraph."""
    d, c = result.dropped, result.current
    lost = count_changes(c, d)
    srcs = ", ".join(s.name for s in d.sources) or d.note or "-"
    parts = [f"{k} {v:+,}" for k, v in lost.items()]
    if lang == "zh":
        what = ";".join(f"{SCHEMA.node(k).zh if k in SCHEMA.node_names else k} {v:+,}"
                        for k, v in lost.items()) or "数量无变化"
        return (f"已撤销版本 {d.id}(数据日期 {d.data_date or '-'},{d.loaded_at} 由 {d.user} "
                f"导入,来源 {srcs})。撤销的变化:{what}。当前为版本 {c.id}"
                f"(数据日期 {c.data_date or '-'})。")
    return (f"Undid version {d.id} (data date {d.data_date or '-'}, loaded {d.loaded_at} by "
            f"{d.user} from {srcs}). Changes dropped: {'; '.join(parts) or 'no count changes'}."
            f" Version {c.id} (data date {c.data_date or '-'}) is current again.")
