"""Gaps per community: every reason it is under-connected (docs/metrics.md §5).

Severity: 3 = high (高), 2 = medium (中), 1 = low (低); the rule of each gap kind is in
``gaps`` and docs/metrics.md.
"""

from __future__ import annotations

import pandas as pd

from wushe.graph.analytics.brokers import single_brokers
from wushe.graph.analytics.config import threshold
from wushe.graph.analytics.coverage import coverage, density
from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.figures import figure, percent
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.schema import ELEMENT_ORDER, ELEMENTS, SCHEMA

__all__ = ["gaps", "GAP_KINDS", "SEVERITY", "DATA_FIELDS"]

SEVERITY = {3: ("高", "high"), 2: ("中", "medium"), 1: ("低", "low")}

#: gap kind → (中文, English)
GAP_KINDS: dict[str, tuple[str, str]] = {
    "missing_element": ("要素缺失", "missing element"),
    "target_not_met": ("指标未达标", "target not met"),
    "low_density": ("联动密度偏低", "low linkage density"),
    "single_broker": ("依赖单一中介", "single broker"),
    "no_active_volunteer_org": ("缺少活跃志愿服务组织", "no active volunteer-service organization"),
    "unmet_needs": ("需求未回应", "unmet needs"),
    "missing_data": ("数据缺失", "missing data"),
}

#: community figures the targets and the index read; a blank one is a data-quality gap
DATA_FIELDS: tuple[str, ...] = ("population", "complex_star", "fulltime_workers",
                                "certified_workers")

_COLS = ["community_id", "kind", "item", "item_name", "severity", "value", "reason_zh",
         "reason_en"]


def _row(cid: str, kind: str, item: str, sev: int, value: float | None, zh: str,
         en: str) -> dict:
    return {"community_id": cid, "kind": kind, "item": item, "item_name": None,
            "severity": sev, "value": value, "reason_zh": zh, "reason_en": en}


def gaps(facts: Facts, *, cov: pd.DataFrame | None = None,
         dens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every reason each community is under-connected, with its severity.

    Rules (docs/metrics.md §5): missing element (3); community-level target not met
    (binding 3, expected 2); element density below ``low_density`` (2, or 3 with no
    projects at all); single broker (2 for an articulation point, 1 when one actor holds
    ≥ ``broker_betweenness_share`` of betweenness); no active volunteer-service
    organization based in or serving it (2); unmet needs (2, or 3 with three or more);
    missing data (1): a figure of ``DATA_FIELDS`` left blank, so the community is left
    out of the ratios that need it (a target whose figure is unknown is not "not met").
    """
    cov = coverage(facts) if cov is None else cov
    dens = density(facts) if dens is None else dens
    rows: list[dict] = []
    for e in ELEMENT_ORDER:
        zh, en = ELEMENTS[e]
        for cid in cov.loc[~cov[f"present_{e}"], "community_id"]:
            rows.append(_row(cid, "missing_element", e, 3, None, f"缺少{zh}要素",
                             f"no {en.lower()} present"))
    t = targets_from_facts(facts, "community")
    for r in t[t["status"] == "not_met"].itertuples(index=False):
        sev = 3 if r.binding == "binding" else 2
        kind_zh = "约束性" if r.binding == "binding" else "预期性"
        # one community's count needs no "per community"; shares read as percentages
        zh_unit = r.unit.removesuffix("/社区")
        en_unit = r.unit if r.unit == "比例" else ""
        rows.append(_row(r.region_id, "target_not_met", r.target, sev, r.value,
                         f"{kind_zh}指标「{r.zh}」未达标:现值 {figure(r.value, zh_unit)},"
                         f"目标 {figure(r.target_value, zh_unit)}",
                         f"{r.binding} target '{r.en}' not met: {figure(r.value, en_unit)} "
                         f"against {figure(r.target_value, en_unit)}"))
    low = threshold("low_density")
    for r in dens.itertuples(index=False):
        if r.projects == 0:
            rows.append(_row(r.community_id, "low_density", "no_projects", 3, 0.0,
                             "时段内无项目,五社未联动", "no projects in the window: no linkage"))
        elif r.element_density < low - 1e-12:
            rows.append(_row(r.community_id, "low_density", "element_density", 2,
                             r.element_density,
                             f"要素联动密度{percent(r.element_density)},低于{percent(low)}",
                             f"element density {percent(r.element_density)} below "
                             f"{percent(low)}"))
    rows += single_brokers(facts).assign(kind="single_broker").to_dict("records")
    c = facts.communities
    no_vol = c[(c["active_volunteer_orgs"] + c["active_volunteer_orgs_serving"]) == 0]
    months = int(threshold("active_volunteer_org_min_months"))
    for cid in no_vol["community_id"]:
        rows.append(_row(cid, "no_active_volunteer_org", "volunteer_service_org", 2, 0.0,
                         f"没有驻在或服务本社区、近12个月活跃≥{months}个月的志愿服务类组织",
                         "no volunteer-service organization based in or serving it active "
                         f"in ≥{months} of the last 12 months"))
    needs = facts.needs.groupby("community_id")
    for cid, part in needs:
        n = len(part)
        cats = "、".join(sorted(part["category"].unique()))
        rows.append(_row(cid, "unmet_needs", cats, 3 if n >= 3 else 2, float(n),
                         f"{n}项居民需求无项目回应({cats})",
                         f"{n} resident need(s) no project addresses ({cats})"))
    rows += _missing_data_rows(c)
    out = pd.DataFrame(rows, columns=_COLS)
    out = out.merge(c[["community_id", "community", "township_id", "county_id"]],
                    on="community_id", how="left")
    out["kind_zh"] = out["kind"].map(lambda k: GAP_KINDS[k][0])
    out["severity_label"] = out["severity"].map(lambda s: SEVERITY[s][1])
    return out.sort_values(["community_id", "severity", "kind", "item"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


def _missing_data_rows(c: pd.DataFrame) -> list[dict]:
    # Both worker figures blank but person records present: the records stand in for them
    # (docs/metrics.md §1), so that pair is not reported missing.
    from_records = (c["fulltime_workers"].isna() & c["certified_workers"].isna()
                    & (c["community_worker_nodes"] > 0))
    rows = []
    for field in DATA_FIELDS:
        prop = SCHEMA.node("Community").prop(field)
        blank = c[field].isna()
        if field in ("fulltime_workers", "certified_workers"):
            blank &= ~from_records
        for cid in c.loc[blank, "community_id"]:
            rows.append(_row(cid, "missing_data", field, 1, None,
                             f"「{prop.zh}」未填写,相关比率未计入本社区",
                             f"'{prop.en}' is blank: the community is left out of the "
                             "ratios that need it"))
    return rows
