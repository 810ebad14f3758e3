"""The ten 2025 targets on the worked example (docs/metrics.md §1), numbers by hand."""

import pytest
from fixtures_analysis import load_tiny_store, worked_example_facts

from wushe.graph.analytics import target_specs, targets, targets_from_facts
from wushe.graph.errors import WusheError


@pytest.fixture(scope="module")
def facts():
    return worked_example_facts()


def _t(df, region, key):
    row = df[(df["region_id"] == region) & (df["target"] == key)]
    assert len(row) == 1, (region, key)
    return row.iloc[0]


def test_targets_file_holds_ten_targets_with_policy_and_binding():
    specs = target_specs()
    assert len(specs) == 10
    assert {s.binding for s in specs} == {"binding", "expected"}
    assert all(s.policy for s in specs)
    assert [s.key for s in specs if s.binding == "binding"] == [
        "certified_share", "volunteer_service_org", "center_evaluation", "station_coverage"]


def test_province_values_of_all_ten_targets(facts):
    p = targets_from_facts(facts, "province")
    assert len(p) == 10
    expect = {  # worked out in docs/metrics.md §1
        "star_complexes": (3, 1000),              # C1, C3, C5 have a star
        "certified_share": (20 / 35, 0.6),        # (7+2+3+1+4+3+0)/(10+5+4+3+6+5+2)
        "orgs_4a": (2, 3800),                     # O1-02 and OT1; O2-1's 5A expired
        "community_orgs": (28 / 7, 107 / 7),      # (20·4 urban + 9·3 rural)/7
        "volunteer_service_org": (2 / 7, 1.0),    # C1, C4
        "active_orgs": (1 / 7, 1.0),              # C1
        "foundations": (1, 200),                  # F1
        "center_evaluation": (0.5, 0.8),          # S2 yes, S3 no
        "certified_per_10k": (23 / 31000 * 10000, 35),
        "station_coverage": (0.5, 1.0),           # T1 has S1, T2 none
    }
    for key, (value, target) in expect.items():
        r = _t(p, "province", key)
        assert r["value"] == pytest.approx(value), key
        assert r["target_value"] == pytest.approx(target), key
        assert r["attainment"] == pytest.approx(value / target), key
        assert not r["met"], key


def test_township_targets_are_pro_rated_and_met_where_hand_computed(facts):
    t = targets_from_facts(facts, "township")
    assert _t(t, "T1", "star_complexes")["target_value"] == pytest.approx(1000 * 3 / 7)
    assert _t(t, "T2", "foundations")["target_value"] == pytest.approx(200 * 4 / 7)
    assert _t(t, "T1", "orgs_4a")["value"] == 2
    assert _t(t, "T1", "certified_share")["value"] == pytest.approx(12 / 19)
    assert _t(t, "T1", "certified_share")["met"]
    assert _t(t, "T1", "community_orgs")["value"] == pytest.approx(8)
    assert _t(t, "T1", "community_orgs")["target_value"] == pytest.approx(49 / 3)
    assert _t(t, "T1", "center_evaluation")["met"]
    assert _t(t, "T1", "station_coverage")["met"]
    assert not _t(t, "T2", "station_coverage")["met"]
    assert _t(t, "T1", "certified_per_10k")["value"] == pytest.approx(15 / 16000 * 10000)
    assert _t(t, "T2", "certified_per_10k")["value"] == pytest.approx(8 / 15000 * 10000)


def test_community_level_has_only_the_four_community_targets(facts):
    c = targets_from_facts(facts, "community", "C1")
    assert list(c["target"]) == ["certified_share", "community_orgs",
                                 "volunteer_service_org", "active_orgs"]
    assert c["met"].all()


def test_rural_community_uses_the_rural_threshold_of_nine(facts):
    c = targets_from_facts(facts, "community", "C2")
    r = c[c["target"] == "community_orgs"].iloc[0]
    assert (r["value"], r["target_value"]) == (3, 9)
    assert r["attainment"] == pytest.approx(1 / 3)


def test_certified_share_must_exceed_sixty_percent_strictly(facts):
    r = _t(targets_from_facts(facts, "community"), "C6", "certified_share")
    assert r["value"] == pytest.approx(0.6)
    assert not r["met"]  # 突破60%: exactly 60% is not enough


def test_highly_active_needs_six_months_as_well_as_twelve_activities(facts):
    # O2-1 had 12 activities in only 5 months: not highly active.
    r = _t(targets_from_facts(facts, "community"), "C2", "active_orgs")
    assert r["value"] == 0


def test_county_and_city_sum_both_townships(facts):
    county = targets_from_facts(facts, "county")
    city = targets_from_facts(facts, "city")
    prov = targets_from_facts(facts, "province")
    for key in ("star_complexes", "orgs_4a", "certified_per_10k", "station_coverage"):
        assert _t(county, "CO1", key)["value"] == pytest.approx(_t(prov, "province", key)["value"])
        assert _t(city, "CI1", key)["value"] == pytest.approx(_t(prov, "province", key)["value"])
    # the only county holds all communities, so its pro-rated target is the province's
    assert _t(county, "CO1", "star_complexes")["target_value"] == pytest.approx(1000)


def test_targets_rejects_unknown_level_and_region(facts, tmp_path):
    with pytest.raises(WusheError, match="Unknown level 'village'"):
        targets_from_facts(facts, "village")
    with pytest.raises(WusheError, match="No township with id 'T9'"):
        targets_from_facts(facts, "township", "T9")


@pytest.mark.store
def test_targets_runs_the_queries_itself(tmp_path):
    store = load_tiny_store(tmp_path / "s")
    df = targets(store, "township", "T2")
    assert _t(df, "T2", "center_evaluation")["value"] == 0.0
    store.close()
