"""Imports that point at stored things by name, as an official fills the template.

Real workbooks (openpyxl) read by ``read_import_files``, checked against a real Ladybug
store holding the hand-drawn graph of tests/browser_util.py plus a second county:

    甲市 C1
    ├── 乙区 K1: 丙街道 T1 (一号社区 c1, 二号社区 c2), 丁镇 T2 (三号村 c3)
    └── 戊区 K2: 丙街道 T3            (a second 丙街道, in another county: allowed)

Hand-worked answers: "丙街道" alone names T1 and T3 (an error naming both with their
county); "丙街道 (乙区 · 甲市)" and "丙街道 (乙区)" name T1 only; "乙区 (甲市)" names K1.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from browser_util import tiny_linkage_tables
from openpyxl import Workbook

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import ValidationError
from wushe.graph.tables import GraphTables
from wushe.loaders import read_import_files
from wushe.loaders.references import parse_reference

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


def _second_county() -> GraphTables:
    return GraphTables(
        nodes={"County": pd.DataFrame([{"id": "K2", "name": "戊区", "code": "330106"}]),
               "Township": pd.DataFrame([{"id": "T3", "name": "丙街道", "code": "330106001",
                                          "kind": "street"}])},
        rels={"PART_OF": pd.DataFrame({"from": ["K2", "T3"], "to": ["C1", "K2"],
                                       "from_label": ["County", "Township"],
                                       "to_label": ["City", "County"]})})


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The store folder, built once (closed: tests open a copy)."""
    path = tmp_path_factory.mktemp("names") / "store"
    s = LadybugStore(path)
    s.load(tiny_linkage_tables())
    s.load(_second_county())
    s.close()
    return path


@pytest.fixture(scope="module")
def store(base, tmp_path_factory):
    """The store for tests that only validate against it."""
    copy = tmp_path_factory.mktemp("names_read") / "store"
    shutil.copytree(base, copy)
    s = LadybugStore(copy)
    yield s
    s.close()


@pytest.fixture
def fresh(base, tmp_path):
    """A store of its own for a test that loads into it."""
    shutil.copytree(base, tmp_path / "store")
    s = LadybugStore(tmp_path / "store")
    yield s
    s.close()


def _add(store, files, **kw):
    return read_import_files(files, store=store, update=True, salt="t", **kw)


def _community(parent: str) -> bytes:
    return _book({"社区": [["编号", "名称", "城乡类型"], ["c9", "新苑社区", "城市社区"]],
                  "隶属": [["起点编号", "终点编号"], ["c9", parent]]})


def test_a_name_that_fits_two_places_is_an_error_naming_both(store) -> None:
    with pytest.raises(ValidationError) as info:
        _add(store, [("新苑.xlsx", _community("丙街道"))])
    [p] = info.value.problems
    assert (p.file, p.row, p.value) == ("新苑.xlsx [隶属]", 2, "丙街道")
    assert p.zh == ("「丙街道」不止指一处:乡镇(街道)「丙街道」(乙区 · 甲市,编号 T1)、"
                    "乡镇(街道)「丙街道」(戊区 · 甲市,编号 T3)。请写明它的上级(如「丙街道 (乙区 · "
                    "甲市)」,即模板下拉列表中的写法),或填写编号。")
    assert "township '丙街道' in 乙区 · 甲市 (id T1); township '丙街道' in 戊区 · 甲市" in p.en


@pytest.mark.parametrize("parent", ["丙街道 (乙区 · 甲市)", "丙街道（乙区）", "T1"])
def test_the_name_with_its_county_links_to_the_stored_street(fresh, parent) -> None:
    tables = _add(fresh, [("新苑.xlsx", _community(parent))])
    part = tables.rels["PART_OF"]
    assert part[["from", "to", "to_label"]].values.tolist() == [["c9", "T1", "Township"]]
    fresh.load(tables, update=True)
    rows = fresh.run("MATCH (c:Community {id: 'c9'})-[:PART_OF]->(t) RETURN t.id AS t")
    assert rows["t"].tolist() == ["T1"]


def test_a_new_street_links_to_its_county_by_name_and_its_village_to_it(store) -> None:
    book = _book({
        "乡镇(街道)": [["编号", "名称", "类型"], ["T9", "云溪街道", "街道"]],
        "社区": [["编号", "名称", "城乡类型"], ["c9", "云溪村", "农村社区"]],
        "隶属": [["起点编号", "终点编号"], ["T9", "乙区 (甲市)"], ["c9", "云溪街道"]]})
    tables = _add(store, [("云溪.xlsx", book)])
    assert tables.rels["PART_OF"][["from", "to"]].values.tolist() == [["T9", "K1"],
                                                                     ["c9", "T9"]]


