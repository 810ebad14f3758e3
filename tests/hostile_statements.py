"""Hostile statements an attacker types into the console or ``wushe query``.

Every statement is run against both real engines by tests/test_hostile_corpus.py; each
must be refused or harmless, leave the store byte-identical and show no host file content.
``{f}`` is a canary file's path (a CSV whose cells hold a unique marker), ``{d}`` a
scratch folder, ``{x}`` a path that a write would create.

Ladybug's file, settings and administration table functions were taken from
``CALL show_functions()`` on Ladybug 0.22 (TABLE / STANDALONE TABLE / COPY functions).
"""

from __future__ import annotations

__all__ = ["HOSTILE", "BENIGN", "CRASHES_LADYBUG"]

# -- reading files through the embedded engine (LOAD, COPY, table functions) ---------------
_LADYBUG_FILES = [
    "LOAD FROM '{f}' RETURN *",
    "LOAD FROM '{f}' (header=false) RETURN *",
    "LOAD WITH HEADERS (a STRING, b STRING) FROM '{f}' RETURN *",
    "MATCH (c:Community) LOAD WITH HEADERS (a STRING, b STRING) FROM '{f}' RETURN a",
    "UNWIND [1] AS x LOAD WITH HEADERS (a STRING) FROM '{f}' RETURN a",
    "MATCH (c:Community) WITH c LOAD FROM '{f}' (file_format='csv') RETURN *",
    "UNWIND [1] AS x CALL { LOAD FROM '{f}' RETURN * } RETURN *",
    "MATCH (n) WHERE EXISTS { LOAD FROM '{f}' RETURN * } RETURN n",
    "LOAD FROM '/etc/passwd' (header=false, delim=':') RETURN *",
    "LOAD FROM 'https://example.invalid/x.csv' RETURN *",
    "CALL read_csv_parallel('{f}') RETURN *",
    "CALL read_parquet('{d}/x.parquet') RETURN *",
    "CALL read_npy('{d}/x.npy') RETURN *",
    "CALL read_pandas('params') RETURN *",
    "CALL file_info('{f}') RETURN *",
    "CALL current_setting('home_directory') RETURN *",
    "CALL current_setting('threads') RETURN *",
    "CALL storage_info('Community') RETURN *",
    "CALL bm_info() RETURN *",
    "CALL db_version() RETURN *",
    "CALL show_attached_databases() RETURN *",
    "CALL show_official_extensions() RETURN *",
    "CALL project_graph('g', ['Community'], []) RETURN *",
    "CALL drop_projected_graph('g')",
    "CALL clear_warnings()",
    "CALL threads=1",
    "CALL home_directory='/tmp'",
    "COPY Community FROM '{f}'",
    "COPY Community FROM '{f}' (header=true)",
    "COPY (MATCH (c:Community) RETURN c.id) TO '{x}'",
    "COPY (LOAD FROM '{f}' RETURN *) TO '{x}'",
    "EXPORT DATABASE '{d}/export'",
    "IMPORT DATABASE '{d}/export'",
    "ATTACH '{d}/other.lbug' AS o (dbtype lbug)",
    "ATTACH '{f}' AS o (dbtype duckdb)",
    "DETACH DATABASE o",
    "USE o",
    "INSTALL httpfs",
    "LOAD EXTENSION httpfs",
    "LOAD httpfs",
    "UNINSTALL httpfs",
    "CHECKPOINT",
    "CREATE MACRO evil(x) AS x",
    "CREATE NODE TABLE Evil(id STRING PRIMARY KEY)",
    "ALTER TABLE Community ADD extra STRING",
    "DROP TABLE RUNS_IN",
    "BEGIN TRANSACTION",
    "BEGIN TRANSACTION READ ONLY",
    "COMMIT",
    "ROLLBACK",
]

