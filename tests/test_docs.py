"""Documentation stays in step with the code: every command and query is documented."""

from wushe.app.cli_docs import DOC, QUERIES_DOC, cli_markdown, queries_markdown
from wushe.queries.registry import list_queries


def test_cli_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == cli_markdown(), (
        "docs/cli.md is stale: run python -m wushe.app.cli_docs")


def test_query_reference_is_current_and_names_every_query():
    text = QUERIES_DOC.read_text(encoding="utf-8")
    assert text == queries_markdown(), "docs/queries.md is stale: run python -m wushe.app.cli_docs"
    for q in list_queries():
        assert f"## `{q.name}`" in text
