"""Generate the malformed-input corpus (run: ``python tests/corpus/make_corpus.py``).

``base/`` is a small valid province that the tests load first; each case under ``cases/``
is then loaded on top of it (an incremental load, as ``wushe load`` does without
``--replace``), so a case only holds the rows it is about. A case is a folder of CSV files
or one ``.xlsx`` workbook whose sheets name the tables. tests/test_corpus.py holds the
expected outcome of every case.

The 1M-row case is not committed: :func:`write_million_rows` writes it into a temporary
folder when the test runs.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

__all__ = ["BASE", "CASES", "build", "write_million_rows"]

HERE = Path(__file__).resolve().parent
BASE = {
    "City.csv": [["id", "name"], ["C1", "杭州市"]],
    "County.csv": [["id", "name"], ["K1", "西湖区"]],
    "Township.csv": [["id", "name"], ["T1", "北山街道"], ["T2", "灵隐街道"]],
    "Community.csv": [["id", "name", "kind"], ["M1", "清波社区", "urban"],
                      ["M2", "湖滨村", "rural"]],
    "Organization.csv": [["id", "name", "category"], ["O1", "清波睦邻服务社", "服务"]],
    "PART_OF.csv": [["from", "to"], ["K1", "C1"], ["T1", "K1"], ["T2", "K1"], ["M1", "T1"],
                    ["M2", "T2"]],
}
GOOD_CODE = "91350100M000100Y43"  # GB 32100's sample code
COMMUNITY_HEADER = ["id", "name", "kind"]
ORG_HEADER = ["id", "name", "category"]


def _csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx_bytes(sheets: dict[str, list[list[object]]],
                edit: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    if edit:
        edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _patch_zip(data: bytes, member: str, fix: Callable[[bytes], bytes]) -> bytes:
    """Rewrite one member of a zip (to craft what openpyxl cannot write)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, fix(body) if item.filename == member else body)
    return out.getvalue()


def _community(*rows: list[str], header: list[str] = COMMUNITY_HEADER) -> list[list[str]]:
    return [header, *rows]


def _merge_header(wb: openpyxl.Workbook) -> None:
    wb["Community"].merge_cells("A1:B1")


