"""Gaps, idle resources and matches (docs/metrics.md §5), by hand on the worked example."""

import pandas as pd
import pytest
from fixtures_analysis import worked_example_facts

from wushe.graph.analytics import gaps, idle_resources, matches


@pytest.fixture(scope="module")
def facts():
    return worked_example_facts()


@pytest.fixture(scope="module")
def gap_table(facts):
    return gaps(facts)


def _kinds(gt, cid, kind):
    part = gt[(gt["community_id"] == cid) & (gt["kind"] == kind)]
    return dict(zip(part["item"], part["severity"], strict=True))


def test_missing_elements_are_high_severity(gap_table):
    assert _kinds(gap_table, "C7", "missing_element") == {
        "organization": 3, "worker": 3, "charity": 3}
    assert _kinds(gap_table, "C5", "missing_element") == {"worker": 3, "volunteer": 3}
    assert _kinds(gap_table, "C1", "missing_element") == {"charity": 3}


def test_unmet_community_targets_binding_high_expected_medium(gap_table):
    assert _kinds(gap_table, "C1", "target_not_met") == {}
    assert _kinds(gap_table, "C2", "target_not_met") == {
        "certified_share": 3, "volunteer_service_org": 3, "community_orgs_rural": 2,
        "active_orgs": 2}
    assert _kinds(gap_table, "C4", "target_not_met") == {
        "certified_share": 3, "community_orgs_rural": 2, "active_orgs": 2}
    # C7's certified workers are blank: its share is unknown, not a target missed
    assert _kinds(gap_table, "C7", "target_not_met") == {
        "volunteer_service_org": 3, "community_orgs_rural": 2, "active_orgs": 2}


def test_blank_figures_are_data_quality_gaps(gap_table):
    assert _kinds(gap_table, "C7", "missing_data") == {"certified_workers": 1}
    assert _kinds(gap_table, "C4", "missing_data") == {"complex_star": 1}
    assert set(gap_table.loc[gap_table["kind"] == "missing_data", "community_id"]) == {
        "C4", "C7"}


def test_low_density_below_threshold_and_no_projects(gap_table):
    assert _kinds(gap_table, "C2", "low_density") == {"element_density": 2}  # 0.1 < 0.3
    assert _kinds(gap_table, "C7", "low_density") == {"no_projects": 3}
    assert _kinds(gap_table, "C3", "low_density") == {}                      # 0.3 is not low


def test_single_broker_is_the_articulation_point(gap_table):
    # C3: clique {C3, S1, W4, O3-1} from P3, plus W4–OT1 from P4 → W4 holds OT1 on.
    assert _kinds(gap_table, "C3", "single_broker") == {"W4": 2}
    row = gap_table[(gap_table["community_id"] == "C3")
                    & (gap_table["kind"] == "single_broker")].iloc[0]
    # removing W4 cuts OT1 off: 1 of the 4 other actors
    assert row["value"] == pytest.approx(0.25)
    assert set(gap_table.loc[gap_table["kind"] == "single_broker", "community_id"]) == {"C3"}


def test_no_active_volunteer_org_where_none_based_or_serving(gap_table):
    flagged = set(gap_table.loc[gap_table["kind"] == "no_active_volunteer_org",
                                "community_id"])
    assert flagged == {"C2", "C3", "C5", "C6", "C7"}


def test_unmet_needs_only_open_and_unaddressed(gap_table):
    part = gap_table[gap_table["kind"] == "unmet_needs"]
    assert list(part["community_id"]) == ["C7"]   # N2 addressed by P1, N3 met
    assert part.iloc[0]["severity"] == 2 and part.iloc[0]["value"] == 1


def test_every_gap_has_both_reasons(gap_table):
    assert gap_table["reason_zh"].str.len().gt(0).all()
    assert gap_table["reason_en"].str.len().gt(0).all()


def test_idle_resources_by_hand(facts):
    per, items = idle_resources(facts)
    per = per.set_index("community_id")
    assert per["idle_organizations"].to_dict() == {
        "C1": 19, "C2": 1, "C3": 0, "C4": 1, "C5": 0, "C6": 1, "C7": 0}
    assert per["inactive_volunteers"].to_dict() == {
        "C1": 0, "C2": 0, "C3": 0, "C4": 1, "C5": 0, "C6": 0, "C7": 1}
    assert set(items.loc[items["label"] == "Foundation", "resource_id"]) == {"F2", "F3"}
    assert "OT2" in set(items["resource_id"])


