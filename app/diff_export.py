"""``wushe diff A B`` as a file: XLSX (one sheet per table) or Markdown, in the reader's
language.

The comparison keeps codes (``newly_met``, ``organization_carrier``, ``Community``) and
fractions; :func:`diff_tables` gives every table as the compare page shows it and the files
hold it: headers, enumerations and kinds by name, ratios as percentages, ids as the last
column (编号), a detail.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wushe.app.export import frames_to_xlsx
from wushe.app.gaps_export import gap_items
from wushe.app.report import _md_table
from wushe.graph.analytics.figures import figure, percent
from wushe.graph.analytics.gaps import GAP_KINDS, SEVERITY
from wushe.graph.analytics.regions import LEVEL_NAMES
from wushe.graph.analytics.targets import PROVINCE_NAME
from wushe.graph.analytics.versions_diff import VersionDiff
from wushe.graph.errors import WusheError
from wushe.graph.schema import ELEMENT_ORDER, ELEMENTS, LINKAGE_MODES, SCHEMA

__all__ = ["write_diff", "diff_markdown", "diff_sheets", "diff_tables", "SECTIONS", "SHEETS"]

#: Table name → (Chinese, English) heading.
SECTIONS: dict[str, tuple[str, str]] = {
    "summary": ("概要", "Summary"),
    "targets": ("政策目标:变化与方向", "Targets: change and direction"),
    "modes": ("联动模式发生变化的社区", "Communities whose linkage mode changed"),
    "gaps_opened": ("新出现的短板", "Gaps opened"),
    "gaps_closed": ("已补齐的短板", "Gaps closed"),
    "index": ("联动指数名次变化", "Linkage index rank movements"),
    "entities": ("各类实体的增删改", "Entities added, removed, changed per kind"),
    "entity_items": ("增删改的实体清单", "The entities added, removed or changed"),
    "counts": ("节点与关系数量", "Node and relationship counts"),
}


#: Table name → (Chinese, English) sheet name (Excel allows no ":" or "/" and 31 characters).
SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("概要", "Summary"), "targets": ("目标", "Targets"),
    "modes": ("模式变化", "Modes changed"), "gaps_opened": ("新出现短板", "Gaps opened"),
    "gaps_closed": ("已补齐短板", "Gaps closed"), "index": ("指数名次", "Index ranks"),
    "entities": ("实体增删改", "Entities per kind"), "entity_items": ("实体清单", "Entities"),
    "counts": ("数量", "Counts")}

_SUMMARY = {
    "version_a": ("较早版本 A", "Earlier version A"),
    "version_b": ("较新版本 B", "Later version B"),
    "level": ("区域层级", "Level"), "region_id": ("区域", "Region"),
    "targets_newly_met": ("新达标的指标", "Targets newly met"),
    "targets_newly_missed": ("新未达标的指标", "Targets newly missed"),
    "modes_changed": ("联动模式变化的社区", "Communities whose mode changed"),
    "gaps_opened": ("新出现的短板", "Gaps opened"), "gaps_closed": ("已补齐的短板", "Gaps closed"),
    "entities_added": ("新增的实体", "Entities added"),
    "entities_removed": ("删除的实体", "Entities removed"),
    "entities_changed": ("修改的实体", "Entities changed"),
}
_DIRECTION = {"up": "↑", "down": "↓", "same": "=", "": ""}
_STATUS = {"newly_met": ("新达标", "newly met"), "newly_missed": ("新未达标", "newly missed"),
           "met": ("达标", "met"), "not_met": ("未达标", "not met")}
_BINDING = {"binding": ("约束性", "binding"), "expected": ("预期性", "expected")}
_CHANGE = {"added": ("新增", "added"), "removed": ("删除", "removed"),
           "changed": ("修改", "changed"), "unchanged": ("未变", "unchanged")}


def _kind_name(kind: str, i: int) -> str:
    """A node label or relationship type by name (City → 市)."""
    if kind in SCHEMA.node_names:
        item = SCHEMA.node(kind)
    elif kind in SCHEMA.rel_names:
        item = SCHEMA.rel(kind)
    else:
        return kind
    return (item.zh, item.en)[i]


def _change(v: float, unit: str, i: int) -> str:
    """A change of a figure: shares in percentage points, others with their sign."""
    if v != v:
        return "—"
    if abs(v) < 1e-12:
        return "0"
    if unit == "比例":
        return f"{v * 100:+.1f}" + ("个百分点", " pp")[i]
    return ("+" if v > 0 else "") + figure(v, unit)


def diff_tables(diff: VersionDiff, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Every table of the comparison as a reader sees it, keyed as :meth:`VersionDiff.tables`.

    Parameters
    ----------
    diff : VersionDiff
    lang : {"zh", "en"}

    Returns
    -------
    dict of str to pandas.DataFrame
        Headers, enumerations (modes, statuses, gap kinds, kinds of entity) and levels in
        ``lang``; values and target values with their unit, ratios and attainment as
        percentages; ids only in the last column (编号 / ID).
    """
    i = 0 if lang == "zh" else 1

    def h(zh: str, en: str) -> str:
        return (zh, en)[i]

    def region(name: object) -> str:
        return h("全省", "Province") if name == PROVINCE_NAME else str(name)

    t = diff.targets
    s = diff.summary().set_index("what")["value"]
    s["level"] = LEVEL_NAMES[diff.level][i]
    s["region_id"] = (region(t["region"].iloc[0]) if diff.region_id and len(t)
                      else h("全省", "Province"))
    summary = pd.DataFrame({h("项目", "Item"): [_SUMMARY[k][i] for k in s.index],
                            h("内容", "Value"): s.to_numpy()})
    units = t.get("unit", pd.Series("", index=t.index)).fillna("")

    def fig(col: str) -> list[str]:
        return [figure(v, u) for v, u in zip(t[col], units, strict=True)]

    targets = pd.DataFrame({
        h("区域", "Region"): t["region"].map(region),
        h("指标", "Target"): t["zh" if i == 0 else "en"],
        h("性质", "Kind"): t["binding"].map(lambda b: _BINDING.get(b, (b, b))[i]),
        h("A 值", "A"): fig("value_a"), h("B 值", "B"): fig("value_b"),
        h("变化", "Change"): [_change(v, u, i) for v, u in zip(t["change"], units, strict=True)],
        h("方向", "Direction"): t["direction"].map(_DIRECTION),
        h("A 目标值", "A target"): fig("target_value_a"),
        h("B 目标值", "B target"): fig("target_value_b"),
        h("A 达成率", "A attainment"): t["attainment_a"].map(percent),
        h("B 达成率", "B attainment"): t["attainment_b"].map(percent),
        h("达标变化", "Status"): t["status"].map(lambda x: _STATUS[x][i]),
    })
    m = diff.modes
    modes = pd.DataFrame({h("社区", "Community"): m["community"]})
    for side in ("a", "b"):
        up = side.upper()
        modes[h(f"{up} 联动模式", f"Mode {up}")] = m[f"mode_{side}"].map(
            lambda k: LINKAGE_MODES[k][i] if k in LINKAGE_MODES else k)
        for e in ELEMENT_ORDER:
            modes[h(f"{up} 得分·{ELEMENTS[e][0]}", f"{up} score · {ELEMENTS[e][1]}")] = (
                m[f"score_{e}_{side}"].round(2))
    modes[h("编号", "ID")] = m["community_id"]

    def gaps(g: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            h("社区", "Community"): g["community"],
            h("短板类型", "Gap kind"): g["kind"].map(
                lambda k: GAP_KINDS[k][i] if k in GAP_KINDS else k),
            h("短板项", "About"): gap_items(g, lang),
            h("严重度", "Severity"): g["severity"].map(
                lambda x: SEVERITY[x][i] if x in SEVERITY else x),
            h("原因", "Reason"): g["reason_zh" if i == 0 else "reason_en"],
            h("编号", "ID"): g["community_id"]})

    x = diff.index
    index = pd.DataFrame({
        h("社区", "Community"): x["community"],
        h("A 联动指数", "A linkage index"): x["linkage_index_a"].round(1),
        h("B 联动指数", "B linkage index"): x["linkage_index_b"].round(1),
        h("指数变化", "Change"): x["change"].round(1),
        h("A 名次", "A rank"): x["rank_a"], h("B 名次", "B rank"): x["rank_b"],
        h("名次上升", "Moved up"): x["movement"],
        h("A 活力指数", "A vitality index"): x["vitality_index_a"].round(1),
        h("B 活力指数", "B vitality index"): x["vitality_index_b"].round(1),
        h("编号", "ID"): x["community_id"]})
    en = diff.entities
    entities = pd.DataFrame({
        h("类别", "Kind"): en["kind"].map(lambda k: _kind_name(k, i)),
        h("A 数量", "A count"): en["count_a"], h("B 数量", "B count"): en["count_b"],
        **{_CHANGE[c][i]: en[c] for c in ("added", "removed", "changed", "unchanged")}})
    it = diff.entity_items
    items = pd.DataFrame({
        h("类别", "Kind"): it["kind"].map(lambda k: _kind_name(k, i)),
        h("名称", "Name"): it["name"], h("变化", "Change"): it["change"].map(
            lambda c: _CHANGE[c][i] if c in _CHANGE else c),
        h("编号", "ID"): it["id"]})
    c = diff.counts
    counts = pd.DataFrame({
        h("类别", "Kind"): c["kind"].map(lambda k: _kind_name(k, i)),
        h("A 数量", "A count"): c["count_a"], h("B 数量", "B count"): c["count_b"],
        h("变化", "Change"): c["change"]})
    return {"summary": summary, "targets": targets, "modes": modes,
            "gaps_opened": gaps(diff.gaps_opened), "gaps_closed": gaps(diff.gaps_closed),
            "index": index, "entities": entities, "entity_items": items, "counts": counts}


