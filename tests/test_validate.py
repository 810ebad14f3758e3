"""Validation rules, each with a small hand-made bad file laid over a good import."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import Problem, ValidationError
from wushe.loaders import read_import, write_tables
from wushe.loaders.reading import RawTable, read_path
from wushe.loaders.validate import MAX_PER_RULE, table_key, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
GOOD = FIXTURES / "good"
SALT = b"test-salt"


def _overlay(tmp_path: Path, rule: str) -> Path:
    """The good import with the rule's bad file(s) laid over it."""
    folder = tmp_path / rule
    shutil.copytree(GOOD, folder)
    for f in (FIXTURES / "bad" / rule).iterdir():
        shutil.copy(f, folder / f.name)
    return folder


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        read_import(folder, salt=SALT)
    return info.value.problems


def test_good_import_has_known_counts_and_types() -> None:
    t = read_import(GOOD, salt=SALT)
    assert t.counts() == {"City": 1, "Community": 2, "County": 1, "Organization": 1,
                          "Project": 1, "Township": 1, "Volunteer": 2, "FUNDS": 1,
                          "LIVES_IN": 2, "PART_OF": 4, "SERVES_IN": 1}
    com = t.nodes["Community"]
    assert com["population"].tolist() == [8200, 1200]
    assert str(com["population"].dtype) == "Int64"
    assert com["households"].isna().all()  # optional column left out
    org = t.nodes["Organization"].iloc[0]
    assert org["registered_on"] == dt.date(2019, 5, 20)
    assert org["is_community_org"] is True
    vol = t.nodes["Volunteer"]
    assert vol["hours_12m"].tolist() == [36.5, 12.0]
    assert vol["activities_12m"].tolist() == [14, 3]  # "3.0" accepted as a whole number
    assert vol["name"].tolist() == ["李*", "欧**明"]
    part = t.rels["PART_OF"]
    assert part[["from_label", "to_label"]].values.tolist() == [
        ["County", "City"], ["Township", "County"], ["Community", "Township"],
        ["Community", "Township"]]
    assert t.rels["FUNDS"]["amount"].tolist() == [20000.0]


