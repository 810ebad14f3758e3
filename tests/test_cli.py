"""The wushe command line, run in-process with CliRunner on real files and stores."""

import json

import pytest
from click.testing import CliRunner

from wushe.app.cli import cli


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
