"""Linkage mode (联动模式) per community (docs/metrics.md §3).

For each element, score = (share of projects it initiates + share of projects it leads +
share of FUNDS money it provides) / 3, over the community's projects in the window.
Government purchase (FUNDS with channel ``government_purchase``) counts for the community
element whoever pays it. The mode is the top-scoring element; "mixed" when its lead over
the runner-up is below the ``mode_margin`` threshold, or when charity tops but its money is
below ``charity_to_government`` × government money.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.analytics.config import threshold
from wushe.graph.analytics.facts import Facts
from wushe.graph.schema import ELEMENT_MODES, ELEMENT_ORDER, ELEMENTS, LINKAGE_MODES

__all__ = ["linkage_modes", "MODES", "label_modes"]

#: leading element (or "mixed", "none") → (mode, 中文, English); names from the schema
MODES: dict[str, tuple[str, str, str]] = {
    key: (mode, *LINKAGE_MODES[mode])
    for key, mode in {**ELEMENT_MODES, "mixed": "mixed", "none": "none"}.items()
}
_ROLE_SHARES = ("INITIATED", "LEADS")


def _shares(facts: Facts) -> pd.DataFrame:
    """Per community and element: initiate share, lead share, funding share, money."""
    p = facts.participants
    n_projects = facts.projects.groupby("community_id")["project_id"].nunique()
    idx = pd.MultiIndex.from_product([n_projects.index, ELEMENT_ORDER],
                                     names=["community_id", "element"])
    out = pd.DataFrame(index=idx)
    for role in _ROLE_SHARES:
        hits = (p[p["role"] == role][["community_id", "project_id", "element"]]
                .drop_duplicates().groupby(["community_id", "element"]).size())
        out[role] = hits.reindex(idx).fillna(0) / n_projects.reindex(
            idx.get_level_values(0)).to_numpy()
    f = p[p["role"] == "FUNDS"].copy()
    gov = f["channel"] == "government_purchase"
    f.loc[gov, "element"] = "community"
    money = f.groupby(["community_id", "element"])["amount"].sum().reindex(idx).fillna(0.0)
    total = money.groupby(level="community_id").transform("sum")
    out["FUNDS"] = (money / total.where(total > 0)).fillna(0.0)
    out["money"] = money
    out["score"] = (out["INITIATED"] + out["LEADS"] + out["FUNDS"]) / 3
    f["government_money"] = f["amount"].where(gov, 0.0)
    f["charity_money"] = f["amount"].where(~gov & (f["element"] == "charity"), 0.0)
    extra = f.groupby("community_id")[["government_money", "charity_money"]].sum()
    return out, extra


def label_modes(scores: pd.DataFrame, government_money: pd.Series,
                charity_money: pd.Series, *, margin: float | None = None,
                charity_ratio: float | None = None) -> pd.DataFrame:
    """Label rows of a score matrix (index community, columns the five elements).

    Returns the mode key, zh/en names, top element, its lead, and a bilingual reason.
    """
    margin = threshold("mode_margin") if margin is None else margin
    charity_ratio = threshold("charity_to_government") if charity_ratio is None \
        else charity_ratio
    s = scores[list(ELEMENT_ORDER)].to_numpy(dtype=float)
    order = np.argsort(-s, axis=1, kind="stable")
    top_i, second_i = order[:, 0], order[:, 1]
    rows = np.arange(len(s))
    top_v, second_v = s[rows, top_i], s[rows, second_i]
    out = pd.DataFrame(index=scores.index)
    out["top_element"] = [ELEMENT_ORDER[i] for i in top_i]
    out["runner_up"] = [ELEMENT_ORDER[i] for i in second_i]
    out["lead"] = top_v - second_v
    gov = government_money.reindex(scores.index).fillna(0.0)
    cha = charity_money.reindex(scores.index).fillna(0.0)
    keys, zh, en = [], [], []
    for cid, top, run, tv, sv, lead in zip(scores.index, out["top_element"],
                                          out["runner_up"], top_v, second_v, out["lead"],
                                          strict=True):
        tz, te = ELEMENTS[top]
        rz, re_ = ELEMENTS[run]
        if lead < margin - 1e-12:
            k = "mixed"
            why_zh = (f"{tz}({tv:.2f})领先{rz}({sv:.2f})仅{lead:.2f},低于{margin:.2f},"
                      "无要素明显主导")
            why_en = (f"{te} ({tv:.2f}) leads {re_} ({sv:.2f}) by only {lead:.2f}, below "
                      f"{margin:.2f}: no element clearly dominates")
        elif top == "charity" and cha[cid] < charity_ratio * gov[cid] - 1e-9:
            k = "mixed"
            why_zh = (f"慈善资源得分最高({tv:.2f}),但慈善资金{cha[cid]:,.0f}元不足政府资金"
                      f"{gov[cid]:,.0f}元的{charity_ratio:.0%},未形成撬动")
            why_en = (f"charity scores highest ({tv:.2f}) but its money ({cha[cid]:,.0f}) is "
                      f"below {charity_ratio:.0%} of government money ({gov[cid]:,.0f})")
        else:
            k = top
            why_zh = f"{tz}得分{tv:.2f},领先第二位{rz}({sv:.2f}){lead:.2f}"
            why_en = f"{te} scores {tv:.2f}, {lead:.2f} ahead of {re_} ({sv:.2f})"
            if top == "charity":
                why_zh += f";慈善资金{cha[cid]:,.0f}元,政府资金{gov[cid]:,.0f}元"
                why_en += f"; charity money {cha[cid]:,.0f} vs government {gov[cid]:,.0f}"
        key, mzh, men = MODES[k]
        keys.append(key)
        zh.append(f"{mzh}:{why_zh}")
        en.append(f"{men}: {why_en}")
    out["mode"] = keys
    out["reason_zh"] = zh
    out["reason_en"] = en
    return out


def linkage_modes(facts: Facts) -> pd.DataFrame:
    """The linkage mode of every community, with its score vector and reason.

    Returns
    -------
    DataFrame
        One row per community: ``score_<element>`` (0–1) for the five elements, the
        ``initiate_/lead_/fund_<element>`` shares, ``mode`` (community_led,
        organization_carrier, worker_driven, volunteer_assisted, charity_leveraged, mixed,
        none), ``mode_zh``, ``mode_en``, ``lead``, ``government_money``, ``charity_money``
        and ``reason_zh`` / ``reason_en``.
    """
    shares, extra = _shares(facts)
    ids = facts.communities["community_id"]
    # reindex: with no projects at all, unstack() leaves no (column, element) pairs
    wide = shares.unstack("element").reindex(
        columns=pd.MultiIndex.from_product([shares.columns, ELEMENT_ORDER]))
    scores = wide["score"].reindex(columns=list(ELEMENT_ORDER))
    labels = label_modes(scores, extra.get("government_money", pd.Series(dtype=float)),
                         extra.get("charity_money", pd.Series(dtype=float)))
    out = pd.DataFrame({"community_id": ids}).set_index("community_id")
    for e in ELEMENT_ORDER:
        out[f"score_{e}"] = scores[e]
    for col, name in (("INITIATED", "initiate"), ("LEADS", "lead"), ("FUNDS", "fund")):
        for e in ELEMENT_ORDER:
            out[f"{name}_{e}"] = wide[col][e]
    out = out.join(labels[["mode", "top_element", "runner_up", "lead", "reason_zh",
                           "reason_en"]])
    out = out.join(extra)
    text = ["mode", "top_element", "runner_up", "reason_zh", "reason_en"]
    out[text] = out[text].astype(object)  # all-NaN float columns when nothing has projects
    none = out["mode"].isna()
    out.loc[none, "mode"] = "none"
    out.loc[none, "reason_zh"] = "无项目:时段内没有在本社区实施的项目"
    out.loc[none, "reason_en"] = "no projects: none ran in this community in the window"
    score_cols = [c for c in out.columns if c.startswith(("score_", "initiate_", "lead_",
                                                          "fund_"))]
    out[score_cols] = out[score_cols].fillna(0.0)
    out[["government_money", "charity_money"]] = out[
        ["government_money", "charity_money"]].fillna(0.0)
    by_key = {v[0]: (v[1], v[2]) for v in MODES.values()}
    out["mode_zh"] = out["mode"].map(lambda k: by_key[k][0])
    out["mode_en"] = out["mode"].map(lambda k: by_key[k][1])
    return out.reset_index()
