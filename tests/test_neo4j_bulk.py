"""The offline bulk import gives the graph the Bolt load gives, and only into an empty database.

Against the real local Neo4j: a fresh server folder is filled by Neo4j's importer, the
session server by the Bolt load, and both graphs are read back whole.
"""

import datetime as dt
from pathlib import Path

import neo4j
import pandas as pd
import pytest

from tests.test_ladybug_store import _tables
from wushe.graph.backends.neo4j_bulk import bulk_load, write_import_files
from wushe.graph.backends.neo4j_local import LocalNeo4j, detach, running_server, stop_pid
from wushe.graph.backends.neo4j_store import Neo4jStore
from wushe.graph.errors import StoreError
from wushe.graph.tables import GraphTables

pytestmark = [pytest.mark.neo4j, pytest.mark.timeout(600)]


def _tricky() -> GraphTables:
    """The store tests' small graph plus values a CSV could get wrong."""
    t = _tables()
    t.nodes["Community"] = pd.DataFrame({
        "id": ["c1", "c2", "c3"],
        "name": ["清波社区", '湖滨"村",东', "第一行\n第二行"],
        "code": ["330102001001", "", None],  # an empty string is not a null
        "kind": ["urban", "rural", "urban"], "population": [3000, None, 2**40]})
    t.nodes["Organization"] = pd.DataFrame({
        "id": ["o1", "o2"], "name": ["助老服务社", " 前后空格 "],
        "is_community_org": [True, False], "is_volunteer_service": [None, True],
        "rating_expiry": [dt.date(2027, 6, 30), None], "staff": [3, None]})
    t.nodes["Volunteer"] = pd.DataFrame({"id": ["v1", "v2"], "name": ["张*明", "李*"],
                                         "hours_12m": [0.1, 1 / 3]})
    t.rels["BASED_IN"] = pd.DataFrame({"from": ["o1", "o2"], "to": ["c1", "c2"],
                                       "from_label": ["Organization"] * 2,
                                       "to_label": ["Community"] * 2})
    t.rels["SERVES_IN"] = pd.DataFrame({"from": ["v1", "v2"], "to": ["p1", "p1"],
                                        "from_label": ["Volunteer"] * 2,
                                        "to_label": ["Project"] * 2, "hours": [2.5, None]})
    return t


def _dump(uri: str) -> tuple[list, list]:
    """Every node and relationship, with labels, types and typed property values."""
    with neo4j.GraphDatabase.driver(uri) as d, d.session() as s:
        nodes = s.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p "
                      "ORDER BY n.id").data()
        rels = s.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                     "properties(r) AS p ORDER BY a, t, b").data()
    return nodes, rels


def test_bulk_import_gives_the_graph_the_bolt_load_gives(tmp_path: Path, neo4j_server):
    tables = _tricky()
    bolt = Neo4jStore(neo4j_server.uri)
    bolt.clear()
    bolt.load(tables, replace=True)
    want = _dump(neo4j_server.uri)
    bolt.clear()
    bolt.close()

    result = bulk_load(tables, tmp_path / "neo4j")
    try:
        nodes, rels = _dump(result.server.uri)
        assert (nodes, rels) == want
        # hand-checked: 3 communities, 1 foundation, 2 organizations, 1 project,
        # 2 volunteers; 2 FUNDS + 1 RUNS_IN + 2 BASED_IN + 2 SERVES_IN
        assert [n["l"] for n in nodes].count(["Community"]) == 3 and len(nodes) == 9
        assert len(rels) == 7
        by_id = {n["p"]["id"]: n["p"] for n in nodes}
        assert by_id["c2"] == {"id": "c2", "name": '湖滨"村",东', "code": "", "kind": "rural"}
        assert by_id["c3"]["name"] == "第一行\n第二行" and by_id["c3"]["population"] == 2**40
        assert by_id["o2"] == {"id": "o2", "name": " 前后空格 ", "is_community_org": False,
                               "is_volunteer_service": True}
        assert by_id["o1"]["rating_expiry"] == neo4j.time.Date(2027, 6, 30)
        assert by_id["v2"]["hours_12m"] == 1 / 3
        assert [r["p"] for r in rels if r["t"] == "SERVES_IN"] == [{"hours": 2.5}, {}]
        store = Neo4jStore(result.server.uri)
        try:  # the id constraints exist, and the load is a version
            with pytest.raises(StoreError, match="already in the store"):
                store.load(GraphTables(nodes={"Community": pd.DataFrame(
                    {"id": ["c1"], "name": ["重复"]})}))
            assert store.current_version().load_counts["Community"] == 3
        finally:
            store.close()
    finally:
        result.server.stop()


def test_bulk_import_refuses_a_database_that_holds_data(tmp_path: Path):
    server = LocalNeo4j(tmp_path / "neo4j").start()
    pid = detach(server)  # as 'wushe neo4j start' leaves it
    try:
        store = Neo4jStore(server.uri)
        store.load(_tables())
        store.close()
        with pytest.raises(StoreError) as err:
            bulk_load(_tricky(), tmp_path / "neo4j")
        assert "4 node(s)" in err.value.en and "已有 4 个节点" in err.value.zh
        # asked through Bolt, refused before stopping: the same server, the same graph
        assert running_server(tmp_path / "neo4j").pid == pid
        assert len(_dump(server.uri)[0]) == 4
    finally:
        stop_pid(pid)


def test_import_files_name_id_spaces_and_types(tmp_path: Path):
    args = write_import_files(_tricky(), tmp_path)
    head = (tmp_path / "n-Community.header.csv").read_text()
    assert head == ("id:ID(Community),name,code,kind,population:long,households:long,"
                    "complex_star:long,fulltime_workers:long,certified_workers:long\n")
    assert (tmp_path / "r-SERVES_IN-Volunteer-Project.header.csv").read_text() == (
        ":START_ID(Volunteer),:END_ID(Project),hours:double\n")
    assert (tmp_path / "n-Community.csv").read_text().splitlines()[1] == (
        '"c2","湖滨""村"",东","","rural",,,,,')
    assert args[-1] == "--multiline-fields=true"  # c3's name spans two lines


def test_cli_refuses_invalid_input_before_touching_the_server(tmp_path: Path):
    from click.testing import CliRunner

    from wushe.app.cli import cli

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "Community.csv").write_text("id,name,kind\nc1,清波社区,city\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["neo4j", "import", str(bad), "--data",
                                      str(tmp_path / "neo4j")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Community.csv" in result.output and "city" in result.output
    assert not (tmp_path / "neo4j").exists()  # no server started, no folder made


def test_a_failed_import_leaves_an_empty_database(tmp_path: Path):
    tables = _tables()  # a relationship to a community that is not there (validation would
    tables.rels["RUNS_IN"] = pd.DataFrame({  # refuse it; the importer stops on it too)
        "from": ["p1"], "to": ["c9"], "from_label": ["Project"], "to_label": ["Community"]})
    with pytest.raises(StoreError) as err:
        bulk_load(tables, tmp_path / "neo4j")
    assert "importer failed" in err.value.en and "导入程序失败" in err.value.zh
    with LocalNeo4j(tmp_path / "neo4j") as server:
        assert _dump(server.uri) == ([], [])
