"""The Neo4j → Ladybug translator: known rewrites, refusals with the portable form, and the
three silent traps of issue 13 answered as Neo4j answers them on the real embedded store."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.graph.backends.adhoc import run_researcher_cypher
from wushe.graph.cypher import Untranslatable, parse_param, parse_params, translate
from wushe.graph.cypher.lexer import parse, text_of


@pytest.mark.parametrize("text", [
    "MATCH (n) // a 'comment' with substring(\nRETURN 'substring(x, 0, 1)' AS s",
    "MATCH (a)-[r:X*1..2 {w: 1}]->(b) WHERE a.x IN [1, 2] RETURN a {.id}, $p",
])
def test_the_bracket_tree_gives_back_the_text_exactly(text):
    assert text_of(parse(text)) == text


def test_strings_and_comments_are_never_rewritten():
    t = translate("RETURN 'substring(s, 0, 1)' AS s // substring(s, 0, 1)")
    assert t.cypher == "RETURN 'substring(s, 0, 1)' AS s // substring(s, 0, 1)"


@pytest.mark.parametrize(("neo4j", "ladybug"), [
    ("MATCH (c:Community) RETURN substring(c.code, 0, 6) AS p",
     "MATCH (c:Community) RETURN substring(c.code, 1, 6) AS p"),
    ("MATCH p = shortestPath((a:City)-[*..4]-(b:Community)) RETURN p",
     "MATCH p = (a:City)-[* SHORTEST 1..4]-(b:Community) RETURN p"),
    ("MATCH p = allShortestPaths((a:City)-[:PART_OF*]-(b:Community)) RETURN p",
     "MATCH p = (a:City)-[:PART_OF* ALL SHORTEST 1..30]-(b:Community) RETURN p"),
    ("MATCH (n) WHERE n:City OR n:County RETURN n.id AS i",
     "MATCH (n) WHERE (label(n) = 'City') OR (label(n) = 'County') RETURN n.id AS i"),
    ("MATCH (a:County)<-[:PART_OF*1..2]-(b) RETURN b.id AS i",
     "MATCH (a:County)<-[:PART_OF* TRAIL 1..2]-(b) RETURN b.id AS i"),
    ("UNWIND [1, 2, 3] AS x RETURN [y IN range(1, x) WHERE y > 1 | y * 2] AS l",
     "UNWIND [1, 2, 3] AS x RETURN list_transform(list_filter(range(1, x), y -> y > 1), "
     "y -> y * 2) AS l"),
    ("MATCH (p:Project) RETURN p.start_date.month AS m",
     "MATCH (p:Project) RETURN date_part('month', p.start_date) AS m"),
    ("CALL { MATCH (c:City) RETURN c } RETURN count(c) AS n",
     "  MATCH (c:City) WITH c  RETURN count(c) AS n"),
    ("MATCH (k:County) RETURN size([(k)<-[:PART_OF]-(t) WHERE t.kind = 'x' | t]) AS n",
     "MATCH (k:County) RETURN COUNT { MATCH (k)<-[:PART_OF]-(t) WHERE t.kind = 'x' } AS n"),
])


def test_known_rewrites(neo4j, ladybug):
    assert translate(neo4j).cypher == ladybug


@pytest.mark.parametrize(("cypher", "portable"), [
    ("MATCH (c:Community) RETURN [(c)<-[:RUNS_IN]-(p) | p.id] AS ps", "OPTIONAL MATCH"),
    ("CALL { MATCH (n:City) RETURN n UNION MATCH (n:County) RETURN n } RETURN n.id", "UNION"),
    ("MATCH (n:community) RETURN n.id", "'Community'"),
    ("RETURN CASE WHEN false THEN 1 ELSE 2.5 END AS x", "one type"),
    ("MATCH (o:Organization) RETURN coalesce(o.rating_expiry, 0) AS a", "one type"),
    ("MATCH (a)-[*]-(b) RETURN count(*)", "*1..6"),
    ("MATCH (n:City) RETURN id(n)", "n.id"),
    ("MATCH (n:City) RETURN elementId(n)", "n.id"),
    ("UNWIND [3, 1] AS x WITH x ORDER BY x RETURN collect(x * 2) AS l", "ORDER BY"),
    ("RETURN 1 + 1 IN [1, null] AS a", "without null"),
    ("MATCH (a:City)-[r]-(b) RETURN startNode(r)", "(a)-[r]->(b)"),
    ("MATCH (p:Project) WHERE p.year >= '2024' RETURN count(p)", "-p y=2024"),
])
def test_untranslatable_constructs_are_refused_with_the_portable_form(cypher, portable):
    with pytest.raises(Untranslatable, match="Portable form") as e:
        translate(cypher)
    assert portable in e.value.portable
    assert "可移植写法" in e.value.message("zh")


@pytest.mark.parametrize(("text", "value"), [
    ("y=2024", 2024), ("y='2024'", "2024"), ('y="2024"', "2024"), ("y=1.5", 1.5),
    ("y=true", True), ("y=null", None), ('y=["a", "b"]', ["a", "b"]), ("y=['a', 1]", ["a", 1]),
    ('y={"k": 1}', {"k": 1}), ("y=date('2024-01-01')", dt.date(2024, 1, 1)),
    ("y=comm-1", "comm-1"), (":param y => 2024", 2024),
])
def test_parameters_are_typed_as_neo4j_param_reads_them(text, value):
    key, got = parse_param(text)
    assert key == "y" and got == value and type(got) is type(value)


def test_console_parameters_accept_json_or_lines():
    assert parse_params('{"a": 1}') == {"a": 1}
    assert parse_params("a=1\nb='x'") == {"a": 1, "b": "x"}


@pytest.mark.store
def test_the_three_silent_traps_give_neo4j_answers_on_the_embedded_store(sample_ladybug):
    df = run_researcher_cypher(sample_ladybug, "RETURN toInteger(467.6) AS a, "
                               "toInteger(-467.6) AS b, toInteger($x) AS c", {"x": 467.6})
    assert df.iloc[0].tolist() == [467, -467, 467]
    # sample_data: 252 communities in two counties, 131 + 121 by code prefix
    df = run_researcher_cypher(sample_ladybug, "MATCH (c:Community) RETURN substring(c.code, 0, "
                               "6) AS p, count(*) AS n ORDER BY p")
    assert df.to_dict("records") == [{"p": "330106", "n": 131}, {"p": "330122", "n": 121}]
    with pytest.raises(Untranslatable):
        run_researcher_cypher(sample_ladybug, "MATCH (p:Project) WHERE p.year >= $y "
                              "RETURN count(p) AS n", {"y": "2024"})


@pytest.mark.store
def test_result_columns_keep_neo4j_names_and_finishing(sample_ladybug):
    df = run_researcher_cypher(sample_ladybug, "MATCH (c:City) RETURN labels(c), keys(c) AS k, "
                               "toString(1.0 * 2) AS s, round(2.5), round(-2.5)")
    assert list(df.columns) == ["labels(c)", "k", "s", "round(2.5)", "round(-2.5)"]
    assert df.iloc[0].tolist() == [["City"], ["code", "id", "name"], "2.0", 3.0, -2.0]


@pytest.mark.store
def test_a_runtime_guard_refuses_rows_ladybug_would_answer_differently(sample_ladybug):
    # Ladybug's split drops empty strings; Neo4j keeps them
    ok = run_researcher_cypher(sample_ladybug, "RETURN split('a,b', ',') AS p")
    assert [list(v) for v in ok["p"]] == [["a", "b"]]
    with pytest.raises(Untranslatable, match="split"):
        run_researcher_cypher(sample_ladybug, "RETURN split('a,,b', ',') AS p")


@pytest.mark.parametrize(("cypher", "portable"), [
    ("MATCH (c:Community) RETURN c.Population AS p", "'population'"),
    ("MATCH (c:Community {Code: '1'}) RETURN c.id AS i", "'code'"),
    ("MATCH (c:Community), (C:Township) RETURN c.id, C.id", "more than case"),
    ("MATCH (a:City)--(b)-[*1..2]-(c) RETURN count(*) AS n", "different types"),
])
def test_names_ladybug_reads_without_case_and_reused_relationships_are_refused(cypher,
                                                                                portable):
    with pytest.raises(Untranslatable) as e:
        translate(cypher)
    assert portable in e.value.portable


def test_relationships_of_one_match_are_made_distinct():
    t = translate("MATCH (a:City)--(b)--(c) RETURN count(*) AS n")
    assert t.cypher == ("MATCH (a:City)-[_r1]-(b)-[_r2]-(c)  WHERE id(_r1) <> id(_r2) "
                        "RETURN count(*) AS n")
    # different types cannot be the same relationship: nothing to add
    assert translate("MATCH (a)-[:LEADS]->(p)<-[:RUNS_IN]-(x) RETURN a.id AS i").cypher == \
        "MATCH (a)-[:LEADS]->(p)<-[:RUNS_IN]-(x) RETURN a.id AS i"


@pytest.mark.parametrize(("neo4j", "ladybug"), [
    # every wushe node has one label: A and B matches nothing
    ("MATCH (n:City:County) RETURN count(n) AS n",
     "MATCH (n:City)  WHERE false RETURN count(n) AS n"),
    # PART_OF is a tree: unbounded paths over it are short
    ("MATCH (c:Community)-[:PART_OF*]->(y:City) RETURN count(*) AS n",
     "MATCH (c:Community)-[:PART_OF* TRAIL 1..30]->(y:City) RETURN count(*) AS n"),
    # found: true; not found: null, as Neo4j answers (Ladybug alone says false)
    ("RETURN 2 IN [1, null] AS a", "RETURN (CASE WHEN 2 IN [1] THEN true END)  AS a"),
])
def test_exact_forms_that_rely_on_the_schema_or_on_null(neo4j, ladybug):
    assert translate(neo4j).cypher == ladybug
