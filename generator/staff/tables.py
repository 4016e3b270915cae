"""A spreadsheet export as a table: its header found, title and blank rows set aside and said.

Real exports rarely start with the header: a summary sheet has a title row
(“2026年上半年群众满意度评价统计表”) and a unit row (“单位：次”) above it, sometimes a
two-row header whose upper cells are merged (“工作人员” spanning rows 3–4, “评价结果”
over 满意/基本满意/不满意), and blank rows between blocks. The header is the row among
the first :data:`HEADER_SEARCH` non-empty ones with the most cells that read like a
known column name; rows above it are titles, skipped with a note naming them.

Row numbers are those of the sheet, so "第 5 行" is the row the user finds at 5 in
Excel or WPS. The raw rows come from :mod:`.sheets`, which bounds what is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .sheets import EMPTY_RUN, MAX_COLUMNS, Record, ended_early, letter, raw_records
from .yamlio import StaffError

HEADER_SEARCH = 10  # non-empty rows in which the header is looked for
MAX_CELLS = 4_000_000  # cells held (to the last filled one of each row): 100,000 rows × 40 columns; about 200 MB


class Row(Mapping[str, Any]):
    """One data row: header → cell, over the row's list of cells (a dict per row cost 1 KB at 20 columns)."""

    __slots__ = ("_cells", "_index")

    def __init__(self, cells: list[Any], index: dict[str, int]):
        self._cells, self._index = cells, index

    def __getitem__(self, name: str) -> Any:
        i = self._index[name]
        return self._cells[i - 1] if i <= len(self._cells) else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass
class Table:
    shown: str  # the file as named in messages
    columns: dict[str, int]  # header → 1-based column number
    rows: list[tuple[int, Row]]  # (row number, header → cell value)
    notes: list[str] = field(default_factory=list)  # rows set aside, said to the user
    filled: set[int] = field(default_factory=set)  # columns with a non-empty data cell
    headless: list[int] = field(default_factory=list)  # columns with data but no header

    def column(self, *names: str) -> str | None:
        """The first of ``names`` that is a column of this table."""
        return next((n for n in names if n in self.columns), None)


