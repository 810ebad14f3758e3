"""Names carrying HTML, JavaScript and Markdown payloads show as written, everywhere.

Unit checks for the Markdown escaping, the workbook exports and the map's tooltips, hashes
and Content-Security-Policy; and a Chromium check of the map a user hovers: no script
runs, no request leaves the page, the tooltip shows the name literally.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from wushe.app import netmap
from wushe.app.export import frame_to_xlsx
from wushe.app.report import write_report
from wushe.app.textsafe import md_escape

XSS = "<img src=x onerror=\"window.__xss=1\"> <a href='https://evil.example/'>a</a>"
SCRIPT = "<script>window.__xss=2</script>"
MD = "[click](https://evil.example/) ![p](https://evil.example/p.png) **bold** $x^2$"
FORMULA = '=HYPERLINK("https://evil.example/","x")'
HASH = "sha256:" + "ab" * 32


def test_markdown_escaping_leaves_no_link_image_emphasis_or_markup():
    out = md_escape(MD + " " + XSS + "\n# heading")
    for raw in ("](", "![", "**", "<img", "<a ", "\n", " $x"):
        assert raw not in out
    assert "\\$x^2\\$" in out
    # an invisible word joiner keeps the URL from being auto-linked
    assert "\\[click\\]\\(https://evil.example/\\)" in out.replace("\u2060", "")
    assert "https://" not in out
    assert "&lt;img" in out


def test_the_markdown_report_escapes_names(tmp_path):
    df = pd.DataFrame({"community": [MD, XSS], "community_id": ["c1", "c2"]})
    path = write_report({"modes": df}, tmp_path / "r.md", fmt="md")
    text = path.read_text(encoding="utf-8")
    assert "](" not in text and "<img" not in text and "**bold**" not in text
    assert "\\*\\*bold\\*\\*" in text


def test_workbooks_never_hold_a_formula_from_a_name(tmp_path):
    df = pd.DataFrame({"community": [FORMULA, "+1+1", "plain"]})
    write_report({"modes": df}, tmp_path / "r.xlsx", fmt="xlsx")
    for source in (tmp_path / "r.xlsx", io.BytesIO(frame_to_xlsx(df))):
        ws = openpyxl.load_workbook(source).worksheets[0]
        cells = [c for row in ws.iter_rows(min_row=2) for c in row]
        assert [c.value for c in cells] == [FORMULA, "+1+1", "plain"]
        assert {c.data_type for c in cells} == {"s"}


def _hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("o1", label="Organization", name=XSS)
    G.add_node("o2", label="Organization", name=SCRIPT)
    G.add_node("c1", label="Community", name=MD)
    G.add_node("v1", label="Volunteer", name="张*明", phone=HASH, id_number=HASH)
    for a, b, t in (("o1", "c1", "BASED_IN"), ("o2", "c1", "SERVES"), ("v1", "o1", "MEMBER_OF")):
        G.add_edge(a, b, key=t, type=t)
    return G


def test_the_map_holds_no_hash_and_keeps_tooltips_text_only():
    view = netmap.build_map(_hostile_graph(), netmap.MapOptions(mode="raw"))
    assert "phone" not in view.graph.nodes["v1"] and "id_number" not in view.graph.nodes["v1"]
    table = netmap.node_table(view.graph, "v1")
    assert HASH not in table.to_string()
    page = netmap.to_pyvis_html(view.graph)
    assert HASH not in page
    assert "popup.innerHTML" not in page  # pyvis' HTML popup stays off
    assert "Content-Security-Policy" in page and "script-src 'nonce-" in page


@pytest.mark.browser
def test_hostile_names_on_the_map_run_nothing_and_show_literally(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    view = netmap.build_map(_hostile_graph(), netmap.MapOptions(mode="raw"))
    page_file = tmp_path / "map.html"
    page_file.write_text(netmap.to_pyvis_html(view.graph, physics=False), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1200, "height": 800})
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto(page_file.as_uri())
            for _ in range(100):  # (wait_for_function evaluates strings: the CSP forbids it)
                if pg.evaluate("typeof network !== 'undefined'"):
                    break
                pg.wait_for_timeout(100)
            for node in ("o1", "o2", "c1"):
                xy = pg.evaluate(f"network.canvasToDOM(network.getPositions(['{node}'])"
                                 f"['{node}'])")
                box = pg.locator("#mynetwork").bounding_box()
                pg.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
                tip = pg.locator("div.vis-tooltip")
                tip.wait_for(state="visible", timeout=10_000)
                text = tip.inner_text()
                want = {"o1": "<img src=x onerror=", "o2": "<script>", "c1": "[click]("}[node]
                assert want in text, text
                assert tip.locator("img, a, script").count() == 0
                pg.mouse.move(1, 1)
                pg.wait_for_timeout(300)
            assert pg.evaluate("window.__xss === undefined")
        finally:
            browser.close()
    assert requests == [page_file.as_uri()], requests
