"""Gaps, idle resources and matches (精准对接) per community (docs/metrics.md §5).

Severity: 3 = high (高), 2 = medium (中), 1 = low (低); the rule of each gap kind is in
``GAP_RULES`` and docs/metrics.md.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from wushe.graph.analytics.config import threshold
from wushe.graph.analytics.coverage import coverage, density, pair_table
from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.network import betweenness
from wushe.graph.analytics.targets import targets_from_facts
from wushe.graph.schema import ELEMENT_ORDER, ELEMENTS

__all__ = ["gaps", "idle_resources", "matches", "GAP_KINDS", "NEED_CATEGORIES",
           "SEVERITY"]

SEVERITY = {3: ("高", "high"), 2: ("中", "medium"), 1: ("低", "low")}

#: gap kind → (中文, English)
GAP_KINDS: dict[str, tuple[str, str]] = {
    "missing_element": ("要素缺失", "missing element"),
    "target_not_met": ("指标未达标", "target not met"),
    "low_density": ("联动密度偏低", "low linkage density"),
    "single_broker": ("依赖单一中介", "single broker"),
    "no_active_volunteer_org": ("缺少活跃志愿服务组织", "no active volunteer-service organization"),
    "unmet_needs": ("需求未回应", "unmet needs"),
}

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

_COLS = ["community_id", "kind", "item", "severity", "value", "reason_zh", "reason_en"]


def _row(cid: str, kind: str, item: str, sev: int, value: float | None, zh: str,
         en: str) -> dict:
    return {"community_id": cid, "kind": kind, "item": item, "severity": sev, "value": value,
            "reason_zh": zh, "reason_en": en}


def _actor_edges(facts: Facts) -> pd.DataFrame:
    """Unique (community, a, b) actor pairs sharing a project, a < b (vectorised)."""
    return pair_table(facts.participants, "actor_id").rename(
        columns={"a": "actor_id_a", "b": "actor_id_b"})


def _separations(indptr: list[int], indices: list[int], weight: list[int],
                 roots: range) -> tuple[list[int], list[int], list[int], list[int]]:
    """One iterative Tarjan DFS over a node-weighted graph, started only from ``roots``.

    Returns per node: the root of its DFS tree (``comp``); the total and the largest
    weight of the child subtrees its removal separates from the rest (``cut``, ``piece``;
    0 for non-cut vertices — roots are never asked about); and per root the weight of its
    tree. A child subtree u of v is separated when no back edge from it climbs above v
    (low[u] ≥ disc[v]). Plain lists, not numpy: single-element access dominates here.
    """
    n = len(weight)
    disc = [-1] * n
    low = [0] * n
    sub = list(weight)
    comp = [0] * n
    cut = [0] * n
    piece = [0] * n
    tree_weight = [0] * n
    t = 0
    for root in roots:
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = t
        t += 1
        stack, parents, nexts = [root], [-1], [indptr[root]]
        while stack:
            v = stack[-1]
            i = nexts[-1]
            if i < indptr[v + 1]:
                nexts[-1] = i + 1
                u = indices[i]
                if disc[u] < 0:
                    disc[u] = low[u] = t
                    t += 1
                    stack.append(u)
                    parents.append(v)
                    nexts.append(indptr[u])
                elif u != parents[-1] and disc[u] < low[v]:
                    low[v] = disc[u]
                continue
            stack.pop()
            parents.pop()
            nexts.pop()
            comp[v] = root
            if stack:
                p = stack[-1]
                sub[p] += sub[v]
                if low[v] < low[p]:
                    low[p] = low[v]
                if low[v] >= disc[p]:
                    cut[p] += sub[v]
                    if sub[v] > piece[p]:
                        piece[p] = sub[v]
        tree_weight[root] = sub[root]
    return comp, cut, piece, tree_weight


def _cut_offs(c: np.ndarray, cp: np.ndarray, ca: np.ndarray) -> dict[int, tuple[int, int]]:
    """Per community, its articulation point leaving the smallest largest remainder.

    The co-participation graph G is a union of project cliques, so G − v falls apart
    exactly like the bipartite project–actor graph minus v: the DFS runs on that graph
    (~0.5M incidences) instead of G (~1.5M edges), and yields every cut vertex's
    separated pieces in one pass — no subgraph per articulation point. An actor in a
    single project is never a cut vertex (the rest of its clique stays joined), so such
    actors are folded into their project as its weight; roots are always projects, so
    every actor is a non-root DFS node. Removing v leaves as largest part the largest of:
    another component of G, a subtree v separates, or the rest of v's own component.

    Parameters
    ----------
    c, cp, ca : ndarray
        Per unique (community, project, actor) row with ≥ 2 actors in the project:
        community code, (community, project) node code 0..P-1 and (community, actor) code
        0..A-1, both numbered community by community.

    Returns
    -------
    dict
        community code → ((community, actor) code, largest remainder), ties to the
        smallest actor code (codes follow the actor ids' sort order).
    """
    n_proj = int(cp.max()) + 1
    n_ca = int(ca.max()) + 1
    multi_ca = np.bincount(ca, minlength=n_ca) > 1
    multi = multi_ca[ca]
    # Actor nodes: only actors in several projects, numbered after the projects.
    node_of_ca = np.full(n_ca, -1, dtype=np.int64)
    node_of_ca[multi_ca] = n_proj + np.arange(int(multi_ca.sum()))
    n = n_proj + int(multi_ca.sum())
    weight = np.ones(n, dtype=np.int64)
    weight[:n_proj] = np.bincount(cp[~multi], minlength=n_proj)
    u = np.concatenate([cp[multi], node_of_ca[ca[multi]]])
    v = np.concatenate([node_of_ca[ca[multi]], cp[multi]])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    indices = v[np.argsort(u, kind="stable")]
    comp, cut, piece, tree_weight = (np.asarray(x) for x in _separations(
        indptr.tolist(), indices.tolist(), weight.tolist(), range(n_proj)))
    proj_comm = np.zeros(n_proj, dtype=np.int64)
    proj_comm[cp] = c
    # The two heaviest components of each community (second = 0 if there is one).
    roots = np.flatnonzero(tree_weight[:n_proj] > 0)
    w = pd.DataFrame({"c": proj_comm[roots], "w": tree_weight[roots]}).sort_values(
        ["c", "w"], ascending=[True, False])
    rank = w.groupby("c").cumcount().to_numpy()
    top1 = pd.Series(w["w"].to_numpy()[rank == 0], index=w["c"].to_numpy()[rank == 0])
    top2 = pd.Series(w["w"].to_numpy()[rank == 1], index=w["c"].to_numpy()[rank == 1])
    ap_ca = np.flatnonzero(node_of_ca >= 0)
    ap_node = node_of_ca[ap_ca]
    is_ap = cut[ap_node] > 0
    ap_ca, ap_node = ap_ca[is_ap], ap_node[is_ap]
    ca_comm = np.zeros(n_ca, dtype=np.int64)
    ca_comm[ca] = c
    comm = ca_comm[ap_ca]
    own = tree_weight[comp[ap_node]]
    t1 = top1.reindex(comm).to_numpy()
    t2 = top2.reindex(comm, fill_value=0).to_numpy()
    other = np.where(own == t1, t2, t1)
    largest = np.maximum.reduce([piece[ap_node], own - 1 - cut[ap_node], other])
    best = pd.DataFrame({"c": comm, "largest": largest, "ca": ap_ca}).sort_values(
        ["c", "largest", "ca"]).drop_duplicates("c")
    return {int(r.c): (int(r.ca), int(r.largest)) for r in best.itertuples(index=False)}


def _top_betweenness(a: np.ndarray, nodes: list[str]) -> tuple[str, float] | None:
    """The actor with most betweenness and its share of the total (None if all zero).

    ``a`` is the 0/1 adjacency matrix over ``nodes`` (sorted by id). Co-participation
    graphs are unions of project cliques, nearly always of diameter 2; there every
    shortest path between non-adjacent s, t is s–v–t, so betweenness(v) = Σ over
    non-adjacent pairs of [v ∈ N(s) ∩ N(t)] / |N(s) ∩ N(t)| — one matrix product, exact.
    Other graphs fall back to Brandes (sampled above ``broker_exact_max_nodes``, from the
    nodes in id order so the sample does not depend on how the edges were sorted).
    """
    common = a @ a
    nonadj = a == 0
    np.fill_diagonal(nonadj, False)
    if (nonadj & (common == 0)).any():
        g = nx.Graph()
        g.add_nodes_from(nodes)
        i, j = np.nonzero(np.triu(a))
        g.add_edges_from(zip([nodes[x] for x in i], [nodes[x] for x in j], strict=True))
        big = len(nodes) > int(threshold("broker_exact_max_nodes"))
        bc_map = betweenness(g, k=int(threshold("broker_sample_k")) if big else None,
                             seed=0, normalized=False)
        bc = np.array([bc_map[v] for v in nodes])
    else:
        m = np.where(nonadj, 1.0 / np.where(common > 0, common, 1.0), 0.0)
        bc = np.einsum("sv,st,tv->v", a, m, a) / 2
    total = bc.sum()
    if total <= 1e-12:
        return None
    i = int(np.argmax(bc))
    return nodes[i], float(bc[i] / total)


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes that follow the values' sort order, and the sorted unique values.

    Factorising first and sorting only the uniques is several times faster than
    ``factorize(sort=True)`` on ~0.5M ids; object arrays sort like ``sorted``.
    """
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))
    order = np.argsort(uniq)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], uniq[order]


