"""Function rules of the translator: Neo4j's functions with Neo4j's results on Ladybug.

Conversions, rounding, 0-based strings, aggregates Ladybug lacks (stDev), list and
temporal helpers; functions of parameters and literals are evaluated in Python.
"""

from __future__ import annotations

from typing import Any

from wushe.graph.cypher.common import (
    _STRING_FUNCS,
    GUARD_INDEX,
    Untranslatable,
    _is,
    _literal,
    _name,
    _prop_type,
    _py_type,
    _solid,
    _spaced,
)
from wushe.graph.cypher.lexer import Group, Node, Token, split_commas, text_of
from wushe.graph.cypher.pyfuncs import PY_FUNCS
from wushe.graph.schema import SCHEMA

__all__ = ["FunctionRules", "months_between"]

# Java's Character.isWhitespace as an RE2 class, written for a Cypher string literal
_JAVA_WS = ("[\\\\x{09}-\\\\x{0D}\\\\x{1C}-\\\\x{20}\\\\x{1680}\\\\x{2000}-\\\\x{2006}"
            "\\\\x{2008}-\\\\x{200A}\\\\x{2028}\\\\x{2029}\\\\x{205F}\\\\x{3000}]")


class FunctionRules:
    """Mixin of :class:`graph.cypher.translate._Rewriter`: the rules for function calls."""

    def _guard(self, bad: str, value: str, what: str) -> str:
        """``value``, but a runtime error on rows where ``bad`` holds (never a wrong value).

        Ladybug evaluates every CASE branch, so the error comes from an index that is out
        of range only on those rows.
        """
        self.guards.append(what)
        return (f"(CASE WHEN list_extract([true], CASE WHEN {bad} THEN {GUARD_INDEX} ELSE 1 "
                f"END) THEN {value} END)")

    def _call_type(self, name: Token, g: Group) -> str | None:
        nm = name.text.lower()
        if nm == "date":
            return "DATE"
        if nm in _STRING_FUNCS:
            return "STRING"
        if nm in ("count", "size", "length", "tointeger", "sign"):
            return "INT64"
        if nm in ("avg", "sqrt", "tofloat", "percentilecont", "stdev", "stdevp", "round", "ceil",
                  "floor", "log", "log10", "exp", "rand"):
            return "DOUBLE"
        if nm in ("sum", "min", "max", "coalesce", "abs", "percentiledisc"):
            args = split_commas(g.items)
            return self._type_of(args[0]) if args else None
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
                    "Ladybug 的聚合不保留 WITH 的排序",
                    zh=("WITH … ORDER BY 之后对另一个值的 collect()",
                        "collect() 排序所用的值,或用 ORDER BY 返回各行"))
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
            return self._call_type(s[0], s[1])
        if len(s) == 2 and _is(s[0], "-") and isinstance(s[1], Token) and s[1].kind == "num":
            return self._type_of(s[1:])
        return None

    def check_same_types(self, what: str, exprs: list[list[Node]]) -> None:
        """Refuse values of different known types where Ladybug makes them one type.

        Ladybug gives CASE the first branch's type (CASE WHEN false THEN 1 ELSE 2.5 END
        is 2) and coalesce() a common type ('0' for a date or 0); Neo4j keeps each value.
        """
        types = {t for t in (self._type_of(e) for e in exprs) if t}
        if len(types) > 1:
            shown = " / ".join(sorted(types))
            raise Untranslatable(
                f"{what} mixing {shown} values", f"{what} whose values have one type",
                "Ladybug converts them to one type", "Ladybug 会把它们转换成同一类型",
                zh=(f"混合 {shown} 的 {what}", f"各值类型相同的 {what}"))

    def _f_coalesce(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.check_same_types("coalesce()", s)
        return f"coalesce({', '.join(a)})"

    def _f_tointeger(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("toInteger() truncates")
        t = self._type_of(s[0])
        if t == "INT64":
            return f"({a[0]})"
        if t == "STRING":
            # Neo4j gives null for text with spaces around the number; Ladybug would parse it
            return f"(CASE WHEN {a[0]} = trim({a[0]}) THEN CAST({a[0]} AS INT64) END)"
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
            "Ladybug formats floats differently", "Ladybug 的浮点数格式不同",
            zh=(f"表达式中的 toString({a[0]})",
                f"把 toString({a[0]}) 作为单独一列返回,或 toString(toInteger({a[0]}))"))

    def _f_toboolean(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return (f"(CASE lower(trim({a[0]})) WHEN 'true' THEN true WHEN 'false' THEN false "
                "END)")

    def _f_round(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        self.rules.add("round() half up")
        if len(a) == 1:
            return f"floor(CAST({a[0]} AS DOUBLE) + 0.5)"
        if len(a) == 2:
            # Neo4j rounds the decimal the float prints as (1.005 → 1.01); Ladybug the binary
            # value (1.0): they differ only next to a tie, refused there at run time
            x, p = f"CAST({a[0]} AS DOUBLE)", f"({a[1]})"
            scaled = f"{x} * 10 ^ {p}"
            bad = f"abs({scaled} - floor({scaled}) - 0.5) < 0.000001"
            return self._guard(bad, f"round({x}, {a[1]})", f"round({a[0]}, {a[1]})")
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

    def _f_trim(self, n: str, a: list[str], s: list[list[Node]], *, left: bool = True,
                right: bool = True) -> str:
        # Neo4j trims Java's whitespace (ideographic space U+3000 too, not U+00A0);
        # Ladybug's trim only removes ' '
        self.rules.add("trim() of Unicode whitespace")
        out = a[0]
        if left:
            out = f"regexp_replace({out}, '^{_JAVA_WS}+', '')"
        if right:
            out = f"regexp_replace({out}, '{_JAVA_WS}+$', '')"
        return out

    def _f_ltrim(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return self._f_trim(n, a, s, right=False)

    def _f_rtrim(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return self._f_trim(n, a, s, left=False)

    def _f_percentilecont(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        # Ladybug wants a float percentile: percentileDisc(x, 0) is Neo4j's too
        return f"{n}({a[0]}, CAST({a[1]} AS DOUBLE))" if len(a) == 2 else f"{n}({', '.join(a)})"

    _f_percentiledisc = _f_percentilecont

    def _f_replace(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        # Neo4j puts the replacement between every character for an empty search text
        if len(a) != 3:
            return f"{n}({', '.join(a)})"
        return self._guard(f"({a[1]}) = ''", f"replace({', '.join(a)})",
                           f"replace(…, {a[1]}, …)")

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
                             "Ladybug 没有按月/年计的 duration",
                             zh=(f"duration({', '.join(a)})",
                                 "date + duration({days: n}),或 duration.inDays(a, b).days"))

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
                             "Ladybug 不支持 startNode()/endNode()",
                             zh=(f"{n}({a[0]})", "在模式中为两端命名:(a)-[r]->(b)"))

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
                "the embedded store lists empty properties", "嵌入式存储会列出空属性",
                zh=(f"表达式中的 keys({a[0]})",
                    f"把 keys({a[0]}) 作为单独一列返回,或为 {a[0]} 指定一个标签"))
        self.rules.add("keys() without null properties")
        names = sorted(p.name for p in SCHEMA.node(label).all_props)
        items = ", ".join(f"CASE WHEN {a[0]}.{p} IS NULL THEN NULL ELSE '{p}' END"
                          for p in names)
        return f"list_filter([{items}], k -> k IS NOT NULL)"

    def _f_properties(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        raise Untranslatable(
            f"properties({a[0]}) inside an expression",
            f"RETURN properties({a[0]}) as its own column, or {{x: {a[0]}.x}}",
            "the embedded store includes empty properties", "嵌入式存储会包含空属性",
            zh=(f"表达式中的 properties({a[0]})",
                f"把 properties({a[0]}) 作为单独一列返回,或 {{x: {a[0]}.x}}"))

    def _f_stdev(self, n: str, a: list[str], s: list[list[Node]], pop: bool = False) -> str:
        self.rules.add("stDev() / stDevP()")
        low = 1 if pop else 2
        if s[0] and _is(s[0][0], "DISTINCT"):
            # the distinct values as a list: sums over it, no lambda needs an outer value
            vals = f"collect(DISTINCT CAST({self.expr(_spaced(s[0][1:])).strip()} AS DOUBLE))"
            k, total = f"size({vals})", f"list_sum({vals})"
            squares = f"list_sum(list_transform({vals}, _v -> _v * _v))"
            var = f"({squares} - {total} * {total} / {k}) / {k if pop else f'({k} - 1)'}"
            return f"(CASE WHEN {k} = 0 THEN NULL WHEN {k} < {low} THEN 0.0 ELSE sqrt(CASE " \
                   f"WHEN {var} < 0 THEN 0.0 ELSE {var} END) END)"
        x = f"CAST({a[0]} AS DOUBLE)"
        k = f"count({a[0]})"
        den = k if pop else f"({k} - 1)"
        var = f"(sum({x} * {x}) - sum({x}) * sum({x}) / {k}) / {den}"
        # Neo4j: null over no values, 0.0 over one (stDev) or over one or more equal ones
        return f"(CASE WHEN {k} = 0 THEN NULL WHEN {k} < {low} THEN 0.0 ELSE sqrt(CASE " \
               f"WHEN {var} < 0 THEN 0.0 ELSE {var} END) END)"

    def _f_stdevp(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        return self._f_stdev(n, a, s, pop=True)

    def _f_id(self, n: str, a: list[str], s: list[list[Node]]) -> str:
        raise Untranslatable(f"{n}({a[0]})", f"{a[0]}.id (every node has its own id)",
                             "internal ids differ between stores", "两种存储的内部编号不同",
                             zh=(f"{n}({a[0]})", f"{a[0]}.id(每个节点都有自己的 id)"))

    _f_elementid = _f_id


def months_between(a: str, b: str) -> str:
    """Whole months from date a to a later date b, as Neo4j's duration.between counts."""
    return (f"(date_part('year', {b}) - date_part('year', {a})) * 12 + date_part('month', {b})"
            f" - date_part('month', {a}) - CASE WHEN date_part('day', {b}) < "
            f"date_part('day', {a}) THEN 1 ELSE 0 END")
