"""Neo4j Cypher → Ladybug Cypher, for statements researchers type into the console or CLI.

Each rule below rewrites one construct whose Neo4j meaning Ladybug spells differently (or
gets silently wrong: 1-based ``substring``, rounding ``toInteger``, edge-repeating
variable-length paths, case-insensitive labels). A construct with no exact Ladybug form is
refused with :class:`Untranslatable`, whose message shows the portable form, so a
statement either gives Neo4j's answer or says why not — never a different answer.

The rules work on the bracket tree of :mod:`graph.cypher.lexer`, not on raw text, so
strings and comments are never rewritten. A handful of results are finished in Python
(``keys()``/``properties()``/``toString()`` as a whole result column): see
:attr:`Translation.post`.

Examples
--------
>>> translate("MATCH (c:Community) RETURN substring(c.code, 0, 6) AS p").cypher
'MATCH (c:Community) RETURN substring(c.code, 1, 6) AS p'
>>> translate("RETURN toInteger($x) AS i", {"x": 467.6}).params
{'x': 467.6, '_p1': 467}
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wushe.graph.cypher.lexer import Group, Node, Token, parse, split_commas, text_of
from wushe.graph.cypher.pyfuncs import PY_FUNCS, neo4j_to_string
from wushe.graph.errors import WusheError
from wushe.graph.schema import SCHEMA

__all__ = ["translate", "Translation", "Untranslatable", "apply_post", "GUARD_INDEX"]

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

    def __init__(self, construct: str, portable: str, why_en: str = "", why_zh: str = "") -> None:
        super().__init__(
            f"The embedded store cannot run {construct} with Neo4j's meaning"
            f"{': ' + why_en if why_en else ''}. Portable form: {portable}",
            f"嵌入式存储无法按 Neo4j 的语义执行 {construct}"
            f"{':' + why_zh if why_zh else ''}。可移植写法:{portable}",
        )
        self.construct = construct
        self.portable = portable


@dataclass
class Translation:
    """What to run on Ladybug, and what to finish in Python afterwards."""

    cypher: str
    params: dict[str, Any]
    #: result column → (Neo4j's column name, function applied to each value)
    post: dict[str, tuple[str, Callable[[Any], Any]]] = field(default_factory=dict)
    #: names of the rules that changed the statement (for docs/cypher.md)
    rules: list[str] = field(default_factory=list)
    #: what each runtime guard protects (the value Ladybug cannot give Neo4j's answer for)
    guards: list[str] = field(default_factory=list)


def translate(cypher: str, params: Mapping[str, Any] | None = None) -> Translation:
    """Rewrite a Neo4j Cypher read statement for Ladybug.

    Parameters
    ----------
    cypher : str
        One statement in Neo4j 5's dialect.
    params : mapping, optional
        Its parameters (typed values); functions applied to them are evaluated here.

    Returns
    -------
    Translation
        The Ladybug statement, its parameters and the Python finishing steps.

    Raises
    ------
    Untranslatable
        for a construct with no exact Ladybug form (the message shows the portable form).
    """
    r = _Rewriter(dict(params or {}))
    r.name_ends = any(f in cypher.lower() for f in ("startnode", "endnode"))
    tree = parse(cypher)
    r.check_comparisons(tree)
    _check_variable_case(tree)
    out = r.statement(tree, top=True)
    if r.fresh_rel_names and any(_is(n, "*") and _is(p, "RETURN") or _is(n, "*") and _is(
            p, "WITH") for p, n in zip(_solid(tree), _solid(tree)[1:], strict=False)):
        raise Untranslatable(
            "RETURN * with unnamed relationships", "name them, or list what to return",
            "the translation has to name them", "翻译需要为它们命名")
    return Translation(out, r.params, r.post, sorted(r.rules), r.guards)


def apply_post(df: Any, t: Translation) -> Any:
    """Finish a Ladybug result frame as :attr:`Translation.post` says (in place)."""
    for col, (_, fn) in t.post.items():
        if col in df.columns:
            df[col] = [fn(v) for v in df[col]]
    renames = {col: name for col, (name, _) in t.post.items() if col != name}
    if renames:
        df.columns = [renames.get(c, c) for c in df.columns]
    return df


# -- helpers --------------------------------------------------------------------------------


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


class _Rewriter:
    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.post: dict[str, tuple[str, Callable[[Any], Any]]] = {}
        self.rules: set[str] = set()
        self.var_label: dict[str, str] = {}
        self.var_type: dict[str, str] = {}
        self.varlen: set[str] = set()
        self.rel_ends: dict[str, tuple[str, str]] = {}
        self.name_ends = False
        self._extra_where: list[str] = []
        self.fresh_rel_names = False
        self.guards: list[str] = []
        self.collect_order: tuple[str, str] | None = None
        self._n = 0

    def _guard(self, bad: str, value: str, what: str) -> str:
        """``value``, but a runtime error on rows where ``bad`` holds (never a wrong value).

        Ladybug evaluates every CASE branch, so the error comes from an index that is out
        of range only on those rows.
        """
        self.guards.append(what)
        return (f"(CASE WHEN list_extract([true], CASE WHEN {bad} THEN {GUARD_INDEX} ELSE 1 "
                f"END) THEN {value} END)")

    # -- comparisons between different types ------------------------------------------

    def check_comparisons(self, items: list[Node]) -> None:
        """Refuse ``p.year >= '2024'``: Neo4j compares nothing, Ladybug casts the text."""
        s = _solid(items)
        for k, n in enumerate(s):
            if isinstance(n, Group):
                self.check_comparisons(n.items)
                continue
            if not (isinstance(n, Token) and n.text in _COMPARISONS or _is(n, ":") or
                    _is(n, "IN")):
                continue
            if k >= 3 and _is(s[k - 2], ".") and _name(s[k - 1]) and k + 1 < len(s):
                prop, other = _name(s[k - 1]) or "", s[k + 1]
            elif k + 3 < len(s) and _is(s[k + 2], ".") and _name(s[k + 3]) and k >= 1:
                prop, other = _name(s[k + 3]) or "", s[k - 1]
            elif _is(n, ":") and k >= 1 and _name(s[k - 1]) and k + 1 < len(s):
                prop, other = _name(s[k - 1]) or "", s[k + 1]  # {year: $y} in a pattern
            else:
                continue
            want = _prop_type(prop)
            got = self._value_type(other, many=_is(n, "IN"))
            if want and got and not _comparable(want, got):
                shown = text_of(other)
                raise Untranslatable(
                    f"comparing {prop} ({_TYPE_NAMES[want][0]}) with {shown} "
                    f"({_TYPE_NAMES[got][0]})",
                    "a value of the property's type, e.g. -p y=2024 for a number or "
                    "-p y='2024' for text",
                    "Neo4j finds no match between different types while Ladybug converts them",
                    f"{prop} 是{_TYPE_NAMES[want][1]},{shown} 是{_TYPE_NAMES[got][1]};"
                    "Neo4j 不会匹配不同类型,而 Ladybug 会自动转换")

    def _value_type(self, n: Node, *, many: bool) -> str | None:
        if isinstance(n, Token) and n.kind == "param":
            v = self.params.get(n.text[1:].strip("`"))
            if many and isinstance(v, list):
                types = {_py_type(x) for x in v if x is not None}
                return types.pop() if len(types) == 1 else None
            return None if many else _py_type(v)
        ok, v = _literal(n)
        return _py_type(v) if ok and not many else None

    # -- statements and clauses -------------------------------------------------------

    def statement(self, items: list[Node], *, top: bool = False) -> str:
        clauses = self._split_clauses(items)
        heads = [c[0] for c in clauses]
        out: list[str] = []
        final_return = max((i for i, h in enumerate(heads) if h == "RETURN"), default=-1)
        unions = "UNION" in heads
        for i, (head, kw, body) in enumerate(clauses):
            sub = [n for n in _solid(body) if isinstance(n, Group) and n.open == "{"]
            if head == "CALL" and sub and i == 0 and top and not self._has_union(sub[0]):
                self.rules.add("a leading CALL { … } subquery")
                out.append(" " + self._inline_call(sub[0]) + " ")
                continue
            if head == "CALL" and sub:
                raise Untranslatable(
                    "CALL { … } subqueries", "WITH … OPTIONAL MATCH … (or a top-level UNION)",
                    "Ladybug has no CALL subqueries", "Ladybug 不支持 CALL 子查询")
            if head in ("MATCH", "OPTIONAL") or (head == "" and _starts_pattern(body)):
                conds = self._unique_relationships(body)
                out.append(text_of(kw) + self.pattern(body))
                if conds and i + 1 < len(clauses) and clauses[i + 1][0] == "WHERE":
                    self._extra_where = conds
                elif conds:
                    out.append(f" WHERE {' AND '.join(conds)} ")
            elif head == "WHERE" and self._extra_where:
                conds, self._extra_where = self._extra_where, []
                out.append(f"{text_of(kw).rstrip()} ({self.expr(body).strip()}) AND "
                           f"{' AND '.join(conds)} ")
            elif head == "RETURN" and top and i == final_return and not unions:
                out.append(text_of(kw) + self.projection(body, final=True,
                                                         order=self._order_of(clauses, i)))
            elif head in ("WITH", "RETURN") or head == "UNWIND":
                self._record_aliases(body)
                out.append(text_of(kw) + self.expr(body))
            else:
                out.append(text_of(kw) + self.expr(body))
            if head == "ORDER" and i > 0 and self._with_before(clauses, i):
                nxt = heads[i + 1] if i + 1 < len(heads) else None
                if nxt not in ("SKIP", "LIMIT"):
                    later = "".join(text_of(b) for _, _, b in clauses[i + 1:])
                    key = self._single_sort_key(body)
                    if "collect" in later.lower() and key:
                        self.collect_order = key
                    elif "collect" in later.lower():
                        raise Untranslatable(
                            "WITH … ORDER BY followed by collect()",
                            "RETURN the rows with ORDER BY and build the list in the client",
                            "Ladybug does not keep the order into an aggregation",
                            "Ladybug 的聚合不保留 WITH 的排序")
                    self.rules.add("WITH … ORDER BY without SKIP/LIMIT")
                    out.append(" SKIP 0 ")
        return "".join(out)

    @staticmethod
    def _has_union(g: Group) -> bool:
        return any(_is(n, "UNION") for n in g.items)

    def _inline_call(self, g: Group) -> str:
        """``CALL { … RETURN x } …`` first in a statement is ``… WITH x …``."""
        inner = self.statement(g.items)
        k = inner.upper().rfind("RETURN")
        return inner[:k] + "WITH" + inner[k + 6:]

    @staticmethod
    def _single_sort_key(body: list[Node]) -> tuple[str, str] | None:
        """(expression, ASC|DESC) when ORDER BY has exactly one key."""
        items = split_commas(body)
        if len(items) != 1:
            return None
        s = _solid(items[0])
        direction = "ASC"
        if s and (_is(s[-1], "DESC") or _is(s[-1], "DESCENDING")):
            direction, s = "DESC", s[:-1]
        elif s and (_is(s[-1], "ASC") or _is(s[-1], "ASCENDING")):
            s = s[:-1]
        return ("".join(text_of(n) for n in s), direction) if s else None

    @staticmethod
    def _split_clauses(items: list[Node]) -> list[tuple[str, list[Node], list[Node]]]:
        """(head keyword, keyword tokens, body) for each clause at this level."""
        clauses: list[tuple[str, list[Node], list[Node]]] = []
        i = 0
        lead: list[Node] = []
        while i < len(items):
            n = items[i]
            prev = next((x for x in reversed(clauses[-1][2] if clauses else lead)
                         if not (isinstance(x, Token) and x.kind == "ws")), None)
            if isinstance(n, Token) and n.kind == "name" and n.upper in _CLAUSES and not _is(
                    prev, "."):
                kw = [n]
                head = n.upper
                j = i + 1
                follow = {"OPTIONAL": "MATCH", "ORDER": "BY", "UNION": "ALL"}.get(head)
                if follow:
                    k = j
                    while k < len(items) and isinstance(items[k], Token) and (
                            items[k].kind == "ws"):
                        k += 1
                    if k < len(items) and _is(items[k], follow):
                        kw.extend(items[j:k + 1])
                        j = k + 1
                clauses.append((head, lead + kw, []))
                lead = []
                i = j
                continue
            if clauses:
                clauses[-1][2].append(n)
            else:
                lead.append(n)
            i += 1
        if lead:
            clauses.insert(0, ("", [], lead))
        return clauses

    @staticmethod
    def _with_before(clauses: list[tuple[str, list[Node], list[Node]]], i: int) -> bool:
        for head, _, _ in reversed(clauses[:i]):
            if head in ("WITH", "RETURN"):
                return head == "WITH"
        return False

    @staticmethod
    def _order_of(clauses: list[tuple[str, list[Node], list[Node]]], i: int) -> str:
        return "".join(text_of(b) for h, _, b in clauses[i + 1:] if h == "ORDER")

    def _record_aliases(self, body: list[Node]) -> None:
        """Remember the type of ``expr AS alias`` where it is known (for d.year on dates)."""
        for item in split_commas(body):
            s = _solid(item)
            if len(s) >= 3 and _is(s[-2], "AS") and _name(s[-1]):
                t = self._type_of(s[:-2])
                if t:
                    self.var_type[_name(s[-1]) or ""] = t

    # -- projections (final RETURN: some columns are finished in Python) ---------------

    def projection(self, body: list[Node], *, final: bool, order: str) -> str:
        """A RETURN body; in the final RETURN some columns are finished in Python."""
        s = _solid(body)
        if not final or (s and _is(s[0], "*")):
            return self.expr(body)
        lead: list[Node] = []
        items = list(body)
        if s and _is(s[0], "DISTINCT"):
            k = items.index(s[0])
            lead, items = items[:k + 1], items[k + 1:]
        parts = split_commas(items)
        post_ok = not lead and not any(self._has_aggregate(it) for it in parts)
        out = []
        for item in parts:
            text = self._post_item(item, order) if post_ok else None
            out.append(text if text is not None else self._plain_item(item, order))
        return text_of(lead) + ",".join(out)

    def _plain_item(self, item: list[Node], order: str) -> str:
        """Translate one item; keep Neo4j's column name when the text changed."""
        s = _solid(item)
        text = self.expr(item)
        if len(s) >= 3 and _is(s[-2], "AS"):
            return text
        orig = text_of(item).strip()
        simple = len(s) == 1 or (len(s) == 3 and _is(s[1], ".")) or _is(s[0], "*")
        if (simple and text.strip() == orig) or orig in order:
            return text
        tmp = self._fresh("_c")
        self.post[tmp] = (orig, _same)
        return f"{text.rstrip()} AS {tmp}{_trailing_ws(item)}"

    def _post_item(self, item: list[Node], order: str) -> str | None:
        s = _solid(item)
        alias = None
        expr = s
        if len(s) >= 3 and _is(s[-2], "AS"):
            alias, expr = _name(s[-1]), s[:-2]
        if len(expr) == 2 and isinstance(expr[1], Group) and expr[1].open == "{" and [
                text_of(x) for x in _solid(expr[1].items)] == [".", "*"]:
            col = alias or text_of(item).strip()
            tmp = alias or self._fresh("_c")
            self.post[tmp] = (col, _props_of)
            self.rules.add("map projection v {.*} on a result column")
            return f" {expr[0].text} AS {tmp}{_trailing_ws(item)}"
        if len(expr) != 2 or not isinstance(expr[1], Group) or expr[1].open != "(":
            return None
        fname = (_name(expr[0]) or "").lower()
        fns: dict[str, Callable[[Any], Any]] = {
            "keys": _keys_of, "properties": _props_of, "tostring": neo4j_to_string}
        if fname not in fns:
            return None
        if fname == "tostring" and self._type_of(_solid(expr[1].items)) in ("STRING", "INT64"):
            return None
        args = split_commas(expr[1].items)
        if len(args) != 1:
            return None
        col = alias or text_of(item).strip()
        if col in order:
            return None  # ORDER BY on the converted value: translate in the statement
        inner = self.expr(args[0]).strip()
        tmp = alias or self._fresh("_c")
        self.post[tmp] = (col, fns[fname])
        self.rules.add(f"{expr[0].text}() on a result column")
        return f" {inner} AS {tmp}{_trailing_ws(item)}"

    def _has_aggregate(self, nodes: list[Node]) -> bool:
        s = _solid(nodes)
        for k, n in enumerate(s):
            if isinstance(n, Group):
                if self._has_aggregate(n.items):
                    return True
            elif (_name(n) or "").lower() in _AGGREGATES and k + 1 < len(s) and isinstance(
                    s[k + 1], Group) and s[k + 1].open == "(":
                return True
        return False

    # -- patterns -------------------------------------------------------------------------

    def pattern(self, items: list[Node]) -> str:
        """A MATCH body: patterns, then an optional WHERE (handled as its own clause)."""
        out: list[str] = []
        i = 0
        while i < len(items):
            n = items[i]
            nm = (_name(n) or "").lower()
            nxt = self._next(items, i)
            if nm in ("shortestpath", "allshortestpaths") and nxt is not None and isinstance(
                    items[nxt], Group):
                self.rules.add("shortestPath / allShortestPaths")
                out.append(self._path_pattern(items[nxt].items,
                                              "ALL SHORTEST" if nm[0] == "a" else "SHORTEST"))
                i = nxt + 1
                continue
            if isinstance(n, Group) and n.open == "(":
                out.append(self._node_pattern(n))
                self._note_rel_ends(items, i)
            elif isinstance(n, Group) and n.open == "[":
                out.append(self._rel_pattern(n, None))
            elif isinstance(n, Group):
                out.append(n.open + self.expr(n.items) + {"{": "}", "[": "]"}[n.open])
            else:
                out.append(n.text)
            i += 1
        return "".join(out)

    def _unique_relationships(self, items: list[Node]) -> list[str]:
        """Conditions making a MATCH's relationships distinct, as Neo4j matches them.

        Neo4j never binds one relationship to two relationship patterns of the same MATCH;
        Ladybug does. Patterns whose types overlap get a name (when anonymous) and an
        ``id(a) <> id(b)`` condition.
        """
        rels: list[tuple[int, str | None, set[str] | None, bool]] = []
        k = 0
        while k < len(items):
            n = items[k]
            if isinstance(n, Group) and n.open == "[":
                s = _solid(n.items)
                star = any(_is(x, "*") for x in s)
                var = _name(s[0]) if s and _name(s[0]) else None
                types = {_name(s[j + 1]) or "" for j, x in enumerate(s[:-1])
                         if (_is(x, ":") or _is(x, "|")) and _name(s[j + 1])} or None
                rels.append((k, var, types, star))
            elif isinstance(n, Token) and n.text in ("-", "<-"):
                j = self._next(items, k)
                if j is not None and isinstance(items[j], Token) and items[j].text in (
                        "-", "->") and not (n.text == "<-" and items[j].text == "->"):
                    g = Group("[")
                    items.insert(k + 1, g)
                    rels.append((k + 1, None, None, False))
                    k += 1
            k += 1
        conds = []
        for x in range(len(rels)):
            for y in range(x + 1, len(rels)):
                a, b = rels[x], rels[y]
                if a[2] is not None and b[2] is not None and not a[2] & b[2]:
                    continue
                if a[3] or b[3]:
                    raise Untranslatable(
                        "a variable-length pattern sharing relationship types with another "
                        "pattern of the same MATCH",
                        "give the relationships different types, or match them in two MATCH "
                        "clauses and compare them yourself",
                        "Ladybug may reuse one relationship for both",
                        "Ladybug 可能让同一关系同时匹配两个模式")
                conds.append(f"id({self._rel_name(items, a)}) <> id({self._rel_name(items, b)})")
        if conds:
            self.rules.add("relationships of one MATCH are distinct")
        return conds

    def _rel_name(self, items: list[Node], rel: tuple[int, str | None, Any, bool]) -> str:
        g = items[rel[0]]
        assert isinstance(g, Group)
        s = _solid(g.items)
        if s and _name(s[0]):
            return _name(s[0]) or ""
        name = self._fresh("_r")
        g.items.insert(0, Token("name", name))
        self.fresh_rel_names = True
        return name

    def _note_rel_ends(self, items: list[Node], i: int) -> None:
        """After ``(a)-[r]->(b)``: remember that r starts at a and ends at b."""
        seq = []
        k: int | None = i
        while k is not None and len(seq) < 7:
            seq.append(items[k])
            k = self._prev(items, k)
        seq.reverse()  # … (a) <- [r] - (b)  or  (a) - [r] -> (b)
        if len(seq) < 5 or not isinstance(seq[-3], Group) or seq[-3].open != "[":
            return
        left, arrow_in, rel, arrow_out, right = seq[-5:]
        lv, rv = self._node_var(left), self._node_var(right)
        rs = _solid(rel.items) if isinstance(rel, Group) else []
        rvar = _name(rs[0]) if rs and not _is(rs[0], ":") else None
        if not (lv and rv and rvar) or any(_is(x, "*") for x in rs):
            return
        if _is(arrow_in, "-") and _is(arrow_out, "->"):
            self.rel_ends[rvar] = (lv, rv)
        elif _is(arrow_in, "<-") and _is(arrow_out, "-"):
            self.rel_ends[rvar] = (rv, lv)

    @staticmethod
    def _node_var(n: Node) -> str | None:
        if not isinstance(n, Group) or n.open != "(":
            return None
        s = _solid(n.items)
        return _name(s[0]) if s and not _is(s[0], ":") else None

    def _path_pattern(self, items: list[Node], mode: str) -> str:
        out = []
        for n in items:
            if isinstance(n, Group) and n.open == "(":
                out.append(self._node_pattern(n))
            elif isinstance(n, Group) and n.open == "[":
                out.append(self._rel_pattern(n, mode))
            else:
                out.append(text_of(n))
        return "".join(out)

    def _check_property(self, prop: str) -> None:
        """Refuse ``c.Population``: Neo4j finds no such property, Ladybug ignores case."""
        if prop in _PROPERTY_NAMES:
            return
        same = [p for p in _PROPERTY_NAMES if p.lower() == prop.lower()]
        if same:
            raise Untranslatable(
                f"the property '{prop}'", f"'{same[0]}'",
                "property names are case-sensitive in Neo4j but not in Ladybug",
                "Neo4j 的属性名区分大小写而 Ladybug 不区分")

    def _node_pattern(self, g: Group) -> str:
        s = _solid(g.items)
        for m in (x for x in s if isinstance(x, Group) and x.open == "{"):
            for part in split_commas(m.items):
                ps = _solid(part)
                if len(ps) >= 2 and _name(ps[0]) and _is(ps[1], ":"):
                    self._check_property(_name(ps[0]) or "")
        labels: list[str] = []
        var = _name(s[0]) if s and _name(s[0]) and not _is(s[0], ":") else None
        for k, n in enumerate(s):
            if _is(n, ":") and k + 1 < len(s) and _name(s[k + 1]):
                if k > 1 and _name(s[k - 1]) and labels:
                    raise Untranslatable(
                        f"the label conjunction ({text_of(g)})", "(n:A|B) for A or B",
                        "Ladybug reads (n:A:B) as A or B", "Ladybug 把 (n:A:B) 当作 A 或 B")
                labels.append(_name(s[k + 1]) or "")
            if _is(n, "|") and k + 1 < len(s) and _name(s[k + 1]):
                labels.append(_name(s[k + 1]) or "")
        for lab in labels:
            self._check_name(lab, SCHEMA.node_names, "label")
        if var and len(labels) == 1:
            self.var_label[var] = labels[0]
        if not var and self.name_ends:
            # name anonymous ends so that startNode()/endNode() can refer to them
            g.items.insert(0, Token("name", self._fresh("_n")))
        return "(" + "".join(
            self.expr([n]) if isinstance(n, Group) else n.text for n in g.items) + ")"

    def _rel_pattern(self, g: Group, shortest: str | None) -> str:
        s = _solid(g.items)
        star = next((k for k, n in enumerate(s) if _is(n, "*")), None)
        for k, n in enumerate(s):
            if (_is(n, ":") or _is(n, "|")) and k + 1 < len(s) and _name(s[k + 1]) and (
                    star is None or k < star):
                self._check_name(_name(s[k + 1]) or "", SCHEMA.rel_names, "relationship type")
        if star is None:
            return "[" + "".join(
                self.expr([n]) if isinstance(n, Group) else n.text for n in g.items) + "]"
        head = "".join(text_of(n) for n in s[:star])
        if s and _name(s[0]) and star > 0:
            self.varlen.add(_name(s[0]) or "")
        rest = s[star + 1:]
        props = ""
        if rest and isinstance(rest[-1], Group):
            props = " " + self.expr([rest[-1]])
            rest = rest[:-1]
        lo, hi = self._bounds(rest)
        if shortest:
            lo = 1 if lo is None else lo
            hi = _MAX_HOPS if hi is None else hi
            return f"[{head}* {shortest} {lo}..{hi}{props}]"
        if hi is None:
            raise Untranslatable(
                f"the unbounded variable-length pattern [{text_of(g.items)}]",
                f"[{head}*{lo if lo is not None else 1}..6] (give an upper bound)",
                "Ladybug caps it at 30 hops and may run out of memory",
                "Ladybug 最多 30 跳且可能耗尽内存")
        self.rules.add("variable-length paths without repeated relationships")
        return f"[{head}* TRAIL {1 if lo is None else lo}..{hi}{props}]"

    @staticmethod
    def _bounds(rest: list[Node]) -> tuple[int | None, int | None]:
        text = "".join(text_of(n) for n in rest).replace(" ", "")
        if not text:
            return None, None
        if ".." not in text:
            return int(text), int(text)
        lo, hi = text.split("..")
        return (int(lo) if lo else None), (int(hi) if hi else None)

    def _check_name(self, name: str, known: tuple[str, ...], what: str) -> None:
        if name in known:
            return
        guess = _suggest(name, known)
        if guess and guess.lower() == name.lower():
            raise Untranslatable(
                f"the {what} '{name}'", f"'{guess}'",
                f"{what}s are case-sensitive in Neo4j but not in Ladybug",
                "Neo4j 区分大小写而 Ladybug 不区分")

    # -- expressions ----------------------------------------------------------------------

    @staticmethod
    def _next(items: list[Node], i: int) -> int | None:
        for j in range(i + 1, len(items)):
            n = items[j]
            if not (isinstance(n, Token) and n.kind == "ws"):
                return j
        return None

    @staticmethod
    def _prev(items: list[Node], i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            n = items[j]
            if not (isinstance(n, Token) and n.kind == "ws"):
                return j
        return None

    def expr(self, items: list[Node], in_map: bool = False) -> str:
        out: list[str] = []
        i = 0
        while i < len(items):
            n = items[i]
            j = self._next(items, i)
            nx = items[j] if j is not None else None
            p = self._prev(items, i)
            pv = items[p] if p is not None else None
            if isinstance(n, Token) and n.kind == "name":
                nm = n.text.lower()
                # duration.inDays(a, b).days / duration.between(...)
                if nm == "duration" and _is(nx, "."):
                    text, i = self._duration(items, i)
                    out.append(text)
                    continue
                # a function call
                if isinstance(nx, Group) and nx.open == "(" and n.upper not in _NOT_CALLS \
                        and not _is(pv, "."):
                    text = self.call(n, nx)
                    i = (j or i) + 1
                    text, i = self._accessor(items, i, text, self._call_type(n, nx))
                    out.append(text)
                    continue
                if n.upper == "COLLECT" and isinstance(nx, Group) and nx.open == "{":
                    raise Untranslatable(
                        "COLLECT { … } subqueries", "OPTIONAL MATCH … WITH collect(x) AS xs",
                        "Ladybug has no COLLECT subqueries", "Ladybug 不支持 COLLECT 子查询")
                if n.upper in ("EXISTS", "COUNT") and isinstance(nx, Group) and nx.open == "{":
                    out.append(n.text + " " + self._subquery(nx))
                    i = (j or i) + 1
                    continue
                if n.upper == "EXISTS" and isinstance(nx, Group) and nx.open == "(":
                    arg = _solid(nx.items)
                    if len(arg) == 3 and _is(arg[1], "."):
                        self.rules.add("exists(n.prop)")
                        out.append(f"({self.expr(nx.items)} IS NOT NULL)")
                        i = (j or i) + 1
                        continue
                # map projection c {.id, .name}
                if isinstance(nx, Group) and nx.open == "{" and n.upper not in _KEYWORDS \
                        and not in_map:
                    out.append(self._map_projection(n.text, nx))
                    i = (j or i) + 1
                    continue
                # label predicate n:A (outside node patterns and map keys)
                if _is(nx, ":") and not in_map and n.upper not in _KEYWORDS:
                    k = self._next(items, j or i)
                    if k is not None and _name(items[k]):
                        text, i = self._label_predicate(items, i)
                        out.append(text)
                        continue
                # property access v.prop and temporal component access
                if _is(nx, ".") and n.upper not in _KEYWORDS:
                    k = self._next(items, j or i)
                    if k is not None and _name(items[k]):
                        base = n.text
                        prop = _name(items[k]) or ""
                        vt = self.var_type.get(n.text)
                        if vt == "DATE" and (prop in _DATE_PARTS or prop == "dayOfWeek"):
                            out.append(self._date_part(base, prop))
                            i = k + 1
                            continue
                        self._check_property(prop)
                        text = f"{base}.{items[k].text}"
                        text, i = self._accessor(items, k + 1, text, _prop_type(prop))
                        out.append(text)
                        continue
            if isinstance(n, Token) and n.kind == "num" and n.text.lower().startswith("0x"):
                out.append(str(int(n.text, 16)))
                i += 1
                continue
            if _is(n, "IN") and isinstance(nx, Group) and nx.open == "[" and any(
                    _is(x, "NULL") for x in _solid(nx.items)):
                raise Untranslatable(
                    f"IN {text_of(nx)} (a list holding null)", "a list without null",
                    "Neo4j answers null where Ladybug answers false",
                    "Neo4j 结果为 null,Ladybug 为 false")
            if isinstance(n, Group):
                if n.open == "[" and self._is_subscript(pv):
                    out[-1:] = [self._subscript(out[-1] if out else "", n)]
                elif n.open == "[":
                    out.append(self._list(n))
                elif n.open == "{":
                    out.append("{" + self.expr(n.items, in_map=True) + "}")
                elif self._is_pattern_paren(items, i):
                    out.append(self._inline_pattern(items, i))
                    i = self._pattern_end(items, i)
                    continue
                else:
                    out.append("(" + self.expr(n.items) + ")")
                i += 1
                continue
            out.append(n.text)
            i += 1
        return "".join(out)

    def _accessor(self, items: list[Node], i: int, text: str, typ: str | None
                  ) -> tuple[str, int]:
        """Apply ``.year``-style accessors following a date-valued expression."""
        j = self._next(items, i - 1) if i > 0 else None
        if j is None or not _is(items[j], "."):
            return text, i
        k = self._next(items, j)
        comp = _name(items[k]) if k is not None else None
        if typ == "DATE" and comp:
            if comp not in _DATE_PARTS and comp != "dayOfWeek":
                raise Untranslatable(f"the date component .{comp}",
                                     ".year, .month, .day, .quarter, .week or .dayOfWeek")
            return self._date_part(text, comp), (k or i) + 1
        return text, i

    def _date_part(self, base: str, comp: str) -> str:
        self.rules.add("temporal component access (d.year, d.month …)")
        if comp == "dayOfWeek":
            return (f"CASE date_part('dayofweek', {base}) WHEN 0 THEN 7 "
                    f"ELSE date_part('dayofweek', {base}) END")
        return f"date_part('{_DATE_PARTS[comp]}', {base})"

    def _duration(self, items: list[Node], i: int) -> tuple[str, int]:
        j = self._next(items, i)
        k = self._next(items, j or i)
        fn = _name(items[k]) if k is not None else None
        g = self._next(items, k or i)
        if fn is None or g is None or not isinstance(items[g], Group):
            raise Untranslatable("duration(…) values",
                                 "duration.inDays(a, b).days, or date arithmetic in Python")
        args = split_commas(items[g].items)
        d = self._next(items, g)
        e = self._next(items, d or g)
        comp = _name(items[e]) if d is not None and _is(items[d], ".") and e is not None \
            else None
        if fn.lower() == "indays" and comp == "days" and len(args) == 2:
            self.rules.add("duration.inDays(a, b).days")
            a, b = (self.expr(x).strip() for x in args)
            return f"(date({b}) - date({a}))", (e or g) + 1
        if fn.lower() == "between" and comp in ("months", "years") and len(args) == 2:
            self.rules.add("duration.between(a, b).months / .years")
            a, b = (f"date({self.expr(x).strip()})" for x in args)
            months = f"CASE WHEN {a} <= {b} THEN {_months(a, b)} ELSE -({_months(b, a)}) END"
            if comp == "years":
                months = f"CAST(({months}) / 12 AS INT64)"
            return f"({months})", (e or g) + 1
        raise Untranslatable(
            f"duration.{fn}(…){'.' + comp if comp else ''}",
            "duration.inDays(a, b).days for a number of days",
            "Ladybug has no duration values", "Ladybug 没有 duration 类型")

    def _label_predicate(self, items: list[Node], i: int) -> tuple[str, int]:
        var = items[i].text
        labels: list[list[str]] = [[]]
        j = i
        while True:
            k = self._next(items, j)
            if k is None or not (_is(items[k], ":") or _is(items[k], "|")):
                break
            m = self._next(items, k)
            if m is None or not _name(items[m]):
                break
            lab = _name(items[m]) or ""
            self._check_name(lab, SCHEMA.node_names, "label")
            if _is(items[k], "|"):
                labels[-1].append(lab)
            else:
                labels.append([lab])
            j = m
        conj = [grp for grp in labels if grp]
        self.rules.add("label predicates (n:A, n:A OR n:B)")
        parts = [f"label({var}) = '{g[0]}'" if len(g) == 1 else
                 f"label({var}) IN [{', '.join(repr(x) for x in g)}]" for g in conj]
        return "(" + " AND ".join(parts) + ")", j + 1

    def _map_projection(self, var: str, g: Group) -> str:
        fields = []
        for item in split_commas(g.items):
            s = _solid(item)
            if len(s) == 2 and _is(s[0], ".") and _name(s[1]):
                if s[1].text == "*":
                    break
                fields.append(f"{s[1].text}: {var}.{s[1].text}")
            elif len(s) >= 3 and _is(s[1], ":") and _name(s[0]):
                fields.append(f"{s[0].text}: {self.expr(s[2:])}")
            elif len(s) == 1 and _name(s[0]):
                fields.append(f"{s[0].text}: {s[0].text}")
            else:
                raise Untranslatable(f"the map projection {var} {text_of(g)}",
                                     f"{{x: {var}.x, y: {var}.y}}")
        self.rules.add("map projection c {.x, .y}")
        return "{" + ", ".join(fields) + "}"

    def _subquery(self, g: Group) -> str:
        s = _solid(g.items)
        body = self.statement(g.items)
        if s and isinstance(s[0], Group) and s[0].open == "(":
            self.rules.add("EXISTS { pattern } / COUNT { pattern }")
            body = " MATCH " + body
        return "{" + body + "}"

    # -- patterns inside expressions (WHERE (a)-->(b)) ----------------------------------

    def _is_pattern_paren(self, items: list[Node], i: int) -> bool:
        j = self._next(items, i)
        p = self._prev(items, i)
        nx = items[j] if j is not None else None
        if _is(nx, "<-") or (_is(nx, "-") and j is not None and (
                isinstance(self._at(items, self._next(items, j)), Group)
                and self._at(items, self._next(items, j)).open == "["  # type: ignore[union-attr]
                or _is(self._at(items, self._next(items, j)), "-")
                or _is(self._at(items, self._next(items, j)), "->"))):
            return True
        return p is not None and (_is(items[p], "->") or (
            _is(items[p], "-") and p > 0 and (
                _is(self._at(items, self._prev(items, p)), "-") or isinstance(
                    self._at(items, self._prev(items, p)), Group))))

    @staticmethod
    def _at(items: list[Node], i: int | None) -> Node | None:
        return items[i] if i is not None else None

    def _pattern_end(self, items: list[Node], i: int) -> int:
        """Index after the pattern (node, rel, node …) starting at ``i``."""
        j = i + 1
        while True:
            k = self._next(items, j - 1)
            if k is None:
                return len(items)
            n = items[k]
            if (isinstance(n, Token) and n.text in ("-", "<-", "->", "<", ">")) or (
                    isinstance(n, Group) and n.open in "([" and
                    self._is_pattern_continuation(items, k)):
                j = k + 1
                continue
            return j

    def _is_pattern_continuation(self, items: list[Node], k: int) -> bool:
        p = self._prev(items, k)
        return p is not None and isinstance(items[p], Token) and items[p].text in (
            "-", "<-", "->", ">")

    def _inline_pattern(self, items: list[Node], i: int) -> str:
        end = self._pattern_end(items, i)
        text = self.pattern(items[i:end])
        p = self._prev(items, i)
        if p is not None and _is(items[p], "EXISTS"):
            return text
        self.rules.add("pattern predicates in WHERE")
        return f"EXISTS {{ MATCH {text} }} "

    # -- lists -------------------------------------------------------------------------

    @staticmethod
    def _is_subscript(pv: Node | None) -> bool:
        if pv is None:
            return False
        if isinstance(pv, Group):
            return pv.open in "([" or pv.open == "{"
        if pv.kind in ("str", "num", "param"):
            return True
        return pv.kind == "name" and pv.upper not in _KEYWORDS

    def _subscript(self, base: str, g: Group) -> str:
        s = _solid(g.items)
        dots = next((k for k, n in enumerate(s) if _is(n, "..")), None)
        if dots is None:
            ok, v = _literal(s[0]) if len(s) == 1 else (False, None)
            if ok and isinstance(v, str) and v.isidentifier():
                self.rules.add("map key m['k']")
                return f"{base}.{v}"
            idx = self.expr(g.items).strip()
            self.rules.add("list index l[i] (0-based)")
            if ok and isinstance(v, int):
                pos = str(v + 1) if v >= 0 else f"size({base}) + {v + 1}"
            else:
                pos = f"(CASE WHEN {idx} >= 0 THEN {idx} + 1 ELSE size({base}) + {idx} + 1 END)"
            # list_slice never fails out of range; the appended null is the answer there
            return (f"(CASE WHEN {pos} >= 1 THEN list_extract(list_concat(list_slice({base}, "
                    f"{pos}, {pos}), [NULL]), 1) END)")
        lo_nodes, hi_nodes = s[:dots], s[dots + 1:]
        lo_ok, lo = _literal(lo_nodes[0]) if len(lo_nodes) == 1 else (not lo_nodes, 0)
        hi_ok, hi = _literal(hi_nodes[0]) if len(hi_nodes) == 1 else (not hi_nodes, None)
        if not (lo_ok and hi_ok) or (lo or 0) < 0 or (hi is not None and hi < 0):
            raise Untranslatable(f"the list slice {base}[{text_of(g.items)}]",
                                 "a slice with non-negative literal bounds, l[1..3]")
        self.rules.add("list slice l[a..b] (0-based, end excluded)")
        hi_text = f"size({base})" if hi is None else str(hi)
        return f"list_slice({base}, {(lo or 0) + 1}, {hi_text})"

    def _list(self, g: Group) -> str:
        s = _solid(g.items)
        if len(s) >= 3 and _name(s[0]) and _is(s[1], "IN"):
            return self._comprehension(g)
        if s and (isinstance(s[0], Group) and s[0].open == "(" or (
                len(s) > 2 and _is(s[1], "=") and isinstance(s[2], Group))):
            raise Untranslatable(
                f"the pattern comprehension {text_of(g)}",
                "OPTIONAL MATCH (pattern) … RETURN collect(x)",
                "Ladybug has no pattern comprehensions", "Ladybug 不支持模式推导式")
        kinds = {type(v) for ok, v in map(_literal, s) if ok and type(v) in (int, float)}
        if len(kinds) == 2:
            raise Untranslatable(
                f"the list {text_of(g)} mixing integers and floats",
                "one number type in a list, e.g. [1.0, 2.5]",
                "Ladybug turns every element into a float", "Ladybug 会把所有元素转成浮点数")
        return "[" + self.expr(g.items) + "]"

    def _comprehension(self, g: Group) -> str:
        s = g.items
        solid = _solid(s)
        var = solid[0].text
        # split at top-level WHERE and |
        where = next((k for k, n in enumerate(solid) if _is(n, "WHERE")), None)
        bar = next((k for k, n in enumerate(solid) if _is(n, "|")), None)
        src_end = where if where is not None else bar if bar is not None else len(solid)
        src = self.expr(solid[2:src_end])
        out = src
        if where is not None:
            cond = self.expr(_spaced(solid[where + 1: bar if bar is not None else len(solid)]))
            out = f"list_filter({out}, {var} -> {cond})"
        if bar is not None:
            out = f"list_transform({out}, {var} -> {self.expr(_spaced(solid[bar + 1:]))})"
        self.rules.add("list comprehension [x IN l WHERE … | …]")
        return out

    # -- functions ----------------------------------------------------------------------

    def _call_type(self, name: Token, g: Group) -> str | None:
        nm = name.text.lower()
        if nm == "date":
            return "DATE"
        if nm in _STRING_FUNCS:
            return "STRING"
        return None

    def call(self, name: Token, g: Group) -> str:
        nm = name.text.lower()
        args = split_commas(g.items)
        solid_args = [_solid(a) for a in args]
        # functions of literals/parameters only: evaluate them with Neo4j's meaning here
        if nm in PY_FUNCS and len(args) == 1 and len(solid_args[0]) == 1:
            a = solid_args[0][0]
            ok, v = _literal(a)
            if isinstance(a, Token) and a.kind == "param":
                key = a.text[1:].strip("`")
                if key not in self.params:
                    return f"{name.text}({self.expr(g.items)})"
                ok, v = True, self.params[key]
            if ok and not (nm == "date" and isinstance(v, str) and isinstance(a, Token)
                           and a.kind == "str"):
                try:
                    value = PY_FUNCS[nm](v)
                except (TypeError, ValueError):
                    value = None
                    if nm == "date":
                        raise Untranslatable(f"date({text_of(a)})",
                                             "date('YYYY-MM-DD')") from None
                self.rules.add("functions of parameters and literals")
                return "$" + self._bind(value)
        if nm == "size" and len(solid_args) == 1 and len(solid_args[0]) == 1 and isinstance(
                solid_args[0][0], Group) and solid_args[0][0].open == "[":
            counted = self._count_comprehension(solid_args[0][0])
            if counted:
                return counted
        if nm == "reduce":
            return self._reduce(g)
        if nm == "collect" and self.collect_order:
            if len(solid_args) != 1 or "".join(
                    text_of(x) for x in solid_args[0]) != self.collect_order[0]:
                raise Untranslatable(
                    "WITH … ORDER BY followed by collect() of another value",
                    "collect() the value you ordered by, or RETURN the rows with ORDER BY",
                    "Ladybug does not keep the order into an aggregation",
                    "Ladybug 的聚合不保留 WITH 的排序")
            self.rules.add("collect() after WITH … ORDER BY")
            inner = self.expr(g.items).strip()
            return f"list_sort(collect({inner}), '{self.collect_order[1]}')"
        a = [self.expr(x).strip() for x in args]
        handler = getattr(self, f"_f_{nm}", None)
        if handler is not None:
            return handler(name.text, a, solid_args)
        return f"{name.text}({self.expr(g.items)})"

    def _count_comprehension(self, g: Group) -> str | None:
        """``size([(a)-->(b) WHERE … | x])`` is ``COUNT { MATCH (a)-->(b) WHERE … }``."""
        s = _solid(g.items)
        bar = next((k for k, n in enumerate(s) if _is(n, "|")), None)
        if not s or not isinstance(s[0], Group) or s[0].open != "(" or bar is None:
            return None
        where = next((k for k, n in enumerate(s[:bar]) if _is(n, "WHERE")), bar)
        first, last = g.items.index(s[0]), g.items.index(s[where - 1])
        pattern = self.pattern(g.items[first:last + 1])
        cond = f" WHERE {self.expr(_spaced(s[where + 1:bar]))}" if where < bar else ""
        self.rules.add("size() of a pattern comprehension")
        return f"COUNT {{ MATCH {pattern}{cond} }}"

    def _reduce(self, g: Group) -> str:
        """``reduce(s = init, x IN l | e)`` is ``list_reduce([init] + l, (s, x) -> e)``."""
        s = _solid(g.items)
        try:
            eq = next(k for k, n in enumerate(s) if _is(n, "="))
            comma = next(k for k, n in enumerate(s) if _is(n, ","))
            bar = next(k for k, n in enumerate(s) if _is(n, "|"))
        except StopIteration:
            raise Untranslatable(f"reduce{text_of(g)}", "reduce(s = 0, x IN l | s + x)") from None
        acc, init = s[0].text, self.expr(_spaced(s[eq + 1:comma]))
        var, src = s[comma + 1].text, self.expr(_spaced(s[comma + 3:bar]))
        body = self.expr(_spaced(s[bar + 1:]))
        self.rules.add("reduce()")
        return f"list_reduce(list_concat([{init}], {src}), ({acc}, {var}) -> {body})"

    def _bind(self, value: Any) -> str:
        key = self._fresh("_p")
        self.params[key] = value
        return key

    def _fresh(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def _type_of(self, s: list[Node]) -> str | None:
        s = _solid(s)
        if len(s) == 1:
            ok, v = _literal(s[0])
            if ok:
                return _py_type(v)
            if isinstance(s[0], Token) and s[0].kind == "param":
                return _py_type(self.params.get(s[0].text[1:]))
            if _name(s[0]):
                return self.var_type.get(s[0].text)
        if len(s) == 3 and _is(s[1], ".") and _name(s[2]):
            return _prop_type(_name(s[2]) or "")
        if len(s) == 2 and isinstance(s[1], Group) and isinstance(s[0], Token):
            if s[0].text.lower() in ("min", "max", "coalesce"):
                args = split_commas(s[1].items)
                return self._type_of(args[0]) if args else None
            return self._call_type(s[0], s[1])
        return None

    def _f_tointeger(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("toInteger() truncates")
        t = self._type_of(s[0])
        if t == "INT64":
            return f"({a[0]})"
        if t == "STRING":
            return f"CAST({a[0]} AS INT64)"
        x = f"CAST({a[0]} AS DOUBLE)"
        return f"CAST(CASE WHEN {x} < 0 THEN ceil({x}) ELSE floor({x}) END AS INT64)"

    def _f_tofloat(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return f"CAST({a[0]} AS DOUBLE)"

    def _f_tostring(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        t = self._type_of(s[0])
        if t in ("STRING",):
            return f"({a[0]})"
        if t in ("INT64", "DATE"):
            return f"CAST({a[0]} AS STRING)"
        if t == "BOOL":
            return f"(CASE WHEN {a[0]} THEN 'true' WHEN NOT {a[0]} THEN 'false' END)"
        if t == "DOUBLE":
            x = f"CAST({a[0]} AS DOUBLE)"
            # Ladybug writes %f; Java's shortest form is the same, zeros trimmed, for
            # 0.001 <= |x| < 1e7 with at most six decimals — anything else is refused at run time
            text = (f"regexp_replace(regexp_replace(CAST({x} AS STRING), '0+$', ''), "
                    f"'\\\\.$', '.0')")
            bad = (f"({x} <> 0 AND (abs({x}) < 0.001 OR abs({x}) >= 10000000.0)) OR "
                   f"{x} <> round({x}, 6)")
            self.rules.add("toString() of a float")
            return self._guard(bad, text, f"toString({a[0]})")
        raise Untranslatable(
            f"toString({a[0]}) inside an expression",
            f"RETURN toString({a[0]}) as its own column, or toString(toInteger({a[0]}))",
            "Ladybug formats floats differently", "Ladybug 的浮点数格式不同")

    def _f_toboolean(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return (f"(CASE lower(trim({a[0]})) WHEN 'true' THEN true WHEN 'false' THEN false "
                "END)")

    def _f_round(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("round() half up")
        if len(a) == 1:
            return f"floor(CAST({a[0]} AS DOUBLE) + 0.5)"
        if len(a) == 2:
            return f"round(CAST({a[0]} AS DOUBLE), {a[1]})"
        raise Untranslatable("round(x, precision, mode)", "round(x, precision)")

    def _f_ceil(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return f"ceil(CAST({a[0]} AS DOUBLE))"

    def _f_floor(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return f"floor(CAST({a[0]} AS DOUBLE))"

    def _f_substring(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("substring() is 0-based")
        ok, v = _literal(s[1][0]) if len(s[1]) == 1 else (False, None)
        start = str(v + 1) if ok and isinstance(v, int) else f"{a[1]} + 1"
        length = a[2] if len(a) > 2 else f"size({a[0]})"
        return f"substring({a[0]}, {start}, {length})"

    def _f_split(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        # Ladybug drops the empty strings that Neo4j keeps: refuse such rows at run time
        x, d = f"({a[0]})", f"({a[1]})"
        bad = f"{x} = '' OR {x} STARTS WITH {d} OR {x} ENDS WITH {d} OR {x} CONTAINS ({d} + {d})"
        self.rules.add("split()")
        return self._guard(bad, f"string_split({a[0]}, {a[1]})", f"split({a[0]}, {a[1]})")

    def _f_sum(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("sum() of no rows is 0")
        return f"coalesce(sum({', '.join(a)}), 0)"

    def _f_tail(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return f"list_slice({a[0]}, 2, size({a[0]}))"

    def _f_rand(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return "random()"

    def _f_date(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        if not a:
            self.rules.add("date() is today")
            return "current_date()"
        if s[0] and isinstance(s[0][0], Group):
            raise Untranslatable(f"date({a[0]})", "date('YYYY-MM-DD')")
        return f"date({a[0]})"

    def _f_duration(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        m = s[0][0] if len(s) == 1 and len(s[0]) == 1 else None
        parts = split_commas(m.items) if isinstance(m, Group) and m.open == "{" else []
        keys = [(_name(_solid(p)[0]) or "").lower() for p in parts if _solid(p)]
        if parts and set(keys) <= {"days", "weeks"}:
            days = " + ".join(
                f"({self.expr(_solid(p)[2:]).strip()}){' * 7' if k == 'weeks' else ''}"
                for k, p in zip(keys, parts, strict=True))
            self.rules.add("duration({days: n}) in date arithmetic")
            return f"to_days({days})"
        raise Untranslatable(f"duration({', '.join(a)})",
                             "date + duration({days: n}), or duration.inDays(a, b).days",
                             "Ladybug has no months/years durations",
                             "Ladybug 没有按月/年计的 duration")

    def _f_size(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        if a and a[0] in self.varlen:
            self.rules.add("size() of a variable-length relationship list")
            return f"length({a[0]})"
        return f"size({', '.join(a)})"

    def _f_startnode(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        ends = self.rel_ends.get(a[0])
        if ends:
            self.rules.add("startNode() / endNode() of a pattern relationship")
            return ends[0] if n.lower() == "startnode" else ends[1]
        raise Untranslatable(f"{n}({a[0]})", "name both ends in the pattern: (a)-[r]->(b)",
                             "Ladybug has no startNode()/endNode()",
                             "Ladybug 不支持 startNode()/endNode()")

    _f_endnode = _f_startnode

    def _f_log(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("log() is the natural logarithm")
        return f"ln(CAST({a[0]} AS DOUBLE))"

    def _f_e(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return "2.718281828459045"

    def _f_labels(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("labels() is a list")
        return f"(CASE WHEN {a[0]} IS NULL THEN NULL ELSE [label({a[0]})] END)"

    def _f_keys(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        label = self.var_label.get(a[0])
        if label is None:
            raise Untranslatable(
                f"keys({a[0]}) inside an expression",
                f"RETURN keys({a[0]}) as its own column, or give {a[0]} one label",
                "the embedded store lists empty properties", "嵌入式存储会列出空属性")
        self.rules.add("keys() without null properties")
        names = sorted(p.name for p in SCHEMA.node(label).all_props)
        items = ", ".join(f"CASE WHEN {a[0]}.{p} IS NULL THEN NULL ELSE '{p}' END"
                          for p in names)
        return f"list_filter([{items}], k -> k IS NOT NULL)"

    def _f_properties(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        raise Untranslatable(
            f"properties({a[0]}) inside an expression",
            f"RETURN properties({a[0]}) as its own column, or {{x: {a[0]}.x}}",
            "the embedded store includes empty properties", "嵌入式存储会包含空属性")

    def _f_stdev(self, n: str, a: list[str], s: list[list[Node]], pop: bool = False) -> str:
        if s[0] and _is(s[0][0], "DISTINCT"):
            raise Untranslatable(f"{n}(DISTINCT …)", "WITH DISTINCT x … then stDev(x)")
        self.rules.add("stDev() / stDevP()")
        x = f"CAST({a[0]} AS DOUBLE)"
        k = f"count({a[0]})"
        den = k if pop else f"({k} - 1)"
        var = f"(sum({x} * {x}) - sum({x}) * sum({x}) / {k}) / {den}"
        low = 1 if pop else 2
        return f"(CASE WHEN {k} < {low} THEN 0.0 ELSE sqrt(CASE WHEN {var} < 0 THEN 0.0 " \
               f"ELSE {var} END) END)"

    def _f_stdevp(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return self._f_stdev(n, a, s, pop=True)

    def _f_id(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        raise Untranslatable(f"{n}({a[0]})", f"{a[0]}.id (every node has its own id)",
                             "internal ids differ between stores", "两种存储的内部编号不同")

    _f_elementid = _f_id


def _spaced(nodes: list[Node]) -> list[Node]:
    """Solid nodes joined by single spaces again (for re-emitting a sub-expression)."""
    out: list[Node] = []
    for n in nodes:
        if out:
            out.append(Token("ws", " "))
        out.append(n)
    return out


def _check_variable_case(tree: list[Node]) -> None:
    """Refuse ``(c) … (C)``: two variables to Neo4j, one to Ladybug (names ignore case)."""
    names: dict[str, str] = {}

    def bind(name: str | None) -> None:
        if not name:
            return
        other = names.setdefault(name.lower(), name)
        if other != name:
            raise Untranslatable(
                f"the variables '{other}' and '{name}'", "names that differ by more than case",
                "Ladybug reads them as one variable", "Ladybug 把它们当作同一个变量")

    def walk(items: list[Node], in_pattern: bool) -> None:
        s = _solid(items)
        for k, n in enumerate(s):
            if isinstance(n, Group):
                if n.open in "([":
                    inner = _solid(n.items)
                    if inner and _name(inner[0]) and (len(inner) == 1 or _is(
                            inner[1], ":") or isinstance(inner[1], Group) and inner[1].open
                            == "{" or _is(inner[1], "*")):
                        bind(_name(inner[0]))
                walk(n.items, in_pattern)
            elif _is(n, "AS") and k + 1 < len(s):
                bind(_name(s[k + 1]))

    walk(tree, False)


def _months(a: str, b: str) -> str:
    """Whole months from date a to a later date b, as Neo4j's duration.between counts."""
    return (f"(date_part('year', {b}) - date_part('year', {a})) * 12 + date_part('month', {b})"
            f" - date_part('month', {a}) - CASE WHEN date_part('day', {b}) < "
            f"date_part('day', {a}) THEN 1 ELSE 0 END")


def _trailing_ws(items: list[Node]) -> str:
    tail = items[-1] if items else None
    return tail.text if isinstance(tail, Token) and tail.kind == "ws" else ""


def _comparable(a: str, b: str) -> bool:
    numbers = {"INT64", "DOUBLE"}
    return a == b or (a in numbers and b in numbers)


def _same(v: Any) -> Any:
    return v


def _starts_pattern(nodes: list[Node]) -> bool:
    s = _solid(nodes)
    return bool(s) and isinstance(s[0], Group) and s[0].open == "("


def _keys_of(v: Any) -> list[str] | None:
    if v is None:
        return None
    if "label" in v and "id" in v:
        return sorted(k for k in v if k != "label")
    return sorted(k for k in v if k not in ("type", "from", "to"))


def _props_of(v: Any) -> dict[str, Any] | None:
    if v is None:
        return None
    drop = ("label",) if "label" in v and "id" in v else ("type", "from", "to")
    return {k: x for k, x in v.items() if k not in drop}
