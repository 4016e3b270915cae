"""The workbooks are written from templates (generator/xlsx_fast.py): the bytes must be openpyxl's own.

openpyxl (``xlsx._openpyxl_workbook``, whose bytes main matched) is the reference. The ledgers
below hold the awkward values: markup characters, carriage returns, leading and trailing
spaces, CJK and characters beyond the BMP, long texts that wrap, dates (one before Excel's
1900 leap day), rates with no ratio, big and fractional numbers, empty cells and ledgers,
sheet names cut at 31 characters, a dozen sheets. What the templates do not cover (a
formula, an error value, a datetime, a bool, NaN, a duplicate sheet name) must be left to
openpyxl, and give its bytes too.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from generator import xlsx, xlsx_fast, xlsx_parts
from generator.check import check
from generator.figures import Rate
from generator.ledgers import Column, Ledger, site_ledgers, unit_ledgers
from generator.stats import width

from .conftest import ROOT

AS_OF = dt.date(2026, 11, 20)
AWKWARD = ["a & b < c > d", ' "quoted" \'single\'', "\u3000全角空格开头", "行一\r\n行二\t制表", "𠀀𠀁 astral 😀",
           "", "很长的文字" * 20, "x" * 61, "trailing ", "ｆｕｌｌ width", None]
COLUMNS = (Column("内容 & <备注>"), Column("日期", "date"), Column("数", "number"), Column("率", "rate"),
           Column("序号", "int"), Column("  空格表头 "))
ODD = ["=1+1 公式", "#N/A", dt.datetime(2026, 1, 1, 8, 30), True, float("nan"), "bell\x07", "\ufffe", "\ud800"]


def _rows(texts: list[Any]) -> tuple[tuple[Any, ...], ...]:
    return tuple(
        (text, dt.date(2026, 1 + i % 12, 1 + i) if i % 4 else (None if i else dt.date(1900, 1, 5)),
         [None, i * 1.5, -0.8, 10 ** 17, 1 / 3, dt.date(2025, 5, 4)][i % 6],
         [Rate(i, 7), Rate(0, 0), 0.955, None][i % 4], i, text if i % 2 else dt.date(2024, 2, 29))
        for i, text in enumerate(texts))


def _ledgers(texts: list[Any]) -> list[Ledger]:
    return [Ledger("awkward", "台账 & <测试> 'quoted'", COLUMNS, _rows(texts)),
            Ledger("empty", "空台账", COLUMNS, ()),
            Ledger("one", "一行", COLUMNS[::-1], tuple(r[::-1] for r in _rows(["一"]))),
            Ledger("long", "一个非常长的台账名称，超过了三十一个字符的限制，所以在工作簿里会被截断的那种台账", COLUMNS[:2],
                   tuple(r[:2] for r in _rows(AWKWARD)[:3]))]


def _both(ledgers: list[Ledger], places: int, title: str = "县 & <局> 台账（截至 2026-11-20）") -> tuple[bytes, bytes]:
    return xlsx.workbook(ledgers, AS_OF, places, title), xlsx._openpyxl_workbook(ledgers, AS_OF, places, title)


def _fast(ledgers: list[Ledger], places: int, title: str = "标题") -> bytes | None:
    """The templates' workbook, or None where they leave it to openpyxl."""
    sheets = [xlsx_fast.sheet(ledger, places) for ledger in ledgers]
    if any(s is None for s in sheets):
        return None
    return xlsx_parts.package(ledgers, sheets, AS_OF, title)  # type: ignore[arg-type]


def test_the_installed_openpyxl_is_one_the_templates_were_compared_with() -> None:
    import openpyxl

    # on another release every workbook is written by openpyxl (correct, 7 x slower): run this file
    # with it and, once the bytes agree, add it to xlsx_parts.COMPARED
    assert xlsx_parts.MIRRORED, f"openpyxl {openpyxl.__version__} not in {xlsx_parts.COMPARED} (or without lxml)"


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_templates_write_the_bytes_openpyxl_writes(places: int) -> None:
    ledgers = _ledgers(AWKWARD)
    assert _fast(ledgers, places) is not None  # written by the templates, not handed back to openpyxl
    ours, theirs = _both(ledgers, places)
    assert ours == theirs


