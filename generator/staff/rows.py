"""What both imports share: row problems, members by id/card/name, periods by date or month."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, error
from ..model import Site
from ..settings import Period
from .tables import Table, text_of
from .yamlio import StaffError


class ImportFailed(StaffError):
    """Some rows are wrong; ``problems`` names each by row and column. Nothing was written."""

    def __init__(self, problems: list[Problem], notes: list[str] | None = None):
        super().__init__(f"导入文件有 {len(problems)} 处错误，没有写入任何文件。请改正后重新导入", "G705")
        self.problems = problems
        self.notes = notes or []  # how the file was read, printed before the problems


@dataclass
class Rows:
    """Problems found while reading a table, each at its row and column."""

    table: Table
    problems: list[Problem] = field(default_factory=list)

    def bad(self, row: int, column: str, message: str, code: str = "G705") -> None:
        col = self.table.columns.get(column, 1)
        self.problems.append(error(self.table.shown, row, col, code, f"第 {row} 行“{column}”列：{message}"))


def member_lookup(site: Site, unit_id: str) -> dict[str, str | None]:
    """Member id, service card number or (unique) name → member id; an ambiguous name → None."""
    lookup: dict[str, str | None] = {}
    names = Counter(m.data.name for m in site.units[unit_id].members)
    for person in site.units[unit_id].members:
        lookup[person.id] = person.id
        if person.data.card_no:
            lookup.setdefault(person.data.card_no, person.id)
        lookup.setdefault(person.data.name, person.id if names[person.data.name] == 1 else None)
    return lookup


def member_of(rows: Rows, n: int, column: str | None, cells: Mapping[str, Any], lookup: dict[str, str | None]) -> Any:
    """The member id of a row, None for a unit-level row, or False after reporting a problem."""
    text = text_of(cells.get(column)) if column else ""
    if not text:
        return None
    if text not in lookup:
        rows.bad(n, str(column), f"找不到成员“{text}”。请填写本单位 members.yml 里的成员编号、服务卡号或姓名")
        return False
    if lookup[text] is None:
        rows.bad(n, str(column), f"本单位有两位成员都叫“{text}”，请改填成员编号或服务卡号")
        return False
    return lookup[text]


def find_period(site: Site, period_id: str) -> Period:
    for period in site.config.periods:
        if period.id == period_id:
            return period
    known = "、".join(p.id for p in site.config.periods)
    raise StaffError(f"时段“{period_id}”没有在 site_config.yml 的 periods 里定义。可用：{known}", "G707")


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def _span(cell: Any, fixed: Period | None) -> tuple[dt.date, dt.date] | str:
    """The first and last day a time cell covers, or why it cannot be read."""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return cell, cell
    text = text_of(cell)
    alone = re.fullmatch(r"(\d{1,2})\s*月(份)?", text)
    if alone and fixed and fixed.start.year == fixed.end.year:
        text = f"{fixed.start.year}-{alone[1]}"
    elif alone:
        return f"“{text}”没有年份。请写成 2026-03 或 2026年3月，或加 --period 指定时段"
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2}))?", text)
    if not m:
        return f"无法识别的时间“{text}”。请用 2026-07-03、2026-07 这样的格式，或填写时段编号"
    year, month, day = int(m[1]), int(m[2]), m[3]
    try:
        first = dt.date(year, month, int(day) if day else 1)
        return first, first if day else _month_end(year, month)
    except ValueError:
        return f"日期“{text}”不存在"


def period_of(cell: Any, periods: Sequence[Period], fixed: Period | None) -> Period | str:
    """The period a time cell falls in (``fixed`` when given and the cell agrees), or why none."""
    text = text_of(cell)
    named = next((p for p in periods if text in {p.id, p.name}), None)
    if not text and fixed:
        return fixed
    if not text:
        return "时间为空。请填写评价时间（或月份），或加 --period 指定整份文件的时段"
    span = (named.start, named.end) if named else _span(cell, fixed)
    if isinstance(span, str):
        return span
    first, last = span
    if fixed:
        if last < fixed.start or first > fixed.end:
            return f"{text} 不在时段 {fixed.id}（{fixed.start} 至 {fixed.end}）内。请只导出本时段的数据，或改用正确的 --period"
        return fixed
    inside = next((p for p in periods if p.start <= first and last <= p.end), None)
    if inside is None:
        known = "、".join(f"{p.id}（{p.start} 至 {p.end}）" for p in periods)
        return f"{text} 不在 site_config.yml 的任何一个时段内。现有时段：{known}"
    return inside


def same(item: Any, period: str, channel: str, member: str | None, kind: str | None = None) -> bool:
    """Whether an evaluations.yml item is the one an import would write (same period, channel, member, kind)."""
    return (str(item.get("period")) == period and item.get("member") == member
            and (kind is None or item.get("kind") == kind) and (channel == "" or item.get("channel") == channel))