def test_a_second_street_of_a_stored_name_given_by_name_is_refused(store) -> None:
    book = _book({"乡镇(街道)": [["编号", "名称", "类型"], ["T9", "丁镇", "镇"]],
                  "隶属": [["起点编号", "终点编号"], ["T9", "乙区 (甲市)"]]})
    with pytest.raises(ValidationError) as info:
        _add(store, [("丁镇.xlsx", book)])
    [p] = info.value.problems
    assert (p.file, p.row, p.value) == ("丁镇.xlsx [乡镇(街道)]", 2, "丁镇")
    assert p.zh.startswith("「乙区」下已有同名乡镇(街道)「丁镇」(编号 T2,库中已有)。如果就是同一个,"
                           "请使用编号 T2(导入将更新它)")


def test_an_unknown_name_says_how_to_write_one(store) -> None:
    with pytest.raises(ValidationError) as info:
        _add(store, [("新苑.xlsx", _community("庚街道 (乙区)"))])
    [p] = info.value.problems
    assert p.value == "庚街道 (乙区)"
    assert p.zh.startswith("找不到该编号或名称的节点(本次导入及数据库中均无)。")
    assert "「西湖区 (杭州市)」" in p.zh


def test_a_replacing_import_names_the_stored_county_and_says_to_add(store) -> None:
    book = _book({"乡镇(街道)": [["编号", "名称", "类型"], ["T9", "云溪街道", "街道"],
                              ["T8", "云山街道", "街道"]],
                  "隶属": [["起点编号", "终点编号"], ["T9", "K1"], ["T8", "戊区 (甲市)"]]})
    with pytest.raises(ValidationError) as info:
        read_import_files([("云溪.xlsx", book)], replacing=store, salt="t")
    by_row = {p.row: p for p in info.value.problems}
    assert sorted(by_row) == [2, 3]
    assert by_row[2].zh == ("「K1」是库中已有的县(市、区)「乙区」(甲市)的编号。替换导入会删除"
                            "库中全部数据,不能连接到它;要把新数据连到已有的「乙区」,请改用"
                            "「追加到现有数据」(默认方式)。")
    assert by_row[3].zh.startswith(
        "「戊区 (甲市)」是库中已有的县(市、区)「戊区」(甲市)的名称(编号 K2)。")
    assert "add to the stored data instead of replacing it" in by_row[2].en


def test_the_same_table_in_two_files_names_both_files(store) -> None:
    first = _book({"社区": [["编号", "名称", "城乡类型"], ["c9", "新苑社区", "城市社区"]]})
    second = _book({"社区": [["编号", "名称", "城乡类型"], ["c8", "新华社区", "城市社区"]]})
    with pytest.raises(ValidationError) as info:
        _add(store, [("一.xlsx", first), ("二.xlsx", second)])
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == ("二.xlsx [社区]", None, None)
    assert p.zh == ("表「社区」重复出现:一.xlsx [社区] 和 二.xlsx [社区] 中都有。请把同一类数据放在"
                    "一个文件或工作表中(或从上传列表中移除旧文件)。")


def test_loading_the_corrected_workbook_again_updates_what_it_describes(fresh) -> None:
    """The same workbook, loaded, then corrected and loaded again: no 该编号已存在; c9's
    population becomes 3100 and its name 新苑社区(东), nothing else changes."""
    def book(name: str, population: int) -> bytes:
        return _book({"社区": [["编号", "名称", "城乡类型", "常住人口"],
                             ["c9", name, "城市社区", population]],
                      "隶属": [["起点编号", "终点编号"], ["c9", "丙街道 (乙区)"]]})

    fresh.load(_add(fresh, [("新苑.xlsx", book("新苑社区", 3000))]), update=True)
    before = fresh.count_by_label()
    summary = fresh.load(_add(fresh, [("新苑.xlsx", book("新苑社区(东)", 3100))]), update=True)
    assert summary.updated == {"Community": 1} and summary.added_nodes == 0
    assert fresh.count_by_label() == before
    rows = fresh.run("MATCH (c:Community {id: 'c9'})-[:PART_OF]->(t) "
                     "RETURN c.name AS n, c.population AS p, t.id AS t")
    assert rows.values.tolist() == [["新苑社区(东)", 3100, "T1"]]


def test_parse_reference_reads_the_drop_down_form() -> None:
    assert parse_reference("一号社区 (丙街道 · 乙区 · 甲市)") == ("一号社区",
                                                             ("丙街道", "乙区", "甲市"))
    assert parse_reference("新村社区(十一)") == ("新村社区", ("十一",))


