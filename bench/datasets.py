"""The benchmark datasets: which sizes exist, and how each is produced on disk.

Every generated size is seeded and written as CSV in the import format by
``loaders.generator.generate_to`` (run in a subprocess by :mod:`bench.run`, so a 15-million
volunteer province is never held by the orchestrator). The full divisions file
``../shared/data/zhejiang_divisions.csv`` is used when present; without it (a user's clone)
the generator invents a hierarchy of the same shape. ``--quick`` (CI) always uses a small
invented hierarchy (2 cities × 3 counties × 5 townships), so it never needs ../shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import ROOT

__all__ = [
    "DIVISIONS_FILE",
    "PROVINCE_VOLUNTEERS_2M",
    "SAMPLE_DIR",
    "SIZES",
    "Size",
    "divisions_file",
    "quick_sizes",
    "scaling_sizes",
]

SAMPLE_DIR = ROOT / "sample_data"
#: the 11 cities, 90 counties and 1,387 townships of Zhejiang (read-only reference data)
DIVISIONS_FILE = ROOT.parent / "shared" / "data" / "zhejiang_divisions.csv"
PROVINCE_VOLUNTEERS_2M = 2_000_000
SEED = 20251125


@dataclass(frozen=True)
class Size:
    """One dataset: the sample folder, or generator keyword arguments."""

    name: str
    title: str
    sample: bool = False
    scale: float = 1.0
    volunteers: int | None = None
    #: stores this size is loaded into by default
    stores: tuple[str, ...] = ("ladybug", "neo4j", "networkx")
    #: part of the main table (load/analysis/queries/app) or only of the scaling table
    main: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def generator_args(self, divisions: Path | None) -> dict[str, Any]:
        """Keyword arguments for ``loaders.generator.generate_to``."""
        args: dict[str, Any] = {"seed": SEED, "scale": self.scale, **self.extra}
        if self.volunteers is not None:
            args["volunteers"] = self.volunteers
        if divisions is not None:
            args["divisions"] = str(divisions)
        return args


SIZES: dict[str, Size] = {
    "sample": Size("sample", "sample (sample_data/)", sample=True),
    "2m": Size("2m", "province, 2M volunteers", volunteers=PROVINCE_VOLUNTEERS_2M),
    "full": Size("full", "full province, 15M volunteers", volunteers=15_000_000,
                 stores=("ladybug",)),
}


def scaling_sizes() -> list[Size]:
    """0.1×, 0.25× and 0.5× of the 2M-volunteer province (1.0× is the ``2m`` size)."""
    out = []
    for f in (0.1, 0.25, 0.5):
        out.append(Size(f"s{f:g}", f"{f:g}× province", scale=f,
                        volunteers=int(PROVINCE_VOLUNTEERS_2M * f), stores=("ladybug",),
                        main=False))
    return out


def quick_sizes() -> tuple[list[Size], list[Size]]:
    """Tiny sizes for ``--quick`` (CI): main sizes and scaling sizes."""
    main = [Size("tiny", "tiny generated (30 townships, 20k volunteers)", scale=0.1,
                 volunteers=20_000)]
    scaling = [Size(f"q{f:g}", f"{f:g}× tiny", scale=0.1 * f, volunteers=int(20_000 * f),
                    stores=("ladybug",), main=False) for f in (0.25, 0.5)]
    return main, scaling


def divisions_file() -> tuple[Path | None, bool]:
    """The divisions CSV to generate from, and whether it is the real one.

    Without the shared file (a user's clone, CI) the generator invents a hierarchy of the
    same shape (11 cities × 8 counties × 16 townships ≈ 1,408 townships).
    """
    if DIVISIONS_FILE.is_file():
        return DIVISIONS_FILE, True
    return None, False
