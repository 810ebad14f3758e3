"""Streamlit AppTest of the app core: router, overview, gaps, modes, index and data pages.

Most tests run on a hand-drawn province (:func:`tiny_tables`, below) whose numbers are
worked out by hand in each test's comments; one test opens every page on the shipped
sample data. The store is a real Ladybug store in a temporary folder (``WUSHE_STORE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app" / "main.py")
SAMPLE = ROOT / "sample_data"


def _nodes(rows):
    return pd.DataFrame(rows)


def _complete(t: GraphTables) -> GraphTables:
    """Add every schema column a frame lacks as an all-null object column."""
    for label, df in t.nodes.items():
        for p in SCHEMA.node(label).all_props:
            if p.name not in df:
                df[p.name] = pd.Series([None] * len(df), dtype=object)
    return t


def _rels(rows, **props):
    out = []
    for r in rows:
        a, al, b, bl, *rest = r
        d = {"from": a, "to": b, "from_label": al, "to_label": bl}
        d.update(dict(zip(props, rest, strict=False)))
        out.append(d)
    return pd.DataFrame(out)


def tiny_tables() -> GraphTables:
    """One city, two counties, three townships, five communities.

    K1 上城区: T1 清波街道 (M1 清波社区, M2 劳动路社区), T2 湖滨街道 (M3 东坡社区);
    K2 淳安县: T3 千岛湖镇 (M4 青溪村, M5 汾口村). M1 runs J1 and J2, M3 runs J3 (2023);
    O4 has no relationship at all (the one orphan).
    """
    n = {
        "City": _nodes([{"id": "C1", "name": "杭州市", "code": "3301"}]),
        "County": _nodes([{"id": "K1", "name": "上城区", "code": "330102"},
                          {"id": "K2", "name": "淳安县", "code": "330127"}]),
        "Township": _nodes([{"id": "T1", "name": "清波街道", "kind": "street"},
                            {"id": "T2", "name": "湖滨街道", "kind": "street"},
                            {"id": "T3", "name": "千岛湖镇", "kind": "town"}]),
        "Community": _nodes([
            {"id": "M1", "name": "清波社区", "kind": "urban", "population": 8000,
             "households": 3000, "complex_star": 4, "fulltime_workers": 10,
             "certified_workers": 7},
            {"id": "M2", "name": "劳动路社区", "kind": "urban", "population": 6000,
             "households": 2000, "complex_star": 2, "fulltime_workers": 8,
             "certified_workers": 3},
            {"id": "M3", "name": "东坡社区", "kind": "urban", "population": 5000,
             "households": 1800, "complex_star": 0, "fulltime_workers": 6,
             "certified_workers": 4},
            {"id": "M4", "name": "青溪村", "kind": "rural", "population": 2000,
             "households": 700, "complex_star": 1, "fulltime_workers": 3,
             "certified_workers": 1},
            {"id": "M5", "name": "汾口村", "kind": "rural", "population": 1500,
             "households": 500, "complex_star": None, "fulltime_workers": 2,
             "certified_workers": 0},
        ]),
        "PartyCommittee": _nodes([
            {"id": "P1", "name": "清波社区党委", "is_big_committee": True, "member_units": 5},
            {"id": "P4", "name": "青溪村党委", "is_big_committee": False, "member_units": 0},
        ]),
        "Organization": _nodes([
            {"id": "O1", "name": "清波邻里互助会", "category": "服务", "rating": "4A",
             "is_community_org": True, "is_volunteer_service": False, "form": "备案",
             "registration_level": "township",
             "activities_12m": 20, "active_months_12m": 9},
            {"id": "O2", "name": "清波志愿服务队", "category": "志愿", "rating": None,
             "is_community_org": True, "is_volunteer_service": True, "form": "备案",
             "activities_12m": 14, "active_months_12m": 7},
            {"id": "O3", "name": "东坡文体协会", "category": "文体", "rating": "5A",
             "is_community_org": True, "is_volunteer_service": False, "form": "社会团体",
             "registration_level": "county",
             "activities_12m": 3, "active_months_12m": 2},
            {"id": "O4", "name": "千岛湖调解中心", "category": "调解", "rating": None,
             "is_community_org": False, "is_volunteer_service": False,
             "form": "社会服务机构", "activities_12m": 0, "active_months_12m": 0},
        ]),
        "SocialWorker": _nodes([
            {"id": "W1", "name": "张*明", "certificate": "intermediate",
             "role": "community_worker"},
            {"id": "W2", "name": "李*", "certificate": "assistant", "role": "station_worker"},
            {"id": "W3", "name": "王*华", "certificate": "none", "role": "community_worker"},
        ]),
        "Station": _nodes([
            {"id": "S1", "name": "清波街道社工站", "kind": "social_work_station",
             "evaluated": None, "certified_staff": 3},
            {"id": "S2", "name": "清波街道社会组织服务中心", "kind": "org_service_center",
             "evaluated": True, "registered": True, "certified_staff": 1},
            {"id": "S3", "name": "千岛湖镇社会组织服务中心", "kind": "org_service_center",
             "evaluated": False, "registered": True, "certified_staff": 0},
        ]),
        "Volunteer": _nodes([
            {"id": "V1", "name": "赵*", "hours_12m": 80.0, "activities_12m": 15,
             "active_months_12m": 8},
            {"id": "V2", "name": "钱*", "hours_12m": 12.5, "activities_12m": 4,
             "active_months_12m": 3},
            {"id": "V3", "name": "孙*", "hours_12m": 30.0, "activities_12m": 6,
             "active_months_12m": 5},
        ]),
        "Foundation": _nodes([
            {"id": "F1", "name": "清波社区发展基金会", "kind": "community_foundation",
             "assets": 500000.0},
            {"id": "F2", "name": "千岛湖关爱基金", "kind": "charitable_fund", "assets": 80000.0},
        ]),
        "Project": _nodes([
            {"id": "J1", "name": "一老一小幸福食堂", "scenario": "一老一小", "year": 2024,
             "budget": 120000.0},
            {"id": "J2", "name": "邻里调解工作室", "scenario": "调解纠纷", "year": 2024,
             "budget": 30000.0},
            {"id": "J3", "name": "东坡睦邻节", "scenario": "睦邻文化", "year": 2023,
             "budget": 20000.0},
        ]),
        "Need": _nodes([
            {"id": "N1", "category": "一老一小", "status": "met",
             "raised_on": dt.date(2024, 1, 5)},
            {"id": "N2", "category": "困难帮扶", "status": "open",
             "raised_on": dt.date(2024, 3, 1)},
            {"id": "N3", "category": "孤困儿童关爱", "status": "open",
             "raised_on": dt.date(2024, 4, 1)},
        ]),
    }
    r = {
        "PART_OF": _rels([("K1", "County", "C1", "City"), ("K2", "County", "C1", "City"),
                          ("T1", "Township", "K1", "County"), ("T2", "Township", "K1", "County"),
                          ("T3", "Township", "K2", "County"),
                          ("M1", "Community", "T1", "Township"),
                          ("M2", "Community", "T1", "Township"),
                          ("M3", "Community", "T2", "Township"),
                          ("M4", "Community", "T3", "Township"),
                          ("M5", "Community", "T3", "Township")]),
        "LEADS": _rels([("P1", "PartyCommittee", "M1", "Community"),
                        ("P4", "PartyCommittee", "M4", "Community"),
                        ("O1", "Organization", "J1", "Project"),
                        ("O2", "Organization", "J2", "Project"),
                        ("M3", "Community", "J3", "Project")]),
        "MEMBER_UNIT_OF": _rels([("O1", "Organization", "P1", "PartyCommittee")]),
        "BASED_IN": _rels([("O1", "Organization", "M1", "Community"),
                           ("O2", "Organization", "M1", "Community"),
                           ("O3", "Organization", "M3", "Community"),
                           ("F1", "Foundation", "M1", "Community"),
                           ("F2", "Foundation", "T3", "Township")]),
        "SERVES": _rels([("O2", "Organization", "M2", "Community")]),
        "WORKS_AT": _rels([("W1", "SocialWorker", "M1", "Community"),
                           ("W2", "SocialWorker", "S1", "Station"),
                           ("W3", "SocialWorker", "M3", "Community")]),
        "LOCATED_IN": _rels([("S1", "Station", "T1", "Township"),
                             ("S2", "Station", "T1", "Township"),
                             ("S3", "Station", "T3", "Township")]),
        "LIVES_IN": _rels([("V1", "Volunteer", "M1", "Community"),
                           ("V2", "Volunteer", "M1", "Community"),
                           ("V3", "Volunteer", "M3", "Community")]),
        "MEMBER_OF": _rels([("V1", "Volunteer", "O2", "Organization"),
                            ("V2", "Volunteer", "O2", "Organization")]),
        "RUNS_IN": _rels([("J1", "Project", "M1", "Community"),
                          ("J2", "Project", "M1", "Community"),
                          ("J3", "Project", "M3", "Community")]),
        "INITIATED": _rels([("M1", "Community", "J1", "Project"),
                            ("P1", "PartyCommittee", "J2", "Project"),
                            ("M3", "Community", "J3", "Project")]),
        "DELIVERS": _rels([("O1", "Organization", "J1", "Project"),
                           ("W1", "SocialWorker", "J2", "Project"),
                           ("O3", "Organization", "J3", "Project")]),
        "SERVES_IN": _rels([("V1", "Volunteer", "J1", "Project", 40.0),
                            ("V2", "Volunteer", "J1", "Project", 6.0),
                            ("W1", "SocialWorker", "J1", "Project", 10.0),
                            ("V3", "Volunteer", "J3", "Project", 12.0)], hours=None),
        "FUNDS": _rels([("F1", "Foundation", "J1", "Project", 50000.0, "foundation_grant"),
                        ("M1", "Community", "J1", "Project", 70000.0, "government_purchase"),
                        ("M3", "Community", "J3", "Project", 20000.0, "self_funded")],
                       amount=None, channel=None),
        "RAISED_IN": _rels([("N1", "Need", "M1", "Community"), ("N2", "Need", "M4", "Community"),
                            ("N3", "Need", "M2", "Community")]),
        "ADDRESSES": _rels([("J1", "Project", "N1", "Need")]),
    }
    return _complete(GraphTables(n, r))


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("app") / "store"
    store = LadybugStore(path)
    store.load(tiny_tables(), replace=True)
    store.close()
    return str(path)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., AppTest]:
    """``app(store, page=None, **query)`` → an AppTest that has run once on ``page``."""
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))

    def make(store: str, page: str | None = None, **query: str) -> AppTest:
        monkeypatch.setenv("WUSHE_STORE", store)
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params.update(query)
        at.run()
        if page:
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return make


def _tables(at: AppTest, column: str) -> list[pd.DataFrame]:
    """The tables shown that have ``column`` (st.dataframe keeps its key only with
    selection on, so tables are found by a column name)."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def _table(at: AppTest, column: str) -> pd.DataFrame:
    found = _tables(at, column)
    assert found, f"no table with column {column!r}"
    return found[0]


