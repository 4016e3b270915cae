"""Stage 4b, trends: 践诺率, 满意率 and stars per period and per year, and the change between periods.

Every number here comes from :mod:`generator.figures` rules; this module only cuts the
time axis:

* per period: 满意率 of the period's surveys; 践诺率 of the pledges whose due date falls
  inside the period (kept ÷ those fallen due by the as-of date; see :func:`formulas`);
  the star rating granted for the period;
* per year: 践诺率 of the year's pledges, as the headline figure counts it.

Periods that start after the as-of date are left out: they have no figures yet.
A unit is *below target twice* when the current and the previous period both have a
rate under its target (a period without data breaks the run: nothing to judge).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from .figures import BASES, Rate, answers_of, make_rate, satisfaction_rate, unit_figures
from .model import Site, Unit
from .settings import Period, SiteConfig


def formulas(config: SiteConfig) -> dict[str, str]:
    """How the trend tables count, as this site's settings apply them."""
    return {
        "时段践诺率": "完成期限在该时段内的公开承诺中，评定为“已兑现”的数 ÷ 其中截至统计日期已到期（或已评定）的数",
        "年度践诺率": "与首页践诺率相同：该年度承诺中已兑现的数 ÷ " + BASES[config.figures.fulfilment_base],
        "变化": "与上一时段相比增减的百分点（↑ 上升，↓ 下降）；上一时段没有数据时记为“—”",
    }


@dataclass(frozen=True)
class PeriodPoint:
    """One unit's (or the subtree's, or the site's) figures in one period."""

    period: Period
    satisfaction: Rate
    fulfilment: Rate  # pledges due within the period
    stars: int | None


@dataclass(frozen=True)
class YearPoint:
    year: int
    fulfilment: Rate


def periods_so_far(site: Site) -> list[Period]:
    """Configured periods that have started by the as-of date, oldest first."""
    return sorted((p for p in site.config.periods if p.start <= site.as_of), key=lambda p: p.start)


def _units(site: Site, unit_id: str | None, subtree: bool) -> list[Unit]:
    if unit_id is None:
        return list(site.units.values())
    return list(site.subtree(unit_id)) if subtree else [site.units[unit_id]]


def _period_fulfilment(site: Site, units: list[Unit], period: Period) -> Rate:
    due = [p for u in units for p in u.pledges
           if p.counted and period.start <= p.data.due <= period.end and p.fallen_due]
    kept = sum(p.data.outcome == "已兑现" for p in due)
    return make_rate(site.config, kept, len(due), site.config.targets.fulfilment, "已兑现", "期内到期承诺",
                     f"{period.name}到期的承诺，截至 {site.as_of}")


def period_points(site: Site, unit_id: str | None = None, subtree: bool = False) -> list[PeriodPoint]:
    """Figures per period, oldest first: one unit, its subtree, or (``unit_id`` None) the site.
    Computed once a build (:attr:`Site.trends`); each caller gets its own list."""
    key = (unit_id, subtree)
    if key not in site.trends:
        site.trends[key] = tuple(_period_points(site, unit_id, subtree))
    return list(site.trends[key])


def _period_points(site: Site, unit_id: str | None, subtree: bool) -> list[PeriodPoint]:
    units = _units(site, unit_id, subtree)
    points = []
    for period in periods_so_far(site):
        answers: Counter[str] = Counter()
        for u in units:
            answers.update(answers_of(u.surveys_of(None), period.id))
        stars = None
        if unit_id is not None:
            stars = next((s.stars for s in site.units[unit_id].compare.stars if s.period == period.id), None)
        points.append(PeriodPoint(period, satisfaction_rate(site, dict(answers), period.name),
                                  _period_fulfilment(site, units, period), stars))
    return points


def year_points(site: Site, unit_id: str | None = None, subtree: bool = False) -> list[YearPoint]:
    """践诺率 per pledge year up to the current one, oldest first."""
    units = _units(site, unit_id, subtree)
    years = sorted({p.year for u in units for p in u.pledges if p.counted and p.year <= site.year})
    out = []
    for year in years:
        pledges = [p for u in units for p in u.pledges if p.counted and p.year == year]
        due = [p for p in pledges if p.fallen_due] if site.config.figures.fulfilment_base == "已到期" else pledges
        kept = sum(p.data.outcome == "已兑现" for p in due)
        out.append(YearPoint(year, make_rate(site.config, kept, len(due), site.config.targets.fulfilment, "已兑现",
                                             BASES[site.config.figures.fulfilment_base],
                                             f"{year} 年度承诺，截至 {site.as_of}")))
    return out


def change(now: Rate, before: Rate | None) -> str:
    """The change in percentage points, as the rankings print it: "↑ 1.2", "↓ 0.8", "持平" or "—"."""
    if before is None or now.ratio is None or before.ratio is None:
        return "—"
    steps = (now.ratio - before.ratio) * 100 * 10**now.places
    size = abs(steps)
    rounded = int(size + Fraction(1, 2))  # half up, as figures.percent_text rounds
    if rounded == 0:
        return "持平"
    whole, part = divmod(rounded, 10**now.places)
    text = f"{whole}.{part:0{now.places}d}" if now.places else str(whole)
    return f"{'↑' if steps > 0 else '↓'} {text}"


def star_change(now: int | None, before: int | None) -> str:
    if now is None or before is None:
        return "—"
    return "持平" if now == before else f"{'↑' if now > before else '↓'} {abs(now - before)}"


def below_twice(site: Site, unit_id: str) -> list[str]:
    """Why a unit fell below target in the current period and the one before, e.g. "满意率 …"; [] if not."""
    points = [p for p in period_points(site, unit_id) if p.period.start <= site.period.start]
    if len(points) < 2:
        return []
    before, now = points[-2], points[-1]
    reasons = []
    for label, pick in (("满意率", lambda p: p.satisfaction), ("期内践诺率", lambda p: p.fulfilment)):
        a, b = pick(before), pick(now)
        if a.meets is False and b.meets is False:
            reasons.append(f"{label}连续两个时段低于目标 {b.target_percent()}："
                           f"{before.period.name} {a.short()}，{now.period.name} {b.short()}")
    return reasons


def attention_reasons(site: Site, unit: Unit) -> tuple[str, ...]:
    """Why the office should look at a unit now: overdue work, a rate under target, or two periods under target."""
    own = unit_figures(site, unit.id)
    reasons = []
    if own.overdue:
        reasons.append(f"逾期承诺 {own.overdue} 件")
    if own.satisfaction.meets is False:
        reasons.append(f"满意率 {own.satisfaction.short()} 低于目标 {own.satisfaction.target_percent()}")
    if own.rect_overdue:
        reasons.append(f"整改超期 {own.rect_overdue} 项")
    return (*reasons, *below_twice(site, unit.id))
