"""The local Neo4j Community server (neo4j-local/, graph.backends.neo4j_local) really works.

Java 17+ and Maven are required here, as in CI: these tests do not skip without them.
Each server start costs ~5 s on a 2-core machine; the first run also builds neo4j-local/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest

from wushe.graph.backends.neo4j_local import LocalNeo4j, Neo4jServerError, build

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.neo4j, pytest.mark.timeout(600)]


def _port_free(port: int) -> bool:
    """Nobody listens on ``port`` (connections the server closed may linger in TIME_WAIT,
    which SO_REUSEADDR ignores, as a restarted server would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # an exited daemon can linger as a zombie until init reaps it: that counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except OSError:
        return True


@pytest.fixture(scope="module", autouse=True)
def _built() -> None:
    # build once up front so a cold Maven build is not counted against start timeouts
    build()


def test_start_query_write_read_stop(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path / "neo4j")
    with server:
        assert server.running and server.pid is not None
        assert server.uri == f"bolt://127.0.0.1:{server.port}"
        assert server.start_seconds is not None and 0 < server.start_seconds < 120
        pid, port = server.pid, server.port
        with neo4j.GraphDatabase.driver(server.uri) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS x")
            assert [r["x"] for r in records] == [1]

            driver.execute_query("CREATE (:Org {name: $name, members: $n})", name="街道社工站", n=7)
            records, _, _ = driver.execute_query(
                "MATCH (o:Org {name: $name}) RETURN o.name AS name, o.members AS n",
                name="街道社工站",
            )
            assert [(r["name"], r["n"]) for r in records] == [("街道社工站", 7)]

    # stopped cleanly: process gone, port released, no recovery needed
    assert not server.running
    assert _pid_gone(pid)
    assert _port_free(port)
    assert (tmp_path / "neo4j" / "neo4j-local.log").read_text().count("WUSHE_NEO4J_READY") == 1


def test_data_survives_restart(tmp_path: Path) -> None:
    data = tmp_path / "neo4j"
    with LocalNeo4j(data) as server, neo4j.GraphDatabase.driver(server.uri) as driver:
        driver.execute_query("CREATE (:Keep {v: 42})")
    with LocalNeo4j(data) as server, neo4j.GraphDatabase.driver(server.uri) as driver:
        records, _, _ = driver.execute_query("MATCH (k:Keep) RETURN k.v AS v")
        assert [r["v"] for r in records] == [42]
    # SIGTERM ran the shutdown hook, so the second start did not have to recover the store
    assert "recovery" not in (data / "logs" / "debug.log").read_text().lower()


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(Neo4jServerError, match="already in use"):
            LocalNeo4j(tmp_path / "neo4j", port=port).start(timeout=30)


def test_cli_start_detaches_and_stop(tmp_path: Path) -> None:
    data = tmp_path / "daemon"
    cli = [sys.executable, "-m", "wushe.graph.backends.neo4j_local"]
    started = subprocess.run(
        [*cli, "start", "--data", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert started.returncode == 0, started.stderr
    uri = (data / "neo4j.uri").read_text().strip()
    pid = int((data / "neo4j.pid").read_text())
    assert started.stdout.strip() == uri
    try:
        # the CLI process has exited; the server is still serving
        with neo4j.GraphDatabase.driver(uri) as driver:
            records, _, _ = driver.execute_query("RETURN 2 AS x")
            assert records[0]["x"] == 2
    finally:
        stopped = subprocess.run(
            [*cli, "stop", "--data", str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert stopped.returncode == 0, stopped.stderr
    assert _pid_gone(pid)
    assert not (data / "neo4j.pid").exists()
    assert _port_free(int(uri.rsplit(":", 1)[1]))
