"""Read the raw rows of a spreadsheet export, lazily and within fixed limits.

Exports are untrusted files from devices, web platforms and colleagues' desktops,
so nothing in them is believed before it is bounded:

* An .xlsx file's ``<dimension>`` may claim the sheet reaches XFD1048576 even when
  it holds ten cells; openpyxl then pads every row to 16,384 cells and yields a
  million rows. The dimension is thrown away (``reset_dimensions``), rows are read
  one at a time (``read_only`` + ``iter_rows(values_only=True)``), at most
  :data:`MAX_COLUMNS` + 1 columns are asked for, and reading stops after
  :data:`EMPTY_RUN` empty rows in a row, or with an error past :data:`MAX_ROWS`.
* An .xlsx file is a zip: a few hundred kilobytes can inflate to gigabytes of
  sharedStrings.xml. Each member's declared size (which :mod:`zipfile` enforces
  while inflating) is capped before openpyxl opens the file, and the sheet's XML is
  scanned with a streaming parser for rows wider than Excel allows.
* A formula cell whose result was never saved (files written by libraries) reads as
  empty, which a count column would take as 0: such cells are named and the file
  refused (G721) until it is opened and saved once in Excel or WPS.
* A CSV line is read with a length limit, so a 100 MB line without a newline never
  sits in memory; the encoding (UTF-8, GB18030, or UTF-16 by its BOM as Excel's
  “Unicode 文本” saves) is found by streaming the file through a decoder.
* A file that is not what its name says (a zip called .csv, a text file or an old
  .xls called .xlsx, HTML from a web platform) is named as such.

Every refusal is a :class:`.yamlio.StaffError` with a Chinese message and a code.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from .yamlio import StaffError

MAX_BYTES = 50 * 1024 * 1024  # the file on disk
MAX_ROWS = 100_000  # sheet rows read, counting blank ones
MAX_COLUMNS = 200  # columns read; a non-empty cell further right is refused
EMPTY_RUN = 1_000  # this many empty rows in a row end the sheet (what Excel leaves below formatted cells)
MAX_LINE = 1024 * 1024  # bytes in one CSV line
MAX_MEMBER = 64 * 1024 * 1024  # inflated size of one part of an .xlsx file
MAX_INFLATED = 256 * 1024 * 1024  # inflated size of all parts
MAX_CELLS_IN_ROW = 16_384  # Excel's own limit (XFD); more <c> elements in one <row> is a forged file
MAX_NAMED = 10  # cells named in one message (formulas without a saved result)

Record = tuple[int, list[Any]]  # (row number as the sheet shows it, cell values)


def _limit(shown: str, what: str) -> StaffError:
    return StaffError(f"{shown} {what}。请只导出需要的时段和列（必要时分成几个文件）后再导入", "G717")


def _kind_of(head: bytes) -> str:
    """What the first bytes say the file is: zip, ole (old .xls), html, binary or text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with a BOM: Excel's “Unicode 文本” export
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if re.match(rb"\s*<(!doctype html|html|table)", head[:200].lower()):
        return "html"
    return "binary" if b"\x00" in head[:4096] else "text"


def sniff(path: Path, shown: str, suffix: str) -> None:
    """Refuse a file whose content is not what its extension says (G718), or an empty one (G704)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise StaffError(f"{shown} 是空的：没有表头，也没有数据行。请重新导出", "G704")
    kind, wants = _kind_of(head), "zip" if suffix in {".xlsx", ".xlsm"} else "text"
    if kind == wants:
        return
    said = {"zip": "Excel 工作簿（.xlsx）", "ole": "旧版 Excel 文件（.xls）", "html": "网页（HTML）",
            "binary": "二进制文件", "text": "文本（CSV）"}[kind]
    fix = {"zip": "请把扩展名改为 .xlsx", "text": "请把扩展名改为 .csv",
           "ole": "请用 Excel/WPS 打开后另存为 .xlsx 或“CSV UTF-8”"}.get(kind, "请在原系统里重新导出为 .xlsx 或 .csv")
    raise StaffError(f"{shown} 的扩展名是 {suffix}，内容却是{said}。{fix}", "G718")


# ---------------------------------------------------------------- CSV


def _encoding(path: Path, shown: str) -> str:
    """utf-16 by its BOM; utf-8-sig if the whole file decodes as UTF-8, else gb18030 (streamed, not read whole)."""
    with path.open("rb") as handle:
        if handle.read(2) in {b"\xff\xfe", b"\xfe\xff"}:
            return "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 16):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise StaffError(f"{shown} 既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取。请用 Excel/WPS 另存为“CSV UTF-8”", "G704")


class _Lines:
    """The lines of a CSV file, each at most :data:`MAX_LINE` characters (else G717 naming it), counted.

    ``ended`` turns true when the reader asks for a line after the last one: it does so only
    while a quoted cell is still open, so a record returned after that ran to the end of the file.
    """

    def __init__(self, handle: IO[str], shown: str):
        self.handle, self.shown, self.number, self.ended = handle, shown, 0, False

    def __iter__(self) -> Iterator[str]:
        while line := self.handle.readline(MAX_LINE + 1):
            self.number += 1
            if len(line) > MAX_LINE and not line.endswith("\n"):
                raise _limit(self.shown, f"第 {self.number} 行超过 {MAX_LINE // 1024} KB（多半不是表格，或换行符丢失了）")
            yield line
        self.ended = True


def letter(column: int) -> str:
    """1 → A, 27 → AA: the column as the spreadsheet names it."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def _where(shown: str, row: int, line: int, column: int) -> str:
    """“file 第 5 行 F 列”, with the text line when an earlier cell over two lines made them differ."""
    text = f"（用记事本打开是第 {line} 行）" if line != row else ""
    return f"{shown} 第 {row} 行 {letter(column)} 列{text}"


