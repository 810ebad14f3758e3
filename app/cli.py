"""The ``wushe`` command line: thin commands over the library.

Results go to stdout, messages to stderr; library errors (:class:`WusheError`) become a
clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wushe.graph.errors import ValidationError, WusheError

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])
LANG = os.environ.get("WUSHE_LANG", "zh")


def _user_errors(fn: F) -> F:
    """Turn library errors into ClickException (bugs keep their traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WusheError as e:
            raise click.ClickException(e.message(LANG)) from None
        except OSError as e:
            # A full disk, a permission or a vanished file: the store is unchanged (loads
            # write a new file and swap it in last), so say where and why, no traceback.
            raise click.ClickException(_os_error_message(e)) from None

    return wrapper  # type: ignore[return-value]


def _os_error_message(e: OSError) -> str:
    """A located, bilingual message for an operating-system error."""
    where = e.filename or "?"
    reason_zh = {errno.ENOSPC: "磁盘空间已满", errno.EACCES: "没有访问权限",
                 errno.EPERM: "没有访问权限", errno.ENOENT: "文件或文件夹不存在",
                 errno.EROFS: "文件系统为只读", errno.EDQUOT: "超出磁盘配额"}
    zh = reason_zh.get(e.errno or 0, "读写失败")
    en = e.strerror or type(e).__name__
    return (f"{where}:{zh}({en});未写入任何数据,数据库保持不变。\n"
            f"{where}: {en}; nothing was written and the store is unchanged.")


def _interactive() -> bool:
    """Whether a person is at the terminal to answer a prompt."""
    return sys.stdin.isatty()


def _open_store(store: str | None, database: str | None, *, create: bool = True) -> Any:
    """Open the store, asking for the Neo4j password when a user is set and none is.

    The prompt lives here, not in the store: only the CLI owns a terminal (a Streamlit
    server started from one must never wait on a hidden prompt).
    """
    from wushe.graph.backends import is_neo4j_uri, open_store

    spec = store or os.environ.get("WUSHE_STORE")
    password = None
    if (spec and is_neo4j_uri(spec) and os.environ.get("WUSHE_NEO4J_USER")
            and not os.environ.get("WUSHE_NEO4J_PASSWORD") and _interactive()):
        password = click.prompt(f"Neo4j 密码 / password for '{os.environ['WUSHE_NEO4J_USER']}'",
                                hide_input=True, err=True)
    return open_store(store, database=database, create=create, password=password)


store_option = click.option(
    "--store", envvar="WUSHE_STORE", default=None, metavar="PATH|URI",
    help="Store folder (embedded, default .wushe/store) or neo4j://host:7687 "
         "(credentials from WUSHE_NEO4J_USER / WUSHE_NEO4J_PASSWORD). Env: WUSHE_STORE.",
)
database_option = click.option("--database", default=None, help="Neo4j database name.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wushe")
def cli() -> None:
    """wushe 五社联动资源图谱: load, query and analyse the five-social linkage graph."""


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--scale", default=0.01, show_default=True,
              help="Share of the full province (1.0 ≈ 23,000 communities).")
@click.option("--volunteers", type=int, default=None, help="Total volunteers (overrides scale).")
@click.option("--divisions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Divisions CSV with real city/county/township codes and names.")
@click.option("--cities", type=int, default=None,
              help="Keep the first N cities (of the divisions file, or invent N).")
@click.option("--counties-per-city", type=int, default=None,
              help="Keep the first N counties of each city (or invent N).")
@click.option("--townships-per-county", type=int, default=None,
              help="Keep the first N townships of each county (or invent N).")
@click.option("--sample", is_flag=True,
              help="Write the committed sample_data/ instead, byte for byte (other options "
                   "are ignored).")
@_user_errors
def generate(out_dir: Path, seed: int, scale: float, volunteers: int | None,
             divisions: Path | None, cities: int | None, counties_per_city: int | None,
             townships_per_county: int | None, sample: bool) -> None:
    """Generate a synthetic province in the import format (CSV files in OUT_DIR)."""
    from wushe.loaders.generator import generate_to, make_sample

    if sample:
        counts = make_sample(out_dir)
    else:
        counts = generate_to(out_dir, seed=seed, scale=scale, volunteers=volunteers,
                             divisions=divisions, cities=cities,
                             counties_per_city=counties_per_city,
                             townships_per_county=townships_per_county)
    _print_counts(counts)
    click.echo(f"wrote {out_dir}", err=True)


