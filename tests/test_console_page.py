"""Streamlit AppTest of the network map and Cypher console pages on the hand-drawn graph.

The graph is tests/browser_util.tiny_linkage_tables(); expected counts are worked out in
tests/test_netmap.py's docstring.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_util import tiny_linkage_tables
from streamlit.testing.v1 import AppTest

from wushe.graph.backends.ladybug_store import LadybugStore

pytestmark = pytest.mark.store

ROOT = Path(__file__).resolve().parent.parent
NETWORK = str(ROOT / "app" / "views" / "network.py")
CONSOLE = str(ROOT / "app" / "views" / "console.py")


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("console") / "store"
    store = LadybugStore(path)
    store.load(tiny_linkage_tables(), replace=True)
    store.close()
    return str(path)


@pytest.fixture
def app(tiny_store: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WUSHE_STORE", tiny_store)
    monkeypatch.delenv("WUSHE_RESTRICT_ANALYST", raising=False)

    def make(script: str, **state: object) -> AppTest:
        at = AppTest.from_file(script, default_timeout=60)
        at.session_state["lang"] = "en"
        for k, v in state.items():
            at.session_state[k] = v
        return at.run()

    return make


def _captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


# -- network map -----------------------------------------------------------------------

def test_network_community_linkage_draws_actors_and_shared_projects(app) -> None:
    at = app(NETWORK, community="c1")
    assert not at.exception
    assert at.title[0].value == "Network map"
    # 6 actors on p1/p2 plus the volunteers' team o2; 15 actor pairs sharing p1 or p2
    assert "Drawing 7 nodes and 15 links" in _captions(at)
    assert len(at.get("iframe")) == 1
    # with the community's members, pc1 (no project) joins
    at.checkbox(key="net_idle").check().run()
    assert "Drawing 8 nodes and 15 links" in _captions(at)


def test_network_element_filter_changes_the_map(app) -> None:
    at = app(NETWORK, community="c1", net_idle=True)
    at.multiselect(key="net_elements").set_value(["organization"]).run()
    assert not at.exception
    assert "Drawing 2 nodes and 0 links" in _captions(at)
    at.radio(key="net_filter_mode").set_value("highlight").run()
    assert "Drawing 8 nodes and 15 links" in _captions(at)


def test_network_raw_mode_keeps_projects_and_needs(app) -> None:
    at = app(NETWORK, community="c1", net_idle=True)
    at.radio(key="net_mode").set_value("raw").run()
    assert not at.exception
    assert "Drawing 11 nodes and 20 links" in _captions(at)


def test_network_township_scope_and_node_details(app) -> None:
    at = app(NETWORK, county="K1", township="T1")
    at.radio(key="net_scope").set_value("township").run()
    assert not at.exception
    assert "Drawing 8 nodes and 15 links" in _captions(at)
    at.selectbox(key="net_details").set_value("o1").run()
    table = at.dataframe[0].value
    # the reader's table: display names (English UI here), the name first, the id last
    details = dict(zip(table["Property"], table["Value"], strict=True))
    assert details["Category"] == "服务" and details["Name"] == "阳光服务中心"
    assert list(details)[-1] == "Id" and details["Id"] == "o1"


def test_network_focus_limits_to_the_ego_graph(app) -> None:
    at = app(NETWORK, community="c1", net_idle=True)
    at.selectbox(key="net_focus").set_value("o2").run()
    assert "Drawing 1 nodes and 0 links" in _captions(at)


def test_network_links_scope_draws_the_county_community_graph(app) -> None:
    at = app(NETWORK, city="C1", county="K1")
    at.radio(key="net_scope").set_value("links").run()
    assert not at.exception
    assert "Drawing 3 nodes and 2 links" in _captions(at)


# -- console ---------------------------------------------------------------------------

def test_console_runs_a_named_query_with_form_parameters(app) -> None:
    at = app(CONSOLE, county="K1")
    at.selectbox(key="console_query").set_value("community_links_via_orgs").run()
    # the county is picked by name (with its city), prefilled from the sidebar's choice
    box = at.selectbox(key="console_p_community_links_via_orgs_county_id")
    assert box.label == "County" and box.value == "K1"
    assert box.options == ["乙区(甲市)"]
    at.button[0].click().run()  # the form's Run button
    assert not at.exception
    df = at.dataframe[0].value
    assert list(zip(df["source"], df["target"], df["shared_orgs"], strict=True)) == [
        ("c1", "c2", 1), ("c2", "c3", 1)]
    assert any("2 rows" in c for c in _captions(at).split(" | "))


def test_console_picks_communities_and_organizations_by_name(app) -> None:
    """Every community is offered with its township, county and city; every organization
    with the community it is based in; nothing is typed."""
    at = app(CONSOLE)
    at.selectbox(key="console_query").set_value("organization_neighbourhood").run()
    org = at.selectbox(key="console_p_organization_neighbourhood_organization_id")
    assert org.options == [
        "红马甲志愿队(一号社区 · 丙街道 · 乙区 · 甲市)", "舞蹈队(二号社区 · 丙街道 · 乙区 · 甲市)",
        "阳光服务中心(一号社区 · 丙街道 · 乙区 · 甲市)"]
    assert org.value is None
    at.button[0].click().run()  # nothing picked yet: said so, nothing run
    assert at.error[0].value == "Pick Organization first."
    at.selectbox(key="console_p_organization_neighbourhood_organization_id").set_value("o3")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["console_params"] == 'organization_id="o3"\nhops=1\nlimit=5000'
    # with a community chosen in the sidebar, only the organizations based there
    at.session_state["community"] = "c2"
    at.selectbox(key="console_query").set_value("organization_neighbourhood").run()
    assert at.selectbox(key="console_p_organization_neighbourhood_organization_id").options == [
        "舞蹈队(二号社区 · 丙街道 · 乙区 · 甲市)"]
    at.session_state["community"] = ""
    at.selectbox(key="console_query").set_value("element_counts").run()
    many = at.multiselect(key="console_p_element_counts_communities")
    assert "三号村(丁镇 · 乙区 · 甲市)" in many.options
    many.set_value(["c1", "c3"])
    at.button[0].click().run()
    counts = at.dataframe[0].value.set_index("element")["n"].to_dict()
    assert counts["community"] == 2 and counts["volunteer"] == 2  # v1, v2 live in c1


def test_console_lists_at_most_so_many_organizations(app, monkeypatch) -> None:
    monkeypatch.setattr("wushe.app.views._pickers.MAX_LISTED", 2)
    at = app(CONSOLE)
    at.selectbox(key="console_query").set_value("organization_neighbourhood").run()
    assert len(at.selectbox(key="console_p_organization_neighbourhood_organization_id")
               .options) == 2
    assert "3 organizations; the first 2 are listed" in _captions(at)


def test_console_search_filters_the_library(app) -> None:
    at = app(CONSOLE)
    at.text_input(key="console_search").set_value("neighbourhood").run()
    assert at.selectbox(key="console_query").options == [
        "Organization neighbourhood · organization_neighbourhood"]
    at.text_input(key="console_search").set_value("no such query").run()
    assert at.info[0].value == "No query matches."


def test_console_refuses_a_write(app) -> None:
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value("CREATE (c:City {id: 'X'})").run()
    at.button(key="console_run_editor").click().run()
    assert not at.exception
    assert "read-only" in at.error[0].value


def test_console_shows_the_engine_error_and_portability_notes(app) -> None:
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value("MATCH (n:Nope) RETURN n").run()
    at.button(key="console_run_editor").click().run()
    assert not at.exception
    assert at.error[0].value == ("The Ladybug engine could not run the query: there is no "
                                 "node label or relationship type 'Nope'.")
    assert "Nope" in at.code[0].value
    assert "queries/README.md" in at.expander[0].label


def test_console_in_chinese_explains_the_engine_error_first(app) -> None:
    at = app(CONSOLE, lang="zh")
    at.text_area(key="console_cypher").set_value("MATCH (n:Community) RETURN m").run()
    at.button(key="console_run_editor").click().run()
    assert at.error[0].value == ("Ladybug 引擎无法执行该查询:变量「m」未定义"
                                 "(须先在 MATCH 等子句中出现)。")
    assert "Ladybug 引擎的原文(英文):" in _captions(at)
    assert at.code[0].value == "Binder exception: Variable m is not in scope."


def test_console_downloads_carry_chinese_titles_in_chinese(app, monkeypatch) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from wushe.app import export

    made: dict[str, bytes | str] = {}  # what the page hands to its two download buttons
    for name in ("frame_to_csv", "frame_to_xlsx"):
        real = getattr(export, name)
        monkeypatch.setattr(export, name, lambda *a, _r=real, _n=name, **k: made.setdefault(
            _n, _r(*a, **k)))
    at = app(CONSOLE, lang="zh")
    at.text_area(key="console_cypher").set_value(
        "MATCH (c:Community) RETURN c.id AS community_id, c.population AS population, "
        "'Community' AS label, count(*) AS n ORDER BY community_id").run()
    at.button(key="console_run_editor").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["社区编号", "常住人口", "节点类型", "数量"]
    assert table["节点类型"].tolist() == ["社区"] * 3
    assert made["frame_to_csv"].splitlines()[:2] == ["社区编号,常住人口,节点类型,数量",
                                                     "c1,5000,社区,1"]
    wb = load_workbook(BytesIO(made["frame_to_xlsx"]))
    assert wb.sheetnames == ["查询结果"]
    assert [c.value for c in wb["查询结果"][1]] == ["社区编号", "常住人口", "节点类型", "数量"]


def test_console_row_limit_history_and_rerun(app) -> None:
    at = app(CONSOLE)
    at.number_input(key="console_row_limit").set_value(2).run()
    at.text_area(key="console_cypher").set_value(
        "MATCH (p:Project) RETURN p.id AS id ORDER BY id").run()
    at.button(key="console_run_editor").click().run()
    assert list(at.dataframe[0].value["id"]) == ["p1", "p2"]
    assert "truncated at the limit of 2" in _captions(at)
    at.button(key="console_rerun_0").click().run()
    assert not at.exception
    assert len(at.session_state["console_history"]) == 2


def test_console_draws_nodes_and_relationships_as_a_graph(app) -> None:
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value(
        "MATCH (a)-[r:LEADS]->(p:Project) RETURN a, r, p").run()
    at.button(key="console_run_editor").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3
    assert len(at.get("iframe")) == 1


def test_console_is_refused_to_viewers_when_restricted_to_analysts(app, monkeypatch) -> None:
    monkeypatch.setenv("WUSHE_RESTRICT_ANALYST", "1")
    at = app(CONSOLE)
    assert "limited to the analyst role" in at.error[0].value
    assert not at.text_area  # the editor is not drawn
    at = app(CONSOLE, _wushe_login={"user": "ana", "role": "analyst"})
    assert not at.error and not at.exception and at.text_area


def test_console_reads_neo4j_cypher_with_typed_parameters(app) -> None:
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value(
        "UNWIND [$y, toInteger($f)] AS x RETURN x, substring('abcdef', 0, 2) AS s").run()
    at.text_area(key="console_params").set_value("y=2024\nf=467.6").run()
    at.button(key="console_run_editor").click().run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.to_dict("list") == {"x": [2024, 467], "s": ["ab", "ab"]}
    # re-running from the history keeps the parameters' types
    at.button(key="console_rerun_0").click().run()
    assert at.text_area(key="console_params").value == "y=2024\nf=467.6"
    assert at.dataframe[0].value.to_dict("list")["x"] == [2024, 467]


def test_console_refuses_what_the_embedded_store_cannot_answer_with_the_portable_form(app):
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value(
        "MATCH (c:Community) RETURN [(c)<-[:RUNS_IN]-(p) | p.id] AS ps").run()
    at.button(key="console_run_editor").click().run()
    assert "Portable form: OPTIONAL MATCH" in at.error[0].value
    assert "docs/cypher.md" in _captions(at)


def test_console_draws_the_graph_beside_the_table(app) -> None:
    at = app(CONSOLE)
    at.text_area(key="console_cypher").set_value(
        "MATCH (a)-[r:LEADS]->(p:Project) RETURN a, r, p").run()
    at.button(key="console_run_editor").click().run()
    cols = list(at.columns)
    left = next(i for i, c in enumerate(cols) if len(c.dataframe))
    assert len(cols[left + 1].get("iframe")) == 1  # the graph in the column beside it
