"""The XLSX template and the generated import-format doc."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from wushe.graph.schema import SCHEMA
from wushe.loaders import read_import
from wushe.loaders.template import EXAMPLES, README_SHEET, import_format_markdown, write_template

ROOT = Path(__file__).resolve().parent.parent


def test_template_has_chinese_sheets_headers_and_notes(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == README_SHEET
    assert len(wb.sheetnames) == 1 + len(SCHEMA.nodes) + len(SCHEMA.rels)
    assert "社工站_服务中心" in wb.sheetnames and "领导_牵头" in wb.sheetnames
    com = wb["社区"]
    assert [c.value for c in com[1]] == ["编号", "名称", "统计用区划代码", "城乡类型", "常住人口",
                                         "户数", "服务综合体星级", "专职社区工作者数",
                                         "持证专职社区工作者数"]
    note = com["D1"].comment.text
    assert "必填 required" in note and "城市社区、农村社区" in note
    # enumerations are typed and picked in Chinese; the drop-down refuses anything else
    assert com["D2"].value == "城市社区"
    [dv] = [d for d in com.data_validations.dataValidation if "D2" in str(d.sqref)]
    assert dv.formula1 == '"城市社区,农村社区"' and dv.showErrorMessage
    assert [c.value for c in wb["资助"][1]] == ["起点编号", "终点编号", "金额(元)", "渠道"]
    assert wb["资助"]["A2"].value == "F001"


def test_template_examples_are_a_valid_import(tmp_path: Path) -> None:
    t = read_import(write_template(tmp_path / "t.xlsx"), salt=b"s")
    assert t.counts() == dict.fromkeys(EXAMPLES, 1)
    assert t.nodes["SocialWorker"]["name"].tolist() == ["张*明"]
    assert t.rels["FUNDS"][["from_label", "amount"]].values.tolist() == [["Foundation", 20000.0]]


def test_the_stored_names_sheets_list_names_and_are_not_read_as_data(tmp_path: Path) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    from wushe.loaders.template import ORGANIZATIONS_SHEET, REGIONS_SHEET, with_stored_names

    blank = write_template(tmp_path / "t.xlsx").read_bytes()
    out = tmp_path / "with.xlsx"
    regions = pd.DataFrame({"level": ["township", "city", "county"],
                            "id": ["township-1", "city-3301", "county-330106"],
                            "name": ["北山街道", "杭州市", "西湖区"],
                            "parents": ["西湖区 · 杭州市", "", "杭州市"]})
    orgs = pd.DataFrame({"id": ["o1"], "name": ["北山邻里互助会"],
                         "parents": ["北山社区 · 北山街道 · 西湖区 · 杭州市"]})
    out.write_bytes(with_stored_names(blank, regions, orgs))
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["说明", REGIONS_SHEET, ORGANIZATIONS_SHEET]
    # top level first; the last column is what the drop-downs offer
    assert [[c.value for c in r] for r in wb[REGIONS_SHEET].iter_rows(min_row=2)] == [
        ["市", "杭州市", None, "city-3301", "杭州市"],
        ["县(市、区)", "西湖区", "杭州市", "county-330106", "西湖区 (杭州市)"],
        ["乡镇(街道)", "北山街道", "西湖区 · 杭州市", "township-1", "北山街道 (西湖区 · 杭州市)"]]
    assert [c.value for c in wb[ORGANIZATIONS_SHEET][2]][3] == \
        "北山邻里互助会 (北山社区 · 北山街道 · 西湖区 · 杭州市)"

    def lists(sheet: str) -> dict[str, str]:
        return {str(dv.sqref).split(":")[0]: dv.formula1
                for dv in wb[sheet].data_validations.dataValidation}

    # PART_OF's parent side: the city, county and township rows; MEMBER_OF's: organizations
    assert lists("隶属")["B2"] == "'已有区域'!$E$2:$E$4"
    assert lists("加入")["B2"] == "'已有社会组织'!$D$2:$D$2"
    assert all(not dv.showErrorMessage for dv in wb["隶属"].data_validations.dataValidation)
    assert read_import(out, salt=b"s").counts() == dict.fromkeys(EXAMPLES, 1)


def test_committed_template_reads_like_a_fresh_one(tmp_path: Path) -> None:
    committed = read_import(ROOT / "sample_data" / "template" / "wushe-import-template.xlsx",
                            salt=b"s")
    fresh = read_import(write_template(tmp_path / "t.xlsx"), salt=b"s")
    assert committed.counts() == fresh.counts()
    for label, df in fresh.nodes.items():
        assert committed.nodes[label].equals(df)


def test_import_format_doc_is_generated_from_schema() -> None:
    doc = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    assert doc == import_format_markdown(), (
        "docs/import-format.md is stale: run "
        "python -c 'from wushe.loaders.template import main; main()'")


def test_doc_lists_every_table_and_column() -> None:
    md = import_format_markdown()
    for item in (*SCHEMA.nodes, *SCHEMA.rels):
        assert f"### {item.name} — {item.zh}" in md
        for p in item.props:
            assert f"| `{p.name}` | {p.zh} |" in md
    assert ("| `kind` | 城乡类型 | text 文本 | yes 是 | one of: urban community, rural "
            "community<br>取值:城市社区、农村社区 |") in md
    assert "Allowed pairs (from → to): Volunteer → Community." in md
