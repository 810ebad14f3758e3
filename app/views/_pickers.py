"""Parameters of a named query as the reader gives them: regions, communities and
organizations picked by name (with the places above them, searchable), never typed ids.

Only app/views imports Streamlit; the titles come from ``queries/titles.csv``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from wushe.app.views import _data
from wushe.app.views._i18n import lang, tr
from wushe.app.views._widgets import level_name
from wushe.queries.registry import QueryParam
from wushe.queries.titles import title

__all__ = ["PICKED", "param_input", "param_label"]

#: parameters that name one region of a level (the sidebar's choice is the default)
_LEVEL_OF = {"city_id": "city", "county_id": "county", "township_id": "township",
             "community_id": "community"}
#: parameters picked from a list of names rather than typed
PICKED = {*_LEVEL_OF, "region_id", "organization_id", "communities", "ids"}


def _shown(name: str, where: str) -> str:
    return f"{name}({where})" if where else name


def _regions(level: str | None) -> dict[str, str]:
    """id → "name(parents)" of the regions of ``level`` (of every level: level named too)."""
    df = _data.region_search()
    if level is not None:
        df = df[df["level"] == level]
        return {r.id: _shown(r.name, r.parents) for r in df.itertuples(index=False)}
    return {r.id: _shown(r.name, " · ".join(x for x in (level_name(r.level), r.parents) if x))
            for r in df.itertuples(index=False)}


#: organizations one picker lists at most (a province holds tens of thousands)
MAX_LISTED = 5000


def _organizations() -> dict[str, str]:
    """Those based in the sidebar's region (all when none is chosen, up to MAX_LISTED)."""
    level = next((lv for lv in ("community", "township", "county", "city")
                  if st.session_state.get(lv)), None)
    found = _data.organizations(level, st.session_state.get(level) if level else None)
    if len(found) > MAX_LISTED:
        st.caption(tr(f"共 {len(found)} 个社会组织,这里列出前 {MAX_LISTED} 个;"
                      "请在侧栏选择区域以缩小范围。",
                      f"{len(found)} organizations; the first {MAX_LISTED} are listed. Choose "
                      "a region in the sidebar to narrow the list."))
        found = found.head(MAX_LISTED)
    return {r.id: _shown(r.name, r.parents) for r in found.itertuples(index=False)}


def _sidebar_region() -> str | None:
    """The region chosen in the sidebar, lowest level first."""
    for level in ("community", "township", "county", "city"):
        if st.session_state.get(level):
            return str(st.session_state[level])
    return None


def param_label(p: QueryParam) -> str:
    """What the reader sees for parameter ``p`` (县(市、区) for ``county_id``)."""
    return level_name(_LEVEL_OF[p.name]) if p.name in _LEVEL_OF else title(p.name, lang())


def param_input(p: QueryParam, key: str) -> Any:
    """Draw the input of parameter ``p``; its value (None: a pick not made yet).

    Parameters
    ----------
    p : QueryParam
        The declared parameter.
    key : str
        The widget key.
    """
    label = param_label(p)
    hint = tr(f"参数 {p.name}", f"parameter {p.name}")
    if p.name in PICKED:
        if p.name in ("communities", "ids"):
            options = _regions("community") if p.name == "communities" else {
                **_regions(None), **_organizations()}
            mine = st.session_state.get("community")
            return st.multiselect(label, list(options), default=[mine] if mine in options
                                  else [], key=key, help=hint, format_func=options.__getitem__,
                                  placeholder=tr("输入名称查找", "Type a name to search"))
        if p.name == "organization_id":
            options = _organizations()
            default = None
        else:
            level = _LEVEL_OF.get(p.name)
            options = _regions(level)
            default = (st.session_state.get(level) if level else _sidebar_region())
        ids = list(options)
        return st.selectbox(label, ids, index=ids.index(default) if default in options else None,
                            key=key, help=hint, format_func=options.__getitem__,
                            placeholder=tr("输入名称查找", "Type a name to search"))
    default = p.default
    if p.type == "int":
        return st.number_input(label, value=int(default or 0), step=1, key=key, help=hint)
    if p.type == "float":
        return st.number_input(label, value=float(default or 0), key=key, help=hint)
    if p.type == "bool":
        return st.checkbox(label, value=bool(default), key=key, help=hint)
    text = ", ".join(map(str, default)) if isinstance(default, list) else (
        "" if default is None else str(default))
    return st.text_input(label, value=text, key=key, help=hint)
