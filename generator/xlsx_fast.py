"""A ledger's worksheet XML written as text, byte for byte as openpyxl 3.1 writes it.

openpyxl builds a Cell object per value, styles it through descriptors and writes it
through lxml's incremental writer. Here each column is written in one pass that also
measures its width and decides its style; rows are then joined from the columns. A cell's
style id (``s="…"``) depends on the workbook (openpyxl numbers styles as first written,
across sheets), so a :class:`Sheet` holds a placeholder per style, filled in by
:mod:`generator.xlsx_parts`; a ledger's sheet written once serves both workbooks it is in
(its own file and the site's). :func:`sheet` returns None for any value openpyxl would
write otherwise (a formula, an error value, a datetime, a bool, NaN, a string it cuts or
refuses), and the workbook is then written by openpyxl itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .figures import Rate, percent_text
from .ledgers import Column, Ledger, Value
from .stats import width

MAX_WIDTH = 60  # characters; longer text wraps
DATE_FORMAT = "yyyy-mm-dd"  # also what openpyxl gives a cell when a date is put in it
Style = tuple[bool, str, bool]  # bold, number format ("" for General), wrapped: openpyxl's font, numFmt, alignment
PLAIN: Style = (False, "", False)
_WRAPPED: Style = (False, "", True)
_DATED: Style = (False, DATE_FORMAT, False)
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # what libxml2 escapes in text
_ESCAPED = frozenset("&<>\r")
_ERRORS = frozenset(ERROR_CODES)
# what openpyxl refuses in a cell, and what lxml refuses in any XML text (a ValueError from openpyxl's writer)
REFUSED = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Sheet:
    """A worksheet's XML with ``\\0<n>\\0`` where the id of style ``marks[n]`` goes, and what it registers."""

    xml: bytes
    marks: tuple[Style, ...]  # in the order the placeholders were numbered (column by column)
    written: tuple[Style, ...]  # in the order openpyxl first writes them (row by row), which numbers them
    formats: tuple[str, ...]  # number formats in the order openpyxl's setters register them


def percent_format(places: int) -> str:
    return "0%" if places == 0 else "0." + "0" * places + "%"


def rate_format(value: object, places: int) -> str:
    """A rate cell's format: a rate's own decimals where ``places`` would misstate it (:meth:`Rate.shown_places`)."""
    return percent_format(value.shown_places() if isinstance(value, Rate) else places)


@cache
def _wide_characters() -> dict[int, None]:
    return {c: None for c in range(0x10000) if unicodedata.east_asian_width(chr(c)) in "WF"}


@lru_cache(maxsize=1 << 16)  # the same names, kinds and statuses fill a ledger's rows, in three workbooks
def cell_width(text: str) -> int:
    """:func:`generator.stats.width` (CJK characters count double), without a Python step per character."""
    if text.isascii():
        return len(text)
    if max(text) > "\uffff":
        return width(text)
    return 2 * len(text) - len(text.translate(_wide_characters()))


def cell_text(value: Value, kind: str, places: int) -> str:
    """A value as the CSV prints it, and as wide as its column must be."""
    if value is None:
        return ""
    if isinstance(value, Rate):
        return value.percent()
    if kind == "rate" and isinstance(value, float):
        return percent_text(Fraction(repr(value)), places)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@lru_cache(maxsize=1 << 16)
def _inline(value: str) -> str | None:
    """A string cell's content after its ``r``/``s`` attributes, or None where openpyxl cuts, reads or refuses it."""
    if len(value) > 32767 or (value[:1] == "=" and len(value) > 1) or value in _ERRORS \
            or REFUSED.search(value):
        return None
    if not value:
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    if not _ESCAPED.isdisjoint(value):
        value = value.translate(_TEXT)
    return f' t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _number(value: object) -> str | None:
    """A number cell's content (``%.16g``; dates as Excel's serial days), or None where openpyxl writes otherwise."""
    kind = type(value)
    if kind is int or (kind is float and not (math.isnan(value) or math.isinf(value))):  # type: ignore[arg-type]
        return ' t="n"><v>%.16g</v></c>' % value  # type: ignore[str-format]  # noqa: UP031  # openpyxl's safe_string
    if kind is dt.date:
        days = (value - _EXCEL_EPOCH).days  # type: ignore[operator]
        return f' t="n"><v>{days - 1 if 0 < days <= 60 else days}</v></c>'  # Excel's 1900 leap day
    return None


