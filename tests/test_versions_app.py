"""The data page's versions section and the pages' use of the kept analysis (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_versions import DATE_A, DATE_B, version_a, version_b
from streamlit.testing.v1 import AppTest

from wushe.graph.analytics.kept import keep_analysis
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.backends.versions import VersionMeta

pytestmark = pytest.mark.store

APP = str(Path(__file__).resolve().parent.parent / "app" / "main.py")


@pytest.fixture
def two_kept(tmp_path, monkeypatch):
    """Versions A and B of the worked example, each with its analysis kept."""
    s = LadybugStore(tmp_path / "store")
    s.load(version_a(), replace=True, meta=VersionMeta(DATE_A, "alice"))
    keep_analysis(s)
    s.load(version_b(), replace=True, meta=VersionMeta(DATE_B, "bob"))
    keep_analysis(s)
    s.close()
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    return tmp_path / "store"


def _data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    return at


def test_data_page_lists_versions_and_undoes_the_last_load(two_kept):
    at = _data_page()
    table = next(d.value for d in at.dataframe if "数据日期" in d.value.columns)
    assert table[["版本", "状态", "数据日期", "导入人"]].values.tolist() == [
        [3, "当前", "2025-12-31", "bob"], [2, "可撤回", "2024-12-31", "alice"],
        [1, "可撤回", "", table["导入人"].iloc[2]]]
    assert at.button(key="undo_button").disabled
    at.checkbox(key="undo_confirm").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("已撤销版本 3(数据日期 2025-12-31") for s in at.success)
    assert LadybugStore(two_kept).count_by_label()["Organization"] == 32
    table = next(d.value for d in at.dataframe if "数据日期" in d.value.columns)
    assert table["状态"].tolist() == ["已撤销", "当前", "可撤回"]


def test_pages_read_the_kept_analysis_of_the_live_version_only(two_kept):
    import pandas as pd

    # Make the kept targets of version 3 recognisable: if a page shows 0.123 it read them.
    kept = two_kept / "versions" / "000003" / "kept" / "analysis" / "targets.parquet"
    t = pd.read_parquet(kept)
    t.loc[(t["level"] == "province") & (t["target"] == "certified_share"), "value"] = 0.123
    t.to_parquet(kept, index=False)
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    shown = next(d.value for d in at.dataframe if "现值" in d.value.columns)
    assert "12.3%" in shown["现值"].tolist()  # ratios show as percentages
    # After a write the store has a new version with nothing kept: computed, not stale.
    LadybugStore(two_kept).run("MATCH (c:Community {id: 'C7'}) SET c.population = 1001",
                               read_only=False)
    at = AppTest.from_file(APP, default_timeout=180).run()
    shown = next(d.value for d in at.dataframe if "现值" in d.value.columns)
    assert "12.3%" not in shown["现值"].tolist()


def test_compare_page_shows_the_hand_worked_changes(two_kept):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/compare.py").run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric} == {
        "新达标": "0", "新未达标": "0", "模式变化": "1", "新出现短板": "1", "已补齐短板": "0"}
    modes = next(d.value for d in at.dataframe if "B 联动模式" in d.value.columns)
    assert modes[["社区", "A 联动模式", "B 联动模式", "编号"]].values.tolist() == [
        ["C6社区", "混合型", "社会组织载体型", "C6"]]
    targets = next(d.value for d in at.dataframe if "方向" in d.value.columns)
    # O1-20 (urban C1) removed: the urban average falls, the rural one is unchanged
    orgs = targets[targets["指标"] == "城市社区平均社区社会组织数"]
    assert orgs[["方向", "达标变化"]].values.tolist() == [["↓", "未达标"]]
