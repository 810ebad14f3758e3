"""The researchers' Cypher corpus: reading it, comparing answers, and docs/cypher.md.

``tests/cypher_corpus.txt`` holds read statements written as a Neo4j user writes them,
grouped like the openCypher TCK's read features. Each is run on Neo4j as written and on
the embedded store through the translator (``tests/test_cypher_corpus.py``); the outcome
is *identical* (same columns, same typed values) or *refused* (with the portable form).
Any other outcome fails the test: there is no silent difference.

``python tests/cypher_corpus.py`` rewrites docs/cypher.md from the corpus; each row's
status comes from the translator (as written / translated / refused), and the parity test
is what makes "as written" and "translated" mean "gives Neo4j's answer".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wushe.graph.cypher import Untranslatable, parse_param, translate

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).with_name("cypher_corpus.txt")
DOC = ROOT / "docs" / "cypher.md"

__all__ = ["Case", "load_corpus", "typed_rows", "ordered", "render_doc", "status_of"]


@dataclass
class Case:
    """One corpus statement."""

    group: str
    construct: str
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)
    #: the translation guards rows Ladybug would answer differently, and this statement
    #: has such rows (marked ``# refused at run time`` in the corpus)
    refused_at_run_time: bool = False

    @property
    def id(self) -> str:
        return re.sub(r"\W+", "_", f"{self.group}_{self.construct}".lower()).strip("_")


def load_corpus(path: Path = CORPUS) -> list[Case]:
    """Cases of the corpus file: ``## Group`` headings, ``# construct`` then the statement
    (``# params: name=value; …`` optional), cases separated by blank lines."""
    cases: list[Case] = []
    group = ""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [ln for ln in block.strip().splitlines() if ln.strip()]
        construct, params, body, late = "", {}, [], False
        for ln in lines:
            if ln.strip() == "# refused at run time":
                late = True
            elif ln.startswith("## "):
                group = ln[3:].strip()
            elif ln.startswith("# params:"):
                params = dict(parse_param(p) for p in ln[9:].split(";") if p.strip())
            elif ln.startswith("# "):
                construct = ln[2:].strip()
            elif not ln.startswith("#"):
                body.append(ln)
        if body:
            cases.append(Case(group, construct, "\n".join(body), params, late))
    return cases


def status_of(case: Case) -> tuple[str, str]:
    """(status, detail) from the translator alone: as written, translated or refused."""
    try:
        t = translate(case.cypher, case.params)
    except Untranslatable as e:
        return "refused", e.portable
    if case.refused_at_run_time:
        return "refused at run time", "guarded: " + ", ".join(t.guards)
    if t.cypher.split() == case.cypher.split() and not t.post:
        return "as written", ""
    return "translated", "; ".join(t.rules)


def ordered(cypher: str) -> bool:
    """True when row order is defined: ORDER BY after the last RETURN."""
    upper = cypher.upper()
    last = upper.rfind("RETURN")
    return "ORDER BY" in upper[last:]


def typed(v: Any) -> Any:
    """A comparable typed form: ints and floats stay apart, floats to 12 digits."""
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or v is pd.NA or v is pd.NaT:
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("null",) if math.isnan(v) else ("float", float(f"{v:.12g}"))
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return ("date", v.date().isoformat()) if v.time() == dt.time(0) else ("dt", v.isoformat())
    if isinstance(v, dt.date):
        return ("date", v.isoformat())
    if isinstance(v, list | tuple):
        return ("list", tuple(typed(x) for x in v))
    if isinstance(v, dict):
        return ("map", tuple(sorted((k, typed(x)) for k, x in v.items())))
    return ("other", repr(v))


def typed_rows(df: pd.DataFrame, *, keep_order: bool) -> list[tuple[Any, ...]]:
    rows = [tuple(typed(v) for v in row) for row in df.itertuples(index=False, name=None)]
    return rows if keep_order else sorted(rows, key=repr)


def render_doc(cases: list[Case]) -> str:
    """docs/cypher.md: one row per construct with its status on the embedded store."""
    statuses = [status_of(c) for c in cases]
    n = len(cases)
    refused = sum(s.startswith("refused") for s, _ in statuses)
    out = [
        "# Neo4j's Cypher on both stores",
        "",
        "<!-- generated by `python tests/cypher_corpus.py` from tests/cypher_corpus.txt; "
        "tests/test_cypher_corpus.py fails when it is out of date -->",
        "",
        "`wushe query` and the console's editor read Cypher as Neo4j 5 does. On Neo4j it runs "
        "as written; on the embedded store (Ladybug) it is translated first "
        "(`graph/cypher/`). Each statement of the corpus below runs on both engines in CI: "
        "it gives Neo4j's answer (same columns, same typed values) or it is refused with the "
        "portable form shown here. No statement may give a different answer.",
        "",
        "控制台与 `wushe query` 按 Neo4j 5 的 Cypher 语义执行:在 Neo4j 上原样运行;在嵌入式存储上"
        "先翻译。下表每条语句都在 CI 中于两种引擎上运行:要么给出与 Neo4j 相同的结果,要么被拒绝"
        "并给出可移植写法,绝不给出不同的结果。",
        "",
        f"Corpus: **{n}** statements; **{n - refused}** answered as Neo4j answers "
        f"({100 * (n - refused) / n:.1f}%), **{refused}** refused with the portable form.",
        "",
        "Status: *as written* — runs unchanged; *translated* — rewritten by the named rules; "
        "*refused* — no exact form on the embedded store (use the portable form); *refused at "
        "run time* — translated with a guard that stops with an error, instead of a different "
        "answer, on the rows where the embedded store cannot give Neo4j's value.",
        "",
    ]
    out += [
        "## Known differences outside the corpus",
        "",
        "Found while building the translator; each is either refused or listed here so that "
        "it is never a surprise:",
        "",
        "- `keys(n)` lists the properties sorted by name on the embedded store; Neo4j gives "
        "them in no defined order (compare them sorted, or `UNWIND keys(n) AS k … ORDER BY k`).",
        "- `shortestPath` without an upper bound searches up to 30 hops on the embedded store; "
        "when several shortest paths exist, the two engines may return different ones (their "
        "length is the same).",
        "- A list built from expressions that mixes integers and floats (`[p.year, 1.5]`) holds "
        "only floats on the embedded store; with literals such a list is refused.",
        "- `sum()` over no rows is `0` on Neo4j; over a float property the embedded store gives "
        "`0.0`. Likewise a `CASE` or `coalesce()` whose values mix integers and floats computed "
        "in the query gives floats (with literals or typed properties it is refused).",
        "- `toUpper`/`toLower` of the few letters whose case mapping changes length (German ß, "
        "Turkish İ) differ: Neo4j follows Java, the embedded store maps letter by letter.",
        "- `x IN list` where the list is computed in the query and holds `null`: Neo4j answers "
        "`null`, the embedded store `false` (with a literal or parameter list this is refused).",
        "",
        "一些差异发生在语料之外:`keys()` 在嵌入式存储上按名称排序;无上限的 `shortestPath` "
        "最多搜索 30 跳,且多条等长最短路径时两引擎可能返回不同的一条;由表达式构成、混合整数与"
        "浮点数的列表(以及此类 `CASE`、`coalesce()`)在嵌入式存储上全为浮点数;"
        "对浮点属性的空 `sum()` 为 `0.0`;"
        "德语 ß、土耳其语 İ 的大小写转换不同;查询中计算出的"
        "含 `null` 列表用于 `IN` 时结果为 `false` 而非 `null`。",
        "",
    ]
    group = None
    for c, (status, detail) in zip(cases, statuses, strict=True):
        if c.group != group:
            group = c.group
            out += ["", f"## {group}", "",
                    "| construct | statement | status | rules / portable form |",
                    "|---|---|---|---|"]
        stmt = " ".join(c.cypher.split()).replace("|", "\\|")
        if c.params:
            stmt += " — params " + ", ".join(f"`{k}`={v!r}" for k, v in c.params.items())
        detail = detail.replace("|", "\\|")
        out.append(f"| {c.construct} | `{stmt}` | {status} | {detail} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    DOC.write_text(render_doc(load_corpus()), encoding="utf-8")
    print(f"wrote {DOC}")
