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
    # the county_id field is prefilled from the region picker
    assert at.text_input(key="console_p_community_links_via_orgs_county_id").value == "K1"
    at.button[0].click().run()  # the form's Run button
    assert not at.exception
    df = at.dataframe[0].value
    assert list(zip(df["source"], df["target"], df["shared_orgs"], strict=True)) == [
        ("c1", "c2", 1), ("c2", "c3", 1)]
    assert any("2 rows" in c for c in _captions(at).split(" | "))


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
    assert "Ladybug engine could not run the query" in at.error[0].value
    assert "Nope" in at.code[0].value
    assert "queries/README.md" in at.expander[0].label


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
