"""The data page's mapping step for registers: one select per field, a preview, save.

When the uploaded files are registers (not the graph format), the step shows for each
table the kind and the column found for each field (from the synonyms, or a mapping file
the user uploads), lets the user change any of them, previews the first rows as they will
load, offers the mapping as a YAML file to reuse (``wushe load --mapping``), and validates
and loads the registers (each replacing what its kind describes; all-or-nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._uploads import problems_frame
from wushe.app.views._widgets import show_error
from wushe.graph.errors import ValidationError, WusheError

__all__ = ["handles"]

_UNUSED = "—"


def _tables(files: Sequence[tuple[str, bytes]], folder: str) -> list:
    from wushe.loaders.reading import read_path, read_upload

    if folder:
        return read_path(folder, titles=True)
    out = []
    for name, data in files:
        out.extend(read_upload(name, data, titles=True))
    return out


def _is_registers(files: Sequence[tuple[str, bytes]], folder: str) -> bool:
    """Whether the upload is registers: not every file or sheet is named after a table."""
    import tempfile
    from pathlib import Path

    from wushe.loaders.registers import looks_graph_shaped

    if folder:
        path = Path(folder).expanduser()
        return path.exists() and not looks_graph_shaped(path)
    with tempfile.TemporaryDirectory(prefix="wushe-upload-") as tmp:
        for name, data in files:
            (Path(tmp) / Path(name).name).write_bytes(data)
        return not looks_graph_shaped(Path(tmp))


def handles(files: Sequence[tuple[str, bytes]], folder: str) -> bool:
    """Show the mapping step when the upload is registers; whether it was."""
    if not (files or folder):
        return False
    try:
        if not _is_registers(files, folder):
            return False
        raws = _tables(files, folder)
    except ValidationError as e:
        st.dataframe(problems_frame(e.problems), hide_index=True, key="reg_read_problems")
        return True
    from wushe.loaders.registers import read_registers
    from wushe.loaders.registers.mapping import ColumnMap, MappingFile, dump_mapping, map_table

    st.subheader(tr("台账列映射", "Register column mapping"))
    st.caption(tr("已按常用列名自动识别;可为每个字段重新选择对应的列,预览无误后导入。",
                  "Columns were recognised from common headers; choose another column for any "
                  "field, check the preview, then load."))
    chosen: dict[str, ColumnMap] = {}
    from wushe.loaders.registers import KINDS

    for i, raw in enumerate(raws):
        auto = map_table(raw)
        kinds = [k.name for k in KINDS]
        default = kinds.index(auto.kind.name) if not hasattr(auto, "en") else 0
        with st.expander(f"{raw.source}", expanded=True):
            kname = st.selectbox(tr("台账类型", "Register kind"), kinds, index=default,
                                 key=f"reg_kind_{i}",
                                 format_func=lambda n: next(k.zh for k in KINDS if k.name == n))
            kind = next(k for k in KINDS if k.name == kname)
            if hasattr(auto, "framed") and auto.kind is kind:
                headers = [h for h in auto.framed.headers if h]
                found = {f: auto.framed.headers[j] for f, j in auto.columns.items()}
                header_row = auto.framed.header_row
            else:
                headers = [h for h in raw.headers if h]
                found, header_row = {}, None
            columns: dict[str, str] = {}
            cols = st.columns(3)
            for n, f in enumerate(kind.fields):
                options = [_UNUSED, *headers]
                pick = cols[n % 3].selectbox(
                    f.zh if lang() == "zh" else f.en, options,
                    index=options.index(found[f.name]) if found.get(f.name) in options else 0,
                    key=f"reg_field_{i}_{f.name}")
                if pick != _UNUSED:
                    columns[pick] = f.name
            chosen[raw.name if raw.sheet else raw.file] = ColumnMap(kind.name, header_row,
                                                                    columns)
            if hasattr(auto, "framed"):
                data = auto.framed.data.head(5)
                idx = {h: j for j, h in enumerate(auto.framed.headers)}
                shown = {f.name: f.zh if lang() == "zh" else f.en for f in kind.fields}
                st.dataframe(pd.DataFrame({shown[columns[h]]: data[idx[h]] for h in columns
                                           if h in idx}), hide_index=True,
                             key=f"reg_preview_{i}")
    mapping = MappingFile(chosen)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        saved = dump_mapping(chosen, Path(tmp) / "mapping.yaml").read_bytes()
    st.download_button(tr("保存映射 (YAML)", "Save the mapping (YAML)"), saved,
                       file_name="wushe-mapping.yaml", key="reg_mapping_save")
    if st.button(tr("校验并导入台账", "Validate and load the registers"), type="primary",
                 key="reg_load"):
        from wushe.graph.backends.dump import read_tables
        from wushe.loaders import salt_for_store

        b = _data.backend()
        try:
            imp = read_registers(raws, mapping=mapping, base=read_tables(b),
                                 salt=salt_for_store(b))
            summary = b.load(imp.tables, replace=imp.replace)
        except ValidationError as e:
            st.error(tr(f"校验发现 {len(e.problems)} 处问题,未写入任何数据。",
                        f"Validation found {len(e.problems)} problem(s); nothing was written."))
            st.dataframe(problems_frame(e.problems), hide_index=True, key="reg_problems")
        except WusheError as e:
            show_error(e)
        else:
            st.success(tr(f"已导入 {summary.nodes} 个节点、{summary.rels} 条关系。",
                          f"Loaded {summary.nodes} nodes and {summary.rels} relationships."))
            for line in imp.changes.lines(lang()):
                st.write(line)
    return True
