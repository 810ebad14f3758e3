"""Chinese throughout: every page and export in Chinese mode shows no schema identifier and
no ASCII-only word outside a short allow-list (product names, file formats, units).

Every page is run with AppTest on the hand-drawn province of tests/test_app_pages.py, kept
as two versions so the compare page draws its tables; the text a user reads is collected
(titles, headers, captions, notices, labels, options, metric labels, table headers and text
cells) and scanned. Code blocks (the console's Cypher) and numbers are not words. Every
export is scanned the same way: the gaps workbook (built as the page builds it), the version
comparison (XLSX and Markdown), the region report (XLSX and Markdown) and the briefing
(DOCX text and its appendix workbook). Ids sit in 编号 columns, a detail, and are not read.
"""

from __future__ import annotations

import io
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
    "B",  # the later of two compared versions (A, B)
    "csv", "xlsx",  # an uploaded file's name ends so
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
        # a problem's 值 is the value as the file holds it: data, not a word of the page
        skip = DETAIL_COLUMNS | ({"值"} if "问题" in df.columns else set())
        for c in df.columns:
            if str(c) in skip:
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
    """The tiny province as two kept versions; the second drops the organization O1."""
    from wushe.graph.analytics.kept import keep_analysis
    from wushe.graph.backends.versions import VersionMeta

    path = tmp_path_factory.mktemp("zh") / "store"
    with LadybugStore(path) as s:
        s.load(tiny_tables(), replace=True, meta=VersionMeta(user="分析员"))
        keep_analysis(s)
        later = tiny_tables()
        for label, df in later.nodes.items():
            later.nodes[label] = df[df["id"] != "O1"]
        for rel, df in later.rels.items():
            later.rels[rel] = df[(df["from"] != "O1") & (df["to"] != "O1")]
        s.load(later, replace=True, meta=VersionMeta(user="分析员"))
        keep_analysis(s)
    return str(path)


def _sheet_texts(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Sheet names, headers and text cells of a workbook's frames (编号 columns left out)."""
    texts = [str(n) for n in frames]
    for df in frames.values():
        texts += [str(c) for c in df.columns]
        for c in df.columns:
            if str(c) not in DETAIL_COLUMNS:
                texts += [str(v) for v in df[c].dropna().unique()]
    return texts


def _workbook_texts(data: bytes) -> list[str]:
    return _sheet_texts(pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object,
                                       engine="openpyxl"))


def _markdown_texts(text: str) -> list[str]:
    """Every line of a Markdown file, 编号 columns of its tables left out."""
    out: list[str] = []
    skip: set[int] = set()
    for line in text.splitlines():
        if not line.startswith("|"):
            skip = set()
            out.append(line)
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if "编号" in cells:
            skip = {i for i, c in enumerate(cells) if c == "编号"}
        out += [c.replace("\\", "") for i, c in enumerate(cells) if i not in skip]
    return out


def _assert_chinese(texts: list[str], what: str) -> None:
    bad = _offenders(texts)
    assert not bad, f"{what}: {bad}"
    assert not (set().union(*map(_words, texts)) & SCHEMA_WORDS), what


#: the regions a page is scanned at: a community, a county (its notes, targets above a
#: community) and the province
REGIONS = {"community": {"city": "C1", "county": "K1", "township": "T1", "community": "M1"},
           "county": {"city": "C1", "county": "K1"}, "province": {}}


@pytest.mark.parametrize("region", list(REGIONS))
@pytest.mark.parametrize("page", PAGES)
def test_page_in_chinese_shows_no_identifier_or_english_word(page, region, store, monkeypatch,
                                                             tmp_path) -> None:
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(REGIONS[region])
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
    assert not bad, f"{page} at the {region}: {bad}"


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


def test_version_comparison_in_chinese_has_no_identifier_or_english_word(store) -> None:
    from wushe.app.diff_export import diff_markdown, diff_sheets
    from wushe.app.export import frames_to_xlsx
    from wushe.graph.analytics.versions_diff import diff_versions, kept_version

    with LadybugStore(store) as s:
        versions = [v.id for v in s.versions() if v.state != "dropped"][-2:]
        d = diff_versions(kept_version(s, versions[0]), kept_version(s, versions[1]))
    assert len(d.entity_items) == 1 and len(d.targets) > 0  # the tables have rows
    _assert_chinese(_workbook_texts(frames_to_xlsx(diff_sheets(d, "zh"))), "diff XLSX")
    _assert_chinese(_markdown_texts(diff_markdown(d, "zh")), "diff Markdown")


