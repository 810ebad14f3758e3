"""The blank XLSX import template and the import-format documentation, both from the schema.

``python -c "from wushe.loaders.template import main; main()"`` regenerates
``sample_data/template/wushe-import-template.xlsx`` and ``docs/import-format.md``; a test
checks the committed doc equals :func:`import_format_markdown`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from wushe.graph.choices import choice_name, choice_names
from wushe.graph.schema import REGION_LABELS, REGION_LEVELS, SCHEMA, NodeLabel, Prop, RelType
from wushe.loaders.cells import DATE_MIN, DATE_YEARS_AHEAD, MAX_CELL_CHARS
from wushe.loaders.names import FROM_ZH, TO_ZH
from wushe.loaders.problems import MAX_PER_RULE, MAX_VALUE_CHARS
from wushe.loaders.reading import MAX_CELL_BYTES, MAX_COLUMNS
from wushe.loaders.references import reference_text
from wushe.loaders.template_sheets import header_cell, list_sheet_style, name_list, word_list
from wushe.loaders.workbook import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_TOTAL_BYTES,
)
from wushe.loaders.writer import table_file_name

__all__ = ["EXAMPLES", "ORGANIZATIONS_SHEET", "README_SHEET", "REGIONS_SHEET",
           "import_format_markdown", "with_stored_names", "write_template"]

README_SHEET = "说明"
#: the sheet listing the store's regions in a downloaded template (skipped when reading)
REGIONS_SHEET = "已有区域"
#: the sheet listing the store's organizations (skipped when reading)
ORGANIZATIONS_SHEET = "已有社会组织"

# One example row per table. Together they form a small valid graph, so the template
# itself passes validation (a test checks this): ids are unique and every relationship
# joins an allowed pair of the example nodes.
EXAMPLES: dict[str, dict[str, str]] = {
    "City": {"id": "C3301", "name": "杭州市", "code": "330100000000"},
    "County": {"id": "X330106", "name": "西湖区", "code": "330106000000"},
    "Township": {"id": "T330106001", "name": "北山街道", "code": "330106001000",
                 "kind": "street"},
    "Community": {"id": "S330106001001", "name": "北山社区", "code": "330106001001",
                  "kind": "urban", "population": "8200", "households": "3100",
                  "complex_star": "3", "fulltime_workers": "12", "certified_workers": "8"},
    "PartyCommittee": {"id": "PC001", "name": "北山社区党委", "is_big_committee": "是",
                       "member_units": "6"},
    "Organization": {"id": "O001", "name": "北山邻里互助会", "credit_code": "51330106MJ0000001T",
                     "form": "社会团体", "category": "服务", "rating": "4A",
                     "rating_expiry": "2027-12-31", "is_community_org": "是",
                     "is_volunteer_service": "否", "registered_on": "2019-05-20",
                     "registration_level": "county",
                     "staff": "3", "activities_12m": "24", "active_months_12m": "10"},
    "SocialWorker": {"id": "W001", "name": "张小明", "phone": "13800000000",
                     "id_number": "", "certificate": "intermediate",
                     "role": "community_worker"},
    "Station": {"id": "ST001", "name": "北山街道社工站", "kind": "social_work_station",
                "evaluated": "是", "registered": "是", "certified_staff": "4"},
    "Volunteer": {"id": "V001", "name": "李华", "phone": "", "id_number": "",
                  "volunteer_no": "ZJ2024000001", "hours_12m": "36.5",
                  "activities_12m": "14", "active_months_12m": "7"},
    "Foundation": {"id": "F001", "name": "北山社区发展基金", "kind": "charitable_fund",
                   "credit_code": "", "assets": "150000"},
    "Project": {"id": "P001", "name": "一老一小暖心食堂", "scenario": "一老一小", "year": "2024",
                "budget": "50000", "start_date": "2024-03-01"},
    "Need": {"id": "N001", "category": "一老一小", "description": "独居老人助餐",
             "raised_on": "2024-01-15", "status": "in_progress"},
    "PART_OF": {"from": "X330106", "to": "C3301"},
    "LEADS": {"from": "PC001", "to": "S330106001001"},
    "MEMBER_UNIT_OF": {"from": "O001", "to": "PC001"},
    "BASED_IN": {"from": "O001", "to": "S330106001001"},
    "SERVES": {"from": "O001", "to": "S330106001001"},
    "WORKS_AT": {"from": "W001", "to": "S330106001001"},
    "LOCATED_IN": {"from": "ST001", "to": "T330106001"},
    "LIVES_IN": {"from": "V001", "to": "S330106001001"},
    "MEMBER_OF": {"from": "V001", "to": "O001"},
    "RUNS_IN": {"from": "P001", "to": "S330106001001"},
    "INITIATED": {"from": "S330106001001", "to": "P001"},
    "DELIVERS": {"from": "O001", "to": "P001"},
    "SERVES_IN": {"from": "V001", "to": "P001", "hours": "4"},
    "FUNDS": {"from": "F001", "to": "P001", "amount": "20000", "channel": "foundation_grant"},
    "RAISED_IN": {"from": "N001", "to": "S330106001001"},
    "ADDRESSES": {"from": "P001", "to": "N001"},
}

_TYPE_ZH = {"STRING": "文本", "INT64": "整数", "DOUBLE": "数字", "DATE": "日期", "BOOL": "是/否"}
_TYPE_EN = {"STRING": "text", "INT64": "whole number", "DOUBLE": "number", "DATE": "date",
            "BOOL": "yes/no"}
_CHECK_TEXT = {
    "credit_code": ("18-character code with a valid GB 32100 check character",
                    "18 位,校验位须正确"),
    "rating": ("1A to 5A", "1A–5A"),
    "non_negative": ("not negative", "不能为负"),
    "past_date": ("not after today", "不晚于今天"),
    "person_name": ("masked on import (张*明)", "导入时脱敏(张*明)"),
    "sensitive": ("stored only as a salted hash", "仅以加盐哈希存储"),
    "star": ("0 to 5", "0–5"),
    "share": ("0 to 1", "0–1"),
}


def _columns(item: NodeLabel | RelType) -> list[Prop]:
    if isinstance(item, NodeLabel):
        id_prop = item.all_props[0]
        return [Prop(id_prop.name, id_prop.type, id_prop.zh, id_prop.en, required=True,
                     checks=()), *item.props]
    return [Prop("from", "STRING", FROM_ZH, "From (id)", required=True),
            Prop("to", "STRING", TO_ZH, "To (id)", required=True), *item.props]


def _rule_text(p: Prop, item: NodeLabel | RelType) -> tuple[str, str]:
    """What a column accepts, in English and Chinese (allowed values and checks)."""
    en, zh = [], []
    if p.name == "id":
        en.append("unique across all tables")
        zh.append("在所有表中唯一")
    if p.name in ("from", "to") and isinstance(item, RelType):
        side = 0 if p.name == "from" else 1
        labels = ", ".join(dict.fromkeys(pair[side] for pair in item.pairs))
        en.append(f"id of a {labels} node")
        zh.append(f"{labels} 节点的编号")
    if p.choices:
        en.append("one of: " + ", ".join(choice_names(p, "en")))
        zh.append("取值:" + "、".join(choice_names(p, "zh")))
    for c in p.checks:
        en.append(_CHECK_TEXT[c][0])
        zh.append(_CHECK_TEXT[c][1])
    return "; ".join(en), ";".join(zh)


def _items() -> list[NodeLabel | RelType]:
    return [*SCHEMA.nodes, *SCHEMA.rels]


def write_template(path: str | Path) -> Path:
    """Write the blank import workbook: a README sheet, then one sheet per table.

    Sheets and headers use the Chinese names; each header carries a comment giving the
    type, whether it is required and the allowed values; choice columns get a drop-down.
    Each sheet has one example row (the examples together are a valid import).

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx`` file.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    _write_readme(readme)
    for item in _items():
        ws = wb.create_sheet(table_file_name(item.name, "zh"))
        cols = _columns(item)
        example = EXAMPLES[item.name]
        for j, p in enumerate(cols, start=1):
            rule_en, rule_zh = _rule_text(p, item)
            note = (f"{p.zh} | {p.name}\n类型 type: {_TYPE_ZH[p.type]} / {_TYPE_EN[p.type]}\n"
                    f"{'必填 required' if p.required else '选填 optional'}")
            if rule_zh:
                note += f"\n{rule_zh}\n{rule_en}"
            cell = header_cell(ws, j, p.zh, note, fill="FFF2CC" if p.required else None)
            value = example.get(p.name, "")
            if p.choices:  # people read and type enumerations in Chinese
                value = str(choice_name(p.name, value))
                word_list(ws, cell.column_letter, choice_names(p, "zh"), required=p.required)
            ws.cell(row=2, column=j, value=value if value != "" else None).number_format = "@"
        ws.freeze_panes = "A2"
    wb.save(path)
    return path


