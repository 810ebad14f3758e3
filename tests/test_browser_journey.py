"""An official's whole journey in Chromium, in Chinese, asserting what each step shows.

The app starts on an empty store and loads the sample (two counties of 杭州市). Then, as a
county civil-affairs official would: read the targets (the 示例数据 banner is there),
download the template, fill it with openpyxl for one new street office in 西湖区 (1
township, 2 communities, 3 organizations, 5 volunteers, 1 project) with one deliberate
mistake (城乡类型 「城里」), upload it (one located error, nothing written), fix the cell and
upload the file of the same name again (it replaces the first; no 表重复出现), add it to
the stored data, find the new village by name with the sidebar search on the gaps page and
on the map (no project yet: the map says why and offers the members view), and export the
gap list (sheets, headers and the village in Chinese).

The new street is linked to its county as the template's drop-down writes it (西湖区
(杭州市), from the 已有区域 sheet): by name, never an id, as the official would.

Waiting: every step waits for what it should show (a text, a table, a download), never a
fixed time. A click is followed by a wait for the page to change (Streamlit keeps the old
elements on screen while the script reruns), so a step never reads the previous step's
screen. A failure carries the tail of the server's log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_util import running_app
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from test_browser import _assert_clean, browser, page  # noqa: F401

from wushe.graph.schema import SCHEMA
from wushe.loaders.template import ORGANIZATIONS_SHEET, README_SHEET, REGIONS_SHEET

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

SIDEBAR = '[data-testid="stSidebar"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: a step's result: generous for a loaded 2-core machine, far below the test's timeout
STEP = 120_000
SAMPLE_NODES = 27_392


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app on an empty store (it loads the sample itself); (URL, server log)."""
    tmp = tmp_path_factory.mktemp("journey")
    env = {k: v for k, v in os.environ.items() if k != "WUSHE_RESTRICT_ANALYST"}
    env["WUSHE_STORE"] = str(tmp / "store")
    with running_app(tmp, env) as url:
        yield url, tmp / "streamlit.log"


def _rows(ws, rows: list[dict[str, object]]) -> None:
    """Replace the sheet's data rows (the template's example) with ``rows`` by header."""
    headers = [c.value for c in ws[1]]
    ws.delete_rows(2, ws.max_row)
    for i, row in enumerate(rows, start=2):
        for key, value in row.items():
            ws.cell(row=i, column=headers.index(key) + 1, value=value)


def _fill(template: Path, out: Path, village_kind: str) -> None:
    """The street office's workbook: every example row removed, its own rows written."""
    wb = load_workbook(template)
    # the county as the 已有区域 sheet's drop-down writes it, name and parent, no id
    county = next(r[4].value for r in wb[REGIONS_SHEET].iter_rows(min_row=2)
                  if r[1].value == "西湖区" and r[0].value == "县(市、区)")
    assert county == "西湖区 (杭州市)"
    data = {
        "乡镇(街道)": [{"编号": "T-YX", "名称": "云溪街道", "类型": "街道"}],
        "社区": [{"编号": "C-YX1", "名称": "云溪社区", "城乡类型": "城市社区", "常住人口": 8000},
                 {"编号": "C-YX2", "名称": "云溪村", "城乡类型": village_kind, "常住人口": 2100}],
        "隶属": [{"起点编号": "T-YX", "终点编号": county},
                 {"起点编号": "C-YX1", "终点编号": "T-YX"},
                 {"起点编号": "C-YX2", "终点编号": "T-YX"}],
        "社会组织": [
            {"编号": "O-YX1", "名称": "云溪红马甲志愿队", "类别": "志愿", "是否社区社会组织": "是",
             "是否志愿服务类": "是"},
            {"编号": "O-YX2", "名称": "云溪邻里互助会", "类别": "服务", "是否社区社会组织": "是"},
            {"编号": "O-YX3", "名称": "云溪乡贤调解室", "类别": "调解", "是否社区社会组织": "是"}],
        "注册_驻在": [{"起点编号": "O-YX1", "终点编号": "C-YX1"},
                    {"起点编号": "O-YX2", "终点编号": "C-YX1"},
                    {"起点编号": "O-YX3", "终点编号": "T-YX"}],
        "服务": [{"起点编号": "O-YX3", "终点编号": "C-YX2"},
                 {"起点编号": "O-YX2", "终点编号": "C-YX2"}],
        "志愿者": [{"编号": f"V-YX{i}", "姓名": n, "近12个月服务时长": 10 * i}
                   for i, n in enumerate(["王小明", "李华", "张伟", "刘芳", "陈静"], start=1)],
        "居住于": [{"起点编号": f"V-YX{i}", "终点编号": "C-YX2" if i > 3 else "C-YX1"}
                   for i in range(1, 6)],
        "加入": [{"起点编号": f"V-YX{i}", "终点编号": "O-YX1"} for i in range(1, 6)],
        "项目": [{"编号": "P-YX1", "名称": "云溪邻里节", "应用场景": "睦邻文化", "年度": 2025}],
        "实施于": [{"起点编号": "P-YX1", "终点编号": "C-YX1"}],
        "领导_牵头": [{"起点编号": "O-YX1", "终点编号": "P-YX1"}],
        "参与服务": [{"起点编号": "V-YX1", "终点编号": "P-YX1", "服务时长": 4}],
    }
    for ws in wb.worksheets:
        if ws.title in (README_SHEET, REGIONS_SHEET, ORGANIZATIONS_SHEET):
            continue
        _rows(ws, data.get(ws.title, []))
    wb.save(out)


