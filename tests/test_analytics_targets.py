"""The 2025 targets on the worked example (docs/metrics.md §1), numbers by hand."""

import datetime as dt

import pytest
from fixtures_analysis import WINDOW, load_tiny_store, worked_example_facts

from wushe.graph.analytics import load_facts, target_specs, targets, targets_from_facts
from wushe.graph.errors import WusheError


@pytest.fixture(scope="module")
def facts():
    return worked_example_facts()


def _t(df, region, key):
    row = df[(df["region_id"] == region) & (df["target"] == key)]
    assert len(row) == 1, (region, key)
    return row.iloc[0]


def test_targets_file_holds_the_targets_with_policy_and_binding():
    specs = target_specs()
    # the policy's ten, with the urban and rural organization averages as two targets
    assert len(specs) == 11
    assert {s.binding for s in specs} == {"binding", "expected"}
    assert all(s.policy for s in specs)
    assert [s.key for s in specs if s.binding == "binding"] == [
        "certified_share", "volunteer_service_org", "center_evaluation", "station_coverage"]


def test_province_values_of_all_targets(facts):
    p = targets_from_facts(facts, "province")
    assert len(p) == 11
    expect = {  # worked out in docs/metrics.md §1: (value, target, status, known, units)
        "star_complexes": (3, 1000, "not_met", 6, 7),   # C1, C3, C5; C4's star blank
        # (7+2+3+1+4+3)/(10+5+4+3+6+5): C7's certified blank is left out, not 0
        "certified_share": (20 / 33, 0.6, "met", 6, 7),
        "orgs_4a": (3, 3800, "not_met", 3, 3),          # O1-02, OT1, OP1; O2-1 expired
        "community_orgs_urban": (23 / 4, 20, "not_met", 4, 4),  # C1 20, C3, C5, C6 1
        "community_orgs_rural": (5 / 3, 9, "not_met", 3, 3),    # C2 3, C4 2, C7 0
        "volunteer_service_org": (2 / 7, 1.0, "not_met", 7, 7),  # C1, C4
        "active_orgs": (1 / 7, 1.0, "not_met", 7, 7),            # C1
        "foundations": (1, 200, "not_met", 7, 7),                # F1
        "center_evaluation": (1.0, 0.8, "met", 2, 2),   # registered: S2 (evaluated) only
        # (7+2+3+1+4+3 + S1's 1 + OT1's 2) × 10 000 / 30 000 (C7 left out)
        "certified_per_10k": (23 / 30000 * 10000, 35, "not_met", 6, 7),
        "station_coverage": (0.5, 1.0, "not_met", 2, 2),         # T1 has S1, T2 none
    }
    for key, (value, target, status, known, units) in expect.items():
        r = _t(p, "province", key)
        assert r["value"] == pytest.approx(value), key
        assert r["target_value"] == pytest.approx(target), key
        assert r["attainment"] == pytest.approx(value / target), key
        assert (r["status"], r["met"]) == (status, status == "met"), key
        assert (r["known"], r["units"]) == (known, units), key
        assert r["as_of"] == "2025-12-31"
    # shares read as percentages: above a community, "every community has one" is the share
    # of communities that do (2 of 7 → 28.6 %), not "0.29 个/社区"
    units = dict(zip(p["target"], p["unit"], strict=True))
    assert [k for k, u in units.items() if u == "比例"] == [
        "certified_share", "volunteer_service_org", "active_orgs", "center_evaluation",
        "station_coverage"]
    c1 = targets_from_facts(facts, "community", "C1")
    assert _t(c1, "C1", "volunteer_service_org")["unit"] == "个/社区"  # C1's own count


def test_a_blank_certified_figure_is_unknown_not_zero(facts):
    """Counting C7's blank as 0 would give 20/35 = 0.571 and flip the binding target."""
    p = _t(targets_from_facts(facts, "province"), "province", "certified_share")
    assert p["value"] > 0.6 and p["met"]
    assert p["coverage"] == pytest.approx(6 / 7)
    assert (p["missing"], p["missing_en"]) == (1, "1 community lacks this figure")
    assert p["missing_zh"] == "1个社区缺少此数据"
    c7 = _t(targets_from_facts(facts, "community"), "C7", "certified_share")
    assert c7["status"] == "unknown" and not c7["met"]
    t2 = _t(targets_from_facts(facts, "township"), "T2", "certified_share")
    assert t2["value"] == pytest.approx(8 / 14)           # C4, C5, C6
    assert t2["missing_en"] == "1 community lacks this figure"


def test_a_count_with_blanks_is_short_only_if_the_blanks_could_not_close_it(facts):
    t2 = _t(targets_from_facts(facts, "township"), "T2", "star_complexes")
    assert (t2["value"], t2["missing"]) == (1, 1)          # C5; C4's star blank
    assert t2["status"] == "not_met"                       # 1 + 1 < 1000 × 4/7
    from wushe.graph.analytics.share import prorate_to_share

    city = _t(prorate_to_share(targets_from_facts(facts, "city"), 0.001), "CI1",
              "star_complexes")
    # against 1000 × 0.001 = 1 complex: 3 known already meet it
    assert city["target_value"] == pytest.approx(1) and city["status"] == "met"