def test_unmet_need_matches_by_category_then_spare_capacity(facts, gap_table):
    m = matches(facts, gap_table, n=3)
    need = m[(m["community_id"] == "C7") & (m["gap_kind"] == "unmet_needs")]
    # 孤困儿童关爱 → 帮扶/服务/慈善: O5-1 (慈善) and O6-1 (服务), each with 1 project:
    # 0.5·1 + 0.3·(1/2) = 0.65; then O4-2 (文体, no project): 0.3·1 = 0.30 (id before O6-2, OT2)
    assert list(need["resource_id"]) == ["O5-1", "O6-1", "O4-2"]
    assert list(need["fit"]) == pytest.approx([0.65, 0.65, 0.30])
    assert set(need["proximity"]) == {"same_township"}
    assert need["reason_zh"].str.contains("同乡镇").all()
    # the reason names the projects behind the spare capacity, not the 0.50 score
    assert need["reason_zh"].str.contains("在做项目").all()
    assert ";在做项目1个;" in need["reason_zh"].iloc[0]
    assert ";在做项目0个;" in need["reason_zh"].iloc[2]
    assert "; 1 current project(s);" in need["reason_en"].iloc[0]


def test_matches_prefer_same_township_before_county(facts, gap_table):
    m = matches(facts, gap_table, n=3)
    charity = m[(m["community_id"] == "C1") & (m["gap_item"] == "charity")]
    # F2 is in C1's township; F3 (0.80) and F1 (0.65) only in the county.
    assert list(charity["resource_id"]) == ["F2", "F3", "F1"]
    assert list(charity["proximity"]) == ["same_township", "same_county", "same_county"]


def test_volunteer_gap_is_matched_with_volunteer_service_orgs_only(facts, gap_table):
    m = matches(facts, gap_table, n=3)
    vol = m[(m["community_id"] == "C5") & (m["gap_kind"] == "no_active_volunteer_org")]
    assert list(vol["resource_id"]) == ["OT2", "O4-1", "O1-01"]


def test_broker_holding_most_betweenness_without_articulation_point():
    """Hub h in projects with a, b, c, d, plus a–b, b–c, c–d: no cut vertex, but h carries
    a–d fully and half of a–c and b–d: betweenness h 2, b ½, c ½ → share 2/3 ≥ 50%."""
    from wushe.graph.analytics.brokers import single_brokers
    from wushe.graph.analytics.facts import Facts

    projects = {"Q1": "ha", "Q2": "hb", "Q3": "hc", "Q4": "hd", "Q5": "ab", "Q6": "cd",
                "Q7": "bc"}
    rows = [{"community_id": "X", "project_id": p, "actor_id": a, "label": "Volunteer"}
            for p, actors in projects.items() for a in actors]
    empty = pd.DataFrame()
    facts = Facts((2024, 2025), empty, empty, empty, pd.DataFrame(rows), empty, empty, empty)
    (row,) = single_brokers(facts).to_dict("records")
    assert (row["item"], row["severity"]) == ("h", 1)
    assert row["value"] == pytest.approx(2 / 3)


def test_shared_neighbours_adamic_adar_on_the_linkage_edge_list(facts):
    """C3 and O3-1 share S1 (neighbours C3, W4, O3-1: degree 3) and W4 (C3, S1, O3-1, OT1:
    degree 4) → 1/ln 3 + 1/ln 4."""
    import math

    from wushe.graph.analytics.matches import _adamic_adar

    pairs = pd.DataFrame({"community_id": ["C3", "C7"], "resource_id": ["O3-1", "O5-1"]})
    aa = _adamic_adar(facts, pairs)
    assert list(aa) == pytest.approx([1 / math.log(3) + 1 / math.log(4), 0.0])


