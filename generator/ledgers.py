"""The office's ledgers (台账) as typed tables: what the .xlsx and .csv files beside the ledger pages hold.

Each ledger is a :class:`Ledger`: Chinese column headers, a kind per column (text, date,
whole number, rate) and rows of Python values, built from the model and the figures, so
a spreadsheet gets dates as dates and rates as numbers formatted as percentages. Only
what the site publishes goes in (published pledges, public members' reviews); the
maintainers' accounts appear only in the copy ``build.py remind`` writes for the office.
A rate cell holds the :class:`~generator.figures.Rate`, and its numerator and
denominator stand in the columns beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Literal

from .figures import Rate, unit_figures
from .model import Site, Unit
from .rankings import ranking_rows
from .reminders import Reminder, reminders
from .trends import period_points, year_points

Kind = Literal["text", "date", "int", "rate", "number"]
Value = str | int | float | dt.date | Rate | None


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Ledger:
    """One sheet: ``name`` is the file stem (``pledges``), ``title`` the sheet and heading (承诺台账)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]


def _cols(*spec: str) -> tuple[Column, ...]:
    """Columns from "header" or "header:kind" strings."""
    out = []
    for item in spec:
        header, _, kind = item.partition(":")
        out.append(Column(header, kind or "text"))  # type: ignore[arg-type]
    return tuple(out)


def _units(site: Site, unit_id: str | None) -> Iterable[Unit]:
    return site.units.values() if unit_id is None else [site.units[unit_id]]


def pledges(site: Site, unit_id: str | None = None) -> Ledger:
    rows = []
    for unit in _units(site, unit_id):
        for p in unit.pledges:
            if p.published:
                rows.append((unit.short_name, p.owner.data.name if p.owner else "党组织", p.data.kind, p.data.form,
                             p.data.topic, p.data.text, p.data.made, p.data.due, p.year, p.data.status,
                             p.data.outcome or "尚未评定", p.data.completed_on, "是" if p.overdue else "否"))
    return Ledger("pledges", "承诺台账", _cols("单位", "承诺人", "类别", "形式", "主题", "承诺内容", "提出日期:date",
                                             "完成期限:date", "年度:int", "状态", "兑现评定", "完成日期:date",
                                             f"逾期（截至 {site.as_of}）"), tuple(rows))


def rectifications(site: Site, unit_id: str | None = None) -> Ledger:
    rows = []
    for unit in _units(site, unit_id):
        for r in unit.rectifications:
            d = r.data
            rows.append((unit.short_name, d.problem, d.source.kind, d.measure, d.deadline, d.leader, d.person,
                         d.status, d.closed_on, "是" if r.overdue else "否", d.result or ""))
    return Ledger("rectifications", "整改台账", _cols("单位", "存在问题", "问题来源", "整改措施", "整改时限:date",
                                                    "责任领导", "责任人", "整改状态", "完成日期:date",
                                                    f"超期（截至 {site.as_of}）",
                                                    "整改结果"), tuple(rows))


def surveys(site: Site, unit_id: str | None = None) -> Ledger:
    rows = []
    for period in site.config.periods:
        for unit in _units(site, unit_id):
            rate = unit_figures(site, unit.id, period.id).satisfaction
            if rate.denominator:
                channels = "、".join(sorted({s.channel for s in unit.surveys_of(None) if s.period == period.id}))
                rows.append((period.name, unit.short_name, channels, rate, rate.numerator, rate.denominator,
                             site.config.targets.satisfaction, "达标" if rate.meets else "未达标"))
    return Ledger("surveys", "群众评议", _cols("时段", "单位", "评议方式", "满意率:rate", "满意数:int", "评价数:int",
                                            "目标:rate", "对照目标"), tuple(rows))


def reviews(site: Site, unit_id: str | None = None) -> Ledger:
    rows: list[tuple[Value, ...]] = []
    names = {p.id: p.name for p in site.config.periods}
    for unit in _units(site, unit_id) if site.config.publish.reviews else []:
        for r in unit.evaluations.reviews:
            person = unit.member(r.member)
            if person and person.published:
                rows.append((names.get(r.period, r.period), unit.short_name, person.data.name, r.kind, r.grade,
                             r.score, r.summary or ""))
    return Ledger("reviews", "党员互评", _cols("时段", "单位", "成员", "方式", "等次", "得分:number", "评语"),
                  tuple(rows))


def comments(site: Site, unit_id: str | None = None) -> Ledger:
    rows = []
    for unit in _units(site, unit_id):
        for c in unit.evaluations.comments:
            person = unit.member(c.member)
            if c.member and not (person and person.published):
                continue
            rows.append((c.date, unit.short_name, person.data.name if person else "单位整体", c.leader, c.leader_title,
                         c.kind, c.achievements or "", c.problems or "", c.suggestions or ""))
    return Ledger("comments", "领导点评", _cols("点评日期:date", "单位", "点评对象", "点评领导", "领导职务", "方式",
                                             "成绩", "问题", "建议"), tuple(rows))


