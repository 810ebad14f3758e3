"""Progress toward the targets over time: each target's value by data date, and when it
will be met at the recent pace.

The history comes from the analysis kept with each version (graph.analytics.kept), one point
per version with a data date; with another target set than the policy's, the targets are
recomputed from each version's kept facts (pandas only, no store queries).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import DEFAULT_TARGET_SET, target_due, use_target_set
from wushe.graph.analytics.kept import kept_table, kept_version_facts, versions_with_analysis
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.backends.base import GraphBackend

__all__ = ["target_history", "projection", "PACE_POINTS"]

#: The recent pace is the least-squares slope over this many latest data dates.
PACE_POINTS = 3
#: Beyond this many days no date is projected (status "late", projected None).
_HORIZON_DAYS = 200 * 365
_HIST_COLS = ["version", "data_date", "level", "region_id", "region", "target", "zh", "en",
              "binding", "value", "target_value", "attainment", "met"]


def target_history(backend: GraphBackend, level: str, region_id: str | None = None, *,
                   target_set: str | None = None) -> pd.DataFrame:
    """Every target of one region (or of every region of ``level``) in every kept version.

    Parameters
    ----------
    backend : GraphBackend
    level : {"province", "city", "county", "township", "community"}
    region_id : str, optional
        One region of ``level``; all of them when omitted (ignored for the province).
    target_set : str, optional
        A set of :func:`graph.analytics.config.target_sets` (default: the policy's).

    Returns
    -------
    DataFrame
        One row per (version, region, target), ``data_date`` as ``datetime.date``, oldest
        first. Versions without a data date (e.g. the empty store) are left out.
    """
    rows = []
    for v in versions_with_analysis(backend):
        if not v.data_date:
            continue
        if not target_set or target_set == DEFAULT_TARGET_SET:
            t = kept_table(backend.version_store, v, "targets")
            t = t[t["level"] == level]
        else:
            facts = kept_version_facts(backend.version_store, v)
            if facts is None:
                continue
            with use_target_set(target_set):
                t = targets_from_facts(facts, level)
        if region_id and level != "province":
            t = t[t["region_id"] == region_id]
        rows.append(t.assign(version=v.id, data_date=dt.date.fromisoformat(v.data_date)))
    if not rows:
        return pd.DataFrame(columns=_HIST_COLS)
    out = pd.concat(rows, ignore_index=True)[_HIST_COLS]
    return out.sort_values(["region_id", "target", "data_date", "version"],
                           ignore_index=True)


def _pace(dates: pd.Series, values: pd.Series) -> float:
    """Change per day: least-squares slope over the latest PACE_POINTS data dates."""
    days = np.array([d.toordinal() for d in dates], dtype=float)
    y = values.to_numpy(dtype=float)
    keep = ~np.isnan(y)
    days, y = days[keep][-PACE_POINTS:], y[keep][-PACE_POINTS:]
    if len(days) < 2 or np.ptp(days) == 0:
        return float("nan")
    return float(np.polyfit(days, y, 1)[0])


def projection(history: pd.DataFrame, *, target_set: str | None = None) -> pd.DataFrame:
    """For each (region, target): latest value, recent pace and projected attainment date.

    Status is "met" (met at the latest data date), "on_track" (projected on or before the
    set's due date), "late" (projected after it; no date when beyond 200 years),
    "no_progress" (the pace is zero or negative) or "one_point" (a single data date: no
    pace yet).

    Parameters
    ----------
    history : DataFrame
        From :func:`target_history` (one region's or a level's).
    target_set : str, optional
        The set whose due date ``on_track`` and ``late`` are judged against.

    Returns
    -------
    DataFrame
        region_id, region, target, zh, en, data_date, value, target_value, pace_per_year,
        projected (a date or None), due, status.

    Examples
    --------
    >>> import datetime as dt
    >>> h = pd.DataFrame({"region_id": ["p", "p"], "region": ["P", "P"],
    ...     "target": ["t", "t"], "zh": ["指标", "指标"], "en": ["T", "T"],
    ...     "data_date": [dt.date(2024, 12, 31), dt.date(2025, 12, 31)],
    ...     "value": [0.4, 0.5], "target_value": [0.6, 0.6], "met": [False, False]})
    >>> projection(h)[["pace_per_year", "projected", "status"]].to_dict("records")
    [{'pace_per_year': 0.1, 'projected': datetime.date(2026, 12, 31), 'status': 'late'}]
    """
    due = target_due(target_set)
    out = []
    for (rid, key), g in history.groupby(["region_id", "target"], sort=False):
        g = g.sort_values("data_date")
        last = g.iloc[-1]
        pace = _pace(g["data_date"], g["value"])
        projected: dt.date | None = None
        if bool(last["met"]):
            status = "met"
        elif np.isnan(pace):
            status = "one_point"
        elif pace * 365 <= 1e-9:  # flat (float noise included) or backwards
            status = "no_progress"
        else:
            days = (float(last["target_value"]) - float(last["value"])) / pace
            if days <= _HORIZON_DAYS:
                projected = last["data_date"] + dt.timedelta(days=int(np.ceil(round(days,
                                                                                    6))))
            status = "on_track" if projected is not None and projected <= due else "late"
        out.append({"region_id": rid, "region": last["region"], "target": key,
                    "zh": last["zh"], "en": last["en"], "data_date": last["data_date"],
                    "value": last["value"], "target_value": last["target_value"],
                    "pace_per_year": round(pace * 365, 10) if not np.isnan(pace) else None,
                    "projected": projected, "due": due, "status": status})
    return pd.DataFrame(out, columns=["region_id", "region", "target", "zh", "en",
                                      "data_date", "value", "target_value", "pace_per_year",
                                      "projected", "due", "status"])
