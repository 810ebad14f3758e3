"""Validate raw import tables against the schema and normalise them into typed tables.

:func:`validate` checks everything before anything is written and reports ALL problems at
once, each located (file/sheet, spreadsheet row, column, value) and bilingual, saying what
was expected. Checks are vectorised with pandas: a province-scale import (millions of
volunteers) validates in seconds.

The rules live in one module per subject (documented in docs/import-format.md):

- :mod:`loaders.headers` — table and column names (NFKC, spaces/BOM/case ignored, English
  or the schema's Chinese names), required columns, blank rows;
- :mod:`loaders.cells` — each cell: stripped, typed, text free of invisible characters and
  formula text, numbers, dates, booleans, enumerations, credit codes, ratings;
- :mod:`loaders.integrity` — across rows and tables: unique ids (case twins included),
  relationship ends and label pairs, repeated relationships, one parent per region, the
  same against the store for incremental loads;
- :mod:`loaders.privacy` — person names masked and sensitive values hashed.

An import with no data rows at all is an error (it would load nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wushe.graph.errors import Notice, ValidationError
from wushe.graph.schema import SCHEMA, NodeLabel, Prop, RelType
from wushe.graph.tables import GraphTables
from wushe.loaders import privacy
from wushe.loaders.cells import MAX_CELL_CHARS, MAX_ID_CHARS, check_text, parse_column
from wushe.loaders.headers import MatchedTable, match_tables
from wushe.loaders.integrity import (
    LABELS,
    ExistingLabels,
    StoreLookup,
    check_ends,
    check_existing,
    check_ids,
    check_one_parent,
    check_repeated_rels,
    check_store_case_twins,
    check_store_rels,
    end_positions,
)
from wushe.loaders.names import FROM_ZH, TO_ZH, column_key, table_key, table_names
from wushe.loaders.problems import MAX_PER_RULE, Problems
from wushe.loaders.reading import RawTable
from wushe.loaders.references import NamedLookup, resolve_named_ends, stored_ends
from wushe.loaders.siblings import check_sibling_names

__all__ = [
    "FROM_ZH",
    "MAX_CELL_CHARS",
    "MAX_ID_CHARS",
    "MAX_PER_RULE",
    "TO_ZH",
    "ImportResult",
    "Notice",
    "column_key",
    "table_key",
    "table_names",
    "validate",
]


@dataclass
class ImportResult(GraphTables):
    """Validated tables plus the notices the import produced (masking, hashing)."""

    warnings: list[Notice] = field(default_factory=list)


def validate(raw: Iterable[RawTable], *, existing_labels: ExistingLabels | None = None,
             salt: bytes | str | None = None, today: dt.date | None = None,
             update: bool = False, store: StoreLookup | None = None,
             replacing: NamedLookup | None = None) -> ImportResult:
    """Check raw tables against the schema and return typed, normalised tables.

    Parameters
    ----------
    raw : iterable of RawTable
        Tables from :func:`loaders.reading.read_path` (or built by hand).
    existing_labels : callable, optional
        For incremental loads: ``existing_labels(ids) -> {id: label}`` for ids already in
        the store (e.g. ``store.existing_labels``). Relationship ends not in the import are
        looked up there, and node ids found there are reported as duplicates (unless
        ``update``).
    salt : bytes or str, optional
        Salt for hashing sensitive values; default :func:`loaders.privacy.resolve_salt`
        (``WUSHE_SALT`` or a per-process salt). Pass ``resolve_salt(store_folder)``.
    today : datetime.date, optional
        Reference day for the ``past_date`` check (default: today).
    update : bool, optional (default=False)
        The import corrects stored data (``store.load(..., update=True)``): an id already
        stored under the same label is an update, not an error; under another label it
        still is one.
    store : StoreLookup, optional
        For incremental loads, the store itself (a ``GraphBackend``): the import is checked
        against it as one import is checked against itself — ids already stored or
        differing from a stored id only in case, relationships already stored, regions
        given a second parent. Implies ``existing_labels=store.existing_labels``.
    replacing : NamedLookup, optional
        For a replacing import, the store it replaces: a relationship end that is the id
        or name of a stored node is reported naming that node (by name and region) and
        saying to add instead, since replacing deletes it.

    Returns
    -------
    ImportResult
        A :class:`graph.tables.GraphTables` whose frames are typed for Arrow (``Int64``,
        ``float64``, ``datetime.date``/None, bool/None, str), relationship frames with
        ``from_label``/``to_label``; ``warnings`` lists notices (masked names, hashes).

    Raises
    ------
    ValidationError
        With every problem found (nothing should be loaded).

    Examples
    --------
    >>> t = RawTable("City", ["id", "名称"], pd.DataFrame({0: [" C1"], 1: ["杭州市"]}), "City.csv")
    >>> validate([t]).nodes["City"][["id", "name"]].values.tolist()
    [['C1', '杭州市']]
    """
    if store is not None and store.is_empty():
        # Adding to an empty store is a first load: nothing stored to check against.
        store, existing_labels, update = None, None, False
    today = today or dt.date.today()
    salt = privacy.resolve_salt() if salt is None else salt
    problems = Problems()
    raw = list(raw)
    tables = match_tables(raw, problems)
    if not problems.items and sum(len(t.rows) for t in tables) == 0:
        problems.one(
            ", ".join(r.source for r in raw) or "(import)", None, None, None,
            "The import holds no data rows (only headers, or empty files); nothing to load.",
            "导入数据中没有任何数据行(只有表头或文件为空),没有可导入的内容。",
        )
    for t in tables:
        for name in t.cols:
            col = t.column(name)
            check_text(col, problems)
            t.typed[name] = parse_column(col, problems, today)
    nodes = [t for t in tables if isinstance(t.item, NodeLabel)]
    rels = [t for t in tables if isinstance(t.item, RelType)]
    ids, codes = check_ids(nodes, problems)
    new_ids = ids
    if store is not None and existing_labels is None:
        existing_labels = store.existing_labels
    if existing_labels is not None:
        ids, codes = check_existing(nodes, rels, ids, codes, existing_labels, problems,
                                    update=update,
                                    describe=store.described if store is not None else None)
    ids, codes = resolve_named_ends(nodes, rels, ids, codes, problems, store)
    if store is not None:
        check_store_case_twins(nodes, store, problems)
    replaced = (stored_ends(rels, ids, replacing)
                if replacing is not None and existing_labels is None else None)
    positions = end_positions(rels, ids)
    rel_ends = {id(t): check_ends(t, ids, codes, problems, with_store=existing_labels is not None,
                                  replaced=replaced, positions=positions) for t in rels}
    del positions
    for t in rels:
        check_repeated_rels(t, problems)
        if t.item.name == "PART_OF":
            check_one_parent(t, problems)
    if store is not None:
        check_store_rels(rels, rel_ends, new_ids, store, problems, update=update)
    check_sibling_names(nodes, rels, {k: (_labels(f), _labels(t)) for k, (f, t) in
                                      rel_ends.items()}, problems,
                        store.children_named if store is not None else None)
    found = problems.finish()
    if found:
        raise ValidationError(found)
    result = ImportResult()
    for t in nodes:
        result.nodes[t.item.name] = _node_frame(t)
        result.given[t.item.name] = tuple(t.cols)
    for t in rels:
        result.rels[t.item.name] = _rel_frame(t, *rel_ends[id(t)])
        result.given[t.item.name] = tuple(c for c in t.cols if c not in ("from", "to"))
    result.warnings.extend(_protect(result, salt))
    return result


def _labels(codes: np.ndarray) -> np.ndarray:
    """Label names of resolved end codes ("" where unresolved)."""
    return np.where(codes >= 0, LABELS[np.maximum(codes, 0)], "")


def _str_column(s: pd.Series) -> pd.Series:
    """Text column for output: empty cells become missing, positional index."""
    s = s.reset_index(drop=True).astype("str")
    return s.where(s != "")


def _typed_column(prop: Prop, t: MatchedTable) -> object:
    """The output column for ``prop``: parsed values, or typed nulls when absent."""
    n = len(t.rows)
    if prop.name not in t.typed:
        return {
            "INT64": pd.array([None] * n, dtype="Int64"),
            "DOUBLE": np.full(n, np.nan),
            "DATE": np.full(n, None, dtype=object),
            "BOOL": np.full(n, None, dtype=object),
        }.get(prop.type, pd.Series([None] * n, dtype="str"))
    v = t.typed[prop.name]
    if prop.type == "INT64":
        return pd.array(v, dtype="Int64")
    if prop.type == "DATE":
        days = np.asarray(v)
        out = np.full(n, None, dtype=object)
        ok = ~np.isnat(days)
        out[ok] = days[ok].astype(object)
        return out
    if prop.type == "STRING":
        assert isinstance(v, pd.Series)
        return _str_column(v)
    return v


def _node_frame(t: MatchedTable) -> pd.DataFrame:
    label = t.item
    assert isinstance(label, NodeLabel)
    return pd.DataFrame({p.name: _typed_column(p, t) for p in label.all_props},
                        index=pd.RangeIndex(len(t.rows)))


def _rel_frame(t: MatchedTable, fc: np.ndarray, tc: np.ndarray) -> pd.DataFrame:
    rel = t.item
    assert isinstance(rel, RelType)
    data: dict[str, object] = {
        "from": _str_column(t.cols["from"]),
        "to": _str_column(t.cols["to"]),
        "from_label": pd.Series(LABELS[fc], dtype="str"),
        "to_label": pd.Series(LABELS[tc], dtype="str"),
    }
    data.update({p.name: _typed_column(p, t) for p in rel.props})
    return pd.DataFrame(data, index=pd.RangeIndex(len(t.rows)))


def _protect(tables: GraphTables, salt: bytes | str) -> list[Notice]:
    """Mask person names and hash sensitive values in place; say what was done."""
    notes: list[Notice] = []
    show = privacy.show_full_names()
    for label in SCHEMA.nodes:
        df = tables.nodes.get(label.name)
        if df is None or df.empty:
            continue
        for p in label.props:
            filled = df[p.name].notna() & (df[p.name] != "")
            count = int(filled.sum())
            if count == 0:
                continue
            if "person_name" in p.checks and not show:
                df[p.name] = privacy.mask_names(df[p.name]).astype("str")
                notes.append(Notice(
                    en=f"Names of {count} {label.en.lower()} records were masked (张*明); set "
                    f"{privacy.SHOW_NAMES_ENV}=1 in an authorised deployment to keep them.",
                    zh=f"{count} 条{label.zh}记录的姓名已脱敏显示(如 张*明);经授权的部署可设置 "
                    f"{privacy.SHOW_NAMES_ENV}=1 保留全名。",
                ))
            if "sensitive" in p.checks:
                df[p.name] = privacy.hash_series(df[p.name], salt).astype("str")
                notes.append(Notice(
                    en=f"{p.en} of {count} {label.en.lower()} records were stored as salted "
                    "hashes, never in clear.",
                    zh=f"{count} 条{label.zh}记录的{p.zh}已以加盐哈希形式存储,不保存明文。",
                ))
    return notes
