"""The per-community and per-township tables the analysis starts from.

Every number here is counted by a named query in ``queries/analysis/`` (the database does
the aggregation); this module only runs them and joins the results on their keys.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from wushe.graph.analytics.config import DEFAULT_TARGET_SET, target_due, threshold
from wushe.graph.backends.base import GraphBackend
from wushe.graph.schema import SCHEMA
from wushe.queries import registry

__all__ = ["Facts", "load_facts", "object_strings", "element_of_label", "Years", "ALL_YEARS",
           "DEFAULT_AS_OF"]

Years = tuple[int, int] | None
ALL_YEARS = (0, 9999)
#: the policy's end (到2025年底): targets are judged, and ratings must be valid, on this date
DEFAULT_AS_OF = target_due(DEFAULT_TARGET_SET)
_TIMEOUT_S = 600.0
_WORKERS = 2


def element_of_label(labels: pd.Series) -> pd.Series:
    """Map node labels to the five elements (PartyCommittee → community, Station → worker)."""
    mapping = {n.name: n.element for n in SCHEMA.nodes if n.element}
    return labels.map(mapping)


@dataclass(frozen=True)
class Facts:
    """Aggregates fetched from the store for one analysis window.

    communities : one row per community (profile, region ids, element and org counts)
    townships : one row per township (stations, township-level orgs and foundations)
    projects : one row per (community, project) in the window
    participants : one row per (community, project, actor, role), funders included
        (role ``FUNDS``, with ``amount`` and ``channel``), with the actor's ``element``
    organizations, foundations, needs : candidate resources and unmet needs
    rated_orgs : 4A+ organizations valid on ``as_of``, with registration level and base
    links : (community_id, resource_id) organizations and charity resources based in or
        serving a community (matches never propose them to it)
    as_of : the date targets are judged at
    """

    years: tuple[int, int]
    communities: pd.DataFrame
    townships: pd.DataFrame
    projects: pd.DataFrame
    participants: pd.DataFrame
    organizations: pd.DataFrame
    foundations: pd.DataFrame
    needs: pd.DataFrame
    rated_orgs: pd.DataFrame = field(default_factory=pd.DataFrame)
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    as_of: dt.date = DEFAULT_AS_OF


def object_strings(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its Arrow-backed string columns as plain object columns (in place).

    Arrow-backed strings make every merge/sort "take" slow (seconds per call on a
    province); plain object columns are several times faster for the analysis's joins.
    """
    for col in df.columns:
        if pd.api.types.is_string_dtype(df[col]) and df[col].dtype != object:
            df[col] = df[col].astype(object)
    return df


def _run(backend: GraphBackend, name: str, **params: object) -> pd.DataFrame:
    return object_strings(registry.run(backend, name, timeout_s=_TIMEOUT_S, **params))


def load_facts(backend: GraphBackend, *, years: Years = None,
               as_of: dt.date | None = None) -> Facts:
    """Run the analysis queries and join their rows.

    Parameters
    ----------
    backend : GraphBackend
    years : (int, int), optional
        Inclusive project-year window; all years when omitted.
    as_of : datetime.date, optional (default=2025-12-31)
        The date targets are judged at: ratings whose expiry is before it do not count
        as 4A+.
    """
    y0, y1 = years or ALL_YEARS
    window = {"year_from": int(y0), "year_to": int(y1)}
    as_of = as_of or target_due()
    calls: dict[str, dict[str, object]] = {
        "community_profile": {},
        "community_counts": {},
        "community_volunteers": {},
        "community_org_counts": {
            "min_activities": int(threshold("highly_active_min_activities")),
            "min_active_months": int(threshold("highly_active_min_months")),
            "active_months": int(threshold("active_volunteer_org_min_months"))},
        "township_counts": {},
        "rated_organizations": {"as_of": as_of},
        "community_resource_links": {},
        "community_projects": window,
        "community_project_actors": window,
        "community_project_funds": window,
        "organization_profile": {},
        "organization_workers": {},
        "organization_projects": window,
        "foundation_local_funding": {},
        "unmet_needs": {},
    }
    # The store runs queries outside the GIL: two at a time use both cores.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        futures = {name: pool.submit(_run, backend, name, **params)
                   for name, params in calls.items()}
        res = {name: f.result() for name, f in futures.items()}
    profile, counts, org_counts = (res["community_profile"], res["community_counts"],
                                   res["community_org_counts"])
    volunteers = res["community_volunteers"]
    comm = (profile.merge(counts, on="community_id", how="left")
            .merge(volunteers, on="community_id", how="left")
            .merge(org_counts, on="community_id", how="left"))
    num_cols = [c for c in (*counts.columns, *volunteers.columns, *org_counts.columns)
                if c != "community_id"]
    comm[num_cols] = comm[num_cols].fillna(0).astype("int64")
    for col in ("population", "complex_star", "fulltime_workers", "certified_workers"):
        comm[col] = pd.to_numeric(comm[col], errors="coerce").astype("float64")
    townships = res["township_counts"]
    projects = res["community_projects"]
    # unordered in the query (an ORDER BY over ~0.5M rows costs seconds); sort once here
    actors = res["community_project_actors"].sort_values(
        ["community_id", "project_id", "actor_id", "role"], ignore_index=True)
    funds = res["community_project_funds"]
    funds = funds.rename(columns={"funder_id": "actor_id", "funder_name": "actor_name"}
                         ).assign(role="FUNDS")
    actors = actors.assign(amount=0.0, channel=None)
    participants = pd.concat([actors, funds[actors.columns]], ignore_index=True)
    participants["amount"] = pd.to_numeric(participants["amount"]).fillna(0.0)
    participants["element"] = element_of_label(participants["label"])
    # Counts come only for organizations that have workers / projects: zero elsewhere.
    organizations = (res["organization_profile"]
                     .merge(res["organization_workers"], on="org_id", how="left")
                     .merge(res["organization_projects"], on="org_id", how="left"))
    org_num = ["workers", "projects_total", "projects_window"]
    organizations[org_num] = organizations[org_num].fillna(0).astype("int64")
    foundations = res["foundation_local_funding"]
    needs = res["unmet_needs"]
    # an organization based in two places is still one rated organization
    rated = res["rated_organizations"].drop_duplicates("org_id", ignore_index=True)
    return Facts((int(y0), int(y1)), comm, townships, projects, participants,
                 organizations, foundations, needs, rated, res["community_resource_links"], as_of)
