"""Overview: the 2025 policy targets at the selected region (status, data coverage and
data gaps), drill-down, worst communities."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from wushe.app.textsafe import md_escape, plot_text
from wushe.app.views import _data
from wushe.app.views._briefing import briefing_download
from wushe.app.views._i18n import lang, pick, tr
from wushe.app.views._progress import progress_section
from wushe.app.views._widgets import (
    element_name,
    figure,
    level_name,
    open_community,
    region_page,
    select_region,
)
from wushe.graph.analytics.regions import child_level
from wushe.graph.analytics.targets import STATUS
from wushe.graph.schema import ELEMENT_ORDER

level, region_id = region_page(tr("总览与 2025 年目标", "Overview & 2025 targets"))
briefing_download(level, region_id, _data.region_name(level, region_id) if region_id
                  else tr("全省", "Province"))

counts = _data.element_counts(level, region_id)
for col, element in zip(st.columns(len(ELEMENT_ORDER)), ELEMENT_ORDER, strict=True):
    col.metric(element_name(element), int(counts[element]))

BINDING = {"binding": ("约束性", "binding"), "expected": ("预期性", "expected")}
name_col = "zh" if lang() == "zh" else "en"
t = _data.targets(level, region_id)
st.subheader(tr("政策目标达成情况", "Policy targets"))
table = pd.DataFrame({
    tr("指标", "Target"): t[name_col],
    tr("性质", "Kind"): t["binding"].map(lambda b: tr(*BINDING[b])),
    tr("现值", "Value"): [figure(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
    tr("目标值", "Target value"): [figure(v, u) for v, u in zip(t["target_value"], t["unit"],
                                                              strict=True)],
    tr("达成率", "Attainment"): t["attainment"],
    tr("达标情况", "Status"): t["status"].map(lambda s: tr(*STATUS[s])),
    # Unknown is not zero: each ratio says how much of the region its figure covers.
    tr("数据覆盖", "Data coverage"): t["coverage"],
    tr("数据缺口", "Data gap"): t["missing_zh"] if lang() == "zh" else t["missing_en"],
    tr("口径", "Note"): t["note"].map(pick),
})
st.dataframe(table, hide_index=True, key="ov_targets", column_config={
    tr("达成率", "Attainment"): st.column_config.ProgressColumn(
        format="percent", min_value=0.0, max_value=1.0),
    tr("数据覆盖", "Data coverage"): st.column_config.ProgressColumn(
        format="percent", min_value=0.0, max_value=1.0)})
applies = t[t["status"] != "not_applicable"]
met = int(applies["met"].sum())
bind = applies[applies["binding"] == "binding"]
unknown = int((t["status"] == "unknown").sum())
na = len(t) - len(applies)
st.markdown(tr(f"已达标 **{met}/{len(applies)}** 项;约束性指标达标 "
               f"**{int(bind['met'].sum())}/{len(bind)}** 项"
               + (f";{unknown} 项数据不足" if unknown else "")
               + (f";{na} 项不适用" if na else "") + "。",
               f"**{met}/{len(applies)}** targets met; binding targets met: "
               f"**{int(bind['met'].sum())}/{len(bind)}**"
               + (f"; {unknown} unknown (data missing)" if unknown else "")
               + (f"; {na} not applicable" if na else "") + "."))
gaps_in_data = t[t["missing"] > 0]
if not gaps_in_data.empty:
    st.warning(tr("数据缺口(空白按未知处理,不计为 0,已从比率中剔除):",
                  "Data gaps (a blank is unknown, not 0, and is left out of ratios):")
               + "\n" + "\n".join(
                   f"- {r[name_col]}:" + (r["missing_zh"] if lang() == "zh" else r["missing_en"])
                   for _, r in gaps_in_data.iterrows()))

progress_section(level, region_id)

sub = child_level(level)
if sub is not None:
    st.subheader(tr(f"下钻:各{level_name(sub)}", f"Drill down: by {level_name(sub).lower()}"))
    keys = list(dict.fromkeys(t["target"]))
    names = dict(zip(t["target"], t[name_col], strict=True))
    chosen = st.selectbox(tr("指标", "Target"), keys, key="ov_target", format_func=names.get)
    ct = _data.child_targets(level, region_id)
    ct = ct[ct["target"] == chosen]
    if ct.empty:
        st.info(tr("该指标不适用于下一级。", "This target does not apply one level down."))
    else:
        shown = ct.assign(region=ct["region"].map(plot_text))  # plotly reads a few tags
        fig = px.bar(shown.sort_values("attainment"), x="region", y="attainment",
                     color="met", color_discrete_map={True: "#27ae60", False: "#c0392b"},
                     labels={"region": level_name(sub), "attainment": tr("达成率", "Attainment"),
                             "met": tr("达标", "Met")},
                     title=tr(f"{names[chosen]}:各{level_name(sub)}达成率",
                              f"{names[chosen]}: attainment by {level_name(sub).lower()}"))
        fig.add_hline(y=1.0, line_dash="dash")
        fig.update_yaxes(tickformat=".0%")
        st.plotly_chart(fig, key="ov_drill_chart")

    def _drill() -> None:
        if st.session_state.get("ov_drill"):
            select_region(sub, st.session_state["ov_drill"])
        st.session_state["ov_drill"] = ""

    kids = {"": "—", **dict(_data.children(sub, region_id if level != "province" else None))}
    st.selectbox(tr(f"进入某个{level_name(sub)}", f"Open a {level_name(sub).lower()}"),
                 list(kids), key="ov_drill", on_change=_drill, format_func=kids.__getitem__)

if level != "community":
    st.subheader(tr("最需关注的社区", "Communities furthest from the targets"))
    worst = _data.worst_communities(level, region_id)
    for row in worst.itertuples(index=False):
        c1, c2 = st.columns([4, 1])
        name = md_escape(row.region)  # from the imported files: shown as written
        c1.markdown(tr(f"**{name}** — 达标 {row.met}/{row.targets},平均达成率 "
                       f"{row.attainment:.0%}",
                       f"**{name}** — {row.met}/{row.targets} met, mean attainment "
                       f"{row.attainment:.0%}"))
        c2.button(tr("查看", "Open"), key=f"ov_worst_{row.region_id}", on_click=open_community,
                  args=(row.region_id,))
