"""The synthetic province, drawn stage by stage: regions, communities, organizations,
workers, charity, party committees, volunteers, projects and needs.

One ``numpy.random.Generator`` is consumed in a fixed order — the stages run in the order
below and each draws in the order it always has — so a seed always gives the same tables
(tests/test_generator.py compares ``sample_data/`` byte for byte). Each stage adds its
frames to a :class:`~wushe.loaders.generator.builder.Builder` and returns what the later
stages draw on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.errors import WusheError
from wushe.graph.schema import ACTOR_LABELS, SCENARIOS
from wushe.graph.tables import GraphTables
from wushe.loaders.credit_code import check_characters
from wushe.loaders.generator.builder import Builder
from wushe.loaders.generator.calibration import (
    BUDGET_FACTOR,
    CATEGORY_MIX,
    CONDITION_PROBS,
    CONDITIONS,
    DELIVER_P,
    E_CHARITY,
    E_COMM,
    E_ORG,
    E_VOL,
    E_WORKER,
    FUND_P,
    FUND_W,
    KIND_P,
    LEAD_P,
    MODE_PROBS,
    MODES,
    ORGS_PER,
    RATED_SHARE,
    RATING_LEVELS,
    RATING_P,
    REGISTERED_CENTRE_SHARE,
    REGISTERED_COMMUNITY_SHARE,
    RURAL_RANGE,
    SAMPLE_SEED,
    SAMPLE_VOLUNTEERS,
    SW_SERVE_LAMBDA,
    TOWNSHIP_HAS_URBAN,
    TOWNSHIP_ORG_REGISTRATION_P,
    TOWNSHIP_ORGS_PER_COMMUNITY,
    URBAN_RANGE,
    VOL_SERVE_LAMBDA,
    VOLUNTEER_RATE,
)
from wushe.loaders.generator.names import (
    BRANDS,
    COMMUNITY_ORG_SUFFIX,
    FIRST,
    INDUSTRY,
    NEED_TEXT,
    PROJECT_NAMES,
    SECOND,
    SURNAMES,
    TOWNSHIP_ORGS,
    VOLUNTEER_TEAM_SUFFIX,
    dedup_names,
    person_names,
    place_names,
)
from wushe.loaders.generator.regions import (
    SAMPLE_DIVISIONS,
    Regions,
    read_divisions,
    regions_from_divisions,
    subset_regions,
    synthetic_regions,
)
from wushe.loaders.generator.vectors import (
    Pool,
    choice,
    date_series,
    days,
    join,
    n_from_scale,
    num_ids,
    rank_within,
    row_choice,
    strings,
    take,
)
from wushe.loaders.writer import write_tables

__all__ = ["generate", "generate_to", "generate_with_profiles", "make_sample"]

# GB 11714 weights of the 8-character organization body inside a credit code.
_GB11714_W = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)


def _credit_codes(rng: np.random.Generator, head: np.ndarray, county: np.ndarray,
                  body_prefix: str) -> pa.Array:
    """Valid 18-character unified social credit codes (GB 32100, GB 11714 body check).

    ``head`` holds the 2-character registration authority + type (``51`` social group,
    ``52`` social service agency, ``53`` foundation, ``91`` enterprise); ``county`` the
    6-digit division code of each row.
    """
    n = len(head)
    if n == 0:
        return pa.array([], pa.string())
    # Unique 6-digit serials so codes never collide within one call.
    serial = rng.choice(1_000_000, size=n, replace=False)
    digits = (serial[:, None] // 10 ** np.arange(5, -1, -1)) % 10
    # GB 11714: letters count 10..35 (M=22, J=19, A=10).
    pre_vals = np.array([ord(c) - 55 if c.isalpha() else int(c) for c in body_prefix])
    body8 = np.hstack([np.broadcast_to(pre_vals, (n, 2)), digits])
    c9 = 11 - (body8 * _GB11714_W).sum(axis=1) % 11
    c9_char = np.where(c9 == 10, "X", np.where(c9 == 11, "0", c9.astype(str)))
    serial_s = pa.array(serial).cast(pa.string())
    prefix17 = join(pa.array(head.astype(str)), pa.array(county.astype(str)), body_prefix,
                    pc.utf8_lpad(serial_s, 6, "0"), pa.array(c9_char.astype(str)))
    check = check_characters(prefix17.to_numpy(zero_copy_only=False))
    return join(prefix17, pa.array(check, pa.string()))


# ----------------------------------------------------------------------------- regions
@dataclass
class _Places:
    """Cities, counties and townships kept, with the communities drawn per township."""

    city: pd.DataFrame
    county: pd.DataFrame
    town: pd.DataFrame
    kind: np.ndarray            # township kind per township
    n_urban: np.ndarray
    n_rural: np.ndarray
    town_ids: pa.Array
    town_county: np.ndarray     # county index per township
    county_code: np.ndarray     # 6-digit division code per county


def _places(rng: np.random.Generator, b: Builder, reg: Regions, scale: float,
            communities: int | None) -> _Places:
    """Communities per township (then scaled); City, County, Township nodes and PART_OF."""
    kind = reg.town["kind"].to_numpy()
    n_urban = np.zeros(len(kind), np.int64)
    n_rural = np.zeros(len(kind), np.int64)
    for k in KIND_P:
        m = kind == k
        lo, hi = URBAN_RANGE[k]
        n_urban[m] = rng.integers(lo, hi, m.sum()) if hi > lo else lo
        lo, hi = RURAL_RANGE[k]
        n_rural[m] = rng.integers(lo, hi, m.sum())
    m = kind == "township"
    n_urban[m] = (rng.random(m.sum()) < TOWNSHIP_HAS_URBAN).astype(np.int64)
    if communities is not None:   # a target total: fold it into the scale
        scale = scale * communities / max(1, int(n_urban.sum() + n_rural.sum()))
    if scale < 1:
        # A smaller province keeps whole townships (each with its station and its usual
        # 10-30 communities) rather than thinning every township.
        keep = rng.random(len(kind)) < scale
        if not keep.any():
            keep[rng.integers(0, len(kind))] = True
        reg = subset_regions(reg, keep)
        n_urban, n_rural, kind = n_urban[keep], n_rural[keep], kind[keep]
    elif scale > 1:
        n_urban = n_from_scale(rng, n_urban, scale)
        n_rural = n_from_scale(rng, n_rural, scale)
    empty = (n_urban + n_rural) == 0
    n_urban[empty & (kind == "street")] = 1
    n_rural[empty & (kind != "street")] = 1
    city, county, town = reg.city, reg.county, reg.town
    city_ids = join("city-", pa.array(city["code"], pa.string()))
    county_ids = join("county-", pa.array(county["code"], pa.string()))
    town_ids = join("town-", pa.array(town["code"], pa.string()))
    b.node("City", {"id": strings(city_ids), "name": city["name"].astype("str"),
                    "code": city["code"].astype("str")})
    b.node("County", {"id": strings(county_ids), "name": county["name"].astype("str"),
                      "code": county["code"].astype("str")})
    b.node("Township", {"id": strings(town_ids), "name": town["name"].astype("str"),
                        "code": town["code"].astype("str"), "kind": town["kind"].astype("str")})
    b.rel("PART_OF", "County", "City", county_ids, take(city_ids, county["city"].to_numpy()))
    town_county = town["county"].to_numpy(np.int64)
    b.rel("PART_OF", "Township", "County", town_ids, take(county_ids, town_county))
    return _Places(city, county, town, kind, n_urban, n_rural, town_ids, town_county,
                   county["code"].to_numpy().astype(str))


# ------------------------------------------------------------------------- communities
@dataclass
class _Communities:
    """Each community's place, size, staff and drawn profile (mode and condition)."""

    n: int
    town: np.ndarray            # township index per community
    rural: np.ndarray
    code: pa.Array
    ids: pa.Array
    name: pa.Array
    kind: np.ndarray
    pop: np.ndarray
    fulltime: np.ndarray
    certified: np.ndarray
    mode: np.ndarray
    cond_names: np.ndarray
    no_orgs: np.ndarray
    no_charity: np.ndarray
    no_vol: np.ndarray
    broker_c: np.ndarray
    idle_c: np.ndarray
    well: np.ndarray
    per_town: np.ndarray        # communities per township
    big: np.ndarray             # party committee is a 党委 (has member units)
    pc_ids: pa.Array
    pc_name: pa.Array


