"""The console is read-only on both stores: the lexical filter refuses every write/admin
form, and with the filter monkeypatched away the engine's read-only mode still refuses the
writes (Ladybug opened read-only, Neo4j read transactions). Timeouts and row limits hold.

Findings recorded here (see docs/security.md): on Ladybug 0.22 the read-only database does
NOT stop ``COPY (…) TO 'file'`` (it writes the file), ``LOAD FROM 'file'`` (reads any file
the process can read), ``EXPORT DATABASE``, ``INSTALL`` (downloads) or ``CHECKPOINT``
(leaves ``.shadow``/``.wal`` files beside the live database); for those the
filter in graph/readonly.py is the barrier, and its tests below must keep passing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.test_ladybug_store import _tables
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import QueryError, ReadOnlyViolation, WusheError
from wushe.graph.readonly import check_single_read_statement

pytestmark = pytest.mark.store

COMMUNITY = "(:Community {id: 'x', name: 'x', kind: 'urban'})"
# Refused by the filter on both stores.
COMMON_ATTACKS = [
    f"CREATE {COMMUNITY}",
    "MERGE (c:Community {id: 'x'}) RETURN c",
    "MATCH (c:Community) SET c.name = 'x'",
    "MATCH (c:Community) DELETE c",
    "MATCH (c:Community) DETACH DELETE c",
    "MATCH (c:Community) REMOVE c.name",
    "cReAtE (:Community {id: 'x'})",                          # case
    f"MATCH (n) RETURN count(n); CREATE {COMMUNITY}",          # two statements
    f"MATCH (n) RETURN count(n) /* harmless */ ; CREATE {COMMUNITY}",
    f"/* comment */ CREATE {COMMUNITY} // trailing",           # comments around
    f"MATCH (n) RETURN n //\n CREATE {COMMUNITY}",             # keyword after a line comment
    f"MATCH (n) WHERE n.name = '/*' CREATE {COMMUNITY} RETURN '*/'",  # comment splitting
    f"/* unterminated CREATE {COMMUNITY}",
    f"MATCH (n) RETURN n;\n;CREATE {COMMUNITY}",
    "MATCH (c:Community) FOREACH (x IN [1] | SET c.name = 'x')",
    "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
    "load csv from 'file:///etc/passwd' as r return r",
    "DROP TABLE RUNS_IN",
    "MATCH (c) WITH c CALL { WITH c SET c.name = 'x' } RETURN 1",
]
LADYBUG_ATTACKS = [
    "COPY Community FROM '/tmp/x.csv'",
    "COPY (MATCH (c:Community) RETURN c.id) TO '/tmp/wushe-leak.csv'",
    "LOAD FROM '/etc/hostname' (header=false) RETURN *",
    "ATTACH '/tmp/other.lbug' AS o (dbtype lbug)",
    "INSTALL httpfs",
    "LOAD EXTENSION httpfs",
    "EXPORT DATABASE '/tmp/wushe-export'",
    "IMPORT DATABASE '/tmp/wushe-export'",
    "ALTER TABLE Community ADD extra STRING",
    "CREATE MACRO evil(x) AS x",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "DETACH DATABASE o",
    "USE o",
]
NEO4J_ATTACKS = [
    "CALL db.createLabel('Evil')",
    "CALL db.createProperty('evil')",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CREATE INDEX evil FOR (n:Community) ON (n.name)",
    "DROP CONSTRAINT evil IF EXISTS",
    "CALL apoc.create.node(['Evil'], {})",
]
# Writes the engine itself refuses when the filter is gone (state checked unchanged).
ENGINE_REFUSES_LADYBUG = [
    f"CREATE {COMMUNITY}",
    "MERGE (c:Community {id: 'x'}) RETURN c",
    "MATCH (c:Community) SET c.name = 'x'",
    "MATCH (c:Community) DELETE c",
    "MATCH (c:Community) DETACH DELETE c",
    "DROP TABLE RUNS_IN",
    "ALTER TABLE Community ADD extra STRING",
    "CREATE MACRO evil(x) AS x",
    "COPY Community FROM '/tmp/x.csv'",
    "ATTACH '/tmp/other.lbug' AS o (dbtype lbug)",
    f"MATCH (n) RETURN count(n); CREATE {COMMUNITY}",
]
ENGINE_REFUSES_NEO4J = [
    f"CREATE {COMMUNITY}",
    "MERGE (c:Community {id: 'x'}) RETURN c",
    "MATCH (c:Community) SET c.name = 'x'",
    "MATCH (c:Community) DETACH DELETE c",
    "MATCH (c:Community) REMOVE c.name",
    "MATCH (c) WITH c CALL { WITH c SET c.name = 'x' } RETURN 1",
    "CALL db.createLabel('Evil')",
    "CALL db.createProperty('evil')",
    "CREATE INDEX evil FOR (n:Community) ON (n.name)",
    "DROP CONSTRAINT community_id IF EXISTS",
]
ALLOWED = [
    "MATCH (c:Community) RETURN c.id AS id ORDER BY id",
    "MATCH (c:Community) WHERE c.name <> 'CREATE (x)' RETURN c.id AS id ORDER BY id",
    "MATCH (c:Community) RETURN c.id AS id /* DELETE */ ORDER BY id // SET",
    "MATCH (c:Community) WHERE c.name <> '/*' RETURN c.id AS id ORDER BY id;",
]


@pytest.mark.parametrize("cypher", COMMON_ATTACKS + LADYBUG_ATTACKS + NEO4J_ATTACKS)
def test_filter_refuses_every_write_and_admin_form(cypher):
    with pytest.raises((ReadOnlyViolation, WusheError)):
        check_single_read_statement(cypher)


@pytest.mark.parametrize("cypher", ALLOWED)
def test_filter_lets_reads_with_keywords_in_strings_and_comments_through(cypher):
    assert check_single_read_statement(cypher) == cypher


def _folder_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def lb_store(tmp_path):
    s = LadybugStore(tmp_path / "store")
    s.load(_tables())
    yield s
    s.close()


@pytest.mark.parametrize("cypher", COMMON_ATTACKS + LADYBUG_ATTACKS)
def test_ladybug_console_refuses_and_changes_nothing(lb_store, cypher):
    before = _folder_hashes(lb_store.path)
    with pytest.raises(WusheError):
        lb_store.query(cypher)
    assert _folder_hashes(lb_store.path) == before
    assert not Path("/tmp/wushe-leak.csv").exists()


@pytest.mark.parametrize("cypher", ENGINE_REFUSES_LADYBUG)
def test_ladybug_read_only_engine_refuses_writes_without_the_filter(lb_store, cypher,
                                                                    monkeypatch):
    monkeypatch.setattr("wushe.graph.backends.ladybug_store.check_single_read_statement",
                        lambda c: c)
    before = _folder_hashes(lb_store.path)
    with pytest.raises((ReadOnlyViolation, QueryError)):
        lb_store.run(cypher)
    assert _folder_hashes(lb_store.path) == before
    assert lb_store.count_by_label()["Community"] == 2


def test_ladybug_engine_refusal_is_reported_as_read_only(lb_store, monkeypatch):
    monkeypatch.setattr("wushe.graph.backends.ladybug_store.check_single_read_statement",
                        lambda c: c)
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        lb_store.run(f"CREATE {COMMUNITY}")


def test_ladybug_long_query_stops_at_the_timeout(lb_store):
    import time

    t0 = time.perf_counter()
    with pytest.raises(QueryError, match="(?i)interrupt|timeout"):
        lb_store.run("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b "
                     "UNWIND range(1, 3000) AS c RETURN sum(a * b + c) AS n", timeout_s=1)
    assert time.perf_counter() - t0 < 5


def test_ladybug_rows_stop_at_the_row_limit(lb_store):
    df = lb_store.run("UNWIND range(1, 5000) AS i RETURN i", row_limit=100)
    assert len(df) == 100 and df["i"].tolist()[-1] == 100 and df.attrs["truncated"] is True


# -- Neo4j -----------------------------------------------------------------------------


@pytest.fixture
def neo(neo4j_server):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    s = Neo4jStore(neo4j_server.uri)
    s.clear()
    s.load(_tables())
    yield s
    s.close()


def _neo_state(store) -> tuple:
    nodes = store.run("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id")
    labels = store.run("CALL db.labels() YIELD label RETURN label ORDER BY label")
    with store._driver.session() as s:  # SHOW is refused on the console path
        schema = [r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")]
        index = [r["name"] for r in s.run("SHOW INDEXES YIELD name RETURN name ORDER BY name")]
    return (nodes.values.tolist(), labels["label"].tolist(), schema, index)


@pytest.mark.neo4j
@pytest.mark.parametrize("cypher", COMMON_ATTACKS + NEO4J_ATTACKS)
def test_neo4j_console_refuses_and_changes_nothing(neo, cypher):
    before = _neo_state(neo)
    with pytest.raises(WusheError):
        neo.query(cypher)
    assert _neo_state(neo) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("cypher", ENGINE_REFUSES_NEO4J)
def test_neo4j_read_transactions_refuse_writes_without_the_filter(neo, cypher, monkeypatch):
    monkeypatch.setattr("wushe.graph.backends.neo4j_store.check_single_read_statement", lambda c: c)
    before = _neo_state(neo)
    with pytest.raises(WusheError):
        neo.run(cypher)
    assert _neo_state(neo) == before


@pytest.mark.neo4j
def test_neo4j_engine_refusal_is_reported_as_read_only(neo, monkeypatch):
    monkeypatch.setattr("wushe.graph.backends.neo4j_store.check_single_read_statement", lambda c: c)
    with pytest.raises(ReadOnlyViolation):
        neo.run(f"CREATE {COMMUNITY}")


@pytest.mark.neo4j
def test_neo4j_long_query_stops_at_the_timeout(neo):
    with pytest.raises(QueryError, match="timeout"):
        neo.run("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
                "RETURN count(*) AS n", timeout_s=1)


@pytest.mark.neo4j
def test_neo4j_rows_stop_at_the_row_limit(neo):
    df = neo.run("UNWIND range(1, 5000) AS i RETURN i", row_limit=100)
    assert len(df) == 100 and df["i"].tolist()[-1] == 100 and df.attrs["truncated"] is True