def _cut_off_by_networkx(g):
    """The former per-articulation-point reference: the AP leaving the smallest largest
    component (ties to the smallest id) and the share of the other actors it cuts off."""
    import networkx as nx

    best = None
    n = g.number_of_nodes()
    for v in sorted(nx.articulation_points(g), key=str):
        rest = g.subgraph(x for x in g if x != v)
        largest = max(len(c) for c in nx.connected_components(rest))
        share = (n - 1 - largest) / (n - 1)
        if best is None or share > best[1]:
            best = (v, share)
    return best


def test_articulation_points_in_one_dfs_match_networkx():
    """Random communities of small projects (often disconnected, often with tied cut
    vertices): the one-pass DFS on the project–actor graph picks the same articulation
    point and share as removing every articulation point from the clique graph."""
    import itertools
    import random

    import networkx as nx

    from wushe.graph.analytics.brokers import single_brokers
    from wushe.graph.analytics.facts import Facts

    rnd = random.Random(7)
    rows, expected = [], {}
    for ci in range(300):
        cid = f"X{ci:03d}"
        actors = [f"a{j:02d}" for j in range(rnd.randint(3, 14))]
        g = nx.Graph()
        for pi in range(rnd.randint(1, 6)):
            members = rnd.sample(actors, rnd.randint(1, min(4, len(actors))))
            rows += [{"community_id": cid, "project_id": f"P{ci}-{pi}", "actor_id": a}
                     for a in members]
            g.add_edges_from(itertools.combinations(members, 2))
        n_actors = len({r["actor_id"] for r in rows if r["community_id"] == cid})
        if n_actors >= 3 and g.number_of_edges():
            cut = _cut_off_by_networkx(g)
            if cut:
                expected[cid] = cut
    empty = pd.DataFrame()
    facts = Facts((2024, 2025), empty, empty, empty, pd.DataFrame(rows), empty, empty, empty)
    cuts = single_brokers(facts).query("severity == 2")
    got = {r.community_id: (r.item, r.value) for r in cuts.itertuples(index=False)}
    assert len(expected) > 100
    assert got == expected


@pytest.fixture(scope="module")
def shortlist_facts(tmp_path_factory):
    from fixtures_analysis import WINDOW, load_tiny_store, shortlist_case_tables

    from wushe.graph.analytics import load_facts

    store = load_tiny_store(tmp_path_factory.mktemp("p8") / "store", shortlist_case_tables())
    try:
        yield load_facts(store, years=WINDOW)
    finally:
        store.close()


def _brute_force(facts, gap_table, n):
    """Every candidate of the county scored by the documented formula, then ranked."""
    from wushe.graph.analytics.matches import (
        _adamic_adar,
        _candidates,
        _linked,
        _pool,
        _score,
    )

    g = gap_table[["community_id", "kind", "item"]].copy()
    g["pool"] = [_pool(k, i) for k, i in zip(g["kind"], g["item"], strict=True)]
    g = g[g["pool"].notna()]
    comm = facts.communities.set_index("community_id")
    g["township_id"] = g["community_id"].map(comm["township_id"])
    g["county_id"] = g["community_id"].map(comm["county_id"])
    cand = _candidates(facts).rename(columns={"township_id": "cand_township",
                                              "community_id": "home", "kind": "rkind"})
    m = _score(g.merge(cand, on=["county_id", "pool"]))
    m = m.merge(_linked(facts).assign(x=1), on=["community_id", "resource_id"], how="left")
    m = m[m["x"].isna()].copy()
    m["aa"] = _adamic_adar(facts, m)
    key = ["community_id", "kind", "item"]
    best = m.groupby(key)["aa"].transform("max")
    m["fit"] = (m["base"] + 0.2 * (m["aa"] / best.where(best > 0)).fillna(0.0)).round(6)
    m["tier"] = (m["cand_township"] != m["township_id"]).astype(int)
    m = m.sort_values([*key, "tier", "fit", "resource_id"],
                      ascending=[True, True, True, True, False, True])
    return m.groupby(key, sort=False).head(n)