def _communities(rng: np.random.Generator, b: Builder, pl: _Places) -> _Communities:
    """Community nodes with their profiles; the party committees' kinds are drawn here too."""
    n_urban, n_rural, town, town_ids = pl.n_urban, pl.n_rural, pl.town, pl.town_ids
    n_town = len(town)
    # Communities ordered by township, urban (居委会, codes 001…) before rural (村, 201…).
    per_town = n_urban + n_rural
    c_town = np.repeat(np.arange(n_town), per_town)
    n_comm = len(c_town)
    c_rank = rank_within(c_town)
    c_rural = c_rank >= n_urban[c_town]
    c_seq = np.where(c_rural, 201 + c_rank - n_urban[c_town], 1 + c_rank)
    c_code = join(take(pa.array(town["code"], pa.string()), c_town),
                   pc.utf8_lpad(pa.array(c_seq).cast(pa.string()), 3, "0"))
    comm_ids = join("comm-", c_code)
    c_short = place_names(rng, c_town, n_town)
    c_name = join(c_short, take(("社区", "村"), c_rural.astype(np.int64)))
    c_kind = np.where(c_rural, "rural", "urban")

    pop_mean = np.where(c_rural, 1200.0, 8000.0)
    pop = np.round(pop_mean * rng.lognormal(-0.125, 0.5, n_comm)).astype(np.int64) + 50
    households = np.round(pop / rng.uniform(2.4, 3.1, n_comm)).astype(np.int64)
    starred = rng.random(n_comm) < np.where(c_rural, 0.02, 0.12)
    star = np.where(starred, 1 + choice(rng, np.array([.3, .25, .2, .15, .1]), n_comm), 0)
    fulltime = np.where(c_rural, 1 + rng.poisson(1.0, n_comm), 2 + rng.poisson(3.0, n_comm))
    cert_share = rng.beta(np.where(c_rural, 5.5, 7.0), 4.0, n_comm)
    certified = rng.binomial(fulltime, cert_share)

    mode = choice(rng, np.array(MODE_PROBS), n_comm)
    cond = choice(rng, np.array(CONDITION_PROBS), n_comm)
    # A condition that removes the mode's own element would contradict the mode.
    cond_names = np.array(CONDITIONS)[cond]
    mode[(cond_names == "no_orgs") & (mode == 1)] = 0
    mode[(cond_names == "no_volunteers") & (mode == 3)] = 5
    mode[(cond_names == "no_charity") & (mode == 4)] = 0
    no_orgs = cond_names == "no_orgs"
    no_charity = cond_names == "no_charity"
    no_vol = cond_names == "no_volunteers"
    broker_c = cond_names == "single_broker"
    idle_c = cond_names == "idle"
    well = cond_names == "well_linked"

    b.node("Community", {
        "id": strings(comm_ids), "name": strings(c_name), "code": strings(c_code),
        "kind": pd.Series(c_kind, dtype="str"), "population": pop, "households": households,
        "complex_star": star.astype(np.int64), "fulltime_workers": fulltime.astype(np.int64),
        "certified_workers": certified.astype(np.int64),
    })
    b.rel("PART_OF", "Community", "Township", comm_ids, take(town_ids, c_town))

    # -------------------------------------------------------- party committees
    big = rng.random(n_comm) < np.where(c_rural, 0.35, 0.65)
    pc_kind = np.where(big, 0, np.where(rng.random(n_comm) < 0.5, 1, 2))
    pc_ids = join("pc-", c_code)
    pc_name = join(c_name, take(("党委", "党总支", "党支部"), pc_kind))
    comm_per_town = np.bincount(c_town, minlength=n_town)
    return _Communities(n_comm, c_town, c_rural, c_code, comm_ids, c_name, c_kind, pop,
                        fulltime, certified, mode, cond_names, no_orgs, no_charity, no_vol,
                        broker_c, idle_c, well, comm_per_town, big, pc_ids, pc_name)


# ----------------------------------------------------------------------- organizations
@dataclass
class _Organizations:
    """Organizations and the pools a community draws its organizations and teams from."""

    ids: pa.Array
    n_co: int                   # community-based ones come first
    staff: np.ndarray
    pool: Pool                  # per community: its own and the township ones serving it
    team_pool: Pool             # the volunteer-service teams among them
    broker: np.ndarray          # the single broker of a single_broker community, else -1


