"""Compare two versions: what changed between two data dates at the selected region."""

from __future__ import annotations

import streamlit as st

from wushe.app.diff_export import SHEETS, diff_markdown
from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import download_xlsx, region_page

level, region_id = region_page(tr("版本比较", "Compare versions"),
                               tr("比较两个数据日期:指标、模式、短板、名次、实体的变化",
                                  "Two data dates side by side: targets, modes, gaps, ranks, "
                                  "entities"))
versions = _data.comparable_versions()
if len(versions) < 2:
    st.info(tr("至少需要两个保存了分析结果的版本:每次导入都会保存(见数据页的版本列表)。",
               "Needs two versions with a kept analysis: every load keeps one (see the "
               "versions on the data page)."))
    st.stop()
labels = dict(versions)
ids = list(labels)
c1, c2 = st.columns(2)
a = c1.selectbox(tr("较早版本 A", "Earlier version A"), ids, index=len(ids) - 2,
                 format_func=labels.get, key="cmp_a")
b = c2.selectbox(tr("较新版本 B", "Later version B"), ids, index=len(ids) - 1,
                 format_func=labels.get, key="cmp_b")
d = _data.compare(a, b, level, region_id)
name = "zh" if lang() == "zh" else "en"

t = d.targets
s = d.summary().set_index("what")["value"]
m = st.columns(5)
m[0].metric(tr("新达标", "Newly met"), s["targets_newly_met"])
m[1].metric(tr("新未达标", "Newly missed"), s["targets_newly_missed"])
m[2].metric(tr("模式变化", "Modes changed"), s["modes_changed"])
m[3].metric(tr("新出现短板", "Gaps opened"), s["gaps_opened"])
m[4].metric(tr("已补齐短板", "Gaps closed"), s["gaps_closed"])

ARROW = {"up": "↑", "down": "↓", "same": "=", "": ""}
STATUS = {"newly_met": ("新达标", "newly met"), "newly_missed": ("新未达标", "newly missed"),
          "met": ("达标", "met"), "not_met": ("未达标", "not met")}
st.subheader(tr("政策目标", "Targets"))
st.dataframe(t.assign(direction=t["direction"].map(ARROW),
                      status=t["status"].map(lambda x: tr(*STATUS[x])))[
    ["region", name, "value_a", "value_b", "change", "direction", "status"]].rename(columns={
        "region": tr("区域", "Region"), name: tr("指标", "Target"),
        "value_a": tr("A 值", "A"), "value_b": tr("B 值", "B"),
        "change": tr("变化", "Change"), "direction": tr("方向", "Direction"),
        "status": tr("达标变化", "Status")}), hide_index=True, key="cmp_targets")
st.subheader(tr("联动模式变化(附得分向量)", "Linkage modes changed (with score vectors)"))
st.dataframe(d.modes, hide_index=True, key="cmp_modes")
g1, g2 = st.columns(2)
g1.subheader(tr("新出现的短板", "Gaps opened"))
g1.dataframe(d.gaps_opened, hide_index=True, key="cmp_opened")
g2.subheader(tr("已补齐的短板", "Gaps closed"))
g2.dataframe(d.gaps_closed, hide_index=True, key="cmp_closed")
st.subheader(tr("联动指数名次变化", "Linkage index rank movements"))
st.dataframe(d.index, hide_index=True, key="cmp_index")
st.subheader(tr("实体增删改(按类别)", "Entities added, removed, changed per kind"))
st.dataframe(d.entities, hide_index=True, key="cmp_entities")
with st.expander(tr("增删改的实体清单", "The entities themselves")):
    st.dataframe(d.entity_items, hide_index=True, key="cmp_items")

download_xlsx(tr("下载比较结果 (XLSX)", "Download the comparison (XLSX)"),
              {SHEETS[k]: v for k, v in d.tables().items()}, f"wushe-diff-{a}-{b}.xlsx",
              key="cmp_xlsx")
st.download_button(tr("下载比较结果 (Markdown)", "Download the comparison (Markdown)"),
                   diff_markdown(d).encode("utf-8"), file_name=f"wushe-diff-{a}-{b}.md",
                   mime="text/markdown", key="cmp_md")
