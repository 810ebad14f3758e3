"""wushe.app.export: GEXF/GraphML that Gephi reads back with colours, XLSX of a result."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest
from openpyxl import load_workbook

from wushe.app import export, netmap


def _map() -> nx.Graph:
    G = nx.MultiDiGraph()
    G.add_node("o1", label="Organization", name="阳光服务中心", registered_on=dt.date(2020, 5, 1))
    G.add_node("v1", label="Volunteer", name="李*", hours_12m=4.5)
    G.add_node("p1", label="Project", name="助老餐桌", year=2024)
    G.add_edge("o1", "p1", key="LEADS", type="LEADS")
    G.add_edge("v1", "p1", key="SERVES_IN", type="SERVES_IN", hours=3.0)
    view = netmap.build_map(G, netmap.MapOptions(mode="raw"))
    netmap.layout(view.graph)
    return view.graph


def test_gexf_has_gephi_viz_colour_and_reads_back() -> None:
    H = _map()
    data = export.to_gexf(H)
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    root = ET.fromstring(data)
    node = root.find(".//g:node[@id='o1']", ns)
    assert node.get("label") == "阳光服务中心"
    colour = node.find("viz:color", ns)
    assert (colour.get("r"), colour.get("g"), colour.get("b")) == ("78", "121", "167")
    back = nx.read_gexf(io.BytesIO(data))
    assert back.nodes["o1"]["schema_label"] == "Organization"
    assert back.nodes["o1"]["element"] == "organization"
    assert back.nodes["o1"]["registered_on"] == "2020-05-01"  # dates become text
    assert back.nodes["o1"]["viz"]["position"]["y"] == -H.nodes["o1"]["y"]
    assert back.edges["o1", "p1"]["types"] == "LEADS"  # the raw map's list → text
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 2


def test_graphml_keeps_label_element_and_colour() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label="Foundation", name="基金", tags=["x", "y"])
    G.add_node("b", label="Project", name="项目")
    G.add_edge("a", "b", key="FUNDS", type="FUNDS", amount=100.0)
    G.add_edge("a", "b", key="LEADS", type="LEADS")
    back = nx.read_graphml(io.BytesIO(export.to_graphml(G)))
    assert back.nodes["a"] == {"label": "Foundation", "name": "基金", "tags": "x, y",
                               "element": "charity", "color": netmap.ELEMENT_COLOURS["charity"]}
    # the two relationships between a and b merge into one edge of weight 2
    assert back.edges["a", "b"]["weight"] == 2.0
    assert back.edges["a", "b"]["types"] == "FUNDS, LEADS"


def test_frame_to_xlsx_writes_nested_values_as_json() -> None:
    df = pd.DataFrame({"id": ["p1", "p2"], "n": [{"id": "x", "label": "City"}, [1, 2]],
                       "year": [2024, 2025]})
    ws = load_workbook(io.BytesIO(export.frame_to_xlsx(df))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [("id", "n", "year"), ("p1", '{"id": "x", "label": "City"}', 2024),
                    ("p2", "[1, 2]", 2025)]


def test_hex_to_rgb() -> None:
    assert export.hex_to_rgb("#4e79a7") == (78, 121, 167)


def test_gexf_keeps_a_node_s_own_kind_property() -> None:
    G = nx.MultiDiGraph()
    G.add_node("t1", label="Township", name="西溪街道", kind="street", code="330106004")
    back = nx.read_gexf(io.BytesIO(export.to_gexf(G)))
    assert back.nodes["t1"]["kind"] == "street"
    assert back.nodes["t1"]["schema_label"] == "Township"
    assert back.nodes["t1"]["code"] == "330106004"


def test_csv_writes_iso_dates_lowercase_booleans_and_json_nested_values() -> None:
    df = pd.DataFrame({"d": [dt.date(2024, 3, 1), None], "ok": [True, False],
                       "l": [[1, "a"], []], "m": [{"k": dt.date(2024, 1, 2)}, None],
                       "x": [float("nan"), 1.5]})
    text = export.frame_to_csv(df)
    assert text.splitlines() == [
        "d,ok,l,m,x",
        '2024-03-01,true,"[1, ""a""]","{""k"": ""2024-01-02""}",',
        ",false,[],,1.5",
    ]
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back["ok"].tolist() == [True, False]  # pandas reads true/false as booleans
    assert json.loads(back["m"][0]) == {"k": "2024-01-02"}


def test_json_is_strict_nan_and_infinity_become_null() -> None:
    df = pd.DataFrame({"x": [float("nan"), float("inf"), 2.0], "d": [dt.date(2024, 1, 1)] * 3})
    text = export.frame_to_json(df)
    rows = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON token {c}"))
    assert rows == [{"x": None, "d": "2024-01-01"}, {"x": None, "d": "2024-01-01"},
                    {"x": 2.0, "d": "2024-01-01"}]
