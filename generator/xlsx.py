"""Ledgers as .xlsx and .csv files, the way offices keep 台账.

A workbook has one sheet per :class:`~generator.ledgers.Ledger`: Chinese headers in a
frozen first row, an autofilter over the table, column widths that fit the longest cell
(CJK characters count double), dates as dates and rates as numbers formatted as
percentages with ``figures.percent_decimals`` places.

Determinism: openpyxl stamps the workbook's *modified* time and each zip entry with
the clock. The properties are set from the as-of date and the zip is written again
with every entry dated the as-of date, so the same content and as-of date give the
same bytes (tests build twice and compare). The rows of a sheet are written by
:func:`_rows_xml` as openpyxl would write them, without its per-cell XML machinery.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from fractions import Fraction
from functools import cache
from typing import Any

import openpyxl
from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from .exports import _defused
from .figures import Rate, percent_text
from .ledgers import Ledger, Value
from .stats import width

MAX_WIDTH = 60  # characters; longer text wraps
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)  # styles are registered by value: one object serves every cell
WRAPPED = Alignment(wrap_text=True, vertical="top")


def _percent_format(places: int) -> str:
    return "0%" if places == 0 else "0." + "0" * places + "%"


def _cell_value(value: Value) -> object:
    if isinstance(value, Rate):
        return None if value.ratio is None else float(value.ratio)
    return value


def _sheet(book: Workbook, ledger: Ledger, places: int) -> None:
    sheet = book.create_sheet(ledger.title[:31])
    sheet.append([c.header for c in ledger.columns])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in ledger.rows:
        sheet.append([_cell_value(v) for v in row])
    last_row = sheet.max_row
    for index, column in enumerate(ledger.columns, 1):
        texts = [_width(_cell_text(row[index - 1], column.kind, places)) for row in ledger.rows]
        for number in range(2, last_row + 1):  # as iter_rows: styles are numbered in the order they are set
            cell = sheet.cell(row=number, column=index)
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "rate":
                cell.number_format = _percent_format(places)
            elif column.kind == "text" and isinstance(cell.value, str) and texts[number - 2] > MAX_WIDTH:
                cell.alignment = WRAPPED  # a text cell's width is its text's
        fit = max([_width(column.header), *texts])
        sheet.column_dimensions[get_column_letter(index)].width = min(fit, MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(ledger.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(ledger.rows) + 1, 1)}"


@cache
def _wide_characters() -> dict[int, None]:
    return {c: None for c in range(0x10000) if unicodedata.east_asian_width(chr(c)) in "WF"}


def _width(text: str) -> int:
    """:func:`generator.stats.width` (CJK characters count double), without a Python step per character."""
    if text.isascii():
        return len(text)
    if max(text) > "\uffff":
        return width(text)
    return 2 * len(text) - len(text.translate(_wide_characters()))


def _cell_text(value: Value, kind: str, places: int) -> str:
    if value is None:
        return ""
    if isinstance(value, Rate):
        return value.percent()
    if kind == "rate" and isinstance(value, float):
        return percent_text(Fraction(repr(value)), places)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The zip again, every entry dated ``when`` at midnight, in the same order."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def workbook(ledgers: list[Ledger], as_of: dt.date, places: int, title: str) -> bytes:
    """The ledgers as one .xlsx, one sheet each, dated ``as_of``."""
    book = Workbook()
    book.remove(book.active)
    for ledger in ledgers:
        _sheet(book, ledger, places)
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.title = title
    book.properties.creator = book.properties.lastModifiedBy = "gongshi"
    buffer = io.BytesIO()
    # not save_workbook: it stamps now; stored, not deflated: _fixed_zip compresses each entry once
    _Writer(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()
    return _fixed_zip(buffer.getvalue(), as_of)


def ledger_csv(ledger: Ledger, places: int) -> bytes:
    """The ledger as CSV: the same headers, dates ISO, rates as printed ("99.7%"), formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in ledger.columns])
    for row in ledger.rows:
        # only text can hold a formula; a negative change such as -0.8 is a number and stays as it is
        writer.writerow([_defused(_cell_text(v, c.kind, places)) if c.kind == "text" else _cell_text(v, c.kind, places)
                         for v, c in zip(row, ledger.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# openpyxl writes each cell through lxml's incremental writer, a context manager per element,
# into a temporary file per sheet: about half of what the workbooks cost in a site build
# (py-spy at 200 units: 81 of 159 sampled seconds; every ledger row is written three times,
# in its ledger's file, the site workbook and its unit's). The rows below are the same bytes
# written as text into memory (tests/test_xlsx_rows.py compares them with openpyxl's); anything
# else in a sheet (formulas, error values, rich text, comments, links, row heights) and any
# other openpyxl than the 3.1 this mirrors go through openpyxl's own writer.
_MIRRORED = openpyxl.__version__.startswith("3.1.")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # what libxml2 escapes in text
_ROWS = "gongshi-rows"  # stands in <sheetData> until the rows replace it


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, into memory, with :func:`_rows_xml` for the cells it can write."""

    def __init__(self, ws: object):
        super().__init__(ws, out=io.BytesIO())
        self.rows_xml: bytes | None = None

    def write_rows(self) -> None:
        rows = self.rows()
        self.rows_xml = _rows_xml(self.ws, rows)
        if self.rows_xml is None:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            xf.write(_ROWS)
        self.xf.send(None)

    def xml(self) -> bytes:
        data: bytes = self.read()
        if self.rows_xml is None:
            return data
        mark = f"<sheetData>{_ROWS}</sheetData>".encode()
        return data.replace(mark, b"<sheetData>" + self.rows_xml + b"</sheetData>", 1)


def _rows_xml(ws: Any, rows: list[tuple[int, list[Any]]]) -> bytes | None:
    """The ``<sheetData>`` content as openpyxl 3.1 writes it, or None for a sheet it must write itself."""
    if not _MIRRORED or len(ws.row_dimensions) or ws.parent.iso_dates:
        return None
    parts: list[str] = []
    for row_idx, row in rows:
        parts.append(f'<row r="{row_idx}">')
        for cell in row:
            value, kind, styled = cell._value, cell.data_type, cell.has_style
            if cell._comment is not None or cell.hyperlink is not None or kind not in ("n", "s", "b", "d"):
                return None
            if value is None and not styled:
                continue
            tag = f'<c r="{get_column_letter(cell.column)}{row_idx}"' + (f' s="{cell.style_id}"' if styled else "")
            if kind == "d":
                if getattr(value, "tzinfo", None) is not None:
                    return None
                kind, value = "n", to_excel(value, ws.parent.epoch)
            if value is None or value == "":
                parts.append(f'{tag} t="{"inlineStr" if kind == "s" else kind}"></c>')
            elif kind == "s":
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'{tag} t="inlineStr"><is><t{space}>{value.translate(_TEXT)}</t></is></c>')
            else:
                parts.append(f'{tag} t="{kind}"><v>{safe_string(value).translate(_TEXT)}</v></c>')
        parts.append("</row>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


class _Writer(ExcelWriter):
    """openpyxl's workbook writer with its sheets written by :class:`_SheetWriter` (same bytes)."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.xml())
        self.manifest.append(ws)