def _md(at: AppTest) -> str:
    return " | ".join(m.value for m in at.markdown)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# -- router: language, region, URL --------------------------------------------------------

def test_search_picks_a_community_by_name_with_its_parents(app, tiny_store) -> None:
    at = app(tiny_store)
    search = at.sidebar.selectbox(key="region_search")
    labels = search.options  # as shown
    assert "清波社区(社区 · 清波街道 · 上城区 · 杭州市)" in labels
    assert "上城区(县(市、区) · 杭州市)" in labels
    search.set_value("community:M1").run()
    assert not at.exception
    picked = [at.sidebar.selectbox(key=k).value for k in ("city", "county", "township",
                                                          "community")]
    assert picked == ["C1", "K1", "T1", "M1"]
    assert at.sidebar.selectbox(key="region_search").value is None


def test_language_switch_changes_labels_and_url(app, tiny_store) -> None:
    at = app(tiny_store)
    assert at.title[0].value == "总览与 2025 年目标"
    assert at.sidebar.selectbox(key="city").label == "市"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview & 2025 targets"
    assert at.sidebar.selectbox(key="city").label == "City"
    assert "Community" in _metrics(at)
    assert at.query_params["lang"] == "en"


def test_region_from_url_opens_that_county_in_english(app, tiny_store) -> None:
    at = app(tiny_store, lang="en", city="C1", county="K2")
    assert at.caption[0].value == "County 淳安县"
    # K2 holds M4, M5: one Party committee but no organization, worker, volunteer, charity
    assert _metrics(at) == {"Community": "2", "Social organization": "0",
                            "Social worker": "0", "Community volunteer": "0",
                            "Charity resource": "0"}
    assert at.sidebar.selectbox(key="township").options == ["All", "千岛湖镇"]


