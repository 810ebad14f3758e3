"""Enumerated values: every code has a Chinese and an English name, spellings are unambiguous."""

from __future__ import annotations

import pandas as pd
import pytest

from wushe.graph.choices import CHOICE_NAMES, choice_code_map, choice_key, with_choice_names
from wushe.graph.schema import SCHEMA

ENUMS = [(item.name, p) for item in (*SCHEMA.nodes, *SCHEMA.rels) for p in item.props
         if p.choices and p.name in CHOICE_NAMES]


def test_every_coded_enumeration_has_names_for_every_code() -> None:
    coded = [(item.name, p.name) for item in (*SCHEMA.nodes, *SCHEMA.rels) for p in item.props
             if p.choices and any(c.isascii() for c in p.choices)]
    for owner, name in coded:
        prop = (SCHEMA.node(owner) if owner in SCHEMA.node_names else SCHEMA.rel(owner)).prop(name)
        for code in prop.choices:
            zh, en = CHOICE_NAMES[name][code][:2]
            assert not zh.isascii() and en.isascii(), (owner, name, code)


@pytest.mark.parametrize(("owner", "prop"), ENUMS, ids=[f"{o}.{p.name}" for o, p in ENUMS])
def test_no_spelling_names_two_codes(owner: str, prop) -> None:
    seen: dict[str, str] = {}
    for code in prop.choices:
        for text in (code, *CHOICE_NAMES[prop.name].get(code, ())):
            assert seen.setdefault(choice_key(text), code) == code, (owner, text)


def test_chinese_names_and_synonyms_read_as_codes() -> None:
    kind = SCHEMA.node("Community").prop("kind")
    codes = choice_code_map(kind)
    assert [codes[choice_key(t)] for t in ("城市社区", "农村", "村", "Urban", "RURAL community")] \
        == ["urban", "rural", "rural", "urban", "rural"]
    town = choice_code_map(SCHEMA.node("Township").prop("kind"))
    assert [town[choice_key(t)] for t in ("街道", "镇", "乡")] == ["street", "town", "township"]


def test_frames_show_names_in_the_chosen_language() -> None:
    df = pd.DataFrame({"certificate": ["intermediate", None], "kind": ["street", "other"]})
    shown = with_choice_names(df)
    assert shown["certificate"].iloc[0] == "社会工作师" and pd.isna(shown["certificate"].iloc[1])
    assert shown["kind"].tolist() == ["街道", "其他"]
    assert with_choice_names(df, "en")["kind"].tolist() == ["street", "other"]
