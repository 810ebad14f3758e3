"""Versions of a store: one small manifest per load, and a folder for what is kept with it.

Folder layout (``ROOT`` is the embedded store's folder + ``versions/``, or for Neo4j a local
folder, see :func:`neo4j_versions_dir`)::

    ROOT/000007/manifest.json      data date, load time, who, sources + hashes, counts, token
    ROOT/000007/kept/analysis/*.parquet  the analysis the pages show (analytics.kept)
    ROOT/000007/kept/facts/*.parquet     the aggregates the analysis starts from
    ROOT/000007/kept/entities/*.parquet  id, name and a hash of every node's properties

A version's ``token`` equals the store's :meth:`GraphBackend.version` while that version is
live, so a reader can tell whether what was kept describes the graph it is looking at: kept
tables are used only when the tokens match, never for a store that changed since.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from wushe.graph.errors import StoreError

__all__ = [
    "DEFAULT_KEEP", "Source", "VersionMeta", "Version", "VersionStore", "keep_count",
    "hash_sources", "neo4j_versions_dir", "folder_size",
]

#: Versions kept unless ``WUSHE_KEEP_VERSIONS`` or the store's ``keep_versions`` say otherwise.
DEFAULT_KEEP = 5
_DIR = re.compile(r"^\d{6}$")


def keep_count(value: int | None = None) -> int:
    """How many versions to keep: ``value``, else ``$WUSHE_KEEP_VERSIONS``, else 5 (min 1)."""
    if value is None:
        raw = os.environ.get("WUSHE_KEEP_VERSIONS", "")
        try:
            value = int(raw) if raw.strip() else DEFAULT_KEEP
        except ValueError:
            raise StoreError(f"WUSHE_KEEP_VERSIONS must be a whole number, got '{raw}'.",
                             f"WUSHE_KEEP_VERSIONS 应为整数,实际为「{raw}」。") from None
    return max(1, int(value))


@dataclass(frozen=True)
class Source:
    """One source file of a load: its name (never its folder) and SHA-256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class VersionMeta:
    """What the loader says about a load: the data date, who, from which files.

    ``data_date`` is the date the data describes (``--as-of``), not the load time.
    """

    data_date: dt.date = field(default_factory=dt.date.today)
    user: str = ""
    sources: tuple[Source, ...] = ()
    note: str = ""

    def who(self) -> str:
        """The user, else ``$WUSHE_USER``, else the login name."""
        if self.user:
            return self.user
        try:
            return os.environ.get("WUSHE_USER") or getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            return "unknown"


@dataclass(frozen=True)
class Version:
    """One version's manifest.

    ``state`` is "kept" (its graph can be made current again), "current" (set when
    listing), "dropped" (undone: the manifest stays as history, the graph is gone) or
    "analysis" (Neo4j: only the kept analysis exists, the graph is the server's).
    """

    id: int
    token: str
    data_date: str | None
    loaded_at: str
    user: str
    engine: str
    replace: bool
    sources: tuple[Source, ...] = ()
    load_counts: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""
    state: str = "kept"
    dropped_at: str | None = None
    file: str | None = None

    @property
    def name(self) -> str:
        """The folder name (``000007``), also how users refer to a version."""
        return f"{self.id:06d}"

    def to_json(self) -> str:
        d = asdict(self)
        d["sources"] = [asdict(s) for s in self.sources]
        return json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Version:
        d = json.loads(text)
        d["sources"] = tuple(Source(**s) for s in d.get("sources", ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def hash_sources(paths: Iterable[Path] | Path) -> tuple[Source, ...]:
    """Name and SHA-256 of every CSV/XLSX file of an import (a folder or single files)."""
    if isinstance(paths, Path):
        paths = sorted(p for p in paths.iterdir() if p.is_file()) if paths.is_dir() else [paths]
    out = []
    for p in paths:
        if p.suffix.lower() not in (".csv", ".xlsx"):
            continue
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        out.append(Source(p.name, h.hexdigest()))
    return tuple(out)


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path`` (0 when missing)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def neo4j_versions_dir(backend_id: str) -> Path:
    """Where a Neo4j store's versions are kept: ``$WUSHE_VERSIONS/<slug>`` or
    ``~/.wushe/versions/<slug>`` (the slug is made from the URI and database, no secrets)."""
    root = Path(os.environ.get("WUSHE_VERSIONS") or Path.home() / ".wushe" / "versions")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", backend_id).strip("_")
    return root.expanduser() / slug


class VersionStore:
    """The manifests (and kept tables) of one store's versions under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, version_id: int) -> Path:
        return self.root / f"{version_id:06d}"

    def kept_dir(self, version_id: int) -> Path:
        """Where the tables kept with a version live (complete when present)."""
        return self.folder(version_id) / "kept"

    def next_id(self, floor: int = 0) -> int:
        """An id above every version ever kept here (ids are never reused)."""
        ids = [int(p.name) for p in self._dirs()]
        return max([floor, *ids]) + 1

    def write(self, version: Version) -> Version:
        """Write (or rewrite) a manifest atomically."""
        folder = self.folder(version.id)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(version.to_json(), encoding="utf-8")
        os.replace(tmp, folder / "manifest.json")
        return version

    def get(self, ref: str | int) -> Version:
        """A version by id (``7`` or ``000007``); a located error when there is none."""
        try:
            vid = int(str(ref).strip())
        except ValueError:
            vid = -1
        path = self.folder(vid) / "manifest.json" if vid >= 0 else None
        if path is None or not path.exists():
            have = ", ".join(str(v.id) for v in self.list()) or "none"
            raise StoreError(f"No version '{ref}' in this store (versions: {have}). "
                             "Run 'wushe versions' to list them.",
                             f"本库没有版本「{ref}」(现有版本:{have})。"
                             "运行 wushe versions 查看。")
        return Version.from_json(path.read_text(encoding="utf-8"))

    def list(self) -> list[Version]:
        """Every manifest, oldest first."""
        out = []
        for d in self._dirs():
            try:
                out.append(Version.from_json((d / "manifest.json").read_text(encoding="utf-8")))
            except FileNotFoundError:
                continue
        return sorted(out, key=lambda v: v.id)

    def by_token(self, token: str) -> Version | None:
        """The kept version whose token is ``token`` (the live graph's), if any."""
        for v in reversed(self.list()):
            if v.token == token and v.state != "dropped":
                return v
        return None

    def mark_dropped(self, version: Version) -> Version:
        """Record that ``version`` was undone; its kept tables go, the manifest stays."""
        shutil.rmtree(self.kept_dir(version.id), ignore_errors=True)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return self.write(replace(version, state="dropped", dropped_at=now))

    def remove(self, version: Version) -> None:
        shutil.rmtree(self.folder(version.id), ignore_errors=True)

    def prune(self, keep: int, live_token: str | None) -> list[Version]:
        """Keep the newest ``keep`` versions (plus the live one) and the newest ``keep``
        dropped manifests; remove the rest and return them."""
        versions = self.list()
        alive = [v for v in versions if v.state != "dropped"]
        dropped = [v for v in versions if v.state == "dropped"]
        gone = [v for v in alive[:-keep] if v.token != live_token] + dropped[:-keep]
        for v in gone:
            self.remove(v)
        return gone

    def size(self, version_id: int) -> int:
        """Bytes of the tables kept with a version."""
        return folder_size(self.folder(version_id))

    def _dirs(self) -> Sequence[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if p.is_dir() and _DIR.match(p.name)]