def _organizations(rng: np.random.Generator, b: Builder, pl: _Places,
                   cm: _Communities) -> _Organizations:
    """Community and township organizations, BASED_IN and SERVES."""
    county, town, town_ids, town_county = pl.county, pl.town, pl.town_ids, pl.town_county
    county_code, n_town = pl.county_code, len(pl.town)
    n_comm, c_town, c_rural, c_name, comm_ids = cm.n, cm.town, cm.rural, cm.name, cm.ids
    no_orgs, broker_c, comm_per_town = cm.no_orgs, cm.broker_c, cm.per_town
    org_mean = np.where(c_rural, ORGS_PER["rural"], ORGS_PER["urban"])
    n_corg = rng.poisson(org_mean * rng.lognormal(-0.06, 0.35, n_comm))
    n_corg[no_orgs] = 0
    n_corg[broker_c] = np.maximum(n_corg[broker_c], 1)
    o_comm = np.repeat(np.arange(n_comm), n_corg)
    n_co = len(o_comm)
    cats = list(CATEGORY_MIX)
    o_cat = choice(rng, np.array(list(CATEGORY_MIX.values())), n_co)
    o_first = rank_within(o_comm) == 0
    # Most communities have a volunteer-service team as their first organization.
    o_vs = (o_first & (rng.random(n_co) < 0.85)) | (o_cat == cats.index("志愿")) | (
        (o_cat == cats.index("服务")) & (rng.random(n_co) < 0.08))
    o_cat[o_vs & (o_cat != cats.index("志愿"))] = cats.index("服务")
    suffix_flat: list[str] = []
    suffix_start = []
    for c in cats:
        suffix_start.append(len(suffix_flat))
        suffix_flat.extend(COMMUNITY_ORG_SUFFIX[c])
    suffix_len = np.array([len(COMMUNITY_ORG_SUFFIX[c]) for c in cats])
    sfx = np.array(suffix_start)[o_cat] + (rng.random(n_co) * suffix_len[o_cat]).astype(int)
    vs_sfx = rng.integers(0, len(VOLUNTEER_TEAM_SUFFIX), n_co)
    o_suffix = pc.if_else(pa.array(o_vs), take(VOLUNTEER_TEAM_SUFFIX, vs_sfx),
                          take(tuple(suffix_flat), sfx))
    co_name = dedup_names(join(take(c_name, o_comm), o_suffix))
    co_registered = rng.random(n_co) < REGISTERED_COMMUNITY_SHARE

    # Registered organizations based in townships (county-level registration).
    n_torg = rng.poisson(TOWNSHIP_ORGS_PER_COMMUNITY * comm_per_town)
    t_town = np.repeat(np.arange(n_town), n_torg)
    n_to = len(t_town)
    t_kind = rng.integers(0, len(TOWNSHIP_ORGS), n_to)
    t_brand = rng.integers(0, len(BRANDS), n_to)
    to_name = dedup_names(join(
        take(pa.array(county["name"], pa.string()), town_county[t_town]),
        take(BRANDS, t_brand), take(tuple(s for s, _, _ in TOWNSHIP_ORGS), t_kind)))
    all_cats = cats + [c for _, c, _ in TOWNSHIP_ORGS if c not in cats]
    to_cat = np.array([all_cats.index(c) for _, c, _ in TOWNSHIP_ORGS])[t_kind]
    to_form_name = np.array([f for _, _, f in TOWNSHIP_ORGS])[t_kind]

    n_org = n_co + n_to
    org_ids = num_ids("org-", n_org, 7)
    org_is_comm = np.r_[np.ones(n_co, bool), np.zeros(n_to, bool)]
    org_cat = np.r_[o_cat, to_cat]
    org_vs = np.r_[o_vs, (to_cat == all_cats.index("志愿"))]
    org_town = np.r_[c_town[o_comm], t_town]
    org_county = town_county[org_town]
    org_registered = np.r_[co_registered, np.ones(n_to, bool)]
    forms = np.array(["社会团体", "社会服务机构", "基金会", "备案"])
    org_form = np.r_[np.where(co_registered, np.where(rng.random(n_co) < 0.7, 0, 1), 3),
                     np.where(to_form_name == "社会团体", 0, 1)]
    reg_idx = np.flatnonzero(org_registered)
    heads = np.where(org_form[reg_idx] == 0, "51", "52")
    codes = _credit_codes(rng, heads, county_code[org_county[reg_idx]], "MJ")
    credit = np.full(n_org, None, dtype=object)
    credit[reg_idx] = codes.to_numpy(zero_copy_only=False)
    filed_idx = np.flatnonzero(~org_registered)
    filing = np.full(n_org, None, dtype=object)
    filing_seq = rank_within(org_town[filed_idx]) + 1
    filing[filed_idx] = join(
        "BA", take(pa.array(town["code"], pa.string()), org_town[filed_idx]), "-",
        pc.utf8_lpad(pa.array(filing_seq).cast(pa.string()), 4, "0"),
    ).to_numpy(zero_copy_only=False)
    rated = org_registered & (rng.random(n_org) < RATED_SHARE)
    rating_lvl = choice(rng, np.array(RATING_P), n_org)
    rating = np.where(rated, np.array(RATING_LEVELS)[rating_lvl], None)
    expiry = days("2024-01-01") + rng.integers(0, 6 * 365, n_org)
    reg_day = np.where(org_registered,
                       days("2005-01-01") + rng.integers(0, 20 * 365, n_org),
                       days("2015-01-01") + rng.integers(0, 10 * 365 + 150, n_org))
    # Organization activity: per-community vitality decides how many are highly active.
    vitality = rng.beta(2.0, 3.0, n_comm)
    org_vital = np.r_[vitality[o_comm], rng.beta(2.0, 3.0, n_to)]
    high = rng.random(n_org) < org_vital * 0.9
    acts = np.where(high, rng.integers(12, 49, n_org), rng.integers(0, 12, n_org))
    months = np.where(high, rng.integers(6, 13, n_org),
                      np.minimum(acts, rng.integers(1, 6, n_org)))
    staff = np.r_[np.zeros(n_co, np.int64),
                  rng.poisson(np.where(to_form_name == "社会团体", 0.5, 3.2))]
    # Registration authority (登记管理机关): community organizations are filed with the
    # township or registered with the county; township-based ones mostly with the county,
    # some with the city or the province. A spawned generator draws it, so every other
    # column stays what the seed always gave.
    reg_level = np.array(["province", "city", "county", "township"])[np.r_[
        np.where(co_registered, 2, 3),
        choice(rng.spawn(1)[0], np.array(TOWNSHIP_ORG_REGISTRATION_P), n_to)]]
    b.node("Organization", {
        "id": strings(org_ids),
        "name": strings(pa.concat_arrays([co_name, to_name])),
        "credit_code": pd.Series(credit, dtype="str"),
        "filing_no": pd.Series(filing, dtype="str"),
        "form": pd.Series(forms[org_form], dtype="str"),
        "category": pd.Series(np.array(all_cats)[org_cat], dtype="str"),
        "rating": pd.Series(rating, dtype="str"),
        "rating_expiry": pd.Series(pd.arrays.ArrowExtensionArray(
            pa.array(np.where(rated, expiry, 0).astype(np.int32), pa.date32(),
                     mask=~rated))),
        "is_community_org": org_is_comm,
        "is_volunteer_service": org_vs,
        "registered_on": date_series(reg_day),
        "registration_level": pd.Series(reg_level, dtype="str"),
        "staff": staff.astype(np.int64),
        "activities_12m": acts.astype(np.int64),
        "active_months_12m": months.astype(np.int64),
    })
    b.rel("BASED_IN", "Organization", "Community", org_ids[:n_co], take(comm_ids, o_comm))
    b.rel("BASED_IN", "Organization", "Township", org_ids[n_co:], take(town_ids, t_town))
    # Township organizations serve 1–4 communities of their township (never a no-org one).
    eligible = Pool.build(c_town[~no_orgs], n_town, np.flatnonzero(~no_orgs))
    k_serve = rng.integers(1, 5, n_to)
    s_org = np.repeat(np.arange(n_to), k_serve)
    s_comm = eligible.pick(rng, t_town[s_org])
    ok = s_comm >= 0
    pairs = np.unique(np.c_[s_org[ok], s_comm[ok]], axis=0) if ok.any() else \
        np.zeros((0, 2), np.int64)
    s_org, s_comm = pairs[:, 0], pairs[:, 1]
    b.rel("SERVES", "Organization", "Community", take(org_ids, n_co + s_org),
          take(comm_ids, s_comm))
    # Organizations a community can draw on: its own plus the township ones serving it.
    org_pool = Pool.build(np.r_[o_comm, s_comm], n_comm, np.r_[np.arange(n_co), n_co + s_org])
    vs_mask = org_vs[org_pool.vals]
    team_pool = Pool.build(np.repeat(np.arange(n_comm), org_pool.counts)[vs_mask], n_comm,
                            org_pool.vals[vs_mask])
    broker = np.where(broker_c, Pool.build(o_comm, n_comm, np.arange(n_co)).first(
        np.arange(n_comm)), -1)
    return _Organizations(org_ids, n_co, staff, org_pool, team_pool, broker)


