"""Widgets and helpers shared by the pages: region picker, region state, downloads, errors.

Region selection lives in session state under the keys of :data:`pages._data.LEVELS`
(``city``, ``county``, ``township``, ``community``; each an id, "" for all) and is mirrored in
the URL, so ``?lang=en&county=330102`` opens that county in English. Pages change it only
through callbacks (:func:`select_region`, :func:`open_community`), because Streamlit forbids
setting a widget's key after the widget has been drawn in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from wushe.app.export import frames_to_xlsx as xlsx_bytes
from wushe.app.textsafe import md_escape
from wushe.app.views import _data
from wushe.app.views._i18n import LANGS, lang, tr
from wushe.graph.analytics.figures import figure
from wushe.graph.analytics.regions import LEVEL_NAMES
from wushe.graph.errors import WusheError
from wushe.graph.schema import ELEMENTS, SCHEMA

__all__ = [
    "GOTO_KEY",
    "LEVEL_NAMES",
    "as_of_label",
    "as_of_picker",
    "current_region",
    "download_csv",
    "download_xlsx",
    "element_name",
    "figure",
    "init_state",
    "told_apart",
    "kind_name",
    "level_name",
    "open_community",
    "region_label",
    "region_picker",
    "region_search",
    "require_communities",
    "select_region",
    "show_error",
    "sync_url",
    "xlsx_bytes",
]

#: Session key naming the page app.py should switch to on the next run.
GOTO_KEY = "_goto"


def told_apart(names: Mapping[str, str]) -> dict[str, str]:
    """Community id → name, with the places above added where a name repeats in the list.

    Two 新村社区 of one county read 新村社区(北山街道 · 西湖区) and 新村社区(西溪街道 · 西湖区),
    so a picker never offers two identical entries.
    """
    counts = pd.Series(list(names.values())).value_counts()
    twice = {n for n, c in counts.items() if c > 1}
    if not twice:
        return dict(names)
    found = _data.region_search()
    above = dict(zip(found["id"], found["parents"], strict=True))
    return {i: f"{n}({above[i]})" if n in twice and above.get(i) else n
            for i, n in names.items()}


def level_name(level: str) -> str:
    """Display name of a region level."""
    return tr(*LEVEL_NAMES[level])


def element_name(element: str) -> str:
    """Display name of one of the five elements (other values pass through)."""
    return tr(*ELEMENTS[element]) if element in ELEMENTS else element


def kind_name(name: str) -> str:
    """Display name of a node label or relationship type (``"Township"`` → 乡镇/街道).

    A text that starts with one (``"Volunteer 5,000/20,000"``) has that word translated;
    anything else passes through.
    """
    head, sep, rest = str(name).partition(" ")
    if head in SCHEMA.node_names:
        item = SCHEMA.node(head)
    elif head in SCHEMA.rel_names:
        item = SCHEMA.rel(head)
    else:
        return name
    return tr(item.zh, item.en) + sep + rest


def init_state() -> None:
    """Define the shared session keys once, from the URL when it names them."""
    qp = st.query_params
    st.session_state.setdefault("lang", qp.get("lang") if qp.get("lang") in LANGS else "zh")
    for level in _data.LEVELS:
        st.session_state.setdefault(level, qp.get(level) or None)
    if "as_of" not in st.session_state:
        try:
            st.session_state["as_of"] = dt.date.fromisoformat(qp.get("as_of") or "")
        except ValueError:  # absent or not a date: the policy's end
            st.session_state["as_of"] = _data.as_of()


def sync_url() -> None:
    """Mirror language, as-of date and region selection in the URL so the view can be
    shared."""
    st.query_params["lang"] = lang()
    st.query_params["as_of"] = _data.as_of().isoformat()
    for level in _data.LEVELS:
        value = st.session_state.get(level)
        if value:
            st.query_params[level] = value
        elif level in st.query_params:
            del st.query_params[level]


def _search_pick() -> None:
    """Callback of the region search: select the picked region and clear the box."""
    picked = st.session_state.get("region_search")
    if picked:
        level, _, region_id = picked.partition(":")
        select_region(level, region_id)
    st.session_state["region_search"] = None


def region_search() -> None:
    """One search box over every region and community by name, each shown with the
    regions above it (so two 翠苑街道 in different places read differently)."""
    df = _data.region_search()
    labels = {f"{r.level}:{r.id}": f"{r.name}({level_name(r.level)}"
              + (f" · {r.parents}" if r.parents else "") + ")"
              for r in df.itertuples(index=False)}
    st.selectbox(tr("按名称查找区域或社区", "Find a region or community by name"),
                 list(labels), index=None, key="region_search", on_change=_search_pick,
                 format_func=labels.__getitem__,
                 placeholder=tr("输入名称,如 翠苑", "Type a name"))


def region_picker() -> None:
    """City → county → township → community select boxes (a level shows once its parent is
    chosen); a choice that no longer fits its parent is cleared."""
    parent = ""
    for i, level in enumerate(_data.LEVELS):
        if i > 0 and not parent:
            st.session_state[level] = ""
            continue
        # "" stands for "all" (a None option would show as an empty choice). Labels are
        # computed now: a format_func may be called outside this run (AppTest).
        kids = _data.children(level, parent)
        # two regions of one name under one parent (older data) stay distinguishable
        twice = {n for n in (name for _, name in kids) if sum(m == n for _, m in kids) > 1}
        names = {"": tr("全部", "All"),
                 **{i: f"{n}({i})" if n in twice else n for i, n in kids}}
        if st.session_state.get(level) not in names:
            st.session_state[level] = ""
        st.selectbox(level_name(level), list(names), key=level, format_func=names.__getitem__)
        parent = st.session_state[level]


def current_region() -> tuple[str, str | None]:
    """The deepest selected ``(level, id)``; ``("province", None)`` when nothing is chosen."""
    for level in reversed(_data.LEVELS):
        if st.session_state.get(level):
            return level, st.session_state[level]
    return "province", None


def region_label(level: str, region_id: str | None, *, md: bool = False) -> str:
    """``"县(市、区) 上城区"``-style label of a region.

    With ``md`` the name (from the imported files) is escaped for Markdown, so it shows
    as written.
    """
    if region_id is None:
        return level_name("province")
    name = _data.region_name(level, region_id)
    return f"{level_name(level)} {md_escape(name) if md else name}"


def select_region(level: str, region_id: str | None, goto: str | None = None) -> None:
    """Callback: select a region (and the regions above it), optionally switch page."""
    path = _data.region_path(level, region_id) if region_id else {}
    for lv in _data.LEVELS:
        st.session_state[lv] = path.get(lv)
    if goto:
        st.session_state[GOTO_KEY] = goto


def open_community(community_id: str, goto: str | None = None) -> None:
    """Callback: select one community, optionally switching to page ``goto``."""
    select_region("community", community_id, goto)


def require_communities() -> None:
    """Stop the page with a hint when the graph holds no community yet."""
    if not _data.communities_in(None, None):
        st.info(tr("图中还没有社区数据。请在「数据导入与质量」页导入数据。",
                   "The graph holds no community yet. Import data on the Data page."))
        st.stop()


def region_page(title: str, caption: str = "") -> tuple[str, str | None]:
    """Title, caption naming the selected region, and a stop when there is no data yet.

    Returns the selected ``(level, region_id)`` (see :func:`current_region`).
    """
    level, region_id = current_region()
    st.title(title)
    st.caption(" · ".join(filter(None, (caption, region_label(level, region_id, md=True)))))
    st.caption(as_of_label())
    require_communities()
    return level, region_id


def as_of_label() -> str:
    """"目标基准日 2025-12-31": the date the targets are judged at, named on every page."""
    d = _data.as_of().isoformat()
    return tr(f"目标基准日 {d}(评估等级按此日是否有效计)",
              f"Targets as of {d} (ratings count if still valid on that date)")


def as_of_picker() -> None:
    """The sidebar's as-of date: targets are judged, and ratings must be valid, on it."""
    st.date_input(tr("目标基准日", "Targets as of"), key="as_of",
                  help=tr("默认为政策期末 2025-12-31;评估等级在此日前到期的不计入4A级及以上。",
                          "Default: the policy's end, 2025-12-31; ratings expiring before "
                          "it do not count as 4A+."))


def show_error(e: WusheError) -> None:
    """Show a library error in the current language, without a traceback."""
    st.error(e.message(lang()))


def download_xlsx(label: str, frames: Mapping[str, pd.DataFrame], file_name: str,
                  key: str) -> None:
    """A download button for :func:`xlsx_bytes`."""
    st.download_button(label, xlsx_bytes(frames), file_name=file_name, key=key,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def download_csv(label: str, df: pd.DataFrame, file_name: str, key: str) -> None:
    """A CSV download button (UTF-8 with BOM so Excel opens Chinese text correctly)."""
    from wushe.app.export import frame_to_csv

    # ISO dates, true/false, JSON lists and maps: the same CSV as 'wushe query --format csv'
    st.download_button(label, frame_to_csv(df).encode("utf-8-sig"), file_name=file_name,
                       key=key, mime="text/csv")
