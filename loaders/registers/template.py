"""The registers template workbook and docs/registers.md, both from the register kinds.

``python -m wushe.loaders.registers.template`` regenerates
``sample_data/template/wushe-registers-template.xlsx``, ``docs/registers.md`` and the
sample province as registers (``sample_data/registers/``, same seed as the graph CSVs);
tests check the doc, that the template's example rows load, and that the sample registers
load to the sample graph.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook

from wushe.graph.schema import CATEGORIES, SCENARIOS, SCHEMA
from wushe.loaders.registers.kinds import CHANNELS, KINDS, REGION_FIELDS, Field, RegisterKind
from wushe.loaders.registers.mapping import _IGNORED
from wushe.loaders.template_sheets import header_cell, word_list

__all__ = ["EXAMPLES", "registers_markdown", "write_register_template"]

README_SHEET = "说明"
_LEVEL_WORDS = ("省级", "市级", "县级", "乡镇级")

# One example row per kind: together a small county that loads as it is (a test checks it).
EXAMPLES: dict[str, dict[str, str]] = {
    "divisions": {"city": "杭州市", "county": "西湖区", "township": "北山街道",
                  "township_kind": "街道", "name": "北山社区", "code": "330106001001",
                  "urban_rural_code": "111", "kind": "城镇", "population": "8200",
                  "households": "3100", "complex_star": "3", "fulltime_workers": "12",
                  "certified_workers": "8"},
    "organizations": {"name": "北山邻里互助会", "credit_code": "51330106MJ0000001T",
                      "form": "社会团体", "category": "服务", "rating": "4A",
                      "rating_expiry": "2027-12-31", "authority": "西湖区民政局",
                      "based_community": "北山社区", "township": "北山街道",
                      "serves": "北山社区", "is_community_org": "是",
                      "is_volunteer_service": "否", "registered_on": "2019-05-20",
                      "staff": "3", "activities_12m": "24", "active_months_12m": "10"},
    "workers": {"name": "张小明", "certificate": "社会工作师", "role": "专职社区工作者",
                "employer": "北山社区", "township": "北山街道", "phone": "13800000000"},
    "volunteers": {"name": "李华", "volunteer_no": "ZJ2024000001", "community": "北山社区",
                   "township": "北山街道", "teams": "北山邻里互助会", "hours_12m": "36.5",
                   "activities_12m": "14", "active_months_12m": "7"},
    "charity": {"name": "北山社区发展基金", "kind": "慈善基金", "based_community": "北山社区",
                "township": "北山街道", "assets": "150000"},
    "stations": {"name": "北山街道社工站", "kind": "社工站", "township": "北山街道",
                 "county": "西湖区", "evaluated": "是", "registered": "是",
                 "certified_staff": "4"},
    "party": {"name": "北山社区党委", "community": "北山社区", "township": "北山街道",
              "is_big_committee": "是", "member_units": "6", "members": "北山邻里互助会"},
    "needs": {"id": "N001", "category": "一老一小", "description": "独居老人助餐",
              "raised_on": "2024-01-15", "status": "处理中", "community": "北山社区",
              "township": "北山街道"},
    "projects": {"name": "一老一小暖心食堂", "id": "P001", "year": "2024",
                 "scenario": "一老一小", "budget": "50000", "start_date": "2024-03-01",
                 "communities": "北山社区", "township": "北山街道", "initiators": "北山社区",
                 "leads": "北山社区党委", "delivers": "北山邻里互助会",
                 "workers": "张小明:8", "volunteers": "ZJ2024000001:4",
                 "funding": "北山社区发展基金:20000:基金会资助", "needs": "N001"},
}


def _choices(k: RegisterKind, f: Field) -> tuple[str, ...]:
    """The words a drop-down offers for ``f`` (empty: free text)."""
    if f.role == "authority":
        return _LEVEL_WORDS
    if f.values:
        return tuple(dict.fromkeys(f.values))
    if f.prop is None:
        return ()
    label = SCHEMA.node(k.label)
    props = {p.name: p for p in label.props}
    p = props.get(f.prop)
    if p is None:
        return ()
    if p.type == "BOOL":
        return ("是", "否")
    if p.name == "rating":
        return ("1A", "2A", "3A", "4A", "5A")
    if p.choices in (CATEGORIES, SCENARIOS):
        return p.choices
    return ()


def _note(k: RegisterKind, f: Field) -> str:
    """Header comment: what the column is, what it accepts, the other headers recognised."""
    lines = [f"{f.zh} / {f.en}"]
    if f.note_zh:
        lines.append(f.note_zh)
    if f.ref is not None:
        rel = SCHEMA.rel(f.ref.rel)
        lines.append(f"生成关系 {rel.zh}({rel.name})")
    other = [h for h in f.synonyms if h != f.zh]
    if other:
        lines.append("也可写作:" + "、".join(other[:8]))
    return "\n".join(lines)


def write_register_template(path: str | Path) -> Path:
    """Write the registers template: a sheet per kind, Chinese headers with comments,
    drop-down lists for every enumeration and one example row.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (its folder is created).

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
    readme.append(["五社联动台账导入模板 / wushe registers template"])
    readme.append(["每个工作表是一种台账;表头可按 docs/registers.md 中的同义列名填写,"
                   "标题行、序号列、备注列和表尾说明行都可保留。第 2 行为示例,请删除后填写。"])
    readme.append(["One sheet per register kind; headers may use any synonym listed in "
                   "docs/registers.md. Row 2 is an example: replace it with your rows."])
    readme.append(["资金渠道 / funding channels: " + "、".join(CHANNELS)])
    for k in KINDS:
        ws = wb.create_sheet(k.zh)
        fields = [f for f in k.fields if f.zh]
        example = EXAMPLES.get(k.name, {})
        for j, f in enumerate(fields, start=1):
            cell = header_cell(ws, j, f.zh, _note(k, f), fill="DDEBF7")
            ws.cell(row=2, column=j, value=example.get(f.name) or None)
            words = _choices(k, f)
            if words:
                word_list(ws, cell.column_letter, words)
        ws.freeze_panes = "A2"
    wb.save(path)
    return path


