"""The versions section of the data page: the version list, disk use and the undo button."""

from __future__ import annotations

import streamlit as st

from wushe.app.views import _auth, _data
from wushe.app.views._i18n import tr
from wushe.app.views._widgets import show_error
from wushe.graph.errors import WusheError

__all__ = ["versions_section"]

_COLUMNS = {"version": ("版本", "Version"), "state": ("状态", "State"),
            "data_date": ("数据日期", "Data date"), "loaded_at": ("导入时间", "Loaded at"),
            "user": ("导入人", "By"), "replace": ("替换", "Replace"),
            "sources": ("来源文件", "Sources"), "nodes": ("节点", "Nodes"),
            "relationships": ("关系", "Relationships"), "disk_mib": ("磁盘 MiB", "Disk MiB")}


def versions_section() -> None:
    """Draw the version list and, for analysts on the embedded store, the undo button."""
    st.header(tr("数据版本", "Versions"))
    st.caption(tr("每次成功导入都是一个版本;内置数据库保留最近几个版本,可撤销上一次导入。",
                  "Every successful load is a version; the embedded store keeps the last "
                  "few, so the last load can be undone."))
    if done := st.session_state.pop("undo_done", None):
        st.success(done)
    if error := st.session_state.pop("undo_error", None):
        show_error(error)
    df = _data.versions()
    st.dataframe(df.rename(columns={k: tr(*v) for k, v in _COLUMNS.items()}),
                 hide_index=True, key="versions_table")
    st.caption(tr(f"保留版本共占用磁盘 {df['disk_mib'].sum():.1f} MiB。",
                  f"The kept versions use {df['disk_mib'].sum():.1f} MiB of disk."))
    if _auth.current_role() != "analyst":
        return
    if not _data.can_undo():
        st.caption(tr("没有可撤回的更早版本(Neo4j 请用数据库备份与恢复撤销导入)。",
                      "No earlier version to go back to (on Neo4j, undo a load with the "
                      "database's backup and restore)."))
        return
    sure = st.checkbox(tr("我确认撤销上一次导入", "I want to undo the last load"),
                       key="undo_confirm")
    st.button(tr("撤销上一次导入", "Undo the last load"), key="undo_button",
              disabled=not sure, on_click=_undo)


def _undo() -> None:
    """Button callback (runs before the rerun, so it may reset the confirmation box)."""
    try:
        st.session_state["undo_done"] = _data.undo()
    except WusheError as e:
        st.session_state["undo_error"] = e
    st.session_state["undo_confirm"] = False
