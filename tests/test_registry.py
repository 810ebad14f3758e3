"""The named query library: parsing, parameter checks, suggestions, running."""

import pandas as pd
import pytest

from wushe.graph.backends.ladybug_store import LadybugStore
from wushe.graph.errors import QueryNotFound, QueryParamError
from wushe.graph.tables import GraphTables
from wushe.queries import registry
from wushe.queries.registry import body_params, parse_file


def test_every_library_query_parses_with_bilingual_title_and_declared_params():
    qs = registry.list_queries()
    assert len({q.name for q in qs}) == len(qs) >= 3
    for q in qs:
        assert q.title_zh and q.title_en and q.description_zh and q.description_en, q.name
        assert set(q.backends) <= {"ladybug", "neo4j"}


def test_header_params_must_match_the_body(tmp_path):
    f = tmp_path / "bad.cypher"
    f.write_text("// title: x | x\n// params: limit:int=5\nMATCH (n) RETURN n LIMIT $lim\n")
    with pytest.raises(ValueError, match=r"\['limit'\] differ from the body's \$names \['lim'\]"):
        parse_file(f)


def test_params_in_comments_and_strings_do_not_count():
    assert body_params("MATCH (n) // $nope\nWHERE n.x = '$no' AND n.y = $yes RETURN n") == {"yes"}


def test_unknown_query_suggests_the_closest_name():
    with pytest.raises(QueryNotFound, match="Did you mean 'count_by_label'"):
        registry.get("count_by_lable")


def test_unknown_and_missing_params_are_refused():
    q = registry.get("community_actors")
    with pytest.raises(QueryParamError, match="needs parameter 'community_id'"):
        q.bind({})
    with pytest.raises(QueryParamError, match="has no parameter comunity"):
        q.bind({"comunity": "c1"})
    assert q.bind({"community_id": "c1", "limit": "7"}) == {"community_id": "c1", "limit": 7}


@pytest.mark.store
def test_run_named_query_on_a_store(tmp_path):
    store = LadybugStore(tmp_path / "s")
    store.load(GraphTables(
        nodes={"Community": pd.DataFrame({"id": ["c1"], "name": ["清波社区"], "kind": ["urban"]}),
               "Volunteer": pd.DataFrame({"id": ["v1", "v2"], "name": ["张*明", "李*"]})},
        rels={"LIVES_IN": pd.DataFrame({"from": ["v1", "v2"], "to": ["c1", "c1"],
                                        "from_label": ["Volunteer"] * 2,
                                        "to_label": ["Community"] * 2})}))
    df = registry.run(store, "community_actors", community_id="c1")
    assert df.to_dict("records") == [
        {"label": "Volunteer", "id": "v1", "name": "张*明", "relation": "LIVES_IN"},
        {"label": "Volunteer", "id": "v2", "name": "李*", "relation": "LIVES_IN"},
    ]
    counts = registry.run(store, "count_by_label")
    assert dict(zip(counts["label"], counts["n"], strict=True)) == {"Community": 1,
                                                                    "Volunteer": 2}
    el = registry.run(store, "community_elements").iloc[0].to_dict()
    assert el == {"community_id": "c1", "community": "清波社区", "party_committees": 0,
                  "organizations": 0, "workers": 0, "volunteers": 2, "foundations": 0}


def test_property_fill_counts_every_schema_property():
    """The data-quality page reads one count per property: a new schema field needs one too."""
    import re

    from wushe.graph.schema import SCHEMA

    body = registry.get("property_fill").body
    counted = set(re.findall(r"count\(n\.(\w+)\) AS (\w+)", body))
    assert {a for a, b in counted if a == b} == {p.name for n in SCHEMA.nodes for p in n.props}