def rankings(site: Site) -> Ledger:
    """Every unit once, with each figure, its place and its change (one sheet that sorts any way)."""
    places: dict[str, dict[str, int]] = {}
    for board in ("满意率", "践诺率", "星级", "荣誉"):
        for place, unit, _ in ranking_rows(site, board)[1]:
            places.setdefault(unit.id, {})[board] = place
    rows = []
    for unit in site.units.values():
        points = [p for p in period_points(site, unit.id) if p.period.start <= site.period.start]
        years = {y.year: y.fulfilment for y in year_points(site, unit.id)}
        now = points[-1] if points else None
        sat = now.satisfaction if now else None
        before = points[-2].satisfaction if len(points) > 1 else None
        ful, ful_before = years.get(site.year), years.get(site.year - 1)
        rank = places.get(unit.id, {})
        rows.append((unit.short_name, sat, *_counts(sat), rank.get("满意率"), _points(sat, before),
                     ful, *_counts(ful), rank.get("践诺率"), _points(ful, ful_before),
                     now.stars if now else None, rank.get("星级"), rank.get("荣誉")))
    return Ledger("rankings", "排行榜", _cols(
        "单位", f"{site.period.name}满意率（截至 {site.as_of}）:rate", "满意数:int", "评价数:int", "满意率名次:int", "比上一时段（百分点）:number",
        f"{site.year}年践诺率（截至 {site.as_of}）:rate", "已兑现:int", "践诺率分母:int", "践诺率名次:int", "比上年（百分点）:number",
        "星级:int", "星级名次:int", "荣誉名次:int"), tuple(rows))


def _counts(rate: Rate | None) -> tuple[int | None, int | None]:
    """A rate's numerator and denominator, for the columns beside it (none without a rate)."""
    return (rate.numerator, rate.denominator) if rate is not None and rate.denominator else (None, None)


def _points(now: Rate | None, before: Rate | None) -> float | None:
    """The change in percentage points, to the printed decimals; None without two figures."""
    if now is None or before is None or now.ratio is None or before.ratio is None:
        return None
    steps = (now.ratio - before.ratio) * 100 * 10**now.places
    size = floor(abs(steps) + Fraction(1, 2))  # half up in size, as trends.change prints it
    return (size if steps >= 0 else -size) / 10**now.places


def grading(site: Site, unit_id: str | None = None) -> Ledger:
    rows = []
    for unit in _units(site, unit_id):
        for g in sorted(unit.grading.grading, key=lambda g: g.year, reverse=True):
            i = g.indicators
            rows.append((g.year, unit.short_name, g.grade, i.leader or "", i.ideas or "", i.rules or "",
                         i.venue or "", i.support or "", i.results or "", i.opinion or "", g.plan or ""))
    return Ledger("grading", "晋位升级", _cols("年度:int", "单位", "定级", "带头人", "工作思路", "工作制度", "活动阵地",
                                            "保障机制", "工作业绩", "群众评价", "晋位升级措施"), tuple(rows))


def reminder_ledger(site: Site, items: dict[str, list[Reminder]], maintainers: bool = False) -> Ledger:
    """Reminders by unit; with ``maintainers`` (only in the office's copy) the accounts to message."""
    rows = []
    for unit_id, unit_items in items.items():
        unit = site.units[unit_id]
        extra = (" ".join(site.config.maintainers.get(unit.id, [])),) if maintainers else ()
        for i in unit_items:
            rows.append((unit.short_name, *extra, i.kind, i.item_id, i.text, i.who, i.due, i.days_left, i.status))
    head = ("单位", "维护人") if maintainers else ("单位",)
    return Ledger("reminders", "到期提醒", _cols(*head, "类别", "编号", "内容", "责任人", "期限:date",
                                             f"剩余天数（截至 {site.as_of}）:int", "状态"), tuple(rows))


def site_ledgers(site: Site) -> list[Ledger]:
    """Every ledger of the site, in the order of the workbook's sheets."""
    return [pledges(site), rectifications(site), surveys(site), reviews(site), comments(site), rankings(site),
            grading(site), reminder_ledger(site, reminders(site))]


def unit_ledgers(site: Site, unit_id: str) -> list[Ledger]:
    """One unit's own rows of each ledger (rankings compare units, so they are in the site's workbook only)."""
    own = reminders(site, unit_id=unit_id)
    return [pledges(site, unit_id), rectifications(site, unit_id), surveys(site, unit_id), reviews(site, unit_id),
            comments(site, unit_id), grading(site, unit_id), reminder_ledger(site, own)]
