"""Sheet mechanics both import templates share (the graph format's and the registers').

A header cell with its comment, a drop-down of allowed words, a listing sheet's styling:
each template decides what to write, these decide how it looks, so the two workbooks an
official downloads behave the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["header_cell", "list_sheet_style", "name_list", "word_list"]

#: rows a drop-down covers below the header (Excel's last row)
_LAST_ROW = 1048576


def header_cell(ws: Worksheet, column: int, text: str, note: str, *,
                fill: str | None = None) -> Cell:
    """Write header ``text`` in row 1, bold, with ``note`` as its comment.

    Parameters
    ----------
    ws : Worksheet
    column : int
        1-based column.
    text, note : str
        The header and what it means (type, rules, other accepted headers).
    fill : str, optional
        Background colour (RRGGBB), e.g. for required columns.

    Returns
    -------
    Cell
        The header cell (its column is sized to the header).
    """
    cell = ws.cell(row=1, column=column, value=text)
    cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    cell.comment = Comment(note, "wushe", width=320, height=140)
    ws.column_dimensions[cell.column_letter].width = max(12, 2 * len(text) + 4)
    return cell


def word_list(ws: Worksheet, letter: str, words: Sequence[str], *,
              required: bool = False) -> None:
    """A drop-down of ``words`` on column ``letter`` below the header; other text refused.

    Parameters
    ----------
    ws : Worksheet
    letter : str
        Column letter.
    words : sequence of str
        What the drop-down offers (as the reader writes them: 城市社区, 街道 …).
    required : bool, optional (default=False)
        Whether a blank cell is refused too.
    """
    dv = DataValidation(type="list", allow_blank=not required, showErrorMessage=True,
                        formula1='"' + ",".join(words) + '"',
                        errorTitle="取值不在列表中 / not in the list",
                        error="请从下拉列表中选择:" + "、".join(words)
                        + " / choose from the list")
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.add_data_validation(dv)


def name_list(ws: Worksheet, letter: str, source: str) -> None:
    """A drop-down on column ``letter`` of the cells ``source`` lists (``'sheet'!$E$2:$E$9``).

    A suggestion, not a rule: other text (the ids of the rows the official adds) stays
    allowed.
    """
    dv = DataValidation(type="list", allow_blank=True, showErrorMessage=False,
                        formula1=source)
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.add_data_validation(dv)


def list_sheet_style(ws: Worksheet, widths: Sequence[int]) -> None:
    """Bold headers, column widths and a frozen header row for a listing sheet."""
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    ws.freeze_panes = "A2"
