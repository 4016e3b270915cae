"""Total and subtotal rows: recognised, never imported, and held to the rows they sum.

Monthly and per-window summary sheets from rating devices and the 好差评 platform
end blocks with 小计 and the sheet with 合计 / 总计 (also written “合 计”, “合计：”,
“本月合计”, 汇总, 累计, 总和, 全部窗口, 所有人员). Imported as data, such a row
doubles every count while ``check`` still passes. Here a row is a total when any
non-count cell is such a label, or — with every label cell empty — when its counts
equal the sum of the two or more data rows above it. A 小计 must equal the rows since
the previous total; a 合计 either those or every data row above. When it does not,
the import stops (G715) naming the row and both sums: the file is incomplete or was
edited, and no figure is invented.

A row under any other label (“全厅”, “本季度”) whose counts, in two or more columns,
equal the sum of two or more data rows above it (since the last total, all of them,
or — when it names no member and no date — the last few in a row) looks like a total
but cannot be told from data: the import stops (G722) naming the row and the rows it
equals, and says how to go on either way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, error
from .tables import may_be_total, rows_said, text_of

GROUPS = "窗口|人员|员工|岗位|科室|部门|单位|事项|网点|柜台|成员|党员"
LABEL = re.compile(rf"(.{{0,12}}?(合计|总计|小计|共计|累计|总数|汇总|总和)|(全部|所有|全体)({GROUPS})?(合计|总计|汇总)?)"
                   r"(\(.*\))?[:：]?")  # 全部… only at the start: “不是全部” is an opinion, not a label
ROWS = "评价次数"  # the one figure of a total row under a per-rating log


def total_label(cells: Mapping[str, Any], counts: list[str]) -> str | None:
    """The label that makes this row a total (“合 计”, “小计：”, “汇总”, “全部窗口”…), or None."""
    for header, cell in cells.items():
        if not isinstance(cell, str) or not may_be_total(cell.strip()):
            continue  # the quick test first: this runs for every cell of every row
        text = re.sub(r"\s+", "", cell).replace("（", "(").replace("）", ")")
        if header not in counts and text and len(text) <= 20 and LABEL.fullmatch(text):
            return text_of(cell)
    return None


def _key(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((k, v) for k, v in counts.items() if v))


def said(counts: Counter[str]) -> str:
    return "，".join(f"{k} {v}" for k, v in counts.items() if v) or "0"


@dataclass
class Totals:
    """Sums of the data rows read so far: since the last total (the block) and in all."""

    shown: str
    detail: bool  # one rating per row: a total row holds the number of ratings
    block: Counter[str] = field(default_factory=Counter)
    every: Counter[str] = field(default_factory=Counter)
    block_rows: list[int] = field(default_factory=list)
    every_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    prefixes: dict[tuple[tuple[str, int], ...], int] = field(default_factory=lambda: {(): 0})  # a sum of the first rows → how many

    def _view(self, counts: Counter[str]) -> Counter[str]:
        return Counter({ROWS: sum(counts.values())}) if self.detail else counts

    def add(self, row: int, counts: Counter[str]) -> None:
        self.block.update(counts)
        self.every.update(counts)
        self.block_rows.append(row)
        self.every_rows.append(row)
        self.prefixes.setdefault(_key(self.every), len(self.every_rows))

    def equal_rows(self, counts: Counter[str], runs: bool) -> list[int] | None:
        """The two or more data rows whose sum ``counts`` equals in two or more columns, or None.

        Those since the last total, all of them, or (if ``runs``) the last few in a row, found in
        one step: the sum of the rows before the run is a sum seen earlier. One column alone is
        too weak a sign (30 = 10 + 20 happens in real data), and so is a run for a row that names
        a member or a date: in a long daily export small counts often add up by chance.
        """
        key = _key(counts)
        if len(key) < 2:
            return None
        for sums, rows in ((self.block, self.block_rows), (self.every, self.every_rows)):
            if len(rows) > 1 and _key(sums) == key:
                return rows
        if not runs or any(self.every[k] < v for k, v in key):
            return None
        start = self.prefixes.get(_key(Counter({k: v - counts[k] for k, v in self.every.items()})))
        if start is not None and len(self.every_rows) - start > 1:
            return self.every_rows[start:]
        return None

    def lookalike(self, row: int, col: int, label: str, counts: Counter[str], rows: list[int]) -> None:
        """Row ``row`` equals the sum of ``rows`` under a label that is not a total's: stop (G722)."""
        self.problems.append(error(self.shown, row, col, "G722", (
            f"第 {row} 行（{label}）的各列正好等于{rows_said(rows)}之和（{said(counts)}），像是合计行，"
            "却没有“合计”“小计”“汇总”这样的标签。合计行不能当作数据导入，整份文件都没有导入。"
            "如果它是合计行，请把这一格改为“合计”后重新导入（合计行只用来核对）；如果它确实是一行数据、"
            "只是恰好等于上面几行之和，请把这一行移到表头下面的第一行后重新导入")))

    def sums_above(self, counts: Counter[str]) -> bool:
        """Whether an unlabelled row equals the two or more data rows above it (then it is a total)."""
        if not sum(counts.values()):
            return False
        return any(len(rows) > 1 and counts == self._view(c)
                   for c, rows in ((self.block, self.block_rows), (self.every, self.every_rows)))

    def total(self, row: int, col: int, label: str | None, counts: Counter[str] | None) -> None:
        """Hold total row ``row`` (its figures ``counts``; None if it has none) to the rows above; start a block."""
        name = f"合计行（“{label}”）" if label else "合计行（没有标签，但各列正好等于上面各行之和）"
        block, block_rows = self._view(self.block), self.block_rows
        every, every_rows = self._view(self.every), self.every_rows
        self.block, self.block_rows = Counter(), []
        if counts is None:
            self.notes.append(f"第 {row} 行是{name}，没有可核对的数字，没有导入")
            return
        if counts == block and block_rows:
            self.notes.append(f"第 {row} 行是{name}，没有导入；与{rows_said(block_rows)}之和相符")
        elif counts == every and every_rows and not (label and "小计" in label):
            self.notes.append(f"第 {row} 行是{name}，没有导入；与{rows_said(every_rows)}之和相符")
        else:
            rows, found = (block_rows, block) if block_rows else (every_rows, every)
            where = rows_said(rows) if rows else "上面没有数据行，"
            self.problems.append(error(self.shown, row, col, "G715", (
                f"第 {row} 行是{name}：表里写的是 {said(counts)}，{where}加起来是 {said(found)}。"
                "合计行不导入，但两者不符说明文件不完整或被改动过，整份文件没有导入。请在原系统里重新导出")))
            return
        self.checked += 1


def row_figure(cells: Mapping[str, Any], skip: set[str]) -> int | None:
    """The one whole number in a total row of a per-rating log (its number of ratings), if any."""
    numbers = [text_of(c) for h, c in cells.items() if h not in skip and re.fullmatch(r"[0-9]{1,9}", text_of(c))]
    return int(numbers[0]) if len(numbers) == 1 else None
