"""Network map: the linkage graph of a community, a township or an organization's neighbourhood.

Drawn with pyvis (vis-network) from a server-side layout; what to draw is decided by
:func:`wushe.app.netmap.build_map`, exports by :mod:`wushe.app.export`.
"""

from __future__ import annotations

import streamlit as st

from wushe.app import export, netmap
from wushe.app.textsafe import md_escape
from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import show_error, told_apart
from wushe.graph.errors import FocusNotFound, WusheError
from wushe.graph.schema import CATEGORIES, ELEMENT_ORDER, ELEMENTS, SCENARIOS

SCOPES = {"community": ("社区", "Community"), "township": ("乡镇(街道)", "Township"),
          "organization": ("社会组织邻域", "Organization neighbourhood"),
          "links": ("社区间共享组织(县)", "Communities sharing organizations (county)")}


def _pick(label: str, options: dict[str, str], key: str, preset: str | None) -> str | None:
    if not options:
        st.info(tr(f"当前区域没有可选的{label}。", f"No {label} to choose in this region."))
        return None
    options = told_apart(options)
    ids = list(options)
    idx = ids.index(preset) if preset in ids else 0
    return st.selectbox(label, ids, index=idx, key=key, format_func=options.__getitem__)


st.title(tr("网络图", "Network map"))
st.caption(tr("联动图:项目转化为共同参与主体之间的连线(粗细 = 共同项目数)。"
              "原始图:保留项目、需求等节点。",
              "Linkage graph: each project becomes links between the actors sharing it "
              "(width = shared projects). Raw graph: projects, needs and places stay nodes."))

# labels are computed now: a format_func may be called outside this run (AppTest, reruns)
scope_names = {s: tr(*v) for s, v in SCOPES.items()}
scope = st.radio(tr("范围", "Scope"), list(SCOPES), horizontal=True, key="net_scope",
                 format_func=scope_names.__getitem__)
county, township = st.session_state.get("county"), st.session_state.get("township")
try:
    if scope == "community":
        level = "township" if township else "county" if county else None
        ids = _data.communities_in(level, township or county)[:2000]
        target = _pick(tr("社区", "Community"), {i: _data.region_name("community", i) for i in ids},
                       "net_community", st.session_state.get("community"))
        idle = st.checkbox(tr("显示未参与项目的驻在主体", "Show members with no project"),
                           key="net_idle")
        names_ = ("community_linkage", "community_members") if idle else ("community_linkage",)
        G = _data.subgraph(names_, community_id=target) if target else None
    elif scope == "township":
        target = _pick(tr("乡镇(街道)", "Township"), dict(_data.children("township", county)),
                       "net_township", township)
        G = _data.subgraph(("township_linkage",), township_id=target) if target else None
    elif scope == "organization":
        cid = st.session_state.get("community") or next(iter(_data.communities_in(
            "township" if township else "county" if county else None, township or county)), None)
        actors = _data.run_named("community_actors", community_id=cid) if cid else None
        orgs = {} if actors is None else dict(
            actors[actors["label"].map(str).str.contains("Organization")][["id", "name"]]
            .drop_duplicates("id").itertuples(index=False, name=None))
        target = _pick(tr("社会组织(所选社区)", "Organization (selected community)"), orgs,
                       "net_org", None)
        hops = st.radio(tr("邻域跳数", "Hops"), [1, 2], horizontal=True, key="net_org_hops")
        G = _data.subgraph(("organization_neighbourhood",), organization_id=target, hops=hops) \
            if target else None
    else:
        target = _pick(tr("县(市、区)", "County"), dict(_data.children("county",
                       st.session_state.get("city"))), "net_county", county)
        G = None
        if target:
            pairs = _data.run_named("community_links_via_orgs", county_id=target).copy()
            pairs["source_name"] = pairs["source"].map(lambda i: _data.region_name("community", i))
            pairs["target_name"] = pairs["target"].map(lambda i: _data.region_name("community", i))
            G = netmap.graph_from_pairs(pairs, weight="shared_orgs",
                                        names=("source_name", "target_name"))
except WusheError as e:
    show_error(e)
    st.stop()

if G is None or G.number_of_nodes() == 0:
    if scope == "community" and target and not idle:
        # no dead end: say why the linkage map is empty and offer the members view
        members = _data.subgraph(("community_members",), community_id=target)
        name = md_escape(_data.region_name("community", target))
        n = max(0, members.number_of_nodes() - 1)
        st.info(tr(f"「{name}」还没有项目记录:联动图把共同参与同一项目的主体连成线,所以这里暂无连线。"
                   + (f"它有 {n} 个驻在、服务或居住于此的主体,可在成员视图中查看它们与社区的关系。"
                      if n else "它也还没有驻在、服务或居住于此的主体。"),
                   f"'{name}' has no project yet: the linkage map joins actors that share a "
                   "project, so there is nothing to link. "
                   + (f"It has {n} members (based in, serving or living there); the members "
                      "view shows how they are tied to the community." if n else
                      "It has no member (based in, serving or living there) either.")))
        if n:
            st.button(tr("显示成员视图", "Show the members view"), key="net_show_members",
                      on_click=st.session_state.update, kwargs={"net_idle": True})
    else:
        st.info(tr("该范围内没有可绘制的节点。", "Nothing to draw in this scope."))
    st.stop()