def _page(pg: Page, title: str, timeout: float = STEP) -> None:
    """Wait for the page titled ``title`` with its script run finished; an exception box
    (or Streamlit's redacted error) fails at once rather than at the timeout."""
    crash = pg.locator('[data-testid="stException"]').or_(
        pg.get_by_text("This app has encountered an error"))
    heading = pg.locator("h1").filter(has_text=title)
    expect(heading.or_(crash).first).to_be_visible(timeout=timeout)
    assert crash.count() == 0, crash.first.inner_text()
    pg.wait_for_selector(IDLE, timeout=timeout)
    expect(heading.first).to_be_visible()


def _click(pg: Page, target: Locator, gone: Locator, title: str) -> None:
    """Click ``target`` and wait until the rerun it starts has replaced ``gone`` (a text
    only the previous run showed) and finished."""
    target.click()
    expect(gone).to_have_count(0, timeout=STEP)
    _page(pg, title)


def _upload(pg: Page, path: Path) -> None:
    box = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
    expect(box).to_have_count(1, timeout=STEP)  # not while a rerun replaces the widget
    box.set_input_files(str(path))


def _search(pg: Page, name: str, title: str) -> None:
    """Pick a region by name in the sidebar search (type, then choose the option)."""
    box = pg.locator(SIDEBAR).get_by_role("combobox").first
    box.click()
    pg.keyboard.type(name)
    pg.get_by_role("option").filter(has_text=name).first.click()
    _page(pg, title)


def _download(pg: Page, label: str, to: Path) -> Path:
    with pg.expect_download(timeout=STEP) as info:
        pg.get_by_role("button", name=label).click()
    info.value.save_as(str(to))
    return to


def _expect_nodes(pg: Page, n: int) -> None:
    """The data page, its run finished, counts ``n`` nodes (its 节点总数 metric)."""
    _page(pg, "数据导入与质量")
    metric = pg.locator('[data-testid="stMetric"]').filter(has_text="节点总数")
    expect(metric).to_have_count(1, timeout=STEP)  # a rerun's stale copy is gone
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(str(n))


def test_an_official_adds_a_street_office_alone(served: tuple[str, Path],
                                                page: Page, tmp_path: Path) -> None:  # noqa: F811
    url, log = served
    try:
        _journey(url, page, tmp_path)
    except AssertionError as e:  # the server's side of the story
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
        raise AssertionError(f"{e}\n--- streamlit log ---\n{tail}") from e