def test_region_picker_writes_the_url_and_clears_stale_children(app, tiny_store) -> None:
    at = app(tiny_store)
    at.sidebar.selectbox(key="city").set_value("C1").run()
    at.sidebar.selectbox(key="county").set_value("K1").run()
    at.sidebar.selectbox(key="township").set_value("T2").run()
    assert at.query_params["township"] == "T2"
    at.sidebar.selectbox(key="county").set_value("K2").run()
    # T2 is not in K2: the township choice is cleared, in state and URL
    assert not at.session_state["township"]
    assert "township" not in at.query_params
    assert at.caption[0].value == "县(市、区) 淳安县"


# -- overview -----------------------------------------------------------------------------

def test_overview_counts_targets_and_drill_down(app, tiny_store) -> None:
    at = app(tiny_store)
    # O1–O3 are based in or serve a community (O4 is an orphan); W1, W3 work at
    # communities (W2 at a station); F2 is based in a township, so only F1 counts.
    assert _metrics(at) == {"社区": "5", "社会组织": "3", "社会工作者": "2",
                            "社区志愿者": "3", "社会慈善资源": "1"}
    targets = _table(at, "指标")
    assert len(targets) == 11   # the policy's ten, urban and rural averages apart
    assert "已达标 **0/11** 项" in _md(at)
    assert at.caption[1].value.startswith("目标基准日 2025-12-31")
    # M5's service-complex star is blank: one community lacks the figure
    assert "1个社区缺少此数据" in targets["数据缺口"].tolist()
    at.selectbox(key="ov_drill").set_value("C1").run()
    assert at.session_state["city"] == "C1"
    at.selectbox(key="ov_drill").set_value("K1").run()
    assert at.caption[0].value == "县(市、区) 上城区"
    # K1's two townships both have an org service centre, S2 is evaluated, S1's
    # township T1 has it: centre evaluation 1/1 evaluated centres in K1 → met
    # K1 has no rural community: the rural average does not apply (10 apply)
    assert "已达标 **1/10** 项;约束性指标达标 **1/4** 项;1 项不适用。" in _md(at)


