"""Shared fixtures: sample-data stores and the real local Neo4j server.

The Neo4j server is built from Maven Central and started once per test session on a free
port (graph/backends/neo4j_local.py); it is never skipped: the test command provides it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: ``scripts/test.sh --fast`` runs the unit layer: no store, no server, no browser
UNIT_LAYER = os.environ.get("WUSHE_TEST_LAYER") == "unit"


#: fixtures that hand a test a store: a test using one is in the store layer without a mark
STORE_FIXTURES = {"store", "sample_ladybug", "tiny_store", "empty_store", "neo", "neo4j_server",
                  "sample_store", "app", "at"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``store`` every test that uses a store fixture (see :data:`STORE_FIXTURES`)."""
    for item in items:
        if STORE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.store)


def pytest_configure(config: pytest.Config) -> None:
    """In the unit layer, opening a store fails the test that does it (mark it ``store``)."""
    if not UNIT_LAYER:
        return
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.graph.backends.neo4j_store import Neo4jStore

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("the unit layer opens no store: mark this test `store` "
                           "(or `neo4j`), or give it hand-built frames")

    LadybugStore.__init__ = refuse  # type: ignore[method-assign]
    Neo4jStore.__init__ = refuse  # type: ignore[method-assign]
SAMPLE = ROOT / "sample_data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _versions_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Neo4j stores keep their versions' manifests here, not in the tester's home."""
    old = os.environ.get("WUSHE_VERSIONS")
    os.environ["WUSHE_VERSIONS"] = str(tmp_path_factory.mktemp("versions"))
    yield
    if old is None:
        os.environ.pop("WUSHE_VERSIONS", None)
    else:
        os.environ["WUSHE_VERSIONS"] = old


@pytest.fixture(scope="session", autouse=True)
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The salt and other user configuration go to a temporary folder, not ~/.config."""
    os.environ.setdefault("WUSHE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real Neo4j 5.26 on 127.0.0.1 for the whole session (auth off: test server only)."""
    from wushe.graph.backends.neo4j_local import LocalNeo4j

    uri = os.environ.get("WUSHE_TEST_NEO4J_URI")
    if uri:  # an already running local server (e.g. `wushe neo4j start`)
        yield type("External", (), {"uri": uri})()
        return
    server = LocalNeo4j(tmp_path_factory.mktemp("neo4j"), heap="1g")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sample_tables():
    """sample_data/ read and validated once per session."""
    from wushe.loaders import read_import

    return read_import(SAMPLE)


@pytest.fixture(scope="session")
def sample_ladybug(tmp_path_factory: pytest.TempPathFactory, sample_tables):
    """An embedded store loaded with sample_data/ (read-only use: don't load into it)."""
    from wushe.graph.backends.ladybug_store import LadybugStore

    store = LadybugStore(tmp_path_factory.mktemp("sample") / "store")
    store.load(sample_tables, replace=True)
    yield store
    store.close()
