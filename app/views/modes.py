"""Linkage modes: distribution of the five modes by region, score vectors, two-region compare."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from wushe.app.textsafe import plot_text
from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import (
    element_name,
    level_name,
    region_page,
    told_apart,
)
from wushe.graph.analytics.regions import child_level
from wushe.graph.schema import ELEMENT_ORDER, REGION_LEVELS

level, region_id = region_page(
    tr("联动模式", "Linkage modes"),
    tr("按各要素发起、牵头、出资的份额判定每个社区的联动模式;领先不明显时为混合型。",
              "Each community's mode comes from the shares of its projects each element "
              "initiates, leads and funds; mixed when no element clearly leads."))

m = _data.modes(level, region_id)
mode_col = "mode_zh" if lang() == "zh" else "mode_en"
reason_col = "reason_zh" if lang() == "zh" else "reason_en"
score_cols = [f"score_{e}" for e in ELEMENT_ORDER]
score_names = {f"score_{e}": f"{tr('得分', 'Score')}·{element_name(e)}" for e in ELEMENT_ORDER}
COLORS = {"community_led": "#c0392b", "organization_carrier": "#2980b9",
          "worker_driven": "#8e44ad", "volunteer_assisted": "#27ae60",
          "charity_leveraged": "#f39c12", "mixed": "#7f8c8d", "none": "#d5d8dc"}
cmap = {name: COLORS[key] for key, name in zip(m["mode"], m[mode_col], strict=True)}
group = child_level(level) if level != "community" else "community"
group = group or "community"

st.subheader(tr(f"各{level_name(group)}的模式分布", f"Modes by {level_name(group).lower()}"))
dist = m.groupby([group, mode_col]).size().reset_index(name="n")
dist[group] = dist[group].map(plot_text)  # region names: plotly reads a few tags
fig = px.bar(dist, x=group, y="n", color=mode_col, barmode="stack", color_discrete_map=cmap,
             labels={group: level_name(group), "n": tr("社区数", "Communities"),
                     mode_col: tr("模式", "Mode")},
             title=tr("联动模式分布", "Distribution of linkage modes"))
st.plotly_chart(fig, key="modes_dist")
totals = m[mode_col].value_counts()
st.markdown(" · ".join(f"{k} **{v}**" for k, v in totals.items()))

st.subheader(tr("社区得分向量与判定理由", "Score vector and reason per community"))
table = m[["community", mode_col, *score_cols, reason_col]].rename(
    columns={"community": level_name("community"), mode_col: tr("模式", "Mode"),
             reason_col: tr("理由", "Reason"), **score_names})
st.dataframe(table, hide_index=True, key="modes_table",
             column_config={n: st.column_config.ProgressColumn(format="%.2f", min_value=0.0,
                                                              max_value=1.0)
                            for n in score_names.values()})
names = told_apart(dict(zip(m["community_id"], m["community"], strict=True)))
default = st.session_state.get("community")
pick = st.selectbox(tr("查看社区", "Community"), list(names), key="modes_community",
                    index=list(names).index(default) if default in names else 0,
                    format_func=names.get)
if pick:
    row = m[m["community_id"] == pick].iloc[0]
    vec = pd.DataFrame({"element": [element_name(e) for e in ELEMENT_ORDER],
                        "score": [row[c] for c in score_cols]})
    st.plotly_chart(px.bar(vec, x="element", y="score", range_y=[0, 1],
                           labels={"element": tr("要素", "Element"),
                                   "score": tr("得分", "Score")},
                           title=plot_text(f"{row['community']}:{row[mode_col]}")),
                    key="modes_vector")
    st.info(row[reason_col])

st.subheader(tr("两地比较", "Compare two regions"))
cmp_levels = {lv: level_name(lv) for lv in REGION_LEVELS[1:-1]}
cmp_level = st.selectbox(tr("比较层级", "Level"), list(cmp_levels), key="modes_cmp_level",
                         index=1, format_func=cmp_levels.__getitem__)
regions = dict(_data.children(cmp_level))
cols = st.columns(2)
for i, col in enumerate(cols):
    with col:
        rid = st.selectbox(tr(f"区域{'一二'[i]}", f"Region {'AB'[i]}"), list(regions),
                           key=f"modes_cmp_{i}", index=min(i, len(regions) - 1),
                           format_func=regions.get)
        if rid is None:
            continue
        part = _data.modes(cmp_level, rid)
        counts = part[mode_col].value_counts().reset_index()
        counts.columns = ["mode", "n"]
        st.plotly_chart(px.pie(counts, names="mode", values="n", title=plot_text(regions[rid]),
                               color="mode", color_discrete_map=cmap),
                        key=f"modes_cmp_pie_{i}")
        means = part[score_cols].mean().rename(index=score_names)
        st.dataframe(means.rename(tr("平均得分", "Mean score")).round(3), key=f"modes_cmp_t_{i}")
        st.caption(tr(f"{len(part)} 个社区", f"{len(part)} communities"))