# ----------------------------------------------------------------------------- workers
@dataclass
class _Workers:
    """Social workers and stations, and the pools projects draw workers from."""

    sw_ids: pa.Array
    st_ids: pa.Array
    sws_of_town: np.ndarray     # the township's social-work station, else -1
    cw_pool: Pool               # community workers per community
    st_sw_pool: Pool            # station workers per township


def _workers(rng: np.random.Generator, b: Builder, pl: _Places, cm: _Communities,
             og: _Organizations) -> _Workers:
    """Stations and social workers (community, station and agency), WORKS_AT."""
    town, town_ids, n_town = pl.town, pl.town_ids, len(pl.town)
    n_comm, fulltime, certified, comm_ids = cm.n, cm.fulltime, cm.certified, cm.ids
    n_co, staff, org_ids = og.n_co, og.staff, og.ids
    n_to = len(staff) - n_co
    sw_comm = np.repeat(np.arange(n_comm), fulltime)
    n_cw = len(sw_comm)
    cw_cert = rank_within(sw_comm) < certified[sw_comm]
    levels = np.array(["none", "assistant", "intermediate", "senior"])
    cert_level = choice(rng, np.array([0.6, 0.35, 0.05]), n_cw) + 1
    cw_level = np.where(cw_cert, cert_level, 0)
    # Stations: a social-work station in ~95% of townships, a service centre in ~98%.
    has_sws = rng.random(n_town) < 0.95
    has_osc = rng.random(n_town) < 1362 / 1387
    st_town = np.r_[np.flatnonzero(has_sws), np.flatnonzero(has_osc)]
    st_kind = np.r_[np.zeros(has_sws.sum(), np.int64), np.ones(has_osc.sum(), np.int64)]
    n_st = len(st_town)
    st_ids = join("stn-", take(pa.array(town["code"], pa.string()), st_town),
                   take(("-sws", "-osc"), st_kind))
    st_name = join(take(pa.array(town["name"], pa.string()), st_town),
                    take(("社会工作站", "社会组织服务中心"), st_kind))
    st_cert = np.where(st_kind == 0, rng.integers(3, 7, n_st), rng.integers(0, 3, n_st))
    st_uncert = np.where(st_kind == 0, rng.integers(0, 3, n_st), rng.integers(1, 3, n_st))
    # Rating evaluation applies to service centres only; stations leave it blank.
    st_eval = pd.array(rng.random(n_st) < 0.8, dtype="boolean")
    st_eval[st_kind == 0] = pd.NA
    # Only registered (登记的) service centres count toward the evaluation rate; drawn by a
    # spawned generator so the other columns keep their values.
    st_reg = pd.array(rng.spawn(1)[0].random(n_st) < REGISTERED_CENTRE_SHARE, dtype="boolean")
    st_reg[st_kind == 0] = pd.NA
    b.node("Station", {
        "id": strings(st_ids), "name": strings(st_name),
        "kind": pd.Series(np.where(st_kind == 0, "social_work_station", "org_service_center"),
                          dtype="str"),
        "evaluated": st_eval, "registered": st_reg, "certified_staff": st_cert.astype(np.int64),
    })
    b.rel("LOCATED_IN", "Station", "Township", st_ids, take(town_ids, st_town))
    sws_of_town = np.full(n_town, -1, np.int64)
    sws_of_town[st_town[st_kind == 0]] = np.flatnonzero(st_kind == 0)
    ss_station = np.repeat(np.arange(n_st), st_cert + st_uncert)
    ss_cert = rank_within(ss_station) < st_cert[ss_station]
    ss_level = np.where(ss_cert, choice(rng, np.array([0.5, 0.42, 0.08]), len(ss_station))
                        + 1, 0)
    ag_org = n_co + np.repeat(np.arange(n_to), staff[n_co:])
    ag_level = np.where(rng.random(len(ag_org)) < 0.62,
                        choice(rng, np.array([0.55, 0.4, 0.05]), len(ag_org)) + 1, 0)
    n_sw = n_cw + len(ss_station) + len(ag_org)
    sw_ids = num_ids("sw-", n_sw, 7)
    sw_level = np.r_[cw_level, ss_level, ag_level]
    sw_role = np.r_[np.zeros(n_cw, np.int64), np.full(len(ss_station), 2),
                    np.ones(len(ag_org), np.int64)]
    b.node("SocialWorker", {
        "id": strings(sw_ids), "name": strings(person_names(rng, n_sw)),
        "certificate": pd.Series(levels[sw_level], dtype="str"),
        "role": pd.Series(np.array(["community_worker", "agency_worker",
                                    "station_worker"])[sw_role], dtype="str"),
    })
    b.rel("WORKS_AT", "SocialWorker", "Community", sw_ids[:n_cw], take(comm_ids, sw_comm))
    b.rel("WORKS_AT", "SocialWorker", "Organization", sw_ids[n_cw + len(ss_station):],
          take(org_ids, ag_org))
    b.rel("WORKS_AT", "SocialWorker", "Station", sw_ids[n_cw:n_cw + len(ss_station)],
          take(st_ids, ss_station))
    cw_pool = Pool.build(sw_comm, n_comm)
    st_sw_pool = Pool.build(st_town[ss_station], n_town, n_cw + np.arange(len(ss_station)))
    return _Workers(sw_ids, st_ids, sws_of_town, cw_pool, st_sw_pool)


# ---------------------------------------------------------------------------- charity
@dataclass
class _Charity:
    """Foundations and donors, and the pool a community draws charity from."""

    ids: pa.Array
    kind: np.ndarray
    pool: Pool


