"""Matches (精准对接): nearby resources ranked for each gap (docs/metrics.md §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.network import adamic_adar, coparticipation_pairs

__all__ = ["matches", "NEED_CATEGORIES"]

#: need category / project scenario → organization categories that serve it
NEED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "调解纠纷": ("调解", "自治", "平安"),
    "一老一小": ("服务", "志愿", "文体"),
    "困难帮扶": ("帮扶", "慈善", "服务"),
    "孤困儿童关爱": ("帮扶", "服务", "慈善"),
    "民生微实事": ("服务", "自治", "志愿"),
    "小区治理": ("自治", "平安", "环保"),
    "睦邻文化": ("文体", "志愿"),
}


def _actor_edges(facts: Facts) -> pd.DataFrame:
    """Unique (community, a, b) actor pairs sharing a project, a < b (vectorised)."""
    return coparticipation_pairs(facts.participants, "actor_id").rename(
        columns={"a": "actor_id_a", "b": "actor_id_b"})


# gap kind/item → which pool of resources can fill it
def _pool(kind: str, item: str) -> str | None:
    if kind == "missing_element":
        return {"organization": "org", "volunteer": "volunteer_org", "worker": "worker_org",
                "charity": "foundation"}.get(item)
    if kind == "no_active_volunteer_org" or (kind == "target_not_met"
                                             and item == "volunteer_service_org"):
        return "volunteer_org"
    if kind == "unmet_needs":
        return "need"
    if kind in ("low_density", "single_broker"):
        return "any_org"
    return None


def _candidates(facts: Facts) -> pd.DataFrame:
    """Every resource once per pool it belongs to, with spare capacity and county."""
    o = facts.organizations.rename(columns={"org_id": "resource_id"}).assign(
        label="Organization", kind=None)
    o["spare"] = 1.0 / (1.0 + o["projects_window"])
    f = facts.foundations.rename(columns={"foundation_id": "resource_id"}).assign(
        label="Foundation", category=None, is_volunteer_service=False,
        is_community_org=False, workers=0)
    f["spare"] = 1.0 / (1.0 + f["projects_local"])
    cols = ["resource_id", "label", "name", "category", "is_volunteer_service",
            "is_community_org", "workers", "community_id", "township_id", "spare", "kind"]
    r = pd.concat([o.reindex(columns=cols), f.reindex(columns=cols)], ignore_index=True)
    r["county_id"] = r["township_id"].map(
        facts.townships.set_index("township_id")["county_id"])
    is_org = r["label"] == "Organization"
    vol = r["is_volunteer_service"].fillna(False).astype(bool)
    community_org = r["is_community_org"].fillna(False).astype(bool)
    found_kind = r["kind"].isin(["community_foundation", "charitable_fund"])
    parts = [
        r[is_org].assign(pool="org", cat=np.where(community_org[is_org], 1.0, 0.5)),
        r[is_org].assign(pool="any_org", cat=0.5),
        r[is_org].assign(pool="need", cat=0.0),
        r[is_org & vol].assign(pool="volunteer_org", cat=1.0),
        r[is_org & (r["workers"] > 0)].assign(pool="worker_org", cat=1.0),
        r[~is_org].assign(pool="foundation", cat=np.where(found_kind[~is_org], 1.0, 0.5)),
    ]
    return pd.concat(parts, ignore_index=True)


def _need_fit(keys: pd.DataFrame) -> pd.DataFrame:
    """(item, category) pairs that fit, for need gaps (item may join several categories)."""
    rows = []
    for item in keys["item"].unique():
        cats: set[str] = set()
        for c in str(item).split("、"):
            cats.update(NEED_CATEGORIES.get(c, ()))
        rows += [(item, c) for c in sorted(cats)]
    return pd.DataFrame(rows, columns=["item", "category"]).assign(need_cat=1.0)


def _shortlist(keys: pd.DataFrame, cand: pd.DataFrame, on: str, k: int) -> pd.DataFrame:
    """The ``k`` best candidates by base fit for every (region, pool, item) key."""
    # Category fit depends only on (pool, category, community org, charity kind), so the k
    # with most spare capacity of each such group always contain every key's top k: cut
    # the candidates down first, or a county's many need keys × its thousands of
    # organizations would explode the merge.
    group = [on, "pool", "category", "is_community_org", "kind"]
    cand = cand.sort_values([on, "pool", "spare", "resource_id"],
                            ascending=[True, True, False, True])
    cand = cand.groupby(group, sort=False, dropna=False).head(k)
    m = keys.merge(cand, on=[on, "pool"])
    need = m["pool"] == "need"
    if need.any():
        fit = _need_fit(m[need])
        m = m.merge(fit, on=["item", "category"], how="left")
        m.loc[m["pool"] == "need", "cat"] = m["need_cat"].fillna(0.0)
        m = m.drop(columns="need_cat")
    m["base"] = 0.5 * m["cat"] + 0.3 * m["spare"]
    m = m.sort_values([on, "pool", "item", "base", "resource_id"],
                      ascending=[True, True, True, False, True])
    return m.groupby([on, "pool", "item"], sort=False).head(k)


def _adamic_adar(facts: Facts, pairs: pd.DataFrame) -> pd.Series:
    """Adamic–Adar of (community_id, resource_id) pairs on the linkage graph's edge list.

    The linkage graph joins actors sharing a project, each actor to the communities whose
    projects it takes part in, and each resource to its home community. It is kept as an
    edge table (see :func:`wushe.graph.analytics.network.adamic_adar`).
    """
    pa = facts.participants[["community_id", "project_id", "actor_id"]].drop_duplicates()
    co = _actor_edges(facts)[["actor_id_a", "actor_id_b"]].set_axis(["u", "v"], axis=1)
    ac = pa[["actor_id", "community_id"]].set_axis(["u", "v"], axis=1)
    homes = pd.concat([
        facts.organizations[["org_id", "community_id"]].set_axis(["u", "v"], axis=1),
        facts.foundations[["foundation_id", "community_id"]].set_axis(["u", "v"], axis=1)])
    e = pd.concat([co, ac, homes.dropna()], ignore_index=True)
    ends = pairs[["community_id", "resource_id"]].set_axis(["a", "b"], axis=1)
    return pd.Series(adamic_adar(e, ends), index=pairs.index)


def matches(facts: Facts, gap_table: pd.DataFrame, *, n: int = 3,
            linked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Up to ``n`` nearby resources for each gap, ranked by fit, each with a reason.

    Candidates: same township first, then the rest of the county. fit = 0.5·category fit
    + 0.3·spare capacity + 0.2·shared neighbours, where category fit maps the need (or gap)
    to organization categories (``NEED_CATEGORIES``), spare capacity = 1 / (1 + projects
    the resource already has in the window, local projects for charity resources), and
    shared neighbours = Adamic–Adar between the community and the resource on the linkage
    graph, divided by the best among the gap's candidates. Shared neighbours add at most
    0.2, so only a shortlist of the 3·n best by the other two terms per township (and
    6·n per county) is scored with it.

    ``linked`` (``community_id``, ``resource_id``; the ``community_resource_links`` query)
    lists resources already based in or serving a community: they are never proposed to
    it again.
    """
    cols = ["community_id", "gap_kind", "gap_item", "rank", "resource_id", "resource_label",
            "resource_name", "category", "proximity", "fit", "category_fit", "spare",
            "adamic_adar", "reason_zh", "reason_en"]
    g = gap_table[["community_id", "kind", "item"]].copy()
    g["pool"] = [_pool(k, i) for k, i in zip(g["kind"], g["item"], strict=True)]
    g = g[g["pool"].notna()]
    comm = facts.communities.set_index("community_id")
    g["township_id"] = g["community_id"].map(comm["township_id"])
    g["county_id"] = g["community_id"].map(comm["county_id"])
    if g.empty:
        return pd.DataFrame(columns=cols)
    cand = _candidates(facts)
    k = 3 * n
    t_keys = g[["township_id", "pool", "item"]].drop_duplicates()
    c_keys = g[["county_id", "pool", "item"]].drop_duplicates()
    near = _shortlist(t_keys, cand.drop(columns="county_id"), "township_id", k)
    far = _shortlist(c_keys, cand.drop(columns="township_id").assign(
        cand_township=cand["township_id"]), "county_id", 2 * k)
    keep = ["resource_id", "label", "name", "category", "spare", "cat", "base"]
    # Low density and broker gaps want new partners, not those already in the projects.
    involved = facts.participants[["community_id", "actor_id"]].drop_duplicates().rename(
        columns={"actor_id": "resource_id"}).assign(_in=True)

    tied = (linked[["community_id", "resource_id"]].drop_duplicates().assign(_tied=True)
            if linked is not None else None)

    def fresh(x: pd.DataFrame) -> pd.DataFrame:
        x = x.merge(involved, on=["community_id", "resource_id"], how="left")
        x = x[~((x["pool"] == "any_org") & x["_in"].fillna(False).astype(bool))]
        if tied is not None:  # already based in or serving the community
            x = x.merge(tied, on=["community_id", "resource_id"], how="left")
            x = x[~x["_tied"].fillna(False).astype(bool)].drop(columns="_tied")
        return x.drop(columns="_in")

    gap_key = ["community_id", "kind", "item"]
    m1 = fresh(g.merge(near[["township_id", "pool", "item", *keep]],
                       on=["township_id", "pool", "item"]).assign(tier=1))
    # Same township ranks first: the county is only needed where it offers fewer than n.
    short = g.merge(m1.groupby(gap_key).size().rename("n_near").reset_index(),
                    on=gap_key, how="left")
    short = short[short["n_near"].fillna(0) < n].drop(columns="n_near")
    m2 = short.merge(far[["county_id", "pool", "item", "cand_township", *keep]],
                     on=["county_id", "pool", "item"])
    m2 = fresh(m2[m2["cand_township"] != m2["township_id"]].drop(columns="cand_township"))
    m = pd.concat([m1, m2.assign(tier=2)], ignore_index=True)
    if m.empty:
        return pd.DataFrame(columns=cols)
    m["aa"] = _adamic_adar(facts, m)
    best = m.groupby(["community_id", "kind", "item"])["aa"].transform("max")
    m["fit"] = (m["base"] + 0.2 * (m["aa"] / best.where(best > 0)).fillna(0.0)).round(6)
    m = m.sort_values(["community_id", "kind", "item", "tier", "fit", "resource_id"],
                      ascending=[True, True, True, True, False, True])
    m = m.groupby(["community_id", "kind", "item"], sort=False).head(n)
    m["rank"] = m.groupby(["community_id", "kind", "item"], sort=False).cumcount() + 1
    same = m["tier"] == 1
    full = m["cat"] >= 1
    part = (m["cat"] > 0) & ~full
    near_zh = np.where(same, "同乡镇(街道)", "同县(市、区)")
    near_en = np.where(same, "same township", "same county")
    cat_zh = np.select([full, part], ["类别对口", "类别相近"], "类别不对口")
    cat_en = np.select([full, part], ["category fits", "category partly fits"],
                       "category does not fit")
    spare = m["spare"].map("{:.2f}".format)
    aa = m["aa"].map("{:.2f}".format)
    out = pd.DataFrame({
        "community_id": m["community_id"], "gap_kind": m["kind"], "gap_item": m["item"],
        "rank": m["rank"], "resource_id": m["resource_id"], "resource_label": m["label"],
        "resource_name": m["name"], "category": m["category"],
        "proximity": np.where(same, "same_township", "same_county"), "fit": m["fit"],
        "category_fit": m["cat"].astype(float), "spare": m["spare"].astype(float),
        "adamic_adar": m["aa"].astype(float),
        "reason_zh": pd.Series(near_zh, index=m.index) + ";" + cat_zh + ";空余承接力" + spare
        + ";共同邻居指数" + aa,
        "reason_en": pd.Series(near_en, index=m.index) + "; " + cat_en
        + "; spare capacity " + spare + "; shared neighbours (Adamic–Adar) " + aa,
    })
    return out.reset_index(drop=True)[cols]
