"""What the translator's rule modules share: the refusal, token helpers, schema facts."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from wushe.graph.cypher.lexer import Group, Node, Token
from wushe.graph.errors import WusheError
from wushe.graph.schema import SCHEMA

__all__ = ["Untranslatable", "GUARD_INDEX"]

_CLAUSES = {"MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "ORDER", "SKIP",
            "LIMIT", "UNION", "CALL", "YIELD"}
_KEYWORDS = _CLAUSES | {"AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "AS",
                        "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "BY", "ASC", "DESC",
                        "ASCENDING", "DESCENDING", "STARTS", "ENDS", "CONTAINS", "EXISTS",
                        "COUNT", "ALL", "ANY", "NONE", "SINGLE"}
_STRING_FUNCS = {"substring", "left", "right", "trim", "ltrim", "rtrim", "toupper", "tolower",
                 "replace", "reverse", "tostring", "upper", "lower"}
_PROPERTY_NAMES = frozenset({p.name for n in SCHEMA.nodes for p in n.all_props}
                           | {p.name for r in SCHEMA.rels for p in r.props})
_NOT_CALLS = _KEYWORDS - {"COUNT", "ANY", "ALL", "NONE", "SINGLE"}
_AGGREGATES = {"count", "collect", "sum", "avg", "min", "max", "stdev", "stdevp",
               "percentilecont", "percentiledisc"}
# Neo4j temporal accessor → Ladybug date_part specifier
_DATE_PARTS = {"year": "year", "month": "month", "day": "day", "quarter": "quarter",
               "week": "week"}
_MAX_HOPS = 30  # Ladybug's default upper bound on variable-length patterns
#: a runtime guard fails with "index=GUARD_INDEX is out of range" (see _Rewriter._guard)
GUARD_INDEX = 9973
_COMPARISONS = {"=", "<>", "!=", "<", ">", "<=", ">="}
_TYPE_NAMES = {"STRING": ("text", "文本"), "INT64": ("an integer", "整数"),
               "DOUBLE": ("a number", "数值"), "DATE": ("a date", "日期"),
               "BOOL": ("a boolean", "布尔值")}


class Untranslatable(WusheError):
    """A Neo4j construct the embedded store cannot answer exactly; shows the portable form."""

    def __init__(self, construct: str, portable: str, why_en: str = "", why_zh: str = "", *,
                 zh: tuple[str, str] | None = None) -> None:
        # zh: (construct, portable form) in Chinese where they hold words, not only Cypher
        c_zh, p_zh = zh or (construct, portable)
        super().__init__(
            f"The embedded store cannot run {construct} with Neo4j's meaning"
            f"{': ' + why_en if why_en else ''}. Portable form: {portable}",
            f"嵌入式存储无法按 Neo4j 的语义执行{c_zh}"
            f"{':' + why_zh if why_zh else ''}。可移植写法:{p_zh}",
        )
        self.construct = construct
        self.portable = portable
        self.portable_zh = p_zh


def _solid(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if not (isinstance(n, Token) and n.kind == "ws")]


def _is(n: Node | None, text: str) -> bool:
    return isinstance(n, Token) and n.kind in ("op", "name") and n.upper == text.upper()


def _name(n: Node | None) -> str | None:
    if isinstance(n, Token) and n.kind == "name":
        return n.text.strip("`")
    return None


def _literal(n: Node) -> tuple[bool, Any]:
    """(True, value) for a number, string, boolean or null literal token."""
    if not isinstance(n, Token):
        return False, None
    if n.kind == "num":
        return True, float(n.text) if any(c in n.text for c in ".eE") else int(n.text, 0)
    if n.kind == "str":
        return True, n.text[1:-1].encode().decode("unicode_escape") if "\\" in n.text \
            else n.text[1:-1]
    if n.kind == "name" and n.upper in ("TRUE", "FALSE", "NULL"):
        return True, {"TRUE": True, "FALSE": False, "NULL": None}[n.upper]
    return False, None


def _prop_type(name: str) -> str | None:
    """The schema type of a property name when every label/type that has it agrees."""
    types = {p.type for n in SCHEMA.nodes for p in n.all_props if p.name == name}
    types |= {p.type for r in SCHEMA.rels for p in r.props if p.name == name}
    return types.pop() if len(types) == 1 else None


def _py_type(v: Any) -> str | None:
    if isinstance(v, bool):
        return "BOOL"
    if isinstance(v, int):
        return "INT64"
    if isinstance(v, float):
        return "DOUBLE"
    if isinstance(v, str):
        return "STRING"
    if isinstance(v, dt.date):
        return "DATE"
    return None


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = [k for k in known if k.lower() == name.lower()] or difflib.get_close_matches(
        name, known, 1)
    return close[0] if close else ""


def _spaced(nodes: list[Node]) -> list[Node]:
    """Solid nodes joined by single spaces again (for re-emitting a sub-expression)."""
    out: list[Node] = []
    for n in nodes:
        if out:
            out.append(Token("ws", " "))
        out.append(n)
    return out


def _trailing_ws(items: list[Node]) -> str:
    tail = items[-1] if items else None
    return tail.text if isinstance(tail, Token) and tail.kind == "ws" else ""


def _comparable(a: str, b: str) -> bool:
    numbers = {"INT64", "DOUBLE"}
    return a == b or (a in numbers and b in numbers)


def _starts_pattern(nodes: list[Node]) -> bool:
    s = _solid(nodes)
    return bool(s) and isinstance(s[0], Group) and s[0].open == "("
