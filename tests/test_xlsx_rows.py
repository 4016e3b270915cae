"""The workbook's rows are written as text (generator/xlsx.py): the bytes must be openpyxl's own.

A ledger's cells hold what content holds, so the values below are the awkward ones: markup
characters, leading and trailing spaces, CJK and characters beyond the BMP, dates, empty
cells, rates, long texts that wrap, and a text openpyxl reads as a formula (written by
openpyxl itself).
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.writer.excel import ExcelWriter

from generator import xlsx
from generator.figures import Rate
from generator.ledgers import Column, Ledger
from generator.stats import width

AWKWARD = ["a & b < c > d", ' "quoted" \'single\'', "\u3000全角空格开头", "行一\r\n行二\t制表", "𠀀𠀁 astral",
           "", "很长的文字" * 20, "x"]
OPENPYXLS_OWN = ["=1+1 公式", "#N/A"]  # a formula and an error value: such a sheet is written by openpyxl


def _ledgers(texts: list[str]) -> list[Ledger]:
    rows = tuple(
        (text, dt.date(2026, 1 + i % 12, 1 + i), i * 1.5 if i % 3 else None, Rate(i, 7) if i else Rate(0, 0), i)
        for i, text in enumerate(texts)
    )
    columns = (Column("内容"), Column("日期", "date"), Column("数", "number"), Column("率", "rate"), Column("序号", "number"))
    empty = Ledger("empty", "空台账", columns, ())
    return [Ledger("awkward", "台账 & <测试>", columns, rows), empty]


@pytest.mark.parametrize("texts", [AWKWARD, AWKWARD + OPENPYXLS_OWN[:1], AWKWARD + OPENPYXLS_OWN[1:]])
def test_rows_written_as_text_are_the_bytes_openpyxl_writes(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> None:
    ledgers = _ledgers(texts)
    ours = xlsx.workbook(ledgers, dt.date(2026, 11, 20), 1, "标题")
    monkeypatch.setattr(xlsx, "_Writer", ExcelWriter)
    theirs = xlsx.workbook(ledgers, dt.date(2026, 11, 20), 1, "标题")
    assert ours == theirs


@pytest.mark.parametrize("text", [*AWKWARD, *OPENPYXLS_OWN, "ｆｕｌｌ", "\u0301e", "😀", "ascii only"])
def test_column_width_counts_cjk_double_as_stats_width_does(text: str) -> None:
    assert xlsx._width(text) == width(text)
