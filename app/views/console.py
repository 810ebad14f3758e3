"""Cypher console: the named query library, a free editor, history, table and graph results.

Every query runs read-only with a row limit and a timeout (``GraphBackend.run``); a write
gets the :class:`~graph.errors.ReadOnlyViolation` refusal and an engine failure says what it
means in the reader's language, then the engine's own message, with the portability notes
of ``queries/README.md``. A named query's regions, communities and organizations are
picked by name (``_pickers``); results and downloads carry the reader's column titles.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from wushe.app import export, netmap
from wushe.app.views import _auth, _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._pickers import PICKED, param_input, param_label
from wushe.graph.backends.adhoc import hide_hashes, run_researcher_cypher
from wushe.graph.backends.base import DEFAULT_TIMEOUT_S
from wushe.graph.cypher import Untranslatable, format_params, parse_params
from wushe.graph.errors import QueryError, QueryParamError, ReadOnlyViolation, WusheError
from wushe.queries import registry
from wushe.queries.titles import titled

HISTORY, RESULT, EDITOR, PARAMS = "console_history", "console_result", "console_cypher", \
    "console_params"
#: history source of statements typed in the editor (they take the ad-hoc path)
EDITOR_SOURCE = "editor"


def _run(cypher: str, params: dict[str, Any], row_limit: int, timeout_s: float,
         source: str, *, library: str | None = None) -> None:
    """Run one statement read-only; keep the result (or error) and a history entry.

    Library queries are written for each store already (``library`` is then the query's
    Neo4j text, which the history keeps); the editor's text is read as Neo4j's Cypher and
    translated for the embedded store (or refused with the portable form).
    """
    t0 = time.perf_counter()
    # the history holds Neo4j's text: a re-run goes through the editor's translation
    entry = {"source": source, "cypher": library or cypher, "params": params,
             "at": time.strftime("%H:%M:%S")}
    try:
        if library:  # trusted text, in-process; hashes are hidden all the same
            df = hide_hashes(_data.backend().run(cypher, params, read_only=True,
                                                 timeout_s=timeout_s, row_limit=row_limit))
        else:
            df = run_researcher_cypher(_data.backend(), cypher, params, timeout_s=timeout_s,
                                       row_limit=row_limit)
        entry.update(rows=len(df), seconds=round(time.perf_counter() - t0, 3), ok=True)
        st.session_state[RESULT] = {"df": df, "truncated": bool(df.attrs.get("truncated")),
                                    **entry}
    except WusheError as e:
        entry.update(rows=0, seconds=round(time.perf_counter() - t0, 3), ok=False)
        st.session_state[RESULT] = {"error": e, **entry}
    st.session_state.setdefault(HISTORY, []).insert(0, entry)
    del st.session_state[HISTORY][50:]


def _rerun(i: int) -> None:
    """Callback: put history entry ``i`` back in the editor (it runs on this rerun)."""
    entry = st.session_state[HISTORY][i]
    st.session_state[EDITOR] = entry["cypher"]
    st.session_state[PARAMS] = format_params(entry["params"])
    st.session_state["console_pending"] = True


def _shown(df: pd.DataFrame) -> pd.DataFrame:
    """Nested values (nodes, relationships, lists) as JSON text, which a table can show."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [json.dumps(export.json_value(v), ensure_ascii=False)
                        if isinstance(v, dict | list | np.ndarray) else v for v in out[col]]
    return out


def _titled(df: pd.DataFrame) -> pd.DataFrame:
    """Chinese column titles in the Chinese UI; in English the query's own (English) names,
    which are also what ``wushe query`` prints."""
    return titled(df, "zh") if lang() == "zh" else df


st.title(tr("Cypher 控制台", "Cypher console"))
_auth.require_role("analyst")

b = _data.backend()
c1, c2, c3 = st.columns([2, 1, 1])
c1.caption(tr(f"引擎:{b.engine} · 只读执行", f"Engine: {b.engine} · runs read-only"))
row_limit = int(c2.number_input(tr("行数上限", "Row limit"), 1, 100_000, 1000, step=100,
                                key="console_row_limit"))
timeout_s = float(c3.number_input(tr("超时(秒)", "Timeout (s)"), 1.0, 600.0,
                                  float(DEFAULT_TIMEOUT_S), step=5.0, key="console_timeout"))

lib, editor = st.tabs([tr("查询库", "Query library"), tr("自由编辑", "Editor")])
with lib:
    search = st.text_input(tr("搜索(名称、标题、说明)", "Search (name, title, description)"),
                           key="console_search").strip().lower()
    found = [q for q in registry.list_queries()
             if not search or search in f"{q.name} {q.title(lang())} {q.description(lang())}"
             .lower()]
    if not found:
        st.info(tr("没有匹配的查询。", "No query matches."))
    else:
        titles = {x.name: f"{x.title(lang())} · {x.name}" for x in found}
        q = registry.get(st.selectbox(tr(f"查询({len(found)} 个)", f"Query ({len(found)})"),
                                      list(titles), key="console_query",
                                      format_func=titles.__getitem__))
        st.markdown(q.description(lang()))
        if st.session_state.get("console_last_query") != q.name:
            st.session_state["console_last_query"] = q.name
            # the editor reads Neo4j's Cypher on both stores (translated for the embedded one)
            st.session_state[EDITOR] = q.cypher_for("neo4j")
        with st.form("console_named_form"):
            given: dict[str, Any] = {p.name: param_input(p, f"console_p_{q.name}_{p.name}")
                                     for p in q.params}
            submitted = st.form_submit_button(tr("运行", "Run"), type="primary")
        if submitted:
            missing = [param_label(p) for p in q.params
                       if p.name in PICKED and given[p.name] is None]
            try:
                if missing:
                    raise QueryParamError("Pick " + ", ".join(missing) + " first.",
                                          "请先选择" + "、".join(missing) + "。")
                bound = q.bind(given)
            except WusheError as e:
                st.error(e.message(lang()))
            else:
                st.session_state[PARAMS] = format_params(bound)
                _run(q.cypher_for(b.engine), bound, row_limit, timeout_s, q.name,
                     library=q.cypher_for("neo4j"))