def _charity(rng: np.random.Generator, b: Builder, pl: _Places, cm: _Communities) -> _Charity:
    """Foundations, charitable funds and donors, BASED_IN."""
    county, town, town_ids, town_county = pl.county, pl.town, pl.town_ids, pl.town_county
    kind, county_code, n_town = pl.kind, pl.county_code, len(pl.town)
    n_comm, c_town, c_name, comm_ids = cm.n, cm.town, cm.name, cm.ids
    no_charity, comm_per_town = cm.no_charity, cm.per_town
    comm_scale = n_comm / 23_300
    n_cf = max(1, int(round(200 * comm_scale)))
    street_w = np.where(kind == "street", 3.0, 1.0) * np.maximum(comm_per_town, 1)
    cf_town = choice(rng, street_w, n_cf)
    ok_char = ~no_charity
    cand = np.flatnonzero(ok_char)
    n_fund = rng.binomial(n_comm, 0.10)
    n_ent = rng.binomial(n_comm, 0.125)
    n_ind = rng.binomial(n_comm, 0.085)
    fund_comm = cand[rng.integers(0, len(cand), n_fund)] if len(cand) else \
        np.zeros(0, np.int64)
    ent_town = choice(rng, np.maximum(comm_per_town, 1).astype(float), n_ent)
    ind_comm = cand[rng.integers(0, len(cand), n_ind)] if len(cand) else np.zeros(0, np.int64)
    f_kind = np.r_[np.zeros(n_cf, np.int64), np.ones(n_fund, np.int64),
                   np.full(n_ent, 2), np.full(len(ind_comm), 3)]
    n_f = len(f_kind)
    f_ids = num_ids("fdn-", n_f, 5)
    town_names = pa.array(town["name"], pa.string())
    f_name = pa.concat_arrays([
        join(take(pa.array(county["name"], pa.string()), town_county[cf_town]),
              take(town_names, cf_town), "社区发展基金会"),
        join(take(c_name, fund_comm),
              take(("关爱基金", "幸福基金", "邻里互助基金", "共富基金"),
                    rng.integers(0, 4, n_fund))),
        join("浙江", take(tuple(FIRST), rng.integers(0, len(FIRST), n_ent)),
              take(tuple(SECOND), rng.integers(0, len(SECOND), n_ent)),
              take(INDUSTRY, rng.integers(0, len(INDUSTRY), n_ent)), "有限公司"),
        join("爱心人士", take(tuple(SURNAMES[:30]), rng.integers(0, 30, len(ind_comm))),
              take(("先生", "女士"), rng.integers(0, 2, len(ind_comm)))),
    ])
    f_town = np.r_[cf_town, c_town[fund_comm], ent_town, c_town[ind_comm]]
    f_credit = np.full(n_f, None, dtype=object)
    has_cc = (f_kind == 0) | (f_kind == 2)
    f_credit[has_cc] = _credit_codes(
        rng, np.where(f_kind[has_cc] == 0, "53", "91"),
        county_code[town_county[f_town[has_cc]]], "MA").to_numpy(zero_copy_only=False)
    f_assets = np.round(np.array([1e6, 2e5, 2e6, 3e4])[f_kind]
                        * rng.lognormal(-0.3, 0.8, n_f), -2)
    b.node("Foundation", {
        "id": strings(f_ids), "name": strings(f_name),
        "kind": pd.Series(np.array(["community_foundation", "charitable_fund",
                                    "enterprise_donor", "individual_donor"])[f_kind],
                          dtype="str"),
        "credit_code": pd.Series(f_credit, dtype="str"), "assets": f_assets,
    })
    f_in_town = (f_kind == 0) | (f_kind == 2)
    f_comm = np.r_[np.full(n_cf, -1), fund_comm, np.full(n_ent, -1), ind_comm]
    b.rel("BASED_IN", "Foundation", "Community", take(f_ids, np.flatnonzero(~f_in_town)),
          take(comm_ids, f_comm[~f_in_town]))
    b.rel("BASED_IN", "Foundation", "Township", take(f_ids, np.flatnonzero(f_in_town)),
          take(town_ids, f_town[f_in_town]))
    # Dormant foundations never fund a project (idle charity resources).
    f_active = rng.random(n_f) < 0.8
    # A community draws on charity based in it or in its township (not if no_charity).
    fa = np.flatnonzero(f_active & f_in_town)
    # Weight community foundations ×4 so grants are not swamped by the many donors.
    fa = np.r_[fa, np.repeat(fa[f_kind[fa] == 0], 3)]
    town_f = Pool.build(f_town[fa], n_town, fa)
    rep = np.repeat(np.arange(n_comm), town_f.counts[c_town])
    rep_f = town_f.vals[np.concatenate([np.arange(s, s + c) for s, c in
                                        zip(town_f.starts[c_town], town_f.counts[c_town],
                                            strict=True)])] if len(rep) else rep
    fc = np.flatnonzero(f_active & ~f_in_town)
    fc = np.r_[fc, fc[f_kind[fc] == 1]]     # charitable funds ×2 against individual donors
    keys = np.r_[rep, f_comm[fc]]
    vals = np.r_[rep_f, fc]
    keep = ~no_charity[keys]
    charity_pool = Pool.build(keys[keep], n_comm, vals[keep])
    return _Charity(f_ids, f_kind, charity_pool)


def _party_committees(rng: np.random.Generator, b: Builder, cm: _Communities,
                      og: _Organizations, ch: _Charity) -> None:
    """PartyCommittee nodes, LEADS their community, MEMBER_UNIT_OF from orgs and charity."""
    n_comm, big, pc_ids, pc_name, comm_ids = cm.n, cm.big, cm.pc_ids, cm.pc_name, cm.ids
    org_pool, org_ids, charity_pool, f_ids = og.pool, og.ids, ch.pool, ch.ids
    pc_member_n = np.where(big, rng.integers(3, 13, n_comm), 0)
    m_comm = np.repeat(np.arange(n_comm), pc_member_n)
    m_org = org_pool.pick(rng, m_comm)
    m_f = charity_pool.pick(rng, m_comm)
    use_f = (rng.random(len(m_comm)) < 0.15) & (m_f >= 0)
    mo = np.unique(np.c_[m_org, m_comm][(~use_f) & (m_org >= 0)], axis=0)
    mf = np.unique(np.c_[m_f, m_comm][use_f], axis=0)
    member_units = np.bincount(mo[:, 1], minlength=n_comm) + np.bincount(mf[:, 1],
                                                                        minlength=n_comm)
    b.node("PartyCommittee", {"id": strings(pc_ids), "name": strings(pc_name),
                              "is_big_committee": big,
                              "member_units": member_units.astype(np.int64)})
    b.rel("LEADS", "PartyCommittee", "Community", pc_ids, comm_ids)
    b.rel("MEMBER_UNIT_OF", "Organization", "PartyCommittee", take(org_ids, mo[:, 0]),
          take(pc_ids, mo[:, 1]))
    b.rel("MEMBER_UNIT_OF", "Foundation", "PartyCommittee", take(f_ids, mf[:, 0]),
          take(pc_ids, mf[:, 1]))


# -------------------------------------------------------------------------- volunteers
@dataclass
class _Volunteers:
    ids: pa.Array
    pool: Pool                  # active volunteers per community


