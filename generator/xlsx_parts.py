"""The parts of a ledger workbook around its sheets, zipped, byte for byte as openpyxl 3.1 writes them.

Each part is a template filled in with the few things that vary: the sheets, their names
and filter ranges, the number formats and cell styles in the order openpyxl numbers them,
the title and the as-of date. :func:`package` returns None where openpyxl would write
otherwise (an openpyxl release the tests have not compared, no sheet, a sheet name it renames or
refuses, a title with control characters), and :func:`generator.xlsx.workbook` then lets
openpyxl write the file. tests/test_xlsx_package.py compares the bytes with openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.functions import tostring

from .ledgers import Ledger
from .xlsx_fast import REFUSED, Sheet, Style

# the openpyxl releases tests/test_xlsx_package.py has compared the templates with (and with lxml, as
# they are written); any other is left to write the workbooks itself until the tests pass with it
COMPARED = ("3.1.5",)
MIRRORED = openpyxl.__version__ in COMPARED and openpyxl.LXML
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # what libxml2 escapes in text
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument"


class _Styles:
    """openpyxl's style registers: custom number formats as first set, cell styles as first written."""

    def __init__(self) -> None:
        self.formats: list[str] = []
        self.xfs: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}  # (font, number format, alignment) ids

    def number_format(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        if code not in self.formats:
            self.formats.append(code)
        return self.formats.index(code) + BUILTIN_FORMATS_MAX_SIZE

    def xf(self, style: Style) -> int:
        """The cell style's id; the bold font and the wrapping alignment are the second of their registers."""
        bold, code, wrapped = style
        key = (int(bold), self.number_format(code) if code else 0, int(wrapped))
        return self.xfs.setdefault(key, len(self.xfs))

    def sheet_xml(self, sheet: Sheet) -> bytes:
        """The sheet's XML with its styles' ids, registering its formats and styles as openpyxl would."""
        for code in sheet.formats:
            self.number_format(code)
        ids = {style: self.xf(style) for style in sheet.written}
        xml = sheet.xml
        for n, style in enumerate(sheet.marks):
            xml = xml.replace(b"\0%d\0" % n, b"%d" % ids[style])
        return xml


def _names(ledgers: Sequence[Ledger]) -> list[str] | None:
    """The sheet names, or None where openpyxl would rename, refuse or escape otherwise."""
    names = [ledger.title[:31] for ledger in ledgers]
    lowered = {n.lower() for n in names}
    if len(lowered) < len(names) or any(not n or INVALID_TITLE_REGEX.search(n) or _controls(n) for n in names):
        return None
    return names


def _controls(text: str) -> bool:
    """Control characters (escaped otherwise in names and titles), or characters lxml refuses."""
    return any(ord(c) < 32 for c in text) or REFUSED.search(text) is not None


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


def package(ledgers: Sequence[Ledger], sheets: Sequence[Sheet], as_of: dt.date, title: str) -> bytes | None:
    """The workbook of the ledgers' sheets as openpyxl 3.1 writes it, or None where it must write it itself."""
    names = _names(ledgers)
    if not MIRRORED or not sheets or names is None or not title or _controls(title):
        return None
    styles = _Styles()
    parts = [styles.sheet_xml(sheet) for sheet in sheets]  # first: they number the styles styles.xml lists
    office = _REL
    entries: list[tuple[str, str | bytes]] = [
        ("docProps/app.xml", _APP_XML), ("docProps/core.xml", _core_xml(title, as_of)),
        ("xl/theme/theme1.xml", theme_xml),
        *((f"xl/worksheets/sheet{i}.xml", part) for i, part in enumerate(parts, 1)),
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