def registers_markdown() -> str:
    """docs/registers.md: the registers import, one section per kind with its headers."""
    out = [
        "# Registers import (台账导入)",
        "",
        "<!-- generated by `python -m wushe.loaders.registers.template`; do not edit -->",
        "",
        "`wushe load FOLDER` reads the registers offices keep — one row per community, "
        "organization, worker, volunteer, charity resource, station, Party committee, need "
        "or project — and builds the same validated graph as the graph format "
        "([import-format.md](import-format.md)), without a single id written by hand. "
        "A folder whose files are all named after graph tables is read in the graph "
        "format; anything else as registers (force with `--registers` / `--graph-format`).",
        "",
        "How a register is read:",
        "",
        "1. **Header.** Title rows (merged or not), a 填报单位 line, a 序号 column, 备注 "
        "columns and notes or 合计 rows below the table are allowed: the header is the "
        "row among the first 15 that names the most known columns. Columns nobody maps "
        "are listed, never refused.",
        "2. **Kind and columns.** The kind comes from the headers (and the sheet or file "
        "name); each column is matched to a field by the synonyms below (width, spaces, "
        "brackets and 、/_- ignored). Other layouts: a mapping file, `wushe load "
        "--mapping map.yaml`, or the mapping step on the app's data page (which saves the "
        "same file):",
        "",
        "   ```yaml",
        "   tables:",
        "     \"志愿者导出*\":          # file name, sheet name or stem; * and ? match",
        "       kind: volunteers",
        "       header_row: 3        # optional",
        "       columns: {姓名: name, 所属组织: teams, 编号: volunteer_no}",
        "   ```",
        "",
        "3. **Cells** pass the same strict rules as the graph format (numbers, dates, "
        "是/否, credit-code check character …); register words become schema values "
        "(城镇 → urban, 社会服务机构(民办非企业单位) → 社会服务机构, 西湖区民政局 → county).",
        "4. **References** (a community, an organization, a person named in another "
        "register) resolve by code first (12-digit division code, credit code, filing "
        "number, volunteer number, need or project number, or our id), then by the exact "
        "name within the given township (所在乡镇(街道), or `街道/社区` in the cell), then "
        "by the name with width, spaces and the usual suffixes (社区居民委员会 / 居委会 / "
        "社区, 村民委员会 / 村委会 / 村, 街道办事处 / 街道, 镇, 乡) folded. Anything else "
        "is an error naming the row and up to three closest names with their region; a "
        "name that fits two things (two 新村社区 in different townships) is an error "
        "naming both. Place references are resolved first, so an organization named in "
        "the roster is told apart by the township it is based in.",
        "5. **One thing, one node.** Rows with the same 编号, division code, credit code, "
        "filing number, volunteer number or ID number (hashed) are one node — a volunteer "
        "listed once per team is one volunteer in several teams; a later row that "
        "disagrees on an attribute is an error naming both rows. Without any key a "
        "thing is its (folded) name in its place.",
        "6. **Updates.** Loading into a store that holds data treats each register as the "
        "newer version of that register: its label's nodes are replaced (added, changed "
        "and removed are reported), its own relationships (those its reference columns "
        "make) are replaced, everything else stays. All-or-nothing: one new version.",
        "7. **Personal data.** Names of people are masked (张*明), ID and phone numbers "
        "stored only as salted hashes; ids made from them are hashes of those hashes.",
        "",
        "Lists (服务社区, 所属队伍, 成员单位, 承接组织 …) separate items with `;` `；` `、` "
        "`,` `，` or new lines. `wushe export registers OUT` writes a store back as "
        "registers (with a 编号 column that keeps ids stable); loading them gives the "
        "same graph. The template `sample_data/template/wushe-registers-template.xlsx` "
        "has a sheet per kind with these headers, comments, drop-downs and an example row.",
        "",
    ]
    for k in KINDS:
        label = SCHEMA.node(k.label)
        out += [f"## {k.zh} — {k.en} (`{k.name}`)", "",
                f"One row per {label.en.lower()} ({label.zh})"
                + (" — City, County, Township and Community with PART_OF come from the "
                   "columns" if k.name == "divisions" else "")
                + ". Sheet or file names recognised: " + ", ".join(k.synonyms) + ".", "",
                "| field | header | also recognised | goes to |", "|---|---|---|---|"]
        for f in k.fields:
            if f.ref is not None:
                rel = SCHEMA.rel(f.ref.rel)
                many = ", a list" if f.ref.many else ""
                goes = f"{rel.name} → {'/'.join(f.ref.labels)}{many}"
            elif f.prop is not None:
                goes = f"`{f.prop}`"
            elif f.role == "parent":
                goes = "narrows names"
            elif f.role == "key":
                goes = "our id (optional)"
            elif f.role == "region":
                goes = f"{dict(REGION_FIELDS)[f.name]} `name`"
            elif f.name == "township_kind":
                goes = "Township `kind`"
            elif f.role == "urban_rural_code":
                goes = "`kind` (1xx urban, 2xx rural)"
            else:
                goes = f.role
            note = f" ({f.note_zh})" if f.note_zh else ""
            out.append(f"| `{f.name}` | {f.zh}{note} | {'、'.join(f.synonyms)} | {goes} |")
        out.append("")
    out += ["Columns never mapped: " + ", ".join(sorted(_IGNORED)) + " (row numbers).", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Regenerate the template workbook and docs/registers.md (paths from the repo root)."""
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2]
    write_register_template(root / "sample_data" / "template" /
                            "wushe-registers-template.xlsx")
    (root / "docs" / "registers.md").write_text(registers_markdown(), encoding="utf-8")
    from wushe.loaders.generator import sample_tables
    from wushe.loaders.registers.writer import write_registers

    write_registers(sample_tables(), root / "sample_data" / "registers", fmt="csv")


if __name__ == "__main__":
    main(sys.argv[1:])
