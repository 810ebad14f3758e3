"""The hostile-statement corpus (tests/hostile_statements.py) against both real engines.

Each statement goes through the console's path (``GraphBackend.query``): it must be refused
or harmless; every statement that names a file, folder or URL must be refused; the store
stays byte-identical (embedded: every file of the folder; Neo4j: nodes, labels, schema,
users); no output or error message holds a canary file's content or /etc/passwd's.

The corpus runs twice per engine: with the lexical first line, and with it switched off,
which shows that the engine's plan (plan_guard) and settings hold on their own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from tests.hostile_statements import BENIGN, HOSTILE
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import QueryRefused, WusheError
from wushe.graph.tables import GraphTables
from wushe.loaders.privacy import hash_sensitive

pytestmark = pytest.mark.store  # every test here opens a real store

MARKER = "wushe-canary-5c1e9d"
PHONE_HASH = hash_sensitive("13800000000", b"corpus-salt")


def corpus_tables() -> GraphTables:
    """Two communities, a project, a volunteer with a hashed phone number."""
    return GraphTables(
        nodes={
            "Community": pd.DataFrame({"id": ["c1", "c2"], "name": ["清波社区", "湖滨村"],
                                       "kind": ["urban", "rural"]}),
            "Project": pd.DataFrame({"id": ["p1"], "name": ["助老食堂"], "year": [2024]}),
            "Volunteer": pd.DataFrame({"id": ["v1"], "name": ["张*明"],
                                       "phone": [PHONE_HASH]}),
        },
        rels={
            "RUNS_IN": pd.DataFrame({"from": ["p1"], "to": ["c1"], "from_label": ["Project"],
                                     "to_label": ["Community"]}),
            "LIVES_IN": pd.DataFrame({"from": ["v1"], "to": ["c1"],
                                      "from_label": ["Volunteer"],
                                      "to_label": ["Community"]}),
        },
    )


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A scratch folder with files whose content is the marker (CSV, Parquet, NumPy)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path_factory.mktemp("canary")
    (d / "canary.csv").write_text(f"a,b\n{MARKER},{MARKER}\n")
    pq.write_table(pa.table({"a": [MARKER]}), d / "x.parquet")
    np.save(d / "x.npy", np.array([5.5]))
    return {"f": str(d / "canary.csv"), "d": str(d), "x": str(d / "written.csv")}


def _fill(stmt: str, canary: dict[str, str]) -> str:
    return stmt.replace("{f}", canary["f"]).replace("{d}", canary["d"]).replace(
        "{x}", canary["x"])


def _names_a_file(stmt: str) -> bool:
    return any(k in stmt for k in ("{f}", "{d}", "{x}", "/etc/passwd", "https://"))


def _run_corpus(store, canary: dict[str, str], state, quick=None) -> dict[str, int]:
    """Run every statement; return counts by outcome. Fails on the first breach.

    ``state`` is compared before and after the whole corpus; ``quick`` (default ``state``)
    after each statement, to name the one that changed the store.
    """
    quick = quick or state
    before, quick_before = state(), quick()
    counts = {"refused": 0, "ran": 0}
    for stmt in HOSTILE:
        text = _fill(stmt, canary)
        try:
            df = store.query(text, timeout_s=10)
        except WusheError as e:
            counts["refused"] += 1
            shown = e.en + e.zh
        else:
            counts["ran"] += 1
            assert not _names_a_file(stmt), f"file statement ran: {stmt!r}"
            shown = df.to_json(force_ascii=False, default_handler=str)
        assert MARKER not in shown, stmt
        assert "root:x:0:0" not in shown, stmt
        assert PHONE_HASH not in shown, stmt
        assert quick() == quick_before, f"store changed by {stmt!r}"
        assert not Path(canary["x"]).exists(), stmt
    assert state() == before
    return counts


def _no_lexical_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wushe.graph.backends.adhoc.check_single_read_statement", lambda c: c)


def _folder_state(folder: Path):
    def state() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.iterdir()) if p.is_file()}
    return state


# -- embedded store -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lb(tmp_path_factory: pytest.TempPathFactory):
    s = LadybugStore(tmp_path_factory.mktemp("hostile") / "store")
    s.load(corpus_tables())
    yield s
    s.close()


def test_corpus_is_large_enough():
    assert len(HOSTILE) >= 100 and len(set(HOSTILE)) == len(HOSTILE)


@pytest.mark.store
def test_ladybug_refuses_or_shrugs_off_every_hostile_statement(lb, canary):
    counts = _run_corpus(lb, canary, _folder_state(lb.path))
    assert counts["refused"] >= 150, counts


@pytest.mark.store
def test_ladybug_plan_guard_holds_without_the_lexical_line(lb, canary, monkeypatch):
    _no_lexical_line(monkeypatch)
    counts = _run_corpus(lb, canary, _folder_state(lb.path))
    assert counts["refused"] >= 140, counts


@pytest.mark.store
@pytest.mark.parametrize("stmt", BENIGN)
def test_ladybug_still_answers_reads(lb, stmt):
    assert isinstance(lb.query(stmt), pd.DataFrame)


@pytest.mark.store
def test_reads_give_known_answers_and_hide_hashes(lb):
    assert lb.query(BENIGN[1])["id"].tolist() == ["c1", "c2"]
    assert lb.query("UNWIND [1, 2, 3] AS x RETURN sum(x) AS s")["s"].tolist() == [6]
    phone = lb.query("MATCH (v:Volunteer) RETURN v.phone AS phone")["phone"].tolist()
    assert phone == ["sha256:(已隐藏 hidden)"]
    node = lb.query("MATCH (v:Volunteer) RETURN v")["v"].iloc[0]
    assert node["phone"] == "sha256:(已隐藏 hidden)" and node["name"] == "张*明"
    # the trusted in-process path (library queries, the loader) still sees the hash
    assert lb.run("MATCH (v:Volunteer) RETURN v.phone AS p")["p"].tolist() == [PHONE_HASH]


# -- Neo4j ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def neo(neo4j_server):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    s = Neo4jStore(neo4j_server.uri)
    s.clear()
    s.load(corpus_tables())
    yield s
    s.clear()
    s.close()


def _neo_state(store):
    def state() -> tuple:
        with store._driver.session() as s:
            nodes = s.run("MATCH (n) RETURN n.id AS id, n.name AS name, labels(n) AS l "
                          "ORDER BY id").values()
            rels = s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n "
                         "ORDER BY t").values()
            labels = s.run("CALL db.labels() YIELD label RETURN label ORDER BY label").values()
            schema = s.run("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name").values()
            index = s.run("SHOW INDEXES YIELD name RETURN name ORDER BY name").values()
            dbs = s.run("SHOW DATABASES YIELD name, currentStatus "
                        "RETURN name, currentStatus ORDER BY name").values()
        return nodes, rels, labels, schema, index, dbs
    return state


def _neo_quick(store):
    def quick() -> tuple:
        with store._driver.session() as s:
            return tuple(s.run("MATCH (n) OPTIONAL MATCH (n)-[r]->() "
                               "RETURN count(DISTINCT n) AS n, count(r) AS r, "
                               "collect(DISTINCT n.name) AS names").single().values())
    return quick


@pytest.mark.neo4j
def test_neo4j_refuses_or_shrugs_off_every_hostile_statement(neo, canary):
    counts = _run_corpus(neo, canary, _neo_state(neo), _neo_quick(neo))
    assert counts["refused"] >= 150, counts


@pytest.mark.neo4j
def test_neo4j_plan_guard_holds_without_the_lexical_line(neo, canary, monkeypatch):
    _no_lexical_line(monkeypatch)
    counts = _run_corpus(neo, canary, _neo_state(neo), _neo_quick(neo))
    assert counts["refused"] >= 140, counts


@pytest.mark.neo4j
@pytest.mark.parametrize("stmt", BENIGN)
def test_neo4j_still_answers_reads(neo, stmt):
    assert isinstance(neo.query(stmt), pd.DataFrame)


@pytest.mark.neo4j
def test_neo4j_server_itself_refuses_file_urls(neo, canary):
    """Past wushe altogether (the driver, a read transaction): the setting refuses it."""
    import neo4j.exceptions

    with neo._driver.session() as s:
        setting = s.run("SHOW SETTINGS YIELD name, value WHERE name = "
                        "'dbms.security.allow_csv_import_from_file_urls' RETURN value").single()
        assert setting["value"] == "false"
        with pytest.raises(neo4j.exceptions.ClientError) as e:
            s.run(f"LOAD CSV FROM 'file://{canary['f']}' AS r RETURN r").data()
    assert MARKER not in str(e.value)


def test_ladybug_refusals_name_the_operator_or_function(lb, canary, monkeypatch):
    _no_lexical_line(monkeypatch)
    cases = {
        "LOAD WITH HEADERS (a STRING, b STRING) FROM '{f}' RETURN *": "READ_CSV",
        "CALL current_setting('threads') RETURN *": "CURRENT_SETTING",
        "CALL threads=1": "STANDALONE_CALL",
        "CALL show_attached_databases() RETURN *": "SHOW_ATTACHED_DATABASES",
    }
    for stmt, name in cases.items():
        with pytest.raises(QueryRefused) as e:
            lb.query(_fill(stmt, canary))
        assert name in e.value.name.upper() and name in e.value.zh and "已拒绝" in e.value.zh


@pytest.mark.neo4j
def test_neo4j_refusals_name_the_operator_or_procedure(neo, canary, monkeypatch):
    _no_lexical_line(monkeypatch)
    cases = {
        "LOAD CSV FROM 'file://{f}' AS r RETURN r": "LoadCSV",
        "SHOW SETTINGS": "ShowSettings",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'": "TerminateTransactions",
        "SHOW USERS": "AdministrationCommand",
        "CALL `dbms`.listConfig() YIELD name RETURN name": "dbms.listConfig",
    }
    for stmt, name in cases.items():
        with pytest.raises(QueryRefused) as e:
            neo.query(_fill(stmt, canary))
        assert e.value.name == name and name in e.value.en and "已拒绝" in e.value.zh
