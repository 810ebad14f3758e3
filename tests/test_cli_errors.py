"""CLI input errors give clear bilingual messages, not tracebacks; Ctrl-C stops a Neo4j
query on the server, not only in the client."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from click.testing import CliRunner

from tests.test_hostile_corpus import corpus_tables
from wushe.app.cli import cli
from wushe.graph.backends.ladybug_store import LadybugStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("clierr") / "store"
    with LadybugStore(path) as s:
        s.load(corpus_tables())
    return str(path)


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.store
@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_of_zero_or_less_is_a_clear_error(store, timeout):
    for query in (["RETURN 1 AS x"], ["--name", "community_elements"]):
        r = _invoke("query", "--store", store, "--timeout", timeout, *query)
        assert r.exit_code == 2 and "Traceback" not in r.output
        assert "超时必须大于 0 秒" in r.output and "more than 0 seconds" in r.output


@pytest.mark.store
def test_a_bad_date_parameter_is_a_clear_error(store):
    r = _invoke("query", "--store", store, "--name", "rated_organizations", "-p", "as_of=notadate")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "as_of" in r.output and "notadate" in r.output and "date" in r.output


@pytest.mark.store
def test_report_takes_one_year_and_refuses_a_reversed_span(store, tmp_path):
    out = tmp_path / "r.md"
    r = _invoke("report", "--store", store, "--years", "2024", "--format", "md", "--out",
                str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8")
    r = _invoke("report", "--store", store, "--years", "2025-2024", "--format", "md",
                "--out", str(out))
    assert r.exit_code == 2 and "2025-2024" in r.output and "起始年-结束年" in r.output


@pytest.mark.store
def test_report_into_a_missing_folder_is_a_clear_error(store, tmp_path):
    out = tmp_path / "missing" / "r.md"
    r = _invoke("report", "--store", store, "--format", "md", "--out", str(out))
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "不存在" in r.output and "does not exist" in r.output
    assert not out.parent.exists()


@pytest.mark.neo4j
def test_ctrl_c_terminates_the_neo4j_query_on_the_server(neo4j_server):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    long_query = ("UNWIND range(1, 100000000) AS a UNWIND range(1, 1000) AS b "
                  "RETURN count(*) AS n")
    with Neo4jStore(neo4j_server.uri) as neo:
        threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        with pytest.raises(KeyboardInterrupt):
            neo.query(long_query, timeout_s=120)
        running = []
        for _ in range(50):  # the server may take a moment to unwind the query
            with neo._driver.session() as s:
                running = s.run("SHOW TRANSACTIONS YIELD currentQuery "
                                "WHERE currentQuery STARTS WITH 'UNWIND range(1, 1000000' "
                                "RETURN currentQuery").values()
            if not running:
                break
            time.sleep(0.1)
        assert running == []