# -- reading files, settings and administration on Neo4j ---------------------------------------
_NEO4J_FILES = [
    "LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "LOAD CSV WITH HEADERS FROM 'file://{f}' AS r RETURN r",
    "LOAD CSV FROM 'file:///etc/passwd' AS r FIELDTERMINATOR ':' RETURN r",
    "load csv from 'file://{f}' as r return r",
    "MATCH (c:Community) LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "WITH 1 AS x LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "CALL { LOAD CSV FROM 'file://{f}' AS r RETURN r } RETURN r",
    "UNWIND [1] AS i CALL (i) { LOAD CSV FROM 'file://{f}' AS r RETURN r } RETURN r",
    "LOAD CSV FROM 'https://example.invalid/x.csv' AS r RETURN r",
    "LOAD CSV FROM 'file://{f}' AS r RETURN file(), linenumber()",
    "CALL apoc.load.json('file://{f}')",
    "CALL apoc.load.csv('file://{f}')",
    "RETURN apoc.version()",
    "CALL dbms.listConfig() YIELD name, value RETURN name, value",
    "CALL `dbms`.listConfig() YIELD name RETURN name",
    "CALL `dbms`.`listConfig`() YIELD name RETURN name",
    "CALL `dbms.listConfig`() YIELD name RETURN name",
    "CALL dbms . listConfig ( ) YIELD name RETURN name",
    "CALL dbms.components() YIELD name RETURN name",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL dbms.listConnections()",
    "CALL dbms.killConnections(['bolt-1'])",
    "CALL dbms.procedures()",
    "CALL db.clearQueryCaches()",
    "CALL `db`.clearQueryCaches()",
    "CALL db.createLabel('Evil')",
    "CALL db.createProperty('evil')",
    "CALL db.info()",
    "CALL db.stats.retrieve('GRAPH COUNTS')",
    "CALL db.index.fulltext.createNodeIndex('x', ['Community'], ['name'])",
    "CALL tx.setMetaData({a: 1})",
    "CALL db.awaitIndexes()",
    "SHOW SETTINGS",
    "SHOW SETTINGS YIELD name, value RETURN name, value",
    "SHOW USERS",
    "SHOW CURRENT USER",
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD parameters RETURN parameters",
    "SHOW DATABASES",
    "SHOW PROCEDURES",
    "SHOW FUNCTIONS",
    "SHOW INDEXES",
    "SHOW CONSTRAINTS",
    "SHOW PRIVILEGES",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "TERMINATE TRANSACTION 'neo4j-transaction-1'",
    "CREATE USER evil SET PASSWORD 'evilevil'",
    "ALTER USER neo4j SET PASSWORD 'evilevil'",
    "GRANT ROLE admin TO neo4j",
    "DENY READ {*} ON GRAPH * TO PUBLIC",
    "REVOKE ROLE admin FROM neo4j",
    "CREATE DATABASE evil",
    "STOP DATABASE neo4j",
    "START DATABASE neo4j",
    "DROP DATABASE neo4j",
    "USE system SHOW USERS",
    "USE system MATCH (n) RETURN n",
    "CREATE INDEX evil FOR (n:Community) ON (n.name)",
    "DROP CONSTRAINT evil IF EXISTS",
    "CREATE CONSTRAINT evil FOR (n:Community) REQUIRE n.name IS UNIQUE",
    "MATCH (c:Community) CALL { WITH c SET c.name = 'x' } IN TRANSACTIONS RETURN 1",
]

# -- writes on either engine ----------------------------------------------------------------
_WRITES = [
    "CREATE (:Community {id: 'x', name: 'x', kind: 'urban'})",
    "MERGE (c:Community {id: 'x'}) RETURN c",
    "MATCH (c:Community) SET c.name = 'x'",
    "MATCH (c:Community) SET c += {name: 'x'}",
    "MATCH (c:Community) DELETE c",
    "MATCH (c:Community) DETACH DELETE c",
    "MATCH (c:Community) REMOVE c.name",
    "MATCH (c:Community) FOREACH (x IN [1] | SET c.name = 'x')",
    "MATCH (c) WITH c CALL { WITH c SET c.name = 'x' } RETURN 1",
    "cReAtE (:Community {id: 'x'})",
    "OPTIONAL MATCH (c:Community) MERGE (d:Community {id: 'y'}) RETURN d",
]

