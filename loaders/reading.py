"""Read import files (CSV or XLSX) into raw all-text tables.

Nothing is interpreted here beyond turning bytes and spreadsheet cells into text: every
value stays a string so that :mod:`loaders.validate` sees what the user wrote and can say
where it is wrong. Each :class:`RawTable` remembers its file, sheet and the spreadsheet row
of its header so that messages point at the row a person sees (header = row 1).

CSV files may be UTF-8 (with or without BOM), GBK or GB18030 — the encodings Excel and WPS
write on Chinese Windows. XLSX cells keep their meaning: integers stored as floats (12.0)
become ``12``, date cells become ``yyyy-mm-dd``, booleans ``true``/``false``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wushe.graph.errors import Problem, ValidationError
from wushe.loaders.names import table_key, table_names
from wushe.loaders.problems import MAX_PER_RULE, Problems, clip
from wushe.loaders.workbook import check_workbook, column_letters

__all__ = [
    "MAX_CELL_BYTES",
    "MAX_COLUMNS",
    "RawTable",
    "SKIPPED_SHEETS",
    "cell_text",
    "decode_csv",
    "read_csv",
    "read_path",
    "read_upload",
    "read_xlsx",
]

# Sheets that explain the workbook rather than hold data (the template's README sheet and
# the lists of the stored regions and organizations a downloaded template carries).
SKIPPED_SHEETS = frozenset({"说明", "readme", "使用说明", "已有区域", "已有社会组织"})
MAX_COLUMNS = 500  # columns per table: the widest schema table has a few dozen
MAX_CELL_BYTES = 131072  # Python's csv field limit; cells are refused far below it


@dataclass
class RawTable:
    """One table as read: raw header texts and all-text data, positionally indexed.

    Attributes
    ----------
    name : str
        The table name as written: the CSV file's stem or the sheet name.
    headers : list of str
        Header cells as written (column ``i`` of ``data`` has header ``headers[i]``).
    data : pandas.DataFrame
        Columns ``0..n-1``, every value a string, ``""`` for an empty cell.
    file : str
        File name (without folder), for messages.
    sheet : str or None
        Sheet name for XLSX.
    header_row : int
        Spreadsheet row number of the header; data row ``i`` is row ``header_row + 1 + i``.
    """

    name: str
    headers: list[str]
    data: pd.DataFrame
    file: str
    sheet: str | None = None
    header_row: int = 1

    @property
    def source(self) -> str:
        """Where the table came from, as messages show it: ``file`` or ``file [sheet]``."""
        return f"{self.file} [{self.sheet}]" if self.sheet is not None else self.file

    def row_numbers(self) -> np.ndarray:
        """Spreadsheet row number of each data row."""
        return self.data.index.to_numpy(dtype=np.int64) + self.header_row + 1


def _unreadable(file: str, en: str, zh: str) -> ValidationError:
    return ValidationError([Problem(file, None, None, None, en, zh)])


_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_csv(data: bytes, file: str = "<csv>") -> tuple[str, str]:
    """Decode CSV bytes strictly, returning ``(text, encoding)``.

    Only the encodings the import format promises are tried, each strictly: UTF-16 with a
    BOM, UTF-8 (BOM optional), then GB18030 (a superset of GBK and GB2312). A byte that none
    of them accepts is an error naming its line and offset; no code page is ever guessed.

    Raises
    ------
    ValidationError
        When the bytes are not text in one of those encodings.

    Examples
    --------
    >>> decode_csv("编号,名称".encode("gbk"))
    ('编号,名称', 'gb18030')
    >>> decode_csv(b"\\xef\\xbb\\xbfid,name")
    ('id,name', 'utf-8-sig')
    >>> decode_csv("id,名称".encode("utf-16"))[1]
    'utf-16'
    """
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), "utf-16"
            except UnicodeDecodeError as e:
                raise _bad_byte(file, data, e.start + len(bom), "UTF-16") from None
    if _looks_like_bomless_utf16(data):
        raise _unreadable(
            file,
            "The file's text encoding is UTF-16 without a byte-order mark, which cannot be "
            "read reliably; save it as CSV UTF-8 (or Unicode text with a BOM).",
            "该文件的文字编码为不带 BOM 的 UTF-16,无法可靠识别;请另存为「CSV UTF-8」"
            "(或带 BOM 的 Unicode 文本)。",
        )
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as e:
        utf8_error = e.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
    bad_line = _mixed_encoding_line(data)
    if bad_line is not None:
        raise ValidationError([Problem(
            file, bad_line, None, None,
            f"The file mixes UTF-8 and GBK text (line {bad_line} is not UTF-8 while other "
            "lines are), so some Chinese text would be garbled. Open it in a spreadsheet, fix "
            "the garbled rows and save the whole file again as CSV UTF-8.",
            f"该文件混用了 UTF-8 与 GBK 编码(第 {bad_line} 行不是 UTF-8,其他行是),部分中文会"
            "变成乱码。请在表格软件中修正乱码行后,将整个文件重新另存为「CSV UTF-8」。",
        )])
    body = data.removeprefix(codecs.BOM_UTF8)  # a UTF-8 BOM in front of GBK text is dropped
    try:
        return body.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        gb_error = e.start + len(data) - len(body)
    # Say where the encoding that read further broke: that is the file's encoding.
    if utf8_error >= gb_error:
        raise _bad_byte(file, data, utf8_error, "UTF-8")
    raise _bad_byte(file, data, gb_error, "GBK/GB18030")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """Many NUL bytes at every other position: UTF-16 text without its BOM."""
    head = data[:4096]
    if len(head) < 4:
        return False
    return max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4


def _bad_byte(file: str, data: bytes, pos: int, encoding: str) -> ValidationError:
    """A located error for the first byte at ``pos`` that ``encoding`` cannot decode."""
    sep = b"\n" if b"\n" in data else b"\r"
    line = data.count(sep, 0, pos) + 1
    col = pos - (data.rfind(sep, 0, pos) + 1) + 1
    byte = data[pos:pos + 1].hex().upper()
    return ValidationError([Problem(
        file, None, None, None,
        f"Invalid text encoding: byte 0x{byte} at line {line}, byte {col} of that line "
        f"(byte {pos + 1} of the file) is not valid {encoding}; the file is read only as "
        "UTF-8, UTF-16 with BOM, GBK or GB18030. Fix or retype that text and save the file "
        "as CSV UTF-8.",
        f"文字编码有误:第 {line} 行第 {col} 个字节(文件第 {pos + 1} 个字节,0x{byte})不是有效的 "
        f"{encoding} 编码;文件只按 UTF-8、带 BOM 的 UTF-16、GBK 或 GB18030 读取。请修正或重新输入"
        "该处文字,并另存为「CSV UTF-8」。",
    )])


def _mixed_encoding_line(data: bytes) -> int | None:
    """First line (1-based) that is not UTF-8 in a file whose other text lines are UTF-8.

    GBK text is valid UTF-8 by chance on about 1 line in 170, so a file counts as mixed
    only when at least two non-ASCII lines, and at least a tenth of them, are UTF-8.
    """
    utf8, other = 0, None
    n_other = 0
    for i, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            n_other += 1
            other = other or i
    if other is not None and utf8 >= 2 and utf8 >= 0.1 * (utf8 + n_other):
        return other
    return None


def read_csv(path: str | Path) -> RawTable:
    """Read one CSV file (see :func:`read_upload` for bytes)."""
    path = Path(path)
    return _csv_table(path.read_bytes(), path.name)


def _csv_table(data: bytes, file: str) -> RawTable:
    text, enc = decode_csv(data, file)
    text = text.lstrip("\ufeff")  # a second BOM after a GB18030 decode of a UTF-8 BOM file
    name = Path(file).stem
    if not text.strip():
        return RawTable(name, [], pd.DataFrame(), file)
    headers = next(_records(text, file))
    _check_width(len(headers), file, 1)
    utf8 = data.removeprefix(codecs.BOM_UTF8) if enc == "utf-8-sig" else text.encode()
    df = _arrow_csv(utf8, len(headers))
    if df is None:
        # Rows longer than the header keep their extra cells, under empty headers, so the
        # validator can point at them instead of silently dropping data.
        width = len(headers)
        records = _records(text, file)
        for i, r in enumerate(records, start=1):
            if len(r) > width:
                _check_width(len(r), file, i)
                width = len(r)
        headers += [""] * (width - len(headers))
        df = _pandas_csv(text, headers, file)
    return RawTable(name, headers, df, file)


def _records(text: str, file: str) -> Iterator[list[str]]:
    """CSV records of ``text`` (any of CRLF, LF or CR-only line ends); errors are located."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            # Python's csv refuses fields over 128 KiB: far beyond any cell limit anyway.
            raise ValidationError([Problem(
                file, None, None, None,
                f"The CSV file cannot be read at line {reader.line_num}: {clip(str(e))}. A "
                f"cell may be at most {MAX_CELL_BYTES // 1024} KiB; check quotes.",
                f"CSV 文件第 {reader.line_num} 行无法读取:{clip(str(e))}。单元格最长 "
                f"{MAX_CELL_BYTES // 1024} KiB;请检查引号。",
            )]) from None
        yield row


