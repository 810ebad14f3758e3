"""The problem list of one import: capped per file, column and rule, values clipped.

Every check adds located problems here; a file with millions of bad cells keeps at most
:data:`MAX_PER_RULE` messages per (file, column, rule) plus one "and N more" line, and no
message shows more than :data:`MAX_VALUE_CHARS` characters of a value, so memory, time
and output stay bounded whatever the file holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wushe.graph.errors import Problem

__all__ = ["MAX_PER_RULE", "MAX_VALUE_CHARS", "Problems", "clip"]

MAX_PER_RULE = 200  # located messages kept per file, column and rule (all are counted)
MAX_VALUE_CHARS = 200  # characters of a value a message shows


def clip(value: str | None, limit: int = MAX_VALUE_CHARS) -> str | None:
    """``value`` cut to ``limit`` characters, saying how long it was.

    Examples
    --------
    >>> clip("abc")
    'abc'
    >>> clip("x" * 300)[-25:]
    '…(300 characters / 300 字)'
    """
    if value is None or len(value) <= limit:
        return value
    return f"{value[:limit]}…({len(value)} characters / {len(value)} 字)"


class Problems:
    """Collects problems, keeping the first MAX_PER_RULE per (file, column, rule)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._extra: dict[tuple[str, str | None, str], int] = {}

    def one(self, file: str, row: int | None, column: str | None, value: str | None,
            en: str, zh: str) -> None:
        """Add one problem."""
        self.items.append(Problem(file, row, column, clip(value), en, zh))

    def many(self, file: str, column: str | None, rule: str, rows: np.ndarray,
             values: Sequence[str], en: str | Sequence[str], zh: str | Sequence[str]) -> None:
        """Add one problem per row (``en``/``zh`` one text or one per row).

        ``values`` (and per-row texts) need only hold the first :data:`MAX_PER_RULE`.
        """
        n = len(rows)
        if n == 0:
            return
        for i in range(min(n, MAX_PER_RULE)):
            self.items.append(Problem(
                file, int(rows[i]), column, clip(str(values[i])),
                en if isinstance(en, str) else en[i], zh if isinstance(zh, str) else zh[i],
            ))
        if n > MAX_PER_RULE:
            key = (file, column, rule)
            self._extra[key] = self._extra.get(key, 0) + n - MAX_PER_RULE

    def __bool__(self) -> bool:
        return bool(self.items)

    def finish(self) -> list[Problem]:
        """Every problem, with one "and N more" line per capped (file, column, rule)."""
        for (file, column, rule), extra in self._extra.items():
            self.items.append(Problem(
                file, None, column, None,
                f"... and {extra} more rows with the same problem ({rule}); "
                f"only the first {MAX_PER_RULE} are listed.",
                f"……另有 {extra} 行存在同类问题({rule}),仅列出前 {MAX_PER_RULE} 行。",
            ))
        return self.items
