"""Every load is a version: manifests, keeping the last N, undo after good and failed loads."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures_versions import DATE_A, DATE_B, version_a, version_b

from wushe.app.cli import cli
from wushe.app.versions_table import undo_message, versions_frame
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.backends.versions import Source, VersionMeta, hash_sources
from wushe.graph.errors import StoreError
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def two_built(tmp_path_factory):
    """A store folder holding version A (replace) and then version B (replace), built once."""
    folder = tmp_path_factory.mktemp("two") / "store"
    s = LadybugStore(folder)
    s.load(version_a(), replace=True, meta=VersionMeta(DATE_A, "alice",
                                                      (Source("a.csv", "0" * 64),)))
    s.load(version_b(), replace=True, meta=VersionMeta(DATE_B, "bob"))
    s.close()
    return folder


@pytest.fixture
def two(two_built, tmp_path):
    """A private copy of ``two_built`` (copying the folder is how a store is backed up)."""
    shutil.copytree(two_built, tmp_path / "store")
    s = LadybugStore(tmp_path / "store")
    yield s
    s.close()


def test_each_load_records_data_date_user_sources_and_counts(two):
    vs = two.versions()
    assert [(v.id, v.state, v.data_date, v.user) for v in vs] == [
        (1, "kept", None, vs[0].user), (2, "kept", "2024-12-31", "alice"),
        (3, "current", "2025-12-31", "bob")]
    assert vs[1].sources == (Source("a.csv", "0" * 64),)
    # the worked example: 20 + 3 + 1 + 2 + 1 + 2 community-based + 2 township orgs + OP1 = 32
    assert vs[1].counts["Organization"] == 32 and vs[2].counts["Organization"] == 31
    assert vs[1].counts["Volunteer"] == 5 and vs[2].counts["Volunteer"] == 6
    assert vs[2].load_counts["Volunteer"] == 6 and vs[2].replace is True
    assert two.current_version().id == 3


def test_undo_after_a_successful_load_restores_the_previous_graph(two, tmp_path):
    result = two.undo()
    assert (result.dropped.id, result.current.id) == (3, 2)
    assert two.count_by_label()["Organization"] == 32
    assert two.run("MATCH (c:Community {id: 'C2'}) RETURN c.population AS p")["p"][0] == 2000
    states = [(v.id, v.state) for v in two.versions()]
    assert states == [(1, "kept"), (2, "current"), (3, "dropped")]
    assert not (tmp_path / "store" / "graph-000003.lbug").exists()
    msg = undo_message(result, "en")
    assert "Undid version 3 (data date 2025-12-31" in msg and "by bob" in msg
    assert "Organization -1" in msg and "Volunteer +1" in msg
    assert "Version 2 (data date 2024-12-31) is current again." in msg
    assert "社会组织 -1" in undo_message(result, "zh")


def test_undo_after_a_failed_load_drops_the_last_successful_one(two):
    dup = GraphTables(nodes={"Community": pd.DataFrame({"id": ["C9", "C9"], "name": ["x", "y"],
                                                        "kind": ["urban", "urban"]})})
    with pytest.raises(RuntimeError, match="duplicated primary key"):
        two.load(dup, meta=VersionMeta(DATE_B, "carol"))
    assert [v.id for v in two.versions()] == [1, 2, 3]  # the failed load is no version
    assert two.undo().dropped.id == 3
    assert two.count_by_label()["Volunteer"] == 5


def test_undo_goes_back_one_version_at_a_time_then_refuses(two):
    two.undo()
    two.undo()  # back to the empty store
    assert sum(two.count_by_label().values()) == 0
    with pytest.raises(StoreError, match="Nothing to undo"):
        two.undo()


def test_ids_are_never_reused_after_an_undo(two):
    two.undo()
    two.load(version_b(), replace=True, meta=VersionMeta(DATE_B, "bob"))
    assert [(v.id, v.state) for v in two.versions()] == [
        (1, "kept"), (2, "kept"), (3, "dropped"), (4, "current")]


def test_only_the_last_n_versions_are_kept(tmp_path):
    s = LadybugStore(tmp_path / "s", keep_versions=2)
    for i in range(3):
        s.load(version_a(), replace=True, meta=VersionMeta(dt.date(2024, 1, 1 + i)))
    assert [v.id for v in s.versions()] == [3, 4]
    files = sorted(p.name for p in (tmp_path / "s").glob("graph-*"))
    assert files == ["graph-000003.lbug", "graph-000004.lbug"]
    assert s.version_disk(s.versions()[0]) == (tmp_path / "s" / "graph-000003.lbug").stat(
    ).st_size + s.version_store.size(3)


def test_keep_versions_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WUSHE_KEEP_VERSIONS", "1")
    s = LadybugStore(tmp_path / "s")
    s.load(version_a(), replace=True)
    assert [v.id for v in s.versions()] == [2]
    monkeypatch.setenv("WUSHE_KEEP_VERSIONS", "some")
    with pytest.raises(StoreError, match="whole number"):
        LadybugStore(tmp_path / "t")


def test_versions_frame_lists_newest_first_with_disk_use(two):
    df = versions_frame(two, "en")
    assert df["version"].tolist() == [3, 2, 1]
    assert df["state"].tolist() == ["current", "kept", "kept"]
    assert df.loc[1, "sources"] == "a.csv (00000000)"
    assert (df["disk_mib"] > 0).all()


def test_hash_sources_names_and_hashes_csv_and_xlsx_only(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"id\n1\n")
    (tmp_path / "notes.txt").write_text("x")
    assert hash_sources(tmp_path) == (Source(
        "a.csv", "7cde7fb64fd82bd152710cf238e017b9ab46c0592483edc067ba4f6c75fac108"),)


def test_cli_load_versions_and_undo(tmp_path):
    from wushe.loaders.writer import write_tables

    src_a, src_b, store = tmp_path / "a", tmp_path / "b", tmp_path / "store"
    write_tables(version_a(), src_a)
    write_tables(version_b(), src_b)
    r = CliRunner()
    out = r.invoke(cli, ["load", str(src_a), "--store", str(store), "--replace",
                         "--as-of", "2024-12-31"])
    assert out.exit_code == 0, out.output
    out = r.invoke(cli, ["load", str(src_b), "--store", str(store), "--replace"])
    assert out.exit_code == 0, out.output
    out = r.invoke(cli, ["versions", "--store", str(store), "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[1].startswith(f"3,当前,{dt.date.today().isoformat()},")
    assert lines[2].startswith("2,可撤回,2024-12-31,") and "Community.csv" in lines[2]
    out = r.invoke(cli, ["undo", "--store", str(store), "--yes"], env={"WUSHE_LANG": "en"})
    assert out.exit_code == 0, out.output
    assert "已撤销版本 3" in out.output or "Undid version 3" in out.output


@pytest.mark.neo4j
def test_neo4j_records_versions_locally_and_undo_points_to_backup(neo4j_server, tmp_path):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    s = Neo4jStore(neo4j_server.uri, versions_dir=tmp_path / "v")
    try:
        s.clear()
        s.load(version_a(), replace=True, meta=VersionMeta(DATE_A, "alice"))
        vs = s.versions()
        assert [(v.id, v.state, v.data_date) for v in vs] == [(1, "current", "2024-12-31")]
        assert vs[0].counts["Organization"] == 32 and vs[0].token == s.version()
        assert (tmp_path / "v" / "000001" / "manifest.json").exists()
        with pytest.raises(StoreError, match="backup and restore"):
            s.undo()
        s.run("MATCH (c:Community {id: 'C2'}) SET c.population = 1", read_only=False)
        assert s.current_version() is None  # changed since: nothing kept describes it
    finally:
        s.close()


def test_kept_analysis_equals_the_computed_one_and_goes_with_an_undo(two):
    from wushe.graph.analytics import analyze
    from wushe.graph.analytics.kept import keep_analysis, kept_analysis, read_kept

    assert kept_analysis(two) is None  # nothing kept yet: the app computes
    v = keep_analysis(two)
    assert v.id == 3
    computed = analyze(two, with_matches=False)
    kept = kept_analysis(two)
    for name in ("targets", "modes", "index", "gaps", "coverage", "density"):
        pd.testing.assert_frame_equal(getattr(kept, name),
                                      getattr(computed, name).reset_index(drop=True),
                                      check_dtype=False)
    ents = read_kept(two.version_store, v).entities
    assert len(ents["Organization"]) == 31 and "O1-20" not in set(ents["Organization"]["id"])
    assert ents["Volunteer"]["id"].tolist() == ["V1", "V2", "V3", "V4", "V5", "V6"]
    two.undo()
    assert not two.version_store.kept_dir(3).exists()
    assert kept_analysis(two) is None  # version 2 was loaded without keeping


def test_kept_analysis_of_other_rules_is_not_shown_as_live(two):
    import json

    from wushe.graph.analytics.kept import keep_analysis, kept_analysis, read_kept

    v = keep_analysis(two)
    meta = two.version_store.kept_dir(v.id) / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "rules": "older-code"}))
    assert kept_analysis(two) is None  # the app recomputes after an upgrade
    assert read_kept(two.version_store, v) is not None  # history still compares


def test_a_cypher_write_is_a_version_with_the_data_date_it_changed(two):
    two.run("MATCH (c:Community {id: 'C7'}) SET c.population = 1001", read_only=False)
    v = two.versions()[-1]
    assert (v.id, v.state, v.data_date, v.note) == (4, "current", "2025-12-31",
                                                    "Cypher write 写语句")
    assert two.undo().dropped.id == 4
    assert two.run("MATCH (c:Community {id: 'C7'}) RETURN c.population AS p")["p"][0] == 1000
