"""``wushe diff A B`` as a file: XLSX (one sheet per table) or Markdown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wushe.app.report import _md_table
from wushe.graph.analytics.versions_diff import VersionDiff
from wushe.graph.errors import WusheError

__all__ = ["write_diff", "diff_markdown", "SECTIONS", "SHEETS"]

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


#: Table name → sheet name (short, Excel allows no ":" or "/" and 31 characters).
SHEETS: dict[str, str] = {"summary": "概要", "targets": "目标", "modes": "模式变化",
                          "gaps_opened": "新出现短板", "gaps_closed": "已补齐短板",
                          "index": "指数名次", "entities": "实体增删改",
                          "entity_items": "实体清单", "counts": "数量"}


def write_diff(diff: VersionDiff, path: str | Path, fmt: str = "xlsx") -> Path:
    """Write ``diff`` as an XLSX workbook or a Markdown file.

    Parameters
    ----------
    diff : VersionDiff
    path : str or Path
    fmt : {"xlsx", "md"}

    Returns
    -------
    Path

    Raises
    ------
    WusheError
        for another format.
    """
    path = Path(path)
    tables = diff.tables()
    if fmt == "xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for name, df in tables.items():
                df.to_excel(xw, sheet_name=SHEETS[name], index=False)
        return path
    if fmt == "md":
        path.write_text(diff_markdown(diff), encoding="utf-8")
        return path
    raise WusheError(f"Unknown format '{fmt}'; use xlsx or md.",
                     f"未知的格式「{fmt}」;请使用 xlsx 或 md。")


def diff_markdown(diff: VersionDiff) -> str:
    """The comparison as one Markdown document (a section per table)."""
    a, b = diff.a, diff.b
    parts = [f"# 版本比较 | Version comparison: {a.id} ({a.data_date or '-'}) → "
             f"{b.id} ({b.data_date or '-'})\n"]
    for name, df in diff.tables().items():
        zh, en = SECTIONS[name]
        parts.append(f"\n## {zh} | {en}\n\n{_md_table(df)}")
    return "".join(parts)
