"""The running app, in Chromium, on a province whose names carry HTML, JS and Markdown.

Every community and organization name of sample_data/ gets payloads appended (a remote
image, an ``onerror`` handler, a ``<script>``, a Markdown link and image). Pages that show
those names must run no script, make no request outside the app and show the text as
written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from browser_util import running_app
from playwright.sync_api import Page, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
EVIL = "evil.example"
COMMUNITY_TAIL = (f"<img src=https://{EVIL}/c.png onerror=window.__xss=1>"
                  f"[m](https://{EVIL}/m) ![i](https://{EVIL}/i.png) $x$")
ORG_TAIL = f"<a href='https://{EVIL}/a'>a</a><script>window.__xss=2</script>**b**"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app on a store loaded from sample_data/ with hostile names; (url, a community id)."""
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.loaders import read_import

    tmp = tmp_path_factory.mktemp("hostile-names")
    src = tmp / "import"
    src.mkdir()
    for f in (ROOT / "sample_data").glob("*.csv"):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        if f.stem == "Community":
            df["name"] = df["name"] + COMMUNITY_TAIL
        elif f.stem == "Organization":
            df["name"] = df["name"] + ORG_TAIL
        df.to_csv(src / f.name, index=False)
    with LadybugStore(tmp / "store") as store:
        store.load(read_import(src), replace=True)
    community = pd.read_csv(src / "Community.csv", dtype=str)["id"].iloc[0]
    env = {**os.environ, "WUSHE_STORE": str(tmp / "store"), "WUSHE_AUTOLOAD_SAMPLE": "0"}
    with running_app(tmp, env) as url:
        yield url, community


def _settle(pg: Page) -> None:
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                         timeout=180_000)
    pg.wait_for_timeout(2500)  # iframes and charts arrive after the run ends


# (page, whether its text shows the selected community's name; the map draws on a canvas)
@pytest.mark.parametrize(("path", "shows_name"), [("", True), ("modes", True),
                                                  ("network", False), ("index", False)])
def test_hostile_names_run_nothing_request_nothing_and_read_literally(hostile_app, path,
                                                                       shows_name):
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    url, community = hostile_app
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            ctx.on("request", lambda r: requests.append(r.url))
            pg = ctx.new_page()
            pg.set_default_timeout(180_000)
            pg.goto(f"{url}/{path}?lang=zh&community={community}")
            _settle(pg)
            for frame in pg.frames:  # the page and the map's iframe
                assert frame.evaluate("window.__xss === undefined"), frame.url
                assert frame.locator(f"img[src*='{EVIL}'], a[href*='{EVIL}']").count() == 0
                assert not frame.evaluate(  # no injected <script> element
                    "[...document.scripts].some(s => s.text.trim().startsWith('window.__xss'))")
            if shows_name:
                # (word joiners, invisible, keep URLs in names from being auto-linked)
                body = pg.locator("body").inner_text().replace("\u2060", "")
                assert f"![i](https://{EVIL}/i.png)" in body
        finally:
            browser.close()
    assert not [r for r in requests if EVIL in r]
    # the app itself, and Streamlit's own icon font (material symbols), nothing else
    own = (url, "data:", "blob:", "about:", "https://fonts.gstatic.com/s/i/")
    assert [r for r in requests if not r.startswith(own)] == []
