"""The one path of every ad-hoc statement (console, ``wushe query``, anything a user types).

In order:

1. :func:`~wushe.graph.readonly.check_single_read_statement` on the user's own text (a
   refusal quotes what they wrote), then :func:`translate`: on the embedded store the
   statement is rewritten from Neo4j's dialect (:mod:`graph.cypher`) or refused with the
   portable form; the translated text is checked lexically again.
2. the store's ``_run_guarded``: the engine EXPLAINs the statement, the plan is checked
   against the read allow-lists (``plan_guard``), and only then does it run — on Neo4j in
   a read transaction, on the embedded store in a worker process (``ladybug_worker``).
3. :func:`hide_hashes` — salted hashes of phone and ID numbers never reach the user.

Named queries from the library are trusted and keep using ``GraphBackend.run``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from wushe.graph.cypher import Translation, Untranslatable, apply_post
from wushe.graph.cypher import translate as translate_to_ladybug
from wushe.graph.cypher.translate import GUARD_INDEX
from wushe.graph.errors import QueryError, WusheError
from wushe.graph.readonly import check_single_read_statement

if TYPE_CHECKING:
    from wushe.graph.backends.base import GraphBackend

__all__ = ["run_adhoc", "run_researcher_cypher", "translate", "hide_hashes", "HIDDEN_HASH",
           "check_timeout"]

#: What a salted hash is shown as.
HIDDEN_HASH = "sha256:(已隐藏 hidden)"
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


def translate(engine: str, cypher: str, params: dict[str, Any]
              ) -> tuple[str, dict[str, Any], Translation | None]:
    """Rewrite ``cypher`` (and its parameters) for ``engine``; the translation seam.

    Everything after this step — the lexical check, the plan guard, execution — sees the
    translated text, so what is checked is what runs. Returns the text, the parameters and
    the translation (whose post-processing :func:`graph.cypher.apply_post` applies), or
    ``None`` on Neo4j, which runs the text as written.
    """
    if engine != "Ladybug":
        return cypher, params, None
    t = translate_to_ladybug(cypher.strip().rstrip(";"), params)
    return t.cypher, dict(t.params), t


def check_timeout(timeout_s: float | None) -> None:
    """Refuse a timeout that is zero or negative (``None`` means the store's default)."""
    if timeout_s is not None and not timeout_s > 0:
        raise WusheError(f"The timeout must be more than 0 seconds, got {timeout_s:g}.",
                         f"超时必须大于 0 秒,收到的是 {timeout_s:g}。")


def run_adhoc(store: GraphBackend, cypher: str, params: Mapping[str, Any] | None = None, *,
              timeout_s: float | None = None, row_limit: int | None = None,
              show_hashes: bool = False) -> pd.DataFrame:
    """Run a user's statement read-only, after the lexical and plan checks.

    Parameters
    ----------
    store : GraphBackend
        Where to run it.
    cypher : str
        One read statement as typed by the user, as Neo4j 5 reads it.
    params : mapping, optional
        Query parameters.
    timeout_s : float, optional
        Timeout; the store's default when omitted. Must be > 0.
    row_limit : int, optional
        At most this many rows (``df.attrs["truncated"]`` says whether more existed).
    show_hashes : bool, optional (default=False)
        Keep salted hashes in the result (only for the loader's own checks, never a user).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    QueryRefused
        Lexically or by plan, naming the keyword, operator or function.
    graph.cypher.Untranslatable
        When the embedded store cannot give Neo4j's answer (shows the portable form).
    QueryError
        The engine rejected it or it reached the timeout.
    EngineCrashed
        The embedded engine's worker died or passed its memory limit.
    """
    check_timeout(timeout_s)
    check_single_read_statement(cypher)  # the user's own text: a refusal quotes it
    text, bound, t = translate(store.engine, cypher, dict(params or {}))
    if text != cypher:
        check_single_read_statement(text)
    try:
        df = store._run_guarded(text, bound, timeout_s=timeout_s or store_timeout(store),
                                row_limit=row_limit)
    except QueryError as e:
        # a translation's runtime guard fired: these rows have no exact Ladybug value
        if t is not None and t.guards and f"index={GUARD_INDEX} " in e.engine_message:
            raise Untranslatable(
                ", ".join(t.guards) + " for some rows",
                "return the value itself and convert it in the client",
                "the embedded store cannot give Neo4j's exact value for these rows",
                "嵌入式存储无法为这些行给出与 Neo4j 完全相同的值",
                zh=(", ".join(t.guards) + " 的部分行", "返回原值,在客户端转换")) from None
        raise
    if t is not None:
        truncated = df.attrs.get("truncated")
        df = apply_post(df, t)
        if truncated is not None:
            df.attrs["truncated"] = truncated
    return df if show_hashes else hide_hashes(df)


#: The name the console and CLI call (issue 13's entry point): the same guarded path.
run_researcher_cypher = run_adhoc


def store_timeout(store: GraphBackend) -> float:
    """The store's default timeout in seconds."""
    from wushe.graph.backends.base import DEFAULT_TIMEOUT_S

    return float(getattr(store, "timeout_s", DEFAULT_TIMEOUT_S))


def hide_hashes(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every salted hash (anywhere in a value, nested too) replaced."""
    cols = [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) == "str"
            or pd.api.types.is_string_dtype(df[c])]
    if not cols:
        return df
    out = df.copy()
    for c in cols:
        out[c] = [_hide(v) for v in out[c].tolist()]
        if out[c].dtype != df[c].dtype:
            out[c] = out[c].astype(object)
    out.attrs = dict(df.attrs)
    return out


def _hide(v: Any) -> Any:
    if isinstance(v, str):
        return _HASH.sub(HIDDEN_HASH, v) if "sha256:" in v else v
    if isinstance(v, dict):
        return {k: _hide(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return type(v)(_hide(x) for x in v)
    return v
