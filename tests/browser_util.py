"""Helpers shared by the network-map, export, console and browser tests.

``tiny_linkage_tables()`` is a hand-drawn graph whose linkage projection is worked out by
hand in tests/test_netmap.py:

- township T1 (county K1, city C1) holds communities c1 and c2; township T2 holds c3;
- organization o1 (服务) is based in c1 and serves c2; o2 (志愿) is a volunteer team in c1,
  o3 (文体) is based in c2 and serves c3;
- worker w1 works at c1; volunteers v1, v2 live in c1 and are members of o2; foundation f1 is
  based in c1; party committee pc1 leads c1;
- project p1 (2024, 一老一小, in c1): c1 initiated, o1 leads, w1 delivers, v1 and v2 serve,
  f1 funds; p2 (2025, 睦邻文化, in c1): o1 leads, v1 serves, f1 funds; p3 (2024, 调解纠纷, in
  c2): o1 leads, w1 delivers;
- need n1 raised in c1, addressed by p1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from wushe.graph.tables import GraphTables, arrow_schema

__all__ = ["tiny_linkage_tables", "free_port"]


def _rels(rows: list[tuple], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    cols = ["from", "to", "from_label", "to_label", *extra]
    return pd.DataFrame(rows, columns=cols)


def tiny_linkage_tables() -> GraphTables:
    """The hand-drawn graph described in the module docstring."""
    n = {
        "City": pd.DataFrame([{"id": "C1", "name": "甲市", "code": "330100"}]),
        "County": pd.DataFrame([{"id": "K1", "name": "乙区", "code": "330102"}]),
        "Township": pd.DataFrame([
            {"id": "T1", "name": "丙街道", "code": "330102001", "kind": "street"},
            {"id": "T2", "name": "丁镇", "code": "330102100", "kind": "town"},
        ]),
        "Community": pd.DataFrame([
            {"id": "c1", "name": "一号社区", "kind": "urban", "population": 5000},
            {"id": "c2", "name": "二号社区", "kind": "urban", "population": 4000},
            {"id": "c3", "name": "三号村", "kind": "rural", "population": 1200},
        ]),
        "PartyCommittee": pd.DataFrame([{"id": "pc1", "name": "一号社区党委",
                                         "is_big_committee": True}]),
        "Organization": pd.DataFrame([
            {"id": "o1", "name": "阳光服务中心", "category": "服务", "rating": "4A",
             "is_community_org": True, "is_volunteer_service": False,
             "registered_on": dt.date(2020, 5, 1)},
            {"id": "o2", "name": "红马甲志愿队", "category": "志愿", "is_community_org": True,
             "is_volunteer_service": True},
            {"id": "o3", "name": "舞蹈队", "category": "文体", "is_community_org": True,
             "is_volunteer_service": False},
        ]),
        "SocialWorker": pd.DataFrame([{"id": "w1", "name": "王*明", "certificate": "intermediate",
                                       "role": "community_worker"}]),
        "Volunteer": pd.DataFrame([
            {"id": "v1", "name": "李*", "hours_12m": 40.0},
            {"id": "v2", "name": "赵*华", "hours_12m": 12.5},
        ]),
        "Foundation": pd.DataFrame([{"id": "f1", "name": "一号社区发展基金",
                                     "kind": "community_foundation", "assets": 200000.0}]),
        "Project": pd.DataFrame([
            {"id": "p1", "name": "助老餐桌", "scenario": "一老一小", "year": 2024,
             "budget": 50000.0},
            {"id": "p2", "name": "邻里节", "scenario": "睦邻文化", "year": 2025, "budget": 8000.0},
            {"id": "p3", "name": "调解室", "scenario": "调解纠纷", "year": 2024, "budget": 3000.0},
        ]),
        "Need": pd.DataFrame([{"id": "n1", "category": "一老一小", "status": "in_progress",
                               "description": "老人午餐"}]),
    }
    r = {
        "PART_OF": _rels([("K1", "C1", "County", "City"), ("T1", "K1", "Township", "County"),
                          ("T2", "K1", "Township", "County"),
                          ("c1", "T1", "Community", "Township"),
                          ("c2", "T1", "Community", "Township"),
                          ("c3", "T2", "Community", "Township")]),
        "LEADS": _rels([("pc1", "c1", "PartyCommittee", "Community"),
                        ("o1", "p1", "Organization", "Project"),
                        ("o1", "p2", "Organization", "Project"),
                        ("o1", "p3", "Organization", "Project")]),
        "BASED_IN": _rels([("o1", "c1", "Organization", "Community"),
                           ("o2", "c1", "Organization", "Community"),
                           ("o3", "c2", "Organization", "Community"),
                           ("f1", "c1", "Foundation", "Community")]),
        "SERVES": _rels([("o1", "c2", "Organization", "Community"),
                         ("o3", "c3", "Organization", "Community")]),
        "WORKS_AT": _rels([("w1", "c1", "SocialWorker", "Community")]),
        "LIVES_IN": _rels([("v1", "c1", "Volunteer", "Community"),
                           ("v2", "c1", "Volunteer", "Community")]),
        "MEMBER_OF": _rels([("v1", "o2", "Volunteer", "Organization"),
                            ("v2", "o2", "Volunteer", "Organization")]),
        "RUNS_IN": _rels([("p1", "c1", "Project", "Community"),
                          ("p2", "c1", "Project", "Community"),
                          ("p3", "c2", "Project", "Community")]),
        "INITIATED": _rels([("c1", "p1", "Community", "Project")]),
        "DELIVERS": _rels([("w1", "p1", "SocialWorker", "Project"),
                           ("w1", "p3", "SocialWorker", "Project")]),
        "SERVES_IN": _rels([("v1", "p1", "Volunteer", "Project", 10.0),
                            ("v2", "p1", "Volunteer", "Project", 4.0),
                            ("v1", "p2", "Volunteer", "Project", 3.0)], ("hours",)),
        "FUNDS": _rels([("f1", "p1", "Foundation", "Project", 20000.0, "foundation_grant"),
                        ("f1", "p2", "Foundation", "Project", 5000.0, "foundation_grant")],
                       ("amount", "channel")),
        "RAISED_IN": _rels([("n1", "c1", "Need", "Community")]),
        "ADDRESSES": _rels([("p1", "n1", "Project", "Need")]),
    }
    # every schema column present, missing values None (an all-NaN float column cannot
    # become a DATE or BOOL column)
    n = {k: _full(v, arrow_schema(k).names) for k, v in n.items()}
    r = {k: _full(v, [*arrow_schema(k).names, "from_label", "to_label"]) for k, v in r.items()}
    return GraphTables(nodes=n, rels=r)


def _full(df: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    out = df.reindex(columns=names).astype(object)
    return out.where(out.notna(), None)


def free_port() -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(tmp: Path, env: dict[str, str]) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with environment ``env``; yields its URL.

    The server's output goes to ``tmp/streamlit.log`` (its tail is in the error when the
    server does not start); the server is stopped on exit.
    """
    root = Path(__file__).resolve().parent.parent
    port = free_port()
    log_path = tmp / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError("streamlit did not start:\n"
                                       + log_path.read_text(errors="replace")[-3000:])
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
