"""Two versions of the worked example (tests/fixtures_analysis.py), differing by hand.

Version A is the worked example as drawn, with data date 2024-12-31. Version B (data date
2025-12-31) changes five things, each with a known effect on the comparison:

1. C1 loses its community social organization O1-20: C1 holds 19 instead of 20, so its
   "community orgs" target (20, urban) goes from met to not met (a gap opens), and the
   province average goes from 28/7 = 4.0 to 27/7.
2. P7 (C6) is led by the organization O6-1 instead of the Party committee PC6: C6's score
   vector goes from (1.45/3, 1.55/3, 0, 0, 0) to (0.45/3, 2.55/3, 0, 0, 0), so its mode
   changes from mixed to organization-carrier.
3. C2's population goes from 2,000 to 2,500 (one Community changed).
4. A volunteer V6 moves into C7 (one Volunteer added).
5. PC4 becomes a big Party committee (大党委; one PartyCommittee changed): C4's Party
   leadership goes from 50 to 100, its linkage index from 58 to 58 + 0.2 × 50 = 68, so C6
   (58), which shared rank 2 with C4, falls to rank 3.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from fixtures_analysis import tiny_graph_tables

from wushe.graph.tables import GraphTables

__all__ = ["version_a", "version_b", "DATE_A", "DATE_B"]

DATE_A = dt.date(2024, 12, 31)
DATE_B = dt.date(2025, 12, 31)


def version_a() -> GraphTables:
    """The worked example as drawn."""
    return tiny_graph_tables()


def version_b() -> GraphTables:
    """Version A with the four changes of the module docstring."""
    t = tiny_graph_tables()
    org = t.nodes["Organization"]
    t.nodes["Organization"] = org[org["id"] != "O1-20"].reset_index(drop=True)
    based = t.rels["BASED_IN"]
    t.rels["BASED_IN"] = based[based["from"] != "O1-20"].reset_index(drop=True)
    leads = t.rels["LEADS"]
    row = (leads["to"] == "P7") & (leads["from"] == "PC6")
    leads.loc[row, ["from", "from_label"]] = ["O6-1", "Organization"]
    pc = t.nodes["PartyCommittee"]
    pc.loc[pc["id"] == "PC4", "is_big_committee"] = True
    comm = t.nodes["Community"]
    comm.loc[comm["id"] == "C2", "population"] = 2500
    vol = t.nodes["Volunteer"]
    t.nodes["Volunteer"] = pd.concat(
        [vol, pd.DataFrame([{"id": "V6", "name": "王*", "hours_12m": 2.0}])],
        ignore_index=True)
    lives = t.rels["LIVES_IN"]
    t.rels["LIVES_IN"] = pd.concat([lives, pd.DataFrame([{
        "from": "V6", "to": "C7", "from_label": "Volunteer", "to_label": "Community"}])],
        ignore_index=True)
    return t
