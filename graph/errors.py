"""Typed, bilingual errors raised by the wushe library.

The library never prints or exits; the CLI turns these into ``click.ClickException`` and
the app into ``st.error``. Bugs are left as ordinary exceptions so they keep their traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Notice",
    "WusheError",
    "StoreError",
    "LoadInProgress",
    "ReadOnlyViolation",
    "QueryRefused",
    "EngineCrashed",
    "QueryError",
    "engine_reason",
    "QueryNotFound",
    "QueryParamError",
    "ValidationError",
    "Problem",
    "Neo4jConnectionError",
    "FocusNotFound",
]


@dataclass(frozen=True)
class Notice:
    """A bilingual message that is not an error (中文 first): what the user should know
    about an import, a map, a result."""

    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class WusheError(Exception):
    """Base class of every error meant for the user. ``zh`` holds the Chinese message."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class StoreError(WusheError):
    """The store cannot be opened or used."""


class LoadInProgress(StoreError):
    """Another process is loading into the same store."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"A load is in progress in {where}; try again when it has finished.",
            f"{where} 正在导入数据,请在导入完成后重试。",
        )


class ReadOnlyViolation(WusheError):
    """A console query tried to write."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Queries here are read-only: CREATE, MERGE, SET, DELETE, REMOVE, DROP, COPY, "
            "LOAD CSV and admin commands are refused. Load data with 'wushe load' or the "
            f"Data page.{(' Engine said: ' + detail) if detail else ''}",
            "此处查询为只读:CREATE、MERGE、SET、DELETE、REMOVE、DROP、COPY、LOAD CSV 及管理命令"
            "均被拒绝。请通过「wushe load」或数据页导入数据。"
            f"{('引擎信息:' + detail) if detail else ''}",
        )


_REFUSED_KIND = {
    "keyword": ("the keyword", "关键字"),
    "function": ("the function or procedure", "函数或过程"),
    "operator": ("the plan operator", "执行计划算子"),
    "syntax": ("the text", "文本"),
    "plan": ("the plan", "执行计划"),
}


class QueryRefused(ReadOnlyViolation):
    """An ad-hoc query was refused before it ran; the message names what refused it.

    ``kind`` is ``keyword``, ``function``, ``operator``, ``syntax`` or ``plan``; ``name``
    the keyword, function, procedure or operator (or the detail of a syntax problem).
    """

    def __init__(self, kind: str, name: str) -> None:
        what_en, what_zh = _REFUSED_KIND.get(kind, (kind, kind))
        WusheError.__init__(
            self,
            f"Refused: {what_en} {name} is not allowed here. Queries here are read-only: "
            "they only read the graph: no writes, no files or network, no settings, no "
            "administration. Load data with 'wushe load' or the Data page.",
            f"已拒绝:此处不允许{what_zh} {name}。此处查询为只读,只能读取图谱:不能写入、不能读取"
            "文件或网络、不能查看设置、不能执行管理命令。请通过「wushe load」或数据页导入数据。",
        )
        self.kind = kind
        self.name = name

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (QueryRefused, (self.kind, self.name))


