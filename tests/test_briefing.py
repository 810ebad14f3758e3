"""The Word/PDF briefing: sentences and numbers of the worked example, read back from the file.

Every expected number comes from the worked example of docs/metrics.md (see
tests/fixtures_analysis.py): certified share 20/33 = 60.6% against 60% (C7's blank left out),
two volunteer-service communities of 7 = 28.6%, the one registered centre evaluated = 100%
against 80%, one station in two townships = 50%; linkage indices C7 8, C2 26, C3 54,
C5 54, C4 58, C6 58, C1 80.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document
from fixtures_analysis import WINDOW, load_tiny_store

from wushe.app.briefing import build_briefing, docx_bytes, docx_to_pdf, write_appendix
from wushe.app.cli import cli
from wushe.app.report import resolve_region
from wushe.graph.errors import WusheError

pytestmark = pytest.mark.store

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = load_tiny_store(tmp_path_factory.mktemp("tiny") / "store")
    yield s
    s.close()


@pytest.fixture(scope="module")
def province(store):
    return build_briefing(store, None, years=WINDOW)


def test_findings_of_the_worked_example(province):
    assert [f.text for f in province.findings] == [
        "全省11项2025年目标中,2项已达到,9项未达到。",
        "约束性指标「志愿服务类社区社会组织覆盖」为28.6%,目标100.0%,尚差71.4个百分点。",
        "约束性指标「乡镇(街道)社会工作站覆盖率」为50.0%,目标100.0%,尚差50.0个百分点。",
        "预期性指标中完成度最低的是「4A级及以上社会组织数」,完成0.1%。",
        "7个社区中没有一种联动模式占多数:社区主导型、社会组织载体型、社会工作者牵引型、"
        "社区志愿者助力型、社会慈善资源撬动型、混合型、无项目并列最多,各1个。",
        "社会慈善资源撬动型社区1个,较多分布在示例市(1个)。",
        "7个社区(占100.0%)缺少至少一类要素,缺少最多的是社会慈善资源(5个社区)。",
        "社区联动指数中位数为54分,最低的10%社区在19分以下;联动指数最低的7个社区列于表3。",
    ]
    # every sentence says where it comes from
    assert {f.source for f in province.findings} == {"见表1、图1", "见图2、表2", "见图4",
                                                     "见图3、表3"}


def test_data_date_defaults_to_the_current_version(province):
    # the tiny store was loaded today without --as-of, so its version's data date is today
    assert province.data_date == dt.date.today().isoformat()
    assert province.as_of == dt.date(2025, 12, 31)


def test_lowest_index_first_with_gaps_and_a_match_in_words(province):
    worst = province.worst
    # ties on the index (C3/C5 at 54, C4/C6 at 58): more gap severity first
    assert list(worst["社区"]) == ["C7社区", "C2社区", "C3社区", "C5社区", "C6社区", "C4社区",
                                 "C1社区"]
    assert list(worst["联动指数"]) == [8.0, 26.0, 54.0, 54.0, 58.0, 58.0, 80.0]
    c7 = worst.iloc[0]
    assert c7["所属乡镇(街道)"] == "T2街道"
    assert "要素缺失" in c7["主要短板"] and "需求未回应" in c7["主要短板"]
    assert c7["建议对接"].startswith("C6关爱基金(同乡镇(街道)")


def test_township_by_name_in_english(store):
    b = build_briefing(store, "T1街道", years=WINDOW, lang="en")
    assert b.title == "Five-social linkage briefing: T1街道"
    assert b.n_communities == 3
    texts = [f.text for f in b.findings]
    assert texts[0] == "Of the 11 targets for 2025, T1街道 meets 3 and misses 8."
    assert ("Binding target 'Communities with at least one volunteer-service community social "
            "organization' stands at 33.3% against 100.0%, 66.7 percentage points short."
            in texts)
    assert "No community is charity-leveraged yet." in texts


def test_a_name_shared_by_two_regions_is_refused_naming_both():
    communities = pd.DataFrame({
        "community_id": ["a", "b"], "community": ["新村社区", "新村社区"],
        "township_id": ["t1", "t2"], "township": ["东街道", "西街道"],
        "county_id": ["k", "k"], "county": ["某县", "某县"],
        "city_id": ["c", "c"], "city": ["某市", "某市"]})
    with pytest.raises(WusheError, match=r"a \(东街道\); b \(西街道\)"):
        resolve_region(communities, "新村社区")
    assert resolve_region(communities, "西街道").region_id == "t2"
    assert resolve_region(communities, "b").name == "新村社区"


def test_docx_reads_back_with_tables_charts_and_findings(province):
    doc = Document(io.BytesIO(docx_bytes(province)))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "全省“五社联动”分析简报"
    assert ("约束性指标「志愿服务类社区社会组织覆盖」为28.6%,目标100.0%,尚差71.4个百分点。"
            "(见表1、图1)") in text
    assert len(doc.inline_shapes) == 4  # attainment, modes, index, missing elements
    targets = doc.tables[0]
    assert [c.text for c in targets.rows[0].cells] == ["指标", "类型", "现值", "目标值", "完成度",
                                                       "是否达标"]
    assert len(targets.rows) == 12
    row = [c.text for c in targets.rows[2].cells]
    assert row == ["专职社区工作者持证占比", "约束性", "60.6%", "60.0%", "101%", "达标"]
    modes = doc.tables[1]
    assert [c.text for c in modes.rows[-1].cells][:2] == ["合计", "1"]
    worst = doc.tables[2]
    assert worst.rows[1].cells[0].text == "C7社区" and len(worst.rows) == 8


def test_appendix_has_chinese_headers_percentages_frozen_rows_and_filters(province, tmp_path):
    wb = openpyxl.load_workbook(write_appendix(province, tmp_path / "a.xlsx"))
    assert wb.sheetnames == ["目标完成情况", "联动模式", "联动指数", "短板", "对接建议"]
    ws = wb["目标完成情况"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["区域", "指标", "性质", "现值"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    col = headers.index("达成率") + 1
    cell = ws.cell(row=3, column=col)
    assert cell.number_format == "0.0%" and cell.value == pytest.approx(1.010101, abs=1e-6)
    # the certified share itself, 20/33, is a share too: a number shown as a percentage
    value = ws.cell(row=3, column=headers.index("现值") + 1)
    assert value.number_format == "0.0%" and value.value == pytest.approx(20 / 33)
    assert ws.cell(row=3, column=headers.index("达标情况") + 1).value == "达标"
    assert ws.cell(row=3, column=headers.index("性质") + 1).value == "约束性"


def test_cli_writes_docx_and_appendix(store, tmp_path):
    out, app = tmp_path / "b.docx", tmp_path / "b.xlsx"
    result = CliRunner().invoke(cli, ["report", "T2街道", "--store", str(store.path),
                                      "--format", "docx", "--out", str(out), "--appendix",
                                      str(app), "--years", "2024-2025",
                                      "--data-date", "2025-12-31"])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "T2街道“五社联动”分析简报"
    assert any("数据日期:2025-12-31" in p.text for p in doc.paragraphs)
    assert openpyxl.load_workbook(app)["联动模式"].max_row == 5  # header + C4..C7


def test_province_briefing_fits_the_page_budget_and_renders(sample_ladybug, tmp_path):
    """The sample province as PDF: at most 15 pages; page 1 rendered to PNG for a look."""
    b = build_briefing(sample_ladybug, None)
    pdf = docx_to_pdf(docx_bytes(b), tmp_path / "briefing.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    assert 3 <= pages <= 15
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(ARTIFACTS / "briefing")], check=True)
    png = next(ARTIFACTS.glob("briefing*.png"))
    assert png.stat().st_size > 10_000


def test_pdf_without_libreoffice_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(WusheError, match="libreoffice-writer-nogui"):
        docx_to_pdf(b"", tmp_path / "x.pdf")


def test_kept_analysis_gives_the_same_briefing(tmp_path):
    """Once the version's analysis is kept, the briefing reads it: same sentences, same table."""
    from wushe.graph.analytics import kept

    s = load_tiny_store(tmp_path / "store")
    try:
        computed = build_briefing(s, None)
        assert kept.keep_analysis(s) is not None and kept.kept_analysis(s) is not None
        from_kept = build_briefing(s, None)
    finally:
        s.close()
    assert [f.text for f in from_kept.findings] == [f.text for f in computed.findings]
    pd.testing.assert_frame_equal(from_kept.worst, computed.worst)