def _volunteers(rng: np.random.Generator, b: Builder, cm: _Communities, og: _Organizations,
                volunteers: int | None) -> _Volunteers:
    """Volunteers, LIVES_IN and MEMBER_OF their community's volunteer-service teams."""
    n_comm, pop, no_vol, comm_ids = cm.n, cm.pop, cm.no_vol, cm.ids
    team_pool, org_ids = og.team_pool, og.ids
    total_pop = int(pop.sum())
    n_vol = int(volunteers) if volunteers is not None else int(round(total_pop * VOLUNTEER_RATE))
    v_weight = pop * rng.lognormal(-0.08, 0.4, n_comm)
    v_weight[no_vol] = 0.0
    v_count = rng.multinomial(n_vol, v_weight / v_weight.sum()) if n_vol else \
        np.zeros(n_comm, np.int64)
    v_comm = np.repeat(np.arange(n_comm, dtype=np.int32), v_count)
    active_share = rng.beta(6.0, 4.0, n_comm)
    v_active = rng.random(n_vol, dtype=np.float32) < active_share[v_comm]
    hours = np.where(v_active, np.round(rng.lognormal(2.8, 0.9, n_vol) * 2) / 2 + 0.5, 0.0)
    v_acts = np.where(v_active, 1 + rng.poisson(hours / 6), 0).astype(np.int16)
    v_months = np.minimum(v_acts, np.where(v_active, rng.integers(1, 13, n_vol), 0)).astype(
        np.int16)
    vol_ids = num_ids("vol-", n_vol, 8)
    b.node("Volunteer", {
        "id": strings(vol_ids), "name": strings(person_names(rng, n_vol)),
        "volunteer_no": strings(join("ZJ", pa.array(np.arange(100_000_001, 100_000_001 + n_vol))
                                 .cast(pa.string()))),
        "hours_12m": hours.astype(np.float32), "activities_12m": v_acts,
        "active_months_12m": v_months,
    })
    b.rel("LIVES_IN", "Volunteer", "Community", vol_ids, take(comm_ids, v_comm))
    member = rng.random(n_vol, dtype=np.float32) < np.where(v_active, 0.55, 0.2)
    mv = np.flatnonzero(member)
    team = team_pool.pick(rng, v_comm[mv].astype(np.int64))
    mv, team = mv[team >= 0], team[team >= 0]
    b.rel("MEMBER_OF", "Volunteer", "Organization", take(vol_ids, mv), take(org_ids, team))
    act_v = np.flatnonzero(v_active)
    vol_pool = Pool.build(v_comm[act_v].astype(np.int64), n_comm, act_v)
    del v_comm, hours, v_acts, v_months, member, v_active
    return _Volunteers(vol_ids, vol_pool)


# ---------------------------------------------------------------------------- projects
@dataclass
class _Projects:
    ids: pa.Array
    comm: np.ndarray            # community index per project
    scen: np.ndarray            # scenario index
    year: np.ndarray
    start: np.ndarray           # start day number
    budget: np.ndarray


def _projects(rng: np.random.Generator, b: Builder, cm: _Communities) -> _Projects:
    """Project nodes and RUNS_IN; how many a community runs follows its condition."""
    n_comm, c_rural, c_name, comm_ids = cm.n, cm.rural, cm.name, cm.ids
    mode, well, idle_c, broker_c = cm.mode, cm.well, cm.idle_c, cm.broker_c
    lam = np.where(c_rural, 2.5, 4.0) * np.where(well, 1.5, 1.0)
    n_proj_c = rng.poisson(lam)
    n_proj_c[idle_c] = 0
    n_proj_c[(broker_c | well) & (n_proj_c < 3)] = 3
    p_comm = np.repeat(np.arange(n_comm), n_proj_c)
    n_p = len(p_comm)
    p_mode = mode[p_comm]
    p_year = rng.integers(2023, 2026, n_p)
    p_scen = rng.integers(0, len(SCENARIOS), n_p)
    base_budget = np.where(p_scen == SCENARIOS.index("民生微实事"), 50_000.0, 80_000.0)
    budget = np.round(base_budget * BUDGET_FACTOR[p_mode] * rng.lognormal(-0.2, 0.6, n_p),
                      -2) + 1000
    p_start = np.array([days(f"{y}-01-01") for y in (2023, 2024, 2025)])[p_year - 2023] + \
        rng.integers(0, 300, n_p)
    tpl_flat = [t for s in SCENARIOS for t in PROJECT_NAMES[s]]
    tpl = p_scen * 3 + rng.integers(0, 3, n_p)
    proj_ids = num_ids("prj-", n_p, 6)
    p_name = dedup_names(join(take(c_name, p_comm),
                                pa.array(p_year).cast(pa.string()), "年",
                                take(tuple(tpl_flat), tpl), "项目"))
    b.node("Project", {
        "id": strings(proj_ids), "name": strings(p_name),
        "scenario": pd.Series(np.array(SCENARIOS)[p_scen], dtype="str"),
        "year": p_year.astype(np.int64), "budget": budget, "start_date": date_series(p_start),
    })
    b.rel("RUNS_IN", "Project", "Community", proj_ids, take(comm_ids, p_comm))
    return _Projects(proj_ids, p_comm, p_scen, p_year, p_start, budget)


