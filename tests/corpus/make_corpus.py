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
import re
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
                        lambda b: b.replace(b"<v />", b"<v>3000</v>").replace(
                            b"<v/>", b"<v>3000</v>").replace(b"<v></v>", b"<v>3000</v>"))
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


def _sheet_patch(rows: list[list[object]], fix: Callable[[bytes], bytes],
                 sheet: str = "Community") -> bytes:
    """A one-sheet workbook whose sheet XML is rewritten by ``fix``."""
    return _patch_zip(_xlsx_bytes({sheet: rows}), "xl/worksheets/sheet1.xml", fix)


def _formula_sheet(fix: Callable[[bytes], bytes]) -> bytes:
    """Community M3 whose population D2 is the formula 1000+2000, rewritten by ``fix``."""
    rows = _community(["M3", "西湖社区", "urban", "=1000+2000"],
                      header=[*COMMUNITY_HEADER, "population"])
    return _sheet_patch(rows, fix)


def _prefixed(xml: bytes) -> bytes:
    """The same sheet XML with every element in an ``x:`` namespace prefix."""
    xml = re.sub(rb"<(/?)([A-Za-z]+)([ />])", rb"<\1x:\2\3", xml)
    return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")


def _add_members(data: bytes, members: dict[str, bytes]) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def _bad_crc(data: bytes) -> bytes:
    """Flip one byte inside the compressed sheet: the archive is damaged."""
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo("xl/worksheets/sheet1.xml")
    head = data[info.header_offset:info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(head[26:28], "little") \
        + int.from_bytes(head[28:30], "little")
    pos = start + info.compress_size // 2
    return data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:]


