"""Progress over time and target sets, on the hand-worked pair run backwards: version B
(data date 2024-12-31), then version A (2025-12-31), so C1 regains its 20th organization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from fixtures_versions import DATE_A, DATE_B, version_a, version_b
from streamlit.testing.v1 import AppTest

from wushe.graph.analytics.config import DATA_DIR, target_due, target_sets, use_target_set
from wushe.graph.analytics.kept import keep_analysis
from wushe.graph.analytics.progress import projection, target_history
from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.backends.versions import VersionMeta
from wushe.graph.errors import WusheError

pytestmark = pytest.mark.store

APP = str(Path(__file__).resolve().parent.parent / "app" / "main.py")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = LadybugStore(tmp_path_factory.mktemp("progress") / "store")
    s.load(version_b(), replace=True, meta=VersionMeta(DATE_A))
    keep_analysis(s)
    s.load(version_a(), replace=True, meta=VersionMeta(DATE_B))
    keep_analysis(s)
    yield s
    s.close()


@pytest.fixture
def plan_2030(tmp_path, monkeypatch):
    """A second target set: the policy's, with the certified share at 50 % and due 2030."""
    df = pd.read_csv(DATA_DIR / "targets.csv", dtype={"levels": str})
    df = df[df["kind"] == "target"].copy()
    df.loc[df["key"] == "certified_share", "value"] = 0.5
    df["due"] = "2030-12-31"
    (tmp_path / "sets").mkdir()
    df.to_csv(tmp_path / "sets" / "plan-2030.csv", index=False)
    monkeypatch.setenv("WUSHE_TARGET_SETS", str(tmp_path / "sets"))
    return "plan-2030"


def test_history_has_one_point_per_data_date(store):
    h = target_history(store, "province")
    assert sorted(set(h["data_date"])) == [DATE_A, DATE_B]  # the empty store has no date
    orgs = h[h["target"] == "community_orgs_urban"]
    # urban communities C1, C3, C5, C6: 19 + 1 + 1 + 1, then 20 + 1 + 1 + 1
    assert orgs["value"].tolist() == pytest.approx([22 / 4, 23 / 4])
    assert orgs["version"].tolist() == [2, 3]


def test_projection_at_the_recent_pace(store):
    p = projection(target_history(store, "province")).set_index("target")
    # urban average 22/4 → 23/4 in a year against 20: the missing 57/4 take 57 years at
    # 1/4 a year
    r = p.loc["community_orgs_urban"]
    assert r["pace_per_year"] == pytest.approx(1 / 4)
    assert r["projected"] == DATE_B + dt.timedelta(days=57 * 365)
    assert r["status"] == "late" and r["due"] == dt.date(2025, 12, 31)
    assert p.loc["star_complexes", "status"] == "no_progress"  # 3 and 3


def test_a_community_page_history_is_its_own(store):
    p = projection(target_history(store, "community", "C1")).set_index("target")
    assert p.loc["community_orgs_urban", ["value", "status"]].tolist() == [20.0, "met"]
    assert set(p["region_id"]) == {"C1"}


def test_a_target_set_is_a_file(store, plan_2030):
    assert list(target_sets()) == ["policy-2025", "plan-2030"]
    assert target_due("plan-2030") == dt.date(2030, 12, 31)
    h = target_history(store, "province", target_set="plan-2030")
    share = h[h["target"] == "certified_share"]
    # 20 of 33 full-time community workers certified (C7's blank left out): 0.606 is past
    # 0.5 in the new set (and past 0.6 in the policy's)
    assert share["target_value"].tolist() == [0.5, 0.5]
    assert share["met"].tolist() == [True, True]
    policy = target_history(store, "province")
    assert policy[policy["target"] == "certified_share"]["met"].all()
    with pytest.raises(WusheError, match="Unknown target set 'plan-2099'"), \
            use_target_set("plan-2099"):
        pass


def test_overview_shows_progress_and_switches_target_set(store, plan_2030, monkeypatch,
                                                          tmp_path):
    monkeypatch.setenv("WUSHE_STORE", str(store.path))
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    prog = next(d.value for d in at.dataframe if "预计达标日期" in d.value.columns)
    orgs = prog[prog["指标"] == "城市社区平均社区社会组织数"]
    assert orgs["判断"].tolist() == ["按当前进度将逾期"]
    assert orgs["预计达标日期"].tolist() == [DATE_B + dt.timedelta(days=57 * 365)]
    at.sidebar.selectbox(key="target_set").set_value("plan-2030").run()
    assert not at.exception, at.exception
    targets = next(d.value for d in at.dataframe if "口径" in d.value.columns)
    row = targets[targets["指标"] == "专职社区工作者持证占比"]
    assert row[["目标值", "达标情况"]].values.tolist() == [["50.0%", "达标"]]
    # the gaps follow the chosen set too: C6 (3 of 5 = 60 %) is not above 60 % but is above
    # 50 %, so its certified-share gap closes; C2 (2 of 5 = 40 %) misses both
    at.switch_page("views/gaps.py").run()
    assert not at.exception, at.exception
    ranking = next(d.value for d in at.dataframe if "全部原因" in d.value.columns)
    reasons = dict(zip(ranking["社区"], ranking["全部原因"], strict=True))
    assert "持证占比」未达标:现值 40.0%,目标 50.0%" in reasons["C2社区"]
    assert "持证占比" not in reasons.get("C6社区", "")
