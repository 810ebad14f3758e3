"""One normaliser for values coming back from either store.

Nodes become dicts ``{"id", "label", **properties}``, relationships
``{"type", "from", "to", **properties}`` (``from``/``to`` are our ``id`` values where the
ends are known), Decimal becomes int or float, datetimes stay ``datetime.date`` where the
value is a date.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

__all__ = ["normalize", "plain_number"]


def plain_number(v: decimal.Decimal) -> int | float:
    """Decimal → int when integral, else float (Ladybug's sum() returns Decimal)."""
    return int(v) if v == v.to_integral_value() else float(v)


def normalize(value: Any, ids: Mapping[Any, str] | None = None) -> Any:
    """Return ``value`` as plain Python.

    ``ids`` maps a store's internal node ids to our ``id`` property so that relationship
    ends can be named.

    Examples
    --------
    >>> import decimal
    >>> normalize(decimal.Decimal("3"))
    3
    >>> normalize({"_ID": {"offset": 0, "table": 1}, "_LABEL": "City", "id": "c1", "name": "杭州"})
    {'id': 'c1', 'label': 'City', 'name': '杭州'}
    """
    if isinstance(value, decimal.Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:  # Ladybug relationship
            ids = ids or {}
            out = {"type": value["_LABEL"],
                   "from": ids.get(_key(value["_SRC"])),
                   "to": ids.get(_key(value["_DST"]))}
            out.update({k: normalize(v) for k, v in value.items()
                        if not k.startswith("_") and v is not None})
            return out
        if "_LABEL" in value and "_ID" in value:  # Ladybug node
            out = {"id": value.get("id"), "label": value["_LABEL"]}
            # Ladybug fills every column of every table for an unlabelled pattern; Neo4j
            # has no null properties. Dropping None gives both stores the same dicts.
            out.update({k: normalize(v) for k, v in value.items()
                        if not k.startswith("_") and k != "id" and v is not None})
            return out
        if "_NODES" in value:  # Ladybug path
            return {"nodes": [normalize(n, ids) for n in value["_NODES"]],
                    "rels": [normalize(r, ids) for r in value["_RELS"]]}
        return {k: normalize(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v, ids) for v in value]
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value
    if hasattr(value, "to_native"):  # neo4j.time.Date / DateTime
        return value.to_native()
    return value


def _key(internal: Any) -> Any:
    if isinstance(internal, dict):
        return (internal.get("table"), internal.get("offset"))
    return internal


def collect_ids(value: Any, into: dict[Any, str]) -> None:
    """Record the internal→our id of every Ladybug node inside ``value``."""
    if isinstance(value, dict):
        if "_ID" in value and "_LABEL" in value and "_SRC" not in value and "id" in value:
            into[_key(value["_ID"])] = value["id"]
        for v in value.values():
            if isinstance(v, dict | list):
                collect_ids(v, into)
    elif isinstance(value, list):
        for v in value:
            collect_ids(v, into)
