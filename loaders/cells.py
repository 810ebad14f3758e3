"""The strict cell rules: type one column of text cells, reporting every bad cell.

This is the public API for any importer that has a column of cells as text and knows which
schema property they hold (the register importer calls it per mapped column)::

    col = Column(source="名册.xlsx [志愿者]", prop=SCHEMA.node("Volunteer").prop("hours_12m"),
                 original=texts, rows=spreadsheet_rows)
    problems = Problems()
    check_text(col, problems)
    typed = parse_column(col, problems, today=dt.date.today())

Rules (documented in docs/import-format.md): cells are stripped of leading/trailing
whitespace (full-width spaces included); numbers and dates fold full-width digits (NFKC);
``12.0`` is a whole number; dates ``yyyy-mm-dd``, ``yyyy/mm/dd``, ``yyyy年m月d日``,
``yyyymmdd`` or an Excel serial; booleans true/false, 1/0, 是/否, Y/N, yes/no; credit codes
upper-cased and checked (GB 32100); ratings ``AAAAA`` written ``5A``; enumerations must be
one of the property's ``choices`` (see :func:`check_choices`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wushe.graph.choices import choice_code_map, choice_key, choice_names
from wushe.graph.schema import Prop
from wushe.loaders.credit_code import check_character, valid_credit_codes
from wushe.loaders.names import display
from wushe.loaders.problems import MAX_PER_RULE, Problems

__all__ = [
    "DATE_MIN",
    "DATE_YEARS_AHEAD",
    "ID_COLUMNS",
    "INT64_MAX",
    "MAX_CELL_CHARS",
    "MAX_ID_CHARS",
    "TYPE_TEXT",
    "Column",
    "check_choices",
    "check_text",
    "nfkc_if_needed",
    "parse_column",
]

MAX_CELL_CHARS = 4000  # longer text is pasted junk, and it would swamp pages and exports
MAX_ID_CHARS = 200
ID_COLUMNS = ("id", "from", "to")
# Characters a spreadsheet does not show, or shows as blank: Unicode controls (Cc: C0/C1,
# tab included), format characters (Cf: zero-width, bidi overrides, soft hyphen, tags),
# private-use (Co) and surrogates (Cs), line/paragraph separators, and the Hangul/Braille
# fillers that render as blanks. They make two values that look the same differ, or hide
# what a cell says. Line breaks (LF, CR) are allowed inside text that is not an id.
_FILLERS = "\u115f\u1160\u3164\uffa0\u2800\u2028\u2029"
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
_RE2_FILLERS = "".join(f"\\x{{{ord(c):04x}}}" for c in _FILLERS)
_RE2_ID_CONTROL = rf"[\p{{Cc}}\p{{Cf}}\p{{Co}}\p{{Cs}}{_RE2_FILLERS}]"
_RE2_CONTROL = rf"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\p{{Cf}}\p{{Co}}\p{{Cs}}{_RE2_FILLERS}]"
# A number Excel shortened to 15 significant digits and wrote in scientific notation
# (an ID number typed as a number shows as 1.10101E+17): its digits are lost.
_RE2_SCIENTIFIC = r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$"
INT64_MAX = 2**63 - 1
DATE_MIN = dt.date(1949, 10, 1)
DATE_YEARS_AHEAD = 30  # latest plausible date: this many years after today

TYPE_TEXT = {
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


@dataclass
class Column:
    """One column of text cells bound to the schema property it holds.

    Attributes
    ----------
    source : str
        Where it came from, as messages show it (``file`` or ``file [sheet]``).
    prop : Prop
        The property (``names.prop_of`` gives relationship ``from``/``to``).
    original : pandas.Series
        The cells as written (str, ``""`` for empty), for messages.
    rows : numpy.ndarray
        Spreadsheet row number of each cell.
    text : pandas.Series, optional
        The cells as checked; default ``original`` stripped (ids also NFKC-folded).
    """

    source: str
    prop: Prop
    original: pd.Series
    rows: np.ndarray
    text: pd.Series | None = None

    def __post_init__(self) -> None:
        if self.text is None:
            text = self.original.str.strip()
            if self.prop.name in ID_COLUMNS:
                text = nfkc_if_needed(text).str.strip()
            self.text = text

    @property
    def label(self) -> str:
        """The column as messages name it."""
        return display(self.prop)

    def report(self, problems: Problems, rule: str, mask: np.ndarray,
               en: str | Callable[[str], str], zh: str | Callable[[str], str]) -> None:
        """Add a located problem for every cell where ``mask`` is true.

        ``en``/``zh`` are a text or a function of the cell as written.
        """
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return
        values = self.original.iloc[idx[:MAX_PER_RULE]].tolist()
        en_ = en if isinstance(en, str) else [en(v) for v in values]
        zh_ = zh if isinstance(zh, str) else [zh(v) for v in values]
        problems.many(self.source, self.label, rule, self.rows[idx], values, en_, zh_)


def nfkc_if_needed(s: pd.Series) -> pd.Series:
    """Fold full-width digits and signs (１２．５ -> 12.5) in the few non-ASCII cells."""
    non_ascii = ~s.str.isascii().to_numpy(dtype=bool, na_value=True)
    if not non_ascii.any():
        return s
    s = s.copy()
    s[non_ascii] = [unicodedata.normalize("NFKC", v) for v in s[non_ascii].tolist()]
    return s


def check_text(col: Column, problems: Problems) -> None:
    """Report control characters, formula text and overlong cells in a text column."""
    s = col.text
    assert s is not None
    if col.prop.type != "STRING" or s.empty:
        return
    is_id = col.prop.name in ID_COLUMNS
    arr = pa.array(s, type=pa.string())
    control = _bools(pc.match_substring_regex(arr, _RE2_ID_CONTROL if is_id else _RE2_CONTROL))
    col.report(problems, "control_char", control,
               lambda v, i=is_id: "Contains an invisible control character "
                                  f"({_first_control(v, i)}), which a spreadsheet does not "
                                  "show (or shows as a blank); retype the cell without it.",
               lambda v, i=is_id: f"含有不可见的控制字符({_first_control(v, i)}),表格中不显示"
                                  "或显示为空白;请重新输入该单元格。")
    formula = _bools(pc.starts_with(arr, "=")) & ~control
    col.report(problems, "formula_text", formula,
               "Starts with '=': a formula, not a value. Paste the value (粘贴为数值) instead.",
               "以「=」开头,是公式而不是数值;请改为「选择性粘贴 → 数值」。")
    # Spreadsheets run a cell starting with + - @ as a formula too (CSV injection): text
    # that starts so is refused on import, so no stored text can act as one in an export.
    # Hashed columns are exempt: their stored value is a hash, never the text.
    leader = (_bools(pc.match_substring_regex(arr, r"^[+\-@]")) & ~control & ~formula
              & ("sensitive" not in col.prop.checks))
    col.report(problems, "formula_leader", leader,
               "Starts with '+', '-' or '@', which spreadsheets treat as the start of a formula "
               "(a risk when the data is exported and opened). Remove the sign, or leave the "
               "cell empty instead of writing '-'.",
               "以「+」「-」或「@」开头,表格软件会把它当作公式开头(数据导出后打开时有风险)。"
               "请去掉该符号;如表示“无”,请留空而不要填写「-」。")
    shortened = _bools(pc.match_substring_regex(arr, _RE2_SCIENTIFIC)) & ~control & ~leader
    col.report(problems, "shortened_number", shortened,
               "A number in scientific notation: the spreadsheet kept only 15 significant "
               "digits, so the rest are lost. Store it as text (format the column as Text, "
               "or type an apostrophe first) and enter the full value again.",
               "该值为科学计数法数字:表格软件只保留 15 位有效数字,其余位已丢失。请把该列设为"
               "「文本」格式(或先输入英文单引号)后重新输入完整内容。")
    limit = MAX_ID_CHARS if is_id else MAX_CELL_CHARS
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    col.report(problems, "too_long", lengths > limit,
               lambda v, n=limit: f"Too long: {len(v.strip())} characters (at most {n}).",
               lambda v, n=limit: f"内容过长:{len(v.strip())} 个字符(最多 {n} 个)。")


def _bools(a: pa.Array) -> np.ndarray:
    return a.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _first_control(v: str, is_id: bool) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the first character :func:`check_text` refuses."""
    for c in v.strip():
        if c in "\n\r" and not is_id:
            continue
        if unicodedata.category(c) in _INVISIBLE_CATEGORIES or c in _FILLERS:
            return f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()
    return "?"