@pytest.mark.parametrize("ledgers", [
    [Ledger("one", "一行", COLUMNS, _rows(["只有一行"]))],
    [Ledger("empty", "空", (Column("单位"),), ())],
    [Ledger(f"s{i}", f"表{i}", COLUMNS, _rows(AWKWARD[i:i + 2])) for i in range(12)],  # sheet10 after sheet9
    [Ledger("dates", "只有日期", (Column("日期", "date"), Column("率", "rate")), ((None, Rate(1, 2)),))],
    [Ledger("blank", "无表头", (Column(""), Column("数", "number")), ((Rate(0, 0), None), (None, Rate(1, 3))))],
    [Ledger("many", "多行", COLUMNS, _rows(AWKWARD) * (2 * xlsx_fast.ROWS_A_PART // len(AWKWARD) + 1))],
    [Ledger("near", "近百分之百", (Column("率", "rate"), Column("目标", "rate")),
            ((Rate(9999, 10000), Rate(9496, 10000, target=0.95)), (Rate(1, 2), Rate(1, 100000)), (None, Rate(3, 4))))],
], ids=["one-row", "empty", "twelve-sheets", "formats-in-column-order", "unwritten-rates-still-count-in-widths",
        "rows-encoded-in-several-parts", "rates-shown-with-more-decimals"])
def test_templates_match_openpyxl_for_each_shape_of_workbook(ledgers: list[Ledger]) -> None:
    assert _fast(ledgers, 1) is not None
    ours, theirs = _both(ledgers, 1)
    assert ours == theirs


@pytest.mark.parametrize("odd", ODD, ids=["formula", "error", "datetime", "bool", "nan", "control", "nonchar",
                                         "surrogate"])
def test_what_the_templates_do_not_cover_is_written_by_openpyxl(odd: object) -> None:
    ledgers = _ledgers([*AWKWARD, odd])
    assert _fast(ledgers, 1) is None
    if odd in ("bell\x07", "\ufffe", "\ud800"):
        with pytest.raises((IllegalCharacterError, ValueError, UnicodeError)):  # as before: openpyxl or lxml refuses
            xlsx.workbook(ledgers, AS_OF, 1, "标题")
        return
    ours, theirs = _both(ledgers, 1)
    assert ours == theirs


def test_sheet_names_openpyxl_would_rename_are_left_to_it() -> None:
    ledgers = [Ledger("a", "承诺台账", COLUMNS, ()), Ledger("b", "承诺台账", COLUMNS, ())]
    assert _fast(ledgers, 1) is None
    ours, theirs = _both(ledgers, 1)
    assert ours == theirs
    assert load_workbook(io.BytesIO(ours)).sheetnames == ["承诺台账", "承诺台账1"]


def test_names_and_titles_with_control_characters_are_left_to_openpyxl() -> None:
    tabbed = [Ledger("a", "承诺\t台账", COLUMNS, ())]
    assert _fast(tabbed, 1) is None and _fast(_ledgers(["x"]), 1, "标题\n第二行") is None
    assert _both(tabbed, 1)[0] == _both(tabbed, 1)[1]
    assert _both(_ledgers(["x"]), 1, "标题\n第二行")[0] == _both(_ledgers(["x"]), 1, "标题\n第二行")[1]


def test_a_sheet_kept_for_the_next_workbook_gives_the_same_bytes_as_one_written_afresh() -> None:
    ledgers = _ledgers(AWKWARD)
    shared: dict = {}
    alone = [xlsx.workbook([ledger], AS_OF, 1, "标题", shared) for ledger in reversed(ledgers)]
    assert xlsx.workbook(ledgers, AS_OF, 1, "标题", shared) == xlsx._openpyxl_workbook(ledgers, AS_OF, 1, "标题")
    assert alone == [xlsx._openpyxl_workbook([ledger], AS_OF, 1, "标题") for ledger in reversed(ledgers)]
    assert xlsx.workbook(ledgers, AS_OF, 2, "标题", shared) == xlsx._openpyxl_workbook(ledgers, AS_OF, 2, "标题")


def test_the_demo_workbooks_are_written_by_the_templates_with_openpyxls_bytes() -> None:
    site = check(ROOT).site
    assert site is not None
    places = site.config.figures.percent_decimals
    for ledgers in (site_ledgers(site), unit_ledgers(site, "tax-hall")):
        assert _fast(ledgers, places) is not None
        ours, theirs = _both(ledgers, places)
        assert ours == theirs


def test_workbook_reads_back_with_values_formats_widths_panes_and_filters() -> None:
    book = load_workbook(io.BytesIO(xlsx.workbook(_ledgers(AWKWARD), AS_OF, 1, "标题")))
    assert book.sheetnames == ["台账 & <测试> 'quoted'", "空台账", "一行", "一个非常长的台账名称，超过了三十一个字符的限制，所以在工作簿里"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS] and sheet["A1"].font.b
    assert [sheet.cell(row=r, column=1).value for r in range(2, 6)] == AWKWARD[:4]
    assert sheet["A6"].value == "𠀀𠀁 astral 😀"
    assert sheet["B2"].value == dt.datetime(1900, 1, 5) and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].value == 0 and sheet["D2"].number_format == "0.0%" and sheet["D3"].value is None
    assert sheet["D4"].value == 0.955 and sheet["C5"].value == 10 ** 17 and sheet["C6"].value == pytest.approx(1 / 3)
    assert sheet["A8"].alignment.wrap_text and not sheet["A7"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width == 62 and sheet.column_dimensions["E"].width == 6
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:F{len(AWKWARD) + 1}"
    assert book.worksheets[1].auto_filter.ref == "A1:F1" and book.worksheets[1].max_row == 1
    assert book.properties.title == "标题" and book.properties.modified == dt.datetime(2026, 11, 20)


@pytest.mark.parametrize("text", [*AWKWARD[:-1], "\u0301e", "😀", "ascii only"])
def test_column_width_counts_cjk_double_as_stats_width_does(text: str) -> None:
    assert xlsx._width(text) == width(text)


def test_a_rate_that_rounding_would_misstate_gets_the_decimals_it_needs_in_the_workbook_and_csv() -> None:
    """9,999 of 10,000 is not 100.0% in Excel either: the cell's format carries two decimals."""
    ledger = Ledger("near", "近百分之百", (Column("率", "rate"),), ((Rate(9999, 10000),), (Rate(1, 2),)))
    book = load_workbook(io.BytesIO(xlsx.workbook([ledger], dt.date(2026, 11, 20), 1, "t")))
    cells = [row[0] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert [c.number_format for c in cells] == ["0.00%", "0.0%"]
    assert xlsx.ledger_csv(ledger, 1).decode("utf-8-sig").splitlines()[1:] == ["99.99%", "50.0%"]
