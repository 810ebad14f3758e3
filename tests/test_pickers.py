"""Pickers never offer two identical entries: two communities of one county with the same
name are told apart by the places above them (the hand-drawn province of test_app_pages,
plus M6 清波社区 in T2 湖滨街道 — the second 清波社区 of K1 上城区)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import tiny_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.tables import GraphTables

pytestmark = pytest.mark.store

VIEWS = Path(__file__).resolve().parent.parent / "app" / "views"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("pickers") / "store"
    s = LadybugStore(path)
    s.load(tiny_tables(), replace=True)
    s.load(GraphTables(
        nodes={"Community": pd.DataFrame([{"id": "M6", "name": "清波社区", "kind": "urban"}])},
        rels={"PART_OF": pd.DataFrame({"from": ["M6"], "to": ["T2"],
                                       "from_label": ["Community"],
                                       "to_label": ["Township"]})}))
    s.close()
    return str(path)


@pytest.mark.parametrize("page, key", [("network.py", "net_community"),
                                       ("index.py", "idx_community"),
                                       ("modes.py", "modes_community")])
def test_two_same_named_communities_read_differently(store, monkeypatch, page, key) -> None:
    monkeypatch.setenv("WUSHE_STORE", store)
    at = AppTest.from_file(str(VIEWS / page), default_timeout=120)
    for k, v in {"city": "C1", "county": "K1"}.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception
    options = at.selectbox(key=key).options
    assert "清波社区(清波街道 · 上城区 · 杭州市)" in options
    assert "清波社区(湖滨街道 · 上城区 · 杭州市)" in options
    assert "东坡社区" in options  # a name used once stays short