@pytest.mark.store
def test_the_best_match_by_the_documented_score_is_kept_where_a_shortlist_dropped_it(
        shortlist_facts):
    """C2's low density (any organization, category fit 0.5): O1-06 has one project (spare
    ½, base 0.25 + 0.15 = 0.40) but shares O2-3 with C2 (AA = 1/ln 4, the pool's best):
    fit 0.60, above the 0.55 of the 19 idle organizations of T1. The old 3·n shortlist by
    base (n = 1: O1-02, O1-03, O1-04) never scored it."""
    import math

    gt = gaps(shortlist_facts)
    m = matches(shortlist_facts, gt, n=1)
    top = m[(m["community_id"] == "C2") & (m["gap_kind"] == "low_density")].iloc[0]
    assert (top["resource_id"], top["fit"]) == ("O1-06", pytest.approx(0.60))
    assert top["adamic_adar"] == pytest.approx(1 / math.log(4))
    m3 = matches(shortlist_facts, gt, n=3)
    c2 = m3[(m3["community_id"] == "C2") & (m3["gap_kind"] == "low_density")]
    assert c2["resource_id"].tolist() == ["O1-06", "O1-02", "O1-03"]   # ties by id
    assert c2["fit"].tolist() == pytest.approx([0.60, 0.55, 0.55])


@pytest.mark.store
@pytest.mark.parametrize("n", [1, 3, 30])
def test_matches_equal_ranking_the_whole_pool(shortlist_facts, n):
    gt = gaps(shortlist_facts)
    got = matches(shortlist_facts, gt, n=n)
    want = _brute_force(shortlist_facts, gt, n)
    key = ["community_id", "gap_kind", "gap_item", "resource_id"]
    assert sorted(map(tuple, got[key].values.tolist())) == sorted(
        map(tuple, want[["community_id", "kind", "item", "resource_id"]].values.tolist()))
    assert len(got) == len(want) > 0


def test_matches_never_propose_a_resource_already_linked(facts, gap_table):
    from wushe.graph.analytics.matches import _linked

    m = matches(facts, gap_table, n=30)
    linked = set(map(tuple, _linked(facts)[["community_id", "resource_id"]].values))
    assert not [p for p in zip(m["community_id"], m["resource_id"], strict=True)
                if p in linked]
    # C2's own organizations (based there) and its projects' actors never come back to it
    c2 = set(m.loc[m["community_id"] == "C2", "resource_id"])
    assert c2 and not c2 & {"O2-1", "O2-2", "O2-3"}
    # OT1 serves C1 and C3: offered to neither
    assert "OT1" not in set(m.loc[m["community_id"].isin(["C1", "C3"]), "resource_id"])


def test_reasons_read_ratios_as_percentages(gap_table):
    """C2: 2 of 5 full-time workers certified (40 %) against more than 60 %; 1 of the 10
    element pairs linked (10 %) below 30 %; 3 community organizations against 9."""
    reasons = dict(zip(gap_table.loc[gap_table["community_id"] == "C2", "item"],
                       gap_table.loc[gap_table["community_id"] == "C2", "reason_zh"],
                       strict=False))
    assert reasons["certified_share"] == ("约束性指标「专职社区工作者持证占比」未达标:"
                                          "现值 40.0%,目标 60.0%")
    assert reasons["element_density"] == "要素联动密度10.0%,低于30.0%"
    assert reasons["community_orgs_rural"].endswith("现值 3 个,目标 9 个")
    en = gap_table.loc[(gap_table["community_id"] == "C2")
                       & (gap_table["item"] == "certified_share"), "reason_en"].iloc[0]
    assert en.endswith("not met: 40.0% against 60.0%")


@pytest.mark.store
def test_a_single_broker_is_named_by_name_its_id_kept_as_the_key(tmp_path):
    """In the tiny province of tests/test_app_pages.py, worker W1 (张*明) is M1's
    articulation point: removing it cuts off 2 of the 7 other actors (29 %)."""
    from test_app_pages import tiny_tables

    from wushe.graph.analytics.facts import load_facts
    from wushe.graph.backends.ladybug_store import LadybugStore

    with LadybugStore(tmp_path / "store") as s:
        s.load(tiny_tables(), replace=True)
        table = gaps(load_facts(s))
    row = table[(table["community_id"] == "M1") & (table["kind"] == "single_broker")].iloc[0]
    assert (row["item"], row["item_name"]) == ("W1", "张*明")
    assert row["reason_zh"] == "移除张*明会使本社区协作网络断开,29%的其他主体失去联系(关节点)"
