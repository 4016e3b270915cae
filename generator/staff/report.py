"""What an import says it did: rows set aside, columns read, and the figures per period, channel and member.

The clerk compares these lines with the source spreadsheet before submitting, so
they repeat every figure written, with the sums the file's own 合计 row would show.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..model import Site
from .columns import FIVE
from .tables import Table

if TYPE_CHECKING:
    from .surveys import Survey


def counts_said(counts: Counter[str]) -> str:
    """满意 30，基本满意 5，不满意 3；合计 38."""
    shown = "，".join(f"{a} {counts[a]}" for a in FIVE if counts[a])
    return f"{shown or '无'}；合计 {sum(counts.values())}"


def reading_said(table: Table, survey: Survey) -> list[str]:
    """The lines about how the file was read: rows skipped, columns, shape, totals, warnings."""
    lines = [f"读取 {table.shown}："]
    lines += [f"  {note}" for note in table.notes]
    lines += ["  各列的读法："] + [f"    {line}" for line in survey.columns.lines]
    if survey.detail:
        lines.append(f"  明细格式：每行是一次评价，共 {survey.data_rows} 行，已汇总为各选项的票数")
    else:
        lines.append(f"  汇总格式：每行是各选项的票数，共 {survey.data_rows} 行")
    lines += [f"  {note}" for note in survey.totals]
    if not survey.totals:
        lines.append("  文件里没有合计行，无法自动核对；请对照原表核对下面的数字")
    return lines


def survey_summary(site: Site, unit_id: str, table: Table, survey: Survey, channel: str) -> list[str]:
    """Every line the import prints on success."""
    lines = reading_said(table, survey)
    lines.append(f"导入结果（评议方式：{channel}）：")
    names = {m.id: m.data.name for m in site.units[unit_id].members}
    everything: Counter[str] = Counter()
    periods = [p for p in site.config.periods if (p.id, None) in survey.counts]
    for period in periods:
        lines.append(f"  {period.id}（{period.name}）")
        unit = survey.counts[period.id, None]
        everything.update(unit)
        lines.append(f"    单位整体：{counts_said(unit)}")
        for member_id, name in names.items():
            if (period.id, member_id) in survey.counts:
                lines.append(f"    {member_id}（{name}）：{counts_said(survey.counts[period.id, member_id])}")
    if len(periods) > 1:
        lines.append(f"  全部时段：{counts_said(everything)}")
    lines += [f"注意：{warning}" for warning in survey.columns.warnings]
    return lines
