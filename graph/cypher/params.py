"""Typed query parameters written as text, the way Neo4j's ``:param`` reads them.

``y=2024`` is an integer, ``y='2024'`` a string, ``x=1.5`` a float, ``ok=true`` a
boolean, ``ids=["a","b"]`` / ``m={"k": 1}`` JSON (single quotes allowed), and
``d=date('2024-01-01')`` a date. A bare word that is none of these stays text, so
``-p community_id=comm-330106002001`` works as before.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from typing import Any

from wushe.graph.errors import QueryParamError

__all__ = ["parse_param", "parse_params", "parse_value", "format_params"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE = re.compile(r"^date\(\s*(['\"])(\d{4}-\d{2}-\d{2})\1\s*\)$", re.I)
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


def parse_value(text: str) -> Any:
    """The typed value of one parameter text.

    Examples
    --------
    >>> [parse_value(t) for t in ("2024", "'2024'", "1.5", "true", "null", "[1, 'a']")]
    [2024, '2024', 1.5, True, None, [1, 'a']]
    >>> parse_value("date('2024-01-01')")
    datetime.date(2024, 1, 1)
    >>> parse_value("comm-1")
    'comm-1'
    """
    t = text.strip()
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        inner = t[1:-1]
        if "\\" not in inner:
            return inner
        try:  # escapes as in a Cypher string: \n, \t, \u3000, \', \"
            return json.loads('"' + inner.replace("\\'", "'").replace('"', '\\"')
                              .replace('\\\\"', '\\"') + '"')
        except json.JSONDecodeError:
            return inner
    m = _DATE.match(t)
    if m:
        try:
            return dt.date.fromisoformat(m.group(2))
        except ValueError:
            raise QueryParamError(f"'{t}' is not a valid date.",
                                  f"「{t}」不是有效日期。") from None
    if t[:1] in "[{":
        try:
            return json.loads(t)
        except json.JSONDecodeError:
            pass
        try:
            value = ast.literal_eval(t)
        except (ValueError, SyntaxError):
            raise QueryParamError(
                f"'{t}' is not a valid list or map (write it as JSON, e.g. [1, 2] or "
                '{"k": 1}).',
                f"「{t}」不是有效的列表或映射(请写成 JSON,如 [1, 2] 或 {{\"k\": 1}})。") from None
        if isinstance(value, list | dict):
            return value
    return t


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` (also ``:param name => value``) → (name, typed value).

    Raises
    ------
    QueryParamError
        when there is no ``=`` or the name is not a parameter name.
    """
    t = text.strip()
    if t.lower().startswith(":param"):
        t = t[6:].strip()
    m = re.match(r"^([^=:]+?)\s*(=>|=|:)\s*(.*)$", t, re.S)
    if not m or not _NAME.match(m.group(1).strip()):
        raise QueryParamError(
            f"Expected NAME=VALUE, got '{text}'.", f"参数应写成 名称=值,实际为「{text}」。")
    return m.group(1).strip(), parse_value(m.group(3))


def parse_params(text: str) -> dict[str, Any]:
    """A JSON object, or one ``name=value`` per line, → parameter dict.

    Examples
    --------
    >>> parse_params("y=2024\\nname='2024'")
    {'y': 2024, 'name': '2024'}
    >>> parse_params('{"y": 2024}')
    {'y': 2024}
    """
    t = text.strip()
    if not t:
        return {}
    if t.startswith("{"):
        try:
            value = json.loads(t)
        except json.JSONDecodeError as e:
            raise QueryParamError(f"The parameters are not valid JSON: {e}",
                                  f"参数不是有效的 JSON:{e}") from None
        if not isinstance(value, dict):
            raise QueryParamError("The parameters must be a JSON object.", "参数须为 JSON 对象。")
        return value
    return dict(parse_param(line) for line in t.splitlines() if line.strip())


def format_params(params: dict[str, Any]) -> str:
    """``name=value`` lines that :func:`parse_params` reads back as the same typed values.

    Examples
    --------
    >>> text = format_params({"y": 2024, "s": "2024", "d": dt.date(2024, 1, 1), "l": [1]})
    >>> print(text)
    y=2024
    s="2024"
    d=date('2024-01-01')
    l=[1]
    >>> parse_params(text) == {"y": 2024, "s": "2024", "d": dt.date(2024, 1, 1), "l": [1]}
    True
    """
    lines = []
    for k, v in params.items():
        if isinstance(v, dt.date):
            text = f"date('{v.isoformat()}')"
        else:
            text = json.dumps(v, ensure_ascii=False, default=str)
        lines.append(f"{k}={text}")
    return "\n".join(lines)
