"""The ledgers' .xlsx package written from string templates, byte for byte as openpyxl 3.1 writes it.

A ledger workbook has one shape: sheets of a bold header row and typed rows, date,
percent and wrapped-text styles, column widths, a frozen first row, an autofilter and
document properties dated the as-of date. openpyxl builds an object per cell and
serialises every part through its descriptors; here each part is a template filled in
with the few things that vary (sheets, their names and ranges, the number formats and
cell styles in the order openpyxl numbers them). :func:`package` returns None for
anything outside that shape (another openpyxl than 3.1, a formula or error value, a
datetime, a bool, NaN, a too long or illegal string, a duplicate or odd sheet name) and
:func:`generator.xlsx.workbook` then lets openpyxl write the file itself.
tests/test_xlsx_package.py compares both writers' bytes over awkward ledgers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.functions import tostring

from .figures import Rate
from .ledgers import Ledger

MIRRORED = openpyxl.__version__.startswith("3.1.") and openpyxl.LXML  # the writer the templates copy
DATE_FORMAT = "yyyy-mm-dd"  # also what openpyxl gives a cell when a date is put in it
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # what libxml2 escapes in text
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument"
_SHEET_HEAD = (f'<worksheet xmlns="{_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
               '</sheetPr><dimension ref="{ref}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" '
               'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
               'activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr baseColWidth="8" '
               'defaultRowHeight="15"/><cols>{cols}</cols><sheetData>')
_SHEET_TAIL = ('</sheetData><autoFilter ref="{ref}"/><pageMargins left="0.75" right="0.75" top="1" bottom="1" '
               'header="0.5" footer="0.5"/></worksheet>')
_WRAPPED = 1  # the index openpyxl gives the only alignment set (wrap, top) after its default one
_BOLD = 1  # likewise the bold header font


@dataclass(frozen=True)
class Layout:
    """What :func:`generator.xlsx.workbook` decides about a sheet besides its values."""

    widths: tuple[int, ...]  # each column's width as written
    wraps: tuple[tuple[bool, ...] | None, ...]  # per text column, which rows' text wraps; None for other kinds


class _Styles:
    """openpyxl's style registers: custom number formats as first set, cell styles as first written."""

    def __init__(self) -> None:
        self.formats: list[str] = []
        self.xfs: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}  # (font, number format, alignment)

    def number_format(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        if code not in self.formats:
            self.formats.append(code)
        return self.formats.index(code) + BUILTIN_FORMATS_MAX_SIZE

    def xf(self, key: tuple[int, int, int]) -> int:
        return self.xfs.setdefault(key, len(self.xfs))


def _text_cell(ref: str, value: str) -> str | None:
    if len(value) > 32767 or (len(value) > 1 and value[0] == "=") or value in ERROR_CODES \
            or ILLEGAL_CHARACTERS_RE.search(value):
        return None  # openpyxl cuts, makes a formula or an error value, or refuses
    if not value:
        return f'{ref} t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'{ref} t="inlineStr"><is><t{space}>{value.translate(_TEXT)}</t></is></c>'


def _number_text(value: object) -> str | None:
    """A number as openpyxl writes it (``%.16g``, dates as Excel serial days), or None if it does not."""
    kind = type(value)
    if kind is float and (math.isnan(value) or math.isinf(value)):  # type: ignore[arg-type]
        return None
    if kind is int or kind is float:
        return "%.16g" % value
    if kind is dt.date:
        days = (value - _EXCEL_EPOCH).days  # type: ignore[operator]
        return str(days - 1 if 0 < days <= 60 else days)  # Excel's 1900 leap day
    return None


def _cells(ledger: Ledger, layout: Layout, places: int, styles: _Styles) -> list[str] | None:
    """The ``<sheetData>`` rows, registering number formats in the order openpyxl's setters would."""
    kinds = [c.kind for c in ledger.columns]
    if any(len(row) != len(kinds) for row in ledger.rows):
        return None
    dated = any(type(v) is dt.date for row in ledger.rows for v in row)
    date_id = styles.number_format(DATE_FORMAT) if dated else 0  # set as each date goes in, rows first
    column_formats = [None if not ledger.rows or k not in ("date", "rate")  # then set column by column
                      else styles.number_format(DATE_FORMAT if k == "date" else percent_format(places))
                      for k in kinds]
    letters = [get_column_letter(i) for i in range(1, len(kinds) + 1)]
    parts = ['<row r="1">']
    for letter, column in zip(letters, ledger.columns, strict=True):
        cell = _text_cell(f'<c r="{letter}1" s="{styles.xf((_BOLD, 0, 0))}"', column.header) \
            if type(column.header) is str else None
        if cell is None:
            return None
        parts.append(cell)
    parts.append("</row>")
    for number, row in enumerate(ledger.rows, 2):
        parts.append(f'<row r="{number}">')
        for letter, value, column_format, wraps in zip(letters, row, column_formats, layout.wraps, strict=True):
            if type(value) is Rate:  # a rate's cell holds its ratio
                value = None if value.ratio is None else float(value.ratio)
            number_format = column_format if column_format is not None else date_id if type(value) is dt.date else 0
            key = (0, number_format, _WRAPPED if wraps is not None and wraps[number - 2] else 0)
            if value is None and key == (0, 0, 0):
                continue
            ref = f'<c r="{letter}{number}"' + (f' s="{styles.xf(key)}"' if key != (0, 0, 0) else "")
            if value is None:
                parts.append(f'{ref} t="n"></c>')
                continue
            text = _text_cell(ref, value) if type(value) is str else _number_text(value)
            if text is None:
                return None
            parts.append(text if type(value) is str else f'{ref} t="n"><v>{text}</v></c>')
        parts.append("</row>")
    return parts


def percent_format(places: int) -> str:
    return "0%" if places == 0 else "0." + "0" * places + "%"


def _sheet_xml(ledger: Ledger, layout: Layout, places: int, styles: _Styles) -> bytes | None:
    cells = _cells(ledger, layout, places, styles)
    if cells is None:
        return None
    ref = f"A1:{get_column_letter(len(ledger.columns))}{len(ledger.rows) + 1}"
    cols = "".join(f'<col width="{"%.16g" % float(w)}" customWidth="1" min="{i}" max="{i}"/>'
                   for i, w in enumerate(layout.widths, 1))
    xml = _SHEET_HEAD.format(ref=ref, cols=cols) + "".join(cells) + _SHEET_TAIL.format(ref=ref)
    return xml.encode("ascii", "xmlcharrefreplace")


def _names(ledgers: Sequence[Ledger]) -> list[str] | None:
    """The sheet names, or None where openpyxl would rename, refuse or escape otherwise."""
    names = [ledger.title[:31] for ledger in ledgers]
    lowered = {n.lower() for n in names}
    if len(lowered) < len(names) or any(not n or INVALID_TITLE_REGEX.search(n) or _controls(n) for n in names):
        return None
    return names


def _controls(text: str) -> bool:
    return any(ord(c) < 32 for c in text)


def _workbook_xml(names: list[str], ledgers: Sequence[Ledger]) -> str:
    sheets = "".join(f'<sheet xmlns:r="{_REL}" name="{n.translate(_ATTRIBUTE)}" sheetId="{i}" state="visible" '
                     f'r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        + f"""'{n.replace("'", "''")}'!$A$1:${get_column_letter(len(ledger.columns))}${len(ledger.rows) + 1}"""
        .translate(_TEXT) + "</definedName>"
        for i, (n, ledger) in enumerate(zip(names, ledgers, strict=True)))
    return (f'<workbook xmlns="{_NS}"><workbookPr/><workbookProtection/><bookViews><workbookView visibility="visible" '
            'minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600" '
            'firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
            f'<sheets>{sheets}</sheets><definedNames>{filters}</definedNames>'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def _styles_xml(styles: _Styles) -> str:
    formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{code.translate(_ATTRIBUTE)}"/>'
                      for i, code in enumerate(styles.formats, BUILTIN_FORMATS_MAX_SIZE))
    xfs = "".join(
        f'<xf numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="0"'
        + (' applyAlignment="1" pivotButton="0" quotePrefix="0" xfId="0"><alignment vertical="top" wrapText="1"/></xf>'
           if alignment else ' pivotButton="0" quotePrefix="0" xfId="0"/>')
        for font, number_format, alignment in styles.xfs)
    colors = "".join(f'<rgbColor rgb="{c}"/>' for c in COLOR_INDEX)
    return (f'<styleSheet xmlns="{_NS}">'
            + (f'<numFmts count="{len(styles.formats)}">{formats}</numFmts>' if formats else '<numFmts count="0"/>')
            + '<fonts count="2"><font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
            '<scheme val="minor"/></font><font><b val="1"/></font></fonts><fills count="2"><fill><patternFill/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
            '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            f'borderId="0"/></cellStyleXfs><cellXfs count="{len(styles.xfs)}">{xfs}</cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/></cellStyles><tableStyles count="0" '
            'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
            f'<colors><indexedColors>{colors}</indexedColors></colors></styleSheet>')


def _core_xml(title: str, as_of: dt.date) -> str:
    stamp = f"{as_of.isoformat()}T00:00:00Z"
    dated = ('xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:type="dcterms:W3CDTF"')
    return (f'<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties"><dc:creator xmlns:dc="http://purl.org/dc/'
            f'elements/1.1/">gongshi</dc:creator><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'{title.translate(_TEXT)}</dc:title><dcterms:created {dated}>{stamp}</dcterms:created>'
            f'<dcterms:modified {dated}>{stamp}</dcterms:modified><cp:lastModifiedBy>gongshi</cp:lastModifiedBy>'
            '</cp:coreProperties>')


def _relationships(targets: list[tuple[str, str]]) -> str:
    rels = "".join(f'<Relationship Type="{kind}" Target="{target}" Id="rId{i}"/>'
                   for i, (kind, target) in enumerate(targets, 1))
    return f'<Relationships xmlns="{_PKG}/relationships">{rels}</Relationships>'


def _content_types(sheets: int) -> str:
    overrides = [("/xl/styles.xml", f"{_TYPE}.spreadsheetml.styles+xml"), ("/xl/theme/theme1.xml", f"{_TYPE}.theme+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", f"{_TYPE}.extended-properties+xml"),
                 *((f"/xl/worksheets/sheet{i}.xml", f"{_TYPE}.spreadsheetml.worksheet+xml")
                   for i in range(1, sheets + 1)),
                 ("/xl/workbook.xml", f"{_TYPE}.spreadsheetml.sheet.main+xml")]
    return (f'<Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides) + "</Types>")


def package(ledgers: Sequence[Ledger], layouts: Sequence[Layout], as_of: dt.date, places: int,
            title: str) -> bytes | None:
    """The workbook's bytes as openpyxl 3.1 writes them, or None where it must write them itself."""
    names = _names(ledgers)
    if not MIRRORED or not ledgers or names is None or not title or _controls(title) \
            or any(not ledger.columns for ledger in ledgers):
        return None
    styles = _Styles()
    sheets = []
    for ledger, layout in zip(ledgers, layouts, strict=True):
        sheet = _sheet_xml(ledger, layout, places, styles)
        if sheet is None:
            return None
        sheets.append(sheet)
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries: list[tuple[str, str | bytes]] = [
        ("docProps/app.xml", _APP_XML), ("docProps/core.xml", _core_xml(title, as_of)),
        ("xl/theme/theme1.xml", theme_xml),
        *((f"xl/worksheets/sheet{i}.xml", sheet) for i, sheet in enumerate(sheets, 1)),
        ("xl/styles.xml", _styles_xml(styles)),
        ("_rels/.rels", _relationships([(f"{office}/officeDocument", "xl/workbook.xml"),
                                        (f"{_PKG}/relationships/metadata/core-properties", "docProps/core.xml"),
                                        (f"{office}/extended-properties", "docProps/app.xml")])),
        ("xl/workbook.xml", _workbook_xml(names, ledgers)),
        ("xl/_rels/workbook.xml.rels", _relationships(
            [*((f"{office}/worksheet", f"/xl/worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)),
             (f"{office}/styles", "styles.xml"), (f"{office}/theme", "theme/theme1.xml")])),
        ("[Content_Types].xml", _content_types(len(sheets))),
    ]
    return dated_zip(entries, as_of)


def dated_zip(entries: Sequence[tuple[str, str | bytes]], when: dt.date) -> bytes:
    """A zip of the entries in their order, each deflated and dated ``when`` at midnight."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


_APP_XML = tostring(ExtendedProperties().to_tree())  # names the openpyxl version: taken from it
