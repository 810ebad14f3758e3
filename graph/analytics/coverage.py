"""Element coverage and linkage density per community (docs/metrics.md §2).

Inputs are the per-community counts and the window's project participants returned by
queries/analysis; everything below is vectorised pandas.
"""

from __future__ import annotations

import pandas as pd

from wushe.graph.analytics.facts import Facts
from wushe.graph.analytics.network import pair_counts
from wushe.graph.schema import ELEMENT_ORDER

__all__ = ["coverage", "density", "ELEMENT_PAIRS"]

#: the 10 unordered pairs of the five elements
ELEMENT_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (a, b) for i, a in enumerate(ELEMENT_ORDER) for b in ELEMENT_ORDER[i + 1:])


def _project_elements(facts: Facts) -> pd.DataFrame:
    """Unique (community, project, element) rows of the window's participants."""
    p = facts.participants
    return p[["community_id", "project_id", "element"]].dropna().drop_duplicates()


def coverage(facts: Facts) -> pd.DataFrame:
    """Which of the five elements each community has (present) and links through projects.

    present: community always; organization if an organization is BASED_IN or SERVES it;
    worker if a social worker WORKS_AT it or at a station of its township; volunteer if a
    volunteer LIVES_IN it; charity if a charity resource is BASED_IN it or funds one of its
    projects in the window. linked: the element takes a role on a project of the community
    in the window together with at least one other element.
    """
    c = facts.communities[["community_id", "community", "township_id", "county_id",
                           "city_id"]].copy()
    comm = facts.communities.set_index("community_id")
    town = facts.townships.set_index("township_id")
    station_workers = comm["township_id"].map(town["station_workers"]).fillna(0)
    pe = _project_elements(facts)
    funded_by_charity = set(pe.loc[pe["element"] == "charity", "community_id"])
    present = pd.DataFrame({
        "community": True,
        "organization": (comm["orgs_based"] + comm["orgs_serving"]) > 0,
        "worker": (comm["workers"] > 0) | (station_workers > 0),
        "volunteer": comm["volunteers"] > 0,
        "charity": (comm["foundations"] > 0) | comm.index.isin(funded_by_charity),
    }, index=comm.index)
    n_el = pe.groupby(["community_id", "project_id"])["element"].transform("size")
    linked_pairs = pe.loc[n_el >= 2, ["community_id", "element"]].drop_duplicates()
    linked = (linked_pairs.assign(v=True)
              .pivot_table(index="community_id", columns="element", values="v",
                           aggfunc="any", fill_value=False)
              .reindex(index=comm.index, columns=list(ELEMENT_ORDER), fill_value=False)
              .astype(bool))
    out = c.set_index("community_id")
    for e in ELEMENT_ORDER:
        out[f"present_{e}"] = present[e].astype(bool)
    for e in ELEMENT_ORDER:
        out[f"linked_{e}"] = linked[e]
    out["n_present"] = present.sum(axis=1).astype(int)
    out["n_linked"] = linked.sum(axis=1).astype(int)
    return out.reset_index()


def density(facts: Facts) -> pd.DataFrame:
    """Linkage density per community over the window.

    Returns
    -------
    DataFrame
        ``projects``; ``element_pairs`` (of the 10 element pairs, how many co-occur in at
        least one project) and ``element_density`` = element_pairs / 10; ``actors``,
        ``actor_edges`` (pairs of actors sharing a project) and ``actor_density`` =
        2·edges / (actors·(actors−1)) (0 with fewer than two actors);
        ``multi_element_projects`` (projects joining 3+ elements).
    """
    ids = facts.communities["community_id"]
    projects = facts.projects.groupby("community_id")["project_id"].nunique()
    pe = _project_elements(facts)
    el_pairs = pair_counts(pe, "element")
    per_project = pe.groupby(["community_id", "project_id"]).size()
    multi = (per_project >= 3).groupby(level="community_id").sum()
    pa = facts.participants[["community_id", "project_id", "actor_id"]].drop_duplicates()
    actors = pa.groupby("community_id")["actor_id"].nunique()
    edges = pair_counts(pa, "actor_id")
    out = pd.DataFrame({"community_id": ids})
    for name, s in (("projects", projects), ("element_pairs", el_pairs),
                    ("actors", actors), ("actor_edges", edges),
                    ("multi_element_projects", multi)):
        out[name] = out["community_id"].map(s).fillna(0).astype(int)
    out["element_density"] = out["element_pairs"] / len(ELEMENT_PAIRS)
    possible = out["actors"] * (out["actors"] - 1) / 2
    out["actor_density"] = (out["actor_edges"] / possible.where(possible > 0)).fillna(0.0)
    return out[["community_id", "projects", "element_pairs", "element_density", "actors",
                "actor_edges", "actor_density", "multi_element_projects"]]
