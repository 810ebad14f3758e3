"""The malformed-input corpus: each case is rejected with a located bilingual message and
the store stays byte-for-byte unchanged, or it is normalised as documented and loaded.

Cases live in tests/corpus/cases (regenerate with ``python tests/corpus/make_corpus.py``);
each is loaded on top of tests/corpus/base the way ``wushe load`` does (incremental load,
ids checked against the store).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import ValidationError
from wushe.loaders import ImportResult, read_import, salt_for_store
from wushe.loaders.problems import MAX_PER_RULE

CORPUS = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(CORPUS))
from make_corpus import CASES, build, write_million_rows  # noqa: E402

pytestmark = pytest.mark.store

PART_OF_TO = "to (终点编号)"
PART_OF_FROM = "from (起点编号)"


@dataclass(frozen=True)
class Reject:
    """Expected rejection: a problem whose English text matches ``en`` (regex), Chinese
    text contains ``zh``, at ``row`` and ``column`` of ``file``."""

    file: str
    row: int | None
    column: str | None
    en: str
    zh: str


@dataclass(frozen=True)
class Accept:
    """Expected normalisation: ``label``'s node ``id`` has ``prop == value`` once loaded."""

    label: str
    id: str
    prop: str
    value: object
    nodes: int  # nodes added