def _project_roles(rng: np.random.Generator, b: Builder, cm: _Communities,
                   og: _Organizations, wk: _Workers, ch: _Charity, vo: _Volunteers,
                   pr: _Projects) -> None:
    """Who initiates, leads, delivers, serves in and funds each project, as the mode says."""
    c_town, comm_ids, pc_ids, mode, well = cm.town, cm.ids, cm.pc_ids, cm.mode, cm.well
    org_ids, org_pool, broker = og.ids, og.pool, og.broker
    sw_ids, st_ids, sws_of_town, cw_pool, st_sw_pool = (
        wk.sw_ids, wk.st_ids, wk.sws_of_town, wk.cw_pool, wk.st_sw_pool)
    f_ids, f_kind, charity_pool = ch.ids, ch.kind, ch.pool
    vol_ids, vol_pool = vo.ids, vo.pool
    proj_ids, p_comm, budget = pr.ids, pr.comm, pr.budget
    n_p = len(p_comm)
    p_mode = mode[p_comm]
    label_ids = {"Community": comm_ids, "PartyCommittee": pc_ids, "Organization": org_ids,
                 "SocialWorker": sw_ids, "Station": st_ids, "Volunteer": vol_ids,
                 "Foundation": f_ids}
    roles: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray, dict]]] = {}

    def add(role: str, proj: np.ndarray, lab: np.ndarray, idx: np.ndarray,
            props: dict | None = None) -> None:
        roles.setdefault(role, []).append((proj, lab, idx, props or {}))

    L = {name: i for i, name in enumerate(ACTOR_LABELS)}

    def resolve(elem: np.ndarray, proj: np.ndarray, leading: bool) -> tuple[np.ndarray,
                                                                             np.ndarray]:
        """Actor (label code, index) for each project's drawn element; community fallback."""
        comm = p_comm[proj]
        lab = np.full(len(proj), L["Community"], np.int64)
        idx = comm.copy()
        if leading:  # the Party committee often initiates / leads for the community
            pcm = (elem == E_COMM) & (rng.random(len(proj)) < 0.4)
            lab[pcm] = L["PartyCommittee"]
        o = org_pool.pick(rng, comm)
        o = np.where(broker[comm] >= 0, broker[comm], o)
        m = (elem == E_ORG) & (o >= 0)
        lab[m], idx[m] = L["Organization"], o[m]
        stn = sws_of_town[c_town[comm]]
        w = cw_pool.pick(rng, comm)
        use_st = (stn >= 0) & ((rng.random(len(proj)) < 0.5) | (w < 0))
        m = (elem == E_WORKER) & use_st
        lab[m], idx[m] = L["Station"], stn[m]
        m = (elem == E_WORKER) & ~use_st & (w >= 0)
        lab[m], idx[m] = L["SocialWorker"], w[m]
        v = vol_pool.pick(rng, comm)
        m = (elem == E_VOL) & (v >= 0)
        lab[m], idx[m] = L["Volunteer"], v[m]
        f = charity_pool.pick(rng, comm)
        m = (elem == E_CHARITY) & (f >= 0)
        lab[m], idx[m] = L["Foundation"], f[m]
        return lab, idx

    allp = np.arange(n_p)
    init_e = row_choice(rng, LEAD_P[p_mode])
    lead_e = np.where(rng.random(n_p) < 0.7, init_e, row_choice(rng, LEAD_P[p_mode]))
    add("INITIATED", allp, *resolve(init_e, allp, True))
    add("LEADS", allp, *resolve(lead_e, allp, True))
    del_e = row_choice(rng, DELIVER_P[p_mode])
    del_e[well[p_comm]] = E_ORG
    d_lab, d_idx = resolve(del_e, allp, False)
    bk = broker[p_comm] >= 0
    d_lab[bk], d_idx[bk] = L["Organization"], broker[p_comm][bk]
    add("DELIVERS", allp, d_lab, d_idx)

    # Serving volunteers and social workers (hours).
    nv = rng.poisson(VOL_SERVE_LAMBDA[p_mode])
    nv[well[p_comm]] = np.maximum(nv[well[p_comm]], 3)
    sv_p = np.repeat(allp, nv)
    sv = vol_pool.pick(rng, p_comm[sv_p])
    ok = sv >= 0
    sv_pairs = np.unique(np.c_[sv[ok], sv_p[ok]], axis=0)
    add("SERVES_IN", sv_pairs[:, 1], np.full(len(sv_pairs), L["Volunteer"]), sv_pairs[:, 0],
        {"hours": np.round(rng.uniform(2, 40, len(sv_pairs)) * 2) / 2})
    ns = rng.poisson(SW_SERVE_LAMBDA[p_mode])
    ns[well[p_comm]] = np.maximum(ns[well[p_comm]], 1)
    ss_p = np.repeat(allp, ns)
    from_station = rng.random(len(ss_p)) < 0.4
    sw_pick = np.where(from_station, st_sw_pool.pick(rng, c_town[p_comm[ss_p]]),
                       cw_pool.pick(rng, p_comm[ss_p]))
    ok = sw_pick >= 0
    ss_pairs = np.unique(np.c_[sw_pick[ok], ss_p[ok]], axis=0)
    add("SERVES_IN", ss_pairs[:, 1], np.full(len(ss_pairs), L["SocialWorker"]),
        ss_pairs[:, 0], {"hours": np.round(rng.uniform(4, 80, len(ss_pairs)) * 2) / 2})

    # Funding: government purchase (from the Community), charity, self-funded.
    fp = FUND_P[p_mode]
    draw = rng.random((n_p, 3)) < fp
    draw[well[p_comm], 0] = True
    draw[well[p_comm], 1] = True
    f_pick = charity_pool.pick(rng, p_comm)
    draw[:, 1] &= f_pick >= 0
    self_org = org_pool.pick(rng, p_comm)
    self_org = np.where(broker[p_comm] >= 0, broker[p_comm], self_org)
    none = ~draw.any(axis=1)
    draw[none & (p_mode == 3), 2] = True
    draw[none & (p_mode != 3), 0] = True
    wts = FUND_W[p_mode] * draw * rng.uniform(0.7, 1.3, (n_p, 3))
    amount = np.round(budget[:, None] * wts / wts.sum(axis=1, keepdims=True), -1)
    g = np.flatnonzero(draw[:, 0])
    add("FUNDS", g, np.full(len(g), L["Community"]), p_comm[g],
        {"amount": amount[g, 0], "channel": np.full(len(g), "government_purchase")})
    c = np.flatnonzero(draw[:, 1])
    ch = np.array(["foundation_grant", "charitable_fund", "donation", "donation"])[
        f_kind[f_pick[c]]]
    add("FUNDS", c, np.full(len(c), L["Foundation"]), f_pick[c],
        {"amount": amount[c, 1], "channel": ch})
    s = np.flatnonzero(draw[:, 2])
    s_lab = np.where(self_org[s] >= 0, L["Organization"], L["PartyCommittee"])
    s_idx = np.where(self_org[s] >= 0, self_org[s], p_comm[s])
    add("FUNDS", s, s_lab, s_idx, {"amount": amount[s, 2],
                                   "channel": np.full(len(s), "self_funded")})

    for role, parts in roles.items():
        proj = np.concatenate([p[0] for p in parts])
        lab = np.concatenate([p[1] for p in parts])
        idx = np.concatenate([p[2] for p in parts])
        props = {k: np.concatenate([p[3][k] for p in parts]) for k in parts[0][3]}
        for code, name in enumerate(ACTOR_LABELS):
            m = lab == code
            if not m.any():
                continue
            extra = {k: (pd.Series(v[m], dtype="str") if v.dtype.kind in "OU" else v[m])
                     for k, v in props.items()}
            b.rel(role, name, "Project", take(label_ids[name], idx[m]),
                  take(proj_ids, proj[m]), extra)


def _needs(rng: np.random.Generator, b: Builder, cm: _Communities, pr: _Projects) -> None:
    """Needs raised in communities, RAISED_IN, and ADDRESSES from the projects meeting them."""
    n_comm, comm_ids, idle_c, no_orgs = cm.n, cm.ids, cm.idle_c, cm.no_orgs
    proj_ids, p_comm, p_scen, p_year, p_start = pr.ids, pr.comm, pr.scen, pr.year, pr.start
    n_p = len(p_comm)
    addressed = rng.random(n_p) < 0.65
    ap = np.flatnonzero(addressed)
    n_open = rng.poisson(np.where(idle_c, 3.0, 0.8) + np.where(no_orgs, 1.0, 0.0))
    op_comm = np.repeat(np.arange(n_comm), n_open)
    n_need = len(ap) + len(op_comm)
    need_comm = np.r_[p_comm[ap], op_comm]
    need_cat = np.r_[p_scen[ap], rng.integers(0, len(SCENARIOS), len(op_comm))]
    need_status = np.r_[np.where(p_year[ap] < 2025, 2,
                                 np.where(rng.random(len(ap)) < 0.7, 1, 2)),
                        np.zeros(len(op_comm), np.int64)]
    need_day = np.r_[p_start[ap] - rng.integers(10, 120, len(ap)),
                     days("2024-01-01") + rng.integers(0, 640, len(op_comm))]
    need_ids = num_ids("need-", n_need, 6)
    txt_flat = [t for s in SCENARIOS for t in NEED_TEXT[s]]
    b.node("Need", {
        "id": strings(need_ids),
        "category": pd.Series(np.array(SCENARIOS)[need_cat], dtype="str"),
        "description": strings(take(tuple(txt_flat), need_cat * 3 + rng.integers(0, 3, n_need))),
        "raised_on": date_series(need_day),
        "status": pd.Series(np.array(["open", "in_progress", "met"])[need_status], dtype="str"),
    })
    b.rel("RAISED_IN", "Need", "Community", need_ids, take(comm_ids, need_comm))
    b.rel("ADDRESSES", "Project", "Need", take(proj_ids, ap), need_ids[: len(ap)])


