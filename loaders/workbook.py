"""Check an XLSX archive before any spreadsheet reader parses it.

A workbook is a zip of XML files, and both can be made to hurt: a zip bomb (a few MB that
inflate to GB), a sheet declaring or using a cell at XFD1048576 (a dense reader allocates
hundreds of GB), entity tricks in the XML. :func:`check_workbook` streams every member once
through Python's zipfile (whose sizes and CRCs are then known to be true), refuses what
exceeds the documented limits below, and scans each worksheet with a real XML parser
(defusedxml: no DTD, no entities; namespace prefixes and attribute order do not matter)
for what a value reader would silently turn into an empty cell:

- a formula without a saved value (written by a program that does not compute formulas);
- a cached error value (``#DIV/0!``, ``#N/A``, ``#REF!`` …).

Only when all of that passes is the workbook handed to the (fast, dense) value reader.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from defusedxml.ElementTree import fromstring, iterparse

from wushe.graph.errors import Problem, ValidationError
from wushe.loaders.problems import MAX_PER_RULE, Problems, clip

__all__ = [
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "MAX_TOTAL_BYTES",
    "SheetScan",
    "check_workbook",
    "column_letters",
]

MAX_MEMBERS = 1000  # files inside the archive; a real workbook has a few dozen
MAX_MEMBER_BYTES = 512 * 2**20  # one member, inflated
MAX_TOTAL_BYTES = 1024 * 2**20  # all members, inflated
MAX_RATIO = 200  # inflated / compressed, for members over 1 MiB (sheet XML is 5-50x)
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit
MAX_SHEET_COLUMNS = 500  # no schema table is a tenth as wide
MAX_SHEET_CELLS = 10_000_000  # rows x columns of the used area (the reader is dense)
_CHUNK = 1 << 20
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_RANGE_REF = re.compile(
    r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$")


@dataclass
class SheetScan:
    """What the scan found in one worksheet."""

    name: str
    member: str
    rows: int = 0  # last used row (1-based)
    columns: int = 0  # last used column (1-based)
    cells: int = 0
    # the first MAX_PER_RULE of each, and how many there are in all
    no_value: list[str] = field(default_factory=list)  # refs of formulas without a value
    errors: list[tuple[str, str]] = field(default_factory=list)  # (ref, cached error)
    no_value_count: int = 0
    error_count: int = 0
    # (row, column) 1-based -> the text a zero-padding number format shows (12 as 000012):
    # the value alone would lose the leading zeros the person sees and typed
    shown: dict[tuple[int, int], str] = field(default_factory=dict)


def column_letters(j: int) -> str:
    """0-based column index -> Excel letters.

    Examples
    --------
    >>> column_letters(0), column_letters(27), column_letters(16383)
    ('A', 'AB', 'XFD')
    """
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _refuse(file: str, en: str, zh: str, row: int | None = None,
            column: str | None = None) -> ValidationError:
    return ValidationError([Problem(file, row, column, None, en, zh)])


def check_workbook(source: str | Path | bytes, file: str) -> list[SheetScan]:
    """Check a workbook's archive and sheets against the limits; refuse with a message.

    Parameters
    ----------
    source : str, Path or bytes
        The workbook file, or its bytes (an upload).
    file : str
        Name used in messages.

    Returns
    -------
    list of SheetScan
        One per worksheet, in workbook order.

    Raises
    ------
    ValidationError
        When the file is not a readable workbook, exceeds a limit, or holds formulas
        without values or cached errors (every such cell listed, capped per sheet).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _refuse(file, f"Cannot read the workbook (not an .xlsx zip archive: "
                            f"{clip(str(e))}); save it as .xlsx.",
                      f"无法读取该工作簿(不是 .xlsx 压缩包:{clip(str(e))});请另存为 .xlsx 格式。"
                      ) from None
    with zf:
        _check_archive(zf, file)
        sheets = _sheet_members(zf, file)
        padded = _zero_padded_styles(zf, file)
        problems = Problems()
        scans = []
        for name, member in sheets:
            scan = _scan_sheet(zf, name, member, file, padded)
            _report_cells(scan, file, problems)
            scans.append(scan)
        found = problems.finish()
        if found:
            raise ValidationError(found)
        return scans


