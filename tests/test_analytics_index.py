"""Linkage and vitality index (docs/metrics.md §4), numbers by hand."""

import pytest
from fixtures_analysis import worked_example_facts

from wushe.graph.analytics import linkage_index, weights
from wushe.graph.errors import WusheError


@pytest.fixture(scope="module")
def facts():
    return worked_example_facts()


def test_dimension_scores_and_indices_of_c1_and_c2(facts):
    ix = linkage_index(facts).set_index("community_id")
    c1, c2 = ix.loc["C1"], ix.loc["C2"]
    # C1: big committee 100; 4/5 elements 80; density 0.6 → 60; a 3+ element project 100
    assert (c1["party_leadership"], c1["element_coverage"], c1["element_density"],
            c1["multi_element_projects"]) == pytest.approx((100, 80, 60, 100))
    assert c1["linkage_index"] == pytest.approx(0.2 * 100 + 0.2 * 80 + 0.4 * 60 + 0.2 * 100)
    # social work: station in T1 (1) and 7 certified per 10,000 → 7/35 = 0.2 → 60
    assert c1["social_work_capacity"] == pytest.approx(60)
    # charity: F2 based in T1 (1), no charity money in C1's projects (0) → 50
    assert c1["charity_integration"] == pytest.approx(50)
    assert c1["vitality_index"] == pytest.approx((100 + 100 + 60 + 100 + 50) / 5)
    # C2: committee not big 50; 3/5 → 60; density 0.1 → 10; no 3-element project
    assert c2["linkage_index"] == pytest.approx(0.2 * 50 + 0.2 * 60 + 0.4 * 10)
    assert c2["community_building"] == pytest.approx(100 * (0 + 0.4 / 0.6) / 2)
    assert c2["organization_cultivation"] == pytest.approx(100 * (3 / 9) / 3)
    assert c2["social_work_capacity"] == pytest.approx(100 * (1 + (10 / 35)) / 2)
    assert c2["vitality_index"] == pytest.approx(
        (100 * (0.4 / 0.6) / 2 + 100 / 9 + 50 * (1 + 10 / 35) + 0 + 50) / 5)


def test_volunteer_vitality_counts_active_volunteers_and_active_volunteer_org(facts):
    ix = linkage_index(facts).set_index("community_id")
    # C4: V2 active, V3 has 0 hours → 1/2; O4-1 active volunteer-service org → 1
    assert ix.loc["C4", "volunteer_vitality"] == pytest.approx(100 * (0.5 + 1) / 2)


def test_rankings_and_percentiles_within_township(facts):
    ix = linkage_index(facts).set_index("community_id")
    # T1 linkage: C1 80, C3 54, C2 26
    assert [ix.loc[c, "linkage_index_rank_township"] for c in ("C1", "C3", "C2")] == [1, 2, 3]
    assert ix.loc["C1", "linkage_index_pct_township"] == pytest.approx(100)
    assert ix.loc["C2", "linkage_index_pct_township"] == pytest.approx(100 / 3)
    # T2 linkage: C4 58, C6 58 (tie → both rank 1), C5 54, C7 8
    assert ix.loc["C4", "linkage_index_rank_township"] == 1
    assert ix.loc["C6", "linkage_index_rank_township"] == 1
    assert ix.loc["C7", "linkage_index_rank_county"] == 7


def test_weight_overrides_from_dict_and_file_are_renormalised(facts, tmp_path):
    only_density = {"party_leadership": 0, "element_coverage": 0,
                    "multi_element_projects": 0}
    ix = linkage_index(facts, weights_source=only_density).set_index("community_id")
    assert ix.loc["C1", "linkage_index"] == pytest.approx(60)
    f = tmp_path / "w.csv"
    f.write_text("component,weight\nelement_density,0\nparty_leadership,2\n"
                 "element_coverage,0\nmulti_element_projects,0\n")
    ix = linkage_index(facts, weights_source=f).set_index("community_id")
    assert ix.loc["C2", "linkage_index"] == pytest.approx(50)


def test_weights_reject_unknown_component():
    with pytest.raises(WusheError, match="Unknown index component"):
        weights({"happiness": 1})


def test_a_blank_figure_is_left_out_of_its_component_not_counted_as_zero(facts):
    ix = linkage_index(facts).set_index("community_id")
    # C4's star is blank: community building = its certified share alone, (1/3)/0.6
    assert ix.loc["C4", "community_building"] == pytest.approx(100 * (1 / 3) / 0.6)
    # C7's certified workers are blank: social work = the station part alone (T2 has none)
    assert ix.loc["C7", "social_work_capacity"] == 0.0
