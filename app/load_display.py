"""One progress display for ``wushe load``: read, validate, write and analyse.

Each stage shows its name, how far it is, rows per second and its time; the last line
gives the true total (from the command's start to the kept analysis), not the store's
own write time. On a terminal the current stage's line is redrawn in place; in a log (not
a terminal) each stage prints one line when it ends.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["LoadDisplay", "STAGES"]

#: stage key → (中文, English)
STAGES: dict[str, tuple[str, str]] = {
    "read": ("读取", "read"),
    "validate": ("校验", "validate"),
    "write": ("写入", "write"),
    "analyse": ("分析", "analyse"),
}
_REDRAW_S = 0.2  # at most five redraws a second: a progress line must not cost time


class LoadDisplay:
    """Stage-by-stage progress of one load, printed to ``stream`` (stderr by default).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> d = LoadDisplay("en", stream=out, clock=iter([0.0, 0.0, 2.0, 2.0]).__next__)
    >>> d.start("read")
    >>> d.finish(1000)
    >>> out.getvalue()
    '[1/4] read           1,000 rows   500 rows/s   2.0 s\\n'
    """

    def __init__(self, lang: str = "zh", *, stream: TextIO | None = None,
                 clock: object = time.perf_counter) -> None:
        self.lang = lang
        self.stream = stream or sys.stderr
        self._clock = clock
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = self._clock()  # type: ignore[operator]
        self.stage: str | None = None
        self.seconds: dict[str, float] = {}
        self._start = self.t0
        self._total_rows: int | None = None
        self._drawn = 0.0

    def start(self, stage: str, total_rows: int | None = None) -> None:
        """Begin ``stage`` (a key of :data:`STAGES`) of ``total_rows`` rows, if known."""
        self.stage = stage
        self._start = self._clock()  # type: ignore[operator]
        self._total_rows = total_rows
        self._drawn = 0.0
        self.update(0)

    def update(self, rows: int, detail: str = "") -> None:
        """Redraw the current stage's line (terminal only) with ``rows`` done."""
        if not self._tty or self.stage is None:
            return
        now = self._clock()  # type: ignore[operator]
        if rows and now - self._drawn < _REDRAW_S:
            return
        self._drawn = now
        self.stream.write("\r\x1b[2K" + self._line(rows, now - self._start, detail))
        self.stream.flush()

    def finish(self, rows: int | None = None) -> None:
        """End the current stage, printing its final line."""
        if self.stage is None:
            return
        seconds = self._clock() - self._start  # type: ignore[operator]
        self.seconds[self.stage] = seconds
        self.stream.write(("\r\x1b[2K" if self._tty else "") + self._line(rows, seconds) + "\n")
        self.stream.flush()
        self.stage = None

    def total(self) -> float:
        """Seconds since the display was made (the command's whole time)."""
        return self._clock() - self.t0  # type: ignore[operator]

    def _line(self, rows: int | None, seconds: float, detail: str = "") -> str:
        assert self.stage is not None
        keys = list(STAGES)
        zh, en = STAGES[self.stage]
        head = f"[{keys.index(self.stage) + 1}/{len(keys)}] {zh if self.lang == 'zh' else en:<8}"
        unit, rate = ("行", "行/秒") if self.lang == "zh" else ("rows", "rows/s")
        parts = [head]
        if rows is not None:
            of = f" / {self._total_rows:,}" if self._total_rows and self.stage != "read" and \
                rows < self._total_rows else ""
            parts.append(f"{rows:>9,}{of} {unit}")
            if seconds > 0 and rows:
                parts.append(f"{rows / seconds:,.0f} {rate}")
        parts.append(f"{seconds:.1f} s")
        if detail:
            parts.append(detail)
        return "   ".join(parts)
