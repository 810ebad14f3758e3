"""Reading CSV (UTF-8, BOM, GBK, GB18030) and XLSX into raw text tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from wushe.graph.errors import ValidationError
from wushe.loaders import read_import
from wushe.loaders.reading import cell_text, decode_csv, read_csv, read_path, read_upload, read_xlsx

SALT = b"test-salt"
COMMUNITY_ZH = "编号,名称,城乡类型,常住人口\nS1,北山社区,urban,8200\nS2,龙井村,rural,1200\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "社区.csv"
    path.write_text(COMMUNITY_ZH, encoding=encoding)
    t = read_csv(path)
    assert t.name == "社区"
    assert t.headers == ["编号", "名称", "城乡类型", "常住人口"]
    assert t.data[1].tolist() == ["北山社区", "龙井村"]
    assert t.row_numbers().tolist() == [2, 3]
    v = read_import(tmp_path, salt=SALT)
    assert v.nodes["Community"]["population"].tolist() == [8200, 1200]


def test_gb18030_only_characters_survive(tmp_path: Path) -> None:
    # 㐀 (U+3400) is outside GBK but inside GB18030.
    path = tmp_path / "City.csv"
    path.write_text("id,name\nC1,㐀城\n", encoding="gb18030")
    assert read_csv(path).data[1].tolist() == ["㐀城"]


def test_utf16_falls_back_to_charset_detection() -> None:
    text, enc = decode_csv("id,name\nC1,杭州市\n".encode("utf-16"))
    assert text.lstrip("\ufeff") == "id,name\nC1,杭州市\n"
    assert "16" in enc


def test_csv_values_stay_raw_text(tmp_path: Path) -> None:
    path = tmp_path / "Community.csv"
    path.write_text("id,population,kind\n007,NA,\n", encoding="utf-8")
    t = read_csv(path)
    assert t.data.iloc[0].tolist() == ["007", "NA", ""]


def test_csv_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "County.csv"
    path.write_text("id,name\nX1,a\n\nX1,b\n", encoding="utf-8")
    t = read_csv(path)
    assert t.row_numbers().tolist() == [2, 3, 4]
    with pytest.raises(ValidationError) as info:
        read_import(path, salt=SALT)
    [p] = info.value.problems
    assert (p.file, p.row, p.value) == ("County.csv", 4, "X1")


def test_csv_extra_cells_are_kept_under_an_empty_header(tmp_path: Path) -> None:
    path = tmp_path / "County.csv"
    path.write_text("id,name\nX1,a,stray\n", encoding="utf-8")
    t = read_csv(path)
    assert t.headers == ["id", "name", ""]
    assert t.data.iloc[0].tolist() == ["X1", "a", "stray"]


def _workbook(path: Path) -> Path:
    wb = Workbook()
    readme = wb.active
    readme.title = "说明"
    readme.append(["ignored"])
    com = wb.create_sheet("社区")
    com.append(["编号", "名称", "城乡类型", "常住人口", "服务综合体星级"])
    com.append(["S1", "北山社区", "urban", 8200.0, 3])
    org = wb.create_sheet("社会组织")
    org.append(["编号", "名称", "类别", "登记(备案)日期", "等级有效期至", "是否社区社会组织"])
    org.append(["O1", "互助会", "服务", dt.datetime(2019, 5, 20), 45292, True])
    org.append(["O2", "文体队", "文体", dt.date(2020, 1, 2), "2024/1/5", False])
    wb.create_sheet("Sheet3")  # empty: skipped
    based = wb.create_sheet("注册_驻在")
    based.append(["起点编号", "终点编号"])
    based.append(["O1", "S1"])
    wb.save(path)
    return path


def test_xlsx_with_chinese_sheets_and_headers(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "导入.xlsx")
    tables = read_xlsx(path)
    assert [t.name for t in tables] == ["社区", "社会组织", "注册_驻在"]
    org = tables[1]
    assert org.source == "导入.xlsx [社会组织]"
    assert org.data.iloc[0].tolist() == ["O1", "互助会", "服务", "2019-05-20", "45292", "true"]
    assert tables[0].data.iloc[0].tolist() == ["S1", "北山社区", "urban", "8200", "3"]
    v = read_import(path, salt=SALT)
    assert v.nodes["Community"]["population"].tolist() == [8200]
    o = v.nodes["Organization"]
    assert o["registered_on"].tolist() == [dt.date(2019, 5, 20), dt.date(2020, 1, 2)]
    assert o["rating_expiry"].tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 5)]
    assert o["is_community_org"].tolist() == [True, False]
    assert v.rels["BASED_IN"][["from", "to_label"]].values.tolist() == [["O1", "Community"]]


def test_xlsx_problem_names_sheet_and_row(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append([])  # header on row 2: rows are numbered as Excel shows them
    ws.append(["编号", "名称", "城乡类型"])
    ws.append(["S1", "北山社区", "urban"])
    ws.append(["S2", "龙井村", "城里"])  # 城市 is an accepted synonym; 城里 is not
    wb.save(tmp_path / "book.xlsx")
    with pytest.raises(ValidationError) as info:
        read_import(tmp_path / "book.xlsx", salt=SALT)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("book.xlsx [社区]", 4, "kind (城乡类型)", "城里")


def test_one_sheet_workbook_named_by_its_file(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["id", "name"])
    ws.append(["C1", "杭州市"])
    wb.save(tmp_path / "City.xlsx")
    (tmp_path / "~$City.xlsx").write_bytes(b"lock file")  # Excel's lock file: ignored
    [t] = read_path(tmp_path)
    assert (t.name, t.source) == ("City", "City.xlsx [Sheet1]")


def test_upload_of_unknown_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="Only .csv and .xlsx"):
        read_upload("data.json", b"{}")


def test_corrupt_workbook_is_a_located_problem() -> None:
    with pytest.raises(ValidationError) as info:
        read_upload("bad.xlsx", b"not a zip")
    assert info.value.problems[0].file == "bad.xlsx"
    assert "无法读取该工作簿" in info.value.problems[0].zh


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        read_path(tmp_path / "nope")


def test_cell_text_of_typed_cells() -> None:
    assert cell_text(12.0) == "12"
    assert cell_text(1.5e-3) == "0.0015"
    assert cell_text(13800000000.0) == "13800000000"
    assert cell_text(dt.datetime(2024, 1, 5, 8, 30)) == "2024-01-05 08:30:00"
    assert cell_text(False) == "false"
