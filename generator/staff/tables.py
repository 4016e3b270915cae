"""Read a spreadsheet export (CSV or XLSX) into rows numbered as the user sees them.

Rating devices and questionnaire sites export CSV in UTF-8 (often with a BOM) or
GB18030, separated by commas, semicolons or tabs, or an Excel workbook. Row
numbers are those of the sheet: the header is row 1, so "第 5 行" is the row the
user finds at 5 in Excel or WPS.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .yamlio import StaffError

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Table:
    shown: str  # the file as named in messages
    columns: dict[str, int]  # header → 1-based column number
    rows: list[tuple[int, dict[str, Any]]]  # (row number, header → cell value)

    def column(self, *names: str) -> str | None:
        """The first of ``names`` that is a column of this table."""
        return next((n for n in names if n in self.columns), None)


def _clean(header: Any) -> str:
    return str(header or "").replace("\ufeff", "").replace("\u3000", " ").strip()


def _decode(raw: bytes, shown: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StaffError(f"{shown} 既不是 UTF-8 也不是 GBK 编码，无法读取。请用 Excel/WPS 另存为“CSV UTF-8”", "G704")


def _build(shown: str, records: list[tuple[int, list[Any]]]) -> Table:
    records = [(n, cells) for n, cells in records if any(_clean(c) for c in cells)]
    if not records:
        raise StaffError(f"{shown} 是空的：没有表头，也没有数据行", "G704")
    header_row, header = records[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header, 1):
        name = _clean(name)
        if name and name in columns:
            raise StaffError(f"{shown} 第 {header_row} 行表头里“{name}”出现了两次。请删除或改名其中一列", "G704")
        if name:
            columns[name] = index
    rows = [(n, {name: (cells[i - 1] if i <= len(cells) else None) for name, i in columns.items()})
            for n, cells in records[1:]]
    return Table(shown, columns, rows)


def _read_csv(path: Path, shown: str) -> Table:
    text = _decode(path.read_bytes(), shown)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise StaffError(f"{shown} 第 {reader.line_num} 行无法解析：{exc}。请检查引号是否配对", "G704") from None
    return _build(shown, records)


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> Table:
    import openpyxl  # only imports need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise StaffError(f"{shown} 不是有效的 Excel 文件（.xlsx）：{exc}。旧版 .xls 请先另存为 .xlsx 或 CSV", "G704") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise StaffError(f"{shown} 里没有名为“{sheet}”的工作表。现有：{'、'.join(book.sheetnames)}", "G704")
        ws = book[sheet] if sheet else book.worksheets[0]
        records = [(n, list(cells)) for n, cells in enumerate(ws.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _build(f"{shown}（工作表 {ws.title}）", records)


def read_table(path: Path, shown: str | None = None, sheet: str | None = None) -> Table:
    """The first sheet (or ``sheet``) of a .csv or .xlsx file, header in its first non-empty row."""
    shown = shown or path.name
    if not path.is_file():
        raise StaffError(f"找不到文件 {path}", "G704")
    if path.stat().st_size > MAX_BYTES:
        raise StaffError(f"{shown} 超过 {MAX_BYTES // 1024 // 1024} MB，请分时段导出后分别导入", "G704")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path, shown)
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, shown, sheet)
    raise StaffError(f"不支持的文件类型“{suffix}”：请导出为 .csv 或 .xlsx", "G704")


def text_of(cell: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()