def test_overview_worst_community_is_one_click_away(app, tiny_store) -> None:
    at = app(tiny_store)
    # 汾口村 (M5) meets none of its 4 community-level targets and has 0% attainment
    assert "**汾口村** — 达标 0/4,平均达成率 0%" in _md(at)
    at.button(key="ov_worst_M5").click().run()
    assert at.session_state["community"] == "M5"
    assert at.query_params["community"] == "M5"
    assert at.query_params["township"] == "T3"
    assert len(_table(at, "指标")) == 4


# -- gaps ---------------------------------------------------------------------------------

def test_gaps_ranking_filter_selection_and_network_link(app, tiny_store) -> None:
    at = app(tiny_store, "gaps")
    # 38 gaps in 5 communities, 21 of high severity (M2 5, M3 2, M4 7, M5 7); M5 also
    # lacks its service-complex star (a missing-data gap, severity 1)
    assert _metrics(at) == {"有短板的社区": "5", "高严重度短板": "21", "短板总数": "38"}
    table = at.dataframe(key="gaps_table").value
    assert table["社区"].tolist() == ["青溪村", "汾口村", "劳动路社区", "东坡社区", "清波社区"]
    assert table["严重度合计"].tolist() == [29, 28, 21, 12, 6]
    at.multiselect(key="gaps_kinds").set_value(["missing_element"]).run()
    # missing elements only: M4 and M5 lack 4 elements, M2 2, M3 1 (severity 3 each)
    assert at.dataframe(key="gaps_table").value["严重度合计"].tolist() == [12, 12, 6, 3]
    assert _metrics(at)["短板总数"] == "11"
    at.session_state["gaps_table"] = {"selection": {"rows": [2], "columns": []}}
    at.run()
    assert at.subheader[0].value == "劳动路社区"
    reasons = _table(at, "原因")["原因"].tolist()
    assert sorted(reasons) == ["缺少社会慈善资源要素", "缺少社区志愿者要素"]
    at.button(key="gaps_to_network").click().run()
    assert at.session_state["community"] == "M2"
    assert at.title[0].value == "网络图"


