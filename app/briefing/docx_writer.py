"""Lay a :class:`Briefing` out as a Word document (python-docx), A4, Chinese fonts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from wushe.app.briefing import charts
from wushe.app.briefing.content import Briefing, _target_text, fmt_pct
from wushe.graph.analytics.modes import MODES

__all__ = ["write_docx", "docx_bytes"]

#: Fonts Word and WPS have on Chinese desktops; LibreOffice substitutes installed CJK fonts.
_BODY_CJK, _HEAD_CJK, _LATIN = "宋体", "黑体", "Times New Roman"
_MODE_NAMES = {key: (zh, en) for key, zh, en in MODES.values()}
#: Sub-areas Table 2 lists by name; the rest are summed into one row.
_AREA_ROWS = 15


def _set_fonts(style, cjk: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = _LATIN
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), cjk)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _page_number(paragraph) -> None:
    """A PAGE field, so Word/WPS number the pages themselves."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc, df: pd.DataFrame, widths_cm: list[float] | None = None,
           font_pt: float = 9) -> None:
    table = doc.add_table(rows=1, cols=len(df.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, df.columns, strict=True):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
            run.font.size = Pt(font_pt)
    _repeat_header(table.rows[0])
    for row in df.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None or (isinstance(value, float) and pd.isna(value)) \
                else str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(font_pt)
    if widths_cm:
        # Word reads the cell widths, LibreOffice the grid's: set both.
        table.autofit = False
        for col, w in zip(table.columns, widths_cm, strict=False):
            col.width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(w)


def _caption(doc, text: str) -> None:
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in p.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x42, 0x42, 0x42)


def _picture(doc, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _caption(doc, caption)


def _targets_table(b: Briefing) -> pd.DataFrame:
    rows = []
    for _, r in b.targets.iterrows():
        value, target = _target_text(r)
        known = pd.notna(r["value"])
        rows.append({
            b.t("指标", "Target"): r["zh"] if b.lang == "zh" else r["en"],
            b.t("类型", "Kind"): b.t("约束性", "binding") if r["binding"] == "binding"
            else b.t("预期性", "expected"),
            b.t("现值", "Value"): value,
            b.t("目标值", "Target value"): target,
            b.t("完成度", "Attainment"): fmt_pct(r["attainment"], 0) if known else "—",
            b.t("是否达标", "Met"): (b.t("达标", "met") if bool(r["met"]) else
                                   b.t("未达标", "not met")) if known
            else b.t("数据不足", "no data"),
        })
    return pd.DataFrame(rows)


def _modes_table(b: Briefing) -> pd.DataFrame:
    df = b.modes_by_area
    if df.empty:
        return df
    order = [m for m in _MODE_NAMES if m in df.columns]
    df = df[order].loc[df.sum(axis=1).sort_values(ascending=False).index]
    if len(df) > _AREA_ROWS:
        rest = df.iloc[_AREA_ROWS:].sum().rename(b.t("其余地区", "others"))
        df = pd.concat([df.iloc[:_AREA_ROWS], rest.to_frame().T])
    df = pd.concat([df, df.sum().rename(b.t("合计", "total")).to_frame().T])
    df.columns = [_MODE_NAMES[m][0 if b.lang == "zh" else 1] for m in df.columns]
    return df.astype(int).rename_axis(b.area_label).reset_index()


def _document(b: Briefing) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.4)
    _set_fonts(doc.styles["Normal"], _BODY_CJK, 11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_fonts(doc.styles[name], _HEAD_CJK, bold=True)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    doc.core_properties.title = b.title
    doc.core_properties.language = "zh-CN" if b.lang == "zh" else "en"
    return doc


def docx_bytes(b: Briefing) -> bytes:
    """The briefing as the bytes of a .docx file."""
    doc = _document(b)
    title = doc.add_heading(b.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(b.t(
        f"数据日期:{b.data_date}    目标口径:《意见》2025年目标,判断日期 {b.as_of:%Y年%m月%d日}"
        f"    生成日期:{dt.date.today():%Y年%m月%d日}    覆盖社区:{b.n_communities}个",
        f"Data date: {b.data_date}    Targets: the policy's 2025 set, judged as of "
        f"{b.as_of.isoformat()}    Generated: {dt.date.today().isoformat()}    "
        f"Communities: {b.n_communities}"))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(b.t("一、主要发现", "1. Findings"), level=1)
    for f in b.findings:
        doc.add_paragraph(f"{f.text}({f.source})" if b.lang == "zh" else f"{f.text} ({f.source})",
                          style="List Bullet")

    doc.add_heading(b.t("二、目标完成情况", "2. Targets"), level=1)
    _caption(doc, b.t("表1 2025年目标完成情况", "Table 1. The 2025 targets"))
    _table(doc, _targets_table(b), [5.2, 1.6, 2.2, 2.2, 1.8, 1.8])
    _picture(doc, charts.attainment_chart(b.targets, b.lang),
             b.t("图1 各项目标完成度", "Figure 1. Attainment of each target"))

    doc.add_heading(b.t("三、联动模式", "3. Linkage modes"), level=1)
    if not b.modes_by_area.empty:
        _picture(doc, charts.modes_chart(b.modes_by_area, b.area_label, b.lang, _MODE_NAMES),
                 b.t(f"图2 各{b.area_label}联动模式分布",
                     f"Figure 2. Linkage modes by {b.area_label}"))
        _caption(doc, b.t(f"表2 各{b.area_label}联动模式社区数",
                          f"Table 2. Communities by linkage mode and {b.area_label}"))
        _table(doc, _modes_table(b), font_pt=8)

    doc.add_heading(b.t("四、联动指数与要素短板", "4. Linkage index and missing elements"), level=1)
    _picture(doc, charts.index_chart(b.index_values, b.lang),
             b.t("图3 社区联动指数分布", "Figure 3. Distribution of the linkage index"))
    _picture(doc, charts.missing_chart(b.missing, b.lang),
             b.t("图4 缺少各类要素的社区数", "Figure 4. Communities lacking each element"))

    doc.add_heading(b.t("五、重点关注社区", "5. Communities to watch"), level=1)
    doc.add_paragraph(b.t(
        f"以下{len(b.worst)}个社区联动指数最低,列出其主要短板和最匹配的附近资源,供精准对接参考。",
        f"The {len(b.worst)} communities with the lowest linkage index, their main gaps and "
        "the best-fitting nearby resource for each."))
    _caption(doc, b.t("表3 联动指数最低的社区", "Table 3. Communities with the lowest index"))
    if not b.worst.empty:
        _table(doc, b.worst, [2.4, 2.4, 1.6, 4.0, 5.6], font_pt=8)

    doc.add_heading(b.t("六、方法与数据说明", "6. Method and data"), level=1)
    doc.add_heading(b.t("指标含义", "What each figure means"), level=2)
    for line in b.method:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(b.t("数据质量", "Data quality"), level=2)
    for line in b.quality:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(b.t("各项明细见附表工作簿。", "Every row behind these figures is in the "
                          "appendix workbook."))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(b: Briefing, path: str | Path) -> Path:
    """Write the briefing to ``path`` as a .docx file; returns the path."""
    path = Path(path)
    path.write_bytes(docx_bytes(b))
    return path
