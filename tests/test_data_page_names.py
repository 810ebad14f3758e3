"""The data page with names instead of ids, on the hand-drawn province of test_app_pages
(杭州市 C1 › 上城区 K1 › 清波街道 T1 / 湖滨街道 T2; 淳安县 K2 › 千岛湖镇 T3)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from test_app_pages import _table, app, tiny_tables  # noqa: F401 - the page fixture

from wushe.graph.backends.ladybug_store import LadybugStore

pytestmark = pytest.mark.store


def _book(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


STREET = _book({"乡镇(街道)": [["编号", "名称", "类型"], ["T9", "云溪街道", "街道"]],
                "隶属": [["起点编号", "终点编号"], ["T9", "上城区 (杭州市)"]]})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_street_linked_to_its_county_by_name_is_added(app, tmp_path) -> None:  # noqa: F811
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(("云溪街道.xlsx", STREET, XLSX)).run()
    assert at.success[0].value == "校验通过:1 个节点、1 条关系。"
    at.button(key="upload_load").click().run()
    assert not at.exception
    rows = LadybugStore(store).run("MATCH (t:Township {id: 'T9'})-[:PART_OF]->(k) "
                                   "RETURN k.id AS k")
    assert rows["k"].tolist() == ["K1"]


def test_replacing_with_a_link_to_a_stored_county_says_to_add_instead(app, tmp_path) -> None:  # noqa: F811
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    before = LadybugStore(store).version()
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(("云溪街道.xlsx", STREET, XLSX)).run()
    at.text_input(key="replace_confirm").input("杭州市").run()
    at.button(key="upload_replace").click().run()
    assert not at.exception
    problems = _table(at, "问题")
    assert problems["值"].tolist() == ["上城区 (杭州市)"]
    assert problems["问题"].iloc[0].startswith(
        "「上城区 (杭州市)」是库中已有的县(市、区)「上城区」(杭州市)的名称(编号 K1)。替换导入会删除"
        "库中全部数据,不能连接到它;要把新数据连到已有的「上城区」,请改用「追加到现有数据」")
    assert LadybugStore(store).version() == before


def test_two_files_with_one_table_name_both_and_a_same_named_file_replaces(
        app, tmp_path) -> None:  # noqa: F811
    store = tmp_path / "store"
    LadybugStore(store).load(tiny_tables(), replace=True)
    at = app(str(store), "data")
    at.file_uploader(key="upload_files").set_value(("一.xlsx", STREET, XLSX)).run()
    at.file_uploader(key="upload_files_1").set_value(("二.xlsx", STREET, XLSX)).run()
    problems = _table(at, "问题")
    twice = problems[problems["问题"].str.startswith("表「乡镇(街道)」重复出现")]
    assert twice[["文件", "行", "列"]].values.tolist() == [["二.xlsx [乡镇(街道)]", "", ""]]
    assert "一.xlsx [乡镇(街道)] 和 二.xlsx [乡镇(街道)] 中都有" in twice["问题"].iloc[0]
    assert "None" not in problems.to_string()
    # 一.xlsx uploaded again (another street in it): it replaces the first 一.xlsx, and
    # the two files still both hold 乡镇(街道) — until 二.xlsx is removed
    other = _book({"乡镇(街道)": [["编号", "名称", "类型"], ["T8", "云山街道", "街道"]],
                   "隶属": [["起点编号", "终点编号"], ["T8", "上城区 (杭州市)"]]})
    at.file_uploader(key="upload_files_2").set_value(("一.xlsx", other, XLSX)).run()
    assert [i.value for i in at.info][0] == "已用新上传的文件替换同名文件:一.xlsx"
    assert list(at.session_state["upload_store"]) == ["二.xlsx", "一.xlsx"]
    at.button(key="upload_remove_二.xlsx").click().run()
    assert at.success[0].value == "校验通过:1 个节点、1 条关系。"
    assert _table(at, "新增").values.tolist() == [["乡镇(街道)", 1, 1, 0], ["隶属", 1, 1, 0]]