# rule -> (file, row, column, value, text in the Chinese message)
CASES = {
    "unknown_table": ("Persons.csv", None, None, "Persons", "未知的表名"),
    "duplicate_table": ("市.csv", None, None, "市", "重复出现"),
    "empty_table": ("County.csv", None, None, None, "表格为空"),
    "unknown_column": ("City.csv", 1, "colour", "colour", "没有此列"),
    "missing_column": ("Community.csv", 1, "kind (城乡类型)", None, "缺少必填列"),
    "duplicate_column": ("City.csv", 1, "名称", "名称", "列重复"),
    "headerless_column": ("County.csv", 1, "#3", "", "没有列名"),
    "int_type": ("Community.csv", 3, "population (常住人口)", "1200.5", "应为整数"),
    "double_type": ("Volunteer.csv", 2, "hours_12m (近12个月服务时长)", "abc", "应为数字"),
    "date_type": ("Organization.csv", 2, "registered_on (登记(备案)日期)", "2019-13-01",
                  "应为日期"),
    "bool_type": ("Organization.csv", 2, "is_community_org (是否社区社会组织)", "maybe",
                  "应为是/否"),
    "required_empty": ("Community.csv", 3, "kind (城乡类型)", "", "必填"),
    "empty_id": ("County.csv", 3, "id (编号)", "", "编号为必填"),
    "duplicate_id": ("Community.csv", 4, "id (编号)", "S1", "已在 Community.csv 第2行使用"),
    "duplicate_id_across": ("County.csv", 3, "id (编号)", "C1", "已在 City.csv 第2行使用"),
    "choices": ("Community.csv", 3, "kind (城乡类型)", "city", "城市社区、农村社区"),
    "credit_code": ("Organization.csv", 2, "credit_code (统一社会信用代码)",
                    "91350100M000100Y44", "校验位应为 3"),
    "rating": ("Organization.csv", 2, "rating (评估等级)", "6A", "1A、2A"),
    "non_negative": ("Community.csv", 3, "population (常住人口)", "-5", "不能为负数"),
    "past_date": ("Organization.csv", 2, "registered_on (登记(备案)日期)", "2999-01-01",
                  "不能是将来的日期"),
    "star": ("Community.csv", 3, "complex_star (服务综合体星级)", "7", "0 到 5"),
    "unknown_end": ("LIVES_IN.csv", 3, "to (终点编号)", "S9", "找不到该编号"),
    "wrong_start": ("LIVES_IN.csv", 3, "from (起点编号)", "O1",
                    "社会组织节点,「居住于」关系不能这样连接;允许的起点→终点:"
                    "志愿者→社区"),
    "wrong_pair": ("LIVES_IN.csv", 3, "to (终点编号)", "P1", "该编号是项目节点"),
    "self_loop": ("PART_OF.csv", 5, "to (终点编号)", "S2", "起点和终点不能是同一个节点"),
    "missing_end_column": ("LIVES_IN.csv", 1, "to (终点编号)", None, "缺少必填列"),
    "repeated_relationship": ("LIVES_IN.csv", 4, "from (起点编号)", "V1", "重复出现"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_bad_file_gives_located_bilingual_problem(tmp_path: Path, rule: str) -> None:
    file, row, column, value, zh = CASES[rule]
    problems = _problems(_overlay(tmp_path, rule))
    hits = [p for p in problems if zh in p.zh]
    assert len(hits) == 1, [p.message() for p in problems]
    p = hits[0]
    assert (p.file, p.row, p.column, p.value) == (file, row, column, value)
    assert p.en and p.en != p.zh  # bilingual


def test_problem_message_names_expected_pairs(tmp_path: Path) -> None:
    [p] = _problems(_overlay(tmp_path, "wrong_pair"))
    assert p.message("en") == (
        "LIVES_IN.csv, row 3, column to (终点编号) value 'P1': This id is a node of label "
        "Project, which LIVES_IN cannot join here; allowed pairs (from→to): "
        "Volunteer→Community.")


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    shutil.copytree(GOOD, folder)
    for rule in ("choices", "credit_code", "unknown_end"):
        for f in (FIXTURES / "bad" / rule).iterdir():
            shutil.copy(f, folder / f.name)
    got = {(p.file, p.row, p.value) for p in _problems(folder)}
    assert got == {("Community.csv", 3, "city"), ("Organization.csv", 2, "91350100M000100Y44"),
                   ("LIVES_IN.csv", 3, "S9")}


def _table(name: str, rows: list[list[str]], headers: list[str]) -> RawTable:
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in headers]
    data = pd.DataFrame({j: pd.Series(list(c), dtype="str") for j, c in enumerate(cols)})
    return RawTable(name, headers, data, f"{name}.csv")


def test_messages_capped_per_rule_but_all_counted() -> None:
    n = MAX_PER_RULE + 50
    t = _table("Community", [[f"S{i}", "x", "city"] for i in range(n)], ["id", "name", "kind"])
    with pytest.raises(ValidationError) as info:
        validate([t], salt=SALT)
    probs = info.value.problems
    assert len(probs) == MAX_PER_RULE + 1
    assert probs[MAX_PER_RULE - 1].row == MAX_PER_RULE + 1
    assert "另有 50 行" in probs[-1].zh and "50 more" in probs[-1].en


def test_normalisations_strip_fold_and_parse_dates() -> None:
    com = _table("社区", [[" S1\u3000", "北山", "urban", "８２００", "12.0"]],
                 ["\ufeff编号", " 名称 ", "城乡类型", "常住人口", "户数"])
    org = _table("Organization", [
        ["O1", "a", "服务", "2019/5/20", "45292", "aaaa", "91350100m000100y43", "Y"],
        ["O2", "b", "服务", "2020年1月2日", "20240105", "", "", "否"],
        ["O3", "c", "服务", "", "2024-01-05 00:00:00", "", "", "0"],
    ], ["id", "name", "category", "registered_on", "rating_expiry", "rating", "credit_code",
        "is_community_org"])
    lives = _table("BASED_IN", [["O1", "S1"]], ["起点编号", "终点编号"])
    t = validate([com, org, lives], salt=SALT)
    c = t.nodes["Community"].iloc[0]
    assert (c["id"], c["name"], c["population"], c["households"]) == ("S1", "北山", 8200, 12)
    o = t.nodes["Organization"]
    assert o["registered_on"].tolist() == [dt.date(2019, 5, 20), dt.date(2020, 1, 2), None]
    # 45292 is Excel's serial for 2024-01-01.
    assert o["rating_expiry"].tolist() == [dt.date(2024, 1, 1), dt.date(2024, 1, 5),
                                           dt.date(2024, 1, 5)]
    assert o["rating"].tolist()[0] == "4A"
    assert o["credit_code"].tolist()[0] == "91350100M000100Y43"
    assert o["is_community_org"].tolist() == [True, False, False]
    assert t.rels["BASED_IN"][["from_label", "to_label"]].values.tolist() == [
        ["Organization", "Community"]]


def test_blank_rows_are_skipped_and_row_numbers_kept() -> None:
    t = _table("County", [["X1", "a"], ["", ""], ["X1", "b"]], ["id", "name"])
    with pytest.raises(ValidationError) as info:
        validate([t], salt=SALT)
    [p] = info.value.problems
    assert (p.row, p.value) == (4, "X1")


def test_table_names_accept_chinese_and_file_safe_forms() -> None:
    assert table_key("社工站_服务中心") == table_key("社工站/服务中心")
    st = _table("社工站_服务中心", [["ST1", "站", "social_work_station"]],
                ["编号", "名称", "类型"])
    assert validate([st], salt=SALT).nodes["Station"]["id"].tolist() == ["ST1"]


def test_sensitive_values_hashed_and_warned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WUSHE_SHOW_FULL_NAMES", raising=False)
    t = read_import(GOOD, salt=SALT)
    phones = t.nodes["Volunteer"]["phone"].tolist()
    assert phones[0].startswith("sha256:") and len(phones[0]) == 71
    assert pd.isna(phones[1])
    zh = [w.zh for w in t.warnings]
    assert "1 条志愿者记录的联系电话已以加盐哈希形式存储,不保存明文。" in zh
    assert any(w.en.startswith("Names of 2 volunteer records were masked") for w in t.warnings)


def test_full_names_kept_when_authorised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUSHE_SHOW_FULL_NAMES", "1")
    t = read_import(GOOD, salt=SALT)
    assert t.nodes["Volunteer"]["name"].tolist() == ["李华", "欧阳晓明"]


@pytest.mark.store
def test_incremental_load_resolves_store_ids_and_flags_existing(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "store")
    try:
        store.load(read_import(GOOD, salt=SALT), replace=True)
        vol = _table("Volunteer", [["V3", "王五"], ["V1", "李华"]], ["id", "name"])
        lives = _table("LIVES_IN", [["V3", "S2"]], ["from", "to"])
        with pytest.raises(ValidationError) as info:
            validate([vol, lives], existing_labels=store.existing_labels, salt=SALT)
        [p] = info.value.problems
        assert (p.file, p.row, p.value) == ("Volunteer.csv", 3, "V1")
        assert "已存在于数据库中(类型 志愿者)" in p.zh
        ok = validate([vol.__class__("Volunteer", ["id"], pd.DataFrame({0: ["V3"]}),
                                     "Volunteer.csv"), lives],
                      existing_labels=store.existing_labels, salt=SALT)
        assert ok.rels["LIVES_IN"]["to_label"].tolist() == ["Community"]
        store.load(ok)
        assert store.count_by_label()["Volunteer"] == 3
    finally:
        store.close()


@pytest.mark.store
def test_validated_tables_load_into_ladybug(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "store")
    try:
        store.load(read_import(GOOD, salt=SALT), replace=True)
        df = store.run("MATCH (v:Volunteer)-[:LIVES_IN]->(c:Community) "
                       "RETURN v.id AS vid, v.name AS name, c.id AS cid ORDER BY vid")
        assert df.values.tolist() == [["V1", "李*", "S1"], ["V2", "欧**明", "S2"]]
    finally:
        store.close()


def test_write_tables_round_trips(tmp_path: Path) -> None:
    t = read_import(GOOD, salt=SALT)
    for lang, fmt in (("en", "csv"), ("zh", "csv"), ("zh", "xlsx")):
        out = tmp_path / f"{lang}-{fmt}"
        written = write_tables(t, out, lang=lang, fmt=fmt)
        assert len(written) == (11 if fmt == "csv" else 1)
        back = read_import(out, salt=b"another salt")  # hashes are not hashed twice
        assert back.counts() == t.counts()
        for label, df in t.nodes.items():
            pd.testing.assert_frame_equal(back.nodes[label], df, check_dtype=False)
        for rtype, df in t.rels.items():
            pd.testing.assert_frame_equal(back.rels[rtype], df, check_dtype=False)
    assert (tmp_path / "en-csv" / "LIVES_IN.csv").read_text(encoding="utf-8") == (
        "from,to\nV1,S1\nV2,S2\n")
    names = {r.name for r in read_path(tmp_path / "zh-csv")}
    assert {"市", "县(市、区)", "志愿者", "居住于", "资助"} <= names
