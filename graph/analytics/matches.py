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


def _score(m: pd.DataFrame) -> pd.DataFrame:
    """Category fit (by the need for need gaps) and base = 0.5·category + 0.3·spare."""
    need = m["pool"] == "need"
    if need.any():
        fit = _need_fit(m[need])
        m = m.merge(fit, on=["item", "category"], how="left")
        m.loc[m["pool"] == "need", "cat"] = m["need_cat"].fillna(0.0)
        m = m.drop(columns="need_cat")
    m["base"] = 0.5 * m["cat"] + 0.3 * m["spare"]
    return m


def _top_by_base(keys: pd.DataFrame, cand: pd.DataFrame, on: str,
                 k: pd.Series) -> pd.DataFrame:
    """The ``k[region]`` best candidates by base for every (region, pool, item) key.

    Ties by id. Category fit depends only on (pool, category, community org, charity
    kind), so the k with most spare capacity of each such group contain every key's top
    k: the candidates are cut down first, or a county's many need keys × its thousands of
    organizations would explode the merge.
    """
    cand = cand[cand[on].isin(k.index)]
    cand = cand.sort_values([on, "pool", "spare", "resource_id"],
                            ascending=[True, True, False, True])
    group = [on, "pool", "category", "is_community_org", "kind"]
    rank = cand.groupby(group, sort=False, dropna=False).cumcount()
    cand = cand[rank.to_numpy() < cand[on].map(k).to_numpy()]
    m = _score(keys.merge(cand, on=[on, "pool"]))
    m = m.sort_values([on, "pool", "item", "base", "resource_id"],
                      ascending=[True, True, True, False, True])
    rank = m.groupby([on, "pool", "item"], sort=False).cumcount()
    return m[rank.to_numpy() < m[on].map(k).to_numpy()]


def _linkage_edges(facts: Facts) -> pd.DataFrame:
    """The linkage graph as an edge table ``u``, ``v``: actors sharing a project, each
    actor to the communities whose projects it takes part in, each resource to its home
    community."""
    pa = facts.participants[["community_id", "project_id", "actor_id"]].drop_duplicates()
    co = _actor_edges(facts)[["actor_id_a", "actor_id_b"]].set_axis(["u", "v"], axis=1)
    ac = pa[["actor_id", "community_id"]].set_axis(["u", "v"], axis=1)
    homes = pd.concat([
        facts.organizations[["org_id", "community_id"]].set_axis(["u", "v"], axis=1),
        facts.foundations[["foundation_id", "community_id"]].set_axis(["u", "v"], axis=1)])
    return pd.concat([co, ac, homes.dropna()], ignore_index=True)


def _adamic_adar(facts: Facts, pairs: pd.DataFrame) -> pd.Series:
    """Adamic–Adar of (community_id, resource_id) pairs on the linkage graph's edge list
    (see :func:`wushe.graph.analytics.network.adamic_adar`)."""
    ends = pairs[["community_id", "resource_id"]].set_axis(["a", "b"], axis=1)
    return pd.Series(adamic_adar(_linkage_edges(facts), ends), index=pairs.index)


def _sharing_neighbours(facts: Facts, communities: pd.Series,
                        resources: pd.Series) -> pd.DataFrame:
    """Every (community, resource) pair with a common neighbour on the linkage graph, with
    its Adamic–Adar (> 0). Only these can gain from the shared-neighbour term."""
    e = _linkage_edges(facts)
    e = e[e["u"] != e["v"]]
    sym = pd.concat([e, e.set_axis(["v", "u"], axis=1)], ignore_index=True).drop_duplicates()
    first = sym[sym["u"].isin(set(communities))].set_axis(["community_id", "z"], axis=1)
    second = sym[sym["v"].isin(set(resources))].set_axis(["z", "resource_id"], axis=1)
    pairs = first.merge(second, on="z")[["community_id", "resource_id"]].drop_duplicates()
    pairs = pairs[pairs["community_id"] != pairs["resource_id"]].reset_index(drop=True)
    pairs["aa"] = adamic_adar(e, pairs.set_axis(["a", "b"], axis=1))
    return pairs[pairs["aa"] > 0]


def _linked(facts: Facts) -> pd.DataFrame:
    """(community_id, resource_id) already linked: in its projects of the window, based in
    it or serving it. Matches never propose these."""
    return pd.concat([
        facts.participants[["community_id", "actor_id"]].set_axis(
            ["community_id", "resource_id"], axis=1),
        facts.links.reindex(columns=["community_id", "resource_id"]),  # based in, serving
    ], ignore_index=True).dropna().drop_duplicates()


