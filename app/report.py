"""Region reports: targets at the region's level, modes, index, gaps and matches.

``wushe report REGION --format xlsx|md --out FILE`` calls :func:`build_report` then
:func:`write_report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wushe.app.textsafe import md_cell
from wushe.graph.analytics.analysis import Analysis, analyze_facts
from wushe.graph.analytics.facts import Facts, Years, load_facts
from wushe.graph.analytics.share import prorate_to_share
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.backends.base import GraphBackend
from wushe.graph.errors import WusheError

__all__ = ["build_report", "report_from_facts", "resolve_region", "write_report", "Place",
           "SubRegion", "SHEETS"]

#: sheet name → (中文 title, English title)
SHEETS: dict[str, tuple[str, str]] = {
    "targets": ("2025年目标完成情况", "2025 targets"),
    "modes": ("联动模式", "Linkage modes"),
    "index": ("联动指数与活力指数", "Linkage and vitality index"),
    "gaps": ("短板", "Gaps"),
    "matches": ("精准对接建议", "Matches"),
}
_LEVELS = ("community", "township", "county", "city")
#: level → the level below it, named as a column of the community table, and its display name
_SUB: dict[str, tuple[str, str, str]] = {
    "province": ("city", "市", "city"),
    "city": ("county", "县(市、区)", "county"),
    "county": ("township", "乡镇(街道)", "township"),
    "township": ("community", "社区", "community"),
    "community": ("community", "社区", "community"),
}


@dataclass(frozen=True)
class SubRegion:
    """The level below a region: the column holding its names and its display name."""

    name_col: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class Place:
    """A region resolved from an id or a name: its level, id and name."""

    level: str
    region_id: str | None
    name: str

    @property
    def id_col(self) -> str | None:
        return None if self.level == "province" else f"{self.level}_id"

    def sub_region(self) -> SubRegion:
        return SubRegion(*_SUB[self.level])


def resolve_region(communities: pd.DataFrame, region: str | None) -> Place:
    """The region named by ``region``: an id, or a name (unique within the store).

    ``communities`` is :attr:`Facts.communities` (ids and names of every level).

    Raises
    ------
    WusheError
        when nothing has that id or name, or when several regions share the name.
    """
    if region is None:
        return Place("province", None, "全省")
    for level in _LEVELS:
        hit = communities.loc[communities[f"{level}_id"] == region, level]
        if len(hit):
            return Place(level, region, str(hit.iloc[0]))
    found = []
    for level in _LEVELS:
        rows = communities.loc[communities[level] == region]
        found += [(level, rid, grp) for rid, grp in rows.groupby(f"{level}_id")]
    if len(found) == 1:
        level, rid, _ = found[0]
        return Place(level, str(rid), region)
    if found:
        where = "; ".join(f"{rid} ({_parent(grp, level)})" for level, rid, grp in found)
        raise WusheError(
            f"The name '{region}' belongs to {len(found)} regions: {where}. "
            "Give the id instead.",
            f"名称「{region}」对应{len(found)}个区域:{where}。请改用编号。")
    raise WusheError(
        f"No city, county, township or community is called or numbered '{region}'. "
        "Run 'wushe query --name community_profile' to list them.",
        f"没有名称或编号为「{region}」的市、县、乡镇或社区。"
        "可运行「wushe query --name community_profile」查看。")


def _parent(rows: pd.DataFrame, level: str) -> str:
    up = {"community": "township", "township": "county", "county": "city"}.get(level)
    return str(rows[up].iloc[0]) if up else "—"


def report_from_facts(facts: Facts, region: str | None = None, *, n_matches: int = 3,
                      analysis: Analysis | None = None,
                      province_share: float = 1.0) -> dict[str, pd.DataFrame]:
    """The report of one region from already-fetched :class:`Facts` (see :func:`build_report`).

    ``analysis`` of these facts when already computed (a version's kept analysis): it is
    used as it is, and its matches (none, when kept) are the report's.
    """
    place = resolve_region(facts.communities, region)
    level, col = place.level, place.id_col
    an = analysis if analysis is not None else analyze_facts(facts, n_matches=n_matches)
    ids = set(facts.communities["community_id"] if col is None else
              facts.communities.loc[facts.communities[col] == place.region_id, "community_id"])
    names = facts.communities[["community_id", "community"]]

    def pick(df: pd.DataFrame) -> pd.DataFrame:
        if "community_id" not in df:  # no matches were computed
            return df
        return df[df["community_id"].isin(ids)].reset_index(drop=True)

    tg = prorate_to_share(targets_from_facts(facts, level, place.region_id), province_share)
    modes = pick(an.modes).merge(names, on="community_id", how="left")
    mode_cols = ["community_id", "community", "mode", "mode_zh", "mode_en",
                 *[c for c in modes.columns if c.startswith("score_")], "lead",
                 "reason_zh", "reason_en"]
    return {
        "targets": tg[["region_id", "region", "target", "zh", "en", "binding", "value",
                       "target_value", "attainment", "status", "met", "unit", "coverage",
                       "missing_zh", "missing_en", "note", "policy", "as_of"]],
        "modes": modes[mode_cols],
        "index": pick(an.index),
        "gaps": pick(an.gaps),
        "matches": pick(an.matches),
    }


def build_report(backend: GraphBackend, region: str | None = None, *,
                 years: Years = None, as_of: dt.date | None = None,
                 n_matches: int = 3, province_share: float = 1.0) -> dict[str, pd.DataFrame]:
    """The report of one region (the whole province when ``region`` is None).

    ``region`` is a city, county, township or community id, or its name. Targets are
    judged at ``as_of`` (default: the target set's due date, 2025-12-31); province-wide
    counts are scaled by ``province_share`` when the data covers part of the province.

    Returns
    -------
    dict of DataFrame
        ``targets`` (the region at its own level, with status, coverage, data gaps and
        ``as_of``), ``modes``, ``index``, ``gaps`` and
        ``matches`` (the region's communities), keyed as in :data:`SHEETS`.

    Raises
    ------
    WusheError
        when ``region`` names no region, or several.
    """
    return report_from_facts(load_facts(backend, years=years, as_of=as_of), region,
                             n_matches=n_matches, province_share=province_share)


def _md_table(df: pd.DataFrame, lang: str = "zh") -> str:
    if df.empty:
        return "_(无)_\n" if lang == "zh" else "_(none)_\n"
    cols = [str(c) for c in df.columns]

    def cell(v: object) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else f"{v:.4g}"
        return "" if v is None else md_cell(v)  # names from the imported files

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, pd.DataFrame], path: str | Path,
                 fmt: str = "xlsx", lang: str = "zh") -> Path:
    """Write ``report`` as an XLSX workbook (one sheet per part) or a Markdown file, in
    ``lang`` (headers, enumerations and notes; shares as percentages).

    Raises
    ------
    WusheError
        for a format other than "xlsx" or "md".
    """
    from wushe.app.readable import percent_text, readable_tables, write_tables

    path = Path(path)
    i = 0 if lang == "zh" else 1
    tables = readable_tables(report, lang)
    if fmt == "xlsx":
        return write_tables({SHEETS[k][i]: t for k, t in tables.items()}, path, lang)
    if fmt == "md":
        parts = [("# 五社联动分析报告\n", "# Five-social linkage report\n")[i]]
        if "targets" in report and "as_of" in report["targets"] and len(report["targets"]):
            as_of = report["targets"]["as_of"].iloc[0]
            parts.append((f"\n目标基准日:**{as_of}**(评估等级按此日是否有效计)\n",
                          f"\nTargets as of **{as_of}** (ratings count if still valid on "
                          "that date)\n")[i])
        for name, df in percent_text(tables, lang).items():
            parts.append(f"\n## {SHEETS[name][i]}\n\n{_md_table(df, lang)}")
        path.write_text("".join(parts), encoding="utf-8")
        return path
    raise WusheError(f"Unknown report format '{fmt}'; use xlsx or md.",
                     f"未知的报告格式「{fmt}」;请使用 xlsx 或 md。")