EXPECTED: dict[str, Reject | Accept] = {
    # encodings
    "gbk_csv": Accept("Community", "M4", "name", "龙井村", 2),
    "gbk_with_utf8_bom": Accept("Community", "M3", "name", "西湖社区", 2),
    "gbk_chinese_headers": Accept("Community", "M3", "name", "西湖社区", 1),
    "mixed_utf8_gbk": Reject("Community.csv", 3, None, "mixes UTF-8 and GBK", "混用"),
    "utf16_csv": Accept("Community", "M3", "name", "西湖社区", 1),
    # empty and header-only
    "empty_csv": Reject("Community.csv", None, None, "table is empty", "表格为空"),
    "blank_lines_csv": Reject("Community.csv", None, None, "table is empty", "表格为空"),
    "header_only_csv": Reject("Community.csv", None, None, "no data rows", "没有任何数据行"),
    "header_only_xlsx": Reject("book.xlsx [Community]", None, None, "no data rows",
                               "没有任何数据行"),
    "empty_workbook": Reject("book.xlsx", None, None, "workbook is empty", "工作簿为空"),
    # broken files
    "truncated_xlsx": Reject("book.xlsx", None, None, "Cannot read the workbook", "无法读取"),
    "corrupt_sheet_xml": Reject("book.xlsx", None, None, "Cannot read the workbook", "无法读取"),
    "zip_not_workbook": Reject("book.xlsx", None, None, "Cannot read the workbook", "无法读取"),
    "csv_renamed_xlsx": Reject("book.xlsx", None, None, "Cannot read the workbook", "无法读取"),
    "unclosed_quote": Reject("Community.csv", None, None, "CSV file is malformed", "格式有误"),
    "ragged_rows": Reject("Community.csv", 1, "#4", "Column 4 has values but no header",
                          "没有列名"),
    # headers
    "duplicate_headers": Reject("Community.csv", 1, "名称", "Duplicate column", "列重复"),
    "merged_header_xlsx": Reject("book.xlsx [Community]", 1, "A1:B1", "are merged", "合并单元格"),
    "fullwidth_header_spaces": Accept("Community", "M3", "kind", "urban", 1),
    "unknown_table": Reject("Communities2.csv", None, None, "Unknown table name", "未知的表名"),
    "unknown_column": Reject("Community.csv", 1, "mayor", "Unknown column", "没有此列"),
    "missing_required_column": Reject("Community.csv", 1, "kind (城乡类型)",
                                      "Missing required column", "缺少必填列"),
    "table_twice_xlsx": Reject("book.xlsx [社区]", None, None, "given twice", "重复出现"),
    # full-width, spaces, numbers, dates
    "fullwidth_digits": Accept("Community", "M3", "population", 3000, 1),
    "fullwidth_spaces": Accept("Community", "M3", "name", "西湖社区", 1),
    "id_spaces_in_relationship": Accept("Community", "M3", "name", "西湖社区", 1),
    "numbers_as_text_xlsx": Accept("Community", "M3", "population", 3000, 1),
    "thousands_separator": Reject("Community.csv", 2, "population (常住人口)",
                                  "Expected a whole number", "应为整数"),
    "negative_number": Reject("Community.csv", 2, "population (常住人口)", "negative", "负数"),
    "text_dates": Accept("Organization", "O4", "registered_on", dt.date(2020, 3, 1), 3),
    "excel_serial_as_text": Accept("Organization", "O2", "registered_on", dt.date(2020, 3, 1), 1),
    "xlsx_date_serial_number": Accept("Organization", "O2", "registered_on",
                                      dt.date(2020, 3, 1), 1),
    "xlsx_date_cell": Accept("Organization", "O2", "registered_on", dt.date(2020, 3, 1), 1),
    "impossible_date": Reject("Organization.csv", 2, "registered_on (登记(备案)日期)",
                              "Expected a date", "应为日期"),
    "future_date": Reject("Organization.csv", 2, "registered_on (登记(备案)日期)",
                          "in the future", "将来"),
    "bool_variants": Accept("Organization", "O4", "is_community_org", False, 3),
    "choice_in_chinese": Accept("Community", "M4", "kind", "rural", 2),
    "bad_choice": Reject("Community.csv", 2, "kind (城乡类型)", "Not an allowed value",
                         "不是允许的取值"),
    # formulas: cached values are read; formulas without one are refused, not read as empty
    "formula_no_cached_value": Reject("book.xlsx [Community]", 2, "D2", "no saved value",
                                      "没有保存计算结果"),
    "formula_required_no_cache": Reject("book.xlsx [Community]", 2, "B2", "no saved value",
                                        "没有保存计算结果"),
    "formula_cached_value": Accept("Community", "M3", "population", 3000, 1),
    "formula_as_text_csv": Reject("Community.csv", 2, "name (名称)", "Starts with '='", "公式"),
    # odd characters and sizes
    "control_char_in_name": Reject("Community.csv", 2, "name (名称)",
                                   r"control character \(U\+0007", "控制字符"),
    "nul_in_id": Reject("Community.csv", 2, "id (编号)", r"control character \(U\+0000",
                        "控制字符"),
    "zero_width_in_id": Reject("Community.csv", 2, "id (编号)", r"control character \(U\+200B",
                               "控制字符"),
    "control_char_xlsx": Reject("book.xlsx [Need]", 2, "description (描述)",
                                r"control character \(U\+001B", "控制字符"),
    "cell_10k_chars": Reject("Need.csv", 2, "description (描述)", "10000 characters", "过长"),
    "cell_10k_chars_xlsx": Reject("book.xlsx [Need]", 2, "description (描述)", "10000 characters",
                                  "过长"),
    "id_300_chars": Reject("Community.csv", 2, "id (编号)", "300 characters", "过长"),
    # ids: case twins are an error (Excel's lookups treat m3 and M3 as one id)
    "ids_differ_in_case": Reject("Community.csv", 3, "id (编号)", "only in letter case", "大小写"),
    "duplicate_id_across_tables": Reject("Organization.csv", 2, "id (编号)", "Duplicate id",
                                         "编号重复"),
    "id_already_in_store": Reject("Community.csv", 2, "id (编号)", "already exists in the store",
                                  "已存在于数据库"),
    # relationships
    "wrong_label_part_of": Reject("PART_OF.csv", 2, PART_OF_TO, "label County, which PART_OF",
                                  "不能这样连接"),
    "wrong_label_lives_in": Reject("LIVES_IN.csv", 2, PART_OF_FROM,
                                   "label Organization, which LIVES_IN", "不能这样连接"),
    "self_loop": Reject("SERVES.csv", 2, PART_OF_TO, "to itself", "同一个节点"),
    "unknown_end": Reject("PART_OF.csv", 2, PART_OF_TO, "No node has this id", "找不到"),
    "region_cycle": Reject("PART_OF.csv", 3, PART_OF_FROM, "label City, which PART_OF",
                           "不能这样连接"),
    "county_part_of_county": Reject("PART_OF.csv", 2, PART_OF_TO, "label County, which PART_OF",
                                    "不能这样连接"),
    "community_in_two_townships": Reject("PART_OF.csv", 3, PART_OF_FROM,
                                         "already PART_OF 'T1' \\(row 2\\)", "只能隶属一个上级"),
    # credit codes
    "credit_code_bad_check": Reject("Organization.csv", 2, "credit_code (统一社会信用代码)",
                                    "check character should be 3", "校验位应为 3"),
    "credit_code_bad_charset": Reject("Organization.csv", 2, "credit_code (统一社会信用代码)",
                                      "characters outside", "不允许的字符"),
    "credit_code_lower_fullwidth": Accept("Organization", "O2", "credit_code",
                                          "91350100M000100Y43", 1),
}