_QUOTE_FIX = "请用记事本打开文件，把这一格的引号补全或删掉后重新导入（或在原系统里重新导出）。整份文件都没有导入"


def _unclosed(shown: str, row: int, line: int, cells: list[str], lines: _Lines) -> StaffError:
    """A quote opened in the last cell of ``row`` (text line ``line``) and never closed."""
    return StaffError(f"{_where(shown, row, line, len(cells))}的引号没有配对：引号从这一格开始，到文件末尾都没有结束，"
                      f"后面 {lines.number - line} 行都被读成了这一格的内容。{_QUOTE_FIX}", "G720")


def _swallowed(shown: str, row: int, line: int, cells: list[str], width: int, delimiter: str) -> StaffError | None:
    """A quoted cell whose later lines hold a whole row's delimiters: rows read as one cell (or None)."""
    need = max(1, width - 1)
    for column, cell in enumerate(cells, 1):
        later = cell.splitlines()[1:]
        rowlike = [text for text in later if text.count(delimiter) >= need]
        if rowlike:
            shown_delimiter = {",": "逗号", ";": "分号", "\t": "制表符"}[delimiter]
            return StaffError(
                f"{_where(shown, row, line, column)}的引号跨过 {len(later)} 个换行才结束，里面有 {len(rowlike)} 行"
                f"像是表格的行（各有 {need} 个以上{shown_delimiter}），却被读成了这一格的内容：多半是引号没有配对。"
                f"{_QUOTE_FIX}", "G720")
    return None


def csv_records(path: Path, shown: str) -> Iterator[Record]:
    """Rows of a CSV file (UTF-8 with or without BOM, or GB18030; comma, semicolon or tab).

    Rows are numbered as a spreadsheet shows them: a quoted cell over two lines is one row.
    A quote left open (to the end of the file, or over lines that read as rows) is refused
    (G720) naming the row and column where it opened, since the rows it swallowed would be lost.
    """
    encoding = _encoding(path, shown)
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline(MAX_LINE)
        delimiter = max([",", ";", "\t"], key=first.count)
        handle.seek(0)
        lines = _Lines(handle, shown)
        reader = csv.reader(lines, delimiter=delimiter)
        row = width = end = 0  # rows read, the widest so far, the text line the last row ended on
        try:
            for cells in reader:
                row, line, end = row + 1, end + 1, reader.line_num
                if lines.ended:
                    raise _unclosed(shown, row, line, cells, lines)
                if end > line and (problem := _swallowed(shown, row, line, cells, width, delimiter)):
                    raise problem
                if row > MAX_ROWS:
                    raise _limit(shown, f"超过 {MAX_ROWS:,} 行")
                width = max(width, len(cells))
                yield row, cells[: MAX_COLUMNS + 1]
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise StaffError(f"{shown} 第 {row + 1} 行有一格超过 {csv.field_size_limit():,} 个字符：多半是引号没有配对，"
                                 f"引号之后的内容都被读成了这一格。{_QUOTE_FIX}", "G720") from None
            raise StaffError(f"{shown} 第 {row + 1} 行无法解析（含有表格里不该有的字符，如空字符）。"
                             "请在原系统里重新导出为 .csv 或 .xlsx", "G704") from None


# ---------------------------------------------------------------- XLSX


