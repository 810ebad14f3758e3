"""Linkage index: ranking, radar of dimension scores, weights adjustable in the page."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from wushe.app.textsafe import plot_text
from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import region_page, told_apart

level, region_id = region_page(
    tr("联动指数与活力指数", "Linkage & vitality index"),
    tr("0–100 分,由政策指标达成度计算;权重可在本页调整(各指数内自动归一)。",
              "0–100, from attainment of the policy indicators; weights are adjustable here "
              "(normalised within each index)."))

KINDS = {"linkage": tr("联动指数", "Linkage index"),
         "vitality": tr("活力指数", "Vitality index")}
kind = st.radio(tr("指数", "Index"), list(KINDS), key="idx_kind", horizontal=True,
                format_func=KINDS.__getitem__)
w = _data.index_weights()
name_col = "zh" if lang() == "zh" else "en"
dim_names = dict(zip(w["component"], w[name_col], strict=True))
part = w[w["index"] == kind]


def _reset() -> None:
    for comp, weight in zip(w["component"], w["weight"], strict=True):
        st.session_state[f"w_{comp}"] = float(weight)


with st.expander(tr("调整权重", "Adjust weights"), expanded=True):
    for comp, weight in zip(w["component"], w["weight"], strict=True):
        st.session_state.setdefault(f"w_{comp}", float(weight))
    cols = st.columns(len(part))
    for col, comp in zip(cols, part["component"], strict=True):
        col.slider(dim_names[comp], 0.0, 1.0, step=0.05, key=f"w_{comp}")
    total = sum(st.session_state[f"w_{c}"] for c in part["component"]) or 1.0
    st.caption(tr("归一后:", "Normalised: ") + ",  ".join(
        f"{dim_names[c]} {st.session_state[f'w_{c}'] / total:.0%}" for c in part["component"]))
    st.button(tr("恢复默认权重", "Reset to default weights"), on_click=_reset, key="idx_reset")

custom = {c: st.session_state[f"w_{c}"] for c in w["component"]}
changed = any(abs(custom[c] - float(x)) > 1e-9
              for c, x in zip(w["component"], w["weight"], strict=True))
ranking = _data.index_ranking(level, region_id, kind, custom if changed else None)
moved = int((ranking["change"] != 0).sum())
st.subheader(tr("排名", "Ranking"))
st.markdown(tr(f"调整权重后 **{moved}** 个社区排名变化。",
               f"**{moved}** communities change rank under these weights.") if changed
            else tr("当前为默认权重。", "Default weights."))
ranking = ranking[["rank", "community_id", "community", "township", "score", "default_rank",
                   "default_score", "change"]]
st.dataframe(ranking.rename(columns={
    "rank": tr("排名", "Rank"), "community": tr("社区", "Community"),
    "township": tr("乡镇(街道)", "Township"), "score": tr("指数", "Index"),
    "default_score": tr("默认权重指数", "Index (default weights)"),
    "default_rank": tr("默认排名", "Default rank"), "change": tr("名次变化", "Rank change")})
    .drop(columns="community_id").round(1), hide_index=True, key="idx_table")

st.subheader(tr("维度得分雷达图", "Dimension scores (radar)"))
names = told_apart(dict(zip(ranking["community_id"], ranking["community"], strict=True)))
default = st.session_state.get("community")
pick = st.selectbox(tr("社区", "Community"), list(names), key="idx_community",
                    index=list(names).index(default) if default in names else 0,
                    format_func=names.get)
if pick:
    row = _data.index_scores("community", pick, custom if changed else None).iloc[0]
    dims = list(part["component"])
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(r=[row[d] for d in dims], theta=[dim_names[d] for d in dims],
                                  fill="toself", name=plot_text(row["community"])))
    for lv in ("township", "county"):
        peers = _data.index_scores(lv, row[f"{lv}_id"])
        fig.add_trace(go.Scatterpolar(
            r=[peers[d].mean() for d in dims], theta=[dim_names[d] for d in dims],
            name=plot_text(tr(f"{row[lv]}平均", f"{row[lv]} average"))))
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}},
                      title=plot_text(tr(f"{row['community']}:{KINDS[kind]}各维度",
                               f"{row['community']}: {KINDS[kind]} dimensions")))
    st.plotly_chart(fig, key="idx_radar")
    st.metric(KINDS[kind], f"{row[f'{kind}_index']:.1f}")