class EngineCrashed(WusheError):
    """The embedded engine's worker process died or was stopped while running a query."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en, zh)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (EngineCrashed, (self.en, self.zh))


# What an engine's message means, in the reader's words: (pattern, Chinese, English), the
# first that matches wins; ``{0}`` is the pattern's first group (a name from the query).
_ENGINE_REASONS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p, re.IGNORECASE | re.DOTALL), zh, en) for p, zh, en in (
        (r"Table (\w+) does not exist", "没有名为「{0}」的节点类型或关系类型",
         "there is no node label or relationship type '{0}'"),
        (r"Variable [`']?(\w+)[`']? (?:is not in scope|not defined)",
         "变量「{0}」未定义(须先在 MATCH 等子句中出现)",
         "variable '{0}' is not defined (name it in a MATCH or another clause first)"),
        (r"Cannot find property (\w+)", "没有名为「{0}」的属性",
         "there is no property '{0}'"),
        (r"function (\w+) does not exist|Unknown function '([\w.]+)'", "没有名为「{0}」的函数",
         "there is no function '{0}'"),
        (r"Divide by zero|/ by zero", "除数为零", "division by zero"),
        (r"did not receive correct arguments|Cannot match a built-in function|Type mismatch",
         "函数或运算的参数类型不符", "a function or operator got values of the wrong type"),
        (r"Parser exception|Invalid input|syntax", "语句不符合 Cypher 语法",
         "the statement is not valid Cypher"),
        (r"interrupt|timeout|timed out|terminated", "执行超时或被中断",
         "it ran out of time or was interrupted"),
    ))


def engine_reason(engine_message: str) -> tuple[str, str]:
    """What an engine's error message means, in Chinese and English.

    Examples
    --------
    >>> engine_reason("Binder exception: Variable m is not in scope.")[0]
    '变量「m」未定义(须先在 MATCH 等子句中出现)'
    >>> engine_reason("Something new")[1]
    'the engine reported an error'
    """
    for pattern, zh, en in _ENGINE_REASONS:
        m = pattern.search(engine_message)
        if m:
            name = next((g for g in m.groups() if g), "")
            return zh.format(name), en.format(name)
    return "引擎报告了错误", "the engine reported an error"


class QueryError(WusheError):
    """The database engine rejected or failed a query; ``engine_message`` is its own text.

    The message says what went wrong in the reader's words first; the engine's own
    (English) text follows as a detail, which :meth:`summary` leaves out.
    """

    def __init__(self, engine_message: str, backend: str) -> None:
        zh, en = engine_reason(engine_message)
        self.summary_zh = f"{backend} 引擎无法执行该查询:{zh}。"
        self.summary_en = f"The {backend} engine could not run the query: {en}."
        super().__init__(
            f"{self.summary_en} The engine's text: {engine_message} (see queries/README.md "
            "for the Cypher that runs on both stores)",
            f"{self.summary_zh}引擎原文:{engine_message}(两种存储通用的 Cypher 写法见 "
            "queries/README.md)",
        )
        self.engine_message = engine_message
        self.backend = backend

    def summary(self, lang: str = "zh") -> str:
        """The message without the engine's own text (shown apart, as a detail)."""
        return self.summary_zh if lang == "zh" else self.summary_en

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (QueryError, (self.engine_message, self.backend))


class QueryNotFound(WusheError):
    """No named query has this name."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        hint_en = f" Did you mean '{suggestion}'?" if suggestion else ""
        hint_zh = f"您是否要找「{suggestion}」?" if suggestion else ""
        super().__init__(
            f"Unknown query '{name}'.{hint_en} Run 'wushe queries' to list them.",
            f"未知查询「{name}」。{hint_zh}运行「wushe queries」查看全部查询。",
        )
        self.name = name


class QueryParamError(WusheError):
    """A named query was given a parameter it does not declare, or a bad value."""


class Neo4jConnectionError(StoreError):
    """The Neo4j server is unreachable, refused the credentials or is the wrong version."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an import: file (and sheet), row, column, value, expectation."""

    file: str
    row: int | None  # 1-based data row as a spreadsheet shows it (header is row 1)
    column: str | None
    value: str | None
    en: str
    zh: str

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def where_zh(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return ",".join(parts)

    def message(self, lang: str = "zh") -> str:
        value = "" if self.value is None else (
            f" 值「{self.value}」" if lang == "zh" else f" value '{self.value}'"
        )
        if lang == "zh":
            return f"{self.where_zh()}{value}:{self.zh}"
        return f"{self.where()}{value}: {self.en}"


class ValidationError(WusheError):
    """An import has problems; nothing was written. ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        head_en = f"The import has {n} problem{'s' if n != 1 else ''}; nothing was loaded."
        head_zh = f"导入数据有 {n} 处问题,未写入任何数据。"
        shown = problems[:50]
        more_en = f"\n… and {n - 50} more" if n > 50 else ""
        more_zh = f"\n……另有 {n - 50} 处" if n > 50 else ""
        super().__init__(
            head_en + "\n" + "\n".join(p.message("en") for p in shown) + more_en,
            head_zh + "\n" + "\n".join(p.message("zh") for p in shown) + more_zh,
        )


class FocusNotFound(WusheError):
    """The node a map should focus on is not on it (filtered out, or never there)."""

    def __init__(self, node: str) -> None:
        super().__init__(
            f"The focus node '{node}' is not on the map: the filters leave it out. "
            "Clear the focus or widen the filters.",
            f"聚焦节点「{node}」不在当前图中:已被筛选条件排除。请取消聚焦或放宽筛选条件。",
        )
        self.node = node
