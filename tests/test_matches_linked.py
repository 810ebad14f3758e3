"""Matches never propose a resource already based in or serving the community.

Worked example of tests/fixtures_analysis.py: for C7's unmet need the matches are O5-1,
O6-1, O4-2 (test_analytics_gaps). If O6-1 already serves C7 it is left out: O5-1 and O4-2
remain first and second.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures_analysis import worked_example_facts

from wushe.graph.analytics import gaps, matches


@pytest.fixture(scope="module")
def facts():
    return worked_example_facts()


def test_a_resource_serving_the_community_is_not_proposed_to_it(facts) -> None:
    gt = gaps(facts)
    before = matches(facts, gt, n=3)
    need = before[(before["community_id"] == "C7") & (before["gap_kind"] == "unmet_needs")]
    assert list(need["resource_id"]) == ["O5-1", "O6-1", "O4-2"]
    linked = pd.DataFrame({"community_id": ["C7"], "resource_id": ["O6-1"]})
    after = matches(facts, gt, n=3, linked=linked)
    need = after[(after["community_id"] == "C7") & (after["gap_kind"] == "unmet_needs")]
    assert "O6-1" not in set(need["resource_id"])
    assert list(need["resource_id"])[:2] == ["O5-1", "O4-2"]
    # other communities keep O6-1 where it was proposed
    others = after[(after["community_id"] != "C7") & (after["resource_id"] == "O6-1")]
    assert len(others) == len(before[(before["community_id"] != "C7")
                                     & (before["resource_id"] == "O6-1")])


@pytest.mark.store
def test_a_stored_serves_link_keeps_the_resource_out_of_the_communitys_matches(tmp_path):
    """The same worked example in a real store with O6-1 SERVES C7 added: the facts read
    from the store carry the link (community_resource_links), so without any ``linked``
    argument C7's unmet need is matched with O5-1 and O4-2 first, never O6-1."""
    from fixtures_analysis import WINDOW, load_tiny_store

    from wushe.graph.analytics.facts import load_facts
    from wushe.graph.tables import GraphTables

    store = load_tiny_store(tmp_path / "store")
    try:
        store.load(GraphTables(rels={"SERVES": pd.DataFrame({
            "from": ["O6-1"], "to": ["C7"], "from_label": ["Organization"],
            "to_label": ["Community"]})}))
        facts = load_facts(store, years=WINDOW)
    finally:
        store.close()
    assert ("C7", "O6-1") in set(zip(facts.links["community_id"], facts.links["resource_id"],
                                     strict=True))
    m = matches(facts, gaps(facts), n=3)
    need = m[(m["community_id"] == "C7") & (m["gap_kind"] == "unmet_needs")]
    assert "O6-1" not in set(m.loc[m["community_id"] == "C7", "resource_id"])
    assert list(need["resource_id"])[:2] == ["O5-1", "O4-2"]