@cli.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@store_option
@database_option
@click.option("--replace", is_flag=True,
              help="Empty the store first (default: add to it; ids already stored are "
                   "updated from the files).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD",
              help="The date the data describes (default: today); kept in the version.")
@click.option("--keep-analysis/--no-keep-analysis", "keep", default=True, show_default=True,
              help="Compute and keep the new version's analysis (pages open without "
                   "recomputing; versions compare without the store).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Column mapping for registers (YAML or JSON; see "
                                 "docs/registers.md). Implies --registers.")
@click.option("--registers/--graph-format", "registers", default=None,
              help="Read SOURCE as registers (rosters, ledgers) or in the graph format "
                   "(default: registers unless every file is named after a table).")
@_user_errors
def load(source: Path, store: str | None, database: str | None, replace: bool,
         as_of: Any, keep: bool, mapping: Path | None, registers: bool | None) -> None:
    """Validate SOURCE (a folder of CSV/XLSX files or one workbook) and load it.

    Nothing is written unless every file passes validation; a failed load leaves the
    stored graph exactly as it was. Without --replace, a node whose id is already stored
    is updated: the columns the files give replace its values, and for each relationship
    table given, its relationships of that type are those the files list. Every load is a
    new version (see 'wushe versions').

    SOURCE may be registers (rosters, ledgers, the community list; docs/registers.md): each
    register then replaces what its kind describes and the changes are listed.
    """
    from wushe.app.load_display import LoadDisplay
    from wushe.graph.backends.versions import VersionMeta, hash_sources
    from wushe.loaders import read_path, salt_for_store, validate
    from wushe.loaders.registers import looks_graph_shaped

    if registers is None:
        registers = mapping is not None or not looks_graph_shaped(source)
    if registers:
        _load_registers(source, store, database, replace, as_of, keep, mapping)
        return
    shown = LoadDisplay(LANG)
    with _open_store(store, database) as backend:
        meta = VersionMeta(data_date=as_of.date() if as_of else VersionMeta().data_date,
                           sources=hash_sources(source))
        rows: dict[str, int] = {}

        def checked() -> Any:
            # Called by the store under its load lock: an incremental import is checked
            # against exactly the graph it is written to.
            shown.start("read")
            raw = read_path(source)
            n = sum(len(t.data) for t in raw)
            shown.finish(n)
            shown.start("validate", n)
            tables = validate(raw, store=None if replace else backend,
                              replacing=backend if replace else None,
                              salt=salt_for_store(backend), update=not replace)
            shown.finish(n)
            for notice in tables.warnings:
                click.echo(notice.message(LANG), err=True)
            rows.update(tables.counts())
            shown.start("write", sum(rows.values()))
            return tables

        def progress(_done: int, _total: int, name: str) -> None:
            # the stores report table by table, in schema order: rows of the tables before
            names = list(rows)
            shown.update(sum(rows[k] for k in names[:names.index(name)]) if name in rows
                         else sum(rows.values()), name)

        try:
            summary = backend.load(checked, replace=replace, update=not replace,
                                   progress=progress, meta=meta)
        except ValidationError as e:
            shown.finish()
            click.echo(e.message(LANG), err=True)
            raise SystemExit(1) from None
        shown.finish(summary.nodes + summary.rels)
        if keep:
            from wushe.graph.analytics.kept import keep_analysis

            shown.start("analyse")
            kept = keep_analysis(backend)
            shown.finish()
            if kept is not None:
                click.echo(f"version {kept.id}: analysis kept", err=True)
    _print_counts(summary.counts)
    click.echo(f"loaded {summary.nodes} nodes and {summary.rels} relationships in "
               f"{shown.total():.1f} s (write {summary.seconds:.1f} s)", err=True)
    if summary.updated or summary.removed:
        click.echo(f"of which {sum(summary.updated.values())} stored nodes were updated; "
                   f"{sum(summary.removed.values())} stored relationships were replaced", err=True)


