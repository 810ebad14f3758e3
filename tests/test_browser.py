"""The real app in a real browser: ``streamlit run app.py`` driven by headless Chromium.

Debian's ``chromium`` (/usr/bin/chromium) through Playwright — no downloaded browser. The
app starts on an empty temporary store and loads sample_data/ by itself, as the README's
one command does. Every page is opened in both languages; each must show its title and one
data-dependent element and no exception box, and leaves a screenshot in tests/artifacts/
screenshots/ (ignored by git; scripts/screenshots.sh copies them to docs/screenshots/).
Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_util import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: elements that only appear once a page has data to show
DATA = ('[data-testid="stDataFrame"], [data-testid="stPlotlyChart"], '
        '[data-testid="stMetric"], [data-testid="stTable"], iframe')
# (URL path, screenshot name, zh title, en title)
PAGES = [
    ("", "overview", "总览与 2025 年目标", "Overview & 2025 targets"),
    ("network", "network", "网络图", "Network map"),
    ("gaps", "gaps", "短板与精准对接", "Gaps & matches"),
    ("modes", "modes", "联动模式", "Linkage modes"),
    ("index", "index", "联动指数与活力指数", "Linkage & vitality index"),
    ("console", "console", "Cypher 控制台", "Cypher console"),
    ("data", "data", "数据导入与质量", "Data import & quality"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port, on an empty store (so it loads the sample data itself)."""
    tmp = tmp_path_factory.mktemp("browser")
    env = {k: v for k, v in os.environ.items() if k != "WUSHE_RESTRICT_ANALYST"}
    env["WUSHE_STORE"] = str(tmp / "store")
    with running_app(tmp, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(180_000)  # the first page also loads the sample data
    yield pg
    context.close()


def _settle(pg: Page, title: str) -> None:
    """Wait until the page shows ``title`` and Streamlit has finished running the script."""
    expect(pg.locator("h1").filter(has_text=title).first).to_be_visible(timeout=180_000)
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                         timeout=180_000)
    pg.wait_for_timeout(1000)  # late deltas (iframes, charts) after the run ends


def _assert_clean(pg: Page) -> None:
    assert pg.locator('[data-testid="stException"]').count() == 0, pg.locator(
        '[data-testid="stException"]').first.inner_text()
    assert "Traceback" not in pg.locator("body").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("path", "name", "zh", "en"), PAGES, ids=[p[1] for p in PAGES])
def test_page_renders_with_data(app_url: str, page: Page, path: str, name: str, zh: str,
                                en: str, lang: str) -> None:
    page.goto(f"{app_url}/{path}?lang={lang}")
    _settle(page, zh if lang == "zh" else en)
    if name == "console":  # its data appears once a query has run
        _run_named(page, "count_by_label", "运行" if lang == "zh" else "Run",
                   zh if lang == "zh" else en)
    expect(page.locator(DATA).first).to_be_visible(timeout=30_000)
    if name == "network":
        frame = page.frame_locator("iframe").first
        expect(frame.locator("#mynetwork canvas")).to_be_visible(timeout=30_000)
        expect(frame.locator("#wushe-legend")).to_contain_text("图例" if lang == "zh"
                                                               else "Legend")
        page.locator("iframe").first.scroll_into_view_if_needed()  # the map in the shot
    _assert_clean(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"))


def _run_named(pg: Page, query: str, run: str, title: str) -> None:
    """Find ``query`` with the console's search box and run it from the form."""
    pg.locator('[data-testid="stTextInput"] input').first.fill(query)
    pg.keyboard.press("Enter")
    _settle(pg, title)
    # the library narrows to one query: "查询(1 个)" / "Query (1)"
    expect(pg.locator("main").get_by_role("combobox").first).to_have_accessible_name(
        re.compile(r"\(1\b"))
    pg.get_by_role("button", name=run, exact=True).click()
    _settle(pg, title)


def test_console_runs_a_named_query_in_the_browser(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/console?lang=en")
    _settle(page, "Cypher console")
    _run_named(page, "count_by_label", "Run", "Cypher console")
    expect(page.get_by_text("Result", exact=True)).to_be_visible()
    result = page.locator('[data-testid="stDataFrame"]').first
    expect(result).to_be_visible()
    # one row per label that has nodes: the sample data has all five elements and more
    caption = page.get_by_text(re.compile(r"^\d+ rows · ")).first
    expect(caption).to_be_visible()
    assert int(caption.inner_text().split()[0]) >= 5
    _assert_clean(page)


def test_sidebar_switches_the_language(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/network?lang=zh")
    _settle(page, "网络图")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    _settle(page, "Network map")
    assert "lang=en" in page.url
    _assert_clean(page)
