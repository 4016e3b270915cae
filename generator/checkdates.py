"""Dates that cannot be: a record dated after the as-of date (G307), periods that overlap (G305).

Every figure says “截至 as_of”, so nothing that happened may be dated after it; a survey is
counted in its period, so no two periods may share a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import Problem, error
from .load import Loaded, Loc
from .settings import SiteConfig, as_of_date

if TYPE_CHECKING:
    from .references import Located


def dated_after(loc: Located, config: SiteConfig) -> Iterator[Problem]:
    """Nothing that happened is dated after the as-of date (G307): the site says “截至 as_of” beside
    every figure, and would count what came later (a pledge kept in September in a rate “as of June”)."""
    as_of = as_of_date(config.as_of)
    if as_of < config.as_of_range.earliest:
        return  # the as-of date itself is wrong (G115, a typo such as 1026): not every record after it
    s = loc.source
    dated: list[tuple[str, Loc, dt.date, str]] = []
    for i, p in enumerate(s.pledges.pledges):
        dated.append(("pledges.yml", ("pledges", i, "made"), p.made, "提出日期"))
        if p.completed_on:
            dated.append(("pledges.yml", ("pledges", i, "completed_on"), p.completed_on, "完成日期"))
        dated += [("pledges.yml", ("pledges", i, "timeline", j, "date"), step.date, "进展日期")
                  for j, step in enumerate(p.timeline)]
    dated += [("compare.yml", ("contests", i, "date"), c.date, "比武日期") for i, c in enumerate(s.compare.contests)]
    dated += [("compare.yml", ("awards", i, "date"), a.date, "授予日期") for i, a in enumerate(s.compare.awards)]
    dated += [("compare.yml", ("conduct", i, "date"), c.date, "日期") for i, c in enumerate(s.compare.conduct)]
    dated += [("evaluations.yml", ("comments", i, "date"), c.date, "点评日期") for i, c in enumerate(s.evaluations.comments)]
    dated += [("rectifications.yml", ("rectifications", i, "closed_on"), r.closed_on, "完成日期")
              for i, r in enumerate(s.rectifications.rectifications) if r.closed_on]
    for file, path, day, label in dated:
        if day > as_of:
            yield loc.at(file, path, "G307",
                         f"{label} {day} 晚于统计截止日期 {as_of}：网站写着“截至 {as_of}”，却会算进这以后的事。"
                         f"请核对日期；若数据已经更新到这一天，把 site_config.yml 的 as_of 改为 {day} 或更晚（留空即为今天）")
    later: list[tuple[str, Loc, str]] = [("compare.yml", ("red_flags", i), f"流动红旗月份 {month}")
                                         for i, month in enumerate(s.compare.red_flags) if month > as_of.isoformat()[:7]]
    later += [("grading.yml", ("grading", i, "year"), f"定级年度 {g.year}") for i, g in enumerate(s.grading.grading)
              if g.year > as_of.year]
    for file, path, what in later:
        yield loc.at(file, path, "G307", f"{what} 晚于统计截止日期 {as_of}：网站写着“截至 {as_of}”，却会算进这以后的事。"
                                         f"请核对；若数据已经更新到那时，把 site_config.yml 的 as_of 改到那时或更晚（留空即为今天）")
    starts = {p.id: p.start for p in config.periods}
    periods = [("evaluations.yml", ("surveys", i, "period"), x.period) for i, x in enumerate(s.evaluations.surveys)]
    periods += [("evaluations.yml", ("reviews", i, "period"), x.period) for i, x in enumerate(s.evaluations.reviews)]
    periods += [("compare.yml", ("stars", i, "period"), x.period) for i, x in enumerate(s.compare.stars)]
    for file, path, period in periods:
        start = starts.get(period)
        if start and start > as_of:
            yield loc.at(file, path, "G307",
                         f"时段“{period}”从 {start} 才开始，晚于统计截止日期 {as_of}，不能已有它的评议结果。"
                         f"请核对时段；若数据已经更新到这一时段，把 site_config.yml 的 as_of 改为 {start} 或更晚")


def overlapping_periods(config: SiteConfig, loaded: Loaded) -> Iterator[Problem]:
    """Each period starts after every earlier one has ended (G305): a survey dated in two periods
    would count in both, and the current period's figures would take in the other's."""
    latest = None  # of the periods starting earlier, the one ending last
    for i, period in sorted(enumerate(config.periods), key=lambda pair: (pair[1].start, pair[0])):
        if period.end < period.start:
            continue  # reported as ending before it starts
        if latest is not None and period.start <= latest.end:
            line, col = loaded.pos(("periods", i, "start"))
            day = dt.timedelta(days=1)
            yield error(loaded.shown, line, col, "G305",
                        f"时段 {period.id} 从 {period.start} 开始，与时段 {latest.id}（{latest.start} 至 {latest.end}）重叠："
                        f"期望每一天只属于一个时段，一次评议才不会算进两个时段。请把 {period.id} 的开始日期改为 "
                        f"{latest.end + day}，或把 {latest.id} 的结束日期改为 {period.start - day}")
        if latest is None or period.end > latest.end:
            latest = period