def _broker_rows(facts: Facts) -> list[dict]:
    # Everything runs on integer codes of the (community, project, actor) incidences:
    # a province has ~23,000 communities, and a networkx graph, subgraphs and matrices
    # per community cost ~15-30 s there; this costs a few seconds.
    share_min = threshold("broker_betweenness_share")
    rows: list[dict] = []
    part = facts.participants
    if part.empty:
        return rows
    c, c_uniq = _sorted_codes(part["community_id"])
    k, k_uniq = _sorted_codes(part["actor_id"])
    p = pd.factorize(part["project_id"].to_numpy(dtype=object))[0].astype(np.int64)
    n_k, n_p = len(k_uniq), int(p.max()) + 1
    # Unique incidences, sorted by community, then actor (id order), then project.
    key = np.unique((c.astype(np.int64) * n_k + k) * n_p + p)
    c, k, p = key // n_p // n_k, key // n_p % n_k, key % n_p
    new_ca = np.r_[True, (c[1:] != c[:-1]) | (k[1:] != k[:-1])]
    # Only communities with ≥ 3 actors (lone-actor projects included) are looked at ...
    keep = np.bincount(c[new_ca], minlength=len(c_uniq))[c] >= 3
    # ... and only projects with ≥ 2 actors make edges: the graph's nodes are their actors.
    cp = np.unique(c * n_p + p, return_inverse=True)[1]
    keep &= np.bincount(cp)[cp] >= 2
    if not keep.any():
        return rows
    c, k = c[keep], k[keep]
    cp = np.unique(cp[keep], return_inverse=True)[1]   # 0..P-1, grouped by community
    new_ca = np.r_[True, (c[1:] != c[:-1]) | (k[1:] != k[:-1])]
    ca = np.cumsum(new_ca) - 1                   # (community, actor) code 0..A-1
    actor_of_ca = k_uniq[k[new_ca]]
    cuts = _cut_offs(c, cp, ca)
    bounds = np.flatnonzero(np.r_[True, c[1:] != c[:-1], True])
    starts = bounds[:-1]
    for lo, hi, cc, a0, a1, p0 in zip(
            starts.tolist(), bounds[1:].tolist(), c[starts].tolist(), ca[starts].tolist(),
            ca[bounds[1:] - 1].tolist(), np.minimum.reduceat(cp, starts).tolist(),
            strict=True):
        cid = c_uniq[cc]
        n = a1 - a0 + 1
        if cc in cuts:
            who = actor_of_ca[cuts[cc][0]]
            share = (n - 1 - cuts[cc][1]) / (n - 1)
            rows.append(_row(cid, "single_broker", str(who), 2, share,
                             f"移除{who}会使本社区协作网络断开,{share:.0%}的其他主体失去联系"
                             "(关节点)",
                             f"removing {who} disconnects the community's co-participation "
                             f"network, cutting off {share:.0%} of the other actors "
                             "(articulation point)"))
            continue
        # adjacency = "shares a project": incidence(projects × actors)ᵀ · incidence > 0
        lp = cp[lo:hi] - p0
        inc = np.zeros((int(lp.max()) + 1, n))
        inc[lp, ca[lo:hi] - a0] = 1.0
        a = (inc.T @ inc > 0).astype(float)
        np.fill_diagonal(a, 0.0)
        if a.sum() == n * (n - 1):  # complete graph: nobody brokers
            continue
        top = _top_betweenness(a, actor_of_ca[a0:a1 + 1].tolist())
        if top is not None and top[1] >= share_min:
            who, share = top
            rows.append(_row(cid, "single_broker", str(who), 1, share,
                             f"{who}占本社区协作网络介数的{share:.0%}",
                             f"{who} holds {share:.0%} of the network's betweenness"))
    return rows


