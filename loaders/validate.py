"""Validate raw import tables against the schema and normalise them into typed tables.

:func:`validate` checks everything before anything is written and reports ALL problems at
once, each located (file/sheet, spreadsheet row, column, value) and bilingual, saying what
was expected. Checks are vectorised with pandas: a province-scale import (millions of
volunteers) validates in seconds.

Normalisations (documented in docs/import-format.md):

- headers: spaces, full-width spaces and BOMs removed, full-width characters folded (NFKC),
  case ignored; English property names or the schema's Chinese names;
- every cell: leading/trailing whitespace (including full-width spaces) removed, so ids
  with stray spaces are stripped;
- ids and relationship ends: full-width letters and digits folded (NFKC: ``Ｍ１`` -> ``M1``);
  ids that differ only in letter case (``m1``/``M1``) are an error, since spreadsheets
  treat them as the same value;
- text cells must not hold control characters (tab and line breaks are allowed outside
  ids), start with ``=`` (a formula that became text) or exceed :data:`MAX_CELL_CHARS`;
- an import with no data rows at all is an error (it would load nothing);
- ``PART_OF`` goes strictly up (Community→Township→County→City) and each region has one
  parent, so the region hierarchy can have no cycle;
- numbers: full-width digits folded (NFKC), ``12.0`` accepted for whole numbers;
- dates: ``yyyy-mm-dd``, ``yyyy/mm/dd``, ``yyyy年m月d日``, ``yyyymmdd`` or an Excel serial;
- booleans: true/false, 1/0, 是/否, Y/N, yes/no;
- credit codes upper-cased; ratings ``AAAAA`` written as ``5A``;
- person names masked and sensitive values hashed (see :mod:`loaders.privacy`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.errors import Problem, ValidationError
from wushe.graph.schema import SCHEMA, NodeLabel, Prop, RelType
from wushe.graph.tables import GraphTables
from wushe.loaders import privacy
from wushe.loaders.credit_code import check_character, valid_credit_codes
from wushe.loaders.reading import RawTable

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

MAX_PER_RULE = 200  # located messages kept per file, column and rule (all are counted)
MAX_CELL_CHARS = 4000  # longer text is pasted junk, and it would swamp pages and exports
MAX_ID_CHARS = 200
# Region levels from the bottom up: PART_OF must join a level to the next one up.
REGION_LEVELS = ("Community", "Township", "County", "City")
# C0/C1 controls, zero-width characters and line/paragraph separators: invisible in a
# spreadsheet, they make two ids that look the same differ.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
# The same classes in RE2 syntax, for Arrow's vectorised matching of whole columns.
_RE2_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{200b}-\x{200f}\x{2028}\x{2029}\x{feff}]"
_RE2_ID_CONTROL = r"[\x00-\x1f\x7f-\x9f\x{200b}-\x{200f}\x{2028}\x{2029}\x{feff}]"
FROM_ZH = "起点编号"
TO_ZH = "终点编号"

ExistingLabels = Callable[[Iterable[str]], dict[str, str]]

_TYPE_TEXT = {
    "STRING": ("text", "文本"),
    "INT64": ("a whole number such as 12", "整数,如 12"),
    "DOUBLE": ("a number such as 12.5", "数字,如 12.5"),
    "DATE": ("a date such as 2024-03-01, 2024/3/1 or an Excel date",
             "日期,如 2024-03-01、2024/3/1 或 Excel 日期"),
    "BOOL": ("yes/no: true/false, 1/0, 是/否 or Y/N", "是/否:true/false、1/0、是/否 或 Y/N"),
}
_TRUE = {"true", "1", "是", "y", "yes", "t", "对"}
_FALSE = {"false", "0", "否", "n", "no", "f", "不是"}
_BOOL = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_DATE = re.compile(
    r"^(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?|(?P<m8>\d{2})(?P<d8>\d{2}))"
    r"(?:[ T]0{1,2}:00(?::00)?)?$"
)
_SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")
_EXCEL_EPOCH = np.datetime64("1899-12-30")
_KEY_DROP = re.compile(r"[\s\ufeff/_、\-()]")


@dataclass(frozen=True)
class Notice:
    """Something the user should know about a successful import (not an error)."""

    en: str
    zh: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class ImportResult(GraphTables):
    """Validated tables plus the notices the import produced (masking, hashing)."""

    warnings: list[Notice] = field(default_factory=list)


def table_key(name: str) -> str:
    """Comparison key of a table or column name: NFKC, no spaces/BOM/``/_、-()``, lower case.

    Examples
    --------
    >>> table_key("﻿ 社工站/服务中心 ") == table_key("社工站_服务中心")
    True
    >>> table_key("PART_OF"), table_key("县(市、区)")
    ('partof', '县市区')
    """
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", name)).lower()


def column_key(name: str) -> str:
    """Comparison key of a header: NFKC, no whitespace or BOM, lower case.

    Examples
    --------
    >>> column_key("\\ufeff 登记(备案)日期\\u3000") == column_key("登记(备案)日期")
    True
    """
    return re.sub(r"[\s\ufeff]", "", unicodedata.normalize("NFKC", name)).lower()


def _build_table_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for item in (*SCHEMA.nodes, *SCHEMA.rels):
        for alias in (item.name, item.zh):
            key = table_key(alias)
            if out.get(key, item.name) != item.name:
                raise ValueError(f"table name {alias} is ambiguous")
            out[key] = item.name
    return out


_TABLES = _build_table_index()


def table_names() -> dict[str, str]:
    """Map of table-name key (see :func:`table_key`) to schema name."""
    return dict(_TABLES)


def _columns_of(item: NodeLabel | RelType) -> dict[str, Prop]:
    """Header key -> Prop for a table (``from``/``to`` are STRING props of relationships)."""
    if isinstance(item, NodeLabel):
        props = list(item.all_props)
    else:
        props = [Prop("from", "STRING", FROM_ZH, "From (id)", required=True),
                 Prop("to", "STRING", TO_ZH, "To (id)", required=True), *item.props]
    out: dict[str, Prop] = {}
    for p in props:
        for alias in (p.name, p.zh):
            out[column_key(alias)] = p
    return out


def _display(p: Prop) -> str:
    return f"{p.name} ({p.zh})"


class _Problems:
    """Collects problems, keeping the first MAX_PER_RULE per (file, column, rule)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._extra: dict[tuple[str, str | None, str], int] = {}

    def one(self, file: str, row: int | None, column: str | None, value: str | None,
            en: str, zh: str) -> None:
        self.items.append(Problem(file, row, column, value, en, zh))

    def many(self, file: str, column: str | None, rule: str, rows: np.ndarray,
             values: Sequence[str], en: str | Sequence[str], zh: str | Sequence[str]) -> None:
        """Add one problem per row (``en``/``zh`` one text or one per row)."""
        n = len(rows)
        if n == 0:
            return
        for i in range(min(n, MAX_PER_RULE)):
            self.items.append(Problem(
                file, int(rows[i]), column, str(values[i]),
                en if isinstance(en, str) else en[i], zh if isinstance(zh, str) else zh[i],
            ))
        if n > MAX_PER_RULE:
            key = (file, column, rule)
            self._extra[key] = self._extra.get(key, 0) + n - MAX_PER_RULE

    def finish(self) -> list[Problem]:
        for (file, column, rule), extra in self._extra.items():
            self.items.append(Problem(
                file, None, column, None,
                f"... and {extra} more rows with the same problem ({rule}); "
                f"only the first {MAX_PER_RULE} are listed.",
                f"……另有 {extra} 行存在同类问题({rule}),仅列出前 {MAX_PER_RULE} 行。",
            ))
        return self.items