def _write_readme(ws) -> None:  # noqa: ANN001 - an openpyxl worksheet
    """Fill the README sheet: how to use the workbook, then one line per column."""
    lines = [
        ["五社联动资源图谱 导入模板 / wushe import template"],
        ["每个工作表是一类节点或关系;第一行是列名,第二行是示例(导入前请删除或替换)。"
         "Each sheet is one node label or relationship type; row 1 holds the headers, row 2 "
         "an example to replace."],
        ["编号在所有表中必须唯一;关系表用起点编号/终点编号引用节点:新增的节点填它的编号,已有的区域、"
         "社会组织可填名称(从应用下载的模板有下拉列表,如「西湖区 (杭州市)」)。"
         "Ids must be unique across all sheets; relationship sheets refer to nodes by id, or "
         "to a stored region or organization by name (the app's template has drop-downs)."],
        ["黄色列为必填;本「说明」工作表导入时会被忽略。"
         "Yellow headers are required; this README sheet is ignored on import."],
        [],
        ["工作表 sheet", "列名 column", "英文列名 column (en)", "类型 type", "必填 required",
         "规则 rules"],
    ]
    for item in _items():
        for p in _columns(item):
            rule_en, rule_zh = _rule_text(p, item)
            lines.append([table_file_name(item.name, "zh"), p.zh, p.name,
                          f"{_TYPE_ZH[p.type]} {_TYPE_EN[p.type]}",
                          "是 yes" if p.required else "否 no",
                          f"{rule_zh} {rule_en}".strip()])
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[6]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEF", (18, 22, 22, 16, 12, 70), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=7):
        row[5].alignment = Alignment(wrap_text=True)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _limits_markdown() -> list[str]:
    """The limits every file is checked against before it is read (hostile files)."""
    return [
        "## Limits and hostile files / 限制与异常文件",
        "",
        "Every file is treated as untrusted. Before a workbook is parsed its archive is "
        f"checked: at most {MAX_MEMBERS} files inside, {MAX_MEMBER_BYTES >> 20} MiB per file "
        f"and {MAX_TOTAL_BYTES >> 20} MiB in all once unpacked, a compression ratio of at "
        f"most {MAX_RATIO}:1 for files over 1 MiB (a zip bomb is refused before it is "
        "unpacked), every file's CRC; then each sheet is streamed through an XML parser that "
        "refuses DTDs and entities: its declared and its actual used area must stay within "
        f"{MAX_SHEET_ROWS} rows, {MAX_SHEET_COLUMNS} columns and {MAX_SHEET_CELLS:,} cells "
        "(rows x columns; use CSV for larger tables), and formula cells without a saved value "
        "or with a cached error are listed by cell. Numbers are read as the cell holds them "
        "(dates by their date formats); a number shown zero-padded by its format (`000000`) "
        "is read as shown (`000012`), so codes keep their leading zeros. A CSV row may have "
        "at most "
        f"{MAX_COLUMNS} columns and a cell at most {MAX_CELL_BYTES >> 10} KiB (the cell limit "
        f"of {MAX_CELL_CHARS} characters applies first when the row parses). Messages show "
        f"at most {MAX_VALUE_CHARS} characters of a value; every list is capped per file, "
        "column and rule, so millions of bad rows give a short answer.",
        "",
        "Row numbers are always the spreadsheet's: blank rows count, a quoted cell with line "
        "breaks is one row. An incremental load is checked against the store exactly as one "
        "import is checked against itself (ids, case twins, relationships, one parent per "
        "region), under the store's load lock, so nothing can change between the check and "
        "the write; stored ids are looked up in chunks joined on the id index (or read once "
        "when the label is smaller than the import), never sent as one list. A full disk, a "
        "permission error or any other failure is a located message and leaves the store as "
        "it was.",
        "",
        "每个文件都按不可信处理:工作簿在解析前检查压缩包(文件数、解压后大小、压缩比、校验和),"
        "工作表以禁止 DTD 与实体的 XML 解析器流式扫描,使用范围须在上述限制内;公式缺少计算结果或为"
        "错误值时逐格列出。行号始终与表格软件一致。追加导入在导入锁内按同一规则与库中数据一并校验。"
        "磁盘已满、无权限等任何失败都给出定位的中英文说明,数据库保持不变。",
        "",
    ]