def gaps(facts: Facts, *, cov: pd.DataFrame | None = None,
         dens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every reason each community is under-connected, with its severity.

    Rules (docs/metrics.md §5): missing element (3); community-level target not met
    (binding 3, expected 2); element density below ``low_density`` (2, or 3 with no
    projects at all); single broker (2 for an articulation point, 1 when one actor holds
    ≥ ``broker_betweenness_share`` of betweenness); no active volunteer-service
    organization based in or serving it (2); unmet needs (2, or 3 with three or more).
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
    for r in t[~t["met"]].itertuples(index=False):
        sev = 3 if r.binding == "binding" else 2
        kind_zh = "约束性" if r.binding == "binding" else "预期性"
        rows.append(_row(r.region_id, "target_not_met", r.target, sev, r.value,
                         f"{kind_zh}指标「{r.zh}」未达标:{r.value:.4g} / {r.target_value:.4g}",
                         f"{r.binding} target '{r.en}' not met: {r.value:.4g} of "
                         f"{r.target_value:.4g}"))
    low = threshold("low_density")
    for r in dens.itertuples(index=False):
        if r.projects == 0:
            rows.append(_row(r.community_id, "low_density", "no_projects", 3, 0.0,
                             "时段内无项目,五社未联动", "no projects in the window: no linkage"))
        elif r.element_density < low - 1e-12:
            rows.append(_row(r.community_id, "low_density", "element_density", 2,
                             r.element_density,
                             f"要素联动密度{r.element_density:.2f},低于{low:.2f}",
                             f"element density {r.element_density:.2f} below {low:.2f}"))
    rows += _broker_rows(facts)
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
    out = pd.DataFrame(rows, columns=_COLS)
    out = out.merge(c[["community_id", "community", "township_id", "county_id"]],
                    on="community_id", how="left")
    out["kind_zh"] = out["kind"].map(lambda k: GAP_KINDS[k][0])
    out["severity_label"] = out["severity"].map(lambda s: SEVERITY[s][1])
    return out.sort_values(["community_id", "severity", "kind", "item"],
                           ascending=[True, False, True, True]).reset_index(drop=True)


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
    edge table: AA = Σ over common neighbours z of 1 / log(degree z), by two joins.
    """
    pa = facts.participants[["community_id", "project_id", "actor_id"]].drop_duplicates()
    co = _actor_edges(facts)[["actor_id_a", "actor_id_b"]].set_axis(["u", "v"], axis=1)
    ac = pa[["actor_id", "community_id"]].set_axis(["u", "v"], axis=1)
    homes = pd.concat([
        facts.organizations[["org_id", "community_id"]].set_axis(["u", "v"], axis=1),
        facts.foundations[["foundation_id", "community_id"]].set_axis(["u", "v"], axis=1)])
    e = pd.concat([co, ac, homes.dropna()], ignore_index=True)
    # Integer codes for every node: the joins below run on ints, not strings.
    codes, uniq = pd.factorize(pd.concat([e["u"], e["v"]], ignore_index=True))
    n = len(e)
    ei = pd.DataFrame({"u": codes[:n], "v": codes[n:]})
    ei = ei[ei["u"] != ei["v"]]
    ei = pd.concat([ei, ei.rename(columns={"u": "v", "v": "u"})], ignore_index=True)
    ei = ei.drop_duplicates()
    deg = ei.groupby("u").size()
    index = pd.Index(uniq)
    pc = pd.DataFrame({"c": index.get_indexer(pairs["community_id"]),
                       "r": index.get_indexer(pairs["resource_id"])})
    pc = pc[(pc["c"] >= 0) & (pc["r"] >= 0)].drop_duplicates()
    z1 = pc.merge(ei, left_on="c", right_on="u")[["c", "r", "v"]]
    both = z1.merge(ei, left_on=["r", "v"], right_on=["u", "v"])
    both["w"] = 1.0 / np.log(deg.reindex(both["v"]).to_numpy().astype(float))
    aa = both.groupby(["c", "r"])["w"].sum()
    key = pd.MultiIndex.from_arrays([index.get_indexer(pairs["community_id"]),
                                     index.get_indexer(pairs["resource_id"])])
    return pd.Series(aa.reindex(key).fillna(0.0).to_numpy(), index=pairs.index)


def matches(facts: Facts, gap_table: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """Up to ``n`` nearby resources for each gap, ranked by fit, each with a reason.

    Candidates: same township first, then the rest of the county. fit = 0.5·category fit
    + 0.3·spare capacity + 0.2·shared neighbours, where category fit maps the need (or gap)
    to organization categories (``NEED_CATEGORIES``), spare capacity = 1 / (1 + projects
    the resource already has in the window, local projects for charity resources), and
    shared neighbours = Adamic–Adar between the community and the resource on the linkage
    graph, divided by the best among the gap's candidates. Shared neighbours add at most
    0.2, so only a shortlist of the 3·n best by the other two terms per township (and
    6·n per county) is scored with it.
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

    def fresh(x: pd.DataFrame) -> pd.DataFrame:
        x = x.merge(involved, on=["community_id", "resource_id"], how="left")
        x = x[~((x["pool"] == "any_org") & x["_in"].fillna(False).astype(bool))]
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
