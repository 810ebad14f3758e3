"""Targets, thresholds and index weights, read from graph/data (data files, not code)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wushe.graph.errors import WusheError

__all__ = ["DATA_DIR", "TargetSpec", "target_specs", "threshold", "thresholds", "weights",
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
    value_urban: float | None
    value_rural: float | None
    unit: str
    levels: tuple[str, ...]
    scope: str
    policy: str


def _num(v: object) -> float | None:
    return None if pd.isna(v) else float(v)  # type: ignore[arg-type]


@functools.cache
def _targets_frame() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "targets.csv", dtype={"levels": str}, keep_default_na=True)


def target_specs() -> tuple[TargetSpec, ...]:
    """The ten 2025 targets, in the policy's order."""
    df = _targets_frame()
    out = []
    for r in df[df["kind"] == "target"].itertuples(index=False):
        out.append(TargetSpec(
            key=r.key, binding=r.binding, zh=r.zh, en=r.en, op=r.op, value=_num(r.value),
            value_urban=_num(r.value_urban), value_rural=_num(r.value_rural), unit=r.unit,
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
