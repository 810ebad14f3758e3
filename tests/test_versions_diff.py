"""Comparing two versions: the hand-worked pair of tests/fixtures_versions.py."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner
from fixtures_versions import DATE_A, DATE_B, version_a, version_b

from wushe.app.cli import cli
from wushe.graph.analytics.kept import keep_analysis
from wushe.graph.analytics.versions_diff import diff_versions, kept_version
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.backends.versions import VersionMeta
from wushe.graph.errors import StoreError

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = LadybugStore(tmp_path_factory.mktemp("diff") / "store")
    s.load(version_a(), replace=True, meta=VersionMeta(DATE_A, "alice"))  # version 2
    keep_analysis(s)
    s.load(version_b(), replace=True, meta=VersionMeta(DATE_B, "bob"))  # version 3
    keep_analysis(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def province(store):
    return diff_versions(kept_version(store, 2), kept_version(store, 3))


def test_province_targets_change_with_direction(province):
    t = province.targets.set_index("target")
    moved = t[t["direction"] != "same"]
    assert sorted(moved.index) == ["certified_per_10k", "community_orgs_urban"]
    # 23 community orgs over the 4 urban communities, then 22 (O1-20 removed)
    assert t.loc["community_orgs_urban", ["value_a", "value_b"]].tolist() == pytest.approx(
        [23 / 4, 22 / 4])
    assert t.loc["community_orgs_urban", "direction"] == "down"
    # 23 certified social workers per 30,000 residents (C7's blank certified figure leaves
    # it out), then per 30,500 (C2 grew by 500)
    assert t.loc["certified_per_10k", ["value_a", "value_b"]].tolist() == pytest.approx(
        [23e4 / 30_000, 23e4 / 30_500])
    # the tiny province meets only the certified share and the centre evaluation
    assert sorted(t.index[t["status"] == "met"]) == ["center_evaluation", "certified_share"]
    assert (t.drop(index=["center_evaluation", "certified_share"])["status"]
            == "not_met").all()


def test_community_target_newly_missed(store):
    d = diff_versions(kept_version(store, 2), kept_version(store, 3), level="community",
                      region_id="C1")
    t = d.targets.set_index("target")
    assert t.loc["community_orgs_urban",
                 ["value_a", "value_b", "direction", "status"]].tolist() == [
        20.0, 19.0, "down", "newly_missed"]
    assert (t.drop(index="community_orgs_urban")["direction"] == "same").all()


def test_township_average_moves(store):
    d = diff_versions(kept_version(store, 2), kept_version(store, 3), level="township",
                      region_id="T1")
    t = d.targets.set_index("target")
    # T1's urban communities: C1 20 + C3 1 = 21 community orgs over 2, then 20
    assert t.loc["community_orgs_urban", ["value_a", "value_b"]].tolist() == pytest.approx(
        [21 / 2, 20 / 2])
    assert d.modes.empty  # C6, whose mode changed, is in T2


def test_mode_change_with_score_vectors(province):
    m = province.modes
    assert m["community_id"].tolist() == ["C6"]
    r = m.iloc[0]
    assert (r["mode_a"], r["mode_b"]) == ("mixed", "organization_carrier")
    assert [r["score_community_a"], r["score_organization_a"]] == pytest.approx(
        [1.45 / 3, 1.55 / 3])
    assert [r["score_community_b"], r["score_organization_b"]] == pytest.approx(
        [0.45 / 3, 2.55 / 3])


def test_gaps_opened_and_closed(province):
    assert province.gaps_opened[["community_id", "kind", "item"]].values.tolist() == [
        ["C1", "target_not_met", "community_orgs_urban"]]
    assert province.gaps_closed.empty


def test_index_rank_movements(province):
    ix = province.index.set_index("community_id")
    assert ix.loc["C4", ["linkage_index_a", "linkage_index_b"]].tolist() == pytest.approx(
        [58.0, 68.0])
    assert ix.loc["C6", ["rank_a", "rank_b", "movement"]].tolist() == [2, 3, -1]
    assert ix.loc["C4", ["rank_a", "rank_b", "movement"]].tolist() == [2, 2, 0]
    assert ix.index[0] == "C6"  # the biggest movement first


def test_entities_added_removed_changed_per_kind(province):
    e = province.entities.set_index("kind")
    moved = e[(e[["added", "removed", "changed"]].sum(axis=1)) > 0]
    assert moved[["added", "removed", "changed"]].to_dict("index") == {
        "Community": {"added": 0, "removed": 0, "changed": 1},
        "PartyCommittee": {"added": 0, "removed": 0, "changed": 1},
        "Organization": {"added": 0, "removed": 1, "changed": 0},
        "Volunteer": {"added": 1, "removed": 0, "changed": 0},
    }
    assert province.entity_items[["kind", "id", "change"]].values.tolist() == [
        ["Community", "C2", "changed"], ["Organization", "O1-20", "removed"],
        ["PartyCommittee", "PC4", "changed"], ["Volunteer", "V6", "added"]]
    c = province.counts.set_index("kind")["change"]
    assert c[c != 0].to_dict() == {"Organization": -1, "Volunteer": 1, "BASED_IN": -1,
                                   "LIVES_IN": 1}


def test_a_version_without_kept_analysis_cannot_be_compared(store):
    with pytest.raises(StoreError, match="Version 1 has no kept analysis"):
        kept_version(store, 1)


def test_cli_diff_writes_markdown_and_xlsx(store, tmp_path):
    r = CliRunner()
    md = tmp_path / "d.md"
    out = r.invoke(cli, ["diff", "2", "3", "--store", str(store.path), "--format", "md",
                         "--out", str(md), "--region", "T2"])
    assert out.exit_code == 0, out.output
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 版本比较:2(2024-12-31)→ 3(2025-12-31)")
    assert "## 联动模式发生变化的社区" in text
    # C6's mode by name, then its score vector (0.45/3 → 0.15)
    assert "| C6社区 | 混合型 |" in text and "| 社会组织载体型 | 0.15 |" in text
    xlsx = tmp_path / "d.xlsx"
    out = r.invoke(cli, ["diff", "2", "3", "--store", str(store.path), "--out", str(xlsx)])
    assert out.exit_code == 0, out.output
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["概要", "目标", "模式变化", "新出现短板", "已补齐短板", "指数名次",
                             "实体增删改", "实体清单", "数量"]
    items = [[c.value for c in row] for row in wb["实体清单"].iter_rows()]
    assert items == [["类别", "名称", "变化", "编号"], ["社区", "C2社区", "修改", "C2"],
                     ["社会组织", "O1-20", "删除", "O1-20"],
                     ["社区党组织", "C4党委", "修改", "PC4"],
                     ["志愿者", "王*", "新增", "V6"]]
    targets = {r[1]: r for r in wb["目标"].iter_rows(values_only=True)}
    # the urban average fell from 23/4 = 5.75 to 22/4 = 5.5: a figure with its unit
    assert targets["城市社区平均社区社会组织数"][3:7] == ("5.75 个/社区", "5.5 个/社区",
                                                    "-0.25 个/社区", "↓")
    # a share reads as a percentage, its change in percentage points: 20/33 = 60.6 %
    assert targets["专职社区工作者持证占比"][3:6] == ("60.6%", "60.6%", "0")
    en = tmp_path / "d-en.xlsx"
    out = r.invoke(cli, ["diff", "2", "3", "--store", str(store.path), "--out", str(en),
                         "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert openpyxl.load_workbook(en).sheetnames[:3] == ["Summary", "Targets", "Modes changed"]


@pytest.mark.neo4j
def test_neo4j_versions_compare_the_same_from_their_kept_analysis(neo4j_server, province,
                                                                  tmp_path):
    from wushe.graph.backends.neo4j_store import Neo4jStore

    s = Neo4jStore(neo4j_server.uri, versions_dir=tmp_path / "v")
    try:
        s.clear()
        s.load(version_a(), replace=True, meta=VersionMeta(DATE_A, "alice"))
        assert keep_analysis(s).id == 1
        s.load(version_b(), replace=True, meta=VersionMeta(DATE_B, "bob"))
        assert keep_analysis(s).id == 2
        d = diff_versions(kept_version(s, 1), kept_version(s, 2))
    finally:
        s.close()
    assert d.modes["community_id"].tolist() == ["C6"]
    assert d.entity_items.values.tolist() == province.entity_items.values.tolist()
    assert d.gaps_opened[["community_id", "item"]].values.tolist() == [
        ["C1", "community_orgs_urban"]]
    assert d.index.set_index("community_id").loc["C6", "movement"] == -1