def _column(letter: str, column: Column, values: list[Any], places: int,
            marks: dict[Style, str]) -> tuple[list[str], int, dict[Style, int]] | None:
    """One column's cells ('' where openpyxl writes none), its width and the first row of each of its styles.

    Strings, missing values, dates and whole numbers, nearly all of a ledger, are written
    here directly; anything else goes through :func:`cell_text` and :func:`_number`.
    """
    kind = column.kind
    base: Style = (False, DATE_FORMAT if kind == "date" else percent_format(places) if kind == "rate" else "", False)
    wraps = kind == "text"
    cells: list[str] = []
    firsts: dict[Style, int] = {}
    widest = cell_width(column.header)
    for number, value in enumerate(values, 2):
        style, kind_of, size = base, type(value), 0
        if kind_of is Rate:  # a rate's cell holds its ratio; its width is its percentage's
            size = cell_width(cell_text(value, kind, places))
            style = (False, rate_format(value, places), False) if kind == "rate" else base
            value = None if value.ratio is None else float(value.ratio)
            kind_of = type(value)
        if kind_of is str:
            size = len(value) if value.isascii() else cell_width(value)
            style = _WRAPPED if wraps and size > MAX_WIDTH else base
            content = _inline(value)
        elif value is None:
            if base == PLAIN:  # no cell, but a rate with no ratio still prints "—" and counts in the width
                widest = max(widest, size)
                cells.append("")
                continue
            content = ' t="n"></c>'
        elif kind_of is dt.date:
            style = base if base[1] else _DATED
            size, content = 10, _number(value)
        elif kind_of is int and -(10 ** 15) < value < 10 ** 15:
            text = str(value)
            size, content = len(text), f' t="n"><v>{text}</v></c>'
        else:
            size, content = size or cell_width(cell_text(value, kind, places)), _number(value)
        if content is None:
            return None
        if size > widest:
            widest = size
        if style not in firsts:
            firsts[style] = number
        mark = "" if style == PLAIN else marks.get(style) or marks.setdefault(style, f' s="\x00{len(marks)}\x00"')
        cells.append(f'<c r="{letter}{number}"{mark}{content}')
    return cells, min(widest, MAX_WIDTH) + 2, firsts


def sheet(ledger: Ledger, places: int) -> Sheet | None:
    """The ledger's worksheet as openpyxl 3.1 writes it (bold headers, typed rows, widths, frozen header,
    autofilter), or None where openpyxl must write it."""
    count = len(ledger.columns)
    if not count or any(len(row) != count for row in ledger.rows) \
            or any(type(c.header) is not str or _inline(c.header) is None for c in ledger.columns):
        return None
    letters = [get_column_letter(i) for i in range(1, count + 1)]
    bold: Style = (True, "", False)
    styles = {bold: ' s="\x000\x00"'}
    header = "".join(f'<c r="{letter}1"{styles[bold]}{_inline(c.header)}'
                     for letter, c in zip(letters, ledger.columns, strict=True))
    columns, widths, firsts = [], [], {bold: (1, 0)}
    for index, (letter, column) in enumerate(zip(letters, ledger.columns, strict=True)):
        done = _column(letter, column, [row[index] for row in ledger.rows], places, styles)
        if done is None:
            return None
        columns.append(done[0])
        widths.append(done[1])
        for style, row in done[2].items():
            firsts[style] = min(firsts.get(style, (row, index)), (row, index))
    ref = f"A1:{letters[-1]}{len(ledger.rows) + 1}"
    cols = "".join(f'<col width="{w}" customWidth="1" min="{i}" max="{i}"/>' for i, w in enumerate(widths, 1))
    parts = [_ascii(_HEAD.format(ref=ref, cols=cols) + f'<row r="1">{header}</row>'), *_rows(columns),
             _ascii(_TAIL.format(ref=ref))]
    del columns  # before the join: the cells and the joined sheet are each the sheet's size several times
    written = sorted(styles, key=firsts.__getitem__)  # row by row, left to right
    return Sheet(b"".join(parts), tuple(styles), tuple(written), _formats(ledger, places))


def _ascii(xml: str) -> bytes:
    return xml.encode("ascii", "xmlcharrefreplace")


ROWS_A_PART = 4096


def _rows(columns: list[list[str]]) -> Iterator[bytes]:
    """The ``<row>`` elements from row 2 on, encoded a few thousand rows at a time: the pledge
    ledger of 2,000 units joined into one string took 500 MB at its peak, this a fifth of it."""
    for start in range(0, len(columns[0]), ROWS_A_PART):
        part = zip(*(cells[start:start + ROWS_A_PART] for cells in columns), strict=True)
        yield _ascii("".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in enumerate(part, start + 2)))


def _formats(ledger: Ledger, places: int) -> tuple[str, ...]:
    """Dates register their format as they go in (rows first), then the date and rate columns theirs, left to
    right, each rate column its cells' formats row by row (:func:`rate_format`)."""
    dated = any(type(v) is dt.date for row in ledger.rows for v in row)
    columns: list[str] = []
    for index, column in enumerate(ledger.columns):
        if ledger.rows and column.kind == "date":
            columns.append(DATE_FORMAT)
        elif ledger.rows and column.kind == "rate":
            columns += dict.fromkeys(rate_format(row[index], places) for row in ledger.rows)
    return tuple([DATE_FORMAT] * dated + columns)


_HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr><outlinePr '
         'summaryBelow="1" summaryRight="1"/><pageSetUpPr/></sheetPr><dimension ref="{ref}"/><sheetViews><sheetView '
         'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection '
         'pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr baseColWidth="8" '
         'defaultRowHeight="15"/><cols>{cols}</cols><sheetData>')
_TAIL = ('</sheetData><autoFilter ref="{ref}"/><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
         'footer="0.5"/></worksheet>')
