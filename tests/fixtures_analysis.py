"""The hand-drawn worked example of docs/metrics.md, as GraphTables.

One city, one county, two townships, seven communities. Each community is built to show
one linkage mode (C1 community-led, C2 organization-carrier, C3 worker-driven, C4
volunteer-assisted, C5 charity-leveraged, C6 mixed, C7 no projects) and the gap rules.
Every expected number in tests/test_analytics_*.py and docs/metrics.md is worked out by
hand from this drawing; keep them in step when you change it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from wushe.graph.analytics.facts import Facts
from wushe.graph.schema import SCHEMA
from wushe.graph.tables import GraphTables

__all__ = ["tiny_graph_tables", "shortlist_case_tables", "WINDOW", "load_tiny_store",
           "worked_example_facts", "write_worked_example_facts"]

#: the analysis window the worked example uses (P9, from 2019, falls outside it)
WINDOW = (2024, 2025)


def _org(oid: str, cat: str, *, community_org: bool = True, volunteer: bool = False,
         act: int = 2, months: int = 2, rating: str | None = None,
         expiry: dt.date | None = None, level: str | None = None) -> dict:
    return {"id": oid, "name": oid, "category": cat, "is_community_org": community_org,
            "is_volunteer_service": volunteer, "activities_12m": act,
            "active_months_12m": months, "rating": rating, "rating_expiry": expiry,
            "registration_level": level}


def _nulls_as_none(df: pd.DataFrame) -> pd.DataFrame:
    """Columns with no value become object None, which Arrow casts to any type."""
    for col in df.columns:
        if df[col].isna().all():
            df[col] = pd.Series([None] * len(df), dtype=object, index=df.index)
        elif df[col].dtype == object and df[col].isna().any():
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


def tiny_graph_tables() -> GraphTables:
    """The worked example (see the module docstring and docs/metrics.md §0)."""
    nodes: dict[str, list[dict]] = {k: [] for k in SCHEMA.node_names}
    rels: dict[str, list[dict]] = {k: [] for k in SCHEMA.rel_names}

    def rel(rtype: str, a: str, al: str, b: str, bl: str, **props: object) -> None:
        rels[rtype].append({"from": a, "to": b, "from_label": al, "to_label": bl, **props})

    nodes["City"].append({"id": "CI1", "name": "示例市"})
    nodes["County"].append({"id": "CO1", "name": "示例县"})
    rel("PART_OF", "CO1", "County", "CI1", "City")
    for t in ("T1", "T2"):
        nodes["Township"].append({"id": t, "name": f"{t}街道", "kind": "street"})
        rel("PART_OF", t, "Township", "CO1", "County")

    # id, township, kind, population, star, full-time workers, certified; None = left
    # blank (unknown, not zero): C4's star and C7's certified workers
    communities = [
        ("C1", "T1", "urban", 10000, 1, 10, 7),
        ("C2", "T1", "rural", 2000, 0, 5, 2),
        ("C3", "T1", "urban", 4000, 2, 4, 3),
        ("C4", "T2", "rural", 3000, None, 3, 1),
        ("C5", "T2", "urban", 5000, 1, 6, 4),
        ("C6", "T2", "urban", 6000, 0, 5, 3),
        ("C7", "T2", "rural", 1000, 0, 2, None),
    ]
    for cid, t, kind, pop, star, ft, cert in communities:
        nodes["Community"].append({"id": cid, "name": f"{cid}社区", "kind": kind,
                                   "population": pop, "households": pop // 3,
                                   "complex_star": star, "fulltime_workers": ft,
                                   "certified_workers": cert})
        rel("PART_OF", cid, "Community", t, "Township")

    # Party committees: PC1 is a big committee (大党委); C7 has none.
    for i in range(1, 7):
        nodes["PartyCommittee"].append({"id": f"PC{i}", "name": f"C{i}党委",
                                        "is_big_committee": i == 1, "member_units": 0})
        rel("LEADS", f"PC{i}", "PartyCommittee", f"C{i}", "Community")

    # Organizations based in communities.
    orgs: list[tuple[dict, str]] = []
    for i in range(1, 21):  # C1: 20 community orgs; 01-05 highly active; 01 volunteer service
        active = i <= 5
        orgs.append((_org(f"O1-{i:02d}", "志愿" if i == 1 else "文体", volunteer=i == 1,
                          act=12 if active else 2, months=6 if active else 2,
                          rating="4A" if i == 2 else None,
                          level="township" if i == 2 else None), "C1"))
    orgs += [
        (_org("O2-1", "服务", act=12, months=5, rating="5A", expiry=dt.date(2024, 6, 30)), "C2"),
        (_org("O2-2", "帮扶"), "C2"),
        (_org("O2-3", "调解"), "C2"),
        (_org("O3-1", "服务", act=20, months=8), "C3"),
        (_org("O4-1", "志愿", volunteer=True, act=12, months=6), "C4"),
        (_org("O4-2", "文体"), "C4"),
        (_org("O5-1", "慈善"), "C5"),
        (_org("O6-1", "服务"), "C6"),
        (_org("O6-2", "平安", community_org=False), "C6"),
    ]
    for o, home in orgs:
        nodes["Organization"].append(o)
        rel("BASED_IN", o["id"], "Organization", home, "Community")
    # Township-level organizations: OT1 a 4A social-work agency registered with the county,
    # OT2 an idle volunteer team.
    nodes["Organization"].append(_org("OT1", "服务", community_org=False, rating="4A",
                                      act=6, months=6, level="county"))
    rel("BASED_IN", "OT1", "Organization", "T1", "Township")
    rel("SERVES", "OT1", "Organization", "C3", "Community")
    rel("SERVES", "OT1", "Organization", "C1", "Community")  # links C1 and C3
    nodes["Organization"].append(_org("OT2", "志愿", community_org=False, volunteer=True,
                                      act=10, months=10))
    rel("BASED_IN", "OT2", "Organization", "T2", "Township")
    # OP1: a 5A foundation-type body registered with the province, based nowhere here.
    nodes["Organization"].append(_org("OP1", "慈善", community_org=False, rating="5A",
                                      level="province"))

    # Stations: T1 has a social-work station S1 and a registered, evaluated service centre
    # S2; T2 only an unregistered, unevaluated service centre S3 (no social-work station).
    nodes["Station"] += [
        {"id": "S1", "name": "T1社工站", "kind": "social_work_station", "certified_staff": 1},
        {"id": "S2", "name": "T1社会组织服务中心", "kind": "org_service_center",
         "evaluated": True, "registered": True},
        {"id": "S3", "name": "T2社会组织服务中心", "kind": "org_service_center",
         "evaluated": False, "registered": False, "certified_staff": 0},
    ]
    rel("LOCATED_IN", "S1", "Station", "T1", "Township")
    rel("LOCATED_IN", "S2", "Station", "T1", "Township")
    rel("LOCATED_IN", "S3", "Station", "T2", "Township")

    workers = [  # id, certificate, role, works at, its label
        ("W1", "intermediate", "community_worker", "C1", "Community"),
        ("W2", "assistant", "agency_worker", "OT1", "Organization"),
        ("W3", "intermediate", "agency_worker", "OT1", "Organization"),
        ("W4", "assistant", "station_worker", "S1", "Station"),
        ("W5", "none", "station_worker", "S1", "Station"),
        ("W6", "none", "community_worker", "C4", "Community"),
    ]
    for wid, cert, role, at, at_label in workers:
        nodes["SocialWorker"].append({"id": wid, "name": "张*", "certificate": cert,
                                      "role": role})
        rel("WORKS_AT", wid, "SocialWorker", at, at_label)

    volunteers = [("V1", "C1", 10.0), ("V2", "C4", 20.0), ("V3", "C4", 0.0),
                  ("V4", "C6", 5.0), ("V5", "C7", None)]
    for vid, home, hours in volunteers:
        nodes["Volunteer"].append({"id": vid, "name": "李*", "hours_12m": hours})
        rel("LIVES_IN", vid, "Volunteer", home, "Community")

    nodes["Foundation"] += [
        {"id": "F1", "name": "C5社区发展基金会", "kind": "community_foundation",
         "assets": 1_000_000.0},
        {"id": "F2", "name": "T1爱心企业", "kind": "enterprise_donor", "assets": 200_000.0},
        {"id": "F3", "name": "C6关爱基金", "kind": "charitable_fund", "assets": 50_000.0},
    ]
    rel("BASED_IN", "F1", "Foundation", "C5", "Community")
    rel("BASED_IN", "F2", "Foundation", "T1", "Township")
    rel("BASED_IN", "F3", "Foundation", "C6", "Community")

    projects = [  # id, community, scenario, year, budget
        ("P1", "C1", "民生微实事", 2025, 100_000.0),
        ("P2", "C2", "调解纠纷", 2025, 20_000.0),
        ("P3", "C3", "一老一小", 2025, 30_000.0),
        ("P4", "C3", "睦邻文化", 2024, 0.0),
        ("P5", "C4", "一老一小", 2025, 10_000.0),
        ("P6", "C5", "困难帮扶", 2025, 50_000.0),
        ("P7", "C6", "小区治理", 2025, 40_000.0),
        ("P9", "C2", "民生微实事", 2019, 8_000.0),
    ]
    for pid, cid, scen, year, budget in projects:
        nodes["Project"].append({"id": pid, "name": pid, "scenario": scen, "year": year,
                                 "budget": budget})
        rel("RUNS_IN", pid, "Project", cid, "Community")

    roles = [  # role, actor, actor label, project
        ("INITIATED", "C1", "Community", "P1"), ("LEADS", "PC1", "PartyCommittee", "P1"),
        ("DELIVERS", "O1-01", "Organization", "P1"),
        ("INITIATED", "O2-3", "Organization", "P2"), ("LEADS", "O2-3", "Organization", "P2"),
        ("INITIATED", "S1", "Station", "P3"), ("LEADS", "W4", "SocialWorker", "P3"),
        ("DELIVERS", "O3-1", "Organization", "P3"),
        ("INITIATED", "W4", "SocialWorker", "P4"), ("LEADS", "OT1", "Organization", "P4"),
        ("INITIATED", "V2", "Volunteer", "P5"), ("LEADS", "V2", "Volunteer", "P5"),
        ("DELIVERS", "O4-1", "Organization", "P5"),
        ("INITIATED", "F1", "Foundation", "P6"), ("LEADS", "F1", "Foundation", "P6"),
        ("DELIVERS", "O5-1", "Organization", "P6"),
        ("INITIATED", "O6-1", "Organization", "P7"), ("LEADS", "PC6", "PartyCommittee", "P7"),
        ("INITIATED", "C2", "Community", "P9"), ("LEADS", "PC2", "PartyCommittee", "P9"),
    ]
    for rtype, actor, label, pid in roles:
        rel(rtype, actor, label, pid, "Project")
    serves = [("V1", "Volunteer", "P1", 4.0), ("W1", "SocialWorker", "P1", 8.0),
              ("W4", "SocialWorker", "P4", 6.0), ("V4", "Volunteer", "P7", 3.0)]
    for actor, label, pid, hours in serves:
        rel("SERVES_IN", actor, label, pid, "Project", hours=hours)
    funds = [  # funder, label, project, amount, channel
        ("C1", "Community", "P1", 100_000.0, "government_purchase"),
        ("O2-1", "Organization", "P2", 5_000.0, "self_funded"),
        ("C2", "Community", "P2", 15_000.0, "government_purchase"),
        ("C3", "Community", "P3", 30_000.0, "government_purchase"),
        ("C4", "Community", "P5", 10_000.0, "government_purchase"),
        ("F1", "Foundation", "P6", 30_000.0, "foundation_grant"),
        ("F2", "Foundation", "P6", 10_000.0, "donation"),
        ("C5", "Community", "P6", 10_000.0, "government_purchase"),
        ("C6", "Community", "P7", 18_000.0, "government_purchase"),
        ("O6-1", "Organization", "P7", 22_000.0, "self_funded"),
    ]
    for actor, label, pid, amount, channel in funds:
        rel("FUNDS", actor, label, pid, "Project", amount=amount, channel=channel)

    nodes["Need"] += [
        {"id": "N1", "category": "孤困儿童关爱", "status": "open"},
        {"id": "N2", "category": "调解纠纷", "status": "open"},
        {"id": "N3", "category": "一老一小", "status": "met"},
    ]
    rel("RAISED_IN", "N1", "Need", "C7", "Community")
    rel("RAISED_IN", "N2", "Need", "C1", "Community")
    rel("RAISED_IN", "N3", "Need", "C2", "Community")
    rel("ADDRESSES", "P1", "Project", "N2", "Need")

    node_frames = {}
    for label, rows in nodes.items():
        if rows:
            cols = [p.name for p in SCHEMA.node(label).all_props]
            node_frames[label] = _nulls_as_none(pd.DataFrame(rows).reindex(columns=cols))
    rel_frames = {}
    for rtype, rows in rels.items():
        if rows:
            cols = ["from", "to", "from_label", "to_label",
                    *[p.name for p in SCHEMA.rel(rtype).props]]
            rel_frames[rtype] = _nulls_as_none(pd.DataFrame(rows).reindex(columns=cols))
    return GraphTables(node_frames, rel_frames)


def shortlist_case_tables() -> GraphTables:
    """The worked example plus project P8 in C1 (2025): O1-06 delivers it, O2-3 leads it.

    O1-06 then shares a neighbour (O2-3) with C2 but has a project, so its base fit (0.40)
    is below that of 19 idle organizations of T1 (0.55): a shortlist by base alone would
    drop it, while the documented score ranks it first for C2's low density (0.60).
    """
    t = tiny_graph_tables()

    def add(kind: str, name: str, rows: list[dict]) -> None:
        frames = t.nodes if kind == "node" else t.rels
        frames[name] = pd.concat([frames[name], pd.DataFrame(rows)], ignore_index=True)

    add("node", "Project", [{"id": "P8", "name": "P8", "scenario": "睦邻文化", "year": 2025,
                             "budget": 5_000.0}])
    add("rel", "RUNS_IN", [{"from": "P8", "to": "C1", "from_label": "Project",
                            "to_label": "Community"}])
    add("rel", "DELIVERS", [{"from": "O1-06", "to": "P8", "from_label": "Organization",
                             "to_label": "Project"}])
    add("rel", "LEADS", [{"from": "O2-3", "to": "P8", "from_label": "Organization",
                          "to_label": "Project"}])
    return t


def load_tiny_store(folder: object, tables: GraphTables | None = None) -> object:
    """A real LadybugStore in ``folder`` loaded with ``tables`` (default
    :func:`tiny_graph_tables`)."""
    from wushe.graph.backends.ladybug_store import LadybugStore

    store = LadybugStore(folder)  # type: ignore[arg-type]
    store.load(tables or tiny_graph_tables(), replace=True)
    return store


# -- the worked example's Facts, without a store --------------------------------------------
#: the Facts of the worked example over WINDOW, one CSV per frame (what the analysis queries
#: return for it; tests/test_worked_example_facts.py keeps the files in step with them)
FACTS_DIR = Path(__file__).resolve().parent / "fixtures" / "worked_example_facts"


def write_worked_example_facts(folder: Path = FACTS_DIR) -> None:
    """Run the analysis queries on the worked example and write their Facts as CSV.

    Run ``python tests/fixtures_analysis.py`` after changing the example or the queries.
    """
    import tempfile

    from wushe.graph.analytics.facts import load_facts

    with tempfile.TemporaryDirectory() as tmp:
        store = load_tiny_store(Path(tmp) / "store")
        try:
            facts = load_facts(store, years=WINDOW)
        finally:
            store.close()
    folder.mkdir(parents=True, exist_ok=True)
    dtypes = {}
    for f in dataclasses.fields(facts):
        df = getattr(facts, f.name)
        if isinstance(df, pd.DataFrame):
            df.to_csv(folder / f"{f.name}.csv", index=False, lineterminator="\n")
            dtypes[f.name] = {c: str(t) for c, t in df.dtypes.items()}
    (folder / "dtypes.json").write_text(json.dumps(dtypes, indent=1) + "\n", encoding="utf-8")


def worked_example_facts() -> Facts:
    """The worked example's :class:`Facts` over :data:`WINDOW`, read from CSV (no store)."""
    dtypes = json.loads((FACTS_DIR / "dtypes.json").read_text(encoding="utf-8"))
    frames = {}
    for name, cols in dtypes.items():
        raw = pd.read_csv(FACTS_DIR / f"{name}.csv", dtype=object, keep_default_na=False)
        df = pd.DataFrame(index=raw.index)
        for col, dtype in cols.items():
            s = raw[col].where(raw[col] != "", None)
            if dtype == "bool":
                df[col] = s.map({"True": True, "False": False}).astype(bool)
            elif dtype in ("object", "str"):
                df[col] = s.astype(object) if dtype == "object" else s.astype("str")
            else:
                df[col] = pd.to_numeric(s).astype(dtype)
        frames[name] = df
    return Facts(WINDOW, **frames)


if __name__ == "__main__":
    write_worked_example_facts()
