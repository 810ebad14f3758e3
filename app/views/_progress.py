"""The sidebar's target-set picker and the overview's progress-over-time section."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr

__all__ = ["progress_section", "target_set_picker"]

_STATUS = {"met": ("已达标", "met"), "on_track": ("按当前进度可按期达标", "on track"),
           "late": ("按当前进度将逾期", "late at this pace"),
           "no_progress": ("无进展或倒退", "no progress"),
           "one_point": ("仅一个数据日期", "one data date only")}


def target_set_picker() -> None:
    """Choose the target set every page judges by (shown only when a set besides the
    policy's exists)."""
    sets = _data.target_sets()
    if len(sets) > 1:
        st.selectbox(tr("目标体系", "Target set"), sets, key=_data.TARGET_SET_KEY)


def progress_section(level: str, region_id: str | None) -> None:
    """Each target across the kept versions by data date, its target line and when it
    will be met at the recent pace."""
    history, proj = _data.progress(level, region_id)
    st.subheader(tr("目标进展(按数据日期)", "Progress over time (by data date)"))
    dates = history["data_date"].nunique() if len(history) else 0
    if dates < 2:
        st.info(tr("至少需要两个带数据日期且保存了分析结果的版本(导入时填写数据日期)。",
                   "Needs at least two versions with a data date and a kept analysis "
                   "(give the data date when loading)."))
        if history.empty:
            return
    name_col = "zh" if lang() == "zh" else "en"
    keys = list(dict.fromkeys(history["target"]))
    cols = 2
    rows = (len(keys) + cols - 1) // cols
    names = dict(zip(history["target"], history[name_col], strict=False))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[names[k] for k in keys])
    for i, key in enumerate(keys):
        h = history[history["target"] == key].sort_values("data_date")
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(go.Scatter(x=h["data_date"], y=h["value"], mode="lines+markers",
                                 name=tr("现值", "Value"), line={"color": "#2c7fb8"},
                                 showlegend=i == 0), row=r, col=c)
        fig.add_trace(go.Scatter(x=h["data_date"], y=h["target_value"], mode="lines",
                                 name=tr("目标线", "Target line"),
                                 line={"color": "#c0392b", "dash": "dash"},
                                 showlegend=i == 0), row=r, col=c)
    fig.update_layout(height=260 * rows, margin={"t": 40})
    st.plotly_chart(fig, key="ov_progress_chart")
    st.dataframe(pd.DataFrame({
        tr("指标", "Target"): proj[name_col],
        tr("最新数据日期", "Latest data date"): proj["data_date"],
        tr("现值", "Value"): proj["value"].round(3),
        tr("目标值", "Target value"): proj["target_value"].round(3),
        tr("年进度", "Pace per year"): proj["pace_per_year"].astype(float).round(3),
        tr("预计达标日期", "Projected attainment"): proj["projected"],
        tr("期限", "Due"): proj["due"],
        tr("判断", "Outlook"): proj["status"].map(lambda s: tr(*_STATUS[s])),
    }), hide_index=True, key="ov_progress_table")