def _load_registers(source: Path, store: str | None, database: str | None, replace: bool,
                    as_of: Any, keep: bool, mapping: Path | None) -> None:
    """``wushe load`` for registers: each register replaces what its kind describes."""
    from wushe.graph.backends.dump import read_tables
    from wushe.graph.backends.versions import VersionMeta, hash_sources
    from wushe.loaders import salt_for_store
    from wushe.loaders.registers import read_registers

    with _open_store(store, database) as backend:
        before = backend.version()
        base = None if replace else read_tables(backend)
        try:
            imp = read_registers(source, mapping=mapping, base=base,
                                 salt=salt_for_store(backend),
                                 on_step=lambda m: click.echo(f"… {m}", err=True))
        except ValidationError as e:
            click.echo(e.message(LANG), err=True)
            raise SystemExit(1) from None
        for summary in imp.registers:
            click.echo(summary.message(LANG), err=True)
        for notice in imp.tables.warnings:
            click.echo(notice.message(LANG), err=True)
        if backend.version() != before:
            raise click.ClickException(
                "存储在读取台账期间被另一次导入修改,未写入任何数据;请重新运行。" if LANG == "zh"
                else "The store changed while the registers were read; nothing was written. "
                     "Run the load again.")
        total = max(1, len(imp.tables.nodes) + len(imp.tables.rels))
        with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
            def progress(done: int, _total: int, _msg: str) -> None:
                bar.update(done - bar.pos)

            meta = VersionMeta(data_date=as_of.date() if as_of else VersionMeta().data_date,
                               sources=hash_sources(source))
            summary = backend.load(imp.tables, replace=replace or imp.replace,
                                   progress=progress, meta=meta)
        if keep:
            from wushe.graph.analytics.kept import keep_analysis

            keep_analysis(backend)
    for line in imp.changes.lines(LANG):
        click.echo(line, err=True)
    click.echo(f"loaded {summary.nodes} nodes and {summary.rels} relationships in "
               f"{summary.seconds:.1f} s", err=True)


@cli.command()
@click.argument("cypher", required=False)
@click.option("--name", "-n", default=None, help="Run a named query from the library.")
@click.option("--param", "-p", multiple=True, metavar="KEY=VALUE",
              help="Query parameter, typed as Neo4j's :param reads it: y=2024 (integer), "
                   "y='2024' (text), x=1.5, ok=true, ids='[\"a\",\"b\"]' (JSON), "
                   "d=\"date('2024-01-01')\".")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "gexf", "graphml"]),
              default="table", show_default=True,
              help="gexf/graphml: the nodes, relationships and paths of the result, for Gephi.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--limit", default=10_000, show_default=True, help="Row limit.")
@click.option("--timeout", default=30.0, show_default=True, help="Timeout in seconds.")
@store_option
@database_option
@_user_errors
def query(cypher: str | None, name: str | None, param: tuple[str, ...], fmt: str,
          out: Path | None, limit: int, timeout: float, store: str | None,
          database: str | None) -> None:
    """Run a read-only Cypher query (or --name NAME from the library).

    CYPHER is read as Neo4j 5 reads it on either store: on the embedded store it is
    translated, or refused with the portable form when no exact translation exists
    (docs/cypher.md lists what is supported).
    """
    from wushe.graph.backends.adhoc import hide_hashes, run_researcher_cypher
    from wushe.graph.cypher import parse_param
    from wushe.queries import registry

    _check_timeout(timeout)
    if bool(cypher) == bool(name):
        raise click.UsageError("Give either a CYPHER text or --name NAME, not both.")
    with _open_store(store, database, create=False) as backend:
        if name:
            # the library's header declares each parameter's type: bind from the text
            df = hide_hashes(registry.run(backend, name, row_limit=limit, timeout_s=timeout,
                                          **dict(_split_param(p) for p in param)))
        else:
            # typed like Neo4j's :param — y=2024 is an integer, y='2024' a string
            df = run_researcher_cypher(backend, cypher or "", dict(parse_param(p) for p in param),
                                       row_limit=limit, timeout_s=timeout)
    _emit(df, fmt, out)
    if df.attrs.get("truncated"):
        click.echo(f"(stopped at the row limit of {limit})", err=True)


