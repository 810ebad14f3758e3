"""Registers import: hand-made registers with known outcomes, and the generated twin."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from wushe.graph.errors import ValidationError
from wushe.loaders import validate, write_tables
from wushe.loaders.generator import generate
from wushe.loaders.reading import read_path
from wushe.loaders.registers import read_registers, write_registers
from wushe.loaders.registers.build import authority_level

SALT = b"test-salt"

DIVISIONS = [
    # 序号, 市, 县(市、区), 乡镇(街道), 社区(村), 统计用区划代码, 城乡分类代码, 常住人口, 备注
    ["1", "杭州市", "西湖区", "北山街道", "福亭社区", "330106002001", "111", "1200", ""],
    ["2", "杭州市", "西湖区", "北山街道", "新村社区", "330106002002", "111", "900", ""],
    ["3", "杭州市", "西湖区", "西溪街道", "新村社区", "330106004001", "112", "800", "新建"],
    ["4", "杭州市", "西湖区", "西溪街道", "幸福2社区", "330106004002", "111", "700", ""],
    ["5", "杭州市", "西湖区", "西溪街道", "桃园村", "330106004201", "220", "500", ""],
]
DIV_HEADER = ["序号", "市", "县(市、区)", "乡镇(街道)", "社区(村)", "统计用区划代码",
              "城乡分类代码", "常住人口", "备注"]


def _divisions_xlsx(path: Path) -> Path:
    """The division register as an office prints it: merged title, 序号, notes below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "社区名单"
    ws.append(["西湖区社区(村)基本情况表"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位:西湖区民政局"])
    ws.append(DIV_HEADER)
    for row in DIVISIONS:
        ws.append(row)
    ws.append([])
    ws.append(["注:人口为2024年末常住人口。"])
    wb.save(path)
    return path


def _csv(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = folder / name
    pd.DataFrame(rows, columns=header).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _orgs(folder: Path, rows: list[list[str]]) -> Path:
    header = ["单位名称", "统一社会信用代码", "组织类型", "类别", "所在社区", "所在乡镇(街道)",
              "服务社区", "登记管理机关"]
    return _csv(folder, "社会组织名录.csv", header, rows)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    _divisions_xlsx(tmp_path / "社区名单.xlsx")
    _orgs(tmp_path, [
        # suffix variant: 福亭社区居委会 is 福亭社区; no township needed (unique)
        ["福亭邻里互助会", "51330106MJ0000001T", "社会团体", "服务", "福亭社区居委会", "", "",
         "西湖区民政局"],
        # same-named community, told apart by its township
        ["新村文体队", "", "社会服务机构(民办非企业单位)", "文体", "新村社区", "西溪街道",
         "福亭社区;西溪街道/新村社区、桃园村委会", "北山街道办事处"],
        # width variant: full-width digit
        ["幸福志愿服务队", "", "备案", "志愿", "幸福２社区", "", "", ""],
        # based in a township: the community cell is empty
        ["北山街道公益联合会", "", "社会团体", "慈善", "", "北山街道", "", "杭州市民政局"],
    ])
    _csv(tmp_path, "志愿者名单.csv", ["姓名", "志愿者编号", "所在社区", "所在街道", "所属队伍",
                                   "服务时长(小时)", "身份证号"], [
        ["张小明", "ZJ001", "福亭社区", "北山街道", "福亭邻里互助会、新村文体队", "12.5",
         "330106199001011234"],
        ["李华", "ZJ002", "新村社区", "北山街道", "", "3", ""],
        # the same volunteer again (a platform export lists one row per team): one node
        ["张小明", "ZJ001", "福亭社区", "北山街道", "幸福志愿服务队", "12.5",
         "330106199001011234"],
    ])
    return tmp_path


def test_registers_resolve_code_exact_suffix_width_and_parent(county: Path):
    imp = read_registers(county, salt=SALT)
    t = imp.tables
    comm = t.nodes["Community"].set_index("id")
    assert sorted(comm.index) == ["comm-330106002001", "comm-330106002002", "comm-330106004001",
                                  "comm-330106004002", "comm-330106004201"]
    assert comm.loc["comm-330106004201", "kind"] == "rural"  # 城乡分类代码 220
    assert sorted(t.nodes["Township"]["id"]) == ["town-330106002", "town-330106004"]
    orgs = t.nodes["Organization"].set_index("name")
    based = t.rels["BASED_IN"].assign(name=lambda d: d["from"].map(
        t.nodes["Organization"].set_index("id")["name"])).set_index("name")["to"].to_dict()
    assert based == {"福亭邻里互助会": "comm-330106002001",  # suffix 居委会
                     "新村文体队": "comm-330106004001",  # exact name within 西溪街道
                     "幸福志愿服务队": "comm-330106004002",  # full-width ２
                     "北山街道公益联合会": "town-330106002"}  # township column alone
    serves = t.rels["SERVES"]
    assert sorted(serves["to"]) == ["comm-330106002001", "comm-330106004001",
                                    "comm-330106004201"]
    assert orgs.loc["新村文体队", "form"] == "社会服务机构"
    assert orgs.loc["福亭邻里互助会", "registration_level"] == "county"
    assert orgs.loc["北山街道公益联合会", "registration_level"] == "city"
    # one volunteer, two rows: one node with three teams, ID number hashed, name masked
    vol = t.nodes["Volunteer"].set_index("volunteer_no")
    assert len(vol) == 2
    assert vol.loc["ZJ001", "name"] == "张*明"
    assert vol.loc["ZJ001", "id_number"].startswith("sha256:")
    assert "330106199001011234" not in " ".join(map(str, t.nodes["Volunteer"].to_numpy().ravel()))
    member = t.rels["MEMBER_OF"]
    assert len(member[member["from"] == "vol-ZJ001"]) == 3
    # the title, notes row and 序号 were skipped; 备注 is listed as unused
    div = next(s for s in imp.registers if s.kind == "divisions")
    assert (div.header_row, div.rows, div.unmapped) == (3, 5, ("备注",))


def test_ambiguous_and_near_miss_names_are_located_errors(county: Path):
    _csv(county, "志愿者名单.csv", ["姓名", "志愿者编号", "所在社区"], [
        ["王芳", "ZJ010", "新村社区"],  # two 新村社区, no township given
        ["赵强", "ZJ011", "福庭社区"],  # a near miss of 福亭社区
    ])
    with pytest.raises(ValidationError) as e:
        read_registers(county, salt=SALT)
    problems = {p.value: p for p in e.value.problems}
    amb = problems["新村社区"]
    assert (amb.file, amb.row, amb.column) == ("志愿者名单.csv", 2, "所在社区")
    assert "北山街道" in amb.zh and "西溪街道" in amb.zh and "more than one" in amb.en
    miss = problems["福庭社区"]
    assert (miss.row, miss.column) == (3, "所在社区")
    assert "福亭社区(西湖区 北山街道)" in miss.zh or "福亭社区" in miss.zh
    assert "Closest" in miss.en
    assert len(e.value.problems) == 2


def test_unknown_value_and_bad_cell_point_at_the_register(county: Path):
    _orgs(county, [["坏组织", "51330106MJ0000001X", "合作社", "服务", "福亭社区", "", "", ""]])
    with pytest.raises(ValidationError) as e:
        read_registers(county, salt=SALT)
    where = {(p.file, p.row, p.column) for p in e.value.problems}
    assert ("社会组织名录.csv", 2, "组织类型") in where  # 合作社 is no legal form
    assert ("社会组织名录.csv", 2, "统一社会信用代码") in where  # wrong check character


def test_mapping_file_maps_other_headers(tmp_path: Path):
    _divisions_xlsx(tmp_path / "社区名单.xlsx")
    _csv(tmp_path, "导出.csv", ["队员", "号码", "小区", "时长"],
         [["张小明", "ZJ001", "福亭社区", "4"]])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("tables:\n  导出*:\n    kind: volunteers\n    columns:\n"
                       "      队员: name\n      号码: volunteer_no\n      小区: community\n"
                       "      时长: hours_12m\n", encoding="utf-8")
    t = read_registers(tmp_path, mapping=mapping, salt=SALT).tables
    assert t.nodes["Volunteer"]["hours_12m"].tolist() == [4.0]
    assert t.rels["LIVES_IN"]["to"].tolist() == ["comm-330106002001"]


def test_authority_level_from_office_names():
    got = [authority_level(v) for v in ("浙江省民政厅", "桐庐县民政局", "三墩镇人民政府", "市级")]
    assert got == ["province", "county", "township", "city"]


SMALL = {"seed": 3, "cities": 1, "counties_per_city": 2, "townships_per_county": 2,
         "volunteers": 400}


def _graph_twin(tmp_path: Path):
    gen = generate(**SMALL)
    write_tables(gen, tmp_path / "graph")
    return validate(read_path(tmp_path / "graph"), salt=SALT), gen


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> bool:
    a = a.astype(str).sort_values(keys).reset_index(drop=True)
    b = b[a.columns].astype(str).sort_values(keys).reset_index(drop=True)
    return a.equals(b)


def test_generated_province_as_registers_loads_to_its_graph_twin(tmp_path: Path):
    twin, gen = _graph_twin(tmp_path)
    write_registers(gen, tmp_path / "regs", fmt="xlsx")
    got = read_registers(tmp_path / "regs", salt=SALT).tables
    assert got.counts() == twin.counts()
    for label, df in twin.nodes.items():
        assert _same(df, got.nodes[label], ["id"]), label
    for rtype, df in twin.rels.items():
        assert _same(df, got.rels[rtype], ["from", "to"]), rtype


def test_registers_without_ids_give_the_same_shape(tmp_path: Path):
    """Regions, organizations and volunteers carry codes: no 编号 needed to load them."""
    twin, gen = _graph_twin(tmp_path)
    write_registers(gen, tmp_path / "regs", fmt="csv")
    for name in ("区划与社区", "社会组织", "志愿者"):
        f = tmp_path / "regs" / f"{name}.csv"
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        df.drop(columns=[c for c in ("编号", "市编号", "县编号", "乡镇编号") if c in df],
                ).to_csv(f, index=False, encoding="utf-8-sig")
    got = read_registers(tmp_path / "regs", salt=SALT).tables
    assert got.counts() == twin.counts()
    # ids from codes are the generator's own
    assert set(got.nodes["Community"]["id"]) == set(twin.nodes["Community"]["id"])
    assert _same(twin.rels["PART_OF"], got.rels["PART_OF"], ["from", "to"])


@pytest.mark.store
def test_cli_loads_registers_updates_them_and_exports_them(county: Path, tmp_path: Path):
    from click.testing import CliRunner

    from wushe.app.cli import cli
    from wushe.graph.backends import open_store

    store = tmp_path / "store"
    run = CliRunner().invoke
    r = run(cli, ["load", str(county), "--store", str(store), "--no-keep-analysis"])
    assert r.exit_code == 0, r.output
    # a newer organization register: one removed, one changed, one added
    _orgs(county, [
        ["福亭邻里互助会", "51330106MJ0000001T", "社会团体", "调解", "福亭社区", "", "", ""],
        ["新村文体队", "", "社会服务机构", "文体", "新村社区", "西溪街道", "", ""],
        ["幸福志愿服务队", "", "备案", "志愿", "幸福2社区", "", "", ""],
        ["桃园老年协会", "", "社会团体", "服务", "桃园村", "", "", ""],
    ])
    (county / "志愿者名单.csv").unlink()
    (county / "社区名单.xlsx").unlink()
    r = run(cli, ["load", str(county), "--store", str(store), "--no-keep-analysis"])
    assert r.exit_code == 0, r.output
    assert "Organization: 新增 1,变更 2,删除 1" in r.output  # category; SERVES/level dropped
    with open_store(store, create=False) as b:
        names = set(b.run("MATCH (o:Organization) RETURN o.name AS n")["n"])
        teams = b.run("MATCH (v:Volunteer)-[:MEMBER_OF]->(o) RETURN o.name AS n")["n"]
    assert names == {"福亭邻里互助会", "新村文体队", "幸福志愿服务队", "桃园老年协会"}
    # the volunteers' register was not reloaded: its facts stay, except for the removed org
    assert sorted(teams) == ["幸福志愿服务队", "新村文体队", "福亭邻里互助会"]
    out = tmp_path / "export"
    r = run(cli, ["export", "registers", str(out), "--store", str(store), "--format", "csv"])
    assert r.exit_code == 0, r.output
    r = run(cli, ["load", str(out), "--store", str(store), "--no-keep-analysis"])
    assert r.exit_code == 0, r.output
    assert "新增" not in r.output and "删除" not in r.output  # the round trip changes nothing


def test_template_example_rows_load_and_docs_are_current():
    from wushe.loaders.registers.template import registers_markdown
    from wushe.sample_data import SAMPLE_DIR

    template = SAMPLE_DIR / "template" / "wushe-registers-template.xlsx"
    t = read_registers(template, salt=SALT).tables
    assert t.total_nodes == 12 and t.counts()["SERVES_IN"] == 2  # one worker, one volunteer
    doc = Path(__file__).resolve().parents[1] / "docs" / "registers.md"
    assert doc.read_text(encoding="utf-8") == registers_markdown()


def test_sample_registers_load_to_the_sample_graph():
    from wushe.loaders import read_import
    from wushe.sample_data import SAMPLE_DIR

    graph = read_import(SAMPLE_DIR, salt=SALT)
    regs = read_registers(SAMPLE_DIR / "registers", salt=SALT).tables
    for label, df in graph.nodes.items():
        assert _same(df, regs.nodes[label], ["id"]), label
    for rtype, df in graph.rels.items():
        assert _same(df, regs.rels[rtype], ["from", "to"]), rtype
