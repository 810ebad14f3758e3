"""A lexical first line of defence for ad-hoc queries.

The guarantee is the engine's own plan (``graph/backends/plan_guard.py``) and, on the
embedded store, a worker process; this check refuses the obvious cases early with a clear
message, and it keeps a statement that crashes the embedded engine even while being
EXPLAINed (``CALL read_csv_serial(…)``) away from the engine altogether.

The lexer errs on the side of refusing. Where the two engines read a comment or a string
differently, it takes the reading that exposes the most text to the checks: a ``//``
comment ends at the first of any line break (LF, CR, VT, FF, NEL, U+2028, U+2029), a
``/* … */`` comment at the first ``*/`` (no nesting), an unterminated comment, string or
backticked name is refused, Unicode spaces count as spaces, invisible format characters
are dropped and letters are NFKC-folded, so ``ＣＲＥＡＴＥ`` or ``CRE\u200bATE`` count as
``CREATE``.
"""

from __future__ import annotations

import re
import unicodedata

from wushe.graph.errors import QueryRefused, WusheError

__all__ = ["normalize_statement", "strip_comments_and_strings", "check_single_read_statement",
           "REFUSED_WORDS", "REFUSED_CALLS"]

# Every line break some Cypher lexer honours; a // comment ends at the first of them.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: Keywords that never occur in a read query (clauses, administration, transactions).
REFUSED_WORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "COPY", "ALTER", "INSTALL",
    "UNINSTALL", "ATTACH", "DETACH", "FOREACH", "LOAD", "EXPORT", "IMPORT", "USE",
    "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "SHOW", "TERMINATE", "GRANT", "DENY",
    "REVOKE", "TRANSACTIONS",
})

#: Procedures and table functions refused by name (prefixes, lower case): file, network,
#: settings and administration. The plan guard refuses every other non-allowed one too;
#: naming these here keeps them from reaching the engine at all (some crash it).
REFUSED_CALLS = (
    "dbms.", "apoc.", "gds.", "tx.", "db.create", "db.clear", "db.checkpoint", "db.index.",
    "db.awaitindex", "db.resampleindex", "db.prepareforreplanning", "db.stats.",
    "read_", "file_info", "current_setting", "project_graph", "drop_projected_graph",
    "clear_warnings", "_cache", "show_", "storage_info", "bm_info", "fsm_info", "disk_",
    "stats_info", "db_version", "catalog_version", "storage_version",
)

_WORD = re.compile(r"[^\W\d]\w*")
_CALL = re.compile(r"([^\W\d][\w]*(?:\s*\.\s*[^\W\d]\w*)*)\s*\(")


def normalize_statement(cypher: str) -> str:
    """Comments to a space, strings to ``''``, backticked names to their bare text.

    Raises
    ------
    QueryRefused
        On an unterminated comment, string or backticked name.

    Examples
    --------
    >>> normalize_statement("MATCH (n) // c\\rRETURN 'x;' AS `a b`")
    "MATCH (n)   RETURN '' AS a_b"
    """
    out: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        two = cypher[i:i + 2]
        if two == "//":
            j = i + 2
            while j < n and cypher[j] not in _LINE_BREAKS:
                j += 1
            out.append(" ")
            i = j
        elif two == "/*":
            j = cypher.find("*/", i + 2)
            if j < 0:
                raise _unterminated("/* comment", "/* 注释")
            out.append(" ")
            i = j + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and cypher[j] != ch:
                j += 2 if cypher[j] == "\\" else 1
            if j >= n:
                raise _unterminated("string", "字符串")
            out.append("''")
            i = j + 1
        elif ch == "`":
            j, name = i + 1, []
            while True:
                k = cypher.find("`", j)
                if k < 0:
                    raise _unterminated("`name`", "`名称`")
                name.append(cypher[j:k])
                if cypher[k + 1:k + 2] == "`":  # `` is a literal backtick inside the name
                    name.append("`")
                    j = k + 2
                    continue
                break
            bare = _fold("".join(name))
            out.append(re.sub(r"[^\w.]", "_", bare) or "_")
            i = k + 1
        else:
            j = i
            while j < n and cypher[j] not in "/'\"`":
                j += 1
            if j == i:  # a lone '/' (division)
                j = i + 1
            out.append(_fold(cypher[i:j]))
            i = j
    return "".join(out)


def strip_comments_and_strings(cypher: str) -> str:
    """Alias of :func:`normalize_statement` kept for callers of the old name."""
    return normalize_statement(cypher)


def check_single_read_statement(cypher: str) -> str:
    """Return ``cypher`` if, read lexically, it is one read statement.

    Raises
    ------
    QueryRefused
        When a write, file, administration or transaction keyword, or a refused procedure
        or table function, appears outside strings and comments (message names it).
    WusheError
        When the text holds more than one statement, or none.

    Examples
    --------
    >>> check_single_read_statement("MATCH (n) RETURN n // CREATE in a comment;")
    'MATCH (n) RETURN n // CREATE in a comment;'
    """
    bare = normalize_statement(cypher).strip()
    if not bare:
        raise WusheError("The query is empty.", "查询为空。")
    body = bare.rstrip(";").strip()
    if ";" in body:
        raise WusheError(
            "Run one statement at a time (found ';' between statements).",
            "请一次只执行一条语句(语句之间出现了「;」)。",
        )
    for m in _WORD.finditer(body):
        word = m.group(0).upper()
        if word in REFUSED_WORDS and not _is_name(body, m.start(), m.end()):
            raise QueryRefused("keyword", word)
    for m in _CALL.finditer(body):
        name = re.sub(r"\s+", "", m.group(1)).lower()
        if name.startswith(REFUSED_CALLS) and not _is_name(body, m.start(), m.end() - 1):
            raise QueryRefused("function", name)
    if re.search(r"\bCALL\s+[^\W\d]\w*\s*=", body, re.I):  # Ladybug's CALL option=value
        raise QueryRefused("keyword", "CALL … =")
    return cypher


def _is_name(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` is a property, parameter or map key."""
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    return before in (".", "$") or (after == ":" and before in ("{", ","))


def _fold(code: str) -> str:
    """NFKC letters, Unicode spaces as spaces, invisible format characters dropped."""
    code = unicodedata.normalize("NFKC", code)
    return "".join(" " if c.isspace() else c for c in code
                   if unicodedata.category(c) != "Cf")


def _unterminated(what_en: str, what_zh: str) -> WusheError:
    return QueryRefused("syntax", f"unterminated {what_en} / 未结束的{what_zh}")
