"""Every column the query library returns, and every parameter it takes, has a title
(queries/titles.csv or the schema), so the console and its downloads read in Chinese."""

from __future__ import annotations

import re

import pytest
from browser_util import tiny_linkage_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.queries import registry
from wushe.queries.titles import title, titled

pytestmark = pytest.mark.store

_PICKS = {"community_id": "c1", "township_id": "T1", "county_id": "K1", "region_id": "K1",
          "organization_id": "o1", "communities": ["c1", "c2"], "ids": ["c1", "o1"]}
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = LadybugStore(tmp_path_factory.mktemp("titles") / "store")
    s.load(tiny_linkage_tables())
    yield s
    s.close()


def test_every_library_column_reads_in_chinese(store) -> None:
    untitled = {}
    for q in registry.list_queries():
        df = registry.run(store, q.name, **{p.name: _PICKS[p.name] for p in q.params
                                            if p.default is None})
        shown = titled(df, "zh")
        for col in shown.columns:
            values = shown[col].dropna().head(1).tolist()
            if not values or isinstance(values[0], dict | list):
                continue  # nodes, relationships, paths (or none): variables the query named
            if not _CJK.search(str(col)):
                untitled[col] = q.name
    assert not untitled


def test_every_parameter_has_a_title() -> None:
    names = {p.name for q in registry.list_queries() for p in q.params}
    assert {n for n in names if not _CJK.search(title(n))} == set()
    assert title("year_from", "en") == "From year"
