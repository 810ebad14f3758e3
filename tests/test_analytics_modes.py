"""Linkage modes (docs/metrics.md §3): each of the five, mixed and none, by hand."""

import pandas as pd
import pytest
from fixtures_analysis import worked_example_facts

from wushe.graph.analytics import label_modes, linkage_modes


@pytest.fixture(scope="module")
def modes():
    return linkage_modes(worked_example_facts()).set_index("community_id")


@pytest.mark.parametrize(("cid", "mode", "scores"), [
    # scores: (community, organization, worker, volunteer, charity), each
    # (initiate share + lead share + funding share) / 3
    ("C1", "community_led", (1.0, 0, 0, 0, 0)),
    ("C2", "organization_carrier", (0.75 / 3, 2.25 / 3, 0, 0, 0)),
    ("C3", "worker_driven", (1 / 3, 0.5 / 3, 1.5 / 3, 0, 0)),
    ("C4", "volunteer_assisted", (1 / 3, 0, 0, 2 / 3, 0)),
    ("C5", "charity_leveraged", (0.2 / 3, 0, 0, 0, 2.8 / 3)),
    ("C6", "mixed", (1.45 / 3, 1.55 / 3, 0, 0, 0)),
    ("C7", "none", (0, 0, 0, 0, 0)),
])
def test_mode_and_score_vector_by_hand(modes, cid, mode, scores):
    r = modes.loc[cid]
    assert r["mode"] == mode
    got = tuple(r[f"score_{e}"] for e in
                ("community", "organization", "worker", "volunteer", "charity"))
    assert got == pytest.approx(scores)
    assert r["reason_zh"] and r["reason_en"]


def test_government_purchase_counts_for_the_community(modes):
    # C5: C5 pays 10,000 as government purchase of 50,000 funded in all.
    assert modes.loc["C5", "fund_community"] == pytest.approx(0.2)
    assert modes.loc["C5", "fund_charity"] == pytest.approx(0.8)
    assert modes.loc["C5", "government_money"] == 10_000
    assert modes.loc["C5", "charity_money"] == 40_000


def test_mixed_reason_names_the_margin(modes):
    assert modes.loc["C6", "lead"] == pytest.approx(0.1 / 3)
    assert "混合型" in modes.loc["C6", "reason_zh"]
    assert "below 0.10" in modes.loc["C6", "reason_en"]


def test_no_projects_is_labelled_none(modes):
    assert modes.loc["C7", "mode_zh"] == "无项目"


def test_charity_on_top_without_enough_money_is_mixed():
    scores = pd.DataFrame({"community": [0.1], "organization": [0.0], "worker": [0.0],
                           "volunteer": [0.0], "charity": [0.6]}, index=["X"])
    # charity money 4,000 < 0.5 × government 10,000
    out = label_modes(scores, pd.Series({"X": 10_000.0}), pd.Series({"X": 4_000.0}))
    assert out.loc["X", "mode"] == "mixed"
    assert "未形成撬动" in out.loc["X", "reason_zh"]
    ok = label_modes(scores, pd.Series({"X": 10_000.0}), pd.Series({"X": 5_000.0}))
    assert ok.loc["X", "mode"] == "charity_leveraged"


@pytest.mark.store
def test_a_store_without_projects_labels_every_community_none(tmp_path):
    import pandas as pd

    from wushe.graph.analytics import analyze
    from wushe.graph.backends.ladybug_store import LadybugStore
    from wushe.graph.tables import GraphTables

    store = LadybugStore(tmp_path / "s")
    assert analyze(store).modes.empty  # an empty store is not an error
    store.load(GraphTables(
        nodes={"Township": pd.DataFrame({"id": ["t"], "name": ["镇"]}),
               "Community": pd.DataFrame({"id": ["c1"], "name": ["甲村"], "kind": ["rural"]})},
        rels={"PART_OF": pd.DataFrame({"from": ["c1"], "to": ["t"],
                                       "from_label": ["Community"],
                                       "to_label": ["Township"]})}))
    result = analyze(store)
    assert result.modes[["community_id", "mode"]].to_dict("records") == [
        {"community_id": "c1", "mode": "none"}]
    assert ("c1", "low_density", "no_projects") in set(
        result.gaps[["community_id", "kind", "item"]].itertuples(index=False, name=None))