@cli.group(invoke_without_command=True)
@click.option("--region", default=None,
              help="A city, county, township or community (id or name) whose subgraph to "
                   "write.")
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml"]), default="gexf",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: REGION.gexf / REGION.graphml).")
@store_option
@database_option
@click.pass_context
@_user_errors
def export(ctx: click.Context, region: str | None, fmt: str, out: Path | None,
           store: str | None, database: str | None) -> None:
    """Write data for other tools: with --region, a region's subgraph for Gephi.

    The subgraph holds the region's communities and every node directly linked to them
    (projects, organizations, workers, volunteers, needs, charity resources, the region
    above), with all their properties.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not region:
        raise click.UsageError("Give --region REGION (or a subcommand).")
    from wushe.app.export import region_subgraph, to_gexf, to_graphml

    with _open_store(store, database, create=False) as backend:
        G = region_subgraph(backend, region)
    target = out or Path(f"{region}.{fmt}")
    target.write_bytes(to_gexf(G) if fmt == "gexf" else to_graphml(G))
    click.echo(f"wrote {target} ({G.number_of_nodes()} nodes, {G.number_of_edges()} "
               "relationships)", err=True)


@cli.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default=LANG, show_default=True)
def queries(lang: str) -> None:
    """List the named queries of the library."""
    from wushe.queries import registry

    for q in registry.list_queries():
        params = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default is not None
                                                   else "") for p in q.params)
        click.echo(f"{q.name}\t{q.title(lang)}\t{params}")


@cli.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default=LANG, show_default=True)
def schema(lang: str) -> None:
    """Print the node labels and relationship types of the graph."""
    from wushe.graph.schema import ELEMENTS, SCHEMA

    for n in SCHEMA.nodes:
        el = f" [{ELEMENTS[n.element][0 if lang == 'zh' else 1]}]" if n.element else ""
        name = n.zh if lang == "zh" else n.en
        click.echo(f"(:{n.name}) {name}{el}: " + ", ".join(p.name for p in n.all_props))
    for r in SCHEMA.rels:
        pairs = ", ".join(f"{a}->{b}" for a, b in r.pairs)
        props = f" {{{', '.join(p.name for p in r.props)}}}" if r.props else ""
        click.echo(f"[:{r.name}] {r.zh if lang == 'zh' else r.en}{props}: {pairs}")


@cli.command()
@click.argument("region", required=False)
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "xlsx", "md"]),
              default="docx", show_default=True,
              help="docx/pdf: a briefing of a few pages; xlsx/md: the detailed tables.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--appendix", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With docx/pdf: also write every row behind the briefing to this XLSX.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="The language of the briefing or the tables.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default="2025-12-31",
              show_default=True, help="Judge the targets as of this date.")
@click.option("--data-date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date the data describes, shown on the briefing.")
@click.option("--province-share", type=click.FloatRange(0, 1, min_open=True), default=1.0,
              show_default=True,
              help="Share of the province the data covers (xlsx/md): province-wide counts "
                   "(1000, 3800, 200) are scaled by it.")
@click.option("--years", default=None, metavar="FROM-TO",
              help="Project years to analyse, e.g. 2024-2025 or 2024 (default: all).")
@store_option
@database_option
@_user_errors
def report(region: str | None, fmt: str, out: Path, appendix: Path | None, lang: str,
           as_of: dt.datetime, data_date: dt.datetime | None, province_share: float,
           years: str | None,
           store: str | None, database: str | None) -> None:
    """Write REGION's briefing (docx/pdf) or detailed tables (xlsx/md); province if omitted.

    REGION is a city, county, township or community, by name or id.
    """

    span = _year_span(years)
    _check_out_folder(out, "--out")
    if appendix:
        _check_out_folder(appendix, "--appendix")
    if appendix and fmt not in ("docx", "pdf"):
        raise click.BadParameter("--appendix goes with --format docx or pdf",
                                 param_hint="--appendix")
    with _open_store(store, database, create=False) as backend:
        if fmt in ("docx", "pdf"):
            from wushe.app import briefing

            b = briefing.build_briefing(backend, region, lang=lang, years=span,
                                        as_of=as_of.date(),
                                        data_date=data_date.date() if data_date else None)
            doc = briefing.docx_bytes(b)
            if fmt == "pdf":
                briefing.docx_to_pdf(doc, out)
            else:
                out.write_bytes(doc)
            if appendix:
                briefing.write_appendix(b, appendix)
                click.echo(f"wrote {appendix}", err=True)
        else:
            from wushe.app.report import build_report, write_report

            write_report(build_report(backend, region, years=span, as_of=as_of.date(),
                                      province_share=province_share), out, fmt=fmt, lang=lang)
    click.echo(f"wrote {out}", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@store_option
@database_option
@_user_errors
def versions(fmt: str, store: str | None, database: str | None) -> None:
    """List the store's versions: data date, load time, who, sources, counts, disk use."""
    from wushe.app.versions_table import versions_frame

    with _open_store(store, database, create=False) as backend:
        df = versions_frame(backend, LANG)
        keep = getattr(backend, "keep_versions", "")
    _emit(df, fmt)
    click.echo(f"kept versions use {df['disk_mib'].sum():.1f} MiB; the store keeps the last "
               f"{keep} (WUSHE_KEEP_VERSIONS)", err=True)