def _check_zip(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise StaffError(f"{shown} 不是有效的 Excel 文件（.xlsx）：{exc}。请在原系统里重新导出", "G704") from None
    big = max(infos, key=lambda i: i.file_size, default=None)
    if big is not None and big.file_size > MAX_MEMBER:
        raise _limit(shown, f"解压后 {big.filename} 有 {big.file_size // 1024 // 1024} MB，超过 {MAX_MEMBER // 1024 // 1024} MB")
    if sum(i.file_size for i in infos) > MAX_INFLATED:
        raise _limit(shown, f"解压后超过 {MAX_INFLATED // 1024 // 1024} MB")


def _uncached(element: Any, row: int, column: int) -> str | None:
    """The cell's name (“C5”) if it holds a formula without a saved result, else None.

    Excel, WPS and LibreOffice save each formula's result in ``<v>``; files written by
    libraries (openpyxl, many web platforms) often leave it out or empty, and then the
    cell reads as empty, which a count column would take as 0. A text result (``t="str"``)
    may be empty: that is a saved empty string.
    """
    children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
    if "f" not in children or element.get("t") in {"str", "inlineStr"}:
        return None
    value = children.get("v")
    if value is not None and (value.text or "").strip():
        return None
    return element.get("r") or f"{letter(column)}{row}"


def _scan_sheet(source: IO[bytes], shown: str) -> list[str]:
    """Formula cells without a saved result; refuse a row of more cells than Excel allows (streamed)."""
    cells, row, uncached = 0, 0, list[str]()
    try:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    number = element.get("r") or ""
                    row = int(number) if number.isdigit() else row + 1
                continue
            if tag == "c":
                cells += 1
                if len(uncached) < MAX_NAMED and (name := _uncached(element, row, cells)):
                    uncached.append(name)
                element.clear()
            elif tag == "row":
                if cells > MAX_CELLS_IN_ROW:
                    raise _limit(shown, f"有一行包含 {cells:,} 个单元格，超过 Excel 的上限 {MAX_CELLS_IN_ROW:,}（文件已损坏或被篡改）")
                cells = 0
                element.clear()
    except (ParseError, zipfile.BadZipFile) as exc:
        raise StaffError(f"{shown} 的工作表无法解析：{exc}。请用 Excel/WPS 打开后重新保存", "G704") from None
    return uncached


def _formulas(shown: str, uncached: list[str]) -> StaffError:
    more = "等" if len(uncached) >= MAX_NAMED else ""
    return StaffError(f"{shown} 的单元格 {'、'.join(uncached)}{more} 是公式，但文件里没有保存计算结果（生成这个文件的程序只写了公式），"
                      "读出来是空的，票数会被当成 0。请在 Excel 或 WPS 里打开这个文件，另存一次（会算出并保存结果）后再导入。"
                      "整份文件都没有导入", "G721")


def xlsx_records(path: Path, shown: str, sheet: str | None) -> tuple[str, Iterator[Record]]:
    """The sheet's title and its rows, read lazily; the file is closed when the rows run out."""
    import openpyxl  # only imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path, shown)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as exc:
        raise StaffError(f"{shown} 不是有效的 Excel 文件（.xlsx）：{exc}。旧版 .xls 请先另存为 .xlsx 或 CSV", "G704") from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise StaffError(f"{shown} 里没有名为“{sheet}”的工作表。现有：{'、'.join(book.sheetnames)}", "G704")
    ws = book[sheet] if sheet else book.worksheets[0]
    if not hasattr(ws, "reset_dimensions"):  # a chartsheet
        book.close()
        raise StaffError(f"{shown} 的工作表“{ws.title}”不是表格（可能是图表）。请用 --sheet 指定数据所在的工作表", "G704")
    with book._archive.open(ws._worksheet_path) as source:  # openpyxl keeps the part name there
        uncached = _scan_sheet(source, shown)
    if uncached:
        book.close()
        raise _formulas(f"{shown}（工作表 {ws.title}）", uncached)
    ws.reset_dimensions()  # never trust <dimension>: it may claim XFD1048576
    return ws.title, _xlsx_rows(book, ws, shown)


def _xlsx_rows(book: Any, ws: Any, shown: str) -> Iterator[Record]:
    try:
        for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), 1):
            if number > MAX_ROWS:
                raise _limit(shown, f"超过 {MAX_ROWS:,} 行")
            yield number, list(cells)
    except (ValueError, TypeError, KeyError, ParseError, zipfile.BadZipFile) as exc:
        raise StaffError(f"{shown} 的工作表无法读取：{exc}。请用 Excel/WPS 打开后重新保存", "G704") from None
    finally:
        book.close()


def raw_records(path: Path, shown: str, sheet: str | None) -> tuple[str, Iterator[Record]]:
    """The name shown in messages (with the sheet) and the file's rows, after the size and type checks."""
    if not path.is_file():
        raise StaffError(f"找不到文件 {path}", "G704")
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}:
        raise StaffError(f"不支持的文件类型“{suffix}”：请导出为 .csv 或 .xlsx", "G704")
    if path.stat().st_size > MAX_BYTES:
        raise _limit(shown, f"超过 {MAX_BYTES // 1024 // 1024} MB")
    sniff(path, shown, suffix)
    if suffix in {".xlsx", ".xlsm"}:
        title, records = xlsx_records(path, shown, sheet)
        return f"{shown}（工作表 {title}）", records
    return shown, csv_records(path, shown)


def ended_early(records: Iterator[Record], stopped: list[int]) -> Iterator[Record]:
    """Non-empty rows up to the first run of :data:`EMPTY_RUN` empty ones (rows past it are never read).

    When the run ends the reading, the last row read is appended to ``stopped`` so the user is told.
    """
    last = 0
    for number, cells in records:
        if any(c is not None and str(c).strip() for c in cells):
            last = number
            yield number, cells
        elif number - last >= EMPTY_RUN and last:
            stopped.append(last)
            return