def _merge(ref: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb.worksheets[0].merge_cells(ref)
    return edit


def _zero_pad(ref: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb.worksheets[0][ref].number_format = "000000"
    return edit


def _hostile() -> dict[str, dict[str, bytes]]:
    """Malformed and hostile files: each class of issue #11 (expected outcomes in
    tests/test_corpus.py)."""
    m3 = ["M3", "西湖社区", "urban"]
    pop = [*COMMUNITY_HEADER, "population"]
    org = ORG_HEADER
    need = ["id", "category", "status", "description"]
    good = _xlsx_bytes({"Community": _community(m3)})

    def community_csv(*rows: list[str], header: list[str] = COMMUNITY_HEADER,
                      encoding: str = "utf-8") -> dict[str, bytes]:
        return {"Community.csv": _csv_bytes(_community(*rows, header=header), encoding)}

    def name(v: str) -> dict[str, bytes]:
        return community_csv(["M3", v, "urban"])

    def population(v: str) -> dict[str, bytes]:
        return community_csv(["M3", "西湖社区", "urban", v], header=pop)

    def org_date(col: str, v: str) -> dict[str, bytes]:
        return {"Organization.csv": _csv_bytes([[*org, col], ["O2", "甲", "服务", v]])}

    return {
        # -- encodings: strict, located, never a guessed code page
        "gbk_invalid_byte": {"Community.csv": _csv_bytes([COMMUNITY_HEADER], "gbk")
                             + "M3,西湖".encode("gbk") + b"\x80" + "社区,urban\n".encode("gbk")},
        "utf8_invalid_byte": {"Community.csv": _csv_bytes(_community(m3, ["M4", "龙井村", "rural"]))
                              .replace("龙井".encode(), b"\xff\xfe\xfd")},
        "latin1_text": {"Community.csv": b"id,name,kind\nM3,caf\xe9,urban\n"},
        "utf16_without_bom": {"Community.csv": _csv_bytes(_community(m3), "utf-16-le")},
        "utf16_be_with_bom": {"Community.csv": b"\xfe\xff" + _csv_bytes(_community(m3),
                                                                          "utf-16-be")},
        "gb18030_only_character": {"Community.csv": _csv_bytes(
            _community(["M3", "𠀀社区", "urban"]), "gb18030")},
        "utf8_with_bom": {"Community.csv": b"\xef\xbb\xbf" + _csv_bytes(_community(m3))},
        "cr_only_line_endings": {"Community.csv": _csv_bytes(_community(m3)).replace(b"\n",
                                                                                   b"\r")},
        "crlf_line_endings": {"Community.csv": _csv_bytes(_community(m3)).replace(b"\n",
                                                                                b"\r\n")},
        "cr_only_bad_row": {"Community.csv": _csv_bytes(_community(
            m3, ["M4", "龙井村", "城里"])).replace(b"\n", b"\r")},
        # -- workbooks: formulas, cached errors, merges, sizes, damaged archives
        "cached_error_div0": {"book.xlsx": _formula_sheet(lambda b: b.replace(
            b'<c r="D2"><f>1000+2000</f><v></v></c>',
            b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))},
        "cached_error_na_required": {"book.xlsx": _sheet_patch(_community(m3), lambda b: re.sub(
            rb'<c r="B2" t="inlineStr">.*?</c>', b'<c r="B2" t="e"><f>VLOOKUP(1,A:A,2)</f>'
            b'<v>#N/A</v></c>', b))},
        "cached_error_no_formula": {"book.xlsx": _sheet_patch(_community(m3), lambda b: re.sub(
            rb'<c r="C2" t="inlineStr">.*?</c>', b'<c r="C2" t="e"><v>#REF!</v></c>', b))},
        "formula_no_value_attr_order": {"book.xlsx": _formula_sheet(lambda b: b.replace(
            b'<c r="D2"><f>1000+2000</f><v></v></c>', b'<c s="0" r="D2"><f>1000+2000</f></c>'))},
        "formula_no_value_spacing": {"book.xlsx": _formula_sheet(lambda b: b.replace(
            b'<c r="D2"><f>1000+2000</f><v></v></c>',
            b'<c  r = "D2" >\n <f >1000+2000</f >\n <v/>\n</c >'))},
        "formula_no_value_x_prefix": {"book.xlsx": _formula_sheet(_prefixed)},
        "formula_shared_no_value": {"book.xlsx": _formula_sheet(lambda b: b.replace(
            b'<c r="D2"><f>1000+2000</f><v></v></c>',
            b'<c r="D2"><f t="shared" ref="D2:D2" si="0">1000+2000</f></c>'))},
        "formula_text_result_empty": {"book.xlsx": _formula_sheet(lambda b: b.replace(
            b'<c r="D2"><f>1000+2000</f><v></v></c>',
            b'<c r="D2" t="str"><f>IF(1,"","x")</f><v></v></c>'))},
        "formula_cached_value_prefixed": {"book.xlsx": _formula_sheet(lambda b: _prefixed(
            b.replace(b"<v></v>", b"<v>3000</v>")))},
        "merged_data_rows": {"book.xlsx": _xlsx_bytes(
            {"Community": _community(m3, ["", "龙井村", "rural"])}, _merge("A2:A3"))},
        "merged_data_columns": {"book.xlsx": _xlsx_bytes(
            {"Community": _community(["M3", "西湖社区", ""])}, _merge("B2:C2"))},
        "declared_dimension_huge": {"book.xlsx": _sheet_patch(_community(m3), lambda b: b.replace(
            b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>'))},
        "cell_at_xfd1048576": {"book.xlsx": _sheet_patch(_community(m3), lambda b: b.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
            b"</is></c></row></sheetData>"))},
        "too_many_columns_xlsx": {"book.xlsx": _sheet_patch(_community(m3), lambda b: b.replace(
            b"</row></sheetData>", b'<c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData>"))},
        "zip_many_members": {"book.xlsx": _add_members(
            good, {f"xl/media/m{i}.bin": b"x" for i in range(1500)})},
        "zip_high_ratio_member": {"book.xlsx": _add_members(
            good, {"xl/media/zeros.bin": bytes(4 << 20)})},
        "zip_damaged_member": {"book.xlsx": _bad_crc(good)},
        "xml_entity_expansion": {"book.xlsx": _sheet_patch(_community(m3), lambda b: (
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            + b.replace(b"<t>M3</t>", b"<t>&b;</t>")))},
        "id_number_as_number_xlsx": {"book.xlsx": _xlsx_bytes({"Volunteer": [
            ["id", "name", "id_number"], ["V9", "张小明", 110101199001011234]]})},
        "id_as_long_number_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            [12345678901234567, "西湖社区", "urban"])})},
        "id_as_short_number_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            [12345, "西湖社区", "urban"])})},
        "population_float_cell_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            ["M3", "西湖社区", "urban", 3000.0], header=pop)})},
        "population_fraction_cell_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            ["M3", "西湖社区", "urban", 3000.5], header=pop)})},
        "header_after_blank_rows_xlsx": {"book.xlsx": _xlsx_bytes({"Community": [
            [], [], COMMUNITY_HEADER, m3, ["M4", "龙井村", "城里"]]})},
        "zero_padded_code_xlsx": {"book.xlsx": _xlsx_bytes(
            {"Community": _community(["M3", "西湖社区", "urban", 12],
                                     header=[*COMMUNITY_HEADER, "code"])}, _zero_pad("D2"))},
        "zero_padded_population_xlsx": {"book.xlsx": _xlsx_bytes(
            {"Community": _community(["M3", "西湖社区", "urban", 3000],
                                     header=[*COMMUNITY_HEADER, "population"])},
            _zero_pad("D2"))},
        "bool_cell_xlsx": {"book.xlsx": _xlsx_bytes({"Organization": [
            [*org, "is_community_org"], ["O2", "甲", "服务", True]]})},
        # -- numbers and dates
        "credit_code_scientific_csv": {"Organization.csv": _csv_bytes(
            [[*org, "credit_code"], ["O2", "甲", "服务", "9.13501E+17"]])},
        "phone_scientific_csv": {"Volunteer.csv": _csv_bytes(
            [["id", "phone"], ["V9", "1.38001E+10"]])},
        "int_beyond_int64": population("99999999999999999999"),
        "int_exponent_beyond_int64": population("1e19"),
        "int64_max": population("9223372036854775807"),
        "int_above_2_53_exact": population("9007199254740993"),
        "int_fraction": population("3.5"),
        "int_nan_text": population("NaN"),
        "int_infinity_text": population("inf"),
        "int_huge_digits": population("9" * 400),
        "year_only_date": org_date("registered_on", "2024"),
        "year_month_date": org_date("registered_on", "202401"),
        "date_before_plausible": org_date("registered_on", "1900-01-01"),
        "serial_before_plausible": org_date("registered_on", "100"),
        "date_with_time": org_date("registered_on", "2020-03-01 10:30"),
        "expiry_far_future": org_date("rating_expiry", "2199-01-01"),
        "bool_unknown_word": org_date("is_community_org", "maybe"),
        # -- invisible, blank-looking and formula-leading text
        "bidi_override_in_name": name("西湖\u202e社区"),
        "word_joiner_in_id": community_csv(["M\u20603", "西湖社区", "urban"]),
        "soft_hyphen_in_name": name("西湖\u00ad社区"),
        "hangul_filler_name": name("\u3164"),
        "tag_character_in_name": name("西湖\U000e0041社区"),
        "private_use_in_name": name("西湖\ue000社区"),
        "tab_inside_name": name("西湖\t社区"),
        "nel_c1_in_name": name("西湖\x85社区"),
        "braille_blank_name": name("\u2800"),
        "zero_width_joiner_in_name": name("西湖\u200d社区"),
        "line_break_in_id": community_csv(["M\n3", "西湖社区", "urban"]),
        "line_break_in_description": {"Need.csv": _csv_bytes(
            [need, ["N9", "一老一小", "open", "第一行\n第二行"]])},
        "plus_leader_in_name": name("+西湖社区"),
        "minus_placeholder_name": name("-"),
        "at_leader_in_name": name("@SUM(A1)"),
        "tab_then_formula": name("\t=1+1"),
        "cr_then_formula": {"Community.csv": b'id,name,kind\nM3,"\r=1+1",urban\n'},
        "cell_200k_chars": {"Need.csv": _csv_bytes([need, ["N9", "一老一小", "open",
                                                           "长" * 200_000]])},
        "cell_200k_chars_ragged": {"Need.csv": _csv_bytes([need, ["N9", "一老一小", "open",
                                                                  "长" * 200_000, "x"]])},
        # -- structure: repeated headers, broken headers, row numbers
        "repeated_header_csv": {"Community.csv": _csv_bytes(
            _community(m3, COMMUNITY_HEADER, ["M4", "龙井村", "rural"]))},
        "repeated_header_xlsx": {"book.xlsx": _xlsx_bytes({"Community": _community(
            m3, ["编号", "名称", "城乡类型"], ["M4", "龙井村", "rural"])})},
        "header_line_break_csv": {"Community.csv": _csv_bytes(
            [["id", "na\nme", "kind"], m3])},
        "header_line_break_xlsx": {"book.xlsx": _xlsx_bytes(
            {"Community": [["id", "名\n称", "kind"], m3]})},
        "too_many_columns_csv": {"Community.csv": _csv_bytes(
            [[*COMMUNITY_HEADER, *[f"c{i}" for i in range(600)]], m3])},
        "blank_line_keeps_row_numbers": {"Community.csv": _csv_bytes(_community(m3))
                                         + b"\n" + _csv_bytes([["M4", "龙井村", "城里"]])},
        "quoted_line_break_keeps_rows": {"Need.csv": _csv_bytes(
            [need, ["N9", "一老一小", "open", "一\n二\n三"], ["N10", "一老一小", "closed?", ""]])},
        # -- incremental: checked against the store as one import against itself
        "case_twin_of_stored_id": community_csv(["m1", "清波社区二", "urban"]),
        "case_twin_of_stored_other_label": {"Township.csv": _csv_bytes(
            [["id", "name"], ["k1", "新街道"]])},
        "relationship_already_stored": {"PART_OF.csv": _csv_bytes([["from", "to"],
                                                                   ["M1", "T1"]])},
        "second_parent_in_store": {"PART_OF.csv": _csv_bytes([["from", "to"], ["M1", "T2"]])},
        "stored_id_other_label": {"Organization.csv": _csv_bytes([org, ["M1", "甲", "服务"]])},
        "new_node_linked_to_stored": {
            "Organization.csv": _csv_bytes([org, ["O5", "新服务社", "服务"]]),
            "BASED_IN.csv": _csv_bytes([["from", "to"], ["O5", "M1"]])},
        "new_relationship_between_stored": {"SERVES.csv": _csv_bytes([["from", "to"],
                                                                      ["O1", "M2"]])},
        # -- bounded messages
        "many_bad_rows": {"Community.csv": _csv_bytes(_community(
            *[[f"M{i}", "社区", "urban", "-1"] for i in range(10, 1010)], header=pop))},
        "long_bad_value": name("=" + "x" * 5000),
    }


CASES = {**_cases(), **_hostile()}


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