def test_the_template_drop_down_value_links_to_the_stored_street(store, tmp_path) -> None:
    """The downloaded template lists 丙街道 twice (乙区 and 戊区); the official picks the
    first from the drop-down's list and the village is linked to T1."""
    from openpyxl import load_workbook

    from wushe.graph.analytics.regions import searchable
    from wushe.loaders.template import REGIONS_SHEET, with_stored_names, write_template
    from wushe.queries import registry

    blank = write_template(tmp_path / "blank.xlsx").read_bytes()
    (tmp_path / "t.xlsx").write_bytes(
        with_stored_names(blank, searchable(registry.run(store, "regions"))))
    wb = load_workbook(tmp_path / "t.xlsx")
    offered = [r[4].value for r in wb[REGIONS_SHEET].iter_rows(min_row=2)]
    assert offered[:6] == ["甲市", "乙区 (甲市)", "戊区 (甲市)", "丁镇 (乙区 · 甲市)",
                           "丙街道 (乙区 · 甲市)", "丙街道 (戊区 · 甲市)"]
    for ws in wb.worksheets:
        if ws.title not in ("说明", REGIONS_SHEET):
            ws.delete_rows(2, ws.max_row)  # the examples out
    wb["社区"].append(["c9", "新苑社区", None, "城市社区"])
    wb["隶属"].append(["c9", offered[4]])
    wb.save(tmp_path / "filled.xlsx")
    tables = _add(store, [("filled.xlsx", (tmp_path / "filled.xlsx").read_bytes())])
    assert tables.rels["PART_OF"][["from", "to"]].values.tolist() == [["c9", "T1"]]


def test_a_volunteer_joins_a_stored_organization_by_name_and_place(store) -> None:
    book = _book({"志愿者": [["编号", "姓名"], ["v9", "周小红"]],
                  "加入": [["起点编号", "终点编号"],
                         ["v9", "红马甲志愿队 (一号社区 · 丙街道 · 乙区 · 甲市)"]],
                  "居住于": [["起点编号", "终点编号"], ["v9", "一号社区 (丙街道)"]]})
    tables = _add(store, [("志愿者.xlsx", book)])
    assert tables.rels["MEMBER_OF"][["to", "to_label"]].values.tolist() == [["o2",
                                                                             "Organization"]]
    assert tables.rels["LIVES_IN"]["to"].tolist() == ["c1"]


def test_a_relationship_already_stored_is_a_restatement_when_adding(fresh) -> None:
    """阳光服务中心 o1 already serves 二号社区 c2: a corrected file that lists it again (with
    a new one, o1 → 三号村 c3) loads, and o1 serves c2 once."""
    book = _book({"服务": [["起点编号", "终点编号"],
                         ["阳光服务中心 (一号社区)", "二号社区 (丙街道)"], ["o1", "c3"]]})
    tables = _add(fresh, [("服务.xlsx", book)])
    fresh.load(tables, update=True)
    rows = fresh.run("MATCH (o:Organization {id: 'o1'})-[:SERVES]->(c) RETURN c.id AS cid "
                     "ORDER BY cid")
    assert rows["cid"].tolist() == ["c2", "c3"]


def test_a_second_parent_names_both_and_says_how_to_move(store) -> None:
    book = _book({"隶属": [["起点编号", "终点编号"], ["c3", "丙街道 (乙区)"]]})
    with pytest.raises(ValidationError) as info:
        _add(store, [("移动.xlsx", book)])
    [p] = info.value.problems
    assert (p.row, p.value) == (2, "c3")
    assert p.zh == ("「三号村」(丁镇 · 乙区 · 甲市 · 编号 c3)在数据库中已隶属于"
                    "「丁镇」(乙区 · 甲市 · 编号 T2);每个区域只能隶属一个上级。"
                    "如要把它改到「丙街道」(乙区 · 甲市 · 编号 T1)下,请在「社区」表中"
                    "也列出它(编号 c3),导入会按文件更新它的上级。")


def test_an_id_of_another_kind_names_the_stored_node(store) -> None:
    book = _book({"社会组织": [["编号", "名称", "类别"], ["T1", "新社团", "服务"]]})
    with pytest.raises(ValidationError) as info:
        _add(store, [("组织.xlsx", book)])
    [p] = info.value.problems
    assert (p.row, p.value) == (2, "T1")
    assert p.zh == ("该编号在数据库中已被另一类节点(乡镇(街道)「丙街道」,乙区 · 甲市)使用;"
                    "请为它换一个编号。")


def test_wushe_load_replace_names_the_stored_county(base, tmp_path) -> None:
    """The CLI's replacing load says the same as the data page, and writes nothing."""
    from click.testing import CliRunner

    from wushe.app.cli import cli

    shutil.copytree(base, tmp_path / "store")
    book = tmp_path / "云溪.xlsx"
    book.write_bytes(_book({"乡镇(街道)": [["编号", "名称", "类型"], ["T9", "云溪街道", "街道"]],
                            "隶属": [["起点编号", "终点编号"], ["T9", "K1"]]}))
    before = LadybugStore(tmp_path / "store").version()
    r = CliRunner().invoke(cli, ["load", str(book), "--store", str(tmp_path / "store"),
                                 "--replace", "--graph-format"])
    assert r.exit_code == 1
    assert "「K1」是库中已有的县(市、区)「乙区」(甲市)的编号。" in r.output
    assert LadybugStore(tmp_path / "store").version() == before