def matches(facts: Facts, gap_table: pd.DataFrame, *, n: int = 3,
            linked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Up to ``n`` nearby resources for each gap, ranked by fit, each with a reason.

    Candidates: same township first, then the rest of the county. fit = 0.5·category fit
    + 0.3·spare capacity + 0.2·shared neighbours, where category fit maps the need (or gap)
    to organization categories (``NEED_CATEGORIES``), spare capacity = 1 / (1 + projects
    the resource already has in the window, local projects for charity resources), and
    shared neighbours = Adamic–Adar between the community and the resource on the linkage
    graph, divided by the best among the gap's candidates. The whole pool is ranked by
    this score (vectorised: every candidate sharing a neighbour with the community is
    scored, and the others score their base, so the best of them by base suffice). Ties:
    same township first, then fit (rounded to 6 decimals), then resource id. A resource
    already linked to the community (in its projects of the window, based in it or
    serving it) is never proposed; ``linked`` (``community_id``, ``resource_id``, e.g. the
    ``community_resource_links`` query) adds pairs to leave out.
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
    gap_key = ["community_id", "kind", "item"]
    extra = linked
    linked = _linked(facts)
    if extra is not None:
        linked = pd.concat([linked, extra[["community_id", "resource_id"]]],
                           ignore_index=True).drop_duplicates()
    # Exactness: a candidate sharing no neighbour scores its base, so beyond those sharing
    # one, the top n by base among the not-linked suffice. Within a township that is the
    # top n + L by base (L: resources linked to the community); the county's top 2(n + L)
    # still holds n outside the own township whenever the township offers fewer than n
    # (then it holds at most n − 1 + L candidates of its own).
    n_linked = linked[linked["resource_id"].isin(set(cand["resource_id"]))].groupby(
        "community_id").size()
    g["k"] = n + g["community_id"].map(n_linked).fillna(0).astype(int)
    k_town = g.groupby("township_id")["k"].max()
    k_county = 2 * g.groupby("county_id")["k"].max()
    keep = ["resource_id", "label", "name", "category", "spare", "cat", "base",
            "cand_township"]
    town_keys = g[["township_id", "pool", "item"]].drop_duplicates()
    county_keys = g[["county_id", "pool", "item"]].drop_duplicates()
    near = _top_by_base(town_keys, cand.drop(columns="county_id").assign(
        cand_township=cand["township_id"]), "township_id", k_town)
    far = _top_by_base(county_keys, cand.drop(columns="township_id").assign(
        cand_township=cand["township_id"]), "county_id", k_county)
    m1 = g.merge(near[["township_id", "pool", "item", *keep]],
                 on=["township_id", "pool", "item"])
    m2 = g.merge(far[["county_id", "pool", "item", *keep]], on=["county_id", "pool", "item"])
    # ... and every candidate of the county sharing a neighbour with the community.
    shared = _sharing_neighbours(facts, g["community_id"], cand["resource_id"])
    m3 = g.merge(shared[["community_id", "resource_id"]], on="community_id").merge(
        cand.rename(columns={"township_id": "cand_township", "county_id": "cand_county"})
        [["resource_id", "pool", "label", "name", "category", "spare", "cat",
          "cand_township", "cand_county"]], on=["resource_id", "pool"])
    m3 = _score(m3[m3["cand_county"] == m3["county_id"]].drop(columns="cand_county"))
    m = pd.concat([m1, m2, m3[m1.columns]], ignore_index=True).drop_duplicates(
        [*gap_key, "resource_id"])
    m = m.merge(linked.assign(_linked=True), on=["community_id", "resource_id"], how="left")
    m = m[m["_linked"].isna()].drop(columns=["_linked", "k"])
    if m.empty:
        return pd.DataFrame(columns=cols)
    m["tier"] = np.where(m["cand_township"] == m["township_id"], 1, 2)
    m = m.merge(shared, on=["community_id", "resource_id"], how="left")
    m["aa"] = m["aa"].fillna(0.0)
    # normalised by the best shared-neighbour score of the gap's whole pool (both tiers)
    best = m.groupby(gap_key)["aa"].transform("max")
    m["fit"] = (m["base"] + 0.2 * (m["aa"] / best.where(best > 0)).fillna(0.0)).round(6)
    # documented order: same township first, then higher fit, then resource id
    m = m.sort_values([*gap_key, "tier", "fit", "resource_id"],
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
    # spare capacity = 1 / (1 + projects): the reason names the projects, which a reader
    # can check, rather than the score
    busy = (1.0 / m["spare"] - 1.0).round().astype(int).astype(str)
    aa = m["aa"].map("{:.2f}".format)
    out = pd.DataFrame({
        "community_id": m["community_id"], "gap_kind": m["kind"], "gap_item": m["item"],
        "rank": m["rank"], "resource_id": m["resource_id"], "resource_label": m["label"],
        "resource_name": m["name"], "category": m["category"],
        "proximity": np.where(same, "same_township", "same_county"), "fit": m["fit"],
        "category_fit": m["cat"].astype(float), "spare": m["spare"].astype(float),
        "adamic_adar": m["aa"].astype(float),
        "reason_zh": pd.Series(near_zh, index=m.index) + ";" + cat_zh + ";在做项目" + busy
        + "个;共同邻居指数" + aa,
        "reason_en": pd.Series(near_en, index=m.index) + "; " + cat_en
        + "; " + busy + " current project(s); shared neighbours (Adamic–Adar) " + aa,
    })
    return out.reset_index(drop=True)[cols]
