"""User text shown safely: in Markdown (pages, the md report) and in spreadsheets.

Names of organizations, communities and projects come from the imported files, so they
may carry markup. Where they go into Markdown they are escaped so that they show as
written: no link, no remote image, no emphasis, no HTML, no formula (Streamlit renders
``$…$`` as LaTeX). Where they go into a workbook, no cell becomes a formula.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["md_escape", "md_cell", "plot_text", "defuse_formulas"]

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that mean
# something in Markdown, GitHub tables or Streamlit's LaTeX and colour directives.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~$>])")
# GitHub-style autolinks (https://…, www.…, a@b.c) are found in the rendered text, after
# escapes and character references are decoded; an invisible word joiner breaks them.
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(://|(?i:\bwww)\.|@)")


def md_escape(text: Any) -> str:
    """``text`` as Markdown that renders exactly as the text reads.

    Examples
    --------
    >>> md_escape("[x](https://e.g/a.png) *b* <i>").replace("\\u2060", "")
    '\\\\[x\\\\]\\\\(https://e.g/a.png\\\\) \\\\*b\\\\* &lt;i&gt;'
    """
    s = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + _WJ + m.group(0)[-1], str(text))
    s = html.escape(s, quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # line breaks would start new blocks (headings, lists): keep the text on one line
    return re.sub(r"[\r\n\u2028\u2029]+", " ", s)


def md_cell(value: Any) -> str:
    """A value for a Markdown table cell (escaped, ``|`` kept inside the cell)."""
    return md_escape(value)


def plot_text(text: Any) -> str:
    """``text`` for a plotly title, legend or tick: plotly reads ``<a href>``, ``<b>`` …
    in them, and shows ``&lt;`` as ``<``, so escaping makes any name show as written."""
    return html.escape(str(text), quote=False)


def defuse_formulas(book: Any) -> None:
    """Make every formula cell of an openpyxl workbook a plain text cell, in place.

    openpyxl stores any string that starts with ``=`` as a formula, so a name such as
    ``=HYPERLINK("http://…")`` would become a live formula in an export; wushe writes no
    formulas of its own.
    """
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
