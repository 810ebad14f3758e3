"""Generate docs/cli.md (from --help) and docs/queries.md (from the query library).

A test keeps both files in step with the code.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from wushe.app.cli import cli

__all__ = ["cli_markdown", "queries_markdown", "DOC", "QUERIES_DOC"]

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
QUERIES_DOC = DOC.with_name("queries.md")


def _commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
    out = []
    for name in sorted(group.commands):
        cmd = group.commands[name]
        out.append([*prefix, name])
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, [*prefix, name]))
    return out


def cli_markdown() -> str:
    """The CLI reference as Markdown: ``wushe --help`` and each subcommand's help."""
    runner = CliRunner()
    parts = ["# wushe command line\n",
             "Generated from `--help` by `python -m wushe.app.cli_docs`; do not edit by hand.\n"]
    for path in [[], *_commands(cli, [])]:
        result = runner.invoke(cli, [*path, "--help"], prog_name="wushe",
                               terminal_width=100)
        title = " ".join(["wushe", *path])
        parts.append(f"## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def queries_markdown() -> str:
    """The named query library as Markdown: name, titles, description, parameters."""
    from wushe.queries.registry import list_queries

    parts = ["# Named queries 命名查询\n",
             "Generated from `queries/` by `python -m wushe.app.cli_docs`; do not edit by hand. "
             "Run one with `wushe query --name NAME --param key=value`.\n"]
    for q in sorted(list_queries(), key=lambda q: (q.topic, q.name)):
        params = ", ".join(
            f"`{p.name}`: {p.type}" + (f" = `{p.default}`" if p.default is not None else
                                       " (required)") for p in q.params) or "none"
        parts.append(f"## `{q.name}` — {q.title_zh} / {q.title_en}\n\n"
                     f"Topic: {q.topic or '-'}. Parameters: {params}.\n\n"
                     f"{q.description_zh}\n\n{q.description_en}\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(cli_markdown(), encoding="utf-8")
    QUERIES_DOC.write_text(queries_markdown(), encoding="utf-8")
    print(f"wrote {DOC} and {QUERIES_DOC}")
