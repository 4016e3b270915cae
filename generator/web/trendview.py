"""The 变化趋势 block of the unit and home pages: charts with the same numbers as tables."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..figures import percent_of
from ..model import Site
from ..trends import PeriodPoint, YearPoint, change, formulas, period_points, star_change, year_points
from .charts import Bar, rate_bars


@dataclass(frozen=True)
class TrendRow:
    """One period as the trend table prints it."""

    period: str
    """The period's name."""
    satisfaction: str
    """满意率 with its counts, e.g. “99.7%（7485/7505）”."""
    satisfaction_change: str
    """Since the period before, e.g. “↑ 0.3”."""
    fulfilment: str
    """期内践诺率 with its counts."""
    fulfilment_change: str
    """Since the period before."""
    stars: str
    """E.g. “★★★★★”, or “—”."""
    stars_change: str
    """Since the period before."""


@dataclass(frozen=True)
class TrendView:
    """The 变化趋势 block (macro ``trend`` of gongshi/macros.html, on the home, unit, survey and ranking
    pages): per period and per year, charts and tables; no rows when there is one period."""

    rows: tuple[TrendRow, ...]
    """One row per period."""
    years: tuple[tuple[str, str, str], ...]
    """Year, 践诺率, change since the year before."""
    charts: tuple[tuple[str, Markup], ...]
    """Per period: caption and chart (满意率 only where no other part of the page has it)."""
    year_chart: Markup
    """践诺率 per year."""
    notes: tuple[str, ...]
    """The definitions of the figures."""
    as_of: str
    """The as-of date, ISO."""
    stars: bool = True
    """Whether the star columns are shown (the site as a whole has no rating)."""


def _rows(points: list[PeriodPoint]) -> tuple[TrendRow, ...]:
    rows = []
    for index, p in enumerate(points):
        before = points[index - 1] if index else None
        rows.append(TrendRow(
            p.period.name, p.satisfaction.short(), change(p.satisfaction, before.satisfaction if before else None),
            p.fulfilment.short(), change(p.fulfilment, before.fulfilment if before else None),
            "★" * p.stars if p.stars else "—", star_change(p.stars, before.stars if before else None)))
    return tuple(rows)


def _years(years: list[YearPoint]) -> tuple[tuple[str, str, str], ...]:
    return tuple((f"{y.year} 年", y.fulfilment.short(), change(y.fulfilment, years[i - 1].fulfilment if i else None))
                 for i, y in enumerate(years))


def trend_view(site: Site, unit_id: str | None, title: str, satisfaction_chart: bool = True) -> TrendView:
    """Trends of one unit (its own figures) or, with ``unit_id`` None, of the whole site.

    ``satisfaction_chart`` False leaves out the 满意率 chart where the page already has one
    (the unit page's 群众评议); its numbers stay in the table.
    """
    points, years = period_points(site, unit_id), year_points(site, unit_id)
    cfg = site.config
    sat_target, ful_target = percent_of(cfg, cfg.targets.satisfaction), percent_of(cfg, cfg.targets.fulfilment)
    charts = []
    if satisfaction_chart:
        charts.append(("各时段群众满意率", rate_bars(
            [Bar(p.period.name, p.satisfaction.value, p.satisfaction.percent()) for p in points],
            cfg.targets.satisfaction, f"{title}各时段群众满意率", sat_target)))
    charts.append(("各时段期内践诺率（完成期限在该时段内的承诺）", rate_bars(
        [Bar(p.period.name, p.fulfilment.value, p.fulfilment.percent()) for p in points],
        cfg.targets.fulfilment, f"{title}各时段践诺率", ful_target)))
    return TrendView(
        rows=_rows(points), years=_years(years),
        charts=tuple(charts),
        year_chart=rate_bars([Bar(f"{y.year} 年", y.fulfilment.value, y.fulfilment.percent()) for y in years],
                             cfg.targets.fulfilment, f"{title}各年度践诺率", ful_target),
        notes=tuple(f"{name}：{text}" for name, text in formulas(cfg).items()),
        as_of=site.as_of.isoformat(), stars=any(p.stars for p in points),
    )
