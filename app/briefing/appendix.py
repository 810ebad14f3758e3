"""The appendix workbook: every row the briefing summarises, readable in Excel or WPS."""

from __future__ import annotations

from pathlib import Path

from wushe.app.briefing.content import Briefing
from wushe.app.readable import readable_tables, write_tables

__all__ = ["write_appendix", "SHEETS"]

#: sheet key → (中文, English) sheet name
SHEETS = {
    "targets": ("目标完成情况", "Targets"),
    "modes": ("联动模式", "Linkage modes"),
    "index": ("联动指数", "Linkage index"),
    "gaps": ("短板", "Gaps"),
    "matches": ("对接建议", "Matches"),
}


def write_appendix(b: Briefing, path: str | Path) -> Path:
    """Write the briefing's detail tables to ``path`` (XLSX); returns the path.

    Headers, enumerations and notes in the briefing's language, shares formatted as
    percentages, the header row frozen and filterable, one sheet per table
    (:mod:`wushe.app.readable`).
    """
    i = 0 if b.lang == "zh" else 1
    tables = readable_tables(b.appendix, b.lang)
    return write_tables({SHEETS.get(k, (k, k))[i]: t for k, t in tables.items()}, path,
                        b.lang)
