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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wushe.graph.cypher.common import (
    _AGGREGATES,
    _CLAUSES,
    _COMPARISONS,
    _DATE_PARTS,
    _KEYWORDS,
    _NOT_CALLS,
    _TYPE_NAMES,
    GUARD_INDEX,
    Untranslatable,
    _comparable,
    _is,
    _literal,
    _name,
    _prop_type,
    _py_type,
    _solid,
    _spaced,
    _starts_pattern,
    _trailing_ws,
)
from wushe.graph.cypher.functions import FunctionRules, months_between
from wushe.graph.cypher.lexer import Group, Node, Token, parse, split_commas, text_of
from wushe.graph.cypher.patterns import PatternRules, check_variable_case
from wushe.graph.cypher.pyfuncs import neo4j_round, neo4j_to_string
from wushe.graph.schema import SCHEMA

__all__ = ["translate", "Translation", "Untranslatable", "apply_post", "GUARD_INDEX"]


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
    check_variable_case(tree)
    out = r.statement(tree, top=True)
    if r.fresh_rel_names and any(_is(n, "*") and _is(p, "RETURN") or _is(n, "*") and _is(
            p, "WITH") for p, n in zip(_solid(tree), _solid(tree)[1:], strict=False)):
        raise Untranslatable(
            "RETURN * with unnamed relationships", "name them, or list what to return",
            "the translation has to name them", "翻译需要为它们命名",
            zh=("含未命名关系的 RETURN *", "为关系命名,或列出要返回的内容"))
    return Translation(out, r.params, r.post, sorted(r.rules), r.guards)


def apply_post(df: Any, t: Translation) -> Any:
    """Finish a Ladybug result frame as :attr:`Translation.post` says (in place)."""
    for col, (_, fn) in t.post.items():
        if col in df.columns and fn is not _same:
            # a null in a numeric column comes back from Ladybug as NaN
            df[col] = [fn(None if isinstance(v, float) and v != v else v) for v in df[col]]
    renames = {col: name for col, (name, _) in t.post.items() if col != name}
    if renames:
        df.columns = [renames.get(c, c) for c in df.columns]
    return df