def parse_column(col: Column, problems: Problems, today: dt.date) -> object:
    """Type-convert one column, report bad values, return the typed values.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Int64 (exact, NA where empty or bad) for INT64, float64 (NaN) for DOUBLE,
        ``datetime64[D]`` (NaT) for DATE, object bool/None for BOOL, the normalised str
        Series for STRING.
    """
    prop, s = col.prop, col.text
    assert s is not None
    empty = (s == "").to_numpy()
    if prop.required:
        what = "the id" if prop.name == "id" else "this required value"
        col.report(problems, "required", empty,
                   f"Empty: {what} must be filled in.", f"为空:{prop.zh}为必填项。")
    filled = ~empty
    if prop.type in ("INT64", "DOUBLE"):
        text = nfkc_if_needed(s)
        num = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(num)
        if prop.type == "INT64":
            ok &= np.floor(num) == num
        col.report(problems, "type", filled & ~ok,
                   f"Expected {TYPE_TEXT[prop.type][0]}.", f"应为{TYPE_TEXT[prop.type][1]}。")
        num = np.where(ok, num, np.nan)
        if prop.type == "INT64":
            return _whole_numbers(col, text, num, problems)
        _check_number(col, num, problems)
        return num
    if prop.type == "DATE":
        days = _parse_dates(s, filled)
        # 2024 and 202401 would pass as Excel serials (1905-07-16, 2454-02-24): refused
        year_only = filled & s.str.fullmatch(r"(19|20)\d\d").to_numpy(dtype=bool)
        month_only = (filled & ~year_only
                      & s.str.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])").to_numpy(dtype=bool))
        days[year_only | month_only] = np.datetime64("NaT")
        ok = ~np.isnat(days)
        col.report(problems, "partial_date", year_only | month_only,
                   "Not a whole date: a year alone (2024) or a year and month (202401) is not "
                   "a day; write the full date, such as 2024-03-01.",
                   "不是完整日期:只有年份(如 2024)或年月(如 202401)不构成日期;请填写完整日期,"
                   "如 2024-03-01。")
        col.report(problems, "type", filled & ~ok & ~year_only & ~month_only,
                   f"Expected {TYPE_TEXT['DATE'][0]}.", f"应为{TYPE_TEXT['DATE'][1]}。")
        lo = np.datetime64(DATE_MIN, "D")
        # past_date columns have their own, sharper upper bound (today) below
        hi = (np.datetime64(today, "D") + np.timedelta64(366 * DATE_YEARS_AHEAD, "D")
              if "past_date" not in prop.checks else np.datetime64("9999-12-31", "D"))
        col.report(problems, "date_range", ok & ((days < lo) | (days > hi)),
                   lambda v: f"Date {_shown_date(v)} is outside the plausible range "
                             f"{DATE_MIN.isoformat()} to {str(hi)}; check the year.",
                   lambda v: f"日期 {_shown_date(v)} 超出合理范围({DATE_MIN.isoformat()} 至 "
                             f"{str(hi)});请检查年份。")
        days = np.where((days < lo) | (days > hi), np.datetime64("NaT"), days)
        if "past_date" in prop.checks:
            col.report(problems, "past_date", ok & (days > np.datetime64(today, "D")),
                       f"Date is in the future (after {today.isoformat()}).",
                       f"日期晚于今天({today.isoformat()}),不能是将来的日期。")
        return days
    if prop.type == "BOOL":
        b = nfkc_if_needed(s).str.lower().map(_BOOL)
        ok = b.notna().to_numpy()
        col.report(problems, "type", filled & ~ok,
                   f"Expected {TYPE_TEXT['BOOL'][0]}.", f"应为{TYPE_TEXT['BOOL'][1]}。")
        out = np.array(b, dtype=object)  # a copy: pandas 3 hands out read-only views
        out[~ok] = None
        return out
    return _parse_string(col, filled, problems)


