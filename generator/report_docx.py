"""The periodic report as .docx (python-docx) that the office edits in Word or WPS.

Headings use Word's built-in heading styles, so the navigation pane and a table of
contents work; tables use the built-in "Table Grid" style with a bold header row that
repeats across pages. East Asian text is set in 宋体 / 黑体 through ``w:eastAsia`` (Word
and WPS pick a Chinese font from it, a Latin font name alone is not enough).

Determinism: python-docx stamps nothing by itself when the core properties are set,
but zip entries carry the clock; the properties come from the as-of date and the zip
is written again with every entry dated the as-of date (see :func:`generator.xlsx._fixed_zip`).
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .report import Report, Table
from .xlsx import _fixed_zip

BODY_FONT, HEADING_FONT = "宋体", "黑体"
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _east_asian(style: object, font: str, size: float | None = None) -> None:
    style.font.name = font  # type: ignore[attr-defined]
    if size:
        style.font.size = Pt(size)  # type: ignore[attr-defined]
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), font)
    for theme in THEME_FONTS:  # a theme font outranks a named one in Word: the headings would not be 黑体
        fonts.attrib.pop(qn(theme), None)


def _table(document: object, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(_repeat_header())
    for cell, text in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _repeat_header() -> object:
    from docx.oxml import OxmlElement

    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    return element


def report_docx(report: Report, as_of: dt.date) -> bytes:
    document = Document()
    _east_asian(document.styles["Normal"], BODY_FONT, 11)
    for level in (1, 2):
        _east_asian(document.styles[f"Heading {level}"], HEADING_FONT)
    title = document.add_heading(report.title, level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(report.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in report.sections:
        document.add_heading(section.heading, level=2)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(document, block)
            else:
                document.add_paragraph(block)
    props = document.core_properties
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day)
    props.created = props.modified = props.last_printed = stamp
    props.title, props.author, props.last_modified_by = report.title, "gongshi", "gongshi"
    props.comments = f"由 gongshi 根据截至 {as_of} 的公示内容生成"
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), as_of)
