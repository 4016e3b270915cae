"""Stage 4c, rankings: units by 满意率, 践诺率, stars and awards, each with its period and the change.

The figures come from :mod:`generator.figures` and :mod:`generator.trends`; this module
only orders units and words the cells. Equal values share a place; ties are listed by unit id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .figures import Rate, percent_of, unit_figures
from .model import Site, Unit
from .trends import change, period_points, star_change, year_points


@dataclass(frozen=True)
class Ranked:
    """One unit's line in a ranking: the value it is ranked by, its text and the change."""

    unit: Unit
    key: tuple[object, ...]  # sorts best first
    cells: tuple[str, ...]  # the value, then the change, then any detail


def _rate_key(rate: Rate) -> tuple[object, ...]:
    return (rate.ratio is None, -(rate.ratio or 0))


def by_satisfaction(site: Site) -> list[Ranked]:
    out = []
    for unit in site.units.values():
        points = [p for p in period_points(site, unit.id) if p.period.start <= site.period.start]
        if not points or points[-1].satisfaction.ratio is None:
            continue
        now = points[-1].satisfaction
        before = points[-2].satisfaction if len(points) > 1 else None
        verdict = "达标" if now.meets else "未达标"
        out.append(Ranked(unit, _rate_key(now), (now.short(), change(now, before), verdict)))
    return out


def by_fulfilment(site: Site) -> list[Ranked]:
    out = []
    for unit in site.units.values():
        years = {y.year: y.fulfilment for y in year_points(site, unit.id)}
        now = years.get(site.year)
        if now is None or now.ratio is None:
            continue
        fig = unit_figures(site, unit.id)
        out.append(Ranked(unit, _rate_key(now), (now.short(), change(now, years.get(site.year - 1)),
                                                 f"逾期 {fig.overdue}")))
    return out


def by_stars(site: Site) -> list[Ranked]:
    out = []
    for unit in site.units.values():
        points = [p for p in period_points(site, unit.id) if p.period.start <= site.period.start]
        if not points or points[-1].stars is None:
            continue
        now, before = points[-1].stars, points[-2].stars if len(points) > 1 else None
        grantor = next((s.grantor for s in unit.compare.stars if s.period == site.period.id), None)
        out.append(Ranked(unit, (-(now or 0),), ("★" * (now or 0), star_change(now, before), grantor or "—")))
    return out


def _awards(site: Site, unit: Unit, year: int) -> int:
    public = {m.id for m in unit.public_members}
    return sum(a.date.year == year and a.date <= site.as_of and (a.member is None or a.member in public)
               for a in unit.compare.awards)


def by_awards(site: Site) -> list[Ranked]:
    out = []
    for unit in site.units.values():
        now, before = _awards(site, unit, site.year), _awards(site, unit, site.year - 1)
        flags = sum(m.startswith(str(site.year)) and m <= site.as_of.strftime("%Y-%m") for m in unit.compare.red_flags)
        if now or flags:
            diff = "持平" if now == before else f"{'↑' if now > before else '↓'} {abs(now - before)}"
            out.append(Ranked(unit, (-now, -flags), (str(now), diff, f"流动红旗 {flags} 个月")))
    return out


RANKINGS: dict[str, tuple[Callable[[Site], list[Ranked]], tuple[str, ...], Callable[[Site], str]]] = {
    "满意率": (by_satisfaction, ("满意率", "比上一时段", "对照目标"),
            lambda s: f"{s.period.name}群众满意率（目标 {percent_of(s.config, s.config.targets.satisfaction)}），"
                      f"变化为比上一时段增减的百分点"),
    "践诺率": (by_fulfilment, ("践诺率", "比上年", "逾期承诺"),
            lambda s: f"{s.year} 年度承诺的践诺率（目标 {percent_of(s.config, s.config.targets.fulfilment)}），"
                      f"变化为比 {s.year - 1} 年度增减的百分点"),
    "星级": (by_stars, ("星级", "比上一时段", "评定单位"), lambda s: f"{s.period.name}星级窗口评定"),
    "荣誉": (by_awards, ("荣誉数", "比上年", "流动红旗"),
           lambda s: f"{s.year} 年获得的荣誉（单位和公开成员，按授予日期），并列 {s.year} 年获得流动红旗的月数"),
}


def ranking_rows(site: Site, board: str) -> tuple[tuple[str, ...], list[tuple[int, Unit, tuple[str, ...]]]]:
    """Columns after 名次 and 单位, and ``(rank, unit, cells)`` best first; equal keys share a rank."""
    rank, columns, _ = RANKINGS[board]
    ordered = sorted(rank(site), key=lambda r: (r.key, r.unit.id))
    rows, place, last = [], 0, None
    for index, item in enumerate(ordered, 1):
        if item.key != last:
            place, last = index, item.key
        rows.append((place, item.unit, item.cells))
    return columns, rows
