"""The update rule of a load (``store.load(tables, update=True)``) on both engines.

The tiny hand-drawn graph of tests/browser_util.py is loaded, then a correction that
renames community c2 and moves it from T1 to T2, adds community c4 under T2 and gives only
``id`` and ``name`` of the communities (so their population must stay). Worked by hand:

- c2 is updated (1 Community updated), c4 added;
- PART_OF c2→T1 is removed (c2 is described and its PART_OF is restated): 1 removed;
- c2's other relationships (o1 SERVES c2, o3 BASED_IN c2, p3 RUNS_IN c2) stay;
- populations: c1 5000, c2 4000 (kept), c3 1200, c4 none.
"""

from __future__ import annotations

import pandas as pd
import pytest
from browser_util import tiny_linkage_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.tables import GraphTables


def _correction() -> GraphTables:
    comm = tiny_linkage_tables().nodes["Community"]
    c2 = comm[comm["id"] == "c2"].assign(name="二号社区(新)", population=None)
    c4 = comm[comm["id"] == "c3"].assign(id="c4", name="四号社区", population=None)
    return GraphTables(
        nodes={"Community": pd.concat([c2, c4], ignore_index=True)},
        rels={"PART_OF": pd.DataFrame({"from": ["c2", "c4"], "to": ["T2", "T2"],
                                       "from_label": ["Community"] * 2,
                                       "to_label": ["Township"] * 2})},
        given={"Community": ("id", "name")})


def _check(store) -> None:
    summary = store.load(_correction(), update=True)
    assert summary.updated == {"Community": 1}
    assert summary.removed == {"PART_OF": 1}
    assert summary.added_nodes == 1
    rows = store.run("MATCH (c:Community)-[:PART_OF]->(t:Township) RETURN c.id AS cid, "
                     "c.name AS name, c.population AS pop, t.id AS t ORDER BY cid")
    assert rows["cid"].tolist() == ["c1", "c2", "c3", "c4"]
    assert rows["name"].tolist() == ["一号社区", "二号社区(新)", "三号村", "四号社区"]
    assert rows["t"].tolist() == ["T1", "T2", "T2", "T2"]
    assert rows["pop"].tolist()[:3] == [5000, 4000, 1200] and pd.isna(rows["pop"].iloc[3])
    kept = store.run("MATCH (x)-[r]->(c:Community {id: 'c2'}) "
                     "RETURN x.id AS xid ORDER BY xid")
    assert kept["xid"].tolist() == ["o1", "o3", "p3"]


def _check_restated(store) -> None:
    """A corrected file that lists a stored relationship again (o1 SERVES c2) beside a new
    one (o1 SERVES c3), without describing o1: the stored one is replaced, not doubled."""
    serves = pd.DataFrame({"from": ["o1", "o1"], "to": ["c2", "c3"],
                           "from_label": ["Organization"] * 2, "to_label": ["Community"] * 2})
    summary = store.load(GraphTables(rels={"SERVES": serves}), update=True)
    assert summary.removed == {"SERVES": 1} and summary.counts == {"SERVES": 2}
    rows = store.run("MATCH (o:Organization {id: 'o1'})-[:SERVES]->(c) RETURN c.id AS cid "
                     "ORDER BY cid")
    assert rows["cid"].tolist() == ["c2", "c3"]


@pytest.mark.store
def test_update_load_changes_moves_and_adds_on_ladybug(tmp_path):
    store = LadybugStore(tmp_path / "store")
    store.load(tiny_linkage_tables())
    _check(store)
    _check_restated(store)


@pytest.mark.store
def test_an_update_restating_most_of_the_store_rewrites_it_by_the_same_rule(tmp_path):
    """The rewrite from merged tables (taken when an import gives about as many nodes as
    are stored) gives the worked answers of the in-place update."""
    store = LadybugStore(tmp_path / "store")
    store.rebuild_share = 0.0  # every update takes the rewrite
    store.load(tiny_linkage_tables())
    _check(store)
    _check_restated(store)


@pytest.mark.store
def test_rewrite_and_in_place_update_leave_the_same_graph(tmp_path):
    """The sample graph, corrected by a third of its volunteers (renamed) and their
    memberships restated: both ways of updating store the same tables."""
    from wushe.graph.backends.dump import read_tables
    from wushe.loaders import read_import
    from wushe.sample_data import SAMPLE_DIR

    tables = read_import(SAMPLE_DIR, salt=b"s")
    vols = tables.nodes["Volunteer"].iloc[::3].assign(name="某*")
    member = tables.rels["MEMBER_OF"]
    fix = GraphTables(nodes={"Volunteer": vols.reset_index(drop=True)},
                      rels={"MEMBER_OF": member[member["from"].isin(vols["id"])].iloc[::2]
                            .reset_index(drop=True)},
                      given={"Volunteer": ("id", "name")})
    dumps, summaries = [], []
    for share in (0.0, 10.0):
        store = LadybugStore(tmp_path / f"store{share}")
        store.rebuild_share = share
        store.load(tables)
        summaries.append(store.load(fix, update=True))
        dumps.append(read_tables(store))
        store.close()
    assert summaries[0].updated == summaries[1].updated == {"Volunteer": len(vols)}
    assert summaries[0].removed == summaries[1].removed
    a, b = dumps
    assert sorted(a.nodes) == sorted(b.nodes) and sorted(a.rels) == sorted(b.rels)
    for k in a.nodes:
        pd.testing.assert_frame_equal(a.nodes[k], b.nodes[k])
    for k in a.rels:
        pd.testing.assert_frame_equal(a.rels[k], b.rels[k])
    assert (a.nodes["Volunteer"]["name"] == "某*").sum() == len(vols)


@pytest.mark.store
def test_update_load_without_update_still_refuses_a_stored_id(tmp_path):
    store = LadybugStore(tmp_path / "store")
    store.load(tiny_linkage_tables())
    before = store.version()
    with pytest.raises(RuntimeError):
        store.load(_correction())
    assert store.version() == before


@pytest.mark.neo4j
def test_update_load_changes_moves_and_adds_on_neo4j(neo4j_server):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_server.uri)
    try:
        store.clear()
        store.load(tiny_linkage_tables())
        _check(store)
        _check_restated(store)
    finally:
        store.clear()
        store.close()
