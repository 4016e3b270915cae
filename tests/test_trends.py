"""Change over time: figures per period and per year, rankings with their change, the attention list.

Expected numbers are hand-computed from the demo's YAML (content/units/tax-hall, as of 2026-11-20).
"""

from __future__ import annotations

import pytest

from generator.check import check
from generator.figures import Rate, unit_figures
from generator.model import Site
from generator.rankings import ranking_rows
from generator.trends import attention_reasons, below_twice, change, period_points, star_change, year_points

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo() -> Site:
    result = check(ROOT)
    assert result.site is not None
    return result.site


def test_satisfaction_per_period_is_the_sum_of_its_channels(demo: Site) -> None:
    points = {p.period.id: p for p in period_points(demo, "tax-hall")}
    # 2025h2: 评价器 4310+102 of 4431, 好差评 3102+388+42 of 3542
    assert (points["2025h2"].satisfaction.numerator, points["2025h2"].satisfaction.denominator) == (7944, 7973)
    # 2026h1: 评价器 4622+95 of 4733, 好差评 3550+401+37 of 3995
    assert (points["2026h1"].satisfaction.numerator, points["2026h1"].satisfaction.denominator) == (8705, 8728)
    assert points["2026h1"].stars == 5


def test_fulfilment_per_period_counts_pledges_due_in_it(demo: Site) -> None:
    points = {p.period.id: p for p in period_points(demo, "tax-hall")}
    # due 2026-01..06: p kept (06-30), kept (06-30), 已完成 not rated (06-30), kept (05-31); the withdrawn one is out
    assert (points["2026h1"].fulfilment.numerator, points["2026h1"].fulfilment.denominator) == (3, 4)
    # due 2026-07..12 and fallen due by 11-20: only the one rated early (部分兑现)
    assert (points["2026h2"].fulfilment.numerator, points["2026h2"].fulfilment.denominator) == (0, 1)


def test_the_years_figure_is_the_headline_figure(demo: Site) -> None:
    years = {y.year: y.fulfilment for y in year_points(demo, "tax-hall")}
    headline = unit_figures(demo, "tax-hall").fulfilment
    assert (years[2026].numerator, years[2026].denominator) == (headline.numerator, headline.denominator) == (3, 5)
    assert (years[2025].numerator, years[2025].denominator) == (1, 1)


def test_change_is_in_points_rounded_half_up_with_its_arrow() -> None:
    assert change(Rate(8705, 8728, places=1), Rate(7944, 7973, places=1)) == "↑ 0.1"
    assert change(Rate(1, 2, places=1), Rate(3, 4, places=1)) == "↓ 25.0"
    assert change(Rate(1, 2, places=0), Rate(1, 2, places=0)) == "持平"
    assert change(Rate(1, 2), None) == "—" and change(Rate(1, 2), Rate(0, 0)) == "—"
    assert change(Rate(1000, 1000, places=0), Rate(995, 1000, places=0)) == "↑ 1"  # 0.5 point rounds up
    assert star_change(5, 4) == "↑ 1" and star_change(3, 4) == "↓ 1" and star_change(4, None) == "—"


def test_rankings_rank_each_figure_with_its_change_and_ties_share_a_place(demo: Site) -> None:
    columns, rows = ranking_rows(demo, "践诺率")
    assert columns == ("践诺率", "比上年", "逾期承诺")
    tax = next(r for r in rows if r[1].id == "tax-hall")
    assert tax[2][:2] == ("60.0%（3/5）", "↓ 40.0")  # 2025: 1/1 = 100 %
    places = {u.id: n for n, u, _ in ranking_rows(demo, "践诺率")[1]}
    assert places["power-office"] == places["zhengwu-social-window"] == 2  # both 3/4
    stars = {u.id: (n, cells) for n, u, cells in ranking_rows(demo, "星级")[1]}
    assert stars["tax-hall"] == (1, ("★★★★★", "持平", "国家税务总局青川县税务局"))
    satisfaction = {u.id: cells for _, u, cells in ranking_rows(demo, "满意率")[1]}
    assert satisfaction["zhengwu-estate-window"][2] == "未达标"


def test_two_periods_below_target_puts_a_unit_on_the_attention_list_with_the_reason(demo: Site) -> None:
    reasons = below_twice(demo, "zhengwu-estate-window")
    assert reasons == ["期内践诺率连续两个时段低于目标 90.0%：2026年上半年 50.0%（1/2），2026年下半年 50.0%（1/2）"]
    assert reasons[0] in attention_reasons(demo, demo.units["zhengwu-estate-window"])
    assert below_twice(demo, "power-office") == []  # not below target in both periods


def test_unit_and_home_pages_show_trend_charts_with_the_numbers_as_tables(demo: Site) -> None:
    from generator.mkdocs_site import site_facts
    from generator.web import plan_site
    from generator.web.render import BodyRenderer

    renderer = BodyRenderer(site_facts(demo))
    pages = {p.path: p for p in plan_site(demo).pages if p.path in {"index.md", "units/tax-hall/index.md"}}
    unit = renderer.render(pages["units/tax-hall/index.md"])
    assert unit.count('<svg class="g-chart"') == 3  # satisfaction (群众评议) as before; 践诺率 per period; per year
    assert "各时段践诺率</title>" in unit
    assert "<th scope=\"row\">2026年上半年</th><td>99.7%（8705/8728）</td><td>↑ 0.1</td><td>75.0%（3/4）</td>" in unit
    assert "<th scope=\"row\">2026 年</th><td>60.0%（3/5）</td><td>↓ 40.0</td>" in unit
    home = renderer.render(pages["index.md"])
    assert "全部单位各时段群众满意率" in home and "<caption>各年度践诺率，截至 2026-11-20</caption>" in home