with editor:
    st.session_state.setdefault(EDITOR, "MATCH (n:Community) RETURN n.id AS id, n.name AS name")
    st.session_state.setdefault(PARAMS, "")
    cypher = st.text_area("Cypher", key=EDITOR, height=220)
    params_text = st.text_area(
        tr("参数(JSON 对象,或每行一个 名称=值:y=2024 为整数,y='2024' 为文本,"
           "d=date('2024-01-01') 为日期)",
           "Parameters (a JSON object, or one name=value per line: y=2024 is an integer, "
           "y='2024' text, d=date('2024-01-01') a date)"), key=PARAMS, height=80)
    if st.button(tr("运行编辑器中的语句", "Run the editor"), key="console_run_editor") \
            or st.session_state.pop("console_pending", False):
        try:
            params = parse_params(params_text or "")
        except WusheError as e:
            st.error(e.message(lang()))
        else:
            _run(cypher, params, row_limit, timeout_s, EDITOR_SOURCE)

res = st.session_state.get(RESULT)
if res is not None:
    st.subheader(tr("结果", "Result"))
    if "error" in res:
        err = res["error"]
        if isinstance(err, QueryError):  # what it means first; the engine's words below
            st.error(err.summary(lang()))
            st.caption(tr(f"{err.backend} 引擎的原文(英文):", f"The {err.backend} engine's own "
                          "text:"))
            st.code(err.engine_message, language=None)
            with st.expander(tr("两种存储通用的 Cypher 写法(queries/README.md)",
                                "Cypher that runs on both stores (queries/README.md)")):
                st.markdown((registry.QUERY_DIR / "README.md").read_text(encoding="utf-8"))
        else:
            st.error(err.message(lang()))
        if isinstance(err, Untranslatable):
            st.caption(tr("docs/cypher.md 列出嵌入式存储支持的 Neo4j Cypher 写法及可移植写法。",
                          "docs/cypher.md lists the Neo4j Cypher the embedded store answers, and "
                          "the portable forms."))
        elif isinstance(err, ReadOnlyViolation):
            st.caption(tr("数据导入请使用「数据导入与质量」页。", "Load data on the Data page."))
    else:
        df = res["df"]
        st.caption(tr(f"{len(df)} 行 · {res['seconds']} 秒", f"{len(df)} rows · "
                      f"{res['seconds']} s") + (tr(f" · 已截断到上限 {row_limit} 行",
                                                   f" · truncated at the limit of {row_limit}")
                                                if res["truncated"] else ""))
        G = netmap.graph_from_frame(df)
        # as Neo4j Browser does: a result holding nodes, relationships or paths is drawn
        # as a graph beside its table
        if G.number_of_nodes():
            t_table, t_graph = st.columns([1, 1])
        else:
            t_table, t_graph = st.container(), st.container()
        t_table.dataframe(_titled(_shown(df)), hide_index=True)
        with t_graph:
            if G.number_of_nodes():
                view = netmap.build_map(G, netmap.MapOptions(mode="raw"))
                for note in view.notes:
                    st.warning(note.message(lang()))
                st.iframe(netmap.to_pyvis_html(view.graph, lang=lang(), notes=view.notes,
                                               height="520px"), height=560)
            else:
                st.caption(tr("结果中没有节点或关系;返回 n、r 等节点/关系即可画图。",
                              "The result holds no nodes or relationships; return nodes and "
                              "relationships (n, r) to draw them."))
        d1, d2 = st.columns(2)
        shown = _titled(df)  # the reader's column titles, as on the page
        d1.download_button(tr("下载 CSV", "Download CSV"),
                           export.frame_to_csv(shown).encode("utf-8-sig"),
                           file_name="wushe-query.csv", mime="text/csv", key="console_csv")
        d2.download_button(tr("下载 XLSX", "Download XLSX"),
                           export.frame_to_xlsx(shown, sheet=tr("查询结果", "result")),
                           file_name="wushe-query.xlsx", key="console_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml"
                           ".sheet")

history = st.session_state.get(HISTORY, [])
with st.expander(tr(f"历史记录({len(history)})", f"History ({len(history)})")):
    for i, h in enumerate(history):
        a, bcol = st.columns([5, 1])
        src = tr("编辑器", "editor") if h["source"] == EDITOR_SOURCE else h["source"]
        a.markdown(f"`{h['at']}` **{src}** · "
                   + (tr(f"{h['rows']} 行", f"{h['rows']} rows") if h["ok"]
                      else tr("失败", "failed")) + f" · {h['seconds']} s")
        a.code(h["cypher"], language="cypher")
        bcol.button(tr("再次运行", "Re-run"), key=f"console_rerun_{i}", on_click=_rerun,
                    args=(i,))
