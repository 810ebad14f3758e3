"""A lexical first line of defence for console queries.

The real guarantee is the engine's read-only mode (Ladybug opened read-only, Neo4j read
transactions); this check only gives clearer messages and refuses statements that a
read-only engine would still attempt (Ladybug's INSTALL downloads an extension).
"""

from __future__ import annotations

import re

from wushe.graph.errors import ReadOnlyViolation, WusheError

__all__ = ["strip_comments_and_strings", "check_single_read_statement"]

_TOKEN = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`""", re.S
)
_REFUSED_FIRST = {"INSTALL", "LOAD", "ATTACH", "DETACH", "EXPORT", "IMPORT", "USE", "CHECKPOINT",
                  "BEGIN", "COMMIT", "ROLLBACK", "SET"}
_WRITE_WORDS = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP|COPY|ALTER|INSTALL|ATTACH|FOREACH)\b|"
    r"\bLOAD\s+(CSV|EXTENSION|FROM)\b|\b(EXPORT|IMPORT)\s+DATABASE\b|"
    # Neo4j write/admin procedures (db.createLabel, dbms.*, tx.*, plugins) and Ladybug's
    # `CALL option=value` configuration form
    r"\bCALL\s+(dbms|apoc|gds|tx)\b|\bCALL\s+db\s*\.\s*(create\w*|clear\w*|checkpoint|drop\w*|"
    r"index\s*\.\s*\w+\s*\.\s*(create|drop)\w*)|\bCALL\s+\w+\s*=",
    re.I,
)


def strip_comments_and_strings(cypher: str) -> str:
    """Replace comments with a space and string literals with ``''``."""
    return _TOKEN.sub(lambda m: "''" if m.group(0)[0] in "'\"" else " ", cypher)


def check_single_read_statement(cypher: str) -> str:
    """Return ``cypher`` stripped of a trailing ``;`` if it is one read statement.

    Raises
    ------
    ReadOnlyViolation
        when a write or admin keyword appears outside strings and comments.
    WusheError
        when the text holds more than one statement, or none.

    Examples
    --------
    >>> check_single_read_statement("MATCH (n) RETURN n // CREATE in a comment;")
    'MATCH (n) RETURN n // CREATE in a comment;'
    """
    bare = strip_comments_and_strings(cypher).strip()
    if not bare:
        raise WusheError("The query is empty.", "查询为空。")
    body = bare.rstrip(";").strip()
    if ";" in body:
        raise WusheError(
            "Run one statement at a time (found ';' between statements).",
            "请一次只执行一条语句(语句之间出现了「;」)。",
        )
    first = body.split(None, 1)[0].upper()
    m = _WRITE_WORDS.search(body)
    if first in _REFUSED_FIRST or m:
        raise ReadOnlyViolation(m.group(0) if m else first)
    return cypher