def _check_archive(zf: zipfile.ZipFile, file: str) -> None:
    """Member count, sizes and compression ratios; then inflate each member once."""
    infos = zf.infolist()
    limits_en = (f"limits: {MAX_MEMBERS} files, {MAX_MEMBER_BYTES >> 20} MiB per file and "
                 f"{MAX_TOTAL_BYTES >> 20} MiB in all once unpacked, compression at most "
                 f"{MAX_RATIO}:1")
    limits_zh = (f"限制:最多 {MAX_MEMBERS} 个文件,解压后单个文件不超过 {MAX_MEMBER_BYTES >> 20} "
                 f"MiB、合计不超过 {MAX_TOTAL_BYTES >> 20} MiB,压缩比不超过 {MAX_RATIO}:1")
    if len(infos) > MAX_MEMBERS:
        raise _refuse(file, f"The workbook archive holds {len(infos)} files ({limits_en}); it "
                            "is not a normal workbook.",
                      f"该工作簿压缩包含 {len(infos)} 个文件({limits_zh}),不是正常的工作簿。")
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        if info.flag_bits & 0x1:
            raise _refuse(file, "The workbook is encrypted or password-protected; save an "
                                "unprotected copy.",
                          "该工作簿已加密或设有密码;请另存一份未加密的副本。")
        if (size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES
                or (size > 1 << 20 and size / packed > MAX_RATIO)):
            raise _refuse(
                file,
                f"The workbook unpacks to too much data ('{clip(info.filename, 80)}': "
                f"{size >> 20} MiB from {packed >> 10} KiB; {limits_en}). Split it, or save the "
                "tables as CSV.",
                f"该工作簿解压后数据过大(「{clip(info.filename, 80)}」:{packed >> 10} KiB 解压为 "
                f"{size >> 20} MiB;{limits_zh})。请拆分文件,或将各表另存为 CSV。")
    # Inflate every member once through zipfile, which stops at the declared size and checks
    # the CRC: afterwards no reader can be handed more data than the sizes checked above.
    for info in infos:
        try:
            with zf.open(info) as fh:
                while fh.read(_CHUNK):
                    pass
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as e:
            raise _refuse(file, f"Cannot read the workbook: its archive is damaged "
                                f"('{clip(info.filename, 80)}': {clip(str(e))}); save it again "
                                "as .xlsx.",
                          f"无法读取该工作簿:压缩包已损坏(「{clip(info.filename, 80)}」:"
                          f"{clip(str(e))});请重新另存为 .xlsx。") from None


