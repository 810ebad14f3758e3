"""Neo4j's conversion functions evaluated in Python, with Neo4j's exact results.

Used where Ladybug cannot evaluate the function itself: on ``$parameters`` (its binder
fails on a macro applied to a parameter) and on a final result column (``toString`` of a
float). Each function follows Neo4j 5's documented behaviour; ``None`` stays ``None``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable
from typing import Any

__all__ = ["neo4j_to_string", "neo4j_to_integer", "neo4j_to_float", "neo4j_to_boolean",
           "neo4j_date", "neo4j_round", "PY_FUNCS"]


def neo4j_to_string(v: Any) -> str | None:
    """``toString(v)`` as Neo4j writes it.

    Examples
    --------
    >>> [neo4j_to_string(x) for x in (1.0, 0.5, 1e7, 1.5e-4, True, 3, "a")]
    ['1.0', '0.5', '1.0E7', '1.5E-4', 'true', '3', 'a']
    """
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _java_double(v)
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, int | str):
        return str(v)
    raise TypeError(f"toString() cannot convert {type(v).__name__}")


def _java_double(x: float) -> str:
    """Java's ``Double.toString`` (shortest digits; scientific outside 1e-3 ≤ |x| < 1e7)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    if 1e-3 <= abs(x) < 1e7:
        return repr(x)
    sign, digits, exp = decimal.Decimal(repr(x)).normalize().as_tuple()
    ds = "".join(map(str, digits))
    e10 = len(ds) - 1 + int(exp)
    mant = ds[0] + "." + (ds[1:] or "0")
    return ("-" if sign else "") + f"{mant}E{e10}"


def neo4j_to_integer(v: Any) -> int | None:
    """``toInteger(v)``: floats truncate toward zero; unparsable strings give None.

    Examples
    --------
    >>> neo4j_to_integer(467.6), neo4j_to_integer(-467.6), neo4j_to_integer("12.9")
    (467, -467, 12)
    """
    if v is None:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v)
    if isinstance(v, str):
        if v != v.strip():
            return None  # Neo4j does not trim before parsing an integer
        try:
            return int(v)
        except ValueError:
            try:
                return int(float(v))
            except ValueError:
                return None
    raise TypeError(f"toInteger() cannot convert {type(v).__name__}")


def neo4j_to_float(v: Any) -> float | None:
    """``toFloat(v)``: unparsable strings give None."""
    if v is None:
        return None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    raise TypeError(f"toFloat() cannot convert {type(v).__name__}")


def neo4j_to_boolean(v: Any) -> bool | None:
    """``toBoolean(v)``: 'true'/'false' in any case; other strings give None."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, str):
        return {"true": True, "false": False}.get(v.strip().lower())
    if isinstance(v, int):
        return v != 0
    raise TypeError(f"toBoolean() cannot convert {type(v).__name__}")


def neo4j_date(v: Any) -> dt.date | None:
    """``date(text)`` for an ISO ``YYYY-MM-DD`` text or a date."""
    if v is None or isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        return dt.date.fromisoformat(v.strip())
    raise TypeError(f"date() cannot convert {type(v).__name__}")


def neo4j_round(v: Any, precision: int = 0) -> float | None:
    """``round(v, precision)``: half away from zero on the decimal the float prints as.

    Examples
    --------
    >>> neo4j_round(1.005, 2), neo4j_round(-2.345, 2), neo4j_round(2.5)
    (1.01, -2.35, 3.0)
    """
    if v is None:
        return None
    step = decimal.Decimal(1).scaleb(-precision)
    return float(decimal.Decimal(repr(float(v))).quantize(step, rounding=decimal.ROUND_HALF_UP))


PY_FUNCS: dict[str, Callable[[Any], Any]] = {
    "tostring": neo4j_to_string, "tointeger": neo4j_to_integer, "tofloat": neo4j_to_float,
    "toboolean": neo4j_to_boolean, "date": neo4j_date,
}