def test_4a_organizations_count_at_their_registration_level_and_above(facts):
    """O1-02 filed with township T1, OT1 registered with county CO1, OP1 with the province."""
    t = targets_from_facts(facts, "township")
    assert _t(t, "T1", "orgs_4a")["value"] == 1               # O1-02 only: OT1 is county's
    assert _t(t, "T2", "orgs_4a")["value"] == 0
    assert _t(targets_from_facts(facts, "county"), "CO1", "orgs_4a")["value"] == 2
    assert _t(targets_from_facts(facts, "city"), "CI1", "orgs_4a")["value"] == 2
    assert _t(targets_from_facts(facts, "province"), "province", "orgs_4a")["value"] == 3


@pytest.mark.store
def test_as_of_date_decides_which_ratings_count(tmp_path):
    """On 2024-06-01 O2-1's 5A (valid until 2024-06-30) counts; its level is blank."""
    store = load_tiny_store(tmp_path / "s")
    try:
        early = load_facts(store, years=WINDOW, as_of=dt.date(2024, 6, 1))
    finally:
        store.close()
    p = _t(targets_from_facts(early, "province"), "province", "orgs_4a")
    assert (p["value"], p["as_of"]) == (4, "2024-06-01")
    t1 = _t(targets_from_facts(early, "township"), "T1", "orgs_4a")
    # counted: O1-02; O2-1 is based in T1 but may be registered anywhere above: unknown
    assert (t1["value"], t1["known"], t1["units"]) == (1, 1, 2)
    assert t1["missing_en"] == "1 4A+ organization lacks this figure"
    co = _t(targets_from_facts(early, "county"), "CO1", "orgs_4a")
    assert (co["value"], co["missing"]) == (2, 1)


def test_urban_and_rural_averages_are_two_targets_at_every_level(facts):
    t = targets_from_facts(facts, "township")
    assert _t(t, "T1", "community_orgs_urban")["value"] == pytest.approx(21 / 2)  # C1, C3
    assert _t(t, "T1", "community_orgs_rural")["value"] == pytest.approx(3)       # C2
    assert _t(t, "T2", "community_orgs_urban")["value"] == pytest.approx(1)       # C5, C6
    assert _t(t, "T2", "community_orgs_rural")["target_value"] == 9


def test_service_centre_evaluation_counts_registered_centres_only(facts):
    t = targets_from_facts(facts, "township")
    assert _t(t, "T1", "center_evaluation")["value"] == 1.0
    t2 = _t(t, "T2", "center_evaluation")   # S3 is not registered: nothing to evaluate
    assert t2["status"] == "not_applicable" and not t2["met"]
    assert t2["value"] != t2["value"]         # no value (NaN), not 0


def test_township_targets_are_pro_rated_and_met_where_hand_computed(facts):
    t = targets_from_facts(facts, "township")
    assert _t(t, "T1", "star_complexes")["target_value"] == pytest.approx(1000 * 3 / 7)
    assert _t(t, "T2", "foundations")["target_value"] == pytest.approx(200 * 4 / 7)
    assert _t(t, "T1", "certified_share")["value"] == pytest.approx(12 / 19)
    assert _t(t, "T1", "certified_share")["met"]
    assert _t(t, "T1", "center_evaluation")["met"]
    assert _t(t, "T1", "station_coverage")["met"]
    assert not _t(t, "T2", "station_coverage")["met"]
    assert _t(t, "T1", "certified_per_10k")["value"] == pytest.approx(15 / 16000 * 10000)
    # C7 left out (certified blank), and with it T2's township-level workers (none here)
    assert _t(t, "T2", "certified_per_10k")["value"] == pytest.approx(8 / 14000 * 10000)


def test_community_level_has_only_the_four_community_targets(facts):
    c = targets_from_facts(facts, "community", "C1")
    assert list(c["target"]) == ["certified_share", "community_orgs_urban",
                                 "volunteer_service_org", "active_orgs"]
    assert c["met"].all()
    rural = targets_from_facts(facts, "community", "C2")
    assert "community_orgs_rural" in set(rural["target"])
    assert "community_orgs_urban" not in set(rural["target"])


def test_rural_community_uses_the_rural_threshold_of_nine(facts):
    c = targets_from_facts(facts, "community", "C2")
    r = c[c["target"] == "community_orgs_rural"].iloc[0]
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
    # (4A+ differs: OP1 is registered with the province, see the registration-level test)
    for key in ("star_complexes", "certified_per_10k", "station_coverage"):
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
    assert _t(df, "T2", "center_evaluation")["status"] == "not_applicable"
    assert _t(df, "T2", "station_coverage")["value"] == 0.0
    store.close()