def test_gaps_download_is_a_workbook(app, tiny_store) -> None:
    at = app(tiny_store, "gaps", lang="en")
    button = at.get("download_button")[0]
    assert button.proto.label == "Download gaps and matches (XLSX)"


# -- modes --------------------------------------------------------------------------------

def test_modes_distribution_vector_and_compare(app, tiny_store) -> None:
    at = app(tiny_store, "modes")
    # M1, M3 community-led; M2, M4, M5 have no project
    assert "无项目 **3** · 社区主导型 **2**" in _md(at)
    # M1: community initiates 2/2 projects, leads 0/2 and pays 70 000 of 120 000 →
    # (1 + 0 + 0.583)/3 = 0.53; organizations lead 2/2 → 1/3 = 0.33
    at.selectbox(key="modes_community").set_value("M1").run()
    assert [i.value for i in at.info] == ["社区主导型:社区得分0.53,领先第二位社会组织(0.33)0.19"]
    at.selectbox(key="modes_community").set_value("M4").run()
    assert at.info[0].value.startswith("无项目")
    means = _tables(at, "平均得分")
    # county A = K1 (M1, M2, M3): mean community score (0.528 + 0 + 1) / 3 = 0.509
    assert means[0].iloc[0, 0] == pytest.approx(0.509)
    assert means[1].iloc[0, 0] == 0.0
    at.sidebar.radio(key="lang").set_value("en").run()
    assert "no projects **3** · community-led **2**" in _md(at)


# -- index --------------------------------------------------------------------------------

def test_index_weights_change_the_ranking(app, tiny_store) -> None:
    at = app(tiny_store, "index")
    assert "当前为默认权重。" in _md(at)
    table = _table(at, "名次变化")
    assert table["社区"].tolist() == ["清波社区", "东坡社区", "青溪村", "劳动路社区", "汾口村"]
    for comp in ("element_coverage", "element_density", "multi_element_projects"):
        at.slider(key=f"w_{comp}").set_value(0.0)
    at.slider(key="w_party_leadership").set_value(1.0).run()
    # only Party leadership counts: M1 100 (big committee), M4 50, the rest 0 →
    # ranks 1, 2, 3, 3, 3: M3 drops one place, M4 and M2 rise one, M5 rises two
    assert "调整权重后 **4** 个社区排名变化。" in _md(at)
    table = _table(at, "名次变化").set_index("社区")
    assert table["名次变化"].to_dict() == {"清波社区": 0, "青溪村": 1, "劳动路社区": 1,
                                       "东坡社区": -1, "汾口村": 2}
    assert "100%" in at.caption[-1].value or "党建引领 100%" in " ".join(
        c.value for c in at.caption)


def test_index_radar_follows_the_selected_community(app, tiny_store) -> None:
    at = app(tiny_store, "index")
    at.selectbox(key="idx_community").set_value("M3").run()
    # M3: Party 0, coverage 4/5 = 80, density 0.30 → 30, one 3-element project → 100;
    # 0.2·0 + 0.2·80 + 0.4·30 + 0.2·100 = 48
    assert at.metric[0].value == "48.0"
    at.radio(key="idx_kind").set_value("vitality").run()
    assert at.metric[0].label == "活力指数"
    assert [s.label for s in at.slider] == ["社区建设", "社会组织培育", "社会工作专业能力",
                                            "社区志愿者活力", "社会慈善资源集成"]