def _journey(url: str, page: Page, tmp_path: Path) -> None:  # noqa: F811
    # 1. the targets, with the sample saying it is a sample (the first run loads it)
    page.goto(f"{url}/?lang=zh")
    _page(page, "总览与 2025 年目标", timeout=300_000)
    expect(page.get_by_text("示例数据", exact=False).first).to_be_visible()
    expect(page.get_by_text("政策目标达成情况")).to_be_visible()
    expect(page.get_by_role("link", name="导入自己的数据")).to_be_visible()

    # 2. the template, with the stored regions listed by name; the uploader in Chinese
    page.get_by_role("link", name="导入自己的数据").click()
    _expect_nodes(page, SAMPLE_NODES)
    template = _download(page, "下载导入模板 (XLSX,附已有区域及编号)", tmp_path / "template.xlsx")
    assert "已有区域" in load_workbook(template).sheetnames
    uploader = {'[data-testid="stFileUploaderDropzone"] button p': "上传文件",
                '[data-testid="stFileUploaderDropzoneInstructions"] span':
                    "每个文件不超过 200MB · CSV、XLSX"}
    for where, text in uploader.items():
        drawn = page.locator(where).first
        # Streamlit's English is drawn at size 0; the Chinese takes its place
        assert drawn.evaluate("e => getComputedStyle(e).fontSize") == "0px"
        assert drawn.evaluate("e => getComputedStyle(e, '::after').content") == f'"{text}"'

    # 3. filled with one mistake, uploaded: one located error, nothing written
    book = tmp_path / "云溪街道.xlsx"
    _fill(template, book, village_kind="城里")
    _upload(page, book)
    expect(page.get_by_text("校验发现 1 处问题,未写入任何数据", exact=False)).to_be_visible(
        timeout=STEP)
    _expect_nodes(page, SAMPLE_NODES)
    # the problem, located: the grid's accessible table holds its cells (file and sheet,
    # the spreadsheet's row 3 — the second community —, the column, the value as typed)
    problem = page.locator('[data-testid="stDataFrame"]').first.locator("tr").filter(
        has_text="城里")
    expect(problem).to_have_count(1, timeout=STEP)
    for cell in ("云溪街道.xlsx", "社区", "3", "城乡类型", "城里"):
        expect(problem).to_contain_text(cell)

    # 4. fixed and uploaded again under the same name: it replaces the first upload
    _fill(template, book, village_kind="农村")
    _upload(page, book)
    replaced = page.get_by_text("已用新上传的文件替换同名文件:云溪街道.xlsx")
    expect(replaced).to_be_visible(timeout=STEP)
    expect(page.get_by_text("校验通过:12 个节点、21 条关系。")).to_be_visible(timeout=STEP)
    _page(page, "数据导入与质量")
    assert page.get_by_text("重复出现").count() == 0
    assert page.get_by_text("校验发现").count() == 0

    # 5. added to the stored data (the default; replacing is a separate, guarded action)
    _click(page, page.get_by_role("button", name="追加到现有数据"), replaced, "数据导入与质量")
    expect(page.get_by_text("已导入 12 个节点、21 条关系(其中新增 12 个、更新 0 个", exact=False)
           ).to_be_visible(timeout=STEP)
    _expect_nodes(page, SAMPLE_NODES + 12)

    # 6. the new village by name on the gaps page
    page.get_by_role("link", name="短板与匹配").click()
    _page(page, "短板与精准对接")
    _search(page, "云溪村", "短板与精准对接")
    expect(page.locator("main").get_by_text(re.compile(r"社区 云溪村"))).to_be_visible(
        timeout=STEP)
    _page(page, "短板与精准对接")
    gaps_metric = page.locator('[data-testid="stMetric"]').filter(has_text="有短板的社区")
    expect(gaps_metric.locator('[data-testid="stMetricValue"]')).to_have_text("1")

    # 7. on the map: no project yet, so the map says why and offers the members view
    page.get_by_role("link", name="网络图").click()
    _page(page, "网络图")
    why = page.get_by_text("「云溪村」还没有项目记录", exact=False)
    expect(why).to_be_visible(timeout=STEP)
    # its members: 云溪邻里互助会 and 云溪乡贤调解室 serve it, 刘芳 and 陈静 live there, and
    # the team they belong to, 云溪红马甲志愿队
    expect(why).to_contain_text("它有 5 个驻在、服务或居住于此的主体")
    _click(page, page.get_by_role("button", name="显示成员视图"), why, "网络图")
    frame = page.frame_locator("iframe").first
    expect(frame.locator("#mynetwork canvas")).to_be_visible(timeout=STEP)
    expect(frame.locator("#wushe-legend")).to_contain_text("图例")
    page.screenshot(path=str(tmp_path / "map.png"))

    # 8. the gap list exported, in Chinese
    page.get_by_role("link", name="短板与匹配").click()
    _page(page, "短板与精准对接")
    out = _download(page, "下载短板与对接清单 (XLSX)", tmp_path / "gaps.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["社区排名", "短板明细", "对接推荐"]
    ranking = [[c.value for c in r] for r in wb["社区排名"].iter_rows()]
    assert ranking[0][:2] == ["社区", "乡镇(街道)"] and ranking[1][:2] == ["云溪村", "云溪街道"]
    identifiers = {*SCHEMA.node_names, *SCHEMA.rel_names, "None", "urban", "rural"}
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not identifiers & {str(v) for v in row if v is not None}, (ws.title, row)
    _assert_clean(page)


def test_the_uploader_keeps_streamlit_s_own_text_in_english(served: tuple[str, Path],
                                                            page: Page) -> None:  # noqa: F811
    """The Chinese text replaces Streamlit's only in the Chinese UI."""
    url, _ = served
    page.goto(f"{url}/data?lang=en")
    _page(page, "Data import & quality", timeout=300_000)
    button = page.locator('[data-testid="stFileUploaderDropzone"] button p').first
    expect(button).to_have_text("Upload")
    assert button.evaluate("e => getComputedStyle(e).fontSize") != "0px"
    assert button.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")
