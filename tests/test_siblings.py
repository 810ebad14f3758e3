"""One name per parent (loaders/siblings.py), in an import and against the store.

The store holds the hand-drawn graph of tests/browser_util.py: county K1 乙区 has townships
T1 丙街道 and T2 丁镇; T1 holds communities c1 一号社区 and c2 二号社区.
"""

from __future__ import annotations

import pandas as pd
import pytest
from browser_util import tiny_linkage_tables

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import ValidationError
from wushe.loaders import RawTable, validate


def _raw(name: str, header: list[str], rows: list[list[str]]) -> RawTable:
    return RawTable(name, header, pd.DataFrame(rows), f"{name}.csv")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = LadybugStore(tmp_path_factory.mktemp("siblings") / "store")
    s.load(tiny_linkage_tables())
    yield s
    s.close()


def _check(store, *tables: RawTable):
    return validate(list(tables), store=store, update=True, salt="t")


def test_a_second_township_of_a_stored_name_is_refused_with_both_shown(store) -> None:
    town = _raw("Township", ["id", "name", "kind"], [["T9", "丙街道", "街道"]])
    part = _raw("PART_OF", ["from", "to"], [["T9", "K1"]])
    with pytest.raises(ValidationError) as info:
        _check(store, town, part)
    [p] = info.value.problems
    assert (p.file, p.row, p.value) == ("Township.csv", 2, "丙街道")
    assert p.zh == ("「乙区」下已有同名乡镇(街道)「丙街道」(编号 T1,库中已有)。如果就是同一个,"
                    "请使用编号 T1(导入将更新它);如果是另一个,请改用能区分的名称。")
    assert "'乙区' already has a township named '丙街道' (id T1, already stored)" in p.en


def test_the_same_name_twice_in_one_file_names_the_first_row(store) -> None:
    comm = _raw("Community", ["id", "name", "kind"],
                [["c8", "新村社区", "城市社区"], ["c9", "新村社区", "城市社区"]])
    part = _raw("PART_OF", ["from", "to"], [["c8", "T2"], ["c9", "T2"]])
    with pytest.raises(ValidationError) as info:
        _check(store, comm, part)
    [p] = info.value.problems
    assert (p.row, p.value) == (3, "新村社区")
    assert "「丁镇」下已有同名社区「新村社区」(编号 c8,Community.csv 第2行)" in p.zh


def test_the_stored_id_updates_and_another_parent_is_fine(store) -> None:
    town = _raw("Township", ["id", "name", "kind"], [["T1", "丙街道", "街道"]])
    comm = _raw("Community", ["id", "name", "kind"], [["c9", "一号社区", "城市社区"]])
    part = _raw("PART_OF", ["from", "to"], [["T1", "K1"], ["c9", "T2"]])
    out = _check(store, town, comm, part)
    assert out.nodes["Community"]["id"].tolist() == ["c9"]  # 一号社区 of T1 is elsewhere


def test_a_replacing_import_checks_within_the_file_only() -> None:
    town = _raw("Township", ["id", "name"], [["T1", "丙街道"], ["T2", "丙街道"]])
    county = _raw("County", ["id", "name"], [["K1", "乙区"]])
    part = _raw("PART_OF", ["from", "to"], [["T1", "K1"], ["T2", "K1"]])
    with pytest.raises(ValidationError) as info:
        validate([county, town, part], salt="t")
    assert [p.row for p in info.value.problems] == [3]
