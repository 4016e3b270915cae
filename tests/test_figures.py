"""The figures of the shipped demo equal values computed by hand (see the arithmetic below)."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from generator.check import check
from generator.figures import Rate, rolled_up, site_figures, unit_figures
from generator.model import Site
from generator.rates import rounded_text

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo() -> Site:
    result = check(ROOT)
    assert result.ok, [p.format() for p in result.problems if p.level == "error"]
    assert result.site is not None
    return result.site


def test_demo_warnings_are_the_intended_ones() -> None:
    codes = sorted(p.code for p in check(ROOT).problems)
    assert codes == ["G404", "G501", "G501", "G501", "G502", "G503"]


def test_tax_hall_by_hand(demo: Site) -> None:
    fig = unit_figures(demo, "tax-hall")
    # 11 pledges: minus one of 2025, the withdrawn org-03 and the merely proposed zhong-02 = 8 made;
    # due by 2026-11-20: org-02, yuan-01, ren-01, mo-01 (due mid-year) and zhong-01 (due 12-31 but
    # already rated 部分兑现) = 5; not yet due: org-01, deng-01, tian-01 = 3.
    # kept: org-02, yuan-01, mo-01 = 3 → 3/5
    assert (fig.pledges, fig.due, fig.not_due) == (8, 5, 3)
    assert (fig.fulfilment.numerator, fig.fulfilment.denominator) == (3, 5)
    assert fig.fulfilment.percent() == "60.0%"
    # 2026h2, unit-level entries only: 评价器 3894+71 of 3977; 好差评 2970+322+30 of 3328; 问卷 198 of 200
    assert (fig.satisfaction.numerator, fig.satisfaction.denominator) == (7485, 7505)
    assert fig.satisfaction.percent() == "99.7%"
    assert fig.satisfaction.meets is True


def test_estate_window_below_target(demo: Site) -> None:
    fig = unit_figures(demo, "zhengwu-estate-window")
    # 6 made; due: org-02 (09-30), fu-01, wei-01 (06-30), kong-01 (08-31) = 4; kept fu-01, kong-01
    assert (fig.fulfilment.numerator, fig.fulfilment.denominator) == (2, 4)
    # 评价器 1130+142 of 1359; 好差评 205+61+22 of 309 → 1560/1668 = 93.5% < 95%
    assert (fig.satisfaction.numerator, fig.satisfaction.denominator) == (1560, 1668)
    assert fig.satisfaction.meets is False
    assert fig.overdue == 1


def test_roll_up_is_the_sum_of_the_subtree(demo: Site) -> None:
    centre = rolled_up(demo, "zhengwu-center")
    parts = [unit_figures(demo, u) for u in ("zhengwu-center", "zhengwu-business-window",
                                              "zhengwu-social-window", "zhengwu-estate-window")]
    assert centre.pledges == sum(p.pledges for p in parts)
    assert centre.kept == sum(p.kept for p in parts)
    assert centre.satisfaction.denominator == sum(p.satisfaction.denominator for p in parts)
    assert site_figures(demo).pledges == rolled_up(demo, "qingchuan-party").pledges


def test_satisfied_only_formula(demo: Site) -> None:
    from dataclasses import replace

    config = demo.config.model_copy(update={"satisfaction": demo.config.satisfaction.model_copy(
        update={"formula": "仅满意"})})
    fig = unit_figures(replace(demo, config=config), "zhengwu-estate-window")
    # 满意 and 非常满意 only: 1130 (评价器) + 205 + 61 (好差评) = 1396
    assert fig.satisfaction.numerator == 1396


def test_whole_year_base_is_a_setting(demo: Site) -> None:
    from dataclasses import replace

    config = demo.config.model_copy(update={"figures": demo.config.figures.model_copy(
        update={"fulfilment_base": "全年", "percent_decimals": 0})})
    fig = unit_figures(replace(demo, config=config), "tax-hall")
    assert (fig.fulfilment.numerator, fig.fulfilment.denominator) == (3, 8)  # 37.5 % rounds half up
    assert fig.fulfilment.percent() == "38%"
    assert fig.fulfilment.fraction() == "已兑现 3 ÷ 本年度公开承诺 8"


@pytest.mark.parametrize(("numerator", "denominator", "places", "shown"), [
    (141, 200, 0, "71%"),  # 70.5 %: offices round half up; Python's round() would give 70
    (5, 8, 0, "63%"),  # 62.5 %
    (5, 8, 1, "62.5%"),
    (1, 8, 2, "12.50%"),
    (1, 3, 1, "33.3%"),
    (2, 3, 0, "67%"),
    (1, 1, 0, "100%"),
    (0, 7, 1, "0.0%"),
    (0, 0, 0, "—"),
])
def test_percent_is_rounded_half_up(numerator: int, denominator: int, places: int, shown: str) -> None:
    assert Rate(numerator, denominator, places=places).percent() == shown


@pytest.mark.parametrize(("places", "example"), [(0, "如 70.5% 记为 71%"), (1, "如 70.45% 记为 70.5%"),
                                                 (2, "如 70.445% 记为 70.45%")])
def test_rounding_rule_shows_a_tie_at_the_chosen_precision(demo: Site, places: int, example: str) -> None:
    from generator.figures import formulas

    config = demo.config.model_copy(update={"figures": demo.config.figures.model_copy(
        update={"percent_decimals": places})})
    assert example in formulas(config)["百分比"]


def test_an_earlier_years_pledge_still_open_past_its_due_date_is_overdue(tmp_path: Path) -> None:
    """Overdue is "due before the as-of date and not fulfilled" (DOMAIN.md), whatever year the pledge
    was made: the unit's 逾期承诺, its ancestors' and the site's count it, as the overdue ledger lists it."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copyfile(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    before = check(tmp_path).site
    assert before is not None
    pledges = tmp_path / "content/units/tax-hall/pledges.yml"
    text = pledges.read_text(encoding="utf-8")
    old = "    due: 2025-12-31\n    status: 已评议\n    outcome: 已兑现\n    completed_on: 2025-12-31\n"
    assert old in text
    pledges.write_text(text.replace(old, "    due: 2026-03-31\n    status: 履行中\n"), encoding="utf-8")
    after = check(tmp_path).site
    assert after is not None
    assert unit_figures(after, "tax-hall").overdue == unit_figures(before, "tax-hall").overdue + 1
    assert site_figures(after).overdue == site_figures(before).overdue + 1
    assert unit_figures(after, "tax-hall").pledges == unit_figures(before, "tax-hall").pledges  # still 2026's pledges
    listed = [p.id for unit in after.units.values() for p in unit.pledges if p.overdue]
    assert site_figures(after).overdue == len(listed)


