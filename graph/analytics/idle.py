"""Idle resources: organizations, volunteers and charity resources taking no part."""

from __future__ import annotations

import pandas as pd

from wushe.graph.analytics.facts import Facts

__all__ = ["idle_resources"]


def idle_resources(facts: Facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Idle resources: (per-community counts, the list of idle resources).

    Organizations without any project role (INITIATED/LEADS/DELIVERS/FUNDS, any year);
    volunteers with hours_12m = 0 or missing; charity resources funding no project in
    their own township.
    """
    o = facts.organizations
    idle_orgs = o[o["projects_total"] == 0]
    f = facts.foundations
    idle_f = f[f["projects_local"] == 0]
    c = facts.communities[["community_id", "community", "township_id", "inactive_volunteers"]]
    per = c.copy()
    per["idle_organizations"] = per["community_id"].map(
        idle_orgs.groupby("community_id").size()).fillna(0).astype(int)
    per["idle_foundations"] = per["community_id"].map(
        idle_f.groupby("community_id").size()).fillna(0).astype(int)
    items = pd.concat([
        pd.DataFrame({"resource_id": idle_orgs["org_id"], "label": "Organization",
                      "name": idle_orgs["name"], "community_id": idle_orgs["community_id"],
                      "township_id": idle_orgs["township_id"],
                      "reason_zh": "未参与任何项目", "reason_en": "takes part in no project"}),
        pd.DataFrame({"resource_id": idle_f["foundation_id"], "label": "Foundation",
                      "name": idle_f["name"], "community_id": idle_f["community_id"],
                      "township_id": idle_f["township_id"],
                      "reason_zh": "未资助本乡镇(街道)任何项目",
                      "reason_en": "funds no project in its own township"}),
    ], ignore_index=True).sort_values("resource_id").reset_index(drop=True)
    return per, items