# Issue #11: malformed and hostile files (tests/corpus/make_corpus.py: _hostile)
BOOK = "book.xlsx [Community]"
POP = "population (常住人口)"
NAME = "name (名称)"
ID = "id (编号)"
REG = "registered_on (登记(备案)日期)"
INVISIBLE = r"invisible control character \(U\+"
ENCODING = "Invalid text encoding: byte 0x"
EXPECTED |= {
    # encodings
    "gbk_invalid_byte": Reject("Community.csv", None, None, ENCODING + "80 at line 2, byte 8",
                               "文字编码有误:第 2 行"),
    "utf8_invalid_byte": Reject("Community.csv", None, None, ENCODING + "FF at line 3, byte 4",
                                "文字编码有误:第 3 行"),
    "latin1_text": Reject("Community.csv", None, None, ENCODING + "E9 at line 2", "文字编码有误"),
    "utf16_without_bom": Reject("Community.csv", None, None, "UTF-16 without a byte-order mark",
                                "不带 BOM 的 UTF-16"),
    "utf16_be_with_bom": Accept("Community", "M3", "name", "西湖社区", 1),
    "gb18030_only_character": Accept("Community", "M3", "name", "𠀀社区", 1),
    "utf8_with_bom": Accept("Community", "M3", "name", "西湖社区", 1),
    "cr_only_line_endings": Accept("Community", "M3", "name", "西湖社区", 1),
    "crlf_line_endings": Accept("Community", "M3", "name", "西湖社区", 1),
    "cr_only_bad_row": Reject("Community.csv", 3, "kind (城乡类型)", "Not an allowed value",
                              "不是允许的取值"),
    # workbooks
    "cached_error_div0": Reject(BOOK, 2, "D2", "error value #DIV/0!", "错误值 #DIV/0!"),
    "cached_error_na_required": Reject(BOOK, 2, "B2", "error value #N/A", "错误值"),
    "cached_error_no_formula": Reject(BOOK, 2, "C2", "error value #REF!", "错误值"),
    "formula_no_value_attr_order": Reject(BOOK, 2, "D2", "no saved value", "没有保存计算结果"),
    "formula_no_value_spacing": Reject(BOOK, 2, "D2", "no saved value", "没有保存计算结果"),
    "formula_no_value_x_prefix": Reject(BOOK, 2, "D2", "no saved value", "没有保存计算结果"),
    "formula_shared_no_value": Reject(BOOK, 2, "D2", "no saved value", "没有保存计算结果"),
    "formula_text_result_empty": Accept("Community", "M3", "population", None, 1),
    "formula_cached_value_prefixed": Accept("Community", "M3", "population", 3000, 1),
    "merged_data_rows": Reject(BOOK, 2, "A2:A3", "are merged: only A2 holds", "合并单元格"),
    "merged_data_columns": Reject(BOOK, 2, "B2:C2", "are merged: only B2 holds", "合并单元格"),
    "declared_dimension_huge": Reject(BOOK, 1048576, "XFD1048576", "declares its used area",
                                      "声明的使用范围"),
    "cell_at_xfd1048576": Reject(BOOK, 1048576, "XFD1048576", "has a cell at XFD1048576",
                                 "超出限制"),
    "too_many_columns_xlsx": Reject(BOOK, 2, "ZZ2", "has a cell at ZZ2", "超出限制"),
    "zip_many_members": Reject("book.xlsx", None, None, "archive holds 1509 files", "1509 个文件"),
    "zip_high_ratio_member": Reject("book.xlsx", None, None, "unpacks to too much data",
                                    "解压后数据过大"),
    "zip_damaged_member": Reject("book.xlsx", None, None, "archive is damaged", "压缩包已损坏"),
    "xml_entity_expansion": Reject("book.xlsx", None, None, "is not valid XML", "不是有效的 XML"),
    "id_number_as_number_xlsx": Reject("book.xlsx [Volunteer]", 2, "id_number (身份证号)",
                                       "scientific notation", "科学计数法"),
    "id_as_long_number_xlsx": Reject(BOOK, 2, ID, "scientific notation", "科学计数法"),
    "id_as_short_number_xlsx": Accept("Community", "12345", "name", "西湖社区", 1),
    "population_float_cell_xlsx": Accept("Community", "M3", "population", 3000, 1),
    "population_fraction_cell_xlsx": Reject(BOOK, 2, POP, "Expected a whole number", "应为整数"),
    "header_after_blank_rows_xlsx": Reject(BOOK, 5, "kind (城乡类型)", "Not an allowed value",
                                           "不是允许的取值"),
    "zero_padded_code_xlsx": Accept("Community", "M3", "code", "000012", 1),
    "zero_padded_population_xlsx": Accept("Community", "M3", "population", 3000, 1),
    "bool_cell_xlsx": Accept("Organization", "O2", "is_community_org", True, 1),
    # numbers and dates
    "credit_code_scientific_csv": Reject("Organization.csv", 2, "credit_code (统一社会信用代码)",
                                         "scientific notation", "科学计数法"),
    "phone_scientific_csv": Reject("Volunteer.csv", 2, "phone (联系电话)", "scientific notation",
                                   "科学计数法"),
    "int_beyond_int64": Reject("Community.csv", 2, POP, "Too large", "数值过大"),
    "int_exponent_beyond_int64": Reject("Community.csv", 2, POP, "Too large", "数值过大"),
    "int64_max": Accept("Community", "M3", "population", 9223372036854775807, 1),
    "int_above_2_53_exact": Accept("Community", "M3", "population", 9007199254740993, 1),
    "int_fraction": Reject("Community.csv", 2, POP, "Expected a whole number", "应为整数"),
    "int_nan_text": Reject("Community.csv", 2, POP, "Expected a whole number", "应为整数"),
    "int_infinity_text": Reject("Community.csv", 2, POP, "Expected a whole number", "应为整数"),
    "int_huge_digits": Reject("Community.csv", 2, POP, "Expected a whole number", "应为整数"),
    "year_only_date": Reject("Organization.csv", 2, REG, "Not a whole date", "不是完整日期"),
    "year_month_date": Reject("Organization.csv", 2, REG, "Not a whole date", "不是完整日期"),
    "date_before_plausible": Reject("Organization.csv", 2, REG, "outside the plausible range",
                                    "超出合理范围"),
    "serial_before_plausible": Reject("Organization.csv", 2, REG,
                                      r"100 \(= 1900-04-09\) is outside", "超出合理范围"),
    "date_with_time": Reject("Organization.csv", 2, REG, "Expected a date", "应为日期"),
    "expiry_far_future": Reject("Organization.csv", 2, "rating_expiry (等级有效期至)",
                                "outside the plausible range", "超出合理范围"),
    "bool_unknown_word": Reject("Organization.csv", 2, "is_community_org (是否社区社会组织)",
                                "Expected yes/no", "应为是/否"),
    # text
    "bidi_override_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "202E", "控制字符"),
    "word_joiner_in_id": Reject("Community.csv", 2, ID, INVISIBLE + "2060", "控制字符"),
    "soft_hyphen_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "00AD", "控制字符"),
    "hangul_filler_name": Reject("Community.csv", 2, NAME, INVISIBLE + "3164", "控制字符"),
    "tag_character_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "E0041", "控制字符"),
    "private_use_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "E000", "控制字符"),
    "tab_inside_name": Reject("Community.csv", 2, NAME, INVISIBLE + "0009", "控制字符"),
    "nel_c1_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "0085", "控制字符"),
    "braille_blank_name": Reject("Community.csv", 2, NAME, INVISIBLE + "2800", "控制字符"),
    "zero_width_joiner_in_name": Reject("Community.csv", 2, NAME, INVISIBLE + "200D", "控制字符"),
    "line_break_in_id": Reject("Community.csv", 2, ID, INVISIBLE + "000A", "控制字符"),
    "line_break_in_description": Accept("Need", "N9", "description", "第一行\n第二行", 1),
    "plus_leader_in_name": Reject("Community.csv", 2, NAME, r"Starts with '\+'", "开头"),
    "minus_placeholder_name": Reject("Community.csv", 2, NAME, "Starts with", "留空"),
    "at_leader_in_name": Reject("Community.csv", 2, NAME, "Starts with", "公式开头"),
    "tab_then_formula": Reject("Community.csv", 2, NAME, "Starts with '='", "公式"),
    "cr_then_formula": Reject("Community.csv", 2, NAME, "Starts with '='", "公式"),
    "cell_200k_chars": Reject("Need.csv", 2, "description (描述)", "200000 characters", "过长"),
    "cell_200k_chars_ragged": Reject("Need.csv", None, None, "cannot be read at line 2",
                                     "无法读取"),
    # structure
    "repeated_header_csv": Reject("Community.csv", 3, None, "repeats the header", "重复了表头"),
    "repeated_header_xlsx": Reject(BOOK, 3, None, "repeats the header", "重复了表头"),
    "header_line_break_csv": Reject("Community.csv", 1, "na\nme", "holds a line break", "换行"),
    "header_line_break_xlsx": Reject(BOOK, 1, "名\n称", "holds a line break", "换行"),
    "too_many_columns_csv": Reject("Community.csv", 1, None, "603 columns", "603 列"),
    "blank_line_keeps_row_numbers": Reject("Community.csv", 4, "kind (城乡类型)",
                                           "Not an allowed value", "不是允许的取值"),
    "quoted_line_break_keeps_rows": Reject("Need.csv", 3, "status (状态)", "Not an allowed value",
                                           "不是允许的取值"),
    # incremental loads, checked against the store
    "case_twin_of_stored_id": Reject("Community.csv", 2, ID, "stored id 'M1'", "仅大小写不同"),
    "case_twin_of_stored_other_label": Reject("Township.csv", 2, ID,
                                              r"stored id 'K1' \(County '.+'", "仅大小写不同"),
    "relationship_already_stored": Reject("PART_OF.csv", 2, PART_OF_FROM, "already in the store",
                                          "已存在于数据库中"),
    "second_parent_in_store": Reject("PART_OF.csv", 2, PART_OF_FROM,
                                     r"already PART_OF '.+' \(in .+, id T1\) in the store",
                                     "只能隶属一个上级"),
    "stored_id_other_label": Reject("Organization.csv", 2, ID, "already exists in the store",
                                    "已存在于数据库"),
    "new_node_linked_to_stored": Accept("Organization", "O5", "name", "新服务社", 1),
    "new_relationship_between_stored": Accept("Organization", "O1", "name", "清波睦邻服务社", 0),
    # bounded messages
    "many_bad_rows": Reject("Community.csv", 2, POP, "Must not be negative", "不能为负数"),
    "long_bad_value": Reject("Community.csv", 2, NAME, "Starts with '='", "公式"),
}


