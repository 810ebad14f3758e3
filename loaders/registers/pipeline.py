"""Registers import: read → header → mapping → build → today's validation → GraphTables.

:func:`read_registers` runs the whole pipeline and raises one
:class:`~graph.errors.ValidationError` with every problem, each located in the register
(file, sheet, row, column, value) and bilingual. Nothing is written here: the caller loads
the result with ``store.load`` (all-or-nothing, under the store's load lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wushe.graph.errors import Problem, ValidationError
from wushe.graph.tables import GraphTables
from wushe.loaders import privacy
from wushe.loaders.reading import SKIPPED_SHEETS, RawTable, read_path
from wushe.loaders.registers.build import Built, build
from wushe.loaders.registers.mapping import MappingFile, RegisterTable, load_mapping, map_tables
from wushe.loaders.registers.updates import Changes, merge
from wushe.loaders.validate import ImportResult, validate

__all__ = ["RegisterImport", "RegisterSummary", "is_graph_shaped", "looks_graph_shaped",
           "read_registers"]


@dataclass(frozen=True)
class RegisterSummary:
    """How one register was read: kind, header row, field ← header, unmapped headers."""

    source: str
    kind: str
    kind_zh: str
    header_row: int
    rows: int
    columns: dict[str, str]
    unmapped: tuple[str, ...]

    def message(self, lang: str = "zh") -> str:
        cols = ", ".join(f"{h}→{f}" for f, h in self.columns.items())
        if lang == "zh":
            text = (f"{self.source}:识别为「{self.kind_zh}」,表头在第{self.header_row}行,"
                    f"{self.rows} 行数据;列:{cols}")
            return text + (f";未使用的列:{'、'.join(self.unmapped)}" if self.unmapped else "")
        text = (f"{self.source}: {self.kind} register, header on row {self.header_row}, "
                f"{self.rows} data rows; columns: {cols}")
        return text + (f"; unused columns: {', '.join(self.unmapped)}" if self.unmapped else "")


@dataclass
class RegisterImport:
    """A validated registers import.

    ``tables`` is what to load: with a ``base`` (the store's graph) it is the whole new
    graph, to be loaded with ``replace=True``; ``changes`` says what was added, changed and
    removed per label and relationship type.
    """

    tables: ImportResult
    registers: list[RegisterSummary]
    changes: Changes
    replace: bool
    mapping: dict[str, dict[str, object]] = field(default_factory=dict)


def is_graph_shaped(raws: Iterable[RawTable]) -> bool:
    """Whether every table is named after a node label or relationship type (our format)."""
    from wushe.loaders.names import table_key, table_names

    known = table_names()
    raws = list(raws)
    return bool(raws) and all(table_key(r.name) in known for r in raws)


def looks_graph_shaped(path: str | Path) -> bool:
    """Whether ``path`` is in the graph format, judged by file and sheet names only.

    A folder whose files (or a workbook whose sheets) are all named after node labels or
    relationship types (``Community.csv``, ``社区``, ``PART_OF``) is the graph format;
    anything else is read as registers.
    """
    from wushe.loaders.names import table_key, table_names

    known = table_names()
    path = Path(path)
    files = ([f for f in path.iterdir() if f.suffix.lower() in (".csv", ".xlsx", ".xlsm")
              and not f.name.startswith((".", "~$"))] if path.is_dir() else [path])
    names: list[str] = []
    for f in files:
        if f.suffix.lower() == ".csv" or table_key(f.stem) in known:
            names.append(f.stem)
            continue
        try:
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_path(str(f))
            names.extend(n for n in wb.sheet_names if n.strip().lower() not in SKIPPED_SHEETS)
            wb.close()
        except Exception:  # noqa: BLE001 - unreadable: the reader will say why
            names.append(f.stem)
    return bool(names) and all(table_key(n) in known for n in names)


def summarise(t: RegisterTable) -> RegisterSummary:
    """What the mapping stage made of one register."""
    cols = {f: t.framed.headers[j] for f, j in t.columns.items()}
    for n, (funder, amount, channel) in enumerate(t.funding, start=1):
        cols[f"funding[{n}]"] = "/".join(t.framed.headers[j] for j in (funder, amount, channel)
                                         if j is not None)
    return RegisterSummary(t.source, t.kind.name, t.kind.zh, t.framed.header_row,
                           len(t.data), cols, tuple(t.unmapped))


def read_registers(source: str | Path | list[RawTable], *,
                   mapping: str | Path | MappingFile | None = None,
                   base: GraphTables | None = None, salt: bytes | str | None = None,
                   today: dt.date | None = None,
                   on_step: Callable[[str], None] | None = None) -> RegisterImport:
    """Read registers and return the validated graph they describe.

    Parameters
    ----------
    source : path or list of RawTable
        A folder of CSV/XLSX registers, one workbook (a sheet per register) or one file;
        or tables already read with ``read_path(..., titles=True)``.
    mapping : path or MappingFile, optional
        A mapping file for layouts the synonyms do not recognise.
    base : GraphTables, optional
        The store's current graph. Each register then replaces what its kind describes
        (its label's nodes and its own relationships) and the rest is kept.
    salt : bytes or str, optional
        Salt for hashed ID numbers and phones (default :func:`loaders.privacy.resolve_salt`).
    today : datetime.date, optional
        Reference day for the not-in-the-future date checks.
    on_step : callable, optional
        Called with each stage's name.

    Returns
    -------
    RegisterImport

    Raises
    ------
    ValidationError
        Listing every problem, located in the registers; nothing is to be written.
    """
    step = on_step or (lambda _m: None)
    salt = privacy.resolve_salt() if salt is None else salt
    step("read")
    raws = read_path(source, titles=True) if not isinstance(source, list) else source
    if mapping is not None and not isinstance(mapping, MappingFile):
        mapping = load_mapping(mapping)
    tables = map_tables(raws, mapping)
    built = build(tables, salt=salt, base=base, on_step=step)
    step("validate")
    problems = list(built.problems)
    result: ImportResult | None = None
    try:
        result = validate(built.raws, existing_labels=_existing(base, built), salt=salt,
                          today=today)
    except ValidationError as e:
        problems.extend(_relocate(p, built) for p in e.problems)
    if problems:
        raise ValidationError(problems)
    assert result is not None
    summaries = [summarise(t) for t in tables]
    if base is None or base.total_nodes == 0:
        changes = Changes.all_added(result)
        return RegisterImport(result, summaries, changes, replace=False)
    step("merge")
    merged, changes = merge(base, result, built.kinds)
    return RegisterImport(merged, summaries, changes, replace=True)


def _existing(base: GraphTables | None,
              built: Built) -> Callable[[Iterable[str]], dict[str, str]] | None:
    """Labels of stored ids this import refers to (ids it makes itself are not asked)."""
    if base is None or base.total_nodes == 0:
        return None
    made = set().union(*built.ids.values()) if built.ids else set()
    labels: dict[str, str] = {}
    for label, df in base.nodes.items():
        labels.update(dict.fromkeys(df["id"].tolist(), label))

    def lookup(ids: Iterable[str]) -> dict[str, str]:
        return {i: labels[i] for i in ids if i in labels and i not in made}

    return lookup


def _relocate(p: Problem, built: Built) -> Problem:
    """A validator problem on a graph-shaped table, moved to the register cell it came from."""
    where = built.where.get(p.file)
    if where is None:
        return p
    if p.row is None or not 1 <= p.row <= len(where.rows):
        sources = ", ".join(dict.fromkeys(where.sources.tolist())) or p.file
        return Problem(sources, None, p.column, p.value, p.en, p.zh)
    i = p.row - 1
    source = str(where.sources[i])
    column = p.column
    if where.headers[i] is not None:
        column = str(where.headers[i])
    elif column:
        prop = column.split(" (")[0]
        column = where.columns.get(source, {}).get(prop, column)
    return Problem(source, int(where.rows[i]), column, p.value, p.en, p.zh)