def diff_sheets(diff: VersionDiff, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """:func:`diff_tables` keyed by sheet name in ``lang`` (the workbook's sheets)."""
    i = 0 if lang == "zh" else 1
    return {SHEETS[k][i]: v for k, v in diff_tables(diff, lang).items()}


def write_diff(diff: VersionDiff, path: str | Path, fmt: str = "xlsx",
               lang: str = "zh") -> Path:
    """Write ``diff`` as an XLSX workbook or a Markdown file in ``lang``.

    Parameters
    ----------
    diff : VersionDiff
    path : str or Path
    fmt : {"xlsx", "md"}
    lang : {"zh", "en"}

    Returns
    -------
    Path

    Raises
    ------
    WusheError
        for another format.
    """
    path = Path(path)
    if fmt == "xlsx":
        path.write_bytes(frames_to_xlsx(diff_sheets(diff, lang)))
        return path
    if fmt == "md":
        path.write_text(diff_markdown(diff, lang), encoding="utf-8")
        return path
    raise WusheError(f"Unknown format '{fmt}'; use xlsx or md.",
                     f"未知的格式「{fmt}」;请使用 xlsx 或 md。")


def diff_markdown(diff: VersionDiff, lang: str = "zh") -> str:
    """The comparison as one Markdown document in ``lang`` (a section per table)."""
    i = 0 if lang == "zh" else 1
    a, b = diff.a, diff.b
    title = ("版本比较", "Version comparison")[i]
    parts = [f"# {title}:{a.id}({a.data_date or '-'})→ {b.id}({b.data_date or '-'})\n"
             if i == 0 else
             f"# {title}: {a.id} ({a.data_date or '-'}) → {b.id} ({b.data_date or '-'})\n"]
    for name, df in diff_tables(diff, lang).items():
        parts.append(f"\n## {SECTIONS[name][i]}\n\n{_md_table(df, lang)}")
    return "".join(parts)
