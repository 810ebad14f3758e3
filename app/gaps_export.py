"""The gaps-and-matches workbook in the reader's language: every sheet, header and value.

The analysis keeps codes (``missing_element``, ``charity``, ``same_township``); an official
reads 要素缺失, 社会慈善资源, 同乡镇(街道). This module turns the gap and match tables into
the sheets the gaps page exports.
"""

from __future__ import annotations

import pandas as pd

from wushe.graph.analytics.config import target_specs
from wushe.graph.analytics.gaps import GAP_KINDS, SEVERITY
from wushe.graph.schema import ELEMENTS, SCHEMA

__all__ = ["actor_names", "gap_item_name", "gap_items", "gap_sheets", "PROXIMITY"]

_ITEMS: dict[str, tuple[str, str]] = {
    "no_projects": ("没有项目", "no projects"),
    "element_density": ("要素联动密度", "element linkage density"),
    "organization": ("社会组织", "social organization"),
}
PROXIMITY = {"same_township": ("同乡镇(街道)", "same township"),
              "same_county": ("同县(市、区)", "same county")}


def gap_item_name(item: str, lang: str = "zh") -> str:
    """What a gap is about, by name: an element, a policy target or another item.

    Examples
    --------
    >>> gap_item_name("charity"), gap_item_name("no_projects", "en"), gap_item_name("W4")
    ('社会慈善资源', 'no projects', 'W4')
    >>> gap_item_name("complex_star")
    '服务综合体星级'

    """
    k = 0 if lang == "zh" else 1
    if item in ELEMENTS:
        return ELEMENTS[item][k]
    if item in _ITEMS:
        return _ITEMS[item][k]
    specs = {s.key: (s.zh, s.en) for s in target_specs()}
    if item in specs:
        return specs[item][k]
    props = {p.name: (p.zh, p.en) for n in SCHEMA.nodes for p in n.props}
    return props[item][k] if item in props else str(item)  # a field left blank


def gap_items(gaps: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """What each gap row is about, by name: the actor's name where the row names one (a
    single broker's ``item_name``), else :func:`gap_item_name` of its ``item``."""
    names = gaps["item_name"] if "item_name" in gaps else pd.Series(None, index=gaps.index)
    return pd.Series([n if isinstance(n, str) and n else gap_item_name(i, lang)
                      for i, n in zip(gaps["item"], names, strict=True)], index=gaps.index,
                     dtype=object)


def actor_names(gaps: pd.DataFrame) -> dict[str, str]:
    """Id → name of the actors gap rows name (single brokers), for tables keyed by id."""
    if "item_name" not in gaps:
        return {}
    named = gaps[gaps["item_name"].map(lambda n: isinstance(n, str) and bool(n))]
    return dict(zip(named["item"], named["item_name"], strict=True))


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def gap_sheets(ranking: pd.DataFrame, details: pd.DataFrame, matches: pd.DataFrame,
               lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The three sheets of the gaps workbook, named and filled in ``lang``.

    Parameters
    ----------
    ranking : pandas.DataFrame
        The ranking as the page shows it (headers already in ``lang``).
    details : pandas.DataFrame
        Gap rows of ``graph.analytics.gaps.gaps`` joined with the region tree.
    matches : pandas.DataFrame
        Rows of ``graph.analytics.matches.matches``.
    lang : {"zh", "en"}

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name → table.
    """
    zh = lang == "zh"
    names = dict(zip(details.get("community_id", []), details.get("community", []),
                     strict=True))

    def kind(k: str) -> str:
        return _pick(GAP_KINDS[k], lang) if k in GAP_KINDS else k

    gaps = pd.DataFrame({
        "社区" if zh else "Community": details["community"],
        "乡镇(街道)" if zh else "Township": details.get("township", ""),
        "县(市、区)" if zh else "County": details.get("county", ""),
        "短板类型" if zh else "Gap kind": details["kind"].map(kind),
        "短板项" if zh else "About": gap_items(details, lang),
        "严重度" if zh else "Severity": details["severity"].map(
            lambda s: _pick(SEVERITY[s], lang) if s in SEVERITY else s),
        "原因" if zh else "Reason": details["reason_zh" if zh else "reason_en"],
    })
    label = {n.name: (n.zh, n.en) for n in SCHEMA.nodes}
    found = pd.DataFrame({
        "社区" if zh else "Community": matches["community_id"].map(names).fillna(
            matches["community_id"]),
        "短板类型" if zh else "Gap kind": matches["gap_kind"].map(kind),
        "短板项" if zh else "About": gap_items(matches.rename(columns={"gap_item": "item"})
                                             .assign(item_name=matches["gap_item"].map(
                                                 actor_names(details))), lang),
        "名次" if zh else "Rank": matches["rank"],
        "推荐资源" if zh else "Resource": matches["resource_name"],
        "资源类型" if zh else "Resource kind": matches["resource_label"].map(
            lambda v: _pick(label[v], lang) if v in label else v),
        "类别" if zh else "Category": matches["category"],
        "距离" if zh else "Proximity": matches["proximity"].map(
            lambda v: _pick(PROXIMITY[v], lang) if v in PROXIMITY else v),
        "匹配度" if zh else "Fit": matches["fit"].map(lambda f: f"{float(f):.0%}"),
        "理由" if zh else "Reason": matches["reason_zh" if zh else "reason_en"],
    })
    return {("社区排名" if zh else "Ranking"): ranking,
            ("短板明细" if zh else "Gaps"): gaps,
            ("对接推荐" if zh else "Matches"): found}