def _whole_numbers(col: Column, text: pd.Series, num: np.ndarray,
                   problems: Problems) -> pd.arrays.IntegerArray:
    """Exact Int64 values; numbers beyond 64-bit integers are refused, never wrapped.

    Floats are exact below 2**53; larger values are parsed again from their text with
    :class:`decimal.Decimal`, so no digit changes on the way in.
    """
    ok = np.isfinite(num)
    big = ok & (np.abs(np.where(ok, num, 0)) >= 2.0**53)
    exact: dict[int, int] = {}
    too_big = np.zeros(len(num), dtype=bool)
    not_whole = np.zeros(len(num), dtype=bool)
    for i in np.flatnonzero(big):
        d = decimal.Decimal(text.iloc[i])
        if d != d.to_integral_value():
            not_whole[i] = True
        elif -INT64_MAX - 1 <= int(d) <= INT64_MAX:
            exact[int(i)] = int(d)
        else:
            too_big[i] = True
    col.report(problems, "type", not_whole,
               f"Expected {TYPE_TEXT['INT64'][0]}.", f"应为{TYPE_TEXT['INT64'][1]}。")
    too_big &= ~not_whole
    col.report(problems, "int64_range", too_big,
               f"Too large: whole numbers must lie between -{INT64_MAX + 1} and {INT64_MAX}.",
               f"数值过大:整数须在 -{INT64_MAX + 1} 到 {INT64_MAX} 之间。")
    ok &= ~too_big & ~not_whole
    num = np.where(ok, num, np.nan)
    _check_number(col, num, problems)
    out = pd.array(np.where(ok & ~big, num, 0).astype(np.int64), dtype="Int64")
    out[~ok] = pd.NA
    for i, value in exact.items():
        out[i] = value
    return out