def test_region_report_in_chinese_has_no_identifier_or_english_word(store, tmp_path) -> None:
    from wushe.app.report import build_report, write_report

    with LadybugStore(store) as s:
        report = build_report(s, "上城区")
    xlsx = write_report(report, tmp_path / "r.xlsx", "xlsx", lang="zh")
    _assert_chinese(_workbook_texts(xlsx.read_bytes()), "report XLSX")
    md = write_report(report, tmp_path / "r.md", "md", lang="zh")
    _assert_chinese(_markdown_texts(md.read_text(encoding="utf-8")), "report Markdown")


def test_briefing_in_chinese_has_no_identifier_or_english_word(store, tmp_path) -> None:
    from docx import Document

    from wushe.app import briefing

    with LadybugStore(store) as s:
        b = briefing.build_briefing(s, "上城区", lang="zh")
    doc = Document(io.BytesIO(briefing.docx_bytes(b)))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    _assert_chinese(texts, "briefing DOCX")
    book = briefing.write_appendix(b, tmp_path / "appendix.xlsx")
    _assert_chinese(_workbook_texts(book.read_bytes()), "briefing appendix")


def test_register_mapping_in_chinese_shows_no_identifier_or_english_word(store, monkeypatch,
                                                                         tmp_path) -> None:
    """The data page with two of the sample's registers uploaded: the column-mapping step
    (field pickers, previews) reads in Chinese."""
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/data.py").run()
    registers = ROOT / "sample_data" / "registers"
    at.file_uploader(key="upload_files").set_value([  # registers, not graph tables
        (f"{name}台账.csv", (registers / f"{name}.csv").read_bytes(), "text/csv")
        for name in ("社会组织", "志愿者")]).run()
    assert not at.exception, at.exception
    assert "台账列映射" in [str(h.value) for h in at.subheader]
    # the previews show the registers' own cells (their numbers, as written): data, not words
    cells: set[str] = set()
    for name in ("社会组织", "志愿者"):
        cells |= set(pd.read_csv(registers / f"{name}.csv", dtype=str).stack().str.strip())
    _assert_chinese([t for t in _texts(at) if t.strip() not in cells], "register mapping")


def test_validation_problems_in_chinese_show_no_identifier_or_english_word(
        store, monkeypatch, tmp_path) -> None:
    """An upload with mistakes of several kinds (an unknown enumeration, a missing required
    value, a reference to nothing, an unknown, a repeated and a missing column): the problem
    table reads in Chinese."""
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/data.py").run()
    at.file_uploader(key="upload_files").set_value([
        ("社区.csv", "编号,名称,城乡类型,常住人口,备注\nX1,新社区,城里,abc,x\nX2,,农村,10,y\n"
         .encode(), "text/csv"),
        ("隶属.csv", "起点编号,终点编号\nX1,没有这个乡镇\n".encode(), "text/csv"),
        ("乡镇(街道).csv", "编号,名称,名称\nT9,新镇,新镇\n".encode(), "text/csv"),
        ("县(市、区).csv", "名称\n新区\n".encode(), "text/csv")]).run()
    assert not at.exception, at.exception
    problems = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    said = " ".join(problems["问题"])
    for what in ("城里", "没有此列", "列重复", "缺少必填列「编号」", "没有这个乡镇"):
        assert what in said or what in " ".join(problems["值"].astype(str)), (what, said)
    _assert_chinese(_texts(at), "validation problems")


def test_a_valid_upload_in_chinese_shows_no_identifier_or_english_word(store, monkeypatch,
                                                                       tmp_path) -> None:
    """A valid upload (a community under the stored 清波街道): the validation summary names
    tables and kinds in Chinese (社区, 隶属; not Community, PART_OF)."""
    monkeypatch.setenv("WUSHE_STORE", store)
    monkeypatch.setenv("WUSHE_SAMPLE", str(tmp_path / "no-sample"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/data.py").run()
    at.file_uploader(key="upload_files").set_value([
        ("社区.csv", "编号,名称,城乡类型,常住人口\nX1,新社区,城市,3000\n".encode(), "text/csv"),
        ("隶属.csv", "起点编号,终点编号\nX1,T1\n".encode(), "text/csv")]).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][:1] == ["校验通过:1 个节点、1 条关系。"]
    counts = next(d.value for d in at.dataframe if "更新已有" in d.value.columns)
    assert counts["表"].tolist() == ["社区", "隶属"]
    _assert_chinese(_texts(at), "valid upload")