@cli.command()
@click.argument("version_a")
@click.argument("version_b")
@click.option("--region", default=None,
              help="A city, county, township or community (id or name); province if omitted.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "md"]), default="xlsx",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=LANG, show_default=True,
              help="The language of the sheets, headers and values.")
@store_option
@database_option
@_user_errors
def diff(version_a: str, version_b: str, region: str | None, fmt: str, out: Path, lang: str,
         store: str | None, database: str | None) -> None:
    """Compare two versions (see 'wushe versions'): targets, modes, gaps, index ranks and
    entities, from the analysis kept with each version (no recomputing)."""
    from wushe.app.diff_export import write_diff
    from wushe.app.report import resolve_region
    from wushe.graph.analytics.versions_diff import diff_versions, kept_version
    from wushe.graph.backends import open_store

    with open_store(store, database=database, create=False) as backend:
        a, b = kept_version(backend, version_a), kept_version(backend, version_b)
    import pandas as pd

    both = pd.concat([a.facts.communities, b.facts.communities], ignore_index=True)
    place = resolve_region(both, region)
    d = diff_versions(a, b, level=place.level, region_id=place.region_id)
    write_diff(d, out, fmt=fmt, lang=lang)
    click.echo(f"wrote {out}", err=True)


@cli.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@store_option
@database_option
@_user_errors
def undo(yes: bool, store: str | None, database: str | None) -> None:
    """Make the previous version current again and drop the latest load (embedded store).

    On Neo4j, undo a load with the database's backup and restore (docs/versions.md).
    """
    from wushe.app.versions_table import undo_message

    with _open_store(store, database, create=False) as backend:
        cur = backend.current_version()
        if not yes and cur is not None:
            click.confirm(f"撤销版本 {cur.id}({cur.data_date or '-'})? / Undo version {cur.id}?",
                          abort=True, err=True)
        result = backend.undo()
    click.echo(undo_message(result, LANG))


@cli.command()
@click.option("--port", default=8501, show_default=True)
@click.option("--sample/--no-sample", default=True, show_default=True,
              help="Load sample_data/ into an empty store.")
@click.option("--address", default=None, metavar="HOST",
              help="Interface to listen on (default 127.0.0.1: this machine only; "
                   "0.0.0.0 for every interface). Env: STREAMLIT_SERVER_ADDRESS.")
@store_option
def app(port: int, sample: bool, address: str | None, store: str | None) -> None:
    """Start the Streamlit app (opens on the sample data when the store is empty)."""
    env = dict(os.environ)
    if store:
        env["WUSHE_STORE"] = store
    env["WUSHE_AUTOLOAD_SAMPLE"] = "1" if sample else "0"
    os.environ.update(env)
    address = address or env.get("STREAMLIT_SERVER_ADDRESS") or "127.0.0.1"
    # Users never see a traceback (it goes to the server log) unless a deployment asks.
    details = env.get("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS") or "none"
    # exec, not a child process: stopping `wushe app` (Ctrl-C, SIGTERM) stops the server.
    # The pages' imports happen before the first visit (wushe.app.serve); nobody edits the
    # app's code while it serves, so no file watcher polls it.
    cmd = [sys.executable, "-m", "wushe.app.serve", str(Path(__file__).with_name("main.py")),
           "--server.port", str(port), "--server.address", address,
           "--client.showErrorDetails", details, "--server.fileWatcherType", "none"]
    os.execv(sys.executable, cmd)


@cli.command("password-hash")
def password_hash() -> None:
    """Print an argon2 hash of a password (asked for, hidden) for .streamlit/secrets.toml."""
    from argon2 import PasswordHasher

    password = click.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    click.echo(PasswordHasher().hash(password))


