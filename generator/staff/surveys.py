"""``import-survey``: a rating export (one rating per row, or counts per row) into evaluations.yml.

Every row is validated first; if any row is wrong, every wrong row is reported by
its row number (``file:row:col: [error] 第 N 行“列”列：… (G705)``) and nothing is
written. Total and subtotal rows are never data (:mod:`.totals`); columns are read
by :mod:`.columns`; each row's time picks its period (:func:`.rows.period_of`).
Only then is evaluations.yml changed, in one atomic write that
:func:`.apply.apply_changes` checks first. Shapes are documented in
docs/staff-workflow.md; examples ship in docs/examples/.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ruamel.yaml.comments import CommentedMap

from ..model import Site
from ..schema import Channel
from ..settings import Period
from .apply import unit_folder
from .columns import FIVE, SURVEY_ROLES, Columns, assign, known, useful
from .report import survey_summary
from .rows import ImportFailed, Rows, find_period, member_lookup, member_of, period_of, same
from .tables import OTHER, Table, read_table, text_of
from .totals import ROWS, Totals, row_figure, total_label
from .yamlio import StaffError, append_item, dump, give_trailing, load, take_trailing, value_for

THREE = ("满意", "基本满意", "不满意")
Key = tuple[str, str | None]  # (period id, member id or None for the whole unit)


@dataclass
class Survey:
    """What a file holds: counts per period and member, and what was said while reading it."""

    columns: Columns
    detail: bool  # one rating per row (summed here) rather than counts per row
    counts: dict[Key, Counter[str]] = field(default_factory=dict)
    data_rows: int = 0
    totals: list[str] = field(default_factory=list)


def _int(rows: Rows, n: int, column: str, cell: Any) -> int:
    text = text_of(cell)
    if not text:
        return 0
    if re.fullmatch(r"[0-9]{1,9}", text):
        return int(text)
    rows.bad(n, column, f"票数应是不小于 0 的整数，实际为“{text}”")
    return 0


def _figures(rows: Rows, n: int, cells: Mapping[str, Any], count_of: dict[str, str]) -> Counter[str]:
    return Counter({answer: _int(rows, n, header, cells.get(header)) for header, answer in count_of.items()})


def _answer(rows: Rows, n: int, cells: Mapping[str, Any], column: str, scale: tuple[str, ...]) -> Counter[str]:
    text = text_of(cells.get(column))
    if text in scale:
        return Counter({text: 1})
    rows.bad(n, column, f"期望 {'、'.join(scale)} 之一，实际为“{text}”")
    return Counter()


def _scale_problems(rows: Rows, n: int, found: Counter[str], count_of: dict[str, str], scale: tuple[str, ...]) -> None:
    for header, answer in count_of.items():
        if answer not in scale and found[answer]:
            rows.bad(n, header, f"“{header}”属于五级评价，但站点设置为三级（满意/基本满意/不满意）")


def _row_total(rows: Rows, n: int, column: str | None, cells: Mapping[str, Any], found: Counter[str]) -> None:
    """A row's own 合计 column must equal the sum of its counts (G715)."""
    text = text_of(cells.get(column)) if column else ""
    if column and text and text != str(sum(found.values())):
        rows.bad(n, column, f"本行“{column}”写的是 {text}，各选项加起来是 {sum(found.values())}。"
                            "请在原系统里重新导出（合计不导入，只用来核对）", "G715")


def _total_row(rows: Rows, totals: Totals, n: int, cells: Mapping[str, Any], cols: Columns,
               count_of: dict[str, str], scale: tuple[str, ...]) -> bool:
    """Whether row ``n`` is a total or subtotal row (then held to the rows above, never imported).

    A row whose counts equal a sum of rows above under a label that is not a total's
    (or, unlabelled, a sum other than a whole block) is not data either: it stops the import (G722).
    """
    answer = cols.get("answer")
    figures_at = set(count_of) | {h for h in (cols.get("row_total"), answer) if h}
    label = total_label(cells, [h for h in figures_at if h != answer])  # a log may say 合计 under 评价
    if answer:
        if label is None or text_of(cells.get(answer)) in scale:
            return False  # a rating is data, whatever an opinion beside it says
        figure = row_figure(cells, set())
        totals.total(n, rows.table.columns.get(str(answer), 1), label, None if figure is None else Counter({ROWS: figure}))
        return True
    before = len(rows.problems)
    found = _figures(rows, n, cells, count_of)
    bad = len(rows.problems) > before
    texts = [f"“{text}”" if text != OTHER else f"“{h}”列有内容" for h, c in cells.items()
             if h not in figures_at and (text := text_of(c))]  # a column no import reads kept only “…”
    del rows.problems[before:]
    first = min(rows.table.columns[h] for h in count_of)
    if bad:
        return False
    if not label and not (not texts and totals.sums_above(found)):
        named = any(text_of(cells.get(h)) for h in (cols.get("member"), cols.get("time")) if h)
        equal = totals.equal_rows(found, runs=not named)
        if equal is None:
            return False
        totals.lookalike(n, first, texts[0] if texts else "没有标签", found, equal)
        return True
    _row_total(rows, n, cols.get("row_total"), cells, found)
    totals.total(n, first, label, found)
    return True