def test_a_mean_review_score_is_rounded_half_up_like_every_figure(tmp_path: Path) -> None:
    """92.25 is shown as 92.3 (Python's format rounds a tie to even: 92.2)."""
    from generator.web.units import _review_scores

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copyfile(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    evaluations = tmp_path / "content/units/tax-hall/evaluations.yml"
    evaluations.write_text(re.sub(r"score: [0-9.]+", "score: 92.25", evaluations.read_text(encoding="utf-8")),
                           encoding="utf-8")
    site = check(tmp_path).site
    assert site is not None
    shown = _review_scores(site, site.units["tax-hall"])
    assert shown and all(text.startswith("平均 92.3 分") for text in shown.values()), shown
    assert rounded_text(Fraction(9225, 100), 1) == "92.3" and rounded_text(Fraction(92), 0) == "92"


def test_the_formulas_the_site_states_are_the_ones_its_settings_apply(demo: Site) -> None:
    """The about page, the evaluations ledger, stats and the report all state ``formulas``; the trend
    tables their own: each must describe what the settings count, not the default."""
    from generator.figures import formulas
    from generator.trends import formulas as trend_formulas

    default = formulas(demo.config)
    assert default["群众满意率"].startswith("（非常满意 + 满意 + 基本满意）÷ 全部评价数")  # the demo is 五级
    assert "“岗位能手”" in default["岗位能手比率"]
    config = demo.config.model_copy(update={
        "satisfaction": demo.config.satisfaction.model_copy(update={"formula": "仅满意"}),
        "targets": demo.config.targets.model_copy(update={"skill_title": "服务标兵"}),
        "figures": demo.config.figures.model_copy(update={"fulfilment_base": "全年"})})
    stated = formulas(config)
    assert stated["群众满意率"].startswith("（非常满意 + 满意）÷ 全部评价数") and "基本满意）" not in stated["群众满意率"]
    assert "“服务标兵”" in stated["岗位能手比率"] and "岗位能手”" not in stated["岗位能手比率"]
    assert trend_formulas(config)["年度践诺率"].endswith("÷ 本年度公开承诺")
    assert trend_formulas(demo.config)["年度践诺率"].endswith("÷ 已到期承诺")


@pytest.mark.parametrize(("rate", "shown"), [
    (Rate(9999, 10000), "99.99%"),  # one 不满意 in 10,000: not 100.0%
    (Rate(999_999, 1_000_000), "99.9999%"),
    (Rate(1, 10000), "0.01%"),  # not 0.0%
    (Rate(9496, 10000, target=0.95), "94.96%"),  # not “95.0%” marked 未达标 beside a target of 95.0%
    (Rate(9504, 10000, target=0.95), "95.04%"),
    (Rate(95, 100, target=0.95), "95.0%"),  # exactly the target
    (Rate(10000, 10000), "100.0%"),
    (Rate(0, 7), "0.0%"),
    (Rate(2, 3), "66.7%"),
    (Rate(9999, 10000, places=0), "99.99%"),
])
def test_a_rate_is_never_printed_as_what_it_is_not(rate: Rate, shown: str) -> None:
    assert rate.percent() == shown


def test_skilled_ratio_counts_party_members_on_duty(demo: Site) -> None:
    """Seed 002: “窗口单位在职党员岗位能手比率要达到98%”: of the party members, not of all staff."""
    centre = unit_figures(demo, "zhengwu-center")
    members = demo.units["zhengwu-center"].members
    party = [m for m in members if m.is_party]
    assert len(party) < len(members)  # the centre has a 共青团员 and a 群众 on its staff
    assert centre.skilled.denominator == len(party)
    title = demo.config.targets.skill_title
    awarded = {a.member for a in demo.units["zhengwu-center"].compare.awards if a.title == title and a.date.year == demo.year}
    assert centre.skilled.numerator == len(awarded & {m.id for m in party})
    assert centre.skilled.fraction() == f"岗位能手党员 {centre.skilled.numerator} ÷ 在职党员 {len(party)}"
