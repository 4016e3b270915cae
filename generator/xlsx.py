"""Ledgers as .xlsx and .csv files, the way offices keep 台账.

A workbook has one sheet per :class:`~generator.ledgers.Ledger`: Chinese headers in a
frozen first row, an autofilter over the table, column widths that fit the longest cell
(CJK characters count double), dates as dates and rates as numbers formatted as
percentages with ``figures.percent_decimals`` places.

Determinism: openpyxl stamps the workbook's *modified* time and each zip entry with
the clock. The properties are set from the as-of date and the zip is written again
with every entry dated the as-of date, so the same content and as-of date give the
same bytes (tests build twice and compare).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .exports import _defused
from .figures import Rate, percent_text
from .ledgers import Ledger, Value
from .stats import width

MAX_WIDTH = 60  # characters; longer text wraps
DATE_FORMAT = "yyyy-mm-dd"


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
        cell.font = Font(bold=True)
    for row in ledger.rows:
        sheet.append([_cell_value(v) for v in row])
    widths = [width(c.header) for c in ledger.columns]
    for index, column in enumerate(ledger.columns, 1):
        letter = get_column_letter(index)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "rate":
                cell.number_format = _percent_format(places)
            elif column.kind == "text" and isinstance(cell.value, str) and width(cell.value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in ledger.rows:
            widths[index - 1] = max(widths[index - 1], width(_cell_text(row[index - 1], column.kind, places)))
        sheet.column_dimensions[letter].width = min(widths[index - 1], MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(ledger.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(ledger.rows) + 1, 1)}"


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
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # not save_workbook: it stamps now
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