def _shown_date(v: str) -> str:
    """The date a cell means, for messages (an Excel serial shown as its day)."""
    v = v.strip()
    if _SERIAL.match(v):
        n = int(float(v))
        if n <= 2958465:
            return f"{v} (= {_EXCEL_EPOCH + np.timedelta64(n, 'D')})"
    return v


def _check_number(col: Column, num: np.ndarray, problems: Problems) -> None:
    checks = col.prop.checks
    with np.errstate(invalid="ignore"):
        if "non_negative" in checks:
            col.report(problems, "non_negative", num < 0, "Must not be negative.", "不能为负数。")
        if "star" in checks:
            col.report(problems, "star", (num < 0) | (num > 5),
                       "Star level must be 0 to 5.", "星级应为 0 到 5。")
        if "share" in checks:
            col.report(problems, "share", (num < 0) | (num > 1),
                       "Must be a share between 0 and 1.", "应为 0 到 1 之间的比例。")


def _parse_dates(s: pd.Series, filled: np.ndarray) -> np.ndarray:
    """Parse the filled cells of a DATE column to datetime64[D] (NaT where invalid)."""
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[D]")
    idx = np.flatnonzero(filled)
    if len(idx) == 0:
        return out
    text = nfkc_if_needed(s.iloc[idx]).astype(str)
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


def check_choices(col: Column, s: pd.Series, filled: np.ndarray,
                  problems: Problems) -> pd.Series:
    """Enumerations: each filled cell must name one of ``prop.choices``.

    This is the one place enumeration values are matched: the stored code, its Chinese or
    English display name or a synonym (:mod:`graph.choices`: 城市社区/城市 → ``urban``,
    街道 → ``street``) are accepted, in any width or letter case. Returns the column with
    every accepted value written as its code.
    """
    prop = col.prop
    if not prop.choices:
        return s
    codes = choice_code_map(prop)
    other = ~s.isin(prop.choices)
    mapped = s
    if other.any():  # look up each distinct spelling once (province-size columns)
        found = {v: codes[choice_key(v)] for v in pd.unique(s[other])
                 if isinstance(v, str) and choice_key(v) in codes}
        if found:
            mapped = s.where(~s.isin(list(found)), s.map(found))
    col.report(problems, "choices", filled & ~mapped.isin(prop.choices).to_numpy(),
               "Not an allowed value; use one of: " + ", ".join(
                   n if n == c else f"{n} ({c})"
                   for n, c in zip(choice_names(prop, "en"), prop.choices, strict=True)) + ".",
               "不是允许的取值;应为以下之一:" + "、".join(choice_names(prop, "zh")) + "。")
    return mapped


def _parse_string(col: Column, filled: np.ndarray, problems: Problems) -> pd.Series:
    prop, s = col.prop, col.text
    assert s is not None
    s = check_choices(col, s, filled, problems)
    if "credit_code" in prop.checks:
        s = nfkc_if_needed(s).str.upper()
        bad = filled & ~valid_credit_codes(s)
        col.report(problems, "credit_code", bad, _credit_en, _credit_zh)
    if "rating" in prop.checks:
        s = nfkc_if_needed(s).str.upper()
        letters = s.str.fullmatch(r"A{1,5}").to_numpy(dtype=bool, na_value=False)
        if letters.any():
            s = s.copy()
            s[letters] = s[letters].str.len().astype(str) + "A"
        bad = filled & ~s.str.fullmatch(r"[1-5]A").to_numpy(dtype=bool, na_value=False)
        col.report(problems, "rating", bad,
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