class _Rewriter(PatternRules, FunctionRules):
    """One translation: the clause, projection and expression rules, with the pattern and
    function rules mixed in; it collects parameters, finishing steps and rule names."""

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
        self.match_nothing = False
        self.guards: list[str] = []
        self.collect_order: tuple[str, str] | None = None
        self._n = 0

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
            elif n.text in _COMPARISONS and 1 <= k < len(s) - 1:
                # two values: '1' = 1 is false on Neo4j, true on Ladybug (it casts)
                a = self._value_type(s[k - 1], many=False)
                b = self._value_type(s[k + 1], many=False)
                if a and b and not _comparable(a, b):
                    raise Untranslatable(
                        f"{text_of(s[k - 1])} {n.text} {text_of(s[k + 1])}",
                        "values of one type", "Ladybug converts one to the other's type",
                        "Ladybug 会把其中一个转换成另一个的类型",
                        zh=(f"{text_of(s[k - 1])} {n.text} {text_of(s[k + 1])}", "同类型的值"))
                continue
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
                    "Neo4j 不会匹配不同类型,而 Ladybug 会自动转换",
                    zh=(f"{prop}({_TYPE_NAMES[want][1]})与 {shown}({_TYPE_NAMES[got][1]})的比较",
                        "与属性同类型的值,如数值用 -p y=2024,文本用 -p y='2024'"))

    def _value_type(self, n: Node, *, many: bool) -> str | None:
        if isinstance(n, Token) and n.kind == "param":
            v = self.params.get(n.text[1:].strip("`"))
            if many and isinstance(v, list):
                types = {_py_type(x) for x in v if x is not None}
                return types.pop() if len(types) == 1 else None
            return None if many else _py_type(v)
        ok, v = _literal(n)
        return _py_type(v) if ok and not many else None

    def statement(self, items: list[Node], *, top: bool = False) -> str:
        clauses = self._split_clauses(items)
        heads = [c[0] for c in clauses]
        out: list[str] = []
        final_return = max((i for i, h in enumerate(heads) if h == "RETURN"), default=-1)
        unions = "UNION" in heads
        limited = False  # inside a WITH that has ORDER BY and SKIP/LIMIT
        for i, (head, kw, body) in enumerate(clauses):
            if head in ("SKIP", "LIMIT") and any(
                    h == "ORDER" for h, _, _ in clauses[:i]) and self._with_before(clauses, i):
                limited = True
            elif limited and head == "UNION":
                limited = False
            elif limited and head not in ("ORDER", "SKIP", "LIMIT", "WHERE"):
                # Ladybug drops a WITH's ORDER BY before its LIMIT when an aggregation
                # follows (the top 10 became the first 10 scanned); an UNWIND of one
                # element between them keeps the order
                out.append(f" UNWIND [1] AS {self._fresh('_u')} ")
                self.fresh_rel_names = True  # a new name: refuse RETURN * (see translate)
                self.rules.add("WITH … ORDER BY … LIMIT before more clauses")
                limited = False
            sub = [n for n in _solid(body) if isinstance(n, Group) and n.open == "{"]
            if head == "CALL" and sub and i == 0 and top and not self._has_union(sub[0]):
                self.rules.add("a leading CALL { … } subquery")
                out.append(" " + self._inline_call(sub[0]) + " ")
                continue
            if head == "CALL" and sub:
                raise Untranslatable(
                    "CALL { … } subqueries", "WITH … OPTIONAL MATCH … (or a top-level UNION)",
                    "Ladybug has no CALL subqueries", "Ladybug 不支持 CALL 子查询",
                    zh=("CALL { … } 子查询", "WITH … OPTIONAL MATCH …(或顶层 UNION)"))
            if head in ("MATCH", "OPTIONAL") or (head == "" and _starts_pattern(body)):
                conds = self._unique_relationships(body)
                out.append(text_of(kw) + self.pattern(body))
                if self.match_nothing:
                    conds, self.match_nothing = [*conds, "false"], False
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
                            "Ladybug 的聚合不保留 WITH 的排序",
                            zh=("WITH … ORDER BY 之后的 collect()",
                                "用 ORDER BY 返回各行,在客户端组成列表"))
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
            "keys": _keys_of, "properties": _props_of, "tostring": neo4j_to_string,
            "round": neo4j_round}
        if fname not in fns:
            return None
        if fname == "tostring" and self._type_of(_solid(expr[1].items)) in ("STRING", "INT64"):
            return None
        args = split_commas(expr[1].items)
        fn = fns[fname]
        if fname == "round":
            ok, p = _literal(_solid(args[1])[0]) if len(args) == 2 and len(
                _solid(args[1])) == 1 else (False, None)
            if not ok or not isinstance(p, int):
                return None
            fn, args = (lambda v, p=p: neo4j_round(v, p)), args[:1]
        if len(args) != 1:
            return None
        col = alias or text_of(item).strip()
        if col in order:
            return None  # ORDER BY on the converted value: translate in the statement
        inner = self.expr(args[0]).strip()
        tmp = alias or self._fresh("_c")
        self.post[tmp] = (col, fn)
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

    @staticmethod
    def _simple_left_operand(out: list[str]) -> int | None:
        """Index in ``out`` of IN's left operand when it is one unit after a boundary."""
        solid = [k for k, x in enumerate(out) if x.strip()]
        if not solid:
            return None
        if len(solid) == 1 or out[solid[-2]].strip().upper() in (
                "AND", "OR", "XOR", "NOT", "WHEN", "THEN", "ELSE", ",", "WHERE"):
            return solid[-1]
        return None

    def _check_case(self, items: list[Node]) -> None:
        """Every CASE at this level returns values of one known type (see check_same_types)."""
        s = _solid(items)
        for k, n in enumerate(s):
            if not _is(n, "CASE"):
                continue
            depth, results, cur = 0, [], None
            for x in s[k:]:
                if _is(x, "CASE"):
                    depth += 1
                elif _is(x, "END"):
                    depth -= 1
                    if depth == 0:
                        break
                if depth == 1 and (_is(x, "THEN") or _is(x, "ELSE")):
                    cur = []
                    results.append(cur)
                    continue
                if depth == 1 and (_is(x, "WHEN") or _is(x, "END")):
                    cur = None
                    continue
                if cur is not None:
                    cur.append(x)
            self.check_same_types("CASE", results)

    def expr(self, items: list[Node], in_map: bool = False) -> str:
        self._check_case(items)
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
                        "Ladybug has no COLLECT subqueries", "Ladybug 不支持 COLLECT 子查询",
                        zh=("COLLECT { … } 子查询", "OPTIONAL MATCH … WITH collect(x) AS xs"))
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
            if _is(n, "IN") and (isinstance(nx, Group) and nx.open == "[" and any(
                    _is(x, "NULL") for x in _solid(nx.items)) or isinstance(nx, Token)
                    and nx.kind == "param" and isinstance(
                        v := self.params.get(nx.text[1:].strip("`")), list) and None in v):
                left = self._simple_left_operand(out)
                if left is not None and nx is not None:
                    # x IN [a, null]: true when found, else null (never false) — as Neo4j
                    if isinstance(nx, Group):
                        kept = [self.expr(p).strip() for p in split_commas(nx.items)
                                if not (len(_solid(p)) == 1 and _is(_solid(p)[0], "NULL"))]
                        values = "[" + ", ".join(kept) + "]"
                    else:
                        values = "$" + self._bind([x for x in self.params[nx.text[1:].strip("`")]
                                                   if x is not None])
                    self.rules.add("IN a list holding null")
                    out[left] = f"(CASE WHEN {out[left]} IN {values} THEN true END)"
                    i = (j or i) + 1
                    continue
                raise Untranslatable(
                    f"IN {text_of(nx) if nx else ''} (a list holding null)", "a list without null",
                    "Neo4j answers null where Ladybug answers false",
                    "Neo4j 结果为 null,Ladybug 为 false",
                    zh=(f"IN {text_of(nx) if nx else ''}(列表含 null)", "不含 null 的列表"))
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
                                     ".year, .month, .day, .quarter, .week or .dayOfWeek",
                                     zh=(f"日期分量 .{comp}",
                                         ".year、.month、.day、.quarter、.week 或 .dayOfWeek"))
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
                                 "duration.inDays(a, b).days, or date arithmetic in Python",
                                 zh=("duration(…) 值",
                                     "duration.inDays(a, b).days,或在 Python 中做日期运算"))
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
            months = (f"CASE WHEN {a} <= {b} THEN {months_between(a, b)} "
                      f"ELSE -({months_between(b, a)}) END")
            if comp == "years":
                months = f"CAST(({months}) / 12 AS INT64)"
            return f"({months})", (e or g) + 1
        raise Untranslatable(
            f"duration.{fn}(…){'.' + comp if comp else ''}",
            "duration.inDays(a, b).days for a number of days",
            "Ladybug has no duration values", "Ladybug 没有 duration 类型",
            zh=(f"duration.{fn}(…){'.' + comp if comp else ''}",
                "按天数用 duration.inDays(a, b).days"))

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
                                     f"{{x: {var}.x, y: {var}.y}}",
                                     zh=(f"映射投影 {var} {text_of(g)}",
                                         f"{{x: {var}.x, y: {var}.y}}"))
        self.rules.add("map projection c {.x, .y}")
        return "{" + ", ".join(fields) + "}"

    def _subquery(self, g: Group) -> str:
        s = _solid(g.items)
        body = self.statement(g.items)
        if s and isinstance(s[0], Group) and s[0].open == "(":
            self.rules.add("EXISTS { pattern } / COUNT { pattern }")
            body = " MATCH " + body
        return "{" + body + "}"

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
                                 "a slice with non-negative literal bounds, l[1..3]",
                                 zh=(f"列表切片 {base}[{text_of(g.items)}]",
                                     "用非负字面量作边界的切片,如 l[1..3]"))
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
                "Ladybug has no pattern comprehensions", "Ladybug 不支持模式推导式",
                zh=(f"模式推导式 {text_of(g)}", "OPTIONAL MATCH (模式) … RETURN collect(x)"))
        kinds = {type(v) for ok, v in map(_literal, s) if ok and type(v) in (int, float)}
        if len(kinds) == 2:
            raise Untranslatable(
                f"the list {text_of(g)} mixing integers and floats",
                "one number type in a list, e.g. [1.0, 2.5]",
                "Ladybug turns every element into a float", "Ladybug 会把所有元素转成浮点数",
                zh=(f"混合整数与浮点数的列表 {text_of(g)}", "列表中只用一种数值类型,如 [1.0, 2.5]"))
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


def _same(v: Any) -> Any:
    return v
