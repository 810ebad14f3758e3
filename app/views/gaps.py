"""Gaps & matches: ranked under-connected communities, every reason, recommended resources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wushe.app.gaps_export import gap_sheets
from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import (
    download_xlsx,
    element_name,
    open_community,
    region_page,
)
from wushe.graph.analytics.gaps import GAP_KINDS, SEVERITY

level, region_id = region_page(
    tr("短板与精准对接", "Gaps & matches"),
    tr("按短板严重程度(高=3、中=2、低=1 之和)排序的社区;选中一行查看推荐对接资源。",
              "Communities ranked by total gap severity (high 3, medium 2, low 1); select a "
              "row to see the resources recommended for it."))

kind_names = {k: tr(*v) for k, v in GAP_KINDS.items()}
kinds = st.multiselect(tr("短板类型", "Gap kinds"), list(GAP_KINDS), key="gaps_kinds",
                       format_func=kind_names.__getitem__,
                       placeholder=tr("全部类型", "All kinds"))
ranking = _data.gap_ranking(level, region_id, kinds, lang())
reason_col = "reason_zh" if lang() == "zh" else "reason_en"
c1, c2, c3 = st.columns(3)
c1.metric(tr("有短板的社区", "Communities with gaps"), len(ranking))
c2.metric(tr("高严重度短板", "High-severity gaps"), int(ranking["high"].sum()))
c3.metric(tr("短板总数", "Gaps"), int(ranking["gaps"].sum()))

COLS = {"community": ("社区", "Community"), "township": ("乡镇(街道)", "Township"),
        "severity": ("严重度合计", "Severity"), "high": ("高", "High"),
        "gaps": ("短板数", "Gaps"), "reasons": ("全部原因", "Every reason")}
shown = ranking[list(COLS)].rename(columns={k: tr(*v) for k, v in COLS.items()})
event = st.dataframe(shown, hide_index=True, key="gaps_table", on_select="rerun",
                     selection_mode="single-row")
rows = event.selection.rows if event is not None else []
picked = ranking.iloc[rows[0]] if rows and rows[0] < len(ranking) else None

if picked is None:
    st.info(tr("在表格中选中一个社区,查看它的短板和推荐对接资源。",
               "Select a community in the table to see its gaps and recommended resources."))
else:
    cid = picked["community_id"]
    st.subheader(picked["community"])
    details = _data.gap_details("community", cid, kinds)
    st.dataframe(pd.DataFrame({
        tr("类型", "Kind"): details["kind"].map(lambda k: tr(*GAP_KINDS[k])),
        tr("严重度", "Severity"): details["severity"].map(lambda s: tr(*SEVERITY[s])),
        tr("原因", "Reason"): details[reason_col]}), hide_index=True, key="gaps_details")
    st.markdown("**" + tr("推荐对接资源", "Recommended resources") + "**")
    m = _data.gap_matches([cid])
    if kinds:
        m = m[m["gap_kind"].isin(kinds)]
    if m.empty:
        st.write(tr("附近没有合适的资源。", "No suitable resource nearby."))
    else:
        st.dataframe(pd.DataFrame({
            tr("短板", "Gap"): [f"{kind_names[k]}·{element_name(i)}" for k, i in
                                zip(m["gap_kind"], m["gap_item"], strict=True)],
            tr("名次", "Rank"): m["rank"], tr("资源", "Resource"): m["resource_name"],
            tr("类别", "Category"): m["category"],
            tr("匹配度", "Fit"): m["fit"].map("{:.0%}".format),
            tr("理由", "Reason"): m[reason_col]}), hide_index=True, key="gaps_matches")
    st.button(tr("在网络图中查看该社区", "Show this community on the network map"),
              key="gaps_to_network", on_click=open_community, args=(cid, "network"))

all_details = _data.gap_details(level, region_id, kinds)
download_xlsx(tr("下载短板与对接清单 (XLSX)", "Download gaps and matches (XLSX)"),
              gap_sheets(shown, all_details, _data.gap_matches(ranking["community_id"].tolist()),
                         lang()), file_name="wushe-gaps.xlsx", key="gaps_download")
