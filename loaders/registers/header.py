"""Find a register's header row and its data rows, as offices print them.

Registers come with a title row or two above the header (often merged across the sheet),
a 序号 column, and notes or totals rows below the data. The header is the row among the
first :data:`SCAN_ROWS` whose cells name the most fields of some register kind; rows that
are empty, notes (注:…, 填表人…) or totals (合计) are dropped from the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wushe.loaders.names import table_key
from wushe.loaders.reading import RawTable
from wushe.loaders.registers.kinds import KINDS, Field, RegisterKind

__all__ = ["SCAN_ROWS", "Framed", "frame", "header_fields", "score_headers"]

SCAN_ROWS = 15
# First cell of a row that is not data: notes, signatures and totals under the table.
_NOT_DATA = re.compile(r"^(注|备注|说明|填表|制表|审核|负责人|联系人|合计|总计|小计|数据来源|"
                       r"统计时间|截至|截止)")
_FUNDING = re.compile(r"^(资助方|资助单位|出资方|资助金额|金额|资助渠道|渠道)(\d+)$")


@dataclass
class Framed:
    """A raw table cut to its header and data rows.

    ``rows`` holds each data row's spreadsheet row number (for messages).
    """

    raw: RawTable
    header_row: int
    headers: list[str]
    data: pd.DataFrame
    rows: np.ndarray


def header_fields(k: RegisterKind) -> dict[str, Field]:
    """Header key (:func:`loaders.validate.table_key`) → field, for one kind.

    Raises
    ------
    ValueError
        If two fields of the kind claim the same header (a bug in :mod:`kinds`).
    """
    out: dict[str, Field] = {}
    for f in k.fields:
        for h in f.headers:
            key = table_key(h)
            if out.get(key, f) is not f:
                raise ValueError(f"{k.name}: header {h} is claimed by {out[key].name} and "
                                 f"{f.name}")
            out[key] = f
    return out


_INDEX = {k.name: header_fields(k) for k in KINDS}


def score_headers(cells: list[str], k: RegisterKind,
                  extra: dict[str, str] | None = None) -> int:
    """How many of ``cells`` name a field of ``k`` (``extra``: header → field, a mapping)."""
    index = _INDEX[k.name]
    known = {table_key(h) for h in (extra or {})}
    hits = 0
    for c in cells:
        key = table_key(c)
        if key and (key in index or key in known or _FUNDING.match(key)):
            hits += 1
    return hits


def frame(raw: RawTable, k: RegisterKind | None, *, header_row: int | None = None,
          extra: dict[str, str] | None = None) -> tuple[Framed, RegisterKind | None]:
    """Cut ``raw`` to its header and data rows; pick the kind when ``k`` is None.

    Parameters
    ----------
    raw : RawTable
        As read (its ``headers`` are the first non-empty row, which may be a title).
    k : RegisterKind, optional
        The kind, when a mapping file names it.
    header_row : int, optional
        Spreadsheet row of the header, when a mapping file gives it.
    extra : dict, optional
        Header → field from a mapping file (counts towards finding the header).

    Returns
    -------
    (Framed, RegisterKind or None)
        The kind is None when no row names at least two fields of any kind.
    """
    first = raw.header_row
    candidates: list[list[str]] = [list(raw.headers)]
    n_scan = min(SCAN_ROWS, len(raw.data))
    for i in range(n_scan):
        candidates.append([str(v) for v in raw.data.iloc[i].tolist()])
    if header_row is not None:
        best = max(0, min(header_row - first, len(candidates) - 1))
        kinds = [k] if k is not None else list(KINDS)
        chosen = max(kinds, key=lambda kk: score_headers(candidates[best], kk, extra))
    else:
        best, chosen, top = 0, k, 0
        for i, cells in enumerate(candidates):
            for kk in ([k] if k is not None else KINDS):
                s = score_headers(cells, kk, extra)
                if s > top:
                    best, chosen, top = i, kk, s
        if top < 2 and k is None:
            chosen = None
    if best == 0:
        headers, data = list(raw.headers), raw.data
        rows = raw.row_numbers()
    else:
        headers = candidates[best]
        data = raw.data.iloc[best:]
        rows = raw.row_numbers()[best:]
        # the header row may be narrower than the data when a title set the width
    data = data.reset_index(drop=True)
    headers = headers + [""] * (data.shape[1] - len(headers))
    keep = _data_rows(data)
    return Framed(raw, first + best, headers, data[keep].reset_index(drop=True),
                  rows[keep]), chosen


def _data_rows(data: pd.DataFrame) -> np.ndarray:
    """True for rows holding data: not empty, not a notes or totals row."""
    if data.shape[1] == 0:
        return np.zeros(len(data), dtype=bool)
    text = data.astype("str")
    filled = (text.apply(lambda s: s.str.strip()) != "").to_numpy()
    n = filled.sum(axis=1)
    first_col = np.argmax(filled, axis=1)
    first = text.to_numpy()[np.arange(len(text)), first_col] if len(text) else np.array([])
    notes = np.array([bool(_NOT_DATA.match(str(v).strip())) for v in first], dtype=bool) \
        if len(first) else np.zeros(0, dtype=bool)
    return (n > 0) & ~(notes & (n <= 2))
