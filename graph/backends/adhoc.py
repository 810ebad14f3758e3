"""Run a statement written in Neo4j's Cypher on either store, with Neo4j's answer.

The console and ``wushe query`` call :func:`run_researcher_cypher`: on Neo4j the text runs
as written; on the embedded store it is first translated (:mod:`graph.cypher`), which
either gives Neo4j's answer or refuses with the portable form, and then runs through the
store's own read-only path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from wushe.graph.backends.base import GraphBackend
from wushe.graph.cypher import apply_post, translate
from wushe.graph.readonly import check_single_read_statement

__all__ = ["run_researcher_cypher"]


def run_researcher_cypher(backend: GraphBackend, cypher: str,
                          params: Mapping[str, Any] | None = None, *,
                          timeout_s: float | None = None,
                          row_limit: int | None = None) -> pd.DataFrame:
    """Run one read statement in Neo4j's dialect on ``backend``.

    Parameters
    ----------
    backend : GraphBackend
        Either store.
    cypher : str
        One read statement as Neo4j 5 reads it.
    params : mapping, optional
        Typed parameters (see :func:`graph.cypher.parse_param`).
    timeout_s, row_limit
        As for :meth:`GraphBackend.run`.

    Returns
    -------
    pandas.DataFrame
        Neo4j's columns and values.

    Raises
    ------
    graph.cypher.Untranslatable
        when the embedded store cannot give Neo4j's answer (the message shows the
        portable form).
    """
    # the user's own text is checked first, so a refusal quotes what they wrote
    check_single_read_statement(cypher)
    if backend.engine != "Ladybug":
        return backend.run(cypher, params, timeout_s=timeout_s, row_limit=row_limit)
    t = translate(cypher.strip().rstrip(";"), params)
    df = backend.run(t.cypher, t.params, timeout_s=timeout_s, row_limit=row_limit)
    truncated = df.attrs.get("truncated")
    df = apply_post(df, t)
    if truncated is not None:
        df.attrs["truncated"] = truncated
    return df
