"""The wushe command line, run in-process with CliRunner on real files and stores."""

import json

import pytest
from click.testing import CliRunner

from wushe.app.cli import cli

pytestmark = pytest.mark.store


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "p"
    result = CliRunner().invoke(cli, ["generate", str(out), "--seed", "1", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    return out


def test_generate_load_query_prints_the_generated_community_count(runner, generated, tmp_path):
    store = tmp_path / "s"
    communities = sum(1 for _ in (generated / "Community.csv").open(encoding="utf-8")) - 1
    result = runner.invoke(cli, ["load", str(generated), "--store", str(store)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["query", "--store", str(store),
                                 "MATCH (c:Community) RETURN count(c) AS n", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"n\n{communities}\n"


def test_named_query_with_params_as_json(runner, generated, tmp_path):
    store = tmp_path / "s"
    assert runner.invoke(cli, ["load", str(generated), "--store", str(store)]).exit_code == 0
    result = runner.invoke(cli, ["query", "--store", str(store), "--name", "count_by_label",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["label"]: r["n"] for r in json.loads(result.stdout)}
    with (generated / "Community.csv").open(encoding="utf-8") as fh:
        assert rows["Community"] == sum(1 for _ in fh) - 1


def test_invalid_import_exits_non_zero_with_located_message_and_writes_nothing(runner, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "Community.csv").write_text("id,name,kind\nc1,清波社区,city\n", encoding="utf-8")
    store = tmp_path / "s"
    result = runner.invoke(cli, ["load", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert "Community.csv" in result.output and "city" in result.output
    result = runner.invoke(cli, ["query", "--store", str(store), "--format", "csv",
                                 "MATCH (c:Community) RETURN count(c) AS n"])
    assert result.stdout == "n\n0\n"


@pytest.fixture
def empty_store(tmp_path):
    from wushe.graph.backends.ladybug_store import LadybugStore

    LadybugStore(tmp_path / "s").close()
    return tmp_path / "s"


def test_query_on_a_folder_without_a_store_says_how_to_load_and_creates_nothing(runner,
                                                                                tmp_path):
    result = runner.invoke(cli, ["query", "--store", str(tmp_path / "typo"),
                                 "MATCH (c:Community) RETURN count(c) AS n"])
    assert result.exit_code == 1 and "wushe load" in result.output
    assert not (tmp_path / "typo").exists()


def test_write_query_is_refused_without_traceback(runner, empty_store):
    result = runner.invoke(cli, ["query", "--store", str(empty_store),
                                 "CREATE (:City {id: 'x', name: 'x'})"])
    assert result.exit_code == 1
    assert "只读" in result.output and "Traceback" not in result.output


def test_unknown_named_query_suggests_a_name(runner, empty_store):
    result = runner.invoke(cli, ["query", "--store", str(empty_store), "--name",
                                 "count_by_lable"])
    assert result.exit_code == 1 and "count_by_label" in result.output


def test_bad_param_syntax_is_a_usage_error(runner, empty_store):
    result = runner.invoke(cli, ["query", "--store", str(empty_store), "--name",
                                 "community_actors", "--param", "community_id"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_schema_lists_every_label_in_english(runner):
    from wushe.graph.schema import SCHEMA

    result = runner.invoke(cli, ["schema", "--lang", "en"])
    assert result.exit_code == 0
    for n in SCHEMA.nodes:
        assert f"(:{n.name}) {n.en}" in result.output


def test_the_cli_asks_for_the_neo4j_password_and_the_store_never_does(runner, monkeypatch):
    from wushe.graph.backends.neo4j_store import Neo4jStore
    from wushe.graph.errors import Neo4jConnectionError

    monkeypatch.setenv("WUSHE_NEO4J_USER", "alice")
    monkeypatch.delenv("WUSHE_NEO4J_PASSWORD", raising=False)
    # Even at a terminal the store only says what to set.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    with pytest.raises(Neo4jConnectionError, match="Set WUSHE_NEO4J_PASSWORD"):
        Neo4jStore.from_env("neo4j://127.0.0.1:1")
    # The CLI asks (port 1: nothing listens, so the connection then fails cleanly).
    monkeypatch.setattr("wushe.app.cli._interactive", lambda: True)
    result = runner.invoke(cli, ["query", "RETURN 1", "--store", "neo4j://127.0.0.1:1"],
                           input="s3cret\n")
    assert "password for 'alice'" in result.output
    assert "s3cret" not in result.output
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_query_formats_gexf_and_graphml_read_back_with_networkx(runner, sample_ladybug,
                                                                tmp_path):
    import networkx as nx

    store = str(sample_ladybug.path)
    cypher = ("MATCH p = (c:Community {code: '330106002001'})-[:PART_OF]->(t:Township) "
              "RETURN p")
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        out = tmp_path / f"q.{fmt}"
        result = runner.invoke(cli, ["query", "--store", store, "--format", fmt, "--out",
                                     str(out), cypher])
        assert result.exit_code == 0, result.output
        g = read(out)
        assert sorted(g.nodes) == ["comm-330106002001", "town-330106002"]
        assert g.nodes["town-330106002"]["kind"] == "street"  # the township's own kind
    result = runner.invoke(cli, ["query", "--store", store, "--format", "gexf",
                                 "RETURN 1 AS x"])
    assert result.exit_code != 0 and "RETURN n, r, p" in result.output


def test_query_csv_and_json_are_readable_by_other_tools(runner, sample_ladybug):
    store = str(sample_ladybug.path)
    cypher = ("MATCH (p:Project {id: 'prj-000001'}) RETURN p.start_date AS d, "
              "p.year = 2023 AS y, [p.scenario] AS l, 0.0 / 0.0 AS nan")
    csv = runner.invoke(cli, ["query", "--store", store, "--format", "csv", cypher])
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines() == ["d,y,l,nan", '2023-06-25,true,"[""孤困儿童关爱""]",']
    js = runner.invoke(cli, ["query", "--store", store, "--format", "json", cypher])
    assert json.loads(js.output) == [{"d": "2023-06-25", "y": True, "l": ["孤困儿童关爱"],
                                      "nan": None}]


def test_export_region_writes_its_subgraph_for_gephi(runner, sample_ladybug, tmp_path):
    import networkx as nx

    out = tmp_path / "r.gexf"
    result = runner.invoke(cli, ["export", "--store", str(sample_ladybug.path), "--region",
                                 "town-330106004", "--out", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out)
    # sample_data: 7 communities in 西溪街道, each PART_OF it
    communities = [n for n, a in g.nodes(data=True) if a["schema_label"] == "Community"]
    assert len(communities) == 7
    assert g.nodes["town-330106004"]["kind"] == "street"
    assert all(g.has_edge(c, "town-330106004") for c in communities)
    by_name = runner.invoke(cli, ["export", "--store", str(sample_ladybug.path), "--region",
                                  "西溪街道", "--format", "graphml", "--out",
                                  str(tmp_path / "r.graphml")])
    assert by_name.exit_code == 0, by_name.output
    assert nx.read_graphml(tmp_path / "r.graphml").number_of_nodes() == g.number_of_nodes()


def test_query_table_shows_nested_values_as_json(runner, sample_ladybug):
    result = runner.invoke(cli, ["query", "--store", str(sample_ladybug.path),
                                 "MATCH (y:City) RETURN labels(y) AS l, [y.code] AS codes"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split() == ['["City"]', '["3301"]']
