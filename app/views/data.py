"""Data page: upload and validate CSV/XLSX, add to the store (or, deliberately, replace it),
template, data quality."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wushe.app.views import _auth, _data, _registers
from wushe.app.views._i18n import lang, tr
from wushe.app.views._uploads import problems_frame, uploaded_files
from wushe.app.views._versions import versions_section
from wushe.app.views._widgets import kind_name, show_error
from wushe.graph.errors import ValidationError, WusheError
from wushe.graph.schema import SCHEMA

st.title(tr("数据导入与质量", "Data import & quality"))


def _progress_bar():  # noqa: ANN202 - a callback for the store
    bar = st.progress(0.0, text=tr("正在导入…", "Loading…"))

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(done / total if total else 1.0, text=f"{kind_name(what)} ({done}/{total})")

    return progress


def _loaded(summary) -> None:  # noqa: ANN001 - a LoadSummary
    updated = sum(summary.updated.values())
    removed = sum(summary.removed.values())
    st.session_state["upload_done"] = tr(
        f"已导入 {summary.nodes} 个节点、{summary.rels} 条关系(其中新增 {summary.added_nodes} 个、"
        f"更新 {updated} 个已有节点;替换 {removed} 条已有关系),用时 {summary.seconds:.1f} 秒。",
        f"Loaded {summary.nodes} nodes and {summary.rels} relationships ({summary.added_nodes} "
        f"new, {updated} stored nodes updated; {removed} stored relationships replaced) in "
        f"{summary.seconds:.1f} s.")
    st.session_state["upload_result"] = None
    st.session_state.pop("upload_sig", None)
    st.session_state.pop("upload_store", None)
    st.rerun()  # so the sidebar's region lists show the new graph too


def _show_problems(error: ValidationError) -> None:
    st.error(tr(f"校验发现 {len(error.problems)} 处问题,未写入任何数据。请修改后重新上传"
                "(同名文件会替换之前上传的文件)。",
                f"Validation found {len(error.problems)} problem(s); nothing was written. "
                "Fix them and upload again (a file of the same name replaces the earlier one)."))
    st.dataframe(problems_frame(error.problems), hide_index=True, key="upload_problems")


# -- import --------------------------------------------------------------------------------
# Loading writes to the store: analysts only where a login or WUSHE_RESTRICT_ANALYST says so.
if _auth.current_role() == "analyst":
    st.header(tr("导入数据", "Import data"))
    st.caption(tr("上传按模板填写的 CSV/XLSX 文件(可多选),或填写服务器上的文件夹路径。先校验,"
                  "有任何错误时不写入任何数据。导入默认追加到现有数据:编号已在库中的节点按文件更新。"
                  "关系表中已有的区域和社会组织按名称填写即可(下载的模板有下拉列表)。",
                  "Upload CSV/XLSX files filled in from the template (several at once), or give "
                  "a folder path on the server. Files are validated first; nothing is written "
                  "while any error remains. An import adds to the stored data; nodes whose id "
                  "is already stored are updated from the files. In relationship sheets, stored "
                  "regions and organizations are given by name (the downloaded template has "
                  "drop-downs)."))
    files = uploaded_files()
    folder = st.text_input(tr("或文件夹路径", "Or a folder path"), key="upload_folder").strip()
    if _registers.handles(files, folder):  # registers: the mapping step takes over
        files, folder = [], ""

    signature = (tuple((name, hash(data)) for name, data in files), folder)
    if (files or folder) and st.session_state.get("upload_sig") != signature:
        st.session_state.pop("upload_done", None)
        st.session_state["upload_sig"] = signature
        st.session_state["upload_result"] = None
        # the store's version the preview was checked against (read before checking)
        st.session_state["upload_version"] = _data.backend().version()
        try:
            st.session_state["upload_result"] = _data.validate_upload(files, folder or None,
                                                                      append=True)
        except ValidationError as e:
            st.session_state["upload_result"] = e
        except WusheError as e:
            show_error(e)
    elif not (files or folder):
        st.session_state.pop("upload_sig", None)
        st.session_state.pop("upload_result", None)

    result = st.session_state.get("upload_result")
    if isinstance(result, ValidationError):
        _show_problems(result)
    elif result is not None:
        st.success(tr(f"校验通过:{result.total_nodes} 个节点、{result.total_rels} 条关系。",
                      f"Valid: {result.total_nodes} nodes, {result.total_rels} relationships."))
        split = _data.split_new_and_stored(result).set_index("label")
        rows = [{tr("表", "Table"): kind_name(k), tr("行数", "Rows"): v,
                 tr("新增", "New"): int(split["new"].get(k, v)),
                 tr("更新已有", "Updates"): int(split["stored"].get(k, 0))}
                for k, v in result.counts().items() if v]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="upload_counts")
        for notice in getattr(result, "warnings", ()):
            st.info(notice.message(lang()))
        as_of = st.date_input(tr("数据日期(数据所描述的日期)", "Data date (the date the data "
                                 "describes)"), key="upload_as_of")
        meta = _data.version_meta(files, folder or None, as_of, _auth.current_user())
        if st.button(tr("追加到现有数据", "Add to the stored data"), type="primary",
                     key="upload_load"):
            seen = st.session_state.get("upload_version")

            def checked(preview=result):  # noqa: ANN001, ANN202 - called by the store
                # Under the load lock: the preview stands if the store is still the one it
                # was checked against; otherwise (or for a folder, which may have changed)
                # the files are checked again: a province's upload is not validated twice
                # for nothing.
                if not folder and seen is not None and _data.backend().version() == seen:
                    return preview
                return _data.validate_upload(files, folder or None, append=True)

            try:
                _loaded(_data.load_tables(checked, replace=False, progress=_progress_bar(),
                                          meta=meta))
            except ValidationError as e:
                _show_problems(e)
            except WusheError as e:
                show_error(e)

        word = _data.confirm_word()
        with st.expander(tr("替换全部现有数据(会删除库中所有数据)",
                            "Replace all stored data (deletes everything stored)")):
            counts = _data.quality()["counts"]
            counts = counts[counts["nodes"] > 0].sort_values(
                "label", key=lambda s: s.map(SCHEMA.node_names.index))
            st.warning(tr("替换将删除库中现有的全部数据:", "Replacing deletes everything stored: ")
                       + tr("、", ", ").join(f"{kind_name(r.label)} {int(r.nodes)}"
                                            for r in counts.itertuples())
                       + tr(f"(共 {int(counts['nodes'].sum())} 个节点)。此操作不可撤销。",
                            f" ({int(counts['nodes'].sum())} nodes). This cannot be undone."))
            typed = st.text_input(tr(f"请输入「{word}」以确认替换", f"Type “{word}” to confirm"),
                                  key="replace_confirm")
            if st.button(tr("删除现有数据并替换", "Delete the stored data and replace it"),
                         key="upload_replace", disabled=typed.strip() != word):
                try:
                    alone = _data.validate_upload(files, folder or None, append=False)
                    _loaded(_data.load_tables(alone, replace=True, progress=_progress_bar(),
                                              meta=meta))
                except ValidationError as e:
                    _show_problems(e)
                except WusheError as e:
                    show_error(e)
    # kept until the next upload: a rerun (another widget) must not hide what was loaded
    if done := st.session_state.get("upload_done"):
        st.success(done)

    st.download_button(tr("下载导入模板 (XLSX,附已有区域及编号)",
                          "Download the import template (XLSX, with the stored regions)"),
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
counts = q["counts"].assign(label=q["counts"]["label"].map(kind_name))
c1, c2 = st.columns(2)
c1.metric(tr("节点总数", "Nodes"), int(counts["nodes"].sum()))
c2.metric(tr("孤立节点", "Orphan nodes"), int(counts["orphans"].sum()))
st.dataframe(counts.rename(columns={"label": tr("标签", "Label"), "nodes": tr("节点数", "Nodes"),
                                    "orphans": tr("孤立节点", "Orphans")}),
             hide_index=True, key="quality_counts")
st.subheader(tr("缺失字段", "Missing fields"))
missing = q["missing"]
st.dataframe(pd.DataFrame({
    tr("标签", "Label"): missing["label"].map(kind_name),
    tr("属性", "Property"): missing["zh" if lang() == "zh" else "en"],
    tr("必填", "Required"): missing["required"].map(lambda b: tr("是", "yes") if b
                                                 else tr("否", "no")),
    tr("缺失比例", "Missing share"): missing["missing"]}),
    hide_index=True, key="quality_missing",
    column_config={tr("缺失比例", "Missing share"): st.column_config.ProgressColumn(
        format="percent", min_value=0.0, max_value=1.0)})
with st.expander(tr("孤立节点清单", "Orphan nodes")):
    orphans = q["orphans"].assign(label=q["orphans"]["label"].map(kind_name))
    st.dataframe(orphans.rename(columns={"label": tr("类型", "Kind"), "id": tr("编号", "id"),
                                         "name": tr("名称", "Name")}),
                 hide_index=True, key="quality_orphans")
