"""Compare two versions: what changed between two data dates at the selected region."""

from __future__ import annotations

import streamlit as st

from wushe.app.diff_export import SECTIONS, diff_markdown, diff_sheets, diff_tables
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
tables = diff_tables(d, lang())

s = d.summary().set_index("what")["value"]
m = st.columns(5)
m[0].metric(tr("新达标", "Newly met"), s["targets_newly_met"])
m[1].metric(tr("新未达标", "Newly missed"), s["targets_newly_missed"])
m[2].metric(tr("模式变化", "Modes changed"), s["modes_changed"])
m[3].metric(tr("新出现短板", "Gaps opened"), s["gaps_opened"])
m[4].metric(tr("已补齐短板", "Gaps closed"), s["gaps_closed"])


def _section(name: str, where=st) -> None:
    """One table of the comparison under its heading."""
    where.subheader(tr(*SECTIONS[name]))
    where.dataframe(tables[name], hide_index=True, key=f"cmp_{name}")


_section("targets")
_section("modes")
g1, g2 = st.columns(2)
_section("gaps_opened", g1)
_section("gaps_closed", g2)
_section("index")
_section("entities")
with st.expander(tr(*SECTIONS["entity_items"])):
    st.dataframe(tables["entity_items"], hide_index=True, key="cmp_entity_items")

download_xlsx(tr("下载比较结果 (XLSX)", "Download the comparison (XLSX)"),
              diff_sheets(d, lang()), f"wushe-diff-{a}-{b}.xlsx", key="cmp_xlsx")
st.download_button(tr("下载比较结果 (Markdown)", "Download the comparison (Markdown)"),
                   diff_markdown(d, lang()).encode("utf-8"), file_name=f"wushe-diff-{a}-{b}.md",
                   mime="text/markdown", key="cmp_md")