def _local(tag: str) -> str:
    """Element or attribute name without its namespace (``{ns}c`` and ``x:c`` are ``c``)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _read_xml(zf: zipfile.ZipFile, name: str, file: str):  # noqa: ANN202 - an Element
    try:
        return fromstring(zf.read(name))
    except KeyError:
        return None
    except Exception as e:  # noqa: BLE001 - malformed or forbidden XML: not a workbook
        raise _refuse(file, f"Cannot read the workbook: '{name}' is not valid XML "
                            f"({clip(str(e))}); save it again as .xlsx.",
                      f"无法读取该工作簿:「{name}」不是有效的 XML({clip(str(e))});"
                      "请重新另存为 .xlsx。") from None


def _sheet_members(zf: zipfile.ZipFile, file: str) -> list[tuple[str, str]]:
    """(sheet name, archive member) of every worksheet, in workbook order."""
    book = _read_xml(zf, "xl/workbook.xml", file)
    rels = _read_xml(zf, "xl/_rels/workbook.xml.rels", file)
    if book is None or rels is None:
        raise _refuse(file, "Cannot read the workbook: it has no xl/workbook.xml (not an "
                            ".xlsx file); save it as .xlsx.",
                      "无法读取该工作簿:缺少 xl/workbook.xml(不是 .xlsx 文件);"
                      "请另存为 .xlsx 格式。")
    targets = {}
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship":
            attrs = {_local(k): v for k, v in rel.attrib.items()}
            targets[attrs.get("Id", "")] = attrs.get("Target", "")
    names = set(zf.namelist())
    out = []
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        attrs = {_local(k): v for k, v in el.attrib.items()}
        target = targets.get(attrs.get("id", ""), "")
        member = (target.lstrip("/") if target.startswith("/")
                  else "xl/" + target.removeprefix("./"))
        if member in names:
            out.append((attrs.get("name", ""), member))
    return out


def _zero_padded_styles(zf: zipfile.ZipFile, file: str) -> dict[str, int]:
    """Cell style index -> width, for styles whose number format pads with zeros (000000)."""
    styles = _read_xml(zf, "xl/styles.xml", file)
    if styles is None:
        return {}
    codes: dict[str, str] = {}
    xfs: list[str] = []
    for el in styles.iter():
        tag = _local(el.tag)
        if tag == "numFmt":
            codes[el.get("numFmtId", "")] = el.get("formatCode", "")
        elif tag == "cellXfs":
            xfs = [x.get("numFmtId", "0") for x in el if _local(x.tag) == "xf"]
    return {str(i): len(codes[f]) for i, f in enumerate(xfs)
            if re.fullmatch(r"0{2,}", codes.get(f, ""))}


def _scan_sheet(zf: zipfile.ZipFile, name: str, member: str, file: str,
                padded: dict[str, int] | None = None) -> SheetScan:
    scan = SheetScan(name, member)
    where = f"{file} [{name}]"
    row = col = 0
    try:
        with zf.open(member) as fh:
            for event, el in _events(fh):
                tag = _local(el.tag)
                if event == "start":
                    if tag == "row":
                        r = el.get("r")
                        row = int(r) if r and r.isdigit() else row + 1
                        col = 0
                    continue
                if tag == "dimension":
                    _check_dimension(el.get("ref", ""), where)
                elif tag == "c":
                    row, col = _cell(el, scan, row, col, where, padded or {})
                    el.clear()
                elif tag == "row":
                    el.clear()
    except ValidationError:
        raise
    except Exception as e:  # noqa: BLE001 - malformed or forbidden XML
        raise _refuse(file, f"Cannot read the workbook: sheet '{clip(name, 80)}' is not valid "
                            f"XML ({clip(str(e))}); save it again as .xlsx.",
                      f"无法读取该工作簿:工作表「{clip(name, 80)}」不是有效的 XML"
                      f"({clip(str(e))});请重新另存为 .xlsx。") from None
    _check_extent(scan.rows, scan.columns, where, declared=False)
    return scan


def _events(fh: IO[bytes]) -> Iterator[tuple[str, object]]:
    """Streamed (event, element) pairs; finished rows are dropped from the tree."""
    parents: list = []
    for event, el in iterparse(fh, events=("start", "end")):
        if event == "start":
            if _local(el.tag) == "sheetData":
                parents.append(el)
            yield event, el
            continue
        yield event, el
        if parents and _local(el.tag) == "row":
            parents[-1].remove(el)  # keep memory flat however many rows the sheet has


def _cell(el: object, scan: SheetScan, row: int, col: int, where: str,
          padded: dict[str, int]) -> tuple[int, int]:
    """Record one ``<c>`` element; returns the (row, column) it occupies."""
    ref = el.get("r", "")  # type: ignore[attr-defined]
    m = _CELL_REF.match(ref)
    if m:
        col, row = _column_number(m.group(1)), int(m.group(2))
    else:
        col += 1
        ref = f"{column_letters(col - 1)}{row}"
    if col > MAX_SHEET_COLUMNS or row > MAX_SHEET_ROWS:
        _check_extent(row, col, where, declared=False)
    scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, col)
    scan.cells += 1
    kind = el.get("t", "n")  # type: ignore[attr-defined]
    formula = value = None
    for child in el:  # type: ignore[attr-defined]
        tag = _local(child.tag)
        if tag == "f":
            formula = child
        elif tag == "v":
            value = child.text or ""
        elif tag == "is":
            value = "".join(child.itertext())
    width = padded.get(el.get("s", ""), 0)  # type: ignore[attr-defined]
    if width and kind == "n" and value and re.fullmatch(r"\d+(\.0*)?", value):
        scan.shown[(row, col)] = str(int(float(value))).zfill(width)
    if kind == "e":
        scan.error_count += 1
        if len(scan.errors) < MAX_PER_RULE:
            scan.errors.append((ref, clip(value, 40) or "#ERROR"))
    elif formula is not None and (value is None or (value == "" and kind != "str")):
        scan.no_value_count += 1
        if len(scan.no_value) < MAX_PER_RULE:
            scan.no_value.append(ref)
    return row, col


def _check_dimension(ref: str, where: str) -> None:
    m = _RANGE_REF.match(ref.strip())
    if not m:
        return  # a missing or odd dimension is not trusted: the cells themselves are checked
    last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    _check_extent(int(last_row), _column_number(last_col), where, declared=True)


def _check_extent(rows: int, columns: int, where: str, *, declared: bool) -> None:
    if rows <= MAX_SHEET_ROWS and columns <= MAX_SHEET_COLUMNS \
            and rows * columns <= MAX_SHEET_CELLS:
        return
    last = f"{column_letters(max(columns, 1) - 1)}{rows}"
    how_en = "declares its used area up to" if declared else "has a cell at"
    how_zh = "声明的使用范围延伸到" if declared else "在"
    raise _refuse(
        where,
        f"The sheet {how_en} {last}: beyond the limits of {MAX_SHEET_ROWS} rows, "
        f"{MAX_SHEET_COLUMNS} columns and {MAX_SHEET_CELLS:,} cells (rows x columns). Delete "
        "the stray cells far from the data (or split the sheet; use CSV for very large "
        "tables).",
        f"该工作表{how_zh} {last}{'' if declared else ' 处有单元格'}:超出限制(最多 "
        f"{MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列、{MAX_SHEET_CELLS:,} 个单元格)。"
        "请删除远离数据区的多余单元格(或拆分工作表;很大的表请使用 CSV)。",
        row=rows, column=last)


def _report_cells(scan: SheetScan, file: str, problems: Problems) -> None:
    where = f"{file} [{scan.name}]"
    for ref in scan.no_value:
        problems.one(
            where, _row_of(ref), ref, None,
            "This formula cell has no saved value: the file was written by a program that "
            "does not compute formulas. Open it in Excel or WPS and save it again, or paste "
            "the values instead of formulas.",
            "该公式单元格没有保存计算结果:文件由不计算公式的程序生成。请用 Excel 或 WPS 打开后"
            "重新保存,或改为粘贴数值。")
    for ref, err in scan.errors:
        problems.one(
            where, _row_of(ref), ref, err,
            f"The cell holds the error value {err}, not data: fix the formula or the data it "
            "uses, or clear the cell.",
            f"该单元格是错误值 {err},不是数据:请修正公式或其引用的数据,或清空该单元格。")
    for count, shown, rule in ((scan.no_value_count, len(scan.no_value), "formula_no_value"),
                               (scan.error_count, len(scan.errors), "error_value")):
        if count > shown:
            problems.one(where, None, None, None,
                         f"... and {count - shown} more cells with the same problem ({rule}); "
                         f"only the first {shown} are listed.",
                         f"……另有 {count - shown} 个单元格存在同类问题({rule}),"
                         f"仅列出前 {shown} 个。")


def _row_of(ref: str) -> int:
    m = _CELL_REF.match(ref)
    return int(m.group(2)) if m else 0
