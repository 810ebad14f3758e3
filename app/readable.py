"""The region report's tables as a reader sees them, in one language.

The analysis keeps codes (``not_met``, ``single_broker``, ``same_county``, ``Organization``),
bilingual column pairs (``reason_zh``/``reason_en``) and fractions. The report files
(``wushe report --format xlsx|md``) and the briefing's appendix show each table with
headers, enumerations and notes in the reader's language, shares as percentages and the
community's id last (编号), a detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from wushe.app.gaps_export import PROXIMITY, actor_names, gap_items
from wushe.app.textsafe import defuse_formulas
from wushe.graph.analytics.gaps import GAP_KINDS, SEVERITY
from wushe.graph.analytics.targets import PROVINCE_NAME, STATUS
from wushe.graph.schema import ELEMENT_ORDER, ELEMENTS, SCHEMA

__all__ = ["readable", "readable_tables", "percent_text", "write_tables", "half", "PERCENT"]

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
#: shares in [0, 1] shown as percentages
PERCENT = {"attainment", "coverage", "lead", "fit"}
_BINDING = {"binding": ("约束性", "binding"), "expected": ("预期性", "expected")}
_INDEX = ["party_leadership", "element_coverage", "element_density", "multi_element_projects",
          "community_building", "organization_cultivation", "social_work_capacity",
          "volunteer_vitality", "charity_integration", "linkage_index", "vitality_index",
          "linkage_index_rank_township", "linkage_index_rank_county"]
#: report table → its columns, in order ("{lang}" is zh or en)
_TABLES: dict[str, list[str]] = {
    "targets": ["region", "{lang}", "binding", "value", "target_value", "unit", "attainment",
                "status", "coverage", "missing_{lang}", "note", "policy", "region_id"],
    "modes": ["community", "mode_{lang}", *[f"score_{e}" for e in ELEMENT_ORDER], "lead",
              "reason_{lang}", "community_id"],
    "index": ["community", *_INDEX, "community_id"],
    "gaps": ["community", "kind", "item", "severity", "reason_{lang}", "community_id"],
    "matches": ["community", "gap_kind", "gap_item", "rank", "resource_name",
                "resource_label", "category", "proximity", "fit", "reason_{lang}",
                "community_id"],
}
#: column → (中文, English) header
COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("区域", "Region"), "zh": ("指标", "Target"), "en": ("指标", "Target"),
    "binding": ("性质", "Kind"), "value": ("现值", "Value"),
    "target_value": ("目标值", "Target value"), "unit": ("单位", "Unit"),
    "attainment": ("达成率", "Attainment"), "status": ("达标情况", "Status"),
    "coverage": ("数据覆盖", "Data coverage"), "missing_zh": ("数据缺口", "Data gap"),
    "missing_en": ("数据缺口", "Data gap"), "note": ("口径", "Note"),
    "policy": ("政策原文", "Policy sentence"), "region_id": ("编号", "ID"),
    "community": ("社区", "Community"), "community_id": ("编号", "ID"),
    "mode_zh": ("联动模式", "Mode"), "mode_en": ("联动模式", "Mode"),
    **{f"score_{e}": (f"得分·{ELEMENTS[e][0]}", f"Score · {ELEMENTS[e][1]}")
       for e in ELEMENT_ORDER},
    "lead": ("领先幅度", "Lead"), "reason_zh": ("理由", "Reason"), "reason_en": ("理由", "Reason"),
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
    "kind": ("短板类型", "Gap kind"), "item": ("短板项", "About"),
    "severity": ("严重度", "Severity"), "gap_kind": ("短板类型", "Gap kind"),
    "gap_item": ("短板项", "About"), "rank": ("推荐顺位", "Rank"),
    "resource_name": ("推荐资源", "Resource"), "resource_label": ("资源类型", "Resource kind"),
    "category": ("类别", "Category"), "proximity": ("距离", "Proximity"),
    "fit": ("匹配度", "Fit"),
}


def half(text: object, lang: str) -> str:
    """The reader's half of a ``"中文 English"`` note; parts joined by ";" each halved.

    Examples
    --------
    >>> half("按社区数比例分解 pro-rated by communities;按登记管理机关层级 by registration level",
    ...      "zh")
    '按社区数比例分解;按登记管理机关层级'
    >>> half("本社区 this community", "en"), half("只有中文", "en")
    ('this community', '只有中文')
    """
    if text is None or text != text:
        return ""
    out = []
    for part in re.split(r";\s*", str(text)):
        zh, sep, en = part.partition(" ")
        if sep and _CJK.search(zh) and not _CJK.search(en):
            part = zh if lang == "zh" else en
        out.append(part)
    return ";".join(p for p in out if p)


def _name(pairs: Mapping[str, tuple[str, str]], i: int):  # noqa: ANN202 - a mapper
    return lambda v: pairs[v][i] if v in pairs else v


def readable(table: str, df: pd.DataFrame, lang: str = "zh",
             names: Mapping[str, str] | None = None,
             actors: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One report table (``targets``, ``modes``, ``index``, ``gaps``, ``matches``) in ``lang``.

    ``names`` maps community ids to names, ``actors`` actor ids to names, for tables that
    hold only ids (matches). Shares stay numbers (the writers show them as percentages);
    everything else a reader reads is text in ``lang``.
    """
    i = 0 if lang == "zh" else 1
    out = df.copy()
    if "community" not in out and "community_id" in out:
        out["community"] = out["community_id"].map(names or {})
    if "gap_item" in out:
        out["gap_item"] = gap_items(pd.DataFrame({"item": out["gap_item"], "item_name": out[
            "gap_item"].map(actors or {})}), lang)
    labels = {n.name: (n.zh, n.en) for n in SCHEMA.nodes}
    maps = {
        "binding": _name(_BINDING, i), "status": _name(STATUS, i),
        "kind": _name(GAP_KINDS, i), "gap_kind": _name(GAP_KINDS, i),
        "severity": _name(SEVERITY, i), "resource_label": _name(labels, i),
        "proximity": _name(PROXIMITY, i),
        "note": lambda v: half(v, lang),
        "region": lambda v: ("全省", "Province")[i] if v == PROVINCE_NAME else v,
    }
    if "item" in out:  # a broker by its name, other items by what they are
        out["item"] = gap_items(out, lang)
    cols = [c.replace("{lang}", ("zh", "en")[i]) for c in _TABLES[table]]
    cols = [c for c in cols if c in out]
    out = out[cols]
    for c in cols:
        if c in maps:
            out[c] = out[c].map(maps[c])
    return out.rename(columns={c: COLUMNS[c][i] for c in cols})


