"""Targets, thresholds and index weights, read from graph/data (data files, not code)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wushe.graph.errors import WusheError

__all__ = ["DATA_DIR", "DEFAULT_TARGET_SET", "TargetSpec", "target_due", "target_sets",
           "target_specs", "use_target_set", "threshold", "thresholds", "weights",
           "WeightsSource"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

WeightsSource = Mapping[str, float] | str | Path | None


@dataclass(frozen=True)
class TargetSpec:
    """One 2025 target of the policy (a row of targets.csv)."""

    key: str
    binding: str  # "binding" 约束性 or "expected" 预期性
    zh: str
    en: str
    op: str
    value: float | None
    unit: str
    levels: tuple[str, ...]
    scope: str
    policy: str


def _num(v: object) -> float | None:
    return None if pd.isna(v) else float(v)  # type: ignore[arg-type]


@functools.cache
def _targets_frame() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "targets.csv", dtype={"levels": str}, keep_default_na=True)


#: The policy's 2025 targets: graph/data/targets.csv.
DEFAULT_TARGET_SET = "policy-2025"
_ACTIVE_SET: contextvars.ContextVar[str] = contextvars.ContextVar("wushe_target_set",
                                                                  default=DEFAULT_TARGET_SET)


def target_sets() -> dict[str, Path]:
    """Every selectable target set: name → file.

    ``policy-2025`` is graph/data/targets.csv; every ``NAME.csv`` in ``$WUSHE_TARGET_SETS``
    (a folder; several separated by ``:``) is the set ``NAME``. A set file has the columns
    of targets.csv (its ``target`` rows are used; thresholds always come from targets.csv)
    and may add a ``due`` column, the date the set's targets are due (docs/versions.md).
    """
    out = {DEFAULT_TARGET_SET: DATA_DIR / "targets.csv"}
    for folder in filter(None, os.environ.get("WUSHE_TARGET_SETS", "").split(os.pathsep)):
        for f in sorted(Path(folder).expanduser().glob("*.csv")):
            out.setdefault(f.stem, f)
    return out


@functools.cache
def _set_frame(path: Path, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"levels": str}, keep_default_na=True)


def _active_targets() -> pd.DataFrame:
    name = _ACTIVE_SET.get()
    if name == DEFAULT_TARGET_SET:
        return _targets_frame()
    sets = target_sets()
    if name not in sets:
        raise WusheError(f"Unknown target set '{name}'; known: {', '.join(sets)}.",
                         f"未知的目标体系「{name}」;可用:{'、'.join(sets)}。")
    return _set_frame(sets[name], sets[name].stat().st_mtime)


@contextlib.contextmanager
def use_target_set(name: str | None) -> Iterator[None]:
    """Within the block, :func:`target_specs` returns the targets of set ``name``.

    A context variable, so concurrent app sessions (threads) each keep their own choice.
    """
    token = _ACTIVE_SET.set(name or DEFAULT_TARGET_SET)
    try:
        _active_targets()  # an unknown name fails here, at the choice
        yield
    finally:
        _ACTIVE_SET.reset(token)


def target_due(name: str | None = None) -> dt.date:
    """When the targets of set ``name`` (default: the active one) are due.

    The policy's set is due at the end of 2025 (到2025年底); another set says so in its
    ``due`` column.
    """
    token = _ACTIVE_SET.set(name) if name else None
    try:
        df = _active_targets()
    finally:
        if token is not None:
            _ACTIVE_SET.reset(token)
    due = df["due"].dropna() if "due" in df.columns else pd.Series([], dtype=object)
    return dt.date.fromisoformat(str(due.iloc[0])) if len(due) else dt.date(2025, 12, 31)


def target_specs() -> tuple[TargetSpec, ...]:
    """The targets of the active set (by default the policy's 2025 targets, urban and rural
    organization averages apart), in order."""
    df = _active_targets()
    out = []
    for r in df[df["kind"] == "target"].itertuples(index=False):
        out.append(TargetSpec(
            key=r.key, binding=r.binding, zh=r.zh, en=r.en, op=r.op, value=_num(r.value),
            unit=r.unit,
            levels=tuple(str(r.levels).split(";")), scope=r.scope, policy=r.policy))
    return tuple(out)


def thresholds() -> dict[str, float]:
    """Every documented threshold (targets.csv rows of kind ``threshold``)."""
    return dict(_thresholds())


@functools.cache
def _thresholds() -> dict[str, float]:
    df = _targets_frame()
    t = df[df["kind"] == "threshold"]
    return {k: float(v) for k, v in zip(t["key"], t["value"], strict=True)}


def threshold(key: str) -> float:
    """One threshold by key."""
    return _thresholds()[key]


@functools.cache
def _default_weights() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "weights.csv")


def weights(source: WeightsSource = None) -> pd.DataFrame:
    """Index weights: the defaults, overridden by a ``{component: weight}`` dict or a CSV file.

    Weights are renormalised within each index so they sum to 1.

    Raises
    ------
    WusheError
        for an unknown component or a negative weight.
    """
    df = _default_weights().copy()
    override: dict[str, float] = {}
    if isinstance(source, str | Path):
        f = pd.read_csv(source)
        override = dict(zip(f["component"], f["weight"].astype(float), strict=True))
    elif source is not None:
        override = {k: float(v) for k, v in source.items()}
    unknown = sorted(set(override) - set(df["component"]))
    if unknown:
        raise WusheError(
            f"Unknown index component(s) {', '.join(unknown)}; known: "
            f"{', '.join(df['component'])}.",
            f"未知的指数维度 {'、'.join(unknown)};可用:{'、'.join(df['component'])}。")
    if any(v < 0 for v in override.values()):
        raise WusheError("Index weights must not be negative.", "指数权重不能为负数。")
    for k, v in override.items():
        df.loc[df["component"] == k, "weight"] = v
    totals = df.groupby("index")["weight"].transform("sum")
    df["weight"] = (df["weight"] / totals.where(totals > 0, 1.0)).astype(float)
    return df
