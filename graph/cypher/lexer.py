"""Cypher text as tokens grouped by brackets: a lossless tree the translator rewrites.

Tokenising once (strings, comments, backticked names, parameters, numbers) and nesting the
tokens by ``()``, ``[]`` and ``{}`` is what lets the rewrite rules look at *structure*
(a function call and its arguments, a list subscript, a node pattern) instead of matching
regular expressions against raw text, where a quoted ``'substring('`` or a comment would
fool them. Joining every token's text gives back the input exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wushe.graph.errors import WusheError

__all__ = ["Token", "Group", "Node", "tokenize", "parse", "text_of", "split_commas",
           "CypherSyntaxError"]

_TOKEN = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)
      |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<name>`[^`]*`|[^\W\d]\w*)
      |(?P<param>\$(?:\w+|`[^`]*`))
      |(?P<num>0[xX][0-9a-fA-F]+|(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?)
      |(?P<op>\.\.|<=|>=|<>|!=|=~|\+=|->|<-|[-+*/%^=<>.,:;|()\[\]{}])""",
    re.S | re.X,
)
_CLOSE = {"(": ")", "[": "]", "{": "}"}


class CypherSyntaxError(WusheError):
    """The text is not Cypher the translator can read (unbalanced brackets, stray chars)."""


@dataclass
class Token:
    """One lexical token; ``kind`` is ws, str, name, param, num or op."""

    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass
class Group:
    """A bracketed group: ``open`` is ``(``, ``[`` or ``{``; ``items`` what is inside."""

    open: str
    items: list[Node] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "group"


Node = Token | Group


def tokenize(cypher: str) -> list[Token]:
    """Split ``cypher`` into tokens (whitespace and comments kept as ``ws`` tokens)."""
    out: list[Token] = []
    pos = 0
    while pos < len(cypher):
        m = _TOKEN.match(cypher, pos)
        if not m:
            raise CypherSyntaxError(
                f"Unexpected character {cypher[pos]!r} at position {pos + 1}.",
                f"第 {pos + 1} 个字符「{cypher[pos]}」无法识别。")
        kind = m.lastgroup or "op"
        out.append(Token(kind, m.group(0)))
        pos = m.end()
    return out


def parse(cypher: str) -> list[Node]:
    """Tokens of ``cypher`` nested by brackets."""
    stack: list[tuple[Group | None, list[Node]]] = [(None, [])]
    for tok in tokenize(cypher):
        if tok.kind == "op" and tok.text in _CLOSE:
            g = Group(tok.text)
            stack[-1][1].append(g)
            stack.append((g, g.items))
        elif tok.kind == "op" and tok.text in (")", "]", "}"):
            g = stack[-1][0]
            if g is None or _CLOSE[g.open] != tok.text:
                raise CypherSyntaxError(f"Unbalanced '{tok.text}'.", f"括号「{tok.text}」不匹配。")
            stack.pop()
        else:
            stack[-1][1].append(tok)
    if len(stack) != 1:
        opened = stack[-1][0]
        o = opened.open if opened else "?"
        raise CypherSyntaxError(f"'{o}' is never closed.", f"「{o}」没有闭合。")
    return stack[0][1]


def text_of(nodes: list[Node] | Node) -> str:
    """The source text of ``nodes`` (inverse of :func:`parse`)."""
    if isinstance(nodes, Token):
        return nodes.text
    if isinstance(nodes, Group):
        return nodes.open + text_of(nodes.items) + _CLOSE[nodes.open]
    return "".join(text_of(n) for n in nodes)


def split_commas(items: list[Node]) -> list[list[Node]]:
    """Split a group's items at its top-level commas."""
    parts: list[list[Node]] = [[]]
    for n in items:
        if isinstance(n, Token) and n.text == ",":
            parts.append([])
        else:
            parts[-1].append(n)
    return parts if any(_solid(p) for p in parts) else []


def _solid(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if not (isinstance(n, Token) and n.kind == "ws")]
