"""The network map on the hand-drawn graph of tests/browser_util.py, read from a real Ladybug store.

Worked by hand for community c1 (all years):
- p1 actors {c1, o1, w1, v1, v2, f1}, p2 actors {o1, v1, f1} → 15 actor pairs; o1–v1, o1–f1,
  v1–f1 share two projects (weight 2), the other 12 pairs one;
- with the community's members (community_members) o2 and pc1 join as isolated actors:
  8 actors, 15 links;
- volunteers v1, v2 are members of o2: aggregated into "vgroup:o2" the map has 7 actors and
  the group shares p1 and p2 with o1 and f1 (weight 2).
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from browser_util import tiny_linkage_tables

from wushe.app import netmap as M
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import FocusNotFound
from wushe.queries import registry

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LadybugStore:
    s = LadybugStore(tmp_path_factory.mktemp("netmap") / "store")
    s.load(tiny_linkage_tables(), replace=True)
    return s


def _sub(store: LadybugStore, name: str, **params: object) -> nx.MultiDiGraph:
    q = registry.get(name)
    return store.subgraph(q.cypher_for(store.engine), q.bind(params))


@pytest.fixture(scope="module")
def c1(store: LadybugStore) -> nx.MultiDiGraph:
    return nx.compose(_sub(store, "community_linkage", community_id="c1"),
                      _sub(store, "community_members", community_id="c1"))


def _weights(H: nx.Graph) -> dict[frozenset, int]:
    return {frozenset((u, v)): d["weight"] for u, v, d in H.edges(data=True)}


def test_community_linkage_query_returns_projects_roles_needs_and_teams(store) -> None:
    G = _sub(store, "community_linkage", community_id="c1")
    assert sorted(G.nodes) == ["c1", "f1", "n1", "o1", "o2", "p1", "p2", "v1", "v2", "w1"]
    assert G.number_of_edges() == 14
    assert G.nodes["p1"]["scenario"] == "一老一小" and G.nodes["v1"]["name"] == "李*"
    only_2025 = _sub(store, "community_linkage", community_id="c1", year_from=2025)
    assert sorted(n for n, a in only_2025.nodes(data=True) if a["label"] == "Project") == ["p2"]


def test_township_and_organization_queries(store) -> None:
    T1 = _sub(store, "township_linkage", township_id="T1")
    assert sorted(n for n, a in T1.nodes(data=True) if a["label"] == "Project") == [
        "p1", "p2", "p3"]
    one = _sub(store, "organization_neighbourhood", organization_id="o1")
    assert sorted(one.nodes) == ["c1", "c2", "o1", "p1", "p2", "p3"]
    two = _sub(store, "organization_neighbourhood", organization_id="o1", hops=2)
    assert {"v1", "w1", "f1", "n1", "pc1", "o3"} <= set(two.nodes)
    assert "T1" not in two  # the second hop does not climb PART_OF


def test_linkage_projection_weights_are_shared_projects(c1) -> None:
    H = M.linkage_projection(c1)
    assert sorted(H.nodes) == ["c1", "f1", "o1", "o2", "pc1", "v1", "v2", "w1"]
    w = _weights(H)
    assert len(w) == 15
    assert {frozenset(k) for k, v in w.items() if v == 2} == {
        frozenset(("o1", "v1")), frozenset(("o1", "f1")), frozenset(("v1", "f1"))}
    assert H.edges["o1", "v1"]["projects"] == ["p1", "p2"]
    assert H.degree("o2") == 0 and H.degree("pc1") == 0


def test_raw_projection_merges_parallel_relationships(c1) -> None:
    H = M.raw_projection(c1)
    assert H.number_of_nodes() == 11 and H.number_of_edges() == 20
    # p1 runs in c1 and c1 initiated p1: one drawn edge with both types
    assert H.edges["c1", "p1"]["types"] == ["INITIATED", "RUNS_IN"]
    assert H.edges["c1", "p1"]["weight"] == 2


def test_aggregate_volunteers_into_their_team(c1) -> None:
    A, n = M.aggregate_volunteers(c1)
    assert n == 2
    assert "v1" not in A and A.nodes["vgroup:o2"]["count"] == 2
    assert A.nodes["vgroup:o2"]["hours_12m"] == 52.5
    H = M.linkage_projection(A)
    assert H.number_of_nodes() == 7
    assert H.edges["vgroup:o2", "o1"]["weight"] == 2 and H.edges["vgroup:o2", "w1"]["weight"] == 1


def test_filters_hide_and_highlight(c1) -> None:
    hide = M.build_map(c1, M.MapOptions(scenarios=frozenset({"睦邻文化"})))
    # only p2 passes: its actors o1, v1, f1; actors whose projects all failed are dropped,
    # actors with no project (o2, pc1) stay
    assert sorted(hide.graph.nodes) == ["f1", "o1", "o2", "pc1", "v1"]
    assert _weights(hide.graph) == {frozenset(("o1", "v1")): 1, frozenset(("o1", "f1")): 1,
                                    frozenset(("v1", "f1")): 1}
    hl = M.build_map(c1, M.MapOptions(elements=frozenset({"organization"}),
                                      filter_mode="highlight"))
    assert hl.graph.number_of_nodes() == 8
    dimmed = sorted(n for n, a in hl.graph.nodes(data=True) if a["dimmed"])
    assert dimmed == ["c1", "f1", "pc1", "v1", "v2", "w1"]
    assert hl.graph.nodes["v1"]["color"] == M.DIMMED
    assert hl.graph.nodes["o1"]["color"] == M.ELEMENT_COLOURS["organization"]
    cat = M.build_map(c1, M.MapOptions(categories=frozenset({"志愿"})))
    assert "o1" not in cat.graph and "o2" in cat.graph and "w1" in cat.graph
    years = M.build_map(c1, M.MapOptions(years=(2024, 2024)))
    assert sorted(years.graph.nodes) == ["c1", "f1", "o1", "o2", "pc1", "v1", "v2", "w1"]
    assert _weights(years.graph)[frozenset(("o1", "v1"))] == 1


def test_focus_and_hops(c1) -> None:
    H = M.raw_projection(c1)
    assert sorted(M.focus_graph(H, "n1", 1).nodes) == ["n1", "p1"]
    assert sorted(M.focus_graph(H, "n1", 2).nodes) == ["c1", "f1", "n1", "o1", "p1", "v1", "v2",
                                                      "w1"]
    with pytest.raises(FocusNotFound, match="'nobody' is not on the map") as e:
        M.focus_graph(H, "nobody", 1)
    assert e.value.message("zh").startswith("聚焦节点「nobody」不在当前图中")


def test_cap_aggregates_volunteers_then_collapses_lowest_degree(c1) -> None:
    view = M.build_map(c1, M.MapOptions(cap=7))
    # 8 actors > 7: volunteers merge into their team, which is enough
    assert view.aggregated_volunteers == 2 and view.collapsed == {}
    assert view.graph.number_of_nodes() == 7
    assert "2 volunteers" in view.notes[0].en
    view = M.build_map(c1, M.MapOptions(cap=5))
    # after aggregation, weighted degrees: f1 6, o1 6, vgroup:o2 6, c1 4, w1 4, o2 0, pc1 0.
    # Keeping k nodes costs k + (kinds among the rest) slots: k=2 needs 2+4, k=1 needs 1+4.
    assert sorted(view.graph.nodes) == ["f1", "more:community", "more:organization",
                                        "more:volunteer", "more:worker"]
    assert view.collapsed == {"organization": 2, "volunteer": 1, "community": 2, "worker": 1}
    assert view.graph.edges["f1", "more:organization"]["weight"] == 2  # o1 (2) + o2 (0)
    assert "the 6 least-connected nodes are collapsed" in view.notes[-1].en


def test_cap_graph_on_a_star_keeps_the_hub_and_counts_the_rest() -> None:
    S = nx.star_graph(10)
    nx.set_node_attributes(S, "Volunteer", "label")
    K, collapsed = M.cap_graph(S, 4)
    # one "+N" node for the single kind: the hub and two leaves (lowest ids as text) are kept
    assert sorted(map(str, K.nodes)) == ["0", "1", "10", "more:volunteer"]
    assert collapsed == {"volunteer": 8}
    assert K.nodes["more:volunteer"]["name"] == "+8 社区志愿者"
    assert K.edges["more:volunteer", 0]["weight"] == 8


def test_sizes_colours_and_layout_are_reproducible(c1) -> None:
    H = M.linkage_projection(c1)
    sizes = M.size_nodes(H)
    # degree: o1, f1, v1 have 5; o2, pc1 have 0
    assert sizes["o1"] == 40.0 and sizes["o2"] == 10.0
    metric = M.size_nodes(H, "metric", {"pc1": 9.0})
    assert metric["pc1"] == 40.0 and metric["o1"] == 10.0
    M.colour_nodes(H)
    assert H.nodes["f1"]["color"] == M.ELEMENT_COLOURS["charity"]
    assert H.nodes["pc1"]["element"] == "community"
    assert M.layout(H, seed=3) == M.layout(H.copy(), seed=3)


def test_layout_of_a_big_graph_places_every_node() -> None:
    B = nx.barabasi_albert_graph(2000, 2, seed=1)
    B.add_nodes_from(range(2000, 2010))  # isolated nodes go on the grid
    pos = M.layout(B)
    assert len(pos) == 2010 and len(set(pos.values())) == 2010


def test_pyvis_html_has_legend_tooltips_and_no_cdn(c1) -> None:
    view = M.build_map(c1, M.MapOptions(cap=7))
    html = M.to_pyvis_html(view.graph, lang="en", notes=view.notes)
    assert 'id="wushe-legend"' in html
    for name in ("Community", "Social organization", "Social worker", "Community volunteer",
                 "Charity resource"):
        assert name in html.split('id="mynetwork"')[0]
    assert "2 volunteers are shown merged" in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html
    assert '"physics": {"enabled": true' in html  # 7 nodes: physics on
    assert "neighbourhoodHighlight" in html or "neighbourhood" in html.lower()
    zh = M.to_pyvis_html(M.linkage_projection(c1), lang="zh")
    # tooltips travel JSON-encoded inside the page's script
    assert "图例" in zh and json.dumps("阳光服务中心 (社会组织)")[1:-1] in zh


def test_physics_is_off_above_the_documented_size() -> None:
    B = nx.barabasi_albert_graph(M.PHYSICS_MAX_NODES + 1, 1, seed=1)
    html = M.to_pyvis_html(B)
    assert '"physics": {"enabled": false' in html


def test_graph_from_pairs_and_node_table() -> None:
    import pandas as pd

    df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "shared_orgs": [2, 1],
                       "sn": ["甲", "乙"], "tn": ["乙", "丙"]})
    H = M.graph_from_pairs(df, weight="shared_orgs", names=("sn", "tn"))
    assert _weights(H) == {frozenset("ab"): 2, frozenset("bc"): 1}
    assert H.nodes["c"]["name"] == "丙"
    table = M.node_table(H, "b")
    assert dict(zip(table["property"], table["value"], strict=True)) == {
        "id": "b", "label": "Community", "name": "乙", "degree": "2"}


def test_node_details_read_yes_and_no_in_the_reader_s_language(c1) -> None:
    """o1 of browser_util's graph is a community social organization, not a volunteer team."""
    zh = M.node_table(c1, "o1", "zh").set_index("属性")["值"]
    assert (zh["是否社区社会组织"], zh["是否志愿服务类"]) == ("是", "否")
    en = M.node_table(c1, "o1", "en").set_index("Property")["Value"]
    assert "yes" in set(en) and "True" not in set(en)
