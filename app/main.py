"""wushe — the Streamlit app (``streamlit run app.py``).

The router: page config, language switch, region selection, navigation. On first run with
an empty store it loads the sample data (``$WUSHE_SAMPLE`` or ``sample_data/``), so the
README's one command opens a working app.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from wushe.app.views import _auth, _data
from wushe.app.views._i18n import LANGS, tr
from wushe.app.views._progress import target_set_picker
from wushe.app.views._widgets import (
    GOTO_KEY,
    as_of_picker,
    init_state,
    region_picker,
    region_search,
    show_error,
    sync_url,
)
from wushe.graph.errors import WusheError

st.set_page_config(page_title="五社联动 wushe", page_icon=":material/hub:", layout="wide")
init_state()

with st.sidebar:
    st.radio("语言 / Language", list(LANGS), key="lang", format_func=LANGS.__getitem__,
             horizontal=True)

if not _auth.login_required():
    st.stop()

try:
    loaded = _data.autoload_sample()
except WusheError as e:
    show_error(e)
    loaded = None
if loaded is not None:
    st.toast(tr(f"已载入示例数据:{loaded.nodes} 个节点、{loaded.rels} 条关系",
                f"Sample data loaded: {loaded.nodes} nodes, {loaded.rels} relationships"))

VIEWS = Path(__file__).resolve().parent / "views"
PAGES = {
    "overview": st.Page(VIEWS / "overview.py", title=tr("总览与目标", "Overview & targets"),
                        icon=":material/flag:", default=True),
    "network": st.Page(VIEWS / "network.py", title=tr("网络图", "Network map"),
                       icon=":material/hub:"),
    "gaps": st.Page(VIEWS / "gaps.py", title=tr("短板与匹配", "Gaps & matches"),
                    icon=":material/troubleshoot:"),
    "modes": st.Page(VIEWS / "modes.py", title=tr("联动模式", "Linkage modes"),
                     icon=":material/alt_route:"),
    "index": st.Page(VIEWS / "index.py", title=tr("联动指数", "Linkage index"),
                     icon=":material/leaderboard:"),
    "console": st.Page(VIEWS / "console.py", title=tr("Cypher 控制台", "Cypher console"),
                       icon=":material/terminal:"),
    "compare": st.Page(VIEWS / "compare.py", title=tr("版本比较", "Compare versions"),
                       icon=":material/compare_arrows:"),
    "data": st.Page(VIEWS / "data.py", title=tr("数据导入与质量", "Data & quality"),
                    icon=":material/upload_file:"),
}
page = st.navigation(list(PAGES.values()))

with st.sidebar:
    st.subheader(tr("区域", "Region"))
    try:
        region_search()
        region_picker()
    except WusheError as e:
        show_error(e)
    as_of_picker()
    sync_url()
    target_set_picker()
    st.caption(tr(f"存储:{_data.backend().engine}", f"Store: {_data.backend().engine}"))

if _data.sample_loaded():
    # every page says so, with the way to one's own data one click away
    c1, c2 = st.columns([5, 1], vertical_alignment="center")
    c1.warning(tr("**示例数据**:当前显示的是随软件提供的虚构示例数据,不是真实统计;"
                  "省级总量目标已按示例覆盖的比例折算。",
                  "**Sample data**: the figures are the invented sample shipped with the app, "
                  "not real statistics; province totals are "
                  "pro-rated to the part of the province it covers."), icon=":material/science:")
    c2.page_link(PAGES["data"], label=tr("导入自己的数据", "Import your own data"),
                 icon=":material/upload_file:")

if (target := st.session_state.pop(GOTO_KEY, None)) in PAGES:
    st.switch_page(PAGES[target])
page.run()
