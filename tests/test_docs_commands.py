"""Docs that run: every shell command in README.md and docs/*.md runs here, as written.

Each page's ``bash`` blocks run in order in one shell, in a temporary folder holding a copy
of ``sample_data/`` (``/tmp/`` in a command becomes that folder, so runs never meet), with
``set -e``: a command that fails or
no longer exists fails the test and names the page. A few commands are not run — each is
listed in :data:`NOT_RUN` with the reason — but a ``wushe`` one is still parsed by the CLI,
so a wrong option or command name fails here too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from wushe.app.cli import cli
from wushe.queries.registry import list_queries

pytestmark = [pytest.mark.store, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL = {"bash", "sh", "shell", "console"}
_BLOCK = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)

#: commands not run, by how they start, and why
NOT_RUN = {
    "bash scripts/app.sh": "starts the app server and waits; tests/test_browser.py runs the app",
    "bash scripts/test.sh": "is this test suite",
    "wushe app": "starts the server and waits; tests/test_app_server.py starts and stops it",
    "export WUSHE_NEO4J_": "credentials for a remote Neo4j server",
    "wushe load data/ --store neo4j://": "needs a remote Neo4j server (the neo4j tests load "
                                         "into the local one)",
    "wushe query --name community_profile --store neo4j+s://": "needs a Neo4j Aura instance",
    "wushe neo4j ": "starts a local Neo4j; tests/test_neo4j_bulk.py and test_neo4j_local.py "
                    "run the server and the bulk import",
}
QUERY_NAMES = {q.name for q in list_queries()}
#: what a page's commands take as given, run before them
SETUP = {
    "briefing.md": ["wushe load {sample} --store /tmp/s --as-of 2025-12-31"],
}


def _commands(page: Path) -> list[str]:
    """The shell commands of a page's shell blocks, comments and blank lines dropped."""
    out = []
    for lang, body in _BLOCK.findall(page.read_text(encoding="utf-8")):
        if lang in SHELL:
            out += [line.strip() for line in body.splitlines()
                    if line.strip() and not line.strip().startswith("#")]
    return out


def _skipped(command: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if command.startswith(start)), None)


def _pages_with_commands() -> list[Path]:
    return [p for p in PAGES if _commands(p)]


def test_commands_are_in_labelled_shell_blocks():
    """A command in an unlabelled block would escape this test: label it ``bash``."""
    hidden = [(p.name, body.splitlines()[0]) for p in PAGES
              for lang, body in _BLOCK.findall(p.read_text(encoding="utf-8"))
              if not lang and re.match(r"\s*(wushe|bash|python3?|pip|export) ", body)]
    assert hidden == []


def test_every_command_not_run_says_why_and_still_parses():
    for page in _pages_with_commands():
        for command in _commands(page):
            if _skipped(command) is None or not command.startswith("wushe "):
                continue
            args = shlex.split(command, comments=True)[1:]
            ctx, cmd = click.Context(cli, info_name="wushe", **cli.context_settings), cli
            while isinstance(cmd, click.Group):  # down to the command (wushe neo4j start)
                name, args = args[0], args[1:]
                sub = cmd.get_command(ctx, name)
                assert sub is not None, f"{page.name}: no command {name!r} in {command!r}"
                ctx, cmd = click.Context(sub, info_name=name, parent=ctx), sub
            try:
                parsed = cmd.make_context(ctx.info_name, list(args), parent=ctx.parent)
                # `wushe query NAME` runs NAME as Cypher: a library query needs --name
                cypher = parsed.params.get("cypher") if cmd.name == "query" else None
                assert cypher not in QUERY_NAMES, f"{page.name}: {command!r} needs --name"
            except click.BadParameter as e:
                if "does not exist" not in str(e):  # the example's own files are not here
                    pytest.fail(f"{page.name}: {command!r} does not parse: {e}")
            except click.UsageError as e:
                pytest.fail(f"{page.name}: {command!r} does not parse: {e}")


def test_the_not_run_list_has_no_stale_entry():
    commands = [c for p in _pages_with_commands() for c in _commands(p)]
    stale = [start for start in NOT_RUN if not any(c.startswith(start) for c in commands)]
    assert stale == []


@pytest.mark.parametrize("page", _pages_with_commands(), ids=lambda p: p.name)
def test_page_commands_run(page: Path, tmp_path: Path):
    # Commands are written for the checkout's root; a copy of sample_data/ stands in for it,
    # so a command that writes there (wushe generate sample_data --sample) leaves it alone.
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data",
                    ignore=shutil.ignore_patterns("__pycache__"))
    tmp = str(tmp_path)
    # the copy, by a relative path: the checkout itself may live under /tmp/ (CI's clones do)
    lines = [c.format(sample="sample_data") for c in SETUP.get(page.name, [])]
    lines += [c for c in _commands(page) if _skipped(c) is None]
    script = "set -euo pipefail\n" + "\n".join(line.replace("/tmp/", f"{tmp}/")
                                               for line in lines)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "WUSHE_VERSIONS": str(tmp_path / "versions")}
    env.pop("WUSHE_STORE", None)
    r = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, f"{page.name}:\n{script}\n--- output ---\n{r.stdout[-3000:]}" \
                              f"\n{r.stderr[-3000:]}"
