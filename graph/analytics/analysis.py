"""One entry point for the app, the CLI and the benchmarks: :func:`analyze`."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import pandas as pd

from wushe.graph.analytics.config import WeightsSource
from wushe.graph.analytics.coverage import coverage, density
from wushe.graph.analytics.facts import Facts, Years, load_facts
from wushe.graph.analytics.gaps import gaps
from wushe.graph.analytics.idle import idle_resources
from wushe.graph.analytics.index import linkage_index
from wushe.graph.analytics.matches import matches
from wushe.graph.analytics.modes import linkage_modes
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.backends.base import GraphBackend
from wushe.graph.schema import REGION_LEVELS

__all__ = ["Analysis", "analyze", "analyze_facts"]


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis computes, one DataFrame per subject.

    coverage, density, modes, index : one row per community
    gaps : one row per (community, gap kind, item); matches : up to N per gap
    targets : one row per (level, region, target) for every level
    idle : per-community idle counts; idle_items : the idle resources themselves
    seconds : wall-clock time per step (queries, then each computation)
    """

    years: tuple[int, int]
    coverage: pd.DataFrame
    density: pd.DataFrame
    modes: pd.DataFrame
    index: pd.DataFrame
    gaps: pd.DataFrame
    matches: pd.DataFrame
    targets: pd.DataFrame
    idle: pd.DataFrame
    idle_items: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


def analyze_facts(facts: Facts, *, weights: WeightsSource = None, n_matches: int = 3,
                  with_matches: bool = True) -> Analysis:
    """Compute the whole analysis from already-fetched :class:`Facts`."""
    secs: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        secs[name] = now - t
        t = now

    cov = coverage(facts)
    dens = density(facts)
    lap("coverage_density")
    modes = linkage_modes(facts)
    lap("modes")
    index = linkage_index(facts, weights_source=weights, cov=cov, dens=dens)
    lap("index")
    # bottom-up, the order the targets table has always had
    tg = pd.concat([targets_from_facts(facts, lv) for lv in reversed(REGION_LEVELS)],
                   ignore_index=True)
    lap("targets")
    gp = gaps(facts, cov=cov, dens=dens)
    lap("gaps")
    idle, idle_items = idle_resources(facts)
    mt = matches(facts, gp, n=n_matches) if with_matches else pd.DataFrame()
    lap("matches")
    return Analysis(facts.years, cov, dens, modes, index, gp, mt, tg, idle, idle_items, secs)


def analyze(backend: GraphBackend, *, years: Years = None, weights: WeightsSource = None,
            n_matches: int = 3, as_of: dt.date | None = None,
            with_matches: bool = True) -> Analysis:
    """Run every analysis on ``backend`` for the project window ``years``.

    Parameters
    ----------
    backend : GraphBackend
    years : (int, int), optional
        Inclusive project-year window; all years when omitted.
    weights : dict, str or Path, optional
        Index weight overrides (see :func:`graph.analytics.config.weights`).
    n_matches : int, optional (default=3)
        Resources proposed per gap.
    as_of : datetime.date, optional (default=2025-12-31)
        Date at which 4A+ ratings must still be valid.
    with_matches : bool, optional (default=True)
        Skip the (slowest) matching step when False.

    Returns
    -------
    Analysis
    """
    t0 = time.perf_counter()
    facts = load_facts(backend, years=years, as_of=as_of)
    q = time.perf_counter() - t0
    out = analyze_facts(facts, weights=weights, n_matches=n_matches, with_matches=with_matches)
    out.seconds["queries"] = q
    return out