def test_an_empty_linkage_map_says_why_and_offers_the_members_view(app, tiny_store) -> None:
    # M4 青溪村 has no project; its one member is P4, the Party committee leading it
    at = app(tiny_store, "network", city="C1", county="K2", township="T3", community="M4")
    assert at.info[0].value.startswith("「青溪村」还没有项目记录")
    assert "它有 1 个驻在、服务或居住于此的主体" in at.info[0].value
    at.button(key="net_show_members").click().run()
    assert not at.exception
    assert at.checkbox(key="net_idle").value
    assert not [i for i in at.info if "还没有项目记录" in i.value]


# -- data ---------------------------------------------------------------------------------

def test_data_quality_summary(app, tiny_store) -> None:
    at = app(tiny_store, "data")
    # 34 nodes; O4 is the only node without relationships
    assert _metrics(at) == {"节点总数": "34", "孤立节点": "1"}
    missing = _table(at, "缺失比例")
    star = missing[(missing["标签"] == "社区") & (missing["属性"] == "服务综合体星级")]
    assert star["缺失比例"].tolist() == [pytest.approx(0.2)]  # M5 has no star
    orphans = _table(at, "编号")
    assert orphans["编号"].tolist() == ["O4"]
    assert orphans["类型"].tolist() == ["社会组织"]


def test_invalid_upload_shows_located_problems_and_writes_nothing(app, tmp_path) -> None:
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    before = LadybugStore(store).version()
    at = app(str(store), "data", lang="en")
    at.file_uploader(key="upload_files").set_value(
        ("Community.csv", "id,name,kind\nX1,测试社区,city\n".encode(), "text/csv")).run()
    assert not at.exception
    assert at.error[0].value.startswith("Validation found 1 problem(s); nothing was written.")
    problems = _table(at, "Problem")
    assert problems[["File", "Row", "Column", "Value"]].values.tolist() == [
        ["Community.csv", "2", "kind", "city"]]
    assert problems["Problem"].iloc[0] == ("Not an allowed value; use one of: urban community "
                                           "(urban), rural community (rural).")
    assert "upload_load" not in [b.key for b in at.button]  # nothing to load
    assert LadybugStore(store).version() == before


@pytest.mark.parametrize("case", ["cell_at_xfd1048576", "zip_high_ratio_member",
                                  "xml_entity_expansion", "zip_damaged_member"])