def generate_with_profiles(
    *, seed: int = 1, divisions: Path | str | None = None, cities: int | None = None,
    counties_per_city: int | None = None, townships_per_county: int | None = None,
    scale: float = 1.0, volunteers: int | None = None, communities: int | None = None,
    _divisions_text: str | None = None,
) -> tuple[GraphTables, pd.DataFrame]:
    """Like :func:`generate`, also returning each community's drawn profile.

    Returns
    -------
    tables : GraphTables
    profiles : pandas.DataFrame
        One row per community: ``id``, ``kind``, ``mode`` (one of :data:`MODES`) and
        ``condition`` (one of :data:`CONDITIONS`).
    """
    if not 0 < scale <= 10:
        # Above 10 the 3-digit community codes (urban 001-199, rural 201-999) would clash.
        raise WusheError(f"scale must be in (0, 10], got {scale}.",
                         f"scale 须在 (0, 10] 之间,当前为 {scale}。")
    rng = np.random.default_rng(seed)
    b = Builder()
    if _divisions_text is not None:
        reg = regions_from_divisions(read_divisions(io.StringIO(_divisions_text)), cities,
                                     counties_per_city, townships_per_county)
    elif divisions is not None:
        reg = regions_from_divisions(read_divisions(divisions), cities, counties_per_city,
                                     townships_per_county)
    else:
        reg = synthetic_regions(rng, cities or 11, counties_per_city or 8,
                                townships_per_county or 16)
    pl = _places(rng, b, reg, scale, communities)
    cm = _communities(rng, b, pl)
    og = _organizations(rng, b, pl, cm)
    wk = _workers(rng, b, pl, cm, og)
    ch = _charity(rng, b, pl, cm)
    _party_committees(rng, b, cm, og, ch)
    vo = _volunteers(rng, b, cm, og, volunteers)
    pr = _projects(rng, b, cm)
    _project_roles(rng, b, cm, og, wk, ch, vo, pr)
    _needs(rng, b, cm, pr)
    profiles = pd.DataFrame({
        "id": strings(cm.ids), "kind": pd.Series(cm.kind, dtype="str"),
        "mode": pd.Series(np.array(MODES)[cm.mode], dtype="str"),
        "condition": pd.Series(cm.cond_names, dtype="str"),
    })
    return b.tables(), profiles


def generate(
    *, seed: int = 1, divisions: Path | str | None = None, cities: int | None = None,
    counties_per_city: int | None = None, townships_per_county: int | None = None,
    scale: float = 1.0, volunteers: int | None = None, communities: int | None = None,
) -> GraphTables:
    """Generate a synthetic province as :class:`~graph.tables.GraphTables`.

    Parameters
    ----------
    seed : int, optional (default=1)
        Seed of the one ``numpy.random.Generator``; the same arguments give identical tables.
    divisions : path, optional
        A divisions CSV (city_code, city_name, county_code, county_name, township_code,
        township_name, township_kind) whose real codes and names become the City, County
        and Township nodes. Without it, names and codes (province 99) are invented.
    cities, counties_per_city, townships_per_county : int, optional
        Keep the first N of each level (from the file), or the size of the invented
        hierarchy (defaults 11 × 8 × 16 ≈ 1,408 townships).
    scale : float, optional (default=1.0)
        Multiplies the communities per township (stochastic rounding, at least one per
        township) and with them every per-community actor; 0.1 gives a 10% province.
    volunteers : int, optional
        Total volunteers; default 15.4 million × population / 66.27 million.
    communities : int, optional
        Target total of communities (rescales the per-township counts; combines with scale).

    Returns
    -------
    GraphTables
        Node frames (``id`` + schema props; phone and ID number are never generated) and
        relationship frames (``from``, ``to``, ``from_label``, ``to_label`` + props).

    Raises
    ------
    WusheError
        If the divisions file lacks a column or has an unknown township kind, or scale ≤ 0.

    Examples
    --------
    >>> t = generate(seed=3, cities=1, counties_per_city=1, townships_per_county=2,
    ...              volunteers=100)
    >>> len(t.nodes["Township"]), len(t.nodes["Volunteer"])
    (2, 100)
    """
    return generate_with_profiles(
        seed=seed, divisions=divisions, cities=cities, counties_per_city=counties_per_city,
        townships_per_county=townships_per_county, scale=scale, volunteers=volunteers,
        communities=communities)[0]


def _write_tables(tables: GraphTables, out_dir: Path) -> dict[str, int]:
    """Write each table as <name>.csv in the import format; return rows per table."""
    # One table per call: write_tables formats all its tables as text before writing, and
    # the text of 15 million volunteers next to everything else would cost ~10 GiB.
    for name, df in tables.nodes.items():
        write_tables(GraphTables(nodes={name: df}), out_dir)
    for name, df in tables.rels.items():
        write_tables(GraphTables(rels={name: df}), out_dir)
    return tables.counts()


def generate_to(out_dir: Path | str, **kwargs: object) -> dict[str, int]:
    """Generate a province (see :func:`generate`) and write it as import CSVs.

    Parameters
    ----------
    out_dir : path
        Folder to write ``<Label>.csv`` and ``<REL_TYPE>.csv`` into (created if missing).
    **kwargs
        The keyword arguments of :func:`generate`.

    Returns
    -------
    dict
        Rows written per label and relationship type.
    """
    tables = generate(**kwargs)  # type: ignore[arg-type]
    return _write_tables(tables, Path(out_dir))


def sample_tables() -> GraphTables:
    """The sample province's tables: 15 real townships of 杭州市 (西湖区 and 桐庐县), seed
    :data:`SAMPLE_SEED`, :data:`SAMPLE_VOLUNTEERS` volunteers."""
    return generate_with_profiles(seed=SAMPLE_SEED, volunteers=SAMPLE_VOLUNTEERS,
                                  _divisions_text=SAMPLE_DIVISIONS)[0]


def make_sample(out_dir: Path | str) -> dict[str, int]:
    """Write the committed ``sample_data/`` CSVs (byte for byte) into ``out_dir``.

    See :func:`sample_tables`; needs no file outside the package.
    """
    return _write_tables(sample_tables(), Path(out_dir))
