"""Network measures on small hand-drawn graphs (docs/metrics.md §6)."""

import math

import networkx as nx
import pandas as pd
import pytest

from wushe.graph.analytics import (
    adamic_adar,
    betweenness,
    bridge_count,
    bridges,
    brokers,
    community_graph,
    components,
    constraint,
    coparticipation_graph,
    degree,
    linkage_graph,
    louvain,
)


@pytest.fixture
def bowtie():
    """Two triangles a-b-c and c-d-e sharing c, plus a tail e-f."""
    return nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"),
                     ("c", "e"), ("e", "f")])


def test_degree_and_betweenness_of_the_bowtie(bowtie):
    assert degree(bowtie) == {"a": 2, "b": 2, "c": 4, "d": 2, "e": 3, "f": 1}
    bc = betweenness(bowtie, normalized=False)
    # c lies on all paths between {a,b} and {d,e,f}: 2·3 = 6; e on paths f↔{a,b,c,d}: 4
    assert bc == pytest.approx({"a": 0, "b": 0, "c": 6, "d": 0, "e": 4, "f": 0})


def test_betweenness_samples_above_the_size_limit_and_is_seeded():
    g = nx.barabasi_albert_graph(60, 2, seed=1)
    a = betweenness(g, exact_max_nodes=50, k=10, seed=3)
    b = betweenness(g, exact_max_nodes=50, k=10, seed=3)
    assert a == b
    assert a != betweenness(g)  # exact differs from the 10-pivot estimate


def test_brokers_are_articulation_points_by_betweenness(bowtie):
    assert list(brokers(bowtie)) == ["c", "e"]


def test_bridges_and_bridge_count(bowtie):
    assert bridges(bowtie) == [("e", "f")]
    assert bridge_count(bowtie)["e"] == 1 and bridge_count(bowtie)["c"] == 0


def test_constraint_of_a_star_centre_and_leaf():
    g = nx.star_graph(3)  # centre 0, leaves 1..3
    c = constraint(g)
    assert c[0] == pytest.approx(1 / 3)   # 3 · (1/3)²
    assert c[1] == pytest.approx(1.0)     # one contact: fully constrained


def test_components_numbered_from_largest():
    g = nx.Graph([(1, 2), (3, 4), (4, 5)])
    g.add_node(6)
    assert components(g) == {3: 0, 4: 0, 5: 0, 1: 1, 2: 1, 6: 2}


def test_louvain_splits_two_cliques_joined_by_one_edge():
    g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    g.add_edge(0, 4)
    parts = louvain(g, seed=7)
    assert parts == louvain(g, seed=7)
    assert len(set(parts.values())) == 2
    assert parts[1] == parts[2] == parts[3] and parts[5] == parts[6] == parts[7]


def test_adamic_adar_counts_shared_neighbours():
    g = nx.Graph([("x", "z1"), ("y", "z1"), ("x", "z2"), ("y", "z2"), ("z2", "w")])
    # z1 has degree 2, z2 degree 3
    assert adamic_adar(g, [("x", "y")])[("x", "y")] == pytest.approx(
        1 / math.log(2) + 1 / math.log(3))
    assert adamic_adar(g, [("x", "missing")])[("x", "missing")] == 0.0


def test_coparticipation_and_linkage_graph_from_query_rows():
    rows = pd.DataFrame({"community_id": ["C", "C", "C", "C"],
                         "project_id": ["P", "P", "Q", "Q"],
                         "actor_id": ["a", "b", "b", "c"]})
    g = coparticipation_graph(rows)
    assert sorted(g.edges()) == [("a", "b"), ("b", "c")]
    lg = linkage_graph(rows, pd.DataFrame({"resource_id": ["d"], "community_id": ["C"]}))
    assert set(lg["C"]) == {"a", "b", "c", "d"}


def test_community_graph_weights_are_shared_orgs():
    g = community_graph(pd.DataFrame({"source": ["C1"], "target": ["C2"], "shared_orgs": [2]}))
    assert g["C1"]["C2"]["weight"] == 2