@export.command("registers")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              show_default=True, help="One workbook with a sheet per register, or CSVs.")
@store_option
@database_option
@_user_errors
def export_registers(out_dir: Path, fmt: str, store: str | None,
                     database: str | None) -> None:
    """Write the store as registers (区划与社区, 社会组织, 志愿者 …) into OUT_DIR.

    'wushe load OUT_DIR' reads them back to the same graph.
    """
    from wushe.graph.backends.dump import read_tables
    from wushe.loaders.registers import write_registers

    with _open_store(store, database, create=False) as backend:
        tables = read_tables(backend)
    for path in write_registers(tables, out_dir, fmt=fmt):
        click.echo(f"wrote {path}", err=True)


@cli.group()
def neo4j() -> None:
    """Start or stop a local Neo4j 5.26 (built from Maven Central) for tests and local use."""


@neo4j.command("start")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".wushe/neo4j"), show_default=True)
@click.option("--port", type=int, default=None)
def neo4j_start(data: Path, port: int | None) -> None:
    """Build (once) and start the local server; prints its bolt:// URI."""
    raise SystemExit(subprocess.call([sys.executable, "-m", "wushe.graph.backends.neo4j_local",
                                      "start", "--data", str(data)]
                                     + (["--port", str(port)] if port else [])))


@neo4j.command("stop")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".wushe/neo4j"), show_default=True)
def neo4j_stop(data: Path) -> None:
    """Stop the local server started with 'wushe neo4j start'."""
    raise SystemExit(subprocess.call([sys.executable, "-m", "wushe.graph.backends.neo4j_local",
                                      "stop", "--data", str(data)]))


@neo4j.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".wushe/neo4j"), show_default=True,
              help="The local server's folder (as for 'wushe neo4j start').")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD",
              help="The date the data describes (default: today); kept in the version.")
@click.option("--keep-analysis/--no-keep-analysis", "keep", default=True, show_default=True,
              help="Compute and keep the new version's analysis.")
@click.option("--heap", default="1g", show_default=True, help="The importer's Java heap.")
@click.option("--max-off-heap", default="1g", show_default=True,
              help="The importer's off-heap memory cap.")
@_user_errors
def neo4j_import(source: Path, data: Path, as_of: Any, keep: bool, heap: str,
                 max_off_heap: str) -> None:
    """Initial load of the local server's EMPTY database with Neo4j's offline importer.

    Much faster than 'wushe load' through Bolt at province scale. SOURCE is validated as
    'wushe load' validates it; the server (started or not) is stopped while the importer
    writes and runs again afterwards. A database holding any node is refused (use
    'wushe load'). See docs/neo4j.md.
    """
    from wushe.graph.backends.neo4j_bulk import bulk_load
    from wushe.graph.backends.neo4j_local import detach
    from wushe.graph.backends.neo4j_store import Neo4jStore
    from wushe.graph.backends.versions import VersionMeta, hash_sources
    from wushe.loaders import read_import, salt_for_store
    from wushe.loaders.registers import looks_graph_shaped, read_registers

    t_read = time.perf_counter()
    salt = salt_for_store(None)  # a server store's salt, as 'wushe load' uses for Neo4j
    try:
        if looks_graph_shaped(source):
            tables = read_import(source, salt=salt)
            notices = tables.warnings
        else:
            imp = read_registers(source, salt=salt,
                                 on_step=lambda m: click.echo(f"… {m}", err=True))
            tables, notices = imp.tables, imp.tables.warnings
    except ValidationError as e:
        click.echo(e.message(LANG), err=True)
        raise SystemExit(1) from None
    for notice in notices:
        click.echo(notice.message(LANG), err=True)
    click.echo(f"读取并校验 / read and validated {tables.total_nodes:,} nodes and "
               f"{tables.total_rels:,} relationships in {time.perf_counter() - t_read:.1f} s",
               err=True)
    meta = VersionMeta(data_date=as_of.date() if as_of else VersionMeta().data_date,
                       sources=hash_sources(source))
    stage_names = {"check": "检查数据库为空 / checking the database is empty",
                   "files": "写入导入文件 / writing the import files",
                   "import": "Neo4j 导入程序 / Neo4j's importer",
                   "start": "启动服务器 / starting the server",
                   "constraints": "建立编号约束 / building the id constraints",
                   "record": "记录版本 / recording the version"}
    t0 = time.perf_counter()

    def progress(done: int, total: int, stage: str) -> None:
        if stage in stage_names:
            click.echo(f"[{done + 1}/{total}] {time.perf_counter() - t0:6.1f} s  "
                       f"{stage_names[stage]}", err=True)

    result = bulk_load(tables, data, meta=meta, heap=heap, max_off_heap=max_off_heap,
                       progress=progress)
    uri = result.server.uri
    detach(result.server)
    if keep:
        from wushe.graph.analytics.kept import keep_analysis

        store = Neo4jStore(uri)
        try:
            kept = keep_analysis(store)
        finally:
            store.close()
        if kept is not None:
            click.echo(f"version {kept.id}: analysis kept", err=True)
    _print_counts(result.summary.counts)
    click.echo(f"imported {result.summary.nodes} nodes and {result.summary.rels} "
               f"relationships in {result.summary.seconds:.1f} s; server running at {uri}",
               err=True)