def readable_tables(report: Mapping[str, pd.DataFrame], lang: str = "zh"
                    ) -> dict[str, pd.DataFrame]:
    """Every table of a report through :func:`readable`, keyed as the report."""
    names: dict[str, str] = {}
    for df in report.values():
        if {"community_id", "community"} <= set(df.columns):
            names.update(zip(df["community_id"], df["community"], strict=True))
    actors = actor_names(report["gaps"]) if "gaps" in report else {}
    return {k: readable(k, df, lang, names, actors) for k, df in report.items()
            if k in _TABLES}


def _percent_columns(df: pd.DataFrame, lang: str) -> set[str]:
    i = 0 if lang == "zh" else 1
    return {COLUMNS[c][i] for c in PERCENT} & set(df.columns)


def percent_text(tables: Mapping[str, pd.DataFrame], lang: str = "zh"
                 ) -> dict[str, pd.DataFrame]:
    """Tables with shares written as percentages (for Markdown): share columns, and a
    target's value and target value when its unit is 比例."""
    from wushe.graph.analytics.figures import figure, percent

    i = 0 if lang == "zh" else 1
    unit = COLUMNS["unit"][i]
    out = {}
    for key, df in tables.items():
        df = df.copy()
        for c in _percent_columns(df, lang):
            df[c] = df[c].map(lambda v: percent(float(v)) if pd.notna(v) else "—")
        if unit in df:
            for c in (COLUMNS["value"][i], COLUMNS["target_value"][i]):
                df[c] = [figure(v, u) for v, u in zip(df[c], df[unit], strict=True)]
        out[key] = df
    return out


def write_tables(tables: Mapping[str, pd.DataFrame], path: str | Path,
                 lang: str = "zh") -> Path:
    """Write readable tables (sheet name → table) to an XLSX workbook.

    Header row frozen and filterable; shares (and a target's value where its unit is 比例)
    formatted as percentages, so they stay numbers for the reader's own sums.
    """
    path = Path(path)
    i = 0 if lang == "zh" else 1
    unit = COLUMNS["unit"][i]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for sheet, table in tables.items():
            table.to_excel(xw, sheet_name=sheet[:31], index=False)
            ws = xw.sheets[sheet[:31]]
            ws.freeze_panes = "A2"
            if len(table.columns):
                ws.auto_filter.ref = ws.dimensions
            shares = _percent_columns(table, lang)
            ratio_rows = (table[unit] == "比例").to_numpy() if unit in table else None
            for j, col in enumerate(table.columns, start=1):
                ws.column_dimensions[get_column_letter(j)].width = min(
                    40, max(10, len(str(col)) * 2 + 2))
                by_row = ratio_rows is not None and col in (COLUMNS["value"][i],
                                                            COLUMNS["target_value"][i])
                if col not in shares and not by_row:
                    continue
                for r, (cell,) in enumerate(ws.iter_rows(min_row=2, min_col=j, max_col=j)):
                    if col in shares or ratio_rows[r]:
                        cell.number_format = "0.0%"
        defuse_formulas(xw.book)
    return path