# -- comment, whitespace, Unicode, backtick and escape tricks ------------------------------
_TRICKS = [
    "WITH 1 AS x //c\rLOAD CSV FROM 'file://{f}' AS r RETURN r",
    "WITH 1 AS x //c\rMATCH (c:Community) LOAD WITH HEADERS (a STRING) FROM '{f}' RETURN a",
    "WITH 1 AS x //c\u2028LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "WITH 1 AS x //c\u2029LOAD FROM '{f}' RETURN *",
    "WITH 1 AS x //c\x85LOAD FROM '{f}' RETURN *",
    "WITH 1 AS x //c\x0bLOAD FROM '{f}' RETURN *",
    "WITH 1 AS x //c\x0cLOAD CSV FROM 'file://{f}' AS r RETURN r",
    "WITH 1 AS x /* a /* b */ LOAD FROM '{f}' RETURN * /* c */",
    "WITH 1 AS x /* unterminated LOAD FROM '{f}' RETURN *",
    "MATCH (n) RETURN n /*",
    "MATCH (n) WHERE n.name = '/*' LOAD FROM '{f}' RETURN '*/'",
    "RETURN 'a\\' LOAD FROM \\'{f}\\' RETURN *",
    "RETURN 'a\\\\' + '' AS x LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "RETURN \"unterminated",
    "RETURN `unterminated",
    "WITH 1 AS x\u00a0LOAD FROM '{f}' RETURN *",
    "WITH 1 AS x\u3000LOAD CSV FROM 'file://{f}' AS r RETURN r",
    "WITH 1 AS x\u2003LOAD FROM '{f}' RETURN *",
    "WITH 1 AS x\tLOAD\tFROM\t'{f}'\tRETURN\t*",
    "WITH 1 AS x\r\nLOAD FROM '{f}' RETURN *",
    "ＬＯＡＤ FROM '{f}' RETURN *",
    "LO\u200bAD FROM '{f}' RETURN *",
    "LOAD\u2060 CSV FROM 'file://{f}' AS r RETURN r",
    "`LOAD` FROM '{f}' RETURN *",
    "CALL `read_csv_parallel`('{f}') RETURN *",
    "CALL `apoc`.`load`.`json`('file://{f}')",
    "CALL `apoc.load.json`('file://{f}')",
    "CALL READ_CSV_PARALLEL('{f}') RETURN *",
    "CALL Read_Parquet('{d}/x.parquet') RETURN *",
    "MATCH (n) RETURN count(n); LOAD FROM '{f}' RETURN *",
    "MATCH (n) RETURN count(n) /* ; */ ; CREATE (:Community {id: 'x'})",
    "MATCH (n) RETURN n;\n;CREATE (:Community {id: 'x'})",
    "RETURN 1; RETURN 2",
    "RETURN 1;;",
    "MATCH (n) RETURN n // harmless\nCREATE (:Community {id: 'x'})",
    "/* comment */ CREATE (:Community {id: 'x'}) // trailing",
    "MATCH (n) WHERE n.name = '/*' CREATE (:Community {id: 'x'}) RETURN '*/'",
    "",
    "   \n\t ",
    "// only a comment",
]

HOSTILE: list[str] = _LADYBUG_FILES + _NEO4J_FILES + _WRITES + _TRICKS

#: Reads that must still run on both engines (the guard is not "refuse everything");
#: keywords inside strings, comments and property names are not statements.
BENIGN: list[str] = [
    "MATCH (c:Community) RETURN c.id AS id ORDER BY id",
    "MATCH (c:Community) WHERE c.name <> 'LOAD CSV FROM file:///etc/passwd' "
    "RETURN c.id AS id ORDER BY id",
    "MATCH (c:Community) RETURN c.id AS id /* LOAD FROM '/etc/passwd' */ ORDER BY id // SET",
    "MATCH (c:Community) WHERE c.name <> '/*' RETURN c.id AS id ORDER BY id;",
    "UNWIND [1, 2, 3] AS x RETURN sum(x) AS s",
    "MATCH (c:Community)<-[:RUNS_IN]-(p:Project) RETURN c.id AS c, p.id AS p",
    "MATCH (c:Community) OPTIONAL MATCH (c)<-[:LIVES_IN]-(v:Volunteer) "
    "RETURN c.id AS c, count(v) AS n ORDER BY c",
    "MATCH (v:Volunteer) RETURN v.phone AS phone",
    "MATCH (v:Volunteer) RETURN v",
]

#: Reaches the embedded engine past the lexical check only when that check is switched
#: off; it segfaults Ladybug 0.22 even under EXPLAIN (the worker dies, the app lives).
CRASHES_LADYBUG = "CALL read_csv_serial('{f}') RETURN *"
