"""The appendix workbook: every row the briefing summarises, readable in Excel or WPS."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from wushe.app.briefing.content import Briefing

__all__ = ["write_appendix", "COLUMNS", "PERCENT"]

#: sheet key → (中文, English) sheet name
SHEETS = {
    "targets": ("目标完成情况", "Targets"),
    "modes": ("联动模式", "Linkage modes"),
    "index": ("联动指数", "Linkage index"),
    "gaps": ("短板", "Gaps"),
    "matches": ("对接建议", "Matches"),
}
#: column → (中文, English) header; columns not listed are left out of the appendix
COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("区域", "Region"), "zh": ("指标", "Target"), "en": ("指标(英文)", "Target (en)"),
    "binding": ("类型", "Kind"), "value": ("现值", "Value"),
    "target_value": ("目标值", "Target value"), "attainment": ("完成度", "Attainment"),
    "met": ("是否达标", "Met"), "unit": ("单位", "Unit"), "note": ("说明", "Note"),
    "policy": ("政策原文", "Policy sentence"),
    "community": ("社区", "Community"), "township": ("乡镇(街道)", "Township"),
    "county": ("县(市、区)", "County"), "city": ("市", "City"),
    "mode_zh": ("联动模式", "Mode (zh)"), "mode_en": ("联动模式(英文)", "Mode"),
    "score_community": ("社区得分", "Community score"),
    "score_organization": ("社会组织得分", "Organization score"),
    "score_worker": ("社会工作者得分", "Worker score"),
    "score_volunteer": ("志愿者得分", "Volunteer score"),
    "score_charity": ("慈善资源得分", "Charity score"),
    "lead": ("领先幅度", "Lead"), "reason_zh": ("判断依据", "Reason (zh)"),
    "reason_en": ("判断依据(英文)", "Reason"),
    "party_leadership": ("党建引领", "Party leadership"),
    "element_coverage": ("要素覆盖", "Element coverage"),
    "element_density": ("联动密度", "Element density"),
    "multi_element_projects": ("多要素项目", "Multi-element projects"),
    "community_building": ("社区建设", "Community building"),
    "organization_cultivation": ("组织培育", "Organization cultivation"),
    "social_work_capacity": ("社工能力", "Social-work capacity"),
    "volunteer_vitality": ("志愿活力", "Volunteer vitality"),
    "charity_integration": ("慈善融合", "Charity integration"),
    "linkage_index": ("联动指数", "Linkage index"),
    "vitality_index": ("活力指数", "Vitality index"),
    "linkage_index_rank_township": ("乡镇内排名", "Rank in township"),
    "linkage_index_rank_county": ("县内排名", "Rank in county"),
    "kind_zh": ("短板类型", "Gap (zh)"), "severity_label": ("严重程度", "Severity"),
    "gap_kind": ("短板类型", "Gap"), "rank": ("推荐顺位", "Rank"),
    "resource_name": ("推荐资源", "Resource"), "category": ("类别", "Category"),
    "fit": ("匹配度", "Fit"),
}
#: columns holding shares, formatted as percentages
PERCENT = {"attainment", "lead", "fit"}
_ZH_ONLY = {"en", "mode_en", "reason_en"}
_EN_ONLY = {"zh", "mode_zh", "reason_zh", "kind_zh"}


def _readable(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    drop = _ZH_ONLY if lang == "zh" else _EN_ONLY
    keep = [c for c in df.columns if c in COLUMNS and c not in drop]
    out = df[keep].copy()
    if "met" in out:
        yes, no = ("达标", "未达标") if lang == "zh" else ("met", "not met")
        out["met"] = [("—" if pd.isna(v) else (yes if m else no))
                      for m, v in zip(df["met"].astype(bool), df.get("value", df["met"]),
                                      strict=True)]
    if "binding" in out:
        out["binding"] = out["binding"].map(
            {"binding": "约束性" if lang == "zh" else "binding",
             "expected": "预期性" if lang == "zh" else "expected"})
    return out


def write_appendix(b: Briefing, path: str | Path) -> Path:
    """Write the briefing's detail tables to ``path`` (XLSX); returns the path.

    Chinese (or English) headers, percentages formatted as percentages, the header row frozen
    and filterable, one sheet per table.
    """
    path = Path(path)
    i = 0 if b.lang == "zh" else 1
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for key, df in b.appendix.items():
            table = _readable(df, b.lang)
            sheet = SHEETS.get(key, (key, key))[i]
            table.rename(columns={c: COLUMNS[c][i] for c in table.columns}).to_excel(
                xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            if len(table.columns):
                ws.auto_filter.ref = ws.dimensions
            for j, col in enumerate(table.columns, start=1):
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = min(40, max(10, len(COLUMNS[col][i]) * 2 + 2))
                if col in PERCENT:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        cell.number_format = "0.0%"
    return path