years = sorted({int(a["year"]) for _, a in G.nodes(data=True) if a.get("year") is not None})
with st.expander(tr("筛选与样式", "Filters and style"), expanded=False):
    c1, c2, c3 = st.columns(3)
    mode_names = {"linkage": tr("联动图", "Linkage"), "raw": tr("原始图", "Raw")}
    mode = c1.radio(tr("图类型", "Graph"), list(mode_names), key="net_mode", horizontal=True,
                    format_func=mode_names.__getitem__, disabled=scope == "links")
    element_names = {e: tr(*ELEMENTS[e]) for e in ELEMENT_ORDER}
    elements = c1.multiselect(tr("要素", "Elements"), list(ELEMENT_ORDER), key="net_elements",
                              format_func=element_names.__getitem__)
    categories = c2.multiselect(tr("组织类别", "Organization category"), list(CATEGORIES),
                                key="net_categories")
    scenarios = c2.multiselect(tr("项目场景", "Project scenario"), list(SCENARIOS),
                               key="net_scenarios")
    year_range = c3.select_slider(tr("项目年度", "Project year"), years,
                                  value=(years[0], years[-1]), key="net_years") \
        if len(years) > 1 else None
    fm_names = {"hide": tr("隐藏", "Hide"),
                "highlight": tr("淡化(高亮符合者)", "Dim (highlight matches)")}
    filter_mode = c3.radio(tr("不符合筛选的节点", "Nodes failing the filters"), list(fm_names),
                           key="net_filter_mode", horizontal=True,
                           format_func=fm_names.__getitem__)
    size_names = {"degree": tr("连接数", "Degree"),
                  "weighted_degree": tr("加权连接数", "Weighted degree"),
                  "betweenness": tr("中介中心性(桥梁作用)", "Betweenness (brokerage)")}
    size_by = c1.selectbox(tr("节点大小", "Node size"), list(size_names), key="net_size",
                           format_func=size_names.__getitem__)
    cap = c2.slider(tr("最多绘制节点数", "Node cap"), 50, 10000, netmap.DEFAULT_CAP, step=50,
                    key="net_cap", help=tr(
                        "超过上限时先把志愿者按队伍合并,再把连接最少的节点折叠为「+N」节点。",
                        "Above the cap volunteers are first merged into their teams, then the "
                        "least-connected nodes are folded into '+N' nodes."))
    names = {n: netmap.display_name(n, a) for n, a in G.nodes(data=True)}
    none_name = tr("(不聚焦)", "(none)")
    focus = c3.selectbox(tr("聚焦节点", "Focus on"), [None, *sorted(names, key=names.get)],
                         key="net_focus",
                         format_func=lambda n: none_name if n is None else names.get(n, n))
    hops = c3.slider(tr("展开跳数", "Expand by hops"), 1, 3, 1, key="net_hops",
                     disabled=focus is None)

opts = netmap.MapOptions(
    mode="raw" if scope == "links" else mode, elements=frozenset(elements),
    categories=frozenset(categories), scenarios=frozenset(scenarios),
    years=tuple(year_range) if year_range and tuple(year_range) != (years[0], years[-1])
    else None, filter_mode=filter_mode, focus=focus, hops=hops, cap=cap, size_by=size_by)
try:
    view = netmap.build_map(G, opts)
except FocusNotFound as e:
    st.warning(e.message(lang()))
    view = netmap.build_map(G, netmap.MapOptions(**{**opts.__dict__, "focus": None}))
for note in view.notes:
    st.warning(note.message(lang()))
H = view.graph
st.markdown(" ".join(
    f"<span style='color:{netmap.ELEMENT_COLOURS[k]}'>●</span> {tr(*netmap.KIND_NAMES[k])}"
    for k in (*ELEMENT_ORDER, "project", "need", "region", "more")
    if k in ELEMENT_ORDER or any(a.get("element") == k for _, a in H.nodes(data=True))),
    unsafe_allow_html=True)
st.caption(tr(f"绘制 {H.number_of_nodes()} 个节点、{H.number_of_edges()} 条连线",
              f"Drawing {H.number_of_nodes()} nodes and {H.number_of_edges()} links"))
html = netmap.to_pyvis_html(H, lang=lang(), notes=view.notes, height="680px")
st.iframe(html, height=720)

left, right = st.columns([2, 1])
with left:
    shown = {n: netmap.display_name(n, a) for n, a in H.nodes(data=True)}
    pick = st.selectbox(tr("节点详情(在图中点击可高亮邻居)",
                           "Node details (click a node in the map to highlight its neighbours)"),
                        sorted(shown, key=shown.get), key="net_details",
                        format_func=shown.__getitem__)
    if pick is not None:
        st.dataframe(netmap.node_table(H, pick, lang()), hide_index=True)
with right:
    stem = f"wushe-{scope}-{target}"
    st.download_button(tr("下载 HTML", "Download HTML"), html.encode("utf-8"),
                       file_name=f"{stem}.html", mime="text/html", key="net_dl_html")
    st.download_button(tr("下载 GEXF(Gephi)", "Download GEXF (Gephi)"), export.to_gexf(H),
                       file_name=f"{stem}.gexf", mime="application/xml", key="net_dl_gexf")
    st.download_button(tr("下载 GraphML", "Download GraphML"), export.to_graphml(H),
                       file_name=f"{stem}.graphml", mime="application/xml",
                       key="net_dl_graphml")