def _year_span(years: str | None) -> tuple[int, int] | None:
    """``2024-2025`` → (2024, 2025); one year ``2024`` → (2024, 2024); else a clear error."""
    if not years:
        return None
    parts = [p.strip() for p in years.split("-")]
    if len(parts) == 1:
        parts = parts * 2
    try:
        y0, y1 = (int(p) for p in parts)
    except ValueError:
        y0 = y1 = -1
    if not (1900 <= y0 <= y1 <= 2100):
        raise click.BadParameter(
            f"应为「起始年-结束年」,如 2024-2025,或单个年份 2024;收到「{years}」 / expected "
            f"FROM-TO such as 2024-2025, or one year such as 2024; got '{years}'",
            param_hint="--years")
    return y0, y1


def _check_out_folder(out: Path, option: str) -> None:
    """Refuse an output file whose folder does not exist (before any work is done)."""
    folder = out.expanduser().parent
    if not folder.is_dir():
        raise click.BadParameter(
            f"文件夹 {folder} 不存在,请先创建它 / the folder {folder} does not exist; "
            "create it first", param_hint=option)


def _check_timeout(timeout: float) -> None:
    if not timeout > 0:
        raise click.BadParameter(
            f"超时必须大于 0 秒,收到 {timeout:g} / the timeout must be more than 0 seconds, "
            f"got {timeout:g}", param_hint="--timeout")


def _split_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"expected KEY=VALUE, got '{text}'", param_hint="--param")
    return key.strip(), value


def _emit(df: Any, fmt: str, out: Path | None = None) -> None:
    from wushe.app import export

    if fmt in ("gexf", "graphml"):
        from wushe.app.netmap import graph_from_frame

        G = graph_from_frame(df)
        if not G.number_of_nodes():
            raise WusheError(
                "The result holds no nodes, relationships or paths to write as a graph; "
                "return them (RETURN n, r, p) or use --format csv.",
                "结果中没有可写成图的节点、关系或路径;请返回它们(RETURN n, r, p)或改用 "
                "--format csv。")
        data = export.to_gexf(G) if fmt == "gexf" else export.to_graphml(G)
        if out:
            out.write_bytes(data)
        else:
            click.get_binary_stream("stdout").write(data)
        return
    if fmt in ("csv", "json"):
        text = export.frame_to_csv(df) if fmt == "csv" else export.frame_to_json(df) + "\n"
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    if out:
        raise click.UsageError("--out needs --format csv, json, gexf or graphml.")
    import json

    import numpy as np
    import pandas as pd

    # nested values (nodes, lists, maps) as JSON, as the console's table shows them
    shown = df.copy()
    for col in shown.columns:
        if shown[col].dtype == object:
            shown[col] = [json.dumps(export.json_value(v), ensure_ascii=False)
                          if isinstance(v, dict | list | np.ndarray) else v for v in shown[col]]
    with pd.option_context("display.max_rows", 200, "display.max_columns", 50,
                           "display.width", 160):
        click.echo(shown.to_string(index=False) if len(shown) else "(no rows)")


def _print_counts(counts: dict[str, int]) -> None:
    width = max((len(k) for k in counts), default=0)
    for k, v in counts.items():
        click.echo(f"{k:<{width}}  {v:>12,}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="wushe")


if __name__ == "__main__":
    main()
