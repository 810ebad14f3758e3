"""Sample data says so (issue 17, item 5): while the store holds the sample, every page shows
the 示例数据 banner with a one-click way to import one's own data; once the store holds
other data only, no page does.

The store is the hand-drawn province of tests/test_app_pages.py; "the sample" is a folder
naming its city and counties (the app calls the store the sample when every city and
county of $WUSHE_SAMPLE is stored), so no page has to wait for the real sample's load.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import tiny_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store  # every test opens a store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app" / "main.py")
PAGES = ["overview", "network", "gaps", "modes", "index", "console", "compare", "data"]
BANNER = "**示例数据**:当前显示的是随软件提供的虚构示例数据,不是真实统计;"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(store, sample folder): the tiny province stored, and a folder naming its places."""
    tmp = tmp_path_factory.mktemp("sample")
    with LadybugStore(tmp / "store") as s:
        s.load(tiny_tables(), replace=True)
    folder = tmp / "sample"
    folder.mkdir()
    (folder / "City.csv").write_text("id,name\nC1,杭州市\n", encoding="utf-8")
    (folder / "County.csv").write_text("id,name\nK1,上城区\nK2,淳安县\n", encoding="utf-8")
    return str(tmp / "store"), str(folder)


def _run(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, (page, at.exception)
    return at


def _banners(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if str(w.value).startswith("**示例数据**")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_it_shows_the_sample(page, sample, monkeypatch) -> None:
    store, folder = sample
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", folder)
    at = _run(page)
    assert [b[:len(BANNER)] for b in _banners(at)] == [BANNER]
    # the way to one's own data, one click away, beside the banner
    links = [e for e in at.main if getattr(e, "type", "") == "page_link"]
    assert [(e.proto.label, e.proto.page) for e in links][:1] == [
        ("导入自己的数据", "data")]


def test_no_banner_once_the_store_holds_other_data(sample, monkeypatch, tmp_path) -> None:
    _, folder = sample
    other = tiny_tables()
    nodes = {k: v.assign(id=v["id"] + "-x") if k in ("City", "County") else v
             for k, v in other.nodes.items()}
    rels = {k: v.assign(**{e: v[e].where(~v[f"{e}_label"].isin(["City", "County"]),
                                         v[e] + "-x") for e in ("from", "to")})
            for k, v in other.rels.items()}
    with LadybugStore(tmp_path / "store") as s:
        s.load(GraphTables(nodes=nodes, rels=rels), replace=True)
    monkeypatch.setenv("WUSHE_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("WUSHE_SAMPLE", folder)
    for page in ("overview", "data"):
        assert _banners(_run(page)) == [], page