def test_a_hostile_workbook_upload_is_a_message_and_the_server_lives_on(app, tmp_path,
                                                                          case) -> None:
    """Workbooks that used to abort the process (a 512 GiB allocation) or eat GBs are
    refused on the page; the next upload still works (issue #11)."""
    corpus = Path(__file__).resolve().parent / "corpus" / "cases"
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    before = LadybugStore(store).version()
    at = app(str(store), "data", lang="en")
    at.file_uploader(key="upload_files").set_value(
        ("book.xlsx", (corpus / case / "book.xlsx").read_bytes(),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception
    assert at.error[0].value.startswith("Validation found 1 problem(s); nothing was written.")
    assert _table(at, "Problem")["File"].iloc[0].startswith("book.xlsx")
    assert LadybugStore(store).version() == before


def test_valid_upload_adds_to_the_graph_by_default(app, tmp_path) -> None:
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(
        ("City.csv", "id,name\nC9,宁波市\n".encode(), "text/csv")).run()
    assert at.success[0].value == "校验通过:1 个节点、0 条关系。"
    counts = _table(at, "新增")
    assert counts.values.tolist() == [["市", 1, 1, 0]]
    assert at.button(key="upload_load").label == "追加到现有数据"
    at.button(key="upload_load").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith("已导入 1 个节点、0 条关系(其中新增 1 个、更新 0 个")
    assert _metrics(at) == {"节点总数": "35", "孤立节点": "2"}  # 34 + C9, which has no link
    assert at.sidebar.selectbox(key="city").options == ["全部", "杭州市", "宁波市"]
    assert LadybugStore(store).count_by_label()["City"] == 2


def test_corrected_file_updates_what_it_describes(app, tmp_path) -> None:
    """Re-uploading a corrected Community.csv renames M2 instead of failing on its id."""
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(
        ("Community.csv", "id,name,kind\nM2,劳动路社区,city\n".encode(), "text/csv")).run()
    assert _table(at, "问题")["值"].tolist() == ["city"]
    # the corrected file, same name: it replaces the first upload (no 表重复出现)
    at.file_uploader(key="upload_files_1").set_value(
        ("Community.csv", "id,name,kind\nM2,劳动路新社区,urban\n".encode(), "text/csv")).run()
    assert [i.value for i in at.info][0] == "已用新上传的文件替换同名文件:Community.csv"
    assert _table(at, "新增").values.tolist() == [["社区", 1, 0, 1]]
    at.button(key="upload_load").click().run()
    assert "更新 1 个已有节点" in at.success[-1].value
    names = LadybugStore(store).run("MATCH (c:Community {id: 'M2'}) RETURN c.name AS n, "
                                    "c.population AS p")
    assert names.values.tolist() == [["劳动路新社区", 6000]]  # population not in the file: kept


def test_replace_needs_the_region_name_typed(app, tmp_path) -> None:
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(
        ("City.csv", "id,name\nC9,宁波市\n".encode(), "text/csv")).run()
    warning = at.warning[0].value
    assert warning.startswith("替换将删除库中现有的全部数据:"
                              "市 1、县(市、区) 2、乡镇(街道) 3、社区 5")
    assert "(共 34 个节点)" in warning
    assert at.button(key="upload_replace").disabled
    at.text_input(key="replace_confirm").input("宁波市").run()
    assert at.button(key="upload_replace").disabled  # the stored region is 杭州市
    at.text_input(key="replace_confirm").input("杭州市").run()
    assert not at.button(key="upload_replace").disabled
    at.button(key="upload_replace").click().run()
    assert not at.exception
    assert _metrics(at) == {"节点总数": "1", "孤立节点": "1"}
    assert LadybugStore(store).count_by_label()["City"] == 1


def test_empty_store_loads_the_sample_folder_on_first_run(app, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "City.csv").write_text("id,name\nC9,宁波市\n", encoding="utf-8")
    monkeypatch.setenv("WUSHE_SAMPLE", str(folder))
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    assert at.toast[0].value == "已载入示例数据:1 个节点、0 条关系"
    assert at.sidebar.selectbox(key="city").options == ["全部", "宁波市"]
    assert LadybugStore(tmp_path / "empty").count_by_label()["City"] == 1


def test_sample_data_says_so_on_every_page_and_targets_are_pro_rated(tmp_path,
                                                                    monkeypatch) -> None:
    """The sample's 252 communities are 252/23,300 = 1.0815 % of the province: the 1000 star
    complexes target becomes 10.815 for it; the toast is shown once, the banner always."""
    monkeypatch.setenv("WUSHE_SAMPLE", str(SAMPLE))
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "store"))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.toast][0].startswith("已载入示例数据")
    assert at.warning[0].value.startswith("**示例数据**")
    targets = _table(at, "目标值")
    star = targets[targets["指标"] == "星级社区服务综合体数"]
    assert star["目标值"].tolist() == ["10.82 个"]  # 1000 × 252 / 23,300
    assert "按数据覆盖全省比例(1.1%)折算" in star["口径"].iloc[0]
    at.run()
    assert not at.toast  # once only
    at.switch_page("views/gaps.py").run()
    assert at.warning[0].value.startswith("**示例数据**")


# -- every page on the sample data --------------------------------------------------------

@pytest.mark.slow
def test_every_page_renders_on_the_sample_data(app, tmp_path, monkeypatch) -> None:
    """What the README's run command does: an empty store, the shipped sample_data/."""
    monkeypatch.setenv("WUSHE_SAMPLE", str(SAMPLE))
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "store"))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert int(_metrics(at)["社区"]) > 0
    for page, column in (("gaps", "全部原因"), ("modes", "理由"), ("index", "名次变化"),
                         ("data", "孤立节点")):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert len(_table(at, column)) > 0, page
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Data import & quality"