def rows_said(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → “第 1–3、7 行”."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return "第 " + "、".join(f"{a}–{b}" if a != b else f"{a}" for a, b in spans) + " 行"


def _clean(header: Any) -> str:
    return str(header if header is not None else "").replace("\ufeff", "").replace("\u3000", " ").strip()


def _with_upper(records: list[Record], at: int) -> tuple[list[str], bool]:
    """Row ``at`` as a header, its empty cells filled from a second header row just above (merged cells)."""
    header = [_clean(c) for c in records[at][1]]
    if at == 0 or records[at - 1][0] != records[at][0] - 1:
        return header, False
    upper = [_clean(c) for c in records[at - 1][1]]
    if sum(1 for c in upper if c) < 2:
        return header, False  # a title spanning the sheet, not a header row
    gaps = [i for i, name in enumerate(upper) if name and (i >= len(header) or not header[i])]
    for i in gaps:
        header.extend([""] * (i + 1 - len(header)))
        header[i] = upper[i]
    return header, bool(gaps)


def _header_at(records: list[Record], known: Callable[[str], bool]) -> tuple[int, list[str], bool]:
    """The header: among the first rows, the first with most known names (with a merged upper row)."""
    best: tuple[int, list[str], bool] = (0, *_with_upper(records, 0))
    top = -1
    for at in range(min(HEADER_SEARCH, len(records))):
        header, merged = _with_upper(records, at)
        score = sum(1 for name in header if known(name))
        if score > top:
            best, top = (at, header, merged), score
    return best if top else (0, *_with_upper(records, 0))


def _columns(shown: str, row: int, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header, 1):
        if name and name in columns:
            raise StaffError(f"{shown} 第 {row} 行表头里 {letter(columns[name])} 列和 {letter(index)} 列都叫“{name}”，"
                             "无法确定用哪一列。请删除或改名其中一列", "G719")
        if name:
            columns[name] = index
    return columns


OTHER = "…"  # what is kept of a cell in a column no import reads: that it was not empty
TOTAL_HINTS = re.compile("计|总|全部|所有|全体")  # a cell without one of these is never a total's label


def may_be_total(text: str) -> bool:
    """The quick test for a total row's label (合计、汇总、全部窗口…), before :data:`.totals.LABEL`."""
    return len(text) <= 20 and TOTAL_HINTS.search(text) is not None


def _thin(cells: list[Any], keep: set[int]) -> None:
    """Keep only the fact that a cell was filled outside the columns ``keep`` (indexes some import reads).

    A short text that may label a total (:func:`may_be_total`) stays, since a total row may be
    labelled in any column, and so does a number (a per-rating log's total row may put its count anywhere).
    """
    for i, cell in enumerate(cells):
        if i in keep or cell is None or cell == "" or cell is OTHER or isinstance(cell, int | float):
            continue
        text = str(cell)
        cells[i] = text if may_be_total(text) or (len(text) <= 20 and text.strip().isdigit()) else OTHER


def _kept(header: list[str], useful: Callable[[str], bool]) -> set[int]:
    return {i for i, name in enumerate(header) if useful(name)}


def build(shown: str, records: list[Record], known: Callable[[str], bool],
          useful: Callable[[str], bool] | None = None) -> Table:
    """The table of non-empty ``records`` (row number, cells), header found by ``known``.

    Cells of columns that ``useful`` rejects are thinned (see :func:`_thin`).
    """
    if not records:
        raise StaffError(f"{shown} 是空的：没有表头，也没有数据行", "G704")
    at, header, merged = _header_at(records, known)
    header_row = records[at][0]
    titles = records[:at - 1] if merged else records[:at]
    notes = []
    if titles:
        said = "、".join(f"“{' '.join(_clean(c) for c in cells if _clean(c))[:40]}”" for _n, cells in titles)
        notes.append(f"跳过{rows_said([n for n, _c in titles])}（表头上方的标题：{said}）")
    notes.append(f"第 {header_row - 1}、{header_row} 行是两行表头（有合并单元格），已合并读取" if merged
                 else f"第 {header_row} 行是表头")
    columns = _columns(shown, header_row, header)
    data = records[at + 1:]
    table = Table(shown, columns, [(n, Row(cells, columns)) for n, cells in data], notes)
    for _n, cells in data:
        table.filled.update(i for i, c in enumerate(cells, 1) if c is not None and c != "" and _clean(c))
    table.headless = sorted(i for i in table.filled if i > len(header) or not header[i - 1])
    if useful is not None:
        keep = _kept(header, useful)
        for _n, cells in data:
            _thin(cells, keep)
    blank = sorted(set(range(records[0][0], records[-1][0])) - {n for n, _c in records})
    if blank:
        table.notes.append(f"跳过空行：{rows_said(blank)}")
    return table


def _rows(shown: str, records: Iterator[Record], stopped: list[int]) -> Iterator[Record]:
    """Non-empty rows, trailing empty cells dropped; a cell right of :data:`.sheets.MAX_COLUMNS` is refused."""
    for n, cells in ended_early(records, stopped):
        cells = _trimmed(cells)
        if len(cells) > MAX_COLUMNS:
            raise StaffError(f"{shown} 第 {n} 行在第 {MAX_COLUMNS} 列（{letter(MAX_COLUMNS)} 列）右边还有内容：导入最多读 "
                             f"{MAX_COLUMNS} 列。请删掉多余的列，或只导出需要的列", "G717")
        yield n, cells


def read_table(path: Path, shown: str | None = None, sheet: str | None = None,
               known: Callable[[str], bool] = bool, useful: Callable[[str], bool] | None = None) -> Table:
    """The first sheet (or ``sheet``) of a .csv or .xlsx file, read within the limits of :mod:`.sheets`.

    The header is found among the first rows; later rows are thinned as they are read, so
    columns no import reads never hold their text in memory.
    """
    shown, records = raw_records(path, shown or path.name, sheet)
    stopped: list[int] = []
    rows = _rows(shown, records, stopped)
    kept = list(islice(rows, HEADER_SEARCH))
    if kept and useful is not None:
        keep, cells = _kept(_header_at(kept, known)[1], useful), sum(len(c) for _n, c in kept)
        for record in rows:
            _thin(record[1], keep)
            cells += len(record[1])
            if cells > MAX_CELLS:
                raise StaffError(f"{shown} 到第 {record[0]} 行已超过 {MAX_CELLS:,} 个单元格。请只导出需要的时段和列后再导入", "G717")
            kept.append(record)
    kept += rows
    table = build(shown, kept, known, useful)
    if stopped:
        table.notes.append(f"第 {stopped[0]} 行之后连续 {EMPTY_RUN:,} 行是空的，视为表格到此结束（再往下如果还有内容，没有读取）")
    return table


def _trimmed(cells: list[Any]) -> list[Any]:
    while cells and not _clean(cells[-1]):
        cells.pop()
    return cells


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