def import_format_markdown() -> str:
    """The import-format documentation (docs/import-format.md), generated from the schema."""
    out = [
        "# Import format / 导入格式",
        "",
        "<!-- Generated by loaders.template.main() from graph/schema.py; do not edit. -->",
        "",
        "An import is a **folder of CSV/XLSX files** or **one XLSX workbook**. Each node label "
        "and each relationship type is one table: a CSV file named after it (`Community.csv` "
        "or `社区.csv`), or a sheet of that name. Table names may be the English schema name "
        "or the Chinese name below; in Chinese names `/` may be written `_` (file and sheet "
        "names cannot hold `/`). A sheet named `说明` or `README` is ignored. The blank "
        "template `sample_data/template/wushe-import-template.xlsx` has a sheet per table with "
        "Chinese headers, "
        "a comment on each header and one example row.",
        "",
        "导入数据为一个包含 CSV/XLSX 文件的文件夹,或一个 XLSX 工作簿。每类节点、每类关系各一张表:"
        "以英文名或中文名命名的 CSV 文件(如 `Community.csv`、`社区.csv`),或同名工作表。"
        "中文名中的 `/` 可写作 `_`。名为「说明」或 `README` 的工作表会被忽略。"
        "空白模板见 `sample_data/template/wushe-import-template.xlsx`。",
        "",
        "## Rules / 规则",
        "",
        "- **Node tables** have an `id` (编号) column: text, unique across the whole graph "
        "(all tables), plus the label's properties. 节点表含「编号」列,在所有表中唯一。",
        f"- **Relationship tables** have `from` ({FROM_ZH}) and `to` ({TO_ZH}): node ids, in "
        "this import or (for an incremental load) already in the store, plus the "
        "relationship's properties. The ends must be one of the allowed (from → to) label "
        "pairs; a node cannot be joined to itself. 关系表含起点编号、终点编号,须符合允许的"
        "类型组合,起点与终点不能相同。",
        "- **Names instead of ids**: an end that is no id may name a region (city, county, "
        "township, community) or an organization of the import or the store, written as "
        "the name alone or with the places above it, `北山街道 (西湖区 · 杭州市)` — the form "
        "of the drop-downs in the template the app's data page hands out (sheets 已有区域 "
        "and 已有社会组织, skipped on import). The name must fit one node (within the places "
        "given); if it fits several, the error lists each with its region. 起点/终点也可"
        "填写区域或社会组织的名称(可带上级:`北山街道 (西湖区 · 杭州市)`,即应用所下载模板中"
        "下拉列表的写法);名称须唯一确定一个节点,否则报错并列出各候选及其所在地。",
        "- **Headers** are the English property names or the Chinese names below; spaces, "
        "full-width spaces and a BOM are ignored, as is letter case. Required columns must be "
        "present; optional columns may be left out; unknown or repeated columns are errors. "
        "列名可用英文名或中文名;必填列不可缺少,未知列、重复列视为错误。",
        "- **Encoding**: CSV in UTF-8 (with or without BOM), UTF-16 with a BOM, GBK or "
        "GB18030, decoded strictly: a byte none of them accepts is an error naming its line "
        "and offset, and no other code page is ever guessed. Line ends may be CRLF, LF or "
        "CR alone. CSV 编码可为 UTF-8(含 BOM)、带 BOM 的 UTF-16、GBK 或 GB18030,严格解码:"
        "无效字节报告其行号与位置,不猜测其他编码。",
        "- **Normalisation**: leading and trailing spaces (also full-width) are removed from "
        "every cell, so ids with stray spaces are stripped; fully blank rows are skipped; "
        "full-width digits are folded (１２ → 12); credit codes are upper-cased; a rating "
        "written `AAAAA` becomes `5A`; ids and relationship ends are NFKC-folded "
        "(`Ｍ１` → `M1`). 每个单元格首尾空格会被去除,全角数字转为半角。",
        "- **Refused / 拒绝**: ids that differ only in letter case (`m1`/`M1`), also from an "
        "id already stored; text with characters a spreadsheet does not show or shows blank "
        "(Unicode Cc, Cf — zero-width, bidi overrides, soft hyphen, tags —, Co, Cs, line "
        "separators and the Hangul/Braille fillers; line breaks are allowed inside text that "
        "is not an id); text starting with `=`, `+`, `-` or `@` (a formula in a spreadsheet: "
        "refused on import, so no stored text can act as a formula in any export; hashed "
        "columns excepted); a number in scientific notation in a text column (`1.10101E+17`: "
        "the spreadsheet kept 15 digits — store it as text); cells over 4000 characters (ids "
        "over 200); a region `PART_OF` two parents, also when the store has its parent; the "
        "same relationship (type, from, to) listed twice or already stored; merged header or "
        "data cells (never filled down); a header row repeated below the header; a line break "
        "in a header cell; formula cells without a saved value and cached errors (`#DIV/0!`, "
        "`#N/A` …); files mixing UTF-8 and GBK; an import with no data rows. "
        "仅大小写不同的编号(含与库中编号)、不可见或显示为空白的字符、以「=」「+」「-」「@」开头的文本、"
        "文本列中的科学计数法数字、超长单元格、一个区域隶属两个上级、重复或库中已有的关系、合并单元格、"
        "重复的表头行、表头中的换行、未保存计算结果的公式与错误值、混用编码的文件、没有数据行的导入均视为错误。",
        "- **Types / 类型**: text 文本; whole number 整数 (`12`, also `12.0`; between "
        "-9223372036854775808 and 9223372036854775807, read exactly — larger is refused, "
        "never wrapped); number 数字 (`12.5`); date 日期 (`2024-03-01`, `2024/3/1`, "
        "`2024年3月1日`, `20240301` or an Excel date/serial; a whole day: `2024` or `202401` "
        f"alone are refused; from {DATE_MIN.isoformat()} to {DATE_YEARS_AHEAD} years after "
        "today, or today for dates that cannot lie ahead); yes/no 是/否 (`true`/`false`, "
        "`1`/`0`, `是`/`否`, `Y`/`N`).",
        "- **Personal data / 个人信息**: person names (志愿者、社会工作者 姓名) are masked on "
        "import (`张明` → `张*`, `张小明` → `张*明`, `欧阳晓明` → `欧**明`) unless an authorised "
        "deployment sets `WUSHE_SHOW_FULL_NAMES=1`. Phone and ID numbers are never stored in "
        "clear: they become `sha256:` hashes salted with `WUSHE_SALT` or, if unset, a random "
        "salt kept in the store folder's `salt` file (keep it: a new salt gives new hashes). "
        "姓名导入时脱敏;电话、身份证号仅以加盐哈希存储。",
        f"- **Errors**: every problem is reported at once with file (and sheet), row as the "
        f"spreadsheet shows it (header = row 1), column and value, in Chinese and English; "
        f"at most {MAX_PER_RULE} rows are listed per file, column and rule, the rest counted. "
        "Nothing is loaded while any problem remains. 所有问题一次列出(文件、行号、列、值),"
        "存在问题时不写入任何数据。",
        "",
        *_limits_markdown(),
    ]
    for title, items in (("Node tables / 节点表", SCHEMA.nodes),
                         ("Relationship tables / 关系表", SCHEMA.rels)):
        out += [f"## {title}", ""]
        for item in items:
            out += [f"### {item.name} — {item.zh}", ""]
            file_zh = table_file_name(item.name, "zh")
            out.append(f"File or sheet: `{item.name}` or `{file_zh}`.")
            if isinstance(item, RelType):
                pairs = ", ".join(f"{a} → {b}" for a, b in item.pairs)
                out.append(f"Allowed pairs (from → to): {pairs}.")
            out += ["", "| column | 列名 | type 类型 | required 必填 | allowed values, checks "
                    "/ 规则 |", "|---|---|---|---|---|"]
            for p in _columns(item):
                rule_en, rule_zh = _rule_text(p, item)
                rules = _md_escape(f"{rule_en}<br>{rule_zh}" if rule_en else "")
                out.append(f"| `{p.name}` | {p.zh} | {_TYPE_EN[p.type]} {_TYPE_ZH[p.type]} | "
                           f"{'yes 是' if p.required else 'no 否'} | {rules} |")
            out.append("")
    return "\n".join(out)


