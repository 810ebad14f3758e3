"""Region reports: targets at the region's level, modes, index, gaps and matches.

``wushe report REGION --format xlsx|md --out FILE`` calls :func:`build_report` then
:func:`write_report`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wushe.graph.analytics.analysis import analyze_facts
from wushe.graph.analytics.facts import Years, load_facts
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.backends.base import GraphBackend
from wushe.graph.errors import WusheError

__all__ = ["build_report", "write_report", "SHEETS"]

#: sheet name → (中文 title, English title)
SHEETS: dict[str, tuple[str, str]] = {
    "targets": ("2025年目标完成情况", "2025 targets"),
    "modes": ("联动模式", "Linkage modes"),
    "index": ("联动指数与活力指数", "Linkage and vitality index"),
    "gaps": ("短板", "Gaps"),
    "matches": ("精准对接建议", "Matches"),
}
_LEVEL_COLS = (("community", "community_id"), ("township", "township_id"),
               ("county", "county_id"), ("city", "city_id"))


def _level_of(communities: pd.DataFrame, region_id: str | None) -> tuple[str, str | None]:
    if region_id is None:
        return "province", None
    for level, col in _LEVEL_COLS:
        if (communities[col] == region_id).any():
            return level, col
    raise WusheError(
        f"No region with id '{region_id}'. Use a city, county, township or community id "
        "(run 'wushe query community_profile' to list them).",
        f"没有编号为「{region_id}」的区域。请使用市、县、乡镇或社区编号"
        "(可运行「wushe query community_profile」查看)。")


def build_report(backend: GraphBackend, region_id: str | None = None, *,
                 years: Years = None, n_matches: int = 3) -> dict[str, pd.DataFrame]:
    """The report of one region (the whole province when ``region_id`` is None).

    Returns
    -------
    dict of DataFrame
        ``targets`` (the region at its own level), ``modes``, ``index``, ``gaps`` and
        ``matches`` (the region's communities), keyed as in :data:`SHEETS`.

    Raises
    ------
    WusheError
        when ``region_id`` is not a city, county, township or community id.
    """
    facts = load_facts(backend, years=years)
    level, col = _level_of(facts.communities, region_id)
    an = analyze_facts(facts, n_matches=n_matches)
    ids = set(facts.communities["community_id"] if col is None else
              facts.communities.loc[facts.communities[col] == region_id, "community_id"])
    names = facts.communities[["community_id", "community"]]

    def pick(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["community_id"].isin(ids)].reset_index(drop=True)

    tg = targets_from_facts(facts, level, region_id if level != "province" else None)
    modes = pick(an.modes).merge(names, on="community_id", how="left")
    mode_cols = ["community_id", "community", "mode", "mode_zh", "mode_en",
                 *[c for c in modes.columns if c.startswith("score_")], "lead",
                 "reason_zh", "reason_en"]
    return {
        "targets": tg[["region_id", "region", "target", "zh", "en", "binding", "value",
                       "target_value", "attainment", "met", "unit", "note", "policy"]],
        "modes": modes[mode_cols],
        "index": pick(an.index),
        "gaps": pick(an.gaps),
        "matches": pick(an.matches),
    }


def _md_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(无 none)_\n"
    cols = [str(c) for c in df.columns]

    def cell(v: object) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else f"{v:.4g}"
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, pd.DataFrame], path: str | Path,
                 fmt: str = "xlsx") -> Path:
    """Write ``report`` as an XLSX workbook (one sheet per part) or a Markdown file.

    Raises
    ------
    WusheError
        for a format other than "xlsx" or "md".
    """
    path = Path(path)
    if fmt == "xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for name, df in report.items():
                df.to_excel(xw, sheet_name=name, index=False)
        return path
    if fmt == "md":
        parts = ["# 五社联动分析报告 | Five-social linkage report\n"]
        for name, df in report.items():
            zh, en = SHEETS.get(name, (name, name))
            parts.append(f"\n## {zh} | {en}\n\n{_md_table(df)}")
        path.write_text("".join(parts), encoding="utf-8")
        return path
    raise WusheError(f"Unknown report format '{fmt}'; use xlsx or md.",
                     f"未知的报告格式「{fmt}」;请使用 xlsx 或 md。")
