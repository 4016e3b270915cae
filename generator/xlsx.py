"""Ledgers as .xlsx and .csv files, the way offices keep 台账.

A workbook has one sheet per :class:`~generator.ledgers.Ledger`: Chinese headers in a
frozen first row, an autofilter over the table, column widths that fit the longest cell
(CJK characters count double), dates as dates and rates as numbers formatted as
percentages with ``figures.percent_decimals`` places.

Determinism: openpyxl stamps the workbook's *modified* time and each zip entry with
the clock. The properties are set from the as-of date and the zip is written again
with every entry dated the as-of date, so the same content and as-of date give the
same bytes (tests build twice and compare).

openpyxl builds an object per cell and serialises each part through its descriptors, which
made the workbooks a third of a site build's CPU (every ledger row is written three times:
in its ledger's file, the site's workbook and its unit's). :mod:`generator.xlsx_fast` writes
(each sheet) and :mod:`generator.xlsx_parts` (the rest of the package) write the same bytes
from templates for the one shape made here; openpyxl (:func:`_openpyxl_workbook`)
stays the reference the tests compare with and writes whatever the templates do not cover.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .exports import _defused
from .figures import Rate
from .ledgers import Ledger, Value
from .xlsx_fast import DATE_FORMAT, MAX_WIDTH, Sheet, rate_format
from .xlsx_fast import cell_text as _cell_text
from .xlsx_fast import cell_width as _width
from .xlsx_fast import sheet as sheet_xml
from .xlsx_parts import MIRRORED, dated_zip, package

BOLD = Font(bold=True)  # styles are registered by value: one object serves every cell
WRAPPED = Alignment(wrap_text=True, vertical="top")


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
                cell.number_format = rate_format(ledger.rows[number - 2][index - 1], places)
            elif column.kind == "text" and isinstance(cell.value, str) and texts[number - 2] > MAX_WIDTH:
                cell.alignment = WRAPPED  # a text cell's width is its text's
        fit = max([_width(column.header), *texts])
        sheet.column_dimensions[get_column_letter(index)].width = min(fit, MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(ledger.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(ledger.rows) + 1, 1)}"


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The zip again, every entry dated ``when`` at midnight, in the same order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return dated_zip([(info.filename, source.read(info.filename)) for info in source.infolist()], when)


def workbook(ledgers: list[Ledger], as_of: dt.date, places: int, title: str,
             shared: dict[tuple[int, int], tuple[Ledger, Sheet | None]] | None = None) -> bytes:
    """The ledgers as one .xlsx, one sheet each, dated ``as_of``: openpyxl's bytes, mostly without openpyxl.

    ``shared`` keeps each ledger's sheet for the next workbook given the same ledger object
    (a ledger's own file, then the site's).
    """
    sheets = []
    for ledger in ledgers:
        kept = shared.get((id(ledger), places)) if shared is not None else None
        if kept is None or kept[0] is not ledger:
            kept = (ledger, sheet_xml(ledger, places) if MIRRORED else None)
            if shared is not None:
                shared[id(ledger), places] = kept  # the ledger is kept too, so its id is not reused meanwhile
        sheets.append(kept[1])
    if all(s is not None for s in sheets):
        fast = package(ledgers, sheets, as_of, title)  # type: ignore[arg-type]
        if fast is not None:
            return fast
    return _openpyxl_workbook(ledgers, as_of, places, title)


def _openpyxl_workbook(ledgers: list[Ledger], as_of: dt.date, places: int, title: str) -> bytes:
    """The ledgers' workbook written by openpyxl itself: the reference, and the writer of what templates do not cover."""
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
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()
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