@dataclass
class _Table:
    """A raw table matched to the schema, with its columns resolved and cells stripped."""

    raw: RawTable
    item: NodeLabel | RelType
    cols: dict[str, pd.Series]  # prop name -> stripped text
    original: dict[str, pd.Series]  # prop name -> text as written (for messages)
    rows: np.ndarray
    typed: dict[str, object] = field(default_factory=dict)
    bad: np.ndarray | None = None


def validate(raw: Iterable[RawTable], *, existing_labels: ExistingLabels | None = None,
             salt: bytes | str | None = None, today: dt.date | None = None) -> ImportResult:
    """Check raw tables against the schema and return typed, normalised tables.

    Parameters
    ----------
    raw : iterable of RawTable
        Tables from :func:`loaders.reading.read_path` (or built by hand).
    existing_labels : callable, optional
        For incremental loads: ``existing_labels(ids) -> {id: label}`` for ids already in
        the store (e.g. ``store.existing_labels``). Relationship ends not in the import are
        looked up there, and new node ids found there are reported as duplicates.
    salt : bytes or str, optional
        Salt for hashing sensitive values; default :func:`loaders.privacy.resolve_salt`
        (``WUSHE_SALT`` or a per-process salt). Pass ``resolve_salt(store_folder)``.
    today : datetime.date, optional
        Reference day for the ``past_date`` check (default: today).

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
    today = today or dt.date.today()
    salt = privacy.resolve_salt() if salt is None else salt
    problems = _Problems()
    raw = list(raw)
    tables = _match_tables(raw, problems)
    if not problems.items and sum(len(t.rows) for t in tables) == 0:
        problems.one(
            ", ".join(r.source for r in raw) or "(import)", None, None, None,
            "The import holds no data rows (only headers, or empty files); nothing to load.",
            "导入数据中没有任何数据行(只有表头或文件为空),没有可导入的内容。",
        )
    for t in tables:
        _check_text(t, problems)
        for name, s in t.cols.items():
            prop = _prop(t.item, name)
            t.typed[name] = _parse(prop, s, t, problems, today)
    nodes = [t for t in tables if isinstance(t.item, NodeLabel)]
    rels = [t for t in tables if isinstance(t.item, RelType)]
    ids, codes = _check_ids(nodes, problems)
    if existing_labels is not None:
        ids, codes = _check_existing(nodes, rels, ids, codes, existing_labels, problems)
    rel_ends = {id(t): _check_ends(t, ids, codes, problems) for t in rels}
    for t in rels:
        _check_repeated_rels(t, problems)
        if t.item.name == "PART_OF":
            _check_one_parent(t, problems)
    found = problems.finish()
    if found:
        raise ValidationError(found)
    result = ImportResult()
    for t in nodes:
        result.nodes[t.item.name] = _node_frame(t)
    for t in rels:
        result.rels[t.item.name] = _rel_frame(t, *rel_ends[id(t)])
    result.warnings.extend(_protect(result, salt))
    return result


def _prop(item: NodeLabel | RelType, name: str) -> Prop:
    if name in ("from", "to") and isinstance(item, RelType):
        return Prop(name, "STRING", FROM_ZH if name == "from" else TO_ZH, name, required=True)
    return item.prop(name)


def _expected_tables() -> str:
    return ", ".join(f"{i.name} ({i.zh.replace('/', '_')})"
                     for i in (*SCHEMA.nodes, *SCHEMA.rels))


def _match_tables(raw: list[RawTable], problems: _Problems) -> list[_Table]:
    """Resolve table and column names; report unknown/duplicate tables and columns."""
    seen: dict[str, str] = {}
    out: list[_Table] = []
    for r in raw:
        name = _TABLES.get(table_key(r.name))
        if name is None:
            listed = _expected_tables()
            problems.one(
                r.source, None, None, r.name,
                f"Unknown table name '{r.name}'. Name each file or sheet after a node label "
                f"or relationship type, in English or Chinese: {listed}.",
                f"未知的表名「{r.name}」。文件名或工作表名应为节点类型或关系类型的英文名或中文名:"
                f"{listed}。",
            )
            continue
        if name in seen:
            problems.one(
                r.source, None, None, r.name,
                f"Table {name} is given twice (also in {seen[name]}); put all its rows in one "
                "file or sheet.",
                f"表 {name} 重复出现(另见 {seen[name]});请把同一类数据放在一个文件或工作表中。",
            )
            continue
        seen[name] = r.source
        item = SCHEMA.node(name) if name in SCHEMA.node_names else SCHEMA.rel(name)
        t = _match_columns(r, item, problems)
        if t is not None:
            out.append(t)
    return out


def _match_columns(r: RawTable, item: NodeLabel | RelType,
                   problems: _Problems) -> _Table | None:
    known = _columns_of(item)
    data = r.data
    if not r.headers:
        problems.one(r.source, None, None, None,
                     "The table is empty: the first row must hold the column headers.",
                     "表格为空:第一行应为列名(表头)。")
        return None
    positions: dict[str, int] = {}
    expected = ", ".join(dict.fromkeys(_display(p) for p in known.values()))
    for j, header in enumerate(r.headers):
        key = column_key(header)
        if not key:
            if j in data.columns and (data[j].astype(str).str.strip() != "").any():
                problems.one(r.source, r.header_row, f"#{j + 1}", "",
                             f"Column {j + 1} has values but no header; expected one of: "
                             f"{expected}.",
                             f"第 {j + 1} 列有数据但没有列名;应为以下之一:{expected}。")
            continue
        prop = known.get(key)
        if prop is None:
            problems.one(r.source, r.header_row, header, header,
                         f"Unknown column for {item.name}; expected: {expected}.",
                         f"{item.zh}表中没有此列;可用的列:{expected}。")
            continue
        if prop.name in positions:
            first = r.headers[positions[prop.name]]
            problems.one(r.source, r.header_row, header, header,
                         f"Duplicate column: '{first}' and '{header}' both give "
                         f"{_display(prop)}; keep one.",
                         f"列重复:「{first}」和「{header}」都是{_display(prop)};请只保留一列。")
            continue
        positions[prop.name] = j
    for p in dict.fromkeys(known.values()):
        if p.required and p.name not in positions:
            problems.one(r.source, r.header_row, _display(p), None,
                         f"Missing required column {_display(p)}.",
                         f"缺少必填列 {_display(p)}。")
    original = {name: data[j].fillna("").astype(str) if j in data.columns
                else pd.Series("", index=data.index, dtype=str)
                for name, j in positions.items()}
    cols = {name: s.str.strip() for name, s in original.items()}
    for name in ("id", "from", "to"):
        if name in cols:
            cols[name] = _nfkc_if_needed(cols[name]).str.strip()
    # Rows whose every cell is blank are not data (spreadsheets leave them at the end).
    if cols and len(data):
        keep = np.zeros(len(data), dtype=bool)
        for s in cols.values():
            keep |= (s != "").to_numpy()
        if not keep.all():
            cols = {k: v[keep] for k, v in cols.items()}
            original = {k: v[keep] for k, v in original.items()}
            rows = r.row_numbers()[keep]
        else:
            rows = r.row_numbers()
    else:
        rows = r.row_numbers()
    return _Table(r, item, cols, original, rows)


def _nfkc_if_needed(s: pd.Series) -> pd.Series:
    """Fold full-width digits and signs (１２．５ -> 12.5) in the few non-ASCII cells."""
    non_ascii = ~s.str.isascii().to_numpy(dtype=bool, na_value=True)
    if not non_ascii.any():
        return s
    s = s.copy()
    s[non_ascii] = [unicodedata.normalize("NFKC", v) for v in s[non_ascii].tolist()]
    return s


def _report(problems: _Problems, t: _Table, prop: Prop, rule: str, mask: np.ndarray,
            en: str | Callable[[str], str], zh: str | Callable[[str], str]) -> None:
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return
    values = t.original[prop.name].iloc[idx[:MAX_PER_RULE]].tolist()
    en_ = en if isinstance(en, str) else [en(v) for v in values]
    zh_ = zh if isinstance(zh, str) else [zh(v) for v in values]
    problems.many(t.raw.source, _display(prop), rule, t.rows[idx], values, en_, zh_)


def _parse(prop: Prop, s: pd.Series, t: _Table, problems: _Problems,
           today: dt.date) -> object:
    """Type-convert one column, report bad values, return the typed values (numpy/pandas)."""
    empty = (s == "").to_numpy()
    if prop.required:
        what = "the id" if prop.name == "id" else "this required value"
        _report(problems, t, prop, "required", empty,
                f"Empty: {what} must be filled in.", f"为空:{prop.zh}为必填项。")
    filled = ~empty
    if prop.type in ("INT64", "DOUBLE"):
        num = pd.to_numeric(_nfkc_if_needed(s), errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(num)
        if prop.type == "INT64":
            ok &= np.floor(num) == num
        _report(problems, t, prop, "type", filled & ~ok,
                f"Expected {_TYPE_TEXT[prop.type][0]}.", f"应为{_TYPE_TEXT[prop.type][1]}。")
        num = np.where(ok, num, np.nan)
        _check_number(prop, num, t, problems)
        return num
    if prop.type == "DATE":
        days = _parse_dates(s, filled)
        ok = ~np.isnat(days)
        _report(problems, t, prop, "type", filled & ~ok,
                f"Expected {_TYPE_TEXT['DATE'][0]}.", f"应为{_TYPE_TEXT['DATE'][1]}。")
        if "past_date" in prop.checks:
            _report(problems, t, prop, "past_date", ok & (days > np.datetime64(today, "D")),
                    f"Date is in the future (after {today.isoformat()}).",
                    f"日期晚于今天({today.isoformat()}),不能是将来的日期。")
        return days
    if prop.type == "BOOL":
        b = _nfkc_if_needed(s).str.lower().map(_BOOL)
        ok = b.notna().to_numpy()
        _report(problems, t, prop, "type", filled & ~ok,
                f"Expected {_TYPE_TEXT['BOOL'][0]}.", f"应为{_TYPE_TEXT['BOOL'][1]}。")
        out = np.array(b, dtype=object)  # a copy: pandas 3 hands out read-only views
        out[~ok] = None
        return out
    return _parse_string(prop, s, filled, t, problems)


def _check_number(prop: Prop, num: np.ndarray, t: _Table, problems: _Problems) -> None:
    with np.errstate(invalid="ignore"):
        if "non_negative" in prop.checks:
            _report(problems, t, prop, "non_negative", num < 0,
                    "Must not be negative.", "不能为负数。")
        if "star" in prop.checks:
            _report(problems, t, prop, "star", (num < 0) | (num > 5),
                    "Star level must be 0 to 5.", "星级应为 0 到 5。")
        if "share" in prop.checks:
            _report(problems, t, prop, "share", (num < 0) | (num > 1),
                    "Must be a share between 0 and 1.", "应为 0 到 1 之间的比例。")


def _parse_dates(s: pd.Series, filled: np.ndarray) -> np.ndarray:
    """Parse the filled cells of a DATE column to datetime64[D] (NaT where invalid)."""
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[D]")
    idx = np.flatnonzero(filled)
    if len(idx) == 0:
        return out
    text = _nfkc_if_needed(s.iloc[idx]).astype(str)
    m = text.str.extract(_DATE)
    y = pd.to_numeric(m["y"], errors="coerce")
    mo = pd.to_numeric(m["m"].fillna(m["m8"]), errors="coerce")
    d = pd.to_numeric(m["d"].fillna(m["d8"]), errors="coerce")
    parts = pd.DataFrame({"year": y, "month": mo, "day": d})
    has = y.notna().to_numpy()
    if has.any():
        ts = pd.to_datetime(parts[has], errors="coerce")
        out[idx[has]] = ts.to_numpy().astype("datetime64[D]")
    serial = text.str.match(_SERIAL).to_numpy(dtype=bool) & ~has
    if serial.any():
        n = pd.to_numeric(text[serial]).to_numpy(dtype=float).astype(np.int64)
        # Excel's 1900 date system (serial 1 = 1900-01-01, with its phantom 1900-02-29).
        ok = (n >= 1) & (n <= 2958465)
        vals = np.where(ok, _EXCEL_EPOCH + n.astype("timedelta64[D]"), np.datetime64("NaT"))
        out[idx[serial]] = vals.astype("datetime64[D]")
    return out


def _parse_string(prop: Prop, s: pd.Series, filled: np.ndarray, t: _Table,
                  problems: _Problems) -> pd.Series:
    if prop.choices:
        allowed = ", ".join(prop.choices)
        _report(problems, t, prop, "choices", filled & ~s.isin(prop.choices).to_numpy(),
                f"Not an allowed value; use one of: {allowed}.",
                f"不是允许的取值;应为以下之一:{allowed}。")
    if "credit_code" in prop.checks:
        s = _nfkc_if_needed(s).str.upper()
        bad = filled & ~valid_credit_codes(s)
        _report(problems, t, prop, "credit_code", bad, _credit_en, _credit_zh)
    if "rating" in prop.checks:
        s = _nfkc_if_needed(s).str.upper()
        letters = s.str.fullmatch(r"A{1,5}").to_numpy(dtype=bool, na_value=False)
        if letters.any():
            s = s.copy()
            s[letters] = s[letters].str.len().astype(str) + "A"
        bad = filled & ~s.str.fullmatch(r"[1-5]A").to_numpy(dtype=bool, na_value=False)
        _report(problems, t, prop, "rating", bad,
                "Rating must be 1A, 2A, 3A, 4A or 5A.", "评估等级应为 1A、2A、3A、4A 或 5A。")
    return s


def _credit_reason(v: str) -> tuple[str, str]:
    code = unicodedata.normalize("NFKC", v).strip().upper()
    if len(code) != 18:
        return (f"it has {len(code)} characters, not 18", f"长度为 {len(code)} 位,应为 18 位")
    try:
        want = check_character(code[:17])
    except ValueError:
        return ("it uses characters outside 0-9 and A-Y without I, O, S, V, Z",
                "含有不允许的字符(只能是数字和除 I、O、S、V、Z 外的大写字母)")
    if code[17] not in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        return ("its last character is not allowed", "最后一位字符不合法")
    return (f"the check character should be {want}", f"校验位应为 {want}")


def _credit_en(v: str) -> str:
    return ("Not a valid unified social credit code (18 characters, GB 32100 check "
            f"character): {_credit_reason(v)[0]}.")


def _credit_zh(v: str) -> str:
    return f"不是有效的统一社会信用代码(18 位,含 GB 32100 校验位):{_credit_reason(v)[1]}。"


_LABELS = np.array(SCHEMA.node_names, dtype=object)
_LABEL_CODE = {name: i for i, name in enumerate(SCHEMA.node_names)}


def _check_ids(nodes: list[_Table], problems: _Problems) -> tuple[pd.Index, np.ndarray]:
    """Report ids used twice (in one table or across tables).

    Returns the unique ids and, aligned, their label codes (index into ``_LABELS``).
    """
    parts = [pd.DataFrame({"id": t.cols["id"].to_numpy(), "table": np.int32(k), "row": t.rows})
             for k, t in enumerate(nodes) if "id" in t.cols]
    if not parts:
        return pd.Index([], dtype=str), np.array([], dtype=np.int16)
    allids = pd.concat(parts, ignore_index=True)
    allids = allids[(allids["id"] != "").to_numpy()]
    dup = allids["id"].duplicated(keep="first").to_numpy()
    if dup.any():
        first = allids[~dup].set_index("id")
        for k, t in enumerate(nodes):
            mine = allids[dup & (allids["table"] == k).to_numpy()]
            if mine.empty:
                continue
            ref = first.loc[mine["id"].iloc[:MAX_PER_RULE]]
            where = [(nodes[tk].raw.source, row)
                     for tk, row in zip(ref["table"], ref["row"], strict=True)]
            problems.many(
                t.raw.source, "id (编号)", "duplicate_id", mine["row"].to_numpy(),
                mine["id"].tolist(),
                [f"Duplicate id: already used at {f} row {r}; ids must be unique across all "
                 "tables." for f, r in where],
                [f"编号重复:已在 {f} 第{r}行使用;编号在所有表中必须唯一。" for f, r in where],
            )
    _report_case_twins(nodes, allids[~dup], problems)
    unique = allids[~dup]
    # indexed by position in ``nodes`` (as "table" is), tables without an id column included
    codes = np.array([_LABEL_CODE[t.item.name] for t in nodes], dtype=np.int16)
    return pd.Index(unique["id"].to_numpy()), codes[unique["table"].to_numpy()]


def _report_case_twins(nodes: list[_Table], allids: pd.DataFrame,
                       problems: _Problems) -> None:
    """Report ids that differ from an earlier id only in letter case (m1 vs M1)."""
    folded = allids["id"].str.casefold()
    twin = folded.duplicated(keep="first").to_numpy()
    if not twin.any():
        return
    first = allids[~twin].assign(key=folded[~twin].to_numpy()).set_index("key")
    for k, t in enumerate(nodes):
        mine = allids[twin & (allids["table"] == k).to_numpy()]
        if mine.empty:
            continue
        ref = first.loc[mine["id"].str.casefold().iloc[:MAX_PER_RULE]]
        where = [(nodes[tk].raw.source, row, i)
                 for tk, row, i in zip(ref["table"], ref["row"], ref["id"], strict=True)]
        problems.many(
            t.raw.source, "id (编号)", "case_twin_id", mine["row"].to_numpy(),
            mine["id"].tolist(),
            [f"This id differs from '{i}' ({f} row {r}) only in letter case; spreadsheets "
             "treat them as the same id, so give them clearly different ids."
             for f, r, i in where],
            [f"该编号与「{i}」({f} 第{r}行)仅大小写不同;表格软件会把它们视为同一编号,"
             "请使用明显不同的编号。" for f, r, i in where],
        )


def _check_text(t: _Table, problems: _Problems) -> None:
    """Report control characters, formula text and overlong cells in text columns."""
    for name, s in t.cols.items():
        prop = _prop(t.item, name)
        if prop.type != "STRING" or s.empty:
            continue
        is_id = name in ("id", "from", "to")
        arr = pa.array(s, type=pa.string())
        control = _bools(pc.match_substring_regex(arr, _RE2_ID_CONTROL if is_id
                                                  else _RE2_CONTROL))
        _report(problems, t, prop, "control_char", control,
                lambda v, i=is_id: "Contains an invisible control character "
                                    f"({_first_control(v, i)}); retype the cell without it.",
                lambda v, i=is_id: f"含有不可见的控制字符({_first_control(v, i)});"
                                    "请重新输入该单元格。")
        formula = _bools(pc.starts_with(arr, "=")) & ~control
        _report(problems, t, prop, "formula_text", formula,
                "Starts with '=': a formula, not a value. Paste the value (粘贴为数值) instead.",
                "以「=」开头,是公式而不是数值;请改为「选择性粘贴 → 数值」。")
        limit = MAX_ID_CHARS if is_id else MAX_CELL_CHARS
        lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
        _report(problems, t, prop, "too_long", lengths > limit,
                lambda v, n=limit: f"Too long: {len(v.strip())} characters (at most {n}).",
                lambda v, n=limit: f"内容过长:{len(v.strip())} 个字符(最多 {n} 个)。")


def _bools(a: pa.Array) -> np.ndarray:
    return a.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _first_control(v: str, is_id: bool) -> str:
    m = (_ID_CONTROL if is_id else _CONTROL).search(v.strip())
    return f"U+{ord(m.group(0)):04X}" if m else "?"


def _check_repeated_rels(t: _Table, problems: _Problems) -> None:
    """The same relationship (type, from, to) may be listed once: counts rely on it."""
    if "from" not in t.cols or "to" not in t.cols:
        return
    # cells are already stripped; fold only the few non-ASCII ids (a per-cell map is slow)
    pairs = pd.DataFrame({"f": _nfkc_if_needed(t.cols["from"]),
                          "t": _nfkc_if_needed(t.cols["to"])})
    filled = ((pairs["f"] != "") & (pairs["t"] != "")).to_numpy()
    again = pairs.duplicated(keep="first").to_numpy() & filled
    _report(problems, t, _prop(t.item, "from"), "repeated_relationship", again,
            f"This {t.item.name} relationship (same from and to) is listed again; list "
            "each pair once.",
            f"同一「{t.item.zh}」关系(起点和终点相同)重复出现;每对起点和终点只能列一次。")


def _check_one_parent(t: _Table, problems: _Problems) -> None:
    """A region is PART_OF one parent only (a community lies in one township)."""
    if "from" not in t.cols or "to" not in t.cols:
        return
    frm = t.cols["from"]
    filled = (frm != "").to_numpy()
    again = frm.duplicated(keep="first").to_numpy() & filled
    if not again.any():
        return
    first_row = dict(zip(frm[filled & ~again].tolist(), t.rows[filled & ~again].tolist(),
                         strict=True))
    first_to = dict(zip(frm[filled & ~again].tolist(), t.cols["to"][filled & ~again].tolist(),
                        strict=True))
    _report(problems, t, _prop(t.item, "from"), "two_parents", again,
            lambda v: f"'{v.strip()}' is already PART_OF '{first_to[_id_key(v)]}' (row "
                      f"{first_row[_id_key(v)]}); a region belongs to exactly one parent "
                      "(a community to one township, a township to one county, a county to "
                      "one city).",
            lambda v: f"「{v.strip()}」已隶属于「{first_to[_id_key(v)]}」(第"
                      f"{first_row[_id_key(v)]}行);每个区域只能隶属一个上级(社区只属于一个"
                      "乡镇/街道,乡镇只属于一个县区,县区只属于一个市)。")


def _id_key(v: str) -> str:
    return unicodedata.normalize("NFKC", v).strip()


def _check_hierarchy_schema() -> None:
    """PART_OF pairs must each go exactly one level up, so no cycle can be loaded."""
    up = {(a, b) for a, b in zip(REGION_LEVELS, REGION_LEVELS[1:], strict=False)}
    pairs = set(SCHEMA.rel("PART_OF").pairs)
    if not pairs <= up:
        raise ValueError(f"PART_OF pairs {sorted(pairs - up)} do not go one level up "
                         f"{' → '.join(REGION_LEVELS)}: the region hierarchy could have cycles")


_check_hierarchy_schema()


def _check_existing(nodes: list[_Table], rels: list[_Table], ids: pd.Index,
                    codes: np.ndarray, existing_labels: ExistingLabels,
                    problems: _Problems) -> tuple[pd.Index, np.ndarray]:
    """Ask the store about new node ids and unresolved ends; extend the id lookup."""
    unresolved: set[str] = set()
    for t in rels:
        for c in ("from", "to"):
            if c in t.cols:
                s = t.cols[c]
                miss = (ids.get_indexer(s) < 0) & (s != "").to_numpy()
                unresolved.update(s[miss].unique().tolist())
    stored = existing_labels(sorted(set(ids.tolist()) | unresolved))
    if not stored:
        return ids, codes
    stored_ids = pd.Index(list(stored))
    for t in nodes:
        if "id" not in t.cols:
            continue
        s = t.cols["id"]
        hit = stored_ids.get_indexer(s) >= 0
        if hit.any():
            where = [stored[v] for v in s[hit].iloc[:MAX_PER_RULE]]
            problems.many(
                t.raw.source, "id (编号)", "exists_in_store", t.rows[hit], s[hit].tolist(),
                [f"This id already exists in the store (as {w}); new nodes need new ids."
                 for w in where],
                [f"该编号已存在于数据库中(类型 {w});新增节点须使用新编号。" for w in where],
            )
    extra = [i for i in stored if i in unresolved]
    extra_codes = np.array([_LABEL_CODE[stored[i]] for i in extra], dtype=np.int16)
    return ids.append(pd.Index(extra)), np.concatenate([codes, extra_codes])


def _check_ends(t: _Table, ids: pd.Index, codes: np.ndarray,
                problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    """Resolve from/to label codes; report unknown ids, disallowed pairs and self-loops."""
    rel = t.item
    assert isinstance(rel, RelType)
    n = len(t.rows)
    ends = []
    for col in ("from", "to"):
        if col not in t.cols:
            ends.append(np.full(n, -1, dtype=np.int16))
            continue
        s = t.cols[col]
        pos = ids.get_indexer(s)
        code = np.where(pos >= 0, codes[pos] if len(codes) else -1, -1).astype(np.int16)
        _report(problems, t, _prop(rel, col), "unknown_id", (pos < 0) & (s != "").to_numpy(),
                "No node has this id (in this import or the store).",
                "找不到该编号的节点(本次导入及数据库中均无)。")
        ends.append(code)
    fc, tc = ends
    allowed = np.zeros((len(_LABELS), len(_LABELS)), dtype=bool)
    starts = np.zeros(len(_LABELS), dtype=bool)
    for a, b in rel.pairs:
        allowed[_LABEL_CODE[a], _LABEL_CODE[b]] = True
        starts[_LABEL_CODE[a]] = True
    known = (fc >= 0) & (tc >= 0)
    bad_from = known & ~starts[fc]
    bad_to = known & ~bad_from & ~allowed[fc, tc]
    listed = ", ".join(f"{a}→{b}" for a, b in rel.pairs)
    for col, mask, code in (("from", bad_from, fc), ("to", bad_to, tc)):
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            continue
        shown = _LABELS[code[idx[:MAX_PER_RULE]]]
        problems.many(
            t.raw.source, _display(_prop(rel, col)), "label_pair", t.rows[idx],
            t.original[col].iloc[idx[:MAX_PER_RULE]].tolist(),
            [f"This id is a node of label {lb}, which {rel.name} cannot join here; allowed pairs "
             f"(from→to): {listed}." for lb in shown],
            [f"该编号是 {lb} 节点,{rel.zh}({rel.name})不能这样连接;允许的起点→终点:"
             f"{listed}。" for lb in shown],
        )
    if "from" in t.cols and "to" in t.cols:
        loop = ((t.cols["from"] == t.cols["to"]) & (t.cols["from"] != "")).to_numpy()
        _report(problems, t, _prop(rel, "to"), "self_loop", loop,
                "A relationship cannot join a node to itself (from = to).",
                "关系的起点和终点不能是同一个节点。")
    return fc, tc


def _str_column(s: pd.Series) -> pd.Series:
    """Text column for output: empty cells become missing, positional index."""
    s = s.reset_index(drop=True).astype("str")
    return s.where(s != "")


def _typed_column(prop: Prop, t: _Table) -> object:
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
        return pd.array(np.asarray(v), dtype="Float64").astype("Int64")
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


def _node_frame(t: _Table) -> pd.DataFrame:
    label = t.item
    assert isinstance(label, NodeLabel)
    return pd.DataFrame({p.name: _typed_column(p, t) for p in label.all_props},
                        index=pd.RangeIndex(len(t.rows)))


def _rel_frame(t: _Table, fc: np.ndarray, tc: np.ndarray) -> pd.DataFrame:
    rel = t.item
    assert isinstance(rel, RelType)
    data: dict[str, object] = {
        "from": _str_column(t.cols["from"]),
        "to": _str_column(t.cols["to"]),
        "from_label": pd.Series(_LABELS[fc], dtype="str"),
        "to_label": pd.Series(_LABELS[tc], dtype="str"),
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
                    f"Names of {count} {label.en.lower()} records were masked (张*明); set "
                    f"{privacy.SHOW_NAMES_ENV}=1 in an authorised deployment to keep them.",
                    f"{count} 条{label.zh}记录的姓名已脱敏显示(如 张*明);经授权的部署可设置 "
                    f"{privacy.SHOW_NAMES_ENV}=1 保留全名。",
                ))
            if "sensitive" in p.checks:
                df[p.name] = privacy.hash_series(df[p.name], salt).astype("str")
                notes.append(Notice(
                    f"{p.en} of {count} {label.en.lower()} records were stored as salted "
                    "hashes, never in clear.",
                    f"{count} 条{label.zh}记录的{p.zh}已以加盐哈希形式存储,不保存明文。",
                ))
    return notes