def test_every_case_has_an_expectation_and_the_corpus_is_big_enough():
    assert set(EXPECTED) == set(CASES)
    assert len(CASES) >= 120
    files = [f for f in (CORPUS / "cases").rglob("*") if f.is_file()]
    assert len(files) >= 120
    assert {f.suffix for f in files} == {".csv", ".xlsx"}


def test_committed_corpus_is_what_the_script_makes(tmp_path):
    build(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(CORPUS): p.read_bytes() for p in (CORPUS / "cases").rglob("*")
                 if p.is_file()}
    committed |= {p.relative_to(CORPUS): p.read_bytes() for p in (CORPUS / "base").rglob("*")
                  if p.is_file()}
    # XLSX embed their creation time: compare the CSV files byte for byte, XLSX by name
    assert set(fresh) == set(committed)
    for k, v in fresh.items():
        if k.suffix == ".csv":
            assert committed[k] == v, f"{k} is stale: run python tests/corpus/make_corpus.py"


def store_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under the store folder (names relative to it)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def load_like_cli(folder: Path, source: Path) -> ImportResult:
    """What ``wushe load SOURCE --store FOLDER`` does, minus the printing."""
    store = LadybugStore(folder)
    read: list[ImportResult] = []
    try:
        # validated under the load lock, against the store as a whole
        store.load(lambda: read.append(read_import(source, store=store,
                                                   salt=salt_for_store(store))) or read[-1])
        return read[-1]
    finally:
        store.close()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("base") / "store"
    load_like_cli(folder, CORPUS / "base")
    return folder


