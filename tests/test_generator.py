"""Tests of the synthetic province generator (loaders/generator/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wushe.graph.errors import WusheError
from wushe.graph.schema import SCHEMA
from wushe.loaders import read_import
from wushe.loaders.credit_code import valid_credit_codes
from wushe.loaders.generator import (
    MODES,
    SAMPLE_VOLUNTEERS,
    generate,
    generate_to,
    generate_with_profiles,
    make_sample,
)
from wushe.loaders.generator.regions import SAMPLE_DIVISIONS

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
SMALL = {"cities": 1, "counties_per_city": 2, "townships_per_county": 3, "volunteers": 3000}


@pytest.fixture(scope="module")
def province():
    """A mid-size invented province: 3 cities × 4 counties × 16 townships (≈3,000 communities)."""
    return generate_with_profiles(seed=11, cities=3, counties_per_city=4,
                                  townships_per_county=16, volunteers=300_000)


@pytest.fixture(scope="module")
def divisions_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("div") / "divisions.csv"
    path.write_text(SAMPLE_DIVISIONS, encoding="utf-8")
    return path


def _frames_equal(a, b) -> bool:
    if a.counts() != b.counts():
        return False
    for name in a.nodes:
        if not a.nodes[name].equals(b.nodes[name]):
            return False
    return all(a.rels[name].equals(b.rels[name]) for name in a.rels)


def _based_in_counts(tables) -> pd.Series:
    comm = tables.nodes["Community"]
    b = tables.rels["BASED_IN"]
    b = b[(b["from_label"] == "Organization") & (b["to_label"] == "Community")]
    return b.groupby("to").size().reindex(comm["id"], fill_value=0).set_axis(comm["kind"])


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_identical_tables():
    assert _frames_equal(generate(seed=7, **SMALL), generate(seed=7, **SMALL))


def test_different_seed_gives_different_tables():
    a, b = generate(seed=7, **SMALL), generate(seed=8, **SMALL)
    assert not _frames_equal(a, b)
    assert not a.nodes["Organization"]["name"].equals(b.nodes["Organization"]["name"])


# ------------------------------------------------------------------ regions
def test_real_divisions_give_real_codes_and_ids(divisions_file: Path):
    t = generate(seed=1, divisions=divisions_file, counties_per_city=1,
                 townships_per_county=2, volunteers=100)
    assert t.nodes["City"][["id", "name"]].values.tolist() == [["city-3301", "杭州市"]]
    assert t.nodes["County"]["id"].tolist() == ["county-330106"]
    assert t.nodes["Township"]["id"].tolist() == ["town-330106002", "town-330106004"]
    assert t.nodes["Township"]["name"].tolist() == ["北山街道", "西溪街道"]
    codes = t.nodes["Community"]["code"]
    assert codes.str.len().eq(12).all()
    assert set(codes.str[:9]) == {"330106002", "330106004"}
    # urban communities (居委会) are numbered 001…, villages 201…
    kinds = t.nodes["Community"]["kind"]
    assert (codes[kinds == "urban"].str[9:].astype(int) < 200).all()
    assert (codes[kinds == "rural"].str[9:].astype(int) > 200).all()


def test_communities_per_township_follow_township_kind(province):
    tables, _ = province
    part = tables.rels["PART_OF"]
    comm_town = part[part["from_label"] == "Community"].set_index("from")["to"]
    comm = tables.nodes["Community"].set_index("id")
    town_kind = tables.nodes["Township"].set_index("id")["kind"]
    per = pd.crosstab(comm_town.map(town_kind), comm.loc[comm_town.index, "kind"].values)
    n_town = town_kind.value_counts()
    urban_per_street = per.loc["street", "urban"] / n_town["street"]
    rural_per_town = per.loc["town", "rural"] / n_town["town"]
    rural_per_xiang = per.loc["township", "rural"] / n_town["township"]
    assert 9.0 <= urban_per_street <= 11.0          # drawn from 6..14
    assert 20.0 <= rural_per_town <= 25.0           # drawn from 12..33
    assert 10.0 <= rural_per_xiang <= 13.0          # drawn from 8..15
    assert per.loc["township", "urban"] < 0.3 * n_town["township"]


def test_scale_keeps_whole_townships():
    full = generate(seed=2, cities=2, counties_per_city=4, townships_per_county=16,
                    volunteers=0)
    half = generate(seed=2, cities=2, counties_per_city=4, townships_per_county=16,
                    volunteers=0, scale=0.5)
    assert 0.35 <= len(half.nodes["Township"]) / len(full.nodes["Township"]) <= 0.65
    per_town_full = len(full.nodes["Community"]) / len(full.nodes["Township"])
    per_town_half = len(half.nodes["Community"]) / len(half.nodes["Township"])
    assert per_town_half == pytest.approx(per_town_full, rel=0.25)


def test_communities_option_targets_the_total():
    t = generate(seed=5, cities=2, counties_per_city=4, townships_per_county=16,
                 volunteers=0, communities=600)
    assert 400 <= len(t.nodes["Community"]) <= 800


def test_volunteers_option_sets_the_exact_total():
    t = generate(seed=3, **{**SMALL, "volunteers": 1234})
    assert len(t.nodes["Volunteer"]) == 1234
    assert len(t.rels["LIVES_IN"]) == 1234


def test_bad_divisions_file_and_scale_are_refused(tmp_path: Path):
    bad = tmp_path / "d.csv"
    bad.write_text("city_code,city_name\n3301,杭州市\n", encoding="utf-8")
    with pytest.raises(WusheError, match="county_code"):
        generate(divisions=bad)
    with pytest.raises(WusheError, match="scale"):
        generate(scale=0)


# ------------------------------------------------------------------ calibration
def test_community_org_density_is_calibrated_and_spread(province):
    tables, _ = province
    counts = _based_in_counts(tables)
    urban, rural = counts[counts.index == "urban"], counts[counts.index == "rural"]
    assert urban.mean() == pytest.approx(19, abs=1.5)
    assert rural.mean() == pytest.approx(9, abs=1.0)
    # some communities are below the 20/9 targets, some above
    assert 0.3 <= (urban < 20).mean() <= 0.8
    assert 0.3 <= (rural < 9).mean() <= 0.8
    assert (counts == 0).any()


def test_category_mix_matches_the_2022_figures(province):
    tables, _ = province
    org = tables.nodes["Organization"]
    mix = org[org["is_community_org"]]["category"].value_counts(normalize=True)
    assert mix["服务"] == pytest.approx(0.42, abs=0.02)
    assert mix["文体"] == pytest.approx(0.24, abs=0.02)
    assert mix["自治"] == pytest.approx(0.16, abs=0.02)
    assert mix["平安"] == pytest.approx(0.16, abs=0.02)
    assert {"志愿", "调解", "慈善"} <= set(mix.index)


def test_registered_orgs_have_valid_codes_and_ratings(province):
    tables, _ = province
    org = tables.nodes["Organization"]
    reg = org[org["credit_code"].notna()]
    assert valid_credit_codes(reg["credit_code"]).all()
    assert reg["credit_code"].is_unique
    assert set(reg["form"]) == {"社会团体", "社会服务机构"}
    filed = org[org["credit_code"].isna()]
    assert filed["filing_no"].notna().all() and (filed["form"] == "备案").all()
    assert filed["is_community_org"].all()
    assert reg["rating"].notna().mean() == pytest.approx(0.20, abs=0.02)
    assert reg["rating"].isin(["4A", "5A"]).mean() == pytest.approx(0.055, abs=0.012)
    assert org.loc[org["rating"].isna(), "rating_expiry"].isna().all()
    foundation = tables.nodes["Foundation"]
    assert valid_credit_codes(foundation["credit_code"].dropna()).all()


def test_workers_and_stations_are_calibrated(province):
    tables, _ = province
    comm = tables.nodes["Community"]
    share = comm["certified_workers"].sum() / comm["fulltime_workers"].sum()
    assert 0.55 <= share <= 0.65
    per_comm = comm["certified_workers"] / comm["fulltime_workers"]
    assert per_comm.std() > 0.1          # varies by community
    assert comm["fulltime_workers"].mean() == pytest.approx(2.7, abs=0.3)
    sw = tables.nodes["SocialWorker"]
    cw = sw[sw["role"] == "community_worker"]
    assert len(cw) == comm["fulltime_workers"].sum()
    assert (cw["certificate"] != "none").sum() == comm["certified_workers"].sum()
    st = tables.nodes["Station"]
    n_town = len(tables.nodes["Township"])
    sws = st[st["kind"] == "social_work_station"]
    assert 0.90 <= len(sws) / n_town < 1.0            # some townships lack a station
    assert (sws["certified_staff"] >= 3).all()
    osc = st[st["kind"] == "org_service_center"]
    assert 0.95 <= len(osc) / n_town <= 1.0
    assert osc["evaluated"].astype(bool).mean() == pytest.approx(0.8, abs=0.06)
    assert sws["evaluated"].isna().all()
    # station staff nodes match certified_staff
    works = tables.rels["WORKS_AT"]
    at_station = works[works["to_label"] == "Station"].merge(
        sw[["id", "certificate"]], left_on="from", right_on="id")
    certified = at_station[at_station["certificate"] != "none"].groupby("to").size()
    assert certified.reindex(sws["id"]).tolist() == sws["certified_staff"].tolist()


def test_volunteers_are_about_60_percent_active(province):
    tables, _ = province
    vol = tables.nodes["Volunteer"]
    assert len(vol) == 300_000
    assert (vol["hours_12m"] > 0).mean() == pytest.approx(0.6, abs=0.04)
    inactive = vol[vol["hours_12m"] == 0]
    assert (inactive["activities_12m"] == 0).all()
    assert (vol["active_months_12m"] <= vol["activities_12m"]).all()
    assert (vol["active_months_12m"] <= 12).all()
    members = tables.rels["MEMBER_OF"]
    org = tables.nodes["Organization"].set_index("id")
    assert org.loc[members["to"], "is_volunteer_service"].all()


def test_organization_activity_has_highly_active_and_idle(province):
    tables, _ = province
    org = tables.nodes["Organization"]
    high = (org["activities_12m"] >= 12) & (org["active_months_12m"] >= 6)
    assert 0.2 <= high.mean() <= 0.5
    assert (org["activities_12m"] == 0).any()


# ------------------------------------------------------------------ integrity
@pytest.mark.slow
def test_ids_unique_ends_exist_and_pairs_allowed(province):
    tables, _ = province
    label_of = pd.concat([df["id"].to_frame().assign(label=name)
                          for name, df in tables.nodes.items()]).set_index("id")["label"]
    assert label_of.index.is_unique
    for rtype, df in tables.rels.items():
        # get_indexer: isin on large Arrow string indexes is slow
        assert (label_of.index.get_indexer(df["from"]) >= 0).all(), rtype
        assert (label_of.index.get_indexer(df["to"]) >= 0).all(), rtype
        assert (label_of.loc[df["from"]].to_numpy() == df["from_label"].astype(str)).all()
        assert (label_of.loc[df["to"]].to_numpy() == df["to_label"].astype(str)).all()
        pairs = set(zip(df["from_label"].astype(str), df["to_label"].astype(str), strict=True))
        assert pairs <= set(SCHEMA.rel(rtype).pairs), rtype
        assert not df.duplicated(["from", "to"]).any(), rtype
        assert (df["from"] != df["to"]).all()


def test_values_respect_schema_choices_and_required(province):
    tables, _ = province
    for label, df in tables.nodes.items():
        for p in SCHEMA.node(label).all_props:
            if p.required:
                assert df[p.name].notna().all(), (label, p.name)
            if p.choices and p.name in df:
                assert set(df[p.name].dropna()) <= set(p.choices), (label, p.name)
    for rtype, df in tables.rels.items():
        for p in SCHEMA.rel(rtype).props:
            assert df[p.name].notna().all()
            if p.choices:
                assert set(df[p.name]) <= set(p.choices)
    assert "phone" not in tables.nodes["Volunteer"]      # never generated (privacy)
    star = tables.nodes["Community"]["complex_star"]
    assert star.between(0, 5).all() and (star > 0).any()


# ------------------------------------------------------------------ variation
def _role_elements(tables) -> pd.DataFrame:
    """Per (community, element): INITIATED + LEADS count."""
    runs = tables.rels["RUNS_IN"].set_index("from")["to"]
    parts = []
    for role in ("INITIATED", "LEADS"):
        df = tables.rels[role]
        df = df[df["to_label"] == "Project"]
        parts.append(pd.DataFrame({
            "community": runs.loc[df["to"]].to_numpy(),
            "element": df["from_label"].astype(str).map(SCHEMA.element_of).to_numpy()}))
    roles = pd.concat(parts)
    return pd.crosstab(roles["community"], roles["element"])


@pytest.mark.parametrize(("mode", "element"), [
    ("community_led", "community"), ("organization_carrier", "organization"),
    ("worker_driven", "worker"), ("volunteer_assisted", "volunteer"),
    ("charity_leveraged", "charity"),
])
def test_each_linkage_mode_shows_in_its_roles(province, mode, element):
    tables, profiles = province
    counts = _role_elements(tables)
    share = counts.div(counts.sum(axis=1), axis=0)
    ids = profiles.loc[(profiles["mode"] == mode) & (profiles["condition"] == "normal"), "id"]
    ids = ids[ids.isin(share.index)]
    assert len(ids) >= 50
    dominant = share.loc[ids].idxmax(axis=1)
    assert (dominant == element).mean() >= 0.6


def test_charity_leveraged_projects_get_most_money_from_charity(province):
    tables, profiles = province
    funds = tables.rels["FUNDS"]
    runs = tables.rels["RUNS_IN"].set_index("from")["to"]
    money = funds.assign(community=runs.loc[funds["to"]].to_numpy(),
                         charity=funds["from_label"].astype(str) == "Foundation")
    charity_share = (money[money["charity"]].groupby("community")["amount"].sum()
                     / money.groupby("community")["amount"].sum()).fillna(0)
    lev = profiles.loc[(profiles["mode"] == "charity_leveraged")
                       & (profiles["condition"] == "normal"), "id"]
    led = profiles.loc[(profiles["mode"] == "community_led")
                       & (profiles["condition"] == "normal"), "id"]
    assert charity_share.reindex(lev).dropna().median() > 0.5
    assert charity_share.reindex(led).dropna().median() < 0.2


def test_every_profile_and_condition_is_drawn(province):
    _, profiles = province
    assert set(profiles["mode"]) == set(MODES)
    assert {"well_linked", "no_orgs", "no_charity", "no_volunteers", "single_broker",
            "idle"} <= set(profiles["condition"])


def test_gaps_idle_resources_and_unmet_needs_exist(province):
    tables, profiles = province
    counts = _based_in_counts(tables)
    no_orgs = profiles.loc[profiles["condition"] == "no_orgs", "id"]
    assert (counts.set_axis(profiles["id"]).loc[no_orgs] == 0).all()
    lives = tables.rels["LIVES_IN"]
    no_vol = profiles.loc[profiles["condition"] == "no_volunteers", "id"]
    assert not lives["to"].isin(no_vol).any()
    # idle: organizations and foundations with no project role, inactive volunteers
    acting = pd.concat([tables.rels[r]["from"] for r in
                        ("INITIATED", "LEADS", "DELIVERS", "SERVES_IN", "FUNDS")])
    org_ids = tables.nodes["Organization"]["id"]
    assert (~org_ids.isin(acting)).mean() > 0.5
    assert (~tables.nodes["Foundation"]["id"].isin(tables.rels["FUNDS"]["from"])).any()
    need = tables.nodes["Need"]
    unmet = need[(need["status"] == "open") & ~need["id"].isin(tables.rels["ADDRESSES"]["to"])]
    assert len(unmet) > 0.1 * len(need)
    idle = profiles.loc[profiles["condition"] == "idle", "id"]
    assert not tables.rels["RUNS_IN"]["to"].isin(idle).any()


def test_single_broker_org_delivers_every_project(province):
    tables, profiles = province
    runs = tables.rels["RUNS_IN"].set_index("from")["to"]
    deliv = tables.rels["DELIVERS"]
    deliv = deliv.assign(community=runs.loc[deliv["to"]].to_numpy())
    broker_comms = profiles.loc[profiles["condition"] == "single_broker", "id"]
    sub = deliv[deliv["community"].isin(broker_comms)]
    per = sub.groupby("community")
    assert len(per) >= 20
    assert (per["from"].nunique() == 1).all()
    assert (per.size() >= 3).all()
    assert (sub["from_label"].astype(str) == "Organization").all()


def test_government_purchase_comes_from_the_community(province):
    tables, _ = province
    funds = tables.rels["FUNDS"]
    gov = funds[funds["channel"] == "government_purchase"]
    assert (gov["from_label"].astype(str) == "Community").all()
    assert set(funds["channel"]) >= {"government_purchase", "foundation_grant",
                                     "charitable_fund", "donation", "self_funded"}
    projects = tables.nodes["Project"].set_index("id")
    total = funds.groupby("to")["amount"].sum()
    assert np.allclose(total, projects.loc[total.index, "budget"], rtol=0.01, atol=30)
    assert projects["year"].between(2023, 2025).all()


# ------------------------------------------------------------------ files
def test_generate_to_writes_import_files_that_validate(tmp_path: Path):
    counts = generate_to(tmp_path, seed=4, **SMALL)
    assert (tmp_path / "Volunteer.csv").exists() and (tmp_path / "FUNDS.csv").exists()
    header = (tmp_path / "FUNDS.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "from,to,amount,channel"
    result = read_import(tmp_path)
    assert result.counts() == {k: v for k, v in counts.items() if v}
    assert counts["Volunteer"] == 3000


def test_sample_data_is_reproduced_byte_for_byte(tmp_path: Path):
    counts = make_sample(tmp_path)
    committed = sorted(p.name for p in SAMPLE.glob("*.csv"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.csv"))
    for name in committed:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    assert counts["Township"] == 15 and counts["Volunteer"] == SAMPLE_VOLUNTEERS
    assert 150 <= counts["Community"] <= 300
    assert sum(p.stat().st_size for p in SAMPLE.glob("*.csv")) < 5_000_000


def test_cli_generate_sample_writes_sample_data(tmp_path: Path):
    from click.testing import CliRunner

    from wushe.app.cli import cli

    result = CliRunner().invoke(cli, ["generate", str(tmp_path), "--sample"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "Community.csv").read_bytes() == (SAMPLE / "Community.csv").read_bytes()


def test_cli_generate_keeps_the_first_n_of_each_level(tmp_path: Path, divisions_file: Path):
    from click.testing import CliRunner

    from wushe.app.cli import cli

    result = CliRunner().invoke(cli, [
        "generate", str(tmp_path), "--divisions", str(divisions_file), "--scale", "1",
        "--counties-per-city", "1", "--townships-per-county", "2", "--volunteers", "50"])
    assert result.exit_code == 0, result.output
    towns = pd.read_csv(tmp_path / "Township.csv", dtype=str)
    assert towns["name"].tolist() == ["北山街道", "西溪街道"]


def test_repeated_names_stay_distinct_past_ten():
    """At province scale a community can hold a dozen teams of one kind: the 11th and 12th
    must not both be called (十) (one name per parent is a validation rule)."""
    import pyarrow as pa

    from wushe.loaders.generator.names import dedup_names

    out = dedup_names(pa.array(["护河队"] * 12 + ["舞蹈队"])).to_pylist()
    assert out[:3] == ["护河队", "护河队(二)", "护河队(三)"]
    assert out[9:] == ["护河队(十)", "护河队(十一)", "护河队(十二)", "舞蹈队"]
    assert len(set(out)) == 13
