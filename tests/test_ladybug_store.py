"""The embedded store: schema on first open, COPY loads, all-or-nothing, read-only queries."""

import datetime as dt

import pandas as pd
import pytest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import LoadInProgress, ReadOnlyViolation
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store


def _tables() -> GraphTables:
    return GraphTables(
        nodes={
            "Community": pd.DataFrame({"id": ["c1", "c2"], "name": ["清波社区", "湖滨村"],
                                       "kind": ["urban", "rural"], "population": [3000, None]}),
            "Foundation": pd.DataFrame({"id": ["f1"], "name": ["清波社区发展基金会"],
                                        "kind": ["community_foundation"]}),
            "Project": pd.DataFrame({"id": ["p1"], "name": ["助老食堂"], "scenario": ["一老一小"],
                                     "year": [2024], "budget": [50000.0],
                                     "start_date": [dt.date(2024, 3, 1)]}),
        },
        rels={
            "FUNDS": pd.DataFrame({"from": ["f1", "c1"], "to": ["p1", "p1"],
                                   "from_label": ["Foundation", "Community"],
                                   "to_label": ["Project", "Project"],
                                   "amount": [10000.0, 40000.0],
                                   "channel": ["foundation_grant", "government_purchase"]}),
            "RUNS_IN": pd.DataFrame({"from": ["p1"], "to": ["c1"], "from_label": ["Project"],
                                     "to_label": ["Community"]}),
        },
    )


@pytest.fixture
def store(tmp_path):
    s = LadybugStore(tmp_path / "store")
    s.load(_tables())
    yield s
    s.close()


def test_new_store_has_the_schema_and_no_nodes(tmp_path):
    s = LadybugStore(tmp_path / "new")
    assert set(s.count_by_label().values()) == {0}
    assert (tmp_path / "new" / "CURRENT").read_text().strip() == "graph-000001.lbug"


def test_the_read_only_database_itself_refuses_a_write(store, monkeypatch):
    # Without the lexical filter (tested for both engines in test_store_contract.py) the
    # read-only database itself refuses the write.
    monkeypatch.setattr("wushe.graph.backends.ladybug_store.check_single_read_statement",
                        lambda c: c)
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        store.run("MATCH (c:Community) SET c.population = 1")
    assert store.run("MATCH (c:Community {id: 'c1'}) RETURN c.population AS p")["p"][0] == 3000


def test_failed_load_leaves_the_previous_graph_byte_for_byte(store, tmp_path):
    folder = tmp_path / "store"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    version = store.version()
    dup = GraphTables(nodes={"Community": pd.DataFrame({"id": ["c9", "c1"], "name": ["x", "y"],
                                                        "kind": ["urban", "urban"]})})
    with pytest.raises(RuntimeError, match="duplicated primary key"):
        store.load(dup)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before and store.version() == version
    assert store.count_by_label()["Community"] == 2


def test_second_writer_is_told_a_load_is_in_progress(store, tmp_path):
    import fcntl

    with open(tmp_path / "store" / ".load.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(LoadInProgress, match="in progress"):
            store.load(_tables())


def test_a_reader_sees_a_load_made_by_another_store_object(store, tmp_path):
    other = LadybugStore(tmp_path / "store")
    assert other.count_by_label()["Community"] == 2
    store.load(GraphTables(nodes={"Community": pd.DataFrame(
        {"id": ["c3"], "name": ["新村"], "kind": ["rural"]})}))
    assert other.count_by_label()["Community"] == 3


def test_files_a_killed_load_left_beside_its_database_do_not_break_the_next_load(tmp_path):
    s = LadybugStore(tmp_path / "s")  # graph-000001.lbug is live
    for leftover in ("graph-000002.lbug.wal", "graph-000002.lbug.wal.checkpoint",
                     "graph-000002.lbug.shadow"):
        (tmp_path / "s" / leftover).write_bytes(b"left by a load killed with SIGKILL")
    s.load(_tables())
    assert s.count_by_label()["Community"] == 2
    # the leftovers are gone; the empty store (version 1) is kept for undo
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        ".load.lock", "CURRENT", "graph-000001.lbug", "graph-000002.lbug", "versions"]