def main(root: str | Path = ".") -> None:
    """Regenerate the blank template and docs/import-format.md under ``root``."""
    root = Path(root)
    write_template(root / "sample_data" / "template" / "wushe-import-template.xlsx")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "import-format.md").write_text(import_format_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")


def with_stored_names(template: bytes, regions: pd.DataFrame,
                      organizations: pd.DataFrame | None = None) -> bytes:
    """The template with the stored regions (and organizations) listed by name, and a
    drop-down of them on every relationship column that may point at one.

    A relationship end may be written as a name (``西湖区 (杭州市)``; see
    :mod:`loaders.references`), so an official links a new street to its county by
    picking the county, never by finding its id. The drop-downs accept other text too
    (the ids of the rows the official adds).

    Parameters
    ----------
    template : bytes
        An XLSX template (:func:`write_template`).
    regions : pandas.DataFrame
        ``level`` (city, county, township, community), ``id``, ``name``, ``parents``
        (the names above, nearest first, joined by " · ").
    organizations : pandas.DataFrame, optional
        ``id``, ``name``, ``parents`` (where it is based, then the names above).

    Returns
    -------
    bytes
        The workbook, with sheets 已有区域 and 已有社会组织 after the README.
    """
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    order = {lv: i for i, lv in enumerate(REGION_LEVELS[1:])}  # city first
    regions = regions.sort_values("level", key=lambda s: s.map(order), kind="stable")
    lists: dict[str, str] = {}  # label -> the sheet range its drop-down lists
    ws = wb.create_sheet(REGIONS_SHEET, 1)
    ws.append(["层级", "名称", "所属上级", "编号(可不填:关系表中选下拉写法即可)",
               "关系表中的写法(下拉列表)"])
    for r in regions.itertuples(index=False):
        ws.append([SCHEMA.node(REGION_LABELS[r.level]).zh, r.name, r.parents, r.id,
                   reference_text(r.name, r.parents)])
    rows = regions["level"].map(order).to_numpy()
    for level, label in REGION_LABELS.items():
        if level in order:
            at = [i + 2 for i, v in enumerate(rows) if v == order[level]]
            if at:
                lists[label] = f"{min(at)}:{max(at)}"
    list_sheet_style(ws, (12, 20, 32, 24, 44))
    if organizations is not None and len(organizations):
        wo = wb.create_sheet(ORGANIZATIONS_SHEET, 2)
        wo.append(["名称", "所在地", "编号(可不填)", "关系表中的写法(下拉列表)"])
        for r in organizations.itertuples(index=False):
            wo.append([r.name, r.parents, r.id, reference_text(r.name, r.parents)])
        lists["Organization"] = f"{2}:{len(organizations) + 1}"
        list_sheet_style(wo, (28, 40, 24, 56))
    for item in SCHEMA.rels:
        sheet = wb[table_file_name(item.name, "zh")]
        for j, side in ((1, 0), (2, 1)):
            labels = list(dict.fromkeys(p[side] for p in item.pairs))
            spans = [lists[lb] for lb in labels if lb in lists and lb != "Organization"]
            source, column = REGIONS_SHEET, "E"
            if not spans and "Organization" in lists and "Organization" in labels:
                spans, source, column = [lists["Organization"]], ORGANIZATIONS_SHEET, "D"
            if not spans:
                continue
            first = min(int(x.split(":")[0]) for x in spans)
            last = max(int(x.split(":")[1]) for x in spans)
            name_list(sheet, sheet.cell(row=1, column=j).column_letter,
                      f"'{source}'!${column}${first}:${column}${last}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

