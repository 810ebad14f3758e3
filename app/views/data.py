"""Data page: upload and validate CSV/XLSX, load with progress, template, data quality."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wushe.app.views import _auth, _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._versions import versions_section
from wushe.app.views._widgets import show_error
from wushe.graph.errors import ValidationError, WusheError
from wushe.graph.schema import SCHEMA

st.title(tr("数据导入与质量", "Data import & quality"))

# -- import --------------------------------------------------------------------------------
# Loading writes to the store: analysts only where a login or WUSHE_RESTRICT_ANALYST says so.
if _auth.current_role() == "analyst":
    st.header(tr("导入数据", "Import data"))
    st.caption(tr("上传按模板填写的 CSV/XLSX 文件(可多选),或填写服务器上的文件夹路径。先校验,"
                  "有任何错误时不写入任何数据。",
                  "Upload CSV/XLSX files filled in from the template (several at once), or give "
                  "a folder path on the server. Files are validated first; nothing is written "
                  "while any error remains."))
    files = st.file_uploader(tr("CSV/XLSX 文件", "CSV/XLSX files"), type=["csv", "xlsx"],
                             accept_multiple_files=True, key="upload_files")
    folder = st.text_input(tr("或文件夹路径", "Or a folder path"), key="upload_folder").strip()
    MODES = {"replace": tr("替换现有数据", "Replace the current graph"),
             "append": tr("追加到现有数据", "Append to the current graph")}
    mode = st.radio(tr("导入方式", "Mode"), list(MODES), key="upload_mode", horizontal=True,
                    format_func=MODES.__getitem__)

    signature = (tuple((f.name, f.size, f.file_id) for f in files or ()), folder, mode)
    if (files or folder) and st.session_state.get("upload_sig") != signature:
        st.session_state["upload_sig"] = signature
        st.session_state["upload_result"] = None
        try:
            st.session_state["upload_result"] = _data.validate_upload(
                [(f.name, f.getvalue()) for f in files or ()], folder or None,
                append=mode == "append")
        except ValidationError as e:
            st.session_state["upload_result"] = e
        except WusheError as e:
            show_error(e)
    elif not (files or folder):
        st.session_state.pop("upload_sig", None)
        st.session_state.pop("upload_result", None)

    result = st.session_state.get("upload_result")
    if isinstance(result, ValidationError):
        st.error(tr(f"校验发现 {len(result.problems)} 处问题,未写入任何数据。请修改后重新上传。",
                    f"Validation found {len(result.problems)} problem(s); nothing was written. "
                    "Fix them and upload again."))
        st.dataframe(pd.DataFrame(
            [{tr("文件", "File"): p.file, tr("行", "Row"): p.row, tr("列", "Column"): p.column,
              tr("值", "Value"): p.value, tr("问题", "Problem"): p.zh if lang() == "zh" else p.en}
             for p in result.problems]), hide_index=True, key="upload_problems")
    elif result is not None:
        counts = {k: v for k, v in result.counts().items() if v}
        st.success(tr(f"校验通过:{result.total_nodes} 个节点、{result.total_rels} 条关系。",
                      f"Valid: {result.total_nodes} nodes, {result.total_rels} relationships."))
        st.dataframe(pd.DataFrame({tr("表", "Table"): list(counts),
                                   tr("行数", "Rows"): list(counts.values())}),
                     hide_index=True, key="upload_counts")
        for notice in getattr(result, "warnings", ()):
            st.info(notice.message(lang()))
        as_of = st.date_input(tr("数据日期(数据所描述的日期)", "Data date (the date the data "
                                 "describes)"), key="upload_as_of")
        if st.button(tr("写入图数据库", "Load into the graph"), type="primary", key="upload_load"):
            bar = st.progress(0.0, text=tr("正在导入…", "Loading…"))

            def _progress(done: int, total: int, what: str) -> None:
                bar.progress(done / total if total else 1.0, text=f"{what} ({done}/{total})")

            try:
                meta = _data.version_meta([(f.name, f.getvalue()) for f in files or ()],
                                          folder or None, as_of, _auth.current_user())
                summary = _data.load_tables(result, replace=mode == "replace", progress=_progress,
                                            meta=meta)
            except WusheError as e:
                show_error(e)
            else:
                st.session_state["upload_done"] = tr(
                    f"已导入 {summary.nodes} 个节点、{summary.rels} 条关系,用时 "
                    f"{summary.seconds:.1f} 秒。",
                    f"Loaded {summary.nodes} nodes and {summary.rels} relationships in "
                    f"{summary.seconds:.1f} s.")
                st.session_state["upload_result"] = None
                st.rerun()  # so the sidebar's region lists show the new graph too
    if done := st.session_state.pop("upload_done", None):
        st.success(done)

    st.download_button(tr("下载空白导入模板 (XLSX)", "Download the blank import template (XLSX)"),
                       _data.template_bytes(), file_name="wushe-template.xlsx", key="template",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
else:
    st.info(tr("导入数据仅限分析员角色;以下为当前数据质量。",
               "Importing data is limited to the analyst role; the quality of the current "
               "graph follows."))

versions_section()

# -- quality -------------------------------------------------------------------------------
st.header(tr("当前数据质量", "Quality of the current graph"))
q = _data.quality()


def _label_name(label: str) -> str:
    node = SCHEMA.node(label)
    return tr(node.zh, node.en)


counts = q["counts"].assign(label=q["counts"]["label"].map(_label_name))
c1, c2 = st.columns(2)
c1.metric(tr("节点总数", "Nodes"), int(counts["nodes"].sum()))
c2.metric(tr("孤立节点", "Orphan nodes"), int(counts["orphans"].sum()))
st.dataframe(counts.rename(columns={"label": tr("标签", "Label"), "nodes": tr("节点数", "Nodes"),
                                    "orphans": tr("孤立节点", "Orphans")}),
             hide_index=True, key="quality_counts")
st.subheader(tr("缺失字段", "Missing fields"))
missing = q["missing"]
st.dataframe(pd.DataFrame({
    tr("标签", "Label"): missing["label"].map(_label_name),
    tr("属性", "Property"): missing["zh" if lang() == "zh" else "en"],
    tr("必填", "Required"): missing["required"],
    tr("缺失比例", "Missing share"): missing["missing"]}),
    hide_index=True, key="quality_missing",
    column_config={tr("缺失比例", "Missing share"): st.column_config.ProgressColumn(
        format="percent", min_value=0.0, max_value=1.0)})
with st.expander(tr("孤立节点清单", "Orphan nodes")):
    st.dataframe(q["orphans"].assign(label=q["orphans"]["label"].map(_label_name)),
                 hide_index=True, key="quality_orphans")
