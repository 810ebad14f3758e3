"""The data page's upload list and problem table.

Uploaded files are kept in session state by file name, so uploading a corrected file of
the same name replaces the earlier one (Streamlit's own uploader would list both, and the
import would then hold every table twice). The uploader widget is emptied after each
upload by moving to a fresh key; the page lists the kept files with a remove button each.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from wushe.app.views._i18n import lang, tr
from wushe.app.views._uploader_text import localise_uploader
from wushe.graph.errors import Problem

__all__ = ["problems_frame", "uploaded_files"]

_STORE = "upload_store"
_ROUND = "upload_round"
_DISPLAY = re.compile(r"^(?P<en>[A-Za-z_]+) \((?P<zh>[^)]+)\)$")


def _key(n: int) -> str:
    return "upload_files" if n == 0 else f"upload_files_{n}"


def uploaded_files() -> list[tuple[str, bytes]]:
    """Draw the uploader and the list of kept files; the kept ``(name, bytes)``, in order.

    A file whose name is already kept replaces it (and the page says so).
    """
    kept: dict[str, bytes] = st.session_state.setdefault(_STORE, {})
    n = st.session_state.setdefault(_ROUND, 0)
    arrived = st.session_state.get(_key(n)) or []
    if arrived:
        replaced = [f.name for f in arrived if f.name in kept]
        for f in arrived:
            kept.pop(f.name, None)  # re-inserted last: the list shows upload order
            kept[f.name] = f.getvalue()
        st.session_state[_ROUND] = n = n + 1
        if replaced:
            st.session_state["upload_replaced"] = replaced
    localise_uploader(["csv", "xlsx"])
    st.file_uploader(tr("CSV/XLSX 文件", "CSV/XLSX files"), type=["csv", "xlsx"],
                     accept_multiple_files=True, key=_key(n))
    if replaced := st.session_state.pop("upload_replaced", None):
        st.info(tr("已用新上传的文件替换同名文件:", "Replaced by the new upload of the same name: ")
                + tr("、", ", ").join(replaced))
    for name in list(kept):
        c1, c2 = st.columns([5, 1])
        c1.markdown(f"📄 `{name}` · {len(kept[name]) / 1024:.1f} KB")
        if c2.button(tr("移除", "Remove"), key=f"upload_remove_{name}"):
            kept.pop(name, None)
            st.rerun()
    return list(kept.items())


def _column(text: str | None) -> str:
    """``"id (编号)"`` → ``"编号"`` in Chinese, ``"id"`` in English."""
    if not text:
        return ""
    m = _DISPLAY.match(text)
    if not m:
        return text
    return m["zh"] if lang() == "zh" else m["en"]


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems of a failed validation as a table in the current language.

    A problem that belongs to no row or column (a table given twice) shows blank cells
    there, not "None".
    """
    zh = lang() == "zh"
    return pd.DataFrame([{
        tr("文件", "File"): p.file,
        tr("行", "Row"): "" if p.row is None else str(p.row),
        tr("列", "Column"): _column(p.column),
        tr("值", "Value"): "" if p.value is None else p.value,
        tr("问题", "Problem"): p.zh if zh else p.en} for p in problems])