def survey_counts(table: Table, site: Site, unit_id: str, fixed: Period | None) -> Survey:
    """Answers per period and member (None: the whole unit), with total rows checked and left out."""
    scale = FIVE if site.config.satisfaction.scale == "五级" else THREE
    cols = assign(table, SURVEY_ROLES)
    count_of = {h: role.split(":", 1)[1] for role, h in cols.chosen.items() if role.startswith("count:")}
    answer_col, time_col = cols.get("answer"), cols.get("time")
    if not answer_col and not count_of:
        raise StaffError(f"{table.shown} 里找不到评价列：每次评价一行的明细需要“评价”（或评价结果、评价等级）列；"
                         f"汇总表需要“满意”“基本满意”“不满意”等票数列。现有列：{'、'.join(table.columns)}", "G704")
    if not time_col and not fixed:
        raise StaffError(f"{table.shown} 里没有“月份”“评价时间”或“日期”列，无法知道属于哪个时段。请加 --period 指定，如 --period 2026h2", "G707")
    rows, lookup = Rows(table), member_lookup(site, unit_id)
    survey, totals = Survey(cols, bool(answer_col)), Totals(table.shown, bool(answer_col))
    for n, cells in table.rows:
        if _total_row(rows, totals, n, cells, cols, count_of, scale):
            continue
        before = len(rows.problems)
        member = member_of(rows, n, cols.get("member"), cells, lookup)
        period = period_of(cells.get(time_col), site.config.periods, fixed) if time_col else fixed
        if isinstance(period, str):
            rows.bad(n, str(time_col), period)
        figures_ok = len(rows.problems)
        found = _answer(rows, n, cells, answer_col, scale) if answer_col else _figures(rows, n, cells, count_of)
        if len(rows.problems) == figures_ok:
            totals.add(n, found)  # a bad member or date must not also make the 合计 row look wrong
        _scale_problems(rows, n, found, count_of, scale)
        if not answer_col:
            _row_total(rows, n, cols.get("row_total"), cells, found)
        if len(rows.problems) > before or not isinstance(period, Period):
            continue
        survey.data_rows += 1
        for who in dict.fromkeys((None, member)):
            survey.counts.setdefault((period.id, who), Counter()).update(found)
    if rows.problems or totals.problems:
        read = [f"读取 {table.shown}：", *(f"  {n}" for n in table.notes), "  各列的读法：", *(f"    {c}" for c in cols.lines)]
        raise ImportFailed(rows.problems + totals.problems, read)
    survey.totals = totals.notes
    return survey


def _survey_item(period: str, channel: str, member: str | None, counts: Counter[str], shape: tuple[str, ...]) -> CommentedMap:
    item = CommentedMap()
    item["period"] = value_for("period", period)
    item["channel"] = channel
    if member:
        item["member"] = value_for("member", member)
    item["counts"] = CommentedMap((a, counts[a]) for a in FIVE if a in shape or counts[a])
    return item


def _put(doc: Any, new: CommentedMap, replace: bool) -> None:
    period, channel, member = str(new["period"]), new["channel"], new.get("member")
    old = next((s for s in doc.get("surveys") or [] if same(s, period, channel, member)), None)
    if old is not None and not replace:
        who = f"成员 {member}" if member else "单位整体"
        raise StaffError(f"evaluations.yml 里已有 {period}“{channel}”{who}的评议结果。"
                         "如要用这份文件覆盖，请加 --replace", "G706")
    if old is None:
        append_item(doc, "surveys", new)
        return
    tail = take_trailing(old["counts"])
    old["counts"] = new["counts"]
    give_trailing(old["counts"], tail)


def import_survey(root: Path, site: Site, file: Path, *, unit_id: str, period_id: str | None, channel: str,
                  replace: bool = False, sheet: str | None = None) -> tuple[dict[Path, str], list[str]]:
    """The new evaluations.yml (not yet written) and Chinese lines saying what was read and imported."""
    folder = unit_folder(root, unit_id)
    if channel not in get_args(Channel):
        raise StaffError(f"评议方式“{channel}”不对。期望 {'、'.join(get_args(Channel))} 之一", "G707")
    fixed = find_period(site, period_id) if period_id else None
    table = read_table(file, str(file), sheet, known, useful)
    survey = survey_counts(table, site, unit_id, fixed)
    if not survey.data_rows:
        raise StaffError(f"{table.shown} 没有任何评价数据（{'；'.join(table.notes + survey.totals)}）", "G704")
    doc = load(folder / "evaluations.yml")
    shape = tuple(a for a in FIVE if f"count:{a}" in survey.columns.chosen) or THREE
    members = site.units[unit_id].members
    for period in site.config.periods:
        for who in (None, *(m.id for m in members)):
            if (period.id, who) in survey.counts:
                _put(doc, _survey_item(period.id, channel, who, survey.counts[period.id, who], shape), replace)
    return {folder / "evaluations.yml": dump(doc)}, survey_summary(site, unit_id, table, survey, channel)
