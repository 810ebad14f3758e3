"""Figures as an official reads them: shares as percentages, counts with their unit.

The analysis keeps shares as fractions (0.637); every text a user reads — gap reasons on the
pages, every export sheet, reports — shows 63.7 %. One formatter, so a page and the file it
exports never disagree.
"""

from __future__ import annotations

__all__ = ["figure", "percent"]


def percent(value: float, digits: int = 1) -> str:
    """A share as a percentage.

    Examples
    --------
    >>> percent(0.637), percent(0.6, 0), percent(float("nan"))
    ('63.7%', '60%', '—')
    """
    return "—" if value != value else f"{value:.{digits}%}"


def figure(value: object, unit: str = "") -> str:
    """A figure as people read it: ratios (unit 比例) as percentages, other values with up to
    two decimals and their unit; unknown as —.

    Examples
    --------
    >>> figure(0.637, "比例"), figure(10.8154, "个"), figure(float("nan"), "个")
    ('63.7%', '10.82 个', '—')
    >>> figure(12.0, "个/社区"), figure(3)
    ('12 个/社区', '3')
    """
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    v = float(value)  # type: ignore[arg-type]
    if unit == "比例":
        return percent(v)
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()