def _cases() -> dict[str, dict[str, bytes]]:
    """Case name -> {file name: bytes}."""
    m3 = ["M3", "西湖社区", "urban"]
    gbk_rows = _community(m3, ["M4", "龙井村", "rural"])
    mixed = _csv_bytes(_community(m3)) + _csv_bytes([["M4", "龙井村", "rural"]], "gbk")
    mixed += _csv_bytes([["M5", "茅家埠社区", "urban"]])
    good_xlsx = _xlsx_bytes({"Community": _community(m3)})
    cached = _xlsx_bytes(
        {"Community": _community(["M3", "西湖社区", "urban", "=1000+2000"],
                                 header=[*COMMUNITY_HEADER, "population"])})
    cached = _patch_zip(cached, "xl/worksheets/sheet1.xml",
                        lambda b: b.replace(b"<v />", b"<v>3000</v>").replace(b"<v/>",
                                                                              b"<v>3000</v>"))
    zip_buf = io.BytesIO()
    with zipfile.ZipFile(zip_buf, "w") as z:
        z.writestr("notes.txt", "not a workbook")
    corrupt = _patch_zip(good_xlsx, "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
    org = ORG_HEADER
    c: dict[str, dict[str, bytes]] = {
        # -- encodings
        "gbk_csv": {"Community.csv": _csv_bytes(gbk_rows, "gbk")},
        "gbk_with_utf8_bom": {"Community.csv": b"\xef\xbb\xbf" + _csv_bytes(gbk_rows, "gbk")},
        "gbk_chinese_headers": {"社区.csv": _csv_bytes(
            [["编号", "名称", "城乡类型"], m3], "gbk")},
        "mixed_utf8_gbk": {"Community.csv": mixed},
        "utf16_csv": {"Community.csv": _csv_bytes(_community(m3), "utf-16")},
        # -- empty and header-only
        "empty_csv": {"Community.csv": b""},
        "blank_lines_csv": {"Community.csv": b"  \n\n\r\n"},
        "header_only_csv": {"Community.csv": _csv_bytes([COMMUNITY_HEADER])},
        "header_only_xlsx": {"book.xlsx": _xlsx_bytes({"Community": [COMMUNITY_HEADER]})},
        "empty_workbook": {"book.xlsx": _xlsx_bytes({"Sheet1": []})},
        # -- broken files
        "truncated_xlsx": {"book.xlsx": good_xlsx[: len(good_xlsx) // 2]},
        "corrupt_sheet_xml": {"book.xlsx": corrupt},
        "zip_not_workbook": {"book.xlsx": zip_buf.getvalue()},
        "csv_renamed_xlsx": {"book.xlsx": _csv_bytes(_community(m3))},
        "unclosed_quote": {"Community.csv": b'id,name,kind\nM3,"\xe8\xa5\xbf\xe6\xb9\x96,urban\n'},
        "ragged_rows": {"Community.csv": _csv_bytes(_community(m3 + ["extra"]))},
        # -- headers
        "duplicate_headers": {"Community.csv": _csv_bytes(
            [["id", "name", "名称", "kind"], ["M3", "西湖社区", "西湖社区", "urban"]])},
        "merged_header_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(m3)},
                                                        _merge_header)},
        "fullwidth_header_spaces": {"book.xlsx": _xlsx_bytes(
            {"Community": [["\u3000编号 ", " 名 称", "城乡类型\u3000"], m3]})},
        "unknown_table": {"Communities2.csv": _csv_bytes(_community(m3))},
        "unknown_column": {"Community.csv": _csv_bytes(
            _community(m3 + ["x"], header=[*COMMUNITY_HEADER, "mayor"]))},
        "missing_required_column": {"Community.csv": _csv_bytes(
            [["id", "name"], ["M3", "西湖社区"]])},
        "table_twice_xlsx": {"book.xlsx": _xlsx_bytes(
            {"Community": _community(m3), "社区": _community(["M4", "龙井村", "rural"])})},
        # -- full-width, spaces, numbers and dates
        "fullwidth_digits": {"Community.csv": _csv_bytes(_community(
            ["Ｍ３", "西湖社区", "urban", "３０００"], header=[*COMMUNITY_HEADER, "population"]))},
        "fullwidth_spaces": {"Community.csv": _csv_bytes(
            _community(["\u3000M3\u3000", "\u3000西湖社区 ", " urban\u3000"]))},
        "id_spaces_in_relationship": {
            "Community.csv": _csv_bytes(_community([" M3 ", "西湖社区", "urban"])),
            "PART_OF.csv": _csv_bytes([["from", "to"], ["M3 ", " T1"]])},
        "numbers_as_text_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            ["M3", "西湖社区", "urban", "3000"], header=[*COMMUNITY_HEADER, "population"])})},
        "thousands_separator": {"Community.csv": _csv_bytes(_community(
            ["M3", "西湖社区", "urban", "3,000"], header=[*COMMUNITY_HEADER, "population"]))},
        "negative_number": {"Community.csv": _csv_bytes(_community(
            ["M3", "西湖社区", "urban", "-5"], header=[*COMMUNITY_HEADER, "population"]))},
        "text_dates": {"Organization.csv": _csv_bytes([
            [*org, "registered_on"], ["O2", "甲", "服务", "2020年3月1日"],
            ["O3", "乙", "服务", "2020/3/1"], ["O4", "丙", "服务", "20200301"]])},
        "excel_serial_as_text": {"Organization.csv": _csv_bytes(
            [[*org, "registered_on"], ["O2", "甲", "服务", "43891"]])},
        "xlsx_date_serial_number": {"book.xlsx": _xlsx_bytes(
            {"Organization": [[*org, "registered_on"], ["O2", "甲", "服务", 43891]]})},
        "xlsx_date_cell": {"book.xlsx": _xlsx_bytes(
            {"Organization": [[*org, "registered_on"],
                              ["O2", "甲", "服务", __import__("datetime").datetime(2020, 3, 1)]]})},
        "impossible_date": {"Organization.csv": _csv_bytes(
            [[*org, "registered_on"], ["O2", "甲", "服务", "2020-13-45"]])},
        "future_date": {"Organization.csv": _csv_bytes(
            [[*org, "registered_on"], ["O2", "甲", "服务", "2999-01-01"]])},
        "bool_variants": {"Organization.csv": _csv_bytes(
            [[*org, "is_community_org"], ["O2", "甲", "服务", "是"], ["O3", "乙", "服务", "Y"],
             ["O4", "丙", "服务", "否"]])},
        "bad_choice": {"Community.csv": _csv_bytes(_community(["M3", "西湖社区", "城里"]))},
        # enumerations in Chinese: the display name and a synonym are read as the code
        "choice_in_chinese": {"Community.csv": _csv_bytes(
            _community(["M3", "西湖社区", "城市社区"], ["M4", "龙井村", "农村"]))},
        # -- formulas
        "formula_no_cached_value": {"book.xlsx": _xlsx_bytes({"Community": _community(
            ["M3", "西湖社区", "urban", "=1000+2000"], header=[*COMMUNITY_HEADER, "population"])})},
        "formula_required_no_cache": {"book.xlsx": _xlsx_bytes({"Community": _community(
            ["M3", "=A2", "urban"])})},
        "formula_cached_value": {"book.xlsx": cached},
        "formula_as_text_csv": {"Community.csv": _csv_bytes(
            _community(["M3", '=HYPERLINK("http://x.invalid","西湖")', "urban"]))},
        # -- odd characters and sizes
        "control_char_in_name": {"Community.csv": _csv_bytes(
            _community(["M3", "西湖\x07社区", "urban"]))},
        "nul_in_id": {"Community.csv": _csv_bytes(_community(["M3\x00", "西湖社区", "urban"]))},
        "zero_width_in_id": {"Community.csv": _csv_bytes(
            _community(["M\u200b3", "西湖社区", "urban"]))},
        # openpyxl refuses control characters; Excel writes them as _x001B_ escapes.
        "control_char_xlsx": {"book.xlsx": _patch_zip(_xlsx_bytes({"Need": [
            ["id", "category", "status", "description"],
            ["N1", "一老一小", "open", "助餐ESCMARK[31m需求"]]}), "xl/worksheets/sheet1.xml",
            lambda b: b.replace(b"ESCMARK", b"_x001B_"))},
        "cell_10k_chars": {"Need.csv": _csv_bytes([
            ["id", "category", "status", "description"],
            ["N1", "一老一小", "open", "长" * 10_000]])},
        "cell_10k_chars_xlsx": {"book.xlsx": _xlsx_bytes({"Need": [
            ["id", "category", "status", "description"],
            ["N1", "一老一小", "open", "x" * 10_000]]})},
        "id_300_chars": {"Community.csv": _csv_bytes(_community(["M" * 300, "西湖社区", "urban"]))},
        # -- ids
        "ids_differ_in_case": {"Community.csv": _csv_bytes(
            _community(m3, ["m3", "龙井村", "rural"]))},
        "duplicate_id_across_tables": {
            "Community.csv": _csv_bytes(_community(m3)),
            "Organization.csv": _csv_bytes([org, ["M3", "甲", "服务"]])},
        "id_already_in_store": {"Community.csv": _csv_bytes(
            _community(["M1", "清波社区", "urban"]))},
        # -- relationships
        "wrong_label_part_of": {"PART_OF.csv": _csv_bytes([["from", "to"], ["M1", "K1"]])},
        "wrong_label_lives_in": {"LIVES_IN.csv": _csv_bytes([["from", "to"], ["O1", "M1"]])},
        "self_loop": {"SERVES.csv": _csv_bytes([["from", "to"], ["O1", "O1"]])},
        "unknown_end": {"PART_OF.csv": _csv_bytes([["from", "to"], ["M1", "T99"]])},
        "region_cycle": {
            "City.csv": _csv_bytes([["id", "name"], ["C9", "环市"]]),
            "County.csv": _csv_bytes([["id", "name"], ["K9", "环县"]]),
            "PART_OF.csv": _csv_bytes([["from", "to"], ["K9", "C9"], ["C9", "K9"]])},
        "county_part_of_county": {
            "County.csv": _csv_bytes([["id", "name"], ["K9", "环县"]]),
            "PART_OF.csv": _csv_bytes([["from", "to"], ["K9", "K1"]])},
        "community_in_two_townships": {
            "Community.csv": _csv_bytes(_community(m3)),
            "PART_OF.csv": _csv_bytes([["from", "to"], ["M3", "T1"], ["M3", "T2"]])},
        # -- credit codes
        "credit_code_bad_check": {"Organization.csv": _csv_bytes(
            [[*org, "credit_code"], ["O2", "甲", "服务", GOOD_CODE[:17] + "4"]])},
        "credit_code_bad_charset": {"Organization.csv": _csv_bytes(
            [[*org, "credit_code"], ["O2", "甲", "服务", "91350100I000100Y43"]])},
        "credit_code_lower_fullwidth": {"Organization.csv": _csv_bytes(
            [[*org, "credit_code"], ["O2", "甲", "服务", "９１３５０１００m０００１００y４３"]])},
    }
    return c


CASES = _cases()


def build(root: Path = HERE) -> list[Path]:
    """Write base/ and cases/ under ``root`` (replacing them); return the files written."""
    written = []
    for sub in ("base", "cases"):
        shutil.rmtree(root / sub, ignore_errors=True)
    (root / "base").mkdir(parents=True)
    for name, rows in BASE.items():
        path = root / "base" / name
        path.write_bytes(_csv_bytes(rows))
        written.append(path)
    for case, files in CASES.items():
        folder = root / "cases" / case
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
    return written


def write_million_rows(folder: Path, rows: int = 1_000_000) -> Path:
    """A Volunteer.csv of ``rows`` valid rows except the last (hours ``-1``): row rows+1."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Volunteer.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id,name,hours_12m,activities_12m\n")
        body = "".join(f"V{i:07d},张小明,{i % 90}.5,{i % 13}\n" for i in range(rows - 1))
        fh.write(body)
        fh.write(f"V{rows - 1:07d},李四,-1,3\n")
    return path


if __name__ == "__main__":
    files = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"wrote {len(files)} files")