@pytest.fixture
def store_copy(base_store, tmp_path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(base_store, folder)
    return folder


def _source(case: str) -> Path:
    folder = CORPUS / "cases" / case
    files = list(folder.iterdir())
    return files[0] if len(files) == 1 and files[0].suffix == ".xlsx" else folder


@pytest.mark.parametrize("case", sorted(k for k, v in EXPECTED.items() if isinstance(v, Reject)))
def test_bad_input_is_rejected_located_bilingual_and_leaves_the_store_untouched(case, store_copy):
    want = EXPECTED[case]
    assert isinstance(want, Reject)
    before = store_hashes(store_copy)
    with pytest.raises(ValidationError) as info:
        load_like_cli(store_copy, _source(case))
    assert store_hashes(store_copy) == before
    import re

    hits = [p for p in info.value.problems if re.search(want.en, p.en)]
    assert hits, [p.en for p in info.value.problems]
    p = hits[0]
    assert (p.file, p.row, p.column) == (want.file, want.row, want.column)
    assert want.zh in p.zh and p.zh != p.en
    # the user-facing text names the place in both languages
    assert p.file in info.value.message("zh") and p.file in info.value.message("en")
    # bounded: no value shown longer than 200 characters (plus its length note), lists capped
    assert all(q.value is None or len(q.value) <= 240 for q in info.value.problems)
    assert len(info.value.problems) <= 2 * MAX_PER_RULE + 10


def test_a_thousand_bad_rows_give_a_capped_list_and_a_count(store_copy):
    with pytest.raises(ValidationError) as info:
        load_like_cli(store_copy, _source("many_bad_rows"))
    problems = info.value.problems
    assert len(problems) == MAX_PER_RULE + 1
    assert [p.row for p in problems[:3]] == [2, 3, 4]
    assert "800 more rows" in problems[-1].en and "另有 800 行" in problems[-1].zh


def test_an_oversized_value_is_clipped_in_the_message(store_copy):
    with pytest.raises(ValidationError) as info:
        load_like_cli(store_copy, _source("long_bad_value"))
    p = info.value.problems[0]
    assert p.value.startswith("=xxx") and "(5001 characters / 5001 字)" in p.value
    assert len(info.value.message("en")) < 2000


@pytest.mark.parametrize("case", sorted(k for k, v in EXPECTED.items() if isinstance(v, Accept)))
def test_normalised_input_loads_with_the_documented_value(case, store_copy):
    want = EXPECTED[case]
    assert isinstance(want, Accept)
    store = LadybugStore(store_copy)
    before = sum(store.count_by_label().values())
    store.close()
    load_like_cli(store_copy, _source(case))
    store = LadybugStore(store_copy)
    try:
        assert sum(store.count_by_label().values()) == before + want.nodes
        got = store.run(f"MATCH (n:{want.label}) WHERE n.id = $id RETURN n.{want.prop} AS v",
                        {"id": want.id})
        if want.value is None:  # an empty cell: stored as null (NaN in an integer frame)
            assert got["v"].isna().tolist() == [True]
        else:
            assert got["v"].tolist() == [want.value]
    finally:
        store.close()


def test_stray_spaces_in_relationship_ends_resolve_to_the_stripped_ids(store_copy):
    load_like_cli(store_copy, _source("id_spaces_in_relationship"))
    store = LadybugStore(store_copy)
    df = store.run("MATCH (c:Community)-[:PART_OF]->(t:Township) WHERE c.id = 'M3' "
                   "RETURN c.id AS c, t.id AS t")
    store.close()
    assert df.values.tolist() == [["M3", "T1"]]


@pytest.mark.slow
def test_a_million_row_file_is_rejected_at_its_one_bad_row(store_copy, tmp_path):
    folder = tmp_path / "million"
    write_million_rows(folder)
    before = store_hashes(store_copy)
    with pytest.raises(ValidationError) as info:
        load_like_cli(store_copy, folder)
    assert store_hashes(store_copy) == before
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("Volunteer.csv", 1_000_001,
                                                   "hours_12m (近12个月服务时长)", "-1")
    assert "不能为负数" in p.zh
