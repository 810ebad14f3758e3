"""Chinese throughout: every page and export in Chinese mode shows no schema identifier and
no ASCII-only word outside a short allow-list (product names, file formats, units).

Every page is run with AppTest on the hand-drawn province of tests/test_app_pages.py; the
text a user reads is collected (titles, headers, captions, notices, labels, options,
metric labels, table headers and text cells) and scanned. Code blocks (the console's
Cypher) and numbers are not words. The gaps workbook is built as the page builds it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import tiny_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.choices import CHOICE_NAMES
from wushe.graph.schema import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app" / "main.py")
PAGES = ["overview", "network", "gaps", "modes", "index", "console", "compare", "data"]

#: ASCII words a Chinese page may show: names of products and formats, units, grades
ALLOWED = {
    "wushe", "Cypher", "Ladybug", "Neo4j", "XLSX", "CSV", "HTML", "GEXF", "Gephi", "GraphML",
    "Markdown", "JSON", "Word", "PNG", "ID", "Excel", "Streamlit", "Adamic", "Adar", "UTF",
    "A", "AA", "AAA", "AAAA", "AAAAA", "KB", "MB", "GB", "MiB", "vs", "N", "Y",
    # the language switch names both languages in their own words
    "Language", "English",
}
#: columns holding ids or login names: data shown as a detail, not words of the page
DETAIL_COLUMNS = {"编号", "导入人"}
SCHEMA_WORDS = ({n.name for n in SCHEMA.nodes} | {r.name for r in SCHEMA.rels}
                | {p.name for n in SCHEMA.nodes for p in n.all_props if "_" in p.name}
                | {c for codes in CHOICE_NAMES.values() for c in codes})
_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_])")


def _words(text: str) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", str(text))  # markup is not read
    text = re.sub(r"\d+[A-Za-z]+", " ", text)  # 4A, 12m, 2025Q4: figures, not words
    text = re.sub(r"https?://\S+", " ", text)
    return {w for w in _WORD.findall(text) if not w.isdigit()}


def _texts(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                 "error", "success", "toast"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "checkbox", "radio", "selectbox", "multiselect", "text_input",
                 "slider", "select_slider", "number_input", "toggle", "date_input"):
        for e in getattr(at, kind):
            out.append(str(e.label))
            out += [str(o) for o in getattr(e, "options", []) or []]
    out += [str(m.label) for m in at.metric]
    for d in at.dataframe:
        df = d.value
        if list(df.columns) == ["属性", "值"]:  # node details: the id row is a detail
            df = df[~df["属性"].isin(DETAIL_COLUMNS)]
        out += [str(c) for c in df.columns]
        for c in df.columns:
            if str(c) in DETAIL_COLUMNS:
                continue
            if df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
                out += [str(v) for v in df[c].dropna().unique()[:200]]
    return out


def _offenders(texts: list[str]) -> dict[str, str]:
    bad: dict[str, str] = {}
    for t in texts:
        for w in _words(t) - ALLOWED:
            bad.setdefault(w, t[:120])
    return bad


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("zh") / "store"
    LadybugStore(path).load(tiny_tables(), replace=True)
    return str(path)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_chinese_shows_no_identifier_or_english_word(page, store, monkeypatch,
                                                             tmp_path) -> None:
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(city="C1", county="K1", township="T1", community="M1")
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    texts = _texts(at)
    assert len(texts) > 5, page  # the page did draw
    bad = _offenders(texts)
    if page == "console":  # the library's query names are what `wushe query -n` takes
        from wushe.queries import registry

        bad = {w: t for w, t in bad.items() if w not in {q.name for q in registry.list_queries()}}
    assert not bad, f"{page}: {bad}"


def test_gaps_workbook_in_chinese_has_no_identifier_or_english_word(store,
                                                                   monkeypatch) -> None:
    from wushe.app.gaps_export import gap_sheets
    from wushe.app.views import _data

    monkeypatch.setenv("WUSHE_STORE", store)
    details = _data.gap_details("province", None)  # as the gaps page gets them
    sheets = gap_sheets(pd.DataFrame({"社区": ["清波社区"]}), details,
                        _data.gap_matches(details["community_id"].unique().tolist()), "zh")
    assert list(sheets) == ["社区排名", "短板明细", "对接推荐"]
    texts = []
    for df in sheets.values():
        texts += [str(c) for c in df.columns]
        for c in df.columns:
            texts += [str(v) for v in df[c].dropna().unique()]
    assert not _offenders(texts)
    assert not (set().union(*map(_words, texts)) & SCHEMA_WORDS)