def _check_width(width: int, file: str, line: int) -> None:
    if width > MAX_COLUMNS:
        raise ValidationError([Problem(
            file, line, None, None,
            f"Row {line} has {width} columns; a table may have at most {MAX_COLUMNS}.",
            f"第 {line} 行有 {width} 列;每张表最多 {MAX_COLUMNS} 列。",
        )])


def _arrow_csv(data: bytes, width: int) -> pd.DataFrame | None:
    """Fast path (pyarrow, ~10x pandas' parser); None when the file needs the lenient one."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            # Blank lines must stay rows so that row numbers match the spreadsheet's;
            # the lenient parser handles them (and ragged rows).
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    return pd.DataFrame({j: pd.Series(table.column(j), dtype="str") if table.num_rows
                         else pd.Series([], dtype="str") for j in range(width)})


def _pandas_csv(text: str, headers: list[str], file: str) -> pd.DataFrame:
    """Lenient parser: blank lines and short rows are kept (as empty cells)."""
    try:
        df = pd.read_csv(
            io.StringIO(text, newline=""), header=0, names=list(range(len(headers))), dtype=str,
            keep_default_na=False, skip_blank_lines=False, index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as e:
        raise _unreadable(
            file,
            f"The CSV file is malformed ({clip(str(e))}); check quotes and that every row has "
            f"as many fields as the header ({len(headers)}).",
            f"CSV 文件格式有误({clip(str(e))});请检查引号,并确认每行字段数与表头一致"
            f"({len(headers)} 列)。",
        ) from None
    return df.fillna("")


def cell_text(v: Any) -> str:
    """Text of one spreadsheet cell as the validator expects it.

    Examples
    --------
    >>> [cell_text(v) for v in (None, 12.0, 12.5, 3, True, dt.date(2024, 1, 5), "a")]
    ['', '12', '12.5', '3', 'true', '2024-01-05', 'a']
    >>> cell_text(dt.datetime(2024, 1, 5, 0, 0))
    '2024-01-05'
    >>> cell_text(110101199001011234.0)
    '1.1010119900101123e+17'
    """
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        if math.isfinite(v) and abs(v) >= 1e15:
            # Beyond 15 significant digits a spreadsheet number has lost digits: show it as
            # the spreadsheet does, so that text columns can refuse it ("store it as text").
            return np.format_float_scientific(v, unique=True, trim="-")
        return repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _sheet_table(rows: list[list[Any]], file: str, sheet: str) -> RawTable | None:
    """Build a table from a sheet's cells; the first non-empty row is the header."""
    start = next((i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None)
    if start is None:
        return None
    headers = [cell_text(c) for c in rows[start]]
    width = len(headers)
    body = rows[start + 1:]
    cols: list[list[str]] = [[] for _ in range(width)]
    for r in body:
        for j in range(width):
            cols[j].append(cell_text(r[j]) if j < len(r) else "")
    # Cells right of the header row: keep them so the validator can call them out.
    extra = max((len(r) for r in body), default=0)
    for j in range(width, extra):
        headers.append("")
        cols.append([cell_text(r[j]) if j < len(r) else "" for r in body])
    df = pd.DataFrame({j: pd.Series(c, dtype=str) for j, c in enumerate(cols)})
    if len(df) != len(body):  # no columns at all
        df = pd.DataFrame(index=range(len(body)))
    return RawTable(sheet, headers, df, file, sheet=sheet, header_row=start + 1)


def read_xlsx(path: str | Path, *, data: bytes | None = None,
              file: str | None = None, titles: bool = False) -> list[RawTable]:
    """Read every data sheet of a workbook (empty sheets and README sheets are skipped).

    Parameters
    ----------
    path : str or Path
        The workbook; ignored for reading when ``data`` is given.
    data : bytes, optional
        The workbook's bytes (an upload).
    file : str, optional
        Name used in messages; defaults to the path's file name.
    titles : bool, optional (default=False)
        Registers (:mod:`loaders.registers`) may have merged title rows above the header,
        which their header finder skips; the graph-shaped format refuses merged header cells.
    """
    file = file or Path(path).name
    # Archive, sizes, used area, formulas without values and error cells are checked first:
    # the value reader below is fast but trusts the file, and allocates the used area.
    scans = {scan.name: scan for scan in check_workbook(data if data is not None else path,
                                                        file)}
    try:
        sheets = _calamine_sheets(path, data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - any reader failure (a Rust panic included,
        # which is not an Exception) means "not a workbook"
        raise _unreadable(
            file,
            f"Cannot read the workbook ({type(e).__name__}: {clip(str(e))}); save it as .xlsx.",
            f"无法读取该工作簿({type(e).__name__}:{clip(str(e))});请另存为 .xlsx 格式。",
        ) from None
    out = []
    for sheet, rows, merged in sheets:
        if sheet.strip().lower() in SKIPPED_SHEETS:
            continue
        scan = scans.get(sheet)
        for (r, c), text in (scan.shown.items() if scan else ()):
            # numbers shown zero-padded (format 000000) are read as shown: 000012, not 12
            if r <= len(rows) and c <= len(rows[r - 1]):
                rows[r - 1][c - 1] = text
        table = _sheet_table(rows, file, sheet)
        if table is not None:
            if not titles:
                _refuse_merged_header(table, merged)
                _refuse_merged_data(table, merged)
            out.append(table)
    return out


def _refuse_merged_header(table: RawTable, merged: list) -> None:
    """Merged header cells hide all but one column's name: say so instead of guessing."""
    row0 = table.header_row - 1
    for (r1, c1), (r2, c2) in merged:
        if r1 <= row0 <= r2 and c2 > c1:
            cells = f"{column_letters(c1)}{r1 + 1}:{column_letters(c2)}{r2 + 1}"
            raise ValidationError([Problem(
                table.source, table.header_row, cells, None,
                f"Header cells {cells} are merged; unmerge them and give each column its own "
                "header (one header row, no merged cells).",
                f"表头单元格 {cells} 为合并单元格;请取消合并,并为每一列单独填写列名"
                "(表头只占一行,不要合并单元格)。",
            )])


def _refuse_merged_data(table: RawTable, merged: list) -> None:
    """A merged data cell shows its value in every row it spans but holds it in the first
    only: reading it would leave the rows below empty, so it is refused, never filled in."""
    row0 = table.header_row - 1
    problems = Problems()
    bad = [((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in merged
           if r2 > row0 and (r2 > r1 or c2 > c1) and not r1 <= row0 <= r2]
    for (r1, c1), (r2, c2) in bad[:MAX_PER_RULE]:
        cells = f"{column_letters(c1)}{r1 + 1}:{column_letters(c2)}{r2 + 1}"
        problems.one(
                table.source, r1 + 1, cells, cells,
                f"Cells {cells} are merged: only {column_letters(c1)}{r1 + 1} holds the value, "
                "so the other rows or columns would be read as empty. Unmerge them and fill "
                "in every cell.",
                f"单元格 {cells} 为合并单元格:只有 {column_letters(c1)}{r1 + 1} 保存了内容,其余行列"
                "会被读成空值。请取消合并,并在每个单元格中填写内容。")
    if len(bad) > MAX_PER_RULE:
        problems.one(table.source, None, None, None,
                     f"... and {len(bad) - MAX_PER_RULE} more merged ranges; only the first "
                     f"{MAX_PER_RULE} are listed.",
                     f"……另有 {len(bad) - MAX_PER_RULE} 处合并单元格,仅列出前 {MAX_PER_RULE} 处。")
    found = problems.finish()
    if found:
        raise ValidationError(found)


def _calamine_sheets(path: str | Path,
                     data: bytes | None) -> Iterable[tuple[str, list, list]]:
    """Yield (sheet name, rows of typed cells, merged ranges), via python-calamine (Rust)."""
    from python_calamine import CalamineWorkbook

    wb = (CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None
          else CalamineWorkbook.from_path(str(path)))
    try:
        result = []
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            result.append((name, rows, list(sheet.merged_cell_ranges or [])))
        return result
    finally:
        wb.close()


def read_upload(name: str, data: bytes, *, titles: bool = False) -> list[RawTable]:
    """Read an uploaded file (CSV or XLSX) from its name and bytes (``titles``: see
    :func:`read_xlsx`)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return [_csv_table(data, name)]
    if suffix in (".xlsx", ".xlsm"):
        tables = read_xlsx(name, data=data, file=name, titles=titles)
        return _single_sheet_by_stem(tables, name)
    raise _unreadable(name, "Only .csv and .xlsx files can be imported.",
                      "只能导入 .csv 和 .xlsx 文件。")


def _single_sheet_by_stem(tables: list[RawTable], file: str) -> list[RawTable]:
    """A one-sheet workbook in a folder is named by its file (Community.xlsx, Sheet1)."""
    if len(tables) == 1 and table_key(Path(file).stem) in table_names():
        tables[0].name = Path(file).stem
    return tables


def read_path(path: str | Path, *, titles: bool = False) -> list[RawTable]:
    """Read an import: a folder of CSV/XLSX files, one XLSX workbook or one CSV file.

    In a folder, each CSV file is one table named by its stem; an XLSX file whose stem is a
    table name and that has a single sheet is that table, any other workbook contributes one
    table per sheet, named by the sheet. Hidden files, Excel lock files (``~$…``) and other
    file types are ignored.

    Raises
    ------
    ValidationError
        When the path does not exist, holds no tables, or a file cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise _unreadable(str(path), f"{path} does not exist.", f"{path} 不存在。")
    if path.is_dir():
        files = sorted(
            f for f in path.iterdir()
            if f.is_file() and f.suffix.lower() in (".csv", ".xlsx", ".xlsm")
            and not f.name.startswith((".", "~$"))
        )
        if not files:
            raise _unreadable(str(path), "The folder holds no .csv or .xlsx file.",
                              "该文件夹中没有 .csv 或 .xlsx 文件。")
    else:
        files = [path]
    out: list[RawTable] = []
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as e:  # permissions, a vanished file, a directory named *.csv
            raise _unreadable(f.name, f"Cannot read the file: {e.strerror or e}.",
                              f"无法读取该文件:{e.strerror or e}。") from None
        out.extend(read_upload(f.name, data, titles=titles))
    if not out:
        raise _unreadable(", ".join(f.name for f in files),
                          "No sheet holds any data: the workbook is empty.",
                          "没有任何工作表含有数据:工作簿为空。")
    return out
