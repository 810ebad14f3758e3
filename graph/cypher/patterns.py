"""Pattern rules of the translator: MATCH patterns as Neo4j matches them, on Ladybug.

Shortest paths, variable-length trails, distinct relationships within one MATCH, label and
relationship-type names checked with their case, pattern predicates, and the variables
whose names differ only by case.
"""

from __future__ import annotations

from typing import Any

from wushe.graph.cypher.common import (
    _MAX_HOPS,
    _PROPERTY_NAMES,
    Untranslatable,
    _is,
    _name,
    _solid,
    _suggest,
)
from wushe.graph.cypher.lexer import Group, Node, Token, split_commas, text_of
from wushe.graph.schema import SCHEMA

__all__ = ["PatternRules", "check_variable_case"]

#: relationship types that form a tree, so that every path over them is short
_TREE_TYPES = frozenset({"PART_OF"})


def _drop_extra_labels(items: list[Node]) -> list[Node]:
    """A node pattern's items with every label after the first removed."""
    out: list[Node] = []
    seen = False
    skip = False
    for x in items:
        if skip:
            skip = False
            if isinstance(x, Token) and x.kind == "name":
                continue
        if _is(x, ":"):
            if seen:
                skip = True
                continue
            seen = True
        out.append(x)
    return out


class PatternRules:
    """Mixin of :class:`graph.cypher.translate._Rewriter`: the rules for patterns."""

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
                        "Ladybug 可能让同一关系同时匹配两个模式",
                        zh=("与同一 MATCH 中其他模式关系类型重叠的变长模式",
                            "为这些关系使用不同类型,或分成两个 MATCH 并自行比较"))
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
                "Neo4j 的属性名区分大小写而 Ladybug 不区分",
                zh=(f"属性「{prop}」", f"'{same[0]}'"))

    def _node_pattern(self, g: Group) -> str:
        s = _solid(g.items)
        for m in (x for x in s if isinstance(x, Group) and x.open == "{"):
            for part in split_commas(m.items):
                ps = _solid(part)
                if len(ps) >= 2 and _name(ps[0]) and _is(ps[1], ":"):
                    self._check_property(_name(ps[0]) or "")
        labels: list[str] = []
        var = _name(s[0]) if s and _name(s[0]) and not _is(s[0], ":") else None
        conj: list[str] = []
        for k, n in enumerate(s):
            if _is(n, ":") and k + 1 < len(s) and _name(s[k + 1]):
                if k > 1 and _name(s[k - 1]) and labels:
                    conj.append(_name(s[k + 1]) or "")
                labels.append(_name(s[k + 1]) or "")
            if _is(n, "|") and k + 1 < len(s) and _name(s[k + 1]):
                labels.append(_name(s[k + 1]) or "")
        for lab in labels:
            self._check_name(lab, SCHEMA.node_names, "label")
        if conj:
            # Ladybug reads (n:A:B) as A or B. Every wushe node has exactly one label, so on
            # Neo4j (n:A:B) matches nothing unless the labels are the same: keep the first
            # label and make the MATCH find nothing.
            first = labels[0]
            if any(lab != first for lab in labels):
                self.match_nothing = True
            self.rules.add("label conjunction (n:A:B)")
            g.items = _drop_extra_labels(g.items)
            labels = [first]
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
        types = {_name(s[k + 1]) for k, n in enumerate(s[:star])
                 if (_is(n, ":") or _is(n, "|")) and k + 1 < len(s)}
        if hi is None and types and types <= _TREE_TYPES:
            # the regions form a tree (community → township → county → city): no trail over
            # PART_OF is longer than 6, far below Ladybug's 30
            hi = _MAX_HOPS
            self.rules.add("unbounded PART_OF paths (the region tree)")
        if hi is None:
            raise Untranslatable(
                f"the unbounded variable-length pattern [{text_of(g.items)}]",
                f"[{head}*{lo if lo is not None else 1}..6] (give an upper bound)",
                "Ladybug caps it at 30 hops and may run out of memory",
                "Ladybug 最多 30 跳且可能耗尽内存",
                zh=(f"无上限的变长模式 [{text_of(g.items)}]",
                    f"[{head}*{lo if lo is not None else 1}..6](给出上限)"))
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
                "Neo4j 区分大小写而 Ladybug 不区分",
                zh=(f"{'标签' if what == 'label' else '关系类型'}「{name}」", f"'{guess}'"))

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


def check_variable_case(tree: list[Node]) -> None:
    """Refuse ``(c) … (C)``: two variables to Neo4j, one to Ladybug (names ignore case)."""
    names: dict[str, str] = {}

    def bind(name: str | None) -> None:
        if not name:
            return
        other = names.setdefault(name.lower(), name)
        if other != name:
            raise Untranslatable(
                f"the variables '{other}' and '{name}'", "names that differ by more than case",
                "Ladybug reads them as one variable", "Ladybug 把它们当作同一个变量",
                zh=(f"变量「{other}」与「{name}」", "名称不要只差大小写"))

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
